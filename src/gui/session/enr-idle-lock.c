/* enr-idle-lock.c — lock the windows of a client left unattended
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every window of the application reports keys, clicks, pointer motion
 * and scrolling (a capture-phase GtkEventControllerLegacy, which lets
 * them through). After "idle-lock-minutes" without any, while someone is
 * signed in (online or offline) with a verifier of their password here,
 * each window's content is hidden — its widgets stay as they were, so no
 * typed field of an open flow is lost, and drafts keep being kept — and
 * so is its header bar (the search typed there, the customer a flow is
 * for): an empty one stands in for it, kept aside with what it holds.
 * The windows become insensitive and their titles say "Locked", and an
 * EnrLockDialog asks for the password. Windows that open while locked
 * (a conflict found by the sync engine, say) are hidden the same way.
 * The sync engine keeps running meanwhile.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-credentials.h"
#include "enr-idle-lock.h"
#include "enr-lock-dialog.h"

struct _EnrIdleLock
{
  GObject         parent_instance;

  GtkApplication *application;     /* weak */
  EnrContext     *context;
  char           *username;
  guint           timeout;         /* seconds; 0: never */
  gint64          last_activity;   /* monotonic µs */
  guint           check_id;
  GtkWindow      *dialog;          /* weak */
  GPtrArray      *hidden;          /* of Hidden */
  gboolean        locked;
};

G_DEFINE_FINAL_TYPE (EnrIdleLock, enr_idle_lock, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A window whose content the lock hid, and what to give back. */
typedef struct
{
  GWeakRef   window;
  GWeakRef   focus;
  GtkWidget *titlebar;
  char      *title;
  gboolean   sensitive;
} Hidden;

static void
hidden_free (Hidden *hidden)
{
  g_weak_ref_clear (&hidden->window);
  g_weak_ref_clear (&hidden->focus);
  g_clear_object (&hidden->titlebar);
  g_free (hidden->title);
  g_free (hidden);
}

static void
note_activity (EnrIdleLock *self)
{
  self->last_activity = g_get_monotonic_time ();
}

static gboolean
on_event_cb (GtkEventControllerLegacy *controller,
             GdkEvent                 *event,
             EnrIdleLock              *self)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_MOTION_NOTIFY:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      note_activity (self);
      break;

    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
hide_window (EnrIdleLock *self,
             GtkWindow   *window)
{
  GtkWidget *child = gtk_window_get_child (window);
  Hidden *hidden;

  if (window == self->dialog)
    return;

  hidden = g_new0 (Hidden, 1);
  g_weak_ref_init (&hidden->window, window);
  g_weak_ref_init (&hidden->focus, gtk_window_get_focus (window));
  hidden->title = g_strdup (gtk_window_get_title (window));
  hidden->sensitive = gtk_widget_get_sensitive (GTK_WIDGET (window));
  g_ptr_array_add (self->hidden, hidden);

  /* Hidden, not destroyed: the widgets keep what was typed. */
  if (child != NULL)
    gtk_widget_set_child_visible (child, FALSE);

  /* The header bar is kept aside (with the search typed in it), and an
   * empty one, which shows the "Locked" title, takes its place. */
  if (gtk_window_get_titlebar (window) != NULL)
    {
      hidden->titlebar = g_object_ref (gtk_window_get_titlebar (window));
      gtk_window_set_titlebar (window, gtk_header_bar_new ());
    }
  gtk_widget_set_sensitive (GTK_WIDGET (window), FALSE);
  gtk_window_set_title (window, _("Locked — Enrollment Desk"));
}

static void
restore_windows (EnrIdleLock *self)
{
  for (guint i = 0; i < self->hidden->len; i++)
    {
      Hidden *hidden = g_ptr_array_index (self->hidden, i);
      g_autoptr(GtkWindow) window = g_weak_ref_get (&hidden->window);
      g_autoptr(GtkWidget) focus = g_weak_ref_get (&hidden->focus);
      GtkWidget *child;

      if (window == NULL)
        continue;

      if ((child = gtk_window_get_child (window)) != NULL)
        gtk_widget_set_child_visible (child, TRUE);
      if (hidden->titlebar != NULL)
        gtk_window_set_titlebar (window, hidden->titlebar);
      gtk_widget_set_sensitive (GTK_WIDGET (window), hidden->sensitive);
      gtk_window_set_title (window, hidden->title);
      if (focus != NULL && gtk_widget_get_root (focus) == GTK_ROOT (window))
        gtk_window_set_focus (window, focus);
    }

  g_ptr_array_set_size (self->hidden, 0);
}

static void
on_unlocked_cb (EnrIdleLock *self)
{
  restore_windows (self);
  self->locked = FALSE;
  note_activity (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

static void
on_window_added_cb (EnrIdleLock    *self,
                    GtkWindow      *window,
                    GtkApplication *application)
{
  GtkEventController *controller = gtk_event_controller_legacy_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (controller, "enr-idle-lock");
  g_signal_connect_object (controller, "event", G_CALLBACK (on_event_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);

  if (self->locked)
    hide_window (self, window);
}

static GtkWindow *
find_parent (EnrIdleLock *self)
{
  GtkWindow *active = gtk_application_get_active_window (self->application);

  if (active != NULL && active != self->dialog)
    return active;

  for (GList *l = gtk_application_get_windows (self->application); l != NULL; l = l->next)
    if (l->data != (gpointer) self->dialog)
      return l->data;

  return NULL;
}

/**
 * enr_idle_lock_lock:
 *
 * Hides every window's content and asks for the password of the user
 * signed in, now. Nothing happens when nobody is, or when they have no
 * verifier here to check a password against (they could not unlock).
 */
void
enr_idle_lock_lock (EnrIdleLock *self)
{
  g_autoptr(EnrCredential) credential = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) windows = NULL;
  EnrLockDialog *dialog;

  g_return_if_fail (ENR_IS_IDLE_LOCK (self));

  if (self->locked || self->username == NULL || self->application == NULL)
    return;

  credential = enr_store_get_credential (enr_context_get_store (self->context), self->username, &error);
  if (credential == NULL)
    {
      g_debug ("Not locking: %s", error->message);
      return;
    }

  self->locked = TRUE;
  windows = g_list_copy (gtk_application_get_windows (self->application));
  for (GList *l = windows; l != NULL; l = l->next)
    hide_window (self, l->data);

  dialog = enr_lock_dialog_new (self->context, self->username);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), find_parent (self));
  g_signal_connect_object (dialog, "unlocked", G_CALLBACK (on_unlocked_cb), self, G_CONNECT_SWAPPED);
  self->dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  gtk_window_set_application (GTK_WINDOW (dialog), self->application);
  gtk_window_present (GTK_WINDOW (dialog));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

static gboolean
check_idle_cb (gpointer data)
{
  EnrIdleLock *self = data;

  if (self->timeout > 0 && !self->locked &&
      g_get_monotonic_time () - self->last_activity >= (gint64) self->timeout * G_USEC_PER_SEC)
    enr_idle_lock_lock (self);

  return G_SOURCE_CONTINUE;
}

static void
schedule_check (EnrIdleLock *self)
{
  g_clear_handle_id (&self->check_id, g_source_remove);
  if (self->timeout == 0)
    return;

  /* A quarter of the timeout late at most. */
  self->check_id = g_timeout_add (CLAMP (self->timeout * 250, 250, 30000), check_idle_cb, self);
}

static void
enr_idle_lock_dispose (GObject *object)
{
  EnrIdleLock *self = (EnrIdleLock *) object;

  g_clear_handle_id (&self->check_id, g_source_remove);
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      self->dialog = NULL;
    }
  if (self->application != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *) &self->application);
      self->application = NULL;
    }

  G_OBJECT_CLASS (enr_idle_lock_parent_class)->dispose (object);
}

static void
enr_idle_lock_finalize (GObject *object)
{
  EnrIdleLock *self = (EnrIdleLock *) object;

  g_clear_object (&self->context);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->hidden, g_ptr_array_unref);

  G_OBJECT_CLASS (enr_idle_lock_parent_class)->finalize (object);
}

static void
enr_idle_lock_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EnrIdleLock *self = ENR_IDLE_LOCK (object);

  switch (prop_id)
    {
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_idle_lock_class_init (EnrIdleLockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = enr_idle_lock_dispose;
  object_class->finalize = enr_idle_lock_finalize;
  object_class->get_property = enr_idle_lock_get_property;

  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_idle_lock_init (EnrIdleLock *self)
{
  self->hidden = g_ptr_array_new_with_free_func ((GDestroyNotify) hidden_free);
  note_activity (self);
}

/**
 * enr_idle_lock_new:
 *
 * Watches every window @application opens from now on.
 */
EnrIdleLock *
enr_idle_lock_new (GtkApplication *application,
                   EnrContext     *context)
{
  EnrIdleLock *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);

  self = g_object_new (ENR_TYPE_IDLE_LOCK, NULL);
  self->application = application;
  g_object_add_weak_pointer (G_OBJECT (application), (gpointer *) &self->application);
  self->context = g_object_ref (context);
  g_signal_connect_object (application, "window-added", G_CALLBACK (on_window_added_cb), self,
                           G_CONNECT_SWAPPED);

  return self;
}

/**
 * enr_idle_lock_set_timeout:
 * @seconds: how long without a key, click or pointer motion locks; 0:
 *   never
 */
void
enr_idle_lock_set_timeout (EnrIdleLock *self,
                           guint        seconds)
{
  g_return_if_fail (ENR_IS_IDLE_LOCK (self));

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  note_activity (self);
  schedule_check (self);
}

guint
enr_idle_lock_get_timeout (EnrIdleLock *self)
{
  g_return_val_if_fail (ENR_IS_IDLE_LOCK (self), 0);

  return self->timeout;
}

/**
 * enr_idle_lock_set_user:
 * @username: (nullable): who works here now, and must unlock; %NULL:
 *   nobody, nothing to lock
 */
void
enr_idle_lock_set_user (EnrIdleLock *self,
                        const char  *username)
{
  g_return_if_fail (ENR_IS_IDLE_LOCK (self));

  g_free (self->username);
  self->username = g_strdup (username);
  note_activity (self);
}

gboolean
enr_idle_lock_get_locked (EnrIdleLock *self)
{
  g_return_val_if_fail (ENR_IS_IDLE_LOCK (self), FALSE);

  return self->locked;
}

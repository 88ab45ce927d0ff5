/* enr-sign-in-dialog.c — sign in to the service, or work offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Service address, user name and password; Sign In goes through the sync
 * engine of the context (POST /v1/sessions) and, on success, keeps the
 * user in the client store (for working offline later), the address and
 * the user name in GSettings, and the user name and role in the context.
 * A failure is explained in words a clerk understands, next to the field
 * it concerns (a refused certificate says why: the API client's
 * ENR_API_ERROR_TLS). After Sign In the dialog stays busy while a slow
 * salted verifier of the password is made and kept (never the password,
 * never the token); Work Offline checks the password against it
 * (enr-offline-sign-in.c: only users who signed in online here, within
 * "offline-days" days, with growing waits after wrong passwords).
 *
 * "done" (user or NULL, offline) is emitted once, then the dialog closes:
 * with the user after Sign In or Work Offline, with NULL when it was
 * closed without either. Preferences… (app.preferences) reaches the
 * service address and certificate authorities before signing in.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "enr-gui-utils.h"
#include "enr-offline-sign-in.h"
#include "enr-sign-in-dialog.h"
#include "enr-sign-in-util.h"
#include "enr-sync-engine.h"

struct _EnrSignInDialog
{
  GtkWindow     parent_instance;

  GtkLabel     *reason_label;
  GtkEntry     *service_entry;
  GtkEntry     *username_entry;
  GtkWidget    *password_entry;
  GtkLabel     *error_label;
  GtkSpinner   *spinner;
  GtkWidget    *offline_button;
  GtkWidget    *sign_in_button;
  GtkLabel     *offline_label;
  GtkWidget    *preferences_button;

  EnrContext   *context;
  GCancellable *cancellable;
  char         *error_text;
  char         *service_url;
  /* Between Sign In and the verifier kept: what the service accepted. */
  char         *password;
  gboolean      busy;
  gboolean      done;
};

G_DEFINE_FINAL_TYPE (EnrSignInDialog, enr_sign_in_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_BUSY,
  N_PROPS
};

enum {
  DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static EnrSyncEngine *
get_engine (EnrSignInDialog *self)
{
  GObject *engine = enr_context_get_sync_engine (self->context);

  return ENR_IS_SYNC_ENGINE (engine) ? ENR_SYNC_ENGINE (engine) : NULL;
}

static void
set_busy (EnrSignInDialog *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->sign_in_button, !busy);
  gtk_widget_set_sensitive (self->offline_button, !busy);
  /* Read-only rather than insensitive: the focused field keeps its focus. */
  gtk_editable_set_editable (GTK_EDITABLE (self->service_entry), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->username_entry), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_entry), !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
clear_error (EnrSignInDialog *self)
{
  g_clear_pointer (&self->error_text, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  enr_widget_set_invalid (GTK_WIDGET (self->service_entry), FALSE);
  enr_widget_set_invalid (GTK_WIDGET (self->username_entry), FALSE);
  enr_widget_set_invalid (self->password_entry, FALSE);
}

/* @field: (nullable): the field the message is about */
static void
show_error_text (EnrSignInDialog *self,
                 const char      *text,
                 GtkWidget       *field)
{
  clear_error (self);

  self->error_text = g_strdup (text);
  gtk_label_set_text (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);

  if (field != NULL)
    {
      enr_widget_set_invalid (field, TRUE);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (field),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                      -1);
      gtk_widget_grab_focus (field);
    }
}

static void
forget_password (EnrSignInDialog *self)
{
  g_clear_pointer (&self->password, enr_password_free);
}

static guint
get_offline_days (EnrSignInDialog *self)
{
  return enr_sign_in_get_offline_days (enr_context_get_settings (self->context));
}

static void
update_offline_hint (EnrSignInDialog *self)
{
  EnrStore *store = enr_context_get_store (self->context);
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_entry));
  g_autoptr(EnrUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hint = NULL;

  if (enr_sign_in_can_work_offline (store, username, get_offline_days (self), &error) &&
      (user = enr_sign_in_find_cached_user (store, username)) != NULL)
    hint = g_strdup_printf (_("Work Offline uses the data on this computer as %s, with your password; your changes are sent when you sign in again."),
                            enr_user_get_display_name (user) != NULL ? enr_user_get_display_name (user) : username);
  else if (g_error_matches (error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_EXPIRED) ||
           g_error_matches (error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_THROTTLED))
    hint = g_strdup (error->message);
  else
    hint = g_strdup (_("To work offline, sign in online once on this computer first."));

  gtk_label_set_text (self->offline_label, hint);
}

static void
finish (EnrSignInDialog *self,
        EnrUser         *user,
        gboolean         offline)
{
  if (self->done)
    return;

  self->done = TRUE;
  g_signal_emit (self, signals[DONE], 0, user, offline);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
accept_user (EnrSignInDialog *self,
             EnrUser         *user,
             gboolean         offline)
{
  GSettings *settings = enr_context_get_settings (self->context);

  if (settings != NULL)
    {
      g_autofree char *current = g_settings_get_string (settings, "service-url");

      g_settings_set_string (settings, "username", enr_user_get_username (user));
      /* Only a change: the address an administrator set as the default
       * keeps following the default. */
      if (!offline && self->service_url != NULL && g_strcmp0 (current, self->service_url) != 0)
        g_settings_set_string (settings, "service-url", self->service_url);
    }

  enr_context_set_username (self->context, enr_user_get_username (user));
  enr_context_set_role (self->context, enr_user_get_role (user));

  finish (self, user, offline);
}

typedef struct
{
  EnrSignInDialog *dialog;
  EnrUser         *user;
} Remembering;

static void
on_remembered_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Remembering *remembering = user_data;
  g_autoptr(EnrSignInDialog) self = remembering->dialog;
  g_autoptr(EnrUser) user = remembering->user;
  g_autoptr(GError) error = NULL;

  g_free (remembering);

  /* Signed in either way; without a verifier, only not offline later. */
  if (!enr_sign_in_remember_finish (ENR_STORE (source_object), result, &error))
    g_warning ("Could not keep the password's verifier for working offline: %s", error->message);

  if (self->done)
    return;

  set_busy (self, FALSE);
  accept_user (self, user, FALSE);
}

static void
on_signed_in_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(EnrSignInDialog) self = user_data;
  g_autoptr(EnrUser) user = NULL;
  g_autoptr(GError) error = NULL;
  Remembering *remembering;

  user = enr_sync_engine_sign_in_finish (ENR_SYNC_ENGINE (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->done)
    {
      forget_password (self);
      return;
    }

  if (user == NULL)
    {
      forget_password (self);
      set_busy (self, FALSE);
      enr_sign_in_dialog_show_error (self, error);
      return;
    }

  /* Kept even when the dialog closes meanwhile: no cancellable. */
  remembering = g_new0 (Remembering, 1);
  remembering->dialog = g_object_ref (self);
  remembering->user = g_object_ref (user);
  enr_sign_in_remember_async (enr_context_get_store (self->context), user, self->password, NULL,
                              on_remembered_cb, remembering);
  forget_password (self);
}

static char *
get_trimmed (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static void
on_sign_in_clicked_cb (EnrSignInDialog *self)
{
  EnrSyncEngine *engine = get_engine (self);
  g_autofree char *url = get_trimmed (GTK_EDITABLE (self->service_entry));
  g_autofree char *username = get_trimmed (GTK_EDITABLE (self->username_entry));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
  g_autoptr(GError) error = NULL;

  if (self->busy)
    return;

  if (url[0] == '\0')
    {
      show_error_text (self, _("Enter the address of the enrollment service."), GTK_WIDGET (self->service_entry));
      return;
    }
  if (username[0] == '\0')
    {
      show_error_text (self, _("Enter your user name."), GTK_WIDGET (self->username_entry));
      return;
    }
  if (password[0] == '\0')
    {
      show_error_text (self, _("Enter your password."), self->password_entry);
      return;
    }
  if (engine == NULL)
    {
      show_error_text (self, _("This copy of Enrollment Desk cannot connect to a service."), NULL);
      return;
    }

  if (!enr_api_client_set_base_url (enr_sync_engine_get_client (engine), url, &error))
    {
      g_autofree char *text = enr_sign_in_describe_error (error);

      show_error_text (self, text, GTK_WIDGET (self->service_entry));
      return;
    }

  g_free (self->service_url);
  self->service_url = g_strdup (enr_api_client_get_base_url (enr_sync_engine_get_client (engine)));

  clear_error (self);
  set_busy (self, TRUE);
  forget_password (self);
  self->password = g_strdup (password);
  enr_sync_engine_sign_in_async (engine, username, password, self->cancellable,
                                 on_signed_in_cb, g_object_ref (self));
}

static void
on_offline_checked_cb (GObject      *source_object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(EnrSignInDialog) self = user_data;
  g_autoptr(EnrUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = enr_sign_in_offline_finish (ENR_STORE (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->done)
    return;

  set_busy (self, FALSE);
  if (user == NULL)
    {
      enr_sign_in_dialog_show_error (self, error);
      update_offline_hint (self);
      return;
    }

  accept_user (self, user, TRUE);
}

static void
on_offline_clicked_cb (EnrSignInDialog *self)
{
  EnrStore *store = enr_context_get_store (self->context);
  g_autofree char *username = get_trimmed (GTK_EDITABLE (self->username_entry));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));
  g_autoptr(GError) error = NULL;

  if (self->busy)
    return;

  if (username[0] == '\0')
    {
      show_error_text (self, _("Enter your user name to work offline."), GTK_WIDGET (self->username_entry));
      return;
    }

  /* Said before asking for a password that could not help. */
  if (!enr_sign_in_can_work_offline (store, username, get_offline_days (self), &error))
    {
      enr_sign_in_dialog_show_error (self, error);
      return;
    }

  if (password[0] == '\0')
    {
      show_error_text (self, _("Enter your password to work offline."), self->password_entry);
      return;
    }

  clear_error (self);
  set_busy (self, TRUE);
  enr_sign_in_offline_async (store, username, password, get_offline_days (self), self->cancellable,
                             on_offline_checked_cb, g_object_ref (self));
}

static void
on_field_changed_cb (EnrSignInDialog *self,
                     GtkEditable     *editable)
{
  if (GTK_WIDGET (editable) == GTK_WIDGET (self->username_entry))
    update_offline_hint (self);

  if (self->error_text != NULL && !self->busy)
    clear_error (self);
}

/* Preferences changed the address meanwhile. */
static void
on_service_url_changed_cb (EnrSignInDialog *self,
                           const char      *key,
                           GSettings       *settings)
{
  g_autofree char *url = g_settings_get_string (settings, "service-url");

  if (!self->busy)
    gtk_editable_set_text (GTK_EDITABLE (self->service_entry), url);
}

static gboolean
enr_sign_in_dialog_close_request (GtkWindow *window)
{
  EnrSignInDialog *self = ENR_SIGN_IN_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  if (!self->done)
    {
      self->done = TRUE;
      g_signal_emit (self, signals[DONE], 0, NULL, FALSE);
    }

  return GTK_WINDOW_CLASS (enr_sign_in_dialog_parent_class)->close_request (window);
}

static void
enr_sign_in_dialog_constructed (GObject *object)
{
  EnrSignInDialog *self = (EnrSignInDialog *) object;
  GSettings *settings;
  EnrSyncEngine *engine;

  G_OBJECT_CLASS (enr_sign_in_dialog_parent_class)->constructed (object);

  g_assert (ENR_IS_CONTEXT (self->context));

  settings = enr_context_get_settings (self->context);
  engine = get_engine (self);

  if (engine != NULL && enr_api_client_get_base_url (enr_sync_engine_get_client (engine)) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->service_entry),
                           enr_api_client_get_base_url (enr_sync_engine_get_client (engine)));
  else if (settings != NULL)
    {
      g_autofree char *url = g_settings_get_string (settings, "service-url");

      gtk_editable_set_text (GTK_EDITABLE (self->service_entry), url);
      /* The first start on a computer nobody set up: say what to do. */
      if (url[0] == '\0')
        gtk_label_set_text (self->reason_label,
                            _("No enrollment service is set up on this computer yet. Enter the address your administrator gave you, such as https://enrollment.example.com, or ask them to set it for every computer (see “man enrollment-desk”)."));
    }

  if (settings != NULL)
    {
      g_autofree char *username = g_settings_get_string (settings, "username");

      gtk_editable_set_text (GTK_EDITABLE (self->username_entry), username);
      g_signal_connect_object (settings, "changed::service-url", G_CALLBACK (on_service_url_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }

  update_offline_hint (self);
  enr_button_set_accessible_name (self->sign_in_button);
  enr_button_set_accessible_name (self->offline_button);
  enr_button_set_accessible_name (self->preferences_button);

  if (gtk_editable_get_text (GTK_EDITABLE (self->service_entry))[0] == '\0')
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->service_entry));
  else if (gtk_editable_get_text (GTK_EDITABLE (self->username_entry))[0] != '\0')
    gtk_window_set_focus (GTK_WINDOW (self), self->password_entry);
  else
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->username_entry));
}

static void
enr_sign_in_dialog_dispose (GObject *object)
{
  EnrSignInDialog *self = (EnrSignInDialog *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_SIGN_IN_DIALOG);

  G_OBJECT_CLASS (enr_sign_in_dialog_parent_class)->dispose (object);
}

static void
enr_sign_in_dialog_finalize (GObject *object)
{
  EnrSignInDialog *self = (EnrSignInDialog *) object;

  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error_text, g_free);
  g_clear_pointer (&self->service_url, g_free);
  forget_password (self);

  G_OBJECT_CLASS (enr_sign_in_dialog_parent_class)->finalize (object);
}

static void
enr_sign_in_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EnrSignInDialog *self = ENR_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_sign_in_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EnrSignInDialog *self = ENR_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_sign_in_dialog_class_init (EnrSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = enr_sign_in_dialog_constructed;
  object_class->dispose = enr_sign_in_dialog_dispose;
  object_class->finalize = enr_sign_in_dialog_finalize;
  object_class->get_property = enr_sign_in_dialog_get_property;
  object_class->set_property = enr_sign_in_dialog_set_property;

  window_class->close_request = enr_sign_in_dialog_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ENR_TYPE_CONTEXT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EnrSignInDialog::done:
   * @user: (nullable): the user, or %NULL when the dialog was closed
   * @offline: whether the user chose to work offline
   */
  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, ENR_TYPE_USER, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/session/enr-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrSignInDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSignInDialog, service_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrSignInDialog, username_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrSignInDialog, password_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSignInDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, EnrSignInDialog, offline_button);
  gtk_widget_class_bind_template_child (widget_class, EnrSignInDialog, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, EnrSignInDialog, offline_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSignInDialog, preferences_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_offline_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
enr_sign_in_dialog_init (EnrSignInDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "sign-in-dialog");

  /* The accessible name is the field's label once, not label + caption. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->service_entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->username_entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->password_entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

EnrSignInDialog *
enr_sign_in_dialog_new (EnrContext *context)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);

  return g_object_new (ENR_TYPE_SIGN_IN_DIALOG,
                       "context", context,
                       NULL);
}

EnrContext *
enr_sign_in_dialog_get_context (EnrSignInDialog *self)
{
  g_return_val_if_fail (ENR_IS_SIGN_IN_DIALOG (self), NULL);

  return self->context;
}

/**
 * enr_sign_in_dialog_set_reason:
 * @reason: (nullable): why signing in is asked for (a session that ended,
 *   say); %NULL keeps the default text
 */
void
enr_sign_in_dialog_set_reason (EnrSignInDialog *self,
                               const char      *reason)
{
  g_return_if_fail (ENR_IS_SIGN_IN_DIALOG (self));

  if (reason != NULL)
    gtk_label_set_text (self->reason_label, reason);
}

/* Fills the user name in (and moves to the password). */
void
enr_sign_in_dialog_set_username (EnrSignInDialog *self,
                                 const char      *username)
{
  g_return_if_fail (ENR_IS_SIGN_IN_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->username_entry), username != NULL ? username : "");
  if (username != NULL && username[0] != '\0')
    gtk_window_set_focus (GTK_WINDOW (self), self->password_entry);
}

/**
 * enr_sign_in_dialog_show_error:
 *
 * Explains why signing in failed (an automatic sign-in, say) next to the
 * field concerned.
 */
void
enr_sign_in_dialog_show_error (EnrSignInDialog *self,
                               const GError    *error)
{
  g_autofree char *text = NULL;
  GtkWidget *field = NULL;

  g_return_if_fail (ENR_IS_SIGN_IN_DIALOG (self));
  g_return_if_fail (error != NULL);

  text = enr_sign_in_describe_error (error);
  if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_WRONG_PASSWORD) ||
      g_error_matches (error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_THROTTLED))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
      field = self->password_entry;
    }
  else if (g_error_matches (error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_NOT_SIGNED_IN_HERE) ||
           g_error_matches (error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_EXPIRED))
    field = GTK_WIDGET (self->username_entry);
  else if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_NETWORK) ||
           g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_TLS) ||
           g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_NOT_FOUND) ||
           g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_PROTOCOL))
    field = GTK_WIDGET (self->service_entry);

  show_error_text (self, text, field);
}

/**
 * enr_sign_in_dialog_prefer_offline:
 *
 * For `--offline`: Enter works offline (with the password typed) rather
 * than signing in.
 */
void
enr_sign_in_dialog_prefer_offline (EnrSignInDialog *self)
{
  g_return_if_fail (ENR_IS_SIGN_IN_DIALOG (self));

  gtk_window_set_default_widget (GTK_WINDOW (self), self->offline_button);
  gtk_widget_remove_css_class (self->sign_in_button, "suggested-action");
  gtk_widget_add_css_class (self->offline_button, "suggested-action");
}

gboolean
enr_sign_in_dialog_get_busy (EnrSignInDialog *self)
{
  g_return_val_if_fail (ENR_IS_SIGN_IN_DIALOG (self), FALSE);

  return self->busy;
}

/**
 * enr_sign_in_dialog_get_error:
 *
 * Returns: (nullable): the message shown, %NULL when there is none
 */
const char *
enr_sign_in_dialog_get_error (EnrSignInDialog *self)
{
  g_return_val_if_fail (ENR_IS_SIGN_IN_DIALOG (self), NULL);

  return self->error_text;
}

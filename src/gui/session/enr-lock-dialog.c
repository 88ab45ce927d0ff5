/* enr-lock-dialog.c — the password that brings a locked client back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shown by EnrIdleLock over the windows whose content it hid. Unlock
 * checks the password against the verifier of the signed-in user's last
 * online sign-in (enr-offline-sign-in.c, without expiry: the session is
 * already open), so it works offline, with the same growing waits after
 * wrong passwords. It cannot be closed: "unlocked" is emitted once, with
 * the right password, and the dialog then closes itself.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-gui-utils.h"
#include "enr-lock-dialog.h"
#include "enr-offline-sign-in.h"

struct _EnrLockDialog
{
  GtkWindow     parent_instance;

  GtkLabel     *reason_label;
  GtkWidget    *password_entry;
  GtkLabel     *error_label;
  GtkSpinner   *spinner;
  GtkWidget    *unlock_button;

  EnrContext   *context;
  char         *username;
  char         *error_text;
  GCancellable *cancellable;
  gboolean      busy;
  gboolean      unlocked;
};

G_DEFINE_FINAL_TYPE (EnrLockDialog, enr_lock_dialog, GTK_TYPE_WINDOW)

enum {
  UNLOCKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_busy (EnrLockDialog *self,
          gboolean       busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->unlock_button, !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_entry), !busy);
}

/* @text: (nullable): none */
static void
show_error (EnrLockDialog *self,
            const char    *text)
{
  g_free (self->error_text);
  self->error_text = g_strdup (text);

  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
  enr_widget_set_invalid (self->password_entry, text != NULL);
  if (text != NULL)
    {
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->password_entry),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                      -1);
      gtk_widget_grab_focus (self->password_entry);
    }
}

static void
on_password_changed_cb (EnrLockDialog *self)
{
  if (self->error_text != NULL && !self->busy)
    show_error (self, NULL);
}

static void
on_checked_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EnrLockDialog) self = user_data;
  g_autoptr(EnrUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = enr_sign_in_offline_finish (ENR_STORE (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (user == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
      show_error (self, error->message);
      return;
    }

  self->unlocked = TRUE;
  g_signal_emit (self, signals[UNLOCKED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_unlock_clicked_cb (EnrLockDialog *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_entry));

  if (self->busy)
    return;

  if (password[0] == '\0')
    {
      show_error (self, _("Enter your password to unlock."));
      return;
    }

  show_error (self, NULL);
  set_busy (self, TRUE);
  /* No expiry: the session is open already. */
  enr_sign_in_offline_async (enr_context_get_store (self->context), self->username, password, 0,
                             self->cancellable, on_checked_cb, g_object_ref (self));
}

static gboolean
enr_lock_dialog_close_request (GtkWindow *window)
{
  EnrLockDialog *self = ENR_LOCK_DIALOG (window);

  /* Only the password closes it. */
  return !self->unlocked;
}

static void
enr_lock_dialog_dispose (GObject *object)
{
  EnrLockDialog *self = (EnrLockDialog *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_LOCK_DIALOG);

  G_OBJECT_CLASS (enr_lock_dialog_parent_class)->dispose (object);
}

static void
enr_lock_dialog_finalize (GObject *object)
{
  EnrLockDialog *self = (EnrLockDialog *) object;

  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->error_text, g_free);

  G_OBJECT_CLASS (enr_lock_dialog_parent_class)->finalize (object);
}

static void
enr_lock_dialog_class_init (EnrLockDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = enr_lock_dialog_dispose;
  object_class->finalize = enr_lock_dialog_finalize;
  window_class->close_request = enr_lock_dialog_close_request;

  /**
   * EnrLockDialog::unlocked:
   *
   * The right password was given; the dialog closes.
   */
  signals[UNLOCKED] =
    g_signal_new ("unlocked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/session/enr-lock-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrLockDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, EnrLockDialog, password_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrLockDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, EnrLockDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, EnrLockDialog, unlock_button);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed_cb);
}

static void
enr_lock_dialog_init (EnrLockDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The accessible name is the field's label once. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->password_entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  enr_button_set_accessible_name (self->unlock_button);
}

/**
 * enr_lock_dialog_new:
 * @username: who must give their password
 */
EnrLockDialog *
enr_lock_dialog_new (EnrContext *context,
                     const char *username)
{
  EnrLockDialog *self;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  self = g_object_new (ENR_TYPE_LOCK_DIALOG, NULL);
  self->context = g_object_ref (context);
  self->username = g_strdup (username);

  reason = g_strdup_printf (_("Enrollment Desk was locked after a time without use. Enter the password of %s to continue; your open work is kept."),
                            username);
  gtk_label_set_text (self->reason_label, reason);
  gtk_window_set_focus (GTK_WINDOW (self), self->password_entry);

  return self;
}

gboolean
enr_lock_dialog_get_busy (EnrLockDialog *self)
{
  g_return_val_if_fail (ENR_IS_LOCK_DIALOG (self), FALSE);

  return self->busy;
}

/* Returns: (nullable): the message shown */
const char *
enr_lock_dialog_get_error (EnrLockDialog *self)
{
  g_return_val_if_fail (ENR_IS_LOCK_DIALOG (self), NULL);

  return self->error_text;
}

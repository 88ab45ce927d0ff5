/* enr-discard-change-dialog.c — a supervisor discards another user's waiting change, with a reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Another user's change waits here for its owner to sign in again (the
 * sync indicator lists them for a supervisor). A supervisor may discard
 * one: the reason is required, and the change is kept whole with who
 * discarded it, when and why (enr_outbox_discard()), and its owner reads
 * the reason at their next sign-in here. The store refuses the
 * supervisor's own changes and one a later change of someone else builds
 * on; the dialog then says why. It emits "done" and closes once the
 * change is discarded.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-discard-change-dialog.h"
#include "enr-gui-utils.h"

struct _EnrDiscardChangeDialog
{
  GtkWindow     parent_instance;

  GtkLabel     *message_label;
  GtkEntry     *reason_entry;
  GtkLabel     *error_label;
  GtkButton    *keep_button;
  GtkButton    *discard_button;

  EnrContext   *context;
  EnrOperation *operation;
};

G_DEFINE_FINAL_TYPE (EnrDiscardChangeDialog, enr_discard_change_dialog, GTK_TYPE_WINDOW)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_reason_changed_cb (EnrDiscardChangeDialog *self)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->discard_button), reason[0] != '\0');
}

static void
on_keep_clicked_cb (EnrDiscardChangeDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_discard_clicked_cb (EnrDiscardChangeDialog *self)
{
  EnrStore *store = enr_context_get_store (self->context);
  const char *user = enr_store_get_user (store);
  g_autoptr(GError) error = NULL;

  if (enr_context_get_role (self->context) != ENR_ROLE_SUPERVISOR || user == NULL)
    g_set_error (&error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                 _("Only a supervisor may discard another user’s change."));
  else
    enr_outbox_discard (enr_store_get_outbox (store), enr_operation_get_seq (self->operation), user,
                        gtk_editable_get_text (GTK_EDITABLE (self->reason_entry)), &error);

  if (error != NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->reason_entry),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                      -1);
      return;
    }

  g_signal_emit (self, signals[DONE], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
enr_discard_change_dialog_dispose (GObject *object)
{
  EnrDiscardChangeDialog *self = (EnrDiscardChangeDialog *) object;

  gtk_window_set_child (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_DISCARD_CHANGE_DIALOG);
  g_clear_object (&self->operation);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (enr_discard_change_dialog_parent_class)->dispose (object);
}

static void
enr_discard_change_dialog_class_init (EnrDiscardChangeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_discard_change_dialog_dispose;

  /**
   * EnrDiscardChangeDialog::done:
   *
   * The change was discarded (and recorded).
   */
  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/session/enr-discard-change-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrDiscardChangeDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, EnrDiscardChangeDialog, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrDiscardChangeDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, EnrDiscardChangeDialog, keep_button);
  gtk_widget_class_bind_template_child (widget_class, EnrDiscardChangeDialog, discard_button);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_keep_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_discard_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
enr_discard_change_dialog_init (EnrDiscardChangeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  enr_button_set_accessible_name (GTK_WIDGET (self->keep_button));
  enr_button_set_accessible_name (GTK_WIDGET (self->discard_button));
}

/**
 * enr_discard_change_dialog_new:
 * @operation: another user's waiting operation
 * @description: what it is, in words (its kind, its customer and program,
 *   its owner and when it was queued)
 */
EnrDiscardChangeDialog *
enr_discard_change_dialog_new (GtkWindow    *parent,
                               EnrContext   *context,
                               EnrOperation *operation,
                               const char   *description)
{
  EnrDiscardChangeDialog *self;
  g_autofree char *message = NULL;
  const char *owner;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ENR_IS_OPERATION (operation), NULL);
  g_return_val_if_fail (description != NULL, NULL);

  self = g_object_new (ENR_TYPE_DISCARD_CHANGE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->context = g_object_ref (context);
  self->operation = g_object_ref (operation);

  owner = enr_operation_get_owner (operation);
  if (owner == NULL)
    owner = _("an earlier version’s user");
  /* Translators: %s: a change (what, for whom, by whom, when); %s: its owner */
  message = g_strdup_printf (_("%s\n\nDiscarded, this change and %s’s later changes to the same record never reach the service. It is kept on this computer with your name and the reason, and %s reads the reason at their next sign-in here."),
                             description, owner, owner);
  gtk_label_set_text (self->message_label, message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);

  return self;
}

GtkWidget *
enr_discard_change_dialog_get_reason_entry (EnrDiscardChangeDialog *self)
{
  g_return_val_if_fail (ENR_IS_DISCARD_CHANGE_DIALOG (self), NULL);

  return GTK_WIDGET (self->reason_entry);
}

/* What the dialog says went wrong, or %NULL. */
const char *
enr_discard_change_dialog_get_error (EnrDiscardChangeDialog *self)
{
  g_return_val_if_fail (ENR_IS_DISCARD_CHANGE_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_text (self->error_label);
}

/* enr-cancel-task-dialog.c — a supervisor cancels a service task, with a reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reason is required: it goes to the service with the cancel-task
 * operation, which records it in the task's history and in the
 * cancellation communication it logs. "Cancel Task" works offline
 * (enr_monitor_cancel_task()) and the dialog says so: the task is
 * canceled here at once, the service hears of it when the outbox is
 * sent. It emits "done" and closes once the change is in the store, or
 * shows why it could not be made (EnrTaskDialog).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-cancel-task-dialog.h"
#include "enr-gui-utils.h"
#include "enr-monitor-actions.h"

struct _EnrCancelTaskDialog
{
  EnrTaskDialog   parent_instance;

  GtkLabel       *message_label;
  GtkEntry       *reason_entry;
  GtkLabel       *error_label;
  GtkButton      *keep_button;
  GtkButton      *cancel_button;
};

G_DEFINE_FINAL_TYPE (EnrCancelTaskDialog, enr_cancel_task_dialog, ENR_TYPE_TASK_DIALOG)

static void
on_reason_changed_cb (EnrCancelTaskDialog *self)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason_entry))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), reason[0] != '\0');
}

static void
on_cancel_clicked_cb (EnrCancelTaskDialog *self)
{
  EnrTaskDialog *dialog = ENR_TASK_DIALOG (self);
  g_autoptr(GError) error = NULL;

  enr_monitor_cancel_task (enr_task_dialog_get_context (dialog), enr_task_dialog_get_task (dialog),
                           gtk_editable_get_text (GTK_EDITABLE (self->reason_entry)), &error);
  enr_task_dialog_finish (dialog, self->error_label, error);
}

static void
enr_cancel_task_dialog_dispose (GObject *object)
{
  gtk_window_set_child (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_CANCEL_TASK_DIALOG);

  G_OBJECT_CLASS (enr_cancel_task_dialog_parent_class)->dispose (object);
}

static void
enr_cancel_task_dialog_class_init (EnrCancelTaskDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_cancel_task_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/process-flows/enr-cancel-task-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrCancelTaskDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, EnrCancelTaskDialog, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrCancelTaskDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, EnrCancelTaskDialog, keep_button);
  gtk_widget_class_bind_template_child (widget_class, EnrCancelTaskDialog, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_reason_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
}

static void
enr_cancel_task_dialog_init (EnrCancelTaskDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  enr_button_set_accessible_name (GTK_WIDGET (self->keep_button));
  enr_button_set_accessible_name (GTK_WIDGET (self->cancel_button));
}

EnrCancelTaskDialog *
enr_cancel_task_dialog_new (GtkWindow      *parent,
                            EnrContext     *context,
                            EnrServiceTask *task)
{
  EnrCancelTaskDialog *self;
  g_autoptr(EnrCustomer) customer = NULL;
  g_autoptr(EnrProgram) program = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), NULL);

  self = g_object_new (ENR_TYPE_CANCEL_TASK_DIALOG,
                       "transient-for", parent,
                       "context", context,
                       "task", task,
                       NULL);

  customer = enr_context_lookup (context, ENR_TYPE_CUSTOMER, enr_service_task_get_customer_id (task));
  program = enr_context_lookup (context, ENR_TYPE_PROGRAM, enr_service_task_get_program_id (task));
  if (enr_service_task_get_kind (task) == ENR_TASK_KIND_UNENROLLMENT)
    /* Translators: customer, program, task id */
    message = g_strdup_printf (_("The unenrollment of %s from %s (task %s) becomes Canceled on this computer at "
                                 "once and its booked appointments are released. The cancel, with your reason, "
                                 "is sent to the service as soon as this computer is connected; the service "
                                 "then records your reason as a communication. This cannot be undone."),
                               customer ? enr_customer_get_name (customer) : enr_or_dash (enr_service_task_get_customer_id (task)),
                               program ? enr_program_get_name (program) : enr_or_dash (enr_service_task_get_program_id (task)),
                               enr_entity_get_id (ENR_ENTITY (task)));
  else
    /* Translators: customer, program, task id */
    message = g_strdup_printf (_("The enrollment of %s in %s (task %s) becomes Canceled on this computer at "
                                 "once and its booked appointments are released. The cancel, with your reason, "
                                 "is sent to the service as soon as this computer is connected; the service "
                                 "then records your reason as a communication. This cannot be undone."),
                               customer ? enr_customer_get_name (customer) : enr_or_dash (enr_service_task_get_customer_id (task)),
                               program ? enr_program_get_name (program) : enr_or_dash (enr_service_task_get_program_id (task)),
                               enr_entity_get_id (ENR_ENTITY (task)));
  gtk_label_set_text (self->message_label, message);

  return self;
}

GtkWidget *
enr_cancel_task_dialog_get_reason_entry (EnrCancelTaskDialog *self)
{
  g_return_val_if_fail (ENR_IS_CANCEL_TASK_DIALOG (self), NULL);

  return GTK_WIDGET (self->reason_entry);
}

/* enr-monitor-details.c — Process Flows: the selected task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The side pane shows the selected task (read again from the store after
 * every change), its actions and its history; every action goes through
 * the outbox (src/client/enr-monitor-actions.c), so it works offline.
 * The conflicts button opens the oldest conflict.
 */

#include "config.h"

#include "enr-assistant.h"
#include "enr-cancel-task-dialog.h"
#include "enr-conflict-dialog.h"
#include "enr-monitor-private.h"
#include "enr-reschedule-dialog.h"

static char *
describe_customer (EnrMonitor     *self,
                   EnrServiceTask *task)
{
  g_autoptr(EnrCustomer) customer = enr_context_lookup (self->context, ENR_TYPE_CUSTOMER,
                                                        enr_service_task_get_customer_id (task));

  if (customer == NULL)
    return g_strdup (enr_or_dash (enr_service_task_get_customer_id (task)));

  /* Translators: a customer and the account, e.g. "Maria Lopez · account 100-2003" */
  return g_strdup_printf (_("%s · account %s"), enr_customer_get_name (customer),
                          enr_customer_get_account_id (customer));
}

/* What the side pane says of a task the service does not have as it is
 * here (@operation: its first unsettled operation), or NULL. */
static char *
describe_sync (EnrMonitor     *self,
               EnrServiceTask *task,
               EnrOperation   *operation)
{
  const char *action;
  const char *here;

  if (operation == NULL)
    return NULL;

  action = enr_operation_kind_label (enr_operation_get_kind (operation));
  here = enr_task_status_label (enr_service_task_get_status (task));

  switch (enr_operation_get_state (operation))
    {
    case ENR_OPERATION_STATE_CONFLICT:
      {
        g_autoptr(EnrServiceTask) theirs = NULL;
        const char *server_copy = enr_operation_get_server_copy (operation);

        if (server_copy != NULL)
          theirs = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK, server_copy, -1, NULL);
        if (theirs != NULL)
          /* Translators: the side pane of a task in conflict, e.g. "In
           * conflict: Canceled on this computer (Cancel Task), Pending on
           * the service, where someone changed it meanwhile. Use Resolve
           * Conflict… to decide." */
          return g_strdup_printf (_("In conflict: %s on this computer (%s), %s on the service, where someone changed it meanwhile. Use Resolve Conflict… to decide."),
                                  here, action, enr_task_status_label (enr_service_task_get_status (theirs)));

        /* Translators: the side pane of a task in conflict without the service's copy */
        return g_strdup_printf (_("In conflict: %s on this computer (%s); the service has another version. Use Resolve Conflict… to decide."),
                                here, action);
      }

    case ENR_OPERATION_STATE_REJECTED:
      {
        const char *reason = enr_operation_get_reason (operation);

        /* Translators: the side pane of a task whose change the service
         * refused, e.g. "The service refused Reschedule: the slot is
         * full. Use Resolve Conflict… to decide." */
        return g_strdup_printf (_("The service refused %s: %s Use Resolve Conflict… to decide."),
                                action, reason != NULL ? reason : _("it gave no reason."));
      }

    default:
      /* Translators: the side pane of a task changed here and not sent
       * yet, e.g. "Canceled on this computer only: Cancel Task waits to
       * be sent to the service." */
      return g_strdup_printf (_("%s on this computer only: %s waits to be sent to the service."),
                              here, action);
    }
}

void
_enr_monitor_refresh_details (EnrMonitor *self)
{
  g_autoptr(GPtrArray) operations = NULL;
  g_autofree char *title = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *status = NULL;
  g_autofree char *created = NULL;
  g_autofree char *when = NULL;
  g_autofree char *age = NULL;
  g_autofree char *appointment = NULL;
  g_autofree char *sync_text = NULL;
  const char * const *reasons;
  EnrOperation *unsent = NULL;
  EnrServiceTask *task;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_object (&self->selected_task);
  g_clear_object (&self->selected_conflict);

  if (self->selected_task_id != NULL && self->available)
    self->selected_task = enr_context_lookup (self->context, ENR_TYPE_SERVICE_TASK, self->selected_task_id);

  if ((task = self->selected_task) == NULL)
    {
      gtk_stack_set_visible_child_name (self->details_stack, "none");
      /* Nothing to act on: Tab goes past the pane, as GtkScrolledWindow
       * would otherwise take the focus itself, a stop with nothing to do. */
      gtk_widget_set_can_focus (self->details_scroller, FALSE);
      enr_task_history_set_task (self->history, NULL);
      _enr_monitor_update_actions (self);
      return;
    }

  operations = enr_monitor_list_task_operations (enr_context_get_store (self->context),
                                                 self->selected_task_id, NULL);
  for (guint i = 0; operations != NULL && i < operations->len; i++)
    {
      EnrOperation *operation = g_ptr_array_index (operations, i);
      EnrOperationState state = enr_operation_get_state (operation);

      if (state == ENR_OPERATION_STATE_CONFLICT || state == ENR_OPERATION_STATE_REJECTED)
        {
          self->selected_conflict = g_object_ref (operation);
          break;
        }
      if (unsent == NULL && state != ENR_OPERATION_STATE_DONE)
        unsent = operation;
    }

  /* The customer's name is the title; the kind and the id under it. */
  gtk_label_set_text (self->task_title,
                      enr_task_formatter_customer_name (self->formatter, enr_service_task_get_customer_id (task)));
  /* Translators: a task's kind and id, e.g. "Enrollment · task-0001" */
  title = g_strdup_printf (_("%s · %s"), enr_task_kind_label (enr_service_task_get_kind (task)),
                           enr_entity_get_id (ENR_ENTITY (task)));
  gtk_label_set_text (self->task_subtitle, title);

  customer = describe_customer (self, task);
  enr_value_label_set (self->customer_value, _("Customer"), customer);
  enr_value_label_set (self->program_value, _("Program"),
                       enr_task_formatter_program_name (self->formatter, enr_service_task_get_program_id (task)));

  reasons = enr_service_task_get_reasons (task);
  if (enr_service_task_get_status (task) == ENR_TASK_STATUS_ERROR && reasons != NULL && reasons[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv ("; ", (char **) reasons);

      /* Translators: a status and the reasons, e.g. "Error: the program is closed" */
      status = g_strdup_printf (_("%s: %s"), enr_task_status_label (enr_service_task_get_status (task)), joined);
    }
  else
    status = g_strdup (enr_task_status_label (enr_service_task_get_status (task)));
  enr_value_label_set (self->status_value, _("Status"), status);

  when = enr_format_date_time (enr_service_task_get_created_at (task));
  age = enr_task_formatter_age (self->formatter, task, g_get_real_time () / G_USEC_PER_SEC);
  /* Translators: when and by whom a task was created and its age, e.g. "Mon, 1 Jun 2026, 08:00 by clerk (3 days)" */
  created = g_strdup_printf (_("%s by %s (%s)"), when, enr_or_dash (enr_service_task_get_created_by (task)), age);
  enr_value_label_set (self->created_value, _("Created"), created);

  appointment = enr_task_formatter_appointment (self->formatter, task);
  enr_value_label_set (self->appointment_value, _("Appointment"), appointment[0] != '\0' ? appointment : NULL);

  sync_text = describe_sync (self, task, self->selected_conflict != NULL ? self->selected_conflict : unsent);
  gtk_label_set_text (self->conflict_label, sync_text != NULL ? sync_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->conflict_label), sync_text != NULL);

  enr_task_history_set_task (self->history, task);
  gtk_stack_set_visible_child_name (self->details_stack, "task");
  gtk_widget_set_can_focus (self->details_scroller, TRUE);
  _enr_monitor_update_actions (self);
}

static gboolean
on_refresh_idle_cb (gpointer user_data)
{
  EnrMonitor *self = user_data;

  self->refresh_source = 0;
  _enr_monitor_refresh_details (self);
  return G_SOURCE_REMOVE;
}

void
_enr_monitor_queue_refresh (EnrMonitor *self)
{
  if (self->refresh_source == 0 && self->selected_task_id != NULL)
    self->refresh_source = g_idle_add (on_refresh_idle_cb, self);
}

/* Conflicts */

void
_enr_monitor_update_conflicts (EnrMonitor *self)
{
  EnrOutbox *outbox;
  g_autofree char *label = NULL;
  gint64 n = 0;

  if (self->available)
    {
      outbox = enr_store_get_outbox (enr_context_get_store (self->context));
      n = MAX (0, enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, NULL)) +
          MAX (0, enr_outbox_count (outbox, ENR_OPERATION_STATE_REJECTED, NULL));
    }

  self->n_unresolved = (guint) MIN (n, G_MAXUINT);
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Conflict", "%u Conflicts", self->n_unresolved),
                           self->n_unresolved);
  gtk_button_set_label (self->conflicts_button, label);
  enr_widget_set_accessible_label (GTK_WIDGET (self->conflicts_button), label);
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), self->n_unresolved > 0);
  _enr_monitor_update_actions (self);
}

/* Actions */

void
_enr_monitor_update_actions (EnrMonitor *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  EnrServiceTask *task = self->available ? self->selected_task : NULL;

  gtk_widget_action_set_enabled (widget, "monitor.open", task != NULL && enr_monitor_task_can_open (task));
  gtk_widget_action_set_enabled (widget, "monitor.cancel", task != NULL && enr_monitor_task_can_cancel (task));
  gtk_widget_action_set_enabled (widget, "monitor.reschedule",
                                 task != NULL && enr_monitor_task_can_reschedule (task));
  gtk_widget_action_set_enabled (widget, "monitor.complete", task != NULL && enr_monitor_task_can_complete (task));
  gtk_widget_action_set_enabled (widget, "monitor.resolve", task != NULL && self->selected_conflict != NULL);
  gtk_widget_action_set_enabled (widget, "monitor.export",
                                 self->available && self->model != NULL && self->export == NULL);
  gtk_widget_action_set_enabled (widget, "monitor.clear-filters", self->available);
  gtk_widget_action_set_enabled (widget, "monitor.show-conflicts", self->available && self->n_unresolved > 0);

  /* What cannot apply to the task is not offered at all (the flow box
   * wraps each button in a child of its own). */
  gtk_widget_set_visible (gtk_widget_get_parent (self->open_button),
                          task != NULL && enr_monitor_task_can_open (task));
  gtk_widget_set_visible (gtk_widget_get_parent (self->reschedule_button),
                          task != NULL && enr_monitor_task_can_reschedule (task));
  gtk_widget_set_visible (gtk_widget_get_parent (self->complete_button),
                          task != NULL && enr_monitor_task_can_complete (task));
  gtk_widget_set_visible (gtk_widget_get_parent (self->resolve_button),
                          task != NULL && self->selected_conflict != NULL);
  gtk_widget_set_visible (gtk_widget_get_parent (self->cancel_button),
                          task != NULL && enr_monitor_task_can_cancel (task));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  if (self->selected_task == NULL)
    return;

  flow = enr_monitor_open_flow (self->context, self->selected_task, &error);
  if (flow == NULL)
    {
      _enr_monitor_show_error (self, _("The process flow cannot be opened"), error);
      return;
    }

  enr_assistant_open (widget, self->context, flow);
}

static void
on_dialog_done_cb (EnrMonitor *self)
{
  _enr_monitor_refresh_details (self);
}

/* A dialog that acts on the selected task and says "done" after. */
static void
present_task_dialog (EnrMonitor    *self,
                     EnrTaskDialog *dialog)
{
  g_signal_connect_object (dialog, "done", G_CALLBACK (on_dialog_done_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);

  if (self->selected_task != NULL)
    present_task_dialog (self, ENR_TASK_DIALOG (enr_cancel_task_dialog_new (_enr_monitor_get_parent_window (self),
                                                                            self->context, self->selected_task)));
}

static void
reschedule_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);

  if (self->selected_task != NULL)
    present_task_dialog (self, ENR_TASK_DIALOG (enr_reschedule_dialog_new (_enr_monitor_get_parent_window (self),
                                                                           self->context, self->selected_task)));
}

static void
on_complete_response_cb (GtkDialog  *dialog,
                         int         response,
                         EnrMonitor *self)
{
  g_autoptr(EnrServiceTask) task = g_steal_pointer (&self->completing_task);
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && task != NULL)
    {
      if (!enr_monitor_complete_field_work (self->context, task, &error))
        _enr_monitor_show_error (self, _("The field work could not be marked completed"), error);
      _enr_monitor_refresh_details (self);
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
complete_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);
  GtkWidget *dialog;
  GtkWidget *button;

  if (self->selected_task == NULL)
    return;

  dialog = gtk_message_dialog_new (_enr_monitor_get_parent_window (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   "%s", _("Mark the field work completed?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("The task becomes Completed and its appointments completed; "
                                              "the service then activates or ends the subscription."));
  enr_button_set_accessible_name (gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Not Yet"), GTK_RESPONSE_CANCEL));
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Mark Completed"), GTK_RESPONSE_ACCEPT);
  enr_button_set_accessible_name (button);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (dialog, "complete-field-work-dialog");

  /* The dialog is modal: one task at a time waits for the answer. */
  g_set_object (&self->completing_task, self->selected_task);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_complete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_conflict (EnrMonitor   *self,
               EnrOperation *operation)
{
  EnrConflictDialog *dialog;

  dialog = enr_conflict_dialog_new (_enr_monitor_get_parent_window (self), self->context, operation);
  g_signal_connect_object (dialog, "resolved", G_CALLBACK (on_dialog_done_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);

  if (self->selected_conflict != NULL)
    open_conflict (self, self->selected_conflict);
}

static void
show_conflicts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);
  g_autoptr(GPtrArray) unresolved = NULL;
  g_autoptr(GError) error = NULL;
  EnrOperation *first;

  unresolved = enr_monitor_list_unresolved (enr_context_get_store (self->context), &error);
  if (unresolved == NULL)
    {
      _enr_monitor_show_error (self, _("The conflicts cannot be read"), error);
      return;
    }
  if (unresolved->len == 0)
    return;

  first = g_ptr_array_index (unresolved, 0);
  if (g_strcmp0 (enr_operation_get_entity_type (first), enr_store_type_get_name (ENR_TYPE_SERVICE_TASK)) == 0)
    enr_monitor_select_task (self, enr_operation_get_entity_id (first));
  open_conflict (self, first);
}

void
_enr_monitor_class_init_details (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "monitor.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "monitor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "monitor.reschedule", NULL, reschedule_action);
  gtk_widget_class_install_action (widget_class, "monitor.complete", NULL, complete_action);
  gtk_widget_class_install_action (widget_class, "monitor.resolve", NULL, resolve_action);
  gtk_widget_class_install_action (widget_class, "monitor.show-conflicts", NULL, show_conflicts_action);
}

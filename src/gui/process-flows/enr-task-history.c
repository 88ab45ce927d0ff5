/* enr-task-history.c — a service task's state changes, its communications
 * and its changes not yet acknowledged by the service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three lists: every recorded transition (from → to, who, when, why), in
 * the order they happened; the customer communications logged for the
 * task (cached from the service); and the operations of the task still in
 * the outbox, with their state (waiting, in conflict, refused) — what a
 * supervisor did offline shows here until the service has it.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-gui-utils.h"
#include "enr-monitor-actions.h"
#include "enr-task-history.h"

struct _EnrTaskHistory
{
  GtkWidget       parent_instance;

  GtkListBox     *transitions_list;
  GtkListBox     *communications_list;
  GtkListBox     *operations_list;
  GtkWidget      *operations_box;

  EnrContext     *context;
  EnrServiceTask *task;
};

G_DEFINE_FINAL_TYPE (EnrTaskHistory, enr_task_history, GTK_TYPE_WIDGET)

static GtkWidget *
create_row (const char *title,
            const char *subtitle,
            const char *detail)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (title);
  g_autoptr(GString) accessible = g_string_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);

  if (subtitle != NULL && subtitle[0] != '\0')
    {
      label = gtk_label_new (subtitle);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
      g_string_append_printf (accessible, ", %s", subtitle);
    }

  if (detail != NULL && detail[0] != '\0')
    {
      label = gtk_label_new (detail);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "reason");
      gtk_box_append (GTK_BOX (box), label);
      g_string_append_printf (accessible, ". %s", detail);
    }

  gtk_widget_add_css_class (box, "list-row-content");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  enr_widget_set_accessible_label (row, accessible->str);

  return row;
}

static void
fill_transitions (EnrTaskHistory *self)
{
  GPtrArray *history = self->task != NULL ? enr_service_task_get_history (self->task) : NULL;

  for (guint i = 0; history != NULL && i < history->len; i++)
    {
      EnrTaskTransition *transition = g_ptr_array_index (history, i);
      EnrTaskStatus from = enr_task_transition_get_from (transition);
      EnrTaskStatus to = enr_task_transition_get_to (transition);
      g_autofree char *title = NULL;
      g_autofree char *when = enr_format_date_time (enr_task_transition_get_at (transition));
      g_autofree char *subtitle = NULL;

      if (i == 0 && from == to)
        title = g_strdup (enr_task_status_label (to));
      else
        /* Translators: a change of status, e.g. "Pending → In Progress" */
        title = g_strdup_printf (_("%s → %s"), enr_task_status_label (from), enr_task_status_label (to));

      /* Translators: who changed the status and when, e.g. "by clerk, Mon, 1 Jun 2026, 08:00" */
      subtitle = g_strdup_printf (_("by %s, %s"), enr_or_dash (enr_task_transition_get_by (transition)), when);

      gtk_list_box_append (self->transitions_list,
                           create_row (title, subtitle, enr_task_transition_get_reason (transition)));
    }

  /* The consent on record, with the task's history: regulators ask for it. */
  if (self->task != NULL && enr_service_task_get_consent (self->task) != NULL)
    {
      EnrConsent *consent = enr_service_task_get_consent (self->task);
      g_autofree char *description = enr_consent_describe (consent);

      if (description != NULL)
        gtk_list_box_append (self->transitions_list,
                             create_row (_("Consent recorded"), description, NULL));
    }
}

static void
fill_communications (EnrTaskHistory *self)
{
  g_autoptr(GPtrArray) communications = NULL;
  g_autoptr(GError) error = NULL;

  communications = enr_store_list (enr_context_get_store (self->context), ENR_TYPE_CUSTOMER_COMMUNICATION,
                                    "service-task-id", enr_entity_get_id (ENR_ENTITY (self->task)), &error);
  if (communications == NULL)
    {
      g_warning ("Could not read the communications of service task %s: %s",
                 enr_entity_get_id (ENR_ENTITY (self->task)), error->message);
      return;
    }

  for (guint i = 0; i < communications->len; i++)
    {
      EnrCustomerCommunication *communication = g_ptr_array_index (communications, i);
      g_autofree char *when = enr_format_date_time (enr_customer_communication_get_created_at (communication));
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      /* Translators: a logged communication: its class and channel, e.g. "Cancellation · Phone" */
      title = g_strdup_printf (_("%s · %s"),
                               enr_or_dash (enr_context_get_code_label (self->context, ENR_CODE_LIST_CLASS,
                                                                        enr_customer_communication_get_class (communication))),
                               enr_or_dash (enr_context_get_code_label (self->context, ENR_CODE_LIST_CHANNEL,
                                                                        enr_customer_communication_get_channel (communication))));
      /* Translators: a communication's category, who logged it and when, e.g. "Verbal · by clerk, Mon, 1 Jun 2026, 08:00" */
      subtitle = g_strdup_printf (_("%s · by %s, %s"),
                                  enr_or_dash (enr_context_get_code_label (self->context, ENR_CODE_LIST_CATEGORY,
                                                                           enr_customer_communication_get_category (communication))),
                                  enr_or_dash (enr_customer_communication_get_created_by (communication)),
                                  when);

      gtk_list_box_append (self->communications_list,
                           create_row (title, subtitle, enr_customer_communication_get_notes (communication)));
    }
}

/* The reason a cancel-task operation carries. */
static char *
operation_reason (EnrOperation *operation)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *body = enr_operation_get_body (operation);

  if (enr_operation_get_kind (operation) != ENR_OPERATION_KIND_CANCEL_TASK || body == NULL)
    return NULL;

  root = enr_json_parse (body, -1, ENR_JSON_MAX_BODY, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  return g_strdup (json_object_get_string_member_with_default (object, "reason", NULL));
}

static void
fill_operations (EnrTaskHistory *self)
{
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GError) error = NULL;

  operations = enr_monitor_list_task_operations (enr_context_get_store (self->context),
                                                 enr_entity_get_id (ENR_ENTITY (self->task)), &error);
  if (operations == NULL)
    {
      g_warning ("Could not read the outbox: %s", error->message);
      return;
    }

  for (guint i = 0; i < operations->len; i++)
    {
      EnrOperation *operation = g_ptr_array_index (operations, i);
      g_autoptr(GDateTime) queued = g_date_time_new_from_unix_utc (enr_operation_get_created_at (operation) / G_USEC_PER_SEC);
      g_autofree char *when = enr_format_date_time (queued);
      g_autofree char *subtitle = NULL;
      g_autofree char *reason = operation_reason (operation);
      g_autoptr(GString) detail = g_string_new (NULL);

      /* Translators: an operation's state and when it was queued, e.g. "Waiting to be sent · queued Mon, 1 Jun 2026, 08:00" */
      subtitle = g_strdup_printf (_("%s · queued %s"), enr_operation_state_label (enr_operation_get_state (operation)), when);

      if (reason != NULL && reason[0] != '\0')
        /* Translators: the reason given for canceling */
        g_string_append_printf (detail, _("Reason: %s"), reason);
      if (enr_operation_get_reason (operation) != NULL)
        g_string_append_printf (detail, "%s%s", detail->len > 0 ? "\n" : "", enr_operation_get_reason (operation));
      else if (enr_operation_get_last_error (operation) != NULL)
        g_string_append_printf (detail, "%s%s", detail->len > 0 ? "\n" : "", enr_operation_get_last_error (operation));

      gtk_list_box_append (self->operations_list,
                           create_row (enr_operation_kind_label (enr_operation_get_kind (operation)),
                                       subtitle, detail->str));
    }

  gtk_widget_set_visible (self->operations_box, operations->len > 0);
}

static void
rebuild (EnrTaskHistory *self)
{
  enr_list_box_remove_all (self->transitions_list);
  enr_list_box_remove_all (self->communications_list);
  enr_list_box_remove_all (self->operations_list);
  gtk_widget_set_visible (self->operations_box, FALSE);

  if (self->task == NULL || self->context == NULL)
    return;

  fill_transitions (self);
  fill_communications (self);
  fill_operations (self);
}

static void
enr_task_history_dispose (GObject *object)
{
  EnrTaskHistory *self = (EnrTaskHistory *) object;

  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_TASK_HISTORY);
  enr_widget_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->task);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (enr_task_history_parent_class)->dispose (object);
}

static void
enr_task_history_class_init (EnrTaskHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_task_history_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/process-flows/enr-task-history.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrTaskHistory, transitions_list);
  gtk_widget_class_bind_template_child (widget_class, EnrTaskHistory, communications_list);
  gtk_widget_class_bind_template_child (widget_class, EnrTaskHistory, operations_list);
  gtk_widget_class_bind_template_child (widget_class, EnrTaskHistory, operations_box);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
enr_task_history_init (EnrTaskHistory *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
enr_task_history_new (void)
{
  return g_object_new (ENR_TYPE_TASK_HISTORY, NULL);
}

void
enr_task_history_set_context (EnrTaskHistory *self,
                              EnrContext     *context)
{
  g_return_if_fail (ENR_IS_TASK_HISTORY (self));
  g_return_if_fail (context == NULL || ENR_IS_CONTEXT (context));

  if (g_set_object (&self->context, context))
    rebuild (self);
}

/**
 * enr_task_history_get_task:
 *
 * Returns: (transfer none) (nullable): the task shown
 */
EnrServiceTask *
enr_task_history_get_task (EnrTaskHistory *self)
{
  g_return_val_if_fail (ENR_IS_TASK_HISTORY (self), NULL);

  return self->task;
}

/**
 * enr_task_history_set_task:
 * @task: (nullable): the task to show; the lists are read again even when
 *   it is the same object
 */
void
enr_task_history_set_task (EnrTaskHistory *self,
                           EnrServiceTask *task)
{
  g_return_if_fail (ENR_IS_TASK_HISTORY (self));
  g_return_if_fail (task == NULL || ENR_IS_SERVICE_TASK (task));

  g_set_object (&self->task, task);
  rebuild (self);
}

GtkWidget *
enr_task_history_get_transitions_list (EnrTaskHistory *self)
{
  g_return_val_if_fail (ENR_IS_TASK_HISTORY (self), NULL);

  return GTK_WIDGET (self->transitions_list);
}

GtkWidget *
enr_task_history_get_communications_list (EnrTaskHistory *self)
{
  g_return_val_if_fail (ENR_IS_TASK_HISTORY (self), NULL);

  return GTK_WIDGET (self->communications_list);
}

GtkWidget *
enr_task_history_get_operations_list (EnrTaskHistory *self)
{
  g_return_val_if_fail (ENR_IS_TASK_HISTORY (self), NULL);

  return GTK_WIDGET (self->operations_list);
}

/* enr-monitor-actions.c — what a supervisor does to a service task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cancel, complete field work and reschedule each write, in one
 * transaction of the client store, the changed task (with its recorded
 * transition), the cached appointments they release, complete or move,
 * the drafts they close, and the operation the service will replay
 * (enr_store_save_task_with_operation_full()).
 * The service re-checks everything and stays authoritative: it refuses
 * a clerk (403), and a task changed meanwhile comes back as a conflict
 * that enr_monitor_resolve_conflict() settles.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-flow-session.h"
#include "enr-core.h"
#include "enr-monitor-actions.h"
#ifdef ENR_GUI_HAVE_SYNC
#include "enr-sync-engine.h"
#endif

/* Predicates */

gboolean
enr_monitor_task_can_open (EnrServiceTask *task)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), FALSE);

  switch (enr_service_task_get_status (task))
    {
    case ENR_TASK_STATUS_PENDING:
    case ENR_TASK_STATUS_VALIDATE:
    case ENR_TASK_STATUS_ERROR:
      return TRUE;

    case ENR_TASK_STATUS_IN_PROGRESS:
    case ENR_TASK_STATUS_COMPLETED:
    case ENR_TASK_STATUS_CANCELED:
    default:
      return FALSE;
    }
}

gboolean
enr_monitor_task_can_cancel (EnrServiceTask *task)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), FALSE);

  return !enr_task_status_is_final (enr_service_task_get_status (task));
}

gboolean
enr_monitor_task_can_complete (EnrServiceTask *task)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), FALSE);

  return enr_service_task_get_status (task) == ENR_TASK_STATUS_IN_PROGRESS;
}

/**
 * enr_monitor_task_booked_appointments:
 *
 * Returns: (transfer full) (element-type EnrAppointment): the task's
 *   booked appointments, earliest first
 */
GPtrArray *
enr_monitor_task_booked_appointments (EnrServiceTask *task)
{
  GPtrArray *booked = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *appointments;

  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), booked);

  appointments = enr_service_task_get_appointments (task);
  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i);

      if (enr_appointment_get_status (appointment) == ENR_APPOINTMENT_STATUS_BOOKED &&
          enr_appointment_get_start (appointment) != NULL)
        g_ptr_array_add (booked, g_object_ref (appointment));
    }

  for (guint i = 1; i < booked->len; i++)
    for (guint j = i; j > 0; j--)
      {
        EnrAppointment *a = g_ptr_array_index (booked, j - 1);
        EnrAppointment *b = g_ptr_array_index (booked, j);

        if (g_date_time_compare (enr_appointment_get_start (a), enr_appointment_get_start (b)) <= 0)
          break;
        booked->pdata[j - 1] = b;
        booked->pdata[j] = a;
      }

  return booked;
}

/**
 * enr_monitor_task_next_appointment:
 *
 * Returns: (transfer none) (nullable): the task's earliest booked appointment
 */
EnrAppointment *
enr_monitor_task_next_appointment (EnrServiceTask *task)
{
  GPtrArray *appointments;
  EnrAppointment *next = NULL;

  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), NULL);

  appointments = enr_service_task_get_appointments (task);
  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i);

      if (enr_appointment_get_status (appointment) != ENR_APPOINTMENT_STATUS_BOOKED ||
          enr_appointment_get_start (appointment) == NULL)
        continue;

      if (next == NULL ||
          g_date_time_compare (enr_appointment_get_start (appointment), enr_appointment_get_start (next)) < 0)
        next = appointment;
    }

  return next;
}

gboolean
enr_monitor_task_can_reschedule (EnrServiceTask *task)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), FALSE);

  return enr_service_task_get_status (task) == ENR_TASK_STATUS_IN_PROGRESS &&
         enr_monitor_task_next_appointment (task) != NULL;
}

/* Helpers */

static EnrServiceTask *
load_task (EnrContext      *context,
           EnrServiceTask  *task,
           GError         **error)
{
  const char *id = enr_entity_get_id (ENR_ENTITY (task));

  if (id == NULL || id[0] == '\0')
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("The service task has no id"));
      return NULL;
    }

  /* The cached record, not a copy a list may have read a while ago. */
  return enr_store_get (enr_context_get_store (context), ENR_TYPE_SERVICE_TASK, id, error);
}

/* @others: records saved with the task (appointments, drafts) */
static gboolean
save_with_operation (EnrStore          *store,
                     EnrServiceTask    *task,
                     GPtrArray         *others,
                     EnrOperationKind   kind,
                     const char        *body,
                     GError           **error)
{
  g_autoptr(EnrOperation) operation = NULL;

  operation = enr_store_save_task_with_operation_full (store, task, others, kind, body, error);
  return operation != NULL;
}

/* Sets the booked appointments of @task to @status, and adds the cached
 * copies the same change applies to (to free or fill their slots). */
static void
set_booked_appointments (EnrStore             *store,
                         EnrServiceTask       *task,
                         EnrAppointmentStatus  status,
                         GPtrArray            *others)
{
  GPtrArray *appointments = enr_service_task_get_appointments (task);

  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i);
      g_autoptr(EnrAppointment) cached = NULL;

      if (enr_appointment_get_status (appointment) != ENR_APPOINTMENT_STATUS_BOOKED)
        continue;

      enr_appointment_set_status (appointment, status);
      cached = enr_store_get (store, ENR_TYPE_APPOINTMENT,
                              enr_entity_get_id (ENR_ENTITY (appointment)), NULL);
      if (cached != NULL)
        {
          enr_appointment_set_status (cached, status);
          g_ptr_array_add (others, g_steal_pointer (&cached));
        }
    }
}

static char *
reason_body (const char *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return enr_json_to_string (root, FALSE);
}

/* Actions */

/**
 * enr_monitor_open_flow:
 *
 * The open draft of @task, else a new one (kept in the store at once) that
 * resumes it on the Customer panel, as the Customer View's Resume does.
 *
 * Returns: (transfer full): the flow to open in an assistant
 */
EnrProcessFlow *
enr_monitor_open_flow (EnrContext      *context,
                       EnrServiceTask  *task,
                       GError         **error)
{
  g_autoptr(EnrServiceTask) current = NULL;
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  EnrStore *store;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), NULL);

  store = enr_context_get_store (context);
  drafts = enr_store_list (store, ENR_TYPE_PROCESS_FLOW, "service-task-id",
                           enr_entity_get_id (ENR_ENTITY (task)), error);
  if (drafts == NULL)
    return NULL;

  for (guint i = 0; i < drafts->len; i++)
    {
      EnrProcessFlow *draft = g_ptr_array_index (drafts, i);

      if (enr_process_flow_get_status (draft) == ENR_FLOW_STATUS_OPEN)
        return g_object_ref (draft);
    }

  if (!(current = load_task (context, task, error)))
    return NULL;

  if (!enr_monitor_task_can_open (current))
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("The service task is %s: it can no longer be edited"),
                   enr_task_status_label (enr_service_task_get_status (current)));
      return NULL;
    }

  flow = enr_flow_session_create_for_task (context, current);
  if (!enr_context_save_draft (context, flow, error))
    return NULL;

  enr_context_notify_flows_changed (context, enr_service_task_get_customer_id (current));
  return g_steal_pointer (&flow);
}

/**
 * enr_monitor_cancel_task:
 * @reason: why; required, it goes with the cancel-task operation and the
 *   service logs it in the cancellation communication
 *
 * The task becomes Canceled (the transition records the supervisor and
 * the reason), its booked appointments are released and its open drafts
 * canceled; cancel-task is queued.
 */
gboolean
enr_monitor_cancel_task (EnrContext      *context,
                         EnrServiceTask  *task,
                         const char      *reason,
                         GError         **error)
{
  g_autoptr(EnrServiceTask) current = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *body = NULL;
  EnrStore *store;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), FALSE);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), FALSE);

  stripped = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  if (stripped[0] == '\0')
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("Give the reason for canceling the service task"));
      return FALSE;
    }

  store = enr_context_get_store (context);
  now = enr_context_get_now (context);

  if (!(current = load_task (context, task, error)) ||
      !enr_service_task_transition (current, ENR_TASK_STATUS_CANCELED,
                                    enr_context_get_username (context), now, stripped, error))
    return FALSE;

  enr_service_task_set_updated_at (current, now);
  set_booked_appointments (store, current, ENR_APPOINTMENT_STATUS_RELEASED, others);

  drafts = enr_store_list (store, ENR_TYPE_PROCESS_FLOW, "service-task-id",
                           enr_entity_get_id (ENR_ENTITY (current)), error);
  if (drafts == NULL)
    return FALSE;

  for (guint i = 0; i < drafts->len; i++)
    {
      EnrProcessFlow *draft = g_ptr_array_index (drafts, i);
      g_autoptr(EnrServiceTask) copy = NULL;

      if (enr_process_flow_get_status (draft) != ENR_FLOW_STATUS_OPEN)
        continue;

      copy = enr_service_task_copy (current);
      enr_process_flow_set_task (draft, copy);
      enr_process_flow_set_updated_at (draft, now);
      if (!enr_process_flow_transition (draft, ENR_FLOW_STATUS_CANCELED, error))
        return FALSE;
      g_ptr_array_add (others, g_object_ref (draft));
    }

  body = reason_body (stripped);
  if (!save_with_operation (store, current, others, ENR_OPERATION_KIND_CANCEL_TASK, body, error))
    return FALSE;

  enr_context_notify_flows_changed (context, enr_service_task_get_customer_id (current));
  return TRUE;
}

/**
 * enr_monitor_complete_field_work:
 *
 * The field work of an In Progress task is done: the task becomes
 * Completed and its booked appointments completed; complete-field-work is
 * queued (the service then activates or ends the subscription).
 */
gboolean
enr_monitor_complete_field_work (EnrContext      *context,
                                 EnrServiceTask  *task,
                                 GError         **error)
{
  g_autoptr(EnrServiceTask) current = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = NULL;
  EnrStore *store;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), FALSE);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), FALSE);

  store = enr_context_get_store (context);
  now = enr_context_get_now (context);

  if (!(current = load_task (context, task, error)))
    return FALSE;

  if (!enr_monitor_task_can_complete (current))
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("Only the field work of a task in progress can be completed"));
      return FALSE;
    }

  if (!enr_service_task_transition (current, ENR_TASK_STATUS_COMPLETED,
                                    enr_context_get_username (context), now,
                                    _("Field work complete"), error))
    return FALSE;

  enr_service_task_set_updated_at (current, now);
  set_booked_appointments (store, current, ENR_APPOINTMENT_STATUS_COMPLETED, others);

  return save_with_operation (store, current, others, ENR_OPERATION_KIND_COMPLETE_FIELD_WORK,
                              NULL, error);
}

/**
 * enr_monitor_reschedule:
 * @moves: (element-type EnrAppointment): the new appointments, each with
 *   the id of the booked appointment of @task it replaces
 *
 * Moves booked appointments of an In Progress task to other slots;
 * reschedule is queued with the moves (the service books them again and
 * reports a slot taken meanwhile as a conflict).
 */
gboolean
enr_monitor_reschedule (EnrContext      *context,
                        EnrServiceTask  *task,
                        GPtrArray       *moves,
                        GError         **error)
{
  g_autoptr(EnrServiceTask) current = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GDateTime) now = NULL;
  GPtrArray *appointments;
  EnrStore *store;
  const char *task_id;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), FALSE);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), FALSE);
  g_return_val_if_fail (moves != NULL, FALSE);

  store = enr_context_get_store (context);
  now = enr_context_get_now (context);

  if (!(current = load_task (context, task, error)))
    return FALSE;

  if (enr_service_task_get_status (current) != ENR_TASK_STATUS_IN_PROGRESS)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("Only the appointments of a task in progress can be rescheduled"));
      return FALSE;
    }

  if (moves->len == 0)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("Choose a new appointment first"));
      return FALSE;
    }

  task_id = enr_entity_get_id (ENR_ENTITY (current));
  appointments = enr_service_task_get_appointments (current);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "appointments");
  json_builder_begin_array (builder);

  for (guint i = 0; i < moves->len; i++)
    {
      EnrAppointment *move = g_ptr_array_index (moves, i);
      const char *id = enr_entity_get_id (ENR_ENTITY (move));
      g_autoptr(EnrAppointment) moved = NULL;
      EnrAppointment *old = NULL;
      guint index = 0;

      for (guint j = 0; appointments != NULL && j < appointments->len; j++)
        {
          EnrAppointment *appointment = g_ptr_array_index (appointments, j);

          if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (appointment)), id) == 0 &&
              enr_appointment_get_status (appointment) == ENR_APPOINTMENT_STATUS_BOOKED)
            {
              old = appointment;
              index = j;
            }
        }

      if (old == NULL ||
          g_strcmp0 (enr_appointment_get_activity_type_id (old), enr_appointment_get_activity_type_id (move)) != 0)
        {
          g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                       _("The task has no booked appointment %s for this activity"),
                       id != NULL ? id : "");
          return FALSE;
        }

      moved = g_object_ref (move);
      enr_appointment_set_service_task_id (moved, task_id);
      enr_appointment_set_status (moved, ENR_APPOINTMENT_STATUS_BOOKED);
      json_builder_add_value (builder, enr_codec_encode (moved));

      /* The task lists the new slot; the cached appointment moves with it. */
      g_ptr_array_index (appointments, index) = g_object_ref (moved);
      g_object_unref (old);
      g_ptr_array_add (others, g_steal_pointer (&moved));
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = enr_json_to_string (root, FALSE);

  enr_service_task_set_updated_at (current, now);
  return save_with_operation (store, current, others, ENR_OPERATION_KIND_RESCHEDULE, body, error);
}

/* Operations */

/**
 * enr_monitor_list_task_operations:
 *
 * Returns: (transfer full) (element-type EnrOperation): the operations of
 *   the task the service has not acknowledged yet, oldest first
 */
GPtrArray *
enr_monitor_list_task_operations (EnrStore    *store,
                                  const char  *task_id,
                                  GError     **error)
{
  g_return_val_if_fail (ENR_IS_STORE (store), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);

  return enr_outbox_list_of_entity (enr_store_get_outbox (store),
                                    enr_store_type_get_name (ENR_TYPE_SERVICE_TASK),
                                    task_id, error);
}

static int
compare_seq (gconstpointer a,
             gconstpointer b)
{
  gint64 sa = enr_operation_get_seq (*(EnrOperation **) a);
  gint64 sb = enr_operation_get_seq (*(EnrOperation **) b);

  return sa < sb ? -1 : sa > sb;
}

/**
 * enr_monitor_list_unresolved:
 *
 * Returns: (transfer full) (element-type EnrOperation): the operations in
 *   conflict or rejected, oldest first
 */
GPtrArray *
enr_monitor_list_unresolved (EnrStore  *store,
                             GError   **error)
{
  EnrOutbox *outbox;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) rejected = NULL;

  g_return_val_if_fail (ENR_IS_STORE (store), NULL);

  outbox = enr_store_get_outbox (store);
  if (!(conflicts = enr_outbox_list (outbox, ENR_OPERATION_STATE_CONFLICT, error)) ||
      !(rejected = enr_outbox_list (outbox, ENR_OPERATION_STATE_REJECTED, error)))
    return NULL;

  for (guint i = 0; i < rejected->len; i++)
    g_ptr_array_add (conflicts, g_object_ref (g_ptr_array_index (rejected, i)));
  g_ptr_array_sort (conflicts, compare_seq);

  return g_steal_pointer (&conflicts);
}

/**
 * enr_monitor_list_unsent_tasks:
 *
 * The service tasks changed on this computer that the service does not
 * have as they are here: with an operation waiting to be sent (or being
 * sent), in conflict or refused.
 *
 * Returns: (transfer full) (element-type utf8 EnrOperationState): task id
 *   → %ENR_OPERATION_STATE_CONFLICT when one of its operations is in
 *   conflict or refused, else %ENR_OPERATION_STATE_PENDING (0: use
 *   g_hash_table_lookup_extended() or _contains()); %NULL with @error set
 */
GHashTable *
enr_monitor_list_unsent_tasks (EnrStore  *store,
                               GError   **error)
{
  static const EnrOperationState states[] = {
    ENR_OPERATION_STATE_PENDING,
    ENR_OPERATION_STATE_IN_FLIGHT,
    ENR_OPERATION_STATE_CONFLICT,
    ENR_OPERATION_STATE_REJECTED,
  };
  g_autoptr(GHashTable) tasks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *task_type = enr_store_type_get_name (ENR_TYPE_SERVICE_TASK);
  EnrOutbox *outbox;

  g_return_val_if_fail (ENR_IS_STORE (store), NULL);

  outbox = enr_store_get_outbox (store);
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autoptr(GPtrArray) operations = enr_outbox_list (outbox, states[i], error);
      EnrOperationState marked = states[i] == ENR_OPERATION_STATE_CONFLICT ||
                                 states[i] == ENR_OPERATION_STATE_REJECTED
                                 ? ENR_OPERATION_STATE_CONFLICT : ENR_OPERATION_STATE_PENDING;

      if (operations == NULL)
        return NULL;

      for (guint j = 0; j < operations->len; j++)
        {
          EnrOperation *operation = g_ptr_array_index (operations, j);

          if (g_strcmp0 (enr_operation_get_entity_type (operation), task_type) != 0)
            continue;
          if (marked == ENR_OPERATION_STATE_PENDING &&
              g_hash_table_contains (tasks, enr_operation_get_entity_id (operation)))
            continue;

          g_hash_table_replace (tasks, g_strdup (enr_operation_get_entity_id (operation)),
                                GINT_TO_POINTER (marked));
        }
    }

  return g_steal_pointer (&tasks);
}

/**
 * enr_monitor_resolve_conflict:
 * @seq: an operation in conflict or rejected
 * @new_flow: (out) (optional) (transfer full): with
 *   %ENR_CONFLICT_CHOICE_SAVE_AS_NEW, the new flow keeping the local work
 *
 * Through the sync engine when there is one (it then counts and sends
 * at once), else through the outbox.
 */
gboolean
enr_monitor_resolve_conflict (EnrContext         *context,
                              gint64              seq,
                              EnrConflictChoice   choice,
                              EnrProcessFlow    **new_flow,
                              GError            **error)
{
  EnrOutbox *outbox;
  g_autoptr(EnrProcessFlow) flow = NULL;
  gboolean ok;
#ifdef ENR_GUI_HAVE_SYNC
  GObject *engine;
#endif

  g_return_val_if_fail (ENR_IS_CONTEXT (context), FALSE);

  if (new_flow != NULL)
    *new_flow = NULL;

  outbox = enr_store_get_outbox (enr_context_get_store (context));

#ifdef ENR_GUI_HAVE_SYNC
  engine = enr_context_get_sync_engine (context);
  if (ENR_IS_SYNC_ENGINE (engine))
    {
      switch (choice)
        {
        case ENR_CONFLICT_CHOICE_KEEP_MINE:
          return enr_sync_engine_keep_mine (ENR_SYNC_ENGINE (engine), seq, error);

        case ENR_CONFLICT_CHOICE_TAKE_THEIRS:
          return enr_sync_engine_take_theirs (ENR_SYNC_ENGINE (engine), seq, error);

        case ENR_CONFLICT_CHOICE_SAVE_AS_NEW:
        default:
          flow = enr_sync_engine_save_as_new (ENR_SYNC_ENGINE (engine), seq, error);
          break;
        }
    }
  else
#endif
    {
      switch (choice)
        {
        case ENR_CONFLICT_CHOICE_KEEP_MINE:
          return enr_outbox_keep_mine (outbox, seq, -1, error);

        case ENR_CONFLICT_CHOICE_TAKE_THEIRS:
          return enr_outbox_take_theirs (outbox, seq, error);

        case ENR_CONFLICT_CHOICE_SAVE_AS_NEW:
        default:
          flow = enr_outbox_save_as_new (outbox, seq, error);
          break;
        }
    }

  ok = flow != NULL;
  if (ok)
    {
      enr_context_notify_flows_changed (context,
                                        enr_service_task_get_customer_id (enr_process_flow_get_task (flow)));
      if (new_flow != NULL)
        *new_flow = g_steal_pointer (&flow);
    }

  return ok;
}

/**
 * enr_operation_kind_label:
 *
 * Returns: the name of the action that queued an operation of @kind, the
 *   same as its button's, wherever the operation is shown (the list's side
 *   pane, the sync indicator, the conflict dialog)
 */
const char *
enr_operation_kind_label (EnrOperationKind kind)
{
  switch (kind)
    {
    case ENR_OPERATION_KIND_CREATE_TASK:
      /* Translators: an action, as its button says: starting a process flow */
      return C_("action", "Enroll or Unenroll");
    case ENR_OPERATION_KIND_SAVE_TASK:
      return C_("action", "Save");
    case ENR_OPERATION_KIND_FINISH_TASK:
      return C_("action", "Finish");
    case ENR_OPERATION_KIND_CANCEL_TASK:
      /* Translators: an action, as its button says (Cancel Process in a
       * process flow's window, Cancel Task… in Process Flows) */
      return C_("action", "Cancel Task");
    case ENR_OPERATION_KIND_CREATE_COMMUNICATION:
      return C_("action", "Log Communication");
    case ENR_OPERATION_KIND_RESCHEDULE:
      return C_("action", "Reschedule");
    case ENR_OPERATION_KIND_COMPLETE_FIELD_WORK:
      return C_("action", "Field Work Done");
    default:
      return "";
    }
}

const char *
enr_operation_state_label (EnrOperationState state)
{
  switch (state)
    {
    case ENR_OPERATION_STATE_PENDING:
      return C_("operation state", "Waiting to be sent");
    case ENR_OPERATION_STATE_IN_FLIGHT:
      return C_("operation state", "Sending");
    case ENR_OPERATION_STATE_DONE:
      return C_("operation state", "Sent");
    case ENR_OPERATION_STATE_CONFLICT:
      return C_("operation state", "In conflict");
    case ENR_OPERATION_STATE_REJECTED:
      return C_("operation state", "Refused by the service");
    default:
      return "";
    }
}

/* test-supervisor.c — the supervisors' maintenance, statistics, export
 * and formatting, without the Process Flows view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sample data set and seven service tasks of every status
 * (client_add_supervisor_tasks()). Every action runs offline and is
 * checked in the store and in the outbox (kind, path, body); conflicts
 * are made in the outbox and resolved through it, as without a sync
 * engine.
 */

#include "config.h"

#include "client-test-util.h"
#include "enr-flow-session.h"
#include "enr-format.h"
#include "enr-monitor-actions.h"
#include "enr-task-export.h"
#include "enr-task-formatter.h"
#include "enr-task-list-model.h"
#include "enr-task-stats.h"

static void
fixture_set_up (ClientFixture *fixture,
                gconstpointer  data)
{
  client_fixture_set_up (fixture, "supervisor", ENR_ROLE_SUPERVISOR);
  client_add_supervisor_tasks (fixture->store, fixture->now);
}

static void
fixture_tear_down (ClientFixture *fixture,
                   gconstpointer  data)
{
  client_fixture_tear_down (fixture);
}

static EnrServiceTask *
task_of (ClientFixture *fixture,
         const char    *id)
{
  return client_get (fixture->store, ENR_TYPE_SERVICE_TASK, id);
}

static EnrAppointment *
copy_appointment (EnrAppointment *appointment)
{
  g_autofree char *json = enr_codec_encode_string (appointment);
  g_autoptr(GError) error = NULL;
  EnrAppointment *copy = enr_codec_decode_data (ENR_TYPE_APPOINTMENT, json, -1, &error);

  g_assert_no_error (error);
  return copy;
}

static EnrTaskTransition *
last_transition (EnrServiceTask *task)
{
  GPtrArray *history = enr_service_task_get_history (task);

  g_assert_cmpuint (history->len, >, 0);
  return g_ptr_array_index (history, history->len - 1);
}

/* The pending operations of KIND, oldest first. */
static GPtrArray *
pending_of_kind (ClientFixture    *fixture,
                 EnrOperationKind  kind)
{
  g_autoptr(GPtrArray) pending = client_list_operations (fixture, ENR_OPERATION_STATE_PENDING);
  GPtrArray *of_kind = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < pending->len; i++)
    if (enr_operation_get_kind (g_ptr_array_index (pending, i)) == kind)
      g_ptr_array_add (of_kind, g_object_ref (g_ptr_array_index (pending, i)));

  return of_kind;
}

/* What each status allows. */
static void
test_predicates (ClientFixture *fixture,
                 gconstpointer  data)
{
  static const struct
  {
    const char *id;
    gboolean    open, cancel, complete, reschedule;
  } cases[] = {
    { "task-m-0001", FALSE, TRUE, TRUE, TRUE },    /* in progress, booked */
    { "task-m-0002", TRUE, TRUE, FALSE, FALSE },   /* pending */
    { "task-m-0003", TRUE, TRUE, FALSE, FALSE },   /* error */
    { "task-m-0004", FALSE, FALSE, FALSE, FALSE }, /* completed */
    { "task-m-0005", FALSE, TRUE, TRUE, FALSE },   /* in progress, nothing booked */
    { "task-m-0006", FALSE, FALSE, FALSE, FALSE }, /* canceled */
    { "task-m-0007", TRUE, TRUE, FALSE, FALSE },   /* validate */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EnrServiceTask) task = task_of (fixture, cases[i].id);

      g_test_message ("%s", cases[i].id);
      g_assert_cmpint (enr_monitor_task_can_open (task), ==, cases[i].open);
      g_assert_cmpint (enr_monitor_task_can_cancel (task), ==, cases[i].cancel);
      g_assert_cmpint (enr_monitor_task_can_complete (task), ==, cases[i].complete);
      g_assert_cmpint (enr_monitor_task_can_reschedule (task), ==, cases[i].reschedule);
    }
}

/* Cancel: a reason is required; the task, its appointments and its open
 * drafts change with cancel-task in one transaction. */
static void
test_cancel (ClientFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(EnrServiceTask) before = task_of (fixture, "task-m-0002");
  g_autoptr(EnrServiceTask) booked = task_of (fixture, "task-m-0001");
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrProcessFlow) draft = NULL;
  g_autoptr(EnrProcessFlow) canceled_draft = NULL;
  g_autoptr(EnrAppointment) appointment = NULL;
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  EnrTaskTransition *transition;
  EnrOperation *operation;

  draft = enr_monitor_open_flow (fixture->context, before, &error);
  g_assert_no_error (error);

  g_assert_false (enr_monitor_cancel_task (fixture->context, before, "  ", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CANCEL_TASK), ==, 0);

  g_assert_true (enr_monitor_cancel_task (fixture->context, before,
                                          " Customer moved, \"no longer\" at the address ", &error));
  g_assert_no_error (error);

  operations = pending_of_kind (fixture, ENR_OPERATION_KIND_CANCEL_TASK);
  g_assert_cmpuint (operations->len, ==, 1);
  operation = g_ptr_array_index (operations, 0);
  g_assert_cmpstr (enr_operation_get_method (operation), ==, "POST");
  g_assert_cmpstr (enr_operation_get_path (operation), ==, "/v1/service-tasks/task-m-0002/cancel");
  g_assert_cmpstr (enr_operation_get_body (operation), ==,
                   "{\"reason\":\"Customer moved, \\\"no longer\\\" at the address\"}");
  g_assert_cmpint (enr_operation_get_base_version (operation), ==, 3);

  task = task_of (fixture, "task-m-0002");
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_CANCELED);
  transition = last_transition (task);
  g_assert_cmpint (enr_task_transition_get_from (transition), ==, ENR_TASK_STATUS_PENDING);
  g_assert_cmpstr (enr_task_transition_get_by (transition), ==, "supervisor");
  g_assert_cmpstr (enr_task_transition_get_reason (transition), ==, "Customer moved, \"no longer\" at the address");

  canceled_draft = enr_store_load_draft (fixture->store, enr_entity_get_id (ENR_ENTITY (draft)), &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_process_flow_get_status (canceled_draft), ==, ENR_FLOW_STATUS_CANCELED);

  /* The task's operations not yet acknowledged, for its history (the
   * draft opened for it queued nothing). */
  listed = enr_monitor_list_task_operations (fixture->store, "task-m-0002", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpint (enr_operation_get_kind (g_ptr_array_index (listed, 0)), ==, ENR_OPERATION_KIND_CANCEL_TASK);

  /* A canceled task cannot be canceled again. */
  g_assert_false (enr_monitor_cancel_task (fixture->context, task, "again", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CANCEL_TASK), ==, 1);

  /* A booked appointment is released with its task. */
  g_assert_true (enr_monitor_cancel_task (fixture->context, booked, "Customer moved", &error));
  g_assert_no_error (error);
  appointment = client_get (fixture->store, ENR_TYPE_APPOINTMENT, "appt-m-0001");
  g_assert_cmpint (enr_appointment_get_status (appointment), ==, ENR_APPOINTMENT_STATUS_RELEASED);
}

/* Complete Field Work: only a task in progress; its appointments too. */
static void
test_complete_field_work (ClientFixture *fixture,
                          gconstpointer  data)
{
  g_autoptr(EnrServiceTask) pending = task_of (fixture, "task-m-0002");
  g_autoptr(EnrServiceTask) in_progress = task_of (fixture, "task-m-0001");
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrAppointment) appointment = NULL;
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (enr_monitor_complete_field_work (fixture->context, pending, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (enr_monitor_complete_field_work (fixture->context, in_progress, &error));
  g_assert_no_error (error);
  task = task_of (fixture, "task-m-0001");
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_COMPLETED);
  g_assert_cmpint (enr_task_transition_get_from (last_transition (task)), ==, ENR_TASK_STATUS_IN_PROGRESS);
  appointment = client_get (fixture->store, ENR_TYPE_APPOINTMENT, "appt-m-0001");
  g_assert_cmpint (enr_appointment_get_status (appointment), ==, ENR_APPOINTMENT_STATUS_COMPLETED);

  operations = pending_of_kind (fixture, ENR_OPERATION_KIND_COMPLETE_FIELD_WORK);
  g_assert_cmpuint (operations->len, ==, 1);
  g_assert_cmpstr (enr_operation_get_path (g_ptr_array_index (operations, 0)), ==,
                   "/v1/service-tasks/task-m-0001/complete-field-work");
}

/* Reschedule: the task and the cached appointment take the new slot,
 * reschedule goes with the move. */
static void
test_reschedule (ClientFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(EnrServiceTask) before = task_of (fixture, "task-m-0001");
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrAppointment) cached = NULL;
  g_autoptr(EnrAppointment) move = NULL;
  g_autoptr(EnrAppointment) wrong = NULL;
  g_autoptr(GPtrArray) moves = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  EnrAppointment *old = g_ptr_array_index (enr_service_task_get_appointments (before), 0);
  JsonObject *moved;

  /* Nothing to move, or a move of an appointment the task does not have. */
  g_assert_false (enr_monitor_reschedule (fixture->context, before, moves, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  wrong = copy_appointment (old);
  enr_entity_set_id (ENR_ENTITY (wrong), "appt-none");
  g_ptr_array_add (moves, g_object_ref (wrong));
  g_assert_false (enr_monitor_reschedule (fixture->context, before, moves, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_ptr_array_set_size (moves, 0);

  /* Two hours later on the same shift. */
  move = copy_appointment (old);
  start = g_date_time_add_hours (enr_appointment_get_start (old), 2);
  end = g_date_time_add_hours (enr_appointment_get_end (old), 2);
  enr_appointment_set_start (move, start);
  enr_appointment_set_end (move, end);
  g_ptr_array_add (moves, g_object_ref (move));
  g_assert_true (enr_monitor_reschedule (fixture->context, before, moves, &error));
  g_assert_no_error (error);

  operations = pending_of_kind (fixture, ENR_OPERATION_KIND_RESCHEDULE);
  g_assert_cmpuint (operations->len, ==, 1);
  g_assert_cmpstr (enr_operation_get_path (g_ptr_array_index (operations, 0)), ==,
                   "/v1/service-tasks/task-m-0001/reschedule");
  body = enr_json_parse (enr_operation_get_body (g_ptr_array_index (operations, 0)), -1, ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (body), "appointments")),
                    ==, 1);
  moved = json_array_get_object_element (json_object_get_array_member (json_node_get_object (body), "appointments"), 0);
  g_assert_cmpstr (json_object_get_string_member (moved, "id"), ==, "appt-m-0001");
  g_assert_cmpstr (json_object_get_string_member (moved, "service_task_id"), ==, "task-m-0001");
  g_assert_cmpstr (json_object_get_string_member (moved, "status"), ==, "booked");

  task = task_of (fixture, "task-m-0001");
  g_assert_true (g_date_time_equal (enr_appointment_get_start (g_ptr_array_index (enr_service_task_get_appointments (task), 0)),
                                    start));
  cached = client_get (fixture->store, ENR_TYPE_APPOINTMENT, "appt-m-0001");
  g_assert_true (g_date_time_equal (enr_appointment_get_start (cached), start));
}

/* Open: the task's open draft, else a new one on the Customer panel;
 * not for a task past editing. */
static void
test_open_flow (ClientFixture *fixture,
                gconstpointer  data)
{
  g_autoptr(EnrServiceTask) error_task = task_of (fixture, "task-m-0003");
  g_autoptr(EnrServiceTask) in_progress = task_of (fixture, "task-m-0001");
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(EnrProcessFlow) again = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (enr_monitor_open_flow (fixture->context, in_progress, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  flow = enr_monitor_open_flow (fixture->context, error_task, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_process_flow_get_service_task_id (flow), ==, "task-m-0003");
  g_assert_cmpint (enr_process_flow_get_current_panel (flow), ==, ENR_PANEL_CUSTOMER);
  drafts = enr_store_list (fixture->store, ENR_TYPE_PROCESS_FLOW, "service-task-id", "task-m-0003", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);

  again = enr_monitor_open_flow (fixture->context, error_task, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (again)), ==, enr_entity_get_id (ENR_ENTITY (flow)));
}

/* Conflicts listed oldest first, then each way of settling one. */
static void
test_conflicts (ClientFixture *fixture,
                gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(GPtrArray) unresolved = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrOperation) kept = NULL;
  g_autoptr(EnrProcessFlow) new_flow = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first, second, third;

  first = client_make_conflict (fixture->store, "task-m-0002");
  second = client_make_conflict (fixture->store, "task-m-0005");
  third = client_make_conflict (fixture->store, "task-m-0003");
  unresolved = enr_monitor_list_unresolved (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unresolved->len, ==, 3);
  g_assert_cmpint (enr_operation_get_seq (g_ptr_array_index (unresolved, 0)), ==, first);
  g_assert_cmpint (enr_operation_get_seq (g_ptr_array_index (unresolved, 2)), ==, third);

  /* Take Theirs: the service's copy wins, the change is dropped. */
  g_assert_true (enr_monitor_resolve_conflict (fixture->context, first, ENR_CONFLICT_CHOICE_TAKE_THEIRS,
                                               NULL, &error));
  g_assert_no_error (error);
  task = task_of (fixture, "task-m-0002");
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_VALIDATE);
  g_assert_cmpint (enr_service_task_get_version (task), ==, 7);

  /* Keep Mine: the change goes again on top of version 7. */
  g_assert_true (enr_monitor_resolve_conflict (fixture->context, second, ENR_CONFLICT_CHOICE_KEEP_MINE,
                                               NULL, &error));
  g_assert_no_error (error);
  kept = enr_outbox_get (outbox, second, &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_operation_get_state (kept), ==, ENR_OPERATION_STATE_PENDING);
  g_assert_cmpint (enr_operation_get_base_version (kept), ==, 7);

  /* Save as New: the local work becomes a new flow with a new task. */
  g_assert_true (enr_monitor_resolve_conflict (fixture->context, third, ENR_CONFLICT_CHOICE_SAVE_AS_NEW,
                                               &new_flow, &error));
  g_assert_no_error (error);
  g_assert_nonnull (new_flow);
  g_assert_cmpstr (enr_process_flow_get_service_task_id (new_flow), !=, "task-m-0003");
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, &error), ==, 0);
  g_clear_pointer (&unresolved, g_ptr_array_unref);
  unresolved = enr_monitor_list_unresolved (fixture->store, &error);
  g_assert_cmpuint (unresolved->len, ==, 0);

  /* An operation that is not in conflict is refused. */
  g_assert_false (enr_monitor_resolve_conflict (fixture->context, second, ENR_CONFLICT_CHOICE_TAKE_THEIRS,
                                                NULL, &error));
  g_assert_nonnull (error);
}

static void
test_operation_labels (void)
{
  for (int kind = ENR_OPERATION_KIND_CREATE_TASK; kind <= ENR_OPERATION_KIND_COMPLETE_FIELD_WORK; kind++)
    g_assert_cmpstr (enr_operation_kind_label (kind), !=, "");
  for (int state = ENR_OPERATION_STATE_PENDING; state <= ENR_OPERATION_STATE_REJECTED; state++)
    g_assert_cmpstr (enr_operation_state_label (state), !=, "");
  g_assert_cmpstr (enr_operation_state_label (ENR_OPERATION_STATE_CONFLICT), ==, "In conflict");
}

static void
on_stats_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EnrTaskStats **stats = user_data;
  g_autoptr(GError) error = NULL;

  *stats = enr_task_stats_load_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
is_nonnull (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* The dashboard's counts: per status, per program, and the tasks in
 * progress by age, as the list's age filter reads them. */
static void
test_statistics (ClientFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(EnrTaskStats) stats = NULL;
  g_autoptr(EnrTaskStats) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL;
  guint min_days, max_days;
  gboolean found = FALSE;

  stats = enr_task_stats_load (enr_store_get_path (fixture->store), fixture->now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (enr_task_stats_get_total (stats), ==, 7);
  g_assert_cmpuint (enr_task_stats_get_status_total (stats, ENR_TASK_STATUS_IN_PROGRESS), ==, 2);
  g_assert_cmpuint (enr_task_stats_get_status_total (stats, ENR_TASK_STATUS_PENDING), ==, 1);
  g_assert_cmpuint (enr_task_stats_get_n_programs (stats), ==, 4);
  for (guint i = 0; i < enr_task_stats_get_n_programs (stats); i++)
    if (g_str_equal (enr_task_stats_get_program_id (stats, i), "prog-tstat"))
      {
        found = TRUE;
        g_assert_cmpuint (enr_task_stats_get_program_total (stats, i), ==, 3);
        g_assert_cmpuint (enr_task_stats_get_count (stats, i, ENR_TASK_STATUS_PENDING), ==, 1);
        g_assert_cmpuint (enr_task_stats_get_count (stats, i, ENR_TASK_STATUS_IN_PROGRESS), ==, 1);
        g_assert_cmpuint (enr_task_stats_get_count (stats, i, ENR_TASK_STATUS_CANCELED), ==, 1);
        g_assert_cmpuint (enr_task_stats_get_count (stats, i, ENR_TASK_STATUS_ERROR), ==, 0);
      }
  g_assert_true (found);

  /* In progress: task-m-0001 (2 days), task-m-0005 (16 days). */
  g_assert_cmpuint (enr_task_stats_get_ageing (stats, ENR_AGE_BUCKET_UNDER_1_DAY), ==, 0);
  g_assert_cmpuint (enr_task_stats_get_ageing (stats, ENR_AGE_BUCKET_1_TO_3_DAYS), ==, 1);
  g_assert_cmpuint (enr_task_stats_get_ageing (stats, ENR_AGE_BUCKET_3_TO_7_DAYS), ==, 0);
  g_assert_cmpuint (enr_task_stats_get_ageing (stats, ENR_AGE_BUCKET_7_TO_14_DAYS), ==, 0);
  g_assert_cmpuint (enr_task_stats_get_ageing (stats, ENR_AGE_BUCKET_OVER_14_DAYS), ==, 1);

  enr_age_bucket_get_days (ENR_AGE_BUCKET_7_TO_14_DAYS, &min_days, &max_days);
  g_assert_cmpuint (min_days, ==, 7);
  g_assert_cmpuint (max_days, ==, 14);
  enr_age_bucket_get_days (ENR_AGE_BUCKET_OVER_14_DAYS, &min_days, &max_days);
  g_assert_cmpuint (min_days, ==, 14);
  g_assert_cmpuint (max_days, ==, 0);
  g_assert_cmpstr (enr_age_bucket_label (ENR_AGE_BUCKET_1_TO_3_DAYS), ==, "1–3 days");

  /* On a worker thread: the same counts. */
  enr_task_stats_load_async (enr_store_get_path (fixture->store), fixture->now, NULL, on_stats_loaded_cb, &loaded);
  g_assert_true (client_wait_until (is_nonnull, &loaded));
  g_assert_cmpuint (enr_task_stats_get_total (loaded), ==, 7);
  g_assert_cmpuint (enr_task_stats_get_ageing (loaded, ENR_AGE_BUCKET_OVER_14_DAYS), ==, 1);

  /* Changed here and not on the service yet: counted apart, by status;
   * a conflict too. */
  {
    g_autoptr(EnrServiceTask) task = task_of (fixture, "task-m-0002");
    g_autoptr(EnrTaskStats) unsent = NULL;
    g_autoptr(GHashTable) tasks = NULL;

    g_assert_cmpuint (enr_task_stats_get_unsent_total (stats), ==, 0);
    g_assert_true (enr_monitor_cancel_task (fixture->context, task, "Duplicate", &error));
    g_assert_no_error (error);
    client_make_conflict (fixture->store, "task-m-0005");

    unsent = enr_task_stats_load (enr_store_get_path (fixture->store), fixture->now, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (enr_task_stats_get_total (unsent), ==, 7);
    g_assert_cmpuint (enr_task_stats_get_unsent_total (unsent), ==, 2);
    g_assert_cmpuint (enr_task_stats_get_conflict_total (unsent), ==, 1);
    for (guint i = 0; i < enr_task_stats_get_n_programs (unsent); i++)
      if (g_str_equal (enr_task_stats_get_program_id (unsent, i), "prog-tstat"))
        {
          g_assert_cmpuint (enr_task_stats_get_count (unsent, i, ENR_TASK_STATUS_CANCELED), ==, 2);
          g_assert_cmpuint (enr_task_stats_get_unsent (unsent, i, ENR_TASK_STATUS_CANCELED), ==, 1);
          g_assert_cmpuint (enr_task_stats_get_unsent (unsent, i, ENR_TASK_STATUS_PENDING), ==, 0);
        }

    tasks = enr_monitor_list_unsent_tasks (fixture->store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_hash_table_size (tasks), ==, 2);
    g_assert_true (g_hash_table_contains (tasks, "task-m-0002"));
    g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (tasks, "task-m-0002")), ==, ENR_OPERATION_STATE_PENDING);
    g_assert_false (g_hash_table_contains (tasks, "task-m-0001"));
    g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (tasks, "task-m-0005")), ==, ENR_OPERATION_STATE_CONFLICT);
  }

  /* A store that is not there: an error, no counts. */
  missing = g_build_filename (fixture->directory, "missing.db", NULL);
  g_assert_null (enr_task_stats_load (missing, fixture->now, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
}

static EnrTaskListModel *
checkup_tasks (ClientFixture *fixture)
{
  EnrTaskListModel *model = g_object_new (ENR_TYPE_TASK_LIST_MODEL,
                                          "store", fixture->store,
                                          "sort", ENR_TASK_SORT_CREATED_AT,
                                          "descending", TRUE,
                                          NULL);

  enr_task_list_model_set_program_id (model, "prog-checkup");
  return model;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Outcome;

static void
on_export_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_clear_error (&outcome->error);
  outcome->ok = enr_task_export_write_finish (ENR_TASK_EXPORT (source), result, &outcome->error);
  outcome->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Outcome *) data)->done;
}

static void
on_n_written_cb (EnrTaskExport *export,
                 GParamSpec    *pspec,
                 guint         *notified)
{
  (*notified)++;
}

/* The list as filtered and sorted, as CSV (RFC 4180), at once or in the
 * background; a stopped export leaves no part of the list behind. */
static void
test_export (ClientFixture *fixture,
             gconstpointer  data)
{
  EnrCustomer *customer = enr_customer_new ();
  g_autoptr(EnrTaskListModel) model = NULL;
  g_autoptr(EnrTaskExport) export = NULL;
  g_autoptr(EnrTaskExport) background = NULL;
  g_autoptr(EnrTaskExport) stopped = NULL;
  g_autoptr(EnrCustomer) fourth = client_get (fixture->store, ENR_TYPE_CUSTOMER, "cust-0004");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };
  g_autofree char *path = g_build_filename (fixture->directory, "flows.csv", NULL);
  g_autofree char *async_path = g_build_filename (fixture->directory, "flows-async.csv", NULL);
  g_autofree char *stopped_path = g_build_filename (fixture->directory, "flows-stopped.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *created_text = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) async_file = g_file_new_for_path (async_path);
  g_autoptr(GFile) stopped_file = g_file_new_for_path (stopped_path);
  guint notified = 0;

  enr_csv_append_field (line, "plain");
  enr_csv_append_field (line, "with, comma");
  enr_csv_append_field (line, "say \"hi\"");
  enr_csv_append_field (line, "two\r\nlines");
  enr_csv_append_field (line, NULL);
  enr_csv_append_field (line, "");
  g_assert_cmpstr (line->str, ==, "plain,\"with, comma\",\"say \"\"hi\"\"\",\"two\r\nlines\",,");

  /* A customer whose name needs quoting, with a task of its own. */
  enr_entity_set_id (ENR_ENTITY (customer), "cust-m-quote");
  enr_customer_set_name (customer, "O'Neil, \"Pat\"");
  enr_customer_set_account_id (customer, "RPL-999999");
  client_put (fixture->store, ENR_TYPE_CUSTOMER, customer);
  client_put (fixture->store, ENR_TYPE_SERVICE_TASK,
              client_make_task (fixture->now, "task-m-0008", "cust-m-quote", "prog-checkup",
                                ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_PENDING, "clerk", 3 * DAY + 2 * HOUR));

  model = checkup_tasks (fixture);
  export = enr_task_export_new (fixture->context, model);
  g_assert_cmpuint (enr_task_export_get_n_items (export), ==, 2);
  g_assert_true (enr_task_export_write (export, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (enr_task_export_get_n_written (export), ==, 2);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));

  created = g_date_time_new_from_unix_utc (fixture->now - (3 * DAY + 2 * HOUR));
  created_text = g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ");
  g_string_append (expected, "Task,Customer ID,Customer,Program ID,Program,Kind,Status,Created By,Created At,"
                             "Age (days),Appointment Start,Appointment End,Crew\r\n");
  g_string_append_printf (expected, "task-m-0008,cust-m-quote,\"O'Neil, \"\"Pat\"\"\",prog-checkup,Home Energy Checkup,"
                                    "Enrollment,Pending,clerk,%s,3,,,\r\n", created_text);
  g_clear_pointer (&created_text, g_free);
  g_clear_pointer (&created, g_date_time_unref);
  created = g_date_time_new_from_unix_utc (fixture->now - 8 * DAY);
  created_text = g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ");
  g_string_append_printf (expected, "task-m-0007,cust-0004,%s,prog-checkup,Home Energy Checkup,"
                                    "Enrollment,Validate,clerk,%s,8,,,\r\n",
                          enr_customer_get_name (fourth), created_text);
  g_assert_cmpstr (contents, ==, expected->str);
  g_clear_pointer (&contents, g_free);

  /* In the background, with progress: the same content. */
  background = enr_task_export_new (fixture->context, model);
  g_signal_connect (background, "notify::n-written", G_CALLBACK (on_n_written_cb), &notified);
  enr_task_export_write_async (background, async_file, NULL, on_export_done_cb, &outcome);
  g_assert_true (client_wait_until (is_done, &outcome));
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  g_assert_cmpuint (notified, >, 0);
  g_assert_cmpfloat (enr_task_export_get_fraction (background), ==, 1.0);
  g_assert_true (g_file_get_contents (async_path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, expected->str);
  g_clear_pointer (&contents, g_free);

  /* Stopped once started (the file opened, no row written yet): a file
   * the export created goes, an existing one keeps its contents. */
  stopped = enr_task_export_new (fixture->context, model);
  outcome.done = FALSE;
  enr_task_export_write_async (stopped, stopped_file, cancellable, on_export_done_cb, &outcome);
  g_assert_true (enr_task_export_get_n_items (stopped) == 2);
  g_cancellable_cancel (cancellable);
  g_assert_true (client_wait_until (is_done, &outcome));
  g_assert_false (outcome.ok);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_query_exists (stopped_file, NULL));

  g_clear_object (&stopped);
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  stopped = enr_task_export_new (fixture->context, model);
  outcome.done = FALSE;
  enr_task_export_write_async (stopped, async_file, cancellable, on_export_done_cb, &outcome);
  g_cancellable_cancel (cancellable);
  g_assert_true (client_wait_until (is_done, &outcome));
  g_assert_false (outcome.ok);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&outcome.error);
  g_assert_true (g_file_get_contents (async_path, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, expected->str);
}

/* What the list's cells show: names read once and kept until cleared,
 * ages, the next appointment. */
static void
test_formatter (ClientFixture *fixture,
                gconstpointer  data)
{
  g_autoptr(EnrTaskFormatter) formatter = enr_task_formatter_new (fixture->context);
  g_autoptr(EnrServiceTask) t1 = task_of (fixture, "task-m-0001");
  g_autoptr(EnrServiceTask) t2 = task_of (fixture, "task-m-0002");
  g_autoptr(EnrServiceTask) t4 = task_of (fixture, "task-m-0004");
  g_autoptr(EnrCustomer) customer = client_get (fixture->store, ENR_TYPE_CUSTOMER, "cust-0001");
  g_autofree char *age = NULL;
  g_autofree char *appointment = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *none = NULL;
  EnrAppointment *booked = g_ptr_array_index (enr_service_task_get_appointments (t1), 0);

  g_assert_cmpstr (enr_task_formatter_customer_name (formatter, "cust-0001"), ==, "Maria Gonzalez");
  g_assert_cmpstr (enr_task_formatter_program_name (formatter, "prog-tstat"), ==, "Smart Thermostat Rewards");
  g_assert_cmpstr (enr_task_formatter_crew_name (formatter, "crew-north-day-a"), ==, "North Day Crew A");
  g_assert_cmpstr (enr_task_formatter_customer_name (formatter, "cust-none"), ==, "cust-none");

  /* A renamed customer shows its new name once the names are cleared. */
  enr_customer_set_name (customer, "Maria Gonzalez-Ruiz");
  client_put (fixture->store, ENR_TYPE_CUSTOMER, g_object_ref (customer));
  g_assert_cmpstr (enr_task_formatter_customer_name (formatter, "cust-0001"), ==, "Maria Gonzalez");
  enr_task_formatter_clear (formatter);
  g_assert_cmpstr (enr_task_formatter_customer_name (formatter, "cust-0001"), ==, "Maria Gonzalez-Ruiz");

  age = enr_task_formatter_age (formatter, t1, fixture->now);
  g_assert_cmpstr (age, ==, "2 days");
  g_clear_pointer (&age, g_free);
  age = enr_task_formatter_age (formatter, t2, fixture->now);
  g_assert_cmpstr (age, ==, "5 hours");
  g_clear_pointer (&age, g_free);
  age = enr_task_formatter_age (formatter, t2, fixture->now - 5 * HOUR + 60);
  g_assert_cmpstr (age, ==, "Under an hour");
  g_assert_cmpint (enr_task_age_seconds (t4, fixture->now), ==, 20 * DAY);

  appointment = enr_task_formatter_appointment (formatter, t1);
  expected = enr_format_appointment (enr_appointment_get_start (booked), enr_appointment_get_end (booked),
                                     "North Day Crew A");
  g_assert_cmpstr (appointment, ==, expected);
  none = enr_task_formatter_appointment (formatter, t2);
  g_assert_cmpstr (none, ==, "");
}

/* Dates as the client shows and reads them. */
static void
test_format (void)
{
  static const char * const bad[] = {
    "", "2026-6-1", "2026-06-31", "1899-12-31", "2026/06/01", "2026-06-01 ", "20260601xx", "abcd-ef-gh",
  };
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 6, 1, 8, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_new_utc (2026, 6, 1, 9, 30, 0);
  g_autofree char *iso = NULL;
  g_autofree char *long_date = NULL;
  g_autofree char *with_crew = NULL;
  g_autofree char *without_crew = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *date_time = NULL;
  g_autoptr(GDateTime) local_start = g_date_time_new_local (2026, 6, 1, 8, 0, 0);
  GDate date;

  g_assert_true (enr_parse_iso_date ("2024-02-29", &date));
  g_assert_cmpuint (g_date_get_day (&date), ==, 29);
  g_assert_cmpuint (g_date_get_month (&date), ==, 2);
  iso = enr_format_iso_date (&date);
  g_assert_cmpstr (iso, ==, "2024-02-29");
  long_date = enr_format_date (&date);
  g_assert_cmpstr (long_date, ==, "Thu, 29 Feb 2024");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("%s", bad[i]);
      g_assert_false (enr_parse_iso_date (bad[i], &date));
      g_assert_false (g_date_valid (&date));
    }
  g_assert_false (enr_parse_iso_date (NULL, &date));

  /* One way a date reads: a date alone as in a date and time. */
  g_date_set_dmy (&date, 1, 6, 2026);
  g_clear_pointer (&long_date, g_free);
  long_date = enr_format_date (&date);
  date_time = enr_format_date_time (local_start);
  g_assert_cmpstr (long_date, ==, "Mon, 1 Jun 2026");
  g_assert_true (g_str_has_prefix (date_time, long_date));

  with_crew = enr_format_appointment (start, end, "North Day Crew A");
  without_crew = enr_format_appointment (start, end, NULL);
  g_assert_true (g_str_has_suffix (with_crew, ", North Day Crew A"));
  g_assert_true (g_str_has_prefix (with_crew, without_crew));
  missing = enr_format_date_time (NULL);
  g_assert_cmpstr (missing, ==, "—");
  g_assert_cmpstr (enr_or_dash (NULL), ==, "—");
  g_assert_cmpstr (enr_or_dash (""), ==, "—");
  g_assert_cmpstr (enr_or_dash ("x"), ==, "x");
}

/* A metered service and a device read as the assistant's pages and the
 * Customer View show them, with the entity's id where the number is
 * missing. */
static void
test_describe (void)
{
  g_autoptr(EnrMeteredService) service = enr_metered_service_new ();
  g_autoptr(EnrDevice) device = enr_device_new ();
  g_autofree char *service_text = NULL;
  g_autofree char *service_by_id = NULL;
  g_autofree char *device_text = NULL;
  g_autofree char *device_by_id = NULL;

  enr_entity_set_id (ENR_ENTITY (service), "ms-1");
  enr_metered_service_set_service_type (service, ENR_SERVICE_TYPE_ELECTRIC);
  enr_metered_service_set_status (service, ENR_METERED_SERVICE_STATUS_PENDING_STOP);
  service_by_id = enr_metered_service_describe (service);
  g_assert_cmpstr (service_by_id, ==, "ms-1 — Electric, Pending stop");
  enr_metered_service_set_external_id (service, "SA-3000011");
  service_text = enr_metered_service_describe (service);
  g_assert_cmpstr (service_text, ==, "SA-3000011 — Electric, Pending stop");

  enr_entity_set_id (ENR_ENTITY (device), "dev-1");
  enr_device_set_asset_type (device, ENR_ASSET_TYPE_THERMOSTAT);
  enr_device_set_specification (device, "ECOBEE-SMART-3");
  device_by_id = enr_device_describe (device);
  g_assert_cmpstr (device_by_id, ==, "Thermostat ECOBEE-SMART-3 (serial dev-1)");
  enr_device_set_serial_number (device, "EB3-02375703");
  device_text = enr_device_describe (device);
  g_assert_cmpstr (device_text, ==, "Thermostat ECOBEE-SMART-3 (serial EB3-02375703)");
}

#define ADD(name, func) \
  g_test_add (name, ClientFixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/client/supervisor/predicates", test_predicates);
  ADD ("/client/supervisor/cancel", test_cancel);
  ADD ("/client/supervisor/complete-field-work", test_complete_field_work);
  ADD ("/client/supervisor/reschedule", test_reschedule);
  ADD ("/client/supervisor/open-flow", test_open_flow);
  ADD ("/client/supervisor/conflicts", test_conflicts);
  g_test_add_func ("/client/supervisor/operation-labels", test_operation_labels);
  ADD ("/client/supervisor/statistics", test_statistics);
  ADD ("/client/supervisor/export", test_export);
  ADD ("/client/supervisor/formatter", test_formatter);
  g_test_add_func ("/client/format", test_format);
  g_test_add_func ("/client/format/describe", test_describe);

  return g_test_run ();
}

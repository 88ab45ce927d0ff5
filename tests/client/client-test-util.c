/* client-test-util.c — fixtures of the client suite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "client-test-util.h"
#include "enr-dataset-import.h"

void
client_set_test_today (GDate *today)
{
  g_date_clear (today, 1);
  g_date_set_dmy (today, 1, G_DATE_JUNE, 2026);
  while (g_date_get_weekday (today) == G_DATE_SATURDAY || g_date_get_weekday (today) == G_DATE_SUNDAY)
    g_date_add_days (today, 1);
}

void
client_import_sample (EnrStore    *store,
                      const GDate *today)
{
  const char *source_root = g_getenv ("ENR_SOURCE_ROOT");
  g_autofree char *sample = NULL;
  g_autoptr(GFile) dataset = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (source_root);
  sample = g_build_filename (source_root, "data", "sample", NULL);
  dataset = g_file_new_for_path (sample);
  g_assert_true (enr_dataset_import (store, dataset, today, NULL, &error));
  g_assert_no_error (error);
}

void
client_remove_directory (const char *directory)
{
  g_autoptr(GFile) folder = g_file_new_for_path (directory);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (folder, g_file_info_get_name (info));

      g_file_delete (child, NULL, NULL);
      g_object_unref (info);
    }
  g_file_delete (folder, NULL, NULL);
}

static void
open_store (ClientFixture *fixture,
            const char    *username,
            EnrRole        role)
{
  g_autoptr(GError) error = NULL;

  fixture->store = enr_store_new (fixture->store_path, NULL, &error);
  g_assert_no_error (error);
  fixture->context = enr_context_new (fixture->store, NULL);
  enr_context_set_today (fixture->context, &fixture->today);
  enr_context_set_username (fixture->context, username);
  enr_context_set_role (fixture->context, role);
}

void
client_fixture_set_up (ClientFixture *fixture,
                       const char    *username,
                       EnrRole        role)
{
  g_autoptr(GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("enr-client-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->directory, "store.db", NULL);
  fixture->now = g_get_real_time () / G_USEC_PER_SEC;

  client_set_test_today (&fixture->today);

  open_store (fixture, username, role);
  client_import_sample (fixture->store, &fixture->today);
}

void
client_fixture_reopen (ClientFixture *fixture)
{
  g_autofree char *username = g_strdup (enr_context_get_username (fixture->context));
  EnrRole role = enr_context_get_role (fixture->context);

  g_clear_object (&fixture->context);
  g_clear_object (&fixture->store);
  open_store (fixture, username, role);
}

void
client_fixture_tear_down (ClientFixture *fixture)
{
  g_clear_object (&fixture->context);
  g_clear_object (&fixture->store);
  client_remove_directory (fixture->directory);

  g_clear_pointer (&fixture->store_path, g_free);
  g_clear_pointer (&fixture->directory, g_free);
}

void
client_put (EnrStore *store,
            GType     type,
            gpointer  object)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (objects, object);
  g_assert_true (enr_store_put (store, type, objects, &error));
  g_assert_no_error (error);
}

gpointer
client_get (EnrStore   *store,
            GType       type,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  gpointer object = enr_store_get (store, type, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (object);
  return object;
}

GPtrArray *
client_list_operations (ClientFixture     *fixture,
                        EnrOperationState  state)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *operations = enr_outbox_list (enr_store_get_outbox (fixture->store), state, &error);

  g_assert_no_error (error);
  return operations;
}

guint
client_count_operations (ClientFixture    *fixture,
                         EnrOperationKind  kind)
{
  static const EnrOperationState states[] = {
    ENR_OPERATION_STATE_PENDING, ENR_OPERATION_STATE_IN_FLIGHT, ENR_OPERATION_STATE_DONE,
    ENR_OPERATION_STATE_CONFLICT, ENR_OPERATION_STATE_REJECTED,
  };
  guint n = 0;

  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      g_autoptr(GPtrArray) operations = client_list_operations (fixture, states[s]);

      for (guint i = 0; i < operations->len; i++)
        n += enr_operation_get_kind (g_ptr_array_index (operations, i)) == kind;
    }

  return n;
}

static void
add_transition (EnrServiceTask *task,
                EnrTaskStatus   from,
                EnrTaskStatus   to,
                const char     *by,
                GDateTime      *at,
                const char     *reason)
{
  g_autoptr(EnrTaskTransition) transition = enr_task_transition_new ();

  enr_task_transition_set_from (transition, from);
  enr_task_transition_set_to (transition, to);
  enr_task_transition_set_by (transition, by);
  enr_task_transition_set_at (transition, at);
  enr_task_transition_set_reason (transition, reason);
  enr_service_task_add_transition (task, transition);
}

EnrServiceTask *
client_make_task (gint64         now,
                  const char    *id,
                  const char    *customer_id,
                  const char    *program_id,
                  EnrTaskKind    kind,
                  EnrTaskStatus  status,
                  const char    *created_by,
                  gint64         age)
{
  EnrServiceTask *task = enr_service_task_new ();
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (now - age);
  g_autoptr(GDateTime) later = g_date_time_new_from_unix_utc (now - age + 600);

  enr_entity_set_id (ENR_ENTITY (task), id);
  enr_service_task_set_kind (task, kind);
  enr_service_task_set_status (task, status);
  enr_service_task_set_customer_id (task, customer_id);
  enr_service_task_set_program_id (task, program_id);
  enr_service_task_set_created_by (task, created_by);
  enr_service_task_set_created_at (task, created);
  enr_service_task_set_updated_at (task, later);
  enr_service_task_set_version (task, 3);

  add_transition (task, ENR_TASK_STATUS_PENDING, ENR_TASK_STATUS_PENDING, created_by, created, "Created");
  if (status != ENR_TASK_STATUS_PENDING)
    {
      add_transition (task, ENR_TASK_STATUS_PENDING, ENR_TASK_STATUS_VALIDATE, created_by, later, "Finished");
      if (status != ENR_TASK_STATUS_VALIDATE)
        add_transition (task, ENR_TASK_STATUS_VALIDATE, status, "service", later,
                        status == ENR_TASK_STATUS_ERROR ? "Not eligible" : "Field work outstanding");
    }

  return task;
}

EnrCrewShift *
client_first_shift (EnrStore   *store,
                    const char *crew_id)
{
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GError) error = NULL;
  EnrCrewShift *first = NULL;

  shifts = enr_store_list (store, ENR_TYPE_CREW_SHIFT, "crew-id", crew_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < shifts->len; i++)
    {
      EnrCrewShift *shift = g_ptr_array_index (shifts, i);

      if (first == NULL ||
          g_date_time_compare (enr_crew_shift_get_start (shift), enr_crew_shift_get_start (first)) < 0)
        first = shift;
    }

  g_assert_nonnull (first);
  return g_object_ref (first);
}

void
client_add_supervisor_tasks (EnrStore *store,
                             gint64    now)
{
  g_autoptr(EnrCrewShift) shift = client_first_shift (store, "crew-north-day-a");
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) logged = g_date_time_new_from_unix_utc (now - 2 * DAY);
  const char *reasons[] = { "The customer is not on an eligible rate", NULL };
  EnrServiceTask *t1, *t3;
  EnrAppointment *appointment;
  EnrCustomerCommunication *communication;

  t1 = client_make_task (now, "task-m-0001", "cust-0001", "prog-tstat", ENR_TASK_KIND_ENROLLMENT,
                         ENR_TASK_STATUS_IN_PROGRESS, "clerk", 2 * DAY + HOUR);
  enr_service_task_set_metered_service_id (t1, "ms-0001");
  enr_service_task_set_service_point_id (t1, "sp-0001");
  enr_service_task_set_installation_method (t1, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
  enr_service_task_set_ownership (t1, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);

  appointment = enr_appointment_new ();
  end = g_date_time_add_minutes (enr_crew_shift_get_start (shift), 90);
  enr_entity_set_id (ENR_ENTITY (appointment), "appt-m-0001");
  enr_appointment_set_activity_type_id (appointment, "act-install-tstat");
  enr_appointment_set_crew_id (appointment, "crew-north-day-a");
  enr_appointment_set_crew_shift_id (appointment, enr_entity_get_id (ENR_ENTITY (shift)));
  enr_appointment_set_start (appointment, enr_crew_shift_get_start (shift));
  enr_appointment_set_end (appointment, end);
  enr_appointment_set_service_task_id (appointment, "task-m-0001");
  enr_appointment_set_status (appointment, ENR_APPOINTMENT_STATUS_BOOKED);
  enr_service_task_add_appointment (t1, appointment);
  client_put (store, ENR_TYPE_APPOINTMENT, appointment);
  client_put (store, ENR_TYPE_SERVICE_TASK, t1);

  communication = enr_customer_communication_new ();
  enr_entity_set_id (ENR_ENTITY (communication), "comm-m-0001");
  enr_customer_communication_set_customer_id (communication, "cust-0001");
  enr_customer_communication_set_channel (communication, "phone");
  enr_customer_communication_set_class (communication, "enrollment");
  enr_customer_communication_set_category (communication, "verbal");
  enr_customer_communication_set_notes (communication, "Prefers a morning visit");
  enr_customer_communication_set_service_task_id (communication, "task-m-0001");
  enr_customer_communication_set_program_id (communication, "prog-tstat");
  enr_customer_communication_set_created_by (communication, "clerk");
  enr_customer_communication_set_created_at (communication, logged);
  client_put (store, ENR_TYPE_CUSTOMER_COMMUNICATION, communication);

  client_put (store, ENR_TYPE_SERVICE_TASK,
              client_make_task (now, "task-m-0002", "cust-0002", "prog-tstat", ENR_TASK_KIND_ENROLLMENT,
                                ENR_TASK_STATUS_PENDING, "alex", 5 * HOUR));
  t3 = client_make_task (now, "task-m-0003", "cust-0003", "prog-tou", ENR_TASK_KIND_UNENROLLMENT,
                         ENR_TASK_STATUS_ERROR, "clerk", 10 * DAY);
  enr_service_task_set_reasons (t3, reasons);
  client_put (store, ENR_TYPE_SERVICE_TASK, t3);
  client_put (store, ENR_TYPE_SERVICE_TASK,
              client_make_task (now, "task-m-0004", "cust-0001", "prog-der", ENR_TASK_KIND_ENROLLMENT,
                                ENR_TASK_STATUS_COMPLETED, "alex", 20 * DAY));
  client_put (store, ENR_TYPE_SERVICE_TASK,
              client_make_task (now, "task-m-0005", "cust-0002", "prog-tou", ENR_TASK_KIND_ENROLLMENT,
                                ENR_TASK_STATUS_IN_PROGRESS, "alex", 16 * DAY));
  client_put (store, ENR_TYPE_SERVICE_TASK,
              client_make_task (now, "task-m-0006", "cust-0003", "prog-tstat", ENR_TASK_KIND_UNENROLLMENT,
                                ENR_TASK_STATUS_CANCELED, "supervisor", 4 * DAY));
  client_put (store, ENR_TYPE_SERVICE_TASK,
              client_make_task (now, "task-m-0007", "cust-0004", "prog-checkup", ENR_TASK_KIND_ENROLLMENT,
                                ENR_TASK_STATUS_VALIDATE, "clerk", 8 * DAY));
}

gint64
client_make_conflict (EnrStore   *store,
                      const char *task_id)
{
  g_autoptr(EnrServiceTask) mine = client_get (store, ENR_TYPE_SERVICE_TASK, task_id);
  g_autoptr(EnrServiceTask) theirs = NULL;
  g_autoptr(EnrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = NULL;
  EnrOutbox *outbox = enr_store_get_outbox (store);

  enr_service_task_set_ownership (mine, ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED);
  operation = enr_store_save_task_with_operation (store, mine, ENR_OPERATION_KIND_SAVE_TASK, NULL, &error);
  g_assert_no_error (error);

  theirs = enr_service_task_copy (mine);
  enr_service_task_set_status (theirs, ENR_TASK_STATUS_VALIDATE);
  enr_service_task_set_version (theirs, 7);
  copy = enr_codec_encode_string (theirs);

  g_assert_true (enr_outbox_mark_in_flight (outbox, enr_operation_get_seq (operation), &error));
  g_assert_true (enr_outbox_mark_conflict (outbox, enr_operation_get_seq (operation), copy,
                                           "The record changed at the service", &error));
  g_assert_no_error (error);

  return enr_operation_get_seq (operation);
}

gboolean
client_wait_until (gboolean (*condition) (gpointer),
                   gpointer   data)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }

  return TRUE;
}

/* test-flow-session.c — one open process flow, without its panels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the assistant's panels do through EnrFlowSession, checked in the
 * session and in the store: the factories' defaults, every kind of edit
 * and when it reaches the local draft, validation and eligibility per
 * panel, Save, Finish and Cancel Process with the operations they queue,
 * a flow resumed after a restart, an unenrollment and a program whose
 * type needs no device setup. The sample data set, as on a fixed Monday.
 */

#include "config.h"

#include <string.h>

#include "client-test-util.h"
#include "enr-flow-session.h"

typedef struct
{
  GPtrArray *changes;
} Changes;

static void
on_changed_cb (EnrFlowSession *session,
               const char     *what,
               Changes        *changes)
{
  g_ptr_array_add (changes->changes, g_strdup (what));
}

static gboolean
saw_change (Changes    *changes,
            const char *what)
{
  for (guint i = 0; i < changes->changes->len; i++)
    if (g_str_equal (g_ptr_array_index (changes->changes, i), what))
      return TRUE;

  return FALSE;
}

static void
fixture_set_up (ClientFixture *fixture,
                gconstpointer  data)
{
  client_fixture_set_up (fixture, "clerk", ENR_ROLE_CLERK);
}

static void
fixture_tear_down (ClientFixture *fixture,
                   gconstpointer  data)
{
  client_fixture_tear_down (fixture);
}

/* A new flow kept in the store with its create-task, as the Customer
 * View's Enroll does. */
static EnrFlowSession *
start_enrollment (ClientFixture *fixture,
                  const char    *customer_id,
                  const char    *program_id)
{
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  flow = enr_flow_session_create_enrollment (fixture->context, customer_id, program_id, NULL);
  g_assert_true (enr_context_create_flow (fixture->context, flow, &error));
  g_assert_no_error (error);

  return enr_flow_session_new (fixture->context, flow);
}

static EnrProcessFlow *
stored_draft (ClientFixture  *fixture,
              EnrFlowSession *session)
{
  g_autoptr(GError) error = NULL;
  EnrProcessFlow *flow;

  flow = enr_store_load_draft (fixture->store,
                               enr_entity_get_id (ENR_ENTITY (enr_flow_session_get_flow (session))),
                               &error);
  g_assert_no_error (error);
  g_assert_nonnull (flow);
  return flow;
}

static void
answer (EnrFlowSession *session,
        const char     *question_id,
        const char     *value)
{
  const char *values[] = { value, NULL };

  enr_flow_session_set_answer (session, question_id, values, FALSE);
}

static void
fill_interaction (EnrFlowSession *session,
                  EnrPanel        panel,
                  const char     *notes)
{
  enr_flow_session_set_interaction (session, panel, ENR_INTERACTION_FIELD_CHANNEL, "phone", FALSE);
  enr_flow_session_set_interaction (session, panel, ENR_INTERACTION_FIELD_CLASS, "enrollment", FALSE);
  enr_flow_session_set_interaction (session, panel, ENR_INTERACTION_FIELD_CATEGORY, "verbal", FALSE);
  enr_flow_session_set_interaction (session, panel, ENR_INTERACTION_FIELD_NOTES, notes, FALSE);
}

/* The first slot of @shift for @activity_type_id, as the appointment
 * picker offers it. */
static EnrSlot *
slot_of_shift (EnrCrewShift *shift,
               const char   *crew_name,
               const char   *activity_type_id)
{
  EnrSlot *slot = enr_slot_new ();
  g_autoptr(GDateTime) end = g_date_time_add_minutes (enr_crew_shift_get_start (shift), 90);

  enr_slot_set_crew_id (slot, enr_crew_shift_get_crew_id (shift));
  enr_slot_set_crew_name (slot, crew_name);
  enr_slot_set_crew_shift_id (slot, enr_entity_get_id (ENR_ENTITY (shift)));
  enr_slot_set_activity_type_id (slot, activity_type_id);
  enr_slot_set_start (slot, enr_crew_shift_get_start (shift));
  enr_slot_set_end (slot, end);
  return slot;
}

static gboolean
has_activity (GPtrArray  *activities,
              const char *id)
{
  for (guint i = 0; activities != NULL && i < activities->len; i++)
    if (g_strcmp0 (enr_entity_get_id (g_ptr_array_index (activities, i)), id) == 0)
      return TRUE;

  return FALSE;
}

/* An enrollment from the first panel to Finish, as the full walk of the
 * UI tests does. */
static void
test_enrollment (ClientFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(EnrFlowSession) session = start_enrollment (fixture, "cust-0001", "prog-tstat");
  g_autoptr(EnrCrewShift) shift = client_first_shift (fixture->store, "crew-north-day-a");
  g_autoptr(EnrSlot) slot = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(EnrEligibilityResult) eligibility = NULL;
  g_autoptr(EnrProcessFlow) stored = NULL;
  g_autoptr(GError) error = NULL;
  EnrServiceTask *task;
  EnrAppointment *appointment;
  EnrStepPlan *plan;

  /* The factory's defaults: the customer's active electric service, its
   * point and location, the program; a pending task on the Customer panel. */
  task = enr_flow_session_get_task (session);
  g_assert_cmpint (enr_flow_session_get_kind (session), ==, ENR_TASK_KIND_ENROLLMENT);
  g_assert_true (enr_flow_session_is_open (session));
  g_assert_cmpint (enr_flow_session_get_current_panel (session), ==, ENR_PANEL_CUSTOMER);
  g_assert_cmpstr (enr_service_task_get_customer_id (task), ==, "cust-0001");
  g_assert_cmpstr (enr_service_task_get_program_id (task), ==, "prog-tstat");
  g_assert_cmpstr (enr_service_task_get_metered_service_id (task), ==, "ms-0001");
  g_assert_cmpstr (enr_service_task_get_service_point_id (task), ==, "sp-0001");
  g_assert_nonnull (enr_service_task_get_device_location_id (task));
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_PENDING);
  g_assert_cmpstr (enr_customer_get_name (enr_flow_session_get_customer (session)), ==, "Maria Gonzalez");
  g_assert_cmpstr (enr_program_get_name (enr_flow_session_get_program (session)), ==, "Smart Thermostat Rewards");
  g_assert_nonnull (enr_flow_session_get_service_point (session));
  g_assert_nonnull (enr_flow_session_get_task_type (session));
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK), ==, 1);

  plan = enr_flow_session_get_plan (session);
  g_assert_cmpuint (enr_step_plan_get_n_steps (plan), ==, 4);
  g_assert_false (enr_step_plan_is_skipped (plan, ENR_PANEL_DEVICE_SETUP));

  /* Customer: a partial interaction is an error; a whole one is not. */
  enr_flow_session_set_interaction (session, ENR_PANEL_CUSTOMER, ENR_INTERACTION_FIELD_NOTES,
                                    "Customer called about the thermostat offer.", FALSE);
  errors = enr_flow_session_validate (session, ENR_PANEL_CUSTOMER);
  g_assert_nonnull (enr_validation_find (errors, ENR_FIELD_INTERACTION_PREFIX "customer:channel"));
  g_clear_pointer (&errors, g_ptr_array_unref);
  fill_interaction (session, ENR_PANEL_CUSTOMER, "Customer called about the thermostat offer.");
  errors = enr_flow_session_validate (session, ENR_PANEL_CUSTOMER);
  g_assert_cmpuint (errors->len, ==, 0);
  g_clear_pointer (&errors, g_ptr_array_unref);
  enr_flow_session_set_current_panel (session, ENR_PANEL_PROGRAM);

  /* Program Enrollment: the required questions first. */
  errors = enr_flow_session_validate (session, ENR_PANEL_PROGRAM);
  g_assert_nonnull (enr_validation_find (errors, ENR_FIELD_ANSWER_PREFIX "q-tstat-cac"));
  g_assert_nonnull (enr_validation_find (errors, ENR_FIELD_ANSWER_PREFIX "q-tstat-own"));
  g_clear_pointer (&errors, g_ptr_array_unref);
  answer (session, "q-tstat-cac", "yes");
  answer (session, "q-tstat-own", "Own");
  answer (session, "q-tstat-heard", "Bill insert");
  answer (session, "q-tstat-hvac", "2025-09-15");
  errors = enr_flow_session_validate (session, ENR_PANEL_PROGRAM);
  g_assert_cmpuint (errors->len, ==, 0);
  g_clear_pointer (&errors, g_ptr_array_unref);
  eligibility = enr_flow_session_check_eligibility (session, TRUE);
  g_assert_true (enr_eligibility_result_is_eligible (eligibility));
  enr_flow_session_set_current_panel (session, ENR_PANEL_DEVICE_SETUP);

  /* Device Setup: a utility installation needs its appointment. */
  enr_flow_session_set_installation_method (session, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
  enr_flow_session_set_ownership (session, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
  g_assert_true (has_activity (enr_flow_session_get_appointment_activities (session), "act-install-tstat"));
  errors = enr_flow_session_validate (session, ENR_PANEL_DEVICE_SETUP);
  g_assert_nonnull (enr_validation_find (errors, ENR_FIELD_APPOINTMENT_PREFIX "act-install-tstat"));
  g_clear_pointer (&errors, g_ptr_array_unref);

  slot = slot_of_shift (shift, "North Day Crew A", "act-install-tstat");
  enr_flow_session_set_appointment (session, "act-install-tstat", slot);
  appointment = enr_flow_session_get_appointment (session, "act-install-tstat");
  g_assert_nonnull (appointment);
  g_assert_cmpstr (enr_appointment_get_crew_id (appointment), ==, "crew-north-day-a");
  fill_interaction (session, ENR_PANEL_DEVICE_SETUP, "Installation booked.");
  errors = enr_flow_session_validate_all (session);
  g_assert_cmpuint (errors->len, ==, 0);
  g_clear_pointer (&errors, g_ptr_array_unref);
  enr_flow_session_set_current_panel (session, ENR_PANEL_SUMMARY);

  /* Finish: save-task with the last data, then finish-task; Closed. */
  g_assert_true (enr_flow_session_get_dirty (session));
  g_assert_true (enr_flow_session_finish (session, &error));
  g_assert_no_error (error);
  g_assert_false (enr_flow_session_is_open (session));
  g_assert_false (enr_flow_session_get_dirty (session));
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_SAVE_TASK), ==, 1);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_FINISH_TASK), ==, 1);

  stored = stored_draft (fixture, session);
  g_assert_cmpint (enr_process_flow_get_status (stored), ==, ENR_FLOW_STATUS_CLOSED);
  task = enr_process_flow_get_task (stored);
  g_assert_cmpint (enr_service_task_get_installation_method (task), ==, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
  g_assert_cmpint (enr_service_task_get_ownership (task), ==, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
  g_assert_cmpuint (enr_service_task_get_answers (task)->len, ==, 4);
  g_assert_cmpuint (enr_service_task_get_interactions (task)->len, ==, 2);
  g_assert_cmpstr (enr_interaction_get_channel (enr_service_task_get_interaction (task, ENR_PANEL_CUSTOMER)), ==,
                   "phone");
  g_assert_cmpuint (enr_service_task_get_appointments (task)->len, ==, 1);
  g_assert_cmpstr (enr_appointment_get_activity_type_id (g_ptr_array_index (enr_service_task_get_appointments (task), 0)),
                   ==, "act-install-tstat");
}

static gboolean
draft_has_contact_time (gpointer data)
{
  gpointer *args = data;
  g_autoptr(EnrProcessFlow) stored = stored_draft (args[0], args[1]);

  return enr_service_task_find_answer (enr_process_flow_get_task (stored), "q-tstat-contact") != NULL;
}

/* Every edit reaches the local draft: at once, or typing after a short
 * delay (or at a flush); Save queues it; a restart resumes it. */
static void
test_drafts_and_resume (ClientFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(EnrFlowSession) session = start_enrollment (fixture, "cust-0001", "prog-tstat");
  g_autoptr(EnrFlowSession) resumed = NULL;
  g_autoptr(EnrProcessFlow) stored = NULL;
  g_autoptr(EnrProcessFlow) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *flow_id = g_strdup (enr_entity_get_id (ENR_ENTITY (enr_flow_session_get_flow (session))));
  const char *evenings[] = { "Evenings after 6", NULL };
  Changes changes = { g_ptr_array_new_with_free_func (g_free) };
  gpointer args[] = { fixture, session };
  EnrAnswer *contact;

  g_signal_connect (session, "changed", G_CALLBACK (on_changed_cb), &changes);
  g_assert_false (enr_flow_session_get_dirty (session));

  /* A choice: in the draft at once, the panels told what changed. */
  answer (session, "q-tstat-cac", "yes");
  g_assert_true (saw_change (&changes, ENR_FLOW_CHANGE_ANSWERS));
  g_assert_true (enr_flow_session_get_dirty (session));
  stored = stored_draft (fixture, session);
  g_assert_nonnull (enr_service_task_find_answer (enr_process_flow_get_task (stored), "q-tstat-cac"));
  g_clear_object (&stored);

  /* The same answer again changes nothing. */
  g_ptr_array_set_size (changes.changes, 0);
  answer (session, "q-tstat-cac", "yes");
  g_assert_cmpuint (changes.changes->len, ==, 0);

  /* Typing: told at once, written after the delay. */
  enr_flow_session_set_answer (session, "q-tstat-contact", evenings, TRUE);
  g_assert_true (saw_change (&changes, ENR_FLOW_CHANGE_ANSWERS));
  g_assert_false (draft_has_contact_time (args));
  g_assert_true (client_wait_until (draft_has_contact_time, args));

  /* A flush writes what is being typed at once. */
  enr_flow_session_set_interaction (session, ENR_PANEL_PROGRAM, ENR_INTERACTION_FIELD_NOTES,
                                    "Asked by email.", TRUE);
  g_assert_true (enr_flow_session_flush (session, &error));
  g_assert_no_error (error);
  stored = stored_draft (fixture, session);
  g_assert_cmpstr (enr_interaction_get_notes (enr_service_task_get_interaction (enr_process_flow_get_task (stored),
                                                                                ENR_PANEL_PROGRAM)),
                   ==, "Asked by email.");
  g_clear_object (&stored);

  enr_flow_session_set_current_panel (session, ENR_PANEL_PROGRAM);
  g_assert_true (saw_change (&changes, ENR_FLOW_CHANGE_PANEL));

  /* Save: save-task queued, no longer dirty. */
  g_assert_true (enr_flow_session_save (session, &error));
  g_assert_no_error (error);
  g_assert_false (enr_flow_session_get_dirty (session));
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_SAVE_TASK), ==, 1);
  g_clear_object (&session);
  g_ptr_array_unref (changes.changes);

  /* After a restart: the same flow, on the panel it was left on. */
  client_fixture_reopen (fixture);
  loaded = enr_context_load_flow (fixture->context, flow_id, &error);
  g_assert_no_error (error);
  resumed = enr_flow_session_new (fixture->context, loaded);
  g_assert_cmpint (enr_flow_session_get_current_panel (resumed), ==, ENR_PANEL_PROGRAM);
  contact = enr_service_task_find_answer (enr_flow_session_get_task (resumed), "q-tstat-contact");
  g_assert_nonnull (contact);
  g_assert_cmpstr (enr_answer_get_values (contact)[0], ==, "Evenings after 6");
  g_assert_false (enr_flow_session_get_dirty (resumed));
}

/* Not eligible: every reason, clerk-readable. */
static void
test_ineligible (ClientFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(EnrFlowSession) session = start_enrollment (fixture, "cust-0005", "prog-tstat");
  g_autoptr(EnrEligibilityResult) result = NULL;
  g_autofree char *reasons = NULL;

  answer (session, "q-tstat-cac", "no");
  answer (session, "q-tstat-own", "Own");
  result = enr_flow_session_check_eligibility (session, TRUE);
  g_assert_false (enr_eligibility_result_is_eligible (result));
  g_assert_cmpuint (enr_eligibility_result_get_reasons (result)->len, >=, 2);
  reasons = enr_eligibility_result_join_reasons (result, "\n");
  g_assert_nonnull (strstr (reasons, "life-support register"));
  g_assert_nonnull (strstr (reasons, "central air conditioning"));
}

/* Re-enroll needs at least one of the offered devices. */
static void
test_reenroll_requires_a_device (ClientFixture *fixture,
                                 gconstpointer  data)
{
  g_autoptr(EnrFlowSession) session = start_enrollment (fixture, "cust-0009", "prog-tstat");
  g_autoptr(GPtrArray) errors = NULL;
  EnrFieldError *devices;
  GPtrArray *offered;
  const char *device_id;

  enr_flow_session_set_installation_method (session, ENR_INSTALLATION_METHOD_RE_ENROLL);
  enr_flow_session_set_ownership (session, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
  offered = enr_flow_session_get_offered_devices (session);
  g_assert_cmpuint (offered->len, >, 0);

  errors = enr_flow_session_validate (session, ENR_PANEL_DEVICE_SETUP);
  devices = enr_validation_find (errors, ENR_FIELD_DEVICES);
  g_assert_nonnull (devices);
  g_assert_cmpstr (enr_field_error_get_message (devices), ==, "Select at least one device to re-enroll");
  g_clear_pointer (&errors, g_ptr_array_unref);

  device_id = enr_entity_get_id (g_ptr_array_index (offered, 0));
  enr_flow_session_set_device_selected (session, device_id, TRUE);
  g_assert_true (g_strv_contains (enr_service_task_get_device_ids (enr_flow_session_get_task (session)), device_id));
  errors = enr_flow_session_validate (session, ENR_PANEL_DEVICE_SETUP);
  g_assert_null (enr_validation_find (errors, ENR_FIELD_DEVICES));
  g_clear_pointer (&errors, g_ptr_array_unref);

  /* Another method drops the selection. */
  enr_flow_session_set_device_selected (session, device_id, FALSE);
  g_assert_false (g_strv_contains (enr_service_task_get_device_ids (enr_flow_session_get_task (session)), device_id));
}

/* An unenrollment: the subscription's devices go, a stop date is needed
 * (today to start with),
 * the utility's removal books a removal. */
static void
test_unenrollment (ClientFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(EnrProgramSubscription) subscription = client_get (fixture->store, ENR_TYPE_PROGRAM_SUBSCRIPTION, "sub-0001");
  g_autoptr(EnrProcessFlow) flow = enr_flow_session_create_unenrollment (fixture->context, subscription);
  g_autoptr(EnrFlowSession) session = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  EnrServiceTask *task;
  GDate stop;

  g_assert_true (enr_context_create_flow (fixture->context, flow, &error));
  g_assert_no_error (error);
  session = enr_flow_session_new (fixture->context, flow);
  task = enr_flow_session_get_task (session);

  g_assert_cmpint (enr_flow_session_get_kind (session), ==, ENR_TASK_KIND_UNENROLLMENT);
  g_assert_cmpstr (enr_service_task_get_subscription_id (task), ==, "sub-0001");
  g_assert_cmpstr (enr_service_task_get_customer_id (task), ==, "cust-0003");
  g_assert_true (g_strv_contains (enr_service_task_get_device_ids (task), "dev-0003"));
  g_assert_cmpuint (enr_flow_session_get_offered_devices (session)->len, >, 0);

  /* The earliest stop date allowed to start with (the subscription
   * started before today); cleared, it is required. */
  g_assert_nonnull (enr_service_task_get_stop_date (task));
  g_assert_cmpint (g_date_compare (enr_service_task_get_stop_date (task), &fixture->today), ==, 0);
  errors = enr_flow_session_validate (session, ENR_PANEL_PROGRAM);
  g_assert_null (enr_validation_find (errors, ENR_FIELD_STOP_DATE));
  g_clear_pointer (&errors, g_ptr_array_unref);
  enr_flow_session_set_stop_date (session, NULL);
  errors = enr_flow_session_validate (session, ENR_PANEL_PROGRAM);
  g_assert_nonnull (enr_validation_find (errors, ENR_FIELD_STOP_DATE));
  g_clear_pointer (&errors, g_ptr_array_unref);
  stop = fixture->today;
  g_date_add_days (&stop, 14);
  enr_flow_session_set_stop_date (session, &stop);
  errors = enr_flow_session_validate (session, ENR_PANEL_PROGRAM);
  g_assert_null (enr_validation_find (errors, ENR_FIELD_STOP_DATE));
  g_clear_pointer (&errors, g_ptr_array_unref);

  enr_flow_session_set_removal_method (session, ENR_REMOVAL_METHOD_UTILITY_REMOVAL);
  enr_flow_session_set_ownership (session, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
  g_assert_true (has_activity (enr_flow_session_get_appointment_activities (session), "act-remove-device"));
  g_assert_cmpint (enr_service_task_get_removal_method (task), ==, ENR_REMOVAL_METHOD_UTILITY_REMOVAL);
  g_assert_cmpint (g_date_compare (enr_service_task_get_stop_date (task), &stop), ==, 0);
}

/* A program type without a location needs no Device Setup. */
static void
test_location_not_required (ClientFixture *fixture,
                            gconstpointer  data)
{
  g_autoptr(EnrFlowSession) session = start_enrollment (fixture, "cust-0001", "prog-tou");
  EnrStepPlan *plan = enr_flow_session_get_plan (session);

  g_assert_true (enr_step_plan_is_skipped (plan, ENR_PANEL_DEVICE_SETUP));
  g_assert_cmpint (enr_step_plan_next (plan, ENR_PANEL_PROGRAM), ==, ENR_PANEL_SUMMARY);
  g_assert_cmpint (enr_step_plan_previous (plan, ENR_PANEL_SUMMARY), ==, ENR_PANEL_PROGRAM);
  g_assert_cmpint (enr_service_task_get_installation_method (enr_flow_session_get_task (session)), ==,
                   ENR_INSTALLATION_METHOD_NONE);
}

/* Cancel Process: the task Canceled, its appointments released, the flow
 * Canceled, cancel-task queued. */
static void
test_cancel (ClientFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(EnrFlowSession) session = start_enrollment (fixture, "cust-0001", "prog-tstat");
  g_autoptr(EnrCrewShift) shift = client_first_shift (fixture->store, "crew-north-day-a");
  g_autoptr(EnrSlot) slot = slot_of_shift (shift, "North Day Crew A", "act-install-tstat");
  g_autoptr(EnrProcessFlow) stored = NULL;
  g_autoptr(GError) error = NULL;
  EnrServiceTask *task;
  EnrTaskTransition *last;
  GPtrArray *transitions;

  enr_flow_session_set_installation_method (session, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
  enr_flow_session_set_appointment (session, "act-install-tstat", slot);

  g_assert_true (enr_flow_session_cancel (session, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (enr_flow_session_is_open (session));
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CANCEL_TASK), ==, 1);

  stored = stored_draft (fixture, session);
  g_assert_cmpint (enr_process_flow_get_status (stored), ==, ENR_FLOW_STATUS_CANCELED);
  task = enr_process_flow_get_task (stored);
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpint (enr_appointment_get_status (g_ptr_array_index (enr_service_task_get_appointments (task), 0)),
                   ==, ENR_APPOINTMENT_STATUS_RELEASED);
  transitions = enr_service_task_get_history (task);
  last = g_ptr_array_index (transitions, transitions->len - 1);
  g_assert_cmpstr (enr_task_transition_get_by (last), ==, "clerk");

  /* A canceled flow cannot be canceled again; nothing more is queued. */
  g_assert_false (enr_flow_session_cancel (session, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CANCEL_TASK), ==, 1);
}

/* A flow for a service task already at the service (Resume from the
 * Customer View, Open from the Process Flows view). */
static void
test_flow_for_task (ClientFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(EnrFlowSession) session = NULL;

  task = client_make_task (fixture->now, "task-r-0001", "cust-0001", "prog-tstat", ENR_TASK_KIND_ENROLLMENT,
                           ENR_TASK_STATUS_ERROR, "clerk", DAY);
  enr_service_task_set_metered_service_id (task, "ms-0001");
  client_put (fixture->store, ENR_TYPE_SERVICE_TASK, g_object_ref (task));

  flow = enr_flow_session_create_for_task (fixture->context, task);
  g_assert_cmpstr (enr_process_flow_get_service_task_id (flow), ==, "task-r-0001");
  g_assert_cmpint (enr_process_flow_get_status (flow), ==, ENR_FLOW_STATUS_OPEN);
  g_assert_cmpint (enr_process_flow_get_current_panel (flow), ==, ENR_PANEL_CUSTOMER);

  session = enr_flow_session_new (fixture->context, flow);
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (enr_flow_session_get_task (session))), ==, "task-r-0001");
  g_assert_cmpstr (enr_program_get_name (enr_flow_session_get_program (session)), ==, "Smart Thermostat Rewards");
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (enr_flow_session_get_metered_service (session))), ==, "ms-0001");
}

#define ADD(name, func) \
  g_test_add (name, ClientFixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/client/flow-session/enrollment", test_enrollment);
  ADD ("/client/flow-session/drafts-and-resume", test_drafts_and_resume);
  ADD ("/client/flow-session/ineligible", test_ineligible);
  ADD ("/client/flow-session/reenroll-requires-a-device", test_reenroll_requires_a_device);
  ADD ("/client/flow-session/unenrollment", test_unenrollment);
  ADD ("/client/flow-session/location-not-required", test_location_not_required);
  ADD ("/client/flow-session/cancel", test_cancel);
  ADD ("/client/flow-session/flow-for-task", test_flow_for_task);

  return g_test_run ();
}

/* test-monitor-online.c — the supervisors' maintenance actions against the
 * real enrollment service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts enrollment-service on 127.0.0.1 with a fresh database
 * loaded from data/sample (tests/sync's helper), makes the service tasks
 * it needs there as the demo clerk over plain HTTP, then runs the real
 * EnrApplication with its client store in a temporary folder
 * ($ENR_STORE_PATH) and signs in through the sign-in dialog. The steps
 * run from an idle callback once the application is active and iterate
 * the main loop only through wait_until(), which fails after a bounded
 * time. The supervisor works the Process Flows view as a person does
 * (row, button, dialog); what reached the service is read back over HTTP.
 *
 * Conflicts are made as they happen: the client holds a change (its sync
 * engine stopped, as when the service cannot be reached) while the clerk
 * changes the same task on the service; when the engine runs again the
 * service answers 412 and the supervisor resolves the conflict.
 *
 * Runs under a display (xvfb-run) with GSETTINGS_BACKEND=memory and
 * GTK_A11Y=test.
 */

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "enr-application.h"
#include "enr-assistant.h"
#include "enr-cancel-task-dialog.h"
#include "enr-conflict-dialog.h"
#include "enr-sync-indicator.h"
#include "enr-gui-utils.h"
#include "enr-monitor.h"
#include "enr-monitor-actions.h"
#include "enr-reschedule-dialog.h"
#include "enr-sign-in-dialog.h"
#include "enr-sync-engine.h"
#include "enr-task-history.h"
#include "enr-window.h"
#include "sync-test-util.h"
#include "ui-test-util.h"

#define CANCEL_REASON    "Customer moved out of the service area"
#define CLERK_NOTE       "Customer asked to be called back in the evening"

typedef struct
{
  TestService    *service;
  char           *directory;
  char           *store_path;
  GSettings      *settings;
  EnrApplication *app;
  char           *clerk_token;
  char           *supervisor_token;
} Fixture;

/* The service, over HTTP */

static JsonNode *
http (Fixture    *fixture,
      const char *method,
      const char *path,
      const char *token,
      gint64      if_match,
      const char *body,
      guint       expected)
{
  g_autofree char *key = NULL;
  JsonNode *reply;
  guint status = 0;

  if (!g_str_equal (method, "GET"))
    key = g_uuid_string_random ();

  reply = test_http (fixture->service->url, method, path, token, key, if_match, body, &status);
  if (status != expected)
    {
      g_autofree char *text = reply != NULL ? json_to_string (reply, FALSE) : g_strdup ("");

      g_error ("%s %s: %u, not %u: %s", method, path, status, expected, text);
    }

  return reply;
}

static JsonNode *
get_task (Fixture    *fixture,
          const char *task_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s", task_id);

  return http (fixture, "GET", path, fixture->supervisor_token, -1, NULL, 200);
}

static char *
date_from_today (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

/* A pending enrollment made by the clerk; returns its id. */
static char *
create_task (Fixture    *fixture,
             const char *customer_id,
             const char *program_id)
{
  g_autofree char *customer_path = g_strdup_printf ("/v1/customers/%s", customer_id);
  g_autoptr(JsonNode) customer = http (fixture, "GET", customer_path, fixture->clerk_token, -1, NULL, 200);
  g_autofree char *service_id = test_json_string (customer, "$.metered_services[0].id");
  g_autofree char *body = g_strdup_printf ("{\"kind\":\"enrollment\",\"program_id\":\"%s\","
                                           "\"customer_id\":\"%s\",\"metered_service_id\":\"%s\"}",
                                           program_id, customer_id, service_id);
  g_autoptr(JsonNode) task = http (fixture, "POST", "/v1/service-tasks", fixture->clerk_token, -1, body, 201);

  g_assert_cmpint (test_json_int (task, "$.version"), ==, 1);
  return test_json_string (task, "$.id");
}

static JsonObject *
new_answer (const char *question_id,
            const char *value)
{
  JsonObject *answer = json_object_new ();
  JsonArray *values = json_array_new ();

  json_array_add_string_element (values, value);
  json_object_set_string_member (answer, "question_id", question_id);
  json_object_set_array_member (answer, "values", values);
  return answer;
}

static JsonObject *
new_interaction (const char *notes)
{
  JsonObject *interaction = json_object_new ();

  json_object_set_string_member (interaction, "panel", "customer");
  json_object_set_string_member (interaction, "channel", "phone");
  json_object_set_string_member (interaction, "class", "enrollment");
  json_object_set_string_member (interaction, "category", "verbal");
  json_object_set_string_member (interaction, "notes", notes);
  return interaction;
}

/* The clerk saves the task with a note (its version goes up by one). */
static void
clerk_adds_note (Fixture    *fixture,
                 const char *task_id)
{
  g_autoptr(JsonNode) task = get_task (fixture, task_id);
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s", task_id);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) saved = NULL;
  JsonArray *interactions = json_array_new ();
  gint64 version = test_json_int (task, "$.version");

  json_array_add_object_element (interactions, new_interaction (CLERK_NOTE));
  json_object_set_array_member (json_node_get_object (task), "interactions", interactions);
  body = json_to_string (task, FALSE);
  saved = http (fixture, "PUT", path, fixture->clerk_token, version, body, 200);
  g_assert_cmpint (test_json_int (saved, "$.version"), ==, version + 1);
}

/* A thermostat installation finished by the clerk: In Progress, with one
 * booked appointment. */
static char *
create_task_in_progress (Fixture    *fixture,
                         const char *customer_id)
{
  g_autofree char *id = create_task (fixture, customer_id, "prog-tstat");
  g_autofree char *customer_path = g_strdup_printf ("/v1/customers/%s", customer_id);
  g_autofree char *tomorrow = date_from_today (1);
  g_autofree char *slots_path = g_strdup_printf ("/v1/appointment-slots?activity_type=act-install-tstat"
                                                 "&date=%s&days=14", tomorrow);
  g_autofree char *task_path = g_strdup_printf ("/v1/service-tasks/%s", id);
  g_autofree char *finish_path = g_strdup_printf ("/v1/service-tasks/%s/finish", id);
  g_autofree char *start_date = date_from_today (10);
  g_autofree char *location = NULL;
  g_autofree char *body = NULL;
  g_autofree char *status = NULL;
  g_autoptr(JsonNode) customer = http (fixture, "GET", customer_path, fixture->clerk_token, -1, NULL, 200);
  g_autoptr(JsonNode) slots = http (fixture, "GET", slots_path, fixture->clerk_token, -1, NULL, 200);
  g_autoptr(JsonNode) task = get_task (fixture, id);
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(JsonNode) finished = NULL;
  JsonObject *object = json_node_get_object (task);
  JsonObject *slot;
  JsonObject *appointment = json_object_new ();
  JsonArray *answers = json_array_new ();
  JsonArray *appointments = json_array_new ();

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (slots), "items")), >, 0);
  slot = json_array_get_object_element (json_object_get_array_member (json_node_get_object (slots), "items"), 0);
  json_object_set_string_member (appointment, "activity_type_id", json_object_get_string_member (slot, "activity_type_id"));
  json_object_set_string_member (appointment, "crew_id", json_object_get_string_member (slot, "crew_id"));
  json_object_set_string_member (appointment, "crew_shift_id", json_object_get_string_member (slot, "crew_shift_id"));
  json_object_set_string_member (appointment, "start", json_object_get_string_member (slot, "start"));
  json_object_set_string_member (appointment, "end", json_object_get_string_member (slot, "end"));
  json_array_add_object_element (appointments, appointment);

  json_array_add_object_element (answers, new_answer ("q-tstat-cac", "yes"));
  json_array_add_object_element (answers, new_answer ("q-tstat-own", "Own"));

  json_object_set_string_member (object, "start_date", start_date);
  json_object_set_array_member (object, "answers", answers);
  json_object_set_string_member (object, "installation_method", "utility-installation");
  json_object_set_string_member (object, "ownership", "utility-owned");
  location = test_json_string (customer, "$.device_locations[0].id");
  if (location != NULL)
    json_object_set_string_member (object, "device_location_id", location);
  json_object_set_array_member (object, "appointments", appointments);

  body = json_to_string (task, FALSE);
  saved = http (fixture, "PUT", task_path, fixture->clerk_token, 1, body, 200);
  finished = http (fixture, "POST", finish_path, fixture->clerk_token, 2, NULL, 200);
  status = test_json_string (finished, "$.status");
  g_assert_cmpstr (status, ==, "in-progress");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (finished), "appointments")),
                    ==, 1);

  return g_steal_pointer (&id);
}

/* @member of the task's last transition. */
static char *
last_change (JsonNode   *task,
             const char *member)
{
  JsonArray *history = json_object_get_array_member (json_node_get_object (task), "history");
  guint n = json_array_get_length (history);

  g_assert_cmpuint (n, >, 0);
  return g_strdup (json_object_get_string_member_with_default (json_array_get_object_element (history, n - 1),
                                                               member, ""));
}

/* The logged communications of @customer_id about @task_id of @class. */
static GPtrArray *
communications_of (Fixture    *fixture,
                   const char *customer_id,
                   const char *task_id,
                   const char *class)
{
  g_autofree char *path = g_strdup_printf ("/v1/customers/%s/communications?page_size=100", customer_id);
  g_autoptr(JsonNode) reply = http (fixture, "GET", path, fixture->clerk_token, -1, NULL, 200);
  JsonArray *items = json_object_get_array_member (json_node_get_object (reply), "items");
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (item, "service_task_id", ""), task_id) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (item, "class", ""), class) == 0)
        g_ptr_array_add (found, g_strdup (json_object_get_string_member_with_default (item, "notes", "")));
    }

  return found;
}

/* The application */

static EnrStore *
get_store (Fixture *fixture)
{
  return enr_context_get_store (app_context (fixture->app));
}

/* The outbox itself, not the engine's counts (updated when it is idle). */
static gint64
outbox_count (Fixture           *fixture,
              EnrOperationState  state)
{
  g_autoptr(GError) error = NULL;
  gint64 n = enr_outbox_count (enr_store_get_outbox (get_store (fixture)), state, &error);

  g_assert_no_error (error);
  return n;
}

static gboolean
engine_synced (gpointer data)
{
  Fixture *fixture = data;

  return engine_idle (fixture->app) &&
         outbox_count (fixture, ENR_OPERATION_STATE_PENDING) == 0 &&
         outbox_count (fixture, ENR_OPERATION_STATE_IN_FLIGHT) == 0;
}

static gboolean
has_rejected (gpointer app)
{
  EnrSyncEngine *engine = app_engine (app);

  return enr_sync_engine_get_rejected_count (engine) == 1 &&
         enr_sync_engine_get_state (engine) != ENR_SYNC_STATE_SYNCING;
}

/* Signs in through the dialog; the client works as @username then. */
static void
sign_in_as (Fixture    *fixture,
            const char *username,
            const char *password)
{
  sign_in (fixture->app, username, password);
  g_assert_cmpstr (enr_context_get_username (app_context (fixture->app)), ==, username);
}

/* Sends what waits and pulls, until nothing waits. */
static void
sync_all (Fixture *fixture)
{
  enr_sync_engine_sync_now (app_engine (fixture->app));
  wait_long (engine_synced, fixture);
}

/* The monitor */

typedef struct
{
  EnrMonitor *monitor;
  const char *task_id;
} Listed;

static gboolean
is_listed (gpointer data)
{
  Listed *listed = data;
  GListModel *model = G_LIST_MODEL (enr_monitor_get_model (listed->monitor));

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EnrServiceTask) task = g_list_model_get_item (model, i);

      if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (task)), listed->task_id) == 0)
        return TRUE;
    }

  return FALSE;
}

static EnrMonitor *
open_monitor (void)
{
  EnrWindow *window = main_window ();
  EnrMonitor *monitor = ENR_MONITOR (enr_window_get_monitor (window));

  press (find_button (window, "Process Flows"));
  wait_until (is_mapped, monitor);
  g_assert_true (enr_monitor_get_available (monitor));
  return monitor;
}

/* Selects @task_id in the list, as a click on its row does, once a
 * pull has listed it. */
static void
select_task (EnrMonitor *monitor,
             const char *task_id)
{
  Listed listed = { monitor, task_id };

  wait_long (is_listed, &listed);
  select_row (monitor, task_id);
}

typedef struct
{
  EnrMonitor *monitor;
  const char *label;
} Action;

static gboolean
action_shown (gpointer data)
{
  Action *action = data;
  GtkWidget *button = find_widget (enr_monitor_get_details (action->monitor), match_button, action->label);

  return button != NULL && gtk_widget_is_sensitive (button) && gtk_widget_get_mapped (button);
}

/* Presses a button of the selected task's pane once it is offered. */
static void
press_action (EnrMonitor *monitor,
              const char *label)
{
  Action action = { monitor, label };

  wait_until (action_shown, &action);
  press (find_widget (enr_monitor_get_details (monitor), match_button, label));
}

/* Cancels @task_id with CANCEL_REASON through the Cancel Task dialog. */
static void
cancel_task (EnrMonitor *monitor,
             const char *task_id)
{
  EnrCancelTaskDialog *dialog;

  select_task (monitor, task_id);
  press_action (monitor, "Cancel Task…");
  dialog = wait_for_toplevel (ENR_TYPE_CANCEL_TASK_DIALOG);
  gtk_editable_set_text (GTK_EDITABLE (find_by_label (dialog, "Reason")), CANCEL_REASON);
  press (find_button (dialog, "Cancel Task"));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_CANCEL_TASK_DIALOG));
}

static gboolean
says_one_change_is_not_on_service (gpointer popover)
{
  return shows_text (popover, "The change below is not: decide what becomes of it.");
}

/* The sync indicator's popover, opened. */
static GtkWidget *
sync_popover (void)
{
  GtkWidget *slot = GTK_WIDGET (enr_window_get_sync_slot (main_window ()));
  EnrSyncIndicator *sync = ENR_SYNC_INDICATOR (gtk_widget_get_first_child (slot));

  gtk_menu_button_popup (GTK_MENU_BUTTON (enr_sync_indicator_get_button (sync)));
  wait_until (is_mapped, enr_sync_indicator_get_popover (sync));
  return enr_sync_indicator_get_popover (sync);
}

/* Resolves the conflict of @task_id with the dialog's @choice, then
 * syncs: no conflict is left. */
static void
resolve (Fixture    *fixture,
         EnrMonitor *monitor,
         const char *task_id,
         const char *choice)
{
  EnrConflictDialog *dialog;

  select_task (monitor, task_id);
  press_action (monitor, "Resolve Conflict…");
  dialog = wait_for_toplevel (ENR_TYPE_CONFLICT_DIALOG);
  g_assert_true (find_widget (GTK_WIDGET (dialog), match_button, choice) != NULL);
  press (find_button (dialog, choice));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_CONFLICT_DIALOG));
  sync_all (fixture);
  g_assert_cmpuint (enr_sync_engine_get_conflict_count (app_engine (fixture->app)), ==, 0);
}

static GDateTime *
parse_instant (const char *text)
{
  GDateTime *instant = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (instant);
  return instant;
}

/* The fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->service = test_service_start (NULL, NULL);
  fixture->clerk_token = test_sign_in (fixture->service->url, "clerk", TEST_CLERK_PASSWORD);
  fixture->supervisor_token = test_sign_in (fixture->service->url, "supervisor", TEST_SUPERVISOR_PASSWORD);

  fixture->directory = g_dir_make_tmp ("enr-monitor-online-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->directory, "client.db", NULL);

  fixture->settings = online_settings (fixture->service->url, fixture->store_path);
  fixture->app = new_application ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  release_application (&fixture->app);
  test_service_stop (fixture->service);
  g_clear_object (&fixture->settings);
  g_unsetenv ("ENR_STORE_PATH");
  client_remove_directory (fixture->directory);

  g_free (fixture->clerk_token);
  g_free (fixture->supervisor_token);
  g_free (fixture->directory);
  g_free (fixture->store_path);
}

/* Steps */

/* Cancel with a reason, reschedule, complete field work: each reaches
 * the service as the supervisor did it. */
static void
steps_maintenance (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *pending_id = create_task (fixture, "cust-0001", "prog-tou");
  g_autofree char *working_id = create_task_in_progress (fixture, "cust-0001");
  g_autoptr(JsonNode) before = get_task (fixture, working_id);
  g_autofree char *booked_start = test_json_string (before, "$.appointments[0].start");
  g_autofree char *appointment_id = test_json_string (before, "$.appointments[0].id");
  EnrMonitor *monitor;
  EnrRescheduleDialog *reschedule_dialog;
  GtkWidget *picker;

  sign_in_as (fixture, "supervisor", TEST_SUPERVISOR_PASSWORD);
  monitor = open_monitor ();

  /* Cancel, with the reason. */
  {
    g_autoptr(JsonNode) task = NULL;
    g_autoptr(GPtrArray) notes = NULL;
    g_autofree char *status = NULL;
    g_autofree char *by = NULL;
    g_autofree char *reason = NULL;

    cancel_task (monitor, pending_id);
    sync_all (fixture);

    task = get_task (fixture, pending_id);
    status = test_json_string (task, "$.status");
    g_assert_cmpstr (status, ==, "canceled");
    g_assert_cmpint (test_json_int (task, "$.version"), ==, 2);
    by = last_change (task, "by");
    reason = last_change (task, "reason");
    g_assert_cmpstr (by, ==, "supervisor");
    g_assert_cmpstr (reason, ==, CANCEL_REASON);

    /* The service logged the cancellation, with the reason. */
    notes = communications_of (fixture, "cust-0001", pending_id, "cancellation");
    g_assert_cmpuint (notes->len, ==, 1);
    g_assert_nonnull (strstr (g_ptr_array_index (notes, 0), CANCEL_REASON));
  }

  /* Reschedule the appointment: Crew Shift Type → Crew → date → slot. */
  {
    g_autoptr(EnrServiceTask) moved = NULL;
    g_autoptr(JsonNode) task = NULL;
    g_autoptr(GDateTime) old_start = parse_instant (booked_start);
    g_autoptr(GDateTime) service_start = NULL;
    g_autofree char *start = NULL;
    g_autofree char *shift = NULL;
    g_autofree char *status = NULL;
    g_autofree char *id = NULL;
    EnrAppointment *appointment;

    select_task (monitor, working_id);
    press_action (monitor, "Reschedule…");
    reschedule_dialog = wait_for_toplevel (ENR_TYPE_RESCHEDULE_DIALOG);
    g_assert_cmpuint (enr_reschedule_dialog_get_pickers (reschedule_dialog)->len, ==, 1);
    picker = g_ptr_array_index (enr_reschedule_dialog_get_pickers (reschedule_dialog), 0);
    pick_first_slot (picker, "Day", "North Day Crew A");
    press (find_button (reschedule_dialog, "Reschedule"));
    wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_RESCHEDULE_DIALOG));

    /* The slot chosen, as the client keeps it until the service says. */
    moved = client_get (get_store (fixture), ENR_TYPE_SERVICE_TASK, working_id);
    appointment = g_ptr_array_index (enr_service_task_get_appointments (moved), 0);
    g_assert_false (g_date_time_equal (enr_appointment_get_start (appointment), old_start));
    sync_all (fixture);

    task = get_task (fixture, working_id);
    status = test_json_string (task, "$.status");
    g_assert_cmpstr (status, ==, "in-progress");
    id = test_json_string (task, "$.appointments[0].id");
    g_assert_cmpstr (id, ==, appointment_id);
    start = test_json_string (task, "$.appointments[0].start");
    service_start = parse_instant (start);
    g_assert_true (g_date_time_equal (service_start, enr_appointment_get_start (appointment)));
    shift = test_json_string (task, "$.appointments[0].crew_shift_id");
    g_assert_cmpstr (shift, ==, enr_appointment_get_crew_shift_id (appointment));
    g_assert_cmpint (test_json_int (task, "$.version"), ==, 4);
  }

  /* Field work done. */
  {
    g_autoptr(JsonNode) task = NULL;
    g_autoptr(EnrServiceTask) local = NULL;
    g_autofree char *status = NULL;
    g_autofree char *appointment_status = NULL;
    g_autofree char *by = NULL;

    select_task (monitor, working_id);
    press_action (monitor, "Field Work Done…");
    wait_until (message_dialog_open, "complete-field-work-dialog");
    press (find_button (find_message_dialog ("complete-field-work-dialog"), "Mark Completed"));
    sync_all (fixture);

    task = get_task (fixture, working_id);
    status = test_json_string (task, "$.status");
    g_assert_cmpstr (status, ==, "completed");
    appointment_status = test_json_string (task, "$.appointments[0].status");
    g_assert_cmpstr (appointment_status, ==, "completed");
    by = last_change (task, "by");
    g_assert_cmpstr (by, ==, "supervisor");

    /* The pulled change is the local copy now. */
    local = client_get (get_store (fixture), ENR_TYPE_SERVICE_TASK, working_id);
    g_assert_cmpint (enr_service_task_get_status (local), ==, ENR_TASK_STATUS_COMPLETED);
    g_assert_cmpint (enr_service_task_get_version (local), ==, test_json_int (task, "$.version"));
  }

  g_assert_cmpuint (enr_sync_engine_get_conflict_count (app_engine (fixture->app)), ==, 0);
  g_assert_cmpuint (enr_sync_engine_get_rejected_count (app_engine (fixture->app)), ==, 0);
}

/* Keep Mine, Take Theirs, Save as New, each on a conflict made by the
 * clerk changing the task on the service while the supervisor's change
 * waits on this computer. */
static void
steps_conflicts (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *keep_id = create_task (fixture, "cust-0001", "prog-tou");
  g_autofree char *theirs_id = create_task (fixture, "cust-0001", "prog-cg");
  g_autofree char *new_id = create_task (fixture, "cust-0009", "prog-tou");
  EnrSyncEngine *engine;
  EnrMonitor *monitor;

  sign_in_as (fixture, "supervisor", TEST_SUPERVISOR_PASSWORD);
  engine = app_engine (fixture->app);
  monitor = open_monitor ();

  /* Keep Mine: the cancellation goes again, on top of the clerk's save. */
  {
    g_autoptr(JsonNode) task = NULL;
    g_autoptr(EnrServiceTask) local = NULL;
    g_autofree char *status = NULL;
    g_autofree char *by = NULL;
    g_autofree char *reason = NULL;
    g_autofree char *note = NULL;

    enr_sync_engine_stop (engine);
    cancel_task (monitor, keep_id);
    g_assert_cmpint (outbox_count (fixture, ENR_OPERATION_STATE_PENDING), ==, 1);

    clerk_adds_note (fixture, keep_id);
    enr_sync_engine_start (engine);
    wait_long (has_conflict, fixture->app);

    /* Nothing else waits, but the cancellation is not on the service:
     * the popover does not say everything is. */
    {
      GtkWidget *popover = sync_popover ();

      wait_until (says_one_change_is_not_on_service, popover);
      g_assert_false (shows_text (popover, "Everything on this computer is on the service."));
      gtk_popover_popdown (GTK_POPOVER (popover));
    }

    resolve (fixture, monitor, keep_id, "Keep Mine");

    task = get_task (fixture, keep_id);
    status = test_json_string (task, "$.status");
    g_assert_cmpstr (status, ==, "canceled");
    g_assert_cmpint (test_json_int (task, "$.version"), ==, 3);
    by = last_change (task, "by");
    g_assert_cmpstr (by, ==, "supervisor");
    reason = last_change (task, "reason");
    g_assert_cmpstr (reason, ==, CANCEL_REASON);
    note = test_json_string (task, "$.interactions[0].notes");
    g_assert_cmpstr (note, ==, CLERK_NOTE);

    local = client_get (get_store (fixture), ENR_TYPE_SERVICE_TASK, keep_id);
    g_assert_cmpint (enr_service_task_get_status (local), ==, ENR_TASK_STATUS_CANCELED);
    g_assert_cmpint (enr_service_task_get_version (local), ==, 3);
  }

  /* Take Theirs: the cancellation is dropped; the local copy is the
   * service's. */
  {
    g_autoptr(JsonNode) task = NULL;
    g_autoptr(EnrServiceTask) theirs = NULL;
    g_autoptr(EnrServiceTask) local = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *status = NULL;

    enr_sync_engine_stop (engine);
    cancel_task (monitor, theirs_id);
    local = client_get (get_store (fixture), ENR_TYPE_SERVICE_TASK, theirs_id);
    g_assert_cmpint (enr_service_task_get_status (local), ==, ENR_TASK_STATUS_CANCELED);
    g_clear_object (&local);

    clerk_adds_note (fixture, theirs_id);
    enr_sync_engine_start (engine);
    wait_long (has_conflict, fixture->app);

    resolve (fixture, monitor, theirs_id, "Take Theirs");

    task = get_task (fixture, theirs_id);
    status = test_json_string (task, "$.status");
    g_assert_cmpstr (status, ==, "pending");
    g_assert_cmpint (test_json_int (task, "$.version"), ==, 2);
    theirs = enr_codec_decode (ENR_TYPE_SERVICE_TASK, task, &error);
    g_assert_no_error (error);
    local = client_get (get_store (fixture), ENR_TYPE_SERVICE_TASK, theirs_id);
    if (!enr_codec_equal (local, theirs))
      {
        g_autofree char *mine_text = enr_codec_encode_string (local);
        g_autofree char *theirs_text = enr_codec_encode_string (theirs);

        g_error ("The local copy differs from the service's:\n%s\n%s", mine_text, theirs_text);
      }
  }

  /* Save as New: the supervisor's saved flow becomes a new task on the
   * service; the task the clerk canceled stays as the clerk left it. */
  {
    g_autoptr(JsonNode) old = NULL;
    g_autoptr(JsonNode) mine = NULL;
    g_autoptr(JsonNode) listed = NULL;
    g_autoptr(GPtrArray) flows = NULL;
    g_autofree char *cancel_path = g_strdup_printf ("/v1/service-tasks/%s/cancel", new_id);
    g_autofree char *old_status = NULL;
    g_autofree char *old_by = NULL;
    g_autofree char *status = NULL;
    g_autofree char *customer = NULL;
    g_autofree char *program = NULL;
    g_autofree char *created_by = NULL;
    g_autoptr(JsonNode) canceled = NULL;
    const char *mine_id = NULL;
    EnrAssistant *assistant;
    gpointer weak;

    enr_sync_engine_stop (engine);
    select_task (monitor, new_id);
    press_action (monitor, "Open");
    assistant = wait_for_toplevel (ENR_TYPE_ASSISTANT);
    press (find_button (assistant, "Save"));
    g_assert_cmpint (outbox_count (fixture, ENR_OPERATION_STATE_PENDING), ==, 1);
    weak = assistant;
    g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
    gtk_window_close (GTK_WINDOW (assistant));
    wait_until (is_null, &weak);

    canceled = http (fixture, "POST", cancel_path, fixture->clerk_token, 1,
                     "{\"reason\":\"Duplicate request\"}", 200);
    enr_sync_engine_start (engine);
    wait_long (has_conflict, fixture->app);

    resolve (fixture, monitor, new_id, "Save as New");

    /* The new flow, on this computer and on the service. */
    flows = enr_context_list_flows (app_context (fixture->app), "cust-0009");
    for (guint i = 0; i < flows->len; i++)
      {
        EnrProcessFlow *flow = g_ptr_array_index (flows, i);

        if (enr_process_flow_get_status (flow) == ENR_FLOW_STATUS_OPEN &&
            !g_str_equal (enr_process_flow_get_service_task_id (flow), new_id))
          mine_id = enr_process_flow_get_service_task_id (flow);
      }
    g_assert_nonnull (mine_id);
    mine = get_task (fixture, mine_id);
    status = test_json_string (mine, "$.status");
    customer = test_json_string (mine, "$.customer_id");
    program = test_json_string (mine, "$.program_id");
    created_by = test_json_string (mine, "$.created_by");
    g_assert_cmpstr (status, ==, "pending");
    g_assert_cmpstr (customer, ==, "cust-0009");
    g_assert_cmpstr (program, ==, "prog-tou");
    g_assert_cmpstr (created_by, ==, "supervisor");

    old = get_task (fixture, new_id);
    old_status = test_json_string (old, "$.status");
    g_assert_cmpstr (old_status, ==, "canceled");
    g_assert_cmpint (test_json_int (old, "$.version"), ==, test_json_int (canceled, "$.version"));
    old_by = last_change (old, "by");
    g_assert_cmpstr (old_by, ==, "clerk");
    listed = http (fixture, "GET", "/v1/service-tasks?created_by=supervisor", fixture->supervisor_token,
                   -1, NULL, 200);
    g_assert_cmpint (json_array_get_length (json_object_get_array_member (json_node_get_object (listed), "items")), ==, 1);
  }
}

/* A clerk signed in online gets neither the view nor its actions, and
 * the service refuses a supervisor's action with the clerk's token. */
static void
steps_clerk (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *task_id = create_task_in_progress (fixture, "cust-0001");
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s/complete-field-work", task_id);
  g_autofree char *reschedule_path = g_strdup_printf ("/v1/service-tasks/%s/reschedule", task_id);
  g_autofree char *type = NULL;
  g_autofree char *status = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) task = NULL;
  g_autoptr(EnrServiceTask) local = NULL;
  g_autoptr(GError) error = NULL;
  EnrApiClient *client;
  EnrWindow *window;
  EnrMonitor *monitor;
  guint http_status = 0;

  sign_in_as (fixture, "clerk", TEST_CLERK_PASSWORD);
  g_assert_cmpint (enr_context_get_role (app_context (fixture->app)), ==, ENR_ROLE_CLERK);
  window = main_window ();
  monitor = ENR_MONITOR (enr_window_get_monitor (window));

  /* No button, no action, nothing read. */
  g_assert_null (find_widget (GTK_WIDGET (window), match_button, "Process Flows"));
  gtk_widget_activate_action (GTK_WIDGET (window), "main.process-flows", NULL);
  gtk_widget_activate_action (GTK_WIDGET (monitor), "monitor.complete", NULL);
  gtk_widget_activate_action (GTK_WIDGET (monitor), "monitor.reschedule", NULL);
  wait_for_pending_work ();
  g_assert_false (is_mapped (monitor));
  g_assert_false (enr_monitor_get_available (monitor));
  g_assert_null (enr_monitor_get_model (monitor));
  g_assert_null (find_message_dialog ("complete-field-work-dialog"));
  g_assert_null (find_toplevel (ENR_TYPE_RESCHEDULE_DIALOG));

  /* The clerk's own session, straight to the service: 403. */
  client = enr_sync_engine_get_client (app_engine (fixture->app));
  refused = test_http (fixture->service->url, "POST", path, enr_api_client_get_token (client),
                       "ui-clerk-complete", 3, NULL, &http_status);
  g_assert_cmpuint (http_status, ==, 403);
  type = test_json_string (refused, "$.type");
  g_assert_true (g_str_has_suffix (type, "/problems/forbidden"));
  g_clear_pointer (&refused, json_node_unref);
  refused = test_http (fixture->service->url, "POST", reschedule_path, enr_api_client_get_token (client),
                       "ui-clerk-reschedule", 3, "{\"appointments\":[]}", &http_status);
  g_assert_cmpuint (http_status, ==, 403);

  /* Queued through the outbox anyway, it comes back refused, kept for a
   * person; the service's task is as it was. */
  local = client_get (get_store (fixture), ENR_TYPE_SERVICE_TASK, task_id);
  g_assert_true (enr_monitor_complete_field_work (app_context (fixture->app), local, &error));
  g_assert_no_error (error);
  enr_sync_engine_sync_now (app_engine (fixture->app));
  wait_long (has_rejected, fixture->app);
  task = get_task (fixture, task_id);
  status = test_json_string (task, "$.status");
  g_assert_cmpstr (status, ==, "in-progress");
  g_assert_cmpint (test_json_int (task, "$.version"), ==, 3);
}

static void
test_maintenance (Fixture       *fixture,
                  gconstpointer  data)
{
  run_app (fixture->app, steps_maintenance, fixture);
}

static void
test_conflicts (Fixture       *fixture,
                gconstpointer  data)
{
  run_app (fixture->app, steps_conflicts, fixture);
}

static void
test_clerk (Fixture       *fixture,
            gconstpointer  data)
{
  run_app (fixture->app, steps_clerk, fixture);
}

int
main (int   argc,
      char *argv[])
{
  online_test_init (&argc, &argv);

  g_test_add ("/ui/monitor-online/maintenance", Fixture, NULL,
              fixture_set_up, test_maintenance, fixture_tear_down);
  g_test_add ("/ui/monitor-online/conflicts", Fixture, NULL,
              fixture_set_up, test_conflicts, fixture_tear_down);
  g_test_add ("/ui/monitor-online/clerk", Fixture, NULL,
              fixture_set_up, test_clerk, fixture_tear_down);

  return g_test_run ();
}

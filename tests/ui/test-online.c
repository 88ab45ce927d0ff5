/* test-online.c — the desktop client against the real enrollment service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts enrollment-service on 127.0.0.1 with a fresh database
 * loaded from data/sample, then runs the real EnrApplication
 * (g_application_run(), so it starts up, activates and shuts down as it
 * does for a person) with its client store in a temporary folder
 * ($ENR_STORE_PATH); the test's steps run from an idle callback once the
 * application is active, and iterate the main loop only through
 * wait_until(), which fails after a bounded time. Everything is driven
 * through the widgets: the sign-in dialog, the sync indicator in the
 * header bar and its popover, the Customer View and the assistant. What
 * reached the service is checked with plain HTTP requests.
 *
 * Runs under a display (xvfb-run) with GSETTINGS_BACKEND=memory and
 * GTK_A11Y=test. Screenshots land in <build>/tests/ui/screenshots.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <gtk/gtk.h>

#include "enr-application.h"
#include "enr-assistant.h"
#include "enr-customer-view.h"
#include "enr-discard-change-dialog.h"
#include "enr-flow-session.h"
#include "enr-gui-utils.h"
#include "enr-idle-lock.h"
#include "enr-import-dialog.h"
#include "enr-lock-dialog.h"
#include "enr-preferences-dialog.h"
#include "enr-sign-in-dialog.h"
#include "enr-sync-engine.h"
#include "enr-sync-indicator.h"
#include "enr-window.h"
#include "sync-test-util.h"
#include "ui-test-util.h"

typedef struct
{
  GSubprocess *process;
  char        *url;
  guint16      port;
} Service;

typedef struct
{
  char           *directory;
  char           *database;
  char           *store_path;
  Service        *service;
  GSettings      *settings;
  EnrApplication *app;
  GDateTime      *last_sync;
} Fixture;

/* Waiting: bounded iterations of the default main context */

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_is_sensitive (GTK_WIDGET (widget));
}

/* The service */

/* A failed test must not leave a service behind (holding the test's
 * output open). */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static Service *
service_start_full (const char *database,
                    guint16     port,
                    gboolean    load,
                    gboolean    tls)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Service *service = g_new0 (Service, 1);

  g_ptr_array_add (argv, g_strdup (ENROLLMENT_SERVICE_PATH));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", port));
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, g_strdup (database));
  g_ptr_array_add (argv, g_strdup ("--rate-limit"));
  g_ptr_array_add (argv, g_strdup ("0"));
  if (load)
    {
      g_ptr_array_add (argv, g_strdup ("--load"));
      g_ptr_array_add (argv, g_build_filename (SOURCE_DATADIR, "sample", NULL));
    }
  if (tls)
    {
      g_ptr_array_add (argv, g_strdup ("--tls-certificate"));
      g_ptr_array_add (argv, g_build_filename (g_getenv ("ENR_SOURCE_ROOT"), "tests", "service", "tls-test-cert.pem", NULL));
      g_ptr_array_add (argv, g_strdup ("--tls-key"));
      g_ptr_array_add (argv, g_build_filename (g_getenv ("ENR_SOURCE_ROOT"), "tests", "service", "tls-test-key.pem", NULL));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* LeakSanitizer's tracer crashes at the exit of a service that served
   * HTTPS (GnuTLS threads); the leak check stays on for plain HTTP. */
  if (tls && g_getenv ("ASAN_OPTIONS") != NULL)
    g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  service->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* The service prints its address once it accepts connections. */
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (service->process));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, tls ? "listening on https://127.0.0.1:" : "listening on http://127.0.0.1:"));

  service->url = g_strdup (line + strlen ("listening on "));
  service->port = (guint16) g_ascii_strtoull (strrchr (service->url, ':') + 1, NULL, 10);
  g_assert_cmpuint (service->port, >, 0);

  return service;
}

static Service *
service_start (const char *database,
               guint16     port,
               gboolean    load)
{
  return service_start_full (database, port, load, FALSE);
}

static void
service_stop (Service *service)
{
  g_autoptr(GError) error = NULL;

  if (service == NULL)
    return;

  g_subprocess_send_signal (service->process, SIGTERM);
  g_subprocess_wait (service->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (service->process));
  g_assert_cmpint (g_subprocess_get_exit_status (service->process), ==, 0);

  g_clear_object (&service->process);
  g_free (service->url);
  g_free (service);
}

/* SIGKILL: no goodbye to its clients. */
static void
service_kill (Service *service)
{
  g_subprocess_force_exit (service->process);
  g_assert_true (g_subprocess_wait (service->process, NULL, NULL));

  g_clear_object (&service->process);
  g_free (service->url);
  g_free (service);
}

/* The application */

static EnrSyncIndicator *
indicator (void)
{
  GtkBox *slot = enr_window_get_sync_slot (main_window ());
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (slot));

  g_assert_true (ENR_IS_SYNC_INDICATOR (child));
  return ENR_SYNC_INDICATOR (child);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("enr-online-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->database = g_build_filename (fixture->directory, "service.db", NULL);
  fixture->store_path = g_build_filename (fixture->directory, "client.db", NULL);
  fixture->service = service_start (fixture->database, 0, TRUE);

  fixture->settings = online_settings (fixture->service->url, fixture->store_path);
  /* A computer nobody set up: no service address. */
  if (g_strcmp0 (data, "first-start") == 0)
    g_settings_reset (fixture->settings, "service-url");
  fixture->app = new_application ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  release_application (&fixture->app);
  service_stop (fixture->service);
  g_clear_object (&fixture->settings);
  g_unsetenv ("ENR_STORE_PATH");
  client_remove_directory (fixture->directory);

  g_free (fixture->directory);
  g_free (fixture->database);
  g_free (fixture->store_path);
  g_clear_pointer (&fixture->last_sync, g_date_time_unref);
}

/* Steps */

typedef struct
{
  GtkWidget *bar;
  gboolean   partial;
  guint      updates;
} ProgressWatch;

static void
on_fraction_cb (GtkProgressBar *bar,
                GParamSpec     *pspec,
                ProgressWatch  *watch)
{
  double fraction = gtk_progress_bar_get_fraction (bar);

  if (!gtk_widget_get_visible (GTK_WIDGET (bar)))
    return;

  watch->updates++;
  if (fraction > 0.0 && fraction < 1.0)
    watch->partial = TRUE;
}

static gboolean
dialog_answered (gpointer dialog)
{
  return !enr_sign_in_dialog_get_busy (dialog) && enr_sign_in_dialog_get_error (dialog) != NULL;
}

static gboolean
engine_synced (gpointer app)
{
  EnrSyncEngine *engine = app_engine (app);

  return engine_idle (app) && enr_sync_engine_get_pending_count (engine) == 0;
}

/* The row showing the result at @position, if any: the results are the
 * first visible rows of the list. */
static GtkWidget *
result_row (EnrWindow *window,
            guint      position)
{
  GtkListBox *list = GTK_LIST_BOX (enr_window_get_results_list (window));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, position);

  return row != NULL && gtk_widget_get_visible (GTK_WIDGET (row)) ? GTK_WIDGET (row) : NULL;
}

static gboolean
results_have_rows (gpointer window)
{
  GtkWidget *row = result_row (window, 0);

  return row != NULL && gtk_widget_get_mapped (row);
}

static EnrCustomerView *
show_customer (const char *customer_id)
{
  EnrWindow *window = main_window ();
  EnrCustomerView *view = ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window));

  enr_window_show_customer (window, customer_id);
  wait_until (is_mapped, view);
  return view;
}

static gboolean
program_eligible (gpointer data)
{
  const char *label = data;
  EnrCustomerView *view = ENR_CUSTOMER_VIEW (enr_window_get_customer_view (main_window ()));

  return find_widget (enr_customer_view_get_programs_list (view), match_label, label) != NULL;
}

static EnrAssistant *
find_assistant (void)
{
  return find_toplevel (ENR_TYPE_ASSISTANT);
}

static gboolean
assistant_is_open (gpointer data)
{
  return find_assistant () != NULL;
}

/* Customer → Program Enrollment → Summary of a Time-of-Use enrollment
 * (Location Required = No: no Device Setup). */
static EnrAssistant *
walk_time_of_use (void)
{
  EnrCustomerView *view = ENR_CUSTOMER_VIEW (enr_window_get_customer_view (main_window ()));
  GtkWidget *row = find_widget (enr_customer_view_get_programs_list (view), match_label,
                                "Time-of-Use Pilot: Eligible");
  EnrAssistant *assistant;

  g_assert_nonnull (row);
  press (find_button (row, "Enroll in Time-of-Use Pilot"));
  wait_until (assistant_is_open, NULL);
  assistant = find_assistant ();
  g_assert_cmpint (enr_assistant_get_current_panel (assistant), ==, ENR_PANEL_CUSTOMER);

  press_next_to (assistant, ENR_PANEL_PROGRAM);
  press (find_by_label (find_by_label (enr_assistant_get_page (assistant, ENR_PANEL_PROGRAM),
                                       "Do you understand that electricity costs more from 4 to 9 pm on weekdays?"),
                        "Yes"));
  press_next_to (assistant, ENR_PANEL_SUMMARY);
  return assistant;
}

static char *
flow_task_id (EnrAssistant *assistant)
{
  EnrProcessFlow *flow = enr_flow_session_get_flow (enr_assistant_get_session (assistant));

  return g_strdup (enr_entity_get_id (ENR_ENTITY (enr_process_flow_get_task (flow))));
}

static void
open_indicator (void)
{
  EnrSyncIndicator *sync = indicator ();

  gtk_menu_button_popup (GTK_MENU_BUTTON (enr_sync_indicator_get_button (sync)));
  wait_until (is_mapped, enr_sync_indicator_get_popover (sync));
}

/* Tests */

/* Someone works here (signed in, or offline with their password). */
static gboolean
has_user (gpointer app)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-out");
}

static gboolean
working_as_clerk (gpointer app)
{
  return has_user (app) && g_strcmp0 (enr_context_get_username (app_context (app)), "clerk") == 0;
}

static void
steps_sign_in_dialog (gpointer data)
{
  Fixture *fixture = data;
  EnrSignInDialog *dialog = wait_for_toplevel (ENR_TYPE_SIGN_IN_DIALOG);
  EnrSyncIndicator *sync = indicator ();
  EnrWindow *window = main_window ();
  ProgressWatch watch = { 0, };
  GtkWidget *password, *service;
  gpointer weak = dialog;
  g_autofree char *saved = NULL;

  /* Before signing in: offline, and the sign-in dialog over the window. */
  g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Working Offline."));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  service = find_by_label (dialog, "Service Address");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (service)), ==, fixture->service->url);
  g_assert_nonnull (find_button (dialog, "Work Offline"));
  screenshot (GTK_WIDGET (dialog), "online-sign-in");

  /* Work Offline needs a user who signed in online here before, even
   * with their right password. */
  type_text (find_by_label (dialog, "User Name"), "clerk");
  type_text (find_by_label (dialog, "Password"), TEST_CLERK_PASSWORD);
  press (find_button (dialog, "Work Offline"));
  g_assert_nonnull (enr_sign_in_dialog_get_error (dialog));
  g_assert_nonnull (strstr (enr_sign_in_dialog_get_error (dialog), "“clerk” has not signed in online on this computer"));
  g_assert_true (is_invalid (find_by_label (dialog, "User Name")));
  g_assert_true (shows_text (dialog, "To work offline, sign in online once on this computer first."));

  /* A wrong password is said so, next to the password. */
  password = find_by_label (dialog, "Password");
  type_text (password, "not-the-password");
  press (find_button (dialog, "Sign In"));
  wait_long (dialog_answered, dialog);
  g_assert_nonnull (strstr (enr_sign_in_dialog_get_error (dialog), "password is wrong"));
  g_assert_true (shows_text (dialog, "password is wrong"));
  g_assert_true (is_invalid (password));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password)), ==, "");
  screenshot (GTK_WIDGET (dialog), "online-sign-in-wrong-password");

  /* A service that cannot be reached. */
  type_text (service, TEST_DEAD_URL);
  type_text (password, TEST_CLERK_PASSWORD);
  press (find_button (dialog, "Sign In"));
  wait_long (dialog_answered, dialog);
  g_assert_nonnull (strstr (enr_sign_in_dialog_get_error (dialog), "cannot be reached"));
  g_assert_true (is_invalid (service));

  /* An address the client refuses: plain HTTP away from this computer. */
  type_text (service, "http://enrollment.example.com");
  press (find_button (dialog, "Sign In"));
  g_assert_nonnull (strstr (enr_sign_in_dialog_get_error (dialog), "HTTPS"));

  /* The right password: signed in; the first download shows progress. */
  watch.bar = enr_sync_indicator_get_progress_bar (sync);
  g_signal_connect (watch.bar, "notify::fraction", G_CALLBACK (on_fraction_cb), &watch);
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  type_text (service, fixture->service->url);
  type_text (password, TEST_CLERK_PASSWORD);
  press (find_button (dialog, "Sign In"));
  wait_long (is_null, &weak);
  wait_long (engine_idle, fixture->app);
  g_signal_handlers_disconnect_by_data (watch.bar, &watch);

  g_assert_true (watch.partial);
  g_assert_cmpuint (watch.updates, >=, 2);
  g_assert_false (gtk_widget_get_visible (watch.bar));
  g_assert_true (working_as_clerk (fixture->app));
  g_assert_cmpint (enr_context_get_role (app_context (fixture->app)), ==, ENR_ROLE_CLERK);
  saved = g_settings_get_string (fixture->settings, "username");
  g_assert_cmpstr (saved, ==, "clerk");
  g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Online."));
  g_assert_nonnull (strstr (enr_sync_indicator_get_summary (sync), "Last sync: Just now."));
  g_assert_true (enr_sync_engine_get_running (app_engine (fixture->app)));

  /* The downloaded customers are searchable, from the local store. */
  type_text (enr_window_get_search_entry (window), "Gonzalez");
  wait_until (results_have_rows, window);
  g_assert_true (has_accessible_label (result_row (window, 0), "Maria Gonzalez, account RPL-100037"));
  screenshot (GTK_WIDGET (window), "online-signed-in");

  open_indicator ();
  g_assert_true (shows_text (enr_sync_indicator_get_popover (sync), "Everything on this computer is on the service."));
  g_assert_nonnull (find_button (enr_sync_indicator_get_popover (sync), "Sync Now"));
  screenshot (enr_sync_indicator_get_popover (sync), "online-indicator");
  gtk_popover_popdown (GTK_POPOVER (enr_sync_indicator_get_popover (sync)));

  /* The service ends the session (401): the sign-in dialog says so. */
  {
    EnrApiClient *client = enr_sync_engine_get_client (app_engine (fixture->app));
    g_autoptr(JsonNode) reply = NULL;
    guint http = 0;

    reply = test_http (fixture->service->url, "DELETE", "/v1/sessions/current",
                       enr_api_client_get_token (client), NULL, -1, NULL, &http);
    g_assert_cmpuint (http, ==, 204);
    enr_sync_engine_sync_now (app_engine (fixture->app));
    dialog = wait_for_toplevel (ENR_TYPE_SIGN_IN_DIALOG);
    g_assert_true (shows_text (dialog, "Your session with the service has ended."));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_by_label (dialog, "User Name"))), ==, "clerk");
    g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "sign-in"));
    weak = dialog;
    g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
    type_text (find_by_label (dialog, "Password"), TEST_CLERK_PASSWORD);
    press (find_button (dialog, "Sign In"));
    wait_long (is_null, &weak);
    wait_long (engine_idle, fixture->app);
    g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Online."));
  }

  /* Signing out asks to sign in again; now Work Offline knows the user,
   * and asks for the password of the last online sign-in. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "sign-out"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sign-out", NULL);
  dialog = wait_for_toplevel (ENR_TYPE_SIGN_IN_DIALOG);
  g_assert_true (shows_text (dialog, "You signed out."));
  g_assert_true (shows_text (dialog, "with your password"));
  g_assert_false (enr_sync_engine_get_running (app_engine (fixture->app)));
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  password = find_by_label (dialog, "Password");
  press (find_button (dialog, "Work Offline"));
  g_assert_cmpstr (enr_sign_in_dialog_get_error (dialog), ==, "Enter your password to work offline.");
  g_assert_true (is_invalid (password));

  type_text (password, "not-the-password");
  press (find_button (dialog, "Work Offline"));
  wait_long (dialog_answered, dialog);
  g_assert_nonnull (weak);
  g_assert_nonnull (strstr (enr_sign_in_dialog_get_error (dialog), "password is wrong"));
  g_assert_true (is_invalid (password));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password)), ==, "");
  g_assert_false (has_user (fixture->app));
  screenshot (GTK_WIDGET (dialog), "online-offline-wrong-password");

  type_text (password, TEST_CLERK_PASSWORD);
  press (find_button (dialog, "Work Offline"));
  wait_long (is_null, &weak);
  g_assert_true (working_as_clerk (fixture->app));
  g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Working Offline."));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "sign-in"));
}

static gboolean
preferences_closed (gpointer data)
{
  return find_toplevel (ENR_TYPE_PREFERENCES_DIALOG) == NULL;
}

/* An HTTPS service whose certificate this computer does not trust; its
 * certificate authority chosen in Preferences (from the sign-in dialog). */
static void
steps_untrusted_certificate (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *database = g_build_filename (fixture->directory, "tls.db", NULL);
  g_autofree char *ca_file = g_build_filename (g_getenv ("ENR_SOURCE_ROOT"), "tests", "service", "tls-test-cert.pem", NULL);
  g_autofree char *saved = NULL;
  Service *service = service_start_full (database, 0, TRUE, TRUE);
  EnrSignInDialog *dialog = wait_for_toplevel (ENR_TYPE_SIGN_IN_DIALOG);
  GtkWindow *preferences;
  GtkWidget *password;
  gpointer weak = dialog;

  type_text (find_by_label (dialog, "Service Address"), service->url);
  type_text (find_by_label (dialog, "User Name"), "clerk");
  password = find_by_label (dialog, "Password");
  type_text (password, TEST_CLERK_PASSWORD);
  press (find_button (dialog, "Sign In"));
  wait_long (dialog_answered, dialog);
  g_assert_nonnull (strstr (enr_sign_in_dialog_get_error (dialog), "not trusted by this computer"));
  g_assert_true (is_invalid (find_by_label (dialog, "Service Address")));
  screenshot (GTK_WIDGET (dialog), "online-sign-in-untrusted");

  /* Preferences, from the dialog: a file that is not there, then the CA. */
  press (find_button (dialog, "Preferences…"));
  wait_until (toplevel_shown, GSIZE_TO_POINTER (ENR_TYPE_PREFERENCES_DIALOG));
  preferences = find_toplevel (ENR_TYPE_PREFERENCES_DIALOG);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_by_label (preferences, "Service Address"))), ==,
                   fixture->service->url);
  type_text (find_by_label (preferences, "Service Address"), service->url);
  type_text (find_by_label (preferences, "Certificate Authorities"), "/nonexistent/ca.pem");
  press (find_button (preferences, "Save"));
  g_assert_nonnull (enr_preferences_dialog_get_error (ENR_PREFERENCES_DIALOG (preferences)));
  g_assert_true (is_invalid (find_by_label (preferences, "Certificate Authorities")));
  type_text (find_by_label (preferences, "Certificate Authorities"), ca_file);
  g_assert_null (enr_preferences_dialog_get_error (ENR_PREFERENCES_DIALOG (preferences)));
  screenshot (GTK_WIDGET (preferences), "online-preferences");
  press (find_button (preferences, "Save"));
  wait_until (preferences_closed, NULL);
  saved = g_settings_get_string (fixture->settings, "ca-file");
  g_assert_cmpstr (saved, ==, ca_file);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_by_label (dialog, "Service Address"))), ==, service->url);

  /* Now the service is trusted. */
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  type_text (password, TEST_CLERK_PASSWORD);
  press (find_button (dialog, "Sign In"));
  wait_long (is_null, &weak);
  wait_long (engine_idle, fixture->app);
  g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (indicator ()), "Online."));

  enr_sync_engine_stop (app_engine (fixture->app));
  service_stop (service);
}

static gboolean
offline_with_pending (gpointer app)
{
  EnrSyncEngine *engine = app_engine (app);

  return enr_sync_engine_get_state (engine) == ENR_SYNC_STATE_OFFLINE &&
         enr_sync_engine_get_pending_count (engine) > 0 &&
         enr_sync_engine_get_running (engine);
}

static gboolean
popover_says_held_back (gpointer sync)
{
  return shows_text (enr_sync_indicator_get_popover (sync),
                     "Changes that follow the ones below wait until those are resolved.");
}

static gboolean
popover_says_unreachable (gpointer sync)
{
  return shows_text (enr_sync_indicator_get_popover (sync), "The service cannot be reached.");
}

static gboolean
says_offline (gpointer sync)
{
  return shows_text (enr_sync_indicator_get_button (sync), "Offline") &&
         g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Offline.");
}

static void
steps_offline_enrollment (gpointer data)
{
  Fixture *fixture = data;
  EnrSyncIndicator *sync;
  EnrAssistant *assistant;
  gpointer weak;
  g_autofree char *task_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  g_autofree char *status = NULL;
  g_autofree char *program = NULL;
  g_autofree char *pending_text = NULL;
  g_autoptr(JsonNode) task = NULL;
  g_autofree char *database = NULL;
  guint16 port;
  guint http = 0;
  guint pending;

  sign_in (fixture->app, "clerk", TEST_CLERK_PASSWORD);
  sync = indicator ();

  /* The customer is opened while online, then the service goes away. */
  show_customer ("cust-0001");
  wait_long (program_eligible, (gpointer) "Time-of-Use Pilot: Eligible");
  /* A pull that brings changes reloads the view: let it finish. */
  wait_long (engine_idle, fixture->app);
  wait_for_pending_work ();
  port = fixture->service->port;
  service_stop (fixture->service);
  fixture->service = NULL;

  assistant = walk_time_of_use ();
  task_id = flow_task_id (assistant);
  /* The assistant says it is offline, too. */
  wait_long (says_offline, enr_assistant_get_sync_indicator (assistant));
  screenshot (GTK_WIDGET (assistant), "online-assistant-offline");
  weak = assistant;
  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  press (find_button (assistant, "Finish"));
  wait_until (is_null, &weak);

  /* Finish pushed at once, failed: offline, the changes wait. */
  wait_long (offline_with_pending, fixture->app);
  pending = enr_sync_engine_get_pending_count (app_engine (fixture->app));
  pending_text = g_strdup_printf ("%u to send", pending);

  g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Offline."));
  g_assert_nonnull (strstr (enr_sync_indicator_get_summary (sync), "waiting to be sent"));
  g_assert_true (shows_text (enr_sync_indicator_get_button (sync), "Offline"));
  g_assert_true (shows_text (enr_sync_indicator_get_button (sync), pending_text));
  screenshot (GTK_WIDGET (main_window ()), "online-offline-pending");

  /* Removing this computer's data is refused while they wait. */
  {
    EnrOutbox *outbox = enr_store_get_outbox (enr_context_get_store (app_context (fixture->app)));
    gint64 waiting = enr_outbox_count_unfinished (outbox, NULL);
    g_autofree char *refusal = g_strdup_printf ("%" G_GINT64_FORMAT " operation%s on this computer ha%s not reached the service yet.",
                                                waiting, waiting == 1 ? "" : "s", waiting == 1 ? "s" : "ve");
    GtkWindow *refused;

    g_assert_cmpint (waiting, >=, pending);
    g_assert_cmpint (waiting, >, 0);
    g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "remove-data", NULL);
    wait_until (message_dialog_open, (gpointer) "remove-data-refused");
    refused = find_message_dialog ("remove-data-refused");
    g_assert_true (shows_text (refused, "Nothing was removed"));
    g_assert_true (shows_text (refused, refusal));
    screenshot (GTK_WIDGET (refused), "online-remove-data-refused");
    gtk_window_destroy (refused);
    g_assert_true (g_file_test (fixture->store_path, G_FILE_TEST_EXISTS));
    g_assert_true (has_user (fixture->app));
  }
  open_indicator ();
  /* Between retries (with backoff) the popover says why. */
  wait_long (popover_says_unreachable, sync);
  screenshot (enr_sync_indicator_get_popover (sync), "online-indicator-offline");

  /* The service comes back on the same database and port; Sync Now. */
  database = g_strdup (fixture->database);
  fixture->service = service_start (database, port, FALSE);
  /* Not while a retry runs (it may reach the service by itself, too). */
  wait_long (is_sensitive, find_button (enr_sync_indicator_get_popover (sync), "Sync Now"));
  press (find_button (enr_sync_indicator_get_popover (sync), "Sync Now"));
  wait_long (engine_synced, fixture->app);
  g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Online."));
  g_assert_null (strstr (enr_sync_indicator_get_summary (sync), "waiting to be sent"));

  /* The task is on the service, finished (nothing to install: completed). */
  token = test_sign_in (fixture->service->url, "clerk", TEST_CLERK_PASSWORD);
  path = g_strdup_printf ("/v1/service-tasks/%s", task_id);
  task = test_http (fixture->service->url, "GET", path, token, NULL, -1, NULL, &http);
  g_assert_cmpuint (http, ==, 200);
  status = test_json_string (task, "$.status");
  g_assert_cmpstr (status, ==, "completed");
  program = test_json_string (task, "$.program_id");
  g_assert_cmpstr (program, ==, "prog-tou");
}

/* Import Enrollments… offline */

static guint task_on_service (Fixture    *fixture,
                              const char *task_id,
                              char      **status);

/* The ids of the tasks the clerk sees on the service (their own). */
static GHashTable *
clerk_tasks_on_service (Fixture *fixture)
{
  g_autofree char *token = test_sign_in (fixture->service->url, "clerk", TEST_CLERK_PASSWORD);
  g_autoptr(JsonNode) list = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *items;
  guint http = 0;

  list = test_http (fixture->service->url, "GET", "/v1/service-tasks?page_size=100", token, NULL, -1, NULL, &http);
  g_assert_cmpuint (http, ==, 200);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (list), "more"));
  items = json_object_get_array_member (json_node_get_object (list), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_hash_table_add (ids, g_strdup (json_object_get_string_member (json_array_get_object_element (items, i), "id")));

  return ids;
}

typedef struct
{
  EnrImportDialog *dialog;
  const char      *state;
} ImportWait;

static gboolean
import_state_is (gpointer data)
{
  ImportWait *wait = data;

  return g_strcmp0 (enr_import_dialog_get_state (wait->dialog), wait->state) == 0;
}

/* Opens @path in the Import Enrollments… dialog, as the menu's file
 * chooser does, and waits until every row is checked. */
static EnrImportDialog *
preview_file (Fixture    *fixture,
              const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  EnrImportDialog *dialog = enr_import_dialog_new (GTK_WINDOW (main_window ()), app_context (fixture->app), file);
  ImportWait wait = { dialog, ENR_IMPORT_STATE_PREVIEWED };

  gtk_window_present (GTK_WINDOW (dialog));
  wait_until (is_mapped, dialog);
  wait_long (import_state_is, &wait);
  wait_for_pending_work ();

  return dialog;
}

static EnrImportRow *
import_row (EnrImportDialog *dialog,
            guint            line)
{
  GListModel *rows = enr_enrollment_import_get_rows (enr_import_dialog_get_import (dialog));

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(EnrImportRow) row = g_list_model_get_item (rows, i);

      if (enr_import_row_get_line (row) == line)
        return row;
    }

  g_assert_not_reached ();
}

static void
assert_row (EnrImportDialog  *dialog,
            guint             line,
            EnrImportOutcome  outcome,
            const char       *reason)
{
  EnrImportRow *row = import_row (dialog, line);

  g_test_message ("line %u: %s", line, enr_import_row_get_reasons (row));
  g_assert_cmpint (enr_import_row_get_outcome (row), ==, outcome);
  if (reason != NULL)
    g_assert_nonnull (strstr (enr_import_row_get_reasons (row), reason));
}

/* A file of mixed rows is previewed and its ready rows queued while the
 * service is away; back online, exactly those reach the service, once;
 * the same file again queues nothing new: every row is refused. */
static void
steps_import_offline (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 10);
  g_autoptr(GDateTime) before = g_date_time_add_days (now, -1);
  g_autofree char *start = g_date_time_format (later, "%Y-%m-%d");
  g_autofree char *given = g_date_time_format (before, "%Y-%m-%d %H:%M");
  g_autofree char *path = g_build_filename (fixture->directory, "campaign.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *database = NULL;
  g_autoptr(GHashTable) known = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GPtrArray) queued = g_ptr_array_new_with_free_func (g_free);
  EnrImportDialog *dialog;
  EnrImportRow *row;
  EnrSyncIndicator *sync;
  ImportWait wait;
  GHashTableIter iter;
  gpointer id;
  gpointer weak;
  guint16 port;

  /* Lines 2 and 7 ready; 3 an unknown account, 4 an unknown program, 5 a
   * date that does not exist, 6 the same enrollment as line 2, 8 a
   * customer not eligible (already enrolled). */
  text = g_strdup_printf ("\xef\xbb\xbf" "account,program code,start date,installation method,consent method,"
                          "consent date,terms version,appointment preference,notes\r\n"
                          "RPL-100185,TOU-PILOT,%s,,phone,%s,TOU-2026.1,mornings,From the mailing\r\n"
                          "RPL-999999,TOU-PILOT,%s,,,,,,\r\n"
                          "RPL-100259,NOPE,%s,,,,,,\r\n"
                          "RPL-100259,TOU-PILOT,2026-02-30,,,,,,\r\n"
                          "RPL-100185,TOU-PILOT,%s,,,,,,\r\n"
                          "RPL-100370,PEAK-CG-2026,%s,,,,,,\r\n"
                          "RPL-100111,TSTAT-DR,%s,,,,,,\r\n",
                          start, given, start, start, start, start, start);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  sign_in (fixture->app, "clerk", TEST_CLERK_PASSWORD);
  wait_long (engine_idle, fixture->app);
  wait_for_pending_work ();
  known = clerk_tasks_on_service (fixture);
  port = fixture->service->port;
  service_stop (fixture->service);
  fixture->service = NULL;

  /* Offline: the preview shows every row's outcome; nothing is queued. */
  dialog = preview_file (fixture, path);
  assert_row (dialog, 2, ENR_IMPORT_OUTCOME_READY, NULL);
  assert_row (dialog, 3, ENR_IMPORT_OUTCOME_REFUSED, "There is no customer with the account “RPL-999999”");
  assert_row (dialog, 4, ENR_IMPORT_OUTCOME_REFUSED, "There is no program with the code “NOPE”");
  assert_row (dialog, 5, ENR_IMPORT_OUTCOME_REFUSED, "The start date “2026-02-30” is not a date");
  assert_row (dialog, 6, ENR_IMPORT_OUTCOME_REFUSED, "The same enrollment as line 2 of the file");
  assert_row (dialog, 7, ENR_IMPORT_OUTCOME_READY, NULL);
  assert_row (dialog, 8, ENR_IMPORT_OUTCOME_REFUSED, "already enrolled in Smart Thermostat Rewards");
  wait_for_text (dialog, "campaign.csv: 7 rows, 2 ready, 5 refused");
  g_assert_cmpint (enr_sync_engine_get_pending_count (app_engine (fixture->app)), ==, 0);
  screenshot (GTK_WIDGET (dialog), "online-import-offline-preview");

  /* Queued through the outbox; they wait, offline. */
  press (find_button (dialog, "Queue Ready Rows"));
  wait = (ImportWait) { dialog, ENR_IMPORT_STATE_QUEUED };
  wait_long (import_state_is, &wait);
  wait_for_text (dialog, "campaign.csv: 2 queued, 5 refused, 0 not queued");
  for (guint line = 2; line <= 8; line++)
    {
      row = import_row (dialog, line);
      if (enr_import_row_get_outcome (row) == ENR_IMPORT_OUTCOME_QUEUED)
        g_ptr_array_add (queued, g_strdup (enr_import_row_get_task_id (row)));
      else
        g_assert_null (enr_import_row_get_task_id (row));
    }
  g_assert_cmpuint (queued->len, ==, 2);
  wait_long (offline_with_pending, fixture->app);
  screenshot (GTK_WIDGET (dialog), "online-import-offline-queued");
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  press (find_button (dialog, "Close"));
  wait_until (is_null, &weak);

  /* Back online: exactly the two queued tasks reach the service. */
  database = g_strdup (fixture->database);
  fixture->service = service_start (database, port, FALSE);
  sync = indicator ();
  open_indicator ();
  wait_long (is_sensitive, find_button (enr_sync_indicator_get_popover (sync), "Sync Now"));
  press (find_button (enr_sync_indicator_get_popover (sync), "Sync Now"));
  wait_long (engine_synced, fixture->app);
  gtk_popover_popdown (GTK_POPOVER (enr_sync_indicator_get_popover (sync)));

  after = clerk_tasks_on_service (fixture);
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (known) + queued->len);
  for (guint i = 0; i < queued->len; i++)
    {
      g_autofree char *status = NULL;

      g_assert_true (g_hash_table_contains (after, g_ptr_array_index (queued, i)));
      g_assert_cmpuint (task_on_service (fixture, g_ptr_array_index (queued, i), &status), ==, 200);
      g_assert_cmpstr (status, ==, "pending");
    }
  g_hash_table_iter_init (&iter, known);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_assert_true (g_hash_table_contains (after, id));

  /* The same file again: every row refused, the two as enrollments in
   * progress; nothing queued, nothing new on the service. */
  dialog = preview_file (fixture, path);
  g_assert_cmpuint (enr_enrollment_import_count (enr_import_dialog_get_import (dialog), ENR_IMPORT_OUTCOME_READY), ==, 0);
  g_assert_cmpuint (enr_enrollment_import_count (enr_import_dialog_get_import (dialog), ENR_IMPORT_OUTCOME_REFUSED), ==, 7);
  assert_row (dialog, 2, ENR_IMPORT_OUTCOME_REFUSED, "already in progress");
  assert_row (dialog, 7, ENR_IMPORT_OUTCOME_REFUSED, "already in progress");
  wait_for_text (dialog, "campaign.csv: 7 rows, 0 ready, 7 refused");
  g_assert_false (gtk_widget_get_sensitive (find_button (dialog, "Queue Ready Rows")));
  screenshot (GTK_WIDGET (dialog), "online-import-again");
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_cmpint (enr_sync_engine_get_pending_count (app_engine (fixture->app)), ==, 0);
  g_clear_pointer (&after, g_hash_table_unref);
  after = clerk_tasks_on_service (fixture);
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (known) + queued->len);
}

/* Other users' changes */

#define TEST_ALEX_PASSWORD "alex-demo-pass"

/* The clerk, signed in, opens Maria Gonzalez; the service goes away; the
 * clerk finishes a Time-of-Use enrollment, which waits here, and signs
 * out. Returns the task's id; *PORT is the service's. */
static char *
clerk_enrolls_offline (Fixture *fixture,
                       guint16 *port)
{
  EnrAssistant *assistant;
  char *task_id;
  gpointer weak;

  sign_in (fixture->app, "clerk", TEST_CLERK_PASSWORD);
  show_customer ("cust-0001");
  wait_long (program_eligible, (gpointer) "Time-of-Use Pilot: Eligible");
  /* A pull that brings changes reloads the view: let it finish. */
  wait_long (engine_idle, fixture->app);
  wait_for_pending_work ();
  *port = fixture->service->port;
  service_stop (fixture->service);
  fixture->service = NULL;

  assistant = walk_time_of_use ();
  task_id = flow_task_id (assistant);
  weak = assistant;
  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  press (find_button (assistant, "Finish"));
  wait_until (is_null, &weak);
  wait_long (offline_with_pending, fixture->app);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sign-out", NULL);
  g_assert_false (has_user (fixture->app));
  return task_id;
}

/* How the service answers a GET of the task (200, 404 …). */
static guint
task_on_service (Fixture    *fixture,
                 const char *task_id,
                 char      **status)
{
  g_autofree char *token = test_sign_in (fixture->service->url, "supervisor", TEST_SUPERVISOR_PASSWORD);
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s", task_id);
  g_autoptr(JsonNode) task = NULL;
  guint http = 0;

  task = test_http (fixture->service->url, "GET", path, token, NULL, -1, NULL, &http);
  if (status != NULL)
    *status = http == 200 ? test_json_string (task, "$.status") : NULL;
  return http;
}

static gboolean
others_waiting (gpointer app)
{
  EnrSyncEngine *engine = app_engine (app);

  return engine_idle (app) && enr_sync_engine_get_waiting_count (engine) > 0;
}

/* A clerk's changes made offline wait while a supervisor works here —
 * not sent, shown in the sync indicator as waiting for the clerk — and
 * go out when the clerk signs in again. */
static void
steps_owners_wait (gpointer data)
{
  Fixture *fixture = data;
  EnrSyncIndicator *sync;
  g_autofree char *task_id = NULL;
  g_autofree char *status = NULL;
  guint16 port;

  task_id = clerk_enrolls_offline (fixture, &port);

  /* The service is back; a supervisor signs in here. */
  fixture->service = service_start (fixture->database, port, FALSE);
  sign_in (fixture->app, "supervisor", TEST_SUPERVISOR_PASSWORD);
  wait_long (others_waiting, fixture->app);
  sync = indicator ();
  g_assert_cmpuint (enr_sync_engine_get_pending_count (app_engine (fixture->app)), ==, 0);
  g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Online."));
  g_assert_nonnull (strstr (enr_sync_indicator_get_summary (sync), "for them to sign in here"));
  g_assert_null (strstr (enr_sync_indicator_get_summary (sync), "waiting to be sent"));
  open_indicator ();
  g_assert_true (shows_text (enr_sync_indicator_get_popover (sync), "Waiting for Their Owner"));
  g_assert_true (shows_text (enr_sync_indicator_get_popover (sync), "by clerk"));
  screenshot (enr_sync_indicator_get_popover (sync), "online-others-waiting");

  /* Synced as the supervisor, yet the clerk's work is not on the service. */
  wait_long (is_sensitive, find_button (enr_sync_indicator_get_popover (sync), "Sync Now"));
  press (find_button (enr_sync_indicator_get_popover (sync), "Sync Now"));
  wait_long (engine_idle, fixture->app);
  gtk_popover_popdown (GTK_POPOVER (enr_sync_indicator_get_popover (sync)));
  g_assert_cmpuint (task_on_service (fixture, task_id, NULL), ==, 404);

  /* The clerk signs in again: it goes out. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sign-out", NULL);
  sign_in (fixture->app, "clerk", TEST_CLERK_PASSWORD);
  wait_long (engine_synced, fixture->app);
  g_assert_cmpuint (enr_sync_engine_get_waiting_count (app_engine (fixture->app)), ==, 0);
  g_assert_null (strstr (enr_sync_indicator_get_summary (indicator ()), "sign in here"));
  g_assert_cmpuint (task_on_service (fixture, task_id, &status), ==, 200);
  g_assert_cmpstr (status, ==, "completed");
}

static GtkWidget *
first_other_row (EnrSyncIndicator *sync)
{
  GtkWidget *popover = enr_sync_indicator_get_popover (sync);
  GtkListBoxRow *row = NULL;
  GtkWidget *list = find_widget (popover, match_label, "Other Users’ Changes");

  if (GTK_IS_LIST_BOX (list))
    row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);

  return row != NULL && gtk_widget_get_mapped (GTK_WIDGET (row)) ? GTK_WIDGET (row) : NULL;
}

static gboolean
others_listed (gpointer sync)
{
  return first_other_row (sync) != NULL;
}

static gboolean
nothing_waits (gpointer app)
{
  return enr_sync_engine_get_waiting_count (app_engine (app)) == 0;
}

static gboolean
popover_says_discarded (gpointer sync)
{
  return shows_text (enr_sync_indicator_get_popover (sync), "Duplicate: the customer enrolled by phone");
}

/* A supervisor sees the clerk's waiting changes — whose, what, when —
 * and discards them, saying why; the clerk's next sign-in sends nothing
 * of them, and the clerk reads who discarded what and why. */
static void
steps_discard_waiting (gpointer data)
{
  Fixture *fixture = data;
  EnrSyncIndicator *sync;
  EnrDiscardChangeDialog *dialog;
  GtkWidget *row, *reason;
  g_autofree char *task_id = NULL;
  guint16 port;
  guint discarded = 0;

  task_id = clerk_enrolls_offline (fixture, &port);
  fixture->service = service_start (fixture->database, port, FALSE);

  /* A clerk is not offered to discard others' changes. */
  sign_in (fixture->app, "alex", TEST_ALEX_PASSWORD);
  wait_long (others_waiting, fixture->app);
  sync = indicator ();
  open_indicator ();
  g_assert_true (shows_text (enr_sync_indicator_get_popover (sync), "by clerk"));
  g_assert_null (first_other_row (sync));
  g_assert_false (shows_text (enr_sync_indicator_get_popover (sync), "Other Users’ Changes"));
  gtk_popover_popdown (GTK_POPOVER (enr_sync_indicator_get_popover (sync)));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sign-out", NULL);

  sign_in (fixture->app, "supervisor", TEST_SUPERVISOR_PASSWORD);
  wait_long (others_waiting, fixture->app);
  open_indicator ();
  wait_until (others_listed, sync);
  /* Whose, what, when queued. */
  g_assert_true (shows_text (first_other_row (sync), "By clerk, queued "));
  g_assert_true (shows_text (enr_sync_indicator_get_popover (sync), "Maria Gonzalez · Time-of-Use Pilot"));
  screenshot (enr_sync_indicator_get_popover (sync), "online-others-listed");

  while ((row = first_other_row (sync)) != NULL)
    {
      gpointer weak, weak_row = row;

      g_assert_cmpuint (discarded, <, 10);
      press (find_button (row, "Discard…"));
      wait_until (toplevel_shown, GSIZE_TO_POINTER (ENR_TYPE_DISCARD_CHANGE_DIALOG));
      dialog = find_toplevel (ENR_TYPE_DISCARD_CHANGE_DIALOG);
      g_assert_true (shows_text (dialog, "By clerk, queued"));
      /* Not without a reason. */
      g_assert_false (gtk_widget_is_sensitive (find_button (dialog, "Discard Change")));
      reason = find_by_label (dialog, "Reason");
      type_text (reason, "   ");
      g_assert_false (gtk_widget_is_sensitive (find_button (dialog, "Discard Change")));
      type_text (reason, "Duplicate: the customer enrolled by phone");
      if (discarded == 0)
        screenshot (GTK_WIDGET (dialog), "online-discard-change");
      weak = dialog;
      g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
      g_object_add_weak_pointer (G_OBJECT (row), &weak_row);
      press (find_button (dialog, "Discard Change"));
      wait_until (is_null, &weak);
      discarded++;
      open_indicator ();
      /* The discarded change's row goes when the list is rebuilt. */
      wait_until (is_null, &weak_row);
    }
  g_assert_cmpuint (discarded, >, 0);
  gtk_popover_popdown (GTK_POPOVER (enr_sync_indicator_get_popover (sync)));
  wait_long (nothing_waits, fixture->app);
  wait_long (engine_idle, fixture->app);

  /* The clerk signs in: nothing of it goes out; the clerk is told. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sign-out", NULL);
  sign_in (fixture->app, "clerk", TEST_CLERK_PASSWORD);
  wait_long (engine_synced, fixture->app);
  g_assert_cmpuint (task_on_service (fixture, task_id, NULL), ==, 404);
  open_indicator ();
  wait_until (popover_says_discarded, sync);
  g_assert_true (shows_text (enr_sync_indicator_get_popover (sync), "Discarded by a Supervisor"));
  g_assert_true (shows_text (enr_sync_indicator_get_popover (sync), "by supervisor"));
  screenshot (enr_sync_indicator_get_popover (sync), "online-discarded-told");
}

static void
test_owners_wait (Fixture       *fixture,
                  gconstpointer  data)
{
  run_app (fixture->app, steps_owners_wait, fixture);
}

static void
test_discard_waiting (Fixture       *fixture,
                      gconstpointer  data)
{
  run_app (fixture->app, steps_discard_waiting, fixture);
}

static gboolean
problems_listed (gpointer list)
{
  return gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0) != NULL;
}

static gboolean
problems_cleared (gpointer list)
{
  return gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0) == NULL;
}

static void
steps_conflict (gpointer data)
{
  Fixture *fixture = data;
  EnrSyncIndicator *sync;
  EnrAssistant *assistant;
  GtkWidget *list, *row;
  gpointer weak;
  g_autofree char *task_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *cancel_path = NULL;
  g_autofree char *token = NULL;
  g_autofree char *row_name = NULL;
  g_autoptr(JsonNode) task = NULL;
  g_autoptr(JsonNode) canceled = NULL;
  g_autoptr(EnrProcessFlow) flow = NULL;
  guint http = 0;

  sign_in (fixture->app, "clerk", TEST_CLERK_PASSWORD);
  sync = indicator ();
  show_customer ("cust-0001");
  wait_long (program_eligible, (gpointer) "Time-of-Use Pilot: Eligible");
  /* A pull that brings changes reloads the view: let it finish. */
  wait_long (engine_idle, fixture->app);
  wait_for_pending_work ();

  /* Saved online: the task is on the service. */
  assistant = walk_time_of_use ();
  task_id = flow_task_id (assistant);
  press (find_button (assistant, "Save"));
  wait_long (engine_synced, fixture->app);

  /* Meanwhile a supervisor cancels it on the service. */
  token = test_sign_in (fixture->service->url, "supervisor", TEST_SUPERVISOR_PASSWORD);
  path = g_strdup_printf ("/v1/service-tasks/%s", task_id);
  task = test_http (fixture->service->url, "GET", path, token, NULL, -1, NULL, &http);
  g_assert_cmpuint (http, ==, 200);
  cancel_path = g_strdup_printf ("/v1/service-tasks/%s/cancel", task_id);
  canceled = test_http (fixture->service->url, "POST", cancel_path, token, "ui-conflict-cancel",
                        test_json_int (task, "$.version"), "{\"reason\":\"Duplicate request\"}", &http);
  g_assert_cmpuint (http, ==, 200);

  /* The clerk finishes: the change meets the cancellation. */
  weak = assistant;
  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  press (find_button (assistant, "Finish"));
  wait_until (is_null, &weak);
  wait_long (has_conflict, fixture->app);

  g_assert_nonnull (strstr (enr_sync_indicator_get_summary (sync), "1 change needs your attention."));
  open_indicator ();
  list = enr_sync_indicator_get_problems_list (sync);
  wait_until (problems_listed, list);
  /* The change in conflict is not on the service, nor the Finish after
   * it, and the popover says so. */
  wait_until (popover_says_held_back, sync);
  g_assert_false (shows_text (enr_sync_indicator_get_popover (sync), "Everything on this computer is on the service."));
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_true (shows_text (row, "in conflict"));
  g_assert_true (shows_text (row, "Maria Gonzalez · Time-of-Use Pilot"));
  g_assert_true (shows_text (row, "Reason: "));
  g_assert_nonnull (find_button (row, "Keep Mine"));
  g_assert_nonnull (find_button (row, "Save as New"));
  row_name = g_strdup_printf ("Save: in conflict, Maria Gonzalez · Time-of-Use Pilot");
  g_assert_true (has_accessible_label (row, row_name));
  screenshot (enr_sync_indicator_get_popover (sync), "online-indicator-conflict");

  /* Take Theirs: the local change goes, the draft follows the service. */
  press (find_button (row, "Take Theirs"));
  g_assert_cmpuint (enr_sync_engine_get_conflict_count (app_engine (fixture->app)), ==, 0);
  wait_until (problems_cleared, list);
  enr_sync_engine_sync_now (app_engine (fixture->app));
  wait_long (engine_synced, fixture->app);

  {
    g_autoptr(GPtrArray) flows = enr_context_list_flows (app_context (fixture->app), "cust-0001");

    g_assert_cmpuint (flows->len, ==, 1);
    flow = g_object_ref (g_ptr_array_index (flows, 0));
  }
  g_assert_cmpint (enr_service_task_get_status (enr_process_flow_get_task (flow)), ==, ENR_TASK_STATUS_CANCELED);
}

/* The first start on a computer without a service address says what to
 * do; the address entered is kept. */
static void
steps_first_start (gpointer data)
{
  Fixture *fixture = data;
  EnrSignInDialog *dialog = wait_for_toplevel (ENR_TYPE_SIGN_IN_DIALOG);
  GtkWidget *service = find_by_label (dialog, "Service Address");
  gpointer weak = dialog;
  g_autofree char *saved = NULL;

  g_assert_true (shows_text (dialog, "No enrollment service is set up on this computer yet."));
  g_assert_true (shows_text (dialog, "man enrollment-desk"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (service)), ==, "");
  screenshot (GTK_WIDGET (dialog), "online-first-start");

  type_text (find_by_label (dialog, "User Name"), "clerk");
  type_text (find_by_label (dialog, "Password"), TEST_CLERK_PASSWORD);
  press (find_button (dialog, "Sign In"));
  g_assert_cmpstr (enr_sign_in_dialog_get_error (dialog), ==, "Enter the address of the enrollment service.");
  g_assert_true (is_invalid (service));

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  type_text (service, fixture->service->url);
  press (find_button (dialog, "Sign In"));
  wait_long (is_null, &weak);
  saved = g_settings_get_string (fixture->settings, "service-url");
  g_assert_cmpstr (saved, ==, fixture->service->url);
  wait_long (engine_idle, fixture->app);
  g_assert_true (enr_sync_engine_get_running (app_engine (fixture->app)));
}

static void
test_first_start (Fixture       *fixture,
                  gconstpointer  data)
{
  run_app (fixture->app, steps_first_start, fixture);
}

static gboolean
indicator_offline (gpointer sync)
{
  return shows_text (enr_sync_indicator_get_button (sync), "Offline") &&
         g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Offline.");
}

/* The service is killed while the client is idle: the indicator says
 * offline within 5 s, without waiting for a poll or a change. */
static void
steps_service_killed (gpointer data)
{
  Fixture *fixture = data;
  EnrSyncIndicator *sync;

  sign_in (fixture->app, "clerk", TEST_CLERK_PASSWORD);
  sync = indicator ();
  wait_long (engine_synced, fixture->app);
  g_assert_true (shows_text (enr_sync_indicator_get_button (sync), "Online"));
  open_indicator ();
  g_assert_true (shows_text (enr_sync_indicator_get_popover (sync), "Everything on this computer is on the service."));

  service_kill (g_steal_pointer (&fixture->service));
  g_assert_true (wait_until_impl (indicator_offline, sync, "indicator_offline", 5 * G_USEC_PER_SEC));
  g_assert_true (shows_text (enr_sync_indicator_get_popover (sync), "The service cannot be reached."));
  g_assert_false (shows_text (enr_sync_indicator_get_popover (sync), "Everything on this computer is on the service."));
  screenshot (enr_sync_indicator_get_popover (sync), "online-indicator-service-killed");
}

static void
test_service_killed (Fixture       *fixture,
                     gconstpointer  data)
{
  run_app (fixture->app, steps_service_killed, fixture);
}

static void
steps_sync_once (gpointer data)
{
  Fixture *fixture = data;

  sign_in (fixture->app, "clerk", TEST_CLERK_PASSWORD);
  wait_long (engine_synced, fixture->app);
  fixture->last_sync = g_date_time_ref (enr_sync_engine_get_last_success (app_engine (fixture->app)));
}

static gboolean
summary_knows_last_sync (gpointer sync)
{
  const char *summary = enr_sync_indicator_get_summary (sync);

  return summary != NULL && strstr (summary, "Last sync: ") != NULL &&
         strstr (summary, "Last sync: Never.") == NULL;
}

/* After a restart, working offline, the indicator still tells when the
 * data was last synced. */
static void
steps_restart_offline (gpointer data)
{
  Fixture *fixture = data;
  EnrSignInDialog *dialog = wait_for_toplevel (ENR_TYPE_SIGN_IN_DIALOG);
  EnrSyncIndicator *sync;
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  type_text (find_by_label (dialog, "User Name"), "clerk");
  type_text (find_by_label (dialog, "Password"), TEST_CLERK_PASSWORD);
  press (find_button (dialog, "Work Offline"));
  wait_long (is_null, &weak);

  sync = indicator ();
  g_assert_nonnull (enr_sync_engine_get_last_success (app_engine (fixture->app)));
  g_assert_true (g_date_time_equal (enr_sync_engine_get_last_success (app_engine (fixture->app)),
                                    fixture->last_sync));
  wait_until (summary_knows_last_sync, sync);
  open_indicator ();
  g_assert_false (shows_text (enr_sync_indicator_get_popover (sync), "Never"));
  screenshot (enr_sync_indicator_get_popover (sync), "online-indicator-after-restart");
}

static void
test_last_sync_kept (Fixture       *fixture,
                     gconstpointer  data)
{
  run_app (fixture->app, steps_sync_once, fixture);
  release_application (&fixture->app);
  service_stop (g_steal_pointer (&fixture->service));

  fixture->app = new_application ();
  run_app (fixture->app, steps_restart_offline, fixture);
}

/* --offline --password-file: no dialog, working offline as the user. */
static void
steps_offline_password_file (gpointer data)
{
  Fixture *fixture = data;

  wait_long (working_as_clerk, fixture->app);
  g_assert_null (find_toplevel (ENR_TYPE_SIGN_IN_DIALOG));
  g_assert_cmpint (enr_context_get_role (app_context (fixture->app)), ==, ENR_ROLE_CLERK);
  g_assert_false (enr_sync_engine_get_running (app_engine (fixture->app)));
  g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (indicator ()), "Working Offline."));
}

/* --offline alone: the sign-in dialog asks for the password, and Enter
 * works offline with it. */
static void
steps_offline_asks_password (gpointer data)
{
  Fixture *fixture = data;
  EnrSignInDialog *dialog = wait_for_toplevel (ENR_TYPE_SIGN_IN_DIALOG);
  GtkWidget *password = find_by_label (dialog, "Password");
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_assert_true (shows_text (dialog, "Enter the password of clerk to work offline"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_by_label (dialog, "User Name"))), ==, "clerk");
  g_assert_false (has_user (fixture->app));
  screenshot (GTK_WIDGET (dialog), "online-offline-asks-password");

  type_text (password, "not-the-password");
  gtk_widget_activate_action (password, "default.activate", NULL);
  wait_long (dialog_answered, dialog);
  g_assert_nonnull (strstr (enr_sign_in_dialog_get_error (dialog), "password is wrong"));
  g_assert_false (has_user (fixture->app));

  type_text (password, TEST_CLERK_PASSWORD);
  gtk_widget_activate_action (password, "default.activate", NULL);
  wait_long (is_null, &weak);
  g_assert_true (working_as_clerk (fixture->app));
  g_assert_false (enr_sync_engine_get_running (app_engine (fixture->app)));
}

/* A wrong password in the file: the dialog says so and asks. */
static void
steps_offline_wrong_file (gpointer data)
{
  EnrSignInDialog *dialog = wait_for_toplevel (ENR_TYPE_SIGN_IN_DIALOG);

  g_assert_nonnull (enr_sign_in_dialog_get_error (dialog));
  g_assert_nonnull (strstr (enr_sign_in_dialog_get_error (dialog), "password is wrong"));
  g_assert_true (is_invalid (find_by_label (dialog, "Password")));
}

static void
write_password_file (const char *path,
                     const char *password)
{
  g_autofree char *contents = g_strconcat (password, "\n", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error));
  g_assert_no_error (error);
}

/* Working offline from the command line, once signed in online here. */
static void
test_offline_command_line (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *password_file = g_build_filename (fixture->directory, "password", NULL);
  const char * const with_file[] = { "--offline", "--username", "clerk", "--password-file", password_file, NULL };
  const char * const asking[] = { "--offline", NULL };

  run_app (fixture->app, steps_sync_once, fixture);
  release_application (&fixture->app);
  service_stop (g_steal_pointer (&fixture->service));

  write_password_file (password_file, TEST_CLERK_PASSWORD);
  fixture->app = new_application ();
  run_app_with_options (fixture->app, with_file, steps_offline_password_file, fixture);
  release_application (&fixture->app);

  write_password_file (password_file, "not-the-password");
  fixture->app = new_application ();
  run_app_with_options (fixture->app, with_file, steps_offline_wrong_file, fixture);
  release_application (&fixture->app);

  fixture->app = new_application ();
  run_app_with_options (fixture->app, asking, steps_offline_asks_password, fixture);
}

static gboolean
lock_dialog_shown (gpointer data)
{
  return find_toplevel (ENR_TYPE_LOCK_DIALOG) != NULL;
}

static gboolean
lock_dialog_answered (gpointer dialog)
{
  return !enr_lock_dialog_get_busy (dialog) && enr_lock_dialog_get_error (dialog) != NULL;
}

/* Left alone with a flow open, the client locks: the windows' content is
 * hidden; the password brings it back, with what was typed. */
static void
steps_idle_lock (gpointer data)
{
  Fixture *fixture = data;
  EnrIdleLock *lock = enr_application_get_idle_lock (fixture->app);
  EnrCustomerView *view;
  EnrAssistant *assistant;
  EnrLockDialog *dialog;
  GtkWidget *row, *notes, *password, *search;
  GtkTextBuffer *buffer;
  g_autofree char *kept = NULL;
  gpointer weak;

  g_assert_cmpuint (enr_idle_lock_get_timeout (lock), ==, 10 * 60);
  sign_in (fixture->app, "clerk", TEST_CLERK_PASSWORD);

  view = show_customer ("cust-0001");
  wait_long (program_eligible, (gpointer) "Time-of-Use Pilot: Eligible");
  row = find_widget (enr_customer_view_get_programs_list (view), match_label, "Time-of-Use Pilot: Eligible");
  press (find_button (row, "Enroll in Time-of-Use Pilot"));
  wait_until (assistant_is_open, NULL);
  assistant = find_assistant ();
  notes = find_by_label (enr_assistant_get_page (assistant, ENR_PANEL_CUSTOMER), "Notes");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes));
  gtk_text_buffer_set_text (buffer, "Asked about the pilot at the desk.", -1);
  search = enr_window_get_search_entry (main_window ());
  gtk_editable_set_text (GTK_EDITABLE (search), "Gonzalez");
  g_assert_true (gtk_widget_get_mapped (search));

  /* A second without a key or a click. */
  enr_idle_lock_set_timeout (lock, 1);
  wait_long (lock_dialog_shown, NULL);
  dialog = find_toplevel (ENR_TYPE_LOCK_DIALOG);
  enr_idle_lock_set_timeout (lock, 0);
  g_assert_true (enr_idle_lock_get_locked (lock));
  g_assert_false (gtk_widget_get_mapped (gtk_window_get_child (GTK_WINDOW (main_window ()))));
  g_assert_false (gtk_widget_get_mapped (gtk_window_get_child (GTK_WINDOW (assistant))));
  g_assert_false (gtk_widget_get_mapped (notes));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (assistant)));
  g_assert_false (shows_text (main_window (), "Maria Gonzalez"));
  /* Nor the header bars: the search typed there, the assistant's title. */
  g_assert_false (gtk_widget_get_mapped (search));
  g_assert_false (gtk_widget_get_ancestor (search, GTK_TYPE_WINDOW) == GTK_WIDGET (main_window ()));
  g_assert_false (shows_text (main_window (), "Gonzalez"));
  g_assert_false (shows_text (assistant, "Gonzalez"));
  g_assert_true (shows_text (main_window (), "Locked"));
  g_assert_true (shows_text (dialog, "Enter the password of clerk"));
  screenshot (GTK_WIDGET (dialog), "online-idle-lock");
  screenshot (GTK_WIDGET (main_window ()), "online-idle-lock-window");

  /* Closing it does not unlock. */
  gtk_window_close (GTK_WINDOW (dialog));
  settle ();
  g_assert_true (find_toplevel (ENR_TYPE_LOCK_DIALOG) == dialog);
  g_assert_true (enr_idle_lock_get_locked (lock));

  password = find_by_label (dialog, "Password");
  type_text (password, "not-the-password");
  press (find_button (dialog, "Unlock"));
  wait_long (lock_dialog_answered, dialog);
  g_assert_nonnull (strstr (enr_lock_dialog_get_error (dialog), "password is wrong"));
  g_assert_true (enr_idle_lock_get_locked (lock));

  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  type_text (password, TEST_CLERK_PASSWORD);
  press (find_button (dialog, "Unlock"));
  wait_long (is_null, &weak);
  g_assert_false (enr_idle_lock_get_locked (lock));
  wait_until (is_mapped, notes);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (assistant)));
  g_object_get (buffer, "text", &kept, NULL);
  g_assert_cmpstr (kept, ==, "Asked about the pilot at the desk.");
  wait_until (is_mapped, search);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "Gonzalez");
  g_assert_false (shows_text (main_window (), "Locked"));
  g_assert_true (working_as_clerk (fixture->app));
}

static void
test_idle_lock (Fixture       *fixture,
                gconstpointer  data)
{
  run_app (fixture->app, steps_idle_lock, fixture);
}

static gboolean
store_removed (gpointer path)
{
  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

/* With everything on the service, Sign Out and Remove This Computer's
 * Data deletes the store and quits. */
static void
steps_remove_data (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *wal = g_strconcat (fixture->store_path, "-wal", NULL);
  GtkWindow *dialog;

  sign_in (fixture->app, "clerk", TEST_CLERK_PASSWORD);
  wait_long (engine_synced, fixture->app);
  g_assert_true (g_file_test (fixture->store_path, G_FILE_TEST_EXISTS));

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "remove-data", NULL);
  wait_until (message_dialog_open, (gpointer) "remove-data-dialog");
  dialog = find_message_dialog ("remove-data-dialog");
  screenshot (GTK_WIDGET (dialog), "online-remove-data");
  press (find_button (dialog, "Remove Data"));
  wait_long (store_removed, fixture->store_path);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (has_user (fixture->app));
}

static void
test_remove_data (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *saved = NULL;

  run_app (fixture->app, steps_remove_data, fixture);
  saved = g_settings_get_string (fixture->settings, "username");
  g_assert_cmpstr (saved, ==, "");
}

static void
test_sign_in_dialog (Fixture       *fixture,
                     gconstpointer  data)
{
  run_app (fixture->app, steps_sign_in_dialog, fixture);
}

static void
test_offline_enrollment (Fixture       *fixture,
                         gconstpointer  data)
{
  run_app (fixture->app, steps_offline_enrollment, fixture);
}

static void
test_import_offline (Fixture       *fixture,
                     gconstpointer  data)
{
  run_app (fixture->app, steps_import_offline, fixture);
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  run_app (fixture->app, steps_conflict, fixture);
}

static void
test_untrusted_certificate (Fixture       *fixture,
                            gconstpointer  data)
{
  run_app (fixture->app, steps_untrusted_certificate, fixture);
}

int
main (int   argc,
      char *argv[])
{
  online_test_init (&argc, &argv);

  g_test_add ("/online/sign-in", Fixture, NULL,
              fixture_set_up, test_sign_in_dialog, fixture_tear_down);
  g_test_add ("/online/first-start", Fixture, "first-start",
              fixture_set_up, test_first_start, fixture_tear_down);
  g_test_add ("/online/untrusted-certificate", Fixture, NULL,
              fixture_set_up, test_untrusted_certificate, fixture_tear_down);
  g_test_add ("/online/offline-enrollment", Fixture, NULL,
              fixture_set_up, test_offline_enrollment, fixture_tear_down);
  g_test_add ("/online/import-offline", Fixture, NULL,
              fixture_set_up, test_import_offline, fixture_tear_down);
  g_test_add ("/online/conflict", Fixture, NULL,
              fixture_set_up, test_conflict, fixture_tear_down);
  g_test_add ("/online/service-killed", Fixture, NULL,
              fixture_set_up, test_service_killed, fixture_tear_down);
  g_test_add ("/online/offline-command-line", Fixture, NULL,
              fixture_set_up, test_offline_command_line, fixture_tear_down);
  g_test_add ("/online/idle-lock", Fixture, NULL,
              fixture_set_up, test_idle_lock, fixture_tear_down);
  g_test_add ("/online/owners-wait", Fixture, NULL,
              fixture_set_up, test_owners_wait, fixture_tear_down);
  g_test_add ("/online/discard-waiting", Fixture, NULL,
              fixture_set_up, test_discard_waiting, fixture_tear_down);
  g_test_add ("/online/remove-data", Fixture, NULL,
              fixture_set_up, test_remove_data, fixture_tear_down);
  g_test_add ("/online/last-sync-kept", Fixture, NULL,
              fixture_set_up, test_last_sync_kept, fixture_tear_down);

  return g_test_run ();
}

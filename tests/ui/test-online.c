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

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "enr-application.h"
#include "enr-assistant.h"
#include "enr-customer-view.h"
#include "enr-flow-session.h"
#include "enr-gui-utils.h"
#include "enr-preferences-dialog.h"
#include "enr-sign-in-dialog.h"
#include "enr-sync-engine.h"
#include "enr-sync-indicator.h"
#include "enr-window.h"
#include "sync-test-util.h"
#include "ui-test-util.h"

#define SYNC_TIMEOUT_US  (60 * G_USEC_PER_SEC)

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
} Fixture;

/* Waiting: bounded iterations of the default main context */

#define wait_long(cond, data) g_assert_true (wait_until_impl ((cond), (data), #cond, SYNC_TIMEOUT_US))

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_is_sensitive (GTK_WIDGET (widget));
}

/* Finding widgets */

static gboolean
label_text_contains (GtkWidget     *widget,
                     gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
shows_text (gpointer    root,
            const char *text)
{
  return find_widget (GTK_WIDGET (root), label_text_contains, text) != NULL;
}

/* Acting */

static void
type_text (GtkWidget  *editable,
           const char *text)
{
  g_assert_true (GTK_IS_EDITABLE (editable));
  gtk_widget_grab_focus (editable);
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

static gboolean
is_invalid (GtkWidget *widget)
{
  g_autofree char *mismatch = NULL;

  mismatch = gtk_test_accessible_check_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID,
                                              GTK_ACCESSIBLE_INVALID_TRUE);
  return mismatch == NULL && gtk_widget_has_css_class (widget, "error");
}

/* Screenshots */

static void
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint n_paints = 0;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &n_paints);
  gtk_widget_queue_draw (widget);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  if (!wait_until_impl (painted_twice, &n_paints, "painted_twice", G_USEC_PER_SEC / 2) &&
      GTK_IS_WINDOW (widget))
    {
      static int nudge = 1;
      int width, height;

      /* Without a window manager GDK may wait for a configure event. */
      gtk_window_get_default_size (GTK_WINDOW (widget), &width, &height);
      gtk_window_set_default_size (GTK_WINDOW (widget), width + nudge, height);
      nudge = -nudge;
      wait_until (painted_twice, &n_paints);
    }
  g_signal_handler_disconnect (clock, handler);
}

/* @widget: a window or a popover */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  GdkRGBA background;
  int width, height;

  settle ();
  wait_for_paint (widget);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  snapshot = gtk_snapshot_new ();
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "theme_bg_color", &background))
    gdk_rgba_parse (&background, "#f6f5f4");
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  directory = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                "screenshots", NULL);
  g_mkdir_with_parents (directory, 0755);
  path = g_strdup_printf ("%s/%s.png", directory, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
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

/* The application */

static EnrContext *
get_context (Fixture *fixture)
{
  return enr_application_get_context (fixture->app);
}

static EnrSyncEngine *
get_engine (Fixture *fixture)
{
  return ENR_SYNC_ENGINE (enr_context_get_sync_engine (get_context (fixture)));
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
toplevel_shown (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static EnrWindow *
main_window (void)
{
  EnrWindow *window = find_toplevel (ENR_TYPE_WINDOW);

  g_assert_nonnull (window);
  return window;
}

static EnrSyncIndicator *
indicator (void)
{
  GtkBox *slot = enr_window_get_sync_slot (main_window ());
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (slot));

  g_assert_true (ENR_IS_SYNC_INDICATOR (child));
  return ENR_SYNC_INDICATOR (child);
}

static EnrSignInDialog *
sign_in_dialog (void)
{
  wait_until (toplevel_shown, GSIZE_TO_POINTER (ENR_TYPE_SIGN_IN_DIALOG));
  return find_toplevel (ENR_TYPE_SIGN_IN_DIALOG);
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

  fixture->settings = g_settings_new (APP_ID);
  g_settings_set_string (fixture->settings, "service-url", fixture->service->url);
  g_settings_set_string (fixture->settings, "ca-file", "");
  g_settings_set_string (fixture->settings, "username", "");
  g_settings_set_string (fixture->settings, "last-customer", "");
  g_setenv ("ENR_STORE_PATH", fixture->store_path, TRUE);

  fixture->app = g_object_new (ENR_TYPE_APPLICATION,
                               "application-id", APP_ID,
                               "flags", G_APPLICATION_NON_UNIQUE,
                               "resource-base-path", "/io/github/enrollmentdesk/EnrollmentDesk",
                               NULL);
}

typedef void (*Steps) (Fixture *fixture);

typedef struct
{
  Fixture *fixture;
  Steps    steps;
} Run;

static gboolean
run_steps_cb (gpointer data)
{
  Run *run = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  wait_until (toplevel_shown, GSIZE_TO_POINTER (ENR_TYPE_WINDOW));
  run->steps (run->fixture);

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
  settle ();
  g_application_quit (G_APPLICATION (run->fixture->app));

  return G_SOURCE_REMOVE;
}

static void
on_activate_cb (GApplication *application,
                Run          *run)
{
  g_idle_add (run_steps_cb, run);
}

/* Runs the application and @steps in it, until they are done. */
static void
run_app (Fixture *fixture,
         Steps    steps)
{
  char *argv[] = { (char *) "test-online", NULL };
  Run run = { fixture, steps };
  gulong handler;

  handler = g_signal_connect_after (fixture->app, "activate", G_CALLBACK (on_activate_cb), &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (fixture->app), 1, argv), ==, 0);
  g_signal_handler_disconnect (fixture->app, handler);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const files[] = {
    "service.db", "service.db-wal", "service.db-shm", "client.db", "client.db-wal", "client.db-shm",
    "tls.db", "tls.db-wal", "tls.db-shm",
  };
  GListModel *toplevels = gtk_window_get_toplevels ();
  gpointer weak = fixture->app;

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
  settle ();

  g_object_add_weak_pointer (G_OBJECT (fixture->app), &weak);
  g_clear_object (&fixture->app);
  settle ();
  g_assert_null (weak);

  service_stop (fixture->service);
  g_clear_object (&fixture->settings);
  g_unsetenv ("ENR_STORE_PATH");

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (fixture->directory, files[i], NULL);

      g_remove (path);
    }
  g_rmdir (fixture->directory);

  g_free (fixture->directory);
  g_free (fixture->database);
  g_free (fixture->store_path);
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
engine_idle (gpointer fixture)
{
  EnrSyncEngine *engine = get_engine (fixture);

  return enr_sync_engine_get_state (engine) == ENR_SYNC_STATE_IDLE &&
         enr_sync_engine_get_last_success (engine) != NULL;
}

static gboolean
engine_synced (gpointer fixture)
{
  EnrSyncEngine *engine = get_engine (fixture);

  return engine_idle (fixture) && enr_sync_engine_get_pending_count (engine) == 0;
}

/* Through the dialog, as a person does. */
static void
sign_in (Fixture    *fixture,
         const char *username,
         const char *password)
{
  EnrSignInDialog *dialog = sign_in_dialog ();
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  type_text (find_by_label (dialog, "User Name"), username);
  type_text (find_by_label (dialog, "Password"), password);
  press (find_button (dialog, "Sign In"));
  wait_long (is_null, &weak);
  wait_long (engine_idle, fixture);
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

typedef struct
{
  EnrAssistant *assistant;
  EnrPanel      panel;
} PanelWait;

static gboolean
is_on_panel (gpointer data)
{
  PanelWait *wait = data;

  return enr_assistant_get_current_panel (wait->assistant) == wait->panel &&
         gtk_widget_get_mapped (GTK_WIDGET (enr_assistant_get_page (wait->assistant, wait->panel)));
}

static void
press_next_to (EnrAssistant *assistant,
               EnrPanel      expected)
{
  PanelWait wait = { assistant, expected };

  press (find_button (assistant, "Next"));
  wait_until (is_on_panel, &wait);
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
  press (find_button (row, "Enroll"));
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

static void
steps_sign_in_dialog (Fixture *fixture)
{
  EnrSignInDialog *dialog = sign_in_dialog ();
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

  /* Work Offline needs a user who signed in here before. */
  type_text (find_by_label (dialog, "User Name"), "clerk");
  press (find_button (dialog, "Work Offline"));
  g_assert_nonnull (enr_sign_in_dialog_get_error (dialog));
  g_assert_nonnull (strstr (enr_sign_in_dialog_get_error (dialog), "Nobody has signed in as “clerk”"));
  g_assert_true (is_invalid (find_by_label (dialog, "User Name")));

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
  wait_long (engine_idle, fixture);
  g_signal_handlers_disconnect_by_data (watch.bar, &watch);

  g_assert_true (watch.partial);
  g_assert_cmpuint (watch.updates, >=, 2);
  g_assert_false (gtk_widget_get_visible (watch.bar));
  g_assert_cmpstr (enr_context_get_username (get_context (fixture)), ==, "clerk");
  g_assert_cmpint (enr_context_get_role (get_context (fixture)), ==, ENR_ROLE_CLERK);
  saved = g_settings_get_string (fixture->settings, "username");
  g_assert_cmpstr (saved, ==, "clerk");
  g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Online."));
  g_assert_nonnull (strstr (enr_sync_indicator_get_summary (sync), "Last sync: Just now."));
  g_assert_true (enr_sync_engine_get_running (get_engine (fixture)));

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
    EnrApiClient *client = enr_sync_engine_get_client (get_engine (fixture));
    g_autoptr(JsonNode) reply = NULL;
    guint http = 0;

    reply = test_http (fixture->service->url, "DELETE", "/v1/sessions/current",
                       enr_api_client_get_token (client), NULL, -1, NULL, &http);
    g_assert_cmpuint (http, ==, 204);
    enr_sync_engine_sync_now (get_engine (fixture));
    dialog = sign_in_dialog ();
    g_assert_true (shows_text (dialog, "Your session with the service has ended."));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_by_label (dialog, "User Name"))), ==, "clerk");
    g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "sign-in"));
    weak = dialog;
    g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
    type_text (find_by_label (dialog, "Password"), TEST_CLERK_PASSWORD);
    press (find_button (dialog, "Sign In"));
    wait_long (is_null, &weak);
    wait_long (engine_idle, fixture);
    g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Online."));
  }

  /* Signing out asks to sign in again; now Work Offline knows the user. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "sign-out"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sign-out", NULL);
  dialog = sign_in_dialog ();
  g_assert_true (shows_text (dialog, "You signed out."));
  g_assert_false (enr_sync_engine_get_running (get_engine (fixture)));
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  press (find_button (dialog, "Work Offline"));
  wait_until (is_null, &weak);
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
steps_untrusted_certificate (Fixture *fixture)
{
  g_autofree char *database = g_build_filename (fixture->directory, "tls.db", NULL);
  g_autofree char *ca_file = g_build_filename (g_getenv ("ENR_SOURCE_ROOT"), "tests", "service", "tls-test-cert.pem", NULL);
  g_autofree char *saved = NULL;
  Service *service = service_start_full (database, 0, TRUE, TRUE);
  EnrSignInDialog *dialog = sign_in_dialog ();
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
  wait_long (engine_idle, fixture);
  g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (indicator ()), "Online."));

  enr_sync_engine_stop (get_engine (fixture));
  service_stop (service);
}

static gboolean
offline_with_pending (gpointer fixture)
{
  EnrSyncEngine *engine = get_engine (fixture);

  return enr_sync_engine_get_state (engine) == ENR_SYNC_STATE_OFFLINE &&
         enr_sync_engine_get_pending_count (engine) > 0 &&
         enr_sync_engine_get_running (engine);
}

static gboolean
popover_says_unreachable (gpointer sync)
{
  return shows_text (enr_sync_indicator_get_popover (sync), "The service cannot be reached.");
}

static void
steps_offline_enrollment (Fixture *fixture)
{
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

  sign_in (fixture, "clerk", TEST_CLERK_PASSWORD);
  sync = indicator ();

  /* The customer is opened while online, then the service goes away. */
  show_customer ("cust-0001");
  wait_long (program_eligible, (gpointer) "Time-of-Use Pilot: Eligible");
  /* A pull that brings changes reloads the view: let it finish. */
  wait_long (engine_idle, fixture);
  for (guint i = 0; i < 4; i++)
    settle ();
  port = fixture->service->port;
  service_stop (fixture->service);
  fixture->service = NULL;

  assistant = walk_time_of_use ();
  task_id = flow_task_id (assistant);
  weak = assistant;
  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  press (find_button (assistant, "Finish"));
  wait_until (is_null, &weak);

  /* Finish pushed at once, failed: offline, the changes wait. */
  wait_long (offline_with_pending, fixture);
  pending = enr_sync_engine_get_pending_count (get_engine (fixture));
  pending_text = g_strdup_printf ("%u to send", pending);
  g_assert_true (g_str_has_prefix (enr_sync_indicator_get_summary (sync), "Offline."));
  g_assert_nonnull (strstr (enr_sync_indicator_get_summary (sync), "waiting to be sent"));
  g_assert_true (shows_text (enr_sync_indicator_get_button (sync), "Offline"));
  g_assert_true (shows_text (enr_sync_indicator_get_button (sync), pending_text));
  screenshot (GTK_WIDGET (main_window ()), "online-offline-pending");
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
  wait_long (engine_synced, fixture);
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

static gboolean
has_conflict (gpointer fixture)
{
  EnrSyncEngine *engine = get_engine (fixture);

  return enr_sync_engine_get_conflict_count (engine) == 1 &&
         enr_sync_engine_get_state (engine) != ENR_SYNC_STATE_SYNCING;
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
steps_conflict (Fixture *fixture)
{
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

  sign_in (fixture, "clerk", TEST_CLERK_PASSWORD);
  sync = indicator ();
  show_customer ("cust-0001");
  wait_long (program_eligible, (gpointer) "Time-of-Use Pilot: Eligible");
  /* A pull that brings changes reloads the view: let it finish. */
  wait_long (engine_idle, fixture);
  for (guint i = 0; i < 4; i++)
    settle ();

  /* Saved online: the task is on the service. */
  assistant = walk_time_of_use ();
  task_id = flow_task_id (assistant);
  press (find_button (assistant, "Save"));
  wait_long (engine_synced, fixture);

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
  wait_long (has_conflict, fixture);

  g_assert_nonnull (strstr (enr_sync_indicator_get_summary (sync), "1 change needs your attention."));
  open_indicator ();
  list = enr_sync_indicator_get_problems_list (sync);
  wait_until (problems_listed, list);
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_true (shows_text (row, "in conflict"));
  g_assert_true (shows_text (row, "Maria Gonzalez · Time-of-Use Pilot"));
  g_assert_true (shows_text (row, "Reason: "));
  g_assert_nonnull (find_button (row, "Keep Mine"));
  g_assert_nonnull (find_button (row, "Save as New"));
  row_name = g_strdup_printf ("Saved process flow: in conflict, Maria Gonzalez · Time-of-Use Pilot");
  g_assert_true (has_accessible_label (row, row_name));
  screenshot (enr_sync_indicator_get_popover (sync), "online-indicator-conflict");

  /* Take Theirs: the local change goes, the draft follows the service. */
  press (find_button (row, "Take Theirs"));
  g_assert_cmpuint (enr_sync_engine_get_conflict_count (get_engine (fixture)), ==, 0);
  wait_until (problems_cleared, list);
  enr_sync_engine_sync_now (get_engine (fixture));
  wait_long (engine_synced, fixture);

  {
    g_autoptr(GPtrArray) flows = enr_context_list_flows (get_context (fixture), "cust-0001");

    g_assert_cmpuint (flows->len, ==, 1);
    flow = g_object_ref (g_ptr_array_index (flows, 0));
  }
  g_assert_cmpint (enr_service_task_get_status (enr_process_flow_get_task (flow)), ==, ENR_TASK_STATUS_CANCELED);
}

static void
test_sign_in_dialog (Fixture       *fixture,
                     gconstpointer  data)
{
  run_app (fixture, steps_sign_in_dialog);
}

static void
test_offline_enrollment (Fixture       *fixture,
                         gconstpointer  data)
{
  run_app (fixture, steps_offline_enrollment);
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  run_app (fixture, steps_conflict);
}

static void
test_untrusted_certificate (Fixture       *fixture,
                            gconstpointer  data)
{
  run_app (fixture, steps_untrusted_certificate);
}

int
main (int   argc,
      char *argv[])
{
  /* The application is registered, never run: without a session bus it
   * has nothing to unregister at the end of each test. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/enr-test-no-bus", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  enr_gui_init ();
  /* Requests here cross a real service, sometimes across its restart. */
  ui_test_timeout_us = 10 * G_USEC_PER_SEC;

  g_test_add ("/online/sign-in", Fixture, NULL,
              fixture_set_up, test_sign_in_dialog, fixture_tear_down);
  g_test_add ("/online/untrusted-certificate", Fixture, NULL,
              fixture_set_up, test_untrusted_certificate, fixture_tear_down);
  g_test_add ("/online/offline-enrollment", Fixture, NULL,
              fixture_set_up, test_offline_enrollment, fixture_tear_down);
  g_test_add ("/online/conflict", Fixture, NULL,
              fixture_set_up, test_conflict, fixture_tear_down);

  return g_test_run ();
}

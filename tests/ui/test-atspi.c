/* test-atspi.c — the client under an assistive-technology client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A screen reader reads the accessible tree while windows come and go.
 * This test starts a private session bus (dbus-daemon, which activates
 * at-spi2-core's accessibility bus), runs the real EnrApplication with
 * GTK's AT-SPI backend on it and atspi-walker.py (python3-pyatspi),
 * which walks every accessible object over and over and keeps asking for
 * the last window; meanwhile it signs in through the sign-in dialog and
 * waits until the walker read the main window, 20 times, opening and
 * closing the shortcuts window and the About dialog on the way. The
 * client must never crash. On GTK 4.8.3 it did, in the first round of
 * every run, until no window was kept hidden: after Sign In destroyed the
 * sign-in dialog, the walker's GetChildAtIndex for the window it had
 * counted last got the last toplevel instead, the hidden shortcuts window
 * GtkApplication keeps, which has no object path (see enr-window.c). So
 * the test also checks that no window is ever kept hidden.
 *
 * A screen reader reads a control's accessible name; where a control has
 * none, GTK 4.8's AT-SPI backend gives its type name ("GtkToggleButton"),
 * which says nothing to the clerk. /atspi/no-type-names reads every
 * object's name over AT-SPI (atspi-names.py) in the sign-in dialog, the
 * main window with and without a customer and each of the assistant's
 * four panels, and fails listing every object whose name is a type's
 * name; /atspi/no-type-names-supervisor does the same with Process Flows
 * showing a process flow and with the sync popover open. The objects of
 * pages not shown are read too, as AT-SPI gives them.
 *
 * The assistant's step buttons carry their state in their accessible
 * description ("Step 1 of 4: Current step"), which GTK replaces with the
 * tooltip if the tooltip is set after it. /atspi/no-type-names also reads
 * the four descriptions over AT-SPI on the Customer panel, and again
 * after Next until they say that the Customer step was visited and the
 * Program Enrollment step is current (bounded).
 *
 * All the tests share one session bus: GTK stays on the accessibility
 * bus it found first for the life of the process.
 *
 * Runs under a display (xvfb-run) with GSETTINGS_BACKEND=memory.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <gtk/gtk.h>

#include "enr-application.h"
#include "enr-appointment-picker.h"
#include "enr-assistant.h"
#include "enr-customer-view.h"
#include "enr-gui-utils.h"
#include "enr-monitor.h"
#include "enr-sign-in-dialog.h"
#include "enr-sync-indicator.h"
#include "enr-window.h"
#include "sync-test-util.h"
#include "ui-test-util.h"

#define N_ROUNDS 20
#define ROUNDS_PER_APP 5

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *output;
  GCancellable     *cancellable;
  guint             walks;
  guint             objects;
  guint             begins;
  guint             counts;
  gint              windows;
  gboolean          ready;
  gboolean          gone;
} Walker;

typedef struct
{
  TestService    *service;
  char           *directory;
  char           *store_path;
  GSettings      *settings;
  Walker         *walker;
  EnrApplication *app;
  guint           round;
} Fixture;

/* The walker */

static void read_walker_line (Walker *walker);

static void
on_walker_line_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Walker *walker = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source_object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (line == NULL)
    {
      walker->gone = TRUE;
      return;
    }

  if (g_str_equal (line, "ready"))
    walker->ready = TRUE;
  else if (g_str_equal (line, "begin"))
    walker->begins++;
  else if (g_str_has_prefix (line, "count "))
    {
      walker->counts++;
      walker->windows = (gint) g_ascii_strtoll (line + strlen ("count "), NULL, 10);
    }
  else if (g_str_has_prefix (line, "walk "))
    {
      walker->walks++;
      walker->objects = MAX (walker->objects, (guint) g_ascii_strtoull (line + strlen ("walk "), NULL, 10));
    }

  read_walker_line (walker);
}

static void
read_walker_line (Walker *walker)
{
  g_data_input_stream_read_line_async (walker->output, G_PRIORITY_DEFAULT, walker->cancellable,
                                       on_walker_line_cb, walker);
}

static gboolean
walker_ready (gpointer data)
{
  Walker *walker = data;

  return walker->ready || walker->gone;
}

static Walker *
walker_start (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;
  Walker *walker = g_new0 (Walker, 1);

  script = g_build_filename (g_getenv ("ENR_SOURCE_ROOT"), "tests", "ui", "atspi-walker.py", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* The stand-in for a screen reader is not under test: its own
   * libraries' criticals are not fatal to it. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  walker->process = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", script, NULL);
  g_assert_no_error (error);
  walker->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (walker->process));
  walker->cancellable = g_cancellable_new ();
  read_walker_line (walker);

  wait_long (walker_ready, walker);
  g_assert_false (walker->gone);

  return walker;
}

static void
walker_stop (Walker *walker)
{
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (walker->cancellable);
  /* It stops when its standard input closes. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (walker->process), NULL, NULL);
  if (!g_subprocess_wait (walker->process, NULL, &error))
    g_subprocess_force_exit (walker->process);
  g_assert_no_error (error);

  g_clear_object (&walker->output);
  g_clear_object (&walker->process);
  g_clear_object (&walker->cancellable);
  g_free (walker);
}

typedef struct
{
  Walker *walker;
  guint   begins;
  guint   counts;
  gint    windows;
} WalkWait;

/* The walker counted WINDOWS windows since the wait began. */
static gboolean
counted_since (gpointer data)
{
  WalkWait *wait = data;

  g_assert_false (wait->walker->gone);
  return wait->walker->counts > wait->counts && wait->walker->windows == wait->windows;
}

/* It finished a whole walk that began after the wait did. */
static gboolean
walked_since (gpointer data)
{
  WalkWait *wait = data;

  g_assert_false (wait->walker->gone);
  return wait->walker->walks > wait->begins;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Like wait_long(), but the main loop blocks for what comes rather than
 * sleeping between iterations: each of the walker's requests is one
 * iteration, and a walk makes thousands. */
static void
wait_walker (Walker    *walker,
             gboolean (*condition) (gpointer),
             gint       windows)
{
  WalkWait wait = { walker, walker->begins, walker->counts, windows };
  gint64 deadline = g_get_monotonic_time () + UI_TEST_SYNC_TIMEOUT_US;
  guint tick = g_timeout_add (20, tick_cb, NULL);

  while (!condition (&wait) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  g_assert_true (condition (&wait));
}

/* The session bus */

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A session bus of our own, quiet (the accessibility bus's registry
 * prints on the standard output it inherits), for GTK and the walker. */
static GSubprocess *
session_bus_start (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  GSubprocess *bus;
  int fds[2];

  g_assert_no_errno (pipe (fds));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  bus = g_subprocess_launcher_spawn (launcher, &error,
                                     DBUS_DAEMON_PATH, "--session", "--nofork", "--print-address=3", NULL);
  g_assert_no_error (error);
  g_clear_object (&launcher);

  input = g_unix_input_stream_new (fds[0], TRUE);
  lines = g_data_input_stream_new (input);
  address = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  return bus;
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("enr-atspi-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->directory, "client.db", NULL);
  fixture->service = test_service_start (NULL, NULL);
  fixture->settings = online_settings (fixture->service->url, fixture->store_path);
  /* The names are read by a reader of their own, once per window. */
  if (data == NULL)
    fixture->walker = walker_start ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->walker != NULL)
    walker_stop (fixture->walker);
  test_service_stop (fixture->service);
  g_clear_object (&fixture->settings);
  g_unsetenv ("ENR_STORE_PATH");
  client_remove_directory (fixture->directory);

  g_free (fixture->directory);
  g_free (fixture->store_path);
}

/* Steps */

/* Every window GTK knows is shown: none is kept hidden for later. */
static void
assert_no_hidden_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (!gtk_widget_get_visible (window))
        g_error ("A hidden %s is kept", G_OBJECT_TYPE_NAME (window));
    }
}

static gboolean
no_toplevel_of_type (gpointer type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, GPOINTER_TO_SIZE (type)))
        return FALSE;
    }

  return TRUE;
}

/* Opens the window of TYPE with ACTION, lets the walker count it (with
 * the main window and the sign-in dialog), closes it. */
static void
open_and_close (Fixture    *fixture,
                const char *action,
                GType       type)
{
  GtkWindow *window;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window ()), action, NULL));
  window = wait_for_toplevel (type);
  wait_walker (fixture->walker, counted_since, 3);
  gtk_window_close (window);
  wait_until (no_toplevel_of_type, GSIZE_TO_POINTER (type));
  assert_no_hidden_window ();
}

/* One round: the sign-in dialog, counted by the walker, goes at Sign In;
 * the walker counts the main window alone. */
static void
sign_in_round (Fixture *fixture)
{
  gint64 start = g_get_monotonic_time ();
  EnrSignInDialog *dialog = wait_for_toplevel (ENR_TYPE_SIGN_IN_DIALOG);

  assert_no_hidden_window ();
  if (fixture->round == 0)
    {
      open_and_close (fixture, "win.show-help-overlay", GTK_TYPE_SHORTCUTS_WINDOW);
      open_and_close (fixture, "app.about", GTK_TYPE_ABOUT_DIALOG);
    }

  wait_walker (fixture->walker, counted_since, 2);
  g_assert_true (find_toplevel (ENR_TYPE_SIGN_IN_DIALOG) == dialog);

  sign_in (fixture->app, "supervisor", TEST_SUPERVISOR_PASSWORD);
  assert_no_hidden_window ();
  wait_walker (fixture->walker, counted_since, 1);
  /* The last time, it also reads all of the main window, with its data. */
  if (fixture->round == N_ROUNDS - 1)
    wait_walker (fixture->walker, walked_since, 0);

  g_test_message ("round %u: signed in in %.1f s; %u walks so far, at most %u objects in one",
                  fixture->round + 1, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                  fixture->walker->walks, fixture->walker->objects);
}

/* ROUNDS_PER_APP rounds in one application: Sign Out brings the sign-in
 * dialog back over the main window. */
static void
steps_sign_in (gpointer data)
{
  Fixture *fixture = data;

  for (guint i = 0; i < ROUNDS_PER_APP; i++, fixture->round++)
    {
      if (i > 0)
        g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "sign-out", NULL);
      sign_in_round (fixture);
    }
}

/* A new application now and then: the sequence from start-up, too. */
static void
test_sign_in_under_walker (Fixture       *fixture,
                           gconstpointer  data)
{
  fixture->round = 0;
  while (fixture->round < N_ROUNDS)
    {
      g_settings_set_string (fixture->settings, "username", "");
      fixture->app = new_application ();
      run_app (fixture->app, steps_sign_in, fixture);
      release_application (&fixture->app);
    }
  g_assert_false (fixture->walker->gone);
}

/* The accessible names */

typedef struct
{
  char     *output;
  char     *errors;
  GError   *error;
  gboolean  done;
} Reading;

static void
on_names_read_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Reading *reading = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source_object), result,
                                        &reading->output, &reading->errors, &reading->error);
  reading->done = TRUE;
}

/* The name a widget gets from GTK's AT-SPI backend when it has none. */
static gboolean
is_type_name (const char *name)
{
  return name[0] != '\0' && g_type_from_name (name) != G_TYPE_INVALID;
}

/* Reads every accessible object of this process over AT-SPI, as a
 * screen reader does (atspi-names.py), while the main loop answers its
 * requests; adds to FOUND each object whose name is a type's name, with
 * WHERE, which says what is on screen, and to DESCRIBED (if not NULL)
 * "ROLE<TAB>NAME<TAB>DESCRIPTION" of each object with a description. */
static void
read_tree (const char *where,
           GString    *found,
           GPtrArray  *described)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *script = NULL;
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  Reading reading = { NULL };
  gint64 deadline = g_get_monotonic_time () + 4 * UI_TEST_SYNC_TIMEOUT_US;
  guint tick = g_timeout_add (20, tick_cb, NULL);
  guint64 objects = 0;
  guint n_found = 0;
  gboolean ended = FALSE;

  script = g_build_filename (g_getenv ("ENR_SOURCE_ROOT"), "tests", "ui", "atspi-names.py", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  reader = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", script, pid, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (reader, NULL, NULL, on_names_read_cb, &reading);
  while (!reading.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);

  if (!reading.done)
    {
      g_subprocess_force_exit (reader);
      while (!reading.done)
        g_main_context_iteration (NULL, TRUE);
      g_error ("%s: reading the accessible tree took too long", where);
    }
  g_assert_no_error (reading.error);
  if (!g_subprocess_get_if_exited (reader) || g_subprocess_get_exit_status (reader) != 0)
    g_error ("%s: atspi-names.py failed: %s", where, reading.errors);

  lines = g_strsplit (reading.output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 4);

      if (g_str_has_prefix (lines[i], "end "))
        {
          ended = TRUE;
          objects = g_ascii_strtoull (lines[i] + strlen ("end "), NULL, 10);
        }
      else if (found != NULL && g_strv_length (fields) == 4 && g_str_equal (fields[0], "object") &&
               is_type_name (fields[2]))
        {
          g_string_append_printf (found, "\n  %s: %s", where, fields[3]);
          n_found++;
        }
      else if (g_strv_length (fields) == 4 && g_str_equal (fields[0], "described") && described != NULL)
        {
          g_ptr_array_add (described, g_strjoin ("\t", fields[1], fields[2], fields[3], NULL));
        }
    }

  /* The whole tree was read, and it is the real one. */
  g_assert_true (ended);
  g_assert_cmpuint (objects, >, 20);
  g_test_message ("%s: %" G_GUINT64_FORMAT " accessible objects, %u type names among their names",
                  where, objects, n_found);
  g_free (reading.output);
  g_free (reading.errors);
}

static void
read_type_names (const char *where,
                 GString    *found)
{
  read_tree (where, found, NULL);
}

/* The steps of the assistant, as the step indicator names them. */
static const char * const step_titles[] = { "Customer", "Program Enrollment", "Device Setup", "Summary" };

/* Whether DESCRIBED (read_tree()) gives each step button the description
 * EXPECTED[i], which carries its state; else adds what differs to WHY.
 * A button named after the step whose description does not start with
 * "Step " (the tooltip alone, say) reads as a wrong description. */
static gboolean
steps_described (GPtrArray          *described,
                 const char * const *expected,
                 GString            *why)
{
  gboolean all = TRUE;

  g_string_truncate (why, 0);
  for (guint i = 0; i < G_N_ELEMENTS (step_titles); i++)
    {
      g_autoptr(GString) seen = g_string_new (NULL);
      gboolean matched = FALSE;
      guint n_steps = 0;

      for (guint j = 0; j < described->len; j++)
        {
          g_auto(GStrv) fields = g_strsplit (g_ptr_array_index (described, j), "\t", 3);

          if (!g_str_equal (fields[1], step_titles[i]))
            continue;
          g_string_append_printf (seen, " “%s” (%s)", fields[2], fields[0]);
          if (g_str_has_prefix (fields[2], "Step "))
            {
              n_steps++;
              matched = g_str_equal (fields[2], expected[i]);
            }
        }
      if (n_steps != 1 || !matched)
        {
          g_string_append_printf (why, "\n  step “%s”: expected “%s”, read%s", step_titles[i], expected[i],
                                  seen->len > 0 ? seen->str : " no description");
          all = FALSE;
        }
    }

  return all;
}

/* Reads the tree over AT-SPI until the step buttons carry EXPECTED (the
 * application's changes reach the bus in their own time), within a
 * bounded time; WHERE says what is on screen. */
static void
wait_steps_described (const char         *where,
                      const char * const *expected)
{
  g_autoptr(GString) why = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + UI_TEST_SYNC_TIMEOUT_US;
  guint reads = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) described = g_ptr_array_new_with_free_func (g_free);

      read_tree (where, NULL, described);
      reads++;
      if (steps_described (described, expected, why))
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s: after %u reads the step buttons do not carry their state over AT-SPI:%s", where, reads,
                 why->str);
    }
  g_test_message ("%s: the step buttons read as expected over AT-SPI (read %u times)", where, reads);
}

static gboolean
assistant_open (gpointer data)
{
  EnrAssistant *assistant = find_toplevel (ENR_TYPE_ASSISTANT);

  return assistant != NULL && gtk_widget_get_mapped (GTK_WIDGET (assistant));
}

static gboolean
has_picker (gpointer page)
{
  GtkWidget *picker = find_widget (page, match_label, "Crew Shift Type");

  return picker != NULL && gtk_widget_get_mapped (picker);
}

/* The main window with a customer, then the four panels of an
 * enrollment with an appointment, each read when it is shown. */
static void
steps_no_type_names (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GString) found = g_string_new (NULL);
  EnrWindow *window;
  EnrCustomerView *view;
  EnrAssistant *assistant;
  GtkWidget *row;
  EnrPage *page;

  wait_until (is_mapped, wait_for_toplevel (ENR_TYPE_SIGN_IN_DIALOG));
  read_type_names ("Sign-in dialog", found);

  sign_in (fixture->app, "clerk", TEST_CLERK_PASSWORD);
  window = main_window ();
  view = ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window));
  read_type_names ("Main window", found);

  enr_window_show_customer (window, "cust-0001");
  wait_until (is_mapped, view);
  read_type_names ("Main window with a customer", found);

  row = find_widget (enr_customer_view_get_programs_list (view), match_label, "Smart Thermostat Rewards: Eligible");
  g_assert_nonnull (row);
  press (find_button (row, "Enroll in Smart Thermostat Rewards"));
  wait_until (assistant_open, NULL);
  assistant = find_toplevel (ENR_TYPE_ASSISTANT);
  page = enr_assistant_get_page (assistant, ENR_PANEL_CUSTOMER);
  wait_until (is_mapped, page);
  read_type_names ("Customer panel", found);
  /* The step buttons say which step is current and which were visited. */
  {
    const char * const expected[] = {
      "Step 1 of 4: Current step",
      "Step 2 of 4: Not yet visited",
      "Step 3 of 4: Not yet visited",
      "Step 4 of 4: Not yet visited",
    };

    wait_steps_described ("Customer panel", expected);
  }

  select_item (find_by_label (page, "Channel"), "Phone");
  select_item (find_by_label (page, "Class"), "Enrollment");
  select_item (find_by_label (page, "Category"), "Verbal");
  press_next_to (assistant, ENR_PANEL_PROGRAM);
  {
    const char * const expected[] = {
      "Step 1 of 4: Visited. Go back to this step",
      "Step 2 of 4: Current step",
      "Step 3 of 4: Not yet visited",
      "Step 4 of 4: Not yet visited",
    };

    wait_steps_described ("Program Enrollment panel", expected);
  }
  page = enr_assistant_get_page (assistant, ENR_PANEL_PROGRAM);
  press (find_by_label (find_by_label (page, "Do you have central air conditioning?"), "Yes"));
  select_item (find_by_label (page, "Do you own or rent the home?"), "Own");
  read_type_names ("Program Enrollment panel", found);

  press_next_to (assistant, ENR_PANEL_DEVICE_SETUP);
  page = enr_assistant_get_page (assistant, ENR_PANEL_DEVICE_SETUP);
  select_item (find_by_label (page, "Installation Method"), "Utility Installation");
  wait_until (has_picker, page);
  read_type_names ("Device Setup panel", found);

  press (enr_appointment_picker_get_offer_button (ENR_APPOINTMENT_PICKER (gtk_widget_get_ancestor (find_by_label (page, "Crew Shift Type"), ENR_TYPE_APPOINTMENT_PICKER))));
  press_next_to (assistant, ENR_PANEL_SUMMARY);
  read_type_names ("Summary panel", found);

  /* All of them at once, for whoever fixes them. */
  if (found->len > 0)
    g_error ("Accessible names that are type names:%s", found->str);
}

static void
test_no_type_names (Fixture       *fixture,
                    gconstpointer  data)
{
  g_settings_set_string (fixture->settings, "username", "");
  fixture->app = new_application ();
  run_app (fixture->app, steps_no_type_names, fixture);
  release_application (&fixture->app);
}

static gboolean
monitor_lists_flows (gpointer data)
{
  EnrMonitor *monitor = data;
  EnrTaskListModel *model = enr_monitor_get_model (monitor);

  return is_mapped (monitor) && model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

/* A pending enrollment made by the clerk, over HTTP. */
static void
create_task (Fixture *fixture)
{
  g_autofree char *token = test_sign_in (fixture->service->url, "clerk", TEST_CLERK_PASSWORD);
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(JsonNode) customer = NULL;
  g_autoptr(JsonNode) task = NULL;
  g_autofree char *service_id = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  customer = test_http (fixture->service->url, "GET", "/v1/customers/cust-0001", token, NULL, -1, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  service_id = test_json_string (customer, "$.metered_services[0].id");
  body = g_strdup_printf ("{\"kind\":\"enrollment\",\"program_id\":\"prog-tou\","
                          "\"customer_id\":\"cust-0001\",\"metered_service_id\":\"%s\"}", service_id);
  task = test_http (fixture->service->url, "POST", "/v1/service-tasks", token, key, -1, body, &status);
  g_assert_cmpuint (status, ==, 201);
}

/* Process Flows with a process flow's details, then the sync popover. */
static void
steps_no_type_names_supervisor (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GString) found = g_string_new (NULL);
  g_autoptr(EnrServiceTask) task = NULL;
  EnrSyncIndicator *sync;
  EnrMonitor *monitor;
  EnrWindow *window;

  sign_in (fixture->app, "supervisor", TEST_SUPERVISOR_PASSWORD);
  window = main_window ();
  monitor = ENR_MONITOR (enr_window_get_monitor (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "main.process-flows", NULL));
  wait_until (monitor_lists_flows, monitor);
  task = g_list_model_get_item (G_LIST_MODEL (enr_monitor_get_model (monitor)), 0);
  enr_monitor_select_task (monitor, enr_entity_get_id (ENR_ENTITY (task)));
  wait_until (is_mapped, enr_monitor_get_history (monitor));
  read_type_names ("Process Flows", found);

  sync = ENR_SYNC_INDICATOR (gtk_widget_get_first_child (GTK_WIDGET (enr_window_get_sync_slot (window))));
  gtk_menu_button_popup (GTK_MENU_BUTTON (enr_sync_indicator_get_button (sync)));
  wait_until (is_mapped, enr_sync_indicator_get_popover (sync));
  read_type_names ("Sync popover", found);

  if (found->len > 0)
    g_error ("Accessible names that are type names:%s", found->str);
}

static void
test_no_type_names_supervisor (Fixture       *fixture,
                               gconstpointer  data)
{
  create_task (fixture);
  g_settings_set_string (fixture->settings, "username", "");
  fixture->app = new_application ();
  run_app (fixture->app, steps_no_type_names_supervisor, fixture);
  release_application (&fixture->app);
}

int
main (int   argc,
      char *argv[])
{
  GSubprocess *bus;
  int status;

  /* GTK's AT-SPI backend, on the bus the fixture starts (GTK connects
   * when the first window is realized). */
  g_setenv ("GTK_A11Y", "atspi", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  enr_gui_init ();
  ui_test_timeout_us = 10 * G_USEC_PER_SEC;

  g_test_add ("/atspi/sign-in-under-walker", Fixture, NULL,
              fixture_set_up, test_sign_in_under_walker, fixture_tear_down);
  g_test_add ("/atspi/no-type-names", Fixture, "no-walker",
              fixture_set_up, test_no_type_names, fixture_tear_down);
  g_test_add ("/atspi/no-type-names-supervisor", Fixture, "no-walker",
              fixture_set_up, test_no_type_names_supervisor, fixture_tear_down);

  /* One bus for all the tests: GTK stays on the accessibility bus it
   * found first, for the life of the process. */
  bus = session_bus_start ();
  status = g_test_run ();
  g_subprocess_send_signal (bus, SIGTERM);
  g_subprocess_wait (bus, NULL, NULL);
  g_object_unref (bus);

  return status;
}

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
#include "enr-gui-utils.h"
#include "enr-sign-in-dialog.h"
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
  GSubprocess    *bus;
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
  fixture->bus = session_bus_start ();
  fixture->service = test_service_start (NULL, NULL);
  fixture->settings = online_settings (fixture->service->url, fixture->store_path);
  fixture->walker = walker_start ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  walker_stop (fixture->walker);
  test_service_stop (fixture->service);
  g_subprocess_send_signal (fixture->bus, SIGTERM);
  g_subprocess_wait (fixture->bus, NULL, NULL);
  g_clear_object (&fixture->bus);
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

int
main (int   argc,
      char *argv[])
{
  /* GTK's AT-SPI backend, on the bus the fixture starts (GTK connects
   * when the first window is realized). */
  g_setenv ("GTK_A11Y", "atspi", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  enr_gui_init ();
  ui_test_timeout_us = 10 * G_USEC_PER_SEC;

  g_test_add ("/atspi/sign-in-under-walker", Fixture, NULL,
              fixture_set_up, test_sign_in_under_walker, fixture_tear_down);

  return g_test_run ();
}

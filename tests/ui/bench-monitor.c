/* bench-monitor.c — the Process Flows view over a million service tasks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills a client store (data/sample's reference data and customers) with
 * N service tasks by a bulk INSERT on a connection of its own, then opens
 * the store as the client does, shows the main window's Process Flows as
 * a supervisor, and measures, each up to the first frame painted after
 * it: opening the view, applying filters, sorting by a column; the
 * dashboard's counts (on their worker thread); resident memory (VmRSS,
 * VmHWM); and scrolling the list from top to bottom, frame by frame, as
 * dragging the scroll bar does and as paging does: how many frames took
 * longer than 16 ms (from the frame clock's update phase to the end of
 * its paint) and how they spread, and the same for the main thread's CPU
 * time per frame (CLOCK_THREAD_CPUTIME_ID: what a frame costs, even on a
 * machine busy with other work). It also prints how SQLite reads the
 * status and program filter (EXPLAIN QUERY PLAN). Run it with
 * build-aux/bench-monitor (under xvfb-run).
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <sqlite3.h>

#include "enr-context.h"
#include "enr-dashboard.h"
#include "enr-dataset-import.h"
#include "enr-gui-utils.h"
#include "enr-monitor.h"
#include "enr-store-private.h"
#include "enr-task-list-model.h"
#include "enr-window.h"

#define FRAME_BUDGET_US 16000
#define WAIT_LIMIT_US   (120 * G_USEC_PER_SEC)

static guint   n_tasks = 1000000;
static guint   drag_frames = 2000;
static guint   page_frames = 2000;
static guint   baseline_tasks = 1000;
static guint   open_runs = 5;
static char   *store_path;
static gboolean keep;
static gboolean fill_only;
static gboolean open_only;
static gboolean cold;

static const GOptionEntry entries[] = {
  { "tasks", 0, 0, G_OPTION_ARG_INT, &n_tasks, "Service tasks in the store (default 1000000)", "N" },
  { "drag-frames", 0, 0, G_OPTION_ARG_INT, &drag_frames, "Frames for top → bottom as the scroll bar (2000)", "N" },
  { "page-frames", 0, 0, G_OPTION_ARG_INT, &page_frames, "Frames paging down from the top (2000)", "N" },
  { "baseline-tasks", 0, 0, G_OPTION_ARG_INT, &baseline_tasks, "Service tasks in the baseline store (1000)", "N" },
  { "open-runs", 0, 0, G_OPTION_ARG_INT, &open_runs, "Times the view is opened over each store (5)", "N" },
  { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, "Reuse (or keep) this store", "FILE" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the store afterwards", NULL },
  { "cold", 0, 0, G_OPTION_ARG_NONE, &cold, "Put the store out of the page cache before the measured session, then drag again warm", NULL },
  { "open-only", 0, 0, G_OPTION_ARG_NONE, &open_only, "Only open the view over each store (the first target)", NULL },
  { "fill-only", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &fill_only, "Only fill the store", NULL },
  { NULL }
};

/* Waiting */

static void
iterate_until (gboolean (*done) (gpointer),
               gpointer   data,
               const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The CPU time this thread has used, in µs: on a busy machine the
 * wall-clock time of a frame says how long it waited for a core, the
 * thread's CPU time what the frame cost. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

typedef struct
{
  GdkFrameClock *clock;
  guint          paints;
  gint64         update_at;
  gint64         update_cpu;
  gint64         painted_at;
  GArray        *durations;
  GArray        *cpu_durations;
} Frames;

static void
on_update_cb (GdkFrameClock *clock,
              Frames        *frames)
{
  frames->update_at = g_get_monotonic_time ();
  frames->update_cpu = thread_cpu_us ();
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Frames        *frames)
{
  frames->painted_at = g_get_monotonic_time ();
  frames->paints++;
  if (frames->durations != NULL && frames->update_at > 0)
    {
      gint64 duration = frames->painted_at - frames->update_at;

      g_array_append_val (frames->durations, duration);
    }
  if (frames->cpu_durations != NULL && frames->update_at > 0)
    {
      gint64 cpu = thread_cpu_us () - frames->update_cpu;

      g_array_append_val (frames->cpu_durations, cpu);
    }
  frames->update_at = 0;
}

typedef struct
{
  Frames *frames;
  guint   target;
} PaintWait;

static gboolean
painted (gpointer data)
{
  PaintWait *wait = data;

  return wait->frames->paints >= wait->target;
}

/* Returns when a frame was painted after now. */
static gint64
next_frame (Frames     *frames,
            GtkWidget  *widget)
{
  PaintWait wait = { frames, frames->paints + 1 };

  gtk_widget_queue_draw (widget);
  gdk_frame_clock_request_phase (frames->clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  iterate_until (painted, &wait, "a frame");
  return frames->painted_at;
}

/* A few frames so that the window's first layout is over. */
static void
settle_frames (Frames    *frames,
               GtkWidget *widget)
{
  for (guint i = 0; i < 5; i++)
    next_frame (frames, widget);
}

static double
ms_since (gint64 start,
          gint64 end)
{
  return (end - start) / 1000.0;
}

static void
read_memory (guint64 *rss_kb,
             guint64 *hwm_kb)
{
  g_autofree char *status = NULL;

  *rss_kb = *hwm_kb = 0;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;

  for (char *line = status; line != NULL && *line != '\0'; )
    {
      char *end = strchr (line, '\n');

      if (g_str_has_prefix (line, "VmRSS:"))
        *rss_kb = g_ascii_strtoull (line + 6, NULL, 10);
      else if (g_str_has_prefix (line, "VmHWM:"))
        *hwm_kb = g_ascii_strtoull (line + 6, NULL, 10);
      line = end != NULL ? end + 1 : NULL;
    }
}

/* Filling the store */

static gint64
count_tasks (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM service_tasks", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
check (sqlite3 *db,
       int      rc,
       int      expected)
{
  if (rc != expected)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

static void
fill (const char *path,
      guint       n,
      gint64      now)
{
  static const char * const programs[] = {
    "prog-tstat", "prog-tou", "prog-der", "prog-cg", "prog-checkup", "prog-wh", "prog-smb",
  };
  static const char * const users[] = { "clerk", "alex", "supervisor" };
  static const char * const statuses[] = {
    "pending", "validate", "error", "in-progress", "completed", "canceled",
  };
  /* Per thousand: mostly finished work, a tenth in progress. */
  static const guint weights[] = { 120, 30, 40, 110, 560, 140 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260601);
  g_autoptr(GString) json = g_string_sized_new (1024);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start = g_get_monotonic_time ();

  check (db, sqlite3_open (path, &db), SQLITE_OK);
  check (db, sqlite3_exec (db, "PRAGMA cache_size = -524288; PRAGMA synchronous = OFF;"
                           /* As the store: the statement journal a trigger needs stays in memory. */
                           " PRAGMA temp_store = MEMORY; BEGIN",
                           NULL, NULL, NULL), SQLITE_OK);
  check (db, sqlite3_prepare_v2 (db,
                                 "INSERT INTO service_tasks (id, customer_id, program_id, status, kind,"
                                 " created_by, created_at, updated_at, version, json)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)",
                                 -1, &stmt, NULL), SQLITE_OK);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("task-b%07u", i + 1);
      g_autofree char *customer = g_strdup_printf ("cust-%04u", g_rand_int_range (rand, 1, 49));
      g_autoptr(GDateTime) created = NULL;
      g_autofree char *created_text = NULL;
      const char *program = programs[g_rand_int_range (rand, 0, G_N_ELEMENTS (programs))];
      const char *user = users[g_rand_int_range (rand, 0, G_N_ELEMENTS (users))];
      int kind = g_rand_int_range (rand, 0, 100) < 85 ? 0 : 1;
      guint pick = g_rand_int_range (rand, 0, 1000);
      gint64 at = now - g_rand_int_range (rand, 0, 60 * 86400);
      int status = 0;

      for (guint acc = weights[0]; pick >= acc && status < 5; acc += weights[++status])
        ;

      created = g_date_time_new_from_unix_utc (at);
      created_text = g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ");

      g_string_printf (json,
                       "{\"id\":\"%s\",\"kind\":\"%s\",\"status\":\"%s\",\"program_id\":\"%s\","
                       "\"customer_id\":\"%s\",\"created_by\":\"%s\",\"created_at\":\"%s\","
                       "\"updated_at\":\"%s\",\"version\":1",
                       id, kind == 0 ? "enrollment" : "unenrollment", statuses[status], program,
                       customer, user, created_text, created_text);
      if (status == 3)
        {
          g_autoptr(GDateTime) start_at = g_date_time_new_from_unix_utc (now + 86400 * (1 + i % 20));
          g_autoptr(GDateTime) end_at = g_date_time_add_minutes (start_at, 90);
          g_autofree char *from = g_date_time_format (start_at, "%Y-%m-%dT%H:%M:%SZ");
          g_autofree char *to = g_date_time_format (end_at, "%Y-%m-%dT%H:%M:%SZ");

          g_string_append_printf (json,
                                  ",\"appointments\":[{\"id\":\"appt-b%07u\",\"activity_type_id\":\"act-install-tstat\","
                                  "\"crew_id\":\"crew-north-day-a\",\"crew_shift_id\":\"shift-b\","
                                  "\"start\":\"%s\",\"end\":\"%s\",\"service_task_id\":\"%s\",\"status\":\"booked\"}]",
                                  i + 1, from, to, id);
        }
      g_string_append (json, ",\"history\":[{\"from\":\"pending\",\"to\":\"pending\",\"by\":\"");
      g_string_append_printf (json, "%s\",\"at\":\"%s\",\"reason\":\"Created\"}]}", user, created_text);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, customer, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, program, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, status);
      sqlite3_bind_int (stmt, 5, kind);
      sqlite3_bind_text (stmt, 6, user, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, at);
      sqlite3_bind_int64 (stmt, 8, at);
      sqlite3_bind_text (stmt, 9, json->str, json->len, SQLITE_STATIC);
      check (db, sqlite3_step (stmt), SQLITE_DONE);
      sqlite3_reset (stmt);

      if ((i + 1) % 250000 == 0)
        g_printerr ("  %u tasks inserted (%.1f s)\n", i + 1, (g_get_monotonic_time () - start) / 1e6);
    }

  sqlite3_finalize (stmt);
  check (db, sqlite3_exec (db, "COMMIT; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close (db);

  g_print ("fill:            %u tasks in %.1f s (bulk INSERT, one transaction)\n",
           n, (g_get_monotonic_time () - start) / 1e6);
}

/* In a process of its own, so that SQLite's big page cache and the
 * allocations of the fill do not count in the view's memory. */
static void
prepare_store_in_child (const char *self_path,
                        const char *path,
                        guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tasks = g_strdup_printf ("%u", n);
  const char *argv[] = { self_path, "--fill-only", "--tasks", tasks, "--store", path, NULL };
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("Filling the store failed: %s", error->message);
}

static void
prepare_store (const char *path,
               guint       n,
               gint64      now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) store = NULL;
  g_autoptr(GFile) sample = NULL;
  g_autofree char *sample_path = NULL;
  gint64 existing = g_file_test (path, G_FILE_TEST_EXISTS) ? count_tasks (path) : -1;

  if (existing == (gint64) n)
    {
      g_print ("fill:            reusing %s (%" G_GINT64_FORMAT " tasks)\n", path, existing);
      return;
    }

  if (existing >= 0)
    g_error ("%s holds %" G_GINT64_FORMAT " tasks, not %u", path, existing, n);

  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  sample_path = g_build_filename (SOURCE_DATADIR, "sample", NULL);
  sample = g_file_new_for_path (sample_path);
  if (!enr_dataset_import (store, sample, NULL, NULL, &error))
    g_error ("Importing %s: %s", sample_path, error->message);
  g_clear_object (&store);

  fill (path, n, now);
}

/* Measuring */

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
stats_ready (gpointer dashboard)
{
  return enr_dashboard_get_stats (dashboard) != NULL && !enr_dashboard_get_loading (dashboard);
}

typedef struct
{
  Frames        *frames;
  GtkAdjustment *adjustment;
  double         step;
  guint          left;
} Scroll;

/* Widgets realized so far: each new row widget is, and the client's
 * realize hook names its internal parts for AT-SPI. */
static guint n_realized;

static gboolean
count_realized_hook (GSignalInvocationHint *hint,
                     guint                  n_params,
                     const GValue          *params,
                     gpointer               data)
{
  n_realized++;
  return TRUE;
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  Scroll *scroll = data;
  double upper = gtk_adjustment_get_upper (scroll->adjustment) - gtk_adjustment_get_page_size (scroll->adjustment);
  double value = MIN (upper, gtk_adjustment_get_value (scroll->adjustment) + scroll->step);

  scroll->frames->update_at = g_get_monotonic_time ();
  scroll->frames->update_cpu = thread_cpu_us ();
  gtk_adjustment_set_value (scroll->adjustment, value);
  if (scroll->left > 0)
    scroll->left--;

  return scroll->left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
scroll_done (gpointer data)
{
  Scroll *scroll = data;

  return scroll->left == 0 && scroll->frames->update_at == 0;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* How many frames took how long, in bands around the 16 ms budget. */
static void
report_distribution (const char *label,
                     GArray     *durations)
{
  static const gint64 bounds_us[] = { 8000, 12000, 16000, 20000, 33000, G_MAXINT64 };
  static const char * const names[] = { "≤8", "8–12", "12–16", "16–20", "20–33", ">33" };
  guint counts[G_N_ELEMENTS (bounds_us)] = { 0, };
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < durations->len; i++)
    {
      gint64 duration = g_array_index (durations, gint64, i);
      guint band = 0;

      while (duration > bounds_us[band])
        band++;
      counts[band]++;
    }

  g_string_printf (line, "                 %s:", label);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    g_string_append_printf (line, " %s: %u", names[i], counts[i]);
  g_print ("%s\n", line->str);
}

/* What a scroll's frames took. */
typedef struct
{
  double over_percent;
  double median_ms;
  double p95_ms;
  double cpu_over_percent;
  double cpu_median_ms;
  double cpu_p95_ms;
} FrameSummary;

static FrameSummary
report_frames (const char *what,
               GArray     *durations,
               GArray     *cpu_durations,
               double      seconds)
{
  FrameSummary summary = { 0, };
  guint over = 0, cpu_over = 0;

  g_array_sort (durations, compare_int64);
  for (guint i = 0; i < durations->len; i++)
    over += g_array_index (durations, gint64, i) > FRAME_BUDGET_US;

  if (durations->len > 0)
    {
      summary.over_percent = 100.0 * over / durations->len;
      summary.median_ms = g_array_index (durations, gint64, durations->len / 2) / 1000.0;
      summary.p95_ms = g_array_index (durations, gint64, durations->len * 95 / 100) / 1000.0;
    }

  g_print ("%s %u frames in %.1f s; over 16 ms: %u (%.1f%%); median %.1f ms, p95 %.1f ms, max %.1f ms\n",
           what, durations->len, seconds, over, durations->len ? 100.0 * over / durations->len : 0.0,
           durations->len ? g_array_index (durations, gint64, durations->len / 2) / 1000.0 : 0.0,
           durations->len ? g_array_index (durations, gint64, durations->len * 95 / 100) / 1000.0 : 0.0,
           durations->len ? g_array_index (durations, gint64, durations->len - 1) / 1000.0 : 0.0);
  report_distribution ("frames (ms)", durations);

  /* What the frames cost the thread, whatever else the machine did. */
  g_array_sort (cpu_durations, compare_int64);
  for (guint i = 0; i < cpu_durations->len; i++)
    cpu_over += g_array_index (cpu_durations, gint64, i) > FRAME_BUDGET_US;
  if (cpu_durations->len > 0)
    {
      summary.cpu_over_percent = 100.0 * cpu_over / cpu_durations->len;
      summary.cpu_median_ms = g_array_index (cpu_durations, gint64, cpu_durations->len / 2) / 1000.0;
      summary.cpu_p95_ms = g_array_index (cpu_durations, gint64, cpu_durations->len * 95 / 100) / 1000.0;
      g_print ("                 thread CPU per frame: over 16 ms: %u (%.1f%%); median %.2f ms, p95 %.2f ms,"
               " max %.1f ms\n",
               cpu_over, summary.cpu_over_percent, summary.cpu_median_ms, summary.cpu_p95_ms,
               g_array_index (cpu_durations, gint64, cpu_durations->len - 1) / 1000.0);
      report_distribution ("CPU (ms)", cpu_durations);
    }
  return summary;
}

static FrameSummary
run_scroll (Frames        *frames,
            GtkWidget     *view,
            GtkAdjustment *adjustment,
            double         step,
            guint          n_frames,
            const char    *what)
{
  Scroll scroll = { frames, adjustment, step, n_frames };
  gint64 start = g_get_monotonic_time ();
  guint realized = n_realized;
  FrameSummary summary;

  frames->durations = g_array_new (FALSE, FALSE, sizeof (gint64));
  frames->cpu_durations = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_add_tick_callback (view, scroll_tick_cb, &scroll, NULL);
  iterate_until (scroll_done, &scroll, what);
  summary = report_frames (what, frames->durations, frames->cpu_durations,
                           (g_get_monotonic_time () - start) / 1e6);
  g_print ("                 widgets realized while scrolling: %u\n", n_realized - realized);
  g_clear_pointer (&frames->durations, g_array_unref);
  g_clear_pointer (&frames->cpu_durations, g_array_unref);
  return summary;
}

/* Dragging the scroll bar (the view's, over every task) from the top to
 * the bottom in @n_frames frames. */
static FrameSummary
run_drag (Frames     *frames,
          GtkWidget  *window,
          EnrMonitor *monitor,
          guint       n_frames,
          const char *what)
{
  GtkWidget *view = enr_monitor_get_column_view (monitor);
  GtkAdjustment *adjustment = enr_monitor_get_vadjustment (monitor);
  double upper = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  gtk_adjustment_set_value (adjustment, 0);
  next_frame (frames, window);
  return run_scroll (frames, view, adjustment, upper / n_frames, n_frames, what);
}

/* A window over a store of its own, as the client opens them. */
typedef struct
{
  EnrStore   *store;
  EnrContext *context;
  EnrWindow  *window;
  EnrMonitor *monitor;
  Frames      frames;
} Session;

static Session *
session_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  Session *session = g_new0 (Session, 1);

  session->store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  session->context = enr_context_new (session->store, NULL);
  enr_context_set_username (session->context, "supervisor");
  enr_context_set_role (session->context, ENR_ROLE_SUPERVISOR);

  session->window = enr_window_new (NULL, session->context);
  gtk_window_set_default_size (GTK_WINDOW (session->window), 1400, 900);
  session->monitor = ENR_MONITOR (enr_window_get_monitor (session->window));
  gtk_window_present (GTK_WINDOW (session->window));
  iterate_until (is_mapped, session->window, "the window");
  session->frames.clock = gtk_widget_get_frame_clock (GTK_WIDGET (session->window));
  g_signal_connect (session->frames.clock, "update", G_CALLBACK (on_update_cb), &session->frames);
  g_signal_connect (session->frames.clock, "after-paint", G_CALLBACK (on_after_paint_cb), &session->frames);
  next_frame (&session->frames, GTK_WIDGET (session->window));
  settle_frames (&session->frames, GTK_WIDGET (session->window));

  return session;
}

/* Process Flows shown, to its first frame; the dashboard's counts are
 * waited for after (they are read on a worker thread). *@cpu_ms is the
 * main thread's CPU time up to that frame. */
static double
session_open_view (Session *session,
                   double  *cpu_ms)
{
  gint64 start = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();
  double ms;

  gtk_widget_activate_action (GTK_WIDGET (session->window), "main.process-flows", NULL);
  iterate_until (is_mapped, session->monitor, "the view");
  ms = ms_since (start, next_frame (&session->frames, GTK_WIDGET (session->window)));
  if (cpu_ms != NULL)
    *cpu_ms = (thread_cpu_us () - cpu) / 1000.0;
  iterate_until (stats_ready, enr_monitor_get_dashboard (session->monitor), "the dashboard's counts");
  next_frame (&session->frames, GTK_WIDGET (session->window));

  return ms;
}

static void
session_close (Session *session)
{
  g_signal_handlers_disconnect_by_data (session->frames.clock, &session->frames);
  gtk_window_destroy (GTK_WINDOW (session->window));
  g_clear_object (&session->context);
  g_clear_object (&session->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (session);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return values->len > 0 ? g_array_index (values, double, values->len / 2) : 0.0;
}

static const char *
verdict (gboolean met)
{
  return met ? "met" : "NOT met";
}

static double
timed_change (Frames     *frames,
              GtkWidget  *widget,
              gint64      start)
{
  return ms_since (start, next_frame (frames, widget));
}

/* The first target: opening the view over N tasks against the same over
 * the baseline store, medians of this run's interleaved opens. */
static void
print_open_target (GArray *open_big,
                   GArray *open_small,
                   GArray *open_big_cpu,
                   GArray *open_small_cpu)
{
  double open_big_ms = median (open_big);
  double open_small_ms = median (open_small);

  g_print ("open view: %u tasks median %.1f ms; the same view over %u tasks %.1f ms (median of %u);"
           " ratio %.2f× (target ≤ 1.5×): %s\n",
           n_tasks, open_big_ms, baseline_tasks, open_small_ms, open_runs,
           open_big_ms / MAX (open_small_ms, 0.001),
           verdict (open_big_ms <= 1.5 * open_small_ms));
  g_print ("open view, main thread CPU up to the first frame (what it costs on a busy machine): %u tasks median"
           " %.1f ms; over %u tasks %.1f ms; ratio %.2f×\n",
           n_tasks, median (open_big_cpu), baseline_tasks, median (open_small_cpu),
           median (open_big_cpu) / MAX (median (open_small_cpu), 0.001));
}

/* Removes the stores made in a temporary folder, unless --keep. */
static void
remove_stores (const char *directory,
               const char *baseline_path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  if (directory == NULL || keep)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (store_path, suffixes[i], NULL);
      g_autofree char *baseline_file = g_strconcat (baseline_path, suffixes[i], NULL);

      g_unlink (file);
      g_unlink (baseline_file);
    }
  g_rmdir (directory);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("— the Process Flows view over many tasks");
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) store = NULL;
  g_autoptr(EnrContext) context = NULL;
  g_autofree char *directory = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  Frames frames = { 0 };
  EnrWindow *window;
  EnrMonitor *monitor;
  EnrTaskListModel *model;
  GtkWidget *view;
  GtkAdjustment *adjustment;
  guint64 rss, hwm;
  gint64 start, shown;
  g_autofree char *baseline_path = NULL;
  g_autoptr(GArray) open_big = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) open_small = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) open_big_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) open_small_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  FrameSummary drag_small, drag_big, drag_warm = { 0 };
  Session *session;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_tasks == 0 || baseline_tasks == 0 || open_runs == 0 || drag_frames == 0 || page_frames == 0)
    {
      g_printerr ("bench-monitor: counts must be positive\n");
      return 2;
    }

  if (fill_only && store_path != NULL)
    {
      prepare_store (store_path, n_tasks, now);
      g_free (store_path);
      return 0;
    }

  if (store_path == NULL)
    {
      directory = g_dir_make_tmp ("enr-bench-monitor-XXXXXX", &error);
      g_assert_no_error (error);
      store_path = g_build_filename (directory, "store.db", NULL);
    }

  /* The baseline store sits next to the measured one (kept with it). */
  {
    g_autofree char *dir = g_path_get_dirname (store_path);
    g_autofree char *name = g_strdup_printf ("baseline-%u-tasks.db", baseline_tasks);

    baseline_path = g_build_filename (dir, name, NULL);
  }

  g_print ("bench-monitor: %u tasks, store %s; baseline %u tasks, %s\n",
           n_tasks, store_path, baseline_tasks, baseline_path);
  prepare_store_in_child (argv[0], store_path, n_tasks);
  prepare_store_in_child (argv[0], baseline_path, baseline_tasks);

  gtk_init ();
  enr_gui_init ();
  g_signal_add_emission_hook (g_signal_lookup ("realize", GTK_TYPE_WIDGET), 0, count_realized_hook, NULL, NULL);
  enr_gui_load_style ();

  read_memory (&rss, &hwm);
  g_print ("memory before:   VmRSS %.1f MB\n", rss / 1024.0);

  /* Opening the view over each store, interleaved, after a warm-up (the
   * first window of a process loads the style, fonts and templates). */
  session = session_open (baseline_path);
  session_open_view (session, NULL);
  session_close (session);
  for (guint i = 0; i < open_runs; i++)
    {
      double ms, cpu_ms;

      session = session_open (baseline_path);
      ms = session_open_view (session, &cpu_ms);
      g_array_append_val (open_small, ms);
      g_array_append_val (open_small_cpu, cpu_ms);
      session_close (session);

      session = session_open (store_path);
      ms = session_open_view (session, &cpu_ms);
      g_array_append_val (open_big, ms);
      g_array_append_val (open_big_cpu, cpu_ms);
      session_close (session);
    }
  for (guint i = 0; i < open_runs; i++)
    g_print ("open view run %u: %u tasks %.1f ms (main thread CPU %.1f ms), %u tasks %.1f ms (CPU %.1f ms)\n",
             i + 1, baseline_tasks, g_array_index (open_small, double, i), g_array_index (open_small_cpu, double, i),
             n_tasks, g_array_index (open_big, double, i), g_array_index (open_big_cpu, double, i));
  if (open_only)
    {
      g_print ("\n== targets (baselines measured in this run) ==\n");
      print_open_target (open_big, open_small, open_big_cpu, open_small_cpu);
      remove_stores (directory, baseline_path);
      g_free (store_path);
      return 0;
    }

  /* The same drag over the baseline store. */
  session = session_open (baseline_path);
  session_open_view (session, NULL);
  drag_small = run_drag (&session->frames, GTK_WIDGET (session->window), session->monitor, drag_frames,
                         "baseline drag:  ");
  session_close (session);

  /* --cold: the store's files out of the page cache (only theirs), as a
   * supervisor's first drag of the day finds them. */
  if (cold)
    {
      g_autofree char *before = _enr_store_page_cache_describe (store_path);
      g_autofree char *after = NULL;

      if (!_enr_store_page_cache_evict (store_path, &error))
        g_error ("Cannot put the store out of the page cache: %s", error->message);
      after = _enr_store_page_cache_describe (store_path);
      g_print ("cold:            the store's files put out of the page cache: %s before, %s after\n",
               before, after);
    }

  /* The store as the client opens it, the main window (on its empty
   * page), then the view, each to its first frame. */
  start = g_get_monotonic_time ();
  store = enr_store_new (store_path, NULL, &error);
  g_assert_no_error (error);
  g_print ("open store:      %.1f ms\n", ms_since (start, g_get_monotonic_time ()));
  context = enr_context_new (store, NULL);
  enr_context_set_username (context, "supervisor");
  enr_context_set_role (context, ENR_ROLE_SUPERVISOR);

  start = g_get_monotonic_time ();
  window = enr_window_new (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  monitor = ENR_MONITOR (enr_window_get_monitor (window));
  gtk_window_present (GTK_WINDOW (window));
  iterate_until (is_mapped, window, "the window");
  frames.clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (frames.clock, "update", G_CALLBACK (on_update_cb), &frames);
  g_signal_connect (frames.clock, "after-paint", G_CALLBACK (on_after_paint_cb), &frames);
  g_print ("open window:     %.1f ms to the first frame\n",
           ms_since (start, next_frame (&frames, GTK_WIDGET (window))));
  settle_frames (&frames, GTK_WIDGET (window));

  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "main.process-flows", NULL);
  iterate_until (is_mapped, monitor, "the view");
  view = enr_monitor_get_column_view (monitor);
  model = enr_monitor_get_model (monitor);
  shown = next_frame (&frames, GTK_WIDGET (window));
  g_print ("open view:       %.1f ms to the first frame (%u rows listed)\n",
           ms_since (start, shown), g_list_model_get_n_items (G_LIST_MODEL (model)));

  iterate_until (stats_ready, enr_monitor_get_dashboard (monitor), "the dashboard's counts");
  g_print ("dashboard:       %.1f ms after opening, on its worker thread\n",
           ms_since (start, g_get_monotonic_time ()));
  next_frame (&frames, GTK_WIDGET (window));

  /* The store's part alone: a model no view shows. */
  {
    g_autoptr(EnrTaskListModel) bare = enr_task_list_model_new (store);

    start = g_get_monotonic_time ();
    enr_task_list_model_set_status_mask (bare, 1u << ENR_TASK_STATUS_IN_PROGRESS);
    g_print ("model status:    %.1f ms (the store alone)\n", ms_since (start, g_get_monotonic_time ()));
    start = g_get_monotonic_time ();
    enr_task_list_model_set_status_mask (bare, 0);
    g_print ("model clear:     %.1f ms (the store alone)\n", ms_since (start, g_get_monotonic_time ()));
    start = g_get_monotonic_time ();
    enr_task_list_model_set_sort (bare, ENR_TASK_SORT_STATUS);
    g_print ("model sort:      %.1f ms (the store alone)\n", ms_since (start, g_get_monotonic_time ()));
    start = g_get_monotonic_time ();
    for (guint i = 0; i < 1000; i++)
      g_object_unref (g_list_model_get_item (G_LIST_MODEL (bare), 5000 + i));
    g_print ("model read:      %.1f ms for 1000 rows in order (10 pages)\n", ms_since (start, g_get_monotonic_time ()));
  }

  /* Filters, each to its first frame. */
  start = g_get_monotonic_time ();
  enr_monitor_set_status_filter (monitor, 1u << ENR_TASK_STATUS_IN_PROGRESS);
  g_print ("filter status:   %.1f ms (%u rows)\n", timed_change (&frames, GTK_WIDGET (window), start),
           g_list_model_get_n_items (G_LIST_MODEL (model)));

  start = g_get_monotonic_time ();
  enr_task_list_model_set_program_id (model, "prog-tstat");
  g_print ("+ program:       %.1f ms (%u rows)\n", timed_change (&frames, GTK_WIDGET (window), start),
           g_list_model_get_n_items (G_LIST_MODEL (model)));
  {
    g_autofree char *plan = _enr_task_list_model_explain (model);
    g_auto(GStrv) lines = g_strsplit (plan, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      g_print ("  %s %s\n", i == 0 ? "count:" : "rows: ", lines[i]);
  }

  start = g_get_monotonic_time ();
  enr_monitor_clear_filters (monitor);
  g_print ("clear filters:   %.1f ms (%u rows)\n", timed_change (&frames, GTK_WIDGET (window), start),
           g_list_model_get_n_items (G_LIST_MODEL (model)));

  start = g_get_monotonic_time ();
  enr_task_list_model_set_customer_text (model, "Gonzalez");
  g_print ("filter customer: %.1f ms (%u rows, full-text search)\n",
           timed_change (&frames, GTK_WIDGET (window), start), g_list_model_get_n_items (G_LIST_MODEL (model)));
  enr_task_list_model_set_customer_text (model, NULL);
  next_frame (&frames, GTK_WIDGET (window));

  start = g_get_monotonic_time ();
  enr_task_list_model_set_min_age_days (model, 14);
  g_print ("filter age:      %.1f ms (%u rows, over 14 days)\n",
           timed_change (&frames, GTK_WIDGET (window), start), g_list_model_get_n_items (G_LIST_MODEL (model)));
  enr_monitor_clear_filters (monitor);
  next_frame (&frames, GTK_WIDGET (window));

  /* Sorting by a column, as a header click does. */
  start = g_get_monotonic_time ();
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (view),
                                  enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_STATUS), GTK_SORT_ASCENDING);
  g_print ("sort by status:  %.1f ms\n", timed_change (&frames, GTK_WIDGET (window), start));
  start = g_get_monotonic_time ();
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (view),
                                  enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_PROGRAM), GTK_SORT_DESCENDING);
  g_print ("sort by program: %.1f ms (descending)\n", timed_change (&frames, GTK_WIDGET (window), start));
  start = g_get_monotonic_time ();
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (view),
                                  enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_CREATED_AT), GTK_SORT_DESCENDING);
  g_print ("sort by created: %.1f ms\n", timed_change (&frames, GTK_WIDGET (window), start));

  read_memory (&rss, &hwm);
  g_print ("memory open:     VmRSS %.1f MB, VmHWM %.1f MB\n", rss / 1024.0, hwm / 1024.0);

  /* Scrolling top to bottom. */
  adjustment = enr_monitor_get_vadjustment (monitor);
  if (cold)
    {
      g_autofree char *resident = _enr_store_page_cache_describe (store_path);

      g_print ("cold:            before the drag, %s\n", resident);
    }
  drag_big = run_drag (&frames, GTK_WIDGET (window), monitor, drag_frames,
                       cold ? "scroll (drag, cold): " : "scroll (drag):  ");
  if (cold)
    drag_warm = run_drag (&frames, GTK_WIDGET (window), monitor, drag_frames, "scroll (drag, warm): ");

  gtk_adjustment_set_value (adjustment, 0);
  next_frame (&frames, GTK_WIDGET (window));
  run_scroll (&frames, view, adjustment, gtk_adjustment_get_page_size (adjustment), page_frames,
              "scroll (pages): ");

  read_memory (&rss, &hwm);
  g_print ("memory after:    VmRSS %.1f MB, VmHWM %.1f MB\n", rss / 1024.0, hwm / 1024.0);

  /* The targets, each against its baseline of this run. */
  g_print ("\n== targets (baselines measured in this run) ==\n");
  print_open_target (open_big, open_small, open_big_cpu, open_small_cpu);
  g_print ("scroll-bar drag%s: %u tasks %.1f%% of %u frames over 16 ms (median %.1f ms, p95 %.1f ms);"
           " the same drag over %u tasks %.1f%% (median %.1f ms, p95 %.1f ms); ratio of medians %.2f×;"
           " target ≤ 5%% over 16 ms: %s\n",
           cold ? " (cold: the store out of the page cache when it was opened)" : "", n_tasks, drag_big.over_percent, drag_frames, drag_big.median_ms, drag_big.p95_ms,
           baseline_tasks, drag_small.over_percent, drag_small.median_ms, drag_small.p95_ms,
           drag_big.median_ms / MAX (drag_small.median_ms, 0.001),
           verdict (drag_big.over_percent <= 5.0));
  g_print ("scroll-bar drag, thread CPU per frame (what a frame costs on a busy machine): %u tasks median"
           " %.2f ms, p95 %.2f ms, %.1f%% over 16 ms; over %u tasks median %.2f ms, p95 %.2f ms;"
           " ratio of medians %.2f×\n",
           n_tasks, drag_big.cpu_median_ms, drag_big.cpu_p95_ms, drag_big.cpu_over_percent,
           baseline_tasks, drag_small.cpu_median_ms, drag_small.cpu_p95_ms,
           drag_big.cpu_median_ms / MAX (drag_small.cpu_median_ms, 0.001));
  if (cold)
    g_print ("scroll-bar drag (warm: the same drag again): %u tasks %.1f%% of %u frames over 16 ms (median %.1f ms,"
             " p95 %.1f ms; thread CPU median %.2f ms, p95 %.2f ms); target ≤ 5%% over 16 ms: %s\n",
             n_tasks, drag_warm.over_percent, drag_frames, drag_warm.median_ms, drag_warm.p95_ms,
             drag_warm.cpu_median_ms, drag_warm.cpu_p95_ms, verdict (drag_warm.over_percent <= 5.0));

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&context);
  g_clear_object (&store);

  remove_stores (directory, baseline_path);
  g_free (store_path);

  return 0;
}

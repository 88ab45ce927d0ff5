/* bench-gui.c — the desktop client's interactive latencies, for
 * build-aux/bench-gui
 *
 *   bench-gui --import DIR --store FILE
 *       fills a client store from a data set (the client's own importer)
 *   bench-gui --search --store FILE --dataset DIR [--words N] [--store-only]
 *             [--cold]
 *       search as you type in the main window (with --store-only, the
 *       store's query alone, without a window or a display; with --cold,
 *       the store's files put out of the page cache first)
 *   bench-gui --panels --store FILE --customer ID [--program ID] [--switches N] [--windows N]
 *       Next and Previous in the assistant
 *
 * Search: N words (customers' last names, "first name + initial" and
 * account numbers, taken from customers spread over the data set) are
 * typed one character at a time into the real search entry of an
 * EnrWindow (its search delay set to 0, so only the work is measured),
 * one keystroke every --interval ms (50: a fast typist; the frame clock is
 * then free when a keystroke comes, as when a person types). For every
 * keystroke:
 *   keystroke work   until the window's search handler has queried the
 *                    store and updated the result rows
 *   frame work       the work of the frame that shows them: from its
 *                    before-paint to its after-paint (layout, drawing),
 *                    also apart: its layout phase (measure and size
 *                    allocation, to the end of the frame clock's
 *                    "layout") and its paint (snapshot and rendering)
 *   work [target]    the two added: the application's own work for the
 *                    keystroke; under 16 ms, no frame is dropped (the
 *                    issue's "p95 under one frame")
 *   painted, wall    keystroke to that frame's after-paint, which also
 *                    holds the wait for the frame clock's next tick (0 to
 *                    one frame, not the application's work): informational
 * then the same queries straight to the store, without the window ("store
 * query alone"; --store-only measures only these, three times over).
 * Each is also measured as the CPU time of the main
 * thread (CLOCK_THREAD_CPUTIME_ID), where the application's work is
 * done: on a busy machine the wall clock also counts the time the thread
 * waited for a core, its CPU time does not. Panels: the time from Next (Customer → Program) or
 * Previous to the new panel being shown, and to its first painted frame
 * (the target); the baseline is the same window redrawn whole with no
 * switch, to its painted frame; the thread CPU of a switch also apart:
 * Next or Previous itself, its first frame's layout and its paint; when
 * a switch does not happen, why (the panel's errors, eligibility). Also
 * counted per switch: the layout phases to the painted frame and the
 * toplevel's size computations (GdkToplevel::compute-size; under X11
 * each is GDK's layout of the window's surface: its geometry, the work
 * area, and WM_NORMAL_HINTS set, which a window manager answers), and
 * the frames, layout phases and size computations in the 200 ms after it
 * (a ConfigureNotify from the window manager would add some); the main
 * thread's minor page faults to the painted frame (memory touched for the
 * first time: under X11 with cairo, a new MIT-SHM segment for the
 * frame's image); and the
 * window's minimum width on each panel (what the window manager is asked
 * for). Then --windows new flow windows (20), each left a second to
 * settle after it is shown and measured the same way on its first Next
 * (Program Enrollment shown for the first time in that window, as in
 * every flow a clerk starts) and the Previous after it. With
 * BENCH_GUI_SWITCHES set, each switch's times and counts go to stderr.
 * Prints p50, p95 and max of each, in milliseconds; for the search, the
 * thread CPU of each query shape (last name, first name + initial,
 * account id) also apart, since each takes another path in the store;
 * and where the work's wall time that was not the main thread's CPU time
 * went: waiting for a core while runnable (the run-queue delay,
 * /proc/thread-self/schedstat) or asleep, blocked (the rest: a reply
 * from the X server, a lock), with the main thread's voluntary and
 * involuntary context switches in the work. With BENCH_GUI_KEYSTROKES
 * set in the environment, each keystroke's wall, CPU, run-queue delay,
 * voluntary switches and layout go to stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE /* RUSAGE_THREAD */

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "enr-assistant.h"
#include "enr-context.h"
#include "enr-dataset-import.h"
#include "enr-flow-session.h"
#include "enr-gui-utils.h"
#include "enr-page.h"
#include "enr-store-private.h"
#include "enr-window.h"

#define WAIT_US (10 * G_USEC_PER_SEC)

static gint64 handled_at;
static gint64 frame_at;
static gint64 painted_at;
/* The end of the frame's layout phase (its paint follows) */
static gint64 laid_out_at;
/* The main thread's CPU time at the same moments (µs) */
static gint64 handled_cpu;
static gint64 frame_cpu;
static gint64 painted_cpu;
static gint64 laid_out_cpu;
/* What the frame clock and the toplevel did so far, counted per panel
 * switch: frames (before-paint), layout phases, and the toplevel's size
 * computations (GdkToplevel::compute-size: under X11 each is GDK's layout
 * of the window's surface, with its round trips to the X server and the
 * WM_NORMAL_HINTS it sets, which a window manager answers). */
static guint n_frames;
static guint n_layouts;
static guint n_computes;

/* Where the main thread's wall time went that was not its CPU time, at
 * the same moments: the time it waited for a core while runnable (the
 * run-queue delay, /proc/thread-self/schedstat's second field, ns) and
 * its voluntary context switches (it blocked: a reply, a lock, a poll);
 * and its minor page faults (memory touched for the first time). */
typedef struct
{
  gint64 waited_ns;
  long   voluntary;
  long   involuntary;
  long   minor_faults;
} Sched;

static int schedstat_fd = -1;
static Sched start_sched;
static Sched handled_sched;
static Sched frame_sched;
static Sched painted_sched;

static void
sched_now (Sched *sched)
{
  char buffer[128];
  ssize_t n;
  struct rusage usage;

  memset (sched, 0, sizeof *sched);
  if (schedstat_fd >= 0 && (n = pread (schedstat_fd, buffer, sizeof buffer - 1, 0)) > 0)
    {
      char *end;

      buffer[n] = '\0';
      g_ascii_strtoll (buffer, &end, 10);
      sched->waited_ns = g_ascii_strtoll (end, NULL, 10);
    }
  if (getrusage (RUSAGE_THREAD, &usage) == 0)
    {
      sched->voluntary = usage.ru_nvcsw;
      sched->involuntary = usage.ru_nivcsw;
      sched->minor_faults = usage.ru_minflt;
    }
}

/* The CPU time of the calling thread, in µs. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
wait_for (gint64 *stamp)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (*stamp == 0)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }

  return TRUE;
}

static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static void
on_before_paint_cb (GdkFrameClock *clock)
{
  n_frames++;
  if (frame_at == 0 && handled_at != 0)
    {
      frame_at = g_get_monotonic_time ();
      frame_cpu = thread_cpu_us ();
      sched_now (&frame_sched);
    }
}

/* Connected after GTK's own handler (the window's size allocation); the
 * frame clock runs the layout phase again (up to four times) while a
 * layout asks for another, so the last one counts. */
static void
on_layout_cb (GdkFrameClock *clock)
{
  n_layouts++;
  if (frame_at != 0 && painted_at == 0)
    {
      laid_out_at = g_get_monotonic_time ();
      laid_out_cpu = thread_cpu_us ();
    }
}

static void
on_after_paint_cb (GdkFrameClock *clock)
{
  if (painted_at == 0 && frame_at != 0)
    {
      painted_at = g_get_monotonic_time ();
      painted_cpu = thread_cpu_us ();
      sched_now (&painted_sched);
    }
}

static void
on_compute_size_cb (GdkToplevel     *toplevel,
                    GdkToplevelSize *size)
{
  n_computes++;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
report (const char *what,
        GArray     *samples)
{
  double *values = (double *) samples->data;
  guint n = samples->len;

  if (n == 0)
    {
      g_print ("%-36s no samples\n", what);
      return;
    }

  g_array_sort (samples, compare_doubles);
  g_print ("%-36s n=%-5u p50 %7.2f ms   p95 %7.2f ms   max %7.2f ms\n", what, n,
           values[n / 2], values[MIN (n - 1, (guint) (n * 0.95))], values[n - 1]);
}

/* The same for counts per keystroke (context switches). */
static void
report_count (const char *what,
              GArray     *samples)
{
  double *values = (double *) samples->data;
  guint n = samples->len;

  if (n == 0)
    return;

  g_array_sort (samples, compare_doubles);
  g_print ("%-36s n=%-5u p50 %7.0f      p95 %7.0f      max %7.0f\n", what, n,
           values[n / 2], values[MIN (n - 1, (guint) (n * 0.95))], values[n - 1]);
}

static EnrContext *
open_context (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) store = enr_store_new (path, NULL, &error);
  EnrContext *context;

  if (store == NULL)
    g_error ("Cannot open %s: %s", path, error->message);

  context = enr_context_new (store, NULL);
  enr_context_set_username (context, "clerk");
  return context;
}

/* What a typed word is: each takes another path through the store's
 * search (a long name prefix, two words, digits after punctuation). */
typedef enum
{
  SHAPE_LAST_NAME,
  SHAPE_FIRST_NAME_INITIAL,
  SHAPE_ACCOUNT,
  N_SHAPES
} Shape;

static const char * const shape_names[N_SHAPES] = {
  "last name",
  "first name + initial",
  "account id",
};

typedef struct
{
  char  *text;
  Shape  shape;
} Word;

static void
word_free (gpointer data)
{
  Word *word = data;

  g_free (word->text);
  g_free (word);
}

static void
add_word (GPtrArray *words,
          char      *text,
          Shape      shape)
{
  Word *word = g_new (Word, 1);

  word->text = text;
  word->shape = shape;
  g_ptr_array_add (words, word);
}

/* Typing sequences from customers spread over the data set, the three
 * shapes in turn. */
static GPtrArray *
pick_words (const char *dataset,
            guint       n_words)
{
  g_autofree char *path = g_build_filename (dataset, "customers.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *words = g_ptr_array_new_with_free_func (word_free);
  goffset size;
  g_autoptr(GFileInfo) info = NULL;

  if (!(stream = g_file_read (file, NULL, &error)) ||
      !(info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, &error)))
    g_error ("Cannot read %s: %s", path, error->message);
  size = g_file_info_get_size (info);
  lines = g_data_input_stream_new (G_INPUT_STREAM (stream));

  for (guint i = 0; i < n_words; i++)
    {
      g_autofree char *skip = NULL;
      g_autofree char *line = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;
      const char *name, *account;
      g_auto(GStrv) parts = NULL;
      guint length;

      /* The first whole line after an offset spread over the file. */
      g_seekable_seek (G_SEEKABLE (lines), size / (n_words + 1) * (i + 1), G_SEEK_SET, NULL, NULL);
      skip = g_data_input_stream_read_line (lines, NULL, NULL, NULL);
      line = g_data_input_stream_read_line (lines, NULL, NULL, NULL);
      if (line == NULL || !(node = json_from_string (line, NULL)) || !JSON_NODE_HOLDS_OBJECT (node))
        continue;

      object = json_node_get_object (node);
      name = json_object_get_string_member_with_default (object, "name", "");
      account = json_object_get_string_member_with_default (object, "account_id", "");
      parts = g_strsplit (name, " ", -1);
      length = g_strv_length (parts);

      switch ((Shape) (i % N_SHAPES))
        {
        case SHAPE_LAST_NAME:
          if (length > 0)
            add_word (words, g_strndup (parts[length - 1], 7), SHAPE_LAST_NAME);
          break;
        case SHAPE_FIRST_NAME_INITIAL:
          if (length > 1)
            add_word (words, g_strdup_printf ("%s %.1s", parts[0], parts[length - 1]),
                      SHAPE_FIRST_NAME_INITIAL);
          break;
        case SHAPE_ACCOUNT:
        case N_SHAPES:
        default:
          add_word (words, g_strndup (account, 10), SHAPE_ACCOUNT);
          break;
        }
    }

  return words;
}

/* The search of what the benchmark typed (not of another text, such as
 * the empty one GtkSearchEntry reports at once when it is cleared). */
static void
on_search_done_cb (GtkEditable *entry,
                   GString     *typed)
{
  if (g_strcmp0 (gtk_editable_get_text (entry), typed->str) == 0)
    {
      handled_at = g_get_monotonic_time ();
      handled_cpu = thread_cpu_us ();
      sched_now (&handled_sched);
    }
}

static GArray *
samples_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (double));
}

static void
add_sample (GArray *samples,
            double  ms)
{
  g_array_append_val (samples, ms);
}

/* The same queries straight to the store, without the window, @rounds
 * times; the thread CPU also by query shape. */
static void
query_store (EnrContext *context,
             GPtrArray  *words,
             guint       rounds,
             GArray     *queried,
             GArray     *queried_cpus,
             GArray    **shape_cpus)
{
  for (guint round = 0; round < rounds; round++)
    for (guint i = 0; i < words->len; i++)
      {
        const Word *word = g_ptr_array_index (words, i);
        glong n_chars = g_utf8_strlen (word->text, -1);

        for (glong k = 1; k <= n_chars; k++)
          {
            g_autofree char *prefix = g_utf8_substring (word->text, 0, k);
            g_autoptr(GPtrArray) found = NULL;
            gint64 start_cpu = thread_cpu_us ();
            gint64 start = g_get_monotonic_time ();
            double cpu_ms;

            found = enr_context_search_customers (context, prefix, ENR_WINDOW_SEARCH_RESULTS + 1, NULL);
            add_sample (queried, (g_get_monotonic_time () - start) / 1000.0);
            cpu_ms = (thread_cpu_us () - start_cpu) / 1000.0;
            add_sample (queried_cpus, cpu_ms);
            add_sample (shape_cpus[word->shape], cpu_ms);
          }
      }
}

static void
report_shapes (const char  *what,
               GArray     **samples)
{
  for (guint shape = 0; shape < N_SHAPES; shape++)
    {
      g_autofree char *label = g_strdup_printf ("    %s, %s", what, shape_names[shape]);

      report (label, samples[shape]);
    }
}

static void
free_shapes (GArray **samples)
{
  for (guint shape = 0; shape < N_SHAPES; shape++)
    g_array_unref (samples[shape]);
}

static char *
count_customers (EnrContext *context)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          enr_store_count (enr_context_get_store (context), ENR_TYPE_CUSTOMER, NULL));
}

/* --store-only: the store's share alone, with no window (no display). */
static int
bench_store_search (const char *store_path,
                    const char *dataset,
                    guint       n_words)
{
  g_autoptr(EnrContext) context = open_context (store_path);
  g_autoptr(GPtrArray) words = pick_words (dataset, n_words);
  g_autoptr(GArray) queried = samples_new ();
  g_autoptr(GArray) queried_cpus = samples_new ();
  GArray *shape_cpus[N_SHAPES] = { samples_new (), samples_new (), samples_new () };
  g_autofree char *count = count_customers (context);
  const guint rounds = 3;

  /* One round first to warm the page cache, as the typing does. */
  {
    g_autoptr(GArray) warm = samples_new ();
    g_autoptr(GArray) warm_cpus = samples_new ();
    GArray *warm_shapes[N_SHAPES] = { samples_new (), samples_new (), samples_new () };

    query_store (context, words, 1, warm, warm_cpus, warm_shapes);
    free_shapes (warm_shapes);
  }
  query_store (context, words, rounds, queried, queried_cpus, shape_cpus);

  g_print ("store search over %s cached customers, %u words typed %u times, %u queries\n",
           count, words->len, rounds, queried->len);
  report ("  store query alone", queried);
  report ("  store query alone, thread CPU", queried_cpus);
  report_shapes ("store query, thread CPU", shape_cpus);
  free_shapes (shape_cpus);
  return 0;
}

/* --cold: the store's files out of the page cache (only theirs), as
 * after hours without reading them; says how much was in it. */
static void
evict_store (const char *store_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = _enr_store_page_cache_describe (store_path);
  g_autofree char *after = NULL;

  if (!_enr_store_page_cache_evict (store_path, &error))
    g_error ("Cannot put the store out of the page cache: %s", error->message);
  after = _enr_store_page_cache_describe (store_path);
  g_print ("cold: the store's files put out of the page cache: %s before, %s after\n", before, after);
}

static EnrContext *
open_context_maybe_cold (const char *store_path,
                         gboolean    cold)
{
  if (cold)
    evict_store (store_path);
  return open_context (store_path);
}

static int
bench_search (const char *store_path,
              const char *dataset,
              guint       n_words,
              guint       interval_ms,
              gboolean    cold)
{
  g_autoptr(EnrContext) context = open_context_maybe_cold (store_path, cold);
  g_autoptr(GPtrArray) words = pick_words (dataset, n_words);
  g_autoptr(GArray) handled = samples_new ();
  g_autoptr(GArray) frames = samples_new ();
  g_autoptr(GArray) work = samples_new ();
  g_autoptr(GArray) painted = samples_new ();
  g_autoptr(GArray) queried = samples_new ();
  g_autoptr(GArray) handled_cpus = samples_new ();
  g_autoptr(GArray) frame_cpus = samples_new ();
  g_autoptr(GArray) work_cpus = samples_new ();
  g_autoptr(GArray) queried_cpus = samples_new ();
  g_autoptr(GArray) layouts = samples_new ();
  g_autoptr(GArray) paints = samples_new ();
  g_autoptr(GArray) layout_cpus = samples_new ();
  g_autoptr(GArray) paint_cpus = samples_new ();
  g_autoptr(GArray) gaps = samples_new ();
  g_autoptr(GArray) waits = samples_new ();
  g_autoptr(GArray) sleeps = samples_new ();
  g_autoptr(GArray) voluntaries = samples_new ();
  g_autoptr(GArray) involuntaries = samples_new ();
  GArray *work_shape_cpus[N_SHAPES] = { samples_new (), samples_new (), samples_new () };
  GArray *query_shape_cpus[N_SHAPES] = { samples_new (), samples_new (), samples_new () };
  g_autoptr(GString) typed = g_string_new (NULL);
  EnrWindow *window = enr_window_new (NULL, context);
  GtkWidget *entry = enr_window_get_search_entry (window);
  GdkFrameClock *clock;
  g_autofree char *count = count_customers (context);

  schedstat_fd = open ("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  gtk_window_present (GTK_WINDOW (window));
  settle (500);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), NULL);
  g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout_cb), NULL);
  g_object_set (entry, "search-delay", 0, NULL);
  g_signal_connect_after (entry, "search-changed", G_CALLBACK (on_search_done_cb), typed);

  for (guint i = 0; i < words->len; i++)
    {
      const Word *word = g_ptr_array_index (words, i);
      glong n_chars = g_utf8_strlen (word->text, -1);

      for (glong k = 1; k <= n_chars; k++)
        {
          const char *next = g_utf8_offset_to_pointer (word->text, k - 1);
          int position = (int) g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (entry)), -1);
          gint64 start, start_cpu;
          double cpu_ms;

          settle (interval_ms);
          g_string_append_len (typed, next, g_utf8_next_char (next) - next);
          handled_at = frame_at = painted_at = laid_out_at = 0;
          sched_now (&start_sched);
          start_cpu = thread_cpu_us ();
          start = g_get_monotonic_time ();
          /* One character typed at the end, as a keystroke does (setting
           * the whole text would clear it first). */
          gtk_editable_insert_text (GTK_EDITABLE (entry), next, g_utf8_next_char (next) - next, &position);
          if (!wait_for (&handled_at))
            g_error ("The search of “%s” did not finish", typed->str);
          /* A frame even when nothing changed, drawing only what did. */
          gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
          if (!wait_for (&painted_at))
            g_error ("No frame after the search of “%s”", typed->str);

          /* A frame with nothing to lay out has no layout phase. */
          if (laid_out_at == 0)
            {
              laid_out_at = frame_at;
              laid_out_cpu = frame_cpu;
            }
          add_sample (layouts, (laid_out_at - frame_at) / 1000.0);
          add_sample (paints, (painted_at - laid_out_at) / 1000.0);
          add_sample (layout_cpus, (laid_out_cpu - frame_cpu) / 1000.0);
          add_sample (paint_cpus, (painted_cpu - laid_out_cpu) / 1000.0);
          add_sample (handled, (handled_at - start) / 1000.0);
          add_sample (frames, (painted_at - frame_at) / 1000.0);
          add_sample (work, ((handled_at - start) + (painted_at - frame_at)) / 1000.0);
          add_sample (painted, (painted_at - start) / 1000.0);

          add_sample (handled_cpus, (handled_cpu - start_cpu) / 1000.0);
          add_sample (frame_cpus, (painted_cpu - frame_cpu) / 1000.0);
          cpu_ms = ((handled_cpu - start_cpu) + (painted_cpu - frame_cpu)) / 1000.0;
          add_sample (work_cpus, cpu_ms);
          add_sample (work_shape_cpus[word->shape], cpu_ms);

          {
            double wall_ms = ((handled_at - start) + (painted_at - frame_at)) / 1000.0;
            double waited_ms = ((handled_sched.waited_ns - start_sched.waited_ns) +
                                (painted_sched.waited_ns - frame_sched.waited_ns)) / 1e6;

            if (g_getenv ("BENCH_GUI_KEYSTROKES") != NULL)
              g_printerr ("keystroke %s|%ld wall %.2f cpu %.2f waited %.2f vol %ld layout %.2f\n", typed->str, k, wall_ms, cpu_ms, waited_ms,
                          (handled_sched.voluntary - start_sched.voluntary) + (painted_sched.voluntary - frame_sched.voluntary),
                          (laid_out_at - frame_at) / 1000.0);
            add_sample (gaps, wall_ms - cpu_ms);
            add_sample (waits, waited_ms);
            add_sample (sleeps, MAX (0.0, wall_ms - cpu_ms - waited_ms));
            add_sample (voluntaries, (handled_sched.voluntary - start_sched.voluntary) +
                                     (painted_sched.voluntary - frame_sched.voluntary));
            add_sample (involuntaries, (handled_sched.involuntary - start_sched.involuntary) +
                                       (painted_sched.involuntary - frame_sched.involuntary));
          }
        }

      handled_at = frame_at = painted_at = 0;
      g_string_truncate (typed, 0);
      gtk_editable_set_text (GTK_EDITABLE (entry), "");
      settle (interval_ms);
    }

  /* The store's share: the same queries without the window. */
  query_store (context, words, 1, queried, queried_cpus, query_shape_cpus);

  if (cold)
    {
      g_autofree char *resident = _enr_store_page_cache_describe (store_path);

      g_print ("cold: the store's files after the typing: %s\n", resident);
    }
  g_print ("search as you type over %s cached customers, %u words, %u keystrokes, one every %u ms%s\n",
           count, words->len, handled->len, interval_ms, cold ? ", the store cold" : "");
  report ("  keystroke work (query, widgets)", handled);
  report ("  work of the frame showing them", frames);
  report ("    its layout (measure, allocate)", layouts);
  report ("    its paint (snapshot, render)", paints);
  report ("  work: keystroke + frame [target]", work);
  report ("  keystroke to painted, wall", painted);
  report ("  store query alone", queried);
  report ("  keystroke work, thread CPU", handled_cpus);
  report ("  frame work, thread CPU", frame_cpus);
  report ("    its layout, thread CPU", layout_cpus);
  report ("    its paint, thread CPU", paint_cpus);
  report ("  work, thread CPU [target]", work_cpus);
  report ("  store query alone, thread CPU", queried_cpus);
  report ("  work: wall minus thread CPU", gaps);
  report ("    waiting for a core (run queue)", waits);
  report ("    asleep (blocked, the rest)", sleeps);
  report_count ("  work: voluntary switches", voluntaries);
  report_count ("  work: involuntary switches", involuntaries);
  report_shapes ("work, thread CPU", work_shape_cpus);
  report_shapes ("store query, thread CPU", query_shape_cpus);
  free_shapes (work_shape_cpus);
  free_shapes (query_shape_cpus);

  gtk_window_destroy (GTK_WINDOW (window));
  settle (50);
  if (schedstat_fd >= 0)
    close (schedstat_fd);
  schedstat_fd = -1;
  return 0;
}

typedef struct
{
  EnrAssistant *assistant;
  EnrPanel      panel;
} Shown;

static gboolean
panel_shown (Shown *shown)
{
  return enr_assistant_get_current_panel (shown->assistant) == shown->panel &&
         gtk_widget_get_mapped (GTK_WIDGET (enr_assistant_get_page (shown->assistant, shown->panel)));
}

/* A switch's parts, thread CPU: Next or Previous itself, then its first
 * frame's layout and paint. */
typedef struct
{
  GArray *action_cpus;
  GArray *layout_cpus;
  GArray *paint_cpus;
  /* Counts: the layout phases and the toplevel's size computations to
   * the painted frame; the frames, layout phases and computations after
   * it while the switch settles (where answers from the window manager,
   * such as a ConfigureNotify, would make another) */
  GArray *layouts;
  GArray *computes;
  GArray *frames_after;
  GArray *layouts_after;
  GArray *computes_after;
  /* The main thread's minor page faults to the painted frame: under X11
   * with cairo, memory of a new MIT-SHM segment that the frame's image
   * is copied into on its way to the X server, touched a page at a time
   * (cairo 1.16 gives a frame a new segment when the one before it was
   * freed, as after a window's first frame) */
  GArray *faults;
  /* The window's minimum width on each panel, px: what the toplevel
   * asks the window manager for (WM_NORMAL_HINTS) */
  int     min_width[2];
  gboolean min_width_varies;
} SwitchParts;

static void
switch_parts_init (SwitchParts *parts)
{
  *parts = (SwitchParts) { samples_new (), samples_new (), samples_new (), samples_new (), samples_new (),
                           samples_new (), samples_new (), samples_new (), samples_new (), { 0, 0 }, FALSE };
}

static void
switch_parts_clear (SwitchParts *parts)
{
  GArray *arrays[] = { parts->action_cpus, parts->layout_cpus, parts->paint_cpus, parts->layouts,
                       parts->computes, parts->frames_after, parts->layouts_after, parts->computes_after,
                       parts->faults };

  for (guint i = 0; i < G_N_ELEMENTS (arrays); i++)
    g_array_unref (arrays[i]);
}

static void
add_count (GArray *samples,
           guint   count)
{
  double value = count;

  g_array_append_val (samples, value);
}

static gboolean
switch_panel (EnrAssistant *assistant,
              const char   *action,
              EnrPanel      panel,
              GArray       *shown_ms,
              GArray       *painted_ms,
              GArray       *cpu_ms,
              SwitchParts  *parts)
{
  Shown shown = { assistant, panel };
  Sched start_switch;
  gint64 start, start_cpu, deadline, acted_cpu, acted_at;
  guint layouts, computes, frames_after, layouts_after, computes_after;
  int min_width, side = panel == ENR_PANEL_PROGRAM;
  double ms;

  handled_at = frame_at = painted_at = laid_out_at = 0;
  layouts = n_layouts;
  computes = n_computes;
  sched_now (&start_switch);
  start_cpu = thread_cpu_us ();
  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (assistant), action, NULL);
  acted_cpu = thread_cpu_us ();
  acted_at = g_get_monotonic_time ();
  /* The frame's phases count from here (before-paint needs handled_at). */
  handled_at = g_get_monotonic_time ();

  deadline = start + WAIT_US;
  while (!panel_shown (&shown))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
  handled_at = g_get_monotonic_time ();
  if (!wait_for (&painted_at))
    return FALSE;

  ms = (handled_at - start) / 1000.0;
  g_array_append_val (shown_ms, ms);
  ms = (painted_at - start) / 1000.0;
  g_array_append_val (painted_ms, ms);
  ms = (painted_cpu - start_cpu) / 1000.0;
  g_array_append_val (cpu_ms, ms);
  if (laid_out_at == 0)
    laid_out_cpu = frame_cpu;
  ms = (acted_cpu - start_cpu) / 1000.0;
  g_array_append_val (parts->action_cpus, ms);
  ms = (laid_out_cpu - frame_cpu) / 1000.0;
  g_array_append_val (parts->layout_cpus, ms);
  ms = (painted_cpu - laid_out_cpu) / 1000.0;
  g_array_append_val (parts->paint_cpus, ms);
  layouts = n_layouts - layouts;
  computes = n_computes - computes;
  add_count (parts->layouts, layouts);
  add_count (parts->computes, computes);
  add_count (parts->faults, (guint) (painted_sched.minor_faults - start_switch.minor_faults));

  /* Let the new panel settle (focus, idle work) before the next switch. */
  frames_after = n_frames;
  layouts_after = n_layouts;
  computes_after = n_computes;
  settle (200);
  frames_after = n_frames - frames_after;
  layouts_after = n_layouts - layouts_after;
  computes_after = n_computes - computes_after;
  add_count (parts->frames_after, frames_after);
  add_count (parts->layouts_after, layouts_after);
  add_count (parts->computes_after, computes_after);

  gtk_widget_measure (GTK_WIDGET (assistant), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  if (parts->min_width[side] != 0 && parts->min_width[side] != min_width)
    parts->min_width_varies = TRUE;
  parts->min_width[side] = min_width;

  if (g_getenv ("BENCH_GUI_SWITCHES") != NULL)
    g_printerr ("switch %s start %" G_GINT64_FORMAT " acted %" G_GINT64_FORMAT " frame %" G_GINT64_FORMAT
                " painted %" G_GINT64_FORMAT " cpu %.2f layouts %u computes %u faults %ld"
                " after: frames %u layouts %u computes %u; min-width %d\n",
                action, start, acted_at, frame_at, painted_at, (painted_cpu - start_cpu) / 1000.0,
                layouts, computes, painted_sched.minor_faults - start_switch.minor_faults,
                frames_after, layouts_after, computes_after, min_width);
  return TRUE;
}

/* Times @assistant's frames and counts its layouts and size computations
 * (the globals switch_panel() reads). */
static void
watch_frames (EnrAssistant *assistant)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (assistant));

  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), NULL);
  g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout_cb), NULL);
  g_signal_connect (gtk_native_get_surface (GTK_NATIVE (assistant)), "compute-size",
                    G_CALLBACK (on_compute_size_cb), NULL);
}

/* What a clerk meets in every flow: a new flow window (the process warm
 * from the switches before), left to settle for a second after it is
 * shown, then its first Next (Program Enrollment shown for the first
 * time in that window) and the Previous back to Customer, each timed as
 * a switch above. */
static void
fresh_windows (EnrContext *context,
               const char *customer_id,
               const char *program_id,
               guint       n_windows)
{
  g_autoptr(GArray) next_shown = samples_new ();
  g_autoptr(GArray) next_painted = samples_new ();
  g_autoptr(GArray) next_cpus = samples_new ();
  g_autoptr(GArray) back_shown = samples_new ();
  g_autoptr(GArray) back_painted = samples_new ();
  g_autoptr(GArray) back_cpus = samples_new ();
  SwitchParts next, back;

  switch_parts_init (&next);
  switch_parts_init (&back);

  for (guint i = 0; i < n_windows; i++)
    {
      g_autoptr(EnrProcessFlow) flow = enr_flow_session_create_enrollment (context, customer_id, program_id, NULL);
      EnrAssistant *assistant;

      if (flow == NULL)
        g_error ("Cannot start another enrollment of %s into %s", customer_id, program_id);
      assistant = enr_assistant_new (context, flow);
      gtk_window_present (GTK_WINDOW (assistant));
      settle (1000);
      watch_frames (assistant);
      if (!switch_panel (assistant, "assistant.next", ENR_PANEL_PROGRAM, next_shown, next_painted, next_cpus, &next) ||
          !switch_panel (assistant, "assistant.previous", ENR_PANEL_CUSTOMER, back_shown, back_painted, back_cpus,
                         &back))
        g_error ("A new flow window did not switch panels");
      gtk_window_destroy (GTK_WINDOW (assistant));
      settle (100);
    }

  g_print ("new flow windows, %u: the first Next (Program Enrollment shown for the first time), then Previous\n",
           n_windows);
  report ("  new window, Next: painted [target]", next_painted);
  report ("  new window, Next: thread CPU", next_cpus);
  report ("    Next itself, thread CPU", next.action_cpus);
  report ("    its frame's layout, thread CPU", next.layout_cpus);
  report ("    its frame's paint, thread CPU", next.paint_cpus);
  report_count ("    minor page faults to painted", next.faults);
  report_count ("    frames after it (200 ms)", next.frames_after);
  report_count ("      their layout phases", next.layouts_after);
  report_count ("      toplevel size computations", next.computes_after);
  report ("  new window, Previous: painted", back_painted);
  report ("  new window, Previous: thread CPU", back_cpus);
  report_count ("    minor page faults to painted", back.faults);
  report_count ("    frames after it (200 ms)", back.frames_after);
  switch_parts_clear (&next);
  switch_parts_clear (&back);
}

static int
bench_panels (const char *store_path,
              const char *customer_id,
              const char *program_id,
              guint       n_switches,
              guint       n_windows)
{
  g_autoptr(EnrContext) context = open_context (store_path);
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) painted = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) redrawn = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) switch_cpus = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) redrawn_cpus = g_array_new (FALSE, FALSE, sizeof (double));
  SwitchParts parts;
  EnrAssistant *assistant;
  GdkFrameClock *clock;

  switch_parts_init (&parts);
  flow = enr_flow_session_create_enrollment (context, customer_id, program_id, NULL);
  if (flow == NULL)
    g_error ("Cannot start an enrollment of %s into %s", customer_id, program_id);

  assistant = enr_assistant_new (context, flow);
  gtk_window_present (GTK_WINDOW (assistant));
  settle (500);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (assistant));
  watch_frames (assistant);

  for (guint i = 0; i < 2 * n_switches; i++)
    if (!switch_panel (assistant, i % 2 == 0 ? "assistant.next" : "assistant.previous",
                       i % 2 == 0 ? ENR_PANEL_PROGRAM : ENR_PANEL_CUSTOMER, shown, painted, switch_cpus,
                       &parts))
      {
        EnrPanel current = enr_assistant_get_current_panel (assistant);
        g_autoptr(GPtrArray) errors = enr_page_validate (enr_assistant_get_page (assistant, current));
        g_autoptr(EnrEligibilityResult) result =
          enr_flow_session_check_eligibility (enr_assistant_get_session (assistant), TRUE);
        g_autofree char *reasons = enr_eligibility_result_join_reasons (result, "; ");

        for (guint j = 0; j < errors->len; j++)
          g_printerr ("bench-gui: panel %d: %s: %s\n", current,
                      enr_field_error_get_field (g_ptr_array_index (errors, j)),
                      enr_field_error_get_message (g_ptr_array_index (errors, j)));
        g_printerr ("bench-gui: switch %u (%s) left panel %d\n", i + 1, i % 2 == 0 ? "Next" : "Previous", current);
        g_printerr ("bench-gui: eligible: %s%s%s\n",
                    enr_eligibility_result_is_eligible (result) ? "yes" : "no",
                    reasons[0] != '\0' ? ": " : "", reasons);
        g_error ("The assistant did not switch panels (is %s eligible for %s?)", customer_id, program_id);
      }

  /* The baseline: the same window redrawn whole, with no switch. */
  for (guint i = 0; i < 2 * n_switches; i++)
    {
      gint64 start, start_cpu;
      double ms;

      settle (20);
      frame_at = painted_at = 0;
      start_cpu = thread_cpu_us ();
      handled_at = start = g_get_monotonic_time ();
      gtk_widget_queue_draw (GTK_WIDGET (assistant));
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
      if (!wait_for (&painted_at))
        g_error ("No frame after redrawing the assistant");
      ms = (painted_at - start) / 1000.0;
      g_array_append_val (redrawn, ms);
      ms = (painted_cpu - start_cpu) / 1000.0;
      g_array_append_val (redrawn_cpus, ms);
    }

  g_print ("panel switches (Customer ⇄ Program Enrollment), %u switches\n", shown->len);
  report ("  new panel shown", shown);
  report ("  first frame painted [target]", painted);
  report ("  window redrawn, no switch [base]", redrawn);
  report ("  switch to painted, thread CPU", switch_cpus);
  report ("    Next/Previous itself, thread CPU", parts.action_cpus);
  report ("    its frame's layout, thread CPU", parts.layout_cpus);
  report ("    its frame's paint, thread CPU", parts.paint_cpus);
  report ("  redrawn, no switch, thread CPU", redrawn_cpus);
  report_count ("  layout phases to painted", parts.layouts);
  report_count ("  toplevel size computations", parts.computes);
  report_count ("  minor page faults to painted", parts.faults);
  report_count ("  after it (200 ms): frames", parts.frames_after);
  report_count ("    layout phases", parts.layouts_after);
  report_count ("    toplevel size computations", parts.computes_after);
  g_print ("  window's minimum width: Customer %d px, Program Enrollment %d px%s\n",
           parts.min_width[0], parts.min_width[1],
           parts.min_width_varies ? " (varied between visits)" : "");
  switch_parts_clear (&parts);

  gtk_window_destroy (GTK_WINDOW (assistant));
  settle (50);

  if (n_windows > 0)
    fresh_windows (context, customer_id, program_id, n_windows);
  return 0;
}

static int
import_dataset (const char *store_path,
                const char *dataset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) store = enr_store_new (store_path, NULL, &error);
  g_autoptr(GFile) directory = g_file_new_for_path (dataset);
  gint64 start = g_get_monotonic_time ();

  if (store == NULL || !enr_dataset_import (store, directory, NULL, NULL, &error))
    g_error ("Cannot import %s into %s: %s", dataset, store_path, error->message);

  g_print ("imported %" G_GINT64_FORMAT " customers in %.1f s\n",
           enr_store_count (store, ENR_TYPE_CUSTOMER, NULL),
           (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("— Enrollment Desk GUI benchmark");
  g_autoptr(GError) error = NULL;
  g_autofree char *store = NULL;
  g_autofree char *dataset = NULL;
  g_autofree char *import = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *program = NULL;
  gboolean search = FALSE, store_only = FALSE, panels = FALSE, cold = FALSE;
  int words = 200, switches = 50, interval = 50, windows = 20;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store, "The client store", "FILE" },
    { "import", 0, 0, G_OPTION_ARG_FILENAME, &import, "Fill the store from this data set", "DIR" },
    { "search", 0, 0, G_OPTION_ARG_NONE, &search, "Measure search as you type", NULL },
    { "store-only", 0, 0, G_OPTION_ARG_NONE, &store_only, "With --search: the store's query alone, no window", NULL },
    { "cold", 0, 0, G_OPTION_ARG_NONE, &cold, "With --search: put the store out of the page cache first", NULL },
    { "dataset", 0, 0, G_OPTION_ARG_FILENAME, &dataset, "The data set the store holds (for the words)", "DIR" },
    { "words", 0, 0, G_OPTION_ARG_INT, &words, "Words to type (200)", "N" },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval, "Milliseconds between keystrokes (50)", "MS" },
    { "panels", 0, 0, G_OPTION_ARG_NONE, &panels, "Measure panel switches", NULL },
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer, "The customer to enroll", "ID" },
    { "program", 0, 0, G_OPTION_ARG_STRING, &program, "The program (prog-tstat)", "ID" },
    { "switches", 0, 0, G_OPTION_ARG_INT, &switches, "Next/Previous pairs (50)", "N" },
    { "windows", 0, 0, G_OPTION_ARG_INT, &windows, "New flow windows, each measured on its first Next and Previous (20)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || store == NULL ||
      words <= 0 || switches <= 0 || interval < 0 || windows < 0)
    {
      g_printerr ("bench-gui: %s\n", error != NULL ? error->message : "--store is required");
      return 2;
    }

  if (import != NULL)
    return import_dataset (store, import);
  if (search && store_only && dataset != NULL)
    return bench_store_search (store, dataset, (guint) words);

  gtk_init ();
  enr_gui_init ();
  enr_gui_load_style ();

  if (search && dataset != NULL)
    return bench_search (store, dataset, (guint) words, (guint) interval, cold);
  if (panels && customer != NULL)
    return bench_panels (store, customer, program != NULL ? program : "prog-tstat", (guint) switches, (guint) windows);

  g_printerr ("bench-gui: give --import DIR, --search --dataset DIR or --panels --customer ID\n");
  return 2;
}

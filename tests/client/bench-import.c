/* bench-import.c — Import Enrollments… on 10,000 rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Generates a data set of N + M customers (enrollment-sample-data),
 * imports it into a new client store, writes a file of N rows (one per
 * customer, Peak Savers Control Group with consent, every 20th row with a
 * bad date and every 50th an unknown account), then measures in one run:
 *
 *   baseline   the store's own bulk read of the same N customers
 *              (enr_store_list() of every customer)
 *   preview    reading the file and checking every row
 *              (enr_enrollment_import_judge()), as the dialog does
 *   queue      queueing the ready rows (enr_enrollment_import_queue())
 *   single     the client's own single-flow save (a new enrollment flow
 *              and its create-task, enr_context_create_flow()) for M
 *              other customers
 *
 * and prints the preview against the target (10,000 rows in under
 * 5 s: "met" or "NOT met"), the preview's and the queue's rows/s against
 * the single-flow save rate of the same run (the queue's target: at least
 * that rate), and where each step's time went: on a CPU, waiting for a
 * CPU that other processes held (a busy machine), or asleep (disk syncs,
 * locks), from the thread's scheduler statistics, with its voluntary
 * waits. Run it with build-aux/bench-import.
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "client-test-util.h"
#include "enr-dataset-import.h"
#include "enr-enrollment-import.h"
#include "enr-flow-session.h"

#define TARGET_SECONDS 5.0

static int n_rows = 10000;
static int n_single = 1000;

static const GOptionEntry entries[] = {
  { "rows", 0, 0, G_OPTION_ARG_INT, &n_rows, "Rows in the file (default 10000)", "N" },
  { "single", 0, 0, G_OPTION_ARG_INT, &n_single, "Flows saved one by one for the baseline (default 1000)", "N" },
  { NULL }
};

/* The process's CPU time (user + system), in seconds. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Where one step's time went. */
typedef struct
{
  gint64 start;           /* monotonic, µs */
  double cpu;             /* user + system, s */
  double run_ns;          /* on a CPU (/proc/thread-self/schedstat) */
  double wait_ns;         /* runnable, waiting for a CPU */
  long   waits;           /* voluntary context switches: went to sleep */
  double wall;
} Step;

static gboolean
read_schedstat (double *run_ns,
                double *wait_ns)
{
  g_autofree char *text = NULL;
  unsigned long long run, wait;

  if (!g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL) ||
      sscanf (text, "%llu %llu", &run, &wait) != 2)
    {
      *run_ns = *wait_ns = -1;
      return FALSE;
    }

  *run_ns = run;
  *wait_ns = wait;
  return TRUE;
}

/* The thread's voluntary context switches (/proc/thread-self/status). */
static long
voluntary_waits (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/thread-self/status", &text, NULL, NULL) ||
      (line = strstr (text, "\nvoluntary_ctxt_switches:")) == NULL)
    return 0;

  return strtol (line + strlen ("\nvoluntary_ctxt_switches:"), NULL, 10);
}

static void
step_start (Step *step)
{
  read_schedstat (&step->run_ns, &step->wait_ns);
  step->waits = voluntary_waits ();
  step->cpu = cpu_seconds ();
  step->start = g_get_monotonic_time ();
}

static void
step_end (Step *step)
{
  double run_ns, wait_ns;

  step->wall = seconds_since (step->start);
  step->cpu = cpu_seconds () - step->cpu;
  step->waits = voluntary_waits () - step->waits;
  if (step->run_ns >= 0 && read_schedstat (&run_ns, &wait_ns))
    {
      step->run_ns = run_ns - step->run_ns;
      step->wait_ns = wait_ns - step->wait_ns;
    }
  else
    step->run_ns = step->wait_ns = -1;
}

static void
print_step (const char *name,
            const Step *step)
{
  if (step->run_ns < 0)
    {
      g_print ("            %s: %.3f s, %.3f s of CPU, %ld voluntary waits\n",
               name, step->wall, step->cpu, step->waits);
      return;
    }

  g_print ("            %s: %.3f s = %.3f s on a CPU + %.3f s waiting for a CPU (other processes) "
           "+ %.3f s asleep (%ld voluntary waits: disk syncs, locks)\n",
           name, step->wall, step->run_ns / 1e9, step->wait_ns / 1e9,
           MAX (0.0, step->wall - (step->run_ns + step->wait_ns) / 1e9), step->waits);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) options = g_option_context_new ("— Import Enrollments… benchmark");
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *dataset = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *customers_arg = NULL;
  g_autoptr(GFile) dataset_file = NULL;
  g_autoptr(EnrStore) store = NULL;
  g_autoptr(EnrContext) context = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(EnrEnrollmentImport) import = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autofree char *start_date = NULL;
  g_autofree char *consent_date = NULL;
  g_autofree char *terms = NULL;
  const char *generate[] = { ENROLLMENT_SAMPLE_DATA_PATH, "--customers", NULL, "--output", NULL,
                             "--seed", "16", NULL };
  int status = 0;
  double baseline, preview_scaled, preview_rate, queue_rate, single_rate;
  Step preview, queue, single;
  guint ready, queued;
  gint64 start;
  GDate today;

  setlocale (LC_ALL, "C.UTF-8");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || n_rows < 1 || n_single < 1)
    {
      g_printerr ("bench-import: %s\n", error != NULL ? error->message : "--rows and --single must be positive");
      return 2;
    }

  directory = g_dir_make_tmp ("enr-bench-import-XXXXXX", &error);
  g_assert_no_error (error);
  dataset = g_build_filename (directory, "dataset", NULL);
  store_path = g_build_filename (directory, "store.db", NULL);

  /* The data set and the store. */
  customers_arg = g_strdup_printf ("%d", n_rows + n_single);
  generate[2] = customers_arg;
  generate[4] = dataset;
  if (!g_spawn_sync (NULL, (char **) generate, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("bench-import: enrollment-sample-data: %s\n", error->message);
      return 1;
    }

  store = enr_store_new (store_path, NULL, &error);
  g_assert_no_error (error);
  dataset_file = g_file_new_for_path (dataset);
  g_date_clear (&today, 1);
  now = g_date_time_new_now_local ();
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  if (!enr_dataset_import (store, dataset_file, &today, NULL, &error))
    {
      g_printerr ("bench-import: importing the data set: %s\n", error->message);
      return 1;
    }
  context = enr_context_new (store, NULL);
  enr_context_set_username (context, "clerk");

  /* Baseline: the store's bulk read of the customers. */
  start = g_get_monotonic_time ();
  customers = enr_store_list (store, ENR_TYPE_CUSTOMER, NULL, NULL, &error);
  baseline = seconds_since (start);
  g_assert_no_error (error);
  g_assert_cmpuint (customers->len, ==, (guint) (n_rows + n_single));

  /* The file. */
  {
    g_autoptr(EnrProgram) program = enr_store_get (store, ENR_TYPE_PROGRAM, "prog-cg", &error);

    g_assert_no_error (error);
    terms = g_strdup (enr_program_get_terms_version (program));
  }
  later = g_date_time_add_days (now, 10);
  before = g_date_time_add_days (now, -1);
  start_date = g_date_time_format (later, "%Y-%m-%d");
  consent_date = g_date_time_format (before, "%Y-%m-%d %H:%M");
  text = g_string_new ("account,program code,start date,installation method,consent method,consent date,"
                       "terms version,appointment preference,notes\r\n");
  for (int i = 0; i < n_rows; i++)
    {
      EnrCustomer *customer = g_ptr_array_index (customers, i);

      g_string_append_printf (text, "%s,PEAK-CG-2026,%s,,phone,%s,%s,,\"Campaign row %d, spring\"\r\n",
                              i % 50 == 49 ? "RPL-NOBODY" : enr_customer_get_account_id (customer),
                              i % 20 == 19 ? "2026-02-30" : start_date,
                              consent_date, terms, i);
    }

  /* Preview. */
  import = enr_enrollment_import_new (context);
  step_start (&preview);
  if (!enr_enrollment_import_load_data (import, text->str, text->len, &error))
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 1;
    }
  while (!enr_enrollment_import_is_judged (import))
    enr_enrollment_import_judge (import, 100);
  step_end (&preview);
  ready = enr_enrollment_import_count (import, ENR_IMPORT_OUTCOME_READY);

  /* Queue, as the dialog does: 25 rows a call. */
  step_start (&queue);
  while (!enr_enrollment_import_is_queued (import))
    {
      enr_enrollment_import_queue (import, 25, &error);
      g_assert_no_error (error);
    }
  step_end (&queue);
  queued = enr_enrollment_import_count (import, ENR_IMPORT_OUTCOME_QUEUED);

  /* The client's own single-flow save, for customers not in the file. */
  step_start (&single);
  for (int i = 0; i < n_single; i++)
    {
      EnrCustomer *customer = g_ptr_array_index (customers, n_rows + i);
      g_autoptr(EnrProcessFlow) flow = NULL;

      flow = enr_flow_session_create_enrollment (context, enr_entity_get_id (ENR_ENTITY (customer)),
                                                 "prog-cg", NULL);
      if (!enr_context_create_flow (context, flow, &error))
        g_error ("single-flow save: %s", error->message);
    }
  step_end (&single);

  preview_scaled = preview.wall * 10000.0 / n_rows;
  preview_rate = n_rows / preview.wall;
  queue_rate = queued / queue.wall;
  single_rate = n_single / single.wall;
  g_print ("bench-import: %d rows (%u ready, %u refused), %d cores; the machine may be shared: "
           "read the ratios and where the time went\n", n_rows, ready, n_rows - ready,
           (int) g_get_num_processors ());
  g_print ("  baseline  the store's bulk read of the same %u customers: %.3f s\n", customers->len, baseline);
  g_print ("  single    the client's single-flow save: %d flows in %.3f s, %.0f flows/s\n",
           n_single, single.wall, single_rate);
  g_print ("  preview   %d rows in %.3f s (%.3f s of CPU), %.0f rows/s; preview/single = %.1f, "
           "preview/baseline = %.1f\n", n_rows, preview.wall, preview.cpu, preview_rate,
           preview_rate / single_rate, preview.wall / baseline);
  g_print ("  queue     %u rows in %.3f s (%.3f s of CPU), %.0f rows/s; queue/single = %.2f\n",
           queued, queue.wall, queue.cpu, queue_rate, queue_rate / single_rate);
  g_print ("  where the time went\n");
  print_step ("preview", &preview);
  print_step ("queue  ", &queue);
  print_step ("single ", &single);
  g_print ("  target    10000 rows previewed in under %.0f s (%d rows scaled to 10000: %.3f s): %s\n",
           TARGET_SECONDS, n_rows, preview_scaled, preview_scaled < TARGET_SECONDS ? "met" : "NOT met");
  g_print ("  target    the queue at least the single-flow save rate (queue/single = %.2f >= 1): %s\n",
           queue_rate / single_rate, queue_rate >= single_rate ? "met" : "NOT met");

  g_clear_object (&import);
  g_clear_object (&context);
  g_clear_object (&store);
  client_remove_directory (dataset);
  client_remove_directory (directory);

  return queued == ready ? 0 : 1;
}

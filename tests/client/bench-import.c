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
 * and prints the preview against the baseline (a ratio), the preview
 * against the target (10,000 rows in under 5 s: "met" or "NOT
 * met"), and the queue's rows/s against the single-flow save rate.
 * Run it with build-aux/bench-import.
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
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
  double baseline, preview, queue, single, preview_cpu;
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
  preview_cpu = cpu_seconds ();
  start = g_get_monotonic_time ();
  if (!enr_enrollment_import_load_data (import, text->str, text->len, &error))
    {
      g_printerr ("bench-import: %s\n", error->message);
      return 1;
    }
  while (!enr_enrollment_import_is_judged (import))
    enr_enrollment_import_judge (import, 100);
  preview = seconds_since (start);
  preview_cpu = cpu_seconds () - preview_cpu;
  ready = enr_enrollment_import_count (import, ENR_IMPORT_OUTCOME_READY);

  /* Queue. */
  start = g_get_monotonic_time ();
  while (!enr_enrollment_import_is_queued (import))
    {
      enr_enrollment_import_queue (import, 25, &error);
      g_assert_no_error (error);
    }
  queue = seconds_since (start);
  queued = enr_enrollment_import_count (import, ENR_IMPORT_OUTCOME_QUEUED);

  /* The client's own single-flow save, for customers not in the file. */
  start = g_get_monotonic_time ();
  for (int i = 0; i < n_single; i++)
    {
      EnrCustomer *customer = g_ptr_array_index (customers, n_rows + i);
      g_autoptr(EnrProcessFlow) flow = NULL;

      flow = enr_flow_session_create_enrollment (context, enr_entity_get_id (ENR_ENTITY (customer)),
                                                 "prog-cg", NULL);
      if (!enr_context_create_flow (context, flow, &error))
        g_error ("single-flow save: %s", error->message);
    }
  single = seconds_since (start);

  g_print ("bench-import: %d rows (%u ready, %u refused), %d cores; the machine may be shared: "
           "read the ratios\n", n_rows, ready, n_rows - ready, (int) g_get_num_processors ());
  g_print ("  baseline  the store's bulk read of the same %u customers: %.3f s\n", customers->len, baseline);
  g_print ("  preview   %.3f s (%.3f s of CPU), %.0f rows/s; preview/baseline = %.1f\n",
           preview, preview_cpu, n_rows / preview, preview / baseline);
  g_print ("  target    %d rows previewed in under %.0f s (scaled to %d rows: %.3f s): %s\n",
           10000, TARGET_SECONDS, n_rows, preview * 10000.0 / n_rows,
           preview * 10000.0 / n_rows < TARGET_SECONDS ? "met" : "NOT met");
  g_print ("  queue     %u rows in %.3f s, %.0f rows/s\n", queued, queue, queued / queue);
  g_print ("  single    the client's single-flow save, %d flows in %.3f s, %.0f flows/s; "
           "queue/single = %.2f\n", n_single, single, n_single / single, (queued / queue) / (n_single / single));

  g_clear_object (&import);
  g_clear_object (&context);
  g_clear_object (&store);
  client_remove_directory (dataset);
  client_remove_directory (directory);

  return queued == ready ? 0 : 1;
}

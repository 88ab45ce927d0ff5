/* bench-sync.c — the sync engine's throughput against the local service
 *
 * 1. The first full download of a generated data set (100,000 customers
 *    by default): seconds, the client's CPU time and its peak memory.
 * 2. Draining queued operations (10,000 by default: tasks created, saved
 *    three times and canceled): operations per second, next to the
 *    service's own durable write rate for the same writes posted by a
 *    minimal libsoup client with as many requests in flight.
 * 3. The client's own importer (enrollment-desk --import) of the same
 *    data set into a new store.
 *
 * The baseline of 1 and 3 is the service's start with --load of the data
 * set, in the same run.
 *
 * A sampling thread traces 1 and 3: after each tenth of the customers is
 * in the store (its own read-only connection reads the highest row
 * number), the time, the memory (RSS) and the CPU time of the tenth, the
 * main thread's shown apart, and what the process wrote in the tenth
 * (write and pwrite: the store's WAL, and the database at checkpoints).
 * Each has its own peak RSS (the kernel's high-water mark is reset
 * before each).
 *
 * Run it through build-aux/bench-sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <libsoup/soup.h>
#include <sqlite3.h>

#include "enr-dataset.h"
#include "enr-dataset-import.h"
#include "sync-test-util.h"

#define OPS_PER_TASK 5   /* create, save, save, save, cancel */

static guint customers_wanted = 100000;
static guint operations_wanted = 10000;
static guint in_flight = ENR_SYNC_DEFAULT_MAX_IN_FLIGHT;
static char *dataset_option = NULL;
static gboolean keep_dataset = FALSE;
static gboolean skip_download = FALSE;
static gboolean skip_drain = FALSE;
static gboolean skip_import = FALSE;
static pthread_t main_thread;

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* The trace: memory and CPU after each tenth of the customers. */

#define TRACE_INTERVAL_US (50 * 1000)

typedef struct
{
  const char *what;
  char       *store_path;
  guint64     customers;       /* expected */
  GThread    *thread;
  gint        stop;            /* atomic */
  GString    *lines;
  guint       tenth;           /* the next one to report, 1 to 10 */
  gint64      start;
  double      cpu_start, main_start;
  double      cpu_last, main_last, wall_last;
  gint64      written_last;    /* bytes, /proc/self/io wchar */
  long        rss_max_kib;     /* the highest RSS sampled */
  long        rss_start_kib;   /* the RSS when it started */
  gboolean    hwm_reset;       /* VmHWM counts from this trace's start */
} Trace;

static double
main_thread_cpu_seconds (void)
{
  clockid_t clock;
  struct timespec ts;

  if (pthread_getcpuclockid (main_thread, &clock) != 0 || clock_gettime (clock, &ts) != 0)
    return -1;

  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A field of /proc/self/status in KiB (VmRSS, VmHWM), or -1. */
static long
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *found;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (found = strstr (status, key)) == NULL)
    return -1;

  return strtol (found + strlen (key), NULL, 10);
}

/* The bytes this process passed to write(2) and its kind so far
 * (/proc/self/io wchar), or -1. */
static gint64
written_bytes (void)
{
  g_autofree char *io = NULL;
  const char *found;

  if (!g_file_get_contents ("/proc/self/io", &io, NULL, NULL) ||
      (found = strstr (io, "wchar:")) == NULL)
    return -1;

  return g_ascii_strtoll (found + strlen ("wchar:"), NULL, 10);
}

/* Resets the kernel's peak RSS of this process (VmHWM), so that a peak
 * read later is that of the work after this call. */
static gboolean
reset_peak_rss (void)
{
  return g_file_set_contents_full ("/proc/self/clear_refs", "5", 1, G_FILE_SET_CONTENTS_NONE, 0600, NULL);
}

static guint64
trace_count (sqlite3 **db,
             Trace    *trace)
{
  sqlite3_stmt *stmt = NULL;
  guint64 n = 0;

  if (*db == NULL &&
      sqlite3_open_v2 (trace->store_path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sqlite3_close (*db);
      *db = NULL;
      return 0;
    }

  if (sqlite3_prepare_v2 (*db, "SELECT coalesce(max(seq), 0) FROM customers", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static void
trace_sample (Trace   *trace,
              guint64  count)
{
  long rss = status_kib ("VmRSS");

  trace->rss_max_kib = MAX (trace->rss_max_kib, rss);

  while (trace->tenth <= 10 && count * 10 >= trace->customers * trace->tenth && trace->customers > 0)
    {
      double wall = seconds_since (trace->start);
      double cpu = cpu_seconds () - trace->cpu_start;
      double main_cpu = main_thread_cpu_seconds () - trace->main_start;
      gint64 written = written_bytes ();

      g_string_append_printf (trace->lines,
                              "  %-10s %3u%% %9" G_GUINT64_FORMAT " customers %7.1f s  RSS %6.1f MiB  "
                              "CPU %6.1f s (main thread %6.1f s); this tenth: %5.1f s, CPU %5.1f s (main thread %5.1f s), "
                              "written %6.1f MiB\n",
                              trace->what, trace->tenth * 10, count, wall, rss / 1024.0, cpu, main_cpu,
                              wall - trace->wall_last, cpu - trace->cpu_last, main_cpu - trace->main_last,
                              (written - trace->written_last) / 1048576.0);
      trace->written_last = written;
      trace->wall_last = wall;
      trace->cpu_last = cpu;
      trace->main_last = main_cpu;
      trace->tenth++;
    }
}

static gpointer
trace_thread (gpointer data)
{
  Trace *trace = data;
  sqlite3 *db = NULL;

  while (!g_atomic_int_get (&trace->stop))
    {
      trace_sample (trace, trace_count (&db, trace));
      g_usleep (TRACE_INTERVAL_US);
    }
  trace_sample (trace, trace_count (&db, trace));
  sqlite3_close (db);

  return NULL;
}

static Trace *
trace_start (const char *what,
             const char *store_path,
             guint64     customers)
{
  Trace *trace = g_new0 (Trace, 1);

  trace->what = what;
  trace->store_path = g_strdup (store_path);
  trace->customers = customers;
  trace->lines = g_string_new (NULL);
  trace->tenth = 1;
  trace->hwm_reset = reset_peak_rss ();
  trace->rss_start_kib = status_kib ("VmRSS");
  trace->start = g_get_monotonic_time ();
  trace->cpu_start = cpu_seconds ();
  trace->main_start = main_thread_cpu_seconds ();
  trace->written_last = written_bytes ();
  trace->thread = g_thread_new ("trace", trace_thread, trace);

  return trace;
}

/* Stops the trace, prints it and returns its peak RSS in KiB. */
static long
trace_finish (Trace *trace)
{
  long peak;

  g_atomic_int_set (&trace->stop, TRUE);
  g_thread_join (trace->thread);

  /* The kernel's high-water mark misses nothing between two samples. */
  peak = trace->hwm_reset ? MAX (status_kib ("VmHWM"), trace->rss_max_kib) : trace->rss_max_kib;
  printf ("%s", trace->lines->str);
  printf ("  %-10s peak RSS %.1f MiB (%s); RSS at its start %.1f MiB, so %.1f MiB more\n",
          trace->what, peak / 1024.0,
          trace->hwm_reset ? "the kernel's high-water mark since its start" : "the highest sample, every 50 ms",
          trace->rss_start_kib / 1024.0, (peak - trace->rss_start_kib) / 1024.0);
  fflush (stdout);

  g_string_free (trace->lines, TRUE);
  g_free (trace->store_path);
  g_free (trace);

  return peak;
}

/* The CPU time of another process so far (user + system), or -1. */
static double
process_cpu_seconds (GSubprocess *process)
{
  const char *pid = g_subprocess_get_identifier (process);
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (pid == NULL)
    return -1;

  path = g_strdup_printf ("/proc/%s/stat", pid);
  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL)
    return -1;

  /* After "pid (comm)": state is field 3, utime 14 and stime 15. */
  fields = g_strsplit (end + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;

  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* The minimal client: each lane runs one task's writes in order. */

typedef struct _Direct Direct;

typedef struct
{
  Direct         *direct;
  EnrServiceTask *task;
  guint           step;
} Lane;

struct _Direct
{
  SoupSession *session;
  const char  *url;
  const char  *token;
  GPtrArray   *customers;
  guint        next_customer;
  guint        tasks_left;
  guint        lanes_running;
  guint        writes;
  guint        failures;
};

static void lane_next (Lane *lane);

static void
on_direct_sent_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Lane *lane = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source_object), result);

  body = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result, &error);
  if (body == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    lane->direct->failures++;
  else
    lane->direct->writes++;

  enr_service_task_set_version (lane->task, lane->step);
  lane->step++;
  lane_next (lane);
}

static void
lane_next (Lane *lane)
{
  Direct *direct = lane->direct;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *url = NULL;
  g_autofree char *authorization = g_strconcat ("Bearer ", direct->token, NULL);
  g_autofree char *body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *id;
  SoupMessageHeaders *headers;

  if (lane->task == NULL || lane->step == OPS_PER_TASK)
    {
      g_autofree char *task_id = NULL;
      g_autofree char *uuid = g_uuid_string_random ();

      g_clear_object (&lane->task);
      if (direct->tasks_left == 0)
        {
          direct->lanes_running--;
          g_free (lane);
          return;
        }
      direct->tasks_left--;

      task_id = g_strconcat ("task-", uuid, NULL);
      lane->task = enr_service_task_new ();
      enr_entity_set_id (ENR_ENTITY (lane->task), task_id);
      enr_service_task_set_kind (lane->task, ENR_TASK_KIND_ENROLLMENT);
      enr_service_task_set_status (lane->task, ENR_TASK_STATUS_PENDING);
      enr_service_task_set_program_id (lane->task, "prog-cg");
      enr_service_task_set_customer_id (lane->task, g_ptr_array_index (direct->customers, direct->next_customer++));
      lane->step = 0;
    }

  id = enr_entity_get_id (ENR_ENTITY (lane->task));
  if (lane->step == 0)
    {
      url = g_strconcat (direct->url, "/v1/service-tasks", NULL);
      msg = soup_message_new ("POST", url);
      body = enr_codec_encode_string (lane->task);
    }
  else if (lane->step < OPS_PER_TASK - 1)
    {
      g_autofree char *notes = g_strdup_printf ("save %u", lane->step);
      g_autoptr(EnrInteraction) interaction = enr_interaction_new ();
      g_autoptr(GPtrArray) interactions = g_ptr_array_new_with_free_func (g_object_unref);

      enr_interaction_set_panel (interaction, ENR_PANEL_CUSTOMER);
      enr_interaction_set_notes (interaction, notes);
      g_ptr_array_add (interactions, g_steal_pointer (&interaction));
      enr_service_task_set_interactions (lane->task, interactions);

      url = g_strconcat (direct->url, "/v1/service-tasks/", id, NULL);
      msg = soup_message_new ("PUT", url);
      body = enr_codec_encode_string (lane->task);
    }
  else
    {
      url = g_strconcat (direct->url, "/v1/service-tasks/", id, "/cancel", NULL);
      msg = soup_message_new ("POST", url);
      body = g_strdup ("{\"reason\":\"Benchmark\"}");
    }

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Idempotency-Key", key);
  if (lane->step > 0)
    {
      g_autofree char *etag = g_strdup_printf ("\"%u\"", lane->step);

      soup_message_headers_replace (headers, "If-Match", etag);
    }
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  bytes = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (direct->session, msg, G_PRIORITY_DEFAULT, NULL, on_direct_sent_cb, lane);
}

static double
direct_rate (const char *url,
             const char *token,
             GPtrArray  *customers,
             guint       tasks,
             guint       lanes,
             guint      *failures)
{
  Direct direct = { 0, };
  gint64 start;

  direct.session = soup_session_new_with_options ("max-conns-per-host", lanes, "timeout", 60, NULL);
  direct.url = url;
  direct.token = token;
  direct.customers = customers;
  direct.tasks_left = tasks;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < lanes; i++)
    {
      Lane *lane = g_new0 (Lane, 1);

      lane->direct = &direct;
      direct.lanes_running++;
      lane_next (lane);
    }
  while (direct.lanes_running > 0)
    g_main_context_iteration (NULL, TRUE);

  *failures = direct.failures;
  g_object_unref (direct.session);

  return direct.writes / seconds_since (start);
}

/* The engine */

static void
on_pending_cb (EnrSyncEngine *engine,
               GParamSpec    *pspec,
               gint64        *drained_at)
{
  if (enr_sync_engine_get_pending_count (engine) == 0 && *drained_at == 0)
    *drained_at = g_get_monotonic_time ();
}

/* 1. The first full download into a new store. */
static gboolean
run_download (TestService *service,
              const char  *token,
              EnrStore    *store,
              double       load_s,
              double       load_cpu)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrApiClient) client = NULL;
  g_autoptr(EnrSyncEngine) engine = NULL;
  g_autoptr(EnrUser) clerk = test_user_new ("clerk", ENR_ROLE_CLERK);
  Trace *trace;
  double download_s, download_cpu, main_before, main_cpu, service_cpu_before;
  double cpu_before;
  gint64 start;
  long peak;

  client = enr_api_client_new (service->url, &error);
  g_assert_no_error (error);
  engine = enr_sync_engine_new (store, client);
  enr_sync_engine_set_max_in_flight (engine, in_flight);
  enr_sync_engine_set_session (engine, token, clerk);

  trace = trace_start ("download", enr_store_get_path (store), customers_wanted);
  cpu_before = cpu_seconds ();
  main_before = main_thread_cpu_seconds ();
  service_cpu_before = process_cpu_seconds (service->process);
  start = g_get_monotonic_time ();
  if (!test_sync (engine, 60 * 60 * 1000, &error))
    {
      g_printerr ("bench-sync: the download failed: %s\n", error->message);
      return FALSE;
    }
  download_s = seconds_since (start);
  download_cpu = cpu_seconds () - cpu_before;
  main_cpu = main_thread_cpu_seconds () - main_before;
  peak = trace_finish (trace);

  printf ("first full download: %" G_GINT64_FORMAT " customers in %.1f s (client CPU %.1f s, "
          "main thread %.1f s)\n",
          enr_store_count (store, ENR_TYPE_CUSTOMER, NULL), download_s, download_cpu, main_cpu);
  /* The baseline: the service's start with --load of the same data set
   * (one transaction, its search built after the bulk), in this run. */
  printf ("first full download / service load: %.1f s / %.1f s = %.2f (target: at most 1.0): %s\n",
          download_s, load_s, download_s / load_s, download_s <= load_s ? "met" : "NOT met");
  /* CPU times are less sensitive to other work on the machine. */
  printf ("CPU: the download %.1f s in the client + %.1f s in the service; the service's load %.1f s; "
          "client / load: %.2f\n",
          download_cpu, process_cpu_seconds (service->process) - service_cpu_before, load_cpu,
          download_cpu / load_cpu);
  printf ("peak RSS of the download: %.1f MiB (target at 1,000,000 customers: at most 100 MB): %s\n",
          peak / 1024.0, peak * 1024.0 <= 100e6 ? "met" : "NOT met");
  fflush (stdout);

  return TRUE;
}

/* 2. Queued operations drained by the engine, against the service's own
 * rate for the same writes. */
static gboolean
run_drain (TestService *service,
           const char  *token,
           EnrStore    *store,
           const char  *dataset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(EnrApiClient) client = NULL;
  g_autoptr(EnrSyncEngine) engine = NULL;
  g_autoptr(EnrUser) clerk = test_user_new ("clerk", ENR_ROLE_CLERK);
  guint tasks = operations_wanted / OPS_PER_TASK;
  EnrOutbox *outbox;
  gint64 start, drained_at = 0;
  double queue_s, push_s, cycle_s, engine_rate, service_rate, cpu_before, drain_cpu;
  guint failures = 0;

  customers = test_free_customers (dataset, "prog-cg");
  if (customers->len < 2 * tasks)
    {
      g_printerr ("bench-sync: %u customers free for new tasks; %u needed\n", customers->len, 2 * tasks);
      return FALSE;
    }

  client = enr_api_client_new (service->url, &error);
  g_assert_no_error (error);
  engine = enr_sync_engine_new (store, client);
  enr_sync_engine_set_max_in_flight (engine, in_flight);
  enr_sync_engine_set_session (engine, token, clerk);

  outbox = enr_store_get_outbox (store);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < tasks; i++)
    {
      g_autoptr(EnrProcessFlow) flow = test_new_flow (g_ptr_array_index (customers, i), "prog-cg");
      g_autoptr(EnrOperation) created = NULL;
      g_autoptr(EnrOperation) canceled = NULL;

      created = enr_store_save_flow_with_operation (store, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL, &error);
      g_assert_no_error (error);
      for (guint j = 1; j < OPS_PER_TASK - 1; j++)
        {
          g_autofree char *notes = g_strdup_printf ("save %u", j);
          g_autoptr(EnrOperation) saved = NULL;

          test_flow_set_notes (flow, notes);
          saved = enr_store_save_flow_with_operation (store, flow, ENR_OPERATION_KIND_SAVE_TASK, NULL, &error);
          g_assert_no_error (error);
        }
      canceled = enr_store_save_flow_with_operation (store, flow, ENR_OPERATION_KIND_CANCEL_TASK,
                                                     "{\"reason\":\"Benchmark\"}", &error);
      g_assert_no_error (error);
    }
  queue_s = seconds_since (start);
  printf ("queued %u operations locally in %.1f s (%.0f saves/s, each its own transaction)\n",
          tasks * OPS_PER_TASK, queue_s, tasks * OPS_PER_TASK / queue_s);
  fflush (stdout);

  g_signal_connect (engine, "notify::pending-count", G_CALLBACK (on_pending_cb), &drained_at);
  cpu_before = cpu_seconds ();
  start = g_get_monotonic_time ();
  if (!test_sync (engine, 60 * 60 * 1000, &error))
    {
      g_printerr ("bench-sync: the drain failed: %s\n", error->message);
      return FALSE;
    }
  cycle_s = seconds_since (start);
  drain_cpu = cpu_seconds () - cpu_before;
  push_s = drained_at > 0 ? (double) (drained_at - start) / G_USEC_PER_SEC : cycle_s;
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_DONE, NULL), ==, tasks * OPS_PER_TASK);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, NULL), ==, 0);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_REJECTED, NULL), ==, 0);
  engine_rate = tasks * OPS_PER_TASK / push_s;

  /* The service's rate for the same writes, in the same run. */
  {
    g_autoptr(GPtrArray) rest = g_ptr_array_new ();

    for (guint i = tasks; i < customers->len; i++)
      g_ptr_array_add (rest, g_ptr_array_index (customers, i));
    service_rate = direct_rate (service->url, token, rest, tasks, in_flight, &failures);
  }

  printf ("drain: %u operations pushed in %.1f s = %.0f operations/s (the whole cycle with the pull: %.1f s, "
          "client CPU %.1f s)\n",
          tasks * OPS_PER_TASK, push_s, engine_rate, cycle_s, drain_cpu);
  printf ("service durable write rate, same writes by a minimal client with %u in flight: %.0f writes/s (%u failed)\n",
          in_flight, service_rate, failures);
  printf ("drain / service: %.2f (target: at least 0.5): %s\n", engine_rate / service_rate,
          engine_rate / service_rate >= 0.5 ? "met" : "NOT met");
  fflush (stdout);

  return TRUE;
}

/* 3. The client's importer, into a store of its own. */
static gboolean
run_import (const char *directory,
            const char *dataset,
            double      load_s,
            double      load_cpu)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *import_path = g_build_filename (directory, "import.db", NULL);
  g_autoptr(EnrStore) import_store = enr_store_new (import_path, NULL, &error);
  g_autoptr(GFile) dataset_dir = g_file_new_for_path (dataset);
  double import_s, import_cpu, main_before, main_cpu, cpu_before;
  gint64 start;
  Trace *trace;
  long peak;

  g_assert_no_error (error);
  trace = trace_start ("importer", import_path, customers_wanted);
  cpu_before = cpu_seconds ();
  main_before = main_thread_cpu_seconds ();
  start = g_get_monotonic_time ();
  if (!enr_dataset_import (import_store, dataset_dir, NULL, NULL, &error))
    {
      g_printerr ("bench-sync: the import failed: %s\n", error->message);
      trace_finish (trace);
      return FALSE;
    }
  import_s = seconds_since (start);
  import_cpu = cpu_seconds () - cpu_before;
  main_cpu = main_thread_cpu_seconds () - main_before;
  peak = trace_finish (trace);

  printf ("client importer: %" G_GINT64_FORMAT " customers in %.1f s (CPU %.1f s, main thread %.1f s); "
          "peak RSS %.1f MiB\n",
          enr_store_count (import_store, ENR_TYPE_CUSTOMER, NULL), import_s, import_cpu, main_cpu,
          peak / 1024.0);
  printf ("client importer / service load: %.1f s / %.1f s = %.2f (target: at most 1.0): %s\n",
          import_s, load_s, import_s / load_s, import_s <= load_s ? "met" : "NOT met");
  printf ("client importer CPU / service load CPU: %.1f s / %.1f s = %.2f (at most 1.0): %s\n",
          import_cpu, load_cpu, import_cpu / load_cpu, import_cpu <= load_cpu ? "met" : "NOT met");
  fflush (stdout);

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "customers", 0, 0, G_OPTION_ARG_INT, &customers_wanted, "Customers to generate", "N" },
    { "operations", 0, 0, G_OPTION_ARG_INT, &operations_wanted, "Operations to drain", "N" },
    { "in-flight", 0, 0, G_OPTION_ARG_INT, &in_flight, "Requests in flight", "N" },
    { "dataset", 0, 0, G_OPTION_ARG_FILENAME, &dataset_option, "Use this data set instead of generating one", "DIR" },
    { "keep-dataset", 0, 0, G_OPTION_ARG_NONE, &keep_dataset, "Keep the generated data set", NULL },
    { "skip-download", 0, 0, G_OPTION_ARG_NONE, &skip_download, "Skip the download (and the drain)", NULL },
    { "skip-drain", 0, 0, G_OPTION_ARG_NONE, &skip_drain, "Skip the drain", NULL },
    { "skip-import", 0, 0, G_OPTION_ARG_NONE, &skip_import, "Skip the client importer", NULL },
    { NULL }
  };
  g_autofree char *dataset = NULL;
  g_autofree char *token = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *directory = NULL;
  g_autoptr(EnrStore) store = NULL;
  TestService *service;
  gint64 start;
  double generate_s = 0, load_s, load_cpu;
  gboolean ok = TRUE;

  main_thread = pthread_self ();
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-sync: %s\n", error->message);
      return 2;
    }

  start = g_get_monotonic_time ();
  if (dataset_option != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (dataset_option);
      g_autoptr(EnrDatasetReader) reader = enr_dataset_reader_new (file, NULL, &error);

      if (reader == NULL)
        {
          g_printerr ("bench-sync: %s: %s\n", dataset_option, error->message);
          return 2;
        }
      dataset = g_file_get_path (file);
      customers_wanted = enr_dataset_reader_get_customers (reader);
    }
  else
    {
      dataset = test_generate_dataset (customers_wanted, 1);
      generate_s = seconds_since (start);
    }
  start = g_get_monotonic_time ();
  service = test_service_start (dataset, NULL);
  load_s = seconds_since (start);
  load_cpu = process_cpu_seconds (service->process);
  token = test_sign_in (service->url, "clerk", TEST_CLERK_PASSWORD);
  if (dataset_option != NULL)
    printf ("data set: %u customers in %s, loaded by the service in %.1f s (CPU %.1f s)\n",
            customers_wanted, dataset, load_s, load_cpu);
  else
    printf ("data set: %u customers generated in %.1f s, loaded by the service in %.1f s (CPU %.1f s)\n",
            customers_wanted, generate_s, load_s, load_cpu);
  fflush (stdout);

  store_path = test_store_path ("bench.db");
  directory = g_path_get_dirname (store_path);

  if (!skip_download)
    {
      store = enr_store_new (store_path, NULL, &error);
      g_assert_no_error (error);
      enr_store_set_user (store, "clerk");

      ok = run_download (service, token, store, load_s, load_cpu);
      /* The customers are read only now, so that the peak memory above
       * is the download's. */
      if (ok && !skip_drain)
        ok = run_drain (service, token, store, dataset);
      g_clear_object (&store);
    }

  if (ok && !skip_import)
    ok = run_import (directory, dataset, load_s, load_cpu);

  test_service_stop (service);
  test_remove_tree (directory);
  if (dataset_option == NULL && keep_dataset)
    printf ("data set kept in %s (--dataset %s reuses it)\n", dataset, dataset);
  else if (dataset_option == NULL)
    test_remove_tree (dataset);

  return ok ? 0 : 1;
}

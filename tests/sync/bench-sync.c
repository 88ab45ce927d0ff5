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
 * Run it through build-aux/bench-sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <libsoup/soup.h>

#include "enr-dataset-import.h"
#include "sync-test-util.h"

#define OPS_PER_TASK 5   /* create, save, save, save, cancel */

static guint customers_wanted = 100000;
static guint operations_wanted = 10000;
static guint in_flight = ENR_SYNC_DEFAULT_MAX_IN_FLIGHT;

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

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
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
    { NULL }
  };
  g_autofree char *dataset = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autofree char *token = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *directory = NULL;
  g_autoptr(EnrStore) store = NULL;
  g_autoptr(EnrApiClient) client = NULL;
  g_autoptr(EnrSyncEngine) engine = NULL;
  TestService *service;
  EnrOutbox *outbox;
  gint64 start, drained_at = 0;
  double generate_s, load_s, download_s, download_cpu, queue_s, push_s, cycle_s, engine_rate, service_rate;
  double cpu_before, drain_cpu, load_cpu, service_cpu_before;
  guint tasks, failures = 0;
  long rss_before;
  g_autoptr(EnrUser) clerk = test_user_new ("clerk", ENR_ROLE_CLERK);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-sync: %s\n", error->message);
      return 2;
    }
  tasks = operations_wanted / OPS_PER_TASK;

  start = g_get_monotonic_time ();
  dataset = test_generate_dataset (customers_wanted, 1);
  generate_s = seconds_since (start);
  start = g_get_monotonic_time ();
  service = test_service_start (dataset, NULL);
  load_s = seconds_since (start);
  load_cpu = process_cpu_seconds (service->process);
  token = test_sign_in (service->url, "clerk", TEST_CLERK_PASSWORD);
  printf ("data set: %u customers generated in %.1f s, loaded by the service in %.1f s\n",
          customers_wanted, generate_s, load_s);
  fflush (stdout);

  /* 1. The first full download. */
  store_path = test_store_path ("bench.db");
  directory = g_path_get_dirname (store_path);
  store = enr_store_new (store_path, NULL, &error);
  g_assert_no_error (error);
  enr_store_set_user (store, "clerk");
  client = enr_api_client_new (service->url, &error);
  g_assert_no_error (error);
  engine = enr_sync_engine_new (store, client);
  enr_sync_engine_set_max_in_flight (engine, in_flight);
  enr_sync_engine_set_session (engine, token, clerk);

  rss_before = peak_rss_kib ();
  cpu_before = cpu_seconds ();
  service_cpu_before = process_cpu_seconds (service->process);
  start = g_get_monotonic_time ();
  if (!test_sync (engine, 60 * 60 * 1000, &error))
    {
      g_printerr ("bench-sync: the download failed: %s\n", error->message);
      return 1;
    }
  download_s = seconds_since (start);
  download_cpu = cpu_seconds () - cpu_before;
  printf ("first full download: %" G_GINT64_FORMAT " customers in %.1f s (client CPU %.1f s); "
          "peak RSS %.1f MiB (%.1f MiB before)\n",
          enr_store_count (store, ENR_TYPE_CUSTOMER, NULL), download_s, download_cpu,
          peak_rss_kib () / 1024.0, rss_before / 1024.0);
  /* The baseline: the service's start with --load of the same data set
   * (one transaction, its search built after the bulk), in this run. */
  printf ("first full download / service load: %.1f s / %.1f s = %.2f (target: at most 1.0): %s\n",
          download_s, load_s, download_s / load_s, download_s <= load_s ? "met" : "NOT met");
  /* CPU times are less sensitive to other work on the machine. */
  printf ("CPU: the download %.1f s in the client + %.1f s in the service; the service's load %.1f s\n",
          download_cpu, process_cpu_seconds (service->process) - service_cpu_before, load_cpu);
  printf ("peak RSS of the download: %.1f MiB (target at 1,000,000 customers: at most 100 MB): %s\n",
          peak_rss_kib () / 1024.0, peak_rss_kib () * 1024.0 <= 100e6 ? "met" : "NOT met");
  fflush (stdout);

  /* 2. Drain queued operations (the customers are read only now, so
   * that the peak memory above is the download's). */
  customers = test_free_customers (dataset, "prog-cg");
  if (customers->len < 2 * tasks)
    {
      g_printerr ("bench-sync: %u customers free for new tasks; %u needed\n", customers->len, 2 * tasks);
      return 1;
    }

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
      return 1;
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

  /* 3. The client's importer, into a store of its own. */
  {
    g_autofree char *import_path = g_build_filename (directory, "import.db", NULL);
    g_autoptr(EnrStore) import_store = enr_store_new (import_path, NULL, &error);
    g_autoptr(GFile) dataset_dir = g_file_new_for_path (dataset);
    double import_s, import_cpu;

    g_assert_no_error (error);
    cpu_before = cpu_seconds ();
    start = g_get_monotonic_time ();
    if (!enr_dataset_import (import_store, dataset_dir, NULL, NULL, &error))
      {
        g_printerr ("bench-sync: the import failed: %s\n", error->message);
        return 1;
      }
    import_s = seconds_since (start);
    import_cpu = cpu_seconds () - cpu_before;
    printf ("client importer: %" G_GINT64_FORMAT " customers in %.1f s (CPU %.1f s)\n",
            enr_store_count (import_store, ENR_TYPE_CUSTOMER, NULL), import_s, import_cpu);
    printf ("client importer / service load: %.1f s / %.1f s = %.2f (target: at most 1.0): %s\n",
            import_s, load_s, import_s / load_s, import_s <= load_s ? "met" : "NOT met");
  }

  g_clear_object (&engine);
  g_clear_object (&client);
  g_clear_object (&store);
  test_service_stop (service);
  test_remove_tree (directory);
  test_remove_tree (dataset);

  return 0;
}

/* test-sync-crash.c — a child saves flows and syncs; the parent kills it
 * with SIGKILL at random moments, again and again; afterwards every
 * acknowledged save is in the store and on the service exactly once.
 * And a child's first full download killed in the middle, again and
 * again: each run goes on where the last one stopped, and in the end
 * every customer is stored once.
 *
 * The child is this program run with --child. It prints "ack TASK N" only
 * after the save of version N of TASK's notes committed (N = 0: created).
 * The downloading child (--download-child) prints "stored N" each time a
 * batch of the download committed, N customers in all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

#include "enr-store-private.h"
#include "sync-test-util.h"

/* 200 kills take about 40 s under AddressSanitizer on two cores, 35 s
 * without; ENR_CRASH_ITERATIONS changes the count. */
#define DEFAULT_ITERATIONS 200

#define ACTION_INTERVAL_MS 8
#define CREATE_CHANCE      0.35
#define MIN_LIFE_MS        5
#define MAX_LIFE_MS        250
/* One kill in this many lands while the child opens its store and starts
 * syncing; the others wait for the child to say it is ready, so that a
 * loaded machine (where starting can take longer than a whole life) still
 * kills children in the middle of their work. */
#define START_KILL_EVERY   10
#define READY_TIMEOUT_MS   120000

static const char *self_exe;

/* The child */

typedef struct
{
  EnrStore      *store;
  EnrSyncEngine *engine;
  GPtrArray     *customers;
  GRand         *rand;
} Child;

static guint
notes_number (EnrServiceTask *task)
{
  const char *notes = test_task_get_notes (task);
  guint64 number = 0;

  if (notes == NULL || !g_str_has_prefix (notes, "save-"))
    return 0;

  g_ascii_string_to_unsigned (notes + 5, 10, 0, G_MAXUINT, &number, NULL);
  return (guint) number;
}

static void
set_notes (EnrServiceTask *task,
           const char     *notes)
{
  g_autoptr(EnrInteraction) interaction = enr_interaction_new ();
  g_autoptr(GPtrArray) interactions = g_ptr_array_new_with_free_func (g_object_unref);

  enr_interaction_set_panel (interaction, ENR_PANEL_CUSTOMER);
  enr_interaction_set_notes (interaction, notes);
  g_ptr_array_add (interactions, g_steal_pointer (&interaction));
  enr_service_task_set_interactions (task, interactions);
}

static void
child_act (Child *child)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = enr_store_list (child->store, ENR_TYPE_SERVICE_TASK, NULL, NULL, &error);
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(EnrOperation) operation = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < tasks->len; i++)
    g_hash_table_add (used, (gpointer) enr_service_task_get_customer_id (g_ptr_array_index (tasks, i)));

  if (tasks->len == 0 || g_rand_double (child->rand) < CREATE_CHANCE)
    {
      for (guint i = 0; i < child->customers->len; i++)
        {
          const char *customer_id = g_ptr_array_index (child->customers, i);
          g_autoptr(EnrProcessFlow) flow = NULL;

          if (g_hash_table_contains (used, customer_id))
            continue;

          flow = test_new_flow (customer_id, "prog-cg");
          operation = enr_store_save_flow_with_operation (child->store, flow, ENR_OPERATION_KIND_CREATE_TASK,
                                                          NULL, &error);
          g_assert_no_error (error);
          printf ("ack %s 0\n", enr_entity_get_id (ENR_ENTITY (enr_process_flow_get_task (flow))));
          fflush (stdout);
          break;
        }
    }
  else
    {
      EnrServiceTask *task = g_ptr_array_index (tasks, g_rand_int_range (child->rand, 0, (gint32) tasks->len));
      guint next = notes_number (task) + 1;
      g_autofree char *notes = g_strdup_printf ("save-%u", next);

      set_notes (task, notes);
      operation = enr_store_save_task_with_operation (child->store, task, ENR_OPERATION_KIND_SAVE_TASK,
                                                      NULL, &error);
      g_assert_no_error (error);
      printf ("ack %s %u\n", enr_entity_get_id (ENR_ENTITY (task)), next);
      fflush (stdout);
    }

  enr_sync_engine_sync_now (child->engine);
}

static gboolean
on_act_cb (gpointer user_data)
{
  child_act (user_data);

  return G_SOURCE_CONTINUE;
}

static int
run_child (const char *store_path,
           const char *url,
           const char *token,
           const char *customers_path,
           const char *seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *customers = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(EnrApiClient) client = NULL;
  g_autoptr(EnrUser) clerk = test_user_new ("clerk", ENR_ROLE_CLERK);
  Child child = { 0, };

  g_assert_true (g_file_get_contents (customers_path, &customers, NULL, NULL));
  lines = g_strsplit (customers, "\n", -1);
  child.customers = g_ptr_array_new ();
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (child.customers, lines[i]);

  child.rand = g_rand_new_with_seed ((guint32) g_ascii_strtoull (seed, NULL, 10));
  child.store = enr_store_new (store_path, NULL, &error);
  g_assert_no_error (error);
  enr_store_set_user (child.store, "clerk");
  client = enr_api_client_new (url, &error);
  g_assert_no_error (error);
  child.engine = enr_sync_engine_new (child.store, client);
  enr_sync_engine_set_backoff (child.engine, 2000, 30000);
  enr_sync_engine_set_watch_seconds (child.engine, 0);
  enr_sync_engine_set_session (child.engine, token, clerk);
  enr_sync_engine_start (child.engine);

  g_timeout_add (ACTION_INTERVAL_MS, on_act_cb, &child);
  printf ("ready\n");
  fflush (stdout);

  /* The parent ends this with SIGKILL. */
  g_main_loop_run (loop);

  return 0;
}

#define DOWNLOAD_CUSTOMERS 1500
#define DOWNLOAD_BATCH     100
#define DOWNLOAD_KILLS     4

static void
on_download_progress_cb (EnrSyncEngine *engine,
                         GParamSpec    *pspec,
                         guint         *last)
{
  guint done;

  if (enr_sync_engine_get_download_count (engine, &done, NULL, NULL) && done != *last)
    {
      *last = done;
      printf ("stored %u\n", done);
      fflush (stdout);
    }
}

static int
run_download_child (const char *store_path,
                    const char *url,
                    const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(EnrStore) store = NULL;
  g_autoptr(EnrApiClient) client = NULL;
  g_autoptr(EnrSyncEngine) engine = NULL;
  g_autoptr(EnrUser) clerk = test_user_new ("clerk", ENR_ROLE_CLERK);
  guint last = 0;

  store = enr_store_new (store_path, NULL, &error);
  g_assert_no_error (error);
  enr_store_set_user (store, "clerk");
  client = enr_api_client_new (url, &error);
  g_assert_no_error (error);
  engine = enr_sync_engine_new (store, client);
  enr_sync_engine_set_download_batch (engine, DOWNLOAD_BATCH);
  enr_sync_engine_set_backoff (engine, 2000, 30000);
  enr_sync_engine_set_watch_seconds (engine, 0);
  enr_sync_engine_set_session (engine, token, clerk);
  g_signal_connect (engine, "notify::progress", G_CALLBACK (on_download_progress_cb), &last);
  printf ("ready\n");
  fflush (stdout);
  enr_sync_engine_start (engine);

  /* The parent ends this with SIGKILL. */
  g_main_loop_run (loop);

  return 0;
}

/* The parent */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Reads a line of the child's, byte by byte so that nothing after it is
 * taken from the pipe that read_acks() reads later. */
static char *
read_line (GSubprocess *process)
{
  GPollableInputStream *stream = G_POLLABLE_INPUT_STREAM (g_subprocess_get_stdout_pipe (process));
  GString *line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + READY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char c;
      gssize n = g_pollable_input_stream_read_nonblocking (stream, &c, 1, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (2 * G_TIME_SPAN_MILLISECOND);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 1);
      if (c == '\n')
        break;
      g_string_append_c (line, c);
    }

  return g_string_free (line, FALSE);
}

static void
wait_ready (GSubprocess *process)
{
  g_autofree char *line = read_line (process);

  g_assert_cmpstr (line, ==, "ready");
}

static void
read_acks (GSubprocess *process,
           GHashTable  *acks)
{
  GInputStream *stream = g_subprocess_get_stdout_pipe (process);
  g_autoptr(GByteArray) output = g_byte_array_new ();
  g_auto(GStrv) lines = NULL;
  guint8 buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_byte_array_append (output, buffer, n);
  g_byte_array_append (output, (const guint8 *) "", 1);

  lines = g_strsplit ((const char *) output->data, "\n", -1);
  /* The last piece has no newline: a line cut by the kill, or nothing. */
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      guint number;

      if (g_str_equal (lines[i], "ready"))
        continue;
      words = g_strsplit (lines[i], " ", -1);

      g_assert_cmpuint (g_strv_length (words), ==, 3);
      g_assert_cmpstr (words[0], ==, "ack");
      number = (guint) g_ascii_strtoull (words[2], NULL, 10);
      if (!g_hash_table_contains (acks, words[1]) ||
          GPOINTER_TO_UINT (g_hash_table_lookup (acks, words[1])) < number)
        g_hash_table_insert (acks, g_strdup (words[1]), GUINT_TO_POINTER (number));
    }
}

static guint
iterations (void)
{
  const char *text = g_getenv ("ENR_CRASH_ITERATIONS");

  if (text != NULL && g_ascii_strtoull (text, NULL, 10) > 0)
    return (guint) g_ascii_strtoull (text, NULL, 10);

  return DEFAULT_ITERATIONS;
}

/* The counts of service tasks the store keeps per program, status and
 * kind (schema 8) are what the tasks are, group by group, in the file a
 * child was killed writing. Returns how many tasks there are. */
static gint64
assert_task_counts (const char *store_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 wrong, tasks;

  g_assert_cmpint (sqlite3_open_v2 (store_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT (SELECT count(*) FROM"
                                       "         (SELECT 1 FROM"
                                       "           (SELECT program_id, status, kind, count(*) AS tasks, 0 AS counted"
                                       "            FROM service_tasks GROUP BY program_id, status, kind"
                                       "            UNION ALL"
                                       "            SELECT program_id, status, kind, 0, n FROM service_task_counts)"
                                       "          GROUP BY program_id, status, kind"
                                       "          HAVING sum (tasks) <> sum (counted))),"
                                       " (SELECT count(*) FROM service_tasks)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  wrong = sqlite3_column_int64 (stmt, 0);
  tasks = sqlite3_column_int64 (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpint (wrong, ==, 0);
  return tasks;
}

static void
test_crash (void)
{
  g_autofree char *dataset = test_generate_dataset (1500, 11);
  g_autoptr(GPtrArray) customers = test_free_customers (dataset, "prog-cg");
  TestService *service = test_service_start (dataset, NULL);
  g_autofree char *token = test_sign_in (service->url, "clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrUser) clerk = test_user_new ("clerk", ENR_ROLE_CLERK);
  g_autofree char *store_path = test_store_path ("crash.db");
  g_autofree char *directory = g_path_get_dirname (store_path);
  g_autofree char *customers_path = g_build_filename (directory, "customers.txt", NULL);
  g_autoptr(GHashTable) acks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) done_ops = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) done = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint n = iterations ();
  guint service_count = 0;
  gint64 most_tasks = 0;

  for (guint i = 0; i < customers->len; i++)
    g_string_append_printf (list, "%s\n", (const char *) g_ptr_array_index (customers, i));
  g_assert_true (g_file_set_contents (customers_path, list->str, -1, NULL));

  /* The first download, before the kills begin. */
  {
    g_autoptr(EnrStore) store = enr_store_new (store_path, NULL, &error);
    g_autoptr(EnrApiClient) client = enr_api_client_new (service->url, &error);
    g_autoptr(EnrSyncEngine) engine = NULL;

    g_assert_no_error (error);
    engine = enr_sync_engine_new (store, client);
    enr_sync_engine_set_session (engine, token, clerk);
    g_assert_true (test_sync (engine, 30000, &error));
    g_assert_no_error (error);
  }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *seed = g_strdup_printf ("%u", g_rand_int (rand));
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) child = NULL;
      guint life = (guint) g_rand_int_range (rand, MIN_LIFE_MS, MAX_LIFE_MS);

      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
      child = g_subprocess_launcher_spawn (launcher, &error,
                                           self_exe, "--child", store_path, service->url, token,
                                           customers_path, seed, NULL);
      g_assert_no_error (error);

      if (i % START_KILL_EVERY != 0)
        wait_ready (child);
      g_usleep (life * 1000);
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

      read_acks (child, acks);
      /* Killed while storing, pulling and pushing tasks: their counts held. */
      most_tasks = MAX (most_tasks, assert_task_counts (store_path));
    }
  g_assert_cmpint (most_tasks, >, 0);

  g_test_message ("%u kills, %u tasks acknowledged", n, g_hash_table_size (acks));
  g_assert_cmpuint (g_hash_table_size (acks), >, 0);

  /* Restart once more and sync everything. */
  {
    g_autoptr(EnrStore) store = enr_store_new (store_path, NULL, &error);
    g_autoptr(EnrApiClient) client = enr_api_client_new (service->url, &error);
    g_autoptr(EnrSyncEngine) engine = NULL;
    EnrOutbox *outbox;

    g_assert_no_error (error);
    g_assert_true (enr_store_check_integrity (store, &error));
    g_assert_no_error (error);

    engine = enr_sync_engine_new (store, client);
    enr_sync_engine_set_backoff (engine, 1000, 20000);
    enr_sync_engine_set_session (engine, token, clerk);
    g_assert_true (test_sync_until_drained (engine, 40000));

    outbox = enr_store_get_outbox (store);
    g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_PENDING, NULL), ==, 0);
    g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_IN_FLIGHT, NULL), ==, 0);
    g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, NULL), ==, 0);
    g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_REJECTED, NULL), ==, 0);

    done = enr_outbox_list (outbox, ENR_OPERATION_STATE_DONE, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < done->len; i++)
      {
        const char *entity = enr_operation_get_entity_id (g_ptr_array_index (done, i));
        guint count = GPOINTER_TO_UINT (g_hash_table_lookup (done_ops, entity));

        g_hash_table_insert (done_ops, g_strdup (entity), GUINT_TO_POINTER (count + 1));
      }

    tasks = enr_store_list (store, ENR_TYPE_SERVICE_TASK, NULL, NULL, &error);
    g_assert_no_error (error);

    /* Every acknowledged save is in the store… */
    g_hash_table_iter_init (&iter, acks);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        g_autoptr(EnrServiceTask) task = enr_store_get (store, ENR_TYPE_SERVICE_TASK, key, &error);

        g_assert_no_error (error);
        g_assert_nonnull (task);
        g_assert_cmpuint (notes_number (task), >=, GPOINTER_TO_UINT (value));
      }

    /* …and each local task on the service, exactly once: its version
     * counts its operations (a repeat would have met 412). */
    for (guint i = 0; i < tasks->len; i++)
      {
        EnrServiceTask *task = g_ptr_array_index (tasks, i);
        const char *id = enr_entity_get_id (ENR_ENTITY (task));
        g_autofree char *path = g_strconcat ("/v1/service-tasks/", id, NULL);
        g_autoptr(JsonNode) remote = NULL;
        g_autofree char *notes = NULL;
        g_autofree char *expected = NULL;
        guint status = 0;

        remote = test_http (service->url, "GET", path, token, NULL, -1, NULL, &status);
        g_assert_cmpuint (status, ==, 200);
        g_assert_cmpint (test_json_int (remote, "$.version"), ==,
                         GPOINTER_TO_UINT (g_hash_table_lookup (done_ops, id)));
        g_assert_cmpint (test_json_int (remote, "$.version"), ==, enr_service_task_get_version (task));
        notes = test_json_string (remote, "$.interactions[0].notes");
        expected = notes_number (task) > 0 ? g_strdup_printf ("save-%u", notes_number (task)) : NULL;
        g_assert_cmpstr (notes, ==, expected);
      }

    g_assert_true (enr_store_check_integrity (store, &error));
    g_assert_no_error (error);
  }

  /* The service holds no task the store does not know. */
  for (guint page = 1;; page++)
    {
      g_autofree char *path = g_strdup_printf ("/v1/service-tasks?page=%u&page_size=100", page);
      g_autoptr(JsonNode) reply = test_http (service->url, "GET", path, token, NULL, -1, NULL, NULL);
      JsonObject *object = json_node_get_object (reply);

      service_count += json_array_get_length (json_object_get_array_member (object, "items"));
      if (!json_object_get_boolean_member (object, "more"))
        break;
    }
  g_assert_cmpuint (service_count, ==, tasks->len);
  g_assert_cmpuint (tasks->len, >=, g_hash_table_size (acks));

  test_service_stop (service);
  test_remove_tree (directory);
  test_remove_tree (dataset);
}

/* Where the interrupted download would go on: its customers stored, or
 * -1 when the download is complete (a cursor is stored). */
static int
stored_so_far (const char *store_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) store = enr_store_new (store_path, NULL, &error);
  g_autofree char *cursor = NULL;
  g_autofree char *resume = NULL;
  g_auto(GStrv) parts = NULL;

  g_assert_no_error (error);
  g_assert_true (enr_store_check_integrity (store, &error));
  g_assert_no_error (error);

  cursor = enr_store_get_cursor (store, &error);
  g_assert_no_error (error);
  if (cursor != NULL)
    return -1;

  resume = enr_store_get_download_resume (store, &error);
  g_assert_no_error (error);
  if (resume == NULL)
    return 0;

  /* The batches are stored with the count of their customers. */
  parts = g_strsplit (resume, " ", 4);
  g_assert_cmpuint (g_strv_length (parts), >=, 3);
  g_assert_cmpint (enr_store_count (store, ENR_TYPE_CUSTOMER, NULL), ==,
                   g_ascii_strtoll (parts[2], NULL, 10));

  /* The search, built after the customers, was built when the store
   * opened for the customers the killed download stored. */
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (_enr_store_get_db (store), "SELECT count(*) FROM customer_fts",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, g_ascii_strtoll (parts[2], NULL, 10));
    sqlite3_finalize (stmt);
  }

  return (int) g_ascii_strtoll (parts[2], NULL, 10);
}

static void
test_first_download (void)
{
  g_autofree char *dataset = test_generate_dataset (DOWNLOAD_CUSTOMERS, 12);
  TestService *service = test_service_start (dataset, NULL);
  g_autofree char *token = test_sign_in (service->url, "clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrUser) clerk = test_user_new ("clerk", ENR_ROLE_CLERK);
  g_autofree char *store_path = test_store_path ("download.db");
  g_autofree char *directory = g_path_get_dirname (store_path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GError) error = NULL;
  int stored = 0;
  guint kills = 0;

  /* A kill after the last batch but before the download ended leaves
   * every customer stored and no cursor: no run after it stores a batch,
   * so only the last run below can go on from there. */
  for (guint i = 0; i < DOWNLOAD_KILLS && stored >= 0 && stored < DOWNLOAD_CUSTOMERS; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) child = NULL;
      g_autofree char *line = NULL;
      guint64 first = 0;
      int now;

      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
      child = g_subprocess_launcher_spawn (launcher, &error, self_exe, "--download-child",
                                           store_path, service->url, token, NULL);
      g_assert_no_error (error);
      wait_ready (child);

      /* Its first batch: after those of the runs before, not from the start. */
      line = read_line (child);
      g_assert_true (g_str_has_prefix (line, "stored "));
      g_assert_true (g_ascii_string_to_unsigned (line + 7, 10, 1, DOWNLOAD_CUSTOMERS, &first, NULL));
      g_assert_cmpuint (first, >, (guint) stored);

      g_usleep (g_rand_int_range (rand, 0, 40) * G_TIME_SPAN_MILLISECOND);
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));

      assert_task_counts (store_path);
      now = stored_so_far (store_path);
      g_test_message ("kill %u: %d customers stored", i + 1, now);
      if (now >= 0)
        {
          g_assert_cmpint (now, >=, (int) first);
          kills++;
        }
      stored = now;
    }

  /* On a fast machine a download may end before the first kill. */
  if (kills == 0)
    g_test_message ("every download ended before its kill");

  /* A last run finishes it: every customer once, and findable. */
  {
    g_autoptr(EnrStore) store = enr_store_new (store_path, NULL, &error);
    g_autoptr(EnrApiClient) client = enr_api_client_new (service->url, &error);
    g_autoptr(EnrSyncEngine) engine = NULL;
    g_autoptr(GPtrArray) customers = NULL;
    g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(JsonNode) page = NULL;
    g_autofree char *resume = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_no_error (error);
    engine = enr_sync_engine_new (store, client);
    enr_sync_engine_set_download_batch (engine, DOWNLOAD_BATCH);
    enr_sync_engine_set_session (engine, token, clerk);
    g_assert_true (test_sync (engine, 60000, &error));
    g_assert_no_error (error);

    customers = enr_store_list (store, ENR_TYPE_CUSTOMER, NULL, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < customers->len; i++)
      g_assert_true (g_hash_table_add (ids, (gpointer) enr_entity_get_id (g_ptr_array_index (customers, i))));
    page = test_http (service->url, "GET", "/v1/export/customers?limit=1", token, NULL, -1, NULL, NULL);
    g_assert_cmpint (test_json_int (page, "$.total"), ==, DOWNLOAD_CUSTOMERS);
    g_assert_cmpuint (customers->len, ==, DOWNLOAD_CUSTOMERS);

    /* One search row per customer. */
    g_assert_cmpint (sqlite3_prepare_v2 (_enr_store_get_db (store), "SELECT count(*) FROM customer_fts",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, DOWNLOAD_CUSTOMERS);
    sqlite3_finalize (stmt);

    resume = enr_store_get_download_resume (store, &error);
    g_assert_no_error (error);
    g_assert_null (resume);
    g_assert_true (enr_store_check_integrity (store, &error));
    g_assert_no_error (error);
  }

  test_service_stop (service);
  test_remove_tree (directory);
  test_remove_tree (dataset);
}

int
main (int   argc,
      char *argv[])
{
  self_exe = argv[0];

  if (argc == 7 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], argv[3], argv[4], argv[5], argv[6]);
  if (argc == 5 && g_str_equal (argv[1], "--download-child"))
    return run_download_child (argv[2], argv[3], argv[4]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/crash/sigkill", test_crash);
  g_test_add_func ("/sync/crash/first-download", test_first_download);

  return g_test_run ();
}

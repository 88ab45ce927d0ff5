/* test-sync-instances.c — a client drains 2,000 operations into two
 * service instances on one PostgreSQL database, through HAProxy or with
 * both on one port (--reuse-port); one instance is killed with SIGKILL in
 * the middle; every operation lands exactly once
 *
 * (PostgreSQL only: one service per SQLite file.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>

#include <glib/gstdio.h>

#include "enr-test-db.h"
#include "sync-test-util.h"

#define TASKS          500
#define SAVES_PER_TASK 3     /* with the creates: 2,000 operations */
#define KILL_AFTER     400   /* operations acknowledged */

typedef struct
{
  EnrOutbox   *outbox;
  TestService *instances[2];
  TestService *survivor;
  gboolean     killed;
  gint64       done_at_kill;
} Killer;

static gboolean
on_check_cb (gpointer user_data)
{
  Killer *killer = user_data;
  gint64 done = enr_outbox_count (killer->outbox, ENR_OPERATION_STATE_DONE, NULL);
  guint in_use[2];
  guint victim;

  if (done < KILL_AFTER)
    return G_SOURCE_CONTINUE;

  /* The instance the drain goes through: the one holding the client's
   * connections, or the proxy's for them (HAProxy forwards a client's
   * connection, in mode tcp, to one instance for as long as it lasts; on
   * one port the kernel gives it to one instance). Killing the other would
   * test nothing. */
  for (guint i = 0; i < 2; i++)
    in_use[i] = test_service_count_connections (killer->instances[i]);
  if (in_use[0] == 0 && in_use[1] == 0)
    return G_SOURCE_CONTINUE;   /* between two connections: look again */
  victim = in_use[0] >= in_use[1] ? 0 : 1;
  g_test_message ("killing instance %u of 2 (connections: %u and %u)", victim + 1, in_use[0], in_use[1]);

  killer->done_at_kill = done;
  test_service_kill (killer->instances[victim]);
  killer->survivor = killer->instances[1 - victim];
  killer->instances[0] = killer->instances[1] = NULL;
  killer->killed = TRUE;

  return G_SOURCE_REMOVE;
}

static void
set_notes (EnrServiceTask *task,
           guint           number)
{
  g_autoptr(EnrInteraction) interaction = enr_interaction_new ();
  g_autoptr(GPtrArray) interactions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *notes = g_strdup_printf ("save-%u", number);

  enr_interaction_set_panel (interaction, ENR_PANEL_CUSTOMER);
  enr_interaction_set_notes (interaction, notes);
  g_ptr_array_add (interactions, g_steal_pointer (&interaction));
  enr_service_task_set_interactions (task, interactions);
}

/* @count keep-alive connections to @port, each with one request answered:
 * accepted, then held open until the stream is closed. */
static GPtrArray *
open_connections (guint16 port,
                  guint   count)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  GPtrArray *connections = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < count; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketConnection) connection = NULL;
      g_autofree char *request = g_strdup ("GET /v1/sessions/current HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      char head[13] = { 0, };
      gsize got = 0;

      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                                request, strlen (request), NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                              head, sizeof head - 1, &got, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (head, ==, "HTTP/1.1 401");
      g_ptr_array_add (connections, g_steal_pointer (&connection));
    }

  return connections;
}

/* The kernel spreads the connections to one port over both instances. */
static void
assert_both_serve (TestService *first,
                   TestService *second)
{
  g_autoptr(GPtrArray) connections = open_connections (first->port, 32);
  guint on_first = test_service_count_connections (first);
  guint on_second = test_service_count_connections (second);

  g_test_message ("32 connections to port %u: %u on the first instance, %u on the second",
                  first->port, on_first, on_second);
  g_assert_cmpuint (on_first + on_second, ==, 32);
  g_assert_cmpuint (on_first, >, 0);
  g_assert_cmpuint (on_second, >, 0);
}

static void
kill_during_drain (gboolean reuse_port)
{
  g_autofree char *dataset = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) services = g_ptr_array_new ();
  g_autoptr(GSubprocess) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) store = NULL;
  g_autoptr(EnrApiClient) client = NULL;
  g_autoptr(EnrSyncEngine) engine = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *token = NULL;
  g_autoptr(EnrUser) clerk = test_user_new ("clerk", ENR_ROLE_CLERK);
  g_autofree char *url = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *target = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *changes = NULL;
  const char * const unlimited[] = { "--rate-limit=0", NULL };
  const char * const shared[] = { "--rate-limit=0", "--reuse-port", NULL };
  g_autofree char *listen = NULL;
  TestService *first;
  TestService *second;
  EnrOutbox *outbox;
  Killer killer = { NULL, };
  guint operations = 0;

  if (!enr_test_db_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: one service per SQLite file");
      return;
    }

  dataset = test_generate_dataset (TASKS + 100, 23);
  customers = test_free_customers (dataset, "prog-cg");
  g_assert_cmpuint (customers->len, >=, TASKS);

  if (reuse_port)
    {
      /* The second on the port the first picked; no proxy. */
      first = test_service_start_on (NULL, dataset, TRUE, shared, TRUE);
      listen = g_strdup_printf ("--listen=127.0.0.1:%u", first->port);
      {
        const char * const same_port[] = { "--rate-limit=0", "--reuse-port", listen, NULL };

        second = test_service_start_on (first->database, NULL, FALSE, same_port, TRUE);
      }
      g_assert_cmpuint (second->port, ==, first->port);
      assert_both_serve (first, second);
      url = g_strdup (first->url);
    }
  else
    {
      first = test_service_start_on (NULL, dataset, TRUE, unlimited, TRUE);
      second = test_service_start_on (first->database, NULL, FALSE, unlimited, TRUE);
      g_ptr_array_add (services, first);
      g_ptr_array_add (services, second);
      proxy = test_haproxy_start (services, &url);
    }
  target = enr_test_db_for (first->database);

  token = test_sign_in (url, "clerk", TEST_CLERK_PASSWORD);
  store_path = test_store_path ("instances.db");
  directory = g_path_get_dirname (store_path);
  store = enr_store_new (store_path, NULL, &error);
  g_assert_no_error (error);
  enr_store_set_user (store, "clerk");
  client = enr_api_client_new (url, &error);
  g_assert_no_error (error);
  engine = enr_sync_engine_new (store, client);
  enr_sync_engine_set_session (engine, token, clerk);
  enr_sync_engine_set_backoff (engine, 50, 1000);
  g_assert_true (test_sync (engine, 120000, &error));
  g_assert_no_error (error);

  /* 2,000 operations wait in the outbox: a task created for each of 500
   * customers, then saved three times. */
  for (guint i = 0; i < TASKS; i++)
    {
      g_autoptr(EnrProcessFlow) flow = test_new_flow (g_ptr_array_index (customers, i), "prog-cg");
      g_autoptr(EnrOperation) created = NULL;
      EnrServiceTask *task;

      created = enr_store_save_flow_with_operation (store, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL, &error);
      g_assert_no_error (error);
      operations++;
      task = enr_process_flow_get_task (flow);
      for (guint save = 1; save <= SAVES_PER_TASK; save++)
        {
          g_autoptr(EnrOperation) saved = NULL;

          set_notes (task, save);
          saved = enr_store_save_task_with_operation (store, task, ENR_OPERATION_KIND_SAVE_TASK, NULL, &error);
          g_assert_no_error (error);
          operations++;
        }
    }
  g_assert_cmpuint (operations, ==, 2000);

  /* Drain through the proxy, or the shared port; one instance dies on the
   * way. */
  outbox = enr_store_get_outbox (store);
  killer.outbox = outbox;
  killer.instances[0] = first;
  killer.instances[1] = second;
  g_timeout_add (10, on_check_cb, &killer);
  g_assert_true (test_sync_until_drained (engine, 600000));
  g_assert_true (killer.killed);
  g_test_message ("killed an instance after %" G_GINT64_FORMAT " of %u operations",
                  killer.done_at_kill, operations);
  g_assert_cmpint (killer.done_at_kill, <, operations);

  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_DONE, NULL), ==, operations);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, NULL), ==, 0);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_REJECTED, NULL), ==, 0);

  /* Exactly once: one idempotency record per operation, one change per
   * version, and every task at the version its operations make (a save
   * applied twice would have made one more, or met 412). */
  keys = enr_test_db_query (target, "SELECT count(*) FROM idempotency WHERE status BETWEEN 200 AND 299");
  g_assert_cmpint (g_ascii_strtoll (keys, NULL, 10), ==, operations);
  changes = enr_test_db_query (target, "SELECT count(*) FROM changes WHERE type = 'service_task'");
  g_assert_cmpint (g_ascii_strtoll (changes, NULL, 10), ==, operations);

  tasks = enr_store_list (store, ENR_TYPE_SERVICE_TASK, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, TASKS);
  for (guint i = 0; i < tasks->len; i++)
    {
      EnrServiceTask *task = g_ptr_array_index (tasks, i);
      g_autofree char *path = g_strconcat ("/v1/service-tasks/", enr_entity_get_id (ENR_ENTITY (task)), NULL);
      g_autoptr(JsonNode) remote = NULL;
      g_autofree char *notes = NULL;
      guint status = 0;

      remote = test_http (url, "GET", path, token, NULL, -1, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpint (test_json_int (remote, "$.version"), ==, 1 + SAVES_PER_TASK);
      g_assert_cmpint (enr_service_task_get_version (task), ==, 1 + SAVES_PER_TASK);
      notes = test_json_string (remote, "$.interactions[0].notes");
      g_assert_cmpstr (notes, ==, "save-3");
    }

  if (proxy != NULL)
    {
      g_subprocess_force_exit (proxy);
      g_subprocess_wait (proxy, NULL, NULL);
    }
  test_service_stop (killer.survivor);
  g_clear_object (&engine);
  g_clear_object (&store);
  test_remove_tree (directory);
  test_remove_tree (dataset);
}

static void
test_kill_during_drain (void)
{
  kill_during_drain (FALSE);
}

/* Two instances on one port with SO_REUSEPORT, no proxy: the kernel gives
 * connections to both; the one holding the client's dies; the client's
 * retries land on the other through the same address. */
static void
test_reuse_port_kill_during_drain (void)
{
  kill_during_drain (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/instances/kill-during-drain", test_kill_during_drain);
  g_test_add_func ("/sync/instances/reuse-port-kill-during-drain", test_reuse_port_kill_during_drain);

  return g_test_run ();
}

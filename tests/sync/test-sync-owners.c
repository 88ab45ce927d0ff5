/* test-sync-owners.c — queued changes go out only under their owner's session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One client store shared by a clerk and a supervisor, as on a laptop that
 * goes round the office, against the real enrollment-service.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "enr-store-private.h"
#include "sync-test-util.h"

#define CG           "prog-cg"
#define SYNC_TIMEOUT 30000

static TestService *service;

typedef struct
{
  char          *path;
  EnrStore      *store;
  EnrApiClient  *client;
  EnrSyncEngine *engine;
} Laptop;

static Laptop *
laptop_new (void)
{
  g_autoptr(GError) error = NULL;
  Laptop *laptop = g_new0 (Laptop, 1);

  laptop->path = test_store_path ("laptop.db");
  laptop->store = enr_store_new (laptop->path, NULL, &error);
  g_assert_no_error (error);
  laptop->client = enr_api_client_new (service->url, &error);
  g_assert_no_error (error);
  laptop->engine = enr_sync_engine_new (laptop->store, laptop->client);
  enr_sync_engine_set_backoff (laptop->engine, 1000, 20000);
  return laptop;
}

static void
laptop_free (Laptop *laptop)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *directory = g_path_get_dirname (laptop->path);

  g_clear_object (&laptop->engine);
  g_clear_object (&laptop->client);
  g_clear_object (&laptop->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (laptop->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (directory);
  g_free (laptop->path);
  g_free (laptop);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Laptop, laptop_free)

/* Signs in online as @username, who then works here, and syncs. */
static void
laptop_sign_in (Laptop     *laptop,
                const char *username,
                const char *password)
{
  g_autoptr(EnrUser) user = test_engine_sign_in (laptop->engine, username, password);
  g_autoptr(GError) error = NULL;

  enr_store_set_user (laptop->store, username);
  g_assert_true (test_sync (laptop->engine, SYNC_TIMEOUT, &error));
  g_assert_no_error (error);
}

/* @username works here offline: no session. */
static void
laptop_work_offline (Laptop     *laptop,
                     const char *username)
{
  enr_sync_engine_set_session (laptop->engine, NULL, NULL);
  enr_store_set_user (laptop->store, username);
}

static EnrProcessFlow *
laptop_create (Laptop     *laptop,
               const char *customer_id)
{
  g_autoptr(EnrProcessFlow) flow = test_new_flow (customer_id, CG);
  g_autoptr(EnrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  operation = enr_store_save_flow_with_operation (laptop->store, flow, ENR_OPERATION_KIND_CREATE_TASK,
                                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_operation_get_owner (operation), ==, enr_store_get_user (laptop->store));
  return g_steal_pointer (&flow);
}

static const char *
task_id_of (EnrProcessFlow *flow)
{
  return enr_process_flow_get_service_task_id (flow);
}

/* The task as the service has it (a supervisor sees every task), or NULL. */
static char *
service_creator (const char *task_id)
{
  g_autofree char *token = test_sign_in (service->url, "supervisor", TEST_SUPERVISOR_PASSWORD);
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s", task_id);
  g_autoptr(JsonNode) task = NULL;
  guint status = 0;

  task = test_http (service->url, "GET", path, token, NULL, -1, NULL, &status);
  if (status == 404)
    return NULL;
  g_assert_cmpuint (status, ==, 200);
  return test_json_string (task, "$.created_by");
}

/* A clerk's offline changes wait while the supervisor is signed in (the
 * supervisor's own go out), and go out when the clerk signs in. */
static void
test_sent_by_owner (void)
{
  g_autofree char *sample = g_build_filename (SOURCE_DATADIR, "sample", NULL);
  g_autoptr(GPtrArray) customers = test_free_customers (sample, CG);
  g_autoptr(Laptop) laptop = laptop_new ();
  g_autoptr(EnrProcessFlow) clerks = NULL;
  g_autoptr(EnrProcessFlow) supervisors = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = NULL;
  gint64 clerk_seq;

  g_assert_cmpuint (customers->len, >=, 2);
  laptop_sign_in (laptop, "clerk", TEST_CLERK_PASSWORD);
  laptop_work_offline (laptop, "clerk");
  clerks = laptop_create (laptop, g_ptr_array_index (customers, 0));
  /* The engine counts once the outbox's change is dispatched. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (enr_sync_engine_get_pending_count (laptop->engine), ==, 1);

  /* The supervisor signs in on the same laptop: the clerk's change waits. */
  laptop_sign_in (laptop, "supervisor", TEST_SUPERVISOR_PASSWORD);
  g_assert_cmpuint (enr_sync_engine_get_pending_count (laptop->engine), ==, 0);
  g_assert_cmpuint (enr_sync_engine_get_waiting_count (laptop->engine), ==, 1);
  g_assert_null (service_creator (task_id_of (clerks)));

  /* The supervisor's own change goes out at once. */
  supervisors = laptop_create (laptop, g_ptr_array_index (customers, 1));
  g_assert_true (test_sync (laptop->engine, SYNC_TIMEOUT, &error));
  g_assert_no_error (error);
  creator = service_creator (task_id_of (supervisors));
  g_assert_cmpstr (creator, ==, "supervisor");
  g_clear_pointer (&creator, g_free);
  g_assert_null (service_creator (task_id_of (clerks)));

  /* Nor can the supervisor decide about it in the clerk's place. */
  {
    g_autoptr(GPtrArray) others = enr_outbox_list_of_others (enr_store_get_outbox (laptop->store),
                                                             "supervisor", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (others->len, ==, 1);
    clerk_seq = enr_operation_get_seq (g_ptr_array_index (others, 0));
  }
  g_assert_false (enr_sync_engine_take_theirs (laptop->engine, clerk_seq, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "made by clerk"));
  g_clear_error (&error);

  /* The clerk signs in: now it goes, as the clerk's. */
  laptop_sign_in (laptop, "clerk", TEST_CLERK_PASSWORD);
  g_assert_cmpuint (enr_sync_engine_get_pending_count (laptop->engine), ==, 0);
  g_assert_cmpuint (enr_sync_engine_get_waiting_count (laptop->engine), ==, 0);
  creator = service_creator (task_id_of (clerks));
  g_assert_cmpstr (creator, ==, "clerk");
}

/* An operation of no known owner (from before owners were recorded) goes
 * out with the first supervisor's session. */
static void
test_unowned_to_supervisor (void)
{
  g_autofree char *sample = g_build_filename (SOURCE_DATADIR, "sample", NULL);
  g_autoptr(GPtrArray) customers = test_free_customers (sample, CG);
  g_autoptr(Laptop) laptop = laptop_new ();
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autofree char *creator = NULL;

  g_assert_cmpuint (customers->len, >=, 3);
  laptop_sign_in (laptop, "clerk", TEST_CLERK_PASSWORD);
  laptop_work_offline (laptop, "clerk");
  flow = laptop_create (laptop, g_ptr_array_index (customers, 2));
  g_assert_cmpint (sqlite3_exec (_enr_store_get_db (laptop->store), "UPDATE outbox SET owner = NULL",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  /* Not the clerk's. */
  laptop_sign_in (laptop, "clerk", TEST_CLERK_PASSWORD);
  g_assert_cmpuint (enr_sync_engine_get_waiting_count (laptop->engine), ==, 1);
  g_assert_null (service_creator (task_id_of (flow)));

  laptop_sign_in (laptop, "supervisor", TEST_SUPERVISOR_PASSWORD);
  g_assert_cmpuint (enr_sync_engine_get_waiting_count (laptop->engine), ==, 0);
  creator = service_creator (task_id_of (flow));
  g_assert_cmpstr (creator, ==, "supervisor");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  service = test_service_start (NULL, NULL);

  g_test_add_func ("/sync/owners/sent-by-owner", test_sent_by_owner);
  g_test_add_func ("/sync/owners/unowned-to-supervisor", test_unowned_to_supervisor);

  status = g_test_run ();
  test_service_stop (service);

  return status;
}

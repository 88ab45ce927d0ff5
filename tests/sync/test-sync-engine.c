/* test-sync-engine.c — the sync engine against the real enrollment-service:
 * first download, the offline matrix, conflicts, rejections, sign-in,
 * a forgotten cursor, automatic mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "enr-store-private.h"

#if ENR_TEST_HAVE_CLIENT
#include "enr-enrollment-import.h"
#endif
#include "sync-test-util.h"

#define SYNC_TIMEOUT 20000
#define CG           "prog-cg"
#define TOU          "prog-tou"

static TestService *service;
static char *supervisor_token;

typedef struct
{
  char          *path;
  EnrStore      *store;
  EnrApiClient  *client;
  EnrSyncEngine *engine;
} Client;

static Client *
client_new_at (TestService *at,
               const char  *username,
               const char  *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrUser) user = NULL;
  Client *client = g_new0 (Client, 1);

  client->path = test_store_path ("client.db");
  client->store = enr_store_new (client->path, NULL, &error);
  g_assert_no_error (error);
  client->client = enr_api_client_new (at->url, &error);
  g_assert_no_error (error);
  client->engine = enr_sync_engine_new (client->store, client->client);
  enr_sync_engine_set_backoff (client->engine, 1000, 20000);
  g_assert_cmpint (enr_sync_engine_get_state (client->engine), ==, ENR_SYNC_STATE_SIGN_IN_NEEDED);

  user = test_engine_sign_in (client->engine, username, password);
  g_assert_cmpstr (enr_user_get_username (user), ==, username);
  enr_store_set_user (client->store, username);
  g_assert_true (enr_sync_engine_get_user (client->engine) == user);

  /* The first cycle downloads everything. */
  g_assert_true (test_sync (client->engine, SYNC_TIMEOUT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (enr_sync_engine_get_state (client->engine), ==, ENR_SYNC_STATE_IDLE);

  return client;
}

static Client *
client_new (const char *username,
            const char *password)
{
  return client_new_at (service, username, password);
}

static void
client_free (Client *client)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *directory = g_path_get_dirname (client->path);

  g_clear_object (&client->engine);
  g_clear_object (&client->client);
  g_clear_object (&client->store);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (client->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (directory);
  g_free (client->path);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static void
client_offline (Client *client)
{
  g_autoptr(GError) error = NULL;

  enr_api_client_set_base_url (client->client, TEST_DEAD_URL, &error);
  g_assert_no_error (error);
}

static void
client_online (Client *client)
{
  g_autoptr(GError) error = NULL;

  enr_api_client_set_base_url (client->client, service->url, &error);
  g_assert_no_error (error);
}

static EnrOperation *
client_save (Client           *client,
             EnrProcessFlow   *flow,
             EnrOperationKind  kind,
             const char       *body)
{
  g_autoptr(GError) error = NULL;
  EnrOperation *operation;

  operation = enr_store_save_flow_with_operation (client->store, flow, kind, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (operation);

  return operation;
}

/* A sync attempt while offline fails and keeps everything queued. */
static void
assert_offline_attempt (Client *client,
                        guint   pending)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (test_sync (client->engine, SYNC_TIMEOUT, &error));
  g_assert_error (error, ENR_API_ERROR, ENR_API_ERROR_NETWORK);
  g_assert_cmpint (enr_sync_engine_get_state (client->engine), ==, ENR_SYNC_STATE_OFFLINE);
  g_assert_nonnull (enr_sync_engine_get_last_error (client->engine));
  g_assert_cmpuint (enr_sync_engine_get_pending_count (client->engine), ==, pending);
}

static void
sync_ok (Client *client)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (test_sync (client->engine, SYNC_TIMEOUT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (enr_sync_engine_get_state (client->engine), ==, ENR_SYNC_STATE_IDLE);
  g_assert_null (enr_sync_engine_get_last_error (client->engine));
  g_assert_nonnull (enr_sync_engine_get_last_success (client->engine));
}

static void
assert_outbox_clear (Client *client)
{
  EnrOutbox *outbox = enr_store_get_outbox (client->store);

  for (EnrOperationState state = ENR_OPERATION_STATE_PENDING; state <= ENR_OPERATION_STATE_REJECTED; state++)
    if (state != ENR_OPERATION_STATE_DONE)
      g_assert_cmpint (enr_outbox_count (outbox, state, NULL), ==, 0);

  g_assert_cmpuint (enr_sync_engine_get_pending_count (client->engine), ==, 0);
  g_assert_cmpuint (enr_sync_engine_get_conflict_count (client->engine), ==, 0);
  g_assert_cmpuint (enr_sync_engine_get_rejected_count (client->engine), ==, 0);
}

static JsonNode *
service_task (const char *id,
              guint      *status)
{
  g_autofree char *path = g_strconcat ("/v1/service-tasks/", id, NULL);

  return test_http (service->url, "GET", path, supervisor_token, NULL, -1, NULL, status);
}

static void
assert_service_task (const char *id,
                     gint64      version,
                     const char *status,
                     const char *notes)
{
  g_autoptr(JsonNode) task = NULL;
  g_autofree char *actual_status = NULL;
  g_autofree char *actual_notes = NULL;
  guint http = 0;

  task = service_task (id, &http);
  g_assert_cmpuint (http, ==, 200);
  g_assert_cmpint (test_json_int (task, "$.version"), ==, version);
  actual_status = test_json_string (task, "$.status");
  g_assert_cmpstr (actual_status, ==, status);
  actual_notes = test_json_string (task, "$.interactions[0].notes");
  g_assert_cmpstr (actual_notes, ==, notes);
}

/* How many tasks the service holds for @customer_id. */
static guint
service_tasks_of (const char *customer_id)
{
  g_autoptr(JsonNode) list = NULL;
  guint status = 0;
  guint count = 0;
  JsonArray *items;

  list = test_http (service->url, "GET", "/v1/service-tasks?page_size=100", supervisor_token,
                    NULL, -1, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (list), "more"));

  items = json_object_get_array_member (json_node_get_object (list), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *task = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (task, "customer_id"), customer_id) == 0)
        count++;
    }

  return count;
}

static const char *
flow_task_id (EnrProcessFlow *flow)
{
  return enr_entity_get_id (ENR_ENTITY (enr_process_flow_get_task (flow)));
}

/* The local draft, reloaded from the store. */
static EnrProcessFlow *
reload_flow (Client         *client,
             EnrProcessFlow *flow)
{
  g_autoptr(GError) error = NULL;
  EnrProcessFlow *loaded;

  loaded = enr_store_load_draft (client->store, enr_entity_get_id (ENR_ENTITY (flow)), &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  return loaded;
}

/* A task created and synced while online. */
static EnrProcessFlow *
online_task (Client     *client,
             const char *customer_id,
             const char *program_id)
{
  g_autoptr(EnrOperation) operation = NULL;
  g_autoptr(EnrProcessFlow) reloaded = NULL;
  EnrProcessFlow *flow = test_new_flow (customer_id, program_id);

  operation = client_save (client, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  sync_ok (client);
  assert_outbox_clear (client);

  /* The acknowledged version reached the local copies. */
  reloaded = reload_flow (client, flow);
  g_assert_cmpint (enr_service_task_get_version (enr_process_flow_get_task (reloaded)), ==, 1);
  g_object_unref (flow);

  return g_steal_pointer (&reloaded);
}

/* Records in a data set file, one a line. */
static gint64
count_records (const char *dataset,
               const char *file)
{
  g_autofree char *path = g_build_filename (dataset, file, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 count = 0;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_strstrip (lines[i])[0] != '\0')
      count++;

  return count;
}

/* The store holds every customer of @dataset with the records around them. */
static void
assert_counts_match (EnrStore   *store,
                     const char *dataset)
{
  const struct
  {
    GType     (*get_type) (void);
    const char *file;
  } expected[] = {
    { enr_customer_get_type, "customers.jsonl" },
    { enr_metered_service_get_type, "metered_services.jsonl" },
    { enr_service_point_get_type, "service_points.jsonl" },
    { enr_device_location_get_type, "device_locations.jsonl" },
    { enr_device_get_type, "devices.jsonl" },
    { enr_program_subscription_get_type, "subscriptions.jsonl" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 count = enr_store_count (store, expected[i].get_type (), &error);

      g_assert_no_error (error);
      g_test_message ("%s: %" G_GINT64_FORMAT, expected[i].file, count);
      g_assert_cmpint (count, ==, count_records (dataset, expected[i].file));
    }
}

/* Tests */

static void
test_download (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrCustomer) customer = NULL;
  g_autofree char *cursor = NULL;

  g_assert_cmpint (enr_store_count (client->store, ENR_TYPE_CUSTOMER, NULL), ==, 48);
  g_assert_cmpint (enr_store_count (client->store, ENR_TYPE_PROGRAM, NULL), ==, 9);
  g_assert_cmpint (enr_store_count (client->store, ENR_TYPE_PROGRAM_TYPE, NULL), >, 0);
  g_assert_cmpint (enr_store_count (client->store, ENR_TYPE_INITIATIVE, NULL), >, 0);
  g_assert_cmpint (enr_store_count (client->store, ENR_TYPE_CODE_VALUE, NULL), >, 0);
  g_assert_cmpint (enr_store_count (client->store, ENR_TYPE_CREW, NULL), >, 0);
  g_assert_cmpint (enr_store_count (client->store, ENR_TYPE_CREW_SHIFT_TYPE, NULL), >, 0);
  g_assert_cmpint (enr_store_count (client->store, ENR_TYPE_CREW_SHIFT, NULL), >, 0);
  g_assert_cmpint (enr_store_count (client->store, ENR_TYPE_ACTIVITY_TYPE, NULL), >, 0);
  g_assert_cmpint (enr_store_count (client->store, ENR_TYPE_SERVICE_TASK_TYPE, NULL), >, 0);
  g_assert_cmpint (enr_store_count (client->store, ENR_TYPE_ACTION_METHOD, NULL), >, 0);
  g_assert_cmpfloat (enr_sync_engine_get_progress (client->engine), ==, 1.0);

  customer = enr_store_get (client->store, ENR_TYPE_CUSTOMER, "cust-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_customer_get_name (customer), ==, "Maria Gonzalez");

  cursor = enr_store_get_cursor (client->store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cursor);
  g_assert_true (g_ascii_isdigit (cursor[0]));

  /* The customer search works offline on the download. */
  {
    g_autoptr(GPtrArray) found = enr_store_search_customers (client->store, "Gonzalez", 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, >=, 1);
  }

  /* Every customer's records came with the bulk export, not only those of
   * customers with open tasks. */
  {
    g_autofree char *sample = g_build_filename (SOURCE_DATADIR, "sample", NULL);
    g_autoptr(EnrMeteredService) metered = NULL;
    g_autoptr(EnrServicePoint) point = NULL;
    g_autoptr(EnrDeviceLocation) location = NULL;
    g_autoptr(EnrDevice) device = NULL;
    g_autoptr(EnrProgramSubscription) subscription = NULL;

    metered = enr_store_get (client->store, ENR_TYPE_METERED_SERVICE, "ms-0003", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (enr_metered_service_get_customer_id (metered), ==, "cust-0003");
    g_assert_cmpstr (enr_metered_service_get_service_point_id (metered), ==, "sp-0003");
    point = enr_store_get (client->store, ENR_TYPE_SERVICE_POINT, "sp-0003", &error);
    g_assert_no_error (error);
    g_assert_nonnull (point);
    location = enr_store_get (client->store, ENR_TYPE_DEVICE_LOCATION, "loc-0003", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (enr_device_location_get_service_point_id (location), ==, "sp-0003");
    device = enr_store_get (client->store, ENR_TYPE_DEVICE, "dev-0003", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (enr_device_get_device_location_id (device), ==, "loc-0003");
    subscription = enr_store_get (client->store, ENR_TYPE_PROGRAM_SUBSCRIPTION, "sub-0001", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (enr_program_subscription_get_customer_id (subscription), ==, "cust-0003");

    assert_counts_match (client->store, sample);
  }
}

/* The first download fetches no customer view: the export pages and the
 * task list hold everything a view of a customer with an open task has. */
static void
assert_view_stored (EnrStore   *store,
                    const char *token,
                    const char *customer_id)
{
  static const struct
  {
    const char *member;
    GType     (*get_type) (void);
  } members[] = {
    { "metered_services", enr_metered_service_get_type },
    { "service_points", enr_service_point_get_type },
    { "device_locations", enr_device_location_get_type },
    { "devices", enr_device_get_type },
    { "subscriptions", enr_program_subscription_get_type },
    { "service_tasks", enr_service_task_get_type },
  };
  g_autofree char *path = g_strconcat ("/v1/customers/", customer_id, NULL);
  g_autoptr(JsonNode) view = NULL;
  JsonObject *object;
  guint status = 0;
  guint records = 0;

  view = test_http (service->url, "GET", path, token, NULL, -1, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  object = json_node_get_object (view);

  for (guint m = 0; m <= G_N_ELEMENTS (members); m++)
    {
      GType type = m == 0 ? ENR_TYPE_CUSTOMER : members[m - 1].get_type ();
      g_autoptr(GList) elements = NULL;

      if (m == 0)
        elements = g_list_prepend (NULL, json_object_get_member (object, "customer"));
      else
        elements = json_array_get_elements (json_object_get_array_member (object, members[m - 1].member));

      for (GList *l = elements; l != NULL; l = l->next)
        {
          g_autofree char *text = json_to_string (l->data, FALSE);
          g_autoptr(GError) error = NULL;
          g_autoptr(GObject) theirs = enr_codec_decode_data (type, text, -1, &error);
          g_autoptr(GObject) mine = NULL;
          g_autofree char *theirs_json = NULL;
          g_autofree char *mine_json = NULL;

          g_assert_no_error (error);
          mine = enr_store_get (store, type, enr_entity_get_id (ENR_ENTITY (theirs)), &error);
          g_assert_no_error (error);
          theirs_json = enr_codec_encode_string (theirs);
          mine_json = enr_codec_encode_string (mine);
          g_assert_cmpstr (mine_json, ==, theirs_json);
          records++;
        }
    }

  /* The customer, a metered service, its point, location and device. */
  g_assert_cmpuint (records, >=, 5);
}

static void
test_download_covers_views (void)
{
  g_autoptr(Client) writer = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(Client) client = NULL;
  g_autofree char *sample = g_build_filename (SOURCE_DATADIR, "sample", NULL);
  g_autoptr(GPtrArray) free_customers = test_free_customers (sample, CG);
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(EnrOperation) created = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = test_sign_in (service->url, "clerk", TEST_CLERK_PASSWORD);
  guint open = 0;

  /* An open task of this clerk on the service (for a customer no other
   * test uses), then a new client's first download. */
  g_assert_cmpuint (free_customers->len, >=, 2);
  flow = test_new_flow (g_ptr_array_index (free_customers, free_customers->len - 1), CG);
  created = client_save (writer, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  sync_ok (writer);
  assert_outbox_clear (writer);
  client = client_new ("clerk", TEST_CLERK_PASSWORD);

  tasks = enr_store_list (client->store, ENR_TYPE_SERVICE_TASK, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tasks->len; i++)
    {
      EnrServiceTask *task = g_ptr_array_index (tasks, i);
      EnrTaskStatus task_status = enr_service_task_get_status (task);

      if (task_status == ENR_TASK_STATUS_COMPLETED || task_status == ENR_TASK_STATUS_CANCELED)
        continue;

      assert_view_stored (client->store, token, enr_service_task_get_customer_id (task));
      open++;
    }
  g_assert_cmpuint (open, >=, 1);
}

static void
on_progress_cb (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  double *last = user_data;
  double progress = enr_sync_engine_get_progress (ENR_SYNC_ENGINE (object));

  /* A download starts at 0; within it the progress never goes back. */
  if (progress > 0.0)
    g_assert_cmpfloat (progress, >=, *last);
  *last = progress;
}

typedef struct
{
  EnrStore *store;
  guint     ticks;
} RebuildTicks;

/* A timeout's ticks while the store's worker builds the indexes and the
 * search: none when that blocks the main loop. */
static gboolean
on_rebuild_tick_cb (gpointer user_data)
{
  RebuildTicks *ticks = user_data;

  if (enr_store_get_rebuild_progress (ticks->store) >= 0)
    ticks->ticks++;

  return G_SOURCE_CONTINUE;
}

/* More customers than a page: the keyset pages cover every one of them.
 * Their indexes and search are built off the main loop. */
static void
test_download_pages (void)
{
  g_autofree char *dataset = test_generate_dataset (2 * ENR_SYNC_PAGE_SIZE + 37, 5);
  TestService *paged = test_service_start (dataset, NULL);
  g_autofree char *path = test_store_path ("paged.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) store = enr_store_new (path, NULL, &error);
  g_autoptr(EnrApiClient) api = NULL;
  g_autoptr(EnrSyncEngine) engine = NULL;
  g_autoptr(EnrUser) user = NULL;
  double last = 0.0;

  g_assert_no_error (error);
  api = enr_api_client_new (paged->url, &error);
  g_assert_no_error (error);
  engine = enr_sync_engine_new (store, api);
  user = test_engine_sign_in (engine, "clerk", TEST_CLERK_PASSWORD);
  g_assert_nonnull (user);

  g_signal_connect (engine, "notify::progress", G_CALLBACK (on_progress_cb), &last);
  {
    RebuildTicks ticks = { store, 0 };
    guint tick = g_timeout_add (1, on_rebuild_tick_cb, &ticks);

    g_assert_true (test_sync (engine, SYNC_TIMEOUT, &error));
    g_source_remove (tick);
    g_test_message ("the main loop ran %u ticks during the rebuild", ticks.ticks);
    g_assert_cmpuint (ticks.ticks, >=, 1);
  }
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
  g_assert_cmpfloat (enr_store_get_rebuild_progress (store), ==, -1.0);

  g_assert_cmpint (enr_store_count (store, ENR_TYPE_CUSTOMER, NULL), ==, 2 * ENR_SYNC_PAGE_SIZE + 37);
  assert_counts_match (store, dataset);

  g_clear_object (&engine);
  g_clear_object (&api);
  g_clear_object (&store);
  test_service_stop (paged);
  test_remove_tree (dataset);
  {
    g_autofree char *directory = g_path_get_dirname (path);

    test_remove_tree (directory);
  }
}

static gint64
count_search_rows (EnrStore *store)
{
  sqlite3_stmt *stmt = NULL;
  gint64 rows;

  g_assert_cmpint (sqlite3_prepare_v2 (_enr_store_get_db (store), "SELECT count(*) FROM customer_fts",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  rows = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return rows;
}

static void
on_progress_stop_cb (GObject    *object,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  gboolean *stopped = user_data;
  double progress = enr_sync_engine_get_progress (ENR_SYNC_ENGINE (object));

  /* After the first batch of customers, before the last. */
  if (!*stopped && progress > 0.05 && progress < 0.8)
    {
      *stopped = TRUE;
      enr_sync_engine_stop (ENR_SYNC_ENGINE (object));
    }
}

/* The download builds the customers' search after them, not customer by
 * customer; a download stopped on the way still leaves every customer it
 * stored findable, and the next one finishes the search with the rest. */
static void
test_download_stopped_search (void)
{
  g_autofree char *dataset = test_generate_dataset (150, 11);
  TestService *paged = test_service_start (dataset, NULL);
  g_autofree char *path = test_store_path ("stopped.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) store = enr_store_new (path, NULL, &error);
  g_autoptr(EnrApiClient) api = NULL;
  g_autoptr(EnrSyncEngine) engine = NULL;
  g_autoptr(EnrUser) user = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(EnrCustomer) saved = NULL;
  gboolean stopped = FALSE;
  gulong handler;
  gint64 stored;

  g_assert_no_error (error);
  api = enr_api_client_new (paged->url, &error);
  g_assert_no_error (error);
  engine = enr_sync_engine_new (store, api);
  enr_sync_engine_set_download_batch (engine, 20);
  user = test_engine_sign_in (engine, "clerk", TEST_CLERK_PASSWORD);
  g_assert_nonnull (user);

  handler = g_signal_connect (engine, "notify::progress", G_CALLBACK (on_progress_stop_cb), &stopped);
  g_assert_false (test_sync (engine, SYNC_TIMEOUT, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_signal_handler (&handler, engine);
  g_assert_true (stopped);

  stored = enr_store_count (store, ENR_TYPE_CUSTOMER, NULL);
  g_test_message ("stopped after %" G_GINT64_FORMAT " customers", stored);
  g_assert_cmpint (stored, >=, 20);
  g_assert_cmpint (stored, <, 150);
  g_assert_cmpint (count_search_rows (store), ==, stored);

  /* The first customer stored is found by its name. */
  customers = enr_store_list (store, ENR_TYPE_CUSTOMER, NULL, NULL, &error);
  g_assert_no_error (error);
  found = enr_store_search_customers (store, enr_customer_get_name (g_ptr_array_index (customers, 0)),
                                      200, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >=, 1);

  /* The search is kept up to date again: a customer stored now is found. */
  saved = g_object_ref (g_ptr_array_index (customers, 0));
  enr_customer_set_name (saved, "Zebulon Quaxworth");
  g_assert_true (enr_store_put (store, ENR_TYPE_CUSTOMER, customers, &error));
  g_assert_no_error (error);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = enr_store_search_customers (store, "Quaxworth", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  /* The next cycle goes on and builds the search for every customer. */
  g_assert_true (test_sync (engine, SYNC_TIMEOUT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (enr_store_count (store, ENR_TYPE_CUSTOMER, NULL), ==, 150);
  g_assert_cmpint (count_search_rows (store), ==, 150);

  g_clear_object (&engine);
  g_clear_object (&api);
  g_clear_object (&store);
  test_service_stop (paged);
  test_remove_tree (dataset);
  {
    g_autofree char *directory = g_path_get_dirname (path);

    test_remove_tree (directory);
  }
}

static void
on_fetched_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  gpointer *slots = user_data;
  GError *error = NULL;

  slots[0] = enr_sync_engine_fetch_customer_finish (ENR_SYNC_ENGINE (source_object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) slots[1] = TRUE;
}

static void
test_fetch_customer (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GPtrArray) points = NULL;
  gboolean done = FALSE;
  gpointer slots[2] = { NULL, &done };

  enr_sync_engine_fetch_customer_async (client->engine, "cust-0001", NULL, on_fetched_cb, slots);
  g_assert_true (test_wait_for_flag (&done, SYNC_TIMEOUT));
  g_assert_nonnull (slots[0]);
  g_assert_cmpstr (enr_entity_get_id (slots[0]), ==, "cust-0001");
  g_object_unref (slots[0]);

  services = enr_store_list (client->store, ENR_TYPE_METERED_SERVICE, "customer-id", "cust-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, ==, 1);
  points = enr_store_list (client->store, ENR_TYPE_SERVICE_POINT, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, >=, 1);
}

static void
on_outbox_changed_cb (EnrOutbox *outbox,
                      guint     *count)
{
  (*count)++;
}

/* Acknowledgements are recorded a batch at a time, and an entity's next
 * operation goes out on the version the previous one's acknowledgement
 * gave: every save lands once, in order, with no conflict. */
static void
test_batched_acks (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autofree char *sample = g_build_filename (SOURCE_DATADIR, "sample", NULL);
  g_autoptr(GPtrArray) free_customers = test_free_customers (sample, CG);
  EnrOutbox *outbox = enr_store_get_outbox (client->store);
  EnrProcessFlow *flows[3] = { NULL, };
  guint n_operations = 0;
  guint changed = 0;
  gulong handler;

  /* The last free customer is test_download_covers_views'. */
  g_assert_cmpuint (free_customers->len, >=, G_N_ELEMENTS (flows) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (flows); i++)
    {
      g_autoptr(EnrOperation) created = NULL;

      flows[i] = test_new_flow (g_ptr_array_index (free_customers, free_customers->len - 2 - i), CG);
      created = client_save (client, flows[i], ENR_OPERATION_KIND_CREATE_TASK, NULL);
      n_operations++;
    }
  for (guint round = 1; round <= 4; round++)
    for (guint i = 0; i < G_N_ELEMENTS (flows); i++)
      {
        g_autofree char *notes = g_strdup_printf ("save %u of flow %u", round, i);
        g_autoptr(EnrOperation) saved = NULL;

        test_flow_set_notes (flows[i], notes);
        saved = client_save (client, flows[i], ENR_OPERATION_KIND_SAVE_TASK, NULL);
        n_operations++;
      }

  handler = g_signal_connect (outbox, "changed", G_CALLBACK (on_outbox_changed_cb), &changed);
  sync_ok (client);
  g_signal_handler_disconnect (outbox, handler);
  assert_outbox_clear (client);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_DONE, NULL), ==, n_operations);

  /* Fewer transactions than operations. */
  g_assert_cmpuint (changed, <, n_operations);

  for (guint i = 0; i < G_N_ELEMENTS (flows); i++)
    {
      const char *task_id = flow_task_id (flows[i]);
      g_autofree char *notes = g_strdup_printf ("save 4 of flow %u", i);
      g_autoptr(EnrServiceTask) stored = NULL;
      g_autoptr(EnrProcessFlow) draft = NULL;
      g_autoptr(GError) error = NULL;

      assert_service_task (task_id, 5, "pending", notes);
      stored = enr_store_get (client->store, ENR_TYPE_SERVICE_TASK, task_id, &error);
      g_assert_no_error (error);
      g_assert_cmpint (enr_service_task_get_version (stored), ==, 5);
      g_assert_cmpstr (test_task_get_notes (stored), ==, notes);
      draft = enr_store_load_draft (client->store, enr_entity_get_id (ENR_ENTITY (flows[i])), &error);
      g_assert_no_error (error);
      g_assert_cmpint (enr_service_task_get_version (enr_process_flow_get_task (draft)), ==, 5);
      g_object_unref (flows[i]);
    }
}

/* create */
static void
test_offline_create (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = test_new_flow ("cust-0002", CG);
  g_autoptr(EnrOperation) created = NULL;

  client_offline (client);
  test_flow_set_notes (flow, "created offline");
  created = client_save (client, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  assert_offline_attempt (client, 1);
  assert_offline_attempt (client, 1);

  client_online (client);
  sync_ok (client);
  assert_outbox_clear (client);

  assert_service_task (flow_task_id (flow), 1, "pending", "created offline");
  g_assert_cmpuint (service_tasks_of ("cust-0002"), ==, 1);
}

/* create + edit */
static void
test_offline_create_edit (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = test_new_flow ("cust-0004", CG);
  g_autoptr(EnrOperation) created = NULL;
  g_autoptr(EnrOperation) saved = NULL;
  g_autoptr(EnrProcessFlow) reloaded = NULL;

  client_offline (client);
  created = client_save (client, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  test_flow_set_notes (flow, "edited offline");
  saved = client_save (client, flow, ENR_OPERATION_KIND_SAVE_TASK, NULL);
  assert_offline_attempt (client, 2);

  client_online (client);
  sync_ok (client);
  assert_outbox_clear (client);

  assert_service_task (flow_task_id (flow), 2, "pending", "edited offline");
  g_assert_cmpuint (service_tasks_of ("cust-0004"), ==, 1);

  reloaded = reload_flow (client, flow);
  g_assert_cmpint (enr_service_task_get_version (enr_process_flow_get_task (reloaded)), ==, 2);
}

/* create + cancel */
static void
test_offline_create_cancel (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = test_new_flow ("cust-0006", CG);
  g_autoptr(EnrOperation) created = NULL;
  g_autoptr(EnrOperation) canceled = NULL;
  g_autoptr(EnrServiceTask) cached = NULL;
  g_autoptr(GError) error = NULL;

  client_offline (client);
  test_flow_set_notes (flow, "to be canceled");
  created = client_save (client, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  enr_process_flow_set_status (flow, ENR_FLOW_STATUS_CANCELED);
  canceled = client_save (client, flow, ENR_OPERATION_KIND_CANCEL_TASK,
                          "{\"reason\":\"Customer changed their mind\"}");
  assert_offline_attempt (client, 2);

  client_online (client);
  sync_ok (client);
  assert_outbox_clear (client);

  assert_service_task (flow_task_id (flow), 2, "canceled", "to be canceled");
  g_assert_cmpuint (service_tasks_of ("cust-0006"), ==, 1);

  /* The pull brought the service's canceled task into the cache. */
  cached = enr_store_get (client->store, ENR_TYPE_SERVICE_TASK, flow_task_id (flow), &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_service_task_get_status (cached), ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpint (enr_service_task_get_version (cached), ==, 2);
}

/* edit */
static void
test_offline_edit (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = online_task (client, "cust-0008", CG);
  g_autoptr(EnrOperation) saved = NULL;

  client_offline (client);
  test_flow_set_notes (flow, "edited on the road");
  saved = client_save (client, flow, ENR_OPERATION_KIND_SAVE_TASK, NULL);
  g_assert_cmpint (enr_operation_get_base_version (saved), ==, 1);
  assert_offline_attempt (client, 1);

  client_online (client);
  sync_ok (client);
  assert_outbox_clear (client);

  assert_service_task (flow_task_id (flow), 2, "pending", "edited on the road");
  g_assert_cmpuint (service_tasks_of ("cust-0008"), ==, 1);
}

static void
fill_tou (EnrProcessFlow *flow,
          const char     *metered_service_id)
{
  EnrServiceTask *task = enr_process_flow_get_task (flow);
  g_autoptr(EnrAnswer) answer = enr_answer_new ();
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 10);
  static const char * const yes[] = { "yes", NULL };
  GDate start;

  g_date_clear (&start, 1);
  g_date_set_dmy (&start, g_date_time_get_day_of_month (later), g_date_time_get_month (later),
                  g_date_time_get_year (later));

  enr_answer_set_question_id (answer, "q-tou-peak");
  enr_answer_set_values (answer, yes);
  g_ptr_array_add (answers, g_steal_pointer (&answer));

  enr_service_task_set_metered_service_id (task, metered_service_id);
  enr_service_task_set_start_date (task, &start);
  enr_service_task_set_answers (task, answers);
}

/* edit + finish */
static void
test_offline_edit_finish (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = online_task (client, "cust-0001", TOU);
  g_autoptr(EnrOperation) saved = NULL;
  g_autoptr(EnrOperation) finished = NULL;
  g_autoptr(JsonNode) task = NULL;
  g_autoptr(EnrServiceTask) cached = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *subscription = NULL;

  client_offline (client);
  fill_tou (flow, "ms-0001");
  saved = client_save (client, flow, ENR_OPERATION_KIND_SAVE_TASK, NULL);
  enr_process_flow_set_status (flow, ENR_FLOW_STATUS_CLOSED);
  finished = client_save (client, flow, ENR_OPERATION_KIND_FINISH_TASK, NULL);
  assert_offline_attempt (client, 2);

  client_online (client);
  sync_ok (client);
  assert_outbox_clear (client);

  task = service_task (flow_task_id (flow), NULL);
  g_assert_cmpint (test_json_int (task, "$.version"), ==, 3);
  status = test_json_string (task, "$.status");
  g_assert_cmpstr (status, ==, "completed");
  subscription = test_json_string (task, "$.subscription_id");
  g_assert_nonnull (subscription);
  g_assert_cmpuint (service_tasks_of ("cust-0001"), ==, 1);

  cached = enr_store_get (client->store, ENR_TYPE_SERVICE_TASK, flow_task_id (flow), &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_service_task_get_status (cached), ==, ENR_TASK_STATUS_COMPLETED);
}

/* An enrollment created and finished offline with the customer's consent:
 * the consent rides in the queued operations, reaches the service once,
 * recorded by the clerk whose session sent it, and lands once in the
 * consents on record; another sync sends nothing more. */
static void
test_offline_consent (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = test_new_flow ("cust-0005", TOU);
  g_autoptr(EnrConsent) consent = enr_consent_new ();
  g_autoptr(GDateTime) given_at = g_date_time_new_utc (2026, 3, 2, 14, 5, 0);
  g_autoptr(EnrOperation) created = NULL;
  g_autoptr(EnrOperation) finished = NULL;
  g_autoptr(JsonNode) task = NULL;
  g_autoptr(JsonNode) consents = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *method = NULL;
  g_autofree char *terms = NULL;
  g_autofree char *recorded_by = NULL;
  g_autofree char *given = NULL;
  g_autofree char *record_task = NULL;
  guint status = 0;

  client_offline (client);
  fill_tou (flow, "ms-0005");
  enr_consent_set_method (consent, ENR_CONSENT_METHOD_PAPER);
  enr_consent_set_given_at (consent, given_at);
  enr_consent_set_terms_version (consent, "TOU-2026.1");
  enr_service_task_set_consent (enr_process_flow_get_task (flow), consent);
  created = client_save (client, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  enr_process_flow_set_status (flow, ENR_FLOW_STATUS_CLOSED);
  finished = client_save (client, flow, ENR_OPERATION_KIND_FINISH_TASK, NULL);
  assert_offline_attempt (client, 2);

  client_online (client);
  sync_ok (client);
  assert_outbox_clear (client);

  task = service_task (flow_task_id (flow), NULL);
  method = test_json_string (task, "$.consent.method");
  g_assert_cmpstr (method, ==, "paper");
  terms = test_json_string (task, "$.consent.terms_version");
  g_assert_cmpstr (terms, ==, "TOU-2026.1");
  recorded_by = test_json_string (task, "$.consent.recorded_by");
  g_assert_cmpstr (recorded_by, ==, "clerk");
  given = test_json_string (task, "$.consent.given_at");
  g_assert_true (g_str_has_prefix (given, "2026-03-02T14:05:00"));
  g_assert_cmpuint (service_tasks_of ("cust-0005"), ==, 1);

  consents = test_http (service->url, "GET", "/v1/customers/cust-0005/consents", supervisor_token,
                        NULL, -1, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (consents),
                                                                         "items")), ==, 1);
  record_task = test_json_string (consents, "$.items[0].service_task_id");
  g_assert_cmpstr (record_task, ==, flow_task_id (flow));

  /* Nothing is sent twice. */
  sync_ok (client);
  assert_outbox_clear (client);
  again = test_http (service->url, "GET", "/v1/customers/cust-0005/consents", supervisor_token,
                     NULL, -1, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (again),
                                                                         "items")), ==, 1);
  g_assert_cmpuint (service_tasks_of ("cust-0005"), ==, 1);
}

#if ENR_TEST_HAVE_CLIENT
/* Import Enrollments… offline: the ready rows of a file are queued as new
 * flows, reach the service once when the client is back online, with the
 * consent the file gave; the same file imported again queues nothing. */
static EnrEnrollmentImport *
import_file (EnrContext *context,
             const char *text)
{
  g_autoptr(EnrEnrollmentImport) import = enr_enrollment_import_new (context);
  g_autoptr(GError) error = NULL;

  g_assert_true (enr_enrollment_import_load_data (import, text, strlen (text), &error));
  g_assert_no_error (error);
  while (!enr_enrollment_import_is_judged (import))
    enr_enrollment_import_judge (import, 100);
  while (!enr_enrollment_import_is_queued (import))
    {
      enr_enrollment_import_queue (import, 100, &error);
      g_assert_no_error (error);
    }

  return g_steal_pointer (&import);
}

static void
test_offline_import (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrContext) context = enr_context_new (client->store, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 10);
  g_autoptr(GDateTime) before = g_date_time_add_days (now, -1);
  g_autofree char *start = g_date_time_format (later, "%Y-%m-%d");
  g_autofree char *given = g_date_time_format (before, "%Y-%m-%d %H:%M");
  g_autofree char *text = NULL;
  g_autoptr(EnrEnrollmentImport) import = NULL;
  g_autoptr(EnrEnrollmentImport) again = NULL;
  g_autoptr(EnrImportRow) tou = NULL;
  g_autoptr(EnrImportRow) cg = NULL;
  g_autoptr(EnrImportRow) unknown = NULL;
  g_autoptr(JsonNode) task = NULL;
  g_autofree char *method = NULL;
  g_autofree char *terms = NULL;
  g_autofree char *status = NULL;

  text = g_strdup_printf ("account,program code,start date,installation method,consent method,consent date,"
                          "terms version,notes\r\n"
                          "RPL-100333,TOU-PILOT,%s,,web,%s,TOU-2026.1,imported offline\r\n"
                          "RPL-100407,PEAK-CG-2026,%s,,,,,\r\n"
                          "RPL-999999,TOU-PILOT,%s,,,,,\r\n",
                          start, given, start, start);
  enr_context_set_username (context, "clerk");
  client_offline (client);

  import = import_file (context, text);
  tou = g_list_model_get_item (enr_enrollment_import_get_rows (import), 0);
  cg = g_list_model_get_item (enr_enrollment_import_get_rows (import), 1);
  unknown = g_list_model_get_item (enr_enrollment_import_get_rows (import), 2);
  g_test_message ("%s / %s", enr_import_row_get_reasons (tou), enr_import_row_get_reasons (cg));
  g_assert_cmpint (enr_import_row_get_outcome (tou), ==, ENR_IMPORT_OUTCOME_QUEUED);
  g_assert_cmpint (enr_import_row_get_outcome (cg), ==, ENR_IMPORT_OUTCOME_QUEUED);
  g_assert_cmpint (enr_import_row_get_outcome (unknown), ==, ENR_IMPORT_OUTCOME_REFUSED);
  assert_offline_attempt (client, 2);

  client_online (client);
  sync_ok (client);
  assert_outbox_clear (client);

  task = service_task (enr_import_row_get_task_id (tou), NULL);
  status = test_json_string (task, "$.status");
  g_assert_cmpstr (status, ==, "pending");
  method = test_json_string (task, "$.consent.method");
  g_assert_cmpstr (method, ==, "web");
  terms = test_json_string (task, "$.consent.terms_version");
  g_assert_cmpstr (terms, ==, "TOU-2026.1");
  assert_service_task (enr_import_row_get_task_id (cg), 1, "pending", NULL);
  g_assert_cmpuint (service_tasks_of ("cust-0009"), ==, 1);
  g_assert_cmpuint (service_tasks_of ("cust-0011"), ==, 1);

  /* Nothing is sent twice, and the same file again queues nothing. */
  sync_ok (client);
  again = import_file (context, text);
  g_assert_cmpuint (enr_enrollment_import_count (again, ENR_IMPORT_OUTCOME_QUEUED), ==, 0);
  g_assert_cmpuint (enr_enrollment_import_count (again, ENR_IMPORT_OUTCOME_REFUSED), ==, 3);
  assert_outbox_clear (client);
  sync_ok (client);
  g_assert_cmpuint (service_tasks_of ("cust-0009"), ==, 1);
  g_assert_cmpuint (service_tasks_of ("cust-0011"), ==, 1);
}
#endif

/* finish while the task was canceled on the service → conflict, nothing
 * lost; saved as a new flow */
static void
test_offline_finish_canceled (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = online_task (client, "cust-0010", CG);
  g_autoptr(EnrOperation) saved = NULL;
  g_autoptr(EnrOperation) finished = NULL;
  g_autoptr(EnrOperation) conflict = NULL;
  g_autoptr(EnrProcessFlow) kept = NULL;
  g_autoptr(EnrProcessFlow) new_flow = NULL;
  g_autoptr(JsonNode) canceled = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(EnrServiceTask) theirs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cancel_path = g_strdup_printf ("/v1/service-tasks/%s/cancel", flow_task_id (flow));
  guint status = 0;

  client_offline (client);
  test_flow_set_notes (flow, "finished on the road");
  saved = client_save (client, flow, ENR_OPERATION_KIND_SAVE_TASK, NULL);
  finished = client_save (client, flow, ENR_OPERATION_KIND_FINISH_TASK, NULL);
  assert_offline_attempt (client, 2);

  /* Meanwhile a supervisor cancels the task. */
  canceled = test_http (service->url, "POST", cancel_path, supervisor_token, "cancel-finish-case", 1,
                        "{\"reason\":\"Duplicate request\"}", &status);
  g_assert_cmpuint (status, ==, 200);

  client_online (client);
  sync_ok (client);

  /* The save met the cancellation: a conflict with the service's copy;
   * the finish waits behind it. Nothing is lost. */
  g_assert_cmpuint (enr_sync_engine_get_conflict_count (client->engine), ==, 1);
  g_assert_cmpuint (enr_sync_engine_get_pending_count (client->engine), ==, 1);
  conflicts = enr_outbox_list (enr_store_get_outbox (client->store), ENR_OPERATION_STATE_CONFLICT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_object_ref (g_ptr_array_index (conflicts, 0));
  g_assert_cmpint (enr_operation_get_seq (conflict), ==, enr_operation_get_seq (saved));
  g_assert_nonnull (enr_operation_get_last_error (conflict));
  theirs = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK, enr_operation_get_server_copy (conflict), -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_service_task_get_status (theirs), ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpint (enr_service_task_get_version (theirs), ==, 2);

  kept = reload_flow (client, flow);
  g_assert_cmpstr (test_task_get_notes (enr_process_flow_get_task (kept)), ==, "finished on the road");

  /* Still there after more cycles. */
  sync_ok (client);
  g_assert_cmpuint (enr_sync_engine_get_conflict_count (client->engine), ==, 1);

  /* Keep the work as a new flow. */
  new_flow = enr_sync_engine_save_as_new (client->engine, enr_operation_get_seq (conflict), &error);
  g_assert_no_error (error);
  g_assert_nonnull (new_flow);
  g_assert_cmpstr (flow_task_id (new_flow), !=, flow_task_id (flow));

  sync_ok (client);
  assert_outbox_clear (client);

  assert_service_task (flow_task_id (flow), 2, "canceled", NULL);
  assert_service_task (flow_task_id (new_flow), 1, "pending", "finished on the road");
  g_assert_cmpuint (service_tasks_of ("cust-0010"), ==, 2);

  /* The original draft follows the service. */
  g_clear_object (&kept);
  kept = reload_flow (client, flow);
  g_assert_cmpint (enr_process_flow_get_status (kept), ==, ENR_FLOW_STATUS_CANCELED);
}

/* Two clients edit one task: the second gets 412 → conflict; keep mine. */
static void
test_two_clients (void)
{
  g_autoptr(Client) clerk = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = online_task (clerk, "cust-0012", CG);
  g_autoptr(Client) supervisor = client_new ("supervisor", TEST_SUPERVISOR_PASSWORD);
  g_autoptr(EnrServiceTask) copy = NULL;
  g_autoptr(EnrProcessFlow) other = NULL;
  g_autoptr(EnrOperation) mine = NULL;
  g_autoptr(EnrOperation) theirs = NULL;
  g_autoptr(EnrOperation) conflict = NULL;
  g_autoptr(EnrServiceTask) server_copy = NULL;
  g_autoptr(GError) error = NULL;

  /* The supervisor's download brought the clerk's task. */
  copy = enr_store_get (supervisor->store, ENR_TYPE_SERVICE_TASK, flow_task_id (flow), &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_service_task_get_version (copy), ==, 1);

  other = enr_process_flow_new ();
  enr_entity_set_id (ENR_ENTITY (other), "supervisor-flow");
  enr_process_flow_set_service_task_id (other, flow_task_id (flow));
  enr_process_flow_set_kind (other, ENR_TASK_KIND_ENROLLMENT);
  enr_process_flow_set_status (other, ENR_FLOW_STATUS_OPEN);
  enr_process_flow_set_current_panel (other, ENR_PANEL_CUSTOMER);
  enr_process_flow_set_task (other, copy);

  client_offline (clerk);
  client_offline (supervisor);
  test_flow_set_notes (flow, "clerk's notes");
  mine = client_save (clerk, flow, ENR_OPERATION_KIND_SAVE_TASK, NULL);
  test_flow_set_notes (other, "supervisor's notes");
  theirs = client_save (supervisor, other, ENR_OPERATION_KIND_SAVE_TASK, NULL);
  g_assert_cmpint (enr_operation_get_base_version (mine), ==, 1);
  g_assert_cmpint (enr_operation_get_base_version (theirs), ==, 1);

  client_online (clerk);
  sync_ok (clerk);
  assert_outbox_clear (clerk);
  assert_service_task (flow_task_id (flow), 2, "pending", "clerk's notes");

  client_online (supervisor);
  sync_ok (supervisor);
  g_assert_cmpuint (enr_sync_engine_get_conflict_count (supervisor->engine), ==, 1);
  conflict = enr_outbox_get (enr_store_get_outbox (supervisor->store), enr_operation_get_seq (theirs), &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_operation_get_state (conflict), ==, ENR_OPERATION_STATE_CONFLICT);
  server_copy = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK, enr_operation_get_server_copy (conflict), -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (test_task_get_notes (server_copy), ==, "clerk's notes");
  assert_service_task (flow_task_id (flow), 2, "pending", "clerk's notes");

  /* The supervisor keeps theirs: re-applied on version 2. */
  g_assert_true (enr_sync_engine_keep_mine (supervisor->engine, enr_operation_get_seq (theirs), &error));
  g_assert_no_error (error);
  sync_ok (supervisor);
  assert_outbox_clear (supervisor);
  assert_service_task (flow_task_id (flow), 3, "pending", "supervisor's notes");

  /* The clerk's pull brings the supervisor's version. */
  sync_ok (clerk);
  {
    g_autoptr(EnrServiceTask) cached = enr_store_get (clerk->store, ENR_TYPE_SERVICE_TASK,
                                                      flow_task_id (flow), &error);

    g_assert_no_error (error);
    g_assert_cmpint (enr_service_task_get_version (cached), ==, 3);
    g_assert_cmpstr (test_task_get_notes (cached), ==, "supervisor's notes");
  }
  g_assert_cmpuint (service_tasks_of ("cust-0012"), ==, 1);
}

/* A rejected write is kept with its reason and blocks no other entity. */
static void
test_rejected (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) before = test_new_flow ("cust-0013", CG);
  g_autoptr(EnrProcessFlow) bad = test_new_flow ("cust-0014", "prog-does-not-exist");
  g_autoptr(EnrProcessFlow) after = test_new_flow ("cust-0016", CG);
  g_autoptr(EnrOperation) op_before = NULL;
  g_autoptr(EnrOperation) op_bad = NULL;
  g_autoptr(EnrOperation) op_bad_later = NULL;
  g_autoptr(EnrOperation) op_after = NULL;
  g_autoptr(EnrOperation) rejected = NULL;
  g_autoptr(EnrOperation) blocked = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  client_offline (client);
  op_before = client_save (client, before, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  op_bad = client_save (client, bad, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  test_flow_set_notes (bad, "kept for a person");
  op_bad_later = client_save (client, bad, ENR_OPERATION_KIND_SAVE_TASK, NULL);
  op_after = client_save (client, after, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  assert_offline_attempt (client, 4);

  client_online (client);
  sync_ok (client);

  g_assert_cmpuint (enr_sync_engine_get_rejected_count (client->engine), ==, 1);
  g_assert_cmpuint (enr_sync_engine_get_pending_count (client->engine), ==, 1);
  rejected = enr_outbox_get (enr_store_get_outbox (client->store), enr_operation_get_seq (op_bad), &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_operation_get_state (rejected), ==, ENR_OPERATION_STATE_REJECTED);
  g_assert_nonnull (enr_operation_get_reason (rejected));
  g_assert_nonnull (strstr (enr_operation_get_reason (rejected), "program"));
  /* The service's answer is kept whole (its problem document). */
  {
    g_autoptr(JsonNode) answer = json_from_string (enr_operation_get_response (rejected), &error);
    g_autofree char *detail = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (test_json_int (answer, "$.status"), ==, 422);
    detail = test_json_string (answer, "$.detail");
    g_assert_nonnull (detail);
    g_assert_true (g_str_has_prefix (enr_operation_get_reason (rejected), detail));
  }
  blocked = enr_outbox_get (enr_store_get_outbox (client->store), enr_operation_get_seq (op_bad_later), &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_operation_get_state (blocked), ==, ENR_OPERATION_STATE_PENDING);

  assert_service_task (flow_task_id (before), 1, "pending", NULL);
  assert_service_task (flow_task_id (after), 1, "pending", NULL);
  g_clear_pointer (&error, g_error_free);
  {
    g_autoptr(JsonNode) missing = service_task (flow_task_id (bad), &status);

    g_assert_cmpuint (status, ==, 404);
  }

  /* A person discards it; only then is the outbox clear. */
  g_assert_true (enr_sync_engine_take_theirs (client->engine, enr_operation_get_seq (op_bad), &error));
  g_assert_no_error (error);
  sync_ok (client);
  assert_outbox_clear (client);
  g_assert_cmpuint (service_tasks_of ("cust-0014"), ==, 0);
  g_assert_cmpuint (service_tasks_of ("cust-0013"), ==, 1);
  g_assert_cmpuint (service_tasks_of ("cust-0016"), ==, 1);
}

static void
on_wrong_sign_in_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  gpointer *slots = user_data;
  GError *error = NULL;

  slots[1] = enr_sync_engine_sign_in_finish (ENR_SYNC_ENGINE (source_object), result, &error);
  slots[2] = error;
  *(gboolean *) slots[0] = TRUE;
}

static void
on_signed_out_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  gpointer *slots = user_data;
  GError *error = NULL;

  slots[1] = GINT_TO_POINTER (enr_sync_engine_sign_out_finish (ENR_SYNC_ENGINE (source_object), result, &error));
  slots[2] = error;
  *(gboolean *) slots[0] = TRUE;
}

/* 401: sign-in needed, the queue waits; a new sign-in sends it. */
static void
test_sign_in_needed (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = test_new_flow ("cust-0017", CG);
  g_autoptr(EnrOperation) created = NULL;
  g_autoptr(EnrUser) user = NULL;
  g_autoptr(GError) error = NULL;

  enr_sync_engine_set_session (client->engine, "not-a-valid-token", enr_sync_engine_get_user (client->engine));
  created = client_save (client, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL);

  g_assert_false (test_sync (client->engine, SYNC_TIMEOUT, &error));
  g_assert_error (error, ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED);
  g_assert_cmpint (enr_sync_engine_get_state (client->engine), ==, ENR_SYNC_STATE_SIGN_IN_NEEDED);
  g_assert_cmpuint (enr_sync_engine_get_pending_count (client->engine), ==, 1);
  g_clear_error (&error);

  user = test_engine_sign_in (client->engine, "clerk", TEST_CLERK_PASSWORD);
  sync_ok (client);
  assert_outbox_clear (client);
  assert_service_task (flow_task_id (flow), 1, "pending", NULL);

  /* A wrong password is refused; the session in use stays. */
  {
    gboolean done = FALSE;
    gpointer slots[3] = { &done, NULL, NULL };

    enr_sync_engine_sign_in_async (client->engine, "clerk", "wrong-password", NULL,
                                   on_wrong_sign_in_cb, slots);
    g_assert_true (test_wait_for_flag (&done, SYNC_TIMEOUT));
    g_assert_null (slots[1]);
    g_assert_error ((GError *) slots[2], ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED);
    g_error_free (slots[2]);
    g_assert_nonnull (enr_api_client_get_token (client->client));
    g_assert_true (enr_sync_engine_get_user (client->engine) == user);
  }

  /* Signing out forgets the session here and ends it on the service. */
  {
    g_autofree char *old_token = g_strdup (enr_api_client_get_token (client->client));
    g_autoptr(JsonNode) reply = NULL;
    gboolean done = FALSE;
    gpointer slots[3] = { &done, NULL, NULL };
    guint status = 0;

    enr_sync_engine_sign_out_async (client->engine, NULL, on_signed_out_cb, slots);
    g_assert_null (enr_api_client_get_token (client->client));
    g_assert_null (enr_sync_engine_get_user (client->engine));
    g_assert_cmpint (enr_sync_engine_get_state (client->engine), ==, ENR_SYNC_STATE_SIGN_IN_NEEDED);
    g_assert_true (test_wait_for_flag (&done, SYNC_TIMEOUT));
    g_assert_no_error ((GError *) slots[2]);
    g_assert_true (GPOINTER_TO_INT (slots[1]));

    reply = test_http (service->url, "GET", "/v1/sessions/current", old_token, NULL, -1, NULL, &status);
    g_assert_cmpuint (status, ==, 401);

    g_assert_false (test_sync (client->engine, SYNC_TIMEOUT, &error));
    g_assert_error (error, ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED);
  }
}

/* A cursor the service no longer knows (410): full download, then pull. */
static void
test_cursor_gone (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrCustomer) customer = NULL;
  g_autofree char *cursor = NULL;

  g_assert_true (enr_store_delete (client->store, ENR_TYPE_CUSTOMER, "cust-0020", &error));
  g_assert_no_error (error);
  g_assert_true (enr_store_apply_changes (client->store, none, "999999999", &error));
  g_assert_no_error (error);

  sync_ok (client);

  customer = enr_store_get (client->store, ENR_TYPE_CUSTOMER, "cust-0020", &error);
  g_assert_no_error (error);
  g_assert_nonnull (customer);
  cursor = enr_store_get_cursor (client->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cursor, !=, "999999999");
}

static void
on_pending_notify_cb (EnrSyncEngine *engine,
                      GParamSpec    *pspec,
                      gpointer       user_data)
{
  gboolean *drained = user_data;

  if (enr_sync_engine_get_pending_count (engine) == 0 &&
      enr_sync_engine_get_state (engine) == ENR_SYNC_STATE_IDLE)
    *drained = TRUE;
}

/* Automatic mode: a save is sent without anyone asking. */
static void
test_automatic (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = test_new_flow ("cust-0019", CG);
  g_autoptr(EnrOperation) created = NULL;
  gboolean drained = FALSE;
  gulong pending_id, state_id;

  enr_sync_engine_set_watch_seconds (client->engine, 0);
  enr_sync_engine_start (client->engine);
  g_assert_true (enr_sync_engine_get_running (client->engine));

  pending_id = g_signal_connect (client->engine, "notify::pending-count",
                                 G_CALLBACK (on_pending_notify_cb), &drained);
  state_id = g_signal_connect (client->engine, "notify::state",
                               G_CALLBACK (on_pending_notify_cb), &drained);

  /* The first cycle of start() runs; wait for it. */
  g_assert_true (test_wait_for_flag (&drained, SYNC_TIMEOUT));
  drained = FALSE;

  test_flow_set_notes (flow, "sent by itself");
  created = client_save (client, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  g_assert_true (test_wait_for_flag (&drained, SYNC_TIMEOUT));
  assert_outbox_clear (client);
  assert_service_task (flow_task_id (flow), 1, "pending", "sent by itself");

  g_signal_handler_disconnect (client->engine, pending_id);
  g_signal_handler_disconnect (client->engine, state_id);
  enr_sync_engine_stop (client->engine);
  g_assert_false (enr_sync_engine_get_running (client->engine));
}

static void
on_cycle_finished_cb (EnrSyncEngine *engine,
                      gboolean       success,
                      gpointer       user_data)
{
  if (success)
    *(gboolean *) user_data = TRUE;
}

/* GNetworkMonitor only triggers: after a failure the next attempt waits
 * for its backoff, but a network change brings it forward. */
static void
test_network_trigger (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = test_new_flow ("cust-0021", CG);
  g_autoptr(EnrOperation) created = NULL;
  gboolean synced = FALSE;
  gulong handler;

  enr_sync_engine_set_watch_seconds (client->engine, 0);
  /* A backoff far longer than this test. */
  enr_sync_engine_set_backoff (client->engine, (gint64) 3600 * G_USEC_PER_SEC, (gint64) 3600 * G_USEC_PER_SEC);

  client_offline (client);
  created = client_save (client, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  enr_sync_engine_start (client->engine);

  /* The first attempt fails: offline. */
  {
    gint64 deadline = g_get_monotonic_time () + SYNC_TIMEOUT * 1000;

    while (enr_sync_engine_get_state (client->engine) != ENR_SYNC_STATE_OFFLINE)
      {
        gboolean never = FALSE;

        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        test_wait_for_flag (&never, 50);
      }
  }
  g_assert_cmpuint (enr_sync_engine_get_pending_count (client->engine), ==, 1);

  client_online (client);
  handler = g_signal_connect (client->engine, "cycle-finished", G_CALLBACK (on_cycle_finished_cb), &synced);
  g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", TRUE);
  g_assert_true (test_wait_for_flag (&synced, SYNC_TIMEOUT));
  g_signal_handler_disconnect (client->engine, handler);

  assert_outbox_clear (client);
  assert_service_task (flow_task_id (flow), 1, "pending", NULL);
  enr_sync_engine_stop (client->engine);
}

static void
on_cycle_counted_cb (EnrSyncEngine *engine,
                     gboolean       success,
                     gpointer       user_data)
{
  (*(guint *) user_data)++;
}

/* Waits (bounded) until @engine is in @state. */
static gboolean
wait_for_state (EnrSyncEngine *engine,
                EnrSyncState   state,
                guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (enr_sync_engine_get_state (engine) != state)
    {
      gboolean never = FALSE;

      if (g_get_monotonic_time () > deadline)
        return FALSE;
      test_wait_for_flag (&never, 20);
    }

  return TRUE;
}

static gboolean
task_cached (Client     *client,
             const char *task_id)
{
  g_autoptr(EnrServiceTask) task = enr_store_get (client->store, ENR_TYPE_SERVICE_TASK, task_id, NULL);

  return task != NULL;
}

/* Between cycles the engine watches the change feed: another client's
 * change reaches the store with no cycle, and a service that is killed
 * is noticed at once (its connection closes), with no cycle due. */
static void
test_watch (void)
{
  TestService *own = test_service_start (NULL, NULL);
  g_autoptr(Client) supervisor = client_new_at (own, "supervisor", TEST_SUPERVISOR_PASSWORD);
  g_autoptr(Client) clerk = client_new_at (own, "clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrProcessFlow) flow = test_new_flow ("cust-0023", CG);
  g_autoptr(EnrOperation) created = NULL;
  g_autoptr(GDateTime) before = NULL;
  gboolean idle = FALSE;
  guint cycles = 0;
  gulong counted, drained;

  /* No retry in this test's time: only the watch may change the state. */
  enr_sync_engine_set_backoff (supervisor->engine, (gint64) 3600 * G_USEC_PER_SEC, (gint64) 3600 * G_USEC_PER_SEC);
  drained = g_signal_connect (supervisor->engine, "cycle-finished", G_CALLBACK (on_cycle_finished_cb), &idle);
  enr_sync_engine_start (supervisor->engine);
  g_assert_true (test_wait_for_flag (&idle, SYNC_TIMEOUT));
  g_signal_handler_disconnect (supervisor->engine, drained);
  counted = g_signal_connect (supervisor->engine, "cycle-finished", G_CALLBACK (on_cycle_counted_cb), &cycles);
  before = g_date_time_ref (enr_sync_engine_get_last_success (supervisor->engine));

  /* The clerk creates a task; the supervisor's store gets it. */
  created = client_save (clerk, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL);
  sync_ok (clerk);
  {
    gint64 deadline = g_get_monotonic_time () + SYNC_TIMEOUT * 1000;

    while (!task_cached (supervisor, flow_task_id (flow)))
      {
        gboolean never = FALSE;

        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        test_wait_for_flag (&never, 20);
      }
  }
  g_assert_cmpuint (cycles, ==, 0);
  g_assert_cmpint (enr_sync_engine_get_state (supervisor->engine), ==, ENR_SYNC_STATE_IDLE);
  g_assert_cmpint (g_date_time_compare (enr_sync_engine_get_last_success (supervisor->engine), before), >=, 0);

  /* The service is killed: offline, no cycle needed to notice. */
  g_subprocess_force_exit (own->process);
  g_assert_true (g_subprocess_wait (own->process, NULL, NULL));
  g_assert_true (wait_for_state (supervisor->engine, ENR_SYNC_STATE_OFFLINE, SYNC_TIMEOUT));
  g_assert_cmpuint (cycles, ==, 0);
  g_assert_nonnull (enr_sync_engine_get_last_error (supervisor->engine));

  g_signal_handler_disconnect (supervisor->engine, counted);
  enr_sync_engine_stop (supervisor->engine);
  test_remove_tree (own->directory);
  g_clear_object (&own->process);
  g_free (own->directory);
  g_free (own->database);
  g_free (own->url);
  g_free (own);
}

/* The last sync is kept in the store: an engine made after a restart
 * knows it before any cycle. */
static void
test_last_sync_kept (void)
{
  g_autoptr(Client) client = client_new ("clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrApiClient) api = NULL;
  g_autoptr(EnrSyncEngine) later = NULL;
  g_autoptr(GError) error = NULL;
  GDateTime *synced = enr_sync_engine_get_last_success (client->engine);

  g_assert_nonnull (synced);
  api = enr_api_client_new (service->url, &error);
  g_assert_no_error (error);
  later = enr_sync_engine_new (client->store, api);
  g_assert_cmpint (enr_sync_engine_get_state (later), ==, ENR_SYNC_STATE_SIGN_IN_NEEDED);
  g_assert_nonnull (enr_sync_engine_get_last_success (later));
  g_assert_true (g_date_time_equal (enr_sync_engine_get_last_success (later), synced));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  service = test_service_start (NULL, NULL);
  supervisor_token = test_sign_in (service->url, "supervisor", TEST_SUPERVISOR_PASSWORD);

  g_test_add_func ("/sync/engine/download", test_download);
  g_test_add_func ("/sync/engine/download-pages", test_download_pages);
  g_test_add_func ("/sync/engine/download-covers-views", test_download_covers_views);
  g_test_add_func ("/sync/engine/download-stopped-search", test_download_stopped_search);
  g_test_add_func ("/sync/engine/fetch-customer", test_fetch_customer);
  g_test_add_func ("/sync/engine/batched-acks", test_batched_acks);
  g_test_add_func ("/sync/engine/offline/create", test_offline_create);
  g_test_add_func ("/sync/engine/offline/create-edit", test_offline_create_edit);
  g_test_add_func ("/sync/engine/offline/create-cancel", test_offline_create_cancel);
  g_test_add_func ("/sync/engine/offline/edit", test_offline_edit);
  g_test_add_func ("/sync/engine/offline/edit-finish", test_offline_edit_finish);
  g_test_add_func ("/sync/engine/offline/finish-canceled", test_offline_finish_canceled);
  g_test_add_func ("/sync/engine/offline/consent", test_offline_consent);
#if ENR_TEST_HAVE_CLIENT
  g_test_add_func ("/sync/engine/offline/import", test_offline_import);
#endif
  g_test_add_func ("/sync/engine/offline/two-clients", test_two_clients);
  g_test_add_func ("/sync/engine/offline/rejected", test_rejected);
  g_test_add_func ("/sync/engine/sign-in-needed", test_sign_in_needed);
  g_test_add_func ("/sync/engine/cursor-gone", test_cursor_gone);
  g_test_add_func ("/sync/engine/automatic", test_automatic);
  g_test_add_func ("/sync/engine/network-trigger", test_network_trigger);
  g_test_add_func ("/sync/engine/watch", test_watch);
  g_test_add_func ("/sync/engine/last-sync-kept", test_last_sync_kept);

  status = g_test_run ();

  g_free (supervisor_token);
  test_service_stop (service);

  return status;
}

/* test-service-server.c — the service's server in this process: group
 * commit (writes sharing a transaction, each in its own savepoint, replies
 * after COMMIT, reads flushing the open batch, a failed COMMIT refusing
 * every write) and the session cache (expiry, sign-out)
 *
 * The server runs on this thread's main loop with a SoupSession as its
 * client, so a test can look at the open batch between two requests and
 * read the database through a second connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "enr-service-loader.h"
#include "enr-service-server.h"
#include "enr-test-db.h"

#define PROBLEM(slug) "https://enrollment-desk.invalid/problems/" slug
#define TSTAT         "prog-tstat"
#define LONG_DELAY    600000   /* ms: the batch only ends when something ends it */

typedef struct
{
  SoupMessage *msg;
  GBytes      *body;
  JsonNode    *json;
  GError      *error;
  gboolean     done;
} Call;

static char *work_directory;
static char *database;
static EnrServiceStore *store;
static SoupSession *session;
static const char *expected_warning;   /* a prefix */
static guint expected_warnings_seen;

/* The service logs structured messages, which g_test_expect_message()
 * does not see: an expected warning is counted here instead. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if (expected_warning != NULL && (level & G_LOG_LEVEL_WARNING))
    for (gsize i = 0; i < n_fields; i++)
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
          g_str_has_prefix (fields[i].value, expected_warning))
        {
          expected_warnings_seen++;
          return G_LOG_WRITER_HANDLED;
        }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* Server */

static EnrServiceServer *
server_new (guint  batch_max,
            guint  batch_delay,
            gint64 session_ttl,
            char **url)
{
  g_autoptr(GError) error = NULL;
  EnrServiceConfig config;
  EnrServiceServer *server;

  enr_service_config_init (&config);
  config.rate = 0;
  config.batch_max = batch_max;
  config.batch_delay = batch_delay;
  if (session_ttl > 0)
    config.session_ttl = session_ttl;

  server = enr_service_server_new (store, &config, NULL);
  g_assert_true (enr_service_server_listen (server, "127.0.0.1:0", &error));
  g_assert_no_error (error);
  *url = enr_service_server_get_url (server);
  g_assert_nonnull (*url);

  return server;
}

static void
server_free (EnrServiceServer *server)
{
  enr_service_server_disconnect (server);
  g_object_unref (server);
  g_assert_false (enr_service_store_in_transaction (store));
}

static guint64
batches_committed (EnrServiceServer *server)
{
  guint64 batches;

  enr_service_server_get_batch_stats (server, &batches, NULL);
  return batches;
}

/* Runs the main loop until @server holds @size writes. */
static void
wait_batch_size (EnrServiceServer *server,
                 guint             size)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (enr_service_server_get_batch_size (server) < size)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (enr_service_server_get_batch_size (server), ==, size);
}

/* HTTP */

static void
call_free (Call *call)
{
  g_clear_object (&call->msg);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->json, json_node_unref);
  g_clear_error (&call->error);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Call *call = user_data;

  call->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &call->error);
  if (call->body != NULL && g_bytes_get_size (call->body) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (call->body, &size);

      if (json_parser_load_from_data (parser, data, size, NULL))
        call->json = json_parser_steal_root (parser);
    }
  call->done = TRUE;
}

/* Sends a request without waiting for its reply. */
static Call *
call_start (const char *url,
            const char *method,
            const char *path,
            const char *token,
            const char *body,
            const char *key)
{
  g_autofree char *uri = g_strconcat (url, path, NULL);
  Call *call = g_new0 (Call, 1);
  SoupMessageHeaders *headers;

  call->msg = soup_message_new (method, uri);
  g_assert_nonnull (call->msg);
  headers = soup_message_get_request_headers (call->msg);

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", key);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (call->msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (session, call->msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, call);

  return call;
}

static void
call_wait (Call *call)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!call->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_no_error (call->error);
}

static Call *
call_sync (const char *url,
           const char *method,
           const char *path,
           const char *token,
           const char *body,
           const char *key)
{
  Call *call = call_start (url, method, path, token, body, key);

  call_wait (call);
  return call;
}

static guint
status_of (Call *call)
{
  return soup_message_get_status (call->msg);
}

static const char *
header_of (Call       *call,
           const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (call->msg), name);
}

static char *
jstr (JsonNode   *root,
      const char *expression)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = json_path_query (expression, root, &error);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (result);
  if (json_array_get_length (array) == 0)
    return NULL;

  return g_strdup (json_array_get_string_element (array, 0));
}

static guint
jlen (JsonNode   *root,
      const char *expression)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = json_path_query (expression, root, &error);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (result);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);

  return json_array_get_length (json_array_get_array_element (array, 0));
}

static void
assert_problem (Call       *call,
                guint       status,
                const char *type)
{
  g_autofree char *actual = NULL;

  g_assert_cmpuint (status_of (call), ==, status);
  g_assert_nonnull (call->json);
  actual = jstr (call->json, "$.type");
  g_assert_cmpstr (actual, ==, type);
}

static char *
sign_in (const char *url,
         const char *username,
         const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
  g_autoptr(Call) call = call_sync (url, "POST", "/v1/sessions", NULL, body, NULL);

  g_assert_cmpuint (status_of (call), ==, 201);
  return jstr (call->json, "$.token");
}

static char *
communication_body (const char *customer_id,
                    const char *notes)
{
  return g_strdup_printf ("{\"customer_id\":\"%s\",\"channel\":\"phone\",\"class\":\"inquiry\","
                          "\"category\":\"verbal\",\"notes\":\"%s\"}", customer_id, notes);
}

/* The communications with @notes, read through a connection of its own:
 * what is committed. */
static int
committed_notes (const char *notes)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM communications"
                                          " WHERE json LIKE '%%\"notes\":\"%s\"%%'", notes);
  g_autofree char *count = enr_test_db_query (database, sql);

  return count != NULL ? (int) g_ascii_strtoll (count, NULL, 10) : -1;
}

/* The group commit's tests: SQLite only (PostgreSQL commits each write in
 * a transaction of its own). */
static gboolean
sqlite_only (void)
{
  if (!enr_test_db_is_postgresql ())
    return FALSE;

  g_test_skip ("SQLite only: group commit");
  return TRUE;
}

/* Tests */

/* Five writes in one batch (it commits as the fifth joins): an enrollment,
 * a second enrollment of the same customer by another clerk (409: it sees
 * the first, uncommitted, and is undone alone), a communication, the first
 * request again with the same key (replayed from the record written in
 * this very transaction) and that key with another body (422). */
static void
batch_outcomes (void)
{
  g_autofree char *url = NULL;
  EnrServiceServer *server = server_new (5, LONG_DELAY, 0, &url);
  g_autofree char *clerk = sign_in (url, "clerk", "clerk-demo-pass");
  g_autofree char *alex = sign_in (url, "alex", "alex-demo-pass");
  g_autofree char *supervisor = sign_in (url, "supervisor", "supervisor-demo-pass");
  const char *enroll = "{\"kind\":\"enrollment\",\"program_id\":\"" TSTAT "\",\"customer_id\":\"cust-0002\"}";
  const char *other = "{\"kind\":\"enrollment\",\"program_id\":\"prog-cg\",\"customer_id\":\"cust-0002\"}";
  g_autofree char *note = communication_body ("cust-0002", "batch-outcomes");
  g_autoptr(Call) first = NULL;
  g_autoptr(Call) duplicate = NULL;
  g_autoptr(Call) communication = NULL;
  g_autoptr(Call) replay = NULL;
  g_autoptr(Call) reused = NULL;
  g_autoptr(Call) view = NULL;
  g_autoptr(Call) alex_tasks = NULL;
  g_autofree char *created_by = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *view_task_id = NULL;
  guint64 batches = batches_committed (server);
  guint64 writes;

  first = call_start (url, "POST", "/v1/service-tasks", clerk, enroll, "batch-enroll");
  wait_batch_size (server, 1);
  duplicate = call_start (url, "POST", "/v1/service-tasks", alex, enroll, "batch-duplicate");
  wait_batch_size (server, 2);
  communication = call_start (url, "POST", "/v1/communications", clerk, note, "batch-note");
  wait_batch_size (server, 3);
  replay = call_start (url, "POST", "/v1/service-tasks", clerk, enroll, "batch-enroll");
  wait_batch_size (server, 4);

  /* Nothing is replied before COMMIT, nothing is visible to others. */
  g_assert_false (first->done || duplicate->done || communication->done || replay->done);
  g_assert_cmpint (committed_notes ("batch-outcomes"), ==, 0);

  reused = call_start (url, "POST", "/v1/service-tasks", clerk, other, "batch-enroll");
  call_wait (reused);
  call_wait (first);
  call_wait (duplicate);
  call_wait (communication);
  call_wait (replay);

  g_assert_cmpuint (batches_committed (server), ==, batches + 1);
  enr_service_server_get_batch_stats (server, NULL, &writes);
  g_assert_cmpuint (writes, ==, 5);

  g_assert_cmpuint (status_of (first), ==, 201);
  g_assert_null (header_of (first, "Idempotent-Replayed"));
  g_assert_cmpstr (header_of (first, "ETag"), ==, "\"1\"");
  assert_problem (duplicate, 409, PROBLEM ("duplicate-enrollment"));
  g_assert_cmpuint (status_of (communication), ==, 201);
  g_assert_cmpuint (status_of (replay), ==, 201);
  g_assert_cmpstr (header_of (replay, "Idempotent-Replayed"), ==, "true");
  g_assert_true (g_bytes_equal (first->body, replay->body));
  assert_problem (reused, 422, PROBLEM ("idempotency-key-reused"));

  /* Stored: one task (the clerk's) and the communication; alex's refused
   * enrollment left nothing. */
  g_assert_cmpint (committed_notes ("batch-outcomes"), ==, 1);
  view = call_sync (url, "GET", "/v1/customers/cust-0002", supervisor, NULL, NULL);
  g_assert_cmpuint (status_of (view), ==, 200);
  g_assert_cmpuint (jlen (view->json, "$.service_tasks"), ==, 1);
  created_by = jstr (view->json, "$.service_tasks[0].created_by");
  g_assert_cmpstr (created_by, ==, "clerk");
  task_id = jstr (first->json, "$.id");
  view_task_id = jstr (view->json, "$.service_tasks[0].id");
  g_assert_cmpstr (task_id, ==, view_task_id);
  alex_tasks = call_sync (url, "GET", "/v1/service-tasks", alex, NULL, NULL);
  g_assert_cmpuint (status_of (alex_tasks), ==, 200);
  g_assert_cmpuint (jlen (alex_tasks->json, "$.items"), ==, 0);

  server_free (server);
}

/* A read while a write waits in the open batch commits the batch first:
 * it sees the write, which is on disk by then, and never anything that is
 * not committed. */
static void
read_flushes (void)
{
  g_autofree char *url = NULL;
  EnrServiceServer *server = server_new (64, LONG_DELAY, 0, &url);
  g_autofree char *clerk = sign_in (url, "clerk", "clerk-demo-pass");
  g_autofree char *note = communication_body ("cust-0003", "read-flushes");
  g_autoptr(Call) write = NULL;
  g_autoptr(Call) read = NULL;
  g_autofree char *notes = NULL;
  guint64 batches = batches_committed (server);

  write = call_start (url, "POST", "/v1/communications", clerk, note, "read-flushes");
  wait_batch_size (server, 1);
  g_assert_false (write->done);
  g_assert_cmpint (committed_notes ("read-flushes"), ==, 0);

  read = call_sync (url, "GET", "/v1/customers/cust-0003/communications", clerk, NULL, NULL);
  g_assert_cmpuint (batches_committed (server), ==, batches + 1);
  g_assert_cmpuint (enr_service_server_get_batch_size (server), ==, 0);
  g_assert_cmpint (committed_notes ("read-flushes"), ==, 1);
  g_assert_cmpuint (status_of (read), ==, 200);
  notes = jstr (read->json, "$.items[0].notes");
  g_assert_cmpstr (notes, ==, "read-flushes");

  call_wait (write);
  g_assert_cmpuint (status_of (write), ==, 201);

  server_free (server);
}

/* A batch commits by itself: when the main loop idles (default) or after
 * the delay. */
static void
batch_commits_alone (void)
{
  const guint delays[] = { 0, 50 };

  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      g_autofree char *url = NULL;
      EnrServiceServer *server = server_new (64, delays[i], 0, &url);
      g_autofree char *clerk = sign_in (url, "clerk", "clerk-demo-pass");
      g_autofree char *notes = g_strdup_printf ("alone-%u", delays[i]);
      g_autofree char *note = communication_body ("cust-0003", notes);
      g_autoptr(Call) write = NULL;
      guint64 batches = batches_committed (server);

      write = call_sync (url, "POST", "/v1/communications", clerk, note, notes);
      g_assert_cmpuint (status_of (write), ==, 201);
      g_assert_cmpuint (batches_committed (server), ==, batches + 1);
      g_assert_cmpint (committed_notes (notes), ==, 1);

      server_free (server);
    }
}

/* COMMIT fails (here: a deferred foreign key broken behind the writes'
 * backs): every write of the batch gets 503, none was stored, and each can
 * be sent again with its key. */
static void
commit_fails (void)
{
  g_autofree char *url = NULL;
  EnrServiceServer *server = server_new (64, LONG_DELAY, 0, &url);
  g_autofree char *clerk = sign_in (url, "clerk", "clerk-demo-pass");
  g_autofree char *note1 = communication_body ("cust-0004", "commit-fails-1");
  g_autofree char *note2 = communication_body ("cust-0004", "commit-fails-2");
  g_autoptr(GError) error = NULL;
  g_autoptr(Call) first = NULL;
  g_autoptr(Call) second = NULL;
  g_autoptr(Call) again = NULL;
  guint64 batches = batches_committed (server);

  first = call_start (url, "POST", "/v1/communications", clerk, note1, "commit-fails-1");
  wait_batch_size (server, 1);
  second = call_start (url, "POST", "/v1/communications", clerk, note2, "commit-fails-2");
  wait_batch_size (server, 2);

  g_assert_true (enr_service_store_exec (store,
                                         "INSERT INTO communications (id, version, json, customer_id)"
                                         " VALUES ('comm-dangling', 1, '{}', 'cust-none')",
                                         &error));
  g_assert_no_error (error);

  expected_warning = "Committing 2 writes failed: SQLite: FOREIGN KEY constraint failed";
  expected_warnings_seen = 0;
  enr_service_server_flush (server);
  expected_warning = NULL;
  g_assert_cmpuint (expected_warnings_seen, ==, 1);
  g_assert_cmpuint (batches_committed (server), ==, batches);
  g_assert_false (enr_service_store_in_transaction (store));

  call_wait (first);
  call_wait (second);
  assert_problem (first, 503, PROBLEM ("unavailable"));
  assert_problem (second, 503, PROBLEM ("unavailable"));
  g_assert_cmpstr (header_of (first, "Retry-After"), ==, "1");
  g_assert_null (header_of (first, "ETag"));
  g_assert_null (header_of (first, "Location"));
  g_assert_cmpint (committed_notes ("commit-fails-1"), ==, 0);
  g_assert_cmpint (committed_notes ("commit-fails-2"), ==, 0);
  g_assert_false (enr_service_store_exists (store, ENR_TYPE_CUSTOMER_COMMUNICATION, "comm-dangling"));

  /* No idempotency record was kept: the same key is a new request. */
  again = call_start (url, "POST", "/v1/communications", clerk, note1, "commit-fails-1");
  wait_batch_size (server, 1);
  enr_service_server_flush (server);
  call_wait (again);
  g_assert_cmpuint (status_of (again), ==, 201);
  g_assert_null (header_of (again, "Idempotent-Replayed"));
  g_assert_cmpint (committed_notes ("commit-fails-1"), ==, 1);

  server_free (server);
}

/* Sessions are cached, yet an expired one is refused at once, and so is
 * one signed out, even while the sign-out waits in an open batch. */
static void
test_session_cache (void)
{
  g_autofree char *url = NULL;
  /* Long enough for a slow sign-in (PBKDF2 under a sanitizer, a loaded
   * machine) to be followed by two reads within the session's life. */
  EnrServiceServer *server = server_new (64, LONG_DELAY, 4, &url);
  g_autofree char *token = sign_in (url, "clerk", "clerk-demo-pass");
  g_autofree char *second = NULL;
  g_autoptr(Call) current = NULL;
  g_autoptr(Call) cached = NULL;
  g_autoptr(Call) expired = NULL;
  g_autoptr(Call) sign_out = NULL;
  g_autoptr(Call) after = NULL;
  gint64 wait_until;

  current = call_sync (url, "GET", "/v1/sessions/current", token, NULL, NULL);
  g_assert_cmpuint (status_of (current), ==, 200);
  cached = call_sync (url, "GET", "/v1/sessions/current", token, NULL, NULL);
  g_assert_cmpuint (status_of (cached), ==, 200);

  /* Sessions expire on whole seconds: wait past the lifetime and one more. */
  wait_until = g_get_real_time () + 5100 * 1000;
  while (g_get_real_time () < wait_until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  expired = call_sync (url, "GET", "/v1/sessions/current", token, NULL, NULL);
  assert_problem (expired, 401, PROBLEM ("unauthorized"));
  server_free (server);
  g_clear_pointer (&url, g_free);

  server = server_new (64, LONG_DELAY, 0, &url);
  second = sign_in (url, "clerk", "clerk-demo-pass");
  g_clear_pointer (&current, call_free);
  current = call_sync (url, "GET", "/v1/sessions/current", second, NULL, NULL);
  g_assert_cmpuint (status_of (current), ==, 200);

  sign_out = call_start (url, "DELETE", "/v1/sessions/current", second, NULL, NULL);
  if (!enr_test_db_is_postgresql ())
    wait_batch_size (server, 1);
  else
    call_wait (sign_out);
  after = call_sync (url, "GET", "/v1/sessions/current", second, NULL, NULL);
  assert_problem (after, 401, PROBLEM ("unauthorized"));
  call_wait (sign_out);
  g_assert_cmpuint (status_of (sign_out), ==, 204);

  server_free (server);
}

static void
test_batch_outcomes (void)
{
  if (!sqlite_only ())
    batch_outcomes ();
}

static void
test_read_flushes (void)
{
  if (!sqlite_only ())
    read_flushes ();
}

static void
test_batch_commits_alone (void)
{
  if (!sqlite_only ())
    batch_commits_alone ();
}

static void
test_commit_fails (void)
{
  if (!sqlite_only ())
    commit_fails ();
}

/* Always ready at the default priority: while it is attached the main
 * loop never idles (an idle source never runs). */
static gboolean
keep_busy_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* PRAGMA wal_checkpoint(TRUNCATE) through a connection of its own: TRUE
 * when it completed and left an empty WAL. */
static gboolean
checkpoint_completes (void)
{
  g_autofree char *wal = g_strconcat (database, "-wal", NULL);
  g_autofree char *busy = enr_test_db_query (database, "PRAGMA wal_checkpoint(TRUNCATE)");
  GStatBuf st;

  g_assert_nonnull (busy);
  return g_str_equal (busy, "0") && g_stat (wal, &st) == 0 && st.st_size == 0;
}

/* Runs the main loop until the store's connection holds no snapshot. */
static void
wait_snapshot_dropped (EnrDb *db)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (enr_db_holds_snapshot (db))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The reads of one request and of those after it share one snapshot,
 * which every write ends: a write, then at once a read of it, 200 times,
 * with reads in flight around both, the main loop kept from idling (so
 * the snapshot stays) and the snapshot kept as long as reads come. Each
 * read sees the write before it; one snapshot per write. The WAL stays
 * within its checkpoints; once the main loop idles the snapshot is
 * dropped and a checkpoint from another connection completes. Then with
 * the default age and the main loop never idle, the snapshot is dropped
 * on time all the same. */
static void
snapshot_reads (void)
{
  g_autofree char *url = NULL;
  g_autofree char *wal = g_strconcat (database, "-wal", NULL);
  EnrServiceServer *server;
  g_autofree char *clerk = NULL;
  EnrDb *db = enr_service_store_get_db (store);
  EnrServiceConfig config;
  guint64 snapshots;
  goffset wal_max = 0;
  guint busy_id;
  g_autoptr(Call) read = NULL;

  enr_service_config_init (&config);
  config.rate = 0;
  config.snapshot_max_age = LONG_DELAY;
  server = enr_service_server_new (store, &config, NULL);
  g_assert_true (enr_service_server_listen (server, "127.0.0.1:0", NULL));
  url = enr_service_server_get_url (server);
  clerk = sign_in (url, "clerk", "clerk-demo-pass");

  busy_id = g_idle_add_full (G_PRIORITY_DEFAULT, keep_busy_cb, NULL, NULL);
  snapshots = enr_db_count_snapshots (db);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *notes = g_strdup_printf ("snapshot-%u", i);
      g_autofree char *key = g_strdup_printf ("snapshot-key-%u", i);
      g_autofree char *body = communication_body ("cust-0007", notes);
      g_autoptr(Call) before = NULL;
      g_autoptr(Call) write = NULL;
      g_autoptr(Call) around = NULL;
      g_autoptr(Call) after = NULL;
      g_autofree char *newest = NULL;
      GStatBuf st;

      before = call_sync (url, "GET", "/v1/customers/cust-0007/communications", clerk, NULL, NULL);
      g_assert_cmpuint (status_of (before), ==, 200);
      g_assert_true (enr_db_holds_snapshot (db));

      write = call_start (url, "POST", "/v1/communications", clerk, body, key);
      around = call_start (url, "GET", "/v1/customers?q=a", clerk, NULL, NULL);
      call_wait (write);
      g_assert_cmpuint (status_of (write), ==, 201);
      after = call_sync (url, "GET", "/v1/customers/cust-0007/communications?page_size=1", clerk, NULL, NULL);
      g_assert_cmpuint (status_of (after), ==, 200);
      newest = jstr (after->json, "$.items[0].notes");
      g_assert_cmpstr (newest, ==, notes);
      call_wait (around);
      g_assert_cmpuint (status_of (around), ==, 200);

      g_assert_cmpint (g_stat (wal, &st), ==, 0);
      wal_max = MAX (wal_max, st.st_size);
    }
  g_assert_cmpuint (enr_db_count_snapshots (db) - snapshots, <=, 200 + 1);
  /* Below 1,000 pages of 4 KiB and their frame headers, where the
   * automatic checkpoint restarts it. */
  g_assert_cmpint (wal_max, <, 1100 * (4096 + 24) + 32);

  g_source_remove (busy_id);
  wait_snapshot_dropped (db);
  g_assert_true (checkpoint_completes ());
  server_free (server);

  /* The default age: dropped while the main loop never idles. */
  g_clear_pointer (&url, g_free);
  server = server_new (64, 0, 0, &url);
  busy_id = g_idle_add_full (G_PRIORITY_DEFAULT, keep_busy_cb, NULL, NULL);
  read = call_sync (url, "GET", "/v1/customers/cust-0007/communications", clerk, NULL, NULL);
  g_assert_cmpuint (status_of (read), ==, 200);
  wait_snapshot_dropped (db);
  g_assert_true (checkpoint_completes ());
  g_source_remove (busy_id);
  server_free (server);
}

static void
test_snapshot_reads (void)
{
  if (enr_test_db_is_postgresql ())
    {
      g_test_skip ("SQLite only: PostgreSQL reads take a snapshot each");
      return;
    }

  snapshot_reads ();
}

/* PostgreSQL: each write runs on a pool thread in a transaction of its
 * own and replies after its COMMIT: what a 2xx reports is visible to
 * another connection when the reply arrives. Sent at once: a second
 * enrollment of the same customer by another clerk (409: the writes of a
 * customer take turns), a communication, the first request again (its key
 * replays it) and that key with another body (422). */
static void
test_pool_outcomes (void)
{
  g_autofree char *url = NULL;
  EnrServiceServer *server = NULL;
  g_autofree char *clerk = NULL;
  g_autofree char *alex = NULL;
  const char *enroll = "{\"kind\":\"enrollment\",\"program_id\":\"" TSTAT "\",\"customer_id\":\"cust-0006\"}";
  const char *other = "{\"kind\":\"enrollment\",\"program_id\":\"prog-cg\",\"customer_id\":\"cust-0006\"}";
  g_autofree char *note = communication_body ("cust-0006", "pool-outcomes");
  g_autoptr(Call) first = NULL;
  g_autoptr(Call) duplicate = NULL;
  g_autoptr(Call) communication = NULL;
  g_autoptr(Call) replay = NULL;
  g_autoptr(Call) reused = NULL;

  if (!enr_test_db_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: SQLite groups writes (batch-outcomes)");
      return;
    }

  server = server_new (64, 0, 0, &url);
  clerk = sign_in (url, "clerk", "clerk-demo-pass");
  alex = sign_in (url, "alex", "alex-demo-pass");

  first = call_start (url, "POST", "/v1/service-tasks", clerk, enroll, "pool-enroll");
  call_wait (first);
  g_assert_cmpuint (status_of (first), ==, 201);

  duplicate = call_start (url, "POST", "/v1/service-tasks", alex, enroll, "pool-duplicate");
  communication = call_start (url, "POST", "/v1/communications", clerk, note, "pool-note");
  replay = call_start (url, "POST", "/v1/service-tasks", clerk, enroll, "pool-enroll");
  reused = call_start (url, "POST", "/v1/service-tasks", clerk, other, "pool-enroll");

  call_wait (communication);
  g_assert_cmpuint (status_of (communication), ==, 201);
  g_assert_cmpint (committed_notes ("pool-outcomes"), ==, 1);
  call_wait (duplicate);
  call_wait (replay);
  call_wait (reused);

  assert_problem (duplicate, 409, PROBLEM ("duplicate-enrollment"));
  g_assert_cmpuint (status_of (replay), ==, 201);
  g_assert_cmpstr (header_of (replay, "Idempotent-Replayed"), ==, "true");
  g_assert_true (g_bytes_equal (first->body, replay->body));
  assert_problem (reused, 422, PROBLEM ("idempotency-key-reused"));

  server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) sample = NULL;
  g_autoptr(EnrServiceLoadReport) report = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate today;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);

  work_directory = g_dir_make_tmp ("test-service-server-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *path = g_build_filename (work_directory, "service.db", NULL);

    database = enr_test_db_new (path);
  }

  store = enr_service_store_open (database, &error);
  g_assert_no_error (error);
  sample = g_file_new_build_filename (SOURCE_DATADIR, "sample", NULL);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
  g_assert_true (enr_service_load_dataset (store, sample, &today, &report, &error));
  g_assert_no_error (error);

  session = soup_session_new_with_options ("timeout", 60, "max-conns", 16, "max-conns-per-host", 16, NULL);

  g_test_add_func ("/service-server/batch-outcomes", test_batch_outcomes);
  g_test_add_func ("/service-server/read-flushes", test_read_flushes);
  g_test_add_func ("/service-server/batch-commits-alone", test_batch_commits_alone);
  g_test_add_func ("/service-server/commit-fails", test_commit_fails);
  g_test_add_func ("/service-server/session-cache", test_session_cache);
  g_test_add_func ("/service-server/snapshot-reads", test_snapshot_reads);
  g_test_add_func ("/service-server/pool-outcomes", test_pool_outcomes);

  status = g_test_run ();

  g_clear_object (&session);
  enr_service_store_close (store);
  g_clear_object (&store);

  {
    const char * const files[] = { "service.db", "service.db-wal", "service.db-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *path = g_build_filename (work_directory, files[i], NULL);

        g_unlink (path);
      }
    g_rmdir (work_directory);
  }
  g_free (database);
  g_free (work_directory);

  return status;
}

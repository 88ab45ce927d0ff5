/* sync-test-util.c — the real enrollment-service, bounded waits, fixtures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "enr-test-db.h"
#include "sync-test-util.h"

/* Service */

/* The service goes when the test goes, even when the test fails. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

TestService *
test_service_start (const char         *dataset,
                    const char * const *extra)
{
  return test_service_start_full (dataset, extra, TRUE);
}

/* @leak_check: FALSE turns LeakSanitizer off in the service (its TLS
 * threads crash LSan's tracer at exit in some builds; the service's own
 * tests check its leaks). */
TestService *
test_service_start_full (const char         *dataset,
                         const char * const *extra,
                         gboolean            leak_check)
{
  return test_service_start_on (NULL, dataset, TRUE, extra, leak_check);
}

/**
 * test_service_start_on:
 * @database: (nullable): the database file (on PostgreSQL: its schema,
 *   enr-test-db.h) of another service, to serve it too; %NULL for a new one
 * @load: whether to --load @dataset (the sample data when %NULL)
 */
TestService *
test_service_start_on (const char         *database,
                       const char         *dataset,
                       gboolean            load,
                       const char * const *extra,
                       gboolean            leak_check)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autofree char *line = NULL;
  TestService *service = g_new0 (TestService, 1);
  const char *port;

  service->directory = g_dir_make_tmp ("enr-sync-service-XXXXXX", &error);
  g_assert_no_error (error);
  service->database = database != NULL ? g_strdup (database)
                                       : g_build_filename (service->directory, "service.db", NULL);

  g_ptr_array_add (argv, g_strdup (ENROLLMENT_SERVICE_PATH));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, enr_test_db_for (service->database));
  if (load)
    {
      g_ptr_array_add (argv, g_strdup ("--load"));
      g_ptr_array_add (argv, dataset != NULL ? g_strdup (dataset) : g_build_filename (SOURCE_DATADIR, "sample", NULL));
    }
  g_ptr_array_add (argv, g_strdup ("--rate-limit"));
  g_ptr_array_add (argv, g_strdup ("0"));
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  if (!leak_check)
    {
      const char *asan = g_getenv ("ASAN_OPTIONS");
      g_autofree char *options = g_strconcat (asan != NULL ? asan : "", asan != NULL ? ":" : "",
                                              "detect_leaks=0", NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  service->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (service->process));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:") ||
                 g_str_has_prefix (line, "listening on https://127.0.0.1:"));

  service->url = g_strdup (line + strlen ("listening on "));
  port = strrchr (service->url, ':') + 1;
  service->port = (guint16) g_ascii_strtoull (port, NULL, 10);
  g_assert_cmpuint (service->port, >, 0);

  return service;
}

void
test_service_stop (TestService *service)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  g_autoptr(GError) error = NULL;

  if (service == NULL)
    return;

  g_subprocess_send_signal (service->process, SIGTERM);
  g_subprocess_wait (service->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (service->process));
  g_assert_cmpint (g_subprocess_get_exit_status (service->process), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (service->database, suffixes[i], NULL);

      if (g_str_has_prefix (service->database, service->directory))
        g_remove (path);
    }
  g_rmdir (service->directory);

  g_clear_object (&service->process);
  g_free (service->directory);
  g_free (service->database);
  g_free (service->url);
  g_free (service);
}

/* SIGKILL: the service gets no chance to finish anything. */
void
test_service_kill (TestService *service)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_force_exit (service->process);
  g_subprocess_wait (service->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (service->process));

  g_rmdir (service->directory);
  g_clear_object (&service->process);
  g_free (service->directory);
  g_free (service->database);
  g_free (service->url);
  g_free (service);
}

/* The inodes of the sockets @pid holds (its descriptors' "socket:[N]"). */
static GHashTable *
socket_inodes (const char *pid)
{
  g_autofree char *fds = g_build_filename ("/proc", pid, "fd", NULL);
  g_autoptr(GDir) dir = g_dir_open (fds, 0, NULL);
  GHashTable *inodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fds, name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:[") && g_str_has_suffix (target, "]"))
        g_hash_table_add (inodes, g_strndup (target + 8, strlen (target) - 9));
    }

  return inodes;
}

/**
 * test_service_count_connections:
 *
 * Returns: the established TCP connections @service holds on its port
 * (IPv4, from /proc/net/tcp and the process's descriptors): which
 * instance a client's kept connection, or the proxy's connection for it,
 * goes to, also when several instances share the port (--reuse-port).
 */
guint
test_service_count_connections (TestService *service)
{
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) inodes = NULL;
  const char *pid = g_subprocess_get_identifier (service->process);
  guint count = 0;

  g_assert_nonnull (pid);
  inodes = socket_inodes (pid);
  g_assert_true (g_file_get_contents ("/proc/net/tcp", &table, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (table, "\n", -1);
  /* "  sl  local_address rem_address   st … uid  timeout inode": local
   * 0100007F:PORT (hex), st 01 (established), the socket's inode tenth */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();
      const char *colon;

      for (guint j = 0; fields[j] != NULL; j++)
        if (fields[j][0] != '\0')
          g_ptr_array_add (words, fields[j]);
      if (words->len < 10)
        continue;
      colon = strchr (g_ptr_array_index (words, 1), ':');
      if (colon != NULL && g_ascii_strtoull (colon + 1, NULL, 16) == service->port &&
          g_str_equal (g_ptr_array_index (words, 3), "01") &&
          g_hash_table_contains (inodes, g_ptr_array_index (words, 9)))
        count++;
    }

  return count;
}

/* A port nobody listens on now (the kernel's pick). */
guint16
test_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static SoupSession *test_session (void);

/* HAProxy */

/**
 * test_haproxy_start:
 * @services: (element-type TestService): the instances behind it
 * @url: (out): the proxy's address
 *
 * HAProxy (Debian's haproxy) in front of @services with the configuration
 * build-aux/haproxy-config prints (one thread, leastconn, checks five times
 * a second, a request whose connection fails sent to another): what
 * build-aux/run --postgresql and build-aux/bench-service run.
 */
GSubprocess *
test_haproxy_start (GPtrArray  *services,
                    char      **url)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *config = NULL;
  int wait_status = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("enr-haproxy-XXXXXX", &error);
  g_autofree char *path = NULL;
  guint16 port = test_free_port ();
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GSubprocess *process;

  g_assert_no_error (error);
  /* build-aux/haproxy-config writes it, as for build-aux/run --postgresql
   * and the benchmark. */
  g_ptr_array_add (argv, g_strdup (ENR_HAPROXY_CONFIG_PATH));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  for (guint i = 0; i < services->len; i++)
    {
      TestService *service = g_ptr_array_index (services, i);

      g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", service->port));
    }
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &config, NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, &error));
  g_assert_no_error (error);
  path = g_build_filename (directory, "haproxy.cfg", NULL);
  g_assert_true (g_file_set_contents (path, config, -1, &error));

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, "haproxy", "-db", "-f", path, NULL);
  g_assert_no_error (error);

  *url = g_strdup_printf ("http://127.0.0.1:%u", port);

  /* Serving once a request goes through (401: no session). */
  for (;;)
    {
      g_autofree char *current = g_strconcat (*url, "/v1/sessions/current", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", current);
      g_autoptr(GBytes) reply = soup_session_send_and_read (test_session (), msg, NULL, NULL);

      if (reply != NULL && soup_message_get_status (msg) == 401)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 20);
    }

  g_remove (path);
  g_rmdir (directory);

  return process;
}

/* HTTP */

static SoupSession *
test_session (void)
{
  static SoupSession *session;

  if (session == NULL)
    session = soup_session_new_with_options ("timeout", 30, NULL);

  return session;
}

JsonNode *
test_http (const char *base_url,
           const char *method,
           const char *path,
           const char *token,
           const char *idempotency_key,
           gint64      if_match,
           const char *body,
           guint      *status)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  gsize size;
  const char *data;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (if_match >= 0)
    {
      g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", if_match);

      soup_message_headers_replace (headers, "If-Match", etag);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  reply = soup_session_send_and_read (test_session (), msg, NULL, &error);
  g_assert_no_error (error);

  if (status != NULL)
    *status = soup_message_get_status (msg);

  data = g_bytes_get_data (reply, &size);
  if (size == 0)
    return NULL;

  return json_from_string (data, NULL);
}

char *
test_sign_in (const char *base_url,
              const char *username,
              const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = test_http (base_url, "POST", "/v1/sessions", NULL, NULL, -1, body, &status);
  g_assert_cmpuint (status, ==, 201);

  return test_json_string (reply, "$.token");
}

static JsonNode *
query (JsonNode   *root,
       const char *path)
{
  g_autoptr(JsonNode) matches = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_nonnull (root);
  matches = json_path_query (path, root, &error);
  g_assert_no_error (error);
  array = json_node_get_array (matches);
  if (json_array_get_length (array) == 0)
    return NULL;

  return json_node_copy (json_array_get_element (array, 0));
}

char *
test_json_string (JsonNode   *root,
                  const char *path)
{
  g_autoptr(JsonNode) node = query (root, path);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return g_strdup (json_node_get_string (node));
}

gint64
test_json_int (JsonNode   *root,
               const char *path)
{
  g_autoptr(JsonNode) node = query (root, path);

  g_assert_nonnull (node);
  return json_node_get_int (node);
}

/* Waits */

static gboolean
on_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
test_wait_for_flag (gboolean *flag,
                    guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (20, on_tick_cb, NULL);

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  return *flag;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  gpointer  result;
} Wait;

static void
on_synced_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = enr_sync_engine_sync_finish (ENR_SYNC_ENGINE (source_object), result, &wait->error);
  wait->done = TRUE;
}

gboolean
test_sync (EnrSyncEngine  *engine,
           guint           timeout_ms,
           GError        **error)
{
  Wait wait = { 0, };

  enr_sync_engine_sync_async (engine, NULL, on_synced_cb, &wait);
  if (!test_wait_for_flag (&wait.done, timeout_ms))
    g_error ("A sync cycle took longer than %u ms", timeout_ms);

  if (!wait.ok)
    g_propagate_error (error, wait.error);

  return wait.ok;
}

/* Cycles until nothing is pending (failures are retried after their
 * backoff), within @timeout_ms. */
gboolean
test_sync_until_drained (EnrSyncEngine *engine,
                         guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      gint64 due;

      if (test_sync (engine, timeout_ms, &error) &&
          enr_sync_engine_get_pending_count (engine) == 0)
        return TRUE;

      if (error != NULL)
        g_test_message ("cycle failed (%u pending): %s",
                        enr_sync_engine_get_pending_count (engine), error->message);

      /* Wait for the earliest operation's backoff, briefly. */
      due = enr_outbox_get_next_attempt_at (enr_store_get_outbox (enr_sync_engine_get_store (engine)),
                                            enr_sync_engine_get_user (engine) != NULL
                                            ? enr_user_get_username (enr_sync_engine_get_user (engine)) : NULL,
                                            NULL);
      if (due > g_get_real_time ())
        {
          gboolean never = FALSE;

          test_wait_for_flag (&never, (guint) MIN ((due - g_get_real_time ()) / 1000 + 1, 2000));
        }
    }

  {
    EnrOutbox *outbox = enr_store_get_outbox (enr_sync_engine_get_store (engine));
    g_autoptr(GPtrArray) pending = enr_outbox_list (outbox, ENR_OPERATION_STATE_PENDING, NULL);

    g_autoptr(GPtrArray) conflicts = enr_outbox_list (outbox, ENR_OPERATION_STATE_CONFLICT, NULL);
    g_autoptr(GPtrArray) rejected = enr_outbox_list (outbox, ENR_OPERATION_STATE_REJECTED, NULL);

    for (guint i = 0; conflicts != NULL && i < conflicts->len && i < 5; i++)
      g_test_message ("in conflict: %s %s: %s",
                      enr_operation_get_method (g_ptr_array_index (conflicts, i)),
                      enr_operation_get_path (g_ptr_array_index (conflicts, i)),
                      enr_operation_get_last_error (g_ptr_array_index (conflicts, i)));
    for (guint i = 0; rejected != NULL && i < rejected->len && i < 5; i++)
      g_test_message ("rejected: %s %s: %s",
                      enr_operation_get_method (g_ptr_array_index (rejected, i)),
                      enr_operation_get_path (g_ptr_array_index (rejected, i)),
                      enr_operation_get_reason (g_ptr_array_index (rejected, i)));
    for (guint i = 0; pending != NULL && i < pending->len && i < 5; i++)
      g_test_message ("still pending: %s %s: %s",
                      enr_operation_get_method (g_ptr_array_index (pending, i)),
                      enr_operation_get_path (g_ptr_array_index (pending, i)),
                      enr_operation_get_last_error (g_ptr_array_index (pending, i)));
  }

  return FALSE;
}

static void
on_signed_in_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = enr_sync_engine_sign_in_finish (ENR_SYNC_ENGINE (source_object), result, &wait->error);
  wait->done = TRUE;
}

/* A user as the service describes a session's (for
 * enr_sync_engine_set_session() with a token from test_sign_in()). */
EnrUser *
test_user_new (const char *username,
               EnrRole     role)
{
  EnrUser *user = enr_user_new ();

  enr_entity_set_id (ENR_ENTITY (user), username);
  enr_user_set_username (user, username);
  enr_user_set_display_name (user, username);
  enr_user_set_role (user, role);
  return user;
}

EnrUser *
test_engine_sign_in (EnrSyncEngine *engine,
                     const char    *username,
                     const char    *password)
{
  Wait wait = { 0, };

  enr_sync_engine_sign_in_async (engine, username, password, NULL, on_signed_in_cb, &wait);
  g_assert_true (test_wait_for_flag (&wait.done, 20000));
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.result);

  return wait.result;
}

/* Data sets */

char *
test_generate_dataset (guint customers,
                       guint seed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("enr-sync-data-XXXXXX", &error);
  g_autofree char *count = g_strdup_printf ("%u", customers);
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  g_autoptr(GSubprocess) process = NULL;

  g_assert_no_error (error);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              ENROLLMENT_SAMPLE_DATA_PATH, "--customers", count,
                              "--seed", seed_text, "--output", directory, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&directory);
}

/* Customers with an active metered service and no subscription of
 * @program_id, in file order: free for a new enrollment task. */
GPtrArray *
test_free_customers (const char *dataset,
                     const char *program_id)
{
  g_autofree char *subscriptions_path = g_build_filename (dataset, "subscriptions.jsonl", NULL);
  g_autofree char *customers_path = g_build_filename (dataset, "customers.jsonl", NULL);
  g_autofree char *subscriptions = NULL;
  g_autofree char *customers = NULL;
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;
  GPtrArray *free_customers = g_ptr_array_new_with_free_func (g_free);

  g_file_get_contents (subscriptions_path, &subscriptions, NULL, NULL);
  g_assert_true (g_file_get_contents (customers_path, &customers, NULL, NULL));

  lines = g_strsplit (subscriptions != NULL ? subscriptions : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *program = NULL;

      if (lines[i][0] == '\0')
        continue;
      node = json_from_string (lines[i], NULL);
      program = test_json_string (node, "$.program_id");
      if (g_strcmp0 (program, program_id) == 0)
        g_hash_table_add (taken, test_json_string (node, "$.customer_id"));
    }
  g_strfreev (lines);

  lines = g_strsplit (customers, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *id = NULL;

      if (lines[i][0] == '\0')
        continue;
      node = json_from_string (lines[i], NULL);
      id = test_json_string (node, "$.id");
      if (!g_hash_table_contains (taken, id))
        g_ptr_array_add (free_customers, g_steal_pointer (&id));
    }

  return free_customers;
}

void
test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;

  if ((dir = g_dir_open (path, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR))
          test_remove_tree (child);
        else
          g_remove (child);
      }

  g_rmdir (path);
}

char *
test_store_path (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("enr-sync-store-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (directory, name, NULL);
}

/* Local work */

EnrProcessFlow *
test_new_flow (const char *customer_id,
               const char *program_id)
{
  g_autoptr(EnrServiceTask) task = enr_service_task_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *task_id = g_strconcat ("task-", uuid, NULL);
  g_autofree char *flow_id = g_uuid_string_random ();
  EnrProcessFlow *flow = enr_process_flow_new ();
  static const char * const visited[] = { "customer", NULL };

  enr_entity_set_id (ENR_ENTITY (task), task_id);
  enr_service_task_set_kind (task, ENR_TASK_KIND_ENROLLMENT);
  enr_service_task_set_status (task, ENR_TASK_STATUS_PENDING);
  enr_service_task_set_program_id (task, program_id);
  enr_service_task_set_customer_id (task, customer_id);

  enr_entity_set_id (ENR_ENTITY (flow), flow_id);
  enr_process_flow_set_service_task_id (flow, task_id);
  enr_process_flow_set_kind (flow, ENR_TASK_KIND_ENROLLMENT);
  enr_process_flow_set_status (flow, ENR_FLOW_STATUS_OPEN);
  enr_process_flow_set_current_panel (flow, ENR_PANEL_CUSTOMER);
  enr_process_flow_set_visited (flow, visited);
  enr_process_flow_set_task (flow, task);
  enr_process_flow_set_updated_at (flow, now);

  return flow;
}

void
test_flow_set_notes (EnrProcessFlow *flow,
                     const char     *notes)
{
  EnrServiceTask *task = enr_process_flow_get_task (flow);
  g_autoptr(EnrInteraction) interaction = enr_interaction_new ();
  g_autoptr(GPtrArray) interactions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  enr_interaction_set_panel (interaction, ENR_PANEL_CUSTOMER);
  enr_interaction_set_notes (interaction, notes);
  g_ptr_array_add (interactions, g_steal_pointer (&interaction));
  enr_service_task_set_interactions (task, interactions);
  enr_process_flow_set_updated_at (flow, now);
}

const char *
test_task_get_notes (EnrServiceTask *task)
{
  GPtrArray *interactions = enr_service_task_get_interactions (task);

  if (interactions == NULL || interactions->len == 0)
    return NULL;

  return enr_interaction_get_notes (g_ptr_array_index (interactions, 0));
}

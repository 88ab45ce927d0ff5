/* service-test-util.c — the real enrollment-service for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "enr-test-db.h"
#include "service-test-util.h"

#define SOCKET_TIMEOUT 60   /* seconds: a hung service fails the test, never hangs it */

typedef struct
{
  guint max_files;
} ChildSetup;

/* A failing test aborts; its servers must not outlive it. */
static void
child_setup (gpointer user_data)
{
  ChildSetup *setup = user_data;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (setup->max_files > 0)
    {
      struct rlimit limit = { setup->max_files, setup->max_files };

      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

ServiceTestServer *
service_test_server_start (const char         *database,
                           gboolean            load,
                           const char * const *extra,
                           gboolean            tls,
                           guint               max_files)
{
  return service_test_server_start_full (database, load, extra, tls, max_files, NULL);
}

ServiceTestServer *
service_test_server_start_full (const char         *database,
                                gboolean            load,
                                const char * const *extra,
                                gboolean            tls,
                                guint               max_files,
                                const char * const *environment)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autofree char *line = NULL;
  ServiceTestServer *server = g_new0 (ServiceTestServer, 1);
  ChildSetup *setup = g_new0 (ChildSetup, 1);
  const char *scheme;
  guint16 port;

  /* On PostgreSQL, a schema of its own per file name (enr-test-db.h). */
  server->database = enr_test_db_for (database);

  g_ptr_array_add (argv, g_strdup (ENROLLMENT_SERVICE_PATH));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, g_strdup (server->database));
  if (load)
    {
      g_ptr_array_add (argv, g_strdup ("--load"));
      g_ptr_array_add (argv, g_build_filename (SOURCE_DATADIR, "sample", NULL));
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  setup->max_files = max_files;
  g_subprocess_launcher_set_child_setup (launcher, child_setup, setup, g_free);
  if (tls)
    {
      const char *asan = g_getenv ("ASAN_OPTIONS");
      g_autofree char *options = g_strconcat (asan != NULL ? asan : "",
                                              asan != NULL ? ":" : "", "detect_leaks=0", NULL);

      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
    }
  for (guint i = 0; environment != NULL && environment[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (environment[i], "=", 2);

      g_assert_nonnull (pair[1]);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  server->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (server->output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:") ||
                 g_str_has_prefix (line, "listening on https://127.0.0.1:"));
  server->url = g_strdup (line + strlen ("listening on "));

  scheme = g_str_has_prefix (server->url, "https") ? "https" : "http";
  connectable = g_network_address_parse_uri (server->url, g_str_equal (scheme, "https") ? 443 : 80, &error);
  g_assert_no_error (error);
  port = g_network_address_get_port (G_NETWORK_ADDRESS (connectable));
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

    server->address = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (loopback, port));
  }

  return server;
}

void
service_test_server_free (ServiceTestServer *server)
{
  g_clear_object (&server->output);
  g_clear_object (&server->process);
  g_clear_object (&server->address);
  g_free (server->url);
  g_free (server->database);
  g_free (server);
}

/* SIGTERM: the service must shut down cleanly (and leak-free under ASan). */
void
service_test_server_stop (ServiceTestServer *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);

  service_test_server_free (server);
}

void
service_test_server_kill (ServiceTestServer *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);

  service_test_server_free (server);
}

void
service_test_server_signal (ServiceTestServer *server,
                            int                signal_number)
{
  g_subprocess_send_signal (server->process, signal_number);
}

guint
service_test_server_count_descriptors (ServiceTestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (server->process));
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  guint count = 0;

  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    count++;

  return count;
}

/* Removes @path and the files in it. */
void
service_test_remove_directory (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        service_test_remove_directory (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Raw HTTP */

GSocket *
service_test_connect (ServiceTestServer *server)
{
  return service_test_connect_from (server, NULL);
}

/* @source: a loopback address such as 127.0.0.2 to connect from (another
 * client as far as the service can tell), or NULL. */
GSocket *
service_test_connect_from (ServiceTestServer *server,
                           const char        *source)
{
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_socket_set_timeout (socket, SOCKET_TIMEOUT);
  if (source != NULL)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (source);
      g_autoptr(GSocketAddress) local = g_inet_socket_address_new (inet, 0);

      g_socket_bind (socket, local, FALSE, &error);
      g_assert_no_error (error);
    }
  g_socket_connect (socket, G_SOCKET_ADDRESS (server->address), NULL, &error);
  g_assert_no_error (error);

  return socket;
}

/* One request on a connection of its own (from @source, or NULL); the
 * response, or NULL when the service closed without one. */
ServiceTestResponse *
service_test_exchange (ServiceTestServer *server,
                       const char        *source,
                       const char        *request,
                       gssize             length)
{
  g_autoptr(GSocket) socket = service_test_connect_from (server, source);
  g_autoptr(GByteArray) pending = g_byte_array_new ();

  service_test_send (socket, request, length);
  return service_test_read_response (socket, pending);
}

void
service_test_send (GSocket    *socket,
                   const char *data,
                   gssize      length)
{
  g_autoptr(GError) error = NULL;
  gsize size = length < 0 ? strlen (data) : (gsize) length;
  gsize sent = 0;

  while (sent < size)
    {
      gssize n = g_socket_send (socket, data + sent, size - sent, NULL, &error);

      /* The service may refuse (and close) before it read everything. */
      if (n < 0 && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
                    g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)))
        return;
      g_assert_no_error (error);
      sent += n;
    }
}

/* Reads more into @pending: FALSE at the end of the stream (or a reset). */
static gboolean
receive_more (GSocket    *socket,
              GByteArray *pending)
{
  g_autoptr(GError) error = NULL;
  guint8 buffer[16384];
  gssize n = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, &error);

  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    return FALSE;
  g_assert_no_error (error);
  if (n == 0)
    return FALSE;

  g_byte_array_append (pending, buffer, n);
  return TRUE;
}

static gssize
find_blank_line (GByteArray *pending)
{
  for (guint i = 3; i < pending->len; i++)
    if (memcmp (pending->data + i - 3, "\r\n\r\n", 4) == 0)
      return i + 1;

  return -1;
}

/* One response (by its Content-Length), or NULL when the service closed
 * the connection first. Bytes after it stay in @pending. */
ServiceTestResponse *
service_test_read_response (GSocket    *socket,
                            GByteArray *pending)
{
  ServiceTestResponse *response;
  g_auto(GStrv) lines = NULL;
  gssize head_length;
  guint64 length = 0;
  const char *content_length;

  while ((head_length = find_blank_line (pending)) < 0)
    if (!receive_more (socket, pending))
      {
        g_assert_cmpuint (pending->len, ==, 0);
        return NULL;
      }

  response = g_new0 (ServiceTestResponse, 1);
  response->head = g_strndup ((const char *) pending->data, head_length - 4);
  response->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_byte_array_remove_range (pending, 0, head_length);

  lines = g_strsplit (response->head, "\r\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "HTTP/1.1 "));
  response->status = atoi (lines[0] + 9);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');

      g_assert_nonnull (colon);
      g_hash_table_replace (response->fields, g_ascii_strdown (lines[i], colon - lines[i]),
                            g_strstrip (g_strdup (colon + 1)));
    }

  content_length = service_test_response_header (response, "Content-Length");
  if (content_length != NULL)
    length = g_ascii_strtoull (content_length, NULL, 10);
  while (pending->len < length)
    g_assert_true (receive_more (socket, pending));
  response->body = g_bytes_new (pending->data, length);
  g_byte_array_remove_range (pending, 0, length);

  return response;
}

/* Whether the service closes the connection within @seconds, with no more
 * bytes than @pending has already. */
gboolean
service_test_read_eof (GSocket    *socket,
                       GByteArray *pending,
                       guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  guint before = pending->len;
  gboolean eof = FALSE;

  g_socket_set_timeout (socket, 1);
  while (!eof && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      guint8 buffer[4096];
      gssize n = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        continue;
      if (n <= 0)
        eof = TRUE;
      else
        g_byte_array_append (pending, buffer, n);
    }
  g_socket_set_timeout (socket, SOCKET_TIMEOUT);

  return eof && pending->len == before;
}

void
service_test_response_free (ServiceTestResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->head);
  g_clear_pointer (&response->fields, g_hash_table_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

const char *
service_test_response_header (ServiceTestResponse *response,
                              const char          *name)
{
  g_autofree char *key = g_ascii_strdown (name, -1);

  return g_hash_table_lookup (response->fields, key);
}

/* The problem type of an application/problem+json response; it must have
 * Cache-Control: no-store. */
char *
service_test_response_problem_type (ServiceTestResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gsize size;
  const char *data = g_bytes_get_data (response->body, &size);

  g_assert_cmpstr (service_test_response_header (response, "Content-Type"), ==, "application/problem+json");
  g_assert_cmpstr (service_test_response_header (response, "Cache-Control"), ==, "no-store");
  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (object, "status"), ==, response->status);
  g_assert_true (json_object_has_member (object, "title"));

  return g_strdup (json_object_get_string_member (object, "type"));
}

/* Runs enrollment-service with ARGS to its end; returns its exit status,
 * with what it wrote in OUT and ERR. */
int
service_test_run (const char * const  *args,
                  char               **out,
                  char               **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) ENROLLMENT_SERVICE_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  return g_subprocess_get_exit_status (process);
}

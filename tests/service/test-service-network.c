/* test-service-network.c — the real enrollment-service against a hostile
 * network: request smuggling, oversized heads, malformed paths, clients
 * that open a connection per request, slowloris, silent and idle
 * connections, connection bursts and the connection cap
 *
 * Talks raw HTTP/1.1 over plain sockets (service-test-util.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>

#include "service-test-util.h"

#define PROBLEM(slug) "https://enrollment-desk.invalid/problems/" slug

static char *work_directory;
static ServiceTestServer *main_server;
static char *clerk;

static char *
new_database (const char *name)
{
  return g_build_filename (work_directory, name, NULL);
}

static ServiceTestResponse *
exchange (ServiceTestServer *server,
          const char        *request,
          gssize             length)
{
  return service_test_exchange (server, NULL, request, length);
}

static void
assert_problem (ServiceTestResponse *response,
                guint                status,
                const char          *type)
{
  g_autofree char *actual = NULL;

  g_assert_nonnull (response);
  if (response->status != status)
    g_test_message ("%s", response->head);
  g_assert_cmpuint (response->status, ==, status);
  actual = service_test_response_problem_type (response);
  g_assert_cmpstr (actual, ==, type);
  g_assert_cmpstr (service_test_response_header (response, "Server"), ==, "enrollment-service");
}

static char *
json_member (GBytes     *body,
             const char *member)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  member));
}

static char *
sign_in (ServiceTestServer *server,
         const char        *username,
         const char        *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
  g_autofree char *request = g_strdup_printf ("POST /v1/sessions HTTP/1.1\r\nHost: t\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                                              strlen (body), body);
  g_autoptr(ServiceTestResponse) response = exchange (server, request, -1);

  g_assert_nonnull (response);
  g_assert_cmpuint (response->status, ==, 201);
  return json_member (response->body, "token");
}

/* A write with a side effect anyone can look for: a communication whose
 * notes are @notes. */
static char *
communication_request (const char *notes)
{
  g_autofree char *body = g_strdup_printf ("{\"customer_id\":\"cust-0001\",\"channel\":\"phone\","
                                           "\"class\":\"inquiry\",\"category\":\"verbal\","
                                           "\"notes\":\"%s\"}", notes);

  return g_strdup_printf ("POST /v1/communications HTTP/1.1\r\nHost: t\r\n"
                          "Authorization: Bearer %s\r\nIdempotency-Key: %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                          clerk, notes, strlen (body), body);
}

static gboolean
communication_exists (const char *notes)
{
  g_autofree char *request = g_strdup_printf ("GET /v1/customers/cust-0001/communications?page_size=100 HTTP/1.1\r\n"
                                              "Host: t\r\nAuthorization: Bearer %s\r\n\r\n", clerk);
  g_autoptr(ServiceTestResponse) response = exchange (main_server, request, -1);
  g_autofree char *quoted = g_strdup_printf ("\"notes\":\"%s\"", notes);
  g_autofree char *text = NULL;

  g_assert_nonnull (response);
  g_assert_cmpuint (response->status, ==, 200);
  text = g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));

  return strstr (text, quoted) != NULL;
}

/* Each framing attack of RFC 9112 §6.1/§6.3 gets 400 problem+json and the
 * connection is closed: the request smuggled behind it never runs. */
static void
test_smuggling (void)
{
  static const struct
  {
    const char *name;
    const char *head;    /* the first request, up to the smuggled one */
  } attacks[] = {
    { "te-and-cl",
      "POST /v1/sessions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" },
    { "cl-and-te",
      "POST /v1/sessions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" },
    { "xchunked-and-cl",
      "POST /v1/sessions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" },
    { "xchunked",
      "POST /v1/sessions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" },
    { "space-before-colon",
      "POST /v1/sessions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" },
    { "chunked-identity",
      "POST /v1/sessions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked, identity\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" },
    { "two-lengths",
      "POST /v1/sessions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Content-Length: 5\r\nContent-Length: 0\r\n\r\n0\r\n\r\n" },
    { "folded-te",
      "POST /v1/sessions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding:\r\n chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" },
    { "http10-te",
      "POST /v1/sessions HTTP/1.0\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" },
    { "bad-chunk-size",
      "POST /v1/sessions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n2x\r\n{}\r\n0\r\n\r\n" },
    { "chunk-too-long",
      "POST /v1/sessions HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n2\r\n{}  \r\n0\r\n\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autofree char *notes = g_strdup_printf ("smuggled-%s", attacks[i].name);
      g_autofree char *smuggled = communication_request (notes);
      g_autofree char *request = g_strconcat (attacks[i].head, smuggled, NULL);
      g_autoptr(GSocket) socket = service_test_connect (main_server);
      g_autoptr(GByteArray) pending = g_byte_array_new ();
      g_autoptr(ServiceTestResponse) response = NULL;

      g_test_message ("attack %s", attacks[i].name);
      service_test_send (socket, request, -1);
      response = service_test_read_response (socket, pending);
      assert_problem (response, 400, PROBLEM ("malformed-request"));
      g_assert_cmpstr (service_test_response_header (response, "Connection"), ==, "close");
      g_assert_true (service_test_read_eof (socket, pending, 30));
      g_assert_false (communication_exists (notes));
    }

  /* The same smuggled request behind a well-framed one is an ordinary
   * pipelined request and runs: the check above can fail. */
  {
    g_autofree char *legit = communication_request ("pipelined-after-chunked");
    g_autofree char *request = g_strconcat ("POST /v1/sessions HTTP/1.1\r\nHost: t\r\n"
                                            "Content-Type: application/json\r\n"
                                            "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                                            legit, NULL);
    g_autoptr(GSocket) socket = service_test_connect (main_server);
    g_autoptr(GByteArray) pending = g_byte_array_new ();
    g_autoptr(ServiceTestResponse) first = NULL;
    g_autoptr(ServiceTestResponse) second = NULL;

    service_test_send (socket, request, -1);
    first = service_test_read_response (socket, pending);
    assert_problem (first, 422, PROBLEM ("validation-failed"));
    second = service_test_read_response (socket, pending);
    g_assert_nonnull (second);
    g_assert_cmpuint (second->status, ==, 201);
    g_assert_true (communication_exists ("pipelined-after-chunked"));
  }
}

/* Heads over the limits get 431, other head errors their own status;
 * every error is problem+json with Cache-Control: no-store. */
static void
test_heads (void)
{
  g_autoptr(GString) big = g_string_new ("GET /v1/customers HTTP/1.1\r\nHost: t\r\nX-Big: ");
  g_autoptr(GString) many = g_string_new ("GET /v1/customers HTTP/1.1\r\nHost: t\r\n");
  g_autoptr(ServiceTestResponse) too_big = NULL;
  g_autoptr(ServiceTestResponse) too_many = NULL;
  g_autoptr(ServiceTestResponse) version = NULL;
  g_autoptr(ServiceTestResponse) expect = NULL;
  g_autoptr(ServiceTestResponse) no_host = NULL;
  g_autoptr(ServiceTestResponse) gzip = NULL;
  g_autoptr(ServiceTestResponse) large_body = NULL;
  g_autoptr(ServiceTestResponse) not_found = NULL;

  for (guint i = 0; i < 64 * 1024; i++)
    g_string_append_c (big, 'a');
  g_string_append (big, "\r\n\r\n");
  too_big = exchange (main_server, big->str, big->len);
  assert_problem (too_big, 431, PROBLEM ("header-fields-too-large"));

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (many, "X-%u: y\r\n", i);
  g_string_append (many, "\r\n");
  too_many = exchange (main_server, many->str, many->len);
  assert_problem (too_many, 431, PROBLEM ("header-fields-too-large"));

  version = exchange (main_server, "GET /v1/customers HTTP/2.0\r\nHost: t\r\n\r\n", -1);
  assert_problem (version, 505, PROBLEM ("http-version-not-supported"));

  expect = exchange (main_server, "GET /v1/customers HTTP/1.1\r\nHost: t\r\nExpect: 200-ok\r\n\r\n", -1);
  assert_problem (expect, 417, PROBLEM ("expectation-failed"));

  no_host = exchange (main_server, "GET /v1/customers HTTP/1.1\r\n\r\n", -1);
  assert_problem (no_host, 400, PROBLEM ("malformed-request"));

  gzip = exchange (main_server, "POST /v1/sessions HTTP/1.1\r\nHost: t\r\n"
                   "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", -1);
  assert_problem (gzip, 501, PROBLEM ("not-implemented"));

  /* What libsoup answers with the handlers: problem+json, no-store too */
  large_body = exchange (main_server, "POST /v1/sessions HTTP/1.1\r\nHost: t\r\n"
                         "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                         "Content-Length: 9000000\r\n\r\n", -1);
  assert_problem (large_body, 413, PROBLEM ("payload-too-large"));
  not_found = exchange (main_server, "GET /v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n", -1);
  assert_problem (not_found, 404, PROBLEM ("not-found"));
}

/* A NUL, invalid UTF-8, an encoded "/" or a dot segment in a path or a
 * parameter is a 400; a Range header is ignored (no bare 416). */
static void
test_targets (void)
{
  static const char *const refused[] = {
    "/v1/customers/cust%00-0001",
    "/v1/customers/cust-0001%2f..",
    "/v1/customers/cust-0001%2Fcommunications",
    "/v1/customers/%ff",
    "/v1/customers/%",
    "/v1/../v1/customers",
    "/v1/%2e%2e/v1/customers",
    "/v1/crew-shifts?from=2026-01-01%00garbage",
    "/v1/customers?q=%c3%28",
    "/v1/customers?q%00=maria",
  };
  g_autofree char *range_request = g_strdup_printf ("GET /v1/crews HTTP/1.1\r\nHost: t\r\n"
                                                    "Authorization: Bearer %s\r\n"
                                                    "Range: bytes=999999-\r\n\r\n", clerk);
  g_autoptr(ServiceTestResponse) range = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: t\r\n"
                                                  "Authorization: Bearer %s\r\n\r\n", refused[i], clerk);
      g_autoptr(ServiceTestResponse) response = exchange (main_server, request, -1);

      g_test_message ("%s", refused[i]);
      assert_problem (response, 400, PROBLEM ("invalid-parameter"));
    }

  range = exchange (main_server, range_request, -1);
  g_assert_nonnull (range);
  g_assert_cmpuint (range->status, ==, 200);
  g_assert_null (service_test_response_header (range, "Content-Range"));
  g_assert_cmpstr (service_test_response_header (range, "Server"), ==, "enrollment-service");
}

/* Run with the descriptor limit at 128: 10,000 requests, each on a
 * connection the client closes (after "Connection: close", after the
 * response, or with a reset), and the service's descriptors end where
 * they started. */
static void
test_descriptors (void)
{
  enum { N_REQUESTS = 10000 };
  const char * const args[] = { "--rate-limit=0", NULL };
  g_autofree char *database = new_database ("descriptors.db");
  ServiceTestServer *server = service_test_server_start (database, TRUE, args, FALSE, 128);
  g_autofree char *token = sign_in (server, "clerk", "clerk-demo-pass");
  g_autofree char *keep_alive = g_strdup_printf ("GET /v1/sessions/current HTTP/1.1\r\nHost: t\r\n"
                                                 "Authorization: Bearer %s\r\n\r\n", token);
  g_autofree char *close = g_strdup_printf ("GET /v1/sessions/current HTTP/1.1\r\nHost: t\r\n"
                                            "Authorization: Bearer %s\r\nConnection: close\r\n\r\n", token);
  gint64 deadline;
  guint before;
  guint after;

  before = service_test_server_count_descriptors (server);

  for (guint i = 0; i < N_REQUESTS; i++)
    {
      g_autoptr(GSocket) socket = service_test_connect (server);
      g_autoptr(GByteArray) pending = g_byte_array_new ();
      g_autoptr(ServiceTestResponse) response = NULL;

      service_test_send (socket, i % 3 == 0 ? close : keep_alive, -1);
      response = service_test_read_response (socket, pending);
      g_assert_nonnull (response);
      g_assert_cmpuint (response->status, ==, 200);

      if (i % 3 == 0)
        g_assert_true (service_test_read_eof (socket, pending, 30));
      else if (i % 3 == 2)
        {
          /* An abortive close: RST instead of FIN */
          struct linger abort_close = { 1, 0 };

          setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &abort_close, sizeof abort_close);
        }
      g_socket_close (socket, NULL);
    }

  /* The service sees the last closes in its own time. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((after = service_test_server_count_descriptors (server)) > before + 2 &&
         g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 20);

  g_test_message ("descriptors: %u before, %u after %u requests", before, after, N_REQUESTS);
  g_assert_cmpuint (after, <=, before + 2);

  service_test_server_stop (server);
}

/* Beyond --max-connections a new connection gets 503 with Retry-After and
 * is closed; once one closes, new ones are served again. */
static void
test_connection_cap (void)
{
  enum { CAP = 4 };
  const char * const args[] = { "--rate-limit=0", "--max-connections=4", NULL };
  g_autofree char *database = new_database ("cap.db");
  ServiceTestServer *server = service_test_server_start (database, FALSE, args, FALSE, 0);
  GSocket *open[CAP];
  g_autoptr(GSocket) refused = NULL;
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  g_autoptr(ServiceTestResponse) refusal = NULL;
  gint64 deadline;
  gboolean served = FALSE;

  for (guint i = 0; i < CAP; i++)
    {
      g_autoptr(GByteArray) first = g_byte_array_new ();
      g_autoptr(ServiceTestResponse) response = NULL;

      /* Each one served once, then kept open and idle */
      open[i] = service_test_connect (server);
      service_test_send (open[i], "GET /v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n", -1);
      response = service_test_read_response (open[i], first);
      g_assert_nonnull (response);
      g_assert_cmpuint (response->status, ==, 404);
    }

  refused = service_test_connect (server);
  service_test_send (refused, "GET /v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n", -1);
  refusal = service_test_read_response (refused, pending);
  assert_problem (refusal, 503, PROBLEM ("unavailable"));
  g_assert_cmpstr (service_test_response_header (refusal, "Retry-After"), ==, "1");
  g_assert_true (service_test_read_eof (refused, pending, 30));

  g_socket_close (open[0], NULL);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!served && g_get_monotonic_time () < deadline)
    {
      g_autoptr(ServiceTestResponse) response = exchange (server, "GET /v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n", -1);

      g_assert_nonnull (response);
      served = response->status == 404;
      if (!served)
        g_usleep (G_USEC_PER_SEC / 20);
    }
  g_assert_true (served);

  for (guint i = 0; i < CAP; i++)
    g_object_unref (open[i]);
  service_test_server_stop (server);
}

/* Slowloris heads are answered 408 and closed after the header timeout,
 * silent connections closed, idle keep-alive connections closed after the
 * idle timeout; ordinary requests are answered all along. */
static void
test_timeouts (void)
{
  enum { N_SLOW = 30, N_SILENT = 10 };
  const char * const args[] = { "--rate-limit=0", "--header-timeout=2", "--idle-timeout=2", NULL };
  g_autofree char *database = new_database ("timeouts.db");
  ServiceTestServer *server = service_test_server_start (database, FALSE, args, FALSE, 0);
  GSocket *slow[N_SLOW];
  GSocket *silent[N_SILENT];
  gboolean slow_closed[N_SLOW] = { FALSE, };
  g_autoptr(GSocket) idle = service_test_connect (server);
  g_autoptr(GByteArray) idle_pending = g_byte_array_new ();
  g_autoptr(ServiceTestResponse) idle_response = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint n_closed = 0;
  guint answered = 0;

  for (guint i = 0; i < N_SLOW; i++)
    {
      slow[i] = service_test_connect (server);
      service_test_send (slow[i], "GET /v1/nothing HTTP/1.1\r\n", -1);
    }
  for (guint i = 0; i < N_SILENT; i++)
    silent[i] = service_test_connect (server);

  service_test_send (idle, "GET /v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n", -1);
  idle_response = service_test_read_response (idle, idle_pending);
  g_assert_nonnull (idle_response);

  /* A header line every 100 ms never completes the head. */
  while (n_closed < N_SLOW && g_get_monotonic_time () < deadline)
    {
      g_autoptr(ServiceTestResponse) ordinary = exchange (server, "GET /v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n", -1);

      g_assert_nonnull (ordinary);
      g_assert_cmpuint (ordinary->status, ==, 404);
      answered++;

      for (guint i = 0; i < N_SLOW; i++)
        {
          g_autoptr(GByteArray) pending = g_byte_array_new ();
          g_autoptr(ServiceTestResponse) timeout = NULL;

          if (slow_closed[i])
            continue;
          if (!g_socket_condition_check (slow[i], G_IO_IN))
            {
              service_test_send (slow[i], "X-Slow: 1\r\n", -1);
              continue;
            }

          timeout = service_test_read_response (slow[i], pending);
          assert_problem (timeout, 408, PROBLEM ("request-timeout"));
          g_assert_true (service_test_read_eof (slow[i], pending, 30));
          slow_closed[i] = TRUE;
          n_closed++;
        }
      g_usleep (G_USEC_PER_SEC / 10);
    }
  g_assert_cmpuint (n_closed, ==, N_SLOW);
  g_assert_cmpuint (answered, >, 10);

  for (guint i = 0; i < N_SILENT; i++)
    {
      g_autoptr(GByteArray) pending = g_byte_array_new ();

      g_assert_true (service_test_read_eof (silent[i], pending, 30));
    }
  g_assert_true (service_test_read_eof (idle, idle_pending, 30));

  for (guint i = 0; i < N_SLOW; i++)
    g_object_unref (slow[i]);
  for (guint i = 0; i < N_SILENT; i++)
    g_object_unref (silent[i]);
  service_test_server_stop (server);
}

/* A held change-feed request (the desktop client's watch) is the
 * service's wait, not a stalled client: with header and idle timeouts far
 * shorter than its wait it is answered, and the connection serves the
 * next watch; it is closed only once idle after the answer. */
static void
test_held_change_feed (void)
{
  const char * const args[] = { "--rate-limit=0", "--header-timeout=1", "--idle-timeout=1", NULL };
  g_autofree char *database = new_database ("held.db");
  ServiceTestServer *server = service_test_server_start (database, TRUE, args, FALSE, 0);
  g_autofree char *token = sign_in (server, "supervisor", "supervisor-demo-pass");
  g_autofree char *head_request = g_strdup_printf ("GET /v1/changes?since=0&limit=1000 HTTP/1.1\r\n"
                                                   "Host: t\r\nAuthorization: Bearer %s\r\n\r\n", token);
  g_autoptr(ServiceTestResponse) head = exchange (server, head_request, -1);
  g_autoptr(GSocket) watch = service_test_connect (server);
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  g_autofree char *cursor = NULL;

  g_assert_nonnull (head);
  g_assert_cmpuint (head->status, ==, 200);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;

    json_parser_load_from_data (parser, g_bytes_get_data (head->body, NULL), g_bytes_get_size (head->body), &error);
    g_assert_no_error (error);
    cursor = g_strdup_printf ("%" G_GINT64_FORMAT,
                              json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                                          "cursor"));
  }

  /* Two watches of 3 s, one after the other on one connection. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *request = g_strdup_printf ("GET /v1/changes?since=%s&wait=3 HTTP/1.1\r\n"
                                                  "Host: t\r\nAuthorization: Bearer %s\r\n\r\n",
                                                  cursor, token);
      g_autoptr(ServiceTestResponse) answer = NULL;
      g_autofree char *body = NULL;

      service_test_send (watch, request, -1);
      answer = service_test_read_response (watch, pending);
      g_assert_nonnull (answer);
      g_assert_cmpuint (answer->status, ==, 200);
      body = g_strndup (g_bytes_get_data (answer->body, NULL), g_bytes_get_size (answer->body));
      g_assert_nonnull (strstr (body, "\"changes\":[]"));
    }

  /* Idle after its answer: closed after the idle timeout. */
  g_assert_true (service_test_read_eof (watch, pending, 30));
  service_test_server_stop (server);
}

/* The listen backlog is the system's: connections made while the service
 * is stopped all complete at once (a backlog of 10 would leave most in
 * SYN retries), and are served once it runs again. */
static void
test_backlog (void)
{
  enum { N_BURST = 100 };
  const char * const args[] = { "--rate-limit=0", NULL };
  g_autofree char *database = new_database ("backlog.db");
  ServiceTestServer *server = service_test_server_start (database, FALSE, args, FALSE, 0);
  GSocket *burst[N_BURST];

  service_test_server_signal (server, SIGSTOP);
  for (guint i = 0; i < N_BURST; i++)
    {
      g_autoptr(GError) error = NULL;

      burst[i] = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
      g_assert_no_error (error);
      g_socket_set_blocking (burst[i], FALSE);
      if (!g_socket_connect (burst[i], G_SOCKET_ADDRESS (server->address), NULL, &error))
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
    }
  for (guint i = 0; i < N_BURST; i++)
    {
      g_autoptr(GError) error = NULL;

      g_socket_set_blocking (burst[i], TRUE);
      g_socket_set_timeout (burst[i], 60);
      g_assert_true (g_socket_condition_timed_wait (burst[i], G_IO_OUT, 900 * 1000, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_socket_check_connect_result (burst[i], &error));
      g_assert_no_error (error);
    }
  service_test_server_signal (server, SIGCONT);

  for (guint i = 0; i < N_BURST; i++)
    {
      g_autoptr(GByteArray) pending = g_byte_array_new ();
      g_autoptr(ServiceTestResponse) response = NULL;

      service_test_send (burst[i], "GET /v1/nothing HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", -1);
      response = service_test_read_response (burst[i], pending);
      g_assert_nonnull (response);
      g_assert_cmpuint (response->status, ==, 404);
      g_object_unref (burst[i]);
    }

  service_test_server_stop (server);
}

/* A keep-alive connection waits for its next request with the watch it
 * waited for the first one with: GLib wakes its main loop each time a
 * descriptor is added or removed, so making one per request cost two
 * wake-ups (ENR_SERVICE_COUNT_TRAFFIC says how many were made). A client
 * that sends its next request before the response is still answered in
 * order. */
static void
test_read_watches (void)
{
  const char * const args[] = { "--rate-limit=0", NULL };
  const char * const environment[] = { "ENR_SERVICE_COUNT_TRAFFIC=1", NULL };
  const char *request = "GET /v1/no-such-route HTTP/1.1\r\nHost: t\r\n\r\n";
  g_autofree char *database = new_database ("read-watches.db");
  g_autofree char *two = g_strconcat (request, request, NULL);
  ServiceTestServer *server = service_test_server_start_full (database, FALSE, args, FALSE, 0, environment);
  g_autoptr(GSocket) socket = service_test_connect (server);
  g_autoptr(GByteArray) pending = g_byte_array_new ();

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(ServiceTestResponse) response = NULL;

      service_test_send (socket, request, -1);
      response = service_test_read_response (socket, pending);
      g_assert_nonnull (response);
      g_assert_cmpuint (response->status, ==, 404);
      g_assert_cmpstr (service_test_response_header (response, "Enr-Read-Watches"), ==, "1");
    }

  /* Pipelined: both answered, in order, on the same connection. */
  service_test_send (socket, two, -1);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(ServiceTestResponse) response = service_test_read_response (socket, pending);

      g_assert_nonnull (response);
      g_assert_cmpuint (response->status, ==, 404);
      g_assert_nonnull (service_test_response_header (response, "Enr-Read-Watches"));
    }

  g_socket_close (socket, NULL);
  service_test_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char * const unlimited[] = { "--rate-limit=0", NULL };
  g_autofree char *database = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  work_directory = g_dir_make_tmp ("test-service-network-XXXXXX", &error);
  g_assert_no_error (error);

  database = new_database ("main.db");
  main_server = service_test_server_start (database, TRUE, unlimited, FALSE, 0);
  clerk = sign_in (main_server, "clerk", "clerk-demo-pass");

  g_test_add_func ("/service-network/smuggling", test_smuggling);
  g_test_add_func ("/service-network/heads", test_heads);
  g_test_add_func ("/service-network/targets", test_targets);
  g_test_add_func ("/service-network/descriptors", test_descriptors);
  g_test_add_func ("/service-network/connection-cap", test_connection_cap);
  g_test_add_func ("/service-network/timeouts", test_timeouts);
  g_test_add_func ("/service-network/held-change-feed", test_held_change_feed);
  g_test_add_func ("/service-network/backlog", test_backlog);
  g_test_add_func ("/service-network/read-watches", test_read_watches);

  status = g_test_run ();

  service_test_server_stop (main_server);
  g_free (clerk);
  service_test_remove_directory (work_directory);
  g_free (work_directory);

  return status;
}

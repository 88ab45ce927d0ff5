/* test-service-throttle.c — the real enrollment-service against guessing
 * and flooding: the rate limit's keys (the peer address before
 * authentication, the session after it, never an unverified token)
 *
 * Clients at different addresses connect from 127.0.0.x.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "service-test-util.h"

#define PROBLEM(slug) "https://enrollment-desk.invalid/problems/" slug

static char *work_directory;

static char *
new_database (const char *name)
{
  return g_build_filename (work_directory, name, NULL);
}

static void
assert_problem (ServiceTestResponse *response,
                guint                status,
                const char          *type)
{
  g_autofree char *actual = NULL;

  g_assert_nonnull (response);
  if (response->status != status)
    g_test_message ("%s\n%.*s", response->head, (int) g_bytes_get_size (response->body),
                    (const char *) g_bytes_get_data (response->body, NULL));
  g_assert_cmpuint (response->status, ==, status);
  actual = service_test_response_problem_type (response);
  g_assert_cmpstr (actual, ==, type);
}

static char *
get_request (const char *path,
             const char *token)
{
  if (token == NULL)
    return g_strdup_printf ("GET %s HTTP/1.1\r\nHost: t\r\n\r\n", path);

  return g_strdup_printf ("GET %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n", path, token);
}

static ServiceTestResponse *
sign_in_from (ServiceTestServer *server,
              const char        *source,
              const char        *username,
              const char        *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
  g_autofree char *request = g_strdup_printf ("POST /v1/sessions HTTP/1.1\r\nHost: t\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                                              strlen (body), body);

  return service_test_exchange (server, source, request, -1);
}

static char *
token_of (ServiceTestResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (response->body, &size);

  g_assert_cmpuint (response->status, ==, 201);
  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);

  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "token"));
}

/* A fresh made-up token for every request is limited like no token at
 * all (by the sender's address); a real session has a bucket of its own,
 * and so has another address. */
static void
test_rate_limit_keys (void)
{
  enum { N_FLOOD = 20 };
  const char * const args[] = { "--rate-limit=1", "--rate-burst=4", NULL };
  g_autofree char *database = new_database ("rate.db");
  ServiceTestServer *server = service_test_server_start (database, TRUE, args, FALSE, 0);
  g_autoptr(ServiceTestResponse) signed_in = sign_in_from (server, "127.0.0.1", "clerk", "clerk-demo-pass");
  g_autofree char *clerk = token_of (signed_in);
  g_autofree char *crews = get_request ("/v1/crews", clerk);
  g_autofree char *anonymous = get_request ("/v1/nothing", NULL);
  g_autoptr(ServiceTestResponse) session = NULL;
  g_autoptr(ServiceTestResponse) elsewhere = NULL;
  guint limited = 0;
  guint session_limited = 0;

  for (guint i = 0; i < N_FLOOD; i++)
    {
      g_autofree char *token = g_uuid_string_random ();
      g_autofree char *request = get_request ("/v1/crews", token);
      g_autoptr(ServiceTestResponse) response = service_test_exchange (server, "127.0.0.5", request, -1);

      g_assert_nonnull (response);
      if (response->status == 429)
        {
          assert_problem (response, 429, PROBLEM ("rate-limited"));
          g_assert_nonnull (service_test_response_header (response, "Retry-After"));
          limited++;
        }
      else
        assert_problem (response, 401, PROBLEM ("unauthorized"));
    }
  /* The burst of 4 and at most a few refills while the flood ran */
  g_test_message ("%u of %u random tokens limited", limited, N_FLOOD);
  g_assert_cmpuint (limited, >=, N_FLOOD / 2);

  /* The flooded address still serves a real session, and another
   * address is not affected. */
  session = service_test_exchange (server, "127.0.0.5", crews, -1);
  g_assert_cmpuint (session->status, ==, 200);
  elsewhere = service_test_exchange (server, "127.0.0.6", anonymous, -1);
  assert_problem (elsewhere, 404, PROBLEM ("not-found"));

  /* A session is limited too, from wherever it comes */
  for (guint i = 0; i < N_FLOOD; i++)
    {
      g_autofree char *source = g_strdup_printf ("127.0.1.%u", i + 1);
      g_autoptr(ServiceTestResponse) response = service_test_exchange (server, source, crews, -1);

      g_assert_nonnull (response);
      if (response->status == 429)
        session_limited++;
      else
        g_assert_cmpuint (response->status, ==, 200);
    }
  g_assert_cmpuint (session_limited, >=, N_FLOOD / 2);

  service_test_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  work_directory = g_dir_make_tmp ("test-service-throttle-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/service-throttle/rate-limit-keys", test_rate_limit_keys);

  status = g_test_run ();

  service_test_remove_directory (work_directory);
  g_free (work_directory);

  return status;
}

/* test-service-throttle.c — the real enrollment-service against guessing
 * and flooding: sign-in throttling (growing delays, then a lock with 429
 * and Retry-After, audited, that expires; per account and per address; a
 * user's known address is not locked out), and the rate limit's keys (the
 * peer address before authentication, the session after it, never an
 * unverified token)
 *
 * Clients at different addresses connect from 127.0.0.x. The servers run
 * with the test-only short sign-in durations (--sign-in-delay-ms=200: delays
 * of 200 ms, at most a quarter of a lock; --sign-in-lock=5: locks of 5 s,
 * long enough that a loaded machine still sees a lock before it runs out,
 * 60 s where a test must not see one run out at all).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "service-test-util.h"

#include "enr-test-db.h"

#define PROBLEM(slug) "https://enrollment-desk.invalid/problems/" slug
#define ACCOUNT_LOCK  10    /* failures that lock an account */
#define ADDRESS_LOCK  50    /* failures that lock an address */
#define RATE_LIMIT    0.2   /* requests a second, in the rate limit's test */
#define RATE_BURST    4
#define SHORT_LOCK    5     /* seconds: a lock a test waits to see expire */

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

static char *
sign_in_request (const char *username,
                 const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);

  return g_strdup_printf ("POST /v1/sessions HTTP/1.1\r\nHost: t\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                          strlen (body), body);
}

static ServiceTestResponse *
sign_in_from (ServiceTestServer *server,
              const char        *source,
              const char        *username,
              const char        *password)
{
  g_autofree char *request = sign_in_request (username, password);

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

static const char * const short_durations[] = {
  "--rate-limit=0", "--sign-in-delay-ms=200", "--sign-in-lock=" G_STRINGIFY (SHORT_LOCK), NULL,
};

typedef struct
{
  guint rejected;     /* 401 */
  guint delayed;      /* 429 sign-in-delayed */
} Attempts;

/* Wrong passwords from @source until the sign-in is locked, for
 * @username or (NULL) a new user name each time, two at once: while the
 * first one's password is checked, the second must wait its delay (once
 * the free failures are used up). Waits out each delay (Retry-After is
 * whole seconds; the test delays are shorter). */
static Attempts
guess_until_locked (ServiceTestServer *server,
                    const char        *source,
                    const char        *username,
                    guint              max_rejected)
{
  gint64 deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  Attempts attempts = { 0, 0 };
  guint n = 0;

  for (;;)
    {
      GSocket *sockets[2];
      gboolean waited = FALSE;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
        {
          g_autofree char *name = username != NULL ? g_strdup (username) : g_strdup_printf ("nobody-%u", n++);
          g_autofree char *request = sign_in_request (name, "not-the-password");

          sockets[i] = service_test_connect_from (server, source);
          service_test_send (sockets[i], request, -1);
        }

      for (guint i = 0; i < G_N_ELEMENTS (sockets); i++)
        {
          g_autoptr(GByteArray) pending = g_byte_array_new ();
          g_autoptr(ServiceTestResponse) response = service_test_read_response (sockets[i], pending);
          g_autofree char *type = NULL;

          g_clear_object (&sockets[i]);
          g_assert_nonnull (response);
          if (response->status == 401)
            {
              assert_problem (response, 401, PROBLEM ("invalid-credentials"));
              attempts.rejected++;
              g_assert_cmpuint (attempts.rejected, <=, max_rejected);
              continue;
            }

          g_assert_cmpuint (response->status, ==, 429);
          g_assert_cmpuint (atoi (service_test_response_header (response, "Retry-After")), >=, 1);
          type = service_test_response_problem_type (response);
          if (g_str_equal (type, PROBLEM ("sign-in-locked")))
            {
              for (guint j = i + 1; j < G_N_ELEMENTS (sockets); j++)
                g_clear_object (&sockets[j]);
              return attempts;
            }
          g_assert_cmpstr (type, ==, PROBLEM ("sign-in-delayed"));
          attempts.delayed++;
          waited = TRUE;
        }

      if (waited)
        g_usleep (G_USEC_PER_SEC / 50);
    }
}

static guint
count_audit (ServiceTestServer *server,
             const char        *entity_type,
             const char        *entity_id)
{
  g_autofree char *sql = NULL;
  g_autofree char *count = NULL;

  /* The values are the test's own: no quote in them. */
  g_assert_null (strchr (entity_type, '\''));
  g_assert_null (strchr (entity_id, '\''));
  sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE action = 'lock sign-in'"
                         " AND entity_type = '%s' AND entity_id = '%s' AND status = 429",
                         entity_type, entity_id);
  count = enr_test_db_query (server->database, sql);
  g_assert_nonnull (count);

  return (guint) g_ascii_strtoull (count, NULL, 10);
}

/* Wrong passwords for one account: a few free ones, then delays, then a
 * lock (audited) that even the right password cannot pass, from anywhere
 * the user never signed in; once it expires the right password works and
 * the failures are forgotten. */
static void
test_account_lockout (void)
{
  g_autofree char *database = new_database ("lockout.db");
  ServiceTestServer *server = service_test_server_start (database, TRUE, short_durations, FALSE, 0);
  g_autoptr(ServiceTestResponse) locked_right = NULL;
  g_autoptr(ServiceTestResponse) locked_elsewhere = NULL;
  g_autoptr(ServiceTestResponse) after = NULL;
  g_autoptr(ServiceTestResponse) forgotten = NULL;
  gint64 deadline;
  Attempts attempts;

  attempts = guess_until_locked (server, "127.0.0.2", "clerk", ACCOUNT_LOCK);
  g_assert_cmpuint (attempts.rejected, ==, ACCOUNT_LOCK);
  g_assert_cmpuint (attempts.delayed, >, 0);
  g_assert_cmpuint (count_audit (server, "account", "clerk"), ==, 1);

  locked_right = sign_in_from (server, "127.0.0.2", "clerk", "clerk-demo-pass");
  assert_problem (locked_right, 429, PROBLEM ("sign-in-locked"));
  g_assert_cmpuint (atoi (service_test_response_header (locked_right, "Retry-After")), <=, SHORT_LOCK + 1);
  locked_elsewhere = sign_in_from (server, "127.0.0.3", "clerk", "clerk-demo-pass");
  assert_problem (locked_elsewhere, 429, PROBLEM ("sign-in-locked"));

  /* The lock expires */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (after == NULL || after->status == 429)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_clear_pointer (&after, service_test_response_free);
      g_usleep (G_USEC_PER_SEC / 10);
      after = sign_in_from (server, "127.0.0.3", "clerk", "clerk-demo-pass");
    }
  g_assert_cmpuint (after->status, ==, 201);

  /* The sign-in forgot the failures: a typo is a plain 401 again. */
  forgotten = sign_in_from (server, "127.0.0.2", "clerk", "typo");
  assert_problem (forgotten, 401, PROBLEM ("invalid-credentials"));

  service_test_server_stop (server);
}

/* Someone guessing a user's password from elsewhere locks the account for
 * everyone but the user at an address the user signed in from; the user
 * signing in there does not lift the lock for the others. The lock is
 * longer than the others' here: the user's password check must not
 * outlast it, however slow the machine. */
static void
test_known_address (void)
{
  const char * const args[] = { "--rate-limit=0", "--sign-in-delay-ms=200", "--sign-in-lock=60", NULL };
  g_autofree char *database = new_database ("known.db");
  ServiceTestServer *server = service_test_server_start (database, TRUE, args, FALSE, 0);
  g_autoptr(ServiceTestResponse) before = sign_in_from (server, "127.0.0.1", "alex", "alex-demo-pass");
  g_autoptr(ServiceTestResponse) attacker = NULL;
  g_autoptr(ServiceTestResponse) stranger = NULL;
  g_autoptr(ServiceTestResponse) user = NULL;
  g_autoptr(ServiceTestResponse) still_locked = NULL;
  Attempts attempts;

  g_assert_cmpuint (before->status, ==, 201);

  attempts = guess_until_locked (server, "127.0.0.4", "alex", ACCOUNT_LOCK);
  g_assert_cmpuint (attempts.rejected, ==, ACCOUNT_LOCK);

  attacker = sign_in_from (server, "127.0.0.4", "alex", "alex-demo-pass");
  assert_problem (attacker, 429, PROBLEM ("sign-in-locked"));
  stranger = sign_in_from (server, "127.0.0.5", "alex", "alex-demo-pass");
  assert_problem (stranger, 429, PROBLEM ("sign-in-locked"));
  user = sign_in_from (server, "127.0.0.1", "alex", "alex-demo-pass");
  g_assert_cmpuint (user->status, ==, 201);

  /* The next guess meets the lock, not a fresh set of free attempts. */
  still_locked = sign_in_from (server, "127.0.0.5", "alex", "still-guessing");
  assert_problem (still_locked, 429, PROBLEM ("sign-in-locked"));

  service_test_server_stop (server);
}

/* One address trying many user names, each only once, is locked by its
 * own count; other addresses are not. */
static void
test_address_lockout (void)
{
  g_autofree char *database = new_database ("address.db");
  ServiceTestServer *server = service_test_server_start (database, TRUE, short_durations, FALSE, 0);
  g_autoptr(ServiceTestResponse) right = NULL;
  g_autoptr(ServiceTestResponse) other = NULL;
  Attempts attempts;

  attempts = guess_until_locked (server, "127.0.0.6", NULL, ADDRESS_LOCK);
  g_assert_cmpuint (attempts.rejected, ==, ADDRESS_LOCK);
  g_assert_cmpuint (attempts.delayed, >, 0);
  g_assert_cmpuint (count_audit (server, "address", "127.0.0.6"), ==, 1);

  right = sign_in_from (server, "127.0.0.6", "clerk", "clerk-demo-pass");
  assert_problem (right, 429, PROBLEM ("sign-in-locked"));
  other = sign_in_from (server, "127.0.0.7", "clerk", "clerk-demo-pass");
  g_assert_cmpuint (other->status, ==, 201);

  service_test_server_stop (server);
}

/* At most how many of the requests sent since @start a bucket of
 * RATE_BURST refilled at RATE_LIMIT a second lets through. */
static guint
rate_allows (gint64 start)
{
  double elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  return RATE_BURST + (guint) ceil (elapsed * RATE_LIMIT);
}

/* A fresh made-up token for every request is limited like no token at
 * all (by the sender's address); a real session has a bucket of its own,
 * and so has another address. The rate is low enough that a slow machine
 * sees the same: a bucket per token would let all of them through. */
static void
test_rate_limit_keys (void)
{
  enum { N_FLOOD = 20 };
  const char * const args[] = { "--rate-limit=" G_STRINGIFY (RATE_LIMIT),
                                "--rate-burst=" G_STRINGIFY (RATE_BURST), NULL };
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
  gint64 start = g_get_monotonic_time ();
  gint64 session_start;

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
  /* The burst and the refills while the flood ran, no more */
  g_test_message ("%u of %u random tokens limited", limited, N_FLOOD);
  g_assert_cmpuint (N_FLOOD - limited, <=, rate_allows (start));

  /* The flooded address still serves a real session, and another
   * address is not affected. */
  session_start = g_get_monotonic_time ();
  session = service_test_exchange (server, "127.0.0.5", crews, -1);
  g_assert_cmpuint (session->status, ==, 200);
  elsewhere = service_test_exchange (server, "127.0.0.6", anonymous, -1);
  assert_problem (elsewhere, 404, PROBLEM ("not-found"));

  /* A session is limited too, from wherever it comes (its bucket gave
   * one request above) */
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
  g_assert_cmpuint (1 + N_FLOOD - session_limited, <=, rate_allows (session_start));

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

  g_test_add_func ("/service-throttle/account-lockout", test_account_lockout);
  g_test_add_func ("/service-throttle/known-address", test_known_address);
  g_test_add_func ("/service-throttle/address-lockout", test_address_lockout);
  g_test_add_func ("/service-throttle/rate-limit-keys", test_rate_limit_keys);

  status = g_test_run ();

  service_test_remove_directory (work_directory);
  g_free (work_directory);

  return status;
}

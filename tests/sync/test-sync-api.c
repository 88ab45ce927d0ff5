/* test-sync-api.c — the API client: decoders, backoff, errors, a lying
 * server, TLS verification, the real service's error statuses, and
 * libsoup's restart race
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "enr-backoff.h"
#include "sync-test-util.h"

#define TIMEOUT 20000

static TestService *service;

/* Backoff */

static void
test_backoff (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  static gint64 delays[64];
  const gint64 base = G_USEC_PER_SEC, cap = 300 * G_USEC_PER_SEC;

  g_assert_cmpint (enr_backoff_ceiling (0, base, cap), ==, base);
  g_assert_cmpint (enr_backoff_ceiling (1, base, cap), ==, 2 * base);
  g_assert_cmpint (enr_backoff_ceiling (5, base, cap), ==, 32 * base);
  g_assert_cmpint (enr_backoff_ceiling (8, base, cap), ==, 256 * base);
  g_assert_cmpint (enr_backoff_ceiling (9, base, cap), ==, cap);
  g_assert_cmpint (enr_backoff_ceiling (1000, base, cap), ==, cap);
  g_assert_cmpint (enr_backoff_ceiling (3, 0, cap), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      delays[i] = enr_backoff_delay (4, base, cap, 0, rand);
      g_assert_cmpint (delays[i], >=, 0);
      g_assert_cmpint (delays[i], <=, 16 * base);
      g_hash_table_add (seen, &delays[i]);
    }
  /* Full jitter: spread, not one value. */
  g_assert_cmpuint (g_hash_table_size (seen), >, 32);

  /* Never sooner than Retry-After, and Retry-After is capped. */
  for (guint i = 0; i < 16; i++)
    g_assert_cmpint (enr_backoff_delay (0, base, cap, 7, rand), >=, 7 * G_USEC_PER_SEC);
  g_assert_cmpint (enr_backoff_delay (0, 0, 0, 1000000, rand), ==,
                   (gint64) ENR_BACKOFF_MAX_RETRY_AFTER * G_USEC_PER_SEC);
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 27, 12, 0, 0);
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 30);
  g_autoptr(GDateTime) earlier = g_date_time_add_seconds (now, -30);
  g_autofree char *later_text = g_date_time_format (later, "%a, %d %b %Y %H:%M:%S GMT");
  g_autofree char *earlier_text = g_date_time_format (earlier, "%a, %d %b %Y %H:%M:%S GMT");
  guint seconds = 99;

  g_assert_true (enr_backoff_parse_retry_after ("120", now, &seconds));
  g_assert_cmpuint (seconds, ==, 120);
  g_assert_true (enr_backoff_parse_retry_after (" 5 ", now, &seconds));
  g_assert_cmpuint (seconds, ==, 5);
  g_assert_true (enr_backoff_parse_retry_after ("0", now, &seconds));
  g_assert_cmpuint (seconds, ==, 0);
  g_assert_true (enr_backoff_parse_retry_after ("99999999999999", now, &seconds));
  g_assert_cmpuint (seconds, ==, ENR_BACKOFF_MAX_RETRY_AFTER);
  g_assert_true (enr_backoff_parse_retry_after (later_text, now, &seconds));
  g_assert_cmpuint (seconds, ==, 30);
  g_assert_true (enr_backoff_parse_retry_after (earlier_text, now, &seconds));
  g_assert_cmpuint (seconds, ==, 0);

  seconds = 99;
  g_assert_false (enr_backoff_parse_retry_after (NULL, now, &seconds));
  g_assert_false (enr_backoff_parse_retry_after ("", now, &seconds));
  g_assert_false (enr_backoff_parse_retry_after ("-1", now, &seconds));
  g_assert_false (enr_backoff_parse_retry_after ("soon", now, &seconds));
  g_assert_false (enr_backoff_parse_retry_after ("12abc", now, &seconds));
  g_assert_cmpuint (seconds, ==, 99);
}

static void
test_etag (void)
{
  static const struct
  {
    const char *value;
    gboolean    ok;
    gint64      version;
  } cases[] = {
    { "\"7\"", TRUE, 7 },
    { "W/\"3\"", TRUE, 3 },
    { "\"0\"", TRUE, 0 },
    { "7", FALSE, 0 },
    { "\"\"", FALSE, 0 },
    { "\"-1\"", FALSE, 0 },
    { "\"1 \"", FALSE, 0 },
    { "\"99999999999999999999\"", FALSE, 0 },
    { "W/", FALSE, 0 },
    { NULL, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 version = -5;

      g_assert_cmpint (enr_api_parse_etag (cases[i].value, &version), ==, cases[i].ok);
      g_assert_cmpint (version, ==, cases[i].ok ? cases[i].version : -5);
    }
}

static void
test_error_codes (void)
{
  static const struct
  {
    guint       status;
    EnrApiError code;
    gboolean    transient;
  } cases[] = {
    { 400, ENR_API_ERROR_INVALID, FALSE },
    { 401, ENR_API_ERROR_UNAUTHORIZED, FALSE },
    { 403, ENR_API_ERROR_FORBIDDEN, FALSE },
    { 404, ENR_API_ERROR_NOT_FOUND, FALSE },
    { 405, ENR_API_ERROR_INVALID, FALSE },
    { 409, ENR_API_ERROR_CONFLICT, FALSE },
    { 410, ENR_API_ERROR_GONE, FALSE },
    { 412, ENR_API_ERROR_PRECONDITION_FAILED, FALSE },
    { 413, ENR_API_ERROR_TOO_LARGE, FALSE },
    { 415, ENR_API_ERROR_INVALID, FALSE },
    { 422, ENR_API_ERROR_INVALID, FALSE },
    { 428, ENR_API_ERROR_PRECONDITION_REQUIRED, FALSE },
    { 429, ENR_API_ERROR_RATE_LIMITED, TRUE },
    { 500, ENR_API_ERROR_SERVER, TRUE },
    { 503, ENR_API_ERROR_SERVER, TRUE },
    { 302, ENR_API_ERROR_PROTOCOL, TRUE },
    { 100, ENR_API_ERROR_PROTOCOL, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (ENR_API_ERROR, enr_api_error_from_status (cases[i].status), "x");

      g_assert_cmpint (error->code, ==, cases[i].code);
      g_assert_cmpint (enr_api_error_is_transient (error), ==, cases[i].transient);
    }

  {
    g_autoptr(GError) network = g_error_new_literal (ENR_API_ERROR, ENR_API_ERROR_NETWORK, "x");
    g_autoptr(GError) timeout = g_error_new_literal (ENR_API_ERROR, ENR_API_ERROR_TIMEOUT, "x");
    g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

    g_assert_true (enr_api_error_is_transient (network));
    g_assert_true (enr_api_error_is_transient (timeout));
    g_assert_false (enr_api_error_is_transient (other));
    g_assert_false (enr_api_error_is_transient (NULL));
  }
}

static void
test_base_url (void)
{
  static const struct
  {
    const char *url;
    const char *normalized;
  } cases[] = {
    { "https://enroll.example.com", "https://enroll.example.com" },
    { "https://enroll.example.com:8443/api/", "https://enroll.example.com:8443/api" },
    { "http://127.0.0.1:8765", "http://127.0.0.1:8765" },
    { "http://localhost:8765/", "http://localhost:8765" },
    { "http://[::1]:8765", "http://[::1]:8765" },
    { "http://enroll.example.com", NULL },
    { "http://10.0.0.5:8765", NULL },
    { "ftp://enroll.example.com", NULL },
    { "https://enroll.example.com/?debug=1", NULL },
    { "https://user:secret@enroll.example.com", NULL },
    { "enroll.example.com", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EnrApiClient) client = enr_api_client_new (cases[i].url, &error);

      if (cases[i].normalized != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (enr_api_client_get_base_url (client), ==, cases[i].normalized);
        }
      else
        {
          g_assert_error (error, ENR_API_ERROR, ENR_API_ERROR_INVALID);
          g_assert_null (client);
        }
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EnrApiClient) client = enr_api_client_new ("https://enroll.example.com", &error);

    g_assert_no_error (error);
    g_assert_false (enr_api_client_set_base_url (client, "http://enroll.example.com", &error));
    g_assert_error (error, ENR_API_ERROR, ENR_API_ERROR_INVALID);
    g_assert_cmpstr (enr_api_client_get_base_url (client), ==, "https://enroll.example.com");
    g_assert_cmpstr (enr_api_client_get_user_agent (client), ==, "enrollment-desk/" PACKAGE_VERSION);
    g_assert_cmpuint (enr_api_client_get_timeout (client), ==, ENR_API_DEFAULT_TIMEOUT);
  }
}

/* Decoders */

#define TASK_JSON \
  "{\"id\":\"t1\",\"kind\":\"enrollment\",\"status\":\"pending\",\"program_id\":\"prog-cg\"," \
  "\"customer_id\":\"cust-0001\",\"version\":3}"

static void
assert_protocol (GError     *error,
                 const char *fragment)
{
  g_assert_error (error, ENR_API_ERROR, ENR_API_ERROR_PROTOCOL);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, fragment);
}

static void
test_decode_problem (void)
{
  static const char *bad[] = {
    "",
    "[]",
    "{\"status\":\"412\"}",
    "{\"status\":42}",
    "{\"detail\":7}",
    "{\"errors\":{}}",
    "{\"errors\":[{\"field\":\"x\"}]}",
    "{\"errors\":[3]}",
    "{\"current\":[1]}",
    "{\"cursor\":-1}",
    "{\"cursor\":1.5}",
    "{\"type\":\"a\",}",
    "{'type':'a'}",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiProblem) copy = NULL;
  g_autofree char *text = NULL;
  const char *json =
    "{\"type\":\"https://enrollment-desk.invalid/problems/precondition-failed\","
    "\"title\":\"The record changed since you read it\",\"status\":412,"
    "\"detail\":\"The current version is \\\"2\\\".\",\"current\":" TASK_JSON ","
    "\"errors\":[{\"field\":\"program-id\",\"message\":\"There is no such program\"},{\"message\":\"m\"}],"
    "\"unknown\":{\"ignored\":true}}";

  problem = enr_api_decode_problem (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problem->status, ==, 412);
  g_assert_cmpstr (problem->title, ==, "The record changed since you read it");
  g_assert_cmpstr (problem->detail, ==, "The current version is \"2\".");
  g_assert_cmpuint (problem->errors->len, ==, 2);
  g_assert_nonnull (problem->current);
  g_assert_cmpint (problem->cursor, ==, -1);

  copy = enr_api_problem_copy (problem);
  text = enr_api_problem_describe (copy);
  g_assert_cmpstr (text, ==, "The current version is \"2\".\nprogram-id: There is no such program\nm");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(EnrApiProblem) refused = enr_api_decode_problem (bad[i], strlen (bad[i]), &error);

      g_assert_null (refused);
      assert_protocol (error, NULL);
      g_clear_error (&error);
    }
}

static void
test_decode_session (void)
{
  static const char *bad[] = {
    "{\"token\":\"a b\",\"expires_at\":\"2026-11-28T00:00:00Z\",\"user\":{\"id\":\"u\",\"username\":\"c\",\"display_name\":\"C\",\"role\":\"clerk\"}}",
    "{\"token\":\"abc\",\"token_type\":\"Basic\",\"expires_at\":\"2026-11-28T00:00:00Z\",\"user\":{\"id\":\"u\",\"username\":\"c\",\"display_name\":\"C\",\"role\":\"clerk\"}}",
    "{\"token\":\"abc\",\"expires_at\":\"tomorrow\",\"user\":{\"id\":\"u\",\"username\":\"c\",\"display_name\":\"C\",\"role\":\"clerk\"}}",
    "{\"token\":\"abc\",\"expires_at\":\"2026-11-28T00:00:00Z\"}",
    "{\"token\":\"abc\",\"expires_at\":\"2026-11-28T00:00:00Z\",\"user\":{\"id\":\"u\",\"username\":\"c\",\"display_name\":\"C\",\"role\":\"king\"}}",
    "{\"token\":42,\"expires_at\":\"2026-11-28T00:00:00Z\",\"user\":{\"id\":\"u\",\"username\":\"c\",\"display_name\":\"C\",\"role\":\"clerk\"}}",
    "{\"token\":\"\",\"expires_at\":\"2026-11-28T00:00:00Z\",\"user\":{\"id\":\"u\",\"username\":\"c\",\"display_name\":\"C\",\"role\":\"clerk\"}}",
  };
  const char *good =
    "{\"token\":\"abc.DEF-123\",\"token_type\":\"Bearer\",\"expires_at\":\"2026-11-28T00:00:00Z\","
    "\"user\":{\"id\":\"user-clerk\",\"username\":\"clerk\",\"display_name\":\"Casey Morgan\",\"role\":\"clerk\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrApiSession) session = enr_api_decode_session (good, strlen (good), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (session->token, ==, "abc.DEF-123");
  g_assert_cmpstr (enr_user_get_username (session->user), ==, "clerk");
  g_assert_cmpint (enr_user_get_role (session->user), ==, ENR_ROLE_CLERK);
  g_assert_cmpint (g_date_time_get_year (session->expires_at), ==, 2026);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(EnrApiSession) refused = enr_api_decode_session (bad[i], strlen (bad[i]), &error);

      g_assert_null (refused);
      assert_protocol (error, "session");
      g_clear_error (&error);
    }
}

static void
test_decode_changes (void)
{
  static const struct
  {
    const char *json;
    const char *fragment;
  } bad[] = {
    { "{\"changes\":[],\"more\":false}", "cursor" },
    { "{\"changes\":[],\"cursor\":-1,\"more\":false}", "cursor" },
    { "{\"changes\":[],\"cursor\":5}", "more" },
    { "{\"changes\":{},\"cursor\":5,\"more\":false}", "changes.changes" },
    { "{\"changes\":[{\"cursor\":3,\"type\":\"service_task\",\"id\":\"t1\",\"data\":" TASK_JSON "},"
      "{\"cursor\":3,\"type\":\"customer\",\"id\":\"c\",\"data\":{\"id\":\"c\",\"name\":\"N\",\"account_id\":\"A\"}}],"
      "\"cursor\":5,\"more\":false}", "out of order" },
    { "{\"changes\":[{\"cursor\":6,\"type\":\"service_task\",\"id\":\"t1\",\"data\":" TASK_JSON "}],"
      "\"cursor\":5,\"more\":false}", "out of order" },
    { "{\"changes\":[{\"cursor\":4,\"type\":\"service_task\",\"id\":\"t2\",\"data\":" TASK_JSON "}],"
      "\"cursor\":5,\"more\":false}", "another record" },
    { "{\"changes\":[{\"cursor\":4,\"type\":\"customer\",\"id\":\"c\",\"data\":{\"id\":\"c\",\"account_id\":\"A\"}}],"
      "\"cursor\":5,\"more\":false}", "name" },
    { "{\"changes\":[{\"cursor\":4,\"type\":\"service_task\",\"id\":\"t1\",\"data\":null}],"
      "\"cursor\":5,\"more\":false}", "expected an object" },
    { "{\"changes\":[{\"cursor\":4,\"type\":\"service_task\",\"id\":\"t1\",\"version\":\"1\",\"data\":" TASK_JSON "}],"
      "\"cursor\":5,\"more\":false}", "version" },
    { "{\"changes\":[{\"cursor\":4,\"type\":\"service_task\",\"id\":\"t1\",\"data\":{\"id\":\"t1\",\"kind\":\"enrollment\","
      "\"status\":\"done\",\"program_id\":\"p\",\"customer_id\":\"c\"}}],\"cursor\":5,\"more\":false}", "done" },
    { "{\"changes\":[{\"cursor\":4,\"type\":\"\",\"id\":\"t1\"}],\"cursor\":5,\"more\":false}", "type" },
    { "{\"changes\":[],\"cursor\":99999999999999999999,\"more\":false}", NULL },
    { "{\"changes\":[],\"cursor\":5,\"more\":false} x", NULL },
  };
  const char *good =
    "{\"changes\":[{\"cursor\":3,\"type\":\"service_task\",\"id\":\"t1\",\"version\":3,\"deleted\":false,"
    "\"at\":\"2026-11-27T23:20:00Z\",\"data\":" TASK_JSON "},"
    "{\"cursor\":4,\"type\":\"hologram\",\"id\":\"h1\",\"data\":{\"shiny\":true}},"
    "{\"cursor\":5,\"type\":\"customer\",\"id\":\"c9\",\"deleted\":true,\"data\":null},"
    "{\"cursor\":6,\"type\":\"code_value\",\"id\":\"channel/email\",\"data\":{\"list\":\"channel\",\"code\":\"email\",\"label\":\"Email\"}}],"
    "\"cursor\":9,\"more\":true}";
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrApiChanges) changes = enr_api_decode_changes (good, strlen (good), &error);
  EnrApiChange *change;

  g_assert_no_error (error);
  g_assert_cmpint (changes->cursor, ==, 9);
  g_assert_true (changes->more);
  g_assert_cmpuint (changes->changes->len, ==, 4);

  change = g_ptr_array_index (changes->changes, 0);
  g_assert_true (change->type == ENR_TYPE_SERVICE_TASK);
  g_assert_true (ENR_IS_SERVICE_TASK (change->object));
  g_assert_cmpint (change->version, ==, 3);
  change = g_ptr_array_index (changes->changes, 1);
  g_assert_true (change->type == G_TYPE_INVALID);
  g_assert_null (change->object);
  change = g_ptr_array_index (changes->changes, 2);
  g_assert_true (change->deleted);
  g_assert_null (change->object);
  change = g_ptr_array_index (changes->changes, 3);
  g_assert_true (ENR_IS_CODE_VALUE (change->object));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(EnrApiChanges) refused = enr_api_decode_changes (bad[i].json, strlen (bad[i].json), &error);

      g_assert_null (refused);
      assert_protocol (error, bad[i].fragment);
      g_clear_error (&error);
    }

  /* Too deep, and too large. */
  {
    GString *deep = g_string_new ("{\"changes\":");
    g_autofree char *large = NULL;
    g_autoptr(EnrApiChanges) refused = NULL;

    for (guint i = 0; i < 100; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < 100; i++)
      g_string_append_c (deep, ']');
    g_string_append (deep, ",\"cursor\":1,\"more\":false}");
    refused = enr_api_decode_changes (deep->str, deep->len, &error);
    g_assert_null (refused);
    assert_protocol (error, NULL);
    g_clear_error (&error);
    g_string_free (deep, TRUE);

    large = g_malloc (ENR_API_MAX_RESPONSE + 2);
    memset (large, ' ', ENR_API_MAX_RESPONSE + 1);
    large[0] = '{';
    large[ENR_API_MAX_RESPONSE] = '}';
    large[ENR_API_MAX_RESPONSE + 1] = '\0';
    refused = enr_api_decode_changes (large, ENR_API_MAX_RESPONSE + 1, &error);
    g_assert_null (refused);
    assert_protocol (error, NULL);
    g_clear_error (&error);
  }
}

static void
test_decode_lists (void)
{
  static const char *bad_pages[] = {
    "{\"items\":[{\"id\":\"c1\",\"name\":\"A\",\"account_id\":\"1\"},{\"id\":\"c2\",\"name\":\"B\",\"account_id\":\"2\"}],"
    "\"page\":1,\"page_size\":1,\"more\":true}",
    "{\"items\":[],\"page\":1,\"page_size\":20}",
    "{\"items\":[],\"page\":0,\"page_size\":20,\"more\":false}",
    "{\"items\":[{\"name\":\"A\",\"account_id\":\"1\"}],\"page\":1,\"page_size\":20,\"more\":false}",
    "{\"items\":[{\"id\":\"c1\",\"name\":\"A\",\"account_id\":1}],\"page\":1,\"page_size\":20,\"more\":false}",
    "{\"items\":\"none\",\"page\":1,\"page_size\":20,\"more\":false}",
  };
  g_autoptr(GError) error = NULL;
  const char *page_json =
    "{\"items\":[{\"id\":\"c1\",\"name\":\"A\",\"account_id\":\"1\"}],\"page\":3,\"page_size\":20,\"more\":true}";
  g_autoptr(EnrApiPage) page = enr_api_decode_customer_page (page_json, strlen (page_json), &error);
  const char *view_json =
    "{\"customer\":{\"id\":\"c1\",\"name\":\"A\",\"account_id\":\"1\"},"
    "\"metered_services\":[{\"id\":\"m1\",\"customer_id\":\"c2\",\"service_point_id\":\"s1\","
    "\"service_type\":\"electric\",\"status\":\"active\"}]}";
  g_autoptr(EnrApiCustomerView) view = NULL;
  const char *programs_json = "{\"items\":[],\"program_types\":[],\"initiatives\":[]}";
  g_autoptr(EnrApiPrograms) programs = enr_api_decode_programs (programs_json, strlen (programs_json), &error);
  const char *codes_json = "{\"items\":[{\"list\":\"channel\",\"code\":\"email\",\"label\":\"Email\"}]}";
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(EnrServiceTask) task = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (page->page, ==, 3);
  g_assert_true (page->more);
  g_assert_cmpuint (page->items->len, ==, 1);
  g_assert_nonnull (programs);

  for (guint i = 0; i < G_N_ELEMENTS (bad_pages); i++)
    {
      g_autoptr(EnrApiPage) refused = enr_api_decode_customer_page (bad_pages[i], strlen (bad_pages[i]), &error);

      g_assert_null (refused);
      assert_protocol (error, "page");
      g_clear_error (&error);
    }

  view = enr_api_decode_customer_view (view_json, strlen (view_json), &error);
  g_assert_null (view);
  assert_protocol (error, "another customer");
  g_clear_error (&error);

  codes = enr_api_decode_code_values (codes_json, strlen (codes_json), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codes->len, ==, 1);

  task = enr_api_decode_task (TASK_JSON, strlen (TASK_JSON), &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_service_task_get_version (task), ==, 3);
  g_clear_object (&task);
  {
    const char *no_id = "{\"kind\":\"enrollment\",\"status\":\"pending\",\"program_id\":\"p\",\"customer_id\":\"c\"}";

    task = enr_api_decode_task (no_id, strlen (no_id), &error);
  }
  g_assert_null (task);
  assert_protocol (error, "id");
}

static void
test_decode_export (void)
{
  static const struct
  {
    const char *json;
    const char *message;
  } bad[] = {
    { "{\"metered_services\":[]}", "customers" },
    { "{\"customers\":[],\"next\":\"4\"}", "empty page" },
    { "{\"customers\":[{\"id\":\"c1\",\"name\":\"A\",\"account_id\":\"1\"}],\"next\":\"\"}", "empty cursor" },
    { "{\"customers\":[{\"id\":\"c1\",\"name\":\"A\",\"account_id\":\"1\"}],\"next\":4}", "next" },
    { "{\"customers\":[{\"id\":\"c1\",\"name\":\"A\",\"account_id\":\"1\"}],\"total\":-1}", "total" },
    { "{\"customers\":[{\"id\":\"c1\",\"name\":\"A\",\"account_id\":\"1\"}],"
      "\"metered_services\":[{\"id\":\"m1\",\"customer_id\":\"c2\",\"service_point_id\":\"p1\",\"service_type\":\"electric\",\"status\":\"active\"}]}", "no customer of the page" },
    { "{\"customers\":[{\"id\":\"c1\",\"name\":\"A\",\"account_id\":\"1\"}],"
      "\"subscriptions\":[{\"id\":\"s1\",\"customer_id\":\"c9\",\"program_id\":\"p\",\"metered_service_id\":\"m1\",\"device_location_id\":\"l1\",\"start_date\":\"2025-06-01\",\"status\":\"active\"}]}", "no customer of the page" },
    { "{\"customers\":[{\"id\":\"c1\",\"name\":\"A\",\"account_id\":\"1\"}],\"devices\":[{\"name\":\"x\"}]}", "devices" },
  };
  const char *good =
    "{\"customers\":[{\"id\":\"c1\",\"name\":\"A\",\"account_id\":\"1\"},{\"id\":\"c2\",\"name\":\"B\",\"account_id\":\"2\"}],"
    "\"metered_services\":[{\"id\":\"m1\",\"customer_id\":\"c2\",\"service_point_id\":\"p1\",\"service_type\":\"electric\",\"status\":\"active\"}],"
    "\"service_points\":[{\"id\":\"p1\",\"address\":\"1 Elm St\",\"division\":\"NORTH\",\"rate_code\":\"R-STD\",\"life_support\":false}],\"device_locations\":[{\"id\":\"l1\",\"service_point_id\":\"p1\",\"address\":\"1 Elm St\",\"description\":\"Hall\"}],"
    "\"devices\":[{\"id\":\"d1\",\"asset_type\":\"battery\",\"specification\":\"TESLA-PW2\",\"serial_number\":\"T1\",\"ownership\":\"customer-owned\",\"status\":\"installed\",\"device_location_id\":\"l1\"}],"
    "\"subscriptions\":[{\"id\":\"s1\",\"customer_id\":\"c1\",\"program_id\":\"p\",\"metered_service_id\":\"m1\",\"device_location_id\":\"l1\",\"start_date\":\"2025-06-01\",\"status\":\"active\"}],"
    "\"total\":9,\"next\":\"2\"}";
  const char *last = "{\"customers\":[],\"total\":0,\"next\":null}";
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrApiCustomerExport) export = enr_api_decode_customer_export (good, strlen (good), &error);
  g_autoptr(EnrApiCustomerExport) empty = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (export->customers->len, ==, 2);
  g_assert_cmpuint (export->metered_services->len, ==, 1);
  g_assert_cmpuint (export->service_points->len, ==, 1);
  g_assert_cmpuint (export->device_locations->len, ==, 1);
  g_assert_cmpuint (export->devices->len, ==, 1);
  g_assert_cmpuint (export->subscriptions->len, ==, 1);
  g_assert_cmpint (export->total, ==, 9);
  g_assert_cmpstr (export->next, ==, "2");

  /* Each record's row copy: its JSON text, which decodes to it again. */
  {
    GPtrArray *lists[] = { export->customers, export->metered_services, export->service_points,
                           export->device_locations, export->devices, export->subscriptions };
    GPtrArray *rows[] = { export->customer_rows, export->metered_service_rows, export->service_point_rows,
                          export->device_location_rows, export->device_rows, export->subscription_rows };

    for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
      {
        g_assert_nonnull (rows[l]);
        g_assert_cmpuint (rows[l]->len, ==, lists[l]->len);
        for (guint i = 0; i < rows[l]->len; i++)
          {
            gpointer record = g_ptr_array_index (lists[l], i);
            g_autoptr(GObject) again = enr_codec_decode_data (G_OBJECT_TYPE (record),
                                                              g_ptr_array_index (rows[l], i), -1, &error);
            g_autofree char *expected = enr_codec_encode_string (record);
            g_autofree char *decoded = NULL;

            g_assert_no_error (error);
            decoded = enr_codec_encode_string (again);
            g_assert_cmpstr (decoded, ==, expected);
          }
      }
    g_assert_cmpstr (g_ptr_array_index (export->customer_rows, 1), ==,
                     "{\"id\":\"c2\",\"name\":\"B\",\"account_id\":\"2\"}");
  }

  empty = enr_api_decode_customer_export (last, strlen (last), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->customers->len, ==, 0);
  g_assert_cmpuint (empty->customer_rows->len, ==, 0);
  g_assert_cmpuint (empty->device_rows->len, ==, 0);
  g_assert_null (empty->next);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(EnrApiCustomerExport) refused = enr_api_decode_customer_export (bad[i].json, strlen (bad[i].json),
                                                                               &error);

      g_assert_null (refused);
      assert_protocol (error, bad[i].message);
      g_clear_error (&error);
    }
}

/* A lying server */

typedef struct
{
  gboolean   done;
  gpointer   result;
  GError    *error;
  EnrApiProblem *problem;
} Call;

static void
call_clear (Call *call)
{
  g_clear_error (&call->error);
  g_clear_pointer (&call->problem, enr_api_problem_free);
  call->done = FALSE;
}

static void
on_sent_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Call *call = user_data;

  call->result = enr_api_client_send_finish (ENR_API_CLIENT (source_object), result,
                                             &call->problem, &call->error);
  call->done = TRUE;
}

static void
on_changes_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Call *call = user_data;

  call->result = enr_api_client_get_changes_finish (ENR_API_CLIENT (source_object), result,
                                                    &call->problem, &call->error);
  call->done = TRUE;
}

static GPtrArray *paused;

static void
on_liar_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (g_str_equal (path, "/v1/changes") && g_strcmp0 (g_hash_table_lookup (query, "since"), "1") == 0)
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "not json", 8);
    }
  else if (g_str_equal (path, "/v1/changes") && g_strcmp0 (g_hash_table_lookup (query, "since"), "2") == 0)
    {
      const char *body = "{\"changes\":\"all of them\",\"cursor\":3,\"more\":false}";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
    }
  else if (g_str_equal (path, "/big"))
    {
      gsize size = ENR_API_MAX_RESPONSE + 1024;
      char *body = g_malloc (size);

      memset (body, ' ', size);
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, size);
    }
  else if (g_str_equal (path, "/redirect"))
    {
      soup_server_message_set_redirect (msg, 302, "http://127.0.0.1:1/elsewhere");
    }
  else if (g_str_equal (path, "/busy"))
    {
      const char *body = "{\"type\":\"x\",\"title\":\"Busy\",\"status\":503}";

      soup_message_headers_replace (headers, "Retry-After", "7");
      soup_server_message_set_status (msg, 503, NULL);
      soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_STATIC, body, strlen (body));
    }
  else if (g_str_equal (path, "/garbled-error"))
    {
      soup_server_message_set_status (msg, 422, NULL);
      soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_STATIC, "{{{{", 4);
    }
  else if (g_str_equal (path, "/silent"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (paused, g_object_ref (msg));
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static void
test_lying_server (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrApiClient) client = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  Call call = { 0, };

  paused = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (server, NULL, on_liar_cb, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  client = enr_api_client_new (url, &error);
  g_assert_no_error (error);
  enr_api_client_set_token (client, "t");

  /* Not JSON, and JSON of the wrong shape. */
  enr_api_client_get_changes_async (client, 1, 10, NULL, on_changes_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_null (call.result);
  assert_protocol (call.error, NULL);
  call_clear (&call);

  enr_api_client_get_changes_async (client, 2, 10, NULL, on_changes_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  assert_protocol (call.error, "changes.changes");
  call_clear (&call);

  /* Too large: refused from its Content-Length. */
  enr_api_client_send_async (client, "GET", "/big", NULL, -1, NULL, NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  assert_protocol (call.error, NULL);
  call_clear (&call);

  /* A redirect is not followed. */
  enr_api_client_send_async (client, "GET", "/redirect", NULL, -1, NULL, NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_PROTOCOL);
  call_clear (&call);

  /* 503 with Retry-After. */
  enr_api_client_send_async (client, "POST", "/busy", "key-1", 4, "{}", NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_SERVER);
  g_assert_nonnull (call.problem);
  g_assert_cmpuint (call.problem->status, ==, 503);
  g_assert_cmpuint (call.problem->retry_after, ==, 7);
  g_assert_cmpstr (call.problem->title, ==, "Busy");
  call_clear (&call);

  /* A garbled problem keeps its status. */
  enr_api_client_send_async (client, "GET", "/garbled-error", NULL, -1, NULL, NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_INVALID);
  g_assert_cmpuint (call.problem->status, ==, 422);
  call_clear (&call);

  /* No answer at all: a timeout (which applies to new connections). */
  {
    g_autoptr(EnrApiClient) impatient = enr_api_client_new (url, &error);

    g_assert_no_error (error);
    enr_api_client_set_timeout (impatient, 1);
    g_assert_cmpuint (enr_api_client_get_timeout (impatient), ==, 1);
    enr_api_client_send_async (impatient, "GET", "/silent", NULL, -1, NULL, NULL, on_sent_cb, &call);
    g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
    g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_TIMEOUT);
    call_clear (&call);
  }

  /* Nothing listening. */
  g_assert_true (enr_api_client_set_base_url (client, TEST_DEAD_URL, &error));
  enr_api_client_send_async (client, "GET", "/v1/changes", NULL, -1, NULL, NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_NETWORK);
  call_clear (&call);

  for (guint i = 0; i < paused->len; i++)
    {
      soup_server_message_set_status (g_ptr_array_index (paused, i), 500, NULL);
      soup_server_message_unpause (g_ptr_array_index (paused, i));
    }
  g_clear_pointer (&paused, g_ptr_array_unref);
  soup_server_disconnect (server);
}

/* The real service's statuses, with their problem details */

static void
test_service_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrApiClient) client = enr_api_client_new (service->url, &error);
  g_autoptr(EnrServiceTask) current = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  EnrApiResponse *response;
  Call call = { 0, };
  const char *body = "{\"id\":\"task-api-1\",\"kind\":\"enrollment\",\"program_id\":\"prog-cg\",\"customer_id\":\"cust-0003\"}";

  g_assert_no_error (error);

  /* No token: 401. */
  enr_api_client_get_changes_async (client, 0, 10, NULL, on_changes_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (call.problem->status, ==, 401);
  g_assert_nonnull (call.problem->detail);
  call_clear (&call);

  token = test_sign_in (service->url, "clerk", TEST_CLERK_PASSWORD);
  enr_api_client_set_token (client, token);

  /* Create, then a replay of the same key. */
  enr_api_client_send_async (client, "POST", "/v1/service-tasks", "api-key-1", -1, body, NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_no_error (call.error);
  response = call.result;
  g_assert_cmpuint (response->status, ==, 201);
  g_assert_cmpint (response->version, ==, 1);
  g_assert_cmpstr (response->location, ==, "/v1/service-tasks/task-api-1");
  g_assert_false (response->replayed);
  enr_api_response_free (response);
  call_clear (&call);

  enr_api_client_send_async (client, "POST", "/v1/service-tasks", "api-key-1", -1, body, NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_no_error (call.error);
  response = call.result;
  g_assert_true (response->replayed);
  g_assert_cmpint (response->version, ==, 1);
  enr_api_response_free (response);
  call_clear (&call);

  path = g_strdup ("/v1/service-tasks/task-api-1");

  /* No If-Match: 428. Stale: 412 with the current record. */
  enr_api_client_send_async (client, "PUT", path, "api-key-2", -1, body, NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_PRECONDITION_REQUIRED);
  call_clear (&call);

  enr_api_client_send_async (client, "PUT", path, "api-key-3", 0, body, NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_PRECONDITION_FAILED);
  g_assert_nonnull (call.problem->current);
  current = enr_api_decode_task (call.problem->current, strlen (call.problem->current), &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_service_task_get_version (current), ==, 1);
  call_clear (&call);

  /* Invalid: 422 with field errors. */
  enr_api_client_send_async (client, "POST", "/v1/service-tasks", "api-key-4", -1,
                             "{\"kind\":\"enrollment\",\"program_id\":\"nope\",\"customer_id\":\"cust-0003\"}",
                             NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_INVALID);
  g_assert_cmpuint (call.problem->errors->len, >=, 1);
  call_clear (&call);

  /* Unknown: 404. A supervisor's route: 403. */
  enr_api_client_send_async (client, "GET", "/v1/service-tasks/task-none", NULL, -1, NULL, NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_NOT_FOUND);
  call_clear (&call);

  enr_api_client_send_async (client, "POST", "/v1/service-tasks/task-api-1/complete-field-work", "api-key-5", 1,
                             "{}", NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_FORBIDDEN);
  call_clear (&call);

  /* A cursor from the future: 410 with the head. */
  enr_api_client_get_changes_async (client, G_MAXINT64, 1, NULL, on_changes_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_GONE);
  g_assert_cmpint (call.problem->cursor, >, 0);
  call_clear (&call);
}

/* TLS */

static gboolean
run_openssl (const char  *directory,
             const char **args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, directory);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return g_subprocess_wait_check (process, NULL, NULL);
}

static void
on_session_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Call *call = user_data;

  call->result = enr_api_client_sign_in_finish (ENR_API_CLIENT (source_object), result,
                                                &call->problem, &call->error);
  call->done = TRUE;
}

/* Not set up yet: no address, and requests say so until one is set. */
static void
test_no_address (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrApiClient) client = enr_api_client_new (NULL, &error);
  Call call = { 0 };

  g_assert_no_error (error);
  g_assert_null (enr_api_client_get_base_url (client));
  enr_api_client_sign_in_async (client, "clerk", "secret", NULL, on_session_cb, &call);
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (call.result);
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_INVALID);
  g_assert_cmpstr (call.error->message, ==, "No enrollment service address is set.");
  g_clear_error (&call.error);

  g_assert_true (enr_api_client_set_base_url (client, "https://enroll.example.com", &error));
  g_assert_cmpstr (enr_api_client_get_base_url (client), ==, "https://enroll.example.com");
}

static void
test_tls (void)
{
  static const char *ca[] = {
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Enrollment Test CA", NULL
  };
  static const char *request[] = {
    "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1", NULL
  };
  static const char *sign[] = {
    "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-out", "server.pem", "-days", "2", "-extfile", "san.cnf", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *san = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *key = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *url = NULL;
  g_autoptr(EnrApiClient) client = NULL;
  EnrApiSession *session;
  TestService *tls_service;
  Call call = { 0, };

  g_autofree char *openssl = g_find_program_in_path ("openssl");

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }

  directory = g_dir_make_tmp ("enr-sync-tls-XXXXXX", &error);
  g_assert_no_error (error);
  san = g_build_filename (directory, "san.cnf", NULL);
  g_assert_true (g_file_set_contents (san, "subjectAltName=IP:127.0.0.1\n", -1, NULL));
  g_assert_true (run_openssl (directory, ca));
  g_assert_true (run_openssl (directory, request));
  g_assert_true (run_openssl (directory, sign));

  certificate = g_build_filename (directory, "server.pem", NULL);
  key = g_build_filename (directory, "server.key", NULL);
  ca_file = g_build_filename (directory, "ca.pem", NULL);

  {
    const char *extra[] = { "--tls-certificate", certificate, "--tls-key", key, NULL };

    tls_service = test_service_start_full (NULL, extra, FALSE);
  }
  g_assert_true (g_str_has_prefix (tls_service->url, "https://"));
  url = g_strdup_printf ("https://127.0.0.1:%u", tls_service->port);

  client = enr_api_client_new (url, &error);
  g_assert_no_error (error);

  /* The system's anchors do not know the test CA: refused. */
  enr_api_client_sign_in_async (client, "clerk", TEST_CLERK_PASSWORD, NULL, on_session_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_null (call.result);
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_TLS);
  call_clear (&call);

  /* A file that is no CA list is refused and changes nothing. */
  g_assert_false (enr_api_client_set_ca_file (client, san, &error));
  g_assert_error (error, ENR_API_ERROR, ENR_API_ERROR_INVALID);
  g_clear_error (&error);

  /* Trusting the test CA: accepted. */
  g_assert_true (enr_api_client_set_ca_file (client, ca_file, &error));
  g_assert_no_error (error);
  enr_api_client_sign_in_async (client, "clerk", TEST_CLERK_PASSWORD, NULL, on_session_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_no_error (call.error);
  session = call.result;
  g_assert_nonnull (session->token);
  enr_api_session_free (session);
  call_clear (&call);

  /* Back to the system's anchors: refused again. */
  g_assert_true (enr_api_client_set_ca_file (client, NULL, &error));
  enr_api_client_sign_in_async (client, "clerk", TEST_CLERK_PASSWORD, NULL, on_session_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_TLS);
  call_clear (&call);

  test_service_stop (tls_service);
  test_remove_tree (directory);
}

/* Refused certificates say why (ENR_API_ERROR_TLS, retried like the
 * network): one of an unknown authority, one issued for another address,
 * one that has expired, while the same authority's valid certificate is
 * accepted. */
static void
test_tls_reasons (void)
{
  static const char *ca[] = {
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Enrollment Test CA", NULL
  };
  static const char *request[] = {
    "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=enrollment.test", NULL
  };
  static const char *other_host[] = {
    "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-out", "other-host.pem", "-days", "2", "-extfile", "other-host.cnf", NULL
  };
  static const char *loopback[] = {
    "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-out", "loopback.pem", "-days", "2", "-extfile", "loopback.cnf", NULL
  };
  static const char *expired[] = {
    "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
    "-out", "expired.pem", "-days", "-1", "-extfile", "loopback.cnf", NULL
  };
  static const struct {
    const char *certificate;
    gboolean    trust_ca;
    const char *reason;
  } cases[] = {
    { "loopback.pem", FALSE, "is not trusted by this computer" },
    { "other-host.pem", TRUE, "was issued for another address" },
    { "expired.pem", TRUE, "has expired" },
    { "loopback.pem", TRUE, NULL },
  };
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *directory = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  Call call = { 0, };

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }

  directory = g_dir_make_tmp ("enr-sync-tls-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "other-host.cnf" : "loopback.cnf";
      const char *text = i == 0 ? "subjectAltName=IP:127.0.0.2\n" : "subjectAltName=IP:127.0.0.1\n";
      g_autofree char *path = g_build_filename (directory, name, NULL);

      g_assert_true (g_file_set_contents (path, text, -1, NULL));
    }
  g_assert_true (run_openssl (directory, ca));
  g_assert_true (run_openssl (directory, request));
  g_assert_true (run_openssl (directory, loopback));
  g_assert_true (run_openssl (directory, other_host));
  g_assert_true (run_openssl (directory, expired));
  ca_file = g_build_filename (directory, "ca.pem", NULL);
  key = g_build_filename (directory, "server.key", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *certificate = g_build_filename (directory, cases[i].certificate, NULL);
      const char *extra[] = { "--tls-certificate", certificate, "--tls-key", key, NULL };
      TestService *tls_service = test_service_start_full (NULL, extra, FALSE);
      g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", tls_service->port);
      g_autoptr(EnrApiClient) client = enr_api_client_new (url, &error);

      g_test_message ("%s, test CA %s", cases[i].certificate, cases[i].trust_ca ? "trusted" : "not trusted");
      g_assert_no_error (error);
      if (cases[i].trust_ca)
        g_assert_true (enr_api_client_set_ca_file (client, ca_file, &error));
      g_assert_no_error (error);

      enr_api_client_sign_in_async (client, "clerk", TEST_CLERK_PASSWORD, NULL, on_session_cb, &call);
      g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
      if (cases[i].reason != NULL)
        {
          g_assert_null (call.result);
          g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_TLS);
          g_assert_nonnull (strstr (call.error->message, cases[i].reason));
          g_assert_true (enr_api_error_is_transient (call.error));
        }
      else
        {
          g_assert_no_error (call.error);
          enr_api_session_free (call.result);
        }
      call_clear (&call);

      test_service_stop (tls_service);
    }

  test_remove_tree (directory);
}

/* Deadlines */

#define DEADLINE_S 2

/* A TCP port that takes connections (the kernel's backlog does) and never
 * answers a request. */
static GSocket *
silent_listener (char **url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (socket, 64);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_listen (socket, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *url = g_strdup_printf ("http://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  return socket;
}

/* A request that waits for a connection (every one to the host busy)
 * fails with ENR_API_ERROR_TIMEOUT at its deadline, long before the
 * session's I/O timeout; the caller's cancellation still reads as one. */
static void
test_deadline (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrApiClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSocket) listener = NULL;
  g_autofree char *url = NULL;
  Call busy[ENR_API_MAX_CONNECTIONS] = { { 0, }, };
  Call waiting = { 0, };
  gboolean never = FALSE;
  gint64 sent;
  double took;

  listener = silent_listener (&url);
  client = enr_api_client_new (url, &error);
  g_assert_no_error (error);
  enr_api_client_set_timeout (client, 120);
  g_assert_cmpuint (enr_api_client_get_deadline (client), ==, ENR_API_DEFAULT_DEADLINE);

  /* Every connection the client may open to the host, taken by a request
   * without a deadline that is never answered. */
  enr_api_client_set_deadline (client, 0);
  for (guint i = 0; i < G_N_ELEMENTS (busy); i++)
    enr_api_client_send_async (client, "GET", "/v1/programs", NULL, -1, NULL, cancellable,
                               on_sent_cb, &busy[i]);
  test_wait_for_flag (&never, 500);

  enr_api_client_set_deadline (client, DEADLINE_S);
  sent = g_get_monotonic_time ();
  enr_api_client_send_async (client, "GET", "/v1/programs", NULL, -1, NULL, NULL, on_sent_cb, &waiting);
  g_assert_true (test_wait_for_flag (&waiting.done, (DEADLINE_S + 10) * 1000));
  took = (double) (g_get_monotonic_time () - sent) / G_USEC_PER_SEC;
  g_test_message ("a request waiting for a connection failed after %.2f s", took);
  g_assert_error (waiting.error, ENR_API_ERROR, ENR_API_ERROR_TIMEOUT);
  g_assert_true (enr_api_error_is_transient (waiting.error));
  g_assert_nonnull (strstr (waiting.error->message, "No connection to the service could be used within 2 seconds"));
  g_assert_cmpfloat (took, >=, DEADLINE_S - 0.1);
  call_clear (&waiting);

  /* The busy ones: still waiting, and their caller's cancellation is one. */
  for (guint i = 0; i < G_N_ELEMENTS (busy); i++)
    g_assert_false (busy[i].done);
  g_cancellable_cancel (cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (busy); i++)
    {
      g_assert_true (test_wait_for_flag (&busy[i].done, TIMEOUT));
      g_assert_error (busy[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      call_clear (&busy[i]);
    }

  /* The next request goes out at once (a new session: the old one's
   * connections may never come free), and the service does not answer
   * it: the deadline, not the I/O timeout. */
  sent = g_get_monotonic_time ();
  enr_api_client_send_async (client, "POST", "/v1/service-tasks", "deadline-1", -1, "{}", NULL,
                             on_sent_cb, &waiting);
  g_assert_true (test_wait_for_flag (&waiting.done, (DEADLINE_S + 10) * 1000));
  took = (double) (g_get_monotonic_time () - sent) / G_USEC_PER_SEC;
  g_assert_error (waiting.error, ENR_API_ERROR, ENR_API_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (waiting.error->message, "did not answer within 2 seconds"));
  g_assert_cmpfloat (took, >=, DEADLINE_S - 0.1);
  call_clear (&waiting);

  g_socket_close (listener, NULL);
}

/* The main loop blocked (as by a long store transaction) for longer than
 * the service keeps an idle connection: a request sent before the block
 * and one after it are answered, within their deadline. */
static void
test_stalled_loop (void)
{
  const char * const extra[] = { "--idle-timeout", "1", NULL };
  TestService *idle = test_service_start (NULL, extra);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrApiClient) client = enr_api_client_new (idle->url, &error);
  Call call = { 0, };

  g_assert_no_error (error);
  enr_api_client_set_deadline (client, 5);

  for (guint round = 0; round < 3; round++)
    {
      gint64 sent = g_get_monotonic_time ();

      /* A request queued, then the loop blocked: the service closes the
       * connection the last request left idle meanwhile. */
      enr_api_client_send_async (client, "GET", "/v1/programs", NULL, -1, NULL, NULL, on_sent_cb, &call);
      if (round > 0)
        g_usleep (2500 * 1000);
      g_assert_true (test_wait_for_flag (&call.done, 10000));
      g_test_message ("round %u: answered %.2f s after it was sent", round,
                      (double) (g_get_monotonic_time () - sent) / G_USEC_PER_SEC);
      /* No token: the service's own answer, not a transport failure. */
      g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED);
      call_clear (&call);

      /* And one sent after a block. */
      g_usleep (2500 * 1000);
      enr_api_client_send_async (client, "GET", "/v1/programs", NULL, -1, NULL, NULL, on_sent_cb, &call);
      g_assert_true (test_wait_for_flag (&call.done, 10000));
      g_assert_error (call.error, ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED);
      call_clear (&call);
    }

  g_clear_object (&client);
  test_service_stop (idle);
}

/* libsoup 3.2 resends a GET whose reused keep-alive connection closed
 * before any byte of the answer (a "restart"). The server here is the
 * test itself, driven from libsoup's own signals so that every step comes
 * in the same main-loop iteration as in the sync-faults crash:
 *
 *   1. The GET goes out on a reused connection; the server closes it as
 *      soon as the request is in. libsoup reads the EOF in the iteration
 *      that started the read, so the failed read's callback is deferred
 *      to an idle.
 *   2. The next queue run resends the GET on the other idle connection;
 *      the server answers at once, so that read's success is deferred to
 *      an idle as well.
 *   3. libsoup 3.2.3 then runs the first read's callback: it takes the
 *      message for the resent one and finishes its I/O, and the second
 *      callback finds no I/O (the SIGSEGV in run_until_read_done()).
 *
 * The client must get the answer to the resent GET. */

typedef struct
{
  GSocket   *listener;
  GPtrArray *served;     /* GSocket: the server's ends */
  GPtrArray *clients;    /* GSocket: libsoup's ends, from "network-event" */
  guint      requests;   /* requests the server has read */
  guint      close_at;   /* the request it answers by closing, from 1 */
  GString   *log;
} Script;

static gboolean
on_network_event_hook (GSignalInvocationHint *hint,
                       guint                  n_values,
                       const GValue          *values,
                       gpointer               user_data)
{
  Script *script = user_data;
  GSocketClientEvent event = g_value_get_enum (&values[1]);
  GIOStream *connection = g_value_get_object (&values[2]);

  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    g_ptr_array_add (script->clients,
                     g_object_ref (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection))));

  return TRUE;
}

static guint16
socket_port (GSocket  *socket,
             gboolean  remote)
{
  g_autoptr(GSocketAddress) address = remote ? g_socket_get_remote_address (socket, NULL)
                                             : g_socket_get_local_address (socket, NULL);

  g_assert_nonnull (address);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* libsoup's end of the server's @served. */
static GSocket *
client_end (Script  *script,
            GSocket *served)
{
  guint16 port = socket_port (served, TRUE);

  for (guint i = 0; i < script->clients->len; i++)
    {
      GSocket *client = g_ptr_array_index (script->clients, i);

      if (!g_socket_is_closed (client) && socket_port (client, FALSE) == port)
        return client;
    }

  g_assert_not_reached ();
}

/* A request is written: the server reads it, then answers it or closes
 * its connection, and waits until libsoup can read that. */
static gboolean
on_wrote_body_hook (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               user_data)
{
  Script *script = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) request = g_string_new (NULL);
  GSocket *accepted, *served = NULL, *client;
  GPollFD fds[8];
  guint n = 0, index = 0;

  while ((accepted = g_socket_accept (script->listener, NULL, NULL)) != NULL)
    {
      g_socket_set_blocking (accepted, TRUE);
      g_socket_set_timeout (accepted, 10);
      g_ptr_array_add (script->served, accepted);
    }

  /* The one the request went to. */
  for (guint i = 0; i < script->served->len && n < G_N_ELEMENTS (fds); i++)
    {
      GSocket *socket = g_ptr_array_index (script->served, i);

      if (g_socket_is_closed (socket))
        continue;
      fds[n].fd = g_socket_get_fd (socket);
      fds[n].events = G_IO_IN;
      fds[n].revents = 0;
      n++;
    }
  g_assert_cmpint (g_poll (fds, n, 10000), >, 0);
  for (guint i = 0; i < n && served == NULL; i++)
    if (fds[i].revents & G_IO_IN)
      for (guint j = 0; j < script->served->len; j++)
        if (!g_socket_is_closed (g_ptr_array_index (script->served, j)) &&
            g_socket_get_fd (g_ptr_array_index (script->served, j)) == fds[i].fd)
          served = g_ptr_array_index (script->served, j);
  g_assert_nonnull (served);

  while (strstr (request->str, "\r\n\r\n") == NULL)
    {
      char buffer[4096];
      gssize got = g_socket_receive (served, buffer, sizeof buffer, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (got, >, 0);
      g_string_append_len (request, buffer, got);
    }
  script->requests++;
  client = client_end (script, served);
  g_ptr_array_find (script->served, served, &index);
  g_string_append_printf (script->log, "request %u on connection %u: %s\n", script->requests, index + 1,
                          script->requests == script->close_at ? "closed" : "answered");

  if (script->requests == script->close_at)
    {
      g_assert_true (g_socket_close (served, &error));
    }
  else
    {
      g_autofree char *body = g_strdup_printf ("{\"request\":%u}", script->requests);
      g_autofree char *response = g_strdup_printf ("HTTP/1.1 200 OK\r\n"
                                                    "Content-Type: application/json\r\n"
                                                    "Content-Length: %zu\r\n"
                                                    "\r\n%s", strlen (body), body);

      g_assert_cmpint (g_socket_send (served, response, strlen (response), NULL, &error), ==, strlen (response));
      g_assert_no_error (error);
    }

  g_assert_true (g_socket_condition_timed_wait (client, G_IO_IN, 10 * G_USEC_PER_SEC, NULL, &error));
  g_assert_no_error (error);

  return TRUE;
}

static void
restart_race_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(EnrApiClient) client = NULL;
  g_autofree char *url = NULL;
  Script script = { 0, };
  Call setup[2] = { { 0, }, };
  Call call = { 0, };
  EnrApiResponse *response;
  gulong network_hook, wrote_hook;
  guint network_signal, wrote_signal;
  gpointer klass = g_type_class_ref (SOUP_TYPE_MESSAGE);

  script.listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (script.listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (script.listener, &error));
  g_socket_set_blocking (script.listener, FALSE);
  script.served = g_ptr_array_new_with_free_func (g_object_unref);
  script.clients = g_ptr_array_new_with_free_func (g_object_unref);
  script.close_at = 3;
  script.log = g_string_new (NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u", socket_port (script.listener, FALSE));

  network_signal = g_signal_lookup ("network-event", SOUP_TYPE_MESSAGE);
  wrote_signal = g_signal_lookup ("wrote-body", SOUP_TYPE_MESSAGE);
  network_hook = g_signal_add_emission_hook (network_signal, 0, on_network_event_hook, &script, NULL);
  wrote_hook = g_signal_add_emission_hook (wrote_signal, 0, on_wrote_body_hook, &script, NULL);

  client = enr_api_client_new (url, &error);
  g_assert_no_error (error);

  /* Two requests at once: two connections, both kept alive. */
  for (guint i = 0; i < G_N_ELEMENTS (setup); i++)
    enr_api_client_send_async (client, "GET", "/v1/programs", NULL, -1, NULL, NULL, on_sent_cb, &setup[i]);
  for (guint i = 0; i < G_N_ELEMENTS (setup); i++)
    {
      g_assert_true (test_wait_for_flag (&setup[i].done, TIMEOUT));
      g_assert_no_error (setup[i].error);
      enr_api_response_free (setup[i].result);
      call_clear (&setup[i]);
    }
  g_assert_cmpuint (script.served->len, ==, 2);

  /* The third is answered by closing its connection; its resend, on the
   * other one, is answered. */
  enr_api_client_send_async (client, "GET", "/v1/programs", NULL, -1, NULL, NULL, on_sent_cb, &call);
  g_assert_true (test_wait_for_flag (&call.done, TIMEOUT));
  /* What libsoup still has to run (with 3.2.3 unguarded: the resent
   * request's read, which crashed). */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_test_message ("%s", script.log->str);
  g_assert_no_error (call.error);
  response = call.result;
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->body, ==, "{\"request\":4}");
  enr_api_response_free (response);
  call_clear (&call);
  g_assert_cmpuint (script.requests, ==, 4);

  g_signal_remove_emission_hook (wrote_signal, wrote_hook);
  g_signal_remove_emission_hook (network_signal, network_hook);
  g_clear_object (&client);
  g_ptr_array_unref (script.clients);
  g_ptr_array_unref (script.served);
  g_string_free (script.log, TRUE);
  g_socket_close (script.listener, NULL);
  g_object_unref (script.listener);
  g_type_class_unref (klass);
}

/* In a subprocess: unguarded, the race ends in a SIGSEGV. */
static void
test_restart_race (void)
{
  if (g_test_subprocess ())
    {
      restart_race_run ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* A subprocess runs one test that needs no service. */
  if (!g_test_subprocess ())
    service = test_service_start (NULL, NULL);

  g_test_add_func ("/sync/api/backoff", test_backoff);
  g_test_add_func ("/sync/api/retry-after", test_retry_after);
  g_test_add_func ("/sync/api/etag", test_etag);
  g_test_add_func ("/sync/api/error-codes", test_error_codes);
  g_test_add_func ("/sync/api/base-url", test_base_url);
  g_test_add_func ("/sync/api/no-address", test_no_address);
  g_test_add_func ("/sync/api/decode/problem", test_decode_problem);
  g_test_add_func ("/sync/api/decode/session", test_decode_session);
  g_test_add_func ("/sync/api/decode/changes", test_decode_changes);
  g_test_add_func ("/sync/api/decode/lists", test_decode_lists);
  g_test_add_func ("/sync/api/decode/export", test_decode_export);
  g_test_add_func ("/sync/api/client/lying-server", test_lying_server);
  g_test_add_func ("/sync/api/client/service-errors", test_service_errors);
  g_test_add_func ("/sync/api/client/deadline", test_deadline);
  g_test_add_func ("/sync/api/client/stalled-loop", test_stalled_loop);
  g_test_add_func ("/sync/api/client/tls", test_tls);
  g_test_add_func ("/sync/api/client/tls-reasons", test_tls_reasons);
  g_test_add_func ("/sync/api/client/restart-race", test_restart_race);

  status = g_test_run ();

  if (service != NULL)
    test_service_stop (service);

  return status;
}

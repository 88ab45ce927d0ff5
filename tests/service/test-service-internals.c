/* test-service-internals.c — password hashing, rate limit, request
 * decoders and the store of the enrollment service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "enr-service-auth.h"
#include "enr-service-decoders.h"
#include "enr-service-loader.h"
#include "enr-service-pool.h"
#include "enr-service-rate-limit.h"
#include "enr-service-request.h"
#include "enr-service-server-private.h"
#include "enr-service-store.h"
#include "enr-test-db.h"
#include "enr-service-tasks.h"
#include "enr-service-throttle.h"

static char *
hex (const guint8 *data,
     gsize         length)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (out, "%02x", data[i]);

  return g_string_free (out, FALSE);
}

/* RFC 7914, section 11 (PBKDF2-HMAC-SHA256 test vectors). */
static void
test_pbkdf2_vectors (void)
{
  static const struct
  {
    const char *password;
    const char *salt;
    guint iterations;
    gsize length;
    const char *expected;
  } vectors[] = {
    { "passwd", "salt", 1, 64,
      "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
      "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783" },
    { "Password", "NaCl", 80000, 64,
      "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
      "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d" },
    { "password", "salt", 1, 32,
      "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b" },
    { "password", "salt", 4096, 32,
      "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      guint8 out[64];
      g_autofree char *actual = NULL;

      enr_service_pbkdf2_sha256 ((const guint8 *) vectors[i].password, strlen (vectors[i].password),
                                 (const guint8 *) vectors[i].salt, strlen (vectors[i].salt),
                                 vectors[i].iterations, out, vectors[i].length);
      actual = hex (out, vectors[i].length);
      g_assert_cmpstr (actual, ==, vectors[i].expected);
    }
}

static void
test_password_hash (void)
{
  g_autofree char *a = enr_service_password_hash ("correct horse", 1000);
  g_autofree char *b = enr_service_password_hash ("correct horse", 1000);
  g_autofree char *slow = enr_service_password_hash ("x", ENR_SERVICE_PBKDF2_ITERATIONS);

  g_assert_true (g_str_has_prefix (a, "pbkdf2-sha256$1000$"));
  g_assert_cmpstr (a, !=, b);     /* random salt */
  g_assert_true (enr_service_password_verify (a, "correct horse"));
  g_assert_true (enr_service_password_verify (b, "correct horse"));
  g_assert_false (enr_service_password_verify (a, "correct horsf"));
  g_assert_false (enr_service_password_verify (a, ""));
  g_assert_true (g_str_has_prefix (slow, "pbkdf2-sha256$100000$"));
  g_assert_true (enr_service_password_verify (slow, "x"));

  /* Malformed stored hashes never verify. */
  g_assert_false (enr_service_password_verify ("", "x"));
  g_assert_false (enr_service_password_verify ("plain", "plain"));
  g_assert_false (enr_service_password_verify ("pbkdf2-sha256$0$AAAA$AAAA", "x"));
  g_assert_false (enr_service_password_verify ("pbkdf2-sha256$10$$", "x"));
  g_assert_false (enr_service_password_verify ("md5$10$AAAA$AAAA", "x"));
}

static void
test_tokens (void)
{
  g_autofree char *a = enr_service_token_new ();
  g_autofree char *b = enr_service_token_new ();
  g_autofree char *digest = enr_service_token_digest ("abc");
  g_autofree char *id = enr_service_new_id ();
  const guint8 x[] = { 1, 2, 3 };
  const guint8 y[] = { 1, 2, 4 };

  g_assert_cmpuint (strlen (a), ==, 64);
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (digest, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpuint (strlen (id), ==, 36);
  g_assert_cmpint (id[14], ==, '4');
  g_assert_true (enr_service_constant_time_equal (x, x, 3));
  g_assert_false (enr_service_constant_time_equal (x, y, 3));
}

static void
test_rate_limit (void)
{
  g_autoptr(EnrServiceRateLimit) limit = enr_service_rate_limit_new (2.0, 3.0);
  g_autoptr(EnrServiceRateLimit) unlimited = enr_service_rate_limit_new (0, 1);
  gint64 t = 1000 * G_USEC_PER_SEC;

  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (enr_service_rate_limit_take (limit, "a", t), ==, 0);
  g_assert_cmpuint (enr_service_rate_limit_take (limit, "a", t), ==, 1);
  /* Another client has its own bucket. */
  g_assert_cmpuint (enr_service_rate_limit_take (limit, "b", t), ==, 0);
  /* Half a second refills one token at 2/s. */
  g_assert_cmpuint (enr_service_rate_limit_take (limit, "a", t + G_USEC_PER_SEC / 2), ==, 0);
  g_assert_cmpuint (enr_service_rate_limit_take (limit, "a", t + G_USEC_PER_SEC / 2), ==, 1);

  g_assert_cmpuint (enr_service_rate_limit_size (limit), ==, 2);
  enr_service_rate_limit_expire (limit, t + 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (enr_service_rate_limit_size (limit), ==, 0);

  for (guint i = 0; i < 100; i++)
    g_assert_cmpuint (enr_service_rate_limit_take (unlimited, "a", t), ==, 0);
}

/* However many keys come (a fresh address or session for every request),
 * the table stays bounded, and a new key is still limited. */
static void
test_rate_limit_bounded (void)
{
  g_autoptr(EnrServiceRateLimit) limit = enr_service_rate_limit_new (1.0, 2.0);
  gint64 t = 1000 * G_USEC_PER_SEC;

  enr_service_rate_limit_set_max_keys (limit, 100);
  g_assert_cmpuint (enr_service_rate_limit_take (limit, "busy", t), ==, 0);
  g_assert_cmpuint (enr_service_rate_limit_take (limit, "busy", t), ==, 0);
  g_assert_cmpuint (enr_service_rate_limit_take (limit, "busy", t), ==, 1);

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *key = g_strdup_printf ("random-%u", i);

      g_assert_cmpuint (enr_service_rate_limit_take (limit, key, t + i), ==, 0);
      g_assert_cmpuint (enr_service_rate_limit_size (limit), <=, 100);
    }

  t += 10000;
  g_assert_cmpuint (enr_service_rate_limit_take (limit, "last", t), ==, 0);
  g_assert_cmpuint (enr_service_rate_limit_take (limit, "last", t), ==, 0);
  g_assert_cmpuint (enr_service_rate_limit_take (limit, "last", t), ==, 1);
}

static void
test_address_key (void)
{
  static const struct
  {
    const char *address;
    const char *key;
  } cases[] = {
    { "192.0.2.7", "192.0.2.7" },
    { "::ffff:192.0.2.7", "192.0.2.7" },
    { "::1", "::1" },
    { "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:0db8:0001:0002::/64" },
    { "2001:db8:1:2::1", "2001:0db8:0001:0002::/64" },
    { "2001:db8:1:3::1", "2001:0db8:0001:0003::/64" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (cases[i].address);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, 443);
      g_autofree char *key = enr_service_address_key (address);

      g_assert_cmpstr (key, ==, cases[i].key);
    }
}

static void
test_decode_sign_in (void)
{
  static const struct
  {
    const char *body;
    int code;   /* -1 = accepted */
  } cases[] = {
    { "{\"username\":\"clerk\",\"password\":\"p\"}", -1 },
    { "{\"username\":\"clerk\",\"password\":\"p\",\"extra\":1}", -1 },
    { "{\"username\":\"clerk\"}", ENR_SERVICE_DECODE_ERROR_INVALID },
    { "{\"username\":\"\",\"password\":\"p\"}", ENR_SERVICE_DECODE_ERROR_INVALID },
    { "{\"username\":1,\"password\":\"p\"}", ENR_SERVICE_DECODE_ERROR_INVALID },
    { "[]", ENR_SERVICE_DECODE_ERROR_INVALID },
    { "{\"username\":\"clerk\",", ENR_SERVICE_DECODE_ERROR_MALFORMED },
    { "", ENR_SERVICE_DECODE_ERROR_MALFORMED },
    { "{'username':'clerk'}", ENR_SERVICE_DECODE_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EnrServiceSignIn) sign_in = enr_service_decode_sign_in (cases[i].body,
                                                                          strlen (cases[i].body),
                                                                          &error);

      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (sign_in->username, ==, "clerk");
          g_assert_cmpstr (sign_in->password, ==, "p");
        }
      else
        {
          g_assert_null (sign_in);
          g_assert_error (error, ENR_SERVICE_DECODE_ERROR, cases[i].code);
        }
    }
}

static void
test_decode_task (void)
{
  g_autoptr(GError) error = NULL;
  const char *body = "{\"kind\":\"enrollment\",\"program_id\":\"p\",\"customer_id\":\"c\","
                     "\"status\":\"completed\",\"version\":40,\"created_by\":\"mallory\","
                     "\"appointments\":[{\"activity_type_id\":\"a\",\"crew_id\":\"c\","
                     "\"crew_shift_id\":\"s\",\"start\":\"2030-01-01T08:00:00Z\","
                     "\"end\":\"2030-01-01T09:00:00Z\"}]}";
  g_autoptr(EnrServiceTask) task = enr_service_decode_task (body, strlen (body), &error);
  GPtrArray *appointments;

  g_assert_no_error (error);
  /* The members the service owns are not taken from the client. */
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_PENDING);
  g_assert_cmpint (enr_service_task_get_version (task), ==, 0);
  g_assert_null (enr_service_task_get_created_by (task));
  g_assert_nonnull (enr_entity_get_id (ENR_ENTITY (task)));
  appointments = enr_service_task_get_appointments (task);
  g_assert_cmpuint (appointments->len, ==, 1);
  g_assert_nonnull (enr_entity_get_id (g_ptr_array_index (appointments, 0)));

  {
    static const struct
    {
      const char *body;
      int code;
    } bad[] = {
      { "{\"kind\":\"maybe\",\"program_id\":\"p\",\"customer_id\":\"c\"}", ENR_SERVICE_DECODE_ERROR_INVALID },
      { "{\"program_id\":\"p\",\"customer_id\":\"c\"}", ENR_SERVICE_DECODE_ERROR_INVALID },
      { "{\"kind\":\"enrollment\",\"program_id\":5,\"customer_id\":\"c\"}", ENR_SERVICE_DECODE_ERROR_INVALID },
      { "{\"kind\":\"enrollment\",\"program_id\":\"p\",\"customer_id\":\"c\",\"start_date\":\"2030-02-30\"}",
        ENR_SERVICE_DECODE_ERROR_INVALID },
      { "{\"kind\":\"enrollment\",\"program_id\":\"p\",\"customer_id\":\"c\",\"x\":01}",
        ENR_SERVICE_DECODE_ERROR_MALFORMED },
      { "{\"kind\":\"enrollment\",\"program_id\":\"p\",\"customer_id\":\"c\",\"x\":18446744073709551616}",
        ENR_SERVICE_DECODE_ERROR_MALFORMED },
      { "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        ENR_SERVICE_DECODE_ERROR_MALFORMED },
      { "\"text\"", ENR_SERVICE_DECODE_ERROR_INVALID },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) bad_error = NULL;
        g_autoptr(EnrServiceTask) bad_task = enr_service_decode_task (bad[i].body, strlen (bad[i].body),
                                                                      &bad_error);

        g_assert_null (bad_task);
        g_assert_error (bad_error, ENR_SERVICE_DECODE_ERROR, bad[i].code);
      }
  }
}

static void
test_decode_others (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = enr_service_decode_cancel ("{\"reason\":\"moved\"}", 18, &error);
  g_autofree char *no_reason = enr_service_decode_cancel ("", 0, &error);
  g_autofree char *bad_reason = NULL;
  g_autoptr(GPtrArray) moves = NULL;
  g_autoptr(EnrCustomerCommunication) communication = NULL;
  const char *reschedule = "{\"appointments\":[{\"id\":\"a1\",\"activity_type_id\":\"a\",\"crew_id\":\"c\","
                           "\"crew_shift_id\":\"s\",\"start\":\"2030-01-01T08:00:00Z\","
                           "\"end\":\"2030-01-01T09:00:00Z\"}]}";
  const char *message = "{\"customer_id\":\"c\",\"channel\":\"email\",\"class\":\"inquiry\","
                        "\"category\":\"written\",\"created_by\":\"mallory\"}";

  g_assert_no_error (error);
  g_assert_cmpstr (reason, ==, "moved");
  g_assert_cmpstr (no_reason, ==, "");

  bad_reason = enr_service_decode_cancel ("{\"reason\":[1]}", 14, &error);
  g_assert_null (bad_reason);
  g_assert_error (error, ENR_SERVICE_DECODE_ERROR, ENR_SERVICE_DECODE_ERROR_INVALID);
  g_clear_error (&error);

  moves = enr_service_decode_reschedule (reschedule, strlen (reschedule), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (moves->len, ==, 1);
  g_clear_pointer (&moves, g_ptr_array_unref);

  moves = enr_service_decode_reschedule ("{\"appointments\":[]}", 19, &error);
  g_assert_null (moves);
  g_assert_error (error, ENR_SERVICE_DECODE_ERROR, ENR_SERVICE_DECODE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (enr_service_decode_empty ("", 0, &error));
  g_assert_true (enr_service_decode_empty ("{}", 2, &error));
  g_assert_no_error (error);
  g_assert_false (enr_service_decode_empty ("{", 1, &error));
  g_assert_error (error, ENR_SERVICE_DECODE_ERROR, ENR_SERVICE_DECODE_ERROR_MALFORMED);
  g_clear_error (&error);

  communication = enr_service_decode_communication (message, strlen (message), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_customer_communication_get_channel (communication), ==, "email");
  g_assert_cmpstr (enr_customer_communication_get_created_by (communication), ==, "service");
}

/* A new database: an SQLite file in *@directory, or on PostgreSQL a
 * schema of its own (enr-test-db.h). */
static char *
temp_database (char **directory)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  *directory = g_dir_make_tmp ("test-service-store-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*directory, "store.db", NULL);

  return enr_test_db_new (path);
}

static gboolean
sqlite_only (void)
{
  if (!enr_test_db_is_postgresql ())
    return FALSE;

  g_test_skip ("SQLite only");
  return TRUE;
}

static void
remove_directory (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);

      g_unlink (path);
    }
  g_rmdir (directory);
}

static void
test_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(GFile) sample = g_file_new_build_filename (SOURCE_DATADIR, "sample", NULL);
  g_autoptr(EnrServiceLoadReport) report = NULL;
  g_autoptr(EnrCustomerCommunication) communication = enr_customer_communication_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(EnrServiceStoredResponse) stored = NULL;
  g_autofree char *version_text = NULL;
  gint64 horizon, head, last;
  gint64 handed = enr_test_db_is_postgresql () ? 3 : 2;
  GDate today;
  EnrServiceStoredResponse response = {
    .method = (char *) "POST",
    .path = (char *) "/v1/communications",
    .body_hash = (char *) "abc",
    .status = 201,
    .content_type = (char *) "application/json",
    .body = g_bytes_new_static ("{}", 2),
  };

  g_assert_no_error (error);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, 3, 2030);
  g_assert_true (enr_service_load_dataset (store, sample, &today, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->users->len, ==, 3);
  g_assert_cmpuint (report->crew_shifts, >, 0);
  g_assert_cmpint (enr_service_store_count (store, ENR_TYPE_CUSTOMER, NULL), ==, 48);

  found = enr_service_store_search_customers (store, "Gonz\"* OR (", 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  enr_entity_set_id (ENR_ENTITY (communication), "comm-1");
  enr_customer_communication_set_customer_id (communication, "cust-0001");
  enr_customer_communication_set_channel (communication, "email");
  enr_customer_communication_set_class (communication, "inquiry");
  enr_customer_communication_set_category (communication, "written");
  enr_customer_communication_set_created_by (communication, "clerk");
  enr_customer_communication_set_created_at (communication, now);

  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_cmpint (enr_service_store_save (store, communication, NULL, &error), ==, 1);
  g_assert_cmpint (enr_service_store_save (store, communication, NULL, &error), ==, 2);
  g_assert_true (enr_service_store_save_response (store, "user-clerk", "key-1", &response, 100, &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);

  /* A foreign key that points nowhere fails the commit. */
  g_assert_true (enr_service_store_begin (store, &error));
  enr_customer_communication_set_customer_id (communication, "cust-none");
  g_assert_cmpint (enr_service_store_save (store, communication, NULL, &error), ==, 3);
  g_assert_false (enr_service_store_commit (store, &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  enr_service_store_rollback (store);

  stored = enr_service_store_find_response (store, "user-clerk", "key-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->status, ==, 201);
  g_assert_cmpstr (stored->path, ==, "/v1/communications");

  /* The head is the last position handed out: PostgreSQL's sequence
   * does not take back the one of the rolled-back change. */
  g_assert_true (enr_service_store_changes (store, 0, 10, NULL, &changes, &horizon, &head, &last, &error));
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpint (horizon, ==, 0);
  g_assert_cmpint (head, ==, handed);
  g_assert_cmpint (last, ==, handed);
  g_clear_pointer (&changes, g_ptr_array_unref);

  /* Keep one position; responses older than 50 s at t=200 go. */
  g_assert_true (enr_service_store_prune (store, 200, 50, 1, &error));
  g_assert_true (enr_service_store_changes (store, 0, 10, NULL, &changes, &horizon, &head, &last, &error));
  g_assert_cmpuint (changes->len, ==, handed == 2 ? 1 : 0);
  g_assert_cmpint (horizon, ==, handed - 1);
  g_assert_cmpint (head, ==, handed);
  g_clear_pointer (&stored, enr_service_stored_response_free);
  stored = enr_service_store_find_response (store, "user-clerk", "key-1", &error);
  g_assert_null (stored);
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_bytes_unref (response.body);
  enr_service_store_close (store);
  g_clear_object (&store);

  /* Reopening keeps the schema version and the data. */
  store = enr_service_store_open (path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(EnrCustomerCommunication) again =
      enr_service_store_get (store, ENR_TYPE_CUSTOMER_COMMUNICATION, "comm-1", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (enr_customer_communication_get_customer_id (again), ==, "cust-0001");
  }
  version_text = enr_service_store_get_meta (store, "dataset-name");
  g_assert_cmpstr (version_text, ==, "Riverbend Power & Light (sample)");
  enr_service_store_close (store);

  remove_directory (directory);
}

static EnrServiceTask *
task_created_at (const char *id,
                 GDateTime  *created_at)
{
  g_autofree char *at = g_date_time_format_iso8601 (created_at);
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"enrollment\",\"status\":\"pending\","
                                           "\"program_id\":\"prog-tstat\",\"customer_id\":\"cust-0001\","
                                           "\"created_by\":\"clerk\",\"created_at\":\"%s\"}", id, at);
  g_autoptr(GError) error = NULL;
  EnrServiceTask *task = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK, json, -1, &error);

  g_assert_no_error (error);
  return task;
}

/* Pending flows older than their task type's expiration days (30 for the
 * thermostat enrollment) are canceled by the service. */
static void
test_expire_tasks (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(GFile) sample = g_file_new_build_filename (SOURCE_DATADIR, "sample", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) long_ago = g_date_time_add_days (now, -31);
  g_autoptr(GDateTime) recently = g_date_time_add_days (now, -2);
  g_autoptr(EnrServiceTask) old = task_created_at ("task-old", long_ago);
  g_autoptr(EnrServiceTask) fresh = task_created_at ("task-fresh", recently);
  g_autoptr(EnrServiceTask) old_after = NULL;
  g_autoptr(EnrServiceTask) fresh_after = NULL;
  g_autoptr(GPtrArray) communications = NULL;
  GPtrArray *history;
  GDate today;

  g_assert_no_error (error);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, 3, 2030);
  g_assert_true (enr_service_load_dataset (store, sample, &today, NULL, &error));

  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_cmpint (enr_service_store_save (store, old, "clerk", &error), ==, 1);
  g_assert_cmpint (enr_service_store_save (store, fresh, "clerk", &error), ==, 1);
  g_assert_true (enr_service_store_commit (store, &error));

  g_assert_cmpuint (enr_service_expire_tasks (store, now), ==, 1);
  g_assert_cmpuint (enr_service_expire_tasks (store, now), ==, 0);

  old_after = enr_service_store_get (store, ENR_TYPE_SERVICE_TASK, "task-old", &error);
  fresh_after = enr_service_store_get (store, ENR_TYPE_SERVICE_TASK, "task-fresh", &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_service_task_get_status (old_after), ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpint (enr_service_task_get_version (old_after), ==, 2);
  history = enr_service_task_get_history (old_after);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpstr (enr_task_transition_get_by (g_ptr_array_index (history, 0)), ==, "service");
  g_assert_cmpint (enr_service_task_get_status (fresh_after), ==, ENR_TASK_STATUS_PENDING);

  communications = enr_service_store_customer_communications (store, "cust-0001", 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (communications->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (communications, 0), "\"class\":\"cancellation\""));

  enr_service_store_close (store);
  remove_directory (directory);
}

static void
test_store_future_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(EnrServiceStore) again = NULL;

  g_assert_no_error (error);
  g_assert_true (enr_service_store_exec (store,
                                         enr_test_db_is_postgresql () ? "UPDATE schema_version SET version = 99"
                                                                      : "PRAGMA user_version = 99",
                                         &error));
  enr_service_store_close (store);

  again = enr_service_store_open (path, &error);
  g_assert_null (again);
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_SCHEMA);

  remove_directory (directory);
}

/* Savepoints inside one transaction: a released one stays, one rolled
 * back is undone alone, and a broken deferred foreign key is seen before
 * COMMIT would fail on it. */
static void
test_store_savepoints (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  g_assert_no_error (error);

  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_savepoint (store, &error));
  g_assert_true (enr_service_store_set_meta (store, "sp-a", "1", &error));
  g_assert_true (enr_service_store_release (store, &error));

  g_assert_true (enr_service_store_savepoint (store, &error));
  g_assert_true (enr_service_store_set_meta (store, "sp-b", "2", &error));
  g_assert_true (enr_service_store_set_meta (store, "sp-a", "changed", &error));
  g_assert_true (enr_service_store_rollback_to (store, &error));

  /* SQLite tells a broken deferred foreign key before COMMIT (its group
   * commit undoes that write alone); PostgreSQL's writes commit alone. */
  if (!enr_test_db_is_postgresql ())
    {
      g_assert_true (enr_service_store_savepoint (store, &error));
      g_assert_false (enr_service_store_has_deferred_violations (store));
      g_assert_true (enr_service_store_exec (store,
                                             "INSERT INTO communications (id, version, json, customer_id)"
                                             " VALUES ('comm-dangling', 1, '{}', 'cust-none')",
                                             &error));
      g_assert_true (enr_service_store_has_deferred_violations (store));
      g_assert_true (enr_service_store_rollback_to (store, &error));
      g_assert_false (enr_service_store_has_deferred_violations (store));
    }

  g_assert_true (enr_service_store_savepoint (store, &error));
  g_assert_true (enr_service_store_set_meta (store, "sp-c", "3", &error));
  g_assert_true (enr_service_store_release (store, &error));
  g_assert_true (enr_service_store_transaction_alive (store));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_false (enr_service_store_transaction_alive (store));

  a = enr_service_store_get_meta (store, "sp-a");
  b = enr_service_store_get_meta (store, "sp-b");
  c = enr_service_store_get_meta (store, "sp-c");
  g_assert_cmpstr (a, ==, "1");
  g_assert_null (b);
  g_assert_cmpstr (c, ==, "3");
  g_assert_false (enr_service_store_exists (store, ENR_TYPE_CUSTOMER_COMMUNICATION, "comm-dangling"));

  enr_service_store_close (store);
  remove_directory (directory);
}

static char *
program_name (EnrServiceStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrProgram) program = enr_service_store_get (store, ENR_TYPE_PROGRAM, "prog-tstat", &error);

  g_assert_no_error (error);
  return g_strdup (enr_program_get_name (program));
}

/* Reference data is decoded once and shared, and a write to it (or a
 * rollback) is seen at once. */
static void
test_reference_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(GFile) sample = g_file_new_build_filename (SOURCE_DATADIR, "sample", NULL);
  g_autoptr(EnrProgram) first = NULL;
  g_autoptr(EnrProgram) second = NULL;
  g_autoptr(EnrProgram) changed = NULL;
  g_autoptr(GPtrArray) programs = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *original = NULL;
  g_autofree char *during = NULL;
  g_autofree char *after_rollback = NULL;
  g_autofree char *after_commit = NULL;
  g_autoptr(EnrProgram) cached = NULL;
  g_autoptr(EnrProgram) kept = NULL;
  g_autoptr(EnrProgram) kept_again = NULL;
  GDate today;

  g_assert_no_error (error);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, 3, 2030);
  g_assert_true (enr_service_load_dataset (store, sample, &today, NULL, &error));
  g_assert_no_error (error);

  first = enr_service_store_get (store, ENR_TYPE_PROGRAM, "prog-tstat", &error);
  second = enr_service_store_get (store, ENR_TYPE_PROGRAM, "prog-tstat", &error);
  g_assert_no_error (error);
  g_assert_true (first == second);
  g_assert_null (enr_service_store_get (store, ENR_TYPE_PROGRAM, "prog-none", &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  programs = enr_service_store_list (store, ENR_TYPE_PROGRAM, NULL, NULL, &error);
  again = enr_service_store_list (store, ENR_TYPE_PROGRAM, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (programs->len, ==, 9);
  g_assert_cmpuint (again->len, ==, 9);
  for (guint i = 0; i < programs->len; i++)
    {
      g_assert_true (g_ptr_array_index (programs, i) == g_ptr_array_index (again, i));
      if (i > 0)
        g_assert_cmpstr (enr_entity_get_id (g_ptr_array_index (programs, i - 1)), <,
                         enr_entity_get_id (g_ptr_array_index (programs, i)));
    }

  original = program_name (store);
  json = enr_service_store_get_json (store, ENR_TYPE_PROGRAM, "prog-tstat", NULL, &error);
  changed = enr_codec_decode_data (ENR_TYPE_PROGRAM, json, -1, &error);
  g_assert_no_error (error);
  enr_program_set_name (changed, "Renamed thermostat program");

  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_import (store, changed, &error));
  during = program_name (store);
  g_assert_cmpstr (during, ==, "Renamed thermostat program");
  enr_service_store_rollback (store);
  after_rollback = program_name (store);
  g_assert_cmpstr (after_rollback, ==, original);

  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_import (store, changed, &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);
  after_commit = program_name (store);
  g_assert_cmpstr (after_commit, ==, "Renamed thermostat program");
  /* The shared object handed out before was not changed. */
  g_assert_cmpstr (enr_program_get_name (first), ==, original);

  /* A rollback (or one to a savepoint) of a transaction that changed no
   * reference data keeps what is cached. */
  cached = enr_service_store_get (store, ENR_TYPE_PROGRAM, "prog-tstat", &error);
  g_assert_no_error (error);
  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_savepoint (store, &error));
  g_assert_true (enr_service_store_rollback_to (store, &error));
  kept = enr_service_store_get (store, ENR_TYPE_PROGRAM, "prog-tstat", &error);
  g_assert_no_error (error);
  g_assert_true (kept == cached);
  enr_service_store_rollback (store);
  kept_again = enr_service_store_get (store, ENR_TYPE_PROGRAM, "prog-tstat", &error);
  g_assert_no_error (error);
  g_assert_true (kept_again == cached);

  enr_service_store_close (store);
  remove_directory (directory);
}

static void
add_customer (EnrServiceStore *store,
              const char      *id,
              const char      *name,
              const char      *email,
              const char      *address)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrCustomer) customer = enr_customer_new ();
  g_autofree char *account = g_strdup_printf ("ACC-%s", id);

  enr_entity_set_id (ENR_ENTITY (customer), id);
  enr_customer_set_name (customer, name);
  enr_customer_set_account_id (customer, account);
  enr_customer_set_email (customer, email);
  enr_customer_set_mailing_address (customer, address);
  g_assert_true (enr_service_store_import (store, customer, &error));
  g_assert_no_error (error);
}

static char *
search_ids (EnrServiceStore *store,
            const char      *query,
            guint            offset,
            guint            limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = enr_service_store_search_customers (store, query, offset, limit, &error);
  GString *ids = g_string_new (NULL);

  g_assert_no_error (error);

  /* The reply's way, with one row fewer a page (the last row tells
   * whether another page follows): the rows written straight into the
   * reply are byte for byte the page enr_service_json_append_array()
   * makes of them, after what the reply had. */
  if (limit >= 2)
    {
      g_autoptr(GString) written = g_string_new ("{\"items\":");
      g_autoptr(GString) made = g_string_new ("{\"items\":");
      g_autoptr(GPtrArray) page = g_ptr_array_new ();
      gboolean more = !(rows->len > limit - 1);

      g_assert_true (enr_service_store_write_customer_search (store, query, offset, limit - 1,
                                                              written, &more, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < MIN (rows->len, limit - 1); i++)
        g_ptr_array_add (page, g_ptr_array_index (rows, i));
      enr_service_json_append_array (made, page);
      g_assert_cmpstr (written->str, ==, made->str);
      g_assert_cmpint (more, ==, rows->len > limit - 1);
    }

  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(EnrCustomer) customer = enr_codec_decode_data (ENR_TYPE_CUSTOMER, g_ptr_array_index (rows, i),
                                                               -1, &error);

      g_assert_no_error (error);
      g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", enr_entity_get_id (ENR_ENTITY (customer)));
    }

  return g_string_free (ids, FALSE);
}

/* Customer search: name matches first, then the others, each by name; every
 * page is the matching slice of that order. */
static void
test_search_order (void)
{
  static const struct
  {
    const char *query;
    const char *expected;
  } cases[] = {
    /* "Smith…" in the names of Ann, Bob, Yan and Zed; then in the address
     * of Carl, the email of Dana, the address of Eve. */
    { "smith", "c2 c5 c3 c1 c6 c4 c7" },
    { "SMI", "c2 c5 c3 c1 c6 c4 c7" },
    { "bob smith", "c5" },
    { "ann smith", "c2 c7" },
    { "smithers", "c1" },
    { "lane", "c3 c6" },
    /* Partly in the name, partly elsewhere. */
    { "ann rd", "c7" },
    { "ann smi", "c2 c7" },
    { "smith lane", "c3 c6" },
    { "dana fan", "c4" },
    { "nobody", "" },
    { "", "c2 c5 c6 c4 c7 c3 c1" },
    { "\"* OR (", "" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (enr_service_store_begin (store, &error));
  add_customer (store, "c1", "Zed Smithers", "zed@example.net", "1 Oak St");
  add_customer (store, "c2", "Ann Smith", "ann@example.net", "2 Oak St");
  add_customer (store, "c3", "Yan Smith-Lane", NULL, "3 Elm St");
  add_customer (store, "c4", "Dana Lee", "smith.fan@example.net", "4 Oak St");
  add_customer (store, "c5", "Bob Smith", NULL, "5 Oak St");
  add_customer (store, "c6", "Carl Jones", NULL, "6 Smith Lane");
  add_customer (store, "c7", "Eve Ann", NULL, "7 Smith Rd");
  g_assert_true (enr_service_store_rebuild_search (store, &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *all = search_ids (store, cases[i].query, 0, 100);
      g_auto(GStrv) ids = g_strsplit (all, " ", 0);
      guint n = all[0] != '\0' ? g_strv_length (ids) : 0;

      g_assert_cmpstr (all, ==, cases[i].expected);

      /* Every page, wherever it starts and however long it is. */
      for (guint offset = 0; offset <= n + 1; offset++)
        for (guint limit = 1; limit <= n + 1; limit++)
          {
            g_autofree char *page = search_ids (store, cases[i].query, offset, limit);
            g_autoptr(GString) expected = g_string_new (NULL);

            for (guint k = offset; k < MIN (n, offset + limit); k++)
              g_string_append_printf (expected, "%s%s", k > offset ? " " : "", ids[k]);
            g_assert_cmpstr (page, ==, expected->str);
          }
    }

  enr_service_store_close (store);
  remove_directory (directory);
}

/* The words of @text as the search cuts them: runs of letters and digits,
 * case-folded, without diacritics (docs/api.md). */
static GPtrArray *
reference_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) word = g_string_new (NULL);

  if (text == NULL)
    return words;
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  for (const char *p = decomposed; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_ENCLOSING_MARK ||
          type == G_UNICODE_SPACING_MARK)
        continue;
      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        g_ptr_array_add (words, g_utf8_casefold (word->str, -1));
      g_string_truncate (word, 0);
      if (c == 0)
        break;
    }

  return words;
}

/* Whether every word of @query starts a word of @words. */
static gboolean
reference_has_all (GPtrArray *query,
                   GPtrArray *words)
{
  for (guint i = 0; i < query->len; i++)
    {
      gboolean found = FALSE;

      for (guint k = 0; k < words->len && !found; k++)
        found = g_str_has_prefix (g_ptr_array_index (words, k), g_ptr_array_index (query, i));
      if (!found)
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  char      *id;
  char      *name;
  GPtrArray *name_words;
  GPtrArray *all_words;
} ShapeCustomer;

static void
shape_customer_free (ShapeCustomer *customer)
{
  g_free (customer->id);
  g_free (customer->name);
  g_ptr_array_unref (customer->name_words);
  g_ptr_array_unref (customer->all_words);
  g_free (customer);
}

static int
compare_shape_customers (gconstpointer a,
                         gconstpointer b)
{
  const ShapeCustomer *x = *(ShapeCustomer * const *) a;
  const ShapeCustomer *y = *(ShapeCustomer * const *) b;
  int by_name = strcmp (x->name, y->name);

  return by_name != 0 ? by_name : strcmp (x->id, y->id);
}

/* What a search for @query must give, worked out from the customers
 * themselves: those with every word in the name, then those with every
 * word anywhere, each by name and id (docs/api.md); @in_name gets the
 * size of the first group. */
static GPtrArray *
reference_search (GPtrArray  *customers,
                  const char *query,
                  guint      *in_name)
{
  g_autoptr(GPtrArray) words = reference_words (query);
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; i < customers->len; i++)
    {
      ShapeCustomer *customer = g_ptr_array_index (customers, i);

      if (reference_has_all (words, customer->name_words))
        g_ptr_array_add (ids, customer->id);
    }
  *in_name = ids->len;
  for (guint i = 0; i < customers->len; i++)
    {
      ShapeCustomer *customer = g_ptr_array_index (customers, i);

      if (!reference_has_all (words, customer->name_words) && reference_has_all (words, customer->all_words))
        g_ptr_array_add (ids, customer->id);
    }

  return ids;
}

/* The query shapes bench-service measures (the full name, the last name,
 * three letters of the first name, the first name and two letters of the
 * last), over names, e-mails and addresses that share words and
 * prefixes: every page of each, at several page sizes, is the slice of
 * the order worked out independently above. */
static void
test_search_shapes (void)
{
  static const char *firsts[] = { "Carlos", "Carla", "Carmen", "Ana", "Anabel", "José", "Joseph", "Ri",
                                  "Lee", "Zoë", "Mar", "Rivka" };
  static const char *lasts[] = { "Rivera", "Rice", "Riley", "Rivers", "Lee", "Leeds", "López", "Smith",
                                 "Smithers", "Carlsen", "Anders", "Marín" };
  static const char *streets[] = { "Rivera", "Carlos", "Oak", "Riverside", "Smith", "Anabel", "Lee", "Main" };
  static const char *suffixes[] = { "St", "Rd", "Ave", "Lane" };
  static const char *extra[] = { "ri", "car ri", "smith", "lee lee", "5415550012", "555 0012", "oak",
                                 "josé", "JOSE ri", "c01", "acc", "rivera carlos", "zz", "carlos st" };
  static const guint limits[] = { 1, 2, 7, 21, 101 };
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func ((GDestroyNotify) shape_customer_free);
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_free);
  guint with_others = 0, long_names = 0, searches = 0;

  g_assert_no_error (error);
  g_assert_true (enr_service_store_begin (store, &error));
  for (guint i = 0; i < 240; i++)
    {
      g_autoptr(EnrCustomer) customer = enr_customer_new ();
      ShapeCustomer *shape = g_new0 (ShapeCustomer, 1);
      const char *first = firsts[(i * 7) % G_N_ELEMENTS (firsts)];
      const char *last = lasts[(i * 5 + i / 12) % G_N_ELEMENTS (lasts)];
      g_autofree char *folded_first = NULL, *folded_last = NULL;
      g_autofree char *account = NULL, *phone = NULL, *email = NULL, *address = NULL;
      const char *fields[5];

      /* Ids out of name order, so equal names are ordered by id. */
      shape->id = g_strdup_printf ("c%03u", (i * 97) % 240);
      if (i % 11 == 0)
        shape->name = g_strdup_printf ("%s %s", last, first);
      else if (i % 7 == 0)
        shape->name = g_strdup_printf ("%s %s %s", first, firsts[i % G_N_ELEMENTS (firsts)], last);
      else if (i % 13 == 0)
        shape->name = g_strdup_printf ("%s %s-%s", first, last, lasts[i % G_N_ELEMENTS (lasts)]);
      else
        shape->name = g_strdup_printf ("%s %s", first, last);
      {
        g_autoptr(GPtrArray) a = reference_words (first);
        g_autoptr(GPtrArray) b = reference_words (last);

        folded_first = g_strdup (g_ptr_array_index (a, 0));
        folded_last = g_strdup (g_ptr_array_index (b, 0));
      }
      account = g_strdup_printf ("ACC-%s", shape->id);
      phone = g_strdup_printf ("(541) 555-%04u", i);
      if (i % 3 == 0)
        email = g_strdup_printf ("%s.%s.%u@example.net", folded_first, folded_last, i);
      else if (i % 3 == 1)
        email = g_strdup_printf ("%c%s%u@mail.org", folded_first[0], folded_last, i);
      else if (i % 6 == 2)
        {
          /* A household's address: another first name than the customer's. */
          g_autoptr(GPtrArray) other = reference_words (firsts[(i * 7 + 1) % G_N_ELEMENTS (firsts)]);

          email = g_strdup_printf ("%s.%s@home.net", (const char *) g_ptr_array_index (other, 0), folded_last);
        }
      address = g_strdup_printf ("%u %s %s, Willow Creek", 10 + i, streets[(i * 3) % G_N_ELEMENTS (streets)],
                                 suffixes[i % G_N_ELEMENTS (suffixes)]);

      enr_entity_set_id (ENR_ENTITY (customer), shape->id);
      enr_customer_set_name (customer, shape->name);
      enr_customer_set_account_id (customer, account);
      enr_customer_set_phone (customer, phone);
      enr_customer_set_email (customer, email);
      enr_customer_set_mailing_address (customer, address);
      g_assert_true (enr_service_store_import (store, customer, &error));
      g_assert_no_error (error);

      shape->name_words = reference_words (shape->name);
      shape->all_words = reference_words (shape->name);
      fields[0] = account;
      fields[1] = phone;
      fields[2] = email;
      fields[3] = address;
      fields[4] = NULL;
      for (guint f = 0; f < 4; f++)
        {
          g_autoptr(GPtrArray) words = reference_words (fields[f]);

          for (guint k = 0; k < words->len; k++)
            g_ptr_array_add (shape->all_words, g_strdup (g_ptr_array_index (words, k)));
        }
      {
        g_autoptr(GString) digits = g_string_new (NULL);

        for (const char *p = phone; *p; p++)
          if (g_ascii_isdigit (*p))
            g_string_append_c (digits, *p);
        g_ptr_array_add (shape->all_words, g_strdup (digits->str));
      }
      g_ptr_array_add (customers, shape);

      if (i % 17 == 0)
        {
          g_auto(GStrv) split = g_strsplit (shape->name, " ", 0);
          guint n = g_strv_length (split);
          g_autofree char *three = g_utf8_substring (split[0], 0, 3);
          g_autofree char *two = g_utf8_substring (split[n - 1], 0, 2);

          g_ptr_array_add (queries, g_strdup (shape->name));
          g_ptr_array_add (queries, g_strdup (split[n - 1]));
          g_ptr_array_add (queries, g_steal_pointer (&three));
          g_ptr_array_add (queries, g_strdup_printf ("%s %s", split[0], two));
        }
    }
  g_assert_true (enr_service_store_rebuild_search (store, &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);
  g_ptr_array_sort (customers, compare_shape_customers);
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    g_ptr_array_add (queries, g_strdup (extra[i]));

  for (guint q = 0; q < queries->len; q++)
    {
      const char *query = g_ptr_array_index (queries, q);
      guint in_name;
      g_autoptr(GPtrArray) expected = reference_search (customers, query, &in_name);
      guint offsets[] = { 0, 1, 5, 20, 21, MAX (expected->len, 1) - 1, expected->len, expected->len + 3 };

      if (expected->len > in_name && in_name > 0)
        with_others++;
      if (in_name > 21)
        long_names++;

      for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
        for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
          {
            g_autofree char *page = search_ids (store, query, offsets[o], limits[l]);
            g_autoptr(GString) want = g_string_new (NULL);

            for (guint k = offsets[o]; k < MIN (expected->len, offsets[o] + limits[l]); k++)
              g_string_append_printf (want, "%s%s", k > offsets[o] ? " " : "",
                                      (const char *) g_ptr_array_index (expected, k));
            if (g_strcmp0 (page, want->str) != 0)
              g_test_message ("q=\"%s\" offset %u limit %u", query, offsets[o], limits[l]);
            g_assert_cmpstr (page, ==, want->str);
            searches++;
          }
    }
  g_test_message ("%u queries, %u searches; %u with matches beyond the names, %u with more than 21 in the name",
                  queries->len, searches, with_others, long_names);
  /* The data reach every branch: pages past the name matches, pages
   * inside them. */
  g_assert_cmpuint (with_others, >=, 5);
  g_assert_cmpuint (long_names, >=, 5);

  enr_service_store_close (store);
  remove_directory (directory);
}

/* A schema 1 database (search ranked by relevance) migrates to schema 2:
 * search by name order works at once. */
static void
store_migrate_search (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(EnrServiceStore) again = NULL;
  g_autofree char *found = NULL;

  g_assert_no_error (error);
  g_assert_true (enr_service_store_begin (store, &error));
  add_customer (store, "c1", "Zed Smithers", NULL, "1 Oak St");
  add_customer (store, "c2", "Ann Smith", NULL, "2 Smith Rd");
  g_assert_true (enr_service_store_exec (store,
                                         "DROP TABLE sign_in_throttle;"
                                         "DROP TABLE customer_order;"
                                         "DROP TABLE customer_names;"
                                         "DROP TABLE customer_search;"
                                         "CREATE VIRTUAL TABLE customer_search USING fts5 (name, account_id,"
                                         "  phone, phone_digits, email, address,"
                                         "  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
                                         "PRAGMA user_version = 1;",
                                         &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);
  enr_service_store_close (store);

  again = enr_service_store_open (path, &error);
  g_assert_no_error (error);
  found = search_ids (again, "smith", 0, 10);
  g_assert_cmpstr (found, ==, "c2 c1");

  enr_service_store_close (again);
  remove_directory (directory);
}

/* A schema 8 database (customer_order without the customers' JSON)
 * migrates to schema 9: the search and the plain listing give the same
 * customers, page by page, as a new database. */
static void
store_migrate_order_json (void)
{
  static const char *queries[] = { "smith", "ann", "oak", "ann rd", "" };
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(EnrServiceStore) again = NULL;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  g_assert_true (enr_service_store_begin (store, &error));
  add_customer (store, "c1", "Zed Smithers", "zed@example.net", "1 Oak St");
  add_customer (store, "c2", "Ann Smith", "ann@example.net", "2 Oak St");
  add_customer (store, "c3", "Yan Smith-Lane", NULL, "3 Elm St");
  add_customer (store, "c4", "Eve Ann", NULL, "7 Smith Rd");
  g_assert_true (enr_service_store_rebuild_search (store, &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    for (guint offset = 0; offset < 4; offset++)
      g_ptr_array_add (before, search_ids (store, queries[i], offset, 2));

  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_exec (store,
                                         "CREATE TABLE old_order AS SELECT pos, customer_id FROM customer_order;"
                                         "DROP TABLE customer_order;"
                                         "CREATE TABLE customer_order (pos INTEGER PRIMARY KEY,"
                                         "  customer_id TEXT NOT NULL UNIQUE);"
                                         "INSERT INTO customer_order SELECT pos, customer_id FROM old_order;"
                                         "DROP TABLE old_order;"
                                         "PRAGMA user_version = 8;",
                                         &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);
  enr_service_store_close (store);

  again = enr_service_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0, k = 0; i < G_N_ELEMENTS (queries); i++)
    for (guint offset = 0; offset < 4; offset++, k++)
      {
        g_autofree char *found = search_ids (again, queries[i], offset, 2);

        g_assert_cmpstr (found, ==, g_ptr_array_index (before, k));
      }
  g_assert_cmpstr (g_ptr_array_index (before, 0), ==, "c2 c3");

  enr_service_store_close (again);
  remove_directory (directory);
}

/* The migrations of the search's tables: a store of five customers
 * whose pages of @queries (offsets 0-3, 2 a page) are kept, taken back
 * to @version by @downgrade (the tables it lacked dropped), then opened
 * again, which migrates it: every page must be the same. Returns the
 * pages before, in query and offset order; *@path the store's file. */
static GPtrArray *
migrate_search_pages (const char * const *queries,
                      guint               n_queries,
                      const char         *downgrade,
                      char              **directory,
                      char              **path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceStore) store = NULL;
  g_autoptr(EnrServiceStore) again = NULL;
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_free);

  *path = temp_database (directory);
  store = enr_service_store_open (*path, &error);
  g_assert_no_error (error);
  g_assert_true (enr_service_store_begin (store, &error));
  add_customer (store, "c1", "Zed Smithers", "zed@example.net", "1 Oak St");
  add_customer (store, "c2", "Ann Smith", "ann@example.net", "2 Oak St");
  add_customer (store, "c3", "Yan Smith-Lane", NULL, "3 Elm St");
  add_customer (store, "c4", "Eve Ann", NULL, "7 Smith Rd");
  add_customer (store, "c5", "Ann Annable", "smith@example.net", "9 Lane Rd");
  g_assert_true (enr_service_store_rebuild_search (store, &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n_queries; i++)
    for (guint offset = 0; offset < 4; offset++)
      g_ptr_array_add (before, search_ids (store, queries[i], offset, 2));

  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_exec (store, downgrade, &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);
  enr_service_store_close (store);

  again = enr_service_store_open (*path, &error);
  g_assert_no_error (error);
  for (guint i = 0, k = 0; i < n_queries; i++)
    for (guint offset = 0; offset < 4; offset++, k++)
      {
        g_autofree char *found = search_ids (again, queries[i], offset, 2);

        g_assert_cmpstr (found, ==, g_ptr_array_index (before, k));
      }
  enr_service_store_close (again);

  return g_steal_pointer (&before);
}

/* A schema 11 database (no word lists) migrates to schema 12: queries
 * of two words, which read the lists, give the same pages as before. */
static void
store_migrate_word_lists (void)
{
  static const char * const queries[] = { "ann smith", "smith ann", "ann sm", "smith lane", "ann rd",
                                          "zed oak", "eve an" };
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) before = migrate_search_pages (queries, G_N_ELEMENTS (queries),
                                                      "DROP TABLE customer_name_pairs;"
                                                      "DROP TABLE customer_other_words;"
                                                      "PRAGMA user_version = 11;",
                                                      &directory, &path);

  g_assert_cmpstr (g_ptr_array_index (before, 0), ==, "c2 c5");
  g_assert_cmpstr (g_ptr_array_index (before, 4), ==, "c2 c5");
  g_assert_cmpstr (g_ptr_array_index (before, 12), ==, "c3 c5");

  remove_directory (directory);
}

/* A schema 12 database (no name prefixes) migrates to schema 13:
 * queries of one word, which read the prefixes, give the same pages as
 * before, past the name matches too. */
static void
store_migrate_name_prefixes (void)
{
  static const char * const queries[] = { "smith", "SMI", "s", "ann", "an", "lane", "oak", "annable", "zz" };
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  g_autofree char *prefixes = NULL;
  g_autoptr(GPtrArray) before = migrate_search_pages (queries, G_N_ELEMENTS (queries),
                                                      "DROP TABLE customer_name_prefixes;"
                                                      "PRAGMA user_version = 12;",
                                                      &directory, &path);

  /* "Ann Annable": a, an, ann (once), anna, …, annable. */
  prefixes = enr_test_db_query (path, "SELECT group_concat (prefix, ' ') FROM customer_name_prefixes"
                                      " WHERE pos = (SELECT pos FROM customer_order WHERE customer_id = 'c5')");
  g_assert_cmpstr (prefixes, ==, "a an ann anna annab annabl annable");
  /* Name matches, then the others (c5's e-mail, c4's street), each in
   * name order. */
  g_assert_cmpstr (g_ptr_array_index (before, 0), ==, "c2 c3");
  g_assert_cmpstr (g_ptr_array_index (before, 1), ==, "c3 c1");
  g_assert_cmpstr (g_ptr_array_index (before, 2), ==, "c1 c5");
  g_assert_cmpstr (g_ptr_array_index (before, 3), ==, "c5 c4");

  remove_directory (directory);
}

static gint64
count_throttle_rows (EnrServiceStore *store)
{
  g_autoptr(GError) error = NULL;
  EnrDbStmt *stmt = enr_db_prepare (enr_service_store_get_db (store),
                                    "SELECT count(*) FROM sign_in_throttle", &error);
  gint64 count;

  g_assert_no_error (error);
  g_assert_cmpint (enr_db_stmt_step (stmt, &error), ==, ENR_DB_STEP_ROW);
  count = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);

  return count;
}

/* Guesses from many addresses at many user names leave at most max_rows
 * rows after a prune; rows go once their failures are forgotten. */
static void
test_throttle_bounded (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  EnrServiceThrottleConfig config;
  gint64 now = 1700000000000;

  g_assert_no_error (error);
  enr_service_throttle_config_init (&config);
  config.max_rows = 10;

  g_assert_true (enr_service_store_begin (store, &error));
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *username = g_strdup_printf ("user-%u", i);
      g_autofree char *address = g_strdup_printf ("192.0.2.%u", i);
      EnrServiceThrottleCheck check;

      g_assert_true (enr_service_throttle_check (store, &config, username, NULL, address, now + i,
                                                 &check, &error));
      g_assert_no_error (error);
      g_assert_cmpint (check.verdict, ==, ENR_SERVICE_THROTTLE_ALLOWED);
    }
  g_assert_cmpint (count_throttle_rows (store), ==, 100);

  g_assert_true (enr_service_throttle_prune (store, &config, now + 50, &error));
  g_assert_cmpint (count_throttle_rows (store), ==, 10);
  g_assert_true (enr_service_throttle_prune (store, &config,
                                             now + 100 + (gint64) config.forget_seconds * 1000, &error));
  g_assert_cmpint (count_throttle_rows (store), ==, 0);
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);

  enr_service_store_close (store);
  remove_directory (directory);
}

/* Migration 4: enums held as nicks become their numbers (the database
 * layer's rule), and queries find them by nick as before. */
static void
store_migrate_enums (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(EnrServiceStore) again = NULL;
  g_autoptr(GFile) sample = g_file_new_build_filename (SOURCE_DATADIR, "sample", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(EnrServiceTask) task = task_created_at ("task-nick", now);
  g_autoptr(GPtrArray) found = NULL;
  EnrServiceTaskFilter filter;
  EnrDbStmt *stmt;
  GDate today;

  g_assert_no_error (error);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, 3, 2030);
  g_assert_true (enr_service_load_dataset (store, sample, &today, NULL, &error));
  enr_service_task_set_status (task, ENR_TASK_STATUS_ERROR);
  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_cmpint (enr_service_store_save (store, task, "clerk", &error), ==, 1);

  /* Back to schema 3: status and kind as text nicks. */
  g_assert_true (enr_service_store_exec (store,
                                         "DROP INDEX service_tasks_status;"
                                         "ALTER TABLE service_tasks ADD COLUMN s TEXT;"
                                         "ALTER TABLE service_tasks ADD COLUMN k TEXT;"
                                         "UPDATE service_tasks SET s = CASE status WHEN 0 THEN 'pending'"
                                         "  WHEN 2 THEN 'error' ELSE 'in-progress' END,"
                                         "  k = CASE kind WHEN 0 THEN 'enrollment' ELSE 'unenrollment' END;"
                                         "ALTER TABLE service_tasks DROP COLUMN status;"
                                         "ALTER TABLE service_tasks DROP COLUMN kind;"
                                         "ALTER TABLE service_tasks RENAME COLUMN s TO status;"
                                         "ALTER TABLE service_tasks RENAME COLUMN k TO kind;"
                                         "CREATE INDEX service_tasks_status ON service_tasks (status, created_at);"
                                         "PRAGMA user_version = 3;",
                                         &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ENR_TASK_STATUS_ERROR, ==, 2);
  enr_service_store_close (store);

  again = enr_service_store_open (path, &error);
  g_assert_no_error (error);
  stmt = enr_db_prepare (enr_service_store_get_db (again),
                         "SELECT typeof (status), status, kind FROM service_tasks WHERE id = 'task-nick'",
                         &error);
  g_assert_cmpint (enr_db_stmt_step (stmt, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpstr (enr_db_stmt_column_text (stmt, 0), ==, "integer");
  g_assert_cmpint (enr_db_stmt_column_int64 (stmt, 1), ==, ENR_TASK_STATUS_ERROR);
  g_assert_cmpint (enr_db_stmt_column_int64 (stmt, 2), ==, ENR_TASK_KIND_ENROLLMENT);
  enr_db_stmt_reset (stmt);

  enr_service_task_filter_init (&filter);
  filter.status = "error";
  found = enr_service_store_find_tasks (again, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (found, 0), "\"task-nick\""));

  enr_service_store_close (again);
  remove_directory (directory);
}

/* A second connection to the database of @store (PostgreSQL: the same
 * schema), as another pool thread or instance has. */
static EnrServiceStore *
open_again (EnrServiceStore *store)
{
  g_autoptr(GError) error = NULL;
  EnrServiceStore *other = enr_service_store_open (enr_db_get_target (enr_service_store_get_db (store)),
                                                   &error);

  g_assert_no_error (error);
  return other;
}

static EnrCustomerCommunication *
note_for (const char *id,
          const char *customer_id)
{
  EnrCustomerCommunication *note = enr_customer_communication_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  enr_entity_set_id (ENR_ENTITY (note), id);
  enr_customer_communication_set_customer_id (note, customer_id);
  enr_customer_communication_set_channel (note, "phone");
  enr_customer_communication_set_class (note, "inquiry");
  enr_customer_communication_set_category (note, "verbal");
  enr_customer_communication_set_created_at (note, now);

  return note;
}

static char *
feed_ids (EnrServiceStore *store,
          gint64           since,
          gint64          *head)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  GString *ids = g_string_new (NULL);
  gint64 horizon, last;

  g_assert_true (enr_service_store_changes (store, since, 100, NULL, &changes, &horizon, head, &last, &error));
  g_assert_no_error (error);
  g_assert_cmpint (*head, <=, last);
  for (guint i = 0; i < changes->len; i++)
    {
      EnrServiceChange *change = g_ptr_array_index (changes, i);

      g_assert_cmpint (change->seq, <=, *head);
      g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", change->id);
    }

  return g_string_free (ids, FALSE);
}

/* The change feed is commit-ordered. On PostgreSQL a write takes its feed
 * position from a sequence before it commits; here the first write (the
 * lower position) commits after the second on purpose: the feed must not
 * pass its position while it is in flight, or a client would skip it. */
static void
test_feed_commit_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(EnrServiceStore) late = NULL;
  g_autoptr(EnrServiceStore) early = NULL;
  g_autoptr(EnrCustomerCommunication) first = note_for ("note-first", "c1");
  g_autoptr(EnrCustomerCommunication) second = note_for ("note-second", "c1");
  g_autofree char *before = NULL;
  g_autofree char *during = NULL;
  g_autofree char *after = NULL;
  g_autofree char *rest = NULL;
  gint64 head_before, head_during, head_after, head_rest;

  g_assert_no_error (error);
  g_assert_true (enr_service_store_begin (store, &error));
  add_customer (store, "c1", "Ann Smith", NULL, "1 Oak St");
  g_assert_true (enr_service_store_commit (store, &error));
  before = feed_ids (store, 0, &head_before);
  g_assert_cmpstr (before, ==, "");

  if (!enr_test_db_is_postgresql ())
    {
      /* SQLite writes one transaction at a time: positions commit in order. */
      g_assert_true (enr_service_store_begin (store, &error));
      g_assert_cmpint (enr_service_store_save (store, first, NULL, &error), ==, 1);
      g_assert_true (enr_service_store_commit (store, &error));
      after = feed_ids (store, 0, &head_after);
      g_assert_cmpstr (after, ==, "note-first");
      enr_service_store_close (store);
      remove_directory (directory);
      return;
    }

  late = open_again (store);
  early = open_again (store);

  g_assert_true (enr_service_store_begin (late, &error));
  g_assert_cmpint (enr_service_store_save (late, first, NULL, &error), ==, 1);
  /* A save's row and change go out with the transaction's next statement
   * (here a read, which sees them): the first holds its position now. */
  g_assert_true (enr_service_store_exists (late, ENR_TYPE_CUSTOMER_COMMUNICATION, "note-first"));
  g_assert_true (enr_service_store_begin (early, &error));
  g_assert_cmpint (enr_service_store_save (early, second, NULL, &error), ==, 1);
  g_assert_true (enr_service_store_commit (early, &error));
  g_assert_no_error (error);

  /* The second has committed, the first (lower position) has not: the
   * feed stops before the first's position. */
  during = feed_ids (store, 0, &head_during);
  g_assert_cmpstr (during, ==, "");
  g_assert_cmpint (head_during, ==, head_before);

  g_assert_true (enr_service_store_commit (late, &error));
  g_assert_no_error (error);

  after = feed_ids (store, head_during, &head_after);
  g_assert_cmpstr (after, ==, "note-first note-second");
  rest = feed_ids (store, head_after, &head_rest);
  g_assert_cmpstr (rest, ==, "");
  g_assert_cmpint (head_rest, ==, head_after);

  enr_service_store_close (early);
  enr_service_store_close (late);
  enr_service_store_close (store);
  remove_directory (directory);
}

static EnrAppointment *
appointment_of (const char *id,
                const char *shift_id,
                int         start_hour,
                int         minutes)
{
  EnrAppointment *appointment = enr_appointment_new ();
  g_autoptr(GDateTime) start = g_date_time_new_utc (2031, 5, 6, start_hour, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);

  enr_entity_set_id (ENR_ENTITY (appointment), id);
  enr_appointment_set_crew_shift_id (appointment, shift_id);
  enr_appointment_set_crew_id (appointment, "crew-a");
  enr_appointment_set_start (appointment, start);
  enr_appointment_set_end (appointment, end);
  enr_appointment_set_status (appointment, ENR_APPOINTMENT_STATUS_BOOKED);

  return appointment;
}

/* The database keeps a shift's capacity: a booking beyond it is refused
 * (the conditional UPDATE finds no room), a released one gives its time
 * back, and what a refused write took is undone with it. */
static void
test_shift_capacity (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(EnrCrewShiftType) type = enr_crew_shift_type_new ();
  g_autoptr(EnrCrew) crew = enr_crew_new ();
  g_autoptr(EnrCrewShift) shift = enr_crew_shift_new ();
  g_autoptr(EnrAppointment) one = appointment_of ("appt-1", "shift-1", 8, 40);
  g_autoptr(EnrAppointment) two = appointment_of ("appt-2", "shift-1", 9, 40);
  g_autofree char *booked = NULL;
  GDate *day = g_date_new_dmy (6, G_DATE_MAY, 2031);

  g_assert_no_error (error);
  enr_entity_set_id (ENR_ENTITY (type), "type-1");
  enr_entity_set_id (ENR_ENTITY (crew), "crew-a");
  enr_crew_set_shift_type_id (crew, "type-1");
  enr_entity_set_id (ENR_ENTITY (shift), "shift-1");
  enr_crew_shift_set_crew_id (shift, "crew-a");
  enr_crew_shift_set_date (shift, day);
  enr_crew_shift_set_capacity_minutes (shift, 60);
  g_date_free (day);

  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_import (store, type, &error));
  g_assert_true (enr_service_store_import (store, crew, &error));
  g_assert_true (enr_service_store_import (store, shift, &error));
  g_assert_cmpint (enr_service_store_save (store, one, NULL, &error), ==, 1);
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);

  /* 40 + 40 > 60 minutes */
  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_cmpint (enr_service_store_save (store, two, NULL, &error), ==, -1);
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  enr_service_store_rollback (store);

  /* Released: the time is free again. */
  enr_appointment_set_status (one, ENR_APPOINTMENT_STATUS_RELEASED);
  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_cmpint (enr_service_store_save (store, one, NULL, &error), ==, 2);
  g_assert_cmpint (enr_service_store_save (store, two, NULL, &error), ==, 1);
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);

  booked = enr_test_db_query (enr_db_get_target (enr_service_store_get_db (store)),
                              "SELECT booked_seconds FROM crew_shifts WHERE id = 'shift-1'");
  g_assert_cmpstr (booked, ==, "2400");

  enr_service_store_close (store);
  remove_directory (directory);
}

typedef struct
{
  EnrServiceStore           *store;
  EnrServiceStoredResponse  *stored;
  gboolean                   done;
} Claim;

static gpointer
claim_thread (gpointer data)
{
  Claim *claim = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (enr_service_store_begin (claim->store, &error));
  g_assert_true (enr_service_store_claim_response (claim->store, "user-clerk", "same-key", "POST",
                                                   "/v1/communications", "hash", 100, &claim->stored, &error));
  g_assert_no_error (error);
  g_assert_true (enr_service_store_commit (claim->store, &error));
  g_atomic_int_set (&claim->done, TRUE);

  return NULL;
}

/* An Idempotency-Key is claimed before the write runs: the same key at
 * once on two connections (two instances) runs once; the second waits for
 * the first and gets its response. */
static void
test_claim_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(EnrServiceStore) other = NULL;
  g_autoptr(EnrServiceStoredResponse) stored = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"id\":\"x\"}", 10);
  EnrServiceStoredResponse response = {
    .method = (char *) "POST", .path = (char *) "/v1/communications", .body_hash = (char *) "hash",
    .status = 201, .content_type = (char *) "application/json", .body = body,
  };
  Claim claim = { NULL, NULL, FALSE };
  GThread *thread = NULL;

  g_assert_no_error (error);
  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_claim_response (store, "user-clerk", "same-key", "POST",
                                                   "/v1/communications", "hash", 100, &stored, &error));
  g_assert_null (stored);

  if (enr_test_db_is_postgresql ())
    {
      /* The other connection's claim waits for this transaction. */
      other = open_again (store);
      claim.store = other;
      thread = g_thread_new ("claim", claim_thread, &claim);
      g_usleep (200 * 1000);
      g_assert_false (g_atomic_int_get (&claim.done));
    }

  g_assert_true (enr_service_store_save_response (store, "user-clerk", "same-key", &response, 100, &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);

  if (other != NULL)
    {
      g_thread_join (thread);
      g_assert_nonnull (claim.stored);
      g_assert_cmpuint (claim.stored->status, ==, 201);
      g_assert_true (g_bytes_equal (claim.stored->body, body));
      enr_service_stored_response_free (claim.stored);
      enr_service_store_close (other);
    }

  /* Once committed, a claim finds the response at once. */
  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_claim_response (store, "user-clerk", "same-key", "POST",
                                                   "/v1/communications", "hash", 100, &stored, &error));
  g_assert_nonnull (stored);
  g_assert_cmpuint (stored->status, ==, 201);
  enr_service_store_rollback (store);

  enr_service_store_close (store);
  remove_directory (directory);
}

/* PostgreSQL: the rate limit's row gives tokens in blocks, as many whole
 * ones as it holds up to the block, and nothing more once it is empty
 * (0.01 a second: no refill counts during the test). */
static void
test_rate_limit_blocks (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  g_autoptr(EnrServiceStore) store = NULL;
  const guint expected[] = { 4, 4, 2, 0, 0 };
  guint granted;
  guint wait;

  if (!enr_test_db_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: SQLite keeps its buckets in memory");
      return;
    }

  path = temp_database (&directory);
  store = enr_service_store_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (enr_service_store_take_tokens (store, "s:blocks", 0.01, 10, 4, &granted, &wait, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (granted, ==, expected[i]);
      if (granted == 0)
        g_assert_cmpuint (wait, >=, 99);
      else
        g_assert_cmpuint (wait, ==, 0);
    }

  /* One at a time, as without blocks; another bucket is full. */
  g_assert_true (enr_service_store_take_token (store, "s:blocks", 0.01, 10, &wait, &error));
  g_assert_cmpuint (wait, >=, 99);
  g_assert_true (enr_service_store_take_tokens (store, "s:other", 0.01, 3, 64, &granted, &wait, &error));
  g_assert_cmpuint (granted, ==, 3);
  g_assert_cmpuint (wait, ==, 0);

  enr_service_store_close (store);
  remove_directory (directory);
}

typedef struct
{
  GMutex           lock;
  GCond            cond;
  EnrServiceStore *used;
} PoolProbe;

static void
probe_job (EnrServiceStore *store,
           gpointer         data)
{
  PoolProbe *probe = data;

  g_mutex_lock (&probe->lock);
  probe->used = store;
  g_cond_signal (&probe->cond);
  g_mutex_unlock (&probe->lock);
}

/* Runs one job on @pool and waits (at most 10 s) for it and for its
 * connection to be idle again; returns the store it ran with. */
static EnrServiceStore *
run_probe (EnrServicePool *pool)
{
  PoolProbe probe = { 0, };
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  EnrServiceStore *used;

  g_mutex_init (&probe.lock);
  g_cond_init (&probe.cond);
  g_mutex_lock (&probe.lock);
  enr_service_pool_push (pool, probe_job, &probe);
  while (probe.used == NULL)
    if (!g_cond_wait_until (&probe.cond, &probe.lock, deadline))
      break;
  used = probe.used;
  g_mutex_unlock (&probe.lock);
  g_assert_nonnull (used);

  while (enr_service_pool_count_idle (pool) < enr_service_pool_get_size (pool))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
  g_mutex_clear (&probe.lock);
  g_cond_clear (&probe.cond);

  return used;
}

/* PostgreSQL: a job takes the connection the last job gave back (last in,
 * first out), not the one idle the longest, whose backend sleeps. */
static void
test_pool_reuses_last (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  g_autoptr(EnrServiceStore) store = NULL;
  EnrServicePool *pool;
  EnrServiceStore *first_used;

  if (!enr_test_db_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: SQLite has no pool");
      return;
    }

  path = temp_database (&directory);
  store = enr_service_store_open (path, &error);
  g_assert_no_error (error);
  pool = enr_service_pool_new (path, 3, store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (enr_service_pool_count_idle (pool), ==, 3);

  first_used = run_probe (pool);
  for (guint i = 0; i < 4; i++)
    g_assert_true (run_probe (pool) == first_used);

  enr_service_pool_free (pool);
  enr_service_store_close (store);
  remove_directory (directory);
}

static void
count_heard_cb (gpointer user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* PostgreSQL: a store on a database of its own, a connection of the
 * test's own to it (@conn) and a listener counting what it hears in
 * @heard, driven by the main loop until it listens. A tick (@tick, for
 * the caller to remove) bounds each wait, here until @deadline. */
static EnrServiceNotify *
listen_on_new_database (char            **directory,
                        EnrServiceStore **store,
                        PGconn          **conn,
                        guint            *heard,
                        guint            *tick,
                        gint64            deadline)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = temp_database (directory);
  EnrServiceNotify *notify;

  *store = enr_service_store_open (path, &error);
  g_assert_no_error (error);
  *conn = PQconnectdb (path);
  g_assert_cmpint (PQstatus (*conn), ==, CONNECTION_OK);
  notify = enr_service_notify_new (*store, count_heard_cb, heard);

  *tick = g_timeout_add (10, tick_cb, NULL);
  while (!enr_service_notify_is_listening (notify))
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  return notify;
}

/* Sends @count announcements one at a time, each heard back on the
 * listening connection before the next (they go 50 ms apart: the
 * announcements' interval). */
static void
announce_each_heard (EnrServiceNotify *notify,
                     guint             count,
                     gint64            deadline)
{
  guint64 heard = enr_service_notify_get_heard (notify);

  for (guint i = 0; i < count; i++)
    {
      enr_service_notify_announce_changes (notify);
      while (enr_service_notify_get_heard (notify) <= heard + i)
        {
          g_main_context_iteration (NULL, TRUE);
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        }
    }
}

/* The WAL writes PostgreSQL counted, all processes: each flush of the
 * WAL writes it out first. */
static gint64
wal_writes (PGconn *conn)
{
  PGresult *result = PQexec (conn, "SELECT wal_write FROM pg_stat_wal");
  gint64 writes;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  writes = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);

  return writes;
}

/* The backends of the listening connections, as a list for SQL. */
static char *
listener_pids (PGconn *conn)
{
  PGresult *result = PQexec (conn, "SELECT string_agg (pid::text, ',') FROM pg_stat_activity"
                                   " WHERE application_name = 'enrollment-service listener'");
  char *pids;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  pids = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);

  return pids;
}

/* PostgreSQL: an announcement of changes flushes no WAL of its own, so
 * the saves' commits never wait behind it. It is a transaction of its
 * own with a transaction id (pg_notify takes one), but it writes no WAL
 * before its commit record, and PostgreSQL commits such a transaction
 * without waiting for that record to be flushed, whatever
 * synchronous_commit says (RecordTransactionCommit()); the WAL writer
 * writes it at most every wal_writer_delay (200 ms; 10 s here), or the
 * next flush of a save takes it along. Counted in pg_stat_wal's WAL writes (the test
 * clusters run with fsync off, so fsyncs are not counted; a flush writes
 * first all the same), against as many writes of the test's own,
 * committed synchronously, which write the WAL each (so the count is
 * known to see them). Should the announcement ever write WAL (a table
 * of its own, or sent in a transaction that writes), each would flush. */
static void
test_announce_unflushed (void)
{
  const guint count = 50;
  g_autofree char *directory = NULL;
  g_autofree char *pids = NULL;
  g_autofree char *gone = NULL;
  g_autoptr(EnrServiceStore) store = NULL;
  EnrServiceNotify *notify;
  PGconn *conn;
  PGresult *result;
  gboolean delayed;
  guint heard = 0, tick;
  gint64 before, own, announced, deadline;

  if (!enr_test_db_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: SQLite has no listener");
      return;
    }

  deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  notify = listen_on_new_database (&directory, &store, &conn, &heard, &tick, deadline);

  /* The WAL writer writes what was committed without a flush at most
   * every wal_writer_delay: the longest while this test counts, so that
   * its writes cannot add up to the announcements' however slowly they
   * go (the test clusters are throw-away; set back below). A server
   * that does not let the test change it keeps its 200 ms. */
  result = PQexec (conn, "ALTER SYSTEM SET wal_writer_delay = '10s'");
  delayed = PQresultStatus (result) == PGRES_COMMAND_OK;
  PQclear (result);
  if (delayed)
    enr_test_db_pq_exec (conn, "SELECT pg_reload_conf ()");
  enr_test_db_pq_exec (conn, "CREATE TABLE announce_control (a integer)");
  before = wal_writes (conn);
  for (guint i = 0; i < count; i++)
    enr_test_db_pq_exec (conn, "INSERT INTO announce_control VALUES (1)");
  /* This connection's counts go to pg_stat_wal at the end of its next
   * statement. */
  enr_test_db_pq_exec (conn, "SELECT pg_stat_force_next_flush ()");
  own = wal_writes (conn);

  announce_each_heard (notify, count, deadline + 60 * G_TIME_SPAN_SECOND);
  g_source_remove (tick);

  /* A backend's counts go to pg_stat_wal at most once a second, and when
   * it ends: until the listener's has. */
  pids = listener_pids (conn);
  g_assert_cmpstr (pids, !=, "");
  enr_service_notify_free (notify);
  gone = g_strdup_printf ("SELECT count (*) FROM pg_stat_activity WHERE pid IN (%s)", pids);
  deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  for (;;)
    {
      PGresult *rows = PQexec (conn, gone);
      gboolean ended;

      g_assert_cmpint (PQresultStatus (rows), ==, PGRES_TUPLES_OK);
      ended = g_strcmp0 (PQgetvalue (rows, 0, 0), "0") == 0;
      PQclear (rows);
      if (ended)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  announced = wal_writes (conn);
  if (delayed)
    {
      enr_test_db_pq_exec (conn, "ALTER SYSTEM RESET wal_writer_delay");
      enr_test_db_pq_exec (conn, "SELECT pg_reload_conf ()");
    }
  PQfinish (conn);

  g_test_message ("%u writes committed synchronously: %" G_GINT64_FORMAT " WAL writes;"
                  " %u announcements: %" G_GINT64_FORMAT " (WAL writer's delay %s)", count, own - before,
                  count, announced - own, delayed ? "10 s" : "unchanged");
  g_assert_cmpint (own - before, >=, count);
  g_assert_cmpint (announced - own, <, count / 2);
  /* Its own announcements do not wake this instance's long polls. */
  g_assert_cmpuint (heard, ==, 1);

  enr_service_store_close (store);
  remove_directory (directory);
}

/* PostgreSQL: the listening connection keeps one socket watch while it
 * listens, across its own announcements and the notifications it hears:
 * GLib wakes the main loop each time a descriptor joins or leaves the
 * poll, and a watch made again for each would cost every instance's loop
 * two wake-ups per notification heard and four per announcement. */
static void
test_notify_watch_kept (void)
{
  const guint count = 10;
  g_autofree char *directory = NULL;
  char *quoted_pq;
  g_autofree char *sql = NULL;
  g_autoptr(EnrServiceStore) store = NULL;
  EnrServiceNotify *notify;
  PGconn *conn;
  guint heard = 0, heard_before, tick, watches;
  gint64 deadline;

  if (!enr_test_db_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: SQLite has no listener");
      return;
    }

  deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  notify = listen_on_new_database (&directory, &store, &conn, &heard, &tick, deadline);
  watches = enr_service_notify_get_watches (notify);

  /* Its own announcements, each heard back. */
  announce_each_heard (notify, count, deadline);
  /* Another instance's, each heard. */
  quoted_pq = PQescapeLiteral (conn, enr_service_store_get_channel (store),
                               strlen (enr_service_store_get_channel (store)));
  sql = g_strdup_printf ("SELECT pg_notify (%s, 'changes')", quoted_pq);
  PQfreemem (quoted_pq);
  heard_before = heard;
  for (guint i = 0; i < count; i++)
    {
      enr_test_db_pq_exec (conn, sql);
      while (heard < heard_before + i + 1)
        {
          g_main_context_iteration (NULL, TRUE);
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        }
    }
  g_source_remove (tick);

  g_test_message ("watches: %u while connecting and listening, %u after %u announcements and %u notifications",
                  watches, enr_service_notify_get_watches (notify), count, count);
  g_assert_cmpuint (enr_service_notify_get_heard (notify), ==, 2 * count);
  g_assert_cmpuint (heard, ==, heard_before + count);
  g_assert_cmpuint (enr_service_notify_get_watches (notify), ==, watches);

  enr_service_notify_free (notify);
  PQfinish (conn);
  enr_service_store_close (store);
  remove_directory (directory);
}

/* PostgreSQL: the claim sent ahead (enr_service_store_send_claim()) goes
 * out with the transaction's next statement, in its round trip, and is
 * read before COMMIT: held, taken (the stored answer), or held by this
 * transaction already. */
static void
test_claim_key_pipelined (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  g_autoptr(EnrServiceStore) store = NULL;
  g_autoptr(EnrServiceStoredResponse) stored = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"id\":\"x\"}", 10);
  EnrServiceStoredResponse response = {
    .method = (char *) "POST", .path = (char *) "/v1/communications", .body_hash = (char *) "hash",
    .status = 201, .content_type = (char *) "application/json", .body = body,
  };
  EnrDb *db;
  guint64 round_trips, statements, then_round_trips, then_statements;

  if (!enr_test_db_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: SQLite claims at once");
      return;
    }

  path = temp_database (&directory);
  store = enr_service_store_open (path, &error);
  g_assert_no_error (error);
  db = enr_service_store_get_db (store);

  /* Held: BEGIN, the claim and the next statement in one round trip; the
   * answer is read without another. */
  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_send_claim (store, "user-clerk", "piped-key", "POST",
                                               "/v1/communications", "hash", 100, &error));
  g_assert_true (enr_db_get_traffic (db, &round_trips, &statements));
  g_assert_false (enr_service_store_exists (store, ENR_TYPE_CUSTOMER, "nobody"));
  g_assert_true (enr_service_store_check_claim (store, "user-clerk", "piped-key", &stored, &error));
  g_assert_no_error (error);
  g_assert_null (stored);
  g_assert_true (enr_db_get_traffic (db, &then_round_trips, &then_statements));
  g_assert_cmpuint (then_round_trips - round_trips, ==, 1);
  g_assert_cmpuint (then_statements - statements, ==, 3);
  g_assert_true (enr_service_store_save_response (store, "user-clerk", "piped-key", &response, 100, &error));
  g_assert_true (enr_service_store_commit (store, &error));
  g_assert_no_error (error);

  /* Taken: the stored answer. */
  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_send_claim (store, "user-clerk", "piped-key", "POST",
                                               "/v1/communications", "hash", 100, &error));
  g_assert_false (enr_service_store_exists (store, ENR_TYPE_CUSTOMER, "nobody"));
  g_assert_true (enr_service_store_check_claim (store, "user-clerk", "piped-key", &stored, &error));
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpuint (stored->status, ==, 201);
  g_assert_true (g_bytes_equal (stored->body, body));
  g_clear_pointer (&stored, enr_service_stored_response_free);
  enr_service_store_rollback (store);

  /* Claimed twice in one transaction (nothing else sent it: checking
   * sends it): the second finds the first's row, which is its own. */
  g_assert_true (enr_service_store_begin (store, &error));
  g_assert_true (enr_service_store_send_claim (store, "user-clerk", "own-key", "POST",
                                               "/v1/communications", "hash", 100, &error));
  g_assert_true (enr_service_store_check_claim (store, "user-clerk", "own-key", &stored, &error));
  g_assert_null (stored);
  g_assert_true (enr_service_store_send_claim (store, "user-clerk", "own-key", "POST",
                                               "/v1/communications", "hash", 100, &error));
  g_assert_true (enr_service_store_check_claim (store, "user-clerk", "own-key", &stored, &error));
  g_assert_no_error (error);
  g_assert_null (stored);
  enr_service_store_rollback (store);

  enr_service_store_close (store);
  remove_directory (directory);
}

/* PostgreSQL: an older schema is brought up to date only on request
 * (--migrate), since other instances may still run the older binary; an
 * empty database gets the schema at once. */
static void
test_migrate_on_request (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = temp_database (&directory);
  g_autoptr(EnrServiceStore) store = enr_service_store_open (path, &error);
  g_autoptr(EnrServiceStore) refused = NULL;
  g_autoptr(EnrServiceStore) migrated = NULL;
  g_autofree char *target = NULL;
  g_autofree char *version = NULL;

  g_assert_no_error (error);
  if (!enr_test_db_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: SQLite migrates on open");
      enr_service_store_close (store);
      remove_directory (directory);
      return;
    }

  target = g_strdup (enr_db_get_target (enr_service_store_get_db (store)));
  g_assert_true (enr_service_store_exec (store, "UPDATE schema_version SET version = 3", &error));
  enr_service_store_close (store);

  refused = enr_service_store_open (target, &error);
  g_assert_null (refused);
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "--migrate"));
  g_clear_error (&error);

  migrated = enr_service_store_open_full (target, ENR_SERVICE_STORE_MIGRATE, &error);
  g_assert_no_error (error);
  version = enr_test_db_query (target, "SELECT version FROM schema_version");
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), ==, ENR_SERVICE_SCHEMA_VERSION);

  enr_service_store_close (migrated);
  remove_directory (directory);
}

static void
test_store_migrate_search (void)
{
  if (!sqlite_only ())
    store_migrate_search ();
}

static void
test_store_migrate_order_json (void)
{
  if (!sqlite_only ())
    store_migrate_order_json ();
}

static void
test_store_migrate_word_lists (void)
{
  if (!sqlite_only ())
    store_migrate_word_lists ();
}

static void
test_store_migrate_name_prefixes (void)
{
  if (!sqlite_only ())
    store_migrate_name_prefixes ();
}

static void
test_store_migrate_enums (void)
{
  if (!sqlite_only ())
    store_migrate_enums ();
}

/* On PostgreSQL the main loop looks for a route's pattern matching the
 * path (unknown paths are answered there) and the pool thread routes
 * from the first that matched: the same route, parameters and problem
 * as routing from the first route, without matching the routes before
 * it again. */
static void
test_route_from (void)
{
  const char *cases[][2] = {
    { "GET", "/v1/customers/cust-0001" },
    { "GET", "/v1/customers" },
    { "PUT", "/v1/service-tasks/task-0001" },
    { "HEAD", "/v1/service-tasks/task-0001" },
    { "POST", "/v1/service-tasks/task-0001/finish" },
    { "GET", "/v1/changes" },
    { "DELETE", "/v1/customers/cust-0001" },   /* 405 */
    { "GET", "/v1/no-such-thing" },            /* 404 */
    { "GET", "/v1/customers/" },               /* 404: an empty segment */
  };
  gboolean skipped = FALSE;

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      EnrServiceRequest *whole = g_new0 (EnrServiceRequest, 1);
      EnrServiceRequest *from = g_new0 (EnrServiceRequest, 1);
      const Route *by_whole;
      const Route *by_from;
      gboolean has;

      whole->method = from->method = cases[c][0];
      whole->path = g_strdup (cases[c][1]);
      from->path = g_strdup (cases[c][1]);

      by_whole = _enr_service_server_find_route (whole);
      has = _enr_service_server_has_path (from->path, &from->route_from);
      by_from = _enr_service_server_find_route (from);

      g_assert_true (by_from == by_whole);
      g_assert_cmpint (has, ==, by_whole != NULL || whole->status == 405);
      g_assert_cmpuint (from->status, ==, whole->status);
      g_assert_cmpstr (from->allow, ==, whole->allow);
      for (guint i = 0; i < ENR_SERVICE_MAX_PARAMS; i++)
        g_assert_cmpstr (from->params[i], ==, whole->params[i]);
      if (has && from->route_from > 0)
        skipped = TRUE;

      enr_service_request_free (whole);
      enr_service_request_free (from);
    }

  /* Some of them skipped routes. */
  g_assert_true (skipped);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service-internals/pbkdf2-vectors", test_pbkdf2_vectors);
  g_test_add_func ("/service-internals/password-hash", test_password_hash);
  g_test_add_func ("/service-internals/tokens", test_tokens);
  g_test_add_func ("/service-internals/rate-limit", test_rate_limit);
  g_test_add_func ("/service-internals/rate-limit-bounded", test_rate_limit_bounded);
  g_test_add_func ("/service-internals/address-key", test_address_key);
  g_test_add_func ("/service-internals/throttle-bounded", test_throttle_bounded);
  g_test_add_func ("/service-internals/decode-sign-in", test_decode_sign_in);
  g_test_add_func ("/service-internals/decode-task", test_decode_task);
  g_test_add_func ("/service-internals/decode-others", test_decode_others);
  g_test_add_func ("/service-internals/store", test_store);
  g_test_add_func ("/service-internals/pool-reuses-last", test_pool_reuses_last);
  g_test_add_func ("/service-internals/route-from", test_route_from);
  g_test_add_func ("/service-internals/store-future-schema", test_store_future_schema);
  g_test_add_func ("/service-internals/expire-tasks", test_expire_tasks);
  g_test_add_func ("/service-internals/store-savepoints", test_store_savepoints);
  g_test_add_func ("/service-internals/reference-cache", test_reference_cache);
  g_test_add_func ("/service-internals/search-order", test_search_order);
  g_test_add_func ("/service-internals/search-shapes", test_search_shapes);
  g_test_add_func ("/service-internals/store-migrate-search", test_store_migrate_search);
  g_test_add_func ("/service-internals/store-migrate-order-json", test_store_migrate_order_json);
  g_test_add_func ("/service-internals/store-migrate-word-lists", test_store_migrate_word_lists);
  g_test_add_func ("/service-internals/store-migrate-name-prefixes", test_store_migrate_name_prefixes);
  g_test_add_func ("/service-internals/store-migrate-enums", test_store_migrate_enums);
  g_test_add_func ("/service-internals/feed-commit-order", test_feed_commit_order);
  g_test_add_func ("/service-internals/shift-capacity", test_shift_capacity);
  g_test_add_func ("/service-internals/claim-key", test_claim_key);
  g_test_add_func ("/service-internals/claim-key-pipelined", test_claim_key_pipelined);
  g_test_add_func ("/service-internals/announce-unflushed", test_announce_unflushed);
  g_test_add_func ("/service-internals/notify-watch-kept", test_notify_watch_kept);
  g_test_add_func ("/service-internals/rate-limit-blocks", test_rate_limit_blocks);
  g_test_add_func ("/service-internals/migrate-on-request", test_migrate_on_request);

  return g_test_run ();
}

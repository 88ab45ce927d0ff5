/* test-service-copy.c — enrollment-service copy: SQLite to PostgreSQL
 *
 * On PostgreSQL (suite service-postgresql): a service on SQLite takes
 * writes with Idempotency-Keys and is stopped; its database is copied into
 * an empty PostgreSQL database; every table has the same rows, the change
 * log the same positions in the same order; a service on the copy serves
 * the same feed to the same session, answers a retried write from its
 * idempotency record (no second record) and numbers a new change after
 * the old ones; a second copy into the now non-empty database is refused.
 * On SQLite (suite service) the command's refusals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "service-test-util.h"

#include "enr-db.h"
#include "enr-test-db.h"

static char *work_directory;
static SoupSession *session;

static const char * const tables[] = {
  "meta", "customers", "service_points", "metered_services", "device_locations",
  "program_types", "programs", "subscriptions", "devices", "initiatives",
  "service_task_types", "action_methods", "activity_types", "crew_shift_types", "crews",
  "crew_shifts", "service_tasks", "appointments", "communications", "code_values", "users",
  "sessions", "idempotency", "changes", "audit", "sign_in_throttle",
};

/* Sends a request; returns the status and the body. */
static guint
send (ServiceTestServer  *service,
      const char         *method,
      const char         *path,
      const char         *token,
      const char         *key,
      const char         *body,
      char              **reply)
{
  g_autofree char *uri = g_strconcat (service->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", key);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (reply != NULL)
    *reply = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return soup_message_get_status (msg);
}

static char *
sign_in (ServiceTestServer *service)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  g_assert_cmpuint (send (service, "POST", "/v1/sessions", NULL, NULL,
                          "{\"username\":\"clerk\",\"password\":\"clerk-demo-pass\"}", &reply), ==, 201);
  json_parser_load_from_data (parser, reply, -1, &error);
  g_assert_no_error (error);

  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "token"));
}

static char *
communication (const char *id)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"customer_id\":\"cust-0040\",\"channel\":\"email\","
                          "\"class\":\"inquiry\",\"category\":\"written\","
                          "\"notes\":\"Written before the move to PostgreSQL\"}", id);
}

static gint64
count_of (EnrDb      *db,
          const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  EnrDbStmt *stmt = enr_db_prepare (db, sql, &error);
  gint64 count;

  g_assert_no_error (error);
  g_assert_cmpint (enr_db_stmt_step (stmt, &error), ==, ENR_DB_STEP_ROW);
  count = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);

  return count;
}

/* One text per row of @sql, its columns joined. */
static char *
rows_of (EnrDb      *db,
         const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  EnrDbStmt *stmt = enr_db_prepare (db, sql, &error);

  g_assert_no_error (error);
  while (enr_db_stmt_step (stmt, &error) == ENR_DB_STEP_ROW)
    {
      for (int c = 0; c < 4; c++)
        g_string_append_printf (text, "%s|", enr_db_stmt_column_is_null (stmt, c)
                                               ? "NULL" : enr_db_stmt_column_text (stmt, c));
      g_string_append_c (text, '\n');
    }
  g_assert_no_error (error);
  enr_db_stmt_reset (stmt);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_copy (void)
{
  const char * const unlimited[] = { "--rate-limit", "0", NULL };
  g_autofree char *source = g_build_filename (work_directory, "source.db", NULL);
  g_autofree char *target = enr_test_db_new ("unused");
  g_autofree char *token = NULL;
  g_autofree char *first_reply = NULL;
  g_autofree char *feed = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *keys = NULL;
  g_autoptr(GError) error = NULL;
  gint64 counts[G_N_ELEMENTS (tables)];
  ServiceTestServer *service;
  EnrDb *db;

  g_assert_true (enr_db_is_uri (target));

  /* A service on SQLite (the test database's PostgreSQL mode set aside). */
  g_unsetenv ("ENR_TEST_DATABASE");
  service = service_test_server_start (source, TRUE, unlimited, FALSE, 0);
  g_setenv ("ENR_TEST_DATABASE", "postgresql", TRUE);
  g_assert_false (enr_db_is_uri (service->database));

  token = sign_in (service);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *id = g_strdup_printf ("copy-test-%02u", i);
      g_autofree char *key = g_strdup_printf ("copy-key-%02u", i);
      g_autofree char *body = communication (id);
      g_autofree char *reply = NULL;

      g_assert_cmpuint (send (service, "POST", "/v1/communications", token, key, body, &reply), ==, 201);
      if (i == 0)
        first_reply = g_steal_pointer (&reply);
    }
  g_assert_cmpuint (send (service, "GET", "/v1/changes?since=0&limit=1000", token, NULL, NULL, &feed), ==, 200);
  service_test_server_stop (service);

  db = enr_db_open (source, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    counts[i] = count_of (db, tables[i]);
  changes = rows_of (db, "SELECT seq, type, id, version FROM changes ORDER BY seq");
  keys = rows_of (db, "SELECT user_id, key, status, body_hash FROM idempotency ORDER BY user_id, key");
  enr_db_close (db);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_str_equal (tables[i], "idempotency") || g_str_equal (tables[i], "changes"))
      g_assert_cmpint (counts[i], >=, 12);

  /* The copy. */
  {
    const char * const args[] = { "--database", source, "copy", target, NULL };

    g_assert_cmpint (service_test_run (args, &out, &err), ==, 0);
    g_test_message ("%s%s", out, err);
    g_assert_nonnull (strstr (out, "Copied"));
  }

  db = enr_db_open (target, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (count_of (db, tables[i]) != counts[i])
      g_error ("%s: %" G_GINT64_FORMAT " rows in SQLite, %" G_GINT64_FORMAT " in PostgreSQL",
               tables[i], counts[i], count_of (db, tables[i]));
  {
    g_autofree char *copied_changes = rows_of (db, "SELECT seq, type, id, version FROM changes ORDER BY seq");
    g_autofree char *copied_keys = rows_of (db, "SELECT user_id, key, status, body_hash FROM idempotency"
                                                " ORDER BY user_id, key");

    g_assert_cmpstr (copied_changes, ==, changes);
    g_assert_cmpstr (copied_keys, ==, keys);
  }
  enr_db_close (db);

  /* A service on the copy: the same session, the same feed, the retried
   * write answered from its record, a new change after the old ones. */
  service = service_test_server_start (target, FALSE, unlimited, FALSE, 0);
  {
    g_autofree char *copied_feed = NULL;
    g_autofree char *replay = NULL;
    g_autofree char *body = communication ("copy-test-00");
    g_autofree char *fresh = communication ("copy-test-new");
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *after = NULL;
    JsonObject *page;
    JsonArray *list;

    g_assert_cmpuint (send (service, "GET", "/v1/changes?since=0&limit=1000", token, NULL, NULL,
                            &copied_feed), ==, 200);
    g_assert_cmpstr (copied_feed, ==, feed);

    g_assert_cmpuint (send (service, "POST", "/v1/communications", token, "copy-key-00", body, &replay), ==, 201);
    g_assert_cmpstr (replay, ==, first_reply);

    g_assert_cmpuint (send (service, "POST", "/v1/communications", token, "copy-key-new", fresh, NULL), ==, 201);
    json_parser_load_from_data (parser, feed, -1, &error);
    g_assert_no_error (error);
    page = json_node_get_object (json_parser_get_root (parser));
    after = g_strdup_printf ("/v1/changes?since=%" G_GINT64_FORMAT,
                             json_object_get_int_member (page, "cursor"));
    g_clear_pointer (&copied_feed, g_free);
    g_assert_cmpuint (send (service, "GET", after, token, NULL, NULL, &copied_feed), ==, 200);
    json_parser_load_from_data (parser, copied_feed, -1, &error);
    g_assert_no_error (error);
    list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "changes");
    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "id"), ==,
                     "copy-test-new");
  }
  service_test_server_stop (service);

  db = enr_db_open (target, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_of (db, "communications WHERE id LIKE 'copy-test-%'"), ==, 13);
  enr_db_close (db);

  /* Never into a database that holds records. */
  {
    const char * const args[] = { "--database", source, "copy", target, NULL };

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (service_test_run (args, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "not empty"));
  }
}

static void
test_refusals (void)
{
  g_autofree char *missing = g_build_filename (work_directory, "missing.db", NULL);
  g_autofree char *other = g_build_filename (work_directory, "other.db", NULL);
  struct
  {
    const char *args[6];
    int         status;
    const char *message;
  } cases[] = {
    { { "--database", missing, "copy", other, NULL }, 2, "postgresql://" },
    { { "--database", missing, "copy", "postgresql:///nowhere", NULL }, 1, "no such database" },
    { { "--database", missing, "copy", NULL }, 2, "takes one TARGET" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (service_test_run (cases[i].args, &out, &err), ==, cases[i].status);
      if (strstr (err, cases[i].message) == NULL)
        g_error ("case %u: %s", i, err);
      g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  work_directory = g_dir_make_tmp ("test-service-copy-XXXXXX", &error);
  g_assert_no_error (error);
  session = soup_session_new ();

  g_test_add_func ("/service/copy/refusals", test_refusals);
  if (enr_test_db_is_postgresql ())
    g_test_add_func ("/service/copy/to-postgresql", test_copy);

  status = g_test_run ();

  g_clear_object (&session);
  service_test_remove_directory (work_directory);
  g_free (work_directory);

  return status;
}

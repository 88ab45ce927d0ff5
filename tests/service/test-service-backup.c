/* test-service-backup.c — enrollment-service backup and restore
 *
 * Backs up a running service while clients keep writing, and checks that
 * the copy is intact and holds every write acknowledged before the backup
 * started; that restore refuses a live database, a damaged file and a
 * newer schema; and that a restored database serves again.
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

#include "enr-test-db.h"

#define IN_FLIGHT       8
#define WRITES_BEFORE   150

static char *work_directory;
static SoupSession *session;

/* With the rate limit off: the writers send as fast as they can. */
static ServiceTestServer *
service_start (const char *database,
               gboolean    load)
{
  const char * const unlimited[] = { "--rate-limit", "0", NULL };

  return service_test_server_start (database, load, unlimited, FALSE, 0);
}

static SoupMessage *
new_message (ServiceTestServer    *service,
             const char *method,
             const char *path,
             const char *token,
             const char *body)
{
  g_autofree char *uri = g_strconcat (service->url, path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      g_autofree char *key = g_uuid_string_random ();

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_message_headers_replace (headers, "Idempotency-Key", key);
    }

  return msg;
}

static char *
sign_in (ServiceTestServer *service)
{
  g_autoptr(SoupMessage) msg = new_message (service, "POST", "/v1/sessions", NULL,
                                            "{\"username\":\"clerk\",\"password\":\"clerk-demo-pass\"}");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);

  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "token"));
}

static guint
get_status (ServiceTestServer    *service,
            const char *path,
            const char *token)
{
  g_autoptr(SoupMessage) msg = new_message (service, "GET", path, token, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  return soup_message_get_status (msg);
}

/* The writers: IN_FLIGHT communications posted at a time, each acknowledged
 * one noted in order. */
typedef struct
{
  ServiceTestServer     *service;
  const char  *token;
  GPtrArray   *acknowledged;   /* ids, in the order of their 201 */
  guint        next;
  guint        in_flight;
  guint        failed;
  gboolean     stopping;
  GSubprocess *backup;         /* while the backup runs */
  guint        acknowledged_during_backup;
  gboolean     backup_done;
  int          backup_status;
} Writers;

static void write_next (Writers *writers);

static void
on_written_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *id = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  Writers *writers = g_object_get_data (G_OBJECT (msg), "writers");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  writers->in_flight--;
  if (body != NULL && soup_message_get_status (msg) == 201)
    {
      g_ptr_array_add (writers->acknowledged, g_steal_pointer (&id));
      if (writers->backup != NULL)
        writers->acknowledged_during_backup++;
    }
  else
    writers->failed++;

  write_next (writers);
}

static void
write_next (Writers *writers)
{
  while (!writers->stopping && writers->in_flight < IN_FLIGHT)
    {
      char *id = g_strdup_printf ("backup-test-%05u", writers->next++);
      g_autofree char *body = g_strdup_printf ("{\"id\":\"%s\",\"customer_id\":\"cust-0040\",\"channel\":\"email\","
                                               "\"class\":\"inquiry\",\"category\":\"written\","
                                               "\"notes\":\"Written while a backup runs\"}", id);
      g_autoptr(SoupMessage) msg = new_message (writers->service, "POST", "/v1/communications",
                                                writers->token, body);

      g_object_set_data (G_OBJECT (msg), "writers", writers);
      writers->in_flight++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_written_cb, id);
    }
}

static void
on_backup_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Writers *writers = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  writers->backup_status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  g_clear_object (&writers->backup);
  writers->backup_done = TRUE;
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return text;
}

static gboolean
in_copy (const char *copy,
         const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM communications WHERE id = '%s'", id);

  return count_rows (copy, sql) == 1;
}

static void
test_backup_while_writing (void)
{
  g_autofree char *database = g_build_filename (work_directory, "live", "service.db", NULL);
  g_autofree char *copy = g_build_filename (work_directory, "copy.db", NULL);
  g_autofree char *token = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *journal = NULL;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  ServiceTestServer *service = service_start (database, TRUE);
  Writers writers = { 0 };
  guint before;
  guint found_after = 0;
  g_autofree char *rows_sql = NULL;
  g_autofree char *copy_wal = NULL;

  token = sign_in (service);
  writers.service = service;
  writers.token = token;
  writers.acknowledged = acknowledged;
  write_next (&writers);

  /* Writes land, then the backup starts while they keep coming. */
  while (acknowledged->len < WRITES_BEFORE)
    g_main_context_iteration (NULL, TRUE);
  before = acknowledged->len;
  writers.backup = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                     ENROLLMENT_SERVICE_PATH, "--database", database, "backup", copy, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (writers.backup, NULL, on_backup_done_cb, &writers);
  while (!writers.backup_done)
    g_main_context_iteration (NULL, TRUE);

  /* A few more after it, then stop. */
  {
    guint target = acknowledged->len + IN_FLIGHT * 4;

    while (acknowledged->len < target)
      g_main_context_iteration (NULL, TRUE);
  }
  writers.stopping = TRUE;
  while (writers.in_flight > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (writers.backup_status, ==, 0);
  g_assert_cmpuint (writers.failed, ==, 0);
  /* The service kept answering writes while the backup ran. */
  g_test_message ("%u writes acknowledged before the backup, %u while it ran, %u in all",
                  before, writers.acknowledged_during_backup, acknowledged->len);
  g_assert_cmpuint (writers.acknowledged_during_backup, >, 0);

  /* The copy is one self-contained, intact file... */
  copy_wal = g_strconcat (copy, "-wal", NULL);
  g_assert_false (g_file_test (copy_wal, G_FILE_TEST_EXISTS));
  integrity = query_text (copy, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (count_rows (copy, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  journal = query_text (copy, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "delete");

  /* ...with every write acknowledged before the backup started, */
  for (guint i = 0; i < before; i++)
    g_assert_true (in_copy (copy, g_ptr_array_index (acknowledged, i)));
  /* and of the later ones only whole writes (those in flight during the
   * backup may or may not be in it), each once. */
  for (guint i = before; i < acknowledged->len; i++)
    found_after += in_copy (copy, g_ptr_array_index (acknowledged, i));
  rows_sql = g_strdup ("SELECT count(*) FROM communications WHERE id LIKE 'backup-test-%'");
  g_assert_cmpint (count_rows (copy, rows_sql), ==, before + found_after);
  g_assert_cmpint (count_rows (database, rows_sql), ==, acknowledged->len);

  service_test_server_stop (service);
}

static void
test_restore (void)
{
  g_autofree char *database = g_build_filename (work_directory, "restore", "service.db", NULL);
  g_autofree char *copy = g_build_filename (work_directory, "restore-copy.db", NULL);
  g_autofree char *garbage = g_build_filename (work_directory, "garbage.db", NULL);
  g_autofree char *newer = g_build_filename (work_directory, "newer.db", NULL);
  g_autofree char *token = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *replaced = NULL;
  ServiceTestServer *service = service_start (database, TRUE);
  const char *backup_args[] = { "--database", database, "backup", copy, NULL };
  const char *restore_args[] = { "--database", database, "restore", copy, NULL };
  const char *garbage_args[] = { "--database", database, "restore", garbage, NULL };
  const char *newer_args[] = { "--database", database, "restore", newer, NULL };
  g_autofree char *after_sql = NULL;
  sqlite3 *db = NULL;

  token = sign_in (service);
  g_assert_cmpint (service_test_run (backup_args, NULL, NULL), ==, 0);

  /* Not over a live database; the service goes on serving. */
  g_assert_cmpint (service_test_run (restore_args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "is in use by a running enrollment-service"));
  g_assert_nonnull (strstr (err, "Stop the service first"));
  g_assert_cmpuint (get_status (service, "/v1/customers/cust-0040", token), ==, 200);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A write after the backup: the restore takes the database back before it. */
  {
    g_autoptr(SoupMessage) msg = new_message (service, "POST", "/v1/communications", token,
                                              "{\"id\":\"after-backup\",\"customer_id\":\"cust-0040\","
                                              "\"channel\":\"email\",\"class\":\"inquiry\",\"category\":\"written\"}");
    g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
  }
  service_test_server_stop (service);

  /* Not from a file that is not a service database, nor from a newer one. */
  g_assert_true (g_file_set_contents (garbage, "not a database at all, but long enough to look", -1, NULL));
  g_assert_cmpint (service_test_run (garbage_args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "not a database"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (service_test_run (newer_args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "schema version 99"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The refused attempts left the database alone. */
  after_sql = g_strdup ("SELECT count(*) FROM communications WHERE id = 'after-backup'");
  g_assert_cmpint (count_rows (database, after_sql), ==, 1);

  /* Stopped: the restore runs and keeps the database it replaced. */
  g_assert_cmpint (service_test_run (restore_args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Restored"));
  {
    const char *kept = strstr (out, "kept as ");

    g_assert_nonnull (kept);
    replaced = g_strndup (kept + strlen ("kept as "), strcspn (kept + strlen ("kept as "), "\n") - 1);
  }
  g_assert_true (g_file_test (replaced, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (count_rows (replaced, after_sql), ==, 1);
  g_assert_cmpint (count_rows (database, after_sql), ==, 0);

  /* And the service serves the restored database. */
  service = service_start (database, FALSE);
  g_clear_pointer (&token, g_free);
  token = sign_in (service);
  g_assert_cmpuint (get_status (service, "/v1/customers/cust-0040", token), ==, 200);
  service_test_server_stop (service);
}

/* PostgreSQL: backup and restore are SQLite's; they refuse and name
 * pg_dump and pg_restore, and touch nothing. */
static void
test_postgresql_refused (void)
{
  g_autofree char *path = g_build_filename (work_directory, "pg.db", NULL);
  g_autofree char *target = enr_test_db_for (path);
  g_autofree char *copy = g_build_filename (work_directory, "pg-copy.db", NULL);
  const char *commands[] = { "backup", "restore" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                  ENROLLMENT_SERVICE_PATH, "--database", target, commands[i], copy, NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      g_assert_nonnull (strstr (err, "pg_dump"));
      g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  work_directory = g_dir_make_tmp ("test-service-backup-XXXXXX", &error);
  g_assert_no_error (error);
  session = soup_session_new_with_options ("max-conns-per-host", IN_FLIGHT * 2, NULL);

  if (enr_test_db_is_postgresql ())
    g_test_add_func ("/service/backup/postgresql-refused", test_postgresql_refused);
  else
    {
      g_test_add_func ("/service/backup/while-writing", test_backup_while_writing);
      g_test_add_func ("/service/backup/restore", test_restore);
    }

  status = g_test_run ();

  g_clear_object (&session);
  service_test_remove_directory (work_directory);
  g_free (work_directory);

  return status;
}

/* enr-test-db.c — the database a test runs against: SQLite, or PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <unistd.h>

#include <stdlib.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "enr-db.h"
#include "enr-test-db.h"

static GPtrArray *schemas;
static GHashTable *by_path;

gboolean
enr_test_db_is_postgresql (void)
{
  return g_strcmp0 (g_getenv ("ENR_TEST_DATABASE"), "postgresql") == 0;
}

static PGconn *
connect_server (void)
{
  PGconn *conn = PQconnectdb ("");

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_test_message ("No PostgreSQL server: %s", PQerrorMessage (conn));
      PQfinish (conn);
      return NULL;
    }

  return conn;
}

static void
notice_cb (void       *arg,
           const char *message)
{
}

/**
 * enr_test_db_pq_exec:
 * @conn: a connection of the test's own to the PostgreSQL server
 * @sql: a command, or a query whose rows are not wanted
 *
 * Runs @sql on @conn; it must work: g_error() with the server's message
 * otherwise.
 */
void
enr_test_db_pq_exec (PGconn     *conn,
                     const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
}

/**
 * enr_test_db_check_server:
 *
 * In PostgreSQL mode, whether a server answers (the PG* variables name
 * it); call first and skip the test program when it does not. TRUE in
 * SQLite mode.
 */
gboolean
enr_test_db_check_server (void)
{
  PGconn *conn;

  if (!enr_test_db_is_postgresql ())
    return TRUE;

  conn = connect_server ();
  if (conn == NULL)
    return FALSE;

  PQfinish (conn);
  return TRUE;
}

/**
 * enr_test_db_new:
 * @sqlite_path: the file to use in SQLite mode
 *
 * Returns: (transfer full): what --database takes: @sqlite_path, or a
 *   postgresql:// URI of a new, empty schema
 */
char *
enr_test_db_new (const char *sqlite_path)
{
  static guint counter;
  g_autofree char *schema = NULL;
  g_autofree char *sql = NULL;
  PGconn *conn;

  if (!enr_test_db_is_postgresql ())
    return g_strdup (sqlite_path);

  conn = connect_server ();
  if (conn == NULL)
    g_error ("ENR_TEST_DATABASE=postgresql but no server answers (run under pg_virtualenv)");
  PQsetNoticeProcessor (conn, notice_cb, NULL);

  schema = g_strdup_printf ("test_%d_%u_%08x", (int) getpid (), ++counter, g_random_int ());
  sql = g_strdup_printf ("CREATE SCHEMA %s", schema);
  enr_test_db_pq_exec (conn, sql);
  PQfinish (conn);

  if (schemas == NULL)
    {
      schemas = g_ptr_array_new_with_free_func (g_free);
      atexit (enr_test_db_drop_all);
    }
  g_ptr_array_add (schemas, g_strdup (schema));

  return g_strdup_printf ("postgresql://?options=-csearch_path%%3D%s", schema);
}

/**
 * enr_test_db_for:
 * @sqlite_path: the file a test names for its database
 *
 * As enr_test_db_new(), but the same @sqlite_path gives the same
 * database again (a test that restarts the service on its database).
 *
 * Returns: (transfer full): what --database takes
 */
char *
enr_test_db_for (const char *sqlite_path)
{
  const char *known;
  char *target;

  if (!enr_test_db_is_postgresql () || enr_db_is_uri (sqlite_path))
    return g_strdup (sqlite_path);

  if (by_path == NULL)
    by_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if ((known = g_hash_table_lookup (by_path, sqlite_path)) != NULL)
    return g_strdup (known);

  target = enr_test_db_new (sqlite_path);
  g_hash_table_insert (by_path, g_strdup (sqlite_path), g_strdup (target));

  return target;
}

/* The schema of a target enr_test_db_new() made; NULL for SQLite. */
char *
enr_test_db_schema_of (const char *target)
{
  const char *p = g_strrstr (target, "%3D");

  if (!g_str_has_prefix (target, "postgresql://") || p == NULL)
    return NULL;

  return g_strdup (p + 3);
}

/* Runs @sql on @target, which must work. */
void
enr_test_db_sql (const char *target,
                 const char *sql)
{
  g_free (enr_test_db_query (target, sql));
}

/* The first column of the first row of @sql on @target, as text (NULL when
 * no row). */
char *
enr_test_db_query (const char *target,
                   const char *sql)
{
  char *value = NULL;

  if (g_str_has_prefix (target, "postgresql://"))
    {
      PGconn *conn = PQconnectdb (target);
      PGresult *result;

      if (PQstatus (conn) != CONNECTION_OK)
        g_error ("%s: %s", target, PQerrorMessage (conn));
      PQsetNoticeProcessor (conn, notice_cb, NULL);
      result = PQexec (conn, sql);
      if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
        g_error ("%s: %s", sql, PQresultErrorMessage (result));
      if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) > 0 &&
          !PQgetisnull (result, 0, 0))
        value = g_strdup (PQgetvalue (result, 0, 0));
      PQclear (result);
      PQfinish (conn);
    }
  else
    {
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;
      const char *tail = sql;

      if (sqlite3_open_v2 (target, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        g_error ("%s: %s", target, sqlite3_errmsg (db));
      sqlite3_busy_timeout (db, 5000);
      while (tail != NULL && *tail != '\0')
        {
          int rc;

          if (sqlite3_prepare_v2 (db, tail, -1, &stmt, &tail) != SQLITE_OK)
            g_error ("%s: %s", sql, sqlite3_errmsg (db));
          if (stmt == NULL)
            break;
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW && value == NULL && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
            value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            g_error ("%s: %s", sql, sqlite3_errmsg (db));
          sqlite3_finalize (stmt);
          stmt = NULL;
        }
      sqlite3_close (db);
    }

  return value;
}

/* Drops the schemas this process made. */
void
enr_test_db_drop_all (void)
{
  PGconn *conn;

  if (schemas == NULL)
    return;

  conn = connect_server ();
  if (conn != NULL)
    {
      PQsetNoticeProcessor (conn, notice_cb, NULL);
      for (guint i = 0; i < schemas->len; i++)
        {
          g_autofree char *sql = g_strdup_printf ("DROP SCHEMA IF EXISTS %s CASCADE",
                                                  (const char *) g_ptr_array_index (schemas, i));

          PQclear (PQexec (conn, sql));
        }
      PQfinish (conn);
    }

  g_clear_pointer (&schemas, g_ptr_array_unref);
  g_clear_pointer (&by_path, g_hash_table_unref);
}

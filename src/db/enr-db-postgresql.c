/* enr-db-postgresql.c — the PostgreSQL backend of the database layer (libpq)
 *
 * Statements are prepared once per connection under a name of their own
 * and run with PQexecPrepared(): parameters as text (blobs in binary),
 * results as text, every row of a result at once. A connection is used by
 * one thread at a time and one statement runs at a time, so a statement's
 * result stays until it is reset or run again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-db-private.h"

/* pg_advisory_xact_lock (ENR_DB_LOCK_CLASS, hash of the schema): the
 * migrations of one schema run one at a time. */
#define ENR_DB_LOCK_CLASS 0x656e7201

static void
on_notice_cb (void       *arg,
              const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

static EnrDbError
code_of_state (const char *state)
{
  if (state == NULL)
    return ENR_DB_ERROR_FAILED;

  if (g_str_equal (state, "40001") || g_str_equal (state, "40P01") ||
      g_str_equal (state, "55P03") || g_str_equal (state, "57014"))
    return ENR_DB_ERROR_BUSY;
  if (g_str_has_prefix (state, "23"))
    return ENR_DB_ERROR_CONSTRAINT;
  if (g_str_has_prefix (state, "08") || g_str_equal (state, "57P01") ||
      g_str_equal (state, "57P02") || g_str_equal (state, "57P03"))
    return ENR_DB_ERROR_CONNECTION;
  if (g_str_equal (state, "XX001") || g_str_equal (state, "XX002"))
    return ENR_DB_ERROR_CORRUPT;
  if (g_str_has_prefix (state, "22"))
    return ENR_DB_ERROR_INVALID;

  return ENR_DB_ERROR_FAILED;
}

/* TRUE when @result is a success; else @error says why. Does not free
 * @result. */
gboolean
_enr_db_pg_check (EnrDb     *db,
                  PGresult  *result,
                  GError   **error)
{
  ExecStatusType status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  const char *state;
  const char *message;
  EnrDbError code;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
    return TRUE;

  if (result == NULL || PQstatus (db->pg) != CONNECTION_OK)
    {
      g_autofree char *text = g_strchomp (g_strdup (PQerrorMessage (db->pg)));

      _enr_db_set_error (error, PQstatus (db->pg) != CONNECTION_OK ? ENR_DB_ERROR_CONNECTION
                                                                    : ENR_DB_ERROR_FAILED,
                         "PostgreSQL: %s", text[0] != '\0' ? text : "the connection failed");
      return FALSE;
    }

  state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  message = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  code = code_of_state (state);
  if (message == NULL)
    message = PQresultErrorMessage (result);

  _enr_db_set_error (error, code, "PostgreSQL: %s (%s)", message, state != NULL ? state : "?");
  return FALSE;
}

gboolean
_enr_db_pg_open (EnrDb       *db,
                 const char  *conninfo,
                 GError     **error)
{
  const char *keywords[] = { "dbname", "client_encoding", "application_name", NULL };
  const char *values[] = { conninfo, "UTF8", g_get_prgname () != NULL ? g_get_prgname () : "enrollment",
                           NULL };
  char *parse_error = NULL;
  PQconninfoOption *options;

  /* A mistyped URI gets its own message, before any connection attempt. */
  options = PQconninfoParse (conninfo, &parse_error);
  if (options == NULL)
    {
      g_autofree char *text = g_strchomp (g_strdup (parse_error != NULL ? parse_error : "out of memory"));

      _enr_db_set_error (error, ENR_DB_ERROR_FAILED, "Not a PostgreSQL URI: %s", text);
      PQfreemem (parse_error);
      return FALSE;
    }
  PQconninfoFree (options);

  db->conninfo = g_strdup (conninfo);
  db->pg = PQconnectdbParams (keywords, values, TRUE);
  if (db->pg == NULL || PQstatus (db->pg) != CONNECTION_OK)
    {
      g_autofree char *text = g_strchomp (g_strdup (db->pg != NULL ? PQerrorMessage (db->pg)
                                                                   : "out of memory"));

      _enr_db_set_error (error, ENR_DB_ERROR_CONNECTION, "Cannot connect to PostgreSQL: %s", text);
      return FALSE;
    }

  PQsetNoticeProcessor (db->pg, on_notice_cb, NULL);
  db->name = g_strdup_printf ("PostgreSQL database %s on %s:%s", PQdb (db->pg),
                              PQhost (db->pg) != NULL && PQhost (db->pg)[0] != '\0' ? PQhost (db->pg) : "localhost",
                              PQport (db->pg));

  return TRUE;
}

void
_enr_db_pg_close (EnrDb *db)
{
  g_clear_pointer (&db->pg, PQfinish);
}

gboolean
_enr_db_pg_exec (EnrDb       *db,
                 const char  *sql,
                 GError     **error)
{
  PGresult *result = PQexec (db->pg, sql);
  gboolean ok = _enr_db_pg_check (db, result, error);

  if (result != NULL)
    db->changes = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
  PQclear (result);

  return ok;
}

void
_enr_db_pg_stmt_clear (EnrDbStmt *stmt)
{
  for (int i = 0; stmt->values != NULL && i < stmt->n_params; i++)
    {
      g_clear_pointer (&stmt->values[i], g_free);
      stmt->lengths[i] = 0;
      stmt->formats[i] = 0;
    }
}

void
_enr_db_pg_stmt_free (EnrDbStmt *stmt)
{
  _enr_db_pg_stmt_clear (stmt);
  g_clear_pointer (&stmt->result, PQclear);
  g_free (stmt->values);
  g_free (stmt->lengths);
  g_free (stmt->formats);
  g_free (stmt->name);
}

EnrDbStep
_enr_db_pg_step (EnrDbStmt  *stmt,
                 GError    **error)
{
  EnrDb *db = stmt->db;

  if (!stmt->executed)
    {
      PGresult *result;

      g_clear_pointer (&stmt->result, PQclear);

      if (!stmt->prepared)
        {
          result = PQprepare (db->pg, stmt->name, stmt->sql, 0, NULL);
          if (!_enr_db_pg_check (db, result, error))
            {
              PQclear (result);
              return ENR_DB_STEP_ERROR;
            }
          PQclear (result);
          stmt->prepared = TRUE;
        }

      result = PQexecPrepared (db->pg, stmt->name, stmt->n_params,
                               (const char * const *) stmt->values, stmt->lengths, stmt->formats, 0);
      if (!_enr_db_pg_check (db, result, error))
        {
          PQclear (result);
          return ENR_DB_STEP_ERROR;
        }

      db->changes = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
      stmt->executed = TRUE;
      stmt->row = -1;
      if (PQresultStatus (result) == PGRES_TUPLES_OK)
        {
          stmt->result = result;
          stmt->n_rows = PQntuples (result);
        }
      else
        {
          PQclear (result);
          stmt->n_rows = 0;
        }
    }

  if (stmt->row + 1 < stmt->n_rows)
    {
      stmt->row++;
      return ENR_DB_STEP_ROW;
    }

  stmt->row = stmt->n_rows;
  return ENR_DB_STEP_DONE;
}

/* The schema version lives in a one-row table of the schema. */
int
_enr_db_pg_get_version (EnrDb   *db,
                        GError **error)
{
  PGresult *result;
  int version = -1;

  result = PQexec (db->pg, "SELECT to_regclass ('schema_version') IS NOT NULL");
  if (!_enr_db_pg_check (db, result, error))
    {
      PQclear (result);
      return -1;
    }
  if (PQntuples (result) != 1 || g_strcmp0 (PQgetvalue (result, 0, 0), "t") != 0)
    {
      PQclear (result);
      return 0;
    }
  PQclear (result);

  result = PQexec (db->pg, "SELECT version FROM schema_version");
  if (_enr_db_pg_check (db, result, error))
    version = PQntuples (result) > 0 ? (int) g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10) : 0;
  PQclear (result);

  return version;
}

gboolean
_enr_db_pg_set_version (EnrDb   *db,
                        int      version,
                        GError **error)
{
  g_autofree char *sql = g_strdup_printf ("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);"
                                          "DELETE FROM schema_version;"
                                          "INSERT INTO schema_version (version) VALUES (%d)", version);

  return _enr_db_pg_exec (db, sql, error);
}

gboolean
_enr_db_pg_lock_schema (EnrDb   *db,
                        GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT pg_advisory_xact_lock (%d, hashtext (current_schema ()))",
                                          ENR_DB_LOCK_CLASS);

  return _enr_db_pg_exec (db, sql, error);
}

/* enr-db-sqlite.c — the SQLite backend of the database layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-db-private.h"
#include "enr-db-sqlite.h"

#define BUSY_TIMEOUT_MS 5000

void
_enr_db_sqlite_set_error (EnrDb   *db,
                          int      rc,
                          GError **error)
{
  EnrDbError code = ENR_DB_ERROR_FAILED;
  const char *message = db->sqlite != NULL ? sqlite3_errmsg (db->sqlite) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = ENR_DB_ERROR_BUSY;
      break;
    case SQLITE_CONSTRAINT:
      code = ENR_DB_ERROR_CONSTRAINT;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = ENR_DB_ERROR_CORRUPT;
      break;
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      code = ENR_DB_ERROR_INVALID;
      break;
    default:
      break;
    }

  _enr_db_note_error (db, code);
  _enr_db_set_error (error, code, "SQLite: %s", message);
}

gboolean
_enr_db_sqlite_open (EnrDb       *db,
                     const char  *path,
                     GError     **error)
{
  int rc;

  db->name = g_strdup (path);

  rc = sqlite3_open_v2 (path, &db->sqlite,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      _enr_db_set_error (error, ENR_DB_ERROR_FAILED, "Cannot open %s: %s", path,
                         db->sqlite != NULL ? sqlite3_errmsg (db->sqlite) : sqlite3_errstr (rc));
      return FALSE;
    }

  sqlite3_busy_timeout (db->sqlite, BUSY_TIMEOUT_MS);

  return TRUE;
}

void
_enr_db_sqlite_close (EnrDb *db)
{
  if (db->borrowed)
    db->sqlite = NULL;
  else
    g_clear_pointer (&db->sqlite, sqlite3_close);
}

gboolean
_enr_db_sqlite_exec (EnrDb       *db,
                     const char  *sql,
                     GError     **error)
{
  char *message = NULL;
  int rc;

  rc = sqlite3_exec (db->sqlite, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      EnrDbError code = ENR_DB_ERROR_FAILED;

      if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        code = ENR_DB_ERROR_BUSY;
      else if ((rc & 0xff) == SQLITE_CONSTRAINT)
        code = ENR_DB_ERROR_CONSTRAINT;
      else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        code = ENR_DB_ERROR_CORRUPT;

      _enr_db_note_error (db, code);
      _enr_db_set_error (error, code, "SQLite: %s", message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

gboolean
_enr_db_sqlite_prepare (EnrDbStmt  *stmt,
                        GError    **error)
{
  g_autofree char *sql = enr_db_translate_placeholders (stmt->sql, &stmt->n_params);
  int rc;

  rc = sqlite3_prepare_v3 (stmt->db->sqlite, sql, -1, SQLITE_PREPARE_PERSISTENT,
                           &stmt->sqlite, NULL);
  if (rc != SQLITE_OK)
    {
      _enr_db_sqlite_set_error (stmt->db, rc, error);
      return FALSE;
    }

  return TRUE;
}

EnrDbStep
_enr_db_sqlite_step (EnrDbStmt  *stmt,
                     GError    **error)
{
  int rc = sqlite3_step (stmt->sqlite);

  if (rc == SQLITE_ROW)
    return ENR_DB_STEP_ROW;
  if (rc == SQLITE_DONE)
    return ENR_DB_STEP_DONE;

  _enr_db_sqlite_set_error (stmt->db, rc, error);
  sqlite3_reset (stmt->sqlite);
  return ENR_DB_STEP_ERROR;
}

int
_enr_db_sqlite_get_version (EnrDb   *db,
                            GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;
  int rc;

  if ((rc = sqlite3_prepare_v2 (db->sqlite, "PRAGMA user_version", -1, &stmt, NULL)) == SQLITE_OK &&
      (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  else
    _enr_db_sqlite_set_error (db, rc, error);
  sqlite3_finalize (stmt);

  return version;
}

/**
 * enr_db_sqlite_get_fts5_api:
 * @handle: an open sqlite3 connection
 *
 * Finds the FTS5 API of @handle's library, the way SQLite documents it
 * (`SELECT fts5(?1)` with a pointer bound), for registering auxiliary
 * functions and reaching tokenizers.
 *
 * Returns: (nullable) (transfer none): the API, or %NULL if the library
 *   has no FTS5
 */
fts5_api *
enr_db_sqlite_get_fts5_api (sqlite3 *handle)
{
  sqlite3_stmt *stmt = NULL;
  fts5_api *api = NULL;

  g_return_val_if_fail (handle != NULL, NULL);

  if (sqlite3_prepare_v2 (handle, "SELECT fts5(?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  return api;
}

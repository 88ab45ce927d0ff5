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

struct _EnrDbSqliteTokenizer
{
  fts5_tokenizer  api;
  Fts5Tokenizer  *tokenizer;
};

/**
 * enr_db_sqlite_tokenizer_new:
 * @handle: an open sqlite3 connection
 * @name: the tokenizer's name, as in a table's `tokenize` option
 *   (`unicode61`, `ascii`, `porter`, or one the connection registered)
 * @args: (array length=n_args): its arguments, as in that option
 *   (`remove_diacritics`, `2`)
 * @n_args: how many
 * @error: return location for a #GError
 *
 * Makes the tokenizer a full-text table declared with
 * `tokenize = '@name @args'` uses, to cut text (a query's words, a row's
 * columns) exactly as the table holds it. It belongs to @handle's FTS5:
 * free it before closing @handle.
 *
 * Returns: (transfer full) (nullable): the tokenizer, or %NULL with
 *   @error set (%ENR_DB_ERROR_FAILED) when the library has no FTS5, no such
 *   tokenizer, or the tokenizer refuses @args
 */
EnrDbSqliteTokenizer *
enr_db_sqlite_tokenizer_new (sqlite3             *handle,
                             const char          *name,
                             const char * const  *args,
                             int                  n_args,
                             GError             **error)
{
  g_autofree EnrDbSqliteTokenizer *self = g_new0 (EnrDbSqliteTokenizer, 1);
  fts5_api *api;
  void *context = NULL;

  g_return_val_if_fail (handle != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (n_args >= 0 && (n_args == 0 || args != NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(api = enr_db_sqlite_get_fts5_api (handle)))
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED,
                   "This SQLite library has no full-text search (FTS5)");
      return NULL;
    }
  if (api->xFindTokenizer (api, name, &context, &self->api) != SQLITE_OK)
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED,
                   "This SQLite library has no full-text tokenizer \"%s\"", name);
      return NULL;
    }
  /* xCreate() takes the arguments as char ** but only reads them. */
  if (self->api.xCreate (context, (const char **) args, n_args, &self->tokenizer) != SQLITE_OK)
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED,
                   "The full-text tokenizer \"%s\" refuses its arguments", name);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * enr_db_sqlite_tokenizer_free:
 * @self: (transfer full) (nullable): a tokenizer
 *
 * Frees @self.
 */
void
enr_db_sqlite_tokenizer_free (EnrDbSqliteTokenizer *self)
{
  if (self == NULL)
    return;

  self->api.xDelete (self->tokenizer);
  g_free (self);
}

/**
 * enr_db_sqlite_tokenizer_tokenize:
 * @self: a tokenizer
 * @flags: why: `FTS5_TOKENIZE_DOCUMENT`, `FTS5_TOKENIZE_QUERY` (with
 *   `FTS5_TOKENIZE_PREFIX` for a prefix query's last word) or
 *   `FTS5_TOKENIZE_AUX`
 * @text: (array length=length) (nullable): the text, UTF-8, not
 *   necessarily nul-terminated
 * @length: its length in bytes
 * @func: called for each token
 * @user_data: for @func
 *
 * Cuts @text into tokens as a table with @self's tokenizer does.
 *
 * Returns: %TRUE when the text was tokenized to its end; %FALSE if @func
 *   stopped it or the tokenizer failed
 */
gboolean
enr_db_sqlite_tokenizer_tokenize (EnrDbSqliteTokenizer *self,
                                  int                   flags,
                                  const char           *text,
                                  gsize                 length,
                                  EnrDbSqliteTokenFunc  func,
                                  void                 *user_data)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (length <= G_MAXINT, FALSE);

  if (text == NULL || length == 0)
    return TRUE;

  return self->api.xTokenize (self->tokenizer, user_data, flags, text, (int) length, func) == SQLITE_OK;
}

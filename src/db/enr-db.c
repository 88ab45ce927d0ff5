/* enr-db.c — one database layer: connections, statements, transactions, migrations
 *
 * The backends are in enr-db-sqlite.c and enr-db-postgresql.c; the rules
 * for binding values in enr-db-bind.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-db-private.h"

G_DEFINE_QUARK (enr-db-error-quark, enr_db_error)

void
_enr_db_set_error (GError     **error,
                   EnrDbError   code,
                   const char  *format,
                   ...)
{
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  *error = g_error_new_valist (ENR_DB_ERROR, code, format, args);
  va_end (args);
}

/* Every error of a statement passes here: one that passes (a lock, a
 * deadlock, a lost connection) is remembered for
 * enr_db_failed_transiently(). */
void
_enr_db_note_error (EnrDb      *db,
                    EnrDbError  code)
{
  if (code == ENR_DB_ERROR_BUSY || code == ENR_DB_ERROR_CONNECTION)
    db->transient = TRUE;
}

/**
 * enr_db_failed_transiently:
 *
 * Returns: whether a statement since the last BEGIN failed for a reason
 *   that passes (%ENR_DB_ERROR_BUSY or %ENR_DB_ERROR_CONNECTION), even
 *   when its caller kept the error to itself: the transaction is worth
 *   running again
 */
gboolean
enr_db_failed_transiently (EnrDb *db)
{
  return db->transient;
}

/**
 * enr_db_get_traffic:
 * @round_trips: (out) (optional): the times this connection sent commands
 *   and waited for their answers; a pipeline (BEGIN and the statements
 *   sent with it) is one, a read's COMMIT sent without waiting none
 * @statements: (out) (optional): the statements it sent: BEGIN, COMMIT,
 *   ROLLBACK and every statement run (a script counts as one; the PREPARE
 *   of a statement, sent once per connection, does not count)
 *
 * Counts since the connection was opened, reconnections included; read
 * them before and after a piece of work for its traffic.
 *
 * Returns: %FALSE on SQLite, which has no server to talk to (both 0)
 */
gboolean
enr_db_get_traffic (EnrDb   *db,
                    guint64 *round_trips,
                    guint64 *statements)
{
  gboolean counted = db->backend == ENR_DB_POSTGRESQL;

  if (round_trips != NULL)
    *round_trips = counted ? db->sent_round_trips : 0;
  if (statements != NULL)
    *statements = counted ? db->sent_statements : 0;

  return counted;
}

/* What enr_db_open() was given: a path, or a URI that may hold a
 * password (never for messages). */
const char *
enr_db_get_target (EnrDb *db)
{
  return db->backend == ENR_DB_SQLITE ? db->name : db->conninfo;
}

/**
 * enr_db_is_uri:
 * @target: what --database or the configuration names
 *
 * Returns: whether @target names a PostgreSQL database (a postgresql:// or
 *   postgres:// URI) rather than an SQLite file
 */
gboolean
enr_db_is_uri (const char *target)
{
  return target != NULL &&
         (g_str_has_prefix (target, "postgresql://") || g_str_has_prefix (target, "postgres://"));
}

static void
stmt_free (gpointer data)
{
  EnrDbStmt *stmt = data;

  if (stmt->sqlite != NULL)
    sqlite3_finalize (stmt->sqlite);
  _enr_db_pg_unqueue (stmt);
  _enr_db_pg_stmt_free (stmt);
  g_free (stmt->sql);
  g_free (stmt);
}

/**
 * enr_db_open:
 * @target: an SQLite file (created when missing) or a postgresql:// URI
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 */
EnrDb *
enr_db_open (const char  *target,
             GError     **error)
{
  EnrDb *db;
  gboolean ok;

  g_return_val_if_fail (target != NULL, NULL);

  db = g_new0 (EnrDb, 1);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, stmt_free);
  db->static_statements = g_hash_table_new (g_direct_hash, g_direct_equal);

  if (enr_db_is_uri (target))
    {
      db->backend = ENR_DB_POSTGRESQL;
      ok = _enr_db_pg_open (db, target, error);
    }
  else
    {
      db->backend = ENR_DB_SQLITE;
      ok = _enr_db_sqlite_open (db, target, error);
    }

  if (!ok)
    {
      enr_db_close (db);
      return NULL;
    }

  return db;
}

/**
 * enr_db_wrap_sqlite:
 * @handle: an open sqlite3 connection the caller keeps
 * @name: the name for messages (a path)
 *
 * Gives the layer's statements, transactions and migrations to a
 * connection opened elsewhere; enr_db_close() finalizes the statements
 * but leaves @handle open.
 *
 * Returns: (transfer full): the wrapper
 */
EnrDb *
enr_db_wrap_sqlite (gpointer    handle,
                    const char *name)
{
  EnrDb *db;

  g_return_val_if_fail (handle != NULL, NULL);

  db = g_new0 (EnrDb, 1);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, stmt_free);
  db->static_statements = g_hash_table_new (g_direct_hash, g_direct_equal);
  db->backend = ENR_DB_SQLITE;
  db->sqlite = handle;
  db->borrowed = TRUE;
  db->name = g_strdup (name != NULL ? name : sqlite3_db_filename (handle, "main"));
  if (db->name == NULL || db->name[0] == '\0')
    {
      g_free (db->name);
      db->name = g_strdup (":memory:");
    }

  return db;
}

/* Forgets every cached statement (a PostgreSQL reconnect drops them). */
void
enr_db_forget_statements (EnrDb *db)
{
  g_return_if_fail (db != NULL);

  g_hash_table_remove_all (db->static_statements);
  g_hash_table_remove_all (db->statements);
}

void
enr_db_close (EnrDb *db)
{
  if (db == NULL)
    return;

  if (db->in_transaction || db->held)
    enr_db_rollback (db);

  g_hash_table_unref (db->static_statements);
  g_hash_table_unref (db->statements);
  g_clear_pointer (&db->deferred, g_ptr_array_unref);
  if (db->backend == ENR_DB_SQLITE)
    _enr_db_sqlite_close (db);
  else
    _enr_db_pg_close (db);
  g_free (db->name);
  g_free (db->conninfo);
  g_free (db);
}

EnrDbBackend
enr_db_get_backend (EnrDb *db)
{
  return db->backend;
}

/* A path, or "PostgreSQL database D on H:P": fit for messages. */
const char *
enr_db_get_name (EnrDb *db)
{
  return db->name;
}

/* The sqlite3 or the PGconn, for what only one backend has. */
gpointer
enr_db_get_handle (EnrDb *db)
{
  return db->backend == ENR_DB_SQLITE ? (gpointer) db->sqlite : (gpointer) db->pg;
}

gboolean
enr_db_is_connected (EnrDb *db)
{
  if (db->backend == ENR_DB_SQLITE)
    return db->sqlite != NULL;

  return db->pg != NULL && PQstatus (db->pg) == CONNECTION_OK;
}

/* PostgreSQL: connects again after the server went away. Whatever the
 * lost session held (its transaction, its prepared statements) is gone. */
gboolean
enr_db_reconnect (EnrDb   *db,
                  GError **error)
{
  if (db->backend == ENR_DB_SQLITE)
    return TRUE;

  enr_db_forget_statements (db);
  _enr_db_pg_drop_deferred (db);
  db->in_transaction = FALSE;
  db->pending_begin = NULL;
  db->commit_in_flight = FALSE;
  PQreset (db->pg);
  if (PQstatus (db->pg) != CONNECTION_OK)
    {
      g_autofree char *message = g_strchomp (g_strdup (PQerrorMessage (db->pg)));

      _enr_db_set_error (error, ENR_DB_ERROR_CONNECTION, "PostgreSQL: cannot connect to %s: %s",
                         db->name, message);
      return FALSE;
    }

  return TRUE;
}

gboolean
enr_db_exec (EnrDb       *db,
             const char  *sql,
             GError     **error)
{
  g_return_val_if_fail (db != NULL, FALSE);

  if (db->backend == ENR_DB_SQLITE)
    {
      /* SQL of any effect: after the kept snapshot. */
      if (db->held && !db->in_transaction)
        enr_db_drop_snapshot (db);
      return _enr_db_sqlite_exec (db, sql, error);
    }

  return _enr_db_pg_exec (db, sql, error);
}

/**
 * enr_db_translate_placeholders:
 * @sql: SQL with $N (or ?N) placeholders
 * @n_params: (out) (optional): the highest N
 *
 * Returns: (transfer full): @sql with every $N outside quotes and comments
 *   turned into ?N, which SQLite numbers as written
 */
char *
enr_db_translate_placeholders (const char *sql,
                               int        *n_params)
{
  GString *out = g_string_sized_new (strlen (sql));
  int highest = 0;
  const char *p = sql;

  while (*p != '\0')
    {
      if (*p == '\'' || *p == '"')
        {
          char quote = *p;

          g_string_append_c (out, *p++);
          while (*p != '\0')
            {
              g_string_append_c (out, *p);
              if (*p++ == quote)
                {
                  if (*p == quote)
                    g_string_append_c (out, *p++);
                  else
                    break;
                }
            }
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          while (*p != '\0' && *p != '\n')
            g_string_append_c (out, *p++);
        }
      else if ((*p == '$' || *p == '?') && g_ascii_isdigit (p[1]))
        {
          int number = 0;

          g_string_append_c (out, '?');
          p++;
          while (g_ascii_isdigit (*p))
            {
              number = MIN (number * 10 + (*p - '0'), 100000);
              g_string_append_c (out, *p++);
            }
          highest = MAX (highest, number);
        }
      else
        g_string_append_c (out, *p++);
    }

  if (n_params != NULL)
    *n_params = highest;

  return g_string_free (out, FALSE);
}

/* A cached statement handed out again: reset, no bindings. */
static EnrDbStmt *
reuse_stmt (EnrDbStmt  *stmt,
            GError    **error)
{
  EnrDb *db = stmt->db;

  /* Deferred and not sent yet: it goes now, with what else waits
   * (its result is dropped; an error is this call's). */
  if (stmt->queued && !_enr_db_pg_flush (db, error))
    return NULL;
  enr_db_stmt_reset (stmt);
  if (db->backend == ENR_DB_SQLITE)
    sqlite3_clear_bindings (stmt->sqlite);
  else
    _enr_db_pg_stmt_clear (stmt);
  return stmt;
}

/**
 * enr_db_prepare:
 * @sql: one statement, with $1, $2… for its parameters
 *
 * Statements are cached per SQL text: the one returned is reset and has
 * no bindings. It stays valid until the connection is closed (or, on
 * PostgreSQL, reconnected).
 *
 * Returns: (transfer none): the statement, or %NULL with @error set
 */
EnrDbStmt *
enr_db_prepare (EnrDb       *db,
                const char  *sql,
                GError     **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (db->statements, sql);
  if (stmt != NULL)
    return reuse_stmt (stmt, error);

  stmt = g_new0 (EnrDbStmt, 1);
  stmt->db = db;
  stmt->sql = g_strdup (sql);

  if (db->backend == ENR_DB_SQLITE)
    {
      if (!_enr_db_sqlite_prepare (stmt, error))
        {
          stmt_free (stmt);
          return NULL;
        }
    }
  else
    {
      g_free (enr_db_translate_placeholders (sql, &stmt->n_params));
      stmt->name = g_strdup_printf ("enr_%u", ++db->next_statement);
      stmt->values = g_new0 (char *, MAX (stmt->n_params, 1));
      stmt->lengths = g_new0 (int, MAX (stmt->n_params, 1));
      stmt->formats = g_new0 (int, MAX (stmt->n_params, 1));
    }

  g_hash_table_insert (db->statements, stmt->sql, stmt);

  return stmt;
}

/**
 * enr_db_prepare_static:
 * @sql: as enr_db_prepare(), in storage that never changes or goes (a
 *   string literal)
 *
 * enr_db_prepare() found by @sql's address, not its text: a look-up
 * costs the same whatever the statement's length, where
 * enr_db_prepare() hashes and compares the whole text at every call.
 * The statement is the one enr_db_prepare() gives for the same text.
 *
 * Returns: (transfer none): the statement, or %NULL with @error set
 */
EnrDbStmt *
enr_db_prepare_static (EnrDb       *db,
                       const char  *sql,
                       GError     **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (db->static_statements, sql);
  if (stmt != NULL)
    return reuse_stmt (stmt, error);

  if ((stmt = enr_db_prepare (db, sql, error)) != NULL)
    g_hash_table_insert (db->static_statements, (gpointer) sql, stmt);

  return stmt;
}

/* Rows inserted, updated or deleted by the statement that ran last. */
gint64
enr_db_changes (EnrDb *db)
{
  if (db->backend == ENR_DB_SQLITE)
    return sqlite3_changes64 (db->sqlite);

  return db->changes;
}

/* Running */

static gboolean begin_snapshot (EnrDb   *db,
                                GError **error);

/* SQLite, snapshots kept: a statement about to start outside the
 * caller's transactions. A read runs in the kept snapshot (begun if
 * none is open); anything else (a write) runs after it ended, in a
 * transaction of its own as before, so that it is committed when it
 * returns. */
static gboolean
before_sqlite_statement (EnrDbStmt  *stmt,
                         GError    **error)
{
  EnrDb *db = stmt->db;

  if (!sqlite3_stmt_readonly (stmt->sqlite))
    {
      enr_db_drop_snapshot (db);
      return TRUE;
    }

  /* SQLite ended it (an I/O or memory error). */
  if (db->held && sqlite3_get_autocommit (db->sqlite))
    db->held = FALSE;

  if (db->held || db->snapshot_func == NULL)
    return TRUE;

  return begin_snapshot (db, error);
}

EnrDbStep
enr_db_stmt_step (EnrDbStmt  *stmt,
                  GError    **error)
{
  g_return_val_if_fail (stmt != NULL, ENR_DB_STEP_ERROR);

  if (stmt->db->backend == ENR_DB_SQLITE)
    {
      EnrDb *db = stmt->db;

      if (G_UNLIKELY (db->snapshot_func != NULL || db->held) && !db->in_transaction &&
          !sqlite3_stmt_busy (stmt->sqlite) && !before_sqlite_statement (stmt, error))
        return ENR_DB_STEP_ERROR;

      return _enr_db_sqlite_step (stmt, error);
    }

  return _enr_db_pg_step (stmt, error);
}

/* Runs @stmt to its end (rows are skipped) and resets it. */
gboolean
enr_db_stmt_run (EnrDbStmt  *stmt,
                 GError    **error)
{
  EnrDbStep step;

  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    ;

  enr_db_stmt_reset (stmt);

  return step == ENR_DB_STEP_DONE;
}

/**
 * enr_db_stmt_defer:
 * @stmt: a statement with its parameters bound
 *
 * Runs @stmt together with the connection's next statement instead of on
 * its own: on PostgreSQL it goes out in the same pipeline (after BEGIN
 * when that waits, before the statement run next), so that statements
 * that do not depend on each other cost one round trip together. Step it
 * afterwards as usual; its rows are already there. Stepping it first runs
 * it (with whatever else was deferred). A write transaction's COMMIT
 * sends what it deferred first, in the same round trip (an error fails
 * the COMMIT); a read's is not run. Resetting it takes it back;
 * preparing it again sends it (and what else waits) first, its result
 * dropped (an error is enr_db_prepare()'s). On SQLite it simply runs when
 * stepped.
 */
void
enr_db_stmt_defer (EnrDbStmt *stmt)
{
  EnrDb *db;

  g_return_if_fail (stmt != NULL);

  db = stmt->db;
  if (db->backend != ENR_DB_POSTGRESQL || stmt->queued)
    return;

  if (stmt->executed)
    enr_db_stmt_reset (stmt);
  if (db->deferred == NULL)
    db->deferred = g_ptr_array_new ();
  g_ptr_array_add (db->deferred, stmt);
  stmt->queued = TRUE;
}

/**
 * enr_db_drop_deferred:
 *
 * Takes back every deferred statement not sent yet (as resetting each
 * would): work a transaction about to roll back need not reach the
 * server. Nothing on SQLite, where nothing waits.
 */
void
enr_db_drop_deferred (EnrDb *db)
{
  if (db->backend == ENR_DB_POSTGRESQL)
    _enr_db_pg_drop_deferred (db);
}

/* Ends a run early or after its end; the bindings stay. */
void
enr_db_stmt_reset (EnrDbStmt *stmt)
{
  if (stmt->sqlite != NULL)
    sqlite3_reset (stmt->sqlite);

  _enr_db_pg_unqueue (stmt);

  g_clear_pointer (&stmt->result, PQclear);
  stmt->executed = FALSE;
  stmt->row = -1;
  stmt->n_rows = 0;
}

/**
 * enr_db_stmt_collect_text:
 * @column: the column to read
 *
 * Runs @stmt and collects @column of every row (NULL stays NULL).
 *
 * Returns: (transfer full) (element-type utf8): the texts, or %NULL with
 *   @error set
 */
GPtrArray *
enr_db_stmt_collect_text (EnrDbStmt  *stmt,
                          int         column,
                          GError    **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  EnrDbStep step;

  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    g_ptr_array_add (rows, enr_db_stmt_column_dup (stmt, column));

  enr_db_stmt_reset (stmt);
  if (step != ENR_DB_STEP_DONE)
    return NULL;

  return g_steal_pointer (&rows);
}

/* Columns */

gboolean
enr_db_stmt_column_is_null (EnrDbStmt *stmt,
                            int        column)
{
  if (stmt->sqlite != NULL)
    return sqlite3_column_type (stmt->sqlite, column) == SQLITE_NULL;

  g_return_val_if_fail (stmt->result != NULL && stmt->row >= 0 && stmt->row < stmt->n_rows, TRUE);
  return PQgetisnull (stmt->result, stmt->row, column);
}

/* Valid until the next step or reset; NULL for SQL NULL. */
const char *
enr_db_stmt_column_text (EnrDbStmt *stmt,
                         int        column)
{
  if (stmt->sqlite != NULL)
    return (const char *) sqlite3_column_text (stmt->sqlite, column);

  if (enr_db_stmt_column_is_null (stmt, column))
    return NULL;

  return PQgetvalue (stmt->result, stmt->row, column);
}

char *
enr_db_stmt_column_dup (EnrDbStmt *stmt,
                        int        column)
{
  return g_strdup (enr_db_stmt_column_text (stmt, column));
}

/* The length in bytes of the text of @column. */
gsize
enr_db_stmt_column_length (EnrDbStmt *stmt,
                           int        column)
{
  if (stmt->sqlite != NULL)
    {
      sqlite3_column_text (stmt->sqlite, column);
      return sqlite3_column_bytes (stmt->sqlite, column);
    }

  if (enr_db_stmt_column_is_null (stmt, column))
    return 0;

  return PQgetlength (stmt->result, stmt->row, column);
}

/* 0 for NULL; PostgreSQL's booleans read as 1 and 0. */
gint64
enr_db_stmt_column_int64 (EnrDbStmt *stmt,
                          int        column)
{
  const char *text;

  if (stmt->sqlite != NULL)
    return sqlite3_column_int64 (stmt->sqlite, column);

  text = enr_db_stmt_column_text (stmt, column);
  if (text == NULL)
    return 0;
  if (text[0] == 't' && text[1] == '\0')
    return 1;
  if (text[0] == 'f' && text[1] == '\0')
    return 0;

  return g_ascii_strtoll (text, NULL, 10);
}

double
enr_db_stmt_column_double (EnrDbStmt *stmt,
                           int        column)
{
  const char *text;

  if (stmt->sqlite != NULL)
    return sqlite3_column_double (stmt->sqlite, column);

  text = enr_db_stmt_column_text (stmt, column);

  return text != NULL ? g_ascii_strtod (text, NULL) : 0.0;
}

/* (transfer full): the bytes; empty for NULL. */
GBytes *
enr_db_stmt_column_blob (EnrDbStmt *stmt,
                         int        column)
{
  const char *text;
  unsigned char *data;
  size_t length = 0;
  GBytes *bytes;

  if (stmt->sqlite != NULL)
    return g_bytes_new (sqlite3_column_blob (stmt->sqlite, column),
                        sqlite3_column_bytes (stmt->sqlite, column));

  text = enr_db_stmt_column_text (stmt, column);
  if (text == NULL)
    return g_bytes_new (NULL, 0);

  data = PQunescapeBytea ((const unsigned char *) text, &length);
  if (data == NULL)
    return g_bytes_new (NULL, 0);

  bytes = g_bytes_new (data, length);
  PQfreemem (data);

  return bytes;
}

/* Transactions */

static gboolean
run_sql (EnrDb       *db,
         const char  *sql,
         GError     **error)
{
  EnrDbStmt *stmt;
  EnrDbStep step;

  if (db->backend == ENR_DB_POSTGRESQL)
    return _enr_db_pg_exec (db, sql, error);

  /* Not through enr_db_stmt_step(): these statements are what begins
   * and ends the kept snapshot. */
  if (!(stmt = enr_db_prepare (db, sql, error)))
    return FALSE;
  while ((step = _enr_db_sqlite_step (stmt, error)) == ENR_DB_STEP_ROW)
    ;
  enr_db_stmt_reset (stmt);

  return step == ENR_DB_STEP_DONE;
}

/* Resets every cached statement: on SQLite a statement left in the middle
 * of its rows keeps a read transaction open. */
static void
reset_statements (EnrDb *db)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, db->statements);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    enr_db_stmt_reset (value);
}

/**
 * enr_db_begin:
 *
 * Starts a transaction that will write: BEGIN IMMEDIATE on SQLite (the
 * write lock at once, so it cannot fail halfway), READ COMMITTED on
 * PostgreSQL (where the writers lock what they change: see the callers).
 */
gboolean
enr_db_begin (EnrDb   *db,
              GError **error)
{
  g_return_val_if_fail (!db->in_transaction, FALSE);

  enr_db_drop_snapshot (db);
  db->transient = FALSE;
  db->read_only = FALSE;
  if (db->backend == ENR_DB_POSTGRESQL)
    _enr_db_pg_begin (db, "BEGIN");
  else if (!run_sql (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  db->in_transaction = TRUE;
  return TRUE;
}

/**
 * enr_db_begin_read:
 *
 * Starts a transaction that only reads: every statement sees the same
 * snapshot (REPEATABLE READ, READ ONLY on PostgreSQL).
 */
gboolean
enr_db_begin_read (EnrDb   *db,
                   GError **error)
{
  g_return_val_if_fail (!db->in_transaction, FALSE);

  db->transient = FALSE;
  db->read_only = TRUE;
  if (db->backend == ENR_DB_POSTGRESQL)
    _enr_db_pg_begin (db, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  else if (db->snapshot_func != NULL || db->held)
    {
      /* In the kept snapshot; its COMMIT keeps it. */
      if (db->held && sqlite3_get_autocommit (db->sqlite))
        db->held = FALSE;
      if (!db->held && !begin_snapshot (db, error))
        return FALSE;
      db->read_in_held = TRUE;
    }
  else if (!run_sql (db, "BEGIN", error))
    return FALSE;

  db->in_transaction = TRUE;
  return TRUE;
}

/**
 * enr_db_commit:
 *
 * On failure the transaction is rolled back, except on SQLite when COMMIT
 * itself failed and left it open: call enr_db_rollback() in any case.
 * %ENR_DB_ERROR_CONNECTION means the outcome is unknown.
 */
gboolean
enr_db_commit (EnrDb   *db,
               GError **error)
{
  g_return_val_if_fail (db->in_transaction, FALSE);

  if (db->backend == ENR_DB_SQLITE)
    {
      if (db->read_in_held)
        {
          db->read_in_held = FALSE;
          db->in_transaction = FALSE;
          if (sqlite3_get_autocommit (db->sqlite))
            db->held = FALSE;
          return TRUE;
        }
      if (!run_sql (db, "COMMIT", error))
        {
          if (sqlite3_get_autocommit (db->sqlite))
            db->in_transaction = FALSE;
          return FALSE;
        }
      db->in_transaction = FALSE;
      return TRUE;
    }
  else
    {
      gboolean ok = _enr_db_pg_commit (db, error);

      db->in_transaction = FALSE;
      return ok;
    }
}

void
enr_db_rollback (EnrDb *db)
{
  reset_statements (db);
  db->in_transaction = FALSE;
  db->held = FALSE;
  db->read_in_held = FALSE;

  if (db->backend == ENR_DB_SQLITE)
    {
      if (db->sqlite != NULL && !sqlite3_get_autocommit (db->sqlite))
        sqlite3_exec (db->sqlite, "ROLLBACK", NULL, NULL, NULL);
    }
  else
    _enr_db_pg_rollback (db);
}

gboolean
enr_db_in_transaction (EnrDb *db)
{
  return db->in_transaction;
}

/* Whether the open transaction reached the database: on PostgreSQL BEGIN
 * waits for the transaction's first statement, so one that ran nothing
 * costs nothing. */
gboolean
enr_db_transaction_begun (EnrDb *db)
{
  return db->in_transaction && (db->backend == ENR_DB_SQLITE || db->pending_begin == NULL);
}

/* FALSE when the database ended the transaction on its own (SQLite rolls
 * back on some I/O and memory errors; a PostgreSQL connection can break):
 * whatever it held is gone. A PostgreSQL transaction with a failed
 * statement is alive: enr_db_rollback_to() recovers it. */
gboolean
enr_db_transaction_alive (EnrDb *db)
{
  if (!db->in_transaction)
    return FALSE;

  if (db->backend == ENR_DB_SQLITE)
    {
      if (sqlite3_get_autocommit (db->sqlite))
        db->in_transaction = db->held = db->read_in_held = FALSE;
    }
  else if (db->pending_begin == NULL)
    {
      PGTransactionStatusType status = PQtransactionStatus (db->pg);

      if (status != PQTRANS_INTRANS && status != PQTRANS_INERROR)
        db->in_transaction = FALSE;
    }

  return db->in_transaction;
}

/* Kept snapshots (SQLite) */

static gboolean
begin_snapshot (EnrDb   *db,
                GError **error)
{
  /* Deferred: the snapshot and its WAL read lock are taken by the first
   * statement that reads. */
  if (!run_sql (db, "BEGIN", error))
    return FALSE;

  db->held = TRUE;
  db->snapshots_held++;
  db->snapshot_func (db, db->snapshot_data);
  return TRUE;
}

/**
 * enr_db_keep_snapshots:
 * @func: (nullable): called each time a kept snapshot is begun; %NULL
 *   stops keeping them (and drops the one held)
 * @user_data: for @func
 *
 * SQLite: reads outside the caller's transactions share one read
 * transaction kept open between them, instead of each taking and
 * dropping the database's read lock (on the WAL index, two `fcntl`s):
 * the first statement that only reads begins it (and calls @func), and
 * the statements that read after it, and enr_db_begin_read() with its
 * enr_db_commit(), use it. It sees no commit made after it began, so it
 * is ended (COMMIT) before anything that may write: enr_db_begin(),
 * enr_db_exec(), a statement that is not read-only run outside a
 * transaction (which then commits on its own as before). So what this
 * connection commits it reads back at once; another connection's commits
 * it sees only after enr_db_drop_snapshot(). Use it only on a connection
 * that is the database's only writer, and drop the snapshot when there is
 * nothing to read (@func is where to arrange that): while it is held, a
 * checkpoint cannot copy past it, nor restart or truncate the WAL.
 *
 * PostgreSQL: nothing (a read transaction takes its own snapshot).
 */
void
enr_db_keep_snapshots (EnrDb             *db,
                       EnrDbSnapshotFunc  func,
                       gpointer           user_data)
{
  g_return_if_fail (db != NULL);

  if (db->backend != ENR_DB_SQLITE)
    return;

  if (func == NULL && !db->in_transaction)
    enr_db_drop_snapshot (db);
  db->snapshot_func = func;
  db->snapshot_data = user_data;
}

/* Whether a kept snapshot is open (enr_db_keep_snapshots()). */
gboolean
enr_db_holds_snapshot (EnrDb *db)
{
  g_return_val_if_fail (db != NULL, FALSE);

  return db->held && !sqlite3_get_autocommit (db->sqlite);
}

/**
 * enr_db_drop_snapshot:
 *
 * Ends the kept snapshot, if one is open; the next read begins another.
 * Not within a read transaction that uses it.
 */
void
enr_db_drop_snapshot (EnrDb *db)
{
  g_return_if_fail (db != NULL);
  g_return_if_fail (!db->read_in_held);

  if (!db->held)
    return;

  db->held = FALSE;
  if (sqlite3_get_autocommit (db->sqlite))
    return;

  /* A read's COMMIT: it fails only when SQLite cannot end it at all. */
  if (!run_sql (db, "COMMIT", NULL))
    enr_db_rollback (db);
}

/* How many kept snapshots were begun since the connection was opened. */
guint64
enr_db_count_snapshots (EnrDb *db)
{
  g_return_val_if_fail (db != NULL, 0);

  return db->snapshots_held;
}

static gboolean
is_identifier (const char *name)
{
  if (name == NULL || !(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;

  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

gboolean
enr_db_savepoint (EnrDb       *db,
                  const char  *name,
                  GError     **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (db->in_transaction, FALSE);
  g_return_val_if_fail (is_identifier (name), FALSE);

  sql = g_strconcat ("SAVEPOINT ", name, NULL);
  return run_sql (db, sql, error);
}

gboolean
enr_db_release (EnrDb       *db,
                const char  *name,
                GError     **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (db->in_transaction, FALSE);
  g_return_val_if_fail (is_identifier (name), FALSE);

  sql = g_strconcat ("RELEASE ", name, NULL);
  return run_sql (db, sql, error);
}

/* Undoes everything since the savepoint @name and releases it; the rest
 * of the transaction stays. */
gboolean
enr_db_rollback_to (EnrDb       *db,
                    const char  *name,
                    GError     **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (db->in_transaction, FALSE);
  g_return_val_if_fail (is_identifier (name), FALSE);

  reset_statements (db);
  sql = g_strdup_printf ("ROLLBACK TO %s; RELEASE %s", name, name);

  return enr_db_exec (db, sql, error);
}

/* Migrations */

/**
 * enr_db_get_schema_version:
 *
 * Returns: the version enr_db_migrate() recorded (0 for a new database),
 *   or -1 with @error set
 */
int
enr_db_get_schema_version (EnrDb   *db,
                           GError **error)
{
  if (db->backend == ENR_DB_SQLITE)
    return _enr_db_sqlite_get_version (db, error);

  return _enr_db_pg_get_version (db, error);
}

static gboolean
set_version (EnrDb   *db,
             int      version,
             GError **error)
{
  if (db->backend == ENR_DB_SQLITE)
    {
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %d", version);

      return enr_db_exec (db, pragma, error);
    }

  return _enr_db_pg_set_version (db, version, error);
}

/**
 * enr_db_migrate:
 * @steps: step i brings the schema from version i to i + 1
 *
 * Applies the steps the database has not seen, each in a transaction of
 * its own together with its new version. On PostgreSQL each transaction
 * first takes a lock, so that instances starting together migrate once.
 * A database newer than @n_steps is refused with %ENR_DB_ERROR_SCHEMA.
 */
gboolean
enr_db_migrate (EnrDb                 *db,
                const EnrDbMigration  *steps,
                guint                  n_steps,
                gpointer               user_data,
                GError               **error)
{
  for (;;)
    {
      const EnrDbMigration *step;
      const char *script;
      int version;

      if (!enr_db_begin (db, error))
        return FALSE;

      if (db->backend == ENR_DB_POSTGRESQL && !_enr_db_pg_lock_schema (db, error))
        goto failed;

      if ((version = enr_db_get_schema_version (db, error)) < 0)
        goto failed;

      if ((guint) version > n_steps)
        {
          _enr_db_set_error (error, ENR_DB_ERROR_SCHEMA,
                             "The database %s has schema version %d; this program knows up to %u",
                             db->name, version, n_steps);
          goto failed;
        }

      if ((guint) version == n_steps)
        {
          if (!enr_db_commit (db, error))
            goto failed;
          return TRUE;
        }

      step = &steps[version];
      script = db->backend == ENR_DB_SQLITE ? step->sqlite : step->postgresql;

      if ((script != NULL && !enr_db_exec (db, script, error)) ||
          (step->run != NULL && !step->run (db, user_data, error)) ||
          !set_version (db, version + 1, error))
        {
          g_prefix_error (error, "Migrating %s to schema version %d: ", db->name, version + 1);
          goto failed;
        }

      if (!enr_db_commit (db, error))
        goto failed;
    }

failed:
  enr_db_rollback (db);
  return FALSE;
}

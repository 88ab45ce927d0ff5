/* enr-db-postgresql.c — the PostgreSQL backend of the database layer (libpq)
 *
 * Statements are prepared once per connection under a name of their own
 * and run with PQexecPrepared(): parameters as text (blobs in binary),
 * results as text, every row of a result at once. A connection is used by
 * one thread at a time and one statement runs at a time, so a statement's
 * result stays until it is reset or run again.
 *
 * Round trips are what a request waits for, so a transaction costs none
 * of its own: BEGIN goes out in one pipeline (libpq's pipeline mode) with
 * the transaction's first statement (and that statement's PREPARE the
 * first time), and a transaction that only read sends its COMMIT without
 * waiting: the answer is read before the connection's next command. A
 * transaction that wrote waits for its COMMIT (its durability).
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

      code = PQstatus (db->pg) != CONNECTION_OK ? ENR_DB_ERROR_CONNECTION : ENR_DB_ERROR_FAILED;
      _enr_db_note_error (db, code);
      _enr_db_set_error (error, code, "PostgreSQL: %s", text[0] != '\0' ? text : "the connection failed");
      return FALSE;
    }

  state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  message = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  code = code_of_state (state);
  if (message == NULL)
    message = PQresultErrorMessage (result);

  _enr_db_note_error (db, code);
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

static gboolean settle (EnrDb   *db,
                        GError **error);
static PGresult *execute_pipelined (EnrDb      *db,
                                    EnrDbStmt  *stmt,
                                    const char *tail,
                                    GError    **error);

void
_enr_db_pg_close (EnrDb *db)
{
  if (db->pg != NULL)
    settle (db, NULL);
  g_clear_pointer (&db->pg, PQfinish);
}

/* Reads the answer to a COMMIT sent without waiting. */
static gboolean
settle (EnrDb   *db,
        GError **error)
{
  PGresult *result;
  gboolean ok = TRUE;

  if (!db->commit_in_flight)
    return TRUE;
  db->commit_in_flight = FALSE;

  while ((result = PQgetResult (db->pg)) != NULL)
    {
      if (ok && !_enr_db_pg_check (db, result, error))
        ok = FALSE;
      PQclear (result);
    }
  if (ok && PQstatus (db->pg) != CONNECTION_OK)
    ok = _enr_db_pg_check (db, NULL, error);

  return ok;
}

/* Runs SQL (several statements may be given) and waits for its answer. */
static PGresult *
run (EnrDb       *db,
     const char  *sql,
     GError     **error)
{
  if (!settle (db, error))
    return NULL;

  /* What waits goes first: BEGIN and the deferred statements (in the
   * same pipeline as @sql when it is one statement). */
  if (db->deferred != NULL && db->deferred->len > 0)
    {
      PGresult *result;

      if (strchr (sql, ';') == NULL)
        return execute_pipelined (db, NULL, sql, error);

      if (!(result = execute_pipelined (db, NULL, NULL, error)))
        return NULL;
      PQclear (result);
    }
  else if (db->pending_begin != NULL)
    {
      const char *begin = db->pending_begin;
      PGresult *result;

      db->pending_begin = NULL;
      db->sent_round_trips++;
      db->sent_statements++;
      result = PQexec (db->pg, begin);
      if (!_enr_db_pg_check (db, result, error))
        {
          PQclear (result);
          return NULL;
        }
      PQclear (result);
    }

  db->sent_round_trips++;
  db->sent_statements++;
  return PQexec (db->pg, sql);
}

gboolean
_enr_db_pg_exec (EnrDb       *db,
                 const char  *sql,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PGresult *result = run (db, sql, &local_error);
  gboolean ok;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  ok = _enr_db_pg_check (db, result, error);
  if (result != NULL)
    db->changes = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
  PQclear (result);

  return ok;
}

/* BEGIN waits for the transaction's first statement. */
void
_enr_db_pg_begin (EnrDb      *db,
                  const char *sql)
{
  db->pending_begin = sql;
}

gboolean
_enr_db_pg_commit (EnrDb   *db,
                   GError **error)
{
  PGresult *result;
  gboolean ok;

  /* What a read deferred and did not step is not needed. */
  if (db->read_only)
    _enr_db_pg_drop_deferred (db);

  /* Nothing ran: there is nothing to commit. */
  if (db->pending_begin != NULL && (db->deferred == NULL || db->deferred->len == 0))
    {
      db->pending_begin = NULL;
      return TRUE;
    }

  if (db->read_only)
    {
      if (!settle (db, error))
        return FALSE;
      if (!PQsendQuery (db->pg, "COMMIT"))
        return _enr_db_pg_check (db, NULL, error);
      db->sent_statements++;
      db->commit_in_flight = TRUE;
      return TRUE;
    }

  if (!(result = run (db, "COMMIT", error)))
    return FALSE;
  ok = _enr_db_pg_check (db, result, error);

  /* COMMIT of a failed transaction "succeeds" as ROLLBACK. */
  if (ok && g_strcmp0 (PQcmdStatus (result), "COMMIT") != 0)
    {
      _enr_db_set_error (error, ENR_DB_ERROR_FAILED,
                         "PostgreSQL: the transaction had failed and was rolled back");
      ok = FALSE;
    }
  PQclear (result);

  return ok;
}

void
_enr_db_pg_rollback (EnrDb *db)
{
  if (db->pending_begin != NULL)
    {
      db->pending_begin = NULL;
      return;
    }

  if (db->pg == NULL || !settle (db, NULL) || PQstatus (db->pg) != CONNECTION_OK)
    return;

  if (PQtransactionStatus (db->pg) != PQTRANS_IDLE)
    {
      db->sent_round_trips++;
      db->sent_statements++;
      PQclear (PQexec (db->pg, "ROLLBACK"));
    }
}

/* Takes @stmt out of the deferred statements (it will not be sent). */
void
_enr_db_pg_unqueue (EnrDbStmt *stmt)
{
  if (!stmt->queued)
    return;

  stmt->queued = FALSE;
  g_ptr_array_remove (stmt->db->deferred, stmt);
}

/* Sends what waits (BEGIN, the deferred statements) now, in one
 * pipeline; the first error is @error's. */
gboolean
_enr_db_pg_flush (EnrDb   *db,
                  GError **error)
{
  PGresult *result = execute_pipelined (db, NULL, NULL, error);

  if (result == NULL)
    return FALSE;
  PQclear (result);
  return TRUE;
}

/* The transaction ends: what was deferred and not sent is not run. */
void
_enr_db_pg_drop_deferred (EnrDb *db)
{
  if (db->deferred == NULL)
    return;

  for (guint i = 0; i < db->deferred->len; i++)
    ((EnrDbStmt *) g_ptr_array_index (db->deferred, i))->queued = FALSE;
  g_ptr_array_set_size (db->deferred, 0);
}

typedef enum
{
  COMMAND_BEGIN,
  COMMAND_PREPARE,
  COMMAND_EXECUTE,
  COMMAND_TAIL,
} CommandKind;

typedef struct
{
  CommandKind  kind;
  EnrDbStmt   *stmt;
} Command;

static gboolean
send_statement (EnrDbStmt *stmt,
                GArray    *commands)
{
  EnrDb *db = stmt->db;
  Command prepare = { COMMAND_PREPARE, stmt };
  Command execute = { COMMAND_EXECUTE, stmt };

  if (!stmt->prepared)
    {
      if (!PQsendPrepare (db->pg, stmt->name, stmt->sql, 0, NULL))
        return FALSE;
      g_array_append_val (commands, prepare);
    }
  if (!PQsendQueryPrepared (db->pg, stmt->name, stmt->n_params,
                            (const char * const *) stmt->values, stmt->lengths, stmt->formats, 0))
    return FALSE;
  g_array_append_val (commands, execute);

  return TRUE;
}

/* A statement's result, kept for its steps. */
static void
keep_result (EnrDbStmt *stmt,
             PGresult  *result)
{
  g_clear_pointer (&stmt->result, PQclear);
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

/* Sends BEGIN (when it waits), the deferred statements, @stmt (if any),
 * each with its PREPARE the first time, and @tail (one statement of SQL,
 * if any) in one pipeline, and returns @stmt's result, else @tail's (else
 * an empty one). The deferred statements keep theirs. The first error is
 * @error's; the commands after it in the pipeline are not run. */
static PGresult *
execute_pipelined (EnrDb      *db,
                   EnrDbStmt  *stmt,
                   const char *tail,
                   GError    **error)
{
  g_autoptr(GArray) commands = g_array_new (FALSE, FALSE, sizeof (Command));
  g_autoptr(GPtrArray) deferred = db->deferred != NULL && db->deferred->len > 0
                                  ? g_ptr_array_copy (db->deferred, NULL, NULL) : NULL;
  PGresult *statement = NULL;
  PGresult *result;
  gboolean ok = TRUE;
  gboolean sent;
  const char *begin = db->pending_begin;
  Command begin_command = { COMMAND_BEGIN, NULL };
  Command tail_command = { COMMAND_TAIL, NULL };

  db->pending_begin = NULL;
  _enr_db_pg_drop_deferred (db);

  sent = PQenterPipelineMode (db->pg);
  if (sent && begin != NULL)
    {
      sent = PQsendQueryParams (db->pg, begin, 0, NULL, NULL, NULL, NULL, 0);
      g_array_append_val (commands, begin_command);
    }
  for (guint i = 0; sent && deferred != NULL && i < deferred->len; i++)
    sent = send_statement (g_ptr_array_index (deferred, i), commands);
  if (sent && stmt != NULL)
    sent = send_statement (stmt, commands);
  if (sent && tail != NULL)
    {
      sent = PQsendQueryParams (db->pg, tail, 0, NULL, NULL, NULL, NULL, 0);
      g_array_append_val (commands, tail_command);
    }
  if (!sent || !PQpipelineSync (db->pg))
    {
      _enr_db_pg_check (db, NULL, error);
      PQexitPipelineMode (db->pg);
      return NULL;
    }
  db->sent_round_trips++;
  for (guint i = 0; i < commands->len; i++)
    if (g_array_index (commands, Command, i).kind != COMMAND_PREPARE)
      db->sent_statements++;

  /* One result (then NULL) per command, then the sync's. */
  for (guint i = 0; i < commands->len; i++)
    {
      Command *command = &g_array_index (commands, Command, i);

      while ((result = PQgetResult (db->pg)) != NULL)
        {
          ExecStatusType status = PQresultStatus (result);
          gboolean worked;

          /* A PREPARE that worked stays, whatever follows. */
          if (command->kind == COMMAND_PREPARE && status == PGRES_COMMAND_OK)
            command->stmt->prepared = TRUE;

          worked = status != PGRES_PIPELINE_ABORTED && _enr_db_pg_check (db, result, ok ? error : NULL);
          if (!worked)
            ok = FALSE;

          if (worked && statement == NULL &&
              ((command->kind == COMMAND_EXECUTE && command->stmt == stmt) ||
               (command->kind == COMMAND_TAIL && stmt == NULL)))
            statement = result;
          else if (worked && command->kind == COMMAND_EXECUTE && command->stmt != stmt &&
                   !command->stmt->executed)
            keep_result (command->stmt, result);
          else
            PQclear (result);
        }
    }
  while ((result = PQgetResult (db->pg)) != NULL)
    {
      ExecStatusType status = PQresultStatus (result);

      PQclear (result);
      if (status == PGRES_PIPELINE_SYNC)
        break;
    }
  PQexitPipelineMode (db->pg);

  if (PQstatus (db->pg) != CONNECTION_OK && ok)
    ok = _enr_db_pg_check (db, NULL, error);

  if (!ok)
    {
      PQclear (statement);
      return NULL;
    }

  return statement != NULL ? statement : PQmakeEmptyPGresult (db->pg, PGRES_COMMAND_OK);
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

      if (!settle (db, error))
        return ENR_DB_STEP_ERROR;

      _enr_db_pg_unqueue (stmt);
      if (db->pending_begin != NULL || !stmt->prepared || (db->deferred != NULL && db->deferred->len > 0))
        {
          if (!(result = execute_pipelined (db, stmt, NULL, error)))
            return ENR_DB_STEP_ERROR;
        }
      else
        {
          db->sent_round_trips++;
          db->sent_statements++;
          result = PQexecPrepared (db->pg, stmt->name, stmt->n_params,
                                   (const char * const *) stmt->values, stmt->lengths, stmt->formats, 0);
          if (!_enr_db_pg_check (db, result, error))
            {
              PQclear (result);
              return ENR_DB_STEP_ERROR;
            }
        }

      db->changes = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
      keep_result (stmt, result);
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

  result = run (db, "SELECT to_regclass ('schema_version') IS NOT NULL", error);
  if (result == NULL || !_enr_db_pg_check (db, result, error))
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

  result = run (db, "SELECT version FROM schema_version", error);
  if (result != NULL && _enr_db_pg_check (db, result, error))
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

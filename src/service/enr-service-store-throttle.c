/* enr-service-store-throttle.c — the rows of sign-in throttling
 *
 * The table sign_in_throttle (key, failures, last_failure, locked_until,
 * expires); enr-service-throttle.c decides what the rows mean. A row is
 * read, decided on in C and written whole, so the read must keep others
 * from the key until the transaction ends: on SQLite, BEGIN IMMEDIATE
 * does (one writer at a time); on PostgreSQL, where the instances' sign-ins
 * run at once, the read takes a transaction-level advisory lock on the key
 * (which, unlike FOR UPDATE, also holds a key that has no row yet). Keys
 * are locked in one order, address before account before known address
 * (enr-service-throttle.c), so two sign-ins never wait on each other in a
 * circle.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-store-private.h"

/* The throttle's advisory locks are (0x656e7202 = 1701712386, hash of
 * the key): two keys (objsubid 2), apart from the change feed's one-key
 * marks. */

gboolean
enr_service_store_get_throttle (EnrServiceStore        *self,
                                const char             *key,
                                EnrServiceThrottleRow  *row,
                                GError                **error)
{
  EnrDbStmt *stmt;
  EnrDbStep step;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  /* The lock in a statement of its own: a statement that waited for it
   * would still read what was committed when it began (READ COMMITTED
   * takes a snapshot per statement), and miss what its holder wrote. */
  if (enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL)
    {
      if (!(stmt = _enr_service_store_prepare (self, "SELECT pg_advisory_xact_lock (1701712386, hashtext ($1))",
                                               error)))
        return FALSE;
      enr_db_stmt_bind_text (stmt, 1, key);
      if (!enr_db_stmt_run (stmt, error))
        return FALSE;
    }

  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT failures, last_failure, locked_until, expires"
                                           " FROM sign_in_throttle WHERE key = $1",
                                           error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, key);
  step = enr_db_stmt_step (stmt, error);
  *row = (EnrServiceThrottleRow) { FALSE, 0, 0, 0, 0 };
  if (step == ENR_DB_STEP_ROW)
    {
      row->exists = TRUE;
      row->failures = enr_db_stmt_column_int64 (stmt, 0);
      row->last_failure = enr_db_stmt_column_int64 (stmt, 1);
      row->locked_until = enr_db_stmt_column_int64 (stmt, 2);
      row->expires = enr_db_stmt_column_int64 (stmt, 3);
    }
  enr_db_stmt_reset (stmt);

  return step != ENR_DB_STEP_ERROR;
}

gboolean
enr_service_store_put_throttle (EnrServiceStore              *self,
                                const char                   *key,
                                const EnrServiceThrottleRow  *row,
                                GError                      **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (!(stmt = _enr_service_store_prepare (self,
                                           "INSERT INTO sign_in_throttle"
                                           " (key, failures, last_failure, locked_until, expires)"
                                           " VALUES ($1, $2, $3, $4, $5)"
                                           " ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,"
                                           " last_failure = excluded.last_failure,"
                                           " locked_until = excluded.locked_until,"
                                           " expires = excluded.expires",
                                           error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, key);
  enr_db_stmt_bind_int64 (stmt, 2, row->failures);
  enr_db_stmt_bind_int64 (stmt, 3, row->last_failure);
  enr_db_stmt_bind_int64 (stmt, 4, row->locked_until);
  enr_db_stmt_bind_int64 (stmt, 5, row->expires);

  return enr_db_stmt_run (stmt, error);
}

gboolean
enr_service_store_delete_throttle (EnrServiceStore  *self,
                                   const char       *key,
                                   GError          **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (!(stmt = _enr_service_store_prepare (self, "DELETE FROM sign_in_throttle WHERE key = $1", error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, key);

  return enr_db_stmt_run (stmt, error);
}

/* Deletes the rows that expired, then, past @max_rows, those that would
 * expire first. */
gboolean
enr_service_store_prune_throttle (EnrServiceStore  *self,
                                  gint64            now,
                                  guint             max_rows,
                                  GError          **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (!(stmt = _enr_service_store_prepare (self, "DELETE FROM sign_in_throttle WHERE expires <= $1", error)))
    return FALSE;
  enr_db_stmt_bind_int64 (stmt, 1, now);
  if (!enr_db_stmt_run (stmt, error))
    return FALSE;

  if (!(stmt = _enr_service_store_prepare (self,
                                           enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL
                                           ? "DELETE FROM sign_in_throttle WHERE key IN"
                                             " (SELECT key FROM sign_in_throttle ORDER BY expires"
                                             "  LIMIT greatest (0, (SELECT count(*) FROM sign_in_throttle) - $1))"
                                           : "DELETE FROM sign_in_throttle WHERE key IN"
                                             " (SELECT key FROM sign_in_throttle ORDER BY expires"
                                             "  LIMIT max (0, (SELECT count(*) FROM sign_in_throttle) - $1))",
                                           error)))
    return FALSE;
  enr_db_stmt_bind_int64 (stmt, 1, max_rows);

  return enr_db_stmt_run (stmt, error);
}

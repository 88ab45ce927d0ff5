/* enr-service-store-throttle.c — the rows of sign-in throttling
 *
 * The table sign_in_throttle (key, failures, last_failure, locked_until,
 * expires); enr-service-throttle.c decides what the rows mean. A row is
 * read, decided on in C and written whole: BEGIN IMMEDIATE makes that
 * atomic here; with concurrent writers the read must lock the row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-store-private.h"

gboolean
enr_service_store_get_throttle (EnrServiceStore        *self,
                                const char             *key,
                                EnrServiceThrottleRow  *row,
                                GError                **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT failures, last_failure, locked_until, expires"
                                          " FROM sign_in_throttle WHERE key = ?",
                                          error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *row = (EnrServiceThrottleRow) { FALSE, 0, 0, 0, 0 };
  if (rc == SQLITE_ROW)
    {
      row->exists = TRUE;
      row->failures = sqlite3_column_int64 (stmt, 0);
      row->last_failure = sqlite3_column_int64 (stmt, 1);
      row->locked_until = sqlite3_column_int64 (stmt, 2);
      row->expires = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
enr_service_store_put_throttle (EnrServiceStore              *self,
                                const char                   *key,
                                const EnrServiceThrottleRow  *row,
                                GError                      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (!(stmt = enr_service_store_prepare (self,
                                          "INSERT INTO sign_in_throttle"
                                          " (key, failures, last_failure, locked_until, expires)"
                                          " VALUES (?, ?, ?, ?, ?)"
                                          " ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,"
                                          " last_failure = excluded.last_failure,"
                                          " locked_until = excluded.locked_until,"
                                          " expires = excluded.expires",
                                          error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, row->failures);
  sqlite3_bind_int64 (stmt, 3, row->last_failure);
  sqlite3_bind_int64 (stmt, 4, row->locked_until);
  sqlite3_bind_int64 (stmt, 5, row->expires);

  return enr_service_store_step_done (self, stmt, error);
}

gboolean
enr_service_store_delete_throttle (EnrServiceStore  *self,
                                   const char       *key,
                                   GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (!(stmt = enr_service_store_prepare (self, "DELETE FROM sign_in_throttle WHERE key = ?", error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);

  return enr_service_store_step_done (self, stmt, error);
}

/* Deletes the rows that expired, then, past @max_rows, those that would
 * expire first. */
gboolean
enr_service_store_prune_throttle (EnrServiceStore  *self,
                                  gint64            now,
                                  guint             max_rows,
                                  GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (!(stmt = enr_service_store_prepare (self, "DELETE FROM sign_in_throttle WHERE expires <= ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!enr_service_store_step_done (self, stmt, error))
    return FALSE;

  if (!(stmt = enr_service_store_prepare (self,
                                          "DELETE FROM sign_in_throttle WHERE key IN"
                                          " (SELECT key FROM sign_in_throttle ORDER BY expires"
                                          "  LIMIT max (0, (SELECT count(*) FROM sign_in_throttle) - ?))",
                                          error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, max_rows);

  return enr_service_store_step_done (self, stmt, error);
}

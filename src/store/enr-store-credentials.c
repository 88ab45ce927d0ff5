/* enr-store-credentials.c — the offline verifiers of the users who signed in here
 *
 * One row per user (table offline_credentials, store migration 4): the
 * Argon2id parameters, salt and hash of enr-credentials.c, when the user
 * last signed in online, and the wrong passwords since the last right
 * one. Never a password, never a token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-credentials.h"
#include "enr-store-private.h"

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           column)
{
  return g_bytes_new (sqlite3_column_blob (stmt, column), sqlite3_column_bytes (stmt, column));
}

/**
 * enr_store_put_credential:
 *
 * Keeps @credential as its user's verifier (after an online sign-in),
 * replacing the one before and its count of wrong passwords.
 */
gboolean
enr_store_put_credential (EnrStore       *self,
                          EnrCredential  *credential,
                          GError        **error)
{
  GBytes *salt, *hash;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (credential != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  salt = enr_credential_get_salt (credential);
  hash = enr_credential_get_hash (credential);

  if (!_enr_store_begin (self, error))
    return FALSE;

  ok = (stmt = _enr_store_prepare (self,
                                   "INSERT OR REPLACE INTO offline_credentials (username, algorithm,"
                                   " memory_kib, iterations, lanes, salt, hash, signed_in_at, failures,"
                                   " last_failure_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                   error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, enr_credential_get_username (credential), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, enr_credential_get_algorithm (credential), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, enr_credential_get_memory_kib (credential));
      sqlite3_bind_int64 (stmt, 4, enr_credential_get_iterations (credential));
      sqlite3_bind_int64 (stmt, 5, enr_credential_get_lanes (credential));
      sqlite3_bind_blob (stmt, 6, g_bytes_get_data (salt, NULL), (int) g_bytes_get_size (salt), SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 7, g_bytes_get_data (hash, NULL), (int) g_bytes_get_size (hash), SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 8, enr_credential_get_signed_in_at (credential));
      sqlite3_bind_int64 (stmt, 9, enr_credential_get_failures (credential));
      sqlite3_bind_int64 (stmt, 10, enr_credential_get_last_failure_at (credential));
      ok = _enr_store_step_done (self, stmt, error);
    }

  if (!ok)
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  return _enr_store_commit (self, error);
}

/**
 * enr_store_get_credential:
 *
 * Returns: (transfer full): the verifier of @username, or %NULL with
 *   %ENR_STORE_ERROR_NOT_FOUND when they never signed in online here
 */
EnrCredential *
enr_store_get_credential (EnrStore    *self,
                          const char  *username,
                          GError     **error)
{
  EnrCredential *credential = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (username == NULL || username[0] == '\0')
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND,
                   _("No user name was given"));
      return NULL;
    }

  if (!(stmt = _enr_store_prepare (self,
                                   "SELECT algorithm, memory_kib, iterations, lanes, salt, hash,"
                                   " signed_in_at, failures, last_failure_at"
                                   " FROM offline_credentials WHERE username = ?1",
                                   error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GBytes) salt = column_bytes (stmt, 4);
      g_autoptr(GBytes) hash = column_bytes (stmt, 5);

      credential = enr_credential_new (username, (const char *) sqlite3_column_text (stmt, 0),
                                       (guint) sqlite3_column_int64 (stmt, 1),
                                       (guint) sqlite3_column_int64 (stmt, 2),
                                       (guint) sqlite3_column_int64 (stmt, 3),
                                       salt, hash,
                                       sqlite3_column_int64 (stmt, 6),
                                       (guint) sqlite3_column_int64 (stmt, 7),
                                       sqlite3_column_int64 (stmt, 8));
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND,
                 _("%s never signed in online on this computer"), username);
  else
    _enr_store_set_error (self, rc, error);

  sqlite3_reset (stmt);
  return credential;
}

static gboolean
update_failures (EnrStore    *self,
                 const char  *sql,
                 const char  *username,
                 gint64       now,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!_enr_store_begin (self, error))
    return FALSE;

  ok = (stmt = _enr_store_prepare (self, sql, error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, now);
      ok = _enr_store_step_done (self, stmt, error);
    }

  if (!ok)
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  return _enr_store_commit (self, error);
}

/**
 * enr_store_note_offline_attempt:
 * @now: the time of the attempt (µs since the epoch)
 *
 * Counts an offline attempt of @username as a wrong password — before
 * the password is checked, so that stopping the client while it checks
 * does not escape the count; a right password then clears it
 * (enr_store_clear_offline_failures()).
 */
gboolean
enr_store_note_offline_attempt (EnrStore    *self,
                                const char  *username,
                                gint64       now,
                                GError     **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return update_failures (self,
                          "UPDATE offline_credentials SET failures = failures + 1, last_failure_at = ?2"
                          " WHERE username = ?1",
                          username, now, error);
}

/**
 * enr_store_clear_offline_failures:
 *
 * After a right password: no wait before the next attempt.
 */
gboolean
enr_store_clear_offline_failures (EnrStore    *self,
                                  const char  *username,
                                  GError     **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return update_failures (self,
                          "UPDATE offline_credentials SET failures = 0, last_failure_at = ?2"
                          " WHERE username = ?1",
                          username, 0, error);
}

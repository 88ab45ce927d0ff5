/* enr-store-credentials.c — the offline verifiers of the users who signed in here
 *
 * One row per user (table offline_credentials, store migrations 4 and 5):
 * the Argon2id parameters, salt and hash of enr-credentials.c, when the
 * user last signed in online and as whom (the user the service named,
 * with their role), and the wrong passwords since the last right one.
 * Never a password, never a token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-credentials.h"
#include "enr-store-private.h"

static GBytes *
column_bytes (EnrDbStmt *stmt,
              int           column)
{
  return enr_db_stmt_column_blob (stmt, column);
}

/**
 * enr_store_put_credential:
 * @user: the user the service signed in with that password (its name is
 *   the verifier's)
 *
 * Keeps @credential as its user's verifier (after an online sign-in),
 * with @user as the service named them (their role included), replacing
 * the verifier before and its count of wrong passwords.
 */
gboolean
enr_store_put_credential (EnrStore       *self,
                          EnrCredential  *credential,
                          EnrUser        *user,
                          GError        **error)
{
  g_autofree char *user_json = NULL;
  GBytes *salt, *hash;
  EnrDbStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (credential != NULL, FALSE);
  g_return_val_if_fail (ENR_IS_USER (user), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (enr_user_get_username (user), enr_credential_get_username (credential)) != 0)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   "The verifier of %s cannot be kept for %s",
                   enr_credential_get_username (credential),
                   enr_user_get_username (user) != NULL ? enr_user_get_username (user) : "");
      return FALSE;
    }

  salt = enr_credential_get_salt (credential);
  hash = enr_credential_get_hash (credential);
  user_json = enr_codec_encode_string (user);

  if (!_enr_store_begin (self, error))
    return FALSE;

  ok = (stmt = _enr_store_prepare (self,
                                   "INSERT OR REPLACE INTO offline_credentials (username, algorithm,"
                                   " memory_kib, iterations, lanes, salt, hash, signed_in_at, failures,"
                                   " last_failure_at, user)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                   error)) != NULL;
  if (ok)
    {
      enr_db_stmt_bind_text (stmt, 1, enr_credential_get_username (credential));
      enr_db_stmt_bind_text (stmt, 2, enr_credential_get_algorithm (credential));
      enr_db_stmt_bind_int64 (stmt, 3, enr_credential_get_memory_kib (credential));
      enr_db_stmt_bind_int64 (stmt, 4, enr_credential_get_iterations (credential));
      enr_db_stmt_bind_int64 (stmt, 5, enr_credential_get_lanes (credential));
      enr_db_stmt_bind_blob (stmt, 6, g_bytes_get_data (salt, NULL), g_bytes_get_size (salt));
      enr_db_stmt_bind_blob (stmt, 7, g_bytes_get_data (hash, NULL), g_bytes_get_size (hash));
      enr_db_stmt_bind_int64 (stmt, 8, enr_credential_get_signed_in_at (credential));
      enr_db_stmt_bind_int64 (stmt, 9, enr_credential_get_failures (credential));
      enr_db_stmt_bind_int64 (stmt, 10, enr_credential_get_last_failure_at (credential));
      enr_db_stmt_bind_text (stmt, 11, user_json);
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
  EnrDbStmt *stmt;
  EnrDbStep rc;

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

  enr_db_stmt_bind_text (stmt, 1, username);
  if ((rc = _enr_store_step (self, stmt, error)) == ENR_DB_STEP_ROW)
    {
      g_autoptr(GBytes) salt = column_bytes (stmt, 4);
      g_autoptr(GBytes) hash = column_bytes (stmt, 5);

      credential = enr_credential_new (username, enr_db_stmt_column_text (stmt, 0),
                                       (guint) enr_db_stmt_column_int64 (stmt, 1),
                                       (guint) enr_db_stmt_column_int64 (stmt, 2),
                                       (guint) enr_db_stmt_column_int64 (stmt, 3),
                                       salt, hash,
                                       enr_db_stmt_column_int64 (stmt, 6),
                                       (guint) enr_db_stmt_column_int64 (stmt, 7),
                                       enr_db_stmt_column_int64 (stmt, 8));
    }
  else if (rc == ENR_DB_STEP_DONE)
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND,
                 _("%s never signed in online on this computer"), username);

  enr_db_stmt_reset (stmt);
  return credential;
}

/**
 * enr_store_get_credential_user:
 *
 * The user as the service named them (their role included) at the online
 * sign-in that made the verifier of @username: who works offline with
 * that verifier, whatever a data set imported since says of @username.
 *
 * Returns: (transfer full): the user, or %NULL with
 *   %ENR_STORE_ERROR_NOT_FOUND when @username has no verifier, or one
 *   kept before the user was kept with it
 */
EnrUser *
enr_store_get_credential_user (EnrStore    *self,
                               const char  *username,
                               GError     **error)
{
  g_autoptr(EnrUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  EnrDbStmt *stmt;
  EnrDbStep rc;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (username == NULL || username[0] == '\0')
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND,
                   _("No user name was given"));
      return NULL;
    }

  if (!(stmt = _enr_store_prepare (self, "SELECT user FROM offline_credentials WHERE username = ?1",
                                   error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, username);
  rc = _enr_store_step (self, stmt, error);
  if (rc == ENR_DB_STEP_ROW && !enr_db_stmt_column_is_null (stmt, 0))
    user = enr_codec_decode_data (ENR_TYPE_USER, enr_db_stmt_column_text (stmt, 0),
                                  enr_db_stmt_column_length (stmt, 0), &local_error);
  enr_db_stmt_reset (stmt);

  if (rc == ENR_DB_STEP_ERROR)
    return NULL;

  if (local_error != NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE,
                   _("A stored record could not be read: %s"), local_error->message);
      return NULL;
    }

  if (user == NULL || g_strcmp0 (enr_user_get_username (user), username) != 0)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND,
                   _("%s never signed in online on this computer"), username);
      return NULL;
    }

  return g_steal_pointer (&user);
}

static gboolean
update_failures (EnrStore    *self,
                 const char  *sql,
                 const char  *username,
                 gint64       now,
                 GError     **error)
{
  EnrDbStmt *stmt;
  gboolean ok;

  if (!_enr_store_begin (self, error))
    return FALSE;

  ok = (stmt = _enr_store_prepare (self, sql, error)) != NULL;
  if (ok)
    {
      enr_db_stmt_bind_text (stmt, 1, username);
      enr_db_stmt_bind_int64 (stmt, 2, now);
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

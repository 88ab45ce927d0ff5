/* enr-service-store-sessions.c — users and signed-in sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-auth.h"
#include "enr-service-store-private.h"

#define MAX_CACHED_SESSIONS 4096

/* Users and sessions */

gboolean
enr_service_store_import_user (EnrServiceStore  *self,
                               gpointer          user,
                               const char       *password,
                               GError          **error)
{
  g_autofree char *old_hash = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *json = NULL;
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_USER (user), FALSE);

  /* Sessions carry the user's record (name, role). */
  g_hash_table_remove_all (self->sessions);

  /* Keep an existing hash when it still matches: a reload stays fast. */
  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT password_hash FROM users WHERE id = $1",
                                           error)))
    return FALSE;
  enr_db_stmt_bind_text (stmt, 1, enr_entity_get_id (user));
  switch (enr_db_stmt_step (stmt, error))
    {
    case ENR_DB_STEP_ROW:
      old_hash = enr_db_stmt_column_dup (stmt, 0);
      break;
    case ENR_DB_STEP_ERROR:
      return FALSE;
    default:
      break;
    }
  enr_db_stmt_reset (stmt);

  if (password == NULL)
    hash = g_strdup (old_hash != NULL ? old_hash : "");
  else if (old_hash != NULL && enr_service_password_verify (old_hash, password))
    hash = g_steal_pointer (&old_hash);
  else
    hash = enr_service_password_hash (password, ENR_SERVICE_PBKDF2_ITERATIONS);

  json = enr_codec_encode_string (user);

  if (!(stmt = _enr_service_store_prepare (self,
                                           "INSERT INTO users (id, version, json, username, password_hash)"
                                           " VALUES ($1, 1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET"
                                           " json = excluded.json, username = excluded.username,"
                                           " password_hash = excluded.password_hash",
                                           error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, enr_entity_get_id (user));
  enr_db_stmt_bind_text (stmt, 2, json);
  enr_db_stmt_bind_text (stmt, 3, enr_user_get_username (user));
  enr_db_stmt_bind_text (stmt, 4, hash);

  return enr_db_stmt_run (stmt, error);
}

gpointer
enr_service_store_find_user (EnrServiceStore  *self,
                             const char       *username,
                             char            **password_hash,
                             GError          **error)
{
  EnrDbStmt *stmt;
  g_autofree char *json = NULL;
  EnrDbStep step;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT json, password_hash FROM users WHERE username = $1",
                                           error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, username);
  step = enr_db_stmt_step (stmt, error);
  if (step == ENR_DB_STEP_ROW)
    {
      json = enr_db_stmt_column_dup (stmt, 0);
      if (password_hash != NULL)
        *password_hash = enr_db_stmt_column_dup (stmt, 1);
    }
  else if (step == ENR_DB_STEP_DONE)
    g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND, "No such user");
  enr_db_stmt_reset (stmt);

  if (json == NULL)
    return NULL;

  return enr_codec_decode_data (ENR_TYPE_USER, json, -1, error);
}

gboolean
enr_service_store_add_session (EnrServiceStore  *self,
                               const char       *token_digest,
                               const char       *user_id,
                               gint64            created_at,
                               gint64            expires_at,
                               GError          **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "INSERT INTO sessions (token_digest, user_id, created_at, expires_at)"
                                           " VALUES ($1, $2, $3, $4)",
                                           error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, token_digest);
  enr_db_stmt_bind_text (stmt, 2, user_id);
  enr_db_stmt_bind_int64 (stmt, 3, created_at);
  enr_db_stmt_bind_int64 (stmt, 4, expires_at);

  return enr_db_stmt_run (stmt, error);
}

gpointer
enr_service_store_find_session (EnrServiceStore  *self,
                                const char       *token_digest,
                                gint64            now,
                                gint64           *expires_at,
                                GError          **error)
{
  return enr_service_store_find_session_full (self, token_digest, now, expires_at, NULL, error);
}

/**
 * enr_service_store_find_session_full:
 * @user_json: (out) (optional): the user's record as stored, for
 *   enr_service_store_check_session()
 *
 * As enr_service_store_find_session().
 */
gpointer
enr_service_store_find_session_full (EnrServiceStore  *self,
                                     const char       *token_digest,
                                     gint64            now,
                                     gint64           *expires_at,
                                     char            **user_json,
                                     GError          **error)
{
  EnrDbStmt *stmt;
  g_autofree char *json = NULL;
  CachedSession *cached;
  EnrUser *user;
  gint64 expires = 0;
  EnrDbStep step;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);
  g_return_val_if_fail (token_digest != NULL, NULL);

  /* On PostgreSQL every request asks the database: a sign-out through
   * another instance counts at once. */
  cached = enr_db_get_backend (self->db) == ENR_DB_SQLITE
           ? g_hash_table_lookup (self->sessions, token_digest) : NULL;
  if (cached != NULL && user_json == NULL)
    {
      if (cached->expires_at > now)
        {
          if (expires_at != NULL)
            *expires_at = cached->expires_at;
          return g_object_ref (cached->user);
        }
      g_hash_table_remove (self->sessions, token_digest);
    }

  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT u.json, s.expires_at FROM sessions s"
                                           " JOIN users u ON u.id = s.user_id"
                                           " WHERE s.token_digest = $1 AND s.expires_at > $2",
                                           error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, token_digest);
  enr_db_stmt_bind_int64 (stmt, 2, now);
  step = enr_db_stmt_step (stmt, error);
  if (step == ENR_DB_STEP_ROW)
    {
      json = enr_db_stmt_column_dup (stmt, 0);
      expires = enr_db_stmt_column_int64 (stmt, 1);
    }
  else if (step == ENR_DB_STEP_DONE)
    g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND, "No such session");
  enr_db_stmt_reset (stmt);

  if (json == NULL)
    return NULL;

  user = enr_codec_decode_data (ENR_TYPE_USER, json, -1, error);
  if (user == NULL)
    return NULL;

  if (user_json != NULL)
    *user_json = g_strdup (json);

  if (enr_db_get_backend (self->db) != ENR_DB_SQLITE)
    {
      if (expires_at != NULL)
        *expires_at = expires;
      return user;
    }

  if (g_hash_table_size (self->sessions) >= MAX_CACHED_SESSIONS)
    g_hash_table_remove_all (self->sessions);
  cached = g_new0 (CachedSession, 1);
  cached->user = g_object_ref (user);
  cached->expires_at = expires;
  g_hash_table_insert (self->sessions, g_strdup (token_digest), cached);

  if (expires_at != NULL)
    *expires_at = expires;

  return user;
}

/**
 * enr_service_store_check_session:
 *
 * Looks the session up again, as enr_service_store_find_session() does,
 * with the transaction's next statement (enr_db_stmt_defer(): on
 * PostgreSQL in the same round trip, in the same snapshot as what the
 * request reads): a cache of sessions that this confirms before a reply
 * is sent costs no round trip of its own, and a sign-out through another
 * instance still counts at once. Give the result to
 * enr_service_store_session_unchanged() before committing.
 *
 * Returns: (transfer none): the deferred statement, or %NULL with @error
 */
EnrDbStmt *
enr_service_store_check_session (EnrServiceStore  *self,
                                 const char       *token_digest,
                                 gint64            now,
                                 GError          **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  /* Not find_session's text: a lookup meanwhile keeps this one queued. */
  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT s.expires_at, u.json FROM sessions s"
                                           " JOIN users u ON u.id = s.user_id"
                                           " WHERE s.token_digest = $1 AND s.expires_at > $2",
                                           error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, token_digest);
  enr_db_stmt_bind_int64 (stmt, 2, now);
  enr_db_stmt_defer (stmt);

  return stmt;
}

/**
 * enr_service_store_session_unchanged:
 * @check: what enr_service_store_check_session() returned
 * @user_json: the user's record as it was known
 * @expires_at: the session's expiry as it was known
 * @unchanged: (out): whether the session is still there, with that user
 *   record and expiry
 *
 * Returns: %FALSE with @error when the database failed
 */
gboolean
enr_service_store_session_unchanged (EnrServiceStore  *self,
                                     EnrDbStmt        *check,
                                     const char       *user_json,
                                     gint64            expires_at,
                                     gboolean         *unchanged,
                                     GError          **error)
{
  EnrDbStep step = enr_db_stmt_step (check, error);

  *unchanged = step == ENR_DB_STEP_ROW &&
               enr_db_stmt_column_int64 (check, 0) == expires_at &&
               g_strcmp0 (enr_db_stmt_column_text (check, 1), user_json) == 0;
  enr_db_stmt_reset (check);

  return step != ENR_DB_STEP_ERROR;
}

gboolean
enr_service_store_delete_session (EnrServiceStore  *self,
                                  const char       *token_digest,
                                  GError          **error)
{
  EnrDbStmt *stmt;

  g_hash_table_remove (self->sessions, token_digest);

  if (!(stmt = _enr_service_store_prepare (self,
                                           "DELETE FROM sessions WHERE token_digest = $1",
                                           error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, token_digest);

  return enr_db_stmt_run (stmt, error);
}

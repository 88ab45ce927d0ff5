/* enr-service-store-log.c — idempotency records, the change log, the audit trail, meta
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-store-private.h"

/* Idempotency records */

void
enr_service_stored_response_free (EnrServiceStoredResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->method);
  g_free (response->path);
  g_free (response->body_hash);
  g_free (response->content_type);
  g_free (response->etag);
  g_free (response->location);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

EnrServiceStoredResponse *
enr_service_store_find_response (EnrServiceStore  *self,
                                 const char       *user_id,
                                 const char       *key,
                                 GError          **error)
{
  EnrServiceStoredResponse *response = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT method, path, body_hash, status, content_type,"
                                          " etag, location, body FROM idempotency"
                                          " WHERE user_id = ? AND key = ?",
                                          error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      response = g_new0 (EnrServiceStoredResponse, 1);
      response->method = _enr_service_store_column_strdup (stmt, 0);
      response->path = _enr_service_store_column_strdup (stmt, 1);
      response->body_hash = _enr_service_store_column_strdup (stmt, 2);
      response->status = sqlite3_column_int (stmt, 3);
      response->content_type = _enr_service_store_column_strdup (stmt, 4);
      response->etag = _enr_service_store_column_strdup (stmt, 5);
      response->location = _enr_service_store_column_strdup (stmt, 6);
      response->body = g_bytes_new (sqlite3_column_blob (stmt, 7),
                                    sqlite3_column_bytes (stmt, 7));
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_NOT_FOUND,
                 "No stored response");
  else
    enr_service_store_set_error (self, rc, error);
  sqlite3_reset (stmt);

  return response;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

gboolean
enr_service_store_save_response (EnrServiceStore                *self,
                                 const char                     *user_id,
                                 const char                     *key,
                                 const EnrServiceStoredResponse *response,
                                 gint64                          now,
                                 GError                        **error)
{
  sqlite3_stmt *stmt;
  gsize size = 0;
  gconstpointer data = NULL;

  if (!(stmt = enr_service_store_prepare (self,
                                          "INSERT INTO idempotency (user_id, key, method, path,"
                                          " body_hash, status, content_type, etag, location, body,"
                                          " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                          error)))
    return FALSE;

  if (response->body != NULL)
    data = g_bytes_get_data (response->body, &size);

  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, response->method, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, response->path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, response->body_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, response->status);
  bind_text_or_null (stmt, 7, response->content_type);
  bind_text_or_null (stmt, 8, response->etag);
  bind_text_or_null (stmt, 9, response->location);
  sqlite3_bind_blob64 (stmt, 10, data != NULL ? data : "", size, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 11, now);

  return enr_service_store_step_done (self, stmt, error);
}

/* Change log and audit */

gint64
enr_service_store_log_change (EnrServiceStore  *self,
                              const char       *type,
                              const char       *id,
                              gint64            version,
                              const char       *owner,
                              const char       *json,
                              GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = enr_service_store_prepare (self,
                                          "INSERT INTO changes (type, id, version, owner, deleted, json, at)"
                                          " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                          error)))
    return -1;

  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, version);
  bind_text_or_null (stmt, 4, owner);
  sqlite3_bind_int (stmt, 5, json == NULL);
  bind_text_or_null (stmt, 6, json);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);

  if (!enr_service_store_step_done (self, stmt, error))
    return -1;

  return sqlite3_last_insert_rowid (self->db);
}

void
enr_service_change_free (EnrServiceChange *change)
{
  if (change == NULL)
    return;

  g_free (change->type);
  g_free (change->id);
  g_free (change->json);
  g_free (change);
}

static gint64
meta_int (EnrServiceStore *self,
          const char      *key)
{
  g_autofree char *text = enr_service_store_get_meta (self, key);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static gint64
head_seq (EnrServiceStore *self)
{
  sqlite3_stmt *stmt;
  gint64 head = 0;

  stmt = enr_service_store_prepare (self,
                                    "SELECT max(head) FROM (SELECT max(seq) AS head FROM changes"
                                    " UNION ALL SELECT seq FROM sqlite_sequence WHERE name = 'changes')",
                                    NULL);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    head = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return head;
}

gboolean
enr_service_store_changes (EnrServiceStore  *self,
                           gint64            since,
                           guint             limit,
                           const char       *owner_filter,
                           GPtrArray       **changes,
                           gint64           *horizon,
                           gint64           *head,
                           GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_service_change_free);
  sqlite3_stmt *stmt;
  int rc;

  *horizon = meta_int (self, "change-horizon");
  *head = head_seq (self);

  if (owner_filter != NULL)
    stmt = enr_service_store_prepare (self,
                                      "SELECT seq, type, id, version, deleted, json, at FROM changes"
                                      " WHERE seq > ? AND (owner IS NULL OR owner = ?)"
                                      " ORDER BY seq LIMIT ?",
                                      error);
  else
    stmt = enr_service_store_prepare (self,
                                      "SELECT seq, type, id, version, deleted, json, at FROM changes"
                                      " WHERE seq > ? ORDER BY seq LIMIT ?",
                                      error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, since);
  if (owner_filter != NULL)
    {
      sqlite3_bind_text (stmt, 2, owner_filter, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, limit);
    }
  else
    sqlite3_bind_int (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EnrServiceChange *change = g_new0 (EnrServiceChange, 1);

      change->seq = sqlite3_column_int64 (stmt, 0);
      change->type = _enr_service_store_column_strdup (stmt, 1);
      change->id = _enr_service_store_column_strdup (stmt, 2);
      change->version = sqlite3_column_int64 (stmt, 3);
      change->deleted = sqlite3_column_int (stmt, 4) != 0;
      change->json = _enr_service_store_column_strdup (stmt, 5);
      change->at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (rows, change);
    }
  if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  *changes = g_steal_pointer (&rows);
  return TRUE;
}

gboolean
enr_service_store_reset_change_log (EnrServiceStore  *self,
                                    GError          **error)
{
  g_autofree char *head = g_strdup_printf ("%" G_GINT64_FORMAT, head_seq (self));

  return enr_service_store_exec (self, "DELETE FROM changes", error) &&
         enr_service_store_set_meta (self, "change-horizon", head, error);
}

gboolean
enr_service_store_audit (EnrServiceStore  *self,
                         gint64            at,
                         const char       *user_id,
                         const char       *username,
                         const char       *action,
                         const char       *entity_type,
                         const char       *entity_id,
                         guint             status,
                         GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = enr_service_store_prepare (self,
                                          "INSERT INTO audit (at, user_id, username, action,"
                                          " entity_type, entity_id, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                          error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, at);
  bind_text_or_null (stmt, 2, user_id);
  bind_text_or_null (stmt, 3, username);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 5, entity_type);
  bind_text_or_null (stmt, 6, entity_id);
  sqlite3_bind_int (stmt, 7, status);

  return enr_service_store_step_done (self, stmt, error);
}

gboolean
enr_service_store_prune (EnrServiceStore  *self,
                         gint64            now,
                         gint64            response_max_age,
                         gint64            change_retention,
                         GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 head = head_seq (self);
  gint64 horizon = meta_int (self, "change-horizon");
  gint64 new_horizon = head - change_retention;

  if (!enr_service_store_begin (self, error))
    return FALSE;

  if (!(stmt = enr_service_store_prepare (self, "DELETE FROM idempotency WHERE created_at < ?", error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, now - response_max_age);
  if (!enr_service_store_step_done (self, stmt, error))
    goto failed;

  if (!(stmt = enr_service_store_prepare (self, "DELETE FROM sessions WHERE expires_at <= ?", error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!enr_service_store_step_done (self, stmt, error))
    goto failed;

  if (change_retention >= 0 && new_horizon > horizon)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, new_horizon);

      if (!(stmt = enr_service_store_prepare (self, "DELETE FROM changes WHERE seq <= ?", error)))
        goto failed;
      sqlite3_bind_int64 (stmt, 1, new_horizon);
      if (!enr_service_store_step_done (self, stmt, error) ||
          !enr_service_store_set_meta (self, "change-horizon", text, error))
        goto failed;
    }

  return enr_service_store_commit (self, error);

failed:
  enr_service_store_rollback (self);
  return FALSE;
}

char *
enr_service_store_get_meta (EnrServiceStore *self,
                            const char      *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  stmt = enr_service_store_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = _enr_service_store_column_strdup (stmt, 0);
  sqlite3_reset (stmt);

  return value;
}

gboolean
enr_service_store_set_meta (EnrServiceStore  *self,
                            const char       *key,
                            const char       *value,
                            GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = enr_service_store_prepare (self,
                                          "INSERT INTO meta (key, value) VALUES (?, ?)"
                                          " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                          error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);

  return enr_service_store_step_done (self, stmt, error);
}

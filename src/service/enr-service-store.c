/* enr-service-store.c — the service's SQLite store: the connection
 *
 * The object, its caches, errors, the statement cache and transactions.
 * The schema is in enr-service-store-schema.c; records in -entities.c;
 * users and sessions in -sessions.c; idempotency records, the change log
 * and the audit trail in -log.c; search, listings and the export in
 * -queries.c. They share enr-service-store-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-store-private.h"

G_DEFINE_FINAL_TYPE (EnrServiceStore, enr_service_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (enr-service-store-error-quark, enr_service_store_error)

static void
reference_cache_free (ReferenceCache *cache)
{
  g_hash_table_unref (cache->by_id);
  g_ptr_array_unref (cache->objects);
  g_free (cache);
}

static void
cached_session_free (CachedSession *session)
{
  g_object_unref (session->user);
  g_free (session);
}

/* Forgets every cached record: after a rollback, or SQL of unknown effect. */
static void
drop_caches (EnrServiceStore *self)
{
  g_hash_table_remove_all (self->reference);
  g_hash_table_remove_all (self->sessions);
}

void
enr_service_store_set_error (EnrServiceStore  *self,
                             int               rc,
                             GError          **error)
{
  int code = ENR_SERVICE_STORE_ERROR_FAILED;
  const char *message = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = ENR_SERVICE_STORE_ERROR_BUSY;
      break;
    case SQLITE_CONSTRAINT:
      code = ENR_SERVICE_STORE_ERROR_CONSTRAINT;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = ENR_SERVICE_STORE_ERROR_CORRUPT;
      break;
    default:
      break;
    }

  g_set_error (error, ENR_SERVICE_STORE_ERROR, code, "SQLite: %s", message);
}

char *
_enr_service_store_column_strdup (sqlite3_stmt *stmt,
                                  int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static void
digits_func (sqlite3_context *context,
             int              argc,
             sqlite3_value  **argv)
{
  const unsigned char *text = sqlite3_value_text (argv[0]);
  GString *digits;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  digits = g_string_new (NULL);
  for (const unsigned char *p = text; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);

  sqlite3_result_text (context, digits->str, digits->len, SQLITE_TRANSIENT);
  g_string_free (digits, TRUE);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
enr_service_store_finalize (GObject *object)
{
  EnrServiceStore *self = (EnrServiceStore *)object;

  enr_service_store_close (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->reference, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);

  G_OBJECT_CLASS (enr_service_store_parent_class)->finalize (object);
}

static void
enr_service_store_class_init (EnrServiceStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_service_store_finalize;
}

static void
enr_service_store_init (EnrServiceStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  self->reference = g_hash_table_new_full (NULL, NULL, NULL,
                                           (GDestroyNotify) reference_cache_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) cached_session_free);
}

gboolean
enr_service_store_exec (EnrServiceStore  *self,
                        const char       *sql,
                        GError          **error)
{
  char *message = NULL;
  int rc;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (self->db != NULL, FALSE);

  drop_caches (self);

  rc = sqlite3_exec (self->db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, ENR_SERVICE_STORE_ERROR,
                   (rc & 0xff) == SQLITE_BUSY ? ENR_SERVICE_STORE_ERROR_BUSY
                                              : ENR_SERVICE_STORE_ERROR_FAILED,
                   "SQLite: %s", message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

sqlite3_stmt *
enr_service_store_prepare (EnrServiceStore  *self,
                           const char       *sql,
                           GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);
  g_return_val_if_fail (self->db != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      enr_service_store_set_error (self, rc, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

gboolean
enr_service_store_step_done (EnrServiceStore  *self,
                             sqlite3_stmt     *stmt,
                             GError          **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      enr_service_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

EnrServiceStore *
enr_service_store_open (const char  *path,
                        GError     **error)
{
  g_autoptr(EnrServiceStore) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (ENR_TYPE_SERVICE_STORE, NULL);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_FAILED,
                   "Cannot open %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_create_function (self->db, "enr_digits", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                           NULL, digits_func, NULL, NULL);

  if (!enr_service_store_exec (self,
                               "PRAGMA journal_mode = WAL;"
                               "PRAGMA synchronous = FULL;"
                               "PRAGMA foreign_keys = ON;"
                               "PRAGMA temp_store = MEMORY;"
                               "PRAGMA cache_size = -65536;"
                               "PRAGMA mmap_size = 268435456;",
                               error))
    return NULL;

  if (!_enr_service_store_migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
enr_service_store_close (EnrServiceStore *self)
{
  g_return_if_fail (ENR_IS_SERVICE_STORE (self));

  if (self->db == NULL)
    return;

  if (self->in_transaction)
    enr_service_store_rollback (self);

  g_hash_table_remove_all (self->statements);
  sqlite3_exec (self->db, "PRAGMA optimize", NULL, NULL, NULL);
  sqlite3_close (self->db);
  self->db = NULL;
}

sqlite3 *
enr_service_store_get_db (EnrServiceStore *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  return self->db;
}

gboolean
enr_service_store_begin (EnrServiceStore  *self,
                         GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!(stmt = enr_service_store_prepare (self, "BEGIN IMMEDIATE", error)) ||
      !enr_service_store_step_done (self, stmt, error))
    return FALSE;

  self->in_transaction = TRUE;
  return TRUE;
}

gboolean
enr_service_store_commit (EnrServiceStore  *self,
                          GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!(stmt = enr_service_store_prepare (self, "COMMIT", error)) ||
      !enr_service_store_step_done (self, stmt, error))
    return FALSE;

  self->in_transaction = FALSE;
  return TRUE;
}

void
enr_service_store_rollback (EnrServiceStore *self)
{
  g_return_if_fail (ENR_IS_SERVICE_STORE (self));

  if (!self->in_transaction)
    return;

  /* Reset every cached statement first: a pending read would keep the
   * transaction open. */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->statements);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      sqlite3_reset (value);
  }

  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->in_transaction = FALSE;
  drop_caches (self);
}

/* Savepoints let one transaction carry several writes (group commit):
 * each write runs inside its own savepoint and a failed one is undone
 * alone. They never nest. */
gboolean
enr_service_store_savepoint (EnrServiceStore  *self,
                             GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  return (stmt = enr_service_store_prepare (self, "SAVEPOINT enr_write", error)) != NULL &&
         enr_service_store_step_done (self, stmt, error);
}

gboolean
enr_service_store_release (EnrServiceStore  *self,
                           GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  return (stmt = enr_service_store_prepare (self, "RELEASE enr_write", error)) != NULL &&
         enr_service_store_step_done (self, stmt, error);
}

/* Undoes everything since the savepoint and releases it; the rest of the
 * transaction stays. */
gboolean
enr_service_store_rollback_to (EnrServiceStore  *self,
                               GError          **error)
{
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  g_hash_table_iter_init (&iter, self->statements);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sqlite3_reset (value);
  drop_caches (self);

  return enr_service_store_exec (self, "ROLLBACK TO enr_write; RELEASE enr_write", error);
}

/* FALSE when SQLite ended the transaction on its own (some I/O, disk-full
 * or memory errors roll it back): whatever it held is gone. */
gboolean
enr_service_store_transaction_alive (EnrServiceStore *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (!self->in_transaction)
    return FALSE;

  if (sqlite3_get_autocommit (self->db))
    {
      self->in_transaction = FALSE;
      drop_caches (self);
      return FALSE;
    }

  return TRUE;
}

/* Whether the transaction breaks a deferred foreign key: COMMIT would fail. */
gboolean
enr_service_store_has_deferred_violations (EnrServiceStore *self)
{
  int current = 0;
  int highest = 0;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (sqlite3_db_status (self->db, SQLITE_DBSTATUS_DEFERRED_FKS, &current, &highest, FALSE) != SQLITE_OK)
    return FALSE;

  return current > 0;
}

gboolean
enr_service_store_in_transaction (EnrServiceStore *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  return self->in_transaction;
}

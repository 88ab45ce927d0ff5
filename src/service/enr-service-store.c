/* enr-service-store.c — the service's store: the connection
 *
 * The object, its caches and transactions, on a connection of the
 * database layer (enr-db.h), which caches the statements.
 * The schema is in enr-service-store-schema.c; records in -entities.c;
 * users and sessions in -sessions.c; idempotency records, the change log
 * and the audit trail in -log.c; search, listings and the export in
 * -queries.c. They share enr-service-store-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include "enr-service-store-private.h"

G_DEFINE_FINAL_TYPE (EnrServiceStore, enr_service_store, G_TYPE_OBJECT)

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
void
_enr_service_store_drop_caches (EnrServiceStore *self)
{
  g_hash_table_remove_all (self->reference);
  g_clear_pointer (&self->code_values, g_hash_table_unref);
  g_hash_table_remove_all (self->sessions);
}

/* The reference data of @type changes in the open transaction: this
 * store forgets it now, the others of the service when it commits
 * (announced to other instances by a notification that PostgreSQL
 * delivers at commit). */
void
_enr_service_store_forget_reference (EnrServiceStore *self,
                                     GType            type)
{
  g_hash_table_remove (self->reference, GSIZE_TO_POINTER (type));
  if (type == ENR_TYPE_CODE_VALUE)
    g_clear_pointer (&self->code_values, g_hash_table_unref);

  if (self->reference_changed)
    return;
  self->reference_changed = TRUE;

  if (self->channel != NULL)
    {
      EnrDbStmt *stmt = enr_db_prepare (self->db, "SELECT pg_notify ($1, 'reference')", NULL);

      if (stmt != NULL)
        {
          enr_db_stmt_bind_text (stmt, 1, self->channel);
          if (!enr_db_stmt_run (stmt, NULL))
            g_warning ("Cannot announce a change of the reference data");
        }
    }
}

/* Drops the reference data when another store (or instance) changed it. */
void
_enr_service_store_check_generation (EnrServiceStore *self)
{
  gint generation = g_atomic_int_get (&self->caches->generation);

  if (generation == self->reference_generation)
    return;

  g_hash_table_remove_all (self->reference);
  g_clear_pointer (&self->code_values, g_hash_table_unref);
  self->reference_generation = generation;
}

static void
end_transaction (EnrServiceStore *self,
                 gboolean         committed)
{
  if (self->reference_changed && committed)
    enr_service_store_invalidate_caches (self);
  if (self->feed_marked && committed)
    self->changes_committed = TRUE;
  self->reference_changed = FALSE;
  self->feed_marked = FALSE;
  self->claim = NULL;
  g_hash_table_remove_all (self->locked_versions);
}

static EnrServiceCaches *
caches_new (void)
{
  EnrServiceCaches *caches = g_new0 (EnrServiceCaches, 1);

  g_atomic_ref_count_init (&caches->ref_count);
  return caches;
}

static void
caches_unref (EnrServiceCaches *caches)
{
  if (g_atomic_ref_count_dec (&caches->ref_count))
    g_free (caches);
}

/**
 * enr_service_store_share_caches:
 * @self: a store of the service, opened on its own connection
 * @with: the store whose caches' generation @self follows
 *
 * The stores of one service (the connections of its pool) each cache the
 * reference data; a change that one of them commits, or that another
 * instance announces, is seen by all of them.
 */
void
enr_service_store_share_caches (EnrServiceStore *self,
                                EnrServiceStore *with)
{
  g_return_if_fail (ENR_IS_SERVICE_STORE (self));
  g_return_if_fail (ENR_IS_SERVICE_STORE (with));

  g_atomic_ref_count_inc (&with->caches->ref_count);
  caches_unref (self->caches);
  self->caches = with->caches;
  g_hash_table_remove_all (self->reference);
  g_clear_pointer (&self->code_values, g_hash_table_unref);
  self->reference_generation = g_atomic_int_get (&self->caches->generation);
}

/* Any thread: the stores sharing @self's caches drop the reference data
 * before they next use it. */
void
enr_service_store_invalidate_caches (EnrServiceStore *self)
{
  g_return_if_fail (ENR_IS_SERVICE_STORE (self));

  g_atomic_int_inc (&self->caches->generation);
}

/* PostgreSQL: the notification channel of this schema (instances on other
 * schemas of the database do not hear it). */
const char *
enr_service_store_get_channel (EnrServiceStore *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  return self->channel;
}

/**
 * enr_service_store_take_changes_committed:
 *
 * PostgreSQL: whether a transaction that wrote to the change log
 * committed (or may have: its COMMIT's answer was lost) since the last
 * call. The service then announces it to the instances' long polls of
 * the feed (enr_service_notify_announce_changes()), after the COMMIT:
 * a pg_notify() inside the transaction would make PostgreSQL commit the
 * notifying transactions one at a time (it holds a lock of the whole
 * database's notification queue from before the commit record to its
 * end), each waiting for its own fsync, where writes committing together
 * share one.
 */
gboolean
enr_service_store_take_changes_committed (EnrServiceStore *self)
{
  gboolean committed;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  committed = self->changes_committed;
  self->changes_committed = FALSE;
  return committed;
}

/* Runs a write whose outcome nothing after it reads (a record's row, its
 * change-log row, an audit row, the idempotency record's answer): in a
 * PostgreSQL transaction it is deferred and goes out with the
 * transaction's next statement, at the latest its COMMIT (one round
 * trip), whose failure it then is. The statements that follow it run
 * after it: they read what it wrote. */
gboolean
_enr_service_store_run_late (EnrServiceStore  *self,
                             EnrDbStmt        *stmt,
                             GError          **error)
{
  if (enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL && enr_db_in_transaction (self->db))
    {
      enr_db_stmt_defer (stmt);
      return TRUE;
    }

  return enr_db_stmt_run (stmt, error);
}

EnrDbStmt *
_enr_service_store_prepare (EnrServiceStore  *self,
                            const char       *sql,
                            GError          **error)
{
  g_return_val_if_fail (self->db != NULL, NULL);

  return enr_db_prepare (self->db, sql, error);
}

EnrDbStmt *
_enr_service_store_prepare_static (EnrServiceStore  *self,
                                   const char       *sql,
                                   GError          **error)
{
  g_return_val_if_fail (self->db != NULL, NULL);

  return enr_db_prepare_static (self->db, sql, error);
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
enr_service_store_finalize (GObject *object)
{
  EnrServiceStore *self = (EnrServiceStore *)object;

  enr_service_store_close (self);
  g_clear_pointer (&self->reference, g_hash_table_unref);
  g_clear_pointer (&self->code_values, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->locked_versions, g_hash_table_unref);
  g_clear_pointer (&self->caches, caches_unref);
  _enr_service_store_clear_search (self);
  g_free (self->channel);

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
  self->reference = g_hash_table_new_full (NULL, NULL, NULL,
                                           (GDestroyNotify) reference_cache_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) cached_session_free);
  self->locked_versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->caches = caches_new ();
}

/* Runs SQL of unknown effect on the caches: they are dropped. */
gboolean
enr_service_store_exec (EnrServiceStore  *self,
                        const char       *sql,
                        GError          **error)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (self->db != NULL, FALSE);

  _enr_service_store_drop_caches (self);

  return enr_db_exec (self->db, sql, error);
}

static gboolean
open_sqlite (EnrServiceStore  *self,
             GError          **error)
{
  sqlite3 *sqlite = enr_db_get_handle (self->db);

  sqlite3_create_function (sqlite, "enr_digits", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                           NULL, digits_func, NULL, NULL);

  return _enr_service_store_init_search (self, error) &&
         enr_service_store_exec (self,
                                 "PRAGMA journal_mode = WAL;"
                                 "PRAGMA synchronous = FULL;"
                                 "PRAGMA foreign_keys = ON;"
                                 "PRAGMA temp_store = MEMORY;"
                                 "PRAGMA cache_size = -65536;"
                                 "PRAGMA mmap_size = 268435456;",
                                 error) &&
         _enr_service_store_migrate (self, error);
}

/* PostgreSQL: an empty database gets the schema; an older one only with
 * ENR_SERVICE_STORE_MIGRATE (enrollment-service --migrate), since other
 * instances may still run the binary it belongs to; a newer one never. */
static gboolean
open_postgresql (EnrServiceStore          *self,
                 EnrServiceStoreOpenFlags  flags,
                 GError                  **error)
{
  EnrDbStmt *stmt;
  int version;

  if ((version = enr_db_get_schema_version (self->db, error)) < 0)
    return FALSE;

  if (version > 0 && version < ENR_SERVICE_SCHEMA_VERSION && !(flags & ENR_SERVICE_STORE_MIGRATE))
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_SCHEMA,
                   "The %s has schema version %d; this service needs %d. "
                   "Stop the older instances and run enrollment-service --migrate",
                   enr_db_get_name (self->db), version, ENR_SERVICE_SCHEMA_VERSION);
      return FALSE;
    }

  if (!_enr_service_store_migrate (self, error))
    return FALSE;

  if (!(stmt = enr_db_prepare (self->db, "SELECT 'enrollment:' || current_schema ()", error)))
    return FALSE;
  if (enr_db_stmt_step (stmt, error) == ENR_DB_STEP_ROW)
    self->channel = enr_db_stmt_column_dup (stmt, 0);
  enr_db_stmt_reset (stmt);

  return self->channel != NULL;
}

/**
 * enr_service_store_open_full:
 * @target: an SQLite file, or a postgresql:// URI
 *
 * An SQLite file is created and migrated as needed (the service is its
 * only user). See open_postgresql() for PostgreSQL.
 */
EnrServiceStore *
enr_service_store_open_full (const char                *target,
                             EnrServiceStoreOpenFlags   flags,
                             GError                   **error)
{
  g_autoptr(EnrServiceStore) self = NULL;

  g_return_val_if_fail (target != NULL, NULL);

  self = g_object_new (ENR_TYPE_SERVICE_STORE, NULL);

  if (!(self->db = enr_db_open (target, error)))
    return NULL;

  if (enr_db_get_backend (self->db) == ENR_DB_SQLITE ? !open_sqlite (self, error)
                                                     : !open_postgresql (self, flags, error))
    return NULL;

  return g_steal_pointer (&self);
}

EnrServiceStore *
enr_service_store_open (const char  *target,
                        GError     **error)
{
  return enr_service_store_open_full (target, ENR_SERVICE_STORE_OPEN_DEFAULT, error);
}

EnrDbBackend
enr_service_store_get_backend (EnrServiceStore *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), ENR_DB_SQLITE);

  return enr_db_get_backend (self->db);
}

void
enr_service_store_close (EnrServiceStore *self)
{
  g_return_if_fail (ENR_IS_SERVICE_STORE (self));

  if (self->db == NULL)
    return;

  if (enr_db_in_transaction (self->db))
    enr_service_store_rollback (self);

  if (enr_db_get_backend (self->db) == ENR_DB_SQLITE)
    enr_db_exec (self->db, "PRAGMA optimize", NULL);
  g_clear_pointer (&self->db, enr_db_close);
}

EnrDb *
enr_service_store_get_db (EnrServiceStore *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  return self->db;
}

gboolean
enr_service_store_begin (EnrServiceStore  *self,
                         GError          **error)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (!enr_db_in_transaction (self->db), FALSE);

  end_transaction (self, FALSE);
  _enr_service_store_check_generation (self);

  return enr_db_begin (self->db, error);
}

/* A transaction that only reads: one snapshot for all its statements. */
gboolean
enr_service_store_begin_read (EnrServiceStore  *self,
                              GError          **error)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (!enr_db_in_transaction (self->db), FALSE);

  end_transaction (self, FALSE);
  _enr_service_store_check_generation (self);

  return enr_db_begin_read (self->db, error);
}

gboolean
enr_service_store_commit (EnrServiceStore  *self,
                          GError          **error)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (enr_db_in_transaction (self->db), FALSE);

  if (!enr_db_commit (self->db, error))
    {
      /* A lost answer: the changes may have committed. */
      if (self->feed_marked)
        self->changes_committed = TRUE;
      return FALSE;
    }

  end_transaction (self, TRUE);
  return TRUE;
}

/* After a rollback: the sessions cached may be ones the transaction
 * wrote; the reference data only when the transaction changed some
 * (_enr_service_store_forget_reference()): else what is cached was
 * committed, and stays (a save refused with 412 does not make the next
 * request read the reference data again). */
static void
forget_rolled_back (EnrServiceStore *self,
                    gboolean         reference_changed)
{
  if (reference_changed)
    _enr_service_store_drop_caches (self);
  else
    g_hash_table_remove_all (self->sessions);
}

void
enr_service_store_rollback (EnrServiceStore *self)
{
  gboolean reference_changed;

  g_return_if_fail (ENR_IS_SERVICE_STORE (self));

  if (!enr_db_in_transaction (self->db))
    return;

  reference_changed = self->reference_changed;
  enr_db_rollback (self->db);
  end_transaction (self, FALSE);
  forget_rolled_back (self, reference_changed);
}

/* Savepoints let one transaction carry several writes (group commit):
 * each write runs inside its own savepoint and a failed one is undone
 * alone. They never nest. */
gboolean
enr_service_store_savepoint (EnrServiceStore  *self,
                             GError          **error)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  return enr_db_savepoint (self->db, "enr_write", error);
}

gboolean
enr_service_store_release (EnrServiceStore  *self,
                           GError          **error)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  return enr_db_release (self->db, "enr_write", error);
}

/* Undoes everything since the savepoint and releases it; the rest of the
 * transaction stays. */
gboolean
enr_service_store_rollback_to (EnrServiceStore  *self,
                               GError          **error)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  forget_rolled_back (self, self->reference_changed);
  g_hash_table_remove_all (self->locked_versions);

  return enr_db_rollback_to (self->db, "enr_write", error);
}

/* FALSE when the database ended the transaction on its own (some I/O,
 * disk-full or memory errors roll it back): whatever it held is gone. */
gboolean
enr_service_store_transaction_alive (EnrServiceStore *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (enr_db_transaction_alive (self->db))
    return TRUE;

  _enr_service_store_drop_caches (self);
  return FALSE;
}

/* Whether the transaction breaks a deferred foreign key: COMMIT would fail. */
gboolean
enr_service_store_has_deferred_violations (EnrServiceStore *self)
{
  int current = 0;
  int highest = 0;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (enr_db_get_backend (self->db) != ENR_DB_SQLITE ||
      sqlite3_db_status (enr_db_get_handle (self->db), SQLITE_DBSTATUS_DEFERRED_FKS,
                         &current, &highest, FALSE) != SQLITE_OK)
    return FALSE;

  return current > 0;
}

gboolean
enr_service_store_in_transaction (EnrServiceStore *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  return enr_db_in_transaction (self->db);
}

/* enr-service-store.c — the service's SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-core.h"
#include "enr-service-auth.h"
#include "enr-service-store.h"

/* Decoded reference data (programs, their types, initiatives, task and
 * activity types): only the loader writes it, so it is read once and
 * dropped whenever its table is written or a transaction rolls back. */
typedef struct
{
  GHashTable *by_id;     /* id → object */
  GPtrArray  *objects;   /* by id */
} ReferenceCache;

/* A signed-in session as authentication needs it. Its expiry is checked on
 * every use; sign-out removes it. */
typedef struct
{
  EnrUser *user;
  gint64   expires_at;
} CachedSession;

#define MAX_CACHED_SESSIONS 4096

struct _EnrServiceStore
{
  GObject     parent_instance;

  sqlite3    *db;
  GHashTable *statements;
  GHashTable *reference;   /* GType → ReferenceCache */
  GHashTable *sessions;    /* token digest → CachedSession */
  gboolean    in_transaction;
};

G_DEFINE_FINAL_TYPE (EnrServiceStore, enr_service_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (enr-service-store-error-quark, enr_service_store_error)

/* One table per entity type: its change-feed name and the properties
 * copied into indexed columns (column name = property name with '_'). */
typedef struct
{
  GType       (*get_type) (void);
  const char   *name;
  const char   *table;
  const char   *columns[6];
} TableInfo;

static const TableInfo tables[] = {
  { enr_customer_get_type, "customer", "customers", { "name", "account-id" } },
  { enr_metered_service_get_type, "metered_service", "metered_services",
    { "customer-id", "service-point-id" } },
  { enr_service_point_get_type, "service_point", "service_points", { NULL } },
  { enr_device_location_get_type, "device_location", "device_locations",
    { "service-point-id" } },
  { enr_device_get_type, "device", "devices",
    { "device-location-id", "subscription-id" } },
  { enr_program_subscription_get_type, "program_subscription", "subscriptions",
    { "customer-id", "program-id", "status" } },
  { enr_program_type_get_type, "program_type", "program_types", { NULL } },
  { enr_program_get_type, "program", "programs", { "code" } },
  { enr_initiative_get_type, "initiative", "initiatives", { NULL } },
  { enr_service_task_type_get_type, "service_task_type", "service_task_types", { NULL } },
  { enr_action_method_get_type, "action_method", "action_methods", { NULL } },
  { enr_activity_type_get_type, "activity_type", "activity_types", { NULL } },
  { enr_crew_shift_type_get_type, "crew_shift_type", "crew_shift_types", { NULL } },
  { enr_crew_get_type, "crew", "crews", { "shift-type-id" } },
  { enr_crew_shift_get_type, "crew_shift", "crew_shifts",
    { "crew-id", "shift-type-id", "date" } },
  { enr_appointment_get_type, "appointment", "appointments",
    { "crew-shift-id", "service-task-id", "status" } },
  { enr_service_task_get_type, "service_task", "service_tasks",
    { "customer-id", "program-id", "kind", "status", "created-by", "created-at" } },
  { enr_customer_communication_get_type, "customer_communication", "communications",
    { "customer-id", "service-task-id", "created-at" } },
  { enr_user_get_type, "user", "users", { "username" } },
};

static const char *migrations[] = {
  /* 1: the initial schema */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"

  "CREATE TABLE customers (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL,"
  "  name TEXT, account_id TEXT);"
  "CREATE VIRTUAL TABLE customer_search USING fts5 (name, account_id, phone, phone_digits,"
  "  email, address, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
  "CREATE TABLE service_points (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL);"
  "CREATE TABLE metered_services (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL,"
  "  customer_id TEXT REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,"
  "  service_point_id TEXT REFERENCES service_points (id) DEFERRABLE INITIALLY DEFERRED);"
  "CREATE INDEX metered_services_customer ON metered_services (customer_id);"
  "CREATE TABLE device_locations (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL,"
  "  service_point_id TEXT REFERENCES service_points (id) DEFERRABLE INITIALLY DEFERRED);"
  "CREATE INDEX device_locations_service_point ON device_locations (service_point_id);"
  "CREATE TABLE program_types (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL);"
  "CREATE TABLE programs (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL, code TEXT);"
  "CREATE TABLE subscriptions (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL,"
  "  customer_id TEXT REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,"
  "  program_id TEXT REFERENCES programs (id) DEFERRABLE INITIALLY DEFERRED,"
  "  status TEXT);"
  "CREATE INDEX subscriptions_customer ON subscriptions (customer_id);"
  "CREATE TABLE devices (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL,"
  "  device_location_id TEXT REFERENCES device_locations (id) DEFERRABLE INITIALLY DEFERRED,"
  "  subscription_id TEXT);"
  "CREATE INDEX devices_location ON devices (device_location_id);"
  "CREATE TABLE initiatives (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL);"
  "CREATE TABLE service_task_types (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL);"
  "CREATE TABLE action_methods (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL);"
  "CREATE TABLE activity_types (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL);"
  "CREATE TABLE crew_shift_types (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL);"
  "CREATE TABLE crews (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL,"
  "  shift_type_id TEXT REFERENCES crew_shift_types (id) DEFERRABLE INITIALLY DEFERRED);"
  "CREATE TABLE crew_shifts (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL,"
  "  crew_id TEXT REFERENCES crews (id) DEFERRABLE INITIALLY DEFERRED,"
  "  shift_type_id TEXT, date TEXT);"
  "CREATE INDEX crew_shifts_crew_date ON crew_shifts (crew_id, date);"
  "CREATE INDEX crew_shifts_date ON crew_shifts (date);"
  "CREATE TABLE service_tasks (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL,"
  "  customer_id TEXT REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,"
  "  program_id TEXT REFERENCES programs (id) DEFERRABLE INITIALLY DEFERRED,"
  "  kind TEXT, status TEXT, created_by TEXT, created_at INTEGER);"
  "CREATE INDEX service_tasks_customer ON service_tasks (customer_id);"
  "CREATE INDEX service_tasks_creator ON service_tasks (created_by, created_at);"
  "CREATE INDEX service_tasks_status ON service_tasks (status, created_at);"
  "CREATE INDEX service_tasks_created ON service_tasks (created_at);"
  "CREATE TABLE appointments (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL,"
  "  crew_shift_id TEXT REFERENCES crew_shifts (id) DEFERRABLE INITIALLY DEFERRED,"
  "  service_task_id TEXT REFERENCES service_tasks (id) DEFERRABLE INITIALLY DEFERRED,"
  "  status TEXT);"
  "CREATE INDEX appointments_shift ON appointments (crew_shift_id, status);"
  "CREATE INDEX appointments_task ON appointments (service_task_id);"
  "CREATE TABLE communications (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL,"
  "  customer_id TEXT REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,"
  "  service_task_id TEXT, created_at INTEGER);"
  "CREATE INDEX communications_customer ON communications (customer_id, created_at);"
  "CREATE TABLE code_values (list TEXT NOT NULL, code TEXT NOT NULL, json TEXT NOT NULL,"
  "  PRIMARY KEY (list, code)) WITHOUT ROWID;"
  "CREATE TABLE users (id TEXT PRIMARY KEY, version INTEGER NOT NULL, json TEXT NOT NULL,"
  "  username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL DEFAULT '');"
  "CREATE TABLE sessions (token_digest TEXT PRIMARY KEY,"
  "  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE INDEX sessions_expiry ON sessions (expires_at);"
  "CREATE TABLE idempotency (user_id TEXT NOT NULL, key TEXT NOT NULL, method TEXT NOT NULL,"
  "  path TEXT NOT NULL, body_hash TEXT NOT NULL, status INTEGER NOT NULL,"
  "  content_type TEXT, etag TEXT, location TEXT, body BLOB, created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (user_id, key)) WITHOUT ROWID;"
  "CREATE INDEX idempotency_created ON idempotency (created_at);"
  "CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL,"
  "  id TEXT NOT NULL, version INTEGER NOT NULL, owner TEXT, deleted INTEGER NOT NULL DEFAULT 0,"
  "  json TEXT, at INTEGER NOT NULL);"
  "CREATE TABLE audit (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, user_id TEXT,"
  "  username TEXT, action TEXT NOT NULL, entity_type TEXT, entity_id TEXT, status INTEGER);"
  "INSERT INTO meta (key, value) VALUES ('change-horizon', '0');",

  /* 2: search in name order. Customers are numbered by name and the
   * full-text indexes use that number as their rowid, so matches come out
   * of them in name order and a page stops after its rows; prefix indexes
   * up to the usual word lengths keep prefix terms from being merged in
   * full. customer_names has the names alone: name matches come first. */
  "CREATE TABLE customer_order (pos INTEGER PRIMARY KEY, customer_id TEXT NOT NULL UNIQUE);"
  "DROP TABLE customer_search;"
  "CREATE VIRTUAL TABLE customer_search USING fts5 (name, account_id, phone, phone_digits,"
  "  email, address, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8');"
  "CREATE VIRTUAL TABLE customer_names USING fts5 (name,"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8 9 10 11 12');",
};

static const TableInfo *
find_table (GType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (tables[i].get_type () == type)
      return &tables[i];

  return NULL;
}

static gboolean
is_reference_type (GType type)
{
  return type == ENR_TYPE_PROGRAM ||
         type == ENR_TYPE_PROGRAM_TYPE ||
         type == ENR_TYPE_INITIATIVE ||
         type == ENR_TYPE_SERVICE_TASK_TYPE ||
         type == ENR_TYPE_ACTIVITY_TYPE;
}

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

const char *
enr_service_store_type_name (GType type)
{
  const TableInfo *info = find_table (type);

  return info != NULL ? info->name : NULL;
}

GType
enr_service_store_type_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_strcmp0 (tables[i].name, name) == 0)
      return tables[i].get_type ();

  return G_TYPE_INVALID;
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

static int
get_user_version (EnrServiceStore *self)
{
  sqlite3_stmt *stmt;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

static gboolean
migrate (EnrServiceStore  *self,
         GError          **error)
{
  int version = get_user_version (self);

  if (version < 0)
    {
      enr_service_store_set_error (self, sqlite3_errcode (self->db), error);
      return FALSE;
    }

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_SCHEMA,
                   "The database has schema version %d; this service knows up to %u",
                   version, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (guint i = version; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!enr_service_store_begin (self, error))
        return FALSE;
      if (!enr_service_store_exec (self, migrations[i], error) ||
          (i + 1 == 2 && !enr_service_store_rebuild_search (self, error)) ||
          !enr_service_store_exec (self, pragma, error) ||
          !enr_service_store_commit (self, error))
        {
          enr_service_store_rollback (self);
          return FALSE;
        }
    }

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

  if (!migrate (self, error))
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

/* Binds the value of @pspec on @object to parameter @index. Dates and
 * instants become sortable text and Unix seconds. */
static void
bind_property (sqlite3_stmt *stmt,
               int           index,
               GObject      *object,
               GParamSpec   *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  g_value_init (&value, type);
  g_object_get_property (object, pspec->name, &value);

  if (type == G_TYPE_STRING)
    {
      const char *text = g_value_get_string (&value);

      if (text != NULL)
        sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, index);
    }
  else if (G_TYPE_IS_ENUM (type))
    {
      GEnumClass *klass = g_type_class_ref (type);
      GEnumValue *ev = g_enum_get_value (klass, g_value_get_enum (&value));

      if (ev != NULL)
        sqlite3_bind_text (stmt, index, ev->value_nick, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, index);
      g_type_class_unref (klass);
    }
  else if (type == G_TYPE_BOOLEAN)
    sqlite3_bind_int (stmt, index, g_value_get_boolean (&value));
  else if (type == G_TYPE_INT)
    sqlite3_bind_int (stmt, index, g_value_get_int (&value));
  else if (type == G_TYPE_INT64)
    sqlite3_bind_int64 (stmt, index, g_value_get_int64 (&value));
  else if (type == G_TYPE_DATE)
    {
      const GDate *date = g_value_get_boxed (&value);

      if (date != NULL && g_date_valid (date))
        sqlite3_bind_text (stmt, index, enr_codec_format_date (date), -1, g_free);
      else
        sqlite3_bind_null (stmt, index);
    }
  else if (type == G_TYPE_DATE_TIME)
    {
      GDateTime *dt = g_value_get_boxed (&value);

      if (dt != NULL)
        sqlite3_bind_int64 (stmt, index, g_date_time_to_unix (dt));
      else
        sqlite3_bind_null (stmt, index);
    }
  else
    g_return_if_reached ();
}

static char *
column_name (const char *property)
{
  char *name = g_strdup (property);

  g_strdelimit (name, "-", '_');
  return name;
}

static const char *
upsert_sql (const TableInfo *info)
{
  static GHashTable *cache;
  GString *sql;
  GString *values;
  GString *update;
  char *text;

  if (cache == NULL)
    cache = g_hash_table_new (g_str_hash, g_str_equal);

  text = g_hash_table_lookup (cache, info->table);
  if (text != NULL)
    return text;

  sql = g_string_new (NULL);
  values = g_string_new ("?1, ?2, ?3");
  update = g_string_new ("version = excluded.version, json = excluded.json");
  g_string_append_printf (sql, "INSERT INTO %s (id, version, json", info->table);

  for (guint i = 0; i < G_N_ELEMENTS (info->columns) && info->columns[i] != NULL; i++)
    {
      g_autofree char *column = column_name (info->columns[i]);

      g_string_append_printf (sql, ", %s", column);
      g_string_append_printf (values, ", ?%u", i + 4);
      g_string_append_printf (update, ", %s = excluded.%s", column, column);
    }

  g_string_append_printf (sql, ") VALUES (%s) ON CONFLICT (id) DO UPDATE SET %s",
                          values->str, update->str);
  g_string_free (values, TRUE);
  g_string_free (update, TRUE);

  text = g_string_free (sql, FALSE);
  g_hash_table_insert (cache, (gpointer) info->table, text);

  return text;
}

static gboolean
upsert (EnrServiceStore  *self,
        const TableInfo  *info,
        GObject          *object,
        gint64            version,
        const char       *json,
        GError          **error)
{
  sqlite3_stmt *stmt;
  GObjectClass *klass = G_OBJECT_GET_CLASS (object);

  if (is_reference_type (G_OBJECT_TYPE (object)))
    g_hash_table_remove (self->reference, GSIZE_TO_POINTER (G_OBJECT_TYPE (object)));

  if (!(stmt = enr_service_store_prepare (self, upsert_sql (info), error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, enr_entity_get_id (ENR_ENTITY (object)), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, version);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);

  for (guint i = 0; i < G_N_ELEMENTS (info->columns) && info->columns[i] != NULL; i++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, info->columns[i]);

      g_assert (pspec != NULL);
      bind_property (stmt, i + 4, object, pspec);
    }

  return enr_service_store_step_done (self, stmt, error);
}

static gint64
current_version (EnrServiceStore *self,
                 const TableInfo *info,
                 const char      *id,
                 GError         **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT version FROM %s WHERE id = ?", info->table);
  sqlite3_stmt *stmt;
  gint64 version = 0;
  int rc;

  if (!(stmt = enr_service_store_prepare (self, sql, error)))
    return -1;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      version = -1;
    }
  sqlite3_reset (stmt);

  return version;
}

gboolean
enr_service_store_import (EnrServiceStore  *self,
                          gpointer          entity,
                          GError          **error)
{
  const TableInfo *info;
  g_autofree char *json = NULL;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (ENR_IS_ENTITY (entity), FALSE);

  info = find_table (G_OBJECT_TYPE (entity));
  g_return_val_if_fail (info != NULL, FALSE);

  json = enr_codec_encode_string (entity);

  return upsert (self, info, entity, 1, json, error);
}

gint64
enr_service_store_save (EnrServiceStore  *self,
                        gpointer          entity,
                        const char       *owner,
                        GError          **error)
{
  const TableInfo *info;
  g_autofree char *json = NULL;
  const char *id;
  gint64 version;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), -1);
  g_return_val_if_fail (ENR_IS_ENTITY (entity), -1);
  g_return_val_if_fail (self->in_transaction, -1);

  info = find_table (G_OBJECT_TYPE (entity));
  g_return_val_if_fail (info != NULL, -1);

  id = enr_entity_get_id (entity);
  g_return_val_if_fail (id != NULL, -1);

  version = current_version (self, info, id, error);
  if (version < 0)
    return -1;
  version++;

  /* Objects that carry their version (service tasks) get it in their JSON. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (entity), "version") != NULL)
    g_object_set (entity, "version", version, NULL);

  json = enr_codec_encode_string (entity);

  if (!upsert (self, info, entity, version, json, error))
    return -1;

  if (enr_service_store_log_change (self, info->name, id, version, owner, json, error) < 0)
    return -1;

  return version;
}

char *
enr_service_store_get_json (EnrServiceStore  *self,
                            GType             type,
                            const char       *id,
                            gint64           *version,
                            GError          **error)
{
  const TableInfo *info;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  char *json = NULL;
  int rc;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  info = find_table (type);
  g_return_val_if_fail (info != NULL, NULL);

  sql = g_strdup_printf ("SELECT json, version FROM %s WHERE id = ?", info->table);
  if (!(stmt = enr_service_store_prepare (self, sql, error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (version != NULL)
        *version = sqlite3_column_int64 (stmt, 1);
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_NOT_FOUND,
                 "No %s with id %s", info->name, id);
  else
    enr_service_store_set_error (self, rc, error);
  sqlite3_reset (stmt);

  return json;
}

static GPtrArray *list_objects (EnrServiceStore  *self,
                                GType             type,
                                const char       *column,
                                const char       *value,
                                GError          **error);


/* The decoded reference data of @type, read on first use. */
static ReferenceCache *
reference_cache (EnrServiceStore  *self,
                 GType             type,
                 GError          **error)
{
  ReferenceCache *cache = g_hash_table_lookup (self->reference, GSIZE_TO_POINTER (type));
  GPtrArray *objects;

  if (cache != NULL)
    return cache;

  if (!(objects = list_objects (self, type, NULL, NULL, error)))
    return NULL;

  cache = g_new0 (ReferenceCache, 1);
  cache->objects = objects;
  cache->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < objects->len; i++)
    {
      gpointer object = g_ptr_array_index (objects, i);

      g_hash_table_insert (cache->by_id, (gpointer) enr_entity_get_id (object), object);
    }
  g_hash_table_insert (self->reference, GSIZE_TO_POINTER (type), cache);

  return cache;
}

/* Reference data (programs and their types, initiatives, task and activity
 * types) comes from a cache and is shared: callers must not change it. */
gpointer
enr_service_store_get (EnrServiceStore  *self,
                       GType             type,
                       const char       *id,
                       GError          **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  if (id == NULL)
    {
      g_set_error (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_NOT_FOUND,
                   "No %s id given", enr_service_store_type_name (type));
      return NULL;
    }

  if (is_reference_type (type))
    {
      ReferenceCache *cache = reference_cache (self, type, error);
      gpointer object;

      if (cache == NULL)
        return NULL;

      object = g_hash_table_lookup (cache->by_id, id);
      if (object == NULL)
        {
          g_set_error (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_NOT_FOUND,
                       "No %s with id %s", enr_service_store_type_name (type), id);
          return NULL;
        }

      return g_object_ref (object);
    }

  json = enr_service_store_get_json (self, type, id, NULL, error);
  if (json == NULL)
    return NULL;

  return enr_codec_decode_data (type, json, -1, error);
}

static gboolean
is_known_column (const TableInfo *info,
                 const char      *column)
{
  if (column == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (info->columns) && info->columns[i] != NULL; i++)
    {
      g_autofree char *name = column_name (info->columns[i]);

      if (g_strcmp0 (name, column) == 0)
        return TRUE;
    }

  return g_strcmp0 (column, "id") == 0;
}

static GPtrArray *
list_json (EnrServiceStore  *self,
           GType             type,
           const char       *column,
           const char       *value,
           const char       *key_column,
           GPtrArray       **keys,
           GError          **error)
{
  const TableInfo *info;
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) key_rows = NULL;
  sqlite3_stmt *stmt;
  const char *select = key_column != NULL ? key_column : "NULL";
  int rc;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  info = find_table (type);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (is_known_column (info, column), NULL);
  g_return_val_if_fail (is_known_column (info, key_column), NULL);

  if (column != NULL)
    sql = g_strdup_printf ("SELECT json, %s FROM %s WHERE %s = ? ORDER BY id", select, info->table, column);
  else
    sql = g_strdup_printf ("SELECT json, %s FROM %s ORDER BY id", select, info->table);

  if (!(stmt = enr_service_store_prepare (self, sql, error)))
    return NULL;

  if (column != NULL)
    sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);

  rows = g_ptr_array_new_with_free_func (g_free);
  if (keys != NULL)
    key_rows = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      if (key_rows != NULL)
        g_ptr_array_add (key_rows, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }

  if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  if (keys != NULL)
    *keys = g_steal_pointer (&key_rows);

  return g_steal_pointer (&rows);
}

GPtrArray *
enr_service_store_list_json (EnrServiceStore  *self,
                             GType             type,
                             const char       *column,
                             const char       *value,
                             GError          **error)
{
  return list_json (self, type, column, value, NULL, NULL, error);
}

/* As enr_service_store_list_json(), with the value of @key_column (an
 * indexed column or "id") of every row in @keys: no decoding needed to
 * follow references. */
GPtrArray *
enr_service_store_list_json_keyed (EnrServiceStore  *self,
                                   GType             type,
                                   const char       *column,
                                   const char       *value,
                                   const char       *key_column,
                                   GPtrArray       **keys,
                                   GError          **error)
{
  g_return_val_if_fail (key_column != NULL, NULL);
  g_return_val_if_fail (keys != NULL, NULL);

  return list_json (self, type, column, value, key_column, keys, error);
}

GPtrArray *
enr_service_store_list (EnrServiceStore  *self,
                        GType             type,
                        const char       *column,
                        const char       *value,
                        GError          **error)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  if (column == NULL && is_reference_type (type))
    {
      ReferenceCache *cache = reference_cache (self, type, error);

      if (cache == NULL)
        return NULL;

      GPtrArray *objects = g_ptr_array_new_full (cache->objects->len, g_object_unref);

      for (guint i = 0; i < cache->objects->len; i++)
        g_ptr_array_add (objects, g_object_ref (g_ptr_array_index (cache->objects, i)));

      return objects;
    }

  return list_objects (self, type, column, value, error);
}

static GPtrArray *
list_objects (EnrServiceStore  *self,
              GType             type,
              const char       *column,
              const char       *value,
              GError          **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) objects = NULL;

  rows = enr_service_store_list_json (self, type, column, value, error);
  if (rows == NULL)
    return NULL;

  objects = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      gpointer object = enr_codec_decode_data (type, g_ptr_array_index (rows, i), -1, error);

      if (object == NULL)
        return NULL;
      g_ptr_array_add (objects, object);
    }

  return g_steal_pointer (&objects);
}

gint64
enr_service_store_count (EnrServiceStore  *self,
                         GType             type,
                         GError          **error)
{
  const TableInfo *info = find_table (type);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (info != NULL, -1);

  sql = g_strdup_printf ("SELECT count(*) FROM %s", info->table);
  if (!(stmt = enr_service_store_prepare (self, sql, error)))
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    enr_service_store_set_error (self, sqlite3_errcode (self->db), error);
  sqlite3_reset (stmt);

  return count;
}

/* Code values */

gboolean
enr_service_store_import_code_value (EnrServiceStore  *self,
                                     gpointer          code_value,
                                     GError          **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *json = NULL;
  GEnumClass *klass;
  GEnumValue *list;

  g_return_val_if_fail (ENR_IS_CODE_VALUE (code_value), FALSE);

  if (!(stmt = enr_service_store_prepare (self,
                                          "INSERT INTO code_values (list, code, json) VALUES (?, ?, ?)"
                                          " ON CONFLICT (list, code) DO UPDATE SET json = excluded.json",
                                          error)))
    return FALSE;

  klass = g_type_class_ref (ENR_TYPE_CODE_LIST);
  list = g_enum_get_value (klass, enr_code_value_get_list (code_value));
  json = enr_codec_encode_string (code_value);

  sqlite3_bind_text (stmt, 1, list != NULL ? list->value_nick : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, enr_code_value_get_code (code_value), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  g_type_class_unref (klass);

  return enr_service_store_step_done (self, stmt, error);
}

gboolean
enr_service_store_code_value_exists (EnrServiceStore *self,
                                     const char      *list,
                                     const char      *code)
{
  sqlite3_stmt *stmt;
  gboolean found;

  if (list == NULL || code == NULL)
    return FALSE;

  stmt = enr_service_store_prepare (self,
                                    "SELECT 1 FROM code_values WHERE list = ? AND code = ?",
                                    NULL);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, list, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found;
}

GPtrArray *
enr_service_store_list_code_values_json (EnrServiceStore  *self,
                                         GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT json FROM code_values ORDER BY list, code",
                                          error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&rows);
}

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
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ENR_IS_USER (user), FALSE);

  /* Sessions carry the user's record (name, role). */
  g_hash_table_remove_all (self->sessions);

  /* Keep an existing hash when it still matches: a reload stays fast. */
  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT password_hash FROM users WHERE id = ?",
                                          error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, enr_entity_get_id (user), -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    old_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (password == NULL)
    hash = g_strdup (old_hash != NULL ? old_hash : "");
  else if (old_hash != NULL && enr_service_password_verify (old_hash, password))
    hash = g_steal_pointer (&old_hash);
  else
    hash = enr_service_password_hash (password, ENR_SERVICE_PBKDF2_ITERATIONS);

  json = enr_codec_encode_string (user);

  if (!(stmt = enr_service_store_prepare (self,
                                          "INSERT INTO users (id, version, json, username, password_hash)"
                                          " VALUES (?, 1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                                          " json = excluded.json, username = excluded.username,"
                                          " password_hash = excluded.password_hash",
                                          error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, enr_entity_get_id (user), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, enr_user_get_username (user), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_TRANSIENT);

  return enr_service_store_step_done (self, stmt, error);
}

gpointer
enr_service_store_find_user (EnrServiceStore  *self,
                             const char       *username,
                             char            **password_hash,
                             GError          **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *json = NULL;
  int rc;

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT json, password_hash FROM users WHERE username = ?",
                                          error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (password_hash != NULL)
        *password_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_NOT_FOUND,
                 "No such user");
  else
    enr_service_store_set_error (self, rc, error);
  sqlite3_reset (stmt);

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
  sqlite3_stmt *stmt;

  if (!(stmt = enr_service_store_prepare (self,
                                          "INSERT INTO sessions (token_digest, user_id, created_at, expires_at)"
                                          " VALUES (?, ?, ?, ?)",
                                          error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, token_digest, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, created_at);
  sqlite3_bind_int64 (stmt, 4, expires_at);

  return enr_service_store_step_done (self, stmt, error);
}

gpointer
enr_service_store_find_session (EnrServiceStore  *self,
                                const char       *token_digest,
                                gint64            now,
                                gint64           *expires_at,
                                GError          **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *json = NULL;
  CachedSession *cached;
  EnrUser *user;
  gint64 expires = 0;
  int rc;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);
  g_return_val_if_fail (token_digest != NULL, NULL);

  cached = g_hash_table_lookup (self->sessions, token_digest);
  if (cached != NULL)
    {
      if (cached->expires_at > now)
        {
          if (expires_at != NULL)
            *expires_at = cached->expires_at;
          return g_object_ref (cached->user);
        }
      g_hash_table_remove (self->sessions, token_digest);
    }

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT u.json, s.expires_at FROM sessions s"
                                          " JOIN users u ON u.id = s.user_id"
                                          " WHERE s.token_digest = ? AND s.expires_at > ?",
                                          error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, token_digest, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      expires = sqlite3_column_int64 (stmt, 1);
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_NOT_FOUND,
                 "No such session");
  else
    enr_service_store_set_error (self, rc, error);
  sqlite3_reset (stmt);

  if (json == NULL)
    return NULL;

  user = enr_codec_decode_data (ENR_TYPE_USER, json, -1, error);
  if (user == NULL)
    return NULL;

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

gboolean
enr_service_store_delete_session (EnrServiceStore  *self,
                                  const char       *token_digest,
                                  GError          **error)
{
  sqlite3_stmt *stmt;

  g_hash_table_remove (self->sessions, token_digest);

  if (!(stmt = enr_service_store_prepare (self,
                                          "DELETE FROM sessions WHERE token_digest = ?",
                                          error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, token_digest, -1, SQLITE_TRANSIENT);

  return enr_service_store_step_done (self, stmt, error);
}

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

static char *
column_strdup (sqlite3_stmt *stmt,
               int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
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
      response->method = column_strdup (stmt, 0);
      response->path = column_strdup (stmt, 1);
      response->body_hash = column_strdup (stmt, 2);
      response->status = sqlite3_column_int (stmt, 3);
      response->content_type = column_strdup (stmt, 4);
      response->etag = column_strdup (stmt, 5);
      response->location = column_strdup (stmt, 6);
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
      change->type = column_strdup (stmt, 1);
      change->id = column_strdup (stmt, 2);
      change->version = sqlite3_column_int64 (stmt, 3);
      change->deleted = sqlite3_column_int (stmt, 4) != 0;
      change->json = column_strdup (stmt, 5);
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
    value = column_strdup (stmt, 0);
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

gboolean
enr_service_store_rebuild_search (EnrServiceStore  *self,
                                  GError          **error)
{
  return enr_service_store_exec (self,
                                 "DELETE FROM customer_search;"
                                 "DELETE FROM customer_names;"
                                 "DELETE FROM customer_order;"
                                 "INSERT INTO customer_order (pos, customer_id)"
                                 " SELECT row_number () OVER (ORDER BY name, id), id FROM customers;"
                                 "INSERT INTO customer_search (rowid, name, account_id, phone,"
                                 "  phone_digits, email, address)"
                                 " SELECT o.pos, c.name, c.account_id,"
                                 "  json_extract (c.json, '$.phone'),"
                                 "  enr_digits (json_extract (c.json, '$.phone')),"
                                 "  json_extract (c.json, '$.email'),"
                                 "  coalesce (json_extract (c.json, '$.mailing_address'), '') || ' ' ||"
                                 "  coalesce ((SELECT group_concat (json_extract (sp.json, '$.address'), ' ')"
                                 "    FROM metered_services ms JOIN service_points sp"
                                 "    ON sp.id = ms.service_point_id WHERE ms.customer_id = c.id), '')"
                                 " FROM customer_order o JOIN customers c ON c.id = o.customer_id"
                                 " ORDER BY o.pos;"
                                 "INSERT INTO customer_names (rowid, name)"
                                 " SELECT o.pos, c.name FROM customer_order o"
                                 " JOIN customers c ON c.id = o.customer_id ORDER BY o.pos;"
                                 "INSERT INTO customer_search (customer_search) VALUES ('optimize');"
                                 "INSERT INTO customer_names (customer_names) VALUES ('optimize');",
                                 error);
}

/* Queries */

void
enr_service_task_filter_init (EnrServiceTaskFilter *filter)
{
  memset (filter, 0, sizeof *filter);
  filter->created_from = G_MININT64;
  filter->created_to = G_MAXINT64;
  filter->limit = 100;
}

static GPtrArray *
collect_rows (EnrServiceStore  *self,
              sqlite3_stmt     *stmt,
              GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, column_strdup (stmt, 0));

  if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&rows);
}

/* Every word of @query becomes a quoted prefix term, so user input never
 * reaches FTS5's query syntax. */
static char *
fts_query (const char *query)
{
  GString *out = g_string_new (NULL);
  GString *word = g_string_new (NULL);

  for (const char *p = query; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }

      if (word->len > 0)
        {
          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_printf (out, "\"%s\"*", word->str);
          g_string_truncate (word, 0);
        }

      if (c == 0)
        break;
    }

  g_string_free (word, TRUE);
  return g_string_free (out, FALSE);
}

/* Customers whose name has every word of the query, in name order:
 * their JSON into @rows and their positions into @positions. */
static gboolean
search_names (EnrServiceStore  *self,
              const char       *match,
              guint             offset,
              guint             limit,
              GPtrArray        *rows,
              GString          *positions,
              GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT o.pos, c.json FROM customer_names n"
                                          " JOIN customer_order o ON o.pos = n.rowid"
                                          " JOIN customers c ON c.id = o.customer_id"
                                          " WHERE customer_names MATCH ?"
                                          " ORDER BY n.rowid LIMIT ? OFFSET ?",
                                          error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_string_append_printf (positions, "%s%" G_GINT64_FORMAT,
                              positions->len > 1 ? "," : "", (gint64) sqlite3_column_int64 (stmt, 0));
      g_ptr_array_add (rows, column_strdup (stmt, 1));
    }

  if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  return TRUE;
}

/* Every name match's position into @positions; how many there are. */
static gint64
all_name_positions (EnrServiceStore  *self,
                    const char       *match,
                    GString          *positions,
                    GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 count = 0;
  int rc;

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT rowid FROM customer_names WHERE customer_names MATCH ?",
                                          error)))
    return -1;

  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_string_append_printf (positions, "%s%" G_GINT64_FORMAT,
                              positions->len > 1 ? "," : "", (gint64) sqlite3_column_int64 (stmt, 0));
      count++;
    }

  if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      count = -1;
    }
  sqlite3_reset (stmt);

  return count;
}

/* Customers with every word somewhere (name, account, phone, email,
 * address) but not at positions @excluded (a JSON array), in name order. */
static gboolean
search_elsewhere (EnrServiceStore  *self,
                  const char       *match,
                  const char       *excluded,
                  guint             skip,
                  guint             limit,
                  GPtrArray        *rows,
                  GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT c.json FROM customer_search s"
                                          " JOIN customer_order o ON o.pos = s.rowid"
                                          " JOIN customers c ON c.id = o.customer_id"
                                          " WHERE customer_search MATCH ?"
                                          " AND s.rowid NOT IN (SELECT value FROM json_each (?))"
                                          " ORDER BY s.rowid LIMIT ? OFFSET ?",
                                          error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, excluded, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, limit);
  sqlite3_bind_int64 (stmt, 4, skip);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, column_strdup (stmt, 0));

  if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  return TRUE;
}

/* Customers whose name has every word of @query come first, then those
 * that have them in other fields too (account, phone, email, address);
 * each group in name order. Both come from full-text indexes whose rowid
 * is the position in name order, so a page reads about as many index
 * entries as it returns, unless the name matches run out on it. */
GPtrArray *
enr_service_store_search_customers (EnrServiceStore  *self,
                                    const char       *query,
                                    guint             offset,
                                    guint             limit,
                                    GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) in_name = g_string_new ("[");
  g_autofree char *terms = NULL;
  guint skip = 0;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  if (query != NULL && g_utf8_validate (query, -1, NULL))
    terms = fts_query (query);

  if (terms == NULL || terms[0] == '\0')
    {
      sqlite3_stmt *stmt;

      if (!(stmt = enr_service_store_prepare (self,
                                              "SELECT c.json FROM customer_order o"
                                              " JOIN customers c ON c.id = o.customer_id"
                                              " ORDER BY o.pos LIMIT ? OFFSET ?",
                                              error)))
        return NULL;
      sqlite3_bind_int64 (stmt, 1, limit);
      sqlite3_bind_int64 (stmt, 2, offset);

      return collect_rows (self, stmt, error);
    }

  if (!search_names (self, terms, offset, limit, rows, in_name, error))
    return NULL;
  if (rows->len >= limit)
    return g_steal_pointer (&rows);

  /* The page reaches past the name matches. From the first page, those
   * are all on it; else they are counted (and excluded) afresh. */
  if (offset > 0)
    {
      gint64 count;

      g_string_truncate (in_name, 1);
      if ((count = all_name_positions (self, terms, in_name, error)) < 0)
        return NULL;
      skip = offset - MIN ((guint64) count, offset);
    }
  g_string_append_c (in_name, ']');

  if (!search_elsewhere (self, terms, in_name->str, skip, limit - rows->len, rows, error))
    return NULL;

  return g_steal_pointer (&rows);
}

GPtrArray *
enr_service_store_find_tasks (EnrServiceStore             *self,
                              const EnrServiceTaskFilter  *filter,
                              GError                     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT json FROM service_tasks WHERE 1");
  sqlite3_stmt *stmt;
  int n = 0;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  if (filter->customer_id != NULL)
    g_string_append (sql, " AND customer_id = :customer");
  if (filter->status != NULL)
    g_string_append (sql, " AND status = :status");
  if (filter->open_only)
    g_string_append (sql, " AND status NOT IN ('completed', 'canceled')");
  if (filter->program_id != NULL)
    g_string_append (sql, " AND program_id = :program");
  if (filter->kind != NULL)
    g_string_append (sql, " AND kind = :kind");
  if (filter->created_by != NULL)
    g_string_append (sql, " AND created_by = :creator");
  if (filter->created_from != G_MININT64)
    g_string_append (sql, " AND created_at >= :from");
  if (filter->created_to != G_MAXINT64)
    g_string_append (sql, " AND created_at < :to");
  g_string_append (sql, " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset");

  if (!(stmt = enr_service_store_prepare (self, sql->str, error)))
    return NULL;

#define BIND_TEXT(name, value) \
  if ((n = sqlite3_bind_parameter_index (stmt, name)) > 0) \
    sqlite3_bind_text (stmt, n, value, -1, SQLITE_TRANSIENT)

  BIND_TEXT (":customer", filter->customer_id);
  BIND_TEXT (":status", filter->status);
  BIND_TEXT (":program", filter->program_id);
  BIND_TEXT (":kind", filter->kind);
  BIND_TEXT (":creator", filter->created_by);
#undef BIND_TEXT

  if ((n = sqlite3_bind_parameter_index (stmt, ":from")) > 0)
    sqlite3_bind_int64 (stmt, n, filter->created_from);
  if ((n = sqlite3_bind_parameter_index (stmt, ":to")) > 0)
    sqlite3_bind_int64 (stmt, n, filter->created_to);
  sqlite3_bind_int (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), filter->limit);
  sqlite3_bind_int (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), filter->offset);

  return collect_rows (self, stmt, error);
}

GPtrArray *
enr_service_store_customer_communications (EnrServiceStore  *self,
                                           const char       *customer_id,
                                           guint             offset,
                                           guint             limit,
                                           GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT json FROM communications WHERE customer_id = ?"
                                          " ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
                                          error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, limit);
  sqlite3_bind_int (stmt, 3, offset);

  return collect_rows (self, stmt, error);
}

static GPtrArray *
decode_rows (GType       type,
             GPtrArray  *rows,
             GError    **error)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);

  if (rows == NULL)
    return NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      gpointer object = enr_codec_decode_data (type, g_ptr_array_index (rows, i), -1, error);

      if (object == NULL)
        return NULL;
      g_ptr_array_add (objects, object);
    }

  return g_steal_pointer (&objects);
}

GPtrArray *
enr_service_store_crew_shifts (EnrServiceStore  *self,
                               const char       *crew_id,
                               const GDate      *from,
                               const GDate      *to,
                               GError          **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *from_text = enr_codec_format_date (from);
  g_autofree char *to_text = enr_codec_format_date (to);
  sqlite3_stmt *stmt;

  if (crew_id != NULL)
    stmt = enr_service_store_prepare (self,
                                      "SELECT json FROM crew_shifts WHERE crew_id = ?3"
                                      " AND date BETWEEN ?1 AND ?2 ORDER BY date, id",
                                      error);
  else
    stmt = enr_service_store_prepare (self,
                                      "SELECT json FROM crew_shifts"
                                      " WHERE date BETWEEN ?1 AND ?2 ORDER BY date, id",
                                      error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, from_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, to_text, -1, SQLITE_TRANSIENT);
  if (crew_id != NULL)
    sqlite3_bind_text (stmt, 3, crew_id, -1, SQLITE_TRANSIENT);

  rows = collect_rows (self, stmt, error);
  return decode_rows (ENR_TYPE_CREW_SHIFT, rows, error);
}

GPtrArray *
enr_service_store_booked_appointments (EnrServiceStore  *self,
                                       const GDate      *from,
                                       const GDate      *to,
                                       GError          **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *from_text = enr_codec_format_date (from);
  g_autofree char *to_text = enr_codec_format_date (to);
  sqlite3_stmt *stmt;

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT a.json FROM appointments a"
                                          " JOIN crew_shifts s ON s.id = a.crew_shift_id"
                                          " WHERE a.status = 'booked' AND s.date BETWEEN ? AND ?"
                                          " ORDER BY a.id",
                                          error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, from_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, to_text, -1, SQLITE_TRANSIENT);

  rows = collect_rows (self, stmt, error);
  return decode_rows (ENR_TYPE_APPOINTMENT, rows, error);
}

void
enr_service_export_free (EnrServiceExport *export)
{
  if (export == NULL)
    return;

  g_clear_pointer (&export->customers, g_ptr_array_unref);
  g_clear_pointer (&export->metered_services, g_ptr_array_unref);
  g_clear_pointer (&export->service_points, g_ptr_array_unref);
  g_clear_pointer (&export->device_locations, g_ptr_array_unref);
  g_clear_pointer (&export->devices, g_ptr_array_unref);
  g_clear_pointer (&export->subscriptions, g_ptr_array_unref);
  g_free (export);
}

/* The records of the customers at positions (?1, ?2]: their service
 * points (and what hangs off them) through their metered services. */
#define EXPORT_POINTS \
  "SELECT ms.service_point_id FROM customer_order o" \
  " JOIN metered_services ms ON ms.customer_id = o.customer_id" \
  " WHERE o.pos > ?1 AND o.pos <= ?2"

static GPtrArray *
export_rows (EnrServiceStore  *self,
             const char       *sql,
             gint64            after,
             gint64            last,
             GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = enr_service_store_prepare (self, sql, error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, last);

  return collect_rows (self, stmt, error);
}

/**
 * enr_service_store_export_customers:
 * @after: the position after which the page starts (0 for the first)
 * @limit: the most customers on the page
 *
 * Keyset paging over the name-ordered customer positions: a page reads
 * the index from @after on, never skipping rows, so every customer comes
 * exactly once however many pages there are.
 */
EnrServiceExport *
enr_service_store_export_customers (EnrServiceStore  *self,
                                    gint64            after,
                                    guint             limit,
                                    GError          **error)
{
  g_autoptr(EnrServiceExport) export = g_new0 (EnrServiceExport, 1);
  sqlite3_stmt *stmt;
  gint64 last = after;
  int rc;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  if (!(stmt = enr_service_store_prepare (self, "SELECT count(*) FROM customer_order", error)))
    return NULL;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      enr_service_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  export->total = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT o.pos, c.json FROM customer_order o"
                                          " JOIN customers c ON c.id = o.customer_id"
                                          " WHERE o.pos > ? ORDER BY o.pos LIMIT ?",
                                          error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);

  export->customers = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (export->customers->len == limit)
        {
          export->next = last;
          continue;
        }
      last = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (export->customers, column_strdup (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      return NULL;
    }

  if (!(export->metered_services =
          export_rows (self,
                       "SELECT ms.json FROM customer_order o"
                       " JOIN metered_services ms ON ms.customer_id = o.customer_id"
                       " WHERE o.pos > ?1 AND o.pos <= ?2 ORDER BY o.pos, ms.id",
                       after, last, error)) ||
      !(export->service_points =
          export_rows (self,
                       "SELECT json FROM service_points WHERE id IN (" EXPORT_POINTS ") ORDER BY id",
                       after, last, error)) ||
      !(export->device_locations =
          export_rows (self,
                       "SELECT json FROM device_locations WHERE service_point_id IN (" EXPORT_POINTS ")"
                       " ORDER BY id",
                       after, last, error)) ||
      !(export->devices =
          export_rows (self,
                       "SELECT json FROM devices WHERE device_location_id IN"
                       " (SELECT id FROM device_locations WHERE service_point_id IN (" EXPORT_POINTS "))"
                       " ORDER BY id",
                       after, last, error)) ||
      !(export->subscriptions =
          export_rows (self,
                       "SELECT s.json FROM customer_order o"
                       " JOIN subscriptions s ON s.customer_id = o.customer_id"
                       " WHERE o.pos > ?1 AND o.pos <= ?2 ORDER BY o.pos, s.id",
                       after, last, error)))
    return NULL;

  return g_steal_pointer (&export);
}

gboolean
enr_service_store_exists (EnrServiceStore *self,
                          GType            type,
                          const char      *id)
{
  const TableInfo *info = find_table (type);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (info != NULL, FALSE);

  if (id == NULL)
    return FALSE;

  sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?", info->table);
  if (!(stmt = enr_service_store_prepare (self, sql, NULL)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found;
}

/* The asset type recorded for another device of this model, if any. */
char *
enr_service_store_asset_type_of (EnrServiceStore *self,
                                 const char      *specification)
{
  sqlite3_stmt *stmt;
  char *asset_type = NULL;

  stmt = enr_service_store_prepare (self,
                                    "SELECT json_extract (json, '$.asset_type') FROM devices"
                                    " WHERE json_extract (json, '$.specification') = ? LIMIT 1",
                                    NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, specification, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    asset_type = column_strdup (stmt, 0);
  sqlite3_reset (stmt);

  return asset_type;
}

/* enr-service-store-schema.c — the service's tables and their migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-store-private.h"

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

/* The migrations (the table at the end) */

/* 1: the initial schema */
static const char sqlite_1[] =
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
  "INSERT INTO meta (key, value) VALUES ('change-horizon', '0');";

/* 2: search in name order. Customers are numbered by name and the
 * full-text indexes use that number as their rowid, so matches come out
 * of them in name order and a page stops after its rows; prefix indexes
 * up to the usual word lengths keep prefix terms from being merged in
 * full. customer_names has the names alone: name matches come first. */
static const char sqlite_2[] =
  "CREATE TABLE customer_order (pos INTEGER PRIMARY KEY, customer_id TEXT NOT NULL UNIQUE);"
  "DROP TABLE customer_search;"
  "CREATE VIRTUAL TABLE customer_search USING fts5 (name, account_id, phone, phone_digits,"
  "  email, address, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8');"
  "CREATE VIRTUAL TABLE customer_names USING fts5 (name,"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8 9 10 11 12');";

/* 3: sign-in throttling (enr-service-throttle.c): failed sign-ins per
 * account and address, locks, and the addresses users signed in from */
static const char sqlite_3[] =
  "CREATE TABLE sign_in_throttle (key TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
  "  last_failure INTEGER NOT NULL, locked_until INTEGER NOT NULL, expires INTEGER NOT NULL)"
  "  WITHOUT ROWID;"
  "CREATE INDEX sign_in_throttle_expires ON sign_in_throttle (expires);";

/* 4: enums are stored as their number (the database layer's rule, as in
 * the client's store): the columns holding nicks are rebuilt as INTEGER
 * by enum_columns_to_numbers(). */

typedef struct
{
  const char *table;
  const char *column;
  GType     (*get_type) (void);
  const char *indexes;    /* dropped and made again around the change */
  const char *recreate;
} EnumColumn;

static const EnumColumn enum_columns[] = {
  { "service_tasks", "status", enr_task_status_get_type,
    "DROP INDEX service_tasks_status;",
    "CREATE INDEX service_tasks_status ON service_tasks (status, created_at);" },
  { "service_tasks", "kind", enr_task_kind_get_type, NULL, NULL },
  { "subscriptions", "status", enr_subscription_status_get_type, NULL, NULL },
  { "appointments", "status", enr_appointment_status_get_type,
    "DROP INDEX appointments_shift;",
    "CREATE INDEX appointments_shift ON appointments (crew_shift_id, status);" },
};

static gboolean
enum_columns_to_numbers (EnrDb     *db,
                         gpointer   user_data,
                         GError   **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (enum_columns); i++)
    {
      const EnumColumn *c = &enum_columns[i];
      GEnumClass *klass = g_type_class_ref (c->get_type ());
      g_autoptr(GString) sql = g_string_new (c->indexes);
      gboolean ok;

      g_string_append_printf (sql, "ALTER TABLE %s ADD COLUMN %s_number INTEGER;"
                                   "UPDATE %s SET %s_number = CASE %s",
                              c->table, c->column, c->table, c->column, c->column);
      for (guint v = 0; v < klass->n_values; v++)
        g_string_append_printf (sql, " WHEN '%s' THEN %d",
                                klass->values[v].value_nick, klass->values[v].value);
      /* A number stays (a database written between the steps). */
      g_string_append_printf (sql, " ELSE %s END;"
                                   "ALTER TABLE %s DROP COLUMN %s;"
                                   "ALTER TABLE %s RENAME COLUMN %s_number TO %s;",
                              c->column, c->table, c->column, c->table, c->column, c->column);
      if (c->recreate != NULL)
        g_string_append (sql, c->recreate);
      g_type_class_unref (klass);

      ok = enr_db_exec (db, sql->str, error);
      if (!ok)
        return FALSE;
    }

  return TRUE;
}

static gboolean
rebuild_search (EnrDb     *db,
                gpointer   user_data,
                GError   **error)
{
  return enr_service_store_rebuild_search (user_data, error);
}

static const EnrDbMigration migrations[] = {
  { sqlite_1, NULL, NULL },
  { sqlite_2, NULL, rebuild_search },
  { sqlite_3, NULL, NULL },
  { NULL, NULL, enum_columns_to_numbers },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == ENR_SERVICE_SCHEMA_VERSION);

const TableInfo *
_enr_service_store_find_table (GType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (tables[i].get_type () == type)
      return &tables[i];

  return NULL;
}

char *
_enr_service_store_column_name (const char *property)
{
  char *name = g_strdup (property);

  g_strdelimit (name, "-", '_');
  return name;
}

/* The type of the property an indexed column (or "id") holds; 0 when the
 * table has no such column. */
GType
_enr_service_store_column_type (const TableInfo *info,
                                const char      *column)
{
  if (g_strcmp0 (column, "id") == 0)
    return G_TYPE_STRING;

  for (guint i = 0; i < G_N_ELEMENTS (info->columns) && info->columns[i] != NULL; i++)
    {
      g_autofree char *name = _enr_service_store_column_name (info->columns[i]);

      if (g_strcmp0 (name, column) == 0)
        {
          GObjectClass *klass = g_type_class_ref (info->get_type ());
          GParamSpec *pspec = g_object_class_find_property (klass, info->columns[i]);
          GType type = pspec != NULL ? pspec->value_type : G_TYPE_INVALID;

          g_type_class_unref (klass);
          return type;
        }
    }

  return G_TYPE_INVALID;
}

const char *
enr_service_store_type_name (GType type)
{
  const TableInfo *info = _enr_service_store_find_table (type);

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

gboolean
_enr_service_store_migrate (EnrServiceStore  *self,
                            GError          **error)
{
  return enr_db_migrate (self->db, migrations, G_N_ELEMENTS (migrations), self, error);
}

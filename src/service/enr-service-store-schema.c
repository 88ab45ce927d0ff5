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
  { enr_service_point_get_type, "service_point", "service_points", { "premise-id" } },
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
    { "crew-id", "shift-type-id", "date", "capacity-minutes" } },
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

/* PostgreSQL: the same tables in their current shape from step 1 on,
 * but for step 3's, which came first (the later steps have nothing to do
 * there). Text compares byte by byte
 * (COLLATE "C"), as SQLite does, so every ORDER BY gives the same order on
 * both; the feed's positions come from a sequence that hands them out one
 * at a time (CACHE 1), which the commit-ordered head relies on
 * (enr-service-store-log.c). */
#define PG_TEXT "TEXT COLLATE \"C\""
#define PG_RECORD(name) \
  "CREATE TABLE " name " (id " PG_TEXT " PRIMARY KEY, version BIGINT NOT NULL, json TEXT NOT NULL"
#define PG_REF(table) " REFERENCES " table " (id) DEFERRABLE INITIALLY DEFERRED"

static const char postgresql_1[] =
  "CREATE TABLE meta (key " PG_TEXT " PRIMARY KEY, value TEXT NOT NULL);"
  PG_RECORD ("customers") ", name " PG_TEXT ", account_id " PG_TEXT ");"
  PG_RECORD ("service_points") ");"
  PG_RECORD ("metered_services") ", customer_id " PG_TEXT PG_REF ("customers") ","
  "  service_point_id " PG_TEXT PG_REF ("service_points") ");"
  "CREATE INDEX metered_services_customer ON metered_services (customer_id);"
  PG_RECORD ("device_locations") ", service_point_id " PG_TEXT PG_REF ("service_points") ");"
  "CREATE INDEX device_locations_service_point ON device_locations (service_point_id);"
  PG_RECORD ("program_types") ");"
  PG_RECORD ("programs") ", code " PG_TEXT ");"
  PG_RECORD ("subscriptions") ", customer_id " PG_TEXT PG_REF ("customers") ","
  "  program_id " PG_TEXT PG_REF ("programs") ", status INTEGER);"
  "CREATE INDEX subscriptions_customer ON subscriptions (customer_id);"
  PG_RECORD ("devices") ", device_location_id " PG_TEXT PG_REF ("device_locations") ","
  "  subscription_id " PG_TEXT ");"
  "CREATE INDEX devices_location ON devices (device_location_id);"
  "CREATE INDEX devices_subscription ON devices (subscription_id);"
  PG_RECORD ("initiatives") ");"
  PG_RECORD ("service_task_types") ");"
  PG_RECORD ("action_methods") ");"
  PG_RECORD ("activity_types") ");"
  PG_RECORD ("crew_shift_types") ");"
  PG_RECORD ("crews") ", shift_type_id " PG_TEXT PG_REF ("crew_shift_types") ");"
  PG_RECORD ("crew_shifts") ", crew_id " PG_TEXT PG_REF ("crews") ","
  "  shift_type_id " PG_TEXT ", date " PG_TEXT ", capacity_minutes INTEGER NOT NULL DEFAULT 0,"
  "  booked_seconds INTEGER NOT NULL DEFAULT 0 CHECK (booked_seconds <= capacity_minutes * 60));"
  "CREATE INDEX crew_shifts_crew_date ON crew_shifts (crew_id, date);"
  "CREATE INDEX crew_shifts_date ON crew_shifts (date);"
  PG_RECORD ("service_tasks") ", customer_id " PG_TEXT PG_REF ("customers") ","
  "  program_id " PG_TEXT PG_REF ("programs") ", kind INTEGER, status INTEGER,"
  "  created_by " PG_TEXT ", created_at BIGINT);"
  "CREATE INDEX service_tasks_customer ON service_tasks (customer_id);"
  "CREATE INDEX service_tasks_creator ON service_tasks (created_by, created_at);"
  "CREATE INDEX service_tasks_status ON service_tasks (status, created_at);"
  "CREATE INDEX service_tasks_created ON service_tasks (created_at);"
  PG_RECORD ("appointments") ", crew_shift_id " PG_TEXT PG_REF ("crew_shifts") ","
  "  service_task_id " PG_TEXT PG_REF ("service_tasks") ", status INTEGER, seconds INTEGER);"
  "CREATE INDEX appointments_shift ON appointments (crew_shift_id, status);"
  "CREATE INDEX appointments_task ON appointments (service_task_id);"
  /* seq orders a customer's communications of the same second, as SQLite's
   * rowid does. */
  PG_RECORD ("communications") ", customer_id " PG_TEXT PG_REF ("customers") ","
  "  service_task_id " PG_TEXT ", created_at BIGINT, seq BIGINT GENERATED ALWAYS AS IDENTITY);"
  "CREATE INDEX communications_customer ON communications (customer_id, created_at, seq);"
  "CREATE TABLE code_values (list " PG_TEXT " NOT NULL, code " PG_TEXT " NOT NULL, json TEXT NOT NULL,"
  "  PRIMARY KEY (list, code));"
  PG_RECORD ("users") ", username " PG_TEXT " NOT NULL UNIQUE, password_hash TEXT NOT NULL DEFAULT '');"
  "CREATE TABLE sessions (token_digest " PG_TEXT " PRIMARY KEY,"
  "  user_id " PG_TEXT " NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);"
  "CREATE INDEX sessions_expiry ON sessions (expires_at);"
  "CREATE TABLE idempotency (user_id " PG_TEXT " NOT NULL, key " PG_TEXT " NOT NULL,"
  "  method TEXT NOT NULL, path TEXT NOT NULL, body_hash TEXT NOT NULL, status INTEGER NOT NULL,"
  "  content_type TEXT, etag TEXT, location TEXT, body BYTEA, created_at BIGINT NOT NULL,"
  "  PRIMARY KEY (user_id, key));"
  "CREATE INDEX idempotency_created ON idempotency (created_at);"
  "CREATE SEQUENCE changes_seq CACHE 1;"
  "CREATE TABLE changes (seq BIGINT PRIMARY KEY DEFAULT nextval ('changes_seq'),"
  "  type TEXT NOT NULL, id " PG_TEXT " NOT NULL, version BIGINT NOT NULL, owner " PG_TEXT ","
  "  deleted INTEGER NOT NULL DEFAULT 0, json TEXT, at BIGINT NOT NULL);"
  "ALTER SEQUENCE changes_seq OWNED BY changes.seq;"
  "CREATE TABLE audit (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at BIGINT NOT NULL,"
  "  user_id TEXT, username TEXT, action TEXT NOT NULL, entity_type TEXT, entity_id TEXT,"
  "  status INTEGER);"
  "INSERT INTO meta (key, value) VALUES ('change-horizon', '0');";

/* 2: search in name order: customer_order numbers the customers by name
 * (rebuilt with every load); customer_search holds, per position, the
 * words of the name and of every searchable field as tsvectors that the
 * service makes itself (enr-service-store-queries.c), so that matching
 * does not depend on the server's text search configuration. */
static const char postgresql_2[] =
  "CREATE TABLE customer_order (pos BIGINT PRIMARY KEY, customer_id " PG_TEXT " NOT NULL UNIQUE);"
  "CREATE TABLE customer_search (pos BIGINT PRIMARY KEY, names tsvector NOT NULL,"
  "  terms tsvector NOT NULL);"
  "CREATE INDEX customer_search_names ON customer_search USING gin (names);"
  "CREATE INDEX customer_search_terms ON customer_search USING gin (terms);";

/* 3: sign-in throttling (enr-service-throttle.c): failed sign-ins per
 * account and address, locks, and the addresses users signed in from */
static const char sqlite_3[] =
  "CREATE TABLE sign_in_throttle (key TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
  "  last_failure INTEGER NOT NULL, locked_until INTEGER NOT NULL, expires INTEGER NOT NULL)"
  "  WITHOUT ROWID;"
  "CREATE INDEX sign_in_throttle_expires ON sign_in_throttle (expires);";

static const char postgresql_3[] =
  "CREATE TABLE sign_in_throttle (key " PG_TEXT " PRIMARY KEY, failures BIGINT NOT NULL,"
  "  last_failure BIGINT NOT NULL, locked_until BIGINT NOT NULL, expires BIGINT NOT NULL);"
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
  /* PostgreSQL's tables have had numbers from the start. */
  if (enr_db_get_backend (db) != ENR_DB_SQLITE)
    return TRUE;

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

/* 5: the database holds the appointment slots' capacity: every shift
 * keeps the seconds booked on it, checked against its capacity by the
 * conditional UPDATE that books (enr-service-store-entities.c) and by a
 * CHECK, and every appointment its length. fill_capacity() adds the
 * columns (unless a database written in between has them) and counts
 * what is booked already. */
static gboolean
has_column (EnrDb       *db,
            const char  *table,
            const char  *column,
            gboolean    *found,
            GError     **error)
{
  EnrDbStmt *stmt = enr_db_prepare (db, "SELECT count(*) FROM pragma_table_info ($1) WHERE name = $2", error);

  if (stmt == NULL)
    return FALSE;
  enr_db_stmt_bind_text (stmt, 1, table);
  enr_db_stmt_bind_text (stmt, 2, column);
  if (enr_db_stmt_step (stmt, error) != ENR_DB_STEP_ROW)
    {
      enr_db_stmt_reset (stmt);
      return FALSE;
    }
  *found = enr_db_stmt_column_int64 (stmt, 0) > 0;
  enr_db_stmt_reset (stmt);

  return TRUE;
}

static gboolean
fill_capacity (EnrDb     *db,
               gpointer   user_data,
               GError   **error)
{
  EnrDbStmt *select;
  EnrDbStep step;
  gboolean found;

  if (enr_db_get_backend (db) != ENR_DB_SQLITE)
    return TRUE;

  if (!has_column (db, "crew_shifts", "booked_seconds", &found, error) ||
      (!found && !enr_db_exec (db,
                               "ALTER TABLE crew_shifts ADD COLUMN capacity_minutes INTEGER NOT NULL DEFAULT 0;"
                               "ALTER TABLE crew_shifts ADD COLUMN booked_seconds INTEGER NOT NULL DEFAULT 0"
                               "  CHECK (booked_seconds <= capacity_minutes * 60);",
                               error)) ||
      !has_column (db, "appointments", "seconds", &found, error) ||
      (!found && !enr_db_exec (db, "ALTER TABLE appointments ADD COLUMN seconds INTEGER;", error)))
    return FALSE;

  if (!(select = enr_db_prepare (db, "SELECT json FROM crew_shifts", error)))
    return FALSE;
  while ((step = enr_db_stmt_step (select, error)) == ENR_DB_STEP_ROW)
    {
      g_autoptr(EnrCrewShift) shift =
        enr_codec_decode_data (ENR_TYPE_CREW_SHIFT, enr_db_stmt_column_text (select, 0), -1, error);
      EnrDbStmt *update;

      if (shift == NULL ||
          !(update = enr_db_prepare (db, "UPDATE crew_shifts SET capacity_minutes = $2 WHERE id = $1", error)))
        break;
      enr_db_stmt_bind_text (update, 1, enr_entity_get_id (ENR_ENTITY (shift)));
      enr_db_stmt_bind_int64 (update, 2, enr_crew_shift_get_capacity_minutes (shift));
      if (!enr_db_stmt_run (update, error))
        break;
    }
  enr_db_stmt_reset (select);
  if (step != ENR_DB_STEP_DONE)
    return FALSE;

  if (!(select = enr_db_prepare (db, "SELECT json FROM appointments", error)))
    return FALSE;
  while ((step = enr_db_stmt_step (select, error)) == ENR_DB_STEP_ROW)
    {
      g_autoptr(EnrAppointment) appointment =
        enr_codec_decode_data (ENR_TYPE_APPOINTMENT, enr_db_stmt_column_text (select, 0), -1, error);
      EnrDbStmt *update;

      if (appointment == NULL ||
          !(update = enr_db_prepare (db, "UPDATE appointments SET seconds = $2 WHERE id = $1", error)))
        break;
      enr_db_stmt_bind_text (update, 1, enr_entity_get_id (ENR_ENTITY (appointment)));
      enr_db_stmt_bind_int64 (update, 2, _enr_service_store_appointment_seconds (appointment));
      if (!enr_db_stmt_run (update, error))
        break;
    }
  enr_db_stmt_reset (select);
  if (step != ENR_DB_STEP_DONE)
    return FALSE;

  select = enr_db_prepare (db,
                           "UPDATE crew_shifts SET booked_seconds = (SELECT coalesce (sum (a.seconds), 0)"
                           " FROM appointments a WHERE a.crew_shift_id = crew_shifts.id AND a.status = $1)",
                           error);
  if (select == NULL)
    return FALSE;
  enr_db_stmt_bind_int64 (select, 1, ENR_APPOINTMENT_STATUS_BOOKED);

  return enr_db_stmt_run (select, error);
}

/* 6: PostgreSQL keeps the rate limit's buckets, so that a client's limit
 * holds across the instances it talks to. UNLOGGED: no WAL for what a
 * crash may forget. (SQLite's one process keeps them in memory.) */
static const char postgresql_6[] =
  "CREATE UNLOGGED TABLE IF NOT EXISTS rate_limits (key " PG_TEXT " PRIMARY KEY,"
  "  tokens DOUBLE PRECISION NOT NULL, at DOUBLE PRECISION NOT NULL, allowed BOOLEAN NOT NULL);"
  "CREATE INDEX IF NOT EXISTS rate_limits_at ON rate_limits (at);";

/* 7: service points by premise, for the programs' limit of enrollments
 * per premise (the accounts at one premise). On SQLite add_premise_column()
 * adds the column unless a database written in between has it. */
static gboolean
add_premise_column (EnrDb     *db,
                    gpointer   user_data,
                    GError   **error)
{
  gboolean found;

  if (enr_db_get_backend (db) != ENR_DB_SQLITE)
    return TRUE;

  if (!has_column (db, "service_points", "premise_id", &found, error))
    return FALSE;

  return (found || enr_db_exec (db, "ALTER TABLE service_points ADD COLUMN premise_id TEXT;", error)) &&
         enr_db_exec (db,
                      "UPDATE service_points SET premise_id = json_extract (json, '$.premise_id');"
                      "CREATE INDEX IF NOT EXISTS service_points_premise ON service_points (premise_id);",
                      error);
}

static const char postgresql_7[] =
  "ALTER TABLE service_points ADD COLUMN IF NOT EXISTS premise_id " PG_TEXT ";"
  "UPDATE service_points SET premise_id = json::jsonb ->> 'premise_id';"
  "CREATE INDEX IF NOT EXISTS service_points_premise ON service_points (premise_id);";

/* 8: the consents on record: one row per finished enrollment that carried
 * the customer's consent, written by Finish and never changed, so the
 * record stays what the customer agreed to whatever happens to the task. */
static const char sqlite_8[] =
  "CREATE TABLE IF NOT EXISTS consents (service_task_id TEXT PRIMARY KEY"
  "    REFERENCES service_tasks (id) DEFERRABLE INITIALLY DEFERRED,"
  "  customer_id TEXT NOT NULL, program_id TEXT NOT NULL, method INTEGER NOT NULL,"
  "  given_at INTEGER NOT NULL, terms_version TEXT, recorded_by TEXT NOT NULL,"
  "  finished_at INTEGER NOT NULL, json TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS consents_customer ON consents (customer_id, given_at);";

static const char postgresql_8[] =
  "CREATE TABLE IF NOT EXISTS consents (service_task_id " PG_TEXT " PRIMARY KEY"
  "    REFERENCES service_tasks (id) DEFERRABLE INITIALLY DEFERRED,"
  "  customer_id " PG_TEXT " NOT NULL, program_id " PG_TEXT " NOT NULL, method BIGINT NOT NULL,"
  "  given_at BIGINT NOT NULL, terms_version TEXT, recorded_by TEXT NOT NULL,"
  "  finished_at BIGINT NOT NULL, json TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS consents_customer ON consents (customer_id, given_at);";

/* 9: customer_order also holds each customer's JSON, in name order, so
 * that a search page (and an export page) reads its customers off a few
 * neighbouring pages instead of looking each up in customers. The
 * search is rebuilt after it, at step 12 (which every migration through
 * this step reaches), not here: its word lists come at 12. */
static const char sqlite_9[] =
  "DROP TABLE customer_order;"
  "CREATE TABLE customer_order (pos INTEGER PRIMARY KEY, customer_id TEXT NOT NULL UNIQUE,"
  "  json TEXT NOT NULL);";

static const char postgresql_9[] =
  "DROP TABLE customer_order;"
  "CREATE TABLE customer_order (pos BIGINT PRIMARY KEY, customer_id " PG_TEXT " NOT NULL UNIQUE,"
  "  json TEXT NOT NULL);";

/* 10: metered services by service point. The limit of enrollments per
 * premise reads, at every save that checks eligibility, the other
 * accounts' metered services at the customer's premises (service points
 * by premise, then their metered services): without this index each read
 * scanned every metered service (PostgreSQL: 8 ms of its CPU a save with
 * 10,000 customers; SQLite built an automatic index each time). */
static const char sqlite_10[] =
  "CREATE INDEX IF NOT EXISTS metered_services_service_point ON metered_services (service_point_id);";

static const char postgresql_10[] =
  "CREATE INDEX IF NOT EXISTS metered_services_service_point ON metered_services (service_point_id);";

/* 11: what the rate limit's last statement took from a bucket, for its
 * RETURNING (enr_service_store_take_tokens(): an instance takes a block
 * of tokens at once). */
static const char postgresql_11[] =
  "ALTER TABLE rate_limits ADD COLUMN IF NOT EXISTS granted DOUBLE PRECISION NOT NULL DEFAULT 0;";

/* Step 13's table (below). */
#define SQLITE_NAME_PREFIXES \
  "CREATE TABLE IF NOT EXISTS customer_name_prefixes (prefix TEXT NOT NULL, pos INTEGER NOT NULL," \
  "  PRIMARY KEY (prefix, pos)) WITHOUT ROWID;"

/* 12: word lists for queries of two words (a full name, a first name
 * and the start of the last), so that they read neither word's
 * full-text index entries (enr-service-store-queries.c): every ordered
 * pair of a name's words, each word with itself too; and each customer's
 * words of the other fields that are not words of its name. Both are
 * made with the search (rebuild_search(), on both backends: step 9's
 * customer_order is filled here). On SQLite the search made here fills
 * step 13's table too, so it is made here as well (IF NOT EXISTS: step
 * 13 has nothing to add then but a second filling). PostgreSQL's search
 * reads the names' tsvector with the row: its GIN index goes. */
static const char sqlite_12[] =
  "CREATE TABLE IF NOT EXISTS customer_name_pairs (first TEXT NOT NULL, second TEXT NOT NULL,"
  "  pos INTEGER NOT NULL, PRIMARY KEY (first, second, pos)) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS customer_other_words (word TEXT NOT NULL, pos INTEGER NOT NULL,"
  "  PRIMARY KEY (word, pos)) WITHOUT ROWID;"
  SQLITE_NAME_PREFIXES;

static const char postgresql_12[] =
  "DROP INDEX IF EXISTS customer_search_names;";

static gboolean
rebuild_search (EnrDb     *db,
                gpointer   user_data,
                GError   **error)
{
  return enr_service_store_rebuild_search (user_data, error);
}

/* 13: the prefixes of the names' words, for queries of one word (a last
 * name, the start of a first name): every prefix of every word of a
 * customer's name (the words as customer_search holds them), each with
 * the customer's position, so that the name matches of a word are one
 * range of the b-tree in name order, where FTS5's prefix index
 * (customer_names) cost them a third more CPU
 * (enr-service-store-queries.c). Made with the search; here from
 * customer_search's words alone, without rebuilding the rest. */
static const char sqlite_13[] = SQLITE_NAME_PREFIXES;

static gboolean
fill_name_prefixes (EnrDb     *db,
                    gpointer   user_data,
                    GError   **error)
{
  if (enr_db_get_backend (db) != ENR_DB_SQLITE)
    return TRUE;

  return _enr_service_store_fill_name_prefixes (user_data, error);
}

static const EnrDbMigration migrations[] = {
  { sqlite_1, postgresql_1, NULL },
  { sqlite_2, postgresql_2, NULL },
  { sqlite_3, postgresql_3, NULL },
  { NULL, NULL, enum_columns_to_numbers },
  { NULL, NULL, fill_capacity },
  { NULL, postgresql_6, NULL },
  { NULL, postgresql_7, add_premise_column },
  { sqlite_8, postgresql_8, NULL },
  { sqlite_9, postgresql_9, NULL },
  { sqlite_10, postgresql_10, NULL },
  { NULL, postgresql_11, NULL },
  { sqlite_12, postgresql_12, rebuild_search },
  { sqlite_13, NULL, fill_name_prefixes },
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

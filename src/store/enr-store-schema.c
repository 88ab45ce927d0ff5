/* enr-store-schema.c — tables, migrations and the file-system check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-store-private.h"

/* The change feed's names (as the service writes them) and the tables. The
 * columns listed here must exist in the schema below. They are bound by
 * the database layer's rules (enr_db_stmt_bind_property()), as the
 * service stores its columns: enums as their integer value, dates as
 * "YYYY-MM-DD", date-times as Unix seconds, and an unset value (a NULL
 * string, no date) as NULL. */
static const EnrStoreTypeInfo type_infos[] = {
  { enr_customer_get_type, "customer", "customers", { "account-id" } },
  { enr_metered_service_get_type, "metered_service", "metered_services",
    { "customer-id", "service-point-id", "status" } },
  { enr_service_point_get_type, "service_point", "service_points", { "premise-id" } },
  { enr_device_location_get_type, "device_location", "device_locations",
    { "service-point-id" } },
  { enr_device_get_type, "device", "devices",
    { "device-location-id", "subscription-id", "status" } },
  { enr_program_subscription_get_type, "program_subscription", "subscriptions",
    { "customer-id", "program-id", "metered-service-id", "status" } },
  { enr_program_type_get_type, "program_type", "program_types", { "code" } },
  { enr_program_get_type, "program", "programs",
    { "code", "program-type-id", "status", "initiative-id" } },
  { enr_initiative_get_type, "initiative", "initiatives", { "code" } },
  { enr_service_task_type_get_type, "service_task_type", "service_task_types",
    { "code", "kind" } },
  { enr_action_method_get_type, "action_method", "action_methods", { "code" } },
  { enr_activity_type_get_type, "activity_type", "activity_types", { "code" } },
  { enr_crew_shift_type_get_type, "crew_shift_type", "crew_shift_types", { "code" } },
  { enr_crew_get_type, "crew", "crews", { "shift-type-id" } },
  { enr_crew_shift_get_type, "crew_shift", "crew_shifts",
    { "crew-id", "shift-type-id", "date" } },
  { enr_appointment_get_type, "appointment", "appointments",
    { "crew-id", "crew-shift-id", "service-task-id", "status" } },
  { enr_code_value_get_type, "code_value", "code_values", { "list" } },
  { enr_customer_communication_get_type, "customer_communication", "communications",
    { "customer-id", "service-task-id", "created-at" } },
  { enr_user_get_type, "user", "users", { "username" } },
  { enr_service_task_get_type, "service_task", "service_tasks",
    { "customer-id", "program-id", "status", "kind", "created-by", "created-at",
      "updated-at", "version" } },
  { enr_process_flow_get_type, "process_flow", "drafts",
    { "service-task-id", "status", "updated-at" } },
};

#define CACHE_TABLE(name, columns) \
  "CREATE TABLE " name " (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, " \
  columns "json TEXT NOT NULL);"

/* The group of the task @row ("NEW" or "OLD") in service_task_counts. */
#define COUNT_GROUP(row) \
  " WHERE status IS " row ".status AND kind IS " row ".kind AND program_id IS " row ".program_id"

/* One more task in @row's group, which is made when it is missing. */
#define COUNT_ADD(row) \
  " UPDATE service_task_counts SET n = n + 1" COUNT_GROUP (row) ";" \
  " INSERT INTO service_task_counts (program_id, status, kind, n)" \
  "  SELECT " row ".program_id, " row ".status, " row ".kind, 1" \
  "  WHERE NOT EXISTS (SELECT 1 FROM service_task_counts" COUNT_GROUP (row) ");"

/* One task less in @row's group, which goes when it is empty. */
#define COUNT_REMOVE(row) \
  " UPDATE service_task_counts SET n = n - 1" COUNT_GROUP (row) ";" \
  " DELETE FROM service_task_counts" COUNT_GROUP (row) " AND n = 0;"

static const char * const migrations_sql[] = {
  /* 1: the initial schema */
  "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;"

  CACHE_TABLE ("customers", "account_id TEXT NOT NULL, ")
  "CREATE INDEX customers_account_id ON customers (account_id);"
  CACHE_TABLE ("metered_services",
               "customer_id TEXT NOT NULL, service_point_id TEXT NOT NULL, status INTEGER NOT NULL, ")
  "CREATE INDEX metered_services_customer_id ON metered_services (customer_id);"
  "CREATE INDEX metered_services_service_point_id ON metered_services (service_point_id);"
  "CREATE INDEX metered_services_status ON metered_services (status);"
  CACHE_TABLE ("service_points", "premise_id TEXT NOT NULL, ")
  "CREATE INDEX service_points_premise_id ON service_points (premise_id);"
  CACHE_TABLE ("device_locations", "service_point_id TEXT NOT NULL, ")
  "CREATE INDEX device_locations_service_point_id ON device_locations (service_point_id);"
  CACHE_TABLE ("devices",
               "device_location_id TEXT NOT NULL, subscription_id TEXT NOT NULL, status INTEGER NOT NULL, ")
  "CREATE INDEX devices_device_location_id ON devices (device_location_id);"
  "CREATE INDEX devices_subscription_id ON devices (subscription_id);"
  "CREATE INDEX devices_status ON devices (status);"
  CACHE_TABLE ("subscriptions",
               "customer_id TEXT NOT NULL, program_id TEXT NOT NULL, "
               "metered_service_id TEXT NOT NULL, status INTEGER NOT NULL, ")
  "CREATE INDEX subscriptions_customer_id ON subscriptions (customer_id);"
  "CREATE INDEX subscriptions_program_id ON subscriptions (program_id);"
  "CREATE INDEX subscriptions_metered_service_id ON subscriptions (metered_service_id);"
  "CREATE INDEX subscriptions_status ON subscriptions (status);"
  CACHE_TABLE ("program_types", "code TEXT NOT NULL, ")
  "CREATE INDEX program_types_code ON program_types (code);"
  CACHE_TABLE ("programs",
               "code TEXT NOT NULL, program_type_id TEXT NOT NULL, status INTEGER NOT NULL, "
               "initiative_id TEXT NOT NULL, ")
  "CREATE INDEX programs_code ON programs (code);"
  "CREATE INDEX programs_program_type_id ON programs (program_type_id);"
  "CREATE INDEX programs_status ON programs (status);"
  "CREATE INDEX programs_initiative_id ON programs (initiative_id);"
  CACHE_TABLE ("initiatives", "code TEXT NOT NULL, ")
  "CREATE INDEX initiatives_code ON initiatives (code);"
  CACHE_TABLE ("service_task_types", "code TEXT NOT NULL, kind INTEGER NOT NULL, ")
  "CREATE INDEX service_task_types_code ON service_task_types (code);"
  "CREATE INDEX service_task_types_kind ON service_task_types (kind);"
  CACHE_TABLE ("action_methods", "code TEXT NOT NULL, ")
  "CREATE INDEX action_methods_code ON action_methods (code);"
  CACHE_TABLE ("activity_types", "code TEXT NOT NULL, ")
  "CREATE INDEX activity_types_code ON activity_types (code);"
  CACHE_TABLE ("crew_shift_types", "code TEXT NOT NULL, ")
  "CREATE INDEX crew_shift_types_code ON crew_shift_types (code);"
  CACHE_TABLE ("crews", "shift_type_id TEXT NOT NULL, ")
  "CREATE INDEX crews_shift_type_id ON crews (shift_type_id);"
  CACHE_TABLE ("crew_shifts",
               "crew_id TEXT NOT NULL, shift_type_id TEXT NOT NULL, date TEXT NOT NULL, ")
  "CREATE INDEX crew_shifts_crew_id ON crew_shifts (crew_id, date);"
  "CREATE INDEX crew_shifts_shift_type_id ON crew_shifts (shift_type_id);"
  "CREATE INDEX crew_shifts_date ON crew_shifts (date);"
  CACHE_TABLE ("appointments",
               "crew_id TEXT NOT NULL, crew_shift_id TEXT NOT NULL, service_task_id TEXT NOT NULL, "
               "status INTEGER NOT NULL, ")
  "CREATE INDEX appointments_crew_id ON appointments (crew_id);"
  "CREATE INDEX appointments_crew_shift_id ON appointments (crew_shift_id);"
  "CREATE INDEX appointments_service_task_id ON appointments (service_task_id);"
  "CREATE INDEX appointments_status ON appointments (status);"
  CACHE_TABLE ("code_values", "list INTEGER NOT NULL, ")
  "CREATE INDEX code_values_list ON code_values (list);"
  CACHE_TABLE ("communications",
               "customer_id TEXT NOT NULL, service_task_id TEXT NOT NULL, created_at INTEGER NOT NULL, ")
  "CREATE INDEX communications_customer_id ON communications (customer_id, created_at);"
  "CREATE INDEX communications_service_task_id ON communications (service_task_id);"
  "CREATE INDEX communications_created_at ON communications (created_at);"
  CACHE_TABLE ("users", "username TEXT NOT NULL, ")
  "CREATE INDEX users_username ON users (username);"

  /* Service tasks: one index per sort column of the supervisors' list,
   * ordered by (column, seq) as the list reads them and covering every
   * filter column, so that paging and counting never visit the rows. */
  CACHE_TABLE ("service_tasks",
               "customer_id TEXT NOT NULL, program_id TEXT NOT NULL, status INTEGER NOT NULL, "
               "kind INTEGER NOT NULL, created_by TEXT NOT NULL, created_at INTEGER NOT NULL, "
               "updated_at INTEGER NOT NULL, version INTEGER NOT NULL, ")
  "CREATE INDEX service_tasks_customer_id ON service_tasks (customer_id);"
  "CREATE INDEX service_tasks_created_at ON service_tasks"
  "  (created_at, seq, status, kind, program_id, created_by, customer_id);"
  "CREATE INDEX service_tasks_updated_at ON service_tasks"
  "  (updated_at, seq, status, kind, program_id, created_by, customer_id, created_at);"
  "CREATE INDEX service_tasks_status ON service_tasks"
  "  (status, seq, kind, program_id, created_by, customer_id, created_at);"
  "CREATE INDEX service_tasks_kind ON service_tasks"
  "  (kind, seq, status, program_id, created_by, customer_id, created_at);"
  "CREATE INDEX service_tasks_program_id ON service_tasks"
  "  (program_id, seq, status, kind, created_by, customer_id, created_at);"
  "CREATE INDEX service_tasks_created_by ON service_tasks"
  "  (created_by, seq, status, kind, program_id, customer_id, created_at);"

  CACHE_TABLE ("drafts",
               "service_task_id TEXT NOT NULL, status INTEGER NOT NULL, updated_at INTEGER NOT NULL, ")
  "CREATE INDEX drafts_service_task_id ON drafts (service_task_id);"
  "CREATE INDEX drafts_status ON drafts (status, updated_at);"

  /* Customer search: rowid = customers.seq. "keys" holds the digits-only
   * phone variants and the account id without punctuation. */
  "CREATE VIRTUAL TABLE customer_fts USING fts5 ("
  "  name, account, phone, email, address, keys,"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');"

  /* The outbox and the last version the service acknowledged per entity. */
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL,"
  "  entity_type TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  base_version INTEGER NOT NULL,"
  "  method TEXT NOT NULL,"
  "  path TEXT NOT NULL,"
  "  body TEXT,"
  "  state TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (state IN ('pending', 'in-flight', 'done', 'conflict', 'rejected')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  response TEXT,"
  "  server_copy TEXT,"
  "  reason TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE INDEX outbox_state ON outbox (state, seq);"
  "CREATE INDEX outbox_open_entity ON outbox (entity_type, entity_id, seq)"
  "  WHERE state <> 'done';"
  "CREATE TABLE entity_versions ("
  "  entity_type TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  version INTEGER NOT NULL,"
  "  PRIMARY KEY (entity_type, entity_id)) WITHOUT ROWID;",

  /* 2: the supervisors' list filtered by status and program (the
   * dashboard's cells) reads its rows off one index range, in creation
   * order, covering every filter and sort column. */
  "CREATE INDEX service_tasks_status_program ON service_tasks"
  "  (status, program_id, created_at, seq, kind, created_by, customer_id, updated_at);",

  /* 3: every operation carries the user who queued it, and goes out only
   * under that user's session. Operations queued before get the creator
   * of their task or communication, who may send them with a session of
   * their own (a clerk acts on their own tasks, a supervisor on any);
   * those of no known creator (a supervisor's reschedule or field work)
   * stay without one until a supervisor signs in and takes them
   * (enr_outbox_claim_unowned()). */
  "ALTER TABLE outbox ADD COLUMN owner TEXT;"
  "UPDATE outbox SET owner = (SELECT json_extract (t.json, '$.created_by') FROM service_tasks t"
  "  WHERE t.id = outbox.entity_id)"
  "  WHERE entity_type = 'service_task'"
  "  AND kind IN ('create-task', 'save-task', 'finish-task', 'cancel-task');"
  "UPDATE outbox SET owner = json_extract (body, '$.created_by')"
  "  WHERE owner IS NULL AND kind IN ('create-task', 'save-task', 'create-communication')"
  "  AND json_valid (body);"
  "UPDATE outbox SET owner = NULL WHERE typeof (owner) <> 'text' OR owner = '';"
  "CREATE INDEX outbox_owner ON outbox (owner, state) WHERE state <> 'done';",

  /* 4: what lets a user work offline (enr-store-credentials.c): a slow
   * salted verifier of the password of their last online sign-in here,
   * and the wrong passwords since the last right one. */
  "CREATE TABLE offline_credentials (username TEXT PRIMARY KEY NOT NULL,"
  "  algorithm TEXT NOT NULL, memory_kib INTEGER NOT NULL, iterations INTEGER NOT NULL,"
  "  lanes INTEGER NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL,"
  "  signed_in_at INTEGER NOT NULL, failures INTEGER NOT NULL DEFAULT 0,"
  "  last_failure_at INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;",

  /* 5: the user (name, role) the service named at that sign-in, kept with
   * the verifier: working offline takes the role from here, never from
   * the users table that an imported data set may overwrite. A verifier
   * kept before has none, and needs one more online sign-in. */
  "ALTER TABLE offline_credentials ADD COLUMN user TEXT;",

  /* 6: the database layer's rules (src/db, as the service's store). Up
   * to 5 an unset string or date was stored as '' and an unset
   * date-time as 0 in the indexed columns, which were NOT NULL: the
   * cache tables are rebuilt with nullable columns, which are then
   * bound again from each record (migrate_cache_columns()), so that
   * NULL is stored where the record has none and '' only where it has
   * an empty string. The outbox stored its kind and state as their
   * nicks: they become their enum values (see enr-store-enums.h),
   * every row, its sequence and its counter kept. */
  "CREATE TABLE outbox_v6 ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  kind INTEGER NOT NULL,"
  "  entity_type TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  base_version INTEGER NOT NULL,"
  "  method TEXT NOT NULL,"
  "  path TEXT NOT NULL,"
  "  body TEXT,"
  "  state INTEGER NOT NULL DEFAULT 0,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  response TEXT,"
  "  server_copy TEXT,"
  "  reason TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  owner TEXT);"
  /* An unknown nick becomes -1: the row is kept, and reading it reports
   * it as damaged, as before. */
  "INSERT INTO outbox_v6 (seq, idempotency_key, kind, entity_type, entity_id, base_version,"
  "  method, path, body, state, attempts, last_error, next_attempt_at, response, server_copy,"
  "  reason, created_at, updated_at, owner)"
  " SELECT seq, idempotency_key,"
  "  CASE kind WHEN 'create-task' THEN 0 WHEN 'save-task' THEN 1 WHEN 'finish-task' THEN 2"
  "   WHEN 'cancel-task' THEN 3 WHEN 'create-communication' THEN 4 WHEN 'reschedule' THEN 5"
  "   WHEN 'complete-field-work' THEN 6 ELSE -1 END,"
  "  entity_type, entity_id, base_version, method, path, body,"
  "  CASE state WHEN 'pending' THEN 0 WHEN 'in-flight' THEN 1 WHEN 'done' THEN 2"
  "   WHEN 'conflict' THEN 3 WHEN 'rejected' THEN 4 ELSE -1 END,"
  "  attempts, last_error, next_attempt_at, response, server_copy, reason, created_at,"
  "  updated_at, owner"
  " FROM outbox ORDER BY seq;"
  /* AUTOINCREMENT: seqs of operations purged since are never reused. */
  "INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_v6', 0"
  "  WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox_v6');"
  "UPDATE sqlite_sequence SET seq = max (seq,"
  "  coalesce ((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0))"
  "  WHERE name = 'outbox_v6';"
  "DROP TABLE outbox;"
  "ALTER TABLE outbox_v6 RENAME TO outbox;"
  "CREATE INDEX outbox_state ON outbox (state, seq);"
  "CREATE INDEX outbox_open_entity ON outbox (entity_type, entity_id, seq) WHERE state <> 2;"
  "CREATE INDEX outbox_owner ON outbox (owner, state) WHERE state <> 2;",

  /* 7: other users' operations a supervisor discarded
   * (enr-outbox-discard.c), whole (kind and state as in the outbox),
   * with who discarded them, why and when: what never reached the
   * service leaves a trace. */
  "CREATE TABLE discarded_operations ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  seq INTEGER NOT NULL,"
  "  idempotency_key TEXT NOT NULL,"
  "  kind INTEGER NOT NULL,"
  "  state INTEGER NOT NULL,"
  "  entity_type TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  base_version INTEGER NOT NULL,"
  "  method TEXT NOT NULL,"
  "  path TEXT NOT NULL,"
  "  body TEXT,"
  "  attempts INTEGER NOT NULL,"
  "  last_error TEXT,"
  "  next_attempt_at INTEGER NOT NULL,"
  "  response TEXT,"
  "  server_copy TEXT,"
  "  reason TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  owner TEXT,"
  "  discarded_by TEXT NOT NULL,"
  "  discard_reason TEXT NOT NULL,"
  "  discarded_at INTEGER NOT NULL);"
  "CREATE INDEX discarded_operations_owner ON discarded_operations (owner, discarded_at);",

  /* 8: how many service tasks there are per program, status and kind,
   * so that the supervisors' list and the dashboard never count a
   * million rows (enr-task-list-model-query.c, enr-store-stats.c). The
   * triggers keep each count in the statement, and so the transaction,
   * that writes the task, whatever path writes it; the store's
   * connection has recursive_triggers on, so that a REPLACE also takes
   * away the row it deletes. A group that empties is deleted. A task
   * may have no program: the groups are matched with IS. */
  "CREATE TABLE service_task_counts ("
  "  program_id TEXT,"
  "  status INTEGER,"
  "  kind INTEGER,"
  "  n INTEGER NOT NULL);"
  "CREATE INDEX service_task_counts_key ON service_task_counts (status, kind, program_id);"
  "INSERT INTO service_task_counts (program_id, status, kind, n)"
  "  SELECT program_id, status, kind, count(*) FROM service_tasks"
  "  GROUP BY program_id, status, kind;"
  "CREATE TRIGGER service_task_counts_insert AFTER INSERT ON service_tasks BEGIN"
  COUNT_ADD ("NEW")
  " END;"
  "CREATE TRIGGER service_task_counts_delete AFTER DELETE ON service_tasks BEGIN"
  COUNT_REMOVE ("OLD")
  " END;"
  "CREATE TRIGGER service_task_counts_update AFTER UPDATE OF program_id, status, kind"
  "  ON service_tasks"
  "  WHEN OLD.program_id IS NOT NEW.program_id OR OLD.status IS NOT NEW.status"
  "    OR OLD.kind IS NOT NEW.kind BEGIN"
  COUNT_REMOVE ("OLD")
  COUNT_ADD ("NEW")
  " END;",
};

static gboolean migrate_cache_columns (EnrDb     *db,
                                       gpointer   user_data,
                                       GError   **error);

/* The code some steps run after their SQL, by step. */
static gboolean (* const migration_code[]) (EnrDb *, gpointer, GError **) = {
  [5] = migrate_cache_columns,
};

const EnrStoreTypeInfo *
_enr_store_type_infos (guint *n_infos)
{
  *n_infos = G_N_ELEMENTS (type_infos);
  return type_infos;
}

const EnrStoreTypeInfo *
_enr_store_type_info (GType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_infos); i++)
    if (type_infos[i].get_type () == type)
      return &type_infos[i];

  return NULL;
}

const char * const *
_enr_store_migrations (guint *n_migrations)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (migrations_sql) == ENR_STORE_SCHEMA_VERSION);

  *n_migrations = G_N_ELEMENTS (migrations_sql);
  return migrations_sql;
}

static char *
column_name (const char *property)
{
  char *name = g_strdup (property);

  g_strdelimit (name, "-", '_');
  return name;
}

/* Step 6 for one cache table: the table again with its indexed columns
 * nullable, every row copied (seq kept: the search index refers to
 * customers by it), its indexes made again; then each row's columns
 * bound again from its record by the one rule per type. A record that
 * cannot be read keeps its columns as they were. */
static gboolean
migrate_cache_table (EnrDb                   *db,
                     const EnrStoreTypeInfo  *info,
                     GError                 **error)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (info->get_type ());
  g_autoptr(GString) create = g_string_new (NULL);
  g_autoptr(GString) columns = g_string_new ("seq, id");
  g_autoptr(GString) update = g_string_new (NULL);
  g_autoptr(GPtrArray) indexes = NULL;
  g_autofree char *sql = NULL;
  EnrDbStmt *stmt;
  EnrDbStmt *set;
  EnrDbStep step;
  guint n = 0;

  g_string_append_printf (create, "CREATE TABLE %s_v6 (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE",
                          info->table);
  g_string_append_printf (update, "UPDATE %s SET ", info->table);
  for (n = 0; n < ENR_STORE_MAX_COLUMNS && info->columns[n] != NULL; n++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), info->columns[n]);
      g_autofree char *column = column_name (info->columns[n]);
      gboolean text = G_TYPE_FUNDAMENTAL (pspec->value_type) == G_TYPE_STRING ||
                      pspec->value_type == G_TYPE_DATE;

      g_string_append_printf (create, ", %s %s", column, text ? "TEXT" : "INTEGER");
      g_string_append_printf (columns, ", %s", column);
      g_string_append_printf (update, "%s%s = $%u", n > 0 ? ", " : "", column, n + 2);
    }
  g_string_append (create, ", json TEXT NOT NULL)");
  g_string_append (columns, ", json");
  g_string_append (update, " WHERE seq = $1");

  sql = g_strdup_printf ("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = '%s'"
                         " AND sql IS NOT NULL ORDER BY name", info->table);
  if (!(stmt = enr_db_prepare (db, sql, error)) ||
      !(indexes = enr_db_stmt_collect_text (stmt, 0, error)))
    return FALSE;
  g_clear_pointer (&sql, g_free);

  sql = g_strdup_printf ("%s;"
                         "INSERT INTO %s_v6 (%s) SELECT %s FROM %s ORDER BY seq;"
                         "DROP TABLE %s;"
                         "ALTER TABLE %s_v6 RENAME TO %s;",
                         create->str,
                         info->table, columns->str, columns->str, info->table,
                         info->table,
                         info->table, info->table);
  if (!enr_db_exec (db, sql, error))
    return FALSE;

  for (guint i = 0; i < indexes->len; i++)
    if (!enr_db_exec (db, g_ptr_array_index (indexes, i), error))
      return FALSE;

  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT seq, json FROM %s ORDER BY seq", info->table);
  if (!(stmt = enr_db_prepare (db, sql, error)) ||
      !(set = enr_db_prepare (db, update->str, error)))
    return FALSE;

  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    {
      g_autoptr(GObject) object = NULL;

      object = enr_codec_decode_data (info->get_type (),
                                      enr_db_stmt_column_text (stmt, 1),
                                      enr_db_stmt_column_length (stmt, 1), NULL);
      if (object == NULL)
        continue;

      enr_db_stmt_bind_int64 (set, 1, enr_db_stmt_column_int64 (stmt, 0));
      for (guint c = 0; c < n; c++)
        enr_db_stmt_bind_property (set, c + 2, object, info->columns[c]);
      if (!enr_db_stmt_run (set, error))
        {
          enr_db_stmt_reset (stmt);
          return FALSE;
        }
    }

  enr_db_stmt_reset (stmt);
  return step == ENR_DB_STEP_DONE;
}

static gboolean
migrate_cache_columns (EnrDb     *db,
                       gpointer   user_data,
                       GError   **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_infos); i++)
    if (!migrate_cache_table (db, &type_infos[i], error))
      {
        g_prefix_error (error, "%s: ", type_infos[i].table);
        return FALSE;
      }

  return TRUE;
}

/*
 * _enr_store_migrate_db:
 * @steps: SQL scripts; step i brings the schema from version i to i + 1
 *
 * Applies the steps the database has not seen yet, with the code some of
 * them run (migration_code), each in its own transaction together with
 * its new version (enr_db_migrate()). A database newer than @n_steps is
 * refused with %ENR_STORE_ERROR_SCHEMA_TOO_NEW.
 */
gboolean
_enr_store_migrate_db (EnrDb               *db,
                       const char * const  *steps,
                       guint                n_steps,
                       GError             **error)
{
  g_autofree EnrDbMigration *migrations = g_new0 (EnrDbMigration, MAX (n_steps, 1));
  g_autoptr(GError) local_error = NULL;
  int version;

  if ((version = enr_db_get_schema_version (db, &local_error)) < 0)
    {
      g_set_error (error, ENR_STORE_ERROR,
                   local_error->code == ENR_DB_ERROR_CORRUPT
                     ? ENR_STORE_ERROR_CORRUPT : ENR_STORE_ERROR_OPEN,
                   _("Could not read the schema version of the local database: %s"),
                   local_error->message);
      return FALSE;
    }

  if ((guint) version > n_steps)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SCHEMA_TOO_NEW,
                   _("The local database was written by a newer version of "
                     "Enrollment Desk (schema %d; this version knows up to %u). "
                     "Update the application to open it."),
                   version, n_steps);
      return FALSE;
    }

  for (guint i = 0; i < n_steps; i++)
    {
      migrations[i].sqlite = steps[i];
      /* The code belongs to the store's own steps, not to a test's. */
      if (steps == migrations_sql && i < G_N_ELEMENTS (migration_code))
        migrations[i].run = migration_code[i];
    }

  if (!enr_db_migrate (db, migrations, n_steps, NULL, &local_error))
    {
      /* The failed step rolled back: the database is at the version before it. */
      int reached = enr_db_get_schema_version (db, NULL);

      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SQL,
                   _("Could not upgrade the local database to schema %u: %s"),
                   (guint) MAX (reached, version) + 1, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* _enr_store_migrate_db() on a connection of the caller's. */
gboolean
_enr_store_migrate (sqlite3             *db,
                    const char * const  *steps,
                    guint                n_steps,
                    GError             **error)
{
  EnrDb *wrapper = enr_db_wrap_sqlite (db, NULL);
  gboolean ok = _enr_store_migrate_db (wrapper, steps, n_steps, error);

  enr_db_close (wrapper);
  return ok;
}

/* statfs(2) f_type values of file systems where SQLite's WAL mode is
 * unsafe: its shared-memory index and POSIX locks do not work across the
 * machines that share such a file system. FUSE (0x65735546) is NOT in the
 * list: statfs cannot tell sshfs from the many local FUSE file systems
 * (encrypted home directories, the Flatpak document portal), so it is
 * accepted. */
static const struct
{
  gint64      magic;
  const char *name;
} network_fs[] = {
  { 0x6969, "NFS" },
  { 0x517B, "SMB" },
  { 0xFF534D42, "CIFS" },
  { 0xFE534D42, "SMB2" },
  { 0x5346414F, "AFS" },
  { 0x6B414653, "AFS" },
  { 0x73757245, "Coda" },
  { 0x564C, "NCP" },
  { 0x01021997, "9P" },
  { 0x00C36400, "Ceph" },
  { 0x01161970, "GFS2" },
  { 0x7461636F, "OCFS2" },
  { 0x0BD00BD0, "Lustre" },
  { 0x47504653, "GPFS" },
};

const char *
_enr_store_network_fs_name (gint64 f_type)
{
  /* f_type is a signed word on some ABIs: compare its low 32 bits. */
  guint32 magic = (guint32) f_type;

  for (guint i = 0; i < G_N_ELEMENTS (network_fs); i++)
    if ((guint32) network_fs[i].magic == magic)
      return network_fs[i].name;

  return NULL;
}

gboolean
_enr_store_check_fs_type (gint64       f_type,
                          const char  *path,
                          GError     **error)
{
  const char *name = _enr_store_network_fs_name (f_type);

  if (name == NULL)
    return TRUE;

  g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NETWORK_FS,
               _("The local database %s is on a network file system (%s). "
                 "Its journal is not safe there: choose a folder on a local disk."),
               path, name);
  return FALSE;
}

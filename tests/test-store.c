/* test-store.c — the client store: schema, cache, search, drafts, outbox,
 * pull, task list, crash safety
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "enr-store-private.h"
#include "enr-store-stats.h"

static const char *self_exe;

/* Fixture */

typedef struct
{
  char     *dir;
  char     *path;
  EnrStore *store;
} Fixture;

static void
remove_database_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("enr-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "client.db", NULL);
  fixture->store = enr_store_new (fixture->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
  enr_store_set_user (fixture->store, "clerk");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_database_files (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  fixture->store = enr_store_new (fixture->path, NULL, &error);
  g_assert_no_error (error);
  enr_store_set_user (fixture->store, "clerk");
}

/* Builders */

static GDateTime *
date_time_from_unix (gint64 seconds)
{
  return g_date_time_new_from_unix_utc (seconds);
}

static EnrCustomer *
make_customer (const char *id,
               const char *name,
               const char *account_id,
               const char *phone,
               const char *email,
               const char *mailing_address)
{
  EnrCustomer *customer = enr_customer_new ();

  enr_entity_set_id (ENR_ENTITY (customer), id);
  enr_customer_set_name (customer, name);
  enr_customer_set_account_id (customer, account_id);
  enr_customer_set_phone (customer, phone);
  enr_customer_set_email (customer, email);
  enr_customer_set_mailing_address (customer, mailing_address);
  return customer;
}

static EnrServicePoint *
make_service_point (const char *id,
                    const char *address)
{
  EnrServicePoint *point = enr_service_point_new ();

  enr_entity_set_id (ENR_ENTITY (point), id);
  enr_service_point_set_address (point, address);
  enr_service_point_set_division (point, "NORTH");
  return point;
}

static EnrMeteredService *
make_metered_service (const char *id,
                      const char *customer_id,
                      const char *service_point_id)
{
  EnrMeteredService *service = enr_metered_service_new ();

  enr_entity_set_id (ENR_ENTITY (service), id);
  enr_metered_service_set_customer_id (service, customer_id);
  enr_metered_service_set_service_point_id (service, service_point_id);
  enr_metered_service_set_service_type (service, ENR_SERVICE_TYPE_ELECTRIC);
  enr_metered_service_set_status (service, ENR_METERED_SERVICE_STATUS_ACTIVE);
  return service;
}

static EnrServiceTask *
make_task (const char    *id,
           const char    *customer_id,
           const char    *program_id,
           EnrTaskStatus  status,
           EnrTaskKind    kind,
           const char    *created_by,
           gint64         created_at)
{
  EnrServiceTask *task = enr_service_task_new ();
  g_autoptr(GDateTime) created = date_time_from_unix (created_at);
  g_autoptr(GDateTime) updated = date_time_from_unix (created_at + 60);

  enr_entity_set_id (ENR_ENTITY (task), id);
  enr_service_task_set_customer_id (task, customer_id);
  enr_service_task_set_program_id (task, program_id);
  enr_service_task_set_status (task, status);
  enr_service_task_set_kind (task, kind);
  enr_service_task_set_created_by (task, created_by);
  enr_service_task_set_created_at (task, created);
  enr_service_task_set_updated_at (task, updated);
  return task;
}

static EnrServiceTask *
make_simple_task (const char *id)
{
  return make_task (id, "cust-1", "prog-tstat", ENR_TASK_STATUS_PENDING,
                    ENR_TASK_KIND_ENROLLMENT, "clerk", 1780000000);
}

/* Takes @task. */
static EnrProcessFlow *
make_flow (const char     *id,
           EnrServiceTask *task)
{
  EnrProcessFlow *flow = enr_process_flow_new ();
  static const char * const visited[] = { "customer", "program", NULL };
  g_autoptr(GDateTime) updated = date_time_from_unix (1780000100);

  enr_entity_set_id (ENR_ENTITY (flow), id);
  enr_process_flow_set_service_task_id (flow, enr_entity_get_id (ENR_ENTITY (task)));
  enr_process_flow_set_kind (flow, enr_service_task_get_kind (task));
  enr_process_flow_set_status (flow, ENR_FLOW_STATUS_OPEN);
  enr_process_flow_set_current_panel (flow, ENR_PANEL_PROGRAM);
  enr_process_flow_set_visited (flow, visited);
  enr_process_flow_set_task (flow, task);
  enr_process_flow_set_updated_at (flow, updated);
  g_object_unref (task);
  return flow;
}

static EnrCrewShift *
make_crew_shift (const char *id,
                 const char *crew_id,
                 guint       day)
{
  EnrCrewShift *shift = enr_crew_shift_new ();
  GDate date;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 11, day, 8, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_new_utc (2026, 11, day, 16, 0, 0);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, 11, 2026);
  enr_entity_set_id (ENR_ENTITY (shift), id);
  enr_crew_shift_set_crew_id (shift, crew_id);
  enr_crew_shift_set_shift_type_id (shift, "shift-day");
  enr_crew_shift_set_date (shift, &date);
  enr_crew_shift_set_start (shift, start);
  enr_crew_shift_set_end (shift, end);
  enr_crew_shift_set_capacity_minutes (shift, 480);
  return shift;
}

static EnrAppointment *
make_appointment (const char *id,
                  const char *task_id,
                  guint       hour)
{
  EnrAppointment *appointment = enr_appointment_new ();
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 11, 27, hour, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_new_utc (2026, 11, 27, hour + 1, 0, 0);

  enr_entity_set_id (ENR_ENTITY (appointment), id);
  enr_appointment_set_activity_type_id (appointment, "act-install");
  enr_appointment_set_crew_id (appointment, "crew-1");
  enr_appointment_set_crew_shift_id (appointment, "shift-1");
  enr_appointment_set_start (appointment, start);
  enr_appointment_set_end (appointment, end);
  enr_appointment_set_service_task_id (appointment, task_id);
  enr_appointment_set_status (appointment, ENR_APPOINTMENT_STATUS_BOOKED);
  return appointment;
}

static EnrCustomerCommunication *
make_communication (const char *id,
                    const char *customer_id)
{
  EnrCustomerCommunication *communication = enr_customer_communication_new ();
  g_autoptr(GDateTime) created = date_time_from_unix (1780000000);

  enr_entity_set_id (ENR_ENTITY (communication), id);
  enr_customer_communication_set_customer_id (communication, customer_id);
  enr_customer_communication_set_channel (communication, "phone");
  enr_customer_communication_set_class (communication, "enrollment");
  enr_customer_communication_set_category (communication, "verbal");
  enr_customer_communication_set_notes (communication, "Called about the thermostat program.");
  enr_customer_communication_set_service_task_id (communication, "task-1");
  enr_customer_communication_set_created_by (communication, "clerk");
  enr_customer_communication_set_created_at (communication, created);
  return communication;
}

static GPtrArray *
objects_of (gpointer first,
            ...)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, first);
  for (gpointer object = first; object != NULL; object = va_arg (args, gpointer))
    g_ptr_array_add (objects, object);
  va_end (args);

  return objects;
}

static void
put_all (EnrStore  *store,
         GType      type,
         GPtrArray *objects)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (enr_store_put (store, type, objects, &error));
  g_assert_no_error (error);
}

/* The sample data set's file for a table, if it has one. */
static GPtrArray *
load_sample (const char *table,
             GType       type)
{
  g_autofree char *name = g_strconcat (table, ".jsonl", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "sample", name, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *objects;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;

  objects = g_ptr_array_new_with_free_func (g_object_unref);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      gpointer object;

      if (lines[i][0] == '\0')
        continue;
      object = enr_codec_decode_data (type, lines[i], -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (objects, object);
    }

  return objects;
}

static GPtrArray *
build_objects (GType type)
{
  if (type == ENR_TYPE_CREW_SHIFT)
    return objects_of (make_crew_shift ("shift-1", "crew-1", 27),
                       make_crew_shift ("shift-2", "crew-2", 28), NULL);
  if (type == ENR_TYPE_APPOINTMENT)
    return objects_of (make_appointment ("appt-1", "task-1", 9),
                       make_appointment ("appt-2", "task-2", 13), NULL);
  if (type == ENR_TYPE_CUSTOMER_COMMUNICATION)
    return objects_of (make_communication ("comm-1", "cust-1"),
                       make_communication ("comm-2", "cust-2"), NULL);
  if (type == ENR_TYPE_SERVICE_TASK)
    return objects_of (make_task ("task-1", "cust-1", "prog-tstat", ENR_TASK_STATUS_PENDING,
                                  ENR_TASK_KIND_ENROLLMENT, "clerk", 1780000000),
                       make_task ("task-2", "cust-2", "prog-tou", ENR_TASK_STATUS_ERROR,
                                  ENR_TASK_KIND_UNENROLLMENT, "alex", 1780003600), NULL);
  if (type == ENR_TYPE_PROCESS_FLOW)
    return objects_of (make_flow ("flow-1", make_simple_task ("task-1")),
                       make_flow ("flow-2", make_simple_task ("task-2")), NULL);

  return NULL;
}

/* The JSON text of @property, as enr_store_list() takes it; NULL if unset. */
static char *
member_text (gpointer    object,
             const char *property)
{
  g_autoptr(JsonNode) node = enr_codec_encode (object);
  g_autofree char *name = g_strdelimit (g_strdup (property), "-", '_');
  JsonNode *member = json_object_get_member (json_node_get_object (node), name);

  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return NULL;

  switch (json_node_get_value_type (member))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (member));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (member));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (member) ? "true" : "false");
    default:
      g_assert_not_reached ();
    }
}

/* Schema */

static void
test_open_and_reopen (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) customers = objects_of (make_customer ("cust-1", "Maria Gonzalez", "RPL-1",
                                                              NULL, NULL, NULL), NULL);
  g_autoptr(EnrCustomer) found = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_cmpuint (enr_store_get_schema_version (fixture->store), ==, ENR_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (enr_store_get_path (fixture->store), ==, fixture->path);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  put_all (fixture->store, ENR_TYPE_CUSTOMER, customers);

  /* WAL, synchronous=FULL and foreign keys on the store's connection. */
  db = _enr_store_get_db (fixture->store);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA synchronous", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_keys", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);

  reopen (fixture);
  g_assert_cmpuint (enr_store_get_schema_version (fixture->store), ==, ENR_STORE_SCHEMA_VERSION);
  found = enr_store_get (fixture->store, ENR_TYPE_CUSTOMER, "cust-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_customer_get_name (found), ==, "Maria Gonzalez");
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

static int
user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt;
  int version;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static void
test_migrations_in_order (void)
{
  static const char * const steps[] = {
    "CREATE TABLE a (x INTEGER)",
    "INSERT INTO a VALUES (1)",
    "ALTER TABLE a ADD COLUMN y TEXT; UPDATE a SET y = 'two'",
  };
  static const char * const broken[] = {
    "CREATE TABLE a (x INTEGER)",
    "INSERT INTO a VALUES (1)",
    "ALTER TABLE a ADD COLUMN y TEXT; UPDATE a SET y = 'two'",
    "INSERT INTO a VALUES (3, 'three'); INSERT INTO no_such_table VALUES (1)",
  };
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);

  /* An empty database takes the first two steps… */
  g_assert_true (_enr_store_migrate (db, steps, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (user_version (db), ==, 2);

  /* …then only the third (re-running the first would fail). */
  g_assert_true (_enr_store_migrate (db, steps, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (user_version (db), ==, 3);
  g_assert_true (_enr_store_migrate (db, steps, 3, &error));
  g_assert_cmpint (user_version (db), ==, 3);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*), max (y) FROM a", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "two");
  sqlite3_finalize (stmt);

  /* A failing step leaves the database as it was. */
  g_assert_false (_enr_store_migrate (db, broken, 4, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SQL);
  g_assert_nonnull (strstr (error->message, "schema 4"));
  g_clear_error (&error);
  g_assert_cmpint (user_version (db), ==, 3);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM a", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);

  /* Fewer known steps than the database has: too new. */
  g_assert_false (_enr_store_migrate (db, steps, 2, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SCHEMA_TOO_NEW);

  sqlite3_close (db);
}

static void
test_schema_too_new (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) store = NULL;
  sqlite3 *db;

  g_clear_object (&fixture->store);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = enr_store_new (fixture->path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));
  g_assert_nonnull (strstr (error->message, "newer"));
}

static void
test_not_a_database (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) store = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "garbage.db", NULL);
  g_autofree char *garbage = g_strnfill (8192, 'x');

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  store = enr_store_new (path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  remove_database_files (path);
}

static void
test_network_fs (void)
{
  static const struct
  {
    gint64      f_type;
    const char *name;
  } cases[] = {
    { 0x6969, "NFS" },
    { 0x517B, "SMB" },
    { 0xFF534D42, "CIFS" },
    { (gint64) (gint32) 0xFF534D42, "CIFS" },  /* sign-extended word */
    { 0xFE534D42, "SMB2" },
    { 0x5346414F, "AFS" },
    { 0x01021997, "9P" },
    { 0x00C36400, "Ceph" },
    { 0xEF53, NULL },        /* ext2/3/4 */
    { 0x58465342, NULL },    /* XFS */
    { 0x9123683E, NULL },    /* Btrfs */
    { 0x01021994, NULL },    /* tmpfs */
    { 0x65735546, NULL },    /* FUSE: accepted, see enr-store-schema.c */
    { 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_assert_cmpstr (_enr_store_network_fs_name (cases[i].f_type), ==, cases[i].name);
      ok = _enr_store_check_fs_type (cases[i].f_type, "/mnt/share/client.db", &error);
      if (cases[i].name == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NETWORK_FS);
          g_assert_nonnull (strstr (error->message, "/mnt/share/client.db"));
          g_assert_nonnull (strstr (error->message, cases[i].name));
        }
    }
}

static void
test_default_path (void)
{
  g_autofree char *path = enr_store_get_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "enrollment-desk",
                                                "client.db", NULL);

  g_assert_cmpstr (path, ==, expected);
}

/* Schema 6: a store the previous version wrote, migrated onto the
 * database layer's rules. The previous version's binder is here as it
 * was: an unset string or date as '', an unset date-time as 0, an enum
 * as its value; the outbox kept its kind and state by nick. */
static void
old_bind_property (sqlite3_stmt *stmt,
                   int           index,
                   GObject      *object,
                   const char   *property)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, property, &value);

  switch (G_TYPE_FUNDAMENTAL (pspec->value_type))
    {
    case G_TYPE_STRING:
      {
        const char *text = g_value_get_string (&value);

        sqlite3_bind_text (stmt, index, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
      }
      break;
    case G_TYPE_BOOLEAN:
      sqlite3_bind_int (stmt, index, g_value_get_boolean (&value));
      break;
    case G_TYPE_INT:
      sqlite3_bind_int (stmt, index, g_value_get_int (&value));
      break;
    case G_TYPE_INT64:
      sqlite3_bind_int64 (stmt, index, g_value_get_int64 (&value));
      break;
    case G_TYPE_ENUM:
      sqlite3_bind_int (stmt, index, g_value_get_enum (&value));
      break;
    default:
      if (pspec->value_type == G_TYPE_DATE)
        {
          const GDate *date = g_value_get_boxed (&value);
          g_autofree char *text = date != NULL ? enr_codec_format_date (date) : NULL;

          sqlite3_bind_text (stmt, index, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
        }
      else if (pspec->value_type == G_TYPE_DATE_TIME)
        {
          GDateTime *date_time = g_value_get_boxed (&value);

          sqlite3_bind_int64 (stmt, index, date_time != NULL ? g_date_time_to_unix (date_time) : 0);
        }
      else
        g_assert_not_reached ();
    }
}

/* Whether the database layer stores @property of @object as NULL. */
static gboolean
is_unset (GObject    *object,
          const char *property)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, property, &value);

  if (G_VALUE_HOLDS_STRING (&value))
    return g_value_get_string (&value) == NULL;
  if (G_VALUE_HOLDS (&value, G_TYPE_DATE))
    return g_value_get_boxed (&value) == NULL || !g_date_valid (g_value_get_boxed (&value));
  if (G_VALUE_HOLDS (&value, G_TYPE_DATE_TIME))
    return g_value_get_boxed (&value) == NULL;

  return FALSE;
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt;
  gint64 value;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static void
test_migrate_to_db_layer (void)
{
  static const struct
  {
    const char       *kind;
    const char       *state;
    EnrOperationKind  kind_value;
    EnrOperationState state_after;  /* what the store has after opening */
  } old_operations[] = {
    { "create-task", "pending", ENR_OPERATION_KIND_CREATE_TASK, ENR_OPERATION_STATE_PENDING },
    { "save-task", "in-flight", ENR_OPERATION_KIND_SAVE_TASK, ENR_OPERATION_STATE_PENDING },
    { "finish-task", "done", ENR_OPERATION_KIND_FINISH_TASK, ENR_OPERATION_STATE_DONE },
    { "cancel-task", "conflict", ENR_OPERATION_KIND_CANCEL_TASK, ENR_OPERATION_STATE_CONFLICT },
    { "create-communication", "rejected", ENR_OPERATION_KIND_CREATE_COMMUNICATION,
      ENR_OPERATION_STATE_REJECTED },
    { "reschedule", "pending", ENR_OPERATION_KIND_RESCHEDULE, ENR_OPERATION_STATE_PENDING },
    { "complete-field-work", "pending", ENR_OPERATION_KIND_COMPLETE_FIELD_WORK,
      ENR_OPERATION_STATE_PENDING },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("enr-migrate-5-XXXXXX", &error);
  g_autofree char *path = g_build_filename (directory, "client.db", NULL);
  g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(EnrStore) store = NULL;
  const EnrStoreTypeInfo *infos;
  const char * const *steps;
  guint n_infos, n_steps;
  guint n_unset = 0;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  infos = _enr_store_type_infos (&n_infos);
  steps = _enr_store_migrations (&n_steps);
  g_assert_cmpuint (n_steps, >=, 6);

  /* Schema 5, its rows written by the previous rules. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (_enr_store_migrate (db, steps, 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (user_version (db), ==, 5);

  for (guint t = 0; t < n_infos; t++)
    {
      GType type = infos[t].get_type ();
      GPtrArray *objects = load_sample (infos[t].table, type);
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(GString) values = g_string_new ("?1");
      guint c;

      if (objects == NULL)
        objects = build_objects (type);
      g_assert_nonnull (objects);
      g_ptr_array_add (lists, objects);

      g_string_append_printf (sql, "INSERT INTO %s (id", infos[t].table);
      for (c = 0; c < ENR_STORE_MAX_COLUMNS && infos[t].columns[c] != NULL; c++)
        {
          g_autofree char *column = g_strdelimit (g_strdup (infos[t].columns[c]), "-", '_');

          g_string_append_printf (sql, ", %s", column);
          g_string_append_printf (values, ", ?%u", c + 2);
        }
      g_string_append_printf (sql, ", json) VALUES (%s, ?%u)", values->str, c + 2);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL), ==, SQLITE_OK);

      for (guint i = 0; i < objects->len; i++)
        {
          GObject *object = g_ptr_array_index (objects, i);
          g_autofree char *id = _enr_store_object_id (object);
          g_autofree char *json = enr_codec_encode_string (object);

          sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
          for (c = 0; c < ENR_STORE_MAX_COLUMNS && infos[t].columns[c] != NULL; c++)
            {
              old_bind_property (stmt, c + 2, object, infos[t].columns[c]);
              n_unset += is_unset (object, infos[t].columns[c]);
            }
          sqlite3_bind_text (stmt, c + 2, json, -1, SQLITE_TRANSIENT);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
          sqlite3_reset (stmt);
        }
      sqlite3_finalize (stmt);
    }
  /* Else the test could not fail on what it is about. */
  g_assert_cmpuint (n_unset, >, 0);
  /* The search index refers to customers by seq. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO customer_fts (rowid, name)"
                                     " SELECT seq, json_extract (json, '$.name') FROM customers",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  /* Every kind, every state; the last two purged since (AUTOINCREMENT
   * never gives their seqs again). */
  for (guint i = 0; i < G_N_ELEMENTS (old_operations) + 2; i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%u", i);
      guint o = i % G_N_ELEMENTS (old_operations);

      g_assert_cmpint (sqlite3_prepare_v2 (db,
                                           "INSERT INTO outbox (idempotency_key, kind, entity_type, entity_id,"
                                           " base_version, method, path, body, state, attempts, last_error,"
                                           " created_at, updated_at, owner)"
                                           " VALUES (?1, ?2, 'service_task', ?3, 3, 'PUT', '/v1/x', ?4, ?5,"
                                           " 2, 'timed out', ?6, ?6, 'clerk')",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, old_operations[o].kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, i % 2 == 0 ? "{\"a\":1}" : NULL, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, old_operations[o].state, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, 1780000000 + i);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
    }
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM outbox WHERE seq > 7", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* Opened: migrated, nothing lost. */
  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (enr_store_get_schema_version (store), ==, ENR_STORE_SCHEMA_VERSION);
  g_assert_true (enr_store_check_integrity (store, &error));
  g_assert_no_error (error);
  db = _enr_store_get_db (store);

  for (guint t = 0; t < n_infos; t++)
    {
      GType type = infos[t].get_type ();
      GPtrArray *objects = g_ptr_array_index (lists, t);

      g_assert_cmpint (enr_store_count (store, type, &error), ==, objects->len);
      for (guint i = 0; i < objects->len; i++)
        {
          GObject *object = g_ptr_array_index (objects, i);
          g_autofree char *id = _enr_store_object_id (object);
          g_autoptr(GObject) found = enr_store_get (store, type, id, &error);

          g_assert_no_error (error);
          if (!enr_codec_equal (object, found))
            g_error ("%s %s changed in the migration", infos[t].name, id);

          /* Each indexed column by the one rule: NULL where the record has none. */
          for (guint c = 0; c < ENR_STORE_MAX_COLUMNS && infos[t].columns[c] != NULL; c++)
            {
              g_autofree char *column = g_strdelimit (g_strdup (infos[t].columns[c]), "-", '_');
              g_autofree char *sql = NULL;

              sql = sqlite3_mprintf ("SELECT %s IS NULL FROM %s WHERE id = %Q", column, infos[t].table, id);
              if (query_int (db, sql) != is_unset (object, infos[t].columns[c]))
                g_error ("%s %s: %s is %sNULL", infos[t].name, id, column,
                         is_unset (object, infos[t].columns[c]) ? "not " : "");
              sqlite3_free (g_steal_pointer (&sql));
            }
        }
    }
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM customers WHERE account_id = ''"), ==, 0);

  /* The search index still points at the customers. */
  {
    GPtrArray *customers = g_ptr_array_index (lists, 0);
    EnrCustomer *first = g_ptr_array_index (customers, 0);
    g_autoptr(GPtrArray) found = enr_store_search_customers (store, enr_customer_get_name (first), 50, &error);
    gboolean seen = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < found->len; i++)
      seen |= g_str_equal (enr_entity_get_id (g_ptr_array_index (found, i)),
                           enr_entity_get_id (ENR_ENTITY (first)));
    g_assert_true (seen);
  }

  /* Every queued operation, as it was (one in flight is pending again). */
  for (guint i = 0; i < G_N_ELEMENTS (old_operations); i++)
    {
      g_autoptr(EnrOperation) operation = enr_outbox_get (enr_store_get_outbox (store), i + 1, &error);
      g_autofree char *key = g_strdup_printf ("key-%u", i);

      g_assert_no_error (error);
      g_assert_cmpstr (enr_operation_get_idempotency_key (operation), ==, key);
      g_assert_cmpint (enr_operation_get_kind (operation), ==, old_operations[i].kind_value);
      g_assert_cmpint (enr_operation_get_state (operation), ==, old_operations[i].state_after);
      g_assert_cmpstr (enr_operation_get_entity_id (operation), ==, key);
      g_assert_cmpint (enr_operation_get_base_version (operation), ==, 3);
      g_assert_cmpstr (enr_operation_get_body (operation), ==, i % 2 == 0 ? "{\"a\":1}" : NULL);
      g_assert_cmpuint (enr_operation_get_attempts (operation), ==, 2);
      g_assert_cmpstr (enr_operation_get_last_error (operation), ==, "timed out");
    }
  g_assert_cmpint (enr_outbox_count_unfinished (enr_store_get_outbox (store), &error), ==, 6);
  g_assert_cmpint (enr_outbox_count (enr_store_get_outbox (store), ENR_OPERATION_STATE_CONFLICT, &error), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'"), ==, 9);
  g_assert_cmpint (query_int (db, "SELECT typeof (kind) = 'integer' AND typeof (state) = 'integer'"
                                  " FROM outbox WHERE seq = 1"), ==, 1);

  /* Opened again: nothing to migrate. */
  g_clear_object (&store);
  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_store_count (store, ENR_TYPE_SERVICE_TASK, &error), ==,
                   ((GPtrArray *) g_ptr_array_index (lists, n_infos - 2))->len);

  g_clear_object (&store);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *file = g_strconcat (path, (const char *[]) { "", "-wal", "-shm" }[i], NULL);

      g_remove (file);
    }
  g_rmdir (directory);
}

/* Cache */

static void
check_round_trip (EnrStore               *store,
                  const EnrStoreTypeInfo *info,
                  GPtrArray              *objects)
{
  GType type = info->get_type ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;

  put_all (store, type, objects);
  /* Putting again replaces, never duplicates. */
  put_all (store, type, objects);
  g_assert_cmpint (enr_store_count (store, type, &error), ==, objects->len);

  for (guint i = 0; i < objects->len; i++)
    {
      gpointer object = g_ptr_array_index (objects, i);
      g_autofree char *id = _enr_store_object_id (object);
      g_autoptr(GObject) found = enr_store_get (store, type, id, &error);

      g_assert_no_error (error);
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (found, type));
      if (!enr_codec_equal (object, found))
        g_error ("%s %s did not survive the store", info->name, id);
    }

  all = enr_store_list (store, type, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, objects->len);

  for (guint c = 0; c < ENR_STORE_MAX_COLUMNS && info->columns[c] != NULL; c++)
    {
      const char *property = info->columns[c];
      gpointer first = g_ptr_array_index (objects, 0);
      g_autofree char *value = member_text (first, property);
      g_autofree char *first_id = _enr_store_object_id (first);
      g_autoptr(GPtrArray) listed = NULL;
      gboolean seen = FALSE;

      if (value == NULL)
        continue;

      listed = enr_store_list (store, type, property, value, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (listed->len, >, 0);
      for (guint i = 0; i < listed->len; i++)
        {
          g_autofree char *other = member_text (g_ptr_array_index (listed, i), property);
          g_autofree char *id = _enr_store_object_id (g_ptr_array_index (listed, i));

          g_assert_cmpstr (other, ==, value);
          seen |= g_str_equal (id, first_id);
        }
      if (!seen)
        g_error ("%s: listing by %s = %s misses %s", info->name, property, value, first_id);
    }
}

static void
test_cache_every_type (Fixture       *fixture,
                       gconstpointer  data)
{
  const EnrStoreTypeInfo *infos;
  g_autoptr(GError) error = NULL;
  guint n_infos;

  infos = _enr_store_type_infos (&n_infos);
  g_assert_cmpuint (n_infos, ==, 21);

  for (guint i = 0; i < n_infos; i++)
    {
      GType type = infos[i].get_type ();
      g_autoptr(GPtrArray) objects = load_sample (infos[i].table, type);

      if (objects == NULL)
        objects = build_objects (type);
      if (objects == NULL)
        g_error ("no test objects for %s", infos[i].name);
      g_assert_cmpuint (objects->len, >=, 2);

      g_assert_true (enr_store_is_cached_type (type));
      g_assert_true (enr_store_type_from_name (infos[i].name) == type);
      g_assert_cmpstr (enr_store_type_get_name (type), ==, infos[i].name);
      check_round_trip (fixture->store, &infos[i], objects);
    }

  /* Everything is still there after a reopen. */
  reopen (fixture);
  for (guint i = 0; i < n_infos; i++)
    g_assert_cmpint (enr_store_count (fixture->store, infos[i].get_type (), &error), >=, 2);
}

static void
test_cache_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) customers = objects_of (make_customer ("cust-1", "A", "ACC-1", NULL, NULL, NULL),
                                               make_customer ("", "B", "ACC-2", NULL, NULL, NULL),
                                               NULL);
  g_autoptr(GPtrArray) programs = NULL;
  gpointer missing;

  missing = enr_store_get (fixture->store, ENR_TYPE_CUSTOMER, "nobody", &error);
  g_assert_null (missing);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (enr_store_get (fixture->store, ENR_TYPE_ANSWER, "x", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (enr_store_is_cached_type (ENR_TYPE_ANSWER));
  g_assert_true (enr_store_type_from_name ("nothing") == G_TYPE_INVALID);

  g_assert_null (enr_store_list (fixture->store, ENR_TYPE_CUSTOMER, "name", "A", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (enr_store_list (fixture->store, ENR_TYPE_PROGRAM, "status", "maybe", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A record without an id rolls the whole batch back. */
  g_assert_false (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, customers, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_CUSTOMER, &error), ==, 0);

  g_assert_false (enr_store_delete (fixture->store, ENR_TYPE_CUSTOMER, "nobody", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Programs come back with their questions, and by enum nick. */
  programs = load_sample ("programs", ENR_TYPE_PROGRAM);
  put_all (fixture->store, ENR_TYPE_PROGRAM, programs);
  {
    g_autoptr(GPtrArray) active = enr_store_list (fixture->store, ENR_TYPE_PROGRAM, "status", "active", &error);
    g_autoptr(EnrProgram) program = enr_store_get (fixture->store, ENR_TYPE_PROGRAM, "prog-tstat", &error);
    guint n_active = 0;

    g_assert_no_error (error);
    for (guint i = 0; i < programs->len; i++)
      n_active += enr_program_get_status (g_ptr_array_index (programs, i)) == ENR_PROGRAM_STATUS_ACTIVE;
    g_assert_cmpuint (active->len, ==, n_active);
    g_assert_cmpuint (enr_program_get_questions (program)->len, >, 0);
  }
}

static void
test_put_speed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  gint64 start;
  double seconds;

  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *id = g_strdup_printf ("cust-%05u", i);
      g_autofree char *name = g_strdup_printf ("Customer %u Smith", i);
      g_autofree char *account = g_strdup_printf ("RPL-%06u", 100000 + i);
      g_autofree char *phone = g_strdup_printf ("(541) 555-%04u", i % 10000);

      g_ptr_array_add (customers, make_customer (id, name, account, phone, NULL, "1 Main St"));
    }

  start = g_get_monotonic_time ();
  put_all (fixture->store, ENR_TYPE_CUSTOMER, customers);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("put 20,000 customers in %.3f s: %.0f records/s", seconds, 20000 / seconds);

  found = enr_store_search_customers (fixture->store, "RPL-119999", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (enr_entity_get_id (g_ptr_array_index (found, 0)), ==, "cust-19999");
}

/* Search */

static void
test_build_match (void)
{
  static const struct
  {
    const char *text;
    const char *match;
  } cases[] = {
    { "maria", "\"maria\"*" },
    { "maria gon", "\"maria\"* AND \"gon\"*" },
    { "  maria\tgon  ", "\"maria\"* AND \"gon\"*" },
    { "555-0101", "(\"5550101\"* OR (\"555\"* AND \"0101\"*))" },
    { "RPL-1000", "(\"RPL1000\"* OR (\"RPL\"* AND \"1000\"*))" },
    { "maria.gonzalez@ex", "\"maria\"* AND \"gonzalez\"* AND \"ex\"*" },
    { "edward.santos17@example.net", "\"edward\"* AND \"santos17\"* AND \"example\"* AND \"net\"*" },
    { "97401-1234", "(\"974011234\"* OR (\"97401\"* AND \"1234\"*))" },
    { "NEAR(", "\"NEAR\"*" },
    { "x\" OR \"y", "\"x\"* AND \"OR\"* AND \"y\"*" },
    { "name:maria", "\"name\"* AND \"maria\"*" },
    { "Müller", "\"Müller\"*" },
    { "\"", NULL },
    { "*", NULL },
    { "( ) : ^ - + \"\" *", NULL },
    { "", NULL },
    { "   ", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *match = _enr_store_build_match (cases[i].text);

      g_assert_cmpstr (match, ==, cases[i].match);
    }
}

static void
test_search_keys (void)
{
  static const struct
  {
    const char *account;
    const char *phone;
    const char *keys;
  } cases[] = {
    { "RPL-100037", "(541) 555-0101", "RPL100037 5415550101 5550101 0101" },
    { "100037", "+1 541-555-0102", "15415550102 5415550102 5550102 0102" },
    { NULL, "555.7788", "5557788 7788" },
    { NULL, "12", "" },
    { "A B", NULL, "AB" },
    { NULL, NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *keys = _enr_store_search_keys (cases[i].account, cases[i].phone);

      g_assert_cmpstr (keys, ==, cases[i].keys);
    }
}

static void
set_up_search (EnrStore *store)
{
  g_autoptr(GPtrArray) customers =
    objects_of (make_customer ("c1", "Maria Gonzalez", "RPL-100037", "(541) 555-0101",
                               "maria.gonzalez@example.net", "1423 Maple Ave, Riverbend, OR 97401"),
                make_customer ("c2", "James Whitaker", "RPL-100074", "+1 541-555-0102",
                               "james.whitaker@example.org", "88 Birch St, Riverbend, OR 97401"),
                make_customer ("c3", "Oak Smith", "RPL-200001", NULL, NULL,
                               "5 Pine Rd, Cedar Falls, OR 97402"),
                make_customer ("c4", "Ana Müller", "RPL-200002", "541.555.7788",
                               "ana@example.org", "12 Oak St, Millbrook, OR 97403"),
                make_customer ("c5", "Mariana Lopez", "RPL-200003", "5415550199",
                               "mlopez@example.com", "9 Elm Ct, Millbrook, OR 97403"),
                NULL);
  g_autoptr(GPtrArray) points = objects_of (make_service_point ("sp3", "77 Quarry Rd, Stonehaven, OR 97404"),
                                            NULL);
  g_autoptr(GPtrArray) services = objects_of (make_metered_service ("ms3", "c3", "sp3"), NULL);

  put_all (store, ENR_TYPE_CUSTOMER, customers);
  put_all (store, ENR_TYPE_SERVICE_POINT, points);
  put_all (store, ENR_TYPE_METERED_SERVICE, services);
}

/* Checks that @text finds exactly @expected (ids separated by spaces; in
 * this order when @ordered). */
static void
assert_search (EnrStore   *store,
               const char *text,
               const char *expected,
               gboolean    ordered)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = enr_store_search_customers (store, text, 50, &error);
  g_auto(GStrv) ids = g_strsplit (expected, " ", -1);
  g_autoptr(GString) got = g_string_new (NULL);
  guint n_expected = expected[0] == '\0' ? 0 : g_strv_length (ids);

  g_assert_no_error (error);
  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (got, "%s%s", i > 0 ? " " : "",
                            enr_entity_get_id (g_ptr_array_index (found, i)));

  if (found->len != n_expected)
    g_error ("search “%s”: expected [%s], got [%s]", text, expected, got->str);

  for (guint i = 0; i < n_expected; i++)
    {
      gboolean seen = FALSE;

      if (ordered)
        seen = g_str_equal (enr_entity_get_id (g_ptr_array_index (found, i)), ids[i]);
      else
        for (guint j = 0; j < found->len; j++)
          seen |= g_str_equal (enr_entity_get_id (g_ptr_array_index (found, j)), ids[i]);

      if (!seen)
        g_error ("search “%s”: expected [%s], got [%s]", text, expected, got->str);
    }
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  static const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    /* names, prefixes, several words in any order */
    { "mar", "c1 c5" },
    { "MARIA", "c1 c5" },
    { "maria gon", "c1" },
    { "gonzalez maria", "c1" },
    { "mariana", "c5" },
    { "muller", "c4" },
    { "müller", "c4" },
    /* phones in any formatting */
    { "5550101", "c1" },
    { "555-0101", "c1" },
    { "(541) 555-0101", "c1" },
    { "541-555-0101", "c1" },
    { "0101", "c1" },
    { "555.7788", "c4" },
    { "541-555-77", "c4" },
    { "5415550199", "c5" },
    { "15415550102", "c2" },
    { "5415550102", "c2" },
    /* accounts and emails */
    { "RPL-1000", "c1 c2" },
    { "rpl100037", "c1" },
    { "100037", "c1" },
    { "maria.gonzalez@ex", "c1" },
    { "example.org", "c2 c4" },
    /* mailing and service point addresses */
    { "riverbend", "c1 c2" },
    { "quarry", "c3" },
    { "stonehaven 97404", "c3" },
    { "97403", "c4 c5" },
    /* hostile input: never an error */
    { "\"", "" },
    { "*", "" },
    { "NEAR(", "" },
    { "NEAR(maria", "" },
    { "AND", "" },
    { "NOT", "" },
    { "OR", "c1 c2 c3 c4 c5" },
    { "maria OR", "c1 c5" },
    { "maria\"", "c1 c5" },
    { "\"maria", "c1 c5" },
    { "{name}: maria", "" },
    { "name:maria", "" },
    { "maria*", "c1 c5" },
    { "^maria", "c1 c5" },
    { "-maria", "c1 c5" },
    { "(maria)", "c1 c5" },
    { "", "" },
    { "   ", "" },
    { "\xff\xfe maria", "c1 c5" },
    { "🙂", "" },
    { "x", "" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GString) long_word = g_string_new (NULL);
  g_autoptr(GString) many_words = g_string_new (NULL);

  set_up_search (fixture->store);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_search (fixture->store, cases[i].text, cases[i].expected, FALSE);

  /* Very long input. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (long_word, 'a');
  assert_search (fixture->store, long_word->str, "", FALSE);
  for (guint i = 0; i < 10000; i++)
    g_string_append (many_words, "maria \"OR\" NEAR( ");
  assert_search (fixture->store, many_words->str, "", FALSE);
  for (guint i = 0; i < 20; i++)
    {
      g_string_truncate (many_words, 0);
      g_string_append (many_words, "maria ");
    }
  assert_search (fixture->store, many_words->str, "c1 c5", FALSE);

  /* Ranking: a name match before an address match. */
  assert_search (fixture->store, "oak", "c3 c4", TRUE);
  assert_search (fixture->store, "maria", "c1 c5", TRUE);

  /* Limits */
  found = enr_store_search_customers (fixture->store, "OR", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = enr_store_search_customers (fixture->store, "maria", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = enr_store_search_customers (fixture->store, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

/* The one customer @text finds, or the search's error. */
static EnrCustomer *
search_one (EnrStore    *store,
            const char  *text,
            GError     **error)
{
  g_autoptr(GPtrArray) found = enr_store_search_customers (store, text, 2, error);

  if (found == NULL)
    return NULL;
  g_assert_cmpuint (found->len, ==, 1);
  return g_object_ref (g_ptr_array_index (found, 0));
}

static void
set_stored_json (EnrStore   *store,
                 const char *id,
                 const char *json)
{
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_prepare_v2 (_enr_store_get_db (store), "UPDATE customers SET json = ?2 WHERE id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

/* The search reads the members a customer has straight from its stored
 * JSON, not through the codec: the same customer as the codec's (every
 * property, escapes, members absent or null), and a record the codec
 * refuses is refused the same way. */
static void
test_search_reads_members (Fixture       *fixture,
                           gconstpointer  data)
{
  static const struct
  {
    const char *json;
    const char *error; /* NULL: read as the codec reads it */
  } records[] = {
    { "{\"id\":\"w1\",\"name\":\"Zed \\\"Q\\\" O\\u2019Neil \\\\ \\ud83d\\ude42\",\"account_id\":\"W-1\","
      "\"phone\":\"(541) 555-0101\",\"email\":\"zed@example.org\",\"mailing_address\":\"1 A St\\nB\"}", NULL },
    { "{\"id\":\"w1\",\"name\":\"Zed Smith\",\"account_id\":\"W-1\",\"phone\":null,\"email\":null}", NULL },
    { "{\"account_id\":\"W-1\",\"name\":\"Zed Smith\",\"id\":\"w1\",\"extra\":[1,{\"phone\":2}]}", NULL },
    { "{\"id\":\"w1\",\"name\":\"Zed Smith\",\"account_id\":\"W-1\",\"phone\":5415550101}", "customer.phone" },
    { "{\"id\":\"w1\",\"name\":\"Zed Smith\",\"account_id\":\"W-1\",\"email\":[\"a\"]}", "customer.email" },
    { "{\"id\":\"w1\",\"name\":\"\",\"account_id\":\"W-1\"}", "customer.name" },
    { "{\"id\":\"w1\",\"account_id\":\"W-1\"}", "customer.name" },
    { "{\"id\":\"w1\",\"name\":{\"first\":\"Zed\"},\"account_id\":\"W-1\"}", "customer.name" },
    { "[\"w1\"]", "customer" },
    { "{\"id\":\"w1\",\"name\":\"Zed", "" },
  };
  g_autoptr(GPtrArray) customers = objects_of (make_customer ("w1", "Zed Smith", "W-1", NULL, NULL, NULL), NULL);

  set_up_search (fixture->store);
  put_all (fixture->store, ENR_TYPE_CUSTOMER, customers);

  /* Every customer put: the same as the codec reads it back. */
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("c%u", i);
      g_autoptr(EnrCustomer) stored = enr_store_get (fixture->store, ENR_TYPE_CUSTOMER, id, NULL);
      g_autoptr(EnrCustomer) found = search_one (fixture->store, enr_customer_get_account_id (stored), NULL);
      g_autofree char *expected = enr_codec_encode_string (stored);
      g_autofree char *got = enr_codec_encode_string (found);

      g_assert_cmpstr (got, ==, expected);
    }

  /* Records written otherwise: the search's customer is the codec's, or
   * the codec's error. The index keeps the put customer's words. */
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autoptr(GError) codec_error = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(EnrCustomer) expected = enr_codec_decode_data (ENR_TYPE_CUSTOMER, records[i].json, -1, &codec_error);
      g_autoptr(EnrCustomer) found = NULL;

      set_stored_json (fixture->store, "w1", records[i].json);
      found = search_one (fixture->store, "zed smith", &error);
      if (records[i].error == NULL)
        {
          g_autofree char *expected_json = NULL;
          g_autofree char *got = NULL;

          g_assert_no_error (codec_error);
          g_assert_no_error (error);
          expected_json = enr_codec_encode_string (expected);
          got = enr_codec_encode_string (found);
          g_assert_cmpstr (got, ==, expected_json);
        }
      else
        {
          g_autofree char *message = NULL;

          g_assert_nonnull (codec_error);
          g_assert_null (found);
          g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE);
          message = g_strdup_printf ("A stored record could not be read: %s", codec_error->message);
          g_assert_cmpstr (error->message, ==, message);
          g_assert_true (g_str_has_prefix (codec_error->message, records[i].error));
        }
    }
}

static void
test_search_follows_changes (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) moved = objects_of (make_service_point ("sp3", "9 Granite Way, Stonehaven, OR 97404"),
                                           NULL);
  g_autoptr(GPtrArray) renamed = objects_of (make_customer ("c3", "Oakley Smythe", "RPL-200001", NULL, NULL,
                                                            "5 Pine Rd, Cedar Falls, OR 97402"),
                                             NULL);
  g_autoptr(GPtrArray) second_service = objects_of (make_metered_service ("ms4", "c4", "sp3"), NULL);
  g_autoptr(GPtrArray) reassigned = objects_of (make_metered_service ("ms4", "c5", "sp3"), NULL);

  set_up_search (fixture->store);

  /* A service point's new address reaches its customers. */
  put_all (fixture->store, ENR_TYPE_SERVICE_POINT, moved);
  assert_search (fixture->store, "quarry", "", FALSE);
  assert_search (fixture->store, "granite", "c3", FALSE);

  /* So does a new metered service, and moving it to another customer. */
  put_all (fixture->store, ENR_TYPE_METERED_SERVICE, second_service);
  assert_search (fixture->store, "granite", "c3 c4", FALSE);
  put_all (fixture->store, ENR_TYPE_METERED_SERVICE, reassigned);
  assert_search (fixture->store, "granite", "c3 c5", FALSE);

  /* A renamed customer */
  put_all (fixture->store, ENR_TYPE_CUSTOMER, renamed);
  assert_search (fixture->store, "smith", "", FALSE);
  assert_search (fixture->store, "smythe", "c3", FALSE);

  /* Deletions */
  g_assert_true (enr_store_delete (fixture->store, ENR_TYPE_METERED_SERVICE, "ms3", &error));
  g_assert_no_error (error);
  assert_search (fixture->store, "granite", "c5", FALSE);
  g_assert_true (enr_store_delete (fixture->store, ENR_TYPE_SERVICE_POINT, "sp3", &error));
  g_assert_no_error (error);
  assert_search (fixture->store, "granite", "", FALSE);
  g_assert_true (enr_store_delete (fixture->store, ENR_TYPE_CUSTOMER, "c1", &error));
  g_assert_no_error (error);
  assert_search (fixture->store, "maria", "c5", FALSE);
  assert_search (fixture->store, "5550101", "", FALSE);

  /* The index survives a reopen. */
  reopen (fixture);
  assert_search (fixture->store, "mariana", "c5", FALSE);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
}

/* The lazy stage alone, and the exact stage behind it. */
static void
test_search_two_stages (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < ENR_STORE_SEARCH_CANDIDATES + 200; i++)
    {
      g_autofree char *id = g_strdup_printf ("j%04u", i);
      g_autofree char *account = g_strdup_printf ("ACC-%04u", i);

      g_ptr_array_add (customers, make_customer (id, "Pat Johnson", account, NULL, NULL, NULL));
    }
  g_ptr_array_add (customers, make_customer ("v1", "Lee Johnsonville", "V-1", NULL, NULL, NULL));
  g_ptr_array_add (customers, make_customer ("v2", "Kim Johnsonville", "V-2", NULL, NULL, NULL));
  g_ptr_array_add (customers, make_customer ("v3", "Johnstone Johnsonville", "V-3", NULL, NULL, NULL));
  put_all (fixture->store, ENR_TYPE_CUSTOMER, customers);

  /* The first candidates of "joh"* are all Johnsons: the exact query
   * finds the three Johnsonvilles. */
  assert_search (fixture->store, "johnsonv", "v1 v2 v3", FALSE);
  assert_search (fixture->store, "johnsonville lee", "v1", FALSE);
  assert_search (fixture->store, "johnst", "v3", FALSE);

  /* Enough Johnsons among the lazy candidates. */
  found = enr_store_search_customers (fixture->store, "johnson", 25, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 25);
  for (guint i = 0; i < found->len; i++)
    g_assert_nonnull (strstr (enr_customer_get_name (g_ptr_array_index (found, i)), "Johnson"));
  g_clear_pointer (&found, g_ptr_array_unref);

  /* "ACC-1" is cut to "acc"* and checked: only accounts starting ACC1. */
  found = enr_store_search_customers (fixture->store, "ACC-1", 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 200);
  for (guint i = 0; i < found->len; i++)
    g_assert_true (g_str_has_prefix (enr_customer_get_account_id (g_ptr_array_index (found, i)), "ACC-1"));
}

/* Customers for comparing two search paths: names, streets and cities
 * that share their first three letters (the cut query's prefix), names
 * with accents, many namesakes (ties broken by order), accounts and phones
 * with punctuation; "joh" matches more than ENR_STORE_SEARCH_CANDIDATES
 * of them, so some searches fall back to the exact query. */
static void
set_up_many_customers (EnrStore *store,
                       guint     n)
{
  static const char * const first[] = {
    "Maria", "Mariana", "Marius", "Martin", "José", "Josefa", "John", "Johanna",
    "Jon", "Zoë", "Åsa", "Ana", "Anabel", "Lee", "Li", "Kim", "Pat", "Oak",
  };
  static const char * const last[] = {
    "Johnson", "Johnston", "Johansen", "Johns", "Johnsonville", "Jones", "Smith",
    "Smithers", "Smythe", "Martinez", "Marsh", "Marshall", "Müller", "Mueller",
    "Muller", "Gonzalez", "González", "Garcia", "Gardner", "Oakley",
  };
  static const char * const streets[] = {
    "Johnson Ave", "Maple Ave", "Martin Rd", "Marsh Ln", "Smith St", "Oak St",
    "Müllerweg", "Joh Ct", "Garden Way",
  };
  static const char * const cities[] = {
    "Riverbend", "Rivera", "Johnsonburg", "Marshfield", "Millbrook", "Smithtown",
  };
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%05u", i);
      g_autofree char *name = NULL;
      g_autofree char *account = g_strdup_printf (i % 5 == 0 ? "RPL%u" : "RPL-%u", 100000 + i * 7 % 3000);
      g_autofree char *phone = i % 4 == 3 ? NULL
                             : g_strdup_printf (i % 2 ? "(541) 555-%04u" : "541.55%u.%04u",
                                                i % 2 ? i * 37 % 10000 : i % 10, i * 13 % 10000);
      g_autofree char *email = NULL;
      g_autofree char *address = g_strdup_printf ("%u %s, %s, OR 974%02u", 1 + i * 11 % 500,
                                                  streets[i * 7 % G_N_ELEMENTS (streets)],
                                                  cities[i * 5 % G_N_ELEMENTS (cities)], i % 13);
      const char *given = first[i * 3 % G_N_ELEMENTS (first)];
      const char *family = last[(i * 7 + i / 40) % G_N_ELEMENTS (last)];

      /* Namesakes: every 9th customer is one of a few. */
      if (i % 9 == 0)
        name = g_strdup_printf ("%s %s", first[i % 3], last[i % 2]);
      else if (i % 11 == 0)
        name = g_strdup_printf ("%s %s-%s", given, family, last[i % G_N_ELEMENTS (last)]);
      else
        name = g_strdup_printf ("%s %s", given, family);
      if (i % 3 != 1)
        email = g_strdup_printf ("%s.%s%u@example.%s", given, family, i % 17, i % 2 ? "org" : "net");

      g_ptr_array_add (customers, make_customer (id, name, account, phone, email, address));
    }

  put_all (store, ENR_TYPE_CUSTOMER, customers);
}

static char *
found_ids (GPtrArray *found)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", enr_entity_get_id (g_ptr_array_index (found, i)));

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* Checking the candidates best bound first, only as far as the rows shown
 * need, finds what checking every candidate found: the same customers in
 * the same order, for every prefix of many texts, at several limits. */
static void
test_search_checks_best_first (Fixture       *fixture,
                               gconstpointer  data)
{
  static const char * const texts[] = {
    /* names: long prefixes cut to three letters, namesakes */
    "johnson", "johnsonville", "johnston", "johansen", "johns", "jones", "johnsonv",
    "johnsonx", "john johnson", "johanna johnston", "jon jones", "maria johnson",
    "mariana johnsonville", "marius", "martin", "martinez", "martin martinez",
    "marsh", "marshall", "marshfield", "smith", "smithers", "smythe", "smithtown",
    "müller", "mueller", "muller", "muller ana", "gonzalez", "gonzález", "garcia",
    "gardner", "garden", "oakley", "oak oakley", "zoë", "zoe smith", "åsa", "asa",
    "josé", "jose gonzalez", "josefa", "anabel", "ana", "lee johns", "li smith",
    "kim marsh", "pat", "pat johansen", "johnsonburg", "johnson ave", "johnson-smith",
    "smithers-johns", "jo", "j", "m", "mar", "marx", "johnsonvillex", "zzzz",
    /* accounts, phones, emails, addresses */
    "RPL-1000", "RPL-10001", "rpl100", "rpl-102", "RPL-1029", "102345", "RPL 1000",
    "541", "555", "(541) 555-0", "541-555-01", "555-0101", "555.1", "5415", "0101", "1234",
    "maria.johnson", "john.johnson3@example.org", "example.net", "example.org johnson",
    "riverbend", "rivera", "river", "millbrook", "1 johnson", "12 maple", "maple ave",
    "or 97401", "97412", "müllerweg", "mullerweg 3", "oak st", "john smith", "ana marsh",
    "555-01", "RPL-10",
  };
  static const guint limits[] = { 1, 5, ENR_STORE_SEARCH_CANDIDATES / 40, 300 };
  guint compared = 0, found_some = 0;
  EnrStoreSearchCounts counts;
  g_autoptr(GPtrArray) smiths = NULL;
  g_autoptr(GError) smiths_error = NULL;

  set_up_many_customers (fixture->store, 2600);

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
      {
        glong n_chars = g_utf8_strlen (texts[t], -1);

        for (glong k = 1; k <= n_chars; k++)
          {
            g_autofree char *prefix = g_utf8_substring (texts[t], 0, k);
            g_autoptr(GError) error = NULL;
            g_autoptr(GPtrArray) expected =
              _enr_store_search_customers_checking_all (fixture->store, prefix, limits[l], &error);
            g_autoptr(GPtrArray) found = NULL;
            g_autofree char *expected_ids = NULL;
            g_autofree char *found_ids_ = NULL;

            g_assert_no_error (error);
            found = enr_store_search_customers (fixture->store, prefix, limits[l], &error);
            g_assert_no_error (error);

            expected_ids = found_ids (expected);
            found_ids_ = found_ids (found);
            if (g_strcmp0 (expected_ids, found_ids_) != 0)
              g_error ("search “%s”, limit %u: expected [%s], got [%s]",
                       prefix, limits[l], expected_ids, found_ids_);
            compared++;
            found_some += found->len > 0;
          }
      }

  /* The comparison is not of empty results; it went through the cut
   * queries, and through their fallback to the exact query; and far fewer
   * rows were checked than ranked. */
  g_assert_cmpuint (found_some, >, compared * 3 / 4);
  counts = fixture->store->search_counts;
  g_test_message ("%u searches: %" G_GUINT64_FORMAT " cut queries run (%" G_GUINT64_FORMAT
                  " of them cut nothing), %" G_GUINT64_FORMAT " reused, %"
                  G_GUINT64_FORMAT " rows ranked, %" G_GUINT64_FORMAT " checked, %" G_GUINT64_FORMAT
                  " exact queries after a cut one",
                  compared, counts.lazy_stages, counts.whole_stages, counts.kept_stages, counts.ranked,
                  counts.checked, counts.exact_queries);
  g_assert_cmpuint (counts.lazy_stages + counts.kept_stages, >, compared / 2);
  g_assert_cmpuint (counts.kept_stages, >, counts.lazy_stages - counts.whole_stages);
  g_assert_cmpuint (counts.whole_stages, >, 0);
  g_assert_cmpuint (counts.exact_queries, >, 0);
  g_assert_cmpuint (counts.checked, <, counts.ranked);

  /* A common name cut to its prefix, a few rows shown: a few checks. */
  smiths = enr_store_search_customers (fixture->store, "smith", 5, &smiths_error);
  g_assert_no_error (smiths_error);
  g_assert_cmpuint (smiths->len, ==, 5);
  g_assert_cmpuint (fixture->store->search_counts.ranked - counts.ranked, >=, ENR_STORE_SEARCH_CANDIDATES / 2);
  g_assert_cmpuint (fixture->store->search_counts.checked - counts.checked, <=, ENR_STORE_SEARCH_CANDIDATES / 20);
}

/* Checks that @text finds @expected, and whether the search ran its cut
 * query (else it reused the last keystroke's). */
static void
assert_search_stage (EnrStore   *store,
                     const char *text,
                     const char *expected,
                     gboolean    ran)
{
  EnrStoreSearchCounts before = store->search_counts;

  assert_search (store, text, expected, FALSE);
  if (store->search_counts.lazy_stages - before.lazy_stages != (ran ? 1 : 0) ||
      store->search_counts.kept_stages - before.kept_stages != (ran ? 0 : 1))
    g_error ("search “%s”: expected the cut query %s", text, ran ? "run" : "reused");
}

/* Typing on reuses the last keystroke's cut query while every word only
 * grew; a write to the search index, or another connection's commit,
 * drops it. */
static void
test_search_keeps_lazy_stage (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) added = objects_of (make_customer ("v2", "Ann Johnsonvale", "V-2", NULL, NULL, NULL),
                                           NULL);
  g_autoptr(GPtrArray) renamed = objects_of (make_customer ("s1", "Kim Johnsonvalley", "S-1", NULL, NULL, NULL),
                                             NULL);
  g_autoptr(GPtrArray) elsewhere = objects_of (make_customer ("v3", "Bo Johnsonvaler", "V-3", NULL, NULL, NULL),
                                               NULL);
  g_autoptr(GString) johnsons = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) other = NULL;
  g_autofree char *all = NULL;
  g_autofree char *johnsons_v1 = NULL;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *id = g_strdup_printf ("j%02u", i);
      g_autofree char *account = g_strdup_printf ("ACC-%02u", i);

      g_ptr_array_add (customers, make_customer (id, "Pat Johnson", account, NULL, NULL, NULL));
      g_string_append_printf (johnsons, "%s ", id);
    }
  g_ptr_array_add (customers, make_customer ("v1", "Lee Johnsonville", "V-1", NULL, NULL, NULL));
  g_ptr_array_add (customers, make_customer ("s1", "Kim Johnsen", "S-1", NULL, NULL, NULL));
  put_all (fixture->store, ENR_TYPE_CUSTOMER, customers);
  all = g_strconcat (johnsons->str, "v1 s1", NULL);
  johnsons_v1 = g_strconcat (johnsons->str, "v1", NULL);

  /* "joh"* each time: "joh" itself, cut from nothing, keeps its rows
   * for "john"; the rows "johnso" failed are not checked again, and
   * "johnsen" (not grown from "johnso") runs the query again. */
  assert_search_stage (fixture->store, "joh", all, TRUE);
  assert_search_stage (fixture->store, "john", all, FALSE);
  assert_search_stage (fixture->store, "johns", all, FALSE);
  assert_search_stage (fixture->store, "johnso", johnsons_v1, FALSE);
  assert_search_stage (fixture->store, "johnsen", "s1", TRUE);
  assert_search_stage (fixture->store, "johnso", johnsons_v1, TRUE);
  assert_search_stage (fixture->store, "johnsonv", "v1", FALSE);

  /* A customer added, one renamed: the search index changed. */
  put_all (fixture->store, ENR_TYPE_CUSTOMER, added);
  assert_search_stage (fixture->store, "johnsonva", "v2", TRUE);
  put_all (fixture->store, ENR_TYPE_CUSTOMER, renamed);
  assert_search_stage (fixture->store, "johnsonval", "v2 s1", TRUE);
  assert_search_stage (fixture->store, "johnsonvall", "s1", FALSE);

  /* Another connection commits a customer. */
  assert_search_stage (fixture->store, "johnsonva", "v2 s1", TRUE);
  other = enr_store_new (fixture->path, NULL, &error);
  g_assert_no_error (error);
  put_all (other, ENR_TYPE_CUSTOMER, elsewhere);
  assert_search_stage (fixture->store, "johnsonval", "v2 s1 v3", TRUE);
  assert_search_stage (fixture->store, "johnsonvale", "v2 v3", FALSE);
}

/* Drafts */

static void
test_drafts (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrProcessFlow) flow = make_flow ("flow-1", make_simple_task ("task-1"));
  g_autoptr(EnrProcessFlow) closed = make_flow ("flow-2", make_simple_task ("task-2"));
  g_autoptr(EnrProcessFlow) loaded = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(EnrAnswer) answer = enr_answer_new ();
  static const char * const yes[] = { "yes", NULL };
  EnrProcessFlow *missing;

  enr_process_flow_set_status (closed, ENR_FLOW_STATUS_CLOSED);

  g_assert_true (enr_store_save_draft (fixture->store, flow, &error));
  g_assert_no_error (error);
  g_assert_true (enr_store_save_draft (fixture->store, closed, &error));

  /* Every change is saved again: the last one wins. */
  enr_answer_set_question_id (answer, "q-tstat-cac");
  enr_answer_set_values (answer, yes);
  enr_service_task_add_answer (enr_process_flow_get_task (flow), answer);
  enr_process_flow_set_current_panel (flow, ENR_PANEL_DEVICE_SETUP);
  g_assert_true (enr_store_save_draft (fixture->store, flow, &error));

  reopen (fixture);
  loaded = enr_store_load_draft (fixture->store, "flow-1", &error);
  g_assert_no_error (error);
  g_assert_true (enr_codec_equal (flow, loaded));
  g_assert_cmpint (enr_process_flow_get_current_panel (loaded), ==, ENR_PANEL_DEVICE_SETUP);
  g_assert_cmpuint (enr_service_task_get_answers (enr_process_flow_get_task (loaded))->len, ==, 1);

  drafts = enr_store_list_drafts (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (enr_entity_get_id (g_ptr_array_index (drafts, 0)), ==, "flow-1");

  g_assert_true (enr_store_delete_draft (fixture->store, "flow-1", &error));
  missing = enr_store_load_draft (fixture->store, "flow-1", &error);
  g_assert_null (missing);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
}

/* Outbox */

static EnrOperation *
queue_task (EnrStore         *store,
            EnrServiceTask   *task,
            EnrOperationKind  kind)
{
  g_autoptr(GError) error = NULL;
  EnrOperation *operation = enr_store_save_task_with_operation (store, task, kind, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (operation);
  return operation;
}

static void
assert_next (EnrOutbox  *outbox,
             gint64     *expected,
             guint       n_expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) next = enr_outbox_next (outbox, "clerk", 100, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (next->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpint (enr_operation_get_seq (g_ptr_array_index (next, i)), ==, expected[i]);
}

static void
on_outbox_changed_cb (EnrOutbox *outbox,
                      guint     *count)
{
  (*count)++;
}

static void
test_outbox_requests (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = make_simple_task ("task/1");
  g_autoptr(EnrCustomerCommunication) communication = make_communication ("comm-1", "cust-1");
  g_autoptr(EnrOperation) create = NULL;
  g_autoptr(EnrOperation) save = NULL;
  g_autoptr(EnrOperation) finish = NULL;
  g_autoptr(EnrOperation) reschedule = NULL;
  g_autoptr(EnrOperation) cancel = NULL;
  g_autoptr(EnrOperation) complete = NULL;
  g_autoptr(EnrOperation) logged = NULL;
  g_autoptr(EnrServiceTask) stored = NULL;
  g_autoptr(EnrServiceTask) unsaved = make_simple_task ("task-2");
  g_autofree char *body = NULL;
  EnrOperation *failed;
  guint changed = 0;

  g_signal_connect (enr_store_get_outbox (fixture->store), "changed",
                    G_CALLBACK (on_outbox_changed_cb), &changed);

  create = queue_task (fixture->store, task, ENR_OPERATION_KIND_CREATE_TASK);
  g_assert_cmpuint (changed, ==, 1);
  body = enr_codec_encode_string (task);
  g_assert_cmpstr (enr_operation_get_method (create), ==, "POST");
  g_assert_cmpstr (enr_operation_get_path (create), ==, "/v1/service-tasks");
  g_assert_cmpstr (enr_operation_get_body (create), ==, body);
  g_assert_cmpstr (enr_operation_get_entity_type (create), ==, "service_task");
  g_assert_cmpstr (enr_operation_get_entity_id (create), ==, "task/1");
  g_assert_cmpint (enr_operation_get_state (create), ==, ENR_OPERATION_STATE_PENDING);
  g_assert_cmpint (enr_operation_get_kind (create), ==, ENR_OPERATION_KIND_CREATE_TASK);
  g_assert_cmpuint (enr_operation_get_attempts (create), ==, 0);
  g_assert_null (enr_operation_get_last_error (create));
  g_assert_true (g_uuid_string_is_valid (enr_operation_get_idempotency_key (create)));
  g_assert_cmpint (enr_operation_get_created_at (create), >, 0);

  /* The entity was written in the same transaction. */
  stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task/1", &error);
  g_assert_no_error (error);
  g_assert_true (enr_codec_equal (stored, task));

  enr_service_task_set_version (task, 4);
  save = queue_task (fixture->store, task, ENR_OPERATION_KIND_SAVE_TASK);
  g_assert_cmpstr (enr_operation_get_method (save), ==, "PUT");
  g_assert_cmpstr (enr_operation_get_path (save), ==, "/v1/service-tasks/task%2F1");
  g_assert_cmpint (enr_operation_get_base_version (save), ==, 4);
  g_assert_cmpstr (enr_operation_get_idempotency_key (save), !=,
                   enr_operation_get_idempotency_key (create));

  finish = queue_task (fixture->store, task, ENR_OPERATION_KIND_FINISH_TASK);
  g_assert_cmpstr (enr_operation_get_path (finish), ==, "/v1/service-tasks/task%2F1/finish");
  g_assert_cmpstr (enr_operation_get_body (finish), ==, "{}");
  cancel = enr_store_save_task_with_operation (fixture->store, task, ENR_OPERATION_KIND_CANCEL_TASK,
                                               "{\"reason\":\"customer moved\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_operation_get_path (cancel), ==, "/v1/service-tasks/task%2F1/cancel");
  g_assert_cmpstr (enr_operation_get_body (cancel), ==, "{\"reason\":\"customer moved\"}");
  complete = queue_task (fixture->store, task, ENR_OPERATION_KIND_COMPLETE_FIELD_WORK);
  g_assert_cmpstr (enr_operation_get_path (complete), ==,
                   "/v1/service-tasks/task%2F1/complete-field-work");
  reschedule = enr_store_save_task_with_operation (fixture->store, task, ENR_OPERATION_KIND_RESCHEDULE,
                                                   "{\"moves\":[]}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_operation_get_path (reschedule), ==, "/v1/service-tasks/task%2F1/reschedule");

  logged = enr_store_save_communication_with_operation (fixture->store, communication, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_operation_get_path (logged), ==, "/v1/communications");
  g_assert_cmpstr (enr_operation_get_entity_type (logged), ==, "customer_communication");
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_CUSTOMER_COMMUNICATION, &error), ==, 1);

  /* A refused operation leaves the entity unwritten too. */
  failed = enr_store_save_task_with_operation (fixture->store, unsaved, ENR_OPERATION_KIND_RESCHEDULE,
                                               NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-2", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (enr_outbox_count (enr_store_get_outbox (fixture->store),
                                     ENR_OPERATION_STATE_PENDING, &error), ==, 7);
  g_assert_cmpuint (changed, ==, 7);
}

/* A supervisor's change: the task, the records it touches and its
 * operation in one transaction; the entity's operations listed. */
static void
test_outbox_with_records (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = make_simple_task ("task-1");
  g_autoptr(EnrServiceTask) other_task = make_simple_task ("task-2");
  g_autoptr(EnrAppointment) appointment = make_appointment ("appt-1", "task-1", 9);
  g_autoptr(EnrProcessFlow) flow = make_flow ("flow-1", make_simple_task ("task-1"));
  g_autoptr(EnrAppointment) refused = make_appointment ("appt-2", "task-1", 11);
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(EnrOperation) create = NULL;
  g_autoptr(EnrOperation) other = NULL;
  g_autoptr(EnrOperation) cancel = NULL;
  g_autoptr(EnrAppointment) stored_appointment = NULL;
  g_autoptr(EnrProcessFlow) stored_flow = NULL;
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  EnrOperation *failed;

  create = queue_task (fixture->store, task, ENR_OPERATION_KIND_CREATE_TASK);
  other = queue_task (fixture->store, other_task, ENR_OPERATION_KIND_CREATE_TASK);

  enr_appointment_set_status (appointment, ENR_APPOINTMENT_STATUS_RELEASED);
  enr_process_flow_set_status (flow, ENR_FLOW_STATUS_CANCELED);
  g_ptr_array_add (others, appointment);
  g_ptr_array_add (others, flow);
  enr_service_task_set_status (task, ENR_TASK_STATUS_CANCELED);
  cancel = enr_store_save_task_with_operation_full (fixture->store, task, others,
                                                    ENR_OPERATION_KIND_CANCEL_TASK,
                                                    "{\"reason\":\"moved\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_operation_get_body (cancel), ==, "{\"reason\":\"moved\"}");

  stored_appointment = enr_store_get (fixture->store, ENR_TYPE_APPOINTMENT, "appt-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_appointment_get_status (stored_appointment), ==, ENR_APPOINTMENT_STATUS_RELEASED);
  stored_flow = enr_store_load_draft (fixture->store, "flow-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_process_flow_get_status (stored_flow), ==, ENR_FLOW_STATUS_CANCELED);

  /* Refused (reschedule needs a body): nothing of it is written. */
  g_ptr_array_set_size (others, 0);
  g_ptr_array_add (others, refused);
  failed = enr_store_save_task_with_operation_full (fixture->store, task, others,
                                                    ENR_OPERATION_KIND_RESCHEDULE, NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (enr_store_get (fixture->store, ENR_TYPE_APPOINTMENT, "appt-2", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Only a cached type goes with the task. */
  g_ptr_array_set_size (others, 0);
  g_ptr_array_add (others, outbox);
  g_assert_null (enr_store_save_task_with_operation_full (fixture->store, task, others,
                                                          ENR_OPERATION_KIND_SAVE_TASK, NULL, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* The task's operations the service has not acknowledged, in order. */
  g_assert_true (enr_outbox_mark_done (outbox, enr_operation_get_seq (create), NULL, 1, &error));
  g_assert_no_error (error);
  listed = enr_outbox_list_of_entity (outbox, "service_task", "task-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpint (enr_operation_get_seq (g_ptr_array_index (listed, 0)), ==,
                   enr_operation_get_seq (cancel));
  g_clear_pointer (&listed, g_ptr_array_unref);

  listed = enr_outbox_list_of_entity (outbox, "service_task", "task-2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpint (enr_operation_get_seq (g_ptr_array_index (listed, 0)), ==,
                   enr_operation_get_seq (other));
  g_clear_pointer (&listed, g_ptr_array_unref);

  listed = enr_outbox_list_of_entity (outbox, "service_task", "task-none", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 0);
}

/* A communication about a task never goes out before the operations
 * queued earlier on that task: the service, which may answer requests in
 * any order, would not know the task yet. */
static void
test_outbox_communication_after_task (Fixture       *fixture,
                                      gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = make_simple_task ("task-1");
  g_autoptr(EnrCustomerCommunication) about_task = make_communication ("comm-task", "cust-1");
  g_autoptr(EnrCustomerCommunication) alone = make_communication ("comm-alone", "cust-1");
  g_autoptr(EnrCustomerCommunication) earlier = make_communication ("comm-earlier", "cust-1");
  g_autoptr(EnrOperation) before = NULL, create = NULL, letter = NULL, other = NULL;

  /* Queued before the task's create: nothing to wait for. */
  before = enr_store_save_communication_with_operation (fixture->store, earlier, &error);
  g_assert_no_error (error);
  create = queue_task (fixture->store, task, ENR_OPERATION_KIND_CREATE_TASK);
  letter = enr_store_save_communication_with_operation (fixture->store, about_task, &error);
  g_assert_no_error (error);
  enr_customer_communication_set_service_task_id (alone, NULL);
  other = enr_store_save_communication_with_operation (fixture->store, alone, &error);
  g_assert_no_error (error);

  assert_next (outbox, (gint64[]) { enr_operation_get_seq (before), enr_operation_get_seq (create),
                                    enr_operation_get_seq (other) }, 3);

  /* In flight is not done yet. */
  g_assert_true (enr_outbox_mark_in_flight (outbox, enr_operation_get_seq (create), &error));
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (before), enr_operation_get_seq (other) }, 2);

  g_assert_true (enr_outbox_mark_done (outbox, enr_operation_get_seq (create), NULL, 1, &error));
  g_assert_no_error (error);
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (before), enr_operation_get_seq (letter),
                                    enr_operation_get_seq (other) }, 3);
}

static void
test_outbox_order (Fixture       *fixture,
                   gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) a = make_simple_task ("task-a");
  g_autoptr(EnrServiceTask) b = make_simple_task ("task-b");
  g_autoptr(EnrServiceTask) c = make_simple_task ("task-c");
  g_autoptr(EnrServiceTask) stored = NULL;
  g_autoptr(EnrProcessFlow) flow = make_flow ("flow-a", g_object_ref (a));
  g_autoptr(EnrProcessFlow) loaded = NULL;
  g_autoptr(EnrOperation) a1 = NULL, a2 = NULL, a3 = NULL, b1 = NULL, b2 = NULL;
  g_autoptr(EnrOperation) c1 = NULL, c2 = NULL, d1 = NULL;
  g_autoptr(EnrOperation) check = NULL;
  g_autoptr(EnrCustomerCommunication) communication = make_communication ("comm-d", "cust-1");
  gint64 later = g_get_real_time () + (gint64) 3600 * G_USEC_PER_SEC;

  a1 = enr_store_save_flow_with_operation (fixture->store, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL, &error);
  g_assert_no_error (error);
  b1 = queue_task (fixture->store, b, ENR_OPERATION_KIND_CREATE_TASK);
  a2 = queue_task (fixture->store, a, ENR_OPERATION_KIND_SAVE_TASK);
  a3 = queue_task (fixture->store, a, ENR_OPERATION_KIND_FINISH_TASK);
  g_assert_cmpint (enr_operation_get_base_version (a2), ==, 0);

  /* One head per entity, in queue order. */
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (a1), enr_operation_get_seq (b1) }, 2);

  g_assert_true (enr_outbox_mark_in_flight (outbox, enr_operation_get_seq (a1), &error));
  g_assert_no_error (error);
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (b1) }, 1);
  g_assert_false (enr_outbox_mark_in_flight (outbox, enr_operation_get_seq (a1), &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Done with a version: the later operations are rebased on it, and the
   * local copies take it. */
  g_assert_true (enr_outbox_mark_done (outbox, enr_operation_get_seq (a1), "{\"version\":1}", 1, &error));
  g_assert_no_error (error);
  check = enr_outbox_get (outbox, enr_operation_get_seq (a1), &error);
  g_assert_cmpint (enr_operation_get_state (check), ==, ENR_OPERATION_STATE_DONE);
  g_assert_cmpstr (enr_operation_get_response (check), ==, "{\"version\":1}");
  g_assert_cmpuint (enr_operation_get_attempts (check), ==, 1);
  g_clear_object (&check);
  check = enr_outbox_get (outbox, enr_operation_get_seq (a3), &error);
  g_assert_cmpint (enr_operation_get_base_version (check), ==, 1);
  g_clear_object (&check);
  stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-a", &error);
  g_assert_cmpint (enr_service_task_get_version (stored), ==, 1);
  loaded = enr_store_load_draft (fixture->store, "flow-a", &error);
  g_assert_cmpint (enr_service_task_get_version (enr_process_flow_get_task (loaded)), ==, 1);

  assert_next (outbox, (gint64[]) { enr_operation_get_seq (b1), enr_operation_get_seq (a2) }, 2);
  check = enr_outbox_get (outbox, enr_operation_get_seq (a2), &error);
  g_assert_cmpint (enr_operation_get_base_version (check), ==, 1);
  g_clear_object (&check);

  /* A conflict blocks its own entity only. */
  g_assert_true (enr_outbox_mark_conflict (outbox, enr_operation_get_seq (a2), "{}", "stale", &error));
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (b1) }, 1);

  /* A retry later: the entity waits until then. */
  g_assert_true (enr_outbox_mark_retry (outbox, enr_operation_get_seq (b1), "connection reset", later, &error));
  g_assert_no_error (error);
  assert_next (outbox, NULL, 0);
  g_assert_cmpint (enr_outbox_get_next_attempt_at (outbox, "clerk", &error), ==, later);
  check = enr_outbox_get (outbox, enr_operation_get_seq (b1), &error);
  g_assert_cmpint (enr_operation_get_state (check), ==, ENR_OPERATION_STATE_PENDING);
  g_assert_cmpstr (enr_operation_get_last_error (check), ==, "connection reset");
  g_assert_cmpuint (enr_operation_get_attempts (check), ==, 1);
  g_assert_cmpint (enr_operation_get_next_attempt_at (check), ==, later);
  g_assert_cmpstr (enr_operation_get_idempotency_key (check), ==, enr_operation_get_idempotency_key (b1));
  g_clear_object (&check);

  /* A rejection blocks its own entity only, too. */
  b2 = queue_task (fixture->store, b, ENR_OPERATION_KIND_SAVE_TASK);
  c1 = queue_task (fixture->store, c, ENR_OPERATION_KIND_CREATE_TASK);
  c2 = queue_task (fixture->store, c, ENR_OPERATION_KIND_SAVE_TASK);
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (c1) }, 1);
  g_assert_true (enr_outbox_mark_rejected (outbox, enr_operation_get_seq (c1), "program closed", NULL, NULL, &error));
  check = enr_outbox_get (outbox, enr_operation_get_seq (c1), &error);
  g_assert_cmpstr (enr_operation_get_reason (check), ==, "program closed");
  g_clear_object (&check);
  assert_next (outbox, NULL, 0);
  g_assert_cmpint (enr_outbox_get_next_attempt_at (outbox, "clerk", &error), ==, later);

  d1 = enr_store_save_communication_with_operation (fixture->store, communication, &error);
  g_assert_no_error (error);
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (d1) }, 1);

  /* Counts for the GUI. */
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_PENDING, &error), ==, 5);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_IN_FLIGHT, &error), ==, 0);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_DONE, &error), ==, 1);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, &error), ==, 1);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_REJECTED, &error), ==, 1);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) conflicts = enr_outbox_list (outbox, ENR_OPERATION_STATE_CONFLICT, &error);
    g_autoptr(GPtrArray) rejected = enr_outbox_list (outbox, ENR_OPERATION_STATE_REJECTED, &error);

    g_assert_cmpuint (conflicts->len, ==, 1);
    g_assert_cmpint (enr_operation_get_seq (g_ptr_array_index (conflicts, 0)), ==, enr_operation_get_seq (a2));
    g_assert_cmpuint (rejected->len, ==, 1);
    g_assert_cmpint (enr_operation_get_seq (g_ptr_array_index (rejected, 0)), ==, enr_operation_get_seq (c1));
  }

  /* Done operations can be purged; the rest stay. */
  g_assert_true (enr_outbox_purge_done (outbox, g_get_real_time () + 1, &error));
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_DONE, &error), ==, 0);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_PENDING, &error), ==, 5);
  g_assert_null (enr_outbox_get (outbox, enr_operation_get_seq (a1), &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
}

static void
test_outbox_recovers_in_flight (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = make_simple_task ("task-1");
  g_autoptr(EnrOperation) queued = queue_task (fixture->store, task, ENR_OPERATION_KIND_CREATE_TASK);
  g_autoptr(EnrOperation) after = NULL;
  gint64 seq = enr_operation_get_seq (queued);

  g_assert_true (enr_outbox_mark_in_flight (enr_store_get_outbox (fixture->store), seq, &error));
  g_assert_cmpint (enr_outbox_count (enr_store_get_outbox (fixture->store),
                                     ENR_OPERATION_STATE_IN_FLIGHT, &error), ==, 1);

  reopen (fixture);
  after = enr_outbox_get (enr_store_get_outbox (fixture->store), seq, &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_operation_get_state (after), ==, ENR_OPERATION_STATE_PENDING);
  g_assert_cmpstr (enr_operation_get_idempotency_key (after), ==,
                   enr_operation_get_idempotency_key (queued));
  g_assert_cmpstr (enr_operation_get_body (after), ==, enr_operation_get_body (queued));
  assert_next (enr_store_get_outbox (fixture->store), &seq, 1);
}

static char *
server_copy (const char    *id,
             EnrTaskStatus  status,
             gint64         version)
{
  g_autoptr(EnrServiceTask) theirs = make_simple_task (id);

  enr_service_task_set_status (theirs, status);
  enr_service_task_set_version (theirs, version);
  enr_service_task_set_created_by (theirs, "supervisor");
  return enr_codec_encode_string (theirs);
}

/* Many flows with their create-task in one transaction: all or none. */
static void
test_outbox_flows_at_once (Fixture       *fixture,
                           gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) flows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) next = NULL;
  g_autoptr(EnrServiceTask) nameless = make_simple_task ("task-n");
  guint changed = 0;
  gulong handler;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *flow_id = g_strdup_printf ("flow-%u", i);
      g_autofree char *task_id = g_strdup_printf ("task-%u", i);

      g_ptr_array_add (flows, make_flow (flow_id, make_simple_task (task_id)));
    }

  handler = g_signal_connect (outbox, "changed", G_CALLBACK (on_outbox_changed_cb), &changed);
  g_assert_true (enr_store_save_flows_with_operation (fixture->store, flows, ENR_OPERATION_KIND_CREATE_TASK, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);

  /* In their order, each a create-task of its task, each flow a draft. */
  next = enr_outbox_list (outbox, ENR_OPERATION_STATE_PENDING, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (next->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      EnrOperation *operation = g_ptr_array_index (next, i);
      g_autofree char *flow_id = g_strdup_printf ("flow-%u", i);
      g_autofree char *task_id = g_strdup_printf ("task-%u", i);
      g_autoptr(EnrProcessFlow) draft = enr_store_load_draft (fixture->store, flow_id, &error);

      g_assert_no_error (error);
      g_assert_cmpint (enr_operation_get_kind (operation), ==, ENR_OPERATION_KIND_CREATE_TASK);
      g_assert_cmpstr (enr_operation_get_entity_id (operation), ==, task_id);
      g_assert_nonnull (draft);
      g_assert_cmpstr (enr_process_flow_get_service_task_id (draft), ==, task_id);
      if (i > 0)
        g_assert_cmpint (enr_operation_get_seq (operation), >,
                         enr_operation_get_seq (g_ptr_array_index (next, i - 1)));
    }

  /* One the store refuses (a task without an id) after a good one: none is
   * saved or queued. */
  g_ptr_array_add (bad, make_flow ("flow-good", make_simple_task ("task-good")));
  enr_entity_set_id (ENR_ENTITY (nameless), NULL);
  g_ptr_array_add (bad, make_flow ("flow-bad", g_object_ref (nameless)));
  g_assert_false (enr_store_save_flows_with_operation (fixture->store, bad, ENR_OPERATION_KIND_CREATE_TASK, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (enr_store_load_draft (fixture->store, "flow-good", NULL));
  g_assert_null (enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-good", NULL));
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_PENDING, &error), ==, 3);
  g_assert_cmpuint (changed, ==, 1);

  /* A flow without its task is refused before anything is written. */
  g_ptr_array_set_size (bad, 0);
  g_ptr_array_add (bad, enr_process_flow_new ());
  enr_entity_set_id (ENR_ENTITY (g_ptr_array_index (bad, 0)), "flow-empty");
  g_assert_false (enr_store_save_flows_with_operation (fixture->store, bad, ENR_OPERATION_KIND_CREATE_TASK, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_PENDING, &error), ==, 3);

  g_signal_handler_disconnect (outbox, handler);
}

/* Reads in one transaction see the data; a write meanwhile is refused
 * with an error, and works again after the read ends. */
static void
test_read_transaction (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = make_simple_task ("task-r");
  g_autoptr(EnrProcessFlow) flow = make_flow ("flow-r", g_object_ref (task));
  g_autoptr(EnrOperation) operation = NULL;
  g_autoptr(EnrProcessFlow) draft = NULL;
  gboolean began, nested;

  g_assert_true (enr_store_save_draft (fixture->store, flow, &error));
  g_assert_no_error (error);

  began = enr_store_begin_read (fixture->store);
  g_assert_true (began);
  nested = enr_store_begin_read (fixture->store);
  g_assert_false (nested);
  draft = enr_store_load_draft (fixture->store, "flow-r", &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);

  operation = enr_store_save_flow_with_operation (fixture->store, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL, &error);
  g_assert_null (operation);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SQL);
  g_clear_error (&error);

  enr_store_end_read (fixture->store, nested);
  enr_store_end_read (fixture->store, began);

  operation = enr_store_save_flow_with_operation (fixture->store, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (operation);
}

static void
test_outbox_take_theirs (Fixture       *fixture,
                         gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = make_simple_task ("task-1");
  g_autoptr(EnrProcessFlow) flow = make_flow ("flow-1", g_object_ref (task));
  g_autoptr(EnrOperation) save = NULL, finish = NULL, other = NULL, again = NULL;
  g_autoptr(EnrServiceTask) local = NULL;
  g_autoptr(EnrProcessFlow) draft = NULL;
  g_autofree char *theirs = server_copy ("task-1", ENR_TASK_STATUS_CANCELED, 5);
  g_autoptr(EnrServiceTask) task2 = make_simple_task ("task-2");

  enr_service_task_set_version (task, 2);
  save = enr_store_save_flow_with_operation (fixture->store, flow, ENR_OPERATION_KIND_SAVE_TASK, NULL, &error);
  finish = queue_task (fixture->store, task, ENR_OPERATION_KIND_FINISH_TASK);
  other = queue_task (fixture->store, task2, ENR_OPERATION_KIND_CREATE_TASK);

  /* Only unresolved operations can be resolved. */
  g_assert_false (enr_outbox_take_theirs (outbox, enr_operation_get_seq (save), &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (enr_outbox_mark_conflict (outbox, enr_operation_get_seq (save), theirs, "canceled", &error));
  g_assert_true (enr_outbox_take_theirs (outbox, enr_operation_get_seq (save), &error));
  g_assert_no_error (error);

  /* The local task and the draft's task are the service's copy. */
  local = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-1", &error);
  g_assert_cmpint (enr_service_task_get_status (local), ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpint (enr_service_task_get_version (local), ==, 5);
  draft = enr_store_load_draft (fixture->store, "flow-1", &error);
  g_assert_cmpint (enr_process_flow_get_status (draft), ==, ENR_FLOW_STATUS_CANCELED);
  g_assert_cmpstr (enr_service_task_get_created_by (enr_process_flow_get_task (draft)), ==, "supervisor");

  /* The operation and the later ones of its entity are gone, others stay. */
  g_assert_null (enr_outbox_get (outbox, enr_operation_get_seq (save), &error));
  g_clear_error (&error);
  g_assert_null (enr_outbox_get (outbox, enr_operation_get_seq (finish), &error));
  g_clear_error (&error);
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (other) }, 1);

  /* The next change builds on the service's version. */
  enr_service_task_set_version (task, 2);
  again = queue_task (fixture->store, task, ENR_OPERATION_KIND_SAVE_TASK);
  g_assert_cmpint (enr_operation_get_base_version (again), ==, 5);
}

static void
test_outbox_keep_mine (Fixture       *fixture,
                       gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = make_simple_task ("task-1");
  g_autoptr(EnrOperation) save = NULL, finish = NULL, after = NULL, rejected = NULL;
  g_autofree char *theirs = server_copy ("task-1", ENR_TASK_STATUS_PENDING, 7);
  g_autofree char *old_key = NULL;

  enr_service_task_set_version (task, 3);
  save = queue_task (fixture->store, task, ENR_OPERATION_KIND_SAVE_TASK);
  finish = queue_task (fixture->store, task, ENR_OPERATION_KIND_FINISH_TASK);
  old_key = g_strdup (enr_operation_get_idempotency_key (save));

  g_assert_true (enr_outbox_mark_in_flight (outbox, enr_operation_get_seq (save), &error));
  g_assert_true (enr_outbox_mark_conflict (outbox, enr_operation_get_seq (save), theirs, "412", &error));
  g_assert_true (enr_outbox_keep_mine (outbox, enr_operation_get_seq (save), -1, &error));
  g_assert_no_error (error);

  after = enr_outbox_get (outbox, enr_operation_get_seq (save), &error);
  g_assert_cmpint (enr_operation_get_state (after), ==, ENR_OPERATION_STATE_PENDING);
  g_assert_cmpint (enr_operation_get_base_version (after), ==, 7);
  g_assert_cmpstr (enr_operation_get_idempotency_key (after), !=, old_key);
  g_assert_cmpstr (enr_operation_get_body (after), ==, enr_operation_get_body (save));
  g_assert_cmpuint (enr_operation_get_attempts (after), ==, 0);
  g_assert_null (enr_operation_get_server_copy (after));
  g_clear_object (&after);
  after = enr_outbox_get (outbox, enr_operation_get_seq (finish), &error);
  g_assert_cmpint (enr_operation_get_base_version (after), ==, 7);
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (save) }, 1);

  /* Rejected without a copy: an explicit version is needed. */
  g_assert_true (enr_outbox_mark_rejected (outbox, enr_operation_get_seq (save), "invalid", NULL, NULL, &error));
  g_assert_false (enr_outbox_keep_mine (outbox, enr_operation_get_seq (save), -1, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (enr_outbox_keep_mine (outbox, enr_operation_get_seq (save), 8, &error));
  rejected = enr_outbox_get (outbox, enr_operation_get_seq (save), &error);
  g_assert_cmpint (enr_operation_get_base_version (rejected), ==, 8);
  g_assert_null (enr_operation_get_reason (rejected));
}

static void
test_outbox_save_as_new (Fixture       *fixture,
                         gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = make_simple_task ("task-1");
  g_autoptr(EnrProcessFlow) flow = make_flow ("flow-1", g_object_ref (task));
  g_autoptr(EnrOperation) finish = NULL;
  g_autoptr(EnrProcessFlow) created = NULL;
  g_autoptr(EnrServiceTask) original = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(EnrAnswer) answer = enr_answer_new ();
  g_autofree char *theirs = server_copy ("task-1", ENR_TASK_STATUS_CANCELED, 4);
  EnrServiceTask *copy;
  EnrOperation *create;
  static const char * const yes[] = { "yes", NULL };

  enr_answer_set_question_id (answer, "q-1");
  enr_answer_set_values (answer, yes);
  enr_service_task_add_answer (task, answer);
  enr_process_flow_set_current_panel (flow, ENR_PANEL_SUMMARY);
  finish = enr_store_save_flow_with_operation (fixture->store, flow, ENR_OPERATION_KIND_FINISH_TASK,
                                               NULL, &error);
  g_assert_no_error (error);
  g_assert_true (enr_outbox_mark_conflict (outbox, enr_operation_get_seq (finish), theirs,
                                           "task canceled", &error));

  created = enr_outbox_save_as_new (outbox, enr_operation_get_seq (finish), &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);

  /* A new open flow with a copy of my task under a new id. */
  copy = enr_process_flow_get_task (created);
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (created)), !=, "flow-1");
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (copy)), !=, "task-1");
  g_assert_cmpstr (enr_process_flow_get_service_task_id (created), ==, enr_entity_get_id (ENR_ENTITY (copy)));
  g_assert_cmpint (enr_process_flow_get_status (created), ==, ENR_FLOW_STATUS_OPEN);
  g_assert_cmpint (enr_process_flow_get_current_panel (created), ==, ENR_PANEL_SUMMARY);
  g_assert_cmpint (enr_service_task_get_status (copy), ==, ENR_TASK_STATUS_PENDING);
  g_assert_cmpint (enr_service_task_get_version (copy), ==, 0);
  g_assert_cmpuint (enr_service_task_get_answers (copy)->len, ==, 1);
  g_assert_cmpstr (enr_service_task_get_customer_id (copy), ==, "cust-1");

  /* Queued as a create-task, and saved. */
  pending = enr_outbox_list (outbox, ENR_OPERATION_STATE_PENDING, &error);
  g_assert_cmpuint (pending->len, ==, 1);
  create = g_ptr_array_index (pending, 0);
  g_assert_cmpint (enr_operation_get_kind (create), ==, ENR_OPERATION_KIND_CREATE_TASK);
  g_assert_cmpstr (enr_operation_get_entity_id (create), ==, enr_entity_get_id (ENR_ENTITY (copy)));
  drafts = enr_store_list_drafts (fixture->store, &error);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_true (enr_codec_equal (g_ptr_array_index (drafts, 0), created));

  /* The original took the service's copy. */
  original = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-1", &error);
  g_assert_cmpint (enr_service_task_get_status (original), ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, &error), ==, 0);
  g_assert_no_error (error);
}

/* Pull */

/* Many acknowledgements in one transaction, with what one mark_done does
 * for each: rebasing, the local copies' version, all or nothing. */
static void
test_outbox_done_batch (Fixture       *fixture,
                        gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) a = make_simple_task ("task-a");
  g_autoptr(EnrServiceTask) b = make_simple_task ("task-b");
  g_autoptr(EnrServiceTask) c = make_simple_task ("task-c");
  g_autoptr(EnrProcessFlow) flow = make_flow ("flow-a", g_object_ref (a));
  g_autoptr(EnrProcessFlow) loaded = NULL;
  g_autoptr(EnrServiceTask) stored = NULL;
  g_autoptr(EnrOperation) a1 = NULL, a2 = NULL, a3 = NULL, b1 = NULL, c1 = NULL, d1 = NULL;
  g_autoptr(EnrOperation) next = NULL, check = NULL;
  g_autoptr(EnrCustomerCommunication) communication = make_communication ("comm-d", "cust-1");
  g_autoptr(GArray) acks = g_array_new (FALSE, FALSE, sizeof (EnrOutboxAck));
  guint changed = 0;
  gulong handler;

  g_array_set_clear_func (acks, (GDestroyNotify) enr_outbox_ack_clear);

  a1 = enr_store_save_flow_with_operation (fixture->store, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL, &error);
  g_assert_no_error (error);
  b1 = queue_task (fixture->store, b, ENR_OPERATION_KIND_CREATE_TASK);
  a2 = queue_task (fixture->store, a, ENR_OPERATION_KIND_SAVE_TASK);
  c1 = queue_task (fixture->store, c, ENR_OPERATION_KIND_CREATE_TASK);
  a3 = queue_task (fixture->store, a, ENR_OPERATION_KIND_FINISH_TASK);
  d1 = enr_store_save_communication_with_operation (fixture->store, communication, &error);
  g_assert_no_error (error);

  /* What may go once a1 is acknowledged, before that is recorded. */
  next = enr_outbox_next_of_entity (outbox, a1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (next);
  g_assert_cmpint (enr_operation_get_seq (next), ==, enr_operation_get_seq (a2));
  g_clear_object (&next);
  g_assert_null (enr_outbox_next_of_entity (outbox, b1, &error));
  g_assert_no_error (error);
  g_assert_null (enr_outbox_next_of_entity (outbox, d1, &error));
  g_assert_no_error (error);

  /* Nothing yet: an empty batch changes nothing. */
  g_assert_true (enr_outbox_mark_done_batch (outbox, NULL, 0, &error));
  g_assert_no_error (error);

  g_array_append_vals (acks, (EnrOutboxAck[]) {
    { enr_operation_get_seq (a1), g_strdup ("{\"version\":1}"), 1 },
    { enr_operation_get_seq (b1), g_strdup ("{\"version\":1}"), 1 },
    { enr_operation_get_seq (a2), g_strdup ("{\"version\":2}"), 2 },
    { enr_operation_get_seq (d1), NULL, -1 },
  }, 4);

  handler = g_signal_connect (outbox, "changed", G_CALLBACK (on_outbox_changed_cb), &changed);
  g_assert_true (enr_outbox_mark_done_batch (outbox, (EnrOutboxAck *) (gpointer) acks->data, acks->len, &error));
  g_assert_no_error (error);
  g_signal_handler_disconnect (outbox, handler);
  g_assert_cmpuint (changed, ==, 1);

  for (guint i = 0; i < acks->len; i++)
    {
      EnrOutboxAck *ack = &g_array_index (acks, EnrOutboxAck, i);

      check = enr_outbox_get (outbox, ack->seq, &error);
      g_assert_no_error (error);
      g_assert_cmpint (enr_operation_get_state (check), ==, ENR_OPERATION_STATE_DONE);
      g_assert_cmpstr (enr_operation_get_response (check), ==, ack->response);
      g_assert_cmpuint (enr_operation_get_attempts (check), ==, 1);
      g_clear_object (&check);
    }

  /* a3 is rebased on a's last version; the local copies take it once. */
  check = enr_outbox_get (outbox, enr_operation_get_seq (a3), &error);
  g_assert_cmpint (enr_operation_get_state (check), ==, ENR_OPERATION_STATE_PENDING);
  g_assert_cmpint (enr_operation_get_base_version (check), ==, 2);
  g_clear_object (&check);
  stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-a", &error);
  g_assert_cmpint (enr_service_task_get_version (stored), ==, 2);
  g_clear_object (&stored);
  stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-b", &error);
  g_assert_cmpint (enr_service_task_get_version (stored), ==, 1);
  g_clear_object (&stored);
  loaded = enr_store_load_draft (fixture->store, "flow-a", &error);
  g_assert_cmpint (enr_service_task_get_version (enr_process_flow_get_task (loaded)), ==, 2);
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (c1), enr_operation_get_seq (a3) }, 2);

  /* The next operation queued on a task takes the acknowledged version. */
  {
    g_autoptr(EnrOperation) a4 = queue_task (fixture->store, a, ENR_OPERATION_KIND_SAVE_TASK);

    g_assert_cmpint (enr_operation_get_base_version (a4), ==, 2);
  }

  /* All or nothing: c1 is fine, a1 is done already. */
  g_array_set_size (acks, 0);
  g_array_append_vals (acks, (EnrOutboxAck[]) {
    { enr_operation_get_seq (c1), g_strdup ("{\"version\":1}"), 1 },
    { enr_operation_get_seq (a1), NULL, 5 },
  }, 2);
  g_assert_false (enr_outbox_mark_done_batch (outbox, (EnrOutboxAck *) (gpointer) acks->data, acks->len, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  check = enr_outbox_get (outbox, enr_operation_get_seq (c1), &error);
  g_assert_cmpint (enr_operation_get_state (check), ==, ENR_OPERATION_STATE_PENDING);
  g_assert_null (enr_operation_get_response (check));
  g_clear_object (&check);
  stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-c", &error);
  g_assert_cmpint (enr_service_task_get_version (stored), ==, 0);
  g_clear_object (&stored);

  /* An unknown operation, likewise. */
  g_array_set_size (acks, 0);
  g_array_append_vals (acks, (EnrOutboxAck[]) {
    { enr_operation_get_seq (c1), NULL, 1 },
    { 999999, NULL, 1 },
  }, 2);
  g_assert_false (enr_outbox_mark_done_batch (outbox, (EnrOutboxAck *) (gpointer) acks->data, acks->len, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  check = enr_outbox_get (outbox, enr_operation_get_seq (c1), &error);
  g_assert_cmpint (enr_operation_get_state (check), ==, ENR_OPERATION_STATE_PENDING);
  g_clear_object (&check);

  /* The next of an entity is not offered while it waits or is unresolved. */
  g_assert_true (enr_outbox_mark_retry (outbox, enr_operation_get_seq (a3), "reset",
                                        g_get_real_time () + (gint64) 3600 * G_USEC_PER_SEC, &error));
  {
    g_autoptr(EnrOperation) a2_done = enr_outbox_get (outbox, enr_operation_get_seq (a2), &error);

    g_assert_null (enr_outbox_next_of_entity (outbox, a2_done, &error));
    g_assert_no_error (error);
  }

  reopen (fixture);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
}

/* A rejection keeps the reason, the service's answer and its copy, and
 * holds back only the later operations of its own entity. */
static void
test_outbox_rejected (Fixture       *fixture,
                      gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) a = make_simple_task ("task-a");
  g_autoptr(EnrServiceTask) b = make_simple_task ("task-b");
  g_autoptr(EnrOperation) a1 = NULL, a2 = NULL, b1 = NULL, b2 = NULL, check = NULL;
  g_autoptr(EnrServiceTask) stored = NULL;
  g_autofree char *theirs = server_copy ("task-a", ENR_TASK_STATUS_CANCELED, 6);
  const char *problem = "{\"status\":422,\"title\":\"Invalid\",\"detail\":\"The program is closed.\"}";

  enr_service_task_set_version (a, 5);
  a1 = queue_task (fixture->store, a, ENR_OPERATION_KIND_SAVE_TASK);
  a2 = queue_task (fixture->store, a, ENR_OPERATION_KIND_FINISH_TASK);
  b1 = queue_task (fixture->store, b, ENR_OPERATION_KIND_CREATE_TASK);

  g_assert_true (enr_outbox_mark_rejected (outbox, enr_operation_get_seq (a1), "The program is closed.",
                                           problem, theirs, &error));
  g_assert_no_error (error);
  b2 = queue_task (fixture->store, b, ENR_OPERATION_KIND_SAVE_TASK);

  reopen (fixture);
  outbox = enr_store_get_outbox (fixture->store);
  check = enr_outbox_get (outbox, enr_operation_get_seq (a1), &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_operation_get_state (check), ==, ENR_OPERATION_STATE_REJECTED);
  g_assert_cmpstr (enr_operation_get_reason (check), ==, "The program is closed.");
  g_assert_cmpstr (enr_operation_get_response (check), ==, problem);
  g_assert_cmpstr (enr_operation_get_server_copy (check), ==, theirs);
  g_assert_null (enr_operation_get_last_error (check));
  g_assert_cmpuint (enr_operation_get_attempts (check), ==, 1);
  g_clear_object (&check);

  /* Other entities' operations, queued before or after, go on. */
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (b1) }, 1);
  g_assert_true (enr_outbox_mark_done (outbox, enr_operation_get_seq (b1), NULL, 1, &error));
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (b2) }, 1);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_REJECTED, &error), ==, 1);

  /* Keep mine builds on the kept copy and forgets the answer. */
  g_assert_true (enr_outbox_keep_mine (outbox, enr_operation_get_seq (a1), -1, &error));
  g_assert_no_error (error);
  check = enr_outbox_get (outbox, enr_operation_get_seq (a1), &error);
  g_assert_cmpint (enr_operation_get_state (check), ==, ENR_OPERATION_STATE_PENDING);
  g_assert_cmpint (enr_operation_get_base_version (check), ==, 6);
  g_assert_null (enr_operation_get_response (check));
  g_assert_null (enr_operation_get_server_copy (check));
  g_assert_null (enr_operation_get_reason (check));
  g_clear_object (&check);
  assert_next (outbox, (gint64[]) { enr_operation_get_seq (a1), enr_operation_get_seq (b2) }, 2);

  /* Rejected again, then take theirs: the kept copy replaces the task and
   * the entity's queue is free. */
  g_assert_true (enr_outbox_mark_rejected (outbox, enr_operation_get_seq (a1), "Still closed.",
                                           problem, theirs, &error));
  g_assert_true (enr_outbox_take_theirs (outbox, enr_operation_get_seq (a1), &error));
  g_assert_no_error (error);
  stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-a", &error);
  g_assert_cmpint (enr_service_task_get_status (stored), ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpint (enr_service_task_get_version (stored), ==, 6);
  g_assert_null (enr_outbox_get (outbox, enr_operation_get_seq (a2), &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_REJECTED, &error), ==, 0);
}

/* An acknowledgement can bring a task's newer version before the pull
 * reaches the older ones in the feed: the pull does not take the task
 * back, and the next change is based on the newer version. */
static void
test_apply_changes_never_older (Fixture       *fixture,
                                gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = make_simple_task ("task-n");
  g_autoptr(EnrServiceTask) stored = NULL;
  g_autoptr(EnrOperation) create = NULL;
  g_autoptr(EnrOperation) save = NULL;
  g_autoptr(EnrOperation) next = NULL;
  g_autoptr(GPtrArray) older = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
  g_autoptr(GPtrArray) newer = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
  g_autofree char *older_json = server_copy ("task-n", ENR_TASK_STATUS_IN_PROGRESS, 2);
  g_autofree char *newer_json = server_copy ("task-n", ENR_TASK_STATUS_COMPLETED, 4);
  g_autofree char *cursor = NULL;

  create = queue_task (fixture->store, task, ENR_OPERATION_KIND_CREATE_TASK);
  g_assert_true (enr_outbox_mark_done (outbox, enr_operation_get_seq (create), NULL, 1, &error));
  g_assert_no_error (error);
  enr_service_task_set_version (task, 1);
  enr_service_task_set_created_by (task, "clerk-mine");
  save = queue_task (fixture->store, task, ENR_OPERATION_KIND_SAVE_TASK);
  g_assert_cmpint (enr_operation_get_base_version (save), ==, 1);
  g_assert_true (enr_outbox_mark_done (outbox, enr_operation_get_seq (save), NULL, 3, &error));
  g_assert_no_error (error);

  /* Version 2, older than the acknowledged 3: the cursor moves on, the
   * task stays as it is. */
  g_ptr_array_add (older, enr_store_change_new (ENR_TYPE_SERVICE_TASK, "task-n", older_json));
  g_assert_true (enr_store_apply_changes (fixture->store, older, "cursor-older", &error));
  g_assert_no_error (error);
  cursor = enr_store_get_cursor (fixture->store, &error);
  g_assert_cmpstr (cursor, ==, "cursor-older");
  stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_service_task_get_version (stored), ==, 3);
  g_assert_cmpstr (enr_service_task_get_created_by (stored), ==, "clerk-mine");
  g_assert_cmpint (enr_service_task_get_status (stored), ==, ENR_TASK_STATUS_PENDING);
  g_clear_object (&stored);

  /* A change made now goes against version 3. */
  next = queue_task (fixture->store, task, ENR_OPERATION_KIND_SAVE_TASK);
  g_assert_cmpint (enr_operation_get_base_version (next), ==, 3);
  g_assert_true (enr_outbox_mark_done (outbox, enr_operation_get_seq (next), NULL, -1, &error));
  g_assert_no_error (error);

  /* Version 4, newer: taken. */
  g_ptr_array_add (newer, enr_store_change_new (ENR_TYPE_SERVICE_TASK, "task-n", newer_json));
  g_assert_true (enr_store_apply_changes (fixture->store, newer, "cursor-newer", &error));
  g_assert_no_error (error);
  stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-n", &error);
  g_assert_cmpint (enr_service_task_get_version (stored), ==, 4);
  g_assert_cmpint (enr_service_task_get_status (stored), ==, ENR_TASK_STATUS_COMPLETED);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

static void
test_apply_changes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
  g_autoptr(GPtrArray) deletions = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
  g_autoptr(EnrCustomer) customer = make_customer ("c9", "Priya Natarajan", "RPL-900001",
                                                   "(541) 555-0999", NULL, NULL);
  g_autoptr(EnrServiceTask) mine = make_simple_task ("task-mine");
  g_autoptr(EnrServiceTask) stored = NULL;
  g_autoptr(EnrOperation) operation = NULL;
  g_autofree char *customer_json = enr_codec_encode_string (customer);
  g_autofree char *task_json = server_copy ("task-1", ENR_TASK_STATUS_IN_PROGRESS, 3);
  g_autofree char *mine_json = server_copy ("task-mine", ENR_TASK_STATUS_COMPLETED, 9);
  g_autofree char *cursor = NULL;
  g_autoptr(EnrStoreChange) copy = NULL;

  cursor = enr_store_get_cursor (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_null (cursor);

  operation = queue_task (fixture->store, mine, ENR_OPERATION_KIND_CREATE_TASK);

  g_ptr_array_add (changes, enr_store_change_new (ENR_TYPE_CUSTOMER, "c9", customer_json));
  g_ptr_array_add (changes, enr_store_change_new (enr_store_type_from_name ("service_task"),
                                                  "task-1", task_json));
  g_ptr_array_add (changes, enr_store_change_new (ENR_TYPE_SERVICE_TASK, "task-mine", mine_json));
  copy = enr_store_change_copy (g_ptr_array_index (changes, 0));
  g_assert_cmpstr (copy->json, ==, customer_json);

  g_assert_true (enr_store_apply_changes (fixture->store, changes, "cursor-1", &error));
  g_assert_no_error (error);
  cursor = enr_store_get_cursor (fixture->store, &error);
  g_assert_cmpstr (cursor, ==, "cursor-1");
  g_clear_pointer (&cursor, g_free);
  assert_search (fixture->store, "priya", "c9", FALSE);
  assert_search (fixture->store, "555-0999", "c9", FALSE);
  stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-1", &error);
  g_assert_cmpint (enr_service_task_get_version (stored), ==, 3);
  g_clear_object (&stored);

  /* A task with unsent local changes keeps them. */
  stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-mine", &error);
  g_assert_cmpint (enr_service_task_get_status (stored), ==, ENR_TASK_STATUS_PENDING);
  g_clear_object (&stored);

  /* Records fetched outside the change feed leave the cursor alone. */
  {
    g_autoptr(GPtrArray) fetched = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
    g_autofree char *fetched_json = server_copy ("task-2", ENR_TASK_STATUS_PENDING, 4);
    g_autofree char *mine_again = server_copy ("task-mine", ENR_TASK_STATUS_CANCELED, 10);

    g_ptr_array_add (fetched, enr_store_change_new (ENR_TYPE_SERVICE_TASK, "task-2", fetched_json));
    g_ptr_array_add (fetched, enr_store_change_new (ENR_TYPE_SERVICE_TASK, "task-mine", mine_again));
    g_assert_true (enr_store_apply_changes (fixture->store, fetched, NULL, &error));
    g_assert_no_error (error);
    cursor = enr_store_get_cursor (fixture->store, &error);
    g_assert_cmpstr (cursor, ==, "cursor-1");
    g_clear_pointer (&cursor, g_free);
    stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-2", &error);
    g_assert_no_error (error);
    g_assert_cmpint (enr_service_task_get_version (stored), ==, 4);
    g_clear_object (&stored);
    stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-mine", &error);
    g_assert_cmpint (enr_service_task_get_status (stored), ==, ENR_TASK_STATUS_PENDING);
    g_clear_object (&stored);
  }

  /* A batch with a record that does not decode changes nothing, cursor
   * included. */
  g_ptr_array_add (bad, enr_store_change_new (ENR_TYPE_CUSTOMER, "c10",
                                              "{\"id\":\"c10\",\"name\":\"Li Wei\",\"account_id\":\"RPL-1\"}"));
  g_ptr_array_add (bad, enr_store_change_new (ENR_TYPE_CUSTOMER, "c11", "{\"id\":\"c11\",\"name\":"));
  g_assert_false (enr_store_apply_changes (fixture->store, bad, "cursor-2", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE);
  g_assert_nonnull (strstr (error->message, "c11"));
  g_clear_error (&error);
  cursor = enr_store_get_cursor (fixture->store, &error);
  g_assert_cmpstr (cursor, ==, "cursor-1");
  g_clear_pointer (&cursor, g_free);
  g_assert_null (enr_store_get (fixture->store, ENR_TYPE_CUSTOMER, "c10", &error));
  g_clear_error (&error);
  assert_search (fixture->store, "li wei", "", FALSE);

  /* A record under another id is refused as well. */
  g_ptr_array_set_size (bad, 0);
  g_ptr_array_add (bad, enr_store_change_new (ENR_TYPE_CUSTOMER, "c12", customer_json));
  g_assert_false (enr_store_apply_changes (fixture->store, bad, "cursor-3", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE);
  g_clear_error (&error);

  /* Deletions */
  g_ptr_array_add (deletions, enr_store_change_new (ENR_TYPE_CUSTOMER, "c9", NULL));
  g_ptr_array_add (deletions, enr_store_change_new (ENR_TYPE_CUSTOMER, "never-seen", NULL));
  g_assert_true (enr_store_apply_changes (fixture->store, deletions, "cursor-4", &error));
  g_assert_no_error (error);
  assert_search (fixture->store, "priya", "", FALSE);
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_CUSTOMER, &error), ==, 0);

  reopen (fixture);
  cursor = enr_store_get_cursor (fixture->store, &error);
  g_assert_cmpstr (cursor, ==, "cursor-4");
  g_clear_pointer (&cursor, g_free);
  g_assert_true (enr_store_reset_cursor (fixture->store, &error));
  cursor = enr_store_get_cursor (fixture->store, &error);
  g_assert_null (cursor);
  g_assert_no_error (error);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
}

/* No statement of the store's connection is left on a row (which would
 * hold a read transaction open: the WAL could not be started over). */
static void
assert_no_statement_busy (EnrStore *store)
{
  sqlite3 *db = _enr_store_get_db (store);

  for (sqlite3_stmt *stmt = sqlite3_next_stmt (db, NULL); stmt != NULL; stmt = sqlite3_next_stmt (db, stmt))
    if (sqlite3_stmt_busy (stmt))
      g_error ("statement left busy: %s", sqlite3_sql (stmt));
  g_assert_true (sqlite3_get_autocommit (db));
}

/* A full download's batches come with where the download goes on, kept
 * until a cursor ends the download (or a reset starts it over); a batch
 * that fails stores neither its records nor its resume point. */
static void
test_put_bulk (Fixture       *fixture,
               gconstpointer  user_data)
{
  const GType types[] = { ENR_TYPE_CUSTOMER, ENR_TYPE_SERVICE_POINT };
  g_autoptr(GPtrArray) customers = objects_of (make_customer ("cust-1", "Maria Gonzalez", "RPL-1",
                                                              "", "", "12 Oak St"),
                                               make_customer ("cust-2", "Li Wei", "RPL-2", "", "", ""),
                                               NULL);
  g_autoptr(GPtrArray) points = objects_of (make_service_point ("sp-1", "12 Oak St"), NULL);
  g_autoptr(GPtrArray) bad = objects_of (make_customer ("", "Nobody", "RPL-3", "", "", ""), NULL);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  GPtrArray *lists[] = { customers, points };
  GPtrArray *bad_lists[] = { bad, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *resume = NULL;
  g_autofree char *cursor = NULL;

  resume = enr_store_get_download_resume (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_null (resume);

  /* A bulk load that is not a download (the data set importer) has no
   * resume point and makes none. */
  g_assert_true (enr_store_put_bulk (fixture->store, types, lists, NULL, G_N_ELEMENTS (lists),
                                     NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_CUSTOMER, NULL), ==, 2);
  resume = enr_store_get_download_resume (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_null (resume);

  g_assert_true (enr_store_put_bulk (fixture->store, types, lists, NULL, G_N_ELEMENTS (lists),
                                     "c 7 2 after-2", &error));
  g_assert_no_error (error);
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_CUSTOMER, NULL), ==, 2);
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_SERVICE_POINT, NULL), ==, 1);
  assert_search (fixture->store, "maria", "cust-1", FALSE);

  g_assert_false (enr_store_put_bulk (fixture->store, types, bad_lists, NULL, G_N_ELEMENTS (bad_lists),
                                      "c 7 3 after-3", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Kept across a restart, as the last good batch left it. */
  reopen (fixture);
  resume = enr_store_get_download_resume (fixture->store, &error);
  g_assert_cmpstr (resume, ==, "c 7 2 after-2");
  g_clear_pointer (&resume, g_free);
  assert_no_statement_busy (fixture->store);
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_CUSTOMER, NULL), ==, 2);

  /* The same records again are stored once. */
  g_assert_true (enr_store_put_bulk (fixture->store, types, lists, NULL, G_N_ELEMENTS (lists),
                                     "t 7 2", &error));
  g_assert_no_error (error);
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_CUSTOMER, NULL), ==, 2);
  assert_search (fixture->store, "wei", "cust-2", FALSE);

  /* A batch without a resume point leaves the download's as it is. */
  g_assert_true (enr_store_put_bulk (fixture->store, types, lists, NULL, G_N_ELEMENTS (lists),
                                     NULL, &error));
  g_assert_no_error (error);
  resume = enr_store_get_download_resume (fixture->store, &error);
  g_assert_cmpstr (resume, ==, "t 7 2");
  g_clear_pointer (&resume, g_free);

  /* Changes without a cursor leave the download going on; a cursor ends it. */
  g_assert_true (enr_store_apply_changes (fixture->store, none, NULL, &error));
  resume = enr_store_get_download_resume (fixture->store, &error);
  g_assert_cmpstr (resume, ==, "t 7 2");
  g_clear_pointer (&resume, g_free);
  g_assert_true (enr_store_apply_changes (fixture->store, none, "7", &error));
  g_assert_no_error (error);
  resume = enr_store_get_download_resume (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_null (resume);
  cursor = enr_store_get_cursor (fixture->store, &error);
  g_assert_cmpstr (cursor, ==, "7");
  assert_no_statement_busy (fixture->store);

  /* A reset forgets an interrupted download too. */
  g_assert_true (enr_store_put_bulk (fixture->store, types, lists, NULL, G_N_ELEMENTS (lists),
                                     "c 9 2 after-2", &error));
  g_assert_true (enr_store_reset_cursor (fixture->store, &error));
  g_assert_no_error (error);
  resume = enr_store_get_download_resume (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_null (resume);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
}

/* A download's records may come with their row copies: the JSON text
 * the service sent, stored as it is (not the record encoded again), read
 * back as the record, searched and indexed like any. */
static void
test_put_bulk_rows (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const GType types[] = { ENR_TYPE_CUSTOMER, ENR_TYPE_SERVICE_POINT };
  const char *text = "{\"id\":\"cust-1\",\"name\":\"Maria Gonzalez\",\"account_id\":\"RPL-1\","
                     "\"mailing_address\":\"12 Oak St\"}";
  g_autoptr(EnrCustomer) maria = enr_codec_decode_data (ENR_TYPE_CUSTOMER, text, -1, NULL);
  g_autoptr(GPtrArray) customers = objects_of (g_object_ref (maria), NULL);
  g_autoptr(GPtrArray) customer_rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) points = objects_of (make_service_point ("sp-1", "12 Oak St"), NULL);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(EnrCustomer) stored = NULL;
  GPtrArray *lists[] = { customers, points };
  GPtrArray *rows[] = { customer_rows, NULL };
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_nonnull (maria);
  g_ptr_array_add (customer_rows, (gpointer) text);

  g_assert_true (enr_store_defer_search (fixture->store, &error));
  g_assert_true (enr_store_put_bulk (fixture->store, types, lists, rows, G_N_ELEMENTS (lists),
                                     "c 7 1 after-1", &error));
  g_assert_no_error (error);
  g_assert_true (enr_store_rebuild_search (fixture->store, &error));
  g_assert_no_error (error);

  /* The text as it came, byte for byte; the point without one encoded. */
  g_assert_cmpint (sqlite3_prepare_v2 (_enr_store_get_db (fixture->store),
                                       "SELECT json FROM customers WHERE id = 'cust-1'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, text);
  sqlite3_finalize (stmt);

  stored = enr_store_get (fixture->store, ENR_TYPE_CUSTOMER, "cust-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_customer_get_name (stored), ==, "Maria Gonzalez");
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_SERVICE_POINT, NULL), ==, 1);

  /* Its indexed column and its search row come from the record. */
  found = enr_store_list (fixture->store, ENR_TYPE_CUSTOMER, "account-id", "RPL-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  assert_search (fixture->store, "gonzalez", "cust-1", FALSE);
}

static gint64
pragma_int (EnrStore   *store,
            const char *pragma)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_enr_store_get_db (store), pragma, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* The secondary indexes of the bulk tables in the schema, sorted, one
 * "name:sql" a line. */
static char *
bulk_indexes (EnrStore *store)
{
  g_autoptr(GString) text = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_enr_store_get_db (store),
                                       "SELECT name, sql FROM sqlite_schema WHERE type = 'index'"
                                       " AND sql IS NOT NULL AND tbl_name IN ('customers',"
                                       " 'service_points', 'metered_services', 'device_locations',"
                                       " 'devices', 'subscriptions') ORDER BY name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s:%s\n", sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A bulk load builds the secondary indexes of the tables it fills once,
 * after the records, as it does the search; a store closed in the middle
 * makes them again when it opens, before its migrations; an index left
 * deferred outside a bulk load is damage. */
static void
test_defer_indexes (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GPtrArray) customers = objects_of (make_customer ("cust-1", "Maria Gonzalez", "RPL-1",
                                                              "(541) 555-0101", "", "12 Oak St"),
                                               NULL);
  g_autoptr(GPtrArray) services = objects_of (make_metered_service ("ms-1", "cust-1", "sp-1"), NULL);
  g_autofree char *before = bulk_indexes (fixture->store);
  g_autofree char *during = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (strstr (before, "customers_account_id:"));
  g_assert_nonnull (strstr (before, "metered_services_customer_id:"));

  g_assert_cmpint (pragma_int (fixture->store, "PRAGMA wal_autocheckpoint"), ==, 1000);
  g_assert_cmpint (pragma_int (fixture->store, "PRAGMA journal_size_limit"), ==, 8 << 20);
  g_assert_true (enr_store_defer_search (fixture->store, &error));
  g_assert_no_error (error);
  during = bulk_indexes (fixture->store);
  g_assert_cmpstr (during, ==, "");
  /* Its WAL checkpointed seldom. */
  g_assert_cmpint (pragma_int (fixture->store, "PRAGMA wal_autocheckpoint"), ==, 16384);
  /* Right without them, and the UNIQUE ones on id still hold. */
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, customers, &error));
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, customers, &error));
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_METERED_SERVICE, services, &error));
  g_assert_no_error (error);
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_CUSTOMER, NULL), ==, 1);
  found = enr_store_list (fixture->store, ENR_TYPE_METERED_SERVICE, "customer-id", "cust-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);

  /* Twice (a download resumed in the same session) keeps what it kept. */
  g_assert_true (enr_store_defer_search (fixture->store, &error));
  g_assert_no_error (error);

  g_assert_true (enr_store_rebuild_search (fixture->store, &error));
  g_assert_no_error (error);
  after = bulk_indexes (fixture->store);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);
  g_assert_cmpint (pragma_int (fixture->store, "PRAGMA wal_autocheckpoint"), ==, 1000);
  /* The indexes were sorted on file with a small cache: both set back. */
  g_assert_cmpint (pragma_int (fixture->store, "PRAGMA temp_store"), ==, 2);
  g_assert_cmpint (pragma_int (fixture->store, "PRAGMA cache_size"), ==, -32000);

  /* Killed in between: the next open makes them again. */
  g_assert_true (enr_store_defer_search (fixture->store, &error));
  g_assert_no_error (error);
  reopen (fixture);
  after = bulk_indexes (fixture->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (pragma_int (fixture->store, "PRAGMA temp_store"), ==, 2);
  g_assert_cmpint (pragma_int (fixture->store, "PRAGMA cache_size"), ==, -32000);
  assert_search (fixture->store, "maria", "cust-1", FALSE);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);

  /* An index dropped and left deferred outside a bulk load is damage. */
  g_assert_cmpint (sqlite3_exec (_enr_store_get_db (fixture->store),
                                 "DROP INDEX customers_account_id;"
                                 "INSERT INTO meta (key, value) VALUES ('deferred-index:customers_account_id',"
                                 " 'CREATE INDEX customers_account_id ON customers (account_id)')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (enr_store_check_integrity (fixture->store, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "customers_account_id"));
  g_clear_error (&error);
  reopen (fixture);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, g_free);
  after = bulk_indexes (fixture->store);
  g_assert_cmpstr (after, ==, before);
}

#define ASYNC_CUSTOMERS 20000

typedef struct
{
  EnrStore *store;
  gboolean  done;
  gboolean  ok;
  GError   *error;
  guint     ticks;        /* of a timeout, while the rebuild ran */
  double    last;         /* its progress, as the ticks saw it */
  gboolean  went_back;
} Rebuild;

static gboolean
on_rebuild_tick_cb (gpointer user_data)
{
  Rebuild *rebuild = user_data;
  double progress = enr_store_get_rebuild_progress (rebuild->store);

  if (rebuild->done)
    return G_SOURCE_CONTINUE;

  rebuild->ticks++;
  g_assert_cmpfloat (progress, >=, 0.0);
  g_assert_cmpfloat (progress, <=, 1.0);
  rebuild->went_back |= progress < rebuild->last;
  rebuild->last = progress;

  return G_SOURCE_CONTINUE;
}

static void
on_rebuilt_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Rebuild *rebuild = user_data;

  rebuild->ok = enr_store_rebuild_search_finish (ENR_STORE (source_object), result, &rebuild->error);
  rebuild->done = TRUE;
}

/* Bounded: a timeout wakes the loop. */
static gboolean
wait_for_rebuild (Rebuild *rebuild)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!rebuild->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  return rebuild->done;
}

/* A worker connection (the rebuild's, the bulk writer's) kept its page
 * cache to ENR_STORE_WORKER_CACHE_KIB, not the store's 32 MB: SQLite
 * counts each page with its header, hence the eighth more. The work
 * filled it (the 20,000 customers take more). */
static void
assert_worker_cache (EnrStore *store)
{
  gint kib = _enr_store_get_worker_cache_kib (store);

  g_test_message ("a worker connection held %d KiB of page cache", kib);
  g_assert_cmpint (kib, >=, ENR_STORE_WORKER_CACHE_KIB / 2);
  g_assert_cmpint (kib, <=, ENR_STORE_WORKER_CACHE_KIB + ENR_STORE_WORKER_CACHE_KIB / 8);
}

/* The indexes and the search of a bulk load built by a worker with its
 * own connection: the main loop runs meanwhile (a timeout keeps firing),
 * reads go on, writes fail at once instead of blocking; afterwards all
 * is as after enr_store_rebuild_search(). */
static void
test_rebuild_async (Fixture       *fixture,
                    gconstpointer  user_data)
{
  const GType types[] = { ENR_TYPE_CUSTOMER };
  g_autofree char *before = bulk_indexes (fixture->store);
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) late = objects_of (make_customer ("cust-late", "Ada Byron", "RPL-L", "", "", ""),
                                          NULL);
  g_autoptr(GError) error = NULL;
  Rebuild rebuild = { fixture->store, };
  GPtrArray *lists[] = { customers };
  gint64 start;
  guint tick;

  g_assert_cmpfloat (enr_store_get_rebuild_progress (fixture->store), ==, -1.0);
  g_assert_true (enr_store_defer_search (fixture->store, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < ASYNC_CUSTOMERS; i++)
    {
      g_autofree char *id = g_strdup_printf ("cust-%05u", i);
      g_autofree char *name = g_strdup_printf ("Customer %u Lovelace", i);
      g_autofree char *account = g_strdup_printf ("RPL-%05u", i);

      g_ptr_array_add (customers, make_customer (id, name, account, "(541) 555-0101", "", "12 Oak St"));
    }
  g_assert_true (enr_store_put_bulk (fixture->store, types, lists, NULL, 1, "c 1 1 x", &error));
  g_assert_no_error (error);
  after = bulk_indexes (fixture->store);
  g_assert_cmpstr (after, ==, "");
  g_clear_pointer (&after, g_free);

  tick = g_timeout_add (5, on_rebuild_tick_cb, &rebuild);
  start = g_get_monotonic_time ();
  enr_store_rebuild_search_async (fixture->store, on_rebuilt_cb, &rebuild);
  g_assert_cmpfloat (enr_store_get_rebuild_progress (fixture->store), >=, 0.0);

  /* A write fails at once, and clearly; a read sees the records. */
  g_assert_false (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, late, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SQL);
  g_assert_nonnull (strstr (error->message, "building its indexes"));
  g_clear_error (&error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_CUSTOMER, NULL), ==, ASYNC_CUSTOMERS);

  g_assert_true (wait_for_rebuild (&rebuild));
  g_source_remove (tick);
  g_assert_no_error (rebuild.error);
  g_assert_true (rebuild.ok);
  g_test_message ("rebuilt %u customers in %.2f s; the loop ran %u ticks meanwhile",
                  ASYNC_CUSTOMERS, (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC,
                  rebuild.ticks);
  g_assert_cmpuint (rebuild.ticks, >=, 2);
  g_assert_false (rebuild.went_back);
  g_assert_cmpfloat (enr_store_get_rebuild_progress (fixture->store), ==, -1.0);
  assert_worker_cache (fixture->store);

  after = bulk_indexes (fixture->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (pragma_int (fixture->store, "PRAGMA wal_autocheckpoint"), ==, 1000);
  assert_search (fixture->store, "customer 12345 lovelace", "cust-12345", FALSE);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);

  /* Writes work again, and keep the search up to date. */
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, late, &error));
  g_assert_no_error (error);
  assert_search (fixture->store, "ada byron", "cust-late", FALSE);

  /* A second one with nothing deferred builds the same again. */
  rebuild.done = FALSE;
  enr_store_rebuild_search_async (fixture->store, on_rebuilt_cb, &rebuild);
  g_assert_true (wait_for_rebuild (&rebuild));
  g_assert_true (rebuild.ok);
  g_clear_pointer (&after, g_free);
  after = bulk_indexes (fixture->store);
  g_assert_cmpstr (after, ==, before);
  assert_search (fixture->store, "ada byron", "cust-late", FALSE);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
  guint    changed;
} Written;

static void
on_written_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Written *written = user_data;
  EnrStoreBulkWriter *writer = g_object_get_data (source_object, "test-writer");

  written->ok = enr_store_bulk_writer_put_finish (writer, result, &written->error);
  written->done = TRUE;
}

static void
on_customers_changed_cb (EnrStore *store,
                         GType     type,
                         Written  *written)
{
  if (type == ENR_TYPE_CUSTOMER)
    written->changed++;
}

/* A bulk load's batches written by a thread with its own connection:
 * each one transaction with its resume point; the store's own writes
 * fail at once meanwhile, its reads go on; the store says what changed;
 * the search waits for the rebuild as it does for enr_store_put_bulk(). */
static void
test_bulk_writer (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const GType types[] = { ENR_TYPE_CUSTOMER, ENR_TYPE_SERVICE_POINT };
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) points = objects_of (make_service_point ("sp-w", "40 Mill Rd"), NULL);
  g_autoptr(GPtrArray) late = objects_of (make_customer ("cust-late", "Ada Byron", "RPL-L", "", "", ""),
                                          NULL);
  g_autoptr(EnrStoreBulkWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *resume = NULL;
  GPtrArray *lists[] = { customers, points };
  Written written = { 0, };
  gulong handler;

  g_assert_true (enr_store_defer_search (fixture->store, &error));
  g_assert_no_error (error);
  writer = enr_store_bulk_writer_new (fixture->store, &error);
  g_assert_no_error (error);
  g_object_set_data (G_OBJECT (fixture->store), "test-writer", writer);
  handler = g_signal_connect (fixture->store, "changed", G_CALLBACK (on_customers_changed_cb), &written);

  for (guint i = 0; i < ASYNC_CUSTOMERS; i++)
    {
      g_autofree char *id = g_strdup_printf ("cust-%05u", i);
      g_autofree char *name = g_strdup_printf ("Customer %u Lovelace", i);
      g_autofree char *account = g_strdup_printf ("RPL-%05u", i);

      /* Records large enough to fill more than a worker's page cache. */
      g_ptr_array_add (customers, make_customer (id, name, account, "(541) 555-0101",
                                                 "customer.lovelace@example.org",
                                                 "12 Oak Street, Building C, Apartment 4B, Springfield"));
    }

  enr_store_bulk_writer_put_async (writer, types, lists, NULL, G_N_ELEMENTS (lists), "c 3 20000 after",
                                   on_written_cb, &written);
  /* The batch is the writer's now; the store's own writes fail at once. */
  g_assert_false (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, late, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SQL);
  g_assert_nonnull (strstr (error->message, "storing downloaded records"));
  g_clear_error (&error);
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_SERVICE_POINT, NULL), ==, 0);

  {
    gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

    while (!written.done && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (written.done);
  g_assert_no_error (written.error);
  g_assert_true (written.ok);
  g_assert_cmpuint (written.changed, ==, 1);
  g_clear_signal_handler (&handler, fixture->store);
  assert_worker_cache (fixture->store);

  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_CUSTOMER, NULL), ==, ASYNC_CUSTOMERS);
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_SERVICE_POINT, NULL), ==, 1);
  resume = enr_store_get_download_resume (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resume, ==, "c 3 20000 after");
  /* The search waits for the rebuild. */
  assert_search (fixture->store, "customer 12345", "", FALSE);

  /* The store writes again once the batch is in. */
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, late, &error));
  g_assert_no_error (error);

  g_clear_pointer (&writer, enr_store_bulk_writer_free);
  g_assert_true (enr_store_rebuild_search (fixture->store, &error));
  g_assert_no_error (error);
  assert_search (fixture->store, "customer 12345", "cust-12345", FALSE);
  assert_search (fixture->store, "ada", "cust-late", FALSE);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

/* A bulk load builds the search once, after the records; a store closed
 * in the middle of one builds it when it opens. */
static void
test_defer_search (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GPtrArray) customers = objects_of (make_customer ("cust-1", "Maria Gonzalez", "RPL-1",
                                                              "(541) 555-0101", "", "12 Oak St"),
                                               make_customer ("cust-2", "Li Wei", "RPL-2", "", "", ""),
                                               NULL);
  g_autoptr(GPtrArray) points = objects_of (make_service_point ("sp-1", "40 Mill Rd"), NULL);
  g_autoptr(GPtrArray) services = objects_of (make_metered_service ("ms-1", "cust-2", "sp-1"), NULL);
  g_autoptr(GPtrArray) more = objects_of (make_customer ("cust-3", "Ada Byron", "RPL-3", "", "", ""),
                                          NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (enr_store_defer_search (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, customers, &error));
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_SERVICE_POINT, points, &error));
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_METERED_SERVICE, services, &error));
  g_assert_no_error (error);
  assert_search (fixture->store, "maria", "", FALSE);

  g_assert_true (enr_store_rebuild_search (fixture->store, &error));
  g_assert_no_error (error);
  assert_search (fixture->store, "maria", "cust-1", FALSE);
  assert_search (fixture->store, "5550101", "cust-1", FALSE);
  assert_search (fixture->store, "mill", "cust-2", FALSE);

  /* Kept up to date again. */
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, more, &error));
  assert_search (fixture->store, "ada", "cust-3", FALSE);

  /* Interrupted: the next open builds it. */
  g_assert_true (enr_store_defer_search (fixture->store, &error));
  g_assert_true (enr_store_delete (fixture->store, ENR_TYPE_CUSTOMER, "cust-3", &error));
  g_ptr_array_set_size (more, 0);
  g_ptr_array_add (more, make_customer ("cust-4", "Grace Hopper", "RPL-4", "", "", ""));
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, more, &error));
  g_assert_no_error (error);
  assert_search (fixture->store, "grace", "", FALSE);
  reopen (fixture);
  assert_search (fixture->store, "grace", "cust-4", FALSE);
  assert_search (fixture->store, "ada", "", FALSE);
  assert_search (fixture->store, "li", "cust-2", FALSE);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
}

static void
on_store_changed_cb (EnrStore *store,
                     GType     type,
                     GArray   *types)
{
  g_array_append_val (types, type);
}

/* Counts per program and status, and the tasks in progress by age,
 * through a second, read-only connection. */
/* The last sync is kept across a restart. */
static void
test_last_sync (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) none = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 6, 1, 9, 30, 15.25);
  g_autoptr(GDateTime) local = g_date_time_to_local (when);
  g_autoptr(GDateTime) read = NULL;
  g_autoptr(GDateTime) reopened = NULL;

  none = enr_store_get_last_sync (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_true (enr_store_set_last_sync (fixture->store, local, &error));
  g_assert_no_error (error);
  read = enr_store_get_last_sync (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (read, when));

  g_clear_object (&fixture->store);
  fixture->store = enr_store_new (fixture->path, NULL, &error);
  g_assert_no_error (error);
  reopened = enr_store_get_last_sync (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (reopened, when));
}

static void
test_count_tasks (Fixture       *fixture,
                  gconstpointer  data)
{
  static const gint64 ages[] = { 86400, 3 * 86400 };
  const gint64 now = 1780000000;
  static const struct
  {
    const char    *id;
    const char    *program_id;
    EnrTaskStatus  status;
    gint64         age;
  } tasks[] = {
    { "t1", "prog-b", ENR_TASK_STATUS_IN_PROGRESS, 3600 },
    { "t2", "prog-b", ENR_TASK_STATUS_IN_PROGRESS, 86400 },      /* at most a day */
    { "t3", "prog-b", ENR_TASK_STATUS_IN_PROGRESS, 86400 + 1 },
    { "t4", "prog-a", ENR_TASK_STATUS_IN_PROGRESS, 3 * 86400 + 1 },
    { "t5", "prog-a", ENR_TASK_STATUS_IN_PROGRESS, 30 * 86400 },
    { "t6", "prog-a", ENR_TASK_STATUS_PENDING, 30 * 86400 },      /* not in progress */
    { "t7", "prog-b", ENR_TASK_STATUS_CANCELED, 60 },
    { "t8", "prog-b", ENR_TASK_STATUS_CANCELED, 60 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) counts = NULL;
  g_autofree char *missing = NULL;
  guint64 by_age[G_N_ELEMENTS (ages) + 1] = { 0 };
  EnrStoreTaskCount *count;

  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    g_ptr_array_add (objects, make_task (tasks[i].id, "cust-1", tasks[i].program_id, tasks[i].status,
                                         ENR_TASK_KIND_ENROLLMENT, "clerk", now - tasks[i].age));
  /* In progress with no creation time: of no age. */
  g_ptr_array_add (objects, make_task ("t9", "cust-1", "prog-c", ENR_TASK_STATUS_IN_PROGRESS,
                                       ENR_TASK_KIND_UNENROLLMENT, "clerk", now));
  enr_service_task_set_created_at (g_ptr_array_index (objects, objects->len - 1), NULL);
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_SERVICE_TASK, objects, &error));
  g_assert_no_error (error);

  g_assert_true (enr_store_count_tasks (fixture->path, now, ages, G_N_ELEMENTS (ages),
                                        &counts, by_age, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (counts->len, ==, 5);
  count = &g_array_index (counts, EnrStoreTaskCount, 0);
  g_assert_cmpstr (count->program_id, ==, "prog-a");
  g_assert_cmpint (count->status, ==, ENR_TASK_STATUS_PENDING);
  g_assert_cmpuint (count->count, ==, 1);
  count = &g_array_index (counts, EnrStoreTaskCount, 1);
  g_assert_cmpstr (count->program_id, ==, "prog-a");
  g_assert_cmpint (count->status, ==, ENR_TASK_STATUS_IN_PROGRESS);
  g_assert_cmpuint (count->count, ==, 2);
  count = &g_array_index (counts, EnrStoreTaskCount, 2);
  g_assert_cmpstr (count->program_id, ==, "prog-b");
  g_assert_cmpint (count->status, ==, ENR_TASK_STATUS_IN_PROGRESS);
  g_assert_cmpuint (count->count, ==, 3);
  count = &g_array_index (counts, EnrStoreTaskCount, 3);
  g_assert_cmpstr (count->program_id, ==, "prog-b");
  g_assert_cmpint (count->status, ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpuint (count->count, ==, 2);
  count = &g_array_index (counts, EnrStoreTaskCount, 4);
  g_assert_cmpstr (count->program_id, ==, "prog-c");
  g_assert_cmpint (count->status, ==, ENR_TASK_STATUS_IN_PROGRESS);
  g_assert_cmpuint (count->count, ==, 1);

  g_assert_cmpuint (by_age[0], ==, 2);
  g_assert_cmpuint (by_age[1], ==, 1);
  g_assert_cmpuint (by_age[2], ==, 2);
  g_clear_pointer (&counts, g_array_unref);

  /* No ages: one group of every task in progress. */
  g_assert_true (enr_store_count_tasks (fixture->path, now, NULL, 0, &counts, by_age, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (by_age[0], ==, 6);
  g_clear_pointer (&counts, g_array_unref);

  missing = g_build_filename (fixture->dir, "missing.db", NULL);
  g_assert_false (enr_store_count_tasks (missing, now, ages, G_N_ELEMENTS (ages), &counts, by_age, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (counts);
}

/* The groups of service_task_counts, and the same groups counted from
 * the tasks, each as "program/status/kind=n;" in one order: the two
 * must be equal after every write. */
static char *
task_groups (sqlite3    *db,
             const char *sql)
{
  g_autoptr(GString) groups = g_string_new (NULL);
  sqlite3_stmt *stmt;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (groups, "%s/%s/%s=%s;",
                            sqlite3_column_type (stmt, 0) == SQLITE_NULL
                              ? "(none)" : (const char *) sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2),
                            sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);

  return g_string_free (g_steal_pointer (&groups), FALSE);
}

#define assert_task_counts(store, n_groups) \
  assert_task_counts_at (store, n_groups, __LINE__)

static void
assert_task_counts_at (EnrStore *store,
                       guint     n_groups,
                       int       line)
{
  sqlite3 *db = _enr_store_get_db (store);
  g_autofree char *counted = task_groups (db, "SELECT program_id, status, kind, n FROM service_task_counts"
                                              " ORDER BY program_id, status, kind, n");
  g_autofree char *tasks = task_groups (db, "SELECT program_id, status, kind, count(*) FROM service_tasks"
                                            " GROUP BY program_id, status, kind"
                                            " ORDER BY program_id, status, kind");
  guint n = 0;

  for (const char *c = tasks; *c != '\0'; c++)
    n += *c == ';';

  if (!g_str_equal (counted, tasks))
    g_error ("line %d: the kept counts are %s; the tasks are %s", line, counted, tasks);
  if (n != n_groups)
    g_error ("line %d: %u groups expected: %s", line, n_groups, tasks);
}

/* Schema 8 keeps the counts of service tasks per program, status and
 * kind in the statement that writes a task, whatever path writes it. */
static void
test_task_counts_follow_writes (Fixture       *fixture,
                                gconstpointer  data)
{
  const GType types[] = { ENR_TYPE_SERVICE_TASK };
  EnrStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = objects_of (make_task ("t1", "cust-1", "prog-a", ENR_TASK_STATUS_PENDING,
                                                      ENR_TASK_KIND_ENROLLMENT, "clerk", 1780000000),
                                           make_task ("t2", "cust-1", "prog-a", ENR_TASK_STATUS_PENDING,
                                                      ENR_TASK_KIND_ENROLLMENT, "clerk", 1780000000),
                                           make_task ("t3", "cust-2", "prog-b", ENR_TASK_STATUS_PENDING,
                                                      ENR_TASK_KIND_UNENROLLMENT, "alex", 1780000000),
                                           make_task ("t4", "cust-2", NULL, ENR_TASK_STATUS_PENDING,
                                                      ENR_TASK_KIND_ENROLLMENT, "alex", 1780000000),
                                           make_task ("t5", "cust-3", NULL, ENR_TASK_STATUS_PENDING,
                                                      ENR_TASK_KIND_ENROLLMENT, "alex", 1780000000),
                                           NULL);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
  g_autoptr(GPtrArray) download = NULL;
  g_autoptr(EnrOperation) saved = NULL;
  g_autoptr(EnrOperation) canceled = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autofree char *pulled = server_copy ("t6", ENR_TASK_STATUS_IN_PROGRESS, 2);
  g_autofree char *pulled_again = server_copy ("t6", ENR_TASK_STATUS_COMPLETED, 3);
  GPtrArray *lists[1];

  assert_task_counts (store, 0);

  /* Stored; a program of none ("no program") is a group of its own. */
  put_all (store, ENR_TYPE_SERVICE_TASK, tasks);
  assert_task_counts (store, 3);
  g_assert_cmpint (query_int (_enr_store_get_db (store),
                              "SELECT n FROM service_task_counts WHERE program_id IS NULL"), ==, 2);

  /* Stored again, as they are: an update of nothing counted. */
  put_all (store, ENR_TYPE_SERVICE_TASK, tasks);
  assert_task_counts (store, 3);

  /* Each counted column changed. */
  enr_service_task_set_status (g_ptr_array_index (tasks, 0), ENR_TASK_STATUS_IN_PROGRESS);
  enr_service_task_set_kind (g_ptr_array_index (tasks, 2), ENR_TASK_KIND_ENROLLMENT);
  enr_service_task_set_program_id (g_ptr_array_index (tasks, 3), "prog-b");
  put_all (store, ENR_TYPE_SERVICE_TASK, tasks);
  assert_task_counts (store, 4);

  /* Deleted: a group that empties goes. */
  g_assert_true (enr_store_delete (store, ENR_TYPE_SERVICE_TASK, "t5", &error));
  g_assert_no_error (error);
  assert_task_counts (store, 3);

  /* Saved and canceled by the user, with their operations. */
  task = enr_store_get (store, ENR_TYPE_SERVICE_TASK, "t2", &error);
  g_assert_no_error (error);
  enr_service_task_set_status (task, ENR_TASK_STATUS_VALIDATE);
  saved = queue_task (store, task, ENR_OPERATION_KIND_SAVE_TASK);
  assert_task_counts (store, 3);
  g_assert_cmpint (query_int (_enr_store_get_db (store),
                              "SELECT n FROM service_task_counts WHERE status = 1"), ==, 1);
  enr_service_task_set_status (task, ENR_TASK_STATUS_CANCELED);
  canceled = queue_task (store, task, ENR_OPERATION_KIND_CANCEL_TASK);
  assert_task_counts (store, 3);
  g_clear_object (&task);

  /* Pulled: new, changed, deleted. */
  g_ptr_array_add (changes, enr_store_change_new (ENR_TYPE_SERVICE_TASK, "t6", pulled));
  g_assert_true (enr_store_apply_changes (store, changes, "cursor-1", &error));
  g_assert_no_error (error);
  assert_task_counts (store, 4);
  g_ptr_array_set_size (changes, 0);
  g_ptr_array_add (changes, enr_store_change_new (ENR_TYPE_SERVICE_TASK, "t6", pulled_again));
  g_ptr_array_add (changes, enr_store_change_new (ENR_TYPE_SERVICE_TASK, "t3", NULL));
  g_assert_true (enr_store_apply_changes (store, changes, "cursor-2", &error));
  g_assert_no_error (error);
  assert_task_counts (store, 4);

  /* A batch that fails takes its counts back with its tasks. */
  g_ptr_array_add (bad, enr_store_change_new (ENR_TYPE_SERVICE_TASK, "t6", pulled));
  g_ptr_array_add (bad, enr_store_change_new (ENR_TYPE_SERVICE_TASK, "t7", "{\"id\":\"t7\",\"status\":"));
  g_assert_false (enr_store_apply_changes (store, bad, "cursor-3", &error));
  g_clear_error (&error);
  assert_task_counts (store, 4);

  /* A download batch, over tasks there and new ones. */
  download = objects_of (make_task ("t1", "cust-1", "prog-a", ENR_TASK_STATUS_COMPLETED,
                                    ENR_TASK_KIND_ENROLLMENT, "clerk", 1780000000),
                         make_task ("t8", "cust-4", "prog-c", ENR_TASK_STATUS_ERROR,
                                    ENR_TASK_KIND_UNENROLLMENT, "clerk", 1780000000),
                         make_task ("t9", "cust-4", "prog-c", ENR_TASK_STATUS_ERROR,
                                    ENR_TASK_KIND_UNENROLLMENT, "clerk", 1780000000),
                         NULL);
  lists[0] = download;
  g_assert_true (enr_store_put_bulk (store, types, lists, NULL, 1, "t 7 3", &error));
  g_assert_no_error (error);
  assert_task_counts (store, 5);

  /* A REPLACE, by SQL on the store's connection: the row it deletes is
   * counted out (recursive triggers). */
  g_assert_cmpint (sqlite3_exec (_enr_store_get_db (store),
                                 "INSERT OR REPLACE INTO service_tasks (seq, id, customer_id, program_id,"
                                 " status, kind, created_by, created_at, updated_at, version, json)"
                                 " SELECT seq, id, customer_id, 'prog-d', status, kind, created_by,"
                                 " created_at, updated_at, version, json FROM service_tasks WHERE id = 't8'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  assert_task_counts (store, 6);

  /* Through a restart, and the integrity check agrees. */
  reopen (fixture);
  assert_task_counts (fixture->store, 6);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

/* A count that is not what the tasks are is damage. */
static void
test_task_counts_damage (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char * const damage[] = {
    "UPDATE service_task_counts SET n = n + 1 WHERE program_id = 'prog-a'",
    "DELETE FROM service_task_counts WHERE program_id IS NULL",
    "INSERT INTO service_task_counts (program_id, status, kind, n) VALUES ('prog-z', 0, 0, 1)",
    "INSERT INTO service_task_counts (program_id, status, kind, n) VALUES ('prog-z', 0, 0, 0)",
  };
  g_autoptr(GPtrArray) tasks = objects_of (make_task ("t1", "cust-1", "prog-a", ENR_TASK_STATUS_PENDING,
                                                      ENR_TASK_KIND_ENROLLMENT, "clerk", 1780000000),
                                           make_task ("t2", "cust-1", NULL, ENR_TASK_STATUS_PENDING,
                                                      ENR_TASK_KIND_ENROLLMENT, "clerk", 1780000000),
                                           NULL);
  sqlite3 *db = _enr_store_get_db (fixture->store);
  g_autoptr(GError) error = NULL;

  put_all (fixture->store, ENR_TYPE_SERVICE_TASK, tasks);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (damage); i++)
    {
      g_assert_cmpint (sqlite3_exec (db, "SAVEPOINT damage", NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, damage[i], NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_false (enr_store_check_integrity (fixture->store, &error));
      g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT);
      g_test_message ("%s: %s", damage[i], error->message);
      g_assert_nonnull (strstr (error->message, "counted"));
      g_clear_error (&error);
      g_assert_cmpint (sqlite3_exec (db, "ROLLBACK TO damage; RELEASE damage", NULL, NULL, NULL), ==, SQLITE_OK);

      g_assert_true (enr_store_check_integrity (fixture->store, &error));
      g_assert_no_error (error);
    }
}

/* A store of schema 7 gets its counts from its tasks, and keeps them. */
static void
test_task_counts_migrate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("enr-migrate-7-XXXXXX", &error);
  g_autofree char *path = g_build_filename (directory, "client.db", NULL);
  g_autoptr(EnrStore) store = NULL;
  g_autoptr(GPtrArray) more = NULL;
  const char * const *steps;
  guint n_steps;
  sqlite3 *db;

  g_assert_no_error (error);
  steps = _enr_store_migrations (&n_steps);
  g_assert_cmpuint (n_steps, >=, 8);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (_enr_store_migrate (db, steps, 7, &error));
  g_assert_no_error (error);
  g_assert_cmpint (user_version (db), ==, 7);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO service_tasks (id, customer_id, program_id, status,"
                                              " kind, created_by, created_at, updated_at, version, json)"
                                              " VALUES ('task-%u', 'cust-1', %s, %u, %u, 'clerk', 1780000000,"
                                              " 1780000000, 1, '{}')",
                                              i, (const char *[]) { "NULL", "'prog-a'", "'prog-b'" }[i / 6 % 3],
                                              i % 6, i / 18 % 2);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  sqlite3_close (db);

  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (enr_store_get_schema_version (store), ==, 8);
  assert_task_counts (store, 3 * 6 * 2);
  g_assert_true (enr_store_check_integrity (store, &error));
  g_assert_no_error (error);

  /* The triggers came with it. */
  more = objects_of (make_task ("task-new", "cust-1", "prog-new", ENR_TASK_STATUS_PENDING,
                                ENR_TASK_KIND_ENROLLMENT, "clerk", 1780000000), NULL);
  put_all (store, ENR_TYPE_SERVICE_TASK, more);
  g_assert_true (enr_store_delete (store, ENR_TYPE_SERVICE_TASK, "task-0", &error));
  g_assert_no_error (error);
  assert_task_counts (store, 3 * 6 * 2 + 1);

  g_clear_object (&store);
  remove_database_files (path);
  g_rmdir (directory);
}

static void
test_changed_signal (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GArray) types = g_array_new (FALSE, FALSE, sizeof (GType));
  g_autoptr(GPtrArray) customers = objects_of (make_customer ("c1", "A", "B", NULL, NULL, NULL),
                                               make_customer ("c2", "C", "D", NULL, NULL, NULL), NULL);
  g_autoptr(EnrProcessFlow) flow = make_flow ("flow-1", make_simple_task ("task-1"));
  g_autoptr(GError) error = NULL;

  g_signal_connect (fixture->store, "changed", G_CALLBACK (on_store_changed_cb), types);

  put_all (fixture->store, ENR_TYPE_CUSTOMER, customers);
  g_assert_cmpuint (types->len, ==, 1);
  g_assert_true (g_array_index (types, GType, 0) == ENR_TYPE_CUSTOMER);

  g_object_unref (enr_store_save_flow_with_operation (fixture->store, flow, ENR_OPERATION_KIND_CREATE_TASK,
                                                      NULL, &error));
  g_assert_cmpuint (types->len, ==, 3);
  g_assert_true (g_array_index (types, GType, 1) == ENR_TYPE_PROCESS_FLOW);
  g_assert_true (g_array_index (types, GType, 2) == ENR_TYPE_SERVICE_TASK);

  /* Nothing is announced for a rolled-back transaction. */
  g_ptr_array_add (customers, make_customer ("", "E", "F", NULL, NULL, NULL));
  g_assert_false (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, customers, &error));
  g_clear_error (&error);
  g_assert_cmpuint (types->len, ==, 3);
}

/* Task list */

#define N_TASKS 10000

typedef struct
{
  gint64  seq;
  char   *id;
  char   *customer_id;
  char   *program_id;
  int     status;
  int     kind;
  char   *created_by;
  gint64  created_at;
  gint64  updated_at;
} Row;

typedef struct
{
  EnrTaskSort sort;
  gboolean    descending;
} SortSpec;

static const SortSpec *current_sort;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Row *x = *(const Row * const *) a;
  const Row *y = *(const Row * const *) b;
  int order = 0;

  switch (current_sort->sort)
    {
    case ENR_TASK_SORT_CREATED_AT:
      order = (x->created_at > y->created_at) - (x->created_at < y->created_at);
      break;
    case ENR_TASK_SORT_UPDATED_AT:
      order = (x->updated_at > y->updated_at) - (x->updated_at < y->updated_at);
      break;
    case ENR_TASK_SORT_STATUS:
      order = (x->status > y->status) - (x->status < y->status);
      break;
    case ENR_TASK_SORT_KIND:
      order = (x->kind > y->kind) - (x->kind < y->kind);
      break;
    case ENR_TASK_SORT_PROGRAM:
      order = strcmp (x->program_id, y->program_id);
      break;
    case ENR_TASK_SORT_CREATED_BY:
      order = strcmp (x->created_by, y->created_by);
      break;
    default:
      g_assert_not_reached ();
    }

  if (order == 0)
    order = (x->seq > y->seq) - (x->seq < y->seq);

  return current_sort->descending ? -order : order;
}

typedef struct
{
  guint        status_mask;
  int          kind;
  const char  *program_id;
  const char  *created_by;
  guint        min_age_days;
  guint        max_age_days;
  const char  *customer_text;
  const char  *customer_ids;  /* the customers customer_text finds */
} Filter;

static gboolean
row_matches (const Row    *row,
             const Filter *filter,
             gint64        now)
{
  if (filter->status_mask != 0 && (filter->status_mask & (1u << row->status)) == 0)
    return FALSE;
  if (filter->kind >= 0 && row->kind != filter->kind)
    return FALSE;
  if (filter->program_id != NULL && g_strcmp0 (row->program_id, filter->program_id) != 0)
    return FALSE;
  if (filter->created_by != NULL && g_strcmp0 (row->created_by, filter->created_by) != 0)
    return FALSE;
  if (filter->min_age_days > 0 && row->created_at > now - (gint64) filter->min_age_days * 86400)
    return FALSE;
  if (filter->max_age_days > 0 && row->created_at < now - (gint64) filter->max_age_days * 86400)
    return FALSE;
  if (filter->customer_ids != NULL)
    {
      g_auto(GStrv) ids = g_strsplit (filter->customer_ids, " ", -1);

      if (!g_strv_contains ((const char * const *) ids, row->customer_id))
        return FALSE;
    }
  return TRUE;
}

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->id);
  g_free (row->customer_id);
  g_free (row->program_id);
  g_free (row->created_by);
  g_free (row);
}

/* Fills the store with N_TASKS tasks; their rows in insertion order. */
static GPtrArray *
fill_tasks (EnrStore *store,
            gint64    now)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *rows = g_ptr_array_new_with_free_func (row_free);

  for (guint i = 0; i < N_TASKS; i++)
    {
      Row *row = g_new0 (Row, 1);
      g_autoptr(GDateTime) created = NULL;
      g_autoptr(GDateTime) updated = NULL;
      EnrServiceTask *task;

      row->seq = i + 1;
      row->id = g_strdup_printf ("task-%05u", i);
      row->customer_id = g_strdup_printf ("c%u", 1 + i % 5);
      row->program_id = g_strdup_printf ("prog-%u", (i * 7) % 4);
      row->status = i % 6;
      row->kind = (i / 3) % 2;
      row->created_by = g_strdup_printf ("user-%u", (i * 13) % 5);
      row->created_at = now - (gint64) ((i * 37) % 10000) * 3600 - 1800;
      row->updated_at = row->created_at + (i % 17) * 60;

      created = date_time_from_unix (row->created_at);
      updated = date_time_from_unix (row->updated_at);
      task = make_task (row->id, row->customer_id, row->program_id, row->status, row->kind,
                        row->created_by, row->created_at);
      enr_service_task_set_updated_at (task, updated);
      g_ptr_array_add (tasks, task);
      g_ptr_array_add (rows, row);
    }

  put_all (store, ENR_TYPE_SERVICE_TASK, tasks);
  return rows;
}

static void
apply_filter (EnrTaskListModel *model,
              const Filter     *filter,
              const SortSpec   *sort)
{
  g_object_set (model,
                "status-mask", filter->status_mask,
                "kind", filter->kind,
                "program-id", filter->program_id,
                "created-by", filter->created_by,
                "min-age-days", filter->min_age_days,
                "max-age-days", filter->max_age_days,
                "customer-text", filter->customer_text,
                "sort", sort->sort,
                "descending", sort->descending,
                NULL);
}

/* Compares @model with the expected order at @positions (all when NULL). */
static void
check_model (EnrTaskListModel *model,
             GPtrArray        *rows,
             const Filter     *filter,
             const SortSpec   *sort,
             gint64            now,
             gboolean          every_position)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  guint n;

  for (guint i = 0; i < rows->len; i++)
    if (row_matches (g_ptr_array_index (rows, i), filter, now))
      g_ptr_array_add (expected, g_ptr_array_index (rows, i));

  current_sort = sort;
  g_ptr_array_sort (expected, compare_rows);

  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, expected->len);
  g_assert_null (enr_task_list_model_get_error (model));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));

  /* In order; or a jump to the middle, a walk back from there (anchors
   * behind a page), and random jumps. */
  for (guint k = 0; k < (every_position ? n : MIN (n, 60)); k++)
    {
      guint position;
      g_autoptr(EnrServiceTask) task = NULL;
      const Row *row;

      if (every_position)
        position = k;
      else if (k < 20)
        position = n / 2 > k * 97 ? n / 2 - k * 97 : k;
      else
        position = g_test_rand_int_range (0, n);

      task = g_list_model_get_item (G_LIST_MODEL (model), position);
      row = g_ptr_array_index (expected, position);

      if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (task)), row->id) != 0)
        g_error ("sort %d%s: position %u holds %s, expected %s",
                 sort->sort, sort->descending ? " desc" : "", position,
                 enr_entity_get_id (ENR_ENTITY (task)), row->id);
    }

  if (n > 0)
    {
      g_autoptr(EnrServiceTask) last = g_list_model_get_item (G_LIST_MODEL (model), n - 1);
      const Row *row = g_ptr_array_index (expected, n - 1);

      g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (last)), ==, row->id);
    }

  /* Where a task is: the first, the last and some between; one filtered
   * out is not listed. */
  for (guint k = 0; k < MIN (n, 8); k++)
    {
      guint position = k < 2 ? k * (n - 1) : (guint) g_test_rand_int_range (0, n);
      const Row *row = g_ptr_array_index (expected, position);

      g_assert_cmpuint (enr_task_list_model_get_position (model, row->id), ==, position);
    }
  for (guint i = 0; i < rows->len; i++)
    if (!row_matches (g_ptr_array_index (rows, i), filter, now))
      {
        const Row *row = g_ptr_array_index (rows, i);

        g_assert_cmpuint (enr_task_list_model_get_position (model, row->id), ==, G_MAXUINT);
        break;
      }
  g_assert_cmpuint (enr_task_list_model_get_position (model, "no-such-task"), ==, G_MAXUINT);
}

typedef struct
{
  guint n_signals;
  guint position;
  guint removed;
  guint added;
} ItemsChanged;

static void
on_items_changed_cb (GListModel   *model,
                     guint         position,
                     guint         removed,
                     guint         added,
                     ItemsChanged *seen)
{
  seen->n_signals++;
  seen->position = position;
  seen->removed = removed;
  seen->added = added;
}

/* Tasks with no creator (their sort key NULL) in a large
 * result: every page from an anchor, either way, reads every row once,
 * in the order SQLite sorts them (NULL first). */
static void
test_task_list_null_keys (Fixture       *fixture,
                          gconstpointer  data)
{
  static const struct
  {
    EnrTaskSort  sort;
    const char  *column;
  } sorts[] = {
    { ENR_TASK_SORT_PROGRAM, "program_id" },
    { ENR_TASK_SORT_CREATED_BY, "created_by" },
    { ENR_TASK_SORT_CREATED_AT, "created_at" },
  };
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(EnrTaskListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 5 * ENR_TASK_LIST_PAGE_SIZE / 2;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("task-%04u", i);
      g_autofree char *program = g_strdup_printf ("prog-%u", i % 3);
      g_autofree char *creator = g_strdup_printf ("user-%u", i % 4);

      /* One in four without a creator (a task needs a program), in runs
       * longer than a page. */
      g_ptr_array_add (tasks, make_task (id, "c1", program,
                                         ENR_TASK_STATUS_PENDING, ENR_TASK_KIND_ENROLLMENT,
                                         (i / 40) % 4 == 0 ? NULL : creator, 1780000000 + i % 7));
    }
  put_all (fixture->store, ENR_TYPE_SERVICE_TASK, tasks);

  model = enr_task_list_model_new (fixture->store);
  _enr_task_list_model_set_small_result (model, 0);

  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (guint descending = 0; descending < 2; descending++)
      {
        g_autofree char *sql = g_strdup_printf ("SELECT id FROM service_tasks ORDER BY %s %s, seq %s",
                                                sorts[s].column, descending ? "DESC" : "ASC",
                                                descending ? "DESC" : "ASC");
        sqlite3 *db = _enr_store_get_db (fixture->store);
        g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
        sqlite3_stmt *stmt;

        g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
        while (sqlite3_step (stmt) == SQLITE_ROW)
          g_ptr_array_add (expected, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
        sqlite3_finalize (stmt);
        g_assert_cmpuint (expected->len, ==, n);

        enr_task_list_model_set_sort (model, sorts[s].sort);
        enr_task_list_model_set_descending (model, descending);
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);

        /* Forwards, then backwards from the end: pages read from anchors. */
        for (guint pass = 0; pass < 2; pass++)
          for (guint k = 0; k < n; k++)
            {
              guint i = pass == 0 ? k : n - 1 - k;
              g_autoptr(EnrServiceTask) task = g_list_model_get_item (G_LIST_MODEL (model), i);
              const char *id = enr_entity_get_id (ENR_ENTITY (task));

              if (g_strcmp0 (id, g_ptr_array_index (expected, i)) != 0)
                g_error ("%s %s, row %u: %s, expected %s", sorts[s].column,
                         descending ? "DESC" : "ASC", i, id, (char *) g_ptr_array_index (expected, i));
              if (k % 37 == 0)
                g_assert_cmpuint (enr_task_list_model_get_position (model, id), ==, i);
            }

        /* Another order drops the pages read. */
        enr_task_list_model_set_sort (model, ENR_TASK_SORT_STATUS);
      }

  g_assert_no_error (error);
}

static void
test_task_list_model (Fixture       *fixture,
                      gconstpointer  data)
{
  static const Filter no_filter = { 0, -1, NULL, NULL, 0, 0, NULL, NULL };
  static const Filter filters[] = {
    { 1u << ENR_TASK_STATUS_PENDING, -1, NULL, NULL, 0, 0, NULL, NULL },
    { (1u << ENR_TASK_STATUS_PENDING) | (1u << ENR_TASK_STATUS_ERROR) | (1u << ENR_TASK_STATUS_IN_PROGRESS),
      -1, NULL, NULL, 0, 0, NULL, NULL },
    { 0, ENR_TASK_KIND_UNENROLLMENT, "prog-2", NULL, 0, 0, NULL, NULL },
    { 0, -1, NULL, "user-3", 0, 0, NULL, NULL },
    { 0, -1, NULL, NULL, 100, 0, NULL, NULL },
    { 0, -1, NULL, NULL, 0, 30, NULL, NULL },
    { 0, -1, NULL, NULL, 10, 200, NULL, NULL },
    { 0, -1, NULL, NULL, 0, 0, "maria", "c1 c5" },
    { 1u << ENR_TASK_STATUS_CANCELED, ENR_TASK_KIND_ENROLLMENT, "prog-1", "user-4", 0, 0, "riverbend", "c1 c2" },
    { 0, -1, "prog-none", NULL, 0, 0, NULL, NULL },
  };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(EnrTaskListModel) model = NULL;
  g_autoptr(GPtrArray) extra = NULL;
  g_autoptr(EnrServiceTask) first = NULL;
  ItemsChanged seen = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint before;

  set_up_search (fixture->store);
  rows = fill_tasks (fixture->store, now);

  model = enr_task_list_model_new (fixture->store);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == ENR_TYPE_SERVICE_TASK);
  g_assert_true (enr_task_list_model_get_store (model) == fixture->store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_TASKS);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), &seen);

  /* Every sort, both ways, both reading strategies; the full order once. */
  for (guint large = 0; large < 2; large++)
    {
      _enr_task_list_model_set_small_result (model, large ? 0 : 20000);

      for (guint sort = ENR_TASK_SORT_CREATED_AT; sort <= ENR_TASK_SORT_CREATED_BY; sort++)
        for (guint descending = 0; descending < 2; descending++)
          {
            SortSpec spec = { sort, descending };

            apply_filter (model, &no_filter, &spec);
            check_model (model, rows, &no_filter, &spec, now,
                         sort == ENR_TASK_SORT_STATUS && !descending);
          }

      for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
        {
          SortSpec spec = { f % (ENR_TASK_SORT_CREATED_BY + 1), f % 2 };

          apply_filter (model, &filters[f], &spec);
          check_model (model, rows, &filters[f], &spec, now, f == 1);
        }
    }

  /* A filter change is one items-changed replacing everything. */
  _enr_task_list_model_set_small_result (model, 20000);
  apply_filter (model, &no_filter, &(SortSpec) { ENR_TASK_SORT_CREATED_AT, FALSE });
  seen = (ItemsChanged) { 0 };
  enr_task_list_model_set_status_mask (model, 1u << ENR_TASK_STATUS_ERROR);
  g_assert_cmpuint (seen.n_signals, ==, 1);
  g_assert_cmpuint (seen.position, ==, 0);
  g_assert_cmpuint (seen.removed, ==, N_TASKS);
  g_assert_cmpuint (seen.added, ==, N_TASKS / 6 + (N_TASKS % 6 > ENR_TASK_STATUS_ERROR));
  g_assert_cmpuint (enr_task_list_model_get_status_mask (model), ==, 1u << ENR_TASK_STATUS_ERROR);

  /* Setting the same value again changes nothing. */
  enr_task_list_model_set_status_mask (model, 1u << ENR_TASK_STATUS_ERROR);
  g_assert_cmpuint (seen.n_signals, ==, 1);

  /* A sort change too. */
  before = g_list_model_get_n_items (G_LIST_MODEL (model));
  enr_task_list_model_set_descending (model, TRUE);
  g_assert_cmpuint (seen.n_signals, ==, 2);
  g_assert_cmpuint (seen.removed, ==, before);
  g_assert_cmpuint (seen.added, ==, before);
  g_assert_true (enr_task_list_model_get_descending (model));

  /* New tasks in the store show up. */
  enr_task_list_model_set_status_mask (model, 0);
  seen = (ItemsChanged) { 0 };
  extra = objects_of (make_task ("task-new", "c1", "prog-0", ENR_TASK_STATUS_PENDING,
                                 ENR_TASK_KIND_ENROLLMENT, "user-0", now + 10), NULL);
  put_all (fixture->store, ENR_TYPE_SERVICE_TASK, extra);
  g_assert_cmpuint (seen.n_signals, ==, 1);
  g_assert_cmpuint (seen.removed, ==, N_TASKS);
  g_assert_cmpuint (seen.added, ==, N_TASKS + 1);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (first)), ==, "task-new");
}

/* Crash safety */

#define CRASH_ROUNDS 20
#define CRASH_FLOWS  25

/* The child: saves drafts (and every third time a flow with its outbox
 * row) forever, printing what it committed. */
static int
run_crash_child (const char *path,
                 gint64      first_version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrStore) store = enr_store_new (path, NULL, &error);

  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  enr_store_set_user (store, "clerk");

  for (gint64 version = first_version; ; version++)
    {
      g_autofree char *flow_id = g_strdup_printf ("flow-%" G_GINT64_FORMAT, version % CRASH_FLOWS);
      g_autofree char *task_id = g_strdup_printf ("task-%" G_GINT64_FORMAT, version % CRASH_FLOWS);
      g_autoptr(EnrProcessFlow) flow = make_flow (flow_id, make_simple_task (task_id));

      enr_process_flow_set_version (flow, version);

      if (version % 3 == 0)
        {
          g_autoptr(EnrOperation) operation =
            enr_store_save_flow_with_operation (store, flow, ENR_OPERATION_KIND_SAVE_TASK, NULL, &error);

          if (operation == NULL)
            break;
          printf ("O %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                  flow_id, version, enr_operation_get_seq (operation));
        }
      else
        {
          if (!enr_store_save_draft (store, flow, &error))
            break;
          printf ("D %s %" G_GINT64_FORMAT "\n", flow_id, version);
        }
      fflush (stdout);
    }

  fprintf (stderr, "%s\n", error->message);
  return 1;
}

static void
test_crash_safety (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) committed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) operations = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  guint total = 0;

  g_clear_object (&fixture->store);

  for (guint round = 0; round < CRASH_ROUNDS; round++)
    {
      g_autofree char *first = g_strdup_printf ("%u", (round + 1) * 1000000);
      const char *argv[] = { self_exe, "--crash-child", fixture->path, first, NULL };
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      guint wanted = g_test_rand_int_range (1, 40);
      guint seen = 0;
      char *line;

      child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      g_assert_no_error (error);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

      /* Kill it after some commits, in the middle of the next one; then
       * read what it reported before dying. */
      while ((line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
        {
          g_auto(GStrv) fields = g_strsplit (line, " ", -1);
          gint64 version = g_ascii_strtoll (fields[2], NULL, 10);

          g_free (line);
          gsize known = GPOINTER_TO_SIZE (g_hash_table_lookup (committed, fields[1]));

          g_hash_table_replace (committed, g_strdup (fields[1]),
                                GSIZE_TO_POINTER (MAX ((gsize) version, known)));
          if (fields[0][0] == 'O')
            {
              gint64 seq = g_ascii_strtoll (fields[3], NULL, 10);

              g_array_append_val (operations, seq);
            }
          total++;

          if (++seen == wanted)
            {
              g_usleep (g_test_rand_int_range (0, 3000));
              g_subprocess_send_signal (child, SIGKILL);
            }
        }
      g_assert_no_error (error);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
    }

  reopen (fixture);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
  g_test_message ("%u commits reported by %u killed children", total, CRASH_ROUNDS);

  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, committed);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        g_autoptr(EnrProcessFlow) flow = enr_store_load_draft (fixture->store, key, &error);

        g_assert_no_error (error);
        g_assert_cmpint (enr_process_flow_get_version (flow), >=, (gint64) GPOINTER_TO_SIZE (value));
      }
  }

  for (guint i = 0; i < operations->len; i++)
    {
      g_autoptr(EnrOperation) operation = enr_outbox_get (enr_store_get_outbox (fixture->store),
                                                          g_array_index (operations, gint64, i), &error);

      g_assert_no_error (error);
      g_assert_cmpint (enr_operation_get_state (operation), ==, ENR_OPERATION_STATE_PENDING);
    }
}

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    return run_crash_child (argv[2], g_ascii_strtoll (argv[3], NULL, 10));

  self_exe = argv[0];
  g_test_init (&argc, &argv, NULL);

  ADD ("/store/schema/open-and-reopen", test_open_and_reopen);
  g_test_add_func ("/store/schema/migrations-in-order", test_migrations_in_order);
  g_test_add_func ("/store/schema/migrate-to-db-layer", test_migrate_to_db_layer);
  ADD ("/store/schema/too-new", test_schema_too_new);
  ADD ("/store/schema/not-a-database", test_not_a_database);
  g_test_add_func ("/store/schema/network-fs", test_network_fs);
  g_test_add_func ("/store/schema/default-path", test_default_path);
  ADD ("/store/cache/every-type", test_cache_every_type);
  ADD ("/store/cache/errors", test_cache_errors);
  ADD ("/store/cache/put-speed", test_put_speed);
  ADD ("/store/cache/changed-signal", test_changed_signal);
  g_test_add_func ("/store/search/build-match", test_build_match);
  g_test_add_func ("/store/search/keys", test_search_keys);
  ADD ("/store/search/customers", test_search);
  ADD ("/store/search/follows-changes", test_search_follows_changes);
  ADD ("/store/search/reads-members", test_search_reads_members);
  ADD ("/store/search/two-stages", test_search_two_stages);
  ADD ("/store/search/checks-best-first", test_search_checks_best_first);
  ADD ("/store/search/keeps-lazy-stage", test_search_keeps_lazy_stage);
  ADD ("/store/drafts", test_drafts);
  ADD ("/store/outbox/requests", test_outbox_requests);
  ADD ("/store/outbox/order", test_outbox_order);
  ADD ("/store/outbox/communication-after-task", test_outbox_communication_after_task);
  ADD ("/store/outbox/with-records", test_outbox_with_records);
  ADD ("/store/outbox/done-batch", test_outbox_done_batch);
  ADD ("/store/outbox/rejected", test_outbox_rejected);
  ADD ("/store/outbox/recovers-in-flight", test_outbox_recovers_in_flight);
  ADD ("/store/outbox/flows-at-once", test_outbox_flows_at_once);
  ADD ("/store/outbox/take-theirs", test_outbox_take_theirs);
  ADD ("/store/read-transaction", test_read_transaction);
  ADD ("/store/outbox/keep-mine", test_outbox_keep_mine);
  ADD ("/store/outbox/save-as-new", test_outbox_save_as_new);
  ADD ("/store/pull/apply-changes", test_apply_changes);
  ADD ("/store/pull/never-older", test_apply_changes_never_older);
  ADD ("/store/pull/put-bulk", test_put_bulk);
  ADD ("/store/pull/put-bulk-rows", test_put_bulk_rows);
  ADD ("/store/search/deferred", test_defer_search);
  ADD ("/store/bulk/deferred-indexes", test_defer_indexes);
  ADD ("/store/bulk/rebuild-async", test_rebuild_async);
  ADD ("/store/bulk/writer", test_bulk_writer);
  ADD ("/store/pull/last-sync", test_last_sync);
  ADD ("/store/task-list", test_task_list_model);
  ADD ("/store/task-list/null-keys", test_task_list_null_keys);
  ADD ("/store/task-counts", test_count_tasks);
  ADD ("/store/task-counts/follow-writes", test_task_counts_follow_writes);
  ADD ("/store/task-counts/damage", test_task_counts_damage);
  g_test_add_func ("/store/task-counts/migrate", test_task_counts_migrate);
  ADD ("/store/crash-safety", test_crash_safety);

  return g_test_run ();
}

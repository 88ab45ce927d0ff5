/* test-db.c — the database layer, on SQLite (suite db) and on PostgreSQL
 * (suite db-postgresql): the same tests, the same answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "enr-core.h"
#include "enr-db.h"
#include "enr-db-sqlite.h"
#include "enr-test-db.h"

static char *work_directory;

/* A record with a property of every kind the rules cover. */
#define TEST_TYPE_RECORD (test_record_get_type ())
G_DECLARE_FINAL_TYPE (TestRecord, test_record, TEST, RECORD, GObject)

struct _TestRecord
{
  GObject        parent_instance;
  char          *text;
  gboolean       flag;
  int            number;
  gint64         big;
  double         ratio;
  EnrTaskStatus  status;
  GDate         *day;
  GDateTime     *instant;
};

enum { PROP_0, PROP_TEXT, PROP_FLAG, PROP_NUMBER, PROP_BIG, PROP_RATIO, PROP_STATUS, PROP_DAY,
       PROP_INSTANT, N_PROPS };

G_DEFINE_FINAL_TYPE (TestRecord, test_record, G_TYPE_OBJECT)

static void
test_record_finalize (GObject *object)
{
  TestRecord *self = TEST_RECORD (object);

  g_free (self->text);
  g_clear_pointer (&self->day, g_date_free);
  g_clear_pointer (&self->instant, g_date_time_unref);
  G_OBJECT_CLASS (test_record_parent_class)->finalize (object);
}

static void
test_record_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TestRecord *self = TEST_RECORD (object);

  switch (prop_id)
    {
    case PROP_TEXT: g_value_set_string (value, self->text); break;
    case PROP_FLAG: g_value_set_boolean (value, self->flag); break;
    case PROP_NUMBER: g_value_set_int (value, self->number); break;
    case PROP_BIG: g_value_set_int64 (value, self->big); break;
    case PROP_RATIO: g_value_set_double (value, self->ratio); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_DAY: g_value_set_boxed (value, self->day); break;
    case PROP_INSTANT: g_value_set_boxed (value, self->instant); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_record_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TestRecord *self = TEST_RECORD (object);

  switch (prop_id)
    {
    case PROP_TEXT: g_free (self->text); self->text = g_value_dup_string (value); break;
    case PROP_FLAG: self->flag = g_value_get_boolean (value); break;
    case PROP_NUMBER: self->number = g_value_get_int (value); break;
    case PROP_BIG: self->big = g_value_get_int64 (value); break;
    case PROP_RATIO: self->ratio = g_value_get_double (value); break;
    case PROP_STATUS: self->status = g_value_get_enum (value); break;
    case PROP_DAY:
      g_clear_pointer (&self->day, g_date_free);
      self->day = g_value_dup_boxed (value);
      break;
    case PROP_INSTANT:
      g_clear_pointer (&self->instant, g_date_time_unref);
      self->instant = g_value_dup_boxed (value);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_record_class_init (TestRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = test_record_finalize;
  object_class->get_property = test_record_get_property;
  object_class->set_property = test_record_set_property;

  g_object_class_install_property (object_class, PROP_TEXT,
    g_param_spec_string ("text", NULL, NULL, NULL, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, PROP_FLAG,
    g_param_spec_boolean ("flag", NULL, NULL, FALSE, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, PROP_NUMBER,
    g_param_spec_int ("number", NULL, NULL, G_MININT, G_MAXINT, 0, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, PROP_BIG,
    g_param_spec_int64 ("big", NULL, NULL, G_MININT64, G_MAXINT64, 0, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, PROP_RATIO,
    g_param_spec_double ("ratio", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, PROP_STATUS,
    g_param_spec_enum ("status", NULL, NULL, ENR_TYPE_TASK_STATUS, ENR_TASK_STATUS_PENDING,
                       G_PARAM_READWRITE));
  g_object_class_install_property (object_class, PROP_DAY,
    g_param_spec_boxed ("day", NULL, NULL, G_TYPE_DATE, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, PROP_INSTANT,
    g_param_spec_boxed ("instant", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READWRITE));
}

static void
test_record_init (TestRecord *self)
{
}

/* A new, empty database of the backend under test. */
static EnrDb *
open_new (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (work_directory, name, NULL);
  g_autofree char *target = enr_test_db_new (path);
  EnrDb *db;

  db = enr_db_open (target, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpint (enr_db_get_backend (db), ==,
                   enr_test_db_is_postgresql () ? ENR_DB_POSTGRESQL : ENR_DB_SQLITE);

  return db;
}

static char *
query_text (EnrDb      *db,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  EnrDbStmt *stmt = enr_db_prepare (db, sql, &error);
  char *text = NULL;

  g_assert_no_error (error);
  if (enr_db_stmt_step (stmt, &error) == ENR_DB_STEP_ROW)
    text = enr_db_stmt_column_dup (stmt, 0);
  g_assert_no_error (error);
  enr_db_stmt_reset (stmt);

  return text;
}

static gint64
query_int (EnrDb      *db,
           const char *sql)
{
  g_autofree char *text = query_text (db, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static void
exec_ok (EnrDb      *db,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (enr_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

/* What a piece of work sent since the last look (enr_db_get_traffic()). */
static void
assert_traffic (EnrDb   *db,
                guint64 *round_trips,
                guint64 *statements,
                guint64  more_round_trips,
                guint64  more_statements)
{
  guint64 now_round_trips;
  guint64 now_statements;

  g_assert_true (enr_db_get_traffic (db, &now_round_trips, &now_statements));
  g_assert_cmpuint (now_round_trips - *round_trips, ==, more_round_trips);
  g_assert_cmpuint (now_statements - *statements, ==, more_statements);
  *round_trips = now_round_trips;
  *statements = now_statements;
}

/* PostgreSQL: a pipeline is one round trip, a read's COMMIT none; a
 * PREPARE is not a statement. SQLite counts nothing. */
static void
test_traffic (void)
{
  g_autoptr(GError) error = NULL;
  EnrDb *db = open_new ("traffic.db");
  guint64 round_trips = 1;
  guint64 statements = 1;
  EnrDbStmt *select;
  EnrDbStmt *insert;

  exec_ok (db, "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT)");
  if (enr_db_get_backend (db) != ENR_DB_POSTGRESQL)
    {
      g_assert_false (enr_db_get_traffic (db, &round_trips, &statements));
      g_assert_cmpuint (round_trips, ==, 0);
      g_assert_cmpuint (statements, ==, 0);
      enr_db_close (db);
      return;
    }
  g_assert_true (enr_db_get_traffic (db, &round_trips, &statements));

  /* A script: one each. */
  exec_ok (db, "INSERT INTO t VALUES ('a', 1); INSERT INTO t VALUES ('b', 2)");
  assert_traffic (db, &round_trips, &statements, 1, 1);

  /* A read: BEGIN with its first statement (and its PREPARE), then one
   * alone, then COMMIT sent without waiting. */
  for (guint pass = 0; pass < 2; pass++)
    {
      g_assert_true (enr_db_begin_read (db, &error));
      select = enr_db_prepare (db, "SELECT n FROM t WHERE k = $1", &error);
      enr_db_stmt_bind_text (select, 1, "a");
      g_assert_cmpint (enr_db_stmt_step (select, &error), ==, ENR_DB_STEP_ROW);
      enr_db_stmt_reset (select);
      enr_db_stmt_bind_text (select, 1, "b");
      g_assert_cmpint (enr_db_stmt_step (select, &error), ==, ENR_DB_STEP_ROW);
      enr_db_stmt_reset (select);
      g_assert_true (enr_db_commit (db, &error));
      g_assert_no_error (error);
      assert_traffic (db, &round_trips, &statements, 2, 4);
    }

  /* A write: a deferred insert goes out with the next statement; COMMIT
   * waits. */
  g_assert_true (enr_db_begin (db, &error));
  insert = enr_db_prepare (db, "INSERT INTO t VALUES ($1, $2)", &error);
  enr_db_stmt_bind_text (insert, 1, "c");
  enr_db_stmt_bind_int64 (insert, 2, 3);
  enr_db_stmt_defer (insert);
  select = enr_db_prepare (db, "SELECT count(*) FROM t", &error);
  g_assert_cmpint (enr_db_stmt_step (select, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpint (enr_db_stmt_column_int64 (select, 0), ==, 3);
  enr_db_stmt_reset (select);
  g_assert_true (enr_db_commit (db, &error));
  g_assert_no_error (error);
  assert_traffic (db, &round_trips, &statements, 2, 4);

  /* A deferred statement dropped is not sent. */
  g_assert_true (enr_db_begin (db, &error));
  enr_db_stmt_bind_text (insert, 1, "d");
  enr_db_stmt_bind_int64 (insert, 2, 4);
  enr_db_stmt_defer (insert);
  enr_db_drop_deferred (db);
  g_assert_cmpint (enr_db_stmt_step (select, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpint (enr_db_stmt_column_int64 (select, 0), ==, 3);
  enr_db_stmt_reset (select);
  g_assert_true (enr_db_commit (db, &error));
  g_assert_no_error (error);
  assert_traffic (db, &round_trips, &statements, 2, 3);

  /* A transaction that ran nothing sends nothing; one that did rolls
   * back in a round trip of its own. */
  g_assert_true (enr_db_begin (db, &error));
  enr_db_rollback (db);
  assert_traffic (db, &round_trips, &statements, 0, 0);
  g_assert_true (enr_db_begin (db, &error));
  g_assert_cmpint (enr_db_stmt_step (select, &error), ==, ENR_DB_STEP_ROW);
  enr_db_stmt_reset (select);
  enr_db_rollback (db);
  assert_traffic (db, &round_trips, &statements, 2, 3);

  enr_db_close (db);
}

static void
test_placeholders (void)
{
  int n = 0;
  g_autofree char *a = enr_db_translate_placeholders ("SELECT $2, $1, $10 FROM t WHERE x = $1", &n);
  g_autofree char *b = enr_db_translate_placeholders ("SELECT '$1', \"$2\", 'it''s $3' -- $4\n, $5", &n);
  g_autofree char *c = enr_db_translate_placeholders ("SELECT ?1, ?2", &n);

  g_assert_cmpstr (a, ==, "SELECT ?2, ?1, ?10 FROM t WHERE x = ?1");
  g_assert_cmpstr (b, ==, "SELECT '$1', \"$2\", 'it''s $3' -- $4\n, ?5");
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpstr (c, ==, "SELECT ?1, ?2");
}

static void
test_statements (void)
{
  g_autoptr(GError) error = NULL;
  EnrDb *db = open_new ("statements.db");
  EnrDbStmt *insert;
  EnrDbStmt *again;
  EnrDbStmt *select;

  exec_ok (db, "CREATE TABLE t (a TEXT, b BIGINT, c TEXT)");

  /* $2 before $1: the numbers count, not the order. */
  insert = enr_db_prepare (db, "INSERT INTO t (c, b, a) VALUES ($3, $2, $1)", &error);
  g_assert_no_error (error);
  enr_db_stmt_bind_text (insert, 1, "first");
  enr_db_stmt_bind_int64 (insert, 2, G_MAXINT64);
  enr_db_stmt_bind_text (insert, 3, "third");
  g_assert_true (enr_db_stmt_run (insert, &error));
  g_assert_no_error (error);
  g_assert_cmpint (enr_db_changes (db), ==, 1);

  /* The same text: the same statement, unbound. */
  again = enr_db_prepare (db, "INSERT INTO t (c, b, a) VALUES ($3, $2, $1)", &error);
  g_assert_true (again == insert);
  g_assert_true (enr_db_stmt_run (again, &error));
  g_assert_no_error (error);

  select = enr_db_prepare (db, "SELECT a, b, c FROM t WHERE $1 = $1 ORDER BY a NULLS FIRST", &error);
  g_assert_no_error (error);
  enr_db_stmt_bind_int64 (select, 1, 1);
  g_assert_cmpint (enr_db_stmt_step (select, &error), ==, ENR_DB_STEP_ROW);
  g_assert_true (enr_db_stmt_column_is_null (select, 0));
  g_assert_null (enr_db_stmt_column_text (select, 0));
  g_assert_cmpint (enr_db_stmt_column_int64 (select, 1), ==, 0);
  g_assert_cmpint (enr_db_stmt_step (select, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpstr (enr_db_stmt_column_text (select, 0), ==, "first");
  g_assert_cmpint (enr_db_stmt_column_int64 (select, 1), ==, G_MAXINT64);
  g_assert_cmpstr (enr_db_stmt_column_text (select, 2), ==, "third");
  g_assert_cmpuint (enr_db_stmt_column_length (select, 2), ==, 5);
  g_assert_cmpint (enr_db_stmt_step (select, &error), ==, ENR_DB_STEP_DONE);
  g_assert_no_error (error);
  enr_db_stmt_reset (select);

  /* Collecting a column */
  {
    g_autoptr(GPtrArray) rows = NULL;

    select = enr_db_prepare (db, "SELECT c FROM t ORDER BY a NULLS FIRST", &error);
    rows = enr_db_stmt_collect_text (select, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_null (g_ptr_array_index (rows, 0));
    g_assert_cmpstr (g_ptr_array_index (rows, 1), ==, "third");
  }

  enr_db_close (db);
}

/* enr_db_prepare_static(): found by the text's address, the statement
 * enr_db_prepare() gives for the text, handed out reset and unbound; a
 * copy of the text elsewhere finds it too; after
 * enr_db_forget_statements() a fresh one (not the freed one). */
static void
test_static_statements (void)
{
  static const char select_sql[] = "SELECT count(*) FROM s WHERE a >= $1";
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_strdup (select_sql);
  EnrDb *db = open_new ("static-statements.db");
  EnrDbStmt *stmt;
  EnrDbStmt *again;

  exec_ok (db, "CREATE TABLE s (a BIGINT)");
  exec_ok (db, "INSERT INTO s (a) VALUES (1), (2), (3)");

  stmt = enr_db_prepare_static (db, select_sql, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stmt);
  g_assert_true (enr_db_prepare (db, copy, &error) == stmt);
  enr_db_stmt_bind_int64 (stmt, 1, 2);
  g_assert_cmpint (enr_db_stmt_step (stmt, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpint (enr_db_stmt_column_int64 (stmt, 0), ==, 2);

  /* Left in the middle and bound: handed out reset, with no binding
   * (NULL: no row compares). */
  again = enr_db_prepare_static (db, select_sql, &error);
  g_assert_no_error (error);
  g_assert_true (again == stmt);
  g_assert_cmpint (enr_db_stmt_step (again, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpint (enr_db_stmt_column_int64 (again, 0), ==, 0);
  enr_db_stmt_reset (again);

  /* The statements gone: a fresh one, which runs. */
  enr_db_forget_statements (db);
  stmt = enr_db_prepare_static (db, select_sql, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stmt);
  enr_db_stmt_bind_int64 (stmt, 1, 3);
  g_assert_cmpint (enr_db_stmt_step (stmt, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpint (enr_db_stmt_column_int64 (stmt, 0), ==, 1);
  enr_db_stmt_reset (stmt);
  g_assert_true (enr_db_prepare (db, copy, &error) == stmt);

  enr_db_close (db);
}

static void
test_bind_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TestRecord) record = g_object_new (TEST_TYPE_RECORD, NULL);
  g_autoptr(GDateTime) instant = g_date_time_new_utc (2024, 3, 5, 14, 30, 0);
  EnrDb *db = open_new ("rules.db");
  const char *properties[] = { "text", "flag", "number", "big", "ratio", "status", "day", "instant" };
  EnrDbStmt *stmt;
  GDate *day = g_date_new_dmy (9, G_DATE_JUNE, 2025);

  exec_ok (db, "CREATE TABLE r (text TEXT, flag INTEGER, number INTEGER, big BIGINT,"
               " ratio DOUBLE PRECISION, status INTEGER, day TEXT, instant BIGINT)");
  stmt = enr_db_prepare (db, "INSERT INTO r VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", &error);
  g_assert_no_error (error);

  /* Unset: NULL for the string, the date and the date-time. */
  for (guint i = 0; i < G_N_ELEMENTS (properties); i++)
    enr_db_stmt_bind_property (stmt, i + 1, G_OBJECT (record), properties[i]);
  g_assert_true (enr_db_stmt_run (stmt, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM r WHERE text IS NULL AND day IS NULL"
                                  " AND instant IS NULL AND flag = 0 AND status = 0"), ==, 1);

  g_object_set (record, "text", "Zoë", "flag", TRUE, "number", -7, "big", G_GINT64_CONSTANT (1) << 40,
                "ratio", 0.25, "status", ENR_TASK_STATUS_COMPLETED, "day", day, "instant", instant, NULL);
  g_date_free (day);
  stmt = enr_db_prepare (db, "INSERT INTO r VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", &error);
  for (guint i = 0; i < G_N_ELEMENTS (properties); i++)
    enr_db_stmt_bind_property (stmt, i + 1, G_OBJECT (record), properties[i]);
  g_assert_true (enr_db_stmt_run (stmt, &error));
  g_assert_no_error (error);

  stmt = enr_db_prepare (db, "SELECT text, flag, number, big, ratio, status, day, instant FROM r"
                             " WHERE text IS NOT NULL", &error);
  g_assert_cmpint (enr_db_stmt_step (stmt, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpstr (enr_db_stmt_column_text (stmt, 0), ==, "Zoë");
  g_assert_cmpint (enr_db_stmt_column_int64 (stmt, 1), ==, 1);
  g_assert_cmpint (enr_db_stmt_column_int64 (stmt, 2), ==, -7);
  g_assert_cmpint (enr_db_stmt_column_int64 (stmt, 3), ==, G_GINT64_CONSTANT (1) << 40);
  g_assert_cmpfloat (enr_db_stmt_column_double (stmt, 4), ==, 0.25);
  g_assert_cmpint (enr_db_stmt_column_int64 (stmt, 5), ==, ENR_TASK_STATUS_COMPLETED);
  g_assert_cmpstr (enr_db_stmt_column_text (stmt, 6), ==, "2025-06-09");
  g_assert_cmpint (enr_db_stmt_column_int64 (stmt, 7), ==, g_date_time_to_unix (instant));
  enr_db_stmt_reset (stmt);

  /* A value given as text is looked up as it is stored. */
  stmt = enr_db_prepare (db, "SELECT count(*) FROM r WHERE status = $1 AND day = $2 AND instant = $3"
                             " AND flag = $4", &error);
  g_assert_true (enr_db_stmt_bind_lookup (stmt, 1, ENR_TYPE_TASK_STATUS, "completed", &error));
  g_assert_true (enr_db_stmt_bind_lookup (stmt, 2, G_TYPE_DATE, "2025-06-09", &error));
  g_assert_true (enr_db_stmt_bind_lookup (stmt, 3, G_TYPE_DATE_TIME, "2024-03-05T15:30:00+01:00", &error));
  g_assert_true (enr_db_stmt_bind_lookup (stmt, 4, G_TYPE_BOOLEAN, "true", &error));
  g_assert_no_error (error);
  g_assert_cmpint (enr_db_stmt_step (stmt, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpint (enr_db_stmt_column_int64 (stmt, 0), ==, 1);
  enr_db_stmt_reset (stmt);

  g_assert_false (enr_db_stmt_bind_lookup (stmt, 1, ENR_TYPE_TASK_STATUS, "finished", &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (enr_db_stmt_bind_lookup (stmt, 2, G_TYPE_DATE, "2025-02-30", &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (enr_db_stmt_bind_lookup (stmt, 4, G_TYPE_BOOLEAN, "yes", &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (enr_db_type_is_bindable (ENR_TYPE_TASK_STATUS));
  g_assert_false (enr_db_type_is_bindable (G_TYPE_STRV));

  enr_db_close (db);
}

static void
test_blobs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GBytes) empty = NULL;
  const guchar data[] = { 0, 1, 2, 0xff, '\\', 'x', 0 };
  EnrDb *db = open_new ("blobs.db");
  const char *type = enr_db_get_backend (db) == ENR_DB_SQLITE ? "BLOB" : "BYTEA";
  g_autofree char *create = g_strdup_printf ("CREATE TABLE b (k INTEGER, v %s)", type);
  EnrDbStmt *stmt;

  exec_ok (db, create);
  stmt = enr_db_prepare (db, "INSERT INTO b VALUES ($1, $2)", &error);
  enr_db_stmt_bind_int64 (stmt, 1, 1);
  enr_db_stmt_bind_blob (stmt, 2, data, sizeof data);
  g_assert_true (enr_db_stmt_run (stmt, &error));
  stmt = enr_db_prepare (db, "INSERT INTO b VALUES ($1, $2)", &error);
  enr_db_stmt_bind_int64 (stmt, 1, 2);
  enr_db_stmt_bind_blob (stmt, 2, NULL, 0);
  g_assert_true (enr_db_stmt_run (stmt, &error));
  g_assert_no_error (error);

  stmt = enr_db_prepare (db, "SELECT v, v IS NULL FROM b ORDER BY k", &error);
  g_assert_cmpint (enr_db_stmt_step (stmt, &error), ==, ENR_DB_STEP_ROW);
  read = enr_db_stmt_column_blob (stmt, 0);
  g_assert_cmpmem (g_bytes_get_data (read, NULL), g_bytes_get_size (read), data, sizeof data);
  g_assert_cmpint (enr_db_stmt_step (stmt, &error), ==, ENR_DB_STEP_ROW);
  empty = enr_db_stmt_column_blob (stmt, 0);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
  g_assert_cmpint (enr_db_stmt_column_int64 (stmt, 1), ==, 0);
  enr_db_stmt_reset (stmt);

  enr_db_close (db);
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  EnrDb *db = open_new ("errors.db");
  EnrDbStmt *stmt;

  exec_ok (db, "CREATE TABLE u (k TEXT PRIMARY KEY, n INTEGER CHECK (n >= 0))");
  exec_ok (db, "INSERT INTO u VALUES ('a', 1)");

  stmt = enr_db_prepare (db, "INSERT INTO u VALUES ($1, $2)", &error);
  enr_db_stmt_bind_text (stmt, 1, "a");
  enr_db_stmt_bind_int64 (stmt, 2, 2);
  g_assert_false (enr_db_stmt_run (stmt, &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);

  stmt = enr_db_prepare (db, "INSERT INTO u VALUES ($1, $2)", &error);
  enr_db_stmt_bind_text (stmt, 1, "b");
  enr_db_stmt_bind_int64 (stmt, 2, -1);
  g_assert_false (enr_db_stmt_run (stmt, &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* SQLite refuses the text when preparing, PostgreSQL when it first runs. */
  stmt = enr_db_prepare (db, "SELEKT 1", &error);
  g_assert_true (stmt == NULL || !enr_db_stmt_run (stmt, &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_false (enr_db_exec (db, "SELECT * FROM missing", &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED);
  g_clear_error (&error);

  /* The connection still works. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM u"), ==, 1);

  enr_db_close (db);
}

static void
test_transactions (void)
{
  g_autoptr(GError) error = NULL;
  EnrDb *db = open_new ("transactions.db");
  EnrDbStmt *stmt;

  exec_ok (db, "CREATE TABLE t (k TEXT PRIMARY KEY)");

  g_assert_true (enr_db_begin (db, &error));
  g_assert_true (enr_db_in_transaction (db));
  exec_ok (db, "INSERT INTO t VALUES ('rolled back')");
  enr_db_rollback (db);
  g_assert_false (enr_db_in_transaction (db));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 0);

  g_assert_true (enr_db_begin (db, &error));
  exec_ok (db, "INSERT INTO t VALUES ('kept')");

  /* A failed write in a savepoint is undone alone, and the transaction
   * goes on (PostgreSQL marks it failed until ROLLBACK TO). */
  g_assert_true (enr_db_savepoint (db, "w", &error));
  exec_ok (db, "INSERT INTO t VALUES ('undone')");
  stmt = enr_db_prepare (db, "INSERT INTO t VALUES ($1)", &error);
  enr_db_stmt_bind_text (stmt, 1, "kept");
  g_assert_false (enr_db_stmt_run (stmt, &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (enr_db_transaction_alive (db));
  g_assert_true (enr_db_rollback_to (db, "w", &error));
  g_assert_no_error (error);

  g_assert_true (enr_db_savepoint (db, "w", &error));
  exec_ok (db, "INSERT INTO t VALUES ('released')");
  g_assert_true (enr_db_release (db, "w", &error));
  g_assert_true (enr_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_false (enr_db_in_transaction (db));

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 2);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t WHERE k = 'undone'"), ==, 0);

  /* A transaction whose statement failed does not commit. */
  g_assert_true (enr_db_begin (db, &error));
  exec_ok (db, "INSERT INTO t VALUES ('lost')");
  g_assert_false (enr_db_exec (db, "INSERT INTO t VALUES ('kept')", &error));
  g_clear_error (&error);
  if (enr_db_get_backend (db) == ENR_DB_POSTGRESQL)
    {
      g_assert_false (enr_db_commit (db, &error));
      g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED);
      g_clear_error (&error);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM t WHERE k = 'lost'"), ==, 0);
    }
  enr_db_rollback (db);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t WHERE k = 'lost'"), ==, 0);

  /* A read transaction sees one snapshot; on PostgreSQL its COMMIT is
   * answered by the time the next statement runs. A transaction in which
   * nothing ran commits nothing. */
  g_assert_true (enr_db_begin_read (db, &error));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 2);
  g_assert_true (enr_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 2);
  g_assert_true (enr_db_begin (db, &error));
  g_assert_true (enr_db_commit (db, &error));
  g_assert_true (enr_db_begin_read (db, &error));
  enr_db_rollback (db);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 2);

  enr_db_close (db);
}

static gboolean
count_run (EnrDb     *db,
           gpointer   user_data,
           GError   **error)
{
  guint *runs = user_data;

  (*runs)++;
  return enr_db_exec (db, "INSERT INTO m (v) VALUES ('from code')", error);
}

static const EnrDbMigration migrations[] = {
  { "CREATE TABLE m (v TEXT)", "CREATE TABLE m (v TEXT)", NULL },
  { "INSERT INTO m VALUES ('sqlite 2')", "INSERT INTO m VALUES ('postgresql 2')", count_run },
  { NULL, "INSERT INTO m VALUES ('postgresql 3')", NULL },
};

static const EnrDbMigration failing[] = {
  { "CREATE TABLE m (v TEXT)", "CREATE TABLE m (v TEXT)", NULL },
  { "INSERT INTO m VALUES ('sqlite 2')", "INSERT INTO m VALUES ('postgresql 2')", count_run },
  { NULL, "INSERT INTO m VALUES ('postgresql 3')", NULL },
  { "INSERT INTO m VALUES ('4'); INSERT INTO nowhere VALUES (1)",
    "INSERT INTO m VALUES ('4'); INSERT INTO nowhere VALUES (1)", NULL },
};

/* Deferred statements go out with the next statement (PostgreSQL: one
 * pipeline, one round trip) and keep their rows for their own steps. */
static void
test_deferred (void)
{
  g_autoptr(GError) error = NULL;
  EnrDb *db = open_new ("deferred.db");
  gboolean pg = enr_db_get_backend (db) == ENR_DB_POSTGRESQL;
  EnrDbStmt *one;
  EnrDbStmt *count;
  EnrDbStmt *insert;
  EnrDbStmt *keys;

  exec_ok (db, "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT)");
  exec_ok (db, "INSERT INTO t VALUES ('a', 1), ('b', 2), ('c', 3)");

  /* Reads: two deferred, then a third stepped; each has its own rows. */
  g_assert_true (enr_db_begin_read (db, &error));
  one = enr_db_prepare (db, "SELECT n FROM t WHERE k = $1", &error);
  enr_db_stmt_bind_text (one, 1, "b");
  enr_db_stmt_defer (one);
  count = enr_db_prepare (db, "SELECT count(*) FROM t WHERE n > $1", &error);
  enr_db_stmt_bind_int64 (count, 1, 1);
  enr_db_stmt_defer (count);
  keys = enr_db_prepare (db, "SELECT k FROM t ORDER BY k", &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_db_stmt_step (keys, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpstr (enr_db_stmt_column_text (keys, 0), ==, "a");
  g_assert_true (enr_db_stmt_run (keys, &error));
  g_assert_cmpint (enr_db_stmt_step (count, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpint (enr_db_stmt_column_int64 (count, 0), ==, 2);
  g_assert_cmpint (enr_db_stmt_step (count, &error), ==, ENR_DB_STEP_DONE);
  enr_db_stmt_reset (count);
  g_assert_cmpint (enr_db_stmt_step (one, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpint (enr_db_stmt_column_int64 (one, 0), ==, 2);
  enr_db_stmt_reset (one);
  g_assert_no_error (error);
  g_assert_true (enr_db_commit (db, &error));

  /* Stepping a deferred statement first runs it. */
  one = enr_db_prepare (db, "SELECT n FROM t WHERE k = $1", &error);
  enr_db_stmt_bind_text (one, 1, "c");
  enr_db_stmt_defer (one);
  g_assert_cmpint (enr_db_stmt_step (one, &error), ==, ENR_DB_STEP_ROW);
  g_assert_cmpint (enr_db_stmt_column_int64 (one, 0), ==, 3);
  enr_db_stmt_reset (one);

  /* A deferred write goes out before the next statement on PostgreSQL
   * (on SQLite it waits for its own step). */
  g_assert_true (enr_db_begin (db, &error));
  insert = enr_db_prepare (db, "INSERT INTO t VALUES ($1, $2)", &error);
  enr_db_stmt_bind_text (insert, 1, "d");
  enr_db_stmt_bind_int64 (insert, 2, 4);
  enr_db_stmt_defer (insert);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, pg ? 4 : 3);
  g_assert_true (enr_db_stmt_run (insert, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 4);
  g_assert_true (enr_db_commit (db, &error));

  /* Reset takes a deferred statement back: it never runs. A read's end
   * drops what it deferred and did not step. */
  g_assert_true (enr_db_begin (db, &error));
  insert = enr_db_prepare (db, "INSERT INTO t VALUES ($1, $2)", &error);
  enr_db_stmt_bind_text (insert, 1, "reset");
  enr_db_stmt_bind_int64 (insert, 2, 5);
  enr_db_stmt_defer (insert);
  enr_db_stmt_reset (insert);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 4);
  g_assert_true (enr_db_commit (db, &error));
  g_assert_true (enr_db_begin_read (db, &error));
  one = enr_db_prepare (db, "SELECT n FROM t WHERE k = $1", &error);
  enr_db_stmt_bind_text (one, 1, "a");
  enr_db_stmt_defer (one);
  g_assert_true (enr_db_commit (db, &error));
  g_assert_no_error (error);

  /* A write's COMMIT sends what it deferred first, in the same round trip
   * (PostgreSQL; on SQLite a deferred statement runs only when stepped). */
  g_assert_true (enr_db_begin (db, &error));
  insert = enr_db_prepare (db, "INSERT INTO t VALUES ($1, $2)", &error);
  enr_db_stmt_bind_text (insert, 1, "with-commit");
  enr_db_stmt_bind_int64 (insert, 2, 6);
  enr_db_stmt_defer (insert);
  g_assert_true (enr_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, pg ? 5 : 4);
  exec_ok (db, "DELETE FROM t WHERE k = 'with-commit'");

  /* ... and fails with it. */
  if (pg)
    {
      g_assert_true (enr_db_begin (db, &error));
      insert = enr_db_prepare (db, "INSERT INTO t VALUES ($1, $2)", &error);
      enr_db_stmt_bind_text (insert, 1, "a");
      enr_db_stmt_bind_int64 (insert, 2, 7);
      enr_db_stmt_defer (insert);
      g_assert_false (enr_db_commit (db, &error));
      g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONSTRAINT);
      g_clear_error (&error);
      enr_db_rollback (db);
      g_assert_false (enr_db_in_transaction (db));
    }
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 4);

  /* Preparing a deferred statement again sends it first (PostgreSQL; on
   * SQLite it was never run). */
  g_assert_true (enr_db_begin (db, &error));
  insert = enr_db_prepare (db, "INSERT INTO t VALUES ($1, $2)", &error);
  enr_db_stmt_bind_text (insert, 1, "sent");
  enr_db_stmt_bind_int64 (insert, 2, 5);
  enr_db_stmt_defer (insert);
  insert = enr_db_prepare (db, "INSERT INTO t VALUES ($1, $2)", &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, pg ? 5 : 4);
  enr_db_rollback (db);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 4);

  /* ... and when it fails there, so does the preparing. */
  if (pg)
    {
      g_assert_true (enr_db_begin (db, &error));
      insert = enr_db_prepare (db, "INSERT INTO t VALUES ($1, $2)", &error);
      enr_db_stmt_bind_text (insert, 1, "a");
      enr_db_stmt_bind_int64 (insert, 2, 7);
      enr_db_stmt_defer (insert);
      g_assert_null (enr_db_prepare (db, "INSERT INTO t VALUES ($1, $2)", &error));
      g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONSTRAINT);
      g_clear_error (&error);
      enr_db_rollback (db);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 4);
    }

  /* A deferred statement that fails fails the statement sent with it. */
  if (pg)
    {
      g_assert_true (enr_db_begin (db, &error));
      insert = enr_db_prepare (db, "INSERT INTO t VALUES ($1, $2)", &error);
      enr_db_stmt_bind_text (insert, 1, "a");
      enr_db_stmt_bind_int64 (insert, 2, 7);
      enr_db_stmt_defer (insert);
      keys = enr_db_prepare (db, "SELECT k FROM t ORDER BY k", &error);
      g_assert_cmpint (enr_db_stmt_step (keys, &error), ==, ENR_DB_STEP_ERROR);
      g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONSTRAINT);
      g_clear_error (&error);
      enr_db_rollback (db);
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM t"), ==, 4);
    }

  enr_db_close (db);
}

static void
test_migrations (void)
{
  g_autoptr(GError) error = NULL;
  EnrDb *db = open_new ("migrations.db");
  gboolean postgresql = enr_db_get_backend (db) == ENR_DB_POSTGRESQL;
  guint runs = 0;

  g_assert_cmpint (enr_db_get_schema_version (db, &error), ==, 0);
  g_assert_true (enr_db_migrate (db, migrations, 2, &runs, &error));
  g_assert_no_error (error);
  g_assert_cmpint (enr_db_get_schema_version (db, &error), ==, 2);
  g_assert_cmpuint (runs, ==, 1);

  g_assert_true (enr_db_migrate (db, migrations, 3, &runs, &error));
  g_assert_true (enr_db_migrate (db, migrations, 3, &runs, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (runs, ==, 1);
  g_assert_cmpint (enr_db_get_schema_version (db, &error), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM m"), ==, postgresql ? 3 : 2);

  /* A failing step keeps the version and everything before it. */
  g_assert_false (enr_db_migrate (db, failing, 4, &runs, &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED);
  g_assert_true (strstr (error->message, "schema version 4") != NULL);
  g_clear_error (&error);
  g_assert_false (enr_db_in_transaction (db));
  g_assert_cmpint (enr_db_get_schema_version (db, &error), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM m WHERE v = '4'"), ==, 0);

  /* A newer database is refused. */
  g_assert_false (enr_db_migrate (db, migrations, 2, &runs, &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_SCHEMA);
  g_clear_error (&error);
  g_assert_cmpint (enr_db_get_schema_version (db, &error), ==, 3);

  enr_db_close (db);
}

static void
test_busy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (work_directory, "busy.db", NULL);
  g_autofree char *target = enr_test_db_new (path);
  EnrDb *db = enr_db_open (target, &error);
  EnrDb *other = enr_db_open (target, &error);
  EnrDbStmt *stmt;

  g_assert_no_error (error);
  exec_ok (db, "CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER)");
  exec_ok (db, "INSERT INTO t VALUES ('a', 0)");

  if (enr_db_get_backend (db) == ENR_DB_SQLITE)
    sqlite3_busy_timeout (enr_db_get_handle (other), 10);
  else
    exec_ok (other, "SET lock_timeout = 50");

  g_assert_true (enr_db_begin (db, &error));
  exec_ok (db, "UPDATE t SET n = 1 WHERE k = 'a'");

  if (enr_db_get_backend (db) == ENR_DB_SQLITE)
    g_assert_false (enr_db_begin (other, &error));
  else
    {
      g_assert_true (enr_db_begin (other, &error));
      stmt = enr_db_prepare (other, "UPDATE t SET n = 2 WHERE k = $1", &error);
      enr_db_stmt_bind_text (stmt, 1, "a");
      g_assert_false (enr_db_stmt_run (stmt, &error));
      enr_db_rollback (other);
    }
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (enr_db_failed_transiently (other));

  g_assert_true (enr_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (other, "SELECT n FROM t"), ==, 1);
  g_assert_true (enr_db_begin (other, &error));
  g_assert_false (enr_db_failed_transiently (other));
  enr_db_rollback (other);

  enr_db_close (other);
  enr_db_close (db);
}

static void
count_snapshot (EnrDb    *db,
                gpointer  user_data)
{
  (*(guint *) user_data)++;
}

static void
set_n (EnrDb  *db,
       gint64  n)
{
  g_autoptr(GError) error = NULL;
  EnrDbStmt *stmt = enr_db_prepare (db, "UPDATE t SET n = $1 WHERE k = 1", &error);

  g_assert_no_error (error);
  enr_db_stmt_bind_int64 (stmt, 1, n);
  g_assert_true (enr_db_stmt_run (stmt, &error));
  g_assert_no_error (error);
}

/* PRAGMA wal_checkpoint(TRUNCATE) on @db: whether it was kept from
 * finishing (busy), and the WAL file's size after it. */
static gboolean
checkpoint_busy (EnrDb      *db,
                 const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  EnrDbStmt *stmt = enr_db_prepare (db, "PRAGMA wal_checkpoint(TRUNCATE)", &error);
  GStatBuf st;
  gint64 busy;

  g_assert_no_error (error);
  g_assert_cmpint (enr_db_stmt_step (stmt, &error), ==, ENR_DB_STEP_ROW);
  g_assert_no_error (error);
  busy = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);

  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  if (!busy)
    g_assert_cmpint (st.st_size, ==, 0);

  return busy != 0;
}

/* SQLite: reads outside a transaction share one kept snapshot; anything
 * that may write ends it first, so each write is committed when it
 * returns and read back at once; another connection's commits show once
 * it is dropped, and a checkpoint then completes. */
static void
test_kept_snapshots (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (work_directory, "kept.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *target = NULL;
  EnrDb *db;
  EnrDb *other;
  guint begun = 0;
  GStatBuf st;
  goffset wal_max = 0;

  if (enr_test_db_is_postgresql ())
    {
      g_test_skip ("SQLite only (PostgreSQL keeps no snapshot)");
      return;
    }

  target = enr_test_db_new (path);
  db = enr_db_open (target, &error);
  g_assert_no_error (error);
  other = enr_db_open (target, &error);
  g_assert_no_error (error);
  sqlite3_busy_timeout (enr_db_get_handle (other), 10);
  exec_ok (db, "PRAGMA journal_mode = WAL");
  /* Not what this is about, and 3,000 fsyncs take seconds. */
  exec_ok (db, "PRAGMA synchronous = OFF");
  exec_ok (db, "CREATE TABLE t (k INTEGER PRIMARY KEY, n INTEGER, pad BLOB)");
  exec_ok (db, "INSERT INTO t VALUES (1, 0, NULL)");

  enr_db_keep_snapshots (db, count_snapshot, &begun);
  g_assert_false (enr_db_holds_snapshot (db));

  /* Ten reads, one snapshot; a read transaction uses it too. */
  for (guint i = 0; i < 10; i++)
    g_assert_cmpint (query_int (db, "SELECT n FROM t WHERE k = 1"), ==, 0);
  g_assert_cmpuint (begun, ==, 1);
  g_assert_true (enr_db_holds_snapshot (db));
  g_assert_false (enr_db_in_transaction (db));
  g_assert_true (enr_db_begin_read (db, &error));
  g_assert_true (enr_db_in_transaction (db));
  g_assert_cmpint (query_int (db, "SELECT n FROM t WHERE k = 1"), ==, 0);
  g_assert_true (enr_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_false (enr_db_in_transaction (db));
  g_assert_true (enr_db_holds_snapshot (db));
  g_assert_cmpuint (begun, ==, 1);
  g_assert_cmpuint (enr_db_count_snapshots (db), ==, 1);

  /* It is a snapshot: another connection's commit shows after the drop,
   * and a checkpoint cannot finish before it. */
  set_n (other, 5);
  g_assert_cmpint (query_int (db, "SELECT n FROM t WHERE k = 1"), ==, 0);
  g_assert_true (checkpoint_busy (other, path));
  enr_db_drop_snapshot (db);
  g_assert_false (enr_db_holds_snapshot (db));
  g_assert_false (checkpoint_busy (other, path));
  g_assert_cmpint (query_int (db, "SELECT n FROM t WHERE k = 1"), ==, 5);
  g_assert_cmpuint (begun, ==, 2);

  /* Its own writes, from a snapshot held each time: a statement that
   * writes is committed when it returns (another connection sees it),
   * and read back at once; the WAL stays within its checkpoints. */
  for (gint64 i = 1; i <= 3000; i++)
    {
      g_autoptr(GError) write_error = NULL;
      EnrDbStmt *stmt;

      g_assert_true (enr_db_holds_snapshot (db));
      stmt = enr_db_prepare (db, "UPDATE t SET n = $1, pad = randomblob (4000) WHERE k = 1", &write_error);
      g_assert_no_error (write_error);
      enr_db_stmt_bind_int64 (stmt, 1, i);
      g_assert_true (enr_db_stmt_run (stmt, &write_error));
      g_assert_no_error (write_error);
      g_assert_false (enr_db_holds_snapshot (db));
      g_assert_cmpint (query_int (other, "SELECT n FROM t WHERE k = 1"), ==, i);
      g_assert_cmpint (query_int (db, "SELECT n FROM t WHERE k = 1"), ==, i);
      g_assert_cmpint (g_stat (wal, &st), ==, 0);
      wal_max = MAX (wal_max, st.st_size);
    }
  g_assert_cmpuint (begun, ==, 2 + 3000);
  g_test_message ("largest WAL: %" G_GOFFSET_FORMAT " bytes", wal_max);
  /* The automatic checkpoint every 1,000 pages restarts the WAL: about
   * 2 pages a write, 4 KiB each. */
  g_assert_cmpint (wal_max, <, 1100 * (4096 + 24) + 32);

  /* A transaction that writes ends it too, and so does SQL run as is. */
  g_assert_true (enr_db_holds_snapshot (db));
  g_assert_true (enr_db_begin (db, &error));
  g_assert_no_error (error);
  g_assert_false (enr_db_holds_snapshot (db));
  set_n (db, -1);
  g_assert_true (enr_db_commit (db, &error));
  g_assert_cmpint (query_int (other, "SELECT n FROM t WHERE k = 1"), ==, -1);
  g_assert_cmpint (query_int (db, "SELECT n FROM t WHERE k = 1"), ==, -1);
  g_assert_true (enr_db_holds_snapshot (db));
  exec_ok (db, "UPDATE t SET n = -2 WHERE k = 1");
  g_assert_false (enr_db_holds_snapshot (db));
  g_assert_cmpint (query_int (other, "SELECT n FROM t WHERE k = 1"), ==, -2);

  /* A rollback drops it; stopping drops it and keeps none. */
  g_assert_cmpint (query_int (db, "SELECT n FROM t WHERE k = 1"), ==, -2);
  g_assert_true (enr_db_holds_snapshot (db));
  enr_db_rollback (db);
  g_assert_false (enr_db_holds_snapshot (db));
  g_assert_cmpint (query_int (db, "SELECT n FROM t WHERE k = 1"), ==, -2);
  enr_db_keep_snapshots (db, NULL, NULL);
  g_assert_false (enr_db_holds_snapshot (db));
  g_assert_cmpint (query_int (db, "SELECT n FROM t WHERE k = 1"), ==, -2);
  g_assert_false (enr_db_holds_snapshot (db));
  g_assert_false (checkpoint_busy (other, path));

  enr_db_close (other);
  enr_db_close (db);
}

/* PostgreSQL: a connection the server dropped reports it, and reconnects. */
static void
test_connection_lost (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target = enr_test_db_new ("unused");
  g_autofree char *pid = NULL;
  g_autofree char *sql = NULL;
  EnrDb *db;
  EnrDbStmt *stmt;

  if (!enr_test_db_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only");
      return;
    }

  db = enr_db_open (target, &error);
  g_assert_no_error (error);
  pid = query_text (db, "SELECT pg_backend_pid ()");

  sql = g_strdup_printf ("SELECT pg_terminate_backend (%s)", pid);
  enr_test_db_sql (target, sql);

  stmt = enr_db_prepare (db, "SELECT 1", &error);
  g_assert_cmpint (enr_db_stmt_step (stmt, &error), ==, ENR_DB_STEP_ERROR);
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONNECTION);
  g_clear_error (&error);
  g_assert_false (enr_db_is_connected (db));

  g_assert_true (enr_db_reconnect (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT 1"), ==, 1);

  enr_db_close (db);
}

static void
test_open_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_build_filename (work_directory, "no", "such", "folder", "x.db", NULL);

  g_assert_true (enr_db_is_uri ("postgresql://host/db"));
  g_assert_true (enr_db_is_uri ("postgres://"));
  g_assert_false (enr_db_is_uri ("/var/lib/service.db"));
  g_assert_false (enr_db_is_uri ("postgresql.db"));

  g_assert_null (enr_db_open (directory, &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_null (enr_db_open ("postgresql://host:notaport:x/db?bogus=1", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Nobody listens on port 1 of this host's loopback. */
  g_assert_null (enr_db_open ("postgresql://127.0.0.1:1/db?connect_timeout=2", &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONNECTION);
  g_assert_null (strstr (error->message, "password"));
}

/* An auxiliary function for test_fts5_api(): the number of phrases. */
static void
phrase_count_function (const Fts5ExtensionApi *api,
                       Fts5Context            *fts,
                       sqlite3_context        *context,
                       int                     n_values,
                       sqlite3_value         **values)
{
  sqlite3_result_int (context, api->xPhraseCount (fts));
}

static void
test_fts5_api (void)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  fts5_api *api;

  if (enr_test_db_is_postgresql ())
    {
      g_test_skip ("SQLite only");
      return;
    }

  g_assert_cmpint (sqlite3_open (":memory:", &handle), ==, SQLITE_OK);
  api = enr_db_sqlite_get_fts5_api (handle);
  g_assert_nonnull (api);
  g_assert_cmpint (api->iVersion, >=, 2);

  /* The API is the connection's own: what it registers, queries see. */
  g_assert_cmpint (api->xCreateFunction (api, "test_phrases", NULL, phrase_count_function, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle,
                                 "CREATE VIRTUAL TABLE words USING fts5 (text);"
                                 "INSERT INTO words (text) VALUES ('ada lovelace'), ('alan turing');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT rowid, test_phrases (words) FROM words "
                                       "WHERE words MATCH 'turing alan'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 2);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  sqlite3_close (handle);
}

static int
collect_token (void       *user_data,
               int         flags,
               const char *token,
               int         length,
               int         start,
               int         end)
{
  GString *tokens = user_data;

  g_string_append_printf (tokens, "%s%.*s@%d-%d", tokens->len > 0 ? " " : "", length, token, start, end);

  return SQLITE_OK;
}

static int
stop_after_first (void       *user_data,
                  int         flags,
                  const char *token,
                  int         length,
                  int         start,
                  int         end)
{
  collect_token (user_data, flags, token, length, start, end);

  return SQLITE_ABORT;
}

static void
test_tokenizer (void)
{
  static const char *args[] = { "remove_diacritics", "2" };
  static const char *bad_args[] = { "remove_diacritics", "7" };
  const char *text = "Zoë  O'Brien-Łukasz, 12 Rue";
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(EnrDbSqliteTokenizer) tokenizer = NULL;
  g_autoptr(GString) tokens = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (enr_test_db_is_postgresql ())
    {
      g_test_skip ("SQLite only");
      return;
    }

  g_assert_cmpint (sqlite3_open (":memory:", &handle), ==, SQLITE_OK);

  tokenizer = enr_db_sqlite_tokenizer_new (handle, "unicode61", args, G_N_ELEMENTS (args), &error);
  g_assert_no_error (error);
  g_assert_nonnull (tokenizer);

  /* Folded and cut as the table below holds it (Ł has no decomposition:
   * it only loses its case); offsets are bytes. */
  g_assert_true (enr_db_sqlite_tokenizer_tokenize (tokenizer, FTS5_TOKENIZE_DOCUMENT,
                                                   text, strlen (text), collect_token, tokens));
  g_assert_cmpstr (tokens->str, ==, "zoe@0-4 o@6-7 brien@8-13 łukasz@14-21 12@23-25 rue@26-29");

  /* Only @length bytes are read; an empty or absent text has no tokens. */
  g_string_truncate (tokens, 0);
  g_assert_true (enr_db_sqlite_tokenizer_tokenize (tokenizer, FTS5_TOKENIZE_QUERY,
                                                   text, 4, collect_token, tokens));
  g_assert_cmpstr (tokens->str, ==, "zoe@0-4");
  g_string_truncate (tokens, 0);
  g_assert_true (enr_db_sqlite_tokenizer_tokenize (tokenizer, FTS5_TOKENIZE_QUERY,
                                                   NULL, 0, collect_token, tokens));
  g_assert_true (enr_db_sqlite_tokenizer_tokenize (tokenizer, FTS5_TOKENIZE_QUERY,
                                                   "", 0, collect_token, tokens));
  g_assert_cmpstr (tokens->str, ==, "");

  /* The callback can stop it. */
  g_assert_false (enr_db_sqlite_tokenizer_tokenize (tokenizer, FTS5_TOKENIZE_AUX,
                                                    text, strlen (text), stop_after_first, tokens));
  g_assert_cmpstr (tokens->str, ==, "zoe@0-4");

  /* The same tokens as a table declared with that tokenizer. */
  g_assert_cmpint (sqlite3_exec (handle,
                                 "CREATE VIRTUAL TABLE words USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2');"
                                 "INSERT INTO words (text) VALUES ('Zoë  O''Brien-Łukasz, 12 Rue');"
                                 "CREATE VIRTUAL TABLE vocabulary USING fts5vocab (words, 'row');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT group_concat (term, ' ') FROM "
                                       "(SELECT term FROM vocabulary ORDER BY term)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "12 brien o rue zoe łukasz");
  sqlite3_finalize (stmt);

  /* A tokenizer the library does not have, or arguments it refuses. */
  g_assert_null (enr_db_sqlite_tokenizer_new (handle, "no-such-tokenizer", NULL, 0, &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "no-such-tokenizer"));
  g_clear_error (&error);
  g_assert_null (enr_db_sqlite_tokenizer_new (handle, "unicode61", bad_args, G_N_ELEMENTS (bad_args), &error));
  g_assert_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED);
  g_clear_error (&error);

  g_clear_pointer (&tokenizer, enr_db_sqlite_tokenizer_free);
  sqlite3_close (handle);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  if (!enr_test_db_check_server ())
    {
      g_test_skip ("ENR_TEST_DATABASE=postgresql but no PostgreSQL server answers");
      return 77;
    }

  work_directory = g_dir_make_tmp ("enr-test-db-XXXXXX", NULL);

  g_test_add_func ("/db/placeholders", test_placeholders);
  g_test_add_func ("/db/statements", test_statements);
  g_test_add_func ("/db/static-statements", test_static_statements);
  g_test_add_func ("/db/bind-rules", test_bind_rules);
  g_test_add_func ("/db/blobs", test_blobs);
  g_test_add_func ("/db/errors", test_errors);
  g_test_add_func ("/db/transactions", test_transactions);
  g_test_add_func ("/db/deferred", test_deferred);
  g_test_add_func ("/db/traffic", test_traffic);
  g_test_add_func ("/db/migrations", test_migrations);
  g_test_add_func ("/db/busy", test_busy);
  g_test_add_func ("/db/kept-snapshots", test_kept_snapshots);
  g_test_add_func ("/db/connection-lost", test_connection_lost);
  g_test_add_func ("/db/open-errors", test_open_errors);
  g_test_add_func ("/db/fts5-api", test_fts5_api);
  g_test_add_func ("/db/tokenizer", test_tokenizer);

  status = g_test_run ();

  enr_test_db_drop_all ();
  {
    g_autoptr(GDir) dir = g_dir_open (work_directory, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (work_directory, name, NULL);

        g_remove (path);
      }
    g_rmdir (work_directory);
  }
  g_free (work_directory);

  return status;
}

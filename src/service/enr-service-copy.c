/* enr-service-copy.c — moving an SQLite deployment to PostgreSQL
 *
 * enrollment-service --database FILE copy postgresql://… copies every
 * table of the service's SQLite database into an empty PostgreSQL
 * database, in one transaction on each side: the source is read in one
 * snapshot, the target gets everything or nothing. Rows keep their ids,
 * the change log its positions (and the sequence that hands out the next
 * ones goes on after the highest position ever given, as SQLite's
 * AUTOINCREMENT does), the idempotency records their answers, so that
 * clients resume their sync and their retries against the new database
 * as if nothing happened. The search index and the customers' name order
 * are derived: they are made again on the target. Each table's rows are
 * counted on both sides before COMMIT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-service-copy.h"
#include "enr-service-store.h"

#include "enr-db.h"

/* Every table the service keeps, in the order of their references. */
static const char * const copied_tables[] = {
  "meta",
  "customers",
  "service_points",
  "metered_services",
  "device_locations",
  "program_types",
  "programs",
  "subscriptions",
  "devices",
  "initiatives",
  "service_task_types",
  "action_methods",
  "activity_types",
  "crew_shift_types",
  "crews",
  "crew_shifts",
  "service_tasks",
  "appointments",
  "communications",
  "consents",
  "code_values",
  "users",
  "sessions",
  "idempotency",
  "changes",
  "audit",
  "sign_in_throttle",
};

/* Made again from the rest (enr_service_store_rebuild_search()), or kept
 * by one backend only: the schema's version, PostgreSQL's rate limit
 * buckets (a crash may forget them too). */
static const char * const derived_tables[] = {
  "customer_order",
  "customer_search",
  "customer_names",
  "customer_name_pairs",
  "customer_other_words",
  "customer_name_prefixes",
  "schema_version",
  "rate_limits",
};

static gboolean
is_listed (const char * const *list,
           guint               n,
           const char         *name)
{
  for (guint i = 0; i < n; i++)
    if (g_str_equal (list[i], name))
      return TRUE;

  return FALSE;
}

/* Refuses a table the copy does not know: a newer schema must say how it
 * is copied, never leave one behind. SQLite's full-text indexes keep
 * their data in tables of their own (customer_search_data, …). */
static gboolean
check_known_tables (EnrDb       *db,
                    const char  *sql,
                    const char  *where,
                    GError     **error)
{
  g_autoptr(GPtrArray) names = NULL;
  EnrDbStmt *stmt;

  if (!(stmt = enr_db_prepare (db, sql, error)) ||
      !(names = enr_db_stmt_collect_text (stmt, 0, error)))
    return FALSE;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (is_listed (copied_tables, G_N_ELEMENTS (copied_tables), name) ||
          is_listed (derived_tables, G_N_ELEMENTS (derived_tables), name) ||
          g_str_has_prefix (name, "customer_search_") || g_str_has_prefix (name, "customer_names_"))
        continue;

      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_SCHEMA,
                   "the table %s of %s is unknown to this copy", name, where);
      return FALSE;
    }

  return TRUE;
}

static gboolean
count_rows (EnrDb       *db,
            const char  *table,
            gint64      *count,
            GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  EnrDbStmt *stmt = enr_db_prepare (db, sql, error);

  if (stmt == NULL || enr_db_stmt_step (stmt, error) != ENR_DB_STEP_ROW)
    {
      if (stmt != NULL)
        enr_db_stmt_reset (stmt);
      return FALSE;
    }
  *count = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);

  return TRUE;
}

typedef enum
{
  VALUE_TEXT,
  VALUE_INTEGER,
  VALUE_DOUBLE,
  VALUE_BLOB,
} ValueKind;

typedef struct
{
  char      *name;
  char      *source;     /* what the source's SELECT reads */
  ValueKind  kind;
  gboolean   identity;
} Column;

static void
column_free (gpointer data)
{
  Column *column = data;

  g_free (column->name);
  g_free (column->source);
  g_free (column);
}

/* The target's columns of @table, each with what it is read from in the
 * source: the column of the same name, or (communications.seq, which
 * orders a customer's communications of the same second) SQLite's rowid,
 * which did that there. */
static GPtrArray *
list_columns (EnrDb       *source,
              EnrDb       *target,
              const char  *table,
              GError     **error)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (column_free);
  g_autoptr(GPtrArray) source_names = NULL;
  EnrDbStmt *stmt;
  EnrDbStep step;

  if (!(stmt = enr_db_prepare (source, "SELECT name FROM pragma_table_info ($1)", error)))
    return NULL;
  enr_db_stmt_bind_text (stmt, 1, table);
  if (!(source_names = enr_db_stmt_collect_text (stmt, 0, error)))
    return NULL;

  if (!(stmt = enr_db_prepare (target,
                               "SELECT column_name, data_type, is_identity FROM information_schema.columns"
                               " WHERE table_schema = current_schema () AND table_name = $1"
                               " ORDER BY ordinal_position",
                               error)))
    return NULL;
  enr_db_stmt_bind_text (stmt, 1, table);

  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    {
      Column *column = g_new0 (Column, 1);
      const char *type = enr_db_stmt_column_text (stmt, 1);

      column->name = enr_db_stmt_column_dup (stmt, 0);
      column->identity = g_strcmp0 (enr_db_stmt_column_text (stmt, 2), "YES") == 0;
      if (g_str_equal (type, "bigint") || g_str_equal (type, "integer") ||
          g_str_equal (type, "smallint") || g_str_equal (type, "boolean"))
        column->kind = VALUE_INTEGER;
      else if (g_str_equal (type, "double precision") || g_str_equal (type, "real") ||
               g_str_equal (type, "numeric"))
        column->kind = VALUE_DOUBLE;
      else if (g_str_equal (type, "bytea"))
        column->kind = VALUE_BLOB;
      else
        column->kind = VALUE_TEXT;
      g_ptr_array_add (columns, column);

      for (guint i = 0; i < source_names->len && column->source == NULL; i++)
        if (g_str_equal (g_ptr_array_index (source_names, i), column->name))
          column->source = g_strdup (column->name);
      if (column->source == NULL && g_str_equal (table, "communications") &&
          g_str_equal (column->name, "seq"))
        column->source = g_strdup ("rowid");
    }
  enr_db_stmt_reset (stmt);
  if (step != ENR_DB_STEP_DONE)
    return NULL;

  if (columns->len == 0)
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_SCHEMA,
                   "the target has no table %s", table);
      return NULL;
    }

  for (guint i = 0; i < columns->len; i++)
    {
      Column *column = g_ptr_array_index (columns, i);

      if (column->source == NULL)
        {
          g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_SCHEMA,
                       "the column %s.%s of the target has no counterpart in the source",
                       table, column->name);
          return NULL;
        }
    }

  return g_steal_pointer (&columns);
}

/* Copies the rows of @table; returns how many, or -1. */
static gint64
copy_table (EnrDb       *source,
            EnrDb       *target,
            const char  *table,
            GError     **error)
{
  g_autoptr(GPtrArray) columns = list_columns (source, target, table, error);
  g_autoptr(GString) select = g_string_new ("SELECT ");
  g_autoptr(GString) insert = NULL;
  gboolean identity = FALSE;
  EnrDbStmt *read, *write;
  EnrDbStep step;
  gint64 rows = 0;

  if (columns == NULL)
    return -1;

  insert = g_string_new (NULL);
  g_string_append_printf (insert, "INSERT INTO %s (", table);
  for (guint i = 0; i < columns->len; i++)
    {
      Column *column = g_ptr_array_index (columns, i);

      g_string_append_printf (select, "%s%s", i > 0 ? ", " : "", column->source);
      g_string_append_printf (insert, "%s%s", i > 0 ? ", " : "", column->name);
      identity |= column->identity;
    }
  g_string_append_printf (select, " FROM %s", table);
  /* The change log in its order; the others as SQLite keeps them. */
  if (g_str_equal (table, "changes") || g_str_equal (table, "audit"))
    g_string_append (select, " ORDER BY seq");
  g_string_append_printf (insert, ")%s VALUES (", identity ? " OVERRIDING SYSTEM VALUE" : "");
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (insert, "%s$%u", i > 0 ? ", " : "", i + 1);
  g_string_append_c (insert, ')');

  if (!(read = enr_db_prepare (source, select->str, error)) ||
      !(write = enr_db_prepare (target, insert->str, error)))
    return -1;

  while ((step = enr_db_stmt_step (read, error)) == ENR_DB_STEP_ROW)
    {
      for (guint i = 0; i < columns->len; i++)
        {
          Column *column = g_ptr_array_index (columns, i);

          if (enr_db_stmt_column_is_null (read, i))
            {
              enr_db_stmt_bind_null (write, i + 1);
              continue;
            }

          switch (column->kind)
            {
            case VALUE_INTEGER:
              enr_db_stmt_bind_int64 (write, i + 1, enr_db_stmt_column_int64 (read, i));
              break;
            case VALUE_DOUBLE:
              enr_db_stmt_bind_double (write, i + 1, enr_db_stmt_column_double (read, i));
              break;
            case VALUE_BLOB:
              {
                g_autoptr(GBytes) bytes = enr_db_stmt_column_blob (read, i);

                enr_db_stmt_bind_blob (write, i + 1, g_bytes_get_data (bytes, NULL),
                                       g_bytes_get_size (bytes));
              }
              break;
            case VALUE_TEXT:
            default:
              enr_db_stmt_bind_text (write, i + 1, enr_db_stmt_column_text (read, i));
              break;
            }
        }

      if (!enr_db_stmt_run (write, error))
        {
          g_prefix_error (error, "%s, row %" G_GINT64_FORMAT ": ", table, rows + 1);
          enr_db_stmt_reset (read);
          return -1;
        }
      rows++;
    }
  enr_db_stmt_reset (read);

  return step == ENR_DB_STEP_DONE ? rows : -1;
}

/* The sequences behind the target's ids (the change log's, the audit's,
 * the communications') go on after what the source gave out. For the
 * change log that is SQLite's AUTOINCREMENT counter, which stays above
 * positions pruned since. */
static gboolean
advance_sequences (EnrDb       *source,
                   EnrDb       *target,
                   const char  *table,
                   GError     **error)
{
  EnrDbStmt *stmt;
  g_autoptr(GPtrArray) sequences = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  EnrDbStep step;

  if (!(stmt = enr_db_prepare (target,
                               "SELECT column_name, pg_get_serial_sequence ($1, column_name)"
                               " FROM information_schema.columns"
                               " WHERE table_schema = current_schema () AND table_name = $1"
                               " AND pg_get_serial_sequence ($1, column_name) IS NOT NULL",
                               error)))
    return FALSE;
  enr_db_stmt_bind_text (stmt, 1, table);
  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    {
      g_ptr_array_add (columns, enr_db_stmt_column_dup (stmt, 0));
      g_ptr_array_add (sequences, enr_db_stmt_column_dup (stmt, 1));
    }
  enr_db_stmt_reset (stmt);
  if (step != ENR_DB_STEP_DONE)
    return FALSE;

  for (guint i = 0; i < sequences->len; i++)
    {
      g_autofree char *max_sql = g_strdup_printf ("SELECT coalesce (max (%s), 0) FROM %s",
                                                  (char *) g_ptr_array_index (columns, i), table);
      gint64 last = 0;

      if (!(stmt = enr_db_prepare (target, max_sql, error)) ||
          enr_db_stmt_step (stmt, error) != ENR_DB_STEP_ROW)
        return FALSE;
      last = enr_db_stmt_column_int64 (stmt, 0);
      enr_db_stmt_reset (stmt);

      if (!(stmt = enr_db_prepare (source,
                                   "SELECT seq FROM sqlite_sequence WHERE name = $1", error)))
        {
          /* No AUTOINCREMENT table at all: sqlite_sequence does not exist. */
          g_clear_error (error);
        }
      else
        {
          enr_db_stmt_bind_text (stmt, 1, table);
          if ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
            last = MAX (last, enr_db_stmt_column_int64 (stmt, 0));
          enr_db_stmt_reset (stmt);
          if (step == ENR_DB_STEP_ERROR)
            return FALSE;
        }

      if (last == 0)
        continue;

      if (!(stmt = enr_db_prepare (target, "SELECT setval ($1, $2)", error)))
        return FALSE;
      enr_db_stmt_bind_text (stmt, 1, g_ptr_array_index (sequences, i));
      enr_db_stmt_bind_int64 (stmt, 2, last);
      if (!enr_db_stmt_run (stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_empty (EnrDb   *target,
             GError **error)
{
  g_autoptr(GString) busy = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (copied_tables); i++)
    {
      gint64 count;

      /* meta holds what the first migration wrote: it is replaced. */
      if (g_str_equal (copied_tables[i], "meta"))
        continue;
      if (!count_rows (target, copied_tables[i], &count, error))
        return FALSE;
      if (count > 0)
        g_string_append_printf (busy, "%s%s (%" G_GINT64_FORMAT ")", busy->len > 0 ? ", " : "",
                                copied_tables[i], count);
    }

  if (busy->len > 0)
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONSTRAINT,
                   "%s is not empty: %s. The copy goes into an empty database only",
                   enr_db_get_name (target), busy->str);
      return FALSE;
    }

  return TRUE;
}

/**
 * enr_service_copy_to_postgresql:
 * @source: the service's SQLite database (at the program's schema version)
 * @target: a postgresql:// URI; its schema is made or brought up to date
 *
 * Copies every table of @source into @target, which must hold no
 * records. Stop the service on @source first (the caller holds its lock).
 */
gboolean
enr_service_copy_to_postgresql (const char            *source,
                                const char            *target,
                                EnrServiceCopyReport  *report,
                                GError               **error)
{
  g_autoptr(EnrServiceStore) store = NULL;
  EnrDb *from = NULL;
  EnrDb *to;
  int version;
  gboolean ok = FALSE;

  memset (report, 0, sizeof *report);

  if (enr_db_is_uri (source) || !enr_db_is_uri (target))
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_INVALID,
                   "copy goes from an SQLite file (--database) to a postgresql:// URI");
      return FALSE;
    }

  if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND, "%s: no such database", source);
      return FALSE;
    }

  if (!(from = enr_db_open (source, error)))
    return FALSE;

  if ((version = enr_db_get_schema_version (from, error)) < 0)
    goto out;
  if (version != ENR_SERVICE_SCHEMA_VERSION)
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_SCHEMA,
                   "%s has schema version %d, this program %d: run enrollment-service "
                   "--database %s --migrate first",
                   source, version, ENR_SERVICE_SCHEMA_VERSION, source);
      goto out;
    }

  /* The target's tables, made by the same migrations as ever. */
  if (!(store = enr_service_store_open_full (target, ENR_SERVICE_STORE_MIGRATE, error)))
    goto out;
  to = enr_service_store_get_db (store);

  if (!check_known_tables (from,
                           "SELECT name FROM sqlite_schema WHERE type = 'table'"
                           " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                           source, error) ||
      !check_known_tables (to,
                           "SELECT table_name FROM information_schema.tables"
                           " WHERE table_schema = current_schema () AND table_type = 'BASE TABLE'",
                           enr_db_get_name (to), error))
    goto out;

  if (!enr_db_begin_read (from, error))
    goto out;
  if (!enr_db_begin (to, error))
    {
      enr_db_rollback (from);
      goto out;
    }

  if (!check_empty (to, error) ||
      !enr_db_exec (to, "DELETE FROM meta", error))
    goto failed;

  for (guint i = 0; i < G_N_ELEMENTS (copied_tables); i++)
    {
      const char *table = copied_tables[i];
      gint64 copied, in_source, in_target;

      if ((copied = copy_table (from, to, table, error)) < 0 ||
          !advance_sequences (from, to, table, error) ||
          !count_rows (from, table, &in_source, error) ||
          !count_rows (to, table, &in_target, error))
        goto failed;

      if (in_source != copied || in_target != copied)
        {
          g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED,
                       "%s: %" G_GINT64_FORMAT " rows in the source, %" G_GINT64_FORMAT
                       " copied, %" G_GINT64_FORMAT " in the target",
                       table, in_source, copied, in_target);
          goto failed;
        }

      report->tables++;
      report->rows += copied;
    }

  if (!enr_service_store_rebuild_search (store, error) ||
      !enr_db_commit (to, error))
    goto failed;

  enr_db_commit (from, NULL);
  report->schema_version = version;
  ok = TRUE;
  goto out;

failed:
  enr_db_rollback (to);
  enr_db_rollback (from);

out:
  if (store != NULL)
    enr_service_store_close (store);
  enr_db_close (from);

  return ok;
}

/* enr-store-stats.c — counts of the cached service tasks, on any thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three SQL aggregates over the service_tasks table (one joined with the
 * outbox's open operations), read through a second,
 * read-only connection so that they can run on a worker thread: with a
 * million tasks the GROUP BY walks a whole index, which must not hold up
 * the main loop (WAL lets this reader run beside the store's writer).
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "enr-outbox-private.h"
#include "enr-store-stats.h"

static void
set_sql_error (sqlite3  *db,
               GError  **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("Could not count the service tasks: %s"), sqlite3_errmsg (db));
}

static void
task_count_clear (gpointer data)
{
  EnrStoreTaskCount *count = data;

  g_free (count->program_id);
}

static gboolean
count_by_program (sqlite3  *db,
                  GArray   *counts,
                  GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT program_id, status, count(*) FROM service_tasks"
                           " GROUP BY program_id, status ORDER BY program_id, status",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sql_error (db, error);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *program_id = (const char *) sqlite3_column_text (stmt, 0);
      EnrStoreTaskCount count;

      count.program_id = g_strdup (program_id != NULL ? program_id : "");
      count.status = sqlite3_column_int (stmt, 1);
      count.count = (guint64) sqlite3_column_int64 (stmt, 2);
      count.unsent = 0;
      count.conflicts = 0;
      g_array_append_val (counts, count);
    }

  if (rc != SQLITE_DONE)
    set_sql_error (db, error);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE;
}

/* The tasks with operations the service has not taken, per group of
 * @counts (same order; the outbox holds few such tasks). */
static gboolean
count_unsent (sqlite3  *db,
              GArray   *counts,
              GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  guint group = 0;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT t.program_id, t.status, count(*), sum (o.conflict) FROM service_tasks t"
                           " JOIN (SELECT entity_id, max (state IN (" ENR_OUTBOX_CONFLICT ", " ENR_OUTBOX_REJECTED ")) AS conflict"
                           "       FROM outbox WHERE entity_type = 'service_task' AND state <> " ENR_OUTBOX_DONE
                           "       GROUP BY entity_id) o ON o.entity_id = t.id"
                           " GROUP BY t.program_id, t.status ORDER BY t.program_id, t.status",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sql_error (db, error);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *program_id = (const char *) sqlite3_column_text (stmt, 0);
      EnrTaskStatus status = sqlite3_column_int (stmt, 1);

      if (program_id == NULL)
        program_id = "";

      /* Both lists are in (program, status) order. */
      while (group < counts->len)
        {
          EnrStoreTaskCount *count = &g_array_index (counts, EnrStoreTaskCount, group);
          int order = strcmp (count->program_id, program_id);

          if (order > 0 || (order == 0 && count->status >= status))
            break;
          group++;
        }

      if (group < counts->len)
        {
          EnrStoreTaskCount *count = &g_array_index (counts, EnrStoreTaskCount, group);

          if (g_str_equal (count->program_id, program_id) && count->status == status)
            {
              count->unsent = (guint64) sqlite3_column_int64 (stmt, 2);
              count->conflicts = (guint64) sqlite3_column_int64 (stmt, 3);
            }
        }
    }

  if (rc != SQLITE_DONE)
    set_sql_error (db, error);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE;
}

static gboolean
count_by_age (sqlite3       *db,
              gint64         now,
              const gint64  *ages,
              guint          n_ages,
              guint64       *by_age,
              GError       **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT");
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* Each group as the task list's age filter reads it: at most the next
   * age and more than the previous one old. ?1 is the status, ?2… the
   * creation times the ages give. */
  for (guint i = 0; i <= n_ages; i++)
    {
      g_string_append (sql, i > 0 ? ", coalesce (sum (" : " coalesce (sum (");
      if (i > 0)
        g_string_append_printf (sql, "created_at < ?%u", i + 1);
      if (i > 0 && i < n_ages)
        g_string_append (sql, " AND ");
      if (i < n_ages)
        g_string_append_printf (sql, "created_at >= ?%u", i + 2);
      if (n_ages == 0)
        g_string_append (sql, "1");
      g_string_append (sql, "), 0)");
    }
  g_string_append (sql, " FROM service_tasks WHERE status = ?1");

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sql_error (db, error);
      return FALSE;
    }

  sqlite3_bind_int (stmt, 1, ENR_TASK_STATUS_IN_PROGRESS);
  for (guint i = 0; i < n_ages; i++)
    sqlite3_bind_int64 (stmt, i + 2, now - ages[i]);

  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (guint i = 0; i <= n_ages; i++)
      by_age[i] = (guint64) sqlite3_column_int64 (stmt, i);
  else
    set_sql_error (db, error);
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW;
}

/**
 * enr_store_count_tasks:
 * @database_path: the client store's file (enr_store_get_path())
 * @now: Unix time the ages are measured from
 * @ages: (array length=n_ages): ages in seconds, ascending
 * @counts: (out) (transfer full) (element-type EnrStoreTaskCount): the
 *   tasks per program and status, ordered by program, then status, with
 *   how many of them the service does not have as they are here
 * @in_progress_by_age: (out caller-allocates) (array): @n_ages + 1
 *   counts of the tasks In Progress: created at most @ages[0] ago, more
 *   than @ages[i - 1] and at most @ages[i] ago, more than the last age ago
 *
 * Reads both in one snapshot through its own read-only connection: any
 * thread, beside the store's own connection.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
enr_store_count_tasks (const char     *database_path,
                       gint64          now,
                       const gint64   *ages,
                       guint           n_ages,
                       GArray        **counts,
                       guint64        *in_progress_by_age,
                       GError        **error)
{
  g_autoptr(GArray) result = NULL;
  sqlite3 *db = NULL;
  gboolean ok;

  g_return_val_if_fail (database_path != NULL, FALSE);
  g_return_val_if_fail (ages != NULL || n_ages == 0, FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);
  g_return_val_if_fail (in_progress_by_age != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (sqlite3_open_v2 (database_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not open the local database %s: %s"),
                   database_path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (SQLITE_NOMEM));
      sqlite3_close (db);
      return FALSE;
    }

  sqlite3_busy_timeout (db, 5000);
  result = g_array_new (FALSE, TRUE, sizeof (EnrStoreTaskCount));
  g_array_set_clear_func (result, task_count_clear);

  /* One snapshot for both counts. */
  ok = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
  if (!ok)
    set_sql_error (db, error);
  ok = ok &&
       count_by_program (db, result, error) &&
       count_unsent (db, result, error) &&
       count_by_age (db, now, ages, n_ages, in_progress_by_age, error);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);

  if (ok)
    *counts = g_steal_pointer (&result);
  return ok;
}

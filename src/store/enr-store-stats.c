/* enr-store-stats.c — counts of the cached service tasks, on any thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tasks per program and status, and those in progress, come from
 * the counts the store keeps per program, status and kind
 * (service_task_counts); the tasks with open operations from the outbox
 * joined with the tasks; the age groups but the oldest from the tasks
 * created since the last age, and the oldest group by subtraction. They
 * are read through a second, read-only connection so that they can run
 * on a worker thread, beside the store's writer (WAL), never holding up
 * the main loop.
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

/* The groups the store keeps (service_task_counts, per program,
 * status and kind, kept by triggers): a few rows however many tasks. */
static gboolean
count_by_program (sqlite3  *db,
                  GArray   *counts,
                  GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT program_id, status, sum (n) FROM service_task_counts"
                           " GROUP BY program_id, status HAVING sum (n) > 0"
                           " ORDER BY program_id, status",
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

/* One number off @db's @sql, with ?1 the status In Progress. */
static gboolean
count_one (sqlite3     *db,
           const char  *sql,
           guint64     *n,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if ((rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL)) == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, ENR_TASK_STATUS_IN_PROGRESS);
      if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        *n = (guint64) sqlite3_column_int64 (stmt, 0);
    }
  if (rc != SQLITE_ROW)
    set_sql_error (db, error);
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW;
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
  guint64 in_progress = 0, no_date = 0, younger = 0;
  int rc;

  /* Every task in progress: the store's count. */
  if (!count_one (db, "SELECT coalesce (sum (n), 0) FROM service_task_counts WHERE status = ?1",
                  &in_progress, error))
    return FALSE;

  if (n_ages == 0)
    {
      by_age[0] = in_progress;
      return TRUE;
    }

  /* Each group but the oldest as the task list's age filter reads it:
   * at most the next age and more than the previous one old. ?1 is the
   * status, ?2… the creation times the ages give. Only the tasks younger
   * than the last age are summed. */
  for (guint i = 0; i < n_ages; i++)
    {
      g_string_append (sql, i > 0 ? ", coalesce (sum (" : " coalesce (sum (");
      if (i > 0)
        g_string_append_printf (sql, "created_at < ?%u AND ", i + 1);
      g_string_append_printf (sql, "created_at >= ?%u), 0)", i + 2);
    }
  g_string_append_printf (sql, " FROM service_tasks WHERE status = ?1 AND created_at >= ?%u", n_ages + 1);

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
    for (guint i = 0; i < n_ages; i++)
      {
        by_age[i] = (guint64) sqlite3_column_int64 (stmt, i);
        younger += by_age[i];
      }
  else
    set_sql_error (db, error);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW)
    return FALSE;

  /* The oldest group: the others and the tasks of no creation time
   * (in no group) taken from every task in progress. */
  if (!count_one (db, "SELECT count(*) FROM service_tasks WHERE created_at IS NULL AND status = ?1",
                  &no_date, error))
    return FALSE;

  by_age[n_ages] = in_progress >= younger + no_date ? in_progress - younger - no_date : 0;
  return TRUE;
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

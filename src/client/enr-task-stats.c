/* enr-task-stats.c — how many service tasks, per program and status, and
 * how old the ones in progress are
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store counts (enr_store_count_tasks(), on a worker thread: with a
 * million tasks its GROUP BY walks a whole index, which must not hold up
 * the main loop); this sums its counts per program and status. The
 * counts are of the tasks as this computer has them; "unsent" says how
 * many of those were changed here and are not (yet) on the service so. Ages
 * follow the task list's age filter (created_at against the real time):
 * a bucket's days are what enr_task_list_model_set_min_age_days() and
 * _set_max_age_days() take.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-store-stats.h"
#include "enr-task-stats.h"

#define SECONDS_A_DAY 86400

typedef struct
{
  char    *program_id;
  guint64  counts[ENR_TASK_STATS_N_STATUSES];
  guint64  unsent[ENR_TASK_STATS_N_STATUSES];
  guint64  total;
} ProgramStats;

struct _EnrTaskStats
{
  GObject  parent_instance;

  GArray  *programs;
  guint64  by_status[ENR_TASK_STATS_N_STATUSES];
  guint64  ageing[ENR_AGE_BUCKET_N];
  guint64  total;
  guint64  unsent;
  guint64  conflicts;
};

G_DEFINE_FINAL_TYPE (EnrTaskStats, enr_task_stats, G_TYPE_OBJECT)

static const struct
{
  guint min_days;
  guint max_days;
} bucket_days[ENR_AGE_BUCKET_N] = {
  [ENR_AGE_BUCKET_UNDER_1_DAY] = { 0, 1 },
  [ENR_AGE_BUCKET_1_TO_3_DAYS] = { 1, 3 },
  [ENR_AGE_BUCKET_3_TO_7_DAYS] = { 3, 7 },
  [ENR_AGE_BUCKET_7_TO_14_DAYS] = { 7, 14 },
  [ENR_AGE_BUCKET_OVER_14_DAYS] = { 14, 0 },
};

/**
 * enr_age_bucket_get_days:
 * @min_days: (out): the least age in days; 0 = none
 * @max_days: (out): the greatest age in days; 0 = none
 */
void
enr_age_bucket_get_days (EnrAgeBucket  bucket,
                         guint        *min_days,
                         guint        *max_days)
{
  g_return_if_fail (bucket < ENR_AGE_BUCKET_N);

  *min_days = bucket_days[bucket].min_days;
  *max_days = bucket_days[bucket].max_days;
}

const char *
enr_age_bucket_label (EnrAgeBucket bucket)
{
  switch (bucket)
    {
    case ENR_AGE_BUCKET_UNDER_1_DAY:
      return _("Under 1 day");
    case ENR_AGE_BUCKET_1_TO_3_DAYS:
      return _("1–3 days");
    case ENR_AGE_BUCKET_3_TO_7_DAYS:
      return _("3–7 days");
    case ENR_AGE_BUCKET_7_TO_14_DAYS:
      return _("7–14 days");
    case ENR_AGE_BUCKET_OVER_14_DAYS:
      return _("Over 14 days");
    default:
      return "";
    }
}

static void
program_stats_clear (gpointer data)
{
  ProgramStats *stats = data;

  g_free (stats->program_id);
}

static void
enr_task_stats_finalize (GObject *object)
{
  EnrTaskStats *self = (EnrTaskStats *) object;

  g_clear_pointer (&self->programs, g_array_unref);

  G_OBJECT_CLASS (enr_task_stats_parent_class)->finalize (object);
}

static void
enr_task_stats_class_init (EnrTaskStatsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = enr_task_stats_finalize;
}

static void
enr_task_stats_init (EnrTaskStats *self)
{
  self->programs = g_array_new (FALSE, TRUE, sizeof (ProgramStats));
  g_array_set_clear_func (self->programs, program_stats_clear);
}

/* Loading */

/**
 * enr_task_stats_load:
 * @database_path: the client store's file (enr_store_get_path())
 * @now: Unix time the ages are measured from
 *
 * Reads the counts through its own read-only connection; any thread.
 *
 * Returns: (transfer full): the counts, or %NULL with @error set
 */
EnrTaskStats *
enr_task_stats_load (const char  *database_path,
                     gint64       now,
                     GError     **error)
{
  g_autoptr(EnrTaskStats) self = NULL;
  g_autoptr(GArray) counts = NULL;
  gint64 ages[ENR_AGE_BUCKET_N - 1];
  ProgramStats *current = NULL;

  g_return_val_if_fail (database_path != NULL, NULL);

  /* The buckets' upper bounds, the last one having none. */
  for (guint i = 0; i < G_N_ELEMENTS (ages); i++)
    ages[i] = (gint64) bucket_days[i].max_days * SECONDS_A_DAY;

  self = g_object_new (ENR_TYPE_TASK_STATS, NULL);
  if (!enr_store_count_tasks (database_path, now, ages, G_N_ELEMENTS (ages),
                              &counts, self->ageing, error))
    return NULL;

  for (guint i = 0; i < counts->len; i++)
    {
      EnrStoreTaskCount *count = &g_array_index (counts, EnrStoreTaskCount, i);

      if ((guint) count->status >= ENR_TASK_STATS_N_STATUSES)
        continue;

      if (current == NULL || g_strcmp0 (current->program_id, count->program_id) != 0)
        {
          ProgramStats empty = { 0 };

          empty.program_id = g_strdup (count->program_id);
          g_array_append_val (self->programs, empty);
          current = &g_array_index (self->programs, ProgramStats, self->programs->len - 1);
        }

      current->counts[count->status] += count->count;
      current->unsent[count->status] += count->unsent;
      current->total += count->count;
      self->by_status[count->status] += count->count;
      self->total += count->count;
      self->unsent += count->unsent;
      self->conflicts += count->conflicts;
    }

  return g_steal_pointer (&self);
}

typedef struct
{
  char   *path;
  gint64  now;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->path);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  GError *error = NULL;
  EnrTaskStats *stats;

  if (g_task_return_error_if_cancelled (task))
    return;

  stats = enr_task_stats_load (load->path, load->now, &error);
  if (stats != NULL)
    g_task_return_pointer (task, stats, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
enr_task_stats_load_async (const char          *database_path,
                           gint64               now,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (database_path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  load = g_new0 (LoadData, 1);
  load->path = g_strdup (database_path);
  load->now = now;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, enr_task_stats_load_async);
  g_task_set_task_data (task, load, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * enr_task_stats_load_finish:
 *
 * Returns: (transfer full): the counts, or %NULL with @error set
 */
EnrTaskStats *
enr_task_stats_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == enr_task_stats_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Reading */

guint64
enr_task_stats_get_total (EnrTaskStats *self)
{
  g_return_val_if_fail (ENR_IS_TASK_STATS (self), 0);

  return self->total;
}

guint64
enr_task_stats_get_status_total (EnrTaskStats  *self,
                                 EnrTaskStatus  status)
{
  g_return_val_if_fail (ENR_IS_TASK_STATS (self), 0);
  g_return_val_if_fail (status < ENR_TASK_STATS_N_STATUSES, 0);

  return self->by_status[status];
}

guint
enr_task_stats_get_n_programs (EnrTaskStats *self)
{
  g_return_val_if_fail (ENR_IS_TASK_STATS (self), 0);

  return self->programs->len;
}

const char *
enr_task_stats_get_program_id (EnrTaskStats *self,
                               guint         index)
{
  g_return_val_if_fail (ENR_IS_TASK_STATS (self), NULL);
  g_return_val_if_fail (index < self->programs->len, NULL);

  return g_array_index (self->programs, ProgramStats, index).program_id;
}

guint64
enr_task_stats_get_count (EnrTaskStats  *self,
                          guint          index,
                          EnrTaskStatus  status)
{
  g_return_val_if_fail (ENR_IS_TASK_STATS (self), 0);
  g_return_val_if_fail (index < self->programs->len, 0);
  g_return_val_if_fail (status < ENR_TASK_STATS_N_STATUSES, 0);

  return g_array_index (self->programs, ProgramStats, index).counts[status];
}

guint64
enr_task_stats_get_program_total (EnrTaskStats *self,
                                  guint         index)
{
  g_return_val_if_fail (ENR_IS_TASK_STATS (self), 0);
  g_return_val_if_fail (index < self->programs->len, 0);

  return g_array_index (self->programs, ProgramStats, index).total;
}

guint64
enr_task_stats_get_ageing (EnrTaskStats *self,
                           EnrAgeBucket  bucket)
{
  g_return_val_if_fail (ENR_IS_TASK_STATS (self), 0);
  g_return_val_if_fail (bucket < ENR_AGE_BUCKET_N, 0);

  return self->ageing[bucket];
}

/**
 * enr_task_stats_get_unsent:
 *
 * Returns: how many of the program's tasks in @status were changed on this
 *   computer and are not on the service as they are here
 */
guint64
enr_task_stats_get_unsent (EnrTaskStats  *self,
                           guint          index,
                           EnrTaskStatus  status)
{
  g_return_val_if_fail (ENR_IS_TASK_STATS (self), 0);
  g_return_val_if_fail (index < self->programs->len, 0);
  g_return_val_if_fail (status < ENR_TASK_STATS_N_STATUSES, 0);

  return g_array_index (self->programs, ProgramStats, index).unsent[status];
}

/**
 * enr_task_stats_get_unsent_total:
 *
 * Returns: how many tasks were changed on this computer and are not on
 *   the service as they are here (waiting to be sent, in conflict or
 *   refused)
 */
guint64
enr_task_stats_get_unsent_total (EnrTaskStats *self)
{
  g_return_val_if_fail (ENR_IS_TASK_STATS (self), 0);

  return self->unsent;
}

/**
 * enr_task_stats_get_conflict_total:
 *
 * Returns: how many of the unsent tasks have a change in conflict or
 *   refused
 */
guint64
enr_task_stats_get_conflict_total (EnrTaskStats *self)
{
  g_return_val_if_fail (ENR_IS_TASK_STATS (self), 0);

  return self->conflicts;
}

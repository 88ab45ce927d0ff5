/* enr-task-stats.h — how many service tasks, per program and status, and
 * how old the ones in progress are
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-core.h"

G_BEGIN_DECLS

#define ENR_TASK_STATS_N_STATUSES (ENR_TASK_STATUS_CANCELED + 1)

typedef enum
{
  ENR_AGE_BUCKET_UNDER_1_DAY,
  ENR_AGE_BUCKET_1_TO_3_DAYS,
  ENR_AGE_BUCKET_3_TO_7_DAYS,
  ENR_AGE_BUCKET_7_TO_14_DAYS,
  ENR_AGE_BUCKET_OVER_14_DAYS,
} EnrAgeBucket;

#define ENR_AGE_BUCKET_N (ENR_AGE_BUCKET_OVER_14_DAYS + 1)

void            enr_age_bucket_get_days        (EnrAgeBucket         bucket,
                                                guint               *min_days,
                                                guint               *max_days);
const char     *enr_age_bucket_label           (EnrAgeBucket         bucket);

#define ENR_TYPE_TASK_STATS (enr_task_stats_get_type ())

G_DECLARE_FINAL_TYPE (EnrTaskStats, enr_task_stats, ENR, TASK_STATS, GObject)

void            enr_task_stats_load_async      (const char          *database_path,
                                                gint64               now,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
EnrTaskStats   *enr_task_stats_load_finish     (GAsyncResult        *result,
                                                GError             **error);
EnrTaskStats   *enr_task_stats_load            (const char          *database_path,
                                                gint64               now,
                                                GError             **error);

guint64         enr_task_stats_get_total       (EnrTaskStats        *self);
guint64         enr_task_stats_get_status_total (EnrTaskStats       *self,
                                                EnrTaskStatus        status);
guint           enr_task_stats_get_n_programs  (EnrTaskStats        *self);
const char     *enr_task_stats_get_program_id  (EnrTaskStats        *self,
                                                guint                index);
guint64         enr_task_stats_get_count       (EnrTaskStats        *self,
                                                guint                index,
                                                EnrTaskStatus        status);
guint64         enr_task_stats_get_program_total (EnrTaskStats      *self,
                                                guint                index);
guint64         enr_task_stats_get_ageing      (EnrTaskStats        *self,
                                                EnrAgeBucket         bucket);
guint64         enr_task_stats_get_unsent      (EnrTaskStats        *self,
                                                guint                index,
                                                EnrTaskStatus        status);
guint64         enr_task_stats_get_unsent_total (EnrTaskStats       *self);
guint64         enr_task_stats_get_conflict_total (EnrTaskStats     *self);

G_END_DECLS

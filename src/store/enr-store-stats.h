/* enr-store-stats.h — counts of the cached service tasks, on any thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-core.h"

G_BEGIN_DECLS

/**
 * EnrStoreTaskCount:
 * @program_id: the tasks' program ("" when they have none)
 * @status: the tasks' status
 * @count: how many tasks have both
 * @unsent: how many of them were changed on this computer and are not on
 *   the service as they are here (an operation waiting, being sent, in
 *   conflict or refused)
 * @conflicts: how many of those have an operation in conflict or refused
 *
 * One group of enr_store_count_tasks().
 */
typedef struct
{
  char          *program_id;
  EnrTaskStatus  status;
  guint64        count;
  guint64        unsent;
  guint64        conflicts;
} EnrStoreTaskCount;

gboolean        enr_store_count_tasks   (const char     *database_path,
                                         gint64          now,
                                         const gint64   *ages,
                                         guint           n_ages,
                                         GArray        **counts,
                                         guint64        *in_progress_by_age,
                                         GError        **error);

G_END_DECLS

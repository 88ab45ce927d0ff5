/* enr-task-export.h — the supervisors' filtered list as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-context.h"
#include "enr-task-list-model.h"

G_BEGIN_DECLS

/* Rows written per main-loop turn by the asynchronous export. */
#define ENR_TASK_EXPORT_CHUNK 500

#define ENR_TYPE_TASK_EXPORT (enr_task_export_get_type ())

G_DECLARE_FINAL_TYPE (EnrTaskExport, enr_task_export, ENR, TASK_EXPORT, GObject)

EnrTaskExport *enr_task_export_new           (EnrContext        *context,
                                              EnrTaskListModel  *filter);
guint          enr_task_export_get_n_items   (EnrTaskExport     *self);
guint          enr_task_export_get_n_written (EnrTaskExport     *self);
double         enr_task_export_get_fraction  (EnrTaskExport     *self);

gboolean       enr_task_export_write         (EnrTaskExport     *self,
                                              GFile             *file,
                                              GCancellable      *cancellable,
                                              GError           **error);
void           enr_task_export_write_async   (EnrTaskExport     *self,
                                              GFile             *file,
                                              GCancellable      *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer           user_data);
gboolean       enr_task_export_write_finish  (EnrTaskExport     *self,
                                              GAsyncResult      *result,
                                              GError           **error);

void           enr_csv_append_field          (GString           *line,
                                              const char        *value);

G_END_DECLS

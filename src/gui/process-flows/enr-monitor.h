/* enr-monitor.h — Process Flows: every service task, for supervisors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"
#include "enr-task-list-model.h"

G_BEGIN_DECLS

typedef enum
{
  ENR_MONITOR_COLUMN_TASK,
  ENR_MONITOR_COLUMN_CUSTOMER,
  ENR_MONITOR_COLUMN_PROGRAM,
  ENR_MONITOR_COLUMN_KIND,
  ENR_MONITOR_COLUMN_STATUS,
  ENR_MONITOR_COLUMN_CREATED_BY,
  ENR_MONITOR_COLUMN_CREATED_AT,
  ENR_MONITOR_COLUMN_AGE,
  ENR_MONITOR_COLUMN_APPOINTMENT,
} EnrMonitorColumn;

#define ENR_MONITOR_N_COLUMNS (ENR_MONITOR_COLUMN_APPOINTMENT + 1)

#define ENR_TYPE_MONITOR (enr_monitor_get_type ())

G_DECLARE_FINAL_TYPE (EnrMonitor, enr_monitor, ENR, MONITOR, GtkWidget)

GtkWidget        *enr_monitor_new                  (void);
EnrContext       *enr_monitor_get_context          (EnrMonitor      *self);
void              enr_monitor_set_context          (EnrMonitor      *self,
                                                    EnrContext      *context);
gboolean          enr_monitor_get_available        (EnrMonitor      *self);
EnrTaskListModel *enr_monitor_get_model            (EnrMonitor      *self);
GtkColumnViewColumn *enr_monitor_get_column        (EnrMonitor      *self,
                                                    EnrMonitorColumn column);
GtkWidget        *enr_monitor_get_column_view      (EnrMonitor      *self);
GtkAdjustment    *enr_monitor_get_vadjustment      (EnrMonitor      *self);
GtkWidget        *enr_monitor_get_count_label      (EnrMonitor      *self);
GtkWidget        *enr_monitor_get_dashboard        (EnrMonitor      *self);
GtkWidget        *enr_monitor_get_history          (EnrMonitor      *self);
GtkWidget        *enr_monitor_get_details          (EnrMonitor      *self);
const char       *enr_monitor_get_selected_task_id (EnrMonitor      *self);
void              enr_monitor_select_task          (EnrMonitor      *self,
                                                    const char      *task_id);
void              enr_monitor_set_status_filter    (EnrMonitor      *self,
                                                    guint            status_mask);
void              enr_monitor_clear_filters        (EnrMonitor      *self);
char             *enr_monitor_format_cell          (EnrMonitor      *self,
                                                    EnrServiceTask  *task,
                                                    EnrMonitorColumn column);
void              enr_monitor_export               (EnrMonitor      *self,
                                                    GFile           *file);
gboolean          enr_monitor_get_exporting        (EnrMonitor      *self);

G_END_DECLS

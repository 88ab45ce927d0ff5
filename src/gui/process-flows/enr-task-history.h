/* enr-task-history.h — a service task's state changes, its communications
 * and its changes not yet acknowledged by the service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"

G_BEGIN_DECLS

#define ENR_TYPE_TASK_HISTORY (enr_task_history_get_type ())

G_DECLARE_FINAL_TYPE (EnrTaskHistory, enr_task_history, ENR, TASK_HISTORY, GtkWidget)

GtkWidget      *enr_task_history_new                   (void);
void            enr_task_history_set_context           (EnrTaskHistory *self,
                                                        EnrContext     *context);
EnrServiceTask *enr_task_history_get_task              (EnrTaskHistory *self);
void            enr_task_history_set_task              (EnrTaskHistory *self,
                                                        EnrServiceTask *task);
GtkWidget      *enr_task_history_get_transitions_list  (EnrTaskHistory *self);
GtkWidget      *enr_task_history_get_communications_list (EnrTaskHistory *self);
GtkWidget      *enr_task_history_get_operations_list   (EnrTaskHistory *self);

G_END_DECLS

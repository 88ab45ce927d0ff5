/* enr-cancel-task-dialog.h — a supervisor cancels a service task, with a reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-task-dialog.h"

G_BEGIN_DECLS

#define ENR_TYPE_CANCEL_TASK_DIALOG (enr_cancel_task_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EnrCancelTaskDialog, enr_cancel_task_dialog, ENR, CANCEL_TASK_DIALOG, EnrTaskDialog)

EnrCancelTaskDialog *enr_cancel_task_dialog_new              (GtkWindow           *parent,
                                                              EnrContext          *context,
                                                              EnrServiceTask      *task);
GtkWidget           *enr_cancel_task_dialog_get_reason_entry (EnrCancelTaskDialog *self);

G_END_DECLS

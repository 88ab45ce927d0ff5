/* enr-task-dialog.h — a supervisor's dialog that changes one service task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"

G_BEGIN_DECLS

#define ENR_TYPE_TASK_DIALOG (enr_task_dialog_get_type ())

G_DECLARE_DERIVABLE_TYPE (EnrTaskDialog, enr_task_dialog, ENR, TASK_DIALOG, GtkWindow)

struct _EnrTaskDialogClass
{
  GtkWindowClass parent_class;
};

EnrContext     *enr_task_dialog_get_context (EnrTaskDialog *self);
EnrServiceTask *enr_task_dialog_get_task    (EnrTaskDialog *self);
void            enr_task_dialog_finish      (EnrTaskDialog *self,
                                             GtkLabel      *error_label,
                                             const GError  *error);

G_END_DECLS

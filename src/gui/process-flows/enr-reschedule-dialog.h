/* enr-reschedule-dialog.h — move a task's booked appointments to other slots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-task-dialog.h"

G_BEGIN_DECLS

#define ENR_TYPE_RESCHEDULE_DIALOG (enr_reschedule_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EnrRescheduleDialog, enr_reschedule_dialog, ENR, RESCHEDULE_DIALOG, EnrTaskDialog)

EnrRescheduleDialog *enr_reschedule_dialog_new         (GtkWindow           *parent,
                                                        EnrContext          *context,
                                                        EnrServiceTask      *task);
GPtrArray           *enr_reschedule_dialog_get_pickers (EnrRescheduleDialog *self);

G_END_DECLS

/* enr-conflict-dialog.h — settle a change the service did not take
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"
#include "enr-monitor-actions.h"

G_BEGIN_DECLS

#define ENR_TYPE_CONFLICT_DIALOG (enr_conflict_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EnrConflictDialog, enr_conflict_dialog, ENR, CONFLICT_DIALOG, GtkWindow)

EnrConflictDialog *enr_conflict_dialog_new     (GtkWindow         *parent,
                                                EnrContext        *context,
                                                EnrOperation      *operation);
gboolean           enr_conflict_dialog_resolve (EnrConflictDialog *self,
                                                EnrConflictChoice  choice,
                                                GError           **error);

G_END_DECLS

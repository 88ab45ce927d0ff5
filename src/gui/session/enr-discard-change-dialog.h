/* enr-discard-change-dialog.h — a supervisor discards another user's waiting change, with a reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"
#include "enr-outbox.h"

G_BEGIN_DECLS

#define ENR_TYPE_DISCARD_CHANGE_DIALOG (enr_discard_change_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EnrDiscardChangeDialog, enr_discard_change_dialog, ENR, DISCARD_CHANGE_DIALOG, GtkWindow)

EnrDiscardChangeDialog *enr_discard_change_dialog_new              (GtkWindow              *parent,
                                                                    EnrContext             *context,
                                                                    EnrOperation           *operation,
                                                                    const char             *description);
GtkWidget              *enr_discard_change_dialog_get_reason_entry (EnrDiscardChangeDialog *self);
const char             *enr_discard_change_dialog_get_error        (EnrDiscardChangeDialog *self);

G_END_DECLS

/* enr-lock-dialog.h — the password that brings a locked client back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"

G_BEGIN_DECLS

#define ENR_TYPE_LOCK_DIALOG (enr_lock_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EnrLockDialog, enr_lock_dialog, ENR, LOCK_DIALOG, GtkWindow)

EnrLockDialog *enr_lock_dialog_new        (EnrContext    *context,
                                           const char    *username);
gboolean       enr_lock_dialog_get_busy   (EnrLockDialog *self);
const char    *enr_lock_dialog_get_error  (EnrLockDialog *self);

G_END_DECLS

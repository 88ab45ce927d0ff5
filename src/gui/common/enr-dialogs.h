/* enr-dialogs.h — confirmations more than one window asks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget  *enr_cancel_process_dialog_new        (GtkWindow *parent);
const char *enr_cancel_process_dialog_get_reason (GtkWidget *dialog);

G_END_DECLS

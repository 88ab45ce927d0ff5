/* enr-preferences-dialog.h — the service address and its certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ENR_TYPE_PREFERENCES_DIALOG (enr_preferences_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EnrPreferencesDialog, enr_preferences_dialog, ENR, PREFERENCES_DIALOG, GtkWindow)

EnrPreferencesDialog *enr_preferences_dialog_new       (GSettings            *settings);
const char           *enr_preferences_dialog_get_error (EnrPreferencesDialog *self);

G_END_DECLS

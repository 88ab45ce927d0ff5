/* enr-sign-in-dialog.h — sign in to the service, or work offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"

G_BEGIN_DECLS

#define ENR_TYPE_SIGN_IN_DIALOG (enr_sign_in_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EnrSignInDialog, enr_sign_in_dialog, ENR, SIGN_IN_DIALOG, GtkWindow)

EnrSignInDialog *enr_sign_in_dialog_new           (EnrContext      *context);
EnrContext      *enr_sign_in_dialog_get_context   (EnrSignInDialog *self);
void             enr_sign_in_dialog_set_reason    (EnrSignInDialog *self,
                                                   const char      *reason);
void             enr_sign_in_dialog_set_username  (EnrSignInDialog *self,
                                                   const char      *username);
void             enr_sign_in_dialog_show_error    (EnrSignInDialog *self,
                                                   const GError    *error);
void             enr_sign_in_dialog_prefer_offline (EnrSignInDialog *self);
gboolean         enr_sign_in_dialog_get_busy      (EnrSignInDialog *self);
const char      *enr_sign_in_dialog_get_error     (EnrSignInDialog *self);

G_END_DECLS

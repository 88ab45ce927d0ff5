/* enr-user.h — a clerk or supervisor of the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"
#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_USER (enr_user_get_type ())

G_DECLARE_FINAL_TYPE (EnrUser, enr_user, ENR, USER, EnrEntity)

EnrUser    *enr_user_new              (void);
const char *enr_user_get_username     (EnrUser *self);
void        enr_user_set_username     (EnrUser    *self,
                                       const char *username);
const char *enr_user_get_display_name (EnrUser *self);
void        enr_user_set_display_name (EnrUser    *self,
                                       const char *display_name);
EnrRole     enr_user_get_role         (EnrUser *self);
void        enr_user_set_role         (EnrUser *self,
                                       EnrRole  role);

G_END_DECLS

/* enr-action-method.h — options of the process flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"

G_BEGIN_DECLS

#define ENR_TYPE_ACTION_METHOD (enr_action_method_get_type ())

G_DECLARE_FINAL_TYPE (EnrActionMethod, enr_action_method, ENR, ACTION_METHOD, EnrEntity)

EnrActionMethod *enr_action_method_new                       (void);
const char      *enr_action_method_get_code                  (EnrActionMethod *self);
void             enr_action_method_set_code                  (EnrActionMethod *self,
                                                              const char      *code);
gboolean         enr_action_method_get_enable_byod           (EnrActionMethod *self);
void             enr_action_method_set_enable_byod           (EnrActionMethod *self,
                                                              gboolean         enable_byod);
int              enr_action_method_get_appointment_slot_days (EnrActionMethod *self);
void             enr_action_method_set_appointment_slot_days (EnrActionMethod *self,
                                                              int              appointment_slot_days);

G_END_DECLS

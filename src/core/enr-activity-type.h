/* enr-activity-type.h — a kind of field work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"

G_BEGIN_DECLS

#define ENR_TYPE_ACTIVITY_TYPE (enr_activity_type_get_type ())

G_DECLARE_FINAL_TYPE (EnrActivityType, enr_activity_type, ENR, ACTIVITY_TYPE, EnrEntity)

EnrActivityType *enr_activity_type_new                   (void);
const char      *enr_activity_type_get_code              (EnrActivityType *self);
void             enr_activity_type_set_code              (EnrActivityType *self,
                                                          const char      *code);
const char      *enr_activity_type_get_name              (EnrActivityType *self);
void             enr_activity_type_set_name              (EnrActivityType *self,
                                                          const char      *name);
int              enr_activity_type_get_duration_minutes  (EnrActivityType *self);
void             enr_activity_type_set_duration_minutes  (EnrActivityType *self,
                                                          int              duration_minutes);
const char      *enr_activity_type_get_craft             (EnrActivityType *self);
void             enr_activity_type_set_craft             (EnrActivityType *self,
                                                          const char      *craft);
gboolean         enr_activity_type_get_needs_appointment (EnrActivityType *self);
void             enr_activity_type_set_needs_appointment (EnrActivityType *self,
                                                          gboolean         needs_appointment);

G_END_DECLS

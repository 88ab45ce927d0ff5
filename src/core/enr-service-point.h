/* enr-service-point.h — where a metered service is delivered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"

G_BEGIN_DECLS

#define ENR_TYPE_SERVICE_POINT (enr_service_point_get_type ())

G_DECLARE_FINAL_TYPE (EnrServicePoint, enr_service_point, ENR, SERVICE_POINT, EnrEntity)

EnrServicePoint *enr_service_point_new                 (void);
const char      *enr_service_point_get_premise_id      (EnrServicePoint *self);
void             enr_service_point_set_premise_id      (EnrServicePoint *self,
                                                        const char      *premise_id);
const char      *enr_service_point_get_address         (EnrServicePoint *self);
void             enr_service_point_set_address         (EnrServicePoint *self,
                                                        const char      *address);
const char      *enr_service_point_get_division        (EnrServicePoint *self);
void             enr_service_point_set_division        (EnrServicePoint *self,
                                                        const char      *division);
const char      *enr_service_point_get_rate_code       (EnrServicePoint *self);
void             enr_service_point_set_rate_code       (EnrServicePoint *self,
                                                        const char      *rate_code);
gboolean         enr_service_point_get_life_support    (EnrServicePoint *self);
void             enr_service_point_set_life_support    (EnrServicePoint *self,
                                                        gboolean         life_support);
GHashTable      *enr_service_point_get_characteristics (EnrServicePoint *self);
void             enr_service_point_set_characteristics (EnrServicePoint *self,
                                                        GHashTable      *characteristics);
const char      *enr_service_point_get_characteristic  (EnrServicePoint *self,
                                                        const char      *key);

G_END_DECLS

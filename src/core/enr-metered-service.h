/* enr-metered-service.h — a customer's service agreement, copied from billing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"
#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_METERED_SERVICE (enr_metered_service_get_type ())

G_DECLARE_FINAL_TYPE (EnrMeteredService, enr_metered_service, ENR, METERED_SERVICE, EnrEntity)

EnrMeteredService      *enr_metered_service_new                  (void);
const char             *enr_metered_service_get_customer_id      (EnrMeteredService *self);
void                    enr_metered_service_set_customer_id      (EnrMeteredService *self,
                                                                  const char        *customer_id);
const char             *enr_metered_service_get_service_point_id (EnrMeteredService *self);
void                    enr_metered_service_set_service_point_id (EnrMeteredService *self,
                                                                  const char        *service_point_id);
const char             *enr_metered_service_get_external_id      (EnrMeteredService *self);
void                    enr_metered_service_set_external_id      (EnrMeteredService *self,
                                                                  const char        *external_id);
EnrServiceType          enr_metered_service_get_service_type     (EnrMeteredService *self);
void                    enr_metered_service_set_service_type     (EnrMeteredService *self,
                                                                  EnrServiceType     service_type);
EnrMeteredServiceStatus enr_metered_service_get_status           (EnrMeteredService *self);
void                    enr_metered_service_set_status           (EnrMeteredService      *self,
                                                                  EnrMeteredServiceStatus status);

EnrMeteredService      *enr_metered_service_pick                 (GPtrArray         *services);

G_END_DECLS

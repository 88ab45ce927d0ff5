/* enr-program-subscription.h — the result of an enrollment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"
#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_PROGRAM_SUBSCRIPTION (enr_program_subscription_get_type ())

G_DECLARE_FINAL_TYPE (EnrProgramSubscription, enr_program_subscription, ENR, PROGRAM_SUBSCRIPTION, EnrEntity)

EnrProgramSubscription *enr_program_subscription_new                    (void);
const char             *enr_program_subscription_get_program_id         (EnrProgramSubscription *self);
void                    enr_program_subscription_set_program_id         (EnrProgramSubscription *self,
                                                                         const char             *program_id);
const char             *enr_program_subscription_get_customer_id        (EnrProgramSubscription *self);
void                    enr_program_subscription_set_customer_id        (EnrProgramSubscription *self,
                                                                         const char             *customer_id);
const char             *enr_program_subscription_get_metered_service_id (EnrProgramSubscription *self);
void                    enr_program_subscription_set_metered_service_id (EnrProgramSubscription *self,
                                                                         const char             *metered_service_id);
const char             *enr_program_subscription_get_device_location_id (EnrProgramSubscription *self);
void                    enr_program_subscription_set_device_location_id (EnrProgramSubscription *self,
                                                                         const char             *device_location_id);
const GDate            *enr_program_subscription_get_start_date         (EnrProgramSubscription *self);
void                    enr_program_subscription_set_start_date         (EnrProgramSubscription *self,
                                                                         const GDate            *start_date);
const GDate            *enr_program_subscription_get_end_date           (EnrProgramSubscription *self);
void                    enr_program_subscription_set_end_date           (EnrProgramSubscription *self,
                                                                         const GDate            *end_date);
EnrSubscriptionStatus   enr_program_subscription_get_status             (EnrProgramSubscription *self);
void                    enr_program_subscription_set_status             (EnrProgramSubscription *self,
                                                                         EnrSubscriptionStatus   status);
const char             *enr_program_subscription_get_service_task_id    (EnrProgramSubscription *self);
void                    enr_program_subscription_set_service_task_id    (EnrProgramSubscription *self,
                                                                         const char             *service_task_id);

G_END_DECLS

/* enr-service-task.h — the record behind one enrollment or unenrollment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-answer.h"
#include "enr-appointment.h"
#include "enr-consent.h"
#include "enr-entity.h"
#include "enr-enums.h"
#include "enr-interaction.h"
#include "enr-task-transition.h"

G_BEGIN_DECLS

#define ENR_TYPE_SERVICE_TASK (enr_service_task_get_type ())

G_DECLARE_FINAL_TYPE (EnrServiceTask, enr_service_task, ENR, SERVICE_TASK, EnrEntity)

EnrServiceTask       *enr_service_task_new                     (void);
EnrTaskKind           enr_service_task_get_kind                (EnrServiceTask *self);
void                  enr_service_task_set_kind                (EnrServiceTask *self,
                                                                EnrTaskKind     kind);
EnrTaskStatus         enr_service_task_get_status              (EnrServiceTask *self);
void                  enr_service_task_set_status              (EnrServiceTask *self,
                                                                EnrTaskStatus   status);
const char           *enr_service_task_get_program_id          (EnrServiceTask *self);
void                  enr_service_task_set_program_id          (EnrServiceTask *self,
                                                                const char     *program_id);
const char           *enr_service_task_get_customer_id         (EnrServiceTask *self);
void                  enr_service_task_set_customer_id         (EnrServiceTask *self,
                                                                const char     *customer_id);
const char           *enr_service_task_get_metered_service_id  (EnrServiceTask *self);
void                  enr_service_task_set_metered_service_id  (EnrServiceTask *self,
                                                                const char     *metered_service_id);
const char           *enr_service_task_get_service_point_id    (EnrServiceTask *self);
void                  enr_service_task_set_service_point_id    (EnrServiceTask *self,
                                                                const char     *service_point_id);
const char           *enr_service_task_get_device_location_id  (EnrServiceTask *self);
void                  enr_service_task_set_device_location_id  (EnrServiceTask *self,
                                                                const char     *device_location_id);
const char           *enr_service_task_get_subscription_id     (EnrServiceTask *self);
void                  enr_service_task_set_subscription_id     (EnrServiceTask *self,
                                                                const char     *subscription_id);
const GDate          *enr_service_task_get_start_date          (EnrServiceTask *self);
void                  enr_service_task_set_start_date          (EnrServiceTask *self,
                                                                const GDate    *start_date);
const GDate          *enr_service_task_get_stop_date           (EnrServiceTask *self);
void                  enr_service_task_set_stop_date           (EnrServiceTask *self,
                                                                const GDate    *stop_date);
GPtrArray            *enr_service_task_get_answers             (EnrServiceTask *self);
void                  enr_service_task_set_answers             (EnrServiceTask *self,
                                                                GPtrArray      *answers);
void                  enr_service_task_add_answer              (EnrServiceTask *self,
                                                                EnrAnswer      *answer);
EnrInstallationMethod enr_service_task_get_installation_method (EnrServiceTask *self);
void                  enr_service_task_set_installation_method (EnrServiceTask       *self,
                                                                EnrInstallationMethod installation_method);
EnrRemovalMethod      enr_service_task_get_removal_method      (EnrServiceTask *self);
void                  enr_service_task_set_removal_method      (EnrServiceTask  *self,
                                                                EnrRemovalMethod removal_method);
EnrAssetOwnership     enr_service_task_get_ownership           (EnrServiceTask *self);
void                  enr_service_task_set_ownership           (EnrServiceTask   *self,
                                                                EnrAssetOwnership ownership);
const char * const   *enr_service_task_get_device_ids          (EnrServiceTask *self);
void                  enr_service_task_set_device_ids          (EnrServiceTask     *self,
                                                                const char * const *device_ids);
GPtrArray            *enr_service_task_get_appointments        (EnrServiceTask *self);
void                  enr_service_task_set_appointments        (EnrServiceTask *self,
                                                                GPtrArray      *appointments);
void                  enr_service_task_add_appointment         (EnrServiceTask *self,
                                                                EnrAppointment *appointment);
GPtrArray            *enr_service_task_get_interactions        (EnrServiceTask *self);
void                  enr_service_task_set_interactions        (EnrServiceTask *self,
                                                                GPtrArray      *interactions);
void                  enr_service_task_add_interaction         (EnrServiceTask *self,
                                                                EnrInteraction *interaction);
const char * const   *enr_service_task_get_reasons             (EnrServiceTask *self);
void                  enr_service_task_set_reasons             (EnrServiceTask     *self,
                                                                const char * const *reasons);
GPtrArray            *enr_service_task_get_history             (EnrServiceTask *self);
void                  enr_service_task_set_history             (EnrServiceTask *self,
                                                                GPtrArray      *history);
void                  enr_service_task_add_transition          (EnrServiceTask    *self,
                                                                EnrTaskTransition *transition);
gint64                enr_service_task_get_version             (EnrServiceTask *self);
void                  enr_service_task_set_version             (EnrServiceTask *self,
                                                                gint64          version);
const char           *enr_service_task_get_created_by          (EnrServiceTask *self);
void                  enr_service_task_set_created_by          (EnrServiceTask *self,
                                                                const char     *created_by);
GDateTime            *enr_service_task_get_created_at          (EnrServiceTask *self);
void                  enr_service_task_set_created_at          (EnrServiceTask *self,
                                                                GDateTime      *created_at);
GDateTime            *enr_service_task_get_updated_at          (EnrServiceTask *self);
void                  enr_service_task_set_updated_at          (EnrServiceTask *self,
                                                                GDateTime      *updated_at);
EnrConsent           *enr_service_task_get_consent             (EnrServiceTask *self);
void                  enr_service_task_set_consent             (EnrServiceTask *self,
                                                                EnrConsent     *consent);
EnrAnswer            *enr_service_task_find_answer             (EnrServiceTask *self,
                                                                const char     *question_id);
EnrInteraction       *enr_service_task_get_interaction         (EnrServiceTask *self,
                                                                EnrPanel        panel);
EnrServiceTask       *enr_service_task_copy                    (EnrServiceTask *self);

G_END_DECLS

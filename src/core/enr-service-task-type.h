/* enr-service-task-type.h — configures enrollment and unenrollment tasks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"
#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_DEVICE_SETUP_RULE (enr_device_setup_rule_get_type ())
#define ENR_TYPE_SERVICE_TASK_TYPE (enr_service_task_type_get_type ())

G_DECLARE_FINAL_TYPE (EnrDeviceSetupRule, enr_device_setup_rule, ENR, DEVICE_SETUP_RULE, GObject)
G_DECLARE_FINAL_TYPE (EnrServiceTaskType, enr_service_task_type, ENR, SERVICE_TASK_TYPE, EnrEntity)

EnrDeviceSetupRule   *enr_device_setup_rule_new                     (void);
EnrInstallationMethod enr_device_setup_rule_get_installation_method (EnrDeviceSetupRule *self);
void                  enr_device_setup_rule_set_installation_method (EnrDeviceSetupRule   *self,
                                                                     EnrInstallationMethod installation_method);
EnrRemovalMethod      enr_device_setup_rule_get_removal_method      (EnrDeviceSetupRule *self);
void                  enr_device_setup_rule_set_removal_method      (EnrDeviceSetupRule *self,
                                                                     EnrRemovalMethod    removal_method);
EnrAssetOwnership     enr_device_setup_rule_get_ownership           (EnrDeviceSetupRule *self);
void                  enr_device_setup_rule_set_ownership           (EnrDeviceSetupRule *self,
                                                                     EnrAssetOwnership   ownership);
const char * const   *enr_device_setup_rule_get_activity_type_ids   (EnrDeviceSetupRule *self);
void                  enr_device_setup_rule_set_activity_type_ids   (EnrDeviceSetupRule *self,
                                                                     const char * const *activity_type_ids);

EnrServiceTaskType *enr_service_task_type_new                 (void);
const char         *enr_service_task_type_get_code            (EnrServiceTaskType *self);
void                enr_service_task_type_set_code            (EnrServiceTaskType *self,
                                                               const char         *code);
const char         *enr_service_task_type_get_name            (EnrServiceTaskType *self);
void                enr_service_task_type_set_name            (EnrServiceTaskType *self,
                                                               const char         *name);
EnrTaskKind         enr_service_task_type_get_kind            (EnrServiceTaskType *self);
void                enr_service_task_type_set_kind            (EnrServiceTaskType *self,
                                                               EnrTaskKind         kind);
int                 enr_service_task_type_get_expiration_days (EnrServiceTaskType *self);
void                enr_service_task_type_set_expiration_days (EnrServiceTaskType *self,
                                                               int                 expiration_days);
GPtrArray          *enr_service_task_type_get_rules           (EnrServiceTaskType *self);
void                enr_service_task_type_set_rules           (EnrServiceTaskType *self,
                                                               GPtrArray          *rules);
void                enr_service_task_type_add_rule            (EnrServiceTaskType *self,
                                                               EnrDeviceSetupRule *rule);

G_END_DECLS

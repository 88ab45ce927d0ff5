/* enr-flow-session.h — one open process flow and what its panels need
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-context.h"

G_BEGIN_DECLS

/* Details of the "changed" signal: what part of the draft changed. */
#define ENR_FLOW_CHANGE_METERED_SERVICE "metered-service"
#define ENR_FLOW_CHANGE_PROGRAM         "program"
#define ENR_FLOW_CHANGE_DATES           "dates"
#define ENR_FLOW_CHANGE_ANSWERS         "answers"
#define ENR_FLOW_CHANGE_DEVICE_SETUP    "device-setup"
#define ENR_FLOW_CHANGE_APPOINTMENTS    "appointments"
#define ENR_FLOW_CHANGE_INTERACTION     "interaction"
#define ENR_FLOW_CHANGE_CONSENT         "consent"
#define ENR_FLOW_CHANGE_PANEL           "panel"
#define ENR_FLOW_CHANGE_STATUS          "status"

/* How long typing waits before it is written to the local store. */
#define ENR_FLOW_SESSION_SAVE_DELAY_MS 250

typedef enum
{
  ENR_INTERACTION_FIELD_CHANNEL,
  ENR_INTERACTION_FIELD_CLASS,
  ENR_INTERACTION_FIELD_CATEGORY,
  ENR_INTERACTION_FIELD_NOTES,
} EnrInteractionField;

#define ENR_TYPE_FLOW_SESSION (enr_flow_session_get_type ())

G_DECLARE_FINAL_TYPE (EnrFlowSession, enr_flow_session, ENR, FLOW_SESSION, GObject)

EnrInstallationMethod   enr_task_type_get_providing_method     (EnrServiceTaskType     *task_type);

EnrProcessFlow         *enr_flow_session_create_enrollment     (EnrContext             *context,
                                                                 const char             *customer_id,
                                                                 const char             *program_id,
                                                                 const char             *metered_service_id);
EnrProcessFlow         *enr_flow_session_create_unenrollment   (EnrContext             *context,
                                                                 EnrProgramSubscription *subscription);
EnrProcessFlow         *enr_flow_session_create_for_task       (EnrContext             *context,
                                                                 EnrServiceTask         *task);

EnrFlowSession         *enr_flow_session_new                   (EnrContext             *context,
                                                                 EnrProcessFlow         *flow);
EnrContext             *enr_flow_session_get_context           (EnrFlowSession         *self);
EnrProcessFlow         *enr_flow_session_get_flow              (EnrFlowSession         *self);
EnrServiceTask         *enr_flow_session_get_task              (EnrFlowSession         *self);
EnrTaskKind             enr_flow_session_get_kind              (EnrFlowSession         *self);
EnrStepPlan            *enr_flow_session_get_plan              (EnrFlowSession         *self);
EnrPanel                enr_flow_session_get_current_panel     (EnrFlowSession         *self);
gboolean                enr_flow_session_is_open               (EnrFlowSession         *self);
gboolean                enr_flow_session_get_dirty             (EnrFlowSession         *self);

EnrCustomer            *enr_flow_session_get_customer          (EnrFlowSession         *self);
GPtrArray              *enr_flow_session_get_metered_services  (EnrFlowSession         *self);
EnrMeteredService      *enr_flow_session_get_metered_service   (EnrFlowSession         *self);
EnrServicePoint        *enr_flow_session_get_service_point     (EnrFlowSession         *self);
EnrDeviceLocation      *enr_flow_session_get_device_location   (EnrFlowSession         *self);
EnrProgram             *enr_flow_session_get_program           (EnrFlowSession         *self);
EnrProgramType         *enr_flow_session_get_program_type      (EnrFlowSession         *self);
EnrServiceTaskType     *enr_flow_session_get_task_type         (EnrFlowSession         *self);
EnrActionMethod        *enr_flow_session_get_action_method     (EnrFlowSession         *self);
EnrProgramSubscription *enr_flow_session_get_subscription      (EnrFlowSession         *self);
GPtrArray              *enr_flow_session_get_offered_devices   (EnrFlowSession         *self);
GPtrArray              *enr_flow_session_get_activities        (EnrFlowSession         *self);
GPtrArray              *enr_flow_session_get_appointment_activities (EnrFlowSession    *self);
GPtrArray              *enr_flow_session_list_programs         (EnrFlowSession         *self);
EnrAppointment         *enr_flow_session_get_appointment       (EnrFlowSession         *self,
                                                                 const char             *activity_type_id);

GPtrArray              *enr_flow_session_validate              (EnrFlowSession         *self,
                                                                 EnrPanel                panel);
GPtrArray              *enr_flow_session_validate_all          (EnrFlowSession         *self);
EnrEligibilityResult   *enr_flow_session_check_eligibility     (EnrFlowSession         *self,
                                                                 gboolean                check_answers);

/* Edits: each one is written to the local store (typing after a short delay). */
void                    enr_flow_session_set_metered_service   (EnrFlowSession         *self,
                                                                 const char             *metered_service_id);
void                    enr_flow_session_set_program           (EnrFlowSession         *self,
                                                                 const char             *program_id);
void                    enr_flow_session_set_start_date        (EnrFlowSession         *self,
                                                                 const GDate            *date);
void                    enr_flow_session_set_stop_date         (EnrFlowSession         *self,
                                                                 const GDate            *date);
void                    enr_flow_session_set_answer            (EnrFlowSession         *self,
                                                                 const char             *question_id,
                                                                 const char * const     *values,
                                                                 gboolean                typing);
void                    enr_flow_session_set_installation_method (EnrFlowSession       *self,
                                                                 EnrInstallationMethod   method);
void                    enr_flow_session_set_removal_method    (EnrFlowSession         *self,
                                                                 EnrRemovalMethod        method);
void                    enr_flow_session_set_ownership         (EnrFlowSession         *self,
                                                                 EnrAssetOwnership       ownership);
void                    enr_flow_session_set_device_selected   (EnrFlowSession         *self,
                                                                 const char             *device_id,
                                                                 gboolean                selected);
void                    enr_flow_session_set_appointment       (EnrFlowSession         *self,
                                                                 const char             *activity_type_id,
                                                                 EnrSlot                *slot);
void                    enr_flow_session_set_interaction       (EnrFlowSession         *self,
                                                                 EnrPanel                panel,
                                                                 EnrInteractionField     field,
                                                                 const char             *value,
                                                                 gboolean                typing);
void                    enr_flow_session_set_consent           (EnrFlowSession         *self,
                                                                 EnrConsentMethod        method,
                                                                 GDateTime              *given_at);
void                    enr_flow_session_set_current_panel     (EnrFlowSession         *self,
                                                                 EnrPanel                panel);

gboolean                enr_flow_session_flush                 (EnrFlowSession         *self,
                                                                 GError                **error);
gboolean                enr_flow_session_save                  (EnrFlowSession         *self,
                                                                 GError                **error);
gboolean                enr_flow_session_finish                (EnrFlowSession         *self,
                                                                 GError                **error);
gboolean                enr_flow_session_cancel                (EnrFlowSession         *self,
                                                                 const char             *reason,
                                                                 GError                **error);

G_END_DECLS

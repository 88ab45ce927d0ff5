/* enr-validation.h — is a panel of the process flow filled in correctly?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-enums.h"
#include "enr-program.h"
#include "enr-program-type.h"
#include "enr-service-task.h"
#include "enr-service-task-type.h"
#include "enr-step-plan.h"

G_BEGIN_DECLS

/* Stable field keys of EnrFieldError:field. Per-item keys are built as
 * "answer:<question-id>", "appointment:<activity-type-id>" and
 * "interaction:<panel-nick>:<channel|class|category>". */
#define ENR_FIELD_METERED_SERVICE      "metered-service-id"
#define ENR_FIELD_PROGRAM              "program-id"
#define ENR_FIELD_SUBSCRIPTION         "subscription-id"
#define ENR_FIELD_START_DATE           "start-date"
#define ENR_FIELD_STOP_DATE            "stop-date"
#define ENR_FIELD_INSTALLATION_METHOD  "installation-method"
#define ENR_FIELD_REMOVAL_METHOD       "removal-method"
#define ENR_FIELD_OWNERSHIP            "ownership"
#define ENR_FIELD_DEVICES              "device-ids"
#define ENR_FIELD_ANSWER_PREFIX        "answer:"
#define ENR_FIELD_APPOINTMENT_PREFIX   "appointment:"
#define ENR_FIELD_INTERACTION_PREFIX   "interaction:"
#define ENR_FIELD_CONSENT_METHOD       "consent-method"
#define ENR_FIELD_CONSENT_GIVEN_AT     "consent-given-at"
#define ENR_FIELD_CONSENT_TERMS        "consent-terms-version"

/**
 * EnrValidationContext:
 * @task: the service task (the flow's draft) being validated (required)
 * @program: (nullable): the program of @task, %NULL when not known
 * @program_type: (nullable): the program's type; only used by
 *   enr_validate_task() without a step plan (%NULL = location required)
 * @task_type: (nullable): the task's service task type: whether its
 *   device-setup rules need the asset ownership; %NULL = it is required
 * @devices: (element-type EnrDevice) (nullable): the devices offered at the
 *   device location: those that can be re-enrolled (enrollment) or are
 *   being removed (unenrollment); %NULL = none
 * @activities: (element-type EnrActivityType) (nullable): the activity
 *   types the device-setup rules require for the task's method and
 *   ownership (see enr_device_setup_activities_for_task() and
 *   enr_device_setup_resolve_activity_types()); %NULL = none
 * @today: (nullable): today's date; %NULL = the local date now
 * @subscription_start: (nullable): unenrollment: the start date of the
 *   subscription being ended; %NULL = unknown, not checked
 *
 * A plain struct of borrowed pointers: the caller keeps everything alive
 * for the duration of the call. Fill it with a designated initializer.
 */
typedef struct
{
  EnrServiceTask     *task;
  EnrProgram         *program;
  EnrProgramType     *program_type;
  EnrServiceTaskType *task_type;
  GPtrArray          *devices;
  GPtrArray          *activities;
  const GDate        *today;
  const GDate        *subscription_start;
} EnrValidationContext;

#define ENR_TYPE_FIELD_ERROR (enr_field_error_get_type ())

G_DECLARE_FINAL_TYPE (EnrFieldError, enr_field_error, ENR, FIELD_ERROR, GObject)

EnrFieldError *enr_field_error_new         (const char                 *field,
                                            const char                 *message);
const char    *enr_field_error_get_field   (EnrFieldError              *self);
void           enr_field_error_set_field   (EnrFieldError              *self,
                                            const char                 *field);
const char    *enr_field_error_get_message (EnrFieldError              *self);
void           enr_field_error_set_message (EnrFieldError              *self,
                                            const char                 *message);

GPtrArray     *enr_validate_panel          (EnrPanel                    panel,
                                            const EnrValidationContext *ctx);
GPtrArray     *enr_validate_task           (const EnrValidationContext *ctx,
                                            EnrStepPlan                *plan);
EnrFieldError *enr_validation_find         (GPtrArray                  *errors,
                                            const char                 *field);
char          *enr_validation_join         (GPtrArray                  *errors,
                                            const char                 *separator);
char         **enr_validation_to_strv      (GPtrArray                  *errors);

G_END_DECLS

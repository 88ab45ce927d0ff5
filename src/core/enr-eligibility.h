/* enr-eligibility.h — may this customer join this program?
 *
 * The rules of the design's DOMAIN.md "Eligibility", evaluated on plain
 * data so the service (authoritative) and the offline client give the
 * same answer. Every failing rule adds a reason; evaluation never stops at
 * the first one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-customer.h"
#include "enr-device.h"
#include "enr-enums.h"
#include "enr-initiative.h"
#include "enr-metered-service.h"
#include "enr-program.h"
#include "enr-program-subscription.h"
#include "enr-program-type.h"
#include "enr-service-point.h"
#include "enr-service-task.h"

G_BEGIN_DECLS

/* Stable reason codes (EnrEligibilityReason:code). */
#define ENR_ELIGIBILITY_PROGRAM_INACTIVE         "program-inactive"
#define ENR_ELIGIBILITY_PROGRAM_SUSPENDED        "program-suspended"
#define ENR_ELIGIBILITY_BEFORE_PROGRAM_START     "before-program-start"
#define ENR_ELIGIBILITY_AFTER_PROGRAM_END        "after-program-end"
#define ENR_ELIGIBILITY_ALREADY_ENROLLED         "already-enrolled"
#define ENR_ELIGIBILITY_ENROLLMENT_IN_PROGRESS   "enrollment-in-progress"
#define ENR_ELIGIBILITY_DIVISION_NOT_SERVED      "division-not-served"
#define ENR_ELIGIBILITY_RATE_NOT_ELIGIBLE        "rate-not-eligible"
#define ENR_ELIGIBILITY_NO_ACCEPTED_DEVICE       "no-accepted-device"
#define ENR_ELIGIBILITY_CRITERION                "criterion"
#define ENR_ELIGIBILITY_CRITERIA_INSUFFICIENT    "criteria-insufficient"
#define ENR_ELIGIBILITY_CRITERIA_EXHAUSTED       "criteria-exhausted"
#define ENR_ELIGIBILITY_QUALIFICATION_ANSWER     "qualification-answer"
#define ENR_ELIGIBILITY_QUALIFICATION_UNANSWERED "qualification-unanswered"
#define ENR_ELIGIBILITY_EXCLUDED_PROGRAM         "excluded-program"
#define ENR_ELIGIBILITY_PREMISE_LIMIT            "premise-limit"

/**
 * EnrEligibilityInput:
 * @program: the program asked about (required)
 * @program_type: its program type; %NULL = not a device program
 * @initiative: the program's initiative, or %NULL (no criteria)
 * @customer: the customer (informational; may be %NULL)
 * @metered_service: the metered service to enroll, or %NULL
 * @service_point: its service point, or %NULL (rate, division,
 *   life-support, characteristics and premise are then absent)
 * @devices: (element-type EnrDevice) (nullable): the devices at the
 *   customer's device locations; %NULL = none
 * @subscriptions: (element-type EnrProgramSubscription) (nullable): the
 *   customer's program subscriptions, any status; %NULL = none
 * @open_tasks: (element-type EnrServiceTask) (nullable): the customer's
 *   service tasks; completed and canceled ones are ignored here, so the
 *   caller may pass them all
 * @current_task_id: (nullable): the task being evaluated, never counted as
 *   "enrollment in progress"
 * @start_date: (nullable): the requested start date; %NULL = not chosen
 *   yet, date checks use @today
 * @today: (nullable): today's date; %NULL = the local date now
 * @answers: (element-type EnrAnswer) (nullable): the answers given so far;
 *   %NULL = none
 * @installation_method: the enrollment's installation method;
 *   ship-device and utility-installation mean a device will be provided
 * @check_answers: whether rule 6 (qualification questions) is evaluated.
 *   %FALSE for listing programs before any question was asked; %TRUE on
 *   the Program panel's Next and on Finish (then missing answers count as
 *   unanswered)
 * @programs: (element-type EnrProgram) (nullable): the programs the
 *   customer's subscriptions and tasks name (the whole catalog will do):
 *   their names and their own exclusions, read for rule 7. Without them
 *   only @program's exclusions by program id can be checked
 * @premise_subscriptions: (element-type EnrProgramSubscription) (nullable):
 *   the subscriptions of every metered service at @service_point's premise,
 *   whoever's account they are on (the customer's own are skipped), for
 *   the program's premise limit; %NULL = none known
 *
 * The context of one evaluation. A plain struct of borrowed pointers: the
 * caller keeps everything alive for the duration of the call. Fill it with
 * a designated initializer; zero means "absent".
 */
typedef struct
{
  EnrProgram            *program;
  EnrProgramType        *program_type;
  EnrInitiative         *initiative;
  EnrCustomer           *customer;
  EnrMeteredService     *metered_service;
  EnrServicePoint       *service_point;
  GPtrArray             *devices;
  GPtrArray             *subscriptions;
  GPtrArray             *open_tasks;
  const char            *current_task_id;
  const GDate           *start_date;
  const GDate           *today;
  GPtrArray             *answers;
  EnrInstallationMethod  installation_method;
  gboolean               check_answers;
  GPtrArray             *programs;
  GPtrArray             *premise_subscriptions;
} EnrEligibilityInput;

typedef enum
{
  ENR_CRITERION_RESULT_TRUE,
  ENR_CRITERION_RESULT_FALSE,
  ENR_CRITERION_RESULT_INSUFFICIENT,
} EnrCriterionResult;

#define ENR_TYPE_ELIGIBILITY_REASON (enr_eligibility_reason_get_type ())

G_DECLARE_FINAL_TYPE (EnrEligibilityReason, enr_eligibility_reason, ENR, ELIGIBILITY_REASON, GObject)

EnrEligibilityReason *enr_eligibility_reason_new      (const char           *code,
                                                       const char           *text);
const char           *enr_eligibility_reason_get_code (EnrEligibilityReason *self);
void                  enr_eligibility_reason_set_code (EnrEligibilityReason *self,
                                                       const char           *code);
const char           *enr_eligibility_reason_get_text (EnrEligibilityReason *self);
void                  enr_eligibility_reason_set_text (EnrEligibilityReason *self,
                                                       const char           *text);

#define ENR_TYPE_ELIGIBILITY_RESULT (enr_eligibility_result_get_type ())

G_DECLARE_FINAL_TYPE (EnrEligibilityResult, enr_eligibility_result, ENR, ELIGIBILITY_RESULT, GObject)

EnrEligibilityResult *enr_eligibility_result_new          (void);
gboolean              enr_eligibility_result_is_eligible  (EnrEligibilityResult *self);
gboolean              enr_eligibility_result_get_eligible (EnrEligibilityResult *self);
void                  enr_eligibility_result_set_eligible (EnrEligibilityResult *self,
                                                           gboolean              eligible);
GPtrArray            *enr_eligibility_result_get_reasons  (EnrEligibilityResult *self);
void                  enr_eligibility_result_set_reasons  (EnrEligibilityResult *self,
                                                           GPtrArray            *reasons);
void                  enr_eligibility_result_add_reason   (EnrEligibilityResult *self,
                                                           const char           *code,
                                                           const char           *text);
gboolean              enr_eligibility_result_has_reason   (EnrEligibilityResult *self,
                                                           const char           *code);
char                 *enr_eligibility_result_join_reasons (EnrEligibilityResult *self,
                                                           const char           *separator);

EnrEligibilityResult *enr_eligibility_evaluate            (const EnrEligibilityInput *input);
EnrCriterionResult    enr_criterion_evaluate              (EnrCriterion              *criterion,
                                                           const EnrEligibilityInput *input);
char                 *enr_criterion_derive_value          (EnrCriterion              *criterion,
                                                           const EnrEligibilityInput *input);

G_END_DECLS

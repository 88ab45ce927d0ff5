/* test-models.c — the domain model types, their accessors and their JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "enr-core.h"
#include "enr-core-private.h"

typedef struct
{
  const char *name;
  gboolean    entity;
  gpointer  (*build) (void);
  /* Decoding {} fails naming this member; NULL: {} decodes. */
  const char *first_required;
  /* Decoding {"id": …} fails naming this member (entities). */
  const char *first_own_required;
} ModelCase;

/* Every builder sets every property to a value that is not its default. */

static gpointer
build_customer (void)
{
  EnrCustomer *self = enr_customer_new ();

  enr_entity_set_id (ENR_ENTITY (self), "customer-1");
  enr_customer_set_name (self, "Ana Müller");
  enr_customer_set_account_id (self, "customer:account-id");
  enr_customer_set_phone (self, "customer:phone");
  enr_customer_set_email (self, "ana@example.org");
  enr_customer_set_mailing_address (self, "customer:mailing-address");

  return self;
}

static gpointer
build_metered_service (void)
{
  EnrMeteredService *self = enr_metered_service_new ();

  enr_entity_set_id (ENR_ENTITY (self), "metered-service-1");
  enr_metered_service_set_customer_id (self, "metered-service:customer-id");
  enr_metered_service_set_service_point_id (self, "metered-service:service-point-id");
  enr_metered_service_set_external_id (self, "metered-service:external-id");
  enr_metered_service_set_service_type (self, ENR_SERVICE_TYPE_WATER);
  enr_metered_service_set_status (self, ENR_METERED_SERVICE_STATUS_INACTIVE);

  return self;
}

static gpointer
build_service_point (void)
{
  EnrServicePoint *self = enr_service_point_new ();
  g_autoptr(GHashTable) characteristics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  enr_entity_set_id (ENR_ENTITY (self), "service-point-1");
  enr_service_point_set_premise_id (self, "service-point:premise-id");
  enr_service_point_set_address (self, "service-point:address");
  enr_service_point_set_division (self, "service-point:division");
  enr_service_point_set_rate_code (self, "service-point:rate-code");
  enr_service_point_set_life_support (self, TRUE);
  g_hash_table_insert (characteristics, g_strdup ("heating"), g_strdup ("heat-pump"));
  g_hash_table_insert (characteristics, g_strdup ("floors"), g_strdup ("2"));
  g_hash_table_insert (characteristics, g_strdup ("zone"), g_strdup ("north"));
  enr_service_point_set_characteristics (self, characteristics);

  return self;
}

static gpointer
build_device_location (void)
{
  EnrDeviceLocation *self = enr_device_location_new ();

  enr_entity_set_id (ENR_ENTITY (self), "device-location-1");
  enr_device_location_set_service_point_id (self, "device-location:service-point-id");
  enr_device_location_set_address (self, "device-location:address");
  enr_device_location_set_description (self, "device-location:description");

  return self;
}

static gpointer
build_device (void)
{
  EnrDevice *self = enr_device_new ();

  enr_entity_set_id (ENR_ENTITY (self), "device-1");
  enr_device_set_asset_type (self, ENR_ASSET_TYPE_LOAD_CONTROL_SWITCH);
  enr_device_set_specification (self, "device:specification");
  enr_device_set_serial_number (self, "device:serial-number");
  enr_device_set_badge_number (self, "device:badge-number");
  enr_device_set_network_id (self, "device:network-id");
  enr_device_set_ownership (self, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
  enr_device_set_status (self, ENR_DEVICE_STATUS_RETURNED);
  enr_device_set_device_location_id (self, "device:device-location-id");
  enr_device_set_subscription_id (self, "device:subscription-id");

  return self;
}

static gpointer
build_program_type (void)
{
  EnrProgramType *self = enr_program_type_new ();

  enr_entity_set_id (ENR_ENTITY (self), "program-type-1");
  enr_program_type_set_code (self, "program-type:code");
  enr_program_type_set_name (self, "program-type:name");
  enr_program_type_set_category (self, ENR_PROGRAM_CATEGORY_RATE_BASED);
  enr_program_type_set_device_required (self, TRUE);
  enr_program_type_set_location_required (self, TRUE);
  enr_program_type_set_consent_required (self, TRUE);

  return self;
}

static gpointer
build_question (void)
{
  EnrQuestion *self = enr_question_new ();

  enr_entity_set_id (ENR_ENTITY (self), "question-1");
  enr_question_set_code (self, "question:code");
  enr_question_set_text (self, "question:text");
  enr_question_set_kind (self, ENR_QUESTION_KIND_INFORMATIONAL);
  enr_question_set_answer_style (self, ENR_ANSWER_STYLE_DATE);
  enr_question_set_required (self, TRUE);
  enr_question_set_valid_answers (self, (const char * const []) { "valid-answers-1", "valid-answers-2", NULL });
  enr_question_set_expected_answers (self, (const char * const []) { "expected-answers-1", "expected-answers-2", NULL });
  enr_question_set_position (self, 1000);

  return self;
}

static gpointer
build_consent (void)
{
  EnrConsent *self = enr_consent_new ();
  g_autoptr(GDateTime) given_at = g_date_time_new_from_iso8601 ("2026-12-01T09:30:00-08:00", NULL);

  enr_consent_set_method (self, ENR_CONSENT_METHOD_DEVICE_APP);
  enr_consent_set_given_at (self, given_at);
  enr_consent_set_terms_version (self, "consent:terms-version");
  enr_consent_set_recorded_by (self, "consent:recorded-by");

  return self;
}

static gpointer
build_program_exclusion (void)
{
  EnrProgramExclusion *self = enr_program_exclusion_new ();

  enr_program_exclusion_set_program_id (self, "program-exclusion:program-id");
  enr_program_exclusion_set_program_type_id (self, "program-exclusion:program-type-id");
  enr_program_exclusion_set_reason (self, "program-exclusion:reason");

  return self;
}

static gpointer
build_program (void)
{
  EnrProgram *self = enr_program_new ();
  g_autoptr(GDate) start_date = g_date_new_dmy (1, G_DATE_DECEMBER, 2026);
  g_autoptr(GDate) end_date = g_date_new_dmy (2, G_DATE_DECEMBER, 2026);
  g_autoptr(EnrQuestion) question1 = build_question ();
  g_autoptr(EnrQuestion) question2 = build_question ();
  g_autoptr(EnrProgramExclusion) exclusion1 = build_program_exclusion ();
  g_autoptr(EnrProgramExclusion) exclusion2 = build_program_exclusion ();

  enr_entity_set_id (ENR_ENTITY (self), "program-1");
  enr_program_set_code (self, "program:code");
  enr_program_set_name (self, "program:name");
  enr_program_set_description (self, "program:description");
  enr_program_set_program_type_id (self, "program:program-type-id");
  enr_program_set_status (self, ENR_PROGRAM_STATUS_CLOSED);
  enr_program_set_suspended (self, TRUE);
  enr_program_set_start_date (self, start_date);
  enr_program_set_end_date (self, end_date);
  enr_program_set_division (self, "program:division");
  enr_program_set_rate_codes (self, (const char * const []) { "rate-codes-1", "rate-codes-2", NULL });
  enr_program_set_device_specifications (self, (const char * const []) { "device-specifications-1", "device-specifications-2", NULL });
  enr_program_set_initiative_id (self, "program:initiative-id");
  enr_program_add_question (self, question1);
  enr_program_add_question (self, question2);
  enr_program_set_enrollment_task_type_id (self, "program:enrollment-task-type-id");
  enr_program_set_unenrollment_task_type_id (self, "program:unenrollment-task-type-id");
  enr_program_set_action_method_id (self, "program:action-method-id");
  enr_program_add_exclusion (self, exclusion1);
  enr_program_add_exclusion (self, exclusion2);
  enr_program_set_premise_limit (self, 1000);
  enr_program_set_terms_version (self, "program:terms-version");

  return self;
}

static gpointer
build_criterion (void)
{
  EnrCriterion *self = enr_criterion_new ();

  enr_criterion_set_field (self, ENR_CRITERION_FIELD_PREMISE_ID);
  enr_criterion_set_characteristic (self, "criterion:characteristic");
  enr_criterion_set_operator (self, ENR_CRITERION_OPERATOR_EXISTS);
  enr_criterion_set_values (self, (const char * const []) { "values-1", "values-2", NULL });
  enr_criterion_set_if_true (self, ENR_CRITERION_OUTCOME_NEXT);
  enr_criterion_set_if_false (self, ENR_CRITERION_OUTCOME_NEXT);
  enr_criterion_set_if_insufficient (self, ENR_CRITERION_OUTCOME_NEXT);
  enr_criterion_set_reason (self, "criterion:reason");

  return self;
}

static gpointer
build_criteria_group (void)
{
  EnrCriteriaGroup *self = enr_criteria_group_new ();
  g_autoptr(EnrCriterion) criterion1 = build_criterion ();
  g_autoptr(EnrCriterion) criterion2 = build_criterion ();

  enr_criteria_group_set_description (self, "criteria-group:description");
  enr_criteria_group_add_criterion (self, criterion1);
  enr_criteria_group_add_criterion (self, criterion2);
  enr_criteria_group_set_if_exhausted (self, ENR_CRITERION_OUTCOME_NEXT);
  enr_criteria_group_set_reason (self, "criteria-group:reason");

  return self;
}

static gpointer
build_initiative (void)
{
  EnrInitiative *self = enr_initiative_new ();
  g_autoptr(EnrCriteriaGroup) group1 = build_criteria_group ();
  g_autoptr(EnrCriteriaGroup) group2 = build_criteria_group ();

  enr_entity_set_id (ENR_ENTITY (self), "initiative-1");
  enr_initiative_set_code (self, "initiative:code");
  enr_initiative_set_name (self, "initiative:name");
  enr_initiative_add_group (self, group1);
  enr_initiative_add_group (self, group2);

  return self;
}

static gpointer
build_device_setup_rule (void)
{
  EnrDeviceSetupRule *self = enr_device_setup_rule_new ();

  enr_device_setup_rule_set_installation_method (self, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
  enr_device_setup_rule_set_removal_method (self, ENR_REMOVAL_METHOD_UTILITY_REMOVAL);
  enr_device_setup_rule_set_ownership (self, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
  enr_device_setup_rule_set_activity_type_ids (self, (const char * const []) { "activity-type-ids-1", "activity-type-ids-2", NULL });

  return self;
}

static gpointer
build_service_task_type (void)
{
  EnrServiceTaskType *self = enr_service_task_type_new ();
  g_autoptr(EnrDeviceSetupRule) rule1 = build_device_setup_rule ();
  g_autoptr(EnrDeviceSetupRule) rule2 = build_device_setup_rule ();

  enr_entity_set_id (ENR_ENTITY (self), "service-task-type-1");
  enr_service_task_type_set_code (self, "service-task-type:code");
  enr_service_task_type_set_name (self, "service-task-type:name");
  enr_service_task_type_set_kind (self, ENR_TASK_KIND_UNENROLLMENT);
  enr_service_task_type_set_expiration_days (self, 3650);
  enr_service_task_type_add_rule (self, rule1);
  enr_service_task_type_add_rule (self, rule2);

  return self;
}

static gpointer
build_action_method (void)
{
  EnrActionMethod *self = enr_action_method_new ();

  enr_entity_set_id (ENR_ENTITY (self), "action-method-1");
  enr_action_method_set_code (self, "action-method:code");
  enr_action_method_set_enable_byod (self, TRUE);
  enr_action_method_set_appointment_slot_days (self, 60);

  return self;
}

static gpointer
build_activity_type (void)
{
  EnrActivityType *self = enr_activity_type_new ();

  enr_entity_set_id (ENR_ENTITY (self), "activity-type-1");
  enr_activity_type_set_code (self, "activity-type:code");
  enr_activity_type_set_name (self, "activity-type:name");
  enr_activity_type_set_duration_minutes (self, 1440);
  enr_activity_type_set_craft (self, "activity-type:craft");
  enr_activity_type_set_needs_appointment (self, TRUE);

  return self;
}

static gpointer
build_crew_shift_type (void)
{
  EnrCrewShiftType *self = enr_crew_shift_type_new ();

  enr_entity_set_id (ENR_ENTITY (self), "crew-shift-type-1");
  enr_crew_shift_type_set_code (self, "crew-shift-type:code");
  enr_crew_shift_type_set_name (self, "crew-shift-type:name");
  enr_crew_shift_type_set_start_time (self, "07:30");
  enr_crew_shift_type_set_end_time (self, "16:00");
  enr_crew_shift_type_set_weekdays (self, (const char * const []) { "mon", "tue", "fri", NULL });
  enr_crew_shift_type_set_capacity_minutes (self, 1440);

  return self;
}

static gpointer
build_crew (void)
{
  EnrCrew *self = enr_crew_new ();

  enr_entity_set_id (ENR_ENTITY (self), "crew-1");
  enr_crew_set_name (self, "crew:name");
  enr_crew_set_shift_type_id (self, "crew:shift-type-id");
  enr_crew_set_division (self, "crew:division");
  enr_crew_set_crafts (self, (const char * const []) { "crafts-1", "crafts-2", NULL });

  return self;
}

static gpointer
build_crew_shift (void)
{
  EnrCrewShift *self = enr_crew_shift_new ();
  g_autoptr(GDate) date = g_date_new_dmy (1, G_DATE_DECEMBER, 2026);
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 ("2026-11-27T08:00:00+01:00", NULL);
  g_autoptr(GDateTime) end = g_date_time_new_from_iso8601 ("2026-11-27T10:30:00+01:00", NULL);

  enr_entity_set_id (ENR_ENTITY (self), "crew-shift-1");
  enr_crew_shift_set_crew_id (self, "crew-shift:crew-id");
  enr_crew_shift_set_shift_type_id (self, "crew-shift:shift-type-id");
  enr_crew_shift_set_date (self, date);
  enr_crew_shift_set_start (self, start);
  enr_crew_shift_set_end (self, end);
  enr_crew_shift_set_capacity_minutes (self, 1440);

  return self;
}

static gpointer
build_appointment (void)
{
  EnrAppointment *self = enr_appointment_new ();
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 ("2026-11-27T08:00:00+01:00", NULL);
  g_autoptr(GDateTime) end = g_date_time_new_from_iso8601 ("2026-11-27T10:30:00+01:00", NULL);

  enr_entity_set_id (ENR_ENTITY (self), "appointment-1");
  enr_appointment_set_activity_type_id (self, "appointment:activity-type-id");
  enr_appointment_set_crew_id (self, "appointment:crew-id");
  enr_appointment_set_crew_shift_id (self, "appointment:crew-shift-id");
  enr_appointment_set_start (self, start);
  enr_appointment_set_end (self, end);
  enr_appointment_set_service_task_id (self, "appointment:service-task-id");
  enr_appointment_set_status (self, ENR_APPOINTMENT_STATUS_COMPLETED);

  return self;
}

static gpointer
build_answer (void)
{
  EnrAnswer *self = enr_answer_new ();

  enr_answer_set_question_id (self, "answer:question-id");
  enr_answer_set_values (self, (const char * const []) { "values-1", "values-2", NULL });

  return self;
}

static gpointer
build_interaction (void)
{
  EnrInteraction *self = enr_interaction_new ();

  enr_interaction_set_panel (self, ENR_PANEL_SUMMARY);
  enr_interaction_set_channel (self, "interaction:channel");
  enr_interaction_set_class (self, "interaction:class");
  enr_interaction_set_category (self, "interaction:category");
  enr_interaction_set_notes (self, "Asked about \u201cpeak\u201d days.\nCall back on Tuesday, \\ after 5 \"pm\".");

  return self;
}

static gpointer
build_task_transition (void)
{
  EnrTaskTransition *self = enr_task_transition_new ();
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-11-27T08:00:00+01:00", NULL);

  enr_task_transition_set_from (self, ENR_TASK_STATUS_CANCELED);
  enr_task_transition_set_to (self, ENR_TASK_STATUS_CANCELED);
  enr_task_transition_set_by (self, "task-transition:by");
  enr_task_transition_set_at (self, at);
  enr_task_transition_set_reason (self, "task-transition:reason");

  return self;
}

static gpointer
build_service_task (void)
{
  EnrServiceTask *self = enr_service_task_new ();
  g_autoptr(GDate) start_date = g_date_new_dmy (1, G_DATE_DECEMBER, 2026);
  g_autoptr(GDate) stop_date = g_date_new_dmy (2, G_DATE_DECEMBER, 2026);
  g_autoptr(EnrAnswer) answer1 = build_answer ();
  g_autoptr(EnrAnswer) answer2 = build_answer ();
  g_autoptr(EnrAppointment) appointment1 = build_appointment ();
  g_autoptr(EnrAppointment) appointment2 = build_appointment ();
  g_autoptr(EnrInteraction) interaction1 = build_interaction ();
  g_autoptr(EnrInteraction) interaction2 = build_interaction ();
  g_autoptr(EnrTaskTransition) transition1 = build_task_transition ();
  g_autoptr(EnrTaskTransition) transition2 = build_task_transition ();
  g_autoptr(GDateTime) created_at = g_date_time_new_from_iso8601 ("2026-11-27T08:00:00+01:00", NULL);
  g_autoptr(GDateTime) updated_at = g_date_time_new_from_iso8601 ("2026-11-27T10:30:00+01:00", NULL);

  enr_entity_set_id (ENR_ENTITY (self), "service-task-1");
  enr_service_task_set_kind (self, ENR_TASK_KIND_UNENROLLMENT);
  enr_service_task_set_status (self, ENR_TASK_STATUS_CANCELED);
  enr_service_task_set_program_id (self, "service-task:program-id");
  enr_service_task_set_customer_id (self, "service-task:customer-id");
  enr_service_task_set_metered_service_id (self, "service-task:metered-service-id");
  enr_service_task_set_service_point_id (self, "service-task:service-point-id");
  enr_service_task_set_device_location_id (self, "service-task:device-location-id");
  enr_service_task_set_subscription_id (self, "service-task:subscription-id");
  enr_service_task_set_start_date (self, start_date);
  enr_service_task_set_stop_date (self, stop_date);
  enr_service_task_add_answer (self, answer1);
  enr_service_task_add_answer (self, answer2);
  enr_service_task_set_installation_method (self, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
  enr_service_task_set_removal_method (self, ENR_REMOVAL_METHOD_UTILITY_REMOVAL);
  enr_service_task_set_ownership (self, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
  enr_service_task_set_device_ids (self, (const char * const []) { "device-ids-1", "device-ids-2", NULL });
  enr_service_task_add_appointment (self, appointment1);
  enr_service_task_add_appointment (self, appointment2);
  enr_service_task_add_interaction (self, interaction1);
  enr_service_task_add_interaction (self, interaction2);
  enr_service_task_set_reasons (self, (const char * const []) { "reasons-1", "reasons-2", NULL });
  enr_service_task_add_transition (self, transition1);
  enr_service_task_add_transition (self, transition2);
  enr_service_task_set_version (self, G_GINT64_CONSTANT (9007199254740993));
  enr_service_task_set_created_by (self, "service-task:created-by");
  enr_service_task_set_created_at (self, created_at);
  enr_service_task_set_updated_at (self, updated_at);
  {
    g_autoptr(EnrConsent) consent = build_consent ();

    enr_service_task_set_consent (self, consent);
  }

  return self;
}

static gpointer
build_process_flow (void)
{
  EnrProcessFlow *self = enr_process_flow_new ();
  g_autoptr(EnrServiceTask) task = build_service_task ();
  g_autoptr(GDateTime) updated_at = g_date_time_new_from_iso8601 ("2026-11-27T08:00:00+01:00", NULL);

  enr_entity_set_id (ENR_ENTITY (self), "process-flow-1");
  enr_process_flow_set_service_task_id (self, "process-flow:service-task-id");
  enr_process_flow_set_kind (self, ENR_TASK_KIND_UNENROLLMENT);
  enr_process_flow_set_status (self, ENR_FLOW_STATUS_CANCELED);
  enr_process_flow_set_current_panel (self, ENR_PANEL_SUMMARY);
  enr_process_flow_set_visited (self, (const char * const []) { "customer", "program", "device-setup", NULL });
  enr_process_flow_set_task (self, task);
  enr_process_flow_set_version (self, G_GINT64_CONSTANT (9007199254740993));
  enr_process_flow_set_updated_at (self, updated_at);

  return self;
}

static gpointer
build_program_subscription (void)
{
  EnrProgramSubscription *self = enr_program_subscription_new ();
  g_autoptr(GDate) start_date = g_date_new_dmy (1, G_DATE_DECEMBER, 2026);
  g_autoptr(GDate) end_date = g_date_new_dmy (2, G_DATE_DECEMBER, 2026);

  enr_entity_set_id (ENR_ENTITY (self), "program-subscription-1");
  enr_program_subscription_set_program_id (self, "program-subscription:program-id");
  enr_program_subscription_set_customer_id (self, "program-subscription:customer-id");
  enr_program_subscription_set_metered_service_id (self, "program-subscription:metered-service-id");
  enr_program_subscription_set_device_location_id (self, "program-subscription:device-location-id");
  enr_program_subscription_set_start_date (self, start_date);
  enr_program_subscription_set_end_date (self, end_date);
  enr_program_subscription_set_status (self, ENR_SUBSCRIPTION_STATUS_ENDED);
  enr_program_subscription_set_service_task_id (self, "program-subscription:service-task-id");

  return self;
}

static gpointer
build_customer_communication (void)
{
  EnrCustomerCommunication *self = enr_customer_communication_new ();
  g_autoptr(GDateTime) created_at = g_date_time_new_from_iso8601 ("2026-11-27T08:00:00+01:00", NULL);

  enr_entity_set_id (ENR_ENTITY (self), "customer-communication-1");
  enr_customer_communication_set_customer_id (self, "customer-communication:customer-id");
  enr_customer_communication_set_channel (self, "customer-communication:channel");
  enr_customer_communication_set_class (self, "customer-communication:class");
  enr_customer_communication_set_category (self, "customer-communication:category");
  enr_customer_communication_set_notes (self, "customer-communication:notes");
  enr_customer_communication_set_service_task_id (self, "customer-communication:service-task-id");
  enr_customer_communication_set_program_id (self, "customer-communication:program-id");
  enr_customer_communication_set_created_by (self, "customer-communication:created-by");
  enr_customer_communication_set_created_at (self, created_at);

  return self;
}

static gpointer
build_code_value (void)
{
  EnrCodeValue *self = enr_code_value_new ();

  enr_code_value_set_list (self, ENR_CODE_LIST_CATEGORY);
  enr_code_value_set_code (self, "code-value:code");
  enr_code_value_set_label (self, "code-value:label");

  return self;
}

static gpointer
build_user (void)
{
  EnrUser *self = enr_user_new ();

  enr_entity_set_id (ENR_ENTITY (self), "user-1");
  enr_user_set_username (self, "user:username");
  enr_user_set_display_name (self, "user:display-name");
  enr_user_set_role (self, ENR_ROLE_SUPERVISOR);

  return self;
}
static const ModelCase model_cases[] = {
  { "customer", TRUE, build_customer, "id", "name" },
  { "metered-service", TRUE, build_metered_service, "id", "customer_id" },
  { "service-point", TRUE, build_service_point, "id", "address" },
  { "device-location", TRUE, build_device_location, "id", "service_point_id" },
  { "device", TRUE, build_device, "id", "asset_type" },
  { "program-type", TRUE, build_program_type, "id", "code" },
  { "question", TRUE, build_question, "id", "code" },
  { "program", TRUE, build_program, "id", "code" },
  { "program-exclusion", FALSE, build_program_exclusion, NULL, NULL },
  { "consent", FALSE, build_consent, "method", "method" },
  { "criterion", FALSE, build_criterion, "field", "field" },
  { "criteria-group", FALSE, build_criteria_group, "description", "description" },
  { "initiative", TRUE, build_initiative, "id", "code" },
  { "device-setup-rule", FALSE, build_device_setup_rule, NULL, NULL },
  { "service-task-type", TRUE, build_service_task_type, "id", "code" },
  { "action-method", TRUE, build_action_method, "id", "code" },
  { "activity-type", TRUE, build_activity_type, "id", "code" },
  { "crew-shift-type", TRUE, build_crew_shift_type, "id", "code" },
  { "crew", TRUE, build_crew, "id", "name" },
  { "crew-shift", TRUE, build_crew_shift, "id", "crew_id" },
  { "appointment", TRUE, build_appointment, "id", "activity_type_id" },
  { "answer", FALSE, build_answer, "question_id", "question_id" },
  { "interaction", FALSE, build_interaction, "panel", "panel" },
  { "task-transition", FALSE, build_task_transition, "to", "to" },
  { "service-task", TRUE, build_service_task, "id", "kind" },
  { "process-flow", TRUE, build_process_flow, "id", "service_task_id" },
  { "program-subscription", TRUE, build_program_subscription, "id", "program_id" },
  { "customer-communication", TRUE, build_customer_communication, "id", "customer_id" },
  { "code-value", FALSE, build_code_value, "list", "list" },
  { "user", TRUE, build_user, "id", "username" },
};

static gboolean
message_names_member (const char *message,
                      const char *member)
{
  g_autofree char *prefixed = g_strdup_printf ("%s:", member);
  g_autofree char *nested = g_strdup_printf (".%s:", member);

  return g_str_has_prefix (message, prefixed) || strstr (message, nested) != NULL;
}

static void
assert_fully_populated (GObject *object)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  g_assert_cmpuint (n_pspecs, >, 1);

  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_auto(GValue) value = G_VALUE_INIT;

      g_assert_cmpint (pspec->flags & (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY),
                       ==,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);

      g_value_init (&value, pspec->value_type);
      g_object_get_property (object, pspec->name, &value);

      if (g_param_value_defaults (pspec, &value))
        g_test_fail_printf ("%s:%s has its default value",
                            G_OBJECT_TYPE_NAME (object), pspec->name);

      if (pspec->value_type == G_TYPE_PTR_ARRAY)
        {
          GPtrArray *items = g_value_get_boxed (&value);
          GType element_type = enr_param_spec_element_type (pspec);

          g_assert_true (g_type_is_a (element_type, G_TYPE_OBJECT));
          g_assert_nonnull (items);
          g_assert_cmpuint (items->len, ==, 2);
          for (guint j = 0; j < items->len; j++)
            g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (g_ptr_array_index (items, j), element_type));
        }
    }
}

static void
assert_members_match_properties (GObject    *object,
                                 const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree GParamSpec **pspecs = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *members;
  guint n_pspecs;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  members = json_node_get_object (json_parser_get_root (parser));

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  g_assert_cmpuint (json_object_get_size (members), ==, n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      g_autofree char *member = g_strdelimit (g_strdup (pspecs[i]->name), "-", '_');

      if (!json_object_has_member (members, member))
        g_test_fail_printf ("%s: no member %s in %s", G_OBJECT_TYPE_NAME (object), member, json);
    }
}

static void
test_round_trip (gconstpointer data)
{
  const ModelCase *mc = data;
  g_autoptr(GObject) original = mc->build ();
  g_autoptr(GObject) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;

  g_assert_cmpint (ENR_IS_ENTITY (original), ==, mc->entity);
  assert_fully_populated (original);

  json = enr_codec_encode_string (original);
  g_assert_nonnull (json);
  assert_members_match_properties (original, json);

  decoded = enr_codec_decode_data (G_OBJECT_TYPE (original), json, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (decoded);
  g_assert_true (decoded != original);
  g_assert_true (G_OBJECT_TYPE (decoded) == G_OBJECT_TYPE (original));
  g_assert_true (enr_codec_equal (original, decoded));
  assert_fully_populated (decoded);

  again = enr_codec_encode_string (decoded);
  g_assert_cmpstr (json, ==, again);
}

static void
test_missing (gconstpointer data)
{
  const ModelCase *mc = data;
  g_autoptr(GObject) sample = mc->build ();
  g_autoptr(GObject) decoded = NULL;
  g_autoptr(GError) error = NULL;
  GType type = G_OBJECT_TYPE (sample);

  decoded = enr_codec_decode_data (type, "{}", -1, &error);
  if (mc->first_required == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (decoded, type));
      return;
    }

  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_MISSING);
  g_assert_null (decoded);
  if (!message_names_member (error->message, mc->first_required))
    g_test_fail_printf ("\"%s\" does not name %s", error->message, mc->first_required);

  if (mc->entity)
    {
      g_clear_error (&error);
      decoded = enr_codec_decode_data (type, "{\"id\": \"x-1\"}", -1, &error);
      g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_MISSING);
      g_assert_null (decoded);
      if (!message_names_member (error->message, mc->first_own_required))
        g_test_fail_printf ("\"%s\" does not name %s", error->message, mc->first_own_required);
    }
}

static gpointer
decode_copy (gpointer object)
{
  g_autofree char *json = enr_codec_encode_string (object);
  g_autoptr(GError) error = NULL;
  gpointer decoded;

  decoded = enr_codec_decode_data (G_OBJECT_TYPE (object), json, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (decoded);

  return decoded;
}

static void
assert_date (const GDate *date,
             int          year,
             int          month,
             int          day)
{
  g_assert_nonnull (date);
  g_assert_true (g_date_valid (date));
  g_assert_cmpint (g_date_get_year (date), ==, year);
  g_assert_cmpint (g_date_get_month (date), ==, month);
  g_assert_cmpint (g_date_get_day (date), ==, day);
}

static void
assert_date_time (GDateTime  *date_time,
                  const char *iso8601)
{
  g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 (iso8601, NULL);

  g_assert_nonnull (date_time);
  g_assert_nonnull (expected);
  g_assert_true (g_date_time_equal (date_time, expected));
  g_assert_cmpint (g_date_time_get_utc_offset (date_time), ==,
                   g_date_time_get_utc_offset (expected));
}

static void
assert_strv (const char * const *strv,
             const char * const *expected)
{
  g_assert_nonnull (strv);
  g_assert_cmpstrv (strv, expected);
}

static void
test_decoded_service_task (void)
{
  g_autoptr(EnrServiceTask) original = build_service_task ();
  g_autoptr(EnrServiceTask) task = decode_copy (original);
  EnrTaskTransition *transition;
  EnrInteraction *interaction;
  EnrAppointment *appointment;
  EnrAnswer *answer;

  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (task)), ==, "service-task-1");
  g_assert_cmpint (enr_service_task_get_kind (task), ==, ENR_TASK_KIND_UNENROLLMENT);
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpstr (enr_service_task_get_program_id (task), ==, "service-task:program-id");
  g_assert_cmpstr (enr_service_task_get_subscription_id (task), ==, "service-task:subscription-id");
  assert_date (enr_service_task_get_start_date (task), 2026, 12, 1);
  assert_date (enr_service_task_get_stop_date (task), 2026, 12, 2);
  g_assert_cmpint (enr_service_task_get_installation_method (task), ==,
                   ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
  g_assert_cmpint (enr_service_task_get_removal_method (task), ==, ENR_REMOVAL_METHOD_UTILITY_REMOVAL);
  g_assert_cmpint (enr_service_task_get_ownership (task), ==, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
  assert_strv (enr_service_task_get_device_ids (task),
               (const char * const []) { "device-ids-1", "device-ids-2", NULL });
  assert_strv (enr_service_task_get_reasons (task),
               (const char * const []) { "reasons-1", "reasons-2", NULL });
  g_assert_cmpint (enr_service_task_get_version (task), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpstr (enr_service_task_get_created_by (task), ==, "service-task:created-by");
  assert_date_time (enr_service_task_get_created_at (task), "2026-11-27T08:00:00+01:00");
  assert_date_time (enr_service_task_get_updated_at (task), "2026-11-27T10:30:00+01:00");

  g_assert_cmpuint (enr_service_task_get_answers (task)->len, ==, 2);
  answer = g_ptr_array_index (enr_service_task_get_answers (task), 1);
  g_assert_cmpstr (enr_answer_get_question_id (answer), ==, "answer:question-id");
  assert_strv (enr_answer_get_values (answer), (const char * const []) { "values-1", "values-2", NULL });

  appointment = g_ptr_array_index (enr_service_task_get_appointments (task), 0);
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (appointment)), ==, "appointment-1");
  g_assert_cmpstr (enr_appointment_get_crew_shift_id (appointment), ==, "appointment:crew-shift-id");
  assert_date_time (enr_appointment_get_start (appointment), "2026-11-27T08:00:00+01:00");
  assert_date_time (enr_appointment_get_end (appointment), "2026-11-27T10:30:00+01:00");
  g_assert_cmpint (enr_appointment_get_status (appointment), ==, ENR_APPOINTMENT_STATUS_COMPLETED);

  interaction = enr_service_task_get_interaction (task, ENR_PANEL_SUMMARY);
  g_assert_nonnull (interaction);
  g_assert_true (interaction == g_ptr_array_index (enr_service_task_get_interactions (task), 0));
  g_assert_null (enr_service_task_get_interaction (task, ENR_PANEL_CUSTOMER));
  g_assert_cmpstr (enr_interaction_get_class (interaction), ==, "interaction:class");
  g_assert_cmpstr (enr_interaction_get_notes (interaction), ==,
                   "Asked about \u201cpeak\u201d days.\nCall back on Tuesday, \\ after 5 \"pm\".");
  g_assert_false (enr_interaction_is_empty (interaction));

  transition = g_ptr_array_index (enr_service_task_get_history (task), 0);
  g_assert_cmpint (enr_task_transition_get_from (transition), ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpint (enr_task_transition_get_to (transition), ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpstr (enr_task_transition_get_by (transition), ==, "task-transition:by");
  assert_date_time (enr_task_transition_get_at (transition), "2026-11-27T08:00:00+01:00");
  g_assert_cmpstr (enr_task_transition_get_reason (transition), ==, "task-transition:reason");
}

static gpointer
build_and_decode (gpointer (*build) (void))
{
  g_autoptr(GObject) original = build ();

  return decode_copy (original);
}

static void
test_decoded_others (void)
{
  g_autoptr(EnrProcessFlow) flow = build_and_decode (build_process_flow);
  g_autoptr(EnrServicePoint) point = build_and_decode (build_service_point);
  g_autoptr(EnrProgram) program = build_and_decode (build_program);
  g_autoptr(EnrInitiative) initiative = build_and_decode (build_initiative);
  g_autoptr(EnrServiceTaskType) task_type = build_and_decode (build_service_task_type);
  g_autoptr(EnrCrewShift) shift = build_and_decode (build_crew_shift);
  g_autoptr(EnrCrewShiftType) shift_type = build_and_decode (build_crew_shift_type);
  g_autoptr(EnrCustomer) customer = build_and_decode (build_customer);
  g_autoptr(EnrCustomerCommunication) communication = build_and_decode (build_customer_communication);
  g_autoptr(EnrCodeValue) code_value = build_and_decode (build_code_value);
  g_autoptr(EnrUser) user = build_and_decode (build_user);
  EnrCriteriaGroup *group;
  EnrCriterion *criterion;
  EnrDeviceSetupRule *rule;
  EnrQuestion *question;
  GHashTable *characteristics;

  g_assert_cmpstr (enr_process_flow_get_service_task_id (flow), ==, "process-flow:service-task-id");
  g_assert_cmpint (enr_process_flow_get_status (flow), ==, ENR_FLOW_STATUS_CANCELED);
  g_assert_cmpint (enr_process_flow_get_current_panel (flow), ==, ENR_PANEL_SUMMARY);
  assert_strv (enr_process_flow_get_visited (flow),
               (const char * const []) { "customer", "program", "device-setup", NULL });
  g_assert_true (enr_process_flow_has_visited (flow, ENR_PANEL_CUSTOMER));
  g_assert_true (enr_process_flow_has_visited (flow, ENR_PANEL_DEVICE_SETUP));
  g_assert_false (enr_process_flow_has_visited (flow, ENR_PANEL_SUMMARY));
  g_assert_true (ENR_IS_SERVICE_TASK (enr_process_flow_get_task (flow)));
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (enr_process_flow_get_task (flow))), ==, "service-task-1");
  g_assert_cmpuint (enr_service_task_get_history (enr_process_flow_get_task (flow))->len, ==, 2);
  g_assert_cmpint (enr_process_flow_get_version (flow), ==, G_GINT64_CONSTANT (9007199254740993));

  g_assert_cmpstr (enr_service_point_get_division (point), ==, "service-point:division");
  g_assert_true (enr_service_point_get_life_support (point));
  characteristics = enr_service_point_get_characteristics (point);
  g_assert_nonnull (characteristics);
  g_assert_cmpuint (g_hash_table_size (characteristics), ==, 3);
  g_assert_cmpstr (enr_service_point_get_characteristic (point, "zone"), ==, "north");
  g_assert_cmpstr (enr_service_point_get_characteristic (point, "heating"), ==, "heat-pump");
  g_assert_null (enr_service_point_get_characteristic (point, "pool"));

  g_assert_cmpint (enr_program_get_status (program), ==, ENR_PROGRAM_STATUS_CLOSED);
  g_assert_true (enr_program_get_suspended (program));
  assert_date (enr_program_get_start_date (program), 2026, 12, 1);
  assert_date (enr_program_get_end_date (program), 2026, 12, 2);
  assert_strv (enr_program_get_rate_codes (program),
               (const char * const []) { "rate-codes-1", "rate-codes-2", NULL });
  g_assert_cmpstr (enr_program_get_action_method_id (program), ==, "program:action-method-id");
  question = enr_program_find_question (program, "question-1");
  g_assert_nonnull (question);
  g_assert_true (question == g_ptr_array_index (enr_program_get_questions (program), 0));
  g_assert_null (enr_program_find_question (program, "question-2"));
  g_assert_cmpint (enr_question_get_kind (question), ==, ENR_QUESTION_KIND_INFORMATIONAL);
  g_assert_cmpint (enr_question_get_answer_style (question), ==, ENR_ANSWER_STYLE_DATE);
  g_assert_cmpint (enr_question_get_position (question), ==, 1000);
  g_assert_true (enr_question_get_required (question));

  group = g_ptr_array_index (enr_initiative_get_groups (initiative), 1);
  g_assert_cmpint (enr_criteria_group_get_if_exhausted (group), ==, ENR_CRITERION_OUTCOME_NEXT);
  criterion = g_ptr_array_index (enr_criteria_group_get_criteria (group), 0);
  g_assert_cmpint (enr_criterion_get_field (criterion), ==, ENR_CRITERION_FIELD_PREMISE_ID);
  g_assert_cmpint (enr_criterion_get_operator (criterion), ==, ENR_CRITERION_OPERATOR_EXISTS);
  g_assert_cmpint (enr_criterion_get_if_insufficient (criterion), ==, ENR_CRITERION_OUTCOME_NEXT);
  g_assert_cmpstr (enr_criterion_get_characteristic (criterion), ==, "criterion:characteristic");
  g_assert_cmpstr (enr_criterion_get_reason (criterion), ==, "criterion:reason");

  g_assert_cmpint (enr_service_task_type_get_expiration_days (task_type), ==, 3650);
  rule = g_ptr_array_index (enr_service_task_type_get_rules (task_type), 0);
  g_assert_cmpint (enr_device_setup_rule_get_installation_method (rule), ==,
                   ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
  g_assert_cmpint (enr_device_setup_rule_get_ownership (rule), ==, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
  assert_strv (enr_device_setup_rule_get_activity_type_ids (rule),
               (const char * const []) { "activity-type-ids-1", "activity-type-ids-2", NULL });

  assert_date (enr_crew_shift_get_date (shift), 2026, 12, 1);
  assert_date_time (enr_crew_shift_get_start (shift), "2026-11-27T08:00:00+01:00");
  assert_date_time (enr_crew_shift_get_end (shift), "2026-11-27T10:30:00+01:00");
  g_assert_cmpint (enr_crew_shift_get_capacity_minutes (shift), ==, 1440);

  g_assert_cmpstr (enr_crew_shift_type_get_start_time (shift_type), ==, "07:30");
  g_assert_cmpstr (enr_crew_shift_type_get_end_time (shift_type), ==, "16:00");
  assert_strv (enr_crew_shift_type_get_weekdays (shift_type),
               (const char * const []) { "mon", "tue", "fri", NULL });

  g_assert_cmpstr (enr_customer_get_name (customer), ==, "Ana Müller");
  g_assert_cmpstr (enr_customer_get_account_id (customer), ==, "customer:account-id");

  g_assert_cmpstr (enr_customer_communication_get_class (communication), ==,
                   "customer-communication:class");
  assert_date_time (enr_customer_communication_get_created_at (communication),
                    "2026-11-27T08:00:00+01:00");

  g_assert_cmpint (enr_code_value_get_list (code_value), ==, ENR_CODE_LIST_CATEGORY);
  g_assert_cmpstr (enr_code_value_get_label (code_value), ==, "code-value:label");
  g_assert_cmpint (enr_user_get_role (user), ==, ENR_ROLE_SUPERVISOR);
  g_assert_cmpstr (enr_user_get_display_name (user), ==, "user:display-name");
}

static const char service_task_document[] =
  "{\n"
  "  \"id\": \"st-2026-000417\",\n"
  "  \"kind\": \"enrollment\",\n"
  "  \"status\": \"pending\",\n"
  "  \"program_id\": \"prg-smart-thermostat\",\n"
  "  \"customer_id\": \"cust-100042\",\n"
  "  \"metered_service_id\": \"ms-100042-e\",\n"
  "  \"service_point_id\": \"sp-77120\",\n"
  "  \"device_location_id\": null,\n"
  "  \"start_date\": \"2026-12-01\",\n"
  "  \"answers\": [\n"
  "    {\"question_id\": \"q-own-home\", \"values\": [\"yes\"]},\n"
  "    {\"question_id\": \"q-heating\", \"values\": [\"heat-pump\", \"gas-furnace\"]},\n"
  "    {\"question_id\": \"q-move-in\", \"values\": [\"2019-04-15\"]}\n"
  "  ],\n"
  "  \"installation_method\": \"utility-installation\",\n"
  "  \"ownership\": \"utility-owned\",\n"
  "  \"device_ids\": [],\n"
  "  \"appointments\": [\n"
  "    {\n"
  "      \"id\": \"apt-9001\",\n"
  "      \"activity_type_id\": \"act-install-thermostat\",\n"
  "      \"crew_id\": \"crew-north-1\",\n"
  "      \"crew_shift_id\": \"cs-north-1-20261203\",\n"
  "      \"start\": \"2026-12-03T08:00:00+01:00\",\n"
  "      \"end\": \"2026-12-03T09:30:00+01:00\",\n"
  "      \"service_task_id\": \"st-2026-000417\",\n"
  "      \"status\": \"booked\"\n"
  "    }\n"
  "  ],\n"
  "  \"interactions\": [\n"
  "    {\"panel\": \"customer\", \"channel\": \"phone\", \"class\": \"enrollment\",\n"
  "     \"category\": \"verbal\", \"notes\": \"Called about the winter rebate.\"},\n"
  "    {\"panel\": \"program\", \"notes\": \"Confirmed she owns the home.\"}\n"
  "  ],\n"
  "  \"history\": [\n"
  "    {\"to\": \"pending\", \"by\": \"clerk.jones\", \"at\": \"2026-11-27T09:14:03Z\",\n"
  "     \"reason\": \"Started from the Customer View\"}\n"
  "  ],\n"
  "  \"version\": 3,\n"
  "  \"created_by\": \"clerk.jones\",\n"
  "  \"created_at\": \"2026-11-27T09:14:03Z\",\n"
  "  \"updated_at\": \"2026-11-27T10:21:40+01:00\",\n"
  "  \"added_in_a_later_version\": {\"ignored\": true}\n"
  "}\n";

static void
test_service_task_document (void)
{
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrServiceTask) again = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *device_ids;
  EnrTaskTransition *transition;
  EnrAppointment *appointment;
  EnrInteraction *interaction;
  EnrAnswer *answer;

  task = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK, service_task_document, -1, &error);
  g_assert_no_error (error);
  g_assert_true (ENR_IS_SERVICE_TASK (task));

  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (task)), ==, "st-2026-000417");
  g_assert_cmpint (enr_service_task_get_kind (task), ==, ENR_TASK_KIND_ENROLLMENT);
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_PENDING);
  g_assert_cmpstr (enr_service_task_get_customer_id (task), ==, "cust-100042");
  g_assert_cmpstr (enr_service_task_get_service_point_id (task), ==, "sp-77120");
  g_assert_null (enr_service_task_get_device_location_id (task));
  g_assert_null (enr_service_task_get_subscription_id (task));
  assert_date (enr_service_task_get_start_date (task), 2026, 12, 1);
  g_assert_null (enr_service_task_get_stop_date (task));
  g_assert_cmpint (enr_service_task_get_installation_method (task), ==,
                   ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
  g_assert_cmpint (enr_service_task_get_removal_method (task), ==, ENR_REMOVAL_METHOD_NONE);
  g_assert_cmpint (enr_service_task_get_ownership (task), ==, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
  device_ids = enr_service_task_get_device_ids (task);
  g_assert_true (device_ids == NULL || device_ids[0] == NULL);
  g_assert_null (enr_service_task_get_reasons (task));
  g_assert_cmpint (enr_service_task_get_version (task), ==, 3);
  g_assert_cmpstr (enr_service_task_get_created_by (task), ==, "clerk.jones");
  assert_date_time (enr_service_task_get_created_at (task), "2026-11-27T09:14:03Z");
  assert_date_time (enr_service_task_get_updated_at (task), "2026-11-27T10:21:40+01:00");

  g_assert_cmpuint (enr_service_task_get_answers (task)->len, ==, 3);
  answer = enr_service_task_find_answer (task, "q-heating");
  g_assert_nonnull (answer);
  assert_strv (enr_answer_get_values (answer), (const char * const []) { "heat-pump", "gas-furnace", NULL });
  answer = enr_service_task_find_answer (task, "q-move-in");
  assert_strv (enr_answer_get_values (answer), (const char * const []) { "2019-04-15", NULL });
  g_assert_null (enr_service_task_find_answer (task, "q-pool"));

  g_assert_cmpuint (enr_service_task_get_appointments (task)->len, ==, 1);
  appointment = g_ptr_array_index (enr_service_task_get_appointments (task), 0);
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (appointment)), ==, "apt-9001");
  g_assert_cmpstr (enr_appointment_get_activity_type_id (appointment), ==, "act-install-thermostat");
  g_assert_cmpstr (enr_appointment_get_crew_id (appointment), ==, "crew-north-1");
  assert_date_time (enr_appointment_get_start (appointment), "2026-12-03T08:00:00+01:00");
  assert_date_time (enr_appointment_get_end (appointment), "2026-12-03T09:30:00+01:00");
  g_assert_cmpint (g_date_time_get_hour (enr_appointment_get_start (appointment)), ==, 8);
  g_assert_cmpint (enr_appointment_get_status (appointment), ==, ENR_APPOINTMENT_STATUS_BOOKED);

  interaction = enr_service_task_get_interaction (task, ENR_PANEL_CUSTOMER);
  g_assert_nonnull (interaction);
  g_assert_cmpstr (enr_interaction_get_channel (interaction), ==, "phone");
  g_assert_cmpstr (enr_interaction_get_class (interaction), ==, "enrollment");
  g_assert_cmpstr (enr_interaction_get_category (interaction), ==, "verbal");
  g_assert_cmpstr (enr_interaction_get_notes (interaction), ==, "Called about the winter rebate.");
  interaction = enr_service_task_get_interaction (task, ENR_PANEL_PROGRAM);
  g_assert_nonnull (interaction);
  g_assert_null (enr_interaction_get_channel (interaction));
  g_assert_false (enr_interaction_is_empty (interaction));
  g_assert_null (enr_service_task_get_interaction (task, ENR_PANEL_DEVICE_SETUP));

  g_assert_cmpuint (enr_service_task_get_history (task)->len, ==, 1);
  transition = g_ptr_array_index (enr_service_task_get_history (task), 0);
  g_assert_cmpint (enr_task_transition_get_from (transition), ==, ENR_TASK_STATUS_PENDING);
  g_assert_cmpint (enr_task_transition_get_to (transition), ==, ENR_TASK_STATUS_PENDING);
  g_assert_cmpstr (enr_task_transition_get_by (transition), ==, "clerk.jones");
  g_assert_cmpstr (enr_task_transition_get_reason (transition), ==, "Started from the Customer View");

  again = decode_copy (task);
  g_assert_true (enr_codec_equal (task, again));
}

typedef struct
{
  guint       count;
  const char *last;
} Notifications;

static void
on_notify_cb (GObject       *object,
              GParamSpec    *pspec,
              Notifications *notifications)
{
  notifications->count++;
  notifications->last = pspec->name;
}

static void
assert_notified (Notifications *notifications,
                 guint          count,
                 const char    *property)
{
  g_assert_cmpuint (notifications->count, ==, count);
  if (count > 0)
    g_assert_cmpstr (notifications->last, ==, property);
  notifications->count = 0;
  notifications->last = NULL;
}

static void
test_notify_customer (void)
{
  g_autoptr(EnrCustomer) customer = enr_customer_new ();
  g_autofree char *same = g_strdup ("Ana Müller");
  Notifications n = { 0 };

  g_signal_connect (customer, "notify", G_CALLBACK (on_notify_cb), &n);

  enr_customer_set_name (customer, "Ana Müller");
  assert_notified (&n, 1, "name");
  enr_customer_set_name (customer, same);
  assert_notified (&n, 0, NULL);
  g_object_set (customer, "name", same, NULL);
  assert_notified (&n, 0, NULL);
  g_object_set (customer, "name", "Ana Muller", NULL);
  assert_notified (&n, 1, "name");
  enr_customer_set_name (customer, NULL);
  assert_notified (&n, 1, "name");
  enr_customer_set_name (customer, NULL);
  assert_notified (&n, 0, NULL);
  enr_customer_set_email (customer, "");
  assert_notified (&n, 1, "email");

  enr_entity_set_id (ENR_ENTITY (customer), "c-1");
  assert_notified (&n, 1, "id");
  enr_entity_set_id (ENR_ENTITY (customer), "c-1");
  assert_notified (&n, 0, NULL);
}

static void
test_notify_program (void)
{
  g_autoptr(EnrProgram) program = enr_program_new ();
  g_autoptr(GDate) date = g_date_new_dmy (1, G_DATE_DECEMBER, 2026);
  g_autoptr(GDate) same_date = g_date_new_dmy (1, G_DATE_DECEMBER, 2026);
  g_autoptr(GDate) other_date = g_date_new_dmy (2, G_DATE_DECEMBER, 2026);
  Notifications n = { 0 };

  g_signal_connect (program, "notify", G_CALLBACK (on_notify_cb), &n);

  g_assert_cmpint (enr_program_get_status (program), ==, ENR_PROGRAM_STATUS_PENDING);
  enr_program_set_status (program, ENR_PROGRAM_STATUS_PENDING);
  assert_notified (&n, 0, NULL);
  enr_program_set_status (program, ENR_PROGRAM_STATUS_ACTIVE);
  assert_notified (&n, 1, "status");
  g_object_set (program, "status", ENR_PROGRAM_STATUS_ACTIVE, NULL);
  assert_notified (&n, 0, NULL);

  g_assert_null (enr_program_get_start_date (program));
  enr_program_set_start_date (program, date);
  assert_notified (&n, 1, "start-date");
  g_assert_true (enr_program_get_start_date (program) != date);
  enr_program_set_start_date (program, same_date);
  assert_notified (&n, 0, NULL);
  g_object_set (program, "start-date", same_date, NULL);
  assert_notified (&n, 0, NULL);
  enr_program_set_start_date (program, other_date);
  assert_notified (&n, 1, "start-date");
  assert_date (enr_program_get_start_date (program), 2026, 12, 2);
  g_date_set_day (other_date, 9);
  assert_date (enr_program_get_start_date (program), 2026, 12, 2);
  enr_program_set_start_date (program, NULL);
  assert_notified (&n, 1, "start-date");
  enr_program_set_start_date (program, NULL);
  assert_notified (&n, 0, NULL);

  enr_program_set_suspended (program, TRUE);
  assert_notified (&n, 1, "suspended");
  enr_program_set_suspended (program, 2);
  assert_notified (&n, 0, NULL);

  enr_program_set_rate_codes (program, (const char * const []) { "R1", "R2", NULL });
  assert_notified (&n, 1, "rate-codes");
  enr_program_set_rate_codes (program, (const char * const []) { "R1", "R2", NULL });
  assert_notified (&n, 0, NULL);
  enr_program_set_rate_codes (program, (const char * const []) { "R1", NULL });
  assert_notified (&n, 1, "rate-codes");
  enr_program_set_rate_codes (program, NULL);
  assert_notified (&n, 1, "rate-codes");
  g_assert_null (enr_program_get_rate_codes (program));
}

static void
test_notify_service_task (void)
{
  g_autoptr(EnrServiceTask) task = enr_service_task_new ();
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-11-27T08:00:00+01:00", NULL);
  g_autoptr(GDateTime) same_instant = g_date_time_new_from_iso8601 ("2026-11-27T07:00:00Z", NULL);
  g_autoptr(GDate) date = g_date_new_dmy (3, G_DATE_JANUARY, 2027);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(EnrAnswer) answer = enr_answer_new ();
  GPtrArray *initial;
  Notifications n = { 0 };

  g_signal_connect (task, "notify", G_CALLBACK (on_notify_cb), &n);

  enr_service_task_set_status (task, ENR_TASK_STATUS_VALIDATE);
  assert_notified (&n, 1, "status");
  enr_service_task_set_status (task, ENR_TASK_STATUS_VALIDATE);
  assert_notified (&n, 0, NULL);

  enr_service_task_set_created_by (task, "clerk.jones");
  assert_notified (&n, 1, "created-by");
  enr_service_task_set_created_by (task, "clerk.jones");
  assert_notified (&n, 0, NULL);

  enr_service_task_set_stop_date (task, date);
  assert_notified (&n, 1, "stop-date");
  enr_service_task_set_stop_date (task, date);
  assert_notified (&n, 0, NULL);

  enr_service_task_set_created_at (task, at);
  assert_notified (&n, 1, "created-at");
  g_assert_true (enr_service_task_get_created_at (task) == at);
  enr_service_task_set_created_at (task, same_instant);
  assert_notified (&n, 0, NULL);

  enr_service_task_set_version (task, 7);
  assert_notified (&n, 1, "version");
  enr_service_task_set_version (task, 7);
  assert_notified (&n, 0, NULL);

  initial = enr_service_task_get_answers (task);
  g_assert_nonnull (initial);
  g_assert_cmpuint (initial->len, ==, 0);
  enr_service_task_set_answers (task, initial);
  assert_notified (&n, 0, NULL);
  enr_service_task_set_answers (task, answers);
  assert_notified (&n, 1, "answers");
  g_assert_true (enr_service_task_get_answers (task) == answers);
  enr_service_task_add_answer (task, answer);
  assert_notified (&n, 1, "answers");
  g_assert_cmpuint (answers->len, ==, 1);
  g_assert_true (g_ptr_array_index (answers, 0) == answer);
  enr_service_task_set_answers (task, NULL);
  assert_notified (&n, 1, "answers");
  g_assert_nonnull (enr_service_task_get_answers (task));
  g_assert_cmpuint (enr_service_task_get_answers (task)->len, ==, 0);
  g_assert_cmpuint (answers->len, ==, 1);
}

static void
test_notify_others (void)
{
  g_autoptr(EnrServicePoint) point = enr_service_point_new ();
  g_autoptr(EnrProcessFlow) flow = enr_process_flow_new ();
  g_autoptr(EnrQuestion) question = enr_question_new ();
  g_autoptr(EnrInteraction) interaction = enr_interaction_new ();
  g_autoptr(EnrServiceTask) task = enr_service_task_new ();
  g_autoptr(GHashTable) characteristics = g_hash_table_new (g_str_hash, g_str_equal);
  Notifications n = { 0 };

  g_signal_connect (point, "notify", G_CALLBACK (on_notify_cb), &n);
  g_signal_connect (flow, "notify", G_CALLBACK (on_notify_cb), &n);
  g_signal_connect (question, "notify", G_CALLBACK (on_notify_cb), &n);
  g_signal_connect (interaction, "notify", G_CALLBACK (on_notify_cb), &n);

  g_assert_null (enr_service_point_get_characteristic (point, "zone"));
  enr_service_point_set_characteristics (point, characteristics);
  assert_notified (&n, 1, "characteristics");
  enr_service_point_set_characteristics (point, characteristics);
  assert_notified (&n, 0, NULL);
  g_hash_table_insert (characteristics, (char *) "zone", (char *) "south");
  g_assert_cmpstr (enr_service_point_get_characteristic (point, "zone"), ==, "south");

  enr_process_flow_set_task (flow, task);
  assert_notified (&n, 1, "task");
  enr_process_flow_set_task (flow, task);
  assert_notified (&n, 0, NULL);
  enr_process_flow_set_current_panel (flow, ENR_PANEL_DEVICE_SETUP);
  assert_notified (&n, 1, "current-panel");
  enr_process_flow_set_current_panel (flow, ENR_PANEL_DEVICE_SETUP);
  assert_notified (&n, 0, NULL);
  g_assert_false (enr_process_flow_has_visited (flow, ENR_PANEL_CUSTOMER));
  enr_process_flow_set_visited (flow, (const char * const []) { "customer", NULL });
  assert_notified (&n, 1, "visited");
  g_assert_true (enr_process_flow_has_visited (flow, ENR_PANEL_CUSTOMER));
  g_assert_false (enr_process_flow_has_visited (flow, ENR_PANEL_PROGRAM));
  enr_process_flow_set_task (flow, NULL);
  assert_notified (&n, 1, "task");

  enr_question_set_position (question, 0);
  assert_notified (&n, 0, NULL);
  enr_question_set_position (question, 1000);
  assert_notified (&n, 1, "position");
  enr_question_set_answer_style (question, ENR_ANSWER_STYLE_MULTIPLE_CHOICE);
  assert_notified (&n, 1, "answer-style");
  enr_question_set_answer_style (question, ENR_ANSWER_STYLE_MULTIPLE_CHOICE);
  assert_notified (&n, 0, NULL);

  g_assert_true (enr_interaction_is_empty (interaction));
  enr_interaction_set_class (interaction, "");
  assert_notified (&n, 1, "class");
  g_assert_true (enr_interaction_is_empty (interaction));
  enr_interaction_set_class (interaction, "enrollment");
  assert_notified (&n, 1, "class");
  g_assert_false (enr_interaction_is_empty (interaction));
  enr_interaction_set_class (interaction, NULL);
  assert_notified (&n, 1, "class");
  enr_interaction_set_notes (interaction, "Left a voicemail.");
  assert_notified (&n, 1, "notes");
  g_assert_false (enr_interaction_is_empty (interaction));
  enr_interaction_set_panel (interaction, ENR_PANEL_CUSTOMER);
  assert_notified (&n, 0, NULL);
}

static void
test_defaults (void)
{
  g_autoptr(EnrActionMethod) action_method = enr_action_method_new ();
  g_autoptr(EnrActivityType) activity_type = enr_activity_type_new ();
  g_autoptr(EnrServiceTask) task = enr_service_task_new ();
  g_autoptr(EnrDeviceSetupRule) rule = enr_device_setup_rule_new ();
  g_autoptr(EnrInitiative) initiative = enr_initiative_new ();
  g_autoptr(EnrCriteriaGroup) group = enr_criteria_group_new ();
  g_autoptr(EnrProgram) program = enr_program_new ();
  g_autoptr(EnrServiceTaskType) task_type = enr_service_task_type_new ();

  g_assert_cmpint (enr_action_method_get_appointment_slot_days (action_method), ==, 1);
  g_assert_cmpint (enr_activity_type_get_duration_minutes (activity_type), ==, 5);
  g_assert_cmpint (enr_service_task_get_installation_method (task), ==, ENR_INSTALLATION_METHOD_NONE);
  g_assert_cmpint (enr_service_task_get_ownership (task), ==, ENR_ASSET_OWNERSHIP_NONE);
  g_assert_cmpint (enr_device_setup_rule_get_removal_method (rule), ==, ENR_REMOVAL_METHOD_NONE);
  g_assert_null (enr_service_task_get_start_date (task));
  g_assert_null (enr_service_task_get_created_at (task));
  g_assert_null (enr_service_task_get_device_ids (task));

  g_assert_cmpuint (enr_service_task_get_answers (task)->len, ==, 0);
  g_assert_cmpuint (enr_service_task_get_appointments (task)->len, ==, 0);
  g_assert_cmpuint (enr_service_task_get_interactions (task)->len, ==, 0);
  g_assert_cmpuint (enr_service_task_get_history (task)->len, ==, 0);
  g_assert_cmpuint (enr_initiative_get_groups (initiative)->len, ==, 0);
  g_assert_cmpuint (enr_criteria_group_get_criteria (group)->len, ==, 0);
  g_assert_cmpuint (enr_program_get_questions (program)->len, ==, 0);
  g_assert_cmpuint (enr_service_task_type_get_rules (task_type)->len, ==, 0);
  g_assert_null (enr_program_find_question (program, "q-1"));
  g_assert_null (enr_service_task_find_answer (task, "q-1"));
  g_assert_null (enr_service_task_get_interaction (task, ENR_PANEL_CUSTOMER));
}

static void
test_service_task_copy (void)
{
  g_autoptr(EnrServiceTask) original = build_service_task ();
  g_autoptr(EnrServiceTask) copy = NULL;
  g_autoptr(EnrAppointment) appointment = build_appointment ();
  g_autofree char *before = enr_codec_encode_string (original);
  g_autofree char *after = NULL;
  g_autofree char *copied = NULL;
  GPtrArray *a;
  GPtrArray *b;

  copy = enr_service_task_copy (original);
  g_assert_true (ENR_IS_SERVICE_TASK (copy));
  g_assert_true (copy != original);
  g_assert_true (enr_codec_equal (original, copy));
  copied = enr_codec_encode_string (copy);
  g_assert_cmpstr (before, ==, copied);

  a = enr_service_task_get_answers (original);
  b = enr_service_task_get_answers (copy);
  g_assert_true (a != b);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_true (g_ptr_array_index (a, i) != g_ptr_array_index (b, i));
  g_assert_true (enr_service_task_get_appointments (original) != enr_service_task_get_appointments (copy));
  g_assert_true (g_ptr_array_index (enr_service_task_get_interactions (original), 0) !=
                 g_ptr_array_index (enr_service_task_get_interactions (copy), 0));
  g_assert_true (g_ptr_array_index (enr_service_task_get_history (original), 1) !=
                 g_ptr_array_index (enr_service_task_get_history (copy), 1));

  enr_service_task_set_status (copy, ENR_TASK_STATUS_PENDING);
  enr_service_task_set_device_ids (copy, NULL);
  enr_answer_set_values (g_ptr_array_index (b, 0), (const char * const []) { "no", NULL });
  enr_interaction_set_notes (enr_service_task_get_interaction (copy, ENR_PANEL_SUMMARY), "changed");
  enr_appointment_set_crew_id (g_ptr_array_index (enr_service_task_get_appointments (copy), 1), "crew-9");
  enr_service_task_add_appointment (copy, appointment);
  enr_entity_set_id (ENR_ENTITY (copy), "service-task-2");

  after = enr_codec_encode_string (original);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (enr_codec_equal (original, copy));
  g_assert_cmpuint (enr_service_task_get_appointments (original)->len, ==, 2);
  g_assert_cmpuint (enr_service_task_get_appointments (copy)->len, ==, 3);

  enr_answer_set_values (g_ptr_array_index (a, 0), (const char * const []) { "maybe", NULL });
  g_assert_cmpstr (enr_answer_get_values (g_ptr_array_index (b, 0))[0], ==, "no");
}

static void
test_service_task_copy_draft (void)
{
  g_autoptr(EnrServiceTask) draft = enr_service_task_new ();
  g_autoptr(EnrServiceTask) copy = NULL;
  g_autoptr(EnrInteraction) interaction = enr_interaction_new ();
  EnrInteraction *copied;

  /* A draft misses required members; copying it must still work. */
  enr_service_task_set_customer_id (draft, "cust-7");
  enr_interaction_set_panel (interaction, ENR_PANEL_PROGRAM);
  enr_interaction_set_notes (interaction, "Asked to call back.");
  enr_service_task_add_interaction (draft, interaction);

  copy = enr_service_task_copy (draft);
  g_assert_null (enr_entity_get_id (ENR_ENTITY (copy)));
  g_assert_null (enr_service_task_get_program_id (copy));
  g_assert_cmpstr (enr_service_task_get_customer_id (copy), ==, "cust-7");
  copied = enr_service_task_get_interaction (copy, ENR_PANEL_PROGRAM);
  g_assert_nonnull (copied);
  g_assert_true (copied != interaction);
  g_assert_cmpstr (enr_interaction_get_notes (copied), ==, "Asked to call back.");
  g_assert_true (enr_codec_equal (draft, copy));
}

/* A required enum cannot be given its unset value: the encoder leaves
 * "none" out, so it would not read back (found by the fuzzer). */
static void
test_required_enum_none (void)
{
  static const char *json =
    "{\"id\": \"dev-1\", \"asset_type\": \"thermostat\", \"specification\": \"T-100\","
    " \"ownership\": \"none\", \"status\": \"active\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrDevice) device = NULL;

  device = enr_codec_decode_data (ENR_TYPE_DEVICE, json, -1, &error);
  g_assert_null (device);
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "device.ownership"));
}

/* The field setters the models share: a copy when the value differs, and
 * whether it did. */
static void
test_setters (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) strv = NULL;
  g_autoptr(GDate) date = NULL;
  g_autoptr(GDateTime) date_time = NULL;
  g_autoptr(GPtrArray) array = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDate) day = g_date_new_dmy (1, G_DATE_MARCH, 2025);
  g_autoptr(GDate) same_day = g_date_new_dmy (1, G_DATE_MARCH, 2025);
  g_autoptr(GDateTime) instant = g_date_time_new_utc (2025, 3, 1, 9, 30, 0);
  g_autoptr(GDateTime) same_instant = g_date_time_new_utc (2025, 3, 1, 9, 30, 0);
  char buffer[] = "north";

  g_assert_false (enr_set_string (&text, NULL));
  g_assert_true (enr_set_string (&text, buffer));
  g_assert_true (text != buffer);
  g_assert_false (enr_set_string (&text, "north"));
  g_assert_true (enr_set_string (&text, "south"));
  g_assert_cmpstr (text, ==, "south");
  g_assert_true (enr_set_string (&text, NULL));
  g_assert_null (text);

  g_assert_false (enr_set_strv (&strv, NULL));
  g_assert_true (enr_set_strv (&strv, (const char * const []) { "a", "b", NULL }));
  g_assert_false (enr_set_strv (&strv, (const char * const []) { "a", "b", NULL }));
  g_assert_true (enr_set_strv (&strv, (const char * const []) { "a", NULL }));
  g_assert_cmpuint (g_strv_length (strv), ==, 1);
  g_assert_true (enr_set_strv (&strv, (const char * const []) { NULL }));
  g_assert_nonnull (strv);
  g_assert_true (enr_set_strv (&strv, NULL));
  g_assert_null (strv);

  g_assert_false (enr_set_date (&date, NULL));
  g_assert_true (enr_set_date (&date, day));
  g_assert_true (date != day);
  g_assert_false (enr_set_date (&date, same_day));
  g_date_add_days (same_day, 1);
  g_assert_true (enr_set_date (&date, same_day));
  g_assert_cmpint (g_date_compare (date, same_day), ==, 0);
  g_assert_true (enr_set_date (&date, NULL));
  g_assert_null (date);

  g_assert_false (enr_set_date_time (&date_time, NULL));
  g_assert_true (enr_set_date_time (&date_time, instant));
  g_assert_false (enr_set_date_time (&date_time, same_instant));
  g_assert_true (date_time == instant);
  g_assert_true (enr_set_date_time (&date_time, NULL));
  g_assert_null (date_time);

  array = g_ptr_array_new_with_free_func (g_object_unref);
  g_assert_false (enr_set_array (&array, array));
  g_assert_true (enr_set_array (&array, items));
  g_assert_true (array == items);
  g_assert_true (enr_set_array (&array, NULL));
  g_assert_nonnull (array);
  g_assert_true (array != items);
  g_assert_cmpuint (array->len, ==, 0);

  g_assert_true (enr_date_equal0 (NULL, NULL));
  g_assert_false (enr_date_equal0 (day, NULL));
  g_assert_true (enr_date_time_equal0 (instant, same_instant));
  g_assert_false (enr_date_time_equal0 (NULL, instant));
  g_assert_true (enr_strv_equal0 (NULL, NULL));
  g_assert_false (enr_strv_equal0 ((const char * const []) { NULL }, NULL));
}

static EnrMeteredService *
new_service (const char              *id,
             EnrServiceType           type,
             EnrMeteredServiceStatus  status)
{
  EnrMeteredService *service = enr_metered_service_new ();

  enr_entity_set_id (ENR_ENTITY (service), id);
  enr_metered_service_set_service_type (service, type);
  enr_metered_service_set_status (service, status);

  return service;
}

/* The service an enrollment is for when none is chosen: the Customer View
 * judges eligibility on the one the flow then takes. */
static void
test_metered_service_pick (void)
{
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_null (enr_metered_service_pick (services));

  g_ptr_array_add (services, new_service ("inactive-electric", ENR_SERVICE_TYPE_ELECTRIC,
                                          ENR_METERED_SERVICE_STATUS_INACTIVE));
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (enr_metered_service_pick (services))), ==, "inactive-electric");

  g_ptr_array_add (services, new_service ("active-gas", ENR_SERVICE_TYPE_GAS, ENR_METERED_SERVICE_STATUS_ACTIVE));
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (enr_metered_service_pick (services))), ==, "active-gas");

  g_ptr_array_add (services, new_service ("active-electric", ENR_SERVICE_TYPE_ELECTRIC,
                                          ENR_METERED_SERVICE_STATUS_ACTIVE));
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (enr_metered_service_pick (services))), ==, "active-electric");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/metered-service-pick", test_metered_service_pick);

  for (guint i = 0; i < G_N_ELEMENTS (model_cases); i++)
    {
      g_autofree char *round_trip = g_strdup_printf ("/models/round-trip/%s", model_cases[i].name);
      g_autofree char *missing = g_strdup_printf ("/models/missing/%s", model_cases[i].name);

      g_test_add_data_func (round_trip, &model_cases[i], test_round_trip);
      g_test_add_data_func (missing, &model_cases[i], test_missing);
    }

  g_test_add_func ("/models/decoded/service-task", test_decoded_service_task);
  g_test_add_func ("/models/required-enum-none", test_required_enum_none);
  g_test_add_func ("/models/decoded/others", test_decoded_others);
  g_test_add_func ("/models/document/service-task", test_service_task_document);
  g_test_add_func ("/models/notify/customer", test_notify_customer);
  g_test_add_func ("/models/notify/program", test_notify_program);
  g_test_add_func ("/models/notify/service-task", test_notify_service_task);
  g_test_add_func ("/models/notify/others", test_notify_others);
  g_test_add_func ("/models/defaults", test_defaults);
  g_test_add_func ("/models/setters", test_setters);
  g_test_add_func ("/models/service-task/copy", test_service_task_copy);
  g_test_add_func ("/models/service-task/copy-draft", test_service_task_copy_draft);

  return g_test_run ();
}

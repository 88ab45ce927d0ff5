/* test-eligibility.c — the eligibility rules, one by one and together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-core.h"

#define PROGRAM_ID "prog-peak"

typedef struct
{
  EnrProgram *program;
  EnrProgramType *program_type;
  EnrInitiative *initiative;
  EnrCustomer *customer;
  EnrMeteredService *service;
  EnrServicePoint *point;
  GPtrArray *devices;
  GPtrArray *subscriptions;
  GPtrArray *tasks;
  GPtrArray *answers;
  GPtrArray *programs;
  GPtrArray *premise_subscriptions;
  GDate today;
  GDate start;
  EnrEligibilityInput input;
} Fixture;

static GDate
make_date (int year,
           int month,
           int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);

  return date;
}

static EnrQuestion *
make_question (const char         *id,
               const char         *text,
               EnrQuestionKind     kind,
               gboolean            required,
               const char * const *expected,
               int                 position)
{
  EnrQuestion *question = enr_question_new ();

  enr_entity_set_id (ENR_ENTITY (question), id);
  enr_question_set_code (question, id);
  enr_question_set_text (question, text);
  enr_question_set_kind (question, kind);
  enr_question_set_answer_style (question, ENR_ANSWER_STYLE_SINGLE_CHOICE);
  enr_question_set_required (question, required);
  enr_question_set_expected_answers (question, expected);
  enr_question_set_position (question, position);

  return question;
}

/* A customer eligible for an active rate program, before any change. */
static void
fixture_init (Fixture *f)
{
  g_autoptr(EnrQuestion) own = NULL;
  g_autoptr(EnrQuestion) heard = NULL;
  g_autoptr(GHashTable) characteristics = NULL;
  GDate program_start = make_date (2026, 1, 1);
  GDate program_end = make_date (2026, 12, 31);

  memset (f, 0, sizeof *f);

  f->program = enr_program_new ();
  enr_entity_set_id (ENR_ENTITY (f->program), PROGRAM_ID);
  enr_program_set_code (f->program, "PEAK");
  enr_program_set_name (f->program, "Peak Saver");
  enr_program_set_status (f->program, ENR_PROGRAM_STATUS_ACTIVE);
  enr_program_set_start_date (f->program, &program_start);
  enr_program_set_end_date (f->program, &program_end);
  enr_program_set_rate_codes (f->program, (const char * const []) { "R-1", "R-2", NULL });
  enr_program_set_program_type_id (f->program, "type-rate");

  /* Listed out of position order on purpose. */
  heard = make_question ("q-heard", "How did you hear about us?",
                         ENR_QUESTION_KIND_INFORMATIONAL, TRUE, NULL, 2);
  own = make_question ("q-own", "Do you own the home?",
                       ENR_QUESTION_KIND_QUALIFICATION, TRUE,
                       (const char * const []) { "yes", NULL }, 1);
  enr_program_add_question (f->program, heard);
  enr_program_add_question (f->program, own);

  f->program_type = enr_program_type_new ();
  enr_entity_set_id (ENR_ENTITY (f->program_type), "type-rate");
  enr_program_type_set_code (f->program_type, "RATE");
  enr_program_type_set_category (f->program_type, ENR_PROGRAM_CATEGORY_RATE_BASED);

  f->customer = enr_customer_new ();
  enr_entity_set_id (ENR_ENTITY (f->customer), "cust-1");
  enr_customer_set_name (f->customer, "Ada Lovelace");

  f->service = enr_metered_service_new ();
  enr_entity_set_id (ENR_ENTITY (f->service), "ms-1");
  enr_metered_service_set_customer_id (f->service, "cust-1");
  enr_metered_service_set_service_type (f->service, ENR_SERVICE_TYPE_ELECTRIC);
  enr_metered_service_set_status (f->service, ENR_METERED_SERVICE_STATUS_ACTIVE);

  characteristics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (characteristics, g_strdup ("dwelling"), g_strdup ("house"));
  g_hash_table_insert (characteristics, g_strdup ("sqft"), g_strdup ("1800"));
  g_hash_table_insert (characteristics, g_strdup ("zone"), g_strdup ("10"));
  g_hash_table_insert (characteristics, g_strdup ("pool"), g_strdup (""));

  f->point = enr_service_point_new ();
  enr_entity_set_id (ENR_ENTITY (f->point), "sp-1");
  enr_service_point_set_premise_id (f->point, "PREM-1");
  enr_service_point_set_division (f->point, "NORTH");
  enr_service_point_set_rate_code (f->point, "R-1");
  enr_service_point_set_characteristics (f->point, characteristics);

  f->devices = g_ptr_array_new_with_free_func (g_object_unref);
  f->subscriptions = g_ptr_array_new_with_free_func (g_object_unref);
  f->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  f->answers = g_ptr_array_new_with_free_func (g_object_unref);
  f->programs = g_ptr_array_new_with_free_func (g_object_unref);
  f->premise_subscriptions = g_ptr_array_new_with_free_func (g_object_unref);
  f->today = make_date (2026, 3, 1);

  /* The catalog: this program and a device program of another type. */
  g_ptr_array_add (f->programs, g_object_ref (f->program));
  {
    EnrProgram *other = enr_program_new ();

    enr_entity_set_id (ENR_ENTITY (other), "prog-wh");
    enr_program_set_name (other, "Water Heater Control");
    enr_program_set_program_type_id (other, "type-dlc");
    g_ptr_array_add (f->programs, other);
  }

  f->input = (EnrEligibilityInput) {
    .program = f->program,
    .program_type = f->program_type,
    .customer = f->customer,
    .metered_service = f->service,
    .service_point = f->point,
    .devices = f->devices,
    .subscriptions = f->subscriptions,
    .open_tasks = f->tasks,
    .today = &f->today,
    .programs = f->programs,
    .premise_subscriptions = f->premise_subscriptions,
  };
}

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->program);
  g_clear_object (&f->program_type);
  g_clear_object (&f->initiative);
  g_clear_object (&f->customer);
  g_clear_object (&f->service);
  g_clear_object (&f->point);
  g_clear_pointer (&f->devices, g_ptr_array_unref);
  g_clear_pointer (&f->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&f->tasks, g_ptr_array_unref);
  g_clear_pointer (&f->answers, g_ptr_array_unref);
  g_clear_pointer (&f->programs, g_ptr_array_unref);
  g_clear_pointer (&f->premise_subscriptions, g_ptr_array_unref);
}

static void
set_start (Fixture *f,
           int      year,
           int      month,
           int      day)
{
  f->start = make_date (year, month, day);
  f->input.start_date = &f->start;
}

static void
add_subscription (Fixture               *f,
                  const char            *id,
                  const char            *program_id,
                  EnrSubscriptionStatus  status,
                  const GDate           *end)
{
  EnrProgramSubscription *subscription = enr_program_subscription_new ();
  GDate start = make_date (2025, 6, 1);

  enr_entity_set_id (ENR_ENTITY (subscription), id);
  enr_program_subscription_set_program_id (subscription, program_id);
  enr_program_subscription_set_start_date (subscription, &start);
  enr_program_subscription_set_end_date (subscription, end);
  enr_program_subscription_set_status (subscription, status);
  g_ptr_array_add (f->subscriptions, subscription);
}

static void
add_task (Fixture       *f,
          const char    *id,
          EnrTaskKind    kind,
          EnrTaskStatus  status,
          const char    *program_id)
{
  EnrServiceTask *task = enr_service_task_new ();

  enr_entity_set_id (ENR_ENTITY (task), id);
  enr_service_task_set_kind (task, kind);
  enr_service_task_set_status (task, status);
  enr_service_task_set_program_id (task, program_id);
  g_ptr_array_add (f->tasks, task);
}

static void
add_device (Fixture         *f,
            const char      *id,
            const char      *specification,
            EnrDeviceStatus  status,
            const char      *subscription_id)
{
  EnrDevice *device = enr_device_new ();

  enr_entity_set_id (ENR_ENTITY (device), id);
  enr_device_set_asset_type (device, ENR_ASSET_TYPE_THERMOSTAT);
  enr_device_set_specification (device, specification);
  enr_device_set_status (device, status);
  enr_device_set_subscription_id (device, subscription_id);
  g_ptr_array_add (f->devices, device);
}

static void
add_answer (Fixture            *f,
            const char         *question_id,
            const char * const *values)
{
  EnrAnswer *answer = enr_answer_new ();

  enr_answer_set_question_id (answer, question_id);
  enr_answer_set_values (answer, values);
  g_ptr_array_add (f->answers, answer);
  f->input.answers = f->answers;
}

static void
make_device_program (Fixture            *f,
                     const char * const *specifications)
{
  enr_program_type_set_device_required (f->program_type, TRUE);
  enr_program_set_device_specifications (f->program, specifications);
}

static EnrCriterion *
make_criterion (EnrCriterionField    field,
                const char          *characteristic,
                EnrCriterionOperator op,
                const char * const  *values,
                const char          *reason)
{
  EnrCriterion *criterion = enr_criterion_new ();

  enr_criterion_set_field (criterion, field);
  enr_criterion_set_characteristic (criterion, characteristic);
  enr_criterion_set_operator (criterion, op);
  enr_criterion_set_values (criterion, values);
  enr_criterion_set_if_true (criterion, ENR_CRITERION_OUTCOME_ELIGIBLE);
  enr_criterion_set_if_false (criterion, ENR_CRITERION_OUTCOME_INELIGIBLE);
  enr_criterion_set_if_insufficient (criterion, ENR_CRITERION_OUTCOME_INELIGIBLE);
  enr_criterion_set_reason (criterion, reason);

  return criterion;
}

static EnrCriteriaGroup *
add_group (Fixture             *f,
           const char          *description,
           EnrCriterionOutcome  if_exhausted,
           const char          *reason)
{
  g_autoptr(EnrCriteriaGroup) group = enr_criteria_group_new ();

  if (f->initiative == NULL)
    {
      f->initiative = enr_initiative_new ();
      enr_entity_set_id (ENR_ENTITY (f->initiative), "init-1");
      f->input.initiative = f->initiative;
    }

  enr_criteria_group_set_description (group, description);
  enr_criteria_group_set_if_exhausted (group, if_exhausted);
  enr_criteria_group_set_reason (group, reason);
  enr_initiative_add_group (f->initiative, group);

  return group;
}

/* One criteria group: "the customer must be on the north side". */
static void
add_division_group (Fixture *f)
{
  EnrCriteriaGroup *group = add_group (f, "Territory", ENR_CRITERION_OUTCOME_INELIGIBLE, NULL);
  g_autoptr(EnrCriterion) criterion = NULL;

  criterion = make_criterion (ENR_CRITERION_FIELD_DIVISION, NULL, ENR_CRITERION_OPERATOR_EQ,
                              (const char * const []) { "SOUTH", NULL },
                              "Only customers in the south division may join");
  enr_criteria_group_add_criterion (group, criterion);
}

/* Case setups */

static void setup_none (Fixture *f) { }

static void
setup_pending (Fixture *f)
{
  enr_program_set_status (f->program, ENR_PROGRAM_STATUS_PENDING);
}

static void
setup_closed (Fixture *f)
{
  enr_program_set_status (f->program, ENR_PROGRAM_STATUS_CLOSED);
}

static void
setup_suspended (Fixture *f)
{
  enr_program_set_suspended (f->program, TRUE);
}

static void setup_start_at_program_start (Fixture *f) { set_start (f, 2026, 1, 1); }
static void setup_start_at_program_end (Fixture *f) { set_start (f, 2026, 12, 31); }
static void setup_start_after_end (Fixture *f) { set_start (f, 2027, 1, 1); }
static void setup_start_before_start (Fixture *f) { set_start (f, 2025, 12, 31); }

static void
setup_no_end (Fixture *f)
{
  enr_program_set_end_date (f->program, NULL);
  set_start (f, 2031, 7, 1);
}

static void
setup_today_before_start (Fixture *f)
{
  f->today = make_date (2025, 11, 30);
}

static void
setup_any_rate (Fixture *f)
{
  enr_program_set_rate_codes (f->program, NULL);
  enr_service_point_set_rate_code (f->point, "R-TOU");
}

static void
setup_other_rate (Fixture *f)
{
  enr_service_point_set_rate_code (f->point, "R-TOU");
}

static void
setup_no_rate (Fixture *f)
{
  enr_service_point_set_rate_code (f->point, NULL);
}

static void
setup_no_rate_any_rate (Fixture *f)
{
  enr_program_set_rate_codes (f->program, NULL);
  enr_service_point_set_rate_code (f->point, NULL);
}

static void
setup_division_other (Fixture *f)
{
  enr_program_set_division (f->program, "SOUTH");
}

static void
setup_division_same (Fixture *f)
{
  enr_program_set_division (f->program, "NORTH");
}

static void
setup_subscribed_active (Fixture *f)
{
  add_subscription (f, "sub-1", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
}

static void
setup_subscribed_pending_ends_on_start (Fixture *f)
{
  GDate end = make_date (2026, 4, 1);

  set_start (f, 2026, 4, 1);
  add_subscription (f, "sub-1", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_PENDING, &end);
}

static void
setup_subscribed_ends_before_start (Fixture *f)
{
  GDate end = make_date (2026, 3, 31);

  set_start (f, 2026, 4, 1);
  add_subscription (f, "sub-1", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_ACTIVE, &end);
}

static void
setup_subscribed_ended (Fixture *f)
{
  add_subscription (f, "sub-1", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_ENDED, NULL);
}

static void
setup_subscribed_other_program (Fixture *f)
{
  add_subscription (f, "sub-1", "prog-other", ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
}

static void
setup_open_task (Fixture *f)
{
  add_task (f, "task-7", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_ERROR, PROGRAM_ID);
}

static void
setup_open_task_started (Fixture *f)
{
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 5, 28, 14, 30, 0);

  add_task (f, "task-7", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_PENDING, PROGRAM_ID);
  enr_service_task_set_created_at (g_ptr_array_index (f->tasks, f->tasks->len - 1), created);
}

static void
setup_open_task_is_current (Fixture *f)
{
  add_task (f, "task-7", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_PENDING, PROGRAM_ID);
  f->input.current_task_id = "task-7";
}

static void
setup_closed_tasks (Fixture *f)
{
  add_task (f, "task-1", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_COMPLETED, PROGRAM_ID);
  add_task (f, "task-2", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_CANCELED, PROGRAM_ID);
  add_task (f, "task-3", ENR_TASK_KIND_UNENROLLMENT, ENR_TASK_STATUS_PENDING, PROGRAM_ID);
  add_task (f, "task-4", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_PENDING, "prog-other");
}

static void
setup_device_none (Fixture *f)
{
  make_device_program (f, (const char * const []) { "T-100", NULL });
}

static void
setup_device_matching (Fixture *f)
{
  make_device_program (f, (const char * const []) { "T-100", "T-200", NULL });
  add_device (f, "dev-1", "T-200", ENR_DEVICE_STATUS_ACTIVE, NULL);
}

static void
setup_device_other_spec (Fixture *f)
{
  make_device_program (f, (const char * const []) { "T-100", NULL });
  add_device (f, "dev-1", "X-9", ENR_DEVICE_STATUS_ACTIVE, NULL);
}

static void
setup_device_any_spec (Fixture *f)
{
  make_device_program (f, NULL);
  add_device (f, "dev-1", "X-9", ENR_DEVICE_STATUS_INSTALLED, NULL);
}

static void
setup_device_all_enrolled (Fixture *f)
{
  make_device_program (f, (const char * const []) { "T-100", NULL });
  add_subscription (f, "sub-other", "prog-other", ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
  add_device (f, "dev-1", "T-100", ENR_DEVICE_STATUS_ACTIVE, "sub-other");
  add_device (f, "dev-2", "T-100", ENR_DEVICE_STATUS_ACTIVE, "sub-unknown");
}

static void
setup_device_enrolled_in_ended (Fixture *f)
{
  make_device_program (f, (const char * const []) { "T-100", NULL });
  add_subscription (f, "sub-old", "prog-other", ENR_SUBSCRIPTION_STATUS_ENDED, NULL);
  add_device (f, "dev-1", "T-100", ENR_DEVICE_STATUS_ACTIVE, "sub-old");
}

static void
setup_device_removed (Fixture *f)
{
  make_device_program (f, NULL);
  add_device (f, "dev-1", "T-100", ENR_DEVICE_STATUS_REMOVED, NULL);
}

static void
setup_device_shipped (Fixture *f)
{
  setup_device_none (f);
  f->input.installation_method = ENR_INSTALLATION_METHOD_SHIP_DEVICE;
}

static void
setup_device_installed_by_utility (Fixture *f)
{
  setup_device_all_enrolled (f);
  f->input.installation_method = ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION;
}

static void
setup_device_re_enroll_none (Fixture *f)
{
  setup_device_none (f);
  f->input.installation_method = ENR_INSTALLATION_METHOD_RE_ENROLL;
}

static void
setup_not_device_program (Fixture *f)
{
  enr_program_set_device_specifications (f->program, (const char * const []) { "T-100", NULL });
}

static void
setup_initiative_fails (Fixture *f)
{
  add_division_group (f);
}

static void
setup_questions_not_checked (Fixture *f)
{
  f->input.check_answers = FALSE;
  f->input.answers = NULL;
}

static void
setup_questions_unanswered (Fixture *f)
{
  f->input.check_answers = TRUE;
}

static void
setup_questions_right (Fixture *f)
{
  f->input.check_answers = TRUE;
  add_answer (f, "q-own", (const char * const []) { "yes", NULL });
}

static void
setup_questions_wrong (Fixture *f)
{
  f->input.check_answers = TRUE;
  add_answer (f, "q-own", (const char * const []) { "no", NULL });
  add_answer (f, "q-heard", (const char * const []) { "radio", NULL });
}

static void
setup_questions_empty_values (Fixture *f)
{
  f->input.check_answers = TRUE;
  add_answer (f, "q-own", (const char * const []) { "", NULL });
}

static void
setup_questions_expected_empty (Fixture *f)
{
  EnrQuestion *question = enr_program_find_question (f->program, "q-own");

  enr_question_set_expected_answers (question, NULL);
  f->input.check_answers = TRUE;
  add_answer (f, "q-own", (const char * const []) { "maybe", NULL });
}

static void
setup_questions_optional_unanswered (Fixture *f)
{
  EnrQuestion *question = enr_program_find_question (f->program, "q-own");

  enr_question_set_required (question, FALSE);
  f->input.check_answers = TRUE;
}

static void
setup_questions_optional_wrong (Fixture *f)
{
  EnrQuestion *question = enr_program_find_question (f->program, "q-own");

  enr_question_set_required (question, FALSE);
  f->input.check_answers = TRUE;
  add_answer (f, "q-own", (const char * const []) { "no", NULL });
}

static void
setup_informational_never_blocks (Fixture *f)
{
  EnrQuestion *question = enr_program_find_question (f->program, "q-heard");

  /* Even with expected answers configured by mistake. */
  enr_question_set_expected_answers (question, (const char * const []) { "tv", NULL });
  f->input.check_answers = TRUE;
  add_answer (f, "q-own", (const char * const []) { "yes", NULL });
  add_answer (f, "q-heard", (const char * const []) { "radio", NULL });
}

static void
setup_multiple_choice_subset (Fixture *f)
{
  EnrQuestion *question = enr_program_find_question (f->program, "q-own");

  enr_question_set_answer_style (question, ENR_ANSWER_STYLE_MULTIPLE_CHOICE);
  enr_question_set_expected_answers (question, (const char * const []) { "a", "b", "c", NULL });
  f->input.check_answers = TRUE;
  add_answer (f, "q-own", (const char * const []) { "a", "c", NULL });
}

static void
setup_multiple_choice_not_subset (Fixture *f)
{
  EnrQuestion *question = enr_program_find_question (f->program, "q-own");

  enr_question_set_answer_style (question, ENR_ANSWER_STYLE_MULTIPLE_CHOICE);
  enr_question_set_expected_answers (question, (const char * const []) { "a", "b", NULL });
  f->input.check_answers = TRUE;
  add_answer (f, "q-own", (const char * const []) { "a", "z", NULL });
}

/* Exclusions (rule 7) and the premise limit (rule 8) */

static EnrProgram *
other_program (Fixture *f)
{
  return g_ptr_array_index (f->programs, 1);
}

static void
exclude (EnrProgram *program,
         const char *program_id,
         const char *program_type_id,
         const char *reason)
{
  g_autoptr(EnrProgramExclusion) exclusion = enr_program_exclusion_new ();

  enr_program_exclusion_set_program_id (exclusion, program_id);
  enr_program_exclusion_set_program_type_id (exclusion, program_type_id);
  enr_program_exclusion_set_reason (exclusion, reason);
  enr_program_add_exclusion (program, exclusion);
}

static void
setup_excluded_program (Fixture *f)
{
  exclude (f->program, "prog-wh", NULL, "which controls the same water heater");
  add_subscription (f, "sub-wh", "prog-wh", ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
}

static void
setup_excluded_pending (Fixture *f)
{
  exclude (f->program, "prog-wh", NULL, NULL);
  add_subscription (f, "sub-wh", "prog-wh", ENR_SUBSCRIPTION_STATUS_PENDING, NULL);
}

static void
setup_excluded_by_other (Fixture *f)
{
  exclude (other_program (f), PROGRAM_ID, NULL, NULL);
  add_subscription (f, "sub-wh", "prog-wh", ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
}

static void
setup_excluded_type (Fixture *f)
{
  exclude (f->program, NULL, "type-dlc", NULL);
  add_subscription (f, "sub-wh", "prog-wh", ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
}

static void
setup_excluded_type_by_other (Fixture *f)
{
  exclude (other_program (f), NULL, "type-rate", "which changes the same bill");
  add_subscription (f, "sub-wh", "prog-wh", ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
}

static void
setup_excluded_other_type (Fixture *f)
{
  exclude (f->program, NULL, "type-der", NULL);
  exclude (other_program (f), NULL, "type-der", NULL);
  add_subscription (f, "sub-wh", "prog-wh", ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
}

static void
setup_excluded_ended (Fixture *f)
{
  exclude (f->program, "prog-wh", NULL, NULL);
  add_subscription (f, "sub-wh", "prog-wh", ENR_SUBSCRIPTION_STATUS_ENDED, NULL);
}

static void
setup_excluded_ends_before_start (Fixture *f)
{
  GDate end = make_date (2026, 5, 31);

  exclude (f->program, "prog-wh", NULL, NULL);
  add_subscription (f, "sub-wh", "prog-wh", ENR_SUBSCRIPTION_STATUS_ACTIVE, &end);
  set_start (f, 2026, 6, 1);
}

static void
setup_excluded_unknown_program (Fixture *f)
{
  exclude (f->program, "prog-gone", NULL, NULL);
  exclude (f->program, NULL, "type-gone", NULL);
  add_subscription (f, "sub-gone", "prog-gone", ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
}

static void
setup_excluded_without_catalog (Fixture *f)
{
  exclude (other_program (f), PROGRAM_ID, NULL, NULL);
  add_subscription (f, "sub-wh", "prog-wh", ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
  f->input.programs = NULL;
}

static void
setup_excluded_task (Fixture *f)
{
  exclude (f->program, "prog-wh", NULL, "which controls the same water heater");
  add_task (f, "task-wh", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_PENDING, "prog-wh");
}

static void
setup_excluded_task_by_type (Fixture *f)
{
  exclude (other_program (f), NULL, "type-rate", NULL);
  add_task (f, "task-wh", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_ERROR, "prog-wh");
}

static void
setup_excluded_tasks_closed (Fixture *f)
{
  exclude (f->program, "prog-wh", NULL, NULL);
  add_task (f, "task-1", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_CANCELED, "prog-wh");
  add_task (f, "task-2", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_COMPLETED, "prog-wh");
  add_task (f, "task-3", ENR_TASK_KIND_UNENROLLMENT, ENR_TASK_STATUS_PENDING, "prog-wh");
}

static void
setup_excluded_once (Fixture *f)
{
  exclude (f->program, "prog-wh", NULL, NULL);
  exclude (f->program, NULL, "type-dlc", NULL);
  exclude (other_program (f), PROGRAM_ID, NULL, NULL);
  add_subscription (f, "sub-wh", "prog-wh", ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
  add_subscription (f, "sub-wh-2", "prog-wh", ENR_SUBSCRIPTION_STATUS_PENDING, NULL);
  add_task (f, "task-wh", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_PENDING, "prog-wh");
}

/* A program that excludes its own type: one program of the kind, but the
 * program itself is "already enrolled", not excluded. */
static void
setup_excluded_own_type (Fixture *f)
{
  exclude (f->program, NULL, "type-rate", NULL);
  add_subscription (f, "sub-1", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
}

static void
add_premise_subscription (Fixture               *f,
                          const char            *id,
                          const char            *customer_id,
                          const char            *program_id,
                          EnrSubscriptionStatus  status)
{
  EnrProgramSubscription *subscription = enr_program_subscription_new ();
  GDate start = make_date (2025, 6, 1);

  enr_entity_set_id (ENR_ENTITY (subscription), id);
  enr_program_subscription_set_customer_id (subscription, customer_id);
  enr_program_subscription_set_program_id (subscription, program_id);
  enr_program_subscription_set_start_date (subscription, &start);
  enr_program_subscription_set_status (subscription, status);
  g_ptr_array_add (f->premise_subscriptions, subscription);
}

static void
setup_premise_limit_reached (Fixture *f)
{
  enr_program_set_premise_limit (f->program, 1);
  add_premise_subscription (f, "sub-9", "cust-9", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_ACTIVE);
}

static void
setup_premise_limit_own (Fixture *f)
{
  enr_program_set_premise_limit (f->program, 1);
  add_premise_subscription (f, "sub-1", "cust-1", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_ACTIVE);
}

static void
setup_premise_limit_ended (Fixture *f)
{
  enr_program_set_premise_limit (f->program, 1);
  add_premise_subscription (f, "sub-9", "cust-9", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_ENDED);
  add_premise_subscription (f, "sub-8", "cust-8", "prog-wh", ENR_SUBSCRIPTION_STATUS_ACTIVE);
}

static void
setup_premise_limit_two_one_taken (Fixture *f)
{
  enr_program_set_premise_limit (f->program, 2);
  add_premise_subscription (f, "sub-9", "cust-9", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_PENDING);
}

static void
setup_premise_limit_two_taken (Fixture *f)
{
  enr_program_set_premise_limit (f->program, 2);
  add_premise_subscription (f, "sub-9", "cust-9", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_PENDING);
  add_premise_subscription (f, "sub-8", "cust-8", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_ACTIVE);
}

static void
setup_premise_no_limit (Fixture *f)
{
  add_premise_subscription (f, "sub-9", "cust-9", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_ACTIVE);
}

static void
setup_premise_unknown (Fixture *f)
{
  enr_program_set_premise_limit (f->program, 1);
  f->input.premise_subscriptions = NULL;
}

static void
setup_everything_wrong (Fixture *f)
{
  enr_program_set_status (f->program, ENR_PROGRAM_STATUS_INACTIVE);
  enr_program_set_suspended (f->program, TRUE);
  set_start (f, 2027, 2, 1);
  add_subscription (f, "sub-1", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
  add_task (f, "task-9", ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_PENDING, PROGRAM_ID);
  enr_program_set_division (f->program, "SOUTH");
  enr_service_point_set_rate_code (f->point, "R-TOU");
  make_device_program (f, (const char * const []) { "T-100", NULL });
  add_division_group (f);
  f->input.check_answers = TRUE;
  exclude (f->program, "prog-wh", NULL, NULL);
  add_subscription (f, "sub-wh", "prog-wh", ENR_SUBSCRIPTION_STATUS_ACTIVE, NULL);
  enr_program_set_premise_limit (f->program, 1);
  add_premise_subscription (f, "sub-9", "cust-9", PROGRAM_ID, ENR_SUBSCRIPTION_STATUS_ACTIVE);
}

typedef struct
{
  const char *name;
  void (*setup) (Fixture *f);
  const char *codes[14];
  const char *text;   /* exact text of the first reason, when set */
} RuleCase;

static const RuleCase rule_cases[] = {
  { "eligible", setup_none, { NULL } },
  { "program-pending", setup_pending, { "program-inactive", NULL },
    "Peak Saver does not take enrollments yet" },
  { "program-closed", setup_closed, { "program-inactive", NULL } },
  { "program-suspended", setup_suspended, { "program-suspended", NULL },
    "Peak Saver is suspended and takes no enrollments for now" },
  { "start-is-program-start", setup_start_at_program_start, { NULL } },
  { "start-is-program-end", setup_start_at_program_end, { NULL } },
  { "start-after-end", setup_start_after_end, { "after-program-end", NULL },
    "The start date, Fri, 1 Jan 2027, is after Peak Saver ends on Thu, 31 Dec 2026" },
  { "start-before-start", setup_start_before_start, { "before-program-start", NULL },
    "The start date, Wed, 31 Dec 2025, is before Peak Saver starts on Thu, 1 Jan 2026" },
  { "program-without-end", setup_no_end, { NULL } },
  { "no-start-date-uses-today", setup_today_before_start, { "before-program-start", NULL },
    "The start date, Sun, 30 Nov 2025, is before Peak Saver starts on Thu, 1 Jan 2026" },
  { "no-rates-listed", setup_any_rate, { NULL } },
  { "rate-not-listed", setup_other_rate, { "rate-not-eligible", NULL },
    "Peak Saver is not available on the customer’s rate plan" },
  { "service-point-without-rate", setup_no_rate, { "rate-not-eligible", NULL },
    "Peak Saver is for some rate plans only, and the customer’s rate plan is not recorded" },
  { "no-rate-no-rates-listed", setup_no_rate_any_rate, { NULL } },
  { "division-not-served", setup_division_other, { "division-not-served", NULL },
    "Peak Saver is not offered in the customer’s part of the service area" },
  { "division-served", setup_division_same, { NULL } },
  { "subscribed", setup_subscribed_active, { "already-enrolled", NULL },
    "The customer is already enrolled in Peak Saver, since Sun, 1 Jun 2025" },
  { "subscription-ends-on-start", setup_subscribed_pending_ends_on_start, { "already-enrolled", NULL } },
  { "subscription-ends-before-start", setup_subscribed_ends_before_start, { NULL } },
  { "subscription-ended", setup_subscribed_ended, { NULL } },
  { "subscription-other-program", setup_subscribed_other_program, { NULL } },
  { "open-task", setup_open_task, { "enrollment-in-progress", NULL },
    "An enrollment in Peak Saver is already in progress for the customer" },
  { "open-task-started", setup_open_task_started, { "enrollment-in-progress", NULL },
    "An enrollment in Peak Saver is already in progress for the customer, started on Thu, 28 May 2026" },
  { "open-task-is-current", setup_open_task_is_current, { NULL } },
  { "closed-or-unrelated-tasks", setup_closed_tasks, { NULL } },
  { "device-none", setup_device_none, { "no-accepted-device", NULL },
    "Peak Saver needs a device of one of these models: T-100; the customer has none, and no device will be shipped or installed" },
  { "device-matching", setup_device_matching, { NULL } },
  { "device-other-spec", setup_device_other_spec, { "no-accepted-device", NULL } },
  { "device-any-spec", setup_device_any_spec, { NULL } },
  { "device-all-enrolled", setup_device_all_enrolled, { "no-accepted-device", NULL },
    "Peak Saver needs a device of one of these models: T-100; every such device of the customer is already in a program, and no device will be shipped or installed" },
  { "device-enrolled-in-ended", setup_device_enrolled_in_ended, { NULL } },
  { "device-removed", setup_device_removed, { "no-accepted-device", NULL },
    "Peak Saver needs a device: the customer has none, and no device will be shipped or installed" },
  { "device-shipped", setup_device_shipped, { NULL } },
  { "device-utility-installation", setup_device_installed_by_utility, { NULL } },
  { "device-re-enroll-without-device", setup_device_re_enroll_none, { "no-accepted-device", NULL } },
  { "not-a-device-program", setup_not_device_program, { NULL } },
  { "initiative-fails", setup_initiative_fails, { "criterion", NULL },
    "Only customers in the south division may join" },
  { "questions-not-checked", setup_questions_not_checked, { NULL } },
  { "questions-unanswered", setup_questions_unanswered, { "qualification-unanswered", NULL },
    "The question “Do you own the home?” is not answered" },
  { "questions-right", setup_questions_right, { NULL } },
  { "questions-wrong", setup_questions_wrong, { "qualification-answer", NULL },
    "Peak Saver needs the answer “Yes” to “Do you own the home?”, not “No”" },
  { "questions-empty-values", setup_questions_empty_values, { "qualification-unanswered", NULL } },
  { "questions-expected-empty", setup_questions_expected_empty, { NULL } },
  { "questions-optional-unanswered", setup_questions_optional_unanswered, { NULL } },
  { "questions-optional-wrong", setup_questions_optional_wrong, { "qualification-answer", NULL } },
  { "informational-never-blocks", setup_informational_never_blocks, { NULL } },
  { "multiple-choice-subset", setup_multiple_choice_subset, { NULL } },
  { "multiple-choice-not-subset", setup_multiple_choice_not_subset, { "qualification-answer", NULL },
    "Peak Saver needs the answer “a” or “b” to “Do you own the home?”, not “z”" },
  { "excluded-program", setup_excluded_program, { "excluded-program", NULL },
    "The customer is already enrolled in Water Heater Control, which controls the same water heater" },
  { "excluded-pending", setup_excluded_pending, { "excluded-program", NULL },
    "The customer is already enrolled in Water Heater Control, which cannot be combined with Peak Saver" },
  { "excluded-by-the-other", setup_excluded_by_other, { "excluded-program", NULL },
    "The customer is already enrolled in Water Heater Control, which cannot be combined with Peak Saver" },
  { "excluded-type", setup_excluded_type, { "excluded-program", NULL } },
  { "excluded-type-by-the-other", setup_excluded_type_by_other, { "excluded-program", NULL },
    "The customer is already enrolled in Water Heater Control, which changes the same bill" },
  { "excluded-other-type", setup_excluded_other_type, { NULL } },
  { "excluded-ended", setup_excluded_ended, { NULL } },
  { "excluded-ends-before-start", setup_excluded_ends_before_start, { NULL } },
  { "excluded-unknown-program", setup_excluded_unknown_program, { "excluded-program", NULL },
    "The customer is already enrolled in prog-gone, which cannot be combined with Peak Saver" },
  { "excluded-without-catalog", setup_excluded_without_catalog, { NULL } },
  { "excluded-task", setup_excluded_task, { "excluded-program", NULL },
    "The customer is already enrolling in Water Heater Control, which controls the same water heater" },
  { "excluded-task-by-type", setup_excluded_task_by_type, { "excluded-program", NULL },
    "The customer is already enrolling in Water Heater Control, which cannot be combined with Peak Saver" },
  { "excluded-tasks-closed", setup_excluded_tasks_closed, { NULL } },
  { "excluded-once", setup_excluded_once, { "excluded-program", NULL } },
  { "excluded-own-type", setup_excluded_own_type, { "already-enrolled", NULL } },
  { "premise-limit-reached", setup_premise_limit_reached, { "premise-limit", NULL },
    "Peak Saver is limited to one enrollment per household, and another account at the same premise is enrolled already" },
  { "premise-limit-own", setup_premise_limit_own, { NULL } },
  { "premise-limit-ended", setup_premise_limit_ended, { NULL } },
  { "premise-limit-two-one-taken", setup_premise_limit_two_one_taken, { NULL } },
  { "premise-limit-two-taken", setup_premise_limit_two_taken, { "premise-limit", NULL },
    "Peak Saver is limited to 2 enrollments per household, and other accounts at the same premise have that many already" },
  { "premise-no-limit", setup_premise_no_limit, { NULL } },
  { "premise-unknown", setup_premise_unknown, { NULL } },
  { "everything-wrong", setup_everything_wrong,
    { "program-inactive", "program-suspended", "after-program-end", "already-enrolled",
      "enrollment-in-progress", "division-not-served", "rate-not-eligible",
      "no-accepted-device", "criterion", "qualification-unanswered", "excluded-program",
      "premise-limit", NULL },
    "Peak Saver no longer takes enrollments" },
};

static void
assert_codes (EnrEligibilityResult *result,
              const char * const   *codes)
{
  GPtrArray *reasons = enr_eligibility_result_get_reasons (result);
  g_autofree char *joined = enr_eligibility_result_join_reasons (result, " | ");
  guint n_codes = 0;

  while (codes[n_codes] != NULL)
    n_codes++;

  if (reasons->len != n_codes)
    g_test_message ("reasons: %s", joined);
  g_assert_cmpuint (reasons->len, ==, n_codes);

  for (guint i = 0; i < n_codes; i++)
    {
      EnrEligibilityReason *reason = g_ptr_array_index (reasons, i);

      g_assert_cmpstr (enr_eligibility_reason_get_code (reason), ==, codes[i]);
      g_assert_nonnull (enr_eligibility_reason_get_text (reason));
      g_assert_cmpstr (enr_eligibility_reason_get_text (reason), !=, "");
    }

  g_assert_cmpint (enr_eligibility_result_is_eligible (result), ==, n_codes == 0);
}

static void
test_rule (gconstpointer data)
{
  const RuleCase *rc = data;
  g_autoptr(EnrEligibilityResult) result = NULL;
  Fixture f;

  fixture_init (&f);
  rc->setup (&f);

  result = enr_eligibility_evaluate (&f.input);
  assert_codes (result, rc->codes);

  if (rc->text != NULL)
    {
      EnrEligibilityReason *first = g_ptr_array_index (enr_eligibility_result_get_reasons (result), 0);

      g_assert_cmpstr (enr_eligibility_reason_get_text (first), ==, rc->text);
    }

  fixture_clear (&f);
}

/* enr_criterion_evaluate() */

typedef struct
{
  const char *name;
  EnrCriterionField field;
  const char *characteristic;
  EnrCriterionOperator op;
  const char *values[4];
  guint devices;        /* that many active devices, plus one removed */
  gboolean no_point;
  EnrCriterionResult expected;
} CriterionCase;

#define T ENR_CRITERION_RESULT_TRUE
#define F ENR_CRITERION_RESULT_FALSE
#define I ENR_CRITERION_RESULT_INSUFFICIENT

static const CriterionCase criterion_cases[] = {
  { "rate-eq", ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_EQ, { "R-1" }, 0, FALSE, T },
  { "rate-eq-other", ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_EQ, { "R-2" }, 0, FALSE, F },
  { "rate-eq-is-exact", ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_EQ, { "r-1" }, 0, FALSE, F },
  { "rate-ne", ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_NE, { "R-2" }, 0, FALSE, T },
  { "rate-ne-same", ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_NE, { "R-1" }, 0, FALSE, F },
  { "rate-in", ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_IN, { "R-3", "R-1" }, 0, FALSE, T },
  { "rate-in-empty-set", ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_IN, { NULL }, 0, FALSE, F },
  { "rate-not-in", ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_NOT_IN, { "R-3", "R-1" }, 0, FALSE, F },
  { "rate-not-in-other", ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_NOT_IN, { "R-3" }, 0, FALSE, T },
  { "eq-without-value", ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_EQ, { NULL }, 0, FALSE, I },
  { "division-eq", ENR_CRITERION_FIELD_DIVISION, NULL, ENR_CRITERION_OPERATOR_EQ, { "NORTH" }, 0, FALSE, T },
  { "premise-eq", ENR_CRITERION_FIELD_PREMISE_ID, NULL, ENR_CRITERION_OPERATOR_EQ, { "PREM-1" }, 0, FALSE, T },
  { "premise-without-point", ENR_CRITERION_FIELD_PREMISE_ID, NULL, ENR_CRITERION_OPERATOR_EQ, { "PREM-1" }, 0, TRUE, I },
  { "premise-exists-without-point", ENR_CRITERION_FIELD_PREMISE_ID, NULL, ENR_CRITERION_OPERATOR_EXISTS, { NULL }, 0, TRUE, F },
  { "life-support-false", ENR_CRITERION_FIELD_LIFE_SUPPORT, NULL, ENR_CRITERION_OPERATOR_EQ, { "false" }, 0, FALSE, T },
  { "life-support-true", ENR_CRITERION_FIELD_LIFE_SUPPORT, NULL, ENR_CRITERION_OPERATOR_EQ, { "true" }, 0, FALSE, F },
  { "service-type", ENR_CRITERION_FIELD_SERVICE_TYPE, NULL, ENR_CRITERION_OPERATOR_EQ, { "electric" }, 0, FALSE, T },
  { "service-type-gas", ENR_CRITERION_FIELD_SERVICE_TYPE, NULL, ENR_CRITERION_OPERATOR_IN, { "gas", "water" }, 0, FALSE, F },
  { "service-status", ENR_CRITERION_FIELD_METERED_SERVICE_STATUS, NULL, ENR_CRITERION_OPERATOR_EQ, { "active" }, 0, FALSE, T },
  { "device-count-none", ENR_CRITERION_FIELD_DEVICE_COUNT, NULL, ENR_CRITERION_OPERATOR_GE, { "1" }, 0, FALSE, F },
  { "device-count-two", ENR_CRITERION_FIELD_DEVICE_COUNT, NULL, ENR_CRITERION_OPERATOR_EQ, { "2" }, 2, FALSE, T },
  { "device-count-lt", ENR_CRITERION_FIELD_DEVICE_COUNT, NULL, ENR_CRITERION_OPERATOR_LT, { "3" }, 2, FALSE, T },
  { "numeric-gt", ENR_CRITERION_FIELD_CHARACTERISTIC, "sqft", ENR_CRITERION_OPERATOR_GT, { "1500" }, 0, FALSE, T },
  { "numeric-lt", ENR_CRITERION_FIELD_CHARACTERISTIC, "sqft", ENR_CRITERION_OPERATOR_LT, { "900" }, 0, FALSE, F },
  { "numeric-ge-equal", ENR_CRITERION_FIELD_CHARACTERISTIC, "sqft", ENR_CRITERION_OPERATOR_GE, { "1800" }, 0, FALSE, T },
  { "numeric-le-fraction", ENR_CRITERION_FIELD_CHARACTERISTIC, "sqft", ENR_CRITERION_OPERATOR_LE, { "1799.5" }, 0, FALSE, F },
  { "numeric-exponent", ENR_CRITERION_FIELD_CHARACTERISTIC, "sqft", ENR_CRITERION_OPERATOR_LT, { "1e4" }, 0, FALSE, T },
  /* "10" < "9" as text, 10 > 9 as numbers */
  { "numeric-not-text", ENR_CRITERION_FIELD_CHARACTERISTIC, "zone", ENR_CRITERION_OPERATOR_GT, { "9" }, 0, FALSE, T },
  { "text-collation", ENR_CRITERION_FIELD_CHARACTERISTIC, "dwelling", ENR_CRITERION_OPERATOR_LT, { "igloo" }, 0, FALSE, T },
  { "text-collation-ge", ENR_CRITERION_FIELD_CHARACTERISTIC, "dwelling", ENR_CRITERION_OPERATOR_GE, { "igloo" }, 0, FALSE, F },
  { "text-vs-number-is-text", ENR_CRITERION_FIELD_CHARACTERISTIC, "zone", ENR_CRITERION_OPERATOR_LT, { "9a" }, 0, FALSE, T },
  { "number-limit-on-text", ENR_CRITERION_FIELD_CHARACTERISTIC, "dwelling", ENR_CRITERION_OPERATOR_GT, { "5" }, 0, FALSE, I },
  /* "5x" is not a number (only a prefix parses): compared as text */
  { "number-prefix-is-text", ENR_CRITERION_FIELD_CHARACTERISTIC, "sqft", ENR_CRITERION_OPERATOR_GT, { "5x" }, 0, FALSE, F },
  { "number-with-space-is-text", ENR_CRITERION_FIELD_CHARACTERISTIC, "sqft", ENR_CRITERION_OPERATOR_GE, { " 5" }, 0, FALSE, T },
  { "nan-is-not-a-number", ENR_CRITERION_FIELD_CHARACTERISTIC, "dwelling", ENR_CRITERION_OPERATOR_GT, { "nan" }, 0, FALSE, F },
  { "characteristic-missing", ENR_CRITERION_FIELD_CHARACTERISTIC, "basement", ENR_CRITERION_OPERATOR_EQ, { "yes" }, 0, FALSE, I },
  { "characteristic-empty", ENR_CRITERION_FIELD_CHARACTERISTIC, "pool", ENR_CRITERION_OPERATOR_NE, { "yes" }, 0, FALSE, I },
  { "characteristic-without-key", ENR_CRITERION_FIELD_CHARACTERISTIC, NULL, ENR_CRITERION_OPERATOR_EQ, { "house" }, 0, FALSE, I },
  { "characteristic-not-in-missing", ENR_CRITERION_FIELD_CHARACTERISTIC, "basement", ENR_CRITERION_OPERATOR_NOT_IN, { "yes" }, 0, FALSE, I },
  { "exists", ENR_CRITERION_FIELD_CHARACTERISTIC, "dwelling", ENR_CRITERION_OPERATOR_EXISTS, { NULL }, 0, FALSE, T },
  { "exists-missing", ENR_CRITERION_FIELD_CHARACTERISTIC, "basement", ENR_CRITERION_OPERATOR_EXISTS, { NULL }, 0, FALSE, F },
  { "exists-empty", ENR_CRITERION_FIELD_CHARACTERISTIC, "pool", ENR_CRITERION_OPERATOR_EXISTS, { NULL }, 0, FALSE, F },
  { "rate-missing", ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_IN, { "R-1" }, 0, TRUE, I },
};

static void
test_criterion (gconstpointer data)
{
  const CriterionCase *cc = data;
  g_autoptr(EnrCriterion) criterion = NULL;
  Fixture f;

  fixture_init (&f);
  if (cc->no_point)
    f.input.service_point = NULL;
  for (guint i = 0; i < cc->devices; i++)
    {
      g_autofree char *id = g_strdup_printf ("dev-%u", i);

      add_device (&f, id, "T-100", ENR_DEVICE_STATUS_ACTIVE, NULL);
    }
  add_device (&f, "dev-gone", "T-100", ENR_DEVICE_STATUS_RETURNED, NULL);

  criterion = make_criterion (cc->field, cc->characteristic, cc->op, cc->values, "reason");
  g_assert_cmpint (enr_criterion_evaluate (criterion, &f.input), ==, cc->expected);

  fixture_clear (&f);
}

static void
test_criterion_derive_value (void)
{
  g_autoptr(EnrCriterion) criterion = NULL;
  g_autofree char *count = NULL;
  g_autofree char *status = NULL;
  g_autofree char *life = NULL;
  Fixture f;

  fixture_init (&f);
  add_device (&f, "dev-1", "T-100", ENR_DEVICE_STATUS_ACTIVE, NULL);
  add_device (&f, "dev-2", "T-100", ENR_DEVICE_STATUS_REMOVED, NULL);
  enr_service_point_set_life_support (f.point, TRUE);
  enr_metered_service_set_status (f.service, ENR_METERED_SERVICE_STATUS_PENDING_STOP);

  criterion = make_criterion (ENR_CRITERION_FIELD_DEVICE_COUNT, NULL,
                              ENR_CRITERION_OPERATOR_EXISTS, NULL, "r");
  count = enr_criterion_derive_value (criterion, &f.input);
  g_assert_cmpstr (count, ==, "1");

  enr_criterion_set_field (criterion, ENR_CRITERION_FIELD_METERED_SERVICE_STATUS);
  status = enr_criterion_derive_value (criterion, &f.input);
  g_assert_cmpstr (status, ==, "pending-stop");

  enr_criterion_set_field (criterion, ENR_CRITERION_FIELD_LIFE_SUPPORT);
  life = enr_criterion_derive_value (criterion, &f.input);
  g_assert_cmpstr (life, ==, "true");

  f.input.metered_service = NULL;
  enr_criterion_set_field (criterion, ENR_CRITERION_FIELD_SERVICE_TYPE);
  g_assert_null (enr_criterion_derive_value (criterion, &f.input));

  fixture_clear (&f);
}

/* Outcome mapping: a first criterion yielding TRUE, FALSE or INSUFFICIENT
 * whose matching branch is set to each outcome; the other branches point
 * the other way so a wrong branch shows. A second criterion always fails
 * with "second", and the group is eligible when exhausted. */

typedef struct
{
  const char *name;
  EnrCriterionResult yields;
  EnrCriterionOutcome outcome;
  const char *code;   /* NULL = eligible */
  const char *text;
} OutcomeCase;

static const OutcomeCase outcome_cases[] = {
  { "true-eligible", T, ENR_CRITERION_OUTCOME_ELIGIBLE, NULL, NULL },
  { "true-ineligible", T, ENR_CRITERION_OUTCOME_INELIGIBLE, "criterion", "first" },
  { "true-next", T, ENR_CRITERION_OUTCOME_NEXT, "criterion", "second" },
  { "false-eligible", F, ENR_CRITERION_OUTCOME_ELIGIBLE, NULL, NULL },
  { "false-ineligible", F, ENR_CRITERION_OUTCOME_INELIGIBLE, "criterion", "first" },
  { "false-next", F, ENR_CRITERION_OUTCOME_NEXT, "criterion", "second" },
  { "insufficient-eligible", I, ENR_CRITERION_OUTCOME_ELIGIBLE, NULL, NULL },
  { "insufficient-ineligible", I, ENR_CRITERION_OUTCOME_INELIGIBLE, "criteria-insufficient",
    "first (the customer’s record lacks what this needs)" },
  { "insufficient-next", I, ENR_CRITERION_OUTCOME_NEXT, "criterion", "second" },
};

static void
test_outcome (gconstpointer data)
{
  const OutcomeCase *oc = data;
  g_autoptr(EnrEligibilityResult) result = NULL;
  g_autoptr(EnrCriterion) first = NULL;
  g_autoptr(EnrCriterion) second = NULL;
  EnrCriterionOutcome other;
  EnrCriteriaGroup *group;
  Fixture f;

  fixture_init (&f);
  group = add_group (&f, "Outcomes", ENR_CRITERION_OUTCOME_ELIGIBLE, NULL);

  switch (oc->yields)
    {
    case ENR_CRITERION_RESULT_TRUE:
      first = make_criterion (ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_EQ,
                              (const char * const []) { "R-1", NULL }, "first");
      break;
    case ENR_CRITERION_RESULT_FALSE:
      first = make_criterion (ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_EQ,
                              (const char * const []) { "R-9", NULL }, "first");
      break;
    case ENR_CRITERION_RESULT_INSUFFICIENT:
    default:
      first = make_criterion (ENR_CRITERION_FIELD_CHARACTERISTIC, "basement",
                              ENR_CRITERION_OPERATOR_EQ,
                              (const char * const []) { "yes", NULL }, "first");
      break;
    }
  g_assert_cmpint (enr_criterion_evaluate (first, &f.input), ==, oc->yields);

  other = oc->outcome == ENR_CRITERION_OUTCOME_ELIGIBLE ? ENR_CRITERION_OUTCOME_INELIGIBLE
                                                        : ENR_CRITERION_OUTCOME_ELIGIBLE;
  enr_criterion_set_if_true (first, oc->yields == T ? oc->outcome : other);
  enr_criterion_set_if_false (first, oc->yields == F ? oc->outcome : other);
  enr_criterion_set_if_insufficient (first, oc->yields == I ? oc->outcome : other);

  second = make_criterion (ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_EXISTS,
                           NULL, "second");
  enr_criterion_set_if_true (second, ENR_CRITERION_OUTCOME_INELIGIBLE);

  enr_criteria_group_add_criterion (group, first);
  enr_criteria_group_add_criterion (group, second);

  result = enr_eligibility_evaluate (&f.input);

  if (oc->code == NULL)
    {
      assert_codes (result, (const char * const []) { NULL });
    }
  else
    {
      EnrEligibilityReason *reason;

      assert_codes (result, (const char * const []) { oc->code, NULL });
      reason = g_ptr_array_index (enr_eligibility_result_get_reasons (result), 0);
      g_assert_cmpstr (enr_eligibility_reason_get_text (reason), ==, oc->text);
    }

  fixture_clear (&f);
}

static EnrCriteriaGroup *
add_all_next_group (Fixture             *f,
                    const char          *description,
                    EnrCriterionOutcome  if_exhausted,
                    const char          *reason)
{
  EnrCriteriaGroup *group = add_group (f, description, if_exhausted, reason);
  g_autoptr(EnrCriterion) a = NULL;
  g_autoptr(EnrCriterion) b = NULL;

  a = make_criterion (ENR_CRITERION_FIELD_RATE_CODE, NULL, ENR_CRITERION_OPERATOR_EQ,
                      (const char * const []) { "R-1", NULL }, "a");
  b = make_criterion (ENR_CRITERION_FIELD_CHARACTERISTIC, "basement", ENR_CRITERION_OPERATOR_EQ,
                      (const char * const []) { "yes", NULL }, "b");
  enr_criterion_set_if_true (a, ENR_CRITERION_OUTCOME_NEXT);
  enr_criterion_set_if_insufficient (b, ENR_CRITERION_OUTCOME_NEXT);
  enr_criteria_group_add_criterion (group, a);
  enr_criteria_group_add_criterion (group, b);

  return group;
}

static void
test_group_exhausted (void)
{
  struct {
    EnrCriterionOutcome if_exhausted;
    const char *reason;
    const char *code;
    const char *text;
  } cases[] = {
    { ENR_CRITERION_OUTCOME_ELIGIBLE, "unused", NULL, NULL },
    { ENR_CRITERION_OUTCOME_INELIGIBLE, "No qualifying home", "criteria-exhausted", "No qualifying home" },
    { ENR_CRITERION_OUTCOME_INELIGIBLE, NULL, "criteria-exhausted", "The conditions of “Home” are not met" },
    /* "next" when exhausted decides nothing: not passed. */
    { ENR_CRITERION_OUTCOME_NEXT, "Undecided", "criteria-exhausted", "Undecided" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EnrEligibilityResult) result = NULL;
      Fixture f;

      fixture_init (&f);
      add_all_next_group (&f, "Home", cases[i].if_exhausted, cases[i].reason);
      result = enr_eligibility_evaluate (&f.input);

      if (cases[i].code == NULL)
        {
          assert_codes (result, (const char * const []) { NULL });
        }
      else
        {
          EnrEligibilityReason *reason;

          assert_codes (result, (const char * const []) { cases[i].code, NULL });
          reason = g_ptr_array_index (enr_eligibility_result_get_reasons (result), 0);
          g_assert_cmpstr (enr_eligibility_reason_get_text (reason), ==, cases[i].text);
        }

      fixture_clear (&f);
    }
}

static void
test_empty_group (void)
{
  g_autoptr(EnrEligibilityResult) result = NULL;
  Fixture f;

  fixture_init (&f);
  add_group (&f, "Nothing", ENR_CRITERION_OUTCOME_INELIGIBLE, "Empty group");
  result = enr_eligibility_evaluate (&f.input);
  assert_codes (result, (const char * const []) { "criteria-exhausted", NULL });
  fixture_clear (&f);

  fixture_init (&f);
  f.initiative = enr_initiative_new ();
  f.input.initiative = f.initiative;
  g_clear_object (&result);
  result = enr_eligibility_evaluate (&f.input);
  assert_codes (result, (const char * const []) { NULL });
  fixture_clear (&f);
}

static void
test_all_groups_evaluated (void)
{
  g_autoptr(EnrEligibilityResult) result = NULL;
  g_autoptr(EnrCriterion) pass = NULL;
  g_autofree char *joined = NULL;
  EnrCriteriaGroup *group;
  Fixture f;

  fixture_init (&f);
  add_division_group (&f);
  group = add_group (&f, "Passes", ENR_CRITERION_OUTCOME_INELIGIBLE, "never shown");
  pass = make_criterion (ENR_CRITERION_FIELD_LIFE_SUPPORT, NULL, ENR_CRITERION_OPERATOR_EQ,
                         (const char * const []) { "false", NULL }, "life support");
  enr_criteria_group_add_criterion (group, pass);
  add_all_next_group (&f, "Home", ENR_CRITERION_OUTCOME_INELIGIBLE, "No qualifying home");

  result = enr_eligibility_evaluate (&f.input);
  assert_codes (result, (const char * const []) { "criterion", "criteria-exhausted", NULL });

  joined = enr_eligibility_result_join_reasons (result, NULL);
  g_assert_cmpstr (joined, ==, "Only customers in the south division may join\nNo qualifying home");
  g_assert_true (enr_eligibility_result_has_reason (result, "criteria-exhausted"));
  g_assert_false (enr_eligibility_result_has_reason (result, "rate-not-eligible"));

  fixture_clear (&f);
}

static void
test_criterion_without_reason (void)
{
  g_autoptr(EnrEligibilityResult) result = NULL;
  g_autoptr(EnrCriterion) criterion = NULL;
  EnrCriteriaGroup *group;
  EnrEligibilityReason *reason;
  Fixture f;

  fixture_init (&f);
  group = add_group (&f, "Size", ENR_CRITERION_OUTCOME_ELIGIBLE, NULL);
  criterion = make_criterion (ENR_CRITERION_FIELD_CHARACTERISTIC, "sqft", ENR_CRITERION_OPERATOR_LT,
                              (const char * const []) { "900", NULL }, NULL);
  enr_criteria_group_add_criterion (group, criterion);

  result = enr_eligibility_evaluate (&f.input);
  assert_codes (result, (const char * const []) { "criterion", NULL });
  reason = g_ptr_array_index (enr_eligibility_result_get_reasons (result), 0);
  g_assert_cmpstr (enr_eligibility_reason_get_text (reason), ==,
                   "The customer does not meet the program’s condition on sqft");

  fixture_clear (&f);
}

static void
test_result_codec (void)
{
  g_autoptr(EnrEligibilityResult) result = NULL;
  g_autoptr(EnrEligibilityResult) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *joined = NULL;
  Fixture f;

  fixture_init (&f);
  setup_everything_wrong (&f);
  result = enr_eligibility_evaluate (&f.input);
  fixture_clear (&f);

  json = enr_codec_encode_string (result);
  g_assert_nonnull (strstr (json, "\"eligible\":false"));
  g_assert_nonnull (strstr (json, "\"code\":\"rate-not-eligible\""));

  decoded = enr_codec_decode_data (ENR_TYPE_ELIGIBILITY_RESULT, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (enr_codec_equal (result, decoded));
  g_assert_false (enr_eligibility_result_is_eligible (decoded));
  g_assert_cmpuint (enr_eligibility_result_get_reasons (decoded)->len, ==, 12);

  g_clear_object (&decoded);
  decoded = enr_codec_decode_data (ENR_TYPE_ELIGIBILITY_RESULT,
                                   "{\"eligible\":true,\"reasons\":[]}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (enr_eligibility_result_is_eligible (decoded));
  joined = enr_eligibility_result_join_reasons (decoded, ", ");
  g_assert_cmpstr (joined, ==, "");
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_result_add_reason (void)
{
  g_autoptr(EnrEligibilityResult) result = enr_eligibility_result_new ();
  guint eligible_notified = 0;
  guint reasons_notified = 0;

  g_signal_connect (result, "notify::eligible", G_CALLBACK (count_notify), &eligible_notified);
  g_signal_connect (result, "notify::reasons", G_CALLBACK (count_notify), &reasons_notified);

  g_assert_true (enr_eligibility_result_is_eligible (result));
  g_assert_cmpuint (enr_eligibility_result_get_reasons (result)->len, ==, 0);

  enr_eligibility_result_add_reason (result, "criterion", "one");
  enr_eligibility_result_add_reason (result, "criterion", "two");
  g_assert_false (enr_eligibility_result_is_eligible (result));
  g_assert_cmpuint (enr_eligibility_result_get_reasons (result)->len, ==, 2);
  g_assert_cmpuint (eligible_notified, ==, 1);
  g_assert_cmpuint (reasons_notified, ==, 2);

  enr_eligibility_result_set_eligible (result, FALSE);
  g_assert_cmpuint (eligible_notified, ==, 1);

  enr_eligibility_result_set_reasons (result, NULL);
  g_assert_cmpuint (enr_eligibility_result_get_reasons (result)->len, ==, 0);
  g_assert_false (enr_eligibility_result_is_eligible (result));
  g_assert_cmpuint (reasons_notified, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rule_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/eligibility/rule/%s", rule_cases[i].name);

      g_test_add_data_func (path, &rule_cases[i], test_rule);
    }

  for (guint i = 0; i < G_N_ELEMENTS (criterion_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/eligibility/criterion/%s", criterion_cases[i].name);

      g_test_add_data_func (path, &criterion_cases[i], test_criterion);
    }

  for (guint i = 0; i < G_N_ELEMENTS (outcome_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/eligibility/outcome/%s", outcome_cases[i].name);

      g_test_add_data_func (path, &outcome_cases[i], test_outcome);
    }

  g_test_add_func ("/eligibility/criterion/derive-value", test_criterion_derive_value);
  g_test_add_func ("/eligibility/criterion/without-reason", test_criterion_without_reason);
  g_test_add_func ("/eligibility/group/exhausted", test_group_exhausted);
  g_test_add_func ("/eligibility/group/empty", test_empty_group);
  g_test_add_func ("/eligibility/group/all-evaluated", test_all_groups_evaluated);
  g_test_add_func ("/eligibility/result/codec", test_result_codec);
  g_test_add_func ("/eligibility/result/add-reason", test_result_add_reason);

  return g_test_run ();
}

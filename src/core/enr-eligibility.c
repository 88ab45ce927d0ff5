/* enr-eligibility.c — the eligibility rules and the criteria of initiatives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>

#include <glib/gi18n-lib.h>

#include "enr-eligibility.h"
#include "enr-enum-labels.h"
#include "enr-enum-types.h"
#include "enr-question.h"

static gboolean
is_set (const char *text)
{
  return text != NULL && text[0] != '\0';
}

static gboolean
strv_is_empty (const char * const *strv)
{
  return strv == NULL || strv[0] == NULL;
}

static gboolean
strv_has (const char * const *strv,
          const char          *text)
{
  if (strv == NULL || text == NULL)
    return FALSE;

  for (guint i = 0; strv[i] != NULL; i++)
    if (g_str_equal (strv[i], text))
      return TRUE;

  return FALSE;
}

static char *
strv_join (const char * const *strv)
{
  if (strv == NULL)
    return g_strdup ("");

  return g_strjoinv (", ", (char **) strv);
}

/* A date as the client shows every date, not an ISO date. */
static char *
format_date (const GDate *date)
{
  char *label = enr_date_label (date);

  return label != NULL ? label : g_strdup ("?");
}

static char *
format_date_time (GDateTime *date_time)
{
  GDate date;

  if (date_time == NULL)
    return NULL;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (date_time),
                  g_date_time_get_month (date_time), g_date_time_get_year (date_time));
  return format_date (&date);
}

/* An answer's value as the clerk saw it: yes/no as words, a choice as
 * itself. */
static const char *
answer_label (const char *value)
{
  if (g_ascii_strcasecmp (value, "yes") == 0)
    return _("Yes");
  if (g_ascii_strcasecmp (value, "no") == 0)
    return _("No");

  return value;
}

/* "“Yes”", "“Own” or “Rent”" */
static char *
quote_answers (const char * const *values)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      if (i > 0)
        /* Translators: between two accepted answers, e.g. "“Own” or “Rent”" */
        g_string_append (text, _(" or "));
      g_string_append_printf (text, "“%s”", answer_label (values[i]));
    }

  return g_string_free (text, FALSE);
}

static gboolean
date_is_set (const GDate *date)
{
  return date != NULL && g_date_valid (date);
}

static const char *
program_label (EnrProgram *program)
{
  const char *name = enr_program_get_name (program);

  if (is_set (name))
    return name;
  if (is_set (enr_program_get_code (program)))
    return enr_program_get_code (program);

  return enr_entity_get_id (ENR_ENTITY (program));
}

/* What a clerk may say about a program that takes no enrollments. */
static char *
program_not_active_text (EnrProgram       *program,
                         EnrProgramStatus  status)
{
  switch (status)
    {
    case ENR_PROGRAM_STATUS_PENDING:
      return g_strdup_printf (_("%s does not take enrollments yet"), program_label (program));
    case ENR_PROGRAM_STATUS_CLOSED:
      return g_strdup_printf (_("%s is closed and takes no enrollments"), program_label (program));
    case ENR_PROGRAM_STATUS_INACTIVE:
    default:
      return g_strdup_printf (_("%s no longer takes enrollments"), program_label (program));
    }
}

/* A criterion's field in words, for a criterion without a text of its own. */
static const char *
criterion_field_label (EnrCriterion *criterion)
{
  switch (enr_criterion_get_field (criterion))
    {
    case ENR_CRITERION_FIELD_RATE_CODE:
      return _("the rate plan");
    case ENR_CRITERION_FIELD_DIVISION:
      return _("the service area");
    case ENR_CRITERION_FIELD_PREMISE_ID:
      return _("the premise");
    case ENR_CRITERION_FIELD_LIFE_SUPPORT:
      return _("the life-support register");
    case ENR_CRITERION_FIELD_DEVICE_COUNT:
      return _("the number of devices");
    case ENR_CRITERION_FIELD_SERVICE_TYPE:
      return _("the type of service");
    case ENR_CRITERION_FIELD_METERED_SERVICE_STATUS:
      return _("the status of the service");
    case ENR_CRITERION_FIELD_CHARACTERISTIC:
    default:
      return is_set (enr_criterion_get_characteristic (criterion))
             ? enr_criterion_get_characteristic (criterion)
             : _("the customer’s record");
    }
}

/* Criteria */

static gboolean
parse_number (const char *text,
              double     *number)
{
  char *end = NULL;
  double value;

  if (text == NULL || text[0] == '\0' || g_ascii_isspace (text[0]))
    return FALSE;

  errno = 0;
  value = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0' || errno == ERANGE || !isfinite (value))
    return FALSE;

  *number = value;
  return TRUE;
}

static guint
count_present_devices (GPtrArray *devices)
{
  guint count = 0;

  if (devices == NULL)
    return 0;

  for (guint i = 0; i < devices->len; i++)
    {
      EnrDevice *device = g_ptr_array_index (devices, i);
      EnrDeviceStatus status = enr_device_get_status (device);

      if (status != ENR_DEVICE_STATUS_REMOVED && status != ENR_DEVICE_STATUS_RETURNED)
        count++;
    }

  return count;
}

/**
 * enr_criterion_derive_value:
 *
 * The value a criterion compares, derived from the customer's data:
 * rate-code, division, premise-id and characteristic[key] from the service
 * point; life-support as "true"/"false"; device-count as the number of
 * devices at the customer's locations not removed or returned; service-type
 * and metered-service-status as the metered service's code.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when absent
 */
char *
enr_criterion_derive_value (EnrCriterion              *criterion,
                            const EnrEligibilityInput *input)
{
  EnrServicePoint *point;
  EnrMeteredService *service;
  const char *text = NULL;

  g_return_val_if_fail (ENR_IS_CRITERION (criterion), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  point = input->service_point;
  service = input->metered_service;

  switch (enr_criterion_get_field (criterion))
    {
    case ENR_CRITERION_FIELD_RATE_CODE:
      if (point != NULL)
        text = enr_service_point_get_rate_code (point);
      break;

    case ENR_CRITERION_FIELD_DIVISION:
      if (point != NULL)
        text = enr_service_point_get_division (point);
      break;

    case ENR_CRITERION_FIELD_PREMISE_ID:
      if (point != NULL)
        text = enr_service_point_get_premise_id (point);
      break;

    case ENR_CRITERION_FIELD_LIFE_SUPPORT:
      if (point != NULL)
        text = enr_service_point_get_life_support (point) ? "true" : "false";
      break;

    case ENR_CRITERION_FIELD_CHARACTERISTIC:
      {
        const char *key = enr_criterion_get_characteristic (criterion);
        GHashTable *characteristics;

        if (point == NULL || !is_set (key))
          break;

        characteristics = enr_service_point_get_characteristics (point);
        if (characteristics != NULL)
          text = g_hash_table_lookup (characteristics, key);
      }
      break;

    case ENR_CRITERION_FIELD_DEVICE_COUNT:
      return g_strdup_printf ("%u", count_present_devices (input->devices));

    case ENR_CRITERION_FIELD_SERVICE_TYPE:
      if (service != NULL)
        text = enr_enum_to_nick (ENR_TYPE_SERVICE_TYPE,
                                 enr_metered_service_get_service_type (service));
      break;

    case ENR_CRITERION_FIELD_METERED_SERVICE_STATUS:
      if (service != NULL)
        text = enr_enum_to_nick (ENR_TYPE_METERED_SERVICE_STATUS,
                                 enr_metered_service_get_status (service));
      break;

    default:
      break;
    }

  return is_set (text) ? g_strdup (text) : NULL;
}

static EnrCriterionResult
from_boolean (gboolean value)
{
  return value ? ENR_CRITERION_RESULT_TRUE : ENR_CRITERION_RESULT_FALSE;
}

static EnrCriterionResult
compare_ordered (EnrCriterionOperator  op,
                 const char           *value,
                 const char           *operand)
{
  double operand_number;
  double value_number;
  int cmp;

  if (parse_number (operand, &operand_number))
    {
      /* A numeric limit on a value that is not a number tells nothing. */
      if (!parse_number (value, &value_number))
        return ENR_CRITERION_RESULT_INSUFFICIENT;

      cmp = (value_number > operand_number) - (value_number < operand_number);
    }
  else
    {
      cmp = g_utf8_collate (value, operand);
    }

  switch (op)
    {
    case ENR_CRITERION_OPERATOR_LT:
      return from_boolean (cmp < 0);
    case ENR_CRITERION_OPERATOR_LE:
      return from_boolean (cmp <= 0);
    case ENR_CRITERION_OPERATOR_GT:
      return from_boolean (cmp > 0);
    case ENR_CRITERION_OPERATOR_GE:
      return from_boolean (cmp >= 0);
    default:
      g_return_val_if_reached (ENR_CRITERION_RESULT_INSUFFICIENT);
    }
}

/**
 * enr_criterion_evaluate:
 *
 * Compares the criterion's derived value (see enr_criterion_derive_value())
 * with its values: eq/ne with values[0] (exact text); in/not-in with the
 * set; lt/le/gt/ge numerically when values[0] is a number (a derived value
 * that is not a number is then insufficient), else by collation; exists is
 * TRUE when the value is present. Every operator but exists yields
 * INSUFFICIENT when the value is absent, and eq/ne/lt/le/gt/ge when the
 * criterion lists no value to compare with.
 */
EnrCriterionResult
enr_criterion_evaluate (EnrCriterion              *criterion,
                        const EnrEligibilityInput *input)
{
  g_autofree char *value = NULL;
  const char * const *values;
  EnrCriterionOperator op;

  g_return_val_if_fail (ENR_IS_CRITERION (criterion), ENR_CRITERION_RESULT_INSUFFICIENT);
  g_return_val_if_fail (input != NULL, ENR_CRITERION_RESULT_INSUFFICIENT);

  value = enr_criterion_derive_value (criterion, input);
  op = enr_criterion_get_operator (criterion);
  values = enr_criterion_get_values (criterion);

  if (op == ENR_CRITERION_OPERATOR_EXISTS)
    return from_boolean (value != NULL);

  if (value == NULL)
    return ENR_CRITERION_RESULT_INSUFFICIENT;

  switch (op)
    {
    case ENR_CRITERION_OPERATOR_IN:
      return from_boolean (strv_has (values, value));

    case ENR_CRITERION_OPERATOR_NOT_IN:
      return from_boolean (!strv_has (values, value));

    case ENR_CRITERION_OPERATOR_EQ:
    case ENR_CRITERION_OPERATOR_NE:
    case ENR_CRITERION_OPERATOR_LT:
    case ENR_CRITERION_OPERATOR_LE:
    case ENR_CRITERION_OPERATOR_GT:
    case ENR_CRITERION_OPERATOR_GE:
      if (strv_is_empty (values))
        return ENR_CRITERION_RESULT_INSUFFICIENT;
      if (op == ENR_CRITERION_OPERATOR_EQ)
        return from_boolean (g_str_equal (value, values[0]));
      if (op == ENR_CRITERION_OPERATOR_NE)
        return from_boolean (!g_str_equal (value, values[0]));
      return compare_ordered (op, value, values[0]);

    case ENR_CRITERION_OPERATOR_EXISTS:
    default:
      return ENR_CRITERION_RESULT_INSUFFICIENT;
    }
}

static char *
criterion_reason (EnrCriterion *criterion)
{
  const char *reason = enr_criterion_get_reason (criterion);

  if (is_set (reason))
    return g_strdup (reason);

  /* Translators: a program rule without a text of its own; %s is what it
   * looks at, e.g. "the rate plan" or a characteristic of the premise */
  return g_strdup_printf (_("The customer does not meet the program’s condition on %s"),
                          criterion_field_label (criterion));
}

static gboolean
evaluate_group (EnrCriteriaGroup          *group,
                const EnrEligibilityInput *input,
                EnrEligibilityResult      *result)
{
  GPtrArray *criteria = enr_criteria_group_get_criteria (group);
  EnrCriterionOutcome exhausted;
  const char *reason;

  for (guint i = 0; criteria != NULL && i < criteria->len; i++)
    {
      EnrCriterion *criterion = g_ptr_array_index (criteria, i);
      EnrCriterionResult outcome_of = enr_criterion_evaluate (criterion, input);
      EnrCriterionOutcome outcome;

      switch (outcome_of)
        {
        case ENR_CRITERION_RESULT_TRUE:
          outcome = enr_criterion_get_if_true (criterion);
          break;
        case ENR_CRITERION_RESULT_FALSE:
          outcome = enr_criterion_get_if_false (criterion);
          break;
        case ENR_CRITERION_RESULT_INSUFFICIENT:
        default:
          outcome = enr_criterion_get_if_insufficient (criterion);
          break;
        }

      if (outcome == ENR_CRITERION_OUTCOME_ELIGIBLE)
        return TRUE;

      if (outcome == ENR_CRITERION_OUTCOME_INELIGIBLE)
        {
          g_autofree char *text = criterion_reason (criterion);

          if (outcome_of == ENR_CRITERION_RESULT_INSUFFICIENT)
            {
              g_autofree char *prefixed = NULL;

              /* Translators: %s is the program's own text for a rule */
              prefixed = g_strdup_printf (_("%s (the customer’s record lacks what this needs)"), text);
              enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_CRITERIA_INSUFFICIENT,
                                                 prefixed);
            }
          else
            {
              enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_CRITERION, text);
            }

          return FALSE;
        }
    }

  /* Every criterion said "next". A group configured to say "next" here too
   * has not decided anything: treat it as not passed rather than let every
   * customer through a misconfigured rule. */
  exhausted = enr_criteria_group_get_if_exhausted (group);
  if (exhausted == ENR_CRITERION_OUTCOME_ELIGIBLE)
    return TRUE;

  reason = enr_criteria_group_get_reason (group);
  if (is_set (reason))
    {
      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_CRITERIA_EXHAUSTED, reason);
    }
  else
    {
      const char *description = enr_criteria_group_get_description (group);
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("The conditions of “%s” are not met"),
                              description != NULL ? description : "");
      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_CRITERIA_EXHAUSTED, text);
    }

  return FALSE;
}

/* Rules */

static void
check_program (const EnrEligibilityInput *input,
               const GDate               *start_date,
               EnrEligibilityResult      *result)
{
  EnrProgram *program = input->program;
  EnrProgramStatus status = enr_program_get_status (program);
  const GDate *program_start = enr_program_get_start_date (program);
  const GDate *program_end = enr_program_get_end_date (program);

  if (status != ENR_PROGRAM_STATUS_ACTIVE)
    {
      g_autofree char *text = program_not_active_text (program, status);

      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_PROGRAM_INACTIVE, text);
    }

  if (enr_program_get_suspended (program))
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("%s is suspended and takes no enrollments for now"), program_label (program));
      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_PROGRAM_SUSPENDED, text);
    }

  if (date_is_set (program_start) && g_date_compare (start_date, program_start) < 0)
    {
      g_autofree char *date = format_date (start_date);
      g_autofree char *begin = format_date (program_start);
      g_autofree char *text = NULL;

      /* Translators: "The start date, Mon, 1 Jun 2026, is before Smart
       * Thermostat Rewards starts on Wed, 1 Jul 2026" */
      text = g_strdup_printf (_("The start date, %s, is before %s starts on %s"),
                              date, program_label (program), begin);
      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_BEFORE_PROGRAM_START, text);
    }

  if (date_is_set (program_end) && g_date_compare (start_date, program_end) > 0)
    {
      g_autofree char *date = format_date (start_date);
      g_autofree char *end = format_date (program_end);
      g_autofree char *text = NULL;

      /* Translators: "The start date, Mon, 1 Jun 2026, is after Smart
       * Thermostat Rewards ends on Sun, 31 May 2026" */
      text = g_strdup_printf (_("The start date, %s, is after %s ends on %s"),
                              date, program_label (program), end);
      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_AFTER_PROGRAM_END, text);
    }
}

static gboolean
subscription_is_open (EnrProgramSubscription *subscription,
                      const GDate            *start_date)
{
  EnrSubscriptionStatus status = enr_program_subscription_get_status (subscription);
  const GDate *end = enr_program_subscription_get_end_date (subscription);

  if (status != ENR_SUBSCRIPTION_STATUS_ACTIVE && status != ENR_SUBSCRIPTION_STATUS_PENDING)
    return FALSE;

  return !date_is_set (end) || g_date_compare (end, start_date) >= 0;
}

static gboolean
task_is_open (EnrServiceTask *task)
{
  EnrTaskStatus status = enr_service_task_get_status (task);

  return status != ENR_TASK_STATUS_COMPLETED && status != ENR_TASK_STATUS_CANCELED;
}

static void
check_not_enrolled (const EnrEligibilityInput *input,
                    const GDate               *start_date,
                    EnrEligibilityResult      *result)
{
  const char *program_id = enr_entity_get_id (ENR_ENTITY (input->program));

  for (guint i = 0; input->subscriptions != NULL && i < input->subscriptions->len; i++)
    {
      EnrProgramSubscription *subscription = g_ptr_array_index (input->subscriptions, i);
      g_autofree char *since = NULL;
      g_autofree char *text = NULL;

      if (g_strcmp0 (enr_program_subscription_get_program_id (subscription), program_id) != 0 ||
          !subscription_is_open (subscription, start_date))
        continue;

      since = format_date (enr_program_subscription_get_start_date (subscription));
      text = g_strdup_printf (_("The customer is already enrolled in %s, since %s"),
                              program_label (input->program), since);
      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_ALREADY_ENROLLED, text);
      break;
    }

  for (guint i = 0; input->open_tasks != NULL && i < input->open_tasks->len; i++)
    {
      EnrServiceTask *task = g_ptr_array_index (input->open_tasks, i);
      const char *task_id = enr_entity_get_id (ENR_ENTITY (task));
      g_autofree char *started = NULL;
      g_autofree char *text = NULL;

      if (enr_service_task_get_kind (task) != ENR_TASK_KIND_ENROLLMENT ||
          g_strcmp0 (enr_service_task_get_program_id (task), program_id) != 0 ||
          !task_is_open (task) ||
          (input->current_task_id != NULL && g_strcmp0 (task_id, input->current_task_id) == 0))
        continue;

      started = format_date_time (enr_service_task_get_created_at (task));
      if (started != NULL)
        text = g_strdup_printf (_("An enrollment in %s is already in progress for the customer, started on %s"),
                                program_label (input->program), started);
      else
        text = g_strdup_printf (_("An enrollment in %s is already in progress for the customer"),
                                program_label (input->program));
      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_ENROLLMENT_IN_PROGRESS, text);
      break;
    }
}

static EnrProgram *
find_program (GPtrArray  *programs,
              const char *program_id)
{
  for (guint i = 0; programs != NULL && i < programs->len; i++)
    {
      EnrProgram *program = g_ptr_array_index (programs, i);

      if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (program)), program_id) == 0)
        return program;
    }

  return NULL;
}

/* The exclusion of @program that names @other (by id, or by its type when
 * @other is known), or NULL. */
static EnrProgramExclusion *
exclusion_naming (EnrProgram *program,
                  EnrProgram *other,
                  const char *other_id)
{
  GPtrArray *exclusions = enr_program_get_exclusions (program);

  for (guint i = 0; exclusions != NULL && i < exclusions->len; i++)
    {
      EnrProgramExclusion *exclusion = g_ptr_array_index (exclusions, i);
      const char *type_id = enr_program_exclusion_get_program_type_id (exclusion);

      if (g_strcmp0 (enr_program_exclusion_get_program_id (exclusion), other_id) == 0)
        return exclusion;
      if (other != NULL && is_set (type_id) &&
          g_strcmp0 (type_id, enr_program_get_program_type_id (other)) == 0)
        return exclusion;
    }

  return NULL;
}

/* Either program's exclusion of the other: an exclusion holds both ways. */
static EnrProgramExclusion *
find_exclusion (const EnrEligibilityInput  *input,
                const char                 *other_id,
                EnrProgram                **other)
{
  const char *program_id = enr_entity_get_id (ENR_ENTITY (input->program));
  EnrProgramExclusion *exclusion;

  *other = NULL;
  if (!is_set (other_id) || g_strcmp0 (other_id, program_id) == 0)
    return NULL;

  *other = find_program (input->programs, other_id);
  exclusion = exclusion_naming (input->program, *other, other_id);
  if (exclusion == NULL && *other != NULL)
    exclusion = exclusion_naming (*other, input->program, program_id);

  return exclusion;
}

static void
add_exclusion_reason (const EnrEligibilityInput *input,
                      EnrProgramExclusion       *exclusion,
                      EnrProgram                *other,
                      const char                *other_id,
                      gboolean                   in_progress,
                      EnrEligibilityResult      *result)
{
  const char *reason = enr_program_exclusion_get_reason (exclusion);
  const char *other_label = other != NULL ? program_label (other) : other_id;
  g_autofree char *text = NULL;

  if (is_set (reason) && !in_progress)
    /* Translators: the second %s is the program's own clause, e.g. "The
     * customer is already enrolled in Water Heater Load Control, which
     * controls the same water heater" */
    text = g_strdup_printf (_("The customer is already enrolled in %s, %s"), other_label, reason);
  else if (is_set (reason))
    /* Translators: the second %s is the program's own clause, e.g. "The
     * customer is already enrolling in Water Heater Load Control, which
     * controls the same water heater" */
    text = g_strdup_printf (_("The customer is already enrolling in %s, %s"), other_label, reason);
  else if (!in_progress)
    /* Translators: "The customer is already enrolled in Peak Savers Control
     * Group, which cannot be combined with Time-of-Use Pilot" */
    text = g_strdup_printf (_("The customer is already enrolled in %s, which cannot be combined with %s"),
                            other_label, program_label (input->program));
  else
    text = g_strdup_printf (_("The customer is already enrolling in %s, which cannot be combined with %s"),
                            other_label, program_label (input->program));

  enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_EXCLUDED_PROGRAM, text);
}

/* Rule 7: no open subscription to (or open enrollment in) a program this
 * one excludes, or that excludes this one; one reason per such program. */
static void
check_exclusions (const EnrEligibilityInput *input,
                  const GDate               *start_date,
                  EnrEligibilityResult      *result)
{
  g_autoptr(GHashTable) reported = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; input->subscriptions != NULL && i < input->subscriptions->len; i++)
    {
      EnrProgramSubscription *subscription = g_ptr_array_index (input->subscriptions, i);
      const char *other_id = enr_program_subscription_get_program_id (subscription);
      EnrProgramExclusion *exclusion;
      EnrProgram *other;

      if (!subscription_is_open (subscription, start_date) ||
          other_id == NULL || g_hash_table_contains (reported, other_id))
        continue;

      exclusion = find_exclusion (input, other_id, &other);
      if (exclusion == NULL)
        continue;

      g_hash_table_add (reported, (gpointer) other_id);
      add_exclusion_reason (input, exclusion, other, other_id, FALSE, result);
    }

  for (guint i = 0; input->open_tasks != NULL && i < input->open_tasks->len; i++)
    {
      EnrServiceTask *task = g_ptr_array_index (input->open_tasks, i);
      const char *other_id = enr_service_task_get_program_id (task);
      EnrProgramExclusion *exclusion;
      EnrProgram *other;

      if (enr_service_task_get_kind (task) != ENR_TASK_KIND_ENROLLMENT || !task_is_open (task) ||
          (input->current_task_id != NULL &&
           g_strcmp0 (enr_entity_get_id (ENR_ENTITY (task)), input->current_task_id) == 0) ||
          other_id == NULL || g_hash_table_contains (reported, other_id))
        continue;

      exclusion = find_exclusion (input, other_id, &other);
      if (exclusion == NULL)
        continue;

      g_hash_table_add (reported, (gpointer) other_id);
      add_exclusion_reason (input, exclusion, other, other_id, TRUE, result);
    }
}

/* Rule 8: the program's limit of enrollments per premise, counting the
 * open subscriptions of the other accounts at the customer's premise. */
static void
check_premise_limit (const EnrEligibilityInput *input,
                     const GDate               *start_date,
                     EnrEligibilityResult      *result)
{
  int limit = enr_program_get_premise_limit (input->program);
  const char *program_id = enr_entity_get_id (ENR_ENTITY (input->program));
  const char *customer_id = NULL;
  g_autofree char *text = NULL;
  int count = 0;

  if (limit <= 0 || input->premise_subscriptions == NULL)
    return;

  if (input->metered_service != NULL)
    customer_id = enr_metered_service_get_customer_id (input->metered_service);
  else if (input->customer != NULL)
    customer_id = enr_entity_get_id (ENR_ENTITY (input->customer));

  for (guint i = 0; i < input->premise_subscriptions->len; i++)
    {
      EnrProgramSubscription *subscription = g_ptr_array_index (input->premise_subscriptions, i);

      if (g_strcmp0 (enr_program_subscription_get_program_id (subscription), program_id) != 0 ||
          (customer_id != NULL &&
           g_strcmp0 (enr_program_subscription_get_customer_id (subscription), customer_id) == 0) ||
          !subscription_is_open (subscription, start_date))
        continue;

      count++;
    }

  if (count < limit)
    return;

  if (limit == 1)
    text = g_strdup_printf (_("%s is limited to one enrollment per household, and another account at the same premise is enrolled already"),
                            program_label (input->program));
  else
    text = g_strdup_printf (_("%s is limited to %d enrollments per household, and other accounts at the same premise have that many already"),
                            program_label (input->program), limit);
  enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_PREMISE_LIMIT, text);
}

static void
check_division_and_rate (const EnrEligibilityInput *input,
                         EnrEligibilityResult      *result)
{
  EnrProgram *program = input->program;
  const char *division = enr_program_get_division (program);
  const char * const *rates = enr_program_get_rate_codes (program);
  EnrServicePoint *point = input->service_point;
  const char *point_division = point != NULL ? enr_service_point_get_division (point) : NULL;
  const char *rate = point != NULL ? enr_service_point_get_rate_code (point) : NULL;

  if (is_set (division) && g_strcmp0 (division, point_division) != 0)
    {
      g_autofree char *text = NULL;

      if (is_set (point_division))
        text = g_strdup_printf (_("%s is not offered in the customer’s part of the service area"),
                                program_label (program));
      else
        text = g_strdup_printf (_("%s is offered in one part of the service area only, and the customer’s part is not recorded"),
                                program_label (program));
      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_DIVISION_NOT_SERVED, text);
    }

  if (strv_is_empty (rates))
    return;

  if (!is_set (rate))
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("%s is for some rate plans only, and the customer’s rate plan is not recorded"),
                              program_label (program));
      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_RATE_NOT_ELIGIBLE, text);
    }
  else if (!strv_has (rates, rate))
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("%s is not available on the customer’s rate plan"), program_label (program));
      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_RATE_NOT_ELIGIBLE, text);
    }
}

static gboolean
device_is_free (EnrDevice                 *device,
                const EnrEligibilityInput *input)
{
  const char *subscription_id = enr_device_get_subscription_id (device);

  if (!is_set (subscription_id))
    return TRUE;

  /* Linked to a subscription: free only when that one is known to be over. */
  for (guint i = 0; input->subscriptions != NULL && i < input->subscriptions->len; i++)
    {
      EnrProgramSubscription *subscription = g_ptr_array_index (input->subscriptions, i);

      if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (subscription)), subscription_id) == 0)
        return enr_program_subscription_get_status (subscription) == ENR_SUBSCRIPTION_STATUS_ENDED;
    }

  return FALSE;
}

static void
check_device (const EnrEligibilityInput *input,
              EnrEligibilityResult      *result)
{
  const char * const *specifications;
  g_autofree char *text = NULL;
  guint accepted = 0;

  if (input->program_type == NULL || !enr_program_type_get_device_required (input->program_type))
    return;

  if (input->installation_method == ENR_INSTALLATION_METHOD_SHIP_DEVICE ||
      input->installation_method == ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION)
    return;

  specifications = enr_program_get_device_specifications (input->program);

  for (guint i = 0; input->devices != NULL && i < input->devices->len; i++)
    {
      EnrDevice *device = g_ptr_array_index (input->devices, i);
      EnrDeviceStatus status = enr_device_get_status (device);

      if (status == ENR_DEVICE_STATUS_REMOVED || status == ENR_DEVICE_STATUS_RETURNED)
        continue;
      if (!strv_is_empty (specifications) &&
          !strv_has (specifications, enr_device_get_specification (device)))
        continue;

      accepted++;
      if (device_is_free (device, input))
        return;
    }

  if (strv_is_empty (specifications))
    {
      if (accepted > 0)
        text = g_strdup_printf (_("%s needs a device: every device of the customer is already in a program, and no device will be shipped or installed"),
                                program_label (input->program));
      else
        text = g_strdup_printf (_("%s needs a device: the customer has none, and no device will be shipped or installed"),
                                program_label (input->program));
    }
  else
    {
      g_autofree char *list = strv_join (specifications);

      /* Translators: the last %s lists device models, e.g. "ECOBEE-SMART-3, NEST-LEARN-3" */
      if (accepted > 0)
        text = g_strdup_printf (_("%s needs a device of one of these models: %s; every such device of the customer is already in a program, and no device will be shipped or installed"),
                                program_label (input->program), list);
      else
        text = g_strdup_printf (_("%s needs a device of one of these models: %s; the customer has none, and no device will be shipped or installed"),
                                program_label (input->program), list);
    }

  enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_NO_ACCEPTED_DEVICE, text);
}

static void
check_initiative (const EnrEligibilityInput *input,
                  EnrEligibilityResult      *result)
{
  GPtrArray *groups;

  if (input->initiative == NULL)
    return;

  groups = enr_initiative_get_groups (input->initiative);

  for (guint i = 0; groups != NULL && i < groups->len; i++)
    evaluate_group (g_ptr_array_index (groups, i), input, result);
}

static EnrAnswer *
find_answer (GPtrArray  *answers,
             const char *question_id)
{
  for (guint i = 0; answers != NULL && i < answers->len; i++)
    {
      EnrAnswer *answer = g_ptr_array_index (answers, i);

      if (g_strcmp0 (enr_answer_get_question_id (answer), question_id) == 0)
        return answer;
    }

  return NULL;
}

static gboolean
answer_is_empty (EnrAnswer *answer)
{
  const char * const *values;

  if (answer == NULL)
    return TRUE;

  values = enr_answer_get_values (answer);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (is_set (values[i]))
      return FALSE;

  return TRUE;
}

static gint
compare_questions (gconstpointer a,
                   gconstpointer b)
{
  EnrQuestion *qa = *(EnrQuestion **) a;
  EnrQuestion *qb = *(EnrQuestion **) b;

  return enr_question_get_position (qa) - enr_question_get_position (qb);
}

static void
check_answers (const EnrEligibilityInput *input,
               EnrEligibilityResult      *result)
{
  GPtrArray *questions = enr_program_get_questions (input->program);
  g_autoptr(GPtrArray) sorted = NULL;

  if (questions == NULL)
    return;

  /* Borrowed pointers: g_ptr_array_copy() would take the free function. */
  sorted = g_ptr_array_sized_new (questions->len);
  for (guint i = 0; i < questions->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (questions, i));
  g_ptr_array_sort (sorted, compare_questions);

  for (guint i = 0; i < sorted->len; i++)
    {
      EnrQuestion *question = g_ptr_array_index (sorted, i);
      const char *question_id = enr_entity_get_id (ENR_ENTITY (question));
      const char * const *expected = enr_question_get_expected_answers (question);
      EnrAnswer *answer;
      const char * const *values;

      if (enr_question_get_kind (question) != ENR_QUESTION_KIND_QUALIFICATION)
        continue;

      answer = find_answer (input->answers, question_id);

      if (answer_is_empty (answer))
        {
          if (enr_question_get_required (question))
            {
              g_autofree char *text = NULL;

              text = g_strdup_printf (_("The question “%s” is not answered"),
                                      enr_question_get_text (question));
              enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_QUALIFICATION_UNANSWERED, text);
            }
          continue;
        }

      if (strv_is_empty (expected))
        continue;

      values = enr_answer_get_values (answer);
      for (guint j = 0; values[j] != NULL; j++)
        {
          g_autofree char *expected_text = NULL;
          g_autofree char *text = NULL;

          if (!is_set (values[j]) || strv_has (expected, values[j]))
            continue;

          expected_text = quote_answers (expected);
          /* Translators: "Smart Thermostat Rewards needs the answer “Yes”
           * to “Do you have central air conditioning?”, not “No”" */
          text = g_strdup_printf (_("%s needs the answer %s to “%s”, not “%s”"),
                                  program_label (input->program), expected_text,
                                  enr_question_get_text (question), answer_label (values[j]));
          enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_QUALIFICATION_ANSWER, text);
          break;
        }
    }
}

/**
 * enr_eligibility_evaluate:
 * @input: the context; see #EnrEligibilityInput
 *
 * Evaluates every rule, in this order, and collects every failing reason:
 * 1. program active, not suspended, start date within its dates;
 * 2. no open subscription to the program (active or pending, ending on or
 *    after the start date) and no other open enrollment task for it;
 * 3. the program's division (when set) and rates (when listed) match the
 *    service point;
 * 4. device programs: a device of an accepted specification that is not
 *    enrolled elsewhere, or one will be shipped or installed;
 * 5. every criteria group of the initiative passes;
 * 6. with @input->check_answers: qualification answers;
 * 7. no open subscription to (or enrollment in progress in) a program that
 *    this one excludes or that excludes this one, by id or program type;
 * 8. fewer open enrollments in the program at the premise, on other
 *    accounts, than its premise limit.
 *
 * Returns: (transfer full): the result
 */
EnrEligibilityResult *
enr_eligibility_evaluate (const EnrEligibilityInput *input)
{
  g_autoptr(EnrEligibilityResult) result = NULL;
  GDate today;
  const GDate *start_date;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (ENR_IS_PROGRAM (input->program), NULL);

  if (date_is_set (input->today))
    {
      today = *input->today;
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_clear (&today, 1);
      g_date_set_dmy (&today,
                      g_date_time_get_day_of_month (now),
                      g_date_time_get_month (now),
                      g_date_time_get_year (now));
    }

  start_date = date_is_set (input->start_date) ? input->start_date : &today;
  result = enr_eligibility_result_new ();

  check_program (input, start_date, result);
  check_not_enrolled (input, start_date, result);
  check_division_and_rate (input, result);
  check_device (input, result);
  check_initiative (input, result);
  if (input->check_answers)
    check_answers (input, result);
  check_exclusions (input, start_date, result);
  check_premise_limit (input, start_date, result);

  return g_steal_pointer (&result);
}

/* enr-validation.c — is a panel of the process flow filled in correctly?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every rule adds an EnrFieldError (a stable field key and a sentence a
 * clerk reads); validation never stops at the first error, but each field
 * gets at most one error. Next checks the current panel; Finish checks
 * every panel the step plan does not skip (enr_validate_task()).
 *
 * Interaction Details (Customer, Program and Device Setup panels): empty is
 * fine; once any of channel, class, category or notes is filled, channel,
 * class and category are all required. Notes stay optional.
 *
 * Customer: a metered service is chosen.
 *
 * Program Enrollment: a program is chosen and known. The start date is set,
 * not before today, not before the program's start date and not after its
 * end date. Every question of the program, qualification or informational,
 * that is required has an answer; an answer given (required or not) must be
 * well formed: yes/no and single choice exactly one value, multiple choice
 * one or more distinct values, all from the question's valid answers (for
 * yes/no without valid answers: "yes" or "no"; a choice question without
 * valid answers accepts any value), a date exactly one
 * YYYY-MM-DD calendar date. Blank values do not count as an answer.
 * Whether the answers qualify is eligibility, not validation.
 *
 * Program Unenrollment: the program and the subscription being ended are
 * set; the stop date is set, not before today and not before the
 * subscription's start date (it may equal it).
 *
 * Device Setup, enrollment: an installation method is chosen. With
 * Re-enroll the location must offer devices, at least one must be selected
 * and every selected one must be among those offered. Asset ownership is
 * chosen when the task type's rules for the method tell owners apart (see
 * enr_device_setup_needs_ownership(); always, without a task type). Every
 * required activity whose type needs an appointment has a booked or
 * completed (not released) appointment for that activity type.
 * Unenrollment: removal method, ownership and appointments alike.
 *
 * Summary: nothing of its own.
 */

#include "config.h"

#include "enr-core-private.h"
#include "enr-validation.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-activity-type.h"
#include "enr-device-setup.h"
#include "enr-enum-labels.h"
#include "enr-enum-types.h"

struct _EnrFieldError
{
  GObject  parent_instance;

  char    *field;
  char    *message;
};

G_DEFINE_FINAL_TYPE (EnrFieldError, enr_field_error, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FIELD,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_field_error_finalize (GObject *object)
{
  EnrFieldError *self = (EnrFieldError *) object;

  g_clear_pointer (&self->field, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (enr_field_error_parent_class)->finalize (object);
}

static void
enr_field_error_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EnrFieldError *self = ENR_FIELD_ERROR (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      g_value_set_string (value, self->field);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_field_error_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EnrFieldError *self = ENR_FIELD_ERROR (object);

  switch (prop_id)
    {
    case PROP_FIELD:
      enr_field_error_set_field (self, g_value_get_string (value));
      break;

    case PROP_MESSAGE:
      enr_field_error_set_message (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_field_error_class_init (EnrFieldErrorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_field_error_finalize;
  object_class->get_property = enr_field_error_get_property;
  object_class->set_property = enr_field_error_set_property;

  properties[PROP_FIELD] =
    g_param_spec_string ("field", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_field_error_init (EnrFieldError *self)
{
}

EnrFieldError *
enr_field_error_new (const char *field,
                     const char *message)
{
  return g_object_new (ENR_TYPE_FIELD_ERROR,
                       "field", field,
                       "message", message,
                       NULL);
}

const char *
enr_field_error_get_field (EnrFieldError *self)
{
  g_return_val_if_fail (ENR_IS_FIELD_ERROR (self), NULL);

  return self->field;
}

void
enr_field_error_set_field (EnrFieldError *self,
                           const char    *field)
{
  g_return_if_fail (ENR_IS_FIELD_ERROR (self));

  if (enr_set_string (&self->field, field))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIELD]);
}

const char *
enr_field_error_get_message (EnrFieldError *self)
{
  g_return_val_if_fail (ENR_IS_FIELD_ERROR (self), NULL);

  return self->message;
}

void
enr_field_error_set_message (EnrFieldError *self,
                             const char    *message)
{
  g_return_if_fail (ENR_IS_FIELD_ERROR (self));

  if (enr_set_string (&self->message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

/* Helpers */

static void
add_error (GPtrArray  *errors,
           const char *field,
           const char *message)
{
  g_ptr_array_add (errors, enr_field_error_new (field, message));
}

static void
add_error_take (GPtrArray *errors,
                char      *field,
                char      *message)
{
  add_error (errors, field, message);
  g_free (field);
  g_free (message);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;

  return TRUE;
}

static gboolean
date_is_set (const GDate *date)
{
  return date != NULL && g_date_valid (date);
}

static void
get_today (const EnrValidationContext *ctx,
           GDate                      *today)
{
  g_autoptr(GDateTime) now = NULL;
  int year, month, day;

  if (date_is_set (ctx->today))
    {
      *today = *ctx->today;
      return;
    }

  now = g_date_time_new_now_local ();
  g_date_time_get_ymd (now, &year, &month, &day);
  g_date_clear (today, 1);
  g_date_set_dmy (today, day, month, year);
}

/* A date as the client shows every date. */
static char *
format_date (const GDate *date)
{
  char *label = enr_date_label (date);

  return label != NULL ? label : g_strdup ("?");
}

/* Interaction Details */

static void
validate_interaction (const EnrValidationContext *ctx,
                      EnrPanel                    panel,
                      GPtrArray                  *errors)
{
  const char *panel_nick = enr_enum_to_nick (ENR_TYPE_PANEL, panel);
  EnrInteraction *interaction;
  const char *channel;
  const char *class_code;
  const char *category;

  interaction = enr_service_task_get_interaction (ctx->task, panel);
  if (interaction == NULL)
    return;

  channel = enr_interaction_get_channel (interaction);
  class_code = enr_interaction_get_class (interaction);
  category = enr_interaction_get_category (interaction);

  if (is_blank (channel) && is_blank (class_code) && is_blank (category) &&
      is_blank (enr_interaction_get_notes (interaction)))
    return;

  if (is_blank (channel))
    add_error_take (errors,
                    g_strconcat (ENR_FIELD_INTERACTION_PREFIX, panel_nick, ":channel", NULL),
                    g_strdup (_("Channel is required for the interaction details")));

  if (is_blank (class_code))
    add_error_take (errors,
                    g_strconcat (ENR_FIELD_INTERACTION_PREFIX, panel_nick, ":class", NULL),
                    g_strdup (_("Class is required for the interaction details")));

  if (is_blank (category))
    add_error_take (errors,
                    g_strconcat (ENR_FIELD_INTERACTION_PREFIX, panel_nick, ":category", NULL),
                    g_strdup (_("Category is required for the interaction details")));
}

/* Customer */

static void
validate_customer (const EnrValidationContext *ctx,
                   GPtrArray                  *errors)
{
  if (is_blank (enr_service_task_get_metered_service_id (ctx->task)))
    add_error (errors, ENR_FIELD_METERED_SERVICE, _("Metered Service is required"));

  validate_interaction (ctx, ENR_PANEL_CUSTOMER, errors);
}

/* Program: questions */

static gboolean
parse_iso_date (const char *text)
{
  guint year, month, day;
  GDate date;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);

  if (year < 1900 || !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);

  return g_date_valid (&date);
}

static const char *
find_invalid_value (EnrQuestion *question,
                    GPtrArray   *values)
{
  static const char * const yes_no[] = { "yes", "no", NULL };
  const char * const *valid = enr_question_get_valid_answers (question);

  if (valid == NULL || valid[0] == NULL)
    {
      if (enr_question_get_answer_style (question) != ENR_ANSWER_STYLE_YES_NO)
        return NULL;
      valid = yes_no;
    }

  for (guint i = 0; i < values->len; i++)
    if (!g_strv_contains (valid, g_ptr_array_index (values, i)))
      return g_ptr_array_index (values, i);

  return NULL;
}

static gboolean
has_duplicates (GPtrArray *values)
{
  for (guint i = 0; i < values->len; i++)
    for (guint j = i + 1; j < values->len; j++)
      if (g_str_equal (g_ptr_array_index (values, i), g_ptr_array_index (values, j)))
        return TRUE;

  return FALSE;
}

/* The reason an answer is wrong, or NULL when it is fine. */
static char *
check_answer (EnrQuestion *question,
              EnrAnswer   *answer)
{
  const char *text = enr_question_get_text (question);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  const char *invalid;

  if (answer != NULL)
    {
      const char * const *given = enr_answer_get_values (answer);

      for (guint i = 0; given != NULL && given[i] != NULL; i++)
        if (!is_blank (given[i]))
          g_ptr_array_add (values, (gpointer) given[i]);
    }

  if (values->len == 0)
    {
      if (enr_question_get_required (question))
        return g_strdup_printf (_("An answer to “%s” is required"), text);
      return NULL;
    }

  switch (enr_question_get_answer_style (question))
    {
    case ENR_ANSWER_STYLE_YES_NO:
    case ENR_ANSWER_STYLE_SINGLE_CHOICE:
      if (values->len != 1)
        return g_strdup_printf (_("Choose exactly one answer to “%s”"), text);
      break;

    case ENR_ANSWER_STYLE_MULTIPLE_CHOICE:
      if (has_duplicates (values))
        return g_strdup_printf (_("Choose each answer to “%s” only once"), text);
      break;

    case ENR_ANSWER_STYLE_DATE:
      if (values->len != 1 || !parse_iso_date (g_ptr_array_index (values, 0)))
        return g_strdup_printf (_("The answer to “%s” must be one date (YYYY-MM-DD)"), text);
      return NULL;

    case ENR_ANSWER_STYLE_TEXT:
    default:
      return NULL;
    }

  invalid = find_invalid_value (question, values);
  if (invalid != NULL)
    return g_strdup_printf (_("“%s” is not a valid answer to “%s”"), invalid, text);

  return NULL;
}

typedef struct
{
  EnrQuestion *question;
  guint        index;
} QuestionSlot;

static int
compare_question_slots (gconstpointer a,
                        gconstpointer b)
{
  const QuestionSlot *slot_a = a;
  const QuestionSlot *slot_b = b;
  int position_a = enr_question_get_position (slot_a->question);
  int position_b = enr_question_get_position (slot_b->question);

  if (position_a != position_b)
    return position_a < position_b ? -1 : 1;

  return slot_a->index < slot_b->index ? -1 : (slot_a->index > slot_b->index);
}

static void
validate_answers (const EnrValidationContext *ctx,
                  GPtrArray                  *errors)
{
  GPtrArray *questions = enr_program_get_questions (ctx->program);
  g_autofree QuestionSlot *slots = NULL;

  if (questions == NULL || questions->len == 0)
    return;

  /* Errors in the order the panel shows the questions. */
  slots = g_new (QuestionSlot, questions->len);
  for (guint i = 0; i < questions->len; i++)
    {
      slots[i].question = g_ptr_array_index (questions, i);
      slots[i].index = i;
    }
  qsort (slots, questions->len, sizeof (QuestionSlot), compare_question_slots);

  for (guint i = 0; i < questions->len; i++)
    {
      EnrQuestion *question = slots[i].question;
      const char *question_id = enr_entity_get_id (ENR_ENTITY (question));
      EnrAnswer *answer = NULL;
      char *message;

      if (question_id != NULL)
        answer = enr_service_task_find_answer (ctx->task, question_id);

      message = check_answer (question, answer);
      if (message != NULL)
        add_error_take (errors,
                        g_strconcat (ENR_FIELD_ANSWER_PREFIX, question_id ? question_id : "", NULL),
                        message);
    }
}

/* Program */

static gboolean
program_is_known (const EnrValidationContext *ctx)
{
  return ctx->program != NULL &&
         g_strcmp0 (enr_entity_get_id (ENR_ENTITY (ctx->program)),
                    enr_service_task_get_program_id (ctx->task)) == 0;
}

static void
validate_start_date (const EnrValidationContext *ctx,
                     const GDate                *today,
                     gboolean                    known_program,
                     GPtrArray                  *errors)
{
  const GDate *start = enr_service_task_get_start_date (ctx->task);
  const GDate *program_start = NULL;
  const GDate *program_end = NULL;

  if (!date_is_set (start))
    {
      add_error (errors, ENR_FIELD_START_DATE, _("Start Date is required"));
      return;
    }

  if (known_program)
    {
      program_start = enr_program_get_start_date (ctx->program);
      program_end = enr_program_get_end_date (ctx->program);
    }

  /* Of the two lower bounds, name the one that binds. */
  if (date_is_set (program_start) &&
      g_date_compare (program_start, today) > 0 &&
      g_date_compare (start, program_start) < 0)
    {
      g_autofree char *formatted = format_date (program_start);

      add_error_take (errors, g_strdup (ENR_FIELD_START_DATE),
                      g_strdup_printf (_("Start Date cannot be before the program’s start date (%s)"),
                                       formatted));
    }
  else if (g_date_compare (start, today) < 0)
    {
      add_error (errors, ENR_FIELD_START_DATE, _("Start Date cannot be in the past"));
    }
  else if (date_is_set (program_end) && g_date_compare (start, program_end) > 0)
    {
      g_autofree char *formatted = format_date (program_end);

      add_error_take (errors, g_strdup (ENR_FIELD_START_DATE),
                      g_strdup_printf (_("Start Date cannot be after the program’s end date (%s)"),
                                       formatted));
    }
}

static void
validate_stop_date (const EnrValidationContext *ctx,
                    const GDate                *today,
                    GPtrArray                  *errors)
{
  const GDate *stop = enr_service_task_get_stop_date (ctx->task);
  const GDate *subscription_start = ctx->subscription_start;

  if (!date_is_set (stop))
    {
      add_error (errors, ENR_FIELD_STOP_DATE, _("Stop Date is required"));
      return;
    }

  if (date_is_set (subscription_start) &&
      g_date_compare (subscription_start, today) > 0 &&
      g_date_compare (stop, subscription_start) < 0)
    {
      g_autofree char *formatted = format_date (subscription_start);

      add_error_take (errors, g_strdup (ENR_FIELD_STOP_DATE),
                      g_strdup_printf (_("Stop Date cannot be before the enrollment’s start date (%s)"),
                                       formatted));
    }
  else if (g_date_compare (stop, today) < 0)
    {
      add_error (errors, ENR_FIELD_STOP_DATE, _("Stop Date cannot be in the past"));
    }
}

static void
validate_program (const EnrValidationContext *ctx,
                  GPtrArray                  *errors)
{
  gboolean enrollment = enr_service_task_get_kind (ctx->task) == ENR_TASK_KIND_ENROLLMENT;
  gboolean chosen = !is_blank (enr_service_task_get_program_id (ctx->task));
  gboolean known_program = chosen && program_is_known (ctx);
  GDate today;

  get_today (ctx, &today);

  if (!chosen)
    add_error (errors, ENR_FIELD_PROGRAM, _("Program is required"));
  else if (enrollment && !known_program)
    add_error (errors, ENR_FIELD_PROGRAM, _("The selected program is not available"));

  if (enrollment)
    {
      validate_start_date (ctx, &today, known_program, errors);
      if (known_program)
        validate_answers (ctx, errors);
    }
  else
    {
      if (is_blank (enr_service_task_get_subscription_id (ctx->task)))
        add_error (errors, ENR_FIELD_SUBSCRIPTION, _("The enrollment to end is not set"));
      validate_stop_date (ctx, &today, errors);
    }

  validate_interaction (ctx, ENR_PANEL_PROGRAM, errors);
}

/* Device Setup */

static gboolean
device_is_offered (const EnrValidationContext *ctx,
                   const char                 *device_id)
{
  for (guint i = 0; ctx->devices != NULL && i < ctx->devices->len; i++)
    {
      EnrEntity *device = g_ptr_array_index (ctx->devices, i);

      if (g_strcmp0 (enr_entity_get_id (device), device_id) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
validate_re_enroll_devices (const EnrValidationContext *ctx,
                            GPtrArray                  *errors)
{
  const char * const *device_ids = enr_service_task_get_device_ids (ctx->task);

  if (ctx->devices == NULL || ctx->devices->len == 0)
    {
      add_error (errors, ENR_FIELD_DEVICES,
                 _("No device at this location can be re-enrolled; choose another installation method"));
      return;
    }

  if (device_ids == NULL || device_ids[0] == NULL)
    {
      add_error (errors, ENR_FIELD_DEVICES, _("Select at least one device to re-enroll"));
      return;
    }

  for (guint i = 0; device_ids[i] != NULL; i++)
    {
      if (!device_is_offered (ctx, device_ids[i]))
        {
          add_error_take (errors, g_strdup (ENR_FIELD_DEVICES),
                          g_strdup_printf (_("Device %s is not one of the devices that can be re-enrolled"),
                                           device_ids[i]));
          return;
        }
    }
}

static gboolean
has_appointment (const EnrValidationContext *ctx,
                 const char                 *activity_type_id)
{
  GPtrArray *appointments = enr_service_task_get_appointments (ctx->task);

  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i);

      if (enr_appointment_get_status (appointment) != ENR_APPOINTMENT_STATUS_RELEASED &&
          g_strcmp0 (enr_appointment_get_activity_type_id (appointment), activity_type_id) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
validate_appointments (const EnrValidationContext *ctx,
                       GPtrArray                  *errors)
{
  g_autoptr(GPtrArray) reported = g_ptr_array_new ();

  for (guint i = 0; ctx->activities != NULL && i < ctx->activities->len; i++)
    {
      EnrActivityType *activity_type = g_ptr_array_index (ctx->activities, i);
      const char *id = enr_entity_get_id (ENR_ENTITY (activity_type));

      if (id == NULL || !enr_activity_type_get_needs_appointment (activity_type))
        continue;

      if (has_appointment (ctx, id) ||
          g_ptr_array_find_with_equal_func (reported, id, g_str_equal, NULL))
        continue;

      g_ptr_array_add (reported, (gpointer) id);
      add_error_take (errors,
                      g_strconcat (ENR_FIELD_APPOINTMENT_PREFIX, id, NULL),
                      g_strdup_printf (_("Choose an appointment for %s"),
                                       enr_activity_type_get_name (activity_type)));
    }
}

static void
validate_device_setup (const EnrValidationContext *ctx,
                       GPtrArray                  *errors)
{
  if (enr_service_task_get_kind (ctx->task) == ENR_TASK_KIND_ENROLLMENT)
    {
      EnrInstallationMethod method = enr_service_task_get_installation_method (ctx->task);

      if (method == ENR_INSTALLATION_METHOD_NONE)
        add_error (errors, ENR_FIELD_INSTALLATION_METHOD, _("Installation Method is required"));
      else if (method == ENR_INSTALLATION_METHOD_RE_ENROLL)
        validate_re_enroll_devices (ctx, errors);
    }
  else
    {
      if (enr_service_task_get_removal_method (ctx->task) == ENR_REMOVAL_METHOD_NONE)
        add_error (errors, ENR_FIELD_REMOVAL_METHOD, _("Removal Method is required"));
    }

  if (enr_service_task_get_ownership (ctx->task) == ENR_ASSET_OWNERSHIP_NONE &&
      (ctx->task_type == NULL || enr_device_setup_needs_ownership_for_task (ctx->task_type, ctx->task)))
    add_error (errors, ENR_FIELD_OWNERSHIP, _("Asset Ownership is required"));

  validate_appointments (ctx, errors);
  validate_interaction (ctx, ENR_PANEL_DEVICE_SETUP, errors);
}

/* Summary: the customer's consent, when the program's type requires it
 * (or when one is recorded anyway: then it must be whole and current). */
static void
validate_summary (const EnrValidationContext *ctx,
                  GPtrArray                  *errors)
{
  EnrConsent *consent = enr_service_task_get_consent (ctx->task);
  gboolean required = ctx->program_type != NULL &&
                      enr_program_type_get_consent_required (ctx->program_type);
  const char *terms = ctx->program != NULL ? enr_program_get_terms_version (ctx->program) : NULL;
  GDateTime *given_at;

  if (enr_service_task_get_kind (ctx->task) != ENR_TASK_KIND_ENROLLMENT)
    return;

  if (consent == NULL || enr_consent_get_method (consent) == ENR_CONSENT_METHOD_NONE)
    {
      if (required)
        add_error (errors, ENR_FIELD_CONSENT_METHOD,
                   _("Consent is required: record how the customer agreed to the program’s terms"));
      return;
    }

  given_at = enr_consent_get_given_at (consent);
  if (given_at == NULL)
    {
      add_error (errors, ENR_FIELD_CONSENT_GIVEN_AT, _("Enter the date and time the customer consented"));
    }
  else if (ctx->today != NULL && g_date_valid (ctx->today))
    {
      GDate day;

      g_date_clear (&day, 1);
      g_date_set_dmy (&day, g_date_time_get_day_of_month (given_at),
                      g_date_time_get_month (given_at), g_date_time_get_year (given_at));
      if (g_date_compare (&day, ctx->today) > 0)
        add_error (errors, ENR_FIELD_CONSENT_GIVEN_AT, _("The consent cannot be dated after today"));
    }

  if (terms != NULL && terms[0] != '\0' &&
      g_strcmp0 (enr_consent_get_terms_version (consent), terms) != 0)
    {
      g_autofree char *message = NULL;

      /* Translators: two versions of a program's terms, e.g. "The consent is to
       * terms version 2025-1; the program's terms are now version 2026-1" */
      message = g_strdup_printf (_("The consent is to terms version %s; the program’s terms are now version %s"),
                                 enr_consent_get_terms_version (consent) != NULL
                                 ? enr_consent_get_terms_version (consent) : "—",
                                 terms);
      add_error (errors, ENR_FIELD_CONSENT_TERMS, message);
    }
}

/* Public API */

/**
 * enr_validate_panel:
 * @panel: the panel to check
 * @ctx: what the check needs; @ctx->task is required
 *
 * Returns: (transfer full) (element-type EnrFieldError): the errors of
 *   @panel, empty when it may be left with Next
 */
GPtrArray *
enr_validate_panel (EnrPanel                    panel,
                    const EnrValidationContext *ctx)
{
  g_autoptr(GPtrArray) errors = NULL;

  g_return_val_if_fail (panel >= ENR_PANEL_CUSTOMER && panel <= ENR_PANEL_SUMMARY, NULL);
  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (ctx->task), NULL);
  g_return_val_if_fail (ctx->program == NULL || ENR_IS_PROGRAM (ctx->program), NULL);

  errors = g_ptr_array_new_with_free_func (g_object_unref);

  switch (panel)
    {
    case ENR_PANEL_CUSTOMER:
      validate_customer (ctx, errors);
      break;

    case ENR_PANEL_PROGRAM:
      validate_program (ctx, errors);
      break;

    case ENR_PANEL_DEVICE_SETUP:
      validate_device_setup (ctx, errors);
      break;

    case ENR_PANEL_SUMMARY:
      validate_summary (ctx, errors);
      break;

    default:
      break;
    }

  return g_steal_pointer (&errors);
}

/**
 * enr_validate_task:
 * @ctx: what the check needs; @ctx->task is required
 * @plan: (nullable): the flow's step plan; %NULL builds one from the
 *   task's kind and @ctx->program_type
 *
 * The check behind Finish: every panel @plan does not skip, in order.
 *
 * Returns: (transfer full) (element-type EnrFieldError): all errors
 */
GPtrArray *
enr_validate_task (const EnrValidationContext *ctx,
                   EnrStepPlan                *plan)
{
  g_autoptr(EnrStepPlan) own_plan = NULL;
  g_autoptr(GPtrArray) errors = NULL;

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (ctx->task), NULL);
  g_return_val_if_fail (ctx->program_type == NULL || ENR_IS_PROGRAM_TYPE (ctx->program_type), NULL);

  if (plan == NULL)
    plan = own_plan = enr_step_plan_new_for_program_type (enr_service_task_get_kind (ctx->task),
                                                          ctx->program_type);

  errors = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < enr_step_plan_get_n_panels (plan); i++)
    {
      EnrPanel panel = enr_step_plan_get_panel (plan, i);
      g_autoptr(GPtrArray) panel_errors = NULL;

      if (enr_step_plan_is_skipped (plan, panel))
        continue;

      panel_errors = enr_validate_panel (panel, ctx);
      for (guint j = 0; j < panel_errors->len; j++)
        g_ptr_array_add (errors, g_object_ref (g_ptr_array_index (panel_errors, j)));
    }

  return g_steal_pointer (&errors);
}

/**
 * enr_validation_find:
 * @errors: (element-type EnrFieldError) (nullable): errors
 * @field: a field key
 *
 * Returns: (transfer none) (nullable): the first error of @field
 */
EnrFieldError *
enr_validation_find (GPtrArray  *errors,
                     const char *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      EnrFieldError *error = g_ptr_array_index (errors, i);

      if (g_strcmp0 (error->field, field) == 0)
        return error;
    }

  return NULL;
}

/**
 * enr_validation_join:
 * @errors: (element-type EnrFieldError) (nullable): errors
 * @separator: put between two messages
 *
 * Returns: (transfer full): the messages of @errors joined
 */
char *
enr_validation_join (GPtrArray  *errors,
                     const char *separator)
{
  g_auto(GStrv) messages = enr_validation_to_strv (errors);

  g_return_val_if_fail (separator != NULL, NULL);

  return g_strjoinv (separator, messages);
}

/**
 * enr_validation_to_strv:
 * @errors: (element-type EnrFieldError) (nullable): errors
 *
 * Returns: (transfer full): the messages of @errors, e.g. for
 *   EnrServiceTask:reasons
 */
char **
enr_validation_to_strv (GPtrArray *errors)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      EnrFieldError *error = g_ptr_array_index (errors, i);

      g_strv_builder_add (builder, error->message ? error->message : "");
    }

  return g_strv_builder_end (builder);
}

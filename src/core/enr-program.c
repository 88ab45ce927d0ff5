/* enr-program.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-program.h"

struct _EnrProgram
{
  EnrEntity parent_instance;

  char            *code;
  char            *name;
  char            *description;
  char            *program_type_id;
  EnrProgramStatus status;
  gboolean         suspended;
  GDate           *start_date;
  GDate           *end_date;
  char            *division;
  char           **rate_codes;
  char           **device_specifications;
  char            *initiative_id;
  GPtrArray       *questions;
  char            *enrollment_task_type_id;
  char            *unenrollment_task_type_id;
  char            *action_method_id;
  GPtrArray       *exclusions;
  int              premise_limit;
  char            *terms_version;
};

G_DEFINE_FINAL_TYPE (EnrProgram, enr_program, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_PROGRAM_TYPE_ID,
  PROP_STATUS,
  PROP_SUSPENDED,
  PROP_START_DATE,
  PROP_END_DATE,
  PROP_DIVISION,
  PROP_RATE_CODES,
  PROP_DEVICE_SPECIFICATIONS,
  PROP_INITIATIVE_ID,
  PROP_QUESTIONS,
  PROP_ENROLLMENT_TASK_TYPE_ID,
  PROP_UNENROLLMENT_TASK_TYPE_ID,
  PROP_ACTION_METHOD_ID,
  PROP_EXCLUSIONS,
  PROP_PREMISE_LIMIT,
  PROP_TERMS_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_program_finalize (GObject *object)
{
  EnrProgram *self = ENR_PROGRAM (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->program_type_id, g_free);
  g_clear_pointer (&self->start_date, g_date_free);
  g_clear_pointer (&self->end_date, g_date_free);
  g_clear_pointer (&self->division, g_free);
  g_clear_pointer (&self->rate_codes, g_strfreev);
  g_clear_pointer (&self->device_specifications, g_strfreev);
  g_clear_pointer (&self->initiative_id, g_free);
  g_clear_pointer (&self->questions, g_ptr_array_unref);
  g_clear_pointer (&self->enrollment_task_type_id, g_free);
  g_clear_pointer (&self->unenrollment_task_type_id, g_free);
  g_clear_pointer (&self->action_method_id, g_free);
  g_clear_pointer (&self->exclusions, g_ptr_array_unref);
  g_clear_pointer (&self->terms_version, g_free);

  G_OBJECT_CLASS (enr_program_parent_class)->finalize (object);
}

static void
enr_program_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EnrProgram *self = ENR_PROGRAM (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_PROGRAM_TYPE_ID:
      g_value_set_string (value, self->program_type_id);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_SUSPENDED:
      g_value_set_boolean (value, self->suspended);
      break;

    case PROP_START_DATE:
      g_value_set_boxed (value, self->start_date);
      break;

    case PROP_END_DATE:
      g_value_set_boxed (value, self->end_date);
      break;

    case PROP_DIVISION:
      g_value_set_string (value, self->division);
      break;

    case PROP_RATE_CODES:
      g_value_set_boxed (value, self->rate_codes);
      break;

    case PROP_DEVICE_SPECIFICATIONS:
      g_value_set_boxed (value, self->device_specifications);
      break;

    case PROP_INITIATIVE_ID:
      g_value_set_string (value, self->initiative_id);
      break;

    case PROP_QUESTIONS:
      g_value_set_boxed (value, self->questions);
      break;

    case PROP_ENROLLMENT_TASK_TYPE_ID:
      g_value_set_string (value, self->enrollment_task_type_id);
      break;

    case PROP_UNENROLLMENT_TASK_TYPE_ID:
      g_value_set_string (value, self->unenrollment_task_type_id);
      break;

    case PROP_ACTION_METHOD_ID:
      g_value_set_string (value, self->action_method_id);
      break;

    case PROP_EXCLUSIONS:
      g_value_set_boxed (value, self->exclusions);
      break;

    case PROP_PREMISE_LIMIT:
      g_value_set_int (value, self->premise_limit);
      break;

    case PROP_TERMS_VERSION:
      g_value_set_string (value, self->terms_version);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_program_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  EnrProgram *self = ENR_PROGRAM (object);

  switch (prop_id)
    {
    case PROP_CODE:
      enr_program_set_code (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      enr_program_set_name (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      enr_program_set_description (self, g_value_get_string (value));
      break;

    case PROP_PROGRAM_TYPE_ID:
      enr_program_set_program_type_id (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      enr_program_set_status (self, g_value_get_enum (value));
      break;

    case PROP_SUSPENDED:
      enr_program_set_suspended (self, g_value_get_boolean (value));
      break;

    case PROP_START_DATE:
      enr_program_set_start_date (self, g_value_get_boxed (value));
      break;

    case PROP_END_DATE:
      enr_program_set_end_date (self, g_value_get_boxed (value));
      break;

    case PROP_DIVISION:
      enr_program_set_division (self, g_value_get_string (value));
      break;

    case PROP_RATE_CODES:
      enr_program_set_rate_codes (self, g_value_get_boxed (value));
      break;

    case PROP_DEVICE_SPECIFICATIONS:
      enr_program_set_device_specifications (self, g_value_get_boxed (value));
      break;

    case PROP_INITIATIVE_ID:
      enr_program_set_initiative_id (self, g_value_get_string (value));
      break;

    case PROP_QUESTIONS:
      enr_program_set_questions (self, g_value_get_boxed (value));
      break;

    case PROP_ENROLLMENT_TASK_TYPE_ID:
      enr_program_set_enrollment_task_type_id (self, g_value_get_string (value));
      break;

    case PROP_UNENROLLMENT_TASK_TYPE_ID:
      enr_program_set_unenrollment_task_type_id (self, g_value_get_string (value));
      break;

    case PROP_ACTION_METHOD_ID:
      enr_program_set_action_method_id (self, g_value_get_string (value));
      break;

    case PROP_EXCLUSIONS:
      enr_program_set_exclusions (self, g_value_get_boxed (value));
      break;

    case PROP_PREMISE_LIMIT:
      enr_program_set_premise_limit (self, g_value_get_int (value));
      break;

    case PROP_TERMS_VERSION:
      enr_program_set_terms_version (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_program_class_init (EnrProgramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_program_finalize;
  object_class->get_property = enr_program_get_property;
  object_class->set_property = enr_program_set_property;

  properties[PROP_CODE] =
    enr_param_spec_required (g_param_spec_string ("code", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_NAME] =
    enr_param_spec_required (g_param_spec_string ("name", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_PROGRAM_TYPE_ID] =
    enr_param_spec_required (g_param_spec_string ("program-type-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_STATUS] =
    enr_param_spec_required (g_param_spec_enum ("status", NULL, NULL,
                                                ENR_TYPE_PROGRAM_STATUS,
                                                ENR_PROGRAM_STATUS_PENDING,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_SUSPENDED] =
    g_param_spec_boolean ("suspended", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_START_DATE] =
    enr_param_spec_required (g_param_spec_boxed ("start-date", NULL, NULL,
                                                 G_TYPE_DATE,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)));

  properties[PROP_END_DATE] =
    g_param_spec_boxed ("end-date", NULL, NULL,
                        G_TYPE_DATE,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_DIVISION] =
    g_param_spec_string ("division", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_RATE_CODES] =
    g_param_spec_boxed ("rate-codes", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_DEVICE_SPECIFICATIONS] =
    g_param_spec_boxed ("device-specifications", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_INITIATIVE_ID] =
    g_param_spec_string ("initiative-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_QUESTIONS] =
    enr_param_spec_array_of (g_param_spec_boxed ("questions", NULL, NULL,
                                                 G_TYPE_PTR_ARRAY,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)),
                             ENR_TYPE_QUESTION);

  properties[PROP_ENROLLMENT_TASK_TYPE_ID] =
    enr_param_spec_required (g_param_spec_string ("enrollment-task-type-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_UNENROLLMENT_TASK_TYPE_ID] =
    enr_param_spec_required (g_param_spec_string ("unenrollment-task-type-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_ACTION_METHOD_ID] =
    enr_param_spec_required (g_param_spec_string ("action-method-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  /* The programs (or program types) a customer in this program may not
   * also join, and the other way round (enr-program-exclusion.c). */
  properties[PROP_EXCLUSIONS] =
    enr_param_spec_array_of (g_param_spec_boxed ("exclusions", NULL, NULL,
                                                 G_TYPE_PTR_ARRAY,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)),
                             ENR_TYPE_PROGRAM_EXCLUSION);

  /* At most this many enrollments in the program per premise, whoever's
   * account they are on ("one per household"); 0 = no limit. */
  properties[PROP_PREMISE_LIMIT] =
    g_param_spec_int ("premise-limit", NULL, NULL,
                      0, 1000, 0,
                      (G_PARAM_READWRITE |
                       G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS));

  /* The version of the program's terms a customer consents to now
   * (EnrConsent:terms-version). */
  properties[PROP_TERMS_VERSION] =
    g_param_spec_string ("terms-version", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_program_init (EnrProgram *self)
{
  self->questions = g_ptr_array_new_with_free_func (g_object_unref);
  self->exclusions = g_ptr_array_new_with_free_func (g_object_unref);
}

EnrProgram *
enr_program_new (void)
{
  return g_object_new (ENR_TYPE_PROGRAM, NULL);
}

const char *
enr_program_get_code (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->code;
}

void
enr_program_set_code (EnrProgram *self,
                      const char *code)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_string (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

const char *
enr_program_get_name (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->name;
}

void
enr_program_set_name (EnrProgram *self,
                      const char *name)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
enr_program_get_description (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->description;
}

void
enr_program_set_description (EnrProgram *self,
                             const char *description)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_string (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

const char *
enr_program_get_program_type_id (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->program_type_id;
}

void
enr_program_set_program_type_id (EnrProgram *self,
                                 const char *program_type_id)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_string (&self->program_type_id, program_type_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRAM_TYPE_ID]);
}

EnrProgramStatus
enr_program_get_status (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), ENR_PROGRAM_STATUS_PENDING);

  return self->status;
}

void
enr_program_set_status (EnrProgram      *self,
                        EnrProgramStatus status)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gboolean
enr_program_get_suspended (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), FALSE);

  return self->suspended;
}

void
enr_program_set_suspended (EnrProgram *self,
                           gboolean    suspended)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  suspended = !!suspended;

  if (self->suspended == suspended)
    return;

  self->suspended = suspended;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUSPENDED]);
}

const GDate *
enr_program_get_start_date (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->start_date;
}

void
enr_program_set_start_date (EnrProgram  *self,
                            const GDate *start_date)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));
  g_return_if_fail (start_date == NULL || g_date_valid (start_date));

  if (enr_set_date (&self->start_date, start_date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_DATE]);
}

const GDate *
enr_program_get_end_date (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->end_date;
}

void
enr_program_set_end_date (EnrProgram  *self,
                          const GDate *end_date)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));
  g_return_if_fail (end_date == NULL || g_date_valid (end_date));

  if (enr_set_date (&self->end_date, end_date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_DATE]);
}

const char *
enr_program_get_division (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->division;
}

void
enr_program_set_division (EnrProgram *self,
                          const char *division)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_string (&self->division, division))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIVISION]);
}

const char * const *
enr_program_get_rate_codes (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return (const char * const *) self->rate_codes;
}

void
enr_program_set_rate_codes (EnrProgram         *self,
                            const char * const *rate_codes)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_strv (&self->rate_codes, rate_codes))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_CODES]);
}

const char * const *
enr_program_get_device_specifications (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return (const char * const *) self->device_specifications;
}

void
enr_program_set_device_specifications (EnrProgram         *self,
                                       const char * const *device_specifications)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_strv (&self->device_specifications, device_specifications))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_SPECIFICATIONS]);
}

const char *
enr_program_get_initiative_id (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->initiative_id;
}

void
enr_program_set_initiative_id (EnrProgram *self,
                               const char *initiative_id)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_string (&self->initiative_id, initiative_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INITIATIVE_ID]);
}

GPtrArray *
enr_program_get_questions (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->questions;
}

void
enr_program_set_questions (EnrProgram *self,
                           GPtrArray  *questions)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_array (&self->questions, questions))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUESTIONS]);
}

void
enr_program_add_question (EnrProgram  *self,
                          EnrQuestion *question)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));
  g_return_if_fail (ENR_IS_QUESTION (question));

  g_ptr_array_add (self->questions, g_object_ref (question));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUESTIONS]);
}

const char *
enr_program_get_enrollment_task_type_id (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->enrollment_task_type_id;
}

void
enr_program_set_enrollment_task_type_id (EnrProgram *self,
                                         const char *enrollment_task_type_id)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_string (&self->enrollment_task_type_id, enrollment_task_type_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENROLLMENT_TASK_TYPE_ID]);
}

const char *
enr_program_get_unenrollment_task_type_id (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->unenrollment_task_type_id;
}

void
enr_program_set_unenrollment_task_type_id (EnrProgram *self,
                                           const char *unenrollment_task_type_id)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_string (&self->unenrollment_task_type_id, unenrollment_task_type_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNENROLLMENT_TASK_TYPE_ID]);
}

const char *
enr_program_get_action_method_id (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->action_method_id;
}

void
enr_program_set_action_method_id (EnrProgram *self,
                                  const char *action_method_id)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_string (&self->action_method_id, action_method_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION_METHOD_ID]);
}

EnrQuestion *
enr_program_find_question (EnrProgram *self,
                           const char *question_id)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);
  g_return_val_if_fail (question_id != NULL, NULL);

  for (guint i = 0; i < self->questions->len; i++)
    {
      EnrQuestion *question = g_ptr_array_index (self->questions, i);

      if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (question)), question_id) == 0)
        return question;
    }

  return NULL;
}

/**
 * enr_program_get_exclusions:
 *
 * Returns: (transfer none) (element-type EnrProgramExclusion): never %NULL
 */
GPtrArray *
enr_program_get_exclusions (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->exclusions;
}

void
enr_program_set_exclusions (EnrProgram *self,
                            GPtrArray  *exclusions)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_array (&self->exclusions, exclusions))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCLUSIONS]);
}

void
enr_program_add_exclusion (EnrProgram          *self,
                           EnrProgramExclusion *exclusion)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));
  g_return_if_fail (ENR_IS_PROGRAM_EXCLUSION (exclusion));

  g_ptr_array_add (self->exclusions, g_object_ref (exclusion));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCLUSIONS]);
}

int
enr_program_get_premise_limit (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), 0);

  return self->premise_limit;
}

void
enr_program_set_premise_limit (EnrProgram *self,
                               int         premise_limit)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  premise_limit = CLAMP (premise_limit, 0, 1000);
  if (self->premise_limit == premise_limit)
    return;

  self->premise_limit = premise_limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREMISE_LIMIT]);
}

const char *
enr_program_get_terms_version (EnrProgram *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM (self), NULL);

  return self->terms_version;
}

void
enr_program_set_terms_version (EnrProgram *self,
                               const char *terms_version)
{
  g_return_if_fail (ENR_IS_PROGRAM (self));

  if (enr_set_string (&self->terms_version, terms_version))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TERMS_VERSION]);
}

/* enr-question.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-question.h"

struct _EnrQuestion
{
  EnrEntity parent_instance;

  char           *code;
  char           *text;
  EnrQuestionKind kind;
  EnrAnswerStyle  answer_style;
  gboolean        required;
  char          **valid_answers;
  char          **expected_answers;
  int             position;
};

G_DEFINE_FINAL_TYPE (EnrQuestion, enr_question, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_CODE,
  PROP_TEXT,
  PROP_KIND,
  PROP_ANSWER_STYLE,
  PROP_REQUIRED,
  PROP_VALID_ANSWERS,
  PROP_EXPECTED_ANSWERS,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_question_finalize (GObject *object)
{
  EnrQuestion *self = ENR_QUESTION (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->valid_answers, g_strfreev);
  g_clear_pointer (&self->expected_answers, g_strfreev);

  G_OBJECT_CLASS (enr_question_parent_class)->finalize (object);
}

static void
enr_question_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  EnrQuestion *self = ENR_QUESTION (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_ANSWER_STYLE:
      g_value_set_enum (value, self->answer_style);
      break;

    case PROP_REQUIRED:
      g_value_set_boolean (value, self->required);
      break;

    case PROP_VALID_ANSWERS:
      g_value_set_boxed (value, self->valid_answers);
      break;

    case PROP_EXPECTED_ANSWERS:
      g_value_set_boxed (value, self->expected_answers);
      break;

    case PROP_POSITION:
      g_value_set_int (value, self->position);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_question_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  EnrQuestion *self = ENR_QUESTION (object);

  switch (prop_id)
    {
    case PROP_CODE:
      enr_question_set_code (self, g_value_get_string (value));
      break;

    case PROP_TEXT:
      enr_question_set_text (self, g_value_get_string (value));
      break;

    case PROP_KIND:
      enr_question_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_ANSWER_STYLE:
      enr_question_set_answer_style (self, g_value_get_enum (value));
      break;

    case PROP_REQUIRED:
      enr_question_set_required (self, g_value_get_boolean (value));
      break;

    case PROP_VALID_ANSWERS:
      enr_question_set_valid_answers (self, g_value_get_boxed (value));
      break;

    case PROP_EXPECTED_ANSWERS:
      enr_question_set_expected_answers (self, g_value_get_boxed (value));
      break;

    case PROP_POSITION:
      enr_question_set_position (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_question_class_init (EnrQuestionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_question_finalize;
  object_class->get_property = enr_question_get_property;
  object_class->set_property = enr_question_set_property;

  properties[PROP_CODE] =
    enr_param_spec_required (g_param_spec_string ("code", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_TEXT] =
    enr_param_spec_required (g_param_spec_string ("text", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_KIND] =
    enr_param_spec_required (g_param_spec_enum ("kind", NULL, NULL,
                                                ENR_TYPE_QUESTION_KIND,
                                                ENR_QUESTION_KIND_QUALIFICATION,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_ANSWER_STYLE] =
    enr_param_spec_required (g_param_spec_enum ("answer-style", NULL, NULL,
                                                ENR_TYPE_ANSWER_STYLE,
                                                ENR_ANSWER_STYLE_YES_NO,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_REQUIRED] =
    g_param_spec_boolean ("required", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_VALID_ANSWERS] =
    g_param_spec_boxed ("valid-answers", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_EXPECTED_ANSWERS] =
    g_param_spec_boxed ("expected-answers", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_POSITION] =
    g_param_spec_int ("position", NULL, NULL,
                      0, 1000, 0,
                      (G_PARAM_READWRITE |
                       G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_question_init (EnrQuestion *self)
{
}

EnrQuestion *
enr_question_new (void)
{
  return g_object_new (ENR_TYPE_QUESTION, NULL);
}

const char *
enr_question_get_code (EnrQuestion *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION (self), NULL);

  return self->code;
}

void
enr_question_set_code (EnrQuestion *self,
                       const char  *code)
{
  g_return_if_fail (ENR_IS_QUESTION (self));

  if (enr_set_string (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

const char *
enr_question_get_text (EnrQuestion *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION (self), NULL);

  return self->text;
}

void
enr_question_set_text (EnrQuestion *self,
                       const char  *text)
{
  g_return_if_fail (ENR_IS_QUESTION (self));

  if (enr_set_string (&self->text, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

EnrQuestionKind
enr_question_get_kind (EnrQuestion *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION (self), ENR_QUESTION_KIND_QUALIFICATION);

  return self->kind;
}

void
enr_question_set_kind (EnrQuestion    *self,
                       EnrQuestionKind kind)
{
  g_return_if_fail (ENR_IS_QUESTION (self));

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

EnrAnswerStyle
enr_question_get_answer_style (EnrQuestion *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION (self), ENR_ANSWER_STYLE_YES_NO);

  return self->answer_style;
}

void
enr_question_set_answer_style (EnrQuestion   *self,
                               EnrAnswerStyle answer_style)
{
  g_return_if_fail (ENR_IS_QUESTION (self));

  if (self->answer_style == answer_style)
    return;

  self->answer_style = answer_style;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWER_STYLE]);
}

gboolean
enr_question_get_required (EnrQuestion *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION (self), FALSE);

  return self->required;
}

void
enr_question_set_required (EnrQuestion *self,
                           gboolean     required)
{
  g_return_if_fail (ENR_IS_QUESTION (self));

  required = !!required;

  if (self->required == required)
    return;

  self->required = required;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUIRED]);
}

const char * const *
enr_question_get_valid_answers (EnrQuestion *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION (self), NULL);

  return (const char * const *) self->valid_answers;
}

void
enr_question_set_valid_answers (EnrQuestion        *self,
                                const char * const *valid_answers)
{
  g_return_if_fail (ENR_IS_QUESTION (self));

  if (enr_set_strv (&self->valid_answers, valid_answers))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID_ANSWERS]);
}

const char * const *
enr_question_get_expected_answers (EnrQuestion *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION (self), NULL);

  return (const char * const *) self->expected_answers;
}

void
enr_question_set_expected_answers (EnrQuestion        *self,
                                   const char * const *expected_answers)
{
  g_return_if_fail (ENR_IS_QUESTION (self));

  if (enr_set_strv (&self->expected_answers, expected_answers))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPECTED_ANSWERS]);
}

int
enr_question_get_position (EnrQuestion *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION (self), 0);

  return self->position;
}

void
enr_question_set_position (EnrQuestion *self,
                           int          position)
{
  g_return_if_fail (ENR_IS_QUESTION (self));
  g_return_if_fail (position >= 0 && position <= 1000);

  if (self->position == position)
    return;

  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

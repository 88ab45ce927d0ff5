/* enr-answer.c — a clerk's answer to one question of a flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-answer.h"
#include "enr-codec.h"
#include "enr-core-private.h"

struct _EnrAnswer
{
  GObject parent_instance;

  char  *question_id;
  char **values;
};

G_DEFINE_FINAL_TYPE (EnrAnswer, enr_answer, G_TYPE_OBJECT)

enum {
  ANSWER_PROP_0,
  ANSWER_PROP_QUESTION_ID,
  ANSWER_PROP_VALUES,
  ANSWER_N_PROPS
};

static GParamSpec *answer_properties[ANSWER_N_PROPS];

static void
enr_answer_finalize (GObject *object)
{
  EnrAnswer *self = ENR_ANSWER (object);

  g_clear_pointer (&self->question_id, g_free);
  g_clear_pointer (&self->values, g_strfreev);

  G_OBJECT_CLASS (enr_answer_parent_class)->finalize (object);
}

static void
enr_answer_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EnrAnswer *self = ENR_ANSWER (object);

  switch (prop_id)
    {
    case ANSWER_PROP_QUESTION_ID:
      g_value_set_string (value, self->question_id);
      break;

    case ANSWER_PROP_VALUES:
      g_value_set_boxed (value, self->values);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_answer_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  EnrAnswer *self = ENR_ANSWER (object);

  switch (prop_id)
    {
    case ANSWER_PROP_QUESTION_ID:
      enr_answer_set_question_id (self, g_value_get_string (value));
      break;

    case ANSWER_PROP_VALUES:
      enr_answer_set_values (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_answer_class_init (EnrAnswerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_answer_finalize;
  object_class->get_property = enr_answer_get_property;
  object_class->set_property = enr_answer_set_property;

  answer_properties[ANSWER_PROP_QUESTION_ID] =
    enr_param_spec_required (g_param_spec_string ("question-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  answer_properties[ANSWER_PROP_VALUES] =
    g_param_spec_boxed ("values", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, ANSWER_N_PROPS, answer_properties);
}

static void
enr_answer_init (EnrAnswer *self)
{
}

EnrAnswer *
enr_answer_new (void)
{
  return g_object_new (ENR_TYPE_ANSWER, NULL);
}

const char *
enr_answer_get_question_id (EnrAnswer *self)
{
  g_return_val_if_fail (ENR_IS_ANSWER (self), NULL);

  return self->question_id;
}

void
enr_answer_set_question_id (EnrAnswer  *self,
                            const char *question_id)
{
  g_return_if_fail (ENR_IS_ANSWER (self));

  if (enr_set_string (&self->question_id, question_id))
    g_object_notify_by_pspec (G_OBJECT (self), answer_properties[ANSWER_PROP_QUESTION_ID]);
}

const char * const *
enr_answer_get_values (EnrAnswer *self)
{
  g_return_val_if_fail (ENR_IS_ANSWER (self), NULL);

  return (const char * const *) self->values;
}

void
enr_answer_set_values (EnrAnswer          *self,
                       const char * const *values)
{
  g_return_if_fail (ENR_IS_ANSWER (self));

  if (enr_set_strv (&self->values, values))
    g_object_notify_by_pspec (G_OBJECT (self), answer_properties[ANSWER_PROP_VALUES]);
}

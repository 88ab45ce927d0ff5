/* enr-program-exclusion.c — a program a customer may not combine with another
 *
 * A program lists the programs (by id) or the program types (every program
 * of that type) that a customer enrolled in may not also join, with an
 * optional clerk-readable clause that says why ("which controls the same
 * water heater"). The eligibility rules read it both ways: a program that
 * excludes another also cannot be joined from it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-program-exclusion.h"

struct _EnrProgramExclusion
{
  GObject parent_instance;

  char *program_id;
  char *program_type_id;
  char *reason;
};

G_DEFINE_FINAL_TYPE (EnrProgramExclusion, enr_program_exclusion, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROGRAM_ID,
  PROP_PROGRAM_TYPE_ID,
  PROP_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_program_exclusion_finalize (GObject *object)
{
  EnrProgramExclusion *self = ENR_PROGRAM_EXCLUSION (object);

  g_clear_pointer (&self->program_id, g_free);
  g_clear_pointer (&self->program_type_id, g_free);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (enr_program_exclusion_parent_class)->finalize (object);
}

static void
enr_program_exclusion_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EnrProgramExclusion *self = ENR_PROGRAM_EXCLUSION (object);

  switch (prop_id)
    {
    case PROP_PROGRAM_ID:
      g_value_set_string (value, self->program_id);
      break;

    case PROP_PROGRAM_TYPE_ID:
      g_value_set_string (value, self->program_type_id);
      break;

    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_program_exclusion_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  EnrProgramExclusion *self = ENR_PROGRAM_EXCLUSION (object);

  switch (prop_id)
    {
    case PROP_PROGRAM_ID:
      enr_program_exclusion_set_program_id (self, g_value_get_string (value));
      break;

    case PROP_PROGRAM_TYPE_ID:
      enr_program_exclusion_set_program_type_id (self, g_value_get_string (value));
      break;

    case PROP_REASON:
      enr_program_exclusion_set_reason (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_program_exclusion_class_init (EnrProgramExclusionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_program_exclusion_finalize;
  object_class->get_property = enr_program_exclusion_get_property;
  object_class->set_property = enr_program_exclusion_set_property;

  properties[PROP_PROGRAM_ID] =
    g_param_spec_string ("program-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_PROGRAM_TYPE_ID] =
    g_param_spec_string ("program-type-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_program_exclusion_init (EnrProgramExclusion *self)
{
}

EnrProgramExclusion *
enr_program_exclusion_new (void)
{
  return g_object_new (ENR_TYPE_PROGRAM_EXCLUSION, NULL);
}

const char *
enr_program_exclusion_get_program_id (EnrProgramExclusion *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_EXCLUSION (self), NULL);

  return self->program_id;
}

void
enr_program_exclusion_set_program_id (EnrProgramExclusion *self,
                                      const char          *program_id)
{
  g_return_if_fail (ENR_IS_PROGRAM_EXCLUSION (self));

  if (enr_set_string (&self->program_id, program_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRAM_ID]);
}

const char *
enr_program_exclusion_get_program_type_id (EnrProgramExclusion *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_EXCLUSION (self), NULL);

  return self->program_type_id;
}

void
enr_program_exclusion_set_program_type_id (EnrProgramExclusion *self,
                                           const char          *program_type_id)
{
  g_return_if_fail (ENR_IS_PROGRAM_EXCLUSION (self));

  if (enr_set_string (&self->program_type_id, program_type_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRAM_TYPE_ID]);
}

const char *
enr_program_exclusion_get_reason (EnrProgramExclusion *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_EXCLUSION (self), NULL);

  return self->reason;
}

void
enr_program_exclusion_set_reason (EnrProgramExclusion *self,
                                  const char          *reason)
{
  g_return_if_fail (ENR_IS_PROGRAM_EXCLUSION (self));

  if (enr_set_string (&self->reason, reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
}

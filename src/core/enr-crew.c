/* enr-crew.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-crew.h"

struct _EnrCrew
{
  EnrEntity parent_instance;

  char  *name;
  char  *shift_type_id;
  char  *division;
  char **crafts;
};

G_DEFINE_FINAL_TYPE (EnrCrew, enr_crew, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SHIFT_TYPE_ID,
  PROP_DIVISION,
  PROP_CRAFTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_crew_finalize (GObject *object)
{
  EnrCrew *self = ENR_CREW (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->shift_type_id, g_free);
  g_clear_pointer (&self->division, g_free);
  g_clear_pointer (&self->crafts, g_strfreev);

  G_OBJECT_CLASS (enr_crew_parent_class)->finalize (object);
}

static void
enr_crew_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  EnrCrew *self = ENR_CREW (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_SHIFT_TYPE_ID:
      g_value_set_string (value, self->shift_type_id);
      break;

    case PROP_DIVISION:
      g_value_set_string (value, self->division);
      break;

    case PROP_CRAFTS:
      g_value_set_boxed (value, self->crafts);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_crew_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  EnrCrew *self = ENR_CREW (object);

  switch (prop_id)
    {
    case PROP_NAME:
      enr_crew_set_name (self, g_value_get_string (value));
      break;

    case PROP_SHIFT_TYPE_ID:
      enr_crew_set_shift_type_id (self, g_value_get_string (value));
      break;

    case PROP_DIVISION:
      enr_crew_set_division (self, g_value_get_string (value));
      break;

    case PROP_CRAFTS:
      enr_crew_set_crafts (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_crew_class_init (EnrCrewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_crew_finalize;
  object_class->get_property = enr_crew_get_property;
  object_class->set_property = enr_crew_set_property;

  properties[PROP_NAME] =
    enr_param_spec_required (g_param_spec_string ("name", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_SHIFT_TYPE_ID] =
    enr_param_spec_required (g_param_spec_string ("shift-type-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_DIVISION] =
    g_param_spec_string ("division", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_CRAFTS] =
    g_param_spec_boxed ("crafts", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_crew_init (EnrCrew *self)
{
}

EnrCrew *
enr_crew_new (void)
{
  return g_object_new (ENR_TYPE_CREW, NULL);
}

const char *
enr_crew_get_name (EnrCrew *self)
{
  g_return_val_if_fail (ENR_IS_CREW (self), NULL);

  return self->name;
}

void
enr_crew_set_name (EnrCrew    *self,
                   const char *name)
{
  g_return_if_fail (ENR_IS_CREW (self));

  if (enr_set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
enr_crew_get_shift_type_id (EnrCrew *self)
{
  g_return_val_if_fail (ENR_IS_CREW (self), NULL);

  return self->shift_type_id;
}

void
enr_crew_set_shift_type_id (EnrCrew    *self,
                            const char *shift_type_id)
{
  g_return_if_fail (ENR_IS_CREW (self));

  if (enr_set_string (&self->shift_type_id, shift_type_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHIFT_TYPE_ID]);
}

const char *
enr_crew_get_division (EnrCrew *self)
{
  g_return_val_if_fail (ENR_IS_CREW (self), NULL);

  return self->division;
}

void
enr_crew_set_division (EnrCrew    *self,
                       const char *division)
{
  g_return_if_fail (ENR_IS_CREW (self));

  if (enr_set_string (&self->division, division))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIVISION]);
}

const char * const *
enr_crew_get_crafts (EnrCrew *self)
{
  g_return_val_if_fail (ENR_IS_CREW (self), NULL);

  return (const char * const *) self->crafts;
}

void
enr_crew_set_crafts (EnrCrew            *self,
                     const char * const *crafts)
{
  g_return_if_fail (ENR_IS_CREW (self));

  if (enr_set_strv (&self->crafts, crafts))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CRAFTS]);
}

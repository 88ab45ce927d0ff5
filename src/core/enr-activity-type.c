/* enr-activity-type.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-activity-type.h"
#include "enr-codec.h"
#include "enr-core-private.h"

struct _EnrActivityType
{
  EnrEntity parent_instance;

  char    *code;
  char    *name;
  int      duration_minutes;
  char    *craft;
  gboolean needs_appointment;
};

G_DEFINE_FINAL_TYPE (EnrActivityType, enr_activity_type, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_DURATION_MINUTES,
  PROP_CRAFT,
  PROP_NEEDS_APPOINTMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_activity_type_finalize (GObject *object)
{
  EnrActivityType *self = ENR_ACTIVITY_TYPE (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->craft, g_free);

  G_OBJECT_CLASS (enr_activity_type_parent_class)->finalize (object);
}

static void
enr_activity_type_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EnrActivityType *self = ENR_ACTIVITY_TYPE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_DURATION_MINUTES:
      g_value_set_int (value, self->duration_minutes);
      break;

    case PROP_CRAFT:
      g_value_set_string (value, self->craft);
      break;

    case PROP_NEEDS_APPOINTMENT:
      g_value_set_boolean (value, self->needs_appointment);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_activity_type_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EnrActivityType *self = ENR_ACTIVITY_TYPE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      enr_activity_type_set_code (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      enr_activity_type_set_name (self, g_value_get_string (value));
      break;

    case PROP_DURATION_MINUTES:
      enr_activity_type_set_duration_minutes (self, g_value_get_int (value));
      break;

    case PROP_CRAFT:
      enr_activity_type_set_craft (self, g_value_get_string (value));
      break;

    case PROP_NEEDS_APPOINTMENT:
      enr_activity_type_set_needs_appointment (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_activity_type_class_init (EnrActivityTypeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_activity_type_finalize;
  object_class->get_property = enr_activity_type_get_property;
  object_class->set_property = enr_activity_type_set_property;

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

  properties[PROP_DURATION_MINUTES] =
    enr_param_spec_required (g_param_spec_int ("duration-minutes", NULL, NULL,
                                               5, 1440, 5,
                                               (G_PARAM_READWRITE |
                                                G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS)));

  properties[PROP_CRAFT] =
    g_param_spec_string ("craft", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_NEEDS_APPOINTMENT] =
    g_param_spec_boolean ("needs-appointment", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_activity_type_init (EnrActivityType *self)
{
  self->duration_minutes = 5;
}

EnrActivityType *
enr_activity_type_new (void)
{
  return g_object_new (ENR_TYPE_ACTIVITY_TYPE, NULL);
}

const char *
enr_activity_type_get_code (EnrActivityType *self)
{
  g_return_val_if_fail (ENR_IS_ACTIVITY_TYPE (self), NULL);

  return self->code;
}

void
enr_activity_type_set_code (EnrActivityType *self,
                            const char      *code)
{
  g_return_if_fail (ENR_IS_ACTIVITY_TYPE (self));

  if (enr_set_string (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

const char *
enr_activity_type_get_name (EnrActivityType *self)
{
  g_return_val_if_fail (ENR_IS_ACTIVITY_TYPE (self), NULL);

  return self->name;
}

void
enr_activity_type_set_name (EnrActivityType *self,
                            const char      *name)
{
  g_return_if_fail (ENR_IS_ACTIVITY_TYPE (self));

  if (enr_set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

int
enr_activity_type_get_duration_minutes (EnrActivityType *self)
{
  g_return_val_if_fail (ENR_IS_ACTIVITY_TYPE (self), 5);

  return self->duration_minutes;
}

void
enr_activity_type_set_duration_minutes (EnrActivityType *self,
                                        int              duration_minutes)
{
  g_return_if_fail (ENR_IS_ACTIVITY_TYPE (self));
  g_return_if_fail (duration_minutes >= 5 && duration_minutes <= 1440);

  if (self->duration_minutes == duration_minutes)
    return;

  self->duration_minutes = duration_minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION_MINUTES]);
}

const char *
enr_activity_type_get_craft (EnrActivityType *self)
{
  g_return_val_if_fail (ENR_IS_ACTIVITY_TYPE (self), NULL);

  return self->craft;
}

void
enr_activity_type_set_craft (EnrActivityType *self,
                             const char      *craft)
{
  g_return_if_fail (ENR_IS_ACTIVITY_TYPE (self));

  if (enr_set_string (&self->craft, craft))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CRAFT]);
}

gboolean
enr_activity_type_get_needs_appointment (EnrActivityType *self)
{
  g_return_val_if_fail (ENR_IS_ACTIVITY_TYPE (self), FALSE);

  return self->needs_appointment;
}

void
enr_activity_type_set_needs_appointment (EnrActivityType *self,
                                         gboolean         needs_appointment)
{
  g_return_if_fail (ENR_IS_ACTIVITY_TYPE (self));

  needs_appointment = !!needs_appointment;

  if (self->needs_appointment == needs_appointment)
    return;

  self->needs_appointment = needs_appointment;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_APPOINTMENT]);
}

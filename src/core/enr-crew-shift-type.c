/* enr-crew-shift-type.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-crew-shift-type.h"

struct _EnrCrewShiftType
{
  EnrEntity parent_instance;

  char  *code;
  char  *name;
  char  *start_time;
  char  *end_time;
  char **weekdays;
  int    capacity_minutes;
};

G_DEFINE_FINAL_TYPE (EnrCrewShiftType, enr_crew_shift_type, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_START_TIME,
  PROP_END_TIME,
  PROP_WEEKDAYS,
  PROP_CAPACITY_MINUTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_crew_shift_type_finalize (GObject *object)
{
  EnrCrewShiftType *self = ENR_CREW_SHIFT_TYPE (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->start_time, g_free);
  g_clear_pointer (&self->end_time, g_free);
  g_clear_pointer (&self->weekdays, g_strfreev);

  G_OBJECT_CLASS (enr_crew_shift_type_parent_class)->finalize (object);
}

static void
enr_crew_shift_type_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EnrCrewShiftType *self = ENR_CREW_SHIFT_TYPE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_START_TIME:
      g_value_set_string (value, self->start_time);
      break;

    case PROP_END_TIME:
      g_value_set_string (value, self->end_time);
      break;

    case PROP_WEEKDAYS:
      g_value_set_boxed (value, self->weekdays);
      break;

    case PROP_CAPACITY_MINUTES:
      g_value_set_int (value, self->capacity_minutes);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_crew_shift_type_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EnrCrewShiftType *self = ENR_CREW_SHIFT_TYPE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      enr_crew_shift_type_set_code (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      enr_crew_shift_type_set_name (self, g_value_get_string (value));
      break;

    case PROP_START_TIME:
      enr_crew_shift_type_set_start_time (self, g_value_get_string (value));
      break;

    case PROP_END_TIME:
      enr_crew_shift_type_set_end_time (self, g_value_get_string (value));
      break;

    case PROP_WEEKDAYS:
      enr_crew_shift_type_set_weekdays (self, g_value_get_boxed (value));
      break;

    case PROP_CAPACITY_MINUTES:
      enr_crew_shift_type_set_capacity_minutes (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_crew_shift_type_class_init (EnrCrewShiftTypeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_crew_shift_type_finalize;
  object_class->get_property = enr_crew_shift_type_get_property;
  object_class->set_property = enr_crew_shift_type_set_property;

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

  properties[PROP_START_TIME] =
    enr_param_spec_required (g_param_spec_string ("start-time", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_END_TIME] =
    enr_param_spec_required (g_param_spec_string ("end-time", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_WEEKDAYS] =
    g_param_spec_boxed ("weekdays", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_CAPACITY_MINUTES] =
    enr_param_spec_required (g_param_spec_int ("capacity-minutes", NULL, NULL,
                                               0, 1440, 0,
                                               (G_PARAM_READWRITE |
                                                G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS)));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_crew_shift_type_init (EnrCrewShiftType *self)
{
}

EnrCrewShiftType *
enr_crew_shift_type_new (void)
{
  return g_object_new (ENR_TYPE_CREW_SHIFT_TYPE, NULL);
}

const char *
enr_crew_shift_type_get_code (EnrCrewShiftType *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT_TYPE (self), NULL);

  return self->code;
}

void
enr_crew_shift_type_set_code (EnrCrewShiftType *self,
                              const char       *code)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT_TYPE (self));

  if (enr_set_string (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

const char *
enr_crew_shift_type_get_name (EnrCrewShiftType *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT_TYPE (self), NULL);

  return self->name;
}

void
enr_crew_shift_type_set_name (EnrCrewShiftType *self,
                              const char       *name)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT_TYPE (self));

  if (enr_set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
enr_crew_shift_type_get_start_time (EnrCrewShiftType *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT_TYPE (self), NULL);

  return self->start_time;
}

void
enr_crew_shift_type_set_start_time (EnrCrewShiftType *self,
                                    const char       *start_time)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT_TYPE (self));

  if (enr_set_string (&self->start_time, start_time))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_TIME]);
}

const char *
enr_crew_shift_type_get_end_time (EnrCrewShiftType *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT_TYPE (self), NULL);

  return self->end_time;
}

void
enr_crew_shift_type_set_end_time (EnrCrewShiftType *self,
                                  const char       *end_time)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT_TYPE (self));

  if (enr_set_string (&self->end_time, end_time))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_TIME]);
}

const char * const *
enr_crew_shift_type_get_weekdays (EnrCrewShiftType *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT_TYPE (self), NULL);

  return (const char * const *) self->weekdays;
}

void
enr_crew_shift_type_set_weekdays (EnrCrewShiftType   *self,
                                  const char * const *weekdays)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT_TYPE (self));

  if (enr_set_strv (&self->weekdays, weekdays))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEEKDAYS]);
}

int
enr_crew_shift_type_get_capacity_minutes (EnrCrewShiftType *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT_TYPE (self), 0);

  return self->capacity_minutes;
}

void
enr_crew_shift_type_set_capacity_minutes (EnrCrewShiftType *self,
                                          int               capacity_minutes)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT_TYPE (self));
  g_return_if_fail (capacity_minutes >= 0 && capacity_minutes <= 1440);

  if (self->capacity_minutes == capacity_minutes)
    return;

  self->capacity_minutes = capacity_minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPACITY_MINUTES]);
}

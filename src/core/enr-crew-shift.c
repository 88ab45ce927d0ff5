/* enr-crew-shift.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-crew-shift.h"

struct _EnrCrewShift
{
  EnrEntity parent_instance;

  char      *crew_id;
  char      *shift_type_id;
  GDate     *date;
  GDateTime *start;
  GDateTime *end;
  int        capacity_minutes;
};

G_DEFINE_FINAL_TYPE (EnrCrewShift, enr_crew_shift, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_CREW_ID,
  PROP_SHIFT_TYPE_ID,
  PROP_DATE,
  PROP_START,
  PROP_END,
  PROP_CAPACITY_MINUTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_crew_shift_finalize (GObject *object)
{
  EnrCrewShift *self = ENR_CREW_SHIFT (object);

  g_clear_pointer (&self->crew_id, g_free);
  g_clear_pointer (&self->shift_type_id, g_free);
  g_clear_pointer (&self->date, g_date_free);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);

  G_OBJECT_CLASS (enr_crew_shift_parent_class)->finalize (object);
}

static void
enr_crew_shift_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EnrCrewShift *self = ENR_CREW_SHIFT (object);

  switch (prop_id)
    {
    case PROP_CREW_ID:
      g_value_set_string (value, self->crew_id);
      break;

    case PROP_SHIFT_TYPE_ID:
      g_value_set_string (value, self->shift_type_id);
      break;

    case PROP_DATE:
      g_value_set_boxed (value, self->date);
      break;

    case PROP_START:
      g_value_set_boxed (value, self->start);
      break;

    case PROP_END:
      g_value_set_boxed (value, self->end);
      break;

    case PROP_CAPACITY_MINUTES:
      g_value_set_int (value, self->capacity_minutes);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_crew_shift_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EnrCrewShift *self = ENR_CREW_SHIFT (object);

  switch (prop_id)
    {
    case PROP_CREW_ID:
      enr_crew_shift_set_crew_id (self, g_value_get_string (value));
      break;

    case PROP_SHIFT_TYPE_ID:
      enr_crew_shift_set_shift_type_id (self, g_value_get_string (value));
      break;

    case PROP_DATE:
      enr_crew_shift_set_date (self, g_value_get_boxed (value));
      break;

    case PROP_START:
      enr_crew_shift_set_start (self, g_value_get_boxed (value));
      break;

    case PROP_END:
      enr_crew_shift_set_end (self, g_value_get_boxed (value));
      break;

    case PROP_CAPACITY_MINUTES:
      enr_crew_shift_set_capacity_minutes (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_crew_shift_class_init (EnrCrewShiftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_crew_shift_finalize;
  object_class->get_property = enr_crew_shift_get_property;
  object_class->set_property = enr_crew_shift_set_property;

  properties[PROP_CREW_ID] =
    enr_param_spec_required (g_param_spec_string ("crew-id", NULL, NULL,
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

  properties[PROP_DATE] =
    enr_param_spec_required (g_param_spec_boxed ("date", NULL, NULL,
                                                 G_TYPE_DATE,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)));

  properties[PROP_START] =
    enr_param_spec_required (g_param_spec_boxed ("start", NULL, NULL,
                                                 G_TYPE_DATE_TIME,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)));

  properties[PROP_END] =
    enr_param_spec_required (g_param_spec_boxed ("end", NULL, NULL,
                                                 G_TYPE_DATE_TIME,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)));

  properties[PROP_CAPACITY_MINUTES] =
    enr_param_spec_required (g_param_spec_int ("capacity-minutes", NULL, NULL,
                                               0, 1440, 0,
                                               (G_PARAM_READWRITE |
                                                G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS)));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_crew_shift_init (EnrCrewShift *self)
{
}

EnrCrewShift *
enr_crew_shift_new (void)
{
  return g_object_new (ENR_TYPE_CREW_SHIFT, NULL);
}

const char *
enr_crew_shift_get_crew_id (EnrCrewShift *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT (self), NULL);

  return self->crew_id;
}

void
enr_crew_shift_set_crew_id (EnrCrewShift *self,
                            const char   *crew_id)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT (self));

  if (enr_set_string (&self->crew_id, crew_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREW_ID]);
}

const char *
enr_crew_shift_get_shift_type_id (EnrCrewShift *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT (self), NULL);

  return self->shift_type_id;
}

void
enr_crew_shift_set_shift_type_id (EnrCrewShift *self,
                                  const char   *shift_type_id)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT (self));

  if (enr_set_string (&self->shift_type_id, shift_type_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHIFT_TYPE_ID]);
}

const GDate *
enr_crew_shift_get_date (EnrCrewShift *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT (self), NULL);

  return self->date;
}

void
enr_crew_shift_set_date (EnrCrewShift *self,
                         const GDate  *date)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT (self));
  g_return_if_fail (date == NULL || g_date_valid (date));

  if (enr_set_date (&self->date, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

GDateTime *
enr_crew_shift_get_start (EnrCrewShift *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT (self), NULL);

  return self->start;
}

void
enr_crew_shift_set_start (EnrCrewShift *self,
                          GDateTime    *start)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT (self));

  if (enr_set_date_time (&self->start, start))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
}

GDateTime *
enr_crew_shift_get_end (EnrCrewShift *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT (self), NULL);

  return self->end;
}

void
enr_crew_shift_set_end (EnrCrewShift *self,
                        GDateTime    *end)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT (self));

  if (enr_set_date_time (&self->end, end))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);
}

int
enr_crew_shift_get_capacity_minutes (EnrCrewShift *self)
{
  g_return_val_if_fail (ENR_IS_CREW_SHIFT (self), 0);

  return self->capacity_minutes;
}

void
enr_crew_shift_set_capacity_minutes (EnrCrewShift *self,
                                     int           capacity_minutes)
{
  g_return_if_fail (ENR_IS_CREW_SHIFT (self));
  g_return_if_fail (capacity_minutes >= 0 && capacity_minutes <= 1440);

  if (self->capacity_minutes == capacity_minutes)
    return;

  self->capacity_minutes = capacity_minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPACITY_MINUTES]);
}

/* enr-appointment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-appointment.h"
#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"

struct _EnrAppointment
{
  EnrEntity parent_instance;

  char                *activity_type_id;
  char                *crew_id;
  char                *crew_shift_id;
  GDateTime           *start;
  GDateTime           *end;
  char                *service_task_id;
  EnrAppointmentStatus status;
};

G_DEFINE_FINAL_TYPE (EnrAppointment, enr_appointment, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_ACTIVITY_TYPE_ID,
  PROP_CREW_ID,
  PROP_CREW_SHIFT_ID,
  PROP_START,
  PROP_END,
  PROP_SERVICE_TASK_ID,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_appointment_finalize (GObject *object)
{
  EnrAppointment *self = ENR_APPOINTMENT (object);

  g_clear_pointer (&self->activity_type_id, g_free);
  g_clear_pointer (&self->crew_id, g_free);
  g_clear_pointer (&self->crew_shift_id, g_free);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_clear_pointer (&self->service_task_id, g_free);

  G_OBJECT_CLASS (enr_appointment_parent_class)->finalize (object);
}

static void
enr_appointment_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EnrAppointment *self = ENR_APPOINTMENT (object);

  switch (prop_id)
    {
    case PROP_ACTIVITY_TYPE_ID:
      g_value_set_string (value, self->activity_type_id);
      break;

    case PROP_CREW_ID:
      g_value_set_string (value, self->crew_id);
      break;

    case PROP_CREW_SHIFT_ID:
      g_value_set_string (value, self->crew_shift_id);
      break;

    case PROP_START:
      g_value_set_boxed (value, self->start);
      break;

    case PROP_END:
      g_value_set_boxed (value, self->end);
      break;

    case PROP_SERVICE_TASK_ID:
      g_value_set_string (value, self->service_task_id);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_appointment_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EnrAppointment *self = ENR_APPOINTMENT (object);

  switch (prop_id)
    {
    case PROP_ACTIVITY_TYPE_ID:
      enr_appointment_set_activity_type_id (self, g_value_get_string (value));
      break;

    case PROP_CREW_ID:
      enr_appointment_set_crew_id (self, g_value_get_string (value));
      break;

    case PROP_CREW_SHIFT_ID:
      enr_appointment_set_crew_shift_id (self, g_value_get_string (value));
      break;

    case PROP_START:
      enr_appointment_set_start (self, g_value_get_boxed (value));
      break;

    case PROP_END:
      enr_appointment_set_end (self, g_value_get_boxed (value));
      break;

    case PROP_SERVICE_TASK_ID:
      enr_appointment_set_service_task_id (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      enr_appointment_set_status (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_appointment_class_init (EnrAppointmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_appointment_finalize;
  object_class->get_property = enr_appointment_get_property;
  object_class->set_property = enr_appointment_set_property;

  properties[PROP_ACTIVITY_TYPE_ID] =
    enr_param_spec_required (g_param_spec_string ("activity-type-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_CREW_ID] =
    enr_param_spec_required (g_param_spec_string ("crew-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_CREW_SHIFT_ID] =
    enr_param_spec_required (g_param_spec_string ("crew-shift-id", NULL, NULL,
                                                  NULL,
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

  properties[PROP_SERVICE_TASK_ID] =
    g_param_spec_string ("service-task-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       ENR_TYPE_APPOINTMENT_STATUS,
                       ENR_APPOINTMENT_STATUS_BOOKED,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_appointment_init (EnrAppointment *self)
{
}

EnrAppointment *
enr_appointment_new (void)
{
  return g_object_new (ENR_TYPE_APPOINTMENT, NULL);
}

const char *
enr_appointment_get_activity_type_id (EnrAppointment *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT (self), NULL);

  return self->activity_type_id;
}

void
enr_appointment_set_activity_type_id (EnrAppointment *self,
                                      const char     *activity_type_id)
{
  g_return_if_fail (ENR_IS_APPOINTMENT (self));

  if (enr_set_string (&self->activity_type_id, activity_type_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVITY_TYPE_ID]);
}

const char *
enr_appointment_get_crew_id (EnrAppointment *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT (self), NULL);

  return self->crew_id;
}

void
enr_appointment_set_crew_id (EnrAppointment *self,
                             const char     *crew_id)
{
  g_return_if_fail (ENR_IS_APPOINTMENT (self));

  if (enr_set_string (&self->crew_id, crew_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREW_ID]);
}

const char *
enr_appointment_get_crew_shift_id (EnrAppointment *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT (self), NULL);

  return self->crew_shift_id;
}

void
enr_appointment_set_crew_shift_id (EnrAppointment *self,
                                   const char     *crew_shift_id)
{
  g_return_if_fail (ENR_IS_APPOINTMENT (self));

  if (enr_set_string (&self->crew_shift_id, crew_shift_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREW_SHIFT_ID]);
}

GDateTime *
enr_appointment_get_start (EnrAppointment *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT (self), NULL);

  return self->start;
}

void
enr_appointment_set_start (EnrAppointment *self,
                           GDateTime      *start)
{
  g_return_if_fail (ENR_IS_APPOINTMENT (self));

  if (enr_set_date_time (&self->start, start))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
}

GDateTime *
enr_appointment_get_end (EnrAppointment *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT (self), NULL);

  return self->end;
}

void
enr_appointment_set_end (EnrAppointment *self,
                         GDateTime      *end)
{
  g_return_if_fail (ENR_IS_APPOINTMENT (self));

  if (enr_set_date_time (&self->end, end))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);
}

const char *
enr_appointment_get_service_task_id (EnrAppointment *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT (self), NULL);

  return self->service_task_id;
}

void
enr_appointment_set_service_task_id (EnrAppointment *self,
                                     const char     *service_task_id)
{
  g_return_if_fail (ENR_IS_APPOINTMENT (self));

  if (enr_set_string (&self->service_task_id, service_task_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_TASK_ID]);
}

EnrAppointmentStatus
enr_appointment_get_status (EnrAppointment *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT (self), ENR_APPOINTMENT_STATUS_BOOKED);

  return self->status;
}

void
enr_appointment_set_status (EnrAppointment      *self,
                            EnrAppointmentStatus status)
{
  g_return_if_fail (ENR_IS_APPOINTMENT (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

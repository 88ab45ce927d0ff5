/* enr-program-subscription.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-program-subscription.h"

struct _EnrProgramSubscription
{
  EnrEntity parent_instance;

  char                 *program_id;
  char                 *customer_id;
  char                 *metered_service_id;
  char                 *device_location_id;
  GDate                *start_date;
  GDate                *end_date;
  EnrSubscriptionStatus status;
  char                 *service_task_id;
};

G_DEFINE_FINAL_TYPE (EnrProgramSubscription, enr_program_subscription, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_PROGRAM_ID,
  PROP_CUSTOMER_ID,
  PROP_METERED_SERVICE_ID,
  PROP_DEVICE_LOCATION_ID,
  PROP_START_DATE,
  PROP_END_DATE,
  PROP_STATUS,
  PROP_SERVICE_TASK_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_program_subscription_finalize (GObject *object)
{
  EnrProgramSubscription *self = ENR_PROGRAM_SUBSCRIPTION (object);

  g_clear_pointer (&self->program_id, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->metered_service_id, g_free);
  g_clear_pointer (&self->device_location_id, g_free);
  g_clear_pointer (&self->start_date, g_date_free);
  g_clear_pointer (&self->end_date, g_date_free);
  g_clear_pointer (&self->service_task_id, g_free);

  G_OBJECT_CLASS (enr_program_subscription_parent_class)->finalize (object);
}

static void
enr_program_subscription_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  EnrProgramSubscription *self = ENR_PROGRAM_SUBSCRIPTION (object);

  switch (prop_id)
    {
    case PROP_PROGRAM_ID:
      g_value_set_string (value, self->program_id);
      break;

    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;

    case PROP_METERED_SERVICE_ID:
      g_value_set_string (value, self->metered_service_id);
      break;

    case PROP_DEVICE_LOCATION_ID:
      g_value_set_string (value, self->device_location_id);
      break;

    case PROP_START_DATE:
      g_value_set_boxed (value, self->start_date);
      break;

    case PROP_END_DATE:
      g_value_set_boxed (value, self->end_date);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_SERVICE_TASK_ID:
      g_value_set_string (value, self->service_task_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_program_subscription_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  EnrProgramSubscription *self = ENR_PROGRAM_SUBSCRIPTION (object);

  switch (prop_id)
    {
    case PROP_PROGRAM_ID:
      enr_program_subscription_set_program_id (self, g_value_get_string (value));
      break;

    case PROP_CUSTOMER_ID:
      enr_program_subscription_set_customer_id (self, g_value_get_string (value));
      break;

    case PROP_METERED_SERVICE_ID:
      enr_program_subscription_set_metered_service_id (self, g_value_get_string (value));
      break;

    case PROP_DEVICE_LOCATION_ID:
      enr_program_subscription_set_device_location_id (self, g_value_get_string (value));
      break;

    case PROP_START_DATE:
      enr_program_subscription_set_start_date (self, g_value_get_boxed (value));
      break;

    case PROP_END_DATE:
      enr_program_subscription_set_end_date (self, g_value_get_boxed (value));
      break;

    case PROP_STATUS:
      enr_program_subscription_set_status (self, g_value_get_enum (value));
      break;

    case PROP_SERVICE_TASK_ID:
      enr_program_subscription_set_service_task_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_program_subscription_class_init (EnrProgramSubscriptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_program_subscription_finalize;
  object_class->get_property = enr_program_subscription_get_property;
  object_class->set_property = enr_program_subscription_set_property;

  properties[PROP_PROGRAM_ID] =
    enr_param_spec_required (g_param_spec_string ("program-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_CUSTOMER_ID] =
    enr_param_spec_required (g_param_spec_string ("customer-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_METERED_SERVICE_ID] =
    enr_param_spec_required (g_param_spec_string ("metered-service-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_DEVICE_LOCATION_ID] =
    g_param_spec_string ("device-location-id", NULL, NULL,
                         NULL,
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

  properties[PROP_STATUS] =
    enr_param_spec_required (g_param_spec_enum ("status", NULL, NULL,
                                                ENR_TYPE_SUBSCRIPTION_STATUS,
                                                ENR_SUBSCRIPTION_STATUS_PENDING,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_SERVICE_TASK_ID] =
    g_param_spec_string ("service-task-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_program_subscription_init (EnrProgramSubscription *self)
{
}

EnrProgramSubscription *
enr_program_subscription_new (void)
{
  return g_object_new (ENR_TYPE_PROGRAM_SUBSCRIPTION, NULL);
}

const char *
enr_program_subscription_get_program_id (EnrProgramSubscription *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self), NULL);

  return self->program_id;
}

void
enr_program_subscription_set_program_id (EnrProgramSubscription *self,
                                         const char             *program_id)
{
  g_return_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self));

  if (enr_set_string (&self->program_id, program_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRAM_ID]);
}

const char *
enr_program_subscription_get_customer_id (EnrProgramSubscription *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self), NULL);

  return self->customer_id;
}

void
enr_program_subscription_set_customer_id (EnrProgramSubscription *self,
                                          const char             *customer_id)
{
  g_return_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self));

  if (enr_set_string (&self->customer_id, customer_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
}

const char *
enr_program_subscription_get_metered_service_id (EnrProgramSubscription *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self), NULL);

  return self->metered_service_id;
}

void
enr_program_subscription_set_metered_service_id (EnrProgramSubscription *self,
                                                 const char             *metered_service_id)
{
  g_return_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self));

  if (enr_set_string (&self->metered_service_id, metered_service_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METERED_SERVICE_ID]);
}

const char *
enr_program_subscription_get_device_location_id (EnrProgramSubscription *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self), NULL);

  return self->device_location_id;
}

void
enr_program_subscription_set_device_location_id (EnrProgramSubscription *self,
                                                 const char             *device_location_id)
{
  g_return_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self));

  if (enr_set_string (&self->device_location_id, device_location_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_LOCATION_ID]);
}

const GDate *
enr_program_subscription_get_start_date (EnrProgramSubscription *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self), NULL);

  return self->start_date;
}

void
enr_program_subscription_set_start_date (EnrProgramSubscription *self,
                                         const GDate            *start_date)
{
  g_return_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self));
  g_return_if_fail (start_date == NULL || g_date_valid (start_date));

  if (enr_set_date (&self->start_date, start_date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_DATE]);
}

const GDate *
enr_program_subscription_get_end_date (EnrProgramSubscription *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self), NULL);

  return self->end_date;
}

void
enr_program_subscription_set_end_date (EnrProgramSubscription *self,
                                       const GDate            *end_date)
{
  g_return_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self));
  g_return_if_fail (end_date == NULL || g_date_valid (end_date));

  if (enr_set_date (&self->end_date, end_date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_DATE]);
}

EnrSubscriptionStatus
enr_program_subscription_get_status (EnrProgramSubscription *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self), ENR_SUBSCRIPTION_STATUS_PENDING);

  return self->status;
}

void
enr_program_subscription_set_status (EnrProgramSubscription *self,
                                     EnrSubscriptionStatus   status)
{
  g_return_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
enr_program_subscription_get_service_task_id (EnrProgramSubscription *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self), NULL);

  return self->service_task_id;
}

void
enr_program_subscription_set_service_task_id (EnrProgramSubscription *self,
                                              const char             *service_task_id)
{
  g_return_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (self));

  if (enr_set_string (&self->service_task_id, service_task_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_TASK_ID]);
}

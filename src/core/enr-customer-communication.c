/* enr-customer-communication.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-customer-communication.h"

struct _EnrCustomerCommunication
{
  EnrEntity parent_instance;

  char      *customer_id;
  char      *channel;
  char      *class_code;
  char      *category;
  char      *notes;
  char      *service_task_id;
  char      *program_id;
  char      *created_by;
  GDateTime *created_at;
};

G_DEFINE_FINAL_TYPE (EnrCustomerCommunication, enr_customer_communication, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_CUSTOMER_ID,
  PROP_CHANNEL,
  PROP_CLASS,
  PROP_CATEGORY,
  PROP_NOTES,
  PROP_SERVICE_TASK_ID,
  PROP_PROGRAM_ID,
  PROP_CREATED_BY,
  PROP_CREATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_customer_communication_finalize (GObject *object)
{
  EnrCustomerCommunication *self = ENR_CUSTOMER_COMMUNICATION (object);

  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->channel, g_free);
  g_clear_pointer (&self->class_code, g_free);
  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->service_task_id, g_free);
  g_clear_pointer (&self->program_id, g_free);
  g_clear_pointer (&self->created_by, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (enr_customer_communication_parent_class)->finalize (object);
}

static void
enr_customer_communication_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  EnrCustomerCommunication *self = ENR_CUSTOMER_COMMUNICATION (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;

    case PROP_CHANNEL:
      g_value_set_string (value, self->channel);
      break;

    case PROP_CLASS:
      g_value_set_string (value, self->class_code);
      break;

    case PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;

    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;

    case PROP_SERVICE_TASK_ID:
      g_value_set_string (value, self->service_task_id);
      break;

    case PROP_PROGRAM_ID:
      g_value_set_string (value, self->program_id);
      break;

    case PROP_CREATED_BY:
      g_value_set_string (value, self->created_by);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_customer_communication_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  EnrCustomerCommunication *self = ENR_CUSTOMER_COMMUNICATION (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_ID:
      enr_customer_communication_set_customer_id (self, g_value_get_string (value));
      break;

    case PROP_CHANNEL:
      enr_customer_communication_set_channel (self, g_value_get_string (value));
      break;

    case PROP_CLASS:
      enr_customer_communication_set_class (self, g_value_get_string (value));
      break;

    case PROP_CATEGORY:
      enr_customer_communication_set_category (self, g_value_get_string (value));
      break;

    case PROP_NOTES:
      enr_customer_communication_set_notes (self, g_value_get_string (value));
      break;

    case PROP_SERVICE_TASK_ID:
      enr_customer_communication_set_service_task_id (self, g_value_get_string (value));
      break;

    case PROP_PROGRAM_ID:
      enr_customer_communication_set_program_id (self, g_value_get_string (value));
      break;

    case PROP_CREATED_BY:
      enr_customer_communication_set_created_by (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      enr_customer_communication_set_created_at (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_customer_communication_class_init (EnrCustomerCommunicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_customer_communication_finalize;
  object_class->get_property = enr_customer_communication_get_property;
  object_class->set_property = enr_customer_communication_set_property;

  properties[PROP_CUSTOMER_ID] =
    enr_param_spec_required (g_param_spec_string ("customer-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_CHANNEL] =
    enr_param_spec_required (g_param_spec_string ("channel", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_CLASS] =
    enr_param_spec_required (g_param_spec_string ("class", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_CATEGORY] =
    enr_param_spec_required (g_param_spec_string ("category", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVICE_TASK_ID] =
    g_param_spec_string ("service-task-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_PROGRAM_ID] =
    g_param_spec_string ("program-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_CREATED_BY] =
    enr_param_spec_required (g_param_spec_string ("created-by", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_CREATED_AT] =
    enr_param_spec_required (g_param_spec_boxed ("created-at", NULL, NULL,
                                                 G_TYPE_DATE_TIME,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_customer_communication_init (EnrCustomerCommunication *self)
{
}

EnrCustomerCommunication *
enr_customer_communication_new (void)
{
  return g_object_new (ENR_TYPE_CUSTOMER_COMMUNICATION, NULL);
}

const char *
enr_customer_communication_get_customer_id (EnrCustomerCommunication *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self), NULL);

  return self->customer_id;
}

void
enr_customer_communication_set_customer_id (EnrCustomerCommunication *self,
                                            const char               *customer_id)
{
  g_return_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self));

  if (enr_set_string (&self->customer_id, customer_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
}

const char *
enr_customer_communication_get_channel (EnrCustomerCommunication *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self), NULL);

  return self->channel;
}

void
enr_customer_communication_set_channel (EnrCustomerCommunication *self,
                                        const char               *channel)
{
  g_return_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self));

  if (enr_set_string (&self->channel, channel))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
}

const char *
enr_customer_communication_get_class (EnrCustomerCommunication *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self), NULL);

  return self->class_code;
}

void
enr_customer_communication_set_class (EnrCustomerCommunication *self,
                                      const char               *class_code)
{
  g_return_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self));

  if (enr_set_string (&self->class_code, class_code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLASS]);
}

const char *
enr_customer_communication_get_category (EnrCustomerCommunication *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self), NULL);

  return self->category;
}

void
enr_customer_communication_set_category (EnrCustomerCommunication *self,
                                         const char               *category)
{
  g_return_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self));

  if (enr_set_string (&self->category, category))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
}

const char *
enr_customer_communication_get_notes (EnrCustomerCommunication *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self), NULL);

  return self->notes;
}

void
enr_customer_communication_set_notes (EnrCustomerCommunication *self,
                                      const char               *notes)
{
  g_return_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self));

  if (enr_set_string (&self->notes, notes))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}

const char *
enr_customer_communication_get_service_task_id (EnrCustomerCommunication *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self), NULL);

  return self->service_task_id;
}

void
enr_customer_communication_set_service_task_id (EnrCustomerCommunication *self,
                                                const char               *service_task_id)
{
  g_return_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self));

  if (enr_set_string (&self->service_task_id, service_task_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_TASK_ID]);
}

const char *
enr_customer_communication_get_program_id (EnrCustomerCommunication *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self), NULL);

  return self->program_id;
}

void
enr_customer_communication_set_program_id (EnrCustomerCommunication *self,
                                           const char               *program_id)
{
  g_return_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self));

  if (enr_set_string (&self->program_id, program_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRAM_ID]);
}

const char *
enr_customer_communication_get_created_by (EnrCustomerCommunication *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self), NULL);

  return self->created_by;
}

void
enr_customer_communication_set_created_by (EnrCustomerCommunication *self,
                                           const char               *created_by)
{
  g_return_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self));

  if (enr_set_string (&self->created_by, created_by))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_BY]);
}

GDateTime *
enr_customer_communication_get_created_at (EnrCustomerCommunication *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self), NULL);

  return self->created_at;
}

void
enr_customer_communication_set_created_at (EnrCustomerCommunication *self,
                                           GDateTime                *created_at)
{
  g_return_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (self));

  if (enr_set_date_time (&self->created_at, created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

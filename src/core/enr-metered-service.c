/* enr-metered-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-metered-service.h"

struct _EnrMeteredService
{
  EnrEntity parent_instance;

  char                   *customer_id;
  char                   *service_point_id;
  char                   *external_id;
  EnrServiceType          service_type;
  EnrMeteredServiceStatus status;
};

G_DEFINE_FINAL_TYPE (EnrMeteredService, enr_metered_service, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_CUSTOMER_ID,
  PROP_SERVICE_POINT_ID,
  PROP_EXTERNAL_ID,
  PROP_SERVICE_TYPE,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_metered_service_finalize (GObject *object)
{
  EnrMeteredService *self = ENR_METERED_SERVICE (object);

  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->service_point_id, g_free);
  g_clear_pointer (&self->external_id, g_free);

  G_OBJECT_CLASS (enr_metered_service_parent_class)->finalize (object);
}

static void
enr_metered_service_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EnrMeteredService *self = ENR_METERED_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;

    case PROP_SERVICE_POINT_ID:
      g_value_set_string (value, self->service_point_id);
      break;

    case PROP_EXTERNAL_ID:
      g_value_set_string (value, self->external_id);
      break;

    case PROP_SERVICE_TYPE:
      g_value_set_enum (value, self->service_type);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_metered_service_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EnrMeteredService *self = ENR_METERED_SERVICE (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_ID:
      enr_metered_service_set_customer_id (self, g_value_get_string (value));
      break;

    case PROP_SERVICE_POINT_ID:
      enr_metered_service_set_service_point_id (self, g_value_get_string (value));
      break;

    case PROP_EXTERNAL_ID:
      enr_metered_service_set_external_id (self, g_value_get_string (value));
      break;

    case PROP_SERVICE_TYPE:
      enr_metered_service_set_service_type (self, g_value_get_enum (value));
      break;

    case PROP_STATUS:
      enr_metered_service_set_status (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_metered_service_class_init (EnrMeteredServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_metered_service_finalize;
  object_class->get_property = enr_metered_service_get_property;
  object_class->set_property = enr_metered_service_set_property;

  properties[PROP_CUSTOMER_ID] =
    enr_param_spec_required (g_param_spec_string ("customer-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_SERVICE_POINT_ID] =
    enr_param_spec_required (g_param_spec_string ("service-point-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_EXTERNAL_ID] =
    g_param_spec_string ("external-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVICE_TYPE] =
    enr_param_spec_required (g_param_spec_enum ("service-type", NULL, NULL,
                                                ENR_TYPE_SERVICE_TYPE,
                                                ENR_SERVICE_TYPE_ELECTRIC,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_STATUS] =
    enr_param_spec_required (g_param_spec_enum ("status", NULL, NULL,
                                                ENR_TYPE_METERED_SERVICE_STATUS,
                                                ENR_METERED_SERVICE_STATUS_PENDING_START,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_metered_service_init (EnrMeteredService *self)
{
}

EnrMeteredService *
enr_metered_service_new (void)
{
  return g_object_new (ENR_TYPE_METERED_SERVICE, NULL);
}

const char *
enr_metered_service_get_customer_id (EnrMeteredService *self)
{
  g_return_val_if_fail (ENR_IS_METERED_SERVICE (self), NULL);

  return self->customer_id;
}

void
enr_metered_service_set_customer_id (EnrMeteredService *self,
                                     const char        *customer_id)
{
  g_return_if_fail (ENR_IS_METERED_SERVICE (self));

  if (enr_set_string (&self->customer_id, customer_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
}

const char *
enr_metered_service_get_service_point_id (EnrMeteredService *self)
{
  g_return_val_if_fail (ENR_IS_METERED_SERVICE (self), NULL);

  return self->service_point_id;
}

void
enr_metered_service_set_service_point_id (EnrMeteredService *self,
                                          const char        *service_point_id)
{
  g_return_if_fail (ENR_IS_METERED_SERVICE (self));

  if (enr_set_string (&self->service_point_id, service_point_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_POINT_ID]);
}

const char *
enr_metered_service_get_external_id (EnrMeteredService *self)
{
  g_return_val_if_fail (ENR_IS_METERED_SERVICE (self), NULL);

  return self->external_id;
}

void
enr_metered_service_set_external_id (EnrMeteredService *self,
                                     const char        *external_id)
{
  g_return_if_fail (ENR_IS_METERED_SERVICE (self));

  if (enr_set_string (&self->external_id, external_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTERNAL_ID]);
}

EnrServiceType
enr_metered_service_get_service_type (EnrMeteredService *self)
{
  g_return_val_if_fail (ENR_IS_METERED_SERVICE (self), ENR_SERVICE_TYPE_ELECTRIC);

  return self->service_type;
}

void
enr_metered_service_set_service_type (EnrMeteredService *self,
                                      EnrServiceType     service_type)
{
  g_return_if_fail (ENR_IS_METERED_SERVICE (self));

  if (self->service_type == service_type)
    return;

  self->service_type = service_type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_TYPE]);
}

EnrMeteredServiceStatus
enr_metered_service_get_status (EnrMeteredService *self)
{
  g_return_val_if_fail (ENR_IS_METERED_SERVICE (self), ENR_METERED_SERVICE_STATUS_PENDING_START);

  return self->status;
}

void
enr_metered_service_set_status (EnrMeteredService      *self,
                                EnrMeteredServiceStatus status)
{
  g_return_if_fail (ENR_IS_METERED_SERVICE (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

/**
 * enr_metered_service_pick:
 * @services: (element-type EnrMeteredService): a customer's metered services
 *
 * The service an enrollment is for when none is chosen: the first active
 * electric service, else the first active one, else the first.
 *
 * Returns: (transfer none) (nullable): one of @services; %NULL when there
 *   is none
 */
EnrMeteredService *
enr_metered_service_pick (GPtrArray *services)
{
  g_return_val_if_fail (services != NULL, NULL);

  for (guint i = 0; i < services->len; i++)
    {
      EnrMeteredService *service = g_ptr_array_index (services, i);

      if (service->status == ENR_METERED_SERVICE_STATUS_ACTIVE && service->service_type == ENR_SERVICE_TYPE_ELECTRIC)
        return service;
    }

  for (guint i = 0; i < services->len; i++)
    {
      EnrMeteredService *service = g_ptr_array_index (services, i);

      if (service->status == ENR_METERED_SERVICE_STATUS_ACTIVE)
        return service;
    }

  return services->len > 0 ? g_ptr_array_index (services, 0) : NULL;
}

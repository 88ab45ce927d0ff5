/* enr-device-location.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-device-location.h"

struct _EnrDeviceLocation
{
  EnrEntity parent_instance;

  char *service_point_id;
  char *address;
  char *description;
};

G_DEFINE_FINAL_TYPE (EnrDeviceLocation, enr_device_location, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_SERVICE_POINT_ID,
  PROP_ADDRESS,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_device_location_finalize (GObject *object)
{
  EnrDeviceLocation *self = ENR_DEVICE_LOCATION (object);

  g_clear_pointer (&self->service_point_id, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (enr_device_location_parent_class)->finalize (object);
}

static void
enr_device_location_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EnrDeviceLocation *self = ENR_DEVICE_LOCATION (object);

  switch (prop_id)
    {
    case PROP_SERVICE_POINT_ID:
      g_value_set_string (value, self->service_point_id);
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_device_location_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EnrDeviceLocation *self = ENR_DEVICE_LOCATION (object);

  switch (prop_id)
    {
    case PROP_SERVICE_POINT_ID:
      enr_device_location_set_service_point_id (self, g_value_get_string (value));
      break;

    case PROP_ADDRESS:
      enr_device_location_set_address (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      enr_device_location_set_description (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_device_location_class_init (EnrDeviceLocationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_device_location_finalize;
  object_class->get_property = enr_device_location_get_property;
  object_class->set_property = enr_device_location_set_property;

  properties[PROP_SERVICE_POINT_ID] =
    enr_param_spec_required (g_param_spec_string ("service-point-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_device_location_init (EnrDeviceLocation *self)
{
}

EnrDeviceLocation *
enr_device_location_new (void)
{
  return g_object_new (ENR_TYPE_DEVICE_LOCATION, NULL);
}

const char *
enr_device_location_get_service_point_id (EnrDeviceLocation *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE_LOCATION (self), NULL);

  return self->service_point_id;
}

void
enr_device_location_set_service_point_id (EnrDeviceLocation *self,
                                          const char        *service_point_id)
{
  g_return_if_fail (ENR_IS_DEVICE_LOCATION (self));

  if (enr_set_string (&self->service_point_id, service_point_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_POINT_ID]);
}

const char *
enr_device_location_get_address (EnrDeviceLocation *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE_LOCATION (self), NULL);

  return self->address;
}

void
enr_device_location_set_address (EnrDeviceLocation *self,
                                 const char        *address)
{
  g_return_if_fail (ENR_IS_DEVICE_LOCATION (self));

  if (enr_set_string (&self->address, address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
}

const char *
enr_device_location_get_description (EnrDeviceLocation *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE_LOCATION (self), NULL);

  return self->description;
}

void
enr_device_location_set_description (EnrDeviceLocation *self,
                                     const char        *description)
{
  g_return_if_fail (ENR_IS_DEVICE_LOCATION (self));

  if (enr_set_string (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

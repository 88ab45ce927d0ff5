/* enr-device.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-device.h"
#include "enr-enum-types.h"

struct _EnrDevice
{
  EnrEntity parent_instance;

  EnrAssetType      asset_type;
  char             *specification;
  char             *serial_number;
  char             *badge_number;
  char             *network_id;
  EnrAssetOwnership ownership;
  EnrDeviceStatus   status;
  char             *device_location_id;
  char             *subscription_id;
};

G_DEFINE_FINAL_TYPE (EnrDevice, enr_device, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_ASSET_TYPE,
  PROP_SPECIFICATION,
  PROP_SERIAL_NUMBER,
  PROP_BADGE_NUMBER,
  PROP_NETWORK_ID,
  PROP_OWNERSHIP,
  PROP_STATUS,
  PROP_DEVICE_LOCATION_ID,
  PROP_SUBSCRIPTION_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_device_finalize (GObject *object)
{
  EnrDevice *self = ENR_DEVICE (object);

  g_clear_pointer (&self->specification, g_free);
  g_clear_pointer (&self->serial_number, g_free);
  g_clear_pointer (&self->badge_number, g_free);
  g_clear_pointer (&self->network_id, g_free);
  g_clear_pointer (&self->device_location_id, g_free);
  g_clear_pointer (&self->subscription_id, g_free);

  G_OBJECT_CLASS (enr_device_parent_class)->finalize (object);
}

static void
enr_device_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EnrDevice *self = ENR_DEVICE (object);

  switch (prop_id)
    {
    case PROP_ASSET_TYPE:
      g_value_set_enum (value, self->asset_type);
      break;

    case PROP_SPECIFICATION:
      g_value_set_string (value, self->specification);
      break;

    case PROP_SERIAL_NUMBER:
      g_value_set_string (value, self->serial_number);
      break;

    case PROP_BADGE_NUMBER:
      g_value_set_string (value, self->badge_number);
      break;

    case PROP_NETWORK_ID:
      g_value_set_string (value, self->network_id);
      break;

    case PROP_OWNERSHIP:
      g_value_set_enum (value, self->ownership);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_DEVICE_LOCATION_ID:
      g_value_set_string (value, self->device_location_id);
      break;

    case PROP_SUBSCRIPTION_ID:
      g_value_set_string (value, self->subscription_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_device_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  EnrDevice *self = ENR_DEVICE (object);

  switch (prop_id)
    {
    case PROP_ASSET_TYPE:
      enr_device_set_asset_type (self, g_value_get_enum (value));
      break;

    case PROP_SPECIFICATION:
      enr_device_set_specification (self, g_value_get_string (value));
      break;

    case PROP_SERIAL_NUMBER:
      enr_device_set_serial_number (self, g_value_get_string (value));
      break;

    case PROP_BADGE_NUMBER:
      enr_device_set_badge_number (self, g_value_get_string (value));
      break;

    case PROP_NETWORK_ID:
      enr_device_set_network_id (self, g_value_get_string (value));
      break;

    case PROP_OWNERSHIP:
      enr_device_set_ownership (self, g_value_get_enum (value));
      break;

    case PROP_STATUS:
      enr_device_set_status (self, g_value_get_enum (value));
      break;

    case PROP_DEVICE_LOCATION_ID:
      enr_device_set_device_location_id (self, g_value_get_string (value));
      break;

    case PROP_SUBSCRIPTION_ID:
      enr_device_set_subscription_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_device_class_init (EnrDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_device_finalize;
  object_class->get_property = enr_device_get_property;
  object_class->set_property = enr_device_set_property;

  properties[PROP_ASSET_TYPE] =
    enr_param_spec_required (g_param_spec_enum ("asset-type", NULL, NULL,
                                                ENR_TYPE_ASSET_TYPE,
                                                ENR_ASSET_TYPE_THERMOSTAT,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_SPECIFICATION] =
    enr_param_spec_required (g_param_spec_string ("specification", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_SERIAL_NUMBER] =
    g_param_spec_string ("serial-number", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_BADGE_NUMBER] =
    g_param_spec_string ("badge-number", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_NETWORK_ID] =
    g_param_spec_string ("network-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_OWNERSHIP] =
    enr_param_spec_required (g_param_spec_enum ("ownership", NULL, NULL,
                                                ENR_TYPE_ASSET_OWNERSHIP,
                                                ENR_ASSET_OWNERSHIP_NONE,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_STATUS] =
    enr_param_spec_required (g_param_spec_enum ("status", NULL, NULL,
                                                ENR_TYPE_DEVICE_STATUS,
                                                ENR_DEVICE_STATUS_PLANNED,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_DEVICE_LOCATION_ID] =
    g_param_spec_string ("device-location-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_SUBSCRIPTION_ID] =
    g_param_spec_string ("subscription-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_device_init (EnrDevice *self)
{
}

EnrDevice *
enr_device_new (void)
{
  return g_object_new (ENR_TYPE_DEVICE, NULL);
}

EnrAssetType
enr_device_get_asset_type (EnrDevice *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE (self), ENR_ASSET_TYPE_THERMOSTAT);

  return self->asset_type;
}

void
enr_device_set_asset_type (EnrDevice   *self,
                           EnrAssetType asset_type)
{
  g_return_if_fail (ENR_IS_DEVICE (self));

  if (self->asset_type == asset_type)
    return;

  self->asset_type = asset_type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSET_TYPE]);
}

const char *
enr_device_get_specification (EnrDevice *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE (self), NULL);

  return self->specification;
}

void
enr_device_set_specification (EnrDevice  *self,
                              const char *specification)
{
  g_return_if_fail (ENR_IS_DEVICE (self));

  if (enr_set_string (&self->specification, specification))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPECIFICATION]);
}

const char *
enr_device_get_serial_number (EnrDevice *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE (self), NULL);

  return self->serial_number;
}

void
enr_device_set_serial_number (EnrDevice  *self,
                              const char *serial_number)
{
  g_return_if_fail (ENR_IS_DEVICE (self));

  if (enr_set_string (&self->serial_number, serial_number))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERIAL_NUMBER]);
}

const char *
enr_device_get_badge_number (EnrDevice *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE (self), NULL);

  return self->badge_number;
}

void
enr_device_set_badge_number (EnrDevice  *self,
                             const char *badge_number)
{
  g_return_if_fail (ENR_IS_DEVICE (self));

  if (enr_set_string (&self->badge_number, badge_number))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BADGE_NUMBER]);
}

const char *
enr_device_get_network_id (EnrDevice *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE (self), NULL);

  return self->network_id;
}

void
enr_device_set_network_id (EnrDevice  *self,
                           const char *network_id)
{
  g_return_if_fail (ENR_IS_DEVICE (self));

  if (enr_set_string (&self->network_id, network_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_ID]);
}

EnrAssetOwnership
enr_device_get_ownership (EnrDevice *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE (self), ENR_ASSET_OWNERSHIP_NONE);

  return self->ownership;
}

void
enr_device_set_ownership (EnrDevice        *self,
                          EnrAssetOwnership ownership)
{
  g_return_if_fail (ENR_IS_DEVICE (self));

  if (self->ownership == ownership)
    return;

  self->ownership = ownership;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWNERSHIP]);
}

EnrDeviceStatus
enr_device_get_status (EnrDevice *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE (self), ENR_DEVICE_STATUS_PLANNED);

  return self->status;
}

void
enr_device_set_status (EnrDevice      *self,
                       EnrDeviceStatus status)
{
  g_return_if_fail (ENR_IS_DEVICE (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
enr_device_get_device_location_id (EnrDevice *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE (self), NULL);

  return self->device_location_id;
}

void
enr_device_set_device_location_id (EnrDevice  *self,
                                   const char *device_location_id)
{
  g_return_if_fail (ENR_IS_DEVICE (self));

  if (enr_set_string (&self->device_location_id, device_location_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_LOCATION_ID]);
}

const char *
enr_device_get_subscription_id (EnrDevice *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE (self), NULL);

  return self->subscription_id;
}

void
enr_device_set_subscription_id (EnrDevice  *self,
                                const char *subscription_id)
{
  g_return_if_fail (ENR_IS_DEVICE (self));

  if (enr_set_string (&self->subscription_id, subscription_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBSCRIPTION_ID]);
}

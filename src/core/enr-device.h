/* enr-device.h — a controllable device (thermostat, battery, EV charger…)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"
#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_DEVICE (enr_device_get_type ())

G_DECLARE_FINAL_TYPE (EnrDevice, enr_device, ENR, DEVICE, EnrEntity)

EnrDevice        *enr_device_new                    (void);
EnrAssetType      enr_device_get_asset_type         (EnrDevice *self);
void              enr_device_set_asset_type         (EnrDevice   *self,
                                                     EnrAssetType asset_type);
const char       *enr_device_get_specification      (EnrDevice *self);
void              enr_device_set_specification      (EnrDevice  *self,
                                                     const char *specification);
const char       *enr_device_get_serial_number      (EnrDevice *self);
void              enr_device_set_serial_number      (EnrDevice  *self,
                                                     const char *serial_number);
const char       *enr_device_get_badge_number       (EnrDevice *self);
void              enr_device_set_badge_number       (EnrDevice  *self,
                                                     const char *badge_number);
const char       *enr_device_get_network_id         (EnrDevice *self);
void              enr_device_set_network_id         (EnrDevice  *self,
                                                     const char *network_id);
EnrAssetOwnership enr_device_get_ownership          (EnrDevice *self);
void              enr_device_set_ownership          (EnrDevice        *self,
                                                     EnrAssetOwnership ownership);
EnrDeviceStatus   enr_device_get_status             (EnrDevice *self);
void              enr_device_set_status             (EnrDevice      *self,
                                                     EnrDeviceStatus status);
const char       *enr_device_get_device_location_id (EnrDevice *self);
void              enr_device_set_device_location_id (EnrDevice  *self,
                                                     const char *device_location_id);
const char       *enr_device_get_subscription_id    (EnrDevice *self);
void              enr_device_set_subscription_id    (EnrDevice  *self,
                                                     const char *subscription_id);

G_END_DECLS

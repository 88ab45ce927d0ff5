/* enr-device-location.h — where controllable devices sit at a service point
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"

G_BEGIN_DECLS

#define ENR_TYPE_DEVICE_LOCATION (enr_device_location_get_type ())

G_DECLARE_FINAL_TYPE (EnrDeviceLocation, enr_device_location, ENR, DEVICE_LOCATION, EnrEntity)

EnrDeviceLocation *enr_device_location_new                  (void);
const char        *enr_device_location_get_service_point_id (EnrDeviceLocation *self);
void               enr_device_location_set_service_point_id (EnrDeviceLocation *self,
                                                             const char        *service_point_id);
const char        *enr_device_location_get_address          (EnrDeviceLocation *self);
void               enr_device_location_set_address          (EnrDeviceLocation *self,
                                                             const char        *address);
const char        *enr_device_location_get_description      (EnrDeviceLocation *self);
void               enr_device_location_set_description      (EnrDeviceLocation *self,
                                                             const char        *description);

G_END_DECLS

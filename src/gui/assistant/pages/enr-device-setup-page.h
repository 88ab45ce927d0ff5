/* enr-device-setup-page.h — the Device Setup panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-page.h"

G_BEGIN_DECLS

#define ENR_TYPE_DEVICE_SETUP_PAGE (enr_device_setup_page_get_type ())

G_DECLARE_FINAL_TYPE (EnrDeviceSetupPage, enr_device_setup_page, ENR, DEVICE_SETUP_PAGE, EnrPage)

GtkWidget *enr_device_setup_page_new (void);

G_END_DECLS

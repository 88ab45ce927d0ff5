/* enr-format.h — dates, times, appointments, metered services and devices
 * as the client shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "enr-consent.h"
#include "enr-device.h"
#include "enr-metered-service.h"

G_BEGIN_DECLS

char       *enr_format_date        (const GDate *date);
char       *enr_format_iso_date    (const GDate *date);
gboolean    enr_parse_iso_date     (const char  *text,
                                    GDate       *date);
char       *enr_format_date_time   (GDateTime   *date_time);
char       *enr_format_time        (GDateTime   *date_time);
char       *enr_format_appointment (GDateTime   *start,
                                    GDateTime   *end,
                                    const char  *crew_name);
const char *enr_or_dash            (const char  *text);
GTimeZone  *enr_local_time_zone    (void);

char       *enr_metered_service_describe (EnrMeteredService *service);
char       *enr_device_describe          (EnrDevice         *device);
char       *enr_consent_describe         (EnrConsent        *consent);

G_END_DECLS

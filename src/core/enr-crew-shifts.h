/* enr-crew-shifts.h — crew shifts from each crew's shift type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-crew.h"
#include "enr-crew-shift.h"
#include "enr-crew-shift-type.h"

G_BEGIN_DECLS

#define ENR_SCHEDULE_ERROR (enr_schedule_error_quark ())

typedef enum
{
  ENR_SCHEDULE_ERROR_INVALID_TIME,
  ENR_SCHEDULE_ERROR_INVALID_WEEKDAY,
  ENR_SCHEDULE_ERROR_UNKNOWN_SHIFT_TYPE,
} EnrScheduleError;

GQuark     enr_schedule_error_quark (void);

gboolean   enr_parse_time_of_day    (const char   *text,
                                     int          *minutes);
gboolean   enr_parse_weekday        (const char   *text,
                                     GDateWeekday *weekday);
GPtrArray *enr_crew_shifts_expand   (GPtrArray    *crews,
                                     GPtrArray    *shift_types,
                                     const GDate  *from,
                                     guint         days,
                                     GTimeZone    *tz,
                                     GError      **error);

G_END_DECLS

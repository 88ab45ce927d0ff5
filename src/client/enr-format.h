/* enr-format.h — dates, times and appointments as the client shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

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

G_END_DECLS

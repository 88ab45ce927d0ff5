/* enr-backoff.h — full-jitter exponential backoff and Retry-After
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ENR_BACKOFF_DEFAULT_BASE (1 * G_USEC_PER_SEC)
#define ENR_BACKOFF_DEFAULT_CAP  (5 * 60 * G_USEC_PER_SEC)

/* The longest Retry-After honoured, so a lying service cannot park the
 * client for days. */
#define ENR_BACKOFF_MAX_RETRY_AFTER (60 * 60)

gint64   enr_backoff_ceiling           (guint        attempt,
                                        gint64       base,
                                        gint64       cap);
gint64   enr_backoff_delay             (guint        attempt,
                                        gint64       base,
                                        gint64       cap,
                                        guint        retry_after,
                                        GRand       *rand);
gboolean enr_backoff_parse_retry_after (const char  *value,
                                        GDateTime   *now,
                                        guint       *seconds);

G_END_DECLS

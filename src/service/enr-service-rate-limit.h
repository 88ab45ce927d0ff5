/* enr-service-rate-limit.h — a token bucket per client
 *
 * Each key (a verified session, or the peer address before and without
 * one) has a bucket of @burst tokens refilled at @rate tokens per second;
 * a request takes one token. The table holds at most max_keys buckets:
 * past that, full buckets (which hold no information) go first, then
 * arbitrary ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ENR_SERVICE_RATE_LIMIT_MAX_KEYS 65536

typedef struct _EnrServiceRateLimit EnrServiceRateLimit;

EnrServiceRateLimit *enr_service_rate_limit_new    (double               rate,
                                                    double               burst);
void                 enr_service_rate_limit_free   (EnrServiceRateLimit *self);
guint                enr_service_rate_limit_take   (EnrServiceRateLimit *self,
                                                    const char          *key,
                                                    gint64               now_usec);
void                 enr_service_rate_limit_expire (EnrServiceRateLimit *self,
                                                    gint64               now_usec);
guint                enr_service_rate_limit_size   (EnrServiceRateLimit *self);
void                 enr_service_rate_limit_set_max_keys (EnrServiceRateLimit *self,
                                                          guint                max_keys);

char                *enr_service_address_key       (GSocketAddress      *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServiceRateLimit, enr_service_rate_limit_free)

G_END_DECLS

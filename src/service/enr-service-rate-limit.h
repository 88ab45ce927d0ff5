/* enr-service-rate-limit.h — a token bucket per client
 *
 * Each key (a session token's digest, or the peer address before sign-in)
 * has a bucket of @burst tokens refilled at @rate tokens per second; a
 * request takes one token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServiceRateLimit, enr_service_rate_limit_free)

G_END_DECLS

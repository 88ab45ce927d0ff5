/* enr-service-pool.h — a few PostgreSQL connections, each on a thread of its own
 *
 * On PostgreSQL the handlers run off the main loop: a job is handed to
 * one of @size threads together with a store of its own (its own
 * connection), so that waiting for the database (a lock, a COMMIT's
 * fsync) never stops the main loop, and several requests wait at once.
 * The main loop keeps the connections and HTTP; the jobs post their
 * replies back to it. A job takes the connection the last job gave back
 * (last in, first out).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-service-store.h"

G_BEGIN_DECLS

typedef struct _EnrServicePool EnrServicePool;

/* Runs on a pool thread with @store, which no other thread uses meanwhile. */
typedef void (*EnrServicePoolFunc) (EnrServiceStore *store,
                                    gpointer         data);

EnrServicePool  *enr_service_pool_new       (const char          *target,
                                             guint                size,
                                             EnrServiceStore     *first,
                                             GError             **error);
void             enr_service_pool_push      (EnrServicePool      *self,
                                             EnrServicePoolFunc   func,
                                             gpointer             data);
guint            enr_service_pool_get_size  (EnrServicePool      *self);
guint            enr_service_pool_count_idle (EnrServicePool     *self);
void             enr_service_pool_free      (EnrServicePool      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServicePool, enr_service_pool_free)

G_END_DECLS

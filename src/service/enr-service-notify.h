/* enr-service-notify.h — hears what other instances change (PostgreSQL LISTEN)
 *
 * Several instances serve one PostgreSQL database and each caches the
 * decoded reference data. A transaction that changes it announces it
 * (pg_notify, delivered at commit); an instance whose transactions wrote
 * to the change log announces that after their COMMIT, on its listening
 * connection (for the long polls of the feed); every instance listens on
 * a dedicated
 * connection of its own, driven by the main loop without blocking it
 * (libpq's non-blocking connect, the socket watched by the main loop), and
 * drops its caches when it hears of a change. Notifications are not
 * replayed to a connection that was not listening: after a reconnect the
 * caches are dropped too, as if everything had changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-service-store.h"

G_BEGIN_DECLS

typedef struct _EnrServiceNotify EnrServiceNotify;

/* Changes were committed (here or on another instance), or may have been
 * while the connection was down. */
typedef void (*EnrServiceChangesHeard) (gpointer user_data);

EnrServiceNotify *enr_service_notify_new          (EnrServiceStore        *store,
                                                   EnrServiceChangesHeard  changes_heard,
                                                   gpointer                user_data);
void              enr_service_notify_free         (EnrServiceNotify *self);
gboolean          enr_service_notify_is_listening (EnrServiceNotify *self);
guint64           enr_service_notify_get_heard    (EnrServiceNotify *self);
guint             enr_service_notify_get_watches  (EnrServiceNotify *self);
void              enr_service_notify_announce_changes (EnrServiceNotify *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServiceNotify, enr_service_notify_free)

G_END_DECLS

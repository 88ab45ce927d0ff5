/* enr-service-daemon.h — the service under systemd: readiness, watchdog,
 * socket activation, log file and reload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-service-options.h"
#include "enr-service-server.h"

G_BEGIN_DECLS

gboolean   enr_service_daemon_has_systemd    (void);
void       enr_service_daemon_notify         (const char               *state);
guint      enr_service_daemon_start_watchdog (void);
GPtrArray *enr_service_daemon_take_sockets   (GError                  **error);

gboolean   enr_service_daemon_open_log       (const char               *path,
                                              GError                  **error);
void       enr_service_daemon_reload         (EnrServiceServer         *server,
                                              const EnrServiceOptions  *options);

G_END_DECLS

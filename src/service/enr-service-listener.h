/* enr-service-listener.h — the service's own listening socket and connections
 *
 * libsoup 3.2.3 does not free a keep-alive connection that the client
 * closes while it is idle (fixed upstream after 3.2): each one keeps its
 * descriptor for good. So the service accepts connections itself and owns
 * them (EnrServiceConnection): it reads each request head, checks it
 * (enr-service-http.h), and hands libsoup one request at a time with
 * soup_server_accept_iostream() over a stream that carries that request
 * only (EnrServiceRequestStream). With no listener of its own, libsoup
 * closes that stream after the response; the connection then reads the
 * next request, or closes when the client went away. A connection is
 * closed after the header timeout (a head that is not complete in time), the
 * idle timeout (no request after the last response) or when the client stalls
 * a body or a response as long as the header timeout.
 *
 * The listen backlog is the system's maximum (net.core.somaxconn); beyond
 * max_connections open connections a new one gets 503 problem+json with
 * Retry-After and is closed. max_connections is lowered to what the
 * descriptor limit (raised to its hard limit first) leaves room for.
 *
 * With reuse_port (--reuse-port) the socket is bound with SO_REUSEPORT:
 * other instances on the same machine may listen on the same address, each
 * with a socket and a backlog of its own, and the kernel hands every new
 * connection to one of them. A connection still waiting in the backlog of
 * an instance that dies is reset; the clients retry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "enr-service-http.h"

G_BEGIN_DECLS

typedef struct
{
  guint                max_connections;
  guint                header_timeout;   /* seconds */
  guint                idle_timeout;     /* seconds */
  EnrServiceHttpLimits head;
  gboolean             reuse_port;       /* SO_REUSEPORT: other instances on the port */
} EnrServiceNetConfig;

/* The Server header: no versions for a scanner to match. */
#define ENR_SERVICE_SERVER_HEADER "enrollment-service"

#define ENR_SERVICE_DEFAULT_MAX_CONNECTIONS 1000
#define ENR_SERVICE_DEFAULT_HEADER_TIMEOUT  20
#define ENR_SERVICE_DEFAULT_IDLE_TIMEOUT    75

#define ENR_TYPE_SERVICE_LISTENER (enr_service_listener_get_type ())

G_DECLARE_FINAL_TYPE (EnrServiceListener, enr_service_listener, ENR, SERVICE_LISTENER, GObject)

void                enr_service_net_config_init          (EnrServiceNetConfig       *config);

EnrServiceListener *enr_service_listener_new             (SoupServer                *soup,
                                                          const EnrServiceNetConfig *config,
                                                          GTlsCertificate           *certificate);
gboolean            enr_service_listener_listen          (EnrServiceListener        *self,
                                                          GSocketAddress            *address,
                                                          GError                   **error);
gboolean            enr_service_listener_listen_socket   (EnrServiceListener        *self,
                                                          GSocket                   *socket,
                                                          GError                   **error);
void                enr_service_listener_set_certificate (EnrServiceListener        *self,
                                                          GTlsCertificate           *certificate);
GSocketAddress     *enr_service_listener_get_address     (EnrServiceListener        *self);
gboolean            enr_service_listener_is_tls          (EnrServiceListener        *self);
void                enr_service_listener_close           (EnrServiceListener        *self);
guint               enr_service_listener_get_n_connections (EnrServiceListener      *self);
guint               enr_service_listener_get_max_connections (EnrServiceListener    *self);

/* Closes the connection of @msg (a body past the drain limit). */
void                enr_service_listener_abort_message   (SoupServerMessage         *msg);

G_END_DECLS

/* enr-service-connection.h — one client connection the service owns
 *
 * Internal to enr-service-listener.c and enr-service-request-stream.c:
 * the listener accepts the socket and creates the connection; the
 * connection reads and checks each request head and gives libsoup an
 * EnrServiceRequestStream that carries that one request (its head, then
 * its body as framed by Content-Length or chunked, nothing more) and
 * writes the response to the socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-service-listener.h"

G_BEGIN_DECLS

#define ENR_TYPE_SERVICE_CONNECTION (enr_service_connection_get_type ())

G_DECLARE_FINAL_TYPE (EnrServiceConnection, enr_service_connection, ENR, SERVICE_CONNECTION, GObject)

#define ENR_TYPE_SERVICE_REQUEST_STREAM (enr_service_request_stream_get_type ())

G_DECLARE_FINAL_TYPE (EnrServiceRequestStream, enr_service_request_stream, ENR, SERVICE_REQUEST_STREAM, GIOStream)

/* The listener's side */
EnrServiceConnection *enr_service_connection_new       (EnrServiceListener        *listener,
                                                        GSocketConnection         *connection,
                                                        const EnrServiceNetConfig *config,
                                                        GTlsCertificate           *certificate);
void                  enr_service_connection_start     (EnrServiceConnection      *self);
void                  enr_service_connection_refuse    (EnrServiceConnection      *self,
                                                        guint                      status,
                                                        const char                *slug,
                                                        const char                *detail,
                                                        guint                      retry_after);
void                  enr_service_connection_close     (EnrServiceConnection      *self);
gboolean              enr_service_connection_is_refusing (EnrServiceConnection    *self);
void                  enr_service_connection_request_started  (EnrServiceConnection *self,
                                                               SoupServerMessage    *msg);
void                  enr_service_connection_request_finished (EnrServiceConnection *self,
                                                               SoupServerMessage    *msg,
                                                               gboolean              completed);
void                  enr_service_connection_abort     (EnrServiceConnection      *self);
gint64                enr_service_connection_get_deadline (EnrServiceConnection   *self);
void                  enr_service_connection_expire    (EnrServiceConnection      *self);

/* Implemented by the listener */
void                  enr_service_listener_hand_off    (EnrServiceListener        *listener,
                                                        EnrServiceConnection      *connection,
                                                        GIOStream                 *stream,
                                                        GSocketAddress            *local,
                                                        GSocketAddress            *remote);
void                  enr_service_listener_forget      (EnrServiceListener        *listener,
                                                        EnrServiceConnection      *connection);

/* The request stream's side: non-blocking reads and writes of the request
 * the connection handed over, and sources that wake libsoup. */
gssize                enr_service_connection_read_request   (EnrServiceConnection *self,
                                                             guint8               *buffer,
                                                             gsize                 count,
                                                             GError              **error);
gboolean              enr_service_connection_request_readable (EnrServiceConnection *self);
GSource              *enr_service_connection_request_read_source (EnrServiceConnection *self,
                                                                  GObject              *pollable,
                                                                  GCancellable         *cancellable);
gssize                enr_service_connection_write_response (EnrServiceConnection *self,
                                                             const guint8         *buffer,
                                                             gsize                 count,
                                                             GError              **error);
gboolean              enr_service_connection_response_writable (EnrServiceConnection *self);
GSource              *enr_service_connection_response_write_source (EnrServiceConnection *self,
                                                                    GObject              *pollable,
                                                                    GCancellable         *cancellable);
void                  enr_service_connection_request_closed (EnrServiceConnection *self);

EnrServiceRequestStream *enr_service_request_stream_new    (EnrServiceConnection    *connection);
EnrServiceConnection    *enr_service_request_stream_get_connection (EnrServiceRequestStream *self);
void                     enr_service_request_stream_detach (EnrServiceRequestStream *self);

G_END_DECLS

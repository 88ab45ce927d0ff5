/* enr-fault-proxy.h — a TCP proxy between the client and the service that
 * injects faults into HTTP/1.1 exchanges
 *
 * Each connection is served by a thread with blocking I/O. Every request is
 * read whole (headers and Content-Length body); then, with the configured
 * probability, one fault happens to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  FAULT_NONE,
  FAULT_DELAY,          /* the response comes 20–200 ms late */
  FAULT_RESET_BEFORE,   /* TCP reset before the request reaches the service */
  FAULT_DROP_AFTER,     /* the service did the work; the connection closes before the response */
  FAULT_RESET_AFTER,    /* the same with a TCP reset */
  FAULT_TRUNCATE,       /* half of the response, then the connection closes */
  FAULT_500_AFTER,      /* the service did the work; the client sees 500 */
  FAULT_503,            /* the service never sees the request: 503, Retry-After: 0 */
  FAULT_429,            /* the service never sees the request: 429, Retry-After: 1 */
  N_FAULTS
} FaultKind;

typedef struct _FaultProxy FaultProxy;

FaultProxy *fault_proxy_new          (guint16      upstream_port,
                                      guint32      seed,
                                      GError     **error);
guint16     fault_proxy_get_port     (FaultProxy  *proxy);
char       *fault_proxy_get_url      (FaultProxy  *proxy);
void        fault_proxy_set_rate     (FaultProxy  *proxy,
                                      double       rate);
guint       fault_proxy_get_count    (FaultProxy  *proxy,
                                      FaultKind    kind);
guint       fault_proxy_get_requests (FaultProxy  *proxy);
const char *fault_kind_name          (FaultKind    kind);
void        fault_proxy_free         (FaultProxy  *proxy);

G_END_DECLS

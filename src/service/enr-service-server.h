/* enr-service-server.h — the enrollment service's HTTP server
 *
 * A SoupServer with one dispatcher for /v1: body-size limit (checked from
 * the headers and while a chunked body arrives), per-client rate limit,
 * bearer sessions, roles, Idempotency-Key replay, and group commit: the
 * writes that arrive together share one SQLite transaction, each in its
 * own savepoint, and their replies are written only after its COMMIT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "enr-service-listener.h"
#include "enr-service-request.h"
#include "enr-service-store.h"
#include "enr-service-throttle.h"

G_BEGIN_DECLS

typedef struct
{
  gsize  max_body;          /* bytes; larger bodies get 413 */
  gsize  drain_limit;       /* bytes of a refused body read before closing */
  double rate;              /* requests per second per client; 0 = no limit */
  double burst;             /* bucket size */
  gint64 session_ttl;       /* seconds */
  gint64 response_max_age;  /* seconds an Idempotency-Key is remembered */
  gint64 change_retention;  /* change-log rows kept */
  guint  batch_max;         /* writes per transaction, at most */
  guint  batch_delay;       /* ms a batch waits for more writes; 0 = until the
                             * main loop has nothing else to do (at most 5 ms) */
  guint  snapshot_max_age;  /* SQLite: ms the reads' shared snapshot is kept at
                             * most while the main loop never idles; 0 = each
                             * read takes its own */
  guint  database_connections;  /* PostgreSQL: the pool's connections and threads */
  EnrServiceNetConfig net;  /* connections, timeouts, request heads */
  EnrServiceThrottleConfig throttle;  /* failed sign-ins */
} EnrServiceConfig;

#define ENR_SERVICE_DEFAULT_MAX_BODY         (1024 * 1024)
#define ENR_SERVICE_DEFAULT_DRAIN_LIMIT      (256 * 1024 * 1024)
#define ENR_SERVICE_DEFAULT_RATE             50.0
#define ENR_SERVICE_DEFAULT_BURST            100.0
#define ENR_SERVICE_DEFAULT_SESSION_TTL      (12 * 60 * 60)
#define ENR_SERVICE_DEFAULT_RESPONSE_MAX_AGE (30 * 24 * 60 * 60)
#define ENR_SERVICE_DEFAULT_CHANGE_RETENTION 100000
#define ENR_SERVICE_DEFAULT_BATCH_MAX        64
#define ENR_SERVICE_DEFAULT_BATCH_DELAY      0
#define ENR_SERVICE_DEFAULT_DATABASE_CONNECTIONS 8
#define ENR_SERVICE_DEFAULT_SNAPSHOT_MAX_AGE 5

#define ENR_TYPE_SERVICE_SERVER (enr_service_server_get_type ())

G_DECLARE_FINAL_TYPE (EnrServiceServer, enr_service_server, ENR, SERVICE_SERVER, GObject)

void              enr_service_config_init          (EnrServiceConfig        *config);

EnrServiceServer *enr_service_server_new           (EnrServiceStore         *store,
                                                    const EnrServiceConfig  *config,
                                                    GTlsCertificate         *certificate);
EnrServiceStore  *enr_service_server_get_store     (EnrServiceServer        *self);
const EnrServiceConfig *
                  enr_service_server_get_config    (EnrServiceServer        *self);
SoupServer       *enr_service_server_get_soup      (EnrServiceServer        *self);
gboolean          enr_service_server_listen        (EnrServiceServer        *self,
                                                    const char              *address,
                                                    GError                 **error);
gboolean          enr_service_server_listen_socket (EnrServiceServer        *self,
                                                    GSocket                 *socket,
                                                    GError                 **error);
void              enr_service_server_set_tls_certificate (EnrServiceServer  *self,
                                                    GTlsCertificate         *certificate);
char             *enr_service_server_get_url       (EnrServiceServer        *self);
void              enr_service_server_disconnect    (EnrServiceServer        *self);
void              enr_service_server_run_maintenance (EnrServiceServer      *self);

/* For handlers that paused their message (EnrServiceRequest:async). */
void              enr_service_server_complete      (EnrServiceServer        *self,
                                                    EnrServiceRequest       *req);
/* Holds GET /v1/changes?wait=N until a change for it commits (its reply
 * is then made again with enr_service_changes_reply()) or @seconds pass. */
void              enr_service_server_hold_for_changes (EnrServiceServer     *self,
                                                    EnrServiceRequest       *req,
                                                    guint                    seconds);
guint             enr_service_server_get_change_waits (EnrServiceServer     *self);
void              enr_service_server_continue      (EnrServiceServer        *self,
                                                    EnrServiceRequest       *req,
                                                    EnrServiceHandler        continuation);

/* Commits the open batch of writes, if any, and sends their replies; call
 * it before reading or starting a transaction of your own. */
void              enr_service_server_flush         (EnrServiceServer        *self);
guint             enr_service_server_get_batch_size (EnrServiceServer       *self);
void              enr_service_server_get_batch_stats (EnrServiceServer      *self,
                                                    guint64                 *batches,
                                                    guint64                 *writes);

G_END_DECLS

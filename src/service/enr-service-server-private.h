/* enr-service-server-private.h — what the service's server files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * enr-service-server.c: the server object, listening, the HTTP framing
 *   (a request in, its reply out, the body limit) and maintenance;
 * enr-service-routes.c: the routes and their matching;
 * enr-service-server-dispatch.c: the handlers' glue: session, rate limit,
 *   role, media type, Idempotency-Key and audit around a handler; on
 *   PostgreSQL a pool thread and a transaction per request;
 * enr-service-server-batch.c: the group commit of writes (SQLite);
 * enr-service-server-changes.c: the long polls of the change feed.
 */
#pragma once

#include "enr-service-auth.h"
#include "enr-service-handlers.h"
#include "enr-service-notify.h"
#include "enr-service-pool.h"
#include "enr-service-rate-limit.h"
#include "enr-service-server.h"
#include "enr-service-tasks.h"

G_BEGIN_DECLS

typedef enum
{
  ROUTE_READ       = 0,
  ROUTE_PUBLIC     = 1 << 0,   /* no session needed */
  ROUTE_WRITE      = 1 << 1,   /* one transaction, audited */
  ROUTE_NO_KEY     = 1 << 2,   /* a write without Idempotency-Key */
  ROUTE_SUPERVISOR = 1 << 3,
  ROUTE_OWN_TRANSACTIONS = 1 << 4,   /* PostgreSQL: the handler runs its own */
} RouteFlags;

typedef struct
{
  const char        *method;
  const char        *pattern;
  RouteFlags         flags;
  EnrServiceHandler  handler;
} Route;

struct _EnrServiceServer
{
  GObject              parent_instance;

  EnrServiceStore     *store;
  EnrServiceConfig     config;
  SoupServer          *soup;
  EnrServiceListener  *listener;
  GTlsCertificate     *certificate;
  EnrServiceRateLimit *rate_limit;
  GMutex               rate_mutex;       /* rate_limit's, and leases' */
  GHashTable          *leases;           /* PostgreSQL: bucket key → RateLease, tokens taken ahead */
  guint                maintenance_id;

  /* PostgreSQL: the handlers run on the pool's threads */
  EnrServicePool      *pool;
  gint                 pending;          /* requests handed to the pool, not yet replied */
  GMutex               replies_mutex;
  EnrServiceRequest   *replies_head;     /* run, their replies not sent: a list on req->next_reply */
  EnrServiceRequest   *replies_tail;
  gboolean             replies_scheduled; /* complete_replies_cb() will send them */
  gboolean             count_traffic;    /* ENR_SERVICE_COUNT_TRAFFIC=1: Enr-Db-* reply headers */
  EnrServiceNotify    *notify;           /* what other instances change */
  GHashTable          *known_sessions;   /* token digest → KnownSession */
  GMutex               known_mutex;

  /* Group commit: the open transaction and the writes it holds */
  GPtrArray           *batch;            /* EnrServiceRequest, replies held */
  gboolean             batch_open;
  gboolean             batch_broken;     /* SQLite lost it: nothing will be stored */
  gint64               batch_opened_at;  /* monotonic µs */
  guint                batch_due_id;
  guint                batch_deadline_id;
  guint64              batches_committed;
  guint64              writes_committed;

  /* SQLite: the read snapshot kept between reads (enr_db_keep_snapshots()),
   * dropped when the main loop idles or it is config.snapshot_max_age ms old */
  guint                snapshot_idle_id;
  guint                snapshot_deadline_id;

  /* Long polls of the change feed: ChangeWait, replies held */
  GPtrArray           *change_waits;
  guint                change_wake_id;
  guint64              changes_seq;    /* wakes so far (main loop) */
};

/* enr-service-server.c */
void         _enr_service_server_write_reply         (EnrServiceRequest *req);
void         _enr_service_server_release_pooled      (EnrServiceServer  *self);
void         _enr_service_server_post_reply          (EnrServiceRequest *req);
void         _enr_service_server_count_from          (EnrServiceRequest *req);
void         _enr_service_server_count_to            (EnrServiceRequest *req);

/* enr-service-routes.c */
const Route *_enr_service_server_find_route          (EnrServiceRequest *req);
gboolean     _enr_service_server_has_path            (const char        *path,
                                                      guint             *first);
gboolean     _enr_service_server_answer_unrouted     (EnrServiceServer  *self,
                                                      EnrServiceRequest *req);

/* enr-service-server-dispatch.c */
void         _enr_service_known_session_free         (gpointer           data);
void         _enr_service_server_dispatch            (EnrServiceServer  *self,
                                                      EnrServiceRequest *req);
gboolean     _enr_service_server_ensure_connected    (EnrServiceRequest *req);
void         _enr_service_server_run_pooled          (EnrServiceStore   *store,
                                                      gpointer           data);

/* enr-service-server-batch.c */
void         _enr_service_server_end_batch           (EnrServiceServer  *self);
gboolean     _enr_service_server_join_batch          (EnrServiceServer  *self,
                                                      EnrServiceRequest *req);
void         _enr_service_server_settle_write        (EnrServiceServer  *self,
                                                      EnrServiceRequest *req);
void         _enr_service_server_check_batch         (EnrServiceServer  *self);

/* enr-service-server-changes.c */
void         _enr_service_server_wake_change_waits   (EnrServiceServer  *self);
void         _enr_service_server_changes_committed   (EnrServiceServer  *self);
void         _enr_service_server_answer_change_waits (EnrServiceServer  *self);
gboolean     _enr_service_server_hold_pooled         (gpointer           data);

G_END_DECLS

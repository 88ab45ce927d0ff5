/* enr-sync-engine.h — keeps the client store and the service in step
 *
 * A cycle pushes the outbox (in order per entity, a few entities at a
 * time, the acknowledgements recorded a batch per transaction), then
 * downloads everything when the store has no cursor yet (or
 * the service forgot it: 410), then pulls /v1/changes, storing each page
 * and its cursor in one transaction. Failures worth retrying end the cycle
 * and schedule the next one with full-jitter exponential backoff, never
 * sooner than the service's Retry-After; 401 waits for a sign-in; 403/422
 * reject one operation and 409/412 put it in conflict with the service's
 * copy — neither blocks other entities, and nothing is dropped. Only the
 * operations of the session's user are sent; other users' wait for theirs.
 *
 * Between cycles the engine keeps a long poll of the change feed open
 * (GET /v1/changes?wait=): changes made elsewhere arrive within a moment,
 * and a service that stops is noticed when its connection closes (or,
 * when its host goes silent, by TCP keepalive within seconds).
 * GNetworkMonitor only triggers an attempt (debounced); whether the
 * service is reachable is decided by a request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-api-client.h"
#include "enr-outbox.h"
#include "enr-store.h"

G_BEGIN_DECLS

#define ENR_SYNC_DEFAULT_MAX_IN_FLIGHT   4
#define ENR_SYNC_DEFAULT_WATCH_SECONDS   20    /* the service holds the idle watch this long */
#define ENR_SYNC_DEFAULT_SHIFT_DAYS      56    /* crew shifts expanded from today */
#define ENR_SYNC_PULL_LIMIT              500
#define ENR_SYNC_PAGE_SIZE               100
/* Customers a full download stores per transaction. */
#define ENR_SYNC_DEFAULT_DOWNLOAD_BATCH  2000

#define ENR_TYPE_SYNC_ENGINE (enr_sync_engine_get_type ())

G_DECLARE_FINAL_TYPE (EnrSyncEngine, enr_sync_engine, ENR, SYNC_ENGINE, GObject)

EnrSyncEngine  *enr_sync_engine_new                   (EnrStore            *store,
                                                       EnrApiClient        *client);
EnrStore       *enr_sync_engine_get_store             (EnrSyncEngine       *self);
EnrApiClient   *enr_sync_engine_get_client            (EnrSyncEngine       *self);

EnrSyncState    enr_sync_engine_get_state             (EnrSyncEngine       *self);
guint           enr_sync_engine_get_pending_count     (EnrSyncEngine       *self);
guint           enr_sync_engine_get_conflict_count    (EnrSyncEngine       *self);
guint           enr_sync_engine_get_rejected_count    (EnrSyncEngine       *self);
guint           enr_sync_engine_get_waiting_count     (EnrSyncEngine       *self);
double          enr_sync_engine_get_progress          (EnrSyncEngine       *self);
gboolean        enr_sync_engine_get_download_count    (EnrSyncEngine       *self,
                                                       guint               *done,
                                                       guint               *total,
                                                       int                 *seconds_left);
GDateTime      *enr_sync_engine_get_last_success      (EnrSyncEngine       *self);
const char     *enr_sync_engine_get_last_error        (EnrSyncEngine       *self);
EnrUser        *enr_sync_engine_get_user              (EnrSyncEngine       *self);
gboolean        enr_sync_engine_get_running           (EnrSyncEngine       *self);

/* Tuning (tests use short backoffs). Times in microseconds. */
void            enr_sync_engine_set_backoff           (EnrSyncEngine       *self,
                                                       gint64               base,
                                                       gint64               cap);
void            enr_sync_engine_set_download_batch    (EnrSyncEngine       *self,
                                                       guint                customers);
void            enr_sync_engine_set_max_in_flight     (EnrSyncEngine       *self,
                                                       guint                max_in_flight);
void            enr_sync_engine_set_watch_seconds     (EnrSyncEngine       *self,
                                                       guint                seconds);

/* Sessions: the token lives in memory only. */
void            enr_sync_engine_sign_in_async         (EnrSyncEngine       *self,
                                                       const char          *username,
                                                       const char          *password,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
EnrUser        *enr_sync_engine_sign_in_finish        (EnrSyncEngine       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void            enr_sync_engine_sign_out_async        (EnrSyncEngine       *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean        enr_sync_engine_sign_out_finish       (EnrSyncEngine       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void            enr_sync_engine_set_session           (EnrSyncEngine       *self,
                                                       const char          *token,
                                                       EnrUser             *user);

/* Automatic mode: sync when the outbox gets work, when the network
 * changes, on a timer while idle, and with backoff after failures. */
void            enr_sync_engine_start                 (EnrSyncEngine       *self);
void            enr_sync_engine_stop                  (EnrSyncEngine       *self);
void            enr_sync_engine_sync_now              (EnrSyncEngine       *self);

/* One cycle (after the running one, if any), and its outcome. */
void            enr_sync_engine_sync_async            (EnrSyncEngine       *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean        enr_sync_engine_sync_finish           (EnrSyncEngine       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* The whole customer (services, points, locations, devices,
 * subscriptions) into the store, for a customer opened while online. */
void            enr_sync_engine_fetch_customer_async  (EnrSyncEngine       *self,
                                                       const char          *customer_id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
EnrCustomer    *enr_sync_engine_fetch_customer_finish (EnrSyncEngine       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* Resolving an operation in conflict or rejected. */
gboolean        enr_sync_engine_keep_mine             (EnrSyncEngine       *self,
                                                       gint64               seq,
                                                       GError             **error);
gboolean        enr_sync_engine_take_theirs           (EnrSyncEngine       *self,
                                                       gint64               seq,
                                                       GError             **error);
EnrProcessFlow *enr_sync_engine_save_as_new           (EnrSyncEngine       *self,
                                                       gint64               seq,
                                                       GError             **error);

G_END_DECLS

/* enr-sync-engine-private.h — what the sync engine's own files share
 *
 * The engine runs one cycle at a time: push (enr-sync-engine-push.c), then
 * the first download when there is no cursor yet (-download.c), then pull
 * (-pull.c). enr-sync-engine-cycle.c starts and ends a cycle; between
 * cycles the engine watches the change feed (-watch.c);
 * enr-sync-engine-resolve.c applies the clerk's decisions on conflicts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-sync-engine.h"

G_BEGIN_DECLS

typedef struct _Cycle Cycle;
typedef struct _Pager Pager;

typedef enum
{
  PHASE_PUSH,
  PHASE_DOWNLOAD,
  PHASE_PULL,
} Phase;

struct _EnrSyncEngine
{
  GObject          parent_instance;

  EnrStore        *store;
  EnrOutbox       *outbox;
  EnrApiClient    *client;
  GNetworkMonitor *monitor;
  GCancellable    *cancellable;
  GRand           *rand;

  EnrSyncState     state;
  guint            pending_count;
  guint            conflict_count;
  guint            rejected_count;
  guint            waiting_count;
  double           progress;
  guint            download_done;     /* customers, while a download runs */
  guint            download_total;
  guint            download_first;    /* done when the count started */
  gint64           download_started;  /* monotonic µs */
  GDateTime       *last_success;
  char            *last_error;
  EnrUser         *user;

  gint64           backoff_base;
  gint64           backoff_cap;
  guint            max_in_flight;
  guint            download_batch;
  guint            watch_seconds;

  gboolean         running;
  Cycle           *cycle;
  GPtrArray       *waiters;       /* GTasks waiting for the next cycle */
  gboolean         again;
  guint            failures;
  guint            timer_id;
  guint            start_id;
  guint            debounce_id;
  guint            outbox_idle_id;
  gulong           outbox_changed_id;
  gulong           network_changed_id;

  /* The long poll of the change feed between cycles */
  GCancellable    *watch_cancellable;
  gint64           watch_sent_at;  /* monotonic µs */
  guint            watch_id;       /* the next watch, after a quick empty answer */
};

struct _Cycle
{
  EnrSyncEngine *engine;
  GCancellable  *cancellable;
  GPtrArray     *waiters;
  GError        *error;
  gint64         retry_delay;
  guint          retry_after;
  Phase          phase;
  gboolean       downloaded;

  /* push */
  GHashTable    *sending;
  GQueue         ready;         /* operations to send next, the entities' next first */
  GHashTable    *known;         /* seqs ready, being sent, or acknowledged and not recorded */
  GArray        *acks;          /* EnrOutboxAck: acknowledged, not yet recorded */
  GHashTable    *versions;      /* entity → version acknowledged in this push */
  guint          flush_id;
  gboolean       acks_lost;
  guint          push_total;
  guint          push_done;
  gboolean       push_stop;

  /* download */
  gint64         head;
  GPtrArray     *crews;
  GPtrArray     *shift_types;
  guint          reference_step;
  Pager         *pager;
  guint          export_done;
  guint          export_total;
  GPtrArray     *export_batch[6];   /* pages received, not yet stored */
  GPtrArray     *export_rows[6];    /* … and their records' row copies */
  guint          export_batched;    /* customers in export_batch */
  char          *export_after;      /* the next page's cursor; NULL after the last */
  gboolean       export_in_flight;
  EnrStoreBulkWriter *writer;       /* the customers' batches, on a thread */
  gboolean       export_writing;    /* a batch is being written */
  guint          export_writing_done; /* export_done after it */
  guint          export_stored;     /* customers committed */
  gboolean       finish_waiting;    /* the cycle ends when the write does */
  gboolean       resuming;          /* an interrupted download goes on */
  gboolean       resume_tasks;      /* … with its customers all stored */
  gint64         resume_head;
  guint          resume_done;
  char          *resume_after;
  gboolean       search_deferred;   /* the customers' search is built after them */
  gboolean       search_building;   /* … by the store's worker, now */
  guint          search_progress_id;
  void         (*search_built)      (Cycle *cycle);

  /* pull */
  gint64         cursor;
};

/* enr-sync-engine.c */
void       _enr_sync_engine_set_state              (EnrSyncEngine  *self,
                                                    EnrSyncState    state);
void       _enr_sync_engine_set_progress           (EnrSyncEngine  *self,
                                                    double          progress);
void       _enr_sync_engine_set_download_count     (EnrSyncEngine  *self,
                                                    guint           done,
                                                    guint           total);
void       _enr_sync_engine_set_last_error         (EnrSyncEngine  *self,
                                                    const char     *message);
void       _enr_sync_engine_set_last_success       (EnrSyncEngine  *self,
                                                    GDateTime      *when);
void       _enr_sync_engine_refresh_counts         (EnrSyncEngine  *self);
const char *_enr_sync_engine_get_sender            (EnrSyncEngine  *self);
const char *_enr_sync_engine_get_acting_user       (EnrSyncEngine  *self);
gboolean   _enr_sync_engine_check_owner            (EnrSyncEngine  *self,
                                                    gint64          seq,
                                                    GError        **error);
void       _enr_sync_engine_emit_cycle_finished    (EnrSyncEngine  *self,
                                                    gboolean        success);
GPtrArray *_enr_sync_changes_from_objects          (GType           type,
                                                    GPtrArray      *objects);
gboolean   _enr_sync_engine_store_customer_records (EnrSyncEngine  *self,
                                                    GPtrArray      *customers,
                                                    GPtrArray      *service_points,
                                                    GPtrArray      *metered_services,
                                                    GPtrArray      *device_locations,
                                                    GPtrArray      *devices,
                                                    GPtrArray      *subscriptions,
                                                    GError        **error);

/* enr-sync-engine-cycle.c */
void       _enr_sync_engine_request_cycle          (EnrSyncEngine  *self);
void       _enr_sync_engine_schedule_cycle         (EnrSyncEngine  *self,
                                                    gint64          delay);
void       _enr_sync_engine_note_failure           (EnrSyncEngine  *self,
                                                    const GError   *error);
void       _enr_sync_cycle_set_error               (Cycle          *cycle,
                                                    GError         *error);
void       _enr_sync_cycle_note_problem            (Cycle          *cycle,
                                                    EnrApiProblem  *problem);
gint64     _enr_sync_cycle_retry_delay             (Cycle          *cycle);
void       _enr_sync_cycle_finish                  (Cycle          *cycle);

/* enr-sync-engine-push.c */
void       _enr_sync_push_start                    (Cycle          *cycle);
gboolean   _enr_sync_is_task_operation             (EnrOperation   *operation);

/* enr-sync-engine-download.c */
void       _enr_sync_download_start                (Cycle          *cycle);
gboolean   _enr_sync_download_end_search           (Cycle          *cycle,
                                                    void          (*built) (Cycle *cycle));

/* enr-sync-engine-pull.c */
void       _enr_sync_pull_start                    (Cycle          *cycle,
                                                    gint64          cursor);
gboolean   _enr_sync_store_changes_page            (EnrSyncEngine  *self,
                                                    EnrApiChanges  *changes,
                                                    gint64          from,
                                                    GError        **error);

/* enr-sync-engine-watch.c */
void       _enr_sync_engine_watch_start            (EnrSyncEngine  *self);
void       _enr_sync_engine_watch_stop             (EnrSyncEngine  *self);

G_END_DECLS

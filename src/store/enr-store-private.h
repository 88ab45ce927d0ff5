/* enr-store-private.h — what the store's own files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "enr-db.h"
#include "enr-db-sqlite.h"

#include "enr-outbox.h"
#include "enr-store.h"
#include "enr-task-list-model.h"

G_BEGIN_DECLS

#define ENR_STORE_MAX_COLUMNS 8

/* What the customer search did since the store opened (for the tests). */
typedef struct
{
  guint64 lazy_stages;     /* cut queries run (and whole_stages) */
  guint64 whole_stages;    /* queries nothing was cut from, run as a stage */
  guint64 kept_stages;     /* the last keystroke's cut query reused */
  guint64 ranked;          /* their rows, ranked without their checks */
  guint64 checked;         /* rows checked */
  guint64 exact_queries;   /* exact queries after a cut one found too few */
} EnrStoreSearchCounts;

typedef struct _EnrStoreReadAheadState EnrStoreReadAheadState;

struct _EnrStore
{
  GObject      parent_instance;

  char        *path;
  char        *user;          /* the owner of operations queued now */
  EnrDb       *db;            /* statements, transactions, migrations */
  char       **put_sql;       /* per type info */
  EnrOutbox   *outbox;

  /* The open transaction's bookkeeping. */
  gboolean     in_transaction;
  GHashTable  *dirty_customers;
  GArray      *touched_types;
  gboolean     touched_outbox;

  /* Between enr_store_defer_search() and enr_store_rebuild_search(). */
  gboolean     search_deferred;
  /* enr_store_rebuild_search_async() runs: writes wait for it. */
  gboolean     rebuilding;
  /* An EnrStoreBulkWriter's batch is being written: writes wait too. */
  gboolean     bulk_writing;
  /* Its progress in thousandths (atomic; -1 when none runs); a worker
   * store (_enr_store_open_worker()) writes its owner's. */
  gint         rebuild_progress;
  gint        *progress_target;
  /* The most page cache one of its worker connections held, in KiB
   * (atomic; see _enr_store_note_worker_cache()). */
  gint         worker_cache_kib;

  /* The search index's tokenizer, for the checks (made when first used). */
  EnrDbSqliteTokenizer *search_tokenizer;
  /* The last cut query's first stage, for the next keystroke. */
  gpointer              search_stage;
  EnrStoreSearchCounts  search_counts;

  /* enr_store_read_ahead()'s, shared with its thread. */
  EnrStoreReadAheadState *read_ahead;
  guint                   read_ahead_held;  /* _enr_store_read_ahead_hold() */
};

/* One cached type: its table and the properties copied into indexed
 * columns (column name = property name with '-' replaced by '_'). */
typedef struct
{
  GType       (*get_type) (void);
  const char   *name;
  const char   *table;
  const char   *columns[ENR_STORE_MAX_COLUMNS];
} EnrStoreTypeInfo;

const EnrStoreTypeInfo *_enr_store_type_infos          (guint              *n_infos);
const EnrStoreTypeInfo *_enr_store_type_info           (GType               type);

/* Step i's SQL brings the schema from version i to i + 1; some steps
 * also run code (_enr_store_migrate() adds it). */
const char * const     *_enr_store_migrations          (guint              *n_migrations);
gboolean                _enr_store_migrate             (sqlite3            *db,
                                                        const char * const *steps,
                                                        guint               n_steps,
                                                        GError            **error);
gboolean                _enr_store_migrate_db          (EnrDb              *db,
                                                        const char * const *steps,
                                                        guint               n_steps,
                                                        GError            **error);

/* Network file systems (statfs f_type); NULL when the type is local. */
const char             *_enr_store_network_fs_name     (gint64              f_type);
gboolean                _enr_store_check_fs_type       (gint64              f_type,
                                                        const char         *path,
                                                        GError            **error);

/* The database layer (src/db) does the work; these give its errors the
 * store's domain (ENR_STORE_ERROR). Statements are cached per SQL text
 * and come back reset and unbound. */
EnrDb                  *_enr_store_get_database        (EnrStore           *self);
sqlite3                *_enr_store_get_db              (EnrStore           *self);
EnrDbStmt              *_enr_store_prepare             (EnrStore           *self,
                                                        const char         *sql,
                                                        GError            **error);
EnrDbStep               _enr_store_step                (EnrStore           *self,
                                                        EnrDbStmt          *stmt,
                                                        GError            **error);
gboolean                _enr_store_step_done           (EnrStore           *self,
                                                        EnrDbStmt          *stmt,
                                                        GError            **error);
gboolean                _enr_store_exec                (EnrStore           *self,
                                                        const char         *sql,
                                                        GError            **error);
void                    _enr_store_take_error          (EnrStore           *self,
                                                        GError             *db_error,
                                                        GError            **error);
void                    _enr_store_set_error           (EnrStore           *self,
                                                        int                 rc,
                                                        GError            **error);
gboolean                _enr_store_begin               (EnrStore           *self,
                                                        GError            **error);
gboolean                _enr_store_commit              (EnrStore           *self,
                                                        GError            **error);
void                    _enr_store_rollback            (EnrStore           *self);

/* Inside a transaction. */
gboolean                _enr_store_lookup_lists        (const GType             *types,
                                                        GPtrArray * const       *lists,
                                                        guint                    n_lists,
                                                        const EnrStoreTypeInfo **infos,
                                                        GError                 **error);
gboolean                _enr_store_put_lists           (EnrStore                *self,
                                                        const EnrStoreTypeInfo **infos,
                                                        GPtrArray * const       *lists,
                                                        GPtrArray * const       *rows,
                                                        guint                    n_lists,
                                                        GError                 **error);
/* The page cache of a worker connection (_enr_store_open_worker()), in
 * KiB: the rebuild's and the bulk writer's, as the index build's (see
 * enr-store-search.c). The store's own connection has 32 MB; a worker
 * with as much raised the peak RSS of a 1,000,000-customer download from
 * 62 to 93 MiB. */
#define ENR_STORE_WORKER_CACHE_KIB 4000
EnrStore               *_enr_store_open_worker         (const char              *path,
                                                        GError                 **error);
void                    _enr_store_note_worker_cache   (EnrStore                *owner,
                                                        EnrStore                *worker);
gint                    _enr_store_get_worker_cache_kib (EnrStore               *self);
void                    _enr_store_emit_changed        (EnrStore                *self,
                                                        GType                    type);

/* A bulk load's WAL is checkpointed every this many pages (see
 * enr_store_defer_search()). */
#define ENR_STORE_BULK_CHECKPOINT_PAGES 16384   /* 64 MiB of 4 KiB pages */
gboolean                _enr_store_search_recover      (EnrStore                *self,
                                                        GError                 **error);
gboolean                _enr_store_recover_indexes     (EnrStore                *self,
                                                        GError                 **error);
char                   *_enr_store_find_deferred_index (EnrStore                *self,
                                                        GError                 **error);
gboolean                _enr_store_put_one             (EnrStore           *self,
                                                        const EnrStoreTypeInfo *info,
                                                        gpointer            object,
                                                        GError            **error);
gboolean                _enr_store_put_row             (EnrStore           *self,
                                                        const EnrStoreTypeInfo *info,
                                                        gpointer            object,
                                                        const char         *json,
                                                        GError            **error);
gboolean                _enr_store_delete_one          (EnrStore           *self,
                                                        const EnrStoreTypeInfo *info,
                                                        const char         *id,
                                                        GError            **error);
gpointer                _enr_store_get_one             (EnrStore           *self,
                                                        const EnrStoreTypeInfo *info,
                                                        const char         *id,
                                                        GError            **error);
char                   *_enr_store_object_id           (gpointer            object);
void                    _enr_store_touch_type          (EnrStore           *self,
                                                        GType               type);
void                    _enr_store_touch_outbox        (EnrStore           *self);
const EnrStoreTypeInfo *_enr_store_lookup_info         (GType               type,
                                                        GError            **error);
gboolean                _enr_store_forget_cursor       (EnrStore           *self,
                                                        GError            **error);
gboolean                _enr_store_set_entity_version  (EnrStore           *self,
                                                        const char         *entity_type,
                                                        const char         *entity_id,
                                                        gint64              version,
                                                        GError            **error);
gboolean                _enr_store_get_entity_version  (EnrStore           *self,
                                                        const char         *entity_type,
                                                        const char         *entity_id,
                                                        gint64             *version,
                                                        GError            **error);

/* Customer search (enr-store-search.c). */
char                   *_enr_store_build_match         (const char         *text);
char                   *_enr_store_search_keys         (const char         *account_id,
                                                        const char         *phone);
void                    _enr_store_search_free         (EnrStore           *self);
GPtrArray              *_enr_store_search_customers_checking_all
                                                       (EnrStore           *self,
                                                        const char         *text,
                                                        guint               limit,
                                                        GError            **error);
gboolean                _enr_store_search_init         (sqlite3            *db,
                                                        GError            **error);
void                    _enr_store_search_mark_dirty   (EnrStore           *self,
                                                        const char         *customer_id);
gboolean                _enr_store_search_before_put   (EnrStore           *self,
                                                        const EnrStoreTypeInfo *info,
                                                        const char         *id,
                                                        GError            **error);
gboolean                _enr_store_search_flush        (EnrStore           *self,
                                                        GHashTable         *dirty,
                                                        GError            **error);
gboolean                _enr_store_search_forget       (EnrStore           *self,
                                                        const char         *customer_id,
                                                        GError            **error);

/* Outbox (enr-outbox.c). */
EnrOutbox              *_enr_outbox_new                (EnrStore           *store);
void                    _enr_outbox_emit_changed       (EnrOutbox          *self);
EnrOperation           *_enr_outbox_append             (EnrOutbox          *self,
                                                        EnrOperationKind    kind,
                                                        gpointer            entity,
                                                        const char         *body,
                                                        GError            **error);
gboolean                _enr_outbox_entity_is_busy     (EnrOutbox          *self,
                                                        const char         *entity_type,
                                                        const char         *entity_id,
                                                        gboolean           *busy,
                                                        GError            **error);
gboolean                _enr_outbox_recover            (EnrOutbox          *self,
                                                        GError            **error);

/* Task list (enr-task-list-model.c). */
void                    _enr_task_list_model_set_small_result (EnrTaskListModel *self,
                                                               guint             small_result);
char                   *_enr_task_list_model_explain          (EnrTaskListModel *self);

/* The page cache (enr-store-page-cache.c): for the benchmarks' cold runs
 * and the read-ahead's tests. */
gboolean                _enr_store_page_cache_evict    (const char         *path,
                                                        GError            **error);
gboolean                _enr_store_page_cache_resident (const char         *path,
                                                        goffset             offset,
                                                        goffset             length,
                                                        gsize              *resident,
                                                        gsize              *total,
                                                        GError            **error);
char                   *_enr_store_page_cache_describe (const char         *path);

/* The read-ahead (enr-store-read-ahead.c). */
void                    _enr_store_read_ahead_stop     (EnrStore           *self);
void                    _enr_store_read_ahead_hold     (EnrStore           *self);
void                    _enr_store_read_ahead_release  (EnrStore           *self);
void                    _enr_store_read_ahead_get_progress (EnrStore          *self,
                                                            EnrStoreReadAhead *asked,
                                                            EnrStoreReadAhead *done,
                                                            guint64           *bytes_read,
                                                            guint64           *waits);
guint                   _enr_store_read_ahead_n_running (void);

G_END_DECLS

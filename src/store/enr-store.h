/* enr-store.h — the client's SQLite store: cache, drafts, outbox, cursor
 *
 * One connection used from one thread (the main thread). WAL journal,
 * synchronous=FULL, foreign keys on, every write in one BEGIN IMMEDIATE
 * transaction, numbered migrations (PRAGMA user_version). Records are kept
 * as their canonical JSON (enr_codec_encode_string()) plus the columns that
 * lookups need. A database on a network file system is refused; the
 * database and its journal files are made 0600 at every open (the default
 * folder 0700), and files of another user account are refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-core.h"
#include "enr-store-enums.h"
#include "enr-store-enum-types.h"

G_BEGIN_DECLS

#define ENR_STORE_ERROR (enr_store_error_quark ())

typedef enum
{
  ENR_STORE_ERROR_OPEN,
  ENR_STORE_ERROR_NETWORK_FS,
  ENR_STORE_ERROR_SCHEMA_TOO_NEW,
  ENR_STORE_ERROR_CORRUPT,
  ENR_STORE_ERROR_SQL,
  ENR_STORE_ERROR_NOT_FOUND,
  ENR_STORE_ERROR_DECODE,
  ENR_STORE_ERROR_INVALID,
  ENR_STORE_ERROR_NOT_PRIVATE,
} EnrStoreError;

/* The schema version this build writes (PRAGMA user_version). */
#define ENR_STORE_SCHEMA_VERSION 8

/* The most lists enr_store_put_many() takes at once. */
#define ENR_STORE_MAX_PUT_LISTS 16

/* Candidates ranked per search; beyond that, the first matches are ranked. */
#define ENR_STORE_SEARCH_CANDIDATES 1000

/**
 * EnrStoreChange:
 * @type: a cached type (see enr_store_type_from_name())
 * @id: the record's id
 * @json: the record's JSON, or %NULL when the record was deleted
 *
 * One pulled change, for enr_store_apply_changes().
 */
typedef struct
{
  GType  type;
  char  *id;
  char  *json;
} EnrStoreChange;

#define ENR_TYPE_STORE_CHANGE (enr_store_change_get_type ())

GType           enr_store_change_get_type (void) G_GNUC_CONST;
EnrStoreChange *enr_store_change_new      (GType                 type,
                                           const char           *id,
                                           const char           *json);
EnrStoreChange *enr_store_change_copy     (const EnrStoreChange *change);
void            enr_store_change_free     (EnrStoreChange       *change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrStoreChange, enr_store_change_free)

typedef struct _EnrOutbox EnrOutbox;
typedef struct _EnrOperation EnrOperation;

#define ENR_TYPE_STORE (enr_store_get_type ())

G_DECLARE_FINAL_TYPE (EnrStore, enr_store, ENR, STORE, GObject)

GQuark          enr_store_error_quark               (void);

char           *enr_store_get_default_path          (void);
EnrStore       *enr_store_new                       (const char      *path,
                                                     GCancellable    *cancellable,
                                                     GError         **error);
const char     *enr_store_get_path                  (EnrStore        *self);
guint           enr_store_get_schema_version        (EnrStore        *self);
gboolean        enr_store_check_integrity           (EnrStore        *self,
                                                     GError         **error);
EnrOutbox      *enr_store_get_outbox                (EnrStore        *self);

/* Who works on this computer now (online or offline): the owner of the
 * operations queued from now on. Nobody (%NULL) queues nothing. */
const char     *enr_store_get_user                  (EnrStore        *self);
void            enr_store_set_user                  (EnrStore        *self,
                                                     const char      *username);

/* Cached types: every type the client keeps offline. */
gboolean        enr_store_is_cached_type            (GType            type);
GType           enr_store_type_from_name            (const char      *name);
const char     *enr_store_type_get_name             (GType            type);

/* Reference cache (put replaces by id). Code values have no id: theirs is
 * "<list>/<code>", e.g. "channel/email". */
gboolean        enr_store_put                       (EnrStore        *self,
                                                     GType            type,
                                                     GPtrArray       *objects,
                                                     GError         **error);
gboolean        enr_store_put_many                  (EnrStore          *self,
                                                     const GType       *types,
                                                     GPtrArray * const *lists,
                                                     guint              n_lists,
                                                     GError           **error);
gpointer        enr_store_get                       (EnrStore        *self,
                                                     GType            type,
                                                     const char      *id,
                                                     GError         **error);
GPtrArray      *enr_store_list                      (EnrStore        *self,
                                                     GType            type,
                                                     const char      *property,
                                                     const char      *value,
                                                     GError         **error);
gboolean        enr_store_delete                    (EnrStore        *self,
                                                     GType            type,
                                                     const char      *id,
                                                     GError         **error);
gint64          enr_store_count                     (EnrStore        *self,
                                                     GType            type,
                                                     GError         **error);

/* Reads in one transaction: one snapshot and one lock for many reads.
 * Nothing is written until enr_store_end_read(). */
gboolean        enr_store_begin_read                (EnrStore        *self);
void            enr_store_end_read                  (EnrStore        *self,
                                                     gboolean         began);

GPtrArray      *enr_store_search_customers          (EnrStore        *self,
                                                     const char      *text,
                                                     guint            limit,
                                                     GError         **error);

/* Drafts: process flows with their draft task. */
gboolean        enr_store_save_draft                (EnrStore        *self,
                                                     EnrProcessFlow  *flow,
                                                     GError         **error);
EnrProcessFlow *enr_store_load_draft                (EnrStore        *self,
                                                     const char      *id,
                                                     GError         **error);
GPtrArray      *enr_store_list_drafts               (EnrStore        *self,
                                                     GError         **error);
gboolean        enr_store_delete_draft              (EnrStore        *self,
                                                     const char      *id,
                                                     GError         **error);

/* An entity change and its outbox row, in one transaction. */
EnrOperation   *enr_store_save_task_with_operation  (EnrStore        *self,
                                                     EnrServiceTask  *task,
                                                     EnrOperationKind kind,
                                                     const char      *body,
                                                     GError         **error);
EnrOperation   *enr_store_save_task_with_operation_full
                                                    (EnrStore        *self,
                                                     EnrServiceTask  *task,
                                                     GPtrArray       *others,
                                                     EnrOperationKind kind,
                                                     const char      *body,
                                                     GError         **error);
EnrOperation   *enr_store_save_flow_with_operation  (EnrStore        *self,
                                                     EnrProcessFlow  *flow,
                                                     EnrOperationKind kind,
                                                     const char      *body,
                                                     GError         **error);
gboolean        enr_store_save_flows_with_operation (EnrStore        *self,
                                                     GPtrArray       *flows,
                                                     EnrOperationKind kind,
                                                     GError         **error);
EnrOperation   *enr_store_save_communication_with_operation
                                                    (EnrStore                 *self,
                                                     EnrCustomerCommunication *communication,
                                                     GError                  **error);

/* Pull: changes and the cursor after them (or no cursor: records fetched
 * outside the change feed), in one transaction. */
gboolean        enr_store_apply_changes             (EnrStore        *self,
                                                     GPtrArray       *changes,
                                                     const char      *new_cursor,
                                                     GError         **error);
char           *enr_store_get_cursor                (EnrStore        *self,
                                                     GError         **error);
gboolean        enr_store_reset_cursor              (EnrStore        *self,
                                                     GError         **error);
gboolean        enr_store_defer_search              (EnrStore        *self,
                                                     GError         **error);
gboolean        enr_store_rebuild_search            (EnrStore        *self,
                                                     GError         **error);
void            enr_store_rebuild_search_async      (EnrStore            *self,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        enr_store_rebuild_search_finish     (EnrStore        *self,
                                                     GAsyncResult    *result,
                                                     GError         **error);
double          enr_store_get_rebuild_progress      (EnrStore        *self);

typedef struct _EnrStoreBulkWriter EnrStoreBulkWriter;

EnrStoreBulkWriter *enr_store_bulk_writer_new       (EnrStore            *store,
                                                     GError             **error);
void            enr_store_bulk_writer_put_async     (EnrStoreBulkWriter  *writer,
                                                     const GType         *types,
                                                     GPtrArray * const   *lists,
                                                     GPtrArray * const   *rows,
                                                     guint                n_lists,
                                                     const char          *resume,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        enr_store_bulk_writer_put_finish    (EnrStoreBulkWriter  *writer,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void            enr_store_bulk_writer_free          (EnrStoreBulkWriter  *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrStoreBulkWriter, enr_store_bulk_writer_free)
gboolean        enr_store_put_bulk                  (EnrStore          *self,
                                                     const GType       *types,
                                                     GPtrArray * const *lists,
                                                     GPtrArray * const *rows,
                                                     guint              n_lists,
                                                     const char        *resume,
                                                     GError           **error);
char           *enr_store_get_download_resume       (EnrStore        *self,
                                                     GError         **error);
gboolean        enr_store_set_last_sync             (EnrStore        *self,
                                                     GDateTime       *when,
                                                     GError         **error);
GDateTime      *enr_store_get_last_sync             (EnrStore        *self,
                                                     GError         **error);

/**
 * EnrStoreReadAhead:
 * @ENR_STORE_READ_AHEAD_SEARCH: the customer search's pages (its index,
 *   the indexed text, the customers)
 * @ENR_STORE_READ_AHEAD_TASKS: the task list's (the service tasks, the
 *   index of their default order, their counts)
 *
 * What enr_store_read_ahead() reads into the page cache.
 */
typedef enum
{
  ENR_STORE_READ_AHEAD_SEARCH = 1 << 0,
  ENR_STORE_READ_AHEAD_TASKS  = 1 << 1,
} EnrStoreReadAhead;

void            enr_store_read_ahead                (EnrStore          *self,
                                                     EnrStoreReadAhead  parts);

G_END_DECLS

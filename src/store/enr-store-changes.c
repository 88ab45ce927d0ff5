/* enr-store-changes.c — local changes queued with their operation, and the service's changes pulled in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-store-private.h"

#define CURSOR_KEY    "sync-cursor"
#define LAST_SYNC_KEY "last-sync"
#define RESUME_KEY    "download-resume"

/* The meta table: values by key */

static gboolean
meta_put (EnrStore    *self,
          const char  *key,
          const char  *value,
          GError     **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_store_prepare (self,
                                   "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, key);
  enr_db_stmt_bind_text (stmt, 2, value);

  return _enr_store_step_done (self, stmt, error);
}

/* Returns: (transfer full) (nullable): the value, %NULL when none (or an
 * error) */
static char *
meta_get (EnrStore    *self,
          const char  *key,
          GError     **error)
{
  EnrDbStmt *stmt;
  char *value = NULL;

  if (!(stmt = _enr_store_prepare (self, "SELECT value FROM meta WHERE key = ?1", error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, key);
  if (_enr_store_step (self, stmt, error) == ENR_DB_STEP_ROW)
    value = g_strdup (enr_db_stmt_column_text (stmt, 0));

  /* Whatever the step gave: a statement left on its row would keep a
   * read transaction open on the connection until its next use, and with
   * it the WAL from being checkpointed to its end and started over. */
  enr_db_stmt_reset (stmt);
  return value;
}

static gboolean
meta_delete (EnrStore    *self,
             const char  *key,
             GError     **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_store_prepare (self, "DELETE FROM meta WHERE key = ?1", error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, key);
  return _enr_store_step_done (self, stmt, error);
}

/* Entities with their operation */

gboolean
_enr_store_set_entity_version (EnrStore    *self,
                               const char  *entity_type,
                               const char  *entity_id,
                               gint64       version,
                               GError     **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_store_prepare (self,
                                   "INSERT INTO entity_versions (entity_type, entity_id, version) "
                                   "VALUES (?1, ?2, ?3) ON CONFLICT DO UPDATE SET version = excluded.version",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, entity_type);
  enr_db_stmt_bind_text (stmt, 2, entity_id);
  enr_db_stmt_bind_int64 (stmt, 3, version);
  return _enr_store_step_done (self, stmt, error);
}

/* The version last acknowledged or pulled for the entity: -1 in
 * @version when there is none. */
gboolean
_enr_store_get_entity_version (EnrStore    *self,
                               const char  *entity_type,
                               const char  *entity_id,
                               gint64      *version,
                               GError     **error)
{
  EnrDbStmt *stmt;
  EnrDbStep rc;

  if (!(stmt = _enr_store_prepare (self,
                                   "SELECT version FROM entity_versions"
                                   " WHERE entity_type = ?1 AND entity_id = ?2",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, entity_type);
  enr_db_stmt_bind_text (stmt, 2, entity_id);
  *version = -1;
  rc = _enr_store_step (self, stmt, error);
  if (rc == ENR_DB_STEP_ROW)
    *version = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);

  return rc == ENR_DB_STEP_ROW || rc == ENR_DB_STEP_DONE;
}

/* Inside a transaction: @others (cached records), then @entity and its
 * operation. */
static EnrOperation *
put_with_operation (EnrStore         *self,
                    GPtrArray        *others,
                    gpointer          entity,
                    EnrOperationKind  kind,
                    const char       *body,
                    GError          **error)
{
  for (guint i = 0; others != NULL && i < others->len; i++)
    {
      GObject *other = g_ptr_array_index (others, i);

      if (!_enr_store_put_one (self, _enr_store_type_info (G_OBJECT_TYPE (other)), other, error))
        return NULL;
    }

  if (!_enr_store_put_one (self, _enr_store_type_info (G_OBJECT_TYPE (entity)), entity, error))
    return NULL;

  return _enr_outbox_append (self->outbox, kind, entity, body, error);
}

/* @others: cached records stored in the same transaction, before @entity */
static EnrOperation *
save_with_operation (EnrStore         *self,
                     GPtrArray        *others,
                     gpointer          entity,
                     EnrOperationKind  kind,
                     const char       *body,
                     GError          **error)
{
  g_autoptr(EnrOperation) operation = NULL;

  if (!_enr_store_begin (self, error))
    return NULL;

  if (!(operation = put_with_operation (self, others, entity, kind, body, error)))
    goto failed;

  if (!_enr_store_commit (self, error))
    return NULL;

  return g_steal_pointer (&operation);

failed:
  _enr_store_rollback (self);
  return NULL;
}

/**
 * enr_store_save_task_with_operation:
 * @task: the changed task
 * @kind: any kind but %ENR_OPERATION_KIND_CREATE_COMMUNICATION
 * @body: (nullable): the request body; %NULL: the encoded task for
 *   create-task and save-task, `{}` for finish, cancel and
 *   complete-field-work (reschedule needs one)
 *
 * Stores @task and queues the operation in one transaction.
 *
 * Returns: (transfer full): the queued operation, or %NULL with @error set
 */
EnrOperation *
enr_store_save_task_with_operation (EnrStore          *self,
                                    EnrServiceTask    *task,
                                    EnrOperationKind   kind,
                                    const char        *body,
                                    GError           **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return save_with_operation (self, NULL, task, kind, body, error);
}

/**
 * enr_store_save_task_with_operation_full:
 * @others: (element-type GObject) (nullable): cached records the same
 *   change touches (appointments it releases, completes or moves, drafts
 *   it closes), stored with @task
 *
 * As enr_store_save_task_with_operation(), with @others in the same
 * transaction.
 *
 * Returns: (transfer full): the queued operation, or %NULL with @error set
 */
EnrOperation *
enr_store_save_task_with_operation_full (EnrStore          *self,
                                         EnrServiceTask    *task,
                                         GPtrArray         *others,
                                         EnrOperationKind   kind,
                                         const char        *body,
                                         GError           **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; others != NULL && i < others->len; i++)
    if (!enr_store_is_cached_type (G_OBJECT_TYPE (g_ptr_array_index (others, i))))
      {
        g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                     "%s is not a cached type",
                     G_OBJECT_TYPE_NAME (g_ptr_array_index (others, i)));
        return NULL;
      }

  return save_with_operation (self, others, task, kind, body, error);
}

/**
 * enr_store_save_flow_with_operation:
 * @flow: a flow with its draft task
 *
 * As enr_store_save_task_with_operation() for the flow's task, and saves
 * the flow as a draft in the same transaction.
 *
 * Returns: (transfer full): the queued operation, or %NULL with @error set
 */
EnrOperation *
enr_store_save_flow_with_operation (EnrStore          *self,
                                    EnrProcessFlow    *flow,
                                    EnrOperationKind   kind,
                                    const char        *body,
                                    GError           **error)
{
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  EnrServiceTask *task;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (flow), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((task = enr_process_flow_get_task (flow)) == NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   "Process flow %s has no task to send",
                   enr_entity_get_id (ENR_ENTITY (flow)));
      return NULL;
    }

  g_ptr_array_add (others, flow);
  return save_with_operation (self, others, task, kind, body, error);
}

/**
 * enr_store_save_flows_with_operation:
 * @flows: (element-type EnrProcessFlow): flows, each with its draft task
 *
 * As enr_store_save_flow_with_operation() with the encoded task as body,
 * for every flow of @flows in their order, in one transaction: all of
 * them are saved and queued, or none (one commit, one sync to disk).
 *
 * Returns: whether they were saved, or %FALSE with @error set
 */
gboolean
enr_store_save_flows_with_operation (EnrStore          *self,
                                     GPtrArray         *flows,
                                     EnrOperationKind   kind,
                                     GError           **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (flows != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < flows->len; i++)
    {
      EnrProcessFlow *flow = g_ptr_array_index (flows, i);

      g_return_val_if_fail (ENR_IS_PROCESS_FLOW (flow), FALSE);
      if (enr_process_flow_get_task (flow) == NULL)
        {
          g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                       "Process flow %s has no task to send",
                       enr_entity_get_id (ENR_ENTITY (flow)));
          return FALSE;
        }
    }

  if (!_enr_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < flows->len; i++)
    {
      EnrProcessFlow *flow = g_ptr_array_index (flows, i);
      g_autoptr(GPtrArray) others = g_ptr_array_new ();
      g_autoptr(EnrOperation) operation = NULL;

      g_ptr_array_add (others, flow);
      if (!(operation = put_with_operation (self, others, enr_process_flow_get_task (flow), kind, NULL, error)))
        {
          _enr_store_rollback (self);
          return FALSE;
        }
    }

  return _enr_store_commit (self, error);
}

/**
 * enr_store_save_communication_with_operation:
 *
 * Stores @communication and queues its create-communication operation.
 *
 * Returns: (transfer full): the queued operation, or %NULL with @error set
 */
EnrOperation *
enr_store_save_communication_with_operation (EnrStore                  *self,
                                             EnrCustomerCommunication  *communication,
                                             GError                   **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (communication), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return save_with_operation (self, NULL, communication,
                              ENR_OPERATION_KIND_CREATE_COMMUNICATION, NULL, error);
}

/* Pull */

static gboolean
apply_change (EnrStore              *self,
              const EnrStoreChange  *change,
              guint                  index,
              GError               **error)
{
  const EnrStoreTypeInfo *info;
  g_autoptr(GObject) object = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  gboolean busy = FALSE;

  if (!(info = _enr_store_lookup_info (change->type, error)))
    return FALSE;

  /* A record the user changed locally stays as it is until its
   * operations have been sent: the push resolves it, not the pull. */
  if (!_enr_outbox_entity_is_busy (self->outbox, info->name, change->id, &busy, error))
    return FALSE;
  if (busy)
    return TRUE;

  if (change->json == NULL)
    return _enr_store_delete_one (self, info, change->id, error);

  if (!(object = enr_codec_decode_data (change->type, change->json, -1, &local_error)))
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE,
                   _("Change %u (%s %s) could not be read: %s"),
                   index, info->name, change->id, local_error->message);
      return FALSE;
    }

  id = _enr_store_object_id (object);
  if (g_strcmp0 (id, change->id) != 0)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE,
                   _("Change %u (%s %s) holds the record “%s”"),
                   index, info->name, change->id, id != NULL ? id : "");
      return FALSE;
    }

  /* The feed brings a task's versions in order, but an acknowledgement
   * can bring a newer one first: the client's own change, answered
   * before the pull reaches it in the feed. Taking the older version
   * then would undo that change locally, and the next change made on it
   * would be sent against a version the service has left behind (a
   * conflict nobody caused). So a task never goes back to an older
   * version; its newer one comes later in the feed. */
  if (ENR_IS_SERVICE_TASK (object))
    {
      gint64 version = enr_service_task_get_version (ENR_SERVICE_TASK (object));
      gint64 known = -1;

      if (!_enr_store_get_entity_version (self, info->name, id, &known, error))
        return FALSE;
      if (known > version)
        return TRUE;
    }

  if (!_enr_store_put_one (self, info, object, error))
    return FALSE;

  if (ENR_IS_SERVICE_TASK (object))
    return _enr_store_set_entity_version (self, info->name, id,
                                          enr_service_task_get_version (ENR_SERVICE_TASK (object)),
                                          error);

  return TRUE;
}

/**
 * enr_store_apply_changes:
 * @changes: (element-type EnrStoreChange): pulled changes, in order
 * @new_cursor: (nullable): the cursor after @changes, or %NULL to leave
 *   the cursor as it is (records fetched outside the change feed)
 *
 * Applies @changes and stores @new_cursor in one transaction: either both
 * happen or neither. Records with operations not yet acknowledged by the
 * service keep their local state.
 */
gboolean
enr_store_apply_changes (EnrStore    *self,
                         GPtrArray   *changes,
                         const char  *new_cursor,
                         GError     **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < changes->len; i++)
    if (!apply_change (self, g_ptr_array_index (changes, i), i, error))
      goto failed;

  /* A cursor ends any download. */
  if (new_cursor != NULL &&
      (!meta_put (self, CURSOR_KEY, new_cursor, error) || !meta_delete (self, RESUME_KEY, error)))
    goto failed;

  return _enr_store_commit (self, error);

failed:
  _enr_store_rollback (self);
  return FALSE;
}

/**
 * enr_store_get_cursor:
 *
 * Returns: (transfer full) (nullable): the stored cursor; %NULL (and no
 *   error) when there is none and a full download is needed
 */
char *
enr_store_get_cursor (EnrStore  *self,
                      GError   **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return meta_get (self, CURSOR_KEY, error);
}

/* Inside a transaction: the next pull is a full download, from its
 * start (an interrupted download's resume point is forgotten too). */
gboolean
_enr_store_forget_cursor (EnrStore  *self,
                          GError   **error)
{
  return meta_delete (self, CURSOR_KEY, error) && meta_delete (self, RESUME_KEY, error);
}

/**
 * enr_store_put_bulk:
 * @types: (array length=n_lists): a cached type per list
 * @lists: (array length=n_lists): per type, its instances
 * @rows: (nullable) (array length=n_lists): per list, %NULL or the JSON
 *   text each of its records was decoded from (element-type utf8, in the
 *   same order): the row copy stored as it is, instead of the record
 *   encoded again
 * @resume: (nullable): where a full download continues after these
 *   records (the caller's own words: the store keeps them as they are);
 *   %NULL for a bulk load that is not a download (the data set importer)
 *
 * Stores a batch of a bulk load (a full download, a data set) as
 * enr_store_put_many() does, and @resume in the same transaction: a
 * download interrupted after it (the client killed, the network lost)
 * can go on from @resume with nothing stored twice or missed. The resume
 * point is forgotten when a cursor is stored (the download is complete)
 * or reset; a batch without one leaves it as it is.
 */
gboolean
enr_store_put_bulk (EnrStore          *self,
                    const GType       *types,
                    GPtrArray * const *lists,
                    GPtrArray * const *rows,
                    guint              n_lists,
                    const char        *resume,
                    GError           **error)
{
  const EnrStoreTypeInfo *infos[ENR_STORE_MAX_PUT_LISTS];

  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_lists <= ENR_STORE_MAX_PUT_LISTS, FALSE);
  g_return_val_if_fail (n_lists == 0 || (types != NULL && lists != NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_store_lookup_lists (types, lists, n_lists, infos, error) ||
      !_enr_store_begin (self, error))
    return FALSE;

  if (!_enr_store_put_lists (self, infos, lists, rows, n_lists, error) ||
      (resume != NULL && !meta_put (self, RESUME_KEY, resume, error)))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  return _enr_store_commit (self, error);
}

/* Bulk writer */

struct _EnrStoreBulkWriter
{
  EnrStore *store;
  EnrStore *worker;   /* its own connection; used by one thread at a time */
};

typedef struct
{
  EnrStore *worker;
  GType     types[ENR_STORE_MAX_PUT_LISTS];
  GPtrArray *lists[ENR_STORE_MAX_PUT_LISTS];
  GPtrArray *rows[ENR_STORE_MAX_PUT_LISTS];
  guint     n_lists;
  char     *resume;
} BulkBatch;

static void
bulk_batch_free (BulkBatch *batch)
{
  for (guint i = 0; i < batch->n_lists; i++)
    {
      g_clear_pointer (&batch->lists[i], g_ptr_array_unref);
      g_clear_pointer (&batch->rows[i], g_ptr_array_unref);
    }
  g_free (batch->resume);
  g_free (batch);
}

/**
 * enr_store_bulk_writer_new:
 *
 * A second connection to @store for a bulk load's batches
 * (enr_store_bulk_writer_put_async()): written on a thread, so that the
 * main loop fetches and decodes the next ones meanwhile. Use it between
 * enr_store_defer_search() and the rebuild: its batches leave the search
 * and the deferred indexes to that. The store's own writes fail at once
 * while a batch is being written (the writer holds the write lock).
 *
 * Returns: (transfer full): the writer, or %NULL with @error set
 */
EnrStoreBulkWriter *
enr_store_bulk_writer_new (EnrStore  *store,
                           GError   **error)
{
  g_autoptr(EnrStore) worker = NULL;
  EnrStoreBulkWriter *writer;

  g_return_val_if_fail (ENR_IS_STORE (store), NULL);
  g_return_val_if_fail (store->search_deferred, NULL);

  if (!(worker = _enr_store_open_worker (store->path, error)) ||
      !_enr_store_exec (worker, "PRAGMA wal_autocheckpoint = "
                        G_STRINGIFY (ENR_STORE_BULK_CHECKPOINT_PAGES), error))
    return NULL;
  worker->search_deferred = TRUE;

  writer = g_new0 (EnrStoreBulkWriter, 1);
  writer->store = g_object_ref (store);
  writer->worker = g_steal_pointer (&worker);
  return writer;
}

void
enr_store_bulk_writer_free (EnrStoreBulkWriter *writer)
{
  if (writer == NULL)
    return;

  g_return_if_fail (!writer->store->bulk_writing);

  g_clear_object (&writer->worker);
  g_clear_object (&writer->store);
  g_free (writer);
}

static void
bulk_write_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BulkBatch *batch = task_data;
  GError *error = NULL;

  if (!enr_store_put_bulk (batch->worker, batch->types, batch->lists, batch->rows, batch->n_lists,
                           batch->resume, &error))
    g_task_return_error (task, error);
  else
    {
      _enr_store_note_worker_cache (source_object, batch->worker);
      g_task_return_boolean (task, TRUE);
    }
}

/**
 * enr_store_bulk_writer_put_async:
 * @lists: (array length=n_lists): per type, its instances (referenced,
 *   not copied: the caller leaves them alone until the write ends)
 * @rows: (nullable) (array length=n_lists): their row copies, as for
 *   enr_store_put_bulk()
 *
 * What enr_store_put_bulk() does, on a thread with the writer's
 * connection: one transaction with @resume. One batch at a time.
 */
void
enr_store_bulk_writer_put_async (EnrStoreBulkWriter  *writer,
                                 const GType         *types,
                                 GPtrArray * const   *lists,
                                 GPtrArray * const   *rows,
                                 guint                n_lists,
                                 const char          *resume,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BulkBatch *batch;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (n_lists <= ENR_STORE_MAX_PUT_LISTS);
  g_return_if_fail (!writer->store->bulk_writing && !writer->store->rebuilding);

  batch = g_new0 (BulkBatch, 1);
  batch->worker = writer->worker;
  batch->n_lists = n_lists;
  batch->resume = g_strdup (resume);
  for (guint i = 0; i < n_lists; i++)
    {
      batch->types[i] = types[i];
      batch->lists[i] = lists[i] != NULL ? g_ptr_array_ref (lists[i]) : NULL;
      batch->rows[i] = rows != NULL && rows[i] != NULL ? g_ptr_array_ref (rows[i]) : NULL;
    }

  task = g_task_new (writer->store, NULL, callback, user_data);
  g_task_set_source_tag (task, enr_store_bulk_writer_put_async);
  g_task_set_task_data (task, batch, (GDestroyNotify) bulk_batch_free);
  writer->store->bulk_writing = TRUE;
  g_task_run_in_thread (task, bulk_write_thread);
}

/**
 * enr_store_bulk_writer_put_finish:
 *
 * Emits #EnrStore::changed for the batch's types on the store, as its
 * own commit would have.
 */
gboolean
enr_store_bulk_writer_put_finish (EnrStoreBulkWriter  *writer,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  BulkBatch *batch;
  gboolean ok;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (g_task_is_valid (result, writer->store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == enr_store_bulk_writer_put_async, FALSE);

  writer->store->bulk_writing = FALSE;
  ok = g_task_propagate_boolean (G_TASK (result), error);
  batch = g_task_get_task_data (G_TASK (result));
  for (guint i = 0; ok && i < batch->n_lists; i++)
    if (batch->lists[i] != NULL && batch->lists[i]->len > 0)
      _enr_store_emit_changed (writer->store, batch->types[i]);

  return ok;
}

/**
 * enr_store_get_download_resume:
 *
 * Returns: (transfer full) (nullable): where an interrupted full download
 *   goes on (as given to enr_store_put_bulk()); %NULL (and no error)
 *   when no download was interrupted
 */
char *
enr_store_get_download_resume (EnrStore  *self,
                               GError   **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return meta_get (self, RESUME_KEY, error);
}

/**
 * enr_store_reset_cursor:
 *
 * Forgets the cursor, so that the next pull starts with a full download
 * (from the start: an interrupted download's resume point is forgotten
 * too). Cached records stay until the download replaces them.
 */
gboolean
enr_store_reset_cursor (EnrStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_store_begin (self, error))
    return FALSE;

  if (!_enr_store_forget_cursor (self, error))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  return _enr_store_commit (self, error);
}

/**
 * enr_store_set_last_sync:
 * @when: when this computer last exchanged changes with the service in
 *   full (a cycle that succeeded, or the answer to a watch)
 *
 * Keeps @when across restarts, so that a supervisor working offline can
 * tell how old the data is.
 */
gboolean
enr_store_set_last_sync (EnrStore   *self,
                         GDateTime  *when,
                         GError    **error)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (when != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  utc = g_date_time_to_utc (when);
  text = g_date_time_format_iso8601 (utc);

  if (!_enr_store_begin (self, error))
    return FALSE;

  if (!meta_put (self, LAST_SYNC_KEY, text, error))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  return _enr_store_commit (self, error);
}

/**
 * enr_store_get_last_sync:
 *
 * Returns: (transfer full) (nullable): when this computer last synced with
 *   the service (UTC), %NULL when never (or on an error)
 */
GDateTime *
enr_store_get_last_sync (EnrStore  *self,
                         GError   **error)
{
  g_autofree char *text = NULL;
  GDateTime *when;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((text = meta_get (self, LAST_SYNC_KEY, error)) == NULL)
    return NULL;

  if ((when = g_date_time_new_from_iso8601 (text, NULL)) == NULL)
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE,
                 _("The time of the last sync could not be read: “%s”"), text);

  return when;
}

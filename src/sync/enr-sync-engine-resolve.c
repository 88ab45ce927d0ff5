/* enr-sync-engine-resolve.c — what the clerk decides about a conflict or a rejection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-sync-engine-private.h"

/* Each decision is the owner's of the operation (the signed-in user, or
 * whoever works here offline): another user's changes wait for them. */

/* Resolution */

/**
 * enr_sync_engine_keep_mine:
 * @seq: an operation in conflict (or rejected) that has the service's copy
 *
 * Sends the local change again on top of the service's version (with a
 * new idempotency key); a new conflict is possible if the record changes
 * again meanwhile.
 */
gboolean
enr_sync_engine_keep_mine (EnrSyncEngine  *self,
                           gint64          seq,
                           GError        **error)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_sync_engine_check_owner (self, seq, error) ||
      !enr_outbox_keep_mine (self->outbox, seq, -1, error))
    return FALSE;

  _enr_sync_engine_refresh_counts (self);
  if (self->running)
    _enr_sync_engine_request_cycle (self);

  return TRUE;
}

static void
on_refreshed_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(EnrSyncEngine) self = user_data;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) changes = NULL;

  task = enr_api_client_get_task_finish (ENR_API_CLIENT (source_object), result, NULL, &error);
  if (task == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Refreshing a task after “take theirs” failed: %s", error->message);
      return;
    }

  g_ptr_array_add (tasks, g_object_ref (task));
  changes = _enr_sync_changes_from_objects (ENR_TYPE_SERVICE_TASK, tasks);
  if (!enr_store_apply_changes (self->store, changes, NULL, &error))
    g_warning ("Storing the service's copy of task %s failed: %s",
               enr_entity_get_id (ENR_ENTITY (task)), error->message);
}

/**
 * enr_sync_engine_take_theirs:
 * @seq: an operation in conflict or rejected
 *
 * Discards the local change (and the later changes of the same record):
 * the service's copy replaces the local one. When the operation kept no
 * copy (a rejection), the service's copy of a task is fetched afterwards.
 */
gboolean
enr_sync_engine_take_theirs (EnrSyncEngine  *self,
                             gint64          seq,
                             GError        **error)
{
  g_autoptr(EnrOperation) operation = NULL;

  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_sync_engine_check_owner (self, seq, error) ||
      !(operation = enr_outbox_get (self->outbox, seq, error)) ||
      !enr_outbox_take_theirs (self->outbox, seq, error))
    return FALSE;

  _enr_sync_engine_refresh_counts (self);

  if (enr_operation_get_server_copy (operation) == NULL && _enr_sync_is_task_operation (operation) &&
      enr_operation_get_kind (operation) != ENR_OPERATION_KIND_CREATE_TASK &&
      enr_api_client_get_token (self->client) != NULL)
    enr_api_client_get_task_async (self->client, enr_operation_get_entity_id (operation),
                                   self->cancellable, on_refreshed_cb, g_object_ref (self));

  return TRUE;
}

/**
 * enr_sync_engine_save_as_new:
 * @seq: a service-task operation in conflict or rejected
 *
 * Keeps the local work as a new flow with a new task (queued as a
 * create); the original record takes the service's copy.
 *
 * Returns: (transfer full): the new flow, or %NULL with @error set
 */
EnrProcessFlow *
enr_sync_engine_save_as_new (EnrSyncEngine  *self,
                             gint64          seq,
                             GError        **error)
{
  EnrProcessFlow *flow;

  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_enr_sync_engine_check_owner (self, seq, error) ||
      !(flow = enr_outbox_save_as_new (self->outbox, seq, error)))
    return NULL;

  _enr_sync_engine_refresh_counts (self);
  if (self->running)
    _enr_sync_engine_request_cycle (self);

  return flow;
}

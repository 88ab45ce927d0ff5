/* enr-outbox-outcome.c — what the service answered to an operation
 *
 * An operation goes in flight, then is done (with the entity's new
 * version, taken by its local copies and its later operations), retried,
 * in conflict or rejected. Times are microseconds since the Unix epoch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "enr-outbox-private.h"

/* The local copies of a task (the cache and its drafts) take @version. */
static gboolean
set_local_task_version (EnrOutbox    *self,
                        const char   *task_id,
                        gint64        version,
                        GError      **error)
{
  const EnrStoreTypeInfo *tasks = _enr_store_type_info (ENR_TYPE_SERVICE_TASK);
  const EnrStoreTypeInfo *drafts = _enr_store_type_info (ENR_TYPE_PROCESS_FLOW);
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(GPtrArray) flows = NULL;
  g_autoptr(GError) local_error = NULL;

  if ((task = _enr_store_get_one (self->store, tasks, task_id, &local_error)) != NULL)
    {
      enr_service_task_set_version (task, version);
      if (!_enr_store_put_one (self->store, tasks, task, error))
        return FALSE;
    }
  else if (!g_error_matches (local_error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!(flows = _enr_outbox_load_drafts_of_task (self, task_id, error)))
    return FALSE;

  for (guint i = 0; i < flows->len; i++)
    {
      EnrProcessFlow *flow = g_ptr_array_index (flows, i);
      EnrServiceTask *draft_task = enr_process_flow_get_task (flow);

      if (draft_task == NULL)
        continue;

      enr_service_task_set_version (draft_task, version);
      if (!_enr_store_put_one (self->store, drafts, flow, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * enr_outbox_mark_in_flight:
 *
 * Records that @seq is being sent. If the application stops before the
 * answer, the operation is pending again on the next start, with the same
 * idempotency key.
 */
gboolean
enr_outbox_mark_in_flight (EnrOutbox  *self,
                           gint64      seq,
                           GError    **error)
{
  g_autoptr(EnrOperation) operation = NULL;
  EnrDbStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_outbox_begin (self, error))
    return FALSE;

  ok = (operation = _enr_outbox_load_in_state (self, seq, 1u << ENR_OPERATION_STATE_PENDING, error)) != NULL &&
       (stmt = _enr_store_prepare (self->store,
                                   "UPDATE outbox SET state = " ENR_OUTBOX_IN_FLIGHT ", updated_at = ?2 WHERE seq = ?1",
                                   error)) != NULL;
  if (ok)
    {
      enr_db_stmt_bind_int64 (stmt, 1, seq);
      enr_db_stmt_bind_int64 (stmt, 2, g_get_real_time ());
      ok = _enr_store_step_done (self->store, stmt, error);
    }

  return _enr_outbox_finish (self, ok, error);
}

/**
 * enr_outbox_ack_clear:
 *
 * Frees what @ack holds (for g_array_set_clear_func()).
 */
void
enr_outbox_ack_clear (EnrOutboxAck *ack)
{
  g_clear_pointer (&ack->response, g_free);
}

typedef struct
{
  char   *entity_type;
  char   *entity_id;
  gint64  version;
} AckedEntity;

static void
acked_entity_free (AckedEntity *entity)
{
  g_free (entity->entity_type);
  g_free (entity->entity_id);
  g_free (entity);
}

/* Inside a transaction: records one acknowledgement, rebases the entity's
 * later operations on its new version and notes the version in @acked
 * (entity → AckedEntity), so that the local copies take it once. */
static gboolean
record_done (EnrOutbox           *self,
             const EnrOutboxAck  *ack,
             GHashTable          *acked,
             GError             **error)
{
  g_autoptr(EnrOperation) operation = NULL;
  EnrDbStmt *stmt;
  gint64 now = g_get_real_time ();

  if (!(stmt = _enr_store_prepare (self->store,
                                   "SELECT seq, state, entity_type, entity_id FROM outbox WHERE seq = ?1",
                                   error)))
    return FALSE;

  operation = g_object_new (ENR_TYPE_OPERATION, NULL);
  enr_db_stmt_bind_int64 (stmt, 1, ack->seq);
  if (_enr_store_step (self->store, stmt, error) == ENR_DB_STEP_ROW)
    {
      gint64 state = enr_db_stmt_column_int64 (stmt, 1);

      operation->seq = enr_db_stmt_column_int64 (stmt, 0);
      operation->state = state >= 0 && state < ENR_OPERATION_N_STATES ? state : -1;
      operation->entity_type = _enr_outbox_column_dup (stmt, 2);
      operation->entity_id = _enr_outbox_column_dup (stmt, 3);
    }
  enr_db_stmt_reset (stmt);

  if (operation->entity_id == NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND,
                   _("No queued operation %" PRId64), ack->seq);
      return FALSE;
    }
  if ((int) operation->state < 0 || (SENDABLE & (1u << operation->state)) == 0)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("Queued operation %" PRId64 " is %s"), ack->seq,
                   (int) operation->state < 0 ? "?" : _enr_outbox_state_nick (operation->state));
      return FALSE;
    }

  if (!(stmt = _enr_store_prepare (self->store,
                                   "UPDATE outbox SET state = " ENR_OUTBOX_DONE ", response = ?2,"
                                   " attempts = attempts + 1, last_error = NULL, updated_at = ?3"
                                   " WHERE seq = ?1",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_int64 (stmt, 1, ack->seq);
  enr_db_stmt_bind_text (stmt, 2, ack->response);
  enr_db_stmt_bind_int64 (stmt, 3, now);
  if (!_enr_store_step_done (self->store, stmt, error))
    return FALSE;

  if (ack->new_version >= 0)
    {
      AckedEntity *entity;
      char *key;

      if (!_enr_outbox_rebase_later (self, operation, ack->new_version, error))
        return FALSE;

      key = g_strconcat (operation->entity_type, "/", operation->entity_id, NULL);
      if (!(entity = g_hash_table_lookup (acked, key)))
        {
          entity = g_new0 (AckedEntity, 1);
          entity->entity_type = g_steal_pointer (&operation->entity_type);
          entity->entity_id = g_steal_pointer (&operation->entity_id);
          g_hash_table_insert (acked, key, entity);
        }
      else
        g_free (key);
      entity->version = ack->new_version;
    }

  return TRUE;
}

/**
 * enr_outbox_mark_done:
 * @response: (nullable): the service's response body
 * @new_version: the entity's version after the operation, or -1 when the
 *   response carries none
 *
 * Records success. With @new_version, the later operations of the entity
 * are rebased on it and the local copies of the task take it.
 */
gboolean
enr_outbox_mark_done (EnrOutbox   *self,
                      gint64       seq,
                      const char  *response,
                      gint64       new_version,
                      GError     **error)
{
  EnrOutboxAck ack = { seq, (char *) response, new_version };

  g_return_val_if_fail (ENR_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return enr_outbox_mark_done_batch (self, &ack, 1, error);
}

/**
 * enr_outbox_mark_done_batch:
 * @acks: (array length=n_acks): acknowledgements, in the order the service
 *   gave them (the order of the operations within each entity)
 *
 * As enr_outbox_mark_done() for each of @acks, in one transaction: all
 * are recorded or none (when one of them is not pending or in flight).
 * The local copies of a task take only its last new version.
 */
gboolean
enr_outbox_mark_done_batch (EnrOutbox           *self,
                            const EnrOutboxAck  *acks,
                            guint                n_acks,
                            GError             **error)
{
  g_autoptr(GHashTable) acked = NULL;
  const char *task_type = enr_store_type_get_name (ENR_TYPE_SERVICE_TASK);
  GHashTableIter iter;
  AckedEntity *entity;
  gboolean ok = TRUE;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (acks != NULL || n_acks == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_acks == 0)
    return _enr_outbox_check_open (self, error);

  if (!_enr_outbox_begin (self, error))
    return FALSE;

  acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) acked_entity_free);
  for (guint i = 0; ok && i < n_acks; i++)
    ok = record_done (self, &acks[i], acked, error);

  g_hash_table_iter_init (&iter, acked);
  while (ok && g_hash_table_iter_next (&iter, NULL, (gpointer *) &entity))
    if (g_str_equal (entity->entity_type, task_type))
      ok = set_local_task_version (self, entity->entity_id, entity->version, error);

  return _enr_outbox_finish (self, ok, error);
}

static gboolean
update_outcome (EnrOutbox          *self,
                gint64              seq,
                EnrOperationState   state,
                const char         *last_error,
                gint64              next_attempt_at,
                const char         *response,
                const char         *server_copy,
                const char         *reason,
                GError            **error)
{
  g_autoptr(EnrOperation) operation = NULL;
  EnrDbStmt *stmt;
  gboolean ok;

  if (!_enr_outbox_begin (self, error))
    return FALSE;

  ok = (operation = _enr_outbox_load_in_state (self, seq, SENDABLE, error)) != NULL &&
       (stmt = _enr_store_prepare (self->store,
                                   "UPDATE outbox SET state = ?2, attempts = attempts + 1,"
                                   " last_error = ?3, next_attempt_at = ?4, server_copy = ?5,"
                                   " reason = ?6, updated_at = ?7, response = ?8 WHERE seq = ?1",
                                   error)) != NULL;
  if (ok)
    {
      enr_db_stmt_bind_int64 (stmt, 1, seq);
      enr_db_stmt_bind_int64 (stmt, 2, state);
      enr_db_stmt_bind_text (stmt, 3, last_error);
      enr_db_stmt_bind_int64 (stmt, 4, next_attempt_at);
      enr_db_stmt_bind_text (stmt, 5, server_copy);
      enr_db_stmt_bind_text (stmt, 6, reason);
      enr_db_stmt_bind_int64 (stmt, 7, g_get_real_time ());
      enr_db_stmt_bind_text (stmt, 8, response);
      ok = _enr_store_step_done (self->store, stmt, error);
    }

  return _enr_outbox_finish (self, ok, error);
}

/**
 * enr_outbox_mark_retry:
 * @message: why the attempt failed
 * @next_attempt_at: when to try again
 *
 * Records a failure worth retrying (network, 5xx, 429): the operation is
 * pending again, with the same idempotency key, from @next_attempt_at.
 */
gboolean
enr_outbox_mark_retry (EnrOutbox   *self,
                       gint64       seq,
                       const char  *message,
                       gint64       next_attempt_at,
                       GError     **error)
{
  g_return_val_if_fail (ENR_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return update_outcome (self, seq, ENR_OPERATION_STATE_PENDING, message, next_attempt_at,
                         NULL, NULL, NULL, error);
}

/**
 * enr_outbox_mark_conflict:
 * @server_copy: (nullable): the service's current copy of the entity (JSON)
 * @message: (nullable): the service's explanation
 *
 * Records a conflict (412, 409). The entity's later operations wait until
 * a person resolves it.
 */
gboolean
enr_outbox_mark_conflict (EnrOutbox   *self,
                          gint64       seq,
                          const char  *server_copy,
                          const char  *message,
                          GError     **error)
{
  g_return_val_if_fail (ENR_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return update_outcome (self, seq, ENR_OPERATION_STATE_CONFLICT, message, 0,
                         NULL, server_copy, NULL, error);
}

/**
 * enr_outbox_mark_rejected:
 * @reason: the service's reason (403, 422, …), for a person to read
 * @problem: (nullable): the service's answer (its problem document, JSON)
 * @server_copy: (nullable): the service's current copy of the entity
 *   (JSON), when the answer carried one
 *
 * Records a rejection. The operation is kept for a person with all three;
 * the entity's later operations wait until it is resolved, other
 * entities' go on.
 */
gboolean
enr_outbox_mark_rejected (EnrOutbox   *self,
                          gint64       seq,
                          const char  *reason,
                          const char  *problem,
                          const char  *server_copy,
                          GError     **error)
{
  g_return_val_if_fail (ENR_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return update_outcome (self, seq, ENR_OPERATION_STATE_REJECTED, NULL, 0,
                         problem, server_copy, reason, error);
}

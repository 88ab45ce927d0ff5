/* enr-outbox-resolve.c — what the clerk decides about an operation in conflict or rejected
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "enr-outbox-private.h"

/* Resolution */

static gint64
version_of_json (const char *json)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonNode *member;

  if (json == NULL ||
      !(node = enr_json_parse (json, -1, ENR_JSON_MAX_BODY, NULL)) ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return -1;

  object = json_node_get_object (node);
  member = json_object_get_member (object, "version");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_INT64)
    return -1;

  return json_node_get_int (member);
}

/* Inside a transaction: the local entity becomes the service's copy and
 * the entity's unfinished operations from @operation on are dropped. */
static gboolean
apply_theirs (EnrOutbox     *self,
              EnrOperation  *operation,
              GError       **error)
{
  GType type = enr_store_type_from_name (operation->entity_type);
  EnrDbStmt *stmt;

  if (operation->server_copy != NULL && type != G_TYPE_INVALID)
    {
      g_autoptr(GObject) theirs = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *id = NULL;

      if (!(theirs = enr_codec_decode_data (type, operation->server_copy, -1, &local_error)))
        {
          g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE,
                       _("The service's copy of %s %s could not be read: %s"),
                       operation->entity_type, operation->entity_id, local_error->message);
          return FALSE;
        }

      id = _enr_store_object_id (theirs);
      if (g_strcmp0 (id, operation->entity_id) != 0)
        {
          g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE,
                       _("The service's copy of %s %s is another record (“%s”)"),
                       operation->entity_type, operation->entity_id, id != NULL ? id : "");
          return FALSE;
        }

      if (!_enr_store_put_one (self->store, _enr_store_type_info (type), theirs, error))
        return FALSE;

      if (ENR_IS_SERVICE_TASK (theirs))
        {
          EnrServiceTask *task = ENR_SERVICE_TASK (theirs);
          g_autoptr(GPtrArray) flows = NULL;

          if (!_enr_store_set_entity_version (self->store, operation->entity_type, id,
                                              enr_service_task_get_version (task), error) ||
              !(flows = _enr_outbox_load_drafts_of_task (self, id, error)))
            return FALSE;

          for (guint i = 0; i < flows->len; i++)
            {
              EnrProcessFlow *flow = g_ptr_array_index (flows, i);
              g_autoptr(EnrServiceTask) copy = enr_service_task_copy (task);

              enr_process_flow_set_task (flow, copy);
              if (enr_service_task_get_status (task) == ENR_TASK_STATUS_CANCELED)
                enr_process_flow_set_status (flow, ENR_FLOW_STATUS_CANCELED);
              else if (enr_service_task_get_status (task) == ENR_TASK_STATUS_COMPLETED)
                enr_process_flow_set_status (flow, ENR_FLOW_STATUS_CLOSED);

              if (!_enr_store_put_one (self->store, _enr_store_type_info (ENR_TYPE_PROCESS_FLOW),
                                       flow, error))
                return FALSE;
            }
        }
    }

  if (!(stmt = _enr_store_prepare (self->store,
                                   "DELETE FROM outbox WHERE entity_type = ?1 AND entity_id = ?2"
                                   " AND state <> " ENR_OUTBOX_DONE " AND seq >= ?3",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, operation->entity_type);
  enr_db_stmt_bind_text (stmt, 2, operation->entity_id);
  enr_db_stmt_bind_int64 (stmt, 3, operation->seq);
  return _enr_store_step_done (self->store, stmt, error);
}

/**
 * enr_outbox_take_theirs:
 *
 * Resolves @seq (in conflict or rejected) by discarding the local change:
 * the service's copy, when the operation has one, replaces the local
 * entity (and the task of its drafts), and the operation and the later
 * unfinished operations of the same entity are dropped, since they were
 * made on the discarded change.
 */
gboolean
enr_outbox_take_theirs (EnrOutbox  *self,
                        gint64      seq,
                        GError    **error)
{
  g_autoptr(EnrOperation) operation = NULL;
  gboolean ok;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_outbox_begin (self, error))
    return FALSE;

  ok = (operation = _enr_outbox_load_in_state (self, seq, UNRESOLVED, error)) != NULL &&
       apply_theirs (self, operation, error);

  return _enr_outbox_finish (self, ok, error);
}

/**
 * enr_outbox_keep_mine:
 * @new_base_version: the version to re-apply the change on, or -1 for the
 *   version of the service's copy kept with the conflict
 *
 * Resolves @seq (in conflict or rejected) by sending the local change
 * again on top of the service's version: the operation is pending again,
 * with a new idempotency key (the old one is bound to the refused attempt).
 */
gboolean
enr_outbox_keep_mine (EnrOutbox  *self,
                      gint64      seq,
                      gint64      new_base_version,
                      GError    **error)
{
  g_autoptr(EnrOperation) operation = NULL;
  g_autofree char *key = g_uuid_string_random ();
  EnrDbStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_outbox_begin (self, error))
    return FALSE;

  ok = (operation = _enr_outbox_load_in_state (self, seq, UNRESOLVED, error)) != NULL;
  if (ok && new_base_version < 0 &&
      (new_base_version = version_of_json (operation->server_copy)) < 0)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("Queued operation %" PRId64 " has no service copy to build on"),
                   seq);
      ok = FALSE;
    }

  ok = ok &&
       (stmt = _enr_store_prepare (self->store,
                                   "UPDATE outbox SET state = " ENR_OUTBOX_PENDING ", base_version = ?2,"
                                   " idempotency_key = ?3, attempts = 0, last_error = NULL,"
                                   " server_copy = NULL, reason = NULL, response = NULL,"
                                   " next_attempt_at = 0, updated_at = ?4 WHERE seq = ?1",
                                   error)) != NULL;
  if (ok)
    {
      enr_db_stmt_bind_int64 (stmt, 1, seq);
      enr_db_stmt_bind_int64 (stmt, 2, new_base_version);
      enr_db_stmt_bind_text (stmt, 3, key);
      enr_db_stmt_bind_int64 (stmt, 4, g_get_real_time ());
      ok = _enr_store_step_done (self->store, stmt, error) &&
           _enr_outbox_rebase_later (self, operation, new_base_version, error);
    }

  return _enr_outbox_finish (self, ok, error);
}

/* The local task behind @operation: the cached copy, else the body. */
static EnrServiceTask *
load_my_task (EnrOutbox     *self,
              EnrOperation  *operation,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  EnrServiceTask *task;

  task = _enr_store_get_one (self->store, _enr_store_type_info (ENR_TYPE_SERVICE_TASK),
                             operation->entity_id, &local_error);
  if (task != NULL)
    return task;

  if (!g_error_matches (local_error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (_enr_outbox_kind_sends_entity (operation->kind) && operation->body != NULL)
    {
      g_clear_error (&local_error);
      if ((task = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK, operation->body, -1, &local_error)))
        return task;
    }

  g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND,
               _("The local copy of service task %s is gone"), operation->entity_id);
  return NULL;
}

static EnrProcessFlow *
build_new_flow (EnrOutbox       *self,
                EnrOperation    *operation,
                EnrServiceTask  *mine,
                GError         **error)
{
  g_autoptr(EnrServiceTask) task = enr_service_task_copy (mine);
  g_autoptr(EnrProcessFlow) flow = enr_process_flow_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) drafts = NULL;
  g_autofree char *task_id = g_uuid_string_random ();
  g_autofree char *flow_id = g_uuid_string_random ();
  static const char * const first_panel[] = { "customer", NULL };

  if (!(drafts = _enr_outbox_load_drafts_of_task (self, operation->entity_id, error)))
    return NULL;

  enr_entity_set_id (ENR_ENTITY (task), task_id);
  enr_service_task_set_status (task, ENR_TASK_STATUS_PENDING);
  enr_service_task_set_version (task, 0);
  enr_service_task_set_history (task, NULL);
  enr_service_task_set_reasons (task, NULL);
  enr_service_task_set_appointments (task, NULL);
  enr_service_task_set_created_at (task, now);
  enr_service_task_set_updated_at (task, now);

  enr_entity_set_id (ENR_ENTITY (flow), flow_id);
  enr_process_flow_set_service_task_id (flow, task_id);
  enr_process_flow_set_kind (flow, enr_service_task_get_kind (task));
  enr_process_flow_set_status (flow, ENR_FLOW_STATUS_OPEN);
  if (drafts->len > 0)
    {
      EnrProcessFlow *draft = g_ptr_array_index (drafts, 0);

      enr_process_flow_set_current_panel (flow, enr_process_flow_get_current_panel (draft));
      enr_process_flow_set_visited (flow, enr_process_flow_get_visited (draft));
    }
  else
    {
      enr_process_flow_set_current_panel (flow, ENR_PANEL_CUSTOMER);
      enr_process_flow_set_visited (flow, first_panel);
    }
  enr_process_flow_set_task (flow, task);
  enr_process_flow_set_version (flow, 0);
  enr_process_flow_set_updated_at (flow, now);

  return g_steal_pointer (&flow);
}

/**
 * enr_outbox_save_as_new:
 *
 * Resolves @seq (a service-task operation in conflict or rejected) by
 * keeping the local work as a new flow: a copy of the local task with a
 * new id (status pending, no history, no appointments) in a new open
 * draft, queued as create-task; the original entity then takes the
 * service's copy as in enr_outbox_take_theirs().
 *
 * Returns: (transfer full): the new flow, or %NULL with @error set
 */
EnrProcessFlow *
enr_outbox_save_as_new (EnrOutbox  *self,
                        gint64      seq,
                        GError    **error)
{
  g_autoptr(EnrOperation) operation = NULL;
  g_autoptr(EnrOperation) created = NULL;
  g_autoptr(EnrServiceTask) mine = NULL;
  g_autoptr(EnrProcessFlow) flow = NULL;
  gboolean ok;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_enr_outbox_begin (self, error))
    return NULL;

  ok = (operation = _enr_outbox_load_in_state (self, seq, UNRESOLVED, error)) != NULL;
  if (ok && !g_str_equal (operation->entity_type, enr_store_type_get_name (ENR_TYPE_SERVICE_TASK)))
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("Only a service task can be saved as a new flow"));
      ok = FALSE;
    }

  ok = ok &&
       (mine = load_my_task (self, operation, error)) != NULL &&
       (flow = build_new_flow (self, operation, mine, error)) != NULL &&
       _enr_store_put_one (self->store, _enr_store_type_info (ENR_TYPE_PROCESS_FLOW), flow, error) &&
       _enr_store_put_one (self->store, _enr_store_type_info (ENR_TYPE_SERVICE_TASK),
                           enr_process_flow_get_task (flow), error) &&
       (created = _enr_outbox_append (self, ENR_OPERATION_KIND_CREATE_TASK,
                                      enr_process_flow_get_task (flow), NULL, error)) != NULL &&
       apply_theirs (self, operation, error);

  if (!_enr_outbox_finish (self, ok, error))
    return NULL;

  return g_steal_pointer (&flow);
}

/* enr-outbox-discard.c — a supervisor discards other users' waiting changes, with a reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Another user's operations wait for their owner's session
 * (enr-outbox.h). A supervisor may discard one, with a reason: it and the
 * later unfinished operations of the same record by the same owner (they
 * were made on it) leave the outbox for the table discarded_operations
 * (store migration 7), whole — body, owner, when it was queued — with who
 * discarded it, when and why, so that nothing goes without a trace and
 * its owner can be told. Nobody discards their own work this way (they
 * resolve it in the sync indicator), nor an operation a later change of
 * someone else builds on, nor one being sent. The local copies then
 * follow the service: a record the discarded work created is removed
 * (with its drafts), and the sync cursor is forgotten, so that the next
 * cycle downloads the service's copies again.
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "enr-outbox-private.h"

/* The entity's unfinished operations from ?3 on. */
#define DROPPED_WHERE \
  "entity_type = ?1 AND entity_id = ?2 AND state <> " ENR_OUTBOX_DONE " AND seq >= ?3"

#define DISCARDED_COLUMNS OPERATION_COLUMNS ", discarded_by, discard_reason, discarded_at"

/* Inside a transaction: whether an operation from @operation on may not
 * be dropped with it — someone else's (whose work builds on it), or one
 * being sent. */
static gboolean
check_droppable (EnrOutbox     *self,
                 EnrOperation  *operation,
                 GError       **error)
{
  EnrDbStmt *stmt;
  g_autofree char *blocker = NULL;
  gboolean in_flight = FALSE;
  EnrDbStep rc;

  if (!(stmt = _enr_store_prepare (self->store,
                                   "SELECT owner, state FROM outbox WHERE " DROPPED_WHERE
                                   " AND (owner IS NOT ?4 OR state = " ENR_OUTBOX_IN_FLIGHT ")"
                                   " ORDER BY seq LIMIT 1",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, operation->entity_type);
  enr_db_stmt_bind_text (stmt, 2, operation->entity_id);
  enr_db_stmt_bind_int64 (stmt, 3, operation->seq);
  if (operation->owner != NULL)
    enr_db_stmt_bind_text (stmt, 4, operation->owner);
  else
    enr_db_stmt_bind_null (stmt, 4);
  if ((rc = _enr_store_step (self->store, stmt, error)) == ENR_DB_STEP_ROW)
    {
      blocker = _enr_outbox_column_dup (stmt, 0);
      in_flight = enr_db_stmt_column_int64 (stmt, 1) == ENR_OPERATION_STATE_IN_FLIGHT;
    }
  enr_db_stmt_reset (stmt);

  if (rc == ENR_DB_STEP_DONE)
    return TRUE;

  if (rc == ENR_DB_STEP_ERROR)
    return FALSE;

  if (in_flight)
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                 _("The change is being sent to the service; it cannot be discarded now."));
  else
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                 _("A later change of %s to the same record builds on this one, so it cannot be discarded alone."),
                 blocker != NULL ? blocker : _("an earlier version’s user"));
  return FALSE;
}

/* Inside a transaction: whether the dropped operations include the one
 * that created the record (it then never was the service's). */
static gboolean
drops_creation (EnrOutbox     *self,
                EnrOperation  *operation,
                gboolean      *created,
                GError       **error)
{
  EnrDbStmt *stmt;
  EnrDbStep rc;

  if (!(stmt = _enr_store_prepare (self->store,
                                   "SELECT 1 FROM outbox WHERE " DROPPED_WHERE
                                   " AND kind IN (?4, ?5) LIMIT 1",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, operation->entity_type);
  enr_db_stmt_bind_text (stmt, 2, operation->entity_id);
  enr_db_stmt_bind_int64 (stmt, 3, operation->seq);
  enr_db_stmt_bind_int64 (stmt, 4, ENR_OPERATION_KIND_CREATE_TASK);
  enr_db_stmt_bind_int64 (stmt, 5, ENR_OPERATION_KIND_CREATE_COMMUNICATION);
  rc = _enr_store_step (self->store, stmt, error);
  enr_db_stmt_reset (stmt);

  if (rc == ENR_DB_STEP_ERROR)
    return FALSE;

  *created = rc == ENR_DB_STEP_ROW;
  return TRUE;
}

/* Inside a transaction: the record @operation's work created goes, with
 * its drafts and the version known of it. */
static gboolean
remove_created (EnrOutbox     *self,
                EnrOperation  *operation,
                GError       **error)
{
  GType type = enr_store_type_from_name (operation->entity_type);
  const EnrStoreTypeInfo *info = type != G_TYPE_INVALID ? _enr_store_type_info (type) : NULL;
  EnrDbStmt *stmt;

  if (info != NULL && !_enr_store_delete_one (self->store, info, operation->entity_id, error))
    return FALSE;

  if (type == ENR_TYPE_SERVICE_TASK)
    {
      g_autoptr(GPtrArray) flows = _enr_outbox_load_drafts_of_task (self, operation->entity_id, error);
      const EnrStoreTypeInfo *drafts = _enr_store_type_info (ENR_TYPE_PROCESS_FLOW);

      if (flows == NULL)
        return FALSE;

      for (guint i = 0; i < flows->len; i++)
        if (!_enr_store_delete_one (self->store, drafts,
                                    enr_entity_get_id (g_ptr_array_index (flows, i)), error))
          return FALSE;
    }

  if (!(stmt = _enr_store_prepare (self->store,
                                   "DELETE FROM entity_versions WHERE entity_type = ?1 AND entity_id = ?2",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, operation->entity_type);
  enr_db_stmt_bind_text (stmt, 2, operation->entity_id);
  return _enr_store_step_done (self->store, stmt, error);
}

/* Inside a transaction: moves the operations from @operation on to
 * discarded_operations. */
static gboolean
move_to_discarded (EnrOutbox     *self,
                   EnrOperation  *operation,
                   const char    *discarded_by,
                   const char    *reason,
                   gint64        *n_moved,
                   GError       **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_store_prepare (self->store,
                                   "INSERT INTO discarded_operations (" DISCARDED_COLUMNS ")"
                                   " SELECT " OPERATION_COLUMNS ", ?4, ?5, ?6 FROM outbox"
                                   " WHERE " DROPPED_WHERE " ORDER BY seq",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, operation->entity_type);
  enr_db_stmt_bind_text (stmt, 2, operation->entity_id);
  enr_db_stmt_bind_int64 (stmt, 3, operation->seq);
  enr_db_stmt_bind_text (stmt, 4, discarded_by);
  enr_db_stmt_bind_text (stmt, 5, reason);
  enr_db_stmt_bind_int64 (stmt, 6, g_get_real_time ());
  if (!_enr_store_step_done (self->store, stmt, error))
    return FALSE;

  *n_moved = enr_db_changes (_enr_store_get_database (self->store));

  if (!(stmt = _enr_store_prepare (self->store, "DELETE FROM outbox WHERE " DROPPED_WHERE, error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, operation->entity_type);
  enr_db_stmt_bind_text (stmt, 2, operation->entity_id);
  enr_db_stmt_bind_int64 (stmt, 3, operation->seq);
  return _enr_store_step_done (self->store, stmt, error);
}

/**
 * enr_outbox_discard:
 * @seq: another user's operation that waits (pending, in conflict or
 *   rejected)
 * @discarded_by: the supervisor who discards it (the caller checks the
 *   role)
 * @reason: why, in words its owner will read; required
 *
 * Discards @seq and the later unfinished operations of its record by the
 * same owner: they never reach the service. They are kept, whole, in the
 * list of discarded operations (enr_outbox_list_discarded()) with
 * @discarded_by, @reason and the time. Refused (%ENR_STORE_ERROR_INVALID)
 * without a reason, for an operation of @discarded_by's own, for one
 * being sent or done, and when a later operation of the record by
 * someone else builds on it. A record the discarded work created is
 * removed with its drafts; the sync cursor is forgotten, so that the next
 * sync downloads the service's copies again.
 *
 * Returns: how many operations were discarded, or -1 with @error set
 */
gint64
enr_outbox_discard (EnrOutbox   *self,
                    gint64       seq,
                    const char  *discarded_by,
                    const char  *reason,
                    GError     **error)
{
  g_autoptr(EnrOperation) operation = NULL;
  g_autofree char *why = NULL;
  gboolean ok, created = FALSE;
  gint64 n_moved = 0;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), -1);
  g_return_val_if_fail (discarded_by != NULL && discarded_by[0] != '\0', -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  why = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  if (why[0] == '\0')
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("Say why the change is discarded: its owner will read it."));
      return -1;
    }

  if (!_enr_outbox_begin (self, error))
    return -1;

  ok = (operation = _enr_outbox_load_in_state (self, seq,
                                               (1u << ENR_OPERATION_STATE_PENDING) | UNRESOLVED,
                                               error)) != NULL;
  if (ok && g_strcmp0 (operation->owner, discarded_by) == 0)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("This change is your own: it is sent under your session, or resolved in the sync list; it cannot be discarded here."));
      ok = FALSE;
    }

  ok = ok &&
       check_droppable (self, operation, error) &&
       drops_creation (self, operation, &created, error) &&
       (!created || remove_created (self, operation, error)) &&
       move_to_discarded (self, operation, discarded_by, why, &n_moved, error) &&
       _enr_store_forget_cursor (self->store, error);

  if (!_enr_outbox_finish (self, ok, error))
    return -1;

  return n_moved;
}

/**
 * enr_outbox_list_discarded:
 * @owner: (nullable): only the operations of this user; %NULL: everyone's
 *
 * Returns: (transfer full) (element-type EnrOperation): the discarded
 *   operations, most recently discarded first, with who discarded them,
 *   why and when (enr_operation_get_discarded_by() …); their state is the
 *   one they had when discarded
 */
GPtrArray *
enr_outbox_list_discarded (EnrOutbox   *self,
                           const char  *owner,
                           GError     **error)
{
  g_autoptr(GPtrArray) operations = g_ptr_array_new_with_free_func (g_object_unref);
  EnrDbStmt *stmt;
  EnrDbStep rc;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->store == NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("The local database is closed"));
      return NULL;
    }

  if (!(stmt = _enr_store_prepare (self->store,
                                   "SELECT " DISCARDED_COLUMNS " FROM discarded_operations"
                                   " WHERE ?1 IS NULL OR owner = ?1"
                                   " ORDER BY discarded_at DESC, id DESC",
                                   error)))
    return NULL;

  if (owner != NULL)
    enr_db_stmt_bind_text (stmt, 1, owner);
  else
    enr_db_stmt_bind_null (stmt, 1);
  while ((rc = _enr_store_step (self->store, stmt, error)) == ENR_DB_STEP_ROW)
    {
      EnrOperation *operation = _enr_operation_new_from_row (stmt, error);

      if (operation == NULL)
        {
          enr_db_stmt_reset (stmt);
          return NULL;
        }
      operation->discarded_by = _enr_outbox_column_dup (stmt, 18);
      operation->discard_reason = _enr_outbox_column_dup (stmt, 19);
      operation->discarded_at = enr_db_stmt_column_int64 (stmt, 20);
      g_ptr_array_add (operations, operation);
    }
  enr_db_stmt_reset (stmt);

  if (rc != ENR_DB_STEP_DONE)
    return NULL;

  return g_steal_pointer (&operations);
}

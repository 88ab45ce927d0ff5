/* enr-outbox.c — operations waiting to reach the service
 *
 * Queuing and reading operations; what the service answered is recorded
 * in enr-outbox-outcome.c, the clerk's decisions in enr-outbox-resolve.c.
 *
 * Times are microseconds since the Unix epoch (g_get_real_time()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "enr-outbox-private.h"

/* The heads of the entities' queues that belong to the owner ?3: an
 * operation goes out only when every earlier operation of its entity is
 * done, whoever queued them, and only under its owner's session. */
#define HEADS_WHERE \
  "o.state = " ENR_OUTBOX_PENDING " AND o.owner = ?3 AND NOT EXISTS (SELECT 1 FROM outbox p" \
  " WHERE p.entity_type = o.entity_type AND p.entity_id = o.entity_id" \
  " AND p.state <> " ENR_OUTBOX_DONE " AND p.seq < o.seq)" \
  " AND NOT (o.kind = " ENR_OUTBOX_KIND_CREATE_COMMUNICATION " AND EXISTS (SELECT 1 FROM outbox t" \
  " WHERE t.entity_type = 'service_task'" \
  " AND t.entity_id = json_extract (o.body, '$.service_task_id')" \
  " AND t.state <> " ENR_OUTBOX_DONE " AND t.seq < o.seq))"

/* Not yet done, and queued by someone other than ?1 (or by nobody known). */
#define OTHERS_WHERE "state <> " ENR_OUTBOX_DONE " AND (owner IS NULL OR owner <> ?1)"

G_DEFINE_FINAL_TYPE (EnrOutbox, enr_outbox, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What each kind sends: method, collection, then (with the entity's id)
 * "/<id><action>". */
static const struct
{
  const char *method;
  const char *collection;
  gboolean    with_id;
  const char *action;
  gboolean    entity_body;
  gboolean    needs_body;
} kind_requests[] = {
  [ENR_OPERATION_KIND_CREATE_TASK] =
    { "POST", "/v1/service-tasks", FALSE, "", TRUE, FALSE },
  [ENR_OPERATION_KIND_SAVE_TASK] =
    { "PUT", "/v1/service-tasks", TRUE, "", TRUE, FALSE },
  [ENR_OPERATION_KIND_FINISH_TASK] =
    { "POST", "/v1/service-tasks", TRUE, "/finish", FALSE, FALSE },
  [ENR_OPERATION_KIND_CANCEL_TASK] =
    { "POST", "/v1/service-tasks", TRUE, "/cancel", FALSE, FALSE },
  [ENR_OPERATION_KIND_CREATE_COMMUNICATION] =
    { "POST", "/v1/communications", FALSE, "", TRUE, FALSE },
  [ENR_OPERATION_KIND_RESCHEDULE] =
    { "POST", "/v1/service-tasks", TRUE, "/reschedule", FALSE, TRUE },
  [ENR_OPERATION_KIND_COMPLETE_FIELD_WORK] =
    { "POST", "/v1/service-tasks", TRUE, "/complete-field-work", FALSE, FALSE },
};

/* Whether @kind sends the entity itself as its body. */
gboolean
_enr_outbox_kind_sends_entity (EnrOperationKind kind)
{
  return kind < G_N_ELEMENTS (kind_requests) && kind_requests[kind].entity_body;
}

/* EnrOutbox */

gboolean
_enr_outbox_check_open (EnrOutbox  *self,
                        GError    **error)
{
  if (self->store != NULL)
    return TRUE;

  g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
               _("The local database is closed"));
  return FALSE;
}

static GPtrArray *
collect_operations (EnrOutbox     *self,
                    EnrDbStmt  *stmt,
                    GError       **error)
{
  g_autoptr(GPtrArray) operations = g_ptr_array_new_with_free_func (g_object_unref);
  EnrDbStep rc;

  while ((rc = _enr_store_step (self->store, stmt, error)) == ENR_DB_STEP_ROW)
    {
      EnrOperation *operation = _enr_operation_new_from_row (stmt, error);

      if (operation == NULL)
        {
          enr_db_stmt_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (operations, operation);
    }

  enr_db_stmt_reset (stmt);
  if (rc != ENR_DB_STEP_DONE)
    {
      return NULL;
    }

  return g_steal_pointer (&operations);
}

/**
 * enr_outbox_get:
 *
 * Returns: (transfer full): the operation, or %NULL with
 *   %ENR_STORE_ERROR_NOT_FOUND
 */
EnrOperation *
enr_outbox_get (EnrOutbox  *self,
                gint64      seq,
                GError    **error)
{
  EnrDbStmt *stmt;
  g_autoptr(GPtrArray) operations = NULL;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_enr_outbox_check_open (self, error) ||
      !(stmt = _enr_store_prepare (self->store,
                                   "SELECT " OPERATION_COLUMNS " FROM outbox WHERE seq = ?1",
                                   error)))
    return NULL;

  enr_db_stmt_bind_int64 (stmt, 1, seq);
  if (!(operations = collect_operations (self, stmt, error)))
    return NULL;

  if (operations->len == 0)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND,
                   _("No queued operation %" PRId64), seq);
      return NULL;
    }

  return g_object_ref (g_ptr_array_index (operations, 0));
}

/**
 * enr_outbox_next:
 * @owner: (nullable): the user whose session sends them; %NULL: nobody's
 * @limit: the most operations to return
 *
 * The operations @owner may send now: for every entity, its oldest
 * operation that is not done, when that one is @owner's, pending and due.
 * Operations of different entities are independent: one in conflict or
 * rejected, or another user's, blocks only the later operations of its
 * own entity. The one exception: a communication about a service task
 * waits for the operations queued before it on that task, so that it
 * never reaches the service before the task it names (the service may
 * answer requests in any order).
 *
 * Returns: (transfer full) (element-type EnrOperation): in queue order
 */
GPtrArray *
enr_outbox_next (EnrOutbox   *self,
                 const char  *owner,
                 guint        limit,
                 GError     **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_enr_outbox_check_open (self, error))
    return NULL;

  if (owner == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);

  if (!(stmt = _enr_store_prepare (self->store,
                                   "SELECT " OPERATION_COLUMNS " FROM outbox o WHERE " HEADS_WHERE
                                   " AND o.next_attempt_at <= ?1 ORDER BY o.seq LIMIT ?2",
                                   error)))
    return NULL;

  enr_db_stmt_bind_int64 (stmt, 1, g_get_real_time ());
  enr_db_stmt_bind_int64 (stmt, 2, limit);
  enr_db_stmt_bind_text (stmt, 3, owner);
  return collect_operations (self, stmt, error);
}

/**
 * enr_outbox_next_of_entity:
 * @after: an operation
 *
 * The operation queued next for the entity of @after, when it is pending,
 * due and queued by the owner of @after: what may go under the same
 * session once @after is acknowledged, even before that is recorded (with
 * the base version the acknowledgement gave).
 *
 * Returns: (transfer full) (nullable): the operation, or %NULL when there
 *   is none to send now (@error is set only on failure)
 */
EnrOperation *
enr_outbox_next_of_entity (EnrOutbox     *self,
                           EnrOperation  *after,
                           GError       **error)
{
  g_autoptr(GPtrArray) operations = NULL;
  EnrOperation *next;
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (ENR_IS_OPERATION (after), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_enr_outbox_check_open (self, error) ||
      !(stmt = _enr_store_prepare (self->store,
                                   "SELECT " OPERATION_COLUMNS " FROM outbox"
                                   " WHERE entity_type = ?1 AND entity_id = ?2 AND seq > ?3"
                                   " AND state <> " ENR_OUTBOX_DONE " ORDER BY seq LIMIT 1",
                                   error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, after->entity_type);
  enr_db_stmt_bind_text (stmt, 2, after->entity_id);
  enr_db_stmt_bind_int64 (stmt, 3, after->seq);
  if (!(operations = collect_operations (self, stmt, error)) || operations->len == 0)
    return NULL;

  next = g_ptr_array_index (operations, 0);
  if (next->state != ENR_OPERATION_STATE_PENDING || next->next_attempt_at > g_get_real_time () ||
      next->owner == NULL || g_strcmp0 (next->owner, after->owner) != 0)
    return NULL;

  return g_object_ref (next);
}

/**
 * enr_outbox_get_next_attempt_at:
 * @owner: (nullable): as for enr_outbox_next()
 *
 * Returns: the earliest time an operation enr_outbox_next() would return
 *   for @owner is (or was) due, or -1 when none waits; on error -1 with
 *   @error set
 */
gint64
enr_outbox_get_next_attempt_at (EnrOutbox   *self,
                                const char  *owner,
                                GError     **error)
{
  EnrDbStmt *stmt;
  gint64 at = -1;
  EnrDbStep rc;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), -1);

  if (!_enr_outbox_check_open (self, error))
    return -1;

  if (owner == NULL)
    return -1;

  if (!(stmt = _enr_store_prepare (self->store,
                                   "SELECT min (o.next_attempt_at) FROM outbox o WHERE " HEADS_WHERE,
                                   error)))
    return -1;

  enr_db_stmt_bind_text (stmt, 3, owner);

  if ((rc = _enr_store_step (self->store, stmt, error)) == ENR_DB_STEP_ROW)
    {
      if (!enr_db_stmt_column_is_null (stmt, 0))
        at = enr_db_stmt_column_int64 (stmt, 0);
    }

  enr_db_stmt_reset (stmt);
  return at;
}

const char *
_enr_outbox_state_nick (EnrOperationState state)
{
  return enr_enum_to_nick (ENR_TYPE_OPERATION_STATE, state);
}

/* Inside a transaction: loads @seq and checks its state is one of @allowed
 * (a bit mask of 1 << EnrOperationState). */
EnrOperation *
_enr_outbox_load_in_state (EnrOutbox  *self,
                           gint64      seq,
                           guint       allowed,
                           GError    **error)
{
  g_autoptr(EnrOperation) operation = enr_outbox_get (self, seq, error);

  if (operation == NULL)
    return NULL;

  if ((allowed & (1u << operation->state)) == 0)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("Queued operation %" PRId64 " is %s"),
                   seq, _enr_outbox_state_nick (operation->state));
      return NULL;
    }

  return g_steal_pointer (&operation);
}

gboolean
_enr_outbox_begin (EnrOutbox  *self,
                   GError    **error)
{
  if (!_enr_outbox_check_open (self, error) || !_enr_store_begin (self->store, error))
    return FALSE;

  _enr_store_touch_outbox (self->store);
  return TRUE;
}

gboolean
_enr_outbox_finish (EnrOutbox  *self,
                    gboolean    ok,
                    GError    **error)
{
  if (!ok)
    {
      _enr_store_rollback (self->store);
      return FALSE;
    }

  return _enr_store_commit (self->store, error);
}

gboolean
_enr_outbox_rebase_later (EnrOutbox     *self,
                          EnrOperation  *operation,
                          gint64         version,
                          GError       **error)
{
  EnrDbStmt *stmt;

  if (!_enr_store_set_entity_version (self->store, operation->entity_type,
                                      operation->entity_id, version, error) ||
      !(stmt = _enr_store_prepare (self->store,
                                   "UPDATE outbox SET base_version = ?1 WHERE entity_type = ?2"
                                   " AND entity_id = ?3 AND state <> " ENR_OUTBOX_DONE " AND seq > ?4",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_int64 (stmt, 1, version);
  enr_db_stmt_bind_text (stmt, 2, operation->entity_type);
  enr_db_stmt_bind_text (stmt, 3, operation->entity_id);
  enr_db_stmt_bind_int64 (stmt, 4, operation->seq);
  return _enr_store_step_done (self->store, stmt, error);
}

GPtrArray *
_enr_outbox_load_drafts_of_task (EnrOutbox   *self,
                                 const char  *task_id,
                                 GError     **error)
{
  g_autoptr(GPtrArray) flows = g_ptr_array_new_with_free_func (g_object_unref);
  EnrDbStmt *stmt;
  EnrDbStep rc;

  if (!(stmt = _enr_store_prepare (self->store,
                                   "SELECT json FROM drafts WHERE service_task_id = ?1"
                                   " ORDER BY updated_at DESC, seq DESC",
                                   error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, task_id);
  while ((rc = _enr_store_step (self->store, stmt, error)) == ENR_DB_STEP_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      EnrProcessFlow *flow = enr_codec_decode_data (ENR_TYPE_PROCESS_FLOW,
                                                    enr_db_stmt_column_text (stmt, 0),
                                                    enr_db_stmt_column_length (stmt, 0),
                                                    &local_error);

      if (flow == NULL)
        {
          enr_db_stmt_reset (stmt);
          g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE,
                       _("A stored record could not be read: %s"), local_error->message);
          return NULL;
        }
      g_ptr_array_add (flows, flow);
    }

  enr_db_stmt_reset (stmt);
  if (rc != ENR_DB_STEP_DONE)
    {
      return NULL;
    }

  return g_steal_pointer (&flows);
}

/**
 * enr_outbox_count:
 *
 * Returns: how many operations are in @state, or -1 with @error set
 */
gint64
enr_outbox_count (EnrOutbox          *self,
                  EnrOperationState   state,
                  GError            **error)
{
  EnrDbStmt *stmt;
  gint64 count = -1;
  EnrDbStep rc;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), -1);

  if (!_enr_outbox_check_open (self, error) ||
      !(stmt = _enr_store_prepare (self->store, "SELECT count(*) FROM outbox WHERE state = ?1", error)))
    return -1;

  enr_db_stmt_bind_int64 (stmt, 1, state);
  if ((rc = _enr_store_step (self->store, stmt, error)) == ENR_DB_STEP_ROW)
    count = enr_db_stmt_column_int64 (stmt, 0);

  enr_db_stmt_reset (stmt);
  return count;
}

static gint64
count_where (EnrOutbox   *self,
             const char  *sql,
             const char  *text1,
             const char  *text2,
             GError     **error)
{
  EnrDbStmt *stmt;
  gint64 count = -1;
  EnrDbStep rc;

  if (!_enr_outbox_check_open (self, error) ||
      !(stmt = _enr_store_prepare (self->store, sql, error)))
    return -1;

  if (text1 != NULL)
    enr_db_stmt_bind_text (stmt, 1, text1);
  if (text2 != NULL)
    enr_db_stmt_bind_text (stmt, 2, text2);
  if ((rc = _enr_store_step (self->store, stmt, error)) == ENR_DB_STEP_ROW)
    count = enr_db_stmt_column_int64 (stmt, 0);

  enr_db_stmt_reset (stmt);
  return count;
}

/**
 * enr_outbox_count_of_owner:
 * @owner: a user name
 *
 * Returns: how many operations @owner queued are in @state, or -1 with
 *   @error set
 */
gint64
enr_outbox_count_of_owner (EnrOutbox          *self,
                           EnrOperationState   state,
                           const char         *owner,
                           GError            **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), -1);
  g_return_val_if_fail (owner != NULL, -1);

  sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE state = %d AND owner = ?2", state);

  return count_where (self, sql, NULL, owner, error);
}

/**
 * enr_outbox_count_unfinished:
 *
 * Returns: how many operations, whoever queued them, the service has not
 *   acknowledged (pending, being sent, in conflict or rejected), or -1
 *   with @error set
 */
gint64
enr_outbox_count_unfinished (EnrOutbox  *self,
                             GError    **error)
{
  g_return_val_if_fail (ENR_IS_OUTBOX (self), -1);

  return count_where (self, "SELECT count(*) FROM outbox WHERE state <> " ENR_OUTBOX_DONE, NULL, NULL, error);
}

/**
 * enr_outbox_count_of_others:
 * @owner: a user name
 *
 * Returns: how many operations other users queued (or that have no known
 *   owner) the service has not acknowledged: they wait for their owner's
 *   session. -1 with @error set on failure
 */
gint64
enr_outbox_count_of_others (EnrOutbox   *self,
                            const char  *owner,
                            GError     **error)
{
  g_return_val_if_fail (ENR_IS_OUTBOX (self), -1);
  g_return_val_if_fail (owner != NULL, -1);

  return count_where (self, "SELECT count(*) FROM outbox WHERE " OTHERS_WHERE, owner, NULL, error);
}

/**
 * enr_outbox_list_of_others:
 * @owner: a user name
 *
 * Returns: (transfer full) (element-type EnrOperation): the operations
 *   enr_outbox_count_of_others() counts, in queue order
 */
GPtrArray *
enr_outbox_list_of_others (EnrOutbox   *self,
                           const char  *owner,
                           GError     **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (owner != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_enr_outbox_check_open (self, error) ||
      !(stmt = _enr_store_prepare (self->store,
                                   "SELECT " OPERATION_COLUMNS " FROM outbox WHERE " OTHERS_WHERE
                                   " ORDER BY seq",
                                   error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, owner);
  return collect_operations (self, stmt, error);
}

/**
 * enr_outbox_claim_unowned:
 * @owner: a supervisor's user name
 *
 * Gives @owner the unfinished operations that have no known owner (queued
 * before owners were recorded, and not of a known task creator): they go
 * out under @owner's session from now on. Only a supervisor may act on
 * any task, so only a supervisor's session takes them.
 *
 * Returns: how many were taken, or -1 with @error set
 */
gint64
enr_outbox_claim_unowned (EnrOutbox   *self,
                          const char  *owner,
                          GError     **error)
{
  EnrDbStmt *stmt;
  gboolean ok;
  gint64 claimed = 0;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), -1);
  g_return_val_if_fail (owner != NULL && owner[0] != '\0', -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!_enr_outbox_begin (self, error))
    return -1;

  ok = (stmt = _enr_store_prepare (self->store,
                                   "UPDATE outbox SET owner = ?1 WHERE owner IS NULL AND state <> " ENR_OUTBOX_DONE,
                                   error)) != NULL;
  if (ok)
    {
      enr_db_stmt_bind_text (stmt, 1, owner);
      ok = _enr_store_step_done (self->store, stmt, error);
      claimed = enr_db_changes (_enr_store_get_database (self->store));
    }

  if (!_enr_outbox_finish (self, ok, error))
    return -1;

  return claimed;
}

/**
 * enr_outbox_list:
 *
 * Returns: (transfer full) (element-type EnrOperation): the operations in
 *   @state, in queue order
 */
GPtrArray *
enr_outbox_list (EnrOutbox          *self,
                 EnrOperationState   state,
                 GError            **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_enr_outbox_check_open (self, error) ||
      !(stmt = _enr_store_prepare (self->store,
                                   "SELECT " OPERATION_COLUMNS " FROM outbox WHERE state = ?1 ORDER BY seq",
                                   error)))
    return NULL;

  enr_db_stmt_bind_int64 (stmt, 1, state);
  return collect_operations (self, stmt, error);
}

/**
 * enr_outbox_list_of_entity:
 * @entity_type: a cached type's name (enr_store_type_get_name())
 * @entity_id: the entity's id
 *
 * Returns: (transfer full) (element-type EnrOperation): the operations of
 *   the entity the service has not acknowledged yet, in queue order
 */
GPtrArray *
enr_outbox_list_of_entity (EnrOutbox   *self,
                           const char  *entity_type,
                           const char  *entity_id,
                           GError     **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (entity_type != NULL, NULL);
  g_return_val_if_fail (entity_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_enr_outbox_check_open (self, error) ||
      !(stmt = _enr_store_prepare (self->store,
                                   "SELECT " OPERATION_COLUMNS " FROM outbox"
                                   " WHERE entity_type = ?1 AND entity_id = ?2"
                                   " AND state <> " ENR_OUTBOX_DONE " ORDER BY seq",
                                   error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, entity_type);
  enr_db_stmt_bind_text (stmt, 2, entity_id);
  return collect_operations (self, stmt, error);
}

/**
 * enr_outbox_purge_done:
 * @older_than: operations done before this time are deleted
 */
gboolean
enr_outbox_purge_done (EnrOutbox  *self,
                       gint64      older_than,
                       GError    **error)
{
  EnrDbStmt *stmt;
  gboolean ok;

  g_return_val_if_fail (ENR_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_outbox_begin (self, error))
    return FALSE;

  ok = (stmt = _enr_store_prepare (self->store,
                                   "DELETE FROM outbox WHERE state = " ENR_OUTBOX_DONE " AND updated_at < ?1",
                                   error)) != NULL;
  if (ok)
    {
      enr_db_stmt_bind_int64 (stmt, 1, older_than);
      ok = _enr_store_step_done (self->store, stmt, error);
    }

  return _enr_outbox_finish (self, ok, error);
}

/* Internal */

/* Inside a transaction: queues @kind for @entity, owned by the store's
 * user. The base version is the last version the service acknowledged
 * for the entity (from a pull or a done operation), else the entity's own. */
EnrOperation *
_enr_outbox_append (EnrOutbox         *self,
                    EnrOperationKind   kind,
                    gpointer           entity,
                    const char        *body,
                    GError           **error)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *frozen = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  const char *entity_type, *entity_id, *owner;
  gboolean communication = kind == ENR_OPERATION_KIND_CREATE_COMMUNICATION;
  EnrDbStmt *stmt;
  gint64 now = g_get_real_time ();
  gint64 base_version = 0;
  gint64 acknowledged;

  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_requests), NULL);

  /* Every change is someone's: it goes out only under their session. */
  if ((owner = enr_store_get_user (self->store)) == NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("Nobody is signed in on this computer, so the change cannot be kept for the service. Sign in, then try again."));
      return NULL;
    }

  if (communication ? !ENR_IS_CUSTOMER_COMMUNICATION (entity) : !ENR_IS_SERVICE_TASK (entity))
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   "A %s operation cannot apply to a %s",
                   enr_enum_to_nick (ENR_TYPE_OPERATION_KIND, kind), G_OBJECT_TYPE_NAME (entity));
      return NULL;
    }

  entity_type = enr_store_type_get_name (G_OBJECT_TYPE (entity));
  entity_id = enr_entity_get_id (entity);
  if (entity_id == NULL || entity_id[0] == '\0')
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   "A %s without an id cannot be sent", entity_type);
      return NULL;
    }

  if (body != NULL)
    frozen = g_strdup (body);
  else if (kind_requests[kind].entity_body)
    frozen = enr_codec_encode_string (entity);
  else if (!kind_requests[kind].needs_body)
    frozen = g_strdup ("{}");
  else
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   "A %s operation needs a body", enr_enum_to_nick (ENR_TYPE_OPERATION_KIND, kind));
      return NULL;
    }

  if (ENR_IS_SERVICE_TASK (entity) && kind != ENR_OPERATION_KIND_CREATE_TASK)
    base_version = enr_service_task_get_version (entity);
  if (!_enr_store_get_entity_version (self->store, entity_type, entity_id, &acknowledged, error))
    return NULL;
  if (acknowledged >= 0)
    base_version = acknowledged;

  escaped = g_uri_escape_string (entity_id, NULL, FALSE);
  if (kind_requests[kind].with_id)
    path = g_strconcat (kind_requests[kind].collection, "/", escaped, kind_requests[kind].action, NULL);
  else
    path = g_strdup (kind_requests[kind].collection);

  if (!(stmt = _enr_store_prepare (self->store,
                                   "INSERT INTO outbox (idempotency_key, kind, entity_type, entity_id,"
                                   " base_version, method, path, body, state, created_at, updated_at,"
                                   " owner)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, " ENR_OUTBOX_PENDING ", ?9, ?9, ?10)",
                                   error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, key);
  enr_db_stmt_bind_int64 (stmt, 2, kind);
  enr_db_stmt_bind_text (stmt, 3, entity_type);
  enr_db_stmt_bind_text (stmt, 4, entity_id);
  enr_db_stmt_bind_int64 (stmt, 5, base_version);
  enr_db_stmt_bind_text (stmt, 6, kind_requests[kind].method);
  enr_db_stmt_bind_text (stmt, 7, path);
  enr_db_stmt_bind_text (stmt, 8, frozen);
  enr_db_stmt_bind_int64 (stmt, 9, now);
  enr_db_stmt_bind_text (stmt, 10, owner);
  if (!_enr_store_step_done (self->store, stmt, error))
    return NULL;

  _enr_store_touch_outbox (self->store);
  return enr_outbox_get (self, sqlite3_last_insert_rowid (_enr_store_get_db (self->store)), error);
}

gboolean
_enr_outbox_entity_is_busy (EnrOutbox   *self,
                            const char  *entity_type,
                            const char  *entity_id,
                            gboolean    *busy,
                            GError     **error)
{
  EnrDbStmt *stmt;
  EnrDbStep rc;

  if (!(stmt = _enr_store_prepare (self->store,
                                   "SELECT 1 FROM outbox WHERE entity_type = ?1 AND entity_id = ?2"
                                   " AND state <> " ENR_OUTBOX_DONE " LIMIT 1",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, entity_type);
  enr_db_stmt_bind_text (stmt, 2, entity_id);
  rc = _enr_store_step (self->store, stmt, error);
  enr_db_stmt_reset (stmt);

  if (rc != ENR_DB_STEP_ROW && rc != ENR_DB_STEP_DONE)
    {
      return FALSE;
    }

  *busy = rc == ENR_DB_STEP_ROW;
  return TRUE;
}

/* After a crash, operations that were being sent are pending again with
 * their idempotency key, so that a replay is recognised by the service. */
gboolean
_enr_outbox_recover (EnrOutbox  *self,
                     GError    **error)
{
  EnrDbStmt *stmt;

  return (stmt = _enr_store_prepare (self->store,
                                     "UPDATE outbox SET state = " ENR_OUTBOX_PENDING " WHERE state = " ENR_OUTBOX_IN_FLIGHT,
                                     error)) != NULL &&
         _enr_store_step_done (self->store, stmt, error);
}

void
_enr_outbox_emit_changed (EnrOutbox *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

EnrOutbox *
_enr_outbox_new (EnrStore *store)
{
  EnrOutbox *self = g_object_new (ENR_TYPE_OUTBOX, NULL);

  g_set_weak_pointer (&self->store, store);
  return self;
}

/**
 * enr_outbox_get_store:
 *
 * Returns: (transfer none) (nullable): the store, or %NULL once it is gone
 */
EnrStore *
enr_outbox_get_store (EnrOutbox *self)
{
  g_return_val_if_fail (ENR_IS_OUTBOX (self), NULL);

  return self->store;
}

static void
enr_outbox_dispose (GObject *object)
{
  EnrOutbox *self = (EnrOutbox *)object;

  g_clear_weak_pointer (&self->store);

  G_OBJECT_CLASS (enr_outbox_parent_class)->dispose (object);
}

static void
enr_outbox_class_init (EnrOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = enr_outbox_dispose;

  /**
   * EnrOutbox::changed:
   *
   * Emitted after a transaction that changed the outbox committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
enr_outbox_init (EnrOutbox *self)
{
}

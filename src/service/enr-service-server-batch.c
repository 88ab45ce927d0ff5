/* enr-service-server-batch.c — group commit: the writes that arrive
 * together share one SQLite transaction
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-server-private.h"

#define BATCH_MAX_AGE_MS             5

/* Group commit
 *
 * The first write of a main-loop pass opens a transaction (BEGIN
 * IMMEDIATE); each write runs in a savepoint of its own, released when it
 * succeeds and rolled back when it fails, and its message is paused with
 * the reply ready. The transaction commits when the main loop has nothing
 * else to do (or after batch_delay ms), when batch_max writes joined, when
 * it is BATCH_MAX_AGE_MS old, or before any read or other transaction, so
 * that nobody sees what is not committed. Only then are the replies sent:
 * a 2xx still means the write is on disk (synchronous=FULL). When COMMIT
 * fails, every write of the batch gets 503: none was stored. */

static void
release_held (EnrServiceRequest *req)
{
  _enr_service_server_write_reply (req);
  soup_server_message_unpause (req->msg);
  enr_service_request_free (req);
}

static void
refuse_held (EnrServiceRequest *req)
{
  req->replayed = FALSE;
  enr_service_request_clear_reply (req);
  req->retry_after = 1;
  enr_service_request_problem (req, 503, "unavailable",
                               "The write was not stored; send it again with the same Idempotency-Key.");
}

void
_enr_service_server_end_batch (EnrServiceServer *self)
{
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GError) error = NULL;
  gboolean committed = FALSE;

  if (!self->batch_open)
    return;

  g_clear_handle_id (&self->batch_due_id, g_source_remove);
  g_clear_handle_id (&self->batch_deadline_id, g_source_remove);
  members = g_steal_pointer (&self->batch);
  self->batch = g_ptr_array_new ();
  self->batch_open = FALSE;

  if (self->batch_broken)
    g_warning ("A transaction of %u writes was lost; none was stored", members->len);
  else if (!enr_service_store_commit (self->store, &error))
    g_warning ("Committing %u writes failed: %s", members->len, error->message);
  else
    committed = TRUE;

  self->batch_broken = FALSE;

  if (committed)
    {
      self->batches_committed++;
      self->writes_committed += members->len;
      g_debug ("Committed %u write%s in one transaction", members->len, members->len == 1 ? "" : "s");
      _enr_service_server_wake_change_waits (self);
    }
  else
    enr_service_store_rollback (self->store);

  for (guint i = 0; i < members->len; i++)
    {
      EnrServiceRequest *req = g_ptr_array_index (members, i);

      if (!committed)
        refuse_held (req);
      release_held (req);
    }
}

static gboolean
on_batch_due_cb (gpointer user_data)
{
  EnrServiceServer *self = user_data;

  self->batch_due_id = 0;
  _enr_service_server_end_batch (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_batch_deadline_cb (gpointer user_data)
{
  EnrServiceServer *self = user_data;

  self->batch_deadline_id = 0;
  _enr_service_server_end_batch (self);

  return G_SOURCE_REMOVE;
}

void
enr_service_server_flush (EnrServiceServer *self)
{
  g_return_if_fail (ENR_IS_SERVICE_SERVER (self));

  _enr_service_server_end_batch (self);
}

/* Adds @req to the open batch (opening one if needed) inside a savepoint
 * of its own, its message paused. */
gboolean
_enr_service_server_join_batch (EnrServiceServer  *self,
                                EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (self->batch_broken)
    _enr_service_server_end_batch (self);

  if (!self->batch_open)
    {
      if (!enr_service_store_begin (self->store, &error))
        {
          enr_service_request_gerror (req, error);
          return FALSE;
        }

      self->batch_open = TRUE;
      self->batch_opened_at = g_get_monotonic_time ();
      if (self->config.batch_delay > 0)
        self->batch_due_id = g_timeout_add (self->config.batch_delay, on_batch_due_cb, self);
      else
        {
          /* Idle: no request is waiting to be read. The deadline holds
           * when the main loop never idles. */
          self->batch_due_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_batch_due_cb, self, NULL);
          self->batch_deadline_id = g_timeout_add (BATCH_MAX_AGE_MS, on_batch_deadline_cb, self);
        }
    }

  if (!enr_service_store_savepoint (self->store, &error))
    {
      /* The writes held so far are refused too: the transaction is suspect. */
      g_warning ("Cannot add a write to the transaction: %s", error->message);
      self->batch_broken = TRUE;
      _enr_service_server_end_batch (self);
      enr_service_request_gerror (req, error);
      return FALSE;
    }

  req->held = TRUE;
  soup_server_message_pause (req->msg);
  g_ptr_array_add (self->batch, req);

  return TRUE;
}

/* Keeps the changes of @req in the batch when it succeeded, else undoes
 * them (and only them). */
void
_enr_service_server_settle_write (EnrServiceServer  *self,
                                  EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  gboolean kept;

  if (self->batch_broken)
    return;

  if (!enr_service_store_transaction_alive (self->store))
    {
      self->batch_broken = TRUE;
      return;
    }

  /* COMMIT checks deferred foreign keys: a write that breaks one must not
   * fail the writes of others. */
  if (enr_service_request_is_success (req) &&
      enr_service_store_has_deferred_violations (self->store))
    {
      g_warning ("%s %s breaks a foreign key; undone", req->method, req->path);
      enr_service_request_clear_reply (req);
      enr_service_request_problem (req, 500, "internal-error", NULL);
    }

  if (enr_service_request_is_success (req))
    kept = enr_service_store_release (self->store, &error);
  else
    kept = enr_service_store_rollback_to (self->store, &error);

  if (!kept)
    {
      g_warning ("Ending the savepoint of %s %s failed: %s", req->method, req->path, error->message);
      self->batch_broken = TRUE;
    }
}

/* After a write joined: commit now when the batch is full or old enough. */
void
_enr_service_server_check_batch (EnrServiceServer *self)
{
  guint max_age = MAX (self->config.batch_delay, BATCH_MAX_AGE_MS);

  if (!self->batch_open)
    return;

  if (self->batch_broken ||
      self->batch->len >= MAX (self->config.batch_max, 1) ||
      g_get_monotonic_time () - self->batch_opened_at >= (gint64) max_age * 1000)
    _enr_service_server_end_batch (self);
}

guint
enr_service_server_get_batch_size (EnrServiceServer *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_SERVER (self), 0);

  return self->batch_open ? self->batch->len : 0;
}

void
enr_service_server_get_batch_stats (EnrServiceServer *self,
                                    guint64          *batches,
                                    guint64          *writes)
{
  g_return_if_fail (ENR_IS_SERVICE_SERVER (self));

  if (batches != NULL)
    *batches = self->batches_committed;
  if (writes != NULL)
    *writes = self->writes_committed;
}

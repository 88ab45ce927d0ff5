/* enr-sync-engine-cycle.c — one cycle: start, failures, finish, the next one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-backoff.h"
#include "enr-sync-engine-private.h"

static void
cycle_free (Cycle *cycle)
{
  g_clear_object (&cycle->engine);
  g_clear_object (&cycle->cancellable);
  g_clear_pointer (&cycle->waiters, g_ptr_array_unref);
  g_clear_error (&cycle->error);
  g_clear_pointer (&cycle->sending, g_hash_table_unref);
  g_queue_clear_full (&cycle->ready, g_object_unref);
  g_clear_pointer (&cycle->known, g_hash_table_unref);
  g_clear_pointer (&cycle->acks, g_array_unref);
  g_clear_pointer (&cycle->versions, g_hash_table_unref);
  g_clear_handle_id (&cycle->flush_id, g_source_remove);
  g_clear_pointer (&cycle->crews, g_ptr_array_unref);
  g_clear_pointer (&cycle->shift_types, g_ptr_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (cycle->export_batch); i++)
    {
      g_clear_pointer (&cycle->export_batch[i], g_ptr_array_unref);
      g_clear_pointer (&cycle->export_rows[i], g_ptr_array_unref);
    }
  g_clear_pointer (&cycle->export_after, g_free);
  g_clear_pointer (&cycle->resume_after, g_free);
  g_clear_handle_id (&cycle->search_progress_id, g_source_remove);
  g_assert (cycle->pager == NULL);
  g_assert (!cycle->search_building && !cycle->export_writing);
  g_clear_pointer (&cycle->writer, enr_store_bulk_writer_free);
  g_free (cycle);
}

/* Keeps the first failure of the cycle. */
void
_enr_sync_cycle_set_error (Cycle  *cycle,
                           GError *error)
{
  cycle->push_stop = TRUE;

  if (cycle->error == NULL)
    cycle->error = error;
  else
    g_error_free (error);
}

void
_enr_sync_cycle_note_problem (Cycle         *cycle,
                              EnrApiProblem *problem)
{
  if (problem != NULL)
    cycle->retry_after = MAX (cycle->retry_after, problem->retry_after);
}

/* When the next attempt is due after a failure in this cycle, in
 * microseconds from now. */
gint64
_enr_sync_cycle_retry_delay (Cycle *cycle)
{
  EnrSyncEngine *self = cycle->engine;

  if (cycle->retry_delay < 0)
    cycle->retry_delay = enr_backoff_delay (self->failures, self->backoff_base, self->backoff_cap,
                                            0, self->rand);

  return MAX (cycle->retry_delay, (gint64) cycle->retry_after * G_USEC_PER_SEC);
}

static gboolean
on_timer_cb (gpointer user_data)
{
  EnrSyncEngine *self = user_data;

  self->timer_id = 0;
  _enr_sync_engine_request_cycle (self);

  return G_SOURCE_REMOVE;
}

/* A cycle in @delay µs (none when < 0, or outside automatic mode). */
void
_enr_sync_engine_schedule_cycle (EnrSyncEngine *self,
                                 gint64         delay)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);

  if (!self->running || delay < 0)
    return;

  self->timer_id = g_timeout_add ((guint) MIN (delay / 1000, (gint64) G_MAXINT32),
                                  on_timer_cb, self);
}

/* In automatic mode, after a good cycle: a cycle when an operation
 * waiting for its backoff is due; meanwhile the watch of the change feed
 * (enr-sync-engine-watch.c). */
static void
schedule_after_success (EnrSyncEngine *self)
{
  gint64 due = enr_outbox_get_next_attempt_at (self->outbox, _enr_sync_engine_get_sender (self), NULL);

  if (due >= 0)
    _enr_sync_engine_schedule_cycle (self, MAX (due - g_get_real_time (), 0));
  else
    _enr_sync_engine_schedule_cycle (self, -1);

  _enr_sync_engine_watch_start (self);
}

/**
 * _enr_sync_engine_note_failure:
 *
 * After a failed exchange with the service (a cycle's or the watch's):
 * the error, the state it leaves the engine in, and one failure more for
 * the backoff (which the caller chose its delay from before).
 */
void
_enr_sync_engine_note_failure (EnrSyncEngine *self,
                               const GError  *error)
{
  _enr_sync_engine_set_last_error (self, error->message);

  if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED))
    {
      _enr_sync_engine_set_state (self, ENR_SYNC_STATE_SIGN_IN_NEEDED);
      return;
    }

  self->failures = MIN (self->failures + 1, 64);

  if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_NETWORK) ||
      g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_TIMEOUT))
    _enr_sync_engine_set_state (self, ENR_SYNC_STATE_OFFLINE);
  else
    _enr_sync_engine_set_state (self, ENR_SYNC_STATE_ERROR);
}

void
_enr_sync_cycle_finish (Cycle *cycle)
{
  EnrSyncEngine *self;
  g_autoptr(GDateTime) now = NULL;
  gboolean success;
  gint64 delay = -1;

  /* A batch of customers being written: the cycle ends after it. */
  if (cycle->export_writing)
    {
      cycle->finish_waiting = TRUE;
      return;
    }
  g_clear_pointer (&cycle->writer, enr_store_bulk_writer_free);

  /* A download that stopped on the way: its customers are searchable
   * (built off the main loop; the cycle ends after it). */
  if (_enr_sync_download_end_search (cycle, _enr_sync_cycle_finish))
    return;

  self = g_object_ref (cycle->engine);
  now = g_date_time_new_now_utc ();
  success = cycle->error == NULL;

  g_assert (self->cycle == cycle);
  self->cycle = NULL;

  g_object_freeze_notify (G_OBJECT (self));

  _enr_sync_engine_set_download_count (self, 0, 0);
  if (success)
    {
      self->failures = 0;
      _enr_sync_engine_set_last_success (self, now);
      _enr_sync_engine_set_last_error (self, NULL);
      _enr_sync_engine_set_progress (self, 1.0);
      _enr_sync_engine_set_state (self, ENR_SYNC_STATE_IDLE);
    }
  else if (g_error_matches (cycle->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _enr_sync_engine_set_state (self,
                                self->user != NULL || enr_api_client_get_token (self->client) != NULL
                                ? ENR_SYNC_STATE_OFFLINE : ENR_SYNC_STATE_SIGN_IN_NEEDED);
  else
    {
      if (!g_error_matches (cycle->error, ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED))
        delay = _enr_sync_cycle_retry_delay (cycle);
      _enr_sync_engine_note_failure (self, cycle->error);
    }

  _enr_sync_engine_refresh_counts (self);
  g_object_thaw_notify (G_OBJECT (self));

  for (guint i = 0; i < cycle->waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (cycle->waiters, i);

      if (success)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_error_copy (cycle->error));
    }

  _enr_sync_engine_emit_cycle_finished (self, success);

  if (self->waiters->len > 0 || self->again)
    {
      self->again = FALSE;
      _enr_sync_engine_request_cycle (self);
    }
  else if (success)
    {
      if (self->running)
        schedule_after_success (self);
    }
  else if (delay >= 0)
    _enr_sync_engine_schedule_cycle (self, delay);

  cycle_free (cycle);
  g_object_unref (self);
}

/* Starting */

static void
cycle_start (EnrSyncEngine *self)
{
  Cycle *cycle;

  g_assert (self->cycle == NULL);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  _enr_sync_engine_watch_stop (self);
  self->again = FALSE;

  cycle = g_new0 (Cycle, 1);
  cycle->engine = g_object_ref (self);
  cycle->cancellable = g_object_ref (self->cancellable);
  cycle->waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  cycle->retry_delay = -1;
  cycle->sending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_queue_init (&cycle->ready);
  cycle->known = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  cycle->acks = g_array_new (FALSE, FALSE, sizeof (EnrOutboxAck));
  g_array_set_clear_func (cycle->acks, (GDestroyNotify) enr_outbox_ack_clear);
  cycle->versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cycle = cycle;

  _enr_sync_engine_set_state (self, ENR_SYNC_STATE_SYNCING);

  if (enr_outbox_get_store (self->outbox) == NULL)
    {
      _enr_sync_cycle_set_error (cycle, g_error_new (ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                                                     _("The local database is closed")));
      _enr_sync_cycle_finish (cycle);
      return;
    }

  if (enr_api_client_get_token (self->client) == NULL)
    {
      _enr_sync_cycle_set_error (cycle, g_error_new (ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED,
                                                     _("Sign in to send and receive changes.")));
      _enr_sync_cycle_finish (cycle);
      return;
    }

  _enr_sync_push_start (cycle);
}

static gboolean
on_start_cb (gpointer user_data)
{
  EnrSyncEngine *self = user_data;

  self->start_id = 0;

  if (self->cycle == NULL)
    cycle_start (self);
  else
    self->again = TRUE;

  return G_SOURCE_REMOVE;
}

/* A cycle soon: now when idle, after the running one otherwise. */
void
_enr_sync_engine_request_cycle (EnrSyncEngine *self)
{
  if (self->cycle != NULL)
    {
      self->again = TRUE;
      return;
    }

  if (self->start_id == 0)
    self->start_id = g_idle_add (on_start_cb, self);
}

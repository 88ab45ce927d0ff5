/* enr-sync-engine-watch.c — between cycles: a long poll of the change feed
 *
 * In automatic mode, after a good cycle, the engine keeps one
 * GET /v1/changes?since=<cursor>&wait=<watch_seconds> open. The service
 * answers it when a change the user may see commits, or after the wait
 * with none; the answer is stored like a pulled page (the changes and
 * their cursor in one transaction) and the next watch goes out at once.
 * So changes made elsewhere reach the store within a moment, and a
 * service that stops is noticed as soon as its connection closes: a
 * failed watch counts as a failed cycle (the state, the error, the
 * backoff). The API client's TCP keepalive ends a connection whose peer
 * went silent (no reset, no close) within about four seconds.
 *
 * Anything that starts a cycle (the outbox, Sync Now, the network, a
 * due retry) ends the watch first; a good cycle starts it again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-backoff.h"
#include "enr-sync-engine-private.h"

/* An answer without changes sooner than this after the request was sent
 * means the service did not hold it (it cannot wait): the next watch then
 * waits as long as the service would have held it. */
#define QUICK_ANSWER_US (G_USEC_PER_SEC / 2)

/* The service answers a watch this much sooner than the API client's
 * timeout would end it. */
#define WATCH_MARGIN_SECONDS 5

static void watch_send (EnrSyncEngine *self);

static gboolean
on_watch_due_cb (gpointer user_data)
{
  EnrSyncEngine *self = user_data;

  self->watch_id = 0;
  watch_send (self);

  return G_SOURCE_REMOVE;
}

static void
watch_failed (EnrSyncEngine *self,
              GError        *error,
              EnrApiProblem *problem)
{
  gint64 delay = -1;

  if (!g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED))
    {
      delay = enr_backoff_delay (self->failures, self->backoff_base, self->backoff_cap, 0, self->rand);
      if (problem != NULL)
        delay = MAX (delay, (gint64) problem->retry_after * G_USEC_PER_SEC);
    }

  g_object_freeze_notify (G_OBJECT (self));
  _enr_sync_engine_note_failure (self, error);
  g_object_thaw_notify (G_OBJECT (self));

  if (delay >= 0)
    _enr_sync_engine_schedule_cycle (self, delay);
}

static void
on_watch_answered_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(EnrSyncEngine) self = user_data;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiChanges) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *cursor = NULL;
  gint64 since;

  changes = enr_api_client_watch_changes_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->watch_cancellable);

  /* A cycle began meanwhile (it had cancelled us, but the answer was
   * already on its way): the cycle decides. */
  if (self->cycle != NULL || !self->running)
    return;

  if (changes == NULL)
    {
      /* A cursor the service no longer keeps: the cycle downloads. */
      if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_GONE))
        _enr_sync_engine_request_cycle (self);
      else
        watch_failed (self, error, problem);
      return;
    }

  cursor = enr_store_get_cursor (self->store, &error);
  since = cursor != NULL ? g_ascii_strtoll (cursor, NULL, 10) : 0;
  if (cursor == NULL || !_enr_sync_store_changes_page (self, changes, since, &error))
    {
      if (error == NULL)
        {
          /* The cursor went away (a reset): the cycle downloads. */
          _enr_sync_engine_request_cycle (self);
          return;
        }

      watch_failed (self, error, NULL);
      return;
    }

  now = g_date_time_new_now_utc ();
  self->failures = 0;
  _enr_sync_engine_set_last_success (self, now);

  if (changes->more)
    {
      _enr_sync_engine_request_cycle (self);
      return;
    }

  if (changes->changes->len == 0 &&
      g_get_monotonic_time () - self->watch_sent_at < QUICK_ANSWER_US)
    {
      self->watch_id = g_timeout_add_seconds (self->watch_seconds, on_watch_due_cb, self);
      return;
    }

  watch_send (self);
}

static void
watch_send (EnrSyncEngine *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  guint timeout = enr_api_client_get_timeout (self->client);
  guint wait = self->watch_seconds;

  if (!self->running || self->cycle != NULL || self->watch_seconds == 0 ||
      self->state != ENR_SYNC_STATE_IDLE || enr_api_client_get_token (self->client) == NULL)
    return;

  cursor = enr_store_get_cursor (self->store, &error);
  if (cursor == NULL)
    return;

  /* The service must answer before the client gives up on silence. */
  if (timeout > 0 && wait + WATCH_MARGIN_SECONDS > timeout)
    wait = MAX (timeout, WATCH_MARGIN_SECONDS + 1) - WATCH_MARGIN_SECONDS;

  g_clear_object (&self->watch_cancellable);
  self->watch_cancellable = g_cancellable_new ();
  self->watch_sent_at = g_get_monotonic_time ();
  enr_api_client_watch_changes_async (self->client, g_ascii_strtoll (cursor, NULL, 10), ENR_SYNC_PULL_LIMIT,
                                      wait, self->watch_cancellable,
                                      on_watch_answered_cb, g_object_ref (self));
}

/* Starts watching, unless a watch runs or is due. */
void
_enr_sync_engine_watch_start (EnrSyncEngine *self)
{
  if (self->watch_cancellable != NULL || self->watch_id != 0)
    return;

  watch_send (self);
}

void
_enr_sync_engine_watch_stop (EnrSyncEngine *self)
{
  g_clear_handle_id (&self->watch_id, g_source_remove);

  if (self->watch_cancellable != NULL)
    {
      g_cancellable_cancel (self->watch_cancellable);
      g_clear_object (&self->watch_cancellable);
    }
}

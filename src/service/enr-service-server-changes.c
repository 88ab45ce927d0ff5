/* enr-service-server-changes.c — the long polls of the change feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-server-private.h"

/* Commits close together wake the held change-feed requests once. */
#define CHANGE_WAKE_DELAY_MS         50

typedef struct
{
  EnrServiceServer  *server;
  EnrServiceRequest *req;
  guint              timeout_id;

  /* PostgreSQL: the log is read on a pool thread */
  gboolean           checking;   /* a pool job reads the log for it */
  gboolean           expired;    /* its time ran out meanwhile */
  gboolean           final;      /* answer as it stands */
  gboolean           gone;       /* the client went away meanwhile */
  gboolean           replied;
  guint64            seq;        /* the server's changes_seq when the read began */
} ChangeWait;

/* Long polls of the change feed
 *
 * GET /v1/changes?wait=N that finds nothing new for its user is paused
 * here. Every commit of writes wakes the held requests (once for commits
 * CHANGE_WAKE_DELAY_MS apart); each looks at the log again and is
 * answered when it has changes, else keeps waiting; after N seconds it is
 * answered as it stands (no changes, the head as cursor). A held request
 * costs a paused message and a timer: nothing runs for it while nothing
 * is written. */

static EnrServiceRequest *
forget_change_wait (ChangeWait *wait)
{
  EnrServiceRequest *req = wait->req;

  g_signal_handlers_disconnect_by_data (req->msg, wait);
  g_clear_handle_id (&wait->timeout_id, g_source_remove);
  g_ptr_array_remove_fast (wait->server->change_waits, wait);
  g_free (wait);

  return req;
}

static void
answer_change_wait (ChangeWait *wait)
{
  EnrServiceServer *self = wait->server;

  enr_service_server_complete (self, forget_change_wait (wait));
}

/* libsoup let go of the message (the server disconnects): no reply. */
static void
on_change_wait_disconnected_cb (SoupServerMessage *msg,
                                gpointer           user_data)
{
  ChangeWait *wait = user_data;
  EnrServiceServer *self = wait->server;
  EnrServiceRequest *req;
  gboolean pooled;

  if (wait->checking)
    {
      wait->gone = TRUE;
      return;
    }

  req = forget_change_wait (wait);
  pooled = req->pooled;
  enr_service_request_free (req);
  if (pooled)
    _enr_service_server_release_pooled (self);
}

static void check_change_wait (ChangeWait *wait);

static gboolean
on_change_wait_timeout_cb (gpointer user_data)
{
  ChangeWait *wait = user_data;

  wait->timeout_id = 0;

  if (wait->server->pool != NULL)
    {
      /* PostgreSQL: answered from a pool thread. */
      wait->final = TRUE;
      if (wait->checking)
        wait->expired = TRUE;
      else
        check_change_wait (wait);
      return G_SOURCE_REMOVE;
    }

  /* Reads see committed data only. */
  _enr_service_server_end_batch (wait->server);
  enr_service_changes_reply (wait->req, FALSE);
  answer_change_wait (wait);

  return G_SOURCE_REMOVE;
}

static gboolean
on_change_wake_cb (gpointer user_data)
{
  EnrServiceServer *self = user_data;
  g_autoptr(GPtrArray) waits = NULL;

  self->change_wake_id = 0;
  _enr_service_server_end_batch (self);

  waits = g_ptr_array_copy (self->change_waits, NULL, NULL);
  for (guint i = 0; i < waits->len; i++)
    {
      ChangeWait *wait = g_ptr_array_index (waits, i);

      if (self->pool != NULL)
        {
          if (!wait->checking)
            check_change_wait (wait);
        }
      else if (enr_service_changes_reply (wait->req, TRUE))
        answer_change_wait (wait);
    }

  return G_SOURCE_REMOVE;
}

void
_enr_service_server_wake_change_waits (EnrServiceServer *self)
{
  /* A read of the log that began before this may have missed the change:
   * it reads again (on_change_wait_checked_cb(), _enr_service_server_hold_pooled()). */
  self->changes_seq++;
  if (self->change_waits->len == 0 || self->change_wake_id != 0)
    return;

  self->change_wake_id = g_timeout_add (CHANGE_WAKE_DELAY_MS, on_change_wake_cb, self);
}

/* Main loop, PostgreSQL: a request or the maintenance committed changes:
 * this instance's long polls look, and the other instances hear of it
 * (one notification for the commits of a round trip to the server). */
void
_enr_service_server_changes_committed (EnrServiceServer *self)
{
  _enr_service_server_wake_change_waits (self);
  if (self->notify != NULL)
    enr_service_notify_announce_changes (self->notify);
}

/* PostgreSQL: a pool thread reads the log for @wait (any change after its
 * cursor, or as it stands when final); the main loop then answers it or
 * lets it wait on. */
static gboolean
on_change_wait_checked_cb (gpointer data)
{
  ChangeWait *wait = data;
  EnrServiceServer *self = wait->server;

  wait->checking = FALSE;

  if (wait->gone)
    {
      EnrServiceRequest *req = forget_change_wait (wait);

      enr_service_request_free (req);
      _enr_service_server_release_pooled (self);
      return G_SOURCE_REMOVE;
    }

  /* Nothing yet. A wake that came while the log was read skipped this
   * wait (it was checking), and the read may have begun before that
   * commit: it reads again with the next wake (at most one per
   * CHANGE_WAKE_DELAY_MS, however many commits). */
  if (wait->replied)
    answer_change_wait (wait);
  else if (wait->expired)
    check_change_wait (wait);
  else if (wait->seq != self->changes_seq && self->change_wake_id == 0)
    self->change_wake_id = g_timeout_add (CHANGE_WAKE_DELAY_MS, on_change_wake_cb, self);

  return G_SOURCE_REMOVE;
}

static void
check_change_wait_job (EnrServiceStore *store,
                       gpointer         data)
{
  ChangeWait *wait = data;
  EnrServiceRequest *req = wait->req;

  req->store = store;
  if (_enr_service_server_ensure_connected (req))
    wait->replied = enr_service_changes_reply (req, !wait->final);
  else
    wait->replied = TRUE;
  req->store = NULL;

  g_main_context_invoke (NULL, on_change_wait_checked_cb, wait);
}

static void
check_change_wait (ChangeWait *wait)
{
  wait->checking = TRUE;
  wait->expired = FALSE;
  wait->seq = wait->server->changes_seq;
  enr_service_pool_push (wait->server->pool, check_change_wait_job, wait);
}

/* Main loop: a request a pool thread found nothing for yet waits here. */
gboolean
_enr_service_server_hold_pooled (gpointer data)
{
  EnrServiceRequest *req = data;
  EnrServiceServer *self = req->server;
  ChangeWait *wait = g_new0 (ChangeWait, 1);

  wait->server = self;
  wait->req = req;
  wait->timeout_id = g_timeout_add_seconds (req->hold_seconds, on_change_wait_timeout_cb, wait);
  g_signal_connect (req->msg, "disconnected", G_CALLBACK (on_change_wait_disconnected_cb), wait);
  g_ptr_array_add (self->change_waits, wait);

  /* Changes committed, or heard of, since the pool thread began: its read
   * of the log may have missed them, and their wake found no wait. */
  if (req->changes_seq != self->changes_seq)
    check_change_wait (wait);

  return G_SOURCE_REMOVE;
}

void
enr_service_server_hold_for_changes (EnrServiceServer  *self,
                                     EnrServiceRequest *req,
                                     guint              seconds)
{
  ChangeWait *wait;

  g_return_if_fail (ENR_IS_SERVICE_SERVER (self));
  g_return_if_fail (seconds > 0);

  /* On a pool thread: the main loop registers it (_enr_service_server_hold_pooled). */
  if (req->pooled)
    {
      req->hold_seconds = seconds;
      req->async = TRUE;
      return;
    }

  wait = g_new0 (ChangeWait, 1);
  wait->server = self;
  wait->req = req;
  /* Whole seconds: the timers of many clients fire together. */
  wait->timeout_id = g_timeout_add_seconds (seconds, on_change_wait_timeout_cb, wait);
  g_signal_connect (req->msg, "disconnected", G_CALLBACK (on_change_wait_disconnected_cb), wait);
  g_ptr_array_add (self->change_waits, wait);

  req->async = TRUE;
  soup_server_message_pause (req->msg);
}

/* Answers every held request as it stands (the service stops). On
 * PostgreSQL the main loop's own connection reads the log; a request a
 * pool thread reads it for is answered when that ends. */
void
_enr_service_server_answer_change_waits (EnrServiceServer *self)
{
  g_autoptr(GPtrArray) waits = NULL;

  g_clear_handle_id (&self->change_wake_id, g_source_remove);

  waits = g_ptr_array_copy (self->change_waits, NULL, NULL);
  for (guint i = 0; i < waits->len; i++)
    {
      ChangeWait *wait = g_ptr_array_index (waits, i);

      if (wait->checking)
        {
          wait->final = TRUE;
          wait->expired = TRUE;
          continue;
        }

      if (wait->req->pooled)
        wait->req->store = self->store;
      enr_service_changes_reply (wait->req, FALSE);
      wait->req->store = NULL;
      answer_change_wait (wait);
    }
}

guint
enr_service_server_get_change_waits (EnrServiceServer *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_SERVER (self), 0);

  return self->change_waits->len;
}

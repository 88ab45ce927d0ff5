/* enr-service-notify.c — hears what other instances change (PostgreSQL LISTEN)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib-unix.h>
#include <libpq-fe.h>

#include "enr-service-notify.h"

#define RETRY_MIN_SECONDS 1
#define RETRY_MAX_SECONDS 30

/* Announcements of changes go at most once per interval: the commits of
 * an interval share one (a long poll elsewhere wakes at most this much
 * later; this instance's own wake once for commits 50 ms apart too). */
#define ANNOUNCE_INTERVAL_US (50 * G_TIME_SPAN_MILLISECOND)

/* Prepared on the listening connection along with LISTEN. */
#define ANNOUNCE_STATEMENT "enr_announce"

typedef enum
{
  STATE_WAITING,      /* for the next attempt */
  STATE_CONNECTING,   /* PQconnectPoll() */
  STATE_LISTENING,    /* LISTEN sent, or heard */
} State;

struct _EnrServiceNotify
{
  EnrServiceStore *store;
  char            *target;
  char            *channel;
  PGconn          *conn;
  State            state;
  guint            watch_id;
  GIOCondition     watch_condition; /* the watch's, while it lasts */
  guint            watches;     /* watches made */
  guint            retry_id;
  guint            retry_seconds;
  guint            announce_id; /* the next announcement's timer */
  gint64           announced_at; /* monotonic time of the last one */
  gboolean         listening;   /* LISTEN answered */
  gboolean         busy;        /* a command sent, its answer not read */
  gboolean         announce;    /* changes committed here, not announced yet */
  guint64          heard;       /* notifications heard */
  EnrServiceChangesHeard changes_heard;
  gpointer         user_data;
};

static void connect_start (EnrServiceNotify *self);

static void
clear_watch (EnrServiceNotify *self)
{
  g_clear_handle_id (&self->watch_id, g_source_remove);
}

static gboolean
on_retry_cb (gpointer user_data)
{
  EnrServiceNotify *self = user_data;

  self->retry_id = 0;
  connect_start (self);

  return G_SOURCE_REMOVE;
}

/* The connection is gone or never came: try again later, backing off. */
static void
lose (EnrServiceNotify *self,
      const char       *why)
{
  if (self->listening || self->retry_seconds == RETRY_MIN_SECONDS)
    g_warning ("Not hearing other instances' changes (%s); trying again in %u s",
               why, self->retry_seconds);

  clear_watch (self);
  g_clear_pointer (&self->conn, PQfinish);
  self->listening = FALSE;
  /* A notification sent may not have been delivered: again once
   * connected (another look costs the long polls nothing). */
  if (self->busy)
    self->announce = TRUE;
  self->busy = FALSE;
  self->state = STATE_WAITING;
  self->retry_id = g_timeout_add_seconds (self->retry_seconds, on_retry_cb, self);
  self->retry_seconds = MIN (self->retry_seconds * 2, RETRY_MAX_SECONDS);

  /* Whatever was announced meanwhile is not replayed. */
  enr_service_store_invalidate_caches (self->store);
  self->changes_heard (self->user_data);
}

static void
lose_conn (EnrServiceNotify *self)
{
  g_autofree char *message = g_strchomp (g_strdup (self->conn != NULL ? PQerrorMessage (self->conn) : ""));

  lose (self, message[0] != '\0' ? message : "connection lost");
}

static gboolean on_socket_cb (int           fd,
                              GIOCondition  condition,
                              gpointer      user_data);

/* Watches the socket for @condition. Once connected the watch lasts
 * while its condition does (in: until libpq has output it could not
 * send), across the notifications and announcements: GLib wakes its
 * main loop whenever a descriptor joins or leaves the poll, and every
 * heard notification and every announcement would otherwise cost the
 * loop two such wake-ups. It may recurse (the callback runs no main
 * loop), so GLib does not take it out of the poll while dispatching it
 * either. While connecting, PQconnectPoll() may change the socket: each
 * step makes its own. */
static void
watch (EnrServiceNotify *self,
       GIOCondition      condition)
{
  GSource *source;

  condition |= G_IO_ERR | G_IO_HUP;
  if (self->watch_id != 0 && self->watch_condition == condition && self->state == STATE_LISTENING)
    return;

  clear_watch (self);
  source = g_unix_fd_source_new (PQsocket (self->conn), condition);
  g_source_set_can_recurse (source, TRUE);
  g_source_set_callback (source, G_SOURCE_FUNC (on_socket_cb), self, NULL);
  self->watch_id = g_source_attach (source, NULL);
  g_source_unref (source);
  self->watch_condition = condition;
  self->watches++;
}

static gboolean on_announce_cb (gpointer user_data);

/* Sends the notification of changes committed here, unless a command
 * is in flight (it goes once that one is answered), LISTEN is not
 * answered yet (it goes then) or one went less than
 * ANNOUNCE_INTERVAL_US ago (it goes when the interval is over). FALSE
 * when the connection failed. */
static gboolean
send_announce (EnrServiceNotify *self)
{
  const char *values[] = { self->channel };
  gint64 now;

  if (!self->announce || self->busy || !self->listening || self->announce_id != 0)
    return TRUE;

  now = g_get_monotonic_time ();
  if (self->announced_at != 0 && now - self->announced_at < ANNOUNCE_INTERVAL_US)
    {
      gint64 wait_ms = (self->announced_at + ANNOUNCE_INTERVAL_US - now + 999) / 1000;

      self->announce_id = g_timeout_add ((guint) wait_ms, on_announce_cb, self);
      return TRUE;
    }

  if (!PQsendQueryPrepared (self->conn, ANNOUNCE_STATEMENT, 1, values, NULL, NULL, 0))
    return FALSE;
  self->announce = FALSE;
  self->busy = TRUE;
  self->announced_at = now;

  return PQflush (self->conn) >= 0;
}

/* Watches the socket for the answers, and for room to write the rest of
 * a command when libpq could not send it all. */
static void
watch_connection (EnrServiceNotify *self)
{
  watch (self, PQisnonblocking (self->conn) && PQflush (self->conn) == 1 ? G_IO_IN | G_IO_OUT : G_IO_IN);
}

static gboolean
on_announce_cb (gpointer user_data)
{
  EnrServiceNotify *self = user_data;

  self->announce_id = 0;
  if (self->state != STATE_LISTENING || self->conn == NULL)
    return G_SOURCE_REMOVE;

  if (!send_announce (self))
    {
      lose_conn (self);
      return G_SOURCE_REMOVE;
    }
  watch_connection (self);

  return G_SOURCE_REMOVE;
}

static void
handle_notifications (EnrServiceNotify *self)
{
  PGnotify *notify;
  PGresult *result;
  int own_pid = PQbackendPID (self->conn);

  /* The answers to LISTEN and to the notifications sent */
  while (!PQisBusy (self->conn))
    {
      if ((result = PQgetResult (self->conn)) == NULL)
        {
          self->busy = FALSE;
          break;
        }
      /* LISTEN, then PREPARE */
      if (PQresultStatus (result) == PGRES_COMMAND_OK && !self->listening)
        {
          self->listening = TRUE;
          self->retry_seconds = RETRY_MIN_SECONDS;
          g_debug ("Listening on %s", self->channel);
        }
      else if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
        g_warning ("%s failed: %s", self->listening ? "Announcing changes" : "LISTEN",
                   PQresultErrorMessage (result));
      PQclear (result);
    }

  while ((notify = PQnotifies (self->conn)) != NULL)
    {
      self->heard++;
      g_debug ("Heard \"%s\" on %s", notify->extra, notify->relname);
      if (g_strcmp0 (notify->extra, "reference") == 0)
        enr_service_store_invalidate_caches (self->store);
      /* This instance's own announcement: its long polls looked already. */
      else if (g_strcmp0 (notify->extra, "changes") == 0 && notify->be_pid != own_pid)
        self->changes_heard (self->user_data);
      PQfreemem (notify);
    }
}

static void
send_listen (EnrServiceNotify *self)
{
  char *quoted = PQescapeIdentifier (self->conn, self->channel, strlen (self->channel));
  g_autofree char *sql = NULL;

  if (quoted == NULL)
    {
      lose_conn (self);
      return;
    }
  /* One simple query, two answers: the announcements of changes are
   * planned once per connection. */
  sql = g_strconcat ("LISTEN ", quoted, "; PREPARE " ANNOUNCE_STATEMENT " (text) AS SELECT pg_notify ($1, 'changes')", NULL);
  PQfreemem (quoted);

  if (!PQsendQuery (self->conn, sql))
    {
      lose_conn (self);
      return;
    }
  self->busy = TRUE;

  /* A new connection heard nothing of what changed before it listened. */
  enr_service_store_invalidate_caches (self->store);
  self->changes_heard (self->user_data);

  self->state = STATE_LISTENING;
  watch (self, G_IO_IN);
}

static void
poll_connect (EnrServiceNotify *self)
{
  switch (PQconnectPoll (self->conn))
    {
    case PGRES_POLLING_READING:
      watch (self, G_IO_IN);
      break;
    case PGRES_POLLING_WRITING:
      watch (self, G_IO_OUT);
      break;
    case PGRES_POLLING_OK:
      if (PQsetnonblocking (self->conn, 1) != 0)
        lose_conn (self);
      else
        send_listen (self);
      break;
    case PGRES_POLLING_FAILED:
    default:
      lose_conn (self);
      break;
    }
}

static gboolean
on_socket_cb (int           fd,
              GIOCondition  condition,
              gpointer      user_data)
{
  EnrServiceNotify *self = user_data;

  if (self->state == STATE_CONNECTING)
    {
      self->watch_id = 0;
      poll_connect (self);
      return G_SOURCE_REMOVE;
    }

  if (!PQconsumeInput (self->conn) || PQstatus (self->conn) != CONNECTION_OK)
    {
      self->watch_id = 0;
      lose_conn (self);
      return G_SOURCE_REMOVE;
    }

  handle_notifications (self);
  if (PQflush (self->conn) < 0 || !send_announce (self))
    {
      self->watch_id = 0;
      lose_conn (self);
      return G_SOURCE_REMOVE;
    }

  /* Kept, unless its condition changed (then this one is gone). */
  watch_connection (self);
  return G_SOURCE_CONTINUE;
}

static void
connect_start (EnrServiceNotify *self)
{
  const char *keywords[] = { "dbname", "client_encoding", "application_name", NULL };
  const char *values[] = { self->target, "UTF8", "enrollment-service listener", NULL };

  self->conn = PQconnectStartParams (keywords, values, TRUE);
  if (self->conn == NULL || PQstatus (self->conn) == CONNECTION_BAD)
    {
      lose_conn (self);
      return;
    }

  self->state = STATE_CONNECTING;
  poll_connect (self);
}

/**
 * enr_service_notify_new:
 * @store: a PostgreSQL store of the service; the caches it shares are the
 *   ones dropped
 *
 * Connects (on the main loop, without blocking it) and listens on the
 * store's channel.
 */
EnrServiceNotify *
enr_service_notify_new (EnrServiceStore        *store,
                        EnrServiceChangesHeard  changes_heard,
                        gpointer                user_data)
{
  EnrServiceNotify *self;

  g_return_val_if_fail (enr_service_store_get_backend (store) == ENR_DB_POSTGRESQL, NULL);

  self = g_new0 (EnrServiceNotify, 1);
  self->store = g_object_ref (store);
  self->target = g_strdup (enr_db_get_target (enr_service_store_get_db (store)));
  self->channel = g_strdup (enr_service_store_get_channel (store));
  self->retry_seconds = RETRY_MIN_SECONDS;
  self->changes_heard = changes_heard;
  self->user_data = user_data;

  connect_start (self);

  return self;
}

void
enr_service_notify_free (EnrServiceNotify *self)
{
  if (self == NULL)
    return;

  clear_watch (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->announce_id, g_source_remove);
  g_clear_pointer (&self->conn, PQfinish);
  g_clear_object (&self->store);
  g_free (self->target);
  g_free (self->channel);
  g_free (self);
}

/**
 * enr_service_notify_announce_changes:
 *
 * Main loop: changes committed here; the other instances listening hear
 * of it. Sent on the listening connection, after the commits it
 * announces, in a statement of its own (prepared); while one is in
 * flight, or went less than 50 ms ago, the commits meanwhile wait and
 * share the next: at most 20 a second, however many commits, each waking
 * every instance's listener. While the connection is down, it goes once
 * LISTEN is answered again.
 */
void
enr_service_notify_announce_changes (EnrServiceNotify *self)
{
  g_return_if_fail (self != NULL);

  self->announce = TRUE;
  if (self->state != STATE_LISTENING || self->conn == NULL || self->busy || !self->listening ||
      self->announce_id != 0)
    return;

  if (!send_announce (self))
    {
      lose_conn (self);
      return;
    }
  watch_connection (self);
}

/* Whether LISTEN was answered on the current connection. */
gboolean
enr_service_notify_is_listening (EnrServiceNotify *self)
{
  return self->listening;
}

guint64
enr_service_notify_get_heard (EnrServiceNotify *self)
{
  return self->heard;
}

/* The socket watches made so far (for tests). */
guint
enr_service_notify_get_watches (EnrServiceNotify *self)
{
  return self->watches;
}

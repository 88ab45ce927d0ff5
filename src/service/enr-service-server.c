/* enr-service-server.c — the enrollment service's HTTP server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-service-server-private.h"

#define MAINTENANCE_INTERVAL_SECONDS (10 * 60)

G_DEFINE_FINAL_TYPE (EnrServiceServer, enr_service_server, G_TYPE_OBJECT)

/* How much of a request's body arrived: the data of its message's
 * "got-chunk" handler, freed with it. */
typedef struct
{
  EnrServiceServer *server;
  guint64           received;
  gboolean          refused;
} BodyWatch;

static void
body_watch_free (gpointer  data,
                 GClosure *closure)
{
  g_free (data);
}

void
enr_service_config_init (EnrServiceConfig *config)
{
  config->max_body = ENR_SERVICE_DEFAULT_MAX_BODY;
  config->drain_limit = ENR_SERVICE_DEFAULT_DRAIN_LIMIT;
  config->rate = ENR_SERVICE_DEFAULT_RATE;
  config->burst = ENR_SERVICE_DEFAULT_BURST;
  config->session_ttl = ENR_SERVICE_DEFAULT_SESSION_TTL;
  config->response_max_age = ENR_SERVICE_DEFAULT_RESPONSE_MAX_AGE;
  config->change_retention = ENR_SERVICE_DEFAULT_CHANGE_RETENTION;
  config->batch_max = ENR_SERVICE_DEFAULT_BATCH_MAX;
  config->batch_delay = ENR_SERVICE_DEFAULT_BATCH_DELAY;
  config->database_connections = ENR_SERVICE_DEFAULT_DATABASE_CONNECTIONS;
  config->snapshot_max_age = ENR_SERVICE_DEFAULT_SNAPSHOT_MAX_AGE;
  enr_service_net_config_init (&config->net);
  enr_service_throttle_config_init (&config->throttle);
}

void
_enr_service_server_write_reply (EnrServiceRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_server_message_set_status (req->msg, req->status != 0 ? req->status : 500, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");

  if (req->etag != NULL)
    soup_message_headers_replace (headers, "ETag", req->etag);
  if (req->location != NULL)
    soup_message_headers_replace (headers, "Location", req->location);
  if (req->allow != NULL)
    soup_message_headers_replace (headers, "Allow", req->allow);
  if (req->retry_after > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", req->retry_after);

      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  if (req->replayed)
    soup_message_headers_replace (headers, "Idempotent-Replayed", "true");
  if (req->server->count_traffic && req->traffic_counted)
    {
      g_autofree char *round_trips = g_strdup_printf ("%" G_GUINT64_FORMAT, req->round_trips);
      g_autofree char *statements = g_strdup_printf ("%" G_GUINT64_FORMAT, req->statements);

      soup_message_headers_replace (headers, "Enr-Db-Round-Trips", round_trips);
      soup_message_headers_replace (headers, "Enr-Db-Statements", statements);
    }
  if (req->status == 401)
    soup_message_headers_replace (headers, "WWW-Authenticate",
                                  req->token_digest != NULL
                                  ? "Bearer realm=\"enrollment-service\", error=\"invalid_token\""
                                  : "Bearer realm=\"enrollment-service\"");

  if (req->reply != NULL)
    {
      soup_message_headers_set_content_type (headers, req->content_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (req->msg), req->reply);
    }
}

void
_enr_service_server_release_pooled (EnrServiceServer *self)
{
  g_atomic_int_dec_and_test (&self->pending);
  g_object_unref (self);
}

/* Main loop: sends the reply of a request whose handler did not reply
 * before it returned (req->async), or that a pool thread ran. */
void
enr_service_server_complete (EnrServiceServer  *self,
                             EnrServiceRequest *req)
{
  gboolean pooled;

  g_return_if_fail (ENR_IS_SERVICE_SERVER (self));
  g_return_if_fail (req->async || req->pooled);

  g_debug ("%s %s → %u%s", req->method, req->path, req->status, req->pooled ? " (pool)" : " (async)");

  if (req->changes_committed)
    _enr_service_server_changes_committed (self);

  pooled = req->pooled;
  _enr_service_server_write_reply (req);
  soup_server_message_unpause (req->msg);
  enr_service_request_free (req);
  if (pooled)
    _enr_service_server_release_pooled (self);
}

/* Main loop: sends every reply posted so far. */
static gboolean
complete_replies_cb (gpointer data)
{
  EnrServiceServer *self = data;
  EnrServiceRequest *req;

  g_mutex_lock (&self->replies_mutex);
  req = g_steal_pointer (&self->replies_head);
  self->replies_tail = NULL;
  self->replies_scheduled = FALSE;
  g_mutex_unlock (&self->replies_mutex);

  /* Each request holds a reference on @self until it is sent: @self is
   * not touched after the last. */
  while (req != NULL)
    {
      EnrServiceRequest *next = g_steal_pointer (&req->next_reply);

      enr_service_server_complete (req->server, req);
      req = next;
    }

  return G_SOURCE_REMOVE;
}

/* Pool thread, @req->store set: a run of @req on that store's connection
 * starts (ENR_SERVICE_COUNT_TRAFFIC). */
void
_enr_service_server_count_from (EnrServiceRequest *req)
{
  if (!req->server->count_traffic || req->store == NULL)
    return;

  req->traffic_counted = enr_db_get_traffic (enr_service_store_get_db (req->store),
                                             &req->traffic_mark[0], &req->traffic_mark[1]);
}

/* Pool thread: the run ends; what it sent counts for @req. */
void
_enr_service_server_count_to (EnrServiceRequest *req)
{
  guint64 round_trips;
  guint64 statements;

  if (!req->traffic_counted || req->store == NULL)
    return;

  enr_db_get_traffic (enr_service_store_get_db (req->store), &round_trips, &statements);
  req->round_trips += round_trips - req->traffic_mark[0];
  req->statements += statements - req->traffic_mark[1];
  req->traffic_mark[0] = round_trips;
  req->traffic_mark[1] = statements;
}

/* Any thread: the reply goes out from the main loop. */
void
_enr_service_server_post_reply (EnrServiceRequest *req)
{
  EnrServiceServer *self = req->server;
  gboolean schedule;

  _enr_service_server_count_to (req);
  if (req->store != NULL && enr_service_store_take_changes_committed (req->store))
    req->changes_committed = TRUE;
  req->store = NULL;

  /* Replies that come while the main loop is busy are sent together: one
   * wake-up and one idle source for all of them, not one each. */
  g_mutex_lock (&self->replies_mutex);
  if (self->replies_tail != NULL)
    self->replies_tail->next_reply = req;
  else
    self->replies_head = req;
  self->replies_tail = req;
  schedule = !self->replies_scheduled;
  self->replies_scheduled = TRUE;
  g_mutex_unlock (&self->replies_mutex);

  if (schedule)
    g_main_context_invoke (NULL, complete_replies_cb, self);
}

static void
on_request_cb (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  EnrServiceServer *self = user_data;
  EnrServiceRequest *req;
  SoupMessageBody *body;

  req = g_new0 (EnrServiceRequest, 1);
  req->server = self;
  req->store = self->store;
  req->msg = g_object_ref (msg);
  req->method = soup_server_message_get_method (msg);
  req->path = g_strdup (path);
  req->query = query != NULL ? g_hash_table_ref (query) : NULL;
  req->now = g_date_time_new_now_utc ();

  body = soup_server_message_get_request_body (msg);
  if (body->length > 0)
    req->body = soup_message_body_flatten (body);

  {
    g_autofree char *address = enr_service_address_key (soup_server_message_get_remote_address (msg));

    req->peer = g_steal_pointer (&address);
  }

  if (self->pool != NULL && _enr_service_server_answer_unrouted (self, req))
    {
      g_debug ("%s %s → %u (main loop)", req->method, req->path, req->status);
      _enr_service_server_write_reply (req);
      enr_service_request_free (req);
      return;
    }

  if (self->pool != NULL)
    {
      /* The handler runs on a pool thread, with a copy of the request's
       * head; the message waits, paused, for its reply. */
      req->headers = enr_service_request_copy_headers (soup_server_message_get_request_headers (msg));
      req->pooled = TRUE;
      req->store = NULL;
      soup_server_message_pause (msg);
      g_atomic_int_inc (&self->pending);
      g_object_ref (self);
      req->changes_seq = self->changes_seq;
      enr_service_pool_push (self->pool, _enr_service_server_run_pooled, req);
      return;
    }

  _enr_service_server_dispatch (self, req);

  g_debug ("%s %s → %u%s", req->method, req->path, req->status,
           req->async ? " (async)" : req->held ? " (held)" : "");

  if (req->held)
    {
      /* May send (and free) @req. */
      _enr_service_server_check_batch (self);
      return;
    }

  if (req->async)
    {
      soup_server_message_pause (msg);
      return;
    }

  _enr_service_server_write_reply (req);
  enr_service_request_free (req);
}

static void
refuse_body (BodyWatch         *watch,
             SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *document = NULL;
  g_autofree char *detail = NULL;

  if (watch->refused)
    return;
  watch->refused = TRUE;

  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);

  detail = g_strdup_printf ("A request body may have up to %" G_GSIZE_FORMAT " bytes.",
                            watch->server->config.max_body);
  document = enr_service_problem_document (413, "payload-too-large", detail, NULL, NULL);
  soup_server_message_set_status (msg, 413, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/problem+json",
                                    SOUP_MEMORY_COPY, document, strlen (document));
}

static void
on_got_chunk_cb (SoupServerMessage *msg,
                 GBytes            *chunk,
                 gpointer           user_data)
{
  BodyWatch *watch = user_data;

  watch->received += g_bytes_get_size (chunk);

  if (watch->received > watch->server->config.max_body)
    refuse_body (watch, msg);

  /* Past the drain limit the peer is not listening: hang up. */
  if (watch->refused && watch->received > watch->server->config.drain_limit)
    enr_service_listener_abort_message (msg);
}

static void
on_early_cb (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  EnrServiceServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  BodyWatch *watch;

  watch = g_new0 (BodyWatch, 1);
  watch->server = self;
  g_signal_connect_data (msg, "got-chunk", G_CALLBACK (on_got_chunk_cb), watch, body_watch_free, 0);

  /* libsoup would answer a Range on its own (206, or a bare 416). */
  soup_message_headers_remove (headers, "Range");

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) self->config.max_body)
    refuse_body (watch, msg);
}

static gboolean
on_maintenance_cb (gpointer user_data)
{
  enr_service_server_run_maintenance (user_data);

  return G_SOURCE_CONTINUE;
}

/* Returns: how many tasks expired (their changes are in the log). */
static guint
maintain (EnrServiceStore        *store,
          const EnrServiceConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint expired;

  if (!enr_service_store_prune_rate_limits (store, config->rate, config->burst,
                                            ENR_SERVICE_RATE_LIMIT_MAX_KEYS, &error))
    {
      g_warning ("Pruning the rate limit's buckets failed: %s", error->message);
      g_clear_error (&error);
    }

  expired = enr_service_expire_tasks (store, now);
  if (expired > 0)
    g_message ("Canceled %u expired service task%s", expired, expired == 1 ? "" : "s");

  if (!enr_service_store_prune (store, g_get_real_time () / G_USEC_PER_SEC,
                                config->response_max_age,
                                config->change_retention, &error))
    g_warning ("Pruning the store failed: %s", error->message);
  g_clear_error (&error);

  if (!enr_service_throttle_prune (store, &config->throttle, g_get_real_time () / 1000, &error))
    g_warning ("Pruning the sign-in throttle failed: %s", error->message);

  return expired;
}

static gboolean
changes_committed_cb (gpointer data)
{
  EnrServiceServer *self = data;

  _enr_service_server_changes_committed (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
maintain_pooled (EnrServiceStore *store,
                 gpointer         data)
{
  EnrServiceServer *self = data;

  if (enr_db_is_connected (enr_service_store_get_db (store)) ||
      enr_db_reconnect (enr_service_store_get_db (store), NULL))
    maintain (store, &self->config);
  if (enr_service_store_take_changes_committed (store))
    g_main_context_invoke (NULL, changes_committed_cb, g_steal_pointer (&self));
  g_clear_object (&self);
}

void
enr_service_server_run_maintenance (EnrServiceServer *self)
{
  g_return_if_fail (ENR_IS_SERVICE_SERVER (self));

  g_mutex_lock (&self->rate_mutex);
  enr_service_rate_limit_expire (self->rate_limit, g_get_monotonic_time ());
  g_mutex_unlock (&self->rate_mutex);

  if (self->pool != NULL)
    {
      enr_service_pool_push (self->pool, maintain_pooled, g_object_ref (self));
      return;
    }

  _enr_service_server_end_batch (self);
  if (maintain (self->store, &self->config) > 0)
    _enr_service_server_wake_change_waits (self);
}

/* PostgreSQL: a change committed (here or on another instance), or may
 * have while the notifications were not heard: the long polls look. */
static void
on_changes_heard_cb (gpointer user_data)
{
  _enr_service_server_wake_change_waits (user_data);
}

/* Waits for the pool's jobs and sends their replies. */
static void
stop_pool (EnrServiceServer *self)
{
  g_clear_pointer (&self->notify, enr_service_notify_free);

  if (self->pool == NULL)
    return;

  g_clear_pointer (&self->pool, enr_service_pool_free);
  while (g_atomic_int_get (&self->pending) > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* SQLite: the reads of the main loop's connection share one snapshot
 * (enr_db_keep_snapshots()) while requests keep coming: no request then
 * takes and drops the WAL read lock of its own. Every write on the
 * connection ends it first (BEGIN IMMEDIATE, and any statement that
 * writes), so a client reads what any 2xx reported at once; the service
 * is the database's only writer. It is dropped when the main loop has
 * nothing else to do, or at the latest config.snapshot_max_age ms after
 * it began, so that it never holds back another process's checkpoint (or
 * hides its writes) for long. */

static void
drop_snapshot (EnrServiceServer *self)
{
  EnrDb *db = self->store != NULL ? enr_service_store_get_db (self->store) : NULL;

  g_clear_handle_id (&self->snapshot_idle_id, g_source_remove);
  g_clear_handle_id (&self->snapshot_deadline_id, g_source_remove);
  /* Inside a transaction there is none (a write ended it). */
  if (db != NULL && !enr_db_in_transaction (db))
    enr_db_drop_snapshot (db);
}

static gboolean
on_snapshot_idle_cb (gpointer user_data)
{
  EnrServiceServer *self = user_data;

  self->snapshot_idle_id = 0;
  drop_snapshot (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_snapshot_deadline_cb (gpointer user_data)
{
  EnrServiceServer *self = user_data;

  self->snapshot_deadline_id = 0;
  drop_snapshot (self);

  return G_SOURCE_REMOVE;
}

static void
on_snapshot_held (EnrDb    *db,
                  gpointer  user_data)
{
  EnrServiceServer *self = user_data;

  if (self->snapshot_idle_id == 0)
    self->snapshot_idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_snapshot_idle_cb, self, NULL);
  if (self->snapshot_deadline_id == 0)
    self->snapshot_deadline_id = g_timeout_add (self->config.snapshot_max_age, on_snapshot_deadline_cb, self);
}

static void
stop_keeping_snapshots (EnrServiceServer *self)
{
  EnrDb *db = self->store != NULL ? enr_service_store_get_db (self->store) : NULL;

  drop_snapshot (self);
  if (db != NULL && enr_db_get_backend (db) == ENR_DB_SQLITE)
    enr_db_keep_snapshots (db, NULL, NULL);
}

static void
enr_service_server_dispose (GObject *object)
{
  EnrServiceServer *self = (EnrServiceServer *)object;

  _enr_service_server_answer_change_waits (self);
  stop_pool (self);
  _enr_service_server_end_batch (self);
  _enr_service_server_answer_change_waits (self);
  stop_keeping_snapshots (self);
  g_clear_handle_id (&self->maintenance_id, g_source_remove);
  if (self->listener != NULL)
    enr_service_listener_close (self->listener);
  g_clear_object (&self->listener);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (enr_service_server_parent_class)->dispose (object);
}

static void
enr_service_server_finalize (GObject *object)
{
  EnrServiceServer *self = (EnrServiceServer *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->rate_limit, enr_service_rate_limit_free);
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  g_clear_pointer (&self->change_waits, g_ptr_array_unref);
  g_mutex_clear (&self->rate_mutex);
  g_clear_pointer (&self->leases, g_hash_table_unref);
  g_clear_pointer (&self->known_sessions, g_hash_table_unref);
  g_mutex_clear (&self->known_mutex);
  g_mutex_clear (&self->replies_mutex);

  G_OBJECT_CLASS (enr_service_server_parent_class)->finalize (object);
}

static void
enr_service_server_class_init (EnrServiceServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = enr_service_server_dispose;
  object_class->finalize = enr_service_server_finalize;
}

static void
enr_service_server_init (EnrServiceServer *self)
{
  enr_service_config_init (&self->config);
  self->batch = g_ptr_array_new ();
  self->change_waits = g_ptr_array_new ();
  g_mutex_init (&self->rate_mutex);
  self->leases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* Read once, before any thread starts (docs/api.md). */
  self->count_traffic = g_strcmp0 (g_getenv ("ENR_SERVICE_COUNT_TRAFFIC"), "1") == 0;
  g_mutex_init (&self->known_mutex);
  g_mutex_init (&self->replies_mutex);
  self->known_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                _enr_service_known_session_free);
}

EnrServiceServer *
enr_service_server_new (EnrServiceStore        *store,
                        const EnrServiceConfig *config,
                        GTlsCertificate        *certificate)
{
  EnrServiceServer *self;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (store), NULL);
  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (ENR_TYPE_SERVICE_SERVER, NULL);
  self->store = g_object_ref (store);
  if (config != NULL)
    self->config = *config;
  self->rate_limit = enr_service_rate_limit_new (self->config.rate, self->config.burst);

  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;

  /* The service accepts connections itself (enr-service-listener.h): this
   * server only parses requests and runs the handlers. */
  self->soup = soup_server_new ("server-header", ENR_SERVICE_SERVER_HEADER, NULL);
  soup_server_add_early_handler (self->soup, NULL, on_early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_request_cb, self, NULL);

  self->maintenance_id = g_timeout_add_seconds (MAINTENANCE_INTERVAL_SECONDS,
                                                on_maintenance_cb, self);

  if (enr_service_store_get_backend (store) == ENR_DB_SQLITE && self->config.snapshot_max_age > 0)
    enr_db_keep_snapshots (enr_service_store_get_db (store), on_snapshot_held, self);

  return self;
}

EnrServiceStore *
enr_service_server_get_store (EnrServiceServer *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_SERVER (self), NULL);

  return self->store;
}

const EnrServiceConfig *
enr_service_server_get_config (EnrServiceServer *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_SERVER (self), NULL);

  return &self->config;
}

SoupServer *
enr_service_server_get_soup (EnrServiceServer *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_SERVER (self), NULL);

  return self->soup;
}

gboolean
enr_service_server_listen (EnrServiceServer  *self,
                           const char        *address,
                           GError           **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  const char *host;
  guint16 port;

  g_return_val_if_fail (ENR_IS_SERVICE_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  connectable = g_network_address_parse (address, 8765, error);
  if (connectable == NULL)
    return FALSE;

  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable));
  port = g_network_address_get_port (G_NETWORK_ADDRESS (connectable));

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (host);

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address; use ADDRESS:PORT such as 127.0.0.1:8765", host);
      return FALSE;
    }

  /* PostgreSQL: the handlers' connections, before the first request. */
  if (enr_service_store_get_backend (self->store) == ENR_DB_POSTGRESQL && self->pool == NULL)
    {
      self->pool = enr_service_pool_new (enr_db_get_target (enr_service_store_get_db (self->store)),
                                         MAX (self->config.database_connections, 1), self->store, error);
      if (self->pool == NULL)
        return FALSE;
      self->notify = enr_service_notify_new (self->store, on_changes_heard_cb, self);
    }

  socket_address = g_inet_socket_address_new (inet, port);
  g_clear_object (&self->listener);
  self->listener = enr_service_listener_new (self->soup, &self->config.net, self->certificate);

  return enr_service_listener_listen (self->listener, socket_address, error);
}

/* A listening socket made by someone else (systemd's socket activation),
 * instead of enr_service_server_listen(). */
gboolean
enr_service_server_listen_socket (EnrServiceServer  *self,
                                  GSocket           *socket,
                                  GError           **error)
{
  g_return_val_if_fail (ENR_IS_SERVICE_SERVER (self), FALSE);
  g_return_val_if_fail (G_IS_SOCKET (socket), FALSE);

  g_clear_object (&self->listener);
  self->listener = enr_service_listener_new (self->soup, &self->config.net, self->certificate);

  return enr_service_listener_listen_socket (self->listener, socket, error);
}

/* For new connections; the ones open keep theirs. A server made without a
 * certificate serves plain HTTP and stays so. */
void
enr_service_server_set_tls_certificate (EnrServiceServer *self,
                                        GTlsCertificate  *certificate)
{
  g_return_if_fail (ENR_IS_SERVICE_SERVER (self));
  g_return_if_fail (G_IS_TLS_CERTIFICATE (certificate));

  if (self->certificate == NULL)
    return;

  g_set_object (&self->certificate, certificate);
  if (self->listener != NULL)
    enr_service_listener_set_certificate (self->listener, certificate);
}

char *
enr_service_server_get_url (EnrServiceServer *self)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *host = NULL;
  const char *scheme;
  guint16 port;

  g_return_val_if_fail (ENR_IS_SERVICE_SERVER (self), NULL);

  if (self->listener == NULL ||
      (address = enr_service_listener_get_address (self->listener)) == NULL ||
      !G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;

  host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  scheme = enr_service_listener_is_tls (self->listener) ? "https" : "http";

  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u", scheme, host, port);

  return g_strdup_printf ("%s://%s:%u", scheme, host, port);
}

void
enr_service_server_disconnect (EnrServiceServer *self)
{
  g_return_if_fail (ENR_IS_SERVICE_SERVER (self));

  _enr_service_server_answer_change_waits (self);
  stop_pool (self);
  _enr_service_server_end_batch (self);
  _enr_service_server_answer_change_waits (self);
  stop_keeping_snapshots (self);
  if (self->listener != NULL)
    enr_service_listener_close (self->listener);
  soup_server_disconnect (self->soup);
}

/* enr-service-connection.c — one client connection the service owns
 *
 * States: (handshake →) idle → head → request → idle → … and, to end,
 * replying (a refusal the service writes itself) → linger → closed.
 *
 *   idle      waiting for the first byte of a request: the header timeout
 *             for the first request (counted from the accept), the idle
 *             timeout after a response; then closed without a word.
 *   head      reading the head into the buffer until the blank line; the
 *             header timeout counts from its first byte (a client cannot
 *             stretch it by dribbling), then 408.
 *   request   libsoup has the request stream. It reads the head and the
 *             body from here and writes the response to the socket; a
 *             client that stalls either for the header timeout is cut off.
 *   replying  a refusal (400, 408, 431, 503, …): written, then
 *   linger    the write side is shut and what the client still sends is
 *             read and dropped for a moment, so that closing does not reset
 *             the connection before the client read the reply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-service-connection.h"
#include "enr-service-request.h"

#define READ_SIZE       16384
#define LINGER_MS       2000
#define LINGER_MAX      (256 * 1024)
#define READS_PER_WAKE  8
#define SMALL_BUFFER    4096

typedef enum
{
  STATE_NEW,
  STATE_HANDSHAKE,
  STATE_IDLE,
  STATE_HEAD,
  STATE_REQUEST,
  STATE_REPLYING,
  STATE_LINGER,
  STATE_CLOSED,
} State;

struct _EnrServiceConnection
{
  GObject                  parent_instance;

  EnrServiceListener      *listener;     /* not owned: it owns us */
  EnrServiceNetConfig      config;
  GSocketConnection       *socket_connection;
  GSocket                 *socket;
  GTlsCertificate         *certificate;
  GIOStream               *stream;       /* the socket connection, or TLS over it */
  GPollableInputStream    *in;
  GPollableOutputStream   *out;
  GSocketAddress          *local;
  GSocketAddress          *remote;
  GCancellable            *cancellable;  /* the TLS handshake */

  State                    state;
  GByteArray              *buffer;       /* read from the client, not given to libsoup */
  gsize                    scanned;      /* of buffer, by the head scan */
  gboolean                 buffer_large; /* it held more than SMALL_BUFFER */
  GSource                 *watch;        /* readable or writable, in our own states */
  gint64                   deadline;     /* monotonic µs, 0 = none; the listener checks */
  GSource                 *resume;       /* after libsoup closed the request stream */
  gboolean                 stalled;      /* libsoup waits for the client */
  guint                    watches_made; /* readable watches created (ENR_SERVICE_COUNT_TRAFFIC) */

  /* The request libsoup has */
  EnrServiceRequestStream *request;
  GSource                 *request_read_source;
  GSource                 *request_write_source;
  gsize                    head_left;
  EnrServiceHttpBody       body;
  guint64                  body_left;
  EnrServiceChunkedFramer  framer;
  gboolean                 body_done;
  gboolean                 keep_alive;
  gboolean                 completed;    /* libsoup sent the whole response */
  gboolean                 response_started;
  gboolean                 aborted;
  gboolean                 body_refused; /* a malformed chunked body: refusal says why */
  EnrServiceHttpRefusal    refusal;

  /* A reply of our own, then the linger */
  GBytes                  *reply;
  gsize                    reply_written;
  gsize                    drained;
};

G_DEFINE_FINAL_TYPE (EnrServiceConnection, enr_service_connection, G_TYPE_OBJECT)

static void watch_readable (EnrServiceConnection *self);
static gboolean on_resume_cb (gpointer user_data);
static void reply (EnrServiceConnection *self,
                   guint                 status,
                   const char           *slug,
                   const char           *detail,
                   guint                 retry_after);

static const char *
status_phrase (guint status)
{
  switch (status)
    {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 417:
      return "Expectation Failed";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return soup_status_get_phrase (status);
    }
}

/* Deadlines: the listener looks at them a few times a second (a timer
 * source per connection would wake the main loop at every change). */

static void
set_deadline_ms (EnrServiceConnection *self,
                 guint                 ms)
{
  self->deadline = g_get_monotonic_time () + (gint64) ms * 1000;
}

static void
set_deadline (EnrServiceConnection *self,
              guint                 seconds)
{
  set_deadline_ms (self, seconds * 1000);
}

static void
clear_deadline (EnrServiceConnection *self)
{
  self->deadline = 0;
}

static void
stop_watch (EnrServiceConnection *self)
{
  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
}

static void
drop_request_sources (EnrServiceConnection *self)
{
  g_clear_pointer (&self->request_read_source, g_source_unref);
  g_clear_pointer (&self->request_write_source, g_source_unref);
}

/* Makes libsoup's pending read or write run now (and fail). */
static void
wake_request (EnrServiceConnection *self)
{
  GSource *sources[] = { self->request_read_source, self->request_write_source };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i] != NULL && !g_source_is_destroyed (sources[i]))
      g_source_set_ready_time (sources[i], 0);
}

void
enr_service_connection_close (EnrServiceConnection *self)
{
  g_return_if_fail (ENR_IS_SERVICE_CONNECTION (self));

  if (self->state == STATE_CLOSED)
    return;

  g_object_ref (self);
  self->state = STATE_CLOSED;
  stop_watch (self);
  clear_deadline (self);
  if (self->resume != NULL)
    {
      g_source_destroy (self->resume);
      g_clear_pointer (&self->resume, g_source_unref);
    }
  g_cancellable_cancel (self->cancellable);

  if (self->request != NULL)
    {
      /* libsoup still has it (the service is stopping): its reads and
       * writes fail from now on. */
      self->aborted = TRUE;
      enr_service_request_stream_detach (self->request);
      wake_request (self);
      g_clear_object (&self->request);
    }
  drop_request_sources (self);

  /* The socket first: a TLS close could wait to write close_notify. */
  g_socket_close (self->socket, NULL);
  g_io_stream_close (self->stream, NULL, NULL);

  enr_service_listener_forget (self->listener, self);
  g_object_unref (self);
}

/* Reading */

/* Appends what the client sent, up to @max bytes, to the buffer (read on
 * the stack first: an idle connection keeps a buffer only as large as
 * what it holds). Returns the count, 0 at the end of the stream, -1 when
 * it would block, -2 on an error. */
static gssize
fill (EnrServiceConnection *self,
      gsize                 max)
{
  g_autoptr(GError) error = NULL;
  guint8 data[READ_SIZE];
  gssize n;

  n = g_pollable_input_stream_read_nonblocking (self->in, data, MIN (max, sizeof data), NULL, &error);
  if (n < 0)
    return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) ? -1 : -2;

  g_byte_array_append (self->buffer, data, n);
  self->buffer_large |= self->buffer->len > SMALL_BUFFER;
  return n;
}

/* The readable watch stays while libsoup has the request (see
 * watch_readable() and on_readable_cb()). */
static void
hand_off (EnrServiceConnection     *self,
          const EnrServiceHttpHead *head)
{
  clear_deadline (self);

  g_byte_array_remove_range (self->buffer, 0, head->skipped);
  self->scanned = 0;
  self->head_left = head->length;
  self->body = head->body;
  self->body_left = head->content_length;
  enr_service_chunked_framer_init (&self->framer);
  self->body_done = head->body == ENR_SERVICE_HTTP_BODY_NONE ||
                    (head->body == ENR_SERVICE_HTTP_BODY_LENGTH && head->content_length == 0);
  self->keep_alive = head->keep_alive;
  self->completed = FALSE;
  self->response_started = FALSE;
  self->aborted = FALSE;
  self->body_refused = FALSE;
  self->stalled = FALSE;

  self->state = STATE_REQUEST;
  self->request = enr_service_request_stream_new (self);
  enr_service_listener_hand_off (self->listener, self, G_IO_STREAM (self->request),
                                 self->local, self->remote);
}

/* Looks for a whole head in the buffer: TRUE when it was handed to
 * libsoup or refused, FALSE when more must be read. */
static gboolean
scan_buffer (EnrServiceConnection *self)
{
  EnrServiceHttpHead head;
  EnrServiceHttpRefusal refusal = { 0, };

  switch (enr_service_http_scan_head (self->buffer->data, self->buffer->len, &self->scanned,
                                      &self->config.head, &head, &refusal))
    {
    case ENR_SERVICE_HTTP_SCAN_INCOMPLETE:
      return FALSE;

    case ENR_SERVICE_HTTP_SCAN_REFUSED:
      g_debug ("Refused a request head: %u %s", refusal.status, refusal.detail);
      reply (self, refusal.status, refusal.slug, refusal.detail, 0);
      enr_service_http_refusal_clear (&refusal);
      return TRUE;

    case ENR_SERVICE_HTTP_SCAN_COMPLETE:
    default:
      hand_off (self, &head);
      return TRUE;
    }
}

static void
read_head (EnrServiceConnection *self)
{
  for (guint i = 0; i < READS_PER_WAKE && (self->state == STATE_IDLE || self->state == STATE_HEAD); i++)
    {
      gssize n = fill (self, READ_SIZE);

      if (n == -1)
        return;
      if (n <= 0)
        {
          /* The client went away, between requests or in a head. */
          enr_service_connection_close (self);
          return;
        }

      if (self->state == STATE_IDLE)
        {
          self->state = STATE_HEAD;
          set_deadline (self, self->config.header_timeout);
        }

      if (scan_buffer (self))
        return;
    }
}

static void
drain (EnrServiceConnection *self)
{
  for (guint i = 0; i < READS_PER_WAKE; i++)
    {
      gssize n = fill (self, READ_SIZE);

      if (n == -1)
        {
          g_byte_array_set_size (self->buffer, 0);
          return;
        }

      self->drained += MAX (n, 0);
      g_byte_array_set_size (self->buffer, 0);
      if (n <= 0 || self->drained > LINGER_MAX)
        {
          enr_service_connection_close (self);
          return;
        }
    }
}

static gboolean
on_readable_cb (GObject  *pollable,
                gpointer  user_data)
{
  EnrServiceConnection *self = user_data;

  g_object_ref (self);
  if (self->state == STATE_LINGER)
    drain (self);
  else if (self->state == STATE_IDLE || self->state == STATE_HEAD)
    read_head (self);
  else if (self->state == STATE_REQUEST && self->resume != NULL)
    {
      /* libsoup is done and the client's next request came before the
       * resume ran: carry on now (we are outside libsoup's call). */
      g_source_destroy (self->resume);
      on_resume_cb (self);
      if (self->state == STATE_IDLE || self->state == STATE_HEAD)
        read_head (self);
    }
  else if (self->state == STATE_REQUEST)
    {
      /* The client sent more (a body libsoup reads with a watch of its
       * own, a pipelined request) or closed while libsoup has the
       * request: nothing is read here before the response; the watch is
       * made again after it. */
      stop_watch (self);
    }
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_socket_readable_cb (GSocket      *socket,
                       GIOCondition  condition,
                       gpointer      user_data)
{
  return on_readable_cb (NULL, user_data);
}

static void
watch_readable (EnrServiceConnection *self)
{
  stop_watch (self);
  if (self->stream == G_IO_STREAM (self->socket_connection))
    {
      /* Plain: the socket's own source (the stream's wraps it in a
       * second source, which GLib would block at each dispatch). */
      self->watch = g_socket_create_source (self->socket, G_IO_IN, NULL);
      g_source_set_callback (self->watch, G_SOURCE_FUNC (on_socket_readable_cb), self, NULL);
    }
  else
    {
      self->watch = g_pollable_input_stream_create_source (self->in, NULL);
      g_source_set_callback (self->watch, G_SOURCE_FUNC (on_readable_cb), self, NULL);
    }
  /* GLib writes to the main loop's eventfd (and its next poll returns at
   * once) whenever a descriptor joins or leaves the poll: a source
   * attached or destroyed, and a source that cannot recurse while it is
   * dispatched (taken out, put back). A watch made for each request, or
   * blocked at each dispatch, cost the main loop two such wake-ups per
   * request; so the watch lasts from request to request and may
   * recurse (the service runs no nested main loop: nothing dispatches
   * it from inside its callback). */
  g_source_set_can_recurse (self->watch, TRUE);
  g_source_attach (self->watch, NULL);
  self->watches_made++;
}

/* Between requests: the watch kept through the last one, else a new one. */
static void
keep_watching (EnrServiceConnection *self)
{
  if (self->watch == NULL)
    watch_readable (self);
}

/* Writing our own replies */

static void
linger (EnrServiceConnection *self)
{
  stop_watch (self);
  self->state = STATE_LINGER;
  self->drained = 0;
  g_byte_array_set_size (self->buffer, 0);
  if (!g_socket_shutdown (self->socket, FALSE, TRUE, NULL))
    {
      enr_service_connection_close (self);
      return;
    }
  set_deadline_ms (self, LINGER_MS);
  watch_readable (self);
}

static void write_reply (EnrServiceConnection *self);

static gboolean
on_writable_cb (GObject  *pollable,
                gpointer  user_data)
{
  EnrServiceConnection *self = user_data;

  g_object_ref (self);
  if (self->state == STATE_REPLYING)
    write_reply (self);
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

static void
write_reply (EnrServiceConnection *self)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (self->reply, &size);

  while (self->reply_written < size)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (self->out, data + self->reply_written,
                                                             size - self->reply_written, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          if (self->watch == NULL)
            {
              self->watch = g_pollable_output_stream_create_source (self->out, NULL);
              g_source_set_callback (self->watch, G_SOURCE_FUNC (on_writable_cb), self, NULL);
              g_source_attach (self->watch, NULL);
            }
          return;
        }
      if (n < 0)
        {
          enr_service_connection_close (self);
          return;
        }
      self->reply_written += n;
    }

  g_clear_pointer (&self->reply, g_bytes_unref);
  linger (self);
}

static GBytes *
build_reply (guint       status,
             const char *slug,
             const char *detail,
             guint       retry_after)
{
  g_autofree char *document = enr_service_problem_document (status, slug, detail, NULL, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  GString *out = g_string_sized_new (512);

  g_string_append_printf (out, "HTTP/1.1 %u %s\r\n", status, status_phrase (status));
  g_string_append_printf (out, "Date: %s\r\n", date);
  g_string_append (out, "Server: " ENR_SERVICE_SERVER_HEADER "\r\n");
  g_string_append (out, "Content-Type: application/problem+json\r\n");
  g_string_append_printf (out, "Content-Length: %" G_GSIZE_FORMAT "\r\n", strlen (document));
  g_string_append (out, "Cache-Control: no-store\r\n");
  if (retry_after > 0)
    g_string_append_printf (out, "Retry-After: %u\r\n", retry_after);
  g_string_append (out, "Connection: close\r\n\r\n");
  g_string_append (out, document);

  return g_string_free_to_bytes (out);
}

/* Answers with a problem document of our own, then lingers and closes:
 * whatever follows in the stream is never read as a request. */
static void
reply (EnrServiceConnection *self,
       guint                 status,
       const char           *slug,
       const char           *detail,
       guint                 retry_after)
{
  stop_watch (self);
  clear_deadline (self);
  self->state = STATE_REPLYING;
  g_clear_pointer (&self->reply, g_bytes_unref);
  self->reply = build_reply (status, slug, detail, retry_after);
  self->reply_written = 0;
  set_deadline (self, self->config.header_timeout);
  write_reply (self);
}

void
enr_service_connection_refuse (EnrServiceConnection *self,
                               guint                 status,
                               const char           *slug,
                               const char           *detail,
                               guint                 retry_after)
{
  g_return_if_fail (ENR_IS_SERVICE_CONNECTION (self));
  g_return_if_fail (self->state == STATE_NEW);

  self->in = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (self->stream));
  self->out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (self->stream));
  reply (self, status, slug, detail, retry_after);
}

gboolean
enr_service_connection_is_refusing (EnrServiceConnection *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_CONNECTION (self), FALSE);

  return self->state == STATE_REPLYING || self->state == STATE_LINGER;
}

/* Deadlines */

gint64
enr_service_connection_get_deadline (EnrServiceConnection *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_CONNECTION (self), 0);

  return self->deadline;
}

/* The deadline of the current state passed. */
void
enr_service_connection_expire (EnrServiceConnection *self)
{
  g_return_if_fail (ENR_IS_SERVICE_CONNECTION (self));

  g_object_ref (self);
  self->deadline = 0;
  switch (self->state)
    {
    case STATE_HEAD:
      reply (self, 408, "request-timeout", "The request head did not arrive in time.", 0);
      break;

    case STATE_REQUEST:
      g_debug ("A client stalled its request or response; closing its connection");
      enr_service_connection_abort (self);
      break;

    case STATE_NEW:
    case STATE_HANDSHAKE:
    case STATE_IDLE:
    case STATE_REPLYING:
    case STATE_LINGER:
    case STATE_CLOSED:
    default:
      enr_service_connection_close (self);
      break;
    }
  g_object_unref (self);
}

/* Starting */

static void
ready (EnrServiceConnection *self)
{
  self->in = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (self->stream));
  self->out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (self->stream));
  self->state = STATE_IDLE;
  watch_readable (self);
}

static void
on_handshake_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(EnrServiceConnection) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      if (self->state != STATE_CLOSED)
        {
          g_debug ("TLS handshake failed: %s", error->message);
          enr_service_connection_close (self);
        }
      return;
    }

  if (self->state == STATE_HANDSHAKE)
    ready (self);
}

void
enr_service_connection_start (EnrServiceConnection *self)
{
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  g_return_if_fail (ENR_IS_SERVICE_CONNECTION (self));
  g_return_if_fail (self->state == STATE_NEW);

  if (self->local == NULL || self->remote == NULL)
    {
      /* Reset before we got to it */
      self->state = STATE_IDLE;
      enr_service_connection_close (self);
      return;
    }

  /* The first request: the header timeout counts from the accept (and
   * covers the TLS handshake). */
  set_deadline (self, self->config.header_timeout);

  if (self->certificate == NULL)
    {
      ready (self);
      return;
    }

  tls = g_tls_server_connection_new (self->stream, self->certificate, &error);
  if (tls == NULL)
    {
      g_warning ("Cannot start TLS: %s", error->message);
      enr_service_connection_close (self);
      return;
    }
  g_object_set (tls, "require-close-notify", FALSE, NULL);
  g_object_unref (self->stream);
  self->stream = tls;

  self->state = STATE_HANDSHAKE;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, self->cancellable,
                                    on_handshake_cb, g_object_ref (self));
}

/* libsoup's request */

gssize
enr_service_connection_read_request (EnrServiceConnection  *self,
                                     guint8                *out,
                                     gsize                  count,
                                     GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  const guint8 *data;
  gsize available;
  gsize take;
  gboolean from_buffer;

  if (self->aborted)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "The request was aborted");
      return -1;
    }

  if (count == 0)
    return 0;

  /* The head, checked, from the buffer */
  if (self->head_left > 0)
    {
      take = MIN (count, self->head_left);
      memcpy (out, self->buffer->data, take);
      g_byte_array_remove_range (self->buffer, 0, take);
      self->head_left -= take;
      return take;
    }

  if (self->body_done)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "The request has been read");
      return -1;
    }

  if (self->buffer->len > 0)
    {
      data = self->buffer->data;
      available = MIN (self->buffer->len, count);
      from_buffer = TRUE;
    }
  else
    {
      gsize want = count;
      gssize n;

      if (self->body == ENR_SERVICE_HTTP_BODY_LENGTH)
        want = (gsize) MIN ((guint64) count, self->body_left);

      n = g_pollable_input_stream_read_nonblocking (self->in, out, want, NULL, &local_error);
      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) && !self->stalled)
            {
              self->stalled = TRUE;
              set_deadline (self, self->config.header_timeout);
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }
      if (n == 0)
        return 0;   /* the client closed in the middle of the body */

      data = out;
      available = n;
      from_buffer = FALSE;
    }

  if (self->stalled)
    {
      self->stalled = FALSE;
      clear_deadline (self);
    }

  if (self->body == ENR_SERVICE_HTTP_BODY_LENGTH)
    {
      take = (gsize) MIN ((guint64) available, self->body_left);
      self->body_left -= take;
      self->body_done = self->body_left == 0;
    }
  else
    {
      take = enr_service_chunked_framer_feed (&self->framer, data, available, &self->refusal);
      if (enr_service_chunked_framer_failed (&self->framer))
        {
          /* Nothing of it reaches libsoup: it fails, we answer 400. */
          self->body_refused = TRUE;
          self->aborted = TRUE;
          g_byte_array_set_size (self->buffer, 0);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, self->refusal.detail);
          return -1;
        }
      self->body_done = enr_service_chunked_framer_is_done (&self->framer);
    }

  if (from_buffer)
    {
      memcpy (out, data, take);
      g_byte_array_remove_range (self->buffer, 0, take);
    }
  else if (take < available)
    {
      /* The next request's first bytes */
      g_byte_array_append (self->buffer, data + take, available - take);
      self->buffer_large |= self->buffer->len > SMALL_BUFFER;
    }

  return take;
}

gboolean
enr_service_connection_request_readable (EnrServiceConnection *self)
{
  if (self->aborted || self->head_left > 0)
    return TRUE;
  if (self->body_done)
    return FALSE;

  return self->buffer->len > 0 || g_pollable_input_stream_is_readable (self->in);
}

GSource *
enr_service_connection_request_read_source (EnrServiceConnection *self,
                                            GObject              *pollable,
                                            GCancellable         *cancellable)
{
  g_autoptr(GSource) child = NULL;
  GSource *source;

  if (self->aborted || self->head_left > 0 || (!self->body_done && self->buffer->len > 0))
    child = g_timeout_source_new (0);
  else if (!self->body_done)
    child = g_pollable_input_stream_create_source (self->in, NULL);

  /* Without a child (the request was read whole) it only fires when
   * woken by an abort. */
  source = g_pollable_source_new_full (pollable, child, cancellable);
  g_clear_pointer (&self->request_read_source, g_source_unref);
  self->request_read_source = g_source_ref (source);

  return source;
}

gssize
enr_service_connection_write_response (EnrServiceConnection  *self,
                                       const guint8          *buffer,
                                       gsize                  count,
                                       GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (self->aborted)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "The request was aborted");
      return -1;
    }

  n = g_pollable_output_stream_write_nonblocking (self->out, buffer, count, NULL, &local_error);
  if (n < 0)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) && !self->stalled)
        {
          self->stalled = TRUE;
          set_deadline (self, self->config.header_timeout);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }

  self->response_started = TRUE;
  if (self->stalled)
    {
      self->stalled = FALSE;
      clear_deadline (self);
    }

  return n;
}

gboolean
enr_service_connection_response_writable (EnrServiceConnection *self)
{
  return self->aborted || g_pollable_output_stream_is_writable (self->out);
}

GSource *
enr_service_connection_response_write_source (EnrServiceConnection *self,
                                              GObject              *pollable,
                                              GCancellable         *cancellable)
{
  g_autoptr(GSource) child = NULL;
  GSource *source;

  if (self->aborted)
    child = g_timeout_source_new (0);
  else
    child = g_pollable_output_stream_create_source (self->out, NULL);

  source = g_pollable_source_new_full (pollable, child, cancellable);
  g_clear_pointer (&self->request_write_source, g_source_unref);
  self->request_write_source = g_source_ref (source);

  return source;
}

/* ENR_SERVICE_COUNT_TRAFFIC=1 (tests, benchmarks): each response says
 * how many readable watches its connection made so far. */
static gboolean
counting_traffic (void)
{
  static gsize once = 0;
  static gboolean counting = FALSE;

  if (g_once_init_enter (&once))
    {
      counting = g_strcmp0 (g_getenv ("ENR_SERVICE_COUNT_TRAFFIC"), "1") == 0;
      g_once_init_leave (&once, 1);
    }

  return counting;
}

void
enr_service_connection_request_started (EnrServiceConnection *self,
                                        SoupServerMessage    *msg)
{
  g_return_if_fail (ENR_IS_SERVICE_CONNECTION (self));

  if (!self->keep_alive)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");
  if (counting_traffic ())
    {
      g_autofree char *watches = g_strdup_printf ("%u", self->watches_made);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Enr-Read-Watches", watches);
    }
}

void
enr_service_connection_request_finished (EnrServiceConnection *self,
                                         SoupServerMessage    *msg,
                                         gboolean              completed)
{
  SoupMessageHeaders *headers;

  g_return_if_fail (ENR_IS_SERVICE_CONNECTION (self));

  headers = soup_server_message_get_response_headers (msg);
  /* A body without a length ends with the connection. */
  self->completed = completed &&
                    soup_server_message_get_http_version (msg) == SOUP_HTTP_1_1 &&
                    soup_message_headers_get_encoding (headers) != SOUP_ENCODING_EOF &&
                    !soup_message_headers_header_contains (headers, "Connection", "close");
}

/* Ends the request libsoup has: its reads and writes fail, then the
 * connection closes. */
void
enr_service_connection_abort (EnrServiceConnection *self)
{
  g_return_if_fail (ENR_IS_SERVICE_CONNECTION (self));

  if (self->state != STATE_REQUEST)
    return;

  self->aborted = TRUE;
  wake_request (self);
}

static gboolean
on_resume_cb (gpointer user_data)
{
  EnrServiceConnection *self = user_data;

  g_clear_pointer (&self->resume, g_source_unref);
  if (self->state != STATE_REQUEST)
    return G_SOURCE_REMOVE;

  g_object_ref (self);
  g_clear_object (&self->request);
  drop_request_sources (self);
  self->stalled = FALSE;
  clear_deadline (self);

  if (self->body_refused && !self->response_started)
    {
      reply (self, self->refusal.status, self->refusal.slug, self->refusal.detail, 0);
      enr_service_http_refusal_clear (&self->refusal);
    }
  else if (self->completed && self->keep_alive && self->body_done && !self->aborted)
    {
      if (self->buffer_large && self->buffer->len == 0)
        {
          /* A large head or body went through: do not keep its room. */
          g_byte_array_unref (self->buffer);
          self->buffer = g_byte_array_new ();
          self->buffer_large = FALSE;
        }
      self->state = STATE_IDLE;
      set_deadline (self, self->config.idle_timeout);
      if (self->buffer->len > 0)
        {
          /* A pipelined request */
          self->state = STATE_HEAD;
          set_deadline (self, self->config.header_timeout);
          if (!scan_buffer (self))
            keep_watching (self);
        }
      else
        keep_watching (self);
    }
  else if (!self->aborted && (!self->body_done || self->buffer->len > 0))
    linger (self);   /* the client may still be sending: do not reset */
  else
    enr_service_connection_close (self);

  g_object_unref (self);

  return G_SOURCE_REMOVE;
}

/* libsoup closed the request stream (after the response, or on an
 * error). Carry on from the main loop, outside libsoup's call. */
void
enr_service_connection_request_closed (EnrServiceConnection *self)
{
  if (self->state != STATE_REQUEST || self->resume != NULL)
    return;

  self->resume = g_idle_source_new ();
  g_source_set_priority (self->resume, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->resume, on_resume_cb, self, NULL);
  g_source_attach (self->resume, NULL);
}

/* Object */

static void
enr_service_connection_dispose (GObject *object)
{
  EnrServiceConnection *self = (EnrServiceConnection *)object;

  g_assert (self->state == STATE_CLOSED || self->state == STATE_NEW);

  G_OBJECT_CLASS (enr_service_connection_parent_class)->dispose (object);
}

static void
enr_service_connection_finalize (GObject *object)
{
  EnrServiceConnection *self = (EnrServiceConnection *)object;

  if (self->state == STATE_NEW)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket_connection);
  g_clear_object (&self->socket);
  g_clear_object (&self->stream);
  g_clear_object (&self->certificate);
  g_clear_object (&self->local);
  g_clear_object (&self->remote);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->buffer, g_byte_array_unref);
  g_clear_pointer (&self->reply, g_bytes_unref);
  enr_service_http_refusal_clear (&self->refusal);

  G_OBJECT_CLASS (enr_service_connection_parent_class)->finalize (object);
}

static void
enr_service_connection_class_init (EnrServiceConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = enr_service_connection_dispose;
  object_class->finalize = enr_service_connection_finalize;
}

static void
enr_service_connection_init (EnrServiceConnection *self)
{
  self->buffer = g_byte_array_new ();
  self->cancellable = g_cancellable_new ();
}

EnrServiceConnection *
enr_service_connection_new (EnrServiceListener        *listener,
                            GSocketConnection         *connection,
                            const EnrServiceNetConfig *config,
                            GTlsCertificate           *certificate)
{
  EnrServiceConnection *self;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);

  self = g_object_new (ENR_TYPE_SERVICE_CONNECTION, NULL);
  self->listener = listener;
  self->config = *config;
  self->socket_connection = g_object_ref (connection);
  self->socket = g_object_ref (g_socket_connection_get_socket (connection));
  self->stream = G_IO_STREAM (g_object_ref (connection));
  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  self->local = g_socket_get_local_address (self->socket, NULL);
  self->remote = g_socket_get_remote_address (self->socket, NULL);

  return self;
}

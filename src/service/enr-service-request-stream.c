/* enr-service-request-stream.c — the stream libsoup gets for one request
 *
 * Its input gives the request's head and body, as the connection framed
 * them, and nothing after; its output writes to the connection's socket.
 * Closing it (libsoup does, after the response) closes neither: it tells
 * the connection that libsoup is done. Once detached from its connection
 * (closed, or the connection went away) every read and write fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-connection.h"

#define REQUEST_TYPE_INPUT (request_input_get_type ())
G_DECLARE_FINAL_TYPE (RequestInput, request_input, REQUEST, INPUT, GInputStream)

#define REQUEST_TYPE_OUTPUT (request_output_get_type ())
G_DECLARE_FINAL_TYPE (RequestOutput, request_output, REQUEST, OUTPUT, GOutputStream)

struct _EnrServiceRequestStream
{
  GIOStream             parent_instance;

  EnrServiceConnection *connection;   /* not owned; NULL once detached */
  RequestInput         *input;
  RequestOutput        *output;
};

struct _RequestInput
{
  GInputStream             parent_instance;
  EnrServiceRequestStream *stream;    /* not owned: it owns us */
};

struct _RequestOutput
{
  GOutputStream            parent_instance;
  EnrServiceRequestStream *stream;
};

static void request_input_pollable_init (GPollableInputStreamInterface *iface);
static void request_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE (EnrServiceRequestStream, enr_service_request_stream, G_TYPE_IO_STREAM)
G_DEFINE_FINAL_TYPE_WITH_CODE (RequestInput, request_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      request_input_pollable_init))
G_DEFINE_FINAL_TYPE_WITH_CODE (RequestOutput, request_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      request_output_pollable_init))

static gssize
fail_detached (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "The connection was closed");
  return -1;
}

/* A source that is ready at once: reads and writes then fail. */
static GSource *
ready_source (GObject      *pollable,
              GCancellable *cancellable)
{
  g_autoptr(GSource) now = g_timeout_source_new (0);

  return g_pollable_source_new_full (pollable, now, cancellable);
}

/* Input */

static gssize
request_input_read_nonblocking (GPollableInputStream  *pollable,
                                void                  *buffer,
                                gsize                  count,
                                GError               **error)
{
  RequestInput *self = REQUEST_INPUT (pollable);
  EnrServiceConnection *connection = self->stream->connection;

  if (connection == NULL)
    return fail_detached (error);

  return enr_service_connection_read_request (connection, buffer, count, error);
}

static gboolean
request_input_is_readable (GPollableInputStream *pollable)
{
  RequestInput *self = REQUEST_INPUT (pollable);

  return self->stream->connection == NULL ||
         enr_service_connection_request_readable (self->stream->connection);
}

static GSource *
request_input_create_source (GPollableInputStream *pollable,
                             GCancellable         *cancellable)
{
  RequestInput *self = REQUEST_INPUT (pollable);

  if (self->stream->connection == NULL)
    return ready_source (G_OBJECT (pollable), cancellable);

  return enr_service_connection_request_read_source (self->stream->connection,
                                                     G_OBJECT (pollable), cancellable);
}

static gboolean
request_input_can_poll (GPollableInputStream *pollable)
{
  return TRUE;
}

/* The service never blocks: a blocking read that would wait fails. */
static gssize
request_input_read (GInputStream  *stream,
                    void          *buffer,
                    gsize          count,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return request_input_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream), buffer, count, error);
}

static gboolean
request_input_close (GInputStream  *stream,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return TRUE;
}

static void
request_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = request_input_can_poll;
  iface->is_readable = request_input_is_readable;
  iface->create_source = request_input_create_source;
  iface->read_nonblocking = request_input_read_nonblocking;
}

static void
request_input_class_init (RequestInputClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  stream_class->read_fn = request_input_read;
  stream_class->close_fn = request_input_close;
}

static void
request_input_init (RequestInput *self)
{
}

/* Output */

static gssize
request_output_write_nonblocking (GPollableOutputStream  *pollable,
                                  const void             *buffer,
                                  gsize                   count,
                                  GError                **error)
{
  RequestOutput *self = REQUEST_OUTPUT (pollable);
  EnrServiceConnection *connection = self->stream->connection;

  if (connection == NULL)
    return fail_detached (error);

  return enr_service_connection_write_response (connection, buffer, count, error);
}

static gboolean
request_output_is_writable (GPollableOutputStream *pollable)
{
  RequestOutput *self = REQUEST_OUTPUT (pollable);

  return self->stream->connection == NULL ||
         enr_service_connection_response_writable (self->stream->connection);
}

static GSource *
request_output_create_source (GPollableOutputStream *pollable,
                              GCancellable          *cancellable)
{
  RequestOutput *self = REQUEST_OUTPUT (pollable);

  if (self->stream->connection == NULL)
    return ready_source (G_OBJECT (pollable), cancellable);

  return enr_service_connection_response_write_source (self->stream->connection,
                                                       G_OBJECT (pollable), cancellable);
}

static gboolean
request_output_can_poll (GPollableOutputStream *pollable)
{
  return TRUE;
}

static gssize
request_output_write (GOutputStream  *stream,
                      const void     *buffer,
                      gsize           count,
                      GCancellable   *cancellable,
                      GError        **error)
{
  return request_output_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (stream), buffer, count, error);
}

static gboolean
request_output_close (GOutputStream  *stream,
                      GCancellable   *cancellable,
                      GError        **error)
{
  return TRUE;
}

static void
request_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = request_output_can_poll;
  iface->is_writable = request_output_is_writable;
  iface->create_source = request_output_create_source;
  iface->write_nonblocking = request_output_write_nonblocking;
}

static void
request_output_class_init (RequestOutputClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  stream_class->write_fn = request_output_write;
  stream_class->close_fn = request_output_close;
}

static void
request_output_init (RequestOutput *self)
{
}

/* The stream */

static GInputStream *
enr_service_request_stream_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (ENR_SERVICE_REQUEST_STREAM (stream)->input);
}

static GOutputStream *
enr_service_request_stream_get_output_stream (GIOStream *stream)
{
  return G_OUTPUT_STREAM (ENR_SERVICE_REQUEST_STREAM (stream)->output);
}

/* libsoup is done with the request: the socket stays open. */
static gboolean
enr_service_request_stream_close (GIOStream     *stream,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  EnrServiceRequestStream *self = ENR_SERVICE_REQUEST_STREAM (stream);
  EnrServiceConnection *connection = g_steal_pointer (&self->connection);

  if (connection != NULL)
    enr_service_connection_request_closed (connection);

  return TRUE;
}

static void
enr_service_request_stream_finalize (GObject *object)
{
  EnrServiceRequestStream *self = ENR_SERVICE_REQUEST_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);

  G_OBJECT_CLASS (enr_service_request_stream_parent_class)->finalize (object);
}

static void
enr_service_request_stream_class_init (EnrServiceRequestStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = enr_service_request_stream_finalize;
  stream_class->get_input_stream = enr_service_request_stream_get_input_stream;
  stream_class->get_output_stream = enr_service_request_stream_get_output_stream;
  stream_class->close_fn = enr_service_request_stream_close;
}

static void
enr_service_request_stream_init (EnrServiceRequestStream *self)
{
  self->input = g_object_new (REQUEST_TYPE_INPUT, NULL);
  self->input->stream = self;
  self->output = g_object_new (REQUEST_TYPE_OUTPUT, NULL);
  self->output->stream = self;
}

EnrServiceRequestStream *
enr_service_request_stream_new (EnrServiceConnection *connection)
{
  EnrServiceRequestStream *self = g_object_new (ENR_TYPE_SERVICE_REQUEST_STREAM, NULL);

  self->connection = connection;

  return self;
}

EnrServiceConnection *
enr_service_request_stream_get_connection (EnrServiceRequestStream *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_REQUEST_STREAM (self), NULL);

  return self->connection;
}

/* The connection is going away: reads and writes fail from now on. */
void
enr_service_request_stream_detach (EnrServiceRequestStream *self)
{
  g_return_if_fail (ENR_IS_SERVICE_REQUEST_STREAM (self));

  self->connection = NULL;
}

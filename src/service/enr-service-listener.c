/* enr-service-listener.c — the service's own listening socket and connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>

#include <gio/gnetworking.h>
#include <sys/resource.h>

#include "enr-service-connection.h"
#include "enr-service-listener.h"

#define ACCEPTS_PER_WAKE     64
#define ACCEPT_PAUSE_MS      100
#define RESERVED_DESCRIPTORS 32     /* the database, the log, the main loop, threads */
#define REFUSING_MAX         64     /* refusals being written or lingering */
#define REFUSAL_RETRY_AFTER  1
#define SWEEP_MS             250    /* how often deadlines are looked at */

struct _EnrServiceListener
{
  GObject               parent_instance;

  SoupServer           *soup;
  EnrServiceNetConfig   config;
  GTlsCertificate      *certificate;
  GSocket              *socket;
  GSource              *accept_source;
  guint                 resume_id;
  guint                 sweep_id;
  gint64                last_exhausted_warning;

  GHashTable           *connections;     /* EnrServiceConnection, owned */
  GHashTable           *refusing;        /* the connections being refused */
  guint                 max_connections;
  guint                 max_refusing;

  EnrServiceConnection *handing;         /* during soup_server_accept_iostream() */
  GIOStream            *handing_stream;
  gulong                started_id;
  gulong                finished_id;
  gulong                aborted_id;
};

G_DEFINE_FINAL_TYPE (EnrServiceListener, enr_service_listener, G_TYPE_OBJECT)

static GQuark
connection_quark (void)
{
  return g_quark_from_static_string ("enr-service-request-stream");
}

void
enr_service_net_config_init (EnrServiceNetConfig *config)
{
  config->max_connections = ENR_SERVICE_DEFAULT_MAX_CONNECTIONS;
  config->header_timeout = ENR_SERVICE_DEFAULT_HEADER_TIMEOUT;
  config->idle_timeout = ENR_SERVICE_DEFAULT_IDLE_TIMEOUT;
  config->head.max_bytes = ENR_SERVICE_DEFAULT_MAX_HEAD_BYTES;
  config->head.max_fields = ENR_SERVICE_DEFAULT_MAX_HEAD_FIELDS;
}

/* The connection @msg came on, while libsoup has its request. */
static EnrServiceConnection *
connection_of (SoupServerMessage *msg)
{
  EnrServiceRequestStream *stream = g_object_get_qdata (G_OBJECT (msg), connection_quark ());

  return stream != NULL ? enr_service_request_stream_get_connection (stream) : NULL;
}

static void
on_request_started_cb (SoupServer        *soup,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  EnrServiceListener *self = user_data;

  /* soup_server_accept_iostream() starts the request before it returns. */
  if (self->handing == NULL)
    return;

  g_object_set_qdata_full (G_OBJECT (msg), connection_quark (),
                           g_object_ref (self->handing_stream),
                           g_object_unref);
  enr_service_connection_request_started (self->handing, msg);
}

static void
on_request_finished_cb (SoupServer        *soup,
                        SoupServerMessage *msg,
                        gpointer           user_data)
{
  EnrServiceConnection *connection = connection_of (msg);

  if (connection != NULL)
    enr_service_connection_request_finished (connection, msg, TRUE);
}

static void
on_request_aborted_cb (SoupServer        *soup,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  EnrServiceConnection *connection = connection_of (msg);

  if (connection != NULL)
    enr_service_connection_request_finished (connection, msg, FALSE);
}

void
enr_service_listener_hand_off (EnrServiceListener   *self,
                               EnrServiceConnection *connection,
                               GIOStream            *stream,
                               GSocketAddress       *local,
                               GSocketAddress       *remote)
{
  EnrServiceConnection *outer = self->handing;
  GIOStream *outer_stream = self->handing_stream;

  self->handing = connection;
  self->handing_stream = stream;
  soup_server_accept_iostream (self->soup, stream, local, remote, NULL);
  self->handing = outer;
  self->handing_stream = outer_stream;
}

void
enr_service_listener_forget (EnrServiceListener   *self,
                             EnrServiceConnection *connection)
{
  g_hash_table_remove (self->refusing, connection);
  g_hash_table_remove (self->connections, connection);
}

void
enr_service_listener_abort_message (SoupServerMessage *msg)
{
  EnrServiceConnection *connection = connection_of (msg);

  if (connection != NULL)
    enr_service_connection_abort (connection);
}

/* Closes (or answers 408 on) the connections whose deadline passed. */
static gboolean
on_sweep_cb (gpointer user_data)
{
  EnrServiceListener *self = user_data;
  g_autoptr(GPtrArray) expired = NULL;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer connection;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &connection, NULL))
    {
      gint64 deadline = enr_service_connection_get_deadline (connection);

      if (deadline == 0 || deadline > now)
        continue;
      if (expired == NULL)
        expired = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (expired, g_object_ref (connection));
    }

  for (guint i = 0; expired != NULL && i < expired->len; i++)
    enr_service_connection_expire (g_ptr_array_index (expired, i));

  return G_SOURCE_CONTINUE;
}

/* Accepting */

static void start_accepting (EnrServiceListener *self);

static gboolean
on_resume_accepting_cb (gpointer user_data)
{
  EnrServiceListener *self = user_data;

  self->resume_id = 0;
  start_accepting (self);

  return G_SOURCE_REMOVE;
}

/* Out of descriptors: the listening socket stays readable, so accepting
 * again at once would spin. Wait a little; connections close meanwhile. */
static void
pause_accepting (EnrServiceListener *self,
                 const GError       *error)
{
  gint64 now = g_get_monotonic_time ();

  if (now - self->last_exhausted_warning > 60 * G_USEC_PER_SEC)
    {
      g_warning ("Cannot accept connections (%s) with %u open; waiting", error->message,
                 g_hash_table_size (self->connections));
      self->last_exhausted_warning = now;
    }

  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->resume_id == 0)
    self->resume_id = g_timeout_add (ACCEPT_PAUSE_MS, on_resume_accepting_cb, self);
}

static void
accept_one (EnrServiceListener *self,
            GSocket            *socket)
{
  g_autoptr(GSocketConnection) stream = g_socket_connection_factory_create_connection (socket);
  g_autoptr(EnrServiceConnection) connection = NULL;
  guint refusing = g_hash_table_size (self->refusing);
  guint open = g_hash_table_size (self->connections) - refusing;

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  connection = enr_service_connection_new (self, stream, &self->config, self->certificate);

  if (open >= self->max_connections)
    {
      /* Over the cap: a clean refusal while few are being refused, else
       * the kernel's close. */
      if (refusing >= self->max_refusing || self->certificate != NULL)
        return;

      g_hash_table_add (self->connections, g_object_ref (connection));
      g_hash_table_add (self->refusing, connection);
      enr_service_connection_refuse (connection, 503, "unavailable",
                                     "The service has as many connections as it serves; retry shortly.",
                                     REFUSAL_RETRY_AFTER);
      return;
    }

  g_hash_table_add (self->connections, g_object_ref (connection));
  enr_service_connection_start (connection);
}

static gboolean
on_acceptable_cb (GSocket      *listening,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  EnrServiceListener *self = user_data;

  for (guint i = 0; i < ACCEPTS_PER_WAKE; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listening, NULL, &error);

      if (socket != NULL)
        {
          accept_one (self, socket);
          continue;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          pause_accepting (self, error);
          return G_SOURCE_REMOVE;
        }
      /* ECONNABORTED and the like: that client is gone. */
      g_debug ("accept failed: %s", error->message);
    }

  return G_SOURCE_CONTINUE;
}

static void
start_accepting (EnrServiceListener *self)
{
  if (self->socket == NULL || self->accept_source != NULL)
    return;

  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (on_acceptable_cb), self, NULL);
  g_source_attach (self->accept_source, NULL);
}

/* net.core.somaxconn: the kernel caps the backlog there anyway. */
static int
system_backlog (void)
{
  g_autofree char *text = NULL;
  guint64 value;

  if (g_file_get_contents ("/proc/sys/net/core/somaxconn", &text, NULL, NULL) &&
      g_ascii_string_to_unsigned (g_strstrip (text), 10, 1, G_MAXINT, &value, NULL))
    return (int) value;

  return SOMAXCONN;
}

/* Raises the soft descriptor limit to the hard one and keeps the
 * connection cap below it, with room for the rest of the service. */
static void
fit_descriptor_limit (EnrServiceListener *self)
{
  struct rlimit limit;
  guint room;

  self->max_connections = MAX (self->config.max_connections, 1);
  self->max_refusing = REFUSING_MAX;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return;
  if (limit.rlim_cur < limit.rlim_max)
    {
      struct rlimit raised = { limit.rlim_max, limit.rlim_max };

      if (setrlimit (RLIMIT_NOFILE, &raised) == 0)
        limit = raised;
    }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > G_MAXUINT / 2)
    return;

  room = limit.rlim_cur > 2 * RESERVED_DESCRIPTORS ? (guint) limit.rlim_cur - RESERVED_DESCRIPTORS : RESERVED_DESCRIPTORS;
  self->max_refusing = MIN (REFUSING_MAX, room / 4);
  room -= self->max_refusing;
  if (room < self->max_connections)
    {
      g_message ("Serving at most %u connections at once (the descriptor limit is %u)",
                 room, (guint) limit.rlim_cur);
      self->max_connections = MAX (room, 1);
    }
}

/* Several instances on one address: each has a listening socket of its
 * own and the kernel spreads the new connections among them (by a hash of
 * the client's address and port). All of them must ask for it before they
 * bind. g_socket_bind() clears SO_REUSEPORT on stream sockets, hence
 * bind(2). */
static gboolean
bind_reusing_port (GSocket         *socket,
                   GSocketAddress  *address,
                   GError         **error)
{
  struct sockaddr_storage native;
  gssize size = g_socket_address_get_native_size (address);
  g_autofree char *text = NULL;
  int saved;

  if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, TRUE, error) ||
      !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, TRUE, error))
    return FALSE;
  if (size < 0 || (gsize) size > sizeof native ||
      !g_socket_address_to_native (address, &native, sizeof native, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Unsupported address");
      return FALSE;
    }
  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, (socklen_t) size) == 0)
    return TRUE;

  saved = errno;
  text = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "Error binding to address %s: %s", text, g_strerror (saved));
  return FALSE;
}

gboolean
enr_service_listener_listen (EnrServiceListener  *self,
                             GSocketAddress      *address,
                             GError             **error)
{
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (ENR_IS_SERVICE_LISTENER (self), FALSE);
  g_return_val_if_fail (self->socket == NULL, FALSE);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_blocking (socket, FALSE);
  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);

  if (self->config.reuse_port)
    {
      if (!bind_reusing_port (socket, address, error))
        return FALSE;
    }
  else if (!g_socket_bind (socket, address, TRUE, error))
    return FALSE;
  g_socket_set_listen_backlog (socket, system_backlog ());
  if (!g_socket_listen (socket, error))
    return FALSE;

  return enr_service_listener_listen_socket (self, socket, error);
}

/**
 * enr_service_listener_listen_socket:
 * @socket: a socket already listening (systemd's socket activation)
 *
 * Accepts the connections of @socket (its backlog is the one it was made
 * with: Backlog= of the socket unit).
 */
gboolean
enr_service_listener_listen_socket (EnrServiceListener  *self,
                                    GSocket             *socket,
                                    GError             **error)
{
  g_return_val_if_fail (ENR_IS_SERVICE_LISTENER (self), FALSE);
  g_return_val_if_fail (G_IS_SOCKET (socket), FALSE);
  g_return_val_if_fail (self->socket == NULL, FALSE);

  g_socket_set_blocking (socket, FALSE);
  fit_descriptor_limit (self);
  self->socket = g_object_ref (socket);
  start_accepting (self);
  if (self->sweep_id == 0)
    self->sweep_id = g_timeout_add (SWEEP_MS, on_sweep_cb, self);

  return TRUE;
}

/* For the connections accepted from now on (a renewed certificate); the
 * ones open keep theirs. */
void
enr_service_listener_set_certificate (EnrServiceListener *self,
                                      GTlsCertificate    *certificate)
{
  g_return_if_fail (ENR_IS_SERVICE_LISTENER (self));
  g_return_if_fail (G_IS_TLS_CERTIFICATE (certificate));
  g_return_if_fail (self->certificate != NULL);

  g_set_object (&self->certificate, certificate);
}

GSocketAddress *
enr_service_listener_get_address (EnrServiceListener *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_LISTENER (self), NULL);

  if (self->socket == NULL)
    return NULL;

  return g_socket_get_local_address (self->socket, NULL);
}

gboolean
enr_service_listener_is_tls (EnrServiceListener *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_LISTENER (self), FALSE);

  return self->certificate != NULL;
}

guint
enr_service_listener_get_n_connections (EnrServiceListener *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_LISTENER (self), 0);

  return g_hash_table_size (self->connections);
}

guint
enr_service_listener_get_max_connections (EnrServiceListener *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_LISTENER (self), 0);

  return self->max_connections;
}

/* Stops accepting and closes every connection. */
void
enr_service_listener_close (EnrServiceListener *self)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer connection;

  g_return_if_fail (ENR_IS_SERVICE_LISTENER (self));

  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  g_clear_handle_id (&self->resume_id, g_source_remove);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &connection, NULL))
    g_ptr_array_add (open, g_object_ref (connection));
  for (guint i = 0; i < open->len; i++)
    enr_service_connection_close (g_ptr_array_index (open, i));
}

static void
enr_service_listener_dispose (GObject *object)
{
  EnrServiceListener *self = (EnrServiceListener *)object;

  if (self->connections != NULL)
    enr_service_listener_close (self);
  if (self->soup != NULL)
    {
      g_clear_signal_handler (&self->started_id, self->soup);
      g_clear_signal_handler (&self->finished_id, self->soup);
      g_clear_signal_handler (&self->aborted_id, self->soup);
    }
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (enr_service_listener_parent_class)->dispose (object);
}

static void
enr_service_listener_finalize (GObject *object)
{
  EnrServiceListener *self = (EnrServiceListener *)object;

  g_clear_object (&self->certificate);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_pointer (&self->refusing, g_hash_table_unref);

  G_OBJECT_CLASS (enr_service_listener_parent_class)->finalize (object);
}

static void
enr_service_listener_class_init (EnrServiceListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = enr_service_listener_dispose;
  object_class->finalize = enr_service_listener_finalize;
}

static void
enr_service_listener_init (EnrServiceListener *self)
{
  enr_service_net_config_init (&self->config);
  self->connections = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->refusing = g_hash_table_new (NULL, NULL);
}

EnrServiceListener *
enr_service_listener_new (SoupServer                *soup,
                          const EnrServiceNetConfig *config,
                          GTlsCertificate           *certificate)
{
  EnrServiceListener *self;

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);

  self = g_object_new (ENR_TYPE_SERVICE_LISTENER, NULL);
  self->soup = g_object_ref (soup);
  if (config != NULL)
    self->config = *config;
  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  self->max_connections = MAX (self->config.max_connections, 1);
  self->max_refusing = REFUSING_MAX;

  self->started_id = g_signal_connect (soup, "request-started", G_CALLBACK (on_request_started_cb), self);
  self->finished_id = g_signal_connect (soup, "request-finished", G_CALLBACK (on_request_finished_cb), self);
  self->aborted_id = g_signal_connect (soup, "request-aborted", G_CALLBACK (on_request_aborted_cb), self);

  return self;
}

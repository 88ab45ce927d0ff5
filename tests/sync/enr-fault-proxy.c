/* enr-fault-proxy.c — a TCP proxy that injects faults into HTTP/1.1 exchanges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "enr-fault-proxy.h"

#define READ_CHUNK  (16 * 1024)
#define MAX_MESSAGE (64 * 1024 * 1024)

struct _FaultProxy
{
  gint            refs;
  GSocketService *service;
  guint16         port;
  guint16         upstream_port;

  GMutex          mutex;
  GRand          *rand;
  double          rate;
  guint           requests;
  guint           counts[N_FAULTS];
};

/* How often each fault is chosen, relative to the others. */
static const guint weights[N_FAULTS] = {
  [FAULT_NONE] = 0,
  [FAULT_DELAY] = 3,
  [FAULT_RESET_BEFORE] = 2,
  [FAULT_DROP_AFTER] = 3,
  [FAULT_RESET_AFTER] = 2,
  [FAULT_TRUNCATE] = 2,
  [FAULT_500_AFTER] = 2,
  [FAULT_503] = 2,
  [FAULT_429] = 1,
};

const char *
fault_kind_name (FaultKind kind)
{
  static const char * const names[N_FAULTS] = {
    "none", "delay", "reset-before", "drop-after", "reset-after", "truncate",
    "500-after", "503", "429",
  };

  return kind < N_FAULTS ? names[kind] : "?";
}

static FaultKind
choose_fault (FaultProxy *proxy,
              guint      *delay_ms)
{
  FaultKind kind = FAULT_NONE;
  guint total = 0;

  for (guint i = 0; i < N_FAULTS; i++)
    total += weights[i];

  g_mutex_lock (&proxy->mutex);
  proxy->requests++;
  if (g_rand_double (proxy->rand) < proxy->rate)
    {
      guint pick = (guint) g_rand_int_range (proxy->rand, 0, (gint32) total);

      for (guint i = 0; i < N_FAULTS; i++)
        {
          if (pick < weights[i])
            {
              kind = i;
              break;
            }
          pick -= weights[i];
        }

      /* Until every kind has come once, a kind that has not comes
       * instead, so that a test can rely on seeing each (by weight
       * alone the rarest was missing from one run in about 1,800). */
      for (guint i = FAULT_NONE + 1; i < N_FAULTS; i++)
        if (proxy->counts[i] == 0 && proxy->counts[kind] > 0)
          {
            kind = i;
            break;
          }
    }
  proxy->counts[kind]++;
  *delay_ms = (guint) g_rand_int_range (proxy->rand, 20, 200);
  g_mutex_unlock (&proxy->mutex);

  return kind;
}

/* HTTP framing */

static gssize
find_head_end (GByteArray *buffer)
{
  for (guint i = 3; i < buffer->len; i++)
    if (buffer->data[i - 3] == '\r' && buffer->data[i - 2] == '\n' &&
        buffer->data[i - 1] == '\r' && buffer->data[i] == '\n')
      return i + 1;

  return -1;
}

/* The Content-Length of a head; 0 when there is none. FALSE for framing
 * this proxy does not handle (chunked). */
static gboolean
body_length (const char *head,
             gsize       head_length,
             gboolean    response,
             gsize      *length)
{
  g_autofree char *text = g_strndup (head, head_length);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  *length = 0;

  if (response && lines[0] != NULL &&
      (strstr (lines[0], " 204 ") != NULL || strstr (lines[0], " 304 ") != NULL ||
       g_str_has_suffix (lines[0], " 204") || g_str_has_suffix (lines[0], " 304")))
    return TRUE;

  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;

      if (colon == NULL)
        continue;
      name = g_strndup (lines[i], colon - lines[i]);

      if (g_ascii_strcasecmp (name, "Content-Length") == 0)
        {
          guint64 value;
          g_autofree char *number = g_strstrip (g_strdup (colon + 1));

          if (!g_ascii_string_to_unsigned (number, 10, 0, MAX_MESSAGE, &value, NULL))
            return FALSE;
          *length = value;
        }
      else if (g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
        return FALSE;
    }

  return TRUE;
}

/* Reads one whole message into @message; what follows stays in @buffer. */
static gboolean
read_message (GInputStream  *stream,
              GByteArray    *buffer,
              gboolean       response,
              GBytes       **message,
              gsize         *head_length)
{
  guint8 chunk[READ_CHUNK];
  gssize end = -1;
  gsize length = 0;

  while ((end = find_head_end (buffer)) < 0)
    {
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, NULL, NULL);

      if (n <= 0 || buffer->len > MAX_MESSAGE)
        return FALSE;
      g_byte_array_append (buffer, chunk, n);
    }

  if (!body_length ((const char *) buffer->data, end, response, &length))
    return FALSE;

  while (buffer->len < end + length)
    {
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, NULL, NULL);

      if (n <= 0)
        return FALSE;
      g_byte_array_append (buffer, chunk, n);
    }

  *message = g_bytes_new (buffer->data, end + length);
  *head_length = end;
  g_byte_array_remove_range (buffer, 0, end + length);

  return TRUE;
}

static gboolean
write_all (GOutputStream *stream,
           const void    *data,
           gsize          length)
{
  return g_output_stream_write_all (stream, data, length, NULL, NULL, NULL);
}

static void
reset_connection (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  struct linger linger = { 1, 0 };

  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

static gboolean
write_problem (GOutputStream *stream,
               guint          status,
               const char    *reason,
               const char    *retry_after)
{
  g_autofree char *body = g_strdup_printf ("{\"type\":\"https://enrollment-desk.invalid/problems/injected\","
                                           "\"title\":\"Injected fault\",\"status\":%u}", status);
  g_autofree char *head = NULL;

  head = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: application/problem+json\r\n"
                          "%s%s%sContent-Length: %zu\r\n\r\n",
                          status, reason,
                          retry_after != NULL ? "Retry-After: " : "",
                          retry_after != NULL ? retry_after : "",
                          retry_after != NULL ? "\r\n" : "",
                          strlen (body));

  return write_all (stream, head, strlen (head)) && write_all (stream, body, strlen (body));
}

static GSocketConnection *
connect_upstream (FaultProxy *proxy)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  return g_socket_client_connect_to_host (client, "127.0.0.1", proxy->upstream_port, NULL, NULL);
}

static void
proxy_unref (FaultProxy *proxy)
{
  if (!g_atomic_int_dec_and_test (&proxy->refs))
    return;

  g_clear_pointer (&proxy->rand, g_rand_free);
  g_mutex_clear (&proxy->mutex);
  g_free (proxy);
}

static gboolean
on_run_cb (GThreadedSocketService *service,
           GSocketConnection      *connection,
           GObject                *source_object,
           gpointer                user_data)
{
  FaultProxy *proxy = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GByteArray) client_buffer = g_byte_array_new ();
  g_autoptr(GByteArray) upstream_buffer = g_byte_array_new ();
  g_autoptr(GSocketConnection) upstream = NULL;

  g_atomic_int_inc (&proxy->refs);

  for (;;)
    {
      g_autoptr(GBytes) request = NULL;
      g_autoptr(GBytes) response = NULL;
      gsize head_length, size;
      const guint8 *data;
      guint delay_ms;
      FaultKind fault;

      if (!read_message (in, client_buffer, FALSE, &request, &head_length))
        break;

      fault = choose_fault (proxy, &delay_ms);

      if (fault == FAULT_RESET_BEFORE)
        {
          reset_connection (connection);
          break;
        }
      if (fault == FAULT_503)
        {
          if (!write_problem (out, 503, "Service Unavailable", "0"))
            break;
          continue;
        }
      if (fault == FAULT_429)
        {
          if (!write_problem (out, 429, "Too Many Requests", "1"))
            break;
          continue;
        }

      if (upstream == NULL && !(upstream = connect_upstream (proxy)))
        break;

      data = g_bytes_get_data (request, &size);
      if (!write_all (g_io_stream_get_output_stream (G_IO_STREAM (upstream)), data, size) ||
          !read_message (g_io_stream_get_input_stream (G_IO_STREAM (upstream)), upstream_buffer, TRUE,
                         &response, &head_length))
        {
          /* The service closed an idle connection: say so to the client. */
          g_clear_object (&upstream);
          g_byte_array_set_size (upstream_buffer, 0);
          reset_connection (connection);
          break;
        }

      data = g_bytes_get_data (response, &size);

      if (fault == FAULT_DROP_AFTER)
        {
          g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
          break;
        }
      if (fault == FAULT_RESET_AFTER)
        {
          reset_connection (connection);
          break;
        }
      if (fault == FAULT_TRUNCATE)
        {
          write_all (out, data, head_length + (size - head_length) / 2);
          g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
          break;
        }
      if (fault == FAULT_500_AFTER)
        {
          if (!write_problem (out, 500, "Internal Server Error", NULL))
            break;
          continue;
        }
      if (fault == FAULT_DELAY)
        g_usleep (delay_ms * 1000);

      if (!write_all (out, data, size))
        break;
    }

  if (upstream != NULL)
    g_io_stream_close (G_IO_STREAM (upstream), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  proxy_unref (proxy);

  return TRUE;
}

FaultProxy *
fault_proxy_new (guint16   upstream_port,
                 guint32   seed,
                 GError  **error)
{
  FaultProxy *proxy = g_new0 (FaultProxy, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  proxy->refs = 1;
  g_mutex_init (&proxy->mutex);
  proxy->rand = g_rand_new_with_seed (seed);
  proxy->upstream_port = upstream_port;
  proxy->service = g_threaded_socket_service_new (64);
  g_signal_connect (proxy->service, "run", G_CALLBACK (on_run_cb), proxy);

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &bound, error))
    {
      fault_proxy_free (proxy);
      return NULL;
    }

  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_service_start (proxy->service);

  return proxy;
}

guint16
fault_proxy_get_port (FaultProxy *proxy)
{
  return proxy->port;
}

char *
fault_proxy_get_url (FaultProxy *proxy)
{
  return g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
}

void
fault_proxy_set_rate (FaultProxy *proxy,
                      double      rate)
{
  g_mutex_lock (&proxy->mutex);
  proxy->rate = rate;
  g_mutex_unlock (&proxy->mutex);
}

guint
fault_proxy_get_count (FaultProxy *proxy,
                       FaultKind   kind)
{
  guint count;

  g_mutex_lock (&proxy->mutex);
  count = proxy->counts[kind];
  g_mutex_unlock (&proxy->mutex);

  return count;
}

guint
fault_proxy_get_requests (FaultProxy *proxy)
{
  guint requests;

  g_mutex_lock (&proxy->mutex);
  requests = proxy->requests;
  g_mutex_unlock (&proxy->mutex);

  return requests;
}

/* Stops accepting; a connection still open keeps the proxy until its
 * client goes. */
void
fault_proxy_free (FaultProxy *proxy)
{
  if (proxy == NULL)
    return;

  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_clear_object (&proxy->service);
  proxy_unref (proxy);
}

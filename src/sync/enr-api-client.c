/* enr-api-client.c — the client of the enrollment service's /v1 API
 *
 * The object, its settings, and the requests: sending, reading the answer
 * up to a size, decoding it in a thread, errors. The calls for each
 * endpoint are in enr-api-client-endpoints.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "enr-api-client-private.h"
#include "enr-backoff.h"

#define READ_CHUNK (64 * 1024)

/* The I/O priority of soup_session_send_async(): one above libsoup's
 * queue, which runs at G_PRIORITY_DEFAULT. libsoup 3.2 resends a GET or
 * PUT whose reused connection closed before any byte of the answer; when the
 * failed read ended in the iteration that started it, its callback waits
 * in an idle of this priority. At G_PRIORITY_DEFAULT the queue could
 * resend first, and libsoup then took that stale failure for the resent
 * request: it ended the request with the failure and tore down the resent
 * one's I/O, whose own callback crashed (soup-session.c,
 * run_until_read_done()). See "libsoup's restart race" in
 * docs/architecture.md. */
#define SEND_PRIORITY (G_PRIORITY_DEFAULT - 1)

/* TCP keepalive on every connection to the service: after this many
 * seconds without traffic the kernel probes the peer, then every
 * KEEPALIVE_INTERVAL; KEEPALIVE_COUNT probes unanswered end the
 * connection. A service host that went silent (no reset, no FIN) fails
 * a waiting request about four seconds after its last word, while the
 * service process never wakes for a probe. */
#define KEEPALIVE_IDLE     2
#define KEEPALIVE_INTERVAL 1
#define KEEPALIVE_COUNT    2

struct _EnrApiClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *token;
  char        *user_agent;
  guint        deadline;       /* seconds; see enr_api_client_set_deadline() */
  guint        renewals;       /* sessions replaced, see renew_session() */
};

G_DEFINE_FINAL_TYPE (EnrApiClient, enr_api_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_TIMEOUT,
  PROP_DEADLINE,
  PROP_TLS_DATABASE,
  PROP_USER_AGENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  SoupMessage           *msg;
  /* What libsoup gets: cancelled by the caller's cancellable or by the
   * deadline. */
  GCancellable          *cancellable;
  GCancellable          *caller_cancellable;
  gulong                 caller_cancelled_id;
  GSource               *cancel_source;
  GSource               *deadline_source;
  guint                  deadline;
  gboolean               started;       /* libsoup sent it on a connection */
  gboolean               decoding;      /* decode_thread() decodes its response */
  GThread               *thread;        /* that made it (not a reference) */
  /* Returned to the caller before libsoup was done with it (deadline,
   * caller's cancel): libsoup's late callback only lets go of the task. */
  gboolean               returned;
  GTask                 *task;          /* not a reference */
  SoupSession           *session;       /* what it was sent on */
  GInputStream          *stream;
  GByteArray            *buffer;
  gsize                  max_size;
  DecodeFunc             decode;
  gpointer               decode_data;
  GDestroyNotify         result_free;
  EnrApiProblem         *problem;
  EnrApiResponse        *response;
  GTlsCertificateFlags   tls_errors;
} Request;

static void
request_stop_deadline (Request *request)
{
  if (request->deadline_source != NULL)
    {
      g_source_destroy (request->deadline_source);
      g_clear_pointer (&request->deadline_source, g_source_unref);
    }
}

static void
request_free (Request *request)
{
  /* libsoup's objects and the sources belong to the request's thread. */
  if (request->thread != g_thread_self ())
    g_critical ("An API request was freed off the thread that made it");

  request_stop_deadline (request);
  if (request->cancel_source != NULL)
    {
      g_source_destroy (request->cancel_source);
      g_clear_pointer (&request->cancel_source, g_source_unref);
    }
  /* Not g_cancellable_disconnect(): this can run inside the caller's
   * cancellable's own emission (a cancel completes the request at once),
   * where that would wait for itself. Requests live on one thread. */
  if (request->caller_cancelled_id != 0)
    g_signal_handler_disconnect (request->caller_cancellable, request->caller_cancelled_id);
  g_clear_object (&request->caller_cancellable);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->session);
  if (request->msg != NULL)
    g_signal_handlers_disconnect_by_data (request->msg, request);
  g_clear_object (&request->msg);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->buffer, g_byte_array_unref);
  g_clear_pointer (&request->problem, enr_api_problem_free);
  g_clear_pointer (&request->response, enr_api_response_free);
  g_free (request);
}

void
enr_api_response_free (EnrApiResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->body);
  g_free (response->location);
  g_free (response);
}

/* Errors */

/**
 * enr_api_error_from_status:
 * @status: an HTTP status that is not 2xx
 *
 * Returns: the error code for @status
 */
EnrApiError
enr_api_error_from_status (guint status)
{
  switch (status)
    {
    case 401:
      return ENR_API_ERROR_UNAUTHORIZED;
    case 403:
      return ENR_API_ERROR_FORBIDDEN;
    case 404:
      return ENR_API_ERROR_NOT_FOUND;
    case 408:
      return ENR_API_ERROR_TIMEOUT;
    case 409:
      return ENR_API_ERROR_CONFLICT;
    case 410:
      return ENR_API_ERROR_GONE;
    case 412:
      return ENR_API_ERROR_PRECONDITION_FAILED;
    case 413:
      return ENR_API_ERROR_TOO_LARGE;
    case 428:
      return ENR_API_ERROR_PRECONDITION_REQUIRED;
    case 429:
      return ENR_API_ERROR_RATE_LIMITED;
    default:
      break;
    }

  if (status >= 500 && status <= 599)
    return ENR_API_ERROR_SERVER;
  if (status >= 400 && status <= 499)
    return ENR_API_ERROR_INVALID;

  return ENR_API_ERROR_PROTOCOL;
}

/**
 * enr_api_error_is_transient:
 *
 * Returns: %TRUE for failures worth retrying later with the same request:
 *   the network, a timeout, 429, 5xx, and a response this client could
 *   not read (a write may have landed; its replay tells)
 */
gboolean
enr_api_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != ENR_API_ERROR)
    return FALSE;

  switch ((EnrApiError) error->code)
    {
    case ENR_API_ERROR_NETWORK:
    case ENR_API_ERROR_TLS:
    case ENR_API_ERROR_TIMEOUT:
    case ENR_API_ERROR_RATE_LIMITED:
    case ENR_API_ERROR_SERVER:
    case ENR_API_ERROR_PROTOCOL:
      return TRUE;
    case ENR_API_ERROR_UNAUTHORIZED:
    case ENR_API_ERROR_FORBIDDEN:
    case ENR_API_ERROR_NOT_FOUND:
    case ENR_API_ERROR_CONFLICT:
    case ENR_API_ERROR_PRECONDITION_FAILED:
    case ENR_API_ERROR_PRECONDITION_REQUIRED:
    case ENR_API_ERROR_GONE:
    case ENR_API_ERROR_INVALID:
    case ENR_API_ERROR_TOO_LARGE:
    default:
      return FALSE;
    }
}

/* Why the service's certificate was refused, for a clerk: the first
 * problem that tells the most. */
static char *
describe_certificate_errors (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return g_strdup (_("The service’s certificate was issued for another address. Check the service address; if it is right, tell your administrator."));

  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return g_strdup (_("The service’s certificate has expired. Tell your administrator."));

  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return g_strdup (_("The service’s certificate is not valid yet. Check this computer’s date and time."));

  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return g_strdup (_("The service’s certificate has been revoked. Tell your administrator."));

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return g_strdup (_("The service’s certificate is not trusted by this computer. Ask your administrator for the certificate authority file and choose it in Preferences."));

  return g_strdup (_("The secure connection to the service cannot be verified. Tell your administrator."));
}

/* @request's tls_errors: what the TLS layer found wrong with the
 * service's certificate during it, 0 when nothing */
static GError *
transport_error (Request *request,
                 GError  *error)
{
  GTlsCertificateFlags tls_errors = request->tls_errors;
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (tls_errors != 0 || g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      g_autofree char *text = describe_certificate_errors (tls_errors);

      mapped = g_error_new_literal (ENR_API_ERROR, ENR_API_ERROR_TLS, text);
    }
  else if (error->domain == G_TLS_ERROR)
    mapped = g_error_new (ENR_API_ERROR, ENR_API_ERROR_TLS,
                          _("The secure connection to the service failed: %s"), error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    mapped = g_error_new (ENR_API_ERROR, ENR_API_ERROR_TIMEOUT,
                          _("The service did not answer in time."));
  else if (error->domain == SOUP_SESSION_ERROR &&
           (error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING))
    mapped = g_error_new (ENR_API_ERROR, ENR_API_ERROR_PROTOCOL,
                          _("The service sent an unreadable response: %s"), error->message);
  else
    mapped = g_error_new (ENR_API_ERROR, ENR_API_ERROR_NETWORK,
                          _("The service cannot be reached: %s"), error->message);

  return mapped;
}

/* Base URL */

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize length = strlen (host);

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  if (length > 2 && host[0] == '[' && host[length - 1] == ']')
    bare = g_strndup (host + 1, length - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static char *
normalize_base_url (const char  *base_url,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme, *host;
  g_autofree char *trimmed = NULL;

  if (base_url == NULL ||
      !(uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, &local_error)))
    {
      g_set_error (error, ENR_API_ERROR, ENR_API_ERROR_INVALID,
                   _("“%s” is not a service address: %s"), base_url != NULL ? base_url : "",
                   local_error != NULL ? local_error->message : _("none given"));
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (host == NULL || host[0] == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, ENR_API_ERROR, ENR_API_ERROR_INVALID,
                   _("“%s” is not a service address: use https://host[:port][/path]"), base_url);
      return NULL;
    }

  /* Plain HTTP carries the bearer token in the clear: loopback only. */
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !is_loopback_host (host))
    {
      g_set_error (error, ENR_API_ERROR, ENR_API_ERROR_INVALID,
                   _("The service at “%s” must be reached over HTTPS; plain HTTP is only for this computer."),
                   base_url);
      return NULL;
    }

  trimmed = g_strdup (base_url);
  while (g_str_has_suffix (trimmed, "/") && strlen (trimmed) > strlen (scheme) + 3)
    trimmed[strlen (trimmed) - 1] = '\0';

  return g_steal_pointer (&trimmed);
}

/* Requests */

static void
complete_with_error (GTask  *task,
                     GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (request->returned)
    g_error_free (error);
  else
    {
      request->returned = TRUE;
      g_task_return_error (task, error);
    }
  g_object_unref (task);
}

/* libsoup's callback for a request already returned: nothing to do but
 * let go of the task (and @error). */
static gboolean
abandoned (GTask  *task,
           GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (!request->returned)
    return FALSE;

  if (error != NULL)
    g_error_free (error);
  g_object_unref (task);
  return TRUE;
}

/* The decode runs on a thread under a task of its own (no source object,
 * no data to free), whose callback returns the request's task here.
 * Running the request's task itself in the thread would let GTask drop
 * the thread's reference after queueing the callback, racing the
 * callback's: the request (libsoup's message, stream and session with
 * it) could be freed on the decode thread while this thread uses
 * libsoup. */
static void
decode_thread (GTask        *decode_task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Request *request = task_data;   /* the request's task holds it */
  GError *error = NULL;
  gpointer result;

  result = request->decode (request->response->body, request->response->length,
                            request->decode_data, &error);
  if (result == NULL)
    g_task_return_error (decode_task, error);
  else
    g_task_return_pointer (decode_task, result, request->result_free);
}

static void
on_decoded_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer decoded;

  decoded = g_task_propagate_pointer (G_TASK (result), &error);
  if (decoded == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, decoded, request->result_free);
  g_object_unref (task);
}

static void
complete_success (GTask   *task,
                  Request *request)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->msg);
  EnrApiResponse *response = g_new0 (EnrApiResponse, 1);
  const char *replayed;
  GTask *decode_task;

  response->status = soup_message_get_status (request->msg);
  response->length = request->buffer->len;
  g_byte_array_append (request->buffer, (const guint8 *) "", 1);
  response->body = (char *) g_byte_array_free (g_steal_pointer (&request->buffer), FALSE);
  response->version = -1;
  enr_api_parse_etag (soup_message_headers_get_one (headers, "ETag"), &response->version);
  response->location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  replayed = soup_message_headers_get_one (headers, "Idempotent-Replayed");
  response->replayed = replayed != NULL && g_ascii_strcasecmp (replayed, "true") == 0;

  if (request->decode == NULL)
    {
      request->returned = TRUE;
      g_task_return_pointer (task, response, (GDestroyNotify) enr_api_response_free);
      g_object_unref (task);
      return;
    }

  request->response = response;
  request->decoding = TRUE;
  request->returned = TRUE;
  /* on_decoded_cb() takes this function's reference of @task. */
  decode_task = g_task_new (NULL, NULL, on_decoded_cb, task);
  g_task_set_source_tag (decode_task, complete_success);
  g_task_set_task_data (decode_task, request, NULL);
  g_task_run_in_thread (decode_task, decode_thread);
  g_object_unref (decode_task);
}

static void
complete_failure (GTask   *task,
                  Request *request)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->msg);
  guint status = soup_message_get_status (request->msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autofree char *message = NULL;
  EnrApiError code = enr_api_error_from_status (status);
  guint retry_after = 0;

  if (request->buffer->len > 0 && content_type != NULL && g_str_has_suffix (content_type, "json"))
    problem = enr_api_decode_problem ((const char *) request->buffer->data, request->buffer->len, NULL);
  if (problem == NULL)
    {
      problem = enr_api_problem_new (status);
      problem->title = g_strdup (soup_message_get_reason_phrase (request->msg));
    }
  problem->status = status;

  if (enr_backoff_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                                     now, &retry_after))
    problem->retry_after = retry_after;

  if (status >= 300 && status < 400)
    message = g_strdup_printf (_("The service answered with an unexpected status %u."), status);
  else
    message = enr_api_problem_describe (problem);

  request->problem = g_steal_pointer (&problem);
  complete_with_error (task, g_error_new_literal (ENR_API_ERROR, code, message));
}

static void
complete (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  guint status = soup_message_get_status (request->msg);

  if (status >= 200 && status < 300)
    complete_success (task, request);
  else
    complete_failure (task, request);
}

static void
on_read_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source_object), result, &error);
  if (abandoned (task, error))
    return;
  if (bytes == NULL)
    {
      GError *mapped = transport_error (request, error);

      g_error_free (error);
      complete_with_error (task, mapped);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      g_input_stream_close (request->stream, NULL, NULL);
      complete (task);
      return;
    }

  if (request->buffer->len + size > request->max_size)
    {
      complete_with_error (task, g_error_new (ENR_API_ERROR, ENR_API_ERROR_PROTOCOL,
                                              _("The service sent a response larger than %zu bytes."),
                                              request->max_size));
      return;
    }

  g_byte_array_append (request->buffer, g_bytes_get_data (bytes, NULL), size);
  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   request->cancellable, on_read_cb, task);
}

static void
on_sent_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;
  guint status;
  goffset length;

  request->stream = soup_session_send_finish (SOUP_SESSION (source_object), result, &error);
  if (abandoned (task, error))
    return;
  /* The response's head is in: the body's reads have the session's I/O
   * timeout. */
  request_stop_deadline (request);
  if (request->stream == NULL)
    {
      GError *mapped = transport_error (request, error);

      g_error_free (error);
      complete_with_error (task, mapped);
      return;
    }

  status = soup_message_get_status (request->msg);
  if (status < 200 || status >= 300)
    request->max_size = MIN (request->max_size, ENR_API_MAX_PROBLEM);

  headers = soup_message_get_response_headers (request->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (length = soup_message_headers_get_content_length (headers)) > (goffset) request->max_size)
    {
      complete_with_error (task, g_error_new (ENR_API_ERROR, ENR_API_ERROR_PROTOCOL,
                                              _("The service sent a response larger than %zu bytes."),
                                              request->max_size));
      return;
    }

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   request->cancellable, on_read_cb, task);
}

/* Only called for a certificate the TLS layer refused: noted, still refused. */
static gboolean
on_accept_certificate_cb (SoupMessage          *msg,
                          GTlsCertificate      *certificate,
                          GTlsCertificateFlags  errors,
                          gpointer              user_data)
{
  Request *request = user_data;

  request->tls_errors |= errors;
  return FALSE;
}

/* Each new connection to the service gets TCP keepalive (KEEPALIVE_*). */
static void
on_network_event_cb (SoupMessage        *msg,
                     GSocketClientEvent  event,
                     GIOStream          *connection,
                     gpointer            user_data)
{
  GSocket *socket;

  if (event != G_SOCKET_CLIENT_CONNECTED || !G_IS_SOCKET_CONNECTION (connection))
    return;

  socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection));
  if (g_socket_get_protocol (socket) != G_SOCKET_PROTOCOL_TCP)
    return;

  g_socket_set_keepalive (socket, TRUE);
  if (!g_socket_set_option (socket, IPPROTO_TCP, TCP_KEEPIDLE, KEEPALIVE_IDLE, NULL) ||
      !g_socket_set_option (socket, IPPROTO_TCP, TCP_KEEPINTVL, KEEPALIVE_INTERVAL, NULL) ||
      !g_socket_set_option (socket, IPPROTO_TCP, TCP_KEEPCNT, KEEPALIVE_COUNT, NULL))
    g_debug ("TCP keepalive times could not be set; the system's apply");
}

/* libsoup resends an idempotent message whose reused connection failed;
 * the body stream it already consumed must start over (libsoup 3.2 would
 * otherwise send what is left of it under the same Idempotency-Key). */
static void
on_restarted_cb (SoupMessage *msg,
                 gpointer     user_data)
{
  GBytes *body = user_data;

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
}

static void
unref_body (gpointer  data,
            GClosure *closure)
{
  g_bytes_unref (data);
}

/* libsoup 3.2 leaves a request that waits for a connection (every one
 * to the host busy) in its queue until one is free, whatever its
 * cancellable says: a request given up (its deadline, its caller's
 * cancel) is returned to the caller at once, and libsoup's callback
 * comes when libsoup is done with it. */
static void
request_give_up (Request *request,
                 GError  *error)
{
  g_assert (!request->returned && !request->decoding);

  request->returned = TRUE;
  request_stop_deadline (request);
  g_cancellable_cancel (request->cancellable);
  g_task_return_error (request->task, error);
}

/* The caller's cancel: returned from the main loop, not from inside
 * g_cancellable_cancel(). */
static gboolean
on_cancel_idle_cb (gpointer user_data)
{
  Request *request = user_data;

  g_clear_pointer (&request->cancel_source, g_source_unref);
  if (!request->returned && !request->decoding)
    {
      GError *error = NULL;

      g_cancellable_set_error_if_cancelled (request->caller_cancellable, &error);
      request_give_up (request, error);
    }

  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled_cb (GCancellable *caller,
                        gpointer      user_data)
{
  Request *request = user_data;

  g_cancellable_cancel (request->cancellable);
  if (request->cancel_source != NULL || request->returned)
    return;

  request->cancel_source = g_idle_source_new ();
  g_source_set_name (request->cancel_source, "[enr] API request cancelled");
  g_source_set_callback (request->cancel_source, on_cancel_idle_cb, request, NULL);
  g_source_attach (request->cancel_source, g_main_context_get_thread_default ());
}

/* @tls_database: (nullable): the one to trust; %NULL for libsoup's default */
static SoupSession *
new_session (EnrApiClient *self,
             GTlsDatabase *tls_database)
{
  SoupSession *session;

  session = soup_session_new_with_options ("user-agent", self->user_agent,
                                           "timeout", self->session != NULL
                                                      ? soup_session_get_timeout (self->session)
                                                      : ENR_API_DEFAULT_TIMEOUT,
                                           "idle-timeout", ENR_API_DEFAULT_IDLE_TIMEOUT,
                                           "max-conns", ENR_API_MAX_CONNECTIONS * 2,
                                           "max-conns-per-host", ENR_API_MAX_CONNECTIONS,
                                           NULL);
  if (tls_database != NULL)
    soup_session_set_tls_database (session, tls_database);

  return session;
}

/* A request that never got a connection within its deadline: the
 * session's connections are all taken, by requests that may never end.
 * The requests from now on go to a new session; those under way on the
 * old one go on there (it lives until the last of them ends). */
static void
renew_session (EnrApiClient *self,
               SoupSession  *stuck)
{
  SoupSession *old = self->session;

  if (stuck != self->session)
    return;

  self->session = new_session (self, soup_session_get_tls_database (old));
  self->renewals++;
  g_debug ("No connection came free within a request's deadline: new HTTP session (%u so far)",
           self->renewals);
  g_object_unref (old);
}

static gboolean
on_deadline_cb (gpointer user_data)
{
  Request *request = user_data;
  EnrApiClient *client = g_task_get_source_object (request->task);
  GError *error;

  g_clear_pointer (&request->deadline_source, g_source_unref);
  g_debug ("%s %s: no answer within %u s (%s); given up",
           soup_message_get_method (request->msg),
           g_uri_get_path (soup_message_get_uri (request->msg)), request->deadline,
           request->started ? "sent" : "still waiting for a connection");

  if (request->started)
    error = g_error_new (ENR_API_ERROR, ENR_API_ERROR_TIMEOUT,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "The service did not answer within %u second.",
                                      "The service did not answer within %u seconds.",
                                      request->deadline),
                         request->deadline);
  else
    error = g_error_new (ENR_API_ERROR, ENR_API_ERROR_TIMEOUT,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "No connection to the service could be used within %u second.",
                                      "No connection to the service could be used within %u seconds.",
                                      request->deadline),
                         request->deadline);
  if (!request->started)
    renew_session (client, request->session);
  request_give_up (request, error);

  return G_SOURCE_REMOVE;
}

static void
on_starting_cb (SoupMessage *msg,
                gpointer     user_data)
{
  Request *request = user_data;

  request->started = TRUE;
}

/* The deadline runs from now until the response's head is in: the wait
 * for a connection (libsoup queues a request while every connection to
 * the host is busy, and has no timeout of its own for that), connecting,
 * sending, and the service's work. */
static void
request_start_deadline (Request *request,
                        guint    seconds)
{
  if (seconds == 0)
    return;

  request->deadline = seconds;
  /* Not g_timeout_source_new_seconds(): that may fire up to a second
   * early. */
  request->deadline_source = g_timeout_source_new (seconds * 1000);
  g_source_set_name (request->deadline_source, "[enr] API request deadline");
  g_source_set_callback (request->deadline_source, on_deadline_cb, request, NULL);
  g_source_attach (request->deadline_source, g_main_context_get_thread_default ());
}

void
_enr_api_client_request_async (EnrApiClient        *self,
                               const char          *method,
                               const char          *path,
                               const char          *idempotency_key,
                               gint64               if_match,
                               const char          *body,
                               gsize                max_size,
                               DecodeFunc           decode,
                               gpointer             decode_data,
                               GDestroyNotify       result_free,
                               gpointer             source_tag,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _enr_api_client_request_hold_async (self, method, path, idempotency_key, if_match, body, 0,
                                      max_size, decode, decode_data, result_free, source_tag,
                                      cancellable, callback, user_data);
}

/*
 * _enr_api_client_request_hold_async:
 * @hold: how long the service may hold the request before it answers
 *   (a long poll), in seconds: added to the deadline
 */
void
_enr_api_client_request_hold_async (EnrApiClient        *self,
                                    const char          *method,
                                    const char          *path,
                                    const char          *idempotency_key,
                                    gint64               if_match,
                                    const char          *body,
                                    guint                hold,
                                    gsize                max_size,
                                    DecodeFunc           decode,
                                    gpointer             decode_data,
                                    GDestroyNotify       result_free,
                                    gpointer             source_tag,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  Request *request;
  SoupMessageHeaders *headers;
  g_autofree char *url = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  request = g_new0 (Request, 1);
  request->thread = g_thread_self ();
  request->task = task;
  request->cancellable = g_cancellable_new ();
  request->buffer = g_byte_array_new ();
  request->max_size = max_size;
  request->decode = decode;
  request->decode_data = decode_data;
  request->result_free = result_free;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (self->base_url == NULL)
    {
      complete_with_error (task, g_error_new_literal (ENR_API_ERROR, ENR_API_ERROR_INVALID,
                                                      _("No enrollment service address is set.")));
      return;
    }

  url = g_strconcat (self->base_url, path, NULL);
  request->msg = soup_message_new (method, url);
  if (request->msg == NULL)
    {
      complete_with_error (task, g_error_new (ENR_API_ERROR, ENR_API_ERROR_INVALID,
                                              _("“%s” is not a valid request address."), url));
      return;
    }

  /* A redirect would carry the token elsewhere: an API never redirects. */
  soup_message_add_flags (request->msg, SOUP_MESSAGE_NO_REDIRECT);
  if (idempotency_key != NULL || g_str_equal (method, "GET") || g_str_equal (method, "PUT"))
    soup_message_add_flags (request->msg, SOUP_MESSAGE_IDEMPOTENT);

  headers = soup_message_get_request_headers (request->msg);
  soup_message_headers_replace (headers, "Accept", "application/json, application/problem+json");
  if (self->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (if_match >= 0)
    {
      g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", if_match);

      soup_message_headers_replace (headers, "If-Match", etag);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (request->msg, "application/json", bytes);
      g_signal_connect_data (request->msg, "restarted", G_CALLBACK (on_restarted_cb),
                             g_bytes_ref (bytes), unref_body, 0);
    }

  g_signal_connect (request->msg, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), request);
  g_signal_connect (request->msg, "network-event", G_CALLBACK (on_network_event_cb), NULL);
  g_signal_connect (request->msg, "starting", G_CALLBACK (on_starting_cb), request);
  if (self->deadline > 0)
    request_start_deadline (request, self->deadline + hold);
  if (cancellable != NULL)
    {
      request->caller_cancellable = g_object_ref (cancellable);
      /* Run at once when @cancellable is cancelled already. */
      request->caller_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled_cb),
                                                            request, NULL);
    }
  request->session = g_object_ref (self->session);
  soup_session_send_async (self->session, request->msg, SEND_PRIORITY, request->cancellable,
                           on_sent_cb, task);
}

gpointer
_enr_api_client_request_finish (EnrApiClient   *self,
                                GAsyncResult   *result,
                                gpointer        source_tag,
                                EnrApiProblem **problem,
                                GError        **error)
{
  Request *request;

  g_return_val_if_fail (ENR_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  request = g_task_get_task_data (G_TASK (result));
  if (problem != NULL)
    *problem = request->problem != NULL ? enr_api_problem_copy (request->problem) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Public: any request */

/**
 * enr_api_client_send_async:
 * @method: the HTTP method
 * @path: the path below the base URL, with its query, e.g. "/v1/service-tasks"
 * @idempotency_key: (nullable): the Idempotency-Key of a write
 * @if_match: the entity version the write is based on, or -1
 * @body: (nullable): a JSON body
 *
 * Sends one request. The response body is read up to
 * %ENR_API_MAX_RESPONSE bytes.
 */
void
enr_api_client_send_async (EnrApiClient        *self,
                           const char          *method,
                           const char          *path,
                           const char          *idempotency_key,
                           gint64               if_match,
                           const char          *body,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (ENR_IS_API_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');

  _enr_api_client_request_async (self, method, path, idempotency_key, if_match, body,
                                 ENR_API_MAX_RESPONSE, NULL, NULL, NULL,
                                 enr_api_client_send_async, cancellable, callback, user_data);
}

/**
 * enr_api_client_send_finish:
 * @problem: (out) (optional) (nullable): the service's problem detail
 *   when it answered with an error status
 *
 * Returns: (transfer full): the 2xx response, or %NULL with @error set
 */
EnrApiResponse *
enr_api_client_send_finish (EnrApiClient   *self,
                            GAsyncResult   *result,
                            EnrApiProblem **problem,
                            GError        **error)
{
  return _enr_api_client_request_finish (self, result, enr_api_client_send_async, problem, error);
}

/* Properties */

const char *
enr_api_client_get_base_url (EnrApiClient *self)
{
  g_return_val_if_fail (ENR_IS_API_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * enr_api_client_set_base_url:
 * @base_url: https://host[:port][/prefix], or http:// on a loopback address
 *
 * Returns: %TRUE when @base_url is acceptable; otherwise %FALSE with
 *   %ENR_API_ERROR_INVALID and the address unchanged
 */
gboolean
enr_api_client_set_base_url (EnrApiClient  *self,
                             const char    *base_url,
                             GError       **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (ENR_IS_API_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(normalized = normalize_base_url (base_url, error)))
    return FALSE;

  if (g_strcmp0 (normalized, self->base_url) != 0)
    {
      g_free (self->base_url);
      self->base_url = g_steal_pointer (&normalized);
      /* Connections to the old address are of no use. */
      soup_session_abort (self->session);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
    }

  return TRUE;
}

const char *
enr_api_client_get_token (EnrApiClient *self)
{
  g_return_val_if_fail (ENR_IS_API_CLIENT (self), NULL);

  return self->token;
}

/**
 * enr_api_client_set_token:
 * @token: (nullable): the bearer token, or %NULL to send none
 *
 * The token is kept in memory only.
 */
void
enr_api_client_set_token (EnrApiClient *self,
                          const char   *token)
{
  g_return_if_fail (ENR_IS_API_CLIENT (self));

  if (g_strcmp0 (token, self->token) == 0)
    return;

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

guint
enr_api_client_get_timeout (EnrApiClient *self)
{
  g_return_val_if_fail (ENR_IS_API_CLIENT (self), 0);

  return soup_session_get_timeout (self->session);
}

/**
 * enr_api_client_set_timeout:
 * @seconds: how long a request may go without I/O progress (0: never
 *   time out, for tests only)
 *
 * Applies to connections opened from now on.
 */
void
enr_api_client_set_timeout (EnrApiClient *self,
                            guint         seconds)
{
  g_return_if_fail (ENR_IS_API_CLIENT (self));

  if (soup_session_get_timeout (self->session) == seconds)
    return;

  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
enr_api_client_get_deadline (EnrApiClient *self)
{
  g_return_val_if_fail (ENR_IS_API_CLIENT (self), 0);

  return self->deadline;
}

/**
 * enr_api_client_set_deadline:
 * @seconds: how long a request may take until the response's head is in,
 *   waiting for a connection included (0: no deadline, for tests only)
 *
 * A request past its deadline fails with %ENR_API_ERROR_TIMEOUT. A long
 * poll's deadline is longer by the time the service may hold it. Applies
 * to requests sent from now on.
 */
void
enr_api_client_set_deadline (EnrApiClient *self,
                             guint         seconds)
{
  g_return_if_fail (ENR_IS_API_CLIENT (self));

  if (self->deadline == seconds)
    return;

  self->deadline = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEADLINE]);
}

/**
 * enr_api_client_set_ca_file:
 * @path: (nullable): a PEM file of the certificate authorities to trust
 *   instead of the system's, or %NULL for the system's
 *
 * Certificates are always verified; this only chooses the anchors.
 */
gboolean
enr_api_client_set_ca_file (EnrApiClient  *self,
                            const char    *path,
                            GError       **error)
{
  g_autoptr(GTlsDatabase) database = NULL;

  g_return_val_if_fail (ENR_IS_API_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (path != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!(database = g_tls_file_database_new (path, &local_error)))
        {
          g_set_error (error, ENR_API_ERROR, ENR_API_ERROR_INVALID,
                       _("The certificate authorities in “%s” cannot be used: %s"),
                       path, local_error->message);
          return FALSE;
        }
    }
  else
    database = g_tls_backend_get_default_database (g_tls_backend_get_default ());

  soup_session_set_tls_database (self->session, database);
  soup_session_abort (self->session);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_DATABASE]);

  return TRUE;
}

/**
 * enr_api_client_get_tls_database:
 *
 * Returns: (transfer none) (nullable): the certificate authorities trusted
 */
GTlsDatabase *
enr_api_client_get_tls_database (EnrApiClient *self)
{
  g_return_val_if_fail (ENR_IS_API_CLIENT (self), NULL);

  return soup_session_get_tls_database (self->session);
}

const char *
enr_api_client_get_user_agent (EnrApiClient *self)
{
  g_return_val_if_fail (ENR_IS_API_CLIENT (self), NULL);

  return self->user_agent;
}

/* GObject */

static void
enr_api_client_finalize (GObject *object)
{
  EnrApiClient *self = (EnrApiClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_free (self->base_url);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_free (self->user_agent);

  G_OBJECT_CLASS (enr_api_client_parent_class)->finalize (object);
}

static void
enr_api_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EnrApiClient *self = ENR_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, enr_api_client_get_timeout (self));
      break;
    case PROP_DEADLINE:
      g_value_set_uint (value, self->deadline);
      break;
    case PROP_TLS_DATABASE:
      g_value_set_object (value, enr_api_client_get_tls_database (self));
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_api_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EnrApiClient *self = ENR_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      enr_api_client_set_token (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      enr_api_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_DEADLINE:
      enr_api_client_set_deadline (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_api_client_class_init (EnrApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_api_client_finalize;
  object_class->get_property = enr_api_client_get_property;
  object_class->set_property = enr_api_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, 3600, ENR_API_DEFAULT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DEADLINE] =
    g_param_spec_uint ("deadline", NULL, NULL,
                       0, 3600, ENR_API_DEFAULT_DEADLINE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TLS_DATABASE] =
    g_param_spec_object ("tls-database", NULL, NULL,
                         G_TYPE_TLS_DATABASE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_api_client_init (EnrApiClient *self)
{
  self->user_agent = g_strdup ("enrollment-desk/" PACKAGE_VERSION);
  self->deadline = ENR_API_DEFAULT_DEADLINE;
  self->session = new_session (self, NULL);
}

/**
 * enr_api_client_new:
 * @base_url: (nullable): see enr_api_client_set_base_url(); %NULL for a
 *   client whose address is not known yet (its requests fail until it is
 *   set)
 *
 * Returns: (transfer full): a client, or %NULL with @error set
 */
EnrApiClient *
enr_api_client_new (const char  *base_url,
                    GError     **error)
{
  g_autoptr(EnrApiClient) self = g_object_new (ENR_TYPE_API_CLIENT, NULL);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (base_url != NULL && !enr_api_client_set_base_url (self, base_url, error))
    return NULL;

  return g_steal_pointer (&self);
}

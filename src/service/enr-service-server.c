/* enr-service-server.c — the enrollment service's HTTP server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-service-auth.h"
#include "enr-service-handlers.h"
#include "enr-service-notify.h"
#include "enr-service-pool.h"
#include "enr-service-rate-limit.h"
#include "enr-service-server.h"
#include "enr-service-tasks.h"

#define MAINTENANCE_INTERVAL_SECONDS (10 * 60)
#define MAX_IDEMPOTENCY_KEY          255
#define BATCH_MAX_AGE_MS             5
/* Commits close together wake the held change-feed requests once. */
#define CHANGE_WAKE_DELAY_MS         50

typedef enum
{
  ROUTE_READ       = 0,
  ROUTE_PUBLIC     = 1 << 0,   /* no session needed */
  ROUTE_WRITE      = 1 << 1,   /* one transaction, audited */
  ROUTE_NO_KEY     = 1 << 2,   /* a write without Idempotency-Key */
  ROUTE_SUPERVISOR = 1 << 3,
  ROUTE_OWN_TRANSACTIONS = 1 << 4,   /* PostgreSQL: the handler runs its own */
} RouteFlags;

typedef struct
{
  const char        *method;
  const char        *pattern;
  RouteFlags         flags;
  EnrServiceHandler  handler;
} Route;

static const Route routes[] = {
  /* Sign-in verifies the password in a thread and writes its own transaction. */
  { "POST", "/v1/sessions", ROUTE_PUBLIC | ROUTE_OWN_TRANSACTIONS, enr_service_handle_sign_in },
  { "GET", "/v1/sessions/current", ROUTE_READ, enr_service_handle_current_session },
  { "DELETE", "/v1/sessions/current", ROUTE_WRITE | ROUTE_NO_KEY, enr_service_handle_sign_out },

  { "GET", "/v1/customers", ROUTE_READ, enr_service_handle_customer_search },
  { "GET", "/v1/customers/{}", ROUTE_READ, enr_service_handle_customer_get },
  { "GET", "/v1/export/customers", ROUTE_READ, enr_service_handle_customer_export },
  { "GET", "/v1/customers/{}/eligible-programs", ROUTE_READ, enr_service_handle_eligible_programs },
  { "GET", "/v1/customers/{}/communications", ROUTE_READ, enr_service_handle_customer_communications },
  { "POST", "/v1/communications", ROUTE_WRITE, enr_service_handle_communication_create },

  { "GET", "/v1/programs", ROUTE_READ, enr_service_handle_program_list },
  { "GET", "/v1/programs/{}", ROUTE_READ, enr_service_handle_program_get },
  { "GET", "/v1/code-values", ROUTE_READ, enr_service_handle_code_values },
  { "GET", "/v1/crews", ROUTE_READ, enr_service_handle_crews },
  { "GET", "/v1/crew-shift-types", ROUTE_READ, enr_service_handle_crew_shift_types },
  { "GET", "/v1/activity-types", ROUTE_READ, enr_service_handle_activity_types },
  { "GET", "/v1/service-task-types", ROUTE_READ, enr_service_handle_service_task_types },
  { "GET", "/v1/action-methods", ROUTE_READ, enr_service_handle_action_methods },
  { "GET", "/v1/appointment-slots", ROUTE_READ, enr_service_handle_appointment_slots },
  { "GET", "/v1/crew-shifts", ROUTE_READ, enr_service_handle_crew_shifts },
  { "GET", "/v1/appointments", ROUTE_READ, enr_service_handle_appointments },

  { "POST", "/v1/service-tasks", ROUTE_WRITE, enr_service_handle_task_create },
  { "GET", "/v1/service-tasks", ROUTE_READ, enr_service_handle_task_list },
  { "GET", "/v1/service-tasks/{}", ROUTE_READ, enr_service_handle_task_get },
  { "PUT", "/v1/service-tasks/{}", ROUTE_WRITE, enr_service_handle_task_update },
  { "POST", "/v1/service-tasks/{}/finish", ROUTE_WRITE, enr_service_handle_task_finish },
  { "POST", "/v1/service-tasks/{}/cancel", ROUTE_WRITE, enr_service_handle_task_cancel },
  { "POST", "/v1/service-tasks/{}/reschedule", ROUTE_WRITE | ROUTE_SUPERVISOR,
    enr_service_handle_task_reschedule },
  { "POST", "/v1/service-tasks/{}/complete-field-work", ROUTE_WRITE | ROUTE_SUPERVISOR,
    enr_service_handle_task_complete },

  /* The feed's head is read before its snapshot (enr-service-store-log.c). */
  { "GET", "/v1/changes", ROUTE_READ | ROUTE_OWN_TRANSACTIONS, enr_service_handle_changes },
};

struct _EnrServiceServer
{
  GObject              parent_instance;

  EnrServiceStore     *store;
  EnrServiceConfig     config;
  SoupServer          *soup;
  EnrServiceListener  *listener;
  GTlsCertificate     *certificate;
  EnrServiceRateLimit *rate_limit;
  GMutex               rate_mutex;
  guint                maintenance_id;

  /* PostgreSQL: the handlers run on the pool's threads */
  EnrServicePool      *pool;
  gint                 pending;          /* requests handed to the pool, not yet replied */
  EnrServiceNotify    *notify;           /* what other instances change */

  /* Group commit: the open transaction and the writes it holds */
  GPtrArray           *batch;            /* EnrServiceRequest, replies held */
  gboolean             batch_open;
  gboolean             batch_broken;     /* SQLite lost it: nothing will be stored */
  gint64               batch_opened_at;  /* monotonic µs */
  guint                batch_due_id;
  guint                batch_deadline_id;
  guint64              batches_committed;
  guint64              writes_committed;

  /* Long polls of the change feed: ChangeWait, replies held */
  GPtrArray           *change_waits;
  guint                change_wake_id;
};

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
} ChangeWait;

G_DEFINE_FINAL_TYPE (EnrServiceServer, enr_service_server, G_TYPE_OBJECT)

typedef struct
{
  EnrServiceServer *server;
  guint64           received;
  gboolean          refused;
} BodyWatch;

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
  enr_service_net_config_init (&config->net);
  enr_service_throttle_config_init (&config->throttle);
}

static const char *
segment_end (const char *segment)
{
  while (*segment != '\0' && *segment != '/')
    segment++;

  return segment;
}

/* Matches @path against @pattern ("{}" takes one non-empty segment). */
static gboolean
match_pattern (const char  *pattern,
               const char  *path,
               char       **params)
{
  const char *starts[ENR_SERVICE_MAX_PARAMS];
  gsize lengths[ENR_SERVICE_MAX_PARAMS];
  guint n_params = 0;

  for (;;)
    {
      const char *pattern_end = segment_end (pattern);
      const char *path_end = segment_end (path);
      gsize length = path_end - path;

      if (pattern_end - pattern == 2 && pattern[0] == '{' && pattern[1] == '}')
        {
          if (length == 0 || n_params >= ENR_SERVICE_MAX_PARAMS)
            return FALSE;
          starts[n_params] = path;
          lengths[n_params] = length;
          n_params++;
        }
      else if ((gsize) (pattern_end - pattern) != length || memcmp (pattern, path, length) != 0)
        return FALSE;

      if (*pattern_end == '\0' || *path_end == '\0')
        {
          if (*pattern_end != *path_end)
            return FALSE;
          break;
        }

      pattern = pattern_end + 1;
      path = path_end + 1;
    }

  for (guint i = 0; i < n_params; i++)
    params[i] = g_strndup (starts[i], lengths[i]);

  return TRUE;
}

static const Route *
find_route (EnrServiceRequest *req)
{
  g_autoptr(GString) allow = NULL;
  const char *method = req->method;

  if (g_str_equal (method, "HEAD"))
    method = "GET";

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      char *params[ENR_SERVICE_MAX_PARAMS] = { NULL, };

      if (!match_pattern (routes[i].pattern, req->path, params))
        continue;

      if (g_str_equal (routes[i].method, method))
        {
          memcpy (req->params, params, sizeof params);
          return &routes[i];
        }

      for (guint j = 0; j < ENR_SERVICE_MAX_PARAMS; j++)
        g_free (params[j]);

      if (allow == NULL)
        allow = g_string_new (NULL);
      else
        g_string_append (allow, ", ");
      g_string_append (allow, routes[i].method);
      if (g_str_equal (routes[i].method, "GET"))
        g_string_append (allow, ", HEAD");
    }

  if (allow != NULL)
    {
      req->allow = g_string_free (g_steal_pointer (&allow), FALSE);
      enr_service_request_problem (req, 405, "method-not-allowed",
                                   "%s is not allowed here; use %s.", req->method, req->allow);
    }
  else
    enr_service_request_problem (req, 404, "not-found", "There is no resource at %s.", req->path);

  return NULL;
}

static void
write_reply (EnrServiceRequest *req)
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

static void
release_pooled (EnrServiceServer *self)
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

  pooled = req->pooled;
  write_reply (req);
  soup_server_message_unpause (req->msg);
  enr_service_request_free (req);
  if (pooled)
    release_pooled (self);
}

static gboolean
complete_cb (gpointer data)
{
  EnrServiceRequest *req = data;

  enr_service_server_complete (req->server, req);
  return G_SOURCE_REMOVE;
}

/* Any thread: the reply goes out from the main loop. */
static void
post_reply (EnrServiceRequest *req)
{
  req->store = NULL;
  g_main_context_invoke (NULL, complete_cb, req);
}

static const char *
bearer_token (EnrServiceRequest *req)
{
  const char *authorization = enr_service_request_get_header (req, "Authorization");

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;

  authorization += 7;
  while (*authorization == ' ')
    authorization++;

  return authorization;
}

/* Looks the bearer token up, if any: req->user is set when it names a
 * live session. FALSE only when the store failed. */
static gboolean
authenticate (EnrServiceServer  *self,
              EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  const char *token = bearer_token (req);

  if (token == NULL)
    return TRUE;

  req->token_digest = enr_service_token_digest (token);
  req->user = enr_service_store_find_session (req->store, req->token_digest,
                                              g_date_time_to_unix (req->now),
                                              &req->session_expires_at, &error);
  if (req->user == NULL &&
      !g_error_matches (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND))
    {
      enr_service_request_gerror (req, error);
      return FALSE;
    }

  return TRUE;
}

/* Keyed on the session once it is verified, else on the peer address: a
 * token alone proves nothing (anyone can make up a fresh one for every
 * request), so an unknown one counts against its sender's address. */
static gboolean
check_rate (EnrServiceServer  *self,
            EnrServiceRequest *req)
{
  g_autofree char *key = NULL;
  guint wait;

  if (req->user != NULL)
    key = g_strconcat ("s:", req->token_digest, NULL);
  else
    key = g_strconcat ("a:", req->peer, NULL);

  /* On PostgreSQL the buckets are rows: the limit holds across instances. */
  if (enr_service_store_get_backend (req->store) == ENR_DB_POSTGRESQL)
    {
      g_autoptr(GError) error = NULL;

      if (!enr_service_store_take_token (req->store, key, self->config.rate, self->config.burst,
                                         &wait, &error))
        {
          enr_service_request_gerror (req, error);
          return FALSE;
        }
    }
  else
    {
      g_mutex_lock (&self->rate_mutex);
      wait = enr_service_rate_limit_take (self->rate_limit, key, g_get_monotonic_time ());
      g_mutex_unlock (&self->rate_mutex);
    }
  if (wait == 0)
    return TRUE;

  req->retry_after = wait;
  enr_service_request_problem (req, 429, "rate-limited",
                               "Slow down; retry after %u second%s.", wait, wait == 1 ? "" : "s");
  return FALSE;
}

static gboolean
is_valid_key (const char *key)
{
  gsize length = strlen (key);

  if (length == 0 || length > MAX_IDEMPOTENCY_KEY)
    return FALSE;

  for (const char *p = key; *p; p++)
    if (*p < 0x21 || *p > 0x7e)
      return FALSE;

  return TRUE;
}

static gboolean
check_media_type (EnrServiceRequest *req)
{
  const char *type;

  if (req->body == NULL || g_bytes_get_size (req->body) == 0)
    return TRUE;

  type = soup_message_headers_get_content_type (enr_service_request_get_headers (req), NULL);
  if (type != NULL &&
      (g_ascii_strcasecmp (type, "application/json") == 0 ||
       (g_str_has_prefix (type, "application/") && g_str_has_suffix (type, "+json"))))
    return TRUE;

  enr_service_request_problem (req, 415, "unsupported-media-type",
                               "Send the body as application/json.");
  return FALSE;
}

static void
replay (EnrServiceRequest        *req,
        EnrServiceStoredResponse *stored)
{
  req->status = stored->status;
  req->content_type = g_strdup (stored->content_type);
  req->etag = g_strdup (stored->etag);
  req->location = g_strdup (stored->location);
  if (stored->content_type != NULL)
    req->reply = g_bytes_ref (stored->body);
  req->replayed = TRUE;
}

static void
run_write (EnrServiceServer  *self,
           const Route       *route,
           EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body_hash = NULL;
  const char *key = NULL;
  gint64 now = g_date_time_to_unix (req->now);

  if (!(route->flags & ROUTE_NO_KEY))
    {
      g_autoptr(EnrServiceStoredResponse) stored = NULL;
      gsize size;
      const char *data = enr_service_request_get_body (req, &size);

      key = enr_service_request_get_header (req, "Idempotency-Key");
      if (key == NULL)
        {
          enr_service_request_problem (req, 400, "idempotency-key-required",
                                       "Send a unique Idempotency-Key with every write; keep it when you retry.");
          return;
        }
      if (!is_valid_key (key))
        {
          enr_service_request_problem (req, 400, "invalid-idempotency-key",
                                       "An Idempotency-Key is 1 to %d visible ASCII characters.",
                                       MAX_IDEMPOTENCY_KEY);
          return;
        }

      /* The key is claimed before the write runs: the same key arriving
       * twice at once (two instances) runs once. */
      body_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, size);
      if (!enr_service_store_claim_response (req->store, enr_entity_get_id (ENR_ENTITY (req->user)),
                                             key, req->method, req->path, body_hash, now,
                                             &stored, &error))
        {
          enr_service_request_gerror (req, error);
          return;
        }
      if (stored != NULL)
        {
          if (g_str_equal (stored->method, req->method) &&
              g_str_equal (stored->path, req->path) &&
              g_str_equal (stored->body_hash, body_hash))
            replay (req, stored);
          else
            enr_service_request_problem (req, 422, "idempotency-key-reused",
                                         "This Idempotency-Key was used for %s %s with another body.",
                                         stored->method, stored->path);
          return;
        }
    }

  route->handler (req);

  /* Writes run inside the batch's transaction: they cannot wait. */
  g_assert (!req->async);

  if (!enr_service_request_is_success (req))
    return;

  if (key != NULL)
    {
      EnrServiceStoredResponse response = {
        .method = (char *) req->method,
        .path = req->path,
        .body_hash = body_hash,
        .status = req->status,
        .content_type = req->content_type,
        .etag = req->etag,
        .location = req->location,
        .body = req->reply,
      };

      if (!enr_service_store_save_response (req->store, enr_entity_get_id (ENR_ENTITY (req->user)),
                                            key, &response, now, &error))
        goto failed;
    }

  {
    g_autofree char *action = g_strconcat (req->method, " ", req->path, NULL);

    if (!enr_service_store_audit (req->store, now,
                                  req->user != NULL ? enr_entity_get_id (ENR_ENTITY (req->user)) : NULL,
                                  enr_service_request_get_username (req),
                                  action, req->audit_type, req->audit_id, req->status, &error))
      goto failed;
  }

  return;

failed:
  enr_service_request_clear_reply (req);
  enr_service_request_gerror (req, error);
}

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
    release_pooled (self);
}

static void check_change_wait (ChangeWait *wait);

static void end_batch (EnrServiceServer *self);

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
  end_batch (wait->server);
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
  end_batch (self);

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

static void
wake_change_waits (EnrServiceServer *self)
{
  if (self->change_waits->len == 0 || self->change_wake_id != 0)
    return;

  self->change_wake_id = g_timeout_add (CHANGE_WAKE_DELAY_MS, on_change_wake_cb, self);
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
      release_pooled (self);
      return G_SOURCE_REMOVE;
    }

  if (wait->replied)
    answer_change_wait (wait);
  else if (wait->expired)
    check_change_wait (wait);

  return G_SOURCE_REMOVE;
}

static gboolean ensure_connected (EnrServiceRequest *req);

static void
check_change_wait_job (EnrServiceStore *store,
                       gpointer         data)
{
  ChangeWait *wait = data;
  EnrServiceRequest *req = wait->req;

  req->store = store;
  if (ensure_connected (req))
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
  enr_service_pool_push (wait->server->pool, check_change_wait_job, wait);
}

/* Main loop: a request a pool thread found nothing for yet waits here. */
static gboolean
hold_pooled_cb (gpointer data)
{
  EnrServiceRequest *req = data;
  EnrServiceServer *self = req->server;
  ChangeWait *wait = g_new0 (ChangeWait, 1);

  wait->server = self;
  wait->req = req;
  wait->timeout_id = g_timeout_add_seconds (req->hold_seconds, on_change_wait_timeout_cb, wait);
  g_signal_connect (req->msg, "disconnected", G_CALLBACK (on_change_wait_disconnected_cb), wait);
  g_ptr_array_add (self->change_waits, wait);

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

  /* On a pool thread: the main loop registers it (hold_pooled_cb). */
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
static void
answer_change_waits (EnrServiceServer *self)
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

/* Group commit
 *
 * The first write of a main-loop pass opens a transaction (BEGIN
 * IMMEDIATE); each write runs in a savepoint of its own, released when it
 * succeeds and rolled back when it fails, and its message is paused with
 * the reply ready. The transaction commits when the main loop has nothing
 * else to do (or after batch_delay ms), when batch_max writes joined, when
 * it is BATCH_MAX_AGE_MS old, or before any read or other transaction, so
 * that nobody sees what is not committed. Only then are the replies sent:
 * a 2xx still means the write is on disk (synchronous=FULL). When COMMIT
 * fails, every write of the batch gets 503: none was stored. */

static void
release_held (EnrServiceRequest *req)
{
  write_reply (req);
  soup_server_message_unpause (req->msg);
  enr_service_request_free (req);
}

static void
refuse_held (EnrServiceRequest *req)
{
  req->replayed = FALSE;
  enr_service_request_clear_reply (req);
  req->retry_after = 1;
  enr_service_request_problem (req, 503, "unavailable",
                               "The write was not stored; send it again with the same Idempotency-Key.");
}

static void
end_batch (EnrServiceServer *self)
{
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GError) error = NULL;
  gboolean committed = FALSE;

  if (!self->batch_open)
    return;

  g_clear_handle_id (&self->batch_due_id, g_source_remove);
  g_clear_handle_id (&self->batch_deadline_id, g_source_remove);
  members = g_steal_pointer (&self->batch);
  self->batch = g_ptr_array_new ();
  self->batch_open = FALSE;

  if (self->batch_broken)
    g_warning ("A transaction of %u writes was lost; none was stored", members->len);
  else if (!enr_service_store_commit (self->store, &error))
    g_warning ("Committing %u writes failed: %s", members->len, error->message);
  else
    committed = TRUE;

  self->batch_broken = FALSE;

  if (committed)
    {
      self->batches_committed++;
      self->writes_committed += members->len;
      g_debug ("Committed %u write%s in one transaction", members->len, members->len == 1 ? "" : "s");
      wake_change_waits (self);
    }
  else
    enr_service_store_rollback (self->store);

  for (guint i = 0; i < members->len; i++)
    {
      EnrServiceRequest *req = g_ptr_array_index (members, i);

      if (!committed)
        refuse_held (req);
      release_held (req);
    }
}

static gboolean
on_batch_due_cb (gpointer user_data)
{
  EnrServiceServer *self = user_data;

  self->batch_due_id = 0;
  end_batch (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_batch_deadline_cb (gpointer user_data)
{
  EnrServiceServer *self = user_data;

  self->batch_deadline_id = 0;
  end_batch (self);

  return G_SOURCE_REMOVE;
}

void
enr_service_server_flush (EnrServiceServer *self)
{
  g_return_if_fail (ENR_IS_SERVICE_SERVER (self));

  end_batch (self);
}

/* Adds @req to the open batch (opening one if needed) inside a savepoint
 * of its own, its message paused. */
static gboolean
join_batch (EnrServiceServer  *self,
            EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (self->batch_broken)
    end_batch (self);

  if (!self->batch_open)
    {
      if (!enr_service_store_begin (self->store, &error))
        {
          enr_service_request_gerror (req, error);
          return FALSE;
        }

      self->batch_open = TRUE;
      self->batch_opened_at = g_get_monotonic_time ();
      if (self->config.batch_delay > 0)
        self->batch_due_id = g_timeout_add (self->config.batch_delay, on_batch_due_cb, self);
      else
        {
          /* Idle: no request is waiting to be read. The deadline holds
           * when the main loop never idles. */
          self->batch_due_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_batch_due_cb, self, NULL);
          self->batch_deadline_id = g_timeout_add (BATCH_MAX_AGE_MS, on_batch_deadline_cb, self);
        }
    }

  if (!enr_service_store_savepoint (self->store, &error))
    {
      /* The writes held so far are refused too: the transaction is suspect. */
      g_warning ("Cannot add a write to the transaction: %s", error->message);
      self->batch_broken = TRUE;
      end_batch (self);
      enr_service_request_gerror (req, error);
      return FALSE;
    }

  req->held = TRUE;
  soup_server_message_pause (req->msg);
  g_ptr_array_add (self->batch, req);

  return TRUE;
}

/* Keeps the changes of @req in the batch when it succeeded, else undoes
 * them (and only them). */
static void
settle_write (EnrServiceServer  *self,
              EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  gboolean kept;

  if (self->batch_broken)
    return;

  if (!enr_service_store_transaction_alive (self->store))
    {
      self->batch_broken = TRUE;
      return;
    }

  /* COMMIT checks deferred foreign keys: a write that breaks one must not
   * fail the writes of others. */
  if (enr_service_request_is_success (req) &&
      enr_service_store_has_deferred_violations (self->store))
    {
      g_warning ("%s %s breaks a foreign key; undone", req->method, req->path);
      enr_service_request_clear_reply (req);
      enr_service_request_problem (req, 500, "internal-error", NULL);
    }

  if (enr_service_request_is_success (req))
    kept = enr_service_store_release (self->store, &error);
  else
    kept = enr_service_store_rollback_to (self->store, &error);

  if (!kept)
    {
      g_warning ("Ending the savepoint of %s %s failed: %s", req->method, req->path, error->message);
      self->batch_broken = TRUE;
    }
}

/* After a write joined: commit now when the batch is full or old enough. */
static void
check_batch (EnrServiceServer *self)
{
  guint max_age = MAX (self->config.batch_delay, BATCH_MAX_AGE_MS);

  if (!self->batch_open)
    return;

  if (self->batch_broken ||
      self->batch->len >= MAX (self->config.batch_max, 1) ||
      g_get_monotonic_time () - self->batch_opened_at >= (gint64) max_age * 1000)
    end_batch (self);
}

guint
enr_service_server_get_batch_size (EnrServiceServer *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_SERVER (self), 0);

  return self->batch_open ? self->batch->len : 0;
}

void
enr_service_server_get_batch_stats (EnrServiceServer *self,
                                    guint64          *batches,
                                    guint64          *writes)
{
  g_return_if_fail (ENR_IS_SERVICE_SERVER (self));

  if (batches != NULL)
    *batches = self->batches_committed;
  if (writes != NULL)
    *writes = self->writes_committed;
}

static void
run_continuation (EnrServiceStore *store,
                  gpointer         data)
{
  EnrServiceRequest *req = data;

  req->store = store;
  req->continuation (req);
  post_reply (req);
}

/**
 * enr_service_server_continue:
 * @req: a request whose handler went async (req->async)
 * @continuation: the rest of its work, which needs the store and replies
 *
 * Main loop: runs @continuation with a store (on SQLite here, after the
 * open batch committed; on PostgreSQL on a pool thread), then sends the
 * reply.
 */
void
enr_service_server_continue (EnrServiceServer  *self,
                             EnrServiceRequest *req,
                             EnrServiceHandler  continuation)
{
  g_return_if_fail (ENR_IS_SERVICE_SERVER (self));
  g_return_if_fail (req->async);

  if (self->pool != NULL)
    {
      req->continuation = continuation;
      req->pooled = TRUE;
      req->async = FALSE;
      enr_service_pool_push (self->pool, run_continuation, req);
      return;
    }

  end_batch (self);
  req->store = self->store;
  continuation (req);
  enr_service_server_complete (self, req);
}

static void
handle (EnrServiceServer  *self,
        const Route       *route,
        EnrServiceRequest *req)
{
  if (!(route->flags & ROUTE_PUBLIC) && req->user == NULL)
    {
      if (req->token_digest == NULL)
        enr_service_request_problem (req, 401, "unauthorized",
                                     "Send Authorization: Bearer <token> from POST /v1/sessions.");
      else
        enr_service_request_problem (req, 401, "unauthorized",
                                     "The session token is unknown or has expired.");
      return;
    }

  if ((route->flags & ROUTE_SUPERVISOR) && !enr_service_request_is_supervisor (req))
    {
      enr_service_request_problem (req, 403, "forbidden", "Only a supervisor may do this.");
      return;
    }

  if (!check_media_type (req))
    return;

  if (route->flags & ROUTE_WRITE)
    run_write (self, route, req);
  else
    route->handler (req);
}

static void
dispatch (EnrServiceServer  *self,
          EnrServiceRequest *req)
{
  const Route *route;

  /* Before routing, so that probing unknown paths is limited too. */
  if (!authenticate (self, req) || !check_rate (self, req))
    return;

  if (!(route = find_route (req)))
    return;

  req->write = (route->flags & ROUTE_WRITE) != 0;
  if (!(route->flags & ROUTE_WRITE))
    {
      /* Reads see committed data only. */
      end_batch (self);
      handle (self, route, req);
      return;
    }

  if (!join_batch (self, req))
    return;

  handle (self, route, req);
  settle_write (self, req);
}

/* PostgreSQL
 *
 * Each request runs on a pool thread with a connection of its own: the
 * session is looked up (a plain statement, so that a sign-out elsewhere
 * counts at once), then a read runs in one snapshot (REPEATABLE READ,
 * READ ONLY) and a write in a transaction of its own (READ COMMITTED,
 * the writes lock what they change), committed before its reply is
 * posted to the main loop: "2xx only after COMMIT" holds per write, and
 * PostgreSQL groups the fsyncs of writes that commit together. A
 * transaction that fails for a reason that passes (a deadlock, a lock
 * timeout, a lost connection) runs again, up to MAX_ATTEMPTS times; a
 * write whose COMMIT was lost with the connection runs again too, and its
 * Idempotency-Key replays it if it had committed. */

#define MAX_ATTEMPTS 4

static gboolean
ensure_connected (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  EnrDb *db = enr_service_store_get_db (req->store);

  if (enr_db_is_connected (db))
    return TRUE;

  if (enr_db_reconnect (db, &error))
    {
      /* Notifications missed meanwhile are not replayed. */
      enr_service_store_invalidate_caches (req->store);
      return TRUE;
    }

  g_warning ("%s", error->message);
  req->retry_after = 1;
  enr_service_request_problem (req, 503, "unavailable", NULL);
  return FALSE;
}

static void
run_in_transaction (EnrServiceServer  *self,
                    const Route       *route,
                    EnrServiceRequest *req)
{
  EnrDb *db = enr_service_store_get_db (req->store);

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) error = NULL;
      gboolean begun = req->write ? enr_service_store_begin (req->store, &error)
                                  : enr_service_store_begin_read (req->store, &error);

      if (!begun)
        enr_service_request_gerror (req, error);
      else
        {
          handle (self, route, req);
          g_assert (!req->async);

          if (enr_service_request_is_success (req) && enr_db_transaction_alive (db))
            {
              if (!enr_service_store_commit (req->store, &error))
                {
                  enr_service_store_rollback (req->store);
                  enr_service_request_clear_reply (req);
                  req->replayed = FALSE;
                  enr_service_request_gerror (req, error);
                }
            }
          else
            {
              enr_service_store_rollback (req->store);
              if (enr_service_request_is_success (req))
                {
                  enr_service_request_clear_reply (req);
                  enr_service_request_problem (req, 500, "internal-error", NULL);
                }
            }
        }

      if (!enr_db_failed_transiently (db) || attempt == MAX_ATTEMPTS)
        return;

      g_debug ("%s %s: attempt %u failed for a passing reason; again", req->method, req->path, attempt);
      enr_service_request_clear_reply (req);
      req->replayed = FALSE;
      enr_service_request_set_audit (req, NULL, NULL);
      if (!ensure_connected (req))
        return;
      g_usleep (g_random_int_range (1, 1000 * attempt));
    }
}

static void
run_pooled (EnrServiceStore *store,
            gpointer         data)
{
  EnrServiceRequest *req = data;
  EnrServiceServer *self = req->server;
  const Route *route;

  req->store = store;

  if (ensure_connected (req) &&
      authenticate (self, req) && check_rate (self, req) &&
      (route = find_route (req)) != NULL)
    {
      req->write = (route->flags & ROUTE_WRITE) != 0;
      if (route->flags & ROUTE_OWN_TRANSACTIONS)
        handle (self, route, req);
      else
        run_in_transaction (self, route, req);
    }

  /* An async handler continues from the main loop: sign-in, or a long
   * poll of the change feed that found nothing yet. */
  if (req->async)
    {
      req->store = NULL;
      if (req->hold_seconds > 0)
        g_main_context_invoke (NULL, hold_pooled_cb, req);
      return;
    }

  post_reply (req);
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
      enr_service_pool_push (self->pool, run_pooled, req);
      return;
    }

  dispatch (self, req);

  g_debug ("%s %s → %u%s", req->method, req->path, req->status,
           req->async ? " (async)" : req->held ? " (held)" : "");

  if (req->held)
    {
      /* May send (and free) @req. */
      check_batch (self);
      return;
    }

  if (req->async)
    {
      soup_server_message_pause (msg);
      return;
    }

  write_reply (req);
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
  g_object_set_data_full (G_OBJECT (msg), "enr-body-watch", watch, g_free);

  /* libsoup would answer a Range on its own (206, or a bare 416). */
  soup_message_headers_remove (headers, "Range");

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) self->config.max_body)
    refuse_body (watch, msg);

  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk_cb), watch);
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

static void
maintain_pooled (EnrServiceStore *store,
                 gpointer         data)
{
  EnrServiceServer *self = data;

  if (enr_db_is_connected (enr_service_store_get_db (store)) ||
      enr_db_reconnect (enr_service_store_get_db (store), NULL))
    maintain (store, &self->config);
  g_object_unref (self);
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

  end_batch (self);
  if (maintain (self->store, &self->config) > 0)
    wake_change_waits (self);
}

/* PostgreSQL: a change committed (here or on another instance), or may
 * have while the notifications were not heard: the long polls look. */
static void
on_changes_heard_cb (gpointer user_data)
{
  wake_change_waits (user_data);
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

static void
enr_service_server_dispose (GObject *object)
{
  EnrServiceServer *self = (EnrServiceServer *)object;

  answer_change_waits (self);
  stop_pool (self);
  end_batch (self);
  answer_change_waits (self);
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

  answer_change_waits (self);
  stop_pool (self);
  end_batch (self);
  answer_change_waits (self);
  if (self->listener != NULL)
    enr_service_listener_close (self->listener);
  soup_server_disconnect (self->soup);
}

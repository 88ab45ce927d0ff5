/* enr-service-server-dispatch.c — the handlers' glue: a request's session,
 * rate limit, role, media type, Idempotency-Key and audit around its
 * handler; on PostgreSQL, on a pool thread in a transaction of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "enr-service-server-private.h"

#define MAX_IDEMPOTENCY_KEY          255

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

/* PostgreSQL: the sessions this instance has seen, to take on trust
 * until the request's own transaction confirms them. Every request still
 * looks its session up in the database, but with its first statement
 * (enr_service_store_check_session(), one round trip for both, in the
 * same snapshot), and is answered only once the session is confirmed
 * unchanged: a sign-out through any instance is refused at once. When it
 * changed, the request runs again from the start without trust. */

#define MAX_KNOWN_SESSIONS 4096

typedef struct
{
  EnrUser *user;
  char    *json;        /* the user's record as stored */
  gint64   expires_at;
} KnownSession;

void
_enr_service_known_session_free (gpointer data)
{
  KnownSession *known = data;

  g_clear_object (&known->user);
  g_free (known->json);
  g_free (known);
}

static void
remember_session (EnrServiceServer  *self,
                  EnrServiceRequest *req,
                  char              *json)
{
  KnownSession *known = g_new0 (KnownSession, 1);

  known->user = g_object_ref (req->user);
  known->json = json;
  known->expires_at = req->session_expires_at;

  g_mutex_lock (&self->known_mutex);
  if (g_hash_table_size (self->known_sessions) >= MAX_KNOWN_SESSIONS)
    g_hash_table_remove_all (self->known_sessions);
  g_hash_table_replace (self->known_sessions, g_strdup (req->token_digest), known);
  g_mutex_unlock (&self->known_mutex);
}

static void
forget_session (EnrServiceServer *self,
                const char       *token_digest)
{
  g_mutex_lock (&self->known_mutex);
  g_hash_table_remove (self->known_sessions, token_digest);
  g_mutex_unlock (&self->known_mutex);
}

/* A known session, not expired, taken on trust: TRUE when there was one. */
static gboolean
authenticate_known (EnrServiceServer  *self,
                    EnrServiceRequest *req)
{
  const char *token = bearer_token (req);
  g_autofree char *digest = NULL;
  KnownSession *known;

  if (token == NULL)
    return FALSE;

  digest = enr_service_token_digest (token);
  g_mutex_lock (&self->known_mutex);
  known = g_hash_table_lookup (self->known_sessions, digest);
  if (known != NULL && known->expires_at > g_date_time_to_unix (req->now))
    {
      req->user = g_object_ref (known->user);
      req->session_json = g_strdup (known->json);
      req->session_expires_at = known->expires_at;
    }
  g_mutex_unlock (&self->known_mutex);

  if (req->user == NULL)
    return FALSE;

  req->token_digest = g_steal_pointer (&digest);
  req->session_unconfirmed = TRUE;
  return TRUE;
}

/* As authenticate(), remembering the session. */
static gboolean
authenticate_pooled (EnrServiceServer  *self,
                     EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  const char *token = bearer_token (req);
  char *json = NULL;

  if (token == NULL)
    return TRUE;

  req->token_digest = enr_service_token_digest (token);
  req->user = enr_service_store_find_session_full (req->store, req->token_digest,
                                                   g_date_time_to_unix (req->now),
                                                   &req->session_expires_at, &json, &error);
  if (req->user == NULL)
    {
      if (g_error_matches (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND))
        return TRUE;
      enr_service_request_gerror (req, error);
      return FALSE;
    }

  remember_session (self, req, json);
  return TRUE;
}

/* TRUE when the session taken on trust (if any) is confirmed: with the
 * transaction's first statement when enr_service_store_check_session()
 * was deferred in it, else now. FALSE with req->session_stale when it
 * changed (the request runs again), or with an error reply. */
static gboolean
confirm_session (EnrServiceServer  *self,
                 EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  gboolean unchanged = FALSE;
  EnrDbStmt *check;

  if (!req->session_unconfirmed)
    return TRUE;

  check = g_steal_pointer (&req->session_check);
  if (check == NULL)
    check = enr_service_store_check_session (req->store, req->token_digest,
                                             g_date_time_to_unix (req->now), &error);
  if (check == NULL ||
      !enr_service_store_session_unchanged (req->store, check, req->session_json,
                                            req->session_expires_at, &unchanged, &error))
    {
      enr_service_request_clear_reply (req);
      req->replayed = FALSE;
      req->discard = FALSE;
      enr_service_request_gerror (req, error);
      return FALSE;
    }

  if (!unchanged)
    {
      forget_session (self, req->token_digest);
      req->session_stale = TRUE;
      return FALSE;
    }

  req->session_unconfirmed = FALSE;
  return TRUE;
}

/* PostgreSQL: the rate limit's lease. A request that finds no token
 * leased takes a block of them from the client's row in one statement
 * (enr_service_store_take_tokens()) and leaves the rest here for the
 * client's next requests to this instance, for LEASE_SECONDS at most;
 * what is not spent by then lapses, never goes back. So every request let
 * through spent a token taken from the shared row (the database stays the
 * arbiter, and over time no client gets more than its bucket allows),
 * while at one moment a client may get up to (block - 1) requests per
 * instance more than the burst: tokens taken before the bucket refilled.
 * A block is an eighth of the smaller of burst and rate, from 1 to
 * LEASE_MAX_BLOCK tokens (6 with the defaults); 1 leases nothing. */

#define LEASE_SECONDS   1
#define LEASE_MAX_BLOCK 64
#define LEASE_MAX_KEYS  4096

typedef struct
{
  guint  tokens;
  gint64 until;    /* monotonic µs */
} RateLease;

static guint
lease_block (EnrServiceServer *self)
{
  double smaller = MIN (self->config.rate, self->config.burst);

  return (guint) CLAMP (floor (smaller / 8), 1, LEASE_MAX_BLOCK);
}

/* Spends a leased token of @key, if one is left and fresh. */
static gboolean
spend_leased (EnrServiceServer *self,
              const char       *key)
{
  gint64 now = g_get_monotonic_time ();
  gboolean spent = FALSE;
  RateLease *lease;

  g_mutex_lock (&self->rate_mutex);
  lease = g_hash_table_lookup (self->leases, key);
  if (lease != NULL && lease->until > now && lease->tokens > 0)
    {
      lease->tokens--;
      spent = TRUE;
    }
  if (lease != NULL && (lease->until <= now || lease->tokens == 0))
    g_hash_table_remove (self->leases, key);
  g_mutex_unlock (&self->rate_mutex);

  return spent;
}

static gboolean
lease_lapsed (gpointer key,
              gpointer value,
              gpointer user_data)
{
  return ((RateLease *) value)->until <= *(gint64 *) user_data;
}

/* Keeps @tokens of @key for LEASE_SECONDS (a lease still held lapses:
 * nothing is added to it). */
static void
keep_lease (EnrServiceServer *self,
            const char       *key,
            guint             tokens)
{
  gint64 now = g_get_monotonic_time ();
  RateLease *lease = g_new0 (RateLease, 1);

  lease->tokens = tokens;
  lease->until = now + LEASE_SECONDS * G_USEC_PER_SEC;

  g_mutex_lock (&self->rate_mutex);
  if (g_hash_table_size (self->leases) >= LEASE_MAX_KEYS)
    {
      g_hash_table_foreach_remove (self->leases, lease_lapsed, &now);
      /* Lapsing early is always allowed. */
      if (g_hash_table_size (self->leases) >= LEASE_MAX_KEYS)
        g_hash_table_remove_all (self->leases);
    }
  g_hash_table_replace (self->leases, g_strdup (key), lease);
  g_mutex_unlock (&self->rate_mutex);
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
      guint block = lease_block (self);
      guint granted = 0;

      if (self->config.rate <= 0 || spend_leased (self, key))
        return TRUE;
      if (!enr_service_store_take_tokens (req->store, key, self->config.rate, self->config.burst,
                                          block, &granted, &wait, &error))
        {
          enr_service_request_gerror (req, error);
          return FALSE;
        }
      if (granted > 1)
        keep_lease (self, key, granted - 1);
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

/**
 * _enr_service_server_answer_unrouted:
 *
 * PostgreSQL, main loop, before the pool: a request for a path no route
 * has gets 404 whoever sends it, and needs the database only for the
 * rate limit. When the limit lets it through without a statement (it is
 * off, or a token leased to this instance for the sender's address is
 * left, as check_rate() would spend), it is answered here, without the
 * hand-off to a pool thread and back. With a bearer token (its session
 * picks the bucket) or no leased token, it goes to the pool as any other.
 *
 * Returns: TRUE when @req has its reply
 */
gboolean
_enr_service_server_answer_unrouted (EnrServiceServer  *self,
                                     EnrServiceRequest *req)
{
  /* The pool thread's routing looks from the first pattern that matches. */
  if (_enr_service_server_has_path (req->path, &req->route_from))
    return FALSE;

  if (self->config.rate > 0)
    {
      g_autofree char *key = NULL;

      if (bearer_token (req) != NULL)
        return FALSE;
      key = g_strconcat ("a:", req->peer, NULL);
      if (!spend_leased (self, key))
        return FALSE;
    }

  enr_service_request_problem (req, 404, "not-found", "There is no resource at %s.", req->path);
  return TRUE;
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

/* The key is taken: the stored answer, or 422 when it was another request's. */
static void
answer_stored (EnrServiceRequest        *req,
               EnrServiceStoredResponse *stored,
               const char               *body_hash)
{
  if (g_str_equal (stored->method, req->method) &&
      g_str_equal (stored->path, req->path) &&
      g_str_equal (stored->body_hash, body_hash))
    replay (req, stored);
  else
    enr_service_request_problem (req, 422, "idempotency-key-reused",
                                 "This Idempotency-Key was used for %s %s with another body.",
                                 stored->method, stored->path);
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
  EnrDb *db = enr_service_store_get_db (req->store);
  /* PostgreSQL: the claim goes out with the write's first statement. */
  gboolean pipelined = enr_db_get_backend (db) == ENR_DB_POSTGRESQL && enr_db_in_transaction (db);

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
       * twice at once (two instances) runs once. On PostgreSQL the claim
       * is sent ahead of the write's first statement, in its round trip,
       * and read below, before COMMIT. */
      body_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, size);
      if (pipelined)
        {
          if (!enr_service_store_send_claim (req->store, enr_entity_get_id (ENR_ENTITY (req->user)),
                                             key, req->method, req->path, body_hash, now, &error))
            {
              enr_service_request_gerror (req, error);
              return;
            }
        }
      else
        {
          if (!enr_service_store_claim_response (req->store, enr_entity_get_id (ENR_ENTITY (req->user)),
                                                 key, req->method, req->path, body_hash, now,
                                                 &stored, &error))
            {
              enr_service_request_gerror (req, error);
              return;
            }
          if (stored != NULL)
            {
              answer_stored (req, stored, body_hash);
              return;
            }
        }
    }

  route->handler (req);

  /* Writes run inside the batch's transaction: they cannot wait. */
  g_assert (!req->async);

  /* Whether the claim held, whatever the handler answered (a stored
   * answer wins over a failure, as when the claim came first). When the
   * key was taken (the write waited for the transaction that held it),
   * the handler's work is rolled back and the stored answer replayed. */
  if (pipelined && key != NULL)
    {
      g_autoptr(EnrServiceStoredResponse) stored = NULL;
      g_autoptr(GError) claim_error = NULL;

      if (!enr_service_store_check_claim (req->store, enr_entity_get_id (ENR_ENTITY (req->user)), key,
                                          &stored, &claim_error))
        {
          /* A failure keeps its own answer (its transaction may be aborted). */
          if (enr_service_request_is_success (req))
            {
              enr_service_request_clear_reply (req);
              enr_service_request_gerror (req, claim_error);
            }
          return;
        }
      if (stored != NULL)
        {
          enr_service_request_clear_reply (req);
          enr_service_request_set_audit (req, NULL, NULL);
          req->discard = TRUE;
          answer_stored (req, stored, body_hash);
          return;
        }
    }

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

static void
run_continuation (EnrServiceStore *store,
                  gpointer         data)
{
  EnrServiceRequest *req = data;

  req->store = store;
  _enr_service_server_count_from (req);
  req->continuation (req);
  _enr_service_server_post_reply (req);
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
      req->changes_seq = self->changes_seq;
      enr_service_pool_push (self->pool, run_continuation, req);
      return;
    }

  _enr_service_server_end_batch (self);
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

void
_enr_service_server_dispatch (EnrServiceServer  *self,
                              EnrServiceRequest *req)
{
  const Route *route;

  /* Before routing, so that probing unknown paths is limited too. */
  if (!authenticate (self, req) || !check_rate (self, req))
    return;

  if (!(route = _enr_service_server_find_route (req)))
    return;

  req->write = (route->flags & ROUTE_WRITE) != 0;
  if (!(route->flags & ROUTE_WRITE))
    {
      /* Reads see committed data only. */
      _enr_service_server_end_batch (self);
      handle (self, route, req);
      return;
    }

  if (!_enr_service_server_join_batch (self, req))
    return;

  handle (self, route, req);
  _enr_service_server_settle_write (self, req);
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

gboolean
_enr_service_server_ensure_connected (EnrServiceRequest *req)
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

      if (begun && req->session_unconfirmed &&
          !(req->session_check = enr_service_store_check_session (req->store, req->token_digest,
                                                                  g_date_time_to_unix (req->now),
                                                                  &error)))
        {
          enr_service_store_rollback (req->store);
          begun = FALSE;
        }

      if (!begun)
        enr_service_request_gerror (req, error);
      else
        {
          handle (self, route, req);
          g_assert (!req->async);

          /* A read that read nothing has nothing to commit: the session
           * is confirmed on its own, without BEGIN and COMMIT. */
          if (!req->write && req->session_unconfirmed && !enr_db_transaction_begun (db))
            {
              enr_service_store_rollback (req->store);
              req->session_check = NULL;
              if (!confirm_session (self, req) && req->session_stale)
                return;
            }
          /* Before COMMIT: a write of a session signed out meanwhile is
           * undone. */
          else if (!confirm_session (self, req))
            {
              enr_service_store_rollback (req->store);
              if (req->session_stale)
                return;
            }
          /* The Idempotency-Key was taken: the work is undone, the
           * stored answer stands. */
          else if (req->discard)
            enr_service_store_rollback (req->store);
          else if (enr_service_request_is_success (req) && enr_db_transaction_alive (db))
            {
              if (!enr_service_store_commit (req->store, &error))
                {
                  enr_service_store_rollback (req->store);
                  enr_service_request_clear_reply (req);
                  req->replayed = FALSE;
                  req->discard = FALSE;
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

      req->session_check = NULL;
      g_debug ("%s %s: attempt %u failed for a passing reason; again", req->method, req->path, attempt);
      enr_service_request_clear_reply (req);
      req->replayed = FALSE;
      req->discard = FALSE;
      enr_service_request_set_audit (req, NULL, NULL);
      if (!_enr_service_server_ensure_connected (req))
        return;
      g_usleep (g_random_int_range (1, 1000 * attempt));
    }
}

/* With @trust, a known session is taken on trust and confirmed before
 * the reply (req->session_stale when it changed). */
static void
serve_pooled (EnrServiceServer  *self,
              EnrServiceRequest *req,
              gboolean           trust)
{
  const Route *route = NULL;

  if (!_enr_service_server_ensure_connected (req))
    return;

  if (!(trust && authenticate_known (self, req)) && !authenticate_pooled (self, req))
    return;

  if (check_rate (self, req) && (route = _enr_service_server_find_route (req)) != NULL)
    {
      req->write = (route->flags & ROUTE_WRITE) != 0;
      if (!(route->flags & ROUTE_OWN_TRANSACTIONS))
        {
          run_in_transaction (self, route, req);
          return;
        }
    }

  /* No transaction of ours: the session is confirmed on its own. */
  if (!confirm_session (self, req) || route == NULL)
    return;

  handle (self, route, req);
}

/* Forgets what a run with a session taken on trust did. */
static void
reset_for_another_run (EnrServiceRequest *req)
{
  enr_service_request_clear_reply (req);
  req->replayed = FALSE;
  req->discard = FALSE;
  enr_service_request_set_audit (req, NULL, NULL);
  /* Routed again: _enr_service_server_find_route() sets them afresh. */
  for (guint i = 0; i < ENR_SERVICE_MAX_PARAMS; i++)
    g_clear_pointer (&req->params[i], g_free);
  g_clear_object (&req->user);
  g_clear_pointer (&req->token_digest, g_free);
  g_clear_pointer (&req->session_json, g_free);
  req->session_check = NULL;
  req->session_unconfirmed = FALSE;
  req->session_stale = FALSE;
  req->session_expires_at = 0;
}

void
_enr_service_server_run_pooled (EnrServiceStore *store,
                                gpointer         data)
{
  EnrServiceRequest *req = data;
  EnrServiceServer *self = req->server;

  req->store = store;
  _enr_service_server_count_from (req);

  serve_pooled (self, req, TRUE);
  if (req->session_stale)
    {
      reset_for_another_run (req);
      serve_pooled (self, req, FALSE);
    }

  /* An async handler continues from the main loop: sign-in, or a long
   * poll of the change feed that found nothing yet. */
  if (req->async)
    {
      _enr_service_server_count_to (req);
      req->store = NULL;
      if (req->hold_seconds > 0)
        g_main_context_invoke (NULL, _enr_service_server_hold_pooled, req);
      return;
    }

  _enr_service_server_post_reply (req);
}

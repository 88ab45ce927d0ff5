/* enr-service-store-log.c — idempotency records, the change log, the audit trail, meta
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "enr-service-store-private.h"

/* Rate limit */

/**
 * enr_service_store_take_token:
 * @key: the client's bucket ("s:" and the session's token digest, or "a:"
 *   and its address)
 * @wait: (out): 0 when a token was taken, else the seconds until one is
 *   there
 *
 * PostgreSQL: the token bucket of the rate limit as a row, refilled and
 * taken from in one statement on the database's clock, so that the limit
 * holds across the instances a client talks to.
 */
gboolean
enr_service_store_take_token (EnrServiceStore  *self,
                              const char       *key,
                              double            rate,
                              double            burst,
                              guint            *wait,
                              GError          **error)
{
  guint granted;

  return enr_service_store_take_tokens (self, key, rate, burst, 1, &granted, wait, error);
}

/**
 * enr_service_store_take_tokens:
 * @block: the most tokens to take (1 or more)
 * @granted: (out): the tokens taken: as many whole tokens as the bucket
 *   holds, up to @block; 0 when it holds less than one
 * @wait: (out): 0 when a token was taken, else the seconds until one is
 *   there
 *
 * As enr_service_store_take_token(), taking up to @block tokens at once:
 * an instance spends the rest on the client's next requests without
 * asking again (enr-service-server-dispatch.c, the lease). Every token
 * spent was taken from the row: the database stays the arbiter.
 * rate_limits.granted (migration 11) holds what the last statement took,
 * for its RETURNING.
 */
gboolean
enr_service_store_take_tokens (EnrServiceStore  *self,
                               const char       *key,
                               double            rate,
                               double            burst,
                               guint             block,
                               guint            *granted,
                               guint            *wait,
                               GError          **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL, FALSE);
  g_return_val_if_fail (block >= 1, FALSE);

  *wait = 0;
  *granted = block;
  if (rate <= 0)
    return TRUE;

  /* In SET every column names the row as it was: "refilled" is
   * least ($3, r.tokens + (excluded.at - r.at) * $2). */
  if (!(stmt = _enr_service_store_prepare (self,
                                           "INSERT INTO rate_limits AS r (key, tokens, at, allowed, granted)"
                                           " VALUES ($1, $3 - least ($4, floor ($3)),"
                                           " extract (epoch FROM clock_timestamp ()), $3 >= 1, least ($4, floor ($3)))"
                                           " ON CONFLICT (key) DO UPDATE SET"
                                           " granted = least ($4, floor (least ($3, r.tokens + (excluded.at - r.at) * $2))),"
                                           " tokens = least ($3, r.tokens + (excluded.at - r.at) * $2)"
                                           "  - least ($4, floor (least ($3, r.tokens + (excluded.at - r.at) * $2))),"
                                           " allowed = least ($3, r.tokens + (excluded.at - r.at) * $2) >= 1,"
                                           " at = excluded.at"
                                           " RETURNING granted, tokens",
                                           error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, key);
  enr_db_stmt_bind_double (stmt, 2, rate);
  enr_db_stmt_bind_double (stmt, 3, burst);
  enr_db_stmt_bind_int64 (stmt, 4, block);
  if (enr_db_stmt_step (stmt, error) != ENR_DB_STEP_ROW)
    {
      enr_db_stmt_reset (stmt);
      return FALSE;
    }
  *granted = (guint) CLAMP (enr_db_stmt_column_double (stmt, 0), 0, block);
  if (*granted == 0)
    *wait = MAX (1, (guint) ceil ((1.0 - enr_db_stmt_column_double (stmt, 1)) / rate));
  enr_db_stmt_reset (stmt);

  return TRUE;
}

/* Forgets the buckets full again (they hold nothing), then the oldest
 * beyond @max_keys. */
gboolean
enr_service_store_prune_rate_limits (EnrServiceStore  *self,
                                     double            rate,
                                     double            burst,
                                     guint             max_keys,
                                     GError          **error)
{
  EnrDbStmt *stmt;

  if (enr_db_get_backend (self->db) != ENR_DB_POSTGRESQL)
    return TRUE;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "DELETE FROM rate_limits WHERE at <"
                                           " extract (epoch FROM clock_timestamp ()) - $1",
                                           error)))
    return FALSE;
  enr_db_stmt_bind_double (stmt, 1, rate > 0 ? burst / rate : 0);
  if (!enr_db_stmt_run (stmt, error))
    return FALSE;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "DELETE FROM rate_limits WHERE key IN"
                                           " (SELECT key FROM rate_limits ORDER BY at DESC OFFSET $1)",
                                           error)))
    return FALSE;
  enr_db_stmt_bind_int64 (stmt, 1, max_keys);

  return enr_db_stmt_run (stmt, error);
}

/* Idempotency records */

void
enr_service_stored_response_free (EnrServiceStoredResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->method);
  g_free (response->path);
  g_free (response->body_hash);
  g_free (response->content_type);
  g_free (response->etag);
  g_free (response->location);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

EnrServiceStoredResponse *
enr_service_store_find_response (EnrServiceStore  *self,
                                 const char       *user_id,
                                 const char       *key,
                                 GError          **error)
{
  EnrServiceStoredResponse *response = NULL;
  EnrDbStmt *stmt;
  EnrDbStep step;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT method, path, body_hash, status, content_type,"
                                           " etag, location, body FROM idempotency"
                                           " WHERE user_id = $1 AND key = $2",
                                           error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, user_id);
  enr_db_stmt_bind_text (stmt, 2, key);
  step = enr_db_stmt_step (stmt, error);
  if (step == ENR_DB_STEP_ROW)
    {
      response = g_new0 (EnrServiceStoredResponse, 1);
      response->method = enr_db_stmt_column_dup (stmt, 0);
      response->path = enr_db_stmt_column_dup (stmt, 1);
      response->body_hash = enr_db_stmt_column_dup (stmt, 2);
      response->status = enr_db_stmt_column_int64 (stmt, 3);
      response->content_type = enr_db_stmt_column_dup (stmt, 4);
      response->etag = enr_db_stmt_column_dup (stmt, 5);
      response->location = enr_db_stmt_column_dup (stmt, 6);
      response->body = enr_db_stmt_column_blob (stmt, 7);
    }
  else if (step == ENR_DB_STEP_DONE)
    g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND, "No stored response");
  enr_db_stmt_reset (stmt);

  return response;
}

/* The claim of @key: a row of its own in the idempotency table, status 0
 * until the write's response fills it. */
#define CLAIM_SQL \
  "INSERT INTO idempotency (user_id, key, method, path, body_hash," \
  " status, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6)" \
  " ON CONFLICT (user_id, key) DO NOTHING"

/* The claim's statement, prepared and bound; with RETURNING when it is
 * sent ahead, so that its answer says whether it held. */
static EnrDbStmt *
prepare_claim (EnrServiceStore  *self,
               const char       *user_id,
               const char       *key,
               const char       *method,
               const char       *path,
               const char       *body_hash,
               gint64            now,
               gboolean          returning,
               GError          **error)
{
  EnrDbStmt *stmt = _enr_service_store_prepare (self, returning ? CLAIM_SQL " RETURNING status" : CLAIM_SQL,
                                                error);

  if (stmt == NULL)
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, user_id);
  enr_db_stmt_bind_text (stmt, 2, key);
  enr_db_stmt_bind_text (stmt, 3, method);
  enr_db_stmt_bind_text (stmt, 4, path);
  enr_db_stmt_bind_text (stmt, 5, body_hash);
  enr_db_stmt_bind_int64 (stmt, 6, now);

  return stmt;
}

/**
 * enr_service_store_claim_response:
 * @stored: (out): %NULL when the key is claimed now, else what it holds
 *
 * Claims @key for a write before it runs: a row of its own in the
 * idempotency table, filled by enr_service_store_save_response() when the
 * write succeeds and gone with the transaction when it fails. When the
 * key is taken, @stored is the response recorded under it. On PostgreSQL
 * a transaction that holds the same key and has not finished makes this
 * wait for it: the same key sent to two instances at once runs once, and
 * the second gets the first's response.
 */
gboolean
enr_service_store_claim_response (EnrServiceStore            *self,
                                  const char                 *user_id,
                                  const char                 *key,
                                  const char                 *method,
                                  const char                 *path,
                                  const char                 *body_hash,
                                  gint64                      now,
                                  EnrServiceStoredResponse  **stored,
                                  GError                    **error)
{
  EnrDbStmt *stmt;

  *stored = NULL;

  if (!(stmt = prepare_claim (self, user_id, key, method, path, body_hash, now, FALSE, error)) ||
      !enr_db_stmt_run (stmt, error))
    return FALSE;

  if (enr_db_changes (self->db) == 1)
    return TRUE;

  *stored = enr_service_store_find_response (self, user_id, key, error);

  return *stored != NULL;
}

/**
 * enr_service_store_send_claim:
 *
 * PostgreSQL, in a write transaction: claims @key as
 * enr_service_store_claim_response() does, without waiting. The claim
 * goes out with the transaction's next statement, ahead of it in the same
 * pipeline, so the write's first round trip carries it; a transaction
 * that holds the same key makes it (and what follows it) wait for that
 * one to end. enr_service_store_check_claim() says, before COMMIT,
 * whether it held.
 */
gboolean
enr_service_store_send_claim (EnrServiceStore  *self,
                              const char       *user_id,
                              const char       *key,
                              const char       *method,
                              const char       *path,
                              const char       *body_hash,
                              gint64            now,
                              GError          **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL, FALSE);
  g_return_val_if_fail (enr_db_in_transaction (self->db), FALSE);

  if (!(stmt = prepare_claim (self, user_id, key, method, path, body_hash, now, TRUE, error)))
    return FALSE;

  enr_db_stmt_defer (stmt);
  self->claim = stmt;

  return TRUE;
}

/**
 * enr_service_store_check_claim:
 * @stored: (out): %NULL when the claim sent by
 *   enr_service_store_send_claim() held, else what the key holds
 *
 * Reads the claim's answer (sending it now when no statement took it
 * along). When the key was taken, the transaction's deferred statements
 * are dropped unsent, and its work must be rolled back and @stored
 * replayed.
 */
gboolean
enr_service_store_check_claim (EnrServiceStore            *self,
                               const char                 *user_id,
                               const char                 *key,
                               EnrServiceStoredResponse  **stored,
                               GError                    **error)
{
  EnrDbStep step;

  g_return_val_if_fail (self->claim != NULL, FALSE);

  *stored = NULL;
  step = enr_db_stmt_step (self->claim, error);
  enr_db_stmt_reset (self->claim);
  self->claim = NULL;
  if (step == ENR_DB_STEP_ERROR)
    return FALSE;
  if (step == ENR_DB_STEP_ROW)
    return TRUE;

  /* The transaction will roll back: what it deferred (its writes, whose
   * change-log rows would take positions) stays here. */
  enr_db_drop_deferred (self->db);
  *stored = enr_service_store_find_response (self, user_id, key, error);
  if (*stored == NULL)
    return FALSE;

  /* A row without its answer is this transaction's own claim (another's
   * is filled in before it commits, or gone): held. */
  if ((*stored)->status == 0)
    g_clear_pointer (stored, enr_service_stored_response_free);

  return TRUE;
}

gboolean
enr_service_store_save_response (EnrServiceStore                *self,
                                 const char                     *user_id,
                                 const char                     *key,
                                 const EnrServiceStoredResponse *response,
                                 gint64                          now,
                                 GError                        **error)
{
  EnrDbStmt *stmt;
  gsize size = 0;
  gconstpointer data = NULL;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "INSERT INTO idempotency (user_id, key, method, path,"
                                           " body_hash, status, content_type, etag, location, body,"
                                           " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                                           " ON CONFLICT (user_id, key) DO UPDATE SET status = excluded.status,"
                                           " content_type = excluded.content_type, etag = excluded.etag,"
                                           " location = excluded.location, body = excluded.body",
                                           error)))
    return FALSE;

  if (response->body != NULL)
    data = g_bytes_get_data (response->body, &size);

  enr_db_stmt_bind_text (stmt, 1, user_id);
  enr_db_stmt_bind_text (stmt, 2, key);
  enr_db_stmt_bind_text (stmt, 3, response->method);
  enr_db_stmt_bind_text (stmt, 4, response->path);
  enr_db_stmt_bind_text (stmt, 5, response->body_hash);
  enr_db_stmt_bind_int64 (stmt, 6, response->status);
  enr_db_stmt_bind_text (stmt, 7, response->content_type);
  enr_db_stmt_bind_text (stmt, 8, response->etag);
  enr_db_stmt_bind_text (stmt, 9, response->location);
  enr_db_stmt_bind_blob (stmt, 10, data, size);
  enr_db_stmt_bind_int64 (stmt, 11, now);

  return _enr_service_store_run_late (self, stmt, error);
}

/* Change log and audit
 *
 * The feed's cursor is a position in the log, and a reader must never
 * pass a position whose change may still commit. SQLite's writes are one
 * transaction at a time, so every position handed out is final. A
 * PostgreSQL sequence hands positions out in call order while
 * transactions commit in any order: a reader that saw 12 committed may
 * later find 11. So each write transaction, before its first change,
 * takes a shared advisory lock keyed on the position its first change
 * will get at the earliest, in that change's own INSERT (a materialized
 * CTE, evaluated before the INSERT's row takes its position from the
 * sequence); the lock holds until the transaction ends.
 * A reader reads the last position handed out, then the lowest of those
 * locks, and reads up to just below it (pg_heads()): every transaction
 * that holds a position up to there has ended. Nobody waits on these
 * locks (they are only ever shared); pg_locks shows them. */

/* PostgreSQL, outside a transaction: @last, the last position handed out,
 * and @safe, the last one below every transaction still in flight. */
static gboolean
pg_heads (EnrServiceStore  *self,
          gint64           *last,
          gint64           *safe,
          GError          **error)
{
  EnrDbStmt *stmt;
  gint64 lowest = G_MAXINT64;

  /* The sequence first: a writer that marks its position after this
   * reads a higher one. */
  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM changes_seq",
                                           error)))
    return FALSE;
  if (enr_db_stmt_step (stmt, error) != ENR_DB_STEP_ROW)
    {
      enr_db_stmt_reset (stmt);
      return FALSE;
    }
  *last = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);

  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT min ((classid::bigint << 32) | objid::bigint) FROM pg_locks"
                                           " WHERE locktype = 'advisory' AND objsubid = 1 AND database ="
                                           " (SELECT oid FROM pg_database WHERE datname = current_database ())",
                                           error)))
    return FALSE;
  if (enr_db_stmt_step (stmt, error) != ENR_DB_STEP_ROW)
    {
      enr_db_stmt_reset (stmt);
      return FALSE;
    }
  if (!enr_db_stmt_column_is_null (stmt, 0))
    lowest = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);

  *safe = MIN (*last, lowest - 1);
  return TRUE;
}

/* Appends a change to the log; on PostgreSQL it goes out with the
 * transaction's next statement (_enr_service_store_run_late()), the
 * transaction's first change with the feed's mark. */
gboolean
enr_service_store_log_change (EnrServiceStore  *self,
                              const char       *type,
                              const char       *id,
                              gint64            version,
                              const char       *owner,
                              const char       *json,
                              GError          **error)
{
  EnrDbStmt *stmt;
  gboolean mark = enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL && !self->feed_marked;

  if (mark)
    /* The CTE's lock comes first: the INSERT's projection, which calls
     * nextval () for seq, reads the CTE's row (EXPLAIN VERBOSE: a CTE
     * Scan on mark under the Insert). The instances' long polls hear of
     * it after the COMMIT (enr_service_store_take_changes_committed()). */
    stmt = _enr_service_store_prepare (self,
                                       "WITH mark AS MATERIALIZED"
                                       " (SELECT pg_advisory_xact_lock_shared (CASE WHEN is_called"
                                       "  THEN last_value + 1 ELSE last_value END) FROM changes_seq)"
                                       " INSERT INTO changes (type, id, version, owner, deleted, json, at)"
                                       " SELECT $1::text, $2::text, $3::bigint, $4::text, $5::integer,"
                                       " $6::text, $7::bigint FROM mark",
                                       error);
  else
    stmt = _enr_service_store_prepare (self,
                                       "INSERT INTO changes (type, id, version, owner, deleted, json, at)"
                                       " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                       error);
  if (stmt == NULL)
    return FALSE;
  if (mark)
    self->feed_marked = TRUE;

  enr_db_stmt_bind_text (stmt, 1, type);
  enr_db_stmt_bind_text (stmt, 2, id);
  enr_db_stmt_bind_int64 (stmt, 3, version);
  enr_db_stmt_bind_text (stmt, 4, owner);
  enr_db_stmt_bind_int64 (stmt, 5, json == NULL);
  enr_db_stmt_bind_text (stmt, 6, json);
  enr_db_stmt_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);

  return _enr_service_store_run_late (self, stmt, error);
}

void
enr_service_change_free (EnrServiceChange *change)
{
  if (change == NULL)
    return;

  g_free (change->type);
  g_free (change->id);
  g_free (change->json);
  g_free (change);
}

static gint64
meta_int (EnrServiceStore *self,
          const char      *key)
{
  g_autofree char *text = enr_service_store_get_meta (self, key);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

/* The last position the change log handed out, even when its row is gone. */
static gint64
head_seq (EnrServiceStore  *self,
          GError          **error)
{
  EnrDbStmt *stmt;
  gint64 head = -1;

  if (enr_db_get_backend (self->db) == ENR_DB_SQLITE)
    stmt = _enr_service_store_prepare (self,
                                       "SELECT coalesce (max (head), 0) FROM"
                                       " (SELECT max (seq) AS head FROM changes"
                                       "  UNION ALL SELECT seq FROM sqlite_sequence WHERE name = 'changes')",
                                       error);
  else
    stmt = _enr_service_store_prepare (self,
                                       "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM changes_seq",
                                       error);
  if (stmt == NULL)
    return -1;
  if (enr_db_stmt_step (stmt, error) == ENR_DB_STEP_ROW)
    head = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);

  return head;
}

/**
 * enr_service_store_changes:
 * @head: (out): the position up to which the log is complete: the page
 *   holds the changes after @since up to there (or @limit of them)
 * @last: (out): the last position handed out (above @head while
 *   transactions that hold positions are in flight on PostgreSQL); a
 *   cursor above it comes from another database
 *
 * On PostgreSQL this runs its own transactions: call it outside one.
 */
gboolean
enr_service_store_changes (EnrServiceStore  *self,
                           gint64            since,
                           guint             limit,
                           const char       *owner_filter,
                           GPtrArray       **changes,
                           gint64           *horizon,
                           gint64           *head,
                           gint64           *last,
                           GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_service_change_free);
  gboolean postgresql = enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL;
  EnrDbStmt *stmt;
  EnrDbStep step;

  if (postgresql)
    {
      g_return_val_if_fail (!enr_db_in_transaction (self->db), FALSE);

      /* The heads before the snapshot: every change up to @head has
       * committed (or is gone) when the snapshot is taken. */
      if (!pg_heads (self, last, head, error) ||
          !enr_service_store_begin_read (self, error))
        return FALSE;
    }
  else if ((*head = *last = head_seq (self, error)) < 0)
    return FALSE;

  *horizon = meta_int (self, "change-horizon");

  if (owner_filter != NULL)
    stmt = _enr_service_store_prepare (self,
                                       "SELECT seq, type, id, version, deleted, json, at FROM changes"
                                       " WHERE seq > $1 AND seq <= $2 AND (owner IS NULL OR owner = $4)"
                                       " ORDER BY seq LIMIT $3",
                                       error);
  else
    stmt = _enr_service_store_prepare (self,
                                       "SELECT seq, type, id, version, deleted, json, at FROM changes"
                                       " WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3",
                                       error);
  if (stmt == NULL)
    return FALSE;

  enr_db_stmt_bind_int64 (stmt, 1, since);
  enr_db_stmt_bind_int64 (stmt, 2, *head);
  enr_db_stmt_bind_int64 (stmt, 3, limit);
  if (owner_filter != NULL)
    enr_db_stmt_bind_text (stmt, 4, owner_filter);

  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    {
      EnrServiceChange *change = g_new0 (EnrServiceChange, 1);

      change->seq = enr_db_stmt_column_int64 (stmt, 0);
      change->type = enr_db_stmt_column_dup (stmt, 1);
      change->id = enr_db_stmt_column_dup (stmt, 2);
      change->version = enr_db_stmt_column_int64 (stmt, 3);
      change->deleted = enr_db_stmt_column_int64 (stmt, 4) != 0;
      change->json = enr_db_stmt_column_dup (stmt, 5);
      change->at = enr_db_stmt_column_int64 (stmt, 6);
      g_ptr_array_add (rows, change);
    }
  enr_db_stmt_reset (stmt);

  if (postgresql && (step != ENR_DB_STEP_DONE || !enr_service_store_commit (self, error)))
    {
      enr_service_store_rollback (self);
      return FALSE;
    }
  if (step != ENR_DB_STEP_DONE)
    return FALSE;

  *changes = g_steal_pointer (&rows);
  return TRUE;
}

gboolean
enr_service_store_reset_change_log (EnrServiceStore  *self,
                                    GError          **error)
{
  g_autofree char *text = NULL;
  gint64 head;

  if ((head = head_seq (self, error)) < 0)
    return FALSE;

  text = g_strdup_printf ("%" G_GINT64_FORMAT, head);

  return enr_service_store_exec (self, "DELETE FROM changes", error) &&
         enr_service_store_set_meta (self, "change-horizon", text, error);
}

gboolean
enr_service_store_audit (EnrServiceStore  *self,
                         gint64            at,
                         const char       *user_id,
                         const char       *username,
                         const char       *action,
                         const char       *entity_type,
                         const char       *entity_id,
                         guint             status,
                         GError          **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "INSERT INTO audit (at, user_id, username, action,"
                                           " entity_type, entity_id, status) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                           error)))
    return FALSE;

  enr_db_stmt_bind_int64 (stmt, 1, at);
  enr_db_stmt_bind_text (stmt, 2, user_id);
  enr_db_stmt_bind_text (stmt, 3, username);
  enr_db_stmt_bind_text (stmt, 4, action);
  enr_db_stmt_bind_text (stmt, 5, entity_type);
  enr_db_stmt_bind_text (stmt, 6, entity_id);
  enr_db_stmt_bind_int64 (stmt, 7, status);

  return _enr_service_store_run_late (self, stmt, error);
}

static gboolean
delete_before (EnrServiceStore  *self,
               const char       *sql,
               gint64            value,
               GError          **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare (self, sql, error)))
    return FALSE;
  enr_db_stmt_bind_int64 (stmt, 1, value);

  return enr_db_stmt_run (stmt, error);
}

gboolean
enr_service_store_prune (EnrServiceStore  *self,
                         gint64            now,
                         gint64            response_max_age,
                         gint64            change_retention,
                         GError          **error)
{
  gint64 head;
  gint64 last;
  gint64 horizon;
  gint64 new_horizon;

  /* On PostgreSQL only what has committed is pruned. */
  if (enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL)
    {
      if (!pg_heads (self, &last, &head, error))
        return FALSE;
    }
  else if ((head = head_seq (self, error)) < 0)
    return FALSE;

  if (!enr_service_store_begin (self, error))
    return FALSE;

  horizon = meta_int (self, "change-horizon");
  new_horizon = head - change_retention;

  if (!delete_before (self, "DELETE FROM idempotency WHERE created_at < $1", now - response_max_age, error) ||
      !delete_before (self, "DELETE FROM sessions WHERE expires_at <= $1", now, error))
    goto failed;

  if (change_retention >= 0 && new_horizon > horizon)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, new_horizon);

      if (!delete_before (self, "DELETE FROM changes WHERE seq <= $1", new_horizon, error) ||
          !enr_service_store_set_meta (self, "change-horizon", text, error))
        goto failed;
    }

  return enr_service_store_commit (self, error);

failed:
  enr_service_store_rollback (self);
  return FALSE;
}

char *
enr_service_store_get_meta (EnrServiceStore *self,
                            const char      *key)
{
  EnrDbStmt *stmt;
  char *value = NULL;

  stmt = _enr_service_store_prepare (self, "SELECT value FROM meta WHERE key = $1", NULL);
  if (stmt == NULL)
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, key);
  if (enr_db_stmt_step (stmt, NULL) == ENR_DB_STEP_ROW)
    value = enr_db_stmt_column_dup (stmt, 0);
  enr_db_stmt_reset (stmt);

  return value;
}

gboolean
enr_service_store_set_meta (EnrServiceStore  *self,
                            const char       *key,
                            const char       *value,
                            GError          **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "INSERT INTO meta (key, value) VALUES ($1, $2)"
                                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                           error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, key);
  enr_db_stmt_bind_text (stmt, 2, value);

  return enr_db_stmt_run (stmt, error);
}

/* enr-service-throttle.c — sign-in throttling, kept in the database
 *
 * One table, sign_in_throttle (key, failures, last_failure, locked_until,
 * expires), times in ms of real time (instances share them):
 *   "u:USERNAME"         the failures of an account
 *   "a:ADDRESS"          the failures from an address
 *   "k:USER-ID ADDRESS"  an address where the user signed in (failures 0)
 * A row may go once expires passed. The rows are read and written
 * through the store (enr-service-store-throttle.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-throttle.h"

#define PRUNE_EVERY   1000   /* charges between two prunes, besides maintenance */
#define MAX_DOUBLINGS 6      /* the longest delay is 64 times the first */

typedef EnrServiceThrottleRow Row;

void
enr_service_throttle_config_init (EnrServiceThrottleConfig *config)
{
  config->account_free = 5;
  config->account_lock = 10;
  config->address_free = 20;
  config->address_lock = 50;
  config->delay_ms = ENR_SERVICE_DEFAULT_SIGN_IN_DELAY_MS;
  config->lock_seconds = ENR_SERVICE_DEFAULT_SIGN_IN_LOCK_SECONDS;
  config->forget_seconds = 24 * 60 * 60;
  config->known_days = 30;
  config->max_rows = 100000;
}

/* Reads a counter, forgetting failures that are old enough. */
static gboolean
read_counter (EnrServiceStore                *store,
              const EnrServiceThrottleConfig *config,
              const char                     *key,
              gint64                          now_ms,
              Row                            *row,
              GError                        **error)
{
  if (!enr_service_store_get_throttle (store, key, row, error))
    return FALSE;

  if (row->exists && row->locked_until <= now_ms &&
      row->last_failure + (gint64) config->forget_seconds * 1000 <= now_ms)
    row->failures = 0;

  return TRUE;
}

static void
set_expiry (const EnrServiceThrottleConfig *config,
            Row                            *row)
{
  row->expires = MAX (row->last_failure + (gint64) config->forget_seconds * 1000, row->locked_until);
}

/* When may a counter with these failures try again (0: now)? */
static gint64
allowed_from (const EnrServiceThrottleConfig *config,
              const Row                      *row,
              guint                           free,
              gint64                          now_ms,
              gboolean                       *locked)
{
  gint64 delay;
  guint doublings;

  *locked = row->locked_until > now_ms;
  if (*locked)
    return row->locked_until;
  if (row->failures < free)
    return 0;

  /* Never a good part of a lock: a delay is not a lock. */
  doublings = MIN (row->failures - free, MAX_DOUBLINGS);
  delay = MIN ((gint64) config->delay_ms << doublings, (gint64) config->lock_seconds * 1000 / 4);

  return row->last_failure + delay > now_ms ? row->last_failure + delay : 0;
}

static char *
known_key (const char *user_id,
           const char *address)
{
  return g_strconcat ("k:", user_id, " ", address, NULL);
}

static gboolean
is_known (EnrServiceStore  *store,
          const char       *user_id,
          const char       *address,
          gint64            now_ms,
          gboolean         *known,
          GError          **error)
{
  g_autofree char *key = NULL;
  Row row;

  *known = FALSE;
  if (user_id == NULL)
    return TRUE;

  key = known_key (user_id, address);
  if (!enr_service_store_get_throttle (store, key, &row, error))
    return FALSE;
  *known = row.exists && row.expires > now_ms;

  return TRUE;
}

gboolean
enr_service_throttle_prune (EnrServiceStore                *store,
                            const EnrServiceThrottleConfig *config,
                            gint64                          now_ms,
                            GError                        **error)
{
  return enr_service_store_prune_throttle (store, now_ms, config->max_rows, error);
}

/* Before the password is checked: may this attempt go on? When it may, it
 * is charged as a failure of the account and of the address. */
gboolean
enr_service_throttle_check (EnrServiceStore                *store,
                            const EnrServiceThrottleConfig *config,
                            const char                     *username,
                            const char                     *user_id,
                            const char                     *address,
                            gint64                          now_ms,
                            EnrServiceThrottleCheck        *check,
                            GError                        **error)
{
  static guint charges;   /* atomic: PostgreSQL checks on several threads */
  g_autofree char *account_key = g_strconcat ("u:", username, NULL);
  g_autofree char *address_key = g_strconcat ("a:", address, NULL);
  Row account;
  Row from;
  gboolean known;
  gboolean locked;
  gint64 until;

  *check = (EnrServiceThrottleCheck) { ENR_SERVICE_THROTTLE_ALLOWED, 0, FALSE };

  if (!read_counter (store, config, address_key, now_ms, &from, error) ||
      !read_counter (store, config, account_key, now_ms, &account, error) ||
      !is_known (store, user_id, address, now_ms, &known, error))
    return FALSE;

  until = allowed_from (config, &from, config->address_free, now_ms, &locked);
  if (until > 0)
    {
      check->verdict = locked ? ENR_SERVICE_THROTTLE_LOCKED : ENR_SERVICE_THROTTLE_DELAYED;
      check->retry_ms = until - now_ms;
      check->by_address = TRUE;
      return TRUE;
    }

  until = known ? 0 : allowed_from (config, &account, config->account_free, now_ms, &locked);
  if (until > 0)
    {
      check->verdict = locked ? ENR_SERVICE_THROTTLE_LOCKED : ENR_SERVICE_THROTTLE_DELAYED;
      check->retry_ms = until - now_ms;
      return TRUE;
    }

  from.failures++;
  from.last_failure = now_ms;
  set_expiry (config, &from);
  account.failures++;
  account.last_failure = now_ms;
  set_expiry (config, &account);

  if (!enr_service_store_put_throttle (store, address_key, &from, error) ||
      !enr_service_store_put_throttle (store, account_key, &account, error))
    return FALSE;

  if (((guint) g_atomic_int_add (&charges, 1) + 1) % PRUNE_EVERY == 0)
    return enr_service_throttle_prune (store, config, now_ms, error);

  return TRUE;
}

/* Locks @key when its failures reached @lock; audits a new lock. */
static gboolean
lock_if_due (EnrServiceStore                *store,
             const EnrServiceThrottleConfig *config,
             const char                     *key,
             guint                           lock,
             const char                     *username,
             const char                     *user_id,
             const char                     *entity_type,
             const char                     *entity_id,
             gint64                          now_ms,
             GError                        **error)
{
  Row row;
  gboolean was_locked;

  if (!enr_service_store_get_throttle (store, key, &row, error))
    return FALSE;
  if (!row.exists || row.failures < lock)
    return TRUE;

  was_locked = row.locked_until > now_ms;
  row.locked_until = MAX (row.locked_until, now_ms + (gint64) config->lock_seconds * 1000);
  set_expiry (config, &row);
  if (!enr_service_store_put_throttle (store, key, &row, error))
    return FALSE;

  if (was_locked)
    return TRUE;

  g_message ("Sign-in locked for %u s: %s %s after %" G_GINT64_FORMAT " failures",
             config->lock_seconds, entity_type, entity_id, row.failures);

  return enr_service_store_audit (store, now_ms / 1000, user_id, username, "lock sign-in",
                                  entity_type, entity_id, 429, error);
}

/* The password was wrong (the failure was charged already). */
gboolean
enr_service_throttle_failed (EnrServiceStore                *store,
                             const EnrServiceThrottleConfig *config,
                             const char                     *username,
                             const char                     *user_id,
                             const char                     *address,
                             gint64                          now_ms,
                             GError                        **error)
{
  g_autofree char *account_key = g_strconcat ("u:", username, NULL);
  g_autofree char *address_key = g_strconcat ("a:", address, NULL);

  return lock_if_due (store, config, address_key, config->address_lock, username, user_id,
                      "address", address, now_ms, error) &&
         lock_if_due (store, config, account_key, config->account_lock, username, user_id,
                      "account", username, now_ms, error);
}

/* Takes back the failure enr_service_throttle_check() charged to @key. */
static gboolean
refund (EnrServiceStore  *store,
        const char       *key,
        GError          **error)
{
  Row row;

  if (!enr_service_store_get_throttle (store, key, &row, error))
    return FALSE;
  if (!row.exists || row.failures == 0)
    return TRUE;

  row.failures--;

  return enr_service_store_put_throttle (store, key, &row, error);
}

/* The password was right: the account's failures are forgotten, the
 * address's charge refunded, and the address known for this user. While
 * the account is locked (the user signed in from a known address), its
 * lock and failures stay for everyone else: the user's sign-in does not
 * hand whoever is guessing a fresh set of attempts. */
gboolean
enr_service_throttle_succeeded (EnrServiceStore                *store,
                                const EnrServiceThrottleConfig *config,
                                const char                     *username,
                                const char                     *user_id,
                                const char                     *address,
                                gint64                          now_ms,
                                GError                        **error)
{
  g_autofree char *account_key = g_strconcat ("u:", username, NULL);
  g_autofree char *address_key = g_strconcat ("a:", address, NULL);
  g_autofree char *known = known_key (user_id, address);
  Row account;
  Row row = { TRUE, 0, 0, 0, now_ms + (gint64) config->known_days * 24 * 60 * 60 * 1000 };

  /* The keys in the order enr_service_throttle_check() takes them:
   * address, account, known address (enr-service-store-throttle.c). */
  if (!refund (store, address_key, error) ||
      !enr_service_store_get_throttle (store, account_key, &account, error))
    return FALSE;

  if (account.exists && account.locked_until > now_ms)
    {
      if (!refund (store, account_key, error))
        return FALSE;
    }
  else if (!enr_service_store_delete_throttle (store, account_key, error))
    return FALSE;

  return enr_service_store_put_throttle (store, known, &row, error);
}

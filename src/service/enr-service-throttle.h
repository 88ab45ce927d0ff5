/* enr-service-throttle.h — sign-in throttling, kept in the database
 *
 * Failed sign-ins are counted per account (the user name tried, whether it
 * exists or not, so that the answers tell nothing) and per client address
 * (enr_service_address_key()). Past a few free failures each further
 * attempt must wait a delay that doubles with every failure (up to 64
 * times the first, 64 s by default, and at most a quarter of a lock); past
 * the lock
 * threshold the account or address is locked for a while, and every
 * failure after that locks it again. A waiting or locked attempt gets 429
 * with Retry-After, and its password is not even checked. Failures are
 * forgotten a day after the last one, an account's at once when it signs
 * in. Locks are written to the audit log.
 *
 * An address where a user signed in successfully is known for a month: the
 * account's delays and lock do not apply to the user's sign-ins from there
 * (the address's own still do), so someone guessing the password from
 * elsewhere cannot lock the real user out for good.
 *
 * Each attempt is charged as a failure before the password is checked and
 * refunded when it was right: attempts sent together cannot slip past the
 * count. The state is a table of the service's store, so that several
 * service instances over one database share it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-service-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint account_free;     /* failures of an account before delays start */
  guint account_lock;     /* failures of an account that lock it */
  guint address_free;     /* the same for an address */
  guint address_lock;
  guint delay_ms;         /* the first delay; doubled by each failure, up to 64 times */
  guint lock_seconds;     /* a lock lasts this long */
  guint forget_seconds;   /* failures are forgotten this long after the last */
  guint known_days;       /* an address is known this long after a sign-in */
  guint max_rows;         /* the table is pruned to this many rows */
} EnrServiceThrottleConfig;

#define ENR_SERVICE_DEFAULT_SIGN_IN_DELAY_MS     1000
#define ENR_SERVICE_DEFAULT_SIGN_IN_LOCK_SECONDS (15 * 60)

typedef enum
{
  ENR_SERVICE_THROTTLE_ALLOWED,
  ENR_SERVICE_THROTTLE_DELAYED,
  ENR_SERVICE_THROTTLE_LOCKED,
} EnrServiceThrottleVerdict;

typedef struct
{
  EnrServiceThrottleVerdict verdict;
  gint64                    retry_ms;     /* how long until it may try again */
  gboolean                  by_address;   /* the address is throttled, not the account */
} EnrServiceThrottleCheck;

void     enr_service_throttle_config_init (EnrServiceThrottleConfig       *config);

/* Each runs inside the caller's transaction; times are real time in ms. */
gboolean enr_service_throttle_check      (EnrServiceStore                *store,
                                          const EnrServiceThrottleConfig *config,
                                          const char                     *username,
                                          const char                     *user_id,
                                          const char                     *address,
                                          gint64                          now_ms,
                                          EnrServiceThrottleCheck        *check,
                                          GError                        **error);
gboolean enr_service_throttle_failed     (EnrServiceStore                *store,
                                          const EnrServiceThrottleConfig *config,
                                          const char                     *username,
                                          const char                     *user_id,
                                          const char                     *address,
                                          gint64                          now_ms,
                                          GError                        **error);
gboolean enr_service_throttle_succeeded  (EnrServiceStore                *store,
                                          const EnrServiceThrottleConfig *config,
                                          const char                     *username,
                                          const char                     *user_id,
                                          const char                     *address,
                                          gint64                          now_ms,
                                          GError                        **error);
gboolean enr_service_throttle_prune      (EnrServiceStore                *store,
                                          const EnrServiceThrottleConfig *config,
                                          gint64                          now_ms,
                                          GError                        **error);

G_END_DECLS

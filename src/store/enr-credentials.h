/* enr-credentials.h — what lets a user work offline: a slow salted verifier of their password
 *
 * At each successful online sign-in the client keeps, per user, an
 * Argon2id hash of the password with a random salt (never the password,
 * never the session token), as SSSD's cached credentials do for Linux
 * logins. Working offline, and unlocking an idle client, check a password
 * against it. Wrong passwords are throttled with growing delays, kept in
 * the store so that restarting the client does not reset them; a verifier
 * expires after a number of days without an online sign-in.
 *
 * Hashing takes a deliberate fraction of a second and 46 MiB of memory:
 * run enr_credential_new_for_password() and enr_credential_check_password()
 * in a thread. An EnrCredential is immutable once made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-store.h"

G_BEGIN_DECLS

/* OWASP's Password Storage Cheat Sheet, Argon2id: 46 MiB of memory, one
 * pass, one lane (equal in strength to its other listed settings). Kept
 * with each verifier, so that raising them takes effect at each user's
 * next online sign-in. */
#define ENR_CREDENTIAL_ALGORITHM     "argon2id"
#define ENR_CREDENTIAL_MEMORY_KIB    47104
#define ENR_CREDENTIAL_ITERATIONS    1
#define ENR_CREDENTIAL_LANES         1
#define ENR_CREDENTIAL_SALT_BYTES    16
#define ENR_CREDENTIAL_HASH_BYTES    32

/* Wrong passwords: this many go without a wait, then 5 s, 10 s, 20 s, …
 * up to 15 minutes between attempts. */
#define ENR_CREDENTIAL_FREE_FAILURES 2
#define ENR_CREDENTIAL_FIRST_DELAY   (G_GINT64_CONSTANT (5) * G_USEC_PER_SEC)
#define ENR_CREDENTIAL_MAX_DELAY     (G_GINT64_CONSTANT (15) * 60 * G_USEC_PER_SEC)

typedef struct _EnrCredential EnrCredential;

#define ENR_TYPE_CREDENTIAL (enr_credential_get_type ())

GType           enr_credential_get_type           (void) G_GNUC_CONST;

EnrCredential  *enr_credential_new_for_password   (const char           *username,
                                                   const char           *password,
                                                   gint64                signed_in_at,
                                                   GError              **error);
EnrCredential  *enr_credential_new                (const char           *username,
                                                   const char           *algorithm,
                                                   guint                 memory_kib,
                                                   guint                 iterations,
                                                   guint                 lanes,
                                                   GBytes               *salt,
                                                   GBytes               *hash,
                                                   gint64                signed_in_at,
                                                   guint                 failures,
                                                   gint64                last_failure_at);
EnrCredential  *enr_credential_ref                (EnrCredential        *self);
void            enr_credential_unref              (EnrCredential        *self);

const char     *enr_credential_get_username       (const EnrCredential  *self);
const char     *enr_credential_get_algorithm      (const EnrCredential  *self);
guint           enr_credential_get_memory_kib     (const EnrCredential  *self);
guint           enr_credential_get_iterations     (const EnrCredential  *self);
guint           enr_credential_get_lanes          (const EnrCredential  *self);
GBytes         *enr_credential_get_salt           (const EnrCredential  *self);
GBytes         *enr_credential_get_hash           (const EnrCredential  *self);
gint64          enr_credential_get_signed_in_at   (const EnrCredential  *self);
guint           enr_credential_get_failures       (const EnrCredential  *self);
gint64          enr_credential_get_last_failure_at (const EnrCredential *self);

gboolean        enr_credential_check_password     (const EnrCredential  *self,
                                                   const char           *password,
                                                   gboolean             *matches,
                                                   GError              **error);

/* Policy, at the wall-clock time @now (µs since the epoch). */
gint64          enr_credential_delay_after        (guint                 failures);
gint64          enr_credential_get_wait           (const EnrCredential  *self,
                                                   gint64                now);
gboolean        enr_credential_is_expired         (const EnrCredential  *self,
                                                   gint64                now,
                                                   guint                 max_days);

gboolean        enr_constant_time_equal           (const guint8         *a,
                                                   const guint8         *b,
                                                   gsize                 length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrCredential, enr_credential_unref)

/* In the store (enr-store-credentials.c): one verifier per user. */
gboolean        enr_store_put_credential          (EnrStore             *self,
                                                   EnrCredential        *credential,
                                                   EnrUser              *user,
                                                   GError              **error);
EnrCredential  *enr_store_get_credential          (EnrStore             *self,
                                                   const char           *username,
                                                   GError              **error);
EnrUser        *enr_store_get_credential_user     (EnrStore             *self,
                                                   const char           *username,
                                                   GError              **error);
gboolean        enr_store_note_offline_attempt    (EnrStore             *self,
                                                   const char           *username,
                                                   gint64                now,
                                                   GError              **error);
gboolean        enr_store_clear_offline_failures  (EnrStore             *self,
                                                   const char           *username,
                                                   GError              **error);

G_END_DECLS

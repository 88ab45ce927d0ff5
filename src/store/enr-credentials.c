/* enr-credentials.c — what lets a user work offline: a slow salted verifier of their password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Argon2id (RFC 9106) from Debian's libargon2, the reference
 * implementation: memory-hard, so that guessing the password from a copy
 * of the verifier (a stolen laptop) costs memory as well as time on every
 * guess, which graphics cards and special hardware cannot cheapen as they
 * do for PBKDF2. The hash is compared in constant time.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <argon2.h>
#include <glib/gi18n-lib.h>

#include "enr-credentials.h"
#include "enr-store.h"

struct _EnrCredential
{
  gatomicrefcount  ref_count;

  char            *username;
  char            *algorithm;
  guint            memory_kib;
  guint            iterations;
  guint            lanes;
  GBytes          *salt;
  GBytes          *hash;
  gint64           signed_in_at;
  guint            failures;
  gint64           last_failure_at;
};

G_DEFINE_BOXED_TYPE (EnrCredential, enr_credential, enr_credential_ref, enr_credential_unref)

/**
 * enr_constant_time_equal:
 *
 * Compares @length bytes in a time that depends on @length only, not on
 * where they first differ.
 */
gboolean
enr_constant_time_equal (const guint8 *a,
                         const guint8 *b,
                         gsize         length)
{
  volatile guint8 difference = 0;

  for (gsize i = 0; i < length; i++)
    difference |= a[i] ^ b[i];

  return difference == 0;
}

static gboolean
fill_random (guint8  *buffer,
             gsize    length,
             GError **error)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t got = getrandom (buffer + done, length - done, 0);

      if (got < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;

          g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                       _("The system gave no random numbers: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize) got;
    }

  return TRUE;
}

static gboolean
hash_password (const char    *password,
               guint          memory_kib,
               guint          iterations,
               guint          lanes,
               GBytes        *salt,
               guint8        *out,
               gsize          out_length,
               GError       **error)
{
  gsize salt_length;
  const guint8 *salt_data = g_bytes_get_data (salt, &salt_length);
  int rc;

  rc = argon2id_hash_raw (iterations, memory_kib, lanes,
                          password, strlen (password),
                          salt_data, salt_length,
                          out, out_length);
  if (rc != ARGON2_OK)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("The password could not be checked: %s"), argon2_error_message (rc));
      return FALSE;
    }

  return TRUE;
}

/**
 * enr_credential_new_for_password:
 * @signed_in_at: when @username signed in online with @password (µs)
 *
 * Makes a verifier of @password with a new random salt and the current
 * parameters. Slow: run it in a thread.
 *
 * Returns: (transfer full): the verifier, or %NULL with @error set
 */
EnrCredential *
enr_credential_new_for_password (const char  *username,
                                 const char  *password,
                                 gint64       signed_in_at,
                                 GError     **error)
{
  guint8 salt[ENR_CREDENTIAL_SALT_BYTES];
  guint8 hash[ENR_CREDENTIAL_HASH_BYTES];
  g_autoptr(GBytes) salt_bytes = NULL;
  g_autoptr(GBytes) hash_bytes = NULL;

  g_return_val_if_fail (username != NULL && username[0] != '\0', NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (!fill_random (salt, sizeof salt, error))
    return NULL;

  salt_bytes = g_bytes_new (salt, sizeof salt);
  if (!hash_password (password, ENR_CREDENTIAL_MEMORY_KIB, ENR_CREDENTIAL_ITERATIONS, ENR_CREDENTIAL_LANES,
                      salt_bytes, hash, sizeof hash, error))
    return NULL;

  hash_bytes = g_bytes_new (hash, sizeof hash);
  explicit_bzero (hash, sizeof hash);

  return enr_credential_new (username, ENR_CREDENTIAL_ALGORITHM,
                             ENR_CREDENTIAL_MEMORY_KIB, ENR_CREDENTIAL_ITERATIONS, ENR_CREDENTIAL_LANES,
                             salt_bytes, hash_bytes, signed_in_at, 0, 0);
}

/**
 * enr_credential_new:
 *
 * A verifier as the store keeps it.
 *
 * Returns: (transfer full): the verifier
 */
EnrCredential *
enr_credential_new (const char *username,
                    const char *algorithm,
                    guint       memory_kib,
                    guint       iterations,
                    guint       lanes,
                    GBytes     *salt,
                    GBytes     *hash,
                    gint64      signed_in_at,
                    guint       failures,
                    gint64      last_failure_at)
{
  EnrCredential *self;

  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (algorithm != NULL, NULL);
  g_return_val_if_fail (salt != NULL && hash != NULL, NULL);

  self = g_new0 (EnrCredential, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->username = g_strdup (username);
  self->algorithm = g_strdup (algorithm);
  self->memory_kib = memory_kib;
  self->iterations = iterations;
  self->lanes = lanes;
  self->salt = g_bytes_ref (salt);
  self->hash = g_bytes_ref (hash);
  self->signed_in_at = signed_in_at;
  self->failures = failures;
  self->last_failure_at = last_failure_at;
  return self;
}

EnrCredential *
enr_credential_ref (EnrCredential *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
enr_credential_unref (EnrCredential *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->username);
  g_free (self->algorithm);
  g_bytes_unref (self->salt);
  g_bytes_unref (self->hash);
  g_free (self);
}

const char *
enr_credential_get_username (const EnrCredential *self)
{
  return self->username;
}

const char *
enr_credential_get_algorithm (const EnrCredential *self)
{
  return self->algorithm;
}

guint
enr_credential_get_memory_kib (const EnrCredential *self)
{
  return self->memory_kib;
}

guint
enr_credential_get_iterations (const EnrCredential *self)
{
  return self->iterations;
}

guint
enr_credential_get_lanes (const EnrCredential *self)
{
  return self->lanes;
}

/* Returns: (transfer none) */
GBytes *
enr_credential_get_salt (const EnrCredential *self)
{
  return self->salt;
}

/* Returns: (transfer none) */
GBytes *
enr_credential_get_hash (const EnrCredential *self)
{
  return self->hash;
}

/* When the user last signed in online here (µs since the epoch). */
gint64
enr_credential_get_signed_in_at (const EnrCredential *self)
{
  return self->signed_in_at;
}

/* Wrong passwords since the last right one. */
guint
enr_credential_get_failures (const EnrCredential *self)
{
  return self->failures;
}

gint64
enr_credential_get_last_failure_at (const EnrCredential *self)
{
  return self->last_failure_at;
}

/**
 * enr_credential_check_password:
 * @matches: (out): whether @password is the one the verifier was made of
 *
 * Slow: run it in a thread.
 *
 * Returns: %FALSE with @error set when the password could not be checked
 *   (a verifier of an unknown kind or with bad parameters)
 */
gboolean
enr_credential_check_password (const EnrCredential  *self,
                               const char           *password,
                               gboolean             *matches,
                               GError              **error)
{
  g_autofree guint8 *computed = NULL;
  const guint8 *expected;
  gsize length;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (matches != NULL, FALSE);

  *matches = FALSE;
  expected = g_bytes_get_data (self->hash, &length);

  if (!g_str_equal (self->algorithm, ENR_CREDENTIAL_ALGORITHM) ||
      length < 16 || length > 64 || g_bytes_get_size (self->salt) < 8 ||
      self->memory_kib < 8 * self->lanes || self->memory_kib > 4 * 1024 * 1024 ||
      self->iterations < 1 || self->lanes < 1 ||
      self->iterations > 100 || self->lanes > 64)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   _("The offline password of %s is kept in a form this version does not know (%s)"),
                   self->username, self->algorithm);
      return FALSE;
    }

  computed = g_malloc (length);
  if (!hash_password (password, self->memory_kib, self->iterations, self->lanes,
                      self->salt, computed, length, error))
    return FALSE;

  *matches = enr_constant_time_equal (computed, expected, length);
  explicit_bzero (computed, length);
  return TRUE;
}

/**
 * enr_credential_delay_after:
 * @failures: wrong passwords in a row
 *
 * Returns: how long (µs) to wait after them before the next attempt
 */
gint64
enr_credential_delay_after (guint failures)
{
  guint doublings;

  if (failures <= ENR_CREDENTIAL_FREE_FAILURES)
    return 0;

  doublings = failures - ENR_CREDENTIAL_FREE_FAILURES - 1;
  if (doublings >= 16)
    return ENR_CREDENTIAL_MAX_DELAY;

  return MIN (ENR_CREDENTIAL_FIRST_DELAY << doublings, ENR_CREDENTIAL_MAX_DELAY);
}

/**
 * enr_credential_get_wait:
 *
 * Returns: how long (µs) from @now until the next attempt is allowed; 0:
 *   now. A clock set back does not lengthen the wait past the delay.
 */
gint64
enr_credential_get_wait (const EnrCredential *self,
                         gint64               now)
{
  gint64 delay = enr_credential_delay_after (self->failures);

  if (delay == 0)
    return 0;

  return CLAMP (self->last_failure_at + delay - now, 0, delay);
}

/**
 * enr_credential_is_expired:
 * @max_days: how many days a verifier lasts without an online sign-in
 *
 * Returns: whether the user must sign in online before working offline
 */
gboolean
enr_credential_is_expired (const EnrCredential *self,
                           gint64               now,
                           guint                max_days)
{
  return now - self->signed_in_at > (gint64) max_days * 24 * 60 * 60 * G_USEC_PER_SEC;
}

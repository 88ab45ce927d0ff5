/* enr-service-auth.c — password hashes and session tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "enr-service-auth.h"

#define SHA256_LEN   32
#define SHA256_BLOCK 64

typedef struct
{
  GChecksum *inner;
  GChecksum *outer;
} Hmac;

static void
hmac_init (Hmac         *hmac,
           const guint8 *key,
           gsize         key_len)
{
  guint8 block[SHA256_BLOCK] = { 0 };
  guint8 pad[SHA256_BLOCK];

  if (key_len > SHA256_BLOCK)
    {
      g_autoptr(GChecksum) digest = g_checksum_new (G_CHECKSUM_SHA256);
      gsize len = SHA256_LEN;

      g_checksum_update (digest, key, key_len);
      g_checksum_get_digest (digest, block, &len);
    }
  else
    {
      memcpy (block, key, key_len);
    }

  hmac->inner = g_checksum_new (G_CHECKSUM_SHA256);
  for (guint i = 0; i < SHA256_BLOCK; i++)
    pad[i] = block[i] ^ 0x36;
  g_checksum_update (hmac->inner, pad, SHA256_BLOCK);

  hmac->outer = g_checksum_new (G_CHECKSUM_SHA256);
  for (guint i = 0; i < SHA256_BLOCK; i++)
    pad[i] = block[i] ^ 0x5c;
  g_checksum_update (hmac->outer, pad, SHA256_BLOCK);

  memset (block, 0, sizeof block);
  memset (pad, 0, sizeof pad);
}

static void
hmac_clear (Hmac *hmac)
{
  g_clear_pointer (&hmac->inner, g_checksum_free);
  g_clear_pointer (&hmac->outer, g_checksum_free);
}

/* out = HMAC(key, part1 || part2), out is SHA256_LEN bytes. */
static void
hmac_compute (const Hmac   *hmac,
              const guint8 *part1,
              gsize         part1_len,
              const guint8 *part2,
              gsize         part2_len,
              guint8       *out)
{
  GChecksum *inner = g_checksum_copy (hmac->inner);
  GChecksum *outer = g_checksum_copy (hmac->outer);
  guint8 inner_digest[SHA256_LEN];
  gsize len = SHA256_LEN;

  g_checksum_update (inner, part1, part1_len);
  if (part2_len > 0)
    g_checksum_update (inner, part2, part2_len);
  g_checksum_get_digest (inner, inner_digest, &len);

  g_checksum_update (outer, inner_digest, SHA256_LEN);
  len = SHA256_LEN;
  g_checksum_get_digest (outer, out, &len);

  g_checksum_free (inner);
  g_checksum_free (outer);
}

void
enr_service_pbkdf2_sha256 (const guint8 *password,
                           gsize         password_len,
                           const guint8 *salt,
                           gsize         salt_len,
                           guint         iterations,
                           guint8       *out,
                           gsize         out_len)
{
  Hmac hmac;
  guint32 block_index = 1;
  gsize done = 0;

  g_return_if_fail (iterations > 0);

  hmac_init (&hmac, password, password_len);

  while (done < out_len)
    {
      guint8 counter[4];
      guint8 u[SHA256_LEN];
      guint8 t[SHA256_LEN];
      gsize take;

      counter[0] = (block_index >> 24) & 0xff;
      counter[1] = (block_index >> 16) & 0xff;
      counter[2] = (block_index >> 8) & 0xff;
      counter[3] = block_index & 0xff;

      hmac_compute (&hmac, salt, salt_len, counter, sizeof counter, u);
      memcpy (t, u, SHA256_LEN);

      for (guint i = 1; i < iterations; i++)
        {
          hmac_compute (&hmac, u, SHA256_LEN, NULL, 0, u);
          for (guint j = 0; j < SHA256_LEN; j++)
            t[j] ^= u[j];
        }

      take = MIN (out_len - done, (gsize) SHA256_LEN);
      memcpy (out + done, t, take);
      done += take;
      block_index++;
    }

  hmac_clear (&hmac);
}

void
enr_service_random_bytes (guint8 *buffer,
                          gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = getrandom (buffer + done, len - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("getrandom failed: %s", g_strerror (errno));
        }
      done += n;
    }
}

gboolean
enr_service_constant_time_equal (const guint8 *a,
                                 const guint8 *b,
                                 gsize         len)
{
  guint8 diff = 0;

  for (gsize i = 0; i < len; i++)
    diff |= a[i] ^ b[i];

  return diff == 0;
}

char *
enr_service_password_hash (const char *password,
                           guint       iterations)
{
  guint8 salt[ENR_SERVICE_SALT_BYTES];
  guint8 hash[SHA256_LEN];
  g_autofree char *salt64 = NULL;
  g_autofree char *hash64 = NULL;

  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (iterations > 0, NULL);

  enr_service_random_bytes (salt, sizeof salt);
  enr_service_pbkdf2_sha256 ((const guint8 *) password, strlen (password),
                             salt, sizeof salt, iterations, hash, sizeof hash);
  salt64 = g_base64_encode (salt, sizeof salt);
  hash64 = g_base64_encode (hash, sizeof hash);

  return g_strdup_printf ("pbkdf2-sha256$%u$%s$%s", iterations, salt64, hash64);
}

gboolean
enr_service_password_verify (const char *stored,
                             const char *password)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *expected = NULL;
  guint8 actual[SHA256_LEN];
  gsize salt_len = 0;
  gsize expected_len = 0;
  guint64 iterations = 0;

  if (stored == NULL || password == NULL)
    return FALSE;

  parts = g_strsplit (stored, "$", 0);
  if (g_strv_length (parts) != 4 || g_strcmp0 (parts[0], "pbkdf2-sha256") != 0)
    return FALSE;
  if (!g_ascii_string_to_unsigned (parts[1], 10, 1, 10000000, &iterations, NULL))
    return FALSE;

  salt = g_base64_decode (parts[2], &salt_len);
  expected = g_base64_decode (parts[3], &expected_len);
  if (salt_len == 0 || expected_len != SHA256_LEN)
    return FALSE;

  enr_service_pbkdf2_sha256 ((const guint8 *) password, strlen (password),
                             salt, salt_len, (guint) iterations,
                             actual, sizeof actual);

  return enr_service_constant_time_equal (actual, expected, SHA256_LEN);
}

char *
enr_service_token_new (void)
{
  guint8 bytes[ENR_SERVICE_TOKEN_BYTES];
  GString *hex = g_string_sized_new (2 * sizeof bytes);

  enr_service_random_bytes (bytes, sizeof bytes);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);

  return g_string_free (hex, FALSE);
}

char *
enr_service_token_digest (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

char *
enr_service_new_id (void)
{
  guint8 b[16];

  enr_service_random_bytes (b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* enr-service-auth.h — password hashes and session tokens
 *
 * Passwords are stored as "pbkdf2-sha256$<iterations>$<salt>$<hash>" (salt and
 * hash in base64), PBKDF2-HMAC-SHA256 with a 16-byte random salt. Session
 * tokens are 32 random bytes in hex; the store only keeps their SHA-256.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ENR_SERVICE_PBKDF2_ITERATIONS 100000
#define ENR_SERVICE_SALT_BYTES        16
#define ENR_SERVICE_TOKEN_BYTES       32

void      enr_service_pbkdf2_sha256      (const guint8 *password,
                                          gsize         password_len,
                                          const guint8 *salt,
                                          gsize         salt_len,
                                          guint         iterations,
                                          guint8       *out,
                                          gsize         out_len);
char     *enr_service_password_hash      (const char   *password,
                                          guint         iterations);
gboolean  enr_service_password_verify    (const char   *stored,
                                          const char   *password);
char     *enr_service_token_new          (void);
char     *enr_service_token_digest       (const char   *token);
gboolean  enr_service_constant_time_equal (const guint8 *a,
                                           const guint8 *b,
                                           gsize         len);
void      enr_service_random_bytes       (guint8       *buffer,
                                          gsize         len);
char     *enr_service_new_id             (void);

G_END_DECLS

/* enr-service-rate-limit.c — a token bucket per client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "enr-service-rate-limit.h"

typedef struct
{
  double tokens;
  gint64 updated;
} Bucket;

struct _EnrServiceRateLimit
{
  double      rate;
  double      burst;
  guint       max_keys;
  GHashTable *buckets;
};

EnrServiceRateLimit *
enr_service_rate_limit_new (double rate,
                            double burst)
{
  EnrServiceRateLimit *self = g_new0 (EnrServiceRateLimit, 1);

  self->rate = rate;
  self->burst = MAX (burst, 1.0);
  self->max_keys = ENR_SERVICE_RATE_LIMIT_MAX_KEYS;
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return self;
}

void
enr_service_rate_limit_free (EnrServiceRateLimit *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->buckets);
  g_free (self);
}

static void
refill (EnrServiceRateLimit *self,
        Bucket              *bucket,
        gint64               now_usec)
{
  double elapsed = (now_usec - bucket->updated) / (double) G_USEC_PER_SEC;

  if (elapsed > 0)
    {
      bucket->tokens = MIN (self->burst, bucket->tokens + elapsed * self->rate);
      bucket->updated = now_usec;
    }
}

/* Makes room for one more bucket: full ones first, then, if the table is
 * still full, an eighth of it (whatever the hash order gives). */
static void
make_room (EnrServiceRateLimit *self,
           gint64               now_usec)
{
  GHashTableIter iter;
  guint evict;

  enr_service_rate_limit_expire (self, now_usec);
  if (g_hash_table_size (self->buckets) < self->max_keys)
    return;

  evict = MAX (self->max_keys / 8, 1);
  g_hash_table_iter_init (&iter, self->buckets);
  while (evict > 0 && g_hash_table_iter_next (&iter, NULL, NULL))
    {
      g_hash_table_iter_remove (&iter);
      evict--;
    }
}

/* Returns 0 when the request may go on, or the whole seconds to wait. */
guint
enr_service_rate_limit_take (EnrServiceRateLimit *self,
                             const char          *key,
                             gint64               now_usec)
{
  Bucket *bucket;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (key != NULL, 0);

  if (self->rate <= 0)
    return 0;

  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    {
      if (g_hash_table_size (self->buckets) >= self->max_keys)
        make_room (self, now_usec);
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->updated = now_usec;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }

  refill (self, bucket, now_usec);

  if (bucket->tokens >= 1.0)
    {
      bucket->tokens -= 1.0;
      return 0;
    }

  return MAX (1, (guint) ceil ((1.0 - bucket->tokens) / self->rate));
}

/* Forgets buckets that are full again: they hold no information. */
void
enr_service_rate_limit_expire (EnrServiceRateLimit *self,
                               gint64               now_usec)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (self != NULL);

  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Bucket *bucket = value;

      refill (self, bucket, now_usec);
      if (bucket->tokens >= self->burst)
        g_hash_table_iter_remove (&iter);
    }
}

guint
enr_service_rate_limit_size (EnrServiceRateLimit *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->buckets);
}

void
enr_service_rate_limit_set_max_keys (EnrServiceRateLimit *self,
                                     guint                max_keys)
{
  g_return_if_fail (self != NULL);

  self->max_keys = MAX (max_keys, 1);
}

/* The client an address stands for: an IPv4 address, or the /64 of an
 * IPv6 one (a host has a whole /64 to pick from); IPv4-mapped IPv6 is
 * IPv4. */
char *
enr_service_address_key (GSocketAddress *address)
{
  GInetAddress *inet;
  const guint8 *bytes;

  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("unknown");

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV4)
    return g_inet_address_to_string (inet);

  bytes = g_inet_address_to_bytes (inet);
  if (g_inet_address_get_is_loopback (inet))
    return g_strdup ("::1");
  if (memcmp (bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
    return g_strdup_printf ("%u.%u.%u.%u", bytes[12], bytes[13], bytes[14], bytes[15]);

  return g_strdup_printf ("%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64",
                          bytes[0], bytes[1], bytes[2], bytes[3],
                          bytes[4], bytes[5], bytes[6], bytes[7]);
}

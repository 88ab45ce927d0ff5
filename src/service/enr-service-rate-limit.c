/* enr-service-rate-limit.c — a token bucket per client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

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
  GHashTable *buckets;
};

EnrServiceRateLimit *
enr_service_rate_limit_new (double rate,
                            double burst)
{
  EnrServiceRateLimit *self = g_new0 (EnrServiceRateLimit, 1);

  self->rate = rate;
  self->burst = MAX (burst, 1.0);
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

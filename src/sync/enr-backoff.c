/* enr-backoff.c — full-jitter exponential backoff and Retry-After
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "enr-backoff.h"

/**
 * enr_backoff_ceiling:
 * @attempt: how many attempts failed before this one (0 for the first retry)
 * @base: the first ceiling, in microseconds
 * @cap: the largest ceiling, in microseconds
 *
 * Returns: min (@cap, @base × 2^@attempt)
 */
gint64
enr_backoff_ceiling (guint  attempt,
                     gint64 base,
                     gint64 cap)
{
  gint64 ceiling = MAX (base, 0);

  cap = MAX (cap, 0);
  for (guint i = 0; i < attempt && ceiling < cap; i++)
    ceiling *= 2;

  return MIN (ceiling, cap);
}

/**
 * enr_backoff_delay:
 * @retry_after: the service's Retry-After in seconds, 0 when it sent none
 * @rand: (nullable): the random source; %NULL for the global one
 *
 * Full jitter: a uniformly random delay between 0 and the ceiling of
 * @attempt, but never shorter than what the service asked for.
 *
 * Returns: the delay in microseconds
 */
gint64
enr_backoff_delay (guint  attempt,
                   gint64 base,
                   gint64 cap,
                   guint  retry_after,
                   GRand *rand)
{
  gint64 ceiling = enr_backoff_ceiling (attempt, base, cap);
  gint64 delay = 0;
  gint64 asked;

  if (ceiling > 0)
    {
      gdouble fraction = rand != NULL ? g_rand_double (rand) : g_random_double ();

      delay = (gint64) (fraction * (gdouble) ceiling);
    }

  asked = (gint64) MIN (retry_after, ENR_BACKOFF_MAX_RETRY_AFTER) * G_USEC_PER_SEC;

  return MAX (delay, asked);
}

/**
 * enr_backoff_parse_retry_after:
 * @value: a Retry-After header: delay-seconds or an HTTP date
 * @now: the current time, for an HTTP date
 * @seconds: (out): the delay, at most %ENR_BACKOFF_MAX_RETRY_AFTER
 *
 * Returns: %TRUE when @value is a valid Retry-After
 */
gboolean
enr_backoff_parse_retry_after (const char *value,
                               GDateTime  *now,
                               guint      *seconds)
{
  guint64 number;
  g_autoptr(GDateTime) date = NULL;

  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (seconds != NULL, FALSE);

  if (value == NULL)
    return FALSE;

  while (*value == ' ' || *value == '\t')
    value++;

  if (g_ascii_isdigit (*value))
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (value));

      if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXUINT64, &number, NULL))
        return FALSE;

      *seconds = (guint) MIN (number, (guint64) ENR_BACKOFF_MAX_RETRY_AFTER);
      return TRUE;
    }

  if ((date = soup_date_time_new_from_http_string (value)) == NULL)
    return FALSE;

  {
    GTimeSpan span = g_date_time_difference (date, now);
    gint64 whole = span <= 0 ? 0 : (span + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

    *seconds = (guint) MIN (whole, (gint64) ENR_BACKOFF_MAX_RETRY_AFTER);
  }

  return TRUE;
}

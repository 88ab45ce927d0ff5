/* enr-codec-dates.c — the JSON forms of dates and instants
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"

static gboolean
parse_digits (const char *text,
              guint       n_digits,
              int        *out)
{
  int number = 0;

  for (guint i = 0; i < n_digits; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      number = number * 10 + (text[i] - '0');
    }

  *out = number;
  return TRUE;
}

/* "YYYY-MM-DD" at the start of @text, without looking past it. */
static gboolean
parse_ymd (const char *text,
           int        *year,
           int        *month,
           int        *day)
{
  return parse_digits (text, 4, year) &&
         text[4] == '-' &&
         parse_digits (text + 5, 2, month) &&
         text[7] == '-' &&
         parse_digits (text + 8, 2, day) &&
         g_date_valid_dmy (*day, *month, *year);
}

/**
 * enr_codec_parse_date:
 * @text: (nullable): text such as "2026-11-27"
 * @out: (out caller-allocates) (optional): the date
 *
 * Accepts exactly `YYYY-MM-DD`, a real calendar date in the years 1900–9999.
 *
 * Returns: %TRUE if @text is such a date
 */
gboolean
enr_codec_parse_date (const char *text,
                      GDate      *out)
{
  int year, month, day;

  if (text == NULL || strnlen (text, 11) != 10)
    return FALSE;

  if (!parse_ymd (text, &year, &month, &day) || year < 1900)
    return FALSE;

  if (out != NULL)
    {
      g_date_clear (out, 1);
      g_date_set_dmy (out, day, month, year);
    }

  return TRUE;
}

/**
 * enr_codec_format_date:
 * @date: (nullable): a date
 *
 * Returns: (transfer full) (nullable): `YYYY-MM-DD`, or %NULL if @date is
 *   %NULL or not valid
 */
char *
enr_codec_format_date (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return NULL;

  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date));
}

/**
 * enr_codec_parse_date_time:
 * @text: (nullable): RFC 3339 text such as "2026-11-27T08:00:00+01:00"
 *
 * Accepts `YYYY-MM-DDTHH:MM:SS`, optional fractional seconds (kept to the
 * microsecond), and a mandatory `Z` or `±HH:MM` offset.
 *
 * Returns: (transfer full) (nullable): the instant in its own offset, or %NULL
 */
GDateTime *
enr_codec_parse_date_time (const char *text)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) whole = NULL;
  int year, month, day, hour, minute, second;
  int offset = 0;
  int usec = 0;
  gsize pos;

  if (text == NULL || strnlen (text, 20) < 20)
    return NULL;

  if (!parse_ymd (text, &year, &month, &day) ||
      text[10] != 'T' ||
      !parse_digits (text + 11, 2, &hour) ||
      text[13] != ':' ||
      !parse_digits (text + 14, 2, &minute) ||
      text[16] != ':' ||
      !parse_digits (text + 17, 2, &second) ||
      hour > 23 || minute > 59 || second > 59)
    return NULL;

  pos = 19;
  if (text[pos] == '.')
    {
      int scale = 100000;

      pos++;
      if (!g_ascii_isdigit (text[pos]))
        return NULL;
      for (; g_ascii_isdigit (text[pos]); pos++)
        {
          usec += (text[pos] - '0') * scale;
          scale /= 10;
        }
    }

  if (text[pos] == 'Z')
    pos++;
  else if (text[pos] == '+' || text[pos] == '-')
    {
      int offset_hours, offset_minutes;

      if (!parse_digits (text + pos + 1, 2, &offset_hours) ||
          text[pos + 3] != ':' ||
          !parse_digits (text + pos + 4, 2, &offset_minutes) ||
          offset_hours > 23 || offset_minutes > 59)
        return NULL;

      offset = (offset_hours * 3600 + offset_minutes * 60) * (text[pos] == '-' ? -1 : 1);
      pos += 6;
    }
  else
    return NULL;

  if (text[pos] != '\0')
    return NULL;

  tz = g_time_zone_new_offset (offset);
  whole = g_date_time_new (tz, year, month, day, hour, minute, second);
  if (whole == NULL)
    return NULL;

  return g_date_time_add (whole, usec);
}

/**
 * enr_codec_format_date_time:
 * @date_time: an instant
 *
 * Formats @date_time as RFC 3339 in its own offset (`Z` for UTC), with
 * microseconds only when they are not zero. An offset that is not a whole
 * number of minutes is written in UTC.
 *
 * Returns: (transfer full): the text
 */
char *
enr_codec_format_date_time (GDateTime *date_time)
{
  g_autoptr(GDateTime) utc = NULL;
  GString *out;
  GTimeSpan offset;
  int year, month, day;
  int usec;

  g_return_val_if_fail (date_time != NULL, NULL);

  offset = g_date_time_get_utc_offset (date_time);
  if (offset % (60 * G_TIME_SPAN_SECOND) != 0)
    {
      date_time = utc = g_date_time_to_utc (date_time);
      offset = 0;
    }

  g_date_time_get_ymd (date_time, &year, &month, &day);
  out = g_string_new (NULL);
  g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d",
                          year, month, day,
                          g_date_time_get_hour (date_time),
                          g_date_time_get_minute (date_time),
                          g_date_time_get_second (date_time));

  usec = g_date_time_get_microsecond (date_time);
  if (usec != 0)
    g_string_append_printf (out, ".%06d", usec);

  if (offset == 0)
    g_string_append_c (out, 'Z');
  else
    {
      gint64 minutes = ABS (offset) / G_TIME_SPAN_MINUTE;

      g_string_append_printf (out, "%c%02d:%02d",
                              offset < 0 ? '-' : '+',
                              (int) (minutes / 60), (int) (minutes % 60));
    }

  return g_string_free (out, FALSE);
}

/* enr-crew-shifts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-crew-shifts.h"

typedef struct
{
  int start_minutes;
  int end_minutes;
  guint weekday_mask;
} ShiftPattern;

static const char * const weekday_names[] = {
  [G_DATE_MONDAY] = "mon",
  [G_DATE_TUESDAY] = "tue",
  [G_DATE_WEDNESDAY] = "wed",
  [G_DATE_THURSDAY] = "thu",
  [G_DATE_FRIDAY] = "fri",
  [G_DATE_SATURDAY] = "sat",
  [G_DATE_SUNDAY] = "sun",
};

G_DEFINE_QUARK (enr-schedule-error-quark, enr_schedule_error)

/**
 * enr_parse_time_of_day:
 * @text: (nullable): "HH:MM", 00:00 to 23:59, exactly five characters
 * @minutes: (out) (optional): minutes after midnight
 *
 * Returns: %TRUE when @text is a time of day
 */
gboolean
enr_parse_time_of_day (const char *text,
                       int        *minutes)
{
  int hours;
  int mins;

  if (text == NULL || strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;

  hours = g_ascii_digit_value (text[0]) * 10 + g_ascii_digit_value (text[1]);
  mins = g_ascii_digit_value (text[3]) * 10 + g_ascii_digit_value (text[4]);

  if (hours > 23 || mins > 59)
    return FALSE;

  if (minutes != NULL)
    *minutes = hours * 60 + mins;

  return TRUE;
}

/**
 * enr_parse_weekday:
 * @text: (nullable): "mon" … "sun" (ASCII case ignored)
 * @weekday: (out) (optional): the day
 *
 * Returns: %TRUE when @text names a weekday
 */
gboolean
enr_parse_weekday (const char   *text,
                   GDateWeekday *weekday)
{
  if (text == NULL)
    return FALSE;

  for (guint day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
    {
      if (g_ascii_strcasecmp (text, weekday_names[day]) == 0)
        {
          if (weekday != NULL)
            *weekday = day;
          return TRUE;
        }
    }

  return FALSE;
}

static const char *
shift_type_label (EnrCrewShiftType *type)
{
  const char *code = enr_crew_shift_type_get_code (type);

  if (code != NULL && code[0] != '\0')
    return code;

  return enr_entity_get_id (ENR_ENTITY (type));
}

static gboolean
parse_pattern (EnrCrewShiftType  *type,
               ShiftPattern      *pattern,
               GError           **error)
{
  const char *start = enr_crew_shift_type_get_start_time (type);
  const char *end = enr_crew_shift_type_get_end_time (type);
  const char * const *weekdays = enr_crew_shift_type_get_weekdays (type);

  if (!enr_parse_time_of_day (start, &pattern->start_minutes))
    {
      g_set_error (error, ENR_SCHEDULE_ERROR, ENR_SCHEDULE_ERROR_INVALID_TIME,
                   _("Shift type %s: the start time “%s” is not a time of day (HH:MM)"),
                   shift_type_label (type), start != NULL ? start : "");
      return FALSE;
    }

  if (!enr_parse_time_of_day (end, &pattern->end_minutes))
    {
      g_set_error (error, ENR_SCHEDULE_ERROR, ENR_SCHEDULE_ERROR_INVALID_TIME,
                   _("Shift type %s: the end time “%s” is not a time of day (HH:MM)"),
                   shift_type_label (type), end != NULL ? end : "");
      return FALSE;
    }

  pattern->weekday_mask = 0;
  for (guint i = 0; weekdays != NULL && weekdays[i] != NULL; i++)
    {
      GDateWeekday day;

      if (!enr_parse_weekday (weekdays[i], &day))
        {
          g_set_error (error, ENR_SCHEDULE_ERROR, ENR_SCHEDULE_ERROR_INVALID_WEEKDAY,
                       _("Shift type %s: “%s” is not a weekday (mon … sun)"),
                       shift_type_label (type), weekdays[i]);
          return FALSE;
        }

      pattern->weekday_mask |= 1u << day;
    }

  if (pattern->weekday_mask == 0)
    for (guint day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
      pattern->weekday_mask |= 1u << day;

  return TRUE;
}

static EnrCrewShiftType *
find_shift_type (GPtrArray  *shift_types,
                 const char *id)
{
  for (guint i = 0; shift_types != NULL && i < shift_types->len; i++)
    {
      EnrCrewShiftType *type = g_ptr_array_index (shift_types, i);

      if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (type)), id) == 0)
        return type;
    }

  return NULL;
}

static GDateTime *
date_time_at (GTimeZone   *tz,
              const GDate *date,
              int          minutes)
{
  int year = g_date_get_year (date);
  int month = g_date_get_month (date);
  int day = g_date_get_day (date);
  int hour = minutes / 60;
  int minute = minutes % 60;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) wall = NULL;
  g_autoptr(GDateTime) shifted = NULL;

  local = g_date_time_new (tz, year, month, day, hour, minute, 0.0);
  if (local == NULL)
    return NULL;

  if (g_date_time_get_hour (local) == hour && g_date_time_get_minute (local) == minute)
    return g_steal_pointer (&local);

  /* The time falls in a gap skipped by a DST change; GLib answers the end
   * of the gap. Move it forward by the gap's length instead, as calendars
   * do: 02:30 on the spring-forward day in Europe/Berlin becomes 03:30. */
  before = g_date_time_add_seconds (local, -1);
  wall = g_date_time_new_utc (year, month, day, hour, minute, 0.0);
  if (before == NULL || wall == NULL)
    return NULL;

  shifted = g_date_time_add (wall, -g_date_time_get_utc_offset (before));
  if (shifted == NULL)
    return NULL;

  return g_date_time_to_timezone (shifted, tz);
}

static EnrCrewShift *
build_shift (EnrCrew            *crew,
             EnrCrewShiftType   *type,
             const ShiftPattern *pattern,
             const GDate        *date,
             GTimeZone          *tz,
             GError            **error)
{
  g_autoptr(EnrCrewShift) shift = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *id = NULL;
  GDate end_date = *date;

  if (pattern->end_minutes <= pattern->start_minutes)
    g_date_add_days (&end_date, 1);

  start = date_time_at (tz, date, pattern->start_minutes);
  end = date_time_at (tz, &end_date, pattern->end_minutes);

  if (start == NULL || end == NULL)
    {
      g_set_error (error, ENR_SCHEDULE_ERROR, ENR_SCHEDULE_ERROR_INVALID_TIME,
                   _("Shift type %s: a shift on %04u-%02u-%02u cannot be represented"),
                   shift_type_label (type),
                   g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));
      return NULL;
    }

  id = g_strdup_printf ("%s-%04u%02u%02u",
                        enr_entity_get_id (ENR_ENTITY (crew)),
                        g_date_get_year (date),
                        g_date_get_month (date),
                        g_date_get_day (date));

  shift = enr_crew_shift_new ();
  enr_entity_set_id (ENR_ENTITY (shift), id);
  enr_crew_shift_set_crew_id (shift, enr_entity_get_id (ENR_ENTITY (crew)));
  enr_crew_shift_set_shift_type_id (shift, enr_entity_get_id (ENR_ENTITY (type)));
  enr_crew_shift_set_date (shift, date);
  enr_crew_shift_set_start (shift, start);
  enr_crew_shift_set_end (shift, end);
  enr_crew_shift_set_capacity_minutes (shift, enr_crew_shift_type_get_capacity_minutes (type));

  return g_steal_pointer (&shift);
}

/**
 * enr_crew_shifts_expand:
 * @crews: (element-type EnrCrew) (nullable): the crews
 * @shift_types: (element-type EnrCrewShiftType) (nullable): their shift types
 * @from: the first day
 * @days: how many days, @from included
 * @tz: the time zone of the shift types' times of day
 * @error: an %ENR_SCHEDULE_ERROR naming the shift type
 *
 * One #EnrCrewShift per crew and day in [@from, @from + @days) whose weekday
 * is one of the crew's shift type's weekdays (none listed = every day). It
 * starts at the start time and ends at the end time, the next day when the
 * end time is not after the start time (22:00–06:00). Local times a DST
 * change skips move forward by the gap's length. Ids are
 * "<crew-id>-<YYYYMMDD>" of the starting day. Ordered by crew, then day.
 *
 * Fails when a crew's shift type is unknown, or a shift type has an invalid
 * time or weekday.
 *
 * Returns: (transfer full) (element-type EnrCrewShift): the shifts, or %NULL
 */
GPtrArray *
enr_crew_shifts_expand (GPtrArray    *crews,
                        GPtrArray    *shift_types,
                        const GDate  *from,
                        guint         days,
                        GTimeZone    *tz,
                        GError      **error)
{
  g_autoptr(GPtrArray) shifts = NULL;

  g_return_val_if_fail (from != NULL && g_date_valid (from), NULL);
  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  shifts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; crews != NULL && i < crews->len; i++)
    {
      EnrCrew *crew = g_ptr_array_index (crews, i);
      const char *type_id = enr_crew_get_shift_type_id (crew);
      EnrCrewShiftType *type = find_shift_type (shift_types, type_id);
      ShiftPattern pattern;

      if (type == NULL)
        {
          g_set_error (error, ENR_SCHEDULE_ERROR, ENR_SCHEDULE_ERROR_UNKNOWN_SHIFT_TYPE,
                       _("Crew %s: unknown shift type “%s”"),
                       enr_crew_get_name (crew) != NULL ? enr_crew_get_name (crew)
                                                        : enr_entity_get_id (ENR_ENTITY (crew)),
                       type_id != NULL ? type_id : "");
          return NULL;
        }

      if (!parse_pattern (type, &pattern, error))
        return NULL;

      for (guint d = 0; d < days; d++)
        {
          GDate date = *from;
          EnrCrewShift *shift;

          g_date_add_days (&date, d);

          if ((pattern.weekday_mask & (1u << g_date_get_weekday (&date))) == 0)
            continue;

          shift = build_shift (crew, type, &pattern, &date, tz, error);
          if (shift == NULL)
            return NULL;

          g_ptr_array_add (shifts, shift);
        }
    }

  return g_steal_pointer (&shifts);
}

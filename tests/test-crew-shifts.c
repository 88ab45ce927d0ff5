/* test-crew-shifts.c — expanding shift types into crew shifts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-core.h"

static EnrCrewShiftType *
make_shift_type (const char         *id,
                 const char         *start,
                 const char         *end,
                 const char * const *weekdays,
                 int                 capacity)
{
  EnrCrewShiftType *type = enr_crew_shift_type_new ();

  enr_entity_set_id (ENR_ENTITY (type), id);
  enr_crew_shift_type_set_code (type, id);
  enr_crew_shift_type_set_name (type, id);
  enr_crew_shift_type_set_start_time (type, start);
  enr_crew_shift_type_set_end_time (type, end);
  enr_crew_shift_type_set_weekdays (type, weekdays);
  enr_crew_shift_type_set_capacity_minutes (type, capacity);

  return type;
}

static EnrCrew *
make_crew (const char *id,
           const char *name,
           const char *shift_type_id)
{
  EnrCrew *crew = enr_crew_new ();

  enr_entity_set_id (ENR_ENTITY (crew), id);
  enr_crew_set_name (crew, name);
  enr_crew_set_shift_type_id (crew, shift_type_id);

  return crew;
}

static GDate
make_date (int year,
           int month,
           int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);

  return date;
}

static GPtrArray *
expand_one (EnrCrewShiftType *type,
            const GDate      *from,
            guint             days,
            GTimeZone        *tz,
            GError          **error)
{
  g_autoptr(GPtrArray) crews = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (crews, make_crew ("crew-a", "Alpha", enr_entity_get_id (ENR_ENTITY (type))));
  g_ptr_array_add (types, g_object_ref (type));

  return enr_crew_shifts_expand (crews, types, from, days, tz, error);
}

static void
assert_date_time (GDateTime  *date_time,
                  const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (date_time);
  text = g_date_time_format_iso8601 (date_time);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_parse_time_of_day (void)
{
  struct {
    const char *text;
    gboolean valid;
    int minutes;
  } cases[] = {
    { "00:00", TRUE, 0 },
    { "08:30", TRUE, 510 },
    { "23:59", TRUE, 1439 },
    { "24:00", FALSE, 0 },
    { "12:60", FALSE, 0 },
    { "8:00", FALSE, 0 },
    { "08:000", FALSE, 0 },
    { "08-00", FALSE, 0 },
    { "ab:cd", FALSE, 0 },
    { " 8:00", FALSE, 0 },
    { "", FALSE, 0 },
    { NULL, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int minutes = -1;

      g_assert_cmpint (enr_parse_time_of_day (cases[i].text, &minutes), ==, cases[i].valid);
      if (cases[i].valid)
        g_assert_cmpint (minutes, ==, cases[i].minutes);
      else
        g_assert_cmpint (minutes, ==, -1);
    }

  g_assert_true (enr_parse_time_of_day ("12:00", NULL));
}

static void
test_parse_weekday (void)
{
  GDateWeekday day = G_DATE_BAD_WEEKDAY;

  g_assert_true (enr_parse_weekday ("mon", &day));
  g_assert_cmpint (day, ==, G_DATE_MONDAY);
  g_assert_true (enr_parse_weekday ("SUN", &day));
  g_assert_cmpint (day, ==, G_DATE_SUNDAY);
  g_assert_false (enr_parse_weekday ("monday", &day));
  g_assert_false (enr_parse_weekday ("", &day));
  g_assert_false (enr_parse_weekday (NULL, &day));
}

static void
test_weekdays (void)
{
  struct {
    const char *weekdays[8];
    guint n_shifts;
    const char *first_id;
    const char *last_id;
  } cases[] = {
    /* 2026-03-02 is a Monday; 14 days */
    { { "mon", "tue", "wed", "thu", "fri", NULL }, 10, "crew-a-20260302", "crew-a-20260313" },
    { { NULL }, 14, "crew-a-20260302", "crew-a-20260315" },
    { { "sat", "SUN", NULL }, 4, "crew-a-20260307", "crew-a-20260315" },
    { { "wed", NULL }, 2, "crew-a-20260304", "crew-a-20260311" },
  };
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  GDate from = make_date (2026, 3, 2);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EnrCrewShiftType) type = NULL;
      g_autoptr(GPtrArray) shifts = NULL;
      g_autoptr(GError) error = NULL;
      EnrCrewShift *first;
      EnrCrewShift *last;

      type = make_shift_type ("st-day", "08:00", "16:00", cases[i].weekdays, 420);
      shifts = expand_one (type, &from, 14, utc, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (shifts->len, ==, cases[i].n_shifts);

      first = g_ptr_array_index (shifts, 0);
      last = g_ptr_array_index (shifts, shifts->len - 1);
      g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (first)), ==, cases[i].first_id);
      g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (last)), ==, cases[i].last_id);
    }
}

static void
test_fields (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(EnrCrewShiftType) type = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GError) error = NULL;
  GDate from = make_date (2026, 3, 2);
  EnrCrewShift *shift;
  const GDate *date;

  type = make_shift_type ("st-day", "08:00", "16:30", NULL, 450);
  shifts = expand_one (type, &from, 1, utc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, ==, 1);

  shift = g_ptr_array_index (shifts, 0);
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (shift)), ==, "crew-a-20260302");
  g_assert_cmpstr (enr_crew_shift_get_crew_id (shift), ==, "crew-a");
  g_assert_cmpstr (enr_crew_shift_get_shift_type_id (shift), ==, "st-day");
  g_assert_cmpint (enr_crew_shift_get_capacity_minutes (shift), ==, 450);
  date = enr_crew_shift_get_date (shift);
  g_assert_cmpint (g_date_compare (date, &from), ==, 0);
  assert_date_time (enr_crew_shift_get_start (shift), "2026-03-02T08:00:00Z");
  assert_date_time (enr_crew_shift_get_end (shift), "2026-03-02T16:30:00Z");
}

static void
test_several_crews (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GPtrArray) crews = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  GDate from = make_date (2026, 3, 2);
  const char *expected[] = {
    "crew-a-20260302", "crew-a-20260303", "crew-b-20260302", "crew-b-20260303",
  };

  g_ptr_array_add (types, make_shift_type ("st-day", "08:00", "16:00", NULL, 480));
  g_ptr_array_add (types, make_shift_type ("st-eve", "14:00", "22:00", NULL, 240));
  g_ptr_array_add (crews, make_crew ("crew-a", "Alpha", "st-day"));
  g_ptr_array_add (crews, make_crew ("crew-b", "Bravo", "st-eve"));

  shifts = enr_crew_shifts_expand (crews, types, &from, 2, utc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < shifts->len; i++)
    g_assert_cmpstr (enr_entity_get_id (g_ptr_array_index (shifts, i)), ==, expected[i]);

  g_assert_cmpint (enr_crew_shift_get_capacity_minutes (g_ptr_array_index (shifts, 2)), ==, 240);
  assert_date_time (enr_crew_shift_get_start (g_ptr_array_index (shifts, 2)), "2026-03-02T14:00:00Z");

  none = enr_crew_shifts_expand (crews, types, &from, 0, utc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_clear_pointer (&none, g_ptr_array_unref);

  none = enr_crew_shifts_expand (NULL, types, &from, 7, utc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_overnight (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  struct {
    const char *start;
    const char *end;
    const char *expected_start;
    const char *expected_end;
  } cases[] = {
    { "22:00", "06:00", "2026-03-06T22:00:00Z", "2026-03-07T06:00:00Z" },
    { "00:00", "00:00", "2026-03-06T00:00:00Z", "2026-03-07T00:00:00Z" },
    { "08:00", "08:00", "2026-03-06T08:00:00Z", "2026-03-07T08:00:00Z" },
    { "23:30", "00:15", "2026-03-06T23:30:00Z", "2026-03-07T00:15:00Z" },
    { "00:00", "23:59", "2026-03-06T00:00:00Z", "2026-03-06T23:59:00Z" },
  };
  GDate from = make_date (2026, 3, 6);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EnrCrewShiftType) type = NULL;
      g_autoptr(GPtrArray) shifts = NULL;
      g_autoptr(GError) error = NULL;
      EnrCrewShift *shift;

      /* Friday only: the shift still ends on Saturday. */
      type = make_shift_type ("st-night", cases[i].start, cases[i].end,
                              (const char * const []) { "fri", NULL }, 480);
      shifts = expand_one (type, &from, 2, utc, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (shifts->len, ==, 1);

      shift = g_ptr_array_index (shifts, 0);
      g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (shift)), ==, "crew-a-20260306");
      assert_date_time (enr_crew_shift_get_start (shift), cases[i].expected_start);
      assert_date_time (enr_crew_shift_get_end (shift), cases[i].expected_end);
    }
}

static void
test_dst_berlin (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  struct {
    int year, month, day;
    const char *start;
    const char *end;
    const char *expected_start;
    const char *expected_end;
    GTimeSpan hours;
  } cases[] = {
    /* Spring forward on 2026-03-29 at 02:00: the night is an hour shorter. */
    { 2026, 3, 28, "22:00", "06:00", "2026-03-28T22:00:00+01", "2026-03-29T06:00:00+02", 7 },
    { 2026, 3, 29, "08:00", "16:00", "2026-03-29T08:00:00+02", "2026-03-29T16:00:00+02", 8 },
    { 2026, 3, 27, "08:00", "16:00", "2026-03-27T08:00:00+01", "2026-03-27T16:00:00+01", 8 },
    /* 02:30 does not exist that day: it moves forward by the gap. */
    { 2026, 3, 29, "02:30", "10:30", "2026-03-29T03:30:00+02", "2026-03-29T10:30:00+02", 7 },
    /* Fall back on 2026-10-25 at 03:00: the night is an hour longer. */
    { 2026, 10, 24, "22:00", "06:00", "2026-10-24T22:00:00+02", "2026-10-25T06:00:00+01", 9 },
    { 2026, 10, 25, "00:00", "00:00", "2026-10-25T00:00:00+02", "2026-10-26T00:00:00+01", 25 },
  };

  if (berlin == NULL)
    {
      g_test_skip ("no tzdata for Europe/Berlin");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EnrCrewShiftType) type = NULL;
      g_autoptr(GPtrArray) shifts = NULL;
      g_autoptr(GError) error = NULL;
      GDate from = make_date (cases[i].year, cases[i].month, cases[i].day);
      EnrCrewShift *shift;
      GTimeSpan span;

      type = make_shift_type ("st", cases[i].start, cases[i].end, NULL, 480);
      shifts = expand_one (type, &from, 1, berlin, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (shifts->len, ==, 1);

      shift = g_ptr_array_index (shifts, 0);
      assert_date_time (enr_crew_shift_get_start (shift), cases[i].expected_start);
      assert_date_time (enr_crew_shift_get_end (shift), cases[i].expected_end);
      span = g_date_time_difference (enr_crew_shift_get_end (shift), enr_crew_shift_get_start (shift));
      g_assert_cmpint (span, ==, cases[i].hours * G_TIME_SPAN_HOUR);
    }
}

static void
test_invalid (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  struct {
    const char *start;
    const char *end;
    const char *weekdays[3];
    int code;
    const char *message;
  } cases[] = {
    { "8:00", "16:00", { NULL }, ENR_SCHEDULE_ERROR_INVALID_TIME,
      "Shift type st-bad: the start time “8:00” is not a time of day (HH:MM)" },
    { "08:00", "24:00", { NULL }, ENR_SCHEDULE_ERROR_INVALID_TIME,
      "Shift type st-bad: the end time “24:00” is not a time of day (HH:MM)" },
    { NULL, "16:00", { NULL }, ENR_SCHEDULE_ERROR_INVALID_TIME,
      "Shift type st-bad: the start time “” is not a time of day (HH:MM)" },
    { "08:00", "16:00", { "mon", "funday", NULL }, ENR_SCHEDULE_ERROR_INVALID_WEEKDAY,
      "Shift type st-bad: “funday” is not a weekday (mon … sun)" },
  };
  GDate from = make_date (2026, 3, 2);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EnrCrewShiftType) type = NULL;
      g_autoptr(GPtrArray) shifts = NULL;
      g_autoptr(GError) error = NULL;

      type = make_shift_type ("st-bad", cases[i].start, cases[i].end, cases[i].weekdays, 480);
      shifts = expand_one (type, &from, 7, utc, &error);
      g_assert_null (shifts);
      g_assert_error (error, ENR_SCHEDULE_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_unknown_shift_type (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GPtrArray) crews = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GError) error = NULL;
  GDate from = make_date (2026, 3, 2);

  g_ptr_array_add (types, make_shift_type ("st-day", "08:00", "16:00", NULL, 480));
  g_ptr_array_add (crews, make_crew ("crew-a", "Alpha", "st-day"));
  g_ptr_array_add (crews, make_crew ("crew-z", "Zulu", "st-gone"));

  shifts = enr_crew_shifts_expand (crews, types, &from, 7, utc, &error);
  g_assert_null (shifts);
  g_assert_error (error, ENR_SCHEDULE_ERROR, ENR_SCHEDULE_ERROR_UNKNOWN_SHIFT_TYPE);
  g_assert_cmpstr (error->message, ==, "Crew Zulu: unknown shift type “st-gone”");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crew-shifts/parse-time-of-day", test_parse_time_of_day);
  g_test_add_func ("/crew-shifts/parse-weekday", test_parse_weekday);
  g_test_add_func ("/crew-shifts/weekdays", test_weekdays);
  g_test_add_func ("/crew-shifts/fields", test_fields);
  g_test_add_func ("/crew-shifts/several-crews", test_several_crews);
  g_test_add_func ("/crew-shifts/overnight", test_overnight);
  g_test_add_func ("/crew-shifts/dst-berlin", test_dst_berlin);
  g_test_add_func ("/crew-shifts/invalid", test_invalid);
  g_test_add_func ("/crew-shifts/unknown-shift-type", test_unknown_shift_type);

  return g_test_run ();
}

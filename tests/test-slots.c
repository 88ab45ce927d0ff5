/* test-slots.c — free appointment slots and the re-check at booking
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-core.h"

typedef struct
{
  EnrActivityType *activity;
  GPtrArray *crews;
  GPtrArray *shifts;
  GPtrArray *appointments;
  GDate date;
  EnrSlotQuery query;
} Fixture;

static GDateTime *
at (const char *iso)
{
  GDateTime *date_time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (date_time);

  return date_time;
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

static EnrCrew *
add_crew (Fixture    *f,
          const char *id,
          const char *name,
          const char *shift_type_id)
{
  EnrCrew *crew = enr_crew_new ();

  enr_entity_set_id (ENR_ENTITY (crew), id);
  enr_crew_set_name (crew, name);
  enr_crew_set_shift_type_id (crew, shift_type_id);
  g_ptr_array_add (f->crews, crew);

  return crew;
}

static EnrCrew *
find_crew (Fixture    *f,
           const char *id)
{
  for (guint i = 0; i < f->crews->len; i++)
    if (g_strcmp0 (enr_entity_get_id (g_ptr_array_index (f->crews, i)), id) == 0)
      return g_ptr_array_index (f->crews, i);

  g_assert_not_reached ();
}

/* A shift of @crew_id on the day of @start, id "<crew>-<start>". */
static void
add_shift (Fixture    *f,
           const char *crew_id,
           const char *shift_type_id,
           const char *start,
           const char *end,
           int         capacity)
{
  g_autoptr(EnrCrewShift) shift = enr_crew_shift_new ();
  g_autoptr(GDateTime) start_at = at (start);
  g_autoptr(GDateTime) end_at = at (end);
  g_autofree char *id = g_strdup_printf ("%s@%s", crew_id, start);
  GDate date = make_date (g_date_time_get_year (start_at),
                          g_date_time_get_month (start_at),
                          g_date_time_get_day_of_month (start_at));

  enr_entity_set_id (ENR_ENTITY (shift), id);
  enr_crew_shift_set_crew_id (shift, crew_id);
  enr_crew_shift_set_shift_type_id (shift, shift_type_id);
  enr_crew_shift_set_date (shift, &date);
  enr_crew_shift_set_start (shift, start_at);
  enr_crew_shift_set_end (shift, end_at);
  enr_crew_shift_set_capacity_minutes (shift, capacity);
  g_ptr_array_add (f->shifts, g_steal_pointer (&shift));
}

static void
add_appointment (Fixture              *f,
                 const char           *crew_id,
                 const char           *shift_id,
                 const char           *start,
                 const char           *end,
                 EnrAppointmentStatus  status)
{
  g_autoptr(EnrAppointment) appointment = enr_appointment_new ();
  g_autoptr(GDateTime) start_at = at (start);
  g_autoptr(GDateTime) end_at = at (end);
  g_autofree char *id = g_strdup_printf ("appt-%u", f->appointments->len);

  enr_entity_set_id (ENR_ENTITY (appointment), id);
  enr_appointment_set_activity_type_id (appointment, "act-other");
  enr_appointment_set_crew_id (appointment, crew_id);
  enr_appointment_set_crew_shift_id (appointment, shift_id);
  enr_appointment_set_start (appointment, start_at);
  enr_appointment_set_end (appointment, end_at);
  enr_appointment_set_status (appointment, status);
  g_ptr_array_add (f->appointments, g_steal_pointer (&appointment));
}

#define DAY_SHIFT "crew-a@2026-03-02T08:00:00Z"

/* Crews Alpha and Bravo on the day shift type, Charlie on the evening one;
 * the query: a 120-minute installation on 2026-03-02, one day, any crew of
 * the day shift type. */
static void
fixture_init (Fixture *f)
{
  memset (f, 0, sizeof *f);

  f->activity = enr_activity_type_new ();
  enr_entity_set_id (ENR_ENTITY (f->activity), "act-install");
  enr_activity_type_set_code (f->activity, "INSTALL");
  enr_activity_type_set_duration_minutes (f->activity, 120);

  f->crews = g_ptr_array_new_with_free_func (g_object_unref);
  f->shifts = g_ptr_array_new_with_free_func (g_object_unref);
  f->appointments = g_ptr_array_new_with_free_func (g_object_unref);

  add_crew (f, "crew-a", "Alpha", "st-day");
  add_crew (f, "crew-b", "Bravo", "st-day");
  add_crew (f, "crew-c", "Charlie", "st-eve");

  f->date = make_date (2026, 3, 2);
  f->query = (EnrSlotQuery) {
    .activity_type = f->activity,
    .shift_type_id = "st-day",
    .crews = f->crews,
    .date = &f->date,
    .slot_days = 1,
    .shifts = f->shifts,
    .appointments = f->appointments,
  };
}

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->activity);
  g_clear_pointer (&f->crews, g_ptr_array_unref);
  g_clear_pointer (&f->shifts, g_ptr_array_unref);
  g_clear_pointer (&f->appointments, g_ptr_array_unref);
}

static void
add_day_shift_a (Fixture *f,
                 int      capacity)
{
  add_shift (f, "crew-a", "st-day", "2026-03-02T08:00:00Z", "2026-03-02T16:00:00Z", capacity);
}

/* Setups */

static void setup_basic (Fixture *f) { add_day_shift_a (f, 480); }

static void
setup_no_shifts (Fixture *f)
{
}

static void
setup_capacity_zero (Fixture *f)
{
  add_day_shift_a (f, 0);
}

static void
setup_capacity_small_unbooked (Fixture *f)
{
  add_day_shift_a (f, 120);
}

static void
setup_capacity_left_too_small (Fixture *f)
{
  add_day_shift_a (f, 200);
  /* 100 minutes booked elsewhere on the shift's time: 100 left < 120 */
  add_appointment (f, "crew-a", DAY_SHIFT, "2026-03-02T14:20:00Z", "2026-03-02T16:00:00Z",
                   ENR_APPOINTMENT_STATUS_BOOKED);
}

static void
setup_capacity_left_exact (Fixture *f)
{
  add_day_shift_a (f, 240);
  add_appointment (f, "crew-a", DAY_SHIFT, "2026-03-02T14:00:00Z", "2026-03-02T16:00:00Z",
                   ENR_APPOINTMENT_STATUS_BOOKED);
}

static void
setup_fully_booked (Fixture *f)
{
  add_day_shift_a (f, 480);
  add_appointment (f, "crew-a", DAY_SHIFT, "2026-03-02T08:00:00Z", "2026-03-02T12:00:00Z",
                   ENR_APPOINTMENT_STATUS_BOOKED);
  add_appointment (f, "crew-a", DAY_SHIFT, "2026-03-02T12:00:00Z", "2026-03-02T16:00:00Z",
                   ENR_APPOINTMENT_STATUS_COMPLETED);
}

static void
setup_touching (Fixture *f)
{
  add_day_shift_a (f, 480);
  add_appointment (f, "crew-a", DAY_SHIFT, "2026-03-02T08:00:00Z", "2026-03-02T10:00:00Z",
                   ENR_APPOINTMENT_STATUS_BOOKED);
}

static void
setup_off_grid (Fixture *f)
{
  add_day_shift_a (f, 480);
  add_appointment (f, "crew-a", DAY_SHIFT, "2026-03-02T09:00:00Z", "2026-03-02T11:00:00Z",
                   ENR_APPOINTMENT_STATUS_BOOKED);
}

static void
setup_released (Fixture *f)
{
  add_day_shift_a (f, 480);
  add_appointment (f, "crew-a", DAY_SHIFT, "2026-03-02T08:00:00Z", "2026-03-02T16:00:00Z",
                   ENR_APPOINTMENT_STATUS_RELEASED);
}

static void
setup_crew_busy_elsewhere (Fixture *f)
{
  add_day_shift_a (f, 480);
  /* The same crew on another shift record: busy, but this shift's capacity
   * is untouched. */
  add_appointment (f, "crew-a", "crew-a@other", "2026-03-02T08:30:00Z", "2026-03-02T09:00:00Z",
                   ENR_APPOINTMENT_STATUS_BOOKED);
  /* Another crew's appointment does not matter. */
  add_appointment (f, "crew-b", "crew-b@x", "2026-03-02T12:00:00Z", "2026-03-02T14:00:00Z",
                   ENR_APPOINTMENT_STATUS_BOOKED);
}

static void
setup_date_beyond_shifts (Fixture *f)
{
  add_day_shift_a (f, 480);
  f->date = make_date (2026, 3, 3);
}

static void
add_week (Fixture *f)
{
  for (guint day = 2; day <= 5; day++)
    {
      g_autofree char *start = g_strdup_printf ("2026-03-%02uT08:00:00Z", day);
      g_autofree char *end = g_strdup_printf ("2026-03-%02uT16:00:00Z", day);

      add_shift (f, "crew-a", "st-day", start, end, 480);
    }
}

static void
setup_days_1 (Fixture *f)
{
  add_week (f);
}

static void
setup_days_0 (Fixture *f)
{
  add_week (f);
  f->query.slot_days = 0;
}

static void
setup_days_3 (Fixture *f)
{
  add_week (f);
  f->query.slot_days = 3;
}

static void
setup_days_3_from_wednesday (Fixture *f)
{
  add_week (f);
  f->query.slot_days = 3;
  f->date = make_date (2026, 3, 4);
}

static void
setup_now_mid_shift (Fixture *f)
{
  add_day_shift_a (f, 480);
  f->query.now = at ("2026-03-02T11:00:00Z");
}

static void
setup_now_at_slot (Fixture *f)
{
  add_day_shift_a (f, 480);
  f->query.now = at ("2026-03-02T12:00:00Z");
}

static void
setup_now_after_day (Fixture *f)
{
  add_day_shift_a (f, 480);
  f->query.now = at ("2026-03-02T14:00:01Z");
}

static void
setup_several_crews (Fixture *f)
{
  add_shift (f, "crew-b", "st-day", "2026-03-02T08:00:00Z", "2026-03-02T12:00:00Z", 480);
  add_day_shift_a (f, 480);
  add_shift (f, "crew-c", "st-eve", "2026-03-02T08:00:00Z", "2026-03-02T16:00:00Z", 480);
}

static void
setup_chosen_crew (Fixture *f)
{
  setup_several_crews (f);
  f->query.crew = find_crew (f, "crew-b");
}

static void
setup_crews_filter (Fixture *f)
{
  setup_several_crews (f);
  g_ptr_array_remove_index (f->crews, 0);
}

static void
setup_other_shift_type (Fixture *f)
{
  setup_several_crews (f);
  f->query.shift_type_id = "st-eve";
}

static void
setup_overnight (Fixture *f)
{
  add_shift (f, "crew-a", "st-day", "2026-03-02T22:00:00Z", "2026-03-03T06:00:00Z", 480);
  enr_activity_type_set_duration_minutes (f->activity, 180);
}

static void
setup_shift_shorter_than_activity (Fixture *f)
{
  add_shift (f, "crew-a", "st-day", "2026-03-02T08:00:00Z", "2026-03-02T09:30:00Z", 480);
}

static void
setup_max_slots (Fixture *f)
{
  setup_several_crews (f);
  f->query.max_slots = 3;
}

typedef struct
{
  const char *name;
  void (*setup) (Fixture *f);
  const char *expected[16];  /* "HH:MM crew-id", or "MM-DD HH:MM crew-id" */
  gboolean with_day;
} SlotCase;

static const SlotCase slot_cases[] = {
  { "basic", setup_basic, { "08:00 crew-a", "10:00 crew-a", "12:00 crew-a", "14:00 crew-a" } },
  { "no-shifts", setup_no_shifts, { NULL } },
  { "capacity-zero", setup_capacity_zero, { NULL } },
  { "capacity-equals-duration", setup_capacity_small_unbooked,
    { "08:00 crew-a", "10:00 crew-a", "12:00 crew-a", "14:00 crew-a" } },
  { "capacity-left-too-small", setup_capacity_left_too_small, { NULL } },
  { "capacity-left-exact", setup_capacity_left_exact,
    { "08:00 crew-a", "10:00 crew-a", "12:00 crew-a" } },
  { "fully-booked", setup_fully_booked, { NULL } },
  { "touching-boundary", setup_touching, { "10:00 crew-a", "12:00 crew-a", "14:00 crew-a" } },
  { "off-grid-overlap", setup_off_grid, { "12:00 crew-a", "14:00 crew-a" } },
  { "released-ignored", setup_released,
    { "08:00 crew-a", "10:00 crew-a", "12:00 crew-a", "14:00 crew-a" } },
  { "crew-busy-elsewhere", setup_crew_busy_elsewhere,
    { "10:00 crew-a", "12:00 crew-a", "14:00 crew-a" } },
  { "date-beyond-shifts", setup_date_beyond_shifts, { NULL } },
  { "slot-days-1", setup_days_1,
    { "03-02 08:00 crew-a", "03-02 10:00 crew-a", "03-02 12:00 crew-a", "03-02 14:00 crew-a" },
    TRUE },
  { "slot-days-0-is-1", setup_days_0,
    { "03-02 08:00 crew-a", "03-02 10:00 crew-a", "03-02 12:00 crew-a", "03-02 14:00 crew-a" },
    TRUE },
  { "slot-days-3", setup_days_3,
    { "03-02 08:00 crew-a", "03-02 10:00 crew-a", "03-02 12:00 crew-a", "03-02 14:00 crew-a",
      "03-03 08:00 crew-a", "03-03 10:00 crew-a", "03-03 12:00 crew-a", "03-03 14:00 crew-a",
      "03-04 08:00 crew-a", "03-04 10:00 crew-a", "03-04 12:00 crew-a", "03-04 14:00 crew-a" },
    TRUE },
  { "slot-days-past-last-shift", setup_days_3_from_wednesday,
    { "03-04 08:00 crew-a", "03-04 10:00 crew-a", "03-04 12:00 crew-a", "03-04 14:00 crew-a",
      "03-05 08:00 crew-a", "03-05 10:00 crew-a", "03-05 12:00 crew-a", "03-05 14:00 crew-a" },
    TRUE },
  { "now-mid-shift", setup_now_mid_shift, { "12:00 crew-a", "14:00 crew-a" } },
  { "now-at-slot-start", setup_now_at_slot, { "12:00 crew-a", "14:00 crew-a" } },
  { "now-after-last-slot", setup_now_after_day, { NULL } },
  { "several-crews-by-start-then-name", setup_several_crews,
    { "08:00 crew-a", "08:00 crew-b", "10:00 crew-a", "10:00 crew-b", "12:00 crew-a", "14:00 crew-a" } },
  { "chosen-crew", setup_chosen_crew, { "08:00 crew-b", "10:00 crew-b" } },
  { "crews-filter", setup_crews_filter, { "08:00 crew-b", "10:00 crew-b" } },
  { "other-shift-type", setup_other_shift_type,
    { "08:00 crew-c", "10:00 crew-c", "12:00 crew-c", "14:00 crew-c" } },
  { "overnight", setup_overnight, { "03-02 22:00 crew-a", "03-03 01:00 crew-a" }, TRUE },
  { "shift-shorter-than-activity", setup_shift_shorter_than_activity, { NULL } },
  { "max-slots", setup_max_slots, { "08:00 crew-a", "08:00 crew-b", "10:00 crew-a" } },
};

static char *
describe_slot (EnrSlot  *slot,
               gboolean  with_day)
{
  g_autofree char *when = g_date_time_format (enr_slot_get_start (slot),
                                              with_day ? "%m-%d %H:%M" : "%H:%M");

  return g_strdup_printf ("%s %s", when, enr_slot_get_crew_id (slot));
}

static void
test_slots (gconstpointer data)
{
  const SlotCase *sc = data;
  g_autoptr(GPtrArray) slots = NULL;
  guint n_expected = 0;
  Fixture f;

  fixture_init (&f);
  sc->setup (&f);

  slots = enr_slot_finder_find (&f.query);
  g_assert_nonnull (slots);

  while (n_expected < G_N_ELEMENTS (sc->expected) && sc->expected[n_expected] != NULL)
    n_expected++;

  for (guint i = 0; i < slots->len; i++)
    {
      g_autofree char *text = describe_slot (g_ptr_array_index (slots, i), sc->with_day);

      g_test_message ("slot %u: %s", i, text);
    }

  g_assert_cmpuint (slots->len, ==, n_expected);

  for (guint i = 0; i < slots->len; i++)
    {
      EnrSlot *slot = g_ptr_array_index (slots, i);
      g_autofree char *text = describe_slot (slot, sc->with_day);
      GTimeSpan span = g_date_time_difference (enr_slot_get_end (slot), enr_slot_get_start (slot));

      g_assert_cmpstr (text, ==, sc->expected[i]);
      g_assert_cmpint (span, ==,
                       (GTimeSpan) enr_activity_type_get_duration_minutes (f.activity) * G_TIME_SPAN_MINUTE);
      g_assert_cmpstr (enr_slot_get_activity_type_id (slot), ==, "act-install");
      g_assert_true (enr_slot_is_still_free (slot, f.shifts, f.appointments));
    }

  g_clear_pointer (&f.query.now, g_date_time_unref);
  fixture_clear (&f);
}

static void
test_slot_fields (void)
{
  g_autoptr(GPtrArray) slots = NULL;
  EnrSlot *slot;
  Fixture f;

  fixture_init (&f);
  add_day_shift_a (&f, 480);
  slots = enr_slot_finder_find (&f.query);
  g_assert_cmpuint (slots->len, ==, 4);

  slot = g_ptr_array_index (slots, 1);
  g_assert_cmpstr (enr_slot_get_crew_id (slot), ==, "crew-a");
  g_assert_cmpstr (enr_slot_get_crew_name (slot), ==, "Alpha");
  g_assert_cmpstr (enr_slot_get_crew_shift_id (slot), ==, DAY_SHIFT);
  g_assert_cmpint (g_date_time_to_unix (enr_slot_get_start (slot)), ==, 1772445600); /* 10:00Z */
  g_assert_cmpint (g_date_time_to_unix (enr_slot_get_end (slot)), ==, 1772452800);   /* 12:00Z */

  fixture_clear (&f);
}

static void
test_default_cap (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(EnrCrewShiftType) type = enr_crew_shift_type_new ();
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last = NULL;
  g_autofree char *first = NULL;
  Fixture f;

  fixture_init (&f);
  enr_activity_type_set_duration_minutes (f.activity, 5);

  /* 24-hour shifts for Alpha and Bravo over 30 days: 17,280 free slots. */
  enr_entity_set_id (ENR_ENTITY (type), "st-day");
  enr_crew_shift_type_set_start_time (type, "00:00");
  enr_crew_shift_type_set_end_time (type, "00:00");
  enr_crew_shift_type_set_capacity_minutes (type, 1440);
  g_ptr_array_add (types, g_object_ref (type));
  g_ptr_array_remove_index (f.crews, 2);

  g_clear_pointer (&f.shifts, g_ptr_array_unref);
  f.shifts = enr_crew_shifts_expand (f.crews, types, &f.date, 30, utc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f.shifts->len, ==, 60);
  f.query.shifts = f.shifts;
  f.query.slot_days = 30;

  slots = enr_slot_finder_find (&f.query);
  g_assert_cmpuint (slots->len, ==, ENR_SLOT_FINDER_MAX_SLOTS);

  /* The earliest 500: 250 start times, Alpha before Bravo at each. */
  first = describe_slot (g_ptr_array_index (slots, 0), TRUE);
  last = describe_slot (g_ptr_array_index (slots, slots->len - 1), TRUE);
  g_assert_cmpstr (first, ==, "03-02 00:00 crew-a");
  g_assert_cmpstr (last, ==, "03-02 20:45 crew-b");

  for (guint i = 1; i < slots->len; i++)
    {
      EnrSlot *a = g_ptr_array_index (slots, i - 1);
      EnrSlot *b = g_ptr_array_index (slots, i);

      g_assert_cmpint (g_date_time_compare (enr_slot_get_start (a), enr_slot_get_start (b)), <=, 0);
    }

  fixture_clear (&f);
}

static void
test_to_appointment (void)
{
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(EnrAppointment) appointment = NULL;
  g_autoptr(EnrAppointment) other = NULL;
  EnrSlot *slot;
  Fixture f;

  fixture_init (&f);
  add_day_shift_a (&f, 480);
  slots = enr_slot_finder_find (&f.query);
  slot = g_ptr_array_index (slots, 0);

  appointment = enr_slot_to_appointment (slot, "task-1");
  g_assert_nonnull (enr_entity_get_id (ENR_ENTITY (appointment)));
  g_assert_cmpuint (strlen (enr_entity_get_id (ENR_ENTITY (appointment))), ==, 36);
  g_assert_cmpstr (enr_appointment_get_activity_type_id (appointment), ==, "act-install");
  g_assert_cmpstr (enr_appointment_get_crew_id (appointment), ==, "crew-a");
  g_assert_cmpstr (enr_appointment_get_crew_shift_id (appointment), ==, DAY_SHIFT);
  g_assert_cmpstr (enr_appointment_get_service_task_id (appointment), ==, "task-1");
  g_assert_cmpint (enr_appointment_get_status (appointment), ==, ENR_APPOINTMENT_STATUS_BOOKED);
  g_assert_true (g_date_time_equal (enr_appointment_get_start (appointment), enr_slot_get_start (slot)));
  g_assert_true (g_date_time_equal (enr_appointment_get_end (appointment), enr_slot_get_end (slot)));

  other = enr_slot_to_appointment (slot, NULL);
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (other)), !=,
                   enr_entity_get_id (ENR_ENTITY (appointment)));
  g_assert_null (enr_appointment_get_service_task_id (other));

  fixture_clear (&f);
}

static void
test_still_free (void)
{
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) no_shifts = g_ptr_array_new ();
  g_autoptr(EnrAppointment) booked = NULL;
  g_autoptr(EnrSlot) outside = NULL;
  g_autoptr(GDateTime) late_start = at ("2026-03-02T15:00:00Z");
  g_autoptr(GDateTime) late_end = at ("2026-03-02T17:00:00Z");
  EnrSlot *first;
  EnrSlot *second;
  Fixture f;

  fixture_init (&f);
  add_day_shift_a (&f, 240);
  slots = enr_slot_finder_find (&f.query);
  g_assert_cmpuint (slots->len, ==, 4);
  first = g_ptr_array_index (slots, 0);
  second = g_ptr_array_index (slots, 1);

  g_assert_true (enr_slot_is_still_free (first, f.shifts, NULL));
  g_assert_false (enr_slot_is_still_free (first, no_shifts, NULL));
  g_assert_false (enr_slot_is_still_free (first, NULL, NULL));

  /* Someone else took the first slot meanwhile. */
  booked = enr_slot_to_appointment (first, "task-other");
  g_ptr_array_add (f.appointments, g_object_ref (booked));
  g_assert_false (enr_slot_is_still_free (first, f.shifts, f.appointments));
  g_assert_true (enr_slot_is_still_free (second, f.shifts, f.appointments));

  /* Released: free again. */
  enr_appointment_set_status (booked, ENR_APPOINTMENT_STATUS_RELEASED);
  g_assert_true (enr_slot_is_still_free (first, f.shifts, f.appointments));

  /* 240 capacity, 120 + 120 booked elsewhere on the shift: no room. */
  enr_appointment_set_status (booked, ENR_APPOINTMENT_STATUS_BOOKED);
  add_appointment (&f, "crew-a", DAY_SHIFT, "2026-03-02T14:00:00Z", "2026-03-02T16:00:00Z",
                   ENR_APPOINTMENT_STATUS_BOOKED);
  g_assert_false (enr_slot_is_still_free (second, f.shifts, f.appointments));

  /* A slot reaching past the shift's end. */
  outside = g_object_new (ENR_TYPE_SLOT,
                          "crew-id", "crew-a",
                          "crew-shift-id", DAY_SHIFT,
                          "start", late_start,
                          "end", late_end,
                          NULL);
  g_assert_false (enr_slot_is_still_free (outside, f.shifts, NULL));

  /* An inverted slot. */
  enr_slot_set_end (outside, late_start);
  enr_slot_set_start (outside, late_end);
  g_assert_false (enr_slot_is_still_free (outside, f.shifts, NULL));

  /* A slot claiming another crew's shift. */
  enr_slot_set_crew_id (second, "crew-b");
  g_assert_false (enr_slot_is_still_free (second, f.shifts, NULL));
  enr_slot_set_crew_id (second, "crew-a");
  g_assert_true (enr_slot_is_still_free (second, f.shifts, NULL));

  fixture_clear (&f);
}

static void
test_slot_codec (void)
{
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(EnrSlot) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  Fixture f;

  fixture_init (&f);
  add_day_shift_a (&f, 480);
  slots = enr_slot_finder_find (&f.query);

  json = enr_codec_encode_string (g_ptr_array_index (slots, 0));
  g_assert_nonnull (strstr (json, "\"crew_shift_id\":\"" DAY_SHIFT "\""));
  decoded = enr_codec_decode_data (ENR_TYPE_SLOT, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (enr_codec_equal (decoded, g_ptr_array_index (slots, 0)));

  fixture_clear (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (slot_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/slots/find/%s", slot_cases[i].name);

      g_test_add_data_func (path, &slot_cases[i], test_slots);
    }

  g_test_add_func ("/slots/fields", test_slot_fields);
  g_test_add_func ("/slots/default-cap", test_default_cap);
  g_test_add_func ("/slots/to-appointment", test_to_appointment);
  g_test_add_func ("/slots/still-free", test_still_free);
  g_test_add_func ("/slots/codec", test_slot_codec);

  return g_test_run ();
}

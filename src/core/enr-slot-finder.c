/* enr-slot-finder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-slot-finder.h"

struct _EnrSlot
{
  GObject parent_instance;

  char *crew_id;
  char *crew_name;
  char *crew_shift_id;
  char *activity_type_id;
  GDateTime *start;
  GDateTime *end;
};

G_DEFINE_FINAL_TYPE (EnrSlot, enr_slot, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CREW_ID,
  PROP_CREW_NAME,
  PROP_CREW_SHIFT_ID,
  PROP_ACTIVITY_TYPE_ID,
  PROP_START,
  PROP_END,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One appointment that takes crew time, in seconds since the epoch. */
typedef struct
{
  const char *crew_id;
  const char *crew_shift_id;
  gint64 start;
  gint64 end;
} Booking;

/* A slot before it becomes an EnrSlot: the shift and the slot's offset. */
typedef struct
{
  EnrCrewShift *shift;
  const char *crew_name;
  gint64 start;
  guint index;
} Candidate;

static void
enr_slot_finalize (GObject *object)
{
  EnrSlot *self = ENR_SLOT (object);

  g_clear_pointer (&self->crew_id, g_free);
  g_clear_pointer (&self->crew_name, g_free);
  g_clear_pointer (&self->crew_shift_id, g_free);
  g_clear_pointer (&self->activity_type_id, g_free);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);

  G_OBJECT_CLASS (enr_slot_parent_class)->finalize (object);
}

static void
enr_slot_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  EnrSlot *self = ENR_SLOT (object);

  switch (prop_id)
    {
    case PROP_CREW_ID:
      g_value_set_string (value, self->crew_id);
      break;

    case PROP_CREW_NAME:
      g_value_set_string (value, self->crew_name);
      break;

    case PROP_CREW_SHIFT_ID:
      g_value_set_string (value, self->crew_shift_id);
      break;

    case PROP_ACTIVITY_TYPE_ID:
      g_value_set_string (value, self->activity_type_id);
      break;

    case PROP_START:
      g_value_set_boxed (value, self->start);
      break;

    case PROP_END:
      g_value_set_boxed (value, self->end);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_slot_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  EnrSlot *self = ENR_SLOT (object);

  switch (prop_id)
    {
    case PROP_CREW_ID:
      enr_slot_set_crew_id (self, g_value_get_string (value));
      break;

    case PROP_CREW_NAME:
      enr_slot_set_crew_name (self, g_value_get_string (value));
      break;

    case PROP_CREW_SHIFT_ID:
      enr_slot_set_crew_shift_id (self, g_value_get_string (value));
      break;

    case PROP_ACTIVITY_TYPE_ID:
      enr_slot_set_activity_type_id (self, g_value_get_string (value));
      break;

    case PROP_START:
      enr_slot_set_start (self, g_value_get_boxed (value));
      break;

    case PROP_END:
      enr_slot_set_end (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_slot_class_init (EnrSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = (G_PARAM_READWRITE |
                             G_PARAM_EXPLICIT_NOTIFY |
                             G_PARAM_STATIC_STRINGS);

  object_class->finalize = enr_slot_finalize;
  object_class->get_property = enr_slot_get_property;
  object_class->set_property = enr_slot_set_property;

  properties[PROP_CREW_ID] =
    enr_param_spec_required (g_param_spec_string ("crew-id", NULL, NULL, NULL, flags));
  properties[PROP_CREW_NAME] =
    g_param_spec_string ("crew-name", NULL, NULL, NULL, flags);
  properties[PROP_CREW_SHIFT_ID] =
    enr_param_spec_required (g_param_spec_string ("crew-shift-id", NULL, NULL, NULL, flags));
  properties[PROP_ACTIVITY_TYPE_ID] =
    g_param_spec_string ("activity-type-id", NULL, NULL, NULL, flags);
  properties[PROP_START] =
    enr_param_spec_required (g_param_spec_boxed ("start", NULL, NULL, G_TYPE_DATE_TIME, flags));
  properties[PROP_END] =
    enr_param_spec_required (g_param_spec_boxed ("end", NULL, NULL, G_TYPE_DATE_TIME, flags));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_slot_init (EnrSlot *self)
{
}

EnrSlot *
enr_slot_new (void)
{
  return g_object_new (ENR_TYPE_SLOT, NULL);
}

static void
set_string (EnrSlot     *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (enr_set_string (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_date_time (EnrSlot    *self,
               GDateTime **field,
               GDateTime  *value,
               guint       prop_id)
{
  if (*field == value ||
      (*field != NULL && value != NULL && g_date_time_equal (*field, value) &&
       g_date_time_get_utc_offset (*field) == g_date_time_get_utc_offset (value)))
    return;

  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_ref (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

const char *
enr_slot_get_crew_id (EnrSlot *self)
{
  g_return_val_if_fail (ENR_IS_SLOT (self), NULL);

  return self->crew_id;
}

void
enr_slot_set_crew_id (EnrSlot    *self,
                      const char *crew_id)
{
  g_return_if_fail (ENR_IS_SLOT (self));

  set_string (self, &self->crew_id, crew_id, PROP_CREW_ID);
}

const char *
enr_slot_get_crew_name (EnrSlot *self)
{
  g_return_val_if_fail (ENR_IS_SLOT (self), NULL);

  return self->crew_name;
}

void
enr_slot_set_crew_name (EnrSlot    *self,
                        const char *crew_name)
{
  g_return_if_fail (ENR_IS_SLOT (self));

  set_string (self, &self->crew_name, crew_name, PROP_CREW_NAME);
}

const char *
enr_slot_get_crew_shift_id (EnrSlot *self)
{
  g_return_val_if_fail (ENR_IS_SLOT (self), NULL);

  return self->crew_shift_id;
}

void
enr_slot_set_crew_shift_id (EnrSlot    *self,
                            const char *crew_shift_id)
{
  g_return_if_fail (ENR_IS_SLOT (self));

  set_string (self, &self->crew_shift_id, crew_shift_id, PROP_CREW_SHIFT_ID);
}

const char *
enr_slot_get_activity_type_id (EnrSlot *self)
{
  g_return_val_if_fail (ENR_IS_SLOT (self), NULL);

  return self->activity_type_id;
}

void
enr_slot_set_activity_type_id (EnrSlot    *self,
                               const char *activity_type_id)
{
  g_return_if_fail (ENR_IS_SLOT (self));

  set_string (self, &self->activity_type_id, activity_type_id, PROP_ACTIVITY_TYPE_ID);
}

GDateTime *
enr_slot_get_start (EnrSlot *self)
{
  g_return_val_if_fail (ENR_IS_SLOT (self), NULL);

  return self->start;
}

void
enr_slot_set_start (EnrSlot   *self,
                    GDateTime *start)
{
  g_return_if_fail (ENR_IS_SLOT (self));

  set_date_time (self, &self->start, start, PROP_START);
}

GDateTime *
enr_slot_get_end (EnrSlot *self)
{
  g_return_val_if_fail (ENR_IS_SLOT (self), NULL);

  return self->end;
}

void
enr_slot_set_end (EnrSlot   *self,
                  GDateTime *end)
{
  g_return_if_fail (ENR_IS_SLOT (self));

  set_date_time (self, &self->end, end, PROP_END);
}

/**
 * enr_slot_to_appointment:
 * @service_task_id: (nullable): the task the appointment is for
 *
 * Returns: (transfer full): a booked appointment for the slot, with a new
 *   random id
 */
EnrAppointment *
enr_slot_to_appointment (EnrSlot    *self,
                         const char *service_task_id)
{
  g_autoptr(EnrAppointment) appointment = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (ENR_IS_SLOT (self), NULL);

  id = g_uuid_string_random ();
  appointment = enr_appointment_new ();
  enr_entity_set_id (ENR_ENTITY (appointment), id);
  enr_appointment_set_activity_type_id (appointment, self->activity_type_id);
  enr_appointment_set_crew_id (appointment, self->crew_id);
  enr_appointment_set_crew_shift_id (appointment, self->crew_shift_id);
  enr_appointment_set_start (appointment, self->start);
  enr_appointment_set_end (appointment, self->end);
  enr_appointment_set_service_task_id (appointment, service_task_id);
  enr_appointment_set_status (appointment, ENR_APPOINTMENT_STATUS_BOOKED);

  return g_steal_pointer (&appointment);
}

/* Finding */

/* @relevant: crew and shift ids to keep, or %NULL for every appointment */
static GArray *
collect_bookings (GPtrArray  *appointments,
                  GHashTable *relevant)
{
  GArray *bookings = g_array_new (FALSE, FALSE, sizeof (Booking));

  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i);
      GDateTime *start = enr_appointment_get_start (appointment);
      GDateTime *end = enr_appointment_get_end (appointment);
      Booking booking;

      if (enr_appointment_get_status (appointment) == ENR_APPOINTMENT_STATUS_RELEASED ||
          start == NULL || end == NULL)
        continue;

      booking.crew_id = enr_appointment_get_crew_id (appointment);
      booking.crew_shift_id = enr_appointment_get_crew_shift_id (appointment);

      if (relevant != NULL &&
          (booking.crew_id == NULL || !g_hash_table_contains (relevant, booking.crew_id)) &&
          (booking.crew_shift_id == NULL || !g_hash_table_contains (relevant, booking.crew_shift_id)))
        continue;

      booking.start = g_date_time_to_unix (start);
      booking.end = g_date_time_to_unix (end);

      if (booking.end > booking.start)
        g_array_append_val (bookings, booking);
    }

  return bookings;
}

static gint64
booked_seconds (GArray     *bookings,
                const char *shift_id)
{
  gint64 total = 0;

  for (guint i = 0; i < bookings->len; i++)
    {
      const Booking *booking = &g_array_index (bookings, Booking, i);

      if (g_strcmp0 (booking->crew_shift_id, shift_id) == 0)
        total += booking->end - booking->start;
    }

  return total;
}

/* A crew is busy when an appointment on the shift, or any other appointment
 * of the same crew, overlaps [start, end). Touching ends do not overlap. */
static gboolean
is_busy (GArray     *bookings,
         const char *crew_id,
         const char *shift_id,
         gint64      start,
         gint64      end)
{
  for (guint i = 0; i < bookings->len; i++)
    {
      const Booking *booking = &g_array_index (bookings, Booking, i);

      if (g_strcmp0 (booking->crew_shift_id, shift_id) != 0 &&
          (crew_id == NULL || g_strcmp0 (booking->crew_id, crew_id) != 0))
        continue;

      if (booking->start < end && start < booking->end)
        return TRUE;
    }

  return FALSE;
}

static gboolean
shift_has_room (EnrCrewShift *shift,
                GArray       *bookings,
                gint64        duration)
{
  gint64 capacity = (gint64) enr_crew_shift_get_capacity_minutes (shift) * 60;

  return capacity - booked_seconds (bookings, enr_entity_get_id (ENR_ENTITY (shift))) >= duration;
}

static int
compare_names (const char *a,
               const char *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL) - (b == NULL);

  return g_utf8_collate (a, b);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a;
  const Candidate *cb = b;
  int cmp;

  if (ca->start != cb->start)
    return ca->start < cb->start ? -1 : 1;

  if ((cmp = compare_names (ca->crew_name, cb->crew_name)) != 0)
    return cmp;

  if ((cmp = g_strcmp0 (enr_crew_shift_get_crew_id (ca->shift),
                        enr_crew_shift_get_crew_id (cb->shift))) != 0)
    return cmp;

  return g_strcmp0 (enr_entity_get_id (ENR_ENTITY (ca->shift)),
                    enr_entity_get_id (ENR_ENTITY (cb->shift)));
}

static int
compare_shift_starts (gconstpointer a,
                      gconstpointer b)
{
  EnrCrewShift *sa = *(EnrCrewShift **) a;
  EnrCrewShift *sb = *(EnrCrewShift **) b;

  return g_date_time_compare (enr_crew_shift_get_start (sa), enr_crew_shift_get_start (sb));
}

static GHashTable *
index_crew_names (const EnrSlotQuery *query)
{
  GHashTable *names = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; query->crews != NULL && i < query->crews->len; i++)
    {
      EnrCrew *crew = g_ptr_array_index (query->crews, i);
      const char *id = enr_entity_get_id (ENR_ENTITY (crew));

      if (id != NULL)
        g_hash_table_insert (names, (gpointer) id, (gpointer) enr_crew_get_name (crew));
    }

  if (query->crew != NULL && enr_entity_get_id (ENR_ENTITY (query->crew)) != NULL)
    g_hash_table_insert (names,
                         (gpointer) enr_entity_get_id (ENR_ENTITY (query->crew)),
                         (gpointer) enr_crew_get_name (query->crew));

  return names;
}

static gboolean
shift_matches (const EnrSlotQuery *query,
               EnrCrewShift       *shift,
               GHashTable         *names,
               const GDate        *first,
               const GDate        *last)
{
  const char *crew_id = enr_crew_shift_get_crew_id (shift);
  const GDate *date = enr_crew_shift_get_date (shift);
  GDateTime *start = enr_crew_shift_get_start (shift);
  GDateTime *end = enr_crew_shift_get_end (shift);

  if (enr_entity_get_id (ENR_ENTITY (shift)) == NULL ||
      start == NULL || end == NULL || g_date_time_compare (start, end) >= 0)
    return FALSE;

  if (query->shift_type_id != NULL &&
      g_strcmp0 (enr_crew_shift_get_shift_type_id (shift), query->shift_type_id) != 0)
    return FALSE;

  if (query->crew != NULL &&
      g_strcmp0 (crew_id, enr_entity_get_id (ENR_ENTITY (query->crew))) != 0)
    return FALSE;

  if (query->crews != NULL && (crew_id == NULL || !g_hash_table_contains (names, crew_id)))
    return FALSE;

  if (date == NULL || !g_date_valid (date))
    return FALSE;

  return g_date_compare (date, first) >= 0 && g_date_compare (date, last) <= 0;
}

static EnrSlot *
build_slot (const Candidate *candidate,
            const char      *activity_type_id,
            int              duration_minutes)
{
  GDateTime *shift_start = enr_crew_shift_get_start (candidate->shift);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  EnrSlot *slot;

  start = g_date_time_add_minutes (shift_start, (int) candidate->index * duration_minutes);
  end = g_date_time_add_minutes (start, duration_minutes);

  slot = enr_slot_new ();
  enr_slot_set_crew_id (slot, enr_crew_shift_get_crew_id (candidate->shift));
  enr_slot_set_crew_name (slot, candidate->crew_name);
  enr_slot_set_crew_shift_id (slot, enr_entity_get_id (ENR_ENTITY (candidate->shift)));
  enr_slot_set_activity_type_id (slot, activity_type_id);
  enr_slot_set_start (slot, start);
  enr_slot_set_end (slot, end);

  return slot;
}

/**
 * enr_slot_finder_find:
 * @query: what to look for; see #EnrSlotQuery
 *
 * The free slots of the matching crew shifts whose date lies in
 * [@date, @date + @slot_days). Slots lie on a grid of the activity's
 * duration from the shift's start and end no later than the shift's end. A
 * slot is free when no appointment of its crew overlaps it and the shift's
 * capacity minus the minutes already booked on it covers the duration.
 *
 * Sorted by start, then crew name, crew id and shift id, and cut to the
 * earliest @max_slots (default %ENR_SLOT_FINDER_MAX_SLOTS) so the list
 * stays usable; a clerk who needs later slots picks a later date.
 *
 * Returns: (transfer full) (element-type EnrSlot): the free slots
 */
GPtrArray *
enr_slot_finder_find (const EnrSlotQuery *query)
{
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GArray) bookings = NULL;
  g_autoptr(GArray) candidates = NULL;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GHashTable) relevant = NULL;
  const char *activity_type_id;
  gboolean full = FALSE;
  gint64 cutoff = G_MAXINT64;
  gint64 not_before;
  gint64 duration;
  int duration_minutes;
  guint max_slots;
  GDate first;
  GDate last;

  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (ENR_IS_ACTIVITY_TYPE (query->activity_type), NULL);
  g_return_val_if_fail (query->crew == NULL || ENR_IS_CREW (query->crew), NULL);
  g_return_val_if_fail (query->date != NULL && g_date_valid (query->date), NULL);

  slots = g_ptr_array_new_with_free_func (g_object_unref);

  duration_minutes = enr_activity_type_get_duration_minutes (query->activity_type);
  if (duration_minutes <= 0 || query->shifts == NULL)
    return g_steal_pointer (&slots);

  activity_type_id = enr_entity_get_id (ENR_ENTITY (query->activity_type));
  duration = (gint64) duration_minutes * 60;
  max_slots = query->max_slots > 0 ? query->max_slots : ENR_SLOT_FINDER_MAX_SLOTS;
  not_before = query->now != NULL ? g_date_time_to_unix (query->now) : G_MININT64;

  first = *query->date;
  last = first;
  g_date_add_days (&last, MAX (query->slot_days, 1) - 1);

  names = index_crew_names (query);
  relevant = g_hash_table_new (g_str_hash, g_str_equal);
  shifts = g_ptr_array_new ();
  for (guint i = 0; i < query->shifts->len; i++)
    {
      EnrCrewShift *shift = g_ptr_array_index (query->shifts, i);

      if (!shift_matches (query, shift, names, &first, &last))
        continue;

      g_ptr_array_add (shifts, shift);
      g_hash_table_add (relevant, (gpointer) enr_entity_get_id (ENR_ENTITY (shift)));
      if (enr_crew_shift_get_crew_id (shift) != NULL)
        g_hash_table_add (relevant, (gpointer) enr_crew_shift_get_crew_id (shift));
    }
  g_ptr_array_sort (shifts, compare_shift_starts);

  bookings = collect_bookings (query->appointments, relevant);
  candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));

  for (guint i = 0; i < shifts->len; i++)
    {
      EnrCrewShift *shift = g_ptr_array_index (shifts, i);
      const char *shift_id = enr_entity_get_id (ENR_ENTITY (shift));
      const char *crew_id = enr_crew_shift_get_crew_id (shift);
      gint64 shift_start = g_date_time_to_unix (enr_crew_shift_get_start (shift));
      gint64 shift_end = g_date_time_to_unix (enr_crew_shift_get_end (shift));
      guint from_shift = 0;

      /* Shifts come in start order: once the list is full, a shift starting
       * after its last slot cannot contribute. */
      if (full && shift_start > cutoff)
        break;

      if (!shift_has_room (shift, bookings, duration))
        continue;

      for (guint index = 0; shift_start + (gint64) (index + 1) * duration <= shift_end; index++)
        {
          gint64 start = shift_start + (gint64) index * duration;
          Candidate candidate;

          if (full && start > cutoff)
            break;
          if (start < not_before ||
              is_busy (bookings, crew_id, shift_id, start, start + duration))
            continue;

          candidate.shift = shift;
          candidate.crew_name = crew_id != NULL ? g_hash_table_lookup (names, crew_id) : NULL;
          candidate.start = start;
          candidate.index = index;
          g_array_append_val (candidates, candidate);

          /* Any later slot of this shift has max_slots earlier ones. */
          if (++from_shift >= max_slots)
            break;
        }

      if (candidates->len >= max_slots)
        {
          g_array_sort (candidates, compare_candidates);
          g_array_set_size (candidates, max_slots);
          cutoff = g_array_index (candidates, Candidate, max_slots - 1).start;
          full = TRUE;
        }
    }

  g_array_sort (candidates, compare_candidates);

  for (guint i = 0; i < candidates->len; i++)
    g_ptr_array_add (slots, build_slot (&g_array_index (candidates, Candidate, i),
                                        activity_type_id, duration_minutes));

  return g_steal_pointer (&slots);
}

/**
 * enr_slot_is_still_free:
 * @shifts: (element-type EnrCrewShift): the current crew shifts
 * @appointments: (element-type EnrAppointment) (nullable): the current
 *   appointments, without the one being replaced
 *
 * The service's re-check at booking: the slot's shift still exists for the
 * slot's crew, the slot lies within it, no appointment of the crew overlaps
 * it and the shift has capacity left for it.
 *
 * Returns: %TRUE when the slot can be booked
 */
gboolean
enr_slot_is_still_free (EnrSlot   *self,
                        GPtrArray *shifts,
                        GPtrArray *appointments)
{
  g_autoptr(GArray) bookings = NULL;
  EnrCrewShift *shift = NULL;
  gint64 start;
  gint64 end;

  g_return_val_if_fail (ENR_IS_SLOT (self), FALSE);

  if (self->start == NULL || self->end == NULL || self->crew_shift_id == NULL)
    return FALSE;

  for (guint i = 0; shifts != NULL && i < shifts->len; i++)
    {
      EnrCrewShift *candidate = g_ptr_array_index (shifts, i);

      if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (candidate)), self->crew_shift_id) == 0)
        {
          shift = candidate;
          break;
        }
    }

  if (shift == NULL ||
      g_strcmp0 (enr_crew_shift_get_crew_id (shift), self->crew_id) != 0 ||
      enr_crew_shift_get_start (shift) == NULL ||
      enr_crew_shift_get_end (shift) == NULL)
    return FALSE;

  start = g_date_time_to_unix (self->start);
  end = g_date_time_to_unix (self->end);

  if (end <= start ||
      start < g_date_time_to_unix (enr_crew_shift_get_start (shift)) ||
      end > g_date_time_to_unix (enr_crew_shift_get_end (shift)))
    return FALSE;

  bookings = collect_bookings (appointments, NULL);

  return shift_has_room (shift, bookings, end - start) &&
         !is_busy (bookings, self->crew_id, self->crew_shift_id, start, end);
}

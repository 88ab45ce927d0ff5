/* enr-slot-finder.h — free appointment slots for one activity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-activity-type.h"
#include "enr-appointment.h"
#include "enr-crew.h"
#include "enr-crew-shift.h"

G_BEGIN_DECLS

/* The longest list enr_slot_finder_find() returns: the earliest slots. */
#define ENR_SLOT_FINDER_MAX_SLOTS 500

/**
 * EnrSlotQuery:
 * @activity_type: the activity to place (its id and duration)
 * @crew: (nullable): the chosen crew; %NULL = every crew of @shift_type_id
 * @shift_type_id: (nullable): the chosen crew shift type; %NULL = any
 * @crews: (element-type EnrCrew) (nullable): when set, only these crews'
 *   shifts are considered (the caller's division and craft filter), and
 *   their names label and order the slots
 * @date: the appointment date: the first day listed
 * @slot_days: how many days from @date the list covers (the action
 *   method's appointment slot days); 0 counts as 1
 * @shifts: (element-type EnrCrewShift) (nullable): the crew shifts
 * @appointments: (element-type EnrAppointment) (nullable): the booked
 *   appointments; released ones are ignored
 * @now: (nullable): no slot starts before this instant
 * @max_slots: 0 = %ENR_SLOT_FINDER_MAX_SLOTS
 *
 * Borrowed pointers, kept alive by the caller for the call.
 */
typedef struct
{
  EnrActivityType *activity_type;
  EnrCrew         *crew;
  const char      *shift_type_id;
  GPtrArray       *crews;
  const GDate     *date;
  guint            slot_days;
  GPtrArray       *shifts;
  GPtrArray       *appointments;
  GDateTime       *now;
  guint            max_slots;
} EnrSlotQuery;

#define ENR_TYPE_SLOT (enr_slot_get_type ())

G_DECLARE_FINAL_TYPE (EnrSlot, enr_slot, ENR, SLOT, GObject)

EnrSlot        *enr_slot_new                  (void);
const char     *enr_slot_get_crew_id          (EnrSlot    *self);
void            enr_slot_set_crew_id          (EnrSlot    *self,
                                               const char *crew_id);
const char     *enr_slot_get_crew_name        (EnrSlot    *self);
void            enr_slot_set_crew_name        (EnrSlot    *self,
                                               const char *crew_name);
const char     *enr_slot_get_crew_shift_id    (EnrSlot    *self);
void            enr_slot_set_crew_shift_id    (EnrSlot    *self,
                                               const char *crew_shift_id);
const char     *enr_slot_get_activity_type_id (EnrSlot    *self);
void            enr_slot_set_activity_type_id (EnrSlot    *self,
                                               const char *activity_type_id);
GDateTime      *enr_slot_get_start            (EnrSlot    *self);
void            enr_slot_set_start            (EnrSlot    *self,
                                               GDateTime  *start);
GDateTime      *enr_slot_get_end              (EnrSlot    *self);
void            enr_slot_set_end              (EnrSlot    *self,
                                               GDateTime  *end);
EnrAppointment *enr_slot_to_appointment       (EnrSlot    *self,
                                               const char *service_task_id);
gboolean        enr_slot_is_still_free        (EnrSlot    *self,
                                               GPtrArray  *shifts,
                                               GPtrArray  *appointments);

GPtrArray      *enr_slot_finder_find          (const EnrSlotQuery *query);

G_END_DECLS

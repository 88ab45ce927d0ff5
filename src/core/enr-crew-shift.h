/* enr-crew-shift.h — one shift of a crew on one day, with its capacity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"

G_BEGIN_DECLS

#define ENR_TYPE_CREW_SHIFT (enr_crew_shift_get_type ())

G_DECLARE_FINAL_TYPE (EnrCrewShift, enr_crew_shift, ENR, CREW_SHIFT, EnrEntity)

EnrCrewShift *enr_crew_shift_new                  (void);
const char   *enr_crew_shift_get_crew_id          (EnrCrewShift *self);
void          enr_crew_shift_set_crew_id          (EnrCrewShift *self,
                                                   const char   *crew_id);
const char   *enr_crew_shift_get_shift_type_id    (EnrCrewShift *self);
void          enr_crew_shift_set_shift_type_id    (EnrCrewShift *self,
                                                   const char   *shift_type_id);
const GDate  *enr_crew_shift_get_date             (EnrCrewShift *self);
void          enr_crew_shift_set_date             (EnrCrewShift *self,
                                                   const GDate  *date);
GDateTime    *enr_crew_shift_get_start            (EnrCrewShift *self);
void          enr_crew_shift_set_start            (EnrCrewShift *self,
                                                   GDateTime    *start);
GDateTime    *enr_crew_shift_get_end              (EnrCrewShift *self);
void          enr_crew_shift_set_end              (EnrCrewShift *self,
                                                   GDateTime    *end);
int           enr_crew_shift_get_capacity_minutes (EnrCrewShift *self);
void          enr_crew_shift_set_capacity_minutes (EnrCrewShift *self,
                                                   int           capacity_minutes);

G_END_DECLS

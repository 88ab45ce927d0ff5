/* enr-crew-shift-type.h — a kind of crew shift (Day, Evening…)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"

G_BEGIN_DECLS

#define ENR_TYPE_CREW_SHIFT_TYPE (enr_crew_shift_type_get_type ())

G_DECLARE_FINAL_TYPE (EnrCrewShiftType, enr_crew_shift_type, ENR, CREW_SHIFT_TYPE, EnrEntity)

EnrCrewShiftType   *enr_crew_shift_type_new                  (void);
const char         *enr_crew_shift_type_get_code             (EnrCrewShiftType *self);
void                enr_crew_shift_type_set_code             (EnrCrewShiftType *self,
                                                              const char       *code);
const char         *enr_crew_shift_type_get_name             (EnrCrewShiftType *self);
void                enr_crew_shift_type_set_name             (EnrCrewShiftType *self,
                                                              const char       *name);
const char         *enr_crew_shift_type_get_start_time       (EnrCrewShiftType *self);
void                enr_crew_shift_type_set_start_time       (EnrCrewShiftType *self,
                                                              const char       *start_time);
const char         *enr_crew_shift_type_get_end_time         (EnrCrewShiftType *self);
void                enr_crew_shift_type_set_end_time         (EnrCrewShiftType *self,
                                                              const char       *end_time);
const char * const *enr_crew_shift_type_get_weekdays         (EnrCrewShiftType *self);
void                enr_crew_shift_type_set_weekdays         (EnrCrewShiftType   *self,
                                                              const char * const *weekdays);
int                 enr_crew_shift_type_get_capacity_minutes (EnrCrewShiftType *self);
void                enr_crew_shift_type_set_capacity_minutes (EnrCrewShiftType *self,
                                                              int               capacity_minutes);

G_END_DECLS

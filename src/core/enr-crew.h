/* enr-crew.h — a field crew
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"

G_BEGIN_DECLS

#define ENR_TYPE_CREW (enr_crew_get_type ())

G_DECLARE_FINAL_TYPE (EnrCrew, enr_crew, ENR, CREW, EnrEntity)

EnrCrew            *enr_crew_new               (void);
const char         *enr_crew_get_name          (EnrCrew *self);
void                enr_crew_set_name          (EnrCrew    *self,
                                                const char *name);
const char         *enr_crew_get_shift_type_id (EnrCrew *self);
void                enr_crew_set_shift_type_id (EnrCrew    *self,
                                                const char *shift_type_id);
const char         *enr_crew_get_division      (EnrCrew *self);
void                enr_crew_set_division      (EnrCrew    *self,
                                                const char *division);
const char * const *enr_crew_get_crafts        (EnrCrew *self);
void                enr_crew_set_crafts        (EnrCrew            *self,
                                                const char * const *crafts);

G_END_DECLS

/* enr-program-exclusion.h — a program a customer may not combine with another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ENR_TYPE_PROGRAM_EXCLUSION (enr_program_exclusion_get_type ())

G_DECLARE_FINAL_TYPE (EnrProgramExclusion, enr_program_exclusion, ENR, PROGRAM_EXCLUSION, GObject)

EnrProgramExclusion *enr_program_exclusion_new                 (void);
const char          *enr_program_exclusion_get_program_id      (EnrProgramExclusion *self);
void                 enr_program_exclusion_set_program_id      (EnrProgramExclusion *self,
                                                                const char          *program_id);
const char          *enr_program_exclusion_get_program_type_id (EnrProgramExclusion *self);
void                 enr_program_exclusion_set_program_type_id (EnrProgramExclusion *self,
                                                                const char          *program_type_id);
const char          *enr_program_exclusion_get_reason          (EnrProgramExclusion *self);
void                 enr_program_exclusion_set_reason          (EnrProgramExclusion *self,
                                                                const char          *reason);

G_END_DECLS

/* enr-program-row.h — one program of the Eligible Programs zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-core.h"

G_BEGIN_DECLS

#define ENR_TYPE_PROGRAM_ROW (enr_program_row_get_type ())

G_DECLARE_FINAL_TYPE (EnrProgramRow, enr_program_row, ENR, PROGRAM_ROW, GtkListBoxRow)

GtkWidget            *enr_program_row_new              (EnrProgram           *program,
                                                        EnrProgramType       *program_type,
                                                        EnrEligibilityResult *result);
EnrProgram           *enr_program_row_get_program      (EnrProgramRow        *self);
EnrEligibilityResult *enr_program_row_get_result       (EnrProgramRow        *self);
GtkWidget            *enr_program_row_get_enroll_button (EnrProgramRow       *self);

G_END_DECLS

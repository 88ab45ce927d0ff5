/* enr-program-page.h — the Program Enrollment / Program Unenrollment panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-page.h"

G_BEGIN_DECLS

#define ENR_TYPE_PROGRAM_PAGE (enr_program_page_get_type ())

G_DECLARE_FINAL_TYPE (EnrProgramPage, enr_program_page, ENR, PROGRAM_PAGE, EnrPage)

GtkWidget *enr_program_page_new              (void);
void       enr_program_page_show_eligibility (EnrProgramPage       *self,
                                              EnrEligibilityResult *result);
GtkWidget *enr_program_page_get_reasons_box  (EnrProgramPage       *self);

G_END_DECLS

/* enr-step-indicator.h — where the clerk is in the process flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-core.h"

G_BEGIN_DECLS

#define ENR_TYPE_STEP_INDICATOR (enr_step_indicator_get_type ())

G_DECLARE_FINAL_TYPE (EnrStepIndicator, enr_step_indicator, ENR, STEP_INDICATOR, GtkWidget)

GtkWidget  *enr_step_indicator_new         (void);
void        enr_step_indicator_update      (EnrStepIndicator   *self,
                                            EnrStepPlan        *plan,
                                            EnrPanel            current,
                                            const char * const *visited);
GtkWidget  *enr_step_indicator_get_button  (EnrStepIndicator   *self,
                                            EnrPanel            panel);
const char *enr_step_indicator_get_tooltip (EnrStepIndicator   *self,
                                            EnrPanel            panel);

G_END_DECLS

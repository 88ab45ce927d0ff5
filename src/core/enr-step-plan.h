/* enr-step-plan.h — which panels a process flow shows, in which order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-enums.h"
#include "enr-program-type.h"

G_BEGIN_DECLS

/* Returned by enr_step_plan_next() and _previous() when there is no such panel. */
#define ENR_STEP_PLAN_NO_PANEL (-1)

#define ENR_TYPE_STEP_PLAN (enr_step_plan_get_type ())

typedef struct _EnrStepPlan EnrStepPlan;

GType        enr_step_plan_get_type              (void) G_GNUC_CONST;
EnrStepPlan *enr_step_plan_new                   (EnrTaskKind          kind,
                                                  gboolean             location_required);
EnrStepPlan *enr_step_plan_new_for_program_type  (EnrTaskKind          kind,
                                                  EnrProgramType      *program_type);
EnrStepPlan *enr_step_plan_ref                   (EnrStepPlan         *self);
void         enr_step_plan_unref                 (EnrStepPlan         *self);
EnrTaskKind  enr_step_plan_get_kind              (const EnrStepPlan   *self);
gboolean     enr_step_plan_get_location_required (const EnrStepPlan   *self);
guint        enr_step_plan_get_n_panels          (const EnrStepPlan   *self);
EnrPanel     enr_step_plan_get_panel             (const EnrStepPlan   *self,
                                                  guint                position);
guint        enr_step_plan_get_position          (const EnrStepPlan   *self,
                                                  EnrPanel             panel);
guint        enr_step_plan_get_n_steps           (const EnrStepPlan   *self);
gboolean     enr_step_plan_is_skipped            (const EnrStepPlan   *self,
                                                  EnrPanel             panel);
const char  *enr_step_plan_get_title             (const EnrStepPlan   *self,
                                                  EnrPanel             panel);
EnrPanel     enr_step_plan_get_first             (const EnrStepPlan   *self);
int          enr_step_plan_next                  (const EnrStepPlan   *self,
                                                  EnrPanel             from);
int          enr_step_plan_previous              (const EnrStepPlan   *self,
                                                  EnrPanel             from);
gboolean     enr_step_plan_can_jump              (const EnrStepPlan   *self,
                                                  const char * const  *visited,
                                                  EnrPanel             target);
gboolean     enr_step_plan_can_finish            (const EnrStepPlan   *self,
                                                  EnrPanel             current);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrStepPlan, enr_step_plan_unref)

G_END_DECLS

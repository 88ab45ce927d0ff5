/* enr-step-plan.c — which panels a process flow shows, in which order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A flow always has the four panels of the seed, in order: Customer,
 * Program Enrollment (or Program Unenrollment), Device Setup, Summary.
 * Device Setup is skipped when the program type's Location Required Source
 * is No; while no program is chosen the location counts as required.
 * Previous and Next step over skipped panels, a jump may only land on a
 * visited panel that is not skipped, and Finish is offered on Summary only.
 */

#include "config.h"

#include "enr-step-plan.h"

#include <glib/gi18n-lib.h>

#include "enr-enum-types.h"

#define N_PANELS 4

struct _EnrStepPlan
{
  EnrTaskKind kind;
  gboolean    location_required;
};

G_DEFINE_BOXED_TYPE (EnrStepPlan, enr_step_plan, enr_step_plan_ref, enr_step_plan_unref)

static gboolean
panel_is_valid (int panel)
{
  return panel >= ENR_PANEL_CUSTOMER && panel <= ENR_PANEL_SUMMARY;
}

EnrStepPlan *
enr_step_plan_new (EnrTaskKind kind,
                   gboolean    location_required)
{
  EnrStepPlan *self;

  g_return_val_if_fail (kind == ENR_TASK_KIND_ENROLLMENT ||
                        kind == ENR_TASK_KIND_UNENROLLMENT, NULL);

  self = g_atomic_rc_box_new0 (EnrStepPlan);
  self->kind = kind;
  self->location_required = !!location_required;

  return self;
}

/* program_type may be NULL: no program chosen yet, so the location is
 * treated as required and Device Setup is shown. */
EnrStepPlan *
enr_step_plan_new_for_program_type (EnrTaskKind     kind,
                                    EnrProgramType *program_type)
{
  g_return_val_if_fail (program_type == NULL || ENR_IS_PROGRAM_TYPE (program_type), NULL);

  if (program_type == NULL)
    return enr_step_plan_new (kind, TRUE);

  return enr_step_plan_new (kind, enr_program_type_get_location_required (program_type));
}

EnrStepPlan *
enr_step_plan_ref (EnrStepPlan *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
enr_step_plan_unref (EnrStepPlan *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release (self);
}

EnrTaskKind
enr_step_plan_get_kind (const EnrStepPlan *self)
{
  g_return_val_if_fail (self != NULL, ENR_TASK_KIND_ENROLLMENT);

  return self->kind;
}

gboolean
enr_step_plan_get_location_required (const EnrStepPlan *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->location_required;
}

/* Every panel, skipped ones included. */
guint
enr_step_plan_get_n_panels (const EnrStepPlan *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return N_PANELS;
}

EnrPanel
enr_step_plan_get_panel (const EnrStepPlan *self,
                         guint              position)
{
  g_return_val_if_fail (self != NULL, ENR_PANEL_CUSTOMER);
  g_return_val_if_fail (position < N_PANELS, ENR_PANEL_CUSTOMER);

  return (EnrPanel) position;
}

guint
enr_step_plan_get_position (const EnrStepPlan *self,
                            EnrPanel           panel)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (panel_is_valid (panel), 0);

  return (guint) panel;
}

/* The panels the clerk walks through: those not skipped. */
guint
enr_step_plan_get_n_steps (const EnrStepPlan *self)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < N_PANELS; i++)
    if (!enr_step_plan_is_skipped (self, (EnrPanel) i))
      n++;

  return n;
}

gboolean
enr_step_plan_is_skipped (const EnrStepPlan *self,
                          EnrPanel           panel)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (panel_is_valid (panel), FALSE);

  return panel == ENR_PANEL_DEVICE_SETUP && !self->location_required;
}

const char *
enr_step_plan_get_title (const EnrStepPlan *self,
                         EnrPanel           panel)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (panel_is_valid (panel), NULL);

  switch (panel)
    {
    case ENR_PANEL_CUSTOMER:
      return _("Customer");

    case ENR_PANEL_PROGRAM:
      if (self->kind == ENR_TASK_KIND_UNENROLLMENT)
        return _("Program Unenrollment");
      return _("Program Enrollment");

    case ENR_PANEL_DEVICE_SETUP:
      return _("Device Setup");

    case ENR_PANEL_SUMMARY:
      return _("Summary");

    default:
      g_assert_not_reached ();
    }
}

EnrPanel
enr_step_plan_get_first (const EnrStepPlan *self)
{
  g_return_val_if_fail (self != NULL, ENR_PANEL_CUSTOMER);

  return ENR_PANEL_CUSTOMER;
}

int
enr_step_plan_next (const EnrStepPlan *self,
                    EnrPanel           from)
{
  g_return_val_if_fail (self != NULL, ENR_STEP_PLAN_NO_PANEL);
  g_return_val_if_fail (panel_is_valid (from), ENR_STEP_PLAN_NO_PANEL);

  for (int i = (int) from + 1; i < N_PANELS; i++)
    if (!enr_step_plan_is_skipped (self, (EnrPanel) i))
      return i;

  return ENR_STEP_PLAN_NO_PANEL;
}

int
enr_step_plan_previous (const EnrStepPlan *self,
                        EnrPanel           from)
{
  g_return_val_if_fail (self != NULL, ENR_STEP_PLAN_NO_PANEL);
  g_return_val_if_fail (panel_is_valid (from), ENR_STEP_PLAN_NO_PANEL);

  for (int i = (int) from - 1; i >= 0; i--)
    if (!enr_step_plan_is_skipped (self, (EnrPanel) i))
      return i;

  return ENR_STEP_PLAN_NO_PANEL;
}

/* visited holds panel nicks ("customer", "program", "device-setup",
 * "summary"), as EnrProcessFlow:visited does; it may be NULL. */
gboolean
enr_step_plan_can_jump (const EnrStepPlan  *self,
                        const char * const *visited,
                        EnrPanel            target)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (panel_is_valid (target), FALSE);

  if (visited == NULL || enr_step_plan_is_skipped (self, target))
    return FALSE;

  return g_strv_contains (visited, enr_enum_to_nick (ENR_TYPE_PANEL, target));
}

gboolean
enr_step_plan_can_finish (const EnrStepPlan *self,
                          EnrPanel           current)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (panel_is_valid (current), FALSE);

  return current == ENR_PANEL_SUMMARY;
}

/* test-step-plan.c — the panels of a process flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-core.h"

#define NO ENR_STEP_PLAN_NO_PANEL

typedef struct
{
  EnrTaskKind  kind;
  gboolean     location_required;
  EnrPanel     panel;
  const char  *title;
  gboolean     skipped;
  int          next;
  int          previous;
  gboolean     can_finish;
} PanelCase;

static const PanelCase panel_cases[] = {
  { ENR_TASK_KIND_ENROLLMENT, TRUE, ENR_PANEL_CUSTOMER, "Customer", FALSE, ENR_PANEL_PROGRAM, NO, FALSE },
  { ENR_TASK_KIND_ENROLLMENT, TRUE, ENR_PANEL_PROGRAM, "Program Enrollment", FALSE, ENR_PANEL_DEVICE_SETUP, ENR_PANEL_CUSTOMER, FALSE },
  { ENR_TASK_KIND_ENROLLMENT, TRUE, ENR_PANEL_DEVICE_SETUP, "Device Setup", FALSE, ENR_PANEL_SUMMARY, ENR_PANEL_PROGRAM, FALSE },
  { ENR_TASK_KIND_ENROLLMENT, TRUE, ENR_PANEL_SUMMARY, "Summary", FALSE, NO, ENR_PANEL_DEVICE_SETUP, TRUE },

  { ENR_TASK_KIND_ENROLLMENT, FALSE, ENR_PANEL_CUSTOMER, "Customer", FALSE, ENR_PANEL_PROGRAM, NO, FALSE },
  { ENR_TASK_KIND_ENROLLMENT, FALSE, ENR_PANEL_PROGRAM, "Program Enrollment", FALSE, ENR_PANEL_SUMMARY, ENR_PANEL_CUSTOMER, FALSE },
  { ENR_TASK_KIND_ENROLLMENT, FALSE, ENR_PANEL_DEVICE_SETUP, "Device Setup", TRUE, ENR_PANEL_SUMMARY, ENR_PANEL_PROGRAM, FALSE },
  { ENR_TASK_KIND_ENROLLMENT, FALSE, ENR_PANEL_SUMMARY, "Summary", FALSE, NO, ENR_PANEL_PROGRAM, TRUE },

  { ENR_TASK_KIND_UNENROLLMENT, TRUE, ENR_PANEL_CUSTOMER, "Customer", FALSE, ENR_PANEL_PROGRAM, NO, FALSE },
  { ENR_TASK_KIND_UNENROLLMENT, TRUE, ENR_PANEL_PROGRAM, "Program Unenrollment", FALSE, ENR_PANEL_DEVICE_SETUP, ENR_PANEL_CUSTOMER, FALSE },
  { ENR_TASK_KIND_UNENROLLMENT, TRUE, ENR_PANEL_DEVICE_SETUP, "Device Setup", FALSE, ENR_PANEL_SUMMARY, ENR_PANEL_PROGRAM, FALSE },
  { ENR_TASK_KIND_UNENROLLMENT, TRUE, ENR_PANEL_SUMMARY, "Summary", FALSE, NO, ENR_PANEL_DEVICE_SETUP, TRUE },

  { ENR_TASK_KIND_UNENROLLMENT, FALSE, ENR_PANEL_CUSTOMER, "Customer", FALSE, ENR_PANEL_PROGRAM, NO, FALSE },
  { ENR_TASK_KIND_UNENROLLMENT, FALSE, ENR_PANEL_PROGRAM, "Program Unenrollment", FALSE, ENR_PANEL_SUMMARY, ENR_PANEL_CUSTOMER, FALSE },
  { ENR_TASK_KIND_UNENROLLMENT, FALSE, ENR_PANEL_DEVICE_SETUP, "Device Setup", TRUE, ENR_PANEL_SUMMARY, ENR_PANEL_PROGRAM, FALSE },
  { ENR_TASK_KIND_UNENROLLMENT, FALSE, ENR_PANEL_SUMMARY, "Summary", FALSE, NO, ENR_PANEL_PROGRAM, TRUE },
};

static void
test_panels (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (panel_cases); i++)
    {
      const PanelCase *c = &panel_cases[i];
      g_autoptr(EnrStepPlan) plan = enr_step_plan_new (c->kind, c->location_required);

      g_test_message ("case %u", i);
      g_assert_cmpint (enr_step_plan_get_kind (plan), ==, c->kind);
      g_assert_cmpint (enr_step_plan_get_location_required (plan), ==, c->location_required);
      g_assert_cmpstr (enr_step_plan_get_title (plan, c->panel), ==, c->title);
      g_assert_cmpint (enr_step_plan_is_skipped (plan, c->panel), ==, c->skipped);
      g_assert_cmpint (enr_step_plan_next (plan, c->panel), ==, c->next);
      g_assert_cmpint (enr_step_plan_previous (plan, c->panel), ==, c->previous);
      g_assert_cmpint (enr_step_plan_can_finish (plan, c->panel), ==, c->can_finish);
      g_assert_cmpuint (enr_step_plan_get_position (plan, c->panel), ==, (guint) c->panel);
    }
}

static void
test_order (void)
{
  static const EnrPanel order[] = {
    ENR_PANEL_CUSTOMER, ENR_PANEL_PROGRAM, ENR_PANEL_DEVICE_SETUP, ENR_PANEL_SUMMARY,
  };
  static const struct {
    gboolean location_required;
    guint    n_steps;
  } cases[] = {
    { TRUE, 4 },
    { FALSE, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EnrStepPlan) plan = enr_step_plan_new (ENR_TASK_KIND_ENROLLMENT,
                                                       cases[i].location_required);

      g_assert_cmpuint (enr_step_plan_get_n_panels (plan), ==, G_N_ELEMENTS (order));
      g_assert_cmpuint (enr_step_plan_get_n_steps (plan), ==, cases[i].n_steps);
      g_assert_cmpint (enr_step_plan_get_first (plan), ==, ENR_PANEL_CUSTOMER);
      for (guint j = 0; j < G_N_ELEMENTS (order); j++)
        g_assert_cmpint (enr_step_plan_get_panel (plan, j), ==, order[j]);
    }
}

/* Walking Next from the first panel visits exactly the non-skipped panels. */
static void
test_walk (void)
{
  static const struct {
    gboolean    location_required;
    const char *forward;
    const char *backward;
  } cases[] = {
    { TRUE, "customer program device-setup summary", "summary device-setup program customer" },
    { FALSE, "customer program summary", "summary program customer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EnrStepPlan) plan = enr_step_plan_new (ENR_TASK_KIND_UNENROLLMENT,
                                                       cases[i].location_required);
      g_autoptr(GString) forward = g_string_new (NULL);
      g_autoptr(GString) backward = g_string_new (NULL);
      int panel;

      for (panel = enr_step_plan_get_first (plan); panel != NO; panel = enr_step_plan_next (plan, panel))
        g_string_append_printf (forward, "%s%s", forward->len ? " " : "",
                                enr_enum_to_nick (ENR_TYPE_PANEL, panel));

      for (panel = ENR_PANEL_SUMMARY; panel != NO; panel = enr_step_plan_previous (plan, panel))
        g_string_append_printf (backward, "%s%s", backward->len ? " " : "",
                                enr_enum_to_nick (ENR_TYPE_PANEL, panel));

      g_assert_cmpstr (forward->str, ==, cases[i].forward);
      g_assert_cmpstr (backward->str, ==, cases[i].backward);
    }
}

typedef struct
{
  gboolean    location_required;
  const char *visited; /* space separated nicks, "" = empty list, NULL = no list */
  EnrPanel    target;
  gboolean    can_jump;
} JumpCase;

static const JumpCase jump_cases[] = {
  { TRUE, "customer", ENR_PANEL_CUSTOMER, TRUE },
  { TRUE, "customer", ENR_PANEL_PROGRAM, FALSE },
  { TRUE, "customer program", ENR_PANEL_PROGRAM, TRUE },
  { TRUE, "customer program", ENR_PANEL_DEVICE_SETUP, FALSE },
  { TRUE, "customer program", ENR_PANEL_SUMMARY, FALSE },
  { TRUE, "customer program device-setup summary", ENR_PANEL_DEVICE_SETUP, TRUE },
  { TRUE, "customer program device-setup summary", ENR_PANEL_SUMMARY, TRUE },
  /* Visited before the program changed to one without location: skipped now. */
  { FALSE, "customer program device-setup", ENR_PANEL_DEVICE_SETUP, FALSE },
  { FALSE, "customer program summary", ENR_PANEL_SUMMARY, TRUE },
  { FALSE, "customer program summary", ENR_PANEL_CUSTOMER, TRUE },
  { TRUE, "", ENR_PANEL_CUSTOMER, FALSE },
  { TRUE, NULL, ENR_PANEL_CUSTOMER, FALSE },
  { TRUE, "bogus summary-ish", ENR_PANEL_SUMMARY, FALSE },
};

static void
test_jump (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (jump_cases); i++)
    {
      const JumpCase *c = &jump_cases[i];
      g_autoptr(EnrStepPlan) plan = enr_step_plan_new (ENR_TASK_KIND_ENROLLMENT, c->location_required);
      g_auto(GStrv) visited = NULL;

      if (c->visited != NULL)
        visited = g_strsplit (c->visited, " ", -1);

      g_test_message ("case %u", i);
      g_assert_cmpint (enr_step_plan_can_jump (plan, (const char * const *) visited, c->target), ==,
                       c->can_jump);
    }
}

static void
test_program_type (void)
{
  static const struct {
    gboolean has_type;
    gboolean location_required;
    gboolean device_setup_skipped;
  } cases[] = {
    { FALSE, FALSE, FALSE },  /* no program chosen: location counts as required */
    { TRUE, TRUE, FALSE },
    { TRUE, FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EnrProgramType) type = NULL;
      g_autoptr(EnrStepPlan) plan = NULL;

      if (cases[i].has_type)
        {
          type = enr_program_type_new ();
          enr_program_type_set_location_required (type, cases[i].location_required);
        }

      plan = enr_step_plan_new_for_program_type (ENR_TASK_KIND_ENROLLMENT, type);
      g_assert_cmpint (enr_step_plan_is_skipped (plan, ENR_PANEL_DEVICE_SETUP), ==,
                       cases[i].device_setup_skipped);
      g_assert_cmpint (enr_step_plan_get_location_required (plan), ==,
                       !cases[i].device_setup_skipped);
    }
}

static void
test_boxed (void)
{
  g_autoptr(EnrStepPlan) plan = enr_step_plan_new (ENR_TASK_KIND_UNENROLLMENT, FALSE);
  EnrStepPlan *copy;

  g_assert_true (G_TYPE_IS_BOXED (ENR_TYPE_STEP_PLAN));

  copy = g_boxed_copy (ENR_TYPE_STEP_PLAN, plan);
  g_assert_true (copy == plan);
  g_assert_cmpstr (enr_step_plan_get_title (copy, ENR_PANEL_PROGRAM), ==, "Program Unenrollment");
  g_boxed_free (ENR_TYPE_STEP_PLAN, copy);

  g_assert_cmpint (enr_step_plan_get_kind (plan), ==, ENR_TASK_KIND_UNENROLLMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/step-plan/panels", test_panels);
  g_test_add_func ("/step-plan/order", test_order);
  g_test_add_func ("/step-plan/walk", test_walk);
  g_test_add_func ("/step-plan/jump", test_jump);
  g_test_add_func ("/step-plan/program-type", test_program_type);
  g_test_add_func ("/step-plan/boxed", test_boxed);

  return g_test_run ();
}

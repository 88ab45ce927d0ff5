/* enr-step-indicator.c — where the clerk is in the process flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One button per panel of the step plan, in order: the current one is
 * highlighted, visited ones can be clicked to jump back (the step plan's
 * can_jump), skipped ones say "Skipped", later ones are dimmed. A step
 * whose state did not change is left alone on an update: a panel switch
 * changes two steps. The tooltips are never set: every step always has
 * one to offer and gives its text when asked (query-tooltip), since
 * setting a tooltip asks the display where the pointer is (round trips to
 * the X server) and hides and shows the tooltip's own window, all in the
 * frame of the switch.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-gui-utils.h"
#include "enr-step-indicator.h"

#define N_STEPS 4

struct _EnrStepIndicator
{
  GtkWidget  parent_instance;

  GtkBox    *box;
  GtkWidget *buttons[N_STEPS];
  GtkWidget *numbers[N_STEPS];
  GtkWidget *titles[N_STEPS];
  GtkWidget *states[N_STEPS];
  char      *shown[N_STEPS];  /* what each step shows, as last set */
  /* What each step's tooltip says (static strings, translated), or NULL */
  const char *tooltips[N_STEPS];
};

G_DEFINE_FINAL_TYPE (EnrStepIndicator, enr_step_indicator, GTK_TYPE_WIDGET)

enum {
  PANEL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_step_clicked_cb (EnrStepIndicator *self,
                    GtkButton        *button)
{
  for (guint i = 0; i < N_STEPS; i++)
    if (self->buttons[i] == GTK_WIDGET (button))
      g_signal_emit (self, signals[PANEL_ACTIVATED], 0, (EnrPanel) i);
}

static gboolean
on_step_query_tooltip_cb (EnrStepIndicator *self,
                          int               x,
                          int               y,
                          gboolean          keyboard_mode,
                          GtkTooltip       *tooltip,
                          GtkWidget        *button)
{
  for (guint i = 0; i < N_STEPS; i++)
    if (self->buttons[i] == button && self->tooltips[i] != NULL)
      {
        gtk_tooltip_set_text (tooltip, self->tooltips[i]);
        return TRUE;
      }

  return FALSE;
}

static void
enr_step_indicator_dispose (GObject *object)
{
  EnrStepIndicator *self = ENR_STEP_INDICATOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_STEP_INDICATOR);
  for (guint i = 0; i < N_STEPS; i++)
    g_clear_pointer (&self->shown[i], g_free);
  enr_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (enr_step_indicator_parent_class)->dispose (object);
}

static void
enr_step_indicator_class_init (EnrStepIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_step_indicator_dispose;

  /**
   * EnrStepIndicator::panel-activated:
   * @panel: the visited panel the clerk wants to go back to
   */
  signals[PANEL_ACTIVATED] =
    g_signal_new ("panel-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ENR_TYPE_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/assistant/enr-step-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrStepIndicator, box);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "stepindicator");
}

static void
enr_step_indicator_init (EnrStepIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_STEPS; i++)
    {
      GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);

      if (i > 0)
        {
          GtkWidget *separator = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);

          gtk_widget_set_valign (separator, GTK_ALIGN_CENTER);
          gtk_widget_set_size_request (separator, 24, -1);
          gtk_box_append (self->box, separator);
        }

      self->numbers[i] = gtk_label_new (number);
      gtk_widget_add_css_class (self->numbers[i], "step-number");
      gtk_widget_set_valign (self->numbers[i], GTK_ALIGN_CENTER);

      self->titles[i] = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->titles[i]), 0);
      gtk_widget_add_css_class (self->titles[i], "step-title");

      self->states[i] = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->states[i]), 0);
      gtk_widget_add_css_class (self->states[i], "caption");
      gtk_widget_add_css_class (self->states[i], "step-state");

      gtk_box_append (GTK_BOX (texts), self->titles[i]);
      gtk_box_append (GTK_BOX (texts), self->states[i]);
      gtk_box_append (GTK_BOX (content), self->numbers[i]);
      gtk_box_append (GTK_BOX (content), texts);

      self->buttons[i] = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (self->buttons[i]), content);
      gtk_widget_add_css_class (self->buttons[i], "flat");
      gtk_widget_add_css_class (self->buttons[i], "step");
      g_signal_connect_object (self->buttons[i], "clicked", G_CALLBACK (on_step_clicked_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_widget_set_has_tooltip (self->buttons[i], TRUE);
      g_signal_connect_object (self->buttons[i], "query-tooltip", G_CALLBACK (on_step_query_tooltip_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_box_append (self->box, self->buttons[i]);
    }
}

GtkWidget *
enr_step_indicator_new (void)
{
  return g_object_new (ENR_TYPE_STEP_INDICATOR, NULL);
}

/**
 * enr_step_indicator_update:
 * @visited: (nullable): the panel nicks visited so far
 */
void
enr_step_indicator_update (EnrStepIndicator   *self,
                           EnrStepPlan        *plan,
                           EnrPanel            current,
                           const char * const *visited)
{
  g_return_if_fail (ENR_IS_STEP_INDICATOR (self));
  g_return_if_fail (plan != NULL);

  for (guint i = 0; i < N_STEPS; i++)
    {
      EnrPanel panel = enr_step_plan_get_panel (plan, i);
      GtkWidget *button = self->buttons[i];
      const char *title = enr_step_plan_get_title (plan, panel);
      gboolean skipped = enr_step_plan_is_skipped (plan, panel);
      gboolean is_current = panel == current;
      gboolean was_visited = visited != NULL && g_strv_contains (visited, enr_enum_to_nick (ENR_TYPE_PANEL, panel));
      gboolean can_jump = !is_current && enr_step_plan_can_jump (plan, visited, panel);
      const char *state;
      const char *tooltip;
      g_autofree char *description = NULL;
      g_autofree char *shown = NULL;

      if (skipped)
        state = _("Skipped");
      else if (is_current)
        state = _("Current step");
      else if (was_visited)
        state = _("Visited");
      else
        state = _("Not yet visited");

      if (is_current)
        tooltip = NULL;
      else if (can_jump)
        tooltip = _("Go back to this step");
      else if (skipped)
        tooltip = _("The program needs no location, so this step is skipped");
      else
        tooltip = NULL;

      /* The same as shown: nothing to set. */
      shown = g_strdup_printf ("%s\n%s\n%d%d%d%d\n%s", title, state, skipped, is_current, was_visited,
                               can_jump, tooltip != NULL ? tooltip : "");
      if (g_strcmp0 (shown, self->shown[i]) == 0)
        continue;
      g_free (self->shown[i]);
      self->shown[i] = g_steal_pointer (&shown);

      gtk_label_set_text (GTK_LABEL (self->titles[i]), title);
      gtk_label_set_text (GTK_LABEL (self->states[i]), state);

      gtk_widget_remove_css_class (button, "current");
      gtk_widget_remove_css_class (button, "visited");
      gtk_widget_remove_css_class (button, "skipped");
      gtk_widget_remove_css_class (button, "upcoming");
      gtk_widget_add_css_class (button, skipped ? "skipped"
                                        : is_current ? "current"
                                        : was_visited ? "visited" : "upcoming");

      gtk_widget_set_sensitive (button, can_jump || is_current);
      gtk_widget_set_can_target (button, can_jump);
      gtk_widget_set_focusable (button, can_jump);

      /* Given when asked: GTK would also make a tooltip set on the button
       * its accessible description, which must carry the step's state. */
      self->tooltips[i] = tooltip;

      /* Translators: the accessible description of a step: its state,
       * e.g. "Step 2 of 4: Visited" */
      description = g_strdup_printf (_("Step %u of %u: %s"), i + 1, (guint) N_STEPS, state);
      if (tooltip != NULL)
        {
          /* Translators: a step's state and what clicking it does, e.g.
           * "Step 1 of 4: Visited. Go back to this step" */
          g_autofree char *with_tooltip = g_strdup_printf (_("%s. %s"), description, tooltip);

          g_free (description);
          description = g_steal_pointer (&with_tooltip);
        }
      enr_widget_set_accessible_label (button, title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                      -1);
      if (is_current)
        gtk_accessible_update_state (GTK_ACCESSIBLE (button),
                                     GTK_ACCESSIBLE_STATE_SELECTED, TRUE,
                                     -1);
      else
        gtk_accessible_update_state (GTK_ACCESSIBLE (button),
                                     GTK_ACCESSIBLE_STATE_SELECTED, FALSE,
                                     -1);
    }
}

/**
 * enr_step_indicator_get_tooltip:
 *
 * Returns: (nullable): what the tooltip of @panel's step says (for the
 *   current step and those not yet visited, nothing)
 */
const char *
enr_step_indicator_get_tooltip (EnrStepIndicator *self,
                                EnrPanel          panel)
{
  g_return_val_if_fail (ENR_IS_STEP_INDICATOR (self), NULL);
  g_return_val_if_fail (panel < N_STEPS, NULL);

  return self->tooltips[panel];
}

/**
 * enr_step_indicator_get_button:
 *
 * Returns: (transfer none): the button of @panel
 */
GtkWidget *
enr_step_indicator_get_button (EnrStepIndicator *self,
                               EnrPanel          panel)
{
  g_return_val_if_fail (ENR_IS_STEP_INDICATOR (self), NULL);
  g_return_val_if_fail (panel < N_STEPS, NULL);

  return self->buttons[panel];
}

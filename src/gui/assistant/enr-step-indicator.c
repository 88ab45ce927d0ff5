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
 * frame of the switch. A step's state takes the room of the longest state
 * it can show (EnrStepTexts): the steps keep their widths and places on a
 * switch, and the window's size request, which the window manager is
 * told of, stays the same.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-gui-utils.h"
#include "enr-step-indicator.h"

#define N_STEPS 4

/* The states a step shows, in the order of state_text() */
enum {
  STATE_SKIPPED,
  STATE_CURRENT,
  STATE_VISITED,
  STATE_UPCOMING,
  N_STATES
};

static const char *
state_text (guint state)
{
  switch (state)
    {
    case STATE_SKIPPED:
      return _("Skipped");
    case STATE_CURRENT:
      return _("Current step");
    case STATE_VISITED:
      return _("Visited");
    case STATE_UPCOMING:
    default:
      return _("Not yet visited");
    }
}

/* A step's title above its state, as a vertical box would lay them out,
 * but as wide as the widest state the step can show in the state label's
 * font, whatever it shows now: the texts' widths are measured once for
 * each Pango context (a new font, scale or theme measures them again). */
#define ENR_TYPE_STEP_TEXTS (enr_step_texts_get_type ())
G_DECLARE_FINAL_TYPE (EnrStepTexts, enr_step_texts, ENR, STEP_TEXTS, GtkWidget)

struct _EnrStepTexts
{
  GtkWidget     parent_instance;

  GtkWidget    *title;
  GtkWidget    *state;
  /* The Pango context the widths were measured in (not owned: only
   * compared) and its serial then */
  PangoContext *context;
  guint         serial;
  int           widths[N_STATES];  /* Pango units */
};

G_DEFINE_FINAL_TYPE (EnrStepTexts, enr_step_texts, GTK_TYPE_WIDGET)

static int
text_width (GtkWidget  *label,
            const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (label, text);
  int width;

  pango_layout_get_size (layout, &width, NULL);
  return width;
}

/* The state label's width for the widest state, px: its own width less
 * its text's, plus the widest text's. */
static int
widest_state_width (EnrStepTexts *self,
                    int           state_width)
{
  PangoContext *context = gtk_widget_get_pango_context (self->state);
  const char *shown = gtk_label_get_text (GTK_LABEL (self->state));
  int widest = 0, current = -1;

  if (context != self->context || pango_context_get_serial (context) != self->serial)
    {
      for (guint i = 0; i < N_STATES; i++)
        self->widths[i] = text_width (self->state, state_text (i));
      self->context = context;
      self->serial = pango_context_get_serial (context);
    }

  for (guint i = 0; i < N_STATES; i++)
    {
      widest = MAX (widest, self->widths[i]);
      if (current < 0 && g_strcmp0 (shown, state_text (i)) == 0)
        current = self->widths[i];
    }
  if (current < 0)
    current = text_width (self->state, shown);

  return state_width - PANGO_PIXELS_CEIL (current) + PANGO_PIXELS_CEIL (widest);
}

static void
enr_step_texts_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  EnrStepTexts *self = ENR_STEP_TEXTS (widget);
  int title_min, title_nat, state_min, state_nat;

  gtk_widget_measure (self->title, orientation, for_size, &title_min, &title_nat, NULL, NULL);
  gtk_widget_measure (self->state, orientation, for_size, &state_min, &state_nat, NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int widest = MAX (state_min, widest_state_width (self, state_min));

      *minimum = MAX (title_min, widest);
      *natural = MAX (title_nat, MAX (state_nat, widest));
    }
  else
    {
      *minimum = title_min + state_min;
      *natural = title_nat + state_nat;
    }
}

static void
enr_step_texts_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  EnrStepTexts *self = ENR_STEP_TEXTS (widget);
  int title_height, state_height;

  /* Each its natural height, from the top (any room left stays below) */
  gtk_widget_measure (self->title, GTK_ORIENTATION_VERTICAL, width, NULL, &title_height, NULL, NULL);
  gtk_widget_measure (self->state, GTK_ORIENTATION_VERTICAL, width, NULL, &state_height, NULL, NULL);
  title_height = MIN (title_height, height);
  state_height = MIN (state_height, height - title_height);
  gtk_widget_size_allocate (self->title, &(GtkAllocation) { 0, 0, width, title_height }, -1);
  gtk_widget_size_allocate (self->state, &(GtkAllocation) { 0, title_height, width, state_height }, -1);
}

static void
enr_step_texts_dispose (GObject *object)
{
  EnrStepTexts *self = ENR_STEP_TEXTS (object);

  g_clear_pointer (&self->title, gtk_widget_unparent);
  g_clear_pointer (&self->state, gtk_widget_unparent);

  G_OBJECT_CLASS (enr_step_texts_parent_class)->dispose (object);
}

static void
enr_step_texts_class_init (EnrStepTextsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_step_texts_dispose;
  widget_class->measure = enr_step_texts_measure;
  widget_class->size_allocate = enr_step_texts_size_allocate;
  /* Styled and presented as the vertical box it replaces */
  gtk_widget_class_set_css_name (widget_class, "box");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
enr_step_texts_init (EnrStepTexts *self)
{
}

static GtkWidget *
enr_step_texts_new (GtkWidget *title,
                    GtkWidget *state)
{
  EnrStepTexts *self = g_object_new (ENR_TYPE_STEP_TEXTS, NULL);

  self->title = title;
  self->state = state;
  gtk_widget_set_parent (title, GTK_WIDGET (self));
  gtk_widget_set_parent (state, GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

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

      gtk_box_append (GTK_BOX (content), self->numbers[i]);
      gtk_box_append (GTK_BOX (content), enr_step_texts_new (self->titles[i], self->states[i]));

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
        state = state_text (STATE_SKIPPED);
      else if (is_current)
        state = state_text (STATE_CURRENT);
      else if (was_visited)
        state = state_text (STATE_VISITED);
      else
        state = state_text (STATE_UPCOMING);

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

/* enr-focus-grid.c — a grid that Tab goes through in the order of its children
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK sorts the children of a container by their place on screen for
 * Tab and Shift+Tab. EnrFocusGrid goes through them in the order they
 * were added instead, forward for Tab and backward for Shift+Tab, so
 * that what is shown first need not be reached first: the assistant's
 * Cancel Process is first on screen but last for Tab, after Save and
 * Next. The arrow keys keep GTK's order.
 *
 * enr_focus_in_order() is that walk for the focus vfunc of any widget.
 * A widget that overrides grab_focus (to put the focus on its likeliest
 * control) needs it too: GTK 4.8's default focus handler calls
 * grab_focus when Tab enters the widget and when Shift+Tab leaves its
 * first control, so Tab would skip to that control and Shift+Tab loop
 * inside the widget.
 */

#include "config.h"

#include "enr-focus-grid.h"

struct _EnrFocusGrid
{
  GtkGrid parent_instance;
};

G_DEFINE_FINAL_TYPE (EnrFocusGrid, enr_focus_grid, GTK_TYPE_GRID)

static GtkWidget *
step (GtkWidget *child,
      gboolean   forward)
{
  return forward ? gtk_widget_get_next_sibling (child) : gtk_widget_get_prev_sibling (child);
}

/**
 * enr_focus_in_order:
 * @widget: a widget whose focus vfunc this is
 * @direction: %GTK_DIR_TAB_FORWARD or %GTK_DIR_TAB_BACKWARD
 *
 * Moves the focus through the children of @widget in the order they were
 * added (backward for Shift+Tab), from the child that has it or from the
 * first (last) child when the focus comes from outside. @widget itself
 * never takes the focus.
 *
 * Returns: whether the focus moved inside @widget
 */
gboolean
enr_focus_in_order (GtkWidget        *widget,
                    GtkDirectionType  direction)
{
  gboolean forward = direction == GTK_DIR_TAB_FORWARD;
  GtkWidget *focus_child;
  GtkWidget *child;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD, FALSE);

  focus_child = gtk_widget_get_focus_child (widget);
  if (focus_child != NULL)
    {
      if (gtk_widget_child_focus (focus_child, direction))
        return TRUE;
      child = step (focus_child, forward);
    }
  else
    {
      child = forward ? gtk_widget_get_first_child (widget) : gtk_widget_get_last_child (widget);
    }

  for (; child != NULL; child = step (child, forward))
    if (gtk_widget_get_visible (child) && gtk_widget_get_child_visible (child) &&
        gtk_widget_child_focus (child, direction))
      return TRUE;

  return FALSE;
}

static gboolean
enr_focus_grid_focus (GtkWidget        *widget,
                      GtkDirectionType  direction)
{
  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return GTK_WIDGET_CLASS (enr_focus_grid_parent_class)->focus (widget, direction);

  return enr_focus_in_order (widget, direction);
}

static void
enr_focus_grid_class_init (EnrFocusGridClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->focus = enr_focus_grid_focus;
}

static void
enr_focus_grid_init (EnrFocusGrid *self)
{
}

GtkWidget *
enr_focus_grid_new (void)
{
  return g_object_new (ENR_TYPE_FOCUS_GRID, NULL);
}

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

static gboolean
enr_focus_grid_focus (GtkWidget        *widget,
                      GtkDirectionType  direction)
{
  gboolean forward = direction == GTK_DIR_TAB_FORWARD;
  GtkWidget *focus_child;
  GtkWidget *child;

  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return GTK_WIDGET_CLASS (enr_focus_grid_parent_class)->focus (widget, direction);

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
    if (gtk_widget_get_child_visible (child) && gtk_widget_child_focus (child, direction))
      return TRUE;

  return FALSE;
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

/* enr-monitor-window.c — Process Flows: the rows in sight, the scroll bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The column view lists a window of rows (EnrWindowModel), as many as fit
 * in its height plus WINDOW_EXTRA_ROWS, not the whole list: GTK 4.8's
 * list widgets keep widgets for 200 rows and, on a long jump (dragging
 * the scroll bar over a million tasks), release and bind all of them
 * again and lay them out, in one frame. Here a jump makes the same rows
 * stand for other tasks and sets their cells' texts: the rows in sight,
 * nothing more; no row widget is made, bound or realized while
 * scrolling.
 *
 * The scroll bar beside the list is over every task listed: its
 * adjustment (self->vadjustment) counts rows, its page is the rows in
 * sight. Its value's whole part is the window's first row (the offset)
 * and the fraction is what the column view scrolls, within its window,
 * so that scrolling stays smooth. Anything that scrolls the column view
 * itself (focus moving to a row at the edge, a click on a row half in
 * sight) moves the scroll bar the same way.
 *
 * The wheel and the touchpad over the list move the scroll bar (as a
 * scrolled window does: a wheel click moves page^⅔ pixels). The keys that
 * move along the list — Up, Down, Page Up, Page Down, Home, End, with
 * Ctrl to move the focus without selecting — move the focused row over
 * the whole list, not only within the window, and bring it into sight;
 * Tab moves in and out of the list as before (GTK's).
 *
 * The selection is a task (see enr-monitor.c); its position in the list
 * (self->selected_position) is known after each rebuild. The window's
 * selection highlights its row while that row is in the window, and
 * nothing while it is scrolled away; the side pane keeps showing it.
 */

#include "config.h"

#include <math.h>

#include "enr-monitor-private.h"

/* Rows beyond those that fit: the one half in sight at the bottom when
 * the top one is scrolled by a fraction, and one more. */
#define WINDOW_EXTRA_ROWS 2

/* The window before the list has its size. */
#define WINDOW_INITIAL_ROWS 40

static GtkWidget *row_widget_of     (EnrMonitor *self,
                                     GtkWidget  *widget);
static guint      focused_position  (EnrMonitor *self);
static GtkWidget *row_widget_at     (EnrMonitor *self,
                                     guint       index);

static guint
n_listed (EnrMonitor *self)
{
  return self->model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
}

/* How many rows are in sight (a fraction for the last one), or 0 when
 * the list has no size yet. */
static double
rows_in_sight (EnrMonitor *self)
{
  double page = gtk_adjustment_get_page_size (self->list_adjustment);

  if (self->row_height <= 0 || page <= 0)
    return 0;

  return page / self->row_height;
}

/* The scroll bar's range: every task listed; its page the rows in sight. */
void
_enr_monitor_update_scroll_bar (EnrMonitor *self)
{
  double n = n_listed (self);
  double page = rows_in_sight (self);
  double value = gtk_adjustment_get_value (self->vadjustment);
  double old_upper = gtk_adjustment_get_upper (self->vadjustment);
  double old_page = gtk_adjustment_get_page_size (self->vadjustment);

  if (page <= 0)
    page = self->window != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->window)) : 0;
  page = MIN (page, n);
  /* The same list in a page of another height: one scrolled to its end
   * stays there (the last task in sight). */
  if (old_upper == n && n > 0 && value >= old_upper - old_page - 0.001)
    value = n - page;
  value = CLAMP (value, 0, n - page);

  gtk_adjustment_configure (self->vadjustment, value, 0, n, 1, MAX (1, floor (page) - 1), page);
  gtk_widget_set_visible (GTK_WIDGET (self->list_scrollbar), n > page + 0.01);
}

/* The window's row of the selected task is highlighted, or none. */
void
_enr_monitor_update_window_selection (EnrMonitor *self)
{
  guint index = GTK_INVALID_LIST_POSITION;

  if (self->selection == NULL || self->window == NULL)
    return;

  if (self->selected_position != G_MAXUINT)
    {
      guint offset = enr_window_model_get_offset (self->window);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->window));

      if (self->selected_position >= offset && self->selected_position < offset + n)
        index = self->selected_position - offset;
    }

  if (gtk_single_selection_get_selected (self->selection) != index)
    {
      self->selecting = TRUE;
      gtk_single_selection_set_selected (self->selection, index);
      self->selecting = FALSE;
    }
}

/* The window's rows stand for the rows from the scroll bar's value on;
 * the column view scrolls the first one's fraction. */
void
_enr_monitor_sync_window (EnrMonitor *self)
{
  double value;
  guint offset, focused;
  gboolean moved;

  if (self->window == NULL)
    return;

  focused = focused_position (self);
  value = gtk_adjustment_get_value (self->vadjustment);
  offset = (guint) MIN (floor (MAX (value, 0)), (double) enr_window_model_get_max_offset (self->window));
  moved = enr_window_model_set_offset (self->window, offset);
  if (moved)
    {
      _enr_monitor_update_window_selection (self);
      _enr_monitor_update_bound_cells (self);
    }

  if (self->row_height > 0)
    {
      self->syncing = TRUE;
      gtk_adjustment_set_value (self->list_adjustment,
                                (value - enr_window_model_get_offset (self->window)) * self->row_height);
      self->syncing = FALSE;
    }

  /* The focus stays on its task while it is in the window (the list
   * scrolled a row half in sight at the edge into sight, say, after a
   * click), not on the row widget, which now shows another. */
  if (moved && focused != G_MAXUINT && !self->refocusing &&
      focused >= offset && focused < offset + g_list_model_get_n_items (G_LIST_MODEL (self->window)))
    {
      GtkWidget *row = row_widget_at (self, focused - offset);

      if (row != NULL)
        {
          self->refocusing = TRUE;
          gtk_widget_grab_focus (row);
          self->refocusing = FALSE;
        }
    }
}

/* Something scrolled the column view itself (focus, a click): the
 * scroll bar follows, and the window with it. */
static void
on_list_value_changed_cb (EnrMonitor *self)
{
  double value;

  if (self->syncing || self->window == NULL || self->row_height <= 0)
    return;

  value = enr_window_model_get_offset (self->window) +
          gtk_adjustment_get_value (self->list_adjustment) / self->row_height;
  if (fabs (value - gtk_adjustment_get_value (self->vadjustment)) > 0.001)
    gtk_adjustment_set_value (self->vadjustment, value);
}

/* A row widget's height, its border (the row separator) included; all
 * rows are one height. Not the list's height shared out among the rows:
 * that is the last layout's, maybe of another number of rows. */
static double
measure_row_height (EnrMonitor *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->bound_cells);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      GtkWidget *child = gtk_list_item_get_child (item);
      GtkWidget *row = child != NULL ? row_widget_of (self, child) : NULL;
      graphene_rect_t bounds;

      if (row != NULL && gtk_widget_get_mapped (row) &&
          gtk_widget_compute_bounds (row, gtk_widget_get_parent (row), &bounds) &&
          bounds.size.height > 0)
        return bounds.size.height;
    }

  return 0;
}

/* The list has its size, or another one: the window gets as many rows
 * as fit, and the scroll bar its page. Not from inside the size
 * allocation that told. */
static gboolean
update_layout_cb (gpointer data)
{
  EnrMonitor *self = data;
  double row_height;

  self->layout_id = 0;
  if (self->window == NULL)
    return G_SOURCE_REMOVE;

  row_height = measure_row_height (self);
  if (row_height > 0 && gtk_adjustment_get_page_size (self->list_adjustment) > 0)
    {
      guint size;

      self->row_height = row_height;
      size = (guint) ceil (rows_in_sight (self)) + WINDOW_EXTRA_ROWS;
      if (size != enr_window_model_get_size (self->window))
        {
          /* Rows removed at the end may be the selected one's: the
           * selection stays the task's. */
          self->selecting = TRUE;
          enr_window_model_set_size (self->window, size);
          self->selecting = FALSE;
          _enr_monitor_update_bound_cells (self);
        }
    }

  _enr_monitor_update_scroll_bar (self);
  _enr_monitor_sync_window (self);
  _enr_monitor_update_window_selection (self);

  return G_SOURCE_REMOVE;
}

static void
queue_layout_update (EnrMonitor *self)
{
  if (self->layout_id == 0 && self->window != NULL)
    self->layout_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_layout_cb, self, NULL);
}

/* Scrolls so that @position is in sight, as little as needed. */
static void
scroll_into_sight (EnrMonitor *self,
                   guint       position)
{
  double value = gtk_adjustment_get_value (self->vadjustment);
  double page = rows_in_sight (self);

  if (page <= 0)
    page = 1;
  if (position < value)
    gtk_adjustment_set_value (self->vadjustment, position);
  else if (position + 1 > value + page)
    gtk_adjustment_set_value (self->vadjustment, position + 1 - page);
}

/* Scrolls so that @position is in sight, a third down the list when it
 * was not (all rows are one height). */
void
_enr_monitor_scroll_to_position (EnrMonitor *self,
                                 guint       position)
{
  double value = gtk_adjustment_get_value (self->vadjustment);
  double page = rows_in_sight (self);

  if (page <= 0)
    page = 1;
  if (position < value || position + 1 > value + page)
    gtk_adjustment_set_value (self->vadjustment, MAX (0.0, position - page / 3));
}

/* The wheel and the touchpad over the list move the scroll bar. */
static gboolean
on_list_scroll_cb (GtkEventControllerScroll *controller,
                   double                    dx,
                   double                    dy,
                   EnrMonitor               *self)
{
  double rows;

  if (dy == 0 || self->window == NULL || self->row_height <= 0)
    return FALSE;

  /* As GtkScrolledWindow: a wheel click moves page^⅔ pixels, the
   * touchpad the pixels it says. */
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    rows = dy * pow (gtk_adjustment_get_page_size (self->list_adjustment), 2.0 / 3.0) / self->row_height;
  else
    rows = dy / self->row_height;

  gtk_adjustment_set_value (self->vadjustment, gtk_adjustment_get_value (self->vadjustment) + rows);
  return TRUE;
}

/* The row widget (the column view's, around the cells) @widget is in,
 * or NULL. */
static GtkWidget *
row_widget_of (EnrMonitor *self,
               GtkWidget  *widget)
{
  for (; widget != NULL && widget != GTK_WIDGET (self->column_view); widget = gtk_widget_get_parent (widget))
    {
      GtkWidget *parent = gtk_widget_get_parent (widget);

      if (parent != NULL && GTK_IS_LIST_VIEW (parent) &&
          gtk_widget_get_parent (parent) == GTK_WIDGET (self->column_view))
        return widget;
    }

  return NULL;
}

/* The window's row a row widget shows, from its cells, or
 * GTK_INVALID_LIST_POSITION. */
static guint
row_widget_index (GtkWidget *row)
{
  for (GtkWidget *cell = gtk_widget_get_first_child (row); cell != NULL; cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *child = gtk_widget_get_first_child (cell);
      GtkListItem *item = child != NULL ? g_object_get_data (G_OBJECT (child), "enr-list-item") : NULL;

      if (item != NULL && gtk_list_item_get_item (item) != NULL)
        return gtk_list_item_get_position (item);
    }

  return GTK_INVALID_LIST_POSITION;
}

/* The position in the list of the task whose row has the focus, or
 * G_MAXUINT. */
static guint
focused_position (EnrMonitor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;
  guint index;

  if (focus == NULL || self->window == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view)))
    return G_MAXUINT;

  row = row_widget_of (self, focus);
  index = row != NULL ? row_widget_index (row) : GTK_INVALID_LIST_POSITION;
  if (index == GTK_INVALID_LIST_POSITION)
    return G_MAXUINT;

  return enr_window_model_get_offset (self->window) + index;
}

/* The row widget of the window's row @index, or NULL. */
static GtkWidget *
row_widget_at (EnrMonitor *self,
               guint       index)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->bound_cells);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    if (gtk_list_item_get_position (item) == index && gtk_list_item_get_child (item) != NULL)
      return row_widget_of (self, gtk_list_item_get_child (item));

  return NULL;
}

/* The keys that move along the list move over all of it. */
static gboolean
on_list_key_pressed_cb (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        EnrMonitor            *self)
{
  guint cursor = focused_position (self);
  guint n = n_listed (self);
  guint index, target, page;
  gboolean select = (state & GDK_CONTROL_MASK) == 0;
  GtkWidget *row;

  if (cursor == G_MAXUINT || n == 0 || (state & (GDK_SHIFT_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;

  page = MAX (1, (guint) floor (rows_in_sight (self)) - 1);

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      target = cursor > 0 ? cursor - 1 : 0;
      break;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      target = MIN (cursor + 1, n - 1);
      break;

    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      target = cursor > page ? cursor - page : 0;
      break;

    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      target = MIN (cursor + page, n - 1);
      break;

    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      target = 0;
      break;

    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      target = n - 1;
      break;

    default:
      return FALSE;
    }

  scroll_into_sight (self, target);
  _enr_monitor_sync_window (self);
  index = target - enr_window_model_get_offset (self->window);
  if (select)
    gtk_single_selection_set_selected (self->selection, index);
  row = row_widget_at (self, index);
  if (row != NULL)
    gtk_widget_grab_focus (row);

  return TRUE;
}

/* When the list model is made: the window over it. */
void
_enr_monitor_create_window (EnrMonitor *self)
{
  self->window = enr_window_model_new (G_LIST_MODEL (self->model), WINDOW_INITIAL_ROWS);
  self->selected_position = G_MAXUINT;
  gtk_adjustment_set_value (self->vadjustment, 0);
  _enr_monitor_update_scroll_bar (self);
  queue_layout_update (self);
}

void
_enr_monitor_init_window (EnrMonitor *self)
{
  GtkEventController *controller;

  self->selected_position = G_MAXUINT;
  self->vadjustment = g_object_ref_sink (gtk_adjustment_new (0, 0, 0, 1, 1, 0));
  gtk_scrollbar_set_adjustment (self->list_scrollbar, self->vadjustment);
  gtk_widget_set_visible (GTK_WIDGET (self->list_scrollbar), FALSE);
  g_signal_connect_object (self->vadjustment, "value-changed", G_CALLBACK (_enr_monitor_sync_window), self,
                           G_CONNECT_SWAPPED);

  /* The scrolled window's, set when the template was built. */
  self->list_adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));
  g_signal_connect_object (self->list_adjustment, "changed", G_CALLBACK (queue_layout_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list_adjustment, "value-changed", G_CALLBACK (on_list_value_changed_cb), self,
                           G_CONNECT_SWAPPED);

  /* Before the scrolled window's own scrolling, which would stop at the
   * window's edges. */
  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_list_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_scroller), controller);

  /* Before the list's own key bindings, which stop at the window's. */
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_list_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);
}

void
_enr_monitor_dispose_window (EnrMonitor *self)
{
  g_clear_handle_id (&self->layout_id, g_source_remove);
  g_clear_object (&self->window);
  self->list_adjustment = NULL;
  g_clear_object (&self->vadjustment);
}

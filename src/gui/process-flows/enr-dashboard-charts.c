/* enr-dashboard-charts.c — the dashboard's two charts: drawing and input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One stacked bar per program (a segment per task status, the part not
 * on the service yet hatched) under a legend that wraps, and a histogram
 * of the tasks in progress by age; both drawn with cairo in the widget's
 * style colours. Clicks and the arrow keys select a segment or a column;
 * activating one is the widget's (enr-dashboard.c) to announce.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-dashboard-private.h"

/* The legend */

/* The legend's entries: the statuses, then the hatch of what is not on
 * the service yet when there is any. */
static guint
n_legend_entries (EnrDashboard *self)
{
  return N_STATUSES + (self->stats != NULL && enr_task_stats_get_unsent_total (self->stats) > 0);
}

static const char *
legend_text (guint entry)
{
  return entry < N_STATUSES ? enr_task_status_label (entry) : _("Not on the service yet");
}

/* Lays the legend out in lines within @width: calls @draw (when not
 * NULL) for each entry; returns the number of lines. */
static guint
layout_legend (EnrDashboard *self,
               GtkWidget    *widget,
               int           width,
               void        (*draw) (EnrDashboard *, GtkWidget *, cairo_t *, guint, double, double),
               cairo_t      *cr)
{
  double x = PADDING;
  guint line = 0;

  for (guint entry = 0; entry < n_legend_entries (self); entry++)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, legend_text (entry));
      int text_w, text_h;
      double entry_w;

      pango_layout_get_pixel_size (layout, &text_w, &text_h);
      entry_w = 16 + text_w + 16;
      if (x > PADDING && x + entry_w - 16 > width - PADDING)
        {
          line++;
          x = PADDING;
        }
      if (draw != NULL)
        draw (self, widget, cr, entry, x, PADDING + line * LEGEND_H + LEGEND_H / 2);
      x += entry_w;
    }

  return line + 1;
}

void
_enr_dashboard_update_programs_height (EnrDashboard *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->programs_area));

  if (width > 0)
    self->legend_lines = layout_legend (self, GTK_WIDGET (self->programs_area), width, NULL, NULL);
  self->legend_lines = MAX (self->legend_lines, 1);

  gtk_drawing_area_set_content_height (self->programs_area,
                                       (int) (2 * PADDING + self->legend_lines * LEGEND_H +
                                              MAX (1, _enr_dashboard_n_programs (self)) * (ROW_H + ROW_GAP)));
}

static gboolean
on_relayout_cb (gpointer user_data)
{
  EnrDashboard *self = user_data;
  guint lines = self->legend_lines;

  self->relayout_id = 0;
  _enr_dashboard_update_programs_height (self);
  if (lines != self->legend_lines)
    gtk_widget_queue_draw (GTK_WIDGET (self->programs_area));

  return G_SOURCE_REMOVE;
}

/* The legend may take more or fewer lines: the height follows, after the
 * size allocation that changed the width. */
static void
on_programs_resize_cb (EnrDashboard *self)
{
  if (self->relayout_id == 0)
    self->relayout_id = g_idle_add (on_relayout_cb, self);
}

/* Colours */

static gboolean
is_dark (const GdkRGBA *foreground)
{
  return 0.2126 * foreground->red + 0.7152 * foreground->green + 0.0722 * foreground->blue > 0.5;
}

static void
get_foreground (GtkWidget *widget,
                GdkRGBA   *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
status_color (GtkWidget     *widget,
              EnrTaskStatus  status,
              GdkRGBA       *color)
{
  /* Named colours of the theme first; these where it has none. */
  static const char * const names[N_STATUSES] = {
    [ENR_TASK_STATUS_PENDING] = "accent_bg_color",
    [ENR_TASK_STATUS_VALIDATE] = NULL,
    [ENR_TASK_STATUS_ERROR] = "error_color",
    [ENR_TASK_STATUS_IN_PROGRESS] = "warning_color",
    [ENR_TASK_STATUS_COMPLETED] = "success_color",
    [ENR_TASK_STATUS_CANCELED] = NULL,
  };
  static const char * const light[N_STATUSES] = {
    "#3584e4", "#9141ac", "#e01b24", "#e5a50a", "#2ec27e", "#77767b",
  };
  static const char * const dark[N_STATUSES] = {
    "#62a0ea", "#c061cb", "#f66151", "#f8e45c", "#57e389", "#9a9996",
  };
  GdkRGBA foreground;
  gboolean found = FALSE;

  get_foreground (widget, &foreground);

  if (status == ENR_TASK_STATUS_CANCELED)
    {
      *color = foreground;
      color->alpha *= 0.4f;
      return;
    }

  if (names[status] != NULL)
    {
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      found = gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), names[status], color);
      if (!found && status == ENR_TASK_STATUS_PENDING)
        found = gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                                "theme_selected_bg_color", color);
      G_GNUC_END_IGNORE_DEPRECATIONS
    }

  if (!found)
    gdk_rgba_parse (color, is_dark (&foreground) ? dark[status] : light[status]);
}

static void
draw_text (GtkWidget  *widget,
           cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      max_width,
           double      xalign,
           gboolean    dim)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  GdkRGBA foreground;
  int width, height;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &width, &height);

  get_foreground (widget, &foreground);
  if (dim)
    foreground.alpha *= 0.7f;
  gdk_cairo_set_source_rgba (cr, &foreground);
  cairo_move_to (cr, x - xalign * width, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   width,
              double   height,
              double   radius)
{
  radius = MIN (radius, MIN (width, height) / 2.0);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_focus (GtkWidget       *widget,
            cairo_t         *cr,
            graphene_rect_t *rect)
{
  GdkRGBA foreground;

  get_foreground (widget, &foreground);
  gdk_cairo_set_source_rgba (cr, &foreground);
  cairo_set_line_width (cr, 2);
  rounded_rect (cr, rect->origin.x - 2, rect->origin.y - 2,
                rect->size.width + 4, rect->size.height + 4, 4);
  cairo_stroke (cr);
}

/* The programs chart */

static double
label_width (double width)
{
  return MIN (220.0, width * 0.32);
}

/* Fills self->hits with the areas of the bars for @width. */
static void
layout_programs (EnrDashboard *self,
                 double        width)
{
  double label_w = label_width (width);
  double bar_x = PADDING + label_w + 8;
  double bar_w = MAX (1.0, width - bar_x - COUNT_W - PADDING);
  guint64 max_total = 0;

  g_array_set_size (self->hits, 0);

  for (guint i = 0; i < _enr_dashboard_n_programs (self); i++)
    max_total = MAX (max_total, enr_task_stats_get_program_total (self->stats, i));

  for (guint row = 0; row < _enr_dashboard_n_programs (self); row++)
    {
      guint index = _enr_dashboard_program_at_row (self, row);
      double y = PADDING + self->legend_lines * LEGEND_H + row * (ROW_H + ROW_GAP);
      double x = bar_x;
      HitArea label = { GRAPHENE_RECT_INIT (PADDING, y, label_w, ROW_H), index, ENR_DASHBOARD_ANY_STATUS };

      g_array_append_val (self->hits, label);

      for (guint status = 0; status < N_STATUSES && max_total > 0; status++)
        {
          guint64 count = enr_task_stats_get_count (self->stats, index, status);
          double w = bar_w * (double) count / (double) max_total;
          HitArea segment;

          if (count == 0)
            continue;

          /* A segment of one task stays visible and clickable. */
          w = MAX (w, 3.0);
          segment = (HitArea) { GRAPHENE_RECT_INIT (x, y, w, ROW_H), index, status };
          g_array_append_val (self->hits, segment);
          x += w;
        }
    }
}

/* Hatches @w × @h at (@x, @y): the part of a bar not on the service yet. */
static void
draw_hatch (GtkWidget *widget,
            cairo_t   *cr,
            double     x,
            double     y,
            double     w,
            double     h)
{
  GdkRGBA foreground;

  get_foreground (widget, &foreground);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.55);
  cairo_set_line_width (cr, 1.5);
  for (double hx = x - h; hx < x + w; hx += 5)
    {
      cairo_move_to (cr, hx, y + h);
      cairo_line_to (cr, hx + h, y);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_legend_entry (EnrDashboard *self,
                   GtkWidget    *widget,
                   cairo_t      *cr,
                   guint         entry,
                   double        x,
                   double        y)
{
  if (entry < N_STATUSES)
    {
      GdkRGBA color;

      status_color (widget, entry, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      rounded_rect (cr, x, y - 6, 12, 12, 3);
      cairo_fill (cr);
    }
  else
    draw_hatch (widget, cr, x, y - 6, 12, 12);
  draw_text (widget, cr, legend_text (entry), x + 16, y - 2, -1, 0, TRUE);
}

static void
draw_programs (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  EnrDashboard *self = ENR_DASHBOARD (user_data);
  GtkWidget *widget = GTK_WIDGET (area);
  gboolean focused = gtk_widget_has_focus (widget);

  /* The legend. */
  layout_legend (self, widget, width, draw_legend_entry, cr);

  if (_enr_dashboard_n_programs (self) == 0)
    {
      draw_text (widget, cr, self->loading ? _("Counting…") : _("No service tasks"),
                 PADDING, PADDING + self->legend_lines * LEGEND_H + ROW_H / 2, width - 2 * PADDING, 0, TRUE);
      return;
    }

  layout_programs (self, width);

  for (guint i = 0; i < self->hits->len; i++)
    {
      HitArea *hit = &g_array_index (self->hits, HitArea, i);
      graphene_rect_t *r = &hit->rect;

      if (hit->status == ENR_DASHBOARD_ANY_STATUS)
        {
          g_autofree char *total = NULL;
          double bar_end = r->origin.x + r->size.width + 8;

          draw_text (widget, cr,
                     _enr_dashboard_program_name (self, enr_task_stats_get_program_id (self->stats, hit->program)),
                     r->origin.x, r->origin.y + ROW_H / 2, r->size.width, 0, FALSE);

          /* The total after the bar's last segment. */
          for (guint j = i + 1; j < self->hits->len; j++)
            {
              HitArea *next = &g_array_index (self->hits, HitArea, j);

              if (next->status == ENR_DASHBOARD_ANY_STATUS)
                break;
              bar_end = next->rect.origin.x + next->rect.size.width;
            }
          total = g_strdup_printf ("%" G_GUINT64_FORMAT, enr_task_stats_get_program_total (self->stats, hit->program));
          draw_text (widget, cr, total, bar_end + 6, r->origin.y + ROW_H / 2, COUNT_W, 0, TRUE);
        }
      else
        {
          GdkRGBA color;

          guint64 count = enr_task_stats_get_count (self->stats, hit->program, hit->status);
          guint64 unsent = enr_task_stats_get_unsent (self->stats, hit->program, hit->status);

          status_color (widget, hit->status, &color);
          gdk_cairo_set_source_rgba (cr, &color);
          cairo_rectangle (cr, r->origin.x, r->origin.y, MAX (1.0, r->size.width - 1), r->size.height);
          cairo_fill (cr);

          /* The part not on the service yet: hatched, at the segment's end. */
          if (unsent > 0 && count > 0)
            {
              double w = MAX (3.0, (r->size.width - 1) * (double) unsent / (double) count);

              draw_hatch (widget, cr, r->origin.x + r->size.width - 1 - w, r->origin.y, w, r->size.height);
            }
        }

      if (focused && hit->program == _enr_dashboard_program_at_row (self, self->selected_program) &&
          hit->status == self->selected_status)
        draw_focus (widget, cr, r);
    }
}

/* The ageing chart */

static void
bucket_rect (double           width,
             double           height,
             EnrAgeBucket     bucket,
             graphene_rect_t *rect)
{
  double column_w = (width - 2 * PADDING) / ENR_AGE_BUCKET_N;

  graphene_rect_init (rect, PADDING + bucket * column_w, PADDING, column_w, height - 2 * PADDING);
}

static void
draw_ageing (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  EnrDashboard *self = ENR_DASHBOARD (user_data);
  GtkWidget *widget = GTK_WIDGET (area);
  double top = PADDING + 20;
  double bottom = height - PADDING - 22;
  guint64 max_count = 0;
  GdkRGBA bar, foreground;

  status_color (widget, ENR_TASK_STATUS_IN_PROGRESS, &bar);
  get_foreground (widget, &foreground);

  for (guint bucket = 0; self->stats != NULL && bucket < ENR_AGE_BUCKET_N; bucket++)
    max_count = MAX (max_count, enr_task_stats_get_ageing (self->stats, bucket));

  /* The base line. */
  foreground.alpha *= 0.3f;
  gdk_cairo_set_source_rgba (cr, &foreground);
  cairo_rectangle (cr, PADDING, bottom, width - 2 * PADDING, 1);
  cairo_fill (cr);

  for (guint bucket = 0; bucket < ENR_AGE_BUCKET_N; bucket++)
    {
      guint64 count = self->stats != NULL ? enr_task_stats_get_ageing (self->stats, bucket) : 0;
      g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
      graphene_rect_t column;
      double bar_h = max_count > 0 ? (bottom - top) * (double) count / (double) max_count : 0;
      double bar_w, x;

      bucket_rect (width, height, bucket, &column);
      bar_w = column.size.width * 0.6;
      x = column.origin.x + (column.size.width - bar_w) / 2;

      if (count > 0)
        {
          gdk_cairo_set_source_rgba (cr, &bar);
          rounded_rect (cr, x, bottom - MAX (bar_h, 2.0), bar_w, MAX (bar_h, 2.0), 3);
          cairo_fill (cr);
        }

      draw_text (widget, cr, text, column.origin.x + column.size.width / 2,
                 bottom - MAX (bar_h, 2.0) - 10, column.size.width, 0.5, FALSE);
      draw_text (widget, cr, enr_age_bucket_label (bucket), column.origin.x + column.size.width / 2,
                 bottom + 12, column.size.width, 0.5, TRUE);

      if (gtk_widget_has_focus (widget) && bucket == self->selected_bucket)
        draw_focus (widget, cr, &column);
    }
}

/* Input */

static gboolean
hit_program (EnrDashboard *self,
             double        x,
             double        y,
             guint        *program,
             int          *status)
{
  layout_programs (self, gtk_widget_get_width (GTK_WIDGET (self->programs_area)));

  for (guint i = 0; i < self->hits->len; i++)
    {
      HitArea *hit = &g_array_index (self->hits, HitArea, i);

      if (graphene_rect_contains_point (&hit->rect, &GRAPHENE_POINT_INIT (x, y)))
        {
          *program = hit->program;
          *status = hit->status;
          return TRUE;
        }
    }

  return FALSE;
}

static void
on_programs_pressed_cb (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y,
                        EnrDashboard    *self)
{
  guint program;
  int status;

  if (self->stats == NULL || !hit_program (self, x, y, &program, &status))
    return;

  for (guint row = 0; row < _enr_dashboard_n_programs (self); row++)
    if (_enr_dashboard_program_at_row (self, row) == program)
      self->selected_program = row;
  self->selected_status = status;
  gtk_widget_grab_focus (GTK_WIDGET (self->programs_area));
  gtk_widget_queue_draw (GTK_WIDGET (self->programs_area));
  _enr_dashboard_activate_program (self, program, status);
}

static void
on_ageing_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      EnrDashboard    *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->ageing_area));
  int height = gtk_widget_get_height (GTK_WIDGET (self->ageing_area));

  for (guint bucket = 0; bucket < ENR_AGE_BUCKET_N; bucket++)
    {
      graphene_rect_t column;

      bucket_rect (width, height, bucket, &column);
      if (graphene_rect_contains_point (&column, &GRAPHENE_POINT_INIT (x, y)))
        {
          self->selected_bucket = bucket;
          gtk_widget_grab_focus (GTK_WIDGET (self->ageing_area));
          gtk_widget_queue_draw (GTK_WIDGET (self->ageing_area));
          _enr_dashboard_activate_age (self, bucket);
          return;
        }
    }
}

/* The next status of the selected program that has tasks, from the whole
 * bar (any status) through its segments. */
static int
step_status (EnrDashboard *self,
             int           direction)
{
  guint index = _enr_dashboard_program_at_row (self, self->selected_program);
  int status = self->selected_status;

  for (;;)
    {
      status += direction;
      if (status < ENR_DASHBOARD_ANY_STATUS || status >= N_STATUSES)
        return self->selected_status;
      if (status == ENR_DASHBOARD_ANY_STATUS || enr_task_stats_get_count (self->stats, index, status) > 0)
        return status;
    }
}

static gboolean
on_programs_key_pressed_cb (GtkEventControllerKey *controller,
                            guint                  keyval,
                            guint                  keycode,
                            GdkModifierType        state,
                            EnrDashboard          *self)
{
  if (_enr_dashboard_n_programs (self) == 0)
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      if (self->selected_program == 0)
        return GDK_EVENT_PROPAGATE;
      self->selected_program--;
      self->selected_status = ENR_DASHBOARD_ANY_STATUS;
      break;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (self->selected_program + 1 >= _enr_dashboard_n_programs (self))
        return GDK_EVENT_PROPAGATE;
      self->selected_program++;
      self->selected_status = ENR_DASHBOARD_ANY_STATUS;
      break;

    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      self->selected_status = step_status (self, -1);
      break;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      self->selected_status = step_status (self, 1);
      break;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      _enr_dashboard_activate_program (self, _enr_dashboard_program_at_row (self, self->selected_program),
                                       self->selected_status);
      return GDK_EVENT_STOP;

    default:
      return GDK_EVENT_PROPAGATE;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self->programs_area));
  return GDK_EVENT_STOP;
}

static gboolean
on_ageing_key_pressed_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          EnrDashboard          *self)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      if (self->selected_bucket == 0)
        return GDK_EVENT_PROPAGATE;
      self->selected_bucket--;
      break;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      if (self->selected_bucket + 1 >= ENR_AGE_BUCKET_N)
        return GDK_EVENT_PROPAGATE;
      self->selected_bucket++;
      break;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      _enr_dashboard_activate_age (self, self->selected_bucket);
      return GDK_EVENT_STOP;

    default:
      return GDK_EVENT_PROPAGATE;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self->ageing_area));
  return GDK_EVENT_STOP;
}

static void
on_focus_changed_cb (GtkWidget  *area,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  gtk_widget_queue_draw (area);
}

static void
add_input (EnrDashboard *self,
           GtkWidget    *area,
           GCallback     pressed,
           GCallback     key_pressed)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "pressed", pressed, self, 0);
  gtk_widget_add_controller (area, GTK_EVENT_CONTROLLER (click));

  g_signal_connect_object (keys, "key-pressed", key_pressed, self, 0);
  gtk_widget_add_controller (area, keys);

  g_signal_connect (area, "notify::has-focus", G_CALLBACK (on_focus_changed_cb), NULL);
  gtk_widget_set_cursor_from_name (area, "pointer");
}

/* Draw functions, sizes and input of the two drawing areas (once, from
 * the widget's init). */
void
_enr_dashboard_init_charts (EnrDashboard *self)
{
  gtk_drawing_area_set_draw_func (self->programs_area, draw_programs, self, NULL);
  gtk_drawing_area_set_draw_func (self->ageing_area, draw_ageing, self, NULL);
  gtk_drawing_area_set_content_height (self->ageing_area, (int) AGEING_H);
  self->legend_lines = 1;
  gtk_drawing_area_set_content_height (self->programs_area, (int) (2 * PADDING + LEGEND_H + ROW_H + ROW_GAP));
  g_signal_connect_object (self->programs_area, "resize", G_CALLBACK (on_programs_resize_cb), self,
                           G_CONNECT_SWAPPED);

  add_input (self, GTK_WIDGET (self->programs_area),
             G_CALLBACK (on_programs_pressed_cb), G_CALLBACK (on_programs_key_pressed_cb));
  add_input (self, GTK_WIDGET (self->ageing_area),
             G_CALLBACK (on_ageing_pressed_cb), G_CALLBACK (on_ageing_key_pressed_cb));
}

/**
 * enr_dashboard_get_segment_point:
 * @status: an #EnrTaskStatus, or %ENR_DASHBOARD_ANY_STATUS for the
 *   program's name
 * @x: (out): the point's x in the programs area
 * @y: (out): the point's y in the programs area
 *
 * Returns: whether the programs chart shows that segment
 */
gboolean
enr_dashboard_get_segment_point (EnrDashboard *self,
                                 const char   *program_id,
                                 int           status,
                                 double       *x,
                                 double       *y)
{
  g_return_val_if_fail (ENR_IS_DASHBOARD (self), FALSE);
  g_return_val_if_fail (program_id != NULL, FALSE);

  if (self->stats == NULL)
    return FALSE;

  layout_programs (self, gtk_widget_get_width (GTK_WIDGET (self->programs_area)));
  for (guint i = 0; i < self->hits->len; i++)
    {
      HitArea *hit = &g_array_index (self->hits, HitArea, i);

      if (hit->status == status &&
          g_strcmp0 (enr_task_stats_get_program_id (self->stats, hit->program), program_id) == 0)
        {
          *x = hit->rect.origin.x + hit->rect.size.width / 2;
          *y = hit->rect.origin.y + hit->rect.size.height / 2;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * enr_dashboard_get_bucket_point:
 * @x: (out): the column's centre in the ageing area
 * @y: (out): the column's centre in the ageing area
 */
gboolean
enr_dashboard_get_bucket_point (EnrDashboard *self,
                                EnrAgeBucket  bucket,
                                double       *x,
                                double       *y)
{
  graphene_rect_t column;

  g_return_val_if_fail (ENR_IS_DASHBOARD (self), FALSE);
  g_return_val_if_fail (bucket < ENR_AGE_BUCKET_N, FALSE);

  bucket_rect (gtk_widget_get_width (GTK_WIDGET (self->ageing_area)),
               gtk_widget_get_height (GTK_WIDGET (self->ageing_area)), bucket, &column);
  *x = column.origin.x + column.size.width / 2;
  *y = column.origin.y + column.size.height / 2;
  return column.size.width > 0;
}

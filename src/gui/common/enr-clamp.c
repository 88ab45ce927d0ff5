/* enr-clamp.c — a column of one width, centred
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What libadwaita's AdwClamp does, for GTK 4.8 alone: the child gets the
 * column's width (maximum-size) whenever there is room for it, less when
 * the window is narrower, never less than its minimum. Unlike a box with
 * halign center, the column does not follow its content: a long
 * eligibility reason wraps instead of widening every card.
 */

#include "config.h"

#include "enr-clamp.h"
#include "enr-gui-utils.h"

struct _EnrClamp
{
  GtkWidget parent_instance;

  int       maximum_size;
};

G_DEFINE_FINAL_TYPE (EnrClamp, enr_clamp, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MAXIMUM_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The child's width for @width available. */
static int
child_width (EnrClamp  *self,
             GtkWidget *child,
             int        width)
{
  int minimum;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (width < 0)
    width = self->maximum_size;

  return MAX (minimum, MIN (width, self->maximum_size));
}

static void
enr_clamp_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  EnrClamp *self = ENR_CLAMP (widget);
  GtkWidget *child = gtk_widget_get_first_child (widget);

  *minimum = *natural = 0;
  if (child == NULL || !gtk_widget_should_layout (child))
    return;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (child, orientation, for_size, minimum, NULL, NULL, NULL);
      *natural = MAX (*minimum, self->maximum_size);
    }
  else
    {
      gtk_widget_measure (child, orientation, child_width (self, child, for_size),
                          minimum, natural, NULL, NULL);
    }
}

static void
enr_clamp_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  EnrClamp *self = ENR_CLAMP (widget);
  GtkWidget *child = gtk_widget_get_first_child (widget);
  int child_w;

  if (child == NULL || !gtk_widget_should_layout (child))
    return;

  child_w = child_width (self, child, width);
  gtk_widget_size_allocate (child,
                            &(GtkAllocation) { (width - child_w) / 2, 0, child_w, height },
                            -1);
}

static GtkSizeRequestMode
enr_clamp_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
enr_clamp_dispose (GObject *object)
{
  enr_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (enr_clamp_parent_class)->dispose (object);
}

static void
enr_clamp_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EnrClamp *self = ENR_CLAMP (object);

  switch (prop_id)
    {
    case PROP_MAXIMUM_SIZE:
      g_value_set_int (value, self->maximum_size);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_clamp_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  EnrClamp *self = ENR_CLAMP (object);

  switch (prop_id)
    {
    case PROP_MAXIMUM_SIZE:
      if (self->maximum_size != g_value_get_int (value))
        {
          self->maximum_size = g_value_get_int (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_clamp_class_init (EnrClampClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_clamp_dispose;
  object_class->get_property = enr_clamp_get_property;
  object_class->set_property = enr_clamp_set_property;

  widget_class->measure = enr_clamp_measure;
  widget_class->size_allocate = enr_clamp_size_allocate;
  widget_class->get_request_mode = enr_clamp_get_request_mode;

  properties[PROP_MAXIMUM_SIZE] =
    g_param_spec_int ("maximum-size", NULL, NULL,
                      0, G_MAXINT, 784,
                      (G_PARAM_READWRITE |
                       G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "clamp");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
enr_clamp_init (EnrClamp *self)
{
  self->maximum_size = 784;
}

GtkWidget *
enr_clamp_new (void)
{
  return g_object_new (ENR_TYPE_CLAMP, NULL);
}

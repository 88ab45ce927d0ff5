/* enr-customer-row.c — one customer in the search results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row of the window's fixed pool of result rows: made once, then given
 * one customer after another. It shows two lines: the name in bold, and
 * the account, phone, email and address, smaller.
 *
 * The two lines are one EnrCustomerRowLines, a widget that draws its
 * Pango layout itself at a size that does not depend on its text: as
 * wide as 80 characters of its font (a GtkLabel's width-chars and
 * max-width-chars), each line ellipsized at the end, as high as a bold
 * line and a small one. So giving the row another customer only redraws
 * it: a GtkLabel given new text queues a resize, which re-measures and
 * re-allocates every widget up to the window in the next frame. For
 * assistive technology the lines are a label (the role and name a
 * GtkLabel has: its text, plain), and the row keeps its own name ("Maria
 * Gonzalez, account RPL-100037") and description (the second line).
 * Setting a customer rebuilds the text, but hands it (and the accessible
 * properties) to GTK only when it differs from what the row shows, so a
 * result that stays in its place costs nothing.
 *
 * The lines of a row outside the view of the scrolled window they are in
 * are neither laid out nor drawn (the pool's rows below the view, some
 * 8 of 20 in a window of the default size): laying out and drawing the
 * text is most of a keystroke's frame. GTK keeps a widget's drawing until
 * it is queued again, and a row only moves in the view when the view
 * scrolls or changes size, so the window calls
 * enr_customer_row_redraw_unseen() on its rows then (its vertical
 * adjustment's value-changed and changed).
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-customer-row.h"

/* The widths of a GtkLabel with width-chars and max-width-chars 80 */
#define LINES_WIDTH_CHARS 80

#define ENR_TYPE_CUSTOMER_ROW_LINES (enr_customer_row_lines_get_type ())
G_DECLARE_FINAL_TYPE (EnrCustomerRowLines, enr_customer_row_lines, ENR, CUSTOMER_ROW_LINES, GtkWidget)

/* How the two lines look: the attributes of LINES_MARKUP around one
 * character on each line, parsed once. */
#define LINES_MARKUP "<b>X</b>\n<span size=\"small\" alpha=\"70%\">X</span>"

struct _EnrCustomerRowLines
{
  GtkWidget    parent_instance;

  /* The name, a newline and the details, plain; @name_length bytes of
   * name */
  char        *text;
  gsize        name_length;
  /* Made when first drawn, then kept; its text is set again when
   * @text_changed, its context when the widget's Pango context changed
   * (@context_serial) */
  PangoLayout *layout;
  guint        context_serial;
  gboolean     text_changed;
  /* The last snapshot was outside the view and drew nothing */
  gboolean     unseen;
};

G_DEFINE_FINAL_TYPE (EnrCustomerRowLines, enr_customer_row_lines, GTK_TYPE_WIDGET)

/* What the lines of any customer take: the text's own size never counts. */
static void
enr_customer_row_lines_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);
      int char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                            pango_font_metrics_get_approximate_digit_width (metrics));

      pango_font_metrics_unref (metrics);
      *minimum = *natural = PANGO_PIXELS_CEIL (char_width * LINES_WIDTH_CHARS);
    }
  else
    {
      /* The same markup as the rows', around one character. */
      PangoLayout *sample = gtk_widget_create_pango_layout (widget, NULL);
      int height;

      pango_layout_set_markup (sample, LINES_MARKUP, -1);
      pango_layout_get_pixel_size (sample, NULL, &height);
      g_object_unref (sample);
      *minimum = *natural = height;
    }
}

/* LINES_MARKUP's attributes, parsed in class_init */
static PangoAttrList *markup_attributes;

/* LINES_MARKUP's attributes over @text, the first line's over its
 * @name_length bytes and the second's over the rest: what the markup
 * of the text would give, without parsing it (nor escaping the text). */
static PangoAttrList *
make_attributes (const char *text,
                 gsize       name_length)
{
  PangoAttrList *attributes = pango_attr_list_new ();
  GSList *list;

  /* In the markup, the name's "X" is byte 0 and the details' byte 2. */
  list = pango_attr_list_get_attributes (markup_attributes);
  for (GSList *l = list; l != NULL; l = l->next)
    {
      PangoAttribute *attribute = l->data;

      if (attribute->start_index == 0)
        {
          attribute->end_index = name_length;
        }
      else
        {
          attribute->start_index = name_length + 1;
          attribute->end_index = strlen (text);
        }
      pango_attr_list_insert (attributes, attribute);
    }
  g_slist_free (list);

  return attributes;
}

static PangoLayout *
ensure_layout (EnrCustomerRowLines *self,
               int                  width)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));

  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      self->context_serial = pango_context_get_serial (context);
      self->text_changed = TRUE;
    }
  else if (self->context_serial != pango_context_get_serial (context))
    {
      /* Another font (the style changed): measure the text again. */
      pango_layout_context_changed (self->layout);
      self->context_serial = pango_context_get_serial (context);
    }

  if (self->text_changed)
    {
      PangoAttrList *attributes = make_attributes (self->text, self->name_length);

      pango_layout_set_text (self->layout, self->text, -1);
      pango_layout_set_attributes (self->layout, attributes);
      pango_attr_list_unref (attributes);
      self->text_changed = FALSE;
    }
  pango_layout_set_width (self->layout, width * PANGO_SCALE);

  return self->layout;
}

/* Whether any of @widget shows in the view of the scrolled window it is
 * in (TRUE outside one). Vertically only: the results never scroll
 * sideways. */
static gboolean
in_view (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  if (scroller == NULL || !gtk_widget_compute_bounds (widget, scroller, &bounds))
    return TRUE;

  return bounds.origin.y < gtk_widget_get_height (scroller) &&
         bounds.origin.y + bounds.size.height > 0;
}

static void
enr_customer_row_lines_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot)
{
  EnrCustomerRowLines *self = ENR_CUSTOMER_ROW_LINES (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoLayout *layout;
  PangoRectangle logical;
  float xalign = 0;
  float x, y;

  self->unseen = FALSE;
  if (self->text == NULL || self->text[0] == '\0' || width <= 0)
    return;

  if (!in_view (widget))
    {
      self->unseen = TRUE;
      return;
    }

  layout = ensure_layout (self, width);
  pango_layout_get_pixel_extents (layout, NULL, &logical);

  /* Where a GtkLabel with xalign 0 and yalign 0.5 puts its layout. */
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    xalign = 1;
  x = floorf (xalign * (width - logical.width)) - logical.x;
  y = floorf ((height - logical.height) / 2.0f) - logical.y;

  gtk_snapshot_render_layout (snapshot, gtk_widget_get_style_context (widget), x, y, layout);
}

static void
enr_customer_row_lines_finalize (GObject *object)
{
  EnrCustomerRowLines *self = ENR_CUSTOMER_ROW_LINES (object);

  g_clear_object (&self->layout);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (enr_customer_row_lines_parent_class)->finalize (object);
}

static void
enr_customer_row_lines_class_init (EnrCustomerRowLinesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = enr_customer_row_lines_finalize;
  widget_class->measure = enr_customer_row_lines_measure;
  widget_class->snapshot = enr_customer_row_lines_snapshot;

  if (!pango_parse_markup (LINES_MARKUP, -1, 0, &markup_attributes, NULL, NULL, NULL))
    g_assert_not_reached ();

  /* Styled and read as the label it replaces. */
  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
enr_customer_row_lines_init (EnrCustomerRowLines *self)
{
}

/* @text: the name, a newline and the details (also the accessible name);
 * @name_length: the name's bytes. A redraw, never a resize. */
static void
enr_customer_row_lines_set (EnrCustomerRowLines *self,
                            const char          *text,
                            gsize                name_length)
{
  g_free (self->text);
  self->text = g_strdup (text);
  self->name_length = name_length;
  self->text_changed = TRUE;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

struct _EnrCustomerRow
{
  GtkListBoxRow        parent_instance;

  EnrCustomerRowLines *lines;

  EnrCustomer         *customer;
  char                *text;
  char                *accessible_label;
  char                *description;
};

G_DEFINE_FINAL_TYPE (EnrCustomerRow, enr_customer_row, GTK_TYPE_LIST_BOX_ROW)

/* Takes @value; returns whether it differed from *@slot. */
static gboolean
replace_string (char **slot,
                char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    {
      g_free (value);
      return FALSE;
    }

  g_free (*slot);
  *slot = value;
  return TRUE;
}

static char *
join_details (EnrCustomer *customer)
{
  GString *details = g_string_new (NULL);
  const char *parts[4];

  parts[0] = enr_customer_get_account_id (customer);
  parts[1] = enr_customer_get_phone (customer);
  parts[2] = enr_customer_get_email (customer);
  parts[3] = enr_customer_get_mailing_address (customer);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL || parts[i][0] == '\0')
        continue;
      if (details->len > 0)
        g_string_append (details, " · ");
      g_string_append (details, parts[i]);
    }

  return g_string_free (details, FALSE);
}

static void
update (EnrCustomerRow *self)
{
  g_autofree char *details = NULL;
  g_autofree char *accessible_label = NULL;
  const char *name;

  if (self->customer == NULL)
    {
      if (replace_string (&self->text, g_strdup ("")))
        enr_customer_row_lines_set (self->lines, "", 0);
      return;
    }

  name = enr_customer_get_name (self->customer);
  if (name == NULL)
    name = "";
  details = join_details (self->customer);

  if (replace_string (&self->text, g_strdup_printf ("%s\n%s", name, details)))
    enr_customer_row_lines_set (self->lines, self->text, strlen (name));

  /* Translators: a search result read by assistive technology: name and account */
  accessible_label = g_strdup_printf (_("%s, account %s"), name, enr_customer_get_account_id (self->customer));
  if (replace_string (&self->accessible_label, g_steal_pointer (&accessible_label)))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_label,
                                    -1);

  if (replace_string (&self->description, g_steal_pointer (&details)))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                    -1);
}

static void
enr_customer_row_dispose (GObject *object)
{
  EnrCustomerRow *self = (EnrCustomerRow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_CUSTOMER_ROW);
  g_clear_object (&self->customer);

  G_OBJECT_CLASS (enr_customer_row_parent_class)->dispose (object);
}

static void
enr_customer_row_finalize (GObject *object)
{
  EnrCustomerRow *self = (EnrCustomerRow *) object;

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->accessible_label, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (enr_customer_row_parent_class)->finalize (object);
}

static void
enr_customer_row_class_init (EnrCustomerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_customer_row_dispose;
  object_class->finalize = enr_customer_row_finalize;

  g_type_ensure (ENR_TYPE_CUSTOMER_ROW_LINES);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/customer/enr-customer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerRow, lines);
}

static void
enr_customer_row_init (EnrCustomerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* A row without a customer. */
GtkWidget *
enr_customer_row_new (void)
{
  return g_object_new (ENR_TYPE_CUSTOMER_ROW, NULL);
}

/**
 * enr_customer_row_get_customer:
 *
 * Returns: (transfer none) (nullable): the customer shown
 */
EnrCustomer *
enr_customer_row_get_customer (EnrCustomerRow *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_ROW (self), NULL);

  return self->customer;
}

/**
 * enr_customer_row_set_customer:
 * @customer: (nullable): the customer to show
 *
 * Shows @customer; the lines and the accessible properties are set only
 * where they change.
 */
void
enr_customer_row_set_customer (EnrCustomerRow *self,
                               EnrCustomer    *customer)
{
  g_return_if_fail (ENR_IS_CUSTOMER_ROW (self));
  g_return_if_fail (customer == NULL || ENR_IS_CUSTOMER (customer));

  if (!g_set_object (&self->customer, customer))
    return;

  update (self);
}

/**
 * enr_customer_row_get_text:
 *
 * Returns: (transfer none): what the row shows, without its markup: the
 *   name, a newline, then account, phone, email and address ("" without
 *   a customer)
 */
const char *
enr_customer_row_get_text (EnrCustomerRow *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_ROW (self), NULL);

  return self->text != NULL ? self->text : "";
}

/**
 * enr_customer_row_get_lines:
 *
 * Returns: (transfer none): the widget that draws the row's two lines
 *   (accessible role label, its text the accessible name)
 */
GtkWidget *
enr_customer_row_get_lines (EnrCustomerRow *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_ROW (self), NULL);

  return GTK_WIDGET (self->lines);
}

/**
 * enr_customer_row_redraw_unseen:
 *
 * Queues a redraw of the row's lines if they were last outside the view
 * of their scrolled window and drew nothing: call it when the view
 * scrolls or changes size.
 */
void
enr_customer_row_redraw_unseen (EnrCustomerRow *self)
{
  g_return_if_fail (ENR_IS_CUSTOMER_ROW (self));

  if (self->lines->unseen)
    gtk_widget_queue_draw (GTK_WIDGET (self->lines));
}

/**
 * enr_customer_row_get_layout_attributes:
 *
 * Returns: (transfer none) (nullable): the attributes of the Pango layout
 *   the row last drew, NULL if it has not drawn a customer yet
 */
PangoAttrList *
enr_customer_row_get_layout_attributes (EnrCustomerRow *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_ROW (self), NULL);

  return self->lines->layout != NULL ? pango_layout_get_attributes (self->lines->layout) : NULL;
}

/**
 * enr_customer_row_get_layout_text:
 *
 * Returns: (transfer none) (nullable): the text of the Pango layout the
 *   row last drew, NULL if it has not drawn a customer yet (a row
 *   outside the view of its scrolled window draws nothing)
 */
const char *
enr_customer_row_get_layout_text (EnrCustomerRow *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_ROW (self), NULL);

  return self->lines->layout != NULL ? pango_layout_get_text (self->lines->layout) : NULL;
}

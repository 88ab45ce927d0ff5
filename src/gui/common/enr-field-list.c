/* enr-field-list.c — read-only fields in a card, one row each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Summary, the Customer panel and the Customer View show what is
 * known as "Name  value" rows. Each row is a focusable list row: Tab
 * reaches the card, Up and Down go from field to field, the scrolled page
 * follows the focus, and Ctrl+C copies the value. The values are plain
 * labels, not selectable ones: in GTK 4.8 a selectable label that is not
 * focusable takes the Tab move without taking the focus, which stopped
 * the keyboard dead on the page.
 *
 * A size group shared by the lists of a page lines up their name columns
 * from card to card. Assistive technology reads each row as the field's
 * name with its value as the description.
 */

#include "config.h"

#include "enr-field-list.h"
#include "enr-gui-utils.h"

struct _EnrFieldList
{
  GtkWidget     parent_instance;

  GtkListBox   *list;
  GtkSizeGroup *size_group;
  char         *title;
  char         *heading;
  guint         n_fields;
};

G_DEFINE_FINAL_TYPE (EnrFieldList, enr_field_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkLabel *
row_value_label (GtkListBoxRow *row)
{
  GtkWidget *box = gtk_list_box_row_get_child (row);
  GtkWidget *last = box != NULL ? gtk_widget_get_last_child (box) : NULL;

  return GTK_IS_LABEL (last) ? GTK_LABEL (last) : NULL;
}

/* Ctrl+C on a row: its value to the clipboard. */
static gboolean
copy_value_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  EnrFieldList *self = ENR_FIELD_LIST (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  GtkLabel *value;

  if (focus == NULL || !GTK_IS_LIST_BOX_ROW (focus) || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list)))
    return FALSE;

  value = row_value_label (GTK_LIST_BOX_ROW (focus));
  if (value == NULL)
    return FALSE;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), gtk_label_get_text (value));
  return TRUE;
}

static void
enr_field_list_dispose (GObject *object)
{
  EnrFieldList *self = (EnrFieldList *) object;

  g_clear_object (&self->size_group);
  enr_widget_unparent_children (GTK_WIDGET (object));
  self->list = NULL;

  G_OBJECT_CLASS (enr_field_list_parent_class)->dispose (object);
}

static void
enr_field_list_finalize (GObject *object)
{
  EnrFieldList *self = (EnrFieldList *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->heading, g_free);

  G_OBJECT_CLASS (enr_field_list_parent_class)->finalize (object);
}

static void
enr_field_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EnrFieldList *self = ENR_FIELD_LIST (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_field_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EnrFieldList *self = ENR_FIELD_LIST (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      enr_field_list_set_title (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_field_list_class_init (EnrFieldListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_field_list_dispose;
  object_class->finalize = enr_field_list_finalize;
  object_class->get_property = enr_field_list_get_property;
  object_class->set_property = enr_field_list_set_property;

  /**
   * EnrFieldList:title:
   *
   * What the list holds, e.g. "Customer Information": its accessible name.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, copy_value_cb, NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fieldlist");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
enr_field_list_init (EnrFieldList *self)
{
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_parent (GTK_WIDGET (self->list), GTK_WIDGET (self));
}

GtkWidget *
enr_field_list_new (void)
{
  return g_object_new (ENR_TYPE_FIELD_LIST, NULL);
}

const char *
enr_field_list_get_title (EnrFieldList *self)
{
  g_return_val_if_fail (ENR_IS_FIELD_LIST (self), NULL);

  return self->title;
}

void
enr_field_list_set_title (EnrFieldList *self,
                          const char   *title)
{
  g_return_if_fail (ENR_IS_FIELD_LIST (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  if (title != NULL)
    enr_widget_set_accessible_label (GTK_WIDGET (self->list), title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/**
 * enr_field_list_set_size_group:
 * @size_group: (nullable): shared by the lists of a page, so that their
 *   name columns line up
 */
void
enr_field_list_set_size_group (EnrFieldList *self,
                               GtkSizeGroup *size_group)
{
  g_return_if_fail (ENR_IS_FIELD_LIST (self));
  g_return_if_fail (size_group == NULL || GTK_IS_SIZE_GROUP (size_group));

  g_set_object (&self->size_group, size_group);
}

/**
 * enr_field_list_add_heading:
 *
 * The next field appended starts a group with this heading above it.
 */
void
enr_field_list_add_heading (EnrFieldList *self,
                            const char   *heading)
{
  g_return_if_fail (ENR_IS_FIELD_LIST (self));

  g_free (self->heading);
  self->heading = g_strdup (heading);
}

/**
 * enr_field_list_append:
 * @name: the field's visible name, e.g. "Phone"
 * @value: (nullable): what the field holds; %NULL or empty shows a dash
 *
 * Returns: (transfer none): the new row
 */
GtkWidget *
enr_field_list_append (EnrFieldList *self,
                       const char   *name,
                       const char   *value)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *name_label;
  GtkWidget *value_label;

  g_return_val_if_fail (ENR_IS_FIELD_LIST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  value = enr_or_dash (value);

  name_label = g_object_new (GTK_TYPE_LABEL,
                             "label", name,
                             "xalign", 1.0f,
                             "yalign", 0.0f,
                             "wrap", TRUE,
                             "max-width-chars", 28,
                             "justify", GTK_JUSTIFY_RIGHT,
                             "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                             NULL);
  gtk_widget_add_css_class (name_label, "field-label");
  if (self->size_group != NULL)
    gtk_size_group_add_widget (self->size_group, name_label);

  value_label = g_object_new (GTK_TYPE_LABEL,
                              "label", value,
                              "xalign", 0.0f,
                              "yalign", 0.0f,
                              "wrap", TRUE,
                              "wrap-mode", PANGO_WRAP_WORD_CHAR,
                              "hexpand", TRUE,
                              "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                              NULL);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "field-row");
  gtk_box_append (GTK_BOX (box), name_label);
  gtk_box_append (GTK_BOX (box), value_label);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, value,
                                  -1);

  if (self->heading != NULL)
    {
      GtkWidget *heading = gtk_label_new (self->heading);

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_widget_add_css_class (heading, "field-list-heading");
      gtk_list_box_row_set_header (GTK_LIST_BOX_ROW (row), heading);
      g_clear_pointer (&self->heading, g_free);
    }

  gtk_list_box_append (self->list, row);
  self->n_fields++;

  return row;
}

/* Every field goes; the list is filled again. */
void
enr_field_list_remove_all (EnrFieldList *self)
{
  g_return_if_fail (ENR_IS_FIELD_LIST (self));

  enr_list_box_remove_all (self->list);
  g_clear_pointer (&self->heading, g_free);
  self->n_fields = 0;
}

guint
enr_field_list_get_n_fields (EnrFieldList *self)
{
  g_return_val_if_fail (ENR_IS_FIELD_LIST (self), 0);

  return self->n_fields;
}

/**
 * enr_field_list_get_list:
 *
 * Returns: (transfer none): the #GtkListBox of the rows
 */
GtkWidget *
enr_field_list_get_list (EnrFieldList *self)
{
  g_return_val_if_fail (ENR_IS_FIELD_LIST (self), NULL);

  return GTK_WIDGET (self->list);
}

/**
 * enr_field_list_get_value:
 * @name: a field's name
 *
 * Returns: (nullable): the value shown for the first field @name
 */
const char *
enr_field_list_get_value (EnrFieldList *self,
                          const char   *name)
{
  g_return_val_if_fail (ENR_IS_FIELD_LIST (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *box;

      if (!GTK_IS_LIST_BOX_ROW (child) || (box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (child))) == NULL)
        continue;

      if (g_str_equal (gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (box))), name))
        return gtk_label_get_text (row_value_label (GTK_LIST_BOX_ROW (child)));
    }

  return NULL;
}

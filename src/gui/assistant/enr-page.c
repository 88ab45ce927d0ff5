/* enr-page.c — the base of the assistant's panels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page knows its panel, its title and its session. Subclasses register
 * each field with the key validation uses (EnrFieldError:field) together
 * with the label under it; show_errors() then puts every message next to
 * its field, gives the field the error style and the accessible invalid
 * state, and puts errors without a field (or whose field has no label
 * for them) in the page's message label.
 *
 * Moving into a page (enr_page_focus()) puts the focus where the clerk
 * has something to do: the first field in error, else the first field
 * Next would refuse, else the first empty field, else the first control.
 * A size group shared by the page's forms and field lists lines up their
 * name columns.
 */

#include "config.h"

#include "enr-enum-types.h"
#include "enr-gui-utils.h"
#include "enr-page.h"

typedef struct
{
  char      *key;
  GtkWidget *widget;
  GtkWidget *error_label;
  GtkWidget *focus_widget;
} Field;

typedef struct
{
  EnrFlowSession *session;
  EnrPanel        panel;
  char           *title;
  GPtrArray      *fields;
  GtkWidget      *message_label;
  GtkWidget      *first_error;
  GtkSizeGroup   *label_size_group;
} EnrPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (EnrPage, enr_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PANEL,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
field_free (gpointer data)
{
  Field *field = data;

  g_free (field->key);
  g_clear_object (&field->widget);
  g_clear_object (&field->error_label);
  g_clear_object (&field->focus_widget);
  g_free (field);
}

static void
set_field_error (Field      *field,
                 const char *message)
{
  if (field->error_label != NULL)
    {
      gtk_label_set_text (GTK_LABEL (field->error_label), message ? message : "");
      gtk_widget_set_visible (field->error_label, message != NULL);
    }

  enr_widget_set_invalid (field->widget, message != NULL);

  if (message != NULL && field->error_label != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (field->widget),
                                    GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE, field->error_label,
                                    -1);
  else
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (field->widget),
                                   GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE);
}

static void
enr_page_real_shown (EnrPage *self)
{
}

static void
enr_page_dispose (GObject *object)
{
  EnrPage *self = (EnrPage *) object;
  EnrPagePrivate *priv = enr_page_get_instance_private (self);
  GtkWidget *child;

  g_clear_pointer (&priv->fields, g_ptr_array_unref);
  g_clear_object (&priv->message_label);
  g_clear_object (&priv->label_size_group);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&priv->session);

  G_OBJECT_CLASS (enr_page_parent_class)->dispose (object);
}

static void
enr_page_finalize (GObject *object)
{
  EnrPage *self = (EnrPage *) object;
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  g_clear_pointer (&priv->title, g_free);

  G_OBJECT_CLASS (enr_page_parent_class)->finalize (object);
}

static void
enr_page_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  EnrPage *self = ENR_PAGE (object);
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, priv->session);
      break;

    case PROP_PANEL:
      g_value_set_enum (value, priv->panel);
      break;

    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_page_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  EnrPage *self = ENR_PAGE (object);
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SESSION:
      enr_page_set_session (self, g_value_get_object (value));
      break;

    case PROP_PANEL:
      if (priv->panel != (EnrPanel) g_value_get_enum (value))
        {
          priv->panel = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_TITLE:
      enr_page_set_title (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_page_class_init (EnrPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_page_dispose;
  object_class->finalize = enr_page_finalize;
  object_class->get_property = enr_page_get_property;
  object_class->set_property = enr_page_set_property;

  klass->shown = enr_page_real_shown;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         ENR_TYPE_FLOW_SESSION,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_PANEL] =
    g_param_spec_enum ("panel", NULL, NULL,
                       ENR_TYPE_PANEL,
                       ENR_PANEL_CUSTOMER,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
enr_page_init (EnrPage *self)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  priv->fields = g_ptr_array_new_with_free_func (field_free);
}

/**
 * enr_page_get_session:
 *
 * Returns: (transfer none) (nullable): the flow the page edits
 */
EnrFlowSession *
enr_page_get_session (EnrPage *self)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  g_return_val_if_fail (ENR_IS_PAGE (self), NULL);

  return priv->session;
}

void
enr_page_set_session (EnrPage        *self,
                      EnrFlowSession *session)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  g_return_if_fail (ENR_IS_PAGE (self));
  g_return_if_fail (session == NULL || ENR_IS_FLOW_SESSION (session));

  if (!g_set_object (&priv->session, session))
    return;

  if (session != NULL && ENR_PAGE_GET_CLASS (self)->bind != NULL)
    ENR_PAGE_GET_CLASS (self)->bind (self, session);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

EnrPanel
enr_page_get_panel (EnrPage *self)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  g_return_val_if_fail (ENR_IS_PAGE (self), ENR_PANEL_CUSTOMER);

  return priv->panel;
}

const char *
enr_page_get_title (EnrPage *self)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  g_return_val_if_fail (ENR_IS_PAGE (self), NULL);

  return priv->title;
}

void
enr_page_set_title (EnrPage    *self,
                    const char *title)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  g_return_if_fail (ENR_IS_PAGE (self));

  if (g_strcmp0 (priv->title, title) == 0)
    return;

  g_free (priv->title);
  priv->title = g_strdup (title);
  enr_widget_set_accessible_label (GTK_WIDGET (self), title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/**
 * enr_page_add_field:
 * @key: the field key of validation (EnrFieldError:field)
 * @widget: the widget that takes the input
 * @error_label: (nullable): the label under it that shows the message
 */
void
enr_page_add_field (EnrPage    *self,
                    const char *key,
                    GtkWidget  *widget,
                    GtkWidget  *error_label)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);
  Field *field;

  g_return_if_fail (ENR_IS_PAGE (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (error_label == NULL || GTK_IS_LABEL (error_label));

  enr_page_remove_fields (self, key);

  field = g_new0 (Field, 1);
  field->key = g_strdup (key);
  field->widget = g_object_ref (widget);
  field->error_label = error_label ? g_object_ref (error_label) : NULL;
  g_ptr_array_add (priv->fields, field);
}

/**
 * enr_page_remove_fields:
 * @prefix: a key, or the start of the keys to forget
 */
void
enr_page_remove_fields (EnrPage    *self,
                        const char *prefix)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  g_return_if_fail (ENR_IS_PAGE (self));
  g_return_if_fail (prefix != NULL);

  for (guint i = priv->fields->len; i > 0; i--)
    {
      Field *field = g_ptr_array_index (priv->fields, i - 1);

      if (g_str_has_prefix (field->key, prefix))
        g_ptr_array_remove_index (priv->fields, i - 1);
    }
}

/**
 * enr_page_set_message_label:
 * @label: (nullable): where errors that belong to no field are shown
 */
void
enr_page_set_message_label (EnrPage   *self,
                            GtkWidget *label)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  g_return_if_fail (ENR_IS_PAGE (self));
  g_return_if_fail (label == NULL || GTK_IS_LABEL (label));

  g_set_object (&priv->message_label, label);
}

/**
 * enr_page_validate:
 *
 * Returns: (transfer full) (element-type EnrFieldError): the page's errors:
 *   the core's rules for its panel and the page's own checks
 */
GPtrArray *
enr_page_validate (EnrPage *self)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);
  g_autoptr(GPtrArray) errors = NULL;

  g_return_val_if_fail (ENR_IS_PAGE (self), NULL);
  g_return_val_if_fail (priv->session != NULL, NULL);

  errors = enr_flow_session_validate (priv->session, priv->panel);
  if (ENR_PAGE_GET_CLASS (self)->check != NULL)
    ENR_PAGE_GET_CLASS (self)->check (self, errors);

  return g_steal_pointer (&errors);
}

/**
 * enr_page_show_errors:
 * @errors: (element-type EnrFieldError) (nullable): the errors to show;
 *   %NULL or empty clears every error
 *
 * Returns: how many errors are shown
 */
guint
enr_page_show_errors (EnrPage   *self,
                      GPtrArray *errors)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);
  g_autoptr(GString) unmatched = g_string_new (NULL);
  guint n_errors = errors != NULL ? errors->len : 0;

  g_return_val_if_fail (ENR_IS_PAGE (self), 0);

  priv->first_error = NULL;

  for (guint i = 0; i < priv->fields->len; i++)
    {
      Field *field = g_ptr_array_index (priv->fields, i);
      EnrFieldError *error = enr_validation_find (errors, field->key);

      set_field_error (field, error ? enr_field_error_get_message (error) : NULL);
    }

  for (guint i = 0; i < n_errors; i++)
    {
      EnrFieldError *error = g_ptr_array_index (errors, i);
      gboolean matched = FALSE;

      for (guint j = 0; j < priv->fields->len && !matched; j++)
        {
          Field *field = g_ptr_array_index (priv->fields, j);

          if (g_strcmp0 (field->key, enr_field_error_get_field (error)) == 0)
            {
              /* Without a label of its own, the message goes on the page. */
              matched = field->error_label != NULL;
              if (priv->first_error == NULL)
                priv->first_error = field->focus_widget ? field->focus_widget : field->widget;
            }
        }

      if (!matched)
        {
          if (unmatched->len > 0)
            g_string_append_c (unmatched, '\n');
          g_string_append (unmatched, enr_field_error_get_message (error));
        }
    }

  if (priv->message_label != NULL)
    {
      gtk_label_set_text (GTK_LABEL (priv->message_label), unmatched->str);
      gtk_widget_set_visible (priv->message_label, unmatched->len > 0);
    }
  else if (unmatched->len > 0)
    {
      g_warning ("%s: errors without a field: %s", G_OBJECT_TYPE_NAME (self), unmatched->str);
    }

  return n_errors;
}

/* The field was edited: its old message no longer applies. */
void
enr_page_clear_error (EnrPage    *self,
                      const char *key)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  g_return_if_fail (ENR_IS_PAGE (self));
  g_return_if_fail (key != NULL);

  for (guint i = 0; i < priv->fields->len; i++)
    {
      Field *field = g_ptr_array_index (priv->fields, i);

      if (g_str_equal (field->key, key) && field->error_label != NULL &&
          gtk_widget_get_visible (field->error_label))
        set_field_error (field, NULL);
    }
}

/**
 * enr_page_set_field_focus:
 * @key: a field added with enr_page_add_field()
 * @focus_widget: what takes the focus for that field (the field's widget
 *   when not set), e.g. the appointment picker around a list of slots
 */
void
enr_page_set_field_focus (EnrPage    *self,
                          const char *key,
                          GtkWidget  *focus_widget)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  g_return_if_fail (ENR_IS_PAGE (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (GTK_IS_WIDGET (focus_widget));

  for (guint i = 0; i < priv->fields->len; i++)
    {
      Field *field = g_ptr_array_index (priv->fields, i);

      if (g_str_equal (field->key, key))
        g_set_object (&field->focus_widget, focus_widget);
    }
}

/**
 * enr_page_get_label_size_group:
 *
 * Returns: (transfer none): the horizontal size group of the name
 *   column of the page's forms and field lists
 */
GtkSizeGroup *
enr_page_get_label_size_group (EnrPage *self)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);

  g_return_val_if_fail (ENR_IS_PAGE (self), NULL);

  if (priv->label_size_group == NULL)
    priv->label_size_group = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);

  return priv->label_size_group;
}

/* Whether @widget, a field's input, holds nothing yet. */
static gboolean
field_is_empty (GtkWidget *widget)
{
  if (GTK_IS_EDITABLE (widget))
    return gtk_editable_get_text (GTK_EDITABLE (widget))[0] == '\0';

  if (GTK_IS_TEXT_VIEW (widget))
    return gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget))) == 0;

  if (GTK_IS_DROP_DOWN (widget))
    return enr_drop_down_get_selected_id (GTK_DROP_DOWN (widget)) == NULL;

  if (GTK_IS_BOX (widget))
    {
      gboolean any_choice = FALSE;

      /* A group of toggle or check buttons: empty when none is active. */
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        {
          if (GTK_IS_TOGGLE_BUTTON (child))
            {
              any_choice = TRUE;
              if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child)))
                return FALSE;
            }
          else if (GTK_IS_CHECK_BUTTON (child))
            {
              any_choice = TRUE;
              if (gtk_check_button_get_active (GTK_CHECK_BUTTON (child)))
                return FALSE;
            }
        }

      return any_choice;
    }

  return FALSE;
}

/* Of the fields @select accepts, the one highest on the page (then the
 * leftmost), that can take the focus now. */
static GtkWidget *
topmost_field (EnrPage   *self,
               gboolean (*select) (EnrPage *self, Field *field, gpointer data),
               gpointer   data)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);
  GtkWidget *best = NULL;
  graphene_point_t best_point = GRAPHENE_POINT_INIT (0, 0);

  for (guint i = 0; i < priv->fields->len; i++)
    {
      Field *field = g_ptr_array_index (priv->fields, i);
      GtkWidget *target = field->focus_widget ? field->focus_widget : field->widget;
      graphene_point_t point;

      if (!gtk_widget_get_mapped (target) || !gtk_widget_is_sensitive (target) ||
          !gtk_widget_is_ancestor (target, GTK_WIDGET (self)) || !select (self, field, data))
        continue;

      if (!gtk_widget_compute_point (target, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (0, 0), &point))
        continue;

      if (best == NULL || point.y < best_point.y - 1 ||
          (G_APPROX_VALUE (point.y, best_point.y, 1) && point.x < best_point.x))
        {
          best = target;
          best_point = point;
        }
    }

  return best;
}

static gboolean
field_in_errors (EnrPage  *self,
                 Field    *field,
                 gpointer  errors)
{
  return enr_validation_find (errors, field->key) != NULL;
}

static gboolean
field_empty (EnrPage  *self,
             Field    *field,
             gpointer  data)
{
  return field_is_empty (field->widget);
}

/* A field's widget may be a box of buttons, which takes no focus itself. */
static gboolean
focus_field (GtkWidget *target)
{
  return gtk_widget_grab_focus (target) || gtk_widget_child_focus (target, GTK_DIR_TAB_FORWARD);
}

/**
 * enr_page_focus:
 *
 * Moves the focus into the page, where the clerk has something to do: to
 * the first field in error, else to the first field that Next would
 * refuse, else to the first empty field, else to the first widget that
 * takes the focus.
 */
void
enr_page_focus (EnrPage *self)
{
  EnrPagePrivate *priv = enr_page_get_instance_private (self);
  g_autoptr(GPtrArray) errors = NULL;
  GtkWidget *target;

  g_return_if_fail (ENR_IS_PAGE (self));

  if (priv->first_error != NULL &&
      gtk_widget_is_ancestor (priv->first_error, GTK_WIDGET (self)) &&
      gtk_widget_get_mapped (priv->first_error) &&
      focus_field (priv->first_error))
    return;

  if (priv->session != NULL)
    {
      errors = enr_page_validate (self);
      target = topmost_field (self, field_in_errors, errors);
      if (target == NULL)
        target = topmost_field (self, field_empty, NULL);
      if (target != NULL && focus_field (target))
        return;
    }

  /* From the top of the page, not from wherever the focus was. */
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), NULL);
  gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

void
enr_page_shown (EnrPage *self)
{
  g_return_if_fail (ENR_IS_PAGE (self));

  ENR_PAGE_GET_CLASS (self)->shown (self);
}

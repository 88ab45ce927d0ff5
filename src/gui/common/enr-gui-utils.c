/* enr-gui-utils.c — small helpers shared by the widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-gui-resources.h"
#include "enr-gui-utils.h"

#include "enr-appointment-picker.h"
#include "enr-assistant.h"
#include "enr-choice-list.h"
#include "enr-clamp.h"
#include "enr-customer-page.h"
#include "enr-customer-row.h"
#include "enr-customer-view.h"
#include "enr-date-entry.h"
#include "enr-device-setup-page.h"
#include "enr-field-list.h"
#include "enr-focus-grid.h"
#include "enr-interaction-editor.h"
#include "enr-program-page.h"
#include "enr-program-row.h"
#include "enr-question-row.h"
#include "enr-step-indicator.h"
#include "enr-summary-page.h"
#include "enr-window.h"

/* GTK 4.8's AT-SPI backend names an object that has no accessible name
 * after its type ("GtkToggleButton"), unless its role is a structural
 * one (generic, group, list item…): gtk_at_context_get_name() in
 * gtkatcontext.c. Several parts GTK's own widgets are built from have
 * neither a name nor such a role, and the role of an existing widget
 * cannot change. So each such part is named here after the control it
 * belongs to, or, when it is only decoration, hidden from assistive
 * technology (the widget it is part of says all it says). */

/* GTK's private types, known by name only. */
static gboolean
is_type_named (GtkWidget  *widget,
               const char *name)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), name);
}

static void
label_by (gpointer   accessible,
          GtkWidget *label)
{
  gtk_accessible_update_relation (GTK_ACCESSIBLE (accessible),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);
}

static void
hide_from_at (GtkWidget *widget)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                               -1);
}

static void
collect_labels (GtkWidget  *widget,
                GList     **labels)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) || GTK_IS_INSCRIPTION (child))
        *labels = g_list_prepend (*labels, child);
      else
        collect_labels (child, labels);
    }
}

/* Labelled by every label (or inscription) below WITHIN, in order: a row
 * of a column view reads as its cells' texts, a cell or a column title
 * as its own. */
static void
label_by_labels (GtkWidget *widget,
                 GtkWidget *within)
{
  g_auto(GValue) value = G_VALUE_INIT;
  GList *labels = NULL;

  collect_labels (within, &labels);
  if (labels == NULL)
    return;

  /* GTK takes the list (gtkaccessiblevalue.c). */
  gtk_accessible_relation_init_value (GTK_ACCESSIBLE_RELATION_LABELLED_BY, &value);
  g_value_set_pointer (&value, g_list_reverse (labels));
  gtk_accessible_update_relation_value (GTK_ACCESSIBLE (widget), 1,
                                        (GtkAccessibleRelation[]) { GTK_ACCESSIBLE_RELATION_LABELLED_BY },
                                        &value);
}

/* The popover of a drop-down or menu button, and the content widget of
 * its own that holds what it shows, read as the button. */
static void
name_popover (GtkWidget *popover,
              GtkWidget *button)
{
  label_by (popover, button);
  for (GtkWidget *child = gtk_widget_get_first_child (popover); child; child = gtk_widget_get_next_sibling (child))
    if (is_type_named (child, "GtkPopoverContent"))
      label_by (child, button);
}

/* The inside of a drop-down's button (gtkdropdown.ui): the stack of the
 * "(None)" label and of the list item showing the choice. Its pages and
 * the list item take the drop-down's name; the choice itself is read
 * from the label inside. */
static void
name_drop_down_button (GtkWidget *widget,
                       GtkWidget *drop_down)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_STACK (child))
        {
          for (GtkWidget *page_child = gtk_widget_get_first_child (child);
               page_child;
               page_child = gtk_widget_get_next_sibling (page_child))
            {
              label_by (gtk_stack_get_page (GTK_STACK (child), page_child), drop_down);
              if (is_type_named (page_child, "GtkListItemWidget"))
                label_by (page_child, drop_down);
            }
        }
      else
        name_drop_down_button (child, drop_down);
    }
}

static void
name_internal_parts (GtkWidget *widget)
{
  if (GTK_IS_DROP_DOWN (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      /* The toggle button inside reads as the drop-down or menu button
       * around it, whose accessible name is the field's. */
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        if (GTK_IS_TOGGLE_BUTTON (child))
          {
            label_by (child, widget);
            if (GTK_IS_DROP_DOWN (widget))
              name_drop_down_button (child, widget);
          }
        else if (GTK_IS_POPOVER (child))
          name_popover (child, widget);
    }
  else if (GTK_IS_POPOVER (widget) && gtk_widget_get_parent (widget) != NULL &&
           (GTK_IS_DROP_DOWN (gtk_widget_get_parent (widget)) || GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget))))
    name_popover (widget, gtk_widget_get_parent (widget));
  else if (GTK_IS_SCROLLBAR (widget))
    {
      GtkWidget *range = gtk_widget_get_first_child (widget);

      if (gtk_orientable_get_orientation (GTK_ORIENTABLE (widget)) == GTK_ORIENTATION_VERTICAL)
        enr_widget_set_accessible_label (widget, _("Vertical scroll bar"));
      else
        enr_widget_set_accessible_label (widget, _("Horizontal scroll bar"));
      /* The scroll bar carries the position; the range inside draws it. */
      if (range != NULL && G_OBJECT_TYPE (range) == GTK_TYPE_RANGE)
        hide_from_at (range);
    }
  /* A column view: its list, its header row and data rows (list item
   * widgets), their column titles and cells. */
  else if (is_type_named (widget, "GtkColumnListView"))
    label_by (widget, gtk_widget_get_parent (widget));
  else if (is_type_named (widget, "GtkColumnViewTitle") || is_type_named (widget, "GtkColumnViewCell") ||
           (is_type_named (widget, "GtkListItemWidget") && gtk_widget_get_parent (widget) != NULL &&
            (GTK_IS_COLUMN_VIEW (gtk_widget_get_parent (widget)) ||
             is_type_named (gtk_widget_get_parent (widget), "GtkColumnListView"))))
    label_by_labels (widget, widget);
  /* A password entry's icons: the warning that Caps Lock is on reads as
   * its tooltip; the eye that shows the text is for the pointer (the
   * entry's context menu has Show Text). */
  else if (GTK_IS_IMAGE (widget) && gtk_widget_get_parent (widget) != NULL &&
           GTK_IS_PASSWORD_ENTRY (gtk_widget_get_parent (widget)))
    {
      if (gtk_widget_has_css_class (widget, "caps-lock-indicator") && gtk_widget_get_tooltip_text (widget) != NULL)
        enr_widget_set_accessible_label (widget, gtk_widget_get_tooltip_text (widget));
      else
        hide_from_at (widget);
    }
  /* The cell around each child of a flow box. */
  else if (GTK_IS_FLOW_BOX_CHILD (widget) && gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (widget)) != NULL)
    label_by (widget, gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (widget)));
  /* A label gets its text as its name when the text changes: one that
   * was never given any (a value not known yet) has no name but its
   * type's. Its name is its text, none. */
  else if (GTK_IS_LABEL (widget) && gtk_label_get_text (GTK_LABEL (widget))[0] == '\0')
    enr_widget_set_accessible_label (widget, "");
  /* Drop-down and expander arrows, check marks, sort arrows. */
  else if (is_type_named (widget, "GtkBuiltinIcon"))
    hide_from_at (widget);
  /* What a pointer drags; the keyboard resizes with the paned itself. */
  else if (is_type_named (widget, "GtkPanedHandle"))
    hide_from_at (widget);
}

static void
name_internal_parts_below (GtkWidget *widget)
{
  name_internal_parts (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    name_internal_parts_below (child);
}

/* Each widget as it is realized. A child that its parent keeps out of
 * sight (a stack's other pages, a list's placeholder while there are
 * rows) is realized only once shown, but AT-SPI shows it already: its
 * whole tree goes with its parent. */
static gboolean
name_internal_parts_hook (GSignalInvocationHint *hint,
                          guint                  n_params,
                          const GValue          *params,
                          gpointer               data)
{
  GtkWidget *widget = g_value_get_object (&params[0]);

  name_internal_parts (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (!gtk_widget_get_child_visible (child))
      name_internal_parts_below (child);

  return TRUE;
}

/**
 * enr_gui_init:
 *
 * Registers the client's resources and the types its templates name.
 * Call once after gtk_init(); later calls do nothing.
 */
void
enr_gui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      enr_gui_register_resource ();

      g_type_ensure (ENR_TYPE_APPOINTMENT_PICKER);
      g_type_ensure (ENR_TYPE_ASSISTANT);
      g_type_ensure (ENR_TYPE_CLAMP);
      g_type_ensure (ENR_TYPE_CUSTOMER_PAGE);
      g_type_ensure (ENR_TYPE_CUSTOMER_ROW);
      g_type_ensure (ENR_TYPE_CUSTOMER_VIEW);
      g_type_ensure (ENR_TYPE_DATE_ENTRY);
      g_type_ensure (ENR_TYPE_DEVICE_SETUP_PAGE);
      g_type_ensure (ENR_TYPE_FIELD_LIST);
      g_type_ensure (ENR_TYPE_FOCUS_GRID);
      g_type_ensure (ENR_TYPE_INTERACTION_EDITOR);
      g_type_ensure (ENR_TYPE_PROGRAM_PAGE);
      g_type_ensure (ENR_TYPE_PROGRAM_ROW);
      g_type_ensure (ENR_TYPE_QUESTION_ROW);
      g_type_ensure (ENR_TYPE_STEP_INDICATOR);
      g_type_ensure (ENR_TYPE_SUMMARY_PAGE);
      g_type_ensure (ENR_TYPE_WINDOW);

      /* The class creates its signals; it is kept for the process. */
      g_type_class_ref (GTK_TYPE_WIDGET);
      g_signal_add_emission_hook (g_signal_lookup ("realize", GTK_TYPE_WIDGET), 0,
                                  name_internal_parts_hook, NULL, NULL);

      g_once_init_leave (&initialized, 1);
    }
}

/**
 * enr_gui_load_style:
 *
 * Adds the client's style sheet to the default display, once.
 */
void
enr_gui_load_style (void)
{
  static GtkCssProvider *provider;
  GdkDisplay *display = gdk_display_get_default ();

  if (provider != NULL || display == NULL)
    return;

  enr_gui_init ();

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/enrollmentdesk/EnrollmentDesk/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

void
enr_widget_set_accessible_label (GtkWidget  *widget,
                                 const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/**
 * enr_value_label_set:
 * @field: the field's visible name, e.g. "Phone"
 * @value: (nullable): what the field holds; %NULL shows a dash
 *
 * A read-only field shown as a label: assistive technology gets the
 * field's name as the accessible name and the value as its description.
 */
void
enr_value_label_set (GtkLabel   *label,
                     const char *field,
                     const char *value)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_text (label, enr_or_dash (value));
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, field,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, enr_or_dash (value),
                                  -1);
}

/**
 * enr_button_set_accessible_name:
 * @button: a button with a mnemonic label ("_Next")
 *
 * GTK 4.8 names such a button after both its raw label and its label
 * child ("_Next Next"); this makes the name the visible text, "Next".
 */
void
enr_button_set_accessible_name (GtkWidget *button)
{
  g_autoptr(GString) plain = NULL;
  const char *label;

  g_return_if_fail (GTK_IS_BUTTON (button));

  label = gtk_button_get_label (GTK_BUTTON (button));
  if (label == NULL)
    return;

  plain = g_string_new (label);
  if (gtk_button_get_use_underline (GTK_BUTTON (button)))
    g_string_replace (plain, "_", "", 0);

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  enr_widget_set_accessible_label (button, plain->str);
}

/* The error look and the accessible invalid state, together. */
void
enr_widget_set_invalid (GtkWidget *widget,
                        gboolean   invalid)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (invalid)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_FALSE,
                                   -1);
    }
}

/**
 * enr_widget_find_first_button:
 *
 * Returns: (transfer none) (nullable): the first visible button under
 *   @widget, depth first
 */
GtkWidget *
enr_widget_find_first_button (GtkWidget *widget)
{
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_BUTTON (child))
        return child;
      if ((found = enr_widget_find_first_button (child)) != NULL)
        return found;
    }

  return NULL;
}

/* For dispose() of a widget whose template children are not all bound. */
void
enr_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

void
enr_widget_remove_children (GtkWidget *widget)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_BOX (widget) || GTK_IS_FLOW_BOX (widget) || GTK_IS_GRID (widget));

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    {
      if (GTK_IS_BOX (widget))
        gtk_box_remove (GTK_BOX (widget), child);
      else if (GTK_IS_GRID (widget))
        gtk_grid_remove (GTK_GRID (widget), child);
      else
        gtk_flow_box_remove (GTK_FLOW_BOX (widget), child);
    }
}

/* Every row goes; the placeholder (a child of the list box too) stays, so
 * that an empty list says why it is empty. */
void
enr_list_box_remove_all (GtkListBox *list_box)
{
  GtkWidget *child;
  GtkWidget *next;

  g_return_if_fail (GTK_IS_LIST_BOX (list_box));

  for (child = gtk_widget_get_first_child (GTK_WIDGET (list_box)); child != NULL; child = next)
    {
      next = gtk_widget_get_next_sibling (child);
      if (GTK_IS_LIST_BOX_ROW (child))
        gtk_list_box_remove (list_box, child);
    }
}

/* One Tab stop for a list
 *
 * In GTK 4.8 Tab goes through a GtkListView or GtkColumnView item by
 * item (GtkListView's tab-behavior only came in 4.12): a supervisor
 * with a thousand process flows would press Tab a thousand times to
 * get past the list. Tab and Shift+Tab on an item leave the list
 * instead, for the control after (before) it, as in GTK 4.12 and as
 * GNOME's file and contact lists do; Tab into the list lands on the
 * item last focused, and the arrow keys move inside. */

static gboolean
on_one_stop_key_pressed_cb (GtkEventControllerKey *controller,
                            guint                  keyval,
                            guint                  keycode,
                            GdkModifierType        state,
                            GtkWidget             *list)
{
  GtkDirectionType direction;
  GtkRoot *root = gtk_widget_get_root (list);
  GtkWidget *focus;

  if ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab) && (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0)
    direction = GTK_DIR_TAB_FORWARD;
  else if (keyval == GDK_KEY_ISO_Left_Tab ||
           ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab) && (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0))
    direction = GTK_DIR_TAB_BACKWARD;
  else
    return GDK_EVENT_PROPAGATE;

  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus == NULL || !gtk_widget_is_ancestor (focus, list))
    return GDK_EVENT_PROPAGATE;

  /* GTK moves the focus past a widget that cannot take it. */
  gtk_widget_set_can_focus (list, FALSE);
  g_signal_emit_by_name (root, "move-focus", direction);
  gtk_widget_set_can_focus (list, TRUE);
  return GDK_EVENT_STOP;
}

/**
 * enr_list_set_one_tab_stop:
 * @list: a #GtkListView or #GtkColumnView
 *
 * Makes @list one Tab stop: Tab and Shift+Tab on one of its items leave
 * it; the arrow keys still go from item to item.
 */
void
enr_list_set_one_tab_stop (GtkWidget *list)
{
  GtkEventController *controller;

  g_return_if_fail (GTK_IS_WIDGET (list));

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_one_stop_key_pressed_cb), list, 0);
  gtk_widget_add_controller (list, controller);
}

/* Drop-downs
 *
 * The codes behind a drop-down's items are kept in its model, an
 * EnrChoiceList, with whether its first item stands for no choice (the
 * placeholder). A drop-down with a placeholder always has an item selected: in GTK 4.8
 * the popup of a drop-down with nothing selected ignores Return on the
 * highlighted item, so the first choice could not be taken with the
 * keyboard. Every drop-down filled here takes type-ahead: letters typed
 * on it select the next item that starts with them. */

#define TYPE_AHEAD_RESET_US (G_USEC_PER_SEC)
#define TYPE_AHEAD_NAME     "enr-type-ahead"

typedef struct
{
  GString *typed;
  gint64   last_key;
} TypeAhead;

static void
type_ahead_free (gpointer  data,
                 GClosure *closure)
{
  TypeAhead *type_ahead = data;

  g_string_free (type_ahead->typed, TRUE);
  g_free (type_ahead);
}

/* The drop-down's items and their codes, when enr_drop_down_set_choices()
 * filled it. */
static EnrChoiceList *
get_choices (GtkDropDown *drop_down)
{
  GListModel *model = gtk_drop_down_get_model (drop_down);

  return ENR_IS_CHOICE_LIST (model) ? ENR_CHOICE_LIST (model) : NULL;
}

static gboolean
has_placeholder (GtkDropDown *drop_down)
{
  EnrChoiceList *choices = get_choices (drop_down);

  return choices != NULL && enr_choice_list_has_placeholder (choices);
}

static char *
fold (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized != NULL ? normalized : text, -1);
}

/* The first item from @start on (wrapping) whose label starts with
 * @prefix, the placeholder left out. */
static guint
find_item (GtkDropDown *drop_down,
           const char  *prefix,
           guint        start)
{
  GListModel *model = gtk_drop_down_get_model (drop_down);
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;
  guint first = has_placeholder (drop_down) ? 1 : 0;
  g_autofree char *folded = fold (prefix);

  for (guint i = 0; i < n; i++)
    {
      guint position = (start + i) % n;
      g_autoptr(GObject) item = NULL;
      g_autofree char *label = NULL;

      if (position < first)
        continue;

      item = g_list_model_get_item (model, position);
      if (!GTK_IS_STRING_OBJECT (item))
        continue;

      label = fold (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
      if (g_str_has_prefix (label, folded))
        return position;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* What was typed is the key controller's: its handler's data. */
static gboolean
on_type_ahead_key_pressed_cb (GtkEventControllerKey *controller,
                              guint                  keyval,
                              guint                  keycode,
                              GdkModifierType        state,
                              TypeAhead             *type_ahead)
{
  GtkDropDown *drop_down = GTK_DROP_DOWN (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
  gunichar character = gdk_keyval_to_unicode (keyval);
  guint selected = gtk_drop_down_get_selected (drop_down);
  gint64 now = g_get_monotonic_time ();
  guint position;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0 ||
      character == 0 || !g_unichar_isgraph (character))
    return GDK_EVENT_PROPAGATE;

  if (now - type_ahead->last_key > TYPE_AHEAD_RESET_US)
    g_string_truncate (type_ahead->typed, 0);
  type_ahead->last_key = now;
  g_string_append_unichar (type_ahead->typed, character);

  /* One letter again and again goes from item to item starting with it;
   * more letters narrow the match from the current item on. */
  if (g_utf8_strlen (type_ahead->typed->str, -1) == 1)
    position = find_item (drop_down, type_ahead->typed->str,
                          selected == GTK_INVALID_LIST_POSITION ? 0 : selected + 1);
  else
    position = find_item (drop_down, type_ahead->typed->str,
                          selected == GTK_INVALID_LIST_POSITION ? 0 : selected);

  if (position == GTK_INVALID_LIST_POSITION)
    {
      char first[8] = { 0 };

      g_unichar_to_utf8 (character, first);
      g_string_assign (type_ahead->typed, first);
      position = find_item (drop_down, first, selected == GTK_INVALID_LIST_POSITION ? 0 : selected + 1);
    }

  if (position != GTK_INVALID_LIST_POSITION && position != selected)
    gtk_drop_down_set_selected (drop_down, position);

  return GDK_EVENT_STOP;
}

static gboolean
has_type_ahead (GtkDropDown *drop_down)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (drop_down));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), TYPE_AHEAD_NAME) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
ensure_type_ahead (GtkDropDown *drop_down)
{
  GtkEventController *controller;
  TypeAhead *type_ahead;

  if (has_type_ahead (drop_down))
    return;

  type_ahead = g_new0 (TypeAhead, 1);
  type_ahead->typed = g_string_new (NULL);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (controller, TYPE_AHEAD_NAME);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_data (controller, "key-pressed", G_CALLBACK (on_type_ahead_key_pressed_cb), type_ahead,
                         type_ahead_free, 0);
  gtk_widget_add_controller (GTK_WIDGET (drop_down), controller);
}

/**
 * enr_drop_down_set_choices:
 * @placeholder: (nullable): the label of a first item that stands for no
 *   choice (enr_drop_down_placeholder() for the usual one); %NULL for none
 * @ids: the codes behind the items
 * @labels: what the items show, as many as @ids
 * @selected_id: (nullable): the item to select; %NULL or unknown selects
 *   the placeholder, or nothing without one
 *
 * Fills a drop-down from parallel lists of codes and labels, with
 * type-ahead.
 */
void
enr_drop_down_set_choices (GtkDropDown        *drop_down,
                           const char         *placeholder,
                           const char * const *ids,
                           const char * const *labels,
                           const char         *selected_id)
{
  g_autoptr(EnrChoiceList) model = NULL;

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));
  g_return_if_fail (ids != NULL && labels != NULL);
  g_return_if_fail (g_strv_length ((char **) ids) == g_strv_length ((char **) labels));

  model = enr_choice_list_new (placeholder, ids, labels);
  gtk_drop_down_set_model (drop_down, G_LIST_MODEL (model));
  enr_drop_down_select_id (drop_down, selected_id);
  ensure_type_ahead (drop_down);
}

/**
 * enr_drop_down_set_items:
 * @ids: the codes behind the items
 * @labels: what the items show, as many as @ids
 * @selected_id: (nullable): the item to select; %NULL or unknown selects none
 *
 * Fills a drop-down without a placeholder: enr_drop_down_set_choices().
 */
void
enr_drop_down_set_items (GtkDropDown        *drop_down,
                         const char * const *ids,
                         const char * const *labels,
                         const char         *selected_id)
{
  enr_drop_down_set_choices (drop_down, NULL, ids, labels, selected_id);
}

/* What a drop-down shows when nothing is chosen, the same everywhere. */
const char *
enr_drop_down_placeholder (void)
{
  return C_("drop-down", "Not chosen");
}

/**
 * enr_drop_down_get_selected_id:
 *
 * Returns: (nullable): the code of the selected item; %NULL for the
 *   placeholder
 */
const char *
enr_drop_down_get_selected_id (GtkDropDown *drop_down)
{
  EnrChoiceList *choices;

  g_return_val_if_fail (GTK_IS_DROP_DOWN (drop_down), NULL);

  choices = get_choices (drop_down);
  if (choices == NULL)
    return NULL;

  return enr_choice_list_get_id (choices, gtk_drop_down_get_selected (drop_down));
}

/**
 * enr_drop_down_select_id:
 * @id: (nullable): the code to select; %NULL or unknown selects the
 *   placeholder, or nothing without one
 */
void
enr_drop_down_select_id (GtkDropDown *drop_down,
                         const char  *id)
{
  EnrChoiceList *choices;
  guint position;

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));

  choices = get_choices (drop_down);
  position = choices != NULL ? enr_choice_list_find (choices, id) : GTK_INVALID_LIST_POSITION;

  if (gtk_drop_down_get_selected (drop_down) != position)
    gtk_drop_down_set_selected (drop_down, position);
}

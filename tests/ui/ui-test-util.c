/* ui-test-util.c — helpers shared by the UI tests: bounded waits,
 * finding and working widgets by their accessible names, screenshots,
 * and running the application against a real service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "enr-appointment-picker.h"
#include "enr-dataset-import.h"
#include "enr-gui-utils.h"
#include "enr-window-model.h"
#include "enr-sign-in-dialog.h"
#include "ui-test-util.h"

gint64 ui_test_timeout_us = 5 * G_USEC_PER_SEC;

gboolean
wait_until_impl (gboolean  (*condition) (gpointer),
                 gpointer    data,
                 const char *what,
                 gint64      timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_test_message ("timed out waiting for %s", what);
          return FALSE;
        }

      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }

  return TRUE;
}

void
settle (void)
{
  gint64 end = g_get_monotonic_time () + 150 * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static gboolean
on_pending_work_done_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
wait_for_pending_work (void)
{
  gboolean done = FALSE;

  /* The main loop dispatches every ready source of a higher priority
   * (idle callbacks at G_PRIORITY_DEFAULT_IDLE, layout and drawing)
   * before this one. */
  g_idle_add_full (G_PRIORITY_LOW, on_pending_work_done_cb, &done, NULL);
  wait_until (is_true, &done);
}

gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

gboolean
is_unmapped (gpointer widget)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (widget));
}

gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

gboolean
label_text_contains (GtkWidget     *widget,
                     gconstpointer  data)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_INSCRIPTION (widget))
    text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));

  return text != NULL && strstr (text, data) != NULL;
}

gboolean
shows_text (gpointer    root,
            const char *text)
{
  return find_widget (GTK_WIDGET (root), label_text_contains, text) != NULL;
}

gboolean
text_shown (gpointer data)
{
  TextWait *wait = data;

  return shows_text (wait->root, wait->text);
}

gboolean
text_gone (gpointer data)
{
  TextWait *wait = data;

  return !shows_text (wait->root, wait->text);
}

gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

gboolean
toplevel_shown (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

gboolean
toplevel_gone (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) == NULL;
}

gpointer
wait_for_toplevel (GType type)
{
  wait_until (toplevel_shown, GSIZE_TO_POINTER (type));
  return find_toplevel (type);
}

GtkWindow *
find_message_dialog (const char *css_class)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)) &&
          (css_class == NULL || gtk_widget_has_css_class (GTK_WIDGET (window), css_class)))
        return window;
    }

  return NULL;
}

gboolean
message_dialog_open (gpointer css_class)
{
  return find_message_dialog (css_class) != NULL;
}

/* The first widget under @root (itself included) that @matcher takes:
 * among mapped widgets, or with @hidden among visible ones, mapped or not
 * (a panel the assistant does not show). */
static GtkWidget *
find_widget_among (GtkWidget     *root,
                   Matcher        matcher,
                   gconstpointer  data,
                   gboolean       hidden)
{
  if (hidden ? !gtk_widget_get_visible (root) : !gtk_widget_get_mapped (root))
    return NULL;

  if (matcher (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_among (child, matcher, data, hidden);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
find_widget (GtkWidget     *root,
             Matcher        matcher,
             gconstpointer  data)
{
  return find_widget_among (root, matcher, data, FALSE);
}

GtkWidget *
find_hidden_widget (GtkWidget     *root,
                    Matcher        matcher,
                    gconstpointer  data)
{
  return find_widget_among (root, matcher, data, TRUE);
}

GtkWidget *
find_by_label (gpointer    root,
               const char *label)
{
  GtkWidget *found = find_widget (GTK_WIDGET (root), match_label, label);

  if (found == NULL)
    g_error ("No mapped widget labelled “%s” under %s", label, G_OBJECT_TYPE_NAME (root));

  return found;
}

GtkWidget *
find_button (gpointer    root,
             const char *label)
{
  GtkWidget *found = find_widget (GTK_WIDGET (root), match_button, label);

  if (found == NULL)
    g_error ("No mapped button “%s” under %s", label, G_OBJECT_TYPE_NAME (root));

  return found;
}

gboolean
match_label (GtkWidget     *widget,
             gconstpointer  data)
{
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), data))
    return FALSE;

  return has_accessible_label (widget, data);
}

gboolean
match_button (GtkWidget     *widget,
              gconstpointer  data)
{
  const char *text;
  g_autoptr(GString) plain = NULL;

  if (!GTK_IS_BUTTON (widget) || (text = gtk_button_get_label (GTK_BUTTON (widget))) == NULL)
    return FALSE;

  plain = g_string_new (text);
  if (gtk_button_get_use_underline (GTK_BUTTON (widget)))
    g_string_replace (plain, "_", "", 0);

  return g_str_equal (plain->str, data);
}

gboolean
has_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  g_autofree char *mismatch = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;

  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  return mismatch == NULL;
}

void
on_clicked_cb (GtkButton *button,
               gboolean  *clicked)
{
  *clicked = TRUE;
}

void
press (GtkWidget *button)
{
  gboolean clicked = FALSE;
  gulong handler;

  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));

  g_object_ref (button);
  handler = g_signal_connect (button, "clicked", G_CALLBACK (on_clicked_cb), &clicked);
  g_assert_true (gtk_widget_activate (button));
  wait_until (is_true, &clicked);
  g_signal_handler_disconnect (button, handler);
  g_object_unref (button);
}

void
type_text (GtkWidget  *editable,
           const char *text)
{
  g_assert_true (GTK_IS_EDITABLE (editable));
  gtk_widget_grab_focus (editable);
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

void
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }

  g_assert_true (handled);
}

/* Selects the first item of @drop_down that is @text (or, with @prefix,
 * starts with it). */
static void
select_matching (GtkWidget  *drop_down,
                 const char *text,
                 gboolean    prefix)
{
  GListModel *model;

  if (!GTK_IS_DROP_DOWN (drop_down))
    g_error ("Expected a drop-down, found a %s", G_OBJECT_TYPE_NAME (drop_down));

  model = gtk_drop_down_get_model (GTK_DROP_DOWN (drop_down));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) string = g_list_model_get_item (model, i);
      const char *item = gtk_string_object_get_string (string);

      if (prefix ? g_str_has_prefix (item, text) : g_str_equal (item, text))
        {
          gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), i);
          return;
        }
    }

  g_error ("No item %s“%s” in the drop-down", prefix ? "starting with " : "", text);
}

void
select_item (GtkWidget  *drop_down,
             const char *item)
{
  select_matching (drop_down, item, FALSE);
}

void
select_item_starting (GtkWidget  *drop_down,
                      const char *prefix)
{
  select_matching (drop_down, prefix, TRUE);
}

gboolean
is_invalid (GtkWidget *widget)
{
  g_autofree char *mismatch = NULL;

  mismatch = gtk_test_accessible_check_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID,
                                              GTK_ACCESSIBLE_INVALID_TRUE);
  return mismatch == NULL && gtk_widget_has_css_class (widget, "error");
}

gboolean
picker_has_slots (gpointer picker)
{
  return enr_appointment_picker_get_n_slots (picker) > 0;
}

void
pick_first_slot (GtkWidget  *picker,
                 const char *shift_type,
                 const char *crew)
{
  GtkListBoxRow *row;

  select_item_starting (find_by_label (picker, "Crew Shift Type"), shift_type);
  select_item (find_by_label (picker, "Crew"), crew);
  wait_until (picker_has_slots, picker);
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (find_by_label (picker, "Available Appointments")), 0);
  g_assert_nonnull (row);
  gtk_widget_activate (GTK_WIDGET (row));
  settle ();
}

typedef struct
{
  EnrMonitor *monitor;
  const char *task_id;
} SelectedWait;

static gboolean
task_is_selected (gpointer data)
{
  SelectedWait *wait = data;

  return g_strcmp0 (enr_monitor_get_selected_task_id (wait->monitor), wait->task_id) == 0;
}

/* Clicks the task's row, scrolled into sight with the scroll bar if the
 * list does not show it (the list has rows for the tasks in sight). */
void
select_row (EnrMonitor *monitor,
            const char *task_id)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (enr_monitor_get_column_view (monitor));
  GtkSelectionModel *selection = gtk_column_view_get_model (view);
  guint position = enr_task_list_model_get_position (enr_monitor_get_model (monitor), task_id);

  g_assert_cmpuint (position, !=, G_MAXUINT);
  {
    g_autoptr(EnrWindowRow) first = g_list_model_get_item (G_LIST_MODEL (selection), 0);
    guint n = g_list_model_get_n_items (G_LIST_MODEL (selection));

    if (first == NULL || position < enr_window_row_get_position (first) ||
        position >= enr_window_row_get_position (first) + n)
      gtk_adjustment_set_value (enr_monitor_get_vadjustment (monitor), position);
  }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (selection)); i++)
    {
      g_autoptr(EnrWindowRow) row = g_list_model_get_item (G_LIST_MODEL (selection), i);
      EnrServiceTask *task = enr_window_row_get_item (row);

      if (g_str_equal (enr_entity_get_id (ENR_ENTITY (task)), task_id))
        {
          SelectedWait wait = { monitor, task_id };

          g_assert_true (gtk_selection_model_select_item (selection, i, TRUE));
          wait_until (task_is_selected, &wait);
          return;
        }
    }

  g_error ("Task %s is not listed", task_id);
}

/* The keyboard */

static gboolean
trigger_matches (GtkShortcutTrigger *trigger,
                 guint               keyval,
                 GdkModifierType     modifiers)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    return gdk_keyval_to_lower (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger))) == gdk_keyval_to_lower (keyval) &&
           gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == (modifiers & gtk_accelerator_get_default_mod_mask ());

  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, modifiers) ||
           trigger_matches (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, modifiers);

  return FALSE;
}

static gboolean
run_shortcuts (GtkShortcutController *controller,
               GtkWidget             *widget,
               guint                  keyval,
               GdkModifierType        modifiers)
{
  GListModel *shortcuts = G_LIST_MODEL (controller);

  if (gtk_shortcut_controller_get_scope (controller) != GTK_SHORTCUT_SCOPE_LOCAL)
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (shortcuts); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, i);

      if (trigger_matches (gtk_shortcut_get_trigger (shortcut), keyval, modifiers) &&
          gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                        widget, gtk_shortcut_get_arguments (shortcut)))
        return TRUE;
    }

  return FALSE;
}

/* The controllers of @widget in @phase (TARGET ones with the focus widget). */
static gboolean
run_controllers (GtkWidget        *widget,
                 GtkPropagationPhase phase,
                 gboolean          is_target,
                 guint             keyval,
                 GdkModifierType   modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  if (!gtk_widget_is_sensitive (widget))
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      GtkPropagationPhase controller_phase = gtk_event_controller_get_propagation_phase (controller);

      if (controller_phase != phase && !(is_target && controller_phase == GTK_PHASE_TARGET && phase == GTK_PHASE_BUBBLE))
        continue;

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, modifiers, &handled);
      else if (GTK_IS_SHORTCUT_CONTROLLER (controller))
        handled = run_shortcuts (GTK_SHORTCUT_CONTROLLER (controller), widget, keyval, modifiers);
    }

  return handled;
}

gboolean
send_key (GtkWindow       *window,
          guint            keyval,
          GdkModifierType  modifiers)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *target = gtk_root_get_focus (GTK_ROOT (window));

  if (target == NULL)
    target = GTK_WIDGET (window);

  for (GtkWidget *widget = target; widget != NULL; widget = gtk_widget_get_parent (widget))
    g_ptr_array_add (chain, g_object_ref (widget));

  for (guint i = chain->len; i > 0; i--)
    if (run_controllers (g_ptr_array_index (chain, i - 1), GTK_PHASE_CAPTURE, FALSE, keyval, modifiers))
      return TRUE;

  for (guint i = 0; i < chain->len; i++)
    if (run_controllers (g_ptr_array_index (chain, i), GTK_PHASE_BUBBLE, i == 0, keyval, modifiers))
      return TRUE;

  return FALSE;
}

GtkWidget *
focus_of (gpointer window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

gboolean
is_interactive (GtkWidget *widget)
{
  return widget != NULL && gtk_widget_get_focusable (widget) && !GTK_IS_LABEL (widget) && !GTK_IS_WINDOW (widget) &&
         (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_TEXT (widget) ||
          GTK_IS_TEXT_VIEW (widget) || GTK_IS_LIST_BOX_ROW (widget) || GTK_IS_SWITCH (widget) ||
          GTK_IS_CALENDAR (widget) || GTK_IS_SCALE (widget) ||
          g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkListItemWidget") ||
          g_str_equal (G_OBJECT_TYPE_NAME (widget), "GtkColumnViewRowWidget") ||
          /* A list view with no item focused yet (its rows were not made
           * when it took the focus): the arrows move to its rows. */
          GTK_IS_LIST_VIEW (widget) ||
          GTK_IS_DRAWING_AREA (widget));
}

void
keyboard_init (Keyboard  *keyboard,
               GtkWindow *window)
{
  keyboard->window = window;
  keyboard->actions = 0;
  keyboard->keys = 0;
  keyboard->fields = 0;
  keyboard->log = g_string_new (NULL);
}

void
keyboard_clear (Keyboard *keyboard)
{
  g_string_free (keyboard->log, TRUE);
  keyboard->log = NULL;
}

void
keyboard_set_window (Keyboard  *keyboard,
                     GtkWindow *window)
{
  keyboard->window = window;
}

/* What is wrong with the focus of the active window, or NULL. */
static char *
focus_problem (Keyboard *keyboard)
{
  GtkWidget *focus = focus_of (keyboard->window);

  if (focus == NULL)
    return g_strdup_printf ("the focus is lost (none in the %s)", G_OBJECT_TYPE_NAME (keyboard->window));
  if (!gtk_widget_get_mapped (focus) || !gtk_widget_is_ancestor (focus, GTK_WIDGET (keyboard->window)))
    return g_strdup_printf ("the focus is on a %s that is not shown", G_OBJECT_TYPE_NAME (focus));
  if (!is_interactive (focus))
    return g_strdup_printf ("the focus is on a %s, not on a control", G_OBJECT_TYPE_NAME (focus));
  return NULL;
}

void
keyboard_assert_focus (Keyboard *keyboard)
{
  g_autofree char *problem = focus_problem (keyboard);

  if (problem != NULL)
    g_error ("After “%s”: %s", keyboard->log->str, problem);
  g_assert_cmpuint (keyboard->actions, ==, keyboard->keys + keyboard->fields);
}

static gboolean
focus_is_fine (gpointer data)
{
  g_autofree char *problem = focus_problem (data);

  return problem == NULL;
}

/* The window keys go to after one closed: the window it was over, else
 * the one shown. */
static GtkWindow *
next_active_window (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  if (parent != NULL && gtk_widget_get_mapped (GTK_WIDGET (parent)))
    return parent;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

/* The window a key goes to, watched: the key may close it (Finish). */
typedef struct
{
  GtkWindow *window;
  GtkWindow *parent;
} KeyTarget;

static void
key_target_watch (KeyTarget *target,
                  Keyboard  *keyboard)
{
  target->window = keyboard->window;
  target->parent = gtk_window_get_transient_for (keyboard->window);
  g_object_add_weak_pointer (G_OBJECT (target->window), (gpointer *) &target->window);
  if (target->parent != NULL)
    g_object_add_weak_pointer (G_OBJECT (target->parent), (gpointer *) &target->parent);
}

/* After each key and typed field: once the main loop has handled it
 * (bounded: a panel that changes moves the focus when shown), the focus
 * is in the active window on a control. A key that closed its window
 * (Finish) hands the keyboard to the window it was over. */
static void
keyboard_check (Keyboard  *keyboard,
                KeyTarget *target)
{
  wait_for_pending_work ();
  if (target->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (target->window), (gpointer *) &target->window);
  if (target->parent != NULL)
    g_object_remove_weak_pointer (G_OBJECT (target->parent), (gpointer *) &target->parent);
  if (target->window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (target->window)))
    {
      keyboard->window = next_active_window (target->parent);
      if (keyboard->window == NULL)
        g_error ("After “%s”: no window is left for the keyboard", keyboard->log->str);
    }

  wait_until_impl (focus_is_fine, keyboard, "focus_is_fine", ui_test_timeout_us);
  keyboard_assert_focus (keyboard);
}

void
keyboard_press (Keyboard        *keyboard,
                guint            keyval,
                GdkModifierType  modifiers)
{
  g_autofree char *name = gtk_accelerator_get_label (keyval, modifiers);
  g_autofree char *focus = g_strdup (focus_of (keyboard->window) ? G_OBJECT_TYPE_NAME (focus_of (keyboard->window))
                                                                 : "nothing");
  KeyTarget target;

  g_string_append_printf (keyboard->log, "%s%s", keyboard->log->len ? ", " : "", name);
  keyboard->actions++;
  keyboard->keys++;
  key_target_watch (&target, keyboard);
  if (!send_key (keyboard->window, keyval, modifiers))
    g_error ("After “%s”: nothing handled the key (focus on a %s)", keyboard->log->str, focus);
  keyboard_check (keyboard, &target);
}

void
keyboard_type (Keyboard   *keyboard,
               const char *text)
{
  GtkWidget *focus = focus_of (keyboard->window);
  KeyTarget target;

  g_string_append_printf (keyboard->log, "%s“%s”", keyboard->log->len ? ", " : "", text);
  keyboard->actions++;
  keyboard->fields++;

  if (GTK_IS_TEXT_VIEW (focus))
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (focus)), text, -1);
      key_target_watch (&target, keyboard);
      keyboard_check (keyboard, &target);
      return;
    }

  if (!GTK_IS_EDITABLE (focus))
    g_error ("After “%s”: the focus is on a %s, not on a text field", keyboard->log->str,
             focus ? G_OBJECT_TYPE_NAME (focus) : "nothing");

  gtk_editable_set_text (GTK_EDITABLE (focus), text);
  gtk_editable_set_position (GTK_EDITABLE (focus), -1);
  key_target_watch (&target, keyboard);
  keyboard_check (keyboard, &target);
  /* Typing a field leaves the focus in it. */
  if (focus_of (keyboard->window) != focus)
    g_error ("After “%s”: typing moved the focus from the field to a %s", keyboard->log->str,
             G_OBJECT_TYPE_NAME (focus_of (keyboard->window)));
}

/* Screenshots */

static void
on_after_paint_cb (GdkFrameClock *clock,
                   guint         *n_paints)
{
  (*n_paints)++;
}

static gboolean
painted_twice (gpointer data)
{
  return *(guint *) data >= 2;
}

static gboolean
no_transition_running (gpointer root)
{
  GtkWidget *widget = root;

  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (!no_transition_running (child))
      return FALSE;

  return TRUE;
}

/* Lets layout and painting catch up before a screenshot. Without a
 * window manager (xvfb-run), GDK may wait for a ConfigureNotify the X
 * server never sends after the window's size request changed; a real
 * one-pixel resize unfreezes it. */
static gboolean
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint n_paints = 0;
  gboolean painted = TRUE;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &n_paints);
  gtk_widget_queue_draw (widget);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  /* Under AddressSanitizer on a loaded machine one nudge is not always
   * enough: nudge again, bounded by the tests' timeout. The screenshot
   * is a record for people, not an assertion, so a frame clock that
   * stays frozen only leaves a note and the picture of the current
   * layout. */
  if (wait_until_impl (painted_twice, &n_paints, "painted_twice", G_USEC_PER_SEC / 2))
    ;
  else if (GTK_IS_POPOVER (widget))
    {
      /* A popover has a surface and a frame clock of its own, and no
       * window manager to wait for: on a loaded machine its next
       * layout and paint just come late. Until they come, a child
       * whose size changed has no current allocation to draw. */
      gtk_popover_present (GTK_POPOVER (widget));
      painted = wait_until_impl (painted_twice, &n_paints, "painted_twice", ui_test_timeout_us);
    }
  else if (GTK_IS_WINDOW (widget))
    {
      static int nudge = 1;
      gint64 deadline = g_get_monotonic_time () + ui_test_timeout_us;
      painted = FALSE;

      while (!painted && g_get_monotonic_time () < deadline)
        {
          int width, height;

          gtk_window_get_default_size (GTK_WINDOW (widget), &width, &height);
          gtk_window_set_default_size (GTK_WINDOW (widget), width + nudge, height);
          nudge = -nudge;
          gtk_widget_queue_draw (widget);
          painted = wait_until_impl (painted_twice, &n_paints, "painted_twice", G_USEC_PER_SEC);
        }
      if (!painted)
        g_test_message ("the window was not painted again; the screenshot shows its current layout");
      painted = TRUE;
    }
  g_signal_handler_disconnect (clock, handler);
  return painted;
}

void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  GdkRGBA background;
  gboolean painted;
  int width, height;

  settle ();
  wait_for_paint (widget);
  wait_until (no_transition_running, widget);
  painted = wait_for_paint (widget);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  /* What the widget draws now, as GTK's paint does it, on the theme's
   * window background. */
  snapshot = gtk_snapshot_new ();
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "theme_bg_color", &background))
    gdk_rgba_parse (&background, "#f6f5f4");
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* A popover that was not painted again may still have children
   * without an allocation: GTK then warns "Trying to snapshot … without
   * a current allocation" and leaves them out. The picture is a record
   * for people, not an assertion, so only while drawing it are GTK's
   * warnings not fatal (its structured log ignores
   * g_test_log_set_fatal_handler()); criticals still are. */
  if (!painted)
    {
      GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

      GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
      g_log_set_always_fatal (fatal);
    }
  else
    GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  directory = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                "screenshots", NULL);
  g_mkdir_with_parents (directory, 0755);
  path = g_strdup_printf ("%s/%s.png", directory, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  if (g_strcmp0 (g_getenv ("ENR_UI_LINGER"), name) == 0)
    {
      gint64 end = g_get_monotonic_time () + 40 * G_USEC_PER_SEC;

      while (g_get_monotonic_time () < end)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (5000);
    }
}

/* Fixtures */

void
destroy_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }

  /* GTK 4.8 does not detach its pending tooltip from a popover that goes
   * away (later GTKs call gtk_tooltip_unset_surface() when a popover is
   * unmapped): a hover timeout that fires after the popover's window was
   * destroyed asks the popover's missing surface for the pointer position,
   * a critical.  Dropping the display's current tooltip, as GTK does itself
   * when its browse mode expires, cancels that timeout. */
  g_object_set_data (G_OBJECT (gdk_display_get_default ()), "gdk-display-current-tooltip", NULL);
  settle ();
}

/* The application against a real service */

GSettings *
online_settings (const char *service_url,
                 const char *store_path)
{
  GSettings *settings = g_settings_new (APP_ID);

  g_settings_set_string (settings, "service-url", service_url);
  g_settings_set_string (settings, "ca-file", "");
  g_settings_set_string (settings, "username", "");
  g_settings_set_string (settings, "last-customer", "");
  g_setenv ("ENR_STORE_PATH", store_path, TRUE);

  return settings;
}

EnrApplication *
new_application (void)
{
  return g_object_new (ENR_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/enrollmentdesk/EnrollmentDesk",
                       NULL);
}

void
release_application (EnrApplication **app)
{
  gpointer weak = *app;

  destroy_toplevels ();
  g_object_add_weak_pointer (G_OBJECT (*app), &weak);
  g_clear_object (app);
  wait_until (is_null, &weak);
}

typedef struct
{
  EnrApplication *app;
  UiSteps         steps;
  gpointer        data;
} Run;

static gboolean
run_steps_cb (gpointer data)
{
  Run *run = data;

  wait_until (toplevel_shown, GSIZE_TO_POINTER (ENR_TYPE_WINDOW));
  run->steps (run->data);
  destroy_toplevels ();
  g_application_quit (G_APPLICATION (run->app));

  return G_SOURCE_REMOVE;
}

static void
on_activate_cb (GApplication *application,
                Run          *run)
{
  g_idle_add (run_steps_cb, run);
}

void
run_app (EnrApplication *app,
         UiSteps         steps,
         gpointer        data)
{
  run_app_with_options (app, NULL, steps, data);
}

void
run_app_with_options (EnrApplication     *app,
                      const char * const *options,
                      UiSteps             steps,
                      gpointer            data)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  Run run = { app, steps, data };
  gulong handler;

  g_ptr_array_add (argv, (char *) g_get_prgname ());
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) options[i]);
  g_ptr_array_add (argv, NULL);

  handler = g_signal_connect_after (app, "activate", G_CALLBACK (on_activate_cb), &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), (int) argv->len - 1, (char **) argv->pdata), ==, 0);
  g_signal_handler_disconnect (app, handler);
}

EnrContext *
app_context (EnrApplication *app)
{
  return enr_application_get_context (app);
}

EnrSyncEngine *
app_engine (EnrApplication *app)
{
  return ENR_SYNC_ENGINE (enr_context_get_sync_engine (app_context (app)));
}

EnrWindow *
main_window (void)
{
  EnrWindow *window = find_toplevel (ENR_TYPE_WINDOW);

  g_assert_nonnull (window);
  return window;
}

gboolean
engine_idle (gpointer app)
{
  EnrSyncEngine *engine = app_engine (app);

  return enr_sync_engine_get_state (engine) == ENR_SYNC_STATE_IDLE &&
         enr_sync_engine_get_last_success (engine) != NULL;
}

gboolean
has_conflict (gpointer app)
{
  EnrSyncEngine *engine = app_engine (app);

  return enr_sync_engine_get_conflict_count (engine) == 1 &&
         enr_sync_engine_get_state (engine) != ENR_SYNC_STATE_SYNCING;
}

void
sign_in (EnrApplication *app,
         const char     *username,
         const char     *password)
{
  EnrSignInDialog *dialog = wait_for_toplevel (ENR_TYPE_SIGN_IN_DIALOG);
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  type_text (find_by_label (dialog, "User Name"), username);
  type_text (find_by_label (dialog, "Password"), password);
  press (find_button (dialog, "Sign In"));
  wait_long (is_null, &weak);
  wait_long (engine_idle, app);
}

/* The assistant */

gboolean
is_on_panel (gpointer data)
{
  PanelWait *wait = data;
  GtkWidget *page = GTK_WIDGET (enr_assistant_get_page (wait->assistant, wait->panel));

  if (enr_assistant_get_current_panel (wait->assistant) != wait->panel || !gtk_widget_get_mapped (page))
    return FALSE;

  /* The panel left is gone too (the stack's transition is over): while
   * it fades out, its controls are still on the Tab chain. */
  for (GtkWidget *other = gtk_widget_get_first_child (gtk_widget_get_parent (page));
       other != NULL;
       other = gtk_widget_get_next_sibling (other))
    if (other != page && gtk_widget_get_mapped (other))
      return FALSE;

  return TRUE;
}

void
press_next_to (EnrAssistant *assistant,
               EnrPanel      expected)
{
  PanelWait wait = { assistant, expected };

  press (find_button (assistant, "Next"));
  wait_until (is_on_panel, &wait);
}

void
online_test_init (int    *argc,
                  char ***argv)
{
  /* The application is registered, never run: without a session bus it
   * has nothing to unregister at the end of each test. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/enr-test-no-bus", TRUE);

  gtk_test_init (argc, argv, NULL);
  enr_gui_init ();
  /* Requests cross a real service, sometimes across its restart. */
  ui_test_timeout_us = 10 * G_USEC_PER_SEC;
}

/* enr-question-row.c — one qualification or informational question
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answer widget follows the question's answer style: yes/no → two
 * toggle buttons (the first letter of a button's label answers it from
 * the keyboard), single choice → a drop-down with type-ahead, multiple
 * choice → check buttons, text → an entry, date → a date entry. Every
 * change is written to the flow's draft.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-date-entry.h"
#include "enr-focus-grid.h"
#include "enr-gui-utils.h"
#include "enr-question-row.h"

struct _EnrQuestionRow
{
  GtkWidget       parent_instance;

  GtkLabel       *question_label;
  GtkBox         *answer_box;
  GtkLabel       *error_label;

  EnrQuestion    *question;
  EnrFlowSession *session;
  GtkWidget      *answer_widget;
  GPtrArray      *choices;
  guint           updating : 1;
};

G_DEFINE_FINAL_TYPE (EnrQuestionRow, enr_question_row, GTK_TYPE_WIDGET)

static const char * const yes_no_values[] = { "yes", "no", NULL };

static const char * const *
valid_values (EnrQuestion *question)
{
  const char * const *valid = enr_question_get_valid_answers (question);

  if ((valid == NULL || valid[0] == NULL) &&
      enr_question_get_answer_style (question) == ENR_ANSWER_STYLE_YES_NO)
    return yes_no_values;

  return valid;
}

static const char *
value_label (const char *value)
{
  if (g_ascii_strcasecmp (value, "yes") == 0)
    return _("Yes");
  if (g_ascii_strcasecmp (value, "no") == 0)
    return _("No");
  return value;
}

static const char * const *
current_values (EnrQuestionRow *self)
{
  EnrAnswer *answer;

  answer = enr_service_task_find_answer (enr_flow_session_get_task (self->session),
                                         enr_entity_get_id (ENR_ENTITY (self->question)));
  return answer ? enr_answer_get_values (answer) : NULL;
}

static void
store_values (EnrQuestionRow     *self,
              const char * const *values,
              gboolean            typing)
{
  if (self->updating)
    return;

  enr_flow_session_set_answer (self->session,
                               enr_entity_get_id (ENR_ENTITY (self->question)),
                               values, typing);

  /* An answer given clears the message about it. */
  if (values != NULL && values[0] != NULL && gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      enr_widget_set_invalid (self->answer_widget, FALSE);
    }
}

static void
store_one (EnrQuestionRow *self,
           const char     *value,
           gboolean        typing)
{
  const char *values[] = { value, NULL };

  if (value == NULL || value[0] == '\0')
    store_values (self, NULL, typing);
  else
    store_values (self, values, typing);
}

/* The answer a button of the choices gives: they follow the question's
 * values, in order. */
static const char *
choice_value (EnrQuestionRow *self,
              gpointer        button)
{
  const char * const *values = valid_values (self->question);
  guint index;

  if (values == NULL || !g_ptr_array_find (self->choices, button, &index))
    return NULL;

  return values[index];
}

static void
on_toggle_toggled_cb (EnrQuestionRow  *self,
                      GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    {
      /* The other button of the group becomes active, or the answer is
       * taken back when the active one is clicked again. */
      for (guint i = 0; i < self->choices->len; i++)
        if (gtk_toggle_button_get_active (g_ptr_array_index (self->choices, i)))
          return;
      store_values (self, NULL, FALSE);
      return;
    }

  store_one (self, choice_value (self, button), FALSE);
}

static void
on_check_toggled_cb (EnrQuestionRow *self,
                     GtkCheckButton *button)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) values = NULL;

  for (guint i = 0; i < self->choices->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->choices, i);

      if (gtk_check_button_get_active (check))
        g_strv_builder_add (builder, choice_value (self, check));
    }

  values = g_strv_builder_end (builder);
  store_values (self, (const char * const *) values, FALSE);
}

static void
on_drop_down_selected_cb (EnrQuestionRow *self,
                          GParamSpec     *pspec,
                          GtkDropDown    *drop_down)
{
  store_one (self, enr_drop_down_get_selected_id (drop_down), FALSE);
}

static void
on_entry_changed_cb (EnrQuestionRow *self,
                     GtkEditable    *editable)
{
  store_one (self, gtk_editable_get_text (editable), TRUE);
}

static void
on_date_changed_cb (EnrQuestionRow *self,
                    EnrDateEntry   *entry)
{
  store_one (self, enr_date_entry_get_text (entry), TRUE);
}

/* A letter typed on the Yes/No buttons: the button whose label starts
 * with it is pressed ("y" Yes, "n" No; "o" Oui in French). */
static gboolean
on_choice_key_pressed_cb (EnrQuestionRow        *self,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          GtkEventControllerKey *controller)
{
  gunichar typed = g_unichar_tolower (gdk_keyval_to_unicode (keyval));

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0 || typed == 0 || !g_unichar_isalnum (typed))
    return GDK_EVENT_PROPAGATE;

  for (guint i = 0; i < self->choices->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->choices, i);
      const char *label = gtk_button_get_label (GTK_BUTTON (button));

      if (label != NULL && g_unichar_tolower (g_utf8_get_char (label)) == typed)
        {
          gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
          gtk_widget_grab_focus (button);
          return GDK_EVENT_STOP;
        }
    }

  return GDK_EVENT_PROPAGATE;
}

static void
build_yes_no (EnrQuestionRow     *self,
              const char * const *values,
              const char * const *answer)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkToggleButton *group = NULL;
  GtkEventController *controller;

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_halign (box, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, enr_question_get_text (self->question),
                                  -1);

  for (guint i = 0; values[i] != NULL; i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (value_label (values[i]));

      gtk_widget_set_size_request (button, 72, -1);
      enr_widget_set_accessible_label (button, value_label (values[i]));
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      if (answer != NULL && answer[0] != NULL && g_str_equal (answer[0], values[i]))
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
      g_signal_connect_object (button, "toggled", G_CALLBACK (on_toggle_toggled_cb), self,
                               G_CONNECT_SWAPPED);
      g_ptr_array_add (self->choices, button);
      gtk_box_append (GTK_BOX (box), button);
    }

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_choice_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (box, controller);

  self->answer_widget = box;
}

static void
build_single_choice (EnrQuestionRow     *self,
                     const char * const *values,
                     const char * const *answer)
{
  GtkWidget *drop_down = gtk_drop_down_new (NULL, NULL);
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) label_strv = NULL;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    g_strv_builder_add (labels, value_label (values[i]));
  label_strv = g_strv_builder_end (labels);

  gtk_widget_set_halign (drop_down, GTK_ALIGN_START);
  gtk_widget_set_size_request (drop_down, 240, -1);
  enr_drop_down_set_choices (GTK_DROP_DOWN (drop_down), enr_drop_down_placeholder (),
                             values ? values : (const char * const *) label_strv,
                             (const char * const *) label_strv,
                             answer ? answer[0] : NULL);
  enr_widget_set_accessible_label (drop_down, enr_question_get_text (self->question));
  g_signal_connect_object (drop_down, "notify::selected", G_CALLBACK (on_drop_down_selected_cb),
                           self, G_CONNECT_SWAPPED);

  self->answer_widget = drop_down;
}

static void
build_multiple_choice (EnrQuestionRow     *self,
                       const char * const *values,
                       const char * const *answer)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, enr_question_get_text (self->question),
                                  -1);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (value_label (values[i]));

      enr_widget_set_accessible_label (check, value_label (values[i]));
      if (answer != NULL && g_strv_contains (answer, values[i]))
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled_cb), self,
                               G_CONNECT_SWAPPED);
      g_ptr_array_add (self->choices, check);
      gtk_box_append (GTK_BOX (box), check);
    }

  self->answer_widget = box;
}

static void
build_text (EnrQuestionRow     *self,
            const char * const *answer)
{
  GtkWidget *entry = gtk_entry_new ();

  if (answer != NULL && answer[0] != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), answer[0]);
  enr_widget_set_accessible_label (entry, enr_question_get_text (self->question));
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_entry_changed_cb), self,
                           G_CONNECT_SWAPPED);

  self->answer_widget = entry;
}

static void
build_date (EnrQuestionRow     *self,
            const char * const *answer)
{
  GtkWidget *date_entry = enr_date_entry_new ();

  gtk_widget_set_halign (date_entry, GTK_ALIGN_START);
  if (answer != NULL && answer[0] != NULL)
    enr_date_entry_set_text (ENR_DATE_ENTRY (date_entry), answer[0]);
  enr_date_entry_set_label (ENR_DATE_ENTRY (date_entry), enr_question_get_text (self->question));
  g_signal_connect_object (date_entry, "changed", G_CALLBACK (on_date_changed_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_box_append (self->answer_box, date_entry);
  self->answer_widget = enr_date_entry_get_entry (ENR_DATE_ENTRY (date_entry));
}

static void
build (EnrQuestionRow *self)
{
  const char * const *values = valid_values (self->question);
  const char * const *answer = current_values (self);
  const char *text = enr_question_get_text (self->question);

  if (enr_question_get_required (self->question))
    {
      g_autofree char *markup = NULL;

      /* Translators: marks a question that must be answered */
      markup = g_markup_printf_escaped ("%s <span alpha=\"55%%\">%s</span>", text, _("(required)"));
      gtk_label_set_markup (self->question_label, markup);
    }
  else
    {
      gtk_label_set_text (self->question_label, text);
    }

  self->updating = TRUE;
  switch (enr_question_get_answer_style (self->question))
    {
    case ENR_ANSWER_STYLE_YES_NO:
      build_yes_no (self, values, answer);
      break;

    case ENR_ANSWER_STYLE_SINGLE_CHOICE:
      build_single_choice (self, values, answer);
      break;

    case ENR_ANSWER_STYLE_MULTIPLE_CHOICE:
      build_multiple_choice (self, values, answer);
      break;

    case ENR_ANSWER_STYLE_DATE:
      build_date (self, answer);
      break;

    case ENR_ANSWER_STYLE_TEXT:
    default:
      build_text (self, answer);
      break;
    }
  self->updating = FALSE;

  if (gtk_widget_get_parent (self->answer_widget) == NULL)
    gtk_box_append (self->answer_box, self->answer_widget);

  if (enr_question_get_required (self->question))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->answer_widget),
                                    GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE,
                                    -1);
}

static void
enr_question_row_dispose (GObject *object)
{
  EnrQuestionRow *self = (EnrQuestionRow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_QUESTION_ROW);
  enr_widget_unparent_children (GTK_WIDGET (object));
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->question);

  G_OBJECT_CLASS (enr_question_row_parent_class)->dispose (object);
}

static gboolean
enr_question_row_grab_focus (GtkWidget *widget)
{
  EnrQuestionRow *self = ENR_QUESTION_ROW (widget);

  if (self->answer_widget == NULL)
    return FALSE;

  if (gtk_widget_grab_focus (self->answer_widget))
    return TRUE;

  return gtk_widget_child_focus (self->answer_widget, GTK_DIR_TAB_FORWARD);
}

/* Tab and Shift+Tab go through the controls in order (the grab_focus
 * above is for moving into the panel, not for Tab). */
static gboolean
enr_question_row_focus (GtkWidget        *widget,
                        GtkDirectionType  direction)
{
  if (direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD)
    return enr_focus_in_order (widget, direction);

  return GTK_WIDGET_CLASS (enr_question_row_parent_class)->focus (widget, direction);
}

static void
enr_question_row_class_init (EnrQuestionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_question_row_dispose;
  widget_class->grab_focus = enr_question_row_grab_focus;
  widget_class->focus = enr_question_row_focus;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/assistant/enr-question-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrQuestionRow, question_label);
  gtk_widget_class_bind_template_child (widget_class, EnrQuestionRow, answer_box);
  gtk_widget_class_bind_template_child (widget_class, EnrQuestionRow, error_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
enr_question_row_init (EnrQuestionRow *self)
{
  self->choices = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
enr_question_row_new (EnrQuestion    *question,
                      EnrFlowSession *session)
{
  EnrQuestionRow *self;

  g_return_val_if_fail (ENR_IS_QUESTION (question), NULL);
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (session), NULL);

  self = g_object_new (ENR_TYPE_QUESTION_ROW, NULL);
  self->question = g_object_ref (question);
  self->session = g_object_ref (session);
  build (self);

  return GTK_WIDGET (self);
}

EnrQuestion *
enr_question_row_get_question (EnrQuestionRow *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION_ROW (self), NULL);

  return self->question;
}

/**
 * enr_question_row_get_answer_widget:
 *
 * Returns: (transfer none): the widget that takes the answer (a box of
 *   toggle or check buttons, a drop-down or an entry); it carries the
 *   question as its accessible name and the error state
 */
GtkWidget *
enr_question_row_get_answer_widget (EnrQuestionRow *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION_ROW (self), NULL);

  return self->answer_widget;
}

GtkWidget *
enr_question_row_get_error_label (EnrQuestionRow *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION_ROW (self), NULL);

  return GTK_WIDGET (self->error_label);
}

/**
 * enr_question_row_get_field_key:
 *
 * Returns: (transfer full): the validation key of the answer,
 *   "answer:<question id>"
 */
char *
enr_question_row_get_field_key (EnrQuestionRow *self)
{
  g_return_val_if_fail (ENR_IS_QUESTION_ROW (self), NULL);

  return g_strconcat (ENR_FIELD_ANSWER_PREFIX, enr_entity_get_id (ENR_ENTITY (self->question)), NULL);
}

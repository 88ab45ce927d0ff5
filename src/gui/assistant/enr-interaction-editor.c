/* enr-interaction-editor.c — the Interaction Details section of a panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Channel, Class and Category come from the cached code values, in the
 * order of their labels; Notes is free text. The Customer, Program and
 * Device Setup panels each have one; the panel decides which
 * EnrInteraction of the task it edits. The session fills in defaults (the
 * flow's class, the clerk's usual channel and category): the editor shows
 * them as they come.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-enum-types.h"
#include "enr-gui-utils.h"
#include "enr-interaction-editor.h"

struct _EnrInteractionEditor
{
  GtkWidget       parent_instance;

  GtkDropDown    *channel_drop_down;
  GtkDropDown    *class_drop_down;
  GtkDropDown    *category_drop_down;
  GtkLabel       *channel_error;
  GtkLabel       *class_error;
  GtkLabel       *category_error;
  GtkTextView    *notes_view;
  GtkWidget      *channel_label;
  GtkWidget      *class_label;
  GtkWidget      *category_label;
  GtkWidget      *notes_label;

  EnrPage        *page;
  EnrFlowSession *session;
  EnrPanel        panel;
  guint           updating : 1;
};

G_DEFINE_FINAL_TYPE (EnrInteractionEditor, enr_interaction_editor, GTK_TYPE_WIDGET)

static void
fill_drop_down (EnrInteractionEditor *self,
                GtkDropDown          *drop_down,
                EnrCodeList           list,
                const char           *selected)
{
  EnrContext *context = enr_flow_session_get_context (self->session);
  g_autoptr(GPtrArray) values = enr_context_list_code_values (context, list);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) id_strv = NULL;
  g_auto(GStrv) label_strv = NULL;

  for (guint i = 0; i < values->len; i++)
    {
      EnrCodeValue *value = g_ptr_array_index (values, i);

      g_strv_builder_add (ids, enr_code_value_get_code (value));
      g_strv_builder_add (labels, enr_code_value_get_label (value));
    }

  id_strv = g_strv_builder_end (ids);
  label_strv = g_strv_builder_end (labels);
  enr_drop_down_set_choices (drop_down, enr_drop_down_placeholder (), (const char * const *) id_strv,
                             (const char * const *) label_strv, selected);
}

/* The codes the session holds now (defaults it filled in, say). */
static void
show_codes (EnrInteractionEditor *self)
{
  EnrInteraction *interaction = enr_service_task_get_interaction (enr_flow_session_get_task (self->session),
                                                                  self->panel);

  self->updating = TRUE;
  enr_drop_down_select_id (self->channel_drop_down, interaction ? enr_interaction_get_channel (interaction) : NULL);
  enr_drop_down_select_id (self->class_drop_down, interaction ? enr_interaction_get_class (interaction) : NULL);
  enr_drop_down_select_id (self->category_drop_down, interaction ? enr_interaction_get_category (interaction) : NULL);
  self->updating = FALSE;
}

static void
on_session_changed_cb (EnrInteractionEditor *self,
                       const char           *what,
                       EnrFlowSession       *session)
{
  if (g_str_equal (what, ENR_FLOW_CHANGE_INTERACTION))
    show_codes (self);
}

static char *
field_key (EnrInteractionEditor *self,
           const char           *field)
{
  return g_strconcat (ENR_FIELD_INTERACTION_PREFIX,
                      enr_enum_to_nick (ENR_TYPE_PANEL, self->panel), ":", field, NULL);
}

static void
on_drop_down_selected_cb (EnrInteractionEditor *self,
                          GParamSpec           *pspec,
                          GtkDropDown          *drop_down)
{
  EnrInteractionField field;
  g_autofree char *key = NULL;

  if (self->updating || self->session == NULL)
    return;

  if (drop_down == self->channel_drop_down)
    {
      field = ENR_INTERACTION_FIELD_CHANNEL;
      key = field_key (self, "channel");
    }
  else if (drop_down == self->class_drop_down)
    {
      field = ENR_INTERACTION_FIELD_CLASS;
      key = field_key (self, "class");
    }
  else
    {
      field = ENR_INTERACTION_FIELD_CATEGORY;
      key = field_key (self, "category");
    }

  enr_page_clear_error (self->page, key);
  enr_flow_session_set_interaction (self->session, self->panel, field,
                                    enr_drop_down_get_selected_id (drop_down), FALSE);
}

static void
on_notes_changed_cb (EnrInteractionEditor *self,
                     GtkTextBuffer        *buffer)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->updating || self->session == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  enr_flow_session_set_interaction (self->session, self->panel, ENR_INTERACTION_FIELD_NOTES,
                                    text, TRUE);
}

static void
enr_interaction_editor_dispose (GObject *object)
{
  EnrInteractionEditor *self = (EnrInteractionEditor *) object;

  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_INTERACTION_EDITOR);
  enr_widget_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->session);
  self->page = NULL;

  G_OBJECT_CLASS (enr_interaction_editor_parent_class)->dispose (object);
}

static void
enr_interaction_editor_class_init (EnrInteractionEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_interaction_editor_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/assistant/enr-interaction-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrInteractionEditor, channel_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrInteractionEditor, class_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrInteractionEditor, category_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrInteractionEditor, channel_error);
  gtk_widget_class_bind_template_child (widget_class, EnrInteractionEditor, class_error);
  gtk_widget_class_bind_template_child (widget_class, EnrInteractionEditor, category_error);
  gtk_widget_class_bind_template_child (widget_class, EnrInteractionEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, EnrInteractionEditor, channel_label);
  gtk_widget_class_bind_template_child (widget_class, EnrInteractionEditor, class_label);
  gtk_widget_class_bind_template_child (widget_class, EnrInteractionEditor, category_label);
  gtk_widget_class_bind_template_child (widget_class, EnrInteractionEditor, notes_label);
  gtk_widget_class_bind_template_callback (widget_class, on_drop_down_selected_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
enr_interaction_editor_init (EnrInteractionEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed",
                           G_CALLBACK (on_notes_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * enr_interaction_editor_bind:
 * @page: the page the editor is on; its panel names the interaction and
 *   it shows the editor's errors
 *
 * Shows the interaction of @page's panel and edits it from now on.
 */
void
enr_interaction_editor_bind (EnrInteractionEditor *self,
                             EnrPage              *page,
                             EnrFlowSession       *session)
{
  EnrInteraction *interaction;
  g_autofree char *channel_key = NULL;
  g_autofree char *class_key = NULL;
  g_autofree char *category_key = NULL;
  g_autofree char *notes_key = NULL;
  GtkSizeGroup *labels;
  const char *notes = NULL;

  g_return_if_fail (ENR_IS_INTERACTION_EDITOR (self));
  g_return_if_fail (ENR_IS_PAGE (page));
  g_return_if_fail (ENR_IS_FLOW_SESSION (session));

  self->page = page;
  self->panel = enr_page_get_panel (page);
  if (g_set_object (&self->session, session))
    g_signal_connect_object (session, "changed", G_CALLBACK (on_session_changed_cb), self,
                             G_CONNECT_SWAPPED);

  interaction = enr_service_task_get_interaction (enr_flow_session_get_task (session), self->panel);

  self->updating = TRUE;
  fill_drop_down (self, self->channel_drop_down, ENR_CODE_LIST_CHANNEL,
                  interaction ? enr_interaction_get_channel (interaction) : NULL);
  fill_drop_down (self, self->class_drop_down, ENR_CODE_LIST_CLASS,
                  interaction ? enr_interaction_get_class (interaction) : NULL);
  fill_drop_down (self, self->category_drop_down, ENR_CODE_LIST_CATEGORY,
                  interaction ? enr_interaction_get_category (interaction) : NULL);
  if (interaction != NULL)
    notes = enr_interaction_get_notes (interaction);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes ? notes : "", -1);
  self->updating = FALSE;

  channel_key = field_key (self, "channel");
  class_key = field_key (self, "class");
  category_key = field_key (self, "category");
  enr_page_add_field (page, channel_key, GTK_WIDGET (self->channel_drop_down),
                      GTK_WIDGET (self->channel_error));
  enr_page_add_field (page, class_key, GTK_WIDGET (self->class_drop_down),
                      GTK_WIDGET (self->class_error));
  enr_page_add_field (page, category_key, GTK_WIDGET (self->category_drop_down),
                      GTK_WIDGET (self->category_error));
  /* Never in error, but an empty field the focus may go to. */
  notes_key = field_key (self, "notes");
  enr_page_add_field (page, notes_key, GTK_WIDGET (self->notes_view), NULL);

  labels = enr_page_get_label_size_group (page);
  gtk_size_group_add_widget (labels, self->channel_label);
  gtk_size_group_add_widget (labels, self->class_label);
  gtk_size_group_add_widget (labels, self->category_label);
  gtk_size_group_add_widget (labels, self->notes_label);
}

/* enr-program-page.c — the Program Enrollment / Program Unenrollment panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Enrollment: Program Information (Program, Start Date), Qualification
 * Questions and Informational Questions from the program, Interaction
 * Details. Unenrollment: Program Information (Program, Stop Date),
 * Controllable Devices at the device location, Interaction Details.
 * When the assistant finds the customer ineligible on Next, the page shows
 * every reason at its top.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-date-entry.h"
#include "enr-gui-utils.h"
#include "enr-interaction-editor.h"
#include "enr-program-page.h"
#include "enr-question-row.h"

struct _EnrProgramPage
{
  EnrPage               parent_instance;

  GtkLabel             *message_label;
  GtkBox               *eligibility_box;
  GtkLabel             *eligibility_title;
  GtkBox               *reasons_box;
  GtkLabel             *program_label;
  GtkStack             *program_stack;
  GtkDropDown          *program_drop_down;
  GtkLabel             *program_value;
  GtkLabel             *program_error;
  GtkLabel             *description_value;
  GtkLabel             *date_label;
  EnrDateEntry         *date_entry;
  GtkLabel             *date_error;
  GtkBox               *qualification_section;
  GtkBox               *qualification_box;
  GtkBox               *informational_section;
  GtkBox               *informational_box;
  GtkBox               *devices_section;
  GtkListBox           *devices_list;
  EnrInteractionEditor *interaction_editor;

  guint                 updating : 1;
};

G_DEFINE_FINAL_TYPE (EnrProgramPage, enr_program_page, ENR_TYPE_PAGE)

static const char *
date_field (EnrProgramPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));

  if (enr_flow_session_get_kind (session) == ENR_TASK_KIND_UNENROLLMENT)
    return ENR_FIELD_STOP_DATE;

  return ENR_FIELD_START_DATE;
}

static int
compare_questions (gconstpointer a,
                   gconstpointer b)
{
  EnrQuestion *question_a = *(EnrQuestion **) a;
  EnrQuestion *question_b = *(EnrQuestion **) b;

  return enr_question_get_position (question_a) - enr_question_get_position (question_b);
}

static void
add_placeholder (GtkBox     *box,
                 const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (box, label);
}

static void
build_questions (EnrProgramPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  EnrProgram *program = enr_flow_session_get_program (session);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  guint n_qualification = 0;
  guint n_informational = 0;

  enr_page_remove_fields (ENR_PAGE (self), ENR_FIELD_ANSWER_PREFIX);
  enr_widget_remove_children (GTK_WIDGET (self->qualification_box));
  enr_widget_remove_children (GTK_WIDGET (self->informational_box));

  if (program != NULL && enr_program_get_questions (program) != NULL)
    {
      GPtrArray *questions = enr_program_get_questions (program);

      for (guint i = 0; i < questions->len; i++)
        g_ptr_array_add (sorted, g_ptr_array_index (questions, i));
      g_ptr_array_sort (sorted, compare_questions);
    }

  for (guint i = 0; i < sorted->len; i++)
    {
      EnrQuestion *question = g_ptr_array_index (sorted, i);
      GtkWidget *row = enr_question_row_new (question, session);
      g_autofree char *key = enr_question_row_get_field_key (ENR_QUESTION_ROW (row));

      if (enr_question_get_kind (question) == ENR_QUESTION_KIND_QUALIFICATION)
        {
          gtk_box_append (self->qualification_box, row);
          n_qualification++;
        }
      else
        {
          gtk_box_append (self->informational_box, row);
          n_informational++;
        }

      enr_page_add_field (ENR_PAGE (self), key,
                          enr_question_row_get_answer_widget (ENR_QUESTION_ROW (row)),
                          enr_question_row_get_error_label (ENR_QUESTION_ROW (row)));
    }

  if (n_qualification == 0)
    add_placeholder (self->qualification_box, program == NULL
                     ? _("Choose a program to see its qualification questions.")
                     : _("This program asks no qualification questions."));
  if (n_informational == 0)
    add_placeholder (self->informational_box, program == NULL
                     ? _("Choose a program to see its informational questions.")
                     : _("This program asks no informational questions."));
}

static void
show_program (EnrProgramPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  EnrProgram *program = enr_flow_session_get_program (session);
  const char *description = program ? enr_program_get_description (program) : NULL;

  gtk_label_set_text (self->program_value, program ? enr_program_get_name (program) : "—");
  gtk_label_set_text (self->description_value, description ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_value), description != NULL);
}

static void
build_devices (EnrProgramPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  GPtrArray *devices = enr_flow_session_get_offered_devices (session);

  enr_list_box_remove_all (self->devices_list);

  for (guint i = 0; i < devices->len; i++)
    {
      EnrDevice *device = g_ptr_array_index (devices, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      g_autofree char *title = enr_device_describe (device);
      g_autofree char *subtitle = NULL;
      GtkWidget *title_label = gtk_label_new (title);
      GtkWidget *subtitle_label;

      /* Translators: a device's ownership and status, e.g. "Utility Owned · Installed" */
      subtitle = g_strdup_printf (_("%s · %s"),
                                  enr_asset_ownership_label (enr_device_get_ownership (device)),
                                  enr_device_status_label (enr_device_get_status (device)));
      subtitle_label = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (title_label), 0);
      gtk_label_set_wrap (GTK_LABEL (title_label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (subtitle_label), 0);
      gtk_widget_add_css_class (subtitle_label, "dim-label");
      gtk_widget_add_css_class (subtitle_label, "caption");
      gtk_box_append (GTK_BOX (box), title_label);
      gtk_box_append (GTK_BOX (box), subtitle_label);
      gtk_widget_add_css_class (box, "list-row-content");
      gtk_list_box_append (self->devices_list, box);
      enr_widget_set_accessible_label (gtk_widget_get_parent (box), title);
    }
}

static void
on_program_selected_cb (EnrProgramPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));

  if (self->updating || session == NULL)
    return;

  enr_page_clear_error (ENR_PAGE (self), ENR_FIELD_PROGRAM);
  enr_program_page_show_eligibility (self, NULL);
  enr_flow_session_set_program (session, enr_drop_down_get_selected_id (self->program_drop_down));
  show_program (self);
  build_questions (self);
}

static void
on_date_changed_cb (EnrProgramPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  const GDate *date;

  if (self->updating || session == NULL)
    return;

  /* Half-typed dates stay on screen only; check() reports them on Next. */
  if (!enr_date_entry_is_valid (self->date_entry))
    return;

  date = enr_date_entry_get_date (self->date_entry);
  enr_page_clear_error (ENR_PAGE (self), date_field (self));
  if (enr_flow_session_get_kind (session) == ENR_TASK_KIND_UNENROLLMENT)
    enr_flow_session_set_stop_date (session, date);
  else
    enr_flow_session_set_start_date (session, date);
}

static void
enr_program_page_bind (EnrPage        *page,
                       EnrFlowSession *session)
{
  EnrProgramPage *self = ENR_PROGRAM_PAGE (page);
  EnrServiceTask *task = enr_flow_session_get_task (session);
  gboolean enrollment = enr_flow_session_get_kind (session) == ENR_TASK_KIND_ENROLLMENT;
  const char *date_title = enrollment ? _("Start Date") : _("Stop Date");
  GtkWidget *program_field;

  enr_page_set_title (page, enrollment ? _("Program Enrollment") : _("Program Unenrollment"));

  self->updating = TRUE;
  if (enrollment)
    {
      g_autoptr(GPtrArray) programs = enr_flow_session_list_programs (session);
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
      g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
      g_auto(GStrv) id_strv = NULL;
      g_auto(GStrv) label_strv = NULL;

      for (guint i = 0; i < programs->len; i++)
        {
          EnrProgram *program = g_ptr_array_index (programs, i);

          g_strv_builder_add (ids, enr_entity_get_id (ENR_ENTITY (program)));
          g_strv_builder_add (labels, enr_program_get_name (program));
        }
      id_strv = g_strv_builder_end (ids);
      label_strv = g_strv_builder_end (labels);
      enr_drop_down_set_items (self->program_drop_down, (const char * const *) id_strv,
                               (const char * const *) label_strv,
                               enr_service_task_get_program_id (task));
      gtk_stack_set_visible_child_name (self->program_stack, "choose");
      program_field = GTK_WIDGET (self->program_drop_down);
      enr_date_entry_set_date (self->date_entry, enr_service_task_get_start_date (task));
    }
  else
    {
      gtk_stack_set_visible_child_name (self->program_stack, "fixed");
      program_field = GTK_WIDGET (self->program_value);
      enr_date_entry_set_date (self->date_entry, enr_service_task_get_stop_date (task));
    }
  self->updating = FALSE;

  enr_page_add_field (page, enrollment ? ENR_FIELD_PROGRAM : ENR_FIELD_SUBSCRIPTION,
                      program_field, GTK_WIDGET (self->program_error));

  gtk_size_group_add_widget (enr_page_get_label_size_group (page), GTK_WIDGET (self->program_label));
  gtk_size_group_add_widget (enr_page_get_label_size_group (page), GTK_WIDGET (self->date_label));
  gtk_label_set_text (self->date_label, date_title);
  enr_date_entry_set_label (self->date_entry, date_title);
  enr_page_add_field (page, date_field (self), enr_date_entry_get_entry (self->date_entry),
                      GTK_WIDGET (self->date_error));

  gtk_widget_set_visible (GTK_WIDGET (self->qualification_section), enrollment);
  gtk_widget_set_visible (GTK_WIDGET (self->informational_section), enrollment);
  gtk_widget_set_visible (GTK_WIDGET (self->devices_section), !enrollment);

  show_program (self);
  if (enrollment)
    build_questions (self);
  else
    build_devices (self);

  enr_interaction_editor_bind (self->interaction_editor, page, session);
}

static void
enr_program_page_check (EnrPage   *page,
                        GPtrArray *errors)
{
  EnrProgramPage *self = ENR_PROGRAM_PAGE (page);
  const char *field = date_field (self);
  EnrFieldError *error;
  g_autofree char *message = NULL;

  if (enr_date_entry_is_valid (self->date_entry))
    return;

  if (g_str_equal (field, ENR_FIELD_STOP_DATE))
    message = g_strdup (_("Enter the Stop Date as YYYY-MM-DD, for example 2026-12-31"));
  else
    message = g_strdup (_("Enter the Start Date as YYYY-MM-DD, for example 2026-12-31"));

  error = enr_validation_find (errors, field);
  if (error != NULL)
    enr_field_error_set_message (error, message);
  else
    g_ptr_array_insert (errors, 0, enr_field_error_new (field, message));
}

static void
enr_program_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_PROGRAM_PAGE);

  G_OBJECT_CLASS (enr_program_page_parent_class)->dispose (object);
}

static void
enr_program_page_class_init (EnrProgramPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  EnrPageClass *page_class = ENR_PAGE_CLASS (klass);

  object_class->dispose = enr_program_page_dispose;
  page_class->bind = enr_program_page_bind;
  page_class->check = enr_program_page_check;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/assistant/pages/enr-program-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, eligibility_box);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, eligibility_title);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, reasons_box);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, program_label);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, program_stack);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, program_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, program_value);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, program_error);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, description_value);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, date_label);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, date_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, date_error);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, qualification_section);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, qualification_box);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, informational_section);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, informational_box);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, devices_section);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, devices_list);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramPage, interaction_editor);
  gtk_widget_class_bind_template_callback (widget_class, on_program_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_date_changed_cb);
}

static void
enr_program_page_init (EnrProgramPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  enr_page_set_message_label (ENR_PAGE (self), GTK_WIDGET (self->message_label));
}

GtkWidget *
enr_program_page_new (void)
{
  return g_object_new (ENR_TYPE_PROGRAM_PAGE, NULL);
}

/**
 * enr_program_page_show_eligibility:
 * @result: (nullable): the eligibility found on Next; %NULL or eligible
 *   hides the reasons
 */
void
enr_program_page_show_eligibility (EnrProgramPage       *self,
                                   EnrEligibilityResult *result)
{
  EnrFlowSession *session;
  EnrCustomer *customer;
  EnrProgram *program;
  GPtrArray *reasons;
  g_autofree char *title = NULL;

  g_return_if_fail (ENR_IS_PROGRAM_PAGE (self));

  enr_widget_remove_children (GTK_WIDGET (self->reasons_box));

  if (result == NULL || enr_eligibility_result_is_eligible (result))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->eligibility_box), FALSE);
      return;
    }

  session = enr_page_get_session (ENR_PAGE (self));
  customer = enr_flow_session_get_customer (session);
  program = enr_flow_session_get_program (session);

  /* Translators: heading above the reasons, e.g.
   * "Maria Gonzalez is not eligible for Smart Thermostat Rewards" */
  title = g_strdup_printf (_("%s is not eligible for %s"),
                           customer ? enr_customer_get_name (customer) : _("The customer"),
                           program ? enr_program_get_name (program) : _("this program"));
  gtk_label_set_text (self->eligibility_title, title);

  reasons = enr_eligibility_result_get_reasons (result);
  for (guint i = 0; reasons != NULL && i < reasons->len; i++)
    {
      EnrEligibilityReason *reason = g_ptr_array_index (reasons, i);
      g_autofree char *text = g_strdup_printf ("• %s", enr_eligibility_reason_get_text (reason));
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, enr_eligibility_reason_get_text (reason),
                                      -1);
      gtk_box_append (self->reasons_box, label);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->eligibility_box), TRUE);
}

/**
 * enr_program_page_get_reasons_box:
 *
 * Returns: (transfer none): the box holding one label per reason
 */
GtkWidget *
enr_program_page_get_reasons_box (EnrProgramPage *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_PAGE (self), NULL);

  return GTK_WIDGET (self->reasons_box);
}

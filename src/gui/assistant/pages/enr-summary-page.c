/* enr-summary-page.c — the Summary panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the clerk confirms with the customer comes first: Program
 * Information (start or stop date, the answers) and Device Setup (with
 * the appointment booked); then Customer Information, Location
 * Information ("Not applicable" when the program needs no location), the
 * Interaction Details of every panel, and the Enrollment Task (its status
 * and reference) last. Each section is a card of read-only fields
 * (EnrFieldList) whose name columns line up from card to card; the
 * keyboard reaches every card and scrolls the page. Rebuilt from the
 * draft each time the panel is shown.
 *
 * Consent, at the top for an enrollment, is the one thing the clerk
 * fills in here: how the customer agreed to the program's terms (phone,
 * web, paper, the device maker's app) and when; the terms version and the
 * clerk are recorded with it. Finish is refused while a program whose type
 * requires consent has none (the core's Summary rule).
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "enr-date-entry.h"
#include "enr-field-list.h"
#include "enr-gui-utils.h"
#include "enr-summary-page.h"

struct _EnrSummaryPage
{
  EnrPage       parent_instance;

  GtkLabel     *message_label;
  GtkLabel     *task_title;
  GtkBox       *task_section;
  EnrFieldList *task_fields;
  EnrFieldList *customer_fields;
  EnrFieldList *program_fields;
  EnrFieldList *location_fields;
  GtkBox       *device_section;
  EnrFieldList *device_fields;
  EnrFieldList *interaction_fields;

  GtkBox       *consent_section;
  GtkLabel     *consent_note;
  GtkLabel     *consent_method_label;
  GtkDropDown  *consent_method;
  GtkLabel     *consent_method_error;
  GtkLabel     *consent_date_label;
  EnrDateEntry *consent_date;
  GtkLabel     *consent_time_label;
  GtkEntry     *consent_time;
  GtkLabel     *consent_time_error;
  GtkLabel     *consent_terms_error;
  EnrFieldList *consent_fields;
  gboolean      updating;
};

G_DEFINE_FINAL_TYPE (EnrSummaryPage, enr_summary_page, ENR_TYPE_PAGE)

static char *
describe_answer (EnrQuestion *question,
                 EnrAnswer   *answer)
{
  const char * const *values = answer ? enr_answer_get_values (answer) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (values == NULL || values[0] == NULL)
    return g_strdup (_("Not answered"));

  for (guint i = 0; values[i] != NULL; i++)
    {
      const char *value = values[i];

      if (text->len > 0)
        g_string_append (text, ", ");
      if (enr_question_get_answer_style (question) == ENR_ANSWER_STYLE_YES_NO)
        value = g_ascii_strcasecmp (value, "yes") == 0 ? _("Yes")
                : g_ascii_strcasecmp (value, "no") == 0 ? _("No") : value;
      g_string_append (text, value);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
fill_task (EnrSummaryPage *self,
           EnrFlowSession *session)
{
  EnrServiceTask *task = enr_flow_session_get_task (session);
  EnrServiceTaskType *task_type = enr_flow_session_get_task_type (session);
  g_autofree char *created = enr_format_date_time (enr_service_task_get_created_at (task));
  gboolean enrollment = enr_flow_session_get_kind (session) == ENR_TASK_KIND_ENROLLMENT;
  const char *title = enrollment ? _("Enrollment Task") : _("Unenrollment Task");

  gtk_label_set_text (self->task_title, title);
  enr_widget_set_accessible_label (GTK_WIDGET (self->task_section), title);
  enr_field_list_set_title (self->task_fields, title);

  enr_field_list_append (self->task_fields, _("Status"), enr_task_status_label (enr_service_task_get_status (task)));
  enr_field_list_append (self->task_fields, _("Service Task Type"), task_type ? enr_service_task_type_get_name (task_type) : NULL);
  enr_field_list_append (self->task_fields, _("Created"), created);
  /* The reference a supervisor or the service desk may ask for. */
  enr_field_list_append (self->task_fields, _("Service Task"), enr_entity_get_id (ENR_ENTITY (task)));
}

static void
fill_customer (EnrSummaryPage *self,
               EnrFlowSession *session)
{
  EnrCustomer *customer = enr_flow_session_get_customer (session);
  EnrMeteredService *service = enr_flow_session_get_metered_service (session);
  g_autofree char *service_text = service ? enr_metered_service_describe (service) : NULL;

  enr_field_list_append (self->customer_fields, _("Name"), customer ? enr_customer_get_name (customer) : NULL);
  enr_field_list_append (self->customer_fields, _("Account"), customer ? enr_customer_get_account_id (customer) : NULL);
  enr_field_list_append (self->customer_fields, _("Phone"), customer ? enr_customer_get_phone (customer) : NULL);
  enr_field_list_append (self->customer_fields, _("Email"), customer ? enr_customer_get_email (customer) : NULL);
  enr_field_list_append (self->customer_fields, _("Metered Service"), service_text);
}

static void
fill_program (EnrSummaryPage *self,
              EnrFlowSession *session)
{
  EnrServiceTask *task = enr_flow_session_get_task (session);
  EnrProgram *program = enr_flow_session_get_program (session);
  gboolean enrollment = enr_flow_session_get_kind (session) == ENR_TASK_KIND_ENROLLMENT;
  g_autofree char *date = NULL;

  enr_field_list_append (self->program_fields, _("Program"), program ? enr_program_get_name (program) : NULL);
  if (enrollment)
    {
      date = enr_format_date (enr_service_task_get_start_date (task));
      enr_field_list_append (self->program_fields, _("Start Date"), date);
    }
  else
    {
      date = enr_format_date (enr_service_task_get_stop_date (task));
      enr_field_list_append (self->program_fields, _("Stop Date"), date);
    }

  if (enrollment && program != NULL && enr_program_get_questions (program) != NULL)
    {
      GPtrArray *questions = enr_program_get_questions (program);

      for (guint i = 0; i < questions->len; i++)
        {
          EnrQuestion *question = g_ptr_array_index (questions, i);
          EnrAnswer *answer = enr_service_task_find_answer (task, enr_entity_get_id (ENR_ENTITY (question)));
          g_autofree char *text = describe_answer (question, answer);

          enr_field_list_append (self->program_fields, enr_question_get_text (question), text);
        }
    }
}

static void
fill_location (EnrSummaryPage *self,
               EnrFlowSession *session)
{
  EnrStepPlan *plan = enr_flow_session_get_plan (session);
  EnrServicePoint *point = enr_flow_session_get_service_point (session);
  EnrDeviceLocation *location = enr_flow_session_get_device_location (session);

  if (!enr_step_plan_get_location_required (plan))
    {
      enr_field_list_append (self->location_fields, _("Metered Service Point"), _("Not applicable"));
      enr_field_list_append (self->location_fields, _("Device Location"), _("Not applicable"));
      return;
    }

  enr_field_list_append (self->location_fields, _("Metered Service Point"), point ? enr_service_point_get_address (point) : NULL);
  if (location != NULL)
    {
      g_autofree char *text = NULL;
      const char *description = enr_device_location_get_description (location);

      if (description != NULL)
        /* Translators: a device location: address and description, e.g. "1423 Maple Ave (Garage)" */
        text = g_strdup_printf (_("%s (%s)"), enr_or_dash (enr_device_location_get_address (location)), description);
      else
        text = g_strdup (enr_device_location_get_address (location));
      enr_field_list_append (self->location_fields, _("Device Location"), text);
    }
  else
    {
      enr_field_list_append (self->location_fields, _("Device Location"), _("To be created on Finish"));
    }
}

static void
fill_device_setup (EnrSummaryPage *self,
                   EnrFlowSession *session)
{
  EnrServiceTask *task = enr_flow_session_get_task (session);
  EnrStepPlan *plan = enr_flow_session_get_plan (session);
  gboolean enrollment = enr_flow_session_get_kind (session) == ENR_TASK_KIND_ENROLLMENT;
  GPtrArray *offered = enr_flow_session_get_offered_devices (session);
  const char * const *device_ids = enr_service_task_get_device_ids (task);
  GPtrArray *activities = enr_flow_session_get_activities (session);
  g_autoptr(GString) devices = g_string_new (NULL);

  if (enr_step_plan_is_skipped (plan, ENR_PANEL_DEVICE_SETUP))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->device_section), FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->device_section), TRUE);

  if (enrollment)
    enr_field_list_append (self->device_fields, _("Installation Method"),
                           enr_installation_method_label (enr_service_task_get_installation_method (task)));
  else
    enr_field_list_append (self->device_fields, _("Removal Method"),
                           enr_removal_method_label (enr_service_task_get_removal_method (task)));

  for (guint i = 0; device_ids != NULL && device_ids[i] != NULL; i++)
    for (guint j = 0; j < offered->len; j++)
      if (g_strcmp0 (enr_entity_get_id (g_ptr_array_index (offered, j)), device_ids[i]) == 0)
        {
          g_autofree char *text = enr_device_describe (g_ptr_array_index (offered, j));

          if (devices->len > 0)
            g_string_append_c (devices, '\n');
          g_string_append (devices, text);
        }
  if (devices->len > 0)
    enr_field_list_append (self->device_fields, enrollment ? _("Devices to Re-Enroll") : _("Controllable Devices"), devices->str);

  if (enr_service_task_get_ownership (task) != ENR_ASSET_OWNERSHIP_NONE ||
      enr_device_setup_needs_ownership_for_task (enr_flow_session_get_task_type (session), task))
    enr_field_list_append (self->device_fields, _("Asset Ownership"),
                           enr_asset_ownership_label (enr_service_task_get_ownership (task)));

  for (guint i = 0; activities != NULL && i < activities->len; i++)
    {
      EnrActivityType *activity_type = g_ptr_array_index (activities, i);
      EnrAppointment *appointment;
      g_autofree char *text = NULL;

      if (!enr_activity_type_get_needs_appointment (activity_type))
        {
          enr_field_list_append (self->device_fields, enr_activity_type_get_name (activity_type), _("No appointment needed"));
          continue;
        }

      appointment = enr_flow_session_get_appointment (session, enr_entity_get_id (ENR_ENTITY (activity_type)));
      if (appointment != NULL)
        {
          g_autoptr(EnrCrew) crew = enr_context_lookup (enr_flow_session_get_context (session), ENR_TYPE_CREW,
                                                        enr_appointment_get_crew_id (appointment));

          text = enr_format_appointment (enr_appointment_get_start (appointment),
                                         enr_appointment_get_end (appointment),
                                         crew ? enr_crew_get_name (crew) : enr_appointment_get_crew_id (appointment));
        }
      enr_field_list_append (self->device_fields, enr_activity_type_get_name (activity_type),
                             text ? text : _("No appointment selected"));
    }
}

static void
fill_interactions (EnrSummaryPage *self,
                   EnrFlowSession *session)
{
  EnrContext *context = enr_flow_session_get_context (session);
  EnrServiceTask *task = enr_flow_session_get_task (session);
  EnrStepPlan *plan = enr_flow_session_get_plan (session);
  static const EnrPanel panels[] = { ENR_PANEL_CUSTOMER, ENR_PANEL_PROGRAM, ENR_PANEL_DEVICE_SETUP };

  for (guint i = 0; i < G_N_ELEMENTS (panels); i++)
    {
      EnrInteraction *interaction;

      if (enr_step_plan_is_skipped (plan, panels[i]))
        continue;

      enr_field_list_add_heading (self->interaction_fields, enr_step_plan_get_title (plan, panels[i]));

      interaction = enr_service_task_get_interaction (task, panels[i]);
      if (interaction == NULL || enr_interaction_is_empty (interaction))
        {
          enr_field_list_append (self->interaction_fields, _("Interaction"), _("None recorded"));
          continue;
        }

      enr_field_list_append (self->interaction_fields, _("Channel"),
                             enr_context_get_code_label (context, ENR_CODE_LIST_CHANNEL, enr_interaction_get_channel (interaction)));
      enr_field_list_append (self->interaction_fields, _("Class"),
                             enr_context_get_code_label (context, ENR_CODE_LIST_CLASS, enr_interaction_get_class (interaction)));
      enr_field_list_append (self->interaction_fields, _("Category"),
                             enr_context_get_code_label (context, ENR_CODE_LIST_CATEGORY, enr_interaction_get_category (interaction)));
      enr_field_list_append (self->interaction_fields, _("Notes"), enr_interaction_get_notes (interaction));
    }
}

static const EnrConsentMethod consent_methods[] = {
  ENR_CONSENT_METHOD_PHONE,
  ENR_CONSENT_METHOD_WEB,
  ENR_CONSENT_METHOD_PAPER,
  ENR_CONSENT_METHOD_DEVICE_APP,
};

/* "14:05" or "9:05" → hour and minute */
static gboolean
parse_time (const char *text,
            int        *hour,
            int        *minute)
{
  g_auto(GStrv) parts = NULL;
  guint64 h, m;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, ":", -1);
  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 23, &h, NULL) ||
      strlen (parts[1]) != 2 ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &m, NULL))
    return FALSE;

  *hour = (int) h;
  *minute = (int) m;
  return TRUE;
}

static void
fill_consent (EnrSummaryPage *self,
              EnrFlowSession *session)
{
  EnrServiceTask *task = enr_flow_session_get_task (session);
  EnrProgram *program = enr_flow_session_get_program (session);
  EnrProgramType *program_type = enr_flow_session_get_program_type (session);
  EnrConsent *consent = enr_service_task_get_consent (task);
  gboolean enrollment = enr_flow_session_get_kind (session) == ENR_TASK_KIND_ENROLLMENT;
  const char *terms = program != NULL ? enr_program_get_terms_version (program) : NULL;
  const char *name = program != NULL ? enr_program_get_name (program) : "";
  g_autofree char *note = NULL;
  g_autofree char *recorded = NULL;
  const char *ids[G_N_ELEMENTS (consent_methods) + 1] = { NULL };
  const char *labels[G_N_ELEMENTS (consent_methods) + 1] = { NULL };
  const char *selected = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->consent_section), enrollment);
  if (!enrollment)
    return;

  if (program_type != NULL && enr_program_type_get_consent_required (program_type))
    /* Translators: "Home Battery & Solar Registration needs the customer’s consent to its terms on record before Finish." */
    note = g_strdup_printf (_("%s needs the customer’s consent to its terms on record before Finish."), name);
  else
    note = g_strdup_printf (_("%s does not require consent on record; record it when the customer gives it."), name);
  gtk_label_set_text (self->consent_note, note);

  for (guint i = 0; i < G_N_ELEMENTS (consent_methods); i++)
    {
      ids[i] = enr_enum_to_nick (ENR_TYPE_CONSENT_METHOD, consent_methods[i]);
      labels[i] = enr_consent_method_label (consent_methods[i]);
    }
  if (consent != NULL)
    selected = enr_enum_to_nick (ENR_TYPE_CONSENT_METHOD, enr_consent_get_method (consent));

  self->updating = TRUE;
  enr_drop_down_set_choices (self->consent_method, enr_consent_method_label (ENR_CONSENT_METHOD_NONE),
                             ids, labels, selected);
  if (consent != NULL && enr_consent_get_given_at (consent) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (enr_consent_get_given_at (consent));
      g_autoptr(GDate) day = g_date_new_dmy (g_date_time_get_day_of_month (local),
                                             g_date_time_get_month (local),
                                             g_date_time_get_year (local));
      g_autofree char *time = g_date_time_format (local, "%H:%M");

      enr_date_entry_set_date (self->consent_date, day);
      gtk_editable_set_text (GTK_EDITABLE (self->consent_time), time);
    }
  self->updating = FALSE;

  enr_field_list_append (self->consent_fields, _("Terms Version"), terms);
  if (consent != NULL && enr_consent_get_recorded_by (consent) != NULL)
    recorded = g_strdup (enr_consent_get_recorded_by (consent));
  enr_field_list_append (self->consent_fields, _("Recorded By"), recorded);
}

static void
on_consent_changed_cb (EnrSummaryPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  const char *id;
  int method = ENR_CONSENT_METHOD_NONE;
  g_autoptr(GDateTime) given_at = NULL;
  const GDate *day;
  int hour, minute;

  if (self->updating || session == NULL)
    return;

  id = enr_drop_down_get_selected_id (self->consent_method);
  if (id == NULL || !enr_enum_from_nick (ENR_TYPE_CONSENT_METHOD, id, &method))
    method = ENR_CONSENT_METHOD_NONE;

  /* A method chosen with nothing dated yet: the customer consents now. */
  if (method != ENR_CONSENT_METHOD_NONE &&
      enr_date_entry_get_text (self->consent_date)[0] == '\0' &&
      gtk_editable_get_text (GTK_EDITABLE (self->consent_time))[0] == '\0')
    {
      g_autoptr(GDateTime) now = enr_context_get_now (enr_flow_session_get_context (session));
      g_autoptr(GDateTime) local = g_date_time_to_local (now);
      g_autoptr(GDate) today = g_date_new_dmy (g_date_time_get_day_of_month (local),
                                               g_date_time_get_month (local),
                                               g_date_time_get_year (local));
      g_autofree char *time = g_date_time_format (local, "%H:%M");

      self->updating = TRUE;
      enr_date_entry_set_date (self->consent_date, today);
      gtk_editable_set_text (GTK_EDITABLE (self->consent_time), time);
      self->updating = FALSE;
    }

  day = enr_date_entry_get_date (self->consent_date);
  if (day != NULL && g_date_valid (day) &&
      parse_time (gtk_editable_get_text (GTK_EDITABLE (self->consent_time)), &hour, &minute))
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_local ();

      given_at = g_date_time_new (zone, g_date_get_year (day), g_date_get_month (day),
                                  g_date_get_day (day), hour, minute, 0);
    }

  enr_flow_session_set_consent (session, method, given_at);
  enr_page_clear_error (ENR_PAGE (self), ENR_FIELD_CONSENT_METHOD);
  enr_field_list_remove_all (self->consent_fields);
  {
    EnrProgram *program = enr_flow_session_get_program (session);
    EnrConsent *consent = enr_service_task_get_consent (enr_flow_session_get_task (session));

    enr_field_list_append (self->consent_fields, _("Terms Version"),
                           program != NULL ? enr_program_get_terms_version (program) : NULL);
    enr_field_list_append (self->consent_fields, _("Recorded By"),
                           consent != NULL ? enr_consent_get_recorded_by (consent) : NULL);
  }
}

/* What the core cannot see: a date or time the clerk typed that is not one. */
static void
enr_summary_page_check (EnrPage   *page,
                        GPtrArray *errors)
{
  EnrSummaryPage *self = ENR_SUMMARY_PAGE (page);
  const char *time = gtk_editable_get_text (GTK_EDITABLE (self->consent_time));
  int hour, minute;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->consent_section)))
    return;

  if (time[0] != '\0' && !parse_time (time, &hour, &minute))
    g_ptr_array_add (errors, enr_field_error_new (ENR_FIELD_CONSENT_GIVEN_AT,
                                                  _("Enter the time of the consent as HH:MM, for example 14:05")));
  else if (!enr_date_entry_is_valid (self->consent_date))
    g_ptr_array_add (errors, enr_field_error_new (ENR_FIELD_CONSENT_GIVEN_AT,
                                                  _("Enter the date of the consent as a date")));
}

static void
enr_summary_page_shown (EnrPage *page)
{
  enr_summary_page_refresh (ENR_SUMMARY_PAGE (page));
}

static void
enr_summary_page_bind (EnrPage        *page,
                       EnrFlowSession *session)
{
  enr_summary_page_refresh (ENR_SUMMARY_PAGE (page));
}

static void
enr_summary_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_SUMMARY_PAGE);

  G_OBJECT_CLASS (enr_summary_page_parent_class)->dispose (object);
}

static void
enr_summary_page_class_init (EnrSummaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  EnrPageClass *page_class = ENR_PAGE_CLASS (klass);

  object_class->dispose = enr_summary_page_dispose;
  page_class->bind = enr_summary_page_bind;
  page_class->shown = enr_summary_page_shown;
  page_class->check = enr_summary_page_check;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/assistant/pages/enr-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, task_title);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, task_section);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, task_fields);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, customer_fields);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, program_fields);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, location_fields);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, device_section);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, device_fields);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, interaction_fields);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_section);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_note);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_method_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_method);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_method_error);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_date_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_date);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_time_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_time);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_time_error);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_terms_error);
  gtk_widget_class_bind_template_child (widget_class, EnrSummaryPage, consent_fields);
  gtk_widget_class_bind_template_callback (widget_class, on_consent_changed_cb);
}

static void
enr_summary_page_init (EnrSummaryPage *self)
{
  g_type_ensure (ENR_TYPE_DATE_ENTRY);
  gtk_widget_init_template (GTK_WIDGET (self));

  enr_date_entry_set_label (self->consent_date, _("Consent Date"));
  enr_page_add_field (ENR_PAGE (self), ENR_FIELD_CONSENT_METHOD, GTK_WIDGET (self->consent_method),
                      GTK_WIDGET (self->consent_method_error));
  enr_page_add_field (ENR_PAGE (self), ENR_FIELD_CONSENT_GIVEN_AT, GTK_WIDGET (self->consent_time),
                      GTK_WIDGET (self->consent_time_error));
  /* Not the method's drop-down: each widget shows the state of one field. */
  enr_page_add_field (ENR_PAGE (self), ENR_FIELD_CONSENT_TERMS, GTK_WIDGET (self->consent_fields),
                      GTK_WIDGET (self->consent_terms_error));

  enr_page_set_message_label (ENR_PAGE (self), GTK_WIDGET (self->message_label));
  {
    EnrFieldList *lists[] = {
      self->program_fields, self->device_fields, self->customer_fields,
      self->location_fields, self->interaction_fields, self->task_fields,
      self->consent_fields,
    };

    for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
      enr_field_list_set_size_group (lists[i], enr_page_get_label_size_group (ENR_PAGE (self)));
  }
}

GtkWidget *
enr_summary_page_new (void)
{
  return g_object_new (ENR_TYPE_SUMMARY_PAGE, NULL);
}

void
enr_summary_page_refresh (EnrSummaryPage *self)
{
  EnrFlowSession *session;

  g_return_if_fail (ENR_IS_SUMMARY_PAGE (self));

  session = enr_page_get_session (ENR_PAGE (self));
  if (session == NULL)
    return;

  enr_field_list_remove_all (self->program_fields);
  enr_field_list_remove_all (self->device_fields);
  enr_field_list_remove_all (self->customer_fields);
  enr_field_list_remove_all (self->location_fields);
  enr_field_list_remove_all (self->interaction_fields);
  enr_field_list_remove_all (self->task_fields);
  enr_field_list_remove_all (self->consent_fields);

  /* In the order of the page. */
  fill_consent (self, session);
  fill_program (self, session);
  fill_device_setup (self, session);
  fill_customer (self, session);
  fill_location (self, session);
  fill_interactions (self, session);
  fill_task (self, session);
}

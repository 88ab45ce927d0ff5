/* enr-customer-view-zones.c — the Customer View's zones, built from what
 * the view shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finished flows, the service's open tasks and current enrollments (by
 * the completed enrollment that made them) have a Letter menu: Print
 * Letter… and Save Letter as PDF… (customer.print-letter and
 * customer.save-letter); their line says when the last letter was sent.
 *
 * Customer Information, Eligible Programs and Not Eligible (from the
 * core's eligibility rules), Current Enrollments, Upcoming Appointments
 * and In-Progress Process Flows: each rebuilt from one reading of the
 * store (Shown) by enr_customer_view_reload(). The rows' buttons name
 * the view's actions (enr-customer-view-actions.c).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-customer-view-private.h"
#include "enr-flow-session.h"
#include "enr-gui-utils.h"
#include "enr-program-row.h"

static GtkWidget *
create_row_full (const char *title,
                 const char *subtitle,
                 GtkWidget  *suffix,
                 GtkWidget  *suffix2,
                 GtkWidget  *suffix3)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *subtitle_label = gtk_label_new (subtitle);

  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_wrap (GTK_LABEL (title_label), TRUE);
  gtk_widget_add_css_class (title_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (subtitle_label), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle_label), TRUE);
  gtk_widget_add_css_class (subtitle_label, "dim-label");
  gtk_widget_add_css_class (subtitle_label, "caption");
  gtk_widget_set_hexpand (texts, TRUE);

  gtk_box_append (GTK_BOX (texts), title_label);
  gtk_box_append (GTK_BOX (texts), subtitle_label);
  gtk_box_append (GTK_BOX (box), texts);
  if (suffix != NULL)
    {
      gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), suffix);
    }
  if (suffix2 != NULL)
    {
      gtk_widget_set_valign (suffix2, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), suffix2);
    }
  if (suffix3 != NULL)
    {
      gtk_widget_set_valign (suffix3, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), suffix3);
    }
  gtk_widget_add_css_class (box, "list-row-content");

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), suffix != NULL && GTK_IS_BUTTON (suffix));
  enr_widget_set_accessible_label (row, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);

  return row;
}

static GtkWidget *
create_row (const char *title,
            const char *subtitle,
            GtkWidget  *suffix,
            GtkWidget  *suffix2)
{
  return create_row_full (title, subtitle, suffix, suffix2, NULL);
}

/* The Letter menu of a task: Print… and Save as PDF…, for @program_name. */
static GtkWidget *
create_letter_button (const char *task_id,
                      const char *program_name)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) print = g_menu_item_new (_("_Print Letter…"), NULL);
  g_autoptr(GMenuItem) save = g_menu_item_new (_("Save Letter as P_DF…"), NULL);
  GtkWidget *button = gtk_menu_button_new ();
  /* Translators: accessible description of the Letter menu of one task */
  g_autofree char *description = g_strdup_printf (_("The confirmation letter of %s"), program_name);

  g_menu_item_set_action_and_target_value (print, "customer.print-letter", g_variant_new_string (task_id));
  g_menu_item_set_action_and_target_value (save, "customer.save-letter", g_variant_new_string (task_id));
  g_menu_append_item (menu, print);
  g_menu_append_item (menu, save);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("_Letter"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (button), TRUE);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_tooltip_text (button, _("Print the confirmation letter or save it as PDF"));
  gtk_widget_add_css_class (button, "letter-button");
  enr_widget_set_accessible_label (button, _("Letter"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  return button;
}

/* " · letter sent Mon, 1 Jun 2026, 08:00" when a letter of @task_id was
 * recorded (the last one), else "". */
static char *
describe_letters (const Shown *shown,
                  const char  *task_id)
{
  EnrCustomerCommunication *last = NULL;
  g_autofree char *when = NULL;

  for (guint i = 0; shown->letters != NULL && i < shown->letters->len; i++)
    {
      EnrCustomerCommunication *letter = g_ptr_array_index (shown->letters, i);

      if (g_strcmp0 (enr_customer_communication_get_service_task_id (letter), task_id) == 0 &&
          (last == NULL || g_date_time_compare (enr_customer_communication_get_created_at (letter),
                                                enr_customer_communication_get_created_at (last)) >= 0))
        last = letter;
    }

  if (last == NULL)
    return g_strdup ("");

  when = enr_format_date_time (enr_customer_communication_get_created_at (last));
  /* Translators: after a task's description, e.g. " · letter sent Mon, 1 Jun 2026, 08:00" */
  return g_strdup_printf (_(" · letter sent %s"), when);
}

/* @text (taken) followed by @more. */
static char *
take_concat (char       *text,
                 const char *more)
{
  char *result = g_strconcat (text, more, NULL);

  g_free (text);
  return result;
}

/* The enrollment task that made @subscription: the customer's last
 * completed enrollment in its program. */
static EnrServiceTask *
find_enrollment_task (const Shown            *shown,
                      EnrProgramSubscription *subscription)
{
  EnrServiceTask *found = NULL;

  for (guint i = 0; i < shown->tasks->len; i++)
    {
      EnrServiceTask *task = g_ptr_array_index (shown->tasks, i);

      if (enr_service_task_get_kind (task) == ENR_TASK_KIND_ENROLLMENT &&
          enr_service_task_get_status (task) == ENR_TASK_STATUS_COMPLETED &&
          g_strcmp0 (enr_service_task_get_program_id (task), enr_program_subscription_get_program_id (subscription)) == 0 &&
          (found == NULL || g_date_time_compare (enr_service_task_get_created_at (task),
                                                 enr_service_task_get_created_at (found)) > 0))
        found = task;
    }

  return found;
}

static GtkWidget *
create_action_button (const char *label,
                      const char *action_name,
                      const char *target)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  enr_button_set_accessible_name (button);

  return button;
}

void
_enr_customer_view_load_information (EnrCustomerView *self,
                                     EnrCustomer     *customer,
                                     GPtrArray       *services)
{
  g_autoptr(GString) service_text = g_string_new (NULL);
  g_autoptr(GString) point_text = g_string_new (NULL);

  enr_field_list_remove_all (self->info_fields);

  for (guint i = 0; i < services->len; i++)
    {
      EnrMeteredService *service = g_ptr_array_index (services, i);
      g_autofree char *text = enr_metered_service_describe (service);
      g_autoptr(EnrServicePoint) point = NULL;

      if (service_text->len > 0)
        g_string_append_c (service_text, '\n');
      g_string_append (service_text, text);

      point = enr_context_lookup (self->context, ENR_TYPE_SERVICE_POINT,
                                  enr_metered_service_get_service_point_id (service));
      if (point != NULL)
        {
          if (point_text->len > 0)
            g_string_append_c (point_text, '\n');
          /* Translators: a service point: address and premise, e.g. "1423 Maple Ave (premise PREM-20003)" */
          g_string_append_printf (point_text, _("%s (premise %s)"), enr_service_point_get_address (point),
                                  enr_or_dash (enr_service_point_get_premise_id (point)));
        }
    }

  enr_field_list_append (self->info_fields, _("Name"), enr_customer_get_name (customer));
  enr_field_list_append (self->info_fields, _("Phone"), enr_customer_get_phone (customer));
  enr_field_list_append (self->info_fields, _("Email"), enr_customer_get_email (customer));
  enr_field_list_append (self->info_fields, _("Account"), enr_customer_get_account_id (customer));
  enr_field_list_append (self->info_fields, _("Metered Service"), service_text->str);
  enr_field_list_append (self->info_fields, _("Metered Service Point"), point_text->str);
  enr_field_list_append (self->info_fields, _("Address"), enr_customer_get_mailing_address (customer));
}

static int
compare_program_names (gconstpointer a,
                       gconstpointer b)
{
  EnrProgram *program_a = *(EnrProgram **) a;
  EnrProgram *program_b = *(EnrProgram **) b;

  return g_utf8_collate (enr_program_get_name (program_a), enr_program_get_name (program_b));
}

void
_enr_customer_view_load_programs (EnrCustomerView *self,
                                  const Shown     *shown)
{
  g_autoptr(EnrServicePoint) point = NULL;
  EnrMeteredService *service = enr_metered_service_pick (shown->services);
  GDate today;

  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GPtrArray) premise_subscriptions = NULL;
  guint n_ineligible = 0;

  enr_list_box_remove_all (self->programs_list);
  enr_list_box_remove_all (self->ineligible_list);
  enr_context_get_today (self->context, &today);

  /* By name: the clerk looks for a program by its name. */
  for (guint i = 0; i < shown->programs->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (shown->programs, i));
  g_ptr_array_sort (sorted, compare_program_names);

  if (service != NULL)
    point = enr_context_lookup (self->context, ENR_TYPE_SERVICE_POINT,
                                enr_metered_service_get_service_point_id (service));
  premise_subscriptions = enr_context_list_premise_subscriptions (self->context, point);

  for (guint i = 0; i < sorted->len; i++)
    {
      EnrProgram *program = g_ptr_array_index (sorted, i);
      g_autoptr(EnrProgramType) program_type = NULL;
      g_autoptr(EnrInitiative) initiative = NULL;
      g_autoptr(EnrServiceTaskType) task_type = NULL;
      g_autoptr(EnrEligibilityResult) result = NULL;
      EnrEligibilityInput input;

      /* Programs that never take enrollments are not offered at all. */
      if (enr_program_get_status (program) == ENR_PROGRAM_STATUS_CLOSED)
        continue;

      program_type = enr_context_lookup (self->context, ENR_TYPE_PROGRAM_TYPE,
                                         enr_program_get_program_type_id (program));
      initiative = enr_context_lookup (self->context, ENR_TYPE_INITIATIVE,
                                       enr_program_get_initiative_id (program));
      task_type = enr_context_lookup (self->context, ENR_TYPE_SERVICE_TASK_TYPE,
                                      enr_program_get_enrollment_task_type_id (program));

      input = (EnrEligibilityInput) {
        .program = program,
        .program_type = program_type,
        .initiative = initiative,
        .customer = shown->customer,
        .metered_service = service,
        .service_point = point,
        .devices = shown->devices,
        .subscriptions = shown->subscriptions,
        .open_tasks = shown->open_tasks,
        .today = &today,
        /* A device the utility can ship or install counts as coming. */
        .installation_method = enr_task_type_get_providing_method (task_type),
        .check_answers = FALSE,
        .programs = shown->programs,
        .premise_subscriptions = premise_subscriptions,
      };
      result = enr_eligibility_evaluate (&input);

      if (enr_eligibility_result_is_eligible (result))
        {
          gtk_list_box_append (self->programs_list, enr_program_row_new (program, program_type, result));
        }
      else
        {
          gtk_list_box_append (self->ineligible_list, enr_program_row_new (program, program_type, result));
          n_ineligible++;
        }
    }

  /* Only when there is a program the customer cannot join. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->ineligible_list)), n_ineligible > 0);
}

static gboolean
has_open_unenrollment (GPtrArray  *tasks,
                       const char *subscription_id)
{
  for (guint i = 0; i < tasks->len; i++)
    {
      EnrServiceTask *task = g_ptr_array_index (tasks, i);

      if (enr_service_task_get_kind (task) == ENR_TASK_KIND_UNENROLLMENT &&
          !enr_task_status_is_final (enr_service_task_get_status (task)) &&
          g_strcmp0 (enr_service_task_get_subscription_id (task), subscription_id) == 0)
        return TRUE;
    }

  return FALSE;
}

/* "<subtitle> · Consent: Phone, …" when @task has a consent on record. */
static char *
with_consent (char           *subtitle,
              EnrServiceTask *task)
{
  g_autofree char *consent = task != NULL ? enr_consent_describe (enr_service_task_get_consent (task)) : NULL;
  char *more;

  if (consent == NULL)
    return subtitle;

  more = g_strdup_printf ("%s · %s", subtitle, consent);
  g_free (subtitle);
  return more;
}

void
_enr_customer_view_load_subscriptions (EnrCustomerView *self,
                                       const Shown     *shown)
{
  GPtrArray *subscriptions = shown->subscriptions;
  GPtrArray *tasks = shown->open_tasks;

  enr_list_box_remove_all (self->subscriptions_list);

  for (guint i = 0; i < subscriptions->len; i++)
    {
      EnrProgramSubscription *subscription = g_ptr_array_index (subscriptions, i);
      EnrSubscriptionStatus status = enr_program_subscription_get_status (subscription);
      const char *id = enr_entity_get_id (ENR_ENTITY (subscription));
      g_autoptr(EnrProgram) program = NULL;
      g_autofree char *start = enr_format_date (enr_program_subscription_get_start_date (subscription));
      g_autofree char *subtitle = NULL;
      g_autofree char *accessible = NULL;
      GtkWidget *button = NULL;
      GtkWidget *letter_button = NULL;
      EnrServiceTask *task;
      const char *name;

      program = enr_context_lookup (self->context, ENR_TYPE_PROGRAM,
                                    enr_program_subscription_get_program_id (subscription));
      name = program ? enr_program_get_name (program) : enr_program_subscription_get_program_id (subscription);

      if (enr_program_subscription_get_end_date (subscription) != NULL)
        {
          g_autofree char *end = enr_format_date (enr_program_subscription_get_end_date (subscription));

          /* Translators: a subscription: status, start and end, e.g. "Ended · 1 May 2025 to 31 Mar 2026" */
          subtitle = g_strdup_printf (_("%s · %s to %s"), enr_subscription_status_label (status), start, end);
        }
      else
        {
          /* Translators: a subscription: status and start, e.g. "Active · since 1 June 2025" */
          subtitle = g_strdup_printf (_("%s · since %s"), enr_subscription_status_label (status), start);
        }

      if (status != ENR_SUBSCRIPTION_STATUS_ENDED && !has_open_unenrollment (tasks, id))
        {
          /* Translators: accessible name of the Unenroll button of one program */
          accessible = g_strdup_printf (_("Unenroll from %s"), name);
          button = create_action_button (_("_Unenroll"), "customer.unenroll", id);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, accessible,
                                          -1);
        }
      else if (status != ENR_SUBSCRIPTION_STATUS_ENDED)
        {
          g_autofree char *more = g_strdup_printf ("%s · %s", subtitle, _("unenrollment in progress"));

          g_free (subtitle);
          subtitle = g_steal_pointer (&more);
        }

      if (enr_program_subscription_get_service_task_id (subscription) != NULL)
        {
          g_autoptr(EnrServiceTask) origin = enr_context_lookup (self->context, ENR_TYPE_SERVICE_TASK,
                                                                 enr_program_subscription_get_service_task_id (subscription));

          subtitle = with_consent (subtitle, origin);
        }

      task = find_enrollment_task (shown, subscription);
      if (task != NULL)
        {
          const char *task_id = enr_entity_get_id (ENR_ENTITY (task));
          g_autofree char *letters = describe_letters (shown, task_id);

          subtitle = take_concat (subtitle, letters);
          letter_button = create_letter_button (task_id, name);
        }

      gtk_list_box_append (self->subscriptions_list, create_row (name, subtitle, button, letter_button));
    }
}

void
_enr_customer_view_load_flows (EnrCustomerView *self,
                               const Shown     *shown)
{
  GPtrArray *flows = shown->flows;
  GPtrArray *tasks = shown->tasks;
  g_autoptr(GHashTable) drafted = g_hash_table_new (g_str_hash, g_str_equal);

  enr_list_box_remove_all (self->flows_list);

  for (guint i = 0; i < flows->len; i++)
    {
      EnrProcessFlow *flow = g_ptr_array_index (flows, i);
      EnrServiceTask *task = enr_process_flow_get_task (flow);
      const char *flow_id = enr_entity_get_id (ENR_ENTITY (flow));
      g_autoptr(EnrProgram) program = NULL;
      g_autoptr(EnrStepPlan) plan = NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *updated = NULL;

      if (task != NULL)
        g_hash_table_add (drafted, (gpointer) enr_entity_get_id (ENR_ENTITY (task)));

      if (task == NULL || enr_process_flow_get_status (flow) == ENR_FLOW_STATUS_CANCELED)
        continue;

      /* Finished here, not yet completed by the service: shown, no actions. */
      if (enr_process_flow_get_status (flow) == ENR_FLOW_STATUS_CLOSED)
        {
          g_autofree char *finished_title = NULL;
          g_autofree char *finished = NULL;
          g_autofree char *letters = NULL;

          if (enr_task_status_is_final (enr_service_task_get_status (task)))
            continue;

          program = enr_context_lookup (self->context, ENR_TYPE_PROGRAM, enr_service_task_get_program_id (task));
          updated = enr_format_date_time (enr_process_flow_get_updated_at (flow));
          finished_title = g_strdup_printf (_("%s · %s"), enr_task_kind_label (enr_process_flow_get_kind (flow)),
                                            program ? enr_program_get_name (program) : _("No program chosen"));
          /* Translators: a finished flow, e.g. "Finished Fri, 27 Nov 2026, 14:02 · Pending at the service" */
          finished = g_strdup_printf (_("Finished %s · %s at the service"), updated,
                                      enr_task_status_label (enr_service_task_get_status (task)));
          finished = with_consent (finished, task);
          letters = describe_letters (shown, enr_entity_get_id (ENR_ENTITY (task)));
          finished = take_concat (finished, letters);
          gtk_list_box_append (self->flows_list,
                               create_row (finished_title, finished,
                                           create_letter_button (enr_entity_get_id (ENR_ENTITY (task)),
                                                                 program ? enr_program_get_name (program)
                                                                         : _("No program chosen")),
                                           NULL));
          continue;
        }

      program = enr_context_lookup (self->context, ENR_TYPE_PROGRAM, enr_service_task_get_program_id (task));
      plan = enr_step_plan_new (enr_process_flow_get_kind (flow), TRUE);
      updated = enr_format_date_time (enr_process_flow_get_updated_at (flow));

      /* Translators: a process flow: kind and program, e.g. "Enrollment · Smart Thermostat Rewards" */
      title = g_strdup_printf (_("%s · %s"), enr_task_kind_label (enr_process_flow_get_kind (flow)),
                               program ? enr_program_get_name (program) : _("No program chosen"));
      /* Translators: where a flow stands, e.g. "On Device Setup · Pending · last change Fri, 27 Nov 2026, 14:02" */
      subtitle = g_strdup_printf (_("On %s · %s · last change %s"),
                                  enr_step_plan_get_title (plan, enr_process_flow_get_current_panel (flow)),
                                  enr_task_status_label (enr_service_task_get_status (task)),
                                  updated);

      gtk_list_box_append (self->flows_list,
                           create_row (title, subtitle,
                                       create_action_button (_("_Resume"), "customer.resume-flow", flow_id),
                                       create_action_button (_("_Cancel…"), "customer.cancel-flow", flow_id)));
    }

  /* Open service tasks from the service that have no draft here. */
  for (guint i = 0; i < tasks->len; i++)
    {
      EnrServiceTask *task = g_ptr_array_index (tasks, i);
      const char *task_id = enr_entity_get_id (ENR_ENTITY (task));
      g_autoptr(EnrProgram) program = NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *created = NULL;
      g_autofree char *letters = NULL;

      if (enr_task_status_is_final (enr_service_task_get_status (task)) ||
          g_hash_table_contains (drafted, task_id))
        continue;

      program = enr_context_lookup (self->context, ENR_TYPE_PROGRAM, enr_service_task_get_program_id (task));
      created = enr_format_date_time (enr_service_task_get_created_at (task));
      title = g_strdup_printf (_("%s · %s"), enr_task_kind_label (enr_service_task_get_kind (task)),
                               program ? enr_program_get_name (program) : enr_or_dash (enr_service_task_get_program_id (task)));
      /* Translators: a service task from the service, e.g. "Service task · Pending · created by clerk, 27 Nov 2026" */
      subtitle = g_strdup_printf (_("Service task · %s · created by %s, %s"),
                                  enr_task_status_label (enr_service_task_get_status (task)),
                                  enr_or_dash (enr_service_task_get_created_by (task)), created);
      subtitle = with_consent (subtitle, task);
      letters = describe_letters (shown, task_id);
      subtitle = take_concat (subtitle, letters);

      gtk_list_box_append (self->flows_list,
                           create_row_full (title, subtitle,
                                            create_action_button (_("_Resume"), "customer.resume-task", task_id),
                                            create_action_button (_("_Cancel…"), "customer.cancel-task", task_id),
                                            create_letter_button (task_id,
                                                                  program ? enr_program_get_name (program)
                                                                          : enr_or_dash (enr_service_task_get_program_id (task)))));
    }
}

typedef struct
{
  EnrAppointment *appointment;
  EnrServiceTask *task;
} Booked;

static int
compare_booked (gconstpointer a,
                gconstpointer b)
{
  const Booked *booked_a = a;
  const Booked *booked_b = b;

  return g_date_time_compare (enr_appointment_get_start (booked_a->appointment),
                              enr_appointment_get_start (booked_b->appointment));
}

/* The booked appointments of the customer's open tasks and finished
 * drafts that have not started yet, the earliest first. */
void
_enr_customer_view_load_appointments (EnrCustomerView *self,
                                      const Shown     *shown)
{
  g_autoptr(GArray) booked = g_array_new (FALSE, FALSE, sizeof (Booked));
  g_autoptr(GDateTime) now = enr_context_get_now (self->context);

  enr_list_box_remove_all (self->appointments_list);

  for (guint i = 0; i < shown->open_tasks->len; i++)
    {
      EnrServiceTask *task = g_ptr_array_index (shown->open_tasks, i);
      GPtrArray *appointments = enr_service_task_get_appointments (task);

      for (guint j = 0; appointments != NULL && j < appointments->len; j++)
        {
          EnrAppointment *appointment = g_ptr_array_index (appointments, j);
          Booked item = { appointment, task };

          if (enr_appointment_get_status (appointment) != ENR_APPOINTMENT_STATUS_BOOKED ||
              enr_appointment_get_start (appointment) == NULL || enr_appointment_get_end (appointment) == NULL ||
              g_date_time_compare (enr_appointment_get_end (appointment), now) < 0)
            continue;

          g_array_append_val (booked, item);
        }
    }
  g_array_sort (booked, compare_booked);

  for (guint i = 0; i < booked->len; i++)
    {
      Booked *item = &g_array_index (booked, Booked, i);
      g_autoptr(EnrActivityType) activity_type = NULL;
      g_autoptr(EnrProgram) program = NULL;
      g_autoptr(EnrCrew) crew = NULL;
      g_autofree char *title = NULL;
      g_autofree char *when = NULL;

      activity_type = enr_context_lookup (self->context, ENR_TYPE_ACTIVITY_TYPE,
                                          enr_appointment_get_activity_type_id (item->appointment));
      program = enr_context_lookup (self->context, ENR_TYPE_PROGRAM, enr_service_task_get_program_id (item->task));
      crew = enr_context_lookup (self->context, ENR_TYPE_CREW, enr_appointment_get_crew_id (item->appointment));

      /* Translators: an appointment's work and program, e.g.
       * "Install smart thermostat · Smart Thermostat Rewards" */
      title = g_strdup_printf (_("%s · %s"),
                               activity_type ? enr_activity_type_get_name (activity_type)
                                             : enr_or_dash (enr_appointment_get_activity_type_id (item->appointment)),
                               program ? enr_program_get_name (program) : enr_or_dash (enr_service_task_get_program_id (item->task)));
      when = enr_format_appointment (enr_appointment_get_start (item->appointment),
                                     enr_appointment_get_end (item->appointment),
                                     crew ? enr_crew_get_name (crew) : enr_appointment_get_crew_id (item->appointment));
      gtk_list_box_append (self->appointments_list, create_row (title, when, NULL, NULL));
    }
}

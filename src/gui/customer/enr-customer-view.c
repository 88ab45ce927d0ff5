/* enr-customer-view.c — the Customer View and its zones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Customer Information; Eligible Programs (the programs the customer may
 * join now, by name, from the core's eligibility rules on the cached
 * data; "Enroll in <program>" starts an enrollment flow); Current
 * Enrollments (Unenroll starts an unenrollment flow); Upcoming
 * Appointments (booked field work of the customer's tasks, finished
 * flows included); In-Progress Process Flows (local drafts and open
 * service tasks: Resume, Cancel with confirmation); Not Eligible (the
 * other programs, each with every reason, for the clerk to read out).
 *
 * Rows with an action are activatable: Up and Down go from row to row,
 * Return does the row's first action. Opening a customer puts the focus
 * on the first Enroll button (else the first action); a rebuild that
 * takes the focused widget away puts it there again.
 *
 * The zones are rebuilt only when what they show changed: a digest of
 * every record they are made from (the customer, its services, service
 * points, devices, subscriptions, tasks and drafts, the programs with
 * their types, initiatives and task types) and of today's date is kept,
 * and a change in the store (a sync pull, for one) that leaves it as it
 * was leaves the widgets, the focus and the scroll position alone.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-assistant.h"
#include "enr-customer-view.h"
#include "enr-dialogs.h"
#include "enr-field-list.h"
#include "enr-flow-session.h"
#include "enr-gui-utils.h"
#include "enr-program-row.h"

struct _EnrCustomerView
{
  GtkWidget       parent_instance;

  GtkLabel       *name_label;
  GtkLabel       *account_label;
  EnrFieldList   *info_fields;
  GtkListBox     *programs_list;
  GtkListBox     *subscriptions_list;
  GtkListBox     *appointments_list;
  GtkListBox     *flows_list;
  GtkListBox     *ineligible_list;

  EnrContext     *context;
  GSignalGroup   *context_signals;
  char           *customer_id;
  char           *digest;
  guint           reload_source;
  EnrProcessFlow *canceling_flow;
};

G_DEFINE_FINAL_TYPE (EnrCustomerView, enr_customer_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_CUSTOMER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_row (const char *title,
            const char *subtitle,
            GtkWidget  *suffix,
            GtkWidget  *suffix2)
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
  gtk_widget_add_css_class (box, "list-row-content");

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), suffix != NULL);
  enr_widget_set_accessible_label (row, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);

  return row;
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

static EnrMeteredService *
pick_metered_service (GPtrArray *services)
{
  for (guint i = 0; i < services->len; i++)
    {
      EnrMeteredService *service = g_ptr_array_index (services, i);

      if (enr_metered_service_get_status (service) == ENR_METERED_SERVICE_STATUS_ACTIVE &&
          enr_metered_service_get_service_type (service) == ENR_SERVICE_TYPE_ELECTRIC)
        return service;
    }

  return services->len > 0 ? g_ptr_array_index (services, 0) : NULL;
}

/* What the view shows, read from the store once per reload */
typedef struct
{
  EnrCustomer *customer;
  GPtrArray   *services;
  GPtrArray   *flows;
  GPtrArray   *programs;
  GPtrArray   *devices;
  GPtrArray   *subscriptions;
  GPtrArray   *tasks;
  GPtrArray   *open_tasks;   /* the tasks and the drafts' open ones */
} Shown;

static void
shown_clear (Shown *shown)
{
  g_clear_object (&shown->customer);
  g_clear_pointer (&shown->services, g_ptr_array_unref);
  g_clear_pointer (&shown->flows, g_ptr_array_unref);
  g_clear_pointer (&shown->programs, g_ptr_array_unref);
  g_clear_pointer (&shown->devices, g_ptr_array_unref);
  g_clear_pointer (&shown->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&shown->tasks, g_ptr_array_unref);
  g_clear_pointer (&shown->open_tasks, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Shown, shown_clear)

static GPtrArray *
open_tasks_with_drafts (GPtrArray *service_tasks,
                        GPtrArray *flows)
{
  GPtrArray *tasks = g_ptr_array_new_full (service_tasks->len + flows->len, g_object_unref);

  for (guint i = 0; i < service_tasks->len; i++)
    g_ptr_array_add (tasks, g_object_ref (g_ptr_array_index (service_tasks, i)));

  for (guint i = 0; i < flows->len; i++)
    {
      EnrProcessFlow *flow = g_ptr_array_index (flows, i);
      EnrServiceTask *task = enr_process_flow_get_task (flow);
      gboolean known = FALSE;

      /* Finished flows not yet known to the service still count. */
      if (task == NULL || enr_task_status_is_final (enr_service_task_get_status (task)))
        continue;

      for (guint j = 0; j < tasks->len && !known; j++)
        known = g_strcmp0 (enr_entity_get_id (g_ptr_array_index (tasks, j)),
                           enr_entity_get_id (ENR_ENTITY (task))) == 0;
      if (!known)
        g_ptr_array_add (tasks, g_object_ref (task));
    }

  return tasks;
}

static void
load_information (EnrCustomerView *self,
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

static void
load_programs (EnrCustomerView *self,
               const Shown     *shown)
{
  g_autoptr(EnrServicePoint) point = NULL;
  EnrMeteredService *service = pick_metered_service (shown->services);
  GDate today;

  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
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

static void
load_subscriptions (EnrCustomerView *self,
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

      gtk_list_box_append (self->subscriptions_list, create_row (name, subtitle, button, NULL));
    }
}

static void
load_flows (EnrCustomerView *self,
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

          if (enr_task_status_is_final (enr_service_task_get_status (task)))
            continue;

          program = enr_context_lookup (self->context, ENR_TYPE_PROGRAM, enr_service_task_get_program_id (task));
          updated = enr_format_date_time (enr_process_flow_get_updated_at (flow));
          finished_title = g_strdup_printf (_("%s · %s"), enr_task_kind_label (enr_process_flow_get_kind (flow)),
                                            program ? enr_program_get_name (program) : _("No program chosen"));
          /* Translators: a finished flow, e.g. "Finished Fri, 27 Nov 2026, 14:02 · Pending at the service" */
          finished = g_strdup_printf (_("Finished %s · %s at the service"), updated,
                                      enr_task_status_label (enr_service_task_get_status (task)));
          gtk_list_box_append (self->flows_list, create_row (finished_title, finished, NULL, NULL));
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

      gtk_list_box_append (self->flows_list,
                           create_row (title, subtitle,
                                       create_action_button (_("_Resume"), "customer.resume-task", task_id),
                                       create_action_button (_("_Cancel…"), "customer.cancel-task", task_id)));
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
static void
load_appointments (EnrCustomerView *self,
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

/* Return on a row: its first action, as a click on its button. */
static void
on_row_activated_cb (EnrCustomerView *self,
                     GtkListBoxRow   *row)
{
  GtkWidget *button;

  if (ENR_IS_PROGRAM_ROW (row))
    button = enr_program_row_get_enroll_button (ENR_PROGRAM_ROW (row));
  else
    button = enr_widget_find_first_button (GTK_WIDGET (row));

  if (button != NULL && gtk_widget_get_visible (button) && gtk_widget_is_sensitive (button))
    gtk_widget_activate (button);
}

/* The digest of what the view is made from */

static void
digest_record (GChecksum *checksum,
               gpointer   record)
{
  g_autofree char *json = NULL;

  if (record == NULL)
    {
      g_checksum_update (checksum, (const guchar *) "-", 2);
      return;
    }

  json = enr_codec_encode_string (record);
  /* With the NUL: records cannot run into each other. */
  g_checksum_update (checksum, (const guchar *) json, strlen (json) + 1);
}

static void
digest_records (GChecksum *checksum,
                GPtrArray *records)
{
  g_autofree char *count = g_strdup_printf ("%u", records->len);

  g_checksum_update (checksum, (const guchar *) count, strlen (count) + 1);
  for (guint i = 0; i < records->len; i++)
    digest_record (checksum, g_ptr_array_index (records, i));
}

static void
digest_lookup (GChecksum       *checksum,
               EnrCustomerView *self,
               GType            type,
               const char      *id)
{
  g_autoptr(GObject) record = id != NULL ? enr_context_lookup (self->context, type, id) : NULL;

  digest_record (checksum, record);
}

static char *
compute_digest (EnrCustomerView *self,
                const Shown     *shown)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  GPtrArray *services = shown->services;
  GPtrArray *programs = shown->programs;
  g_autofree char *today_text = NULL;
  GDate today;

  enr_context_get_today (self->context, &today);
  today_text = enr_codec_format_date (&today);
  g_checksum_update (checksum, (const guchar *) today_text, strlen (today_text) + 1);
  g_checksum_update (checksum, (const guchar *) self->customer_id, strlen (self->customer_id) + 1);

  digest_record (checksum, shown->customer);
  digest_records (checksum, services);
  for (guint i = 0; i < services->len; i++)
    digest_lookup (checksum, self, ENR_TYPE_SERVICE_POINT,
                   enr_metered_service_get_service_point_id (g_ptr_array_index (services, i)));
  digest_records (checksum, shown->flows);
  digest_records (checksum, shown->devices);
  digest_records (checksum, shown->subscriptions);
  digest_records (checksum, shown->tasks);

  digest_records (checksum, programs);
  for (guint i = 0; i < programs->len; i++)
    {
      EnrProgram *program = g_ptr_array_index (programs, i);

      digest_lookup (checksum, self, ENR_TYPE_PROGRAM_TYPE, enr_program_get_program_type_id (program));
      digest_lookup (checksum, self, ENR_TYPE_INITIATIVE, enr_program_get_initiative_id (program));
      digest_lookup (checksum, self, ENR_TYPE_SERVICE_TASK_TYPE, enr_program_get_enrollment_task_type_id (program));
    }

  return g_strdup (g_checksum_get_string (checksum));
}

/* Actions */

/* @created: a new service task (queued for the service as Pending), or
 * a task the service already has */
static void
open_new_flow (EnrCustomerView *self,
               EnrProcessFlow  *flow,
               gboolean         created)
{
  g_autoptr(GError) error = NULL;
  gboolean kept;

  /* Kept at once, so the flow can be resumed even if nothing is entered. */
  if (created)
    kept = enr_context_create_flow (self->context, flow, &error);
  else
    kept = enr_context_save_draft (self->context, flow, &error);
  if (!kept)
    g_warning ("Could not keep the new process flow: %s", error->message);

  enr_assistant_open (GTK_WIDGET (self), self->context, flow);
  enr_context_notify_flows_changed (self->context, self->customer_id);
}

static void
enroll_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  g_autoptr(EnrProcessFlow) flow = NULL;

  flow = enr_flow_session_create_enrollment (self->context, self->customer_id,
                                             g_variant_get_string (parameter, NULL), NULL);
  open_new_flow (self, flow, TRUE);
}

static void
unenroll_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  g_autoptr(EnrProgramSubscription) subscription = NULL;
  g_autoptr(EnrProcessFlow) flow = NULL;

  subscription = enr_context_lookup (self->context, ENR_TYPE_PROGRAM_SUBSCRIPTION,
                                     g_variant_get_string (parameter, NULL));
  if (subscription == NULL)
    return;

  flow = enr_flow_session_create_unenrollment (self->context, subscription);
  open_new_flow (self, flow, TRUE);
}

static EnrProcessFlow *
load_flow (EnrCustomerView *self,
           const char      *flow_id)
{
  g_autoptr(GError) error = NULL;
  EnrProcessFlow *flow;

  flow = enr_context_load_flow (self->context, flow_id, &error);
  if (flow == NULL)
    g_warning ("Could not read the process flow %s: %s", flow_id, error->message);

  return flow;
}

static void
resume_flow_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  const char *flow_id = g_variant_get_string (parameter, NULL);
  g_autoptr(EnrProcessFlow) flow = NULL;
  EnrAssistant *assistant;

  assistant = enr_assistant_find (flow_id);
  if (assistant != NULL)
    {
      gtk_window_present (GTK_WINDOW (assistant));
      return;
    }

  flow = load_flow (self, flow_id);
  if (flow != NULL)
    enr_assistant_open (GTK_WIDGET (self), self->context, flow);
}

/* A new flow for the service task an action's @parameter names. */
static EnrProcessFlow *
flow_for_task (EnrCustomerView *self,
               GVariant        *parameter)
{
  g_autoptr(EnrServiceTask) task = NULL;

  task = enr_context_lookup (self->context, ENR_TYPE_SERVICE_TASK, g_variant_get_string (parameter, NULL));
  if (task == NULL)
    return NULL;

  return enr_flow_session_create_for_task (self->context, task);
}

static void
resume_task_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  g_autoptr(EnrProcessFlow) flow = flow_for_task (self, parameter);

  if (flow != NULL)
    open_new_flow (self, flow, FALSE);
}

static void
on_cancel_response_cb (EnrCustomerView *self,
                       int              response,
                       GtkDialog       *dialog)
{
  g_autoptr(EnrProcessFlow) flow = g_steal_pointer (&self->canceling_flow);
  g_autoptr(EnrFlowSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && flow != NULL)
    {
      session = enr_flow_session_new (self->context, flow);
      if (!enr_flow_session_cancel (session, enr_cancel_process_dialog_get_reason (GTK_WIDGET (dialog)), &error))
        g_warning ("Could not cancel the process flow: %s", error->message);
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
confirm_cancel (EnrCustomerView *self,
                EnrProcessFlow  *flow)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  EnrAssistant *assistant;
  GtkWidget *dialog;

  /* An open flow is canceled in its own window, which asks there. */
  assistant = enr_assistant_find (enr_entity_get_id (ENR_ENTITY (flow)));
  if (assistant != NULL)
    {
      gtk_window_present (GTK_WINDOW (assistant));
      gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.cancel-process", NULL);
      return;
    }

  /* The dialog is modal: one flow at a time waits for the answer. */
  g_set_object (&self->canceling_flow, flow);
  dialog = enr_cancel_process_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_flow_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  g_autoptr(EnrProcessFlow) flow = load_flow (self, g_variant_get_string (parameter, NULL));

  if (flow != NULL)
    confirm_cancel (self, flow);
}

static void
cancel_task_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  g_autoptr(EnrProcessFlow) flow = flow_for_task (self, parameter);

  if (flow != NULL)
    confirm_cancel (self, flow);
}

/* Whether the window's focus is on a widget of the view still shown. */
static gboolean
focus_in_view (EnrCustomerView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) && gtk_widget_get_mapped (focus);
}

static gboolean
on_reload_idle_cb (gpointer data)
{
  EnrCustomerView *self = data;

  self->reload_source = 0;
  enr_customer_view_reload (self);
  return G_SOURCE_REMOVE;
}

/* Records of a type the view reads changed in the store (a pull, for
 * one): once the burst is over, rebuilt if what it shows changed. */
static void
on_cache_changed_cb (EnrCustomerView *self,
                     GType            type)
{
  if (self->customer_id == NULL || self->reload_source != 0)
    return;

  if (type == ENR_TYPE_CREW_SHIFT || type == ENR_TYPE_APPOINTMENT || type == ENR_TYPE_CREW ||
      type == ENR_TYPE_USER || type == ENR_TYPE_CUSTOMER_COMMUNICATION)
    return;

  self->reload_source = g_idle_add (on_reload_idle_cb, self);
}

static void
on_flows_changed_cb (EnrCustomerView *self,
                     const char      *customer_id)
{
  if (self->customer_id != NULL && (customer_id == NULL || g_str_equal (customer_id, self->customer_id)))
    enr_customer_view_reload (self);
}

/* GObject */

static void
enr_customer_view_dispose (GObject *object)
{
  EnrCustomerView *self = (EnrCustomerView *) object;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_object (&self->canceling_flow);
  g_signal_group_set_target (self->context_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_CUSTOMER_VIEW);
  enr_widget_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->context);

  G_OBJECT_CLASS (enr_customer_view_parent_class)->dispose (object);
}

static void
enr_customer_view_finalize (GObject *object)
{
  EnrCustomerView *self = (EnrCustomerView *) object;

  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->digest, g_free);
  g_clear_object (&self->context_signals);

  G_OBJECT_CLASS (enr_customer_view_parent_class)->finalize (object);
}

static void
enr_customer_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_customer_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      enr_customer_view_set_context (self, g_value_get_object (value));
      break;

    case PROP_CUSTOMER_ID:
      enr_customer_view_set_customer_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_customer_view_class_init (EnrCustomerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_customer_view_dispose;
  object_class->finalize = enr_customer_view_finalize;
  object_class->get_property = enr_customer_view_get_property;
  object_class->set_property = enr_customer_view_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ENR_TYPE_CONTEXT,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/customer/enr-customer-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerView, name_label);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerView, account_label);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerView, info_fields);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerView, programs_list);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerView, subscriptions_list);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerView, appointments_list);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerView, flows_list);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerView, ineligible_list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "customer.enroll", "s", enroll_action);
  gtk_widget_class_install_action (widget_class, "customer.unenroll", "s", unenroll_action);
  gtk_widget_class_install_action (widget_class, "customer.resume-flow", "s", resume_flow_action);
  gtk_widget_class_install_action (widget_class, "customer.cancel-flow", "s", cancel_flow_action);
  gtk_widget_class_install_action (widget_class, "customer.resume-task", "s", resume_task_action);
  gtk_widget_class_install_action (widget_class, "customer.cancel-task", "s", cancel_task_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
enr_customer_view_init (EnrCustomerView *self)
{
  self->context_signals = g_signal_group_new (ENR_TYPE_CONTEXT);
  g_signal_group_connect_object (self->context_signals, "flows-changed", G_CALLBACK (on_flows_changed_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->context_signals, "cache-changed", G_CALLBACK (on_cache_changed_cb), self,
                                 G_CONNECT_SWAPPED);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
enr_customer_view_new (EnrContext *context)
{
  return g_object_new (ENR_TYPE_CUSTOMER_VIEW,
                       "context", context,
                       NULL);
}

EnrContext *
enr_customer_view_get_context (EnrCustomerView *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_VIEW (self), NULL);

  return self->context;
}

void
enr_customer_view_set_context (EnrCustomerView *self,
                               EnrContext      *context)
{
  g_return_if_fail (ENR_IS_CUSTOMER_VIEW (self));
  g_return_if_fail (context == NULL || ENR_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;

  g_clear_pointer (&self->digest, g_free);
  g_signal_group_set_target (self->context_signals, context);

  enr_customer_view_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

const char *
enr_customer_view_get_customer_id (EnrCustomerView *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_VIEW (self), NULL);

  return self->customer_id;
}

void
enr_customer_view_set_customer_id (EnrCustomerView *self,
                                   const char      *customer_id)
{
  g_return_if_fail (ENR_IS_CUSTOMER_VIEW (self));

  if (g_strcmp0 (self->customer_id, customer_id) == 0)
    return;

  g_free (self->customer_id);
  self->customer_id = g_strdup (customer_id);
  g_clear_pointer (&self->digest, g_free);
  enr_customer_view_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
}

/**
 * enr_customer_view_reload:
 *
 * Reads the customer and every zone again from the store, and rebuilds
 * the zones when anything they show changed since they were built.
 */
void
enr_customer_view_reload (EnrCustomerView *self)
{
  g_auto(Shown) shown = { NULL, };
  g_autofree char *account = NULL;
  g_autofree char *digest = NULL;
  gboolean focused;

  g_return_if_fail (ENR_IS_CUSTOMER_VIEW (self));

  if (self->context == NULL || self->customer_id == NULL)
    return;

  shown.customer = enr_context_lookup (self->context, ENR_TYPE_CUSTOMER, self->customer_id);
  if (shown.customer == NULL)
    {
      g_clear_pointer (&self->digest, g_free);
      gtk_label_set_text (self->name_label, _("Unknown customer"));
      gtk_label_set_text (self->account_label, "");
      return;
    }

  shown.services = enr_context_list_metered_services (self->context, self->customer_id);
  shown.flows = enr_context_list_flows (self->context, self->customer_id);
  shown.programs = enr_context_list (self->context, ENR_TYPE_PROGRAM);
  shown.devices = enr_context_list_customer_devices (self->context, self->customer_id);
  shown.subscriptions = enr_context_list_subscriptions (self->context, self->customer_id);
  shown.tasks = enr_context_list_tasks (self->context, self->customer_id);

  digest = compute_digest (self, &shown);
  if (g_strcmp0 (digest, self->digest) == 0)
    return;
  g_free (self->digest);
  self->digest = g_steal_pointer (&digest);

  shown.open_tasks = open_tasks_with_drafts (shown.tasks, shown.flows);

  gtk_label_set_text (self->name_label, enr_customer_get_name (shown.customer));
  /* Translators: under the customer's name, e.g. "Account RPL-100037" */
  account = g_strdup_printf (_("Account %s"), enr_customer_get_account_id (shown.customer));
  gtk_label_set_text (self->account_label, account);

  focused = focus_in_view (self);

  load_information (self, shown.customer, shown.services);
  load_programs (self, &shown);
  load_subscriptions (self, &shown);
  load_appointments (self, &shown);
  load_flows (self, &shown);

  /* The focused row or button went with the rebuild: the first action. */
  if (focused && !focus_in_view (self))
    enr_customer_view_focus_first_action (self);
}

/**
 * enr_customer_view_focus_first_action:
 *
 * Moves the focus to the first Enroll button, else to the first action
 * of the view, else into it.
 */
void
enr_customer_view_focus_first_action (EnrCustomerView *self)
{
  GtkListBox *lists[] = { self->programs_list, self->subscriptions_list, self->flows_list };

  g_return_if_fail (ENR_IS_CUSTOMER_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (lists[i], 0);
      GtkWidget *button = row != NULL ? enr_widget_find_first_button (GTK_WIDGET (row)) : NULL;

      if (button != NULL && gtk_widget_grab_focus (button))
        return;
    }

  gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

GtkWidget *
enr_customer_view_get_programs_list (EnrCustomerView *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_VIEW (self), NULL);

  return GTK_WIDGET (self->programs_list);
}

GtkWidget *
enr_customer_view_get_subscriptions_list (EnrCustomerView *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_VIEW (self), NULL);

  return GTK_WIDGET (self->subscriptions_list);
}

GtkWidget *
enr_customer_view_get_flows_list (EnrCustomerView *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_VIEW (self), NULL);

  return GTK_WIDGET (self->flows_list);
}

/**
 * enr_customer_view_get_ineligible_list:
 *
 * Returns: (transfer none): the list of the programs the customer cannot
 *   join, with their reasons
 */
GtkWidget *
enr_customer_view_get_ineligible_list (EnrCustomerView *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_VIEW (self), NULL);

  return GTK_WIDGET (self->ineligible_list);
}

/**
 * enr_customer_view_get_appointments_list:
 *
 * Returns: (transfer none): the Upcoming Appointments list
 */
GtkWidget *
enr_customer_view_get_appointments_list (EnrCustomerView *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_VIEW (self), NULL);

  return GTK_WIDGET (self->appointments_list);
}

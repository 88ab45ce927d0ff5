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

#include "enr-customer-view-private.h"
#include "enr-gui-utils.h"
#include "enr-program-row.h"

G_DEFINE_FINAL_TYPE (EnrCustomerView, enr_customer_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_CUSTOMER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the view shows, read from the store once per reload */

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
  g_clear_pointer (&shown->letters, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Shown, shown_clear)

/* The customer's communications of channel letter, oldest first. */
static GPtrArray *
list_letters (EnrCustomerView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) communications = NULL;
  GPtrArray *letters = g_ptr_array_new_with_free_func (g_object_unref);

  communications = enr_store_list (enr_context_get_store (self->context), ENR_TYPE_CUSTOMER_COMMUNICATION,
                                   "customer-id", self->customer_id, &error);
  if (communications == NULL)
    {
      g_warning ("Could not read the communications of customer %s: %s", self->customer_id, error->message);
      return letters;
    }

  for (guint i = 0; i < communications->len; i++)
    {
      EnrCustomerCommunication *communication = g_ptr_array_index (communications, i);

      if (g_strcmp0 (enr_customer_communication_get_channel (communication), "letter") == 0)
        g_ptr_array_add (letters, g_object_ref (communication));
    }

  return letters;
}

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
  digest_records (checksum, shown->letters);

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

  /* Communications count for the letters sent. */
  if (type == ENR_TYPE_CREW_SHIFT || type == ENR_TYPE_APPOINTMENT || type == ENR_TYPE_CREW ||
      type == ENR_TYPE_USER)
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

  _enr_customer_view_class_init_actions (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
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
  enr_widget_set_accessible_label (GTK_WIDGET (self), _("Customer View"));
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
  shown.letters = list_letters (self);

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

  _enr_customer_view_load_information (self, shown.customer, shown.services);
  _enr_customer_view_load_programs (self, &shown);
  _enr_customer_view_load_subscriptions (self, &shown);
  _enr_customer_view_load_appointments (self, &shown);
  _enr_customer_view_load_flows (self, &shown);

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

/* enr-window.c — the main window: customer search and the Customer View
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header bar holds the customer search (as you type, from the local
 * store: name, account, phone, email or address), the slot of the sync
 * indicator and the main menu. Down in the search entry moves into the
 * results, Enter opens the first (or the selected) customer, Escape goes
 * back. The window's size and the last customer are kept in GSettings.
 * win.show-help-overlay (Ctrl+?) opens the shortcuts window, built when
 * asked for and destroyed when closed (see show_help_overlay_action()).
 *
 * The results, the best ENR_WINDOW_SEARCH_RESULTS matches in the store's
 * order, are shown in a GtkListBox of rows made once and reused: each
 * keystroke hands every row its new customer (a row relabels itself only
 * when what it shows changes) and hides the rows left over. Nothing is
 * created, sorted or filtered on the GTK side per keystroke. A row
 * below the view draws nothing (enr-customer-row.c) until the view
 * scrolls or grows to it (on_results_view_changed_cb()). The last
 * row shown has the style class "last-shown" (what CSS's :last-child
 * cannot say with hidden rows after it). Up from the
 * first result goes back to the search entry, Escape in the results
 * clears the search.
 *
 * After Finish (EnrContext::flow-finished) the window showing that
 * customer says what was done and what was booked, and puts the focus
 * back in the search: the clerk's next customer is one search away. The
 * confirmation offers the customer's letter: Print Letter… (Ctrl+P,
 * main.print-letter) and Save Letter as PDF… (Ctrl+Shift+S,
 * main.save-letter), enabled while it shows.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-customer-row.h"
#include "enr-customer-view.h"
#include "enr-gui-utils.h"
#include "enr-letter.h"
#include "enr-letter-print.h"
#include "enr-monitor.h"
#include "enr-window.h"

struct _EnrWindow
{
  GtkApplicationWindow  parent_instance;

  GtkSearchEntry       *search_entry;
  GtkRevealer          *confirmation_revealer;
  GtkLabel             *confirmation_label;
  GtkWidget            *print_letter_button;
  GtkWidget            *save_letter_button;
  GtkBox               *sync_slot;
  GtkStack             *main_stack;
  GtkLabel             *results_label;
  GtkScrolledWindow    *results_scroller;
  GtkListBox           *results_list;
  EnrCustomerView      *customer_view;
  GtkToggleButton      *monitor_button;
  EnrMonitor           *monitor;
  /* Weak: the shortcuts window while it is open */
  GtkWindow            *shortcuts_window;

  /* The result rows, made as needed and then reused (owned by the list) */
  GPtrArray            *rows;
  guint                 n_results;
  /* The row marked .last-shown (the hidden rows after it keep CSS's
   * :last-child from matching it), if any */
  GtkWidget            *last_shown;

  EnrContext           *context;
  /* The task of the flow the confirmation tells about, for its letter */
  char                 *finished_task_id;

  /* Until the first frame is painted, then the store's read-ahead starts */
  GdkFrameClock        *first_frame_clock;
  gulong                first_frame_id;
  gboolean              first_frame_painted;
};

G_DEFINE_FINAL_TYPE (EnrWindow, enr_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_idle_page (EnrWindow *self)
{
  if (enr_customer_view_get_customer_id (self->customer_view) != NULL)
    gtk_stack_set_visible_child_name (self->main_stack, "customer");
  else
    gtk_stack_set_visible_child_name (self->main_stack, "empty");
}

/* The first @customers in the rows of the pool, in order; the rows left
 * over are hidden. */
static void
set_results (EnrWindow *self,
             GPtrArray *customers)
{
  guint n = customers != NULL ? MIN (customers->len, ENR_WINDOW_SEARCH_RESULTS) : 0;

  gtk_list_box_unselect_all (self->results_list);

  while (self->rows->len < n)
    {
      GtkWidget *row = enr_customer_row_new ();

      gtk_list_box_append (self->results_list, row);
      g_ptr_array_add (self->rows, row);
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      if (i < n)
        enr_customer_row_set_customer (ENR_CUSTOMER_ROW (row), g_ptr_array_index (customers, i));
      gtk_widget_set_visible (row, i < n);
    }

  self->n_results = n;

  /* Only when the number of results changes, which lays the list out
   * again anyway. */
  if (self->last_shown != (n > 0 ? g_ptr_array_index (self->rows, n - 1) : NULL))
    {
      if (self->last_shown != NULL)
        gtk_widget_remove_css_class (self->last_shown, "last-shown");
      self->last_shown = n > 0 ? g_ptr_array_index (self->rows, n - 1) : NULL;
      if (self->last_shown != NULL)
        gtk_widget_add_css_class (self->last_shown, "last-shown");
    }
}

/* The confirmation after Finish and its letter's actions. */
static void
show_confirmation (EnrWindow  *self,
                   const char *task_id)
{
  g_free (self->finished_task_id);
  self->finished_task_id = g_strdup (task_id);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.print-letter", task_id != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.save-letter", task_id != NULL);
  gtk_revealer_set_reveal_child (self->confirmation_revealer, task_id != NULL);
}

static void
on_confirmation_dismissed_cb (EnrWindow *self)
{
  show_confirmation (self, NULL);
}

static void
print_letter_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  EnrWindow *self = ENR_WINDOW (widget);

  if (self->finished_task_id != NULL)
    enr_letter_print (widget, self->context, self->finished_task_id);
}

static void
save_letter_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EnrWindow *self = ENR_WINDOW (widget);

  if (self->finished_task_id != NULL)
    enr_letter_save_pdf (widget, self->context, self->finished_task_id);
}

/* "Enrollment finished: Maria Gonzalez in Smart Thermostat Rewards", then
 * every appointment booked. */
static char *
describe_finished (EnrWindow      *self,
                   EnrProcessFlow *flow)
{
  EnrServiceTask *task = enr_process_flow_get_task (flow);
  g_autoptr(EnrCustomer) customer = enr_context_lookup (self->context, ENR_TYPE_CUSTOMER,
                                                        enr_service_task_get_customer_id (task));
  g_autoptr(EnrProgram) program = enr_context_lookup (self->context, ENR_TYPE_PROGRAM,
                                                      enr_service_task_get_program_id (task));
  const char *customer_name = customer ? enr_customer_get_name (customer) : enr_service_task_get_customer_id (task);
  const char *program_name = program ? enr_program_get_name (program) : enr_service_task_get_program_id (task);
  GPtrArray *appointments = enr_service_task_get_appointments (task);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *title = NULL;
  gboolean booked = FALSE;

  if (enr_service_task_get_kind (task) == ENR_TASK_KIND_UNENROLLMENT)
    /* Translators: after Finish, e.g. "Unenrollment finished: Maria Gonzalez from Smart Thermostat Rewards" */
    title = g_markup_printf_escaped (_("Unenrollment finished: %s from %s"), customer_name, program_name);
  else
    /* Translators: after Finish, e.g. "Enrollment finished: Maria Gonzalez in Smart Thermostat Rewards" */
    title = g_markup_printf_escaped (_("Enrollment finished: %s in %s"), customer_name, program_name);
  g_string_append_printf (text, "<b>%s</b>", title);

  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i);
      g_autoptr(EnrActivityType) activity_type = NULL;
      g_autoptr(EnrCrew) crew = NULL;
      g_autofree char *when = NULL;
      g_autofree char *line = NULL;

      if (enr_appointment_get_status (appointment) != ENR_APPOINTMENT_STATUS_BOOKED)
        continue;

      activity_type = enr_context_lookup (self->context, ENR_TYPE_ACTIVITY_TYPE,
                                          enr_appointment_get_activity_type_id (appointment));
      crew = enr_context_lookup (self->context, ENR_TYPE_CREW, enr_appointment_get_crew_id (appointment));
      when = enr_format_appointment (enr_appointment_get_start (appointment), enr_appointment_get_end (appointment),
                                     crew ? enr_crew_get_name (crew) : enr_appointment_get_crew_id (appointment));
      /* Translators: an appointment booked, e.g.
       * "Install smart thermostat: Mon, 1 Jun 2026, 08:00 – 09:30, North Day Crew A" */
      line = g_markup_printf_escaped (_("%s: %s"),
                                      activity_type ? enr_activity_type_get_name (activity_type)
                                                    : enr_appointment_get_activity_type_id (appointment),
                                      when);
      g_string_append_printf (text, "\n%s", line);
      booked = TRUE;
    }

  if (!booked)
    g_string_append_printf (text, "\n%s", _("No appointment was needed."));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_flow_finished_cb (EnrWindow      *self,
                     EnrProcessFlow *flow)
{
  EnrServiceTask *task = enr_process_flow_get_task (flow);
  g_autofree char *text = NULL;

  if (task == NULL ||
      g_strcmp0 (enr_customer_view_get_customer_id (self->customer_view), enr_service_task_get_customer_id (task)) != 0)
    return;

  text = describe_finished (self, flow);
  gtk_label_set_markup (self->confirmation_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->confirmation_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (self->confirmation_label),
                                  -1);
  show_confirmation (self, enr_letter_is_for_task (task) ? enr_entity_get_id (ENR_ENTITY (task)) : NULL);
  gtk_revealer_set_reveal_child (self->confirmation_revealer, TRUE);
  enr_window_focus_search (self);
}

static void
on_search_changed_cb (EnrWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (stripped[0] == '\0')
    {
      set_results (self, NULL);
      show_idle_page (self);
      return;
    }

  /* One more than shown: whether there are more. */
  customers = enr_context_search_customers (self->context, stripped, ENR_WINDOW_SEARCH_RESULTS + 1, &error);
  if (customers == NULL)
    {
      g_warning ("Customer search failed: %s", error->message);
      customers = g_ptr_array_new_with_free_func (g_object_unref);
    }

  set_results (self, customers);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->results_scroller), 0);

  if (customers->len > ENR_WINDOW_SEARCH_RESULTS)
    /* Translators: the heading of the search results when more customers match than are shown */
    heading = g_strdup_printf (_("The best %u matches — type more to narrow the search"), self->n_results);
  else
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u customer", "%u customers", self->n_results),
                               self->n_results);
  gtk_label_set_text (self->results_label, heading);

  /* At once: no crossfade frames between a keystroke and its results. */
  gtk_stack_set_visible_child_full (self->main_stack, "results", GTK_STACK_TRANSITION_TYPE_NONE);
}

/* The view of the results scrolled or changed size: the rows that were
 * outside it and drew nothing draw now. */
static void
on_results_view_changed_cb (EnrWindow *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    enr_customer_row_redraw_unseen (g_ptr_array_index (self->rows, i));
}

static GtkListBoxRow *
first_result (EnrWindow *self)
{
  return self->n_results > 0 ? g_ptr_array_index (self->rows, 0) : NULL;
}

static void
open_row (EnrWindow     *self,
          GtkListBoxRow *row)
{
  EnrCustomer *customer;

  if (!ENR_IS_CUSTOMER_ROW (row) || !gtk_widget_get_visible (GTK_WIDGET (row)))
    return;

  customer = enr_customer_row_get_customer (ENR_CUSTOMER_ROW (row));
  if (customer != NULL)
    enr_window_show_customer (self, enr_entity_get_id (ENR_ENTITY (customer)));
}

static void
on_search_activate_cb (EnrWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->results_list);

  if (row == NULL)
    row = first_result (self);

  if (row != NULL)
    open_row (self, row);
}

static void
on_search_stopped_cb (EnrWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  show_idle_page (self);
}

static void
on_result_activated_cb (EnrWindow     *self,
                        GtkListBoxRow *row)
{
  open_row (self, row);
}

/* Down in the search entry selects and focuses the first result. */
static gboolean
on_search_key_pressed_cb (EnrWindow             *self,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          GtkEventControllerKey *controller)
{
  GtkListBoxRow *row;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return GDK_EVENT_PROPAGATE;

  row = first_result (self);
  if (row == NULL || !gtk_widget_get_mapped (GTK_WIDGET (row)))
    return GDK_EVENT_PROPAGATE;

  gtk_list_box_select_row (self->results_list, row);
  gtk_widget_grab_focus (GTK_WIDGET (row));
  return GDK_EVENT_STOP;
}

/* Escape in the results closes them, back to an empty search. */
static gboolean
on_results_key_pressed_cb (EnrWindow             *self,
                           guint                  keyval,
                           guint                  keycode,
                           GdkModifierType        state,
                           GtkEventControllerKey *controller)
{
  if (keyval != GDK_KEY_Escape)
    return GDK_EVENT_PROPAGATE;

  on_search_stopped_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return GDK_EVENT_STOP;
}

/* Up from the first result goes back to the search entry. */
static gboolean
on_results_keynav_failed_cb (EnrWindow        *self,
                             GtkDirectionType  direction)
{
  if (direction != GTK_DIR_UP)
    return FALSE;

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

/* Process Flows: a page of the stack for supervisors, shown while its
 * header button is down; any other page lifts the button. */
static void
on_monitor_toggled_cb (EnrWindow *self)
{
  const char *visible = gtk_stack_get_visible_child_name (self->main_stack);

  if (gtk_toggle_button_get_active (self->monitor_button))
    {
      gtk_stack_set_visible_child_name (self->main_stack, "monitor");
      gtk_widget_grab_focus (enr_monitor_get_column_view (self->monitor));
    }
  else if (g_strcmp0 (visible, "monitor") == 0)
    show_idle_page (self);
}

static void
on_main_stack_changed_cb (EnrWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "monitor") != 0)
    gtk_toggle_button_set_active (self->monitor_button, FALSE);
}

static void
on_monitor_available_cb (EnrWindow *self)
{
  gboolean available = enr_monitor_get_available (self->monitor);

  gtk_widget_set_visible (GTK_WIDGET (self->monitor_button), available);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "main.process-flows", available);
  if (!available)
    gtk_toggle_button_set_active (self->monitor_button, FALSE);
  else if (self->first_frame_painted)
    enr_store_read_ahead (enr_context_get_store (self->context), ENR_STORE_READ_AHEAD_TASKS);
}

/* After the first frame (never before it): the store reads what the
 * views will read into the page cache, on a thread of its own, the task
 * list's first for a supervisor (Process Flows), then the search's. */
static void
on_first_frame_cb (GdkFrameClock *clock,
                   EnrWindow     *self)
{
  EnrStore *store = enr_context_get_store (self->context);

  g_clear_signal_handler (&self->first_frame_id, self->first_frame_clock);
  self->first_frame_clock = NULL;
  self->first_frame_painted = TRUE;

  if (enr_monitor_get_available (self->monitor))
    enr_store_read_ahead (store, ENR_STORE_READ_AHEAD_TASKS);
  enr_store_read_ahead (store, ENR_STORE_READ_AHEAD_SEARCH);
}

static void
enr_window_realize (GtkWidget *widget)
{
  EnrWindow *self = ENR_WINDOW (widget);

  GTK_WIDGET_CLASS (enr_window_parent_class)->realize (widget);

  if (!self->first_frame_painted && self->first_frame_id == 0)
    {
      self->first_frame_clock = gtk_widget_get_frame_clock (widget);
      self->first_frame_id = g_signal_connect (self->first_frame_clock, "after-paint",
                                               G_CALLBACK (on_first_frame_cb), self);
    }
}

static void
enr_window_unrealize (GtkWidget *widget)
{
  EnrWindow *self = ENR_WINDOW (widget);

  if (self->first_frame_id != 0)
    g_clear_signal_handler (&self->first_frame_id, self->first_frame_clock);
  self->first_frame_clock = NULL;

  GTK_WIDGET_CLASS (enr_window_parent_class)->unrealize (widget);
}

static void
process_flows_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  EnrWindow *self = ENR_WINDOW (widget);

  gtk_toggle_button_set_active (self->monitor_button, !gtk_toggle_button_get_active (self->monitor_button));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  enr_window_focus_search (ENR_WINDOW (widget));
}

/* GtkApplication would load gtk/help-overlay.ui for every main window and
 * keep the shortcuts window hidden until asked for, and hidden again once
 * closed. GTK 4.8.3's AT-SPI root answers a screen reader's
 * GetChildAtIndex past the visible windows (asked after a window went
 * away since the reader counted them, as the sign-in dialog does after
 * Sign In) with the last toplevel, visible or not; a hidden window has no
 * object path, and the reply built with NULL crashes the client
 * (gtkatspiroot.c, handle_accessible_method). So no window of ours stays
 * hidden: this one exists only while it is shown. */
static void
show_help_overlay_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  EnrWindow *self = user_data;
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  if (self->shortcuts_window != NULL)
    {
      gtk_window_present (self->shortcuts_window);
      return;
    }

  builder = gtk_builder_new_from_resource ("/io/github/enrollmentdesk/EnrollmentDesk/ui/enr-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (shortcuts, TRUE);
  gtk_window_set_hide_on_close (shortcuts, FALSE);

  self->shortcuts_window = shortcuts;
  g_object_add_weak_pointer (G_OBJECT (shortcuts), (gpointer *) &self->shortcuts_window);
  gtk_window_present (shortcuts);
}

static void
save_window_state (EnrWindow *self)
{
  GSettings *settings = enr_context_get_settings (self->context);
  int width, height;

  if (settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width >= 360 && height >= 360)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
}

static gboolean
enr_window_close_request (GtkWindow *window)
{
  save_window_state (ENR_WINDOW (window));

  return GTK_WINDOW_CLASS (enr_window_parent_class)->close_request (window);
}

static void
enr_window_constructed (GObject *object)
{
  EnrWindow *self = (EnrWindow *) object;
  GSettings *settings;

  G_OBJECT_CLASS (enr_window_parent_class)->constructed (object);

  g_assert (ENR_IS_CONTEXT (self->context));

  enr_customer_view_set_context (self->customer_view, self->context);
  g_signal_connect_object (self->context, "flow-finished", G_CALLBACK (on_flow_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "notify::available", G_CALLBACK (on_monitor_available_cb), self,
                           G_CONNECT_SWAPPED);
  enr_monitor_set_context (self->monitor, self->context);
  on_monitor_available_cb (self);

  settings = enr_context_get_settings (self->context);
  if (settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (settings, "last-customer");

      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));

      if (last[0] != '\0')
        {
          g_autoptr(EnrCustomer) customer = enr_context_lookup (self->context, ENR_TYPE_CUSTOMER, last);

          if (customer != NULL)
            enr_window_show_customer (self, last);
        }
    }
}

static void
enr_window_dispose (GObject *object)
{
  EnrWindow *self = (EnrWindow *) object;

  if (self->shortcuts_window != NULL)
    {
      GtkWindow *shortcuts = self->shortcuts_window;

      g_object_remove_weak_pointer (G_OBJECT (shortcuts), (gpointer *) &self->shortcuts_window);
      self->shortcuts_window = NULL;
      gtk_window_destroy (shortcuts);
    }

  /* The stack is the window's child: GtkWindow must let go of it first. */
  gtk_window_set_child (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_WINDOW);
  g_clear_pointer (&((EnrWindow *) object)->rows, g_ptr_array_unref);
  ((EnrWindow *) object)->last_shown = NULL;

  G_OBJECT_CLASS (enr_window_parent_class)->dispose (object);
}

static void
enr_window_finalize (GObject *object)
{
  EnrWindow *self = (EnrWindow *) object;

  g_clear_object (&self->context);
  g_clear_pointer (&self->finished_task_id, g_free);

  G_OBJECT_CLASS (enr_window_parent_class)->finalize (object);
}

static void
enr_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EnrWindow *self = ENR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  EnrWindow *self = ENR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_window_class_init (EnrWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = enr_window_constructed;
  object_class->dispose = enr_window_dispose;
  object_class->finalize = enr_window_finalize;
  object_class->get_property = enr_window_get_property;
  object_class->set_property = enr_window_set_property;

  window_class->close_request = enr_window_close_request;
  widget_class->realize = enr_window_realize;
  widget_class->unrealize = enr_window_unrealize;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ENR_TYPE_CONTEXT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ENR_TYPE_MONITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/enr-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, sync_slot);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, confirmation_revealer);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, confirmation_label);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, print_letter_button);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, save_letter_button);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, results_label);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, results_scroller);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, results_list);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, customer_view);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, monitor_button);
  gtk_widget_class_bind_template_child (widget_class, EnrWindow, monitor);
  gtk_widget_class_bind_template_callback (widget_class, on_monitor_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_confirmation_dismissed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stopped_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_result_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_results_keynav_failed_cb);

  gtk_widget_class_install_action (widget_class, "main.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "main.search", NULL);
  gtk_widget_class_install_action (widget_class, "main.process-flows", NULL, process_flows_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_P, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "main.process-flows", NULL);
  gtk_widget_class_install_action (widget_class, "main.print-letter", NULL, print_letter_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "main.print-letter", NULL);
  gtk_widget_class_install_action (widget_class, "main.save-letter", NULL, save_letter_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "main.save-letter", NULL);
}

static void
enr_window_init (EnrWindow *self)
{
  static const GActionEntry win_entries[] = {
    { "show-help-overlay", show_help_overlay_action },
  };
  GtkEventController *controller;
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries), self);
  show_confirmation (self, NULL);

  self->rows = g_ptr_array_sized_new (ENR_WINDOW_SEARCH_RESULTS);
  adjustment = gtk_scrolled_window_get_vadjustment (self->results_scroller);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_results_view_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (on_results_view_changed_cb), self,
                           G_CONNECT_SWAPPED);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_results_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->results_list), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_search_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), controller);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->main_stack));
  enr_button_set_accessible_name (GTK_WIDGET (self->monitor_button));
  enr_button_set_accessible_name (self->print_letter_button);
  enr_button_set_accessible_name (self->save_letter_button);
  g_signal_connect_object (self->main_stack, "notify::visible-child-name",
                           G_CALLBACK (on_main_stack_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * enr_window_new:
 * @application: (nullable): the application
 */
EnrWindow *
enr_window_new (GtkApplication *application,
                EnrContext     *context)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);

  return g_object_new (ENR_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

EnrContext *
enr_window_get_context (EnrWindow *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW (self), NULL);

  return self->context;
}

void
enr_window_focus_search (EnrWindow *self)
{
  g_return_if_fail (ENR_IS_WINDOW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

void
enr_window_show_customer (EnrWindow  *self,
                          const char *customer_id)
{
  GSettings *settings;

  g_return_if_fail (ENR_IS_WINDOW (self));
  g_return_if_fail (customer_id != NULL);

  if (g_strcmp0 (enr_customer_view_get_customer_id (self->customer_view), customer_id) != 0)
    show_confirmation (self, NULL);
  enr_customer_view_set_customer_id (self->customer_view, customer_id);
  enr_customer_view_reload (self->customer_view);
  gtk_stack_set_visible_child_name (self->main_stack, "customer");

  settings = enr_context_get_settings (self->context);
  if (settings != NULL)
    g_settings_set_string (settings, "last-customer", customer_id);

  enr_customer_view_focus_first_action (self->customer_view);
}

GtkWidget *
enr_window_get_search_entry (EnrWindow *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->search_entry);
}

/**
 * enr_window_get_results_list:
 *
 * Returns: (transfer none): the search results, a #GtkListBox of
 *   #EnrCustomerRow; only its first visible rows show results, the
 *   others are kept hidden for the next search
 */
GtkWidget *
enr_window_get_results_list (EnrWindow *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->results_list);
}

/**
 * enr_window_get_confirmation:
 *
 * Returns: (transfer none): the label saying what the last Finish did;
 *   its revealer is shown while there is something to say
 */
GtkWidget *
enr_window_get_confirmation (EnrWindow *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->confirmation_label);
}

GtkWidget *
enr_window_get_customer_view (EnrWindow *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->customer_view);
}

/**
 * enr_window_get_monitor:
 *
 * Returns: (transfer none): the Process Flows view (an #EnrMonitor)
 */
GtkWidget *
enr_window_get_monitor (EnrWindow *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->monitor);
}

/**
 * enr_window_get_sync_slot:
 *
 * Returns: (transfer none): the header bar box where the sync layer puts
 *   its indicator
 */
GtkBox *
enr_window_get_sync_slot (EnrWindow *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW (self), NULL);

  return self->sync_slot;
}

/* test-monitor.c — the supervisors' Process Flows view through its widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test fills a temporary client store from data/sample, adds seven
 * service tasks (statuses, kinds, programs, clerks and ages chosen so that
 * every filter gives a different answer), opens the main window as a
 * supervisor (or a clerk) and works the view as a person would: filter
 * widgets, column sorting, the action buttons and their dialogs, the
 * dashboard's charts. Every maintenance action runs offline and is
 * checked in the outbox (kind, path, body) and in the store. The main
 * loop is only iterated by wait_until(), which fails after a bounded time.
 *
 * Runs under a display (xvfb-run) with GSETTINGS_BACKEND=memory and
 * GTK_A11Y=test.
 */

#include "config.h"

#include <gtk/gtk.h>

#include "enr-assistant.h"
#include "enr-cancel-task-dialog.h"
#include "enr-conflict-dialog.h"
#include "enr-context.h"
#include "enr-dashboard.h"
#include "enr-date-entry.h"
#include "enr-gui-utils.h"
#include "enr-monitor.h"
#include "enr-monitor-actions.h"
#include "enr-outbox.h"
#include "enr-reschedule-dialog.h"
#include "enr-store-private.h"
#include "enr-task-export.h"
#include "enr-task-history.h"
#include "enr-task-stats.h"
#include "enr-window.h"
#include "enr-window-model.h"
#include "ui-test-util.h"

typedef struct
{
  char       *directory;
  char       *store_path;
  EnrStore   *store;
  GSettings  *settings;
  EnrContext *context;
  GDate       today;
  gint64      now;
} Fixture;

/* Finding widgets */

/* A row of @list whose accessible name contains @text. */
static gboolean
list_has_row (GtkWidget  *list,
              const char *text)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;
      if (find_widget (row, label_text_contains, text) != NULL)
        return TRUE;
    }

  return FALSE;
}

static guint
list_n_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    n += GTK_IS_LIST_BOX_ROW (row);

  return n;
}

/* Acting */

/* A primary click at (x, y) of @widget, as its GtkGestureClick reports it. */
static void
click_at (GtkWidget *widget,
          double     x,
          double     y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean clicked = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !clicked; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        {
          g_signal_emit_by_name (controller, "pressed", 1, x, y);
          clicked = TRUE;
        }
    }

  g_assert_true (clicked);
}

/* Fixture: the sample data and the seven tasks of tests/client */

static GDateTime *
ago (Fixture *fixture,
     gint64   seconds)
{
  return g_date_time_new_from_unix_utc (fixture->now - seconds);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("enr-monitor-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->directory, "store.db", NULL);
  fixture->settings = g_settings_new (APP_ID);
  g_settings_set_string (fixture->settings, "last-customer", "");
  fixture->now = g_get_real_time () / G_USEC_PER_SEC;

  /* Slots and transitions on a fixed Monday; ages against the real time,
   * as the list's age filter measures them. */
  client_set_test_today (&fixture->today);

  fixture->store = enr_store_new (fixture->store_path, NULL, &error);
  g_assert_no_error (error);
  fixture->context = enr_context_new (fixture->store, fixture->settings);
  enr_context_set_today (fixture->context, &fixture->today);
  enr_context_set_username (fixture->context, "supervisor");
  enr_context_set_role (fixture->context, ENR_ROLE_SUPERVISOR);

  client_import_sample (fixture->store, &fixture->today);

  client_add_supervisor_tasks (fixture->store, fixture->now);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  destroy_toplevels ();
  g_clear_object (&fixture->context);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->settings);
  client_remove_directory (fixture->directory);

  g_clear_pointer (&fixture->store_path, g_free);
  g_clear_pointer (&fixture->directory, g_free);
}

/* Helpers for the view */

static gboolean
stats_settled (gpointer data)
{
  EnrDashboard *dashboard = data;

  return enr_dashboard_get_stats (dashboard) != NULL && !enr_dashboard_get_loading (dashboard);
}

static EnrWindow *
open_window (Fixture *fixture)
{
  EnrWindow *window = enr_window_new (NULL, fixture->context);

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);
  return window;
}

/* The window's Process Flows, shown with its header button. */
static EnrMonitor *
open_monitor (Fixture *fixture)
{
  EnrWindow *window = open_window (fixture);
  EnrMonitor *monitor = ENR_MONITOR (enr_window_get_monitor (window));

  press (find_button (window, "Process Flows"));
  wait_until (is_mapped, monitor);
  wait_until (stats_settled, enr_monitor_get_dashboard (monitor));
  return monitor;
}

static guint
n_rows (EnrMonitor *monitor)
{
  return g_list_model_get_n_items (G_LIST_MODEL (enr_monitor_get_model (monitor)));
}

/* The ids of the listed tasks, in order, joined by spaces. */
static char *
listed_ids (EnrMonitor *monitor)
{
  GListModel *model = G_LIST_MODEL (enr_monitor_get_model (monitor));
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EnrServiceTask) task = g_list_model_get_item (model, i);

      g_string_append_printf (ids, "%s%s", ids->len > 0 ? " " : "", enr_entity_get_id (ENR_ENTITY (task)));
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static const char *
count_text (EnrMonitor *monitor)
{
  return gtk_label_get_text (GTK_LABEL (enr_monitor_get_count_label (monitor)));
}

static gboolean
count_settled (gpointer data)
{
  EnrMonitor *monitor = data;

  return stats_settled (enr_monitor_get_dashboard (monitor)) &&
         g_str_has_suffix (count_text (monitor), " process flows");
}

static GtkWidget *
status_check (EnrMonitor *monitor,
              const char *status)
{
  GtkWidget *button = find_by_label (monitor, "Filter by Status");
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  GtkWidget *box = gtk_popover_get_child (popover);

  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_CHECK_BUTTON (child) &&
        g_str_equal (gtk_check_button_get_label (GTK_CHECK_BUTTON (child)), status))
      return child;

  g_error ("No status “%s” in the status filter", status);
}

static GPtrArray *
pending_operations (Fixture          *fixture,
                    EnrOperationKind  kind)
{
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *matching = g_ptr_array_new_with_free_func (g_object_unref);

  operations = enr_outbox_list (enr_store_get_outbox (fixture->store), ENR_OPERATION_STATE_PENDING, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < operations->len; i++)
    if (enr_operation_get_kind (g_ptr_array_index (operations, i)) == kind)
      g_ptr_array_add (matching, g_object_ref (g_ptr_array_index (operations, i)));

  return matching;
}

typedef struct
{
  Fixture          *fixture;
  EnrOperationKind  kind;
} OperationWait;

static gboolean
operation_queued (gpointer data)
{
  OperationWait *wait = data;
  g_autoptr(GPtrArray) operations = pending_operations (wait->fixture, wait->kind);

  return operations->len > 0;
}

static gboolean
conflict_button_shown (gpointer monitor)
{
  GtkWidget *button = find_widget (monitor, match_button, "1 Conflict");

  return button != NULL && gtk_widget_get_visible (button);
}

static gboolean
is_hidden (gpointer widget)
{
  return !gtk_widget_get_visible (widget);
}

static EnrTaskTransition *
last_transition (EnrServiceTask *task)
{
  GPtrArray *history = enr_service_task_get_history (task);

  g_assert_cmpuint (history->len, >, 0);
  return g_ptr_array_index (history, history->len - 1);
}

/* Tests */

static void
test_clerk_does_not_get_the_view (Fixture       *fixture,
                                  gconstpointer  data)
{
  EnrWindow *window;
  EnrMonitor *monitor;
  GtkWidget *button;

  enr_context_set_role (fixture->context, ENR_ROLE_CLERK);
  enr_context_set_username (fixture->context, "clerk");
  window = open_window (fixture);
  monitor = ENR_MONITOR (enr_window_get_monitor (window));

  /* No button, no menu item, no shortcut, no data read. */
  g_assert_null (find_widget (GTK_WIDGET (window), match_button, "Process Flows"));
  gtk_widget_activate_action (GTK_WIDGET (window), "main.process-flows", NULL);
  gtk_widget_activate_action (GTK_WIDGET (monitor), "monitor.export", NULL);
  wait_for_pending_work ();
  g_assert_false (is_mapped (monitor));
  g_assert_null (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  g_assert_false (enr_monitor_get_available (monitor));
  g_assert_null (enr_monitor_get_model (monitor));
  g_assert_null (enr_dashboard_get_stats (ENR_DASHBOARD (enr_monitor_get_dashboard (monitor))));
  screenshot (GTK_WIDGET (window), "monitor-clerk");

  /* A supervisor signs in: the view appears; a clerk again: it goes. */
  enr_context_set_role (fixture->context, ENR_ROLE_SUPERVISOR);
  button = find_button (window, "Process Flows");
  press (button);
  wait_until (is_mapped, monitor);
  g_assert_true (enr_monitor_get_available (monitor));
  g_assert_cmpuint (n_rows (monitor), ==, 7);

  /* The stack cross-fades away from it: wait for the end. */
  enr_context_set_role (fixture->context, ENR_ROLE_CLERK);
  wait_until (is_unmapped, monitor);
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_null (enr_monitor_get_model (monitor));
  g_assert_null (enr_monitor_get_selected_task_id (monitor));
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  GtkWidget *customer = find_by_label (monitor, "Filter by Customer");
  g_autofree char *ids = NULL;

  wait_until (count_settled, monitor);
  g_assert_cmpstr (count_text (monitor), ==, "7 of 7 process flows");
  screenshot (gtk_widget_get_ancestor (GTK_WIDGET (monitor), GTK_TYPE_WINDOW), "monitor");

  /* Status: one, then two. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (status_check (monitor, "In Progress")), TRUE);
  g_assert_cmpuint (n_rows (monitor), ==, 2);
  g_assert_cmpstr (count_text (monitor), ==, "2 of 7 process flows");
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (find_by_label (monitor, "Filter by Status"))),
                   ==, "In Progress");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (status_check (monitor, "Pending")), TRUE);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0002 task-m-0001 task-m-0005");
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (find_by_label (monitor, "Filter by Status"))),
                   ==, "2 Statuses");
  enr_monitor_clear_filters (monitor);
  g_assert_cmpuint (n_rows (monitor), ==, 7);
  g_assert_cmpstr (count_text (monitor), ==, "7 of 7 process flows");

  /* Kind. */
  select_item (find_by_label (monitor, "Filter by Kind"), "Unenrollment");
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0006 task-m-0003");
  g_assert_cmpstr (count_text (monitor), ==, "2 of 7 process flows");
  select_item (find_by_label (monitor, "Filter by Kind"), "All Kinds");

  /* Program. */
  select_item (find_by_label (monitor, "Filter by Program"), "Smart Thermostat Rewards");
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0002 task-m-0001 task-m-0006");
  select_item (find_by_label (monitor, "Filter by Program"), "All Programs");

  /* Clerk. */
  select_item (find_by_label (monitor, "Filter by Clerk"), "Alex Rivera (alex)");
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0002 task-m-0005 task-m-0004");
  select_item (find_by_label (monitor, "Filter by Clerk"), "All Clerks");

  /* Age: each bucket. */
  select_item (find_by_label (monitor, "Filter by Age"), "Under 1 day");
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0002");
  select_item (find_by_label (monitor, "Filter by Age"), "1–3 days");
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0001");
  select_item (find_by_label (monitor, "Filter by Age"), "3–7 days");
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0006");
  select_item (find_by_label (monitor, "Filter by Age"), "7–14 days");
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0007 task-m-0003");
  select_item (find_by_label (monitor, "Filter by Age"), "Over 14 days");
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0005 task-m-0004");
  select_item (find_by_label (monitor, "Filter by Age"), "Any Age");

  /* Customer text (name, through the full-text index), with a status. */
  gtk_editable_set_text (GTK_EDITABLE (customer), "Gonzalez");
  g_signal_emit_by_name (customer, "search-changed");
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0001 task-m-0004");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (status_check (monitor, "Completed")), TRUE);
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0004");
  g_assert_cmpstr (count_text (monitor), ==, "1 of 7 process flows");

  /* Nothing matches: the count says so. */
  gtk_editable_set_text (GTK_EDITABLE (customer), "Nobody Byname");
  g_signal_emit_by_name (customer, "search-changed");
  g_assert_cmpuint (n_rows (monitor), ==, 0);
  g_assert_cmpstr (count_text (monitor), ==, "0 of 7 process flows");

  press (find_by_label (monitor, "Clear Filters"));
  g_assert_cmpuint (n_rows (monitor), ==, 7);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (customer)), ==, "");
}

/* Selection: the highlighted row and the side pane always show the same
 * task, or nothing. */

typedef struct
{
  EnrMonitor *monitor;
  const char *task_id;   /* NULL: nothing selected */
} Shown;

static const char *
highlighted_task_id (EnrMonitor *monitor)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (enr_monitor_get_column_view (monitor)));
  guint position = gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (selection));
  g_autoptr(EnrWindowRow) row = NULL;

  if (position == GTK_INVALID_LIST_POSITION)
    return NULL;

  row = g_list_model_get_item (G_LIST_MODEL (selection), position);
  return enr_entity_get_id (ENR_ENTITY (enr_window_row_get_item (row)));
}

static gboolean
shows_task (gpointer data)
{
  Shown *shown = data;
  EnrMonitor *monitor = shown->monitor;
  GtkWidget *details = enr_monitor_get_details (monitor);
  EnrContext *context = enr_monitor_get_context (monitor);
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrCustomer) customer = NULL;

  if (g_strcmp0 (highlighted_task_id (monitor), shown->task_id) != 0 ||
      g_strcmp0 (enr_monitor_get_selected_task_id (monitor), shown->task_id) != 0)
    return FALSE;

  /* Nothing selected: no pane, so no Cancel Task… for the wrong task. */
  if (shown->task_id == NULL)
    return !gtk_widget_get_mapped (details);

  task = enr_context_lookup (context, ENR_TYPE_SERVICE_TASK, shown->task_id);
  customer = enr_context_lookup (context, ENR_TYPE_CUSTOMER, enr_service_task_get_customer_id (task));
  return gtk_widget_get_mapped (details) &&
         shows_text (details, enr_customer_get_name (customer)) &&
         shows_text (details, enr_task_status_label (enr_service_task_get_status (task)));
}

static void
assert_shows (EnrMonitor *monitor,
              const char *task_id)
{
  Shown shown = { monitor, task_id };

  if (!wait_until_impl (shows_task, &shown, "shows_task", ui_test_timeout_us))
    g_error ("The list highlights %s, the selected task is %s and the side pane is %s; expected %s",
             enr_or_dash (highlighted_task_id (monitor)), enr_or_dash (enr_monitor_get_selected_task_id (monitor)),
             gtk_widget_get_mapped (enr_monitor_get_details (monitor)) ? "shown" : "empty", enr_or_dash (task_id));
}

static void
put_task (Fixture        *fixture,
          EnrServiceTask *task)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
  g_autofree char *json = enr_codec_encode_string (task);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (changes, enr_store_change_new (ENR_TYPE_SERVICE_TASK,
                                                  enr_entity_get_id (ENR_ENTITY (task)), json));
  g_assert_true (enr_store_apply_changes (fixture->store, changes, "43", &error));
  g_assert_no_error (error);
}

static void
test_selection_follows_the_task (Fixture       *fixture,
                                 gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  GtkColumnView *view = GTK_COLUMN_VIEW (enr_monitor_get_column_view (monitor));
  g_autoptr(EnrServiceTask) newer = NULL;
  g_autoptr(EnrServiceTask) done = NULL;

  /* A completed task, then Pending only: it is not listed, so nothing is
   * selected and the pane is empty. */
  select_row (monitor, "task-m-0004");
  assert_shows (monitor, "task-m-0004");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (status_check (monitor, "Pending")), TRUE);
  assert_shows (monitor, NULL);
  enr_monitor_clear_filters (monitor);
  assert_shows (monitor, NULL);

  /* The same when its row is still there, showing another task: the
   * newest, then Unenrollment only (two rows). */
  select_row (monitor, "task-m-0002");
  assert_shows (monitor, "task-m-0002");
  select_item (find_by_label (monitor, "Filter by Kind"), "Unenrollment");
  g_assert_cmpuint (n_rows (monitor), ==, 2);
  assert_shows (monitor, NULL);
  enr_monitor_clear_filters (monitor);
  assert_shows (monitor, NULL);

  /* A task still listed after a filter stays selected, at its new row. */
  select_row (monitor, "task-m-0001");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (status_check (monitor, "In Progress")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (status_check (monitor, "Pending")), TRUE);
  assert_shows (monitor, "task-m-0001");

  /* A sort moves it: the selection follows. */
  gtk_column_view_sort_by_column (view, enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_STATUS),
                                  GTK_SORT_DESCENDING);
  assert_shows (monitor, "task-m-0001");
  enr_monitor_clear_filters (monitor);
  assert_shows (monitor, "task-m-0001");

  /* A background sync adds a task before it, then changes another. */
  newer = client_make_task (fixture->now, "task-m-0010", "cust-0005", "prog-tstat",
                            ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_IN_PROGRESS, "alex", HOUR);
  put_task (fixture, newer);
  g_assert_cmpuint (n_rows (monitor), ==, 8);
  assert_shows (monitor, "task-m-0001");
  done = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0005");
  enr_service_task_set_status (done, ENR_TASK_STATUS_COMPLETED);
  put_task (fixture, done);
  assert_shows (monitor, "task-m-0001");

  /* A sync takes the selected task out of the filter: nothing selected. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (status_check (monitor, "In Progress")), TRUE);
  assert_shows (monitor, "task-m-0001");
  g_clear_object (&done);
  done = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0001");
  enr_service_task_set_status (done, ENR_TASK_STATUS_COMPLETED);
  put_task (fixture, done);
  assert_shows (monitor, NULL);
}

/* Wait condition: the columns shown fit the list's width, none cut off. */
static gboolean
columns_fit (gpointer data)
{
  EnrMonitor *monitor = data;
  GtkWidget *view = enr_monitor_get_column_view (monitor);
  GtkAdjustment *adjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (view));
  int total = 0;

  for (guint i = 0; i < ENR_MONITOR_N_COLUMNS; i++)
    {
      GtkColumnViewColumn *column = enr_monitor_get_column (monitor, i);

      if (gtk_column_view_column_get_visible (column))
        total += gtk_column_view_column_get_fixed_width (column);
    }

  return gtk_adjustment_get_page_size (adjustment) > 0 &&
         total <= gtk_adjustment_get_page_size (adjustment) &&
         gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment);
}

static gboolean
column_visible (EnrMonitor       *monitor,
                EnrMonitorColumn  column)
{
  return gtk_column_view_column_get_visible (enr_monitor_get_column (monitor, column));
}

static gboolean
kind_visible (gpointer data)
{
  return column_visible (data, ENR_MONITOR_COLUMN_KIND);
}

/* The view at the window's default size (1100×760), a task selected:
 * the columns shown fit (the least needed left out), the customer's name
 * titles the side pane; the Dashboard button hides the charts, and the
 * choice is kept. */
static void
test_default_size (Fixture       *fixture,
                   gconstpointer  data)
{
  EnrWindow *window = enr_window_new (NULL, fixture->context);
  EnrMonitor *monitor = ENR_MONITOR (enr_window_get_monitor (window));
  GtkWidget *dashboard = enr_monitor_get_dashboard (monitor);

  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, ==, 1100);
    g_assert_cmpint (height, ==, 760);
  }
  press (find_button (window, "Process Flows"));
  wait_until (is_mapped, monitor);
  wait_until (count_settled, monitor);
  select_row (monitor, "task-m-0001");
  assert_shows (monitor, "task-m-0001");

  wait_until (columns_fit, monitor);
  g_assert_true (column_visible (monitor, ENR_MONITOR_COLUMN_CUSTOMER));
  g_assert_true (column_visible (monitor, ENR_MONITOR_COLUMN_PROGRAM));
  g_assert_true (column_visible (monitor, ENR_MONITOR_COLUMN_STATUS));
  g_assert_true (column_visible (monitor, ENR_MONITOR_COLUMN_APPOINTMENT));
  g_assert_false (column_visible (monitor, ENR_MONITOR_COLUMN_CREATED_AT));
  g_assert_true (shows_text (enr_monitor_get_details (monitor), "Enrollment · task-m-0001"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_widget (enr_monitor_get_details (monitor),
                                                               label_text_contains, "Maria Gonzalez"))),
                   ==, "Maria Gonzalez");
  g_assert_true (shows_text (monitor, "Any Status"));
  screenshot (GTK_WIDGET (window), "monitor-1100x760");

  /* Wider (the whole test screen): Kind comes back. */
  g_assert_false (column_visible (monitor, ENR_MONITOR_COLUMN_KIND));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  wait_until (kind_visible, monitor);
  wait_until (columns_fit, monitor);

  /* The charts folded away, and kept so. */
  g_assert_true (g_settings_get_boolean (fixture->settings, "show-dashboard"));
  press (find_button (monitor, "Dashboard"));
  wait_until (is_unmapped, dashboard);
  g_assert_false (g_settings_get_boolean (fixture->settings, "show-dashboard"));
  g_settings_reset (fixture->settings, "show-dashboard");
}

static void
test_sort_by_column (Fixture       *fixture,
                     gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  GtkColumnView *view = GTK_COLUMN_VIEW (enr_monitor_get_column_view (monitor));
  EnrTaskListModel *model = enr_monitor_get_model (monitor);
  g_autofree char *ids = NULL;

  /* Newest first to start with. */
  g_assert_cmpint (enr_task_list_model_get_sort (model), ==, ENR_TASK_SORT_CREATED_AT);
  g_assert_true (enr_task_list_model_get_descending (model));
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0002 task-m-0001 task-m-0006 task-m-0007 task-m-0003 task-m-0005 task-m-0004");

  /* A header click: the store sorts by the column. */
  gtk_column_view_sort_by_column (view, enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_STATUS), GTK_SORT_ASCENDING);
  g_assert_cmpint (enr_task_list_model_get_sort (model), ==, ENR_TASK_SORT_STATUS);
  g_assert_false (enr_task_list_model_get_descending (model));
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0002 task-m-0007 task-m-0003 task-m-0001 task-m-0005 task-m-0004 task-m-0006");

  gtk_column_view_sort_by_column (view, enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_STATUS), GTK_SORT_DESCENDING);
  g_assert_true (enr_task_list_model_get_descending (model));
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0006 task-m-0004 task-m-0005 task-m-0001 task-m-0003 task-m-0007 task-m-0002");

  /* Age ascending is the youngest first: creation time descending. */
  gtk_column_view_sort_by_column (view, enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_AGE), GTK_SORT_ASCENDING);
  g_assert_cmpint (enr_task_list_model_get_sort (model), ==, ENR_TASK_SORT_CREATED_AT);
  g_assert_true (enr_task_list_model_get_descending (model));

  gtk_column_view_sort_by_column (view, enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_CREATED_BY),
                                  GTK_SORT_ASCENDING);
  g_assert_cmpint (enr_task_list_model_get_sort (model), ==, ENR_TASK_SORT_CREATED_BY);
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_true (g_str_has_prefix (ids, "task-m-0002 task-m-0004 task-m-0005"));
  g_assert_true (g_str_has_suffix (ids, "task-m-0006"));

  gtk_column_view_sort_by_column (view, enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_PROGRAM),
                                  GTK_SORT_ASCENDING);
  g_assert_cmpint (enr_task_list_model_get_sort (model), ==, ENR_TASK_SORT_PROGRAM);
  gtk_column_view_sort_by_column (view, enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_KIND),
                                  GTK_SORT_DESCENDING);
  g_assert_cmpint (enr_task_list_model_get_sort (model), ==, ENR_TASK_SORT_KIND);
  g_assert_true (enr_task_list_model_get_descending (model));

  /* Columns the store cannot order by offer no sort. */
  g_assert_null (gtk_column_view_column_get_sorter (enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_TASK)));
  g_assert_null (gtk_column_view_column_get_sorter (enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_CUSTOMER)));
  g_assert_null (gtk_column_view_column_get_sorter (enr_monitor_get_column (monitor, ENR_MONITOR_COLUMN_APPOINTMENT)));
}

static void
test_cells (Fixture       *fixture,
            gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  g_autoptr(EnrServiceTask) t1 = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0001");
  g_autofree char *customer = enr_monitor_format_cell (monitor, t1, ENR_MONITOR_COLUMN_CUSTOMER);
  g_autofree char *program = enr_monitor_format_cell (monitor, t1, ENR_MONITOR_COLUMN_PROGRAM);
  g_autofree char *status = enr_monitor_format_cell (monitor, t1, ENR_MONITOR_COLUMN_STATUS);
  g_autofree char *age = enr_monitor_format_cell (monitor, t1, ENR_MONITOR_COLUMN_AGE);
  g_autofree char *appointment = enr_monitor_format_cell (monitor, t1, ENR_MONITOR_COLUMN_APPOINTMENT);
  GtkWidget *view = enr_monitor_get_column_view (monitor);

  g_assert_cmpstr (customer, ==, "Maria Gonzalez");
  g_assert_cmpstr (program, ==, "Smart Thermostat Rewards");
  g_assert_cmpstr (status, ==, "In Progress");
  g_assert_cmpstr (age, ==, "2 days");
  g_assert_true (g_str_has_suffix (appointment, ", North Day Crew A"));

  /* The rows on screen show them. */
  g_assert_true (shows_text (view, "Maria Gonzalez"));
  g_assert_true (shows_text (view, "North Day Crew A"));
  g_assert_true (shows_text (view, "5 hours"));
}

static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  EnrTaskHistory *history = ENR_TASK_HISTORY (enr_monitor_get_history (monitor));
  g_autoptr(EnrServiceTask) task = NULL;
  g_autofree char *when = NULL;
  g_autofree char *expected = NULL;
  GtkWidget *transitions, *communications;
  EnrTaskTransition *created;
  GtkWidget *first, *title;

  select_row (monitor, "task-m-0001");
  transitions = enr_task_history_get_transitions_list (history);
  communications = enr_task_history_get_communications_list (history);

  g_assert_cmpuint (list_n_rows (transitions), ==, 3);
  g_assert_true (list_has_row (transitions, "Pending → Validate"));
  g_assert_true (list_has_row (transitions, "Validate → In Progress"));
  g_assert_true (list_has_row (transitions, "Field work outstanding"));
  g_assert_true (list_has_row (transitions, "by service, "));
  /* The history starts with the creation: "Pending", not "Pending → Pending". */
  task = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0001");
  created = g_ptr_array_index (enr_service_task_get_history (task), 0);
  g_assert_cmpint (enr_task_transition_get_from (created), ==, ENR_TASK_STATUS_PENDING);
  g_assert_cmpint (enr_task_transition_get_to (created), ==, ENR_TASK_STATUS_PENDING);
  g_assert_false (list_has_row (transitions, "Pending → Pending"));
  first = gtk_widget_get_first_child (transitions);
  title = gtk_widget_get_first_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (first)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (title)), ==, "Pending");
  when = enr_format_date_time (enr_task_transition_get_at (created));
  expected = g_strdup_printf ("Pending, by %s, %s. %s", enr_task_transition_get_by (created), when,
                              enr_task_transition_get_reason (created));
  g_assert_true (has_accessible_label (first, expected));

  g_assert_cmpuint (list_n_rows (communications), ==, 1);
  g_assert_true (list_has_row (communications, "Enrollment · Phone"));
  g_assert_true (list_has_row (communications, "Verbal · by clerk"));
  g_assert_true (list_has_row (communications, "Prefers a morning visit"));

  /* The details: the error's reasons show with its status. */
  select_row (monitor, "task-m-0003");
  g_assert_true (shows_text (enr_monitor_get_details (monitor),
                             "Error: The customer is not on an eligible rate"));
  g_assert_cmpuint (list_n_rows (transitions), ==, 3);
  g_assert_true (list_has_row (transitions, "Validate → Error"));
  g_assert_cmpuint (list_n_rows (communications), ==, 0);
  screenshot (gtk_widget_get_ancestor (GTK_WIDGET (monitor), GTK_TYPE_WINDOW), "monitor-history");
}

static gboolean
details_show_canceled (gpointer monitor)
{
  return shows_text (enr_monitor_get_details (monitor), "Canceled");
}

static void
test_cancel_offline (Fixture       *fixture,
                     gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  g_autoptr(EnrServiceTask) before = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0002");
  g_autoptr(EnrProcessFlow) draft = NULL;
  g_autoptr(EnrProcessFlow) canceled_draft = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  EnrTaskTransition *transition;
  EnrOperation *operation;
  GtkWindow *dialog;
  GtkWidget *reason;

  g_assert_true (shows_text (enr_monitor_get_dashboard (monitor), "7 tasks, none waiting for the service"));

  /* An open draft of the task is canceled with it. */
  draft = enr_monitor_open_flow (fixture->context, before, &error);
  g_assert_no_error (error);

  select_row (monitor, "task-m-0002");

  /* Keep Task, and Escape, close the dialog and leave the task be. */
  press (find_button (monitor, "Cancel Task…"));
  dialog = wait_for_toplevel (ENR_TYPE_CANCEL_TASK_DIALOG);
  g_assert_true (gtk_window_get_modal (dialog));
  g_assert_true (gtk_window_get_destroy_with_parent (dialog));
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (monitor))));
  press (find_button (dialog, "Keep Task"));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_CANCEL_TASK_DIALOG));
  press (find_button (monitor, "Cancel Task…"));
  dialog = wait_for_toplevel (ENR_TYPE_CANCEL_TASK_DIALOG);
  g_assert_true (send_key (dialog, GDK_KEY_Escape, 0));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_CANCEL_TASK_DIALOG));
  kept = pending_operations (fixture, ENR_OPERATION_KIND_CANCEL_TASK);
  g_assert_cmpuint (kept->len, ==, 0);

  press (find_button (monitor, "Cancel Task…"));
  dialog = wait_for_toplevel (ENR_TYPE_CANCEL_TASK_DIALOG);

  /* A reason is required. */
  g_assert_false (gtk_widget_is_sensitive (find_button (dialog, "Cancel Task")));
  /* It says the cancel is queued, not that the service logs it now. */
  g_assert_true (shows_text (dialog, "sent to the service as soon as this computer is connected"));
  g_assert_false (shows_text (dialog, "The service logs"));
  reason = find_by_label (dialog, "Reason");
  gtk_editable_set_text (GTK_EDITABLE (reason), "Customer moved, \"no longer\" at the address");
  screenshot (GTK_WIDGET (dialog), "monitor-cancel-dialog");
  press (find_button (dialog, "Cancel Task"));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_CANCEL_TASK_DIALOG));

  operations = pending_operations (fixture, ENR_OPERATION_KIND_CANCEL_TASK);
  g_assert_cmpuint (operations->len, ==, 1);
  operation = g_ptr_array_index (operations, 0);
  g_assert_cmpstr (enr_operation_get_method (operation), ==, "POST");
  g_assert_cmpstr (enr_operation_get_path (operation), ==, "/v1/service-tasks/task-m-0002/cancel");
  g_assert_cmpstr (enr_operation_get_body (operation), ==,
                   "{\"reason\":\"Customer moved, \\\"no longer\\\" at the address\"}");
  g_assert_cmpint (enr_operation_get_base_version (operation), ==, 3);

  task = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0002");
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_CANCELED);
  transition = last_transition (task);
  g_assert_cmpint (enr_task_transition_get_from (transition), ==, ENR_TASK_STATUS_PENDING);
  g_assert_cmpstr (enr_task_transition_get_by (transition), ==, "supervisor");
  g_assert_cmpstr (enr_task_transition_get_reason (transition), ==, "Customer moved, \"no longer\" at the address");

  canceled_draft = enr_store_load_draft (fixture->store, enr_entity_get_id (ENR_ENTITY (draft)), &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_process_flow_get_status (canceled_draft), ==, ENR_FLOW_STATUS_CANCELED);

  /* The row and the pane show the change and that it waits for the
   * service; no more cancel for a canceled task. */
  wait_until (details_show_canceled, monitor);
  wait_for_text (enr_monitor_get_column_view (monitor), "Canceled · not sent");
  wait_for_text (enr_monitor_get_details (monitor), "Canceled on this computer only");
  /* The dashboard counts it apart. */
  wait_for_text (enr_monitor_get_dashboard (monitor),
                 "6 as on the service · 1 changed here and not on the service yet");
  screenshot (gtk_widget_get_ancestor (GTK_WIDGET (monitor), GTK_TYPE_WINDOW), "monitor-not-sent");
  g_assert_true (shows_text (enr_monitor_get_details (monitor), "Canceled"));
  g_assert_true (list_has_row (enr_task_history_get_transitions_list (ENR_TASK_HISTORY (enr_monitor_get_history (monitor))),
                               "Pending → Canceled"));
  g_assert_true (list_has_row (enr_task_history_get_operations_list (ENR_TASK_HISTORY (enr_monitor_get_history (monitor))),
                               "Cancel Task"));
  g_assert_true (list_has_row (enr_task_history_get_operations_list (ENR_TASK_HISTORY (enr_monitor_get_history (monitor))),
                               "Reason: Customer moved"));
  g_assert_null (find_widget (enr_monitor_get_details (monitor), match_button, "Cancel Task…"));
  gtk_widget_activate_action (GTK_WIDGET (monitor), "monitor.cancel", NULL);
  wait_for_pending_work ();
  g_assert_null (find_toplevel (ENR_TYPE_CANCEL_TASK_DIALOG));
}

static void
test_complete_field_work_offline (Fixture       *fixture,
                                  gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrAppointment) appointment = NULL;
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GError) error = NULL;
  EnrOperation *operation;

  /* Not for a task without field work outstanding. */
  select_row (monitor, "task-m-0002");
  g_assert_null (find_widget (enr_monitor_get_details (monitor), match_button, "Field Work Done…"));

  select_row (monitor, "task-m-0001");
  press (find_button (monitor, "Field Work Done…"));
  wait_until (message_dialog_open, "complete-field-work-dialog");
  press (find_button (find_message_dialog ("complete-field-work-dialog"), "Mark Completed"));
  {
    OperationWait wait = { fixture, ENR_OPERATION_KIND_COMPLETE_FIELD_WORK };

    wait_until (operation_queued, &wait);
  }

  operations = pending_operations (fixture, ENR_OPERATION_KIND_COMPLETE_FIELD_WORK);
  g_assert_cmpuint (operations->len, ==, 1);
  operation = g_ptr_array_index (operations, 0);
  g_assert_cmpstr (enr_operation_get_path (operation), ==, "/v1/service-tasks/task-m-0001/complete-field-work");
  g_assert_cmpstr (enr_operation_get_body (operation), ==, "{}");

  task = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0001");
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_COMPLETED);
  g_assert_cmpstr (enr_task_transition_get_reason (last_transition (task)), ==, "Field work complete");
  g_assert_cmpint (enr_appointment_get_status (g_ptr_array_index (enr_service_task_get_appointments (task), 0)),
                   ==, ENR_APPOINTMENT_STATUS_COMPLETED);
  appointment = enr_store_get (fixture->store, ENR_TYPE_APPOINTMENT, "appt-m-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_appointment_get_status (appointment), ==, ENR_APPOINTMENT_STATUS_COMPLETED);
  g_assert_true (shows_text (enr_monitor_get_details (monitor), "Completed"));
}

static void
test_reschedule_offline (Fixture       *fixture,
                         gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  g_autoptr(EnrServiceTask) before = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0001");
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrAppointment) cached = NULL;
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  EnrAppointment *old = g_ptr_array_index (enr_service_task_get_appointments (before), 0);
  EnrAppointment *moved;
  JsonObject *move;
  EnrRescheduleDialog *dialog;
  GtkWidget *picker;

  select_row (monitor, "task-m-0001");

  /* Close leaves the task be, and the picker's working draft goes. */
  press (find_button (monitor, "Reschedule…"));
  dialog = ENR_RESCHEDULE_DIALOG (wait_for_toplevel (ENR_TYPE_RESCHEDULE_DIALOG));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  press (find_button (dialog, "Close"));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_RESCHEDULE_DIALOG));
  drafts = enr_store_list (fixture->store, ENR_TYPE_PROCESS_FLOW, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 0);
  g_clear_pointer (&drafts, g_ptr_array_unref);
  operations = pending_operations (fixture, ENR_OPERATION_KIND_RESCHEDULE);
  g_assert_cmpuint (operations->len, ==, 0);
  g_clear_pointer (&operations, g_ptr_array_unref);

  press (find_button (monitor, "Reschedule…"));
  dialog = ENR_RESCHEDULE_DIALOG (wait_for_toplevel (ENR_TYPE_RESCHEDULE_DIALOG));
  g_assert_cmpuint (enr_reschedule_dialog_get_pickers (dialog)->len, ==, 1);
  picker = g_ptr_array_index (enr_reschedule_dialog_get_pickers (dialog), 0);
  g_assert_true (shows_text (dialog, "Booked now: "));
  g_assert_false (gtk_widget_is_sensitive (find_button (dialog, "Reschedule")));

  /* Crew shift type → crew → date → a free slot, as in Device Setup. */
  pick_first_slot (picker, "Day", "North Day Crew A");
  screenshot (GTK_WIDGET (dialog), "monitor-reschedule-dialog");
  press (find_button (dialog, "Reschedule"));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_RESCHEDULE_DIALOG));
  {
    OperationWait wait = { fixture, ENR_OPERATION_KIND_RESCHEDULE };

    wait_until (operation_queued, &wait);
  }

  operations = pending_operations (fixture, ENR_OPERATION_KIND_RESCHEDULE);
  g_assert_cmpuint (operations->len, ==, 1);
  g_assert_cmpstr (enr_operation_get_path (g_ptr_array_index (operations, 0)), ==,
                   "/v1/service-tasks/task-m-0001/reschedule");
  body = enr_json_parse (enr_operation_get_body (g_ptr_array_index (operations, 0)), -1, ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (body), "appointments")),
                    ==, 1);
  move = json_array_get_object_element (json_object_get_array_member (json_node_get_object (body), "appointments"), 0);
  g_assert_cmpstr (json_object_get_string_member (move, "id"), ==, "appt-m-0001");
  g_assert_cmpstr (json_object_get_string_member (move, "activity_type_id"), ==, "act-install-tstat");
  g_assert_cmpstr (json_object_get_string_member (move, "crew_id"), ==, "crew-north-day-a");
  g_assert_cmpstr (json_object_get_string_member (move, "service_task_id"), ==, "task-m-0001");
  g_assert_cmpstr (json_object_get_string_member (move, "status"), ==, "booked");

  /* The task and the cached appointment hold the new slot (the old one
   * was taken by this very appointment, so the first free one differs). */
  task = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0001");
  moved = g_ptr_array_index (enr_service_task_get_appointments (task), 0);
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (moved)), ==, "appt-m-0001");
  g_assert_false (g_date_time_equal (enr_appointment_get_start (moved), enr_appointment_get_start (old)));
  cached = enr_store_get (fixture->store, ENR_TYPE_APPOINTMENT, "appt-m-0001", &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (enr_appointment_get_start (cached), enr_appointment_get_start (moved)));

  /* The picker's working draft is gone: the task has no open flow. */
  drafts = enr_store_list (fixture->store, ENR_TYPE_PROCESS_FLOW, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 0);
  g_assert_true (list_has_row (enr_task_history_get_operations_list (ENR_TASK_HISTORY (enr_monitor_get_history (monitor))),
                               "Reschedule"));
}

static void
test_open_flow (Fixture       *fixture,
                gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  EnrAssistant *assistant;

  /* Not for a task in progress (finished, waiting for field work). */
  select_row (monitor, "task-m-0001");
  g_assert_null (find_widget (enr_monitor_get_details (monitor), match_button, "Open"));
  gtk_widget_activate_action (GTK_WIDGET (monitor), "monitor.open", NULL);
  wait_for_pending_work ();
  g_assert_null (find_toplevel (ENR_TYPE_ASSISTANT));

  select_row (monitor, "task-m-0003");
  press (find_button (monitor, "Open"));
  assistant = ENR_ASSISTANT (wait_for_toplevel (ENR_TYPE_ASSISTANT));
  g_assert_cmpint (enr_assistant_get_current_panel (assistant), ==, ENR_PANEL_CUSTOMER);

  drafts = enr_store_list (fixture->store, ENR_TYPE_PROCESS_FLOW, "service-task-id", "task-m-0003", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_true (enr_assistant_find (enr_entity_get_id (g_ptr_array_index (drafts, 0))) == assistant);
}

static EnrConflictDialog *
open_conflict_dialog (EnrMonitor *monitor,
                      const char *task_id)
{
  select_row (monitor, task_id);
  g_assert_true (shows_text (enr_monitor_get_details (monitor), "The record changed at the service"));
  press (find_button (monitor, "Resolve Conflict…"));
  return ENR_CONFLICT_DIALOG (wait_for_toplevel (ENR_TYPE_CONFLICT_DIALOG));
}

static void
test_conflict_resolution (Fixture       *fixture,
                          gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(EnrOperation) kept = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  EnrConflictDialog *dialog;
  GtkWidget *conflicts;
  gint64 seq;

  /* Take Theirs: the service's copy wins, the change is dropped. */
  seq = client_make_conflict (fixture->store, "task-m-0002");
  wait_until (conflict_button_shown, monitor);
  conflicts = find_button (monitor, "1 Conflict");
  /* The row is marked, the pane says what is in conflict. */
  wait_for_text (enr_monitor_get_column_view (monitor), "Pending · conflict");
  wait_for_text (enr_monitor_get_dashboard (monitor), "1 changed here and not on the service yet, 1 of them in conflict");
  select_row (monitor, "task-m-0002");
  wait_for_text (enr_monitor_get_details (monitor), "In conflict: Pending on this computer");
  g_assert_true (shows_text (enr_monitor_get_details (monitor), "Validate on the service"));
  dialog = open_conflict_dialog (monitor, "task-m-0002");
  /* The customer, both versions field by field, what differs, what each
   * choice does; nothing that overwrites is the default. */
  g_assert_true (shows_text (dialog, "James Whitaker: Enrollment, Smart Thermostat Rewards"));
  g_assert_true (shows_text (dialog, "someone changed it on the service meanwhile"));
  g_assert_false (shows_text (dialog, "The record changed at the service"));
  g_assert_true (has_accessible_label (find_by_label (dialog, "Status on this computer"), "Status on this computer"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_by_label (dialog, "Status on this computer"))), ==, "Pending");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_by_label (dialog, "Status on the service"))), ==, "Validate");
  g_assert_true (gtk_widget_has_css_class (find_by_label (dialog, "Status on the service"), "conflict-differs"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_by_label (dialog, "Program on the service"))), ==,
                   "Smart Thermostat Rewards");
  g_assert_false (gtk_widget_has_css_class (find_by_label (dialog, "Program on the service"), "conflict-differs"));
  g_assert_true (shows_text (dialog, "Differs: Status."));
  g_assert_true (shows_text (dialog, "Drops your change"));
  g_assert_true (shows_text (dialog, "yours replaces the other change"));
  g_assert_true (gtk_widget_get_visible (find_button (dialog, "Save as New")));
  g_assert_null (gtk_window_get_default_widget (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (dialog)) == find_button (dialog, "Decide Later"));
  g_assert_false (gtk_widget_has_css_class (find_button (dialog, "Keep Mine"), "suggested-action"));
  screenshot (GTK_WIDGET (dialog), "monitor-conflict-dialog");
  press (find_button (dialog, "Take Theirs"));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_CONFLICT_DIALOG));
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, &error), ==, 0);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_PENDING, &error), ==, 0);
  task = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0002");
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_VALIDATE);
  g_assert_cmpint (enr_service_task_get_version (task), ==, 7);
  wait_until (is_hidden, conflicts);
  wait_for_text_gone (enr_monitor_get_column_view (monitor), "· conflict");
  g_assert_true (shows_text (enr_monitor_get_column_view (monitor), "Validate"));

  /* Keep Mine: the change goes again on top of version 7. */
  seq = client_make_conflict (fixture->store, "task-m-0005");
  wait_until (conflict_button_shown, monitor);
  dialog = open_conflict_dialog (monitor, "task-m-0005");
  press (find_button (dialog, "Keep Mine"));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_CONFLICT_DIALOG));
  kept = enr_outbox_get (outbox, seq, &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_operation_get_state (kept), ==, ENR_OPERATION_STATE_PENDING);
  g_assert_cmpint (enr_operation_get_base_version (kept), ==, 7);

  /* Save as New: the local work becomes a new flow, queued as a new task. */
  client_make_conflict (fixture->store, "task-m-0003");
  wait_until (conflict_button_shown, monitor);
  dialog = open_conflict_dialog (monitor, "task-m-0003");
  press (find_button (dialog, "Save as New"));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_CONFLICT_DIALOG));
  created = pending_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK);
  g_assert_cmpuint (created->len, ==, 1);
  g_assert_cmpstr (enr_operation_get_entity_id (g_ptr_array_index (created, 0)), !=, "task-m-0003");
  drafts = enr_store_list (fixture->store, ENR_TYPE_PROCESS_FLOW, "service-task-id",
                           enr_operation_get_entity_id (g_ptr_array_index (created, 0)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, &error), ==, 0);
  g_assert_cmpuint (n_rows (monitor), ==, 8);
}

/* A cancel in conflict: no Save as New (it means nothing for a cancel);
 * a refused reschedule: the service's reason, no Keep Mine without its
 * copy. */
static void
test_conflict_choices (Fixture       *fixture,
                       gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(EnrServiceTask) task = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0002");
  g_autoptr(EnrServiceTask) theirs = enr_service_task_copy (task);
  g_autoptr(GPtrArray) cancels = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = NULL;
  EnrConflictDialog *dialog;
  gint64 seq;

  g_assert_true (enr_monitor_cancel_task (fixture->context, task, "Duplicate", &error));
  g_assert_no_error (error);
  cancels = pending_operations (fixture, ENR_OPERATION_KIND_CANCEL_TASK);
  g_assert_cmpuint (cancels->len, ==, 1);
  seq = enr_operation_get_seq (g_ptr_array_index (cancels, 0));
  enr_service_task_set_version (theirs, 9);
  enr_service_task_set_status (theirs, ENR_TASK_STATUS_IN_PROGRESS);
  copy = enr_codec_encode_string (theirs);
  g_assert_true (enr_outbox_mark_in_flight (outbox, seq, &error));
  g_assert_true (enr_outbox_mark_conflict (outbox, seq, copy, "The current version is \"9\".", &error));
  g_assert_no_error (error);

  wait_for_text (enr_monitor_get_column_view (monitor), "Canceled · conflict");
  select_row (monitor, "task-m-0002");
  press (find_button (monitor, "Resolve Conflict…"));
  dialog = ENR_CONFLICT_DIALOG (wait_for_toplevel (ENR_TYPE_CONFLICT_DIALOG));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_by_label (dialog, "Status on this computer"))), ==, "Canceled");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_by_label (dialog, "Status on the service"))), ==, "In Progress");
  g_assert_false (shows_text (dialog, "The current version is"));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), match_button, "Keep Mine"));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), match_button, "Take Theirs"));
  g_assert_null (find_widget (GTK_WIDGET (dialog), match_button, "Save as New"));
  screenshot (GTK_WIDGET (dialog), "monitor-conflict-dialog-cancel");
  press (find_button (dialog, "Decide Later"));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_CONFLICT_DIALOG));
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, &error), ==, 1);

  /* Take Theirs: the service's In Progress, no marker. */
  press (find_button (monitor, "Resolve Conflict…"));
  dialog = ENR_CONFLICT_DIALOG (wait_for_toplevel (ENR_TYPE_CONFLICT_DIALOG));
  press (find_button (dialog, "Take Theirs"));
  wait_until (toplevel_gone, GSIZE_TO_POINTER (ENR_TYPE_CONFLICT_DIALOG));
  wait_for_text_gone (enr_monitor_get_column_view (monitor), "· conflict");
  g_clear_object (&task);
  task = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0002");
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_IN_PROGRESS);
}

static gboolean
not_exporting (gpointer monitor)
{
  return !enr_monitor_get_exporting (monitor);
}

static void
test_export_csv (Fixture       *fixture,
                 gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  EnrCustomer *customer = enr_customer_new ();
  g_autoptr(EnrServiceTask) quoted = NULL;
  g_autoptr(EnrTaskExport) export = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) async_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *path = g_build_filename (fixture->directory, "flows.csv", NULL);
  g_autofree char *async_path = g_build_filename (fixture->directory, "flows-async.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *async_contents = NULL;
  g_autoptr(GDateTime) created = ago (fixture, 3 * DAY + 2 * HOUR);
  g_autofree char *created_text = NULL;
  g_autoptr(EnrCustomer) fourth = NULL;

  /* RFC 4180 quoting. */
  enr_csv_append_field (line, "plain");
  enr_csv_append_field (line, "with, comma");
  enr_csv_append_field (line, "say \"hi\"");
  enr_csv_append_field (line, "two\r\nlines");
  enr_csv_append_field (line, NULL);
  enr_csv_append_field (line, "");
  g_assert_cmpstr (line->str, ==, "plain,\"with, comma\",\"say \"\"hi\"\"\",\"two\r\nlines\",,");

  /* A customer whose name needs quoting, with a task of its own program. */
  enr_entity_set_id (ENR_ENTITY (customer), "cust-m-quote");
  enr_customer_set_name (customer, "O'Neil, \"Pat\"");
  enr_customer_set_account_id (customer, "RPL-999999");
  client_put (fixture->store, ENR_TYPE_CUSTOMER, customer);
  quoted = client_make_task (fixture->now, "task-m-0008", "cust-m-quote", "prog-checkup",
                             ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_PENDING, "clerk", 3 * DAY + 2 * HOUR);
  client_put (fixture->store, ENR_TYPE_SERVICE_TASK, g_object_ref (quoted));

  select_item (find_by_label (monitor, "Filter by Program"), "Home Energy Checkup");
  g_assert_cmpuint (n_rows (monitor), ==, 2);

  file = g_file_new_for_path (path);
  export = enr_task_export_new (fixture->context, enr_monitor_get_model (monitor));
  g_assert_cmpuint (enr_task_export_get_n_items (export), ==, 2);
  g_assert_true (enr_task_export_write (export, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (enr_task_export_get_n_written (export), ==, 2);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));

  fourth = enr_store_get (fixture->store, ENR_TYPE_CUSTOMER, "cust-0004", &error);
  g_assert_no_error (error);
  created_text = g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ");
  g_string_append (expected, "Task,Customer ID,Customer,Program ID,Program,Kind,Status,Created By,Created At,"
                             "Age (days),Appointment Start,Appointment End,Crew\r\n");
  g_string_append_printf (expected, "task-m-0008,cust-m-quote,\"O'Neil, \"\"Pat\"\"\",prog-checkup,Home Energy Checkup,"
                                    "Enrollment,Pending,clerk,%s,3,,,\r\n", created_text);
  g_clear_pointer (&created_text, g_free);
  g_clear_pointer (&created, g_date_time_unref);
  created = ago (fixture, 8 * DAY);
  created_text = g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ");
  g_string_append_printf (expected, "task-m-0007,cust-0004,%s,prog-checkup,Home Energy Checkup,"
                                    "Enrollment,Validate,clerk,%s,8,,,\r\n",
                          enr_customer_get_name (fourth), created_text);
  g_assert_cmpstr (contents, ==, expected->str);

  /* The view's export: in the background with progress, same content. */
  async_file = g_file_new_for_path (async_path);
  enr_monitor_export (monitor, async_file);
  g_assert_true (enr_monitor_get_exporting (monitor));
  g_assert_true (gtk_widget_get_visible (find_by_label (monitor, "Export Progress")));
  wait_until (not_exporting, monitor);
  g_assert_true (g_file_get_contents (async_path, &async_contents, NULL, &error));
  g_assert_cmpstr (async_contents, ==, expected->str);
  g_assert_true (g_str_has_suffix (count_text (monitor), "2 process flows exported to flows-async.csv"));
}

static void
test_dashboard_filters (Fixture       *fixture,
                        gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  EnrDashboard *dashboard = ENR_DASHBOARD (enr_monitor_get_dashboard (monitor));
  EnrTaskListModel *model = enr_monitor_get_model (monitor);
  EnrTaskStats *stats = enr_dashboard_get_stats (dashboard);
  GtkWidget *programs = enr_dashboard_get_programs_area (dashboard);
  GtkWidget *ageing = enr_dashboard_get_ageing_area (dashboard);
  g_autofree char *ids = NULL;
  double x, y;

  /* The counts behind the charts. */
  g_assert_cmpuint (enr_task_stats_get_total (stats), ==, 7);
  g_assert_cmpuint (enr_task_stats_get_status_total (stats, ENR_TASK_STATUS_IN_PROGRESS), ==, 2);
  g_assert_cmpuint (enr_task_stats_get_n_programs (stats), ==, 4);
  for (guint i = 0; i < enr_task_stats_get_n_programs (stats); i++)
    if (g_str_equal (enr_task_stats_get_program_id (stats, i), "prog-tstat"))
      {
        g_assert_cmpuint (enr_task_stats_get_program_total (stats, i), ==, 3);
        g_assert_cmpuint (enr_task_stats_get_count (stats, i, ENR_TASK_STATUS_PENDING), ==, 1);
        g_assert_cmpuint (enr_task_stats_get_count (stats, i, ENR_TASK_STATUS_IN_PROGRESS), ==, 1);
        g_assert_cmpuint (enr_task_stats_get_count (stats, i, ENR_TASK_STATUS_CANCELED), ==, 1);
      }
  g_assert_cmpuint (enr_task_stats_get_ageing (stats, ENR_AGE_BUCKET_UNDER_1_DAY), ==, 0);
  g_assert_cmpuint (enr_task_stats_get_ageing (stats, ENR_AGE_BUCKET_1_TO_3_DAYS), ==, 1);
  g_assert_cmpuint (enr_task_stats_get_ageing (stats, ENR_AGE_BUCKET_OVER_14_DAYS), ==, 1);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (programs), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  screenshot (GTK_WIDGET (dashboard), "monitor-dashboard");

  /* A click on the In Progress segment of Smart Thermostat Rewards. */
  g_assert_true (enr_dashboard_get_segment_point (dashboard, "prog-tstat", ENR_TASK_STATUS_IN_PROGRESS, &x, &y));
  click_at (programs, x, y);
  g_assert_cmpstr (enr_task_list_model_get_program_id (model), ==, "prog-tstat");
  g_assert_cmpuint (enr_task_list_model_get_status_mask (model), ==, 1u << ENR_TASK_STATUS_IN_PROGRESS);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0001");
  g_assert_cmpstr (count_text (monitor), ==, "1 of 7 process flows");

  /* A click on a program's name: all of its tasks. */
  g_assert_true (enr_dashboard_get_segment_point (dashboard, "prog-tou", ENR_DASHBOARD_ANY_STATUS, &x, &y));
  click_at (programs, x, y);
  g_assert_cmpuint (enr_task_list_model_get_status_mask (model), ==, 0);
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0003 task-m-0005");

  /* The ageing chart: tasks in progress over 14 days old. */
  g_assert_true (enr_dashboard_get_bucket_point (dashboard, ENR_AGE_BUCKET_OVER_14_DAYS, &x, &y));
  click_at (ageing, x, y);
  g_assert_null (enr_task_list_model_get_program_id (model));
  g_assert_cmpuint (enr_task_list_model_get_min_age_days (model), ==, 14);
  g_clear_pointer (&ids, g_free);
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0005");

  /* The keyboard does the same: Left to the 7–14 column, Enter. */
  gtk_widget_grab_focus (ageing);
  press_key (ageing, GDK_KEY_Left);
  press_key (ageing, GDK_KEY_Return);
  g_assert_cmpuint (enr_task_list_model_get_min_age_days (model), ==, 7);
  g_assert_cmpuint (enr_task_list_model_get_max_age_days (model), ==, 14);
  g_assert_cmpuint (n_rows (monitor), ==, 0);
}

static gboolean
stats_total_is_8 (gpointer data)
{
  EnrTaskStats *stats = enr_dashboard_get_stats (data);

  return stats != NULL && enr_task_stats_get_total (stats) == 8;
}

static void
test_dashboard_follows_the_store (Fixture       *fixture,
                                  gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  EnrDashboard *dashboard = ENR_DASHBOARD (enr_monitor_get_dashboard (monitor));
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
  g_autoptr(EnrServiceTask) task = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  /* A pull brings a new task: list, count and charts follow. */
  task = client_make_task (fixture->now, "task-m-0009", "cust-0005", "prog-tstat",
                           ENR_TASK_KIND_ENROLLMENT, ENR_TASK_STATUS_IN_PROGRESS, "alex", 12 * HOUR);
  json = enr_codec_encode_string (task);
  g_ptr_array_add (changes, enr_store_change_new (ENR_TYPE_SERVICE_TASK, "task-m-0009", json));
  g_assert_true (enr_store_apply_changes (fixture->store, changes, "42", &error));
  g_assert_no_error (error);

  g_assert_cmpuint (n_rows (monitor), ==, 8);
  wait_until (stats_total_is_8, dashboard);
  g_assert_cmpuint (enr_task_stats_get_ageing (enr_dashboard_get_stats (dashboard), ENR_AGE_BUCKET_UNDER_1_DAY), ==, 1);
  g_assert_cmpstr (count_text (monitor), ==, "8 of 8 process flows");
}

static gboolean
view_shows_gonzalez (gpointer view)
{
  return shows_text (view, "Maria Gonzalez");
}

static gboolean
view_shows_lopez (gpointer view)
{
  return shows_text (view, "Maria Lopez") && !shows_text (view, "Maria Gonzalez");
}

/* The cells keep their texts, but not past a change of the names. */
static void
test_cells_follow_names (Fixture       *fixture,
                         gconstpointer  data)
{
  EnrMonitor *monitor = open_monitor (fixture);
  GtkWidget *view = enr_monitor_get_column_view (monitor);
  g_autoptr(EnrCustomer) customer = NULL;
  g_autoptr(GPtrArray) customers = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  wait_until (view_shows_gonzalez, view);
  g_assert_false (shows_text (view, "Maria Lopez"));

  customer = enr_store_get (fixture->store, ENR_TYPE_CUSTOMER, "cust-0001", &error);
  g_assert_no_error (error);
  enr_customer_set_name (customer, "Maria Lopez");
  g_ptr_array_add (customers, customer);
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, customers, &error));
  g_assert_no_error (error);
  wait_until (view_shows_lopez, view);
  g_assert_false (shows_text (view, "Maria Gonzalez"));
}

/* A long list has rows (widgets) for the tasks in sight only, a window
 * that the scroll bar beside the list moves over every task. */
#define LONG_LIST_TASKS 600

/* The rows the column view lists: the window's. */
static guint
n_window_rows (EnrMonitor *monitor)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (enr_monitor_get_column_view (monitor));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

/* The list has its size and its window as many rows as fit, plus a few
 * (the scroll bar's page is the rows in sight). */
static gboolean
list_laid_out (gpointer monitor)
{
  GtkAdjustment *list = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (enr_monitor_get_column_view (monitor)));
  GtkAdjustment *adjustment = enr_monitor_get_vadjustment (monitor);
  double page = gtk_adjustment_get_page_size (adjustment);

  return gtk_adjustment_get_upper (list) > 0 && gtk_adjustment_get_page_size (list) > 0 &&
         gtk_adjustment_get_upper (adjustment) == n_rows (monitor) && page > 1 &&
         (n_window_rows (monitor) == n_rows (monitor) ||
          (n_window_rows (monitor) > page && n_window_rows (monitor) <= page + 3));
}

/* As dragging the scroll bar there: @position at the top (or as near
 * as the end of the list allows). */
static void
scroll_to_row (EnrMonitor *monitor,
               guint       position)
{
  gtk_adjustment_set_value (enr_monitor_get_vadjustment (monitor), position);
}

/* 600 tasks older than the seven: listed after them, newest first,
 * "task-l-0599" last. */
static void
put_long_list (Fixture *fixture)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < LONG_LIST_TASKS; i++)
    {
      g_autofree char *id = g_strdup_printf ("task-l-%04u", i);
      g_autofree char *customer = g_strdup_printf ("cust-long-%04u", i);

      g_ptr_array_add (tasks, client_make_task (fixture->now, id, customer, "prog-tstat", ENR_TASK_KIND_ENROLLMENT,
                                                ENR_TASK_STATUS_PENDING, "alex", 30 * 86400 + i * 60));
    }
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_SERVICE_TASK, tasks, &error));
  g_assert_no_error (error);
}

static void
test_long_list_fills_cells_in_sight (Fixture       *fixture,
                                     gconstpointer  data)
{
  EnrMonitor *monitor;
  GtkWidget *view;

  put_long_list (fixture);

  monitor = open_monitor (fixture);
  view = enr_monitor_get_column_view (monitor);
  g_assert_cmpuint (n_rows (monitor), ==, 7 + LONG_LIST_TASKS);

  /* Rows for the top tasks only, the window as tall as the list. */
  wait_until (list_laid_out, monitor);
  wait_for_text (view, "Maria Gonzalez");
  wait_for_text (view, "cust-long-0000");
  g_assert_cmpuint (n_window_rows (monitor), <, 60);
  g_assert_false (shows_text (view, "cust-long-0120"));

  /* Scrolled into sight, it is shown. */
  scroll_to_row (monitor, 7 + 120);
  wait_for_text (view, "cust-long-0120");
  g_assert_false (shows_text (view, "Maria Gonzalez"));

  /* A long jump to the end, as dragging the scroll bar does. */
  scroll_to_row (monitor, 7 + LONG_LIST_TASKS - 1);
  wait_for_text (view, "cust-long-0599");
  g_assert_cmpuint (n_window_rows (monitor), <, 60);

  /* A list shorter than the window has a row for each task. */
  scroll_to_row (monitor, 0);
  wait_for_text (view, "Maria Gonzalez");
  enr_task_list_model_set_created_by (enr_monitor_get_model (monitor), "clerk");
  g_assert_cmpuint (n_rows (monitor), ==, 3);
  g_assert_cmpuint (n_window_rows (monitor), ==, 3);
  wait_for_text (view, "Maria Gonzalez");
}

/* What the list shows: the rows on screen, each as its cells' texts. A
 * row is on screen when it is drawn (mapped, visible) and crosses the
 * list's visible area; the row it stands for is worked out from where
 * it is drawn, as a person reading the screen would. */
static GtkWidget *
list_view_of (EnrMonitor *monitor)
{
  GtkWidget *view = enr_monitor_get_column_view (monitor);

  for (GtkWidget *child = gtk_widget_get_first_child (view); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;

  g_error ("The column view has no list view");
}

/* The texts of the cells of @row, in column order, except Age (it moves
 * with the clock). A row has a cell for each visible column, in order. */
static char *
row_widget_texts (EnrMonitor *monitor,
                  GtkWidget  *row)
{
  g_autoptr(GString) texts = g_string_new (NULL);
  GtkWidget *cell = gtk_widget_get_first_child (row);

  for (guint column = 0; column < ENR_MONITOR_N_COLUMNS; column++)
    {
      GtkWidget *inscription;
      const char *text;

      if (!gtk_column_view_column_get_visible (enr_monitor_get_column (monitor, column)))
        continue;
      while (cell != NULL && !gtk_widget_get_visible (cell))
        cell = gtk_widget_get_next_sibling (cell);
      if (cell == NULL)
        break;

      inscription = gtk_widget_get_first_child (cell);
      text = GTK_IS_INSCRIPTION (inscription) ? gtk_inscription_get_text (GTK_INSCRIPTION (inscription)) : NULL;
      if (column != ENR_MONITOR_COLUMN_AGE)
        g_string_append_printf (texts, "%s|", text != NULL ? text : "");
      cell = gtk_widget_get_next_sibling (cell);
    }

  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* What the row at @position should show. */
static char *
expected_row_texts (EnrMonitor *monitor,
                    guint       position)
{
  g_autoptr(EnrServiceTask) task = g_list_model_get_item (G_LIST_MODEL (enr_monitor_get_model (monitor)), position);
  g_autoptr(GString) texts = g_string_new (NULL);

  for (guint column = 0; column < ENR_MONITOR_N_COLUMNS; column++)
    {
      g_autofree char *text = NULL;

      if (!gtk_column_view_column_get_visible (enr_monitor_get_column (monitor, column)) ||
          column == ENR_MONITOR_COLUMN_AGE)
        continue;
      text = enr_monitor_format_cell (monitor, task, column);
      g_string_append_printf (texts, "%s|", text != NULL ? text : "");
    }

  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* Whether the rows on screen are exactly the model's rows in the
 * visible range, each showing its own task; if not, *@why says what
 * differs. The scroll bar says which row is at the top (its value, in
 * rows, a fraction of it scrolled out of sight). */
static gboolean
screen_matches_model (EnrMonitor  *monitor,
                      char       **why)
{
  GtkWidget *list = list_view_of (monitor);
  GtkAdjustment *adjustment = enr_monitor_get_vadjustment (monitor);
  guint n_items = n_rows (monitor);
  double value = gtk_adjustment_get_value (adjustment);
  double height = gtk_widget_get_height (list);
  double row_height = 0;
  g_autoptr(GHashTable) shown = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  guint first, last;

  g_clear_pointer (why, g_free);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t bounds;
      guint position;

      if (!gtk_widget_get_mapped (row) || !gtk_widget_get_child_visible (row) ||
          !gtk_widget_compute_bounds (row, list, &bounds) ||
          bounds.size.height <= 0 ||
          bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= height)
        continue;

      row_height = bounds.size.height;
      position = (guint) (bounds.origin.y / row_height + value + 0.5);
      if (position >= n_items)
        {
          g_autofree char *texts = row_widget_texts (monitor, row);

          *why = g_strdup_printf ("a row is drawn at position %u of %u: “%s”", position, n_items, texts);
          return FALSE;
        }
      if (g_hash_table_contains (shown, GUINT_TO_POINTER (position)))
        {
          *why = g_strdup_printf ("two rows are drawn at position %u", position);
          return FALSE;
        }
      g_hash_table_insert (shown, GUINT_TO_POINTER (position), row_widget_texts (monitor, row));
    }

  if (n_items == 0)
    return g_hash_table_size (shown) == 0;
  if (row_height <= 0)
    {
      *why = g_strdup ("no row is drawn");
      return FALSE;
    }

  first = (guint) value;
  last = MIN (n_items - 1, (guint) (value + (height - 1) / row_height));
  for (guint position = first; position <= last; position++)
    {
      const char *texts = g_hash_table_lookup (shown, GUINT_TO_POINTER (position));
      g_autofree char *expected = expected_row_texts (monitor, position);

      if (g_strcmp0 (texts, expected) != 0)
        {
          *why = g_strdup_printf ("row %u shows “%s”, not “%s”", position, texts != NULL ? texts : "(no row)", expected);
          return FALSE;
        }
    }

  return TRUE;
}

typedef struct
{
  EnrMonitor *monitor;
  char       *why;
} ScreenWait;

static gboolean
screen_shows_model (gpointer data)
{
  ScreenWait *wait = data;

  return screen_matches_model (wait->monitor, &wait->why);
}

/* Waits (bounded) until the rows on screen show the model's tasks. */
#define assert_screen_shows_model(monitor_) \
  G_STMT_START { \
    ScreenWait screen_wait_ = { (monitor_), NULL }; \
    if (!wait_until_impl (screen_shows_model, &screen_wait_, "screen_shows_model", ui_test_timeout_us)) \
      g_error ("The list does not show its model: %s", screen_wait_.why); \
    g_free (screen_wait_.why); \
  } G_STMT_END

/* Scrolled to the bottom of a long list, then filtered to a few rows:
 * the rows on screen are the filtered tasks, and nothing of the rows
 * that were at the bottom stays drawn (GTK 4.8 keeps the widgets of
 * removed rows it tracks). */
static void
test_long_list_filtered_at_the_bottom (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *ids = NULL;
  EnrMonitor *monitor;
  GtkWidget *view;

  put_long_list (fixture);

  monitor = open_monitor (fixture);
  view = enr_monitor_get_column_view (monitor);
  wait_until (list_laid_out, monitor);
  assert_screen_shows_model (monitor);

  /* To the bottom, as dragging the scroll bar there does. */
  scroll_to_row (monitor, 7 + LONG_LIST_TASKS - 1);
  wait_for_text (view, "cust-long-0599");
  assert_screen_shows_model (monitor);

  /* Then a filter that leaves two rows. */
  select_item (find_by_label (monitor, "Filter by Kind"), "Unenrollment");
  ids = listed_ids (monitor);
  g_assert_cmpstr (ids, ==, "task-m-0006 task-m-0003");
  assert_screen_shows_model (monitor);
  g_assert_false (shows_text (view, "cust-long-"));

  /* And back: the whole list from the top. */
  select_item (find_by_label (monitor, "Filter by Kind"), "All Kinds");
  g_assert_cmpuint (n_rows (monitor), ==, 7 + LONG_LIST_TASKS);
  assert_screen_shows_model (monitor);

  /* From the bottom, a filter that leaves most rows; then to its bottom. */
  scroll_to_row (monitor, 7 + LONG_LIST_TASKS - 1);
  wait_for_text (view, "cust-long-0599");
  select_item (find_by_label (monitor, "Filter by Kind"), "Enrollment");
  g_assert_cmpuint (n_rows (monitor), <, 7 + LONG_LIST_TASKS);
  g_assert_cmpuint (n_rows (monitor), >, LONG_LIST_TASKS);
  assert_screen_shows_model (monitor);
  scroll_to_row (monitor, n_rows (monitor) - 1);
  wait_for_text (view, "cust-long-0599");
  assert_screen_shows_model (monitor);
  select_item (find_by_label (monitor, "Filter by Kind"), "All Kinds");
  assert_screen_shows_model (monitor);

  /* The same from the bottom with a filter the store applies while the
   * list keeps its place (not the user's: no scroll to the top). */
  scroll_to_row (monitor, 7 + LONG_LIST_TASKS - 1);
  wait_for_text (view, "cust-long-0599");
  enr_task_list_model_set_kind (enr_monitor_get_model (monitor), ENR_TASK_KIND_UNENROLLMENT);
  g_assert_cmpuint (n_rows (monitor), ==, 2);
  assert_screen_shows_model (monitor);
  g_assert_false (shows_text (view, "cust-long-"));
}

/* One turn of the mouse wheel over the list (@clicks down, or up when
 * negative), as the list's scroll controllers get it. */
static void
turn_wheel (EnrMonitor *monitor,
            double      clicks)
{
  GtkWidget *scroller = gtk_widget_get_parent (enr_monitor_get_column_view (monitor));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (scroller);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        g_signal_emit_by_name (controller, "scroll", 0.0, clicks, &handled);
    }
  g_assert_true (handled);
}

static double
scroll_value (EnrMonitor *monitor)
{
  return gtk_adjustment_get_value (enr_monitor_get_vadjustment (monitor));
}

/* The scroll bar beside the list goes over every task, not only the
 * rows the list has: dragged to the bottom, the list shows the last
 * tasks; the wheel goes on past the list's rows, and back. */
static void
test_long_list_scroll_bar (Fixture       *fixture,
                           gconstpointer  data)
{
  EnrMonitor *monitor;
  GtkAdjustment *adjustment;
  GtkWidget *view;
  double value;

  put_long_list (fixture);
  monitor = open_monitor (fixture);
  view = enr_monitor_get_column_view (monitor);
  adjustment = enr_monitor_get_vadjustment (monitor);
  wait_until (list_laid_out, monitor);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==, 7 + LONG_LIST_TASKS);
  g_assert_cmpuint (n_window_rows (monitor), <, 60);
  assert_screen_shows_model (monitor);

  /* Dragged to the bottom: the last tasks, the last one in sight. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_assert_cmpfloat (scroll_value (monitor), ==,
                     gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  wait_for_text (view, "cust-long-0599");
  assert_screen_shows_model (monitor);

  /* Anywhere, a row half out of sight at the top: still the model's. */
  gtk_adjustment_set_value (adjustment, 300.5);
  wait_for_text (view, "cust-long-0293");
  assert_screen_shows_model (monitor);
  screenshot (gtk_widget_get_ancestor (GTK_WIDGET (monitor), GTK_TYPE_WINDOW), "monitor-long-list");
  gtk_adjustment_set_value (adjustment, 0);
  wait_for_text (view, "Maria Gonzalez");
  assert_screen_shows_model (monitor);

  /* The wheel, down past the rows the list has, then back to the top. */
  for (guint i = 0; i < 30; i++)
    turn_wheel (monitor, 1);
  value = scroll_value (monitor);
  g_assert_cmpfloat (value, >, n_window_rows (monitor));
  assert_screen_shows_model (monitor);
  g_assert_false (shows_text (view, "Maria Gonzalez"));
  for (guint i = 0; i < 60; i++)
    turn_wheel (monitor, -1);
  g_assert_cmpfloat (scroll_value (monitor), ==, 0);
  assert_screen_shows_model (monitor);
  wait_for_text (view, "Maria Gonzalez");
}

/* The id of the task at @position. */
static char *
task_id_at (EnrMonitor *monitor,
            guint       position)
{
  g_autoptr(EnrServiceTask) task = g_list_model_get_item (G_LIST_MODEL (enr_monitor_get_model (monitor)), position);

  return g_strdup (enr_entity_get_id (ENR_ENTITY (task)));
}

/* The focused row's task: the row widget holding the focus, its cells'
 * texts compared with the task's. */
static gboolean
focus_shows_task (EnrMonitor *monitor,
                  guint       position)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (monitor)));
  GtkWidget *list = list_view_of (monitor);
  g_autofree char *texts = NULL;
  g_autofree char *expected = NULL;

  while (focus != NULL && gtk_widget_get_parent (focus) != list)
    focus = gtk_widget_get_parent (focus);
  if (focus == NULL)
    return FALSE;

  texts = row_widget_texts (monitor, focus);
  expected = expected_row_texts (monitor, position);
  return g_str_equal (texts, expected);
}

typedef struct
{
  EnrMonitor *monitor;
  const char *task_id;
} Selects;

/* The row of @task_id is highlighted, the task selected, the side pane
 * shown. */
static gboolean
selects_task (gpointer data)
{
  Selects *selects = data;

  return g_strcmp0 (highlighted_task_id (selects->monitor), selects->task_id) == 0 &&
         g_strcmp0 (enr_monitor_get_selected_task_id (selects->monitor), selects->task_id) == 0 &&
         gtk_widget_get_mapped (enr_monitor_get_details (selects->monitor));
}

static void
assert_selects (EnrMonitor *monitor,
                const char *task_id)
{
  Selects selects = { monitor, task_id };

  if (!wait_until_impl (selects_task, &selects, "selects_task", ui_test_timeout_us))
    g_error ("The list highlights %s and the selected task is %s; expected %s",
             enr_or_dash (highlighted_task_id (monitor)), enr_or_dash (enr_monitor_get_selected_task_id (monitor)),
             task_id);
}

/* The row widget showing the task at @position. */
static GtkWidget *
focused_row_of (EnrMonitor *monitor,
                guint       position)
{
  GtkWidget *list = list_view_of (monitor);
  g_autofree char *expected = expected_row_texts (monitor, position);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      g_autofree char *texts = row_widget_texts (monitor, row);

      if (gtk_widget_get_mapped (row) && g_str_equal (texts, expected))
        return row;
    }

  g_error ("No row shows the task at %u", position);
}

/* Up, Down, Page Up, Page Down, Home and End move along the whole list,
 * past the rows the list has; the row they reach is in sight, focused
 * and selected (with Ctrl, focused only). */
static void
test_long_list_keys (Fixture       *fixture,
                     gconstpointer  data)
{
  EnrMonitor *monitor;
  GtkWindow *window;
  GtkWidget *first_row;
  guint n, past;
  g_autofree char *last_id = NULL;
  g_autofree char *past_id = NULL;
  g_autofree char *before_last_id = NULL;
  g_autofree char *paged_id = NULL;

  put_long_list (fixture);
  monitor = open_monitor (fixture);
  window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (monitor)));
  wait_until (list_laid_out, monitor);
  n = n_rows (monitor);
  past = n_window_rows (monitor) + 5;

  /* The first row, selected and focused (a click on it). */
  select_row (monitor, "task-m-0002");
  first_row = gtk_widget_get_first_child (list_view_of (monitor));
  g_assert_true (gtk_widget_grab_focus (first_row));
  g_assert_true (focus_shows_task (monitor, 0));

  /* End: the last task. */
  g_assert_true (send_key (window, GDK_KEY_End, 0));
  last_id = task_id_at (monitor, n - 1);
  g_assert_cmpstr (last_id, ==, "task-l-0599");
  assert_selects (monitor, last_id);
  assert_screen_shows_model (monitor);
  g_assert_true (focus_shows_task (monitor, n - 1));

  /* Up, more times than the list has rows. */
  for (guint i = 0; i < past; i++)
    g_assert_true (send_key (window, GDK_KEY_Up, 0));
  before_last_id = task_id_at (monitor, n - 1 - past);
  assert_selects (monitor, before_last_id);
  assert_screen_shows_model (monitor);
  g_assert_true (focus_shows_task (monitor, n - 1 - past));

  /* Home, then Down as many times. */
  g_assert_true (send_key (window, GDK_KEY_Home, 0));
  assert_selects (monitor, "task-m-0002");
  g_assert_cmpfloat (scroll_value (monitor), ==, 0);
  for (guint i = 0; i < past; i++)
    g_assert_true (send_key (window, GDK_KEY_Down, 0));
  past_id = task_id_at (monitor, past);
  assert_selects (monitor, past_id);
  assert_screen_shows_model (monitor);
  g_assert_true (focus_shows_task (monitor, past));

  /* Page Down: a page further, in sight. */
  g_assert_true (send_key (window, GDK_KEY_Page_Down, 0));
  g_assert_cmpstr (enr_monitor_get_selected_task_id (monitor), !=, past_id);
  g_assert_cmpuint (enr_task_list_model_get_position (enr_monitor_get_model (monitor),
                                                      enr_monitor_get_selected_task_id (monitor)), >, past + 1);
  paged_id = g_strdup (enr_monitor_get_selected_task_id (monitor));
  assert_selects (monitor, paged_id);
  assert_screen_shows_model (monitor);

  /* Page Up: back where it was. */
  g_assert_true (send_key (window, GDK_KEY_Page_Up, 0));
  assert_selects (monitor, past_id);
  g_assert_true (focus_shows_task (monitor, past));

  /* A click on the row half in sight at the bottom, then Down: the next
   * task, brought into sight, the focus on its row. */
  {
    GtkAdjustment *adjustment = enr_monitor_get_vadjustment (monitor);
    guint bottom;
    g_autofree char *bottom_id = NULL;

    gtk_adjustment_set_value (adjustment, 300.5);
    assert_screen_shows_model (monitor);
    bottom = (guint) (300.5 + gtk_adjustment_get_page_size (adjustment));
    bottom_id = task_id_at (monitor, bottom);
    select_row (monitor, bottom_id);
    g_assert_true (gtk_widget_grab_focus (focused_row_of (monitor, bottom)));
    assert_selects (monitor, bottom_id);
    assert_screen_shows_model (monitor);
    g_assert_true (focus_shows_task (monitor, bottom));
    g_assert_true (send_key (window, GDK_KEY_Down, 0));
    g_clear_pointer (&bottom_id, g_free);
    bottom_id = task_id_at (monitor, bottom + 1);
    assert_selects (monitor, bottom_id);
    g_assert_true (focus_shows_task (monitor, bottom + 1));
    g_assert_cmpfloat (scroll_value (monitor) + gtk_adjustment_get_page_size (adjustment), >, bottom + 1.9);
    select_row (monitor, past_id);
  }

  /* Ctrl+End moves the focus, not the selection: the side pane keeps
   * the task, scrolled out of sight. */
  g_assert_true (send_key (window, GDK_KEY_End, GDK_CONTROL_MASK));
  g_assert_true (focus_shows_task (monitor, n - 1));
  g_assert_cmpstr (enr_monitor_get_selected_task_id (monitor), ==, past_id);
  assert_screen_shows_model (monitor);
  g_assert_true (gtk_widget_get_mapped (enr_monitor_get_details (monitor)));
}

/* How SQLite reads the list: unfiltered, along the sort column's index
 * (no sorting); filtered by status and program (a small result), off
 * their composite index, whatever the sort column; counted, either way,
 * off the counts the store keeps per program, status and kind. */
static void
test_query_plans (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct
  {
    EnrTaskSort  sort;
    const char  *index;
  } sorts[] = {
    { ENR_TASK_SORT_CREATED_AT, "service_tasks_created_at" },
    { ENR_TASK_SORT_UPDATED_AT, "service_tasks_updated_at" },
    { ENR_TASK_SORT_STATUS, "service_tasks_status" },
    { ENR_TASK_SORT_KIND, "service_tasks_kind" },
    { ENR_TASK_SORT_PROGRAM, "service_tasks_program_id" },
    { ENR_TASK_SORT_CREATED_BY, "service_tasks_created_by" },
  };
  EnrMonitor *monitor = open_monitor (fixture);
  EnrTaskListModel *model = enr_monitor_get_model (monitor);

  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    {
      g_autofree char *unfiltered = NULL;
      g_autofree char *filtered = NULL;
      g_auto(GStrv) lines = NULL;

      enr_task_list_model_freeze (model);
      enr_task_list_model_set_status_mask (model, 0);
      enr_task_list_model_set_program_id (model, NULL);
      enr_task_list_model_set_sort (model, sorts[i].sort);
      enr_task_list_model_set_descending (model, i % 2 == 0);
      enr_task_list_model_thaw (model);
      g_assert_cmpuint (n_rows (monitor), ==, 7);
      unfiltered = _enr_task_list_model_explain (model);
      g_test_message ("%s", unfiltered);
      lines = g_strsplit (unfiltered, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 2);
      /* Counted off the store's counts, not the tasks. */
      g_assert_true (g_str_has_prefix (lines[0], "SCAN service_task_counts"));
      g_assert_true (g_str_has_suffix (lines[1], sorts[i].index));
      g_clear_pointer (&lines, g_strfreev);

      enr_task_list_model_freeze (model);
      enr_task_list_model_set_status_mask (model, 1u << ENR_TASK_STATUS_IN_PROGRESS);
      enr_task_list_model_set_program_id (model, "prog-tstat");
      enr_task_list_model_thaw (model);
      g_assert_cmpuint (n_rows (monitor), ==, 1);
      filtered = _enr_task_list_model_explain (model);
      g_test_message ("%s", filtered);
      lines = g_strsplit (filtered, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 2);
      g_assert_true (g_str_has_prefix (lines[0], "SEARCH service_task_counts USING INDEX service_task_counts_key"));
      g_assert_nonnull (strstr (lines[1], "service_tasks_status_program (status=? AND program_id=?)"));
    }
}

/* The store's read-ahead, as the window asks for it. */
typedef struct
{
  EnrStore          *store;
  EnrStoreReadAhead  parts;
} ReadAheadWait;

static gboolean
read_ahead_done (gpointer data)
{
  ReadAheadWait *wait = data;
  EnrStoreReadAhead asked, done;
  guint64 bytes, waits;

  _enr_store_read_ahead_get_progress (wait->store, &asked, &done, &bytes, &waits);
  return asked == wait->parts && done == wait->parts && _enr_store_read_ahead_n_running () == 0;
}

static EnrStoreReadAhead
read_ahead_asked (EnrStore *store)
{
  EnrStoreReadAhead asked, done;
  guint64 bytes, waits;

  _enr_store_read_ahead_get_progress (store, &asked, &done, &bytes, &waits);
  return asked;
}

/* Nothing is read ahead before the window's first frame; after it, a
 * supervisor's store reads the task list's pages and the search's, a
 * clerk's the search's; a clerk who becomes a supervisor gets the task
 * list's too. */
static void
test_read_ahead (Fixture       *fixture,
                 gconstpointer  data)
{
  ReadAheadWait wait = { fixture->store, ENR_STORE_READ_AHEAD_TASKS | ENR_STORE_READ_AHEAD_SEARCH };
  EnrWindow *window = enr_window_new (NULL, fixture->context);

  g_assert_cmpint (read_ahead_asked (fixture->store), ==, 0);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (read_ahead_done, &wait);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_for_pending_work ();

  /* A clerk's store, opened anew. */
  g_clear_object (&fixture->context);
  g_clear_object (&fixture->store);
  {
    g_autoptr(GError) error = NULL;

    fixture->store = enr_store_new (fixture->store_path, NULL, &error);
    g_assert_no_error (error);
  }
  fixture->context = enr_context_new (fixture->store, fixture->settings);
  enr_context_set_today (fixture->context, &fixture->today);
  enr_context_set_username (fixture->context, "clerk");
  enr_context_set_role (fixture->context, ENR_ROLE_CLERK);
  wait.store = fixture->store;
  wait.parts = ENR_STORE_READ_AHEAD_SEARCH;
  window = open_window (fixture);
  wait_until (read_ahead_done, &wait);

  enr_context_set_role (fixture->context, ENR_ROLE_SUPERVISOR);
  wait.parts = ENR_STORE_READ_AHEAD_TASKS | ENR_STORE_READ_AHEAD_SEARCH;
  wait_until (read_ahead_done, &wait);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  enr_gui_init ();
  enr_gui_load_style ();

  g_test_add ("/ui/monitor/clerk-does-not-get-the-view", Fixture, NULL,
              fixture_set_up, test_clerk_does_not_get_the_view, fixture_tear_down);
  g_test_add ("/ui/monitor/read-ahead", Fixture, NULL,
              fixture_set_up, test_read_ahead, fixture_tear_down);
  g_test_add ("/ui/monitor/filters", Fixture, NULL,
              fixture_set_up, test_filters, fixture_tear_down);
  g_test_add ("/ui/monitor/default-size", Fixture, NULL,
              fixture_set_up, test_default_size, fixture_tear_down);
  g_test_add ("/ui/monitor/selection-follows-the-task", Fixture, NULL,
              fixture_set_up, test_selection_follows_the_task, fixture_tear_down);
  g_test_add ("/ui/monitor/sort-by-column", Fixture, NULL,
              fixture_set_up, test_sort_by_column, fixture_tear_down);
  g_test_add ("/ui/monitor/cells", Fixture, NULL,
              fixture_set_up, test_cells, fixture_tear_down);
  g_test_add ("/ui/monitor/history", Fixture, NULL,
              fixture_set_up, test_history, fixture_tear_down);
  g_test_add ("/ui/monitor/cancel-offline", Fixture, NULL,
              fixture_set_up, test_cancel_offline, fixture_tear_down);
  g_test_add ("/ui/monitor/complete-field-work-offline", Fixture, NULL,
              fixture_set_up, test_complete_field_work_offline, fixture_tear_down);
  g_test_add ("/ui/monitor/reschedule-offline", Fixture, NULL,
              fixture_set_up, test_reschedule_offline, fixture_tear_down);
  g_test_add ("/ui/monitor/open-flow", Fixture, NULL,
              fixture_set_up, test_open_flow, fixture_tear_down);
  g_test_add ("/ui/monitor/conflict-resolution", Fixture, NULL,
              fixture_set_up, test_conflict_resolution, fixture_tear_down);
  g_test_add ("/ui/monitor/conflict-choices", Fixture, NULL,
              fixture_set_up, test_conflict_choices, fixture_tear_down);
  g_test_add ("/ui/monitor/export-csv", Fixture, NULL,
              fixture_set_up, test_export_csv, fixture_tear_down);
  g_test_add ("/ui/monitor/dashboard-filters", Fixture, NULL,
              fixture_set_up, test_dashboard_filters, fixture_tear_down);
  g_test_add ("/ui/monitor/dashboard-follows-the-store", Fixture, NULL,
              fixture_set_up, test_dashboard_follows_the_store, fixture_tear_down);
  g_test_add ("/ui/monitor/cells-follow-names", Fixture, NULL,
              fixture_set_up, test_cells_follow_names, fixture_tear_down);
  g_test_add ("/ui/monitor/long-list-fills-cells-in-sight", Fixture, NULL,
              fixture_set_up, test_long_list_fills_cells_in_sight, fixture_tear_down);
  g_test_add ("/ui/monitor/long-list-scroll-bar", Fixture, NULL,
              fixture_set_up, test_long_list_scroll_bar, fixture_tear_down);
  g_test_add ("/ui/monitor/long-list-keys", Fixture, NULL,
              fixture_set_up, test_long_list_keys, fixture_tear_down);
  g_test_add ("/ui/monitor/long-list-filtered-at-the-bottom", Fixture, NULL,
              fixture_set_up, test_long_list_filtered_at_the_bottom, fixture_tear_down);
  g_test_add ("/ui/monitor/query-plans", Fixture, NULL,
              fixture_set_up, test_query_plans, fixture_tear_down);

  return g_test_run ();
}

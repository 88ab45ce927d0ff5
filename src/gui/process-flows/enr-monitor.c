/* enr-monitor.c — Process Flows: every service task, for supervisors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkColumnView over the store's EnrTaskListModel, which reads rows a
 * page at a time, so the list stays smooth with a million tasks. Sorting
 * is the store's (SQL ORDER BY over an index), never a GtkSortListModel:
 * each sortable column carries a probe sorter, and when the column
 * view's sorter changes (a header click) one comparison of two dummy
 * items tells which column leads and in which direction — GTK 4.8 has no
 * getter for that — and the model is told. The task id, customer and
 * appointment columns have no store sort and so no sorter. Filters
 * (status, kind, program, clerk, age, customer text) are the model's;
 * the count reads "N of M process flows", M from the dashboard's counts.
 *
 * The column view does not list the model: it lists a window of rows
 * as tall as the list (EnrWindowModel, see enr-monitor-window.c), and a
 * scroll bar beside it goes over every task. Scrolling, a long jump
 * included, makes the same rows stand for other tasks and sets their
 * texts; a rebuild (a filter, a sort, a sync) reads only the rows in
 * sight too. A task's cell texts are made once, all columns together,
 * and kept on the task (the model keeps a page's tasks while the list
 * scrolls back and forth); the monitor knows its bound cells and sets
 * their texts again after a scroll, a rebuild or when names change,
 * instead of a signal handler per cell.
 * A rebuild the user asked for (filter, sort) starts at the top; one the
 * store caused (a sync) keeps the scroll position.
 *
 * The selection is a task, not a row: it follows the task across
 * filters, sorts and syncs, and goes when the task is no longer listed.
 * The side pane shows the selected task (read again from the store after
 * every change), its actions and its history, or nothing. Every action goes through
 * the outbox (enr-monitor-actions.c), so it works offline. The view
 * reads nothing and offers nothing unless the signed-in user is a
 * supervisor ("available"); the service refuses a clerk anyway.
 *
 * This file keeps the widget, its model, selection and availability; the
 * other parts are listed in enr-monitor-private.h.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-monitor-private.h"

G_DEFINE_FINAL_TYPE (EnrMonitor, enr_monitor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_AVAILABLE,
  PROP_EXPORTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The selected task
 *
 * The selection is a task, kept by its id (selected_task_id), never a
 * row: the rows are positions in a list that a filter, a sort or a sync
 * replaces. After every rebuild the task is looked up in the new list
 * (enr_task_list_model_get_position()) and its row selected again; when
 * it is no longer listed nothing is selected, and the side pane is empty.
 * The side pane shows the selected row's task, or nothing. */

static void
set_selected_task_id (EnrMonitor *self,
                      const char *task_id)
{
  if (g_strcmp0 (self->selected_task_id, task_id) == 0)
    return;

  g_free (self->selected_task_id);
  self->selected_task_id = g_strdup (task_id);
  _enr_monitor_refresh_details (self);
}

/* The user selected a row of the window (or none): its task. */
static void
on_selection_changed_cb (EnrMonitor *self)
{
  EnrWindowRow *row;
  EnrServiceTask *task = NULL;

  /* While the list is replaced the selection says nothing yet; while
   * the window moves it follows the task. */
  if (self->rebuilding || self->selecting)
    return;

  row = gtk_single_selection_get_selected_item (self->selection);
  if (row != NULL && enr_window_row_get_listed (row))
    task = enr_window_row_get_item (row);
  if (!ENR_IS_SERVICE_TASK (task))
    task = NULL;

  self->selected_position = task != NULL ? enr_window_row_get_position (row) : G_MAXUINT;
  set_selected_task_id (self, task != NULL ? enr_entity_get_id (ENR_ENTITY (task)) : NULL);
}

/* Selects the row of the selected task, or nothing when it is not listed. */
static void
select_task_row (EnrMonitor *self,
                 gboolean    scroll)
{
  guint position = G_MAXUINT;

  if (self->selected_task_id != NULL)
    position = enr_task_list_model_get_position (self->model, self->selected_task_id);

  /* Not gtk_selection_model_unselect_all() when the task is gone: GTK
   * 4.8's single selection does not implement it, and the row would stay
   * highlighted, showing another task. */
  self->selected_position = position;
  if (position == G_MAXUINT)
    set_selected_task_id (self, NULL);
  else if (scroll)
    _enr_monitor_scroll_to_position (self, position);
  _enr_monitor_update_window_selection (self);
}

static void
on_row_activated_cb (EnrMonitor *self,
                     guint       position)
{
  if (self->selection == NULL)
    return;

  /* @position is the window's row. */
  gtk_single_selection_set_selected (self->selection, position);
  if (self->selected_task != NULL && enr_monitor_task_can_open (self->selected_task))
    gtk_widget_activate_action (GTK_WIDGET (self), "monitor.open", NULL);
}

/* Store changes */

static void
on_store_changed_cb (EnrMonitor *self,
                     GType       type,
                     EnrStore   *store)
{
  if (!self->available)
    return;

  if (type == ENR_TYPE_CUSTOMER || type == ENR_TYPE_PROGRAM || type == ENR_TYPE_CREW)
    {
      enr_task_formatter_clear (self->formatter);
      self->texts_generation++;
      _enr_monitor_update_bound_cells (self);
    }

  if (type == ENR_TYPE_PROGRAM)
    {
      self->updating = TRUE;
      _enr_monitor_fill_program_filter (self);
      self->updating = FALSE;
    }
  else if (type == ENR_TYPE_USER)
    {
      self->updating = TRUE;
      _enr_monitor_fill_clerk_filter (self);
      self->updating = FALSE;
    }

  if (type == ENR_TYPE_SERVICE_TASK || type == ENR_TYPE_CUSTOMER_COMMUNICATION ||
      type == ENR_TYPE_APPOINTMENT || type == ENR_TYPE_PROGRAM || type == ENR_TYPE_CUSTOMER)
    _enr_monitor_queue_refresh (self);
}

static void
on_outbox_changed_cb (EnrMonitor *self)
{
  if (!self->available)
    return;

  _enr_monitor_read_unsent (self);
  _enr_monitor_update_bound_cells (self);
  _enr_monitor_update_conflicts (self);
  _enr_monitor_queue_refresh (self);
}

static void
on_dashboard_stats_changed_cb (EnrMonitor *self)
{
  _enr_monitor_update_count_label (self);
}

/* Before the rows take the rebuilt list's items. */
static void
on_items_changing_cb (EnrMonitor *self)
{
  self->rebuilding = TRUE;
}

/* After a rebuild the rows show other tasks: the selected task's row is
 * selected again, wherever it went, or nothing. A filter or a sort the
 * user asked for starts at the top, or at the selected task; a store
 * change keeps the place. */
static void
on_items_changed_cb (EnrMonitor *self)
{
  self->rebuilding = FALSE;

  _enr_monitor_update_scroll_bar (self);
  if (self->user_rebuild)
    gtk_adjustment_set_value (self->vadjustment, 0);
  _enr_monitor_sync_window (self);
  select_task_row (self, self->user_rebuild);

  _enr_monitor_update_bound_cells (self);
  _enr_monitor_update_count_label (self);
}

/* Availability */

static void
create_model (EnrMonitor *self)
{
  /* Sorted at construction: the model reads once. */
  self->model = g_object_new (ENR_TYPE_TASK_LIST_MODEL,
                              "store", enr_context_get_store (self->context),
                              "sort", ENR_TASK_SORT_CREATED_AT,
                              "descending", TRUE,
                              NULL);
  /* Before the window's handler: the selection it disturbs is put back
   * after. */
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changing_cb), self,
                           G_CONNECT_SWAPPED);
  _enr_monitor_create_window (self);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->window)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (on_selection_changed_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->column_view, self->columns[ENR_MONITOR_COLUMN_CREATED_AT],
                                  GTK_SORT_DESCENDING);
}

static void
drop_model (EnrMonitor *self)
{
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);

  gtk_column_view_set_model (self->column_view, NULL);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->window);
  self->selected_position = G_MAXUINT;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
}

/* The list and the counts are read when the view is first shown, not
 * when the window opens. */
static void
ensure_model (EnrMonitor *self)
{
  if (!self->available || self->model != NULL)
    return;

  _enr_monitor_read_unsent (self);
  create_model (self);
  enr_dashboard_set_context (self->dashboard, self->context);
  enr_task_history_set_context (self->history, self->context);
  _enr_monitor_update_count_label (self);
  _enr_monitor_update_actions (self);
}

static void
update_availability (EnrMonitor *self)
{
  gboolean available = self->context != NULL && enr_context_get_role (self->context) == ENR_ROLE_SUPERVISOR;

  if (available && !self->available)
    {
      self->available = TRUE;
      g_clear_object (&self->formatter);
      self->formatter = enr_task_formatter_new (self->context);
      self->texts_generation++;

      self->updating = TRUE;
      _enr_monitor_reset_filter_widgets (self);
      _enr_monitor_fill_program_filter (self);
      _enr_monitor_fill_clerk_filter (self);
      self->updating = FALSE;

      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        ensure_model (self);
      gtk_stack_set_visible_child_name (self->stack, "monitor");
    }
  else if (!available)
    {
      self->available = FALSE;
      drop_model (self);
      g_clear_pointer (&self->unsent, g_hash_table_unref);
      enr_dashboard_set_context (self->dashboard, NULL);
      enr_task_history_set_context (self->history, NULL);
      g_clear_pointer (&self->selected_task_id, g_free);
      gtk_stack_set_visible_child_name (self->stack, "denied");
    }

  _enr_monitor_update_status_button (self);
  _enr_monitor_update_count_label (self);
  _enr_monitor_update_conflicts (self);
  _enr_monitor_refresh_details (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

static void
on_role_changed_cb (EnrMonitor *self)
{
  update_availability (self);
}

/* For every part */

GtkWindow *
_enr_monitor_get_parent_window (EnrMonitor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
_enr_monitor_show_error (EnrMonitor   *self,
                         const char   *primary,
                         const GError *error)
{
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (_enr_monitor_get_parent_window (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                   "%s", primary);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  gtk_widget_add_css_class (dialog, "monitor-error-dialog");
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_enr_monitor_notify_exporting (EnrMonitor *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPORTING]);
}

/* GObject */

static void
enr_monitor_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (enr_monitor_parent_class)->map (widget);

  ensure_model (ENR_MONITOR (widget));
}

static void
enr_monitor_dispose (GObject *object)
{
  EnrMonitor *self = (EnrMonitor *) object;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export);
  g_clear_object (&self->export_cancellable);

  g_signal_group_set_target (self->context_signals, NULL);
  g_signal_group_set_target (self->store_signals, NULL);
  g_signal_group_set_target (self->outbox_signals, NULL);
  g_clear_handle_id (&self->fit_columns_id, g_source_remove);

  if (self->column_view != NULL)
    {
      drop_model (self);
      g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
    }

  _enr_monitor_dispose_window (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_MONITOR);
  enr_widget_unparent_children (GTK_WIDGET (object));

  g_clear_object (&self->selected_task);
  g_clear_object (&self->completing_task);
  g_clear_object (&self->selected_conflict);
  g_clear_object (&self->formatter);
  g_clear_object (&self->context);
  g_clear_object (&self->probe_a);
  g_clear_object (&self->probe_b);

  G_OBJECT_CLASS (enr_monitor_parent_class)->dispose (object);
}

static void
enr_monitor_finalize (GObject *object)
{
  EnrMonitor *self = (EnrMonitor *) object;

  g_clear_pointer (&self->selected_task_id, g_free);
  g_clear_pointer (&self->export_message, g_free);
  g_clear_pointer (&self->export_file_name, g_free);
  g_clear_pointer (&self->bound_cells, g_hash_table_unref);
  g_clear_pointer (&self->unsent, g_hash_table_unref);
  g_clear_object (&self->context_signals);
  g_clear_object (&self->store_signals);
  g_clear_object (&self->outbox_signals);

  G_OBJECT_CLASS (enr_monitor_parent_class)->finalize (object);
}

static void
enr_monitor_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EnrMonitor *self = ENR_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;

    case PROP_EXPORTING:
      g_value_set_boolean (value, self->export != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_monitor_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  EnrMonitor *self = ENR_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      enr_monitor_set_context (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_monitor_class_init (EnrMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_monitor_dispose;
  object_class->finalize = enr_monitor_finalize;
  object_class->get_property = enr_monitor_get_property;
  object_class->set_property = enr_monitor_set_property;

  widget_class->map = enr_monitor_map;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ENR_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Whether the signed-in user may see the view: a supervisor. */
  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EXPORTING] =
    g_param_spec_boolean ("exporting", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ENR_TYPE_DASHBOARD);
  g_type_ensure (ENR_TYPE_TASK_HISTORY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/process-flows/enr-monitor.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, stack);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, customer_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, status_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, status_box);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, kind_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, program_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, clerk_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, age_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, conflicts_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, export_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, dashboard_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, clear_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, dashboard);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, column_view);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, list_scrollbar);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, count_label);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, export_progress);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, export_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, details_stack);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, details_scroller);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, actions_box);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, details_box);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, task_title);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, task_subtitle);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, customer_value);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, program_value);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, status_value);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, created_value);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, appointment_value);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, open_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, reschedule_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, complete_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, resolve_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, history);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);

  _enr_monitor_class_init_details (widget_class);
  _enr_monitor_class_init_export (widget_class);
  _enr_monitor_class_init_filters (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "monitor");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
enr_monitor_init (EnrMonitor *self)
{
  self->bound_cells = g_hash_table_new (NULL, NULL);

  /* The view follows its context's role, store and outbox. */
  self->context_signals = g_signal_group_new (ENR_TYPE_CONTEXT);
  g_signal_group_connect_object (self->context_signals, "notify::role", G_CALLBACK (on_role_changed_cb), self,
                                 G_CONNECT_SWAPPED);
  self->store_signals = g_signal_group_new (ENR_TYPE_STORE);
  g_signal_group_connect_object (self->store_signals, "changed", G_CALLBACK (on_store_changed_cb), self,
                                 G_CONNECT_SWAPPED);
  self->outbox_signals = g_signal_group_new (ENR_TYPE_OUTBOX);
  g_signal_group_connect_object (self->outbox_signals, "changed", G_CALLBACK (on_outbox_changed_cb), self,
                                 G_CONNECT_SWAPPED);

  gtk_widget_init_template (GTK_WIDGET (self));
  enr_widget_set_accessible_label (GTK_WIDGET (self), _("Process Flows"));

  self->probe_a = g_object_new (G_TYPE_OBJECT, NULL);
  self->probe_b = g_object_new (G_TYPE_OBJECT, NULL);
  self->probe_column = -1;

  _enr_monitor_init_filters (self);
  _enr_monitor_add_columns (self);
  enr_list_set_one_tab_stop (GTK_WIDGET (self->column_view));
  _enr_monitor_init_window (self);

  g_signal_connect_object (self->dashboard, "notify::stats", G_CALLBACK (on_dashboard_stats_changed_cb), self,
                           G_CONNECT_SWAPPED);

  enr_button_set_accessible_name (GTK_WIDGET (self->export_button));
  enr_button_set_accessible_name (self->dashboard_button);
  enr_button_set_accessible_name (self->clear_button);
  enr_button_set_accessible_name (self->open_button);
  enr_button_set_accessible_name (self->reschedule_button);
  enr_button_set_accessible_name (self->complete_button);
  enr_button_set_accessible_name (self->resolve_button);
  enr_button_set_accessible_name (self->cancel_button);

  /* The action buttons wrap in a flow box; Tab goes from button to
   * button, never to the flow box's child around one (a stop that does
   * nothing). */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);

  update_availability (self);
}

GtkWidget *
enr_monitor_new (void)
{
  return g_object_new (ENR_TYPE_MONITOR, NULL);
}

/**
 * enr_monitor_get_context:
 *
 * Returns: (transfer none) (nullable): the context
 */
EnrContext *
enr_monitor_get_context (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return self->context;
}

/**
 * enr_monitor_set_context:
 * @context: (nullable): the context; the view follows its role
 */
void
enr_monitor_set_context (EnrMonitor *self,
                         EnrContext *context)
{
  g_return_if_fail (ENR_IS_MONITOR (self));
  g_return_if_fail (context == NULL || ENR_IS_CONTEXT (context));

  if (self->context == context)
    return;

  if (self->context != NULL)
    {
      if (enr_context_get_settings (self->context) != NULL)
        g_settings_unbind (self->dashboard_button, "active");
      g_signal_group_set_target (self->context_signals, NULL);
      g_signal_group_set_target (self->store_signals, NULL);
      g_signal_group_set_target (self->outbox_signals, NULL);
      g_clear_object (&self->context);
      update_availability (self);
    }

  if (context != NULL)
    {
      EnrStore *store = enr_context_get_store (context);

      self->context = g_object_ref (context);
      /* The dashboard stays as the supervisor left it. */
      if (enr_context_get_settings (context) != NULL)
        g_settings_bind (enr_context_get_settings (context), "show-dashboard",
                         self->dashboard_button, "active", G_SETTINGS_BIND_DEFAULT);
      g_signal_group_set_target (self->context_signals, context);
      g_signal_group_set_target (self->store_signals, store);
      g_signal_group_set_target (self->outbox_signals, enr_store_get_outbox (store));
      update_availability (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

/**
 * enr_monitor_get_available:
 *
 * Returns: whether the view shows anything: the user is a supervisor
 */
gboolean
enr_monitor_get_available (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), FALSE);

  return self->available;
}

/**
 * enr_monitor_get_model:
 *
 * Returns: (transfer none) (nullable): the list, %NULL unless available
 *   and shown once
 */
EnrTaskListModel *
enr_monitor_get_model (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return self->model;
}

GtkColumnViewColumn *
enr_monitor_get_column (EnrMonitor       *self,
                        EnrMonitorColumn  column)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);
  g_return_val_if_fail (column < ENR_MONITOR_N_COLUMNS, NULL);

  return self->columns[column];
}

GtkWidget *
enr_monitor_get_column_view (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return GTK_WIDGET (self->column_view);
}

/**
 * enr_monitor_get_vadjustment:
 *
 * Returns: (transfer none): the scroll bar's adjustment, over every task
 *   listed, in rows: its value is the row at the top (a fraction of it
 *   scrolled out of sight), its page the rows in sight
 */
GtkAdjustment *
enr_monitor_get_vadjustment (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return self->vadjustment;
}

GtkWidget *
enr_monitor_get_count_label (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return GTK_WIDGET (self->count_label);
}

GtkWidget *
enr_monitor_get_dashboard (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return GTK_WIDGET (self->dashboard);
}

GtkWidget *
enr_monitor_get_history (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return GTK_WIDGET (self->history);
}

GtkWidget *
enr_monitor_get_details (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return self->details_box;
}

const char *
enr_monitor_get_selected_task_id (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return self->selected_task_id;
}

/**
 * enr_monitor_select_task:
 * @task_id: (nullable): the task to select, %NULL for none
 *
 * Selects @task_id's row and shows it in the side pane; the filters are
 * cleared when they hide it. An unknown task selects nothing.
 */
void
enr_monitor_select_task (EnrMonitor *self,
                         const char *task_id)
{
  g_return_if_fail (ENR_IS_MONITOR (self));

  set_selected_task_id (self, task_id);
  if (self->model == NULL)
    return;

  if (task_id != NULL && enr_task_list_model_get_position (self->model, task_id) == G_MAXUINT)
    enr_monitor_clear_filters (self);
  else
    select_task_row (self, TRUE);
}

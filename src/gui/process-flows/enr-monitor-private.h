/* enr-monitor-private.h — what the Process Flows view's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * enr-monitor.c: the widget, its model, selection and availability;
 * enr-monitor-window.c: the rows in sight, the scroll bar over all of
 *   them, the wheel and the keys that move along the list;
 * enr-monitor-cells.c: the columns, their cells and sorting;
 * enr-monitor-filters.c: the filter bar and the dashboard's shortcuts;
 * enr-monitor-details.c: the side pane, the task's actions, conflicts;
 * enr-monitor-export.c: the CSV export.
 */
#pragma once

#include <glib/gi18n-lib.h>

#include "enr-dashboard.h"
#include "enr-gui-utils.h"
#include "enr-monitor.h"
#include "enr-monitor-actions.h"
#include "enr-task-export.h"
#include "enr-task-formatter.h"
#include "enr-task-history.h"
#include "enr-window-model.h"

G_BEGIN_DECLS

#define N_STATUSES (ENR_TASK_STATUS_CANCELED + 1)
#define ALL_STATUSES ((1u << N_STATUSES) - 1)

typedef struct
{
  EnrMonitor       *self;
  EnrMonitorColumn  column;
} CellColumn;

struct _EnrMonitor
{
  GtkWidget             parent_instance;

  GtkStack             *stack;
  GtkSearchEntry       *customer_entry;
  GtkMenuButton        *status_button;
  GtkBox               *status_box;
  GtkDropDown          *kind_drop_down;
  GtkDropDown          *program_drop_down;
  GtkDropDown          *clerk_drop_down;
  GtkDropDown          *age_drop_down;
  GtkButton            *conflicts_button;
  GtkButton            *export_button;
  GtkWidget            *dashboard_button;
  GtkWidget            *clear_button;
  EnrDashboard         *dashboard;
  GtkScrolledWindow    *list_scroller;
  GtkColumnView        *column_view;
  GtkScrollbar         *list_scrollbar;
  GtkLabel             *count_label;
  GtkProgressBar       *export_progress;
  GtkButton            *export_cancel_button;
  GtkStack             *details_stack;
  GtkWidget            *details_scroller;
  GtkFlowBox           *actions_box;
  GtkWidget            *details_box;
  GtkLabel             *task_title;
  GtkLabel             *task_subtitle;
  GtkLabel             *conflict_label;
  GtkLabel             *customer_value;
  GtkLabel             *program_value;
  GtkLabel             *status_value;
  GtkLabel             *created_value;
  GtkLabel             *appointment_value;
  GtkWidget            *open_button;
  GtkWidget            *reschedule_button;
  GtkWidget            *complete_button;
  GtkWidget            *resolve_button;
  GtkWidget            *cancel_button;
  EnrTaskHistory       *history;

  EnrContext           *context;
  GSignalGroup         *context_signals;
  GSignalGroup         *store_signals;
  GSignalGroup         *outbox_signals;
  EnrTaskListModel     *model;
  EnrWindowModel       *window;        /* the rows in sight */
  GtkSingleSelection   *selection;
  EnrTaskFormatter     *formatter;
  GtkColumnViewColumn  *columns[ENR_MONITOR_N_COLUMNS];
  CellColumn            cell_columns[ENR_MONITOR_N_COLUMNS];
  GHashTable           *bound_cells;
  GtkAdjustment        *vadjustment;     /* the scroll bar's, in rows, over every task */
  GtkAdjustment        *list_adjustment; /* the column view's, within the window; not owned */
  double                row_height;      /* 0 until the list is laid out */
  guint                 selected_position; /* the selected task's, G_MAXUINT for none */
  guint                 layout_id;
  guint                 texts_generation;
  GtkWidget            *status_checks[N_STATUSES];
  GObject              *probe_a;
  GObject              *probe_b;
  int                   probe_column;
  guint                 fit_columns_id;
  GHashTable           *unsent;       /* task id → EnrOperationState (enr_monitor_list_unsent_tasks()) */
  char                 *selected_task_id;
  EnrServiceTask       *selected_task;
  EnrServiceTask       *completing_task;
  EnrOperation         *selected_conflict;
  guint                 n_unresolved;
  guint                 refresh_source;
  EnrTaskExport        *export;
  GCancellable         *export_cancellable;
  char                 *export_file_name;
  GtkFileChooserNative *chooser;
  char                 *export_message;
  guint                 available : 1;
  guint                 updating : 1;
  guint                 user_rebuild : 1;
  guint                 rebuilding : 1;
  guint                 syncing : 1;     /* the list's scrolling follows the scroll bar */
  guint                 selecting : 1;   /* the window's selection follows the task */
  guint                 refocusing : 1;  /* the focus follows its task */
};

/* enr-monitor.c */
GtkWindow  *_enr_monitor_get_parent_window    (EnrMonitor      *self);
void        _enr_monitor_show_error           (EnrMonitor      *self,
                                               const char      *primary,
                                               const GError    *error);
void        _enr_monitor_notify_exporting     (EnrMonitor      *self);

/* enr-monitor-window.c */
void        _enr_monitor_init_window          (EnrMonitor      *self);
void        _enr_monitor_dispose_window       (EnrMonitor      *self);
void        _enr_monitor_create_window        (EnrMonitor      *self);
void        _enr_monitor_update_scroll_bar    (EnrMonitor      *self);
void        _enr_monitor_sync_window          (EnrMonitor      *self);
void        _enr_monitor_update_window_selection (EnrMonitor   *self);
void        _enr_monitor_scroll_to_position   (EnrMonitor      *self,
                                               guint            position);

/* enr-monitor-cells.c */
void        _enr_monitor_add_columns          (EnrMonitor      *self);
void        _enr_monitor_update_bound_cells   (EnrMonitor      *self);
void        _enr_monitor_read_unsent          (EnrMonitor      *self);

/* enr-monitor-filters.c */
void        _enr_monitor_class_init_filters   (GtkWidgetClass  *widget_class);
void        _enr_monitor_init_filters         (EnrMonitor      *self);
void        _enr_monitor_reset_filter_widgets (EnrMonitor      *self);
void        _enr_monitor_fill_program_filter  (EnrMonitor      *self);
void        _enr_monitor_fill_clerk_filter    (EnrMonitor      *self);
void        _enr_monitor_update_status_button (EnrMonitor      *self);
void        _enr_monitor_update_count_label   (EnrMonitor      *self);

/* enr-monitor-details.c */
void        _enr_monitor_class_init_details   (GtkWidgetClass  *widget_class);
void        _enr_monitor_refresh_details      (EnrMonitor      *self);
void        _enr_monitor_queue_refresh        (EnrMonitor      *self);
void        _enr_monitor_update_conflicts     (EnrMonitor      *self);
void        _enr_monitor_update_actions       (EnrMonitor      *self);

/* enr-monitor-export.c */
void        _enr_monitor_class_init_export    (GtkWidgetClass  *widget_class);

G_END_DECLS

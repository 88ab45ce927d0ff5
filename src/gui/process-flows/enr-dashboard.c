/* enr-dashboard.c — charts of the service tasks: by program and status,
 * and the ageing of the tasks in progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two GtkDrawingAreas drawn with cairo: one stacked bar per program (a
 * segment per task status) and a histogram of the tasks in progress by
 * age. Colours come from the widget's style (its foreground colour and
 * the theme's named colours), so the charts read in light and dark
 * styles. Clicking a segment, a program's name or a histogram column —
 * or moving to it with the arrow keys and pressing Enter — emits
 * "program-activated" or "age-activated"; the Process Flows view filters
 * its list with it. The counts (EnrTaskStats) are read on a worker
 * thread when the context is set and again a moment after the store's
 * service tasks or programs change, as a sync brings changes, or the
 * outbox changes. The counts are of the tasks as this computer has them;
 * the part of a segment changed here and not (yet) on the service is
 * hatched, and a line above the chart counts those tasks apart: what the
 * service holds and what waits are not mixed up.
 *
 * This file is the widget: reading the counts, reloading, activation.
 * The charts are drawn and take input in enr-dashboard-charts.c; the
 * counts are put in name order and in words in enr-dashboard-counts.c.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-dashboard-private.h"
#include "enr-gui-utils.h"
#include "enr-outbox.h"

G_DEFINE_FINAL_TYPE (EnrDashboard, enr_dashboard, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_STATS,
  PROP_LOADING,
  N_PROPS
};

enum {
  PROGRAM_ACTIVATED,
  AGE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The counts */

static void
set_stats (EnrDashboard *self,
           EnrTaskStats *stats)
{
  g_set_object (&self->stats, stats);
  g_hash_table_remove_all (self->names);

  g_array_set_size (self->order, 0);
  for (guint i = 0; i < _enr_dashboard_n_programs (self); i++)
    g_array_append_val (self->order, i);
  g_array_sort_with_data (self->order, _enr_dashboard_compare_rows, self);

  if (self->selected_program >= _enr_dashboard_n_programs (self))
    self->selected_program = 0;

  _enr_dashboard_update_programs_height (self);
  _enr_dashboard_update_summaries (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->programs_area));
  gtk_widget_queue_draw (GTK_WIDGET (self->ageing_area));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS]);
}

static void
set_loading (EnrDashboard *self,
             gboolean      loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_stats_loaded_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EnrDashboard) self = user_data;
  g_autoptr(EnrTaskStats) stats = NULL;
  g_autoptr(GError) error = NULL;

  stats = enr_task_stats_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  if (stats == NULL)
    g_warning ("%s", error->message);
  else
    set_stats (self, stats);
  set_loading (self, FALSE);
}

/* Activation: the charts' clicks and Enter */

void
_enr_dashboard_activate_program (EnrDashboard *self,
                                 guint         index,
                                 int           status)
{
  g_signal_emit (self, signals[PROGRAM_ACTIVATED], 0,
                 enr_task_stats_get_program_id (self->stats, index), status);
}

void
_enr_dashboard_activate_age (EnrDashboard *self,
                            EnrAgeBucket  bucket)
{
  g_signal_emit (self, signals[AGE_ACTIVATED], 0, bucket);
}

/* Reloading */

static gboolean
on_reload_timeout_cb (gpointer user_data)
{
  EnrDashboard *self = user_data;

  self->reload_source = 0;
  enr_dashboard_reload (self);
  return G_SOURCE_REMOVE;
}

static void
queue_reload (EnrDashboard *self)
{
  g_clear_handle_id (&self->reload_source, g_source_remove);
  self->reload_source = g_timeout_add (ENR_DASHBOARD_RELOAD_DELAY_MS, on_reload_timeout_cb, self);
}

static void
on_store_changed_cb (EnrDashboard *self,
                     GType         type,
                     EnrStore     *store)
{
  if (type == ENR_TYPE_PROGRAM)
    {
      g_hash_table_remove_all (self->names);
      _enr_dashboard_update_summaries (self);
      gtk_widget_queue_draw (GTK_WIDGET (self->programs_area));
      return;
    }

  if (type != ENR_TYPE_SERVICE_TASK)
    return;

  queue_reload (self);
}

/* GObject */

static void
enr_dashboard_dispose (GObject *object)
{
  EnrDashboard *self = (EnrDashboard *) object;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_handle_id (&self->relayout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_signal_group_set_target (self->store_signals, NULL);
  g_signal_group_set_target (self->outbox_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_DASHBOARD);
  enr_widget_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->context);
  g_clear_object (&self->stats);

  G_OBJECT_CLASS (enr_dashboard_parent_class)->dispose (object);
}

static void
enr_dashboard_finalize (GObject *object)
{
  EnrDashboard *self = (EnrDashboard *) object;

  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->hits, g_array_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_object (&self->store_signals);
  g_clear_object (&self->outbox_signals);

  G_OBJECT_CLASS (enr_dashboard_parent_class)->finalize (object);
}

static void
enr_dashboard_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EnrDashboard *self = ENR_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_STATS:
      g_value_set_object (value, self->stats);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_dashboard_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  EnrDashboard *self = ENR_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      enr_dashboard_set_context (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_dashboard_class_init (EnrDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_dashboard_dispose;
  object_class->finalize = enr_dashboard_finalize;
  object_class->get_property = enr_dashboard_get_property;
  object_class->set_property = enr_dashboard_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ENR_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATS] =
    g_param_spec_object ("stats", NULL, NULL,
                         ENR_TYPE_TASK_STATS,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EnrDashboard::program-activated:
   * @program_id: the program of the bar
   * @status: an #EnrTaskStatus, or %ENR_DASHBOARD_ANY_STATUS for the whole bar
   */
  signals[PROGRAM_ACTIVATED] =
    g_signal_new ("program-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);

  /**
   * EnrDashboard::age-activated:
   * @bucket: an #EnrAgeBucket of the tasks in progress
   */
  signals[AGE_ACTIVATED] =
    g_signal_new ("age-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/process-flows/enr-dashboard.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrDashboard, programs_area);
  gtk_widget_class_bind_template_child (widget_class, EnrDashboard, ageing_area);
  gtk_widget_class_bind_template_child (widget_class, EnrDashboard, sync_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dashboard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
enr_dashboard_init (EnrDashboard *self)
{
  self->outbox_signals = g_signal_group_new (ENR_TYPE_OUTBOX);
  g_signal_group_connect_object (self->outbox_signals, "changed", G_CALLBACK (queue_reload), self,
                                 G_CONNECT_SWAPPED);
  self->store_signals = g_signal_group_new (ENR_TYPE_STORE);
  g_signal_group_connect_object (self->store_signals, "changed", G_CALLBACK (on_store_changed_cb), self,
                                 G_CONNECT_SWAPPED);

  gtk_widget_init_template (GTK_WIDGET (self));
  enr_widget_set_accessible_label (GTK_WIDGET (self), _("Dashboard"));

  self->order = g_array_new (FALSE, FALSE, sizeof (guint));
  self->hits = g_array_new (FALSE, FALSE, sizeof (HitArea));
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->selected_status = ENR_DASHBOARD_ANY_STATUS;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_HORIZONTAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 12);
  gtk_box_layout_set_homogeneous (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), FALSE);

  _enr_dashboard_init_charts (self);

  _enr_dashboard_update_summaries (self);
}

GtkWidget *
enr_dashboard_new (void)
{
  return g_object_new (ENR_TYPE_DASHBOARD, NULL);
}

/**
 * enr_dashboard_get_context:
 *
 * Returns: (transfer none) (nullable): the context
 */
EnrContext *
enr_dashboard_get_context (EnrDashboard *self)
{
  g_return_val_if_fail (ENR_IS_DASHBOARD (self), NULL);

  return self->context;
}

/**
 * enr_dashboard_set_context:
 * @context: (nullable): where the counts come from; %NULL shows none
 */
void
enr_dashboard_set_context (EnrDashboard *self,
                           EnrContext   *context)
{
  g_return_if_fail (ENR_IS_DASHBOARD (self));
  g_return_if_fail (context == NULL || ENR_IS_CONTEXT (context));

  if (self->context == context)
    return;

  g_set_object (&self->context, context);
  g_signal_group_set_target (self->store_signals, context != NULL ? enr_context_get_store (context) : NULL);
  g_signal_group_set_target (self->outbox_signals,
                             context != NULL ? enr_store_get_outbox (enr_context_get_store (context)) : NULL);

  set_stats (self, NULL);
  enr_dashboard_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

/**
 * enr_dashboard_get_stats:
 *
 * Returns: (transfer none) (nullable): the counts shown, %NULL before the
 *   first are read
 */
EnrTaskStats *
enr_dashboard_get_stats (EnrDashboard *self)
{
  g_return_val_if_fail (ENR_IS_DASHBOARD (self), NULL);

  return self->stats;
}

gboolean
enr_dashboard_get_loading (EnrDashboard *self)
{
  g_return_val_if_fail (ENR_IS_DASHBOARD (self), FALSE);

  return self->loading;
}

/**
 * enr_dashboard_reload:
 *
 * Reads the counts again, on a worker thread; a read still running is
 * abandoned.
 */
void
enr_dashboard_reload (EnrDashboard *self)
{
  g_return_if_fail (ENR_IS_DASHBOARD (self));

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->context == NULL)
    {
      set_loading (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  enr_task_stats_load_async (enr_store_get_path (enr_context_get_store (self->context)),
                             g_get_real_time () / G_USEC_PER_SEC,
                             self->cancellable, on_stats_loaded_cb, g_object_ref (self));
}

GtkWidget *
enr_dashboard_get_programs_area (EnrDashboard *self)
{
  g_return_val_if_fail (ENR_IS_DASHBOARD (self), NULL);

  return GTK_WIDGET (self->programs_area);
}

GtkWidget *
enr_dashboard_get_ageing_area (EnrDashboard *self)
{
  g_return_val_if_fail (ENR_IS_DASHBOARD (self), NULL);

  return GTK_WIDGET (self->ageing_area);
}

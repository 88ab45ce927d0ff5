/* enr-monitor-export.c — Process Flows: the CSV export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list as filtered and sorted, written in the background
 * (EnrTaskExport) with a progress bar and a way to stop it.
 */

#include "config.h"

#include "enr-monitor-private.h"

static void
update_export_progress (EnrMonitor *self)
{
  g_autofree char *text = NULL;

  if (self->export == NULL)
    return;

  /* Translators: rows written and rows to write, e.g. "1500 of 10000" */
  text = g_strdup_printf (_("%u of %u"), enr_task_export_get_n_written (self->export),
                          enr_task_export_get_n_items (self->export));
  gtk_progress_bar_set_fraction (self->export_progress, enr_task_export_get_fraction (self->export));
  gtk_progress_bar_set_text (self->export_progress, text);
}

static void
end_export (EnrMonitor *self)
{
  g_clear_object (&self->export);
  g_clear_object (&self->export_cancellable);
  g_clear_pointer (&self->export_file_name, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->export_progress), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->export_cancel_button), FALSE);
  _enr_monitor_update_actions (self);
  _enr_monitor_update_count_label (self);
  _enr_monitor_notify_exporting (self);
}

static void
on_export_done_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(EnrMonitor) self = user_data;
  EnrTaskExport *export = ENR_TASK_EXPORT (source_object);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->export_message, g_free);
  if (enr_task_export_write_finish (export, result, &error))
    self->export_message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%u process flow exported to %s",
                                                         "%u process flows exported to %s",
                                                         enr_task_export_get_n_written (export)),
                                            enr_task_export_get_n_written (export), self->export_file_name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->export_message = g_strdup (_("Export stopped"));
  else if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    _enr_monitor_show_error (self, _("The process flows could not be exported"), error);

  if (self->export == export)
    end_export (self);
}

static void
on_export_cancel_clicked_cb (EnrMonitor *self)
{
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        EnrMonitor      *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);

  if (file != NULL)
    enr_monitor_export (self, file);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export Process Flows"), _enr_monitor_get_parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("process-flows.csv"));
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
_enr_monitor_class_init_export (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_export_cancel_clicked_cb);

  gtk_widget_class_install_action (widget_class, "monitor.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "monitor.export", NULL);
}

/**
 * enr_monitor_export:
 *
 * Writes the list, as filtered and sorted now, to @file as CSV, in the
 * background with a progress bar ("exporting" is %TRUE meanwhile).
 */
void
enr_monitor_export (EnrMonitor *self,
                    GFile      *file)
{
  g_return_if_fail (ENR_IS_MONITOR (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!self->available || self->model == NULL || self->export != NULL)
    return;

  g_clear_pointer (&self->export_message, g_free);
  self->export = enr_task_export_new (self->context, self->model);
  self->export_cancellable = g_cancellable_new ();
  g_free (self->export_file_name);
  self->export_file_name = g_file_get_basename (file);
  g_signal_connect_object (self->export, "notify::n-written", G_CALLBACK (update_export_progress), self,
                           G_CONNECT_SWAPPED);

  gtk_widget_set_visible (GTK_WIDGET (self->export_progress), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->export_cancel_button), TRUE);
  update_export_progress (self);
  _enr_monitor_update_actions (self);
  _enr_monitor_notify_exporting (self);

  enr_task_export_write_async (self->export, file, self->export_cancellable,
                               on_export_done_cb, g_object_ref (self));
}

gboolean
enr_monitor_get_exporting (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), FALSE);

  return self->export != NULL;
}

/* enr-import-dialog.c — Import Enrollments…: the preview and the queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens with a file: a file that is not an enrollments file is refused
 * whole (the reason in red, nothing to queue). Otherwise every row is
 * checked (EnrEnrollmentImport) a few at a time on the main loop, with a
 * progress bar and Stop, and listed with its outcome and reasons. Queue
 * Ready Rows queues them as new process flows through the outbox, again
 * with a progress bar and Stop (rows already queued stay queued); the
 * sync engine sends them when the client is online. Export Results…
 * writes the per-row result as CSV.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-gui-utils.h"
#include "enr-import-dialog.h"

/* Rows per main-loop turn: small enough to keep the window responsive. */
#define JUDGE_CHUNK 100
#define QUEUE_CHUNK 25

typedef enum
{
  COLUMN_LINE,
  COLUMN_ACCOUNT,
  COLUMN_CUSTOMER,
  COLUMN_PROGRAM,
  COLUMN_OUTCOME,
  COLUMN_REASONS,
  N_COLUMNS
} Column;

static const struct {
  const char *title;
  gboolean    expand;
} columns[N_COLUMNS] = {
  [COLUMN_LINE] = { N_("Line"), FALSE },
  [COLUMN_ACCOUNT] = { N_("Account"), FALSE },
  [COLUMN_CUSTOMER] = { N_("Customer"), FALSE },
  [COLUMN_PROGRAM] = { N_("Program"), FALSE },
  [COLUMN_OUTCOME] = { N_("Outcome"), FALSE },
  [COLUMN_REASONS] = { N_("Reasons"), TRUE },
};

struct _EnrImportDialog
{
  GtkWindow            parent_instance;

  GtkLabel            *summary_label;
  GtkLabel            *error_label;
  GtkBox              *progress_box;
  GtkProgressBar      *progress_bar;
  GtkButton           *stop_button;
  GtkButton           *close_button;
  GtkButton           *queue_button;
  GtkButton           *export_button;
  GtkColumnView       *column_view;

  EnrContext          *context;
  EnrEnrollmentImport *import;
  GtkNativeDialog     *chooser;
  char                *file_name;
  const char          *state;
  guint                work_id;
};

G_DEFINE_FINAL_TYPE (EnrImportDialog, enr_import_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_state (EnrImportDialog *self,
           const char      *state)
{
  if (g_strcmp0 (self->state, state) == 0)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
update (EnrImportDialog *self)
{
  guint n = self->import != NULL ? enr_enrollment_import_get_n_rows (self->import) : 0;
  guint ready = 0, refused = 0, queued = 0;
  g_autofree char *summary = NULL;
  gboolean working = self->work_id != 0;

  if (self->import != NULL)
    {
      ready = enr_enrollment_import_count (self->import, ENR_IMPORT_OUTCOME_READY);
      refused = enr_enrollment_import_count (self->import, ENR_IMPORT_OUTCOME_REFUSED);
      queued = enr_enrollment_import_count (self->import, ENR_IMPORT_OUTCOME_QUEUED);
    }

  if (g_strcmp0 (self->state, ENR_IMPORT_STATE_REFUSED) == 0)
    /* Translators: %s is a file name */
    summary = g_strdup_printf (_("%s cannot be imported"), self->file_name);
  else if (queued > 0 || g_strcmp0 (self->state, ENR_IMPORT_STATE_QUEUED) == 0)
    /* Translators: the first %s is a file name, then "3 queued", "2 refused" */
    summary = g_strdup_printf (_("%s: %u queued, %u refused, %u not queued"),
                               self->file_name, queued, refused,
                               n - queued - refused);
  else
    /* Translators: %s is a file name, then the number of rows, ready ones and refused ones */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%s: %u row, %u ready, %u refused",
                                            "%s: %u rows, %u ready, %u refused", n),
                               self->file_name, n, ready, refused);
  gtk_label_set_text (self->summary_label, summary);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_box), working);
  gtk_widget_set_sensitive (GTK_WIDGET (self->queue_button),
                            !working && g_strcmp0 (self->state, ENR_IMPORT_STATE_PREVIEWED) == 0 && ready > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button),
                            !working && self->import != NULL && n > 0 &&
                            g_strcmp0 (self->state, ENR_IMPORT_STATE_REFUSED) != 0);
}

/* @text: the count, e.g. "200 of 10000 rows checked" (taken) */
static void
set_progress (EnrImportDialog *self,
              char            *text,
              guint            done,
              guint            total)
{
  g_autofree char *owned = text;

  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 1.0);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static char *
checked_text (guint done,
              guint total)
{
  /* Translators: rows checked and rows in the file, e.g. "200 of 10000 rows checked" */
  return g_strdup_printf (_("%u of %u rows checked"), done, total);
}

static char *
queued_text (guint done,
             guint total)
{
  /* Translators: rows queued and rows to queue, e.g. "25 of 1200 rows queued" */
  return g_strdup_printf (_("%u of %u rows queued"), done, total);
}

static gboolean
judge_some_cb (gpointer user_data)
{
  EnrImportDialog *self = user_data;
  guint judged = enr_enrollment_import_judge (self->import, JUDGE_CHUNK);
  guint n = enr_enrollment_import_get_n_rows (self->import);

  set_progress (self, checked_text (judged, n), judged, n);
  if (judged < n)
    {
      update (self);
      return G_SOURCE_CONTINUE;
    }

  self->work_id = 0;
  set_state (self, ENR_IMPORT_STATE_PREVIEWED);
  update (self);
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->queue_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->queue_button));

  return G_SOURCE_REMOVE;
}

static void
end_queue (EnrImportDialog *self,
           const GError    *error)
{
  g_clear_handle_id (&self->work_id, g_source_remove);
  if (error != NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }

  /* Queued work goes out at once when the client is online. */
  enr_context_send_queued (self->context);
  set_state (self, ENR_IMPORT_STATE_QUEUED);
  update (self);
}

static gboolean
queue_some_cb (gpointer user_data)
{
  EnrImportDialog *self = user_data;
  g_autoptr(GError) error = NULL;

  enr_enrollment_import_queue (self->import, QUEUE_CHUNK, &error);
  set_progress (self, queued_text (enr_enrollment_import_get_n_handled (self->import),
                                  enr_enrollment_import_get_n_to_queue (self->import)),
                enr_enrollment_import_get_n_handled (self->import),
                enr_enrollment_import_get_n_to_queue (self->import));

  if (error == NULL && !enr_enrollment_import_is_queued (self->import))
    {
      update (self);
      return G_SOURCE_CONTINUE;
    }

  self->work_id = 0;
  end_queue (self, error);
  return G_SOURCE_REMOVE;
}

/**
 * enr_import_dialog_queue:
 *
 * Queue Ready Rows: the ready rows, a few at a time, as new process flows.
 */
void
enr_import_dialog_queue (EnrImportDialog *self)
{
  g_return_if_fail (ENR_IS_IMPORT_DIALOG (self));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->queue_button)))
    return;

  set_state (self, ENR_IMPORT_STATE_QUEUEING);
  self->work_id = g_idle_add_full (G_PRIORITY_LOW, queue_some_cb, self, NULL);
  set_progress (self, queued_text (0, enr_enrollment_import_get_n_to_queue (self->import)),
                0, enr_enrollment_import_get_n_to_queue (self->import));
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->stop_button));
}

static void
on_queue_clicked_cb (EnrImportDialog *self)
{
  enr_import_dialog_queue (self);
}

/**
 * enr_import_dialog_stop:
 *
 * Stop: the preview stops (nothing can be queued then); the queue stops
 * after the rows already queued, which stay queued.
 */
void
enr_import_dialog_stop (EnrImportDialog *self)
{
  g_return_if_fail (ENR_IS_IMPORT_DIALOG (self));

  if (self->work_id == 0)
    return;

  if (g_strcmp0 (self->state, ENR_IMPORT_STATE_QUEUEING) == 0)
    {
      enr_enrollment_import_cancel (self->import);
      end_queue (self, NULL);
    }
  else
    {
      g_clear_handle_id (&self->work_id, g_source_remove);
      set_state (self, ENR_IMPORT_STATE_STOPPED);
      update (self);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->close_button));
}

static void
on_stop_clicked_cb (EnrImportDialog *self)
{
  enr_import_dialog_stop (self);
}

/**
 * enr_import_dialog_export:
 *
 * Writes the per-row result, as it is now, to @file as CSV.
 */
gboolean
enr_import_dialog_export (EnrImportDialog  *self,
                          GFile            *file,
                          GError          **error)
{
  g_return_val_if_fail (ENR_IS_IMPORT_DIALOG (self), FALSE);

  return enr_enrollment_import_export_to_file (self->import, file, error);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        EnrImportDialog *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL && !enr_import_dialog_export (self, file, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
}

static void
on_export_clicked_cb (EnrImportDialog *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Export Import Results"), GTK_WINDOW (self),
                                                                  GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                  _("_Export"), _("_Cancel")));
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("import-results.csv"));
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (self->chooser);
}

/* Cells */

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_LINE ? 1.0 : 0.0);
  if (column == COLUMN_REASONS)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_width_chars (GTK_LABEL (label), 40);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 80);
    }
  else
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkListItem *item,
           Column       column)
{
  EnrImportRow *row = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *line = NULL;
  const char *text = NULL;
  EnrImportOutcome outcome = enr_import_row_get_outcome (row);

  switch (column)
    {
    case COLUMN_LINE:
      text = line = g_strdup_printf ("%u", enr_import_row_get_line (row));
      break;
    case COLUMN_ACCOUNT:
      text = enr_import_row_get_account (row);
      break;
    case COLUMN_CUSTOMER:
      text = enr_import_row_get_customer_name (row);
      break;
    case COLUMN_PROGRAM:
      text = enr_import_row_get_program_name (row);
      if (text == NULL)
        text = enr_import_row_get_program_code (row);
      break;
    case COLUMN_OUTCOME:
      text = enr_import_outcome_label (outcome);
      break;
    case COLUMN_REASONS:
    case N_COLUMNS:
    default:
      text = enr_import_row_get_reasons (row);
      break;
    }

  gtk_label_set_text (label, text != NULL ? text : "");
  if (column == COLUMN_OUTCOME)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
      if (outcome == ENR_IMPORT_OUTCOME_REFUSED || outcome == ENR_IMPORT_OUTCOME_FAILED)
        gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      else if (outcome == ENR_IMPORT_OUTCOME_QUEUED)
        gtk_widget_add_css_class (GTK_WIDGET (label), "success");
    }
}

static void
on_row_changed_cb (EnrImportRow *row,
                   GParamSpec   *pspec,
                   GtkListItem  *item)
{
  if (gtk_list_item_get_item (item) == row)
    bind_cell (item, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (item), "enr-column")));
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  EnrImportRow *row = gtk_list_item_get_item (item);

  g_object_set_data (G_OBJECT (item), "enr-column", user_data);
  bind_cell (item, GPOINTER_TO_INT (user_data));
  g_signal_connect_object (row, "notify::outcome", G_CALLBACK (on_row_changed_cb), item, 0);
}

static void
on_cell_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  EnrImportRow *row = gtk_list_item_get_item (item);

  if (row != NULL)
    g_signal_handlers_disconnect_by_func (row, on_row_changed_cb, item);
}

static void
add_columns (EnrImportDialog *self)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), GINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), GINT_TO_POINTER (i));
      g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind_cb), GINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* GObject */

static void
enr_import_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EnrImportDialog *self = ENR_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_import_dialog_dispose (GObject *object)
{
  EnrImportDialog *self = ENR_IMPORT_DIALOG (object);

  g_clear_handle_id (&self->work_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_window_set_child (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (enr_import_dialog_parent_class)->dispose (object);
}

static void
enr_import_dialog_finalize (GObject *object)
{
  EnrImportDialog *self = ENR_IMPORT_DIALOG (object);

  g_clear_object (&self->import);
  g_clear_object (&self->context);
  g_free (self->file_name);

  G_OBJECT_CLASS (enr_import_dialog_parent_class)->finalize (object);
}

static void
enr_import_dialog_class_init (EnrImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = enr_import_dialog_get_property;
  object_class->dispose = enr_import_dialog_dispose;
  object_class->finalize = enr_import_dialog_finalize;

  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/process-flows/enr-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, EnrImportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, EnrImportDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, EnrImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, EnrImportDialog, stop_button);
  gtk_widget_class_bind_template_child (widget_class, EnrImportDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, EnrImportDialog, queue_button);
  gtk_widget_class_bind_template_child (widget_class, EnrImportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, EnrImportDialog, column_view);
  gtk_widget_class_bind_template_callback (widget_class, on_queue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
enr_import_dialog_init (EnrImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  enr_button_set_accessible_name (GTK_WIDGET (self->close_button));
  enr_button_set_accessible_name (GTK_WIDGET (self->queue_button));
  enr_button_set_accessible_name (GTK_WIDGET (self->export_button));
  enr_button_set_accessible_name (GTK_WIDGET (self->stop_button));
  add_columns (self);
}

/**
 * enr_import_dialog_new:
 * @parent: (nullable): the window it is for
 * @file: the file to import
 *
 * Returns: (transfer none): a new dialog, checking @file's rows
 */
EnrImportDialog *
enr_import_dialog_new (GtkWindow  *parent,
                       EnrContext *context,
                       GFile      *file)
{
  EnrImportDialog *self;
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (ENR_TYPE_IMPORT_DIALOG, "transient-for", parent, "destroy-with-parent", TRUE, NULL);
  self->context = g_object_ref (context);
  self->file_name = g_file_get_basename (file);
  self->import = enr_enrollment_import_new (context);

  selection = gtk_no_selection_new (g_object_ref (enr_enrollment_import_get_rows (self->import)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  if (!enr_enrollment_import_load (self->import, file, NULL, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      /* Nothing to list; the reason is read first, the focus on Close. */
      gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->column_view)), FALSE);
      gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->close_button));
      set_state (self, ENR_IMPORT_STATE_REFUSED);
    }
  else
    {
      set_state (self, ENR_IMPORT_STATE_PREVIEWING);
      set_progress (self, checked_text (0, enr_enrollment_import_get_n_rows (self->import)),
                    0, enr_enrollment_import_get_n_rows (self->import));
      self->work_id = g_idle_add_full (G_PRIORITY_LOW, judge_some_cb, self, NULL);
    }
  update (self);

  return self;
}

const char *
enr_import_dialog_get_state (EnrImportDialog *self)
{
  g_return_val_if_fail (ENR_IS_IMPORT_DIALOG (self), NULL);

  return self->state;
}

/**
 * enr_import_dialog_get_import:
 *
 * Returns: (transfer none): the rows and their outcomes
 */
EnrEnrollmentImport *
enr_import_dialog_get_import (EnrImportDialog *self)
{
  g_return_val_if_fail (ENR_IS_IMPORT_DIALOG (self), NULL);

  return self->import;
}

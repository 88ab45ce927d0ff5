/* enr-task-export.c — the supervisors' filtered list as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 4180: a header record, then one record per task, CRLF line ends,
 * fields holding a comma, a double quote, CR or LF between double quotes
 * with the quotes doubled; UTF-8. Instants are ISO 8601 in UTC and ages
 * whole days, so that a spreadsheet can sort and sum them.
 *
 * The export reads its own EnrTaskListModel with the filter and the sort
 * of the list it was made from: page by page through the store (the
 * list's window of pages stays as it is), ENR_TASK_EXPORT_CHUNK rows per
 * main-loop turn in the asynchronous version, with "n-written" notified
 * after each chunk for a progress bar. The file is written through
 * g_file_replace(): it replaces the old file only when complete.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-core.h"
#include "enr-monitor-actions.h"
#include "enr-task-export.h"
#include "enr-task-formatter.h"

struct _EnrTaskExport
{
  GObject            parent_instance;

  EnrContext        *context;
  EnrTaskListModel  *model;
  EnrTaskFormatter  *formatter;
  GOutputStream     *stream;
  GFile             *file;
  GString           *buffer;
  gint64             now;
  guint              n_items;
  guint              n_written;
  guint              running : 1;
  guint              created : 1;
};

G_DEFINE_FINAL_TYPE (EnrTaskExport, enr_task_export, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_N_WRITTEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * enr_csv_append_field:
 * @line: the text being built
 * @value: (nullable): the field; %NULL is an empty field
 *
 * Appends @value as one RFC 4180 field, after a comma unless @line is
 * empty or ends a record ("\r\n").
 */
void
enr_csv_append_field (GString    *line,
                      const char *value)
{
  g_return_if_fail (line != NULL);

  if (line->len > 0 && line->str[line->len - 1] != '\n')
    g_string_append_c (line, ',');

  if (value == NULL)
    return;

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (line, value);
      return;
    }

  g_string_append_c (line, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static void
end_record (GString *line)
{
  g_string_append (line, "\r\n");
}

static char *
format_instant (GDateTime *date_time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (date_time == NULL)
    return NULL;

  utc = g_date_time_to_utc (date_time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
append_header (EnrTaskExport *self)
{
  const char *columns[] = {
    _("Task"), _("Customer ID"), _("Customer"), _("Program ID"), _("Program"),
    _("Kind"), _("Status"), _("Created By"), _("Created At"), _("Age (days)"),
    _("Appointment Start"), _("Appointment End"), _("Crew"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    enr_csv_append_field (self->buffer, columns[i]);
  end_record (self->buffer);
}

static void
append_task (EnrTaskExport  *self,
             EnrServiceTask *task)
{
  EnrAppointment *next = enr_monitor_task_next_appointment (task);
  const char *customer_id = enr_service_task_get_customer_id (task);
  const char *program_id = enr_service_task_get_program_id (task);
  g_autofree char *created_at = format_instant (enr_service_task_get_created_at (task));
  g_autofree char *age = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  gint64 seconds = enr_task_age_seconds (task, self->now);

  if (seconds >= 0)
    age = g_strdup_printf ("%" G_GINT64_FORMAT, seconds / 86400);
  if (next != NULL)
    {
      start = format_instant (enr_appointment_get_start (next));
      end = format_instant (enr_appointment_get_end (next));
    }

  enr_csv_append_field (self->buffer, enr_entity_get_id (ENR_ENTITY (task)));
  enr_csv_append_field (self->buffer, customer_id);
  enr_csv_append_field (self->buffer, customer_id ? enr_task_formatter_customer_name (self->formatter, customer_id) : NULL);
  enr_csv_append_field (self->buffer, program_id);
  enr_csv_append_field (self->buffer, program_id ? enr_task_formatter_program_name (self->formatter, program_id) : NULL);
  enr_csv_append_field (self->buffer, enr_task_kind_label (enr_service_task_get_kind (task)));
  enr_csv_append_field (self->buffer, enr_task_status_label (enr_service_task_get_status (task)));
  enr_csv_append_field (self->buffer, enr_service_task_get_created_by (task));
  enr_csv_append_field (self->buffer, created_at);
  enr_csv_append_field (self->buffer, age);
  enr_csv_append_field (self->buffer, start);
  enr_csv_append_field (self->buffer, end);
  enr_csv_append_field (self->buffer,
                        next ? enr_task_formatter_crew_name (self->formatter, enr_appointment_get_crew_id (next)) : NULL);
  end_record (self->buffer);
}

static gboolean
flush_buffer (EnrTaskExport  *self,
              GCancellable   *cancellable,
              GError        **error)
{
  gboolean ok;

  ok = g_output_stream_write_all (self->stream, self->buffer->str, self->buffer->len,
                                  NULL, cancellable, error);
  g_string_truncate (self->buffer, 0);
  return ok;
}

static gboolean
begin (EnrTaskExport  *self,
       GFile          *file,
       GCancellable   *cancellable,
       GError        **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  gboolean existed;

  if (self->running)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PENDING, _("The export is already running"));
      return FALSE;
    }

  /* Asked before the stream opens: a new local file exists from then on. */
  existed = g_file_query_exists (file, NULL);
  if (!(stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error)))
    return FALSE;

  self->running = TRUE;
  self->created = !existed;
  self->file = g_object_ref (file);
  self->stream = G_OUTPUT_STREAM (g_steal_pointer (&stream));
  self->buffer = g_string_sized_new (64 * 1024);
  self->now = g_get_real_time () / G_USEC_PER_SEC;
  self->n_written = 0;
  self->n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WRITTEN]);

  append_header (self);
  return TRUE;
}

/* Writes up to @count more rows; *done when every row is written. */
static gboolean
write_rows (EnrTaskExport  *self,
            guint           count,
            gboolean       *done,
            GCancellable   *cancellable,
            GError        **error)
{
  guint end = MIN (self->n_items, self->n_written + count);

  for (guint i = self->n_written; i < end; i++)
    {
      g_autoptr(EnrServiceTask) task = g_list_model_get_item (G_LIST_MODEL (self->model), i);

      if (task != NULL)
        append_task (self, task);
    }

  if (!flush_buffer (self, cancellable, error))
    return FALSE;

  self->n_written = end;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WRITTEN]);
  *done = end >= self->n_items;
  return TRUE;
}

static gboolean
end (EnrTaskExport  *self,
     gboolean        ok,
     GCancellable   *cancellable,
     GError        **error)
{
  g_autoptr(GOutputStream) stream = g_steal_pointer (&self->stream);
  g_autoptr(GFile) file = g_steal_pointer (&self->file);

  if (self->buffer != NULL)
    g_string_free (g_steal_pointer (&self->buffer), TRUE);
  self->running = FALSE;

  if (!ok)
    {
      /* A stream closed after a failure would replace the file with a
       * part of the list: closing it cancelled keeps the old one, and a
       * file the export created goes. */
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      g_output_stream_close (stream, abandon, NULL);
      if (self->created)
        g_file_delete (file, NULL, NULL);
      return FALSE;
    }

  return g_output_stream_close (stream, cancellable, error);
}

/* GObject */

static void
enr_task_export_dispose (GObject *object)
{
  EnrTaskExport *self = (EnrTaskExport *) object;

  if (self->stream != NULL)
    end (self, FALSE, NULL, NULL);

  g_clear_object (&self->model);
  g_clear_object (&self->formatter);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (enr_task_export_parent_class)->dispose (object);
}

static void
enr_task_export_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EnrTaskExport *self = ENR_TASK_EXPORT (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, enr_task_export_get_n_items (self));
      break;

    case PROP_N_WRITTEN:
      g_value_set_uint (value, self->n_written);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_task_export_class_init (EnrTaskExportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = enr_task_export_dispose;
  object_class->get_property = enr_task_export_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_WRITTEN] =
    g_param_spec_uint ("n-written", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_task_export_init (EnrTaskExport *self)
{
}

/**
 * enr_task_export_new:
 * @filter: the list whose filter and sort the export takes (at once: later
 *   changes of @filter do not apply)
 */
EnrTaskExport *
enr_task_export_new (EnrContext       *context,
                     EnrTaskListModel *filter)
{
  EnrTaskExport *self;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (filter), NULL);

  self = g_object_new (ENR_TYPE_TASK_EXPORT, NULL);
  self->context = g_object_ref (context);
  self->formatter = enr_task_formatter_new (context);
  self->model = g_object_new (ENR_TYPE_TASK_LIST_MODEL,
                              "store", enr_task_list_model_get_store (filter),
                              "status-mask", enr_task_list_model_get_status_mask (filter),
                              "kind", enr_task_list_model_get_kind (filter),
                              "program-id", enr_task_list_model_get_program_id (filter),
                              "created-by", enr_task_list_model_get_created_by (filter),
                              "min-age-days", enr_task_list_model_get_min_age_days (filter),
                              "max-age-days", enr_task_list_model_get_max_age_days (filter),
                              "customer-text", enr_task_list_model_get_customer_text (filter),
                              "sort", enr_task_list_model_get_sort (filter),
                              "descending", enr_task_list_model_get_descending (filter),
                              NULL);

  return self;
}

guint
enr_task_export_get_n_items (EnrTaskExport *self)
{
  g_return_val_if_fail (ENR_IS_TASK_EXPORT (self), 0);

  return self->running ? self->n_items : g_list_model_get_n_items (G_LIST_MODEL (self->model));
}

guint
enr_task_export_get_n_written (EnrTaskExport *self)
{
  g_return_val_if_fail (ENR_IS_TASK_EXPORT (self), 0);

  return self->n_written;
}

double
enr_task_export_get_fraction (EnrTaskExport *self)
{
  guint n_items;

  g_return_val_if_fail (ENR_IS_TASK_EXPORT (self), 0.0);

  n_items = enr_task_export_get_n_items (self);
  return n_items > 0 ? (double) self->n_written / n_items : 1.0;
}

/**
 * enr_task_export_write:
 *
 * Writes the whole list to @file at once.
 */
gboolean
enr_task_export_write (EnrTaskExport  *self,
                       GFile          *file,
                       GCancellable   *cancellable,
                       GError        **error)
{
  gboolean done = FALSE;
  gboolean ok;

  g_return_val_if_fail (ENR_IS_TASK_EXPORT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!begin (self, file, cancellable, error))
    return FALSE;

  do
    ok = write_rows (self, ENR_TASK_EXPORT_CHUNK, &done, cancellable, error);
  while (ok && !done);

  return end (self, ok, cancellable, error);
}

static gboolean
on_write_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  EnrTaskExport *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  gboolean done = FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !write_rows (self, ENR_TASK_EXPORT_CHUNK, &done, cancellable, &error))
    {
      end (self, FALSE, NULL, NULL);
      g_task_return_error (task, error);
      return G_SOURCE_REMOVE;
    }

  if (!done)
    return G_SOURCE_CONTINUE;

  if (end (self, TRUE, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);

  return G_SOURCE_REMOVE;
}

/**
 * enr_task_export_write_async:
 *
 * Writes the list to @file a chunk per main-loop turn; "n-written" tells
 * the progress. Cancelling keeps the old file, if any.
 */
void
enr_task_export_write_async (EnrTaskExport       *self,
                             GFile               *file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  GSource *source;

  g_return_if_fail (ENR_IS_TASK_EXPORT (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, enr_task_export_write_async);

  if (!begin (self, file, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_static_name (source, "[enr] task export");
  g_source_set_callback (source, on_write_idle_cb, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

gboolean
enr_task_export_write_finish (EnrTaskExport  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (ENR_IS_TASK_EXPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == enr_task_export_write_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

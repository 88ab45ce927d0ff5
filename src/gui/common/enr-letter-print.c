/* enr-letter-print.c — Print… and Save as PDF of a confirmation letter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both go through GtkPrintOperation with the one drawing of the letter
 * (enr_letter_paginate() and enr_letter_draw_page() in src/client/, on
 * the full page in points): Print… with the print dialog (asynchronous),
 * Save as PDF with the export action and its export-filename, after a
 * file chooser. Each letter that went out is recorded as a customer
 * communication (enr_letter_record_sent()), queued for the service.
 * What went wrong is said in a dialog over @parent's window.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-letter.h"
#include "enr-letter-print.h"

typedef struct
{
  EnrContext *context;
  EnrLetter  *letter;
  GtkWindow  *parent;
} LetterJob;

static void
letter_job_free (LetterJob *job)
{
  g_clear_object (&job->context);
  g_clear_object (&job->letter);
  g_clear_weak_pointer (&job->parent);
  g_free (job);
}

static GtkWindow *
get_window (GtkWidget *widget)
{
  GtkRoot *root = widget != NULL ? gtk_widget_get_root (widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_error_response_cb (GtkDialog *dialog,
                      int        response)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
show_error (GtkWindow    *parent,
            const char   *primary,
            const GError *error)
{
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  gtk_widget_add_css_class (dialog, "letter-error");
  g_signal_connect (dialog, "response", G_CALLBACK (on_error_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static LetterJob *
letter_job_new (GtkWindow   *parent,
                EnrContext  *context,
                const char  *task_id,
                GError     **error)
{
  g_autoptr(EnrLetter) letter = enr_letter_new_for_task (context, task_id, error);
  LetterJob *job;

  if (letter == NULL)
    return NULL;

  job = g_new0 (LetterJob, 1);
  job->context = g_object_ref (context);
  job->letter = g_steal_pointer (&letter);
  g_set_weak_pointer (&job->parent, parent);

  return job;
}

static void
on_begin_print_cb (GtkPrintOperation *operation,
                   GtkPrintContext   *print_context,
                   LetterJob         *job)
{
  guint n_pages = enr_letter_paginate (job->letter, gtk_print_context_get_cairo_context (print_context),
                                       gtk_print_context_get_width (print_context),
                                       gtk_print_context_get_height (print_context));

  gtk_print_operation_set_n_pages (operation, (int) n_pages);
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *print_context,
                 int                page_nr,
                 LetterJob         *job)
{
  enr_letter_draw_page (job->letter, gtk_print_context_get_cairo_context (print_context),
                        gtk_print_context_get_width (print_context),
                        gtk_print_context_get_height (print_context),
                        (guint) page_nr);
}

/* @job: (transfer full) */
static GtkPrintOperation *
create_operation (LetterJob *job)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();

  /* The letter makes its own margins, in points, on the whole sheet. */
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_job_name (operation, enr_letter_get_title (job->letter));
  g_object_set_data_full (G_OBJECT (operation), "enr-letter-job", job, (GDestroyNotify) letter_job_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print_cb), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), job);

  return operation;
}

static void
record_sent (LetterJob         *job,
             EnrLetterDelivery  delivery)
{
  g_autoptr(EnrCustomerCommunication) communication = NULL;
  g_autoptr(GError) error = NULL;

  communication = enr_letter_record_sent (job->letter, job->context, delivery, &error);
  if (communication == NULL)
    show_error (job->parent, _("The letter was not recorded as sent"), error);
}

static void
on_print_done_cb (GtkPrintOperation       *operation,
                  GtkPrintOperationResult  result,
                  LetterJob               *job)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    record_sent (job, ENR_LETTER_DELIVERY_PRINTED);
  else if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      if (error != NULL)
        show_error (job->parent, _("The letter could not be printed"), error);
    }

  g_object_unref (operation);
}

/**
 * enr_letter_print:
 * @parent: a widget in the window the print dialog belongs to
 * @task_id: the service task whose letter is printed
 *
 * Opens the print dialog for the letter; once printed, the letter is
 * recorded as sent.
 */
void
enr_letter_print (GtkWidget  *parent,
                  EnrContext *context,
                  const char *task_id)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window = get_window (parent);
  GtkPrintOperation *operation;
  GtkPrintOperationResult result;
  LetterJob *job;

  g_return_if_fail (ENR_IS_CONTEXT (context));

  job = letter_job_new (window, context, task_id, &error);
  if (job == NULL)
    {
      show_error (window, _("There is no letter to print"), error);
      return;
    }

  operation = create_operation (job);
  gtk_print_operation_set_allow_async (operation, TRUE);
  /* The reference is the done handler's. */
  g_signal_connect (operation, "done", G_CALLBACK (on_print_done_cb), job);

  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, window, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR && error != NULL)
    show_error (window, _("The letter could not be printed"), error);
}

/**
 * enr_letter_export_pdf:
 * @file: the PDF file to write (a local file)
 *
 * Writes the letter of @task_id to @file through GtkPrintOperation's
 * export action and records it as sent.
 *
 * Returns: whether the letter was written and recorded
 */
gboolean
enr_letter_export_pdf (EnrContext  *context,
                       const char  *task_id,
                       GFile       *file,
                       GError     **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(EnrCustomerCommunication) communication = NULL;
  g_autofree char *path = NULL;
  GtkPrintOperationResult result;
  LetterJob *job;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_WRITE,
                   _("Cannot write the letter to %s: only files on this computer can be written"), name);
      return FALSE;
    }

  job = letter_job_new (NULL, context, task_id, error);
  if (job == NULL)
    return FALSE;

  operation = create_operation (job);
  gtk_print_operation_set_export_filename (operation, path);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    return FALSE;

  communication = enr_letter_record_sent (job->letter, context, ENR_LETTER_DELIVERY_PDF, error);
  return communication != NULL;
}

typedef struct
{
  EnrContext *context;
  char       *task_id;
  GtkWindow  *parent;
} SaveRequest;

static void
save_request_free (SaveRequest *request)
{
  g_clear_object (&request->context);
  g_free (request->task_id);
  g_clear_weak_pointer (&request->parent);
  g_free (request);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        SaveRequest     *request)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && !enr_letter_export_pdf (request->context, request->task_id, file, &error))
    show_error (request->parent, _("The letter could not be saved"), error);

  save_request_free (request);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/**
 * enr_letter_save_pdf:
 * @parent: a widget in the window the file chooser belongs to
 *
 * Asks where to save the letter of @task_id as PDF, then saves it.
 */
void
enr_letter_save_pdf (GtkWidget  *parent,
                     EnrContext *context,
                     const char *task_id)
{
  g_autoptr(EnrLetter) letter = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  GtkWindow *window = get_window (parent);
  GtkFileChooserNative *chooser;
  SaveRequest *request;

  g_return_if_fail (ENR_IS_CONTEXT (context));

  /* Said before the file is chosen. */
  letter = enr_letter_new_for_task (context, task_id, &error);
  if (letter == NULL)
    {
      show_error (window, _("There is no letter to save"), error);
      return;
    }

  request = g_new0 (SaveRequest, 1);
  request->context = g_object_ref (context);
  request->task_id = g_strdup (task_id);
  g_set_weak_pointer (&request->parent, window);

  chooser = gtk_file_chooser_native_new (_("Save Letter as PDF"), window, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Translators: the file name a letter is saved as, with its task */
  name = g_strdup_printf (_("letter-%s.pdf"), task_id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response_cb), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* enr-conflict-dialog.c — settle a change the service did not take
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An operation in conflict (the record changed at the service meanwhile:
 * 409/412, with the service's copy) or refused (403/422) is kept in the
 * outbox, blocking the later changes of its record, until a person
 * decides: Keep Mine sends the local change again on top of the service's
 * version, Take Theirs drops it for the service's copy, Save as New keeps
 * the local work as a new flow. The dialog shows both sides and the
 * service's message; the choice goes through the sync engine when there
 * is one (enr_monitor_resolve_conflict()).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-conflict-dialog.h"
#include "enr-gui-utils.h"

struct _EnrConflictDialog
{
  GtkWindow     parent_instance;

  GtkLabel     *heading_label;
  GtkLabel     *message_label;
  GtkLabel     *mine_label;
  GtkLabel     *theirs_label;
  GtkLabel     *error_label;
  GtkButton    *close_button;
  GtkButton    *keep_mine_button;
  GtkButton    *take_theirs_button;
  GtkButton    *save_as_new_button;

  EnrContext   *context;
  EnrOperation *operation;
};

G_DEFINE_FINAL_TYPE (EnrConflictDialog, enr_conflict_dialog, GTK_TYPE_WINDOW)

enum {
  RESOLVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
describe_task (EnrServiceTask *task)
{
  g_autofree char *updated = enr_format_date_time (enr_service_task_get_updated_at (task));
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, enr_service_task_get_version (task));
  GPtrArray *history = enr_service_task_get_history (task);
  EnrTaskTransition *last = history != NULL && history->len > 0
                            ? g_ptr_array_index (history, history->len - 1) : NULL;

  /* Translators: a copy of a task: status, version, last change and by whom */
  return g_strdup_printf (_("%s · version %s · changed %s%s%s"),
                          enr_task_status_label (enr_service_task_get_status (task)),
                          version,
                          updated,
                          last != NULL ? " · " : "",
                          last != NULL ? enr_or_dash (enr_task_transition_get_by (last)) : "");
}

static void
resolve (EnrConflictDialog *self,
         EnrConflictChoice  choice)
{
  g_autoptr(GError) error = NULL;

  if (!enr_conflict_dialog_resolve (self, choice, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
on_keep_mine_clicked_cb (EnrConflictDialog *self)
{
  resolve (self, ENR_CONFLICT_CHOICE_KEEP_MINE);
}

static void
on_take_theirs_clicked_cb (EnrConflictDialog *self)
{
  resolve (self, ENR_CONFLICT_CHOICE_TAKE_THEIRS);
}

static void
on_save_as_new_clicked_cb (EnrConflictDialog *self)
{
  resolve (self, ENR_CONFLICT_CHOICE_SAVE_AS_NEW);
}

static void
on_close_clicked_cb (EnrConflictDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
enr_conflict_dialog_dispose (GObject *object)
{
  EnrConflictDialog *self = (EnrConflictDialog *) object;

  gtk_window_set_child (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_CONFLICT_DIALOG);
  g_clear_object (&self->operation);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (enr_conflict_dialog_parent_class)->dispose (object);
}

static void
enr_conflict_dialog_class_init (EnrConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_conflict_dialog_dispose;

  /**
   * EnrConflictDialog::resolved:
   * @new_flow: (nullable): with Save as New, the flow keeping the local work
   */
  signals[RESOLVED] =
    g_signal_new ("resolved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ENR_TYPE_PROCESS_FLOW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/session/enr-conflict-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, heading_label);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, mine_label);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, theirs_label);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, keep_mine_button);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, take_theirs_button);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, save_as_new_button);
  gtk_widget_class_bind_template_callback (widget_class, on_keep_mine_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_take_theirs_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_as_new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
enr_conflict_dialog_init (EnrConflictDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  enr_button_set_accessible_name (GTK_WIDGET (self->close_button));
  enr_button_set_accessible_name (GTK_WIDGET (self->keep_mine_button));
  enr_button_set_accessible_name (GTK_WIDGET (self->take_theirs_button));
  enr_button_set_accessible_name (GTK_WIDGET (self->save_as_new_button));
}

/**
 * enr_conflict_dialog_new:
 * @operation: an operation in conflict or rejected
 */
EnrConflictDialog *
enr_conflict_dialog_new (GtkWindow    *parent,
                         EnrContext   *context,
                         EnrOperation *operation)
{
  EnrConflictDialog *self;
  g_autoptr(EnrServiceTask) mine = NULL;
  g_autoptr(EnrServiceTask) theirs = NULL;
  g_autofree char *mine_text = NULL;
  g_autofree char *theirs_text = NULL;
  g_autofree char *heading = NULL;
  const char *server_copy;
  const char *message;
  gboolean is_task;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ENR_IS_OPERATION (operation), NULL);

  self = g_object_new (ENR_TYPE_CONFLICT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->context = g_object_ref (context);
  self->operation = g_object_ref (operation);

  is_task = g_strcmp0 (enr_operation_get_entity_type (operation),
                       enr_store_type_get_name (ENR_TYPE_SERVICE_TASK)) == 0;
  server_copy = enr_operation_get_server_copy (operation);

  if (enr_operation_get_state (operation) == ENR_OPERATION_STATE_REJECTED)
    /* Translators: an operation, e.g. "The service refused “Reschedule appointments” for task task-12" */
    heading = g_strdup_printf (_("The service refused “%s” for %s"),
                               enr_operation_kind_label (enr_operation_get_kind (operation)),
                               enr_operation_get_entity_id (operation));
  else
    /* Translators: an operation, e.g. "“Cancel the service task” conflicts with a change at the service (task-12)" */
    heading = g_strdup_printf (_("“%s” conflicts with a change at the service (%s)"),
                               enr_operation_kind_label (enr_operation_get_kind (operation)),
                               enr_operation_get_entity_id (operation));
  gtk_label_set_text (self->heading_label, heading);

  message = enr_operation_get_reason (operation);
  if (message == NULL)
    message = enr_operation_get_last_error (operation);
  gtk_label_set_text (self->message_label, message != NULL ? message : _("The service gave no reason."));

  if (is_task)
    mine = enr_context_lookup (context, ENR_TYPE_SERVICE_TASK, enr_operation_get_entity_id (operation));
  if (is_task && server_copy != NULL)
    theirs = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK, server_copy, -1, NULL);

  mine_text = mine != NULL ? describe_task (mine) : g_strdup (enr_operation_kind_label (enr_operation_get_kind (operation)));
  theirs_text = theirs != NULL ? describe_task (theirs) : g_strdup (_("The service sent no copy of its record."));
  enr_value_label_set (self->mine_label, _("Your Change"), mine_text);
  enr_value_label_set (self->theirs_label, _("The Service’s Copy"), theirs_text);

  /* Keep Mine re-applies on the service's version: it needs that copy. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->keep_mine_button), server_copy != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_as_new_button), is_task);

  return self;
}

/**
 * enr_conflict_dialog_resolve:
 *
 * Settles the operation with @choice, as its buttons do, and emits
 * "resolved".
 */
gboolean
enr_conflict_dialog_resolve (EnrConflictDialog  *self,
                             EnrConflictChoice   choice,
                             GError            **error)
{
  g_autoptr(EnrProcessFlow) flow = NULL;

  g_return_val_if_fail (ENR_IS_CONFLICT_DIALOG (self), FALSE);

  if (!enr_monitor_resolve_conflict (self->context, enr_operation_get_seq (self->operation),
                                     choice, &flow, error))
    return FALSE;

  g_signal_emit (self, signals[RESOLVED], 0, flow);
  return TRUE;
}

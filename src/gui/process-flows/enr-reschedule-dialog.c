/* enr-reschedule-dialog.c — move a task's booked appointments to other slots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One EnrAppointmentPicker per booked appointment — the same crew shift
 * type → crew → date → free slot choice as Device Setup — over a flow
 * session holding a copy of the task. The session keeps that copy as a
 * draft while the dialog is open (the picker books on the draft); the
 * dialog deletes the draft when it closes, so the task gets no open flow.
 * "Reschedule" queues the moves (each new slot with the id of the
 * appointment it replaces) through enr_monitor_reschedule(), offline too.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-appointment-picker.h"
#include "enr-flow-session.h"
#include "enr-gui-utils.h"
#include "enr-monitor-actions.h"
#include "enr-reschedule-dialog.h"
#include "enr-task-formatter.h"

struct _EnrRescheduleDialog
{
  EnrTaskDialog   parent_instance;

  GtkLabel       *message_label;
  GtkBox         *pickers_box;
  GtkLabel       *error_label;
  GtkButton      *close_button;
  GtkButton      *reschedule_button;

  EnrFlowSession *session;
  GPtrArray      *originals;
  GPtrArray      *pickers;
};

G_DEFINE_FINAL_TYPE (EnrRescheduleDialog, enr_reschedule_dialog, ENR_TYPE_TASK_DIALOG)

/* The moves: each appointment the session now holds for an activity
 * whose original was replaced, with the original's id. */
static GPtrArray *
collect_moves (EnrRescheduleDialog *self)
{
  GPtrArray *moves = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; self->session != NULL && i < self->originals->len; i++)
    {
      EnrAppointment *original = g_ptr_array_index (self->originals, i);
      EnrAppointment *chosen;
      g_autoptr(JsonNode) node = NULL;
      EnrAppointment *move;

      chosen = enr_flow_session_get_appointment (self->session, enr_appointment_get_activity_type_id (original));
      if (chosen == NULL ||
          g_strcmp0 (enr_entity_get_id (ENR_ENTITY (chosen)), enr_entity_get_id (ENR_ENTITY (original))) == 0)
        continue;

      node = enr_codec_encode (chosen);
      move = enr_codec_decode (ENR_TYPE_APPOINTMENT, node, NULL);
      if (move == NULL)
        continue;
      enr_entity_set_id (ENR_ENTITY (move), enr_entity_get_id (ENR_ENTITY (original)));
      g_ptr_array_add (moves, move);
    }

  return moves;
}

static void
on_session_changed_cb (EnrRescheduleDialog *self,
                       const char          *what)
{
  g_autoptr(GPtrArray) moves = collect_moves (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->reschedule_button), moves->len > 0);
}

static void
on_reschedule_clicked_cb (EnrRescheduleDialog *self)
{
  EnrTaskDialog *dialog = ENR_TASK_DIALOG (self);
  g_autoptr(GPtrArray) moves = collect_moves (self);
  g_autoptr(GError) error = NULL;

  enr_monitor_reschedule (enr_task_dialog_get_context (dialog), enr_task_dialog_get_task (dialog), moves, &error);
  enr_task_dialog_finish (dialog, self->error_label, error);
}

static void
drop_session (EnrRescheduleDialog *self)
{
  g_autoptr(EnrFlowSession) session = g_steal_pointer (&self->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *flow_id = NULL;

  if (session == NULL)
    return;

  g_signal_handlers_disconnect_by_data (session, self);
  flow_id = g_strdup (enr_entity_get_id (ENR_ENTITY (enr_flow_session_get_flow (session))));
  g_clear_object (&session);

  if (!enr_store_delete_draft (enr_context_get_store (enr_task_dialog_get_context (ENR_TASK_DIALOG (self))),
                               flow_id, &error) &&
      !g_error_matches (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND))
    g_warning ("Could not delete the draft of the rescheduling: %s", error->message);
}

static void
enr_reschedule_dialog_dispose (GObject *object)
{
  EnrRescheduleDialog *self = (EnrRescheduleDialog *) object;

  /* The pickers hold the session: they go first. */
  gtk_window_set_child (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_RESCHEDULE_DIALOG);
  g_clear_pointer (&self->pickers, g_ptr_array_unref);
  drop_session (self);
  g_clear_pointer (&self->originals, g_ptr_array_unref);

  G_OBJECT_CLASS (enr_reschedule_dialog_parent_class)->dispose (object);
}

static void
enr_reschedule_dialog_class_init (EnrRescheduleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_reschedule_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/process-flows/enr-reschedule-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrRescheduleDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, EnrRescheduleDialog, pickers_box);
  gtk_widget_class_bind_template_child (widget_class, EnrRescheduleDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, EnrRescheduleDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, EnrRescheduleDialog, reschedule_button);
  gtk_widget_class_bind_template_callback (widget_class, on_reschedule_clicked_cb);
}

static void
enr_reschedule_dialog_init (EnrRescheduleDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->originals = g_ptr_array_new_with_free_func (g_object_unref);
  self->pickers = g_ptr_array_new ();
  enr_button_set_accessible_name (GTK_WIDGET (self->close_button));
  enr_button_set_accessible_name (GTK_WIDGET (self->reschedule_button));
}

static void
add_picker (EnrRescheduleDialog *self,
            EnrAppointment      *original,
            EnrTaskFormatter    *formatter)
{
  g_autoptr(EnrActivityType) activity = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  GtkWidget *current;
  GtkWidget *picker;

  activity = enr_context_lookup (enr_task_dialog_get_context (ENR_TASK_DIALOG (self)), ENR_TYPE_ACTIVITY_TYPE,
                                 enr_appointment_get_activity_type_id (original));
  if (activity == NULL)
    return;

  when = enr_format_appointment (enr_appointment_get_start (original), enr_appointment_get_end (original),
                                 enr_task_formatter_crew_name (formatter, enr_appointment_get_crew_id (original)));
  /* Translators: the appointment being rescheduled, e.g. "Booked now: Mon, 1 Jun 2026, 08:00 – 10:00, North Crew" */
  text = g_strdup_printf (_("Booked now: %s"), when);
  current = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (current), 0);
  gtk_label_set_wrap (GTK_LABEL (current), TRUE);
  gtk_widget_add_css_class (current, "dim-label");

  picker = enr_appointment_picker_new (self->session, activity);
  gtk_box_append (self->pickers_box, current);
  gtk_box_append (self->pickers_box, picker);
  g_ptr_array_add (self->pickers, picker);
  g_ptr_array_add (self->originals, g_object_ref (original));
}

EnrRescheduleDialog *
enr_reschedule_dialog_new (GtkWindow      *parent,
                           EnrContext     *context,
                           EnrServiceTask *task)
{
  EnrRescheduleDialog *self;
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(EnrTaskFormatter) formatter = NULL;
  g_autoptr(GPtrArray) booked = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), NULL);

  self = g_object_new (ENR_TYPE_RESCHEDULE_DIALOG,
                       "transient-for", parent,
                       "context", context,
                       "task", task,
                       NULL);

  flow = enr_flow_session_create_for_task (context, task);
  self->session = enr_flow_session_new (context, flow);
  formatter = enr_task_formatter_new (context);

  booked = enr_monitor_task_booked_appointments (task);
  for (guint i = 0; i < booked->len; i++)
    add_picker (self, g_ptr_array_index (booked, i), formatter);

  /* Translators: the customer and the program of the task */
  message = g_strdup_printf (_("Choose new appointments for %s in %s. The crew shift type, crew and date "
                               "show the free slots; the service books them again when it gets the change."),
                             enr_task_formatter_customer_name (formatter, enr_service_task_get_customer_id (task)),
                             enr_task_formatter_program_name (formatter, enr_service_task_get_program_id (task)));
  gtk_label_set_text (self->message_label, message);

  g_signal_connect_object (self->session, "changed::" ENR_FLOW_CHANGE_APPOINTMENTS,
                           G_CALLBACK (on_session_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

/**
 * enr_reschedule_dialog_get_pickers:
 *
 * Returns: (transfer none) (element-type EnrAppointmentPicker): a picker
 *   per booked appointment
 */
GPtrArray *
enr_reschedule_dialog_get_pickers (EnrRescheduleDialog *self)
{
  g_return_val_if_fail (ENR_IS_RESCHEDULE_DIALOG (self), NULL);

  return self->pickers;
}

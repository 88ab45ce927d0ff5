/* enr-customer-view-actions.c — the Customer View's actions: enroll,
 * unenroll, resume and cancel a flow or a service task, print a task's
 * letter or save it as PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-assistant.h"
#include "enr-customer-view-private.h"
#include "enr-dialogs.h"
#include "enr-flow-session.h"
#include "enr-letter-print.h"

/* @created: a new service task (queued for the service as Pending), or
 * a task the service already has */
static void
open_new_flow (EnrCustomerView *self,
               EnrProcessFlow  *flow,
               gboolean         created)
{
  g_autoptr(GError) error = NULL;
  gboolean kept;

  /* Kept at once, so the flow can be resumed even if nothing is entered. */
  if (created)
    kept = enr_context_create_flow (self->context, flow, &error);
  else
    kept = enr_context_save_draft (self->context, flow, &error);
  if (!kept)
    g_warning ("Could not keep the new process flow: %s", error->message);

  enr_assistant_open (GTK_WIDGET (self), self->context, flow);
  enr_context_notify_flows_changed (self->context, self->customer_id);
}

static void
enroll_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  g_autoptr(EnrProcessFlow) flow = NULL;

  flow = enr_flow_session_create_enrollment (self->context, self->customer_id,
                                             g_variant_get_string (parameter, NULL), NULL);
  open_new_flow (self, flow, TRUE);
}

static void
unenroll_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  g_autoptr(EnrProgramSubscription) subscription = NULL;
  g_autoptr(EnrProcessFlow) flow = NULL;

  subscription = enr_context_lookup (self->context, ENR_TYPE_PROGRAM_SUBSCRIPTION,
                                     g_variant_get_string (parameter, NULL));
  if (subscription == NULL)
    return;

  flow = enr_flow_session_create_unenrollment (self->context, subscription);
  open_new_flow (self, flow, TRUE);
}

static EnrProcessFlow *
load_flow (EnrCustomerView *self,
           const char      *flow_id)
{
  g_autoptr(GError) error = NULL;
  EnrProcessFlow *flow;

  flow = enr_context_load_flow (self->context, flow_id, &error);
  if (flow == NULL)
    g_warning ("Could not read the process flow %s: %s", flow_id, error->message);

  return flow;
}

static void
resume_flow_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  const char *flow_id = g_variant_get_string (parameter, NULL);
  g_autoptr(EnrProcessFlow) flow = NULL;
  EnrAssistant *assistant;

  assistant = enr_assistant_find (flow_id);
  if (assistant != NULL)
    {
      gtk_window_present (GTK_WINDOW (assistant));
      return;
    }

  flow = load_flow (self, flow_id);
  if (flow != NULL)
    enr_assistant_open (GTK_WIDGET (self), self->context, flow);
}

/* A new flow for the service task an action's @parameter names. */
static EnrProcessFlow *
flow_for_task (EnrCustomerView *self,
               GVariant        *parameter)
{
  g_autoptr(EnrServiceTask) task = NULL;

  task = enr_context_lookup (self->context, ENR_TYPE_SERVICE_TASK, g_variant_get_string (parameter, NULL));
  if (task == NULL)
    return NULL;

  return enr_flow_session_create_for_task (self->context, task);
}

static void
resume_task_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  g_autoptr(EnrProcessFlow) flow = flow_for_task (self, parameter);

  if (flow != NULL)
    open_new_flow (self, flow, FALSE);
}

static void
on_cancel_response_cb (EnrCustomerView *self,
                       int              response,
                       GtkDialog       *dialog)
{
  g_autoptr(EnrProcessFlow) flow = g_steal_pointer (&self->canceling_flow);
  g_autoptr(EnrFlowSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && flow != NULL)
    {
      session = enr_flow_session_new (self->context, flow);
      if (!enr_flow_session_cancel (session, enr_cancel_process_dialog_get_reason (GTK_WIDGET (dialog)), &error))
        g_warning ("Could not cancel the process flow: %s", error->message);
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
confirm_cancel (EnrCustomerView *self,
                EnrProcessFlow  *flow)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  EnrAssistant *assistant;
  GtkWidget *dialog;

  /* An open flow is canceled in its own window, which asks there. */
  assistant = enr_assistant_find (enr_entity_get_id (ENR_ENTITY (flow)));
  if (assistant != NULL)
    {
      gtk_window_present (GTK_WINDOW (assistant));
      gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.cancel-process", NULL);
      return;
    }

  /* The dialog is modal: one flow at a time waits for the answer. */
  g_set_object (&self->canceling_flow, flow);
  dialog = enr_cancel_process_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_flow_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  g_autoptr(EnrProcessFlow) flow = load_flow (self, g_variant_get_string (parameter, NULL));

  if (flow != NULL)
    confirm_cancel (self, flow);
}

static void
cancel_task_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);
  g_autoptr(EnrProcessFlow) flow = flow_for_task (self, parameter);

  if (flow != NULL)
    confirm_cancel (self, flow);
}

static void
print_letter_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);

  enr_letter_print (widget, self->context, g_variant_get_string (parameter, NULL));
}

static void
save_letter_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EnrCustomerView *self = ENR_CUSTOMER_VIEW (widget);

  enr_letter_save_pdf (widget, self->context, g_variant_get_string (parameter, NULL));
}

void
_enr_customer_view_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "customer.enroll", "s", enroll_action);
  gtk_widget_class_install_action (widget_class, "customer.unenroll", "s", unenroll_action);
  gtk_widget_class_install_action (widget_class, "customer.resume-flow", "s", resume_flow_action);
  gtk_widget_class_install_action (widget_class, "customer.cancel-flow", "s", cancel_flow_action);
  gtk_widget_class_install_action (widget_class, "customer.resume-task", "s", resume_task_action);
  gtk_widget_class_install_action (widget_class, "customer.cancel-task", "s", cancel_task_action);
  gtk_widget_class_install_action (widget_class, "customer.print-letter", "s", print_letter_action);
  gtk_widget_class_install_action (widget_class, "customer.save-letter", "s", save_letter_action);
}

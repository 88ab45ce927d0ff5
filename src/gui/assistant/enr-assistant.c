/* enr-assistant.c — the window of one process flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkStack of the four panels (GtkAssistant is deprecated), a step
 * indicator and the seed's buttons: Previous, Next, Save, Finish (Summary
 * only) and Cancel Process. Next validates the current panel and, when
 * leaving the Program Enrollment panel, the customer's eligibility; the
 * focus moves into each new panel, where the clerk has something to do
 * (enr_page_focus()). The new panel is shown at once, with no
 * transition: the first frame after Next is the new panel (a crossfade
 * drew both panels through offscreen groups in that frame), and what goes
 * to the local store on a switch (the edits not yet written and the panel
 * the clerk is on, a synchronous commit) is written right after that
 * frame is painted, not before it (flush_after_frame()). Accelerators:
 * Alt+Right Next, Alt+Left Previous, Ctrl+S Save, Ctrl+Return Finish,
 * Ctrl+W close. After Finish the window closes and the main window says
 * what was done.
 *
 * Every change is already in the local store (EnrFlowSession); closing a
 * window whose changes were not yet saved for the service (Save) asks
 * whether to save them first. Several assistants may be open at once.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-assistant.h"
#include "enr-customer-page.h"
#include "enr-device-setup-page.h"
#include "enr-dialogs.h"
#include "enr-gui-utils.h"
#include "enr-program-page.h"
#include "enr-step-indicator.h"
#include "enr-summary-page.h"
#include "enr-sync-indicator.h"

struct _EnrAssistant
{
  GtkWindow         parent_instance;

  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
  EnrStepIndicator *step_indicator;
  GtkRevealer      *banner_revealer;
  GtkLabel         *banner_label;
  GtkStack         *stack;
  EnrPage          *customer_page;
  EnrPage          *program_page;
  EnrPage          *device_setup_page;
  EnrPage          *summary_page;
  GtkLabel         *status_label;
  GtkWidget        *next_button;
  GtkWidget        *finish_button;
  GtkWidget        *previous_button;
  GtkWidget        *save_button;
  GtkWidget        *cancel_process_button;
  GtkWidget        *sync_indicator;

  EnrContext       *context;
  EnrFlowSession   *session;
  GCancellable     *cancellable;
  /* The frame clock whose next after-paint writes the draft */
  GdkFrameClock    *flush_clock;
  gulong            flush_handler;
  /* Prepares the hidden panels once the window's size has settled */
  guint             prepare_id;
  int               prepared_width;
  int               prepared_height;
  guint             closing : 1;
};

G_DEFINE_FINAL_TYPE (EnrAssistant, enr_assistant, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Flow id → its open assistant (not owned): one window per flow. */
static GHashTable *open_assistants;

static void
show_banner (EnrAssistant *self,
             const char   *message,
             gboolean      error)
{
  gtk_label_set_text (self->banner_label, message);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->banner_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->banner_label), "error");
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

static void
on_banner_dismissed_cb (EnrAssistant *self)
{
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

static void
update_actions (EnrAssistant *self)
{
  EnrStepPlan *plan = enr_flow_session_get_plan (self->session);
  EnrPanel current = enr_flow_session_get_current_panel (self->session);
  gboolean open = enr_flow_session_is_open (self->session);
  gboolean on_summary = enr_step_plan_can_finish (plan, current);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.previous",
                                 open && enr_step_plan_previous (plan, current) != ENR_STEP_PLAN_NO_PANEL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next",
                                 open && enr_step_plan_next (plan, current) != ENR_STEP_PLAN_NO_PANEL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.finish", open && on_summary);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.save", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.cancel-process", open);

  gtk_widget_set_visible (self->next_button, !on_summary);
  gtk_widget_set_visible (self->finish_button, on_summary);
}

static void
update_title (EnrAssistant *self)
{
  EnrCustomer *customer = enr_flow_session_get_customer (self->session);
  EnrProgram *program = enr_flow_session_get_program (self->session);
  g_autofree char *title = NULL;

  /* Translators: the title of a process flow window, e.g. "Enrollment — Maria Gonzalez" */
  title = g_strdup_printf (_("%s — %s"),
                           enr_task_kind_label (enr_flow_session_get_kind (self->session)),
                           customer ? enr_customer_get_name (customer) : _("Unknown customer"));
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->subtitle_label, program ? enr_program_get_name (program) : _("No program chosen"));
}

static void
update_status (EnrAssistant *self)
{
  if (!enr_flow_session_is_open (self->session))
    gtk_label_set_text (self->status_label, enr_flow_status_label (enr_process_flow_get_status (enr_flow_session_get_flow (self->session))));
  else if (enr_flow_session_get_dirty (self->session))
    gtk_label_set_text (self->status_label, _("Changes kept on this computer, not yet saved for the service"));
  else
    gtk_label_set_text (self->status_label, _("Saved; sent to the service as soon as it can be reached"));
}

static void
update_indicator (EnrAssistant *self)
{
  EnrProcessFlow *flow = enr_flow_session_get_flow (self->session);

  enr_step_indicator_update (self->step_indicator,
                             enr_flow_session_get_plan (self->session),
                             enr_flow_session_get_current_panel (self->session),
                             enr_process_flow_get_visited (flow));
}

static void
flush (EnrAssistant *self)
{
  g_autoptr(GError) error = NULL;

  if (!enr_flow_session_flush (self->session, &error))
    show_banner (self, error->message, TRUE);
}

static void
cancel_flush_after_frame (EnrAssistant *self)
{
  if (self->flush_clock != NULL)
    {
      /* A clock disposed with its surface has dropped its handlers. */
      if (g_signal_handler_is_connected (self->flush_clock, self->flush_handler))
        g_signal_handler_disconnect (self->flush_clock, self->flush_handler);
      self->flush_handler = 0;
      g_clear_object (&self->flush_clock);
    }
}

static void
on_flush_after_paint_cb (EnrAssistant  *self,
                         GdkFrameClock *clock)
{
  cancel_flush_after_frame (self);
  flush (self);
}

/* Writes the draft once the frame under way is painted: a switch shows
 * the new panel first, then commits (with its fsync) what the clerk did
 * and where the clerk is. Unrealized, at once. */
static void
flush_after_frame (EnrAssistant *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock == NULL)
    {
      flush (self);
      return;
    }
  if (self->flush_clock == clock)
    return;

  cancel_flush_after_frame (self);
  self->flush_clock = g_object_ref (clock);
  self->flush_handler = g_signal_connect_swapped (clock, "after-paint",
                                                  G_CALLBACK (on_flush_after_paint_cb), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
go_to (EnrAssistant *self,
       EnrPanel      panel,
       gboolean      record)
{
  EnrPage *page = enr_assistant_get_page (self, panel);

  if (record)
    enr_flow_session_set_current_panel (self->session, panel);

  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));
  enr_page_shown (page);
  update_indicator (self);
  update_actions (self);
  enr_page_focus (page);
  flush_after_frame (self);
}

/* Realizes @widget and its descendants but popovers and hidden widgets,
 * as mapping it would. */
static void
realize_tree (GtkWidget *widget)
{
  if (GTK_IS_NATIVE (widget) || !gtk_widget_get_visible (widget))
    return;

  gtk_widget_realize (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    realize_tree (child);
}

/* Puts the panels not shown (not reached yet, or left) in the state of
 * a panel shown once and left: realized, and laid out at the size the
 * shown one has, as GtkStack lays out the panel it shows. GtkStack lays out
 * only its visible child, so a panel is otherwise realized and laid out
 * for the first time in the frame of the Next that shows it (its text
 * wrapped to its width, the accessibility bus told of every widget's
 * bounds), and laid out again after every change of the window's size.
 * Here that happens while the window waits for the clerk. A panel that
 * does not fit is left to GtkStack, which makes room for it. */
static void
prepare_hidden_panels (EnrAssistant *self)
{
  GtkWidget *shown = gtk_stack_get_visible_child (self->stack);
  int width = gtk_widget_get_width (GTK_WIDGET (self->stack));
  int height = gtk_widget_get_height (GTK_WIDGET (self->stack));

  for (EnrPanel panel = ENR_PANEL_CUSTOMER; panel <= ENR_PANEL_SUMMARY; panel++)
    {
      GtkWidget *page = GTK_WIDGET (enr_assistant_get_page (self, panel));
      int min_width, min_height;

      if (page == shown || !gtk_widget_get_visible (page))
        continue;

      realize_tree (page);
      if (gtk_widget_get_width (page) == width && gtk_widget_get_height (page) == height)
        continue;
      gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, height, &min_width, NULL, NULL, NULL);
      if (min_width > width)
        continue;
      gtk_widget_measure (page, GTK_ORIENTATION_VERTICAL, width, &min_height, NULL, NULL, NULL);
      if (min_height > height)
        continue;
      gtk_widget_size_allocate (page, &(GtkAllocation) { 0, 0, width, height }, -1);
    }
  self->prepared_width = width;
  self->prepared_height = height;
}

static gboolean
prepare_hidden_panels_cb (gpointer data)
{
  EnrAssistant *self = data;

  self->prepare_id = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    prepare_hidden_panels (self);
  return G_SOURCE_REMOVE;
}

/* Shows @errors on their panels; moves to the first panel that has one. */
static gboolean
show_errors_on_panels (EnrAssistant *self)
{
  EnrStepPlan *plan = enr_flow_session_get_plan (self->session);

  for (guint i = 0; i < enr_step_plan_get_n_panels (plan); i++)
    {
      EnrPanel panel = enr_step_plan_get_panel (plan, i);
      EnrPage *page;
      g_autoptr(GPtrArray) errors = NULL;

      if (enr_step_plan_is_skipped (plan, panel))
        continue;

      page = enr_assistant_get_page (self, panel);
      errors = enr_page_validate (page);
      if (errors->len > 0)
        {
          enr_page_show_errors (page, errors);
          go_to (self, panel, TRUE);
          return TRUE;
        }
    }

  return FALSE;
}

/* On leaving the Program Enrollment panel, and on Finish. */
static gboolean
check_eligibility (EnrAssistant *self)
{
  g_autoptr(EnrEligibilityResult) result = NULL;

  if (enr_flow_session_get_kind (self->session) != ENR_TASK_KIND_ENROLLMENT)
    return TRUE;

  result = enr_flow_session_check_eligibility (self->session, TRUE);
  enr_program_page_show_eligibility (ENR_PROGRAM_PAGE (self->program_page), result);

  return enr_eligibility_result_is_eligible (result);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EnrAssistant *self = ENR_ASSISTANT (widget);
  EnrPanel current = enr_flow_session_get_current_panel (self->session);
  EnrPage *page = enr_assistant_get_page (self, current);
  g_autoptr(GPtrArray) errors = NULL;
  int next;

  /* What was typed is written after the new panel's frame (go_to()), or
   * by its own timer when Next stays here. */
  errors = enr_page_validate (page);
  enr_page_show_errors (page, errors);
  if (errors->len > 0)
    {
      enr_page_focus (page);
      return;
    }

  if (current == ENR_PANEL_PROGRAM && !check_eligibility (self))
    {
      enr_page_focus (page);
      return;
    }

  next = enr_step_plan_next (enr_flow_session_get_plan (self->session), current);
  if (next != ENR_STEP_PLAN_NO_PANEL)
    go_to (self, next, TRUE);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EnrAssistant *self = ENR_ASSISTANT (widget);
  int previous;

  previous = enr_step_plan_previous (enr_flow_session_get_plan (self->session),
                                     enr_flow_session_get_current_panel (self->session));
  if (previous != ENR_STEP_PLAN_NO_PANEL)
    go_to (self, previous, TRUE);
}

static void
on_step_activated_cb (EnrAssistant *self,
                      EnrPanel      panel)
{
  EnrProcessFlow *flow = enr_flow_session_get_flow (self->session);

  if (!enr_flow_session_is_open (self->session) ||
      !enr_step_plan_can_jump (enr_flow_session_get_plan (self->session),
                               enr_process_flow_get_visited (flow), panel))
    return;

  go_to (self, panel, TRUE);
}

static gboolean
save (EnrAssistant *self)
{
  g_autoptr(GError) error = NULL;

  if (!enr_flow_session_save (self->session, &error))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Could not save the process flow: %s"), error->message);
      show_banner (self, message, TRUE);
      return FALSE;
    }

  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EnrAssistant *self = ENR_ASSISTANT (widget);

  /* The status line says "Saved"; a banner is for what went wrong. */
  if (save (self))
    gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EnrAssistant *self = ENR_ASSISTANT (widget);
  g_autoptr(GError) error = NULL;

  flush (self);

  if (show_errors_on_panels (self))
    return;

  if (!check_eligibility (self))
    {
      go_to (self, ENR_PANEL_PROGRAM, TRUE);
      return;
    }

  if (!enr_flow_session_finish (self->session, &error))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Could not finish the process flow: %s"), error->message);
      show_banner (self, message, TRUE);
      return;
    }

  self->closing = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
destroy_idle_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/* From a dialog's response: the dialog (transient for us) must be gone
 * before we are. */
static void
destroy_later (EnrAssistant *self)
{
  self->closing = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, destroy_idle_cb, g_object_ref (self), g_object_unref);
}

static void
on_cancel_response_cb (EnrAssistant *self,
                       int           response,
                       GtkDialog    *dialog)
{
  g_autofree char *reason = g_strdup (enr_cancel_process_dialog_get_reason (GTK_WIDGET (dialog)));
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (dialog));

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  flush (self);
  if (!enr_flow_session_cancel (self->session, reason, &error))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Could not cancel the process: %s"), error->message);
      show_banner (self, message, TRUE);
      return;
    }

  destroy_later (self);
}

static void
cancel_process_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  EnrAssistant *self = ENR_ASSISTANT (widget);
  GtkWidget *dialog;

  dialog = enr_cancel_process_dialog_new (GTK_WINDOW (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_close_response_cb (EnrAssistant *self,
                      int           response,
                      GtkDialog    *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));

  if (response == GTK_RESPONSE_ACCEPT && !save (self))
    return;

  if (response == GTK_RESPONSE_ACCEPT || response == GTK_RESPONSE_REJECT)
    destroy_later (self);
}

static gboolean
enr_assistant_close_request (GtkWindow *window)
{
  EnrAssistant *self = ENR_ASSISTANT (window);
  GtkWidget *dialog;
  GtkWidget *button;

  flush (self);

  if (self->closing || !enr_flow_session_is_open (self->session) ||
      !enr_flow_session_get_dirty (self->session))
    return GTK_WINDOW_CLASS (enr_assistant_parent_class)->close_request (window);

  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   "%s", _("Save changes before closing?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("Every change is kept on this computer and the process flow can be resumed later. Save also sends it to the service, where supervisors see it."));
  enr_button_set_accessible_name (gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL));
  enr_button_set_accessible_name (gtk_dialog_add_button (GTK_DIALOG (dialog), _("Close _Without Saving"),
                                                         GTK_RESPONSE_REJECT));
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Save and Close"), GTK_RESPONSE_ACCEPT);
  enr_button_set_accessible_name (button);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

static void
on_session_changed_cb (EnrAssistant   *self,
                       const char     *what,
                       EnrFlowSession *session)
{
  if (g_str_equal (what, ENR_FLOW_CHANGE_PROGRAM))
    update_title (self);

  update_status (self);
}

static void
on_session_plan_changed_cb (EnrAssistant *self)
{
  update_indicator (self);
  update_actions (self);
}

static void
on_session_dirty_changed_cb (EnrAssistant *self)
{
  update_status (self);
}

static void
on_session_save_failed_cb (EnrAssistant   *self,
                           const GError   *error,
                           EnrFlowSession *session)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("Could not keep the change on this computer: %s"), error->message);
  show_banner (self, message, TRUE);
}

static void
enr_assistant_constructed (GObject *object)
{
  EnrAssistant *self = (EnrAssistant *) object;
  EnrPanel current;

  G_OBJECT_CLASS (enr_assistant_parent_class)->constructed (object);

  g_assert (ENR_IS_FLOW_SESSION (self->session));

  /* The sync state, as in the main window: a clerk working here sees
   * whether the work reaches the service or waits. */
  if (self->context != NULL)
    {
      self->sync_indicator = enr_sync_indicator_new (self->context);
      gtk_header_bar_pack_end (GTK_HEADER_BAR (gtk_window_get_titlebar (GTK_WINDOW (self))), self->sync_indicator);
    }

  enr_page_set_session (self->customer_page, self->session);
  enr_page_set_session (self->program_page, self->session);
  enr_page_set_session (self->device_setup_page, self->session);
  enr_page_set_session (self->summary_page, self->session);

  g_signal_connect_object (self->session, "changed", G_CALLBACK (on_session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::plan", G_CALLBACK (on_session_plan_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::dirty", G_CALLBACK (on_session_dirty_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "save-failed", G_CALLBACK (on_session_save_failed_cb), self,
                           G_CONNECT_SWAPPED);

  if (open_assistants == NULL)
    open_assistants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_replace (open_assistants,
                        g_strdup (enr_entity_get_id (ENR_ENTITY (enr_flow_session_get_flow (self->session)))),
                        self);

  update_title (self);
  update_status (self);

  current = enr_flow_session_get_current_panel (self->session);
  if (enr_step_plan_is_skipped (enr_flow_session_get_plan (self->session), current))
    current = ENR_PANEL_CUSTOMER;
  go_to (self, current, FALSE);
}

static void
enr_assistant_dispose (GObject *object)
{
  EnrAssistant *self = (EnrAssistant *) object;

  g_cancellable_cancel (self->cancellable);
  cancel_flush_after_frame (self);
  g_clear_handle_id (&self->prepare_id, g_source_remove);

  if (self->session != NULL && open_assistants != NULL)
    {
      const char *flow_id = enr_entity_get_id (ENR_ENTITY (enr_flow_session_get_flow (self->session)));

      if (g_hash_table_lookup (open_assistants, flow_id) == self)
        g_hash_table_remove (open_assistants, flow_id);
    }

  if (self->session != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!enr_flow_session_flush (self->session, &error))
        g_warning ("Could not keep the process flow: %s", error->message);
    }

  gtk_window_set_child (GTK_WINDOW (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_ASSISTANT);

  G_OBJECT_CLASS (enr_assistant_parent_class)->dispose (object);
}

static void
enr_assistant_finalize (GObject *object)
{
  EnrAssistant *self = (EnrAssistant *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (enr_assistant_parent_class)->finalize (object);
}

static void
enr_assistant_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EnrAssistant *self = ENR_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_assistant_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  EnrAssistant *self = ENR_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The panel shown first was given the focus before the window was
 * mapped, when none of its fields could take it: it gets it now. */
static void
enr_assistant_map (GtkWidget *widget)
{
  EnrAssistant *self = ENR_ASSISTANT (widget);
  EnrPage *page;
  GtkWidget *focus;

  GTK_WIDGET_CLASS (enr_assistant_parent_class)->map (widget);

  if (self->session == NULL)
    return;

  page = enr_assistant_get_page (self, enr_assistant_get_current_panel (self));
  focus = gtk_root_get_focus (GTK_ROOT (self));
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (page)) || GTK_IS_LIST_BOX_ROW (focus))
    enr_page_focus (page);
}

/* The hidden panels follow the window's size a moment after it settles,
 * not at every step of a resize. */
#define PREPARE_DELAY_MS 250

static void
enr_assistant_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  EnrAssistant *self = ENR_ASSISTANT (widget);
  int stack_width, stack_height;

  GTK_WIDGET_CLASS (enr_assistant_parent_class)->size_allocate (widget, width, height, baseline);

  stack_width = gtk_widget_get_width (GTK_WIDGET (self->stack));
  stack_height = gtk_widget_get_height (GTK_WIDGET (self->stack));
  if (stack_width <= 0 || stack_height <= 0 ||
      (stack_width == self->prepared_width && stack_height == self->prepared_height))
    return;

  g_clear_handle_id (&self->prepare_id, g_source_remove);
  self->prepare_id = g_timeout_add_full (G_PRIORITY_LOW, PREPARE_DELAY_MS, prepare_hidden_panels_cb, self, NULL);
}

static void
enr_assistant_class_init (EnrAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = enr_assistant_constructed;
  object_class->dispose = enr_assistant_dispose;
  object_class->finalize = enr_assistant_finalize;
  object_class->get_property = enr_assistant_get_property;
  object_class->set_property = enr_assistant_set_property;
  widget_class->map = enr_assistant_map;
  widget_class->size_allocate = enr_assistant_size_allocate;

  window_class->close_request = enr_assistant_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ENR_TYPE_CONTEXT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         ENR_TYPE_FLOW_SESSION,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/assistant/enr-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, title_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, step_indicator);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, banner_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, stack);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, customer_page);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, program_page);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, device_setup_page);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, summary_page);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, status_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, finish_button);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, previous_button);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, save_button);
  gtk_widget_class_bind_template_child (widget_class, EnrAssistant, cancel_process_button);
  gtk_widget_class_bind_template_callback (widget_class, on_step_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_dismissed_cb);

  gtk_widget_class_install_action (widget_class, "assistant.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "assistant.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "assistant.finish", NULL, finish_action);
  gtk_widget_class_install_action (widget_class, "assistant.cancel-process", NULL, cancel_process_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "assistant.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, GDK_ALT_MASK, "assistant.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "assistant.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, GDK_ALT_MASK, "assistant.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "assistant.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "assistant.finish", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
enr_assistant_init (EnrAssistant *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  enr_button_set_accessible_name (self->next_button);
  enr_button_set_accessible_name (self->finish_button);
  enr_button_set_accessible_name (self->previous_button);
  enr_button_set_accessible_name (self->save_button);
  enr_button_set_accessible_name (self->cancel_process_button);
}

/**
 * enr_assistant_new:
 * @flow: the flow to show; its draft is written to the local store from
 *   the first change on
 *
 * Returns: (transfer none): a new assistant window, not yet presented
 */
EnrAssistant *
enr_assistant_new (EnrContext     *context,
                   EnrProcessFlow *flow)
{
  g_autoptr(EnrFlowSession) session = NULL;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (flow), NULL);

  session = enr_flow_session_new (context, flow);

  return g_object_new (ENR_TYPE_ASSISTANT,
                       "context", context,
                       "session", session,
                       NULL);
}

/**
 * enr_assistant_get_sync_indicator:
 *
 * Returns: (transfer none): the window's EnrSyncIndicator
 */
GtkWidget *
enr_assistant_get_sync_indicator (EnrAssistant *self)
{
  g_return_val_if_fail (ENR_IS_ASSISTANT (self), NULL);

  return self->sync_indicator;
}

EnrFlowSession *
enr_assistant_get_session (EnrAssistant *self)
{
  g_return_val_if_fail (ENR_IS_ASSISTANT (self), NULL);

  return self->session;
}

/**
 * enr_assistant_get_page:
 *
 * Returns: (transfer none): the page of @panel
 */
EnrPage *
enr_assistant_get_page (EnrAssistant *self,
                        EnrPanel      panel)
{
  g_return_val_if_fail (ENR_IS_ASSISTANT (self), NULL);

  switch (panel)
    {
    case ENR_PANEL_CUSTOMER:
      return self->customer_page;
    case ENR_PANEL_PROGRAM:
      return self->program_page;
    case ENR_PANEL_DEVICE_SETUP:
      return self->device_setup_page;
    case ENR_PANEL_SUMMARY:
    default:
      return self->summary_page;
    }
}

EnrPanel
enr_assistant_get_current_panel (EnrAssistant *self)
{
  g_return_val_if_fail (ENR_IS_ASSISTANT (self), ENR_PANEL_CUSTOMER);

  return enr_flow_session_get_current_panel (self->session);
}

GtkWidget *
enr_assistant_get_step_indicator (EnrAssistant *self)
{
  g_return_val_if_fail (ENR_IS_ASSISTANT (self), NULL);

  return GTK_WIDGET (self->step_indicator);
}

/**
 * enr_assistant_find:
 *
 * Returns: (transfer none) (nullable): the open assistant of @flow_id
 */
EnrAssistant *
enr_assistant_find (const char *flow_id)
{
  g_return_val_if_fail (flow_id != NULL, NULL);

  if (open_assistants == NULL)
    return NULL;

  return g_hash_table_lookup (open_assistants, flow_id);
}

/**
 * enr_assistant_open:
 * @from: a widget of the window that opens the flow; its application
 *   keeps the assistant
 *
 * Presents the assistant of @flow, opening one unless it is open already.
 *
 * Returns: (transfer none): the assistant
 */
EnrAssistant *
enr_assistant_open (GtkWidget      *from,
                    EnrContext     *context,
                    EnrProcessFlow *flow)
{
  EnrAssistant *assistant;
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (from), NULL);
  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (flow), NULL);

  assistant = enr_assistant_find (enr_entity_get_id (ENR_ENTITY (flow)));
  if (assistant == NULL)
    {
      assistant = enr_assistant_new (context, flow);
      root = gtk_widget_get_root (from);
      if (GTK_IS_WINDOW (root) && gtk_window_get_application (GTK_WINDOW (root)) != NULL)
        gtk_window_set_application (GTK_WINDOW (assistant), gtk_window_get_application (GTK_WINDOW (root)));
    }

  gtk_window_present (GTK_WINDOW (assistant));
  return assistant;
}

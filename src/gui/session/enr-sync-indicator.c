/* enr-sync-indicator.c — the sync state in the header bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A menu button that says whether the client is online, how many changes
 * wait to be sent, and shows a thin progress bar while a cycle runs (the
 * first download of the cache included). Its popover tells the details:
 * the state in words, the last sync time, the last error, Sync Now and
 * Sign In, and every change the service did not take — in conflict (the
 * record changed on the service meanwhile) or rejected (the service
 * refused it) — with its reason and what can be done about it: Keep
 * Mine, Take Theirs or Save as New for a conflict; Correct (the work
 * goes into a new process flow, opened at once) or Discard for a
 * rejection. Everything goes through the sync engine of the context.
 * Changes are their owner's: the list holds those of whoever works here
 * now; other users' changes are counted as waiting for their owner (who
 * sends them at their next sign-in here). A supervisor also sees them
 * listed — whose, what, when queued — and may discard one with a reason
 * (EnrDiscardChangeDialog); its owner then reads who discarded what and
 * why here, for DISCARDED_DAYS days.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-assistant.h"
#include "enr-discard-change-dialog.h"
#include "enr-gui-utils.h"
#include "enr-monitor-actions.h"
#include "enr-outbox.h"
#include "enr-sync-engine.h"
#include "enr-sync-indicator.h"

#define REFRESH_SECONDS 30
/* How long a user is told of their changes a supervisor discarded. */
#define DISCARDED_DAYS  7
#define DISCARDED_SHOWN 3

struct _EnrSyncIndicator
{
  GtkWidget       parent_instance;

  GtkWidget      *button;
  GtkImage       *state_icon;
  GtkLabel       *state_label;
  GtkLabel       *pending_badge;
  GtkWidget      *problem_badge;
  GtkLabel       *problem_count_label;
  GtkProgressBar *button_progress;
  GtkWidget      *popover;
  GtkLabel       *title_label;
  GtkLabel       *detail_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *pending_label;
  GtkLabel       *last_sync_label;
  GtkWidget      *waiting_title;
  GtkLabel       *waiting_label;
  GtkWidget      *discarded_title;
  GtkLabel       *discarded_label;
  GtkWidget      *others_box;
  GtkListBox     *others_list;
  GtkWidget      *sign_in_button;
  GtkWidget      *sync_now_button;
  GtkWidget      *problems_box;
  GtkLabel       *action_error_label;
  GtkListBox     *problems_list;

  EnrContext     *context;
  EnrSyncEngine  *engine;
  EnrOutbox      *outbox;
  GSignalGroup   *engine_signals;
  GSignalGroup   *outbox_signals;
  char           *summary;
  char           *problems_key;
  char           *others_key;
  guint           refresh_id;
  guint           problems_idle_id;
};

G_DEFINE_FINAL_TYPE (EnrSyncIndicator, enr_sync_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_problems (EnrSyncIndicator *self);

/* Describing */

static gboolean
is_task_operation (EnrOperation *operation)
{
  return g_strcmp0 (enr_operation_get_entity_type (operation),
                    enr_store_type_get_name (ENR_TYPE_SERVICE_TASK)) == 0;
}

/* The task as this computer knows it: the cache, else a draft's. */
static EnrServiceTask *
find_task (EnrSyncIndicator *self,
           const char       *task_id)
{
  g_autoptr(GPtrArray) flows = NULL;
  EnrServiceTask *task;

  if ((task = enr_context_lookup (self->context, ENR_TYPE_SERVICE_TASK, task_id)) != NULL)
    return task;

  flows = enr_context_list_flows (self->context, NULL);
  for (guint i = 0; i < flows->len; i++)
    {
      EnrServiceTask *draft = enr_process_flow_get_task (g_ptr_array_index (flows, i));

      if (draft != NULL && g_strcmp0 (enr_entity_get_id (ENR_ENTITY (draft)), task_id) == 0)
        return g_object_ref (draft);
    }

  return NULL;
}

/* "Maria Gonzalez · Smart Thermostat Rewards" */
static char *
describe_subject (EnrSyncIndicator *self,
                  EnrOperation     *operation)
{
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrCustomer) customer = NULL;
  g_autoptr(EnrProgram) program = NULL;
  EnrOperationKind kind = enr_operation_get_kind (operation);

  if (!is_task_operation (operation))
    return g_strdup (enr_operation_get_entity_id (operation));

  /* A task this computer no longer has (its creation was discarded):
   * the one the operation sent, when it sent one. */
  if ((task = find_task (self, enr_operation_get_entity_id (operation))) == NULL &&
      (kind == ENR_OPERATION_KIND_CREATE_TASK || kind == ENR_OPERATION_KIND_SAVE_TASK) &&
      enr_operation_get_body (operation) != NULL)
    task = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK, enr_operation_get_body (operation), -1, NULL);

  if (task == NULL)
    return g_strdup (enr_operation_get_entity_id (operation));

  customer = enr_context_lookup (self->context, ENR_TYPE_CUSTOMER, enr_service_task_get_customer_id (task));
  program = enr_context_lookup (self->context, ENR_TYPE_PROGRAM, enr_service_task_get_program_id (task));

  /* Translators: a service task: its customer and its program */
  return g_strdup_printf (_("%s · %s"),
                          customer != NULL ? enr_customer_get_name (customer) : enr_service_task_get_customer_id (task),
                          program != NULL ? enr_program_get_name (program) : enr_service_task_get_program_id (task));
}

static char *
describe_time (GDateTime *when)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;

  if (when == NULL)
    return g_strdup (_("Never"));

  local = g_date_time_to_local (when);
  if (g_date_time_difference (now, local) < 60 * G_TIME_SPAN_SECOND)
    return g_strdup (_("Just now"));

  time = enr_format_time (local);
  if (g_date_time_get_year (now) == g_date_time_get_year (local) &&
      g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (local))
    /* Translators: %s is a time, e.g. 14:05 */
    return g_strdup_printf (_("Today at %s"), time);

  return enr_format_date_time (local);
}

/* Changes of other users: they wait until their owner signs in here. */

/* "2 changes, by alex and clerk" */
static char *
describe_waiting (EnrSyncIndicator *self,
                  guint             waiting)
{
  const char *user = enr_store_get_user (enr_context_get_store (self->context));
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *owners = NULL;
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes", waiting),
                                            waiting);

  if (self->outbox != NULL && user != NULL &&
      (others = enr_outbox_list_of_others (self->outbox, user, NULL)) != NULL)
    for (guint i = 0; i < others->len; i++)
      {
        const char *owner = enr_operation_get_owner (g_ptr_array_index (others, i));

        if (owner == NULL)
          owner = _("an earlier version’s user");
        if (!g_ptr_array_find_with_equal_func (names, owner, g_str_equal, NULL))
          g_ptr_array_add (names, (gpointer) owner);
      }

  if (names->len == 0)
    return g_steal_pointer (&count);

  g_ptr_array_add (names, NULL);
  owners = g_strjoinv (", ", (char **) names->pdata);
  /* Translators: changes of other users, e.g. "2 changes, by alex, clerk" */
  return g_strdup_printf (_("%s, by %s"), count, owners);
}

static void
update_waiting (EnrSyncIndicator *self,
                guint             waiting,
                GString          *summary)
{
  gtk_widget_set_visible (self->waiting_title, waiting > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->waiting_label), waiting > 0);
  if (waiting == 0)
    return;

  {
    g_autofree char *text = describe_waiting (self, waiting);

    gtk_label_set_text (self->waiting_label, text);
  }
  g_string_append_printf (summary,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%u change of another user waits for them to sign in here. ",
                                       "%u changes of other users wait for them to sign in here. ",
                                       waiting),
                          waiting);
}

/* State */

static void
set_summary (EnrSyncIndicator *self,
             const char       *summary)
{
  if (g_strcmp0 (self->summary, summary) == 0)
    return;

  g_free (self->summary);
  self->summary = g_strdup (summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                  -1);
  gtk_widget_set_tooltip_text (self->button, summary);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

/* A first download's customers: "12,000 of 100,000 customers, about 3
 * minutes left"; NULL when no download of customers runs. */
static char *
describe_download (EnrSyncEngine *engine)
{
  g_autofree char *count = NULL;
  guint done, total;
  int left;

  if (engine == NULL || !enr_sync_engine_get_download_count (engine, &done, &total, &left))
    return NULL;

  /* Translators: a first download's progress, e.g. "12,000 of 100,000 customers" */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u of %'u customer", "%'u of %'u customers", total),
                           done, total);
  if (left < 0)
    return g_steal_pointer (&count);

  if (left < 60)
    /* Translators: %s is "12,000 of 100,000 customers" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, about %d second left",
                                         "%s, about %d seconds left", MAX (left, 1)),
                            count, MAX (left, 1));

  /* Translators: %s is "12,000 of 100,000 customers" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, about %d minute left",
                                       "%s, about %d minutes left", (left + 59) / 60),
                          count, (left + 59) / 60);
}

static void
update (EnrSyncIndicator *self)
{
  EnrSyncState state = ENR_SYNC_STATE_SIGN_IN_NEEDED;
  guint pending = 0, conflicts = 0, rejected = 0;
  double progress = 1.0;
  const char *icon, *label, *title, *detail, *last_error = NULL;
  g_autofree char *pending_text = NULL;
  g_autofree char *last_sync = NULL;
  g_autofree char *problems_text = NULL;
  g_autofree char *progress_text = NULL;
  g_autofree char *download_text = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);
  gboolean syncing;

  if (self->engine != NULL)
    {
      state = enr_sync_engine_get_state (self->engine);
      pending = enr_sync_engine_get_pending_count (self->engine);
      conflicts = enr_sync_engine_get_conflict_count (self->engine);
      rejected = enr_sync_engine_get_rejected_count (self->engine);
      progress = enr_sync_engine_get_progress (self->engine);
      last_error = enr_sync_engine_get_last_error (self->engine);
      last_sync = describe_time (enr_sync_engine_get_last_success (self->engine));
    }
  else
    last_sync = describe_time (NULL);

  switch (state)
    {
    case ENR_SYNC_STATE_IDLE:
      icon = "emblem-ok-symbolic";
      label = C_("sync state", "Online");
      title = _("Online");
      if (conflicts + rejected > 0 && pending > 0)
        detail = _("Changes that follow the ones below wait until those are resolved.");
      else if (conflicts + rejected > 0)
        detail = g_dngettext (GETTEXT_PACKAGE,
                              "Everything else is on the service. The change below is not: decide what becomes of it.",
                              "Everything else is on the service. The changes below are not: decide what becomes of them.",
                              conflicts + rejected);
      else if (pending > 0)
        detail = _("Changes are sent to the service in a moment.");
      else
        detail = _("Everything on this computer is on the service.");
      break;

    case ENR_SYNC_STATE_SYNCING:
      icon = "emblem-synchronizing-symbolic";
      label = C_("sync state", "Syncing…");
      title = _("Syncing");
      detail = _("Sending your changes and fetching the service’s.");
      break;

    case ENR_SYNC_STATE_ERROR:
      icon = "dialog-warning-symbolic";
      label = C_("sync state", "Sync Problem");
      title = _("Sync Problem");
      detail = last_error != NULL ? last_error : _("The last sync failed. It is tried again shortly.");
      break;

    case ENR_SYNC_STATE_SIGN_IN_NEEDED:
      icon = "network-offline-symbolic";
      label = C_("sync state", "Offline");
      title = _("Working Offline");
      detail = _("You are not signed in to the service. Your changes are kept on this computer and sent after you sign in.");
      break;

    case ENR_SYNC_STATE_OFFLINE:
    default:
      icon = "network-offline-symbolic";
      label = C_("sync state", "Offline");
      title = _("Offline");
      detail = _("The service cannot be reached. Your changes are kept on this computer and sent when it can be reached again.");
      break;
    }

  if (self->engine == NULL)
    detail = _("This computer works without a service. Changes are kept here.");

  gtk_image_set_from_icon_name (self->state_icon, icon);
  gtk_label_set_text (self->state_label, label);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->detail_label, detail);

  pending_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes", pending), pending);
  gtk_label_set_text (self->pending_label, pending == 0 ? _("Nothing") : pending_text);
  gtk_label_set_text (self->last_sync_label, last_sync);

  if (pending > 0)
    {
      /* Translators: on the sync button, e.g. "3 to send" */
      g_autofree char *badge = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u to send", "%u to send", pending),
                                                pending);

      gtk_label_set_text (self->pending_badge, badge);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->pending_badge), pending > 0);

  if (conflicts + rejected > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", conflicts + rejected);

      gtk_label_set_text (self->problem_count_label, count);
    }
  gtk_widget_set_visible (self->problem_badge, conflicts + rejected > 0);
  gtk_widget_set_visible (self->problems_box, conflicts + rejected > 0);

  syncing = state == ENR_SYNC_STATE_SYNCING;
  gtk_widget_set_visible (GTK_WIDGET (self->button_progress), syncing);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), syncing);
  if (syncing)
    {
      gtk_progress_bar_set_fraction (self->button_progress, progress);
      gtk_progress_bar_set_fraction (self->progress_bar, progress);
      /* Translators: how far a sync is, e.g. "45 %" */
      progress_text = g_strdup_printf (_("%.0f %%"), progress * 100.0);
      download_text = describe_download (self->engine);
      gtk_progress_bar_set_text (self->progress_bar, download_text != NULL ? download_text : progress_text);
    }

  gtk_widget_set_visible (self->sign_in_button, state == ENR_SYNC_STATE_SIGN_IN_NEEDED && self->engine != NULL);
  gtk_widget_set_visible (self->sync_now_button, state != ENR_SYNC_STATE_SIGN_IN_NEEDED && self->engine != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.sync-now",
                                 self->engine != NULL && !syncing && state != ENR_SYNC_STATE_SIGN_IN_NEEDED);

  /* One sentence for assistive technology and the tooltip. */
  g_string_append (summary, title);
  g_string_append (summary, ". ");
  if (syncing)
    g_string_append_printf (summary, _("%.0f %% done. "), progress * 100.0);
  if (download_text != NULL)
    g_string_append_printf (summary, "%s. ", download_text);
  if (pending > 0)
    g_string_append_printf (summary,
                            g_dngettext (GETTEXT_PACKAGE, "%u change waiting to be sent. ",
                                         "%u changes waiting to be sent. ", pending),
                            pending);
  if (conflicts + rejected > 0)
    g_string_append_printf (summary,
                            g_dngettext (GETTEXT_PACKAGE, "%u change needs your attention. ",
                                         "%u changes need your attention. ", conflicts + rejected),
                            conflicts + rejected);
  update_waiting (self, self->engine != NULL ? enr_sync_engine_get_waiting_count (self->engine) : 0, summary);
  g_string_append_printf (summary, _("Last sync: %s."), last_sync);
  set_summary (self, summary->str);
}

/* Problems: conflicts and rejections */

static GtkWidget *
add_action_button (GtkBox     *box,
                   const char *label,
                   const char *action,
                   gint64      seq,
                   const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", seq);
  gtk_widget_set_tooltip_text (button, tooltip);
  enr_button_set_accessible_name (button);
  gtk_box_append (box, button);
  return button;
}

static GtkWidget *
create_problem_row (EnrSyncIndicator *self,
                    EnrOperation     *operation)
{
  EnrOperationState state = enr_operation_get_state (operation);
  gint64 seq = enr_operation_get_seq (operation);
  g_autofree char *subject = describe_subject (self, operation);
  g_autofree char *what = NULL;
  g_autofree char *name = NULL;
  const char *reason;
  GtkWidget *row, *box, *label, *buttons;

  if (state == ENR_OPERATION_STATE_CONFLICT)
    {
      reason = enr_operation_get_last_error (operation);
      /* Translators: a change in conflict, e.g. "Finish: in conflict" */
      what = g_strdup_printf (_("%s: in conflict"), enr_operation_kind_label (enr_operation_get_kind (operation)));
    }
  else
    {
      reason = enr_operation_get_reason (operation);
      /* Translators: a change the service refused, e.g. "Finish: refused by the service" */
      what = g_strdup_printf (_("%s: refused by the service"), enr_operation_kind_label (enr_operation_get_kind (operation)));
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (box, "list-row-content");

  label = gtk_label_new (what);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);

  label = gtk_label_new (subject);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), label);

  if (state == ENR_OPERATION_STATE_CONFLICT)
    label = gtk_label_new (_("Someone changed this record on the service after you began. Keep your version, take the service’s, or keep your work as a new process flow."));
  else
    label = gtk_label_new (_("The service refused this change. Correct it in a new process flow, or discard it."));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 46);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  if (reason != NULL && reason[0] != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("Reason: %s"), reason);

      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 46);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), label);
    }

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 4);
  if (state == ENR_OPERATION_STATE_CONFLICT)
    {
      add_action_button (GTK_BOX (buttons), _("_Keep Mine"), "sync.keep-mine", seq,
                         _("Send your version again, on top of the service’s"));
      add_action_button (GTK_BOX (buttons), _("_Take Theirs"), "sync.take-theirs", seq,
                         _("Discard your change and use the service’s version"));
      if (is_task_operation (operation))
        add_action_button (GTK_BOX (buttons), _("Save as _New"), "sync.save-as-new", seq,
                           _("Keep your work as a new process flow and open it"));
    }
  else
    {
      if (is_task_operation (operation))
        add_action_button (GTK_BOX (buttons), _("_Correct…"), "sync.correct", seq,
                           _("Open your work in a new process flow to correct it"));
      add_action_button (GTK_BOX (buttons), _("_Discard"), "sync.discard", seq,
                         _("Discard your change; the service’s version stays"));
    }
  gtk_box_append (GTK_BOX (box), buttons);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* Translators: a row of changes needing attention: what, then whose */
  name = g_strdup_printf (_("%s, %s"), what, subject);
  enr_widget_set_accessible_label (row, name);

  return row;
}

/* Decisions are the owner's: another user's conflict waits for them. */
static gboolean
is_mine (EnrSyncIndicator *self,
         EnrOperation     *operation)
{
  const char *user = enr_store_get_user (enr_context_get_store (self->context));

  return user == NULL || g_strcmp0 (enr_operation_get_owner (operation), user) == 0;
}

/* Other users' changes, for a supervisor */

/* "Finish · Maria Gonzalez · Time-of-Use Pilot" */
static char *
describe_change (EnrSyncIndicator *self,
                 EnrOperation     *operation)
{
  g_autofree char *subject = describe_subject (self, operation);

  /* Translators: a queued change: what, then of which record */
  return g_strdup_printf (_("%s · %s"), enr_operation_kind_label (enr_operation_get_kind (operation)), subject);
}

/* "By clerk, queued Today at 14:05" */
static char *
describe_queued (EnrOperation *operation)
{
  g_autoptr(GDateTime) queued = g_date_time_new_from_unix_utc (enr_operation_get_created_at (operation) / G_USEC_PER_SEC);
  g_autofree char *when = describe_time (queued);
  const char *owner = enr_operation_get_owner (operation);

  /* Translators: who queued a change and when, e.g. "By clerk, queued Today at 14:05" */
  return g_strdup_printf (_("By %s, queued %s"), owner != NULL ? owner : _("an earlier version’s user"), when);
}

static gboolean
is_supervisor (EnrSyncIndicator *self)
{
  return enr_context_get_role (self->context) == ENR_ROLE_SUPERVISOR &&
         enr_store_get_user (enr_context_get_store (self->context)) != NULL;
}

static GtkWidget *
create_other_row (EnrSyncIndicator *self,
                  EnrOperation     *operation)
{
  g_autofree char *what = describe_change (self, operation);
  g_autofree char *queued = describe_queued (operation);
  g_autofree char *name = NULL;
  g_autofree char *button_name = NULL;
  GtkWidget *row, *box, *label, *button;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (box, "list-row-content");

  label = gtk_label_new (what);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 46);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);

  label = gtk_label_new (queued);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  button = gtk_button_new_with_mnemonic (_("_Discard…"));
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "sync.discard-other");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", enr_operation_get_seq (operation));
  gtk_widget_set_tooltip_text (button, _("Discard this change, saying why; it never reaches the service"));
  /* Translators: a button's accessible name, e.g. "Discard Finish · Maria Gonzalez · Time-of-Use Pilot" */
  button_name = g_strdup_printf (_("Discard %s"), what);
  enr_widget_set_accessible_label (button, button_name);
  gtk_box_append (GTK_BOX (box), button);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* Translators: a row of another user's change: what, then whose and when */
  name = g_strdup_printf (_("%s, %s"), what, queued);
  enr_widget_set_accessible_label (row, name);

  return row;
}

/* Rows are made again only when the list changed, as for problems. */
static void
rebuild_others (EnrSyncIndicator *self)
{
  const char *user = enr_store_get_user (enr_context_get_store (self->context));
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (self->outbox != NULL && is_supervisor (self) &&
      (others = enr_outbox_list_of_others (self->outbox, user, &error)) == NULL)
    g_warning ("Could not read the outbox: %s", error->message);

  for (guint i = 0; others != NULL && i < others->len; i++)
    g_string_append_printf (key, "%" G_GINT64_FORMAT ":%d;",
                            enr_operation_get_seq (g_ptr_array_index (others, i)),
                            enr_operation_get_state (g_ptr_array_index (others, i)));

  gtk_widget_set_visible (self->others_box, others != NULL && others->len > 0);
  if (g_strcmp0 (self->others_key, key->str) == 0)
    return;

  g_free (self->others_key);
  self->others_key = g_string_free (g_steal_pointer (&key), FALSE);

  enr_list_box_remove_all (self->others_list);
  for (guint i = 0; others != NULL && i < others->len; i++)
    gtk_list_box_append (self->others_list, create_other_row (self, g_ptr_array_index (others, i)));
}

/* Their owner's side: what a supervisor discarded of theirs lately, one
 * line per record and decision: "Enroll or Unenroll, Save · Maria
 * Gonzalez · Time-of-Use Pilot, by supervisor: Duplicate". */
static void
update_discarded (EnrSyncIndicator *self)
{
  const char *user = enr_store_get_user (enr_context_get_store (self->context));
  g_autoptr(GPtrArray) discarded = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 since = g_get_real_time () - (gint64) DISCARDED_DAYS * 24 * 3600 * G_USEC_PER_SEC;
  guint shown = 0, more = 0, i = 0;

  if (self->outbox != NULL && user != NULL)
    discarded = enr_outbox_list_discarded (self->outbox, user, NULL);

  /* Most recent first; the operations of one decision are together. */
  while (discarded != NULL && i < discarded->len)
    {
      EnrOperation *first = g_ptr_array_index (discarded, i);
      g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
      g_autofree char *subject = NULL;
      g_autofree char *what = NULL;
      EnrOperation *described = first;
      guint j;

      if (enr_operation_get_discarded_at (first) < since)
        break;

      for (j = i; j < discarded->len; j++)
        {
          EnrOperation *operation = g_ptr_array_index (discarded, j);
          EnrOperationKind kind = enr_operation_get_kind (operation);

          if (enr_operation_get_discarded_at (operation) != enr_operation_get_discarded_at (first) ||
              g_strcmp0 (enr_operation_get_entity_id (operation), enr_operation_get_entity_id (first)) != 0)
            break;
          g_ptr_array_insert (kinds, 0, (gpointer) enr_operation_kind_label (kind));
          if (kind == ENR_OPERATION_KIND_CREATE_TASK || kind == ENR_OPERATION_KIND_SAVE_TASK)
            described = operation;
        }
      i = j;

      if (shown == DISCARDED_SHOWN)
        {
          more++;
          continue;
        }

      g_ptr_array_add (kinds, NULL);
      what = g_strjoinv (", ", (char **) kinds->pdata);
      subject = describe_subject (self, described);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: changes a supervisor discarded: what, of which record, by whom, why */
      g_string_append_printf (text, _("%s · %s, by %s: %s"), what, subject,
                              enr_operation_get_discarded_by (first),
                              enr_operation_get_discard_reason (first));
      shown++;
    }

  if (more > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more", more), more);
    }

  gtk_label_set_text (self->discarded_label, text->str);
  gtk_widget_set_visible (self->discarded_title, shown > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->discarded_label), shown > 0);
}

static void
on_discard_done_cb (EnrDiscardChangeDialog *dialog,
                    gpointer                user_data)
{
  EnrSyncIndicator *self = ENR_SYNC_INDICATOR (user_data);
  const char *customer_id = g_object_get_data (G_OBJECT (dialog), "enr-customer-id");

  enr_context_notify_flows_changed (self->context, customer_id);
  schedule_problems (self);
  update (self);
  /* The cursor was forgotten: fetch the service's copies again now. */
  if (self->engine != NULL)
    enr_sync_engine_sync_now (self->engine);
}

static char *customer_of_operation (EnrSyncIndicator *self,
                                    gint64            seq);
static void  show_action_error     (EnrSyncIndicator *self,
                                    const GError     *error);

static void
discard_other_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  EnrSyncIndicator *self = ENR_SYNC_INDICATOR (widget);
  gint64 seq = g_variant_get_int64 (parameter);
  g_autoptr(EnrOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL;
  g_autofree char *queued = NULL;
  g_autofree char *description = NULL;
  EnrDiscardChangeDialog *dialog;
  GtkRoot *root;

  if (self->outbox == NULL || !is_supervisor (self))
    return;

  if ((operation = enr_outbox_get (self->outbox, seq, &error)) == NULL)
    {
      show_action_error (self, error);
      return;
    }

  what = describe_change (self, operation);
  queued = describe_queued (operation);
  /* Translators: a change and who queued it when, e.g. "Finish · Maria Gonzalez · Time-of-Use Pilot. By clerk, queued Today at 14:05." */
  description = g_strdup_printf (_("%s. %s."), what, queued);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  gtk_popover_popdown (GTK_POPOVER (self->popover));
  dialog = enr_discard_change_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                          self->context, operation, description);
  g_object_set_data_full (G_OBJECT (dialog), "enr-customer-id", customer_of_operation (self, seq), g_free);
  g_signal_connect_object (dialog, "done", G_CALLBACK (on_discard_done_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Rows are made again only when the problems changed, so that a row
 * does not go away under the pointer while the engine works. */
static void
rebuild_problems (EnrSyncIndicator *self)
{
  static const EnrOperationState states[] = { ENR_OPERATION_STATE_CONFLICT, ENR_OPERATION_STATE_REJECTED };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) key = g_string_new (NULL);

  for (guint s = 0; self->outbox != NULL && s < G_N_ELEMENTS (states); s++)
    {
      g_autoptr(GPtrArray) operations = NULL;
      g_autoptr(GError) error = NULL;

      operations = enr_outbox_list (self->outbox, states[s], &error);
      if (operations == NULL)
        {
          g_warning ("Could not read the outbox: %s", error->message);
          continue;
        }

      for (guint i = 0; i < operations->len; i++)
        {
          EnrOperation *operation = g_ptr_array_index (operations, i);

          if (!is_mine (self, operation))
            continue;

          g_string_append_printf (key, "%" G_GINT64_FORMAT ":%d:%s:%s;", enr_operation_get_seq (operation),
                                  enr_operation_get_state (operation),
                                  enr_operation_get_reason (operation) ? enr_operation_get_reason (operation) : "",
                                  enr_operation_get_last_error (operation) ? enr_operation_get_last_error (operation) : "");
          g_ptr_array_add (problems, g_object_ref (operation));
        }
    }

  rebuild_others (self);
  update_discarded (self);

  if (g_strcmp0 (self->problems_key, key->str) == 0)
    return;

  g_free (self->problems_key);
  self->problems_key = g_string_free (g_steal_pointer (&key), FALSE);

  enr_list_box_remove_all (self->problems_list);
  for (guint i = 0; i < problems->len; i++)
    gtk_list_box_append (self->problems_list, create_problem_row (self, g_ptr_array_index (problems, i)));
}

static gboolean
rebuild_problems_idle_cb (gpointer user_data)
{
  EnrSyncIndicator *self = user_data;

  self->problems_idle_id = 0;
  rebuild_problems (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_problems (EnrSyncIndicator *self)
{
  if (self->problems_idle_id == 0)
    self->problems_idle_id = g_idle_add (rebuild_problems_idle_cb, self);
}

static void
show_action_error (EnrSyncIndicator *self,
                   const GError     *error)
{
  gtk_label_set_text (self->action_error_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->action_error_label), error != NULL);
}

/* Actions */

static char *
customer_of_operation (EnrSyncIndicator *self,
                       gint64            seq)
{
  g_autoptr(EnrOperation) operation = NULL;
  g_autoptr(EnrServiceTask) task = NULL;

  if (self->outbox == NULL || (operation = enr_outbox_get (self->outbox, seq, NULL)) == NULL ||
      !is_task_operation (operation) ||
      (task = find_task (self, enr_operation_get_entity_id (operation))) == NULL)
    return NULL;

  return g_strdup (enr_service_task_get_customer_id (task));
}

static void
resolve (EnrSyncIndicator *self,
         const char       *action_name,
         gint64            seq)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autofree char *customer_id = NULL;
  gboolean ok = FALSE;

  if (self->engine == NULL)
    return;

  customer_id = customer_of_operation (self, seq);

  if (g_str_equal (action_name, "sync.keep-mine"))
    ok = enr_sync_engine_keep_mine (self->engine, seq, &error);
  else if (g_str_equal (action_name, "sync.take-theirs") || g_str_equal (action_name, "sync.discard"))
    ok = enr_sync_engine_take_theirs (self->engine, seq, &error);
  else if (g_str_equal (action_name, "sync.save-as-new") || g_str_equal (action_name, "sync.correct"))
    ok = (flow = enr_sync_engine_save_as_new (self->engine, seq, &error)) != NULL;

  show_action_error (self, ok ? NULL : error);
  if (!ok)
    return;

  enr_context_notify_flows_changed (self->context, customer_id);
  /* Not now: the button that asked is in a row of the list. */
  schedule_problems (self);
  update (self);

  if (flow != NULL)
    {
      EnrAssistant *assistant;

      gtk_popover_popdown (GTK_POPOVER (self->popover));
      assistant = enr_assistant_open (GTK_WIDGET (self), self->context, flow);
      if (assistant != NULL)
        gtk_window_present (GTK_WINDOW (assistant));
    }
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  resolve (ENR_SYNC_INDICATOR (widget), action_name, g_variant_get_int64 (parameter));
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EnrSyncIndicator *self = ENR_SYNC_INDICATOR (widget);

  if (self->engine != NULL)
    enr_sync_engine_sync_now (self->engine);
}

/* Signals */

static void
on_engine_notify_cb (EnrSyncIndicator *self,
                     GParamSpec       *pspec,
                     EnrSyncEngine    *engine)
{
  update (self);

  if (g_str_equal (pspec->name, "conflict-count") || g_str_equal (pspec->name, "rejected-count") ||
      g_str_equal (pspec->name, "waiting-count"))
    schedule_problems (self);
}

static void
on_outbox_changed_cb (EnrSyncIndicator *self)
{
  if (gtk_widget_get_visible (self->popover))
    schedule_problems (self);
}

static void
on_popover_shown_cb (EnrSyncIndicator *self)
{
  show_action_error (self, NULL);
  rebuild_problems (self);
  update (self);
}

static gboolean
on_refresh_cb (gpointer user_data)
{
  update (ENR_SYNC_INDICATOR (user_data));
  return G_SOURCE_CONTINUE;
}

static void
set_engine (EnrSyncIndicator *self,
            EnrSyncEngine    *engine)
{
  if (self->engine == engine && self->outbox != NULL)
    return;

  g_set_object (&self->engine, engine);
  g_clear_object (&self->outbox);
  if (self->context != NULL)
    self->outbox = g_object_ref (enr_store_get_outbox (enr_context_get_store (self->context)));
  g_signal_group_set_target (self->engine_signals, self->engine);
  g_signal_group_set_target (self->outbox_signals, self->outbox);

  update (self);
  schedule_problems (self);
}

static void
on_context_engine_changed_cb (EnrSyncIndicator *self)
{
  GObject *engine = enr_context_get_sync_engine (self->context);

  set_engine (self, ENR_IS_SYNC_ENGINE (engine) ? ENR_SYNC_ENGINE (engine) : NULL);
}

/* GObject */

static void
enr_sync_indicator_constructed (GObject *object)
{
  EnrSyncIndicator *self = (EnrSyncIndicator *) object;

  G_OBJECT_CLASS (enr_sync_indicator_parent_class)->constructed (object);

  g_assert (ENR_IS_CONTEXT (self->context));

  g_signal_connect_object (self->context, "notify::sync-engine",
                           G_CALLBACK (on_context_engine_changed_cb), self, G_CONNECT_SWAPPED);
  on_context_engine_changed_cb (self);
}

static void
enr_sync_indicator_dispose (GObject *object)
{
  EnrSyncIndicator *self = (EnrSyncIndicator *) object;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->problems_idle_id, g_source_remove);
  g_signal_group_set_target (self->engine_signals, NULL);
  g_signal_group_set_target (self->outbox_signals, NULL);
  g_clear_object (&self->engine);
  g_clear_object (&self->outbox);

  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_SYNC_INDICATOR);
  enr_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (enr_sync_indicator_parent_class)->dispose (object);
}

static void
enr_sync_indicator_finalize (GObject *object)
{
  EnrSyncIndicator *self = (EnrSyncIndicator *) object;

  g_clear_object (&self->context);
  g_clear_object (&self->engine_signals);
  g_clear_object (&self->outbox_signals);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->problems_key, g_free);
  g_clear_pointer (&self->others_key, g_free);

  G_OBJECT_CLASS (enr_sync_indicator_parent_class)->finalize (object);
}

static void
enr_sync_indicator_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EnrSyncIndicator *self = ENR_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_sync_indicator_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EnrSyncIndicator *self = ENR_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_sync_indicator_class_init (EnrSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = enr_sync_indicator_constructed;
  object_class->dispose = enr_sync_indicator_dispose;
  object_class->finalize = enr_sync_indicator_finalize;
  object_class->get_property = enr_sync_indicator_get_property;
  object_class->set_property = enr_sync_indicator_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ENR_TYPE_CONTEXT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  /* What the indicator says, in one sentence. */
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/session/enr-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, state_icon);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, state_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, pending_badge);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, problem_badge);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, problem_count_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, button_progress);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, popover);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, title_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, detail_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, pending_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, waiting_title);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, discarded_title);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, discarded_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, others_box);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, others_list);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, sync_now_button);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, problems_box);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, action_error_label);
  gtk_widget_class_bind_template_child (widget_class, EnrSyncIndicator, problems_list);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_shown_cb);

  gtk_widget_class_install_action (widget_class, "sync.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "sync.keep-mine", "x", resolve_action);
  gtk_widget_class_install_action (widget_class, "sync.take-theirs", "x", resolve_action);
  gtk_widget_class_install_action (widget_class, "sync.save-as-new", "x", resolve_action);
  gtk_widget_class_install_action (widget_class, "sync.correct", "x", resolve_action);
  gtk_widget_class_install_action (widget_class, "sync.discard", "x", resolve_action);
  gtk_widget_class_install_action (widget_class, "sync.discard-other", "x", discard_other_action);
}

static void
enr_sync_indicator_init (EnrSyncIndicator *self)
{
  self->engine_signals = g_signal_group_new (ENR_TYPE_SYNC_ENGINE);
  g_signal_group_connect_object (self->engine_signals, "notify", G_CALLBACK (on_engine_notify_cb), self,
                                 G_CONNECT_SWAPPED);
  self->outbox_signals = g_signal_group_new (ENR_TYPE_OUTBOX);
  g_signal_group_connect_object (self->outbox_signals, "changed", G_CALLBACK (on_outbox_changed_cb), self,
                                 G_CONNECT_SWAPPED);

  gtk_widget_init_template (GTK_WIDGET (self));

  enr_widget_set_accessible_label (GTK_WIDGET (self), _("Sync"));
  enr_button_set_accessible_name (self->sign_in_button);
  enr_button_set_accessible_name (self->sync_now_button);
  self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, on_refresh_cb, self);
}

GtkWidget *
enr_sync_indicator_new (EnrContext *context)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);

  return g_object_new (ENR_TYPE_SYNC_INDICATOR,
                       "context", context,
                       NULL);
}

EnrContext *
enr_sync_indicator_get_context (EnrSyncIndicator *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_INDICATOR (self), NULL);

  return self->context;
}

/**
 * enr_sync_indicator_get_summary:
 *
 * Returns: what the indicator says, in one sentence (its accessible
 *   description and tooltip)
 */
const char *
enr_sync_indicator_get_summary (EnrSyncIndicator *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_INDICATOR (self), NULL);

  return self->summary;
}

GtkWidget *
enr_sync_indicator_get_button (EnrSyncIndicator *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_INDICATOR (self), NULL);

  return self->button;
}

GtkWidget *
enr_sync_indicator_get_popover (EnrSyncIndicator *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_INDICATOR (self), NULL);

  return self->popover;
}

/* The thin progress bar on the button, shown while a cycle runs. */
GtkWidget *
enr_sync_indicator_get_progress_bar (EnrSyncIndicator *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_INDICATOR (self), NULL);

  return GTK_WIDGET (self->button_progress);
}

GtkWidget *
enr_sync_indicator_get_problems_list (EnrSyncIndicator *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_INDICATOR (self), NULL);

  return GTK_WIDGET (self->problems_list);
}

/* enr-conflict-dialog.c — settle a change the service did not take
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An operation in conflict (the record changed at the service meanwhile:
 * 409/412, with the service's copy) or refused (403/422) is kept in the
 * outbox, blocking the later changes of its record, until a person
 * decides: Keep Mine sends the local change again on top of the service's
 * version, Take Theirs drops it for the service's copy, Save as New keeps
 * the local work as a new flow. The dialog names the customer and the
 * program, shows both versions field by field (this computer's against
 * the service's, the fields that differ marked and listed) and says what
 * each choice does; it offers only the choices that make sense for the
 * operation (Save as New only for a flow's work, Keep Mine only with the
 * service's copy) and none is the default: Enter or Escape on the
 * focused Decide Later changes nothing. The choice goes through the sync
 * engine when there is one (enr_monitor_resolve_conflict()).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-conflict-dialog.h"
#include "enr-gui-utils.h"
#include "enr-task-formatter.h"

struct _EnrConflictDialog
{
  GtkWindow     parent_instance;

  GtkLabel     *heading_label;
  GtkLabel     *message_label;
  GtkGrid      *compare_grid;
  GtkLabel     *differs_label;
  GtkLabel     *keep_mine_label;
  GtkLabel     *take_theirs_label;
  GtkLabel     *save_as_new_label;
  GtkLabel     *error_label;
  GtkButton    *close_button;
  GtkButton    *keep_mine_button;
  GtkButton    *take_theirs_button;
  GtkButton    *save_as_new_button;

  EnrContext   *context;
  EnrOperation *operation;
  GPtrArray    *differing;   /* the names of the fields that differ */
};

G_DEFINE_FINAL_TYPE (EnrConflictDialog, enr_conflict_dialog, GTK_TYPE_WINDOW)

enum {
  RESOLVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Comparing the two versions */

static char *
join_ids (const char * const *ids)
{
  return ids != NULL ? g_strjoinv (", ", (char **) ids) : NULL;
}

/* Whether two arrays of records hold the same values. */
static gboolean
same_records (GPtrArray *a,
              GPtrArray *b)
{
  g_autoptr(JsonNode) node_a = NULL;
  g_autoptr(JsonNode) node_b = NULL;
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  if ((a == NULL || a->len == 0) && (b == NULL || b->len == 0))
    return TRUE;
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;

  node_a = enr_codec_encode_array (a);
  node_b = enr_codec_encode_array (b);
  text_a = json_to_string (node_a, FALSE);
  text_b = json_to_string (node_b, FALSE);

  return g_str_equal (text_a, text_b);
}

static GtkWidget *
new_cell (const char *text,
          const char *accessible_name,
          gboolean    differs)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (label), 22);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_widget_set_hexpand (label, TRUE);
  enr_value_label_set (GTK_LABEL (label), accessible_name, text != NULL && text[0] != '\0' ? text : NULL);
  if (differs)
    gtk_widget_add_css_class (label, "conflict-differs");

  return label;
}

/* One row of the comparison: the field, this computer's value, the
 * service's; marked when they differ. @differs: -1 to compare the texts. */
static void
add_row (EnrConflictDialog *self,
         const char        *field,
         const char        *mine,
         const char        *theirs,
         int                differs)
{
  int row;
  GtkWidget *name;
  g_autofree char *mine_name = NULL;
  g_autofree char *theirs_name = NULL;
  g_autofree char *field_text = NULL;

  if ((mine == NULL || mine[0] == '\0') && (theirs == NULL || theirs[0] == '\0'))
    return;
  if (differs < 0)
    differs = g_strcmp0 (mine != NULL ? mine : "", theirs != NULL ? theirs : "") != 0;

  /* The next free row (row 0 holds the headers). */
  for (row = 1; gtk_grid_get_child_at (self->compare_grid, 0, row) != NULL; row++)
    ;

  if (differs)
    {
      g_ptr_array_add (self->differing, g_strdup (field));
      /* Translators: a field of the conflict dialog whose two versions
       * differ, e.g. "Status ≠" */
      field_text = g_strdup_printf (_("%s ≠"), field);
    }

  name = gtk_label_new (field_text != NULL ? field_text : field);
  gtk_label_set_xalign (GTK_LABEL (name), 1);
  gtk_label_set_yalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "field-label");
  if (differs)
    gtk_widget_add_css_class (name, "conflict-differs");
  gtk_grid_attach (self->compare_grid, name, 0, row, 1, 1);

  /* Translators: the accessible name of a value in the conflict dialog,
   * e.g. "Status on this computer" */
  mine_name = g_strdup_printf (_("%s on this computer"), field);
  /* Translators: the accessible name of a value in the conflict dialog,
   * e.g. "Status on the service" */
  theirs_name = g_strdup_printf (_("%s on the service"), field);
  gtk_grid_attach (self->compare_grid, new_cell (mine, mine_name, differs), 1, row, 1, 1);
  gtk_grid_attach (self->compare_grid, new_cell (theirs, theirs_name, differs), 2, row, 1, 1);
}

static char *
program_name (EnrContext *context,
              const char *program_id)
{
  g_autoptr(EnrProgram) program = NULL;

  if (program_id == NULL)
    return NULL;
  program = enr_context_lookup (context, ENR_TYPE_PROGRAM, program_id);
  return g_strdup (program != NULL ? enr_program_get_name (program) : program_id);
}

static char *
last_change (EnrServiceTask *task)
{
  g_autofree char *updated = NULL;
  GPtrArray *history;
  EnrTaskTransition *last;

  if (task == NULL)
    return NULL;

  updated = enr_format_date_time (enr_service_task_get_updated_at (task));
  history = enr_service_task_get_history (task);
  last = history != NULL && history->len > 0 ? g_ptr_array_index (history, history->len - 1) : NULL;
  if (last == NULL || enr_task_transition_get_by (last) == NULL)
    return g_steal_pointer (&updated);

  /* Translators: when a task last changed and who made its last status
   * change, e.g. "Sat, 5 Dec 2026, 07:51 · alex" */
  return g_strdup_printf (_("%s · %s"), updated, enr_task_transition_get_by (last));
}

static char *
answers_text (EnrServiceTask *task)
{
  GPtrArray *answers = enr_service_task_get_answers (task);
  guint n = answers != NULL ? answers->len : 0;

  if (n == 0)
    return NULL;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u answer", "%u answers", n), n);
}

static char *
interactions_text (EnrServiceTask *task)
{
  GPtrArray *interactions = enr_service_task_get_interactions (task);
  guint n = interactions != NULL ? interactions->len : 0;

  if (n == 0)
    return NULL;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u interaction", "%u interactions", n), n);
}

#define TEXT_ROW(field, expr) \
  G_STMT_START { \
    g_autofree char *m_ = mine != NULL ? (expr (mine)) : NULL; \
    g_autofree char *t_ = theirs != NULL ? (expr (theirs)) : NULL; \
    add_row (self, (field), m_, t_, -1); \
  } G_STMT_END

static char *
status_text (EnrServiceTask *task)
{
  return g_strdup (enr_task_status_label (enr_service_task_get_status (task)));
}

static char *
kind_text (EnrServiceTask *task)
{
  return g_strdup (enr_task_kind_label (enr_service_task_get_kind (task)));
}

static char *
ownership_text (EnrServiceTask *task)
{
  EnrAssetOwnership ownership = enr_service_task_get_ownership (task);

  return ownership != ENR_ASSET_OWNERSHIP_NONE ? g_strdup (enr_asset_ownership_label (ownership)) : NULL;
}

static char *
installation_text (EnrServiceTask *task)
{
  EnrInstallationMethod method = enr_service_task_get_installation_method (task);

  return method != ENR_INSTALLATION_METHOD_NONE ? g_strdup (enr_installation_method_label (method)) : NULL;
}

static char *
removal_text (EnrServiceTask *task)
{
  EnrRemovalMethod method = enr_service_task_get_removal_method (task);

  return method != ENR_REMOVAL_METHOD_NONE ? g_strdup (enr_removal_method_label (method)) : NULL;
}

static char *
devices_text (EnrServiceTask *task)
{
  return join_ids (enr_service_task_get_device_ids (task));
}

static char *
start_text (EnrServiceTask *task)
{
  return enr_service_task_get_start_date (task) != NULL ? enr_format_date (enr_service_task_get_start_date (task)) : NULL;
}

static char *
stop_text (EnrServiceTask *task)
{
  return enr_service_task_get_stop_date (task) != NULL ? enr_format_date (enr_service_task_get_stop_date (task)) : NULL;
}

static void
fill_comparison (EnrConflictDialog *self,
                 EnrServiceTask    *mine,
                 EnrServiceTask    *theirs)
{
  g_autoptr(EnrTaskFormatter) formatter = enr_task_formatter_new (self->context);
  GtkWidget *header;

  header = gtk_label_new (_("On This Computer"));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_grid_attach (self->compare_grid, header, 1, 0, 1, 1);
  header = gtk_label_new (_("On the Service"));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_grid_attach (self->compare_grid, header, 2, 0, 1, 1);

  TEXT_ROW (_("Status"), status_text);
  {
    g_autofree char *m = mine != NULL ? program_name (self->context, enr_service_task_get_program_id (mine)) : NULL;
    g_autofree char *t = theirs != NULL ? program_name (self->context, enr_service_task_get_program_id (theirs)) : NULL;

    add_row (self, _("Program"), m, t, -1);
  }
  TEXT_ROW (_("Kind"), kind_text);
  TEXT_ROW (_("Asset Ownership"), ownership_text);
  TEXT_ROW (_("Installation Method"), installation_text);
  TEXT_ROW (_("Removal Method"), removal_text);
  TEXT_ROW (_("Devices"), devices_text);
  TEXT_ROW (_("Start Date"), start_text);
  TEXT_ROW (_("Stop Date"), stop_text);
  {
    g_autofree char *m = mine != NULL ? enr_task_formatter_appointment (formatter, mine) : NULL;
    g_autofree char *t = theirs != NULL ? enr_task_formatter_appointment (formatter, theirs) : NULL;

    add_row (self, _("Appointment"), m, t, -1);
  }
  {
    g_autofree char *m = mine != NULL ? answers_text (mine) : NULL;
    g_autofree char *t = theirs != NULL ? answers_text (theirs) : NULL;

    add_row (self, _("Answers"), m, t,
             mine != NULL && theirs != NULL
             ? !same_records (enr_service_task_get_answers (mine), enr_service_task_get_answers (theirs))
             : -1);
  }
  {
    g_autofree char *m = mine != NULL ? interactions_text (mine) : NULL;
    g_autofree char *t = theirs != NULL ? interactions_text (theirs) : NULL;

    add_row (self, _("Interactions"), m, t,
             mine != NULL && theirs != NULL
             ? !same_records (enr_service_task_get_interactions (mine), enr_service_task_get_interactions (theirs))
             : -1);
  }
  {
    g_autofree char *m = last_change (mine);
    g_autofree char *t = last_change (theirs);

    /* When each side last changed: not a difference to decide on. */
    add_row (self, _("Last Changed"), m, t, FALSE);
  }
}

static gboolean
offers_save_as_new (EnrOperation *operation)
{
  switch (enr_operation_get_kind (operation))
    {
    case ENR_OPERATION_KIND_CREATE_TASK:
    case ENR_OPERATION_KIND_SAVE_TASK:
    case ENR_OPERATION_KIND_FINISH_TASK:
      return TRUE;
    default:
      return FALSE;
    }
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
  g_clear_pointer (&self->differing, g_ptr_array_unref);

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
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, compare_grid);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, differs_label);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, keep_mine_label);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, take_theirs_label);
  gtk_widget_class_bind_template_child (widget_class, EnrConflictDialog, save_as_new_label);
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
  self->differing = g_ptr_array_new_with_free_func (g_free);

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
  g_autoptr(EnrCustomer) customer = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *message = NULL;
  g_autofree char *program = NULL;
  g_autofree char *keep_mine = NULL;
  g_autofree char *take_theirs = NULL;
  EnrServiceTask *task;
  const char *server_copy;
  const char *action;
  gboolean is_task;
  gboolean rejected;

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
  rejected = enr_operation_get_state (operation) == ENR_OPERATION_STATE_REJECTED;
  action = enr_operation_kind_label (enr_operation_get_kind (operation));

  if (is_task)
    mine = enr_context_lookup (context, ENR_TYPE_SERVICE_TASK, enr_operation_get_entity_id (operation));
  if (is_task && server_copy != NULL)
    theirs = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK, server_copy, -1, NULL);

  /* Whose work it is: the customer's name, the kind and the program. */
  task = mine != NULL ? mine : theirs;
  if (task != NULL)
    {
      customer = enr_context_lookup (context, ENR_TYPE_CUSTOMER, enr_service_task_get_customer_id (task));
      program = program_name (context, enr_service_task_get_program_id (task));
      /* Translators: the conflict dialog's heading: customer, task kind,
       * program, e.g. "James Whitaker: Enrollment, Smart Thermostat Rewards" */
      heading = g_strdup_printf (_("%s: %s, %s"),
                                 customer != NULL ? enr_customer_get_name (customer)
                                                  : enr_or_dash (enr_service_task_get_customer_id (task)),
                                 enr_task_kind_label (enr_service_task_get_kind (task)),
                                 enr_or_dash (program));
    }
  else
    heading = g_strdup (action);
  gtk_label_set_text (self->heading_label, heading);

  if (rejected)
    {
      const char *reason = enr_operation_get_reason (operation);

      /* Translators: the conflict dialog for a refused change, e.g. "The
       * service refused your change (Reschedule): the slot is full." */
      message = g_strdup_printf (_("The service refused your change (%s): %s"),
                                 action, reason != NULL ? reason : _("it gave no reason."));
    }
  else
    /* Translators: the conflict dialog, e.g. "You changed this task on this
     * computer (Cancel Task), and someone changed it on the service
     * meanwhile. Compare the two versions, then choose what to keep." */
    message = g_strdup_printf (_("You changed this task on this computer (%s), and someone changed it on the "
                                 "service meanwhile. Compare the two versions, then choose what to keep."),
                               action);
  gtk_label_set_text (self->message_label, message);

  if (mine != NULL || theirs != NULL)
    {
      fill_comparison (self, mine, theirs);
      if (theirs == NULL)
        gtk_label_set_text (self->differs_label, _("The service sent no copy of its version."));
      else if (self->differing->len > 0)
        {
          g_autofree char *fields = NULL;
          g_autofree char *text = NULL;

          g_ptr_array_add (self->differing, NULL);
          /* Translators: the separator of the list of fields that differ */
          fields = g_strjoinv (_(", "), (char **) self->differing->pdata);
          g_ptr_array_remove_index (self->differing, self->differing->len - 1);
          /* Translators: the fields whose two versions differ, e.g.
           * "Differs: Status, Appointment." */
          text = g_strdup_printf (_("Differs: %s."), fields);
          gtk_label_set_text (self->differs_label, text);
        }
      else
        gtk_label_set_text (self->differs_label,
                            _("The fields shown are the same on both sides: only the service’s record changed after yours."));
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->compare_grid), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->differs_label), FALSE);
    }

  /* What each choice does; only the ones that make sense. Keep Mine
   * re-applies on the service's version: it needs that copy. */
  /* Translators: what Take Theirs does, e.g. "Drops your change (Cancel
   * Task): this computer takes the service's version." */
  take_theirs = g_strdup_printf (_("Drops your change (%s): this computer takes the service’s version."), action);
  gtk_label_set_text (self->take_theirs_label, take_theirs);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->take_theirs_button), take_theirs);

  /* Translators: what Keep Mine does, e.g. "Sends your change (Cancel
   * Task) again on top of the service's version: where they differ, yours
   * replaces the other change." */
  keep_mine = g_strdup_printf (_("Sends your change (%s) again on top of the service’s version: where they differ, "
                                 "yours replaces the other change."),
                               action);
  gtk_label_set_text (self->keep_mine_label, keep_mine);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->keep_mine_button), keep_mine);
  gtk_widget_set_visible (GTK_WIDGET (self->keep_mine_button), server_copy != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->keep_mine_label), server_copy != NULL);

  gtk_label_set_text (self->save_as_new_label,
                      _("Keeps your work as a new process flow for the customer; this task takes the service’s version."));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_as_new_button), gtk_label_get_text (self->save_as_new_label));
  gtk_widget_set_visible (GTK_WIDGET (self->save_as_new_button), is_task && offers_save_as_new (operation));
  gtk_widget_set_visible (GTK_WIDGET (self->save_as_new_label), is_task && offers_save_as_new (operation));

  /* No choice is the default: the focus starts on Decide Later. */
  gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->close_button));

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

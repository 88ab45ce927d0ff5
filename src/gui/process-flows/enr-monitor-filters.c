/* enr-monitor-filters.c — Process Flows: the filter bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Status, kind, program, clerk, age and customer text, read into the
 * model's filter; the dashboard's rows set them too. The count reads
 * "N of M process flows", M from the dashboard's counts.
 */

#include "config.h"

#include "enr-monitor-private.h"

static guint
checked_status_mask (EnrMonitor *self)
{
  guint mask = 0;

  for (guint i = 0; i < N_STATUSES; i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->status_checks[i])))
      mask |= 1u << i;

  return mask == ALL_STATUSES ? 0 : mask;
}

void
_enr_monitor_update_status_button (EnrMonitor *self)
{
  guint mask = checked_status_mask (self);
  g_autofree char *label = NULL;

  if (mask == 0)
    /* No box ticked: the list shows every status. */
    label = g_strdup (_("Any Status"));
  else if ((mask & (mask - 1)) == 0)
    label = g_strdup (enr_task_status_label (g_bit_nth_lsf (mask, -1)));
  else
    {
      guint n = 0;

      for (guint i = 0; i < N_STATUSES; i++)
        n += (mask >> i) & 1;
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Status", "%u Statuses", n), n);
    }

  gtk_menu_button_set_label (self->status_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, label,
                                  -1);
}

static gboolean
filters_active (EnrMonitor *self)
{
  const char *text;

  if (self->model == NULL)
    return FALSE;

  text = enr_task_list_model_get_customer_text (self->model);

  return enr_task_list_model_get_status_mask (self->model) != 0 ||
         enr_task_list_model_get_kind (self->model) != ENR_TASK_LIST_ANY_KIND ||
         enr_task_list_model_get_program_id (self->model) != NULL ||
         enr_task_list_model_get_created_by (self->model) != NULL ||
         enr_task_list_model_get_min_age_days (self->model) != 0 ||
         enr_task_list_model_get_max_age_days (self->model) != 0 ||
         (text != NULL && text[0] != '\0');
}

void
_enr_monitor_update_count_label (EnrMonitor *self)
{
  EnrTaskStats *stats = enr_dashboard_get_stats (self->dashboard);
  g_autofree char *count = NULL;
  guint n_items, total;

  if (self->model == NULL)
    {
      gtk_label_set_text (self->count_label, "");
      return;
    }

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  if (!filters_active (self))
    total = n_items;
  else if (stats != NULL)
    total = (guint) MIN (enr_task_stats_get_total (stats), G_MAXUINT);
  else
    total = G_MAXUINT;

  if (total == G_MAXUINT)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u process flow", "%u process flows", n_items),
                             n_items);
  else
    /* Translators: the tasks the filter shows and every task, e.g. "12 of 240 process flows" */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u process flow", "%u of %u process flows", total),
                             n_items, total);

  if (self->export_message != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s · %s", count, self->export_message);

      gtk_label_set_text (self->count_label, text);
    }
  else
    gtk_label_set_text (self->count_label, count);
}

static const char *
selected_id_or_null (GtkDropDown *drop_down)
{
  const char *id = enr_drop_down_get_selected_id (drop_down);

  return id != NULL && id[0] != '\0' ? id : NULL;
}

/* Reads every filter widget into the model (only what changed makes the
 * model read again). */
static void
apply_filters (EnrMonitor *self)
{
  g_autofree char *text = NULL;
  const char *kind, *age;
  guint min_days = 0, max_days = 0;
  int kind_value = ENR_TASK_LIST_ANY_KIND;

  if (self->model == NULL || self->updating)
    return;

  kind = selected_id_or_null (self->kind_drop_down);
  age = selected_id_or_null (self->age_drop_down);
  if (age != NULL)
    enr_age_bucket_get_days ((EnrAgeBucket) g_ascii_strtoull (age, NULL, 10), &min_days, &max_days);
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->customer_entry))));
  if (kind != NULL && !enr_enum_from_nick (ENR_TYPE_TASK_KIND, kind, &kind_value))
    kind_value = ENR_TASK_LIST_ANY_KIND;

  self->user_rebuild = TRUE;
  enr_task_list_model_freeze (self->model);
  enr_task_list_model_set_status_mask (self->model, checked_status_mask (self));
  enr_task_list_model_set_kind (self->model, kind_value);
  enr_task_list_model_set_program_id (self->model, selected_id_or_null (self->program_drop_down));
  enr_task_list_model_set_created_by (self->model, selected_id_or_null (self->clerk_drop_down));
  enr_task_list_model_set_min_age_days (self->model, min_days);
  enr_task_list_model_set_max_age_days (self->model, max_days);
  enr_task_list_model_set_customer_text (self->model, text[0] != '\0' ? text : NULL);
  enr_task_list_model_thaw (self->model);
  self->user_rebuild = FALSE;

  _enr_monitor_update_status_button (self);
  _enr_monitor_update_count_label (self);
}

static void
on_customer_changed_cb (EnrMonitor *self)
{
  apply_filters (self);
}

static void
on_status_toggled_cb (EnrMonitor *self)
{
  apply_filters (self);
  _enr_monitor_update_status_button (self);
}

static void
on_kind_selected_cb (EnrMonitor *self)
{
  apply_filters (self);
}

static void
on_program_selected_cb (EnrMonitor *self)
{
  apply_filters (self);
}

static void
on_clerk_selected_cb (EnrMonitor *self)
{
  apply_filters (self);
}

static void
on_age_selected_cb (EnrMonitor *self)
{
  apply_filters (self);
}

typedef struct
{
  char *id;
  char *label;
} Pair;

static int
compare_labels (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  return g_utf8_collate (((const Pair *) a)->label, ((const Pair *) b)->label);
}

/* Fills @drop_down with "all" and (id, label) pairs sorted by label,
 * keeping the selected id. */
static void
fill_drop_down (GtkDropDown *drop_down,
                const char  *all_label,
                GArray      *pairs)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) id_strv = NULL;
  g_auto(GStrv) label_strv = NULL;
  g_autofree char *selected = g_strdup (enr_drop_down_get_selected_id (drop_down));

  g_array_sort_with_data (pairs, compare_labels, NULL);

  g_strv_builder_add (ids, "");
  g_strv_builder_add (labels, all_label);
  for (guint i = 0; i < pairs->len; i++)
    {
      Pair *pair = &g_array_index (pairs, Pair, i);

      g_strv_builder_add (ids, pair->id);
      g_strv_builder_add (labels, pair->label);
    }

  id_strv = g_strv_builder_end (ids);
  label_strv = g_strv_builder_end (labels);
  enr_drop_down_set_items (drop_down, (const char * const *) id_strv, (const char * const *) label_strv,
                           selected != NULL ? selected : "");
  if (gtk_drop_down_get_selected (drop_down) == GTK_INVALID_LIST_POSITION)
    gtk_drop_down_set_selected (drop_down, 0);
}


static void
pair_clear (gpointer data)
{
  Pair *pair = data;

  g_free (pair->id);
  g_free (pair->label);
}

static GArray *
new_pairs (void)
{
  GArray *pairs = g_array_new (FALSE, TRUE, sizeof (Pair));

  g_array_set_clear_func (pairs, pair_clear);
  return pairs;
}

static void
add_pair (GArray     *pairs,
          const char *id,
          const char *label)
{
  Pair pair = { g_strdup (id), g_strdup (label) };

  g_array_append_val (pairs, pair);
}

void
_enr_monitor_fill_program_filter (EnrMonitor *self)
{
  g_autoptr(GPtrArray) programs = enr_context_list (self->context, ENR_TYPE_PROGRAM);
  g_autoptr(GArray) pairs = new_pairs ();

  for (guint i = 0; i < programs->len; i++)
    {
      EnrProgram *program = g_ptr_array_index (programs, i);

      add_pair (pairs, enr_entity_get_id (ENR_ENTITY (program)), enr_program_get_name (program));
    }

  fill_drop_down (self->program_drop_down, _("All Programs"), pairs);
}

void
_enr_monitor_fill_clerk_filter (EnrMonitor *self)
{
  g_autoptr(GPtrArray) users = enr_context_list (self->context, ENR_TYPE_USER);
  g_autoptr(GArray) pairs = new_pairs ();

  for (guint i = 0; i < users->len; i++)
    {
      EnrUser *user = g_ptr_array_index (users, i);
      g_autofree char *label = NULL;

      /* Translators: a user: display name and user name, e.g. "Casey Morgan (clerk)" */
      label = g_strdup_printf (_("%s (%s)"), enr_user_get_display_name (user), enr_user_get_username (user));
      add_pair (pairs, enr_user_get_username (user), label);
    }

  fill_drop_down (self->clerk_drop_down, _("All Clerks"), pairs);
}

static void
fill_fixed_filters (EnrMonitor *self)
{
  g_autoptr(GArray) no_pairs = new_pairs ();
  const char *kind_ids[] = { "", "enrollment", "unenrollment", NULL };
  const char *kind_labels[] = { _("All Kinds"), enr_task_kind_label (ENR_TASK_KIND_ENROLLMENT),
                                enr_task_kind_label (ENR_TASK_KIND_UNENROLLMENT), NULL };
  const char *age_ids[ENR_AGE_BUCKET_N + 2] = { "" };
  const char *age_labels[ENR_AGE_BUCKET_N + 2] = { _("Any Age") };
  char numbers[ENR_AGE_BUCKET_N][4];

  for (guint i = 0; i < ENR_AGE_BUCKET_N; i++)
    {
      g_snprintf (numbers[i], sizeof numbers[i], "%u", i);
      age_ids[i + 1] = numbers[i];
      age_labels[i + 1] = enr_age_bucket_label (i);
    }

  enr_drop_down_set_items (self->kind_drop_down, kind_ids, kind_labels, "");
  enr_drop_down_set_items (self->age_drop_down, age_ids, age_labels, "");
  /* Until there is a store to read them from: "All …" alone, never an
   * empty drop-down (which reads "(None)" and holds an empty label). */
  fill_drop_down (self->program_drop_down, _("All Programs"), no_pairs);
  fill_drop_down (self->clerk_drop_down, _("All Clerks"), no_pairs);
}

static void
build_status_checks (EnrMonitor *self)
{
  for (guint i = 0; i < N_STATUSES; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (enr_task_status_label (i));

      g_signal_connect_object (check, "toggled", G_CALLBACK (on_status_toggled_cb), self, G_CONNECT_SWAPPED);
      gtk_box_append (self->status_box, check);
      self->status_checks[i] = check;
    }
}

void
_enr_monitor_reset_filter_widgets (EnrMonitor *self)
{
  for (guint i = 0; i < N_STATUSES; i++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->status_checks[i]), FALSE);
  gtk_drop_down_set_selected (self->kind_drop_down, 0);
  gtk_drop_down_set_selected (self->program_drop_down, 0);
  gtk_drop_down_set_selected (self->clerk_drop_down, 0);
  gtk_drop_down_set_selected (self->age_drop_down, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->customer_entry), "");
}

/* The dashboard */

static void
on_dashboard_program_activated_cb (EnrMonitor *self,
                                   const char *program_id,
                                   int         status)
{
  self->updating = TRUE;
  _enr_monitor_reset_filter_widgets (self);
  enr_drop_down_select_id (self->program_drop_down, program_id);
  if (status >= 0 && status < N_STATUSES)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->status_checks[status]), TRUE);
  self->updating = FALSE;

  apply_filters (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
on_dashboard_age_activated_cb (EnrMonitor *self,
                               guint       bucket)
{
  g_autofree char *id = g_strdup_printf ("%u", bucket);

  self->updating = TRUE;
  _enr_monitor_reset_filter_widgets (self);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->status_checks[ENR_TASK_STATUS_IN_PROGRESS]), TRUE);
  enr_drop_down_select_id (self->age_drop_down, id);
  self->updating = FALSE;

  apply_filters (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  enr_monitor_clear_filters (ENR_MONITOR (widget));
}

void
_enr_monitor_init_filters (EnrMonitor *self)
{
  build_status_checks (self);
  fill_fixed_filters (self);
}

void
_enr_monitor_class_init_filters (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_customer_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_program_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_clerk_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_age_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_dashboard_program_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_dashboard_age_activated_cb);

  gtk_widget_class_install_action (widget_class, "monitor.clear-filters", NULL, clear_filters_action);
}

/**
 * enr_monitor_set_status_filter:
 * @status_mask: a bit (1 << EnrTaskStatus) per status shown; 0: every status
 */
void
enr_monitor_set_status_filter (EnrMonitor *self,
                               guint       status_mask)
{
  g_return_if_fail (ENR_IS_MONITOR (self));

  self->updating = TRUE;
  for (guint i = 0; i < N_STATUSES; i++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->status_checks[i]), (status_mask & (1u << i)) != 0);
  self->updating = FALSE;

  apply_filters (self);
}

void
enr_monitor_clear_filters (EnrMonitor *self)
{
  g_return_if_fail (ENR_IS_MONITOR (self));

  self->updating = TRUE;
  _enr_monitor_reset_filter_widgets (self);
  self->updating = FALSE;

  apply_filters (self);
}

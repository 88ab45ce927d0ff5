/* enr-monitor.c — Process Flows: every service task, for supervisors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkColumnView over the store's EnrTaskListModel, which reads rows a
 * page at a time, so the list stays smooth with a million tasks. Sorting
 * is the store's (SQL ORDER BY over an index), never a GtkSortListModel:
 * each sortable column carries a probe sorter, and when the column
 * view's sorter changes (a header click) one comparison of two dummy
 * items tells which column leads and in which direction — GTK 4.8 has no
 * getter for that — and the model is told. The task id, customer and
 * appointment columns have no store sort and so no sorter. Filters
 * (status, kind, program, clerk, age, customer text) are the model's;
 * the count reads "N of M process flows", M from the dashboard's counts.
 *
 * The list widgets of GTK 4.8 answer a change replacing every row by
 * reading every new row (looking for the ones they track) and making
 * their widgets again; the model reaches the view through an
 * EnrRowModel of stable rows, so that a rebuild reads and redraws only
 * the rows that have widgets. GTK 4.8's list view keeps widgets for 200
 * rows around the top one, and a long jump (dragging the scroll bar)
 * binds all 200 again in one frame: so a bind costs a lookup, not a
 * format. A task's cell texts are made once, all columns together, and
 * kept on the task (the model keeps a page's tasks while the list
 * scrolls back and forth); the monitor knows its bound cells and sets
 * their texts again after a rebuild or when names change, instead of a
 * signal handler per cell.
 * A rebuild the user asked for (filter, sort) starts at the top; one the
 * store caused (a sync) keeps the scroll position.
 *
 * The side pane shows the selected task (read again from the store after
 * every change), its actions and its history. Every action goes through
 * the outbox (enr-monitor-actions.c), so it works offline. The view
 * reads nothing and offers nothing unless the signed-in user is a
 * supervisor ("available"); the service refuses a clerk anyway.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-assistant.h"
#include "enr-cancel-task-dialog.h"
#include "enr-conflict-dialog.h"
#include "enr-dashboard.h"
#include "enr-gui-utils.h"
#include "enr-monitor.h"
#include "enr-monitor-actions.h"
#include "enr-reschedule-dialog.h"
#include "enr-row-model.h"
#include "enr-task-export.h"
#include "enr-task-formatter.h"
#include "enr-task-history.h"

#define N_STATUSES (ENR_TASK_STATUS_CANCELED + 1)
#define ALL_STATUSES ((1u << N_STATUSES) - 1)

typedef struct
{
  EnrMonitor *self;
  int         column;
} Probe;

typedef struct
{
  EnrMonitor       *self;
  EnrMonitorColumn  column;
} CellColumn;

/* What a task's cells show (see enr_monitor_format_cell()). */
typedef struct
{
  gconstpointer  owner;
  guint          generation;
  gint64         age_at;
  char          *texts[ENR_MONITOR_N_COLUMNS];
} CellTexts;

/* How long a cached age text may be shown, in seconds. */
#define AGE_TEXT_LIFETIME 60

struct _EnrMonitor
{
  GtkWidget             parent_instance;

  GtkStack             *stack;
  GtkSearchEntry       *customer_entry;
  GtkMenuButton        *status_button;
  GtkBox               *status_box;
  GtkDropDown          *kind_drop_down;
  GtkDropDown          *program_drop_down;
  GtkDropDown          *clerk_drop_down;
  GtkDropDown          *age_drop_down;
  GtkButton            *conflicts_button;
  GtkButton            *export_button;
  GtkWidget            *dashboard_button;
  EnrDashboard         *dashboard;
  GtkColumnView        *column_view;
  GtkLabel             *count_label;
  GtkProgressBar       *export_progress;
  GtkButton            *export_cancel_button;
  GtkStack             *details_stack;
  GtkWidget            *details_box;
  GtkLabel             *task_title;
  GtkLabel             *conflict_label;
  GtkLabel             *customer_value;
  GtkLabel             *program_value;
  GtkLabel             *status_value;
  GtkLabel             *created_value;
  GtkLabel             *appointment_value;
  GtkWidget            *open_button;
  GtkWidget            *reschedule_button;
  GtkWidget            *complete_button;
  GtkWidget            *resolve_button;
  GtkWidget            *cancel_button;
  EnrTaskHistory       *history;

  EnrContext           *context;
  EnrTaskListModel     *model;
  EnrRowModel          *row_model;
  GtkSingleSelection   *selection;
  EnrTaskFormatter     *formatter;
  GtkColumnViewColumn  *columns[ENR_MONITOR_N_COLUMNS];
  CellColumn            cell_columns[ENR_MONITOR_N_COLUMNS];
  GHashTable           *bound_cells;
  guint                 texts_generation;
  GtkWidget            *status_checks[N_STATUSES];
  GObject              *probe_a;
  GObject              *probe_b;
  int                   probe_column;
  char                 *selected_task_id;
  EnrServiceTask       *selected_task;
  EnrOperation         *selected_conflict;
  guint                 n_unresolved;
  guint                 refresh_source;
  EnrTaskExport        *export;
  GCancellable         *export_cancellable;
  GtkFileChooserNative *chooser;
  char                 *export_message;
  guint                 available : 1;
  guint                 updating : 1;
  guint                 user_rebuild : 1;
};

G_DEFINE_FINAL_TYPE (EnrMonitor, enr_monitor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_AVAILABLE,
  PROP_EXPORTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  const char  *title;
  int          width;
  gboolean     expand;
  int          sort;      /* an EnrTaskSort, or -1: the store cannot sort by it */
  gboolean     inverted;  /* the store's order runs the other way */
} column_info[ENR_MONITOR_N_COLUMNS] = {
  [ENR_MONITOR_COLUMN_TASK] = { N_("Task"), 120, FALSE, -1, FALSE },
  [ENR_MONITOR_COLUMN_CUSTOMER] = { N_("Customer"), 150, TRUE, -1, FALSE },
  [ENR_MONITOR_COLUMN_PROGRAM] = { N_("Program"), 160, TRUE, ENR_TASK_SORT_PROGRAM, FALSE },
  [ENR_MONITOR_COLUMN_KIND] = { N_("Kind"), 105, FALSE, ENR_TASK_SORT_KIND, FALSE },
  [ENR_MONITOR_COLUMN_STATUS] = { N_("Status"), 100, FALSE, ENR_TASK_SORT_STATUS, FALSE },
  [ENR_MONITOR_COLUMN_CREATED_BY] = { N_("Created By"), 100, FALSE, ENR_TASK_SORT_CREATED_BY, FALSE },
  [ENR_MONITOR_COLUMN_CREATED_AT] = { N_("Created"), 170, FALSE, ENR_TASK_SORT_CREATED_AT, FALSE },
  [ENR_MONITOR_COLUMN_AGE] = { N_("Age"), 80, FALSE, ENR_TASK_SORT_CREATED_AT, TRUE },
  [ENR_MONITOR_COLUMN_APPOINTMENT] = { N_("Appointment"), 240, FALSE, -1, FALSE },
};

static void update_actions (EnrMonitor *self);
static void refresh_details (EnrMonitor *self);

/* Cells */

/**
 * enr_monitor_format_cell:
 *
 * Returns: (transfer full): what @column shows for @task
 */
char *
enr_monitor_format_cell (EnrMonitor       *self,
                         EnrServiceTask   *task,
                         EnrMonitorColumn  column)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), NULL);
  g_return_val_if_fail (self->formatter != NULL, NULL);

  switch (column)
    {
    case ENR_MONITOR_COLUMN_TASK:
      return g_strdup (enr_entity_get_id (ENR_ENTITY (task)));

    case ENR_MONITOR_COLUMN_CUSTOMER:
      return g_strdup (enr_task_formatter_customer_name (self->formatter, enr_service_task_get_customer_id (task)));

    case ENR_MONITOR_COLUMN_PROGRAM:
      return g_strdup (enr_task_formatter_program_name (self->formatter, enr_service_task_get_program_id (task)));

    case ENR_MONITOR_COLUMN_KIND:
      return g_strdup (enr_task_kind_label (enr_service_task_get_kind (task)));

    case ENR_MONITOR_COLUMN_STATUS:
      return g_strdup (enr_task_status_label (enr_service_task_get_status (task)));

    case ENR_MONITOR_COLUMN_CREATED_BY:
      return g_strdup (enr_or_dash (enr_service_task_get_created_by (task)));

    case ENR_MONITOR_COLUMN_CREATED_AT:
      return enr_format_date_time (enr_service_task_get_created_at (task));

    case ENR_MONITOR_COLUMN_AGE:
      return enr_task_formatter_age (self->formatter, task, g_get_real_time () / G_USEC_PER_SEC);

    case ENR_MONITOR_COLUMN_APPOINTMENT:
      return enr_task_formatter_appointment (self->formatter, task);

    default:
      g_return_val_if_reached (NULL);
    }
}

static void
cell_texts_free (gpointer data)
{
  CellTexts *texts = data;

  for (guint i = 0; i < ENR_MONITOR_N_COLUMNS; i++)
    g_free (texts->texts[i]);
  g_free (texts);
}

/* The texts of @task's cells, made for every column at the first bind of
 * any of them; again when names changed since, the age when it is old. */
static CellTexts *
get_cell_texts (EnrMonitor     *self,
                EnrServiceTask *task)
{
  static GQuark quark;
  CellTexts *texts;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if G_UNLIKELY (quark == 0)
    quark = g_quark_from_static_string ("enr-monitor-cell-texts");

  texts = g_object_get_qdata (G_OBJECT (task), quark);
  if (texts != NULL && texts->owner == self && texts->generation == self->texts_generation)
    {
      if (now - texts->age_at >= AGE_TEXT_LIFETIME)
        {
          g_free (texts->texts[ENR_MONITOR_COLUMN_AGE]);
          texts->texts[ENR_MONITOR_COLUMN_AGE] = enr_monitor_format_cell (self, task, ENR_MONITOR_COLUMN_AGE);
          texts->age_at = now;
        }
      return texts;
    }

  texts = g_new0 (CellTexts, 1);
  texts->owner = self;
  texts->generation = self->texts_generation;
  texts->age_at = now;
  for (guint i = 0; i < ENR_MONITOR_N_COLUMNS; i++)
    texts->texts[i] = enr_monitor_format_cell (self, task, i);
  g_object_set_qdata_full (G_OBJECT (task), quark, texts, cell_texts_free);

  return texts;
}

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  CellColumn               *cell_column)
{
  /* GtkInscription: made for cells, it does not measure its text. */
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), 0);
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (inscription), 1);
  gtk_list_item_set_child (item, inscription);
}

static void
update_cell (GtkListItem *item,
             CellColumn  *cell_column)
{
  EnrMonitor *self = cell_column->self;
  EnrRow *row = gtk_list_item_get_item (item);
  EnrServiceTask *task = row != NULL ? enr_row_get_item (row) : NULL;
  const char *text = NULL;

  if (self->formatter != NULL && ENR_IS_SERVICE_TASK (task))
    text = get_cell_texts (self, task)->texts[cell_column->column];
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 CellColumn               *cell_column)
{
  g_hash_table_insert (cell_column->self->bound_cells, item, cell_column);
  update_cell (item, cell_column);
}

static void
on_cell_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   CellColumn               *cell_column)
{
  g_hash_table_remove (cell_column->self->bound_cells, item);
}

/* After the rows took other tasks, or names changed. */
static void
update_bound_cells (EnrMonitor *self)
{
  GHashTableIter iter;
  gpointer item, cell_column;

  g_hash_table_iter_init (&iter, self->bound_cells);
  while (g_hash_table_iter_next (&iter, &item, &cell_column))
    update_cell (item, cell_column);
}

/* Sorting */

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  Probe *probe = user_data;

  probe->self->probe_column = probe->column;
  return GTK_ORDERING_SMALLER;
}

/* Which column leads the column view's sort, and which way: its sorter
 * compares two dummy items; only the leading column's probe answers. */
static void
on_view_sorter_changed_cb (EnrMonitor *self)
{
  GtkSorter *sorter;
  GtkOrdering order;
  gboolean descending;

  if (self->column_view == NULL || self->model == NULL)
    return;

  sorter = gtk_column_view_get_sorter (self->column_view);
  self->probe_column = -1;
  order = gtk_sorter_compare (sorter, self->probe_a, self->probe_b);
  if (self->probe_column < 0 || self->model == NULL)
    return;

  descending = order == GTK_ORDERING_LARGER;
  if (column_info[self->probe_column].inverted)
    descending = !descending;

  self->user_rebuild = TRUE;
  enr_task_list_model_freeze (self->model);
  enr_task_list_model_set_sort (self->model, column_info[self->probe_column].sort);
  enr_task_list_model_set_descending (self->model, descending);
  enr_task_list_model_thaw (self->model);
  self->user_rebuild = FALSE;
}

static void
add_columns (EnrMonitor *self)
{
  for (guint i = 0; i < ENR_MONITOR_N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      self->cell_columns[i].self = self;
      self->cell_columns[i].column = i;
      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), &self->cell_columns[i]);
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), &self->cell_columns[i]);
      g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind_cb), &self->cell_columns[i]);

      column = gtk_column_view_column_new (_(column_info[i].title), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, column_info[i].width);
      gtk_column_view_column_set_expand (column, column_info[i].expand);

      if (column_info[i].sort >= 0)
        {
          Probe *probe = g_new0 (Probe, 1);
          g_autoptr(GtkCustomSorter) sorter = NULL;

          probe->self = self;
          probe->column = i;
          sorter = gtk_custom_sorter_new (probe_compare, probe, g_free);
          gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
        }

      gtk_column_view_append_column (self->column_view, column);
      self->columns[i] = column;
    }

  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_view_sorter_changed_cb), self, G_CONNECT_SWAPPED);
}

/* Filters */

static guint
checked_status_mask (EnrMonitor *self)
{
  guint mask = 0;

  for (guint i = 0; i < N_STATUSES; i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->status_checks[i])))
      mask |= 1u << i;

  return mask == ALL_STATUSES ? 0 : mask;
}

static void
update_status_button (EnrMonitor *self)
{
  guint mask = checked_status_mask (self);
  g_autofree char *label = NULL;

  if (mask == 0)
    label = g_strdup (_("All Statuses"));
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

static void
update_count_label (EnrMonitor *self)
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

  update_status_button (self);
  update_count_label (self);
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
  update_status_button (self);
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

static void
fill_program_filter (EnrMonitor *self)
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

static void
fill_clerk_filter (EnrMonitor *self)
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

static void
reset_filter_widgets (EnrMonitor *self)
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
  reset_filter_widgets (self);
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
  reset_filter_widgets (self);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->status_checks[ENR_TASK_STATUS_IN_PROGRESS]), TRUE);
  enr_drop_down_select_id (self->age_drop_down, id);
  self->updating = FALSE;

  apply_filters (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
on_dashboard_stats_changed_cb (EnrMonitor *self)
{
  update_count_label (self);
}

/* The selected task */

static void
set_selected_task_id (EnrMonitor *self,
                      const char *task_id)
{
  if (g_strcmp0 (self->selected_task_id, task_id) == 0)
    return;

  g_free (self->selected_task_id);
  self->selected_task_id = g_strdup (task_id);
  refresh_details (self);
}

static EnrServiceTask *
selected_row_task (EnrMonitor *self)
{
  EnrRow *row = gtk_single_selection_get_selected_item (self->selection);
  EnrServiceTask *task = row != NULL ? enr_row_get_item (row) : NULL;

  return ENR_IS_SERVICE_TASK (task) ? task : NULL;
}

static void
on_selection_changed_cb (EnrMonitor *self)
{
  EnrServiceTask *task = selected_row_task (self);

  /* Unselecting (a rebuild) leaves the pane on its task. */
  if (task != NULL)
    set_selected_task_id (self, enr_entity_get_id (ENR_ENTITY (task)));
}

static void
on_row_activated_cb (EnrMonitor *self,
                     guint       position)
{
  if (self->selection == NULL)
    return;

  gtk_single_selection_set_selected (self->selection, position);
  if (self->selected_task != NULL && enr_monitor_task_can_open (self->selected_task))
    gtk_widget_activate_action (GTK_WIDGET (self), "monitor.open", NULL);
}

static char *
describe_customer (EnrMonitor     *self,
                   EnrServiceTask *task)
{
  g_autoptr(EnrCustomer) customer = enr_context_lookup (self->context, ENR_TYPE_CUSTOMER,
                                                        enr_service_task_get_customer_id (task));

  if (customer == NULL)
    return g_strdup (enr_or_dash (enr_service_task_get_customer_id (task)));

  /* Translators: a customer and the account, e.g. "Maria Lopez · account 100-2003" */
  return g_strdup_printf (_("%s · account %s"), enr_customer_get_name (customer),
                          enr_customer_get_account_id (customer));
}

static void
refresh_details (EnrMonitor *self)
{
  g_autoptr(GPtrArray) operations = NULL;
  g_autofree char *title = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *status = NULL;
  g_autofree char *created = NULL;
  g_autofree char *when = NULL;
  g_autofree char *age = NULL;
  g_autofree char *appointment = NULL;
  const char * const *reasons;
  EnrServiceTask *task;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_object (&self->selected_task);
  g_clear_object (&self->selected_conflict);

  if (self->selected_task_id != NULL && self->available)
    self->selected_task = enr_context_lookup (self->context, ENR_TYPE_SERVICE_TASK, self->selected_task_id);

  if ((task = self->selected_task) == NULL)
    {
      gtk_stack_set_visible_child_name (self->details_stack, "none");
      enr_task_history_set_task (self->history, NULL);
      update_actions (self);
      return;
    }

  operations = enr_monitor_list_task_operations (enr_context_get_store (self->context),
                                                 self->selected_task_id, NULL);
  for (guint i = 0; operations != NULL && i < operations->len; i++)
    {
      EnrOperation *operation = g_ptr_array_index (operations, i);
      EnrOperationState state = enr_operation_get_state (operation);

      if (state == ENR_OPERATION_STATE_CONFLICT || state == ENR_OPERATION_STATE_REJECTED)
        {
          self->selected_conflict = g_object_ref (operation);
          break;
        }
    }

  /* Translators: a task's kind and id, e.g. "Enrollment · task-0001" */
  title = g_strdup_printf (_("%s · %s"), enr_task_kind_label (enr_service_task_get_kind (task)),
                           enr_entity_get_id (ENR_ENTITY (task)));
  gtk_label_set_text (self->task_title, title);

  customer = describe_customer (self, task);
  enr_value_label_set (self->customer_value, _("Customer"), customer);
  enr_value_label_set (self->program_value, _("Program"),
                       enr_task_formatter_program_name (self->formatter, enr_service_task_get_program_id (task)));

  reasons = enr_service_task_get_reasons (task);
  if (enr_service_task_get_status (task) == ENR_TASK_STATUS_ERROR && reasons != NULL && reasons[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv ("; ", (char **) reasons);

      /* Translators: a status and the reasons, e.g. "Error: the program is closed" */
      status = g_strdup_printf (_("%s: %s"), enr_task_status_label (enr_service_task_get_status (task)), joined);
    }
  else
    status = g_strdup (enr_task_status_label (enr_service_task_get_status (task)));
  enr_value_label_set (self->status_value, _("Status"), status);

  when = enr_format_date_time (enr_service_task_get_created_at (task));
  age = enr_task_formatter_age (self->formatter, task, g_get_real_time () / G_USEC_PER_SEC);
  /* Translators: when and by whom a task was created and its age, e.g. "Mon, 1 Jun 2026, 08:00 by clerk (3 days)" */
  created = g_strdup_printf (_("%s by %s (%s)"), when, enr_or_dash (enr_service_task_get_created_by (task)), age);
  enr_value_label_set (self->created_value, _("Created"), created);

  appointment = enr_task_formatter_appointment (self->formatter, task);
  enr_value_label_set (self->appointment_value, _("Appointment"), appointment[0] != '\0' ? appointment : NULL);

  if (self->selected_conflict != NULL)
    {
      const char *message = enr_operation_get_reason (self->selected_conflict);
      g_autofree char *text = NULL;

      if (message == NULL)
        message = enr_operation_get_last_error (self->selected_conflict);
      /* Translators: an operation's state and the service's message */
      text = g_strdup_printf (_("%s: “%s”. %s"),
                              enr_operation_state_label (enr_operation_get_state (self->selected_conflict)),
                              enr_operation_kind_label (enr_operation_get_kind (self->selected_conflict)),
                              message != NULL ? message : "");
      gtk_label_set_text (self->conflict_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->conflict_label), self->selected_conflict != NULL);

  enr_task_history_set_task (self->history, task);
  gtk_stack_set_visible_child_name (self->details_stack, "task");
  update_actions (self);
}

static gboolean
on_refresh_idle_cb (gpointer user_data)
{
  EnrMonitor *self = user_data;

  self->refresh_source = 0;
  refresh_details (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (EnrMonitor *self)
{
  if (self->refresh_source == 0 && self->selected_task_id != NULL)
    self->refresh_source = g_idle_add (on_refresh_idle_cb, self);
}

/* Conflicts */

static void
update_conflicts (EnrMonitor *self)
{
  EnrOutbox *outbox;
  g_autofree char *label = NULL;
  gint64 n = 0;

  if (self->available)
    {
      outbox = enr_store_get_outbox (enr_context_get_store (self->context));
      n = MAX (0, enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, NULL)) +
          MAX (0, enr_outbox_count (outbox, ENR_OPERATION_STATE_REJECTED, NULL));
    }

  self->n_unresolved = (guint) MIN (n, G_MAXUINT);
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Conflict", "%u Conflicts", self->n_unresolved),
                           self->n_unresolved);
  gtk_button_set_label (self->conflicts_button, label);
  enr_widget_set_accessible_label (GTK_WIDGET (self->conflicts_button), label);
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), self->n_unresolved > 0);
  update_actions (self);
}

/* Store changes */

static void
on_store_changed_cb (EnrMonitor *self,
                     GType       type,
                     EnrStore   *store)
{
  if (!self->available)
    return;

  if (type == ENR_TYPE_CUSTOMER || type == ENR_TYPE_PROGRAM || type == ENR_TYPE_CREW)
    {
      enr_task_formatter_clear (self->formatter);
      self->texts_generation++;
      update_bound_cells (self);
    }

  if (type == ENR_TYPE_PROGRAM)
    {
      self->updating = TRUE;
      fill_program_filter (self);
      self->updating = FALSE;
    }
  else if (type == ENR_TYPE_USER)
    {
      self->updating = TRUE;
      fill_clerk_filter (self);
      self->updating = FALSE;
    }

  if (type == ENR_TYPE_SERVICE_TASK || type == ENR_TYPE_CUSTOMER_COMMUNICATION ||
      type == ENR_TYPE_APPOINTMENT || type == ENR_TYPE_PROGRAM || type == ENR_TYPE_CUSTOMER)
    queue_refresh (self);
}

static void
on_outbox_changed_cb (EnrMonitor *self)
{
  if (!self->available)
    return;

  update_conflicts (self);
  queue_refresh (self);
}

/* After a rebuild the rows show other tasks: a filter or a sort starts
 * at the top with nothing selected; a store change keeps the place, and
 * the selection only while it still shows the selected task. */
static void
on_items_changed_cb (EnrMonitor *self)
{
  EnrServiceTask *task;

  if (self->user_rebuild)
    {
      gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
      gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view)), 0);
    }
  else if ((task = selected_row_task (self)) != NULL &&
           g_strcmp0 (enr_entity_get_id (ENR_ENTITY (task)), self->selected_task_id) != 0)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));

  update_bound_cells (self);
  update_count_label (self);
}

/* Availability */

static void
create_model (EnrMonitor *self)
{
  /* Sorted at construction: the model reads once. */
  self->model = g_object_new (ENR_TYPE_TASK_LIST_MODEL,
                              "store", enr_context_get_store (self->context),
                              "sort", ENR_TASK_SORT_CREATED_AT,
                              "descending", TRUE,
                              NULL);
  self->row_model = enr_row_model_new (G_LIST_MODEL (self->model));
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->row_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (on_selection_changed_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->column_view, self->columns[ENR_MONITOR_COLUMN_CREATED_AT],
                                  GTK_SORT_DESCENDING);
}

static void
drop_model (EnrMonitor *self)
{
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);

  gtk_column_view_set_model (self->column_view, NULL);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->row_model);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
}

/* The list and the counts are read when the view is first shown, not
 * when the window opens. */
static void
ensure_model (EnrMonitor *self)
{
  if (!self->available || self->model != NULL)
    return;

  create_model (self);
  enr_dashboard_set_context (self->dashboard, self->context);
  enr_task_history_set_context (self->history, self->context);
  update_count_label (self);
  update_actions (self);
}

static void
update_availability (EnrMonitor *self)
{
  gboolean available = self->context != NULL && enr_context_get_role (self->context) == ENR_ROLE_SUPERVISOR;

  if (available && !self->available)
    {
      self->available = TRUE;
      g_clear_object (&self->formatter);
      self->formatter = enr_task_formatter_new (self->context);
      self->texts_generation++;

      self->updating = TRUE;
      reset_filter_widgets (self);
      fill_program_filter (self);
      fill_clerk_filter (self);
      self->updating = FALSE;

      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        ensure_model (self);
      gtk_stack_set_visible_child_name (self->stack, "monitor");
    }
  else if (!available)
    {
      self->available = FALSE;
      drop_model (self);
      enr_dashboard_set_context (self->dashboard, NULL);
      enr_task_history_set_context (self->history, NULL);
      g_clear_pointer (&self->selected_task_id, g_free);
      gtk_stack_set_visible_child_name (self->stack, "denied");
    }

  update_status_button (self);
  update_count_label (self);
  update_conflicts (self);
  refresh_details (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

/* Actions */

static void
update_actions (EnrMonitor *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  EnrServiceTask *task = self->available ? self->selected_task : NULL;

  gtk_widget_action_set_enabled (widget, "monitor.open", task != NULL && enr_monitor_task_can_open (task));
  gtk_widget_action_set_enabled (widget, "monitor.cancel", task != NULL && enr_monitor_task_can_cancel (task));
  gtk_widget_action_set_enabled (widget, "monitor.reschedule",
                                 task != NULL && enr_monitor_task_can_reschedule (task));
  gtk_widget_action_set_enabled (widget, "monitor.complete", task != NULL && enr_monitor_task_can_complete (task));
  gtk_widget_action_set_enabled (widget, "monitor.resolve", task != NULL && self->selected_conflict != NULL);
  gtk_widget_action_set_enabled (widget, "monitor.export",
                                 self->available && self->model != NULL && self->export == NULL);
  gtk_widget_action_set_enabled (widget, "monitor.clear-filters", self->available);
  gtk_widget_action_set_enabled (widget, "monitor.show-conflicts", self->available && self->n_unresolved > 0);

  /* What cannot apply to the task is not offered at all (the flow box
   * wraps each button in a child of its own). */
  gtk_widget_set_visible (gtk_widget_get_parent (self->open_button),
                          task != NULL && enr_monitor_task_can_open (task));
  gtk_widget_set_visible (gtk_widget_get_parent (self->reschedule_button),
                          task != NULL && enr_monitor_task_can_reschedule (task));
  gtk_widget_set_visible (gtk_widget_get_parent (self->complete_button),
                          task != NULL && enr_monitor_task_can_complete (task));
  gtk_widget_set_visible (gtk_widget_get_parent (self->resolve_button),
                          task != NULL && self->selected_conflict != NULL);
  gtk_widget_set_visible (gtk_widget_get_parent (self->cancel_button),
                          task != NULL && enr_monitor_task_can_cancel (task));
}

static GtkWindow *
parent_window (EnrMonitor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_error (EnrMonitor   *self,
            const char   *primary,
            const GError *error)
{
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (parent_window (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                   "%s", primary);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  gtk_widget_add_css_class (dialog, "monitor-error-dialog");
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  if (self->selected_task == NULL)
    return;

  flow = enr_monitor_open_flow (self->context, self->selected_task, &error);
  if (flow == NULL)
    {
      show_error (self, _("The process flow cannot be opened"), error);
      return;
    }

  enr_assistant_open (widget, self->context, flow);
}

static void
on_dialog_done_cb (EnrMonitor *self)
{
  refresh_details (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);
  EnrCancelTaskDialog *dialog;

  if (self->selected_task == NULL)
    return;

  dialog = enr_cancel_task_dialog_new (parent_window (self), self->context, self->selected_task);
  g_signal_connect_object (dialog, "done", G_CALLBACK (on_dialog_done_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reschedule_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);
  EnrRescheduleDialog *dialog;

  if (self->selected_task == NULL)
    return;

  dialog = enr_reschedule_dialog_new (parent_window (self), self->context, self->selected_task);
  g_signal_connect_object (dialog, "done", G_CALLBACK (on_dialog_done_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_complete_response_cb (GtkDialog  *dialog,
                         int         response,
                         EnrMonitor *self)
{
  EnrServiceTask *task = g_object_get_data (G_OBJECT (dialog), "enr-task");
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && task != NULL)
    {
      if (!enr_monitor_complete_field_work (self->context, task, &error))
        show_error (self, _("The field work could not be marked completed"), error);
      refresh_details (self);
    }

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
complete_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);
  GtkWidget *dialog;
  GtkWidget *button;

  if (self->selected_task == NULL)
    return;

  dialog = gtk_message_dialog_new (parent_window (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   "%s", _("Mark the field work completed?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("The task becomes Completed and its appointments completed; "
                                              "the service then activates or ends the subscription."));
  enr_button_set_accessible_name (gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Not Yet"), GTK_RESPONSE_CANCEL));
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Mark Completed"), GTK_RESPONSE_ACCEPT);
  enr_button_set_accessible_name (button);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (dialog, "complete-field-work-dialog");

  g_object_set_data_full (G_OBJECT (dialog), "enr-task", g_object_ref (self->selected_task), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_complete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_conflict (EnrMonitor   *self,
               EnrOperation *operation)
{
  EnrConflictDialog *dialog;

  dialog = enr_conflict_dialog_new (parent_window (self), self->context, operation);
  g_signal_connect_object (dialog, "resolved", G_CALLBACK (on_dialog_done_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);

  if (self->selected_conflict != NULL)
    open_conflict (self, self->selected_conflict);
}

static void
show_conflicts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);
  g_autoptr(GPtrArray) unresolved = NULL;
  g_autoptr(GError) error = NULL;
  EnrOperation *first;

  unresolved = enr_monitor_list_unresolved (enr_context_get_store (self->context), &error);
  if (unresolved == NULL)
    {
      show_error (self, _("The conflicts cannot be read"), error);
      return;
    }
  if (unresolved->len == 0)
    return;

  first = g_ptr_array_index (unresolved, 0);
  if (g_strcmp0 (enr_operation_get_entity_type (first), enr_store_type_get_name (ENR_TYPE_SERVICE_TASK)) == 0)
    enr_monitor_select_task (self, enr_operation_get_entity_id (first));
  open_conflict (self, first);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  enr_monitor_clear_filters (ENR_MONITOR (widget));
}

/* Export */

static void
update_export_progress (EnrMonitor *self)
{
  g_autofree char *text = NULL;

  if (self->export == NULL)
    return;

  /* Translators: rows written and rows to write, e.g. "1500 of 10000" */
  text = g_strdup_printf (_("%u of %u"), enr_task_export_get_n_written (self->export),
                          enr_task_export_get_n_items (self->export));
  gtk_progress_bar_set_fraction (self->export_progress, enr_task_export_get_fraction (self->export));
  gtk_progress_bar_set_text (self->export_progress, text);
}

static void
end_export (EnrMonitor *self)
{
  g_clear_object (&self->export);
  g_clear_object (&self->export_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->export_progress), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->export_cancel_button), FALSE);
  update_actions (self);
  update_count_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPORTING]);
}

static void
on_export_done_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(EnrMonitor) self = user_data;
  EnrTaskExport *export = ENR_TASK_EXPORT (source_object);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup (g_object_get_data (source_object, "enr-file-name"));

  g_clear_pointer (&self->export_message, g_free);
  if (enr_task_export_write_finish (export, result, &error))
    self->export_message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%u process flow exported to %s",
                                                         "%u process flows exported to %s",
                                                         enr_task_export_get_n_written (export)),
                                            enr_task_export_get_n_written (export), name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->export_message = g_strdup (_("Export stopped"));
  else if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    show_error (self, _("The process flows could not be exported"), error);

  if (self->export == export)
    end_export (self);
}

static void
on_export_cancel_clicked_cb (EnrMonitor *self)
{
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

static void
on_chooser_response_cb (GtkNativeDialog *chooser,
                        int              response,
                        EnrMonitor      *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);

  if (file != NULL)
    enr_monitor_export (self, file);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EnrMonitor *self = ENR_MONITOR (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export Process Flows"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("process-flows.csv"));
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* GObject */

static void
enr_monitor_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (enr_monitor_parent_class)->map (widget);

  ensure_model (ENR_MONITOR (widget));
}

static void
enr_monitor_dispose (GObject *object)
{
  EnrMonitor *self = (EnrMonitor *) object;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export);
  g_clear_object (&self->export_cancellable);

  if (self->context != NULL)
    {
      EnrStore *store = enr_context_get_store (self->context);

      g_signal_handlers_disconnect_by_data (self->context, self);
      g_signal_handlers_disconnect_by_data (store, self);
      g_signal_handlers_disconnect_by_data (enr_store_get_outbox (store), self);
    }

  if (self->column_view != NULL)
    {
      drop_model (self);
      g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_MONITOR);
  enr_widget_unparent_children (GTK_WIDGET (object));

  g_clear_object (&self->selected_task);
  g_clear_object (&self->selected_conflict);
  g_clear_object (&self->formatter);
  g_clear_object (&self->context);
  g_clear_object (&self->probe_a);
  g_clear_object (&self->probe_b);

  G_OBJECT_CLASS (enr_monitor_parent_class)->dispose (object);
}

static void
enr_monitor_finalize (GObject *object)
{
  EnrMonitor *self = (EnrMonitor *) object;

  g_clear_pointer (&self->selected_task_id, g_free);
  g_clear_pointer (&self->export_message, g_free);
  g_clear_pointer (&self->bound_cells, g_hash_table_unref);

  G_OBJECT_CLASS (enr_monitor_parent_class)->finalize (object);
}

static void
enr_monitor_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EnrMonitor *self = ENR_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;

    case PROP_EXPORTING:
      g_value_set_boolean (value, self->export != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_monitor_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  EnrMonitor *self = ENR_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      enr_monitor_set_context (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_monitor_class_init (EnrMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_monitor_dispose;
  object_class->finalize = enr_monitor_finalize;
  object_class->get_property = enr_monitor_get_property;
  object_class->set_property = enr_monitor_set_property;

  widget_class->map = enr_monitor_map;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ENR_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Whether the signed-in user may see the view: a supervisor. */
  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EXPORTING] =
    g_param_spec_boolean ("exporting", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ENR_TYPE_DASHBOARD);
  g_type_ensure (ENR_TYPE_TASK_HISTORY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/process-flows/enr-monitor.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, stack);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, customer_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, status_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, status_box);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, kind_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, program_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, clerk_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, age_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, conflicts_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, export_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, dashboard_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, dashboard);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, column_view);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, count_label);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, export_progress);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, export_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, details_stack);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, details_box);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, task_title);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, customer_value);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, program_value);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, status_value);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, created_value);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, appointment_value);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, open_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, reschedule_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, complete_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, resolve_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, EnrMonitor, history);
  gtk_widget_class_bind_template_callback (widget_class, on_customer_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_program_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_clerk_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_age_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_dashboard_program_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_dashboard_age_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_cancel_clicked_cb);

  gtk_widget_class_install_action (widget_class, "monitor.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "monitor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "monitor.reschedule", NULL, reschedule_action);
  gtk_widget_class_install_action (widget_class, "monitor.complete", NULL, complete_action);
  gtk_widget_class_install_action (widget_class, "monitor.resolve", NULL, resolve_action);
  gtk_widget_class_install_action (widget_class, "monitor.show-conflicts", NULL, show_conflicts_action);
  gtk_widget_class_install_action (widget_class, "monitor.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "monitor.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "monitor.export", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "monitor");
}

static void
enr_monitor_init (EnrMonitor *self)
{
  self->bound_cells = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->probe_a = g_object_new (G_TYPE_OBJECT, NULL);
  self->probe_b = g_object_new (G_TYPE_OBJECT, NULL);
  self->probe_column = -1;

  build_status_checks (self);
  fill_fixed_filters (self);
  add_columns (self);

  g_signal_connect_object (self->dashboard, "notify::stats", G_CALLBACK (on_dashboard_stats_changed_cb), self,
                           G_CONNECT_SWAPPED);

  enr_button_set_accessible_name (GTK_WIDGET (self->export_button));
  enr_button_set_accessible_name (self->dashboard_button);
  enr_button_set_accessible_name (self->open_button);
  enr_button_set_accessible_name (self->reschedule_button);
  enr_button_set_accessible_name (self->complete_button);
  enr_button_set_accessible_name (self->resolve_button);
  enr_button_set_accessible_name (self->cancel_button);

  update_availability (self);
}

GtkWidget *
enr_monitor_new (void)
{
  return g_object_new (ENR_TYPE_MONITOR, NULL);
}

/**
 * enr_monitor_get_context:
 *
 * Returns: (transfer none) (nullable): the context
 */
EnrContext *
enr_monitor_get_context (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return self->context;
}

static void
on_role_changed_cb (EnrMonitor *self)
{
  update_availability (self);
}

/**
 * enr_monitor_set_context:
 * @context: (nullable): the context; the view follows its role
 */
void
enr_monitor_set_context (EnrMonitor *self,
                         EnrContext *context)
{
  g_return_if_fail (ENR_IS_MONITOR (self));
  g_return_if_fail (context == NULL || ENR_IS_CONTEXT (context));

  if (self->context == context)
    return;

  if (self->context != NULL)
    {
      EnrStore *store = enr_context_get_store (self->context);

      g_signal_handlers_disconnect_by_data (self->context, self);
      g_signal_handlers_disconnect_by_data (store, self);
      g_signal_handlers_disconnect_by_data (enr_store_get_outbox (store), self);
      self->context = NULL;
      update_availability (self);
    }

  if (context != NULL)
    {
      EnrStore *store = enr_context_get_store (context);

      self->context = g_object_ref (context);
      g_signal_connect_object (context, "notify::role", G_CALLBACK (on_role_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (enr_store_get_outbox (store), "changed", G_CALLBACK (on_outbox_changed_cb), self,
                               G_CONNECT_SWAPPED);
      update_availability (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

/**
 * enr_monitor_get_available:
 *
 * Returns: whether the view shows anything: the user is a supervisor
 */
gboolean
enr_monitor_get_available (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), FALSE);

  return self->available;
}

/**
 * enr_monitor_get_model:
 *
 * Returns: (transfer none) (nullable): the list, %NULL unless available
 *   and shown once
 */
EnrTaskListModel *
enr_monitor_get_model (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return self->model;
}

GtkColumnViewColumn *
enr_monitor_get_column (EnrMonitor       *self,
                        EnrMonitorColumn  column)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);
  g_return_val_if_fail (column < ENR_MONITOR_N_COLUMNS, NULL);

  return self->columns[column];
}

GtkWidget *
enr_monitor_get_column_view (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return GTK_WIDGET (self->column_view);
}

GtkWidget *
enr_monitor_get_count_label (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return GTK_WIDGET (self->count_label);
}

GtkWidget *
enr_monitor_get_dashboard (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return GTK_WIDGET (self->dashboard);
}

GtkWidget *
enr_monitor_get_history (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return GTK_WIDGET (self->history);
}

GtkWidget *
enr_monitor_get_details (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return self->details_box;
}

const char *
enr_monitor_get_selected_task_id (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), NULL);

  return self->selected_task_id;
}

/**
 * enr_monitor_select_task:
 * @task_id: (nullable): the task the side pane shows
 */
void
enr_monitor_select_task (EnrMonitor *self,
                         const char *task_id)
{
  g_return_if_fail (ENR_IS_MONITOR (self));

  set_selected_task_id (self, task_id);
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
  reset_filter_widgets (self);
  self->updating = FALSE;

  apply_filters (self);
}

/**
 * enr_monitor_export:
 *
 * Writes the list, as filtered and sorted now, to @file as CSV, in the
 * background with a progress bar ("exporting" is %TRUE meanwhile).
 */
void
enr_monitor_export (EnrMonitor *self,
                    GFile      *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (ENR_IS_MONITOR (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!self->available || self->model == NULL || self->export != NULL)
    return;

  g_clear_pointer (&self->export_message, g_free);
  self->export = enr_task_export_new (self->context, self->model);
  self->export_cancellable = g_cancellable_new ();
  name = g_file_get_basename (file);
  g_object_set_data_full (G_OBJECT (self->export), "enr-file-name", g_steal_pointer (&name), g_free);
  g_signal_connect_object (self->export, "notify::n-written", G_CALLBACK (update_export_progress), self,
                           G_CONNECT_SWAPPED);

  gtk_widget_set_visible (GTK_WIDGET (self->export_progress), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->export_cancel_button), TRUE);
  update_export_progress (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPORTING]);

  enr_task_export_write_async (self->export, file, self->export_cancellable,
                               on_export_done_cb, g_object_ref (self));
}

gboolean
enr_monitor_get_exporting (EnrMonitor *self)
{
  g_return_val_if_fail (ENR_IS_MONITOR (self), FALSE);

  return self->export != NULL;
}

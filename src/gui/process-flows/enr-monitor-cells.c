/* enr-monitor-cells.c — Process Flows: the columns, their cells and sorting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A task's cell texts are made once, all columns together, at the first
 * bind of any of them, and kept on the task; the view knows its bound
 * cells and sets their texts again after a rebuild or when names change.
 *
 * The cells are those of the rows in sight (the list's window, see
 * enr-monitor-window.c): they are set again when the window moves.
 * A task changed on this computer that the service does not have so yet
 * says it in its Status cell: "not sent" (waiting, or being sent) or
 * "conflict" (in conflict, or refused), from the outbox, not cached.
 * Sorting is the store's: each sortable column carries a probe sorter
 * that tells which column leads the column view's sort (see enr-monitor.c).
 */

#include "config.h"

#include "enr-monitor-private.h"

typedef struct
{
  EnrMonitor *self;
  int         column;
} Probe;

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

static const struct
{
  const char  *title;
  int          width;
  gboolean     expand;
  int          sort;      /* an EnrTaskSort, or -1: the store cannot sort by it */
  gboolean     inverted;  /* the store's order runs the other way */
} column_info[ENR_MONITOR_N_COLUMNS] = {
  [ENR_MONITOR_COLUMN_TASK] = { N_("Task"), 110, FALSE, -1, FALSE },
  [ENR_MONITOR_COLUMN_CUSTOMER] = { N_("Customer"), 140, TRUE, -1, FALSE },
  [ENR_MONITOR_COLUMN_PROGRAM] = { N_("Program"), 150, TRUE, ENR_TASK_SORT_PROGRAM, FALSE },
  [ENR_MONITOR_COLUMN_KIND] = { N_("Kind"), 105, FALSE, ENR_TASK_SORT_KIND, FALSE },
  [ENR_MONITOR_COLUMN_STATUS] = { N_("Status"), 145, FALSE, ENR_TASK_SORT_STATUS, FALSE },
  [ENR_MONITOR_COLUMN_CREATED_BY] = { N_("Created By"), 100, FALSE, ENR_TASK_SORT_CREATED_BY, FALSE },
  [ENR_MONITOR_COLUMN_CREATED_AT] = { N_("Created"), 170, FALSE, ENR_TASK_SORT_CREATED_AT, FALSE },
  [ENR_MONITOR_COLUMN_AGE] = { N_("Age"), 70, FALSE, ENR_TASK_SORT_CREATED_AT, TRUE },
  [ENR_MONITOR_COLUMN_APPOINTMENT] = { N_("Appointment"), 230, FALSE, -1, FALSE },
};

/* The columns a narrow list leaves out, first to last: what the side
 * pane or another column also says (the age tells the creation date,
 * the pane's subtitle the task id). Customer, Program and Status stay. */
static const EnrMonitorColumn column_drop_order[] = {
  ENR_MONITOR_COLUMN_CREATED_AT,
  ENR_MONITOR_COLUMN_CREATED_BY,
  ENR_MONITOR_COLUMN_TASK,
  ENR_MONITOR_COLUMN_KIND,
  ENR_MONITOR_COLUMN_AGE,
  ENR_MONITOR_COLUMN_APPOINTMENT,
};

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
  /* The row a focused row widget shows (enr-monitor-window.c). */
  g_object_set_data (G_OBJECT (inscription), "enr-list-item", item);
  gtk_list_item_set_child (item, inscription);
}

/* The Status cell of a task the service does not have as it is here. */
static void
update_status_cell (EnrMonitor     *self,
                    GtkWidget      *inscription,
                    EnrServiceTask *task,
                    const char     *status)
{
  gpointer value = NULL;
  gboolean unsent = FALSE;
  gboolean conflict = FALSE;
  g_autofree char *text = NULL;

  /* PENDING is 0: a NULL value is a task waiting to be sent. */
  if (task != NULL && self->unsent != NULL &&
      g_hash_table_lookup_extended (self->unsent, enr_entity_get_id (ENR_ENTITY (task)), NULL, &value))
    {
      conflict = GPOINTER_TO_INT (value) == ENR_OPERATION_STATE_CONFLICT;
      unsent = !conflict;
    }

  if (!unsent && !conflict)
    gtk_inscription_set_text (GTK_INSCRIPTION (inscription), status);
  else if (conflict)
    {
      /* Translators: the Status cell of a task whose change here is in
       * conflict with the service, e.g. "Canceled · conflict" */
      text = g_strdup_printf (_("%s · conflict"), status);
      gtk_inscription_set_text (GTK_INSCRIPTION (inscription), text);
    }
  else
    {
      /* Translators: the Status cell of a task changed here and not sent
       * to the service yet, e.g. "Canceled · not sent" */
      text = g_strdup_printf (_("%s · not sent"), status);
      gtk_inscription_set_text (GTK_INSCRIPTION (inscription), text);
    }

  if (conflict)
    gtk_widget_add_css_class (inscription, "task-conflict");
  else
    gtk_widget_remove_css_class (inscription, "task-conflict");
  if (unsent)
    gtk_widget_add_css_class (inscription, "task-unsent");
  else
    gtk_widget_remove_css_class (inscription, "task-unsent");
}

static void
update_cell (GtkListItem *item,
             CellColumn  *cell_column)
{
  EnrMonitor *self = cell_column->self;
  EnrWindowRow *row = gtk_list_item_get_item (item);
  EnrServiceTask *task = NULL;
  GtkWidget *inscription = gtk_list_item_get_child (item);
  const char *text = NULL;

  /* A row removed from the window shows nothing, should a list widget
   * keep it on screen: never another task than the listed one. */
  task = row != NULL && enr_window_row_get_listed (row) ? enr_window_row_get_item (row) : NULL;

  if (!ENR_IS_SERVICE_TASK (task))
    task = NULL;
  if (self->formatter != NULL && task != NULL)
    text = get_cell_texts (self, task)->texts[cell_column->column];

  if (cell_column->column == ENR_MONITOR_COLUMN_STATUS)
    update_status_cell (self, inscription, task, text);
  else
    gtk_inscription_set_text (GTK_INSCRIPTION (inscription), text);
}

/* Which tasks the service does not have as they are here (the outbox
 * changed); their Status cells say so. */
void
_enr_monitor_read_unsent (EnrMonitor *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->unsent, g_hash_table_unref);
  if (!self->available || self->context == NULL)
    return;

  self->unsent = enr_monitor_list_unsent_tasks (enr_context_get_store (self->context), &error);
  if (self->unsent == NULL)
    g_warning ("Could not read the changes waiting to be sent: %s", error->message);
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
void
_enr_monitor_update_bound_cells (EnrMonitor *self)
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

/* Shows the columns that fit the list's width, leaving out the least
 * needed first (column_drop_order), so that the columns shown are never
 * cut off; called when the width changes. */
static gboolean
fit_columns_cb (gpointer user_data)
{
  EnrMonitor *self = user_data;
  GtkAdjustment *adjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->column_view));
  double width = adjustment != NULL ? gtk_adjustment_get_page_size (adjustment) : 0;
  int total = 0;

  self->fit_columns_id = 0;
  if (width <= 0)
    return G_SOURCE_REMOVE;

  for (guint i = 0; i < ENR_MONITOR_N_COLUMNS; i++)
    total += gtk_column_view_column_get_fixed_width (self->columns[i]);

  for (guint i = 0; i < G_N_ELEMENTS (column_drop_order); i++)
    {
      GtkColumnViewColumn *column = self->columns[column_drop_order[i]];
      gboolean shown = total <= width;

      if (!shown)
        total -= gtk_column_view_column_get_fixed_width (column);
      if (gtk_column_view_column_get_visible (column) != shown)
        gtk_column_view_column_set_visible (column, shown);
    }

  return G_SOURCE_REMOVE;
}

static void
queue_fit_columns (EnrMonitor *self)
{
  /* Not from inside the size allocation that changed the width. */
  if (self->fit_columns_id == 0)
    self->fit_columns_id = g_idle_add (fit_columns_cb, self);
}

void
_enr_monitor_add_columns (EnrMonitor *self)
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
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->column_view)),
                           "notify::page-size", G_CALLBACK (queue_fit_columns), self, G_CONNECT_SWAPPED);
}

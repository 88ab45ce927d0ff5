/* enr-task-list-model.c — every cached service task, read page by page
 *
 * Two ways to reach a page, chosen after counting the result on each
 * rebuild (_enr_task_list_count_sql(): the store's counts per program,
 * status and kind when the filter names no other column, else COUNT(*)):
 *
 * - a small result (at most SMALL_RESULT rows) has its ordered row ids
 *   read once, through the filter's indexes; a page is then a few primary
 *   key lookups;
 * - a large result is walked along the sort column's index, which covers
 *   every filter column (the filter's other columns are written "+column"
 *   so that SQLite does not pick their index and sort the whole result for
 *   every page). Each page read leaves
 *   anchors (sort key and row id of its first and last rows); the next page
 *   starts from the nearest anchor, before or after it, with a row-value
 *   bound ("keyset" paging), so scrolling never re-reads what it skipped.
 *   Jumps far from every anchor pay an OFFSET from the closest end (or
 *   anchor), read from the index alone.
 *
 * A small result is ordered by "+column" when the filter names other
 * columns: SQLite then reads it through the filter's own index (the
 * schema has a composite one for status and program, the dashboard's
 * cells) and sorts the few rows, instead of walking the whole sort index
 * and testing every row; unfiltered, or filtered only by the sort
 * column, it walks the sort index. A count with no bound value is kept
 * until the store's service tasks change, so a new sort order does not
 * count again.
 *
 * A page keeps the rows' JSON and decodes a task only when it is asked
 * for: a list widget asks for the rows it binds, not for the whole page.
 * Pages pushed out of the window are freed when the main loop is idle,
 * not in the middle of the frame that scrolled past them.
 *
 * A customer text filter is resolved once per rebuild into a temporary
 * table of customer ids, not once per page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-task-list-model-private.h"

#define SMALL_RESULT  20000

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EnrTaskListModel, enr_task_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_STATUS_MASK,
  PROP_KIND,
  PROP_PROGRAM_ID,
  PROP_CREATED_BY,
  PROP_MIN_AGE_DAYS,
  PROP_MAX_AGE_DAYS,
  PROP_CUSTOMER_TEXT,
  PROP_SORT,
  PROP_DESCENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const sort_columns[] = {
  [ENR_TASK_SORT_CREATED_AT] = "created_at",
  [ENR_TASK_SORT_UPDATED_AT] = "updated_at",
  [ENR_TASK_SORT_STATUS] = "status",
  [ENR_TASK_SORT_KIND] = "kind",
  [ENR_TASK_SORT_PROGRAM] = "program_id",
  [ENR_TASK_SORT_CREATED_BY] = "created_by",
};

static void
anchor_free (gpointer data)
{
  Anchor *anchor = data;

  sqlite3_value_free (anchor->first_key);
  sqlite3_value_free (anchor->last_key);
  g_free (anchor);
}

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->id);
  g_free (row->json);
  g_clear_object (&row->task);
}

GArray *
_enr_task_list_rows_new (guint reserved)
{
  GArray *rows = g_array_sized_new (FALSE, TRUE, sizeof (Row), reserved);

  g_array_set_clear_func (rows, row_clear);
  return rows;
}

/* Keeps the id and the JSON of a row. */
void
_enr_task_list_rows_add (GArray     *rows,
                         const char *id,
                         const char *json,
                         gsize       length)
{
  Row row = { 0, };

  row.id = g_strdup (id);
  row.length = length;
  row.json = g_strndup (json, length);
  g_array_append_val (rows, row);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_array_unref (page->rows);
  g_free (page);
}

const char *
_enr_task_list_sort_column (EnrTaskListModel *self)
{
  return sort_columns[self->sort];
}

void
_enr_task_list_clear_fetch_stmts (EnrTaskListModel *self)
{
  for (guint i = 0; i < 2; i++)
    for (guint j = 0; j < 2; j++)
      g_clear_pointer (&self->fetch_stmts[i][j], sqlite3_finalize);
}

/* Reads in one transaction: one snapshot, one lock for many statements. */
static gboolean
begin_read (EnrTaskListModel *self)
{
  EnrDb *db = _enr_store_get_database (self->store);

  return !enr_db_in_transaction (db) && enr_db_begin_read (db, NULL);
}

static void
end_read (EnrTaskListModel *self,
          gboolean          began)
{
  if (began)
    enr_db_commit (_enr_store_get_database (self->store), NULL);
}

static gboolean
on_free_pages_cb (gpointer data)
{
  EnrTaskListModel *self = data;

  self->free_source = 0;
  g_ptr_array_set_size (self->evicted, 0);
  return G_SOURCE_REMOVE;
}

static void
evict_pages (EnrTaskListModel *self)
{
  while (g_hash_table_size (self->pages) > ENR_TASK_LIST_MAX_PAGES)
    {
      GHashTableIter iter;
      gpointer key, value, oldest_key = NULL;
      guint64 oldest = G_MAXUINT64;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (((Page *) value)->used < oldest)
          {
            oldest = ((Page *) value)->used;
            oldest_key = key;
          }

      /* At most as many again wait, should the loop never be idle. */
      if (self->evicted->len >= ENR_TASK_LIST_MAX_PAGES)
        g_ptr_array_remove_index (self->evicted, 0);
      g_ptr_array_add (self->evicted, g_hash_table_lookup (self->pages, oldest_key));
      g_hash_table_steal (self->pages, oldest_key);
      if (self->free_source == 0)
        self->free_source = g_idle_add (on_free_pages_cb, self);
    }
}

static Page *
get_page (EnrTaskListModel *self,
          guint             page_index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = NULL;
  guint start = page_index * ENR_TASK_LIST_PAGE_SIZE;
  guint count = MIN (ENR_TASK_LIST_PAGE_SIZE, self->n_items - start);
  Page *page;
  gboolean began;

  if ((page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page_index))) != NULL)
    {
      page->used = ++self->tick;
      return page;
    }

  /* A large result's page is one statement, a snapshot of its own. The
   * store's read-ahead waits meanwhile (a frame waits for the page). */
  _enr_store_read_ahead_hold (self->store);
  if (self->seqs != NULL)
    {
      began = begin_read (self);
      rows = _enr_task_list_fetch_small (self, start, count, &error);
      end_read (self, began);
    }
  else
    rows = _enr_task_list_fetch_large (self, page_index, start, count, &error);
  _enr_store_read_ahead_release (self->store);

  if (rows == NULL)
    {
      g_warning ("Could not read service tasks: %s", error->message);
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      rows = _enr_task_list_rows_new (count);
    }

  /* The rows may have changed under a large result: keep positions valid
   * (the missing ones are empty tasks). */
  if (rows->len < count)
    g_array_set_size (rows, count);

  page = g_new0 (Page, 1);
  page->rows = g_steal_pointer (&rows);
  page->used = ++self->tick;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page_index), page);
  evict_pages (self);

  return page;
}

static void
rebuild (EnrTaskListModel *self)
{
  g_autoptr(GError) error = NULL;
  guint old_n_items = self->n_items;
  gboolean began, ok;

  /* Properties set at construction, or while frozen, read once after. */
  if (!self->constructed || self->frozen > 0)
    {
      self->dirty = TRUE;
      return;
    }
  self->dirty = FALSE;

  g_hash_table_remove_all (self->pages);
  g_hash_table_remove_all (self->anchors);
  _enr_task_list_clear_fetch_stmts (self);
  g_clear_pointer (&self->seqs, g_array_unref);
  g_clear_error (&self->error);
  self->n_items = 0;

  began = begin_read (self);
  ok = _enr_task_list_find_customers (self, &error);
  if (ok)
    {
      _enr_task_list_build_where (self);
      ok = _enr_task_list_count_rows (self, &self->n_items, &error) &&
           (self->n_items > self->small_result
              ? _enr_task_list_check_null_keys (self, &error)
              : _enr_task_list_load_seqs (self, &error));
    }
  if (!ok)
    {
      g_warning ("Could not read service tasks: %s", error->message);
      g_clear_pointer (&self->seqs, g_array_unref);
      self->n_items = 0;
      self->error = g_steal_pointer (&error);
    }
  end_read (self, began);

  if (old_n_items > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->n_items);
}

static void
on_store_changed_cb (EnrTaskListModel *self,
                     GType             type,
                     EnrStore         *store)
{
  if (type == ENR_TYPE_SERVICE_TASK)
    g_clear_pointer (&self->counted_where, g_free);

  if (type == ENR_TYPE_SERVICE_TASK ||
      (type == ENR_TYPE_CUSTOMER && self->customer_text != NULL))
    rebuild (self);
}

/* GListModel */

static GType
enr_task_list_model_get_item_type (GListModel *model)
{
  return ENR_TYPE_SERVICE_TASK;
}

static guint
enr_task_list_model_get_n_items (GListModel *model)
{
  return ENR_TASK_LIST_MODEL (model)->n_items;
}

static gpointer
enr_task_list_model_get_item (GListModel *model,
                              guint       position)
{
  EnrTaskListModel *self = ENR_TASK_LIST_MODEL (model);
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = get_page (self, position / ENR_TASK_LIST_PAGE_SIZE);
  return g_object_ref (_enr_task_list_row_get_task (&g_array_index (page->rows, Row, position % ENR_TASK_LIST_PAGE_SIZE)));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = enr_task_list_model_get_item_type;
  iface->get_n_items = enr_task_list_model_get_n_items;
  iface->get_item = enr_task_list_model_get_item;
}

/* GObject */

static void
enr_task_list_model_constructed (GObject *object)
{
  EnrTaskListModel *self = (EnrTaskListModel *)object;

  G_OBJECT_CLASS (enr_task_list_model_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "changed",
                           G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->constructed = TRUE;
  rebuild (self);
}

static void
enr_task_list_model_finalize (GObject *object)
{
  EnrTaskListModel *self = (EnrTaskListModel *)object;

  g_clear_handle_id (&self->free_source, g_source_remove);
  _enr_task_list_clear_fetch_stmts (self);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->evicted, g_ptr_array_unref);
  g_clear_pointer (&self->anchors, g_hash_table_unref);
  g_clear_pointer (&self->seqs, g_array_unref);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  g_clear_pointer (&self->where_plain, g_free);
  g_clear_pointer (&self->where_driven, g_free);
  g_clear_pointer (&self->counted_where, g_free);
  g_clear_pointer (&self->program_id, g_free);
  g_clear_pointer (&self->created_by, g_free);
  g_clear_pointer (&self->customer_text, g_free);
  if (self->customers_table != NULL && self->store != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TABLE IF EXISTS temp.%s", self->customers_table);

      sqlite3_exec (_enr_store_get_db (self->store), sql, NULL, NULL, NULL);
    }
  g_clear_pointer (&self->customers_table, g_free);
  g_clear_error (&self->error);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (enr_task_list_model_parent_class)->finalize (object);
}

static void
enr_task_list_model_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EnrTaskListModel *self = ENR_TASK_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_STATUS_MASK:
      g_value_set_uint (value, self->status_mask);
      break;

    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;

    case PROP_PROGRAM_ID:
      g_value_set_string (value, self->program_id);
      break;

    case PROP_CREATED_BY:
      g_value_set_string (value, self->created_by);
      break;

    case PROP_MIN_AGE_DAYS:
      g_value_set_uint (value, self->min_age_days);
      break;

    case PROP_MAX_AGE_DAYS:
      g_value_set_uint (value, self->max_age_days);
      break;

    case PROP_CUSTOMER_TEXT:
      g_value_set_string (value, self->customer_text);
      break;

    case PROP_SORT:
      g_value_set_enum (value, self->sort);
      break;

    case PROP_DESCENDING:
      g_value_set_boolean (value, self->descending);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_task_list_model_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EnrTaskListModel *self = ENR_TASK_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_STATUS_MASK:
      enr_task_list_model_set_status_mask (self, g_value_get_uint (value));
      break;

    case PROP_KIND:
      enr_task_list_model_set_kind (self, g_value_get_int (value));
      break;

    case PROP_PROGRAM_ID:
      enr_task_list_model_set_program_id (self, g_value_get_string (value));
      break;

    case PROP_CREATED_BY:
      enr_task_list_model_set_created_by (self, g_value_get_string (value));
      break;

    case PROP_MIN_AGE_DAYS:
      enr_task_list_model_set_min_age_days (self, g_value_get_uint (value));
      break;

    case PROP_MAX_AGE_DAYS:
      enr_task_list_model_set_max_age_days (self, g_value_get_uint (value));
      break;

    case PROP_CUSTOMER_TEXT:
      enr_task_list_model_set_customer_text (self, g_value_get_string (value));
      break;

    case PROP_SORT:
      enr_task_list_model_set_sort (self, g_value_get_enum (value));
      break;

    case PROP_DESCENDING:
      enr_task_list_model_set_descending (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_task_list_model_class_init (EnrTaskListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = enr_task_list_model_constructed;
  object_class->finalize = enr_task_list_model_finalize;
  object_class->get_property = enr_task_list_model_get_property;
  object_class->set_property = enr_task_list_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         ENR_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* A bit (1 << EnrTaskStatus) per status shown; 0 shows every status. */
  properties[PROP_STATUS_MASK] =
    g_param_spec_uint ("status-mask", NULL, NULL,
                       0, ALL_STATUSES, 0,
                       flags);

  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      ENR_TASK_LIST_ANY_KIND, ENR_TASK_KIND_UNENROLLMENT, ENR_TASK_LIST_ANY_KIND,
                      flags);

  properties[PROP_PROGRAM_ID] =
    g_param_spec_string ("program-id", NULL, NULL, NULL, flags);

  properties[PROP_CREATED_BY] =
    g_param_spec_string ("created-by", NULL, NULL, NULL, flags);

  /* Tasks created at least this many days ago; 0: no limit. */
  properties[PROP_MIN_AGE_DAYS] =
    g_param_spec_uint ("min-age-days", NULL, NULL, 0, 36500, 0, flags);

  /* Tasks created at most this many days ago; 0: no limit. */
  properties[PROP_MAX_AGE_DAYS] =
    g_param_spec_uint ("max-age-days", NULL, NULL, 0, 36500, 0, flags);

  /* Tasks of the customers this search text finds. */
  properties[PROP_CUSTOMER_TEXT] =
    g_param_spec_string ("customer-text", NULL, NULL, NULL, flags);

  /* Construct properties, so that a model made with its order reads once. */
  properties[PROP_SORT] =
    g_param_spec_enum ("sort", NULL, NULL,
                       ENR_TYPE_TASK_SORT, ENR_TASK_SORT_CREATED_AT,
                       flags | G_PARAM_CONSTRUCT);

  properties[PROP_DESCENDING] =
    g_param_spec_boolean ("descending", NULL, NULL, FALSE, flags | G_PARAM_CONSTRUCT);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_task_list_model_init (EnrTaskListModel *self)
{
  self->kind = ENR_TASK_LIST_ANY_KIND;
  self->small_result = SMALL_RESULT;
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  self->evicted = g_ptr_array_new_with_free_func (page_free);
  self->anchors = g_hash_table_new_full (NULL, NULL, NULL, anchor_free);
  self->params = g_ptr_array_new_with_free_func (g_free);
}

/* Public */

/**
 * enr_task_list_model_new:
 *
 * Returns: (transfer full): a model of every service task in @store,
 *   oldest first
 */
EnrTaskListModel *
enr_task_list_model_new (EnrStore *store)
{
  g_return_val_if_fail (ENR_IS_STORE (store), NULL);

  return g_object_new (ENR_TYPE_TASK_LIST_MODEL,
                       "store", store,
                       NULL);
}

/**
 * enr_task_list_model_get_store:
 *
 * Returns: (transfer none): the store
 */
EnrStore *
enr_task_list_model_get_store (EnrTaskListModel *self)
{
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), NULL);

  return self->store;
}

/**
 * enr_task_list_model_refresh:
 *
 * Reads the tasks again (the model also does so when the store's service
 * tasks change).
 */
void
enr_task_list_model_refresh (EnrTaskListModel *self)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));

  g_clear_pointer (&self->counted_where, g_free);
  rebuild (self);
}

/**
 * enr_task_list_model_get_position:
 * @task_id: a service task's id
 *
 * Where @task_id is in the list as it stands: a list keeps its selection
 * on a task, not on a row, across a filter, a sort or a sync.
 *
 * Returns: its position, or %G_MAXUINT when it is not listed (or the
 *   store failed)
 */
guint
enr_task_list_model_get_position (EnrTaskListModel *self,
                                  const char       *task_id)
{
  g_autoptr(GError) error = NULL;
  guint position = G_MAXUINT;
  gboolean began;

  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), G_MAXUINT);
  g_return_val_if_fail (task_id != NULL, G_MAXUINT);

  if (self->n_items == 0 || self->where_plain == NULL)
    return G_MAXUINT;

  began = begin_read (self);
  if (!_enr_task_list_find_position (self, task_id, &position, &error))
    g_warning ("Could not find a service task in the list: %s", error->message);
  end_read (self, began);

  return position;
}

/**
 * enr_task_list_model_freeze:
 *
 * Defers reading the tasks until enr_task_list_model_thaw(), so that
 * changing several filters (or the sort column and its direction) reads
 * them once. Calls nest.
 */
void
enr_task_list_model_freeze (EnrTaskListModel *self)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));

  self->frozen++;
}

/**
 * enr_task_list_model_thaw:
 *
 * Reads the tasks again if a change came while the model was frozen.
 */
void
enr_task_list_model_thaw (EnrTaskListModel *self)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));
  g_return_if_fail (self->frozen > 0);

  if (--self->frozen == 0 && self->dirty)
    rebuild (self);
}

/* For tests: the largest result read as a list of row ids. */
void
_enr_task_list_model_set_small_result (EnrTaskListModel *self,
                                       guint             small_result)
{
  self->small_result = small_result;
  rebuild (self);
}

/* For tests and benchmarks: how SQLite reads the current result, as
 * EXPLAIN QUERY PLAN says, its steps joined by " | ": the count, then
 * the ordered rows (the row ids of a small result, else the first page)
 * on a line of its own. */
char *
_enr_task_list_model_explain (EnrTaskListModel *self)
{
  g_autoptr(GString) plan = g_string_new (NULL);
  const char *direction = self->descending ? "DESC" : "ASC";
  const char *column = _enr_task_list_sort_column (self);
  g_autofree char *count = NULL;
  g_autofree char *rows = NULL;
  const char *queries[2];

  count = _enr_task_list_count_sql (self);
  if (self->seqs != NULL)
    rows = g_strdup_printf ("SELECT seq FROM service_tasks WHERE %s ORDER BY %s%s %s, seq %s",
                            self->where_plain, self->other_filters ? "+" : "", column,
                            direction, direction);
  else
    rows = g_strdup_printf ("SELECT seq, id, %s, json FROM service_tasks WHERE (%s)"
                            " ORDER BY %s %s, seq %s LIMIT %u",
                            column, self->where_driven, column, direction, direction,
                            ENR_TASK_LIST_PAGE_SIZE);
  queries[0] = count;
  queries[1] = rows;

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", queries[i], NULL);
      sqlite3_stmt *stmt = _enr_task_list_prepare (self, sql, NULL);
      gboolean first = TRUE;

      if (i > 0)
        g_string_append_c (plan, '\n');
      while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_string_append_printf (plan, "%s%s", first ? "" : " | ", sqlite3_column_text (stmt, 3));
          first = FALSE;
        }
      sqlite3_finalize (stmt);
    }

  return g_string_free (g_steal_pointer (&plan), FALSE);
}

/**
 * enr_task_list_model_get_error:
 *
 * Returns: (nullable): why the last read failed, or %NULL
 */
const GError *
enr_task_list_model_get_error (EnrTaskListModel *self)
{
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), NULL);

  return self->error;
}

guint
enr_task_list_model_get_status_mask (EnrTaskListModel *self)
{
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), 0);

  return self->status_mask;
}

void
enr_task_list_model_set_status_mask (EnrTaskListModel *self,
                                     guint             status_mask)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));
  g_return_if_fail ((status_mask & ~ALL_STATUSES) == 0);

  if (self->status_mask == status_mask)
    return;

  self->status_mask = status_mask;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_MASK]);
  rebuild (self);
}

int
enr_task_list_model_get_kind (EnrTaskListModel *self)
{
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), ENR_TASK_LIST_ANY_KIND);

  return self->kind;
}

void
enr_task_list_model_set_kind (EnrTaskListModel *self,
                              int               kind)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));
  g_return_if_fail (kind >= ENR_TASK_LIST_ANY_KIND && kind <= ENR_TASK_KIND_UNENROLLMENT);

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
  rebuild (self);
}

const char *
enr_task_list_model_get_program_id (EnrTaskListModel *self)
{
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), NULL);

  return self->program_id;
}

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
enr_task_list_model_set_program_id (EnrTaskListModel *self,
                                    const char       *program_id)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));

  if (!replace_string (&self->program_id, program_id))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRAM_ID]);
  rebuild (self);
}

const char *
enr_task_list_model_get_created_by (EnrTaskListModel *self)
{
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), NULL);

  return self->created_by;
}

void
enr_task_list_model_set_created_by (EnrTaskListModel *self,
                                    const char       *created_by)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));

  if (!replace_string (&self->created_by, created_by))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_BY]);
  rebuild (self);
}

guint
enr_task_list_model_get_min_age_days (EnrTaskListModel *self)
{
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), 0);

  return self->min_age_days;
}

void
enr_task_list_model_set_min_age_days (EnrTaskListModel *self,
                                      guint             days)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));

  if (self->min_age_days == days)
    return;

  self->min_age_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_AGE_DAYS]);
  rebuild (self);
}

guint
enr_task_list_model_get_max_age_days (EnrTaskListModel *self)
{
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), 0);

  return self->max_age_days;
}

void
enr_task_list_model_set_max_age_days (EnrTaskListModel *self,
                                      guint             days)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));

  if (self->max_age_days == days)
    return;

  self->max_age_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_AGE_DAYS]);
  rebuild (self);
}

const char *
enr_task_list_model_get_customer_text (EnrTaskListModel *self)
{
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), NULL);

  return self->customer_text;
}

void
enr_task_list_model_set_customer_text (EnrTaskListModel *self,
                                       const char       *text)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));

  if (!replace_string (&self->customer_text, text))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_TEXT]);
  rebuild (self);
}

EnrTaskSort
enr_task_list_model_get_sort (EnrTaskListModel *self)
{
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), ENR_TASK_SORT_CREATED_AT);

  return self->sort;
}

void
enr_task_list_model_set_sort (EnrTaskListModel *self,
                              EnrTaskSort       sort)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));
  g_return_if_fail (sort < G_N_ELEMENTS (sort_columns));

  if (self->sort == sort)
    return;

  self->sort = sort;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT]);
  rebuild (self);
}

gboolean
enr_task_list_model_get_descending (EnrTaskListModel *self)
{
  g_return_val_if_fail (ENR_IS_TASK_LIST_MODEL (self), FALSE);

  return self->descending;
}

void
enr_task_list_model_set_descending (EnrTaskListModel *self,
                                    gboolean          descending)
{
  g_return_if_fail (ENR_IS_TASK_LIST_MODEL (self));

  descending = !!descending;
  if (self->descending == descending)
    return;

  self->descending = descending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCENDING]);
  rebuild (self);
}

/* enr-task-list-model.c — every cached service task, read page by page
 *
 * Two ways to reach a page, chosen after COUNT(*) on each rebuild:
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
 * column, it walks the sort index. The unfiltered count is kept until
 * the store's service tasks change, so a new sort order does not count
 * a million rows again.
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

#include "enr-store-private.h"
#include "enr-task-list-model.h"

#define SMALL_RESULT  20000
#define SECONDS_A_DAY 86400
#define ALL_STATUSES  ((1u << (ENR_TASK_STATUS_CANCELED + 1)) - 1)

typedef struct
{
  sqlite3_value *first_key;
  gint64         first_seq;
  sqlite3_value *last_key;
  gint64         last_seq;
} Anchor;

/* A task as read: its JSON until someone asks for the task. */
typedef struct
{
  char           *id;
  char           *json;
  int             length;
  EnrServiceTask *task;
} Row;

typedef struct
{
  GArray  *rows;
  guint64  used;
} Page;

struct _EnrTaskListModel
{
  GObject      parent_instance;

  EnrStore    *store;

  guint        status_mask;
  int          kind;
  char        *program_id;
  char        *created_by;
  guint        min_age_days;
  guint        max_age_days;
  char        *customer_text;
  EnrTaskSort  sort;
  gboolean     descending;

  guint        small_result;
  guint        constructed : 1;
  guint        frozen;
  guint        dirty : 1;
  guint        other_filters : 1;
  guint        n_items;
  char        *counted_where;
  sqlite3_stmt *fetch_stmts[2][2];
  guint        counted;
  GArray      *seqs;
  GHashTable  *pages;
  GPtrArray   *evicted;
  guint        free_source;
  GHashTable  *anchors;
  guint64      tick;
  char        *where_plain;
  char        *where_driven;
  GPtrArray   *params;
  char        *customers_table;
  GError      *error;
};

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

static GArray *
rows_new (guint reserved)
{
  GArray *rows = g_array_sized_new (FALSE, TRUE, sizeof (Row), reserved);

  g_array_set_clear_func (rows, row_clear);
  return rows;
}

/* Keeps the id and the JSON of the row @stmt is on. */
static void
rows_add (GArray       *rows,
          sqlite3_stmt *stmt,
          int           id_column,
          int           json_column)
{
  Row row = { 0, };

  row.id = g_strdup ((const char *) sqlite3_column_text (stmt, id_column));
  row.length = sqlite3_column_bytes (stmt, json_column);
  row.json = g_strndup ((const char *) sqlite3_column_text (stmt, json_column), row.length);
  g_array_append_val (rows, row);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_array_unref (page->rows);
  g_free (page);
}

/* Queries */

static const char *
sort_column (EnrTaskListModel *self)
{
  return sort_columns[self->sort];
}

static void
add_condition (EnrTaskListModel *self,
               GString          *plain,
               GString          *driven,
               const char       *column,
               gboolean          indexable,
               const char       *rest)
{
  if (plain->len > 0)
    {
      g_string_append (plain, " AND ");
      g_string_append (driven, " AND ");
    }

  if (g_str_equal (column, sort_column (self)))
    indexable = TRUE;
  else
    self->other_filters = TRUE;

  g_string_append_printf (plain, "%s%s", column, rest);
  g_string_append_printf (driven, "%s%s%s", indexable ? "" : "+", column, rest);
}

/* Adds "<column><before>?N<after>" with @value bound to ?N. */
static void
add_text_condition (EnrTaskListModel *self,
                    GString          *plain,
                    GString          *driven,
                    const char       *column,
                    const char       *before,
                    const char       *value,
                    const char       *after)
{
  g_autofree char *rest = NULL;

  g_ptr_array_add (self->params, g_strdup (value));
  rest = g_strdup_printf ("%s?%u%s", before, self->params->len, after);
  add_condition (self, plain, driven, column, FALSE, rest);
}

/* Builds the WHERE clauses: "plain" lets SQLite use any index (counts and
 * small results); "driven" keeps it on the sort column's index. */
static void
build_where (EnrTaskListModel *self)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autoptr(GString) driven = g_string_new (NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint mask = self->status_mask & ALL_STATUSES;

  g_ptr_array_set_size (self->params, 0);
  self->other_filters = FALSE;

  if (mask != 0 && mask != ALL_STATUSES)
    {
      g_autoptr(GString) rest = g_string_new (NULL);
      gboolean single = (mask & (mask - 1)) == 0;

      if (single)
        g_string_append_printf (rest, " = %d", g_bit_nth_lsf (mask, -1));
      else
        {
          g_string_append (rest, " IN (");
          for (int bit = g_bit_nth_lsf (mask, -1); bit >= 0; bit = g_bit_nth_lsf (mask, bit))
            g_string_append_printf (rest, "%s%d", rest->len > 5 ? ", " : "", bit);
          g_string_append_c (rest, ')');
        }

      add_condition (self, plain, driven, "status", FALSE, rest->str);
    }

  if (self->kind >= 0)
    {
      g_autofree char *rest = g_strdup_printf (" = %d", self->kind);

      add_condition (self, plain, driven, "kind", FALSE, rest);
    }

  if (self->program_id != NULL && self->program_id[0] != '\0')
    add_text_condition (self, plain, driven, "program_id", " = ", self->program_id, "");

  if (self->created_by != NULL && self->created_by[0] != '\0')
    add_text_condition (self, plain, driven, "created_by", " = ", self->created_by, "");

  if (self->min_age_days > 0)
    {
      g_autofree char *rest = g_strdup_printf (" <= %" G_GINT64_FORMAT,
                                               now - (gint64) self->min_age_days * SECONDS_A_DAY);

      add_condition (self, plain, driven, "created_at", FALSE, rest);
    }

  if (self->max_age_days > 0)
    {
      g_autofree char *rest = g_strdup_printf (" >= %" G_GINT64_FORMAT,
                                               now - (gint64) self->max_age_days * SECONDS_A_DAY);

      add_condition (self, plain, driven, "created_at", FALSE, rest);
    }

  if (self->customers_table != NULL)
    {
      g_autofree char *rest = g_strdup_printf (" IN (SELECT id FROM temp.%s)", self->customers_table);

      add_condition (self, plain, driven, "customer_id", FALSE, rest);
    }

  if (plain->len == 0)
    {
      g_string_append (plain, "1");
      g_string_append (driven, "1");
    }

  g_free (self->where_plain);
  g_free (self->where_driven);
  self->where_plain = g_string_free (g_steal_pointer (&plain), FALSE);
  self->where_driven = g_string_free (g_steal_pointer (&driven), FALSE);
}

/* An uncached statement: the model's SQL holds literals that change with
 * every filter, and the store caches statements for its lifetime. */
static sqlite3_stmt *
prepare (EnrTaskListModel  *self,
         const char        *sql,
         GError           **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if ((rc = sqlite3_prepare_v2 (_enr_store_get_db (self->store), sql, -1, &stmt, NULL)) != SQLITE_OK)
    {
      _enr_store_set_error (self->store, rc, error);
      return NULL;
    }

  for (guint i = 0; i < self->params->len; i++)
    sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (self->params, i), -1, SQLITE_STATIC);

  return stmt;
}

/* The row's task, decoded the first time; a row that vanished between
 * two reads of a large result is an empty task. */
static EnrServiceTask *
row_get_task (Row *row)
{
  g_autoptr(GError) error = NULL;

  if (row->task != NULL)
    return row->task;

  if (row->json == NULL)
    return row->task = enr_service_task_new ();

  row->task = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK, row->json, row->length, &error);
  if (row->task == NULL)
    {
      g_warning ("Service task %s in the local store cannot be read: %s", row->id, error->message);
      row->task = enr_service_task_new ();
      enr_entity_set_id (ENR_ENTITY (row->task), row->id);
    }

  g_clear_pointer (&row->json, g_free);
  return row->task;
}

/* Fills the temporary table of the customers the text finds (or drops it
 * when there is no text). */
static gboolean
find_customers (EnrTaskListModel  *self,
                GError           **error)
{
  sqlite3 *db = _enr_store_get_db (self->store);
  g_autofree char *match = _enr_store_build_match (self->customer_text);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (match == NULL)
    {
      if (self->customers_table != NULL)
        {
          sql = g_strdup_printf ("DROP TABLE IF EXISTS temp.%s", self->customers_table);
          sqlite3_exec (db, sql, NULL, NULL, NULL);
          g_clear_pointer (&self->customers_table, g_free);
        }
      return TRUE;
    }

  if (self->customers_table == NULL)
    {
      static guint counter;

      self->customers_table = g_strdup_printf ("enr_task_list_customers_%u", ++counter);
      sql = g_strdup_printf ("CREATE TEMP TABLE %s (id TEXT PRIMARY KEY) WITHOUT ROWID",
                             self->customers_table);
      if ((rc = sqlite3_exec (db, sql, NULL, NULL, NULL)) != SQLITE_OK)
        {
          g_clear_pointer (&self->customers_table, g_free);
          _enr_store_set_error (self->store, rc, error);
          return FALSE;
        }
      g_clear_pointer (&sql, g_free);
    }

  sql = g_strdup_printf ("DELETE FROM temp.%s", self->customers_table);
  if ((rc = sqlite3_exec (db, sql, NULL, NULL, NULL)) != SQLITE_OK)
    {
      _enr_store_set_error (self->store, rc, error);
      return FALSE;
    }
  g_clear_pointer (&sql, g_free);

  sql = g_strdup_printf ("INSERT OR IGNORE INTO temp.%s (id)"
                         " SELECT c.id FROM customer_fts JOIN customers c ON c.seq = customer_fts.rowid"
                         " WHERE customer_fts MATCH ?1",
                         self->customers_table);
  if ((rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL)) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    {
      _enr_store_set_error (self->store, rc, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
count_rows (EnrTaskListModel  *self,
            guint             *n_items,
            GError           **error)
{
  g_autofree char *sql = NULL;
  gboolean keep = self->params->len == 0 && self->customers_table == NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* Without bound values the WHERE clause says it all. */
  if (keep && g_strcmp0 (self->counted_where, self->where_plain) == 0)
    {
      *n_items = self->counted;
      return TRUE;
    }

  g_clear_pointer (&self->counted_where, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM service_tasks WHERE %s", self->where_plain);
  if (!(stmt = prepare (self, sql, error)))
    return FALSE;

  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    *n_items = (guint) MIN (sqlite3_column_int64 (stmt, 0), G_MAXUINT);
  else
    _enr_store_set_error (self->store, rc, error);

  sqlite3_finalize (stmt);

  if (rc == SQLITE_ROW && keep)
    {
      self->counted_where = g_strdup (self->where_plain);
      self->counted = *n_items;
    }

  return rc == SQLITE_ROW;
}

static gboolean
load_seqs (EnrTaskListModel  *self,
           GError           **error)
{
  const char *direction = self->descending ? "DESC" : "ASC";
  g_autofree char *sql = g_strdup_printf ("SELECT seq FROM service_tasks WHERE %s"
                                          " ORDER BY %s%s %s, seq %s",
                                          self->where_plain,
                                          self->other_filters ? "+" : "", sort_column (self),
                                          direction, direction);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = prepare (self, sql, error)))
    return FALSE;

  self->seqs = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->n_items);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (self->seqs, seq);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _enr_store_set_error (self->store, rc, error);
      return FALSE;
    }

  /* Rows may have come or gone between the two statements. */
  self->n_items = self->seqs->len;
  return TRUE;
}

static GArray *
fetch_small (EnrTaskListModel  *self,
             guint              start,
             guint              count,
             GError           **error)
{
  g_autoptr(GArray) rows = rows_new (count);
  sqlite3_stmt *stmt;

  if (!(stmt = _enr_store_prepare (self->store,
                                   "SELECT id, json FROM service_tasks WHERE seq = ?1",
                                   error)))
    return NULL;

  for (guint i = start; i < start + count; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, g_array_index (self->seqs, gint64, i));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        rows_add (rows, stmt, 0, 1);
      else if (rc == SQLITE_DONE)
        g_array_set_size (rows, rows->len + 1);
      else
        {
          _enr_store_set_error (self->store, rc, error);
          sqlite3_reset (stmt);
          return NULL;
        }
      sqlite3_reset (stmt);
    }

  return g_steal_pointer (&rows);
}

static GArray *
fetch_large (EnrTaskListModel  *self,
             guint              page_index,
             guint              start,
             guint              count,
             GError           **error)
{
  g_autoptr(GArray) rows = rows_new (count);
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *column = sort_column (self);
  const Anchor *anchor = NULL;
  gboolean from_first = FALSE;
  gboolean reverse = FALSE;
  gboolean ascending;
  guint skip = start;
  GHashTableIter iter;
  gpointer key, value;
  sqlite3_value *first_key = NULL, *last_key = NULL;
  gint64 first_seq = 0, last_seq = 0;
  guint limit_param;
  sqlite3_stmt *stmt;
  int rc;

  /* Pick the start that skips the fewest rows. */
  if (self->n_items - (start + count) < skip)
    {
      skip = self->n_items - (start + count);
      reverse = TRUE;
    }

  g_hash_table_iter_init (&iter, self->anchors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint other = GPOINTER_TO_UINT (key);

      if (other < page_index && start - (other + 1) * ENR_TASK_LIST_PAGE_SIZE < skip)
        {
          skip = start - (other + 1) * ENR_TASK_LIST_PAGE_SIZE;
          anchor = value;
          from_first = FALSE;
          reverse = FALSE;
        }
      else if (other > page_index && other * ENR_TASK_LIST_PAGE_SIZE - (start + count) < skip)
        {
          skip = other * ENR_TASK_LIST_PAGE_SIZE - (start + count);
          anchor = value;
          from_first = TRUE;
          reverse = TRUE;
        }
    }

  ascending = self->descending == reverse;
  limit_param = self->params->len + (anchor != NULL ? 3 : 1);

  /* Four shapes per result (from an anchor or not, either way), each
   * prepared once: scrolling reads a page a frame. */
  stmt = self->fetch_stmts[anchor != NULL][ascending];
  if (stmt == NULL)
    {
      g_string_append_printf (sql, "SELECT seq, id, %s, json FROM service_tasks WHERE (%s)",
                              column, self->where_driven);
      if (anchor != NULL)
        g_string_append_printf (sql, " AND (%s, seq) %s (?%u, ?%u)",
                                column, ascending ? ">" : "<",
                                self->params->len + 1, self->params->len + 2);
      g_string_append_printf (sql, " ORDER BY %s %s, seq %s LIMIT ?%u OFFSET ?%u",
                              column, ascending ? "ASC" : "DESC", ascending ? "ASC" : "DESC",
                              limit_param, limit_param + 1);

      if (!(stmt = prepare (self, sql->str, error)))
        return NULL;
      self->fetch_stmts[anchor != NULL][ascending] = stmt;
    }

  if (anchor != NULL)
    {
      sqlite3_bind_value (stmt, self->params->len + 1,
                          from_first ? anchor->first_key : anchor->last_key);
      sqlite3_bind_int64 (stmt, self->params->len + 2,
                          from_first ? anchor->first_seq : anchor->last_seq);
    }
  sqlite3_bind_int (stmt, limit_param, count);
  sqlite3_bind_int (stmt, limit_param + 1, skip);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);

      if (first_key == NULL)
        {
          first_key = sqlite3_value_dup (sqlite3_column_value (stmt, 2));
          first_seq = seq;
        }
      sqlite3_value_free (last_key);
      last_key = sqlite3_value_dup (sqlite3_column_value (stmt, 2));
      last_seq = seq;

      rows_add (rows, stmt, 1, 3);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      sqlite3_value_free (first_key);
      sqlite3_value_free (last_key);
      _enr_store_set_error (self->store, rc, error);
      return NULL;
    }

  if (first_key != NULL)
    {
      Anchor *found = g_new0 (Anchor, 1);

      if (reverse)
        {
          for (guint i = 0; i < rows->len / 2; i++)
            {
              Row swap = g_array_index (rows, Row, i);

              g_array_index (rows, Row, i) = g_array_index (rows, Row, rows->len - 1 - i);
              g_array_index (rows, Row, rows->len - 1 - i) = swap;
            }
          found->first_key = last_key;
          found->first_seq = last_seq;
          found->last_key = first_key;
          found->last_seq = first_seq;
        }
      else
        {
          found->first_key = first_key;
          found->first_seq = first_seq;
          found->last_key = last_key;
          found->last_seq = last_seq;
        }
      g_hash_table_replace (self->anchors, GUINT_TO_POINTER (page_index), found);
    }

  return g_steal_pointer (&rows);
}

static void
clear_fetch_stmts (EnrTaskListModel *self)
{
  for (guint i = 0; i < 2; i++)
    for (guint j = 0; j < 2; j++)
      g_clear_pointer (&self->fetch_stmts[i][j], sqlite3_finalize);
}

/* Reads in one transaction: one snapshot, one lock for many statements. */
static gboolean
begin_read (EnrTaskListModel *self)
{
  sqlite3 *db = _enr_store_get_db (self->store);

  return sqlite3_get_autocommit (db) &&
         sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

static void
end_read (EnrTaskListModel *self,
          gboolean          began)
{
  if (began)
    sqlite3_exec (_enr_store_get_db (self->store), "COMMIT", NULL, NULL, NULL);
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

  /* A large result's page is one statement, a snapshot of its own. */
  if (self->seqs != NULL)
    {
      began = begin_read (self);
      rows = fetch_small (self, start, count, &error);
      end_read (self, began);
    }
  else
    rows = fetch_large (self, page_index, start, count, &error);

  if (rows == NULL)
    {
      g_warning ("Could not read service tasks: %s", error->message);
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      rows = rows_new (count);
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
  clear_fetch_stmts (self);
  g_clear_pointer (&self->seqs, g_array_unref);
  g_clear_error (&self->error);
  self->n_items = 0;

  began = begin_read (self);
  ok = find_customers (self, &error);
  if (ok)
    {
      build_where (self);
      ok = count_rows (self, &self->n_items, &error) &&
           (self->n_items > self->small_result || load_seqs (self, &error));
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
  return g_object_ref (row_get_task (&g_array_index (page->rows, Row, position % ENR_TASK_LIST_PAGE_SIZE)));
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
  clear_fetch_stmts (self);
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
  const char *column = sort_column (self);
  g_autofree char *count = NULL;
  g_autofree char *rows = NULL;
  const char *queries[2];

  count = g_strdup_printf ("SELECT count(*) FROM service_tasks WHERE %s", self->where_plain);
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
      sqlite3_stmt *stmt = prepare (self, sql, NULL);
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

/* enr-task-list-model-query.c — the task list's SQL: the filter, the count, the pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-task-list-model-private.h"

/* Queries */

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

  if (g_str_equal (column, _enr_task_list_sort_column (self)))
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
void
_enr_task_list_build_where (EnrTaskListModel *self)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autoptr(GString) driven = g_string_new (NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint mask = self->status_mask & ALL_STATUSES;

  g_ptr_array_set_size (self->params, 0);
  self->other_filters = FALSE;
  self->counted_by_group = TRUE;

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

  /* The other filters are not groups of service_task_counts. */
  if ((self->created_by != NULL && self->created_by[0] != '\0') ||
      self->min_age_days > 0 || self->max_age_days > 0 || self->customers_table != NULL)
    self->counted_by_group = FALSE;

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
sqlite3_stmt *
_enr_task_list_prepare (EnrTaskListModel  *self,
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
EnrServiceTask *
_enr_task_list_row_get_task (Row *row)
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
gboolean
_enr_task_list_find_customers (EnrTaskListModel  *self,
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

/* A task may have no program or creator: its sort key is NULL, which
 * sorts first, and which a row-value comparison never matches. A large
 * result with such rows reads its pages from an anchor with conditions
 * that take them in (they cannot use the index's range: slower, and
 * correct); one without, as usual. */
gboolean
_enr_task_list_check_null_keys (EnrTaskListModel  *self,
                                GError           **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM service_tasks"
                                          " WHERE %s IS NULL AND (%s))",
                                          _enr_task_list_sort_column (self), self->where_plain);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _enr_task_list_prepare (self, sql, error)))
    return FALSE;

  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    self->null_keys = sqlite3_column_int (stmt, 0) != 0;
  else
    _enr_store_set_error (self->store, rc, error);
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW;
}

/* The rows after (?@key_param, ?@seq_param) in the order @ascending;
 * @key_is_null: whether the anchor's key is NULL. */
static char *
after_anchor (EnrTaskListModel *self,
              gboolean          ascending,
              gboolean          key_is_null,
              guint             key_param,
              guint             seq_param)
{
  const char *column = _enr_task_list_sort_column (self);

  if (!self->null_keys)
    return g_strdup_printf ("(%s, seq) %s (?%u, ?%u)", column, ascending ? ">" : "<",
                            key_param, seq_param);

  if (ascending && key_is_null)
    return g_strdup_printf ("((%s IS NULL AND seq > ?%u) OR %s IS NOT NULL)",
                            column, seq_param, column);
  if (ascending)
    return g_strdup_printf ("(%s, seq) > (?%u, ?%u)", column, key_param, seq_param);
  if (key_is_null)
    return g_strdup_printf ("(%s IS NULL AND seq < ?%u)", column, seq_param);

  return g_strdup_printf ("((%s, seq) < (?%u, ?%u) OR %s IS NULL)",
                          column, key_param, seq_param, column);
}

/* The statement that counts the result. A filter by status, kind and
 * program only (or none) adds up the groups the store keeps in
 * service_task_counts, whose columns have the same names: a few rows
 * however many tasks there are. Any other filter counts the tasks, off
 * the index that narrows them most. */
char *
_enr_task_list_count_sql (EnrTaskListModel *self)
{
  if (self->counted_by_group)
    return g_strdup_printf ("SELECT coalesce (sum (n), 0) FROM service_task_counts WHERE %s",
                            self->where_plain);

  return g_strdup_printf ("SELECT count(*) FROM service_tasks WHERE %s", self->where_plain);
}

gboolean
_enr_task_list_count_rows (EnrTaskListModel  *self,
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
  sql = _enr_task_list_count_sql (self);
  if (!(stmt = _enr_task_list_prepare (self, sql, error)))
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

gboolean
_enr_task_list_load_seqs (EnrTaskListModel  *self,
                          GError           **error)
{
  const char *direction = self->descending ? "DESC" : "ASC";
  g_autofree char *sql = g_strdup_printf ("SELECT seq FROM service_tasks WHERE %s"
                                          " ORDER BY %s%s %s, seq %s",
                                          self->where_plain,
                                          self->other_filters ? "+" : "", _enr_task_list_sort_column (self),
                                          direction, direction);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _enr_task_list_prepare (self, sql, error)))
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

GArray *
_enr_task_list_fetch_small (EnrTaskListModel  *self,
                            guint              start,
                            guint              count,
                            GError           **error)
{
  g_autoptr(GArray) rows = _enr_task_list_rows_new (count);
  EnrDbStmt *stmt;

  if (!(stmt = _enr_store_prepare (self->store,
                                   "SELECT id, json FROM service_tasks WHERE seq = $1",
                                   error)))
    return NULL;

  for (guint i = start; i < start + count; i++)
    {
      EnrDbStep step;

      enr_db_stmt_bind_int64 (stmt, 1, g_array_index (self->seqs, gint64, i));
      step = _enr_store_step (self->store, stmt, error);
      if (step == ENR_DB_STEP_ROW)
        _enr_task_list_rows_add (rows, enr_db_stmt_column_text (stmt, 0),
                                 enr_db_stmt_column_text (stmt, 1),
                                 enr_db_stmt_column_length (stmt, 1));
      else if (step == ENR_DB_STEP_DONE)
        g_array_set_size (rows, rows->len + 1);
      enr_db_stmt_reset (stmt);
      if (step == ENR_DB_STEP_ERROR)
        return NULL;
    }

  return g_steal_pointer (&rows);
}

GArray *
_enr_task_list_fetch_large (EnrTaskListModel  *self,
                            guint              page_index,
                            guint              start,
                            guint              count,
                            GError           **error)
{
  g_autoptr(GArray) rows = _enr_task_list_rows_new (count);
  g_autoptr(GString) sql = g_string_new (NULL);
  const char *column = _enr_task_list_sort_column (self);
  const Anchor *anchor = NULL;
  gboolean from_first = FALSE;
  gboolean reverse = FALSE;
  gboolean ascending;
  gboolean once;
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
   * prepared once: scrolling reads a page a frame. From an anchor in a
   * result with NULL keys the shape depends on the anchor's key: it is
   * prepared for this page only. */
  once = anchor != NULL && self->null_keys;
  stmt = once ? NULL : self->fetch_stmts[anchor != NULL][ascending];
  if (stmt == NULL)
    {
      g_string_append_printf (sql, "SELECT seq, id, %s, json FROM service_tasks WHERE (%s)",
                              column, self->where_driven);
      if (anchor != NULL)
        {
          sqlite3_value *anchor_key = from_first ? anchor->first_key : anchor->last_key;
          g_autofree char *after = after_anchor (self, ascending,
                                                 sqlite3_value_type (anchor_key) == SQLITE_NULL,
                                                 self->params->len + 1, self->params->len + 2);

          g_string_append_printf (sql, " AND %s", after);
        }
      g_string_append_printf (sql, " ORDER BY %s %s, seq %s LIMIT ?%u OFFSET ?%u",
                              column, ascending ? "ASC" : "DESC", ascending ? "ASC" : "DESC",
                              limit_param, limit_param + 1);

      if (!(stmt = _enr_task_list_prepare (self, sql->str, error)))
        return NULL;
      if (!once)
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

      _enr_task_list_rows_add (rows, (const char *) sqlite3_column_text (stmt, 1),
                               (const char *) sqlite3_column_text (stmt, 3),
                               sqlite3_column_bytes (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (once)
    sqlite3_finalize (stmt);

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

/* The position of @task_id in the current result, or G_MAXUINT when it
 * is not in it: a small result looks its seq up among the row ids; a
 * large one counts the rows before it along the sort column's index. */
gboolean
_enr_task_list_find_position (EnrTaskListModel  *self,
                              const char        *task_id,
                              guint             *position,
                              GError           **error)
{
  const char *column = _enr_task_list_sort_column (self);
  guint id_param = self->params->len + 1;
  g_autofree char *find_sql = NULL;
  g_autofree char *count_sql = NULL;
  g_autofree char *before = NULL;
  sqlite3_value *key = NULL;
  sqlite3_stmt *stmt;
  gint64 seq = 0;
  gboolean found = FALSE;
  int rc;

  *position = G_MAXUINT;

  find_sql = g_strdup_printf ("SELECT seq, %s FROM service_tasks WHERE id = ?%u AND (%s)",
                              column, id_param, self->where_plain);
  if (!(stmt = _enr_task_list_prepare (self, find_sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, id_param, task_id, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      found = TRUE;
      seq = sqlite3_column_int64 (stmt, 0);
      key = sqlite3_value_dup (sqlite3_column_value (stmt, 1));
    }
  else if (rc != SQLITE_DONE)
    _enr_store_set_error (self->store, rc, error);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return FALSE;
  if (!found)
    return TRUE;

  if (self->seqs != NULL)
    {
      for (guint i = 0; i < self->seqs->len; i++)
        if (g_array_index (self->seqs, gint64, i) == seq)
          {
            *position = i;
            break;
          }

      sqlite3_value_free (key);
      return TRUE;
    }

  /* The rows before it: after it in the other order. */
  before = after_anchor (self, self->descending, sqlite3_value_type (key) == SQLITE_NULL,
                         id_param, id_param + 1);
  count_sql = g_strdup_printf ("SELECT count(*) FROM service_tasks WHERE (%s) AND %s",
                               self->where_driven, before);
  if (!(stmt = _enr_task_list_prepare (self, count_sql, error)))
    {
      sqlite3_value_free (key);
      return FALSE;
    }

  sqlite3_bind_value (stmt, id_param, key);
  sqlite3_bind_int64 (stmt, id_param + 1, seq);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 n_before = sqlite3_column_int64 (stmt, 0);

      if (n_before < (gint64) self->n_items)
        *position = (guint) n_before;
    }
  else
    _enr_store_set_error (self->store, rc, error);
  sqlite3_finalize (stmt);
  sqlite3_value_free (key);

  return rc == SQLITE_ROW;
}

/* enr-service-store-queries.c — customer search, task lists, the customer export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-db-sqlite.h"
#include "enr-service-store-private.h"

/* Queries */

/* PostgreSQL's search words: runs of letters and digits, case-folded and
 * without diacritics, as SQLite's unicode61 tokenizer ("remove_diacritics
 * 2") makes them; the same function cuts the indexed text and the query,
 * whatever the server's text search configuration. Each word goes into
 * @words once (@seen). */
static void
add_words (const char *text,
           GPtrArray  *words,
           GHashTable *seen)
{
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) word = g_string_new (NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return;

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  for (const char *p = decomposed; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_ENCLOSING_MARK ||
          type == G_UNICODE_SPACING_MARK)
        continue;

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }

      if (word->len > 0 && word->len < 256)
        {
          char *folded = g_utf8_casefold (word->str, word->len);

          if (seen == NULL || !g_hash_table_contains (seen, folded))
            {
              if (seen != NULL)
                g_hash_table_add (seen, g_strdup (folded));
              g_ptr_array_add (words, folded);
            }
          else
            g_free (folded);
        }
      g_string_truncate (word, 0);

      if (c == 0)
        break;
    }
}

/* @position as the next element of the list @out opens (a JSON array
 * "[" or a PostgreSQL array literal "{"): a comma after the first. Written
 * by hand: printf cost a search 1–2 µs, a few rows each. */
static void
append_position (GString *out,
                 gint64   position)
{
  char digits[24];
  gsize start = sizeof digits;
  guint64 value = position < 0 ? -(guint64) position : (guint64) position;

  if (out->len > 1)
    g_string_append_c (out, ',');
  do
    {
      digits[--start] = '0' + value % 10;
      value /= 10;
    }
  while (value > 0);
  if (position < 0)
    digits[--start] = '-';
  g_string_append_len (out, digits + start, sizeof digits - start);
}

/* @words as the elements of a PostgreSQL text array literal: one
 * element, the words separated by spaces. */
static void
append_array_element (GString   *out,
                      GPtrArray *words)
{
  if (out->len > 1)
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  for (guint i = 0; i < words->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, g_ptr_array_index (words, i));
    }
  g_string_append_c (out, '"');
}

static gboolean
insert_search_rows (EnrServiceStore  *self,
                    GString          *positions,
                    GString          *names,
                    GString          *terms,
                    GError          **error)
{
  EnrDbStmt *stmt;

  g_string_append_c (positions, '}');
  g_string_append_c (names, '}');
  g_string_append_c (terms, '}');

  if (!(stmt = _enr_service_store_prepare (self,
                                           "INSERT INTO customer_search (pos, names, terms)"
                                           " SELECT p, array_to_tsvector (array_remove (string_to_array (n, ' '), '')),"
                                           "  array_to_tsvector (array_remove (string_to_array (t, ' '), ''))"
                                           " FROM unnest ($1::bigint[], $2::text[], $3::text[]) AS u (p, n, t)",
                                           error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, positions->str);
  enr_db_stmt_bind_text (stmt, 2, names->str);
  enr_db_stmt_bind_text (stmt, 3, terms->str);

  g_string_assign (positions, "{");
  g_string_assign (names, "{");
  g_string_assign (terms, "{");

  return enr_db_stmt_run (stmt, error);
}

/* PostgreSQL: numbers the customers by name and makes their search rows,
 * a thousand per statement. */
static gboolean
rebuild_search_postgresql (EnrServiceStore  *self,
                           GError          **error)
{
  g_autoptr(GString) positions = g_string_new ("{");
  g_autoptr(GString) names = g_string_new ("{");
  g_autoptr(GString) terms = g_string_new ("{");
  EnrDbStmt *stmt;
  EnrDbStep step;
  guint rows = 0;

  if (!enr_service_store_exec (self,
                               "DELETE FROM customer_search;"
                               "DELETE FROM customer_order;"
                               "INSERT INTO customer_order (pos, customer_id, json)"
                               " SELECT row_number () OVER (ORDER BY name, id), id, json FROM customers;",
                               error))
    return FALSE;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT o.pos, c.name, c.account_id, c.json::jsonb ->> 'phone',"
                                           " c.json::jsonb ->> 'email', c.json::jsonb ->> 'mailing_address',"
                                           " (SELECT string_agg (sp.json::jsonb ->> 'address', ' ')"
                                           "  FROM metered_services ms JOIN service_points sp"
                                           "  ON sp.id = ms.service_point_id WHERE ms.customer_id = c.id)"
                                           " FROM customer_order o JOIN customers c ON c.id = o.customer_id"
                                           " ORDER BY o.pos",
                                           error)))
    return FALSE;

  /* The whole result is in memory: the inserts may run meanwhile. */
  step = enr_db_stmt_step (stmt, error);
  for (; step == ENR_DB_STEP_ROW; step = enr_db_stmt_step (stmt, error))
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GPtrArray) name_words = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) term_words = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *digits = NULL;
      const char *phone = enr_db_stmt_column_text (stmt, 3);

      add_words (enr_db_stmt_column_text (stmt, 1), name_words, NULL);
      for (int column = 1; column <= 6; column++)
        add_words (enr_db_stmt_column_text (stmt, column), term_words, seen);
      if (phone != NULL)
        {
          GString *only = g_string_new (NULL);

          for (const char *p = phone; *p; p++)
            if (g_ascii_isdigit (*p))
              g_string_append_c (only, *p);
          digits = g_string_free (only, FALSE);
          add_words (digits, term_words, seen);
        }

      append_position (positions, enr_db_stmt_column_int64 (stmt, 0));
      append_array_element (names, name_words);
      append_array_element (terms, term_words);

      if (++rows % 1000 == 0 && !insert_search_rows (self, positions, names, terms, error))
        break;
    }
  enr_db_stmt_reset (stmt);
  if (step != ENR_DB_STEP_DONE)
    return FALSE;

  if (rows % 1000 != 0 && !insert_search_rows (self, positions, names, terms, error))
    return FALSE;

  return enr_service_store_exec (self, "ANALYZE customer_order; ANALYZE customer_search", error);
}

/* SQLite: the words of each customer's name, as customer_search holds
 * them (temp.enr_name_words), and every word of it
 * (temp.enr_search_words), for the tables made from them; and of those,
 * customer_name_prefixes: every prefix of every name word, in characters
 * (a query's word is whole characters), for search_names(). Both temp
 * tables go at the end. */
#define NAME_WORDS_SQL \
  "CREATE VIRTUAL TABLE temp.enr_search_words USING fts5vocab (main, customer_search, instance);" \
  "CREATE TABLE temp.enr_name_words (pos INTEGER NOT NULL, word TEXT NOT NULL," \
  " PRIMARY KEY (pos, word)) WITHOUT ROWID;" \
  "INSERT OR IGNORE INTO temp.enr_name_words (pos, word)" \
  " SELECT doc, term FROM temp.enr_search_words WHERE col = 'name';"
#define NAME_PREFIXES_SQL \
  "DELETE FROM customer_name_prefixes;" \
  "INSERT OR IGNORE INTO customer_name_prefixes (prefix, pos)" \
  " WITH RECURSIVE n (k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n" \
  "  WHERE k < (SELECT max (length (word)) FROM temp.enr_name_words))" \
  " SELECT substr (w.word, 1, n.k), w.pos FROM temp.enr_name_words w" \
  " JOIN n ON n.k <= length (w.word) ORDER BY 1, 2;" \
  "DROP TABLE temp.enr_name_words;" \
  "DROP TABLE temp.enr_search_words;"

gboolean
enr_service_store_rebuild_search (EnrServiceStore  *self,
                                  GError          **error)
{
  if (enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL)
    return rebuild_search_postgresql (self, error);

  return enr_service_store_exec (self,
                                 "DELETE FROM customer_search;"
                                 "DELETE FROM customer_names;"
                                 "DELETE FROM customer_order;"
                                 "INSERT INTO customer_order (pos, customer_id, json)"
                                 " SELECT row_number () OVER (ORDER BY name, id), id, json FROM customers;"
                                 "INSERT INTO customer_search (rowid, name, account_id, phone,"
                                 "  phone_digits, email, address)"
                                 " SELECT o.pos, c.name, c.account_id,"
                                 "  json_extract (c.json, '$.phone'),"
                                 "  enr_digits (json_extract (c.json, '$.phone')),"
                                 "  json_extract (c.json, '$.email'),"
                                 "  coalesce (json_extract (c.json, '$.mailing_address'), '') || ' ' ||"
                                 "  coalesce ((SELECT group_concat (json_extract (sp.json, '$.address'), ' ')"
                                 "    FROM metered_services ms JOIN service_points sp"
                                 "    ON sp.id = ms.service_point_id WHERE ms.customer_id = c.id), '')"
                                 " FROM customer_order o JOIN customers c ON c.id = o.customer_id"
                                 " ORDER BY o.pos;"
                                 "INSERT INTO customer_names (rowid, name)"
                                 " SELECT o.pos, c.name FROM customer_order o"
                                 " JOIN customers c ON c.id = o.customer_id ORDER BY o.pos;"
                                 "INSERT INTO customer_search (customer_search) VALUES ('optimize');"
                                 "INSERT INTO customer_names (customer_names) VALUES ('optimize');"
                                 /* The word lists of search_two_words(), from
                                  * the words as customer_search holds them (in
                                  * word order: appended to the b-trees). */
                                 "DELETE FROM customer_name_pairs;"
                                 "DELETE FROM customer_other_words;"
                                 NAME_WORDS_SQL
                                 "INSERT INTO customer_name_pairs (first, second, pos)"
                                 " SELECT a.word, b.word, a.pos FROM temp.enr_name_words a"
                                 " JOIN temp.enr_name_words b ON b.pos = a.pos ORDER BY 1, 2, 3;"
                                 "INSERT OR IGNORE INTO customer_other_words (word, pos)"
                                 " SELECT w.term, w.doc FROM temp.enr_search_words w WHERE w.col <> 'name'"
                                 " AND NOT EXISTS (SELECT 1 FROM temp.enr_name_words n"
                                 "  WHERE n.pos = w.doc AND n.word = w.term);"
                                 NAME_PREFIXES_SQL,
                                 error);
}

/* SQLite: customer_name_prefixes made again from customer_search
 * (migration 13; enr_service_store_rebuild_search() makes it with the
 * rest). */
gboolean
_enr_service_store_fill_name_prefixes (EnrServiceStore  *self,
                                       GError          **error)
{
  return enr_service_store_exec (self, NAME_WORDS_SQL NAME_PREFIXES_SQL, error);
}

void
enr_service_task_filter_init (EnrServiceTaskFilter *filter)
{
  memset (filter, 0, sizeof *filter);
  filter->created_from = G_MININT64;
  filter->created_to = G_MAXINT64;
  filter->limit = 100;
}

static GPtrArray *
collect_rows (EnrDbStmt  *stmt,
              GError    **error)
{
  return enr_db_stmt_collect_text (stmt, 0, error);
}

/* Where a search's rows go: into @rows (a copy each), or into @out as
 * the elements of a JSON array, separated by commas: the JSON is copied
 * once, from the statement into the reply. @cut is @out's length before
 * the row of index @cut_at (the one past a page). */
typedef struct
{
  GPtrArray *rows;
  GString   *out;
  guint      count;
  guint      cut_at;
  gsize      cut;
} SearchRows;

static void
search_rows_add (SearchRows *rows,
                 const char *json,
                 gsize       length)
{
  if (rows->out == NULL)
    g_ptr_array_add (rows->rows, g_strndup (json, length));
  else
    {
      if (rows->count == rows->cut_at)
        rows->cut = rows->out->len;
      if (rows->count > 0)
        g_string_append_c (rows->out, ',');
      g_string_append_len (rows->out, json, length);
    }
  rows->count++;
}

/* Column @column of each row of @stmt into @rows. */
static gboolean
add_rows (EnrDbStmt   *stmt,
          int          column,
          SearchRows  *rows,
          GError     **error)
{
  EnrDbStep step;

  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    search_rows_add (rows, enr_db_stmt_column_text (stmt, column), enr_db_stmt_column_length (stmt, column));
  enr_db_stmt_reset (stmt);

  return step == ENR_DB_STEP_DONE;
}

/* Every word of @query becomes a quoted prefix term, so user input never
 * reaches FTS5's query syntax; @words gets the words. */
static char *
fts_query (const char *query,
           GPtrArray  *words)
{
  GString *out = g_string_new (NULL);
  GString *word = g_string_new (NULL);

  for (const char *p = query; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }

      if (word->len > 0)
        {
          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_printf (out, "\"%s\"*", word->str);
          g_ptr_array_add (words, g_strndup (word->str, word->len));
          g_string_truncate (word, 0);
        }

      if (c == 0)
        break;
    }

  g_string_free (word, TRUE);
  return g_string_free (out, FALSE);
}

/* SQLite, a query of one word: the customers whose name has a word
 * that starts with it, in name order: their JSON into @rows and their
 * positions into @positions. With @token (the word as the tables hold
 * it) they are one range of customer_name_prefixes, in position order;
 * without (a word the tokenizer cuts otherwise), the FTS5 query @match
 * on customer_names gives the same. */
static gboolean
search_names (EnrServiceStore  *self,
              const char       *token,
              const char       *match,
              guint             offset,
              guint             limit,
              SearchRows       *rows,
              GString          *positions,
              GError          **error)
{
  EnrDbStmt *stmt;
  EnrDbStep step;

  if (!(stmt = _enr_service_store_prepare_static (self,
                                                  token != NULL
                                                  ? "SELECT o.pos, o.json FROM customer_name_prefixes p"
                                                    " JOIN customer_order o ON o.pos = p.pos"
                                                    " WHERE p.prefix = $1"
                                                    " ORDER BY p.pos LIMIT $2 OFFSET $3"
                                                  : "SELECT o.pos, o.json FROM customer_names n"
                                                    " JOIN customer_order o ON o.pos = n.rowid"
                                                    " WHERE customer_names MATCH $1"
                                                    " ORDER BY n.rowid LIMIT $2 OFFSET $3",
                                                  error)))
    return FALSE;

  enr_db_stmt_bind_text_static (stmt, 1, token != NULL ? token : match);
  enr_db_stmt_bind_int64 (stmt, 2, limit);
  enr_db_stmt_bind_int64 (stmt, 3, offset);

  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    {
      append_position (positions, enr_db_stmt_column_int64 (stmt, 0));
      search_rows_add (rows, enr_db_stmt_column_text (stmt, 1), enr_db_stmt_column_length (stmt, 1));
    }
  enr_db_stmt_reset (stmt);

  return step == ENR_DB_STEP_DONE;
}

/* Every name match's position into @positions (as search_names()); how
 * many there are. */
static gint64
all_name_positions (EnrServiceStore  *self,
                    const char       *token,
                    const char       *match,
                    GString          *positions,
                    GError          **error)
{
  EnrDbStmt *stmt;
  EnrDbStep step;
  gint64 count = 0;

  if (!(stmt = _enr_service_store_prepare_static (self,
                                                  token != NULL
                                                  ? "SELECT pos FROM customer_name_prefixes WHERE prefix = $1"
                                                  : "SELECT rowid FROM customer_names WHERE customer_names MATCH $1",
                                                  error)))
    return -1;

  enr_db_stmt_bind_text_static (stmt, 1, token != NULL ? token : match);
  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    {
      append_position (positions, enr_db_stmt_column_int64 (stmt, 0));
      count++;
    }
  enr_db_stmt_reset (stmt);

  return step == ENR_DB_STEP_DONE ? count : -1;
}

/* Customers with every word somewhere (name, account, phone, email,
 * address) but not at positions @excluded (a JSON array), in name order. */
static gboolean
search_elsewhere (EnrServiceStore  *self,
                  const char       *match,
                  const char       *excluded,
                  guint             skip,
                  guint             limit,
                  SearchRows       *rows,
                  GError          **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare_static (self,
                                                  "SELECT o.json FROM customer_search s"
                                                  " JOIN customer_order o ON o.pos = s.rowid"
                                                  " WHERE customer_search MATCH $1"
                                                  " AND s.rowid NOT IN (SELECT value FROM json_each ($2))"
                                                  " ORDER BY s.rowid LIMIT $3 OFFSET $4",
                                                  error)))
    return FALSE;

  enr_db_stmt_bind_text_static (stmt, 1, match);
  enr_db_stmt_bind_text_static (stmt, 2, excluded);
  enr_db_stmt_bind_int64 (stmt, 3, limit);
  enr_db_stmt_bind_int64 (stmt, 4, skip);

  return add_rows (stmt, 0, rows, error);
}

static int
add_token (void       *user_data,
           int         flags,
           const char *token,
           int         length,
           int         start,
           int         end)
{
  if (!(flags & FTS5_TOKEN_COLOCATED))
    g_ptr_array_add (user_data, g_strndup (token, length));

  return SQLITE_OK;
}

/* @word as the search's tables hold it: its one token, or NULL when the
 * tokenizer cuts it otherwise (none, or several: a phrase to FTS5). */
static char *
search_token (EnrServiceStore *self,
              const char      *word)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);

  if (!enr_db_sqlite_tokenizer_tokenize (self->search_tokenizer,
                                         FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX,
                                         word, strlen (word), add_token, tokens) ||
      tokens->len != 1 || ((char *) g_ptr_array_index (tokens, 0))[0] == '\0')
    return NULL;

  return g_strdup (g_ptr_array_index (tokens, 0));
}

/* The first text after every text that starts with @prefix (byte order,
 * as SQLite compares text): the last byte one up. A token's last byte is
 * ASCII or a continuation byte, never 0xff. */
static char *
prefix_end (const char *prefix)
{
  char *end = g_strdup (prefix);
  gsize length = strlen (end);

  end[length - 1] = (char) ((guchar) end[length - 1] + 1);
  return end;
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Sorts @positions: a search's lists are short (up to a page's name
 * matches, SEARCH_OTHER_CAP candidates), where an insertion sort costs a
 * tenth of g_array_sort()'s (a merge sort through a compare function,
 * 3.5k instructions a call). */
static void
sort_positions (GArray *positions)
{
  gint64 *values = (gint64 *) (gpointer) positions->data;

  if (positions->len > 64)
    {
      g_array_sort (positions, compare_positions);
      return;
    }
  for (guint i = 1; i < positions->len; i++)
    {
      gint64 value = values[i];
      guint k = i;

      for (; k > 0 && values[k - 1] > value; k--)
        values[k] = values[k - 1];
      values[k] = value;
    }
}

/* Sorts @positions and drops repeats. */
static void
sort_unique (GArray *positions)
{
  guint kept = 0;

  sort_positions (positions);
  for (guint i = 0; i < positions->len; i++)
    if (kept == 0 || g_array_index (positions, gint64, i) != g_array_index (positions, gint64, kept - 1))
      g_array_index (positions, gint64, kept++) = g_array_index (positions, gint64, i);
  g_array_set_size (positions, kept);
}

static gboolean
contains_position (GArray *sorted,
                   gint64  position)
{
  return g_array_binary_search (sorted, &position, compare_positions, NULL);
}

static void
append_positions (GString *json,
                  GArray  *positions,
                  guint    from,
                  guint    to)
{
  for (guint i = from; i < to; i++)
    append_position (json, g_array_index (positions, gint64, i));
}

/* The JSON of the customers at @page (positions, each once), in that
 * order, into @rows. Positions close together (the customers of one name
 * are neighbours in name order) are read in one range of customer_order
 * (straight into @rows when the page is in position order, the rows'
 * order; else put in the page's order first); others one by one, driven
 * by json_each (CROSS JOIN: in the list's order, no sort). */
static gboolean
fetch_page (EnrServiceStore  *self,
            GArray           *page,
            SearchRows       *rows,
            GError          **error)
{
  g_autoptr(GPtrArray) placed = NULL;
  g_autoptr(GString) list = NULL;
  gint64 low = G_MAXINT64, high = G_MININT64;
  gboolean ascending = TRUE;
  EnrDbStmt *stmt;
  EnrDbStep step;

  if (page->len == 0)
    return TRUE;

  for (guint i = 0; i < page->len; i++)
    {
      low = MIN (low, g_array_index (page, gint64, i));
      high = MAX (high, g_array_index (page, gint64, i));
      if (i > 0 && g_array_index (page, gint64, i) <= g_array_index (page, gint64, i - 1))
        ascending = FALSE;
    }

  if ((guint64) (high - low) < 2 * (guint64) page->len + 8)
    {
      guint next = 0;

      if (!ascending)
        {
          placed = g_ptr_array_new_full (page->len, g_free);
          g_ptr_array_set_size (placed, page->len);
        }
      if (!(stmt = _enr_service_store_prepare_static (self,
                                                      "SELECT pos, json FROM customer_order"
                                                      " WHERE pos >= $1 AND pos <= $2",
                                                      error)))
        return FALSE;
      enr_db_stmt_bind_int64 (stmt, 1, low);
      enr_db_stmt_bind_int64 (stmt, 2, high);
      while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
        {
          gint64 position = enr_db_stmt_column_int64 (stmt, 0);

          if (ascending)
            {
              /* A position with no customer is passed over (there is
               * none: customer_order numbers them all). */
              while (next < page->len && g_array_index (page, gint64, next) < position)
                next++;
              if (next < page->len && g_array_index (page, gint64, next) == position)
                {
                  search_rows_add (rows, enr_db_stmt_column_text (stmt, 1),
                                   enr_db_stmt_column_length (stmt, 1));
                  next++;
                }
              continue;
            }

          for (guint i = 0; i < page->len; i++)
            if (g_array_index (page, gint64, i) == position)
              {
                g_ptr_array_index (placed, i) = enr_db_stmt_column_dup (stmt, 1);
                break;
              }
        }
      enr_db_stmt_reset (stmt);
      if (step == ENR_DB_STEP_ERROR)
        return FALSE;
      for (guint i = 0; placed != NULL && i < placed->len; i++)
        if (g_ptr_array_index (placed, i) != NULL)
          search_rows_add (rows, g_ptr_array_index (placed, i), strlen (g_ptr_array_index (placed, i)));
      return TRUE;
    }

  list = g_string_new ("[");
  append_positions (list, page, 0, page->len);
  g_string_append_c (list, ']');
  if (!(stmt = _enr_service_store_prepare_static (self,
                                                  "SELECT o.json FROM json_each ($1) j"
                                                  " CROSS JOIN customer_order o ON o.pos = j.value",
                                                  error)))
    return FALSE;
  enr_db_stmt_bind_text_static (stmt, 1, list->str);

  return add_rows (stmt, 0, rows, error);
}

/* Steps @stmt, a bound statement whose first column is a position, into
 * @positions: FALSE with @error. With more than @cap rows, stops and sets
 * @over. */
static gboolean
collect_positions (EnrDbStmt  *stmt,
                   GArray     *positions,
                   guint       cap,
                   gboolean   *over,
                   GError    **error)
{
  EnrDbStep step;

  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    {
      gint64 position = enr_db_stmt_column_int64 (stmt, 0);

      if (positions->len == cap)
        {
          *over = TRUE;
          break;
        }
      g_array_append_val (positions, position);
    }
  enr_db_stmt_reset (stmt);

  return step != ENR_DB_STEP_ERROR;
}

/* The most rows the word lists may give a query of two words: name
 * pairs (more, and it is left to search_words_in_one_pass()), and
 * candidates for the others (more, and the others are read from
 * customer_search in name order, up to the page's end). */
#define SEARCH_PAIR_CAP   512
#define SEARCH_OTHER_CAP  64

/* SQLite, a query of two words (@tokens, as the tables hold them; @match
 * for FTS5): the page [@offset, @offset + @limit) from the word lists.
 *
 * The name matches are every customer_name_pairs row whose first word
 * starts with one query word and second with the other (a name's words
 * are paired every way, each with itself too, so both may be one word):
 * the name words that start with the longer query word are found one
 * after the other (each one b-tree descent: a skip over the b-tree),
 * and under each the range of the other word, one range scan. Simple
 * statements stepped from here: the same skip as one recursive
 * statement cost twice the CPU.
 *
 * An other match has a query word in a field but not in its name, so in
 * customer_other_words (each customer's words of the other fields that
 * are not words of its name); they are read only when the page reaches
 * past the name matches. A few candidates are checked against
 * customer_search by rowid; many (a word of many addresses) and the
 * customers with both words are read from customer_search in name order
 * until the page is full, name matches skipped.
 *
 * Returns FALSE with @error, or FALSE without it when a short first word
 * is under too many names (*@fall_back is set; nothing went into @rows). */
static gboolean
search_two_words (EnrServiceStore  *self,
                  GPtrArray        *tokens,
                  const char       *match,
                  guint             offset,
                  guint             limit,
                  SearchRows       *rows,
                  gboolean         *fall_back,
                  GError          **error)
{
  g_autoptr(GArray) names = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) others = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) page = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *first = g_ptr_array_index (tokens, 0);
  const char *second = g_ptr_array_index (tokens, 1);
  g_autofree char *first_end = NULL;
  g_autofree char *second_end = NULL;
  g_autofree char *word = NULL;
  guint64 end = (guint64) offset + limit;
  gboolean stream_others = FALSE;
  EnrDbStmt *stmt;
  EnrDbStep step = ENR_DB_STEP_DONE;

  /* The longer word under fewer first words. */
  if (strlen (second) > strlen (first))
    {
      const char *swap = first;

      first = second;
      second = swap;
    }
  first_end = prefix_end (first);
  second_end = prefix_end (second);

  /* The name matches. */
  for (;;)
    {
      if (!(stmt = _enr_service_store_prepare_static (self,
                                                      word == NULL
                                                      ? "SELECT first FROM customer_name_pairs"
                                                        " WHERE first >= $1 AND first < $2 ORDER BY first LIMIT 1"
                                                      : "SELECT first FROM customer_name_pairs"
                                                        " WHERE first > $1 AND first < $2 ORDER BY first LIMIT 1",
                                                      error)))
        return FALSE;
      enr_db_stmt_bind_text_static (stmt, 1, word == NULL ? first : word);
      enr_db_stmt_bind_text_static (stmt, 2, first_end);
      step = enr_db_stmt_step (stmt, error);
      g_clear_pointer (&word, g_free);
      if (step == ENR_DB_STEP_ROW)
        word = enr_db_stmt_column_dup (stmt, 0);
      enr_db_stmt_reset (stmt);
      if (step == ENR_DB_STEP_ERROR)
        return FALSE;
      if (word == NULL)
        break;

      if (!(stmt = _enr_service_store_prepare_static (self,
                                                      "SELECT pos FROM customer_name_pairs"
                                                      " WHERE first = $1 AND second >= $2 AND second < $3",
                                                      error)))
        return FALSE;
      enr_db_stmt_bind_text_static (stmt, 1, word);
      enr_db_stmt_bind_text_static (stmt, 2, second);
      enr_db_stmt_bind_text_static (stmt, 3, second_end);
      if (!collect_positions (stmt, names, SEARCH_PAIR_CAP, fall_back, error) || *fall_back)
        return FALSE;
    }
  sort_unique (names);

  /* The page reaches past the name matches: the others. */
  if (names->len < end)
    {
      for (guint i = 0; i < 2 && !stream_others; i++)
        {
          if (!(stmt = _enr_service_store_prepare_static (self,
                                                          "SELECT pos FROM customer_other_words"
                                                          " WHERE word >= $1 AND word < $2",
                                                          error)))
            return FALSE;
          enr_db_stmt_bind_text_static (stmt, 1, i == 0 ? first : second);
          enr_db_stmt_bind_text_static (stmt, 2, i == 0 ? first_end : second_end);
          if (!collect_positions (stmt, candidates, SEARCH_OTHER_CAP, &stream_others, error))
            return FALSE;
        }
      sort_unique (candidates);

      if (stream_others)
        {
          /* The customers with both words anywhere, in name order, that
           * are not name matches, up to the page's end. */
          guint64 wanted = end - names->len;

          if (!(stmt = _enr_service_store_prepare_static (self,
                                                          "SELECT rowid FROM customer_search"
                                                          " WHERE customer_search MATCH $1 ORDER BY rowid",
                                                          error)))
            return FALSE;
          enr_db_stmt_bind_text_static (stmt, 1, match);
          while (others->len < wanted && (step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
            {
              gint64 position = enr_db_stmt_column_int64 (stmt, 0);

              if (!contains_position (names, position))
                g_array_append_val (others, position);
            }
          enr_db_stmt_reset (stmt);
          if (step == ENR_DB_STEP_ERROR)
            return FALSE;
        }
      else if (candidates->len > 0)
        {
          g_autoptr(GString) list = g_string_new ("[");
          guint kept = 0;

          /* A name match is one already. */
          for (guint i = 0; i < candidates->len; i++)
            if (!contains_position (names, g_array_index (candidates, gint64, i)))
              g_array_index (candidates, gint64, kept++) = g_array_index (candidates, gint64, i);
          g_array_set_size (candidates, kept);
          append_positions (list, candidates, 0, candidates->len);
          g_string_append_c (list, ']');

          if (!(stmt = _enr_service_store_prepare_static (self,
                                                          "SELECT s.rowid FROM customer_search s"
                                                          " WHERE customer_search MATCH $1"
                                                          " AND s.rowid IN (SELECT value FROM json_each ($2))",
                                                          error)))
            return FALSE;
          enr_db_stmt_bind_text_static (stmt, 1, match);
          enr_db_stmt_bind_text_static (stmt, 2, list->str);
          if (!collect_positions (stmt, others, G_MAXUINT, fall_back, error))
            return FALSE;
          sort_positions (others);
        }
    }

  if (offset < names->len)
    g_array_append_vals (page, &g_array_index (names, gint64, offset), MIN (names->len, end) - offset);
  if (end > names->len)
    {
      guint64 skip = offset > names->len ? offset - names->len : 0;

      if (skip < others->len)
        g_array_append_vals (page, &g_array_index (others, gint64, skip),
                             MIN (others->len, end - names->len) - skip);
    }

  return fetch_page (self, page, rows, error);
}

/* FTS5 auxiliary function enr_in_name (customer_search): 1 when every
 * phrase of the query has a hit in the first column (the name), else 0.
 * Only the current row's position lists are read. */
static void
in_name_function (const Fts5ExtensionApi  *api,
                  Fts5Context             *fts,
                  sqlite3_context         *context,
                  int                      n_values,
                  sqlite3_value          **values)
{
  int n_phrases = api->xPhraseCount (fts);

  for (int i = 0; i < n_phrases; i++)
    {
      Fts5PhraseIter iter;
      int column = -1;
      int rc = api->xPhraseFirstColumn (fts, i, &iter, &column);

      if (rc != SQLITE_OK)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }
      /* Columns come in ascending order: the name is column 0. */
      if (column != 0)
        {
          sqlite3_result_int (context, 0);
          return;
        }
    }

  sqlite3_result_int (context, 1);
}

gboolean
_enr_service_store_init_search (EnrServiceStore  *self,
                                GError          **error)
{
  fts5_api *api = enr_db_sqlite_get_fts5_api (enr_db_get_handle (self->db));

  if (api == NULL || api->iVersion < 2 ||
      api->xCreateFunction (api, "enr_in_name", NULL, in_name_function, NULL) != SQLITE_OK)
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED,
                   "This SQLite library has no full-text search (FTS5)");
      return FALSE;
    }

  /* The tokenizer of the search's tables (enr-service-store-schema.c),
   * which cuts a query's words as the tables hold them: the word lists
   * (customer_name_pairs, customer_other_words) are compared with them. */
  g_clear_pointer (&self->search_tokenizer, enr_db_sqlite_tokenizer_free);
  self->search_tokenizer = enr_db_sqlite_tokenizer_new (enr_db_get_handle (self->db), "unicode61",
                                                        (const char *[]) { "remove_diacritics", "2" },
                                                        2, error);

  return self->search_tokenizer != NULL;
}

void
_enr_service_store_clear_search (EnrServiceStore *self)
{
  g_clear_pointer (&self->search_tokenizer, enr_db_sqlite_tokenizer_free);
}

/* SQLite, a query of several words: the page [@offset, @offset + @limit)
 * of the customers with every word of @match, name matches first, in one
 * pass over customer_search in name order (its rowid); enr_in_name()
 * tells the name matches from the others. The pass reads positions
 * only, and stops once the page is all name matches; an other is kept
 * only while it may still reach the page, and the page's JSON is read
 * at the end (fetch_page()). Such queries (a full name, a first name and the start
 * of the last) have few name matches: the names-first way read the
 * words' index entries twice, once in customer_names to find the name
 * matches, once in customer_search to find the others. */
static gboolean
search_words_in_one_pass (EnrServiceStore  *self,
                          const char       *match,
                          guint             offset,
                          guint             limit,
                          SearchRows       *rows,
                          GError          **error)
{
  g_autoptr(GArray) others = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) page = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint64 end = (guint64) offset + limit;
  guint64 in_name = 0;
  guint64 skip;
  EnrDbStmt *stmt;
  EnrDbStep step;

  if (!(stmt = _enr_service_store_prepare_static (self,
                                                  "SELECT enr_in_name (customer_search), rowid FROM customer_search"
                                                  " WHERE customer_search MATCH $1 ORDER BY rowid",
                                                  error)))
    return FALSE;
  enr_db_stmt_bind_text_static (stmt, 1, match);

  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    {
      gint64 position = enr_db_stmt_column_int64 (stmt, 1);

      if (enr_db_stmt_column_int64 (stmt, 0) != 0)
        {
          if (in_name >= offset)
            g_array_append_val (page, position);
          if (++in_name == end)
            break;
        }
      /* The k-th other lands at in_name + k or later. */
      else if (in_name + others->len < end)
        g_array_append_val (others, position);
    }
  enr_db_stmt_reset (stmt);
  if (step == ENR_DB_STEP_ERROR)
    return FALSE;

  skip = offset > in_name ? offset - in_name : 0;
  if (in_name < end && skip < others->len)
    g_array_append_vals (page, &g_array_index (others, gint64, skip),
                         MIN (others->len, skip + (end - MAX (in_name, offset))) - skip);

  return fetch_page (self, page, rows, error);
}

/* SQLite, a query of several words (@words; @match for FTS5). */
static gboolean
search_several_words (EnrServiceStore  *self,
                      GPtrArray        *words,
                      const char       *match,
                      guint             offset,
                      guint             limit,
                      SearchRows       *rows,
                      GError          **error)
{
  if (words->len == 2)
    {
      g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
      gboolean fall_back = FALSE;

      for (guint i = 0; i < words->len; i++)
        {
          char *token = search_token (self, g_ptr_array_index (words, i));

          if (token == NULL)
            break;
          g_ptr_array_add (tokens, token);
        }
      if (tokens->len == words->len)
        {
          if (search_two_words (self, tokens, match, offset, limit, rows, &fall_back, error))
            return TRUE;
          if (!fall_back)
            return FALSE;
        }
    }

  return search_words_in_one_pass (self, match, offset, limit, rows, error);
}

/* PostgreSQL: every word of @query as a prefix of a word, all of them
 * needed; NULL when the query has no word. */
static char *
pg_query (const char *query)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  GString *out;

  add_words (query, words, NULL);
  if (words->len == 0)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < words->len; i++)
    g_string_append_printf (out, "%s'%s':*", i > 0 ? " & " : "", (const char *) g_ptr_array_index (words, i));

  return g_string_free (out, FALSE);
}

/* As enr_service_store_search_customers() on SQLite below, on PostgreSQL's GIN
 * indexes, in one statement (one round trip): the customers with every
 * word anywhere (terms holds the name's words too), those with every word
 * in the name first, each group by position. */
static gboolean
search_customers_postgresql (EnrServiceStore  *self,
                             const char       *terms,
                             guint             offset,
                             guint             limit,
                             SearchRows       *rows,
                             GError          **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare_static (self,
                                                  "SELECT o.json FROM customer_search s"
                                                  " JOIN customer_order o ON o.pos = s.pos"
                                                  " WHERE s.terms @@ $1::tsquery"
                                                  " ORDER BY s.names @@ $1::tsquery DESC, s.pos LIMIT $2 OFFSET $3",
                                                  error)))
    return FALSE;
  enr_db_stmt_bind_text_static (stmt, 1, terms);
  enr_db_stmt_bind_int64 (stmt, 2, limit);
  enr_db_stmt_bind_int64 (stmt, 3, offset);

  return add_rows (stmt, 0, rows, error);
}

/* Customers whose name has every word of @query come first, then those
 * that have them in other fields too (account, phone, email, address);
 * each group in name order. Both come from full-text indexes whose rowid
 * is the position in name order, so a page reads about as many index
 * entries as it returns, unless the name matches run out on it. On
 * SQLite a query of one word (a last name, the start of a first name)
 * reads the names' word prefixes (customer_name_prefixes) first, which
 * usually fills the page, then customer_search when it does not; one of several words reads
 * customer_search alone (search_words_in_one_pass()). The
 * JSON of a page comes from customer_order, where it is kept in that
 * same order: a page's customers share a few table pages, where reading
 * them from customers (in load order, by text id) took two b-tree
 * descents to a page of its own for each. */
static gboolean
search_customers (EnrServiceStore  *self,
                  const char       *query,
                  guint             offset,
                  guint             limit,
                  SearchRows       *rows,
                  GError          **error)
{
  g_autoptr(GString) in_name = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *terms = NULL;
  g_autofree char *token = NULL;
  guint n_words = 0;
  guint skip = 0;

  if (query != NULL && g_utf8_validate (query, -1, NULL))
    terms = enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL ? pg_query (query) : fts_query (query, words);
  n_words = words->len;

  if (terms != NULL && terms[0] != '\0' && enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL)
    return search_customers_postgresql (self, terms, offset, limit, rows, error);

  if (terms == NULL || terms[0] == '\0')
    {
      EnrDbStmt *stmt;

      if (!(stmt = _enr_service_store_prepare_static (self,
                                                      "SELECT json FROM customer_order"
                                                      " ORDER BY pos LIMIT $1 OFFSET $2",
                                                      error)))
        return FALSE;
      enr_db_stmt_bind_int64 (stmt, 1, limit);
      enr_db_stmt_bind_int64 (stmt, 2, offset);

      return add_rows (stmt, 0, rows, error);
    }

  if (n_words > 1)
    {
      /* Several statements: one read transaction (SQLite's reads take
       * no transaction of their own in the service: each statement would
       * take and drop the database's read lock). */
      gboolean own = !enr_db_in_transaction (self->db);
      gboolean found;

      if (own && !enr_db_begin_read (self->db, error))
        return FALSE;
      found = search_several_words (self, words, terms, offset, limit, rows, error);
      if (own && (!found || !enr_db_commit (self->db, error)))
        {
          enr_db_rollback (self->db);
          found = FALSE;
        }
      return found;
    }

  token = search_token (self, g_ptr_array_index (words, 0));
  in_name = g_string_new ("[");
  if (!search_names (self, token, terms, offset, limit, rows, in_name, error))
    return FALSE;
  if (rows->count >= limit)
    return TRUE;

  /* The page reaches past the name matches. From the first page, those
   * are all on it; else they are counted (and excluded) afresh. */
  if (offset > 0)
    {
      gint64 count;

      g_string_truncate (in_name, 1);
      if ((count = all_name_positions (self, token, terms, in_name, error)) < 0)
        return FALSE;
      skip = offset - MIN ((guint64) count, offset);
    }
  g_string_append_c (in_name, ']');

  return search_elsewhere (self, terms, in_name->str, skip, limit - rows->count, rows, error);
}

GPtrArray *
enr_service_store_search_customers (EnrServiceStore  *self,
                                    const char       *query,
                                    guint             offset,
                                    guint             limit,
                                    GError          **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  SearchRows rows = { .rows = found, .cut_at = G_MAXUINT };

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  if (!search_customers (self, query, offset, limit, &rows, error))
    return NULL;

  return g_steal_pointer (&found);
}

/**
 * enr_service_store_write_customer_search:
 * @out: where the page goes, as a JSON array
 * @more: (out): whether another page follows
 *
 * As enr_service_store_search_customers() with a limit of @page_size + 1,
 * the page of at most @page_size customers written into @out as a JSON
 * array, byte for byte the one enr_service_json_append_array() makes of
 * those rows, with no copy of each row on the way. On failure @out may
 * have part of a page.
 */
gboolean
enr_service_store_write_customer_search (EnrServiceStore  *self,
                                         const char       *query,
                                         guint             offset,
                                         guint             page_size,
                                         GString          *out,
                                         gboolean         *more,
                                         GError          **error)
{
  SearchRows rows = { .out = out, .cut_at = page_size };

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (page_size > 0 && page_size < G_MAXUINT, FALSE);

  g_string_append_c (out, '[');
  if (!search_customers (self, query, offset, page_size + 1, &rows, error))
    return FALSE;
  *more = rows.count > page_size;
  if (*more)
    g_string_truncate (out, rows.cut);
  g_string_append_c (out, ']');

  return TRUE;
}

static EnrDbStmt *prepare_find_tasks (EnrServiceStore             *self,
                                      const EnrServiceTaskFilter  *filter,
                                      GError                     **error);

GPtrArray *
enr_service_store_find_tasks (EnrServiceStore             *self,
                              const EnrServiceTaskFilter  *filter,
                              GError                     **error)
{
  EnrDbStmt *stmt = prepare_find_tasks (self, filter, error);

  return stmt != NULL ? collect_rows (stmt, error) : NULL;
}

/* The statement of enr_service_store_find_tasks(), bound. */
static EnrDbStmt *
prepare_find_tasks (EnrServiceStore             *self,
                    const EnrServiceTaskFilter  *filter,
                    GError                     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT json FROM service_tasks WHERE TRUE");
  EnrDbStmt *stmt;
  struct
  {
    GType       type;
    const char *text;
    gint64      number;
  } params[10];
  guint n = 0;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

#define ADD_TEXT(condition, value_type, value) \
  G_STMT_START { \
    params[n].type = (value_type); \
    params[n].text = (value); \
    n++; \
    g_string_append_printf (sql, condition, n); \
  } G_STMT_END
#define ADD_NUMBER(condition, value) \
  G_STMT_START { \
    params[n].type = G_TYPE_INT64; \
    params[n].text = NULL; \
    params[n].number = (value); \
    n++; \
    g_string_append_printf (sql, condition, n); \
  } G_STMT_END

  if (filter->customer_id != NULL)
    ADD_TEXT (" AND customer_id = $%u", G_TYPE_STRING, filter->customer_id);
  if (filter->status != NULL)
    ADD_TEXT (" AND status = $%u", ENR_TYPE_TASK_STATUS, filter->status);
  if (filter->open_only)
    {
      ADD_NUMBER (" AND status <> $%u", ENR_TASK_STATUS_COMPLETED);
      ADD_NUMBER (" AND status <> $%u", ENR_TASK_STATUS_CANCELED);
    }
  if (filter->program_id != NULL)
    ADD_TEXT (" AND program_id = $%u", G_TYPE_STRING, filter->program_id);
  if (filter->kind != NULL)
    ADD_TEXT (" AND kind = $%u", ENR_TYPE_TASK_KIND, filter->kind);
  if (filter->created_by != NULL)
    ADD_TEXT (" AND created_by = $%u", G_TYPE_STRING, filter->created_by);
  if (filter->created_from != G_MININT64)
    ADD_NUMBER (" AND created_at >= $%u", filter->created_from);
  if (filter->created_to != G_MAXINT64)
    ADD_NUMBER (" AND created_at < $%u", filter->created_to);
  ADD_NUMBER (" ORDER BY created_at DESC, id LIMIT $%u", filter->limit);
  ADD_NUMBER (" OFFSET $%u", filter->offset);
#undef ADD_TEXT
#undef ADD_NUMBER

  if (!(stmt = _enr_service_store_prepare (self, sql->str, error)))
    return NULL;

  for (guint i = 0; i < n; i++)
    {
      if (params[i].text == NULL)
        enr_db_stmt_bind_int64 (stmt, i + 1, params[i].number);
      else if (!enr_db_stmt_bind_lookup (stmt, i + 1, params[i].type, params[i].text, error))
        return NULL;
    }

  return stmt;
}

/* The service points of a customer's metered services, each once, in the
 * order of the first service at it (services in id order). */
#define CUSTOMER_POINTS \
  "(SELECT service_point_id AS id, min(id) AS first FROM metered_services" \
  " WHERE customer_id = $1 GROUP BY service_point_id)"

void
enr_service_customer_view_clear (EnrServiceCustomerView *view)
{
  g_clear_pointer (&view->customer, g_free);
  g_clear_pointer (&view->metered_services, g_ptr_array_unref);
  g_clear_pointer (&view->service_points, g_ptr_array_unref);
  g_clear_pointer (&view->device_locations, g_ptr_array_unref);
  g_clear_pointer (&view->devices, g_ptr_array_unref);
  g_clear_pointer (&view->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&view->service_tasks, g_ptr_array_unref);
}

/* PostgreSQL: the customer view in one statement. Each kind of record is
 * one aggregate of its rows' JSON, in the order of the statements below,
 * separated by U+001E (a control character, which JSON text never holds
 * unescaped): one statement to plan, start and run instead of seven, in
 * one snapshot. The tasks follow @tasks when it only asks for the
 * customer's tasks, open or all, by their creator or anyone's, from the
 * first: what the customer view asks for. */
#define VIEW_SEPARATOR "\x1e"
#define VIEW_AGG(expression, order) "string_agg (" expression ", E'" VIEW_SEPARATOR "' ORDER BY " order ")"
#define CUSTOMER_POINTS_OF(customer) \
  "(SELECT service_point_id AS id, min(id) AS first FROM metered_services" \
  " WHERE customer_id = " customer " GROUP BY service_point_id)"

static const char customer_view_sql[] =
  "SELECT (SELECT json FROM customers WHERE id = $1),"
  " (SELECT " VIEW_AGG ("json", "id") " FROM metered_services WHERE customer_id = $1),"
  " (SELECT " VIEW_AGG ("p.json", "m.first") " FROM service_points p"
  "   JOIN " CUSTOMER_POINTS_OF ("$1") " m ON m.id = p.id),"
  " (SELECT " VIEW_AGG ("l.json", "m.first, l.id") " FROM device_locations l"
  "   JOIN " CUSTOMER_POINTS_OF ("$1") " m ON m.id = l.service_point_id),"
  " (SELECT " VIEW_AGG ("d.json", "m.first, l.id, d.id") " FROM devices d"
  "   JOIN device_locations l ON l.id = d.device_location_id"
  "   JOIN " CUSTOMER_POINTS_OF ("$1") " m ON m.id = l.service_point_id),"
  " (SELECT " VIEW_AGG ("json", "id") " FROM subscriptions WHERE customer_id = $1),"
  /* $2: the tasks wanted (0: none), $3: open ones only, $4: their
   * creator (NULL: anyone's) */
  " (SELECT " VIEW_AGG ("t.json", "t.created_at DESC, t.id") " FROM"
  "   (SELECT json, created_at, id FROM service_tasks WHERE customer_id = $1"
  "     AND NOT ($3 AND status IN ($5, $6)) AND ($4::text IS NULL OR created_by = $4)"
  "     ORDER BY created_at DESC, id LIMIT $2) t)";

static gboolean
customer_view_folds (EnrServiceStore            *self,
                     const EnrServiceTaskFilter *tasks)
{
  return enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL &&
         (tasks == NULL ||
          (tasks->status == NULL && tasks->program_id == NULL && tasks->kind == NULL &&
           tasks->created_from == G_MININT64 && tasks->created_to == G_MAXINT64 &&
           tasks->offset == 0));
}

/* A column of customer_view_sql: its rows (none when NULL). */
static GPtrArray *
split_view_rows (EnrDbStmt *stmt,
                 int        column)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  const char *text = enr_db_stmt_column_text (stmt, column);

  if (text == NULL || enr_db_stmt_column_is_null (stmt, column))
    return rows;

  for (;;)
    {
      const char *end = strchr (text, VIEW_SEPARATOR[0]);

      if (end == NULL)
        {
          g_ptr_array_add (rows, g_strdup (text));
          return rows;
        }
      g_ptr_array_add (rows, g_strndup (text, end - text));
      text = end + 1;
    }
}

static gboolean
customer_view_folded (EnrServiceStore        *self,
                      const char             *customer_id,
                      EnrServiceTaskFilter   *tasks,
                      EnrServiceCustomerView *view,
                      GError                **error)
{
  GPtrArray **into[] = {
    &view->metered_services, &view->service_points, &view->device_locations,
    &view->devices, &view->subscriptions, &view->service_tasks,
  };
  EnrDbStmt *stmt;
  EnrDbStep step;

  if (!(stmt = _enr_service_store_prepare (self, customer_view_sql, error)))
    return FALSE;
  enr_db_stmt_bind_text (stmt, 1, customer_id);
  enr_db_stmt_bind_int64 (stmt, 2, tasks != NULL ? tasks->limit : 0);
  enr_db_stmt_bind_int64 (stmt, 3, tasks != NULL && tasks->open_only);
  if (tasks != NULL && tasks->created_by != NULL)
    enr_db_stmt_bind_text (stmt, 4, tasks->created_by);
  else
    enr_db_stmt_bind_null (stmt, 4);
  enr_db_stmt_bind_int64 (stmt, 5, ENR_TASK_STATUS_COMPLETED);
  enr_db_stmt_bind_int64 (stmt, 6, ENR_TASK_STATUS_CANCELED);

  step = enr_db_stmt_step (stmt, error);
  if (step == ENR_DB_STEP_ROW && !enr_db_stmt_column_is_null (stmt, 0))
    {
      view->customer = enr_db_stmt_column_dup (stmt, 0);
      for (guint i = 0; i < G_N_ELEMENTS (into); i++)
        *into[i] = split_view_rows (stmt, i + 1);
    }
  enr_db_stmt_reset (stmt);

  if (step == ENR_DB_STEP_ERROR)
    return FALSE;
  if (view->customer == NULL)
    {
      enr_service_customer_view_clear (view);
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND, "No customer with id %s", customer_id);
      return FALSE;
    }

  return TRUE;
}

/**
 * enr_service_store_customer_view:
 * @tasks: (nullable): which of the customer's tasks (its customer_id is
 *   set here); %NULL: none (service_tasks is empty)
 * @view: (out caller-allocates): the records' JSON as stored
 *
 * The customer view's records, each kind with one statement keyed on the
 * customer alone (references are followed by joins in the same order as
 * the customer's services, points and locations), so that none waits for
 * another: on PostgreSQL they go out together (enr_db_stmt_defer()), in
 * one round trip with the transaction's BEGIN.
 *
 * Returns: %FALSE with @error (%ENR_DB_ERROR_NOT_FOUND: no such customer)
 */
gboolean
enr_service_store_customer_view (EnrServiceStore        *self,
                                 const char             *customer_id,
                                 EnrServiceTaskFilter   *tasks,
                                 EnrServiceCustomerView *view,
                                 GError                **error)
{
  static const char * const sql[] = {
    "SELECT json FROM customers WHERE id = $1",
    "SELECT json FROM metered_services WHERE customer_id = $1 ORDER BY id",
    "SELECT p.json FROM service_points p JOIN " CUSTOMER_POINTS " m ON m.id = p.id ORDER BY m.first",
    "SELECT l.json FROM device_locations l JOIN " CUSTOMER_POINTS " m ON m.id = l.service_point_id"
    " ORDER BY m.first, l.id",
    "SELECT d.json FROM devices d JOIN device_locations l ON l.id = d.device_location_id"
    " JOIN " CUSTOMER_POINTS " m ON m.id = l.service_point_id ORDER BY m.first, l.id, d.id",
    "SELECT json FROM subscriptions WHERE customer_id = $1 ORDER BY id",
  };
  GPtrArray **into[] = {
    NULL, &view->metered_services, &view->service_points, &view->device_locations,
    &view->devices, &view->subscriptions,
  };
  EnrDbStmt *stmts[G_N_ELEMENTS (sql) + 1];
  guint n_stmts = G_N_ELEMENTS (sql) + (tasks != NULL);
  g_autoptr(GPtrArray) customer = NULL;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  memset (view, 0, sizeof *view);
  if (customer_view_folds (self, tasks))
    {
      if (tasks != NULL)
        tasks->customer_id = customer_id;
      return customer_view_folded (self, customer_id, tasks, view, error);
    }
  if (tasks != NULL)
    tasks->customer_id = customer_id;
  else
    view->service_tasks = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_stmts; i++)
    {
      if (i < G_N_ELEMENTS (sql))
        {
          if (!(stmts[i] = _enr_service_store_prepare (self, sql[i], error)))
            return FALSE;
          enr_db_stmt_bind_text (stmts[i], 1, customer_id);
        }
      else if (!(stmts[i] = prepare_find_tasks (self, tasks, error)))
        return FALSE;
      enr_db_stmt_defer (stmts[i]);
    }

  for (guint i = 0; i < n_stmts; i++)
    {
      GPtrArray *rows = collect_rows (stmts[i], error);

      if (rows == NULL)
        {
          for (guint j = i + 1; j < n_stmts; j++)
            enr_db_stmt_reset (stmts[j]);
          enr_service_customer_view_clear (view);
          return FALSE;
        }
      if (i == 0)
        customer = rows;
      else if (i < G_N_ELEMENTS (sql))
        *into[i] = rows;
      else
        view->service_tasks = rows;
    }

  if (customer->len == 0)
    {
      enr_service_customer_view_clear (view);
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND, "No customer with id %s", customer_id);
      return FALSE;
    }
  view->customer = g_strdup (g_ptr_array_index (customer, 0));

  return TRUE;
}

GPtrArray *
enr_service_store_customer_communications (EnrServiceStore  *self,
                                           const char       *customer_id,
                                           guint             offset,
                                           guint             limit,
                                           GError          **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare (self,
                                           enr_db_get_backend (self->db) == ENR_DB_SQLITE
                                           ? "SELECT json FROM communications WHERE customer_id = $1"
                                             " ORDER BY created_at DESC, rowid DESC LIMIT $2 OFFSET $3"
                                           : "SELECT json FROM communications WHERE customer_id = $1"
                                             " ORDER BY created_at DESC, seq DESC LIMIT $2 OFFSET $3",
                                           error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, customer_id);
  enr_db_stmt_bind_int64 (stmt, 2, limit);
  enr_db_stmt_bind_int64 (stmt, 3, offset);

  return collect_rows (stmt, error);
}

/**
 * enr_service_store_record_consent:
 * @finished_at: when Finish accepted the task
 *
 * Keeps the consent of a finished enrollment in the consents on record
 * (once: a second call for the task changes nothing).
 */
gboolean
enr_service_store_record_consent (EnrServiceStore  *self,
                                  EnrServiceTask   *task,
                                  GDateTime        *finished_at,
                                  GError          **error)
{
  EnrConsent *consent = enr_service_task_get_consent (task);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *given_at = NULL;
  g_autofree char *finished = NULL;
  EnrDbStmt *stmt;

  if (consent == NULL || !enr_consent_is_complete (consent))
    return TRUE;

  given_at = g_date_time_format_iso8601 (enr_consent_get_given_at (consent));
  finished = g_date_time_format_iso8601 (finished_at);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "service_task_id");
  json_builder_add_string_value (builder, enr_entity_get_id (ENR_ENTITY (task)));
  json_builder_set_member_name (builder, "customer_id");
  json_builder_add_string_value (builder, enr_service_task_get_customer_id (task));
  json_builder_set_member_name (builder, "program_id");
  json_builder_add_string_value (builder, enr_service_task_get_program_id (task));
  json_builder_set_member_name (builder, "consent");
  json_builder_add_value (builder, enr_codec_encode (consent));
  json_builder_set_member_name (builder, "finished_at");
  json_builder_add_string_value (builder, finished);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = enr_json_to_string (root, FALSE);

  if (!(stmt = _enr_service_store_prepare (self,
                                           "INSERT INTO consents (service_task_id, customer_id, program_id, method,"
                                           " given_at, terms_version, recorded_by, finished_at, json)"
                                           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                                           " ON CONFLICT (service_task_id) DO NOTHING",
                                           error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, enr_entity_get_id (ENR_ENTITY (task)));
  enr_db_stmt_bind_text (stmt, 2, enr_service_task_get_customer_id (task));
  enr_db_stmt_bind_text (stmt, 3, enr_service_task_get_program_id (task));
  enr_db_stmt_bind_int64 (stmt, 4, enr_consent_get_method (consent));
  enr_db_stmt_bind_int64 (stmt, 5, g_date_time_to_unix (enr_consent_get_given_at (consent)));
  enr_db_stmt_bind_text (stmt, 6, enr_consent_get_terms_version (consent));
  enr_db_stmt_bind_text (stmt, 7, enr_consent_get_recorded_by (consent) != NULL ? enr_consent_get_recorded_by (consent) : "");
  enr_db_stmt_bind_int64 (stmt, 8, g_date_time_to_unix (finished_at));
  enr_db_stmt_bind_text (stmt, 9, json);

  return enr_db_stmt_run (stmt, error);
}

/* The consents on record for a customer, latest first. */
GPtrArray *
enr_service_store_customer_consents (EnrServiceStore  *self,
                                     const char       *customer_id,
                                     guint             offset,
                                     guint             limit,
                                     GError          **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT json FROM consents WHERE customer_id = $1"
                                           " ORDER BY given_at DESC, service_task_id LIMIT $2 OFFSET $3",
                                           error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, customer_id);
  enr_db_stmt_bind_int64 (stmt, 2, limit);
  enr_db_stmt_bind_int64 (stmt, 3, offset);

  return collect_rows (stmt, error);
}

static GPtrArray *
decode_rows (GType       type,
             GPtrArray  *rows,
             GError    **error)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);

  if (rows == NULL)
    return NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      gpointer object = enr_codec_decode_data (type, g_ptr_array_index (rows, i), -1, error);

      if (object == NULL)
        return NULL;
      g_ptr_array_add (objects, object);
    }

  return g_steal_pointer (&objects);
}

GPtrArray *
enr_service_store_crew_shifts (EnrServiceStore  *self,
                               const char       *crew_id,
                               const GDate      *from,
                               const GDate      *to,
                               GError          **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *from_text = enr_codec_format_date (from);
  g_autofree char *to_text = enr_codec_format_date (to);
  EnrDbStmt *stmt;

  if (crew_id != NULL)
    stmt = _enr_service_store_prepare (self,
                                       "SELECT json FROM crew_shifts WHERE crew_id = $3"
                                       " AND date BETWEEN $1 AND $2 ORDER BY date, id",
                                       error);
  else
    stmt = _enr_service_store_prepare (self,
                                       "SELECT json FROM crew_shifts"
                                       " WHERE date BETWEEN $1 AND $2 ORDER BY date, id",
                                       error);
  if (stmt == NULL)
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, from_text);
  enr_db_stmt_bind_text (stmt, 2, to_text);
  if (crew_id != NULL)
    enr_db_stmt_bind_text (stmt, 3, crew_id);

  rows = collect_rows (stmt, error);
  return decode_rows (ENR_TYPE_CREW_SHIFT, rows, error);
}

GPtrArray *
enr_service_store_booked_appointments (EnrServiceStore  *self,
                                       const GDate      *from,
                                       const GDate      *to,
                                       GError          **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *from_text = enr_codec_format_date (from);
  g_autofree char *to_text = enr_codec_format_date (to);
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT a.json FROM appointments a"
                                           " JOIN crew_shifts s ON s.id = a.crew_shift_id"
                                           " WHERE a.status = $3 AND s.date BETWEEN $1 AND $2"
                                           " ORDER BY a.id",
                                           error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, from_text);
  enr_db_stmt_bind_text (stmt, 2, to_text);
  enr_db_stmt_bind_int64 (stmt, 3, ENR_APPOINTMENT_STATUS_BOOKED);

  rows = collect_rows (stmt, error);
  return decode_rows (ENR_TYPE_APPOINTMENT, rows, error);
}

void
enr_service_export_free (EnrServiceExport *export)
{
  if (export == NULL)
    return;

  g_clear_pointer (&export->customers, g_ptr_array_unref);
  g_clear_pointer (&export->metered_services, g_ptr_array_unref);
  g_clear_pointer (&export->service_points, g_ptr_array_unref);
  g_clear_pointer (&export->device_locations, g_ptr_array_unref);
  g_clear_pointer (&export->devices, g_ptr_array_unref);
  g_clear_pointer (&export->subscriptions, g_ptr_array_unref);
  g_free (export);
}

/* The records of the customers at positions ($1, $2]: their service
 * points (and what hangs off them) through their metered services. */
#define EXPORT_POINTS \
  "SELECT ms.service_point_id FROM customer_order o" \
  " JOIN metered_services ms ON ms.customer_id = o.customer_id" \
  " WHERE o.pos > $1 AND o.pos <= $2"

static GPtrArray *
export_rows (EnrServiceStore  *self,
             const char       *sql,
             gint64            after,
             gint64            last,
             GError          **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare (self, sql, error)))
    return NULL;

  enr_db_stmt_bind_int64 (stmt, 1, after);
  enr_db_stmt_bind_int64 (stmt, 2, last);

  return collect_rows (stmt, error);
}

/**
 * enr_service_store_export_customers:
 * @after: the position after which the page starts (0 for the first)
 * @limit: the most customers on the page
 *
 * Keyset paging over the name-ordered customer positions: a page reads
 * the index from @after on, never skipping rows, so every customer comes
 * exactly once however many pages there are.
 */
EnrServiceExport *
enr_service_store_export_customers (EnrServiceStore  *self,
                                    gint64            after,
                                    guint             limit,
                                    GError          **error)
{
  g_autoptr(EnrServiceExport) export = g_new0 (EnrServiceExport, 1);
  EnrDbStmt *stmt;
  EnrDbStep step;
  gint64 last = after;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  if (!(stmt = _enr_service_store_prepare (self, "SELECT count(*) FROM customer_order", error)))
    return NULL;
  if (enr_db_stmt_step (stmt, error) != ENR_DB_STEP_ROW)
    {
      enr_db_stmt_reset (stmt);
      return NULL;
    }
  export->total = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);

  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT pos, json FROM customer_order"
                                           " WHERE pos > $1 ORDER BY pos LIMIT $2",
                                           error)))
    return NULL;
  enr_db_stmt_bind_int64 (stmt, 1, after);
  enr_db_stmt_bind_int64 (stmt, 2, (gint64) limit + 1);

  export->customers = g_ptr_array_new_with_free_func (g_free);
  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    {
      if (export->customers->len == limit)
        {
          export->next = last;
          continue;
        }
      last = enr_db_stmt_column_int64 (stmt, 0);
      g_ptr_array_add (export->customers, enr_db_stmt_column_dup (stmt, 1));
    }
  enr_db_stmt_reset (stmt);
  if (step != ENR_DB_STEP_DONE)
    return NULL;

  if (!(export->metered_services =
          export_rows (self,
                       "SELECT ms.json FROM customer_order o"
                       " JOIN metered_services ms ON ms.customer_id = o.customer_id"
                       " WHERE o.pos > $1 AND o.pos <= $2 ORDER BY o.pos, ms.id",
                       after, last, error)) ||
      !(export->service_points =
          export_rows (self,
                       "SELECT json FROM service_points WHERE id IN (" EXPORT_POINTS ") ORDER BY id",
                       after, last, error)) ||
      !(export->device_locations =
          export_rows (self,
                       "SELECT json FROM device_locations WHERE service_point_id IN (" EXPORT_POINTS ")"
                       " ORDER BY id",
                       after, last, error)) ||
      !(export->devices =
          export_rows (self,
                       "SELECT json FROM devices WHERE device_location_id IN"
                       " (SELECT id FROM device_locations WHERE service_point_id IN (" EXPORT_POINTS "))"
                       " ORDER BY id",
                       after, last, error)) ||
      !(export->subscriptions =
          export_rows (self,
                       "SELECT s.json FROM customer_order o"
                       " JOIN subscriptions s ON s.customer_id = o.customer_id"
                       " WHERE o.pos > $1 AND o.pos <= $2 ORDER BY o.pos, s.id",
                       after, last, error)))
    return NULL;

  return g_steal_pointer (&export);
}

/**
 * enr_service_store_premise_subscriptions:
 *
 * The subscriptions of the other accounts at @premise_id to their metered
 * services there: two statements, deferred together (with the premise's
 * lock when enr_service_store_lock_premises() deferred it: they read what
 * was committed once it is held).
 *
 * Returns: (transfer full) (element-type EnrProgramSubscription): the
 *   subscriptions, or %NULL with @error
 */
GPtrArray *
enr_service_store_premise_subscriptions (EnrServiceStore  *self,
                                         const char       *customer_id,
                                         const char       *premise_id,
                                         GError          **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) service_ids = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) subscriptions = NULL;
  g_autoptr(GHashTable) services = g_hash_table_new (g_str_hash, g_str_equal);
  EnrDbStmt *services_stmt;
  EnrDbStmt *subscriptions_stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  if (!(services_stmt = _enr_service_store_prepare (self,
                                                    "SELECT m.id FROM metered_services m"
                                                    " JOIN service_points p ON p.id = m.service_point_id"
                                                    " WHERE p.premise_id = $1 AND m.customer_id <> $2",
                                                    error)))
    return NULL;
  enr_db_stmt_bind_text (services_stmt, 1, premise_id);
  enr_db_stmt_bind_text (services_stmt, 2, customer_id);
  enr_db_stmt_defer (services_stmt);

  if (!(subscriptions_stmt = _enr_service_store_prepare (self,
                                                         "SELECT json FROM subscriptions WHERE customer_id IN"
                                                         " (SELECT m.customer_id FROM metered_services m"
                                                         " JOIN service_points p ON p.id = m.service_point_id"
                                                         " WHERE p.premise_id = $1 AND m.customer_id <> $2)"
                                                         " ORDER BY id",
                                                         error)))
    {
      enr_db_stmt_reset (services_stmt);
      return NULL;
    }
  enr_db_stmt_bind_text (subscriptions_stmt, 1, premise_id);
  enr_db_stmt_bind_text (subscriptions_stmt, 2, customer_id);
  enr_db_stmt_defer (subscriptions_stmt);

  if (!(service_ids = collect_rows (services_stmt, error)))
    {
      enr_db_stmt_reset (subscriptions_stmt);
      return NULL;
    }
  if (!(rows = collect_rows (subscriptions_stmt, error)) ||
      !(subscriptions = decode_rows (ENR_TYPE_PROGRAM_SUBSCRIPTION, rows, error)))
    return NULL;

  for (guint i = 0; i < service_ids->len; i++)
    g_hash_table_add (services, g_ptr_array_index (service_ids, i));
  for (guint i = 0; i < subscriptions->len; i++)
    {
      EnrProgramSubscription *subscription = g_ptr_array_index (subscriptions, i);

      if (g_hash_table_contains (services, enr_program_subscription_get_metered_service_id (subscription)))
        g_ptr_array_add (result, g_object_ref (subscription));
    }

  return g_steal_pointer (&result);
}

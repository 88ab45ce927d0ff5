/* enr-store-search.c — customer search over an FTS5 index
 *
 * Each customer has one row in customer_fts (rowid = customers.seq): name,
 * account id, phone, email, its mailing address and the addresses of the
 * service points of its metered services, and "keys": the phone's digits
 * (whole, last 10, last 7, last 4) and the account id without punctuation,
 * so that "5550101", "555-0101" and "(541) 555-0101" all find a customer.
 *
 * User text never reaches FTS5 as syntax: it is cut into words at white
 * space and words into runs of letters and digits; each run becomes a
 * quoted prefix phrase ("run"*), and everything is joined with AND. A word
 * of digit runs after punctuation ("555-01", "RPL-1000": phones, account
 * ids) may also match as its compacted form: ("55501"* OR ("555"* AND "01"*)).
 *
 * Speed over a million rows: FTS5 reads a prefix phrase lazily only when a
 * prefix index of its length exists (1 to 3 characters here); a longer
 * prefix makes it merge the doclists of every matching term first, which
 * costs tens of milliseconds for a common word. So the search runs in two
 * stages: first with every phrase cut to its first three characters (lazy),
 * keeping only the candidate rows whose matched tokens really start with
 * the whole phrase (the check); only when that finds too few rows among
 * too many candidates does it run the exact query.
 *
 * Ranking: every phrase scores the weight of the best column it matched
 * in, plus a bonus when it matched the column's first word. bm25 is not
 * used: its document frequencies read whole doclists. Only the first
 * ENR_STORE_SEARCH_CANDIDATES matches are ranked.
 *
 * Checks best first: the lazy stage ranks every candidate without its
 * check (enr_hits()). Those scores are upper bounds of the checked ones: a
 * check only takes matches away, and every column weight is positive. The
 * candidates are then checked in the order of their bounds, and only until
 * none left can rank before the last row shown; the result is the same as
 * checking them all (_enr_store_search_customers_checking_all(), which the
 * tests compare it with). A check tokenizes, with the index's tokenizer,
 * only the columns the cut phrase matched in, read straight from
 * customer_fts_content.
 *
 * Typing on: the stage is kept (EnrStore.search_stage) and reused by the
 * next search whose cut query is the same and whose every phrase only grew
 * (take_kept_stage()): the rows that failed their checks fail again, and
 * the checked scores bound the new ones. A query nothing was cut from (no
 * phrase over three characters) makes a stage too, whose rows need no
 * check: the next keystroke's cut query is that same query ("john" after
 * "joh"), so the keystroke that first cuts does not run it again. Any
 * write to the search index on this connection drops it (drop_stage()),
 * and so does another connection's commit (PRAGMA data_version).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-db-sqlite.h"
#include "enr-store-private.h"

#define MAX_WORDS       16
#define MAX_RUNS        8
#define MAX_RUN_CHARS   64
#define MAX_PHRASES     (MAX_WORDS * (MAX_RUNS + 1))

/* name, account, phone, email, address, keys */
static const double column_weights[] = { 10.0, 8.0, 6.0, 4.0, 2.0, 7.0 };

#define LAZY_PREFIX_CHARS 3

static void drop_stage (EnrStore *self);
static gboolean rebuild_search_in (EnrStore  *self,
                                   GError   **error);

/* One quoted phrase of a query: word and alternative it belongs to. */
typedef struct
{
  char  *run;
  guint  word;
  guint  alternative;
} Phrase;

static void
phrase_clear (gpointer data)
{
  g_free (((Phrase *) data)->run);
}

/* Appends the runs of letters and digits of @word to @runs (at most
 * MAX_RUNS, each at most MAX_RUN_CHARS characters). */
static gboolean
split_word (const char *word,
            const char *end,
            GPtrArray  *runs)
{
  g_autoptr(GString) run = g_string_new (NULL);
  gboolean has_digit = FALSE;
  guint run_chars = 0;

  for (const char *p = word; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          has_digit |= g_unichar_isdigit (c);
          if (run_chars++ < MAX_RUN_CHARS)
            g_string_append_unichar (run, c);
          continue;
        }

      if (run->len > 0 && runs->len < MAX_RUNS)
        g_ptr_array_add (runs, g_strdup (run->str));
      g_string_truncate (run, 0);
      run_chars = 0;
    }

  if (run->len > 0 && runs->len < MAX_RUNS)
    g_ptr_array_add (runs, g_strdup (run->str));

  return has_digit;
}

/* Phone numbers and account ids: every run after the first is digits. */
static gboolean
digits_after_first (GPtrArray *runs)
{
  for (guint i = 1; i < runs->len; i++)
    for (const char *p = g_ptr_array_index (runs, i); *p != '\0'; p = g_utf8_next_char (p))
      if (!g_unichar_isdigit (g_utf8_get_char (p)))
        return FALSE;

  return TRUE;
}

static void
add_phrase (GArray     *phrases,
            const char *run,
            guint       word,
            guint       alternative)
{
  Phrase phrase = { g_strdup (run), word, alternative };

  g_array_append_val (phrases, phrase);
}

/* The phrases of @text, in the order query_render() writes them. */
static GArray *
query_parse (const char *text)
{
  GArray *phrases = g_array_new (FALSE, FALSE, sizeof (Phrase));
  g_autofree char *valid = NULL;
  const char *p;
  guint words = 0;

  g_array_set_clear_func (phrases, phrase_clear);
  if (text == NULL)
    return phrases;

  valid = g_utf8_make_valid (text, -1);
  p = valid;

  while (*p != '\0' && words < MAX_WORDS)
    {
      g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_free);
      const char *start;
      gboolean has_digit;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);

      has_digit = split_word (start, p, runs);
      if (runs->len == 0)
        continue;

      if (runs->len > 1 && has_digit && digits_after_first (runs))
        {
          g_autoptr(GString) compact = g_string_new (NULL);

          for (guint i = 0; i < runs->len; i++)
            g_string_append (compact, g_ptr_array_index (runs, i));
          add_phrase (phrases, compact->str, words, 0);
          for (guint i = 0; i < runs->len; i++)
            add_phrase (phrases, g_ptr_array_index (runs, i), words, 1);
        }
      else
        {
          for (guint i = 0; i < runs->len; i++)
            add_phrase (phrases, g_ptr_array_index (runs, i), words, 0);
        }

      words++;
    }

  return phrases;
}

static gboolean
phrase_is_cut (const Phrase *phrase,
               gboolean      lazy)
{
  return lazy && g_utf8_strlen (phrase->run, -1) > LAZY_PREFIX_CHARS;
}

static void
append_phrase (GString      *query,
               const Phrase *phrase,
               gboolean      lazy)
{
  g_string_append_c (query, '"');
  if (phrase_is_cut (phrase, lazy))
    g_string_append_len (query, phrase->run,
                         g_utf8_offset_to_pointer (phrase->run, LAZY_PREFIX_CHARS) - phrase->run);
  else
    g_string_append (query, phrase->run);
  g_string_append (query, "\"*");
}

/* Writes the FTS5 query of @phrases; with @lazy, phrases longer than the
 * longest prefix index are cut to it. */
static char *
query_render (GArray   *phrases,
              gboolean  lazy)
{
  g_autoptr(GString) query = g_string_new (NULL);
  guint i = 0;

  while (i < phrases->len)
    {
      guint word = g_array_index (phrases, Phrase, i).word;
      guint end = i;
      gboolean alternatives;

      while (end < phrases->len && g_array_index (phrases, Phrase, end).word == word)
        end++;
      alternatives = g_array_index (phrases, Phrase, end - 1).alternative > 0;

      if (query->len > 0)
        g_string_append (query, " AND ");
      if (alternatives)
        g_string_append_c (query, '(');

      for (guint j = i; j < end; j++)
        {
          const Phrase *phrase = &g_array_index (phrases, Phrase, j);
          gboolean first_of_alternative = j == i ||
                                          g_array_index (phrases, Phrase, j - 1).alternative != phrase->alternative;
          gboolean last_of_alternative = j + 1 == end ||
                                         g_array_index (phrases, Phrase, j + 1).alternative != phrase->alternative;
          gboolean grouped = alternatives && !(first_of_alternative && last_of_alternative);

          if (first_of_alternative && j != i)
            g_string_append (query, " OR ");
          else if (!first_of_alternative)
            g_string_append (query, " AND ");
          if (grouped && first_of_alternative)
            g_string_append_c (query, '(');
          append_phrase (query, phrase, lazy);
          if (grouped && last_of_alternative)
            g_string_append_c (query, ')');
        }

      if (alternatives)
        g_string_append_c (query, ')');
      i = end;
    }

  if (query->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

/*
 * _enr_store_build_match:
 *
 * Returns: (transfer full) (nullable): the exact FTS5 query for @text, or
 *   %NULL when @text holds no letter or digit
 */
char *
_enr_store_build_match (const char *text)
{
  g_autoptr(GArray) phrases = query_parse (text);

  return query_render (phrases, FALSE);
}

static void
append_key (GString    *keys,
            const char *key)
{
  if (key[0] == '\0')
    return;

  if (keys->len > 0)
    g_string_append_c (keys, ' ');
  g_string_append (keys, key);
}

/*
 * _enr_store_search_keys:
 *
 * Returns: (transfer full): the "keys" column of a customer
 */
char *
_enr_store_search_keys (const char *account_id,
                        const char *phone)
{
  g_autoptr(GString) keys = g_string_new (NULL);

  if (account_id != NULL)
    {
      g_autoptr(GString) compact = g_string_new (NULL);
      gboolean has_separator = FALSE;

      for (const char *p = account_id; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (g_unichar_isalnum (c))
            g_string_append_unichar (compact, c);
          else
            has_separator = TRUE;
        }

      if (has_separator)
        append_key (keys, compact->str);
    }

  if (phone != NULL)
    {
      g_autoptr(GString) digits = g_string_new (NULL);
      static const guint suffixes[] = { 10, 7, 4 };

      for (const char *p = phone; *p != '\0'; p = g_utf8_next_char (p))
        {
          int digit = g_unichar_digit_value (g_utf8_get_char (p));

          if (digit >= 0)
            g_string_append_c (digits, '0' + digit);
        }

      if (digits->len >= 4)
        {
          append_key (keys, digits->str);
          for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
            if (digits->len > suffixes[i])
              append_key (keys, digits->str + digits->len - suffixes[i]);
        }
    }

  return g_string_free (g_steal_pointer (&keys), FALSE);
}

static int
collect_token_cb (void       *user_data,
                  int         flags,
                  const char *token,
                  int         n_token,
                  int         start,
                  int         end)
{
  GPtrArray *tokens = user_data;

  if ((flags & FTS5_TOKEN_COLOCATED) == 0)
    g_ptr_array_add (tokens, g_strndup (token, n_token));

  return SQLITE_OK;
}

static GPtrArray *
tokenize (const Fts5ExtensionApi *api,
          Fts5Context            *fts,
          const char             *text,
          int                     length)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);

  if (text != NULL)
    api->xTokenize (fts, text, length, tokens, collect_token_cb);

  return tokens;
}

/* What one phrase matched in one row: the weight of the best column it
 * matched in (plus the bonus when it matched the column's first word), and
 * the columns it matched in (bit i: column i; none: not matched). */
typedef struct
{
  double best;
  guint  columns;
} Hit;

static void
hit_add (Hit *hit,
         int  column,
         int  offset)
{
  hit->columns |= 1u << column;
  hit->best = MAX (hit->best, column_weights[column] + (offset == 0 ? 1.0 : 0.0));
}

/* The sum of the phrases' best columns, in phrase order. */
static double
hits_score (const Hit *hits,
            guint      n_phrases)
{
  double score = 0;

  for (guint i = 0; i < n_phrases; i++)
    score += hits[i].best;

  return score;
}

/* Fills @hits from the row's phrase instances; an instance of a phrase
 * with a @whole text counts only when its token starts with it. */
static int
collect_hits (const Fts5ExtensionApi  *api,
              Fts5Context             *fts,
              int                      n_phrases,
              char                   **whole,
              Hit                     *hits)
{
  GPtrArray *columns[G_N_ELEMENTS (column_weights)] = { NULL };
  int n_instances = 0;
  int rc;

  if ((rc = api->xInstCount (fts, &n_instances)) != SQLITE_OK)
    return rc;

  for (int i = 0; i < n_instances; i++)
    {
      int phrase, column, offset;

      if ((rc = api->xInst (fts, i, &phrase, &column, &offset)) != SQLITE_OK)
        break;
      if (phrase < 0 || phrase >= n_phrases ||
          column < 0 || column >= (int) G_N_ELEMENTS (column_weights))
        continue;

      if (whole != NULL && whole[phrase] != NULL)
        {
          if (columns[column] == NULL)
            {
              const char *text = NULL;
              int length = 0;

              api->xColumnText (fts, column, &text, &length);
              columns[column] = tokenize (api, fts, text, length);
            }

          if (offset < 0 || (guint) offset >= columns[column]->len ||
              !g_str_has_prefix (g_ptr_array_index (columns[column], offset), whole[phrase]))
            continue;
        }

      hit_add (&hits[phrase], column, offset);
    }

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    if (columns[i] != NULL)
      g_ptr_array_unref (columns[i]);

  return rc;
}

/*
 * enr_rank (customer_fts [, key, run]…)
 *
 * Without extra arguments: the score of the row. With a (key, run) pair per
 * phrase (key = word * 64 + alternative; run = the whole phrase when the
 * query cut it, else NULL): NULL unless every word has an alternative all
 * of whose phrases match a token starting with their whole text. (The
 * exact query, and _enr_store_search_customers_checking_all().)
 */
static void
rank_function (const Fts5ExtensionApi  *api,
               Fts5Context             *fts,
               sqlite3_context         *context,
               int                      n_values,
               sqlite3_value          **values)
{
  Hit hits[MAX_PHRASES] = { { 0 } };
  char *whole[MAX_PHRASES] = { NULL };
  int n_phrases = MIN (api->xPhraseCount (fts), MAX_PHRASES);
  gboolean verify = n_values >= 2 * n_phrases && n_phrases > 0;
  gboolean ok = TRUE;
  int rc;

  if (verify)
    for (int i = 0; i < n_phrases; i++)
      {
        const char *run = (const char *) sqlite3_value_text (values[2 * i + 1]);

        if (run != NULL)
          {
            g_autoptr(GPtrArray) tokens = tokenize (api, fts, run, strlen (run));

            if (tokens->len == 1)
              whole[i] = g_strdup (g_ptr_array_index (tokens, 0));
          }
      }

  if ((rc = collect_hits (api, fts, n_phrases, whole, hits)) != SQLITE_OK)
    {
      ok = FALSE;
      sqlite3_result_error_code (context, rc);
    }

  /* Every word needs one alternative whose phrases all matched. */
  if (ok && verify)
    {
      int i = 0;

      while (i < n_phrases && ok)
        {
          int word = sqlite3_value_int (values[2 * i]) / 64;
          gboolean word_ok = FALSE;

          while (i < n_phrases && sqlite3_value_int (values[2 * i]) / 64 == word)
            {
              int key = sqlite3_value_int (values[2 * i]);
              gboolean alternative_ok = TRUE;

              while (i < n_phrases && sqlite3_value_int (values[2 * i]) == key)
                alternative_ok &= hits[i++].columns != 0;
              word_ok |= alternative_ok;
            }
          ok = word_ok;
        }

      if (!ok)
        sqlite3_result_null (context);
    }

  if (ok)
    sqlite3_result_double (context, hits_score (hits, n_phrases));

  for (int i = 0; i < n_phrases; i++)
    g_free (whole[i]);
}

/*
 * enr_hits (customer_fts)
 *
 * The Hit of every phrase of the row, unchecked (a cut phrase counts every
 * token its cut prefix matched), as a blob.
 */
static void
hits_function (const Fts5ExtensionApi  *api,
               Fts5Context             *fts,
               sqlite3_context         *context,
               int                      n_values,
               sqlite3_value          **values)
{
  Hit hits[MAX_PHRASES] = { { 0 } };
  int n_phrases = MIN (api->xPhraseCount (fts), MAX_PHRASES);
  int rc;

  if ((rc = collect_hits (api, fts, n_phrases, NULL, hits)) != SQLITE_OK)
    sqlite3_result_error_code (context, rc);
  else
    sqlite3_result_blob (context, hits, n_phrases * (int) sizeof (Hit), SQLITE_TRANSIENT);
}

gboolean
_enr_store_search_init (sqlite3  *db,
                        GError  **error)
{
  fts5_api *api = enr_db_sqlite_get_fts5_api (db);

  if (api == NULL || api->iVersion < 2 ||
      api->xCreateFunction (api, "enr_rank", NULL, rank_function, NULL) != SQLITE_OK ||
      api->xCreateFunction (api, "enr_hits", NULL, hits_function, NULL) != SQLITE_OK)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("This SQLite library has no full-text search (FTS5)"));
      return FALSE;
    }

  return TRUE;
}

/* Marks the customers whose search row depends on the record @id of
 * @info, before it is written or deleted. */
gboolean
_enr_store_search_before_put (EnrStore                *self,
                              const EnrStoreTypeInfo  *info,
                              const char              *id,
                              GError                 **error)
{
  GType type = info->get_type ();
  EnrDbStmt *stmt;
  EnrDbStep rc;

  if (self->search_deferred)
    return TRUE;

  if (type == ENR_TYPE_METERED_SERVICE)
    stmt = _enr_store_prepare (self, "SELECT customer_id FROM metered_services WHERE id = ?1", error);
  else if (type == ENR_TYPE_SERVICE_POINT)
    stmt = _enr_store_prepare (self,
                               "SELECT customer_id FROM metered_services WHERE service_point_id = ?1",
                               error);
  else
    return TRUE;

  if (stmt == NULL)
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, id);
  while ((rc = _enr_store_step (self, stmt, error)) == ENR_DB_STEP_ROW)
    _enr_store_search_mark_dirty (self, enr_db_stmt_column_text (stmt, 0));
  enr_db_stmt_reset (stmt);

  if (rc != ENR_DB_STEP_DONE)
    {
      return FALSE;
    }

  return TRUE;
}

/* Removes the search row of a customer about to be deleted. */
gboolean
_enr_store_search_forget (EnrStore    *self,
                          const char  *customer_id,
                          GError     **error)
{
  EnrDbStmt *stmt;

  drop_stage (self);
  if (!(stmt = _enr_store_prepare (self,
                                   "DELETE FROM customer_fts WHERE rowid = "
                                   "(SELECT seq FROM customers WHERE id = ?1)",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, customer_id);
  return _enr_store_step_done (self, stmt, error);
}

/* The mailing address, then the service point addresses that differ from
 * it (usually it is the same place: indexing it twice costs time). */
static char *
join_addresses (const char *mailing,
                const char *service_addresses)
{
  g_autoptr(GString) joined = g_string_new (mailing);
  g_auto(GStrv) others = NULL;

  if (service_addresses == NULL)
    return g_string_free (g_steal_pointer (&joined), FALSE);

  others = g_strsplit (service_addresses, " ; ", -1);
  for (guint i = 0; others[i] != NULL; i++)
    if (g_strcmp0 (others[i], mailing) != 0)
      {
        if (joined->len > 0)
          g_string_append (joined, " ; ");
        g_string_append (joined, others[i]);
      }

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static gboolean
reindex_customer (EnrStore    *self,
                  const char  *customer_id,
                  GError     **error)
{
  EnrDbStmt *select, *current, *delete, *insert;
  g_autofree char *keys = NULL;
  g_autofree char *address = NULL;
  const char *mailing, *service_addresses;
  gboolean indexed, same = FALSE;
  gint64 seq;
  EnrDbStep rc;

  if (!(select = _enr_store_prepare (self,
                                     "SELECT c.seq, json_extract (c.json, '$.name'), c.account_id,"
                                     " json_extract (c.json, '$.phone'),"
                                     " json_extract (c.json, '$.email'),"
                                     " json_extract (c.json, '$.mailing_address'),"
                                     " (SELECT group_concat (a, ' ; ') FROM"
                                     "   (SELECT DISTINCT json_extract (sp.json, '$.address') AS a"
                                     "    FROM metered_services m"
                                     "    JOIN service_points sp ON sp.id = m.service_point_id"
                                     "    WHERE m.customer_id = c.id))"
                                     " FROM customers c WHERE c.id = ?1",
                                     error)) ||
      !(current = _enr_store_prepare (self,
                                      "SELECT name, account, phone, email, address, keys"
                                      " FROM customer_fts WHERE rowid = ?1",
                                      error)) ||
      !(delete = _enr_store_prepare (self, "DELETE FROM customer_fts WHERE rowid = ?1", error)) ||
      !(insert = _enr_store_prepare (self,
                                     "INSERT INTO customer_fts"
                                     " (rowid, name, account, phone, email, address, keys)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                     error)))
    return FALSE;

  enr_db_stmt_bind_text (select, 1, customer_id);
  if ((rc = _enr_store_step (self, select, error)) != ENR_DB_STEP_ROW)
    {
      enr_db_stmt_reset (select);
      if (rc == ENR_DB_STEP_DONE)
        return TRUE;
      return FALSE;
    }

  seq = enr_db_stmt_column_int64 (select, 0);
  mailing = enr_db_stmt_column_text (select, 5);
  service_addresses = enr_db_stmt_column_text (select, 6);
  address = join_addresses (mailing, service_addresses);
  keys = _enr_store_search_keys (enr_db_stmt_column_text (select, 2),
                                 enr_db_stmt_column_text (select, 3));

  /* Unchanged rows are not rewritten: a download stores a customer, then
   * its metered service, which usually changes nothing searchable. */
  enr_db_stmt_bind_int64 (current, 1, seq);
  rc = _enr_store_step (self, current, error);
  indexed = rc == ENR_DB_STEP_ROW;
  if (indexed)
    {
      const char *now[] = {
        enr_db_stmt_column_text (select, 1),
        enr_db_stmt_column_text (select, 2),
        enr_db_stmt_column_text (select, 3),
        enr_db_stmt_column_text (select, 4),
        address,
        keys,
      };

      same = TRUE;
      for (int i = 0; i < (int) G_N_ELEMENTS (now) && same; i++)
        same = g_strcmp0 (now[i], enr_db_stmt_column_text (current, i)) == 0;
    }
  enr_db_stmt_reset (current);

  if (rc != ENR_DB_STEP_ROW && rc != ENR_DB_STEP_DONE)
    {
      enr_db_stmt_reset (select);
      return FALSE;
    }

  if (same)
    {
      enr_db_stmt_reset (select);
      return TRUE;
    }

  drop_stage (self);
  enr_db_stmt_bind_int64 (delete, 1, seq);
  if (indexed && !_enr_store_step_done (self, delete, error))
    {
      enr_db_stmt_reset (select);
      return FALSE;
    }

  enr_db_stmt_bind_int64 (insert, 1, seq);
  for (int i = 1; i <= 4; i++)
    enr_db_stmt_bind_text (insert, i + 1, enr_db_stmt_column_text (select, i));
  enr_db_stmt_bind_text (insert, 6, address);
  enr_db_stmt_bind_text (insert, 7, keys);

  rc = _enr_store_step (self, insert, error);
  enr_db_stmt_reset (insert);
  enr_db_stmt_reset (select);

  if (rc != ENR_DB_STEP_DONE)
    {
      return FALSE;
    }

  return TRUE;
}

/* Bulk loads: the search built once, after the records */

#define SEARCH_STALE_KEY "search-stale"

/* Bulk loads: the secondary indexes of the tables they fill, built once
 * after the records too. A download's records come in the service's
 * export order (by name), not in the order of their ids, so every batch
 * inserts its keys all over each index: once an index is larger than a
 * batch, a batch dirties (and writes to the WAL, then back) nearly every
 * leaf page of it, and a batch costs more the more is stored. The UNIQUE
 * indexes on id stay (the records are upserted by id); the others are
 * dropped, their SQL kept in meta under DEFERRED_INDEX_KEY + name in the
 * same transaction, and made again from it: after the records
 * (enr_store_rebuild_search()), or when the store opens after a bulk
 * load that did not end (before its migrations, so that they find the
 * schema they expect). */
#define DEFERRED_INDEX_KEY  "deferred-index:"
#define DEFERRED_INDEX_END  "deferred-index;"   /* the first key after them */
#define DEFAULT_CHECKPOINT_PAGES  1000    /* SQLite's */
#define BULK_TABLES "'customers', 'service_points', 'metered_services', 'device_locations'," \
                    " 'devices', 'subscriptions'"

static gboolean
exec_sql (EnrStore    *self,
          const char  *sql,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (enr_db_exec (self->db, sql, &local_error))
    return TRUE;

  _enr_store_take_error (self, g_steal_pointer (&local_error), error);
  return FALSE;
}

static gboolean
read_pragma (EnrStore    *self,
             const char  *pragma,
             gint64      *value,
             GError     **error)
{
  EnrDbStmt *stmt;
  EnrDbStep rc;

  if (!(stmt = _enr_store_prepare (self, pragma, error)))
    return FALSE;
  if ((rc = _enr_store_step (self, stmt, error)) == ENR_DB_STEP_ROW)
    *value = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);

  return rc == ENR_DB_STEP_ROW;
}

/* Making an index sorts all its keys. With the store's own settings
 * (temp_store = MEMORY, a 32 MB page cache) SQLite's sorter keeps up to
 * the page cache's size of keys in memory and its sorted runs in memory
 * as well: at 1,000,000 customers the peak RSS grew by 64 MiB. So the
 * deferred indexes are made with the sorter's runs on file (temporary
 * files SQLite deletes as it opens them) and a page cache of
 * INDEX_BUILD_CACHE_KIB, which also bounds the keys kept in memory.
 * temp_store cannot change inside a transaction: the callers of
 * restore_indexes() set it around theirs. */
#define INDEX_BUILD_CACHE_KIB ENR_STORE_WORKER_CACHE_KIB

static gboolean
sort_on_file (EnrStore  *self,
              gint64    *was,
              GError   **error)
{
  return read_pragma (self, "PRAGMA temp_store", was, error) &&
         exec_sql (self, "PRAGMA temp_store = FILE", error);
}

static void
sort_as_before (EnrStore *self,
                gint64    was)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA temp_store = %" G_GINT64_FORMAT, was);

  if (!enr_db_exec (self->db, sql, NULL))
    g_warning ("The local store's temp_store could not be set back to %" G_GINT64_FORMAT, was);
}

/* A rebuild's progress: its deferred indexes make the first
 * REBUILD_INDEX_SHARE thousandths, one after the other, and the search
 * rows the rest. */
#define REBUILD_INDEX_SHARE 600

static void
set_progress (EnrStore *self,
              gint      thousandths)
{
  if (self->progress_target != NULL)
    g_atomic_int_set (self->progress_target, CLAMP (thousandths, 0, 1000));
}

/* Inside a transaction. */
static gboolean
defer_indexes (EnrStore  *self,
               GError   **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sqls = g_ptr_array_new_with_free_func (g_free);
  EnrDbStmt *stmt;
  EnrDbStep rc;

  if (!(stmt = _enr_store_prepare (self,
                                   "SELECT name, sql FROM sqlite_schema WHERE type = 'index'"
                                   " AND sql IS NOT NULL AND tbl_name IN (" BULK_TABLES ")"
                                   " ORDER BY name",
                                   error)))
    return FALSE;

  while ((rc = _enr_store_step (self, stmt, error)) == ENR_DB_STEP_ROW)
    {
      g_ptr_array_add (names, enr_db_stmt_column_dup (stmt, 0));
      g_ptr_array_add (sqls, enr_db_stmt_column_dup (stmt, 1));
    }
  enr_db_stmt_reset (stmt);
  if (rc != ENR_DB_STEP_DONE)
    return FALSE;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *key = g_strconcat (DEFERRED_INDEX_KEY, name, NULL);
      g_autofree char *drop = g_strdup_printf ("DROP INDEX \"%s\"", name);

      if (!(stmt = _enr_store_prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                                       error)))
        return FALSE;
      enr_db_stmt_bind_text (stmt, 1, key);
      enr_db_stmt_bind_text (stmt, 2, g_ptr_array_index (sqls, i));
      if (!_enr_store_step_done (self, stmt, error) || !exec_sql (self, drop, error))
        return FALSE;
    }

  return TRUE;
}

/* Inside a transaction: makes the deferred indexes again. */
static gboolean
restore_indexes (EnrStore  *self,
                 GError   **error)
{
  g_autoptr(GPtrArray) sqls = g_ptr_array_new_with_free_func (g_free);
  EnrDbStmt *stmt;
  EnrDbStep rc;

  if (!(stmt = _enr_store_prepare (self, "SELECT value FROM meta WHERE key >= ?1 AND key < ?2"
                                   " ORDER BY key", error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, DEFERRED_INDEX_KEY);
  enr_db_stmt_bind_text (stmt, 2, DEFERRED_INDEX_END);
  while ((rc = _enr_store_step (self, stmt, error)) == ENR_DB_STEP_ROW)
    g_ptr_array_add (sqls, enr_db_stmt_column_dup (stmt, 0));
  enr_db_stmt_reset (stmt);
  if (rc != ENR_DB_STEP_DONE)
    return FALSE;

  if (sqls->len > 0)
    {
      g_autofree char *small = g_strdup_printf ("PRAGMA cache_size = -%d", INDEX_BUILD_CACHE_KIB);
      g_autofree char *back = NULL;
      gint64 cache_size;
      gboolean ok = TRUE;

      if (!read_pragma (self, "PRAGMA cache_size", &cache_size, error) ||
          !exec_sql (self, small, error))
        return FALSE;

      for (guint i = 0; ok && i < sqls->len; i++)
        {
          ok = exec_sql (self, g_ptr_array_index (sqls, i), error);
          set_progress (self, (gint) ((i + 1) * REBUILD_INDEX_SHARE / sqls->len));
        }

      back = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, cache_size);
      if (!ok)
        {
          enr_db_exec (self->db, back, NULL);
          return FALSE;
        }
      if (!exec_sql (self, back, error))
        return FALSE;
    }

  if (!(stmt = _enr_store_prepare (self, "DELETE FROM meta WHERE key >= ?1 AND key < ?2", error)))
    return FALSE;
  enr_db_stmt_bind_text (stmt, 1, DEFERRED_INDEX_KEY);
  enr_db_stmt_bind_text (stmt, 2, DEFERRED_INDEX_END);
  return _enr_store_step_done (self, stmt, error);
}

/* The name of the first index a bulk load deferred (not made again yet):
 * %NULL (and no error) when there is none. */
char *
_enr_store_find_deferred_index (EnrStore  *self,
                                GError   **error)
{
  EnrDbStmt *stmt;
  char *name = NULL;

  if (!(stmt = _enr_store_prepare (self, "SELECT key FROM meta WHERE key >= ?1 AND key < ?2"
                                   " ORDER BY key LIMIT 1", error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, DEFERRED_INDEX_KEY);
  enr_db_stmt_bind_text (stmt, 2, DEFERRED_INDEX_END);
  if (_enr_store_step (self, stmt, error) == ENR_DB_STEP_ROW)
    name = g_strdup (enr_db_stmt_column_text (stmt, 0) + strlen (DEFERRED_INDEX_KEY));
  enr_db_stmt_reset (stmt);

  return name;
}

/* At open, before the migrations: a bulk load that did not end left its
 * indexes deferred. A new database has no meta table yet. */
gboolean
_enr_store_recover_indexes (EnrStore  *self,
                            GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *first = NULL;
  gint64 temp_store;
  EnrDbStmt *stmt;
  EnrDbStep rc;
  gboolean ok;

  if (!(stmt = _enr_store_prepare (self, "SELECT 1 FROM sqlite_schema WHERE type = 'table'"
                                   " AND name = 'meta'", error)))
    return FALSE;
  rc = _enr_store_step (self, stmt, error);
  enr_db_stmt_reset (stmt);
  if (rc != ENR_DB_STEP_ROW)
    return rc == ENR_DB_STEP_DONE;

  if (!(first = _enr_store_find_deferred_index (self, &local_error)))
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!sort_on_file (self, &temp_store, error))
    return FALSE;

  if (!_enr_store_begin (self, error))
    {
      sort_as_before (self, temp_store);
      return FALSE;
    }

  if (!restore_indexes (self, error))
    {
      _enr_store_rollback (self);
      sort_as_before (self, temp_store);
      return FALSE;
    }

  ok = _enr_store_commit (self, error);
  sort_as_before (self, temp_store);
  return ok;
}

static gboolean
set_search_stale (EnrStore  *self,
                  gboolean   stale,
                  GError   **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_store_prepare (self,
                                   stale
                                   ? "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '1')"
                                   : "DELETE FROM meta WHERE key = ?1",
                                   error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, SEARCH_STALE_KEY);
  return _enr_store_step_done (self, stmt, error);
}

/* Every customer's search row again, in customer order, inside the open
 * transaction: what reindex_customer() does for one, in one pass. */
static gboolean
rebuild_all (EnrStore  *self,
             GError   **error)
{
  EnrDbStmt *select, *insert, *clear;
  EnrDbStep rc;
  gint64 total = 0, done = 0;

  if (self->progress_target != NULL)
    {
      if (!read_pragma (self, "SELECT count(*) FROM customers", &total, error))
        return FALSE;
      set_progress (self, REBUILD_INDEX_SHARE);
    }

  drop_stage (self);
  if (!(clear = _enr_store_prepare (self, "DELETE FROM customer_fts", error)) ||
      !_enr_store_step_done (self, clear, error) ||
      !(select = _enr_store_prepare (self,
                                     "SELECT c.seq, json_extract (c.json, '$.name'), c.account_id,"
                                     " json_extract (c.json, '$.phone'),"
                                     " json_extract (c.json, '$.email'),"
                                     " json_extract (c.json, '$.mailing_address'),"
                                     " (SELECT group_concat (a, ' ; ') FROM"
                                     "   (SELECT DISTINCT json_extract (sp.json, '$.address') AS a"
                                     "    FROM metered_services m"
                                     "    JOIN service_points sp ON sp.id = m.service_point_id"
                                     "    WHERE m.customer_id = c.id))"
                                     " FROM customers c ORDER BY c.seq",
                                     error)) ||
      !(insert = _enr_store_prepare (self,
                                     "INSERT INTO customer_fts"
                                     " (rowid, name, account, phone, email, address, keys)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                     error)))
    return FALSE;

  while ((rc = _enr_store_step (self, select, error)) == ENR_DB_STEP_ROW)
    {
      g_autofree char *address = join_addresses (enr_db_stmt_column_text (select, 5),
                                                 enr_db_stmt_column_text (select, 6));
      g_autofree char *keys = _enr_store_search_keys (enr_db_stmt_column_text (select, 2),
                                                      enr_db_stmt_column_text (select, 3));

      enr_db_stmt_bind_int64 (insert, 1, enr_db_stmt_column_int64 (select, 0));
      for (int i = 1; i <= 4; i++)
        enr_db_stmt_bind_text (insert, i + 1, enr_db_stmt_column_text (select, i));
      enr_db_stmt_bind_text (insert, 6, address);
      enr_db_stmt_bind_text (insert, 7, keys);

      if (!_enr_store_step_done (self, insert, error))
        {
          enr_db_stmt_reset (select);
          return FALSE;
        }

      if (total > 0 && ++done % 1024 == 0)
        set_progress (self, REBUILD_INDEX_SHARE + (gint) (done * (1000 - REBUILD_INDEX_SHARE) / total));
    }

  enr_db_stmt_reset (select);
  return rc == ENR_DB_STEP_DONE;
}

/**
 * enr_store_defer_search:
 *
 * Before a bulk load (a data set imported, a first download): the
 * customers' search is no longer kept up to date as records are put, and
 * the secondary indexes of the customers, service points, metered
 * services, device locations, devices and subscriptions are dropped (the
 * UNIQUE ones on id stay), until enr_store_rebuild_search() builds them
 * once for all the records, as the service's loader does. A store closed
 * (or killed) in between makes the indexes and the search again when it
 * opens next. Reads in between are right but slower (no index).
 */
gboolean
enr_store_defer_search (EnrStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_store_begin (self, error))
    return FALSE;

  if (!set_search_stale (self, TRUE, error) || !defer_indexes (self, error))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  if (!_enr_store_commit (self, error))
    return FALSE;

  /* Every batch of a download dirties most leaf pages of the UNIQUE
   * indexes on id (its ids are random in them): checkpointed after each
   * batch (SQLite's default, 1,000 pages), each such page went to the
   * WAL and then to the database once per batch; checkpointed every
   * ENR_STORE_BULK_CHECKPOINT_PAGES, the database gets its last version once for
   * several batches. */
  if (!exec_sql (self, "PRAGMA wal_autocheckpoint = " G_STRINGIFY (ENR_STORE_BULK_CHECKPOINT_PAGES), error))
    return FALSE;

  self->search_deferred = TRUE;
  return TRUE;
}

/**
 * enr_store_rebuild_search:
 *
 * Makes the indexes enr_store_defer_search() dropped, then every
 * customer's search row, in one transaction, and keeps the search up to
 * date again from now on.
 */
gboolean
enr_store_rebuild_search (EnrStore  *self,
                          GError   **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (!self->rebuilding, FALSE);

  if (!rebuild_search_in (self, error) ||
      !exec_sql (self, "PRAGMA wal_autocheckpoint = " G_STRINGIFY (DEFAULT_CHECKPOINT_PAGES), error))
    return FALSE;

  self->search_deferred = FALSE;
  return TRUE;
}

/* The worker of enr_store_rebuild_search_async(): its own connection. */
static void
rebuild_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  EnrStore *owner = source_object;
  g_autoptr(EnrStore) worker = NULL;
  GError *error = NULL;

  if (!(worker = _enr_store_open_worker (task_data, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  worker->progress_target = &owner->rebuild_progress;
  if (!rebuild_search_in (worker, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  _enr_store_note_worker_cache (owner, worker);

  g_task_return_boolean (task, TRUE);
}

/**
 * enr_store_rebuild_search_async:
 *
 * What enr_store_rebuild_search() does, on a thread with a connection of
 * its own, so that the main loop runs meanwhile: reads see the store as
 * it was before (the indexes and the search come at once, when it
 * commits); writes fail at once with %ENR_STORE_ERROR_SQL until it ends
 * (it holds the database's write lock). enr_store_get_rebuild_progress()
 * tells how far it is. A process killed on the way makes the indexes and
 * the search again when the store opens next, as before.
 */
void
enr_store_rebuild_search_async (EnrStore            *self,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ENR_IS_STORE (self));
  g_return_if_fail (!self->rebuilding && !self->in_transaction);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, enr_store_rebuild_search_async);

  if (self->db == NULL || enr_db_in_transaction (self->db))
    {
      g_task_return_new_error (task, ENR_STORE_ERROR, ENR_STORE_ERROR_SQL,
                               "The local store cannot be written while it is being read");
      return;
    }

  self->rebuilding = TRUE;
  g_atomic_int_set (&self->rebuild_progress, 0);
  drop_stage (self);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, rebuild_thread);
}

/**
 * enr_store_rebuild_search_finish:
 *
 * Returns: whether the indexes and the search were built; the search is
 *   kept up to date again from now on either way, as after
 *   enr_store_rebuild_search()
 */
gboolean
enr_store_rebuild_search_finish (EnrStore      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == enr_store_rebuild_search_async, FALSE);

  ok = g_task_propagate_boolean (G_TASK (result), &local_error);

  if (self->rebuilding)
    {
      self->rebuilding = FALSE;
      g_atomic_int_set (&self->rebuild_progress, -1);
      /* The search this connection may have kept is of before. */
      drop_stage (self);
      if (ok && !exec_sql (self, "PRAGMA wal_autocheckpoint = " G_STRINGIFY (DEFAULT_CHECKPOINT_PAGES),
                           &local_error))
        ok = FALSE;
      if (ok)
        self->search_deferred = FALSE;
    }

  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return ok;
}

/**
 * enr_store_get_rebuild_progress:
 *
 * Returns: how far enr_store_rebuild_search_async() is, from 0 to 1, or
 *   -1 when none runs
 */
double
enr_store_get_rebuild_progress (EnrStore *self)
{
  gint thousandths;

  g_return_val_if_fail (ENR_IS_STORE (self), -1.0);

  thousandths = g_atomic_int_get (&self->rebuild_progress);
  return thousandths < 0 ? -1.0 : thousandths / 1000.0;
}

/* The indexes and the search rows, in one transaction on @self's
 * connection. */
static gboolean
rebuild_search_in (EnrStore  *self,
                   GError   **error)
{
  gint64 temp_store;
  gboolean ok;

  if (!sort_on_file (self, &temp_store, error))
    return FALSE;

  if (!_enr_store_begin (self, error))
    {
      sort_as_before (self, temp_store);
      return FALSE;
    }

  if (!restore_indexes (self, error) || !rebuild_all (self, error) ||
      !set_search_stale (self, FALSE, error))
    {
      _enr_store_rollback (self);
      sort_as_before (self, temp_store);
      return FALSE;
    }

  ok = _enr_store_commit (self, error);
  sort_as_before (self, temp_store);
  set_progress (self, 1000);
  return ok;
}

/* At open: a bulk load that did not finish left the search stale. */
gboolean
_enr_store_search_recover (EnrStore  *self,
                           GError   **error)
{
  EnrDbStmt *stmt;
  EnrDbStep rc;

  if (!(stmt = _enr_store_prepare (self, "SELECT 1 FROM meta WHERE key = ?1", error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, SEARCH_STALE_KEY);
  rc = _enr_store_step (self, stmt, error);
  enr_db_stmt_reset (stmt);
  if (rc != ENR_DB_STEP_ROW && rc != ENR_DB_STEP_DONE)
    return FALSE;

  return rc == ENR_DB_STEP_DONE || enr_store_rebuild_search (self, error);
}

gboolean
_enr_store_search_flush (EnrStore    *self,
                         GHashTable  *dirty,
                         GError     **error)
{
  GHashTableIter iter;
  const char *customer_id;

  g_hash_table_iter_init (&iter, dirty);
  while (g_hash_table_iter_next (&iter, (gpointer *) &customer_id, NULL))
    if (!reindex_customer (self, customer_id, error))
      return FALSE;

  g_hash_table_remove_all (dirty);
  return TRUE;
}

/* A row of a stage. In the lazy stage, its score is an upper bound of
 * the score its check gives until it is checked (a check only takes
 * matches away, and every column weight is positive). */
typedef enum
{
  CANDIDATE_UNCHECKED,
  CANDIDATE_PASSED,
  CANDIDATE_FAILED,
} CandidateState;

typedef struct
{
  gint64 seq;
  double score;
  guint  row;    /* the lazy stage's: its hits start at row * n_phrases */
  guint  state;  /* CandidateState */
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = a, *y = b;

  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;

  return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Runs @match, adding the rows the rank function accepts to @candidates;
 * with @phrases, the rank function checks the phrases the query cut.
 * Returns the number of rows FTS5 matched (at most the cap), or -1. */
static int
collect_candidates (EnrStore    *self,
                    const char  *match,
                    GArray      *phrases,
                    GArray      *candidates,
                    GError     **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT rowid, enr_rank (customer_fts");
  EnrDbStmt *stmt;
  guint n_args = phrases != NULL ? phrases->len : 0;
  int rows = 0;
  EnrDbStep rc;

  for (guint i = 0; i < n_args; i++)
    g_string_append_printf (sql, ", ?%u, ?%u", 2 * i + 3, 2 * i + 4);
  g_string_append (sql, ") FROM customer_fts WHERE customer_fts MATCH ?1 LIMIT ?2");

  if (!(stmt = _enr_store_prepare (self, sql->str, error)))
    return -1;

  enr_db_stmt_bind_text (stmt, 1, match);
  enr_db_stmt_bind_int64 (stmt, 2, ENR_STORE_SEARCH_CANDIDATES);
  for (guint i = 0; i < n_args; i++)
    {
      const Phrase *phrase = &g_array_index (phrases, Phrase, i);

      enr_db_stmt_bind_int64 (stmt, 2 * i + 3, phrase->word * 64 + phrase->alternative);
      if (phrase_is_cut (phrase, TRUE))
        enr_db_stmt_bind_text (stmt, 2 * i + 4, phrase->run);
    }

  while ((rc = _enr_store_step (self, stmt, error)) == ENR_DB_STEP_ROW)
    {
      rows++;
      if (!enr_db_stmt_column_is_null (stmt, 1))
        {
          Candidate candidate = {
            enr_db_stmt_column_int64 (stmt, 0),
            enr_db_stmt_column_double (stmt, 1),
            0,
            CANDIDATE_PASSED,
          };

          g_array_append_val (candidates, candidate);
        }
    }

  enr_db_stmt_reset (stmt);
  if (rc != ENR_DB_STEP_DONE)
    {
      return -1;
    }

  return rows;
}

/* The lazy stage: the first rows of the cut query, each ranked without
 * its check (Candidate.score a bound), with what each phrase matched.
 * Kept after a search (EnrStore.search_stage) with what its checks
 * were made for, for the next keystroke. */
typedef struct
{
  guint   n_phrases;
  int     rows;          /* rows FTS5 matched (at most the cap) */
  GArray *candidates;    /* Candidate */
  GArray *hits;          /* Hit: n_phrases per row */

  char   *match;         /* the cut query */
  char  **whole;         /* per phrase: the whole run the checks looked for */
  gint64  data_version;  /* PRAGMA data_version when it was made */
} LazyStage;

static void
free_whole (char  **whole,
            guint   n_phrases)
{
  if (whole == NULL)
    return;

  for (guint i = 0; i < n_phrases; i++)
    g_free (whole[i]);
  g_free (whole);
}

static void
lazy_stage_free (LazyStage *stage)
{
  g_array_unref (stage->candidates);
  g_array_unref (stage->hits);
  g_free (stage->match);
  free_whole (stage->whole, stage->n_phrases);
  g_free (stage);
}

/* The search index changed: the kept stage no longer holds. */
static void
drop_stage (EnrStore *self)
{
  g_clear_pointer ((LazyStage **) &self->search_stage, lazy_stage_free);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LazyStage, lazy_stage_free)

static LazyStage *
run_lazy_stage (EnrStore    *self,
                const char  *match,
                guint        n_phrases,
                GError     **error)
{
  g_autoptr(LazyStage) stage = g_new0 (LazyStage, 1);
  EnrDbStmt *stmt;
  EnrDbStep rc;

  stage->n_phrases = n_phrases;
  stage->candidates = g_array_sized_new (FALSE, FALSE, sizeof (Candidate), ENR_STORE_SEARCH_CANDIDATES);
  stage->hits = g_array_new (FALSE, TRUE, sizeof (Hit));

  if (!(stmt = _enr_store_prepare (self,
                                   "SELECT rowid, enr_hits (customer_fts) FROM customer_fts"
                                   " WHERE customer_fts MATCH ?1 LIMIT ?2",
                                   error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, match);
  enr_db_stmt_bind_int64 (stmt, 2, ENR_STORE_SEARCH_CANDIDATES);

  while ((rc = _enr_store_step (self, stmt, error)) == ENR_DB_STEP_ROW)
    {
      g_autoptr(GBytes) blob = enr_db_stmt_column_blob (stmt, 1);
      Candidate candidate = {
        enr_db_stmt_column_int64 (stmt, 0),
        0,
        stage->candidates->len,
        CANDIDATE_UNCHECKED,
      };
      Hit *hits;
      gsize size;
      gconstpointer data = g_bytes_get_data (blob, &size);

      g_array_set_size (stage->hits, stage->hits->len + n_phrases);
      hits = &g_array_index (stage->hits, Hit, candidate.row * n_phrases);
      if (data != NULL)
        memcpy (hits, data, MIN (size, n_phrases * sizeof (Hit)));
      candidate.score = hits_score (hits, n_phrases);
      g_array_append_val (stage->candidates, candidate);
    }

  enr_db_stmt_reset (stmt);
  if (rc != ENR_DB_STEP_DONE)
    return NULL;

  stage->rows = (int) stage->candidates->len;
  self->search_counts.lazy_stages++;
  self->search_counts.ranked += stage->candidates->len;
  return g_steal_pointer (&stage);
}

/* Every word needs one alternative whose phrases all matched. */
static gboolean
words_matched (GArray    *phrases,
               const Hit *hits)
{
  guint i = 0;

  while (i < phrases->len)
    {
      guint word = g_array_index (phrases, Phrase, i).word;
      gboolean word_ok = FALSE;

      while (i < phrases->len && g_array_index (phrases, Phrase, i).word == word)
        {
          guint alternative = g_array_index (phrases, Phrase, i).alternative;
          gboolean alternative_ok = TRUE;

          while (i < phrases->len &&
                 g_array_index (phrases, Phrase, i).word == word &&
                 g_array_index (phrases, Phrase, i).alternative == alternative)
            alternative_ok &= hits[i++].columns != 0;
          word_ok |= alternative_ok;
        }

      if (!word_ok)
        return FALSE;
    }

  return TRUE;
}

/* The search index's tokenizer, outside FTS5 queries: the checks tokenize
 * what they read from customer_fts_content with it. */
static gboolean
ensure_tokenizer (EnrStore  *self,
                  GError   **error)
{
  if (self->search_tokenizer != NULL)
    return TRUE;

  /* customer_fts's "tokenize" option (enr-store-schema.c) */
  self->search_tokenizer = enr_db_sqlite_tokenizer_new (_enr_store_get_db (self), "unicode61",
                                                        (const char *[]) { "remove_diacritics", "2" },
                                                        2, NULL);
  if (self->search_tokenizer == NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("This SQLite library has no full-text search (FTS5)"));
      return FALSE;
    }

  return TRUE;
}

static GPtrArray *
tokenize_text (EnrStore   *self,
               const char *text,
               gsize       length)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);

  enr_db_sqlite_tokenizer_tokenize (self->search_tokenizer, FTS5_TOKENIZE_AUX,
                                    text, length, collect_token_cb, tokens);

  return tokens;
}

/* What the checks of one search share. */
typedef struct
{
  EnrStore   *store;
  GArray     *phrases;
  LazyStage  *stage;
  char      **whole;    /* per phrase: its whole run as a token, when cut */
  gsize      *whole_length;
  EnrDbStmt  *content;  /* a row of customer_fts_content */
} Checker;

/* Per phrase: the token its whole run makes, when the query cut it (and
 * it makes one token). */
static char **
make_whole (EnrStore *self,
            GArray   *phrases)
{
  char **whole = g_new0 (char *, phrases->len);

  for (guint i = 0; i < phrases->len; i++)
    {
      const Phrase *phrase = &g_array_index (phrases, Phrase, i);

      if (phrase_is_cut (phrase, TRUE))
        {
          g_autoptr(GPtrArray) tokens = tokenize_text (self, phrase->run, strlen (phrase->run));

          if (tokens->len == 1)
            whole[i] = g_strdup (g_ptr_array_index (tokens, 0));
        }
    }

  return whole;
}

/* One column of a row scanned for the whole runs of the phrases that
 * look in it, token by token, without copying the tokens. */
typedef struct
{
  char       **whole;
  const gsize *whole_length;
  const Hit   *was;       /* the unchecked hits: which phrases look here */
  Hit         *checked;
  guint        n_phrases;
  int          column;
  int          offset;
} ColumnScan;

static int
scan_token_cb (void       *user_data,
               int         flags,
               const char *token,
               int         n_token,
               int         start,
               int         end)
{
  ColumnScan *scan = user_data;

  if ((flags & FTS5_TOKEN_COLOCATED) != 0)
    return SQLITE_OK;

  for (guint i = 0; i < scan->n_phrases; i++)
    if (scan->whole[i] != NULL && (scan->was[i].columns & (1u << scan->column)) != 0 &&
        (gsize) n_token >= scan->whole_length[i] &&
        memcmp (token, scan->whole[i], scan->whole_length[i]) == 0)
      hit_add (&scan->checked[i], scan->column, scan->offset);

  scan->offset++;
  return SQLITE_OK;
}

/* The check of one candidate: each cut phrase counts only the tokens that
 * start with its whole run, in the columns its cut prefix matched in, read
 * straight from the content table; then every word must still match. */
static gboolean
check_candidate (Checker    *checker,
                 Candidate  *candidate,
                 GError    **error)
{
  EnrStore *self = checker->store;
  guint n_phrases = checker->stage->n_phrases;
  Hit *hits = &g_array_index (checker->stage->hits, Hit, candidate->row * n_phrases);
  Hit checked[MAX_PHRASES] = { { 0 } };
  ColumnScan scan = { checker->whole, checker->whole_length, hits, checked, MIN (n_phrases, MAX_PHRASES), 0, 0 };
  EnrDbStep rc = ENR_DB_STEP_ROW;
  guint wanted = 0;

  self->search_counts.checked++;
  for (guint i = 0; i < scan.n_phrases; i++)
    if (checker->whole[i] != NULL)
      wanted |= hits[i].columns;

  if (wanted != 0)
    {
      enr_db_stmt_bind_int64 (checker->content, 1, candidate->seq);
      rc = _enr_store_step (self, checker->content, error);
      for (guint column = 0; column < G_N_ELEMENTS (column_weights) && rc == ENR_DB_STEP_ROW; column++)
        {
          const char *text;

          if ((wanted & (1u << column)) == 0 ||
              !(text = enr_db_stmt_column_text (checker->content, (int) column)))
            continue;

          scan.column = (int) column;
          scan.offset = 0;
          enr_db_sqlite_tokenizer_tokenize (self->search_tokenizer, FTS5_TOKENIZE_AUX, text,
                                            enr_db_stmt_column_length (checker->content, (int) column),
                                            scan_token_cb, &scan);
        }
      enr_db_stmt_reset (checker->content);

      for (guint i = 0; i < scan.n_phrases; i++)
        if (checker->whole[i] != NULL)
          hits[i] = checked[i];
    }

  if (rc == ENR_DB_STEP_ERROR)
    return FALSE;

  /* (No content row: the row is not there to show.) */
  if (rc == ENR_DB_STEP_ROW && words_matched (checker->phrases, hits))
    {
      candidate->state = CANDIDATE_PASSED;
      candidate->score = hits_score (hits, n_phrases);
    }
  else
    {
      candidate->state = CANDIDATE_FAILED;
    }

  return TRUE;
}

/* Checks the stage's candidates (sorted best bound first) from *@next on,
 * adding those that pass to @passed (kept sorted), until the first @n
 * passed are known: no candidate left can rank before the @n-th. */
static gboolean
check_until (Checker  *checker,
             guint    *next,
             GArray   *passed,
             guint     n,
             GError  **error)
{
  GArray *candidates = checker->stage->candidates;

  while (*next < candidates->len)
    {
      Candidate *candidate = &g_array_index (candidates, Candidate, *next);
      guint low = 0, high = passed->len;

      if (passed->len >= n &&
          compare_candidates (candidate, &g_array_index (passed, Candidate, n - 1)) > 0)
        break;

      if (candidate->state == CANDIDATE_UNCHECKED &&
          !check_candidate (checker, candidate, error))
        return FALSE;
      (*next)++;
      if (candidate->state != CANDIDATE_PASSED)
        continue;

      while (low < high)
        {
          guint middle = (low + high) / 2;

          if (compare_candidates (&g_array_index (passed, Candidate, middle), candidate) < 0)
            low = middle + 1;
          else
            high = middle;
        }
      g_array_insert_val (passed, low, *candidate);
    }

  return TRUE;
}

/* A shown customer's members, read by SQLite from its JSON (one parse
 * for all of them), and whether each member the codec reads is a string
 * or absent: then they are the customer's properties as the codec would
 * set them, without json-glib's parser and the codec's generic decoding.
 * Any other record (not JSON, a member of another type) goes through the
 * codec, with its errors. */
#define CUSTOMER_SQL \
  "SELECT json_extract (j, '$.id'), json_extract (j, '$.name')," \
  " json_extract (j, '$.account_id'), json_extract (j, '$.phone')," \
  " json_extract (j, '$.email'), json_extract (j, '$.mailing_address')," \
  " json_type (j, '$.id') IS 'text' AND json_type (j, '$.name') IS 'text'" \
  " AND json_type (j, '$.account_id') IS 'text'" \
  " AND ifnull (json_type (j, '$.phone'), 'null') IN ('text', 'null')" \
  " AND ifnull (json_type (j, '$.email'), 'null') IN ('text', 'null')" \
  " AND ifnull (json_type (j, '$.mailing_address'), 'null') IN ('text', 'null')," \
  " json" \
  " FROM (SELECT iif (json_valid (json), json, '{}') AS j, json FROM customers WHERE seq = ?1)"

enum { COLUMN_ID, COLUMN_NAME, COLUMN_ACCOUNT_ID, COLUMN_PHONE, COLUMN_EMAIL, COLUMN_MAILING_ADDRESS,
       COLUMN_PLAIN, COLUMN_JSON };

/* A member read as text: NULL when absent or null; FALSE when the codec
 * would refuse it (empty when required, too long, not UTF-8). */
static gboolean
plain_member (EnrDbStmt    *stmt,
              int           column,
              gboolean      required,
              const char  **text)
{
  gsize length;

  *text = NULL;
  if (enr_db_stmt_column_is_null (stmt, column))
    return !required;

  *text = enr_db_stmt_column_text (stmt, column);
  length = enr_db_stmt_column_length (stmt, column);
  return (!required || length > 0) && length <= ENR_JSON_MAX_STRING &&
         memchr (*text, '\0', length) == NULL && g_utf8_validate (*text, length, NULL);
}

static EnrCustomer *
plain_customer (EnrDbStmt *stmt)
{
  const char *id, *name, *account_id, *phone, *email, *mailing_address;
  EnrCustomer *customer;

  if (enr_db_stmt_column_int64 (stmt, COLUMN_PLAIN) == 0 ||
      !plain_member (stmt, COLUMN_ID, TRUE, &id) ||
      !plain_member (stmt, COLUMN_NAME, TRUE, &name) ||
      !plain_member (stmt, COLUMN_ACCOUNT_ID, TRUE, &account_id) ||
      !plain_member (stmt, COLUMN_PHONE, FALSE, &phone) ||
      !plain_member (stmt, COLUMN_EMAIL, FALSE, &email) ||
      !plain_member (stmt, COLUMN_MAILING_ADDRESS, FALSE, &mailing_address))
    return NULL;

  customer = enr_customer_new ();
  enr_entity_set_id (ENR_ENTITY (customer), id);
  enr_customer_set_name (customer, name);
  enr_customer_set_account_id (customer, account_id);
  enr_customer_set_phone (customer, phone);
  enr_customer_set_email (customer, email);
  enr_customer_set_mailing_address (customer, mailing_address);
  return customer;
}

/* Adds the customer of @seq to @customers (none when it is gone); @stmt
 * is CUSTOMER_SQL. */
static gboolean
add_customer (EnrStore    *self,
              EnrDbStmt   *stmt,
              gint64       seq,
              GPtrArray   *customers,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  EnrCustomer *customer;
  EnrDbStep rc;

  enr_db_stmt_bind_int64 (stmt, 1, seq);
  rc = _enr_store_step (self, stmt, error);
  if (rc == ENR_DB_STEP_DONE)
    {
      enr_db_stmt_reset (stmt);
      return TRUE;
    }
  if (rc != ENR_DB_STEP_ROW)
    {
      enr_db_stmt_reset (stmt);
      return FALSE;
    }

  customer = plain_customer (stmt);
  if (customer == NULL)
    customer = enr_codec_decode_data (ENR_TYPE_CUSTOMER,
                                      enr_db_stmt_column_text (stmt, COLUMN_JSON),
                                      enr_db_stmt_column_length (stmt, COLUMN_JSON),
                                      &local_error);
  enr_db_stmt_reset (stmt);
  if (customer == NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE,
                   _("A stored record could not be read: %s"), local_error->message);
      return FALSE;
    }

  g_ptr_array_add (customers, customer);
  return TRUE;
}

/* The rows of @match, best first, up to @limit customers. With @phrases,
 * @match is the cut query, the rank function checks every row, and when
 * too few pass among too many rows, @exact runs instead. */
static gboolean
search_ranked (EnrStore    *self,
               const char  *match,
               GArray      *phrases,
               const char  *exact,
               guint        limit,
               GPtrArray   *customers,
               GError     **error)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  EnrDbStmt *stmt;
  int rows;

  if ((rows = collect_candidates (self, match, phrases, candidates, error)) < 0)
    return FALSE;

  /* Too few rows passed among too many candidates: the exact query. */
  if (phrases != NULL && candidates->len < limit && rows >= ENR_STORE_SEARCH_CANDIDATES)
    return search_ranked (self, exact, NULL, NULL, limit, customers, error);

  g_array_sort (candidates, compare_candidates);
  if (!(stmt = _enr_store_prepare (self, CUSTOMER_SQL, error)))
    return FALSE;

  for (guint i = 0; i < candidates->len && customers->len < limit; i++)
    if (!add_customer (self, stmt, g_array_index (candidates, Candidate, i).seq, customers, error))
      return FALSE;

  return TRUE;
}

/* The kept stage, when the cut query is the same and every phrase only
 * grew since its checks (so a row that failed fails again, and a checked
 * score bounds the new one), and nothing was written since. */
static LazyStage *
take_kept_stage (EnrStore    *self,
                 const char  *lazy,
                 guint        n_phrases,
                 char       **whole,
                 gint64       data_version)
{
  g_autoptr(LazyStage) stage = g_steal_pointer ((LazyStage **) &self->search_stage);
  guint kept = 0;

  if (stage == NULL || stage->data_version != data_version ||
      stage->n_phrases != n_phrases || g_strcmp0 (stage->match, lazy) != 0)
    return NULL;

  for (guint i = 0; i < n_phrases; i++)
    if (stage->whole[i] != NULL &&
        (whole[i] == NULL || !g_str_has_prefix (whole[i], stage->whole[i])))
      return NULL;

  /* The rows that failed are dropped; those that passed are checked
   * again, from their checked score and columns. */
  for (guint i = 0; i < stage->candidates->len; i++)
    {
      Candidate *candidate = &g_array_index (stage->candidates, Candidate, i);

      if (candidate->state == CANDIDATE_FAILED)
        continue;
      candidate->state = CANDIDATE_UNCHECKED;
      g_array_index (stage->candidates, Candidate, kept++) = *candidate;
    }
  g_array_set_size (stage->candidates, kept);

  self->search_counts.kept_stages++;
  return g_steal_pointer (&stage);
}

/* The cut query: every candidate ranked without its check, then checked
 * best bound first, only as far as the rows shown need. With @keep (the
 * search's own read transaction), the stage is kept for the next
 * keystroke, and the last one's reused when it can be. */
static gboolean
search_lazy (EnrStore    *self,
             GArray      *phrases,
             const char  *lazy,
             const char  *exact,
             guint        limit,
             gboolean     keep,
             gint64       data_version,
             GPtrArray   *customers,
             GError     **error)
{
  g_autoptr(LazyStage) stage = NULL;
  g_autoptr(GArray) passed = g_array_new (FALSE, FALSE, sizeof (Candidate));
  Checker checker = { NULL };
  EnrDbStmt *stmt;
  char **whole = NULL;
  guint next = 0;
  gboolean ok = FALSE;

  if (!ensure_tokenizer (self, error))
    return FALSE;
  whole = make_whole (self, phrases);

  if (keep)
    stage = take_kept_stage (self, lazy, phrases->len, whole, data_version);
  if (stage == NULL)
    {
      if (!(stage = run_lazy_stage (self, lazy, phrases->len, error)))
        goto out;
      if (g_strcmp0 (lazy, exact) == 0)
        self->search_counts.whole_stages++;
    }
  g_array_sort (stage->candidates, compare_candidates);

  checker.store = self;
  checker.phrases = phrases;
  checker.stage = stage;
  checker.whole = whole;
  checker.whole_length = g_new0 (gsize, phrases->len);
  for (guint i = 0; i < phrases->len; i++)
    checker.whole_length[i] = whole[i] != NULL ? strlen (whole[i]) : 0;
  if (!(checker.content = _enr_store_prepare (self,
                                              "SELECT c0, c1, c2, c3, c4, c5"
                                              " FROM customer_fts_content WHERE id = ?1",
                                              error)) ||
      !check_until (&checker, &next, passed, limit, error))
    goto out;

  /* Too few rows passed among too many candidates: the exact query. */
  if (passed->len < limit && stage->rows >= ENR_STORE_SEARCH_CANDIDATES)
    {
      self->search_counts.exact_queries++;
      ok = search_ranked (self, exact, NULL, NULL, limit, customers, error);
      goto out;
    }

  if (!(stmt = _enr_store_prepare (self, CUSTOMER_SQL, error)))
    goto out;

  for (guint i = 0; customers->len < limit; i++)
    {
      if (!check_until (&checker, &next, passed, i + 1, error))
        goto out;
      if (i >= passed->len)
        break;
      if (!add_customer (self, stmt, g_array_index (passed, Candidate, i).seq, customers, error))
        goto out;
    }
  ok = TRUE;

out:
  if (ok && keep)
    {
      g_free (stage->match);
      stage->match = g_strdup (lazy);
      free_whole (stage->whole, stage->n_phrases);
      stage->whole = g_steal_pointer (&whole);
      stage->data_version = data_version;
      self->search_stage = g_steal_pointer (&stage);
    }
  free_whole (whole, phrases->len);
  g_free (checker.whole_length);
  return ok;
}

/* PRAGMA data_version: changes when another connection commits. */
static gboolean
read_data_version (EnrStore *self,
                   gint64   *version)
{
  EnrDbStmt *stmt = _enr_store_prepare (self, "PRAGMA data_version", NULL);
  EnrDbStep rc;

  if (stmt == NULL)
    return FALSE;

  rc = _enr_store_step (self, stmt, NULL);
  if (rc == ENR_DB_STEP_ROW)
    *version = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);
  return rc == ENR_DB_STEP_ROW;
}

static GPtrArray *
search_customers (EnrStore    *self,
                  const char  *text,
                  guint        limit,
                  gboolean     check_all,
                  GError     **error)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) phrases = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *lazy = NULL;
  gint64 data_version = 0;
  gboolean began, keep, ok;

  phrases = query_parse (text);
  if (limit == 0 || !(exact = query_render (phrases, FALSE)))
    return g_steal_pointer (&customers);
  lazy = query_render (phrases, TRUE);

  /* One read transaction for the stages and the rows. */
  began = !enr_db_in_transaction (self->db) && enr_db_begin_read (self->db, NULL);
  /* The stage is kept only from the search's own transaction: what it read
   * was committed; this connection's writes to the index drop it, and
   * data_version tells another connection's commits. */
  keep = began && read_data_version (self, &data_version);

  /* A query nothing was cut from makes a stage too when it can be kept:
   * its rows are those of the next keystroke's cut query ("john" after
   * "joh"), whose checks then start from them. */
  if (g_strcmp0 (lazy, exact) == 0 && (check_all || !keep))
    ok = search_ranked (self, exact, NULL, NULL, limit, customers, error);
  else if (check_all)
    ok = search_ranked (self, lazy, phrases, exact, limit, customers, error);
  else
    ok = search_lazy (self, phrases, lazy, exact, limit, keep, data_version, customers, error);

  if (began)
    {
      if (ok)
        enr_db_commit (self->db, NULL);
      else
        enr_db_rollback (self->db);
    }

  return ok ? g_steal_pointer (&customers) : NULL;
}

/**
 * enr_store_search_customers:
 * @text: what the user typed; any text is accepted
 * @limit: the most customers to return
 *
 * Search-as-you-type over name, account id, phone (in any formatting),
 * email and addresses: every word is a prefix, all words must match.
 *
 * Returns: (transfer full) (element-type EnrCustomer): the best matches,
 *   best first; empty when @text holds no letter or digit
 */
GPtrArray *
enr_store_search_customers (EnrStore    *self,
                            const char  *text,
                            guint        limit,
                            GError     **error)
{
  GPtrArray *customers;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _enr_store_read_ahead_hold (self);
  customers = search_customers (self, text, limit, FALSE, error);
  _enr_store_read_ahead_release (self);

  return customers;
}

/*
 * _enr_store_search_customers_checking_all:
 *
 * As enr_store_search_customers(), the way it was before the checks went
 * best bound first: the rank function checks every candidate of the cut
 * query. The reference the tests compare the search with.
 */
GPtrArray *
_enr_store_search_customers_checking_all (EnrStore    *self,
                                          const char  *text,
                                          guint        limit,
                                          GError     **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);

  return search_customers (self, text, limit, TRUE, error);
}

/* At finalize. */
void
_enr_store_search_free (EnrStore *self)
{
  drop_stage (self);
  g_clear_pointer (&self->search_tokenizer, enr_db_sqlite_tokenizer_free);
}

/* enr-sync-engine-download.c — the first download: reference data, shifts,
 * appointments, customers and tasks, then the cursor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-sync-engine-private.h"

#define MAX_PAGE            100000   /* the service's largest page number */

/* The progress: the customers, then their indexes and search (about a
 * fifth of their time at 1,000,000), then the tasks. */
#define CUSTOMERS_FROM 0.05
#define SEARCH_FROM    0.70
#define SEARCH_TO      0.80

typedef gboolean (*PagerStoreFunc) (Cycle      *cycle,
                                    GPtrArray  *items,
                                    GError    **error);
typedef void     (*CycleStep)      (Cycle      *cycle);

struct _Pager
{
  Cycle          *cycle;
  char           *path;
  GType           type;
  PagerStoreFunc  store;
  CycleStep       next;
  double          from;
  double          to;
  gboolean        probing;
  guint           lo;
  guint           hi;
  guint           last;
  GHashTable     *fetched;
  guint           next_page;
  guint           in_flight;
  gboolean        failed;
};

static void pager_fill (Pager *pager);

static gboolean
put_if_any (EnrStore   *store,
            GType       type,
            GPtrArray  *objects,
            GError    **error)
{
  if (objects == NULL || objects->len == 0)
    return TRUE;

  return enr_store_put (store, type, objects, error);
}

/* Pager: downloads a paged list, a few pages at a time. The number of
 * pages is found first by probing (doubling, then bisecting), which keeps
 * the progress honest; probed pages are stored like the others. */

static void
pager_free (Pager *pager)
{
  g_free (pager->path);
  g_clear_pointer (&pager->fetched, g_hash_table_unref);
  g_free (pager);
}

static void
pager_end (Pager *pager)
{
  Cycle *cycle = pager->cycle;
  CycleStep next = pager->next;
  gboolean failed = pager->failed;

  cycle->pager = NULL;
  pager_free (pager);

  if (failed || cycle->error != NULL)
    _enr_sync_cycle_finish (cycle);
  else
    next (cycle);
}

static void
pager_progress (Pager *pager)
{
  double fraction;

  if (pager->probing || pager->last == 0)
    return;

  fraction = (double) g_hash_table_size (pager->fetched) / (double) pager->last;
  _enr_sync_engine_set_progress (pager->cycle->engine,
                                 pager->from + (pager->to - pager->from) * MIN (fraction, 1.0));
}

static void on_page_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data);

static void
pager_request (Pager *pager,
               guint  page)
{
  Cycle *cycle = pager->cycle;

  pager->in_flight++;
  enr_api_client_get_page_async (cycle->engine->client, pager->path, pager->type, page,
                                 ENR_SYNC_PAGE_SIZE, cycle->cancellable, on_page_cb, pager);
}

static void
pager_probe_next (Pager *pager)
{
  guint page;

  if (pager->hi != 0 && pager->hi - pager->lo <= 1)
    {
      pager->last = pager->lo;
      pager->probing = FALSE;
      pager->next_page = 1;
      pager_fill (pager);
      return;
    }

  if (pager->hi == 0)
    {
      if (pager->lo >= MAX_PAGE)
        {
          pager->last = MAX_PAGE;
          pager->probing = FALSE;
          pager->next_page = 1;
          pager_fill (pager);
          return;
        }
      page = MIN (MAX (pager->lo * 2, 1), MAX_PAGE);
    }
  else
    page = pager->lo + (pager->hi - pager->lo) / 2;

  pager_request (pager, page);
}

static void
pager_fill (Pager *pager)
{
  while (!pager->failed && pager->cycle->error == NULL &&
         pager->in_flight < pager->cycle->engine->max_in_flight &&
         pager->next_page <= pager->last)
    {
      guint page = pager->next_page++;

      if (g_hash_table_contains (pager->fetched, GUINT_TO_POINTER (page)))
        continue;

      pager_request (pager, page);
    }

  pager_progress (pager);

  if (pager->in_flight == 0 && (pager->failed || pager->cycle->error != NULL ||
                                pager->next_page > pager->last))
    pager_end (pager);
}

static void
on_page_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pager *pager = user_data;
  Cycle *cycle = pager->cycle;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiPage) page = NULL;
  GError *error = NULL;

  pager->in_flight--;

  page = enr_api_client_get_page_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
  if (page == NULL)
    {
      _enr_sync_cycle_note_problem (cycle, problem);
      _enr_sync_cycle_set_error (cycle, error);
      pager->failed = TRUE;
      if (pager->in_flight == 0)
        pager_end (pager);
      return;
    }

  if (pager->failed || cycle->error != NULL)
    {
      if (pager->in_flight == 0)
        pager_end (pager);
      return;
    }

  if (page->items->len > 0)
    {
      if (!pager->store (cycle, page->items, &error))
        {
          _enr_sync_cycle_set_error (cycle, error);
          pager->failed = TRUE;
          if (pager->in_flight == 0)
            pager_end (pager);
          return;
        }
      g_hash_table_add (pager->fetched, GUINT_TO_POINTER (page->page));
    }

  if (pager->probing)
    {
      if (page->items->len > 0)
        {
          pager->lo = MAX (pager->lo, page->page);
          if (!page->more)
            pager->hi = pager->lo + 1;
        }
      else
        pager->hi = pager->hi == 0 ? page->page : MIN (pager->hi, page->page);

      if (pager->hi != 0 && pager->hi <= pager->lo)
        pager->hi = pager->lo + 1;

      pager_probe_next (pager);
      return;
    }

  /* The list grew while it was read. */
  if (page->page == pager->last && page->more && pager->last < MAX_PAGE)
    pager->last++;

  pager_fill (pager);
}

static void
pager_start (Cycle          *cycle,
             const char     *path,
             GType           type,
             PagerStoreFunc  store,
             double          from,
             double          to,
             CycleStep       next)
{
  Pager *pager = g_new0 (Pager, 1);

  pager->cycle = cycle;
  pager->path = g_strdup (path);
  pager->type = type;
  pager->store = store;
  pager->next = next;
  pager->from = from;
  pager->to = to;
  pager->probing = TRUE;
  pager->fetched = g_hash_table_new (NULL, NULL);
  cycle->pager = pager;

  _enr_sync_engine_set_progress (cycle->engine, from);
  pager_probe_next (pager);
}

/* Download */

static void
download_finish (Cycle *cycle)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *head = g_strdup_printf ("%" G_GINT64_FORMAT, cycle->head);
  GError *error = NULL;

  if (!enr_store_apply_changes (cycle->engine->store, none, head, &error))
    {
      _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }

  cycle->downloaded = TRUE;
  _enr_sync_engine_set_progress (cycle->engine, 1.0);
  _enr_sync_pull_start (cycle, cycle->head);
}

/* The tasks the user may see (a clerk's own, all for a supervisor). The
 * customers around them came with the export pages, so nothing more is
 * fetched per customer. */
static gboolean
store_tasks (Cycle      *cycle,
             GPtrArray  *items,
             GError    **error)
{
  g_autoptr(GPtrArray) changes = _enr_sync_changes_from_objects (ENR_TYPE_SERVICE_TASK, items);

  /* The cursor stays as it is until everything is downloaded: a failure
   * on the way makes the next cycle download again. */
  return enr_store_apply_changes (cycle->engine->store, changes, NULL, error);
}

static void
tasks_start (Cycle *cycle)
{
  pager_start (cycle, "/v1/service-tasks", ENR_TYPE_SERVICE_TASK, store_tasks, SEARCH_TO, 1.0, download_finish);
}

/* Customers with their metered services, service points, device
 * locations, devices and subscriptions: the bulk of a first download,
 * stored the way the service loads a data set. Keyset pages of the
 * service's largest size are gathered into batches of about
 * ENR_SYNC_DEFAULT_DOWNLOAD_BATCH customers (see
 * enr_sync_engine_set_download_batch()), and each batch is one
 * transaction together with where the download goes on after it (the
 * resume point):
 * few transactions and fsyncs instead of one per page, and a client
 * killed on the way goes on from its last batch, storing nothing twice.
 * A batch is written by the store's writer thread with a connection of
 * its own (enr_store_bulk_writer_put_async()) while the main loop asks
 * for, reads and decodes the next pages: the service builds them and
 * the client takes them in while the client writes. Memory holds the
 * batch being written, the next one and a page. The download's count
 * is of the customers committed.
 * The customers' search is built once after the last batch, as the
 * service's loader and the client's importer do
 * (enr_store_defer_search()), not kept up to date customer by customer,
 * with the indexes deferred with it, by the store's worker thread: the
 * main loop (requests, the progress) runs meanwhile; a download that
 * fails on the way builds it for what it stored, and a store killed on
 * the way builds it when it opens next. */

#define EXPORT_PAGE_SIZE       500    /* the service's largest export page */

static const GType *
export_types (void)
{
  static GType types[6];

  if (types[0] == 0)
    {
      types[0] = ENR_TYPE_CUSTOMER;
      types[1] = ENR_TYPE_SERVICE_POINT;
      types[2] = ENR_TYPE_METERED_SERVICE;
      types[3] = ENR_TYPE_DEVICE_LOCATION;
      types[4] = ENR_TYPE_DEVICE;
      types[5] = ENR_TYPE_PROGRAM_SUBSCRIPTION;
    }

  return types;
}

/* The resume point: "c HEAD DONE AFTER" (customers go on after the
 * cursor AFTER, DONE of them stored) or "t HEAD DONE" (the customers are
 * all stored; the tasks are next). HEAD is where the change log stood
 * when the download began: the pull after it starts there, so that the
 * changes to customers stored before an interruption are not missed. */
static char *
resume_format (Cycle *cycle)
{
  if (cycle->export_after != NULL)
    return g_strdup_printf ("c %" G_GINT64_FORMAT " %u %s", cycle->head, cycle->export_done,
                            cycle->export_after);

  return g_strdup_printf ("t %" G_GINT64_FORMAT " %u", cycle->head, cycle->export_done);
}

static gboolean
resume_parse (Cycle      *cycle,
              const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, " ", 4);
  guint n = g_strv_length (parts);
  gint64 head;
  guint64 done;

  if (n < 3 || (!g_str_equal (parts[0], "c") && !g_str_equal (parts[0], "t")) ||
      !g_ascii_string_to_signed (parts[1], 10, 0, G_MAXINT64, &head, NULL) ||
      !g_ascii_string_to_unsigned (parts[2], 10, 0, G_MAXUINT, &done, NULL) ||
      (g_str_equal (parts[0], "c") && (n != 4 || parts[3][0] == '\0')) ||
      (g_str_equal (parts[0], "t") && n != 3))
    return FALSE;

  cycle->resume_tasks = g_str_equal (parts[0], "t");
  cycle->resume_head = head;
  cycle->resume_done = done;
  g_free (cycle->resume_after);
  cycle->resume_after = cycle->resume_tasks ? NULL : g_strdup (parts[3]);
  return TRUE;
}

static void on_export_written_cb (GObject      *source_object,
                                  GAsyncResult *result,
                                  gpointer      user_data);

/* The batch gathered so far goes to the store's writer thread, with the
 * resume point after it; the next one is gathered meanwhile. */
static void
export_write (Cycle *cycle)
{
  g_autofree char *resume = resume_format (cycle);
  GPtrArray *lists[6];
  GPtrArray *rows[6];

  G_STATIC_ASSERT (G_N_ELEMENTS (cycle->export_batch) == 6);
  G_STATIC_ASSERT (G_N_ELEMENTS (cycle->export_rows) == 6);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      lists[i] = g_steal_pointer (&cycle->export_batch[i]);
      rows[i] = g_steal_pointer (&cycle->export_rows[i]);
      cycle->export_batch[i] = g_ptr_array_new_with_free_func (g_object_unref);
      cycle->export_rows[i] = g_ptr_array_new_with_free_func (g_free);
    }
  cycle->export_batched = 0;
  cycle->export_writing = TRUE;
  cycle->export_writing_done = cycle->export_done;

  enr_store_bulk_writer_put_async (cycle->writer, export_types (), lists, rows, G_N_ELEMENTS (lists),
                                   resume, on_export_written_cb, cycle);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_ptr_array_unref (lists[i]);
      g_ptr_array_unref (rows[i]);
    }
}

/* The customers stored (committed), not only received. */
static void
export_progress (Cycle *cycle)
{
  EnrSyncEngine *self = cycle->engine;

  if (cycle->export_total == 0)
    return;

  _enr_sync_engine_set_download_count (self, cycle->export_stored, cycle->export_total);
  _enr_sync_engine_set_progress (self, CUSTOMERS_FROM + (SEARCH_FROM - CUSTOMERS_FROM) *
                                       MIN ((double) cycle->export_stored / (double) cycle->export_total, 1.0));
}

/* After the customers and their search: the tasks. */
static void
customers_end (Cycle *cycle)
{
  GError *error = NULL;

  if (cycle->error == NULL && g_cancellable_set_error_if_cancelled (cycle->cancellable, &error))
    _enr_sync_cycle_set_error (cycle, error);
  if (cycle->error != NULL)
    {
      _enr_sync_cycle_finish (cycle);
      return;
    }

  _enr_sync_engine_set_download_count (cycle->engine, 0, 0);
  tasks_start (cycle);
}

static void export_request (Cycle *cycle);

/* What comes next: the next page asked for (unless a batch is being
 * written and another is gathered already: memory holds two batches and
 * a page at most), a full batch (or the last) written, or, with every
 * customer stored, the writer closed and the search built. */
static void
export_continue (Cycle *cycle)
{
  gboolean full = cycle->export_batched >= cycle->engine->download_batch;

  if (cycle->export_after != NULL && !cycle->export_in_flight && !(cycle->export_writing && full))
    export_request (cycle);

  if (cycle->export_writing)
    return;

  if (cycle->export_batched > 0 && (cycle->export_after == NULL || full))
    {
      export_write (cycle);
      return;
    }

  if (cycle->export_after == NULL && !cycle->export_in_flight)
    {
      g_clear_pointer (&cycle->writer, enr_store_bulk_writer_free);
      if (!_enr_sync_download_end_search (cycle, customers_end))
        customers_end (cycle);
    }
}

static void
on_export_written_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Cycle *cycle = user_data;
  GError *error = NULL;

  cycle->export_writing = FALSE;

  if (enr_store_bulk_writer_put_finish (cycle->writer, result, &error))
    {
      cycle->export_stored = cycle->export_writing_done;
      export_progress (cycle);
    }
  else
    _enr_sync_cycle_set_error (cycle, error);

  if (cycle->finish_waiting)
    {
      cycle->finish_waiting = FALSE;
      _enr_sync_cycle_finish (cycle);
      return;
    }

  if (cycle->error != NULL)
    {
      /* An answer still on its way ends the cycle when it comes. */
      if (!cycle->export_in_flight)
        _enr_sync_cycle_finish (cycle);
      return;
    }

  export_continue (cycle);
}

static void on_export_cb (GObject      *source_object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
export_request (Cycle *cycle)
{
  cycle->export_in_flight = TRUE;
  enr_api_client_get_customer_export_async (cycle->engine->client, cycle->export_after,
                                            MIN (EXPORT_PAGE_SIZE, cycle->engine->download_batch),
                                            cycle->cancellable,
                                            on_export_cb, cycle);
}

static void
on_export_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Cycle *cycle = user_data;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiCustomerExport) export = NULL;
  GPtrArray *lists[6];
  GPtrArray *rows[6];
  GError *error = NULL;
  guint received;

  cycle->export_in_flight = FALSE;

  export = enr_api_client_get_customer_export_finish (ENR_API_CLIENT (source_object), result,
                                                      &problem, &error);
  if (export == NULL || cycle->error != NULL)
    {
      /* The batch not stored yet is asked for again by the next cycle
       * (one being written ends first: _enr_sync_cycle_finish() waits). */
      _enr_sync_cycle_note_problem (cycle, problem);
      if (error != NULL)
        _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }

  received = export->customers->len;
  lists[0] = export->customers;
  lists[1] = export->service_points;
  lists[2] = export->metered_services;
  lists[3] = export->device_locations;
  lists[4] = export->devices;
  lists[5] = export->subscriptions;
  rows[0] = export->customer_rows;
  rows[1] = export->service_point_rows;
  rows[2] = export->metered_service_rows;
  rows[3] = export->device_location_rows;
  rows[4] = export->device_rows;
  rows[5] = export->subscription_rows;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_assert (lists[i] != NULL && rows[i] != NULL && rows[i]->len == lists[i]->len);
      g_ptr_array_extend_and_steal (cycle->export_batch[i], g_ptr_array_ref (lists[i]));
      g_ptr_array_extend_and_steal (cycle->export_rows[i], g_ptr_array_ref (rows[i]));
    }

  cycle->export_batched += received;
  cycle->export_done += received;
  cycle->export_total = MAX (export->total, 0);
  g_free (cycle->export_after);
  cycle->export_after = g_strdup (export->next);

  export_continue (cycle);
}

static void
customers_start (Cycle *cycle)
{
  GError *error = NULL;

  cycle->export_done = 0;
  cycle->export_stored = 0;
  cycle->export_total = 0;
  cycle->export_batched = 0;
  g_clear_pointer (&cycle->export_after, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (cycle->export_batch); i++)
    {
      g_clear_pointer (&cycle->export_batch[i], g_ptr_array_unref);
      g_clear_pointer (&cycle->export_rows[i], g_ptr_array_unref);
      cycle->export_batch[i] = g_ptr_array_new_with_free_func (g_object_unref);
      cycle->export_rows[i] = g_ptr_array_new_with_free_func (g_free);
    }

  if (cycle->resuming)
    {
      cycle->export_done = cycle->resume_done;
      cycle->export_stored = cycle->resume_done;
      if (cycle->resume_tasks)
        {
          tasks_start (cycle);
          return;
        }
      cycle->export_after = g_strdup (cycle->resume_after);
    }

  if (!enr_store_defer_search (cycle->engine->store, &error))
    {
      _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }
  cycle->search_deferred = TRUE;

  if (!(cycle->writer = enr_store_bulk_writer_new (cycle->engine->store, &error)))
    {
      _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }

  _enr_sync_engine_set_progress (cycle->engine, CUSTOMERS_FROM);
  export_request (cycle);
}

/* The store's worker builds the indexes and the search; the progress
 * goes from SEARCH_FROM to SEARCH_TO meanwhile. */
#define SEARCH_PROGRESS_MS 200

static gboolean
on_search_progress_cb (gpointer user_data)
{
  Cycle *cycle = user_data;
  double built = enr_store_get_rebuild_progress (cycle->engine->store);

  if (built >= 0)
    _enr_sync_engine_set_progress (cycle->engine, SEARCH_FROM + (SEARCH_TO - SEARCH_FROM) * built);

  return G_SOURCE_CONTINUE;
}

static void
on_search_built_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Cycle *cycle = user_data;
  void (*built) (Cycle *cycle) = cycle->search_built;
  GError *error = NULL;

  cycle->search_building = FALSE;
  cycle->search_built = NULL;
  g_clear_handle_id (&cycle->search_progress_id, g_source_remove);

  if (enr_store_rebuild_search_finish (ENR_STORE (source_object), result, &error))
    {
      if (cycle->error == NULL && cycle->export_after == NULL)
        _enr_sync_engine_set_progress (cycle->engine, SEARCH_TO);
    }
  else if (cycle->error == NULL)
    _enr_sync_cycle_set_error (cycle, error);
  else
    {
      /* A cycle that failed already: its own error says more. */
      g_message ("The customers' search could not be built: %s", error->message);
      g_error_free (error);
    }

  built (cycle);
}

/**
 * _enr_sync_download_end_search:
 * @built: what goes on after it
 *
 * Builds the customers' search deferred by the download's customers
 * (if it was), and the indexes deferred with it, for every customer
 * stored: at the end of the customers, or when the cycle ends before
 * them. The store's worker does it off the main loop.
 *
 * Returns: %TRUE when @built is called later, from the main loop;
 *   %FALSE when there was nothing to build
 */
gboolean
_enr_sync_download_end_search (Cycle  *cycle,
                               void  (*built) (Cycle *cycle))
{
  if (!cycle->search_deferred)
    return FALSE;

  cycle->search_deferred = FALSE;
  cycle->search_building = TRUE;
  cycle->search_built = built;
  /* The progress shows it after the last customer; a download that
   * stopped before keeps its own. */
  if (cycle->error == NULL && cycle->export_after == NULL)
    cycle->search_progress_id = g_timeout_add (SEARCH_PROGRESS_MS, on_search_progress_cb, cycle);
  enr_store_rebuild_search_async (cycle->engine->store, on_search_built_cb, cycle);
  return TRUE;
}

/* The booked appointments of the shifts kept offline: they take up slots. */
static void
on_appointments_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Cycle *cycle = user_data;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GError *error = NULL;

  items = enr_api_client_get_items_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
  if (items == NULL || !put_if_any (cycle->engine->store, ENR_TYPE_APPOINTMENT, items, &error))
    {
      _enr_sync_cycle_note_problem (cycle, problem);
      _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }

  customers_start (cycle);
}

static void
appointments_start (Cycle *cycle)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *path = NULL;

  path = g_strdup_printf ("/v1/appointments?from=%04d-%02d-%02d&days=%d&status=booked",
                          g_date_time_get_year (now), g_date_time_get_month (now),
                          g_date_time_get_day_of_month (now), ENR_SYNC_DEFAULT_SHIFT_DAYS);
  enr_api_client_get_items_async (cycle->engine->client, path, ENR_TYPE_APPOINTMENT,
                                  cycle->cancellable, on_appointments_cb, cycle);
}

static gboolean
store_crew_shifts (Cycle   *cycle,
                   GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GPtrArray) shifts = NULL;
  GDate today;

  if (cycle->crews == NULL || cycle->shift_types == NULL)
    return TRUE;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));

  if (!(shifts = enr_crew_shifts_expand (cycle->crews, cycle->shift_types, &today,
                                         ENR_SYNC_DEFAULT_SHIFT_DAYS, tz, error)))
    return FALSE;

  return put_if_any (cycle->engine->store, ENR_TYPE_CREW_SHIFT, shifts, error);
}

static const struct
{
  const char *path;
  GType     (*get_type) (void);
} reference_lists[] = {
  { "/v1/code-values", enr_code_value_get_type },
  { "/v1/crew-shift-types", enr_crew_shift_type_get_type },
  { "/v1/crews", enr_crew_get_type },
  { "/v1/activity-types", enr_activity_type_get_type },
  { "/v1/service-task-types", enr_service_task_type_get_type },
  { "/v1/action-methods", enr_action_method_get_type },
};

static void reference_next (Cycle *cycle);

static void
on_reference_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Cycle *cycle = user_data;
  EnrSyncEngine *self = cycle->engine;
  g_autoptr(EnrApiProblem) problem = NULL;
  GError *error = NULL;
  guint step = cycle->reference_step++;
  gboolean ok;

  if (step == 0)
    {
      g_autoptr(EnrApiPrograms) programs = NULL;

      programs = enr_api_client_get_programs_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
      ok = programs != NULL &&
           put_if_any (self->store, ENR_TYPE_PROGRAM_TYPE, programs->program_types, &error) &&
           put_if_any (self->store, ENR_TYPE_INITIATIVE, programs->initiatives, &error) &&
           put_if_any (self->store, ENR_TYPE_PROGRAM, programs->programs, &error);
    }
  else
    {
      g_autoptr(GPtrArray) items = NULL;
      GType type = reference_lists[step - 1].get_type ();

      items = enr_api_client_get_items_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
      ok = items != NULL && put_if_any (self->store, type, items, &error);

      if (ok && type == ENR_TYPE_CREW)
        cycle->crews = g_ptr_array_ref (items);
      else if (ok && type == ENR_TYPE_CREW_SHIFT_TYPE)
        cycle->shift_types = g_ptr_array_ref (items);
    }

  if (!ok)
    {
      _enr_sync_cycle_note_problem (cycle, problem);
      _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }

  _enr_sync_engine_set_progress (self,
                                 0.05 * cycle->reference_step / (G_N_ELEMENTS (reference_lists) + 2));
  reference_next (cycle);
}

static void
reference_next (Cycle *cycle)
{
  EnrSyncEngine *self = cycle->engine;
  guint step = cycle->reference_step;
  GError *error = NULL;

  if (step == 0)
    {
      enr_api_client_get_programs_async (self->client, cycle->cancellable, on_reference_cb, cycle);
      return;
    }

  if (step - 1 < G_N_ELEMENTS (reference_lists))
    {
      enr_api_client_get_items_async (self->client, reference_lists[step - 1].path,
                                      reference_lists[step - 1].get_type (),
                                      cycle->cancellable, on_reference_cb, cycle);
      return;
    }

  if (!store_crew_shifts (cycle, &error))
    {
      _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }

  appointments_start (cycle);
}

static void
on_head_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Cycle *cycle = user_data;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiChanges) changes = NULL;
  GError *error = NULL;

  changes = enr_api_client_get_changes_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
  if (changes != NULL)
    cycle->head = changes->cursor;
  else if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_GONE) &&
           problem != NULL && problem->cursor >= 0)
    {
      g_clear_error (&error);
      cycle->head = problem->cursor;
    }
  else
    {
      if (error->domain == ENR_API_ERROR && error->code == ENR_API_ERROR_GONE)
        {
          g_clear_error (&error);
          error = g_error_new (ENR_API_ERROR, ENR_API_ERROR_PROTOCOL,
                               _("The service did not say where its change log ends."));
        }
      _enr_sync_cycle_note_problem (cycle, problem);
      _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }

  cycle->reference_step = 0;
  reference_next (cycle);
}

static void
head_start (Cycle *cycle)
{
  /* A cursor from the future is refused with the head of the log. */
  enr_api_client_get_changes_async (cycle->engine->client, G_MAXINT64, 1, cycle->cancellable,
                                    on_head_cb, cycle);
}

/* An interrupted download goes on only while the change log still holds
 * its head: a service that reloaded its data set (which renumbers the
 * export too) makes it start over. */
static void
on_resume_head_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Cycle *cycle = user_data;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiChanges) changes = NULL;
  GError *error = NULL;

  changes = enr_api_client_get_changes_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
  if (changes != NULL)
    {
      cycle->head = cycle->resume_head;
      cycle->reference_step = 0;
      reference_next (cycle);
      return;
    }

  if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_GONE))
    {
      g_clear_error (&error);
      cycle->resuming = FALSE;
      head_start (cycle);
      return;
    }

  _enr_sync_cycle_note_problem (cycle, problem);
  _enr_sync_cycle_set_error (cycle, error);
  _enr_sync_cycle_finish (cycle);
}

void
_enr_sync_download_start (Cycle *cycle)
{
  g_autofree char *resume = NULL;
  GError *error = NULL;

  cycle->phase = PHASE_DOWNLOAD;
  _enr_sync_engine_set_progress (cycle->engine, 0.0);

  g_clear_pointer (&cycle->crews, g_ptr_array_unref);
  g_clear_pointer (&cycle->shift_types, g_ptr_array_unref);

  resume = enr_store_get_download_resume (cycle->engine->store, &error);
  if (error != NULL)
    {
      _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }

  cycle->resuming = resume != NULL && resume_parse (cycle, resume);
  if (cycle->resuming)
    {
      enr_api_client_get_changes_async (cycle->engine->client, cycle->resume_head, 1,
                                        cycle->cancellable, on_resume_head_cb, cycle);
      return;
    }

  head_start (cycle);
}

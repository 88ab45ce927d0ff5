/* enr-sync-engine-download.c — the first download: reference data, shifts,
 * appointments, customers and tasks, then the cursor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-sync-engine-private.h"

#define MAX_PAGE            100000   /* the service's largest page number */

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
  pager_start (cycle, "/v1/service-tasks", ENR_TYPE_SERVICE_TASK, store_tasks, 0.80, 1.0, download_finish);
}

/* Customers with their metered services, service points, device
 * locations, devices and subscriptions, a keyset page at a time: each
 * page is stored before the next is asked for, so memory holds one. */


static void
on_export_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Cycle *cycle = user_data;
  EnrSyncEngine *self = cycle->engine;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiCustomerExport) export = NULL;
  GError *error = NULL;

  export = enr_api_client_get_customer_export_finish (ENR_API_CLIENT (source_object), result,
                                                      &problem, &error);
  if (export == NULL ||
      !_enr_sync_engine_store_customer_records (self, export->customers, export->service_points,
                                                export->metered_services, export->device_locations,
                                                export->devices, export->subscriptions, &error))
    {
      _enr_sync_cycle_note_problem (cycle, problem);
      _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }

  cycle->export_done += export->customers->len;
  if (export->total > 0)
    _enr_sync_engine_set_progress (self, 0.05 + 0.75 * MIN ((double) cycle->export_done /
                                                            (double) export->total, 1.0));

  if (export->next != NULL)
    {
      enr_api_client_get_customer_export_async (self->client, export->next, ENR_SYNC_PAGE_SIZE,
                                                cycle->cancellable, on_export_cb, cycle);
      return;
    }

  tasks_start (cycle);
}

static void
customers_start (Cycle *cycle)
{
  cycle->export_done = 0;
  _enr_sync_engine_set_progress (cycle->engine, 0.05);
  enr_api_client_get_customer_export_async (cycle->engine->client, NULL, ENR_SYNC_PAGE_SIZE,
                                            cycle->cancellable, on_export_cb, cycle);
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

void
_enr_sync_download_start (Cycle *cycle)
{
  cycle->phase = PHASE_DOWNLOAD;
  _enr_sync_engine_set_progress (cycle->engine, 0.0);

  g_clear_pointer (&cycle->crews, g_ptr_array_unref);
  g_clear_pointer (&cycle->shift_types, g_ptr_array_unref);

  /* A cursor from the future is refused with the head of the log. */
  enr_api_client_get_changes_async (cycle->engine->client, G_MAXINT64, 1, cycle->cancellable,
                                    on_head_cb, cycle);
}

/* enr-dataset-import.c — fill the client store from a data set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For working without the service (enrollment-desk --import DIR) and for
 * the UI tests: every collection of a data set (docs/model.md) is decoded
 * by the core's reader and put into the store's cache in batches, and the
 * crews' shifts are expanded for the data set's horizon from @today, as the
 * service's loader does. As the loader does too, the customers' search is
 * built once after the records (enr_store_defer_search()): kept up to date
 * record by record, a customer would be indexed once with its own record
 * and again with its metered services' addresses. Each batch is one
 * transaction of enr_store_put_bulk(), the first download's batch
 * function: every record but the users is stored as its row, the compact
 * copy of its line from the one parse that decoded it
 * (enr_dataset_reader_foreach_row()), not encoded again. Users are
 * encoded from the decoded record, so their demo passwords are not kept.
 */

#include "config.h"

#include "enr-dataset-import.h"

#include "enr-dataset.h"

#define BATCH_SIZE 10000

typedef struct
{
  EnrStore  *store;
  GType      type;
  GPtrArray *batch;
  GPtrArray *rows;     /* the batch's rows; NULL: encoded (users) */
  GPtrArray *keep;
} Import;

static gboolean
flush_batch (Import  *import,
             GError **error)
{
  gboolean ok = TRUE;

  if (import->batch->len > 0)
    ok = enr_store_put_bulk (import->store, &import->type, &import->batch, &import->rows, 1,
                             NULL, error);

  g_ptr_array_set_size (import->batch, 0);
  if (import->rows != NULL)
    g_ptr_array_set_size (import->rows, 0);
  return ok;
}

static gboolean
on_object_cb (gpointer   object,
              guint64    line_number,
              gpointer   user_data,
              GError   **error)
{
  Import *import = user_data;

  g_ptr_array_add (import->batch, g_object_ref (object));
  if (import->keep != NULL)
    g_ptr_array_add (import->keep, g_object_ref (object));

  if (import->batch->len >= BATCH_SIZE)
    return flush_batch (import, error);

  return TRUE;
}

static gboolean
on_row_cb (gpointer   object,
           char      *row,
           guint64    line_number,
           gpointer   user_data,
           GError   **error)
{
  Import *import = user_data;

  g_ptr_array_add (import->rows, row);
  return on_object_cb (object, line_number, user_data, error);
}

static gboolean
on_user_cb (EnrUser     *user,
            const char  *password,
            guint64      line_number,
            gpointer     user_data,
            GError     **error)
{
  return on_object_cb (user, line_number, user_data, error);
}

static gboolean
import_records (EnrStore          *store,
                EnrDatasetReader  *reader,
                const GDate       *today,
                GCancellable      *cancellable,
                GError           **error)
{
  g_autoptr(GPtrArray) crews = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) shift_types = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  const EnrDatasetCollection *collections;
  guint n_collections;
  GDate from;

  collections = enr_dataset_collections (&n_collections);
  for (guint i = 0; i < n_collections; i++)
    {
      Import import = {
        .store = store,
        .type = collections[i].type,
        .batch = g_ptr_array_new_with_free_func (g_object_unref),
        .rows = NULL,
        .keep = NULL,
      };
      gboolean ok;

      if (collections[i].type == ENR_TYPE_CREW)
        import.keep = crews;
      else if (collections[i].type == ENR_TYPE_CREW_SHIFT_TYPE)
        import.keep = shift_types;

      if (collections[i].type == ENR_TYPE_USER)
        {
          ok = enr_dataset_reader_foreach_user (reader, on_user_cb, &import, cancellable, error);
        }
      else
        {
          import.rows = g_ptr_array_new_with_free_func (g_free);
          ok = enr_dataset_reader_foreach_row (reader, collections[i].name, collections[i].type,
                                               on_row_cb, &import, cancellable, error);
        }

      ok = ok && flush_batch (&import, error);
      g_ptr_array_unref (import.batch);
      g_clear_pointer (&import.rows, g_ptr_array_unref);
      if (!ok)
        return FALSE;
    }

  if (today != NULL && g_date_valid (today))
    {
      from = *today;
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now (tz);
      int year, month, day;

      g_date_time_get_ymd (now, &year, &month, &day);
      g_date_clear (&from, 1);
      g_date_set_dmy (&from, day, month, year);
    }

  shifts = enr_crew_shifts_expand (crews, shift_types, &from,
                                   enr_dataset_reader_get_shift_horizon_days (reader), tz, error);
  if (shifts == NULL)
    return FALSE;

  return shifts->len == 0 || enr_store_put (store, ENR_TYPE_CREW_SHIFT, shifts, error);
}

/**
 * enr_dataset_import:
 * @directory: the data set's directory
 * @today: (nullable): the first day of the expanded crew shifts; %NULL = today
 *
 * Returns: %TRUE when every collection is in the store
 */
gboolean
enr_dataset_import (EnrStore      *store,
                    GFile         *directory,
                    const GDate   *today,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(EnrDatasetReader) reader = NULL;

  g_return_val_if_fail (ENR_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (directory), FALSE);

  reader = enr_dataset_reader_new (directory, cancellable, error);
  if (reader == NULL || !enr_store_defer_search (store, error))
    return FALSE;

  if (!import_records (store, reader, today, cancellable, error))
    {
      /* What was stored stays findable. */
      enr_store_rebuild_search (store, NULL);
      return FALSE;
    }

  return enr_store_rebuild_search (store, error);
}

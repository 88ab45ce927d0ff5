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
 * and again with its metered services' addresses. The records take the
 * first download's path into the store: each batch is one transaction
 * of the store's bulk writer (enr_store_bulk_writer_put_async(), a
 * connection of its own on a thread, with a worker's small page cache)
 * while the calling thread decodes the next one, and the search is built
 * by the store's worker (enr_store_rebuild_search_async()); the calling
 * thread waits for them on a main context of its own. Every record but
 * the users is stored as its row, the compact copy of its line from the
 * one parse that decoded it (enr_dataset_reader_foreach_row()), not
 * encoded again. Users are encoded from the decoded record, so their demo
 * passwords are not kept.
 */

#include "config.h"

#include "enr-dataset-import.h"

#include "enr-dataset.h"

/* Records of one collection per transaction. The calling thread holds
 * two batches of decoded records (the one being written and the next),
 * so their size bounds the import's memory: at 100,000 customers 10,000
 * records a batch peaked at 53–56 MiB RSS, 2,000 at 30–32 MiB, for about
 * the same CPU and wall time (about 2,500 transactions at 1,000,000
 * customers). */
#define BATCH_SIZE 2000

/* The store's writer and the main context its batches end in. */
typedef struct
{
  EnrStoreBulkWriter *writer;
  GMainContext       *context;
  gboolean            writing;       /* a batch is being written */
  GError             *write_error;   /* that of the last batch, if it failed */
} Writer;

typedef struct
{
  Writer    *writer;
  GType      type;
  GPtrArray *batch;
  GPtrArray *rows;     /* the batch's rows; NULL: encoded (users) */
  GPtrArray *keep;
} Import;

static void
on_written_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Writer *writer = user_data;

  writer->writing = FALSE;
  enr_store_bulk_writer_put_finish (writer->writer, result,
                                    writer->write_error == NULL ? &writer->write_error : NULL);
}

/* Until the batch being written, if any, is committed. */
static gboolean
writer_wait (Writer  *writer,
             GError **error)
{
  while (writer->writing)
    g_main_context_iteration (writer->context, TRUE);

  if (writer->write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&writer->write_error));
      return FALSE;
    }

  return TRUE;
}

/* The batch goes to the writer (after the one before it), and the next
 * one is gathered meanwhile: memory holds two batches at most. */
static gboolean
flush_batch (Import  *import,
             GError **error)
{
  if (import->batch->len == 0)
    return TRUE;

  if (!writer_wait (import->writer, error))
    return FALSE;

  import->writer->writing = TRUE;
  enr_store_bulk_writer_put_async (import->writer->writer, &import->type, &import->batch, &import->rows, 1,
                                   NULL, on_written_cb, import->writer);

  g_ptr_array_unref (import->batch);
  import->batch = g_ptr_array_new_with_free_func (g_object_unref);
  if (import->rows != NULL)
    {
      g_ptr_array_unref (import->rows);
      import->rows = g_ptr_array_new_with_free_func (g_free);
    }
  return TRUE;
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
                Writer            *writer,
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
        .writer = writer,
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

  /* The shifts are written by the store's own connection. */
  if (!writer_wait (writer, error))
    return FALSE;

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

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Rebuild;

static void
on_search_built_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Rebuild *rebuild = user_data;

  rebuild->ok = enr_store_rebuild_search_finish (ENR_STORE (source_object), result, &rebuild->error);
  rebuild->done = TRUE;
}

/* The indexes and the search, by the store's worker. */
static gboolean
rebuild_search (EnrStore      *store,
                GMainContext  *context,
                GError       **error)
{
  Rebuild rebuild = { FALSE, FALSE, NULL };

  enr_store_rebuild_search_async (store, on_search_built_cb, &rebuild);
  while (!rebuild.done)
    g_main_context_iteration (context, TRUE);

  if (!rebuild.ok)
    g_propagate_error (error, rebuild.error);
  return rebuild.ok;
}

/**
 * enr_dataset_import:
 * @directory: the data set's directory
 * @today: (nullable): the first day of the expanded crew shifts; %NULL = today
 *
 * Waits for the store's threads on a main context of its own (pushed as
 * the thread's default meanwhile), so the caller's main loop does not
 * run.
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
  g_autoptr(GMainContext) context = NULL;
  Writer writer = { NULL, NULL, FALSE, NULL };
  gboolean ok, built;

  g_return_val_if_fail (ENR_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (directory), FALSE);

  reader = enr_dataset_reader_new (directory, cancellable, error);
  if (reader == NULL || !enr_store_defer_search (store, error))
    return FALSE;

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  writer.context = context;

  ok = (writer.writer = enr_store_bulk_writer_new (store, error)) != NULL &&
       import_records (store, &writer, reader, today, cancellable, error);
  if (!ok)
    writer_wait (&writer, NULL);   /* the batch on its way ends first */
  g_clear_pointer (&writer.writer, enr_store_bulk_writer_free);

  /* What was stored stays findable when the import failed. */
  built = rebuild_search (store, context, ok ? error : NULL);

  g_main_context_pop_thread_default (context);
  return ok && built;
}

/* enr-service-loader.c — import a data set into the service's store
 *
 * The whole import is one transaction: a data set loads completely or not
 * at all. Records are upserted by id, so loading the same data set again
 * refreshes it; service tasks, communications and appointments made
 * through the API stay. Crew shifts are expanded from each crew's shift
 * type for the manifest's shift_horizon_days from @today. Because loaded
 * records bypass the change log, a load resets the log: every client
 * cursor becomes too old (410) and clients resynchronise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-core.h"
#include "enr-crew-shifts.h"
#include "enr-dataset.h"
#include "enr-service-loader.h"

typedef struct
{
  EnrServiceStore      *store;
  EnrServiceLoadReport *report;
} Load;

void
enr_service_load_report_free (EnrServiceLoadReport *report)
{
  if (report == NULL)
    return;

  g_free (report->name);
  g_clear_pointer (&report->users, g_ptr_array_unref);
  g_free (report);
}

static gboolean
import_cb (gpointer   object,
           guint64    line_number,
           gpointer   user_data,
           GError   **error)
{
  Load *load = user_data;

  load->report->records++;

  if (ENR_IS_CODE_VALUE (object))
    return enr_service_store_import_code_value (load->store, object, error);

  return enr_service_store_import (load->store, object, error);
}

static gboolean
import_user_cb (EnrUser     *user,
                const char  *password,
                guint64      line_number,
                gpointer     user_data,
                GError     **error)
{
  Load *load = user_data;
  g_autoptr(GEnumClass) roles = g_type_class_ref (ENR_TYPE_ROLE);
  GEnumValue *role = g_enum_get_value (roles, enr_user_get_role (user));

  load->report->records++;
  if (password != NULL)
    g_ptr_array_add (load->report->users,
                     g_strdup_printf ("%s %s %s", enr_user_get_username (user), password,
                                      role != NULL ? role->value_nick : ""));

  return enr_service_store_import_user (load->store, user, password, error);
}

static gboolean
expand_crew_shifts (Load         *load,
                    const GDate  *today,
                    guint         days,
                    GError      **error)
{
  g_autoptr(GPtrArray) crews = NULL;
  g_autoptr(GPtrArray) shift_types = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  if (!(crews = enr_service_store_list (load->store, ENR_TYPE_CREW, NULL, NULL, error)) ||
      !(shift_types = enr_service_store_list (load->store, ENR_TYPE_CREW_SHIFT_TYPE, NULL, NULL, error)))
    return FALSE;

  shifts = enr_crew_shifts_expand (crews, shift_types, today, days, tz, error);
  if (shifts == NULL)
    return FALSE;

  for (guint i = 0; i < shifts->len; i++)
    if (!enr_service_store_import (load->store, g_ptr_array_index (shifts, i), error))
      return FALSE;

  load->report->crew_shifts = shifts->len;
  return TRUE;
}

gboolean
enr_service_load_dataset (EnrServiceStore       *store,
                          GFile                 *directory,
                          const GDate           *today,
                          EnrServiceLoadReport **report,
                          GError               **error)
{
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(EnrServiceLoadReport) result = NULL;
  const EnrDatasetCollection *collections;
  g_autofree char *loaded_at = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  Load load;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_FILE (directory), FALSE);
  g_return_val_if_fail (today != NULL && g_date_valid (today), FALSE);

  reader = enr_dataset_reader_new (directory, NULL, error);
  if (reader == NULL)
    return FALSE;

  result = g_new0 (EnrServiceLoadReport, 1);
  result->name = g_strdup (enr_dataset_reader_get_name (reader));
  result->shift_horizon_days = enr_dataset_reader_get_shift_horizon_days (reader);
  result->users = g_ptr_array_new_with_free_func (g_free);

  load.store = store;
  load.report = result;

  if (!enr_service_store_begin (store, error))
    return FALSE;

  collections = enr_dataset_collections (NULL);
  for (guint i = 0; collections[i].name != NULL; i++)
    {
      gboolean ok;

      if (collections[i].type == ENR_TYPE_USER)
        ok = enr_dataset_reader_foreach_user (reader, import_user_cb, &load, NULL, error);
      else
        ok = enr_dataset_reader_foreach (reader, collections[i].name, collections[i].type,
                                         import_cb, &load, NULL, error);
      if (!ok)
        goto failed;
    }

  loaded_at = enr_codec_format_date_time (now);

  if (!expand_crew_shifts (&load, today, result->shift_horizon_days, error) ||
      !enr_service_store_rebuild_search (store, error) ||
      !enr_service_store_reset_change_log (store, error) ||
      !enr_service_store_set_meta (store, "dataset-name",
                                   result->name != NULL ? result->name : "", error) ||
      !enr_service_store_set_meta (store, "dataset-loaded-at", loaded_at, error) ||
      !enr_service_store_commit (store, error))
    goto failed;

  if (report != NULL)
    *report = g_steal_pointer (&result);

  return TRUE;

failed:
  enr_service_store_rollback (store);
  return FALSE;
}

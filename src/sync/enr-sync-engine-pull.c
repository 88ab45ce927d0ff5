/* enr-sync-engine-pull.c — the pull phase: the service's change log, a page at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "enr-sync-engine-private.h"

/**
 * _enr_sync_store_changes_page:
 * @from: the cursor the page was asked after
 *
 * Stores a page of the change feed and its cursor in one transaction
 * (the pull's pages, and the watch's answers).
 */
gboolean
_enr_sync_store_changes_page (EnrSyncEngine  *self,
                              EnrApiChanges  *changes,
                              gint64          from,
                              GError        **error)
{
  g_autoptr(GPtrArray) store_changes = NULL;
  g_autofree char *cursor = NULL;

  if (changes->cursor < from || (changes->more && changes->cursor == from))
    {
      g_set_error (error, ENR_API_ERROR, ENR_API_ERROR_PROTOCOL,
                   _("The service's change log went backwards (%" PRId64 " after %" PRId64 ")."),
                   changes->cursor, from);
      return FALSE;
    }

  store_changes = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
  for (guint i = 0; i < changes->changes->len; i++)
    {
      EnrApiChange *change = g_ptr_array_index (changes->changes, i);
      g_autofree char *json = NULL;

      if (change->cursor <= from)
        continue;

      /* A type this client does not keep (a newer service). */
      if (change->type == G_TYPE_INVALID)
        continue;

      if (!change->deleted)
        json = enr_codec_encode_string (change->object);

      g_ptr_array_add (store_changes, enr_store_change_new (change->type, change->id, json));
    }

  cursor = g_strdup_printf ("%" G_GINT64_FORMAT, changes->cursor);

  return enr_store_apply_changes (self->store, store_changes, cursor, error);
}

/* Pull */

static void pull_next (Cycle *cycle);

static void
on_changes_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Cycle *cycle = user_data;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiChanges) changes = NULL;
  GError *error = NULL;

  changes = enr_api_client_get_changes_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
  if (changes == NULL)
    {
      if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_GONE) && !cycle->downloaded)
        {
          g_clear_error (&error);
          _enr_sync_download_start (cycle);
          return;
        }

      _enr_sync_cycle_note_problem (cycle, problem);
      _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }

  if (!_enr_sync_store_changes_page (cycle->engine, changes, cycle->cursor, &error))
    {
      _enr_sync_cycle_set_error (cycle, error);
      _enr_sync_cycle_finish (cycle);
      return;
    }

  cycle->cursor = changes->cursor;

  if (changes->more)
    pull_next (cycle);
  else
    _enr_sync_cycle_finish (cycle);
}

static void
pull_next (Cycle *cycle)
{
  enr_api_client_get_changes_async (cycle->engine->client, cycle->cursor, ENR_SYNC_PULL_LIMIT,
                                    cycle->cancellable, on_changes_cb, cycle);
}

void
_enr_sync_pull_start (Cycle  *cycle,
                      gint64  cursor)
{
  cycle->phase = PHASE_PULL;
  cycle->cursor = cursor;
  pull_next (cycle);
}

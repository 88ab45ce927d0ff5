/* enr-dashboard-counts.c — the dashboard's counts: the programs in name
 * order, their names, and the counts told in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The charts draw what these say; the same counts, in words, are the
 * charts' accessible descriptions and the line over the programs chart
 * (what the service holds, and apart what waits to be sent).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-dashboard-private.h"

guint
_enr_dashboard_n_programs (EnrDashboard *self)
{
  return self->stats != NULL ? enr_task_stats_get_n_programs (self->stats) : 0;
}

/* The stats index of the program shown at row @row (sorted by name). */
guint
_enr_dashboard_program_at_row (EnrDashboard *self,
                               guint         row)
{
  return g_array_index (self->order, guint, row);
}

const char *
_enr_dashboard_program_name (EnrDashboard *self,
                             const char   *program_id)
{
  g_autoptr(EnrProgram) program = NULL;
  const char *name;

  if ((name = g_hash_table_lookup (self->names, program_id)) != NULL)
    return name;

  if (self->context != NULL)
    program = enr_context_lookup (self->context, ENR_TYPE_PROGRAM, program_id);
  name = program != NULL ? enr_program_get_name (program)
                         : (program_id[0] != '\0' ? program_id : _("No program"));
  g_hash_table_insert (self->names, g_strdup (program_id), g_strdup (name));

  return g_hash_table_lookup (self->names, program_id);
}

int
_enr_dashboard_compare_rows (gconstpointer a,
                             gconstpointer b,
                             gpointer      user_data)
{
  EnrDashboard *self = user_data;
  const char *name_a = _enr_dashboard_program_name (self,
                                                    enr_task_stats_get_program_id (self->stats, *(const guint *) a));
  const char *name_b = _enr_dashboard_program_name (self,
                                                    enr_task_stats_get_program_id (self->stats, *(const guint *) b));

  return g_utf8_collate (name_a, name_b);
}

/* The line over the programs chart: how many tasks this computer has,
 * and apart how many of them the service does not have so yet. */
static char *
describe_sync (EnrDashboard *self)
{
  guint total, unsent, conflicts, on_service;
  g_autofree char *tasks = NULL;
  g_autofree char *waiting = NULL;

  if (self->stats == NULL)
    return g_strdup ("");

  total = (guint) MIN (enr_task_stats_get_total (self->stats), G_MAXUINT);
  unsent = (guint) MIN (enr_task_stats_get_unsent_total (self->stats), G_MAXUINT);
  conflicts = (guint) MIN (enr_task_stats_get_conflict_total (self->stats), G_MAXUINT);
  on_service = total - MIN (unsent, total);

  if (unsent == 0)
    /* Translators: over the dashboard when nothing waits for the service */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task, none waiting for the service",
                                         "%u tasks, none waiting for the service", total),
                            total);

  /* Translators: first part of the dashboard's counts, e.g. "5 as on the
   * service" */
  tasks = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u as on the service", "%u as on the service",
                                        on_service),
                           on_service);
  if (conflicts > 0)
    /* Translators: second part of the dashboard's counts, e.g. "2 changed
     * here and not on the service yet, 1 of them in conflict" */
    waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u changed here and not on the service yet, %u of them in conflict",
                                            "%u changed here and not on the service yet, %u of them in conflict",
                                            unsent),
                               unsent, conflicts);
  else
    /* Translators: second part of the dashboard's counts, e.g. "2 changed
     * here and not on the service yet" */
    waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u changed here and not on the service yet",
                                            "%u changed here and not on the service yet", unsent),
                               unsent);

  /* Translators: the dashboard's counts, e.g. "5 as on the service ·
   * 2 changed here and not on the service yet" */
  return g_strdup_printf (_("%s · %s"), tasks, waiting);
}

void
_enr_dashboard_update_summaries (EnrDashboard *self)
{
  g_autoptr(GString) programs = g_string_new (NULL);
  g_autoptr(GString) ageing = g_string_new (NULL);
  g_autofree char *sync_text = NULL;

  for (guint row = 0; row < _enr_dashboard_n_programs (self); row++)
    {
      guint index = _enr_dashboard_program_at_row (self, row);
      gboolean first = TRUE;

      g_string_append_printf (programs, "%s%s: ", programs->len > 0 ? "; " : "",
                              _enr_dashboard_program_name (self, enr_task_stats_get_program_id (self->stats, index)));
      for (guint status = 0; status < N_STATUSES; status++)
        {
          guint64 count = enr_task_stats_get_count (self->stats, index, status);
          guint64 unsent;

          if (count == 0)
            continue;
          if (!first)
            g_string_append (programs, ", ");
          /* Translators: a count of tasks in a status, e.g. "12 In Progress" */
          g_string_append_printf (programs, _("%u %s"), (guint) MIN (count, G_MAXUINT),
                                  enr_task_status_label (status));
          unsent = enr_task_stats_get_unsent (self->stats, index, status);
          if (unsent > 0)
            /* Translators: after a count of tasks in a status, e.g. "12 In
             * Progress (2 not on the service yet)" */
            g_string_append_printf (programs, _(" (%u not on the service yet)"), (guint) MIN (unsent, G_MAXUINT));
          first = FALSE;
        }
    }
  if (programs->len == 0)
    g_string_append (programs, _("No service tasks"));

  for (guint bucket = 0; self->stats != NULL && bucket < ENR_AGE_BUCKET_N; bucket++)
    {
      if (ageing->len > 0)
        g_string_append (ageing, "; ");
      /* Translators: a column of the ageing chart, e.g. "1–3 days: 42" */
      g_string_append_printf (ageing, _("%s: %u"), enr_age_bucket_label (bucket),
                              (guint) MIN (enr_task_stats_get_ageing (self->stats, bucket), G_MAXUINT));
    }

  sync_text = describe_sync (self);
  gtk_label_set_text (self->sync_label, sync_text);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_label), sync_text[0] != '\0');

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->programs_area),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, programs->str,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ageing_area),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, ageing->str,
                                  -1);
}

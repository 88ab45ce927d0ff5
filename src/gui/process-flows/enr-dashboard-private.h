/* enr-dashboard-private.h — what the dashboard's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * enr-dashboard.c: the widget, reading the counts, reloading, activation;
 * enr-dashboard-counts.c: the programs' order and names, the counts in words;
 * enr-dashboard-charts.c: the legend, the two charts, their input.
 */
#pragma once

#include "enr-dashboard.h"

G_BEGIN_DECLS

#define PADDING      8.0
#define LEGEND_H     24.0
#define ROW_H        18.0
#define ROW_GAP      6.0
#define COUNT_W      64.0
#define AGEING_H     130.0
#define N_STATUSES   ENR_TASK_STATS_N_STATUSES

typedef struct
{
  graphene_rect_t rect;
  guint           program;
  int             status;
} HitArea;

struct _EnrDashboard
{
  GtkWidget       parent_instance;

  GtkDrawingArea *programs_area;
  GtkDrawingArea *ageing_area;
  GtkLabel       *sync_label;

  EnrContext     *context;
  GSignalGroup   *store_signals;
  GSignalGroup   *outbox_signals;
  EnrTaskStats   *stats;
  GArray         *order;
  GHashTable     *names;
  GCancellable   *cancellable;
  GArray         *hits;
  guint           reload_source;
  guint           selected_program;
  int             selected_status;
  guint           selected_bucket;
  guint           legend_lines;
  guint           relayout_id;
  guint           loading : 1;
};

/* enr-dashboard.c */
void         _enr_dashboard_activate_program       (EnrDashboard *self,
                                                    guint         index,
                                                    int           status);
void         _enr_dashboard_activate_age           (EnrDashboard *self,
                                                    EnrAgeBucket  bucket);

/* enr-dashboard-counts.c */
guint        _enr_dashboard_n_programs             (EnrDashboard *self);
guint        _enr_dashboard_program_at_row         (EnrDashboard *self,
                                                    guint         row);
const char  *_enr_dashboard_program_name           (EnrDashboard *self,
                                                    const char   *program_id);
int          _enr_dashboard_compare_rows           (gconstpointer a,
                                                    gconstpointer b,
                                                    gpointer      user_data);
void         _enr_dashboard_update_summaries       (EnrDashboard *self);

/* enr-dashboard-charts.c */
void         _enr_dashboard_update_programs_height (EnrDashboard *self);
void         _enr_dashboard_init_charts            (EnrDashboard *self);

G_END_DECLS

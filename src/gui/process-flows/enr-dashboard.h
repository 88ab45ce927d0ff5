/* enr-dashboard.h — charts of the service tasks: by program and status,
 * and the ageing of the tasks in progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"
#include "enr-task-stats.h"

G_BEGIN_DECLS

/* How long store changes settle before the counts are read again. */
#define ENR_DASHBOARD_RELOAD_DELAY_MS 300

/* enr_dashboard_get_segment_point()'s status for the whole bar. */
#define ENR_DASHBOARD_ANY_STATUS (-1)

#define ENR_TYPE_DASHBOARD (enr_dashboard_get_type ())

G_DECLARE_FINAL_TYPE (EnrDashboard, enr_dashboard, ENR, DASHBOARD, GtkWidget)

GtkWidget    *enr_dashboard_new               (void);
EnrContext   *enr_dashboard_get_context       (EnrDashboard *self);
void          enr_dashboard_set_context       (EnrDashboard *self,
                                               EnrContext   *context);
EnrTaskStats *enr_dashboard_get_stats         (EnrDashboard *self);
gboolean      enr_dashboard_get_loading       (EnrDashboard *self);
void          enr_dashboard_reload            (EnrDashboard *self);
GtkWidget    *enr_dashboard_get_programs_area (EnrDashboard *self);
GtkWidget    *enr_dashboard_get_ageing_area   (EnrDashboard *self);
gboolean      enr_dashboard_get_segment_point (EnrDashboard *self,
                                               const char   *program_id,
                                               int           status,
                                               double       *x,
                                               double       *y);
gboolean      enr_dashboard_get_bucket_point  (EnrDashboard *self,
                                               EnrAgeBucket  bucket,
                                               double       *x,
                                               double       *y);

G_END_DECLS

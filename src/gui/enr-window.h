/* enr-window.h — the main window: customer search and the Customer View
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"

G_BEGIN_DECLS

#define ENR_TYPE_WINDOW (enr_window_get_type ())

/* The most search results shown; more matches ask for more typing. */
#define ENR_WINDOW_SEARCH_RESULTS 20

G_DECLARE_FINAL_TYPE (EnrWindow, enr_window, ENR, WINDOW, GtkApplicationWindow)

EnrWindow  *enr_window_new               (GtkApplication *application,
                                          EnrContext     *context);
EnrContext *enr_window_get_context       (EnrWindow      *self);
void        enr_window_focus_search      (EnrWindow      *self);
void        enr_window_show_customer     (EnrWindow      *self,
                                          const char     *customer_id);
GtkWidget  *enr_window_get_search_entry  (EnrWindow      *self);
GtkWidget  *enr_window_get_results_list  (EnrWindow      *self);
GtkWidget  *enr_window_get_confirmation   (EnrWindow      *self);
GtkWidget  *enr_window_get_customer_view (EnrWindow      *self);
GtkBox     *enr_window_get_sync_slot     (EnrWindow      *self);
GtkWidget  *enr_window_get_monitor       (EnrWindow      *self);

G_END_DECLS

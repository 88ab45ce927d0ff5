/* enr-sync-indicator.h — the sync state in the header bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"

G_BEGIN_DECLS

#define ENR_TYPE_SYNC_INDICATOR (enr_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (EnrSyncIndicator, enr_sync_indicator, ENR, SYNC_INDICATOR, GtkWidget)

GtkWidget  *enr_sync_indicator_new              (EnrContext       *context);
EnrContext *enr_sync_indicator_get_context      (EnrSyncIndicator *self);
const char *enr_sync_indicator_get_summary      (EnrSyncIndicator *self);
GtkWidget  *enr_sync_indicator_get_button       (EnrSyncIndicator *self);
GtkWidget  *enr_sync_indicator_get_popover      (EnrSyncIndicator *self);
GtkWidget  *enr_sync_indicator_get_progress_bar (EnrSyncIndicator *self);
GtkWidget  *enr_sync_indicator_get_problems_list (EnrSyncIndicator *self);

G_END_DECLS

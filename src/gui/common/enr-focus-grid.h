/* enr-focus-grid.h — a grid that Tab goes through in the order of its children
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ENR_TYPE_FOCUS_GRID (enr_focus_grid_get_type ())

G_DECLARE_FINAL_TYPE (EnrFocusGrid, enr_focus_grid, ENR, FOCUS_GRID, GtkGrid)

GtkWidget *enr_focus_grid_new (void);

gboolean   enr_focus_in_order (GtkWidget        *widget,
                               GtkDirectionType  direction);

G_END_DECLS

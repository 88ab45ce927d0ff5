/* enr-window-model.h — a few rows in sight over a long list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ENR_TYPE_WINDOW_ROW (enr_window_row_get_type ())

G_DECLARE_FINAL_TYPE (EnrWindowRow, enr_window_row, ENR, WINDOW_ROW, GObject)

gpointer        enr_window_row_get_item       (EnrWindowRow   *self);
guint           enr_window_row_get_position   (EnrWindowRow   *self);
gboolean        enr_window_row_get_listed     (EnrWindowRow   *self);

#define ENR_TYPE_WINDOW_MODEL (enr_window_model_get_type ())

G_DECLARE_FINAL_TYPE (EnrWindowModel, enr_window_model, ENR, WINDOW_MODEL, GObject)

EnrWindowModel *enr_window_model_new          (GListModel     *model,
                                               guint           size);
GListModel     *enr_window_model_get_model    (EnrWindowModel *self);
guint           enr_window_model_get_size     (EnrWindowModel *self);
void            enr_window_model_set_size     (EnrWindowModel *self,
                                               guint           size);
guint           enr_window_model_get_offset   (EnrWindowModel *self);
gboolean        enr_window_model_set_offset   (EnrWindowModel *self,
                                               guint           offset);
guint           enr_window_model_get_max_offset (EnrWindowModel *self);

G_END_DECLS

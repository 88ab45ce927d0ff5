/* enr-row-model.h — stable rows over a list model that replaces its items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ENR_TYPE_ROW (enr_row_get_type ())

G_DECLARE_FINAL_TYPE (EnrRow, enr_row, ENR, ROW, GObject)

gpointer     enr_row_get_item          (EnrRow      *self);
guint        enr_row_get_position      (EnrRow      *self);
gboolean     enr_row_get_listed        (EnrRow      *self);

#define ENR_TYPE_ROW_MODEL (enr_row_model_get_type ())

G_DECLARE_FINAL_TYPE (EnrRowModel, enr_row_model, ENR, ROW_MODEL, GObject)

EnrRowModel *enr_row_model_new         (GListModel  *model);
GListModel  *enr_row_model_get_model   (EnrRowModel *self);

G_END_DECLS

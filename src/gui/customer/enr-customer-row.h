/* enr-customer-row.h — one customer in the search results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-core.h"

G_BEGIN_DECLS

#define ENR_TYPE_CUSTOMER_ROW (enr_customer_row_get_type ())

G_DECLARE_FINAL_TYPE (EnrCustomerRow, enr_customer_row, ENR, CUSTOMER_ROW, GtkListBoxRow)

GtkWidget   *enr_customer_row_new              (void);
EnrCustomer *enr_customer_row_get_customer     (EnrCustomerRow *self);
void         enr_customer_row_set_customer     (EnrCustomerRow *self,
                                                EnrCustomer    *customer);
const char  *enr_customer_row_get_text         (EnrCustomerRow *self);
GtkWidget   *enr_customer_row_get_lines        (EnrCustomerRow *self);
const char  *enr_customer_row_get_layout_text  (EnrCustomerRow *self);
PangoAttrList *enr_customer_row_get_layout_attributes (EnrCustomerRow *self);
void         enr_customer_row_redraw_unseen    (EnrCustomerRow *self);

G_END_DECLS

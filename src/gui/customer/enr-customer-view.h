/* enr-customer-view.h — the Customer View and its zones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"

G_BEGIN_DECLS

#define ENR_TYPE_CUSTOMER_VIEW (enr_customer_view_get_type ())

G_DECLARE_FINAL_TYPE (EnrCustomerView, enr_customer_view, ENR, CUSTOMER_VIEW, GtkWidget)

GtkWidget  *enr_customer_view_new                    (EnrContext      *context);
EnrContext *enr_customer_view_get_context            (EnrCustomerView *self);
void        enr_customer_view_set_context            (EnrCustomerView *self,
                                                      EnrContext      *context);
const char *enr_customer_view_get_customer_id        (EnrCustomerView *self);
void        enr_customer_view_set_customer_id        (EnrCustomerView *self,
                                                      const char      *customer_id);
void        enr_customer_view_reload                 (EnrCustomerView *self);
GtkWidget  *enr_customer_view_get_programs_list      (EnrCustomerView *self);
GtkWidget  *enr_customer_view_get_subscriptions_list (EnrCustomerView *self);
GtkWidget  *enr_customer_view_get_flows_list         (EnrCustomerView *self);
GtkWidget  *enr_customer_view_get_ineligible_list    (EnrCustomerView *self);
GtkWidget  *enr_customer_view_get_appointments_list  (EnrCustomerView *self);
void        enr_customer_view_focus_first_action     (EnrCustomerView *self);

G_END_DECLS

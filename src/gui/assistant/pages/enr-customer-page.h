/* enr-customer-page.h — the Customer panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-page.h"

G_BEGIN_DECLS

#define ENR_TYPE_CUSTOMER_PAGE (enr_customer_page_get_type ())

G_DECLARE_FINAL_TYPE (EnrCustomerPage, enr_customer_page, ENR, CUSTOMER_PAGE, EnrPage)

GtkWidget *enr_customer_page_new (void);

G_END_DECLS

/* enr-summary-page.h — the Summary panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-page.h"

G_BEGIN_DECLS

#define ENR_TYPE_SUMMARY_PAGE (enr_summary_page_get_type ())

G_DECLARE_FINAL_TYPE (EnrSummaryPage, enr_summary_page, ENR, SUMMARY_PAGE, EnrPage)

GtkWidget *enr_summary_page_new     (void);
void       enr_summary_page_refresh (EnrSummaryPage *self);

G_END_DECLS

/* enr-date-entry.h — a date typed as YYYY-MM-DD or picked on a calendar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ENR_TYPE_DATE_ENTRY (enr_date_entry_get_type ())

G_DECLARE_FINAL_TYPE (EnrDateEntry, enr_date_entry, ENR, DATE_ENTRY, GtkWidget)

GtkWidget   *enr_date_entry_new        (void);
const GDate *enr_date_entry_get_date   (EnrDateEntry *self);
void         enr_date_entry_set_date   (EnrDateEntry *self,
                                        const GDate  *date);
const char  *enr_date_entry_get_text   (EnrDateEntry *self);
void         enr_date_entry_set_text   (EnrDateEntry *self,
                                        const char   *text);
gboolean     enr_date_entry_is_valid   (EnrDateEntry *self);
GtkWidget   *enr_date_entry_get_entry  (EnrDateEntry *self);
void         enr_date_entry_set_label  (EnrDateEntry *self,
                                        const char   *label);

G_END_DECLS

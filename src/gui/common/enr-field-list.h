/* enr-field-list.h — read-only fields in a card, one row each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ENR_TYPE_FIELD_LIST (enr_field_list_get_type ())

G_DECLARE_FINAL_TYPE (EnrFieldList, enr_field_list, ENR, FIELD_LIST, GtkWidget)

GtkWidget  *enr_field_list_new            (void);
const char *enr_field_list_get_title      (EnrFieldList *self);
void        enr_field_list_set_title      (EnrFieldList *self,
                                           const char   *title);
void        enr_field_list_set_size_group (EnrFieldList *self,
                                           GtkSizeGroup *size_group);
void        enr_field_list_add_heading    (EnrFieldList *self,
                                           const char   *heading);
GtkWidget  *enr_field_list_append         (EnrFieldList *self,
                                           const char   *name,
                                           const char   *value);
void        enr_field_list_remove_all     (EnrFieldList *self);
guint       enr_field_list_get_n_fields   (EnrFieldList *self);
GtkWidget  *enr_field_list_get_list       (EnrFieldList *self);
const char *enr_field_list_get_value      (EnrFieldList *self,
                                           const char   *name);

G_END_DECLS

/* enr-gui-utils.h — small helpers shared by the widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-core.h"
#include "enr-format.h"

G_BEGIN_DECLS

void        enr_gui_init                     (void);
void        enr_gui_load_style               (void);

void        enr_widget_set_accessible_label  (GtkWidget          *widget,
                                              const char         *label);
void        enr_value_label_set              (GtkLabel           *label,
                                              const char         *field,
                                              const char         *value);
void        enr_button_set_accessible_name   (GtkWidget          *button);
void        enr_widget_set_invalid           (GtkWidget          *widget,
                                              gboolean            invalid);
GtkWidget  *enr_widget_find_first_button     (GtkWidget          *widget);
void        enr_widget_unparent_children     (GtkWidget          *widget);
void        enr_widget_remove_children       (GtkWidget          *widget);
void        enr_list_box_remove_all          (GtkListBox         *list_box);
void        enr_list_set_one_tab_stop        (GtkWidget          *list);

void        enr_drop_down_set_choices        (GtkDropDown        *drop_down,
                                              const char         *placeholder,
                                              const char * const *ids,
                                              const char * const *labels,
                                              const char         *selected_id);
const char *enr_drop_down_placeholder        (void);
void        enr_drop_down_set_items          (GtkDropDown        *drop_down,
                                              const char * const *ids,
                                              const char * const *labels,
                                              const char         *selected_id);
const char *enr_drop_down_get_selected_id    (GtkDropDown        *drop_down);
void        enr_drop_down_select_id          (GtkDropDown        *drop_down,
                                              const char         *id);

G_END_DECLS

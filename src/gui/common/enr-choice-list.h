/* enr-choice-list.h — the items of a drop-down and the codes behind them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ENR_TYPE_CHOICE_LIST (enr_choice_list_get_type ())

G_DECLARE_FINAL_TYPE (EnrChoiceList, enr_choice_list, ENR, CHOICE_LIST, GObject)

EnrChoiceList *enr_choice_list_new             (const char         *placeholder,
                                                const char * const *ids,
                                                const char * const *labels);
gboolean       enr_choice_list_has_placeholder (EnrChoiceList      *self);
const char    *enr_choice_list_get_id          (EnrChoiceList      *self,
                                                guint               position);
guint          enr_choice_list_find            (EnrChoiceList      *self,
                                                const char         *id);

G_END_DECLS

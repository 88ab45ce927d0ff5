/* enr-page.h — the base of the assistant's panels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-flow-session.h"

G_BEGIN_DECLS

#define ENR_TYPE_PAGE (enr_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (EnrPage, enr_page, ENR, PAGE, GtkWidget)

/**
 * EnrPageClass:
 * @bind: show @session's draft; called when the session is set
 * @check: add the page's own errors (e.g. text that is not a date) to
 *   @errors, which holds the core's
 * @shown: the page became the current one
 */
struct _EnrPageClass
{
  GtkWidgetClass parent_class;

  void (*bind)  (EnrPage        *self,
                 EnrFlowSession *session);
  void (*check) (EnrPage        *self,
                 GPtrArray      *errors);
  void (*shown) (EnrPage        *self);

  gpointer padding[8];
};

EnrFlowSession *enr_page_get_session       (EnrPage        *self);
void            enr_page_set_session       (EnrPage        *self,
                                            EnrFlowSession *session);
EnrPanel        enr_page_get_panel         (EnrPage        *self);
const char     *enr_page_get_title         (EnrPage        *self);
void            enr_page_set_title         (EnrPage        *self,
                                            const char     *title);
void            enr_page_add_field         (EnrPage        *self,
                                            const char     *key,
                                            GtkWidget      *widget,
                                            GtkWidget      *error_label);
void            enr_page_set_field_focus   (EnrPage        *self,
                                            const char     *key,
                                            GtkWidget      *focus_widget);
GtkSizeGroup   *enr_page_get_label_size_group (EnrPage     *self);
void            enr_page_remove_fields     (EnrPage        *self,
                                            const char     *prefix);
void            enr_page_set_message_label (EnrPage        *self,
                                            GtkWidget      *label);
GPtrArray      *enr_page_validate          (EnrPage        *self);
guint           enr_page_show_errors       (EnrPage        *self,
                                            GPtrArray      *errors);
void            enr_page_clear_error       (EnrPage        *self,
                                            const char     *key);
void            enr_page_focus             (EnrPage        *self);
void            enr_page_shown             (EnrPage        *self);

G_END_DECLS

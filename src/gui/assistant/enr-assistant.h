/* enr-assistant.h — the window of one process flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-page.h"

G_BEGIN_DECLS

#define ENR_TYPE_ASSISTANT (enr_assistant_get_type ())

G_DECLARE_FINAL_TYPE (EnrAssistant, enr_assistant, ENR, ASSISTANT, GtkWindow)

EnrAssistant   *enr_assistant_new               (EnrContext     *context,
                                                 EnrProcessFlow *flow);
GtkWidget      *enr_assistant_get_sync_indicator (EnrAssistant   *self);
EnrFlowSession *enr_assistant_get_session       (EnrAssistant   *self);
EnrPage        *enr_assistant_get_page          (EnrAssistant   *self,
                                                 EnrPanel        panel);
EnrPanel        enr_assistant_get_current_panel (EnrAssistant   *self);
GtkWidget      *enr_assistant_get_step_indicator (EnrAssistant  *self);
EnrAssistant   *enr_assistant_find              (const char     *flow_id);
EnrAssistant   *enr_assistant_open              (GtkWidget      *from,
                                                 EnrContext     *context,
                                                 EnrProcessFlow *flow);

G_END_DECLS

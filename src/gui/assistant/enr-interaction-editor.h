/* enr-interaction-editor.h — the Interaction Details section of a panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-page.h"

G_BEGIN_DECLS

#define ENR_TYPE_INTERACTION_EDITOR (enr_interaction_editor_get_type ())

G_DECLARE_FINAL_TYPE (EnrInteractionEditor, enr_interaction_editor, ENR, INTERACTION_EDITOR, GtkWidget)

void enr_interaction_editor_bind (EnrInteractionEditor *self,
                                  EnrPage              *page,
                                  EnrFlowSession       *session);

G_END_DECLS

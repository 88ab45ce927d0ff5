/* enr-interaction.h — the Interaction Details of one panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_INTERACTION (enr_interaction_get_type ())

G_DECLARE_FINAL_TYPE (EnrInteraction, enr_interaction, ENR, INTERACTION, GObject)

EnrInteraction *enr_interaction_new          (void);
EnrPanel        enr_interaction_get_panel    (EnrInteraction *self);
void            enr_interaction_set_panel    (EnrInteraction *self,
                                              EnrPanel        panel);
const char     *enr_interaction_get_channel  (EnrInteraction *self);
void            enr_interaction_set_channel  (EnrInteraction *self,
                                              const char     *channel);
const char     *enr_interaction_get_class    (EnrInteraction *self);
void            enr_interaction_set_class    (EnrInteraction *self,
                                              const char     *class_code);
const char     *enr_interaction_get_category (EnrInteraction *self);
void            enr_interaction_set_category (EnrInteraction *self,
                                              const char     *category);
const char     *enr_interaction_get_notes    (EnrInteraction *self);
void            enr_interaction_set_notes    (EnrInteraction *self,
                                              const char     *notes);
gboolean        enr_interaction_is_empty     (EnrInteraction *self);

G_END_DECLS

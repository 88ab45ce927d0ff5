/* enr-task-transition.h — one change of a service task's status, in its history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_TASK_TRANSITION (enr_task_transition_get_type ())

G_DECLARE_FINAL_TYPE (EnrTaskTransition, enr_task_transition, ENR, TASK_TRANSITION, GObject)

EnrTaskTransition *enr_task_transition_new        (void);
EnrTaskStatus      enr_task_transition_get_from   (EnrTaskTransition *self);
void               enr_task_transition_set_from   (EnrTaskTransition *self,
                                                   EnrTaskStatus      from);
EnrTaskStatus      enr_task_transition_get_to     (EnrTaskTransition *self);
void               enr_task_transition_set_to     (EnrTaskTransition *self,
                                                   EnrTaskStatus      to);
const char        *enr_task_transition_get_by     (EnrTaskTransition *self);
void               enr_task_transition_set_by     (EnrTaskTransition *self,
                                                   const char        *by);
GDateTime         *enr_task_transition_get_at     (EnrTaskTransition *self);
void               enr_task_transition_set_at     (EnrTaskTransition *self,
                                                   GDateTime         *at);
const char        *enr_task_transition_get_reason (EnrTaskTransition *self);
void               enr_task_transition_set_reason (EnrTaskTransition *self,
                                                   const char        *reason);

G_END_DECLS

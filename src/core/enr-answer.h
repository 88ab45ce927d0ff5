/* enr-answer.h — a clerk's answer to one question of a flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ENR_TYPE_ANSWER (enr_answer_get_type ())

G_DECLARE_FINAL_TYPE (EnrAnswer, enr_answer, ENR, ANSWER, GObject)

EnrAnswer          *enr_answer_new             (void);
const char         *enr_answer_get_question_id (EnrAnswer *self);
void                enr_answer_set_question_id (EnrAnswer  *self,
                                                const char *question_id);
const char * const *enr_answer_get_values      (EnrAnswer *self);
void                enr_answer_set_values      (EnrAnswer          *self,
                                                const char * const *values);

G_END_DECLS

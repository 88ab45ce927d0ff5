/* enr-question.h — a question asked during enrollment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"
#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_QUESTION (enr_question_get_type ())

G_DECLARE_FINAL_TYPE (EnrQuestion, enr_question, ENR, QUESTION, EnrEntity)

EnrQuestion        *enr_question_new                  (void);
const char         *enr_question_get_code             (EnrQuestion *self);
void                enr_question_set_code             (EnrQuestion *self,
                                                       const char  *code);
const char         *enr_question_get_text             (EnrQuestion *self);
void                enr_question_set_text             (EnrQuestion *self,
                                                       const char  *text);
EnrQuestionKind     enr_question_get_kind             (EnrQuestion *self);
void                enr_question_set_kind             (EnrQuestion    *self,
                                                       EnrQuestionKind kind);
EnrAnswerStyle      enr_question_get_answer_style     (EnrQuestion *self);
void                enr_question_set_answer_style     (EnrQuestion   *self,
                                                       EnrAnswerStyle answer_style);
gboolean            enr_question_get_required         (EnrQuestion *self);
void                enr_question_set_required         (EnrQuestion *self,
                                                       gboolean     required);
const char * const *enr_question_get_valid_answers    (EnrQuestion *self);
void                enr_question_set_valid_answers    (EnrQuestion        *self,
                                                       const char * const *valid_answers);
const char * const *enr_question_get_expected_answers (EnrQuestion *self);
void                enr_question_set_expected_answers (EnrQuestion        *self,
                                                       const char * const *expected_answers);
int                 enr_question_get_position         (EnrQuestion *self);
void                enr_question_set_position         (EnrQuestion *self,
                                                       int          position);

G_END_DECLS

/* enr-question-row.h — one qualification or informational question
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-flow-session.h"

G_BEGIN_DECLS

#define ENR_TYPE_QUESTION_ROW (enr_question_row_get_type ())

G_DECLARE_FINAL_TYPE (EnrQuestionRow, enr_question_row, ENR, QUESTION_ROW, GtkWidget)

GtkWidget   *enr_question_row_new               (EnrQuestion    *question,
                                                 EnrFlowSession *session);
EnrQuestion *enr_question_row_get_question      (EnrQuestionRow *self);
GtkWidget   *enr_question_row_get_answer_widget (EnrQuestionRow *self);
GtkWidget   *enr_question_row_get_error_label   (EnrQuestionRow *self);
char        *enr_question_row_get_field_key     (EnrQuestionRow *self);

G_END_DECLS

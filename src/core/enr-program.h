/* enr-program.h — a demand-response or DER offering
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"
#include "enr-enums.h"
#include "enr-program-exclusion.h"
#include "enr-question.h"

G_BEGIN_DECLS

#define ENR_TYPE_PROGRAM (enr_program_get_type ())

G_DECLARE_FINAL_TYPE (EnrProgram, enr_program, ENR, PROGRAM, EnrEntity)

EnrProgram         *enr_program_new                           (void);
const char         *enr_program_get_code                      (EnrProgram *self);
void                enr_program_set_code                      (EnrProgram *self,
                                                               const char *code);
const char         *enr_program_get_name                      (EnrProgram *self);
void                enr_program_set_name                      (EnrProgram *self,
                                                               const char *name);
const char         *enr_program_get_description               (EnrProgram *self);
void                enr_program_set_description               (EnrProgram *self,
                                                               const char *description);
const char         *enr_program_get_program_type_id           (EnrProgram *self);
void                enr_program_set_program_type_id           (EnrProgram *self,
                                                               const char *program_type_id);
EnrProgramStatus    enr_program_get_status                    (EnrProgram *self);
void                enr_program_set_status                    (EnrProgram      *self,
                                                               EnrProgramStatus status);
gboolean            enr_program_get_suspended                 (EnrProgram *self);
void                enr_program_set_suspended                 (EnrProgram *self,
                                                               gboolean    suspended);
const GDate        *enr_program_get_start_date                (EnrProgram *self);
void                enr_program_set_start_date                (EnrProgram  *self,
                                                               const GDate *start_date);
const GDate        *enr_program_get_end_date                  (EnrProgram *self);
void                enr_program_set_end_date                  (EnrProgram  *self,
                                                               const GDate *end_date);
const char         *enr_program_get_division                  (EnrProgram *self);
void                enr_program_set_division                  (EnrProgram *self,
                                                               const char *division);
const char * const *enr_program_get_rate_codes                (EnrProgram *self);
void                enr_program_set_rate_codes                (EnrProgram         *self,
                                                               const char * const *rate_codes);
const char * const *enr_program_get_device_specifications     (EnrProgram *self);
void                enr_program_set_device_specifications     (EnrProgram         *self,
                                                               const char * const *device_specifications);
const char         *enr_program_get_initiative_id             (EnrProgram *self);
void                enr_program_set_initiative_id             (EnrProgram *self,
                                                               const char *initiative_id);
GPtrArray          *enr_program_get_questions                 (EnrProgram *self);
void                enr_program_set_questions                 (EnrProgram *self,
                                                               GPtrArray  *questions);
void                enr_program_add_question                  (EnrProgram  *self,
                                                               EnrQuestion *question);
const char         *enr_program_get_enrollment_task_type_id   (EnrProgram *self);
void                enr_program_set_enrollment_task_type_id   (EnrProgram *self,
                                                               const char *enrollment_task_type_id);
const char         *enr_program_get_unenrollment_task_type_id (EnrProgram *self);
void                enr_program_set_unenrollment_task_type_id (EnrProgram *self,
                                                               const char *unenrollment_task_type_id);
const char         *enr_program_get_action_method_id          (EnrProgram *self);
void                enr_program_set_action_method_id          (EnrProgram *self,
                                                               const char *action_method_id);
EnrQuestion        *enr_program_find_question                 (EnrProgram *self,
                                                               const char *question_id);
GPtrArray          *enr_program_get_exclusions                (EnrProgram *self);
void                enr_program_set_exclusions                (EnrProgram *self,
                                                               GPtrArray  *exclusions);
void                enr_program_add_exclusion                 (EnrProgram          *self,
                                                               EnrProgramExclusion *exclusion);
int                 enr_program_get_premise_limit             (EnrProgram *self);
void                enr_program_set_premise_limit             (EnrProgram *self,
                                                               int         premise_limit);
const char         *enr_program_get_terms_version             (EnrProgram *self);
void                enr_program_set_terms_version             (EnrProgram *self,
                                                               const char *terms_version);

G_END_DECLS

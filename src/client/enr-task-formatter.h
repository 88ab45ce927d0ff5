/* enr-task-formatter.h — the texts of a service task in the supervisors'
 * list and its CSV export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-context.h"

G_BEGIN_DECLS

#define ENR_TYPE_TASK_FORMATTER (enr_task_formatter_get_type ())

G_DECLARE_FINAL_TYPE (EnrTaskFormatter, enr_task_formatter, ENR, TASK_FORMATTER, GObject)

EnrTaskFormatter *enr_task_formatter_new               (EnrContext       *context);
void              enr_task_formatter_clear             (EnrTaskFormatter *self);
const char       *enr_task_formatter_customer_name     (EnrTaskFormatter *self,
                                                        const char       *customer_id);
const char       *enr_task_formatter_program_name      (EnrTaskFormatter *self,
                                                        const char       *program_id);
const char       *enr_task_formatter_crew_name         (EnrTaskFormatter *self,
                                                        const char       *crew_id);
char             *enr_task_formatter_age               (EnrTaskFormatter *self,
                                                        EnrServiceTask   *task,
                                                        gint64            now);
char             *enr_task_formatter_appointment       (EnrTaskFormatter *self,
                                                        EnrServiceTask   *task);

gint64            enr_task_age_seconds                 (EnrServiceTask   *task,
                                                        gint64            now);

G_END_DECLS

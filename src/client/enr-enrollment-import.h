/* enr-enrollment-import.h — Import Enrollments…: preview, queue, results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-context.h"

G_BEGIN_DECLS

typedef enum
{
  ENR_IMPORT_OUTCOME_PENDING,   /*< nick=pending >*/   /* not judged yet */
  ENR_IMPORT_OUTCOME_READY,     /*< nick=ready >*/
  ENR_IMPORT_OUTCOME_REFUSED,   /*< nick=refused >*/
  ENR_IMPORT_OUTCOME_QUEUED,    /*< nick=queued >*/
  ENR_IMPORT_OUTCOME_CANCELED,  /*< nick=canceled >*/  /* ready, not queued: the clerk canceled */
  ENR_IMPORT_OUTCOME_FAILED,    /*< nick=failed >*/    /* the local store refused to queue it */
} EnrImportOutcome;

#define ENR_TYPE_IMPORT_ROW (enr_import_row_get_type ())

G_DECLARE_FINAL_TYPE (EnrImportRow, enr_import_row, ENR, IMPORT_ROW, GObject)

guint             enr_import_row_get_line          (EnrImportRow *self);
const char       *enr_import_row_get_account       (EnrImportRow *self);
const char       *enr_import_row_get_program_code  (EnrImportRow *self);
const char       *enr_import_row_get_customer_name (EnrImportRow *self);
const char       *enr_import_row_get_program_name  (EnrImportRow *self);
EnrImportOutcome  enr_import_row_get_outcome       (EnrImportRow *self);
const char       *enr_import_row_get_reasons       (EnrImportRow *self);
const char       *enr_import_row_get_task_id       (EnrImportRow *self);
const char       *enr_import_outcome_label         (EnrImportOutcome outcome);

#define ENR_TYPE_ENROLLMENT_IMPORT (enr_enrollment_import_get_type ())

G_DECLARE_FINAL_TYPE (EnrEnrollmentImport, enr_enrollment_import, ENR, ENROLLMENT_IMPORT, GObject)

EnrEnrollmentImport *enr_enrollment_import_new         (EnrContext           *context);
gboolean             enr_enrollment_import_load        (EnrEnrollmentImport  *self,
                                                        GFile                *file,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
gboolean             enr_enrollment_import_load_data   (EnrEnrollmentImport  *self,
                                                        const char           *data,
                                                        gsize                 length,
                                                        GError              **error);
GListModel          *enr_enrollment_import_get_rows    (EnrEnrollmentImport  *self);
guint                enr_enrollment_import_get_n_rows  (EnrEnrollmentImport  *self);
guint                enr_enrollment_import_count       (EnrEnrollmentImport  *self,
                                                        EnrImportOutcome      outcome);

/* The preview: judges up to @max_rows more rows; returns how many are
 * judged so far (all: enr_enrollment_import_get_n_rows()). */
guint                enr_enrollment_import_judge       (EnrEnrollmentImport  *self,
                                                        guint                 max_rows);
gboolean             enr_enrollment_import_is_judged   (EnrEnrollmentImport  *self);

/* Queueing the ready rows as process flows, through the outbox. */
guint                enr_enrollment_import_queue       (EnrEnrollmentImport  *self,
                                                        guint                 max_rows,
                                                        GError              **error);
gboolean             enr_enrollment_import_is_queued   (EnrEnrollmentImport  *self);
guint                enr_enrollment_import_get_n_to_queue (EnrEnrollmentImport *self);
guint                enr_enrollment_import_get_n_handled  (EnrEnrollmentImport *self);
void                 enr_enrollment_import_cancel      (EnrEnrollmentImport  *self);

char                *enr_enrollment_import_export      (EnrEnrollmentImport  *self);
gboolean             enr_enrollment_import_export_to_file (EnrEnrollmentImport *self,
                                                        GFile                *file,
                                                        GError              **error);

G_END_DECLS

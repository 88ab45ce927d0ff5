/* enr-import-dialog.h — Import Enrollments…: the preview and the queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-enrollment-import.h"

G_BEGIN_DECLS

/* EnrImportDialog:state, for the tests and the accessibility tree. */
#define ENR_IMPORT_STATE_PREVIEWING "previewing"   /* rows being checked */
#define ENR_IMPORT_STATE_PREVIEWED  "previewed"    /* every row checked, nothing queued */
#define ENR_IMPORT_STATE_STOPPED    "stopped"      /* the preview was stopped */
#define ENR_IMPORT_STATE_QUEUEING   "queueing"
#define ENR_IMPORT_STATE_QUEUED     "queued"       /* done: queued, or stopped with some queued */
#define ENR_IMPORT_STATE_REFUSED    "refused"      /* the file was refused whole */

#define ENR_TYPE_IMPORT_DIALOG (enr_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EnrImportDialog, enr_import_dialog, ENR, IMPORT_DIALOG, GtkWindow)

EnrImportDialog     *enr_import_dialog_new        (GtkWindow       *parent,
                                                   EnrContext      *context,
                                                   GFile           *file);
const char          *enr_import_dialog_get_state  (EnrImportDialog *self);
EnrEnrollmentImport *enr_import_dialog_get_import (EnrImportDialog *self);
void                 enr_import_dialog_queue      (EnrImportDialog *self);
void                 enr_import_dialog_stop       (EnrImportDialog *self);
gboolean             enr_import_dialog_export     (EnrImportDialog *self,
                                                   GFile           *file,
                                                   GError         **error);

G_END_DECLS

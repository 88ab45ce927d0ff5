/* enr-letter-print.h — Print… and Save as PDF of a confirmation letter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"

G_BEGIN_DECLS

void            enr_letter_print         (GtkWidget   *parent,
                                          EnrContext  *context,
                                          const char  *task_id);
void            enr_letter_save_pdf      (GtkWidget   *parent,
                                          EnrContext  *context,
                                          const char  *task_id);
gboolean        enr_letter_export_pdf    (EnrContext  *context,
                                          const char  *task_id,
                                          GFile       *file,
                                          GError     **error);

G_END_DECLS

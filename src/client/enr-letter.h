/* enr-letter.h — a customer's confirmation letter: one cairo drawing for
 * the printer, the PDF file and the batch mailing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "enr-context.h"

G_BEGIN_DECLS

#define ENR_LETTER_ERROR (enr_letter_error_quark ())

typedef enum
{
  ENR_LETTER_ERROR_UNKNOWN_TASK,
  ENR_LETTER_ERROR_NOTHING_TO_CONFIRM,
  ENR_LETTER_ERROR_UNKNOWN_CUSTOMER,
  ENR_LETTER_ERROR_NO_USER,
  ENR_LETTER_ERROR_WRITE,
} EnrLetterError;

/* How the letter went out: recorded in its communication's notes. */
typedef enum
{
  ENR_LETTER_DELIVERY_PRINTED,
  ENR_LETTER_DELIVERY_PDF,
} EnrLetterDelivery;

#define ENR_TYPE_LETTER (enr_letter_get_type ())

G_DECLARE_FINAL_TYPE (EnrLetter, enr_letter, ENR, LETTER, GObject)

GQuark          enr_letter_error_quark      (void);

EnrLetter      *enr_letter_new_for_task     (EnrContext         *context,
                                             const char         *task_id,
                                             GError            **error);
const char     *enr_letter_get_task_id      (EnrLetter          *self);
const char     *enr_letter_get_customer_id  (EnrLetter          *self);
const char     *enr_letter_get_title        (EnrLetter          *self);
char           *enr_letter_get_text         (EnrLetter          *self);

/* Drawing, in points on a page of WIDTH × HEIGHT points. */
guint           enr_letter_paginate         (EnrLetter          *self,
                                             cairo_t            *cr,
                                             double              width,
                                             double              height);
void            enr_letter_draw_page        (EnrLetter          *self,
                                             cairo_t            *cr,
                                             double              width,
                                             double              height,
                                             guint               page);
void            enr_letter_get_default_page_size (double        *width,
                                                  double        *height);
gboolean        enr_letter_write_pdf        (EnrLetter          *self,
                                             GFile              *file,
                                             double              width,
                                             double              height,
                                             GError            **error);

EnrCustomerCommunication *enr_letter_record_sent (EnrLetter          *self,
                                                  EnrContext         *context,
                                                  EnrLetterDelivery   delivery,
                                                  GError            **error);

gboolean        enr_letter_is_for_task      (EnrServiceTask     *task);

G_END_DECLS

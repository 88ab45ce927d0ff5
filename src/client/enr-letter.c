/* enr-letter.c — a customer's confirmation letter: one cairo drawing for
 * the printer, the PDF file and the batch mailing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A letter is made from a service task in the client store: an
 * enrollment's letter says what the customer joined and from when, an
 * unenrollment's that they leave and when. An enrollment's letter also
 * says how, when and to which version of the program's terms the
 * customer consented, when a consent is on record. Both give the booked
 * appointment (its date and time window) or say none is needed, and how
 * to leave the program (or ask about it) with the contact of the
 * settings "letter-sender" and "letter-contact". The text is in the
 * user's language (gettext) and laid out with Pango in one flow, cut
 * into pages at line boundaries; every page has its number at the foot.
 *
 * The same drawing (enr_letter_paginate() and enr_letter_draw_page(),
 * in points) serves GtkPrintOperation in the desktop client (printing
 * and Save as PDF) and enr_letter_write_pdf(), which the headless
 * `enrollment-desk --letter TASK-ID --pdf FILE` uses without a display.
 * A file is written whole or not at all (g_file_replace()).
 *
 * enr_letter_record_sent() logs the letter as a customer communication
 * (channel letter, category written, the task's class) and queues its
 * create-communication operation: the outbox delivers it to the service
 * once, offline or not.
 */

#define _GNU_SOURCE
#include "config.h"

#include <langinfo.h>
#include <string.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "enr-format.h"
#include "enr-letter.h"
#include "enr-outbox.h"
#include "enr-sync-engine.h"

/* Points (1/72 inch). */
#define MARGIN_SIDE   64.0
#define MARGIN_TOP    56.0
#define MARGIN_BOTTOM 64.0
#define FOOTER_GAP    28.0
#define FONT          "Sans 10.5"
#define FOOTER_FONT   "Sans 8"

struct _EnrLetter
{
  GObject  parent_instance;

  char    *task_id;
  char    *customer_id;
  char    *program_id;
  char    *program_name;
  char    *title;
  char    *markup;
  EnrTaskKind kind;

  /* The last pagination: the first line of every page. */
  double   width;
  double   height;
  GArray  *page_starts;
  int      n_lines;
};

G_DEFINE_FINAL_TYPE (EnrLetter, enr_letter, G_TYPE_OBJECT)

G_DEFINE_QUARK (enr-letter-error-quark, enr_letter_error)

static void
enr_letter_finalize (GObject *object)
{
  EnrLetter *self = ENR_LETTER (object);

  g_free (self->task_id);
  g_free (self->customer_id);
  g_free (self->program_id);
  g_free (self->program_name);
  g_free (self->title);
  g_free (self->markup);
  g_clear_pointer (&self->page_starts, g_array_unref);

  G_OBJECT_CLASS (enr_letter_parent_class)->finalize (object);
}

static void
enr_letter_class_init (EnrLetterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = enr_letter_finalize;
}

static void
enr_letter_init (EnrLetter *self)
{
  self->page_starts = g_array_new (FALSE, FALSE, sizeof (int));
}

/* Text */

static void G_GNUC_PRINTF (2, 3)
append_markup (GString    *markup,
               const char *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_markup_vprintf_escaped (format, args);
  va_end (args);

  g_string_append (markup, text);
}

/* @text (taken) as a paragraph. */
static void
append_paragraph (GString *markup,
                  char    *text)
{
  append_markup (markup, "%s\n", text);
  g_free (text);
}

static void
append_heading (GString    *markup,
                const char *heading)
{
  append_markup (markup, "\n<span weight=\"bold\" size=\"larger\">%s</span>\n", heading);
}

/* A label and its value on one line, the label in bold. */
static void
append_field (GString    *markup,
              const char *label,
              const char *value)
{
  /* Translators: a field of the letter, e.g. "Start date: Mon, 1 Jun 2026" */
  g_autofree char *line = g_strdup_printf (_("%s: %s"), label, value);
  g_autofree char *escaped_label = g_markup_escape_text (label, -1);
  g_autofree char *escaped_line = g_markup_escape_text (line, -1);
  const char *rest = strstr (escaped_line, escaped_label);

  /* The label in bold where the translation keeps it. */
  if (rest != NULL)
    {
      g_string_append_len (markup, escaped_line, rest - escaped_line);
      g_string_append_printf (markup, "<b>%s</b>%s\n", escaped_label, rest + strlen (escaped_label));
    }
  else
    g_string_append_printf (markup, "%s\n", escaped_line);
}

/* An address on several lines: its own lines, else cut after the
 * street ("1423 Maple Ave, Riverbend, OR 97401"). */
static void
append_address (GString    *markup,
                const char *address)
{
  const char *comma;

  if (address == NULL || address[0] == '\0')
    return;

  comma = strchr (address, '\n') == NULL ? strstr (address, ", ") : NULL;
  if (comma != NULL)
    {
      g_autofree char *street = g_strndup (address, comma - address);

      append_markup (markup, "%s\n%s\n", street, comma + 2);
    }
  else
    append_markup (markup, "%s\n", address);
}

static char *
format_long_date_time (GDateTime  *date_time,
                       const char *format)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date_time);

  return g_date_time_format (local, format);
}

static char *
format_long_date (const GDate *date)
{
  char buffer[128];

  if (date == NULL || !g_date_valid (date))
    /* Translators: a start or end date in a letter that is not set yet */
    return g_strdup (_("to be confirmed"));

  /* Translators: a date written out in a letter, as a strftime() format */
  /* xgettext:no-c-format */
  if (g_date_strftime (buffer, sizeof buffer, _("%A, %-d %B %Y"), date) == 0)
    return enr_format_date (date);

  return g_strdup (buffer);
}

/* Booked appointments of @task that have not ended by @now, earliest first. */
static GPtrArray *
list_appointments (EnrServiceTask *task)
{
  GPtrArray *appointments = enr_service_task_get_appointments (task);
  GPtrArray *booked = g_ptr_array_new ();

  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i);

      if (enr_appointment_get_status (appointment) == ENR_APPOINTMENT_STATUS_BOOKED &&
          enr_appointment_get_start (appointment) != NULL && enr_appointment_get_end (appointment) != NULL)
        g_ptr_array_add (booked, appointment);
    }

  return booked;
}

static void
append_appointments (GString        *markup,
                     EnrContext     *context,
                     EnrServiceTask *task)
{
  g_autoptr(GPtrArray) booked = list_appointments (task);

  append_heading (markup, g_dngettext (GETTEXT_PACKAGE, "Your appointment", "Your appointments",
                                       MAX (booked->len, 1)));

  if (booked->len == 0)
    {
      append_markup (markup, "%s\n",
                     enr_service_task_get_kind (task) == ENR_TASK_KIND_ENROLLMENT
                       ? _("No visit to your home is needed for this enrollment.")
                       : _("No visit to your home is needed to end this enrollment."));
      return;
    }

  for (guint i = 0; i < booked->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (booked, i);
      g_autoptr(EnrActivityType) activity_type = NULL;
      /* Translators: an appointment's day in a letter, as a g_date_time_format() format */
      g_autofree char *day = format_long_date_time (enr_appointment_get_start (appointment), _("%A, %-d %B %Y"));
      g_autofree char *from = format_long_date_time (enr_appointment_get_start (appointment), "%H:%M");
      g_autofree char *to = format_long_date_time (enr_appointment_get_end (appointment), "%H:%M");
      /* Translators: an appointment's time window in a letter, e.g. "between 08:00 and 10:00" */
      g_autofree char *window = g_strdup_printf (_("between %s and %s"), from, to);

      if (i > 0)
        g_string_append_c (markup, '\n');

      activity_type = enr_context_lookup (context, ENR_TYPE_ACTIVITY_TYPE,
                                          enr_appointment_get_activity_type_id (appointment));
      if (activity_type != NULL)
        append_field (markup, _("Work"), enr_activity_type_get_name (activity_type));
      append_field (markup, _("Date"), day);
      append_field (markup, _("Time"), window);
    }

  append_markup (markup, "%s\n",
                 _("Someone over 18 must be at home during the appointment. If the time does not suit you, contact us and we will find another."));
}

/* How, when and to which version of the program's terms the customer
 * consented, as the task keeps it; nothing when no consent is on record. */
static void
append_consent (GString        *markup,
                EnrServiceTask *task,
                const char     *program_name)
{
  EnrConsent *consent = enr_service_task_get_consent (task);
  GDateTime *given_at;
  const char *terms;

  if (consent == NULL || enr_consent_get_method (consent) == ENR_CONSENT_METHOD_NONE)
    return;

  given_at = enr_consent_get_given_at (consent);
  terms = enr_consent_get_terms_version (consent);

  append_heading (markup, _("Your consent"));
  append_field (markup, _("How you agreed"), enr_consent_method_label (enr_consent_get_method (consent)));
  if (given_at != NULL)
    {
      /* Translators: when the customer consented, in a letter, as a g_date_time_format() format */
      g_autofree char *when = format_long_date_time (given_at, _("%A, %-d %B %Y, %H:%M"));

      append_field (markup, _("When you agreed"), when);
    }
  if (terms != NULL && terms[0] != '\0')
    {
      append_field (markup, _("Terms version"), terms);
      /* Translators: after the consent in a letter: the terms' version and the program */
      append_paragraph (markup, g_strdup_printf (_("You agreed to version %s of the terms of %s. Ask us for a copy of them at any time."),
                                                 terms, program_name));
    }
}

static char *
get_setting (EnrContext *context,
             const char *key)
{
  GSettings *settings = enr_context_get_settings (context);
  g_autoptr(GSettingsSchema) schema = NULL;
  char *value;

  if (settings == NULL)
    return NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    return NULL;

  value = g_strstrip (g_settings_get_string (settings, key));
  if (value[0] == '\0')
    g_clear_pointer (&value, g_free);

  return value;
}

static void
build_text (EnrLetter       *self,
            EnrContext      *context,
            EnrServiceTask  *task,
            EnrCustomer     *customer,
            EnrProgram      *program)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  g_autoptr(GDateTime) now = enr_context_get_now (context);
  g_autofree char *sender = get_setting (context, "letter-sender");
  g_autofree char *contact = get_setting (context, "letter-contact");
  /* Translators: the date at the head of a letter, as a g_date_time_format() format */
  g_autofree char *today = format_long_date_time (now, _("%-d %B %Y"));
  g_autofree char *start = NULL;
  g_auto(GStrv) sender_lines = NULL;
  const char *account = enr_customer_get_account_id (customer);
  const char *name = enr_customer_get_name (customer);
  gboolean enrollment = self->kind == ENR_TASK_KIND_ENROLLMENT;

  if (sender == NULL)
    /* Translators: who sends the letter when the setting letter-sender is empty */
    sender = g_strdup (_("Customer Programs"));
  sender_lines = g_strsplit (sender, "\n", -1);

  /* The sender, the first line in bold. */
  for (guint i = 0; sender_lines[i] != NULL; i++)
    append_markup (markup, i == 0 ? "<b>%s</b>\n" : "%s\n", g_strstrip (sender_lines[i]));
  g_string_append_c (markup, '\n');
  append_markup (markup, "%s\n\n", today);

  /* The addressee. */
  append_markup (markup, "%s\n", name);
  append_address (markup, enr_customer_get_mailing_address (customer));
  if (account != NULL && account[0] != '\0')
    {
      /* Translators: the customer's account under their address in a letter */
      g_autofree char *line = g_strdup_printf (_("Account %s"), account);

      append_markup (markup, "%s\n", line);
    }
  g_string_append_c (markup, '\n');

  append_markup (markup, "<span weight=\"bold\" size=\"x-large\">%s</span>\n\n", self->title);
  /* Translators: the greeting of a letter, with the customer's name */
  append_paragraph (markup, g_strdup_printf (_("Dear %s,"), name));
  g_string_append_c (markup, '\n');

  if (enrollment)
    {
      /* Translators: the first paragraph of an enrollment's letter */
      append_paragraph (markup, g_strdup_printf (_("Thank you for joining %s. This letter confirms your enrollment and what happens next."),
                                                 self->program_name));
      append_heading (markup, _("What you joined"));
      start = format_long_date (enr_service_task_get_start_date (task));
    }
  else
    {
      /* Translators: the first paragraph of an unenrollment's letter */
      append_paragraph (markup, g_strdup_printf (_("This letter confirms that your enrollment in %s ends, as you asked."),
                                                 self->program_name));
      append_heading (markup, _("What ends"));
      start = format_long_date (enr_service_task_get_stop_date (task));
    }

  append_field (markup, _("Program"), self->program_name);
  if (program != NULL && enr_program_get_description (program) != NULL && enrollment)
    append_markup (markup, "%s\n", enr_program_get_description (program));
  append_field (markup, enrollment ? _("Start date") : _("End date"), start);
  append_field (markup, _("Reference"), self->task_id);

  if (enrollment)
    append_consent (markup, task, self->program_name);

  append_appointments (markup, context, task);

  if (enrollment)
    {
      append_heading (markup, _("How to leave the program"));
      if (contact != NULL)
        /* Translators: how to leave a program: its name, the contact and the account */
        append_paragraph (markup, g_strdup_printf (_("You may leave %s at any time. Contact us at %s and give your account number, %s; we confirm the end of your enrollment in writing."),
                                                   self->program_name, contact, enr_or_dash (account)));
      else
        /* Translators: how to leave a program when no contact is set: its name and the account */
        append_paragraph (markup, g_strdup_printf (_("You may leave %s at any time. Write to us at the address above and give your account number, %s; we confirm the end of your enrollment in writing."),
                                                   self->program_name, enr_or_dash (account)));
    }
  else
    {
      append_heading (markup, _("Questions"));
      if (contact != NULL)
        /* Translators: after an unenrollment's letter: the contact and the account */
        append_paragraph (markup, g_strdup_printf (_("If this is not what you asked for, or to join again later, contact us at %s and give your account number, %s."),
                                                   contact, enr_or_dash (account)));
      else
        /* Translators: after an unenrollment's letter when no contact is set: the account */
        append_paragraph (markup, g_strdup_printf (_("If this is not what you asked for, or to join again later, write to us at the address above and give your account number, %s."),
                                                   enr_or_dash (account)));
    }

  append_markup (markup, "\n%s\n\n%s\n", _("Yours sincerely,"), g_strstrip (sender_lines[0]));

  self->markup = g_string_free (g_steal_pointer (&markup), FALSE);
}

/**
 * enr_letter_is_for_task:
 *
 * Returns: whether @task has a letter: an enrollment or unenrollment
 *   that was not canceled
 */
gboolean
enr_letter_is_for_task (EnrServiceTask *task)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), FALSE);

  return enr_service_task_get_status (task) != ENR_TASK_STATUS_CANCELED;
}

/**
 * enr_letter_new_for_task:
 * @task_id: a service task in the client store
 *
 * Returns: (transfer full) (nullable): the letter of the task, or %NULL
 *   with %ENR_LETTER_ERROR_UNKNOWN_TASK, _UNKNOWN_CUSTOMER or
 *   _NOTHING_TO_CONFIRM (a canceled task)
 */
EnrLetter *
enr_letter_new_for_task (EnrContext  *context,
                         const char  *task_id,
                         GError     **error)
{
  g_autoptr(EnrLetter) self = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrCustomer) customer = NULL;
  g_autoptr(EnrProgram) program = NULL;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (task_id != NULL && task_id[0] != '\0')
    task = enr_context_lookup (context, ENR_TYPE_SERVICE_TASK, task_id);
  if (task == NULL)
    {
      g_set_error (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_UNKNOWN_TASK,
                   _("There is no service task “%s” on this computer"), task_id != NULL ? task_id : "");
      return NULL;
    }

  if (!enr_letter_is_for_task (task))
    {
      g_set_error (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_NOTHING_TO_CONFIRM,
                   _("Service task %s was canceled: there is nothing to confirm"), task_id);
      return NULL;
    }

  customer = enr_context_lookup (context, ENR_TYPE_CUSTOMER, enr_service_task_get_customer_id (task));
  if (customer == NULL)
    {
      g_set_error (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_UNKNOWN_CUSTOMER,
                   _("The customer of service task %s is not on this computer"), task_id);
      return NULL;
    }

  program = enr_context_lookup (context, ENR_TYPE_PROGRAM, enr_service_task_get_program_id (task));

  self = g_object_new (ENR_TYPE_LETTER, NULL);
  self->task_id = g_strdup (task_id);
  self->customer_id = g_strdup (enr_service_task_get_customer_id (task));
  self->program_id = g_strdup (enr_service_task_get_program_id (task));
  self->program_name = g_strdup (program != NULL ? enr_program_get_name (program)
                                                 : enr_or_dash (enr_service_task_get_program_id (task)));
  self->kind = enr_service_task_get_kind (task);
  if (self->kind == ENR_TASK_KIND_ENROLLMENT)
    /* Translators: the subject of an enrollment's letter, with the program */
    self->title = g_strdup_printf (_("Your enrollment in %s"), self->program_name);
  else
    /* Translators: the subject of an unenrollment's letter, with the program */
    self->title = g_strdup_printf (_("The end of your enrollment in %s"), self->program_name);

  build_text (self, context, task, customer, program);

  return g_steal_pointer (&self);
}

const char *
enr_letter_get_task_id (EnrLetter *self)
{
  g_return_val_if_fail (ENR_IS_LETTER (self), NULL);

  return self->task_id;
}

const char *
enr_letter_get_customer_id (EnrLetter *self)
{
  g_return_val_if_fail (ENR_IS_LETTER (self), NULL);

  return self->customer_id;
}

/**
 * enr_letter_get_title:
 *
 * Returns: the letter's subject, e.g. "Your enrollment in Smart Thermostat Rewards"
 */
const char *
enr_letter_get_title (EnrLetter *self)
{
  g_return_val_if_fail (ENR_IS_LETTER (self), NULL);

  return self->title;
}

/**
 * enr_letter_get_text:
 *
 * Returns: (transfer full): the letter's text, without its layout
 */
char *
enr_letter_get_text (EnrLetter *self)
{
  char *text = NULL;

  g_return_val_if_fail (ENR_IS_LETTER (self), NULL);

  if (!pango_parse_markup (self->markup, -1, 0, NULL, &text, NULL, NULL))
    g_return_val_if_reached (g_strdup (""));

  return text;
}

/* Drawing */

/* The letter in one layout for a page @width points wide, at 72 units an
 * inch whatever @cr draws on, with unhinted metrics: the same lines on
 * the printer, in the PDF and on the screen. */
static PangoLayout *
create_layout (cairo_t    *cr,
               const char *font,
               double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoContext *context = pango_layout_get_context (layout);
  cairo_font_options_t *options = cairo_font_options_create ();
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_cairo_context_set_resolution (context, 72.0);
  pango_layout_context_changed (layout);

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int) ((width - 2 * MARGIN_SIDE) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);

  return layout;
}

static PangoLayout *
create_body_layout (EnrLetter *self,
                    cairo_t   *cr,
                    double     width)
{
  PangoLayout *layout = create_layout (cr, FONT, width);

  pango_layout_set_markup (layout, self->markup, -1);

  return layout;
}

/**
 * enr_letter_paginate:
 * @cr: what the letter is drawn on (for its fonts)
 * @width: the page's width in points
 * @height: the page's height in points
 *
 * Cuts the letter into pages at line boundaries.
 *
 * Returns: the number of pages, at least 1
 */
guint
enr_letter_paginate (EnrLetter *self,
                     cairo_t   *cr,
                     double     width,
                     double     height)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoLayoutIter *iter;
  double body_height = MAX (height - MARGIN_TOP - MARGIN_BOTTOM, 72.0);
  double page_top = 0;
  int index = 0;
  int first = 0;

  g_return_val_if_fail (ENR_IS_LETTER (self), 1);
  g_return_val_if_fail (cr != NULL, 1);

  layout = create_body_layout (self, cr, width);
  g_array_set_size (self->page_starts, 0);
  g_array_append_val (self->page_starts, first);

  iter = pango_layout_get_iter (layout);
  do
    {
      PangoRectangle logical;
      double top, bottom;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      top = (double) logical.y / PANGO_SCALE;
      bottom = (double) (logical.y + logical.height) / PANGO_SCALE;

      /* A page holds at least one line. */
      if (bottom - page_top > body_height && index > g_array_index (self->page_starts, int, self->page_starts->len - 1))
        {
          g_array_append_val (self->page_starts, index);
          page_top = top;
        }
      index++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  self->n_lines = index;
  self->width = width;
  self->height = height;

  return self->page_starts->len;
}

static void
draw_footer (EnrLetter *self,
             cairo_t   *cr,
             double     width,
             double     height,
             guint      page)
{
  g_autoptr(PangoLayout) layout = create_layout (cr, FOOTER_FONT, width);
  /* Translators: the foot of every page of a letter: its reference, page and pages */
  g_autofree char *text = g_strdup_printf (_("Reference %s · Page %u of %u"), self->task_id, page + 1,
                                           self->page_starts->len);
  int text_height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_size (layout, NULL, &text_height);

  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MARGIN_SIDE, height - MARGIN_BOTTOM + FOOTER_GAP / 2);
  cairo_line_to (cr, width - MARGIN_SIDE, height - MARGIN_BOTTOM + FOOTER_GAP / 2);
  cairo_stroke (cr);
  cairo_move_to (cr, MARGIN_SIDE, height - MARGIN_BOTTOM + FOOTER_GAP);
  pango_cairo_show_layout (cr, layout);
}

/**
 * enr_letter_draw_page:
 * @page: from 0
 *
 * Draws @page of the letter on @cr, a page of @width × @height points
 * (paginated again when the size changed).
 */
void
enr_letter_draw_page (EnrLetter *self,
                      cairo_t   *cr,
                      double     width,
                      double     height,
                      guint      page)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoLayoutIter *iter;
  double page_top = 0;
  int first, end;
  int index = 0;

  g_return_if_fail (ENR_IS_LETTER (self));
  g_return_if_fail (cr != NULL);

  if (self->page_starts->len == 0 || self->width != width || self->height != height)
    enr_letter_paginate (self, cr, width, height);
  if (page >= self->page_starts->len)
    return;

  first = g_array_index (self->page_starts, int, page);
  end = page + 1 < self->page_starts->len ? g_array_index (self->page_starts, int, page + 1) : self->n_lines;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  layout = create_body_layout (self, cr, width);
  cairo_set_source_rgb (cr, 0, 0, 0);
  iter = pango_layout_get_iter (layout);
  do
    {
      PangoRectangle logical;

      if (index >= end)
        break;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      if (index == first)
        page_top = (double) logical.y / PANGO_SCALE;
      if (index >= first)
        {
          double baseline = (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;

          cairo_move_to (cr, MARGIN_SIDE + (double) logical.x / PANGO_SCALE, MARGIN_TOP + baseline - page_top);
          pango_cairo_show_layout_line (cr, pango_layout_iter_get_line_readonly (iter));
        }
      index++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  draw_footer (self, cr, width, height, page);
  cairo_restore (cr);
}

/**
 * enr_letter_get_default_page_size:
 *
 * The paper of the user's locale (LC_PAPER), else A4, in points.
 */
void
enr_letter_get_default_page_size (double *width,
                                  double *height)
{
  double width_mm = 210, height_mm = 297;

#if defined(_NL_PAPER_WIDTH) && defined(_NL_PAPER_HEIGHT)
  {
    /* glibc gives the sizes in millimetres as the pointer's value. */
    union { char *string; unsigned int word; } paper_width, paper_height;

    paper_width.string = nl_langinfo (_NL_PAPER_WIDTH);
    paper_height.string = nl_langinfo (_NL_PAPER_HEIGHT);
    if (paper_width.word >= 50 && paper_width.word <= 2000 &&
        paper_height.word >= 50 && paper_height.word <= 2000)
      {
        width_mm = paper_width.word;
        height_mm = paper_height.word;
      }
  }
#endif

  if (width != NULL)
    *width = width_mm * 72.0 / 25.4;
  if (height != NULL)
    *height = height_mm * 72.0 / 25.4;
}

typedef struct
{
  GOutputStream *stream;
  GError        *error;
} PdfWriter;

static cairo_status_t
write_pdf_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  PdfWriter *writer = closure;

  if (writer->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (writer->stream, data, length, NULL, NULL, &writer->error))
    return CAIRO_STATUS_WRITE_ERROR;

  return CAIRO_STATUS_SUCCESS;
}

static void
set_write_error (GError     **error,
                 GFile       *file,
                 const char  *reason)
{
  g_autofree char *name = g_file_get_parse_name (file);

  g_set_error (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_WRITE,
               _("Cannot write the letter to %s: %s"), name, reason);
}

/**
 * enr_letter_write_pdf:
 * @width: the page's width in points (0: enr_letter_get_default_page_size())
 * @height: the page's height in points
 *
 * Writes the letter to @file as a PDF document through cairo's PDF
 * surface (no display needed). The file is replaced only when the whole
 * letter is written.
 *
 * Returns: whether it was written; else %ENR_LETTER_ERROR_WRITE
 */
gboolean
enr_letter_write_pdf (EnrLetter  *self,
                      GFile      *file,
                      double      width,
                      double      height,
                      GError    **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abandon = NULL;
  g_autoptr(GError) local_error = NULL;
  PdfWriter writer = { NULL, NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  guint n_pages;

  g_return_val_if_fail (ENR_IS_LETTER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (width <= 0 || height <= 0)
    enr_letter_get_default_page_size (&width, &height);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &local_error);
  if (stream == NULL)
    {
      set_write_error (error, file, local_error->message);
      return FALSE;
    }
  writer.stream = G_OUTPUT_STREAM (stream);

  surface = cairo_pdf_surface_create_for_stream (write_pdf_cb, &writer, width, height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME);
  cr = cairo_create (surface);

  n_pages = enr_letter_paginate (self, cr, width, height);
  for (guint page = 0; page < n_pages; page++)
    {
      enr_letter_draw_page (self, cr, width, height, page);
      cairo_show_page (cr);
    }

  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS || writer.error != NULL)
    {
      set_write_error (error, file, writer.error != NULL ? writer.error->message : cairo_status_to_string (status));
      g_clear_error (&writer.error);
      /* Closed canceled: the file stays as it was. */
      abandon = g_cancellable_new ();
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      return FALSE;
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &local_error))
    {
      set_write_error (error, file, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/**
 * enr_letter_record_sent:
 * @delivery: printed or saved as PDF
 *
 * Logs the letter as a customer communication of the task (channel
 * letter, category written, class enrollment or unenrollment), by the
 * user working here, and queues it for the service.
 *
 * Returns: (transfer full) (nullable): the communication, or %NULL with
 *   %ENR_LETTER_ERROR_NO_USER when nobody works here, or the store's error
 */
EnrCustomerCommunication *
enr_letter_record_sent (EnrLetter          *self,
                        EnrContext         *context,
                        EnrLetterDelivery   delivery,
                        GError            **error)
{
  g_autoptr(EnrCustomerCommunication) communication = NULL;
  g_autoptr(EnrOperation) operation = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = g_strconcat ("comm-", uuid, NULL);
  g_autofree char *notes = NULL;
  GObject *engine;
  const char *user;

  g_return_val_if_fail (ENR_IS_LETTER (self), NULL);
  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);

  user = enr_store_get_user (enr_context_get_store (context));
  if (user == NULL)
    {
      g_set_error_literal (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_NO_USER,
                           _("Nobody is signed in to record the letter as sent"));
      return NULL;
    }

  if (delivery == ENR_LETTER_DELIVERY_PDF)
    /* Translators: the notes of a letter's communication, with the program */
    notes = g_strdup_printf (_("Confirmation letter for %s, saved as PDF"), self->program_name);
  else
    /* Translators: the notes of a letter's communication, with the program */
    notes = g_strdup_printf (_("Confirmation letter for %s, printed"), self->program_name);

  communication = enr_customer_communication_new ();
  enr_entity_set_id (ENR_ENTITY (communication), id);
  enr_customer_communication_set_customer_id (communication, self->customer_id);
  enr_customer_communication_set_channel (communication, "letter");
  enr_customer_communication_set_class (communication,
                                        self->kind == ENR_TASK_KIND_ENROLLMENT ? "enrollment" : "unenrollment");
  enr_customer_communication_set_category (communication, "written");
  enr_customer_communication_set_notes (communication, notes);
  enr_customer_communication_set_service_task_id (communication, self->task_id);
  enr_customer_communication_set_program_id (communication, self->program_id);
  enr_customer_communication_set_created_by (communication, user);
  enr_customer_communication_set_created_at (communication, now);

  operation = enr_store_save_communication_with_operation (enr_context_get_store (context), communication, error);
  if (operation == NULL)
    return NULL;

  /* Out at once when the engine runs (signed in), as Save and Finish. */
  engine = enr_context_get_sync_engine (context);
  if (ENR_IS_SYNC_ENGINE (engine) && enr_sync_engine_get_running (ENR_SYNC_ENGINE (engine)))
    enr_sync_engine_sync_now (ENR_SYNC_ENGINE (engine));

  return g_steal_pointer (&communication);
}

/* test-letter.c — confirmation letters: their text, the PDF (read back
 * with poppler-utils' pdftotext and rendered with pdftoppm), the consent
 * on record, pages, the communication each sending records, and
 * `enrollment-desk --letter` without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "client-test-util.h"
#include "enr-letter.h"
#include "enr-outbox.h"

static void
fixture_set_up (ClientFixture *fixture,
                gconstpointer  data)
{
  g_autoptr(EnrServiceTask) task = NULL;
  GDate start;

  client_fixture_set_up (fixture, "clerk", ENR_ROLE_CLERK);
  client_add_supervisor_tasks (fixture->store, fixture->now);

  /* task-m-0001 starts on Monday 15 June 2026; task-m-0003 has no date. */
  task = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0001");
  g_date_clear (&start, 1);
  g_date_set_dmy (&start, 15, G_DATE_JUNE, 2026);
  enr_service_task_set_start_date (task, &start);
  client_put (fixture->store, ENR_TYPE_SERVICE_TASK, g_steal_pointer (&task));
}

static void
fixture_tear_down (ClientFixture *fixture,
                   gconstpointer  data)
{
  client_fixture_tear_down (fixture);
}

static char *
collapse_spaces (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n\f\r", -1);
  g_autoptr(GString) result = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (result->len > 0)
        g_string_append_c (result, ' ');
      g_string_append (result, words[i]);
    }

  return g_string_free (g_steal_pointer (&result), FALSE);
}

/* Runs ARGV (a tool of poppler-utils), asserted to succeed; its output. */
static char *
run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path (argv[0]);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  if (program == NULL)
    g_error ("%s is missing: build-aux/ensure-deps test installs poppler-utils", argv[0]);

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);

  return g_steal_pointer (&out);
}

/* The text of PDF, as pdftotext reads it. */
static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };

  return run_tool (argv);
}

/* The appointment of task-m-0001 as the letter gives it. */
static char *
expected_window (ClientFixture *fixture)
{
  g_autoptr(EnrServiceTask) task = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0001");
  EnrAppointment *appointment = g_ptr_array_index (enr_service_task_get_appointments (task), 0);
  g_autoptr(GDateTime) start = g_date_time_to_local (enr_appointment_get_start (appointment));
  g_autoptr(GDateTime) end = g_date_time_to_local (enr_appointment_get_end (appointment));
  g_autofree char *from = g_date_time_format (start, "%H:%M");
  g_autofree char *to = g_date_time_format (end, "%H:%M");
  g_autofree char *day = g_date_time_format (start, "%A, %-d %B %Y");

  return g_strdup_printf ("Date: %s Time: between %s and %s", day, from, to);
}

static void
test_enrollment_text (ClientFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrLetter) letter = enr_letter_new_for_task (fixture->context, "task-m-0001", &error);
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *window = expected_window (fixture);

  g_assert_no_error (error);
  g_assert_cmpstr (enr_letter_get_title (letter), ==, "Your enrollment in Smart Thermostat Rewards");
  g_assert_cmpstr (enr_letter_get_customer_id (letter), ==, "cust-0001");
  g_assert_cmpstr (enr_letter_get_task_id (letter), ==, "task-m-0001");

  text = enr_letter_get_text (letter);
  flat = collapse_spaces (text);
  /* The sender, the date of the letter (the context's today), the
   * addressee on two lines, what they joined, the appointment, how to leave. */
  g_assert_true (g_str_has_prefix (text, "Customer Programs\n\n1 June 2026\n\nMaria Gonzalez\n1423 Maple Ave\nRiverbend, OR 97401\nAccount RPL-100037\n"));
  g_assert_nonnull (strstr (flat, "Dear Maria Gonzalez,"));
  g_assert_nonnull (strstr (flat, "Thank you for joining Smart Thermostat Rewards."));
  g_assert_nonnull (strstr (flat, "Program: Smart Thermostat Rewards"));
  g_assert_nonnull (strstr (flat, "Start date: Monday, 15 June 2026"));
  g_assert_nonnull (strstr (flat, "Reference: task-m-0001"));
  g_assert_nonnull (strstr (flat, "Your appointment Work: Install smart thermostat"));
  g_assert_nonnull (strstr (flat, window));
  g_assert_nonnull (strstr (flat, "How to leave the program You may leave Smart Thermostat Rewards at any time. Write to us at the address above and give your account number, RPL-100037;"));
  /* No consent on record: the letter says none. */
  g_assert_null (strstr (flat, "Your consent"));
}

static void
test_unenrollment_text (ClientFixture *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrLetter) letter = enr_letter_new_for_task (fixture->context, "task-m-0003", &error);
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (enr_letter_get_title (letter), ==, "The end of your enrollment in Time-of-Use Pilot");
  text = enr_letter_get_text (letter);
  flat = collapse_spaces (text);
  g_assert_nonnull (strstr (flat, "Aisha Rahman 512 Orchard Ln Cedar Falls, OR 97402"));
  g_assert_nonnull (strstr (flat, "your enrollment in Time-of-Use Pilot ends, as you asked."));
  g_assert_nonnull (strstr (flat, "No visit to your home is needed to end this enrollment."));
  g_assert_nonnull (strstr (flat, "End date: to be confirmed"));
  g_assert_null (strstr (flat, "How to leave"));
}

/* letter-sender and letter-contact (GSettings) head and close the letter. */
static void
test_settings (ClientFixture *fixture,
               gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(EnrContext) context = enr_context_new (fixture->store, settings);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrLetter) letter = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;

  g_settings_set_string (settings, "letter-sender", "Riverbend Power & Light\n  PO Box 400 \nRiverbend, OR 97401");
  g_settings_set_string (settings, "letter-contact", "1-800-555-0199");
  enr_context_set_today (context, &fixture->today);

  letter = enr_letter_new_for_task (context, "task-m-0001", &error);
  g_assert_no_error (error);
  text = enr_letter_get_text (letter);
  flat = collapse_spaces (text);
  g_assert_true (g_str_has_prefix (text, "Riverbend Power & Light\nPO Box 400\nRiverbend, OR 97401\n\n1 June 2026\n"));
  g_assert_nonnull (strstr (flat, "Contact us at 1-800-555-0199 and give your account number, RPL-100037;"));
  g_assert_true (g_str_has_suffix (flat, "Yours sincerely, Riverbend Power & Light"));
}

static void
test_pdf (ClientFixture *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrLetter) letter = enr_letter_new_for_task (fixture->context, "task-m-0001", &error);
  g_autofree char *pdf = g_build_filename (fixture->directory, "letter.pdf", NULL);
  /* Kept in the build folder for a look. */
  g_autofree char *prefix = g_test_build_filename (G_TEST_BUILT, "letter-page", NULL);
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, "letter-page-1.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  g_autofree char *window = expected_window (fixture);
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *png_data = NULL;
  g_autofree char *info = NULL;
  const char *render[] = { "pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", pdf, prefix, NULL };
  const char *pdfinfo[] = { "pdfinfo", pdf, NULL };
  gsize length = 0;

  g_assert_no_error (error);
  g_assert_true (enr_letter_write_pdf (letter, file, 612, 792, &error));
  g_assert_no_error (error);

  text = pdf_text (pdf);
  flat = collapse_spaces (text);
  g_assert_nonnull (strstr (flat, "Maria Gonzalez"));
  g_assert_nonnull (strstr (flat, "Your enrollment in Smart Thermostat Rewards"));
  g_assert_nonnull (strstr (flat, window));
  g_assert_nonnull (strstr (flat, "Reference task-m-0001 · Page 1 of 1"));

  info = run_tool (pdfinfo);
  g_assert_nonnull (strstr (info, "Title:           Your enrollment in Smart Thermostat Rewards"));
  g_assert_nonnull (strstr (info, "Page size:       612 x 792 pts (letter)"));

  /* The page renders. */
  g_remove (png);
  g_free (run_tool (render));
  g_assert_true (g_file_get_contents (png, &png_data, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (png_data, 8, "\x89PNG\r\n\x1a\n", 8);
}

/* Puts a consent on task-m-0001: @method at 09:30 on Thursday 28 May
 * 2026 (local time), to @terms. */
static void
set_consent (ClientFixture    *fixture,
             EnrConsentMethod  method,
             const char       *terms)
{
  g_autoptr(EnrServiceTask) task = client_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-m-0001");
  g_autoptr(EnrConsent) consent = enr_consent_new ();
  g_autoptr(GDateTime) given_at = g_date_time_new_local (2026, 5, 28, 9, 30, 0);

  enr_consent_set_method (consent, method);
  enr_consent_set_given_at (consent, given_at);
  enr_consent_set_terms_version (consent, terms);
  enr_consent_set_recorded_by (consent, "clerk");
  enr_service_task_set_consent (task, consent);
  client_put (fixture->store, ENR_TYPE_SERVICE_TASK, g_steal_pointer (&task));
}

/* An enrollment's letter says how, when and to which terms the customer
 * consented (read back from the PDF); the clerk who recorded it is not
 * the customer's business. Text from the record is text, not markup. */
static void
test_consent (ClientFixture *fixture,
              gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (fixture->directory, "consent.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrLetter) letter = NULL;
  g_autoptr(EnrLetter) unenrollment = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *unenrollment_text = NULL;

  set_consent (fixture, ENR_CONSENT_METHOD_PAPER, "TSTAT-2025.2");
  letter = enr_letter_new_for_task (fixture->context, "task-m-0001", &error);
  g_assert_no_error (error);
  g_assert_true (enr_letter_write_pdf (letter, file, 612, 792, &error));
  g_assert_no_error (error);

  text = pdf_text (pdf);
  flat = collapse_spaces (text);
  /* After what they joined, before the appointment. */
  g_assert_nonnull (strstr (flat, "Reference: task-m-0001 "
                                  "Your consent "
                                  "How you agreed: Paper form "
                                  "When you agreed: Thursday, 28 May 2026, 09:30 "
                                  "Terms version: TSTAT-2025.2 "
                                  "You agreed to version TSTAT-2025.2 of the terms of Smart Thermostat Rewards. "
                                  "Ask us for a copy of them at any time. "
                                  "Your appointment"));
  g_assert_null (strstr (flat, "clerk"));
  g_clear_object (&letter);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&flat, g_free);

  /* A terms version with markup's characters; consent given in the app. */
  set_consent (fixture, ENR_CONSENT_METHOD_DEVICE_APP, "R&D <2026>");
  letter = enr_letter_new_for_task (fixture->context, "task-m-0001", &error);
  g_assert_no_error (error);
  text = enr_letter_get_text (letter);
  flat = collapse_spaces (text);
  g_assert_nonnull (strstr (flat, "Your consent How you agreed: Device maker’s app "
                                  "When you agreed: Thursday, 28 May 2026, 09:30 "
                                  "Terms version: R&D <2026> "
                                  "You agreed to version R&D <2026> of the terms of Smart Thermostat Rewards."));
  g_clear_object (&letter);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&flat, g_free);

  /* No terms version on record: how and when only. */
  set_consent (fixture, ENR_CONSENT_METHOD_PHONE, NULL);
  letter = enr_letter_new_for_task (fixture->context, "task-m-0001", &error);
  g_assert_no_error (error);
  text = enr_letter_get_text (letter);
  flat = collapse_spaces (text);
  g_assert_nonnull (strstr (flat, "Your consent How you agreed: Phone When you agreed: Thursday, 28 May 2026, 09:30 Your appointment"));
  g_assert_null (strstr (flat, "Terms version"));

  /* An unenrollment's letter has no consent section. */
  unenrollment = enr_letter_new_for_task (fixture->context, "task-m-0003", &error);
  g_assert_no_error (error);
  unenrollment_text = enr_letter_get_text (unenrollment);
  g_assert_null (strstr (unenrollment_text, "Your consent"));
}

/* Removes "Reference task-m-0001 · Page N of M" from @flat. */
static char *
remove_footers (const char *flat)
{
  g_autoptr(GRegex) footer = g_regex_new (" ?Reference task-m-0001 · Page [0-9]+ of [0-9]+", 0, 0, NULL);

  return g_regex_replace_literal (footer, flat, -1, 0, "", 0, NULL);
}

/* A page too small for the letter: every line on one page exactly,
 * in order, each page numbered. */
static void
test_pages (ClientFixture *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrLetter) letter = enr_letter_new_for_task (fixture->context, "task-m-0001", &error);
  g_autofree char *pdf = g_build_filename (fixture->directory, "small.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  g_autofree char *text = NULL;
  g_autofree char *letter_text = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *body = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *info = NULL;
  g_autofree char *pages_line = NULL;
  g_autofree char *last_footer = NULL;
  const char *pdfinfo[] = { "pdfinfo", pdf, NULL };
  cairo_surface_t *surface;
  cairo_t *cr;
  guint n_pages;

  g_assert_no_error (error);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
  cr = cairo_create (surface);
  n_pages = enr_letter_paginate (letter, cr, 420, 360);
  g_assert_cmpuint (n_pages, >=, 3);
  g_assert_cmpuint (enr_letter_paginate (letter, cr, 612, 792), ==, 1);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  g_assert_true (enr_letter_write_pdf (letter, file, 420, 360, &error));
  g_assert_no_error (error);

  info = run_tool (pdfinfo);
  pages_line = g_strdup_printf ("Pages:           %u\n", n_pages);
  g_assert_nonnull (strstr (info, pages_line));

  text = pdf_text (pdf);
  flat = collapse_spaces (text);
  last_footer = g_strdup_printf ("Page %u of %u", n_pages, n_pages);
  g_assert_nonnull (strstr (flat, "Page 1 of"));
  g_assert_nonnull (strstr (flat, last_footer));

  letter_text = enr_letter_get_text (letter);
  expected = collapse_spaces (letter_text);
  body = remove_footers (flat);
  g_assert_cmpstr (body, ==, expected);
}

static void
test_errors (ClientFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrLetter) letter = NULL;
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent-folder/letter.pdf");
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->directory);

  g_assert_null (enr_letter_new_for_task (fixture->context, "task-nope", &error));
  g_assert_error (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_UNKNOWN_TASK);
  g_assert_cmpstr (error->message, ==, "There is no service task “task-nope” on this computer");
  g_clear_error (&error);

  g_assert_null (enr_letter_new_for_task (fixture->context, "", &error));
  g_assert_error (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_UNKNOWN_TASK);
  g_clear_error (&error);

  g_assert_null (enr_letter_new_for_task (fixture->context, "task-m-0006", &error));
  g_assert_error (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_NOTHING_TO_CONFIRM);
  g_assert_cmpstr (error->message, ==, "Service task task-m-0006 was canceled: there is nothing to confirm");
  g_clear_error (&error);

  letter = enr_letter_new_for_task (fixture->context, "task-m-0001", &error);
  g_assert_no_error (error);

  g_assert_false (enr_letter_write_pdf (letter, missing, 0, 0, &error));
  g_assert_error (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_WRITE);
  g_assert_true (g_str_has_prefix (error->message, "Cannot write the letter to /nonexistent-folder/letter.pdf: "));
  g_clear_error (&error);

  g_assert_false (enr_letter_write_pdf (letter, folder, 0, 0, &error));
  g_assert_error (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_WRITE);
  g_clear_error (&error);
}

static void
test_recorded (ClientFixture *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrLetter) letter = enr_letter_new_for_task (fixture->context, "task-m-0001", &error);
  g_autoptr(EnrCustomerCommunication) printed = NULL;
  g_autoptr(EnrCustomerCommunication) saved = NULL;
  g_autoptr(EnrCustomerCommunication) stored = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(EnrLetter) unenrollment = NULL;
  g_autoptr(EnrCustomerCommunication) ended = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CREATE_COMMUNICATION), ==, 0);

  printed = enr_letter_record_sent (letter, fixture->context, ENR_LETTER_DELIVERY_PRINTED, &error);
  g_assert_no_error (error);
  stored = client_get (fixture->store, ENR_TYPE_CUSTOMER_COMMUNICATION, enr_entity_get_id (ENR_ENTITY (printed)));
  g_assert_cmpstr (enr_customer_communication_get_customer_id (stored), ==, "cust-0001");
  g_assert_cmpstr (enr_customer_communication_get_channel (stored), ==, "letter");
  g_assert_cmpstr (enr_customer_communication_get_class (stored), ==, "enrollment");
  g_assert_cmpstr (enr_customer_communication_get_category (stored), ==, "written");
  g_assert_cmpstr (enr_customer_communication_get_service_task_id (stored), ==, "task-m-0001");
  g_assert_cmpstr (enr_customer_communication_get_program_id (stored), ==, "prog-tstat");
  g_assert_cmpstr (enr_customer_communication_get_created_by (stored), ==, "clerk");
  g_assert_cmpstr (enr_customer_communication_get_notes (stored), ==,
                   "Confirmation letter for Smart Thermostat Rewards, printed");

  /* Each sending is a communication of its own, queued for the service. */
  saved = enr_letter_record_sent (letter, fixture->context, ENR_LETTER_DELIVERY_PDF, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (saved)), !=, enr_entity_get_id (ENR_ENTITY (printed)));
  g_assert_cmpstr (enr_customer_communication_get_notes (saved), ==,
                   "Confirmation letter for Smart Thermostat Rewards, saved as PDF");
  pending = client_list_operations (fixture, ENR_OPERATION_STATE_PENDING);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CREATE_COMMUNICATION), ==, 2);
  g_assert_cmpuint (pending->len, ==, 2);

  unenrollment = enr_letter_new_for_task (fixture->context, "task-m-0003", &error);
  g_assert_no_error (error);
  ended = enr_letter_record_sent (unenrollment, fixture->context, ENR_LETTER_DELIVERY_PDF, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_customer_communication_get_class (ended), ==, "unenrollment");

  /* Nobody works here: nothing is queued. */
  enr_context_set_username (fixture->context, NULL);
  g_assert_null (enr_letter_record_sent (letter, fixture->context, ENR_LETTER_DELIVERY_PDF, &error));
  g_assert_error (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_NO_USER);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CREATE_COMMUNICATION), ==, 3);
}

/* Runs enrollment-desk with ARGS, without a display, in @language (or
 * the tests' C.UTF-8); its exit status, its standard error in @err. */
static int
run_desk_in (const char  *language,
             char       **err,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *schemas = g_build_filename (g_getenv ("ENR_BUILD_ROOT"), "data", NULL);
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) ENROLLMENT_DESK_PATH);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  envp = g_environ_unsetenv (envp, "ENR_STORE_PATH");
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "memory", TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  if (language != NULL)
    {
      g_autofree char *locales = g_build_filename (g_getenv ("ENR_BUILD_ROOT"), "po", NULL);

      envp = g_environ_setenv (envp, "LANGUAGE", language, TRUE);
      envp = g_environ_setenv (envp, "ENR_LOCALEDIR", locales, TRUE);
    }

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));

  return WEXITSTATUS (status);
}

static void
test_command_line (ClientFixture *fixture,
                   gconstpointer  data)
{
  g_autofree char *pdf = g_build_filename (fixture->directory, "batch.pdf", NULL);
  g_autofree char *nowhere = g_build_filename (fixture->directory, "none", "store.db", NULL);
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;

  g_assert_cmpint (run_desk_in (NULL, &err, "--store", fixture->store_path, "--username", "clerk",
                             "--letter", "task-m-0001", "--pdf", pdf, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  text = pdf_text (pdf);
  flat = collapse_spaces (text);
  g_assert_nonnull (strstr (flat, "Maria Gonzalez"));
  g_assert_nonnull (strstr (flat, "Your enrollment in Smart Thermostat Rewards"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_desk_in (NULL, &err, "--letter", "task-m-0001", NULL), ==, 2);
  g_assert_cmpstr (err, ==, "--letter needs --pdf FILE\n");
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_desk_in (NULL, &err, "--pdf", pdf, NULL), ==, 2);
  g_assert_cmpstr (err, ==, "--pdf needs --letter TASK-ID\n");
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_desk_in (NULL, &err, "--store", fixture->store_path, "--username", "clerk",
                             "--letter", "task-nope", "--pdf", pdf, NULL), ==, 1);
  g_assert_cmpstr (err, ==, "There is no service task “task-nope” on this computer\n");
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_desk_in (NULL, &err, "--store", fixture->store_path, "--username", "clerk",
                             "--letter", "task-m-0001", "--pdf", "/nonexistent-folder/a.pdf", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "Cannot write the letter to /nonexistent-folder/a.pdf: "));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_desk_in (NULL, &err, "--store", nowhere, "--username", "clerk",
                             "--letter", "task-m-0001", "--pdf", pdf, NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "There is no client store at "));
  g_assert_false (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_desk_in (NULL, &err, "--store", fixture->store_path,
                             "--letter", "task-m-0001", "--pdf", pdf, NULL), ==, 1);
  g_assert_cmpstr (err, ==, "Nobody to record the letter as sent by: pass --username NAME\n");
  g_clear_pointer (&err, g_free);

  /* In the user's language. */
  g_assert_cmpint (run_desk_in ("fr", &err, "--store", fixture->store_path, "--username", "clerk",
                                "--letter", "task-nope", "--pdf", pdf, NULL), ==, 1);
  g_assert_cmpstr (err, ==, "Il n’y a pas de tâche de service « task-nope » sur cet ordinateur\n");
  g_clear_pointer (&err, g_free);
  set_consent (fixture, ENR_CONSENT_METHOD_PHONE, "TSTAT-2025.2");
  g_assert_cmpint (run_desk_in ("fr", &err, "--store", fixture->store_path, "--username", "clerk",
                                "--letter", "task-m-0001", "--pdf", pdf, NULL), ==, 0);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&flat, g_free);
  text = pdf_text (pdf);
  flat = collapse_spaces (text);
  g_assert_nonnull (strstr (flat, "Votre inscription à Smart Thermostat Rewards"));
  g_assert_nonnull (strstr (flat, "Bonjour Maria Gonzalez,"));
  g_assert_nonnull (strstr (flat, "Comment quitter le programme"));
  g_assert_nonnull (strstr (flat, "Votre consentement Mode d’accord : Téléphone"));
  g_assert_nonnull (strstr (flat, "Version des conditions : TSTAT-2025.2 Vous avez accepté la version TSTAT-2025.2 des conditions de Smart Thermostat Rewards."));
  g_assert_nonnull (strstr (flat, "Référence task-m-0001 · Page 1 sur 1"));

  /* Only the letters written were recorded, by the user named, for the service. */
  client_fixture_reopen (fixture);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CREATE_COMMUNICATION), ==, 2);
  {
    g_autoptr(GPtrArray) pending = client_list_operations (fixture, ENR_OPERATION_STATE_PENDING);
    EnrOperation *operation = g_ptr_array_index (pending, 0);

    g_assert_cmpuint (pending->len, ==, 2);
    g_assert_cmpstr (enr_operation_get_owner (operation), ==, "clerk");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, ClientFixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/letter/enrollment-text", test_enrollment_text);
  ADD ("/letter/unenrollment-text", test_unenrollment_text);
  ADD ("/letter/settings", test_settings);
  ADD ("/letter/pdf", test_pdf);
  ADD ("/letter/consent", test_consent);
  ADD ("/letter/pages", test_pages);
  ADD ("/letter/errors", test_errors);
  ADD ("/letter/recorded", test_recorded);
  ADD ("/letter/command-line", test_command_line);

  return g_test_run ();
}

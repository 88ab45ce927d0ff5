/* test-enrollment-import.c — Import Enrollments… without its dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preview of a file of mixed rows against the sample data (as on a
 * fixed Monday, 2026-06-01), each row ready or refused with the Customer
 * View's reasons; the ready rows queued as new flows with their
 * create-task operations, and nothing else; a second import of the same
 * file refused row by row; malformed files refused whole with nothing
 * queued; Cancel; the per-row result as CSV.
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "client-test-util.h"
#include "enr-enrollment-import.h"

#define HEADER "account,program code,start date,installation method,consent method,consent date,terms version," \
               "appointment preference,notes\r\n"

static const char mixed[] =
  HEADER
  /* line 2: ready, with consent and notes */
  "RPL-100185,TOU-PILOT,2026-06-15,,phone,2026-05-30 10:00,TOU-2026.1,mornings,\"From the spring mailing, \"\"yes\"\"\"\r\n"
  /* 3 */ "RPL-999999,TOU-PILOT,2026-06-15,,,,,,\r\n"
  /* 4 */ "RPL-100259,NOPE,2026-06-15,,,,,,\r\n"
  /* 5 */ "RPL-100259,PEAK-CG-2026,2026-31-06,,,,,,\r\n"
  /* 6 */ "RPL-100185,TOU-PILOT,2026-06-20,,,,,,\r\n"
  /* 7 */ "RPL-100111,TSTAT-DR,2026-06-15,,,,,,\r\n"
  /* 8 */ "RPL-100333,TOU-PILOT,2026-06-15,,web,2026-05-30 10:00,TOU-2025.1,,\r\n"
  /* 9 */ "RPL-100370,PEAK-CG-2026,2026-06-15,,,,,,\r\n"
  /* 10 */ "RPL-100259,WH-LOAD-CTL,2026-06-15,,,,,,\r\n";

typedef struct
{
  guint             line;
  EnrImportOutcome  outcome;
  const char       *reason;   /* a part of the reasons */
} Expected;

static const Expected expected_first[] = {
  { 2, ENR_IMPORT_OUTCOME_READY, NULL },
  { 3, ENR_IMPORT_OUTCOME_REFUSED, "There is no customer with the account “RPL-999999”" },
  { 4, ENR_IMPORT_OUTCOME_REFUSED, "There is no program with the code “NOPE”" },
  { 5, ENR_IMPORT_OUTCOME_REFUSED, "The start date “2026-31-06” is not a date: write it as YYYY-MM-DD" },
  { 6, ENR_IMPORT_OUTCOME_REFUSED, "The same enrollment as line 2 of the file" },
  { 7, ENR_IMPORT_OUTCOME_REFUSED, "already enrolled" },
  { 8, ENR_IMPORT_OUTCOME_REFUSED,
    "The consent is to terms version TOU-2025.1; the program’s terms are now version TOU-2026.1" },
  { 9, ENR_IMPORT_OUTCOME_READY, NULL },
  { 10, ENR_IMPORT_OUTCOME_REFUSED, "suspended" },
};

static void
fixture_set_up (ClientFixture *fixture,
                gconstpointer  data)
{
  client_fixture_set_up (fixture, "clerk", ENR_ROLE_CLERK);
}

static void
fixture_tear_down (ClientFixture *fixture,
                   gconstpointer  data)
{
  client_fixture_tear_down (fixture);
}

static EnrImportRow *
row_at (EnrEnrollmentImport *import,
        guint                i)
{
  return g_list_model_get_item (enr_enrollment_import_get_rows (import), i);
}

static void
check_rows (EnrEnrollmentImport *import,
            const Expected      *expected,
            guint                n)
{
  g_assert_cmpuint (enr_enrollment_import_get_n_rows (import), ==, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EnrImportRow) row = row_at (import, i);
      const char *reasons = enr_import_row_get_reasons (row);

      g_test_message ("line %u: %s — %s", enr_import_row_get_line (row),
                      enr_import_outcome_label (enr_import_row_get_outcome (row)), reasons);
      g_assert_cmpuint (enr_import_row_get_line (row), ==, expected[i].line);
      g_assert_cmpint (enr_import_row_get_outcome (row), ==, expected[i].outcome);
      if (expected[i].reason == NULL)
        g_assert_null (reasons);
      else
        g_assert_nonnull (strstr (reasons, expected[i].reason));
    }
}

static EnrEnrollmentImport *
preview (ClientFixture *fixture,
         const char    *text)
{
  g_autoptr(EnrEnrollmentImport) import = enr_enrollment_import_new (fixture->context);
  g_autoptr(GError) error = NULL;
  guint rounds = 0;

  g_assert_true (enr_enrollment_import_load_data (import, text, strlen (text), &error));
  g_assert_no_error (error);

  /* A few rows at a time, as the dialog does. */
  while (!enr_enrollment_import_is_judged (import))
    {
      enr_enrollment_import_judge (import, 4);
      rounds++;
    }
  g_assert_cmpuint (rounds, ==, (enr_enrollment_import_get_n_rows (import) + 3) / 4);

  return g_steal_pointer (&import);
}

static void
queue_all (EnrEnrollmentImport *import)
{
  g_autoptr(GError) error = NULL;

  while (!enr_enrollment_import_is_queued (import))
    {
      enr_enrollment_import_queue (import, 1, &error);
      g_assert_no_error (error);
    }
}

/* The mixed file: the preview writes nothing; the queue writes the ready
 * rows, each an enrollment flow with what the file said. */
static void
test_mixed (ClientFixture *fixture,
            gconstpointer  data)
{
  g_autoptr(EnrEnrollmentImport) import = NULL;
  g_autoptr(EnrImportRow) first = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(GPtrArray) flows = NULL;
  g_autofree char *exported = NULL;
  EnrServiceTask *draft = NULL;
  g_autoptr(GError) error = NULL;
  EnrConsent *consent;
  EnrInteraction *interaction;

  import = preview (fixture, mixed);
  check_rows (import, expected_first, G_N_ELEMENTS (expected_first));
  g_assert_cmpuint (enr_enrollment_import_count (import, ENR_IMPORT_OUTCOME_READY), ==, 2);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK), ==, 0);

  first = row_at (import, 0);
  g_assert_cmpstr (enr_import_row_get_customer_name (first), ==, "Dorothy Nguyen");
  g_assert_cmpstr (enr_import_row_get_program_name (first), ==, "Time-of-Use Pilot");
  g_assert_null (enr_import_row_get_task_id (first));

  g_assert_cmpuint (enr_enrollment_import_get_n_to_queue (import), ==, 2);
  queue_all (import);
  g_assert_cmpuint (enr_enrollment_import_get_n_handled (import), ==, 2);
  g_assert_cmpuint (enr_enrollment_import_count (import, ENR_IMPORT_OUTCOME_QUEUED), ==, 2);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK), ==, 2);

  /* Its tasks are counted with the others (the store's counts per
   * program, status and kind, which the integrity check compares). */
  g_assert_cmpint (enr_store_count (fixture->store, ENR_TYPE_SERVICE_TASK, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_true (enr_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);

  /* The flow of line 2, as the file said. */
  g_assert_nonnull (enr_import_row_get_task_id (first));
  flows = enr_context_list_flows (fixture->context, "cust-0005");
  g_assert_cmpuint (flows->len, ==, 1);
  draft = enr_process_flow_get_task (g_ptr_array_index (flows, 0));
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (draft)), ==, enr_import_row_get_task_id (first));
  g_assert_cmpint (enr_process_flow_get_status (g_ptr_array_index (flows, 0)), ==, ENR_FLOW_STATUS_OPEN);
  g_assert_cmpstr (enr_service_task_get_program_id (draft), ==, "prog-tou");
  g_assert_cmpint (g_date_get_day (enr_service_task_get_start_date (draft)), ==, 15);
  consent = enr_service_task_get_consent (draft);
  g_assert_nonnull (consent);
  g_assert_cmpint (enr_consent_get_method (consent), ==, ENR_CONSENT_METHOD_PHONE);
  g_assert_cmpstr (enr_consent_get_terms_version (consent), ==, "TOU-2026.1");
  g_assert_cmpstr (enr_consent_get_recorded_by (consent), ==, "clerk");
  interaction = enr_service_task_get_interaction (draft, ENR_PANEL_CUSTOMER);
  g_assert_cmpstr (enr_interaction_get_notes (interaction), ==,
                   "From the spring mailing, \"yes\"\nAppointment preference: mornings");

  exported = enr_enrollment_import_export (import);
  g_assert_true (g_str_has_prefix (exported, "line,account,program code,outcome,outcome label,reasons,service task\r\n"));
  g_assert_nonnull (strstr (exported, "\r\n3,RPL-999999,TOU-PILOT,refused,Refused,There is no customer with the account “RPL-999999”,\r\n"));
  g_assert_nonnull (strstr (exported, "\r\n2,RPL-100185,TOU-PILOT,queued,Queued,,task-"));
  g_assert_nonnull (strstr (exported, "\r\n6,RPL-100185,TOU-PILOT,refused,Refused,The same enrollment as line 2 of the file,\r\n"));
}

/* The same file again: every row is refused, the two queued before as
 * enrollments in progress; nothing new is queued. */
static void
test_second_import (ClientFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(EnrEnrollmentImport) import = preview (fixture, mixed);
  g_autoptr(EnrEnrollmentImport) again = NULL;

  queue_all (import);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK), ==, 2);

  again = preview (fixture, mixed);
  g_assert_cmpuint (enr_enrollment_import_count (again, ENR_IMPORT_OUTCOME_READY), ==, 0);
  g_assert_cmpuint (enr_enrollment_import_count (again, ENR_IMPORT_OUTCOME_REFUSED), ==, 9);
  for (guint i = 0; i < 9; i += 7)
    {
      g_autoptr(EnrImportRow) row = row_at (again, i);

      g_test_message ("%s", enr_import_row_get_reasons (row));
      g_assert_nonnull (strstr (enr_import_row_get_reasons (row), "in progress"));
    }
  queue_all (again);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK), ==, 2);
}

/* Rows of the same file that exclude each other: the second is refused as
 * the Customer View would refuse it once the first is in progress. */
static void
test_within_file (ClientFixture *fixture,
                  gconstpointer  data)
{
  const char *text =
    HEADER
    "RPL-100333,HPWH-FLEX,2026-06-15,,,,,,\r\n"
    "RPL-100333,TOU-PILOT,2026-06-15,,,,,,\r\n"
    "RPL-100333,DER-REG,2026-06-15,,paper,2026-05-30 09:00,DER-2025.9,,\r\n";
  g_autoptr(EnrEnrollmentImport) import = preview (fixture, text);
  g_autoptr(EnrImportRow) der = row_at (import, 2);

  g_test_message ("%s", enr_import_row_get_reasons (der));
  g_assert_cmpint (enr_import_row_get_outcome (der), ==, ENR_IMPORT_OUTCOME_REFUSED);
  g_assert_nonnull (strstr (enr_import_row_get_reasons (der), "Time-of-Use Pilot"));
}

/* Consent where the program's type requires it. */
static void
test_consent_required (ClientFixture *fixture,
                       gconstpointer  data)
{
  const char *text =
    HEADER
    "RPL-100333,DER-REG,2026-06-15,,,,,,\r\n";
  g_autoptr(EnrEnrollmentImport) import = preview (fixture, text);
  g_autoptr(EnrImportRow) row = row_at (import, 0);

  g_assert_cmpint (enr_import_row_get_outcome (row), ==, ENR_IMPORT_OUTCOME_REFUSED);
  g_assert_nonnull (strstr (enr_import_row_get_reasons (row),
                            "Consent is required: record how the customer agreed to the program’s terms"));
}

/* Malformed files: one error, no row, nothing queued. */
static void
test_malformed (ClientFixture *fixture,
                gconstpointer  data)
{
  static const char * const files[] = {
    HEADER "RPL-100185,TOU-PILOT,2026-06-15,,,,,,Caf\xe9\r\n",
    HEADER "RPL-100185,\"TOU-PILOT,2026-06-15,,,,,,\r\n",
    "account,program,start\r\nRPL-100185,TOU-PILOT,2026-06-15\r\n",
    HEADER,
  };
  g_autofree char *big = g_build_filename (fixture->directory, "big.csv", NULL);
  g_autoptr(GFile) big_file = g_file_new_for_path (big);
  g_autoptr(EnrEnrollmentImport) import = enr_enrollment_import_new (fixture->context);
  g_autoptr(GError) error = NULL;
  int fd;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_assert_false (enr_enrollment_import_load_data (import, files[i], strlen (files[i]), &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == ENR_IMPORT_ERROR);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
      g_assert_cmpuint (enr_enrollment_import_get_n_rows (import), ==, 0);
    }

  fd = g_open (big, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 1 << 30), ==, 0);
  close (fd);
  g_assert_false (enr_enrollment_import_load (import, big_file, NULL, &error));
  g_assert_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_TOO_BIG);
  g_unlink (big);

  g_assert_cmpuint (enr_enrollment_import_get_n_rows (import), ==, 0);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK), ==, 0);
}

/* Cancel after the first queued row: it stays queued, the others are not. */
static void
test_cancel (ClientFixture *fixture,
             gconstpointer  data)
{
  const char *text =
    HEADER
    "RPL-100185,TOU-PILOT,2026-06-15,,,,,,\r\n"
    "RPL-100370,PEAK-CG-2026,2026-06-15,,,,,,\r\n"
    "RPL-100333,TOU-PILOT,2026-06-15,,,,,,\r\n";
  g_autoptr(EnrEnrollmentImport) import = preview (fixture, text);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrImportRow) last = NULL;

  g_assert_cmpuint (enr_enrollment_import_count (import, ENR_IMPORT_OUTCOME_READY), ==, 3);
  g_assert_cmpuint (enr_enrollment_import_queue (import, 1, &error), ==, 1);
  g_assert_no_error (error);
  enr_enrollment_import_cancel (import);
  g_assert_cmpuint (enr_enrollment_import_queue (import, 10, &error), ==, 0);
  g_assert_true (enr_enrollment_import_is_queued (import));

  g_assert_cmpuint (enr_enrollment_import_count (import, ENR_IMPORT_OUTCOME_QUEUED), ==, 1);
  g_assert_cmpuint (enr_enrollment_import_count (import, ENR_IMPORT_OUTCOME_CANCELED), ==, 2);
  g_assert_cmpuint (client_count_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK), ==, 1);
  last = row_at (import, 2);
  g_assert_cmpstr (enr_import_row_get_reasons (last), ==, "The import was canceled before this row was queued");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/enrollment-import/" path, ClientFixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("mixed", test_mixed);
  ADD ("second-import", test_second_import);
  ADD ("within-file", test_within_file);
  ADD ("consent-required", test_consent_required);
  ADD ("malformed", test_malformed);
  ADD ("cancel", test_cancel);

  return g_test_run ();
}

/* test-import-csv.c — the reader of Import Enrollments… files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "enr-core.h"

#define HEADER "account,program code,start date,installation method,consent method,consent date,terms version\r\n"

static GPtrArray *
parse (const char  *text,
       gssize       length,
       GError     **error)
{
  return enr_import_csv_parse (text, length < 0 ? strlen (text) : (gsize) length, error);
}

static const EnrImportRecord *
record (GPtrArray *records,
        guint      i)
{
  g_assert_cmpuint (i, <, records->len);
  return g_ptr_array_index (records, i);
}

/* A whole file: BOM, CRLF, quoted commas, doubled quotes, a value over two
 * lines, optional columns in another order, blank lines, spaces. */
static void
test_good_file (void)
{
  const char *text =
    "\xef\xbb\xbf" "Notes,ACCOUNT,Program_Code,start-date,Installation Method,consent method,"
    "consent date,terms version,Appointment Preference\r\n"
    "\"Called back, twice\",RPL-100111,TOU-PILOT,2026-11-27,,phone,2026-11-20 14:05,TOU-2026.1,mornings\r\n"
    "\r\n"
    "\"He said \"\"yes\"\"\nthen hung up\",RPL-100185, DER-REG ,2026-12-01,Ship Device,Paper form,"
    "2026-11-19T09:30:00Z,DER-2025.9,\r\n"
    "plain,RPL-100200,CG-2026,2026-12-01,,,,,\n"
    ",,,,,,,,\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = parse (text, -1, &error);
  const EnrImportRecord *r;

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 3);

  r = record (records, 0);
  g_assert_cmpuint (r->line, ==, 2);
  g_assert_cmpstr (r->values[ENR_IMPORT_COLUMN_NOTES], ==, "Called back, twice");
  g_assert_cmpstr (r->values[ENR_IMPORT_COLUMN_ACCOUNT], ==, "RPL-100111");
  g_assert_cmpstr (r->values[ENR_IMPORT_COLUMN_PROGRAM_CODE], ==, "TOU-PILOT");
  g_assert_null (r->values[ENR_IMPORT_COLUMN_INSTALLATION_METHOD]);
  g_assert_cmpstr (r->values[ENR_IMPORT_COLUMN_APPOINTMENT_PREFERENCE], ==, "mornings");
  g_assert_cmpuint (r->extra_values, ==, 0);

  r = record (records, 1);
  g_assert_cmpuint (r->line, ==, 4);
  g_assert_cmpstr (r->values[ENR_IMPORT_COLUMN_NOTES], ==, "He said \"yes\"\nthen hung up");
  g_assert_cmpstr (r->values[ENR_IMPORT_COLUMN_PROGRAM_CODE], ==, "DER-REG");
  g_assert_null (r->values[ENR_IMPORT_COLUMN_APPOINTMENT_PREFERENCE]);

  r = record (records, 2);
  g_assert_cmpuint (r->line, ==, 6);
  g_assert_cmpstr (r->values[ENR_IMPORT_COLUMN_NOTES], ==, "plain");
}

/* Columns without a name and their values are ignored. */
static void
test_unnamed_columns (void)
{
  const char *text =
    "account,program code,start date,installation method,consent method,consent date,terms version,,\r\n"
    "A,P,2026-11-27,,,,T,stray,cells\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpuint (record (records, 0)->extra_values, ==, 0);
  g_assert_cmpstr (record (records, 0)->values[ENR_IMPORT_COLUMN_TERMS_VERSION], ==, "T");
  g_assert_null (record (records, 0)->values[ENR_IMPORT_COLUMN_NOTES]);
}

/* The typed values, and the reasons a row is refused for. */
static void
test_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const char *text =
    HEADER
    "A,TOU-PILOT,2026-11-27,ship_device,Paper form,2026-11-20 14:05,T1\r\n"
    "A,TOU-PILOT,31/02/2026,drone,telepathy,yesterday,T1\r\n"
    "A,TOU-PILOT,2026-02-30,,,2026-11-20 14:05,T1\r\n"
    ",,,,web,,\r\n"
    "A,TOU-PILOT,2026-11-27,,,,T1,surplus\r\n"
    "A,TOU-PILOT,2026-11-27,,device app,2026-11-20T14:05:00+02:00,T1\r\n"
    "A,TOU-PILOT,2026-11-27,,web,2026-11-20,T1\r\n";
  struct {
    const char *reasons;   /* joined by " | " */
  } expected[] = {
    { "" },
    { "The start date “31/02/2026” is not a date: write it as YYYY-MM-DD, e.g. 2026-11-27 | "
      "The installation method “drone” is not one of re-enroll, ship-device, utility-installation | "
      "The consent method “telepathy” is not one of phone, web, paper, device-app | "
      "The consent date “yesterday” is not a date and time: write it as YYYY-MM-DD HH:MM, e.g. 2026-11-27 14:05" },
    { "The start date “2026-02-30” is not a date: write it as YYYY-MM-DD, e.g. 2026-11-27 | "
      "The consent date is given without a consent method" },
    { "The account is missing | The program code is missing | The start date is missing | "
      "Enter the date and time the customer consented" },
    { "The row has 8 values but the first line names 7 columns" },
    { "" },
    { "The consent date “2026-11-20” is not a date and time: write it as YYYY-MM-DD HH:MM, e.g. 2026-11-27 14:05" },
  };

  records = parse (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *joined = NULL;
      EnrImportValues values;
      gboolean ok;

      ok = enr_import_record_parse (record (records, i), utc, &values, reasons);
      g_ptr_array_add (reasons, NULL);
      joined = g_strjoinv (" | ", (char **) reasons->pdata);
      g_test_message ("row %u: %s", i, joined);
      g_assert_cmpstr (joined, ==, expected[i].reasons);
      g_assert_true (ok == (expected[i].reasons[0] == '\0'));

      if (i == 0)
        {
          g_autofree char *given = g_date_time_format_iso8601 (values.consent_given_at);

          g_assert_cmpint (values.installation_method, ==, ENR_INSTALLATION_METHOD_SHIP_DEVICE);
          g_assert_cmpint (values.consent_method, ==, ENR_CONSENT_METHOD_PAPER);
          g_assert_cmpstr (given, ==, "2026-11-20T14:05:00Z");
          g_assert_cmpint (g_date_get_day (&values.start_date), ==, 27);
        }
      if (i == 5)
        {
          g_autofree char *given = g_date_time_format_iso8601 (values.consent_given_at);

          g_assert_cmpint (values.consent_method, ==, ENR_CONSENT_METHOD_DEVICE_APP);
          g_assert_cmpstr (given, ==, "2026-11-20T14:05:00+02");
        }
      enr_import_values_clear (&values);
    }
}

/* Every malformed file: one clerk-readable error, no rows. */
typedef struct
{
  const char     *name;
  const char     *text;
  gssize          length;
  EnrImportError  code;
  const char     *message;
} Malformed;

static const Malformed malformed[] = {
  { "latin-1", HEADER "RPL-1,TOU-PILOT,2026-11-27,,,,Caf\xe9\r\n", -1, ENR_IMPORT_ERROR_ENCODING,
    "Line 2 is not UTF-8 text. Save the file as “CSV UTF-8” and import it again" },
  { "latin-1-header", "acc\xf4unt\r\n", -1, ENR_IMPORT_ERROR_ENCODING,
    "Line 1 is not UTF-8 text. Save the file as “CSV UTF-8” and import it again" },
  { "utf-16", "\xff\xfe" "a\0c\0", 6, ENR_IMPORT_ERROR_ENCODING,
    "The file is UTF-16 text. Save it as “CSV UTF-8” and import it again" },
  { "nul-byte", HEADER "RPL-1,TOU\0PILOT,2026-11-27,,,,\r\n", sizeof HEADER - 1 + 32, ENR_IMPORT_ERROR_ENCODING,
    "Line 2 is not UTF-8 text. Save the file as “CSV UTF-8” and import it again" },
  { "open-quote", HEADER "RPL-1,TOU-PILOT,2026-11-27,,,,ok\r\nRPL-2,\"TOU-PILOT,2026-11-27,,,,\r\n", -1,
    ENR_IMPORT_ERROR_QUOTES,
    "Line 3 has unbalanced quotes: a value that starts with \" must end with \" and a \" inside it "
    "must be doubled (\"\")" },
  { "stray-quote", HEADER "RPL-1,TOU-PILOT,2026-11-27,,,,ok\r\nRPL-2,TOU\"PILOT,2026-11-27,,,,\r\n", -1,
    ENR_IMPORT_ERROR_QUOTES,
    "Line 3 has unbalanced quotes: a value that starts with \" must end with \" and a \" inside it "
    "must be doubled (\"\")" },
  { "after-quote", HEADER "RPL-1,\"TOU\"PILOT,2026-11-27,,,,\r\n", -1, ENR_IMPORT_ERROR_QUOTES,
    "Line 2 has unbalanced quotes: a value that starts with \" must end with \" and a \" inside it "
    "must be doubled (\"\")" },
  { "unknown-column", "account,program code,start date,installation method,consent method,consent date,"
    "terms version,favourite colour\r\n", -1, ENR_IMPORT_ERROR_HEADER,
    "The column “favourite colour” is not one Enrollment Desk knows. The columns are: account, program code, "
    "start date, installation method, consent method, consent date, terms version, appointment preference, notes" },
  { "missing-column", "account,program code,start date,installation method,consent method,consent date\r\n"
    "RPL-1,TOU-PILOT,2026-11-27,,,\r\n", -1, ENR_IMPORT_ERROR_HEADER,
    "The first line names no column “terms version”: the file needs it" },
  { "twice", "account,program code,Account\r\n", -1, ENR_IMPORT_ERROR_HEADER,
    "The column “account” appears twice in the first line" },
  { "empty", "", 0, ENR_IMPORT_ERROR_EMPTY, "The file is empty: its first line must name the columns" },
  { "bom-only", "\xef\xbb\xbf", -1, ENR_IMPORT_ERROR_EMPTY, "The file is empty: its first line must name the columns" },
  { "header-only", HEADER, -1, ENR_IMPORT_ERROR_EMPTY,
    "The file has no enrollments: only the line naming the columns" },
};

static void
test_malformed (gconstpointer data)
{
  const Malformed *m = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = parse (m->text, m->length, &error);

  g_assert_null (records);
  g_assert_error (error, ENR_IMPORT_ERROR, (int) m->code);
  g_assert_cmpstr (error->message, ==, m->message);
}

/* A million columns, in the header and in a row: refused at the 65th. */
static void
test_million_columns (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;

  for (guint i = 0; i < 1000000; i++)
    g_string_append (text, i == 0 ? "account" : ",x");
  g_string_append (text, "\r\n");
  records = parse (text->str, text->len, &error);
  g_assert_null (records);
  /* The first unknown name stops it before the count does. */
  g_assert_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_HEADER);
  g_clear_error (&error);

  g_string_assign (text, HEADER "RPL-1");
  for (guint i = 0; i < 1000000; i++)
    g_string_append (text, ",");
  g_string_append (text, "\r\n");
  records = parse (text->str, text->len, &error);
  g_assert_null (records);
  g_assert_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_TOO_MANY_COLUMNS);
  g_assert_cmpstr (error->message, ==, "Line 2 has more than 64 values: the file is not an enrollments file");
}

static void
test_long_value (void)
{
  g_autoptr(GString) text = g_string_new (HEADER "RPL-1,TOU-PILOT,2026-11-27,,,,\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append_c (text, 'v');
  g_string_append (text, "\"\r\n");
  records = parse (text->str, text->len, &error);
  g_assert_null (records);
  g_assert_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_VALUE_TOO_LONG);
  g_assert_cmpstr (error->message, ==, "Line 2 has a value longer than 4096 characters");
}

static void
test_too_many_rows (void)
{
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;

  for (guint i = 0; i <= ENR_IMPORT_MAX_ROWS; i++)
    g_string_append (text, "A,P,2026-11-27,,,,T\n");
  records = parse (text->str, text->len, &error);
  g_assert_null (records);
  g_assert_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_TOO_MANY_ROWS);
  g_assert_cmpstr (error->message, ==, "The file has more than 100000 rows: split it into smaller files");
}

/* A 1 GiB file (sparse: it takes no disk) is refused by its size before a
 * byte of it is read; a readable small file goes through. */
static void
test_read_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("enr-import-XXXXXX", NULL);
  g_autofree char *big = g_build_filename (dir, "big.csv", NULL);
  g_autofree char *small = g_build_filename (dir, "small.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  g_autoptr(GFile) big_file = g_file_new_for_path (big);
  g_autoptr(GFile) small_file = g_file_new_for_path (small);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GFile) dir_file = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  int fd;

  fd = g_open (big, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 1 << 30), ==, 0);
  close (fd);

  records = enr_import_csv_read (big_file, NULL, &error);
  g_assert_null (records);
  g_assert_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_TOO_BIG);
  g_assert_cmpstr (error->message, ==, "The file is larger than 32 MiB: split it into smaller files");
  g_clear_error (&error);

  records = enr_import_csv_read (missing_file, NULL, &error);
  g_assert_null (records);
  g_assert_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_READ);
  g_clear_error (&error);

  records = enr_import_csv_read (dir_file, NULL, &error);
  g_assert_null (records);
  g_assert_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_READ);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (small, HEADER "RPL-1,TOU-PILOT,2026-11-27,,,,T\r\n", -1, NULL));
  records = enr_import_csv_read (small_file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);

  g_unlink (big);
  g_unlink (small);
  g_rmdir (dir);
}

/* What the export writes reads back the same. */
static void
test_quote (void)
{
  const char *values[] = { "plain", "a, b", "say \"hi\"", "two\nlines", "", NULL };
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;

  {
    g_autofree char *empty = enr_import_csv_quote (NULL);

    g_assert_cmpstr (empty, ==, "");
  }
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autofree char *quoted = enr_import_csv_quote (values[i]);

      g_string_append_printf (text, "%s,P,2026-11-27,,,,T\r\n", quoted);
    }
  g_assert_true (strstr (text->str, "\"say \"\"hi\"\"\"") != NULL);

  records = parse (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 5);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (record (records, i)->values[ENR_IMPORT_COLUMN_ACCOUNT], ==, values[i]);
  g_assert_null (record (records, 4)->values[ENR_IMPORT_COLUMN_ACCOUNT]);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-csv/good-file", test_good_file);
  g_test_add_func ("/import-csv/unnamed-columns", test_unnamed_columns);
  g_test_add_func ("/import-csv/values", test_values);
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *path = g_strdup_printf ("/import-csv/malformed/%s", malformed[i].name);

      g_test_add_data_func (path, &malformed[i], test_malformed);
    }
  g_test_add_func ("/import-csv/million-columns", test_million_columns);
  g_test_add_func ("/import-csv/long-value", test_long_value);
  g_test_add_func ("/import-csv/too-many-rows", test_too_many_rows);
  g_test_add_func ("/import-csv/read-file", test_read_file);
  g_test_add_func ("/import-csv/quote", test_quote);

  return g_test_run ();
}

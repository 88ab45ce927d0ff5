/* enr-import-csv.h — the rows of an Import Enrollments… file
 *
 * An RFC 4180 file (Debian's libcsv in strict mode), UTF-8 with or
 * without a byte order mark, whose first row names the columns. The
 * reader refuses a whole file that cannot be read as such (too big, not
 * UTF-8, unbalanced quotes, too many columns, an unknown or missing
 * column) with one clerk-readable error; the values of a row are judged
 * one row at a time (enr_import_record_parse()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-enums.h"

G_BEGIN_DECLS

/* Limits (see docs/model.md, "Import Enrollments… files"). */
#define ENR_IMPORT_MAX_BYTES   (32 * 1024 * 1024)  /* refused by size before reading */
#define ENR_IMPORT_MAX_ROWS    100000
#define ENR_IMPORT_MAX_COLUMNS 64                  /* values on any line */
#define ENR_IMPORT_MAX_VALUE   4096                /* bytes in one value */

#define ENR_IMPORT_ERROR (enr_import_error_quark ())

typedef enum
{
  ENR_IMPORT_ERROR_TOO_BIG,
  ENR_IMPORT_ERROR_ENCODING,
  ENR_IMPORT_ERROR_QUOTES,
  ENR_IMPORT_ERROR_TOO_MANY_COLUMNS,
  ENR_IMPORT_ERROR_TOO_MANY_ROWS,
  ENR_IMPORT_ERROR_VALUE_TOO_LONG,
  ENR_IMPORT_ERROR_HEADER,
  ENR_IMPORT_ERROR_EMPTY,
  ENR_IMPORT_ERROR_READ,
} EnrImportError;

typedef enum
{
  ENR_IMPORT_COLUMN_ACCOUNT,
  ENR_IMPORT_COLUMN_PROGRAM_CODE,
  ENR_IMPORT_COLUMN_START_DATE,
  ENR_IMPORT_COLUMN_INSTALLATION_METHOD,
  ENR_IMPORT_COLUMN_CONSENT_METHOD,
  ENR_IMPORT_COLUMN_CONSENT_DATE,
  ENR_IMPORT_COLUMN_TERMS_VERSION,
  ENR_IMPORT_COLUMN_APPOINTMENT_PREFERENCE,
  ENR_IMPORT_COLUMN_NOTES,
  ENR_IMPORT_N_COLUMNS,
} EnrImportColumn;

/**
 * EnrImportRecord:
 * @line: the file's line where the row starts (the header is line 1)
 * @values: the row's values by column, %NULL when empty or absent
 * @n_values: how many values the row had
 * @extra_values: how many more values it had than the header names
 */
typedef struct
{
  guint  line;
  char  *values[ENR_IMPORT_N_COLUMNS];
  guint  n_values;
  guint  extra_values;
} EnrImportRecord;

/**
 * EnrImportValues:
 * @start_date: the start date (invalid when refused)
 * @installation_method: the installation method (none when empty)
 * @consent_method: how the customer consented (none when empty)
 * @consent_given_at: (nullable): when, %NULL when empty or refused
 *
 * The typed values of one record.
 */
typedef struct
{
  GDate                  start_date;
  EnrInstallationMethod  installation_method;
  EnrConsentMethod       consent_method;
  GDateTime             *consent_given_at;
} EnrImportValues;

GQuark       enr_import_error_quark        (void);
const char  *enr_import_column_name        (EnrImportColumn    column);
void         enr_import_record_free        (EnrImportRecord   *record);

GPtrArray   *enr_import_csv_parse          (const char        *data,
                                            gsize              length,
                                            GError           **error);
GPtrArray   *enr_import_csv_read           (GFile             *file,
                                            GCancellable      *cancellable,
                                            GError           **error);

gboolean     enr_import_record_parse       (const EnrImportRecord *record,
                                            GTimeZone             *time_zone,
                                            EnrImportValues       *values,
                                            GPtrArray             *reasons);
void         enr_import_values_clear       (EnrImportValues   *values);

char        *enr_import_csv_quote          (const char        *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrImportRecord, enr_import_record_free)

G_END_DECLS

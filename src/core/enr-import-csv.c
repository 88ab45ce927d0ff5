/* enr-import-csv.c — the rows of an Import Enrollments… file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libcsv parses (strict: a stray quote or a quoted value left open is an
 * error); this file feeds it one physical line at a time so that every
 * row and every error knows its line, and checks what libcsv does not:
 * the encoding, the size, the number of columns and the header.
 */
#include "config.h"

#include <csv.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-codec.h"
#include "enr-enum-labels.h"
#include "enr-enum-types.h"
#include "enr-import-csv.h"

G_DEFINE_QUARK (enr-import-error-quark, enr_import_error)

/* The header's names, as the clerk writes them (case, spaces, hyphens and
 * underscores do not matter). */
static const char * const column_names[ENR_IMPORT_N_COLUMNS] = {
  [ENR_IMPORT_COLUMN_ACCOUNT] = "account",
  [ENR_IMPORT_COLUMN_PROGRAM_CODE] = "program code",
  [ENR_IMPORT_COLUMN_START_DATE] = "start date",
  [ENR_IMPORT_COLUMN_INSTALLATION_METHOD] = "installation method",
  [ENR_IMPORT_COLUMN_CONSENT_METHOD] = "consent method",
  [ENR_IMPORT_COLUMN_CONSENT_DATE] = "consent date",
  [ENR_IMPORT_COLUMN_TERMS_VERSION] = "terms version",
  [ENR_IMPORT_COLUMN_APPOINTMENT_PREFERENCE] = "appointment preference",
  [ENR_IMPORT_COLUMN_NOTES] = "notes",
};

/* Columns a file may leave out. */
static gboolean
column_is_optional (EnrImportColumn column)
{
  return column == ENR_IMPORT_COLUMN_APPOINTMENT_PREFERENCE || column == ENR_IMPORT_COLUMN_NOTES;
}

const char *
enr_import_column_name (EnrImportColumn column)
{
  g_return_val_if_fail (column < ENR_IMPORT_N_COLUMNS, NULL);

  return column_names[column];
}

void
enr_import_record_free (EnrImportRecord *record)
{
  if (record == NULL)
    return;

  for (guint i = 0; i < ENR_IMPORT_N_COLUMNS; i++)
    g_free (record->values[i]);
  g_free (record);
}

typedef struct
{
  GPtrArray       *records;
  EnrImportRecord *current;
  gboolean         in_header;
  int              map[ENR_IMPORT_MAX_COLUMNS];   /* field index → column, -1 unknown */
  guint            n_header;
  guint            field;                         /* index of the next field in the row */
  guint            line;                          /* the physical line being fed */
  guint            last_row_line;                 /* where the last whole row ended */
  GError          *error;
} Reader;

static char *
normalize_name (const char *text)
{
  GString *name = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = g_ascii_tolower (*p);

      if (c == ' ' || c == '_' || c == '-' || c == '\t')
        {
          space = name->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (name, ' ');
      space = FALSE;
      g_string_append_c (name, c);
    }

  return g_string_free (name, FALSE);
}

static void
fail (Reader     *reader,
      int         code,
      const char *message)
{
  if (reader->error == NULL)
    reader->error = g_error_new_literal (ENR_IMPORT_ERROR, code, message);
}

static void
header_field (Reader     *reader,
              const char *text)
{
  g_autofree char *name = normalize_name (text);
  guint index = reader->field;

  reader->map[index] = -1;

  /* A column without a name (a spreadsheet's stray cells) is ignored. */
  if (name[0] == '\0')
    return;

  for (guint c = 0; c < ENR_IMPORT_N_COLUMNS; c++)
    {
      if (g_strcmp0 (name, column_names[c]) != 0)
        continue;

      for (guint i = 0; i < index; i++)
        if (reader->map[i] == (int) c)
          {
            g_autofree char *message =
              /* Translators: %s is a column's name, e.g. "program code" */
              g_strdup_printf (_("The column “%s” appears twice in the first line"), column_names[c]);

            fail (reader, ENR_IMPORT_ERROR_HEADER, message);
            return;
          }
      reader->map[index] = c;
      return;
    }

  {
    g_autofree char *message = NULL;
    g_autofree char *shown = g_utf8_make_valid (text, -1);

    /* Translators: the first %s is the unknown name, the second the list of
     * names the file may use */
    message = g_strdup_printf (_("The column “%s” is not one Enrollment Desk knows. The columns are: %s"),
                               shown,
                               "account, program code, start date, installation method, consent method, "
                               "consent date, terms version, appointment preference, notes");
    fail (reader, ENR_IMPORT_ERROR_HEADER, message);
  }
}

static void
on_field (void   *data,
          size_t  length,
          void   *user_data)
{
  Reader *reader = user_data;
  const char *text = data != NULL ? data : "";

  if (reader->error != NULL)
    return;

  if (reader->field >= ENR_IMPORT_MAX_COLUMNS)
    {
      g_autofree char *message =
        /* Translators: %u is a line number, %d the most columns a file may have */
        g_strdup_printf (_("Line %u has more than %d values: the file is not an enrollments file"),
                         reader->line, ENR_IMPORT_MAX_COLUMNS);

      fail (reader, ENR_IMPORT_ERROR_TOO_MANY_COLUMNS, message);
      return;
    }

  if (length > ENR_IMPORT_MAX_VALUE)
    {
      g_autofree char *message =
        /* Translators: %u is a line number, %d a number of bytes */
        g_strdup_printf (_("Line %u has a value longer than %d characters"),
                         reader->line, ENR_IMPORT_MAX_VALUE);

      fail (reader, ENR_IMPORT_ERROR_VALUE_TOO_LONG, message);
      return;
    }

  if (!g_utf8_validate (text, length, NULL))
    {
      g_autofree char *message =
        /* Translators: %u is a line number */
        g_strdup_printf (_("Line %u is not UTF-8 text. Save the file as “CSV UTF-8” and import it again"),
                         reader->line);

      fail (reader, ENR_IMPORT_ERROR_ENCODING, message);
      return;
    }

  if (reader->in_header)
    {
      header_field (reader, text);
      reader->field++;
      return;
    }

  if (reader->current == NULL)
    {
      guint newlines = 0;

      for (size_t i = 0; i < length; i++)
        newlines += text[i] == '\n';

      if (reader->records->len >= ENR_IMPORT_MAX_ROWS)
        {
          g_autofree char *message =
            /* Translators: %d is the most rows a file may have */
            g_strdup_printf (_("The file has more than %d rows: split it into smaller files"), ENR_IMPORT_MAX_ROWS);

          fail (reader, ENR_IMPORT_ERROR_TOO_MANY_ROWS, message);
          return;
        }

      reader->current = g_new0 (EnrImportRecord, 1);
      reader->current->line = reader->line - newlines;
    }

  reader->current->n_values++;
  if (reader->field >= reader->n_header)
    {
      reader->current->extra_values++;
    }
  else if (reader->map[reader->field] >= 0 && length > 0)
    {
      g_autofree char *value = g_strndup (text, length);

      g_free (reader->current->values[reader->map[reader->field]]);
      reader->current->values[reader->map[reader->field]] = g_strdup (g_strstrip (value));
      if (reader->current->values[reader->map[reader->field]][0] == '\0')
        g_clear_pointer (&reader->current->values[reader->map[reader->field]], g_free);
    }
  reader->field++;
}

static void
end_header (Reader *reader)
{
  for (guint c = 0; c < ENR_IMPORT_N_COLUMNS; c++)
    {
      gboolean found = FALSE;

      if (column_is_optional (c))
        continue;
      for (guint i = 0; i < reader->n_header; i++)
        found |= reader->map[i] == (int) c;
      if (!found)
        {
          g_autofree char *message =
            /* Translators: %s is a column's name, e.g. "consent method" */
            g_strdup_printf (_("The first line names no column “%s”: the file needs it"), column_names[c]);

          fail (reader, ENR_IMPORT_ERROR_HEADER, message);
          return;
        }
    }
}

static void
on_row (int   terminator,
        void *user_data)
{
  Reader *reader = user_data;

  if (reader->error != NULL)
    return;

  if (reader->in_header)
    {
      reader->n_header = reader->field;
      reader->in_header = FALSE;
      end_header (reader);
    }
  else if (reader->current != NULL)
    {
      gboolean empty = reader->current->extra_values == 0;

      /* A row of empty values (",,,,": a spreadsheet's blank line) is
       * skipped as a blank line is. */
      for (guint c = 0; c < ENR_IMPORT_N_COLUMNS && empty; c++)
        empty = reader->current->values[c] == NULL;
      if (empty)
        g_clear_pointer (&reader->current, enr_import_record_free);
      else
        g_ptr_array_add (reader->records, g_steal_pointer (&reader->current));
    }
  reader->field = 0;
  reader->last_row_line = reader->line;
}

static void
parse_error (Reader *reader,
             guint   line)
{
  g_autofree char *message =
    /* Translators: %u is a line number */
    g_strdup_printf (_("Line %u has unbalanced quotes: a value that starts with \" must end with \" "
                       "and a \" inside it must be doubled (\"\")"),
                     line);

  fail (reader, ENR_IMPORT_ERROR_QUOTES, message);
}

/**
 * enr_import_csv_parse:
 * @data: the file's bytes
 * @length: their length
 *
 * Returns: (transfer full) (element-type EnrImportRecord): the file's
 *   rows, or %NULL with @error set (%ENR_IMPORT_ERROR, a clerk-readable
 *   message naming the line)
 */
GPtrArray *
enr_import_csv_parse (const char  *data,
                      gsize        length,
                      GError     **error)
{
  struct csv_parser parser;
  Reader reader = { 0 };
  const char *p = data;
  const char *end = data + length;
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > ENR_IMPORT_MAX_BYTES)
    {
      g_set_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_TOO_BIG,
                   /* Translators: %d is a size in MiB */
                   _("The file is larger than %d MiB: split it into smaller files"),
                   ENR_IMPORT_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  if (length >= 2 && (((guchar) data[0] == 0xff && (guchar) data[1] == 0xfe) ||
                      ((guchar) data[0] == 0xfe && (guchar) data[1] == 0xff)))
    {
      g_set_error_literal (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_ENCODING,
                           _("The file is UTF-16 text. Save it as “CSV UTF-8” and import it again"));
      return NULL;
    }

  /* A UTF-8 byte order mark is allowed, and skipped. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_import_record_free);
  reader.records = records;
  reader.in_header = TRUE;

  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    g_error ("csv_init: out of memory");

  while (p < end && reader.error == NULL)
    {
      const char *newline = memchr (p, '\n', end - p);
      size_t n = newline != NULL ? (size_t) (newline - p) + 1 : (size_t) (end - p);

      reader.line++;
      if (csv_parse (&parser, p, n, on_field, on_row, &reader) != n)
        parse_error (&reader, reader.line);
      p += n;
    }

  /* A quoted value still open at the end: it began on the row after the
   * last whole one. */
  if (reader.error == NULL && csv_fini (&parser, on_field, on_row, &reader) != 0)
    parse_error (&reader, reader.last_row_line + 1);
  csv_free (&parser);

  if (reader.current != NULL)
    enr_import_record_free (reader.current);

  if (reader.error != NULL)
    {
      g_propagate_error (error, reader.error);
      return NULL;
    }

  if (reader.in_header)
    {
      g_set_error_literal (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_EMPTY,
                           _("The file is empty: its first line must name the columns"));
      return NULL;
    }

  if (records->len == 0)
    {
      g_set_error_literal (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_EMPTY,
                           _("The file has no enrollments: only the line naming the columns"));
      return NULL;
    }

  return g_steal_pointer (&records);
}

/**
 * enr_import_csv_read:
 *
 * Refuses a file larger than %ENR_IMPORT_MAX_BYTES by its size, before
 * reading it; reads the rest with the same cap (a file that grows while it
 * is read is refused too), then enr_import_csv_parse().
 *
 * Returns: (transfer full) (element-type EnrImportRecord): the file's
 *   rows, or %NULL with @error set
 */
GPtrArray *
enr_import_csv_read (GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  guint8 buffer[65536];

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_parse_name (file);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      /* Translators: the first %s is a file name, the second why */
      g_set_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_READ, _("Could not read “%s”: %s"),
                   name, local_error->message);
      return NULL;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_READ, _("“%s” is a folder, not a file"), name);
      return NULL;
    }

  if (g_file_info_get_size (info) > ENR_IMPORT_MAX_BYTES)
    {
      g_set_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_TOO_BIG,
                   /* Translators: %d is a size in MiB */
                   _("The file is larger than %d MiB: split it into smaller files"),
                   ENR_IMPORT_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_READ, _("Could not read “%s”: %s"),
                   name, local_error->message);
      return NULL;
    }

  bytes = g_byte_array_sized_new (MAX (g_file_info_get_size (info), 0) + 1);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer, cancellable, &local_error);

      if (n < 0)
        {
          g_set_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_READ, _("Could not read “%s”: %s"),
                       name, local_error->message);
          return NULL;
        }
      if (n == 0)
        break;
      if (bytes->len + (gsize) n > ENR_IMPORT_MAX_BYTES)
        {
          g_set_error (error, ENR_IMPORT_ERROR, ENR_IMPORT_ERROR_TOO_BIG,
                       _("The file is larger than %d MiB: split it into smaller files"),
                       ENR_IMPORT_MAX_BYTES / (1024 * 1024));
          return NULL;
        }
      g_byte_array_append (bytes, buffer, n);
    }

  return enr_import_csv_parse ((const char *) bytes->data, bytes->len, error);
}

/* Lower case, with spaces and underscores as hyphens: "Ship Device" and
 * "ship_device" are "ship-device". */
static char *
normalize_code (const char *text)
{
  char *code = g_utf8_strdown (text, -1);

  g_strstrip (code);
  for (char *p = code; *p != '\0'; p++)
    if (*p == ' ' || *p == '_')
      *p = '-';

  return code;
}

/* The value of @type whose nick or label (in the user's language) is @text,
 * or -1. */
static int
parse_enum (GType        type,
            const char  *text,
            const char *(*label) (int value))
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  g_autofree char *code = normalize_code (text);

  for (guint i = 0; i < klass->n_values; i++)
    {
      g_autofree char *shown = normalize_code (label (klass->values[i].value));

      if (klass->values[i].value == 0)
        continue;   /* "none": an empty value says it */
      if (g_strcmp0 (code, klass->values[i].value_nick) == 0 || g_strcmp0 (code, shown) == 0)
        return klass->values[i].value;
    }

  return -1;
}

static const char *
installation_label (int value)
{
  return enr_installation_method_label (value);
}

static const char *
consent_label (int value)
{
  return enr_consent_method_label (value);
}

static void
add_reason (GPtrArray  *reasons,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static void
add_reason (GPtrArray  *reasons,
            const char *format,
            ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (reasons, g_strdup_vprintf (format, args));
  va_end (args);
}

/* "2026-03-02 14:05", "2026-03-02T14:05:00", with or without a zone. */
static GDateTime *
parse_date_time (const char *text,
                 GTimeZone  *time_zone)
{
  g_autofree char *iso = g_strdup (text);
  gsize length = strlen (iso);

  if (length < 16 || length > 40)
    return NULL;
  if (iso[10] == ' ')
    iso[10] = 'T';
  if (iso[10] != 'T')
    return NULL;
  if (length == 16)
    {
      g_autofree char *seconds = g_strconcat (iso, ":00", NULL);

      return g_date_time_new_from_iso8601 (seconds, time_zone);
    }

  return g_date_time_new_from_iso8601 (iso, time_zone);
}

/**
 * enr_import_record_parse:
 * @time_zone: (nullable): the zone of a consent date that names none;
 *   %NULL = the local zone
 * @values: (out caller-allocates): the typed values; clear them with
 *   enr_import_values_clear()
 * @reasons: (element-type utf8): where each clerk-readable reason to refuse
 *   the row is added
 *
 * Judges the values that need no data: the dates, the codes, the values
 * every row needs. The account, the program and the terms version are
 * judged against the data (src/client/enr-enrollment-import.c).
 *
 * Returns: whether the row's values are all usable
 */
gboolean
enr_import_record_parse (const EnrImportRecord *record,
                         GTimeZone             *time_zone,
                         EnrImportValues       *values,
                         GPtrArray             *reasons)
{
  const char *text;
  guint before;

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);
  g_return_val_if_fail (reasons != NULL, FALSE);

  before = reasons->len;
  memset (values, 0, sizeof *values);
  g_date_clear (&values->start_date, 1);

  if (record->extra_values > 0)
    /* Translators: the first %u is a number of values, the second the
     * number of columns the first line names */
    add_reason (reasons, _("The row has %u values but the first line names %u columns"),
                record->n_values, record->n_values - record->extra_values);

  if (record->values[ENR_IMPORT_COLUMN_ACCOUNT] == NULL)
    add_reason (reasons, "%s", _("The account is missing"));
  if (record->values[ENR_IMPORT_COLUMN_PROGRAM_CODE] == NULL)
    add_reason (reasons, "%s", _("The program code is missing"));

  text = record->values[ENR_IMPORT_COLUMN_START_DATE];
  if (text == NULL)
    add_reason (reasons, "%s", _("The start date is missing"));
  else if (!enr_codec_parse_date (text, &values->start_date))
    /* Translators: %s is what the file has, e.g. "31/02/2026" */
    add_reason (reasons, _("The start date “%s” is not a date: write it as YYYY-MM-DD, e.g. 2026-11-27"), text);

  text = record->values[ENR_IMPORT_COLUMN_INSTALLATION_METHOD];
  if (text != NULL)
    {
      int method = parse_enum (ENR_TYPE_INSTALLATION_METHOD, text, installation_label);

      if (method < 0)
        /* Translators: %s is what the file has */
        add_reason (reasons, _("The installation method “%s” is not one of re-enroll, ship-device, "
                               "utility-installation"), text);
      else
        values->installation_method = method;
    }

  text = record->values[ENR_IMPORT_COLUMN_CONSENT_METHOD];
  if (text != NULL)
    {
      int method = parse_enum (ENR_TYPE_CONSENT_METHOD, text, consent_label);

      if (method < 0)
        /* Translators: %s is what the file has */
        add_reason (reasons, _("The consent method “%s” is not one of phone, web, paper, device-app"), text);
      else
        values->consent_method = method;
    }

  text = record->values[ENR_IMPORT_COLUMN_CONSENT_DATE];
  if (text != NULL)
    {
      g_autoptr(GTimeZone) local = time_zone == NULL ? g_time_zone_new_local () : NULL;

      values->consent_given_at = parse_date_time (text, time_zone != NULL ? time_zone : local);
      if (values->consent_given_at == NULL)
        /* Translators: %s is what the file has */
        add_reason (reasons, _("The consent date “%s” is not a date and time: write it as "
                               "YYYY-MM-DD HH:MM, e.g. 2026-11-27 14:05"), text);
      else if (values->consent_method == ENR_CONSENT_METHOD_NONE &&
               record->values[ENR_IMPORT_COLUMN_CONSENT_METHOD] == NULL)
        add_reason (reasons, "%s", _("The consent date is given without a consent method"));
    }
  else if (values->consent_method != ENR_CONSENT_METHOD_NONE)
    {
      add_reason (reasons, "%s", _("Enter the date and time the customer consented"));
    }

  return reasons->len == before;
}

void
enr_import_values_clear (EnrImportValues *values)
{
  g_return_if_fail (values != NULL);

  g_clear_pointer (&values->consent_given_at, g_date_time_unref);
}

/**
 * enr_import_csv_quote:
 * @value: (nullable): one value
 *
 * Returns: (transfer full): @value as one RFC 4180 field (quoted when it
 *   holds a comma, a quote or a line break)
 */
char *
enr_import_csv_quote (const char *value)
{
  size_t length;
  size_t size;
  char *field;

  if (value == NULL)
    return g_strdup ("");
  if (strpbrk (value, ",\"\r\n") == NULL)
    return g_strdup (value);

  length = strlen (value);
  size = 2 * length + 3;
  field = g_malloc (size);
  size = csv_write (field, size, value, length);
  field[size] = '\0';

  return field;
}

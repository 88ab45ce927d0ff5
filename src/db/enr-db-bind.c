/* enr-db-bind.c — binding values, with one rule per type
 *
 * The rules (for both stores and both backends):
 *
 *   string        its text; NULL stays NULL
 *   boolean       1 or 0
 *   integers      the number
 *   enum, flags   the number (stored: new values are appended, never
 *                 renumbered)
 *   double        the number
 *   GDate         "YYYY-MM-DD"; unset or invalid is NULL
 *   GDateTime     Unix seconds; NULL stays NULL
 *
 * A value given as text (a query parameter, a filter) is bound by
 * enr_db_stmt_bind_lookup() the way a property of its type is stored: an
 * enum by its nick, a date-time in RFC 3339.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-codec.h"
#include "enr-enums.h"

#include "enr-db-private.h"

static void
set_pg_value (EnrDbStmt *stmt,
              int        index,
              char      *value,
              int        length,
              int        format)
{
  g_return_if_fail (index >= 1 && index <= stmt->n_params);

  g_free (stmt->values[index - 1]);
  stmt->values[index - 1] = value;
  stmt->lengths[index - 1] = length;
  stmt->formats[index - 1] = format;
}

void
enr_db_stmt_bind_null (EnrDbStmt *stmt,
                       int        index)
{
  if (stmt->sqlite != NULL)
    sqlite3_bind_null (stmt->sqlite, index);
  else
    set_pg_value (stmt, index, NULL, 0, 0);
}

void
enr_db_stmt_bind_text (EnrDbStmt  *stmt,
                       int         index,
                       const char *text)
{
  if (text == NULL)
    enr_db_stmt_bind_null (stmt, index);
  else if (stmt->sqlite != NULL)
    sqlite3_bind_text (stmt->sqlite, index, text, -1, SQLITE_TRANSIENT);
  else
    set_pg_value (stmt, index, g_strdup (text), 0, 0);
}

/* As enr_db_stmt_bind_text(), without a copy on SQLite: @text must stay
 * as it is until the caller has run the statement and reset it (the
 * next enr_db_prepare() of it drops the binding unread). */
void
enr_db_stmt_bind_text_static (EnrDbStmt  *stmt,
                              int         index,
                              const char *text)
{
  if (text != NULL && stmt->sqlite != NULL)
    sqlite3_bind_text (stmt->sqlite, index, text, -1, SQLITE_STATIC);
  else
    enr_db_stmt_bind_text (stmt, index, text);
}

void
enr_db_stmt_bind_int64 (EnrDbStmt *stmt,
                        int        index,
                        gint64     value)
{
  if (stmt->sqlite != NULL)
    sqlite3_bind_int64 (stmt->sqlite, index, value);
  else
    set_pg_value (stmt, index, g_strdup_printf ("%" G_GINT64_FORMAT, value), 0, 0);
}

void
enr_db_stmt_bind_double (EnrDbStmt *stmt,
                         int        index,
                         double     value)
{
  if (stmt->sqlite != NULL)
    sqlite3_bind_double (stmt->sqlite, index, value);
  else
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      set_pg_value (stmt, index, g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value)), 0, 0);
    }
}

/* An empty blob when @size is 0, never NULL. */
void
enr_db_stmt_bind_blob (EnrDbStmt     *stmt,
                       int            index,
                       gconstpointer  data,
                       gsize          size)
{
  if (stmt->sqlite != NULL)
    sqlite3_bind_blob64 (stmt->sqlite, index, size > 0 ? data : "", size, SQLITE_TRANSIENT);
  else
    set_pg_value (stmt, index, size > 0 ? g_memdup2 (data, size) : g_strdup (""), (int) size, 1);
}

/* Whether enr_db_stmt_bind_value() has a rule for @type. */
gboolean
enr_db_type_is_bindable (GType type)
{
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
    case G_TYPE_BOOLEAN:
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
    case G_TYPE_FLOAT:
    case G_TYPE_DOUBLE:
      return TRUE;
    case G_TYPE_BOXED:
      return type == G_TYPE_DATE || type == G_TYPE_DATE_TIME;
    default:
      return FALSE;
    }
}

void
enr_db_stmt_bind_value (EnrDbStmt    *stmt,
                        int           index,
                        const GValue *value)
{
  GType type = G_VALUE_TYPE (value);

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
      enr_db_stmt_bind_text (stmt, index, g_value_get_string (value));
      break;
    case G_TYPE_BOOLEAN:
      enr_db_stmt_bind_int64 (stmt, index, g_value_get_boolean (value) ? 1 : 0);
      break;
    case G_TYPE_CHAR:
      enr_db_stmt_bind_int64 (stmt, index, g_value_get_schar (value));
      break;
    case G_TYPE_UCHAR:
      enr_db_stmt_bind_int64 (stmt, index, g_value_get_uchar (value));
      break;
    case G_TYPE_INT:
      enr_db_stmt_bind_int64 (stmt, index, g_value_get_int (value));
      break;
    case G_TYPE_UINT:
      enr_db_stmt_bind_int64 (stmt, index, g_value_get_uint (value));
      break;
    case G_TYPE_LONG:
      enr_db_stmt_bind_int64 (stmt, index, g_value_get_long (value));
      break;
    case G_TYPE_ULONG:
      enr_db_stmt_bind_int64 (stmt, index, (gint64) g_value_get_ulong (value));
      break;
    case G_TYPE_INT64:
      enr_db_stmt_bind_int64 (stmt, index, g_value_get_int64 (value));
      break;
    case G_TYPE_UINT64:
      enr_db_stmt_bind_int64 (stmt, index, (gint64) g_value_get_uint64 (value));
      break;
    case G_TYPE_ENUM:
      enr_db_stmt_bind_int64 (stmt, index, g_value_get_enum (value));
      break;
    case G_TYPE_FLAGS:
      enr_db_stmt_bind_int64 (stmt, index, g_value_get_flags (value));
      break;
    case G_TYPE_FLOAT:
      enr_db_stmt_bind_double (stmt, index, g_value_get_float (value));
      break;
    case G_TYPE_DOUBLE:
      enr_db_stmt_bind_double (stmt, index, g_value_get_double (value));
      break;
    case G_TYPE_BOXED:
      if (type == G_TYPE_DATE)
        {
          char *text = enr_codec_format_date (g_value_get_boxed (value));

          enr_db_stmt_bind_text (stmt, index, text);
          g_free (text);
          break;
        }
      if (type == G_TYPE_DATE_TIME)
        {
          GDateTime *date_time = g_value_get_boxed (value);

          if (date_time != NULL)
            enr_db_stmt_bind_int64 (stmt, index, g_date_time_to_unix (date_time));
          else
            enr_db_stmt_bind_null (stmt, index);
          break;
        }
      G_GNUC_FALLTHROUGH;
    default:
      g_critical ("%s: no rule to store a %s", G_STRFUNC, g_type_name (type));
      enr_db_stmt_bind_null (stmt, index);
      break;
    }
}

/* Binds the value of @property of @object by the rules above. */
void
enr_db_stmt_bind_property (EnrDbStmt  *stmt,
                           int         index,
                           GObject    *object,
                           const char *property)
{
  g_auto(GValue) value = G_VALUE_INIT;
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property);

  g_return_if_fail (pspec != NULL);

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, property, &value);
  enr_db_stmt_bind_value (stmt, index, &value);
}

/**
 * enr_db_stmt_bind_lookup:
 * @type: the type of the property the column holds
 * @text: the value as text: a nick for an enum, "true" or "false", a
 *   decimal number, "YYYY-MM-DD", an RFC 3339 date-time
 *
 * Binds @text as a property of @type with that value is stored, to look
 * it up.
 *
 * Returns: %FALSE with %ENR_DB_ERROR_INVALID when @text is no such value
 */
gboolean
enr_db_stmt_bind_lookup (EnrDbStmt   *stmt,
                         int          index,
                         GType        type,
                         const char  *text,
                         GError     **error)
{
  g_return_val_if_fail (text != NULL, FALSE);

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
      enr_db_stmt_bind_text (stmt, index, text);
      return TRUE;

    case G_TYPE_BOOLEAN:
      if (g_str_equal (text, "true") || g_str_equal (text, "false"))
        {
          enr_db_stmt_bind_int64 (stmt, index, g_str_equal (text, "true"));
          return TRUE;
        }
      break;

    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
      {
        gint64 number;

        if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &number, NULL))
          {
            enr_db_stmt_bind_int64 (stmt, index, number);
            return TRUE;
          }
      }
      break;

    case G_TYPE_ENUM:
      {
        int number;

        if (enr_enum_from_nick (type, text, &number))
          {
            enr_db_stmt_bind_int64 (stmt, index, number);
            return TRUE;
          }
      }
      break;

    case G_TYPE_DOUBLE:
    case G_TYPE_FLOAT:
      {
        char *end = NULL;
        double number = g_ascii_strtod (text, &end);

        if (text[0] != '\0' && end != NULL && *end == '\0')
          {
            enr_db_stmt_bind_double (stmt, index, number);
            return TRUE;
          }
      }
      break;

    case G_TYPE_BOXED:
      if (type == G_TYPE_DATE)
        {
          GDate date;

          if (enr_codec_parse_date (text, &date))
            {
              char *canonical = enr_codec_format_date (&date);

              enr_db_stmt_bind_text (stmt, index, canonical);
              g_free (canonical);
              return TRUE;
            }
        }
      else if (type == G_TYPE_DATE_TIME)
        {
          GDateTime *date_time = enr_codec_parse_date_time (text);

          if (date_time != NULL)
            {
              enr_db_stmt_bind_int64 (stmt, index, g_date_time_to_unix (date_time));
              g_date_time_unref (date_time);
              return TRUE;
            }
        }
      break;

    default:
      break;
    }

  _enr_db_set_error (error, ENR_DB_ERROR_INVALID, "“%s” is not a valid %s", text, g_type_name (type));
  return FALSE;
}

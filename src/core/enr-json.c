/* enr-json.c — strict checking of untrusted JSON before json-glib sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-json.h"

typedef enum
{
  EXPECT_VALUE,               /* the document's value, or after ':' */
  EXPECT_VALUE_AFTER_COMMA,   /* in an array, after ',' */
  EXPECT_VALUE_OR_END_ARRAY,  /* after '[' */
  EXPECT_KEY_AFTER_COMMA,     /* in an object, after ',' */
  EXPECT_KEY_OR_END_OBJECT,   /* after '{' */
  EXPECT_AFTER_VALUE,         /* ',', a closing bracket, or the end */
} Expect;

typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;
} Scanner;

G_DEFINE_QUARK (enr-codec-error-quark, enr_codec_error)

static void
set_error_at (const Scanner *scanner,
              gsize          offset,
              GError       **error,
              EnrCodecError  code,
              const char    *message)
{
  guint line = 1;
  gsize line_start = 0;

  offset = MIN (offset, scanner->length);
  for (gsize i = 0; i < offset; i++)
    {
      if (scanner->data[i] == '\n')
        {
          line++;
          line_start = i + 1;
        }
    }

  /* The column counts bytes from the start of the line, from 1. */
  g_set_error (error, ENR_CODEC_ERROR, code,
               _("line %u, column %zu: %s"),
               line, offset - line_start + 1, message);
}

static inline gboolean
at_end (const Scanner *scanner)
{
  return scanner->pos >= scanner->length;
}

static inline guchar
peek (const Scanner *scanner)
{
  return (guchar) scanner->data[scanner->pos];
}

static void
skip_whitespace (Scanner *scanner)
{
  while (!at_end (scanner))
    {
      guchar c = peek (scanner);

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      scanner->pos++;
    }
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the four hex digits of a \u escape at scanner->pos. */
static gboolean
scan_hex4 (Scanner  *scanner,
           guint    *code_unit,
           GError  **error)
{
  guint unit = 0;

  for (guint i = 0; i < 4; i++)
    {
      int digit;

      if (at_end (scanner) || (digit = hex_value (peek (scanner))) < 0)
        {
          set_error_at (scanner, scanner->pos, error, ENR_CODEC_ERROR_SYNTAX,
                        _("\\u must be followed by four hexadecimal digits"));
          return FALSE;
        }
      unit = (unit << 4) | (guint) digit;
      scanner->pos++;
    }

  *code_unit = unit;
  return TRUE;
}

/* scanner->pos is on the opening quote. */
static gboolean
scan_string (Scanner  *scanner,
             GError  **error)
{
  gsize start = scanner->pos;
  gsize decoded_length = 0;

  scanner->pos++;

  for (;;)
    {
      guchar c;

      if (at_end (scanner))
        {
          set_error_at (scanner, start, error, ENR_CODEC_ERROR_SYNTAX,
                        _("unterminated string"));
          return FALSE;
        }

      c = peek (scanner);

      if (c == '"')
        {
          scanner->pos++;
          break;
        }

      if (c < 0x20)
        {
          set_error_at (scanner, scanner->pos, error, ENR_CODEC_ERROR_SYNTAX,
                        _("control character in string"));
          return FALSE;
        }

      if (c == '\\')
        {
          gsize escape_start = scanner->pos;

          scanner->pos++;
          if (at_end (scanner))
            {
              set_error_at (scanner, start, error, ENR_CODEC_ERROR_SYNTAX,
                            _("unterminated string"));
              return FALSE;
            }

          switch (peek (scanner))
            {
            case '"': case '\\': case '/':
            case 'b': case 'f': case 'n': case 'r': case 't':
              scanner->pos++;
              decoded_length++;
              break;

            case 'u':
              {
                guint unit;

                scanner->pos++;
                if (!scan_hex4 (scanner, &unit, error))
                  return FALSE;

                if (unit == 0)
                  {
                    set_error_at (scanner, escape_start, error, ENR_CODEC_ERROR_SYNTAX,
                                  _("NUL character in string"));
                    return FALSE;
                  }
                else if (unit >= 0xDC00 && unit <= 0xDFFF)
                  {
                    set_error_at (scanner, escape_start, error, ENR_CODEC_ERROR_SYNTAX,
                                  _("lone low surrogate in string"));
                    return FALSE;
                  }
                else if (unit >= 0xD800 && unit <= 0xDBFF)
                  {
                    guint low;

                    if (scanner->length - scanner->pos < 2 ||
                        scanner->data[scanner->pos] != '\\' ||
                        scanner->data[scanner->pos + 1] != 'u')
                      {
                        set_error_at (scanner, escape_start, error, ENR_CODEC_ERROR_SYNTAX,
                                      _("lone high surrogate in string"));
                        return FALSE;
                      }
                    scanner->pos += 2;
                    if (!scan_hex4 (scanner, &low, error))
                      return FALSE;
                    if (low < 0xDC00 || low > 0xDFFF)
                      {
                        set_error_at (scanner, escape_start, error, ENR_CODEC_ERROR_SYNTAX,
                                      _("lone high surrogate in string"));
                        return FALSE;
                      }
                    decoded_length += 4;
                  }
                else if (unit < 0x80)
                  decoded_length += 1;
                else if (unit < 0x800)
                  decoded_length += 2;
                else
                  decoded_length += 3;
              }
              break;

            default:
              set_error_at (scanner, escape_start, error, ENR_CODEC_ERROR_SYNTAX,
                            _("invalid escape in string"));
              return FALSE;
            }
        }
      else
        {
          scanner->pos++;
          decoded_length++;
        }

      if (decoded_length > ENR_JSON_MAX_STRING)
        {
          g_autofree char *message =
            g_strdup_printf (_("string longer than %d bytes"), ENR_JSON_MAX_STRING);

          set_error_at (scanner, start, error, ENR_CODEC_ERROR_RANGE, message);
          return FALSE;
        }
    }

  /* Outside strings the grammar admits ASCII only, so this covers the text. */
  if (!g_utf8_validate (scanner->data + start + 1, scanner->pos - start - 2, NULL))
    {
      set_error_at (scanner, start, error, ENR_CODEC_ERROR_SYNTAX,
                    _("string is not valid UTF-8"));
      return FALSE;
    }

  return TRUE;
}

static inline gboolean
is_digit (guchar c)
{
  return c >= '0' && c <= '9';
}

/* scanner->pos is on '-' or a digit. */
static gboolean
scan_number (Scanner  *scanner,
             GError  **error)
{
  static const char int64_max[] = "9223372036854775807";
  static const char int64_min_magnitude[] = "9223372036854775808";
  gsize start = scanner->pos;
  gsize digits_start;
  gsize n_digits;
  gboolean negative = FALSE;
  gboolean integer = TRUE;

  if (peek (scanner) == '-')
    {
      negative = TRUE;
      scanner->pos++;
    }

  digits_start = scanner->pos;

  if (at_end (scanner) || !is_digit (peek (scanner)))
    {
      set_error_at (scanner, start, error, ENR_CODEC_ERROR_SYNTAX,
                    _("invalid number"));
      return FALSE;
    }

  if (peek (scanner) == '0')
    {
      scanner->pos++;
      if (!at_end (scanner) && is_digit (peek (scanner)))
        {
          set_error_at (scanner, start, error, ENR_CODEC_ERROR_SYNTAX,
                        _("number with a leading zero"));
          return FALSE;
        }
    }
  else
    {
      while (!at_end (scanner) && is_digit (peek (scanner)))
        scanner->pos++;
    }

  n_digits = scanner->pos - digits_start;

  if (!at_end (scanner) && peek (scanner) == '.')
    {
      integer = FALSE;
      scanner->pos++;
      if (at_end (scanner) || !is_digit (peek (scanner)))
        {
          set_error_at (scanner, start, error, ENR_CODEC_ERROR_SYNTAX,
                        _("a decimal point must be followed by digits"));
          return FALSE;
        }
      while (!at_end (scanner) && is_digit (peek (scanner)))
        scanner->pos++;
    }

  if (!at_end (scanner) && (peek (scanner) == 'e' || peek (scanner) == 'E'))
    {
      integer = FALSE;
      scanner->pos++;
      if (!at_end (scanner) && (peek (scanner) == '+' || peek (scanner) == '-'))
        scanner->pos++;
      if (at_end (scanner) || !is_digit (peek (scanner)))
        {
          set_error_at (scanner, start, error, ENR_CODEC_ERROR_SYNTAX,
                        _("an exponent must have digits"));
          return FALSE;
        }
      while (!at_end (scanner) && is_digit (peek (scanner)))
        scanner->pos++;
    }

  if (integer)
    {
      const char *limit = negative ? int64_min_magnitude : int64_max;
      gsize limit_length = strlen (limit);

      if (n_digits > limit_length ||
          (n_digits == limit_length &&
           memcmp (scanner->data + digits_start, limit, limit_length) > 0))
        {
          set_error_at (scanner, start, error, ENR_CODEC_ERROR_RANGE,
                        _("integer outside the 64-bit range"));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
scan_literal (Scanner  *scanner,
              GError  **error)
{
  static const char * const literals[] = { "true", "false", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      gsize len = strlen (literals[i]);

      if (scanner->length - scanner->pos >= len &&
          memcmp (scanner->data + scanner->pos, literals[i], len) == 0)
        {
          scanner->pos += len;

          /* "truex" or "nullnull" are one bad word, not two tokens. */
          if (!at_end (scanner) && g_ascii_isalnum (peek (scanner)))
            break;

          return TRUE;
        }
    }

  set_error_at (scanner, scanner->pos, error, ENR_CODEC_ERROR_SYNTAX,
                _("unexpected word"));
  return FALSE;
}

static void
set_unexpected_error (const Scanner *scanner,
                      GError       **error,
                      const char    *expected)
{
  g_autofree char *message = NULL;

  if (at_end (scanner))
    message = g_strdup_printf (_("unexpected end of input, expected %s"), expected);
  else if (peek (scanner) == '\'')
    message = g_strdup (_("single quotes are not JSON, use double quotes"));
  else if (peek (scanner) == '/')
    message = g_strdup (_("comments are not allowed"));
  else if (peek (scanner) >= 0x20 && peek (scanner) < 0x7f)
    message = g_strdup_printf (_("unexpected character “%c”, expected %s"),
                               peek (scanner), expected);
  else
    message = g_strdup_printf (_("unexpected byte 0x%02x, expected %s"),
                               peek (scanner), expected);

  set_error_at (scanner, scanner->pos, error, ENR_CODEC_ERROR_SYNTAX, message);
}

/**
 * enr_json_check:
 * @data: the text, not necessarily NUL-terminated
 * @length: its length in bytes
 * @max_depth: the deepest allowed nesting of arrays and objects
 * @error: return location for an %ENR_CODEC_ERROR
 *
 * Checks that @data is exactly one RFC 8259 JSON value, in one pass without
 * recursion. Beyond the grammar it rejects invalid UTF-8, NUL characters and
 * lone surrogates in strings, strings longer than %ENR_JSON_MAX_STRING bytes
 * and integers outside the 64-bit range (%ENR_CODEC_ERROR_RANGE), and nesting
 * deeper than @max_depth (%ENR_CODEC_ERROR_TOO_DEEP).
 *
 * Returns: %TRUE if @data is acceptable
 */
gboolean
enr_json_check (const char  *data,
                gsize        length,
                guint        max_depth,
                GError     **error)
{
  Scanner scanner = { data, length, 0 };
  g_autoptr(GByteArray) stack = NULL;
  Expect expect = EXPECT_VALUE;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (data == NULL)
    scanner.data = "";

  stack = g_byte_array_sized_new (MIN (max_depth, 64));

  for (;;)
    {
      guchar c;

      skip_whitespace (&scanner);

      if (expect == EXPECT_AFTER_VALUE && stack->len == 0)
        break;

      if (at_end (&scanner))
        {
          const char *expected;

          switch (expect)
            {
            case EXPECT_KEY_AFTER_COMMA:
            case EXPECT_KEY_OR_END_OBJECT:
              expected = _("a member name");
              break;
            case EXPECT_AFTER_VALUE:
              expected = stack->data[stack->len - 1] == '[' ? _("“,” or “]”") : _("“,” or “}”");
              break;
            case EXPECT_VALUE:
            case EXPECT_VALUE_AFTER_COMMA:
            case EXPECT_VALUE_OR_END_ARRAY:
            default:
              expected = _("a value");
              break;
            }
          set_unexpected_error (&scanner, error, expected);
          return FALSE;
        }

      c = peek (&scanner);

      switch (expect)
        {
        case EXPECT_VALUE_OR_END_ARRAY:
          if (c == ']')
            {
              scanner.pos++;
              g_byte_array_set_size (stack, stack->len - 1);
              expect = EXPECT_AFTER_VALUE;
              break;
            }
          G_GNUC_FALLTHROUGH;

        case EXPECT_VALUE:
        case EXPECT_VALUE_AFTER_COMMA:
          if (c == ']' && expect == EXPECT_VALUE_AFTER_COMMA)
            {
              set_error_at (&scanner, scanner.pos, error, ENR_CODEC_ERROR_SYNTAX,
                            _("trailing comma"));
              return FALSE;
            }
          else if (c == '[' || c == '{')
            {
              if (stack->len >= max_depth)
                {
                  g_autofree char *message =
                    g_strdup_printf (_("nested deeper than %u levels"), max_depth);

                  set_error_at (&scanner, scanner.pos, error,
                                ENR_CODEC_ERROR_TOO_DEEP, message);
                  return FALSE;
                }
              g_byte_array_append (stack, &c, 1);
              scanner.pos++;
              expect = c == '[' ? EXPECT_VALUE_OR_END_ARRAY : EXPECT_KEY_OR_END_OBJECT;
            }
          else if (c == '"')
            {
              if (!scan_string (&scanner, error))
                return FALSE;
              expect = EXPECT_AFTER_VALUE;
            }
          else if (c == '-' || is_digit (c))
            {
              if (!scan_number (&scanner, error))
                return FALSE;
              expect = EXPECT_AFTER_VALUE;
            }
          else if (g_ascii_isalpha (c))
            {
              if (!scan_literal (&scanner, error))
                return FALSE;
              expect = EXPECT_AFTER_VALUE;
            }
          else
            {
              set_unexpected_error (&scanner, error, _("a value"));
              return FALSE;
            }
          break;

        case EXPECT_KEY_OR_END_OBJECT:
        case EXPECT_KEY_AFTER_COMMA:
          if (c == '}' && expect == EXPECT_KEY_OR_END_OBJECT)
            {
              scanner.pos++;
              g_byte_array_set_size (stack, stack->len - 1);
              expect = EXPECT_AFTER_VALUE;
            }
          else if (c == '}')
            {
              set_error_at (&scanner, scanner.pos, error, ENR_CODEC_ERROR_SYNTAX,
                            _("trailing comma"));
              return FALSE;
            }
          else if (c == '"')
            {
              if (!scan_string (&scanner, error))
                return FALSE;
              skip_whitespace (&scanner);
              if (at_end (&scanner) || peek (&scanner) != ':')
                {
                  set_unexpected_error (&scanner, error, _("“:”"));
                  return FALSE;
                }
              scanner.pos++;
              expect = EXPECT_VALUE;
            }
          else
            {
              set_unexpected_error (&scanner, error, _("a member name in double quotes"));
              return FALSE;
            }
          break;

        case EXPECT_AFTER_VALUE:
          {
            guchar open = stack->data[stack->len - 1];
            guchar close = open == '[' ? ']' : '}';

            if (c == ',')
              {
                scanner.pos++;
                expect = open == '[' ? EXPECT_VALUE_AFTER_COMMA : EXPECT_KEY_AFTER_COMMA;
              }
            else if (c == close)
              {
                scanner.pos++;
                g_byte_array_set_size (stack, stack->len - 1);
                expect = EXPECT_AFTER_VALUE;
              }
            else
              {
                set_unexpected_error (&scanner, error,
                                      open == '[' ? _("“,” or “]”") : _("“,” or “}”"));
                return FALSE;
              }
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (!at_end (&scanner))
    {
      set_error_at (&scanner, scanner.pos, error, ENR_CODEC_ERROR_SYNTAX,
                    _("trailing data after the JSON value"));
      return FALSE;
    }

  return TRUE;
}

/**
 * enr_json_parse:
 * @data: (nullable): the text
 * @length: its length in bytes, or -1 if NUL-terminated
 * @max_size: the largest acceptable length in bytes
 * @error: return location for an %ENR_CODEC_ERROR
 *
 * Checks @data with enr_json_check() (depth %ENR_JSON_MAX_DEPTH) and parses
 * it. A text longer than @max_size is refused before it is read.
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 */
JsonNode *
enr_json_parse (const char  *data,
                gssize       length,
                gsize        max_size,
                GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    {
      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE,
                   _("no document"));
      return NULL;
    }

  if (length < 0)
    size = strnlen (data, MIN (max_size, (gsize) G_MAXSSIZE - 1) + 1);
  else
    size = (gsize) length;

  if (size > max_size)
    {
      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE,
                   _("document larger than the limit of %zu bytes"),
                   max_size);
      return NULL;
    }

  if (!enr_json_check (data, size, ENR_JSON_MAX_DEPTH, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) size, &local_error))
    {
      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_SYNTAX,
                   "%s", local_error->message);
      return NULL;
    }

  return json_parser_steal_root (parser);
}

static void
append_string (GString    *out,
               const char *text)
{
  g_autofree char *valid = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as the same double, and still as a
 * double: json-glib 1.6 would write 1e20 as "1e+20.0", which is not JSON. */
static void
append_double (GString *out,
               double   number)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (number))
    {
      g_string_append (out, "null");
      return;
    }

  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buffer, sizeof buffer, formats[i], number);
      if (g_ascii_strtod (buffer, NULL) == number)
        break;
    }

  g_string_append (out, buffer);
  if (strpbrk (buffer, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
append_newline (GString *out,
                gboolean pretty,
                guint    level)
{
  if (!pretty)
    return;

  g_string_append_c (out, '\n');
  for (guint i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
append_node (GString  *out,
             JsonNode *node,
             gboolean  pretty,
             guint     level)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (const GList *l = members; l != NULL; l = l->next)
          {
            append_newline (out, pretty, level + 1);
            append_string (out, l->data);
            g_string_append (out, pretty ? ": " : ":");
            append_node (out, json_object_get_member (object, l->data), pretty, level + 1);
            if (l->next != NULL)
              g_string_append_c (out, ',');
          }
        if (members != NULL)
          append_newline (out, pretty, level);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint length = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < length; i++)
          {
            append_newline (out, pretty, level + 1);
            append_node (out, json_array_get_element (array, i), pretty, level + 1);
            if (i + 1 < length)
              g_string_append_c (out, ',');
          }
        if (length > 0)
          append_newline (out, pretty, level);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/**
 * enr_json_to_string:
 * @node: a node
 * @pretty: whether to indent (two spaces)
 *
 * Writes @node as strict JSON: members in their order, UTF-8 as is, control
 * characters escaped, doubles in the shortest form that reads back exactly
 * (and always as a double), non-finite doubles as null.
 *
 * Returns: (transfer full): @node as JSON text
 */
char *
enr_json_to_string (JsonNode *node,
                    gboolean  pretty)
{
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_new (NULL);
  append_node (out, node, pretty, 0);

  return g_string_free (out, FALSE);
}

/* test-json.c — the strict checker in front of json-glib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "enr-json.h"

#define OK (-1)

typedef struct
{
  const char *text;
  int         code;   /* OK or an EnrCodecError */
} Case;

static const Case cases[] = {
  /* valid */
  { "null", OK },
  { "true", OK },
  { "false", OK },
  { "0", OK },
  { "-0", OK },
  { "7", OK },
  { "-12", OK },
  { "1.5", OK },
  { "-1.5e10", OK },
  { "1E5", OK },
  { "1e-5", OK },
  { "1e+2", OK },
  { "0.0", OK },
  { "1e400", OK },
  { "12345678901234567890.5", OK },
  { "12345678901234567890e0", OK },
  { "9223372036854775807", OK },
  { "-9223372036854775808", OK },
  { "\"\"", OK },
  { "\"abc\"", OK },
  { "\"\\u00e9\\u0041\"", OK },
  { "\"\\ud83d\\ude00\"", OK },
  { "\"\\uD83D\\uDE00\"", OK },
  { "\"é😀\"", OK },
  { "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", OK },
  { "\"\x7f\"", OK },
  { "[]", OK },
  { "{}", OK },
  { "[1,2,3]", OK },
  { "{\"a\":1}", OK },
  { "{\"\":0}", OK },
  { "{\"a\":1,\"a\":2}", OK },
  { " \t\n\r[ 1 , 2 ] \n", OK },
  { "{\"a\":{\"b\":[null,true,{},[]]},\"c\":\"d\"}", OK },
  { "[[[]]]", OK },

  /* empty, whitespace, trailing data */
  { "", ENR_CODEC_ERROR_SYNTAX },
  { "   \n ", ENR_CODEC_ERROR_SYNTAX },
  { "1 2", ENR_CODEC_ERROR_SYNTAX },
  { "[1]]", ENR_CODEC_ERROR_SYNTAX },
  { "{}x", ENR_CODEC_ERROR_SYNTAX },
  { "null null", ENR_CODEC_ERROR_SYNTAX },
  { "[1] ,", ENR_CODEC_ERROR_SYNTAX },
  { "\xef\xbb\xbf[]", ENR_CODEC_ERROR_SYNTAX },

  /* structure */
  { "[1,2,]", ENR_CODEC_ERROR_SYNTAX },
  { "{\"a\":1,}", ENR_CODEC_ERROR_SYNTAX },
  { "[,1]", ENR_CODEC_ERROR_SYNTAX },
  { "[1,,2]", ENR_CODEC_ERROR_SYNTAX },
  { "[1 2]", ENR_CODEC_ERROR_SYNTAX },
  { "{\"a\" 1}", ENR_CODEC_ERROR_SYNTAX },
  { "{\"a\":}", ENR_CODEC_ERROR_SYNTAX },
  { "{\"a\"}", ENR_CODEC_ERROR_SYNTAX },
  { "{,}", ENR_CODEC_ERROR_SYNTAX },
  { "{1:2}", ENR_CODEC_ERROR_SYNTAX },
  { "{a:1}", ENR_CODEC_ERROR_SYNTAX },
  { "{'a':1}", ENR_CODEC_ERROR_SYNTAX },
  { "['a']", ENR_CODEC_ERROR_SYNTAX },
  { "[1}", ENR_CODEC_ERROR_SYNTAX },
  { "{\"a\":1]", ENR_CODEC_ERROR_SYNTAX },
  { "[", ENR_CODEC_ERROR_SYNTAX },
  { "{", ENR_CODEC_ERROR_SYNTAX },
  { "{\"a\":", ENR_CODEC_ERROR_SYNTAX },
  { "[1,", ENR_CODEC_ERROR_SYNTAX },
  { "]", ENR_CODEC_ERROR_SYNTAX },
  { "// comment\n1", ENR_CODEC_ERROR_SYNTAX },
  { "/* comment */ 1", ENR_CODEC_ERROR_SYNTAX },
  { "[1] // comment", ENR_CODEC_ERROR_SYNTAX },
  { "[1] # comment", ENR_CODEC_ERROR_SYNTAX },

  /* words */
  { "NaN", ENR_CODEC_ERROR_SYNTAX },
  { "Infinity", ENR_CODEC_ERROR_SYNTAX },
  { "-Infinity", ENR_CODEC_ERROR_SYNTAX },
  { "[nan]", ENR_CODEC_ERROR_SYNTAX },
  { "nul", ENR_CODEC_ERROR_SYNTAX },
  { "truex", ENR_CODEC_ERROR_SYNTAX },
  { "nullnull", ENR_CODEC_ERROR_SYNTAX },
  { "True", ENR_CODEC_ERROR_SYNTAX },
  { "undefined", ENR_CODEC_ERROR_SYNTAX },

  /* numbers */
  { "01", ENR_CODEC_ERROR_SYNTAX },
  { "-01", ENR_CODEC_ERROR_SYNTAX },
  { "00", ENR_CODEC_ERROR_SYNTAX },
  { "+1", ENR_CODEC_ERROR_SYNTAX },
  { ".5", ENR_CODEC_ERROR_SYNTAX },
  { "1.", ENR_CODEC_ERROR_SYNTAX },
  { "1.e5", ENR_CODEC_ERROR_SYNTAX },
  { "1e", ENR_CODEC_ERROR_SYNTAX },
  { "1e+", ENR_CODEC_ERROR_SYNTAX },
  { "-", ENR_CODEC_ERROR_SYNTAX },
  { "--1", ENR_CODEC_ERROR_SYNTAX },
  { "- 1", ENR_CODEC_ERROR_SYNTAX },
  { "0x10", ENR_CODEC_ERROR_SYNTAX },
  { "1_000", ENR_CODEC_ERROR_SYNTAX },
  { "9223372036854775808", ENR_CODEC_ERROR_RANGE },
  { "-9223372036854775809", ENR_CODEC_ERROR_RANGE },
  { "[99999999999999999999]", ENR_CODEC_ERROR_RANGE },
  { "{\"a\":-100000000000000000000}", ENR_CODEC_ERROR_RANGE },

  /* strings */
  { "\"abc", ENR_CODEC_ERROR_SYNTAX },
  { "\"abc\\", ENR_CODEC_ERROR_SYNTAX },
  { "\"a\x01" "b\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"a\tb\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"a\nb\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\x41\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\'\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\u12\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\u12G4\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\U0041\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\u0000\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\ud800\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\udc00\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\udfff\\ud800\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\ud800\\u0041\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\ud800\\ud800\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\ud800x\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\\ud800\\n\"", ENR_CODEC_ERROR_SYNTAX },
  { "'abc'", ENR_CODEC_ERROR_SYNTAX },

  /* UTF-8 */
  { "\"\xc0\xaf\"", ENR_CODEC_ERROR_SYNTAX },             /* overlong '/' */
  { "\"\xe0\x80\xaf\"", ENR_CODEC_ERROR_SYNTAX },         /* overlong, 3 bytes */
  { "\"\xf0\x80\x80\xaf\"", ENR_CODEC_ERROR_SYNTAX },     /* overlong, 4 bytes */
  { "\"\xed\xa0\x80\"", ENR_CODEC_ERROR_SYNTAX },         /* encoded surrogate */
  { "\"\xf4\x90\x80\x80\"", ENR_CODEC_ERROR_SYNTAX },     /* above U+10FFFF */
  { "\"\xff\"", ENR_CODEC_ERROR_SYNTAX },
  { "\"\xc3\"", ENR_CODEC_ERROR_SYNTAX },                 /* truncated */
  { "\"\x80\"", ENR_CODEC_ERROR_SYNTAX },                 /* lone continuation */
  { "[\xc3\xa9]", ENR_CODEC_ERROR_SYNTAX },               /* outside a string */
};

static void
test_json_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GError) error = NULL;
      gboolean ok;

      ok = enr_json_check (c->text, strlen (c->text), ENR_JSON_MAX_DEPTH, &error);

      if (c->code == OK)
        {
          if (!ok)
            g_error ("case %u “%s” rejected: %s", i, c->text, error->message);
        }
      else
        {
          if (ok)
            g_error ("case %u “%s” accepted", i, c->text);
          if (!g_error_matches (error, ENR_CODEC_ERROR, c->code))
            g_error ("case %u “%s”: code %d, expected %d (%s)",
                     i, c->text, error->code, c->code, error->message);
          g_assert_true (g_str_has_prefix (error->message, "line "));
        }
    }

  g_assert_cmpuint (G_N_ELEMENTS (cases), >=, 60);
}

/* Every accepted document also goes through json-glib. */
static void
test_json_table_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      node = enr_json_parse (cases[i].text, -1, ENR_JSON_MAX_BODY, &error);
      if (cases[i].code == OK)
        {
          if (node == NULL)
            g_error ("case %u “%s” not parsed: %s", i, cases[i].text, error->message);
        }
      else
        {
          g_assert_null (node);
          g_assert_error (error, ENR_CODEC_ERROR, cases[i].code);
        }
    }
}

static void
test_json_messages (void)
{
  static const struct {
    const char *text;
    const char *message;
  } messages[] = {
    { "{\n  \"a\": [1,\n    2,],\n}", "line 3, column 7: trailing comma" },
    { "", "line 1, column 1: unexpected end of input, expected a value" },
    { "[1,\n\"x", "line 2, column 1: unterminated string" },
    { "{'a': 1}", "line 1, column 2: single quotes are not JSON, use double quotes" },
    { "[1] x", "line 1, column 5: trailing data after the JSON value" },
    { "[01]", "line 1, column 2: number with a leading zero" },
    { "[\"\\ud800\"]", "line 1, column 3: lone high surrogate in string" },
    { "[9223372036854775808]", "line 1, column 2: integer outside the 64-bit range" },
    { "[1 /* c */]", "line 1, column 4: comments are not allowed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (enr_json_check (messages[i].text, strlen (messages[i].text),
                                      ENR_JSON_MAX_DEPTH, &error));
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, messages[i].message);
    }
}

static char *
nested_arrays (guint depth)
{
  GString *text = g_string_sized_new (depth * 2);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');

  return g_string_free (text, FALSE);
}

static void
test_json_depth (void)
{
  g_autofree char *at_limit = nested_arrays (ENR_JSON_MAX_DEPTH);
  g_autofree char *over_limit = nested_arrays (ENR_JSON_MAX_DEPTH + 1);
  g_autofree char *huge = nested_arrays (100000);
  g_autoptr(GString) objects = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  double elapsed;

  node = enr_json_parse (at_limit, -1, ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));

  g_assert_null (enr_json_parse (over_limit, -1, ENR_JSON_MAX_BODY, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "nested deeper than 32 levels"));
  g_clear_error (&error);

  g_test_timer_start ();
  g_assert_null (enr_json_parse (huge, -1, ENR_JSON_MAX_BODY, &error));
  elapsed = g_test_timer_elapsed ();
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_DEEP);
  g_assert_cmpfloat (elapsed, <, 1.0);
  g_clear_error (&error);

  /* Objects and arrays count alike. */
  for (guint i = 0; i < ENR_JSON_MAX_DEPTH / 2; i++)
    g_string_append (objects, "{\"a\":[");
  g_string_append (objects, "1");
  for (guint i = 0; i < ENR_JSON_MAX_DEPTH / 2; i++)
    g_string_append (objects, "]}");
  g_assert_true (enr_json_check (objects->str, objects->len, ENR_JSON_MAX_DEPTH, &error));
  g_assert_no_error (error);
  g_assert_false (enr_json_check (objects->str, objects->len, ENR_JSON_MAX_DEPTH - 1, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_DEEP);
  g_clear_error (&error);

  /* Depth 0 admits scalars only. */
  g_assert_true (enr_json_check ("1", 1, 0, NULL));
  g_assert_false (enr_json_check ("[]", 2, 0, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_DEEP);
}

static void
test_json_integers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  node = enr_json_parse ("[9223372036854775807,-9223372036854775808,-0,1.0]", -1,
                         ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  array = json_node_get_array (node);
  g_assert_cmpint (json_array_get_int_element (array, 0), ==, G_MAXINT64);
  g_assert_cmpint (json_array_get_int_element (array, 1), ==, G_MININT64);
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 2)), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 3)), ==, G_TYPE_DOUBLE);

  g_assert_null (enr_json_parse ("9223372036854775808", -1, ENR_JSON_MAX_BODY, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE);
  g_clear_error (&error);

  g_assert_null (enr_json_parse ("-9223372036854775809", -1, ENR_JSON_MAX_BODY, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE);
}

static void
test_json_strings (void)
{
  g_autofree char *longest = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  GString *text;

  text = g_string_new ("\"");
  for (guint i = 0; i < ENR_JSON_MAX_STRING; i++)
    g_string_append_c (text, 'x');
  g_string_append_c (text, '"');
  longest = g_string_free (text, FALSE);
  g_assert_true (enr_json_check (longest, strlen (longest), ENR_JSON_MAX_DEPTH, &error));
  g_assert_no_error (error);

  too_long = g_strdup_printf ("[\"y%s]", longest + 1);
  g_assert_false (enr_json_check (too_long, strlen (too_long), ENR_JSON_MAX_DEPTH, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE);
  g_clear_error (&error);

  /* The limit counts decoded bytes: 5000 escapes of é are 10000 bytes. */
  text = g_string_new ("\"");
  for (guint i = 0; i < 5000; i++)
    g_string_append (text, "\\u00e9");
  g_string_append_c (text, '"');
  escaped = g_string_free (text, FALSE);
  node = enr_json_parse (escaped, -1, ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (json_node_get_string (node)), ==, 10000);
  g_clear_pointer (&node, json_node_unref);

  node = enr_json_parse ("\"\\ud83d\\ude00\"", -1, ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (node), ==, "😀");
  g_clear_pointer (&node, json_node_unref);

  /* A NUL byte inside the given length is a control character. */
  g_assert_false (enr_json_check ("\"a\0b\"", 5, ENR_JSON_MAX_DEPTH, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_SYNTAX);
  g_clear_error (&error);

  g_assert_false (enr_json_check ("[1]\0", 4, ENR_JSON_MAX_DEPTH, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_SYNTAX);
}

static void
test_json_too_large (void)
{
  gsize size = 64 * 1024 * 1024;
  g_autofree char *body = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  double elapsed;

  /* Scanned, this would be TOO_DEEP. */
  memset (body, '[', size);
  body[size] = '\0';

  g_test_timer_start ();
  g_assert_null (enr_json_parse (body, size, ENR_JSON_MAX_BODY, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "4194304 bytes"));
  g_clear_error (&error);

  g_assert_null (enr_json_parse (body, -1, ENR_JSON_MAX_BODY, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE);
  g_clear_error (&error);
  elapsed = g_test_timer_elapsed ();
  g_assert_cmpfloat (elapsed, <, 0.5);

  g_assert_null (enr_json_parse (NULL, -1, ENR_JSON_MAX_BODY, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* The limit is inclusive. */
  node = enr_json_parse ("[1]", 3, 3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_null (enr_json_parse ("[1] ", 4, 3, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_null (enr_json_parse ("[1] ", -1, 3, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE);
}

static void
test_json_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* Only the given bytes are read. */
  node = enr_json_parse ("[1,2]garbage", 5, ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2);

  g_assert_null (enr_json_parse ("[1,2]garbage", 4, ENR_JSON_MAX_BODY, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_SYNTAX);
}

static void
test_json_to_string (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *compact = NULL;
  g_autofree char *pretty = NULL;
  g_autofree char *compact_again = NULL;
  g_autofree char *empty = NULL;
  JsonObject *object;
  JsonArray *numbers;

  object = json_object_new ();
  json_object_set_string_member (object, "s", "a\"b\\c\n\x01é");
  json_object_set_int_member (object, "i", -42);
  json_object_set_boolean_member (object, "b", TRUE);
  json_object_set_null_member (object, "n");
  numbers = json_array_new ();
  json_array_add_double_element (numbers, 2.0);
  json_array_add_double_element (numbers, 0.1);
  json_array_add_double_element (numbers, 1e20);
  json_array_add_double_element (numbers, -1.5e-7);
  json_array_add_double_element (numbers, NAN);
  json_array_add_double_element (numbers, INFINITY);
  json_object_set_array_member (object, "d", numbers);
  json_object_set_object_member (object, "o", json_object_new ());
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);

  compact = enr_json_to_string (node, FALSE);
  g_assert_cmpstr (compact, ==,
                   "{\"s\":\"a\\\"b\\\\c\\n\\u0001é\",\"i\":-42,\"b\":true,\"n\":null,"
                   "\"d\":[2.0,0.1,1e+20,-1.5e-07,null,null],\"o\":{}}");

  pretty = enr_json_to_string (node, TRUE);
  g_assert_cmpstr (pretty, ==,
                   "{\n"
                   "  \"s\": \"a\\\"b\\\\c\\n\\u0001é\",\n"
                   "  \"i\": -42,\n"
                   "  \"b\": true,\n"
                   "  \"n\": null,\n"
                   "  \"d\": [\n"
                   "    2.0,\n"
                   "    0.1,\n"
                   "    1e+20,\n"
                   "    -1.5e-07,\n"
                   "    null,\n"
                   "    null\n"
                   "  ],\n"
                   "  \"o\": {}\n"
                   "}");

  /* What we write, we read back identically. */
  again = enr_json_parse (pretty, -1, ENR_JSON_MAX_BODY, &error);
  g_assert_no_error (error);
  compact_again = enr_json_to_string (again, FALSE);
  g_assert_cmpstr (compact_again, ==, compact);

  g_clear_pointer (&node, json_node_unref);
  numbers = json_array_new ();
  node = json_node_init_array (json_node_alloc (), numbers);
  json_array_unref (numbers);
  empty = enr_json_to_string (node, TRUE);
  g_assert_cmpstr (empty, ==, "[]");
}

static void
test_json_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (ENR_CODEC_ERROR), ==, "enr-codec-error-quark");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/check/table", test_json_table);
  g_test_add_func ("/json/check/messages", test_json_messages);
  g_test_add_func ("/json/check/depth", test_json_depth);
  g_test_add_func ("/json/check/strings", test_json_strings);
  g_test_add_func ("/json/parse/table", test_json_table_parse);
  g_test_add_func ("/json/parse/integers", test_json_integers);
  g_test_add_func ("/json/parse/too-large", test_json_too_large);
  g_test_add_func ("/json/parse/length", test_json_length);
  g_test_add_func ("/json/to-string", test_json_to_string);
  g_test_add_func ("/json/quark", test_json_quark);

  return g_test_run ();
}

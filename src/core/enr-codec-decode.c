/* enr-codec-decode.c — JSON to GObject: every member checked against the property it fills
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-codec-private.h"
#include "enr-enums.h"

static GObject *decode_object (GType        type,
                               JsonNode    *node,
                               GString     *path,
                               GError     **error);

/* Untrusted text quoted in a message: short, and without control characters. */
static char *
describe_text (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text;
  guint n;

  for (n = 0; *p != '\0' && n < 40; n++, p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f)
        g_string_append_c (out, '?');
      else
        g_string_append_unichar (out, c);
    }

  if (*p != '\0')
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

G_GNUC_PRINTF (4, 5)
static void
set_path_error (GError        **error,
                EnrCodecError   code,
                const GString  *path,
                const char     *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, ENR_CODEC_ERROR, code, "%s: %s", path->str, message);
}

static gboolean
node_holds (JsonNode *node,
            GType     value_type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == value_type;
}

static const char *
decode_string (JsonNode  *node,
               GString   *path,
               GError   **error)
{
  const char *text;

  if (!node_holds (node, G_TYPE_STRING))
    {
      set_path_error (error, ENR_CODEC_ERROR_TYPE, path, _("expected a string"));
      return NULL;
    }

  text = json_node_get_string (node);

  if (!g_utf8_validate (text, -1, NULL))
    {
      set_path_error (error, ENR_CODEC_ERROR_INVALID, path, _("string is not valid UTF-8"));
      return NULL;
    }

  if (strlen (text) > ENR_JSON_MAX_STRING)
    {
      set_path_error (error, ENR_CODEC_ERROR_RANGE, path,
                      _("string longer than %d bytes"), ENR_JSON_MAX_STRING);
      return NULL;
    }

  return text;
}

static gboolean
check_item_count (JsonArray  *array,
                  guint       limit,
                  GString    *path,
                  GError    **error)
{
  if (json_array_get_length (array) > limit)
    {
      set_path_error (error, ENR_CODEC_ERROR_RANGE, path,
                      _("more than %u items"), limit);
      return FALSE;
    }

  return TRUE;
}

static gboolean
decode_strv (JsonNode  *node,
             GValue    *value,
             gboolean  *is_set,
             GString   *path,
             GError   **error)
{
  g_auto(GStrv) strv = NULL;
  JsonArray *array;
  guint n_items;
  gsize path_length = path->len;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_path_error (error, ENR_CODEC_ERROR_TYPE, path, _("expected an array of strings"));
      return FALSE;
    }

  array = json_node_get_array (node);
  if (!check_item_count (array, ENR_CODEC_MAX_ITEMS, path, error))
    return FALSE;

  n_items = json_array_get_length (array);
  if (n_items == 0)
    return TRUE;

  strv = g_new0 (char *, n_items + 1);
  for (guint i = 0; i < n_items; i++)
    {
      const char *text;

      g_string_append_printf (path, "[%u]", i);
      if (!(text = decode_string (json_array_get_element (array, i), path, error)))
        return FALSE;
      g_string_truncate (path, path_length);

      strv[i] = g_strdup (text);
    }

  g_value_init (value, G_TYPE_STRV);
  g_value_take_boxed (value, g_steal_pointer (&strv));
  *is_set = TRUE;

  return TRUE;
}

static gboolean
decode_hash_table (JsonNode  *node,
                   GValue    *value,
                   gboolean  *is_set,
                   GString   *path,
                   GError   **error)
{
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  gsize path_length = path->len;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_path_error (error, ENR_CODEC_ERROR_TYPE, path, _("expected an object of strings"));
      return FALSE;
    }

  object = json_node_get_object (node);
  if (json_object_get_size (object) > ENR_CODEC_MAX_KEYS)
    {
      set_path_error (error, ENR_CODEC_ERROR_RANGE, path,
                      _("more than %u keys"), ENR_CODEC_MAX_KEYS);
      return FALSE;
    }

  if (json_object_get_size (object) == 0)
    return TRUE;

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      g_autofree char *shown_key = NULL;
      const char *text;

      if (!g_utf8_validate (key, -1, NULL) || strlen (key) > ENR_JSON_MAX_STRING)
        {
          set_path_error (error, ENR_CODEC_ERROR_INVALID, path, _("invalid key"));
          return FALSE;
        }

      shown_key = describe_text (key);
      g_string_append_printf (path, ".%s", shown_key);
      if (!(text = decode_string (json_object_get_member (object, key), path, error)))
        return FALSE;
      g_string_truncate (path, path_length);

      g_hash_table_replace (table, g_strdup (key), g_strdup (text));
    }

  g_value_init (value, G_TYPE_HASH_TABLE);
  g_value_take_boxed (value, g_steal_pointer (&table));
  *is_set = TRUE;

  return TRUE;
}

static gboolean
decode_ptr_array (const CodecProperty  *prop,
                  JsonNode             *node,
                  GValue               *value,
                  gboolean             *is_set,
                  GString              *path,
                  GError              **error)
{
  g_autoptr(GPtrArray) objects = NULL;
  JsonArray *array;
  guint n_items;
  gsize path_length = path->len;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_path_error (error, ENR_CODEC_ERROR_TYPE, path, _("expected an array of objects"));
      return FALSE;
    }

  array = json_node_get_array (node);
  if (!check_item_count (array, ENR_CODEC_MAX_ITEMS, path, error))
    return FALSE;

  n_items = json_array_get_length (array);
  if (n_items == 0)
    return TRUE;

  objects = g_ptr_array_new_full (n_items, g_object_unref);
  for (guint i = 0; i < n_items; i++)
    {
      GObject *element;

      g_string_append_printf (path, "[%u]", i);
      element = decode_object (prop->element_type, json_array_get_element (array, i),
                               path, error);
      if (element == NULL)
        return FALSE;
      g_string_truncate (path, path_length);

      g_ptr_array_add (objects, element);
    }

  g_value_init (value, G_TYPE_PTR_ARRAY);
  g_value_take_boxed (value, g_steal_pointer (&objects));
  *is_set = TRUE;

  return TRUE;
}

/* On success @value is initialized only when *is_set is TRUE. */
static gboolean
decode_value (const CodecProperty  *prop,
              JsonNode             *node,
              GValue               *value,
              gboolean             *is_set,
              GString              *path,
              GError              **error)
{
  const char *text;

  switch (prop->kind)
    {
    case KIND_STRING:
      if (!(text = decode_string (node, path, error)))
        return FALSE;
      if (prop->required && *text == '\0')
        {
          set_path_error (error, ENR_CODEC_ERROR_MISSING, path,
                          _("required member is empty"));
          return FALSE;
        }
      g_value_init (value, G_TYPE_STRING);
      g_value_set_string (value, text);
      break;

    case KIND_BOOLEAN:
      if (!node_holds (node, G_TYPE_BOOLEAN))
        {
          set_path_error (error, ENR_CODEC_ERROR_TYPE, path, _("expected true or false"));
          return FALSE;
        }
      g_value_init (value, G_TYPE_BOOLEAN);
      g_value_set_boolean (value, json_node_get_boolean (node));
      break;

    case KIND_INT:
      {
        gint64 number;

        if (!node_holds (node, G_TYPE_INT64))
          {
            set_path_error (error, ENR_CODEC_ERROR_TYPE, path, _("expected an integer"));
            return FALSE;
          }

        number = json_node_get_int (node);
        if (number < prop->int_min || number > prop->int_max)
          {
            set_path_error (error, ENR_CODEC_ERROR_RANGE, path,
                            _("%" PRId64 " is outside the range %"
                              PRId64 " to %" PRId64),
                            number, prop->int_min, prop->int_max);
            return FALSE;
          }

        g_value_init (value, prop->value_type);
        if (prop->value_type == G_TYPE_INT)
          g_value_set_int (value, (int) number);
        else if (prop->value_type == G_TYPE_UINT)
          g_value_set_uint (value, (guint) number);
        else
          g_value_set_int64 (value, number);
      }
      break;

    case KIND_DOUBLE:
      {
        double number;

        if (node_holds (node, G_TYPE_INT64))
          number = (double) json_node_get_int (node);
        else if (node_holds (node, G_TYPE_DOUBLE))
          number = json_node_get_double (node);
        else
          {
            set_path_error (error, ENR_CODEC_ERROR_TYPE, path, _("expected a number"));
            return FALSE;
          }

        if (!isfinite (number))
          {
            set_path_error (error, ENR_CODEC_ERROR_RANGE, path, _("number is not finite"));
            return FALSE;
          }

        if (number < prop->double_min || number > prop->double_max)
          {
            set_path_error (error, ENR_CODEC_ERROR_RANGE, path,
                            _("%g is outside the range %g to %g"),
                            number, prop->double_min, prop->double_max);
            return FALSE;
          }

        g_value_init (value, G_TYPE_DOUBLE);
        g_value_set_double (value, number);
      }
      break;

    case KIND_ENUM:
      {
        int enum_value;

        if (!(text = decode_string (node, path, error)))
          return FALSE;

        if (!enr_enum_from_nick (prop->value_type, text, &enum_value))
          {
            g_autofree char *shown = describe_text (text);

            set_path_error (error, ENR_CODEC_ERROR_UNKNOWN_CODE, path,
                            _("unknown code \"%s\""), shown);
            return FALSE;
          }

        /* "none" is the unset value: a required member cannot be unset,
         * and the encoder leaves it out, so it would not read back. */
        if (prop->required && prop->enum_has_none && enum_value == 0)
          {
            set_path_error (error, ENR_CODEC_ERROR_MISSING, path,
                            _("required member is empty"));
            return FALSE;
          }

        g_value_init (value, prop->value_type);
        g_value_set_enum (value, enum_value);
      }
      break;

    case KIND_STRV:
      return decode_strv (node, value, is_set, path, error);

    case KIND_DATE:
      {
        GDate date;

        if (!(text = decode_string (node, path, error)))
          return FALSE;

        if (!enr_codec_parse_date (text, &date))
          {
            g_autofree char *shown = describe_text (text);

            set_path_error (error, ENR_CODEC_ERROR_INVALID_DATE, path,
                            _("invalid date \"%s\", expected YYYY-MM-DD"), shown);
            return FALSE;
          }

        g_value_init (value, G_TYPE_DATE);
        g_value_set_boxed (value, &date);
      }
      break;

    case KIND_DATE_TIME:
      {
        GDateTime *date_time;

        if (!(text = decode_string (node, path, error)))
          return FALSE;

        if (!(date_time = enr_codec_parse_date_time (text)))
          {
            g_autofree char *shown = describe_text (text);

            set_path_error (error, ENR_CODEC_ERROR_INVALID_DATE, path,
                            _("invalid date and time \"%s\", expected RFC 3339 "
                              "with an offset, such as 2026-11-27T08:00:00+01:00"),
                            shown);
            return FALSE;
          }

        g_value_init (value, G_TYPE_DATE_TIME);
        g_value_take_boxed (value, date_time);
      }
      break;

    case KIND_HASH_TABLE:
      return decode_hash_table (node, value, is_set, path, error);

    case KIND_PTR_ARRAY:
      return decode_ptr_array (prop, node, value, is_set, path, error);

    case KIND_OBJECT:
      {
        GObject *nested = decode_object (prop->value_type, node, path, error);

        if (nested == NULL)
          return FALSE;

        g_value_init (value, prop->value_type);
        g_value_take_object (value, nested);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  *is_set = TRUE;

  return TRUE;
}

static GObject *
decode_object (GType      type,
               JsonNode  *node,
               GString   *path,
               GError   **error)
{
  const CodecClass *klass = _enr_codec_class_get (type);
  g_autofree const char **names = NULL;
  g_autofree GValue *values = NULL;
  GObject *object = NULL;
  JsonObject *json;
  guint n_values = 0;
  gsize path_length = path->len;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_path_error (error, ENR_CODEC_ERROR_TYPE, path, _("expected an object"));
      return NULL;
    }

  json = json_node_get_object (node);
  names = g_new0 (const char *, klass->n_props + 1);
  values = g_new0 (GValue, klass->n_props + 1);

  for (guint i = 0; i < klass->n_props; i++)
    {
      const CodecProperty *prop = &klass->props[i];
      JsonNode *member = json_object_get_member (json, prop->member);
      gboolean is_set = FALSE;

      g_string_append_c (path, '.');
      g_string_append (path, prop->member);

      if (member == NULL || JSON_NODE_HOLDS_NULL (member))
        {
          if (prop->required)
            {
              set_path_error (error, ENR_CODEC_ERROR_MISSING, path,
                              _("missing required member"));
              goto out;
            }
        }
      else if (!decode_value (prop, member, &values[n_values], &is_set, path, error))
        goto out;

      g_string_truncate (path, path_length);

      if (is_set)
        names[n_values++] = prop->pspec->name;
    }

  object = g_object_new_with_properties (type, n_values, names, values);

out:
  for (guint i = 0; i < n_values; i++)
    g_value_unset (&values[i]);

  return object;
}

/**
 * enr_codec_decode:
 * @type: a concrete GObject type
 * @node: a JSON object
 * @error: return location for an %ENR_CODEC_ERROR
 *
 * Creates an object of @type from @node as described in docs/model.md.
 * Members that are not properties are ignored; error messages name the
 * member path (`service_task.answers[2].question_id: missing required member`).
 *
 * Returns: (transfer full) (type GObject): a new object, or %NULL with @error set
 */
gpointer
enr_codec_decode (GType      type,
                  JsonNode  *node,
                  GError   **error)
{
  g_autoptr(GString) path = NULL;

  g_return_val_if_fail (g_type_is_a (type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (!G_TYPE_IS_ABSTRACT (type), NULL);
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_string_new (_enr_codec_class_get (type)->root_name);

  return decode_object (type, node, path, error);
}

/**
 * enr_codec_decode_data:
 * @type: a concrete GObject type
 * @data: untrusted JSON text
 * @length: its length, or -1 if NUL-terminated
 * @error: return location for an %ENR_CODEC_ERROR
 *
 * enr_json_parse() with %ENR_JSON_MAX_BODY, then enr_codec_decode().
 *
 * Returns: (transfer full) (type GObject): a new object, or %NULL with @error set
 */
gpointer
enr_codec_decode_data (GType        type,
                       const char  *data,
                       gssize       length,
                       GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (g_type_is_a (type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(node = enr_json_parse (data, length, ENR_JSON_MAX_BODY, error)))
    return NULL;

  return enr_codec_decode (type, node, error);
}

/**
 * enr_codec_decode_array:
 * @element_type: a concrete GObject type
 * @node: a JSON array of objects
 * @error: return location for an %ENR_CODEC_ERROR
 *
 * Decodes every element of @node. A top-level array may hold up to
 * %ENR_CODEC_MAX_TOP_LEVEL_ITEMS elements; paths in errors read
 * `customer[3].name`.
 *
 * Returns: (transfer full) (element-type GObject): the objects, or %NULL
 *   with @error set
 */
GPtrArray *
enr_codec_decode_array (GType      element_type,
                        JsonNode  *node,
                        GError   **error)
{
  g_autoptr(GPtrArray) objects = NULL;
  g_autoptr(GString) path = NULL;
  JsonArray *array;
  guint n_items;
  gsize path_length;

  g_return_val_if_fail (g_type_is_a (element_type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (!G_TYPE_IS_ABSTRACT (element_type), NULL);
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_string_new (_enr_codec_class_get (element_type)->root_name);
  path_length = path->len;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_path_error (error, ENR_CODEC_ERROR_TYPE, path, _("expected an array of objects"));
      return NULL;
    }

  array = json_node_get_array (node);
  if (!check_item_count (array, ENR_CODEC_MAX_TOP_LEVEL_ITEMS, path, error))
    return NULL;

  n_items = json_array_get_length (array);
  objects = g_ptr_array_new_full (n_items, g_object_unref);

  for (guint i = 0; i < n_items; i++)
    {
      GObject *object;

      g_string_append_printf (path, "[%u]", i);
      object = decode_object (element_type, json_array_get_element (array, i), path, error);
      if (object == NULL)
        return NULL;
      g_string_truncate (path, path_length);

      g_ptr_array_add (objects, object);
    }

  return g_steal_pointer (&objects);
}

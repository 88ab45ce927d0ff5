/* enr-codec.c — GObject ⇄ JSON, driven by the class's properties
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-codec.h"
#include "enr-enums.h"

typedef enum
{
  KIND_STRING,
  KIND_BOOLEAN,
  KIND_INT,
  KIND_DOUBLE,
  KIND_ENUM,
  KIND_STRV,
  KIND_DATE,
  KIND_DATE_TIME,
  KIND_HASH_TABLE,
  KIND_PTR_ARRAY,
  KIND_OBJECT,
} Kind;

typedef struct
{
  GParamSpec *pspec;        /* as listed by the class, perhaps an override */
  GType       value_type;
  Kind        kind;
  char       *member;
  gboolean    required;
  gboolean    enum_has_none;
  GType       element_type;
  gint64      int_min;
  gint64      int_max;
  double      double_min;
  double      double_max;
} CodecProperty;

typedef struct
{
  char          *root_name;
  CodecProperty *props;
  guint          n_props;
} CodecClass;

static GObject *decode_object (GType        type,
                               JsonNode    *node,
                               GString     *path,
                               GError     **error);
static JsonNode *encode_object (GObject    *object);

static GQuark
required_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("enr-codec-required");

  return quark;
}

static GQuark
element_type_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("enr-codec-element-type");

  return quark;
}

/**
 * enr_param_spec_required:
 * @pspec: a property
 *
 * Marks @pspec as a member that every decoded document must carry.
 *
 * Returns: (transfer none): @pspec, for chaining
 */
GParamSpec *
enr_param_spec_required (GParamSpec *pspec)
{
  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), NULL);

  g_param_spec_set_qdata (pspec, required_quark (), GINT_TO_POINTER (TRUE));

  return pspec;
}

/**
 * enr_param_spec_array_of:
 * @pspec: a %G_TYPE_PTR_ARRAY property
 * @element_type: the GObject type of the array's elements
 *
 * Returns: (transfer none): @pspec, for chaining
 */
GParamSpec *
enr_param_spec_array_of (GParamSpec *pspec,
                         GType       element_type)
{
  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), NULL);
  g_return_val_if_fail (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_PTR_ARRAY, pspec);
  g_return_val_if_fail (g_type_is_a (element_type, G_TYPE_OBJECT), pspec);

  g_param_spec_set_qdata (pspec, element_type_quark (), GSIZE_TO_POINTER (element_type));

  return pspec;
}

gboolean
enr_param_spec_is_required (GParamSpec *pspec)
{
  GParamSpec *target;

  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), FALSE);

  if (g_param_spec_get_qdata (pspec, required_quark ()) != NULL)
    return TRUE;

  target = g_param_spec_get_redirect_target (pspec);
  return target != NULL && g_param_spec_get_qdata (target, required_quark ()) != NULL;
}

GType
enr_param_spec_element_type (GParamSpec *pspec)
{
  GParamSpec *target;
  gpointer data;

  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), G_TYPE_INVALID);

  data = g_param_spec_get_qdata (pspec, element_type_quark ());
  if (data == NULL && (target = g_param_spec_get_redirect_target (pspec)) != NULL)
    data = g_param_spec_get_qdata (target, element_type_quark ());

  return (GType) GPOINTER_TO_SIZE (data);
}

/* EnrServiceTask → service_task */
static char *
root_name_for_type (GType type)
{
  const char *name = g_type_name (type);
  GString *out = g_string_new (NULL);

  if (g_str_has_prefix (name, "Enr") && g_ascii_isupper (name[3]))
    name += 3;

  for (gsize i = 0; name[i] != '\0'; i++)
    {
      char c = name[i];

      if (g_ascii_isupper (c))
        {
          if (i > 0 &&
              (g_ascii_islower (name[i - 1]) ||
               g_ascii_isdigit (name[i - 1]) ||
               (g_ascii_isupper (name[i - 1]) && g_ascii_islower (name[i + 1]))))
            g_string_append_c (out, '_');
          g_string_append_c (out, g_ascii_tolower (c));
        }
      else
        g_string_append_c (out, c);
    }

  return g_string_free (out, FALSE);
}

static int
compare_pspecs (gconstpointer a,
                gconstpointer b)
{
  GParamSpec *pa = *(GParamSpec * const *) a;
  GParamSpec *pb = *(GParamSpec * const *) b;
  guint da = g_type_depth (pa->owner_type);
  guint db = g_type_depth (pb->owner_type);

  if (da != db)
    return da < db ? -1 : 1;
  if (pa->param_id != pb->param_id)
    return pa->param_id < pb->param_id ? -1 : 1;
  return strcmp (pa->name, pb->name);
}

static gboolean
codec_property_init (CodecProperty *prop,
                     GType          owner,
                     GParamSpec    *pspec)
{
  GParamSpec *target = g_param_spec_get_redirect_target (pspec);
  GType value_type;

  if (target == NULL)
    target = pspec;

  value_type = G_PARAM_SPEC_VALUE_TYPE (target);

  prop->pspec = pspec;
  prop->value_type = value_type;
  prop->required = enr_param_spec_is_required (pspec);

  if (value_type == G_TYPE_STRING)
    prop->kind = KIND_STRING;
  else if (value_type == G_TYPE_BOOLEAN)
    prop->kind = KIND_BOOLEAN;
  else if (value_type == G_TYPE_INT)
    {
      prop->kind = KIND_INT;
      prop->int_min = G_PARAM_SPEC_INT (target)->minimum;
      prop->int_max = G_PARAM_SPEC_INT (target)->maximum;
    }
  else if (value_type == G_TYPE_UINT)
    {
      prop->kind = KIND_INT;
      prop->int_min = G_PARAM_SPEC_UINT (target)->minimum;
      prop->int_max = G_PARAM_SPEC_UINT (target)->maximum;
    }
  else if (value_type == G_TYPE_INT64)
    {
      prop->kind = KIND_INT;
      prop->int_min = G_PARAM_SPEC_INT64 (target)->minimum;
      prop->int_max = G_PARAM_SPEC_INT64 (target)->maximum;
    }
  else if (value_type == G_TYPE_DOUBLE)
    {
      prop->kind = KIND_DOUBLE;
      prop->double_min = G_PARAM_SPEC_DOUBLE (target)->minimum;
      prop->double_max = G_PARAM_SPEC_DOUBLE (target)->maximum;
    }
  else if (G_TYPE_IS_ENUM (value_type))
    {
      GEnumValue *none = g_enum_get_value (G_PARAM_SPEC_ENUM (target)->enum_class, 0);

      prop->kind = KIND_ENUM;
      prop->enum_has_none = none != NULL && g_strcmp0 (none->value_nick, "none") == 0;
    }
  else if (value_type == G_TYPE_STRV)
    prop->kind = KIND_STRV;
  else if (value_type == G_TYPE_DATE)
    prop->kind = KIND_DATE;
  else if (value_type == G_TYPE_DATE_TIME)
    prop->kind = KIND_DATE_TIME;
  else if (value_type == G_TYPE_HASH_TABLE)
    prop->kind = KIND_HASH_TABLE;
  else if (value_type == G_TYPE_PTR_ARRAY)
    {
      prop->kind = KIND_PTR_ARRAY;
      prop->element_type = enr_param_spec_element_type (pspec);
      if (prop->element_type == G_TYPE_INVALID ||
          G_TYPE_IS_ABSTRACT (prop->element_type))
        {
          g_critical ("Property %s:%s is a GPtrArray without a concrete element "
                      "type; mark it with enr_param_spec_array_of()",
                      g_type_name (owner), pspec->name);
          return FALSE;
        }
    }
  else if (g_type_is_a (value_type, G_TYPE_OBJECT) && !G_TYPE_IS_ABSTRACT (value_type))
    prop->kind = KIND_OBJECT;
  else
    {
      g_critical ("Property %s:%s has type %s, which the codec does not support",
                  g_type_name (owner), pspec->name, g_type_name (value_type));
      return FALSE;
    }

  prop->member = g_strdelimit (g_strdup (pspec->name), "-", '_');

  return TRUE;
}

static CodecClass *
codec_class_new (GType type)
{
  GObjectClass *object_class = g_type_class_ref (type); /* kept with the cache */
  g_autofree GParamSpec **pspecs = NULL;
  CodecClass *klass = g_new0 (CodecClass, 1);
  guint n_pspecs = 0;

  pspecs = g_object_class_list_properties (object_class, &n_pspecs);
  qsort (pspecs, n_pspecs, sizeof (GParamSpec *), compare_pspecs);

  klass->root_name = root_name_for_type (type);
  klass->props = g_new0 (CodecProperty, n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      if ((pspecs[i]->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE)
        continue;

      if (codec_property_init (&klass->props[klass->n_props], type, pspecs[i]))
        klass->n_props++;
    }

  return klass;
}

/* Class descriptions live as long as the process, like the types. */
static const CodecClass *
codec_class_get (GType type)
{
  static GMutex mutex;
  static GHashTable *classes;
  CodecClass *klass;

  g_mutex_lock (&mutex);

  if (classes == NULL)
    classes = g_hash_table_new (NULL, NULL);

  klass = g_hash_table_lookup (classes, GSIZE_TO_POINTER (type));
  if (klass == NULL)
    {
      klass = codec_class_new (type);
      g_hash_table_insert (classes, GSIZE_TO_POINTER (type), klass);
    }

  g_mutex_unlock (&mutex);

  return klass;
}

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
  const CodecClass *klass = codec_class_get (type);
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

  path = g_string_new (codec_class_get (type)->root_name);

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

  path = g_string_new (codec_class_get (element_type)->root_name);
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

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static JsonNode *
encode_hash_table (GHashTable *table)
{
  g_autofree gpointer *keys = NULL;
  JsonObject *object = json_object_new ();
  JsonNode *node;
  guint n_keys = 0;

  keys = g_hash_table_get_keys_as_array (table, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_strings);

  for (guint i = 0; i < n_keys; i++)
    {
      const char *text = g_hash_table_lookup (table, keys[i]);

      if (text != NULL)
        json_object_set_string_member (object, keys[i], text);
    }

  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);

  return node;
}

/* Returns NULL for a value that is left out of the document. */
static JsonNode *
encode_value (const CodecProperty *prop,
              const GValue        *value)
{
  JsonNode *node = NULL;

  switch (prop->kind)
    {
    case KIND_STRING:
      if (g_value_get_string (value) != NULL)
        {
          node = json_node_new (JSON_NODE_VALUE);
          json_node_set_string (node, g_value_get_string (value));
        }
      break;

    case KIND_BOOLEAN:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, g_value_get_boolean (value));
      break;

    case KIND_INT:
      node = json_node_new (JSON_NODE_VALUE);
      if (prop->value_type == G_TYPE_INT)
        json_node_set_int (node, g_value_get_int (value));
      else if (prop->value_type == G_TYPE_UINT)
        json_node_set_int (node, g_value_get_uint (value));
      else
        json_node_set_int (node, g_value_get_int64 (value));
      break;

    case KIND_DOUBLE:
      {
        double number = g_value_get_double (value);

        if (isfinite (number))
          {
            node = json_node_new (JSON_NODE_VALUE);
            /* -0 would come back as the integer 0 */
            json_node_set_double (node, number == 0.0 ? 0.0 : number);
          }
      }
      break;

    case KIND_ENUM:
      {
        int enum_value = g_value_get_enum (value);
        const char *nick = enr_enum_to_nick (prop->value_type, enum_value);

        if (nick != NULL && !(prop->enum_has_none && enum_value == 0))
          {
            node = json_node_new (JSON_NODE_VALUE);
            json_node_set_string (node, nick);
          }
      }
      break;

    case KIND_STRV:
      {
        const char * const *strv = g_value_get_boxed (value);

        if (strv != NULL && strv[0] != NULL)
          {
            JsonArray *array = json_array_new ();

            for (guint i = 0; strv[i] != NULL; i++)
              json_array_add_string_element (array, strv[i]);

            node = json_node_init_array (json_node_alloc (), array);
            json_array_unref (array);
          }
      }
      break;

    case KIND_DATE:
      {
        g_autofree char *text = enr_codec_format_date (g_value_get_boxed (value));

        if (text != NULL)
          {
            node = json_node_new (JSON_NODE_VALUE);
            json_node_set_string (node, text);
          }
      }
      break;

    case KIND_DATE_TIME:
      {
        GDateTime *date_time = g_value_get_boxed (value);

        if (date_time != NULL)
          {
            g_autofree char *text = enr_codec_format_date_time (date_time);

            node = json_node_new (JSON_NODE_VALUE);
            json_node_set_string (node, text);
          }
      }
      break;

    case KIND_HASH_TABLE:
      {
        GHashTable *table = g_value_get_boxed (value);

        if (table != NULL && g_hash_table_size (table) > 0)
          node = encode_hash_table (table);
      }
      break;

    case KIND_PTR_ARRAY:
      {
        GPtrArray *objects = g_value_get_boxed (value);

        if (objects != NULL && objects->len > 0)
          {
            JsonArray *array = json_array_new ();

            for (guint i = 0; i < objects->len; i++)
              {
                GObject *element = g_ptr_array_index (objects, i);

                if (G_IS_OBJECT (element))
                  json_array_add_element (array, encode_object (element));
              }

            node = json_node_init_array (json_node_alloc (), array);
            json_array_unref (array);
          }
      }
      break;

    case KIND_OBJECT:
      if (g_value_get_object (value) != NULL)
        node = encode_object (g_value_get_object (value));
      break;

    default:
      g_assert_not_reached ();
    }

  return node;
}

static JsonNode *
encode_object (GObject *object)
{
  const CodecClass *klass = codec_class_get (G_OBJECT_TYPE (object));
  JsonObject *json = json_object_new ();
  JsonNode *node;

  for (guint i = 0; i < klass->n_props; i++)
    {
      const CodecProperty *prop = &klass->props[i];
      g_auto(GValue) value = G_VALUE_INIT;
      JsonNode *member;

      g_value_init (&value, prop->value_type);
      g_object_get_property (object, prop->pspec->name, &value);

      if ((member = encode_value (prop, &value)))
        json_object_set_member (json, prop->member, member);
    }

  node = json_node_init_object (json_node_alloc (), json);
  json_object_unref (json);

  return node;
}

/**
 * enr_codec_encode:
 * @object: (type GObject): an object
 *
 * Encodes every readable and writable property of @object in class order
 * (base class first, then installation order). Unset strings, dates,
 * date-times and objects, NONE enum values, and empty string lists, arrays
 * and hash tables are left out; hash table keys are sorted.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
enr_codec_encode (gpointer object)
{
  g_return_val_if_fail (G_IS_OBJECT (object), NULL);

  return encode_object (object);
}

/**
 * enr_codec_encode_string:
 * @object: (type GObject): an object
 *
 * Returns: (transfer full): the compact canonical JSON text of @object
 */
char *
enr_codec_encode_string (gpointer object)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (G_IS_OBJECT (object), NULL);

  node = encode_object (object);

  return enr_json_to_string (node, FALSE);
}

/**
 * enr_codec_encode_array:
 * @objects: (element-type GObject): objects
 *
 * Returns: (transfer full): a JSON array of the encoded objects
 */
JsonNode *
enr_codec_encode_array (GPtrArray *objects)
{
  JsonArray *array;
  JsonNode *node;

  g_return_val_if_fail (objects != NULL, NULL);

  for (guint i = 0; i < objects->len; i++)
    g_return_val_if_fail (G_IS_OBJECT (g_ptr_array_index (objects, i)), NULL);

  array = json_array_sized_new (objects->len);
  for (guint i = 0; i < objects->len; i++)
    json_array_add_element (array, encode_object (g_ptr_array_index (objects, i)));

  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);

  return node;
}

/**
 * enr_codec_equal:
 * @a: (type GObject) (nullable): an object
 * @b: (type GObject) (nullable): an object
 *
 * Returns: %TRUE if @a and @b have the same type and the same encoding
 */
gboolean
enr_codec_equal (gpointer a,
                 gpointer b)
{
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  g_return_val_if_fail (G_IS_OBJECT (a) && G_IS_OBJECT (b), FALSE);

  if (G_OBJECT_TYPE (a) != G_OBJECT_TYPE (b))
    return FALSE;

  text_a = enr_codec_encode_string (a);
  text_b = enr_codec_encode_string (b);

  return strcmp (text_a, text_b) == 0;
}

static gboolean
parse_digits (const char *text,
              guint       n_digits,
              int        *out)
{
  int number = 0;

  for (guint i = 0; i < n_digits; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      number = number * 10 + (text[i] - '0');
    }

  *out = number;
  return TRUE;
}

/* "YYYY-MM-DD" at the start of @text, without looking past it. */
static gboolean
parse_ymd (const char *text,
           int        *year,
           int        *month,
           int        *day)
{
  return parse_digits (text, 4, year) &&
         text[4] == '-' &&
         parse_digits (text + 5, 2, month) &&
         text[7] == '-' &&
         parse_digits (text + 8, 2, day) &&
         g_date_valid_dmy (*day, *month, *year);
}

/**
 * enr_codec_parse_date:
 * @text: (nullable): text such as "2026-11-27"
 * @out: (out caller-allocates) (optional): the date
 *
 * Accepts exactly `YYYY-MM-DD`, a real calendar date in the years 1900–9999.
 *
 * Returns: %TRUE if @text is such a date
 */
gboolean
enr_codec_parse_date (const char *text,
                      GDate      *out)
{
  int year, month, day;

  if (text == NULL || strnlen (text, 11) != 10)
    return FALSE;

  if (!parse_ymd (text, &year, &month, &day) || year < 1900)
    return FALSE;

  if (out != NULL)
    {
      g_date_clear (out, 1);
      g_date_set_dmy (out, day, month, year);
    }

  return TRUE;
}

/**
 * enr_codec_format_date:
 * @date: (nullable): a date
 *
 * Returns: (transfer full) (nullable): `YYYY-MM-DD`, or %NULL if @date is
 *   %NULL or not valid
 */
char *
enr_codec_format_date (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return NULL;

  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date));
}

/**
 * enr_codec_parse_date_time:
 * @text: (nullable): RFC 3339 text such as "2026-11-27T08:00:00+01:00"
 *
 * Accepts `YYYY-MM-DDTHH:MM:SS`, optional fractional seconds (kept to the
 * microsecond), and a mandatory `Z` or `±HH:MM` offset.
 *
 * Returns: (transfer full) (nullable): the instant in its own offset, or %NULL
 */
GDateTime *
enr_codec_parse_date_time (const char *text)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) whole = NULL;
  int year, month, day, hour, minute, second;
  int offset = 0;
  int usec = 0;
  gsize pos;

  if (text == NULL || strnlen (text, 20) < 20)
    return NULL;

  if (!parse_ymd (text, &year, &month, &day) ||
      text[10] != 'T' ||
      !parse_digits (text + 11, 2, &hour) ||
      text[13] != ':' ||
      !parse_digits (text + 14, 2, &minute) ||
      text[16] != ':' ||
      !parse_digits (text + 17, 2, &second) ||
      hour > 23 || minute > 59 || second > 59)
    return NULL;

  pos = 19;
  if (text[pos] == '.')
    {
      int scale = 100000;

      pos++;
      if (!g_ascii_isdigit (text[pos]))
        return NULL;
      for (; g_ascii_isdigit (text[pos]); pos++)
        {
          usec += (text[pos] - '0') * scale;
          scale /= 10;
        }
    }

  if (text[pos] == 'Z')
    pos++;
  else if (text[pos] == '+' || text[pos] == '-')
    {
      int offset_hours, offset_minutes;

      if (!parse_digits (text + pos + 1, 2, &offset_hours) ||
          text[pos + 3] != ':' ||
          !parse_digits (text + pos + 4, 2, &offset_minutes) ||
          offset_hours > 23 || offset_minutes > 59)
        return NULL;

      offset = (offset_hours * 3600 + offset_minutes * 60) * (text[pos] == '-' ? -1 : 1);
      pos += 6;
    }
  else
    return NULL;

  if (text[pos] != '\0')
    return NULL;

  tz = g_time_zone_new_offset (offset);
  whole = g_date_time_new (tz, year, month, day, hour, minute, second);
  if (whole == NULL)
    return NULL;

  return g_date_time_add (whole, usec);
}

/**
 * enr_codec_format_date_time:
 * @date_time: an instant
 *
 * Formats @date_time as RFC 3339 in its own offset (`Z` for UTC), with
 * microseconds only when they are not zero. An offset that is not a whole
 * number of minutes is written in UTC.
 *
 * Returns: (transfer full): the text
 */
char *
enr_codec_format_date_time (GDateTime *date_time)
{
  g_autoptr(GDateTime) utc = NULL;
  GString *out;
  GTimeSpan offset;
  int year, month, day;
  int usec;

  g_return_val_if_fail (date_time != NULL, NULL);

  offset = g_date_time_get_utc_offset (date_time);
  if (offset % (60 * G_TIME_SPAN_SECOND) != 0)
    {
      date_time = utc = g_date_time_to_utc (date_time);
      offset = 0;
    }

  g_date_time_get_ymd (date_time, &year, &month, &day);
  out = g_string_new (NULL);
  g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d",
                          year, month, day,
                          g_date_time_get_hour (date_time),
                          g_date_time_get_minute (date_time),
                          g_date_time_get_second (date_time));

  usec = g_date_time_get_microsecond (date_time);
  if (usec != 0)
    g_string_append_printf (out, ".%06d", usec);

  if (offset == 0)
    g_string_append_c (out, 'Z');
  else
    {
      gint64 minutes = ABS (offset) / G_TIME_SPAN_MINUTE;

      g_string_append_printf (out, "%c%02d:%02d",
                              offset < 0 ? '-' : '+',
                              (int) (minutes / 60), (int) (minutes % 60));
    }

  return g_string_free (out, FALSE);
}

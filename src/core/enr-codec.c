/* enr-codec.c — GObject ⇄ JSON, driven by the class's properties
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "enr-codec-private.h"
#include "enr-enums.h"

static JsonNode *encode_object (GObject *object);

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

const CodecClass *
_enr_codec_class_get (GType type)
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
  const CodecClass *klass = _enr_codec_class_get (G_OBJECT_TYPE (object));
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

/* enr-dataset.c — data sets: their collections, and reading one (writing: enr-dataset-writer.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-action-method.h"
#include "enr-activity-type.h"
#include "enr-code-value.h"
#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-crew.h"
#include "enr-crew-shift-type.h"
#include "enr-customer.h"
#include "enr-dataset.h"
#include "enr-device.h"
#include "enr-device-location.h"
#include "enr-initiative.h"
#include "enr-metered-service.h"
#include "enr-program.h"
#include "enr-program-subscription.h"
#include "enr-program-type.h"
#include "enr-service-point.h"
#include "enr-service-task-type.h"
#include "enr-user.h"

struct _EnrDatasetReader
{
  GObject  parent_instance;

  GFile   *directory;
  char    *name;
  guint64  customers;
  guint    shift_horizon_days;
};

static void enr_dataset_reader_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EnrDatasetReader, enr_dataset_reader, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      enr_dataset_reader_initable_iface_init))

enum {
  READER_PROP_0,
  READER_PROP_DIRECTORY,
  READER_PROP_NAME,
  READER_PROP_CUSTOMERS,
  READER_PROP_SHIFT_HORIZON_DAYS,
  READER_N_PROPS
};

static GParamSpec *reader_properties[READER_N_PROPS];

/* Collections */

/**
 * enr_dataset_collections:
 * @n_collections: (out) (optional): the number of collections
 *
 * The collections of a data set in load order: every collection comes
 * after the ones its objects refer to. The array ends with an element
 * whose name is %NULL.
 *
 * Returns: (transfer none): the collections
 */
const EnrDatasetCollection *
enr_dataset_collections (guint *n_collections)
{
  static EnrDatasetCollection collections[17];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      guint i = 0;

      collections[i++] = (EnrDatasetCollection) { "code_values", ENR_TYPE_CODE_VALUE };
      collections[i++] = (EnrDatasetCollection) { "users", ENR_TYPE_USER };
      collections[i++] = (EnrDatasetCollection) { "action_methods", ENR_TYPE_ACTION_METHOD };
      collections[i++] = (EnrDatasetCollection) { "activity_types", ENR_TYPE_ACTIVITY_TYPE };
      collections[i++] = (EnrDatasetCollection) { "crew_shift_types", ENR_TYPE_CREW_SHIFT_TYPE };
      collections[i++] = (EnrDatasetCollection) { "crews", ENR_TYPE_CREW };
      collections[i++] = (EnrDatasetCollection) { "service_task_types", ENR_TYPE_SERVICE_TASK_TYPE };
      collections[i++] = (EnrDatasetCollection) { "program_types", ENR_TYPE_PROGRAM_TYPE };
      collections[i++] = (EnrDatasetCollection) { "initiatives", ENR_TYPE_INITIATIVE };
      collections[i++] = (EnrDatasetCollection) { "programs", ENR_TYPE_PROGRAM };
      collections[i++] = (EnrDatasetCollection) { "customers", ENR_TYPE_CUSTOMER };
      collections[i++] = (EnrDatasetCollection) { "service_points", ENR_TYPE_SERVICE_POINT };
      collections[i++] = (EnrDatasetCollection) { "metered_services", ENR_TYPE_METERED_SERVICE };
      collections[i++] = (EnrDatasetCollection) { "device_locations", ENR_TYPE_DEVICE_LOCATION };
      collections[i++] = (EnrDatasetCollection) { "subscriptions", ENR_TYPE_PROGRAM_SUBSCRIPTION };
      collections[i++] = (EnrDatasetCollection) { "devices", ENR_TYPE_DEVICE };
      collections[i] = (EnrDatasetCollection) { NULL, G_TYPE_INVALID };

      g_assert (i + 1 == G_N_ELEMENTS (collections));

      g_once_init_leave (&initialized, 1);
    }

  if (n_collections != NULL)
    *n_collections = G_N_ELEMENTS (collections) - 1;

  return collections;
}

/**
 * enr_dataset_collection_type:
 * @name: a collection name such as "customers"
 *
 * Returns: the GType of the collection's objects, or %G_TYPE_INVALID when
 *   @name is not a collection of a data set
 */
GType
enr_dataset_collection_type (const char *name)
{
  const EnrDatasetCollection *collections = enr_dataset_collections (NULL);

  g_return_val_if_fail (name != NULL, G_TYPE_INVALID);

  for (guint i = 0; collections[i].name != NULL; i++)
    {
      if (g_str_equal (collections[i].name, name))
        return collections[i].type;
    }

  return G_TYPE_INVALID;
}

char *
_enr_dataset_collection_file_name (const char *collection)
{
  return g_strconcat (collection, ".jsonl", NULL);
}

/* Manifest */

static gboolean
manifest_get_integer (JsonObject  *manifest,
                      const char  *member,
                      gint64       min,
                      gint64       max,
                      gint64      *value,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (manifest, member);

  if (node == NULL)
    {
      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_MISSING,
                   /* Translators: %s is a member name of manifest.json */
                   _("%s: missing required member"), member);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TYPE,
                   _("%s: expected an integer"), member);
      return FALSE;
    }

  *value = json_node_get_int (node);

  if (*value < min || *value > max)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, *value);
      g_autofree char *lowest = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *highest = g_strdup_printf ("%" G_GINT64_FORMAT, max);

      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE,
                   /* Translators: "customers: -1 is outside 0–9223372036854775807" */
                   _("%s: %s is outside %s–%s"), member, number, lowest, highest);
      return FALSE;
    }

  return TRUE;
}

static gboolean
reader_parse_manifest (EnrDatasetReader  *self,
                       const char        *data,
                       gsize              length,
                       GError           **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *manifest;
  JsonNode *name;
  gint64 format;
  gint64 customers;
  gint64 horizon;

  root = enr_json_parse (data, length, ENR_DATASET_MAX_MANIFEST, error);
  if (root == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TYPE,
                           _("expected an object"));
      return FALSE;
    }

  manifest = json_node_get_object (root);

  if (!manifest_get_integer (manifest, "format", G_MININT64, G_MAXINT64, &format, error))
    return FALSE;

  if (format != ENR_DATASET_FORMAT)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, format);

      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_INVALID,
                   _("format: unsupported version %s (expected %d)"),
                   number, ENR_DATASET_FORMAT);
      return FALSE;
    }

  name = json_object_get_member (manifest, "name");
  if (name == NULL)
    {
      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_MISSING,
                   _("%s: missing required member"), "name");
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
    {
      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TYPE,
                   _("%s: expected a string"), "name");
      return FALSE;
    }

  if (!manifest_get_integer (manifest, "customers", 0, G_MAXINT64, &customers, error))
    return FALSE;

  if (!manifest_get_integer (manifest, "shift_horizon_days",
                             0, ENR_DATASET_MAX_HORIZON_DAYS, &horizon, error))
    return FALSE;

  g_free (self->name);
  self->name = g_strdup (json_node_get_string (name));
  self->customers = (guint64) customers;
  self->shift_horizon_days = (guint) horizon;

  return TRUE;
}

static gboolean
reader_load_manifest (EnrDatasetReader  *self,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autoptr(GFile) file = g_file_get_child (self->directory, ENR_DATASET_MANIFEST);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    {
      g_prefix_error (error, "%s: ", ENR_DATASET_MANIFEST);
      return FALSE;
    }

  /* One byte more than allowed tells a manifest that is too large. */
  data = g_malloc (ENR_DATASET_MAX_MANIFEST + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), data, ENR_DATASET_MAX_MANIFEST + 1,
                                &length, cancellable, error))
    {
      g_prefix_error (error, "%s: ", ENR_DATASET_MANIFEST);
      return FALSE;
    }

  if (length > ENR_DATASET_MAX_MANIFEST)
    {
      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE,
                   _("%s: larger than %d bytes"), ENR_DATASET_MANIFEST, ENR_DATASET_MAX_MANIFEST);
      return FALSE;
    }

  if (!reader_parse_manifest (self, data, length, error))
    {
      g_prefix_error (error, "%s: ", ENR_DATASET_MANIFEST);
      return FALSE;
    }

  return TRUE;
}

/* Reading lines */

typedef struct
{
  GDataInputStream *stream;
  const char       *file_name;
  guint64           line_number;
  gsize             length;        /* of the current line, without its newline */
  gsize             consumed;      /* bytes to skip once the line is handled */
} LineReader;

static gboolean
line_is_blank (const char *line,
               gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
        return FALSE;
    }

  return TRUE;
}

/* Sets *line to the next line inside the stream's buffer, or %NULL at the
 * end of the file. The buffer holds one line of ENR_DATASET_MAX_LINE bytes
 * and its newline, so a longer line is found without reading it whole. */
static gboolean
line_reader_next (LineReader    *reader,
                  const char   **line,
                  GCancellable  *cancellable,
                  GError       **error)
{
  GBufferedInputStream *buffered = G_BUFFERED_INPUT_STREAM (reader->stream);
  gsize scanned = 0;

  if (reader->consumed > 0)
    {
      if (g_input_stream_skip (G_INPUT_STREAM (buffered), reader->consumed,
                               cancellable, error) < 0)
        {
          g_prefix_error (error, "%s: ", reader->file_name);
          return FALSE;
        }
      reader->consumed = 0;
    }

  reader->line_number++;

  for (;;)
    {
      gsize available = 0;
      const char *buffer = g_buffered_input_stream_peek_buffer (buffered, &available);
      const char *newline = NULL;
      gssize filled;

      if (available > scanned)
        newline = memchr (buffer + scanned, '\n', available - scanned);

      if (newline != NULL)
        {
          reader->length = newline - buffer;
          reader->consumed = reader->length + 1;
        }
      else
        {
          scanned = available;
        }

      if (newline != NULL || available > ENR_DATASET_MAX_LINE)
        {
          if (newline == NULL || reader->length > ENR_DATASET_MAX_LINE)
            {
              g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE,
                           _("line longer than %d bytes"), ENR_DATASET_MAX_LINE);
              g_prefix_error (error, "%s:%" G_GUINT64_FORMAT ": ",
                              reader->file_name, reader->line_number);
              return FALSE;
            }

          *line = buffer;
          return TRUE;
        }

      filled = g_buffered_input_stream_fill (buffered, -1, cancellable, error);
      if (filled < 0)
        {
          g_prefix_error (error, "%s:%" G_GUINT64_FORMAT ": ",
                          reader->file_name, reader->line_number);
          return FALSE;
        }

      if (filled == 0)
        {
          /* End of file: the last line may lack its newline. */
          buffer = g_buffered_input_stream_peek_buffer (buffered, &available);
          if (available == 0)
            {
              *line = NULL;
              return TRUE;
            }

          reader->length = available;
          reader->consumed = available;
          *line = buffer;
          return TRUE;
        }
    }
}

typedef gboolean (*LineFunc) (const char  *line,
                              gsize        length,
                              guint64      line_number,
                              gpointer     user_data,
                              GError     **error);

/* Calls func for every non-blank line of the collection's file; a missing
 * file is an empty collection. Errors carry "file:line: ". */
static gboolean
reader_foreach_line (EnrDatasetReader  *self,
                     const char        *collection,
                     LineFunc           func,
                     gpointer           user_data,
                     guint64           *n_records,
                     GCancellable      *cancellable,
                     GError           **error)
{
  g_autofree char *file_name = _enr_dataset_collection_file_name (collection);
  g_autoptr(GFile) file = g_file_get_child (self->directory, file_name);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  LineReader reader = { 0 };
  guint64 count = 0;

  *n_records = 0;

  input = g_file_read (file, cancellable, &local_error);
  if (input == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;

      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", file_name);
      return FALSE;
    }

  stream = g_data_input_stream_new (G_INPUT_STREAM (input));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (stream),
                                           ENR_DATASET_MAX_LINE + 1);

  reader.stream = stream;
  reader.file_name = file_name;

  for (;;)
    {
      const char *line = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (!line_reader_next (&reader, &line, cancellable, error))
        return FALSE;

      if (line == NULL)
        break;

      if (line_is_blank (line, reader.length))
        continue;

      if (!func (line, reader.length, reader.line_number, user_data, error))
        {
          g_prefix_error (error, "%s:%" G_GUINT64_FORMAT ": ", file_name, reader.line_number);
          return FALSE;
        }

      count++;
    }

  if (!g_input_stream_close (G_INPUT_STREAM (stream), cancellable, error))
    {
      g_prefix_error (error, "%s: ", file_name);
      return FALSE;
    }

  *n_records = count;

  return TRUE;
}

/* What enr_dataset_reader_foreach() and _foreach_row() hand their line
 * decoder: the type to decode and the caller's function (an
 * EnrDatasetFunc or an EnrDatasetRowFunc, as the decoder calls it). */
typedef struct
{
  GType      type;
  GCallback  func;
  gpointer   user_data;
} DecodeLineData;

static gboolean
decode_object_line (const char  *line,
                    gsize        length,
                    guint64      line_number,
                    gpointer     user_data,
                    GError     **error)
{
  DecodeLineData *data = user_data;
  g_autoptr(GObject) object = NULL;

  object = enr_codec_decode_data (data->type, line, length, error);
  if (object == NULL)
    return FALSE;

  return ((EnrDatasetFunc) data->func) (object, line_number, data->user_data, error);
}

/* The line is parsed once: the object is decoded from the tree, and the
 * row is the same tree written again, compact. */
static gboolean
decode_row_line (const char  *line,
                 gsize        length,
                 guint64      line_number,
                 gpointer     user_data,
                 GError     **error)
{
  DecodeLineData *data = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GObject) object = NULL;

  root = enr_json_parse (line, length, ENR_DATASET_MAX_LINE, error);
  if (root == NULL)
    return FALSE;

  object = enr_codec_decode (data->type, root, error);
  if (object == NULL)
    return FALSE;

  return ((EnrDatasetRowFunc) data->func) (object, enr_json_to_string (root, FALSE), line_number,
                                           data->user_data, error);
}

typedef struct
{
  EnrDatasetUserFunc  func;
  gpointer            user_data;
} UserLineData;

static gboolean
decode_user_line (const char  *line,
                  gsize        length,
                  guint64      line_number,
                  gpointer     user_data,
                  GError     **error)
{
  UserLineData *data = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(EnrUser) user = NULL;
  JsonNode *password;

  root = enr_json_parse (line, length, ENR_DATASET_MAX_LINE, error);
  if (root == NULL)
    return FALSE;

  user = enr_codec_decode (ENR_TYPE_USER, root, error);
  if (user == NULL)
    return FALSE;

  /* The codec has checked that root is an object. */
  password = json_object_get_member (json_node_get_object (root), "password");
  if (password == NULL || JSON_NODE_HOLDS_NULL (password))
    {
      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_MISSING,
                   _("%s: missing required member"), "user.password");
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (password) || json_node_get_value_type (password) != G_TYPE_STRING)
    {
      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TYPE,
                   _("%s: expected a string"), "user.password");
      return FALSE;
    }

  if (*json_node_get_string (password) == '\0')
    {
      g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_MISSING,
                   _("%s: must not be empty"), "user.password");
      return FALSE;
    }

  return data->func (user, json_node_get_string (password), line_number, data->user_data, error);
}

/* EnrDatasetReader */

static gboolean
enr_dataset_reader_initable_init (GInitable     *initable,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  EnrDatasetReader *self = ENR_DATASET_READER (initable);

  g_return_val_if_fail (G_IS_FILE (self->directory), FALSE);

  return reader_load_manifest (self, cancellable, error);
}

static void
enr_dataset_reader_initable_iface_init (GInitableIface *iface)
{
  iface->init = enr_dataset_reader_initable_init;
}

static void
enr_dataset_reader_finalize (GObject *object)
{
  EnrDatasetReader *self = ENR_DATASET_READER (object);

  g_clear_object (&self->directory);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (enr_dataset_reader_parent_class)->finalize (object);
}

static void
enr_dataset_reader_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EnrDatasetReader *self = ENR_DATASET_READER (object);

  switch (prop_id)
    {
    case READER_PROP_DIRECTORY:
      g_value_set_object (value, self->directory);
      break;

    case READER_PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case READER_PROP_CUSTOMERS:
      g_value_set_uint64 (value, self->customers);
      break;

    case READER_PROP_SHIFT_HORIZON_DAYS:
      g_value_set_uint (value, self->shift_horizon_days);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_dataset_reader_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EnrDatasetReader *self = ENR_DATASET_READER (object);

  switch (prop_id)
    {
    case READER_PROP_DIRECTORY:
      g_set_object (&self->directory, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_dataset_reader_class_init (EnrDatasetReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_dataset_reader_finalize;
  object_class->get_property = enr_dataset_reader_get_property;
  object_class->set_property = enr_dataset_reader_set_property;

  reader_properties[READER_PROP_DIRECTORY] =
    g_param_spec_object ("directory", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  reader_properties[READER_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  reader_properties[READER_PROP_CUSTOMERS] =
    g_param_spec_uint64 ("customers", NULL, NULL,
                         0, G_MAXINT64, 0,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  reader_properties[READER_PROP_SHIFT_HORIZON_DAYS] =
    g_param_spec_uint ("shift-horizon-days", NULL, NULL,
                       0, ENR_DATASET_MAX_HORIZON_DAYS, ENR_DATASET_DEFAULT_HORIZON_DAYS,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, READER_N_PROPS, reader_properties);
}

static void
enr_dataset_reader_init (EnrDatasetReader *self)
{
  self->shift_horizon_days = ENR_DATASET_DEFAULT_HORIZON_DAYS;
}

/**
 * enr_dataset_reader_new:
 * @directory: the data set's directory
 *
 * Opens a data set and reads its manifest.json: `format` must be 1,
 * `name` a string, `customers` an integer ≥ 0 and `shift_horizon_days` an
 * integer 0–366.
 *
 * Returns: (transfer full) (nullable): the reader, or %NULL with @error set
 *   ("manifest.json: format: unsupported version 2 (expected 1)")
 */
EnrDatasetReader *
enr_dataset_reader_new (GFile         *directory,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (directory), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (ENR_TYPE_DATASET_READER, cancellable, error,
                         "directory", directory,
                         NULL);
}

GFile *
enr_dataset_reader_get_directory (EnrDatasetReader *self)
{
  g_return_val_if_fail (ENR_IS_DATASET_READER (self), NULL);

  return self->directory;
}

const char *
enr_dataset_reader_get_name (EnrDatasetReader *self)
{
  g_return_val_if_fail (ENR_IS_DATASET_READER (self), NULL);

  return self->name;
}

/**
 * enr_dataset_reader_get_customers:
 *
 * Returns: the number of customers the manifest announces;
 *   enr_dataset_reader_foreach() on "customers" checks it
 */
guint64
enr_dataset_reader_get_customers (EnrDatasetReader *self)
{
  g_return_val_if_fail (ENR_IS_DATASET_READER (self), 0);

  return self->customers;
}

guint
enr_dataset_reader_get_shift_horizon_days (EnrDatasetReader *self)
{
  g_return_val_if_fail (ENR_IS_DATASET_READER (self), 0);

  return self->shift_horizon_days;
}

static gboolean
reader_check_count (EnrDatasetReader  *self,
                    const char        *collection,
                    guint64            n_records,
                    GError           **error)
{
  g_autofree char *found = NULL;
  g_autofree char *announced = NULL;

  if (!g_str_equal (collection, "customers") || n_records == self->customers)
    return TRUE;

  found = g_strdup_printf ("%" G_GUINT64_FORMAT, n_records);
  announced = g_strdup_printf ("%" G_GUINT64_FORMAT, self->customers);

  g_set_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_INVALID,
               /* Translators: "customers.jsonl: 47 customers, but manifest.json announces 48" */
               _("customers.jsonl: %s customers, but %s announces %s"),
               found, ENR_DATASET_MANIFEST, announced);
  return FALSE;
}

/* The body of enr_dataset_reader_foreach() and _foreach_row(): every
 * line of @collection through @decode, which calls @func, then the
 * manifest's count. */
static gboolean
reader_foreach_decoded (EnrDatasetReader  *self,
                        const char        *collection,
                        GType              type,
                        LineFunc           decode,
                        GCallback          func,
                        gpointer           user_data,
                        GCancellable      *cancellable,
                        GError           **error)
{
  DecodeLineData data;
  guint64 n_records = 0;

  g_return_val_if_fail (ENR_IS_DATASET_READER (self), FALSE);
  g_return_val_if_fail (collection != NULL, FALSE);
  g_return_val_if_fail (enr_dataset_collection_type (collection) != G_TYPE_INVALID, FALSE);
  g_return_val_if_fail (type == G_TYPE_INVALID || g_type_is_a (type, G_TYPE_OBJECT), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data.type = type != G_TYPE_INVALID ? type : enr_dataset_collection_type (collection);
  data.func = func;
  data.user_data = user_data;

  if (!reader_foreach_line (self, collection, decode, &data, &n_records, cancellable, error))
    return FALSE;

  return reader_check_count (self, collection, n_records, error);
}

/**
 * enr_dataset_reader_foreach:
 * @collection: a collection name of enr_dataset_collections()
 * @type: the type to decode each line as; %G_TYPE_INVALID for the
 *   collection's own type
 * @func: called with each decoded object, in file order
 *
 * Streams @collection's JSON Lines file: reads one line at a time (at
 * most %ENR_DATASET_MAX_LINE bytes), skips blank lines, decodes it with
 * enr_codec_decode_data() and calls @func. A missing file is an empty
 * collection. For "customers", the number of records must match the
 * manifest.
 *
 * Returns: %TRUE when every line was read and accepted; %FALSE with
 *   @error set at the first failure, whose message starts with the file
 *   name and line ("customers.jsonl:17: customer.name: missing required
 *   member"). An error @func sets is prefixed the same way.
 */
gboolean
enr_dataset_reader_foreach (EnrDatasetReader  *self,
                            const char        *collection,
                            GType              type,
                            EnrDatasetFunc     func,
                            gpointer           user_data,
                            GCancellable      *cancellable,
                            GError           **error)
{
  return reader_foreach_decoded (self, collection, type, decode_object_line, G_CALLBACK (func), user_data,
                                 cancellable, error);
}

/**
 * enr_dataset_reader_foreach_row:
 * @collection: a collection name of enr_dataset_collections()
 * @type: the type to decode each line as; %G_TYPE_INVALID for the
 *   collection's own type
 * @func: called with each decoded object and its row, in file order
 *
 * As enr_dataset_reader_foreach(), and also hands @func each record's row:
 * its line as compact JSON text, from the same parse as the object (each
 * line is parsed once). A loader can keep the row as the record's stored
 * text instead of encoding the object again. Not for "users": their lines
 * carry the demo password (enr_dataset_reader_foreach_user()).
 */
gboolean
enr_dataset_reader_foreach_row (EnrDatasetReader   *self,
                                const char         *collection,
                                GType               type,
                                EnrDatasetRowFunc   func,
                                gpointer            user_data,
                                GCancellable       *cancellable,
                                GError            **error)
{
  g_return_val_if_fail (collection == NULL || !g_str_equal (collection, "users"), FALSE);

  return reader_foreach_decoded (self, collection, type, decode_row_line, G_CALLBACK (func), user_data,
                                 cancellable, error);
}

/**
 * enr_dataset_reader_foreach_user:
 * @func: called with each user and its password
 *
 * As enr_dataset_reader_foreach() on "users", and also hands @func the
 * line's `password` member, which must be a non-empty string
 * ("users.jsonl:2: user.password: missing required member"). The password
 * is demo data: a loader stores a salted slow hash of it, never the text.
 */
gboolean
enr_dataset_reader_foreach_user (EnrDatasetReader    *self,
                                 EnrDatasetUserFunc   func,
                                 gpointer             user_data,
                                 GCancellable        *cancellable,
                                 GError             **error)
{
  UserLineData data;
  guint64 n_records = 0;

  g_return_val_if_fail (ENR_IS_DATASET_READER (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data.func = func;
  data.user_data = user_data;

  return reader_foreach_line (self, "users", decode_user_line, &data, &n_records,
                              cancellable, error);
}

/* enr-dataset-writer.c — writes a data set: a manifest and one JSON Lines file per collection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-dataset.h"
#include "enr-user.h"

#define WRITE_BUFFER_SIZE (256 * 1024)

typedef struct
{
  GOutputStream *stream;
  guint64        count;
} WriterFile;

struct _EnrDatasetWriter
{
  GObject     parent_instance;

  GFile      *directory;
  char       *name;
  guint       shift_horizon_days;
  GHashTable *files;     /* collection name → WriterFile */
  GString    *line;
  guint       finished : 1;
};

G_DEFINE_FINAL_TYPE (EnrDatasetWriter, enr_dataset_writer, G_TYPE_OBJECT)

enum {
  WRITER_PROP_0,
  WRITER_PROP_DIRECTORY,
  WRITER_PROP_NAME,
  WRITER_PROP_SHIFT_HORIZON_DAYS,
  WRITER_N_PROPS
};

static GParamSpec *writer_properties[WRITER_N_PROPS];

/* EnrDatasetWriter */

static void
writer_file_free (gpointer data)
{
  WriterFile *file = data;

  g_clear_object (&file->stream);
  g_free (file);
}

static void
enr_dataset_writer_dispose (GObject *object)
{
  EnrDatasetWriter *self = ENR_DATASET_WRITER (object);

  /* Unfinished: the streams close as their last reference goes, and the
   * directory has no manifest, so no reader takes it for a data set. */
  g_clear_pointer (&self->files, g_hash_table_unref);

  G_OBJECT_CLASS (enr_dataset_writer_parent_class)->dispose (object);
}

static void
enr_dataset_writer_finalize (GObject *object)
{
  EnrDatasetWriter *self = ENR_DATASET_WRITER (object);

  g_clear_object (&self->directory);
  g_clear_pointer (&self->name, g_free);
  g_string_free (self->line, TRUE);

  G_OBJECT_CLASS (enr_dataset_writer_parent_class)->finalize (object);
}

static void
enr_dataset_writer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EnrDatasetWriter *self = ENR_DATASET_WRITER (object);

  switch (prop_id)
    {
    case WRITER_PROP_DIRECTORY:
      g_value_set_object (value, self->directory);
      break;

    case WRITER_PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case WRITER_PROP_SHIFT_HORIZON_DAYS:
      g_value_set_uint (value, self->shift_horizon_days);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_dataset_writer_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EnrDatasetWriter *self = ENR_DATASET_WRITER (object);

  switch (prop_id)
    {
    case WRITER_PROP_DIRECTORY:
      g_set_object (&self->directory, g_value_get_object (value));
      break;

    case WRITER_PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;

    case WRITER_PROP_SHIFT_HORIZON_DAYS:
      enr_dataset_writer_set_shift_horizon_days (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_dataset_writer_class_init (EnrDatasetWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = enr_dataset_writer_dispose;
  object_class->finalize = enr_dataset_writer_finalize;
  object_class->get_property = enr_dataset_writer_get_property;
  object_class->set_property = enr_dataset_writer_set_property;

  writer_properties[WRITER_PROP_DIRECTORY] =
    g_param_spec_object ("directory", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  writer_properties[WRITER_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  writer_properties[WRITER_PROP_SHIFT_HORIZON_DAYS] =
    g_param_spec_uint ("shift-horizon-days", NULL, NULL,
                       0, ENR_DATASET_MAX_HORIZON_DAYS, ENR_DATASET_DEFAULT_HORIZON_DAYS,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, WRITER_N_PROPS, writer_properties);
}

static void
enr_dataset_writer_init (EnrDatasetWriter *self)
{
  self->shift_horizon_days = ENR_DATASET_DEFAULT_HORIZON_DAYS;
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, writer_file_free);
  self->line = g_string_new (NULL);
}

/**
 * enr_dataset_writer_new:
 * @directory: where to write; created with its parents when missing
 * @name: the data set's name for the manifest
 *
 * Starts a data set. An existing manifest.json in @directory is deleted at
 * once, so the directory is not a data set again before
 * enr_dataset_writer_finish() succeeds.
 *
 * Returns: (transfer full) (nullable): the writer, or %NULL with @error set
 */
EnrDatasetWriter *
enr_dataset_writer_new (GFile         *directory,
                        const char    *name,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GFile) manifest = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (directory), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_make_directory_with_parents (directory, cancellable, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_clear_error (&local_error);

  manifest = g_file_get_child (directory, ENR_DATASET_MANIFEST);
  if (!g_file_delete (manifest, cancellable, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "%s: ", ENR_DATASET_MANIFEST);
      return NULL;
    }

  return g_object_new (ENR_TYPE_DATASET_WRITER,
                       "directory", directory,
                       "name", name,
                       NULL);
}

GFile *
enr_dataset_writer_get_directory (EnrDatasetWriter *self)
{
  g_return_val_if_fail (ENR_IS_DATASET_WRITER (self), NULL);

  return self->directory;
}

void
enr_dataset_writer_set_shift_horizon_days (EnrDatasetWriter *self,
                                           guint             days)
{
  g_return_if_fail (ENR_IS_DATASET_WRITER (self));
  g_return_if_fail (days <= ENR_DATASET_MAX_HORIZON_DAYS);

  if (self->shift_horizon_days == days)
    return;

  self->shift_horizon_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), writer_properties[WRITER_PROP_SHIFT_HORIZON_DAYS]);
}

/**
 * enr_dataset_writer_get_count:
 *
 * Returns: how many objects were added to @collection so far
 */
guint64
enr_dataset_writer_get_count (EnrDatasetWriter *self,
                              const char       *collection)
{
  WriterFile *file;

  g_return_val_if_fail (ENR_IS_DATASET_WRITER (self), 0);
  g_return_val_if_fail (collection != NULL, 0);

  if (self->files == NULL)
    return 0;

  file = g_hash_table_lookup (self->files, collection);

  return file != NULL ? file->count : 0;
}

static WriterFile *
writer_open (EnrDatasetWriter  *self,
             const char        *collection,
             GCancellable      *cancellable,
             GError           **error)
{
  g_autofree char *file_name = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) output = NULL;
  WriterFile *writer_file;

  writer_file = g_hash_table_lookup (self->files, collection);
  if (writer_file != NULL)
    return writer_file;

  file_name = _enr_dataset_collection_file_name (collection);
  file = g_file_get_child (self->directory, file_name);
  output = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, error);
  if (output == NULL)
    {
      g_prefix_error (error, "%s: ", file_name);
      return NULL;
    }

  writer_file = g_new0 (WriterFile, 1);
  writer_file->stream = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (output),
                                                            WRITE_BUFFER_SIZE);
  g_hash_table_insert (self->files, g_strdup (collection), writer_file);

  return writer_file;
}

static gboolean
writer_add_node (EnrDatasetWriter  *self,
                 const char        *collection,
                 JsonNode          *node,
                 GCancellable      *cancellable,
                 GError           **error)
{
  g_autofree char *text = NULL;
  WriterFile *file;

  file = writer_open (self, collection, cancellable, error);
  if (file == NULL)
    return FALSE;

  text = enr_json_to_string (node, FALSE);

  g_string_truncate (self->line, 0);
  g_string_append (self->line, text);
  g_string_append_c (self->line, '\n');

  if (!g_output_stream_write_all (file->stream, self->line->str, self->line->len,
                                  NULL, cancellable, error))
    {
      g_prefix_error (error, "%s.jsonl: ", collection);
      return FALSE;
    }

  file->count++;

  return TRUE;
}

/**
 * enr_dataset_writer_add:
 * @collection: a collection name of enr_dataset_collections()
 * @object: an object of the collection's type
 *
 * Appends @object, encoded on one line, to the collection's file.
 *
 * Returns: %TRUE, or %FALSE with @error set when writing failed
 */
gboolean
enr_dataset_writer_add (EnrDatasetWriter  *self,
                        const char        *collection,
                        gpointer           object,
                        GCancellable      *cancellable,
                        GError           **error)
{
  g_autoptr(JsonNode) node = NULL;
  GType type;

  g_return_val_if_fail (ENR_IS_DATASET_WRITER (self), FALSE);
  g_return_val_if_fail (!self->finished, FALSE);
  g_return_val_if_fail (collection != NULL, FALSE);
  type = enr_dataset_collection_type (collection);
  g_return_val_if_fail (type != G_TYPE_INVALID, FALSE);
  g_return_val_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (object, type), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  node = enr_codec_encode (object);

  return writer_add_node (self, collection, node, cancellable, error);
}

/**
 * enr_dataset_writer_add_user:
 * @password: the demo password, written as the line's `password` member
 *
 * As enr_dataset_writer_add() on "users", with the password.
 */
gboolean
enr_dataset_writer_add_user (EnrDatasetWriter  *self,
                             EnrUser           *user,
                             const char        *password,
                             GCancellable      *cancellable,
                             GError           **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (ENR_IS_DATASET_WRITER (self), FALSE);
  g_return_val_if_fail (!self->finished, FALSE);
  g_return_val_if_fail (ENR_IS_USER (user), FALSE);
  g_return_val_if_fail (password != NULL && *password != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  node = enr_codec_encode (user);
  json_object_set_string_member (json_node_get_object (node), "password", password);

  return writer_add_node (self, "users", node, cancellable, error);
}

/**
 * enr_dataset_writer_finish:
 *
 * Flushes and closes every collection file, deletes the files of
 * collections that received no object (left over from an earlier data
 * set in the same directory), then writes manifest.json atomically with
 * the number of customers added.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
enr_dataset_writer_finish (EnrDatasetWriter  *self,
                           GCancellable      *cancellable,
                           GError           **error)
{
  const EnrDatasetCollection *collections = enr_dataset_collections (NULL);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GFile) manifest = NULL;
  g_autofree char *text = NULL;
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_val_if_fail (ENR_IS_DATASET_WRITER (self), FALSE);
  g_return_val_if_fail (!self->finished, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->finished = TRUE;

  g_hash_table_iter_init (&iter, self->files);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      WriterFile *file = value;

      if (!g_output_stream_close (file->stream, cancellable, error))
        {
          g_prefix_error (error, "%s.jsonl: ", (const char *) key);
          return FALSE;
        }
    }

  for (guint i = 0; collections[i].name != NULL; i++)
    {
      g_autofree char *file_name = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(GError) local_error = NULL;

      if (g_hash_table_contains (self->files, collections[i].name))
        continue;

      file_name = _enr_dataset_collection_file_name (collections[i].name);
      file = g_file_get_child (self->directory, file_name);
      if (!g_file_delete (file, cancellable, &local_error) &&
          !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", file_name);
          return FALSE;
        }
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, ENR_DATASET_FORMAT);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "customers");
  json_builder_add_int_value (builder, (gint64) enr_dataset_writer_get_count (self, "customers"));
  json_builder_set_member_name (builder, "shift_horizon_days");
  json_builder_add_int_value (builder, self->shift_horizon_days);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  text = enr_json_to_string (root, TRUE);
  manifest = g_file_get_child (self->directory, ENR_DATASET_MANIFEST);

  if (!g_file_replace_contents (manifest, text, strlen (text), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, error))
    {
      g_prefix_error (error, "%s: ", ENR_DATASET_MANIFEST);
      return FALSE;
    }

  return TRUE;
}

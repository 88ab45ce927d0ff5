/* enr-dataset.h — data sets: a manifest and one JSON Lines file per collection
 *
 * A data set is a directory (docs/model.md, "Data sets"): manifest.json and
 * <collection>.jsonl files of one encoded object per line. The reader
 * streams a collection line by line and never holds more than one line, so
 * a data set of a million customers loads in constant memory. The writer is
 * the other end, used by enrollment-sample-data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-user.h"

G_BEGIN_DECLS

#define ENR_DATASET_FORMAT            1
#define ENR_DATASET_MANIFEST          "manifest.json"
#define ENR_DATASET_MAX_LINE          (1024 * 1024)
#define ENR_DATASET_MAX_MANIFEST      (64 * 1024)
#define ENR_DATASET_MAX_HORIZON_DAYS  366
#define ENR_DATASET_DEFAULT_HORIZON_DAYS 56

/**
 * EnrDatasetCollection:
 * @name: the collection's name; its file is @name + ".jsonl"
 * @type: the GType of its objects
 */
typedef struct
{
  const char *name;
  GType       type;
} EnrDatasetCollection;

const EnrDatasetCollection *enr_dataset_collections     (guint      *n_collections);
GType                       enr_dataset_collection_type (const char *name);

/**
 * EnrDatasetFunc:
 * @object: (transfer none): the decoded object; take a reference to keep it
 * @line_number: its line in the file, from 1
 * @user_data: the data given to enr_dataset_reader_foreach()
 * @error: where to report why the iteration must stop
 *
 * Returns: %TRUE to go on, %FALSE (with @error set) to stop
 */
typedef gboolean (*EnrDatasetFunc)     (gpointer     object,
                                        guint64      line_number,
                                        gpointer     user_data,
                                        GError     **error);

/**
 * EnrDatasetRowFunc:
 * @object: (transfer none): the decoded object; take a reference to keep it
 * @row: (transfer full): the line's JSON, compact (free it with g_free())
 * @line_number: its line in the file, from 1
 * @user_data: the data given to enr_dataset_reader_foreach_row()
 * @error: where to report why the iteration must stop
 *
 * Returns: %TRUE to go on, %FALSE (with @error set) to stop
 */
typedef gboolean (*EnrDatasetRowFunc)  (gpointer     object,
                                        char        *row,
                                        guint64      line_number,
                                        gpointer     user_data,
                                        GError     **error);

/**
 * EnrDatasetUserFunc:
 * @user: (transfer none): the decoded user
 * @password: the line's `password` member (demo data only), never empty
 *
 * As #EnrDatasetFunc, for users.jsonl.
 */
typedef gboolean (*EnrDatasetUserFunc) (EnrUser     *user,
                                        const char  *password,
                                        guint64      line_number,
                                        gpointer     user_data,
                                        GError     **error);

#define ENR_TYPE_DATASET_READER (enr_dataset_reader_get_type ())

G_DECLARE_FINAL_TYPE (EnrDatasetReader, enr_dataset_reader, ENR, DATASET_READER, GObject)

EnrDatasetReader *enr_dataset_reader_new                    (GFile               *directory,
                                                             GCancellable        *cancellable,
                                                             GError             **error);
GFile            *enr_dataset_reader_get_directory          (EnrDatasetReader    *self);
const char       *enr_dataset_reader_get_name               (EnrDatasetReader    *self);
guint64           enr_dataset_reader_get_customers          (EnrDatasetReader    *self);
guint             enr_dataset_reader_get_shift_horizon_days (EnrDatasetReader    *self);
gboolean          enr_dataset_reader_foreach                (EnrDatasetReader    *self,
                                                             const char          *collection,
                                                             GType                type,
                                                             EnrDatasetFunc       func,
                                                             gpointer             user_data,
                                                             GCancellable        *cancellable,
                                                             GError             **error);
gboolean          enr_dataset_reader_foreach_row            (EnrDatasetReader    *self,
                                                             const char          *collection,
                                                             GType                type,
                                                             EnrDatasetRowFunc    func,
                                                             gpointer             user_data,
                                                             GCancellable        *cancellable,
                                                             GError             **error);
gboolean          enr_dataset_reader_foreach_user           (EnrDatasetReader    *self,
                                                             EnrDatasetUserFunc   func,
                                                             gpointer             user_data,
                                                             GCancellable        *cancellable,
                                                             GError             **error);

#define ENR_TYPE_DATASET_WRITER (enr_dataset_writer_get_type ())

G_DECLARE_FINAL_TYPE (EnrDatasetWriter, enr_dataset_writer, ENR, DATASET_WRITER, GObject)

EnrDatasetWriter *enr_dataset_writer_new                    (GFile               *directory,
                                                             const char          *name,
                                                             GCancellable        *cancellable,
                                                             GError             **error);
GFile            *enr_dataset_writer_get_directory          (EnrDatasetWriter    *self);
void              enr_dataset_writer_set_shift_horizon_days (EnrDatasetWriter    *self,
                                                             guint                days);
guint64           enr_dataset_writer_get_count              (EnrDatasetWriter    *self,
                                                             const char          *collection);
gboolean          enr_dataset_writer_add                    (EnrDatasetWriter    *self,
                                                             const char          *collection,
                                                             gpointer             object,
                                                             GCancellable        *cancellable,
                                                             GError             **error);
gboolean          enr_dataset_writer_add_user               (EnrDatasetWriter    *self,
                                                             EnrUser             *user,
                                                             const char          *password,
                                                             GCancellable        *cancellable,
                                                             GError             **error);
gboolean          enr_dataset_writer_finish                 (EnrDatasetWriter    *self,
                                                             GCancellable        *cancellable,
                                                             GError             **error);

G_END_DECLS

/* enr-core-private.h — what the core's own files share
 *
 * Not part of the core's API (enr-core.h does not include it).
 *
 * Setters for fields: each stores a copy of (or a reference to) @value
 * when it differs from the field's value and says whether it did, so a
 * property setter notifies only on a change:
 *
 *   if (enr_set_string (&self->name, name))
 *     g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-equal.h"

G_BEGIN_DECLS

gboolean enr_set_string     (char               **field,
                             const char          *value);
gboolean enr_set_strv       (char              ***field,
                             const char * const  *value);
gboolean enr_set_date       (GDate              **field,
                             const GDate         *value);
gboolean enr_set_date_time  (GDateTime          **field,
                             GDateTime           *value);
/* A %NULL @value leaves an empty array of objects. */
gboolean enr_set_array      (GPtrArray          **field,
                             GPtrArray           *value);

/* enr-dataset.c: the file of a data set's collection. */
char    *_enr_dataset_collection_file_name (const char *collection);

G_END_DECLS

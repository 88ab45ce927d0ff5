/* enr-service-copy.h — moving an SQLite deployment to PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint  tables;
  gint64 rows;
  int    schema_version;
} EnrServiceCopyReport;

gboolean enr_service_copy_to_postgresql (const char            *source,
                                         const char            *target,
                                         EnrServiceCopyReport  *report,
                                         GError               **error);

G_END_DECLS

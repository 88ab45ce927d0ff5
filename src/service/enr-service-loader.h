/* enr-service-loader.h — import a data set into the service's store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-service-store.h"

G_BEGIN_DECLS

typedef struct
{
  char    *name;
  guint64  records;
  guint    crew_shifts;
  guint    shift_horizon_days;
  /* "username password role" of every user that has a password (demo) */
  GPtrArray *users;
} EnrServiceLoadReport;

gboolean enr_service_load_dataset       (EnrServiceStore       *store,
                                         GFile                 *directory,
                                         const GDate           *today,
                                         EnrServiceLoadReport **report,
                                         GError               **error);
void     enr_service_load_report_free   (EnrServiceLoadReport  *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServiceLoadReport, enr_service_load_report_free)

G_END_DECLS

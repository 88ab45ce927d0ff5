/* enr-service-backup.h — online backup and restore of the service's SQLite database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 pages;
  gint64 bytes;
  int    schema_version;
} EnrServiceBackupReport;

/* The running service holds this lock on its database file for as long as
 * it has it open; restore takes it too. */
typedef struct _EnrServiceLock EnrServiceLock;

EnrServiceLock *enr_service_lock_database   (const char              *database,
                                             GError                 **error);
void            enr_service_lock_release    (EnrServiceLock          *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServiceLock, enr_service_lock_release)

gboolean        enr_service_backup          (const char              *database,
                                             const char              *destination,
                                             EnrServiceBackupReport  *report,
                                             GError                 **error);
gboolean        enr_service_restore         (const char              *database,
                                             const char              *source,
                                             EnrServiceBackupReport  *report,
                                             char                   **replaced,
                                             GError                 **error);

G_END_DECLS

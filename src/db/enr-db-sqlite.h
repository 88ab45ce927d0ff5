/* enr-db-sqlite.h — what only SQLite has, for the code that calls it
 * directly (the full-text search of both stores)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "enr-db.h"

G_BEGIN_DECLS

fts5_api     *enr_db_sqlite_get_fts5_api     (sqlite3          *handle);

G_END_DECLS

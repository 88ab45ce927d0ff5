/* enr-service-store-private.h — what the service store's own files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-core.h"
#include "enr-service-store.h"

G_BEGIN_DECLS

/* Decoded reference data (programs, their types, initiatives, task and
 * activity types): only the loader writes it, so it is read once and
 * dropped whenever its table is written or a transaction rolls back. */
typedef struct
{
  GHashTable *by_id;     /* id → object */
  GPtrArray  *objects;   /* by id */
} ReferenceCache;

/* A signed-in session as authentication needs it. Its expiry is checked on
 * every use; sign-out removes it. */
typedef struct
{
  EnrUser *user;
  gint64   expires_at;
} CachedSession;

struct _EnrServiceStore
{
  GObject     parent_instance;

  EnrDb      *db;
  GHashTable *reference;   /* GType → ReferenceCache */
  GHashTable *sessions;    /* token digest → CachedSession */
};

/* One table per entity type: its change-feed name and the properties
 * copied into indexed columns (column name = property name with '_'). */
typedef struct
{
  GType       (*get_type) (void);
  const char   *name;
  const char   *table;
  const char   *columns[6];
} TableInfo;

/* enr-service-store.c */
EnrDbStmt       *_enr_service_store_prepare       (EnrServiceStore  *self,
                                                   const char       *sql,
                                                   GError          **error);
void             _enr_service_store_drop_caches   (EnrServiceStore  *self);

/* enr-service-store-schema.c */
const TableInfo *_enr_service_store_find_table    (GType             type);
GType            _enr_service_store_column_type   (const TableInfo  *info,
                                                   const char       *column);
char            *_enr_service_store_column_name   (const char       *property);
gboolean         _enr_service_store_migrate       (EnrServiceStore  *self,
                                                   GError          **error);

G_END_DECLS

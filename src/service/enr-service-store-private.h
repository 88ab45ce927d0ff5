/* enr-service-store-private.h — what the service store's own files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-core.h"
#include "enr-db-sqlite.h"
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

/* What the stores of one service share (each pool connection has a store
 * of its own): the generation of the reference data, bumped when it
 * changes (here, or on another instance: a notification). */
struct _EnrServiceCaches
{
  gatomicrefcount ref_count;
  gint            generation;
};

struct _EnrServiceStore
{
  GObject           parent_instance;

  EnrDb            *db;
  EnrServiceCaches *caches;
  gint              reference_generation;   /* of the cached reference data */
  GHashTable       *reference;              /* GType → ReferenceCache */
  GHashTable       *code_values;            /* "list code" set, reference data too;
                                             * NULL until read */
  GHashTable       *sessions;               /* token digest → CachedSession (SQLite) */
  char             *channel;                /* PostgreSQL: where changes are announced */
  gboolean          reference_changed;      /* by the open transaction */
  gboolean          feed_marked;            /* the open transaction's feed position is held */
  EnrDbStmt        *claim;                  /* PostgreSQL: the key claim sent ahead, not yet read */
  gboolean          changes_committed;      /* a transaction that wrote changes committed (or may
                                             * have) since enr_service_store_take_changes_committed() */
  EnrDbSqliteTokenizer *search_tokenizer;   /* SQLite: the search tables' tokenizer */
  GHashTable       *locked_versions;        /* PostgreSQL: "table id" → version, rows the
                                             * open transaction read FOR UPDATE and did not
                                             * write since */
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
gboolean         _enr_service_store_run_late      (EnrServiceStore  *self,
                                                  EnrDbStmt        *stmt,
                                                  GError          **error);
EnrDbStmt       *_enr_service_store_prepare       (EnrServiceStore  *self,
                                                   const char       *sql,
                                                   GError          **error);
/* @sql a string literal: found by its address (enr_db_prepare_static()) */
EnrDbStmt       *_enr_service_store_prepare_static (EnrServiceStore  *self,
                                                    const char       *sql,
                                                    GError          **error);
void             _enr_service_store_drop_caches   (EnrServiceStore  *self);
void             _enr_service_store_forget_reference (EnrServiceStore *self,
                                                   GType             type);
void             _enr_service_store_check_generation (EnrServiceStore *self);

/* enr-service-store-entities.c */
const char      *_enr_service_store_for_update    (EnrServiceStore  *self);
gint64           _enr_service_store_appointment_seconds (EnrAppointment *appointment);

/* enr-service-store-schema.c */
const TableInfo *_enr_service_store_find_table    (GType             type);
GType            _enr_service_store_column_type   (const TableInfo  *info,
                                                   const char       *column);
char            *_enr_service_store_column_name   (const char       *property);
gboolean         _enr_service_store_migrate       (EnrServiceStore  *self,
                                                   GError          **error);

/* enr-service-store-queries.c */
gboolean         _enr_service_store_fill_name_prefixes
                                                  (EnrServiceStore  *self,
                                                   GError          **error);
gboolean         _enr_service_store_init_search   (EnrServiceStore  *self,
                                                   GError          **error);
void             _enr_service_store_clear_search  (EnrServiceStore  *self);

G_END_DECLS

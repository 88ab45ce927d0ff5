/* enr-db.h — one database layer for the client store and the service store
 *
 * An EnrDb is one connection, to an SQLite file or to a PostgreSQL
 * database (a postgresql:// URI; libpq fills in the rest from the PG*
 * environment). It is used by one thread at a time. What both stores used
 * to write each for itself is here once:
 *
 *  - statements cached per SQL text, handed back reset and unbound; SQL is
 *    written once with $1, $2… placeholders (SQLite numbers $N by first
 *    appearance, so they become ?N there);
 *  - one rule per type for binding a GObject property (see
 *    enr_db_stmt_bind_property()) and for binding a value given as text;
 *  - stepping, row access and one error domain whose codes say what the
 *    caller can do (retry, report a conflict, give up);
 *  - transactions and savepoints;
 *  - numbered migrations, each in its own transaction with its version,
 *    refusing a database newer than the program.
 *
 * Where the dialects differ (full-text search, JSON functions, PRAGMAs) the
 * caller asks enr_db_get_backend() and writes both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ENR_DB_ERROR (enr_db_error_quark ())

typedef enum
{
  ENR_DB_ERROR_FAILED,
  ENR_DB_ERROR_BUSY,          /* locked, a deadlock or a serialization failure: retry */
  ENR_DB_ERROR_NOT_FOUND,
  ENR_DB_ERROR_CONSTRAINT,
  ENR_DB_ERROR_CORRUPT,
  ENR_DB_ERROR_SCHEMA,        /* written by a newer program */
  ENR_DB_ERROR_CONNECTION,    /* the server is gone; what the transaction held is lost */
  ENR_DB_ERROR_INVALID,       /* a value the column cannot hold */
} EnrDbError;

typedef enum
{
  ENR_DB_SQLITE,
  ENR_DB_POSTGRESQL,
} EnrDbBackend;

typedef enum
{
  ENR_DB_STEP_ERROR = -1,
  ENR_DB_STEP_DONE = 0,
  ENR_DB_STEP_ROW = 1,
} EnrDbStep;

typedef struct _EnrDb     EnrDb;
typedef struct _EnrDbStmt EnrDbStmt;

/* enr_db_keep_snapshots(): a kept snapshot was begun. */
typedef void (*EnrDbSnapshotFunc) (EnrDb    *db,
                                   gpointer  user_data);

/* One step of a schema: a script per dialect (NULL: nothing to do there)
 * and code run after it in the same transaction. */
typedef struct
{
  const char *sqlite;
  const char *postgresql;
  gboolean  (*run) (EnrDb     *db,
                    gpointer   user_data,
                    GError   **error);
} EnrDbMigration;

GQuark        enr_db_error_quark             (void);

gboolean      enr_db_is_uri                  (const char       *target);
EnrDb        *enr_db_open                    (const char       *target,
                                              GError          **error);
EnrDb        *enr_db_wrap_sqlite             (gpointer          handle,
                                              const char       *name);
void          enr_db_close                   (EnrDb            *db);
EnrDbBackend  enr_db_get_backend             (EnrDb            *db);
const char   *enr_db_get_name                (EnrDb            *db);
gboolean      enr_db_is_connected            (EnrDb            *db);
gboolean      enr_db_reconnect               (EnrDb            *db,
                                              GError          **error);
gpointer      enr_db_get_handle              (EnrDb            *db);
const char   *enr_db_get_target              (EnrDb            *db);
gboolean      enr_db_failed_transiently      (EnrDb            *db);
gboolean      enr_db_get_traffic             (EnrDb            *db,
                                              guint64          *round_trips,
                                              guint64          *statements);

gboolean      enr_db_exec                    (EnrDb            *db,
                                              const char       *sql,
                                              GError          **error);
EnrDbStmt    *enr_db_prepare                 (EnrDb            *db,
                                              const char       *sql,
                                              GError          **error);
EnrDbStmt    *enr_db_prepare_static          (EnrDb            *db,
                                              const char       *sql,
                                              GError          **error);
void          enr_db_forget_statements       (EnrDb            *db);
gint64        enr_db_changes                 (EnrDb            *db);

gboolean      enr_db_begin                   (EnrDb            *db,
                                              GError          **error);
gboolean      enr_db_begin_read              (EnrDb            *db,
                                              GError          **error);
gboolean      enr_db_commit                  (EnrDb            *db,
                                              GError          **error);
void          enr_db_rollback                (EnrDb            *db);
gboolean      enr_db_in_transaction          (EnrDb            *db);
gboolean      enr_db_transaction_begun       (EnrDb            *db);
gboolean      enr_db_transaction_alive       (EnrDb            *db);
void          enr_db_keep_snapshots          (EnrDb            *db,
                                              EnrDbSnapshotFunc func,
                                              gpointer          user_data);
gboolean      enr_db_holds_snapshot          (EnrDb            *db);
void          enr_db_drop_snapshot           (EnrDb            *db);
guint64       enr_db_count_snapshots         (EnrDb            *db);
gboolean      enr_db_savepoint               (EnrDb            *db,
                                              const char       *name,
                                              GError          **error);
gboolean      enr_db_release                 (EnrDb            *db,
                                              const char       *name,
                                              GError          **error);
gboolean      enr_db_rollback_to             (EnrDb            *db,
                                              const char       *name,
                                              GError          **error);

int           enr_db_get_schema_version      (EnrDb            *db,
                                              GError          **error);
gboolean      enr_db_migrate                 (EnrDb            *db,
                                              const EnrDbMigration *steps,
                                              guint             n_steps,
                                              gpointer          user_data,
                                              GError          **error);

/* Binding; @index counts from 1, as $1 does. */
void          enr_db_stmt_bind_null          (EnrDbStmt        *stmt,
                                              int               index);
void          enr_db_stmt_bind_text          (EnrDbStmt        *stmt,
                                              int               index,
                                              const char       *text);
void          enr_db_stmt_bind_text_static   (EnrDbStmt        *stmt,
                                              int               index,
                                              const char       *text);
void          enr_db_stmt_bind_int64         (EnrDbStmt        *stmt,
                                              int               index,
                                              gint64            value);
void          enr_db_stmt_bind_double        (EnrDbStmt        *stmt,
                                              int               index,
                                              double            value);
void          enr_db_stmt_bind_blob          (EnrDbStmt        *stmt,
                                              int               index,
                                              gconstpointer     data,
                                              gsize             size);
void          enr_db_stmt_bind_value         (EnrDbStmt        *stmt,
                                              int               index,
                                              const GValue     *value);
void          enr_db_stmt_bind_property      (EnrDbStmt        *stmt,
                                              int               index,
                                              GObject          *object,
                                              const char       *property);
gboolean      enr_db_stmt_bind_lookup        (EnrDbStmt        *stmt,
                                              int               index,
                                              GType             type,
                                              const char       *text,
                                              GError          **error);
gboolean      enr_db_type_is_bindable        (GType             type);

/* Running */
EnrDbStep     enr_db_stmt_step               (EnrDbStmt        *stmt,
                                              GError          **error);
gboolean      enr_db_stmt_run                (EnrDbStmt        *stmt,
                                              GError          **error);
void          enr_db_stmt_reset              (EnrDbStmt        *stmt);
void          enr_db_stmt_defer              (EnrDbStmt        *stmt);
void          enr_db_drop_deferred           (EnrDb            *db);
GPtrArray    *enr_db_stmt_collect_text       (EnrDbStmt        *stmt,
                                              int               column,
                                              GError          **error);

/* The current row; @column counts from 0. */
gboolean      enr_db_stmt_column_is_null     (EnrDbStmt        *stmt,
                                              int               column);
const char   *enr_db_stmt_column_text        (EnrDbStmt        *stmt,
                                              int               column);
char         *enr_db_stmt_column_dup         (EnrDbStmt        *stmt,
                                              int               column);
gsize         enr_db_stmt_column_length      (EnrDbStmt        *stmt,
                                              int               column);
gint64        enr_db_stmt_column_int64       (EnrDbStmt        *stmt,
                                              int               column);
double        enr_db_stmt_column_double      (EnrDbStmt        *stmt,
                                              int               column);
GBytes       *enr_db_stmt_column_blob        (EnrDbStmt        *stmt,
                                              int               column);

/* SQL written for SQLite with ?N or $N placeholders, for PostgreSQL with $N. */
char         *enr_db_translate_placeholders  (const char       *sql,
                                              int              *n_params);

G_END_DECLS

/* enr-db-private.h — what the database layer's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libpq-fe.h>
#include <sqlite3.h>

#include "enr-db.h"

G_BEGIN_DECLS

struct _EnrDb
{
  EnrDbBackend  backend;
  char         *name;            /* a path, or "database D on H:P": never a password */
  char         *conninfo;        /* PostgreSQL: what enr_db_open() was given */
  sqlite3      *sqlite;
  gboolean      borrowed;        /* SQLite: the caller's connection, left open */
  PGconn       *pg;
  GHashTable   *statements;      /* SQL text → EnrDbStmt */
  GHashTable   *static_statements; /* enr_db_prepare_static(): the text's address → EnrDbStmt */
  guint         next_statement;  /* PostgreSQL: names of prepared statements */
  gboolean      in_transaction;
  gboolean      transient;       /* a statement since BEGIN failed for a passing reason */
  gboolean      read_only;       /* the open transaction only reads */
  /* SQLite, enr_db_keep_snapshots(): a read transaction kept open between
   * the caller's reads, outside any transaction of the caller's */
  EnrDbSnapshotFunc snapshot_func;
  gpointer      snapshot_data;
  gboolean      held;            /* one is open */
  gboolean      read_in_held;    /* the open read transaction is that one */
  guint64       snapshots_held;  /* how many were begun */
  const char   *pending_begin;   /* PostgreSQL: BEGIN, sent with the first statement */
  gboolean      commit_in_flight;/* PostgreSQL: a read's COMMIT whose answer is unread */
  GPtrArray    *deferred;        /* PostgreSQL: statements sent with the next one */
  /* PostgreSQL, enr_db_get_traffic(): the times it waited for the server,
   * and the statements it sent (not PREPAREs) */
  guint64       sent_round_trips;
  guint64       sent_statements;
  gint64        changes;
};

struct _EnrDbStmt
{
  EnrDb        *db;
  char         *sql;             /* as the caller wrote it */
  int           n_params;

  /* SQLite */
  sqlite3_stmt *sqlite;

  /* PostgreSQL: a named prepared statement, its parameters as text (or
   * binary for blobs) and the whole result of the last run */
  char         *name;
  gboolean      prepared;
  char        **values;
  int          *lengths;
  int          *formats;
  PGresult     *result;
  int           row;
  int           n_rows;
  gboolean      executed;
  gboolean      queued;          /* in db->deferred */
};

void          _enr_db_note_error         (EnrDb           *db,
                                          EnrDbError       code);
void          _enr_db_set_error          (GError         **error,
                                          EnrDbError       code,
                                          const char      *format,
                                          ...) G_GNUC_PRINTF (3, 4);

/* enr-db-sqlite.c */
gboolean      _enr_db_sqlite_open        (EnrDb           *db,
                                          const char      *path,
                                          GError         **error);
void          _enr_db_sqlite_close       (EnrDb           *db);
void          _enr_db_sqlite_set_error   (EnrDb           *db,
                                          int              rc,
                                          GError         **error);
gboolean      _enr_db_sqlite_exec        (EnrDb           *db,
                                          const char      *sql,
                                          GError         **error);
gboolean      _enr_db_sqlite_prepare     (EnrDbStmt       *stmt,
                                          GError         **error);
EnrDbStep     _enr_db_sqlite_step        (EnrDbStmt       *stmt,
                                          GError         **error);
int           _enr_db_sqlite_get_version (EnrDb           *db,
                                          GError         **error);

/* enr-db-postgresql.c */
gboolean      _enr_db_pg_open            (EnrDb           *db,
                                          const char      *conninfo,
                                          GError         **error);
void          _enr_db_pg_close           (EnrDb           *db);
gboolean      _enr_db_pg_check           (EnrDb           *db,
                                          PGresult        *result,
                                          GError         **error);
gboolean      _enr_db_pg_exec            (EnrDb           *db,
                                          const char      *sql,
                                          GError         **error);
void          _enr_db_pg_begin           (EnrDb           *db,
                                          const char      *sql);
gboolean      _enr_db_pg_commit          (EnrDb           *db,
                                          GError         **error);
void          _enr_db_pg_rollback        (EnrDb           *db);
EnrDbStep     _enr_db_pg_step            (EnrDbStmt       *stmt,
                                          GError         **error);
void          _enr_db_pg_stmt_clear      (EnrDbStmt       *stmt);
void          _enr_db_pg_unqueue         (EnrDbStmt       *stmt);
void          _enr_db_pg_drop_deferred   (EnrDb           *db);
gboolean      _enr_db_pg_flush           (EnrDb           *db,
                                          GError         **error);
void          _enr_db_pg_stmt_free       (EnrDbStmt       *stmt);
int           _enr_db_pg_get_version     (EnrDb           *db,
                                          GError         **error);
gboolean      _enr_db_pg_set_version     (EnrDb           *db,
                                          int              version,
                                          GError         **error);
gboolean      _enr_db_pg_lock_schema     (EnrDb           *db,
                                          GError         **error);

G_END_DECLS

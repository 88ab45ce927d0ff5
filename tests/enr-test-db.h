/* enr-test-db.h — the database a test runs against: SQLite, or PostgreSQL
 *
 * With ENR_TEST_DATABASE=postgresql in the environment (meson's *-postgresql
 * suites; build-aux/test runs them under pg_virtualenv), every database a
 * test asks for is a new schema of the PostgreSQL database the PG*
 * variables name, dropped when the test ends; otherwise it is the SQLite
 * file the test names. enr_test_db_pq_exec() runs a statement of the
 * test's own on a connection it opened to the server (a lock it holds, a
 * LISTEN), and stops the test when the statement fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

gboolean  enr_test_db_is_postgresql  (void);
gboolean  enr_test_db_check_server   (void);
char     *enr_test_db_new            (const char *sqlite_path);
char     *enr_test_db_for            (const char *sqlite_path);
char     *enr_test_db_schema_of      (const char *target);
void      enr_test_db_sql            (const char *target,
                                      const char *sql);
char     *enr_test_db_query          (const char *target,
                                      const char *sql);
void      enr_test_db_drop_all       (void);

void      enr_test_db_pq_exec        (PGconn     *conn,
                                      const char *sql);

G_END_DECLS

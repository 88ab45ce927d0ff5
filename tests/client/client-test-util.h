/* client-test-util.h — fixtures of the client suite: a store with the
 * sample data, a context, bounded waits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-context.h"
#include "enr-outbox.h"

G_BEGIN_DECLS

#define HOUR 3600
#define DAY  86400

typedef struct
{
  char       *directory;
  char       *store_path;
  EnrStore   *store;
  EnrContext *context;
  GDate       today;
  gint64      now;
} ClientFixture;

/* A temporary store filled from data/sample ($ENR_SOURCE_ROOT) as on a
 * fixed Monday (the first weekday of June 2026), and a context signed in
 * as USERNAME with ROLE. */
void            client_fixture_set_up       (ClientFixture  *fixture,
                                             const char     *username,
                                             EnrRole         role);
void            client_fixture_tear_down    (ClientFixture  *fixture);
/* Closes the store and the context and opens them again, as a restart. */
void            client_fixture_reopen       (ClientFixture  *fixture);

/* A fixed Monday, the first weekday of June 2026, so that the data and
 * the expected answers do not depend on the day the tests run. */
void            client_set_test_today       (GDate          *today);
/* Loads data/sample ($ENR_SOURCE_ROOT) into STORE, as on TODAY. */
void            client_import_sample        (EnrStore       *store,
                                             const GDate    *today);
/* Removes DIRECTORY and the files in it. */
void            client_remove_directory     (const char     *directory);

/* Stores OBJECT (taken) as a TYPE record. */
void            client_put                  (EnrStore       *store,
                                             GType           type,
                                             gpointer        object);
/* The record of TYPE and ID in STORE (a new reference), asserted. */
gpointer        client_get                  (EnrStore       *store,
                                             GType           type,
                                             const char     *id);
/* The operations queued of KIND, in any state. */
guint           client_count_operations     (ClientFixture  *fixture,
                                             EnrOperationKind kind);
/* The operations of STATE, oldest first (asserted readable). */
GPtrArray      *client_list_operations      (ClientFixture  *fixture,
                                             EnrOperationState state);

/* A service task created AGE seconds before NOW (Unix time), with its
 * transitions, version 3. */
EnrServiceTask *client_make_task            (gint64          now,
                                             const char     *id,
                                             const char     *customer_id,
                                             const char     *program_id,
                                             EnrTaskKind     kind,
                                             EnrTaskStatus   status,
                                             const char     *created_by,
                                             gint64          age);
/* The seven tasks of the supervisors' tests, aged against NOW:
 * task-m-0001 In Progress with a booked appointment (appt-m-0001) and a
 * communication, 0002 Pending, 0003 Error, 0004 Completed, 0005 In
 * Progress, 0006 Canceled, 0007 Validate. */
void            client_add_supervisor_tasks (EnrStore       *store,
                                             gint64          now);
/* A save-task of TASK_ID in conflict with the service's copy (status
 * Validate, version 7); its sequence number. */
gint64          client_make_conflict        (EnrStore       *store,
                                             const char     *task_id);
/* The first crew shift of CREW_ID in STORE. */
EnrCrewShift   *client_first_shift          (EnrStore       *store,
                                             const char     *crew_id);

/* Iterates the default main context until CONDITION (DATA) holds, for at
 * most ten seconds; FALSE when it never did. */
gboolean        client_wait_until           (gboolean      (*condition) (gpointer),
                                             gpointer        data);

G_END_DECLS

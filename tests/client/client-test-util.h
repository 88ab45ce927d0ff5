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

/* Stores OBJECT (taken) as a TYPE record. */
void            client_put                  (ClientFixture  *fixture,
                                             GType           type,
                                             gpointer        object);
/* The record of TYPE and ID in the store (a new reference), asserted. */
gpointer        client_get                  (ClientFixture  *fixture,
                                             GType           type,
                                             const char     *id);
/* The operations queued of KIND, in any state. */
guint           client_count_operations     (ClientFixture  *fixture,
                                             EnrOperationKind kind);
/* The operations of STATE, oldest first (asserted readable). */
GPtrArray      *client_list_operations      (ClientFixture  *fixture,
                                             EnrOperationState state);

/* A service task created AGE seconds before fixture->now. */
EnrServiceTask *client_make_task            (ClientFixture  *fixture,
                                             const char     *id,
                                             const char     *customer_id,
                                             const char     *program_id,
                                             EnrTaskKind     kind,
                                             EnrTaskStatus   status,
                                             const char     *created_by,
                                             gint64          age);
/* The seven tasks of the supervisors' tests (as tests/ui/test-monitor.c):
 * task-m-0001 In Progress with a booked appointment (appt-m-0001) and a
 * communication, 0002 Pending, 0003 Error, 0004 Completed, 0005 In
 * Progress, 0006 Canceled, 0007 Validate. */
void            client_add_supervisor_tasks (ClientFixture  *fixture);
/* The first crew shift of CREW_ID in the store. */
EnrCrewShift   *client_first_shift          (ClientFixture  *fixture,
                                             const char     *crew_id);

/* Iterates the default main context until CONDITION (DATA) holds, for at
 * most ten seconds; FALSE when it never did. */
gboolean        client_wait_until           (gboolean      (*condition) (gpointer),
                                             gpointer        data);

G_END_DECLS

/* sync-test-util.h — the real enrollment-service, bounded waits, fixtures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "enr-sync-engine.h"

G_BEGIN_DECLS

#define TEST_CLERK_PASSWORD      "clerk-demo-pass"
#define TEST_SUPERVISOR_PASSWORD "supervisor-demo-pass"
#define TEST_DEAD_URL            "http://127.0.0.1:1"

typedef struct
{
  GSubprocess *process;
  char        *directory;
  char        *database;
  char        *url;
  guint16      port;
} TestService;

/* The service on 127.0.0.1:0 with a fresh database loaded from @dataset
 * (NULL: data/sample), without a rate limit unless @extra says otherwise. */
TestService *test_service_start        (const char          *dataset,
                                        const char * const  *extra);
TestService *test_service_start_full    (const char          *dataset,
                                        const char * const  *extra,
                                        gboolean             leak_check);
TestService *test_service_start_on     (const char          *database,
                                        const char          *dataset,
                                        gboolean             load,
                                        const char * const  *extra,
                                        gboolean             leak_check);
void         test_service_stop         (TestService         *service);
void         test_service_kill         (TestService         *service);
guint        test_service_count_connections (TestService    *service);
guint16      test_free_port            (void);
GSubprocess *test_haproxy_start        (GPtrArray           *services,
                                        char               **url);

/* Raw HTTP, to look at the service from outside the code under test. */
JsonNode    *test_http                 (const char          *base_url,
                                        const char          *method,
                                        const char          *path,
                                        const char          *token,
                                        const char          *idempotency_key,
                                        gint64               if_match,
                                        const char          *body,
                                        guint               *status);
char        *test_sign_in              (const char          *base_url,
                                        const char          *username,
                                        const char          *password);
char        *test_json_string          (JsonNode            *root,
                                        const char          *path);
gint64       test_json_int             (JsonNode            *root,
                                        const char          *path);

/* Bounded waits: never an unbounded main loop. */
gboolean     test_wait_for_flag        (gboolean            *flag,
                                        guint                timeout_ms);
gboolean     test_sync                 (EnrSyncEngine       *engine,
                                        guint                timeout_ms,
                                        GError             **error);
gboolean     test_sync_until_drained   (EnrSyncEngine       *engine,
                                        guint                timeout_ms);
EnrUser     *test_user_new             (const char          *username,
                                        EnrRole              role);
EnrUser     *test_engine_sign_in       (EnrSyncEngine       *engine,
                                        const char          *username,
                                        const char          *password);

/* Data sets */
char        *test_generate_dataset     (guint                customers,
                                        guint                seed);
GPtrArray   *test_free_customers       (const char          *dataset,
                                        const char          *program_id);
void         test_remove_tree          (const char          *path);

/* A temporary store. */
char        *test_store_path           (const char          *name);

/* Local work, as the GUI would do it. */
EnrProcessFlow *test_new_flow          (const char          *customer_id,
                                        const char          *program_id);
void         test_flow_set_notes       (EnrProcessFlow      *flow,
                                        const char          *notes);
const char  *test_task_get_notes       (EnrServiceTask      *task);

G_END_DECLS

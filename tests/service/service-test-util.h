/* service-test-util.h — the real enrollment-service for tests: start it on
 * an ephemeral loopback port, stop it, count its descriptors, and talk raw
 * HTTP/1.1 to it over plain sockets (what no well-behaved client sends)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *output;
  char             *url;
  char             *database;
  GInetSocketAddress *address;
} ServiceTestServer;

typedef struct
{
  guint       status;
  char       *head;     /* status line and fields, up to the blank line */
  GHashTable *fields;   /* lower-case name → value (the last one) */
  GBytes     *body;
} ServiceTestResponse;

/* @tls: LeakSanitizer's exit scan crashes in the TLS backend's threads, so
 * a TLS server runs without it (ASan and UBSan stay on). @max_files: the
 * descriptor limit (soft and hard) of the service, 0 to inherit ours. */
ServiceTestServer   *service_test_server_start      (const char          *database,
                                                     gboolean             load,
                                                     const char * const  *extra,
                                                     gboolean             tls,
                                                     guint                max_files);
/* @environment: NAME=VALUE pairs set for the service alone (through the
 * launcher: never g_setenv() in the test, whose threads may run). */
ServiceTestServer   *service_test_server_start_full (const char          *database,
                                                     gboolean             load,
                                                     const char * const  *extra,
                                                     gboolean             tls,
                                                     guint                max_files,
                                                     const char * const  *environment);
void                 service_test_server_stop       (ServiceTestServer   *server);
void                 service_test_server_kill       (ServiceTestServer   *server);
void                 service_test_server_free       (ServiceTestServer   *server);
guint                service_test_server_count_descriptors (ServiceTestServer *server);
void                 service_test_server_signal     (ServiceTestServer   *server,
                                                     int                  signal_number);

/* With what is in it, folders too. */
void                 service_test_remove_directory  (const char          *path);
int                  service_test_run               (const char * const  *args,
                                                     char               **out,
                                                     char               **err);

GSocket             *service_test_connect           (ServiceTestServer   *server);
GSocket             *service_test_connect_from      (ServiceTestServer   *server,
                                                     const char          *source);
ServiceTestResponse *service_test_exchange          (ServiceTestServer   *server,
                                                     const char          *source,
                                                     const char          *request,
                                                     gssize               length);
void                 service_test_send              (GSocket             *socket,
                                                     const char          *data,
                                                     gssize               length);
ServiceTestResponse *service_test_read_response     (GSocket             *socket,
                                                     GByteArray          *pending);
gboolean             service_test_read_eof          (GSocket             *socket,
                                                     GByteArray          *pending,
                                                     guint                seconds);
void                 service_test_response_free     (ServiceTestResponse *response);
const char          *service_test_response_header   (ServiceTestResponse *response,
                                                     const char          *name);
char                *service_test_response_problem_type (ServiceTestResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ServiceTestResponse, service_test_response_free)

G_END_DECLS

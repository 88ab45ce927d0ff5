/* enr-service-request.h — one HTTP request being handled, and its reply
 *
 * Handlers fill the reply (status, JSON body, ETag, Location) and return;
 * the dispatcher (enr-service-server.c) commits the transaction that holds
 * a write and only then writes the reply to the connection. Every error is an
 * RFC 9457 application/problem+json document whose "type" is
 * ENR_SERVICE_PROBLEM_BASE followed by a stable slug.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "enr-core.h"
#include "enr-service-store.h"

G_BEGIN_DECLS

#define ENR_SERVICE_PROBLEM_BASE "https://enrollment-desk.invalid/problems/"
#define ENR_SERVICE_MAX_PARAMS   4

typedef struct _EnrServiceServer  EnrServiceServer;
typedef struct _EnrServiceRequest EnrServiceRequest;

typedef void (*EnrServiceHandler) (EnrServiceRequest *req);

struct _EnrServiceRequest
{
  EnrServiceServer  *server;
  EnrServiceStore   *store;
  SoupServerMessage *msg;
  const char        *method;
  char              *path;
  GHashTable        *query;
  char              *params[ENR_SERVICE_MAX_PARAMS];
  guint              route_from; /* the first route whose pattern may match (routing) */
  guint64            changes_seq; /* the server's when it went to a pool thread */
  EnrUser           *user;
  char              *token_digest;
  gint64             session_expires_at;
  /* PostgreSQL: a session this instance knew, taken on trust until the
   * request's transaction confirms it (enr-service-server-dispatch.c) */
  char              *session_json;       /* the user's record as known */
  EnrDbStmt         *session_check;      /* the deferred look-up */
  gboolean           session_unconfirmed;
  gboolean           session_stale;      /* it changed: run the request again */
  GBytes            *body;
  GDateTime         *now;
  gboolean           write;    /* a route that writes: it runs in a write transaction */
  char              *peer;     /* the client's address, as a rate-limit key */
  SoupMessageHeaders *headers; /* a copy of the request's, for a pool thread */
  gboolean           pooled;   /* on PostgreSQL: run on a pool thread */
  EnrServiceRequest *next_reply; /* the server's replies to send after this one */
  guint              hold_seconds;  /* a long poll to hold (set on a pool thread) */
  gboolean           changes_committed;  /* its transaction wrote to the change log */
  EnrServiceHandler  continuation;
  gpointer           data;     /* a handler's, between its parts */
  /* ENR_SERVICE_COUNT_TRAFFIC: what its runs on pool connections sent */
  gboolean           traffic_counted;
  guint64            traffic_mark[2];    /* the connection's counts at the run's start */
  guint64            round_trips;
  guint64            statements;
  GDestroyNotify     data_free;

  /* The reply */
  guint              status;
  char              *content_type;
  GBytes            *reply;
  char              *etag;
  char              *location;
  guint              retry_after;
  char              *allow;
  gboolean           async;
  gboolean           held;     /* a write of the open batch: replied after COMMIT */
  gboolean           replayed; /* the reply is a stored one (Idempotent-Replayed) */
  gboolean           discard;  /* roll the transaction back: the reply is a stored one */

  /* What the audit row names */
  const char        *audit_type;
  char              *audit_id;
};

void         enr_service_request_free            (EnrServiceRequest *req);
void         enr_service_request_clear_reply     (EnrServiceRequest *req);

const char  *enr_service_request_get_query       (EnrServiceRequest *req,
                                                  const char        *name);
const char  *enr_service_request_get_header      (EnrServiceRequest *req,
                                                  const char        *name);
SoupMessageHeaders *
             enr_service_request_get_headers     (EnrServiceRequest *req);
SoupMessageHeaders *
             enr_service_request_copy_headers    (SoupMessageHeaders *headers);
const char  *enr_service_request_get_body        (EnrServiceRequest *req,
                                                  gsize             *length);
gboolean     enr_service_request_is_supervisor   (EnrServiceRequest *req);
const char  *enr_service_request_get_username    (EnrServiceRequest *req);

void         enr_service_request_reply_json      (EnrServiceRequest *req,
                                                  guint              status,
                                                  char              *json);
void         enr_service_request_reply_node      (EnrServiceRequest *req,
                                                  guint              status,
                                                  JsonNode          *node);
void         enr_service_request_reply_empty     (EnrServiceRequest *req,
                                                  guint              status);
void         enr_service_request_set_etag        (EnrServiceRequest *req,
                                                  gint64             version);
void         enr_service_request_set_audit       (EnrServiceRequest *req,
                                                  const char        *type,
                                                  const char        *id);

void         enr_service_request_problem         (EnrServiceRequest *req,
                                                  guint              status,
                                                  const char        *slug,
                                                  const char        *format,
                                                  ...) G_GNUC_PRINTF (4, 5);
void         enr_service_request_problem_with    (EnrServiceRequest *req,
                                                  guint              status,
                                                  const char        *slug,
                                                  const char        *detail,
                                                  const char        *member,
                                                  JsonNode          *value);
void         enr_service_request_field_errors    (EnrServiceRequest *req,
                                                  const char        *detail,
                                                  GPtrArray         *errors);
void         enr_service_request_gerror          (EnrServiceRequest *req,
                                                  const GError      *error);
gboolean     enr_service_request_check_if_match  (EnrServiceRequest *req,
                                                  gint64             version,
                                                  const char        *current_json);
gboolean     enr_service_request_is_success      (EnrServiceRequest *req);

const char  *enr_service_problem_title           (const char        *slug);
char        *enr_service_problem_document        (guint              status,
                                                  const char        *slug,
                                                  const char        *detail,
                                                  const char        *member,
                                                  JsonNode          *value);

void         enr_service_json_append_string      (GString           *out,
                                                  const char        *text);
void         enr_service_json_append_array       (GString           *out,
                                                  GPtrArray         *json_rows);

G_END_DECLS

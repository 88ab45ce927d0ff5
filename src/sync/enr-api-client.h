/* enr-api-client.h — the client of the enrollment service's /v1 API
 *
 * Async/finish pairs over one SoupSession (timeouts, user agent, TLS
 * verification with an optional custom CA, bearer token). A request that
 * fails sets an ENR_API_ERROR and, for an HTTP error status, hands back
 * the service's problem detail; a refused certificate or a failed TLS
 * handshake is ENR_API_ERROR_TLS, its message saying why (not trusted,
 * expired, issued for another address). Every response body is read with
 * a size cap and decoded by enr-api-decoders.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-api-decoders.h"
#include "enr-sync-enum-types.h"

G_BEGIN_DECLS

#define ENR_API_DEFAULT_TIMEOUT      30   /* seconds without I/O progress */
#define ENR_API_DEFAULT_IDLE_TIMEOUT 60   /* seconds an idle connection is kept */
#define ENR_API_DEFAULT_DEADLINE     60   /* seconds until a response's head, connection wait included */
#define ENR_API_MAX_CONNECTIONS      8

/**
 * EnrApiResponse:
 * @status: the HTTP status (2xx)
 * @body: (nullable): the body as read, NUL-terminated for convenience
 * @length: its length
 * @version: the entity version of the ETag header, or -1
 * @location: (nullable): the Location header
 * @replayed: whether the service replayed the first response of this
 *   Idempotency-Key
 */
typedef struct
{
  guint     status;
  char     *body;
  gsize     length;
  gint64    version;
  char     *location;
  gboolean  replayed;
} EnrApiResponse;

void enr_api_response_free (EnrApiResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrApiResponse, enr_api_response_free)

#define ENR_TYPE_API_CLIENT (enr_api_client_get_type ())

G_DECLARE_FINAL_TYPE (EnrApiClient, enr_api_client, ENR, API_CLIENT, GObject)

EnrApiClient       *enr_api_client_new                   (const char          *base_url,
                                                          GError             **error);
const char         *enr_api_client_get_base_url          (EnrApiClient        *self);
gboolean            enr_api_client_set_base_url          (EnrApiClient        *self,
                                                          const char          *base_url,
                                                          GError             **error);
const char         *enr_api_client_get_token             (EnrApiClient        *self);
void                enr_api_client_set_token             (EnrApiClient        *self,
                                                          const char          *token);
guint               enr_api_client_get_timeout           (EnrApiClient        *self);
void                enr_api_client_set_timeout           (EnrApiClient        *self,
                                                          guint                seconds);
guint               enr_api_client_get_deadline          (EnrApiClient        *self);
void                enr_api_client_set_deadline          (EnrApiClient        *self,
                                                          guint                seconds);
gboolean            enr_api_client_set_ca_file           (EnrApiClient        *self,
                                                          const char          *path,
                                                          GError             **error);
GTlsDatabase       *enr_api_client_get_tls_database      (EnrApiClient        *self);
const char         *enr_api_client_get_user_agent        (EnrApiClient        *self);

/* Any request. @if_match < 0 sends none; @body is JSON or %NULL. */
void                enr_api_client_send_async            (EnrApiClient        *self,
                                                          const char          *method,
                                                          const char          *path,
                                                          const char          *idempotency_key,
                                                          gint64               if_match,
                                                          const char          *body,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
EnrApiResponse     *enr_api_client_send_finish           (EnrApiClient        *self,
                                                          GAsyncResult        *result,
                                                          EnrApiProblem      **problem,
                                                          GError             **error);

/* Sessions */
void                enr_api_client_sign_in_async         (EnrApiClient        *self,
                                                          const char          *username,
                                                          const char          *password,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
EnrApiSession      *enr_api_client_sign_in_finish        (EnrApiClient        *self,
                                                          GAsyncResult        *result,
                                                          EnrApiProblem      **problem,
                                                          GError             **error);
void                enr_api_client_sign_out_async        (EnrApiClient        *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean            enr_api_client_sign_out_finish       (EnrApiClient        *self,
                                                          GAsyncResult        *result,
                                                          EnrApiProblem      **problem,
                                                          GError             **error);

/* Reads */
void                enr_api_client_get_changes_async     (EnrApiClient        *self,
                                                          gint64               since,
                                                          guint                limit,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
EnrApiChanges      *enr_api_client_get_changes_finish    (EnrApiClient        *self,
                                                          GAsyncResult        *result,
                                                          EnrApiProblem      **problem,
                                                          GError             **error);
void                enr_api_client_watch_changes_async   (EnrApiClient        *self,
                                                          gint64               since,
                                                          guint                limit,
                                                          guint                wait,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
EnrApiChanges      *enr_api_client_watch_changes_finish  (EnrApiClient        *self,
                                                          GAsyncResult        *result,
                                                          EnrApiProblem      **problem,
                                                          GError             **error);
void                enr_api_client_get_page_async        (EnrApiClient        *self,
                                                          const char          *path,
                                                          GType                item_type,
                                                          guint                page,
                                                          guint                page_size,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
EnrApiPage         *enr_api_client_get_page_finish       (EnrApiClient        *self,
                                                          GAsyncResult        *result,
                                                          EnrApiProblem      **problem,
                                                          GError             **error);
void                enr_api_client_get_items_async       (EnrApiClient        *self,
                                                          const char          *path,
                                                          GType                item_type,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GPtrArray          *enr_api_client_get_items_finish      (EnrApiClient        *self,
                                                          GAsyncResult        *result,
                                                          EnrApiProblem      **problem,
                                                          GError             **error);
void                enr_api_client_get_programs_async    (EnrApiClient        *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
EnrApiPrograms     *enr_api_client_get_programs_finish   (EnrApiClient        *self,
                                                          GAsyncResult        *result,
                                                          EnrApiProblem      **problem,
                                                          GError             **error);
void                enr_api_client_get_customer_async    (EnrApiClient        *self,
                                                          const char          *customer_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
EnrApiCustomerView *enr_api_client_get_customer_finish   (EnrApiClient        *self,
                                                          GAsyncResult        *result,
                                                          EnrApiProblem      **problem,
                                                          GError             **error);
void                enr_api_client_get_customer_export_async (EnrApiClient    *self,
                                                          const char          *after,
                                                          guint                limit,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
EnrApiCustomerExport *
                    enr_api_client_get_customer_export_finish (EnrApiClient   *self,
                                                          GAsyncResult        *result,
                                                          EnrApiProblem      **problem,
                                                          GError             **error);
void                enr_api_client_get_task_async        (EnrApiClient        *self,
                                                          const char          *task_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
EnrServiceTask     *enr_api_client_get_task_finish       (EnrApiClient        *self,
                                                          GAsyncResult        *result,
                                                          EnrApiProblem      **problem,
                                                          GError             **error);

/* Status → error code. */
EnrApiError         enr_api_error_from_status            (guint                status);
gboolean            enr_api_error_is_transient           (const GError        *error);

G_END_DECLS

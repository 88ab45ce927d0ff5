/* enr-api-client-endpoints.c — one call per endpoint of the /v1 API: sessions and reads
 *
 * Writes go through enr_api_client_send_async() with the body the outbox froze.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "enr-api-client-private.h"

/* Sessions */

static gpointer
decode_session (const char  *data,
                gsize        length,
                gpointer     decode_data,
                GError     **error)
{
  return enr_api_decode_session (data, length, error);
}

/**
 * enr_api_client_sign_in_async:
 *
 * POST /v1/sessions. The token is not kept: call
 * enr_api_client_set_token() with it.
 */
void
enr_api_client_sign_in_async (EnrApiClient        *self,
                              const char          *username,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (ENR_IS_API_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = enr_json_to_string (root, FALSE);

  _enr_api_client_request_async (self, "POST", "/v1/sessions", NULL, -1, body, ENR_JSON_MAX_BODY,
                                 decode_session, NULL, (GDestroyNotify) enr_api_session_free,
                                 enr_api_client_sign_in_async, cancellable, callback, user_data);

  memset (body, 0, strlen (body));
}

/**
 * enr_api_client_sign_in_finish:
 *
 * Returns: (transfer full): the session, or %NULL with @error set
 *   (%ENR_API_ERROR_UNAUTHORIZED for a wrong user name or password)
 */
EnrApiSession *
enr_api_client_sign_in_finish (EnrApiClient   *self,
                               GAsyncResult   *result,
                               EnrApiProblem **problem,
                               GError        **error)
{
  return _enr_api_client_request_finish (self, result, enr_api_client_sign_in_async,
                                         problem, error);
}

/**
 * enr_api_client_sign_out_async:
 *
 * DELETE /v1/sessions/current with the current token.
 */
void
enr_api_client_sign_out_async (EnrApiClient        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (ENR_IS_API_CLIENT (self));

  _enr_api_client_request_async (self, "DELETE", "/v1/sessions/current", NULL, -1, NULL,
                                 ENR_API_MAX_PROBLEM, NULL, NULL, NULL,
                                 enr_api_client_sign_out_async, cancellable, callback, user_data);
}

gboolean
enr_api_client_sign_out_finish (EnrApiClient   *self,
                                GAsyncResult   *result,
                                EnrApiProblem **problem,
                                GError        **error)
{
  g_autoptr(EnrApiResponse) response = NULL;

  response = _enr_api_client_request_finish (self, result, enr_api_client_sign_out_async,
                                             problem, error);
  return response != NULL;
}

/* Reads */

static gpointer
decode_changes (const char  *data,
                gsize        length,
                gpointer     decode_data,
                GError     **error)
{
  return enr_api_decode_changes (data, length, error);
}

static void
request_changes (EnrApiClient        *self,
                 gint64               since,
                 guint                limit,
                 guint                wait,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autofree char *path = NULL;

  path = g_strdup_printf ("/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u", since, limit);
  if (wait > 0)
    {
      g_autofree char *waiting = g_strdup_printf ("%s&wait=%u", path, wait);

      g_free (path);
      path = g_steal_pointer (&waiting);
    }

  _enr_api_client_request_hold_async (self, "GET", path, NULL, -1, NULL, wait, ENR_API_MAX_RESPONSE,
                                      decode_changes, NULL, (GDestroyNotify) enr_api_changes_free,
                                      source_tag, cancellable, callback, user_data);
}

/**
 * enr_api_client_get_changes_async:
 * @since: the cursor of the last applied change (0 for the start)
 * @limit: the most changes to return (1–1000)
 *
 * GET /v1/changes. A cursor older than the service keeps fails with
 * %ENR_API_ERROR_GONE; the problem's cursor is the head to continue from
 * after a full reload.
 */
void
enr_api_client_get_changes_async (EnrApiClient        *self,
                                  gint64               since,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (ENR_IS_API_CLIENT (self));
  g_return_if_fail (since >= 0);
  g_return_if_fail (limit > 0);

  request_changes (self, since, limit, 0, enr_api_client_get_changes_async,
                   cancellable, callback, user_data);
}

/**
 * enr_api_client_get_changes_finish:
 *
 * Returns: (transfer full): the changes, or %NULL with @error set
 */
EnrApiChanges *
enr_api_client_get_changes_finish (EnrApiClient   *self,
                                   GAsyncResult   *result,
                                   EnrApiProblem **problem,
                                   GError        **error)
{
  return _enr_api_client_request_finish (self, result, enr_api_client_get_changes_async,
                                         problem, error);
}

/**
 * enr_api_client_watch_changes_async:
 * @since: the cursor of the last applied change
 * @limit: the most changes to return (1–1000)
 * @wait: how long the service may hold the request, in seconds (1–60;
 *   below the client's timeout)
 *
 * GET /v1/changes?wait=: a long poll. The service answers when a change
 * after @since commits, or after @wait seconds with none. Errors as
 * enr_api_client_get_changes_async().
 */
void
enr_api_client_watch_changes_async (EnrApiClient        *self,
                                    gint64               since,
                                    guint                limit,
                                    guint                wait,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (ENR_IS_API_CLIENT (self));
  g_return_if_fail (since >= 0);
  g_return_if_fail (limit > 0);
  g_return_if_fail (wait > 0 && wait <= 60);

  request_changes (self, since, limit, wait, enr_api_client_watch_changes_async,
                   cancellable, callback, user_data);
}

/**
 * enr_api_client_watch_changes_finish:
 *
 * Returns: (transfer full): the changes (none when the wait ended), or
 *   %NULL with @error set
 */
EnrApiChanges *
enr_api_client_watch_changes_finish (EnrApiClient   *self,
                                     GAsyncResult   *result,
                                     EnrApiProblem **problem,
                                     GError        **error)
{
  return _enr_api_client_request_finish (self, result, enr_api_client_watch_changes_async,
                                         problem, error);
}

static gpointer
decode_page (const char  *data,
             gsize        length,
             gpointer     decode_data,
             GError     **error)
{
  return enr_api_decode_page ((GType) GPOINTER_TO_SIZE (decode_data), data, length, error);
}

/**
 * enr_api_client_get_page_async:
 * @path: a paged list such as "/v1/customers" (may carry a query)
 * @item_type: the records' type
 */
void
enr_api_client_get_page_async (EnrApiClient        *self,
                               const char          *path,
                               GType                item_type,
                               guint                page,
                               guint                page_size,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *full = NULL;

  g_return_if_fail (ENR_IS_API_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (page > 0 && page_size > 0);

  full = g_strdup_printf ("%s%cpage=%u&page_size=%u", path, strchr (path, '?') ? '&' : '?',
                          page, page_size);
  _enr_api_client_request_async (self, "GET", full, NULL, -1, NULL, ENR_API_MAX_RESPONSE,
                                 decode_page, GSIZE_TO_POINTER (item_type), (GDestroyNotify) enr_api_page_free,
                                 enr_api_client_get_page_async, cancellable, callback, user_data);
}

/**
 * enr_api_client_get_page_finish:
 *
 * Returns: (transfer full): the page, or %NULL with @error set
 */
EnrApiPage *
enr_api_client_get_page_finish (EnrApiClient   *self,
                                GAsyncResult   *result,
                                EnrApiProblem **problem,
                                GError        **error)
{
  return _enr_api_client_request_finish (self, result, enr_api_client_get_page_async,
                                         problem, error);
}

static gpointer
decode_items (const char  *data,
              gsize        length,
              gpointer     decode_data,
              GError     **error)
{
  return enr_api_decode_items ((GType) GPOINTER_TO_SIZE (decode_data), data, length, error);
}

/**
 * enr_api_client_get_items_async:
 * @path: a list such as "/v1/crews"
 * @item_type: the records' type
 */
void
enr_api_client_get_items_async (EnrApiClient        *self,
                                const char          *path,
                                GType                item_type,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (ENR_IS_API_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  _enr_api_client_request_async (self, "GET", path, NULL, -1, NULL, ENR_API_MAX_RESPONSE,
                                 decode_items, GSIZE_TO_POINTER (item_type), (GDestroyNotify) g_ptr_array_unref,
                                 enr_api_client_get_items_async, cancellable, callback, user_data);
}

/**
 * enr_api_client_get_items_finish:
 *
 * Returns: (transfer full) (element-type GObject): the records, or %NULL
 *   with @error set
 */
GPtrArray *
enr_api_client_get_items_finish (EnrApiClient   *self,
                                 GAsyncResult   *result,
                                 EnrApiProblem **problem,
                                 GError        **error)
{
  return _enr_api_client_request_finish (self, result, enr_api_client_get_items_async,
                                         problem, error);
}

static gpointer
decode_programs (const char  *data,
                 gsize        length,
                 gpointer     decode_data,
                 GError     **error)
{
  return enr_api_decode_programs (data, length, error);
}

void
enr_api_client_get_programs_async (EnrApiClient        *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (ENR_IS_API_CLIENT (self));

  _enr_api_client_request_async (self, "GET", "/v1/programs", NULL, -1, NULL, ENR_API_MAX_RESPONSE,
                                 decode_programs, NULL, (GDestroyNotify) enr_api_programs_free,
                                 enr_api_client_get_programs_async, cancellable, callback, user_data);
}

/**
 * enr_api_client_get_programs_finish:
 *
 * Returns: (transfer full): the programs, their types and initiatives
 */
EnrApiPrograms *
enr_api_client_get_programs_finish (EnrApiClient   *self,
                                    GAsyncResult   *result,
                                    EnrApiProblem **problem,
                                    GError        **error)
{
  return _enr_api_client_request_finish (self, result, enr_api_client_get_programs_async,
                                         problem, error);
}

static gpointer
decode_customer_export (const char  *data,
                        gsize        length,
                        gpointer     decode_data,
                        GError     **error)
{
  return enr_api_decode_customer_export (data, length, error);
}

/**
 * enr_api_client_get_customer_export_async:
 * @after: (nullable): the cursor of the page, %NULL for the first
 * @limit: the most customers on the page
 */
void
enr_api_client_get_customer_export_async (EnrApiClient        *self,
                                          const char          *after,
                                          guint                limit,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ENR_IS_API_CLIENT (self));
  g_return_if_fail (limit > 0);

  if (after != NULL)
    {
      escaped = g_uri_escape_string (after, NULL, FALSE);
      path = g_strdup_printf ("/v1/export/customers?limit=%u&after=%s", limit, escaped);
    }
  else
    path = g_strdup_printf ("/v1/export/customers?limit=%u", limit);

  _enr_api_client_request_async (self, "GET", path, NULL, -1, NULL, ENR_API_MAX_RESPONSE,
                                 decode_customer_export, NULL, (GDestroyNotify) enr_api_customer_export_free,
                                 enr_api_client_get_customer_export_async, cancellable, callback, user_data);
}

/**
 * enr_api_client_get_customer_export_finish:
 *
 * Returns: (transfer full): the page of customers with their records
 */
EnrApiCustomerExport *
enr_api_client_get_customer_export_finish (EnrApiClient   *self,
                                           GAsyncResult   *result,
                                           EnrApiProblem **problem,
                                           GError        **error)
{
  return _enr_api_client_request_finish (self, result, enr_api_client_get_customer_export_async,
                                         problem, error);
}

static gpointer
decode_customer_view (const char  *data,
                      gsize        length,
                      gpointer     decode_data,
                      GError     **error)
{
  return enr_api_decode_customer_view (data, length, error);
}

void
enr_api_client_get_customer_async (EnrApiClient        *self,
                                   const char          *customer_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ENR_IS_API_CLIENT (self));
  g_return_if_fail (customer_id != NULL);

  escaped = g_uri_escape_string (customer_id, NULL, FALSE);
  path = g_strconcat ("/v1/customers/", escaped, NULL);
  _enr_api_client_request_async (self, "GET", path, NULL, -1, NULL, ENR_API_MAX_RESPONSE,
                                 decode_customer_view, NULL, (GDestroyNotify) enr_api_customer_view_free,
                                 enr_api_client_get_customer_async, cancellable, callback, user_data);
}

/**
 * enr_api_client_get_customer_finish:
 *
 * Returns: (transfer full): the customer and the records around it
 */
EnrApiCustomerView *
enr_api_client_get_customer_finish (EnrApiClient   *self,
                                    GAsyncResult   *result,
                                    EnrApiProblem **problem,
                                    GError        **error)
{
  return _enr_api_client_request_finish (self, result, enr_api_client_get_customer_async,
                                         problem, error);
}

static gpointer
decode_task (const char  *data,
             gsize        length,
             gpointer     decode_data,
             GError     **error)
{
  return enr_api_decode_task (data, length, error);
}

void
enr_api_client_get_task_async (EnrApiClient        *self,
                               const char          *task_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ENR_IS_API_CLIENT (self));
  g_return_if_fail (task_id != NULL);

  escaped = g_uri_escape_string (task_id, NULL, FALSE);
  path = g_strconcat ("/v1/service-tasks/", escaped, NULL);
  _enr_api_client_request_async (self, "GET", path, NULL, -1, NULL, ENR_API_MAX_RESPONSE,
                                 decode_task, NULL, g_object_unref,
                                 enr_api_client_get_task_async, cancellable, callback, user_data);
}

/**
 * enr_api_client_get_task_finish:
 *
 * Returns: (transfer full): the service's copy of the task
 */
EnrServiceTask *
enr_api_client_get_task_finish (EnrApiClient   *self,
                                GAsyncResult   *result,
                                EnrApiProblem **problem,
                                GError        **error)
{
  return _enr_api_client_request_finish (self, result, enr_api_client_get_task_async,
                                         problem, error);
}

/* enr-api-client-private.h — what the API client's own files share
 *
 * enr-api-client.c sends requests and reads their answers;
 * enr-api-client-endpoints.c has one call per endpoint on top of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-api-client.h"

G_BEGIN_DECLS

/* Decodes a 2xx body (read up to the request's maximum size) in a thread. */
typedef gpointer (*DecodeFunc) (const char  *data,
                                gsize        length,
                                gpointer     decode_data,
                                GError     **error);

void     _enr_api_client_request_async  (EnrApiClient        *self,
                                         const char          *method,
                                         const char          *path,
                                         const char          *idempotency_key,
                                         gint64               if_match,
                                         const char          *body,
                                         gsize                max_size,
                                         DecodeFunc           decode,
                                         gpointer             decode_data,
                                         GDestroyNotify       result_free,
                                         gpointer             source_tag,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
void     _enr_api_client_request_hold_async (EnrApiClient        *self,
                                             const char          *method,
                                             const char          *path,
                                             const char          *idempotency_key,
                                             gint64               if_match,
                                             const char          *body,
                                             guint                hold,
                                             gsize                max_size,
                                             DecodeFunc           decode,
                                             gpointer             decode_data,
                                             GDestroyNotify       result_free,
                                             gpointer             source_tag,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gpointer _enr_api_client_request_finish (EnrApiClient        *self,
                                         GAsyncResult        *result,
                                         gpointer             source_tag,
                                         EnrApiProblem      **problem,
                                         GError             **error);

G_END_DECLS

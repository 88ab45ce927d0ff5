/* enr-sync-enums.h — code lists of the sync engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * EnrSyncState:
 * @ENR_SYNC_STATE_OFFLINE: the last attempt could not reach the service
 * @ENR_SYNC_STATE_IDLE: online; the last cycle succeeded
 * @ENR_SYNC_STATE_SYNCING: a cycle is running
 * @ENR_SYNC_STATE_ERROR: the last cycle failed (the service failed, sent
 *   something unreadable, or the local database failed)
 * @ENR_SYNC_STATE_SIGN_IN_NEEDED: there is no session, or the service
 *   refused it
 */
typedef enum
{
  ENR_SYNC_STATE_OFFLINE,        /*< nick=offline >*/
  ENR_SYNC_STATE_IDLE,           /*< nick=idle >*/
  ENR_SYNC_STATE_SYNCING,        /*< nick=syncing >*/
  ENR_SYNC_STATE_ERROR,          /*< nick=error >*/
  ENR_SYNC_STATE_SIGN_IN_NEEDED, /*< nick=sign-in-needed >*/
} EnrSyncState;

/**
 * EnrApiError:
 * @ENR_API_ERROR_NETWORK: the service could not be reached, or the
 *   connection broke
 * @ENR_API_ERROR_TIMEOUT: the service did not answer in time
 * @ENR_API_ERROR_UNAUTHORIZED: 401: sign in (again)
 * @ENR_API_ERROR_FORBIDDEN: 403
 * @ENR_API_ERROR_NOT_FOUND: 404
 * @ENR_API_ERROR_CONFLICT: 409: a business conflict
 * @ENR_API_ERROR_PRECONDITION_FAILED: 412: the record changed meanwhile
 * @ENR_API_ERROR_PRECONDITION_REQUIRED: 428: If-Match missing
 * @ENR_API_ERROR_GONE: 410: the change cursor is too old
 * @ENR_API_ERROR_INVALID: 400, 405, 415, 422 and other refusals of the request
 * @ENR_API_ERROR_TOO_LARGE: 413
 * @ENR_API_ERROR_RATE_LIMITED: 429
 * @ENR_API_ERROR_SERVER: 5xx
 * @ENR_API_ERROR_PROTOCOL: the service sent something this client cannot
 *   accept: malformed, oversized or wrongly typed JSON, an unexpected status
 * @ENR_API_ERROR_TLS: the secure connection failed: the service's
 *   certificate is not trusted, has expired or names another host, or the
 *   TLS handshake failed (retried like @ENR_API_ERROR_NETWORK)
 */
typedef enum
{
  ENR_API_ERROR_NETWORK,               /*< nick=network >*/
  ENR_API_ERROR_TIMEOUT,               /*< nick=timeout >*/
  ENR_API_ERROR_UNAUTHORIZED,          /*< nick=unauthorized >*/
  ENR_API_ERROR_FORBIDDEN,             /*< nick=forbidden >*/
  ENR_API_ERROR_NOT_FOUND,             /*< nick=not-found >*/
  ENR_API_ERROR_CONFLICT,              /*< nick=conflict >*/
  ENR_API_ERROR_PRECONDITION_FAILED,   /*< nick=precondition-failed >*/
  ENR_API_ERROR_PRECONDITION_REQUIRED, /*< nick=precondition-required >*/
  ENR_API_ERROR_GONE,                  /*< nick=gone >*/
  ENR_API_ERROR_INVALID,               /*< nick=invalid >*/
  ENR_API_ERROR_TOO_LARGE,             /*< nick=too-large >*/
  ENR_API_ERROR_RATE_LIMITED,          /*< nick=rate-limited >*/
  ENR_API_ERROR_SERVER,                /*< nick=server >*/
  ENR_API_ERROR_PROTOCOL,              /*< nick=protocol >*/
  ENR_API_ERROR_TLS,                   /*< nick=tls >*/
} EnrApiError;

G_END_DECLS

/* enr-service-decoders.h — the service's JSON request decoders
 *
 * Every request body the service accepts goes through one of these. Each
 * takes untrusted bytes and either returns a new object or fails with
 * ENR_SERVICE_DECODE_ERROR_MALFORMED (not JSON, too large, too deep: HTTP
 * 400) or ENR_SERVICE_DECODE_ERROR_INVALID (JSON of the wrong shape: HTTP
 * 422; the message starts with the member path). They have no other
 * dependency than the core, so a fuzzer can call them directly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-core.h"

G_BEGIN_DECLS

#define ENR_SERVICE_DECODE_ERROR (enr_service_decode_error_quark ())

typedef enum
{
  ENR_SERVICE_DECODE_ERROR_MALFORMED,
  ENR_SERVICE_DECODE_ERROR_INVALID,
} EnrServiceDecodeError;

#define ENR_SERVICE_MAX_CREDENTIAL 256
#define ENR_SERVICE_MAX_REASON     2000

typedef struct
{
  char *username;
  char *password;
} EnrServiceSignIn;

GQuark                    enr_service_decode_error_quark         (void);

EnrServiceSignIn         *enr_service_decode_sign_in             (const char  *data,
                                                                  gsize        length,
                                                                  GError     **error);
void                      enr_service_sign_in_free               (EnrServiceSignIn *sign_in);

/* A new service task (POST /v1/service-tasks) or the panel data of a save
 * (PUT /v1/service-tasks/{id}); the members the service owns (status,
 * history, reasons, version, created_*, updated_at) are ignored. */
EnrServiceTask           *enr_service_decode_task                (const char  *data,
                                                                  gsize        length,
                                                                  GError     **error);
/* The optional body of Finish and Complete Field Work: empty or {}. */
gboolean                  enr_service_decode_empty               (const char  *data,
                                                                  gsize        length,
                                                                  GError     **error);
/* The body of Cancel: {"reason": "..."}; returns the reason or "" */
char                     *enr_service_decode_cancel              (const char  *data,
                                                                  gsize        length,
                                                                  GError     **error);
/* The body of Reschedule: {"appointments": [appointment…]} */
GPtrArray                *enr_service_decode_reschedule          (const char  *data,
                                                                  gsize        length,
                                                                  GError     **error);
/* A customer communication; created_by/created_at are the service's. */
EnrCustomerCommunication *enr_service_decode_communication       (const char  *data,
                                                                  gsize        length,
                                                                  GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServiceSignIn, enr_service_sign_in_free)

G_END_DECLS

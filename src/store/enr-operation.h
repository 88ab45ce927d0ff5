/* enr-operation.h — one operation waiting to reach the service
 *
 * Read from the outbox (enr-outbox.h); immutable once read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-store-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_OPERATION (enr_operation_get_type ())

G_DECLARE_FINAL_TYPE (EnrOperation, enr_operation, ENR, OPERATION, GObject)

gint64            enr_operation_get_seq             (EnrOperation *self);
const char       *enr_operation_get_idempotency_key (EnrOperation *self);
EnrOperationKind  enr_operation_get_kind            (EnrOperation *self);
EnrOperationState enr_operation_get_state           (EnrOperation *self);
const char       *enr_operation_get_entity_type     (EnrOperation *self);
const char       *enr_operation_get_entity_id       (EnrOperation *self);
gint64            enr_operation_get_base_version    (EnrOperation *self);
const char       *enr_operation_get_method          (EnrOperation *self);
const char       *enr_operation_get_path            (EnrOperation *self);
const char       *enr_operation_get_body            (EnrOperation *self);
guint             enr_operation_get_attempts        (EnrOperation *self);
const char       *enr_operation_get_last_error      (EnrOperation *self);
gint64            enr_operation_get_next_attempt_at (EnrOperation *self);
const char       *enr_operation_get_response        (EnrOperation *self);
const char       *enr_operation_get_server_copy     (EnrOperation *self);
const char       *enr_operation_get_reason          (EnrOperation *self);
gint64            enr_operation_get_created_at      (EnrOperation *self);
const char       *enr_operation_get_owner           (EnrOperation *self);
const char       *enr_operation_get_discarded_by    (EnrOperation *self);
const char       *enr_operation_get_discard_reason  (EnrOperation *self);
gint64            enr_operation_get_discarded_at    (EnrOperation *self);

G_END_DECLS

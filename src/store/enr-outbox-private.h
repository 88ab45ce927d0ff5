/* enr-outbox-private.h — what the outbox's own files share
 *
 * enr-operation.c reads one operation; enr-outbox.c queues and lists
 * them; enr-outbox-outcome.c records what the service answered;
 * enr-outbox-resolve.c applies the clerk's decisions on an operation in
 * conflict or rejected; enr-outbox-discard.c a supervisor's on other
 * users' waiting operations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-store-private.h"

G_BEGIN_DECLS

struct _EnrOperation
{
  GObject            parent_instance;

  gint64             seq;
  char              *idempotency_key;
  EnrOperationKind   kind;
  EnrOperationState  state;
  char              *entity_type;
  char              *entity_id;
  gint64             base_version;
  char              *method;
  char              *path;
  char              *body;
  guint              attempts;
  char              *last_error;
  gint64             next_attempt_at;
  char              *response;
  char              *server_copy;
  char              *reason;
  gint64             created_at;
  char              *owner;
  /* Discarded operations only (enr-outbox-discard.c). */
  char              *discarded_by;
  char              *discard_reason;
  gint64             discarded_at;
};

struct _EnrOutbox
{
  GObject   parent_instance;

  EnrStore *store;
};

/* The states as stored: their values (enr-store-enums.h), as the
 * service stores an enum. */
#define ENR_OUTBOX_PENDING   "0"
#define ENR_OUTBOX_IN_FLIGHT "1"
#define ENR_OUTBOX_DONE      "2"
#define ENR_OUTBOX_CONFLICT  "3"
#define ENR_OUTBOX_REJECTED  "4"

/* ENR_OPERATION_KIND_CREATE_COMMUNICATION as stored. */
#define ENR_OUTBOX_KIND_CREATE_COMMUNICATION "4"
G_STATIC_ASSERT (ENR_OPERATION_KIND_CREATE_COMMUNICATION == 4);

#define SENDABLE ((1u << ENR_OPERATION_STATE_PENDING) | (1u << ENR_OPERATION_STATE_IN_FLIGHT))
#define UNRESOLVED ((1u << ENR_OPERATION_STATE_CONFLICT) | (1u << ENR_OPERATION_STATE_REJECTED))

/* The columns _enr_operation_new_from_row() reads, in its order. */
#define OPERATION_COLUMNS \
  "seq, idempotency_key, kind, state, entity_type, entity_id, base_version, method, path, " \
  "body, attempts, last_error, next_attempt_at, response, server_copy, reason, created_at, owner"

/* enr-operation.c */
EnrOperation *_enr_operation_new_from_row      (EnrDbStmt      *stmt,
                                                GError           **error);
char         *_enr_outbox_column_dup           (EnrDbStmt      *stmt,
                                                int                column);

/* enr-outbox.c */
gboolean      _enr_outbox_check_open           (EnrOutbox        *self,
                                                GError          **error);
const char   *_enr_outbox_state_nick           (EnrOperationState state);

/* enr-outbox.c; inside a transaction (begin … finish) unless said */
gboolean      _enr_outbox_kind_sends_entity    (EnrOperationKind   kind);
gboolean      _enr_outbox_begin                (EnrOutbox         *self,
                                                GError           **error);
gboolean      _enr_outbox_finish               (EnrOutbox         *self,
                                                gboolean           ok,
                                                GError           **error);
EnrOperation *_enr_outbox_load_in_state        (EnrOutbox         *self,
                                                gint64             seq,
                                                guint              allowed,
                                                GError           **error);
gboolean      _enr_outbox_rebase_later         (EnrOutbox         *self,
                                                EnrOperation      *operation,
                                                gint64             version,
                                                GError           **error);
GPtrArray    *_enr_outbox_load_drafts_of_task  (EnrOutbox         *self,
                                                const char        *task_id,
                                                GError           **error);

G_END_DECLS

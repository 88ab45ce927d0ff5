/* enr-outbox.h — operations waiting to reach the service
 *
 * One row per operation, written in the same transaction as the entity it
 * changes (enr_store_save_*_with_operation()). An operation keeps its
 * idempotency key across retries and crashes; its method, path and body
 * are frozen when it is queued, with the user who queued it (its owner:
 * the store's user), under whose session alone it is sent. Operations of
 * one entity go out in the order they were queued; an operation in
 * conflict or rejected, or another user's, blocks the later operations of
 * its entity only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-operation.h"
#include "enr-store.h"

G_BEGIN_DECLS

/**
 * EnrOutboxAck:
 * @seq: the acknowledged operation
 * @response: (nullable): the service's response body
 * @new_version: the entity's version after the operation, or -1 when the
 *   response carries none
 *
 * One acknowledgement, for enr_outbox_mark_done_batch().
 */
typedef struct
{
  gint64  seq;
  char   *response;
  gint64  new_version;
} EnrOutboxAck;

void              enr_outbox_ack_clear              (EnrOutboxAck *ack);

#define ENR_TYPE_OUTBOX (enr_outbox_get_type ())

G_DECLARE_FINAL_TYPE (EnrOutbox, enr_outbox, ENR, OUTBOX, GObject)

EnrStore       *enr_outbox_get_store         (EnrOutbox         *self);
EnrOperation   *enr_outbox_get               (EnrOutbox         *self,
                                              gint64             seq,
                                              GError           **error);
GPtrArray      *enr_outbox_next              (EnrOutbox         *self,
                                              const char        *owner,
                                              guint              limit,
                                              GError           **error);
gint64          enr_outbox_get_next_attempt_at (EnrOutbox       *self,
                                              const char        *owner,
                                              GError           **error);
EnrOperation   *enr_outbox_next_of_entity    (EnrOutbox         *self,
                                              EnrOperation      *after,
                                              GError           **error);
gboolean        enr_outbox_mark_in_flight    (EnrOutbox         *self,
                                              gint64             seq,
                                              GError           **error);
gboolean        enr_outbox_mark_done         (EnrOutbox         *self,
                                              gint64             seq,
                                              const char        *response,
                                              gint64             new_version,
                                              GError           **error);
gboolean        enr_outbox_mark_done_batch   (EnrOutbox         *self,
                                              const EnrOutboxAck *acks,
                                              guint              n_acks,
                                              GError           **error);
gboolean        enr_outbox_mark_retry        (EnrOutbox         *self,
                                              gint64             seq,
                                              const char        *message,
                                              gint64             next_attempt_at,
                                              GError           **error);
gboolean        enr_outbox_mark_conflict     (EnrOutbox         *self,
                                              gint64             seq,
                                              const char        *server_copy,
                                              const char        *message,
                                              GError           **error);
gboolean        enr_outbox_mark_rejected     (EnrOutbox         *self,
                                              gint64             seq,
                                              const char        *reason,
                                              const char        *problem,
                                              const char        *server_copy,
                                              GError           **error);
gint64          enr_outbox_count             (EnrOutbox         *self,
                                              EnrOperationState  state,
                                              GError           **error);
gint64          enr_outbox_count_of_owner    (EnrOutbox         *self,
                                              EnrOperationState  state,
                                              const char        *owner,
                                              GError           **error);
gint64          enr_outbox_count_unfinished  (EnrOutbox         *self,
                                              GError           **error);

/* Operations of other users: they wait for their owner's session. */
gint64          enr_outbox_count_of_others   (EnrOutbox         *self,
                                              const char        *owner,
                                              GError           **error);
GPtrArray      *enr_outbox_list_of_others    (EnrOutbox         *self,
                                              const char        *owner,
                                              GError           **error);
gint64          enr_outbox_claim_unowned     (EnrOutbox         *self,
                                              const char        *owner,
                                              GError           **error);
/* A supervisor's decision on them (enr-outbox-discard.c). */
gint64          enr_outbox_discard           (EnrOutbox         *self,
                                              gint64             seq,
                                              const char        *discarded_by,
                                              const char        *reason,
                                              GError           **error);
GPtrArray      *enr_outbox_list_discarded    (EnrOutbox         *self,
                                              const char        *owner,
                                              GError           **error);

GPtrArray      *enr_outbox_list              (EnrOutbox         *self,
                                              EnrOperationState  state,
                                              GError           **error);
GPtrArray      *enr_outbox_list_of_entity    (EnrOutbox         *self,
                                              const char        *entity_type,
                                              const char        *entity_id,
                                              GError           **error);
gboolean        enr_outbox_purge_done        (EnrOutbox         *self,
                                              gint64             older_than,
                                              GError           **error);

/* Resolution of an operation in conflict or rejected. */
gboolean        enr_outbox_take_theirs       (EnrOutbox         *self,
                                              gint64             seq,
                                              GError           **error);
gboolean        enr_outbox_keep_mine         (EnrOutbox         *self,
                                              gint64             seq,
                                              gint64             new_base_version,
                                              GError           **error);
EnrProcessFlow *enr_outbox_save_as_new       (EnrOutbox         *self,
                                              gint64             seq,
                                              GError           **error);

G_END_DECLS

/* enr-operation.c — one operation waiting to reach the service, as read from the outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "enr-outbox-private.h"

G_DEFINE_FINAL_TYPE (EnrOperation, enr_operation, G_TYPE_OBJECT)

static void
enr_operation_finalize (GObject *object)
{
  EnrOperation *self = (EnrOperation *)object;

  g_free (self->idempotency_key);
  g_free (self->entity_type);
  g_free (self->entity_id);
  g_free (self->method);
  g_free (self->path);
  g_free (self->body);
  g_free (self->last_error);
  g_free (self->response);
  g_free (self->server_copy);
  g_free (self->reason);
  g_free (self->owner);
  g_free (self->discarded_by);
  g_free (self->discard_reason);

  G_OBJECT_CLASS (enr_operation_parent_class)->finalize (object);
}

static void
enr_operation_class_init (EnrOperationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = enr_operation_finalize;
}

static void
enr_operation_init (EnrOperation *self)
{
}

gint64
enr_operation_get_seq (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), 0);
  return self->seq;
}

const char *
enr_operation_get_idempotency_key (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->idempotency_key;
}

EnrOperationKind
enr_operation_get_kind (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), 0);
  return self->kind;
}

EnrOperationState
enr_operation_get_state (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), 0);
  return self->state;
}

/* The change feed's name of the entity's type ("service_task", …). */
const char *
enr_operation_get_entity_type (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->entity_type;
}

const char *
enr_operation_get_entity_id (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->entity_id;
}

/* The entity version the change was made on: send it as If-Match. */
gint64
enr_operation_get_base_version (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), 0);
  return self->base_version;
}

const char *
enr_operation_get_method (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->method;
}

const char *
enr_operation_get_path (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->path;
}

const char *
enr_operation_get_body (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->body;
}

guint
enr_operation_get_attempts (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), 0);
  return self->attempts;
}

const char *
enr_operation_get_last_error (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->last_error;
}

gint64
enr_operation_get_next_attempt_at (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), 0);
  return self->next_attempt_at;
}

const char *
enr_operation_get_response (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->response;
}

const char *
enr_operation_get_server_copy (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->server_copy;
}

const char *
enr_operation_get_reason (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->reason;
}

gint64
enr_operation_get_created_at (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), 0);
  return self->created_at;
}

/**
 * enr_operation_get_owner:
 *
 * Returns: (nullable): the user who queued the operation; it goes to the
 *   service only under that user's session. %NULL for an operation queued
 *   before owners were recorded whose owner could not be told (see
 *   enr_outbox_claim_unowned())
 */
const char *
enr_operation_get_owner (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->owner;
}

/**
 * enr_operation_get_discarded_by:
 *
 * Returns: (nullable): the supervisor who discarded the operation (read
 *   with enr_outbox_list_discarded()); %NULL for one still queued
 */
const char *
enr_operation_get_discarded_by (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->discarded_by;
}

/**
 * enr_operation_get_discard_reason:
 *
 * Returns: (nullable): why it was discarded, in the supervisor's words
 */
const char *
enr_operation_get_discard_reason (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), NULL);
  return self->discard_reason;
}

/* When it was discarded (µs since the epoch), or 0. */
gint64
enr_operation_get_discarded_at (EnrOperation *self)
{
  g_return_val_if_fail (ENR_IS_OPERATION (self), 0);
  return self->discarded_at;
}

char *
_enr_outbox_column_dup (EnrDbStmt *stmt,
                        int           column)
{
  return g_strdup (enr_db_stmt_column_text (stmt, column));
}

EnrOperation *
_enr_operation_new_from_row (EnrDbStmt  *stmt,
                             GError       **error)
{
  g_autoptr(EnrOperation) self = g_object_new (ENR_TYPE_OPERATION, NULL);
  gint64 kind = enr_db_stmt_column_int64 (stmt, 2);
  gint64 state = enr_db_stmt_column_int64 (stmt, 3);

  if (enr_db_stmt_column_is_null (stmt, 2) || kind < 0 || kind > ENR_OPERATION_KIND_COMPLETE_FIELD_WORK ||
      enr_db_stmt_column_is_null (stmt, 3) || state < 0 || state >= ENR_OPERATION_N_STATES)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT,
                   _("Queued operation %" PRId64 " has an unknown kind or state"),
                   (gint64) enr_db_stmt_column_int64 (stmt, 0));
      return NULL;
    }

  self->seq = enr_db_stmt_column_int64 (stmt, 0);
  self->idempotency_key = _enr_outbox_column_dup (stmt, 1);
  self->kind = kind;
  self->state = state;
  self->entity_type = _enr_outbox_column_dup (stmt, 4);
  self->entity_id = _enr_outbox_column_dup (stmt, 5);
  self->base_version = enr_db_stmt_column_int64 (stmt, 6);
  self->method = _enr_outbox_column_dup (stmt, 7);
  self->path = _enr_outbox_column_dup (stmt, 8);
  self->body = _enr_outbox_column_dup (stmt, 9);
  self->attempts = (int) enr_db_stmt_column_int64 (stmt, 10);
  self->last_error = _enr_outbox_column_dup (stmt, 11);
  self->next_attempt_at = enr_db_stmt_column_int64 (stmt, 12);
  self->response = _enr_outbox_column_dup (stmt, 13);
  self->server_copy = _enr_outbox_column_dup (stmt, 14);
  self->reason = _enr_outbox_column_dup (stmt, 15);
  self->created_at = enr_db_stmt_column_int64 (stmt, 16);
  self->owner = _enr_outbox_column_dup (stmt, 17);

  return g_steal_pointer (&self);
}

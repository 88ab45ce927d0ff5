/* enr-sync-engine-push.c — the push phase: the outbox to the service
 *
 * Operations of different entities go out together, up to max_in_flight;
 * those of one entity one after the other. An acknowledgement is kept in
 * memory and recorded with others in one transaction (when ACK_BATCH are
 * waiting, after ACK_FLUSH_MS, when the window drains, and before any
 * other outcome is recorded), while the entity's next operation goes out
 * at once on the version the acknowledgement gave. A crash before the
 * record loses nothing: the operation is still pending, goes again with
 * its idempotency key, and the service answers with its first result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-sync-engine-private.h"

#define ACK_BATCH           256      /* acknowledgements recorded in one transaction */
#define ACK_FLUSH_MS        100      /* the longest an acknowledgement waits to be recorded */
#define PUSH_REFILL         64       /* heads read from the outbox at a time */

typedef struct
{
  Cycle        *cycle;
  EnrOperation *operation;
  char         *message;
  gboolean      acknowledged;
} Send;

static void push_fill (Cycle *cycle);

static gboolean
parse_cursor (const char *text,
              gint64     *cursor)
{
  gint64 value;

  if (text == NULL ||
      !g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;

  *cursor = value;
  return TRUE;
}

static char *
entity_key (EnrOperation *operation)
{
  return g_strconcat (enr_operation_get_entity_type (operation), "/",
                      enr_operation_get_entity_id (operation), NULL);
}

static gboolean
is_known (Cycle        *cycle,
          EnrOperation *operation)
{
  gint64 seq = enr_operation_get_seq (operation);

  return g_hash_table_contains (cycle->known, &seq);
}

static void
add_known (Cycle        *cycle,
           EnrOperation *operation)
{
  gint64 *key = g_new (gint64, 1);

  *key = enr_operation_get_seq (operation);
  g_hash_table_add (cycle->known, key);
}

static void
forget_known (Cycle  *cycle,
              gint64  seq)
{
  g_hash_table_remove (cycle->known, &seq);
}

/* Records the acknowledgements kept in memory. When that fails, the
 * push stops and no later outcome is recorded in this cycle (an outcome
 * recorded without the acknowledgements before it would leave the store
 * inconsistent); the operations go again in the next cycle.
 *
 * Returns: whether every acknowledgement so far is recorded */
static gboolean
push_flush (Cycle *cycle)
{
  GError *error = NULL;
  gboolean ok;

  g_clear_handle_id (&cycle->flush_id, g_source_remove);

  if (cycle->acks_lost)
    return FALSE;
  if (cycle->acks->len == 0)
    return TRUE;

  ok = enr_outbox_mark_done_batch (cycle->engine->outbox, (EnrOutboxAck *) (gpointer) cycle->acks->data,
                                   cycle->acks->len, &error);
  for (guint i = 0; i < cycle->acks->len; i++)
    forget_known (cycle, g_array_index (cycle->acks, EnrOutboxAck, i).seq);
  g_array_set_size (cycle->acks, 0);

  if (!ok)
    {
      cycle->acks_lost = TRUE;
      _enr_sync_cycle_set_error (cycle, error);
    }

  return ok;
}

static gboolean
on_flush_cb (gpointer user_data)
{
  Cycle *cycle = user_data;

  cycle->flush_id = 0;
  push_flush (cycle);

  return G_SOURCE_REMOVE;
}

static void
send_free (Send *send)
{
  g_clear_object (&send->operation);
  g_free (send->message);
  g_free (send);
}

static gboolean
is_create (EnrOperation *operation)
{
  EnrOperationKind kind = enr_operation_get_kind (operation);

  return kind == ENR_OPERATION_KIND_CREATE_TASK || kind == ENR_OPERATION_KIND_CREATE_COMMUNICATION;
}

gboolean
_enr_sync_is_task_operation (EnrOperation *operation)
{
  return g_strcmp0 (enr_operation_get_entity_type (operation),
                    enr_store_type_get_name (ENR_TYPE_SERVICE_TASK)) == 0;
}

/* Ends one send: the next operations may go. */
static void
send_done (Send *send)
{
  Cycle *cycle = send->cycle;
  gint64 seq = enr_operation_get_seq (send->operation);

  g_hash_table_remove (cycle->sending, &seq);
  if (!send->acknowledged)
    forget_known (cycle, seq);
  cycle->push_done++;
  if (cycle->push_total > 0)
    _enr_sync_engine_set_progress (cycle->engine, (double) cycle->push_done /
                                                  (double) MAX (cycle->push_total, cycle->push_done));

  send_free (send);
  push_fill (cycle);
}

/* Before an outcome other than success is recorded for @send: the
 * acknowledgements before it are recorded first, and the entity's next
 * operations take their base version from the store again.
 *
 * Returns: whether the outcome may be recorded; if not, @send is done */
static gboolean
send_may_record (Send *send)
{
  Cycle *cycle = send->cycle;
  g_autofree char *key = entity_key (send->operation);

  if (!push_flush (cycle))
    {
      send_done (send);
      return FALSE;
    }

  g_hash_table_remove (cycle->versions, key);
  return TRUE;
}

static void
mark_or_fail (Send     *send,
              gboolean  ok,
              GError   *error)
{
  if (!ok)
    _enr_sync_cycle_set_error (send->cycle, error);

  send_done (send);
}

/* Success: kept in memory until the next flush; the entity's next
 * operation may go now. */
static void
send_acknowledge (Send       *send,
                  const char *response,
                  gint64      version)
{
  Cycle *cycle = send->cycle;
  EnrSyncEngine *self = cycle->engine;
  EnrOperation *operation = send->operation;
  EnrOutboxAck ack = { enr_operation_get_seq (operation), g_strdup (response), version };
  g_autoptr(EnrOperation) next = NULL;
  GError *error = NULL;

  if (cycle->acks_lost)
    {
      enr_outbox_ack_clear (&ack);
      send_done (send);
      return;
    }

  send->acknowledged = TRUE;
  g_array_append_val (cycle->acks, ack);
  if (version >= 0)
    {
      gint64 *value = g_new (gint64, 1);

      *value = version;
      g_hash_table_insert (cycle->versions, entity_key (operation), value);
    }

  if (!cycle->push_stop)
    {
      next = enr_outbox_next_of_entity (self->outbox, operation, &error);
      if (error != NULL)
        _enr_sync_cycle_set_error (cycle, error);
      else if (next != NULL && !is_known (cycle, next))
        {
          add_known (cycle, next);
          g_queue_push_head (&cycle->ready, g_steal_pointer (&next));
        }
    }

  if (cycle->acks->len >= ACK_BATCH)
    push_flush (cycle);
  else if (cycle->flush_id == 0)
    cycle->flush_id = g_timeout_add (ACK_FLUSH_MS, on_flush_cb, cycle);

  send_done (send);
}

/* A transient failure: the same request goes again. When the failure is
 * the operation's own (500, a response that could not be read), it waits
 * for its backoff while other entities go on; when the service could not
 * be reached or was busy, it is due again with the next cycle, which the
 * engine schedules with the backoff (or sooner, on a network change or
 * enr_sync_engine_sync_now()). */
static void
mark_retry (Send          *send,
            const GError  *error,
            EnrApiProblem *problem)
{
  Cycle *cycle = send->cycle;
  GError *local_error = NULL;
  gint64 not_before = 0;
  gboolean ok;

  _enr_sync_cycle_set_error (cycle, g_error_copy (error));
  if (!send_may_record (send))
    return;

  if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_PROTOCOL) ||
      (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_SERVER) &&
       problem != NULL && problem->status == 500))
    not_before = g_get_real_time () + _enr_sync_cycle_retry_delay (cycle);

  ok = enr_outbox_mark_retry (cycle->engine->outbox, enr_operation_get_seq (send->operation),
                              error->message, not_before, &local_error);
  mark_or_fail (send, ok, local_error);
}

/* The service's copy, when it reads as the entity's type. */
static char *
checked_copy (EnrOperation *operation,
              const char   *json)
{
  GType type = enr_store_type_from_name (enr_operation_get_entity_type (operation));
  g_autoptr(GObject) object = NULL;

  if (json == NULL || type == G_TYPE_INVALID ||
      !(object = enr_api_decode_record (type, json, strlen (json), NULL)) ||
      (ENR_IS_ENTITY (object) &&
       g_strcmp0 (enr_entity_get_id (ENR_ENTITY (object)), enr_operation_get_entity_id (operation)) != 0))
    return NULL;

  return enr_codec_encode_string (object);
}

/* The service's problem document as it read it, to keep with a
 * rejection (its current record is kept apart, as the service's copy). */
static char *
problem_to_json (const EnrApiProblem *problem)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, problem->status);
  if (problem->type != NULL)
    {
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, problem->type);
    }
  if (problem->title != NULL)
    {
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, problem->title);
    }
  if (problem->detail != NULL)
    {
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, problem->detail);
    }
  if (problem->errors != NULL && problem->errors->len > 0)
    {
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (guint i = 0; i < problem->errors->len; i++)
        {
          const EnrApiFieldError *field_error = g_ptr_array_index (problem->errors, i);

          json_builder_begin_object (builder);
          if (field_error->field != NULL)
            {
              json_builder_set_member_name (builder, "field");
              json_builder_add_string_value (builder, field_error->field);
            }
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, field_error->message != NULL ? field_error->message : "");
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return enr_json_to_string (root, FALSE);
}

static void
on_conflict_copy_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Send *send = user_data;
  Cycle *cycle = send->cycle;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autofree char *copy = NULL;
  GError *local_error = NULL;
  gboolean ok;

  task = enr_api_client_get_task_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
  if (task == NULL && !g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_NOT_FOUND))
    {
      _enr_sync_cycle_note_problem (cycle, problem);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          _enr_sync_cycle_set_error (cycle, g_steal_pointer (&error));
          send_done (send);
        }
      else
        /* Without the service's copy the conflict cannot be resolved:
         * ask again later. */
        mark_retry (send, error, problem);
      return;
    }

  if (task != NULL)
    {
      g_autofree char *json = enr_codec_encode_string (task);

      copy = checked_copy (send->operation, json);
    }

  if (!send_may_record (send))
    return;

  ok = enr_outbox_mark_conflict (cycle->engine->outbox, enr_operation_get_seq (send->operation),
                                 copy, send->message, &local_error);
  mark_or_fail (send, ok, local_error);
}

static void
on_operation_sent_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Send *send = user_data;
  Cycle *cycle = send->cycle;
  EnrSyncEngine *self = cycle->engine;
  EnrOperation *operation = send->operation;
  gint64 seq = enr_operation_get_seq (operation);
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  GError *local_error = NULL;
  gboolean ok;

  response = enr_api_client_send_finish (ENR_API_CLIENT (source_object), result, &problem, &error);

  if (response != NULL)
    {
      gint64 version = response->version;
      GType type = enr_store_type_from_name (enr_operation_get_entity_type (operation));
      g_autoptr(GObject) record = NULL;

      /* A write answers with the record: it must be the one written. */
      if (type != G_TYPE_INVALID &&
          (!(record = enr_api_decode_record (type, response->body, response->length, &local_error)) ||
           (ENR_IS_ENTITY (record) &&
            g_strcmp0 (enr_entity_get_id (ENR_ENTITY (record)), enr_operation_get_entity_id (operation)) != 0)))
        {
          if (local_error == NULL)
            local_error = g_error_new (ENR_API_ERROR, ENR_API_ERROR_PROTOCOL,
                                       _("The service answered with another record than %s."),
                                       enr_operation_get_entity_id (operation));
          mark_retry (send, local_error, NULL);
          g_error_free (local_error);
          return;
        }

      if (version < 0 && record != NULL && ENR_IS_SERVICE_TASK (record))
        version = enr_service_task_get_version (ENR_SERVICE_TASK (record));
      if (!_enr_sync_is_task_operation (operation))
        version = -1;

      send_acknowledge (send, response->body, version);
      return;
    }

  _enr_sync_cycle_note_problem (cycle, problem);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _enr_sync_cycle_set_error (cycle, g_steal_pointer (&error));
      send_done (send);
      return;
    }

  if (error->domain != ENR_API_ERROR)
    {
      mark_retry (send, error, problem);
      return;
    }

  switch ((EnrApiError) error->code)
    {
    case ENR_API_ERROR_NETWORK:
    case ENR_API_ERROR_TIMEOUT:
    case ENR_API_ERROR_TLS:
    case ENR_API_ERROR_RATE_LIMITED:
    case ENR_API_ERROR_SERVER:
    case ENR_API_ERROR_PROTOCOL:
    case ENR_API_ERROR_UNAUTHORIZED:
      mark_retry (send, error, problem);
      return;

    case ENR_API_ERROR_PRECONDITION_FAILED:
      {
        g_autofree char *copy = checked_copy (operation, problem != NULL ? problem->current : NULL);

        if (copy == NULL && _enr_sync_is_task_operation (operation))
          break;

        if (!send_may_record (send))
          return;

        ok = enr_outbox_mark_conflict (self->outbox, seq, copy, error->message, &local_error);
        mark_or_fail (send, ok, local_error);
        return;
      }

    case ENR_API_ERROR_CONFLICT:
      break;

    case ENR_API_ERROR_FORBIDDEN:
    case ENR_API_ERROR_NOT_FOUND:
    case ENR_API_ERROR_PRECONDITION_REQUIRED:
    case ENR_API_ERROR_GONE:
    case ENR_API_ERROR_INVALID:
    case ENR_API_ERROR_TOO_LARGE:
    default:
      {
        g_autofree char *reason = problem != NULL ? enr_api_problem_describe (problem)
                                                  : g_strdup (error->message);
        g_autofree char *document = problem != NULL ? problem_to_json (problem) : NULL;
        g_autofree char *copy = checked_copy (operation, problem != NULL ? problem->current : NULL);

        if (!send_may_record (send))
          return;

        ok = enr_outbox_mark_rejected (self->outbox, seq, reason, document, copy, &local_error);
        mark_or_fail (send, ok, local_error);
        return;
      }
    }

  /* A conflict without a usable copy: fetch the service's copy of the task
   * so that the person can compare and resolve. */
  send->message = g_strdup (error->message);
  if (_enr_sync_is_task_operation (operation))
    {
      enr_api_client_get_task_async (self->client, enr_operation_get_entity_id (operation),
                                     cycle->cancellable, on_conflict_copy_cb, send);
      return;
    }

  if (!send_may_record (send))
    return;

  ok = enr_outbox_mark_conflict (self->outbox, seq, NULL, send->message, &local_error);
  mark_or_fail (send, ok, local_error);
}

static void
send_operation (Cycle        *cycle,
                EnrOperation *operation)
{
  EnrSyncEngine *self = cycle->engine;
  Send *send = g_new0 (Send, 1);
  gint64 *key = g_new (gint64, 1);
  g_autofree char *entity = entity_key (operation);
  gint64 *acknowledged = g_hash_table_lookup (cycle->versions, entity);
  gint64 base_version = enr_operation_get_base_version (operation);

  /* What the store will say once the acknowledgements are recorded. */
  if (acknowledged != NULL)
    base_version = *acknowledged;

  *key = enr_operation_get_seq (operation);
  g_hash_table_insert (cycle->sending, key, g_object_ref (operation));

  send->cycle = cycle;
  send->operation = g_object_ref (operation);

  enr_api_client_send_async (self->client,
                             enr_operation_get_method (operation),
                             enr_operation_get_path (operation),
                             enr_operation_get_idempotency_key (operation),
                             is_create (operation) ? -1 : base_version,
                             enr_operation_get_body (operation),
                             cycle->cancellable, on_operation_sent_cb, send);
}

static void
push_end (Cycle *cycle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 cursor;

  g_queue_clear_full (&cycle->ready, g_object_unref);
  g_hash_table_remove_all (cycle->known);
  g_hash_table_remove_all (cycle->versions);

  if (cycle->error != NULL)
    {
      _enr_sync_cycle_finish (cycle);
      return;
    }

  text = enr_store_get_cursor (cycle->engine->store, &error);
  if (error != NULL)
    {
      _enr_sync_cycle_set_error (cycle, g_steal_pointer (&error));
      _enr_sync_cycle_finish (cycle);
      return;
    }

  if (parse_cursor (text, &cursor))
    _enr_sync_pull_start (cycle, cursor);
  else
    _enr_sync_download_start (cycle);
}

/* More heads of the entities' queues (the store's view, in queue order),
 * past those already known. Returns whether any was added. */
static gboolean
push_refill (Cycle *cycle)
{
  EnrSyncEngine *self = cycle->engine;
  g_autoptr(GPtrArray) next = NULL;
  GError *error = NULL;
  guint added = 0;

  /* Each entity being sent or with an unrecorded acknowledgement is one
   * known head: ask for that many more. */
  next = enr_outbox_next (self->outbox, _enr_sync_engine_get_sender (self),
                          PUSH_REFILL + g_hash_table_size (cycle->sending) + cycle->acks->len,
                          &error);
  if (next == NULL)
    {
      _enr_sync_cycle_set_error (cycle, error);
      return FALSE;
    }

  for (guint i = 0; i < next->len; i++)
    {
      EnrOperation *operation = g_ptr_array_index (next, i);

      if (is_known (cycle, operation))
        continue;

      add_known (cycle, operation);
      g_queue_push_tail (&cycle->ready, g_object_ref (operation));
      added++;
    }

  return added > 0;
}

static void
push_fill (Cycle *cycle)
{
  EnrSyncEngine *self = cycle->engine;
  gboolean refilled = FALSE;

  while (!cycle->push_stop && g_hash_table_size (cycle->sending) < self->max_in_flight)
    {
      g_autoptr(EnrOperation) operation = g_queue_pop_head (&cycle->ready);

      if (operation == NULL)
        {
          if (refilled || !push_refill (cycle))
            break;
          refilled = TRUE;
          continue;
        }

      send_operation (cycle, operation);
    }

  if (g_hash_table_size (cycle->sending) > 0)
    return;

  /* The window drained: record what was acknowledged; then the heads that
   * waited for it may go. */
  if (cycle->acks->len > 0 && push_flush (cycle) && !cycle->push_stop)
    {
      push_fill (cycle);
      return;
    }

  push_end (cycle);
}

void
_enr_sync_push_start (Cycle *cycle)
{
  EnrSyncEngine *self = cycle->engine;
  const char *sender = _enr_sync_engine_get_sender (self);
  gint64 pending = sender != NULL
                   ? enr_outbox_count_of_owner (self->outbox, ENR_OPERATION_STATE_PENDING, sender, NULL)
                   : 0;

  cycle->phase = PHASE_PUSH;
  cycle->push_total = pending > 0 ? (guint) pending : 0;
  cycle->push_done = 0;
  _enr_sync_engine_set_progress (self, 0.0);

  push_fill (cycle);
}

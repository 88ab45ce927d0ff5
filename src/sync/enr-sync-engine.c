/* enr-sync-engine.c — keeps the client store and the service in step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "enr-backoff.h"
#include "enr-sync-engine.h"

#define NETWORK_DEBOUNCE_MS 2000
#define OUTBOX_DEBOUNCE_MS  250
#define MAX_PAGE            100000   /* the service's largest page number */
#define ACK_BATCH           256      /* acknowledgements recorded in one transaction */
#define ACK_FLUSH_MS        100      /* the longest an acknowledgement waits to be recorded */
#define PUSH_REFILL         64       /* heads read from the outbox at a time */

typedef struct _Cycle Cycle;
typedef struct _Pager Pager;

typedef gboolean (*PagerStoreFunc) (Cycle      *cycle,
                                    GPtrArray  *items,
                                    GError    **error);
typedef void     (*CycleStep)      (Cycle      *cycle);

typedef enum
{
  PHASE_PUSH,
  PHASE_DOWNLOAD,
  PHASE_PULL,
} Phase;

struct _EnrSyncEngine
{
  GObject          parent_instance;

  EnrStore        *store;
  EnrOutbox       *outbox;
  EnrApiClient    *client;
  GNetworkMonitor *monitor;
  GCancellable    *cancellable;
  GRand           *rand;

  EnrSyncState     state;
  guint            pending_count;
  guint            conflict_count;
  guint            rejected_count;
  double           progress;
  GDateTime       *last_success;
  char            *last_error;
  EnrUser         *user;

  gint64           backoff_base;
  gint64           backoff_cap;
  guint            max_in_flight;
  guint            poll_interval;

  gboolean         running;
  Cycle           *cycle;
  GPtrArray       *waiters;       /* GTasks waiting for the next cycle */
  gboolean         again;
  guint            failures;
  guint            timer_id;
  guint            start_id;
  guint            debounce_id;
  guint            outbox_idle_id;
  gulong           outbox_changed_id;
  gulong           network_changed_id;
};

G_DEFINE_FINAL_TYPE (EnrSyncEngine, enr_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_STATE,
  PROP_PENDING_COUNT,
  PROP_CONFLICT_COUNT,
  PROP_REJECTED_COUNT,
  PROP_PROGRESS,
  PROP_LAST_SUCCESS,
  PROP_LAST_ERROR,
  PROP_USER,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CYCLE_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _Pager
{
  Cycle          *cycle;
  char           *path;
  GType           type;
  PagerStoreFunc  store;
  CycleStep       next;
  double          from;
  double          to;
  gboolean        probing;
  guint           lo;
  guint           hi;
  guint           last;
  GHashTable     *fetched;
  guint           next_page;
  guint           in_flight;
  gboolean        failed;
};

struct _Cycle
{
  EnrSyncEngine *engine;
  GCancellable  *cancellable;
  GPtrArray     *waiters;
  GError        *error;
  gint64         retry_delay;
  guint          retry_after;
  Phase          phase;
  gboolean       downloaded;

  /* push */
  GHashTable    *sending;
  GQueue         ready;         /* operations to send next, the entities' next first */
  GHashTable    *known;         /* seqs ready, being sent, or acknowledged and not recorded */
  GArray        *acks;          /* EnrOutboxAck: acknowledged, not yet recorded */
  GHashTable    *versions;      /* entity → version acknowledged in this push */
  guint          flush_id;
  gboolean       acks_lost;
  guint          push_total;
  guint          push_done;
  gboolean       push_stop;

  /* download */
  gint64         head;
  GPtrArray     *crews;
  GPtrArray     *shift_types;
  guint          reference_step;
  Pager         *pager;
  guint          export_done;

  /* pull */
  gint64         cursor;
};

typedef struct
{
  Cycle        *cycle;
  EnrOperation *operation;
  char         *message;
  gboolean      acknowledged;
} Send;

static void cycle_start          (EnrSyncEngine *self);
static void cycle_finish         (Cycle         *cycle);
static void push_fill            (Cycle         *cycle);
static void download_start       (Cycle         *cycle);
static void pull_start           (Cycle         *cycle,
                                  gint64         cursor);
static void pager_fill           (Pager         *pager);
static void request_cycle        (EnrSyncEngine *self);
static void refresh_counts       (EnrSyncEngine *self);

/* Properties */

static void
set_state (EnrSyncEngine *self,
           EnrSyncState   state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_progress (EnrSyncEngine *self,
              double         progress)
{
  progress = CLAMP (progress, 0.0, 1.0);

  /* Notifying every tiny step would flood the GUI. */
  if (progress != 0.0 && progress != 1.0 && ABS (progress - self->progress) < 0.001)
    return;
  if (progress == self->progress)
    return;

  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_last_error (EnrSyncEngine *self,
                const char    *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_last_success (EnrSyncEngine *self,
                  GDateTime     *when)
{
  g_clear_pointer (&self->last_success, g_date_time_unref);
  self->last_success = g_date_time_ref (when);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
}

static void
set_user (EnrSyncEngine *self,
          EnrUser       *user)
{
  if (g_set_object (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

static void
set_count (EnrSyncEngine *self,
           guint         *field,
           guint          value,
           guint          prop)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
refresh_counts (EnrSyncEngine *self)
{
  gint64 pending, in_flight, conflicts, rejected;

  if (enr_outbox_get_store (self->outbox) == NULL)
    return;

  pending = enr_outbox_count (self->outbox, ENR_OPERATION_STATE_PENDING, NULL);
  in_flight = enr_outbox_count (self->outbox, ENR_OPERATION_STATE_IN_FLIGHT, NULL);
  conflicts = enr_outbox_count (self->outbox, ENR_OPERATION_STATE_CONFLICT, NULL);
  rejected = enr_outbox_count (self->outbox, ENR_OPERATION_STATE_REJECTED, NULL);

  g_object_freeze_notify (G_OBJECT (self));
  if (pending >= 0 && in_flight >= 0)
    set_count (self, &self->pending_count, (guint) (pending + in_flight), PROP_PENDING_COUNT);
  if (conflicts >= 0)
    set_count (self, &self->conflict_count, (guint) conflicts, PROP_CONFLICT_COUNT);
  if (rejected >= 0)
    set_count (self, &self->rejected_count, (guint) rejected, PROP_REJECTED_COUNT);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Helpers */

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

static gboolean
outbox_has_due_work (EnrSyncEngine *self)
{
  g_autoptr(GPtrArray) due = NULL;

  if (enr_outbox_get_store (self->outbox) == NULL)
    return FALSE;

  due = enr_outbox_next (self->outbox, 1, NULL);
  return due != NULL && due->len > 0;
}

static GPtrArray *
changes_from_objects (GType      type,
                      GPtrArray *objects)
{
  GPtrArray *changes = g_ptr_array_new_full (objects->len, (GDestroyNotify) enr_store_change_free);

  for (guint i = 0; i < objects->len; i++)
    {
      gpointer object = g_ptr_array_index (objects, i);
      g_autofree char *json = enr_codec_encode_string (object);

      g_ptr_array_add (changes, enr_store_change_new (type, enr_entity_get_id (object), json));
    }

  return changes;
}

static gboolean
put_if_any (EnrStore   *store,
            GType       type,
            GPtrArray  *objects,
            GError    **error)
{
  if (objects == NULL || objects->len == 0)
    return TRUE;

  return enr_store_put (store, type, objects, error);
}

/* A customer's records (customers with what hangs off them), in one
 * transaction. */
static gboolean
store_customer_records (EnrSyncEngine  *self,
                        GPtrArray      *customers,
                        GPtrArray      *service_points,
                        GPtrArray      *metered_services,
                        GPtrArray      *device_locations,
                        GPtrArray      *devices,
                        GPtrArray      *subscriptions,
                        GError        **error)
{
  const GType types[] = {
    ENR_TYPE_CUSTOMER, ENR_TYPE_SERVICE_POINT, ENR_TYPE_METERED_SERVICE,
    ENR_TYPE_DEVICE_LOCATION, ENR_TYPE_DEVICE, ENR_TYPE_PROGRAM_SUBSCRIPTION,
  };
  GPtrArray *lists[] = {
    customers, service_points, metered_services, device_locations, devices, subscriptions,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (types) == G_N_ELEMENTS (lists));

  return enr_store_put_many (self->store, types, lists, G_N_ELEMENTS (types), error);
}

static gboolean
store_customer_view (EnrSyncEngine       *self,
                     EnrApiCustomerView  *view,
                     GError             **error)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (customers, g_object_ref (view->customer));

  return store_customer_records (self, customers, view->service_points, view->metered_services,
                                 view->device_locations, view->devices, view->subscriptions, error);
}

/* Cycle */

static void
cycle_free (Cycle *cycle)
{
  g_clear_object (&cycle->engine);
  g_clear_object (&cycle->cancellable);
  g_clear_pointer (&cycle->waiters, g_ptr_array_unref);
  g_clear_error (&cycle->error);
  g_clear_pointer (&cycle->sending, g_hash_table_unref);
  g_queue_clear_full (&cycle->ready, g_object_unref);
  g_clear_pointer (&cycle->known, g_hash_table_unref);
  g_clear_pointer (&cycle->acks, g_array_unref);
  g_clear_pointer (&cycle->versions, g_hash_table_unref);
  g_clear_handle_id (&cycle->flush_id, g_source_remove);
  g_clear_pointer (&cycle->crews, g_ptr_array_unref);
  g_clear_pointer (&cycle->shift_types, g_ptr_array_unref);
  g_assert (cycle->pager == NULL);
  g_free (cycle);
}

/* Keeps the first failure of the cycle. */
static void
cycle_set_error (Cycle  *cycle,
                 GError *error)
{
  cycle->push_stop = TRUE;

  if (cycle->error == NULL)
    cycle->error = error;
  else
    g_error_free (error);
}

static void
cycle_note_problem (Cycle         *cycle,
                    EnrApiProblem *problem)
{
  if (problem != NULL)
    cycle->retry_after = MAX (cycle->retry_after, problem->retry_after);
}

/* When the next attempt is due after a failure in this cycle, in
 * microseconds from now. */
static gint64
cycle_retry_delay (Cycle *cycle)
{
  EnrSyncEngine *self = cycle->engine;

  if (cycle->retry_delay < 0)
    cycle->retry_delay = enr_backoff_delay (self->failures, self->backoff_base, self->backoff_cap,
                                            0, self->rand);

  return MAX (cycle->retry_delay, (gint64) cycle->retry_after * G_USEC_PER_SEC);
}

static gboolean
on_timer_cb (gpointer user_data)
{
  EnrSyncEngine *self = user_data;

  self->timer_id = 0;
  request_cycle (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_next (EnrSyncEngine *self,
               gint64         delay)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);

  if (!self->running || delay < 0)
    return;

  self->timer_id = g_timeout_add ((guint) MIN (delay / 1000, (gint64) G_MAXINT32),
                                  on_timer_cb, self);
}

/* In automatic mode, after a good cycle: when an operation waiting for its
 * backoff is due, else the next poll. */
static void
schedule_after_success (EnrSyncEngine *self)
{
  gint64 delay = self->poll_interval > 0 ? (gint64) self->poll_interval * G_USEC_PER_SEC : -1;
  gint64 due = enr_outbox_get_next_attempt_at (self->outbox, NULL);

  if (due >= 0)
    {
      gint64 until = MAX (due - g_get_real_time (), 0);

      delay = delay < 0 ? until : MIN (delay, until);
    }

  schedule_next (self, delay);
}

static void
cycle_finish (Cycle *cycle)
{
  EnrSyncEngine *self = g_object_ref (cycle->engine);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean success = cycle->error == NULL;
  gint64 delay = -1;

  g_assert (self->cycle == cycle);
  self->cycle = NULL;

  g_object_freeze_notify (G_OBJECT (self));

  if (success)
    {
      self->failures = 0;
      set_last_success (self, now);
      set_last_error (self, NULL);
      set_progress (self, 1.0);
      set_state (self, ENR_SYNC_STATE_IDLE);
    }
  else if (g_error_matches (cycle->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, self->user != NULL || enr_api_client_get_token (self->client) != NULL
                     ? ENR_SYNC_STATE_OFFLINE : ENR_SYNC_STATE_SIGN_IN_NEEDED);
  else
    {
      set_last_error (self, cycle->error->message);

      if (g_error_matches (cycle->error, ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED))
        set_state (self, ENR_SYNC_STATE_SIGN_IN_NEEDED);
      else
        {
          delay = cycle_retry_delay (cycle);
          self->failures = MIN (self->failures + 1, 64);

          if (g_error_matches (cycle->error, ENR_API_ERROR, ENR_API_ERROR_NETWORK) ||
              g_error_matches (cycle->error, ENR_API_ERROR, ENR_API_ERROR_TIMEOUT))
            set_state (self, ENR_SYNC_STATE_OFFLINE);
          else
            set_state (self, ENR_SYNC_STATE_ERROR);
        }
    }

  refresh_counts (self);
  g_object_thaw_notify (G_OBJECT (self));

  for (guint i = 0; i < cycle->waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (cycle->waiters, i);

      if (success)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_error_copy (cycle->error));
    }

  g_signal_emit (self, signals[CYCLE_FINISHED], 0, success);

  if (self->waiters->len > 0 || self->again)
    {
      self->again = FALSE;
      request_cycle (self);
    }
  else if (success)
    {
      if (self->running)
        schedule_after_success (self);
    }
  else if (delay >= 0)
    schedule_next (self, delay);

  cycle_free (cycle);
  g_object_unref (self);
}

/* Push
 *
 * Operations of different entities go out together, up to max_in_flight;
 * those of one entity one after the other. An acknowledgement is kept in
 * memory and recorded with others in one transaction (when ACK_BATCH are
 * waiting, after ACK_FLUSH_MS, when the window drains, and before any
 * other outcome is recorded), while the entity's next operation goes out
 * at once on the version the acknowledgement gave. A crash before the
 * record loses nothing: the operation is still pending, goes again with
 * its idempotency key, and the service answers with its first result. */

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
      cycle_set_error (cycle, error);
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

static gboolean
is_task_operation (EnrOperation *operation)
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
    set_progress (cycle->engine, (double) cycle->push_done / (double) MAX (cycle->push_total, cycle->push_done));

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
    cycle_set_error (send->cycle, error);

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
        cycle_set_error (cycle, error);
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

  cycle_set_error (cycle, g_error_copy (error));
  if (!send_may_record (send))
    return;

  if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_PROTOCOL) ||
      (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_SERVER) &&
       problem != NULL && problem->status == 500))
    not_before = g_get_real_time () + cycle_retry_delay (cycle);

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
      cycle_note_problem (cycle, problem);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          cycle_set_error (cycle, g_steal_pointer (&error));
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
      if (!is_task_operation (operation))
        version = -1;

      send_acknowledge (send, response->body, version);
      return;
    }

  cycle_note_problem (cycle, problem);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      cycle_set_error (cycle, g_steal_pointer (&error));
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

        if (copy == NULL && is_task_operation (operation))
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
  if (is_task_operation (operation))
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
      cycle_finish (cycle);
      return;
    }

  text = enr_store_get_cursor (cycle->engine->store, &error);
  if (error != NULL)
    {
      cycle_set_error (cycle, g_steal_pointer (&error));
      cycle_finish (cycle);
      return;
    }

  if (parse_cursor (text, &cursor))
    pull_start (cycle, cursor);
  else
    download_start (cycle);
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
  next = enr_outbox_next (self->outbox,
                          PUSH_REFILL + g_hash_table_size (cycle->sending) + cycle->acks->len,
                          &error);
  if (next == NULL)
    {
      cycle_set_error (cycle, error);
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

static void
push_start (Cycle *cycle)
{
  EnrSyncEngine *self = cycle->engine;
  gint64 pending = enr_outbox_count (self->outbox, ENR_OPERATION_STATE_PENDING, NULL);

  cycle->phase = PHASE_PUSH;
  cycle->push_total = pending > 0 ? (guint) pending : 0;
  cycle->push_done = 0;
  set_progress (self, 0.0);

  push_fill (cycle);
}

/* Pager: downloads a paged list, a few pages at a time. The number of
 * pages is found first by probing (doubling, then bisecting), which keeps
 * the progress honest; probed pages are stored like the others. */

static void
pager_free (Pager *pager)
{
  g_free (pager->path);
  g_clear_pointer (&pager->fetched, g_hash_table_unref);
  g_free (pager);
}

static void
pager_end (Pager *pager)
{
  Cycle *cycle = pager->cycle;
  CycleStep next = pager->next;
  gboolean failed = pager->failed;

  cycle->pager = NULL;
  pager_free (pager);

  if (failed || cycle->error != NULL)
    cycle_finish (cycle);
  else
    next (cycle);
}

static void
pager_progress (Pager *pager)
{
  double fraction;

  if (pager->probing || pager->last == 0)
    return;

  fraction = (double) g_hash_table_size (pager->fetched) / (double) pager->last;
  set_progress (pager->cycle->engine, pager->from + (pager->to - pager->from) * MIN (fraction, 1.0));
}

static void on_page_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data);

static void
pager_request (Pager *pager,
               guint  page)
{
  Cycle *cycle = pager->cycle;

  pager->in_flight++;
  enr_api_client_get_page_async (cycle->engine->client, pager->path, pager->type, page,
                                 ENR_SYNC_PAGE_SIZE, cycle->cancellable, on_page_cb, pager);
}

static void
pager_probe_next (Pager *pager)
{
  guint page;

  if (pager->hi != 0 && pager->hi - pager->lo <= 1)
    {
      pager->last = pager->lo;
      pager->probing = FALSE;
      pager->next_page = 1;
      pager_fill (pager);
      return;
    }

  if (pager->hi == 0)
    {
      if (pager->lo >= MAX_PAGE)
        {
          pager->last = MAX_PAGE;
          pager->probing = FALSE;
          pager->next_page = 1;
          pager_fill (pager);
          return;
        }
      page = MIN (MAX (pager->lo * 2, 1), MAX_PAGE);
    }
  else
    page = pager->lo + (pager->hi - pager->lo) / 2;

  pager_request (pager, page);
}

static void
pager_fill (Pager *pager)
{
  while (!pager->failed && pager->cycle->error == NULL &&
         pager->in_flight < pager->cycle->engine->max_in_flight &&
         pager->next_page <= pager->last)
    {
      guint page = pager->next_page++;

      if (g_hash_table_contains (pager->fetched, GUINT_TO_POINTER (page)))
        continue;

      pager_request (pager, page);
    }

  pager_progress (pager);

  if (pager->in_flight == 0 && (pager->failed || pager->cycle->error != NULL ||
                                pager->next_page > pager->last))
    pager_end (pager);
}

static void
on_page_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pager *pager = user_data;
  Cycle *cycle = pager->cycle;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiPage) page = NULL;
  GError *error = NULL;

  pager->in_flight--;

  page = enr_api_client_get_page_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
  if (page == NULL)
    {
      cycle_note_problem (cycle, problem);
      cycle_set_error (cycle, error);
      pager->failed = TRUE;
      if (pager->in_flight == 0)
        pager_end (pager);
      return;
    }

  if (pager->failed || cycle->error != NULL)
    {
      if (pager->in_flight == 0)
        pager_end (pager);
      return;
    }

  if (page->items->len > 0)
    {
      if (!pager->store (cycle, page->items, &error))
        {
          cycle_set_error (cycle, error);
          pager->failed = TRUE;
          if (pager->in_flight == 0)
            pager_end (pager);
          return;
        }
      g_hash_table_add (pager->fetched, GUINT_TO_POINTER (page->page));
    }

  if (pager->probing)
    {
      if (page->items->len > 0)
        {
          pager->lo = MAX (pager->lo, page->page);
          if (!page->more)
            pager->hi = pager->lo + 1;
        }
      else
        pager->hi = pager->hi == 0 ? page->page : MIN (pager->hi, page->page);

      if (pager->hi != 0 && pager->hi <= pager->lo)
        pager->hi = pager->lo + 1;

      pager_probe_next (pager);
      return;
    }

  /* The list grew while it was read. */
  if (page->page == pager->last && page->more && pager->last < MAX_PAGE)
    pager->last++;

  pager_fill (pager);
}

static void
pager_start (Cycle          *cycle,
             const char     *path,
             GType           type,
             PagerStoreFunc  store,
             double          from,
             double          to,
             CycleStep       next)
{
  Pager *pager = g_new0 (Pager, 1);

  pager->cycle = cycle;
  pager->path = g_strdup (path);
  pager->type = type;
  pager->store = store;
  pager->next = next;
  pager->from = from;
  pager->to = to;
  pager->probing = TRUE;
  pager->fetched = g_hash_table_new (NULL, NULL);
  cycle->pager = pager;

  set_progress (cycle->engine, from);
  pager_probe_next (pager);
}

/* Download */

static void
download_finish (Cycle *cycle)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *head = g_strdup_printf ("%" G_GINT64_FORMAT, cycle->head);
  GError *error = NULL;

  if (!enr_store_apply_changes (cycle->engine->store, none, head, &error))
    {
      cycle_set_error (cycle, error);
      cycle_finish (cycle);
      return;
    }

  cycle->downloaded = TRUE;
  set_progress (cycle->engine, 1.0);
  pull_start (cycle, cycle->head);
}

/* The tasks the user may see (a clerk's own, all for a supervisor). The
 * customers around them came with the export pages, so nothing more is
 * fetched per customer. */
static gboolean
store_tasks (Cycle      *cycle,
             GPtrArray  *items,
             GError    **error)
{
  g_autoptr(GPtrArray) changes = changes_from_objects (ENR_TYPE_SERVICE_TASK, items);

  /* The cursor stays as it is until everything is downloaded: a failure
   * on the way makes the next cycle download again. */
  return enr_store_apply_changes (cycle->engine->store, changes, NULL, error);
}

static void
tasks_start (Cycle *cycle)
{
  pager_start (cycle, "/v1/service-tasks", ENR_TYPE_SERVICE_TASK, store_tasks, 0.80, 1.0, download_finish);
}

/* Customers with their metered services, service points, device
 * locations, devices and subscriptions, a keyset page at a time: each
 * page is stored before the next is asked for, so memory holds one. */


static void
on_export_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Cycle *cycle = user_data;
  EnrSyncEngine *self = cycle->engine;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiCustomerExport) export = NULL;
  GError *error = NULL;

  export = enr_api_client_get_customer_export_finish (ENR_API_CLIENT (source_object), result,
                                                      &problem, &error);
  if (export == NULL ||
      !store_customer_records (self, export->customers, export->service_points,
                               export->metered_services, export->device_locations,
                               export->devices, export->subscriptions, &error))
    {
      cycle_note_problem (cycle, problem);
      cycle_set_error (cycle, error);
      cycle_finish (cycle);
      return;
    }

  cycle->export_done += export->customers->len;
  if (export->total > 0)
    set_progress (self, 0.05 + 0.75 * MIN ((double) cycle->export_done / (double) export->total, 1.0));

  if (export->next != NULL)
    {
      enr_api_client_get_customer_export_async (self->client, export->next, ENR_SYNC_PAGE_SIZE,
                                                cycle->cancellable, on_export_cb, cycle);
      return;
    }

  tasks_start (cycle);
}

static void
customers_start (Cycle *cycle)
{
  cycle->export_done = 0;
  set_progress (cycle->engine, 0.05);
  enr_api_client_get_customer_export_async (cycle->engine->client, NULL, ENR_SYNC_PAGE_SIZE,
                                            cycle->cancellable, on_export_cb, cycle);
}

/* The booked appointments of the shifts kept offline: they take up slots. */
static void
on_appointments_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Cycle *cycle = user_data;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GError *error = NULL;

  items = enr_api_client_get_items_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
  if (items == NULL || !put_if_any (cycle->engine->store, ENR_TYPE_APPOINTMENT, items, &error))
    {
      cycle_note_problem (cycle, problem);
      cycle_set_error (cycle, error);
      cycle_finish (cycle);
      return;
    }

  customers_start (cycle);
}

static void
appointments_start (Cycle *cycle)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *path = NULL;

  path = g_strdup_printf ("/v1/appointments?from=%04d-%02d-%02d&days=%d&status=booked",
                          g_date_time_get_year (now), g_date_time_get_month (now),
                          g_date_time_get_day_of_month (now), ENR_SYNC_DEFAULT_SHIFT_DAYS);
  enr_api_client_get_items_async (cycle->engine->client, path, ENR_TYPE_APPOINTMENT,
                                  cycle->cancellable, on_appointments_cb, cycle);
}

static gboolean
store_crew_shifts (Cycle   *cycle,
                   GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GPtrArray) shifts = NULL;
  GDate today;

  if (cycle->crews == NULL || cycle->shift_types == NULL)
    return TRUE;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));

  if (!(shifts = enr_crew_shifts_expand (cycle->crews, cycle->shift_types, &today,
                                         ENR_SYNC_DEFAULT_SHIFT_DAYS, tz, error)))
    return FALSE;

  return put_if_any (cycle->engine->store, ENR_TYPE_CREW_SHIFT, shifts, error);
}

static const struct
{
  const char *path;
  GType     (*get_type) (void);
} reference_lists[] = {
  { "/v1/code-values", enr_code_value_get_type },
  { "/v1/crew-shift-types", enr_crew_shift_type_get_type },
  { "/v1/crews", enr_crew_get_type },
  { "/v1/activity-types", enr_activity_type_get_type },
  { "/v1/service-task-types", enr_service_task_type_get_type },
  { "/v1/action-methods", enr_action_method_get_type },
};

static void reference_next (Cycle *cycle);

static void
on_reference_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Cycle *cycle = user_data;
  EnrSyncEngine *self = cycle->engine;
  g_autoptr(EnrApiProblem) problem = NULL;
  GError *error = NULL;
  guint step = cycle->reference_step++;
  gboolean ok;

  if (step == 0)
    {
      g_autoptr(EnrApiPrograms) programs = NULL;

      programs = enr_api_client_get_programs_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
      ok = programs != NULL &&
           put_if_any (self->store, ENR_TYPE_PROGRAM_TYPE, programs->program_types, &error) &&
           put_if_any (self->store, ENR_TYPE_INITIATIVE, programs->initiatives, &error) &&
           put_if_any (self->store, ENR_TYPE_PROGRAM, programs->programs, &error);
    }
  else
    {
      g_autoptr(GPtrArray) items = NULL;
      GType type = reference_lists[step - 1].get_type ();

      items = enr_api_client_get_items_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
      ok = items != NULL && put_if_any (self->store, type, items, &error);

      if (ok && type == ENR_TYPE_CREW)
        cycle->crews = g_ptr_array_ref (items);
      else if (ok && type == ENR_TYPE_CREW_SHIFT_TYPE)
        cycle->shift_types = g_ptr_array_ref (items);
    }

  if (!ok)
    {
      cycle_note_problem (cycle, problem);
      cycle_set_error (cycle, error);
      cycle_finish (cycle);
      return;
    }

  set_progress (self, 0.05 * cycle->reference_step / (G_N_ELEMENTS (reference_lists) + 2));
  reference_next (cycle);
}

static void
reference_next (Cycle *cycle)
{
  EnrSyncEngine *self = cycle->engine;
  guint step = cycle->reference_step;
  GError *error = NULL;

  if (step == 0)
    {
      enr_api_client_get_programs_async (self->client, cycle->cancellable, on_reference_cb, cycle);
      return;
    }

  if (step - 1 < G_N_ELEMENTS (reference_lists))
    {
      enr_api_client_get_items_async (self->client, reference_lists[step - 1].path,
                                      reference_lists[step - 1].get_type (),
                                      cycle->cancellable, on_reference_cb, cycle);
      return;
    }

  if (!store_crew_shifts (cycle, &error))
    {
      cycle_set_error (cycle, error);
      cycle_finish (cycle);
      return;
    }

  appointments_start (cycle);
}

static void
on_head_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Cycle *cycle = user_data;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiChanges) changes = NULL;
  GError *error = NULL;

  changes = enr_api_client_get_changes_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
  if (changes != NULL)
    cycle->head = changes->cursor;
  else if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_GONE) &&
           problem != NULL && problem->cursor >= 0)
    {
      g_clear_error (&error);
      cycle->head = problem->cursor;
    }
  else
    {
      if (error->domain == ENR_API_ERROR && error->code == ENR_API_ERROR_GONE)
        {
          g_clear_error (&error);
          error = g_error_new (ENR_API_ERROR, ENR_API_ERROR_PROTOCOL,
                               _("The service did not say where its change log ends."));
        }
      cycle_note_problem (cycle, problem);
      cycle_set_error (cycle, error);
      cycle_finish (cycle);
      return;
    }

  cycle->reference_step = 0;
  reference_next (cycle);
}

static void
download_start (Cycle *cycle)
{
  cycle->phase = PHASE_DOWNLOAD;
  set_progress (cycle->engine, 0.0);

  g_clear_pointer (&cycle->crews, g_ptr_array_unref);
  g_clear_pointer (&cycle->shift_types, g_ptr_array_unref);

  /* A cursor from the future is refused with the head of the log. */
  enr_api_client_get_changes_async (cycle->engine->client, G_MAXINT64, 1, cycle->cancellable,
                                    on_head_cb, cycle);
}

/* Pull */

static void pull_next (Cycle *cycle);

static void
on_changes_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Cycle *cycle = user_data;
  g_autoptr(EnrApiProblem) problem = NULL;
  g_autoptr(EnrApiChanges) changes = NULL;
  g_autoptr(GPtrArray) store_changes = NULL;
  g_autofree char *cursor = NULL;
  GError *error = NULL;

  changes = enr_api_client_get_changes_finish (ENR_API_CLIENT (source_object), result, &problem, &error);
  if (changes == NULL)
    {
      if (g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_GONE) && !cycle->downloaded)
        {
          g_clear_error (&error);
          download_start (cycle);
          return;
        }

      cycle_note_problem (cycle, problem);
      cycle_set_error (cycle, error);
      cycle_finish (cycle);
      return;
    }

  if (changes->cursor < cycle->cursor || (changes->more && changes->cursor == cycle->cursor))
    {
      cycle_set_error (cycle, g_error_new (ENR_API_ERROR, ENR_API_ERROR_PROTOCOL,
                                           _("The service's change log went backwards (%" PRId64
                                             " after %" PRId64 ")."),
                                           changes->cursor, cycle->cursor));
      cycle_finish (cycle);
      return;
    }

  store_changes = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_store_change_free);
  for (guint i = 0; i < changes->changes->len; i++)
    {
      EnrApiChange *change = g_ptr_array_index (changes->changes, i);
      g_autofree char *json = NULL;

      if (change->cursor <= cycle->cursor)
        continue;

      /* A type this client does not keep (a newer service). */
      if (change->type == G_TYPE_INVALID)
        continue;

      if (!change->deleted)
        json = enr_codec_encode_string (change->object);

      g_ptr_array_add (store_changes, enr_store_change_new (change->type, change->id, json));
    }

  cursor = g_strdup_printf ("%" G_GINT64_FORMAT, changes->cursor);
  if (!enr_store_apply_changes (cycle->engine->store, store_changes, cursor, &error))
    {
      cycle_set_error (cycle, error);
      cycle_finish (cycle);
      return;
    }

  cycle->cursor = changes->cursor;

  if (changes->more)
    pull_next (cycle);
  else
    cycle_finish (cycle);
}

static void
pull_next (Cycle *cycle)
{
  enr_api_client_get_changes_async (cycle->engine->client, cycle->cursor, ENR_SYNC_PULL_LIMIT,
                                    cycle->cancellable, on_changes_cb, cycle);
}

static void
pull_start (Cycle  *cycle,
            gint64  cursor)
{
  cycle->phase = PHASE_PULL;
  cycle->cursor = cursor;
  pull_next (cycle);
}

/* Cycles */

static void
cycle_start (EnrSyncEngine *self)
{
  Cycle *cycle;

  g_assert (self->cycle == NULL);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->again = FALSE;

  cycle = g_new0 (Cycle, 1);
  cycle->engine = g_object_ref (self);
  cycle->cancellable = g_object_ref (self->cancellable);
  cycle->waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  cycle->retry_delay = -1;
  cycle->sending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_queue_init (&cycle->ready);
  cycle->known = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  cycle->acks = g_array_new (FALSE, FALSE, sizeof (EnrOutboxAck));
  g_array_set_clear_func (cycle->acks, (GDestroyNotify) enr_outbox_ack_clear);
  cycle->versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cycle = cycle;

  set_state (self, ENR_SYNC_STATE_SYNCING);

  if (enr_outbox_get_store (self->outbox) == NULL)
    {
      cycle_set_error (cycle, g_error_new (ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                                           _("The local database is closed")));
      cycle_finish (cycle);
      return;
    }

  if (enr_api_client_get_token (self->client) == NULL)
    {
      cycle_set_error (cycle, g_error_new (ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED,
                                           _("Sign in to send and receive changes.")));
      cycle_finish (cycle);
      return;
    }

  push_start (cycle);
}

static gboolean
on_start_cb (gpointer user_data)
{
  EnrSyncEngine *self = user_data;

  self->start_id = 0;

  if (self->cycle == NULL)
    cycle_start (self);
  else
    self->again = TRUE;

  return G_SOURCE_REMOVE;
}

/* A cycle soon: now when idle, after the running one otherwise. */
static void
request_cycle (EnrSyncEngine *self)
{
  if (self->cycle != NULL)
    {
      self->again = TRUE;
      return;
    }

  if (self->start_id == 0)
    self->start_id = g_idle_add (on_start_cb, self);
}

/* Triggers */

static gboolean
on_debounce_cb (gpointer user_data)
{
  EnrSyncEngine *self = user_data;

  self->debounce_id = 0;

  if (self->running && self->state != ENR_SYNC_STATE_SIGN_IN_NEEDED)
    request_cycle (self);

  return G_SOURCE_REMOVE;
}

static void
debounce (EnrSyncEngine *self,
          guint          ms)
{
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (ms, on_debounce_cb, self);
}

static void
on_network_changed_cb (GNetworkMonitor *monitor,
                       gboolean         available,
                       gpointer         user_data)
{
  EnrSyncEngine *self = user_data;

  /* Only a hint: a request decides whether the service is reachable. */
  if (available)
    {
      self->failures = 0;
      debounce (self, NETWORK_DEBOUNCE_MS);
    }
}

static gboolean
on_outbox_idle_cb (gpointer user_data)
{
  EnrSyncEngine *self = user_data;

  self->outbox_idle_id = 0;
  refresh_counts (self);

  if (!self->running || self->state == ENR_SYNC_STATE_SIGN_IN_NEEDED)
    return G_SOURCE_REMOVE;

  /* A running push picks new operations up itself. */
  if (self->cycle != NULL)
    {
      if (self->cycle->phase != PHASE_PUSH && outbox_has_due_work (self))
        self->again = TRUE;
    }
  else if (outbox_has_due_work (self))
    debounce (self, OUTBOX_DEBOUNCE_MS);

  return G_SOURCE_REMOVE;
}

static void
on_outbox_changed_cb (EnrOutbox *outbox,
                      gpointer   user_data)
{
  EnrSyncEngine *self = user_data;

  if (self->outbox_idle_id == 0)
    self->outbox_idle_id = g_idle_add (on_outbox_idle_cb, self);
}

/* Public API */

EnrSyncEngine *
enr_sync_engine_new (EnrStore     *store,
                     EnrApiClient *client)
{
  g_return_val_if_fail (ENR_IS_STORE (store), NULL);
  g_return_val_if_fail (ENR_IS_API_CLIENT (client), NULL);

  return g_object_new (ENR_TYPE_SYNC_ENGINE,
                       "store", store,
                       "client", client,
                       NULL);
}

/**
 * enr_sync_engine_get_store:
 *
 * Returns: (transfer none): the client store
 */
EnrStore *
enr_sync_engine_get_store (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), NULL);

  return self->store;
}

/**
 * enr_sync_engine_get_client:
 *
 * Returns: (transfer none): the API client
 */
EnrApiClient *
enr_sync_engine_get_client (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), NULL);

  return self->client;
}

EnrSyncState
enr_sync_engine_get_state (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), ENR_SYNC_STATE_OFFLINE);

  return self->state;
}

/**
 * enr_sync_engine_get_pending_count:
 *
 * Returns: operations not yet acknowledged by the service (pending or
 *   being sent)
 */
guint
enr_sync_engine_get_pending_count (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), 0);

  return self->pending_count;
}

guint
enr_sync_engine_get_conflict_count (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), 0);

  return self->conflict_count;
}

guint
enr_sync_engine_get_rejected_count (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), 0);

  return self->rejected_count;
}

/**
 * enr_sync_engine_get_progress:
 *
 * Returns: the fraction done of the running download or push (1 when idle)
 */
double
enr_sync_engine_get_progress (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), 0.0);

  return self->progress;
}

/**
 * enr_sync_engine_get_last_success:
 *
 * Returns: (transfer none) (nullable): when a cycle last succeeded
 */
GDateTime *
enr_sync_engine_get_last_success (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), NULL);

  return self->last_success;
}

/**
 * enr_sync_engine_get_last_error:
 *
 * Returns: (nullable): why the last cycle failed, for a person to read;
 *   %NULL after a success
 */
const char *
enr_sync_engine_get_last_error (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), NULL);

  return self->last_error;
}

/**
 * enr_sync_engine_get_user:
 *
 * Returns: (transfer none) (nullable): the signed-in user
 */
EnrUser *
enr_sync_engine_get_user (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), NULL);

  return self->user;
}

gboolean
enr_sync_engine_get_running (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), FALSE);

  return self->running;
}

/**
 * enr_sync_engine_set_backoff:
 * @base: the first backoff ceiling (µs), by default 1 s
 * @cap: the largest (µs), by default 5 min
 */
void
enr_sync_engine_set_backoff (EnrSyncEngine *self,
                             gint64         base,
                             gint64         cap)
{
  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));
  g_return_if_fail (base >= 0 && cap >= base);

  self->backoff_base = base;
  self->backoff_cap = cap;
}

/**
 * enr_sync_engine_set_max_in_flight:
 * @max_in_flight: how many requests a cycle keeps open at once (1–32);
 *   operations of one entity always go one after the other
 */
void
enr_sync_engine_set_max_in_flight (EnrSyncEngine *self,
                                   guint          max_in_flight)
{
  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));
  g_return_if_fail (max_in_flight >= 1 && max_in_flight <= 32);

  self->max_in_flight = max_in_flight;
}

/**
 * enr_sync_engine_set_poll_interval:
 * @seconds: how often to pull while idle in automatic mode; 0: never
 */
void
enr_sync_engine_set_poll_interval (EnrSyncEngine *self,
                                   guint          seconds)
{
  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));

  self->poll_interval = seconds;
}

/**
 * enr_sync_engine_start:
 *
 * Starts automatic mode and a cycle.
 */
void
enr_sync_engine_start (EnrSyncEngine *self)
{
  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));

  if (self->running)
    return;

  self->running = TRUE;
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_changed_id = g_signal_connect (self->monitor, "network-changed",
                                               G_CALLBACK (on_network_changed_cb), self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  request_cycle (self);
}

/**
 * enr_sync_engine_stop:
 *
 * Leaves automatic mode and cancels the running cycle; operations being
 * sent stay queued with their idempotency keys.
 */
void
enr_sync_engine_stop (EnrSyncEngine *self)
{
  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->monitor != NULL)
    {
      g_clear_signal_handler (&self->network_changed_id, self->monitor);
      g_clear_object (&self->monitor);
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->running)
    {
      self->running = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
}

/**
 * enr_sync_engine_sync_now:
 *
 * Asks for a cycle now, skipping any backoff wait.
 */
void
enr_sync_engine_sync_now (EnrSyncEngine *self)
{
  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  request_cycle (self);
}

/**
 * enr_sync_engine_sync_async:
 *
 * Runs one cycle — after the running one, so that it sees every change
 * made before the call — and reports how it went.
 */
void
enr_sync_engine_sync_async (EnrSyncEngine       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, enr_sync_engine_sync_async);
  g_ptr_array_add (self->waiters, g_steal_pointer (&task));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  request_cycle (self);
}

/**
 * enr_sync_engine_sync_finish:
 *
 * Returns: %TRUE when the cycle pushed every due operation (each is done,
 *   in conflict or rejected) and pulled every change; otherwise %FALSE with
 *   an %ENR_API_ERROR or %ENR_STORE_ERROR
 */
gboolean
enr_sync_engine_sync_finish (EnrSyncEngine  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == enr_sync_engine_sync_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sessions */

static void
on_signed_in_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EnrSyncEngine *self = g_task_get_source_object (task);
  g_autoptr(EnrApiSession) session = NULL;
  GError *error = NULL;

  session = enr_api_client_sign_in_finish (ENR_API_CLIENT (source_object), result, NULL, &error);
  if (session == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  enr_sync_engine_set_session (self, session->token, session->user);
  g_task_return_pointer (task, g_object_ref (session->user), g_object_unref);
}

/**
 * enr_sync_engine_sign_in_async:
 *
 * Signs in (POST /v1/sessions); on success the engine keeps the token in
 * memory and, in automatic mode, syncs.
 */
void
enr_sync_engine_sign_in_async (EnrSyncEngine       *self,
                               const char          *username,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, enr_sync_engine_sign_in_async);

  enr_api_client_sign_in_async (self->client, username, password, cancellable,
                                on_signed_in_cb, g_steal_pointer (&task));
}

/**
 * enr_sync_engine_sign_in_finish:
 *
 * Returns: (transfer full): the signed-in user, or %NULL with @error set
 *   (%ENR_API_ERROR_UNAUTHORIZED: wrong user name or password)
 */
EnrUser *
enr_sync_engine_sign_in_finish (EnrSyncEngine  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == enr_sync_engine_sign_in_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * enr_sync_engine_set_session:
 * @token: (nullable): a bearer token from POST /v1/sessions, or %NULL
 * @user: (nullable): its user
 *
 * Uses a session obtained elsewhere (%NULL forgets it).
 */
void
enr_sync_engine_set_session (EnrSyncEngine *self,
                             const char    *token,
                             EnrUser       *user)
{
  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));
  g_return_if_fail (user == NULL || ENR_IS_USER (user));

  enr_api_client_set_token (self->client, token);
  set_user (self, token != NULL ? user : NULL);

  if (token == NULL)
    {
      set_state (self, ENR_SYNC_STATE_SIGN_IN_NEEDED);
      return;
    }

  self->failures = 0;
  if (self->state == ENR_SYNC_STATE_SIGN_IN_NEEDED)
    set_state (self, ENR_SYNC_STATE_OFFLINE);
  if (self->running)
    request_cycle (self);
}

static void
on_signed_out_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* The session is forgotten here whatever the service said. */
  if (!enr_api_client_sign_out_finish (ENR_API_CLIENT (source_object), result, NULL, &error) &&
      !g_error_matches (error, ENR_API_ERROR, ENR_API_ERROR_UNAUTHORIZED))
    g_task_return_error (task, error);
  else
    {
      g_clear_error (&error);
      g_task_return_boolean (task, TRUE);
    }
}

/**
 * enr_sync_engine_sign_out_async:
 *
 * Forgets the session at once and ends it on the service. Queued
 * operations stay for the next sign-in.
 */
void
enr_sync_engine_sign_out_async (EnrSyncEngine       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, enr_sync_engine_sign_out_async);

  if (enr_api_client_get_token (self->client) == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The request carries the token; forget it once it is on its way. */
  enr_api_client_sign_out_async (self->client, cancellable, on_signed_out_cb,
                                 g_steal_pointer (&task));
  if (self->cycle != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  enr_sync_engine_set_session (self, NULL, NULL);
}

/**
 * enr_sync_engine_sign_out_finish:
 *
 * Returns: %TRUE when the service ended the session (or had forgotten it)
 */
gboolean
enr_sync_engine_sign_out_finish (EnrSyncEngine  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == enr_sync_engine_sign_out_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Customers */

static void
on_customer_fetched_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EnrSyncEngine *self = g_task_get_source_object (task);
  g_autoptr(EnrApiCustomerView) view = NULL;
  GError *error = NULL;

  view = enr_api_client_get_customer_finish (ENR_API_CLIENT (source_object), result, NULL, &error);
  if (view == NULL || !store_customer_view (self, view, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Tasks go through the pull's path, so local edits are kept; the
   * cursor does not move. */
  if (view->service_tasks->len > 0)
    {
      g_autoptr(GPtrArray) changes = changes_from_objects (ENR_TYPE_SERVICE_TASK, view->service_tasks);

      if (!enr_store_apply_changes (self->store, changes, NULL, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_pointer (task, g_object_ref (view->customer), g_object_unref);
}

void
enr_sync_engine_fetch_customer_async (EnrSyncEngine       *self,
                                      const char          *customer_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));
  g_return_if_fail (customer_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, enr_sync_engine_fetch_customer_async);

  enr_api_client_get_customer_async (self->client, customer_id, cancellable,
                                     on_customer_fetched_cb, g_steal_pointer (&task));
}

/**
 * enr_sync_engine_fetch_customer_finish:
 *
 * Returns: (transfer full): the customer, now stored with everything
 *   around it
 */
EnrCustomer *
enr_sync_engine_fetch_customer_finish (EnrSyncEngine  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == enr_sync_engine_fetch_customer_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Resolution */

/**
 * enr_sync_engine_keep_mine:
 * @seq: an operation in conflict (or rejected) that has the service's copy
 *
 * Sends the local change again on top of the service's version (with a
 * new idempotency key); a new conflict is possible if the record changes
 * again meanwhile.
 */
gboolean
enr_sync_engine_keep_mine (EnrSyncEngine  *self,
                           gint64          seq,
                           GError        **error)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!enr_outbox_keep_mine (self->outbox, seq, -1, error))
    return FALSE;

  refresh_counts (self);
  if (self->running)
    request_cycle (self);

  return TRUE;
}

static void
on_refreshed_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(EnrSyncEngine) self = user_data;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) changes = NULL;

  task = enr_api_client_get_task_finish (ENR_API_CLIENT (source_object), result, NULL, &error);
  if (task == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Refreshing a task after “take theirs” failed: %s", error->message);
      return;
    }

  g_ptr_array_add (tasks, g_object_ref (task));
  changes = changes_from_objects (ENR_TYPE_SERVICE_TASK, tasks);
  if (!enr_store_apply_changes (self->store, changes, NULL, &error))
    g_warning ("Storing the service's copy of task %s failed: %s",
               enr_entity_get_id (ENR_ENTITY (task)), error->message);
}

/**
 * enr_sync_engine_take_theirs:
 * @seq: an operation in conflict or rejected
 *
 * Discards the local change (and the later changes of the same record):
 * the service's copy replaces the local one. When the operation kept no
 * copy (a rejection), the service's copy of a task is fetched afterwards.
 */
gboolean
enr_sync_engine_take_theirs (EnrSyncEngine  *self,
                             gint64          seq,
                             GError        **error)
{
  g_autoptr(EnrOperation) operation = NULL;

  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(operation = enr_outbox_get (self->outbox, seq, error)) ||
      !enr_outbox_take_theirs (self->outbox, seq, error))
    return FALSE;

  refresh_counts (self);

  if (enr_operation_get_server_copy (operation) == NULL && is_task_operation (operation) &&
      enr_operation_get_kind (operation) != ENR_OPERATION_KIND_CREATE_TASK &&
      enr_api_client_get_token (self->client) != NULL)
    enr_api_client_get_task_async (self->client, enr_operation_get_entity_id (operation),
                                   self->cancellable, on_refreshed_cb, g_object_ref (self));

  return TRUE;
}

/**
 * enr_sync_engine_save_as_new:
 * @seq: a service-task operation in conflict or rejected
 *
 * Keeps the local work as a new flow with a new task (queued as a
 * create); the original record takes the service's copy.
 *
 * Returns: (transfer full): the new flow, or %NULL with @error set
 */
EnrProcessFlow *
enr_sync_engine_save_as_new (EnrSyncEngine  *self,
                             gint64          seq,
                             GError        **error)
{
  EnrProcessFlow *flow;

  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(flow = enr_outbox_save_as_new (self->outbox, seq, error)))
    return NULL;

  refresh_counts (self);
  if (self->running)
    request_cycle (self);

  return flow;
}

/* GObject */

static void
enr_sync_engine_constructed (GObject *object)
{
  EnrSyncEngine *self = (EnrSyncEngine *)object;

  G_OBJECT_CLASS (enr_sync_engine_parent_class)->constructed (object);

  g_assert (self->store != NULL && self->client != NULL);

  self->outbox = g_object_ref (enr_store_get_outbox (self->store));
  self->outbox_changed_id = g_signal_connect (self->outbox, "changed",
                                              G_CALLBACK (on_outbox_changed_cb), self);

  if (enr_api_client_get_token (self->client) == NULL)
    self->state = ENR_SYNC_STATE_SIGN_IN_NEEDED;

  refresh_counts (self);
}

static void
enr_sync_engine_dispose (GObject *object)
{
  EnrSyncEngine *self = (EnrSyncEngine *)object;

  enr_sync_engine_stop (self);
  g_clear_handle_id (&self->start_id, g_source_remove);
  g_clear_handle_id (&self->outbox_idle_id, g_source_remove);
  if (self->outbox != NULL)
    g_clear_signal_handler (&self->outbox_changed_id, self->outbox);

  if (self->waiters != NULL)
    {
      for (guint i = 0; i < self->waiters->len; i++)
        g_task_return_new_error (g_ptr_array_index (self->waiters, i), G_IO_ERROR,
                                 G_IO_ERROR_CANCELLED, _("Syncing stopped"));
      g_ptr_array_set_size (self->waiters, 0);
    }

  G_OBJECT_CLASS (enr_sync_engine_parent_class)->dispose (object);
}

static void
enr_sync_engine_finalize (GObject *object)
{
  EnrSyncEngine *self = (EnrSyncEngine *)object;

  g_clear_object (&self->outbox);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->last_success, g_date_time_unref);
  g_free (self->last_error);
  g_clear_object (&self->user);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (enr_sync_engine_parent_class)->finalize (object);
}

static void
enr_sync_engine_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EnrSyncEngine *self = ENR_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PENDING_COUNT:
      g_value_set_uint (value, self->pending_count);
      break;
    case PROP_CONFLICT_COUNT:
      g_value_set_uint (value, self->conflict_count);
      break;
    case PROP_REJECTED_COUNT:
      g_value_set_uint (value, self->rejected_count);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_LAST_SUCCESS:
      g_value_set_boxed (value, self->last_success);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_USER:
      g_value_set_object (value, self->user);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_sync_engine_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EnrSyncEngine *self = ENR_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_sync_engine_class_init (EnrSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = enr_sync_engine_constructed;
  object_class->dispose = enr_sync_engine_dispose;
  object_class->finalize = enr_sync_engine_finalize;
  object_class->get_property = enr_sync_engine_get_property;
  object_class->set_property = enr_sync_engine_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         ENR_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ENR_TYPE_API_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       ENR_TYPE_SYNC_STATE, ENR_SYNC_STATE_OFFLINE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PENDING_COUNT] =
    g_param_spec_uint ("pending-count", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CONFLICT_COUNT] =
    g_param_spec_uint ("conflict-count", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REJECTED_COUNT] =
    g_param_spec_uint ("rejected-count", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL,
                         0.0, 1.0, 0.0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST_SUCCESS] =
    g_param_spec_boxed ("last-success", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_USER] =
    g_param_spec_object ("user", NULL, NULL,
                         ENR_TYPE_USER,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EnrSyncEngine::cycle-finished:
   * @success: whether the cycle pushed and pulled everything
   */
  signals[CYCLE_FINISHED] =
    g_signal_new ("cycle-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
enr_sync_engine_init (EnrSyncEngine *self)
{
  self->state = ENR_SYNC_STATE_OFFLINE;
  self->progress = 0.0;
  self->backoff_base = ENR_BACKOFF_DEFAULT_BASE;
  self->backoff_cap = ENR_BACKOFF_DEFAULT_CAP;
  self->max_in_flight = ENR_SYNC_DEFAULT_MAX_IN_FLIGHT;
  self->poll_interval = ENR_SYNC_DEFAULT_POLL_INTERVAL;
  self->cancellable = g_cancellable_new ();
  self->rand = g_rand_new ();
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

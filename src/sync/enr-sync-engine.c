/* enr-sync-engine.c — keeps the client store and the service in step
 *
 * The engine's object, its public API and what starts a cycle; the cycle
 * itself is in enr-sync-engine-cycle.c, its phases in -push.c, -download.c
 * and -pull.c, the watch of the change feed between cycles in -watch.c,
 * and conflict resolution in -resolve.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-backoff.h"
#include "enr-sync-engine-private.h"

#define NETWORK_DEBOUNCE_MS 2000
#define OUTBOX_DEBOUNCE_MS  250

G_DEFINE_FINAL_TYPE (EnrSyncEngine, enr_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLIENT,
  PROP_STATE,
  PROP_PENDING_COUNT,
  PROP_CONFLICT_COUNT,
  PROP_REJECTED_COUNT,
  PROP_WAITING_COUNT,
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

/* Properties */

void
_enr_sync_engine_set_state (EnrSyncEngine *self,
                            EnrSyncState   state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_enr_sync_engine_set_progress (EnrSyncEngine *self,
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

/* @total: the customers of the running download (0: no download of
 * customers runs); set before the progress, which notifies. */
void
_enr_sync_engine_set_download_count (EnrSyncEngine *self,
                                     guint          done,
                                     guint          total)
{
  if (total == 0)
    {
      self->download_done = self->download_total = 0;
      return;
    }

  if (self->download_total == 0)
    {
      self->download_first = done;
      self->download_started = g_get_monotonic_time ();
    }

  self->download_done = done;
  self->download_total = total;
}

void
_enr_sync_engine_set_last_error (EnrSyncEngine *self,
                                 const char    *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

/* Kept in the store too: after a restart, offline, it still tells how
 * old the data is. */
void
_enr_sync_engine_set_last_success (EnrSyncEngine *self,
                                   GDateTime     *when)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->last_success, g_date_time_unref);
  self->last_success = g_date_time_ref (when);
  if (!enr_store_set_last_sync (self->store, when, &error))
    g_warning ("Could not keep the time of the last sync: %s", error->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
}

void
_enr_sync_engine_emit_cycle_finished (EnrSyncEngine *self,
                                      gboolean       success)
{
  g_signal_emit (self, signals[CYCLE_FINISHED], 0, success);
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

/* The owner of the operations this engine sends: its session's user. */
const char *
_enr_sync_engine_get_sender (EnrSyncEngine *self)
{
  return self->user != NULL ? enr_user_get_username (self->user) : NULL;
}

/* Whose operations count as "mine": the session's user, else whoever
 * works on this computer offline (the store's user); %NULL: nobody. */
const char *
_enr_sync_engine_get_acting_user (EnrSyncEngine *self)
{
  const char *sender = _enr_sync_engine_get_sender (self);

  return sender != NULL ? sender : enr_store_get_user (self->store);
}

static gint64
count_mine (EnrSyncEngine     *self,
            const char        *owner,
            EnrOperationState  state)
{
  return owner != NULL ? enr_outbox_count_of_owner (self->outbox, state, owner, NULL)
                       : enr_outbox_count (self->outbox, state, NULL);
}

void
_enr_sync_engine_refresh_counts (EnrSyncEngine *self)
{
  const char *owner = _enr_sync_engine_get_acting_user (self);
  gint64 pending, in_flight, conflicts, rejected, waiting;

  if (enr_outbox_get_store (self->outbox) == NULL)
    return;

  /* With nobody at work, every operation counts as to be sent. */
  pending = count_mine (self, owner, ENR_OPERATION_STATE_PENDING);
  in_flight = count_mine (self, owner, ENR_OPERATION_STATE_IN_FLIGHT);
  conflicts = count_mine (self, owner, ENR_OPERATION_STATE_CONFLICT);
  rejected = count_mine (self, owner, ENR_OPERATION_STATE_REJECTED);
  waiting = owner != NULL ? enr_outbox_count_of_others (self->outbox, owner, NULL) : 0;

  g_object_freeze_notify (G_OBJECT (self));
  if (pending >= 0 && in_flight >= 0)
    set_count (self, &self->pending_count, (guint) (pending + in_flight), PROP_PENDING_COUNT);
  if (conflicts >= 0)
    set_count (self, &self->conflict_count, (guint) conflicts, PROP_CONFLICT_COUNT);
  if (rejected >= 0)
    set_count (self, &self->rejected_count, (guint) rejected, PROP_REJECTED_COUNT);
  if (waiting >= 0)
    set_count (self, &self->waiting_count, (guint) waiting, PROP_WAITING_COUNT);
  g_object_thaw_notify (G_OBJECT (self));
}

/* An operation only its owner decides about. */
gboolean
_enr_sync_engine_check_owner (EnrSyncEngine  *self,
                              gint64          seq,
                              GError        **error)
{
  g_autoptr(EnrOperation) operation = enr_outbox_get (self->outbox, seq, error);
  const char *owner;

  if (operation == NULL)
    return FALSE;

  owner = enr_operation_get_owner (operation);
  if (owner != NULL && g_strcmp0 (owner, _enr_sync_engine_get_acting_user (self)) == 0)
    return TRUE;

  g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
               _("This change was made by %s; only they can decide what becomes of it."),
               owner != NULL ? owner : _("someone else"));
  return FALSE;
}

/* Helpers */

static gboolean
outbox_has_due_work (EnrSyncEngine *self)
{
  g_autoptr(GPtrArray) due = NULL;

  if (enr_outbox_get_store (self->outbox) == NULL)
    return FALSE;

  due = enr_outbox_next (self->outbox, _enr_sync_engine_get_sender (self), 1, NULL);
  return due != NULL && due->len > 0;
}

GPtrArray *
_enr_sync_changes_from_objects (GType      type,
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

/* A customer's records (customers with what hangs off them), in one
 * transaction. */
gboolean
_enr_sync_engine_store_customer_records (EnrSyncEngine  *self,
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

  return _enr_sync_engine_store_customer_records (self, customers, view->service_points,
                                                  view->metered_services, view->device_locations,
                                                  view->devices, view->subscriptions, error);
}

/* Triggers */

static gboolean
on_debounce_cb (gpointer user_data)
{
  EnrSyncEngine *self = user_data;

  self->debounce_id = 0;

  if (self->running && self->state != ENR_SYNC_STATE_SIGN_IN_NEEDED)
    _enr_sync_engine_request_cycle (self);

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
  _enr_sync_engine_refresh_counts (self);

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

/* Whose operations are "mine" changes with who works here. */
static void
on_store_user_changed_cb (EnrSyncEngine *self)
{
  _enr_sync_engine_refresh_counts (self);
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
 * Returns: operations of the signed-in user (else of the store's user)
 *   not yet acknowledged by the service (pending or being sent)
 */
guint
enr_sync_engine_get_pending_count (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), 0);

  return self->pending_count;
}

/**
 * enr_sync_engine_get_waiting_count:
 *
 * Returns: operations of other users (or of no known user) not yet
 *   acknowledged: they wait until their owner signs in here
 */
guint
enr_sync_engine_get_waiting_count (EnrSyncEngine *self)
{
  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), 0);

  return self->waiting_count;
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
 * enr_sync_engine_get_download_count:
 * @done: (out) (optional): the customers stored so far
 * @total: (out) (optional): the customers of the service
 * @seconds_left: (out) (optional): an estimate of the time the download
 *   still takes, from its pace so far; -1 while too early to tell
 *
 * Returns: %TRUE while a full download receives customers; %FALSE (and
 *   zeros) otherwise
 */
gboolean
enr_sync_engine_get_download_count (EnrSyncEngine *self,
                                    guint         *done,
                                    guint         *total,
                                    int           *seconds_left)
{
  int left = -1;

  g_return_val_if_fail (ENR_IS_SYNC_ENGINE (self), FALSE);

  if (self->download_total > 0 && self->download_done > self->download_first)
    {
      double elapsed = (double) (g_get_monotonic_time () - self->download_started) / G_USEC_PER_SEC;
      double pace = (double) (self->download_done - self->download_first) / MAX (elapsed, 0.001);
      guint remaining = self->download_total - MIN (self->download_done, self->download_total);

      /* A second of data at least, or the pace means nothing yet. */
      if (elapsed >= 1.0)
        left = (int) MIN ((double) remaining / pace + 0.5, (double) G_MAXINT);
    }

  if (done != NULL)
    *done = self->download_done;
  if (total != NULL)
    *total = self->download_total;
  if (seconds_left != NULL)
    *seconds_left = left;

  return self->download_total > 0;
}

/**
 * enr_sync_engine_get_last_success:
 *
 * Returns: (transfer none) (nullable): when a cycle, or the watch of the
 *   change feed, last succeeded; kept in the store across restarts
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
 * enr_sync_engine_set_download_batch:
 * @customers: about how many customers a full download stores per
 *   transaction (1–100000; the default is %ENR_SYNC_DEFAULT_DOWNLOAD_BATCH);
 *   pages are asked for at most this size
 *
 * Tests make it small, to interrupt a download between batches.
 */
void
enr_sync_engine_set_download_batch (EnrSyncEngine *self,
                                    guint          customers)
{
  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));
  g_return_if_fail (customers >= 1 && customers <= 100000);

  self->download_batch = customers;
}

/**
 * enr_sync_engine_set_watch_seconds:
 * @seconds: how long the service may hold the engine's watch of the
 *   change feed while idle in automatic mode (1–60); 0: no watch (the
 *   engine then syncs only when the outbox gets work, the network
 *   changes, a retry is due or it is asked to)
 */
void
enr_sync_engine_set_watch_seconds (EnrSyncEngine *self,
                                   guint          seconds)
{
  g_return_if_fail (ENR_IS_SYNC_ENGINE (self));
  g_return_if_fail (seconds <= 60);

  self->watch_seconds = seconds;
  if (seconds == 0)
    _enr_sync_engine_watch_stop (self);
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
  _enr_sync_engine_request_cycle (self);
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
  _enr_sync_engine_watch_stop (self);
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
  _enr_sync_engine_request_cycle (self);
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
  _enr_sync_engine_request_cycle (self);
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

/* Operations queued before owners were recorded, of no known owner, go
 * out under the first supervisor's session (who may act on any task). */
static void
claim_unowned (EnrSyncEngine *self)
{
  g_autoptr(GError) error = NULL;
  gint64 claimed;

  if (self->user == NULL || enr_user_get_role (self->user) != ENR_ROLE_SUPERVISOR ||
      enr_outbox_get_store (self->outbox) == NULL)
    return;

  claimed = enr_outbox_claim_unowned (self->outbox, enr_user_get_username (self->user), &error);
  if (claimed < 0)
    g_warning ("Could not give the changes of no known owner to %s: %s",
               enr_user_get_username (self->user), error->message);
  else if (claimed > 0)
    g_message ("%" G_GINT64_FORMAT " queued changes of no known owner go out as %s",
               claimed, enr_user_get_username (self->user));
}

/**
 * enr_sync_engine_set_session:
 * @token: (nullable): a bearer token from POST /v1/sessions, or %NULL
 * @user: (nullable): its user; without one, no operation is sent
 *
 * Uses a session obtained elsewhere (%NULL forgets it). Only the
 * operations @user queued are sent under it.
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
  claim_unowned (self);
  _enr_sync_engine_refresh_counts (self);

  if (token == NULL)
    {
      _enr_sync_engine_watch_stop (self);
      _enr_sync_engine_set_state (self, ENR_SYNC_STATE_SIGN_IN_NEEDED);
      return;
    }

  self->failures = 0;
  if (self->state == ENR_SYNC_STATE_SIGN_IN_NEEDED)
    _enr_sync_engine_set_state (self, ENR_SYNC_STATE_OFFLINE);
  if (self->running)
    _enr_sync_engine_request_cycle (self);
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
      g_autoptr(GPtrArray) changes = NULL;

      changes = _enr_sync_changes_from_objects (ENR_TYPE_SERVICE_TASK, view->service_tasks);

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
  g_signal_connect_object (self->store, "notify::user", G_CALLBACK (on_store_user_changed_cb),
                           self, G_CONNECT_SWAPPED);

  if (enr_api_client_get_token (self->client) == NULL)
    self->state = ENR_SYNC_STATE_SIGN_IN_NEEDED;

  self->last_success = enr_store_get_last_sync (self->store, NULL);
  _enr_sync_engine_refresh_counts (self);
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
    case PROP_WAITING_COUNT:
      g_value_set_uint (value, self->waiting_count);
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
  properties[PROP_WAITING_COUNT] =
    g_param_spec_uint ("waiting-count", NULL, NULL,
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
  self->download_batch = ENR_SYNC_DEFAULT_DOWNLOAD_BATCH;
  self->backoff_base = ENR_BACKOFF_DEFAULT_BASE;
  self->backoff_cap = ENR_BACKOFF_DEFAULT_CAP;
  self->max_in_flight = ENR_SYNC_DEFAULT_MAX_IN_FLIGHT;
  self->watch_seconds = ENR_SYNC_DEFAULT_WATCH_SECONDS;
  self->cancellable = g_cancellable_new ();
  self->rand = g_rand_new ();
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

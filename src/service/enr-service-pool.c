/* enr-service-pool.c — a few PostgreSQL connections, each on a thread of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-pool.h"

struct _EnrServicePool
{
  GThreadPool *threads;
  GAsyncQueue *idle;       /* the stores no job uses */
  GPtrArray   *stores;
};

typedef struct
{
  EnrServicePoolFunc func;
  gpointer           data;
} Job;

static void
run_job (gpointer data,
         gpointer user_data)
{
  EnrServicePool *self = user_data;
  Job *job = data;
  EnrServiceStore *store = g_async_queue_pop (self->idle);

  job->func (store, job->data);

  /* A job never leaves a transaction open behind it. */
  if (enr_service_store_in_transaction (store))
    {
      g_warning ("A job left a transaction open; rolled back");
      enr_service_store_rollback (store);
    }

  /* Last in, first out: the next job takes the connection used last,
   * whose backend is the likeliest to be awake and to have its caches
   * warm; when few requests are in flight the others' backends sleep. */
  g_async_queue_push_front (self->idle, store);
  g_free (job);
}

/**
 * enr_service_pool_new:
 * @target: the postgresql:// URI
 * @size: connections and threads
 * @first: the service's own store, whose caches the pool's stores share
 *
 * Returns: (transfer full): the pool, or %NULL when a connection failed
 */
EnrServicePool *
enr_service_pool_new (const char       *target,
                      guint             size,
                      EnrServiceStore  *first,
                      GError          **error)
{
  g_autoptr(EnrServicePool) self = g_new0 (EnrServicePool, 1);

  g_return_val_if_fail (size > 0, NULL);

  self->idle = g_async_queue_new ();
  self->stores = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < size; i++)
    {
      EnrServiceStore *store = enr_service_store_open (target, error);

      if (store == NULL)
        return NULL;
      enr_service_store_share_caches (store, first);
      g_ptr_array_add (self->stores, store);
      g_async_queue_push (self->idle, store);
    }

  self->threads = g_thread_pool_new (run_job, self, size, TRUE, error);
  if (self->threads == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

/* Any thread. */
void
enr_service_pool_push (EnrServicePool     *self,
                       EnrServicePoolFunc  func,
                       gpointer            data)
{
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->data = data;
  g_thread_pool_push (self->threads, job, NULL);
}

guint
enr_service_pool_get_size (EnrServicePool *self)
{
  return self->stores->len;
}

/* The connections no job uses now. Any thread. */
guint
enr_service_pool_count_idle (EnrServicePool *self)
{
  gint length = g_async_queue_length (self->idle);

  return length > 0 ? (guint) length : 0;
}

/* Waits for the jobs pushed so far, then closes the connections. */
void
enr_service_pool_free (EnrServicePool *self)
{
  if (self == NULL)
    return;

  if (self->threads != NULL)
    g_thread_pool_free (self->threads, FALSE, TRUE);

  while (g_async_queue_try_pop (self->idle) != NULL)
    ;
  g_async_queue_unref (self->idle);

  for (guint i = 0; i < self->stores->len; i++)
    enr_service_store_close (g_ptr_array_index (self->stores, i));
  g_ptr_array_unref (self->stores);
  g_free (self);
}

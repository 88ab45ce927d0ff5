/* enr-store-read-ahead.c — the pages a view will read, into the page cache early
 *
 * A store that was not read for hours is out of the page cache: a clerk's
 * first searches and a supervisor's first drag of the task list then wait
 * on the disk for every page they touch, one random 4 KiB read at a time.
 * enr_store_read_ahead() reads the b-trees of a part of the store (the
 * customer search's, the task list's) into the page cache on a thread of
 * its own, in file order and in large reads, so that those pages are
 * already in memory when the view asks for them.
 *
 * Which pages: the caller's thread looks the trees' root pages up in
 * sqlite_schema (in memory once the store is open). The thread reads each
 * tree's interior pages, one level at a time, straight from the database
 * file (the b-tree page format of https://sqlite.org/fileformat2.html);
 * every leaf of a b-tree is at the same depth, so when the first child of
 * a level is a leaf, the whole level is leaves and is not read page by
 * page. The leaves are then sorted and read in runs of up to 256 KiB,
 * reading through gaps of up to 64 KiB. The -wal file is read first,
 * whole, up to 64 MiB. Pages a writer moved since are only read in vain:
 * what is read is a hint, never data; a page that is not a b-tree page, or
 * a child past the end of the file, is skipped. Overflow pages (records
 * longer than a page) are not followed: the search's and the task list's
 * records fit in their pages.
 *
 * Page cache, not memory of the process: the reads go into one 256 KiB
 * buffer, and the kernel's own read-ahead is turned off on the thread's
 * descriptor (POSIX_FADV_RANDOM), so one read of the thread is on the disk
 * at a time and a view's read waits behind at most that one. The thread
 * runs at nice 19 and at the lowest best-effort I/O priority (ioprio_set),
 * not the idle class: the pages of a read in flight are locked, and a
 * view that needs one of them (the index's interior pages, which both
 * read first) waits for that read; an idle-class read waits for every
 * other process's reads on a busy disk, for seconds. It waits while the
 * store answers a view (a search, a page of the task list:
 * _enr_store_read_ahead_hold()), and stops when the store is finalized:
 * the store does not wait for it (its current read ends, then it exits);
 * it owns its descriptor and never touches the store's connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "enr-store-private.h"

#define RUN_BYTES     (256 * 1024)
#define GAP_BYTES     (64 * 1024)
#define MAX_WAL_BYTES (64 * 1024 * 1024)
/* SQLite's deepest b-tree (BTCURSOR_MAX_DEPTH): a deeper walk is a tree a
 * writer changed under it, or a damaged file. */
#define MAX_DEPTH     20

/* linux/ioprio.h */
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_CLASS_BE    2
#define IOPRIO_WHO_PROCESS 1

/* The b-trees of each part, read in this order. */
static const char * const search_trees[] = {
  "customer_fts_idx", "customer_fts_data", "customer_fts_content", "customers", NULL,
};
static const char * const task_trees[] = {
  "service_task_counts", "service_task_counts_key", "service_tasks_created_at", "service_tasks", NULL,
};

typedef struct
{
  EnrStoreReadAhead  part;
  GArray            *roots;   /* guint32 page numbers */
} Job;

struct _EnrStoreReadAheadState
{
  gatomicrefcount  ref;
  GMutex           mutex;
  GCond            cond;
  char            *path;
  guint32          page_size;

  EnrStoreReadAhead asked;    /* the store's thread only */

  /* Under the mutex. */
  gboolean         stopping;  /* the store was finalized */
  guint            held;      /* the store answers a view */
  gboolean         running;   /* a thread works on jobs */
  GQueue           jobs;      /* Job */
  EnrStoreReadAhead done;
  guint64          bytes_read;
  guint64          waits;     /* times the thread waited for a view */
};

static gint n_running;

static void
job_free (Job *job)
{
  g_array_unref (job->roots);
  g_free (job);
}

static EnrStoreReadAheadState *
state_ref (EnrStoreReadAheadState *state)
{
  g_atomic_ref_count_inc (&state->ref);
  return state;
}

static void
state_unref (EnrStoreReadAheadState *state)
{
  if (!g_atomic_ref_count_dec (&state->ref))
    return;

  g_queue_clear_full (&state->jobs, (GDestroyNotify) job_free);
  g_mutex_clear (&state->mutex);
  g_cond_clear (&state->cond);
  g_free (state->path);
  g_free (state);
}

/* Before a read: waits while a view is answered; FALSE when stopping. */
static gboolean
may_read (EnrStoreReadAheadState *state)
{
  gboolean go;

  g_mutex_lock (&state->mutex);
  if (state->held > 0 && !state->stopping)
    {
      state->waits++;
      g_cond_broadcast (&state->cond);
      while (state->held > 0 && !state->stopping)
        g_cond_wait (&state->cond, &state->mutex);
    }
  go = !state->stopping;
  g_mutex_unlock (&state->mutex);

  return go;
}

static void
count_read (EnrStoreReadAheadState *state,
            gssize                  n)
{
  if (n <= 0)
    return;

  g_mutex_lock (&state->mutex);
  state->bytes_read += n;
  g_mutex_unlock (&state->mutex);
}

static guint32
get_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint16
get_u16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

/* The children of interior page @pgno into @children; FALSE when the page
 * is a leaf (or not a b-tree page: *@leaf then stays FALSE too). */
static gboolean
read_interior (EnrStoreReadAheadState *state,
               int                     fd,
               guint8                 *page,
               guint32                 pgno,
               guint32                 n_pages,
               GArray                 *children,
               gboolean               *leaf)
{
  guint32 size = state->page_size;
  guint header = pgno == 1 ? 100 : 0;
  gssize n = pread (fd, page, size, (off_t) (pgno - 1) * size);
  guint n_cells;

  *leaf = FALSE;
  count_read (state, n);
  if (n != (gssize) size)
    return FALSE;

  switch (page[header])
    {
    case 0x0a: /* index leaf */
    case 0x0d: /* table leaf */
      *leaf = TRUE;
      return FALSE;
    case 0x02: /* index interior */
    case 0x05: /* table interior */
      break;
    default:
      return FALSE;
    }

  n_cells = get_u16 (page + header + 3);
  for (guint i = 0; i < n_cells; i++)
    {
      guint offset = get_u16 (page + header + 12 + 2 * i);
      guint32 child;

      if (header + 12 + 2 * i + 2 > size || offset + 4 > size)
        break;
      child = get_u32 (page + offset);
      if (child >= 1 && child <= n_pages)
        g_array_append_val (children, child);
    }

  {
    guint32 right = get_u32 (page + header + 8);

    if (right >= 1 && right <= n_pages)
      g_array_append_val (children, right);
  }

  return TRUE;
}

/* Every leaf page of the trees at @roots into @leaves (interior pages are
 * read here, page by page). */
static gboolean
find_leaves (EnrStoreReadAheadState *state,
             int                     fd,
             guint8                 *page,
             guint32                 n_pages,
             GArray                 *roots,
             GArray                 *leaves)
{
  for (guint r = 0; r < roots->len; r++)
    {
      g_autoptr(GArray) children = g_array_new (FALSE, FALSE, sizeof (guint32));
      guint32 root = g_array_index (roots, guint32, r);
      gboolean leaf;

      if (root < 1 || root > n_pages)
        continue;
      if (!may_read (state))
        return FALSE;
      if (!read_interior (state, fd, page, root, n_pages, children, &leaf))
        {
          if (leaf)
            g_array_append_val (leaves, root);
          continue;
        }

      /* One level at a time. Every leaf is at the same depth: when the
       * level's first page is a leaf, the level is the leaves, read later
       * in runs, not here page by page. */
      for (guint depth = 1; children->len > 0 && depth < MAX_DEPTH; depth++)
        {
          g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (guint32));

          if (!may_read (state))
            return FALSE;
          if (!read_interior (state, fd, page, g_array_index (children, guint32, 0), n_pages, next, &leaf))
            {
              if (leaf)
                g_array_append_vals (leaves, children->data, children->len);
              break;
            }
          for (guint i = 1; i < children->len; i++)
            {
              if (!may_read (state))
                return FALSE;
              read_interior (state, fd, page, g_array_index (children, guint32, i), n_pages, next, &leaf);
            }
          g_array_set_size (children, 0);
          g_array_append_vals (children, next->data, next->len);
        }
    }

  return TRUE;
}

static int
compare_pages (gconstpointer a,
               gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return (x > y) - (x < y);
}

/* Reads @leaves (sorted) in runs of up to RUN_BYTES through small gaps. */
static gboolean
read_pages (EnrStoreReadAheadState *state,
            int                     fd,
            guint8                 *buffer,
            GArray                 *leaves)
{
  guint32 size = state->page_size;
  guint32 max_run = MAX (1, RUN_BYTES / size);
  guint32 max_gap = GAP_BYTES / size;
  guint i = 0;

  g_array_sort (leaves, compare_pages);
  while (i < leaves->len)
    {
      guint32 first = g_array_index (leaves, guint32, i);
      guint32 last = first;
      gssize n;

      for (i++; i < leaves->len; i++)
        {
          guint32 next = g_array_index (leaves, guint32, i);

          if (next - first >= max_run || next - last > max_gap + 1)
            break;
          last = next;
        }

      if (!may_read (state))
        return FALSE;
      n = pread (fd, buffer, (gsize) (last - first + 1) * size, (off_t) (first - 1) * size);
      count_read (state, n);
    }

  return TRUE;
}

/* The -wal file whole (pages written since the last checkpoint). */
static gboolean
read_wal (EnrStoreReadAheadState *state,
          guint8                 *buffer)
{
  g_autofree char *path = g_strconcat (state->path, "-wal", NULL);
  struct stat st;
  gboolean go = TRUE;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return TRUE;

  if (fstat (fd, &st) == 0 && st.st_size <= MAX_WAL_BYTES)
    {
      posix_fadvise (fd, 0, 0, POSIX_FADV_RANDOM);
      for (off_t offset = 0; offset < st.st_size && (go = may_read (state)); offset += RUN_BYTES)
        count_read (state, pread (fd, buffer, RUN_BYTES, offset));
    }
  close (fd);

  return go;
}

static gpointer
read_ahead_thread (gpointer data)
{
  EnrStoreReadAheadState *state = data;
  g_autofree guint8 *buffer = g_malloc (MAX (RUN_BYTES, state->page_size));
  gboolean go;
  struct stat st;
  guint32 n_pages = 0;
  int fd;

  /* The lowest best-effort I/O priority and the lowest CPU priority, for
   * this thread only. */
  syscall (SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, (IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT) | 7);
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 19);

  go = read_wal (state, buffer);
  fd = g_open (state->path, O_RDONLY | O_CLOEXEC, 0);
  if (fd >= 0 && fstat (fd, &st) == 0)
    {
      n_pages = (guint32) MIN (st.st_size / state->page_size, G_MAXUINT32);
      posix_fadvise (fd, 0, 0, POSIX_FADV_RANDOM);
    }
  else
    go = FALSE;

  while (go)
    {
      g_autoptr(GArray) leaves = g_array_new (FALSE, FALSE, sizeof (guint32));
      Job *job;

      g_mutex_lock (&state->mutex);
      job = state->stopping ? NULL : g_queue_pop_head (&state->jobs);
      if (job == NULL)
        state->running = FALSE;
      g_mutex_unlock (&state->mutex);
      if (job == NULL)
        break;

      go = find_leaves (state, fd, buffer, n_pages, job->roots, leaves) &&
           read_pages (state, fd, buffer, leaves);

      g_mutex_lock (&state->mutex);
      if (go)
        state->done |= job->part;
      g_cond_broadcast (&state->cond);
      g_mutex_unlock (&state->mutex);
      job_free (job);
    }

  if (fd >= 0)
    close (fd);

  g_mutex_lock (&state->mutex);
  state->running = FALSE;
  g_cond_broadcast (&state->cond);
  g_mutex_unlock (&state->mutex);

  g_atomic_int_add (&n_running, -1);
  state_unref (state);
  return NULL;
}

/* The root pages of @trees (those that exist). */
static GArray *
lookup_roots (EnrStore           *self,
              const char * const *trees)
{
  GArray *roots = g_array_new (FALSE, FALSE, sizeof (guint32));
  EnrDbStmt *stmt = _enr_store_prepare (self, "SELECT rootpage FROM sqlite_schema WHERE name = ?1", NULL);

  if (stmt == NULL)
    return roots;

  for (guint i = 0; trees[i] != NULL; i++)
    {
      enr_db_stmt_bind_text (stmt, 1, trees[i]);
      if (_enr_store_step (self, stmt, NULL) == ENR_DB_STEP_ROW)
        {
          gint64 root = enr_db_stmt_column_int64 (stmt, 0);

          if (root > 0 && root <= G_MAXUINT32)
            {
              guint32 page = (guint32) root;

              g_array_append_val (roots, page);
            }
        }
      enr_db_stmt_reset (stmt);
    }

  return roots;
}

static guint32
page_size (EnrStore *self)
{
  EnrDbStmt *stmt = _enr_store_prepare (self, "PRAGMA page_size", NULL);
  gint64 size = 0;

  if (stmt != NULL && _enr_store_step (self, stmt, NULL) == ENR_DB_STEP_ROW)
    size = enr_db_stmt_column_int64 (stmt, 0);
  if (stmt != NULL)
    enr_db_stmt_reset (stmt);

  return size >= 512 && size <= 65536 ? (guint32) size : 0;
}

/**
 * enr_store_read_ahead:
 * @parts: what to read: the customer search's b-trees
 *   (%ENR_STORE_READ_AHEAD_SEARCH), the task list's
 *   (%ENR_STORE_READ_AHEAD_TASKS)
 *
 * Reads the pages @parts will need into the operating system's page cache
 * on a background thread (low priority), so that the first searches
 * or the first scrolling of a store that was not read for a while do not
 * wait on the disk. Parts asked for earlier are read first; a part asked
 * for again is not read twice. The thread waits while the store answers a
 * search or a page of the task list, and stops when the store is
 * finalized (without making it wait). Only the page cache fills, not the
 * process's memory.
 */
void
enr_store_read_ahead (EnrStore          *self,
                      EnrStoreReadAhead  parts)
{
  static const struct { EnrStoreReadAhead part; const char * const *trees; } all[] = {
    { ENR_STORE_READ_AHEAD_SEARCH, search_trees },
    { ENR_STORE_READ_AHEAD_TASKS, task_trees },
  };
  EnrStoreReadAheadState *state;
  gboolean start = FALSE;

  g_return_if_fail (ENR_IS_STORE (self));

  if (self->read_ahead == NULL)
    {
      guint32 size = page_size (self);

      if (size == 0)
        return;

      state = g_new0 (EnrStoreReadAheadState, 1);
      g_atomic_ref_count_init (&state->ref);
      g_mutex_init (&state->mutex);
      g_cond_init (&state->cond);
      g_queue_init (&state->jobs);
      state->path = g_strdup (self->path);
      state->page_size = size;
      /* Asked for in the middle of a search, say. */
      state->held = self->read_ahead_held;
      self->read_ahead = state;
    }
  state = self->read_ahead;

  /* The roots on this thread: sqlite_schema is in memory, no file is
   * read. */
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if ((parts & all[i].part) != 0 && (state->asked & all[i].part) == 0)
      {
        Job *job = g_new0 (Job, 1);

        job->part = all[i].part;
        job->roots = lookup_roots (self, all[i].trees);
        state->asked |= all[i].part;
        g_mutex_lock (&state->mutex);
        g_queue_push_tail (&state->jobs, job);
        g_mutex_unlock (&state->mutex);
      }

  g_mutex_lock (&state->mutex);
  if (!state->running && !g_queue_is_empty (&state->jobs))
    state->running = start = TRUE;
  g_mutex_unlock (&state->mutex);

  if (start)
    {
      g_atomic_int_inc (&n_running);
      g_thread_unref (g_thread_new ("enr-read-ahead", read_ahead_thread, state_ref (state)));
    }
}

/* At finalize: the thread ends after its current read; nobody waits. */
void
_enr_store_read_ahead_stop (EnrStore *self)
{
  EnrStoreReadAheadState *state = g_steal_pointer (&self->read_ahead);

  if (state == NULL)
    return;

  g_mutex_lock (&state->mutex);
  state->stopping = TRUE;
  g_cond_broadcast (&state->cond);
  g_mutex_unlock (&state->mutex);
  state_unref (state);
}

/* Around a query a view waits for (a search, a page of the task list):
 * the read-ahead reads nothing meanwhile. */
void
_enr_store_read_ahead_hold (EnrStore *self)
{
  EnrStoreReadAheadState *state = self->read_ahead;

  self->read_ahead_held++;
  if (state == NULL)
    return;

  g_mutex_lock (&state->mutex);
  state->held++;
  g_mutex_unlock (&state->mutex);
}

void
_enr_store_read_ahead_release (EnrStore *self)
{
  EnrStoreReadAheadState *state = self->read_ahead;

  g_assert (self->read_ahead_held > 0);
  self->read_ahead_held--;
  if (state == NULL)
    return;

  g_mutex_lock (&state->mutex);
  g_assert (state->held > 0);
  if (--state->held == 0)
    g_cond_broadcast (&state->cond);
  g_mutex_unlock (&state->mutex);
}

/* For the tests: what was asked for and read, and how often the thread
 * waited for a view. */
void
_enr_store_read_ahead_get_progress (EnrStore          *self,
                                    EnrStoreReadAhead *asked,
                                    EnrStoreReadAhead *done,
                                    guint64           *bytes_read,
                                    guint64           *waits)
{
  EnrStoreReadAheadState *state = self->read_ahead;

  *asked = *done = 0;
  *bytes_read = *waits = 0;
  if (state == NULL)
    return;

  *asked = state->asked;
  g_mutex_lock (&state->mutex);
  *done = state->done;
  *bytes_read = state->bytes_read;
  *waits = state->waits;
  g_mutex_unlock (&state->mutex);
}

/* The read-ahead threads of every store of the process that still run. */
guint
_enr_store_read_ahead_n_running (void)
{
  return (guint) g_atomic_int_get (&n_running);
}

/* test-store-read-ahead.c — the store's files in the page cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "enr-store-private.h"

#define WAIT_US (30 * G_USEC_PER_SEC)

/* A file of @size bytes written through to the disk (so its pages are
 * clean and can leave the page cache). */
static void
write_file (const char *path,
            gsize       size)
{
  g_autofree char *data = g_malloc (size);
  int fd;

  for (gsize i = 0; i < size; i++)
    data[i] = (char) (i * 31);
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, data, size), ==, (gssize) size);
  g_assert_cmpint (fsync (fd), ==, 0);
  close (fd);
}

static void
read_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
}

static gboolean
on_tmpfs (const char *path)
{
  struct statfs fs;

  return statfs (path, &fs) == 0 && fs.f_type == TMPFS_MAGIC;
}

static gsize
resident_pages (const char *path,
                goffset     offset,
                goffset     length,
                gsize      *total)
{
  g_autoptr(GError) error = NULL;
  gsize resident, all;

  g_assert_true (_enr_store_page_cache_resident (path, offset, length, &resident, &all, &error));
  g_assert_no_error (error);
  if (total != NULL)
    *total = all;
  return resident;
}

/* Puts @path's files out of the page cache. The kernel may keep a page
 * it just read a moment longer (it is still in a CPU's batch of new
 * pages): ask again, a bounded number of times, until @pages of @path are
 * all out. FALSE if they never are. */
static gboolean
evict (const char *path,
       const char *file,
       goffset     length)
{
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (_enr_store_page_cache_evict (path, &error));
      g_assert_no_error (error);
      if (resident_pages (file, 0, length, NULL) == 0)
        return TRUE;
      g_usleep (10000);
    }

  return FALSE;
}

/* Eviction takes the database and its -wal out of the page cache; a
 * missing -shm is skipped; a missing file cannot be asked about. */
static void
test_page_cache_evict (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("enr-read-ahead-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "client.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *missing = g_strconcat (path, "-shm", NULL);
  g_autofree char *described = NULL;
  gsize total, resident;

  g_assert_no_error (error);
  write_file (path, 1 << 20);
  write_file (wal, 64 << 10);
  read_file (path);
  read_file (wal);

  resident = resident_pages (path, 0, 0, &total);
  g_assert_cmpuint (total, ==, (1 << 20) / sysconf (_SC_PAGESIZE));
  g_assert_cmpuint (resident, ==, total);
  /* A range: a page in the middle, and the end of the file. */
  g_assert_cmpuint (resident_pages (path, 4096 * 3 + 10, 10, &total), ==, 1);
  g_assert_cmpuint (total, ==, 1);
  resident_pages (path, (1 << 20) - 4096, 1 << 20, &total);
  g_assert_cmpuint (total, ==, 1);

  if (on_tmpfs (dir))
    {
      g_assert_true (_enr_store_page_cache_evict (path, &error));
      g_assert_no_error (error);
      g_test_skip ("tmpfs keeps its pages");
    }
  else
    {
      g_assert_true (evict (path, wal, 0));
      g_assert_true (evict (path, path, 0));
      g_assert_cmpuint (resident_pages (wal, 0, 0, NULL), ==, 0);
      described = _enr_store_page_cache_describe (path);
      g_assert_true (g_str_has_prefix (described, "0.0 of 1.1 MiB"));
    }

  g_assert_false (_enr_store_page_cache_resident (missing, 0, 0, &resident, &total, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_remove (path);
  g_remove (wal);
  g_rmdir (dir);
}

/* The read-ahead */

/* A store of @n customers, closed (checkpointed, its pages clean). */
static char *
make_store (const char *dir,
            guint       n)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "client.db", NULL);
  g_autoptr(EnrStore) store = enr_store_new (path, NULL, &error);
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("cust-%u", i);
      g_autofree char *name = g_strdup_printf ("Name%u Surname%u", i * 7919 % 100000, i);
      g_autofree char *account = g_strdup_printf ("RPL-%07u", i);
      g_autofree char *phone = g_strdup_printf ("(541) 555-%04u", i % 10000);
      g_autofree char *email = g_strdup_printf ("customer%u@example.org", i);
      g_autofree char *address = g_strdup_printf ("%u Long Street Name Avenue, Springfield %05u", i, i * 31 % 99999);
      EnrCustomer *customer = enr_customer_new ();

      enr_entity_set_id (ENR_ENTITY (customer), id);
      enr_customer_set_name (customer, name);
      enr_customer_set_account_id (customer, account);
      enr_customer_set_phone (customer, phone);
      enr_customer_set_email (customer, email);
      enr_customer_set_mailing_address (customer, address);
      g_ptr_array_add (customers, customer);
    }
  g_assert_true (enr_store_put (store, ENR_TYPE_CUSTOMER, customers, &error));
  g_assert_no_error (error);

  return path;
}

static void
remove_store (const char *dir,
              const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
}

/* The leaf pages of a b-tree (dbstat reads them: ask before evicting). */
static GArray *
leaf_pages (const char *path,
            const char *tree)
{
  GArray *pages = g_array_new (FALSE, FALSE, sizeof (guint32));
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, "SELECT pageno FROM dbstat WHERE name = ?1 AND pagetype = 'leaf'",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return pages;
    }
  sqlite3_bind_text (stmt, 1, tree, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      guint32 page = (guint32) sqlite3_column_int64 (stmt, 0);

      g_array_append_val (pages, page);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return pages;
}

static guint
resident_of (const char *path,
             GArray     *pages)
{
  guint n = 0;

  for (guint i = 0; i < pages->len; i++)
    n += resident_pages (path, (goffset) (g_array_index (pages, guint32, i) - 1) * 4096, 4096, NULL);
  return n;
}

/* cachestat(2), Linux 6.5 (glibc has no wrapper yet; a new system call
 * has one number on every architecture). */
#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif

typedef struct
{
  guint64 off;
  guint64 len;
} CachestatRange;

typedef struct
{
  guint64 nr_cache;
  guint64 nr_dirty;
  guint64 nr_writeback;
  guint64 nr_evicted;
  guint64 nr_recently_evicted;
} Cachestat;

/* The kernel's account of @length bytes of @path from @offset (0: to the
 * end): pages in the page cache, and pages evicted from it (taken back by
 * reclaim, which leaves a shadow entry in their place). FALSE when the
 * kernel cannot say. */
static gboolean
cachestat (const char *path,
           goffset     offset,
           goffset     length,
           Cachestat  *stat)
{
  CachestatRange range = { (guint64) offset, (guint64) length };
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  long rc;

  g_assert_cmpint (fd, >=, 0);
  rc = syscall (__NR_cachestat, fd, &range, stat, 0);
  close (fd);

  return rc == 0;
}

/* The leaves of @tree (@pages) never in the page cache since the test
 * evicted the file, the first few named in the test's log: those not in
 * it now that cachestat() does not mark evicted (when @shadows: it can
 * tell), else all those not in it now. */
static guint
count_missing (const char *path,
               const char *tree,
               GArray     *pages,
               gboolean    shadows)
{
  g_autoptr(GString) named = g_string_new (NULL);
  guint n = 0, gone = 0;

  for (guint i = 0; i < pages->len; i++)
    {
      guint32 page = g_array_index (pages, guint32, i);
      goffset offset = (goffset) (page - 1) * 4096;
      Cachestat stat;

      if (resident_pages (path, offset, 4096, NULL) == 1)
        continue;
      if (shadows && cachestat (path, offset, 4096, &stat) && stat.nr_cache + stat.nr_evicted > 0)
        {
          /* Evicted (or in the page cache after all). */
          gone += stat.nr_cache == 0;
          continue;
        }
      if (n++ < 8)
        g_string_append_printf (named, " %u", page);
    }
  if (n > 0)
    g_test_message ("%u of %u leaf pages of %s never in the page cache:%s%s", n, pages->len, tree,
                    named->str, n > 8 ? " ..." : "");
  if (gone > 0)
    g_test_message ("%u of %u leaf pages of %s read, then evicted by the kernel", gone, pages->len, tree);

  return n;
}

static void
wait_done (EnrStore          *store,
           EnrStoreReadAhead  part)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;
  EnrStoreReadAhead asked, done;
  guint64 bytes, waits;

  for (;;)
    {
      _enr_store_read_ahead_get_progress (store, &asked, &done, &bytes, &waits);
      if ((done & part) == part)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
}

static void
wait_stopped (void)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (_enr_store_read_ahead_n_running () > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
}

/* Asked for the task list, it reads the task list's trees and not the
 * search's; asked for the search then, it reads every leaf of the search
 * index; its thread ends when it has nothing left to read.
 *
 * What it read stays in the page cache only until the kernel takes it
 * back: on a busy machine its reclaim evicts pages just read once (they
 * are first in line) while the test looks, without a count in
 * /proc/vmstat on every kernel. So a leaf not in the page cache after the
 * read-ahead fails the test only when it was never there: after the
 * eviction at the start no page of the file is in the page cache or
 * marked evicted (reclaim leaves a shadow entry where it evicts a page),
 * and cachestat() tells the pages evicted since. Where it cannot (before
 * Linux 6.5, or shadow entries left after the eviction), every leaf must
 * be in the page cache. */
static void
test_read_ahead_reads_the_part (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("enr-read-ahead-XXXXXX", &error);
  g_autofree char *path = make_store (dir, 20000);
  g_autoptr(GArray) index_pages = leaf_pages (path, "customer_fts_data");
  g_autoptr(GArray) customer_pages = leaf_pages (path, "customers");
  g_autoptr(EnrStore) store = NULL;
  EnrStoreReadAhead asked, done;
  guint64 bytes, waits;
  Cachestat stat;
  gboolean shadows;
  guint missing;

  if (index_pages->len == 0)
    {
      g_test_skip ("SQLite has no dbstat table");
      remove_store (dir, path);
      return;
    }
  /* Enough for interior pages, so that the tree walk is tested. */
  g_assert_cmpuint (index_pages->len, >, 100);
  g_assert_cmpuint (customer_pages->len, >, 100);

  if (on_tmpfs (dir) || !evict (path, path, 0))
    {
      g_test_skip ("the file system keeps the store's pages in memory");
      remove_store (dir, path);
      return;
    }

  /* Out of the page cache, and no page marked evicted. */
  shadows = cachestat (path, 0, 0, &stat) && stat.nr_cache == 0 && stat.nr_evicted == 0;
  if (!shadows)
    g_test_message ("cachestat() cannot tell an evicted page: every leaf must stay in the page cache");

  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  _enr_store_read_ahead_get_progress (store, &asked, &done, &bytes, &waits);
  g_assert_cmpint (asked, ==, 0);

  enr_store_read_ahead (store, ENR_STORE_READ_AHEAD_TASKS);
  wait_done (store, ENR_STORE_READ_AHEAD_TASKS);
  wait_stopped ();
  _enr_store_read_ahead_get_progress (store, &asked, &done, &bytes, &waits);
  g_assert_cmpint (asked, ==, ENR_STORE_READ_AHEAD_TASKS);
  g_assert_cmpint (done, ==, ENR_STORE_READ_AHEAD_TASKS);
  g_assert_cmpuint (resident_of (path, index_pages), <, index_pages->len / 4);

  enr_store_read_ahead (store, ENR_STORE_READ_AHEAD_SEARCH | ENR_STORE_READ_AHEAD_TASKS);
  wait_done (store, ENR_STORE_READ_AHEAD_SEARCH);
  wait_stopped ();
  _enr_store_read_ahead_get_progress (store, &asked, &done, &bytes, &waits);
  g_assert_cmpint (done, ==, ENR_STORE_READ_AHEAD_SEARCH | ENR_STORE_READ_AHEAD_TASKS);
  g_assert_cmpuint (bytes, >=, (guint64) (index_pages->len + customer_pages->len) * 4096);
  g_assert_cmpuint (waits, ==, 0);
  missing = count_missing (path, "customer_fts_data", index_pages, shadows) +
            count_missing (path, "customers", customer_pages, shadows);
  g_assert_cmpuint (missing, ==, 0);

  /* Asked again: nothing is read twice, no thread starts. */
  enr_store_read_ahead (store, ENR_STORE_READ_AHEAD_SEARCH);
  g_assert_cmpuint (_enr_store_read_ahead_n_running (), ==, 0);

  g_clear_object (&store);
  remove_store (dir, path);
}

static guint64
wait_for_wait (EnrStore *store)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;
  EnrStoreReadAhead asked, done;
  guint64 bytes, waits;

  for (;;)
    {
      _enr_store_read_ahead_get_progress (store, &asked, &done, &bytes, &waits);
      if (waits > 0)
        return bytes;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
}

/* While the store answers a view (a search, a page of the task list) the
 * read-ahead reads nothing; then it goes on. A search holds it. */
static void
test_read_ahead_waits_for_views (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("enr-read-ahead-XXXXXX", &error);
  g_autofree char *path = make_store (dir, 2000);
  g_autoptr(EnrStore) store = enr_store_new (path, NULL, &error);
  g_autoptr(GPtrArray) found = NULL;
  EnrStoreReadAhead asked, done;
  guint64 bytes, waits;

  g_assert_no_error (error);
  _enr_store_read_ahead_hold (store);
  enr_store_read_ahead (store, ENR_STORE_READ_AHEAD_SEARCH);
  g_assert_cmpuint (wait_for_wait (store), ==, 0);
  _enr_store_read_ahead_get_progress (store, &asked, &done, &bytes, &waits);
  g_assert_cmpint (done, ==, 0);

  /* A search in the middle holds it too, and lets it go. */
  found = enr_store_search_customers (store, "Surname12", 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >, 0);

  _enr_store_read_ahead_release (store);
  wait_done (store, ENR_STORE_READ_AHEAD_SEARCH);
  wait_stopped ();
  _enr_store_read_ahead_get_progress (store, &asked, &done, &bytes, &waits);
  g_assert_cmpuint (bytes, >, 0);

  g_clear_object (&store);
  remove_store (dir, path);
}

/* The store is closed while its read-ahead waits: the close does not wait
 * for the thread (were it joined, this would hang), and the thread ends. */
static void
test_read_ahead_stops_on_close (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("enr-read-ahead-XXXXXX", &error);
  g_autofree char *path = make_store (dir, 2000);
  EnrStore *store = enr_store_new (path, NULL, &error);
  EnrStoreReadAhead asked, done;
  guint64 bytes, waits;

  g_assert_no_error (error);
  _enr_store_read_ahead_hold (store);
  enr_store_read_ahead (store, ENR_STORE_READ_AHEAD_SEARCH | ENR_STORE_READ_AHEAD_TASKS);
  wait_for_wait (store);
  g_assert_cmpuint (_enr_store_read_ahead_n_running (), ==, 1);
  _enr_store_read_ahead_get_progress (store, &asked, &done, &bytes, &waits);
  g_assert_cmpint (done, ==, 0);

  /* Held still, as a view would be that closes with its store. */
  g_object_unref (store);
  wait_stopped ();

  /* A store that never read ahead closes as before. */
  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (store);
  g_assert_cmpuint (_enr_store_read_ahead_n_running (), ==, 0);

  remove_store (dir, path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/page-cache/evict", test_page_cache_evict);
  g_test_add_func ("/store/read-ahead/reads-the-part", test_read_ahead_reads_the_part);
  g_test_add_func ("/store/read-ahead/waits-for-views", test_read_ahead_waits_for_views);
  g_test_add_func ("/store/read-ahead/stops-on-close", test_read_ahead_stops_on_close);

  return g_test_run ();
}

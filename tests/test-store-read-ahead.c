/* test-store-read-ahead.c — the store's files in the page cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "enr-store-private.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/page-cache/evict", test_page_cache_evict);

  return g_test_run ();
}

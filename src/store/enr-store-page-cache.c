/* enr-store-page-cache.c — how much of a store's files the kernel holds in memory
 *
 * For the benchmarks' cold runs (build-aux/bench-gui --cold,
 * build-aux/bench-monitor --cold) and the read-ahead's tests: a store's
 * files (the database, its -wal and -shm) are put out of the page cache
 * with posix_fadvise(POSIX_FADV_DONTNEED), file by file, never the whole
 * machine's cache (drop_caches). Only clean pages go: a file written in
 * the last seconds keeps its dirty pages until they are written back.
 * What is resident is asked with mincore(2) over a mapping that is never
 * touched (so it adds nothing to the process's resident memory).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "enr-store-private.h"

static const char * const store_suffixes[] = { "", "-wal", "-shm" };

/**
 * _enr_store_page_cache_evict:
 * @path: the store's database file
 *
 * Asks the kernel to drop the clean pages of @path and of its -wal and
 * -shm files from the page cache. Missing files are skipped.
 *
 * Returns: %FALSE with @error set when a file that exists could not be
 *   opened or advised
 */
gboolean
_enr_store_page_cache_evict (const char  *path,
                             GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (store_suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, store_suffixes[i], NULL);
      int fd = g_open (file, O_RDONLY | O_CLOEXEC, 0);
      int rc;

      if (fd < 0)
        {
          int saved_errno = errno;

          if (saved_errno == ENOENT)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Could not open %s: %s", file, g_strerror (saved_errno));
          return FALSE;
        }

      rc = posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
      close (fd);
      if (rc != 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (rc),
                       "Could not drop %s from the page cache: %s", file, g_strerror (rc));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * _enr_store_page_cache_resident:
 * @path: a file
 * @offset: the first byte
 * @length: bytes from @offset (0: to the end of the file)
 * @resident: (out): the pages of the range in the page cache
 * @total: (out): the pages of the range
 *
 * Returns: %FALSE with @error set when @path could not be mapped
 */
gboolean
_enr_store_page_cache_resident (const char  *path,
                                goffset      offset,
                                goffset      length,
                                gsize       *resident,
                                gsize       *total,
                                GError     **error)
{
  long page = sysconf (_SC_PAGESIZE);
  g_autofree unsigned char *vector = NULL;
  struct stat st;
  goffset start, end;
  gsize n_pages;
  void *map;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  *resident = *total = 0;
  if ((fd = g_open (path, O_RDONLY | O_CLOEXEC, 0)) < 0 || fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not open %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  start = offset / page * page;
  end = length > 0 ? MIN (offset + length, st.st_size) : st.st_size;
  if (end <= start)
    {
      close (fd);
      return TRUE;
    }

  map = mmap (NULL, end - start, PROT_READ, MAP_SHARED, fd, start);
  close (fd);
  if (map == MAP_FAILED)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not map %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  n_pages = (end - start + page - 1) / page;
  vector = g_malloc (n_pages);
  if (mincore (map, end - start, vector) != 0)
    {
      int saved_errno = errno;

      munmap (map, end - start);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not ask which pages of %s are in memory: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  munmap (map, end - start);

  for (gsize i = 0; i < n_pages; i++)
    *resident += vector[i] & 1;
  *total = n_pages;
  return TRUE;
}

/**
 * _enr_store_page_cache_describe:
 * @path: the store's database file
 *
 * Returns: (transfer full): "N of M MiB in the page cache (P%)" for the
 *   database and its -wal file together, for a benchmark's output
 */
char *
_enr_store_page_cache_describe (const char *path)
{
  long page = sysconf (_SC_PAGESIZE);
  gsize resident = 0, total = 0;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *file = g_strconcat (path, store_suffixes[i], NULL);
      gsize r, t;

      if (g_file_test (file, G_FILE_TEST_EXISTS) &&
          _enr_store_page_cache_resident (file, 0, 0, &r, &t, NULL))
        {
          resident += r;
          total += t;
        }
    }

  return g_strdup_printf ("%.1f of %.1f MiB in the page cache (%.1f%%)",
                          resident * (double) page / (1 << 20), total * (double) page / (1 << 20),
                          total > 0 ? 100.0 * resident / total : 0.0);
}

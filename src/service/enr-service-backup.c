/* enr-service-backup.c — online backup and restore of the service's SQLite database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backup copies the database with SQLite's online backup API in a single
 * step, so the copy is one read transaction: exactly the transactions
 * committed when it began. In WAL mode the running service keeps writing
 * meanwhile. Since the service answers a write only after its COMMIT,
 * every write acknowledged before the backup began is in the copy. The
 * copy is made next to FILE, switched to a rollback journal (one
 * self-contained file), checked (integrity and foreign keys), synced and
 * then renamed to FILE.
 *
 * Restore checks FILE the same way (and refuses a schema newer than this
 * service), builds the new database next to the old one, and swaps them
 * while holding the database lock: a running service holds it, so restore
 * refuses to run over a live database. The database it replaces is kept,
 * with its WAL, as DATABASE.replaced-TIMESTAMP.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "enr-service-backup.h"
#include "enr-service-store.h"

struct _EnrServiceLock
{
  int   fd;
  char *path;
};

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED,
               "%s %s: %s", what, path, g_strerror (saved_errno));
}

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc,
                  const char  *path)
{
  int code = ENR_DB_ERROR_FAILED;

  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    code = ENR_DB_ERROR_BUSY;
  else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
    code = ENR_DB_ERROR_CORRUPT;

  g_set_error (error, ENR_DB_ERROR, code, "%s: %s", path,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

/* When root makes a file in a folder someone else owns (the service's
 * state directory, say), the file goes to the folder's owner, so the
 * service can still open it. */
static void
match_directory_owner (const char *path)
{
  g_autofree char *directory = g_path_get_dirname (path);
  struct stat dir_stat, file_stat;

  if (geteuid () != 0 ||
      stat (directory, &dir_stat) != 0 || stat (path, &file_stat) != 0 ||
      (file_stat.st_uid == dir_stat.st_uid && file_stat.st_gid == dir_stat.st_gid))
    return;

  if (chown (path, dir_stat.st_uid, dir_stat.st_gid) != 0)
    g_warning ("Cannot give %s to the owner of %s: %s", path, directory, g_strerror (errno));
}

/**
 * enr_service_lock_database:
 * @database: the database file, created (empty, mode 0600) when missing
 *
 * Takes an exclusive lock (flock(2), separate from SQLite's own fcntl
 * locks) on @database; the running service holds it as long as it has the
 * database open.
 *
 * Returns: (transfer full): the lock, or %NULL with
 *   %ENR_DB_ERROR_BUSY when another process holds it
 */
EnrServiceLock *
enr_service_lock_database (const char  *database,
                           GError     **error)
{
  EnrServiceLock *lock;
  int fd;

  fd = open (database, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, "Cannot open", database);
      return NULL;
    }

  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_BUSY,
                     "The database %s is in use by a running enrollment-service", database);
      else
        set_errno_error (error, saved_errno, "Cannot lock", database);
      return NULL;
    }

  lock = g_new0 (EnrServiceLock, 1);
  lock->fd = fd;
  lock->path = g_strdup (database);

  return lock;
}

void
enr_service_lock_release (EnrServiceLock *lock)
{
  if (lock == NULL)
    return;

  /* Closing the descriptor releases the lock. */
  close (lock->fd);
  g_free (lock->path);
  g_free (lock);
}

static gboolean
same_file (const char *a,
           const char *b)
{
  struct stat sa, sb;

  return stat (a, &sa) == 0 && stat (b, &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           const char  *path,
           gint64      *value,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, db, rc, path);
      sqlite3_finalize (stmt);
      return FALSE;
    }

  *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return TRUE;
}

/* integrity_check says "ok" (one row) and foreign_key_check says nothing. */
static gboolean
check_database (sqlite3     *db,
                const char  *path,
                GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check(20)", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *row = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (row, "ok") != 0)
        g_string_append_printf (problems, "\n  %s", row);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db, rc, path);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_string_append_printf (problems, "\n  a row of %s refers to a missing row of %s",
                              sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 2));
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db, rc, path);
      return FALSE;
    }

  if (problems->len > 0)
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CORRUPT,
                   "%s is damaged:%s", path, problems->str);
      return FALSE;
    }

  return TRUE;
}

/* Opens an existing service database read-only and checks its schema. */
static sqlite3 *
open_source (const char  *path,
             int         *schema_version,
             GError     **error)
{
  sqlite3 *db = NULL;
  gint64 version = 0;
  int rc;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND,
                   "There is no database at %s", path);
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, rc, path);
      sqlite3_close (db);
      return NULL;
    }
  /* A writer's COMMIT holds the WAL write lock only briefly. */
  sqlite3_busy_timeout (db, 10000);

  if (!query_int (db, "PRAGMA user_version", path, &version, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  if (version < 1)
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_SCHEMA,
                   "%s is not an enrollment-service database", path);
      sqlite3_close (db);
      return NULL;
    }
  if (version > ENR_SERVICE_SCHEMA_VERSION)
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_SCHEMA,
                   "%s has schema version %" G_GINT64_FORMAT "; this service knows up to %d. "
                   "Use the enrollment-service that made it.",
                   path, version, ENR_SERVICE_SCHEMA_VERSION);
      sqlite3_close (db);
      return NULL;
    }

  *schema_version = (int) version;
  return db;
}

static gboolean
fsync_path (const char  *path,
            gboolean     directory,
            GError     **error)
{
  int fd = open (path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  int saved_errno;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      set_errno_error (error, saved_errno, "Cannot sync", path);
      return FALSE;
    }

  close (fd);
  return TRUE;
}

/* Copies @src into a new file next to @destination (journal_mode DELETE:
 * one self-contained file), checks it and syncs it.
 *
 * Returns: (transfer full): the new file's path */
static char *
copy_to_new_file (sqlite3                 *src,
                  const char              *source_path,
                  const char              *destination,
                  EnrServiceBackupReport  *report,
                  GError                 **error)
{
  g_autofree char *tmp = g_strconcat (destination, ".partial-XXXXXX", NULL);
  sqlite3 *dst = NULL;
  sqlite3_backup *backup;
  gint64 pages = 0, page_size = 0;
  int fd;
  int rc;

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, "Cannot create", tmp);
      return NULL;
    }
  close (fd);

  rc = sqlite3_open_v2 (tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    goto sqlite_failed;
  sqlite3_exec (dst, "PRAGMA synchronous = FULL", NULL, NULL, NULL);

  backup = sqlite3_backup_init (dst, "main", src, "main");
  if (backup == NULL)
    {
      rc = sqlite3_errcode (dst);
      goto sqlite_failed;
    }
  /* All pages in one step: one read transaction on the source, so the
   * copy is one consistent snapshot. */
  rc = sqlite3_backup_step (backup, -1);
  report->pages = sqlite3_backup_pagecount (backup);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, src, rc, source_path);
      goto failed;
    }

  /* The copied header says WAL when the source is; a backup is one file. */
  rc = sqlite3_exec (dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto sqlite_failed;
  if (!check_database (dst, destination, error) ||
      !query_int (dst, "PRAGMA page_count", tmp, &pages, error) ||
      !query_int (dst, "PRAGMA page_size", tmp, &page_size, error))
    goto failed;
  report->bytes = pages * page_size;

  rc = sqlite3_close (dst);
  dst = NULL;
  if (rc != SQLITE_OK)
    goto sqlite_failed;

  if (!fsync_path (tmp, FALSE, error))
    goto failed;

  return g_steal_pointer (&tmp);

sqlite_failed:
  set_sqlite_error (error, dst, rc, tmp);
failed:
  sqlite3_close (dst);
  g_unlink (tmp);
  return NULL;
}

static gboolean
rename_synced (const char  *from,
               const char  *to,
               GError     **error)
{
  g_autofree char *directory = g_path_get_dirname (to);

  if (g_rename (from, to) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED,
                   "Cannot rename %s to %s: %s", from, to, g_strerror (saved_errno));
      return FALSE;
    }

  return fsync_path (directory, TRUE, error);
}

/**
 * enr_service_backup:
 * @database: the service's database (it may be in use)
 * @destination: the backup file; an existing file is replaced
 *
 * Returns: whether @destination now holds a consistent, checked copy
 */
gboolean
enr_service_backup (const char              *database,
                    const char              *destination,
                    EnrServiceBackupReport  *report,
                    GError                 **error)
{
  g_autofree char *tmp = NULL;
  sqlite3 *src;

  g_return_val_if_fail (database != NULL && destination != NULL && report != NULL, FALSE);

  memset (report, 0, sizeof *report);

  if (same_file (database, destination))
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED,
                   "%s is the database itself; back up to another file", destination);
      return FALSE;
    }
  if (g_file_test (destination, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED,
                   "%s is a folder; give the backup's file name", destination);
      return FALSE;
    }

  src = open_source (database, &report->schema_version, error);
  if (src == NULL)
    return FALSE;

  tmp = copy_to_new_file (src, database, destination, report, error);
  sqlite3_close (src);
  if (tmp == NULL)
    return FALSE;

  if (!rename_synced (tmp, destination, error))
    {
      g_unlink (tmp);
      return FALSE;
    }

  return TRUE;
}

/* Moves DATABASE and its -wal and -shm to DATABASE.replaced-TIMESTAMP. */
static char *
move_aside (const char  *database,
            GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strconcat (database, ".replaced-", stamp, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (database, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      if (g_rename (from, to) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED,
                       "Cannot move %s aside: %s", from, g_strerror (saved_errno));
          return NULL;
        }
    }

  return g_steal_pointer (&aside);
}

/**
 * enr_service_restore:
 * @database: the service's database; the service must be stopped
 * @source: a backup made with enr_service_backup()
 * @replaced: (out) (optional): where the database it replaced was kept, or
 *   %NULL when there was none
 *
 * Returns: whether @database now is a checked copy of @source
 */
gboolean
enr_service_restore (const char              *database,
                     const char              *source,
                     EnrServiceBackupReport  *report,
                     char                   **replaced,
                     GError                 **error)
{
  g_autoptr(EnrServiceLock) lock = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *aside = NULL;
  sqlite3 *src;

  g_return_val_if_fail (database != NULL && source != NULL && report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  if (replaced != NULL)
    *replaced = NULL;

  if (same_file (database, source))
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_FAILED,
                   "%s is the database itself", source);
      return FALSE;
    }

  src = open_source (source, &report->schema_version, error);
  if (src == NULL)
    return FALSE;
  if (!check_database (src, source, error))
    {
      sqlite3_close (src);
      return FALSE;
    }

  /* Whether a service is running, before building anything. */
  if (g_file_test (database, G_FILE_TEST_EXISTS))
    {
      lock = enr_service_lock_database (database, error);
      if (lock == NULL)
        {
          sqlite3_close (src);
          return FALSE;
        }
    }
  else
    {
      g_autofree char *directory = g_path_get_dirname (database);

      if (g_mkdir_with_parents (directory, 0700) != 0)
        {
          set_errno_error (error, errno, "Cannot create", directory);
          sqlite3_close (src);
          return FALSE;
        }
    }

  tmp = copy_to_new_file (src, source, database, report, error);
  sqlite3_close (src);
  if (tmp == NULL)
    return FALSE;
  match_directory_owner (tmp);

  if (lock != NULL)
    {
      aside = move_aside (database, error);
      if (aside == NULL)
        {
          g_unlink (tmp);
          return FALSE;
        }
    }

  if (!rename_synced (tmp, database, error))
    {
      g_unlink (tmp);
      return FALSE;
    }

  if (replaced != NULL)
    *replaced = g_steal_pointer (&aside);

  return TRUE;
}

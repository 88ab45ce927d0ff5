/* enr-store.c — the client's SQLite store: the object and its transactions
 *
 * Records (the cache and drafts) are in enr-store-cache.c; changes queued
 * with their operation and changes pulled from the service in
 * enr-store-changes.c; search in -search.c; the schema in -schema.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "enr-store-private.h"

static void enr_store_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EnrStore, enr_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      enr_store_initable_iface_init))

G_DEFINE_QUARK (enr-store-error-quark, enr_store_error)

G_DEFINE_BOXED_TYPE (EnrStoreChange, enr_store_change,
                     enr_store_change_copy, enr_store_change_free)

enum {
  PROP_0,
  PROP_PATH,
  PROP_USER,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Changes */

/**
 * enr_store_change_new:
 * @type: a cached type
 * @id: the record's id
 * @json: (nullable): the record, or %NULL for a deletion
 *
 * Returns: (transfer full): a new change
 */
EnrStoreChange *
enr_store_change_new (GType       type,
                      const char *id,
                      const char *json)
{
  EnrStoreChange *change;

  g_return_val_if_fail (id != NULL, NULL);

  change = g_new0 (EnrStoreChange, 1);
  change->type = type;
  change->id = g_strdup (id);
  change->json = g_strdup (json);

  return change;
}

EnrStoreChange *
enr_store_change_copy (const EnrStoreChange *change)
{
  return enr_store_change_new (change->type, change->id, change->json);
}

void
enr_store_change_free (EnrStoreChange *change)
{
  if (change == NULL)
    return;

  g_free (change->id);
  g_free (change->json);
  g_free (change);
}

/* Types */

gboolean
enr_store_is_cached_type (GType type)
{
  return _enr_store_type_info (type) != NULL;
}

/**
 * enr_store_type_from_name:
 * @name: a change-feed type name such as "customer" or "service_task"
 *
 * Returns: the cached type, or %G_TYPE_INVALID
 */
GType
enr_store_type_from_name (const char *name)
{
  const EnrStoreTypeInfo *infos;
  guint n_infos;

  g_return_val_if_fail (name != NULL, G_TYPE_INVALID);

  infos = _enr_store_type_infos (&n_infos);
  for (guint i = 0; i < n_infos; i++)
    if (g_str_equal (infos[i].name, name))
      return infos[i].get_type ();

  return G_TYPE_INVALID;
}

const char *
enr_store_type_get_name (GType type)
{
  const EnrStoreTypeInfo *info = _enr_store_type_info (type);

  return info != NULL ? info->name : NULL;
}

const EnrStoreTypeInfo *
_enr_store_lookup_info (GType    type,
                        GError **error)
{
  const EnrStoreTypeInfo *info = _enr_store_type_info (type);

  if (info == NULL)
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                 "%s is not kept in the local store", g_type_name (type));

  return info;
}

/* SQL: the database layer with the store's errors */

static void
set_store_error (EnrStore    *self,
                 EnrDbError   code,
                 const char  *message,
                 GError     **error)
{
  if (g_str_has_prefix (message, "SQLite: "))
    message += strlen ("SQLite: ");

  if (code == ENR_DB_ERROR_CORRUPT)
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT,
                 _("The local database %s is damaged: %s"), self->path, message);
  else
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SQL,
                 _("The local database failed: %s"), message);
}

/* Takes @db_error (of the database layer), and sets @error from it in
 * the store's domain. */
void
_enr_store_take_error (EnrStore  *self,
                       GError    *db_error,
                       GError   **error)
{
  if (db_error == NULL)
    return;

  if (db_error->domain == ENR_DB_ERROR)
    set_store_error (self, db_error->code, db_error->message, error);
  else
    g_propagate_error (error, g_steal_pointer (&db_error));

  g_clear_error (&db_error);
}

/* For the SQLite calls of the store's own SQLite-only readers (the task
 * list's pages, the statistics): @rc is what SQLite returned. */
void
_enr_store_set_error (EnrStore  *self,
                      int        rc,
                      GError   **error)
{
  int primary = rc & 0xff;
  sqlite3 *db = _enr_store_get_db (self);
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  set_store_error (self,
                   primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB
                     ? ENR_DB_ERROR_CORRUPT : ENR_DB_ERROR_FAILED,
                   message, error);
}

EnrDb *
_enr_store_get_database (EnrStore *self)
{
  return self->db;
}

/* The SQLite connection under the database layer, for what only SQLite
 * has (full-text search, query plans). */
sqlite3 *
_enr_store_get_db (EnrStore *self)
{
  return self->db != NULL ? enr_db_get_handle (self->db) : NULL;
}

EnrDbStmt *
_enr_store_prepare (EnrStore    *self,
                    const char  *sql,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  EnrDbStmt *stmt;

  if (self->db == NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("The local database is closed"));
      return NULL;
    }

  if (!(stmt = enr_db_prepare (self->db, sql, &local_error)))
    _enr_store_take_error (self, g_steal_pointer (&local_error), error);

  return stmt;
}

EnrDbStep
_enr_store_step (EnrStore   *self,
                 EnrDbStmt  *stmt,
                 GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  EnrDbStep step = enr_db_stmt_step (stmt, &local_error);

  if (step == ENR_DB_STEP_ERROR)
    _enr_store_take_error (self, g_steal_pointer (&local_error), error);

  return step;
}

/* Runs @stmt to its first row or its end, and resets it. */
gboolean
_enr_store_step_done (EnrStore   *self,
                      EnrDbStmt  *stmt,
                      GError    **error)
{
  EnrDbStep step = _enr_store_step (self, stmt, error);

  enr_db_stmt_reset (stmt);
  return step != ENR_DB_STEP_ERROR;
}

gboolean
_enr_store_exec (EnrStore    *self,
                 const char  *sql,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!enr_db_exec (self->db, sql, &local_error))
    {
      _enr_store_take_error (self, g_steal_pointer (&local_error), error);
      return FALSE;
    }

  return TRUE;
}

static void
clear_transaction (EnrStore *self)
{
  self->in_transaction = FALSE;
  self->touched_outbox = FALSE;
  g_hash_table_remove_all (self->dirty_customers);
  g_array_set_size (self->touched_types, 0);
}

gboolean
_enr_store_begin (EnrStore  *self,
                  GError   **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (!self->in_transaction, FALSE);

  /* Its worker holds the database's write lock until it ends: failing
   * now beats waiting out the busy timeout on the main loop. */
  if (self->rebuilding)
    {
      g_set_error_literal (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SQL,
                           _("The local database is building its indexes and search; try again in a moment."));
      return FALSE;
    }
  if (self->bulk_writing)
    {
      g_set_error_literal (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SQL,
                           _("The local database is storing downloaded records; try again in a moment."));
      return FALSE;
    }

  if (enr_db_in_transaction (self->db))
    {
      g_set_error_literal (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SQL,
                           "The local store cannot be written while it is being read");
      return FALSE;
    }

  if (!enr_db_begin (self->db, &local_error))
    {
      _enr_store_take_error (self, g_steal_pointer (&local_error), error);
      return FALSE;
    }

  clear_transaction (self);
  self->in_transaction = TRUE;
  return TRUE;
}

/**
 * enr_store_begin_read:
 *
 * Starts a transaction that only reads, so that the reads until
 * enr_store_end_read() see one snapshot and take the database's locks
 * once instead of once each. Nothing can be written until then.
 *
 * Returns: whether a transaction was started (%FALSE when one is open
 *   already, or on failure: the reads then go on one by one); pass it to
 *   enr_store_end_read()
 */
gboolean
enr_store_begin_read (EnrStore *self)
{
  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);

  return self->db != NULL && !enr_db_in_transaction (self->db) && enr_db_begin_read (self->db, NULL);
}

/**
 * enr_store_end_read:
 * @began: what enr_store_begin_read() returned
 *
 * Ends the transaction enr_store_begin_read() started, if it did.
 */
void
enr_store_end_read (EnrStore *self,
                    gboolean  began)
{
  g_return_if_fail (ENR_IS_STORE (self));

  if (began && self->db != NULL && enr_db_in_transaction (self->db) &&
      !enr_db_commit (self->db, NULL))
    enr_db_rollback (self->db);
}

void
_enr_store_rollback (EnrStore *self)
{
  if (self->db != NULL && enr_db_in_transaction (self->db))
    enr_db_rollback (self->db);

  clear_transaction (self);
}

void
_enr_store_touch_type (EnrStore *self,
                       GType     type)
{
  for (guint i = 0; i < self->touched_types->len; i++)
    if (g_array_index (self->touched_types, GType, i) == type)
      return;

  g_array_append_val (self->touched_types, type);
}

void
_enr_store_touch_outbox (EnrStore *self)
{
  self->touched_outbox = TRUE;
}

/* Commits, then tells listeners what changed. On failure everything the
 * transaction did is rolled back. */
gboolean
_enr_store_commit (EnrStore  *self,
                   GError   **error)
{
  g_autoptr(GArray) touched = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean outbox_changed;

  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!_enr_store_search_flush (self, self->dirty_customers, error))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  if (!enr_db_commit (self->db, &local_error))
    {
      _enr_store_take_error (self, g_steal_pointer (&local_error), error);
      _enr_store_rollback (self);
      return FALSE;
    }

  touched = g_array_copy (self->touched_types);
  outbox_changed = self->touched_outbox;
  clear_transaction (self);

  for (guint i = 0; i < touched->len; i++)
    g_signal_emit (self, signals[CHANGED], 0, g_array_index (touched, GType, i));

  if (outbox_changed)
    _enr_outbox_emit_changed (self->outbox);

  return TRUE;
}

void
_enr_store_search_mark_dirty (EnrStore   *self,
                              const char *customer_id)
{
  if (customer_id != NULL && customer_id[0] != '\0' && !self->search_deferred)
    g_hash_table_add (self->dirty_customers, g_strdup (customer_id));
}

/* Integrity */

/* The first group of service tasks whose count in service_task_counts
 * (kept by triggers) is not what the tasks are, as a sentence; %NULL
 * when every count is right, or with @error set when it cannot be read. */
static char *
find_wrong_task_count (EnrStore  *self,
                       GError   **error)
{
  EnrDbStmt *stmt;
  EnrDbStep step;
  char *wrong = NULL;

  /* A group no task has must not be listed either, even with 0. */
  if (!(stmt = _enr_store_prepare (self,
                                   "SELECT program_id, status, kind, sum (tasks), sum (counted)"
                                   " FROM (SELECT program_id, status, kind, count(*) AS tasks,"
                                   "         0 AS counted, 0 AS bad"
                                   "       FROM service_tasks GROUP BY program_id, status, kind"
                                   "       UNION ALL"
                                   "       SELECT program_id, status, kind, 0, n, n <= 0"
                                   "       FROM service_task_counts)"
                                   " GROUP BY program_id, status, kind"
                                   " HAVING sum (tasks) <> sum (counted) OR max (bad)"
                                   " LIMIT 1",
                                   error)))
    return NULL;

  step = _enr_store_step (self, stmt, error);
  if (step == ENR_DB_STEP_ROW)
    {
      const char *program_id = enr_db_stmt_column_text (stmt, 0);

      wrong = g_strdup_printf (_("the service tasks of program “%s”, status %d, kind %d"
                                 " are counted as %lld, not %lld"),
                               program_id != NULL ? program_id : "",
                               (int) enr_db_stmt_column_int64 (stmt, 1),
                               (int) enr_db_stmt_column_int64 (stmt, 2),
                               (long long) enr_db_stmt_column_int64 (stmt, 4),
                               (long long) enr_db_stmt_column_int64 (stmt, 3));
    }
  enr_db_stmt_reset (stmt);

  return wrong;
}

/**
 * enr_store_check_integrity:
 *
 * Runs PRAGMA integrity_check, then compares the counts of service tasks
 * the store keeps (per program, status and kind) with the tasks.
 *
 * Returns: %TRUE when the database is sound; otherwise %FALSE with
 *   %ENR_STORE_ERROR_CORRUPT naming the first problem
 */
gboolean
enr_store_check_integrity (EnrStore  *self,
                           GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  EnrDbStmt *stmt;
  g_autofree char *first = NULL;

  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(stmt = _enr_store_prepare (self, "PRAGMA integrity_check", error)))
    return FALSE;

  if (_enr_store_step (self, stmt, error) == ENR_DB_STEP_ROW)
    first = enr_db_stmt_column_dup (stmt, 0);
  enr_db_stmt_reset (stmt);

  if (first == NULL)
    return FALSE;

  if (!g_str_equal (first, "ok"))
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT,
                   _("The local database %s is damaged: %s"), self->path, first);
      return FALSE;
    }

  g_clear_pointer (&first, g_free);
  if ((first = find_wrong_task_count (self, &local_error)) != NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT,
                   _("The local database %s is damaged: %s"), self->path, first);
      return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* A bulk load's indexes are made again when it ends (or at the next
   * open): missing outside one, its records are not indexed. */
  if (!self->search_deferred && (first = _enr_store_find_deferred_index (self, &local_error)) != NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT,
                   _("The local database %s is damaged: the index %s is missing"), self->path, first);
      return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* Object */

guint
enr_store_get_schema_version (EnrStore *self)
{
  int version;

  g_return_val_if_fail (ENR_IS_STORE (self), 0);

  if (self->db == NULL || (version = enr_db_get_schema_version (self->db, NULL)) < 0)
    return 0;

  return version;
}

const char *
enr_store_get_path (EnrStore *self)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);

  return self->path;
}

/**
 * enr_store_get_user:
 *
 * Returns: (nullable): the user name operations are queued under now
 */
const char *
enr_store_get_user (EnrStore *self)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);

  return self->user;
}

/**
 * enr_store_set_user:
 * @username: (nullable): who works on this computer now, online or
 *   offline; %NULL: nobody (operations cannot be queued)
 *
 * Every operation queued from now on carries @username as its owner, and
 * goes to the service only under that user's session.
 */
void
enr_store_set_user (EnrStore   *self,
                    const char *username)
{
  g_return_if_fail (ENR_IS_STORE (self));

  if (username != NULL && username[0] == '\0')
    username = NULL;

  if (g_strcmp0 (self->user, username) == 0)
    return;

  g_free (self->user);
  self->user = g_strdup (username);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

/**
 * enr_store_get_outbox:
 *
 * Returns: (transfer none): the store's outbox
 */
EnrOutbox *
enr_store_get_outbox (EnrStore *self)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);

  return self->outbox;
}

/**
 * enr_store_get_default_path:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/enrollment-desk/client.db
 */
char *
enr_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "enrollment-desk", "client.db", NULL);
}

/* Privacy: the database, its WAL and its shared-memory index are their
 * owner's alone (0600) at every open, whatever the umask and whether or
 * not they existed; the default folder is 0700. SQLite creates -wal and
 * -shm at the first read in WAL mode (and again after the last connection
 * closed and deleted them) with the database file's mode, so the
 * database file is created 0600 here before SQLite sees it, and the
 * others are checked again once the journal mode is set. A file or
 * folder of another user account cannot be made private: it is refused. */

static void
set_not_private_error (const char  *path,
                       const char  *problem,
                       GError     **error)
{
  g_autofree char *quoted = g_shell_quote (path);

  g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_PRIVATE,
               /* Translators: the second %s says why, e.g. "it belongs to another user account" */
               _("The local data at %s cannot be kept private: %s. Enrollment Desk keeps "
                 "customer data readable by its owner only. Open it as the user account "
                 "that owns it, or make it yours (for example: sudo chown %s %s*), or "
                 "choose another place with --store."),
               path, problem, g_get_user_name (), quoted);
}

/* @fd: an open file or folder; makes it @mode, if it is ours. */
static gboolean
make_fd_private (int          fd,
                 const char  *path,
                 mode_t       mode,
                 GError     **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("Could not inspect %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (st.st_uid != geteuid ())
    {
      set_not_private_error (path, _("it belongs to another user account"), error);
      return FALSE;
    }

  if ((mode == 0700 && !S_ISDIR (st.st_mode)) || (mode == 0600 && !S_ISREG (st.st_mode)))
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("%s is not a database file or its folder"), path);
      return FALSE;
    }

  if ((st.st_mode & 07777) == mode)
    return TRUE;

  /* A file system that ignores modes (FAT, say) keeps other bits. */
  if (fchmod (fd, mode) != 0 || fstat (fd, &st) != 0 || (st.st_mode & 077) != 0)
    {
      set_not_private_error (path, _("its permissions cannot be changed here"), error);
      return FALSE;
    }

  return TRUE;
}

/* @create: whether to create a missing file (0600 from the start) */
static gboolean
make_file_private (const char  *path,
                   gboolean     create,
                   GError     **error)
{
  /* Read-only is enough for fchmod(); non-blocking in case of a FIFO. */
  int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (create ? O_CREAT : 0);
  int fd = open (path, flags, 0600);
  gboolean ok;

  if (fd < 0)
    {
      int saved_errno = errno;

      if (!create && saved_errno == ENOENT)
        return TRUE;
      if (saved_errno == EACCES || saved_errno == EPERM)
        {
          set_not_private_error (path, _("this user account may not open it"), error);
          return FALSE;
        }

      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("Could not open the local database %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  ok = make_fd_private (fd, path, 0600, error);
  close (fd);
  return ok;
}

static gboolean
make_folder_private (const char  *directory,
                     GError     **error)
{
  int fd = open (directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("Could not inspect the folder %s of the local database: %s"),
                   directory, g_strerror (saved_errno));
      return FALSE;
    }

  ok = make_fd_private (fd, directory, 0700, error);
  close (fd);
  return ok;
}

static gboolean
make_journal_private (EnrStore  *self,
                      GError   **error)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (self->path, suffixes[i], NULL);

      if (!make_file_private (file, FALSE, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_default_folder (const char *directory)
{
  g_autofree char *default_path = enr_store_get_default_path ();
  g_autofree char *default_directory = g_path_get_dirname (default_path);

  return g_str_equal (directory, default_directory);
}

/* Every connection's settings (journal_mode = WAL is the file's). */
#define CONNECTION_PRAGMAS \
  "PRAGMA synchronous = FULL;" \
  "PRAGMA foreign_keys = ON;" \
  /* A REPLACE fires the delete triggers of the rows it deletes \
   * (service_task_counts). */ \
  "PRAGMA recursive_triggers = ON;" \
  "PRAGMA temp_store = MEMORY;" \
  /* A bulk load checkpoints its WAL seldom (enr_store_defer_search()): \
   * the file is cut back when the WAL starts over after it. */ \
  "PRAGMA journal_size_limit = 8388608;" \
  "PRAGMA cache_size = -32000;"

static gboolean
open_database (EnrStore  *self,
               GError   **error)
{
  g_autofree char *directory = g_path_get_dirname (self->path);
  g_autoptr(GError) local_error = NULL;
  EnrDbStmt *stmt;
  struct statfs fs;
  EnrDbStep step;
  gboolean wal;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("Could not create the folder %s for the local database: %s"),
                   directory, g_strerror (saved_errno));
      return FALSE;
    }

  /* A folder of the user's choosing (--store) keeps its mode; the files
   * in it are private all the same. */
  if (is_default_folder (directory) && !make_folder_private (directory, error))
    return FALSE;

  if (statfs (directory, &fs) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("Could not inspect the folder %s of the local database: %s"),
                   directory, g_strerror (saved_errno));
      return FALSE;
    }

  if (!_enr_store_check_fs_type (fs.f_type, self->path, error) ||
      !make_file_private (self->path, TRUE, error) ||
      !make_journal_private (self, error))
    return FALSE;

  if (!(self->db = enr_db_open (self->path, &local_error)))
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("Could not open the local database %s: %s"), self->path, local_error->message);
      return FALSE;
    }

  /* The first statement that reads the file: a file that is not a
   * database fails here. */
  if (!(stmt = _enr_store_prepare (self, "PRAGMA journal_mode = WAL", error)))
    return FALSE;
  step = _enr_store_step (self, stmt, error);
  wal = step == ENR_DB_STEP_ROW &&
        g_ascii_strcasecmp (enr_db_stmt_column_text (stmt, 0), "wal") == 0;
  enr_db_stmt_reset (stmt);

  if (step != ENR_DB_STEP_ROW)
    return FALSE;
  if (!wal)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("The local database %s cannot use write-ahead logging"), self->path);
      return FALSE;
    }

  /* SQLite made the -wal and -shm files now, if they were missing. */
  if (!make_journal_private (self, error))
    return FALSE;

  return _enr_store_exec (self, CONNECTION_PRAGMAS, error);
}

/* A second connection to the store at @path (open already), for work
 * off the main thread: the same settings but a page cache of
 * ENR_STORE_WORKER_CACHE_KIB, nothing else (no migrations, no recovery,
 * no outbox). Used and finalized on one thread. */
EnrStore *
_enr_store_open_worker (const char  *path,
                        GError     **error)
{
  g_autoptr(EnrStore) self = g_object_new (ENR_TYPE_STORE, "path", path, NULL);
  g_autoptr(GError) local_error = NULL;

  if (!(self->db = enr_db_open (self->path, &local_error)))
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("Could not open the local database %s: %s"), self->path, local_error->message);
      return NULL;
    }

  if (!_enr_store_exec (self, CONNECTION_PRAGMAS, error) ||
      !_enr_store_exec (self, "PRAGMA cache_size = -" G_STRINGIFY (ENR_STORE_WORKER_CACHE_KIB), error) ||
      !_enr_store_search_init (_enr_store_get_db (self), error))
    return NULL;

  return g_steal_pointer (&self);
}

/* On @worker's thread, after its work: how much page cache it holds
 * (SQLite keeps the pages after a commit), kept on @owner if it is the
 * most so far. */
void
_enr_store_note_worker_cache (EnrStore *owner,
                              EnrStore *worker)
{
  int used = 0, highwater = 0;
  gint kib, seen;

  if (worker->db == NULL ||
      sqlite3_db_status (_enr_store_get_db (worker), SQLITE_DBSTATUS_CACHE_USED, &used, &highwater, 0) != SQLITE_OK)
    return;

  kib = used / 1024;
  do
    seen = g_atomic_int_get (&owner->worker_cache_kib);
  while (kib > seen && !g_atomic_int_compare_and_exchange (&owner->worker_cache_kib, seen, kib));
}

/* The most page cache a worker connection of @self held so far, in KiB:
 * for the tests. */
gint
_enr_store_get_worker_cache_kib (EnrStore *self)
{
  return g_atomic_int_get (&self->worker_cache_kib);
}

/* For records another connection of this store wrote (a worker's). */
void
_enr_store_emit_changed (EnrStore *self,
                         GType     type)
{
  g_signal_emit (self, signals[CHANGED], 0, type);
}

static gboolean
enr_store_initable_init (GInitable     *initable,
                         GCancellable  *cancellable,
                         GError       **error)
{
  EnrStore *self = ENR_STORE (initable);
  const char * const *migrations;
  guint n_migrations;

  if (self->path == NULL)
    self->path = enr_store_get_default_path ();

  migrations = _enr_store_migrations (&n_migrations);

  if (!open_database (self, error) ||
      !_enr_store_recover_indexes (self, error) ||
      !_enr_store_migrate_db (self->db, migrations, n_migrations, error) ||
      !_enr_store_search_init (_enr_store_get_db (self), error))
    {
      g_clear_pointer (&self->db, enr_db_close);
      return FALSE;
    }

  self->outbox = _enr_outbox_new (self);
  return _enr_outbox_recover (self->outbox, error) &&
         _enr_store_search_recover (self, error);
}

static void
enr_store_initable_iface_init (GInitableIface *iface)
{
  iface->init = enr_store_initable_init;
}

static void
enr_store_finalize (GObject *object)
{
  EnrStore *self = (EnrStore *)object;
  guint n_infos;

  _enr_store_read_ahead_stop (self);
  g_clear_object (&self->outbox);
  _enr_store_search_free (self);

  if (self->db != NULL)
    {
      if (enr_db_in_transaction (self->db))
        enr_db_rollback (self->db);
      enr_db_exec (self->db, "PRAGMA optimize", NULL);
      g_clear_pointer (&self->db, enr_db_close);
    }

  _enr_store_type_infos (&n_infos);
  for (guint i = 0; i < n_infos; i++)
    g_free (self->put_sql[i]);
  g_free (self->put_sql);

  g_clear_pointer (&self->dirty_customers, g_hash_table_unref);
  g_clear_pointer (&self->touched_types, g_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->user, g_free);

  G_OBJECT_CLASS (enr_store_parent_class)->finalize (object);
}

static void
enr_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EnrStore *self = ENR_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_USER:
      g_value_set_string (value, self->user);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_store_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  EnrStore *self = ENR_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    case PROP_USER:
      enr_store_set_user (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_store_class_init (EnrStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_store_finalize;
  object_class->get_property = enr_store_get_property;
  object_class->set_property = enr_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EnrStore::changed:
   * @type: the type whose records changed
   *
   * Emitted after a transaction that changed records of @type committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_GTYPE);
}

static void
enr_store_init (EnrStore *self)
{
  guint n_infos;

  _enr_store_type_infos (&n_infos);
  self->put_sql = g_new0 (char *, n_infos);
  self->dirty_customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->touched_types = g_array_new (FALSE, FALSE, sizeof (GType));
  self->rebuild_progress = -1;
}

/**
 * enr_store_new:
 * @path: (nullable): the database file; %NULL for enr_store_get_default_path()
 *
 * Opens (creating and migrating when needed) the client's database.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
EnrStore *
enr_store_new (const char    *path,
               GCancellable  *cancellable,
               GError       **error)
{
  return g_initable_new (ENR_TYPE_STORE, cancellable, error,
                         "path", path,
                         NULL);
}

/* test-store-security.c — the client store keeps its data its owner's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files 0600 and the default folder 0700 at every open, whatever the
 * umask and whether they existed; files of another user account refused.
 * The offline verifiers: never the password, nor anything that contains
 * it. Every operation is someone's, and the migration that said so.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "enr-credentials.h"
#include "enr-store-private.h"

/* Helpers */

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
assert_mode (const char *path,
             guint       expected)
{
  g_autofree char *what = g_strdup_printf ("%s: %o", path, mode_of (path));
  g_autofree char *want = g_strdup_printf ("%s: %o", path, expected);

  g_assert_cmpstr (what, ==, want);
}

static void
assert_store_files_private (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  assert_mode (path, 0600);
  /* In WAL mode both exist while a connection is open. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);
}

static void
write_file (const char *path,
            guint       mode)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

static void
remove_store_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

/* Privacy */

/* The default folder existed with 0755 (an older version, a umask of
 * 022): it becomes 0700, the new files 0600. */
static void
test_default_folder (void)
{
  g_autofree char *path = enr_store_get_default_path ();
  g_autofree char *directory = g_path_get_dirname (path);
  g_autoptr(EnrStore) store = NULL;
  g_autoptr(GError) error = NULL;

  umask (022);
  g_assert_cmpint (g_mkdir_with_parents (directory, 0755), ==, 0);
  assert_mode (directory, 0755);

  store = enr_store_new (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_store_get_path (store), ==, path);

  assert_mode (directory, 0700);
  assert_store_files_private (path);
  g_clear_object (&store);

  /* Every open, not only the first: someone widened them meanwhile. */
  g_assert_cmpint (g_chmod (directory, 0755), ==, 0);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  store = enr_store_new (NULL, NULL, &error);
  g_assert_no_error (error);
  assert_mode (directory, 0700);
  assert_store_files_private (path);
}

/* A store of the user's choosing (--store) in an existing 0755 folder:
 * the folder is theirs and keeps its mode; every file of the store is
 * 0600, those that existed with 0644 (a journal left by a crash) too. */
static void
test_existing_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("enr-private-XXXXXX", &error);
  g_autofree char *path = g_build_filename (directory, "client.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(EnrStore) store = NULL;

  g_assert_no_error (error);
  umask (022);
  g_assert_cmpint (g_chmod (directory, 0755), ==, 0);

  /* New. */
  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  assert_store_files_private (path);
  assert_mode (directory, 0755);
  g_clear_object (&store);

  /* Existing, with what a umask of 022 gives. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  write_file (wal, 0644);
  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  assert_store_files_private (path);
  g_clear_object (&store);

  remove_store_files (path);
  g_rmdir (directory);
}

/* A store that belongs to another user account cannot be made private:
 * refused, saying how to fix it. */
static void
test_other_owner (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("enr-private-XXXXXX", &error);
  g_autofree char *path = g_build_filename (directory, "client.db", NULL);
  g_autoptr(EnrStore) store = NULL;

  g_assert_no_error (error);
  if (geteuid () != 0)
    {
      g_rmdir (directory);
      g_test_skip ("Giving a file to another user account needs root");
      return;
    }

  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (chown (path, 65534, 65534), ==, 0);

  store = enr_store_new (path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_PRIVATE);
  g_assert_nonnull (strstr (error->message, "belongs to another user account"));
  g_assert_nonnull (strstr (error->message, "chown"));
  g_assert_nonnull (strstr (error->message, path));
  /* Refused, not taken over: still the other account's. */
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpuint (st.st_uid, ==, 65534);
  }

  remove_store_files (path);
  g_rmdir (directory);
}

/* Owners of operations */

typedef struct
{
  char     *dir;
  char     *path;
  EnrStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("enr-store-security-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "client.db", NULL);
  fixture->store = enr_store_new (fixture->path, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_store_files (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static EnrServiceTask *
make_task (const char *id,
           const char *created_by)
{
  EnrServiceTask *task = enr_service_task_new ();
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (1780000000);

  enr_entity_set_id (ENR_ENTITY (task), id);
  enr_service_task_set_customer_id (task, "cust-1");
  enr_service_task_set_program_id (task, "prog-tstat");
  enr_service_task_set_status (task, ENR_TASK_STATUS_PENDING);
  enr_service_task_set_kind (task, ENR_TASK_KIND_ENROLLMENT);
  enr_service_task_set_created_by (task, created_by);
  enr_service_task_set_created_at (task, created);
  enr_service_task_set_updated_at (task, created);
  return task;
}

static EnrOperation *
queue (EnrStore         *store,
       const char       *task_id,
       const char       *created_by,
       EnrOperationKind  kind)
{
  g_autoptr(EnrServiceTask) task = make_task (task_id, created_by);
  g_autoptr(GError) error = NULL;
  EnrOperation *operation;

  operation = enr_store_save_task_with_operation (store, task, kind, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (operation);
  return operation;
}

static gint64
seq_of (GPtrArray *operations,
        guint      index)
{
  return enr_operation_get_seq (g_ptr_array_index (operations, index));
}

/* Every operation is someone's; with nobody signed in, nothing is queued,
 * not even the change it goes with. */
static void
test_queued_with_owner (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(EnrServiceTask) task = make_task ("task-1", "clerk");
  g_autoptr(EnrOperation) operation = NULL;
  g_autoptr(EnrServiceTask) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (enr_store_get_user (fixture->store));
  operation = enr_store_save_task_with_operation (fixture->store, task, ENR_OPERATION_KIND_CREATE_TASK,
                                                  NULL, &error);
  g_assert_null (operation);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Nobody is signed in"));
  g_clear_error (&error);
  stored = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-1", &error);
  g_assert_null (stored);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  enr_store_set_user (fixture->store, "clerk");
  operation = enr_store_save_task_with_operation (fixture->store, task, ENR_OPERATION_KIND_CREATE_TASK,
                                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_operation_get_owner (operation), ==, "clerk");

  /* Kept across a restart. */
  g_clear_object (&operation);
  g_clear_object (&fixture->store);
  fixture->store = enr_store_new (fixture->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (enr_store_get_user (fixture->store));
  {
    g_autoptr(GPtrArray) pending = enr_outbox_list (enr_store_get_outbox (fixture->store),
                                                    ENR_OPERATION_STATE_PENDING, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (pending->len, ==, 1);
    g_assert_cmpstr (enr_operation_get_owner (g_ptr_array_index (pending, 0)), ==, "clerk");
  }
}

/* Only the owner's session sends an operation; another user's operation
 * holds back the later ones of its entity, whoever queued those. */
static void
test_sent_by_owner (Fixture       *fixture,
                    gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(EnrOperation) clerk_1 = NULL;
  g_autoptr(EnrOperation) supervisor_1 = NULL;
  g_autoptr(EnrOperation) supervisor_2 = NULL;
  g_autoptr(EnrOperation) after = NULL;
  g_autoptr(GPtrArray) next = NULL;
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GError) error = NULL;

  enr_store_set_user (fixture->store, "clerk");
  clerk_1 = queue (fixture->store, "task-1", "clerk", ENR_OPERATION_KIND_CREATE_TASK);
  enr_store_set_user (fixture->store, "supervisor");
  supervisor_1 = queue (fixture->store, "task-1", "clerk", ENR_OPERATION_KIND_SAVE_TASK);
  supervisor_2 = queue (fixture->store, "task-2", "supervisor", ENR_OPERATION_KIND_CREATE_TASK);
  g_assert_cmpstr (enr_operation_get_owner (supervisor_1), ==, "supervisor");

  next = enr_outbox_next (outbox, "supervisor", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (next->len, ==, 1);
  g_assert_cmpint (seq_of (next, 0), ==, enr_operation_get_seq (supervisor_2));
  g_clear_pointer (&next, g_ptr_array_unref);

  next = enr_outbox_next (outbox, "clerk", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (next->len, ==, 1);
  g_assert_cmpint (seq_of (next, 0), ==, enr_operation_get_seq (clerk_1));
  g_clear_pointer (&next, g_ptr_array_unref);

  /* Nobody's session sends nothing. */
  next = enr_outbox_next (outbox, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (next->len, ==, 0);
  g_clear_pointer (&next, g_ptr_array_unref);
  g_assert_cmpint (enr_outbox_get_next_attempt_at (outbox, "nobody", &error), ==, -1);
  g_assert_no_error (error);

  /* Once the clerk's is acknowledged, the supervisor's next one of the
   * same task goes, but not under the clerk's session. */
  after = enr_outbox_next_of_entity (outbox, clerk_1, &error);
  g_assert_no_error (error);
  g_assert_null (after);
  g_assert_true (enr_outbox_mark_done (outbox, enr_operation_get_seq (clerk_1), NULL, 1, &error));
  g_assert_no_error (error);
  next = enr_outbox_next (outbox, "supervisor", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (next->len, ==, 2);
  g_assert_cmpint (seq_of (next, 0), ==, enr_operation_get_seq (supervisor_1));
  g_clear_pointer (&next, g_ptr_array_unref);

  /* What waits for other owners, as the clerk sees it. */
  g_assert_cmpint (enr_outbox_count_of_others (outbox, "clerk", &error), ==, 2);
  g_assert_cmpint (enr_outbox_count_of_others (outbox, "supervisor", &error), ==, 0);
  g_assert_cmpint (enr_outbox_count_of_owner (outbox, ENR_OPERATION_STATE_PENDING, "supervisor", &error), ==, 2);
  g_assert_cmpint (enr_outbox_count_unfinished (outbox, &error), ==, 2);
  others = enr_outbox_list_of_others (outbox, "clerk", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (others->len, ==, 2);
  g_assert_cmpstr (enr_operation_get_owner (g_ptr_array_index (others, 0)), ==, "supervisor");
}

/* Operations of no known owner go out under the first supervisor who
 * takes them. */
static void
test_claim_unowned (Fixture       *fixture,
                    gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(EnrOperation) operation = NULL;
  g_autoptr(EnrOperation) claimed = NULL;
  g_autoptr(GError) error = NULL;

  enr_store_set_user (fixture->store, "clerk");
  operation = queue (fixture->store, "task-1", "clerk", ENR_OPERATION_KIND_CREATE_TASK);
  g_assert_cmpint (sqlite3_exec (_enr_store_get_db (fixture->store), "UPDATE outbox SET owner = NULL",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpint (enr_outbox_count_of_others (outbox, "clerk", &error), ==, 1);
  g_assert_cmpint (enr_outbox_claim_unowned (outbox, "supervisor", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (enr_outbox_claim_unowned (outbox, "another", &error), ==, 0);
  claimed = enr_outbox_get (outbox, enr_operation_get_seq (operation), &error);
  g_assert_cmpstr (enr_operation_get_owner (claimed), ==, "supervisor");
}

/* A supervisor discards another user's waiting change, with a reason:
 * it and the owner's later changes of the same task leave the outbox for
 * the list of discarded operations, whole, with who, why and when. Never
 * without a reason, never the supervisor's own work, never a change a
 * later change of someone else builds on. */
static void
test_discard (Fixture       *fixture,
              gconstpointer  data)
{
  EnrOutbox *outbox = enr_store_get_outbox (fixture->store);
  g_autoptr(EnrOperation) create_1 = NULL;
  g_autoptr(EnrOperation) save_1 = NULL;
  g_autoptr(EnrOperation) create_2 = NULL;
  g_autoptr(EnrOperation) save_2 = NULL;
  g_autoptr(EnrOperation) mine = NULL;
  g_autoptr(GPtrArray) discarded = NULL;
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(EnrServiceTask) gone = NULL;
  g_autoptr(EnrServiceTask) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  EnrOperation *first;

  enr_store_set_user (fixture->store, "clerk");
  create_1 = queue (fixture->store, "task-1", "clerk", ENR_OPERATION_KIND_CREATE_TASK);
  save_1 = queue (fixture->store, "task-1", "clerk", ENR_OPERATION_KIND_SAVE_TASK);
  create_2 = queue (fixture->store, "task-2", "clerk", ENR_OPERATION_KIND_CREATE_TASK);
  g_assert_true (enr_outbox_mark_done (outbox, enr_operation_get_seq (create_2), NULL, 1, &error));
  save_2 = queue (fixture->store, "task-2", "clerk", ENR_OPERATION_KIND_SAVE_TASK);
  enr_store_set_user (fixture->store, "supervisor");
  mine = queue (fixture->store, "task-3", "supervisor", ENR_OPERATION_KIND_CREATE_TASK);
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    g_assert_true (enr_store_apply_changes (fixture->store, none, "cursor-7", &error));
    g_assert_no_error (error);
  }

  /* A reason is required; blank is none. */
  g_assert_cmpint (enr_outbox_discard (outbox, enr_operation_get_seq (save_1), "supervisor", NULL, &error), ==, -1);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (enr_outbox_discard (outbox, enr_operation_get_seq (save_1), "supervisor", "  \n", &error), ==, -1);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Say why"));
  g_clear_error (&error);

  /* Not the supervisor's own work. */
  g_assert_cmpint (enr_outbox_discard (outbox, enr_operation_get_seq (mine), "supervisor", "Mistake", &error), ==, -1);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "your own"));
  g_clear_error (&error);

  /* Nor a change done, or one a later change of someone else builds on. */
  g_assert_cmpint (enr_outbox_discard (outbox, enr_operation_get_seq (create_2), "supervisor", "Old", &error), ==, -1);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(EnrOperation) on_top = queue (fixture->store, "task-2", "clerk", ENR_OPERATION_KIND_SAVE_TASK);

    g_assert_cmpint (enr_outbox_discard (outbox, enr_operation_get_seq (save_2), "supervisor", "Wrong customer",
                                         &error), ==, -1);
    g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "supervisor"));
    g_clear_error (&error);
    g_assert_cmpint (enr_outbox_count_unfinished (outbox, &error), ==, 5);
    /* The supervisor's change on top is theirs to resolve, not here. */
    g_assert_cmpint (enr_outbox_discard (outbox, enr_operation_get_seq (on_top), "supervisor", "Mine", &error), ==, -1);
    g_clear_error (&error);
  }
  cursor = enr_store_get_cursor (fixture->store, &error);
  g_assert_cmpstr (cursor, ==, "cursor-7");
  g_clear_pointer (&cursor, g_free);

  /* The clerk's new task, created and saved here: both go, and so does
   * the task, which never reached the service. */
  g_assert_cmpint (enr_outbox_discard (outbox, enr_operation_get_seq (create_1), "supervisor",
                                       " Duplicate of an enrollment made by phone ", &error), ==, 2);
  g_assert_no_error (error);
  gone = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-1", &error);
  g_assert_null (gone);
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* The next sync downloads the service's copies again. */
  g_assert_null (enr_store_get_cursor (fixture->store, &error));
  g_assert_no_error (error);

  /* The clerk's other change waits still; the supervisor's are theirs. */
  others = enr_outbox_list_of_others (outbox, "supervisor", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (others->len, ==, 1);
  g_assert_cmpint (seq_of (others, 0), ==, enr_operation_get_seq (save_2));

  /* Recorded, whole, and kept across a restart. */
  g_clear_object (&fixture->store);
  fixture->store = enr_store_new (fixture->path, NULL, &error);
  g_assert_no_error (error);
  outbox = enr_store_get_outbox (fixture->store);
  discarded = enr_outbox_list_discarded (outbox, "clerk", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (discarded->len, ==, 2);
  for (guint i = 0; i < discarded->len; i++)
    {
      EnrOperation *operation = g_ptr_array_index (discarded, i);

      g_assert_cmpstr (enr_operation_get_owner (operation), ==, "clerk");
      g_assert_cmpstr (enr_operation_get_entity_id (operation), ==, "task-1");
      g_assert_cmpstr (enr_operation_get_discarded_by (operation), ==, "supervisor");
      g_assert_cmpstr (enr_operation_get_discard_reason (operation), ==, "Duplicate of an enrollment made by phone");
      g_assert_cmpint (ABS (enr_operation_get_discarded_at (operation) - g_get_real_time ()), <,
                       60 * G_USEC_PER_SEC);
      g_assert_nonnull (strstr (enr_operation_get_body (operation), "task-1"));
    }
  first = g_ptr_array_index (discarded, 1);
  g_assert_cmpint (enr_operation_get_kind (first), ==, ENR_OPERATION_KIND_CREATE_TASK);
  g_assert_cmpint (enr_operation_get_seq (first), ==, enr_operation_get_seq (create_1));
  g_assert_cmpint (enr_operation_get_created_at (first), ==, enr_operation_get_created_at (create_1));
  g_clear_pointer (&discarded, g_ptr_array_unref);
  discarded = enr_outbox_list_discarded (outbox, "alex", &error);
  g_assert_cmpuint (discarded->len, ==, 0);
  g_clear_pointer (&discarded, g_ptr_array_unref);
  discarded = enr_outbox_list_discarded (outbox, NULL, &error);
  g_assert_cmpuint (discarded->len, ==, 2);

  /* A change of a task the service has: it goes, the task stays until
   * the download brings the service's copy. */
  enr_store_set_user (fixture->store, "supervisor");
  g_assert_cmpint (enr_outbox_discard (outbox, enr_operation_get_seq (save_2), "supervisor", "Wrong customer",
                                       &error), ==, -1);
  g_clear_error (&error);
  g_clear_pointer (&others, g_ptr_array_unref);
  others = enr_outbox_list_of_others (outbox, "clerk", &error);
  g_assert_cmpuint (others->len, ==, 2);
  g_assert_cmpint (enr_outbox_discard (outbox, seq_of (others, 1), "jordan", "Made in error", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (enr_outbox_discard (outbox, enr_operation_get_seq (save_2), "supervisor", "Wrong customer",
                                       &error), ==, 1);
  g_assert_no_error (error);
  kept = enr_store_get (fixture->store, ENR_TYPE_SERVICE_TASK, "task-2", &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  g_assert_cmpint (enr_outbox_count_unfinished (outbox, &error), ==, 1);
}

/* Migration */

typedef struct
{
  const char *kind;
  const char *state;
  const char *entity_type;
  const char *entity_id;
  const char *body_created_by;
  const char *expected_owner;
} OldOperation;

/* A store as the version before owners wrote it (schema 2), with waiting
 * operations of every kind and state; once opened, every one of them is
 * still there, as it was, with the owner its task or communication says. */
static void
test_migration_keeps_operations (void)
{
  static const OldOperation old[] = {
    { "create-task", "pending", "service_task", "task-clerk", NULL, "clerk" },
    { "save-task", "pending", "service_task", "task-clerk", NULL, "clerk" },
    { "finish-task", "in-flight", "service_task", "task-clerk", NULL, "clerk" },
    { "save-task", "conflict", "service_task", "task-alex", NULL, "alex" },
    { "cancel-task", "rejected", "service_task", "task-alex", NULL, "alex" },
    /* A task only the operation's body knows. */
    { "create-task", "pending", "service_task", "task-body", "alex", "alex" },
    { "create-communication", "pending", "customer_communication", "comm-1", "clerk", "clerk" },
    /* A supervisor's: nobody known until a supervisor takes it. */
    { "reschedule", "pending", "service_task", "task-gone", NULL, NULL },
    { "save-task", "done", "service_task", "task-clerk", NULL, "clerk" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *directory = g_dir_make_tmp ("enr-migrate-XXXXXX", &error);
  g_autofree char *path = g_build_filename (directory, "client.db", NULL);
  g_autoptr(EnrStore) store = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  const char * const *steps;
  guint n_steps;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_no_error (error);

  /* Schema 2, as the previous version made it. */
  steps = _enr_store_migrations (&n_steps);
  g_assert_cmpuint (n_steps, >, 2);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (_enr_store_migrate (db, steps, 2, &error));
  g_assert_no_error (error);

  {
    const char *creators[][2] = { { "task-clerk", "clerk" }, { "task-alex", "alex" } };

    for (guint i = 0; i < G_N_ELEMENTS (creators); i++)
      {
        g_autoptr(EnrServiceTask) task = make_task (creators[i][0], creators[i][1]);
        g_autofree char *json = enr_codec_encode_string (task);

        g_assert_cmpint (sqlite3_prepare_v2 (db,
                                             "INSERT INTO service_tasks (id, customer_id, program_id, status,"
                                             " kind, created_by, created_at, updated_at, version, json)"
                                             " VALUES (?1, 'cust-1', 'prog-tstat', 0, 0, ?2, 0, 0, 1, ?3)",
                                             -1, &stmt, NULL), ==, SQLITE_OK);
        sqlite3_bind_text (stmt, 1, creators[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, creators[i][1], -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
        sqlite3_finalize (stmt);
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (old); i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%u", i);
      g_autofree char *body = NULL;

      if (old[i].body_created_by != NULL)
        body = g_strdup_printf ("{\"id\":\"%s\",\"created_by\":\"%s\"}",
                                old[i].entity_id, old[i].body_created_by);
      else
        body = g_strdup ("{}");

      g_assert_cmpint (sqlite3_prepare_v2 (db,
                                           "INSERT INTO outbox (idempotency_key, kind, entity_type, entity_id,"
                                           " base_version, method, path, body, state, created_at, updated_at)"
                                           " VALUES (?1, ?2, ?3, ?4, 1, 'POST', '/v1/x', ?5, ?6, ?7, ?7)",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, old[i].kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, old[i].entity_type, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, old[i].entity_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, body, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, old[i].state, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, 1780000000 + i);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);

  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (enr_store_get_schema_version (store), ==, ENR_STORE_SCHEMA_VERSION);

  for (EnrOperationState state = 0; state < ENR_OPERATION_N_STATES; state++)
    {
      g_autoptr(GPtrArray) list = enr_outbox_list (enr_store_get_outbox (store), state, &error);

      g_assert_no_error (error);
      g_ptr_array_extend_and_steal (all, g_steal_pointer (&list));
    }

  /* The one in flight is pending again (sent again with its key). */
  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (old));
  for (guint i = 0; i < G_N_ELEMENTS (old); i++)
    {
      g_autofree char *key = g_strdup_printf ("key-%u", i);
      EnrOperation *found = NULL;

      for (guint j = 0; j < all->len; j++)
        if (g_str_equal (enr_operation_get_idempotency_key (g_ptr_array_index (all, j)), key))
          found = g_ptr_array_index (all, j);

      g_assert_nonnull (found);
      g_assert_cmpstr (enr_enum_to_nick (ENR_TYPE_OPERATION_KIND, enr_operation_get_kind (found)), ==, old[i].kind);
      g_assert_cmpstr (enr_operation_get_entity_id (found), ==, old[i].entity_id);
      g_assert_cmpstr (enr_operation_get_owner (found), ==, old[i].expected_owner);
      if (g_str_equal (old[i].state, "in-flight"))
        g_assert_cmpint (enr_operation_get_state (found), ==, ENR_OPERATION_STATE_PENDING);
      else
        g_assert_cmpstr (enr_enum_to_nick (ENR_TYPE_OPERATION_STATE, enr_operation_get_state (found)), ==,
                         old[i].state);
    }

  /* Each goes under its owner's session. */
  {
    g_autoptr(GPtrArray) clerk = enr_outbox_next (enr_store_get_outbox (store), "clerk", 10, &error);
    g_autoptr(GPtrArray) alex = enr_outbox_next (enr_store_get_outbox (store), "alex", 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (clerk->len, ==, 2);    /* task-clerk's head, comm-1 */
    g_assert_cmpuint (alex->len, ==, 1);     /* task-body (task-alex waits for its conflict) */
  }

  g_clear_object (&store);
  remove_store_files (path);
  g_rmdir (directory);
}

/* Offline verifiers */

static gboolean
bytes_contain (GBytes     *haystack,
               const char *needle)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (haystack, &length);
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (data + i, needle, needle_length) == 0)
      return TRUE;

  return FALSE;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_bytes_new (NULL, 0);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* The verifier is a slow salted hash with the current parameters: never
 * the password, never containing it, neither in the row nor anywhere in
 * the store's files; a new salt each time; only the password it was
 * made of matches. */
static void
test_verifier_not_password (Fixture       *fixture,
                            gconstpointer  data)
{
  static const char password[] = "clerk-demo-pass";
  g_autoptr(EnrCredential) made = NULL;
  g_autoptr(EnrCredential) again = NULL;
  g_autoptr(EnrCredential) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autoptr(EnrUser) clerk = enr_user_new ();
  gboolean matches = TRUE;
  GBytes *hash;

  enr_entity_set_id (ENR_ENTITY (clerk), "user-clerk");
  enr_user_set_username (clerk, "clerk");
  enr_user_set_role (clerk, ENR_ROLE_CLERK);

  made = enr_credential_new_for_password ("clerk", password, g_get_real_time (), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_credential_get_algorithm (made), ==, "argon2id");
  g_assert_cmpuint (enr_credential_get_memory_kib (made), >=, 19 * 1024);
  g_assert_cmpuint (enr_credential_get_iterations (made), >=, 1);
  g_assert_cmpuint (g_bytes_get_size (enr_credential_get_salt (made)), >=, 16);
  hash = enr_credential_get_hash (made);
  g_assert_cmpuint (g_bytes_get_size (hash), ==, 32);
  g_assert_false (bytes_contain (hash, password));
  g_assert_false (bytes_contain (enr_credential_get_salt (made), password));

  /* The same password, another salt, another hash. */
  again = enr_credential_new_for_password ("clerk", password, g_get_real_time (), &error);
  g_assert_no_error (error);
  g_assert_false (g_bytes_equal (enr_credential_get_salt (made), enr_credential_get_salt (again)));
  g_assert_false (g_bytes_equal (hash, enr_credential_get_hash (again)));

  g_assert_true (enr_store_put_credential (fixture->store, made, clerk, &error));
  g_assert_no_error (error);
  kept = enr_store_get_credential (fixture->store, "clerk", &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (enr_credential_get_hash (kept), hash));
  g_assert_true (g_bytes_equal (enr_credential_get_salt (kept), enr_credential_get_salt (made)));

  g_assert_true (enr_credential_check_password (kept, password, &matches, &error));
  g_assert_no_error (error);
  g_assert_true (matches);
  g_assert_true (enr_credential_check_password (kept, "clerk-demo-pasS", &matches, &error));
  g_assert_false (matches);
  g_assert_true (enr_credential_check_password (kept, "", &matches, &error));
  g_assert_false (matches);

  /* Nowhere in the files, open or closed. */
  {
    g_autoptr(GBytes) db = read_bytes (fixture->path);
    g_autoptr(GBytes) log = read_bytes (wal);

    g_assert_false (bytes_contain (db, password));
    g_assert_false (bytes_contain (log, password));
  }
  g_clear_object (&fixture->store);
  {
    g_autoptr(GBytes) db = read_bytes (fixture->path);

    g_assert_cmpuint (g_bytes_get_size (db), >, 0);
    g_assert_false (bytes_contain (db, password));
  }

  /* Nobody else's verifier. */
  fixture->store = enr_store_new (fixture->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (enr_store_get_credential (fixture->store, "supervisor", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
}

/* The verifier keeps the user the service named at that sign-in, role
 * included, for its own user only; one kept before the user was kept
 * with it (store schema 4) gives none, so it needs an online sign-in. */
static void
test_verifier_user (Fixture       *fixture,
                    gconstpointer  data)
{
  static const guint8 sixteen[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  g_autoptr(GBytes) salt = g_bytes_new_static (sixteen, sizeof sixteen);
  g_autoptr(GBytes) hash = g_bytes_new_static (sixteen, sizeof sixteen);
  g_autoptr(EnrCredential) credential = enr_credential_new ("clerk", "argon2id", 47104, 1, 1, salt, hash,
                                                            g_get_real_time (), 0, 0);
  g_autoptr(EnrUser) clerk = enr_user_new ();
  g_autoptr(EnrUser) alex = enr_user_new ();
  g_autoptr(EnrUser) kept = NULL;
  g_autoptr(GError) error = NULL;

  enr_entity_set_id (ENR_ENTITY (clerk), "user-clerk");
  enr_user_set_username (clerk, "clerk");
  enr_user_set_display_name (clerk, "Casey Morgan");
  enr_user_set_role (clerk, ENR_ROLE_CLERK);
  enr_entity_set_id (ENR_ENTITY (alex), "user-alex");
  enr_user_set_username (alex, "alex");
  enr_user_set_role (alex, ENR_ROLE_SUPERVISOR);

  g_assert_false (enr_store_put_credential (fixture->store, credential, alex, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (enr_store_get_credential (fixture->store, "clerk", &error));
  g_clear_error (&error);

  g_assert_true (enr_store_put_credential (fixture->store, credential, clerk, &error));
  g_assert_no_error (error);
  kept = enr_store_get_credential_user (fixture->store, "clerk", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_user_get_username (kept), ==, "clerk");
  g_assert_cmpstr (enr_user_get_display_name (kept), ==, "Casey Morgan");
  g_assert_cmpint (enr_user_get_role (kept), ==, ENR_ROLE_CLERK);
  g_clear_object (&kept);

  g_assert_null (enr_store_get_credential_user (fixture->store, "alex", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* As a verifier from before the user was kept with it. */
  g_assert_cmpint (sqlite3_exec (_enr_store_get_db (fixture->store), "UPDATE offline_credentials SET user = NULL",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_null (enr_store_get_credential_user (fixture->store, "clerk", &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND);
}

/* A verifier of a kind this version does not know, or with absurd
 * parameters, is refused with an error rather than checked. */
static void
test_verifier_unknown (Fixture       *fixture,
                       gconstpointer  data)
{
  static const guint8 sixteen[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  g_autoptr(GBytes) salt = g_bytes_new_static (sixteen, sizeof sixteen);
  g_autoptr(GBytes) hash = g_bytes_new_static (sixteen, sizeof sixteen);
  g_autoptr(EnrCredential) other = enr_credential_new ("clerk", "bcrypt", 47104, 1, 1, salt, hash, 0, 0, 0);
  g_autoptr(EnrCredential) huge = enr_credential_new ("clerk", "argon2id", G_MAXUINT, 1, 1, salt, hash, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  gboolean matches = TRUE;

  g_assert_false (enr_credential_check_password (other, "x", &matches, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
  g_assert_false (matches);
  g_clear_error (&error);
  g_assert_false (enr_credential_check_password (huge, "x", &matches, &error));
  g_assert_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID);
}

/* Removes @path and everything under it. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  int status;

  /* The default store's folder is under XDG_DATA_HOME: this run's own,
   * set before GLib reads it. Not G_TEST_OPTION_ISOLATE_DIRS: GLib 2.74
   * leaks the folder names of each test it isolates (g_set_user_dirs),
   * which LeakSanitizer reports. */
  home = g_dir_make_tmp ("enr-store-security-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("XDG_STATE_HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/private/default-folder", test_default_folder);
  g_test_add_func ("/store/private/existing-folder", test_existing_folder);
  g_test_add_func ("/store/private/other-owner", test_other_owner);
  g_test_add ("/store/owners/queued-with-owner", Fixture, NULL,
              fixture_set_up, test_queued_with_owner, fixture_tear_down);
  g_test_add ("/store/owners/sent-by-owner", Fixture, NULL,
              fixture_set_up, test_sent_by_owner, fixture_tear_down);
  g_test_add ("/store/owners/claim-unowned", Fixture, NULL,
              fixture_set_up, test_claim_unowned, fixture_tear_down);
  g_test_add ("/store/owners/discard", Fixture, NULL,
              fixture_set_up, test_discard, fixture_tear_down);
  g_test_add_func ("/store/migration/keeps-operations", test_migration_keeps_operations);
  g_test_add ("/store/verifier/not-the-password", Fixture, NULL,
              fixture_set_up, test_verifier_not_password, fixture_tear_down);
  g_test_add ("/store/verifier/user", Fixture, NULL,
              fixture_set_up, test_verifier_user, fixture_tear_down);
  g_test_add ("/store/verifier/unknown-kind", Fixture, NULL,
              fixture_set_up, test_verifier_unknown, fixture_tear_down);

  status = g_test_run ();
  remove_tree (home);

  return status;
}

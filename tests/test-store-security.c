/* test-store-security.c — the client store keeps its data its owner's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files 0600 and the default folder 0700 at every open, whatever the
 * umask and whether they existed; files of another user account refused.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/private/default-folder", test_default_folder);
  g_test_add_func ("/store/private/existing-folder", test_existing_folder);
  g_test_add_func ("/store/private/other-owner", test_other_owner);

  return g_test_run ();
}

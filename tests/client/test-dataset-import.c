/* test-dataset-import.c — filling the client store from a data set, and
 * the users it remembers for signing in offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "client-test-util.h"
#include "enr-api-decoders.h"
#include "enr-dataset-import.h"
#include "enr-sign-in-util.h"
#include "enr-store-private.h"

typedef struct
{
  char     *directory;
  EnrStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->directory = g_dir_make_tmp ("enr-import-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->directory, "store.db", NULL);
  fixture->store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_tree (fixture->directory);
  g_clear_pointer (&fixture->directory, g_free);
}

static GFile *
sample_directory (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("ENR_SOURCE_ROOT"), "data", "sample", NULL);

  return g_file_new_for_path (path);
}

/* A copy of the sample in @path, a new directory. */
static void
copy_sample (const char *path)
{
  g_autoptr(GFile) sample = sample_directory ();
  g_autoptr(GFile) copy = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  children = g_file_enumerate_children (sample, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE,
                                        NULL, &error);
  g_assert_no_error (error);
  while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFile) from = g_file_get_child (sample, g_file_info_get_name (info));
      g_autoptr(GFile) to = g_file_get_child (copy, g_file_info_get_name (info));

      g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      g_object_unref (info);
    }
}

static gint64
count (Fixture *fixture,
       GType    type)
{
  g_autoptr(GError) error = NULL;
  gint64 n = enr_store_count (fixture->store, type, &error);

  g_assert_no_error (error);
  return n;
}

/* Every collection of the sample, and the crews' shifts expanded over the
 * data set's horizon from the given day. */
static void
test_sample (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GFile) sample = sample_directory ();
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GError) error = NULL;
  GDate today, last;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, G_DATE_JUNE, 2026);
  g_assert_true (enr_dataset_import (fixture->store, sample, &today, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (count (fixture, ENR_TYPE_CUSTOMER), ==, 48);
  g_assert_cmpint (count (fixture, ENR_TYPE_PROGRAM), ==, 9);
  g_assert_cmpint (count (fixture, ENR_TYPE_METERED_SERVICE), ==, 50);
  g_assert_cmpint (count (fixture, ENR_TYPE_DEVICE), ==, 31);
  g_assert_cmpint (count (fixture, ENR_TYPE_PROGRAM_SUBSCRIPTION), ==, 9);
  g_assert_cmpint (count (fixture, ENR_TYPE_CREW), ==, 6);
  g_assert_cmpint (count (fixture, ENR_TYPE_USER), ==, 3);

  /* The batches and the search went through the store's worker
   * connections, with their small page cache, as a first download's do,
   * not through the store's own connection and its 32 MB. */
  g_assert_cmpint (_enr_store_get_worker_cache_kib (fixture->store), >, 0);
  g_assert_cmpint (_enr_store_get_worker_cache_kib (fixture->store), <=,
                   ENR_STORE_WORKER_CACHE_KIB + ENR_STORE_WORKER_CACHE_KIB / 8);

  last = today;
  g_date_add_days (&last, 56);
  shifts = enr_store_list (fixture->store, ENR_TYPE_CREW_SHIFT, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shifts->len, >, 0);
  for (guint i = 0; i < shifts->len; i++)
    {
      const GDate *date = enr_crew_shift_get_date (g_ptr_array_index (shifts, i));

      g_assert_cmpint (g_date_compare (date, &today), >=, 0);
      g_assert_cmpint (g_date_compare (date, &last), <, 0);
    }

  /* Imported again: the same records, replaced, not doubled. */
  g_assert_true (enr_dataset_import (fixture->store, sample, &today, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, ENR_TYPE_CUSTOMER), ==, 48);
  g_assert_cmpint (count (fixture, ENR_TYPE_CREW_SHIFT), ==, (gint64) shifts->len);
}

/* Not a data set, or a bad line in one: a clear error. */
static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *missing_path = g_build_filename (fixture->directory, "missing", NULL);
  g_autofree char *broken_path = g_build_filename (fixture->directory, "broken", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) broken = g_file_new_for_path (broken_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *customers = NULL;
  g_autofree char *contents = NULL;

  g_assert_false (enr_dataset_import (fixture->store, missing, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, ENR_TYPE_CUSTOMER), ==, 0);

  /* The sample with its third customer's line cut short. */
  copy_sample (broken_path);
  customers = g_build_filename (broken_path, "customers.jsonl", NULL);
  g_assert_true (g_file_get_contents (customers, &contents, NULL, &error));
  {
    g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
    g_autofree char *joined = NULL;

    lines[2][strlen (lines[2]) / 2] = '\0';
    joined = g_strjoinv ("\n", lines);
    g_assert_true (g_file_set_contents (customers, joined, -1, &error));
  }

  g_assert_false (enr_dataset_import (fixture->store, broken, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "customers.jsonl:3: "));
}

/* The stored text of a record, read from the store's file. */
static char *
stored_json (Fixture    *fixture,
             const char *table,
             const char *id)
{
  g_autofree char *path = g_build_filename (fixture->directory, "store.db", NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT json FROM %s WHERE id = ?1", table);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *json = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return json;
}

static gboolean
file_contains (const char *path,
               const char *text)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  /* The file holds NULs: no string function. */
  for (gsize i = 0; i + strlen (text) <= length; i++)
    if (memcmp (contents + i, text, strlen (text)) == 0)
      return TRUE;

  return FALSE;
}

/* The records are stored as the compact copies of their lines (not
 * encoded again: members keep the line's order), read back as the same
 * records; users are encoded, so that no demo password reaches the
 * store's files. */
static void
test_row_copies (Fixture       *fixture,
                 gconstpointer  data)
{
  /* The sample's first customer, its members in another order, spaced. */
  const char *line = "{ \"name\": \"Maria Gonzalez\", \"id\": \"cust-0001\", \"account_id\": \"RPL-100037\", "
                     "\"phone\": \"(541) 555-0101\", \"email\": \"maria.gonzalez@example.net\", "
                     "\"mailing_address\": \"1423 Maple Ave, Riverbend, OR 97401\" }";
  const char *row = "{\"name\":\"Maria Gonzalez\",\"id\":\"cust-0001\",\"account_id\":\"RPL-100037\","
                    "\"phone\":\"(541) 555-0101\",\"email\":\"maria.gonzalez@example.net\","
                    "\"mailing_address\":\"1423 Maple Ave, Riverbend, OR 97401\"}";
  const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  const char * const passwords[] = { "clerk-demo-pass", "alex-demo-pass", "supervisor-demo-pass" };
  g_autofree char *copy_path = g_build_filename (fixture->directory, "rows", NULL);
  g_autofree char *customers_path = g_build_filename (copy_path, "customers.jsonl", NULL);
  g_autofree char *users_path = g_build_filename (copy_path, "users.jsonl", NULL);
  g_autofree char *store_path = g_build_filename (fixture->directory, "store.db", NULL);
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrCustomer) maria = NULL;
  g_autoptr(EnrUser) clerk = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *json = NULL;
  g_autofree char *encoded = NULL;
  g_auto(GStrv) lines = NULL;

  copy_sample (copy_path);
  g_assert_true (g_file_get_contents (customers_path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\n", 2);
  g_assert_true (g_str_has_prefix (lines[0], "{\"id\":\"cust-0001\","));
  g_clear_pointer (&contents, g_free);
  contents = g_strconcat (line, "\n", lines[1], NULL);
  g_assert_true (g_file_set_contents (customers_path, contents, -1, &error));
  g_clear_pointer (&contents, g_free);
  /* The passwords this test looks for are the data set's. */
  g_assert_true (g_file_get_contents (users_path, &contents, NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    g_assert_nonnull (strstr (contents, passwords[i]));

  g_assert_true (enr_dataset_import (fixture->store, copy, NULL, NULL, &error));
  g_assert_no_error (error);

  json = stored_json (fixture, "customers", "cust-0001");
  g_assert_cmpstr (json, ==, row);
  maria = enr_store_get (fixture->store, ENR_TYPE_CUSTOMER, "cust-0001", &error);
  g_assert_no_error (error);
  encoded = enr_codec_encode_string (maria);
  g_assert_cmpstr (encoded, !=, row);
  g_assert_cmpstr (enr_customer_get_name (maria), ==, "Maria Gonzalez");
  g_assert_cmpstr (enr_customer_get_account_id (maria), ==, "RPL-100037");
  g_assert_cmpint (count (fixture, ENR_TYPE_CUSTOMER), ==, 48);

  /* The user as encoded: its row has no password member. */
  g_clear_pointer (&json, g_free);
  json = stored_json (fixture, "users", "user-clerk");
  g_assert_nonnull (json);
  g_assert_null (strstr (json, "password"));
  clerk = enr_store_get (fixture->store, ENR_TYPE_USER, "user-clerk", &error);
  g_assert_no_error (error);
  g_clear_pointer (&encoded, g_free);
  encoded = enr_codec_encode_string (clerk);
  g_assert_cmpstr (json, ==, encoded);

  /* Nowhere in the files, before and after the store is closed. */
  for (guint pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        g_clear_object (&fixture->store);

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *path = g_strconcat (store_path, suffixes[i], NULL);

          for (guint j = 0; j < G_N_ELEMENTS (passwords); j++)
            g_assert_false (file_contains (path, passwords[j]));
          g_assert_true (i > 0 || file_contains (path, "Maria Gonzalez") || pass == 0);
        }
    }
}

/* Users who signed in here (or came with a data set) are found again for
 * working offline; never with a password. */
static void
test_remembered_users (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GFile) sample = sample_directory ();
  g_autoptr(EnrUser) user = enr_user_new ();
  g_autoptr(EnrUser) found = NULL;
  g_autoptr(EnrUser) clerk = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  g_assert_null (enr_sign_in_find_cached_user (fixture->store, "casey"));
  g_assert_null (enr_sign_in_find_cached_user (fixture->store, NULL));
  g_assert_null (enr_sign_in_find_cached_user (fixture->store, ""));

  enr_entity_set_id (ENR_ENTITY (user), "user-casey");
  enr_user_set_username (user, "casey");
  enr_user_set_display_name (user, "Casey Morgan");
  enr_user_set_role (user, ENR_ROLE_SUPERVISOR);
  g_assert_true (enr_sign_in_remember_user (fixture->store, user, &error));
  g_assert_no_error (error);

  found = enr_sign_in_find_cached_user (fixture->store, "casey");
  g_assert_nonnull (found);
  g_assert_cmpstr (enr_user_get_display_name (found), ==, "Casey Morgan");
  g_assert_cmpint (enr_user_get_role (found), ==, ENR_ROLE_SUPERVISOR);

  g_assert_true (enr_dataset_import (fixture->store, sample, NULL, NULL, &error));
  g_assert_no_error (error);
  clerk = enr_sign_in_find_cached_user (fixture->store, "clerk");
  g_assert_nonnull (clerk);
  g_assert_cmpint (enr_user_get_role (clerk), ==, ENR_ROLE_CLERK);
  json = enr_codec_encode_string (clerk);
  g_assert_null (strstr (json, "password"));
  g_assert_null (strstr (json, "clerk-demo-pass"));
}

/* What a clerk reads when signing in fails. */
static void
test_describe_errors (void)
{
  static const struct
  {
    EnrApiError  code;
    const char  *start;   /* NULL: the error's own message */
  } cases[] = {
    { ENR_API_ERROR_UNAUTHORIZED, "The user name or the password is wrong" },
    { ENR_API_ERROR_NETWORK, "The service cannot be reached" },
    { ENR_API_ERROR_TLS, NULL },
    { ENR_API_ERROR_TIMEOUT, "The service did not answer in time" },
    { ENR_API_ERROR_RATE_LIMITED, "Too many sign-in attempts" },
    { ENR_API_ERROR_SERVER, "The service has a problem right now" },
    { ENR_API_ERROR_FORBIDDEN, "This user may not use Enrollment Desk" },
    { ENR_API_ERROR_NOT_FOUND, "The service address does not lead to an enrollment service" },
    { ENR_API_ERROR_PROTOCOL, "The service address does not lead to an enrollment service" },
    { ENR_API_ERROR_INVALID, NULL },
  };
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "Disk full");
  g_autofree char *other_text = enr_sign_in_describe_error (other);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (ENR_API_ERROR, cases[i].code, "The certificate is not trusted");
      g_autofree char *text = enr_sign_in_describe_error (error);

      g_test_message ("%d: %s", cases[i].code, text);
      if (cases[i].start != NULL)
        g_assert_true (g_str_has_prefix (text, cases[i].start));
      else
        g_assert_cmpstr (text, ==, "The certificate is not trusted");
    }

  g_assert_cmpstr (other_text, ==, "Disk full");
}

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/client/dataset-import/sample", test_sample);
  ADD ("/client/dataset-import/bad-input", test_bad_input);
  ADD ("/client/dataset-import/row-copies", test_row_copies);
  ADD ("/client/sign-in/remembered-users", test_remembered_users);
  g_test_add_func ("/client/sign-in/describe-errors", test_describe_errors);

  return g_test_run ();
}

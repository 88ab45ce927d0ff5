/* test-offline-sign-in.c — working offline with the password of the last online sign-in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "client-test-util.h"
#include "enr-credentials.h"
#include "enr-dataset-import.h"
#include "enr-offline-sign-in.h"

#define PASSWORD "correct horse battery staple"

typedef struct
{
  gboolean  done;
  EnrUser  *user;
  GError   *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_object (&result->user);
  g_clear_error (&result->error);
  result->done = FALSE;
}

static gboolean
is_done (gpointer data)
{
  return ((Result *) data)->done;
}

static void
on_remembered_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Result *out = user_data;

  if (!enr_sign_in_remember_finish (ENR_STORE (source_object), result, &out->error))
    g_assert_nonnull (out->error);
  out->done = TRUE;
}

static void
on_signed_in_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Result *out = user_data;

  out->user = enr_sign_in_offline_finish (ENR_STORE (source_object), result, &out->error);
  out->done = TRUE;
}

static EnrUser *
make_user (const char *username,
           EnrRole     role)
{
  EnrUser *user = enr_user_new ();

  enr_entity_set_id (ENR_ENTITY (user), username);
  enr_user_set_username (user, username);
  enr_user_set_display_name (user, "Casey Supervisor");
  enr_user_set_role (user, role);
  return user;
}

static void
remember (EnrStore   *store,
          EnrUser    *user,
          const char *password)
{
  Result result = { 0, };

  enr_sign_in_remember_async (store, user, password, NULL, on_remembered_cb, &result);
  g_assert_true (client_wait_until (is_done, &result));
  g_assert_no_error (result.error);
}

/* Tries @password offline; the outcome is in @result. */
static void
try_offline (EnrStore   *store,
             const char *username,
             const char *password,
             guint       max_days,
             Result     *result)
{
  result_clear (result);
  enr_sign_in_offline_async (store, username, password, max_days, NULL, on_signed_in_cb, result);
  g_assert_true (client_wait_until (is_done, result));
}

/* The right password works offline, with the role of the last online
 * sign-in; a wrong one does not; nor does a user who never signed in
 * online here (one from a data set, say). */
static void
test_password (ClientFixture *fixture,
               gconstpointer  data)
{
  g_autoptr(EnrUser) casey = make_user ("casey", ENR_ROLE_SUPERVISOR);
  Result result = { 0, };

  try_offline (fixture->store, "casey", PASSWORD, 30, &result);
  g_assert_error (result.error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_NOT_SIGNED_IN_HERE);
  g_assert_false (enr_sign_in_can_work_offline (fixture->store, "casey", 30, NULL));

  remember (fixture->store, casey, PASSWORD);
  g_assert_true (enr_sign_in_can_work_offline (fixture->store, "casey", 30, NULL));

  try_offline (fixture->store, "casey", "not " PASSWORD, 30, &result);
  g_assert_null (result.user);
  g_assert_error (result.error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_WRONG_PASSWORD);
  g_assert_nonnull (strstr (result.error->message, "Caps Lock"));

  try_offline (fixture->store, "casey", PASSWORD, 30, &result);
  g_assert_no_error (result.error);
  g_assert_nonnull (result.user);
  g_assert_cmpstr (enr_user_get_username (result.user), ==, "casey");
  g_assert_cmpint (enr_user_get_role (result.user), ==, ENR_ROLE_SUPERVISOR);

  /* "clerk" came with the sample data set, and has no verifier. */
  {
    g_autoptr(GPtrArray) users = enr_store_list (fixture->store, ENR_TYPE_USER, "username", "clerk", NULL);

    g_assert_cmpuint (users->len, ==, 1);
  }
  try_offline (fixture->store, "clerk", "clerk-demo-pass", 30, &result);
  g_assert_error (result.error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_NOT_SIGNED_IN_HERE);
  g_assert_nonnull (strstr (result.error->message, "signed in online"));

  result_clear (&result);
}

/* Wrong passwords make the next attempt wait longer each time, and the
 * wait outlives a restart; the right password clears it. */
static void
test_growing_delays (ClientFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(EnrUser) casey = make_user ("casey", ENR_ROLE_CLERK);
  g_autoptr(EnrCredential) credential = NULL;
  Result result = { 0, };
  gint64 wait;

  /* The policy: two free, then 5 s, 10 s, 20 s, … up to 15 minutes. */
  g_assert_cmpint (enr_credential_delay_after (0), ==, 0);
  g_assert_cmpint (enr_credential_delay_after (2), ==, 0);
  g_assert_cmpint (enr_credential_delay_after (3), ==, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (enr_credential_delay_after (4), ==, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (enr_credential_delay_after (5), ==, 20 * G_USEC_PER_SEC);
  g_assert_cmpint (enr_credential_delay_after (10), ==, (gint64) 640 * G_USEC_PER_SEC);
  g_assert_cmpint (enr_credential_delay_after (11), ==, ENR_CREDENTIAL_MAX_DELAY);
  g_assert_cmpint (enr_credential_delay_after (18), ==, ENR_CREDENTIAL_MAX_DELAY);
  g_assert_cmpint (enr_credential_delay_after (1000), ==, ENR_CREDENTIAL_MAX_DELAY);

  remember (fixture->store, casey, PASSWORD);
  for (guint i = 0; i < 3; i++)
    {
      try_offline (fixture->store, "casey", "guess", 30, &result);
      g_assert_error (result.error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_WRONG_PASSWORD);
    }
  g_assert_nonnull (strstr (result.error->message, "Wait"));

  /* Refused at once, even with the right password, and after a restart. */
  try_offline (fixture->store, "casey", PASSWORD, 30, &result);
  g_assert_error (result.error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_THROTTLED);
  client_fixture_reopen (fixture);
  try_offline (fixture->store, "casey", PASSWORD, 30, &result);
  g_assert_error (result.error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_THROTTLED);
  g_assert_nonnull (strstr (result.error->message, "seconds"));

  credential = enr_store_get_credential (fixture->store, "casey", NULL);
  g_assert_cmpuint (enr_credential_get_failures (credential), ==, 3);
  wait = enr_credential_get_wait (credential, g_get_real_time ());
  g_assert_cmpint (wait, >, 0);
  g_assert_cmpint (wait, <=, 5 * G_USEC_PER_SEC);
  /* A clock set back does not lengthen the wait past the delay. */
  g_assert_cmpint (enr_credential_get_wait (credential, g_get_real_time () - (gint64) 3600 * G_USEC_PER_SEC), ==,
                   5 * G_USEC_PER_SEC);
  /* Once the delay passed, an attempt is allowed. */
  g_assert_cmpint (enr_credential_get_wait (credential, enr_credential_get_last_failure_at (credential) +
                                                        5 * G_USEC_PER_SEC), ==, 0);

  /* The wait over (as if): the right password clears the count. */
  g_clear_pointer (&credential, enr_credential_unref);
  {
    g_autoptr(EnrCredential) old = enr_store_get_credential (fixture->store, "casey", NULL);
    g_autoptr(EnrCredential) waited = NULL;

    waited = enr_credential_new ("casey", enr_credential_get_algorithm (old),
                                 enr_credential_get_memory_kib (old), enr_credential_get_iterations (old),
                                 enr_credential_get_lanes (old), enr_credential_get_salt (old),
                                 enr_credential_get_hash (old), enr_credential_get_signed_in_at (old),
                                 enr_credential_get_failures (old), g_get_real_time () - 60 * G_USEC_PER_SEC);
    g_assert_true (enr_store_put_credential (fixture->store, waited, casey, NULL));
  }
  try_offline (fixture->store, "casey", PASSWORD, 30, &result);
  g_assert_no_error (result.error);
  credential = enr_store_get_credential (fixture->store, "casey", NULL);
  g_assert_cmpuint (enr_credential_get_failures (credential), ==, 0);

  result_clear (&result);
}

/* A verifier lasts max_days after the last online sign-in; unlocking an
 * open session (max_days 0) does not expire. */
static void
test_expiry (ClientFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(EnrUser) casey = make_user ("casey", ENR_ROLE_CLERK);
  g_autoptr(EnrCredential) fresh = NULL;
  g_autoptr(EnrCredential) old = NULL;
  gint64 now = g_get_real_time ();
  Result result = { 0, };

  remember (fixture->store, casey, PASSWORD);
  fresh = enr_store_get_credential (fixture->store, "casey", NULL);
  g_assert_cmpint (ABS (enr_credential_get_signed_in_at (fresh) - now), <, 60 * G_USEC_PER_SEC);
  g_assert_false (enr_credential_is_expired (fresh, now + 29 * (gint64) DAY * G_USEC_PER_SEC, 30));
  g_assert_true (enr_credential_is_expired (fresh, now + 31 * (gint64) DAY * G_USEC_PER_SEC, 30));

  old = enr_credential_new ("casey", enr_credential_get_algorithm (fresh),
                            enr_credential_get_memory_kib (fresh), enr_credential_get_iterations (fresh),
                            enr_credential_get_lanes (fresh), enr_credential_get_salt (fresh),
                            enr_credential_get_hash (fresh), now - 31 * (gint64) DAY * G_USEC_PER_SEC, 0, 0);
  g_assert_true (enr_store_put_credential (fixture->store, old, casey, NULL));

  try_offline (fixture->store, "casey", PASSWORD, 30, &result);
  g_assert_error (result.error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_EXPIRED);
  g_assert_nonnull (strstr (result.error->message, "30 days"));
  try_offline (fixture->store, "casey", PASSWORD, 60, &result);
  g_assert_no_error (result.error);
  try_offline (fixture->store, "casey", PASSWORD, 0, &result);
  g_assert_no_error (result.error);

  result_clear (&result);
}

/* A copy of data/sample ($ENR_SOURCE_ROOT) in DIRECTORY whose users all
 * are supervisors. */
static GFile *
write_supervisors_dataset (const char *directory)
{
  g_autofree char *sample = g_build_filename (g_getenv ("ENR_SOURCE_ROOT"), "data", "sample", NULL);
  g_autoptr(GDir) dir = g_dir_open (sample, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir (directory, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (sample, name, NULL);
      g_autofree char *to = g_build_filename (directory, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_get_contents (from, &contents, NULL, &error));
      if (g_str_equal (name, "users.jsonl"))
        {
          g_auto(GStrv) parts = g_strsplit (contents, "\"role\":\"clerk\"", -1);

          g_free (contents);
          contents = g_strjoinv ("\"role\":\"supervisor\"", parts);
          g_assert_null (strstr (contents, "\"clerk\",\"password"));
        }
      g_assert_true (g_file_set_contents (to, contents, -1, &error));
    }

  return g_file_new_for_path (directory);
}

/* Offline, the role is the one the service gave at the last online
 * sign-in here: a data set imported since that says otherwise of the
 * user (it rewrites the users table) changes nothing. */
static void
test_role_of_verifier (ClientFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(EnrUser) clerk = make_user ("clerk", ENR_ROLE_CLERK);
  g_autofree char *directory = g_build_filename (fixture->directory, "supervisors", NULL);
  g_autoptr(GFile) dataset = write_supervisors_dataset (directory);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(EnrUser) kept = NULL;
  g_autoptr(GError) error = NULL;
  Result result = { 0, };

  /* As the service and the data set name them. */
  enr_entity_set_id (ENR_ENTITY (clerk), "user-clerk");
  remember (fixture->store, clerk, PASSWORD);
  g_assert_true (enr_dataset_import (fixture->store, dataset, &fixture->today, NULL, &error));
  g_assert_no_error (error);

  /* The users table now says supervisor… */
  users = enr_store_list (fixture->store, ENR_TYPE_USER, "username", "clerk", NULL);
  g_assert_cmpuint (users->len, ==, 1);
  g_assert_cmpint (enr_user_get_role (g_ptr_array_index (users, 0)), ==, ENR_ROLE_SUPERVISOR);

  /* …the verifier's row does not. */
  kept = enr_store_get_credential_user (fixture->store, "clerk", &error);
  g_assert_no_error (error);
  g_assert_cmpint (enr_user_get_role (kept), ==, ENR_ROLE_CLERK);

  try_offline (fixture->store, "clerk", PASSWORD, 30, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (enr_user_get_username (result.user), ==, "clerk");
  g_assert_cmpint (enr_user_get_role (result.user), ==, ENR_ROLE_CLERK);

  /* Nor does the data set give a verifier to its other users. */
  try_offline (fixture->store, "alex", "alex-demo-pass", 30, &result);
  g_assert_error (result.error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_NOT_SIGNED_IN_HERE);

  result_clear (&result);
  client_remove_directory (directory);
}

static void
set_up (ClientFixture *fixture,
        gconstpointer  data)
{
  client_fixture_set_up (fixture, "clerk", ENR_ROLE_CLERK);
}

static void
tear_down (ClientFixture *fixture,
           gconstpointer  data)
{
  client_fixture_tear_down (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/client/offline-sign-in/password", ClientFixture, NULL, set_up, test_password, tear_down);
  g_test_add ("/client/offline-sign-in/growing-delays", ClientFixture, NULL, set_up, test_growing_delays, tear_down);
  g_test_add ("/client/offline-sign-in/expiry", ClientFixture, NULL, set_up, test_expiry, tear_down);
  g_test_add ("/client/offline-sign-in/role-of-verifier", ClientFixture, NULL, set_up, test_role_of_verifier,
              tear_down);

  return g_test_run ();
}

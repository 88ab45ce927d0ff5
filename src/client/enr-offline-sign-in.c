/* enr-offline-sign-in.c — working offline with a password, as SSSD's cached credentials
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * At each online sign-in the client keeps the user (name and role) and a
 * slow salted verifier of the password (enr-credentials.h), together;
 * working offline, or unlocking a locked client, checks a password
 * against it, off the main thread, and the session takes the role kept
 * with it (not the users table's, which an imported data set may
 * overwrite). Only users who signed in online here can work
 * offline: those that only came from a data set have no verifier. Each
 * attempt counts as a wrong password in the store before the password is
 * checked (a right one clears it), and wrong passwords make the next
 * attempt wait (enr_credential_delay_after()). A verifier lasts
 * "offline-days" days after the last online sign-in.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-credentials.h"
#include "enr-offline-sign-in.h"
#include "enr-sign-in-util.h"

G_DEFINE_QUARK (enr-sign-in-error-quark, enr_sign_in_error)

typedef struct
{
  char          *username;
  char          *password;
  EnrUser       *user;
  EnrCredential *credential;
  gboolean       matches;
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  enr_password_free (attempt->password);
  g_free (attempt->username);
  g_clear_object (&attempt->user);
  g_clear_pointer (&attempt->credential, enr_credential_unref);
  g_free (attempt);
}

static Attempt *
attempt_new (const char *username,
             const char *password)
{
  Attempt *attempt = g_new0 (Attempt, 1);

  attempt->username = g_strdup (username);
  attempt->password = g_strdup (password);
  return attempt;
}

/* "45 seconds", "3 minutes" */
static char *
describe_wait (gint64 wait)
{
  guint seconds = (guint) ((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  guint minutes = (seconds + 59) / 60;

  if (seconds < 90)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", seconds), seconds);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", minutes), minutes);
}

/* The verifier of @username, when they may try a password now. */
static EnrCredential *
get_usable_credential (EnrStore    *store,
                       const char  *username,
                       guint        max_days,
                       gint64       now,
                       GError     **error)
{
  g_autoptr(EnrCredential) credential = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 wait;

  if (username == NULL || username[0] == '\0' ||
      (credential = enr_store_get_credential (store, username, &local_error)) == NULL)
    {
      if (local_error != NULL && !g_error_matches (local_error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      g_set_error (error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_NOT_SIGNED_IN_HERE,
                   _("“%s” has not signed in online on this computer, so there is no password to check offline. Sign in once while the service can be reached."),
                   username != NULL ? username : "");
      return NULL;
    }

  if (max_days > 0 && enr_credential_is_expired (credential, now, max_days))
    {
      g_set_error (error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_EXPIRED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” last signed in online on this computer more than %u day ago. Sign in while the service can be reached to work offline again.",
                                "“%s” last signed in online on this computer more than %u days ago. Sign in while the service can be reached to work offline again.",
                                max_days),
                   username, max_days);
      return NULL;
    }

  if ((wait = enr_credential_get_wait (credential, now)) > 0)
    {
      g_autofree char *text = describe_wait (wait);

      g_set_error (error, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_THROTTLED,
                   _("Too many wrong passwords. Wait %s, then try again."), text);
      return NULL;
    }

  return g_steal_pointer (&credential);
}

/**
 * enr_sign_in_can_work_offline:
 * @max_days: how long a verifier lasts; 0: for ever
 *
 * Whether @username may try a password offline now (a verifier that has
 * not expired, no wait), without trying one.
 *
 * Returns: %TRUE, or %FALSE with an %ENR_SIGN_IN_ERROR that says why not
 */
gboolean
enr_sign_in_can_work_offline (EnrStore    *store,
                              const char  *username,
                              guint        max_days,
                              GError     **error)
{
  g_autoptr(EnrCredential) credential = NULL;

  g_return_val_if_fail (ENR_IS_STORE (store), FALSE);

  credential = get_usable_credential (store, username, max_days, g_get_real_time (), error);
  return credential != NULL;
}

/**
 * enr_sign_in_get_offline_days:
 * @settings: (nullable): the application's settings
 *
 * Returns: how many days after the last online sign-in a verifier lasts
 */
guint
enr_sign_in_get_offline_days (GSettings *settings)
{
  if (settings == NULL)
    return ENR_SIGN_IN_DEFAULT_OFFLINE_DAYS;

  return MAX (g_settings_get_uint (settings, "offline-days"), 1);
}

/* Remembering */

static void
make_credential_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Attempt *attempt = task_data;
  GError *error = NULL;

  attempt->credential = enr_credential_new_for_password (attempt->username, attempt->password,
                                                         g_get_real_time (), &error);
  if (attempt->credential == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_credential_made_cb (GObject      *source_object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Attempt *attempt = g_task_get_task_data (task);
  EnrStore *store = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!enr_sign_in_remember_user (store, attempt->user, &error) ||
      !enr_store_put_credential (store, attempt->credential, attempt->user, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * enr_sign_in_remember_async:
 * @user: the user the service signed in
 * @password: the password it accepted
 *
 * Keeps @user (name and role) and a verifier of @password in @store, so
 * that @user can work offline with the same password later. The verifier
 * is made in a thread.
 */
void
enr_sign_in_remember_async (EnrStore            *store,
                            EnrUser             *user,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) thread = NULL;
  Attempt *attempt;

  g_return_if_fail (ENR_IS_STORE (store));
  g_return_if_fail (ENR_IS_USER (user));
  g_return_if_fail (password != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, enr_sign_in_remember_async);
  attempt = attempt_new (enr_user_get_username (user), password);
  attempt->user = g_object_ref (user);
  g_task_set_task_data (task, attempt, (GDestroyNotify) attempt_free);

  if (attempt->username == NULL || attempt->username[0] == '\0')
    {
      g_task_return_new_error (task, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_FAILED,
                               _("The service named no user"));
      return;
    }

  /* The thread shares the attempt; the store stays on this thread. */
  thread = g_task_new (NULL, cancellable, on_credential_made_cb, g_object_ref (task));
  g_task_set_check_cancellable (thread, FALSE);
  g_task_set_task_data (thread, attempt, NULL);
  g_task_run_in_thread (thread, make_credential_thread);
}

gboolean
enr_sign_in_remember_finish (EnrStore      *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == enr_sign_in_remember_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Working offline */

static void
check_password_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  Attempt *attempt = task_data;
  GError *error = NULL;

  if (!enr_credential_check_password (attempt->credential, attempt->password, &attempt->matches, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_password_checked_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Attempt *attempt = g_task_get_task_data (task);
  EnrStore *store = g_task_get_source_object (task);
  g_autoptr(EnrCredential) after = NULL;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!attempt->matches)
    {
      gint64 wait = 0;

      if ((after = enr_store_get_credential (store, attempt->username, NULL)) != NULL)
        wait = enr_credential_get_wait (after, g_get_real_time ());

      if (wait > 0)
        {
          g_autofree char *text = describe_wait (wait);

          g_task_return_new_error (task, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_WRONG_PASSWORD,
                                   _("The password is wrong. Wait %s before the next try."), text);
        }
      else
        g_task_return_new_error (task, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_WRONG_PASSWORD,
                                 _("The password is wrong. Check it (is Caps Lock on?) and try again."));
      return;
    }

  /* Right: even when the caller gave up meanwhile. */
  if (!enr_store_clear_offline_failures (store, attempt->username, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_object_ref (attempt->user), g_object_unref);
}

/**
 * enr_sign_in_offline_async:
 * @max_days: how many days a verifier lasts after the last online
 *   sign-in ("offline-days"); 0: for ever (unlocking a session that is
 *   already open)
 *
 * Checks @password against the verifier @username got at their last
 * online sign-in here, in a thread.
 */
void
enr_sign_in_offline_async (EnrStore            *store,
                           const char          *username,
                           const char          *password,
                           guint                max_days,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) thread = NULL;
  gint64 now = g_get_real_time ();
  GError *error = NULL;
  Attempt *attempt;

  g_return_if_fail (ENR_IS_STORE (store));
  g_return_if_fail (password != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, enr_sign_in_offline_async);
  attempt = attempt_new (username, password);
  g_task_set_task_data (task, attempt, (GDestroyNotify) attempt_free);

  if (!(attempt->credential = get_usable_credential (store, username, max_days, now, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Who they were at that sign-in: the users table may have been
   * overwritten by an imported data set since, the verifier's row not. */
  if (!(attempt->user = enr_store_get_credential_user (store, username, NULL)))
    {
      g_task_return_new_error (task, ENR_SIGN_IN_ERROR, ENR_SIGN_IN_ERROR_NOT_SIGNED_IN_HERE,
                               _("“%s” has not signed in online on this computer, so there is no password to check offline. Sign in once while the service can be reached."),
                               username);
      return;
    }

  /* Counted before the check, so that stopping the client during it
   * does not escape the count. */
  if (!enr_store_note_offline_attempt (store, username, now, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Its outcome is recorded even when the caller gives up meanwhile. */
  thread = g_task_new (NULL, cancellable, on_password_checked_cb, g_object_ref (task));
  g_task_set_check_cancellable (thread, FALSE);
  g_task_set_task_data (thread, attempt, NULL);
  g_task_run_in_thread (thread, check_password_thread);
}

/**
 * enr_sign_in_offline_finish:
 *
 * Returns: (transfer full): the user as they were at their last online
 *   sign-in here, or %NULL with an %ENR_SIGN_IN_ERROR (or a store error)
 */
EnrUser *
enr_sign_in_offline_finish (EnrStore      *store,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == enr_sign_in_offline_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

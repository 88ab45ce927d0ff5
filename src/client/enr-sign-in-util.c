/* enr-sign-in-util.c — what signing in needs besides its dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Errors in words a clerk understands, with what to do next (a refused
 * certificate: the API client already says why, ENR_API_ERROR_TLS); and
 * the users known to the client store (signed in here before, or from an
 * imported data set). Working offline needs more than a known user: the
 * password of their last online sign-in here (enr-offline-sign-in.c).
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-sign-in-util.h"
#include "enr-sync-engine.h"

/**
 * enr_sign_in_describe_error:
 *
 * Returns: (transfer full): what went wrong and what to do, for a clerk
 */
char *
enr_sign_in_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != ENR_API_ERROR)
    return g_strdup (error->message);

  switch ((EnrApiError) error->code)
    {
    case ENR_API_ERROR_UNAUTHORIZED:
      return g_strdup (_("The user name or the password is wrong. Check both (is Caps Lock on?) and try again."));

    case ENR_API_ERROR_NETWORK:
      return g_strdup (_("The service cannot be reached. Check the service address and the network connection, or work offline with the data on this computer."));

    case ENR_API_ERROR_TLS:
      /* The client names the problem: not trusted, expired, another address. */
      return g_strdup (error->message);

    case ENR_API_ERROR_TIMEOUT:
      return g_strdup (_("The service did not answer in time. Try again in a moment, or work offline."));

    case ENR_API_ERROR_RATE_LIMITED:
      return g_strdup (_("Too many sign-in attempts. Wait a minute, then try again."));

    case ENR_API_ERROR_SERVER:
      return g_strdup (_("The service has a problem right now. Try again later, or work offline."));

    case ENR_API_ERROR_FORBIDDEN:
      return g_strdup (_("This user may not use Enrollment Desk. Ask your administrator for access."));

    case ENR_API_ERROR_NOT_FOUND:
    case ENR_API_ERROR_PROTOCOL:
    case ENR_API_ERROR_GONE:
      return g_strdup (_("The service address does not lead to an enrollment service. Check the address."));

    case ENR_API_ERROR_INVALID:
    case ENR_API_ERROR_TOO_LARGE:
    case ENR_API_ERROR_CONFLICT:
    case ENR_API_ERROR_PRECONDITION_FAILED:
    case ENR_API_ERROR_PRECONDITION_REQUIRED:
    default:
      /* The client words these itself (a bad address, a refusal). */
      return g_strdup (error->message);
    }
}

/* Users who signed in here */

/**
 * enr_sign_in_find_cached_user:
 * @username: (nullable): a user name
 *
 * Returns: (transfer full) (nullable): the user of that name known to the
 *   client store (signed in here before, or from an imported data set)
 */
EnrUser *
enr_sign_in_find_cached_user (EnrStore   *store,
                              const char *username)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (ENR_IS_STORE (store), NULL);

  if (username == NULL || username[0] == '\0')
    return NULL;

  users = enr_store_list (store, ENR_TYPE_USER, "username", username, &error);
  if (users == NULL)
    {
      g_warning ("Could not read the users from the local store: %s", error->message);
      return NULL;
    }

  if (users->len == 0)
    return NULL;

  return g_object_ref (g_ptr_array_index (users, 0));
}

/**
 * enr_sign_in_remember_user:
 *
 * Keeps the signed-in user (name and role, never a password) in the client
 * store; enr_sign_in_remember_async() adds the verifier of their password
 * that working offline needs.
 */
gboolean
enr_sign_in_remember_user (EnrStore  *store,
                           EnrUser   *user,
                           GError   **error)
{
  g_autoptr(GPtrArray) users = NULL;

  g_return_val_if_fail (ENR_IS_STORE (store), FALSE);
  g_return_val_if_fail (ENR_IS_USER (user), FALSE);

  users = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (users, g_object_ref (user));

  return enr_store_put (store, ENR_TYPE_USER, users, error);
}

/* Passwords */

/**
 * enr_password_free:
 * @password: (nullable): a password the client holds
 *
 * Overwrites @password with zeros (explicit_bzero(), which the compiler
 * keeps), then frees it, so that it does not linger in freed memory.
 */
void
enr_password_free (EnrPassword *password)
{
  if (password == NULL)
    return;

  explicit_bzero (password, strlen (password));
  g_free (password);
}

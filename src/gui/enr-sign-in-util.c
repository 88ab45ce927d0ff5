/* enr-sign-in-util.c — what signing in needs besides its dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Errors in words a clerk understands, with what to do next; a check of
 * the service's certificate when an HTTPS connection failed (the API
 * client reports every transport failure as "cannot be reached", so the
 * dialog asks the TLS layer itself why); and the users who signed in on
 * this computer before, kept in the client store, whom "Work Offline"
 * accepts. Working offline needs no password: the cached data is already
 * readable by this computer account, and the service checks the user and
 * the role of every queued change when it arrives.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-sign-in-util.h"
#include "enr-sync-engine.h"

#define CHECK_TIMEOUT_S 10

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

/**
 * enr_sign_in_describe_certificate:
 * @flags: what is wrong with the service's certificate (not 0)
 *
 * Returns: (transfer full): why the connection is not trusted, and what to do
 */
char *
enr_sign_in_describe_certificate (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return g_strdup (_("The service’s certificate was issued for another address. Check the service address; if it is right, tell your administrator."));

  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return g_strdup (_("The service’s certificate has expired. Tell your administrator."));

  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return g_strdup (_("The service’s certificate is not valid yet. Check this computer’s date and time."));

  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return g_strdup (_("The service’s certificate has been revoked. Tell your administrator."));

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return g_strdup (_("The service’s certificate is not trusted by this computer. Ask your administrator for the certificate authority file and choose it in Preferences."));

  return g_strdup (_("The secure connection to the service cannot be verified. Tell your administrator."));
}

/* Certificate check */

typedef struct
{
  GTlsDatabase         *database;
  GTlsCertificateFlags  flags;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->database);
  g_free (check);
}

static gboolean
on_accept_certificate_cb (GTlsConnection       *connection,
                          GTlsCertificate      *certificate,
                          GTlsCertificateFlags  errors,
                          gpointer              user_data)
{
  Check *check = user_data;

  check->flags |= errors;
  return FALSE;
}

static void
on_client_event_cb (GSocketClient      *client,
                    GSocketClientEvent  event,
                    GSocketConnectable *connectable,
                    GIOStream          *connection,
                    gpointer            user_data)
{
  Check *check = user_data;

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING || !G_IS_TLS_CONNECTION (connection))
    return;

  if (check->database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), check->database);
  g_signal_connect (connection, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), check);
}

static void
on_connected_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  Check *check = g_task_get_task_data (task);

  g_signal_handlers_disconnect_by_func (source_object, on_client_event_cb, check);

  connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (source_object), result, &error);
  if (connection != NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* A refused certificate: the answer, not a failure of the check. */
  if (check->flags != 0 || g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      if (check->flags == 0)
        check->flags = G_TLS_CERTIFICATE_GENERIC_ERROR;
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * enr_sign_in_check_certificate_async:
 * @service_url: an https:// address
 * @database: (nullable): the certificate authorities the client trusts;
 *   %NULL: the system's
 *
 * Opens a TLS connection to the service as the API client would, to find
 * out whether (and why) its certificate is refused.
 */
void
enr_sign_in_check_certificate_async (const char          *service_url,
                                     GTlsDatabase        *database,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketClient) client = NULL;
  Check *check;

  g_return_if_fail (service_url != NULL);
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, enr_sign_in_check_certificate_async);

  check = g_new0 (Check, 1);
  check->database = database != NULL ? g_object_ref (database) : NULL;
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);

  if (g_ascii_strncasecmp (service_url, "https://", strlen ("https://")) != 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  client = g_socket_client_new ();
  g_socket_client_set_tls (client, TRUE);
  g_socket_client_set_timeout (client, CHECK_TIMEOUT_S);
  g_signal_connect (client, "event", G_CALLBACK (on_client_event_cb), check);
  g_socket_client_connect_to_uri_async (client, service_url, 443, cancellable,
                                        on_connected_cb, g_steal_pointer (&task));
}

/**
 * enr_sign_in_check_certificate_finish:
 * @flags: (out): what is wrong with the certificate; 0 when it is trusted
 *   (or the address is not HTTPS)
 *
 * Returns: %TRUE when the check could tell; %FALSE when the service could
 *   not be reached at all
 */
gboolean
enr_sign_in_check_certificate_finish (GAsyncResult          *result,
                                      GTlsCertificateFlags  *flags,
                                      GError               **error)
{
  Check *check;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == enr_sign_in_check_certificate_async, FALSE);
  g_return_val_if_fail (flags != NULL, FALSE);

  check = g_task_get_task_data (G_TASK (result));
  *flags = 0;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  *flags = check->flags;
  return TRUE;
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
 * store, for working offline later.
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

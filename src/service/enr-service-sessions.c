/* enr-service-sessions.c — sign in, sign out, the current session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-service-auth.h"
#include "enr-service-decoders.h"
#include "enr-service-handlers.h"
#include "enr-service-server.h"
#include "enr-service-throttle.h"

/* Verified when the user name is unknown, so that both answers take as
 * long: the hash of a random password nobody knows. */
static const char *
dummy_hash (void)
{
  static gsize hash;

  if (g_once_init_enter (&hash))
    {
      g_autofree char *password = enr_service_token_new ();

      g_once_init_leave (&hash, (gsize) enr_service_password_hash (password, ENR_SERVICE_PBKDF2_ITERATIONS));
    }

  return (const char *) hash;
}

typedef struct
{
  EnrServiceRequest *req;
  EnrServiceSignIn  *sign_in;
  char              *hash;
  EnrUser           *user;
  char              *address;    /* the client's, enr_service_address_key() */
} SignIn;

static void
sign_in_free (SignIn *data)
{
  enr_service_sign_in_free (data->sign_in);
  g_free (data->hash);
  g_free (data->address);
  g_clear_object (&data->user);
  g_free (data);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SignIn *data = task_data;
  gboolean ok = enr_service_password_verify (data->hash, data->sign_in->password);

  g_task_return_boolean (task, ok);
}

static char *
session_json (EnrUser   *user,
              const char *token,
              gint64      expires_at)
{
  g_autoptr(GDateTime) expires = g_date_time_new_from_unix_utc (expires_at);
  g_autofree char *expires_text = enr_codec_format_date_time (expires);
  g_autofree char *user_json = enr_codec_encode_string (user);
  GString *out = g_string_new ("{");

  if (token != NULL)
    {
      g_string_append (out, "\"token\":");
      enr_service_json_append_string (out, token);
      g_string_append (out, ",\"token_type\":\"Bearer\",");
    }
  g_string_append (out, "\"expires_at\":");
  enr_service_json_append_string (out, expires_text);
  g_string_append (out, ",\"user\":");
  g_string_append (out, user_json);
  g_string_append_c (out, '}');

  return g_string_free (out, FALSE);
}

/* Stores the session of the verified user (req->data); runs with the
 * store, after the writes of an open batch committed. */
static void
create_session (EnrServiceRequest *req)
{
  SignIn *data = g_task_get_task_data (req->data);
  EnrServiceStore *store = req->store;
  const EnrServiceConfig *config = enr_service_server_get_config (req->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *digest = NULL;
  gint64 now = g_date_time_to_unix (req->now);
  gint64 expires_at = now + config->session_ttl;
  const char *user_id = enr_entity_get_id (ENR_ENTITY (data->user));

  token = enr_service_token_new ();
  digest = enr_service_token_digest (token);

  if (!enr_service_store_begin (store, &error) ||
      !enr_service_store_add_session (store, digest, user_id, now, expires_at, &error) ||
      !enr_service_store_audit (store, now, user_id, enr_user_get_username (data->user),
                                "POST /v1/sessions", "user", user_id, 201, &error) ||
      !enr_service_throttle_succeeded (store, &config->throttle, data->sign_in->username, user_id,
                                       data->address, g_get_real_time () / 1000, &error) ||
      !enr_service_store_commit (store, &error))
    {
      enr_service_store_rollback (store);
      enr_service_request_gerror (req, error);
    }
  else
    enr_service_request_reply_json (req, 201, session_json (data->user, token, expires_at));
}

/* The password was wrong (or the user unknown): locks what is due;
 * runs with the store, as create_session() does. */
static void
refuse (EnrServiceRequest *req)
{
  SignIn *data = g_task_get_task_data (req->data);
  EnrServiceStore *store = req->store;
  const EnrServiceConfig *config = enr_service_server_get_config (req->server);
  const char *user_id = data->user != NULL ? enr_entity_get_id (ENR_ENTITY (data->user)) : NULL;
  g_autoptr(GError) error = NULL;

  if (!enr_service_store_begin (store, &error) ||
      !enr_service_throttle_failed (store, &config->throttle, data->sign_in->username, user_id,
                                    data->address, g_get_real_time () / 1000, &error) ||
      !enr_service_store_commit (store, &error))
    {
      enr_service_store_rollback (store);
      enr_service_request_gerror (req, error);
    }
  else
    enr_service_request_problem (req, 401, "invalid-credentials",
                                 "The user name or the password is wrong.");
}

static void
on_verified_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SignIn *data = g_task_get_task_data (G_TASK (result));
  EnrServiceRequest *req = data->req;
  gboolean right = g_task_propagate_boolean (G_TASK (result), NULL) && data->user != NULL;

  req->data = g_object_ref (result);
  req->data_free = g_object_unref;
  enr_service_server_continue (req->server, req, right ? create_session : refuse);
}

/* Whether the attempt may go on to the password check (and is charged as
 * a failure until it turns out right); else the reply is 429. */
static gboolean
admit (EnrServiceRequest *req,
       SignIn            *data)
{
  const EnrServiceConfig *config = enr_service_server_get_config (req->server);
  g_autoptr(GError) error = NULL;
  EnrServiceThrottleCheck check;
  guint seconds;

  /* No batch of writes is open here (sign-in is not one of them). */
  if (!enr_service_store_begin (req->store, &error) ||
      !enr_service_throttle_check (req->store, &config->throttle, data->sign_in->username,
                                   data->user != NULL ? enr_entity_get_id (ENR_ENTITY (data->user)) : NULL,
                                   data->address, g_get_real_time () / 1000, &check, &error) ||
      !enr_service_store_commit (req->store, &error))
    {
      enr_service_store_rollback (req->store);
      enr_service_request_gerror (req, error);
      return FALSE;
    }

  if (check.verdict == ENR_SERVICE_THROTTLE_ALLOWED)
    return TRUE;

  seconds = (guint) MAX (1, (check.retry_ms + 999) / 1000);
  req->retry_after = seconds;
  if (check.verdict == ENR_SERVICE_THROTTLE_LOCKED)
    enr_service_request_problem (req, 429, "sign-in-locked",
                                 check.by_address
                                 ? "Too many failed sign-ins from this address; it is locked for %u more seconds."
                                 : "Too many failed sign-ins to this account; it is locked for %u more seconds.",
                                 seconds);
  else
    enr_service_request_problem (req, 429, "sign-in-delayed",
                                 "Too many failed sign-ins; try again in %u second%s.",
                                 seconds, seconds == 1 ? "" : "s");
  return FALSE;
}

void
enr_service_handle_sign_in (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *hash = NULL;
  EnrServiceSignIn *sign_in;
  EnrUser *user;
  SignIn *data;
  gsize length;
  const char *body = enr_service_request_get_body (req, &length);

  if (!(sign_in = enr_service_decode_sign_in (body, length, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  user = enr_service_store_find_user (req->store, sign_in->username, &hash, &error);
  if (user == NULL &&
      !g_error_matches (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND))
    {
      enr_service_sign_in_free (sign_in);
      enr_service_request_gerror (req, error);
      return;
    }

  data = g_new0 (SignIn, 1);
  data->req = req;
  data->sign_in = sign_in;
  data->user = user;
  data->address = g_strdup (req->peer);
  if (user != NULL && hash != NULL && hash[0] != '\0')
    data->hash = g_steal_pointer (&hash);
  else
    {
      /* A user without a password never signs in. */
      data->hash = g_strdup (dummy_hash ());
      g_clear_object (&data->user);
    }

  if (!admit (req, data))
    {
      sign_in_free (data);
      return;
    }

  /* The password is checked in a thread; the dispatcher pauses the
   * message meanwhile. The callback runs on the main loop. */
  req->async = TRUE;

  task = g_task_new (NULL, NULL, on_verified_cb, NULL);
  g_task_set_source_tag (task, enr_service_handle_sign_in);
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_free);
  g_task_run_in_thread (task, verify_thread);
}

void
enr_service_handle_sign_out (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!enr_service_store_delete_session (req->store, req->token_digest, &error))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  enr_service_request_set_audit (req, "user", enr_entity_get_id (ENR_ENTITY (req->user)));
  enr_service_request_reply_empty (req, 204);
}

void
enr_service_handle_current_session (EnrServiceRequest *req)
{
  enr_service_request_reply_json (req, 200,
                                  session_json (req->user, NULL, req->session_expires_at));
}

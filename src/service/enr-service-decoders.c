/* enr-service-decoders.c — the service's JSON request decoders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-service-decoders.h"

G_DEFINE_QUARK (enr-service-decode-error-quark, enr_service_decode_error)

static void
set_invalid (GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
set_invalid (GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, ENR_SERVICE_DECODE_ERROR, ENR_SERVICE_DECODE_ERROR_INVALID,
                       message);
}

/* Parses @data; any failure of the text itself is MALFORMED. */
static JsonObject *
parse_object (const char  *data,
              gsize        length,
              const char  *what,
              JsonNode   **root,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *node;

  node = enr_json_parse (data != NULL ? data : "", length, ENR_JSON_MAX_BODY, &local_error);
  if (node == NULL)
    {
      g_set_error (error, ENR_SERVICE_DECODE_ERROR, ENR_SERVICE_DECODE_ERROR_MALFORMED,
                   "%s", local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      json_node_unref (node);
      set_invalid (error, "%s: expected an object", what);
      return NULL;
    }

  *root = node;
  return json_node_get_object (node);
}

/* Codec errors name the member path: they are INVALID. */
static void
propagate_codec_error (GError **error,
                       GError  *codec_error)
{
  g_set_error_literal (error, ENR_SERVICE_DECODE_ERROR, ENR_SERVICE_DECODE_ERROR_INVALID,
                       codec_error->message);
  g_error_free (codec_error);
}

static gboolean
get_optional_string (JsonObject  *object,
                     const char  *what,
                     const char  *member,
                     gsize        max_length,
                     const char **out,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *text;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_invalid (error, "%s.%s: expected a string", what, member);
      return FALSE;
    }

  text = json_node_get_string (node);
  if (strlen (text) > max_length)
    {
      set_invalid (error, "%s.%s: longer than %" G_GSIZE_FORMAT " bytes", what, member, max_length);
      return FALSE;
    }

  *out = text;
  return TRUE;
}

/* A record without an id gets a new one: ids are chosen by the client
 * (offline creation) or, failing that, here. */
static void
set_default_id (JsonObject *object)
{
  JsonNode *id = json_object_get_member (object, "id");

  if (id == NULL || JSON_NODE_HOLDS_NULL (id))
    {
      g_autofree char *uuid = g_uuid_string_random ();

      json_object_set_string_member (object, "id", uuid);
    }
}

void
enr_service_sign_in_free (EnrServiceSignIn *sign_in)
{
  if (sign_in == NULL)
    return;

  g_free (sign_in->username);
  if (sign_in->password != NULL)
    {
      memset (sign_in->password, 0, strlen (sign_in->password));
      g_free (sign_in->password);
    }
  g_free (sign_in);
}

EnrServiceSignIn *
enr_service_decode_sign_in (const char  *data,
                            gsize        length,
                            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *username;
  const char *password;
  EnrServiceSignIn *sign_in;

  if (!(object = parse_object (data, length, "session", &root, error)))
    return NULL;

  if (!get_optional_string (object, "session", "username", ENR_SERVICE_MAX_CREDENTIAL, &username, error) ||
      !get_optional_string (object, "session", "password", ENR_SERVICE_MAX_CREDENTIAL, &password, error))
    return NULL;

  if (username == NULL || *username == '\0')
    {
      set_invalid (error, "session.username: missing required member");
      return NULL;
    }
  if (password == NULL || *password == '\0')
    {
      set_invalid (error, "session.password: missing required member");
      return NULL;
    }

  sign_in = g_new0 (EnrServiceSignIn, 1);
  sign_in->username = g_strdup (username);
  sign_in->password = g_strdup (password);

  return sign_in;
}

EnrServiceTask *
enr_service_decode_task (const char  *data,
                         gsize        length,
                         GError     **error)
{
  static const char * const service_members[] = {
    "history", "reasons", "version", "created_by", "created_at", "updated_at",
  };
  g_autoptr(JsonNode) root = NULL;
  GError *codec_error = NULL;
  JsonObject *object;
  JsonNode *appointments;
  EnrServiceTask *task;

  if (!(object = parse_object (data, length, "service_task", &root, error)))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (service_members); i++)
    json_object_remove_member (object, service_members[i]);
  json_object_set_string_member (object, "status", "pending");
  set_default_id (object);

  /* Appointments chosen on the Device Setup panel have no id until booked. */
  appointments = json_object_get_member (object, "appointments");
  if (appointments != NULL && JSON_NODE_HOLDS_ARRAY (appointments))
    {
      JsonArray *array = json_node_get_array (appointments);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            set_default_id (json_node_get_object (element));
        }
    }

  task = enr_codec_decode (ENR_TYPE_SERVICE_TASK, root, &codec_error);
  if (task == NULL)
    propagate_codec_error (error, codec_error);

  return task;
}

gboolean
enr_service_decode_empty (const char  *data,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  if (length == 0)
    return TRUE;

  return parse_object (data, length, "body", &root, error) != NULL;
}

char *
enr_service_decode_cancel (const char  *data,
                           gsize        length,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *reason;

  if (length == 0)
    return g_strdup ("");

  if (!(object = parse_object (data, length, "cancel", &root, error)))
    return NULL;

  if (!get_optional_string (object, "cancel", "reason", ENR_SERVICE_MAX_REASON, &reason, error))
    return NULL;

  if (reason != NULL && !g_utf8_validate (reason, -1, NULL))
    {
      set_invalid (error, "cancel.reason: not valid UTF-8");
      return NULL;
    }

  return g_strdup (reason != NULL ? reason : "");
}

GPtrArray *
enr_service_decode_reschedule (const char  *data,
                               gsize        length,
                               GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  GError *codec_error = NULL;
  JsonObject *object;
  JsonNode *list;
  GPtrArray *appointments;

  if (!(object = parse_object (data, length, "reschedule", &root, error)))
    return NULL;

  list = json_object_get_member (object, "appointments");
  if (list == NULL)
    {
      set_invalid (error, "reschedule.appointments: missing required member");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (list))
    {
      set_invalid (error, "reschedule.appointments: expected an array");
      return NULL;
    }
  if (json_array_get_length (json_node_get_array (list)) == 0 ||
      json_array_get_length (json_node_get_array (list)) > 100)
    {
      set_invalid (error, "reschedule.appointments: expected 1 to 100 appointments");
      return NULL;
    }

  appointments = enr_codec_decode_array (ENR_TYPE_APPOINTMENT, list, &codec_error);
  if (appointments == NULL)
    {
      propagate_codec_error (error, codec_error);
      return NULL;
    }

  for (guint i = 0; i < appointments->len; i++)
    {
      if (enr_entity_get_id (g_ptr_array_index (appointments, i)) == NULL)
        {
          set_invalid (error, "reschedule.appointments[%u].id: missing required member", i);
          g_ptr_array_unref (appointments);
          return NULL;
        }
    }

  return appointments;
}

EnrCustomerCommunication *
enr_service_decode_communication (const char  *data,
                                  gsize        length,
                                  GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  GError *codec_error = NULL;
  JsonObject *object;
  EnrCustomerCommunication *communication;

  if (!(object = parse_object (data, length, "customer_communication", &root, error)))
    return NULL;

  set_default_id (object);

  /* Who and when are the service's; these values are replaced. */
  json_object_set_string_member (object, "created_by", "service");
  json_object_set_string_member (object, "created_at", "1970-01-01T00:00:00Z");

  communication = enr_codec_decode (ENR_TYPE_CUSTOMER_COMMUNICATION, root, &codec_error);
  if (communication == NULL)
    propagate_codec_error (error, codec_error);

  return communication;
}

/* enr-service-request.c — one HTTP request being handled, and its reply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-service-decoders.h"
#include "enr-service-request.h"

static const struct
{
  const char *slug;
  const char *title;
} problem_titles[] = {
  { "malformed-json", "The body is not acceptable JSON" },
  { "invalid-parameter", "A query or path parameter is invalid" },
  { "idempotency-key-required", "This write needs an Idempotency-Key header" },
  { "invalid-idempotency-key", "The Idempotency-Key header is invalid" },
  { "idempotency-key-reused", "The Idempotency-Key was used for a different request" },
  { "unauthorized", "Sign in first" },
  { "invalid-credentials", "Wrong user name or password" },
  { "forbidden", "You may not do this" },
  { "not-found", "No such resource" },
  { "method-not-allowed", "The resource does not support this method" },
  { "task-state-conflict", "The service task is not in a state that allows this" },
  { "slot-unavailable", "The appointment slot is no longer free" },
  { "duplicate-enrollment", "The customer already has this enrollment" },
  { "excluded-enrollment", "The customer is in a program this one cannot be combined with" },
  { "premise-limit-reached", "The premise has as many enrollments in this program as it may" },
  { "already-exists", "A record with this id exists already" },
  { "cursor-expired", "The change cursor is older than the retained log" },
  { "precondition-failed", "The record changed since you read it" },
  { "payload-too-large", "The request body is too large" },
  { "unsupported-media-type", "The body must be application/json" },
  { "validation-failed", "The data is not valid" },
  { "precondition-required", "This update needs an If-Match header" },
  { "rate-limited", "Too many requests" },
  { "internal-error", "The service failed" },
  { "unavailable", "The service is busy; try again" },
  { "malformed-request", "The request is not well-formed HTTP/1.1" },
  { "request-timeout", "The request did not arrive in time" },
  { "expectation-failed", "The service cannot meet the Expect header" },
  { "header-fields-too-large", "The request head is too large" },
  { "not-implemented", "The service does not support this" },
  { "http-version-not-supported", "The HTTP version is not supported" },
  { "sign-in-delayed", "Too many failed sign-ins; wait before trying again" },
  { "sign-in-locked", "Sign-in is locked for a while after too many failures" },
};

const char *
enr_service_problem_title (const char *slug)
{
  for (guint i = 0; i < G_N_ELEMENTS (problem_titles); i++)
    if (g_strcmp0 (problem_titles[i].slug, slug) == 0)
      return problem_titles[i].title;

  g_return_val_if_reached ("Error");
}

void
enr_service_request_free (EnrServiceRequest *req)
{
  if (req == NULL)
    return;

  g_clear_object (&req->msg);
  g_free (req->path);
  g_clear_pointer (&req->query, g_hash_table_unref);
  for (guint i = 0; i < ENR_SERVICE_MAX_PARAMS; i++)
    g_free (req->params[i]);
  g_clear_object (&req->user);
  g_free (req->token_digest);
  g_free (req->session_json);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_pointer (&req->now, g_date_time_unref);
  g_free (req->content_type);
  g_clear_pointer (&req->reply, g_bytes_unref);
  g_free (req->etag);
  g_free (req->location);
  g_free (req->allow);
  g_free (req->audit_id);
  g_free (req->peer);
  g_clear_pointer (&req->headers, soup_message_headers_unref);
  if (req->data_free != NULL)
    req->data_free (req->data);
  g_free (req);
}

/* Forgets the reply prepared so far (a write whose batch did not commit). */
void
enr_service_request_clear_reply (EnrServiceRequest *req)
{
  req->status = 0;
  g_clear_pointer (&req->content_type, g_free);
  g_clear_pointer (&req->reply, g_bytes_unref);
  g_clear_pointer (&req->etag, g_free);
  g_clear_pointer (&req->location, g_free);
  g_clear_pointer (&req->allow, g_free);
  req->retry_after = 0;
}

const char *
enr_service_request_get_query (EnrServiceRequest *req,
                               const char        *name)
{
  if (req->query == NULL)
    return NULL;

  return g_hash_table_lookup (req->query, name);
}

/* The request's header fields: a copy on a pool thread (libsoup's
 * objects belong to the main loop). */
SoupMessageHeaders *
enr_service_request_get_headers (EnrServiceRequest *req)
{
  if (req->headers != NULL)
    return req->headers;

  return soup_server_message_get_request_headers (req->msg);
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

SoupMessageHeaders *
enr_service_request_copy_headers (SoupMessageHeaders *headers)
{
  SoupMessageHeaders *copy = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);

  soup_message_headers_foreach (headers, copy_header, copy);
  return copy;
}

const char *
enr_service_request_get_header (EnrServiceRequest *req,
                                const char        *name)
{
  return soup_message_headers_get_one (enr_service_request_get_headers (req), name);
}

const char *
enr_service_request_get_body (EnrServiceRequest *req,
                              gsize             *length)
{
  if (req->body == NULL)
    {
      *length = 0;
      return "";
    }

  return g_bytes_get_data (req->body, length);
}

gboolean
enr_service_request_is_supervisor (EnrServiceRequest *req)
{
  return req->user != NULL && enr_user_get_role (req->user) == ENR_ROLE_SUPERVISOR;
}

const char *
enr_service_request_get_username (EnrServiceRequest *req)
{
  return req->user != NULL ? enr_user_get_username (req->user) : NULL;
}

static void
set_reply (EnrServiceRequest *req,
           guint              status,
           const char        *content_type,
           char              *body)
{
  req->status = status;
  g_free (req->content_type);
  req->content_type = g_strdup (content_type);
  g_clear_pointer (&req->reply, g_bytes_unref);
  if (body != NULL)
    req->reply = g_bytes_new_take (body, strlen (body));
}

void
enr_service_request_reply_json (EnrServiceRequest *req,
                                guint              status,
                                char              *json)
{
  set_reply (req, status, "application/json", json);
}

void
enr_service_request_reply_node (EnrServiceRequest *req,
                                guint              status,
                                JsonNode          *node)
{
  set_reply (req, status, "application/json", enr_json_to_string (node, FALSE));
}

void
enr_service_request_reply_empty (EnrServiceRequest *req,
                                 guint              status)
{
  set_reply (req, status, NULL, NULL);
}

void
enr_service_request_set_etag (EnrServiceRequest *req,
                              gint64             version)
{
  g_free (req->etag);
  req->etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
}

void
enr_service_request_set_audit (EnrServiceRequest *req,
                               const char        *type,
                               const char        *id)
{
  req->audit_type = type;
  g_free (req->audit_id);
  req->audit_id = g_strdup (id);
}

gboolean
enr_service_request_is_success (EnrServiceRequest *req)
{
  return req->status >= 200 && req->status < 300;
}

char *
enr_service_problem_document (guint       status,
                              const char *slug,
                              const char *detail,
                              const char *member,
                              JsonNode   *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *type = g_strconcat (ENR_SERVICE_PROBLEM_BASE, slug, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, enr_service_problem_title (slug));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  if (detail != NULL)
    {
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, detail);
    }
  if (member != NULL && value != NULL)
    {
      json_builder_set_member_name (builder, member);
      json_builder_add_value (builder, json_node_copy (value));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return enr_json_to_string (root, FALSE);
}

void
enr_service_request_problem_with (EnrServiceRequest *req,
                                  guint              status,
                                  const char        *slug,
                                  const char        *detail,
                                  const char        *member,
                                  JsonNode          *value)
{
  set_reply (req, status, "application/problem+json",
             enr_service_problem_document (status, slug, detail, member, value));
}

void
enr_service_request_problem (EnrServiceRequest *req,
                             guint              status,
                             const char        *slug,
                             const char        *format,
                             ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  if (format != NULL)
    {
      va_start (args, format);
      detail = g_strdup_vprintf (format, args);
      va_end (args);
    }

  enr_service_request_problem_with (req, status, slug, detail, NULL, NULL);
}

void
enr_service_request_field_errors (EnrServiceRequest *req,
                                  const char        *detail,
                                  GPtrArray         *errors)
{
  g_autoptr(JsonNode) list = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < errors->len; i++)
    {
      EnrFieldError *field_error = g_ptr_array_index (errors, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "field", enr_field_error_get_field (field_error));
      json_object_set_string_member (item, "message", enr_field_error_get_message (field_error));
      json_array_add_object_element (array, item);
    }
  json_node_take_array (list, array);

  enr_service_request_problem_with (req, 422, "validation-failed",
                                    detail != NULL ? detail : "See errors for each field.",
                                    "errors", list);
}

/* A decode error "service_task.answers[0].values: expected an array" names
 * the member path before the first ": ". */
static EnrFieldError *
field_error_from_message (const char *message)
{
  const char *colon = strstr (message, ": ");
  g_autofree char *field = NULL;

  if (colon != NULL && memchr (message, ' ', colon - message) == NULL)
    {
      field = g_strndup (message, colon - message);
      return enr_field_error_new (field, colon + 2);
    }

  return enr_field_error_new ("", message);
}

void
enr_service_request_gerror (EnrServiceRequest *req,
                            const GError      *error)
{
  if (error->domain == ENR_SERVICE_DECODE_ERROR)
    {
      if (error->code == ENR_SERVICE_DECODE_ERROR_MALFORMED)
        enr_service_request_problem (req, 400, "malformed-json", "%s", error->message);
      else
        {
          g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_object_unref);

          g_ptr_array_add (errors, field_error_from_message (error->message));
          enr_service_request_field_errors (req, error->message, errors);
        }
    }
  else if (error->domain == ENR_CODEC_ERROR)
    {
      g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_object_unref);

      g_ptr_array_add (errors, field_error_from_message (error->message));
      enr_service_request_field_errors (req, error->message, errors);
    }
  else if (g_error_matches (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND))
    enr_service_request_problem (req, 404, "not-found", "%s", error->message);
  else if (g_error_matches (error, ENR_DB_ERROR, ENR_DB_ERROR_BUSY))
    {
      req->retry_after = 1;
      enr_service_request_problem (req, 503, "unavailable", NULL);
    }
  else
    {
      g_warning ("%s %s: %s", req->method, req->path, error->message);
      enr_service_request_problem (req, 500, "internal-error", NULL);
    }
}

/* Checks If-Match against the record's current version; replies 428 or
 * 412 (with the current record) and returns FALSE when it does not hold. */
gboolean
enr_service_request_check_if_match (EnrServiceRequest *req,
                                    gint64             version,
                                    const char        *current_json)
{
  const char *if_match = enr_service_request_get_header (req, "If-Match");
  g_autofree char *expected = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
  g_auto(GStrv) tags = NULL;

  if (if_match == NULL)
    {
      enr_service_request_problem (req, 428, "precondition-required",
                                   "Send If-Match: %s, the version you edited.", expected);
      return FALSE;
    }

  tags = g_strsplit (if_match, ",", 0);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_strcmp0 (tag, expected) == 0 || g_strcmp0 (tag, "*") == 0)
        return TRUE;
    }

  {
    g_autoptr(JsonNode) current = json_from_string (current_json, NULL);
    g_autofree char *detail = g_strdup_printf ("The current version is %s.", expected);

    enr_service_request_problem_with (req, 412, "precondition-failed", detail,
                                      "current", current);
    enr_service_request_set_etag (req, version);
  }

  return FALSE;
}

void
enr_service_json_append_string (GString    *out,
                                const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

void
enr_service_json_append_array (GString   *out,
                               GPtrArray *json_rows)
{
  g_string_append_c (out, '[');
  for (guint i = 0; json_rows != NULL && i < json_rows->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, g_ptr_array_index (json_rows, i));
    }
  g_string_append_c (out, ']');
}

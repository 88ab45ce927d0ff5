/* enr-api-decoders.c — the service's responses, read without trusting them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-api-decoders.h"

#define MAX_TEXT      (16 * 1024)
#define MAX_ID        256
#define MAX_TYPE_NAME 64

G_DEFINE_QUARK (enr-api-error-quark, enr_api_error)

G_DEFINE_BOXED_TYPE (EnrApiProblem, enr_api_problem, enr_api_problem_copy, enr_api_problem_free)

/* Freeing */

static void
field_error_free (EnrApiFieldError *field_error)
{
  g_free (field_error->field);
  g_free (field_error->message);
  g_free (field_error);
}

EnrApiProblem *
enr_api_problem_new (guint status)
{
  EnrApiProblem *problem = g_new0 (EnrApiProblem, 1);

  problem->status = status;
  problem->cursor = -1;
  problem->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) field_error_free);

  return problem;
}

EnrApiProblem *
enr_api_problem_copy (const EnrApiProblem *problem)
{
  EnrApiProblem *copy;

  g_return_val_if_fail (problem != NULL, NULL);

  copy = enr_api_problem_new (problem->status);
  copy->type = g_strdup (problem->type);
  copy->title = g_strdup (problem->title);
  copy->detail = g_strdup (problem->detail);
  copy->current = g_strdup (problem->current);
  copy->cursor = problem->cursor;
  copy->retry_after = problem->retry_after;
  for (guint i = 0; i < problem->errors->len; i++)
    {
      const EnrApiFieldError *from = g_ptr_array_index (problem->errors, i);
      EnrApiFieldError *to = g_new0 (EnrApiFieldError, 1);

      to->field = g_strdup (from->field);
      to->message = g_strdup (from->message);
      g_ptr_array_add (copy->errors, to);
    }

  return copy;
}

void
enr_api_problem_free (EnrApiProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->type);
  g_free (problem->title);
  g_free (problem->detail);
  g_free (problem->current);
  g_clear_pointer (&problem->errors, g_ptr_array_unref);
  g_free (problem);
}

/**
 * enr_api_problem_describe:
 *
 * Returns: (transfer full): the detail (else the title) followed by each
 *   field error, for a person to read
 */
char *
enr_api_problem_describe (const EnrApiProblem *problem)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (problem != NULL, NULL);

  if (problem->detail != NULL && problem->detail[0] != '\0')
    g_string_append (text, problem->detail);
  else if (problem->title != NULL && problem->title[0] != '\0')
    g_string_append (text, problem->title);
  else
    /* Translators: %u is an HTTP status code */
    g_string_append_printf (text, _("The service answered with status %u."), problem->status);

  for (guint i = 0; i < problem->errors->len; i++)
    {
      const EnrApiFieldError *field_error = g_ptr_array_index (problem->errors, i);

      g_string_append_c (text, '\n');
      if (field_error->field != NULL && field_error->field[0] != '\0')
        g_string_append_printf (text, "%s: %s", field_error->field, field_error->message);
      else
        g_string_append (text, field_error->message);
    }

  return g_string_free (text, FALSE);
}

void
enr_api_session_free (EnrApiSession *session)
{
  if (session == NULL)
    return;

  if (session->token != NULL)
    memset (session->token, 0, strlen (session->token));
  g_free (session->token);
  g_clear_pointer (&session->expires_at, g_date_time_unref);
  g_clear_object (&session->user);
  g_free (session);
}

void
enr_api_change_free (EnrApiChange *change)
{
  if (change == NULL)
    return;

  g_free (change->type_name);
  g_free (change->id);
  g_clear_object (&change->object);
  g_free (change);
}

void
enr_api_changes_free (EnrApiChanges *changes)
{
  if (changes == NULL)
    return;

  g_clear_pointer (&changes->changes, g_ptr_array_unref);
  g_free (changes);
}

void
enr_api_page_free (EnrApiPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

void
enr_api_programs_free (EnrApiPrograms *programs)
{
  if (programs == NULL)
    return;

  g_clear_pointer (&programs->programs, g_ptr_array_unref);
  g_clear_pointer (&programs->program_types, g_ptr_array_unref);
  g_clear_pointer (&programs->initiatives, g_ptr_array_unref);
  g_free (programs);
}

void
enr_api_customer_view_free (EnrApiCustomerView *view)
{
  if (view == NULL)
    return;

  g_clear_object (&view->customer);
  g_clear_pointer (&view->metered_services, g_ptr_array_unref);
  g_clear_pointer (&view->service_points, g_ptr_array_unref);
  g_clear_pointer (&view->device_locations, g_ptr_array_unref);
  g_clear_pointer (&view->devices, g_ptr_array_unref);
  g_clear_pointer (&view->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&view->service_tasks, g_ptr_array_unref);
  g_free (view);
}

void
enr_api_customer_export_free (EnrApiCustomerExport *export)
{
  if (export == NULL)
    return;

  g_clear_pointer (&export->customers, g_ptr_array_unref);
  g_clear_pointer (&export->metered_services, g_ptr_array_unref);
  g_clear_pointer (&export->service_points, g_ptr_array_unref);
  g_clear_pointer (&export->device_locations, g_ptr_array_unref);
  g_clear_pointer (&export->devices, g_ptr_array_unref);
  g_clear_pointer (&export->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&export->customer_rows, g_ptr_array_unref);
  g_clear_pointer (&export->metered_service_rows, g_ptr_array_unref);
  g_clear_pointer (&export->service_point_rows, g_ptr_array_unref);
  g_clear_pointer (&export->device_location_rows, g_ptr_array_unref);
  g_clear_pointer (&export->device_rows, g_ptr_array_unref);
  g_clear_pointer (&export->subscription_rows, g_ptr_array_unref);
  g_free (export->next);
  g_free (export);
}

/* Reading */

G_GNUC_PRINTF (2, 3)
static void
set_protocol_error (GError     **error,
                    const char  *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, ENR_API_ERROR, ENR_API_ERROR_PROTOCOL,
               _("The service sent an unreadable response: %s"), message);
}

static JsonObject *
parse_object (const char  *data,
              gsize        length,
              gsize        max_size,
              const char  *what,
              JsonNode   **root,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *root = enr_json_parse (data, (gssize) length, max_size, &local_error);
  if (*root == NULL)
    {
      set_protocol_error (error, "%s: %s", what, local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (*root))
    {
      g_clear_pointer (root, json_node_unref);
      set_protocol_error (error, "%s: %s", what, "expected an object");
      return NULL;
    }

  return json_node_get_object (*root);
}

/* A member that is present and not null, or NULL. */
static JsonNode *
get_present (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
get_string (JsonObject   *object,
            const char   *what,
            const char   *name,
            gboolean      required,
            gsize         max_length,
            const char  **out,
            GError      **error)
{
  JsonNode *node = get_present (object, name);
  const char *value;

  *out = NULL;
  if (node == NULL)
    {
      if (!required)
        return TRUE;
      set_protocol_error (error, "%s.%s: %s", what, name, "missing required member");
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_protocol_error (error, "%s.%s: %s", what, name, "expected a string");
      return FALSE;
    }

  value = json_node_get_string (node);
  if (strlen (value) > max_length || !g_utf8_validate (value, -1, NULL))
    {
      set_protocol_error (error, "%s.%s: %s", what, name, "too long or not UTF-8");
      return FALSE;
    }
  if (required && value[0] == '\0')
    {
      set_protocol_error (error, "%s.%s: %s", what, name, "empty");
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *what,
         const char  *name,
         gboolean     required,
         gint64       min,
         gint64       max,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = get_present (object, name);
  gint64 value;

  if (node == NULL)
    {
      if (!required)
        return TRUE;
      set_protocol_error (error, "%s.%s: %s", what, name, "missing required member");
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      set_protocol_error (error, "%s.%s: %s", what, name, "expected an integer");
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      set_protocol_error (error, "%s.%s: %" G_GINT64_FORMAT " %s",
                          what, name, value, "is out of range");
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *what,
          const char  *name,
          gboolean     required,
          gboolean    *out,
          GError     **error)
{
  JsonNode *node = get_present (object, name);

  if (node == NULL)
    {
      if (!required)
        return TRUE;
      set_protocol_error (error, "%s.%s: %s", what, name, "missing required member");
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      set_protocol_error (error, "%s.%s: %s", what, name, "expected true or false");
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gpointer
decode_record_node (GType        type,
                    JsonNode    *node,
                    const char  *what,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gpointer object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      set_protocol_error (error, "%s: %s", what, "expected an object");
      return NULL;
    }

  if (!(object = enr_codec_decode (type, node, &local_error)))
    {
      set_protocol_error (error, "%s: %s", what, local_error->message);
      return NULL;
    }

  return object;
}

/* An array of records, absent meaning empty when @required is FALSE;
 * with @rows, also the JSON text of each record (its row copy). */
static GPtrArray *
decode_records_rows (JsonObject  *object,
                     const char  *what,
                     const char  *name,
                     GType        type,
                     gboolean     required,
                     GPtrArray  **rows,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *node = get_present (object, name);
  GPtrArray *records;

  if (node == NULL)
    {
      if (!required)
        {
          if (rows != NULL)
            *rows = g_ptr_array_new_with_free_func (g_free);
          return g_ptr_array_new_with_free_func (g_object_unref);
        }
      set_protocol_error (error, "%s.%s: %s", what, name, "missing required member");
      return NULL;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_protocol_error (error, "%s.%s: %s", what, name, "expected an array");
      return NULL;
    }

  if (!(records = enr_codec_decode_array (type, node, &local_error)))
    {
      set_protocol_error (error, "%s.%s: %s", what, name, local_error->message);
      return NULL;
    }

  if (rows != NULL)
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      g_assert (n == records->len);
      *rows = g_ptr_array_new_full (n, g_free);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (*rows, enr_json_to_string (json_array_get_element (array, i), FALSE));
    }

  return records;
}

static GPtrArray *
decode_records_member (JsonObject  *object,
                       const char  *what,
                       const char  *name,
                       GType        type,
                       gboolean     required,
                       GError     **error)
{
  return decode_records_rows (object, what, name, type, required, NULL, error);
}

/* The id a record is kept under in the client store. */
static char *
record_id (gpointer object)
{
  if (ENR_IS_ENTITY (object))
    return g_strdup (enr_entity_get_id (object));

  if (ENR_IS_CODE_VALUE (object))
    {
      const char *code = enr_code_value_get_code (object);

      if (code == NULL)
        return NULL;

      return g_strdup_printf ("%s/%s",
                              enr_enum_to_nick (ENR_TYPE_CODE_LIST, enr_code_value_get_list (object)),
                              code);
    }

  return NULL;
}

/* Records the service hands out must carry an id. */
static gboolean
check_ids (GPtrArray   *records,
           const char  *what,
           GError     **error)
{
  for (guint i = 0; i < records->len; i++)
    {
      g_autofree char *id = record_id (g_ptr_array_index (records, i));

      if (id == NULL || id[0] == '\0' || strlen (id) > MAX_ID)
        {
          set_protocol_error (error, "%s[%u].id: %s", what, i, "missing or too long");
          return FALSE;
        }
    }

  return TRUE;
}

/* Decoders */

/**
 * enr_api_decode_problem:
 *
 * Reads an application/problem+json document. Unknown members are
 * ignored; `current` (412) is kept as JSON for the caller to decode as the
 * record's type; `cursor` (410) must be a non-negative integer.
 *
 * Returns: (transfer full): the problem, with status from the document
 *   (0 when it has none)
 */
EnrApiProblem *
enr_api_decode_problem (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(EnrApiProblem) problem = enr_api_problem_new (0);
  JsonObject *object;
  JsonNode *node;
  const char *text;
  gint64 number = 0;

  if (!(object = parse_object (data, length, ENR_API_MAX_PROBLEM, "problem", &root, error)))
    return NULL;

  if (!get_string (object, "problem", "type", FALSE, MAX_TEXT, &text, error))
    return NULL;
  problem->type = g_strdup (text);
  if (!get_string (object, "problem", "title", FALSE, MAX_TEXT, &text, error))
    return NULL;
  problem->title = g_strdup (text);
  if (!get_string (object, "problem", "detail", FALSE, MAX_TEXT, &text, error))
    return NULL;
  problem->detail = g_strdup (text);
  if (!get_int (object, "problem", "status", FALSE, 100, 599, &number, error))
    return NULL;
  problem->status = (guint) number;

  if ((node = get_present (object, "errors")) != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          set_protocol_error (error, "%s: %s", "problem.errors", "expected an array");
          return NULL;
        }

      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array) && i < ENR_API_MAX_FIELD_ERRORS; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *what = g_strdup_printf ("problem.errors[%u]", i);
          const char *field, *message;
          EnrApiFieldError *field_error;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            {
              set_protocol_error (error, "%s: %s", what, "expected an object");
              return NULL;
            }
          if (!get_string (json_node_get_object (element), what, "field", FALSE, MAX_TEXT, &field, error) ||
              !get_string (json_node_get_object (element), what, "message", TRUE, MAX_TEXT, &message, error))
            return NULL;

          field_error = g_new0 (EnrApiFieldError, 1);
          field_error->field = g_strdup (field != NULL ? field : "");
          field_error->message = g_strdup (message);
          g_ptr_array_add (problem->errors, field_error);
        }
    }

  if ((node = get_present (object, "current")) != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_protocol_error (error, "%s: %s", "problem.current", "expected an object");
          return NULL;
        }
      problem->current = enr_json_to_string (node, FALSE);
    }

  if (!get_int (object, "problem", "cursor", FALSE, 0, G_MAXINT64, &problem->cursor, error))
    return NULL;

  return g_steal_pointer (&problem);
}

/**
 * enr_api_decode_session:
 *
 * Returns: (transfer full): the session of POST /v1/sessions
 */
EnrApiSession *
enr_api_decode_session (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(EnrApiSession) session = g_new0 (EnrApiSession, 1);
  JsonObject *object;
  const char *token, *token_type, *expires_at;

  if (!(object = parse_object (data, length, ENR_JSON_MAX_BODY, "session", &root, error)))
    return NULL;

  if (!get_string (object, "session", "token", TRUE, ENR_API_MAX_TOKEN, &token, error) ||
      !get_string (object, "session", "token_type", FALSE, MAX_TEXT, &token_type, error) ||
      !get_string (object, "session", "expires_at", TRUE, MAX_TEXT, &expires_at, error))
    return NULL;

  /* The token goes into a header: visible ASCII only. */
  for (const char *p = token; *p; p++)
    if (*p < 0x21 || *p > 0x7e)
      {
        set_protocol_error (error, "%s: %s", "session.token", "not a header-safe token");
        return NULL;
      }

  if (token_type != NULL && g_ascii_strcasecmp (token_type, "Bearer") != 0)
    {
      set_protocol_error (error, "%s: %s", "session.token_type", "not Bearer");
      return NULL;
    }

  if (!(session->expires_at = enr_codec_parse_date_time (expires_at)))
    {
      set_protocol_error (error, "%s: %s", "session.expires_at", "not an RFC 3339 date-time");
      return NULL;
    }

  if (!(session->user = decode_record_node (ENR_TYPE_USER, get_present (object, "user"),
                                            "session.user", error)))
    return NULL;

  session->token = g_strdup (token);
  return g_steal_pointer (&session);
}

/* The change feed's type names (the service's table names). Drafts
 * (process flows) only ever live on this machine and are not among them. */
static const struct
{
  const char  *name;
  GType      (*get_type) (void);
} change_types[] = {
  { "customer", enr_customer_get_type },
  { "metered_service", enr_metered_service_get_type },
  { "service_point", enr_service_point_get_type },
  { "device_location", enr_device_location_get_type },
  { "device", enr_device_get_type },
  { "program_subscription", enr_program_subscription_get_type },
  { "program_type", enr_program_type_get_type },
  { "program", enr_program_get_type },
  { "initiative", enr_initiative_get_type },
  { "service_task_type", enr_service_task_type_get_type },
  { "action_method", enr_action_method_get_type },
  { "activity_type", enr_activity_type_get_type },
  { "crew_shift_type", enr_crew_shift_type_get_type },
  { "crew", enr_crew_get_type },
  { "crew_shift", enr_crew_shift_get_type },
  { "appointment", enr_appointment_get_type },
  { "code_value", enr_code_value_get_type },
  { "customer_communication", enr_customer_communication_get_type },
  { "user", enr_user_get_type },
  { "service_task", enr_service_task_get_type },
};

/**
 * enr_api_type_from_change_name:
 * @name: a type name of the change feed, e.g. "service_task"
 *
 * Returns: its type, or %G_TYPE_INVALID for a name this client does not know
 */
GType
enr_api_type_from_change_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (change_types); i++)
    if (g_str_equal (change_types[i].name, name))
      return change_types[i].get_type ();

  return G_TYPE_INVALID;
}

/**
 * enr_api_change_name:
 *
 * Returns: (nullable): the change feed's name of @type
 */
const char *
enr_api_change_name (GType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (change_types); i++)
    if (change_types[i].get_type () == type)
      return change_types[i].name;

  return NULL;
}

/**
 * enr_api_decode_changes:
 *
 * Reads a page of GET /v1/changes: change cursors strictly increase and
 * never pass the page's cursor; each change of a known type decodes as
 * that type and carries the id it claims.
 *
 * Returns: (transfer full): the changes
 */
EnrApiChanges *
enr_api_decode_changes (const char  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(EnrApiChanges) changes = g_new0 (EnrApiChanges, 1);
  JsonObject *object;
  JsonNode *node;
  JsonArray *array;
  gint64 previous = -1;

  changes->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) enr_api_change_free);

  if (!(object = parse_object (data, length, ENR_API_MAX_RESPONSE, "changes", &root, error)))
    return NULL;

  if (!get_int (object, "changes", "cursor", TRUE, 0, G_MAXINT64, &changes->cursor, error) ||
      !get_bool (object, "changes", "more", TRUE, &changes->more, error))
    return NULL;

  node = get_present (object, "changes");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      set_protocol_error (error, "%s: %s", "changes.changes", "expected an array");
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *what = g_strdup_printf ("changes.changes[%u]", i);
      g_autoptr(EnrApiChange) change = g_new0 (EnrApiChange, 1);
      JsonObject *item;
      const char *type_name, *id, *at;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          set_protocol_error (error, "%s: %s", what, "expected an object");
          return NULL;
        }
      item = json_node_get_object (element);

      if (!get_int (item, what, "cursor", TRUE, 1, G_MAXINT64, &change->cursor, error) ||
          !get_string (item, what, "type", TRUE, MAX_TYPE_NAME, &type_name, error) ||
          !get_string (item, what, "id", TRUE, MAX_ID, &id, error) ||
          !get_int (item, what, "version", FALSE, 0, G_MAXINT64, &change->version, error) ||
          !get_bool (item, what, "deleted", FALSE, &change->deleted, error) ||
          !get_string (item, what, "at", FALSE, MAX_TEXT, &at, error))
        return NULL;

      if (change->cursor <= previous || change->cursor > changes->cursor)
        {
          set_protocol_error (error, "%s.cursor: %" G_GINT64_FORMAT " %s", what, change->cursor,
                              "is out of order");
          return NULL;
        }
      previous = change->cursor;

      change->type_name = g_strdup (type_name);
      change->id = g_strdup (id);
      change->type = enr_api_type_from_change_name (type_name);

      if (change->type != G_TYPE_INVALID && !change->deleted)
        {
          g_autofree char *data_what = g_strconcat (what, ".data", NULL);
          g_autofree char *object_id = NULL;

          if (!(change->object = decode_record_node (change->type, get_present (item, "data"),
                                                     data_what, error)))
            return NULL;

          object_id = record_id (change->object);
          if (g_strcmp0 (object_id, id) != 0)
            {
              set_protocol_error (error, "%s: %s", data_what, "holds another record than its id");
              return NULL;
            }
        }

      g_ptr_array_add (changes->changes, g_steal_pointer (&change));
    }

  return g_steal_pointer (&changes);
}

/**
 * enr_api_decode_page:
 * @item_type: the records' type
 *
 * Reads `{"items": […], "page": N, "page_size": N, "more": bool}`.
 *
 * Returns: (transfer full): the page
 */
EnrApiPage *
enr_api_decode_page (GType        item_type,
                     const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(EnrApiPage) page = g_new0 (EnrApiPage, 1);
  JsonObject *object;
  gint64 number = 0, size = 0;

  if (!(object = parse_object (data, length, ENR_API_MAX_RESPONSE, "page", &root, error)))
    return NULL;

  if (!get_int (object, "page", "page", TRUE, 1, G_MAXUINT32, &number, error) ||
      !get_int (object, "page", "page_size", TRUE, 1, G_MAXUINT32, &size, error) ||
      !get_bool (object, "page", "more", TRUE, &page->more, error) ||
      !(page->items = decode_records_member (object, "page", "items", item_type, TRUE, error)) ||
      !check_ids (page->items, "page.items", error))
    return NULL;

  if (page->items->len > (guint) size)
    {
      set_protocol_error (error, "%s: %s", "page.items", "more items than the page size");
      return NULL;
    }

  page->page = (guint) number;
  page->page_size = (guint) size;
  return g_steal_pointer (&page);
}

EnrApiPage *
enr_api_decode_customer_page (const char  *data,
                              gsize        length,
                              GError     **error)
{
  return enr_api_decode_page (ENR_TYPE_CUSTOMER, data, length, error);
}

EnrApiPage *
enr_api_decode_task_page (const char  *data,
                          gsize        length,
                          GError     **error)
{
  return enr_api_decode_page (ENR_TYPE_SERVICE_TASK, data, length, error);
}

/**
 * enr_api_decode_items:
 *
 * Reads `{"items": […]}`.
 *
 * Returns: (transfer full) (element-type GObject): the records
 */
GPtrArray *
enr_api_decode_items (GType        item_type,
                      const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JsonObject *object;

  if (!(object = parse_object (data, length, ENR_API_MAX_RESPONSE, "items", &root, error)) ||
      !(items = decode_records_member (object, "list", "items", item_type, TRUE, error)) ||
      !check_ids (items, "list.items", error))
    return NULL;

  return g_steal_pointer (&items);
}

GPtrArray *
enr_api_decode_code_values (const char  *data,
                            gsize        length,
                            GError     **error)
{
  return enr_api_decode_items (ENR_TYPE_CODE_VALUE, data, length, error);
}

/**
 * enr_api_decode_programs:
 *
 * Returns: (transfer full): GET /v1/programs: programs with their types
 *   and initiatives
 */
EnrApiPrograms *
enr_api_decode_programs (const char  *data,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(EnrApiPrograms) programs = g_new0 (EnrApiPrograms, 1);
  JsonObject *object;

  if (!(object = parse_object (data, length, ENR_API_MAX_RESPONSE, "programs", &root, error)) ||
      !(programs->programs = decode_records_member (object, "programs", "items",
                                                    ENR_TYPE_PROGRAM, TRUE, error)) ||
      !(programs->program_types = decode_records_member (object, "programs", "program_types",
                                                         ENR_TYPE_PROGRAM_TYPE, FALSE, error)) ||
      !(programs->initiatives = decode_records_member (object, "programs", "initiatives",
                                                       ENR_TYPE_INITIATIVE, FALSE, error)) ||
      !check_ids (programs->programs, "programs.items", error) ||
      !check_ids (programs->program_types, "programs.program_types", error) ||
      !check_ids (programs->initiatives, "programs.initiatives", error))
    return NULL;

  return g_steal_pointer (&programs);
}

/**
 * enr_api_decode_customer_view:
 *
 * Reads GET /v1/customers/{id}: the customer and the records around it.
 * Every metered service, subscription and task must belong to the customer.
 *
 * Returns: (transfer full): the view
 */
EnrApiCustomerView *
enr_api_decode_customer_view (const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(EnrApiCustomerView) view = g_new0 (EnrApiCustomerView, 1);
  JsonObject *object;
  const char *customer_id;

  if (!(object = parse_object (data, length, ENR_API_MAX_RESPONSE, "customer_view", &root, error)) ||
      !(view->customer = decode_record_node (ENR_TYPE_CUSTOMER, get_present (object, "customer"),
                                             "customer_view.customer", error)) ||
      !(view->metered_services = decode_records_member (object, "customer_view", "metered_services",
                                                        ENR_TYPE_METERED_SERVICE, FALSE, error)) ||
      !(view->service_points = decode_records_member (object, "customer_view", "service_points",
                                                      ENR_TYPE_SERVICE_POINT, FALSE, error)) ||
      !(view->device_locations = decode_records_member (object, "customer_view", "device_locations",
                                                        ENR_TYPE_DEVICE_LOCATION, FALSE, error)) ||
      !(view->devices = decode_records_member (object, "customer_view", "devices",
                                               ENR_TYPE_DEVICE, FALSE, error)) ||
      !(view->subscriptions = decode_records_member (object, "customer_view", "subscriptions",
                                                     ENR_TYPE_PROGRAM_SUBSCRIPTION, FALSE, error)) ||
      !(view->service_tasks = decode_records_member (object, "customer_view", "service_tasks",
                                                     ENR_TYPE_SERVICE_TASK, FALSE, error)))
    return NULL;

  customer_id = enr_entity_get_id (ENR_ENTITY (view->customer));
  if (customer_id == NULL || customer_id[0] == '\0' || strlen (customer_id) > MAX_ID)
    {
      set_protocol_error (error, "%s: %s", "customer_view.customer.id", "missing or too long");
      return NULL;
    }

  if (!check_ids (view->metered_services, "customer_view.metered_services", error) ||
      !check_ids (view->service_points, "customer_view.service_points", error) ||
      !check_ids (view->device_locations, "customer_view.device_locations", error) ||
      !check_ids (view->devices, "customer_view.devices", error) ||
      !check_ids (view->subscriptions, "customer_view.subscriptions", error) ||
      !check_ids (view->service_tasks, "customer_view.service_tasks", error))
    return NULL;

  for (guint i = 0; i < view->metered_services->len; i++)
    if (g_strcmp0 (enr_metered_service_get_customer_id (g_ptr_array_index (view->metered_services, i)),
                   customer_id) != 0)
      {
        set_protocol_error (error, "customer_view.metered_services[%u]: %s", i,
                            "belongs to another customer");
        return NULL;
      }
  for (guint i = 0; i < view->subscriptions->len; i++)
    if (g_strcmp0 (enr_program_subscription_get_customer_id (g_ptr_array_index (view->subscriptions, i)),
                   customer_id) != 0)
      {
        set_protocol_error (error, "customer_view.subscriptions[%u]: %s", i,
                            "belongs to another customer");
        return NULL;
      }
  for (guint i = 0; i < view->service_tasks->len; i++)
    if (g_strcmp0 (enr_service_task_get_customer_id (g_ptr_array_index (view->service_tasks, i)),
                   customer_id) != 0)
      {
        set_protocol_error (error, "customer_view.service_tasks[%u]: %s", i,
                            "belongs to another customer");
        return NULL;
      }

  return g_steal_pointer (&view);
}

static gboolean
belongs_to (GHashTable *customer_ids,
            const char *customer_id)
{
  return customer_id != NULL && g_hash_table_contains (customer_ids, customer_id);
}

/**
 * enr_api_decode_customer_export:
 *
 * Reads a page of GET /v1/export/customers. Every metered service and
 * subscription must belong to a customer of the page.
 *
 * Returns: (transfer full): the page
 */
EnrApiCustomerExport *
enr_api_decode_customer_export (const char  *data,
                                gsize        length,
                                GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(EnrApiCustomerExport) export = g_new0 (EnrApiCustomerExport, 1);
  g_autoptr(GHashTable) customer_ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *object;
  const char *next = NULL;

  if (!(object = parse_object (data, length, ENR_API_MAX_RESPONSE, "export", &root, error)) ||
      !(export->customers = decode_records_rows (object, "export", "customers",
                                                 ENR_TYPE_CUSTOMER, TRUE,
                                                 &export->customer_rows, error)) ||
      !(export->metered_services = decode_records_rows (object, "export", "metered_services",
                                                        ENR_TYPE_METERED_SERVICE, FALSE,
                                                        &export->metered_service_rows, error)) ||
      !(export->service_points = decode_records_rows (object, "export", "service_points",
                                                      ENR_TYPE_SERVICE_POINT, FALSE,
                                                      &export->service_point_rows, error)) ||
      !(export->device_locations = decode_records_rows (object, "export", "device_locations",
                                                        ENR_TYPE_DEVICE_LOCATION, FALSE,
                                                        &export->device_location_rows, error)) ||
      !(export->devices = decode_records_rows (object, "export", "devices",
                                               ENR_TYPE_DEVICE, FALSE,
                                               &export->device_rows, error)) ||
      !(export->subscriptions = decode_records_rows (object, "export", "subscriptions",
                                                     ENR_TYPE_PROGRAM_SUBSCRIPTION, FALSE,
                                                     &export->subscription_rows, error)) ||
      !get_int (object, "export", "total", FALSE, 0, G_MAXINT64, &export->total, error) ||
      !get_string (object, "export", "next", FALSE, MAX_ID, &next, error) ||
      !check_ids (export->customers, "export.customers", error) ||
      !check_ids (export->metered_services, "export.metered_services", error) ||
      !check_ids (export->service_points, "export.service_points", error) ||
      !check_ids (export->device_locations, "export.device_locations", error) ||
      !check_ids (export->devices, "export.devices", error) ||
      !check_ids (export->subscriptions, "export.subscriptions", error))
    return NULL;

  if (next != NULL && next[0] == '\0')
    {
      set_protocol_error (error, "%s: %s", "export.next", "empty cursor");
      return NULL;
    }
  if (next != NULL && export->customers->len == 0)
    {
      set_protocol_error (error, "%s: %s", "export.next", "a cursor after an empty page");
      return NULL;
    }
  export->next = g_strdup (next);

  for (guint i = 0; i < export->customers->len; i++)
    g_hash_table_add (customer_ids, (gpointer) enr_entity_get_id (g_ptr_array_index (export->customers, i)));
  for (guint i = 0; i < export->metered_services->len; i++)
    if (!belongs_to (customer_ids,
                     enr_metered_service_get_customer_id (g_ptr_array_index (export->metered_services, i))))
      {
        set_protocol_error (error, "export.metered_services[%u]: %s", i,
                            "belongs to no customer of the page");
        return NULL;
      }
  for (guint i = 0; i < export->subscriptions->len; i++)
    if (!belongs_to (customer_ids,
                     enr_program_subscription_get_customer_id (g_ptr_array_index (export->subscriptions, i))))
      {
        set_protocol_error (error, "export.subscriptions[%u]: %s", i,
                            "belongs to no customer of the page");
        return NULL;
      }

  return g_steal_pointer (&export);
}

/**
 * enr_api_decode_record:
 * @type: the record's type
 *
 * Reads one record (the body of a write's response, GET of one record).
 *
 * Returns: (transfer full) (type GObject): the record
 */
gpointer
enr_api_decode_record (GType        type,
                       const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GObject) object = NULL;
  g_autofree char *id = NULL;
  const char *what = enr_api_change_name (type);

  if (what == NULL)
    what = g_type_name (type);

  if (!parse_object (data, length, ENR_API_MAX_RESPONSE, what, &root, error) ||
      !(object = decode_record_node (type, root, what, error)))
    return NULL;

  id = record_id (object);
  if (id == NULL || id[0] == '\0' || strlen (id) > MAX_ID)
    {
      set_protocol_error (error, "%s.id: %s", what, "missing or too long");
      return NULL;
    }

  return g_steal_pointer (&object);
}

EnrServiceTask *
enr_api_decode_task (const char  *data,
                     gsize        length,
                     GError     **error)
{
  return enr_api_decode_record (ENR_TYPE_SERVICE_TASK, data, length, error);
}

EnrCustomerCommunication *
enr_api_decode_communication (const char  *data,
                              gsize        length,
                              GError     **error)
{
  return enr_api_decode_record (ENR_TYPE_CUSTOMER_COMMUNICATION, data, length, error);
}

/**
 * enr_api_parse_etag:
 * @value: an ETag header: `"N"` or `W/"N"`
 * @version: (out): N
 *
 * Returns: %TRUE when @value is an entity version the service sent
 */
gboolean
enr_api_parse_etag (const char *value,
                    gint64     *version)
{
  g_autofree char *digits = NULL;
  gsize length;
  guint64 number;

  g_return_val_if_fail (version != NULL, FALSE);

  if (value == NULL)
    return FALSE;

  if (g_str_has_prefix (value, "W/"))
    value += 2;

  length = strlen (value);
  if (length < 3 || value[0] != '"' || value[length - 1] != '"')
    return FALSE;

  digits = g_strndup (value + 1, length - 2);
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT64, &number, NULL))
    return FALSE;

  *version = (gint64) number;
  return TRUE;
}

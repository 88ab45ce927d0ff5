/* test-service.c — the real enrollment-service over HTTP
 *
 * Starts the binary on an ephemeral loopback port with a temporary database
 * loaded with data/sample, and talks to it with a SoupSession.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "enr-db.h"
#include "enr-test-db.h"
#include "service-test-util.h"

#define PROBLEM(slug) "https://enrollment-desk.invalid/problems/" slug
#define TSTAT         "prog-tstat"
#define BIG_BODY      (64 * 1024 * 1024)

typedef ServiceTestServer Server;

typedef struct
{
  guint               status;
  GBytes             *body;
  JsonNode           *json;
  SoupMessageHeaders *headers;
} Reply;

static SoupSession *session;
static char *work_directory;
static Server *main_server;
static char *clerk;        /* tokens */
static char *alex;
static char *supervisor;
static GPtrArray *tstat_customers;
static guint next_customer;

/* The customer whose reads and saves /service/instances/round-trips counts:
 * named, and kept out of take_customer()'s list, because the counts depend
 * on its records (one premise of its own) and on no other test. */
#define COUNTED_CUSTOMER "cust-0037"

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

/* Server processes (service-test-util.c) */

static Server *
server_start (const char         *database,
              gboolean            load,
              const char * const *extra)
{
  return service_test_server_start (database, load, extra, FALSE, 0);
}

static void
server_stop (Server *server)
{
  service_test_server_stop (server);
}

static void
server_kill (Server *server)
{
  service_test_server_kill (server);
}

static char *
new_database (const char *name)
{
  return g_build_filename (work_directory, name, NULL);
}

/* HTTP */

static SoupMessage *
new_message (Server     *server,
             const char *method,
             const char *path,
             const char *token,
             const char *body)
{
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  g_assert_nonnull (msg);

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  return msg;
}

static Reply *
finish_reply (SoupMessage *msg,
              GBytes      *bytes)
{
  Reply *reply = g_new0 (Reply, 1);
  const char *type;

  reply->status = soup_message_get_status (msg);
  reply->body = bytes;
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  type = soup_message_headers_get_content_type (reply->headers, NULL);
  if (type != NULL && g_str_has_suffix (type, "json") && g_bytes_get_size (bytes) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);

      json_parser_load_from_data (parser, data, size, &error);
      g_assert_no_error (error);
      reply->json = json_parser_steal_root (parser);

      if (g_str_equal (type, "application/problem+json"))
        {
          JsonObject *object = json_node_get_object (reply->json);

          g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "type"),
                                           PROBLEM ("")));
          g_assert_cmpint (json_object_get_int_member (object, "status"), ==, reply->status);
          g_assert_true (json_object_has_member (object, "title"));
        }
    }

  return reply;
}

static Reply *
send_message (SoupMessage *msg)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  return finish_reply (msg, bytes);
}

/* call (server, method, path, token, body, header, value, …, NULL) */
static Reply *
call (Server     *server,
      const char *method,
      const char *path,
      const char *token,
      const char *body,
      ...)
{
  g_autoptr(SoupMessage) msg = new_message (server, method, path, token, body);
  const char *name;
  va_list args;

  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
    }
  va_end (args);

  return send_message (msg);
}

static Reply *
get (const char *path,
     const char *token)
{
  return call (main_server, "GET", path, token, NULL, NULL);
}

/* A write with a fresh Idempotency-Key. */
static Reply *
write_json (const char *method,
            const char *path,
            const char *token,
            const char *body,
            const char *if_match)
{
  g_autofree char *key = g_uuid_string_random ();

  return call (main_server, method, path, token, body,
               "Idempotency-Key", key, "If-Match", if_match, NULL);
}

/* JSON access */

static JsonNode *
jnode (JsonNode   *root,
       const char *expression)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) matches = NULL;
  JsonArray *array;

  g_assert_nonnull (root);
  matches = json_path_query (expression, root, &error);
  g_assert_no_error (error);
  array = json_node_get_array (matches);
  if (json_array_get_length (array) == 0)
    return NULL;

  return json_node_copy (json_array_get_element (array, 0));
}

static char *
jstr (JsonNode   *root,
      const char *expression)
{
  g_autoptr(JsonNode) node = jnode (root, expression);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return g_strdup (json_node_get_string (node));
}

static gint64
jint (JsonNode   *root,
      const char *expression)
{
  g_autoptr(JsonNode) node = jnode (root, expression);

  g_assert_nonnull (node);
  return json_node_get_int (node);
}

static gboolean
jbool (JsonNode   *root,
       const char *expression)
{
  g_autoptr(JsonNode) node = jnode (root, expression);

  g_assert_nonnull (node);
  return json_node_get_boolean (node);
}

static guint
jlen (JsonNode   *root,
      const char *expression)
{
  g_autoptr(JsonNode) node = jnode (root, expression);

  if (node == NULL)
    return 0;
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_get_length (json_node_get_array (node));
}

/* The element of the array at @expression whose @member is @value. */
static JsonNode *
find_item (JsonNode   *root,
           const char *expression,
           const char *member,
           const char *value)
{
  g_autoptr(JsonNode) list = jnode (root, expression);
  JsonArray *array;

  g_assert_nonnull (list);
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, member, NULL), value) == 0)
        return json_node_copy (json_array_get_element (array, i));
    }

  return NULL;
}

static JsonNode *
last_item (JsonNode   *root,
           const char *expression)
{
  g_autoptr(JsonNode) list = jnode (root, expression);
  JsonArray *array;

  g_assert_nonnull (list);
  array = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (array), >, 0);

  return json_node_copy (json_array_get_element (array, json_array_get_length (array) - 1));
}

static void
assert_problem (Reply      *reply,
                guint       status,
                const char *type)
{
  g_autofree char *actual = NULL;

  if (reply->status != status)
    g_test_message ("body: %.*s", (int) g_bytes_get_size (reply->body),
                    (const char *) g_bytes_get_data (reply->body, NULL));
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "application/problem+json");
  actual = jstr (reply->json, "$.type");
  g_assert_cmpstr (actual, ==, type);
}

static void
assert_status (Reply *reply,
               guint  status)
{
  if (reply->status != status)
    g_test_message ("body: %.*s", (int) g_bytes_get_size (reply->body),
                    (const char *) g_bytes_get_data (reply->body, NULL));
  g_assert_cmpuint (reply->status, ==, status);
}

static char *
sign_in (Server     *server,
         const char *username,
         const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           username, password);
  g_autoptr(Reply) reply = call (server, "POST", "/v1/sessions", NULL, body, NULL);

  assert_status (reply, 201);
  return jstr (reply->json, "$.token");
}

static char *
date_from_today (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static char *
node_to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* Fixtures built over the API */

static const char *
take_customer (void)
{
  g_assert_cmpuint (next_customer, <, tstat_customers->len);
  return g_ptr_array_index (tstat_customers, next_customer++);
}

/* The first free slot for installing a thermostat, or the one after @skip. */
static JsonNode *
find_slot (guint skip)
{
  g_autofree char *date = date_from_today (1);
  g_autofree char *path = g_strdup_printf ("/v1/appointment-slots?activity_type=act-install-tstat"
                                           "&date=%s&days=14", date);
  g_autofree char *expression = g_strdup_printf ("$.items[%u]", skip);
  g_autoptr(Reply) reply = get (path, clerk);

  assert_status (reply, 200);
  g_assert_cmpuint (jlen (reply->json, "$.items"), >, skip);

  return jnode (reply->json, expression);
}

static JsonNode *
appointment_for (JsonNode *slot)
{
  JsonObject *object = json_object_new ();
  JsonObject *from = json_node_get_object (slot);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "activity_type_id", json_object_get_string_member (from, "activity_type_id"));
  json_object_set_string_member (object, "crew_id", json_object_get_string_member (from, "crew_id"));
  json_object_set_string_member (object, "crew_shift_id", json_object_get_string_member (from, "crew_shift_id"));
  json_object_set_string_member (object, "start", json_object_get_string_member (from, "start"));
  json_object_set_string_member (object, "end", json_object_get_string_member (from, "end"));
  json_node_take_object (node, object);

  return node;
}

typedef struct
{
  char *id;
  char *etag;
  char *customer_id;
} Task;

static void
task_free (Task *task)
{
  g_free (task->id);
  g_free (task->etag);
  g_free (task->customer_id);
  g_free (task);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Task, task_free)

static Task *
create_task (const char *token,
             const char *customer_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/customers/%s", customer_id);
  g_autoptr(Reply) view = get (path, token);
  g_autofree char *service_id = jstr (view->json, "$.metered_services[0].id");
  g_autofree char *body = g_strdup_printf ("{\"kind\":\"enrollment\",\"program_id\":\"" TSTAT "\","
                                           "\"customer_id\":\"%s\",\"metered_service_id\":\"%s\"}",
                                           customer_id, service_id);
  g_autoptr(Reply) reply = write_json ("POST", "/v1/service-tasks", token, body, NULL);
  Task *task = g_new0 (Task, 1);

  assert_status (reply, 201);
  task->id = jstr (reply->json, "$.id");
  task->etag = g_strdup (soup_message_headers_get_one (reply->headers, "ETag"));
  task->customer_id = g_strdup (customer_id);
  g_assert_cmpstr (task->etag, ==, "\"1\"");

  return task;
}

/* Fills every panel of a thermostat enrollment with valid data. */
static char *
complete_panels (Task     *task,
                 JsonNode *current,
                 JsonNode *slot)
{
  g_autofree char *view_path = g_strdup_printf ("/v1/customers/%s", task->customer_id);
  g_autoptr(Reply) view = get (view_path, clerk);
  g_autofree char *location = jstr (view->json, "$.device_locations[0].id");
  g_autofree char *start = date_from_today (10);
  JsonObject *object = json_node_get_object (current);
  JsonArray *answers = json_array_new ();
  JsonArray *appointments = json_array_new ();
  JsonArray *interactions = json_array_new ();
  JsonObject *answer;
  JsonObject *interaction;
  JsonArray *values;

  answer = json_object_new ();
  json_object_set_string_member (answer, "question_id", "q-tstat-cac");
  values = json_array_new ();
  json_array_add_string_element (values, "yes");
  json_object_set_array_member (answer, "values", values);
  json_array_add_object_element (answers, answer);

  answer = json_object_new ();
  json_object_set_string_member (answer, "question_id", "q-tstat-own");
  values = json_array_new ();
  json_array_add_string_element (values, "Own");
  json_object_set_array_member (answer, "values", values);
  json_array_add_object_element (answers, answer);

  interaction = json_object_new ();
  json_object_set_string_member (interaction, "panel", "customer");
  json_object_set_string_member (interaction, "channel", "phone");
  json_object_set_string_member (interaction, "class", "enrollment");
  json_object_set_string_member (interaction, "category", "verbal");
  json_object_set_string_member (interaction, "notes", "Customer called about the thermostat offer");
  json_array_add_object_element (interactions, interaction);

  if (slot != NULL)
    json_array_add_element (appointments, appointment_for (slot));

  json_object_set_string_member (object, "start_date", start);
  json_object_set_array_member (object, "answers", answers);
  json_object_set_string_member (object, "installation_method", "utility-installation");
  json_object_set_string_member (object, "ownership", "utility-owned");
  if (location != NULL)
    json_object_set_string_member (object, "device_location_id", location);
  json_object_set_array_member (object, "appointments", appointments);
  json_object_set_array_member (object, "interactions", interactions);

  return node_to_string (current);
}

/* A task with every panel filled in and saved, ready for Finish. */
static Task *
ready_task (const char *token,
            JsonNode   *slot)
{
  g_autoptr(Task) task = create_task (token, take_customer ());
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s", task->id);
  g_autoptr(Reply) current = get (path, token);
  g_autofree char *body = complete_panels (task, current->json, slot);
  g_autoptr(Reply) saved = write_json ("PUT", path, token, body, task->etag);

  assert_status (saved, 200);
  g_free (task->etag);
  task->etag = g_strdup (soup_message_headers_get_one (saved->headers, "ETag"));
  g_assert_cmpstr (task->etag, ==, "\"2\"");

  return g_steal_pointer (&task);
}

static Reply *
task_action (Task       *task,
             const char *token,
             const char *action,
             const char *body)
{
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s/%s", task->id, action);
  Reply *reply = write_json ("POST", path, token, body, task->etag);

  if (soup_message_headers_get_one (reply->headers, "ETag") != NULL && reply->status == 200)
    {
      g_free (task->etag);
      task->etag = g_strdup (soup_message_headers_get_one (reply->headers, "ETag"));
    }

  return reply;
}

/* Tests */

static void
test_sessions (void)
{
  g_autoptr(Reply) ok = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) unknown = NULL;
  g_autoptr(Reply) malformed = NULL;
  g_autoptr(Reply) missing = NULL;
  g_autoptr(Reply) current = NULL;
  g_autoptr(Reply) anonymous = NULL;
  g_autoptr(Reply) out = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(Reply) garbage = NULL;
  g_autofree char *token = NULL;
  g_autofree char *role = NULL;
  g_autofree char *username = NULL;
  g_autoptr(JsonNode) user = NULL;

  ok = call (main_server, "POST", "/v1/sessions", NULL,
             "{\"username\":\"supervisor\",\"password\":\"supervisor-demo-pass\"}", NULL);
  assert_status (ok, 201);
  token = jstr (ok->json, "$.token");
  g_assert_cmpuint (strlen (token), ==, 64);
  role = jstr (ok->json, "$.user.role");
  g_assert_cmpstr (role, ==, "supervisor");
  g_assert_true (json_object_has_member (json_node_get_object (ok->json), "expires_at"));
  user = jnode (ok->json, "$.user");
  g_assert_false (json_object_has_member (json_node_get_object (user), "password"));

  wrong = call (main_server, "POST", "/v1/sessions", NULL,
                "{\"username\":\"supervisor\",\"password\":\"guess\"}", NULL);
  assert_problem (wrong, 401, PROBLEM ("invalid-credentials"));

  unknown = call (main_server, "POST", "/v1/sessions", NULL,
                  "{\"username\":\"nobody\",\"password\":\"guess\"}", NULL);
  assert_problem (unknown, 401, PROBLEM ("invalid-credentials"));

  malformed = call (main_server, "POST", "/v1/sessions", NULL, "{\"username\":", NULL);
  assert_problem (malformed, 400, PROBLEM ("malformed-json"));

  missing = call (main_server, "POST", "/v1/sessions", NULL, "{\"username\":\"clerk\"}", NULL);
  assert_problem (missing, 422, PROBLEM ("validation-failed"));

  current = get ("/v1/sessions/current", token);
  assert_status (current, 200);
  username = jstr (current->json, "$.user.username");
  g_assert_cmpstr (username, ==, "supervisor");

  anonymous = get ("/v1/customers", NULL);
  assert_problem (anonymous, 401, PROBLEM ("unauthorized"));
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (anonymous->headers, "WWW-Authenticate"),
                                   "Bearer"));

  garbage = get ("/v1/customers", "0123456789abcdef");
  assert_problem (garbage, 401, PROBLEM ("unauthorized"));

  out = call (main_server, "DELETE", "/v1/sessions/current", token, NULL, NULL);
  assert_status (out, 204);
  after = get ("/v1/sessions/current", token);
  assert_problem (after, 401, PROBLEM ("unauthorized"));
}

static void
test_routing (void)
{
  g_autoptr(Reply) nowhere = get ("/v1/nowhere", clerk);
  g_autoptr(Reply) no_customer = get ("/v1/customers/cust-none", clerk);
  g_autoptr(Reply) no_program = get ("/v1/programs/prog-none", clerk);
  g_autoptr(Reply) no_task = get ("/v1/service-tasks/task-none", clerk);
  g_autoptr(Reply) wrong_method = call (main_server, "DELETE", "/v1/customers", clerk, NULL, NULL);
  g_autoptr(Reply) empty = call (main_server, "POST", "/v1/communications", clerk, NULL,
                                 "Idempotency-Key", "empty-body", NULL);
  g_autoptr(SoupMessage) msg = new_message (main_server, "POST", "/v1/communications", clerk, NULL);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);
  g_autoptr(Reply) text_reply = NULL;

  assert_problem (nowhere, 404, PROBLEM ("not-found"));
  assert_problem (no_customer, 404, PROBLEM ("not-found"));
  assert_problem (no_program, 404, PROBLEM ("not-found"));
  assert_problem (no_task, 404, PROBLEM ("not-found"));
  assert_problem (wrong_method, 405, PROBLEM ("method-not-allowed"));
  g_assert_cmpstr (soup_message_headers_get_one (wrong_method->headers, "Allow"), ==, "GET, HEAD");
  assert_problem (empty, 400, PROBLEM ("malformed-json"));

  soup_message_set_request_body_from_bytes (msg, "text/plain", text);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", "text");
  text_reply = send_message (msg);
  assert_problem (text_reply, 415, PROBLEM ("unsupported-media-type"));
}

static void
test_customers (void)
{
  g_autoptr(Reply) by_name = get ("/v1/customers?q=maria%20gonz", clerk);
  g_autoptr(Reply) by_account = get ("/v1/customers?q=RPL-100037", clerk);
  g_autoptr(Reply) by_phone = get ("/v1/customers?q=5415550101", clerk);
  g_autoptr(Reply) by_email = get ("/v1/customers?q=maria.gonzalez%40example.net", clerk);
  g_autoptr(Reply) by_address = get ("/v1/customers?q=1423%20maple", clerk);
  g_autoptr(Reply) nothing = get ("/v1/customers?q=zzzyyyxxx", clerk);
  g_autoptr(Reply) page1 = get ("/v1/customers?page_size=5", clerk);
  g_autoptr(Reply) page2 = get ("/v1/customers?page_size=5&page=2", clerk);
  g_autoptr(Reply) last = get ("/v1/customers?page_size=100", clerk);
  g_autoptr(Reply) bad_page = get ("/v1/customers?page=0", clerk);
  g_autoptr(Reply) bad_size = get ("/v1/customers?page_size=1000", clerk);
  g_autoptr(Reply) view = get ("/v1/customers/cust-0003", clerk);
  g_autoptr(Reply) hostile_query = get ("/v1/customers?q=%22%20OR%20*%20NEAR(", clerk);
  g_autofree char *id = NULL;
  g_autofree char *first1 = NULL;
  g_autofree char *first2 = NULL;
  g_autofree char *subscription = NULL;

  assert_status (by_name, 200);
  id = jstr (by_name->json, "$.items[0].id");
  g_assert_cmpstr (id, ==, "cust-0001");
  g_clear_pointer (&id, g_free);
  id = jstr (by_account->json, "$.items[0].id");
  g_assert_cmpstr (id, ==, "cust-0001");
  g_clear_pointer (&id, g_free);
  id = jstr (by_phone->json, "$.items[0].id");
  g_assert_cmpstr (id, ==, "cust-0001");
  g_clear_pointer (&id, g_free);
  id = jstr (by_email->json, "$.items[0].id");
  g_assert_cmpstr (id, ==, "cust-0001");
  g_clear_pointer (&id, g_free);
  id = jstr (by_address->json, "$.items[0].id");
  g_assert_cmpstr (id, ==, "cust-0001");
  g_assert_cmpuint (jlen (nothing->json, "$.items"), ==, 0);
  g_assert_false (jbool (nothing->json, "$.more"));

  g_assert_cmpuint (jlen (page1->json, "$.items"), ==, 5);
  g_assert_true (jbool (page1->json, "$.more"));
  g_assert_cmpint (jint (page2->json, "$.page"), ==, 2);
  first1 = jstr (page1->json, "$.items[0].id");
  first2 = jstr (page2->json, "$.items[0].id");
  g_assert_cmpstr (first1, !=, first2);
  g_assert_cmpuint (jlen (last->json, "$.items"), ==, 48);
  g_assert_false (jbool (last->json, "$.more"));

  assert_problem (bad_page, 400, PROBLEM ("invalid-parameter"));
  assert_problem (bad_size, 400, PROBLEM ("invalid-parameter"));
  assert_status (hostile_query, 200);

  assert_status (view, 200);
  g_assert_cmpuint (jlen (view->json, "$.metered_services"), >=, 1);
  g_assert_cmpuint (jlen (view->json, "$.service_points"), >=, 1);
  g_assert_cmpuint (jlen (view->json, "$.device_locations"), >=, 1);
  g_assert_cmpuint (jlen (view->json, "$.devices"), >=, 1);
  subscription = jstr (view->json, "$.subscriptions[0].id");
  g_assert_cmpstr (subscription, ==, "sub-0001");
  g_assert_nonnull (jnode (view->json, "$.service_tasks"));
}

/* Adds the ids of the array at @member to @ids; each must be new there
 * when @once. */
static void
collect_ids (JsonNode   *root,
             const char *member,
             GHashTable *ids,
             gboolean    once)
{
  JsonArray *array = json_object_get_array_member (json_node_get_object (root), member);

  g_assert_nonnull (array);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (array, i), "id");
      gboolean added = g_hash_table_add (ids, g_strdup (id));

      if (once)
        g_assert_true (added);
    }
}

static void
test_customer_export (void)
{
  const char *members[] = { "metered_services", "service_points", "device_locations",
                            "devices", "subscriptions" };
  const guint expected[] = { 50, 50, 48, 31, 9 };
  g_autoptr(GHashTable) customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTable *related[G_N_ELEMENTS (members)];
  g_autofree char *next = NULL;
  guint pages = 0;
  gboolean found_ms3 = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    related[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  do
    {
      g_autofree char *path = g_strdup_printf ("/v1/export/customers?limit=7%s%s",
                                               next != NULL ? "&after=" : "", next != NULL ? next : "");
      g_autoptr(Reply) page = get (path, pages % 2 == 0 ? clerk : supervisor);
      g_autoptr(GHashTable) on_page = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      JsonObject *object;
      JsonArray *services;

      assert_status (page, 200);
      object = json_node_get_object (page->json);
      g_assert_cmpint (jint (page->json, "$.total"), ==, 48);
      g_assert_cmpuint (jlen (page->json, "$.customers"), ==, pages < 6 ? 7 : 6);
      collect_ids (page->json, "customers", on_page, TRUE);
      collect_ids (page->json, "customers", customers, TRUE);
      for (guint i = 0; i < G_N_ELEMENTS (members); i++)
        collect_ids (page->json, members[i], related[i], FALSE);

      /* A page's metered services and subscriptions are its customers'. */
      services = json_object_get_array_member (object, "metered_services");
      for (guint i = 0; i < json_array_get_length (services); i++)
        {
          JsonObject *service = json_array_get_object_element (services, i);

          g_assert_true (g_hash_table_contains (on_page, json_object_get_string_member (service, "customer_id")));
          if (g_strcmp0 (json_object_get_string_member (service, "id"), "ms-0003") == 0)
            {
              g_assert_true (g_hash_table_contains (on_page, "cust-0003"));
              found_ms3 = TRUE;
            }
        }

      g_clear_pointer (&next, g_free);
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (object, "next")))
        next = g_strdup (json_object_get_string_member (object, "next"));
      pages++;
      g_assert_cmpuint (pages, <=, 7);
    }
  while (next != NULL);

  g_assert_cmpuint (pages, ==, 7);
  g_assert_cmpuint (g_hash_table_size (customers), ==, 48);
  g_assert_true (found_ms3);
  g_assert_true (g_hash_table_contains (related[1], "sp-0003"));
  g_assert_true (g_hash_table_contains (related[4], "sub-0001"));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_assert_cmpuint (g_hash_table_size (related[i]), ==, expected[i]);
      g_hash_table_unref (related[i]);
    }

  {
    g_autoptr(Reply) whole = get ("/v1/export/customers?limit=500", clerk);
    g_autoptr(Reply) past_end = get ("/v1/export/customers?after=100000", clerk);
    g_autoptr(Reply) bad_cursor = get ("/v1/export/customers?after=abc", clerk);
    g_autoptr(Reply) negative = get ("/v1/export/customers?after=-1", clerk);
    g_autoptr(Reply) zero_limit = get ("/v1/export/customers?limit=0", clerk);
    g_autoptr(Reply) big_limit = get ("/v1/export/customers?limit=501", clerk);
    g_autoptr(Reply) anonymous = get ("/v1/export/customers", NULL);

    assert_status (whole, 200);
    g_assert_cmpuint (jlen (whole->json, "$.customers"), ==, 48);
    g_assert_cmpuint (jlen (whole->json, "$.metered_services"), ==, 50);
    g_assert_cmpuint (jlen (whole->json, "$.devices"), ==, 31);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_node_get_object (whole->json), "next")));
    assert_status (past_end, 200);
    g_assert_cmpuint (jlen (past_end->json, "$.customers"), ==, 0);
    g_assert_cmpuint (jlen (past_end->json, "$.service_points"), ==, 0);
    assert_problem (bad_cursor, 400, PROBLEM ("invalid-parameter"));
    assert_problem (negative, 400, PROBLEM ("invalid-parameter"));
    assert_problem (zero_limit, 400, PROBLEM ("invalid-parameter"));
    assert_problem (big_limit, 400, PROBLEM ("invalid-parameter"));
    g_assert_cmpuint (anonymous->status, ==, 401);
  }
}

static void
test_calendar (void)
{
  g_autofree char *from = date_from_today (1);
  g_autofree char *to = date_from_today (7);
  g_autofree char *shifts_path = g_strdup_printf ("/v1/crew-shifts?from=%s&days=7", from);
  g_autofree char *crew_path = g_strdup_printf ("/v1/crew-shifts?from=%s&days=7&crew=crew-north-day-a", from);
  g_autofree char *booked_path = g_strdup_printf ("/v1/appointments?from=%s&days=7&status=booked", from);
  g_autofree char *other_path = g_strdup_printf ("/v1/appointments?from=%s&status=canceled", from);
  g_autofree char *no_crew = g_strdup_printf ("/v1/crew-shifts?from=%s&crew=crew-none", from);
  g_autoptr(Reply) shifts = get (shifts_path, clerk);
  g_autoptr(Reply) crew = get (crew_path, supervisor);
  g_autoptr(Reply) booked = get (booked_path, clerk);
  g_autoptr(Reply) other = get (other_path, clerk);
  g_autoptr(Reply) missing_crew = get (no_crew, clerk);
  g_autoptr(Reply) no_from = get ("/v1/crew-shifts?days=3", clerk);
  g_autoptr(Reply) bad_days = get ("/v1/appointments?from=2030-01-01&days=0", clerk);
  JsonArray *items;

  assert_status (shifts, 200);
  items = json_object_get_array_member (json_node_get_object (shifts->json), "items");
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *date = json_object_get_string_member (json_array_get_object_element (items, i), "date");

      g_assert_cmpstr (date, >=, from);
      g_assert_cmpstr (date, <=, to);
    }

  assert_status (crew, 200);
  g_assert_cmpuint (jlen (crew->json, "$.items"), >, 0);
  g_assert_cmpuint (jlen (crew->json, "$.items"), <=, 7);
  g_assert_cmpuint (jlen (crew->json, "$.items"), <, jlen (shifts->json, "$.items"));
  {
    g_autofree char *crew_id = jstr (crew->json, "$.items[0].crew_id");

    g_assert_cmpstr (crew_id, ==, "crew-north-day-a");
  }

  assert_status (booked, 200);
  items = json_object_get_array_member (json_node_get_object (booked->json), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i), "status"),
                     ==, "booked");

  assert_problem (other, 400, PROBLEM ("invalid-parameter"));
  assert_problem (missing_crew, 400, PROBLEM ("invalid-parameter"));
  assert_problem (no_from, 400, PROBLEM ("invalid-parameter"));
  assert_problem (bad_days, 400, PROBLEM ("invalid-parameter"));
}

static void
test_eligible_programs (void)
{
  g_autoptr(Reply) reply = get ("/v1/customers/cust-0001/eligible-programs", clerk);
  g_autoptr(Reply) missing = get ("/v1/customers/cust-none/eligible-programs", clerk);
  g_autoptr(Reply) bad_service = get ("/v1/customers/cust-0001/eligible-programs?metered_service_id=ms-0002", clerk);
  g_autoptr(JsonNode) checkup = NULL;
  g_autoptr(JsonNode) control = NULL;
  g_autofree char *reason = NULL;

  assert_status (reply, 200);
  g_assert_cmpuint (jlen (reply->json, "$.items"), ==, 9);
  control = find_item (reply->json, "$.items", "program_id", "prog-cg");
  g_assert_nonnull (control);
  g_assert_true (jbool (control, "$.eligible"));
  checkup = find_item (reply->json, "$.items", "program_id", "prog-checkup");
  g_assert_nonnull (checkup);
  g_assert_false (jbool (checkup, "$.eligible"));
  reason = jstr (checkup, "$.reasons[0].code");
  g_assert_cmpstr (reason, ==, "division-not-served");

  assert_problem (missing, 404, PROBLEM ("not-found"));
  assert_problem (bad_service, 400, PROBLEM ("invalid-parameter"));
}

static void
test_reference_data (void)
{
  g_autoptr(Reply) programs = get ("/v1/programs", clerk);
  g_autoptr(Reply) program = get ("/v1/programs/" TSTAT, clerk);
  g_autoptr(Reply) codes = get ("/v1/code-values", clerk);
  g_autoptr(Reply) crews = get ("/v1/crews", clerk);
  g_autoptr(Reply) day_crews = get ("/v1/crews?shift_type_id=shift-day", clerk);
  g_autoptr(Reply) shift_types = get ("/v1/crew-shift-types", clerk);
  g_autoptr(Reply) activities = get ("/v1/activity-types", clerk);
  g_autoptr(Reply) task_types = get ("/v1/service-task-types", clerk);
  g_autoptr(Reply) methods = get ("/v1/action-methods", clerk);
  g_autofree char *type_code = NULL;
  g_autofree char *initiative = NULL;

  assert_status (programs, 200);
  g_assert_cmpuint (jlen (programs->json, "$.items"), ==, 9);
  g_assert_cmpuint (jlen (programs->json, "$.program_types"), ==, 5);
  g_assert_cmpuint (jlen (programs->json, "$.initiatives"), ==, 5);
  assert_status (program, 200);
  g_assert_cmpuint (jlen (program->json, "$.program.questions"), ==, 5);
  type_code = jstr (program->json, "$.program_type.code");
  g_assert_cmpstr (type_code, ==, "DEVICE-CONTROL");
  initiative = jstr (program->json, "$.initiative.id");
  g_assert_cmpstr (initiative, ==, "init-tstat");
  g_assert_cmpuint (jlen (codes->json, "$.items"), ==, 12);
  g_assert_cmpuint (jlen (crews->json, "$.items"), ==, 6);
  g_assert_cmpuint (jlen (day_crews->json, "$.items"), ==, 4);
  g_assert_cmpuint (jlen (shift_types->json, "$.items"), ==, 2);
  g_assert_cmpuint (jlen (activities->json, "$.items"), ==, 8);
  g_assert_cmpuint (jlen (task_types->json, "$.items"), ==, 9);
  g_assert_cmpuint (jlen (methods->json, "$.items"), ==, 3);
}

static void
test_appointment_slots (void)
{
  g_autofree char *date = date_from_today (1);
  g_autofree char *path = g_strdup_printf ("/v1/appointment-slots?activity_type=act-install-tstat"
                                           "&crew_shift_type=shift-day&crew=crew-north-day-a&date=%s&days=7",
                                           date);
  g_autofree char *wrong_craft = g_strdup_printf ("/v1/appointment-slots?activity_type=act-install-battery"
                                                  "&crew=crew-north-day-a&date=%s&days=7", date);
  g_autoptr(Reply) slots = get (path, clerk);
  g_autoptr(Reply) none = get (wrong_craft, clerk);
  g_autoptr(Reply) no_activity = get ("/v1/appointment-slots?date=2030-01-01", clerk);
  g_autoptr(Reply) bad_date = get ("/v1/appointment-slots?activity_type=act-install-tstat&date=2030-02-30", clerk);
  g_autoptr(Reply) bad_days = get ("/v1/appointment-slots?activity_type=act-install-tstat&date=2030-01-01&days=0", clerk);
  g_autoptr(Reply) unknown = get ("/v1/appointment-slots?activity_type=act-none&date=2030-01-01", clerk);
  g_autofree char *crew = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autoptr(GDateTime) start_time = NULL;
  g_autoptr(GDateTime) end_time = NULL;

  assert_status (slots, 200);
  g_assert_cmpuint (jlen (slots->json, "$.items"), >, 0);
  crew = jstr (slots->json, "$.items[0].crew_id");
  g_assert_cmpstr (crew, ==, "crew-north-day-a");
  start = jstr (slots->json, "$.items[0].start");
  end = jstr (slots->json, "$.items[0].end");
  start_time = g_date_time_new_from_iso8601 (start, NULL);
  end_time = g_date_time_new_from_iso8601 (end, NULL);
  g_assert_cmpint (g_date_time_difference (end_time, start_time), ==, 90 * G_TIME_SPAN_MINUTE);

  assert_status (none, 200);
  g_assert_cmpuint (jlen (none->json, "$.items"), ==, 0);
  assert_problem (no_activity, 400, PROBLEM ("invalid-parameter"));
  assert_problem (bad_date, 400, PROBLEM ("invalid-parameter"));
  assert_problem (bad_days, 400, PROBLEM ("invalid-parameter"));
  assert_problem (unknown, 400, PROBLEM ("invalid-parameter"));
}

static void
test_idempotency (void)
{
  const char *customer = take_customer ();
  g_autofree char *body = g_strdup_printf ("{\"kind\":\"enrollment\",\"program_id\":\"" TSTAT "\","
                                           "\"customer_id\":\"%s\"}", customer);
  g_autofree char *other = g_strdup_printf ("{\"kind\":\"enrollment\",\"program_id\":\"prog-cg\","
                                            "\"customer_id\":\"%s\"}", customer);
  g_autofree char *view_path = g_strdup_printf ("/v1/customers/%s", customer);
  g_autoptr(Reply) first = call (main_server, "POST", "/v1/service-tasks", clerk, body,
                                 "Idempotency-Key", "create-once", NULL);
  g_autoptr(Reply) again = call (main_server, "POST", "/v1/service-tasks", clerk, body,
                                 "Idempotency-Key", "create-once", NULL);
  g_autoptr(Reply) reused = call (main_server, "POST", "/v1/service-tasks", clerk, other,
                                  "Idempotency-Key", "create-once", NULL);
  g_autoptr(Reply) other_user = call (main_server, "POST", "/v1/service-tasks", alex, body,
                                      "Idempotency-Key", "create-once", NULL);
  g_autoptr(Reply) no_key = call (main_server, "POST", "/v1/service-tasks", clerk, body, NULL);
  g_autoptr(Reply) bad_key = call (main_server, "POST", "/v1/service-tasks", clerk, body,
                                   "Idempotency-Key", "has space", NULL);
  g_autoptr(Reply) view = get (view_path, supervisor);

  assert_status (first, 201);
  assert_status (again, 201);
  g_assert_true (g_bytes_equal (first->body, again->body));
  g_assert_cmpstr (soup_message_headers_get_one (again->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpstr (soup_message_headers_get_one (again->headers, "ETag"), ==, "\"1\"");
  g_assert_cmpstr (soup_message_headers_get_one (again->headers, "Location"), ==,
                   soup_message_headers_get_one (first->headers, "Location"));
  assert_problem (reused, 422, PROBLEM ("idempotency-key-reused"));
  /* Keys are per user: another clerk's same key is a new request, and a
   * second enrollment of the customer in the program is a conflict. */
  assert_problem (other_user, 409, PROBLEM ("duplicate-enrollment"));
  assert_problem (no_key, 400, PROBLEM ("idempotency-key-required"));
  assert_problem (bad_key, 400, PROBLEM ("invalid-idempotency-key"));

  g_assert_cmpuint (jlen (view->json, "$.service_tasks"), ==, 1);
}

static Reply *
post_enrollment (const char *customer,
                 const char *program,
                 const char *key)
{
  g_autofree char *body = g_strdup_printf ("{\"kind\":\"enrollment\",\"program_id\":\"%s\","
                                           "\"customer_id\":\"%s\"}", program, customer);

  return call (main_server, "POST", "/v1/service-tasks", clerk, body, "Idempotency-Key", key, NULL);
}

static void
assert_detail_has (Reply      *reply,
                   const char *text)
{
  g_autofree char *detail = jstr (reply->json, "$.detail");

  if (strstr (detail, text) == NULL)
    g_error ("“%s” does not say “%s”", detail, text);
}

/* Exclusions between programs and the premise limit: the service refuses
 * the enrollment with a 409 naming the program, stores nothing, and says
 * the same in the eligible programs. */
static void
test_exclusions (void)
{
  g_autoptr(Reply) water_heater = post_enrollment ("cust-0030", "prog-hpwh", "excl-1");
  g_autoptr(Reply) by_type = post_enrollment ("cust-0012", "prog-tou", "excl-2");
  g_autoptr(Reply) household = post_enrollment ("cust-0013", "prog-checkup", "excl-3");
  g_autoptr(Reply) allowed = post_enrollment ("cust-0027", "prog-hpwh", "excl-4");
  g_autoptr(Reply) in_progress = post_enrollment ("cust-0027", "prog-wh", "excl-5");
  g_autoptr(Reply) again = post_enrollment ("cust-0030", "prog-hpwh", "excl-1");
  g_autoptr(Reply) view = get ("/v1/customers/cust-0030", supervisor);
  g_autoptr(Reply) eligible = get ("/v1/customers/cust-0030/eligible-programs", clerk);
  g_autoptr(Reply) neighbour = get ("/v1/customers/cust-0013/eligible-programs", clerk);
  g_autoptr(JsonNode) heat_pump = NULL;
  g_autoptr(JsonNode) checkup = NULL;
  g_autoptr(JsonNode) excluded = NULL;
  g_autofree char *text = NULL;
  g_autofree char *limit = NULL;

  assert_problem (water_heater, 409, PROBLEM ("excluded-enrollment"));
  assert_detail_has (water_heater, "already enrolled in Water Heater Load Control, which controls the same water heater");
  assert_problem (by_type, 409, PROBLEM ("excluded-enrollment"));
  assert_detail_has (by_type, "Home Battery & Solar Registration, which cannot be combined with Time-of-Use Pilot");
  assert_problem (household, 409, PROBLEM ("premise-limit-reached"));
  assert_detail_has (household, "Home Energy Checkup is limited to one enrollment per household");
  assert_status (allowed, 201);
  /* An enrollment in progress excludes too, both ways. */
  assert_problem (in_progress, 409, PROBLEM ("excluded-enrollment"));
  assert_detail_has (in_progress, "already enrolling in Heat Pump Water Heater Rewards");
  /* A refused write leaves no trace: the same key is evaluated afresh. */
  assert_problem (again, 409, PROBLEM ("excluded-enrollment"));

  assert_status (view, 200);
  g_assert_cmpuint (jlen (view->json, "$.service_tasks"), ==, 0);

  assert_status (eligible, 200);
  heat_pump = find_item (eligible->json, "$.items", "program_id", "prog-hpwh");
  g_assert_nonnull (heat_pump);
  g_assert_false (jbool (heat_pump, "$.eligible"));
  /* Besides: her water heater is in the other program, so none is free. */
  excluded = find_item (heat_pump, "$.reasons", "code", "excluded-program");
  g_assert_nonnull (excluded);
  text = jstr (excluded, "$.text");
  g_assert_cmpstr (text, ==, "The customer is already enrolled in Water Heater Load Control, which controls the same water heater");

  assert_status (neighbour, 200);
  checkup = find_item (neighbour->json, "$.items", "program_id", "prog-checkup");
  g_assert_nonnull (checkup);
  g_assert_false (jbool (checkup, "$.eligible"));
  limit = jstr (checkup, "$.reasons[0].code");
  g_assert_cmpstr (limit, ==, "premise-limit");
}

static char *
etag_of (Reply *reply)
{
  return g_strdup (soup_message_headers_get_one (reply->headers, "ETag"));
}

/* Consent on record: a DER registration (its type requires consent) goes
 * to Error on Finish without one; with one it finishes, the consent is
 * kept with the task, recorded by the clerk whose session sent it (not
 * whom the body names), and lands once in the consents on record. */
static void
test_consent (void)
{
  g_autofree char *start = date_from_today (10);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  g_autofree char *given_at = g_date_time_format_iso8601 (hour_ago);
  const char *create = "{\"kind\":\"enrollment\",\"program_id\":\"prog-der\","
                       "\"customer_id\":\"cust-0002\",\"metered_service_id\":\"ms-0002\"}";
  g_autofree char *panels = g_strdup_printf ("{\"kind\":\"enrollment\",\"program_id\":\"prog-der\","
                                             "\"customer_id\":\"cust-0002\",\"metered_service_id\":\"ms-0002\","
                                             "\"service_point_id\":\"sp-0002\",\"device_location_id\":\"loc-0002\","
                                             "\"start_date\":\"%s\",\"installation_method\":\"re-enroll\","
                                             "\"ownership\":\"customer-owned\",\"device_ids\":[\"dev-0001\"],"
                                             "\"answers\":[{\"question_id\":\"q-der-permit\",\"values\":[\"yes\"]}]",
                                             start);
  g_autofree char *without = g_strconcat (panels, "}", NULL);
  g_autofree char *with = g_strdup_printf ("%s,\"consent\":{\"method\":\"phone\",\"given_at\":\"%s\","
                                           "\"terms_version\":\"DER-2025.9\",\"recorded_by\":\"someone-else\"}}",
                                           panels, given_at);
  g_autoptr(Reply) created = write_json ("POST", "/v1/service-tasks", clerk, create, NULL);
  g_autofree char *id = jstr (created->json, "$.id");
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s", id);
  g_autofree char *finish_path = g_strdup_printf ("/v1/service-tasks/%s/finish", id);
  g_autofree char *etag = etag_of (created);
  g_autoptr(Reply) saved = NULL;
  g_autoptr(Reply) refused = NULL;
  g_autoptr(Reply) corrected = NULL;
  g_autoptr(Reply) finished = NULL;
  g_autoptr(Reply) consents = NULL;
  g_autoptr(Reply) none = NULL;
  g_autoptr(Reply) missing = NULL;
  g_autofree char *status = NULL;
  g_autofree char *reasons = NULL;
  g_autofree char *recorded_by = NULL;
  g_autofree char *method = NULL;
  g_autofree char *record_task = NULL;
  g_autofree char *record_terms = NULL;
  g_autofree char *record_by = NULL;

  assert_status (created, 201);

  saved = write_json ("PUT", path, clerk, without, etag);
  assert_status (saved, 200);
  g_free (etag);
  etag = etag_of (saved);

  refused = write_json ("POST", finish_path, clerk, "{}", etag);
  assert_status (refused, 200);
  status = jstr (refused->json, "$.status");
  g_assert_cmpstr (status, ==, "error");
  reasons = jstr (refused->json, "$.reasons[0]");
  g_assert_cmpstr (reasons, ==, "Consent is required: record how the customer agreed to the program’s terms");
  g_free (etag);
  etag = etag_of (refused);

  corrected = write_json ("PUT", path, clerk, with, etag);
  assert_status (corrected, 200);
  recorded_by = jstr (corrected->json, "$.consent.recorded_by");
  g_assert_cmpstr (recorded_by, ==, "clerk");
  g_free (etag);
  etag = etag_of (corrected);

  finished = write_json ("POST", finish_path, clerk, "{}", etag);
  assert_status (finished, 200);
  g_free (status);
  status = jstr (finished->json, "$.status");
  g_assert_cmpstr (status, ==, "completed");
  method = jstr (finished->json, "$.consent.method");
  g_assert_cmpstr (method, ==, "phone");

  consents = get ("/v1/customers/cust-0002/consents", supervisor);
  assert_status (consents, 200);
  g_assert_cmpuint (jlen (consents->json, "$.items"), ==, 1);
  record_task = jstr (consents->json, "$.items[0].service_task_id");
  record_terms = jstr (consents->json, "$.items[0].consent.terms_version");
  record_by = jstr (consents->json, "$.items[0].consent.recorded_by");
  g_assert_cmpstr (record_task, ==, id);
  g_assert_cmpstr (record_terms, ==, "DER-2025.9");
  g_assert_cmpstr (record_by, ==, "clerk");

  none = get ("/v1/customers/cust-0001/consents", clerk);
  assert_status (none, 200);
  g_assert_cmpuint (jlen (none->json, "$.items"), ==, 0);
  missing = get ("/v1/customers/cust-none/consents", clerk);
  assert_problem (missing, 404, PROBLEM ("not-found"));
}

static void
test_task_lifecycle (void)
{
  g_autoptr(JsonNode) slot = find_slot (0);
  g_autoptr(Task) task = create_task (clerk, take_customer ());
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s", task->id);
  g_autoptr(Reply) current = get (path, clerk);
  g_autofree char *body = complete_panels (task, current->json, slot);
  g_autoptr(Reply) no_match = call (main_server, "PUT", path, clerk, body,
                                    "Idempotency-Key", "put-no-match", NULL);
  g_autoptr(Reply) stale = write_json ("PUT", path, clerk, body, "\"7\"");
  g_autoptr(Reply) saved = write_json ("PUT", path, clerk, body, "\"1\"");
  g_autoptr(Reply) stale_again = write_json ("PUT", path, clerk, body, "\"1\"");
  g_autoptr(Reply) finished = NULL;
  g_autoptr(Reply) view = NULL;
  g_autoptr(Reply) communications = NULL;
  g_autoptr(Reply) by_clerk = NULL;
  g_autoptr(Reply) by_supervisor = NULL;
  g_autoptr(Reply) late_cancel = NULL;
  g_autoptr(Reply) late_edit = NULL;
  g_autoptr(Reply) read_back = NULL;
  g_autoptr(Reply) slots_after = NULL;
  g_autofree char *view_path = g_strdup_printf ("/v1/customers/%s", task->customer_id);
  g_autofree char *communications_path = g_strdup_printf ("/v1/customers/%s/communications",
                                                          task->customer_id);
  g_autofree char *status = NULL;
  g_autofree char *current_version = NULL;
  g_autofree char *subscription_status = NULL;
  g_autofree char *appointment_status = NULL;
  g_autofree char *class = NULL;
  g_autofree char *slot_start = jstr (slot, "$.start");
  g_autofree char *subscription_id = NULL;

  assert_problem (no_match, 428, PROBLEM ("precondition-required"));
  assert_problem (stale, 412, PROBLEM ("precondition-failed"));
  g_assert_cmpint (jint (stale->json, "$.current.version"), ==, 1);
  g_assert_cmpstr (soup_message_headers_get_one (stale->headers, "ETag"), ==, "\"1\"");
  assert_status (saved, 200);
  g_assert_cmpstr (soup_message_headers_get_one (saved->headers, "ETag"), ==, "\"2\"");
  assert_problem (stale_again, 412, PROBLEM ("precondition-failed"));
  current_version = g_strdup_printf ("%" G_GINT64_FORMAT, jint (stale_again->json, "$.current.version"));
  g_assert_cmpstr (current_version, ==, "2");

  g_free (task->etag);
  task->etag = g_strdup ("\"2\"");
  finished = task_action (task, clerk, "finish", "{}");
  assert_status (finished, 200);
  status = jstr (finished->json, "$.status");
  g_assert_cmpstr (status, ==, "in-progress");
  appointment_status = jstr (finished->json, "$.appointments[0].status");
  g_assert_cmpstr (appointment_status, ==, "booked");
  g_assert_cmpuint (jlen (finished->json, "$.history"), ==, 3);
  subscription_id = jstr (finished->json, "$.subscription_id");
  g_assert_nonnull (subscription_id);

  view = get (view_path, clerk);
  subscription_status = jstr (view->json, "$.subscriptions[0].status");
  g_assert_cmpstr (subscription_status, ==, "pending");
  g_assert_cmpuint (jlen (view->json, "$.devices"), >=, 1);

  communications = get (communications_path, clerk);
  assert_status (communications, 200);
  g_assert_cmpuint (jlen (communications->json, "$.items"), ==, 1);
  class = jstr (communications->json, "$.items[0].class");
  g_assert_cmpstr (class, ==, "enrollment");

  /* The booked slot is no longer offered. */
  {
    g_autofree char *date = date_from_today (1);
    g_autofree char *slots_path = g_strdup_printf ("/v1/appointment-slots?activity_type=act-install-tstat"
                                                   "&date=%s&days=14", date);
    g_autofree char *first_start = NULL;
    g_autofree char *first_crew = NULL;
    g_autofree char *slot_crew = jstr (slot, "$.crew_id");

    slots_after = get (slots_path, clerk);
    first_start = jstr (slots_after->json, "$.items[0].start");
    first_crew = jstr (slots_after->json, "$.items[0].crew_id");
    g_assert_false (g_strcmp0 (first_start, slot_start) == 0 && g_strcmp0 (first_crew, slot_crew) == 0);
  }

  late_edit = write_json ("PUT", path, clerk, body, task->etag);
  assert_problem (late_edit, 409, PROBLEM ("task-state-conflict"));

  by_clerk = task_action (task, clerk, "complete-field-work", NULL);
  assert_problem (by_clerk, 403, PROBLEM ("forbidden"));
  by_supervisor = task_action (task, supervisor, "complete-field-work", NULL);
  assert_status (by_supervisor, 200);
  g_clear_pointer (&status, g_free);
  status = jstr (by_supervisor->json, "$.status");
  g_assert_cmpstr (status, ==, "completed");

  g_clear_pointer (&view, reply_free);
  g_clear_pointer (&subscription_status, g_free);
  view = get (view_path, clerk);
  subscription_status = jstr (view->json, "$.subscriptions[0].status");
  g_assert_cmpstr (subscription_status, ==, "active");
  g_assert_cmpuint (jlen (view->json, "$.service_tasks"), ==, 0);

  late_cancel = task_action (task, clerk, "cancel", "{\"reason\":\"too late\"}");
  assert_problem (late_cancel, 409, PROBLEM ("task-state-conflict"));

  read_back = get (path, clerk);
  assert_status (read_back, 200);
  g_assert_cmpstr (soup_message_headers_get_one (read_back->headers, "ETag"), ==, task->etag);
  g_assert_cmpuint (jlen (read_back->json, "$.history"), ==, 4);
}

static void
test_finish_error (void)
{
  g_autoptr(Task) task = create_task (clerk, take_customer ());
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s", task->id);
  g_autoptr(Reply) finished = task_action (task, clerk, "finish", NULL);
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) current = NULL;
  g_autoptr(Reply) corrected = NULL;
  g_autofree char *status = jstr (finished->json, "$.status");
  g_autofree char *body = NULL;
  g_autofree char *status_after = NULL;

  assert_status (finished, 200);
  g_assert_cmpstr (status, ==, "error");
  g_assert_cmpuint (jlen (finished->json, "$.reasons"), >=, 2);

  again = task_action (task, clerk, "finish", NULL);
  assert_problem (again, 409, PROBLEM ("task-state-conflict"));

  current = get (path, clerk);
  body = node_to_string (current->json);
  corrected = write_json ("PUT", path, clerk, body, task->etag);
  assert_status (corrected, 200);
  status_after = jstr (corrected->json, "$.status");
  g_assert_cmpstr (status_after, ==, "pending");
  g_assert_cmpuint (jlen (corrected->json, "$.reasons"), ==, 0);
}

static void
test_invalid_task (void)
{
  g_autoptr(Task) task = create_task (clerk, take_customer ());
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s", task->id);
  g_autoptr(Reply) current = get (path, clerk);
  JsonObject *object = json_node_get_object (current->json);
  JsonArray *answers = json_array_new ();
  JsonObject *answer = json_object_new ();
  g_autoptr(Reply) invalid = NULL;
  g_autoptr(Reply) unknown_customer = NULL;
  g_autoptr(Reply) unknown_program = NULL;
  g_autoptr(Reply) duplicate = NULL;
  g_autoptr(Reply) taken_id = NULL;
  g_autofree char *body = NULL;
  g_autofree char *duplicate_body = NULL;
  g_autofree char *taken_body = NULL;
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n;

  json_object_set_string_member (answer, "question_id", "q-not-asked");
  json_array_add_object_element (answers, answer);
  json_object_set_array_member (object, "answers", answers);
  json_object_set_string_member (object, "metered_service_id", "ms-not-theirs");
  json_object_set_string_member (object, "stop_date", "2030-01-01");
  json_object_set_string_member (object, "removal_method", "keep");
  body = node_to_string (current->json);

  invalid = write_json ("PUT", path, clerk, body, task->etag);
  assert_problem (invalid, 422, PROBLEM ("validation-failed"));
  n = jlen (invalid->json, "$.errors");
  g_assert_cmpuint (n, ==, 4);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *expression = g_strdup_printf ("$.errors[%u].field", i);

      g_hash_table_add (fields, jstr (invalid->json, expression));
    }
  g_assert_true (g_hash_table_contains (fields, "answer:q-not-asked"));
  g_assert_true (g_hash_table_contains (fields, "metered-service-id"));
  g_assert_true (g_hash_table_contains (fields, "stop-date"));
  g_assert_true (g_hash_table_contains (fields, "removal-method"));

  unknown_customer = write_json ("POST", "/v1/service-tasks", clerk,
                                 "{\"kind\":\"enrollment\",\"program_id\":\"prog-none\",\"customer_id\":\"cust-none\"}",
                                 NULL);
  assert_problem (unknown_customer, 422, PROBLEM ("validation-failed"));
  g_assert_cmpuint (jlen (unknown_customer->json, "$.errors"), ==, 2);

  unknown_program = write_json ("POST", "/v1/service-tasks", clerk,
                                "{\"kind\":\"unenrollment\",\"program_id\":\"" TSTAT "\",\"customer_id\":\"cust-0001\"}",
                                NULL);
  assert_problem (unknown_program, 422, PROBLEM ("validation-failed"));

  duplicate_body = g_strdup_printf ("{\"kind\":\"enrollment\",\"program_id\":\"" TSTAT "\",\"customer_id\":\"%s\"}",
                                    task->customer_id);
  duplicate = write_json ("POST", "/v1/service-tasks", alex, duplicate_body, NULL);
  assert_problem (duplicate, 409, PROBLEM ("duplicate-enrollment"));

  taken_body = g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"enrollment\",\"program_id\":\"prog-cg\","
                                "\"customer_id\":\"%s\"}", task->id, task->customer_id);
  taken_id = write_json ("POST", "/v1/service-tasks", clerk, taken_body, NULL);
  assert_problem (taken_id, 409, PROBLEM ("already-exists"));
}

static void
test_cancel (void)
{
  g_autoptr(JsonNode) slot = find_slot (1);
  g_autoptr(Task) task = ready_task (clerk, slot);
  g_autoptr(Reply) finished = task_action (task, clerk, "finish", "");
  g_autoptr(Reply) canceled = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) communications = NULL;
  g_autoptr(Reply) bad_reason = NULL;
  g_autofree char *communications_path = g_strdup_printf ("/v1/customers/%s/communications",
                                                          task->customer_id);
  g_autofree char *status = NULL;
  g_autofree char *appointment = NULL;
  g_autofree char *class = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(JsonNode) last = NULL;

  assert_status (finished, 200);

  bad_reason = task_action (task, clerk, "cancel", "{\"reason\":42}");
  assert_problem (bad_reason, 422, PROBLEM ("validation-failed"));

  canceled = task_action (task, clerk, "cancel", "{\"reason\":\"Customer changed their mind\"}");
  assert_status (canceled, 200);
  status = jstr (canceled->json, "$.status");
  g_assert_cmpstr (status, ==, "canceled");
  appointment = jstr (canceled->json, "$.appointments[0].status");
  g_assert_cmpstr (appointment, ==, "released");
  last = last_item (canceled->json, "$.history");
  reason = jstr (last, "$.reason");
  g_assert_cmpstr (reason, ==, "Customer changed their mind");

  communications = get (communications_path, clerk);
  g_assert_cmpuint (jlen (communications->json, "$.items"), ==, 2);
  class = jstr (communications->json, "$.items[0].class");
  g_assert_cmpstr (class, ==, "cancellation");
  notes = jstr (communications->json, "$.items[0].notes");
  g_assert_true (strstr (notes, "Customer changed their mind") != NULL);

  again = task_action (task, clerk, "cancel", NULL);
  assert_problem (again, 409, PROBLEM ("task-state-conflict"));

  /* The released slot is offered again. */
  {
    g_autoptr(JsonNode) free_again = find_slot (1);
    g_autofree char *expected = jstr (slot, "$.start");
    g_autofree char *actual = jstr (free_again, "$.start");

    g_assert_cmpstr (actual, ==, expected);
  }
}

typedef struct
{
  Reply *reply;
  SoupMessage *msg;
} Pending;

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;
  GBytes *bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  g_assert_no_error (error);
  pending->reply = finish_reply (pending->msg, bytes);
}

static SoupMessage *
finish_message (Task       *task,
                const char *token)
{
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s/finish", task->id);
  g_autofree char *key = g_uuid_string_random ();
  SoupMessage *msg = new_message (main_server, "POST", path, token, "{}");

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", task->etag);

  return msg;
}

/* Two clerks book the same last free slot at once: one wins. */
static void
test_last_slot (void)
{
  g_autoptr(JsonNode) slot = find_slot (0);
  g_autoptr(Task) first = ready_task (clerk, slot);
  g_autoptr(Task) second = ready_task (alex, slot);
  Pending a = { NULL, finish_message (first, clerk) };
  Pending b = { NULL, finish_message (second, alex) };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  Reply *winner;
  Reply *loser;
  g_autofree char *loser_path = NULL;
  g_autoptr(Reply) loser_task = NULL;
  g_autofree char *loser_status = NULL;
  g_autofree char *winner_status = NULL;

  soup_session_send_and_read_async (session, a.msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &a);
  soup_session_send_and_read_async (session, b.msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &b);
  while (a.reply == NULL || b.reply == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_true ((a.reply->status == 200 && b.reply->status == 409) ||
                 (a.reply->status == 409 && b.reply->status == 200));
  winner = a.reply->status == 200 ? a.reply : b.reply;
  loser = a.reply->status == 200 ? b.reply : a.reply;
  assert_problem (loser, 409, PROBLEM ("slot-unavailable"));
  winner_status = jstr (winner->json, "$.status");
  g_assert_cmpstr (winner_status, ==, "in-progress");

  /* Nothing of the loser's Finish was kept. */
  loser_path = g_strdup_printf ("/v1/service-tasks/%s", loser == a.reply ? first->id : second->id);
  loser_task = get (loser_path, supervisor);
  loser_status = jstr (loser_task->json, "$.status");
  g_assert_cmpstr (loser_status, ==, "pending");
  g_assert_cmpstr (soup_message_headers_get_one (loser_task->headers, "ETag"), ==, "\"2\"");

  reply_free (a.reply);
  reply_free (b.reply);
  g_object_unref (a.msg);
  g_object_unref (b.msg);
}

static void
test_roles (void)
{
  g_autoptr(Task) task = create_task (clerk, take_customer ());
  g_autofree char *path = g_strdup_printf ("/v1/service-tasks/%s", task->id);
  g_autoptr(Reply) own = get (path, clerk);
  g_autoptr(Reply) other = get (path, alex);
  g_autoptr(Reply) boss = get (path, supervisor);
  g_autoptr(Reply) other_edit = write_json ("PUT", path, alex, "{}", task->etag);
  g_autoptr(Reply) other_cancel = task_action (task, alex, "cancel", NULL);
  g_autoptr(Reply) other_list = get ("/v1/service-tasks?created_by=clerk", alex);
  g_autoptr(Reply) own_list = get ("/v1/service-tasks?status=pending", alex);
  g_autoptr(Reply) all = get ("/v1/service-tasks?created_by=clerk&page_size=100", supervisor);
  g_autoptr(Reply) reschedule = task_action (task, clerk, "reschedule", "{\"appointments\":[]}");
  g_autoptr(Reply) other_view = NULL;
  g_autofree char *view_path = g_strdup_printf ("/v1/customers/%s", task->customer_id);

  assert_status (own, 200);
  assert_problem (other, 403, PROBLEM ("forbidden"));
  assert_status (boss, 200);
  assert_problem (other_edit, 403, PROBLEM ("forbidden"));
  assert_problem (other_cancel, 403, PROBLEM ("forbidden"));
  assert_problem (other_list, 403, PROBLEM ("forbidden"));
  assert_status (own_list, 200);
  for (guint i = 0; i < jlen (own_list->json, "$.items"); i++)
    {
      g_autofree char *expression = g_strdup_printf ("$.items[%u].created_by", i);
      g_autofree char *creator = jstr (own_list->json, expression);

      g_assert_cmpstr (creator, ==, "alex");
    }
  assert_status (all, 200);
  g_assert_cmpuint (jlen (all->json, "$.items"), >=, 1);
  assert_problem (reschedule, 403, PROBLEM ("forbidden"));

  /* Any customer, but not another clerk's flows. */
  other_view = get (view_path, alex);
  assert_status (other_view, 200);
  g_assert_cmpuint (jlen (other_view->json, "$.service_tasks"), ==, 0);

  /* Supervisor maintenance: cancel another clerk's flow. */
  {
    g_autoptr(Reply) canceled = task_action (task, supervisor, "cancel", "{\"reason\":\"stuck\"}");

    assert_status (canceled, 200);
  }
}

static void
test_task_list (void)
{
  g_autofree char *today = date_from_today (0);
  g_autofree char *tomorrow = date_from_today (1);
  g_autofree char *from_today = g_strdup_printf ("/v1/service-tasks?created_from=%s&page_size=100", today);
  g_autofree char *from_tomorrow = g_strdup_printf ("/v1/service-tasks?created_from=%s", tomorrow);
  g_autoptr(Reply) mine = get (from_today, clerk);
  g_autoptr(Reply) none = get (from_tomorrow, clerk);
  g_autoptr(Reply) canceled = get ("/v1/service-tasks?status=canceled&kind=enrollment&program=" TSTAT, supervisor);
  g_autoptr(Reply) paged = get ("/v1/service-tasks?page_size=1", supervisor);
  g_autoptr(Reply) bad_status = get ("/v1/service-tasks?status=maybe", clerk);
  g_autoptr(Reply) bad_kind = get ("/v1/service-tasks?kind=maybe", clerk);
  g_autoptr(Reply) bad_date = get ("/v1/service-tasks?created_from=yesterday", clerk);

  assert_status (mine, 200);
  g_assert_cmpuint (jlen (mine->json, "$.items"), >=, 1);
  g_assert_cmpuint (jlen (none->json, "$.items"), ==, 0);
  assert_status (canceled, 200);
  for (guint i = 0; i < jlen (canceled->json, "$.items"); i++)
    {
      g_autofree char *expression = g_strdup_printf ("$.items[%u].status", i);
      g_autofree char *status = jstr (canceled->json, expression);

      g_assert_cmpstr (status, ==, "canceled");
    }
  g_assert_cmpuint (jlen (paged->json, "$.items"), ==, 1);
  g_assert_true (jbool (paged->json, "$.more"));
  assert_problem (bad_status, 400, PROBLEM ("invalid-parameter"));
  assert_problem (bad_kind, 400, PROBLEM ("invalid-parameter"));
  assert_problem (bad_date, 400, PROBLEM ("invalid-parameter"));
}

static void
test_reschedule (void)
{
  g_autoptr(JsonNode) slot = find_slot (0);
  g_autoptr(Task) task = ready_task (clerk, slot);
  g_autoptr(Reply) finished = task_action (task, clerk, "finish", NULL);
  g_autofree char *appointment_id = jstr (finished->json, "$.appointments[0].id");
  g_autoptr(JsonNode) later = find_slot (3);
  g_autoptr(JsonNode) move = appointment_for (later);
  g_autoptr(Reply) moved = NULL;
  g_autoptr(Reply) collision = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autofree char *body = NULL;
  g_autofree char *move_text = NULL;
  g_autofree char *start = NULL;
  g_autofree char *expected = jstr (later, "$.start");
  g_autoptr(Task) other = NULL;
  g_autoptr(JsonNode) taken = NULL;

  assert_status (finished, 200);
  json_object_set_string_member (json_node_get_object (move), "id", appointment_id);
  move_text = json_to_string (move, FALSE);
  body = g_strdup_printf ("{\"appointments\":[%s]}", move_text);

  moved = task_action (task, supervisor, "reschedule", body);
  assert_status (moved, 200);
  start = jstr (moved->json, "$.appointments[0].start");
  g_assert_cmpstr (start, ==, expected);

  /* Another task books the next free slot; moving onto it collides. */
  taken = find_slot (0);
  other = ready_task (clerk, taken);
  {
    g_autoptr(Reply) other_finished = task_action (other, clerk, "finish", NULL);
    g_autoptr(JsonNode) onto = appointment_for (taken);
    g_autofree char *onto_body = NULL;
    g_autofree char *onto_text = NULL;

    assert_status (other_finished, 200);
    json_object_set_string_member (json_node_get_object (onto), "id", appointment_id);
    onto_text = json_to_string (onto, FALSE);
    onto_body = g_strdup_printf ("{\"appointments\":[%s]}", onto_text);
    collision = task_action (task, supervisor, "reschedule", onto_body);
    assert_problem (collision, 409, PROBLEM ("slot-unavailable"));
  }

  wrong = task_action (task, supervisor, "reschedule",
                       "{\"appointments\":[{\"id\":\"nope\",\"activity_type_id\":\"act-install-tstat\","
                       "\"crew_id\":\"crew-north-day-a\",\"crew_shift_id\":\"nope\","
                       "\"start\":\"2030-01-01T08:00:00Z\",\"end\":\"2030-01-01T09:30:00Z\"}]}");
  assert_problem (wrong, 422, PROBLEM ("validation-failed"));
}

static void
test_communications (void)
{
  g_autoptr(Reply) created = write_json ("POST", "/v1/communications", clerk,
                                         "{\"customer_id\":\"cust-0040\",\"channel\":\"email\","
                                         "\"class\":\"inquiry\",\"category\":\"written\","
                                         "\"notes\":\"Asked about rebates\"}", NULL);
  g_autoptr(Reply) invalid = write_json ("POST", "/v1/communications", clerk,
                                         "{\"customer_id\":\"cust-none\",\"channel\":\"pigeon\","
                                         "\"class\":\"inquiry\",\"category\":\"smoke\"}", NULL);
  g_autoptr(Reply) missing = write_json ("POST", "/v1/communications", clerk,
                                         "{\"customer_id\":\"cust-0040\"}", NULL);
  g_autoptr(Reply) list = get ("/v1/customers/cust-0040/communications", alex);
  g_autoptr(Reply) no_customer = get ("/v1/customers/cust-none/communications", alex);
  g_autofree char *notes = NULL;
  g_autofree char *by = NULL;

  assert_status (created, 201);
  by = jstr (created->json, "$.created_by");
  g_assert_cmpstr (by, ==, "clerk");
  g_assert_cmpstr (soup_message_headers_get_one (created->headers, "Location"), ==,
                   "/v1/customers/cust-0040/communications");
  assert_problem (invalid, 422, PROBLEM ("validation-failed"));
  g_assert_cmpuint (jlen (invalid->json, "$.errors"), ==, 3);
  assert_problem (missing, 422, PROBLEM ("validation-failed"));
  assert_status (list, 200);
  g_assert_cmpuint (jlen (list->json, "$.items"), ==, 1);
  notes = jstr (list->json, "$.items[0].notes");
  g_assert_cmpstr (notes, ==, "Asked about rebates");
  assert_problem (no_customer, 404, PROBLEM ("not-found"));
}

static void
test_changes (void)
{
  g_autoptr(Reply) everything = get ("/v1/changes?since=0&limit=1000", supervisor);
  g_autoptr(Reply) first = get ("/v1/changes?since=0&limit=2", supervisor);
  g_autoptr(Reply) clerk_feed = get ("/v1/changes?since=0&limit=1000", alex);
  g_autoptr(Reply) future = get ("/v1/changes?since=999999999", clerk);
  g_autoptr(Reply) bad = get ("/v1/changes?since=-1", clerk);
  g_autoptr(Reply) next = NULL;
  g_autoptr(JsonNode) last = NULL;
  g_autofree char *next_path = NULL;
  gint64 head;
  gint64 cursor;

  assert_status (everything, 200);
  g_assert_cmpuint (jlen (everything->json, "$.changes"), >, 10);
  g_assert_false (jbool (everything->json, "$.more"));
  head = jint (everything->json, "$.cursor");
  last = last_item (everything->json, "$.changes");
  g_assert_cmpint (head, ==, jint (last, "$.cursor"));

  g_assert_cmpuint (jlen (first->json, "$.changes"), ==, 2);
  g_assert_true (jbool (first->json, "$.more"));
  cursor = jint (first->json, "$.cursor");
  g_assert_cmpint (cursor, ==, jint (first->json, "$.changes[1].cursor"));
  next_path = g_strdup_printf ("/v1/changes?since=%" G_GINT64_FORMAT "&limit=1", cursor);
  next = get (next_path, supervisor);
  g_assert_cmpint (jint (next->json, "$.changes[0].cursor"), >, cursor);
  g_assert_nonnull (jnode (next->json, "$.changes[0].data"));

  /* A clerk's feed carries no other clerk's service tasks. */
  assert_status (clerk_feed, 200);
  for (guint i = 0; i < jlen (clerk_feed->json, "$.changes"); i++)
    {
      g_autofree char *type_expression = g_strdup_printf ("$.changes[%u].type", i);
      g_autofree char *creator_expression = g_strdup_printf ("$.changes[%u].data.created_by", i);
      g_autofree char *type = jstr (clerk_feed->json, type_expression);
      g_autofree char *creator = jstr (clerk_feed->json, creator_expression);

      if (g_str_equal (type, "service_task"))
        g_assert_cmpstr (creator, ==, "alex");
    }
  g_assert_cmpint (jint (clerk_feed->json, "$.cursor"), ==, head);

  assert_problem (future, 410, PROBLEM ("cursor-expired"));
  g_assert_cmpint (jint (future->json, "$.cursor"), ==, head);
  assert_problem (bad, 400, PROBLEM ("invalid-parameter"));
}

/* A long poll of the change feed, sent from a thread of its own (with
 * its own session) while the test goes on. */
typedef struct
{
  char        *url;
  char        *token;
  Reply       *reply;     /* NULL when the connection failed */
  GAsyncQueue *done;
  GThread     *thread;
} LongPoll;

static gpointer
long_poll_thread (gpointer data)
{
  LongPoll *poll = data;
  g_autoptr(SoupSession) own = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", poll->url);
  g_autofree char *authorization = g_strconcat ("Bearer ", poll->token, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  bytes = soup_session_send_and_read (own, msg, NULL, &error);
  if (bytes != NULL)
    poll->reply = finish_reply (msg, bytes);
  g_async_queue_push (poll->done, poll);

  return NULL;
}

static LongPoll *
long_poll_start_at (Server     *server,
                    const char *token,
                    gint64      since,
                    guint       wait)
{
  LongPoll *poll = g_new0 (LongPoll, 1);

  poll->url = g_strdup_printf ("%s/v1/changes?since=%" G_GINT64_FORMAT "&wait=%u",
                               server->url, since, wait);
  poll->token = g_strdup (token);
  poll->done = g_async_queue_new ();
  poll->thread = g_thread_new ("long-poll", long_poll_thread, poll);

  return poll;
}

static LongPoll *
long_poll_start (const char *token,
                 gint64      since,
                 guint       wait)
{
  return long_poll_start_at (main_server, token, since, wait);
}

/* Whether it was answered within @ms (an upper bound only: a loaded
 * machine answers later, never sooner). */
static gboolean
long_poll_answered (LongPoll *poll,
                    guint     ms)
{
  if (poll->thread == NULL)
    return TRUE;
  if (g_async_queue_timeout_pop (poll->done, (guint64) ms * 1000) == NULL)
    return FALSE;

  g_thread_join (g_steal_pointer (&poll->thread));
  return TRUE;
}

static Reply *
long_poll_finish (LongPoll *poll)
{
  Reply *reply;

  g_assert_true (long_poll_answered (poll, 60 * 1000));
  reply = g_steal_pointer (&poll->reply);
  g_async_queue_unref (poll->done);
  g_free (poll->url);
  g_free (poll->token);
  g_free (poll);

  return reply;
}

static void
test_changes_wait (void)
{
  g_autoptr(Task) first = create_task (clerk, take_customer ());
  g_autoptr(Reply) now = get ("/v1/changes?since=0&limit=1000", supervisor);
  g_autoptr(Reply) too_long = get ("/v1/changes?since=0&wait=61", supervisor);
  g_autoptr(Reply) news = NULL;
  g_autoptr(Reply) quiet = NULL;
  g_autoptr(Reply) other = NULL;
  g_autoptr(Reply) at_once = NULL;
  g_autoptr(Task) task = NULL;
  g_autoptr(Task) theirs = NULL;
  g_autofree char *at_once_path = NULL;
  g_autofree char *task_path = NULL;
  LongPoll *poll;
  LongPoll *clerk_poll;
  gint64 head;

  assert_problem (too_long, 400, PROBLEM ("invalid-parameter"));
  head = jint (now->json, "$.cursor");

  /* Something new: answered at once, waiting or not. */
  at_once_path = g_strdup_printf ("/v1/changes?since=%" G_GINT64_FORMAT "&wait=30", head - 1);
  at_once = get (at_once_path, supervisor);
  assert_status (at_once, 200);
  g_assert_cmpuint (jlen (at_once->json, "$.changes"), ==, 1);

  /* Nothing new: held until a write commits, then answered with it. */
  poll = long_poll_start (supervisor, head, 30);
  g_assert_false (long_poll_answered (poll, 300));
  task = create_task (clerk, take_customer ());
  news = long_poll_finish (poll);
  assert_status (news, 200);
  g_assert_cmpuint (jlen (news->json, "$.changes"), >=, 1);
  task_path = jstr (news->json, "$.changes[0].id");
  g_assert_cmpstr (task_path, ==, task->id);
  head = jint (news->json, "$.cursor");
  g_assert_cmpint (head, >, jint (now->json, "$.cursor"));

  /* Nothing happens: answered when the wait is over, as it stands. */
  quiet = long_poll_finish (long_poll_start (supervisor, head, 1));
  assert_status (quiet, 200);
  g_assert_cmpuint (jlen (quiet->json, "$.changes"), ==, 0);
  g_assert_cmpint (jint (quiet->json, "$.cursor"), ==, head);
  g_assert_false (jbool (quiet->json, "$.more"));

  /* Another clerk's task does not wake a clerk: the wait ends empty, its
   * cursor past that task. */
  clerk_poll = long_poll_start (alex, head, 3);
  g_assert_false (long_poll_answered (clerk_poll, 300));
  theirs = create_task (clerk, take_customer ());
  g_assert_false (long_poll_answered (clerk_poll, 1000));
  other = long_poll_finish (clerk_poll);
  assert_status (other, 200);
  g_assert_cmpuint (jlen (other->json, "$.changes"), ==, 0);
  g_assert_cmpint (jint (other->json, "$.cursor"), >, head);
}

/* A service stopping with a long poll held answers or closes it, and
 * exits cleanly. */
static void
test_changes_wait_shutdown (void)
{
  g_autofree char *database = new_database ("changes-wait-shutdown.db");
  Server *server = server_start (database, TRUE, NULL);
  g_autofree char *token = sign_in (server, "supervisor", "supervisor-demo-pass");
  g_autoptr(Reply) now = call (server, "GET", "/v1/changes?since=0&limit=1", token, NULL, NULL);
  g_autoptr(Reply) answer = NULL;
  LongPoll *poll;

  assert_status (now, 200);
  poll = long_poll_start_at (server, token, jint (now->json, "$.cursor"), 30);
  g_assert_false (long_poll_answered (poll, 300));
  server_stop (server);
  answer = long_poll_finish (poll);
  if (answer != NULL)
    assert_status (answer, 200);
}

/* Several instances on one PostgreSQL database (SQLite: one per file) */

static char *main_database;
static Server *other_server;

/* A second instance on the main server's database, started once. */
static Server *
other_instance (void)
{
  const char * const unlimited[] = { "--rate-limit=0", NULL };

  if (other_server == NULL)
    other_server = server_start (main_database, FALSE, unlimited);

  return other_server;
}

static gboolean
several_instances (void)
{
  if (enr_test_db_is_postgresql ())
    return TRUE;

  g_test_skip ("PostgreSQL only: one service per SQLite file");
  return FALSE;
}

static SoupMessage *
write_message (Server     *server,
               const char *method,
               const char *path,
               const char *token,
               const char *body,
               const char *key,
               const char *if_match)
{
  SoupMessage *msg = new_message (server, method, path, token, body);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  if (if_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", if_match);

  return msg;
}

/* Sends @a and @b at once and waits for both replies. */
static void
send_both (Pending *a,
           Pending *b)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  soup_session_send_and_read_async (session, a->msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, a);
  soup_session_send_and_read_async (session, b->msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, b);
  while (a->reply == NULL || b->reply == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
pending_clear (Pending *pending)
{
  g_clear_pointer (&pending->reply, reply_free);
  g_clear_object (&pending->msg);
}

/* The last place of a slot, booked through both instances at once: one
 * Finish wins, the other gets a clean 409 and keeps nothing. */
static void
test_instances_last_slot (void)
{
  g_autoptr(JsonNode) slot = NULL;
  g_autoptr(Task) first = NULL;
  g_autoptr(Task) second = NULL;
  g_autofree char *first_path = NULL;
  g_autofree char *second_path = NULL;
  g_autofree char *loser_path = NULL;
  g_autoptr(Reply) loser_task = NULL;
  g_autofree char *loser_status = NULL;
  g_autofree char *first_key = g_uuid_string_random ();
  g_autofree char *second_key = g_uuid_string_random ();
  Pending a = { NULL, NULL };
  Pending b = { NULL, NULL };
  Reply *loser;

  if (!several_instances ())
    return;

  slot = find_slot (0);
  first = ready_task (clerk, slot);
  second = ready_task (alex, slot);
  first_path = g_strdup_printf ("/v1/service-tasks/%s/finish", first->id);
  second_path = g_strdup_printf ("/v1/service-tasks/%s/finish", second->id);
  a.msg = write_message (main_server, "POST", first_path, clerk, "{}", first_key, first->etag);
  b.msg = write_message (other_instance (), "POST", second_path, alex, "{}", second_key, second->etag);

  send_both (&a, &b);

  g_assert_true ((a.reply->status == 200 && b.reply->status == 409) ||
                 (a.reply->status == 409 && b.reply->status == 200));
  loser = a.reply->status == 409 ? a.reply : b.reply;
  assert_problem (loser, 409, PROBLEM ("slot-unavailable"));

  loser_path = g_strdup_printf ("/v1/service-tasks/%s", loser == a.reply ? first->id : second->id);
  loser_task = get (loser_path, supervisor);
  loser_status = jstr (loser_task->json, "$.status");
  g_assert_cmpstr (loser_status, ==, "pending");
  g_assert_cmpstr (soup_message_headers_get_one (loser_task->headers, "ETag"), ==, "\"2\"");

  pending_clear (&a);
  pending_clear (&b);
}

static char *program_name_on (Server *server);

/* Sets the premise limit of the thermostat program to @limit (and its
 * name to @name) in the database, announces it as a load does, and waits
 * until both instances tell the new name. */
static void
set_premise_limit (const char *target,
                   int         limit,
                   const char *name)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE programs SET json = jsonb_set (jsonb_set (json::jsonb,"
                                          " '{premise_limit}', '%d'), '{name}', to_jsonb ('%s'::text))::text"
                                          " WHERE id = '" TSTAT "';"
                                          "SELECT pg_notify ('enrollment:' || current_schema (), 'reference')",
                                          limit, name);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  enr_test_db_sql (target, sql);
  for (;;)
    {
      g_autofree char *on_main = program_name_on (main_server);
      g_autofree char *on_other = program_name_on (other_instance ());

      if (g_str_equal (on_main, name) && g_str_equal (on_other, name))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 20);
    }
}

/* Two accounts at one premise finish their enrollments in a program
 * limited to one per premise through both instances at once: a write
 * locks its own customer only, so without the premise's lock both would
 * see no enrollment at the premise and both enroll. One enrolls, the
 * other's task goes to Error saying why; one subscription at the premise.
 * Several rounds, each on a premise of its own, so that the two finishes
 * overlap at least once whatever the machine's load. */
static void
test_instances_premise_limit (void)
{
  g_autofree char *target = NULL;
  g_autofree char *original = NULL;
  g_autofree char *limited = NULL;

  if (!several_instances ())
    return;

  target = enr_test_db_for (main_database);
  original = program_name_on (main_server);
  limited = g_strconcat (original, " (one per premise)", NULL);

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(JsonNode) first_slot = find_slot (0);
      g_autoptr(JsonNode) second_slot = find_slot (1);
      g_autoptr(Task) first = ready_task (clerk, first_slot);
      g_autoptr(Task) second = ready_task (alex, second_slot);
      g_autofree char *premise = g_strdup_printf ("PREM-RACE-%u", round);
      g_autofree char *sql = NULL;
      g_autofree char *first_path = g_strdup_printf ("/v1/service-tasks/%s/finish", first->id);
      g_autofree char *second_path = g_strdup_printf ("/v1/service-tasks/%s/finish", second->id);
      g_autofree char *first_key = g_uuid_string_random ();
      g_autofree char *second_key = g_uuid_string_random ();
      g_autofree char *first_status = NULL;
      g_autofree char *second_status = NULL;
      g_autofree char *enrolled = NULL;
      g_autoptr(JsonNode) reasons_node = NULL;
      g_autofree char *reasons = NULL;
      Pending a = { NULL, NULL };
      Pending b = { NULL, NULL };
      Reply *refused;

      /* Both customers' service points at one new premise. */
      sql = g_strdup_printf ("UPDATE service_points SET premise_id = '%s',"
                             " json = jsonb_set (json::jsonb, '{premise_id}', to_jsonb ('%s'::text))::text"
                             " WHERE id IN (SELECT service_point_id FROM metered_services"
                             " WHERE customer_id IN ('%s', '%s'))",
                             premise, premise, first->customer_id, second->customer_id);
      enr_test_db_sql (target, sql);
      if (round == 0)
        set_premise_limit (target, 1, limited);

      a.msg = write_message (main_server, "POST", first_path, clerk, "{}", first_key, first->etag);
      b.msg = write_message (other_instance (), "POST", second_path, alex, "{}", second_key, second->etag);
      send_both (&a, &b);

      assert_status (a.reply, 200);
      assert_status (b.reply, 200);
      first_status = jstr (a.reply->json, "$.status");
      second_status = jstr (b.reply->json, "$.status");
      g_assert_true ((g_str_equal (first_status, "error")) != (g_str_equal (second_status, "error")));
      refused = g_str_equal (first_status, "error") ? a.reply : b.reply;
      reasons_node = jnode (refused->json, "$.reasons");
      reasons = node_to_string (reasons_node);
      if (strstr (reasons, "one enrollment per household") == NULL)
        g_error ("“%s” does not say the premise limit", reasons);

      g_free (sql);
      sql = g_strdup_printf ("SELECT count(*) FROM subscriptions s JOIN metered_services m"
                             " ON m.id = s.json::jsonb ->> 'metered_service_id'"
                             " JOIN service_points p ON p.id = m.service_point_id"
                             " WHERE p.premise_id = '%s' AND s.program_id = '" TSTAT "'", premise);
      enrolled = enr_test_db_query (target, sql);
      g_assert_cmpstr (enrolled, ==, "1");

      pending_clear (&a);
      pending_clear (&b);
    }

  set_premise_limit (target, 0, original);
}

/* The same Idempotency-Key sent to both instances at once makes one
 * record: both answer 201 with the same body, one of them replayed. */
static void
test_instances_same_key (void)
{
  const char *customer_id;
  g_autofree char *view_path = NULL;
  g_autoptr(Reply) view = NULL;
  g_autoptr(Reply) after = NULL;
  g_autofree char *service_id = NULL;
  g_autofree char *body = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *a_id = NULL;
  g_autofree char *b_id = NULL;
  Pending a = { NULL, NULL };
  Pending b = { NULL, NULL };
  const char *a_replayed;
  const char *b_replayed;

  if (!several_instances ())
    return;

  customer_id = take_customer ();
  view_path = g_strdup_printf ("/v1/customers/%s", customer_id);
  view = get (view_path, clerk);
  service_id = jstr (view->json, "$.metered_services[0].id");
  body = g_strdup_printf ("{\"kind\":\"enrollment\",\"program_id\":\"" TSTAT "\","
                          "\"customer_id\":\"%s\",\"metered_service_id\":\"%s\"}", customer_id, service_id);
  a.msg = write_message (main_server, "POST", "/v1/service-tasks", clerk, body, key, NULL);
  b.msg = write_message (other_instance (), "POST", "/v1/service-tasks", clerk, body, key, NULL);

  send_both (&a, &b);

  assert_status (a.reply, 201);
  assert_status (b.reply, 201);
  g_assert_true (g_bytes_equal (a.reply->body, b.reply->body));
  a_id = jstr (a.reply->json, "$.id");
  b_id = jstr (b.reply->json, "$.id");
  g_assert_cmpstr (a_id, ==, b_id);
  a_replayed = soup_message_headers_get_one (a.reply->headers, "Idempotent-Replayed");
  b_replayed = soup_message_headers_get_one (b.reply->headers, "Idempotent-Replayed");
  g_assert_true ((a_replayed == NULL) != (b_replayed == NULL));

  after = get (view_path, clerk);
  g_assert_cmpuint (jlen (after->json, "$.service_tasks"), ==, 1);

  pending_clear (&a);
  pending_clear (&b);
}

/* The round trips and statements a reply's request cost
 * (ENR_SERVICE_COUNT_TRAFFIC). */
static void
assert_traffic (Reply *reply,
                guint  round_trips,
                guint  statements)
{
  const char *sent_round_trips = soup_message_headers_get_one (reply->headers, "Enr-Db-Round-Trips");
  const char *sent_statements = soup_message_headers_get_one (reply->headers, "Enr-Db-Statements");

  g_assert_nonnull (sent_round_trips);
  g_assert_nonnull (sent_statements);
  g_assert_cmpuint (g_ascii_strtoull (sent_round_trips, NULL, 10), ==, round_trips);
  g_assert_cmpuint (g_ascii_strtoull (sent_statements, NULL, 10), ==, statements);
}

/* What a customer read and a task save cost in round trips to PostgreSQL
 * and statements, once the connection prepared its statements and knows
 * the session: held to exact counts, so that a change that adds one shows
 * (docs/api.md, "Counting round trips"). One connection, so that every
 * request finds what the ones before left.
 *
 * The counts are those of one customer in one state, named here rather
 * than taken from the shared list (whose next customer depends on the
 * tests before): COUNTED_CUSTOMER, with one service point at a premise,
 * and a new thermostat enrollment of theirs, pending, its panels filled
 * and no appointment booked. A save reads the other accounts' enrollments
 * at each of the customer's premises in a round trip of its own (the
 * premises' lock and two statements): for a customer without a premise
 * (cust-0031) a save is 3 round trips and 11 statements, not 4 and 14. */
static void
test_instances_round_trips (void)
{
  const char * const options[] = { "--rate-limit=0", "--database-connections=1", NULL };
  const char * const environment[] = { "ENR_SERVICE_COUNT_TRAFFIC=1", NULL };
  g_autoptr(Task) task = NULL;
  g_autofree char *task_path = NULL;
  g_autofree char *customer_path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *last_key = NULL;
  g_autofree char *last_etag = NULL;
  g_autoptr(Reply) view = NULL;
  g_autoptr(Reply) current = NULL;
  g_autoptr(Reply) uncounted = NULL;
  g_autoptr(Reply) replayed = NULL;
  g_autoptr(GPtrArray) premises = g_ptr_array_new_with_free_func (g_free);
  Server *counting;

  if (!several_instances ())
    return;

  /* The state the counts are for: one premise; the task saved with no
   * appointment (a booking would add the capacity's statements). */
  customer_path = g_strdup_printf ("/v1/customers/%s", COUNTED_CUSTOMER);
  view = get (customer_path, clerk);
  assert_status (view, 200);
  for (guint i = 0; i < jlen (view->json, "$.service_points"); i++)
    {
      g_autofree char *expression = g_strdup_printf ("$.service_points[%u].premise_id", i);
      g_autofree char *premise = jstr (view->json, expression);

      if (premise != NULL && premise[0] != '\0' &&
          !g_ptr_array_find_with_equal_func (premises, premise, g_str_equal, NULL))
        g_ptr_array_add (premises, g_steal_pointer (&premise));
    }
  g_assert_cmpuint (premises->len, ==, 1);
  g_assert_cmpuint (jlen (view->json, "$.service_tasks"), ==, 0);

  counting = service_test_server_start_full (main_database, FALSE, options, FALSE, 0, environment);
  task = create_task (clerk, COUNTED_CUSTOMER);
  task_path = g_strdup_printf ("/v1/service-tasks/%s", task->id);
  current = get (task_path, clerk);
  body = complete_panels (task, current->json, NULL);
  etag = g_strdup (task->etag);

  /* Without the variable, no such headers. */
  uncounted = get (customer_path, clerk);
  assert_status (uncounted, 200);
  g_assert_null (soup_message_headers_get_one (uncounted->headers, "Enr-Db-Round-Trips"));

  /* The first rounds prepare the statements and learn the session. */
  for (guint round = 0; round < 3; round++)
    {
      g_autofree char *key = g_uuid_string_random ();
      g_autoptr(Reply) read = call (counting, "GET", customer_path, clerk, NULL, NULL);
      g_autoptr(Reply) saved = call (counting, "PUT", task_path, clerk, body,
                                     "Idempotency-Key", key, "If-Match", etag, NULL);

      assert_status (read, 200);
      assert_status (saved, 200);
      g_free (last_key);
      last_key = g_strdup (key);
      g_free (last_etag);
      last_etag = g_steal_pointer (&etag);
      etag = g_strdup (soup_message_headers_get_one (saved->headers, "ETag"));
      g_test_message ("round %u: read %s/%s, save %s/%s", round,
                      soup_message_headers_get_one (read->headers, "Enr-Db-Round-Trips"),
                      soup_message_headers_get_one (read->headers, "Enr-Db-Statements"),
                      soup_message_headers_get_one (saved->headers, "Enr-Db-Round-Trips"),
                      soup_message_headers_get_one (saved->headers, "Enr-Db-Statements"));
      if (round < 2)
        continue;

      /* BEGIN, the session, the whole view in one statement, COMMIT not
       * waited for. */
      assert_traffic (read, 1, 4);
      /* BEGIN, the session, the key's claim and the task (4 statements);
       * the customer's lock and its records, in one statement (2); the
       * lock of its one premise and the other accounts' metered services
       * and enrollments there (3); then the writes with COMMIT: the
       * task, its change-log row (the first takes the feed's mark), the
       * key's stored answer, the audit row (5). */
      assert_traffic (saved, 4, 14);
    }

  /* The last save sent again: its claim finds the key taken after the
   * task was read (412 for the old version, not sent); the stored answer
   * is read and the transaction rolled back. */
  replayed = call (counting, "PUT", task_path, clerk, body, "Idempotency-Key", last_key,
                   "If-Match", last_etag, NULL);
  assert_status (replayed, 200);
  g_assert_cmpstr (soup_message_headers_get_one (replayed->headers, "Idempotent-Replayed"), ==, "true");
  g_test_message ("replayed save %s/%s",
                  soup_message_headers_get_one (replayed->headers, "Enr-Db-Round-Trips"),
                  soup_message_headers_get_one (replayed->headers, "Enr-Db-Statements"));
  assert_traffic (replayed, 3, 6);
  server_stop (counting);

  /* The default rate limit (50/s, burst 100): a request that finds no
   * token leased to the instance takes a block of 6 in a statement of its
   * own, and the next 5 spend them there. Each lease lapses 1 s after it
   * was taken: after 1.1 s none is left. */
  counting = service_test_server_start_full (main_database, FALSE, (const char * const[]) {
                                               "--database-connections=1", NULL }, FALSE, 0, environment);
  for (guint round = 0; round < 3; round++)
    {
      g_autofree char *key = g_uuid_string_random ();
      g_autoptr(Reply) read = call (counting, "GET", customer_path, clerk, NULL, NULL);
      g_autoptr(Reply) saved = call (counting, "PUT", task_path, clerk, body,
                                     "Idempotency-Key", key, "If-Match", etag, NULL);

      assert_status (read, 200);
      assert_status (saved, 200);
      g_free (etag);
      etag = g_strdup (soup_message_headers_get_one (saved->headers, "ETag"));
    }
  for (guint kind = 0; kind < 2; kind++)
    {
      gint64 taken;
      gboolean fresh;

      g_usleep (G_USEC_PER_SEC + G_USEC_PER_SEC / 10);
      taken = g_get_monotonic_time ();
      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *key = g_uuid_string_random ();
          g_autoptr(Reply) reply = kind == 0
                                   ? call (counting, "GET", customer_path, clerk, NULL, NULL)
                                   : call (counting, "PUT", task_path, clerk, body,
                                           "Idempotency-Key", key, "If-Match", etag, NULL);

          assert_status (reply, 200);
          if (kind == 1)
            {
              g_free (etag);
              etag = g_strdup (soup_message_headers_get_one (reply->headers, "ETag"));
            }
          /* The block was taken after @taken: it holds until @taken + 1 s
           * at least. */
          fresh = g_get_monotonic_time () - taken < G_USEC_PER_SEC;
          g_test_message ("%s %u: %s/%s%s", kind == 0 ? "read" : "save", i,
                          soup_message_headers_get_one (reply->headers, "Enr-Db-Round-Trips"),
                          soup_message_headers_get_one (reply->headers, "Enr-Db-Statements"),
                          fresh ? "" : " (lease may have lapsed)");
          if (i == 0)
            assert_traffic (reply, kind == 0 ? 2 : 5, kind == 0 ? 5 : 15);
          else if (fresh)
            assert_traffic (reply, kind == 0 ? 1 : 4, kind == 0 ? 4 : 14);
        }
    }
  server_stop (counting);
}

/* Waits until @count of the database's sessions wait for a lock. */
static void
wait_for_lock_waits (const char *target,
                     guint       count)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *waiting = enr_test_db_query (target,
                                                    "SELECT count(*) FROM pg_stat_activity"
                                                    " WHERE datname = current_database ()"
                                                    " AND wait_event_type = 'Lock'");

      if (g_ascii_strtoll (waiting, NULL, 10) >= count)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_USEC_PER_SEC / 50);
    }
}

/* A save sent again with its Idempotency-Key while the first one is still
 * in its transaction (a client killed in the middle of its drain resends
 * what it had not seen answered): the second waits for the first's claim
 * of the key and gets its stored answer, never a 409 for the version the
 * first one wrote. One instance; the first save is held behind a lock on
 * its task taken by another connection. */
static void
test_same_key_held (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Task) task = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *target = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(Reply) current = NULL;
  g_autoptr(Reply) after = NULL;
  EnrDb *holder;
  EnrDbStmt *lock;
  Pending a = { NULL, NULL };
  Pending b = { NULL, NULL };
  const char *a_replayed;
  const char *b_replayed;

  if (!enr_test_db_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: SQLite's writes take turns in one process");
      return;
    }

  task = create_task (clerk, take_customer ());
  path = g_strdup_printf ("/v1/service-tasks/%s", task->id);
  current = get (path, clerk);
  body = complete_panels (task, current->json, NULL);

  target = enr_test_db_for (main_database);
  holder = enr_db_open (target, &error);
  g_assert_no_error (error);
  g_assert_true (enr_db_begin (holder, &error));
  lock = enr_db_prepare (holder, "SELECT id FROM service_tasks WHERE id = $1 FOR UPDATE", &error);
  g_assert_no_error (error);
  enr_db_stmt_bind_text (lock, 1, task->id);
  g_assert_cmpint (enr_db_stmt_step (lock, &error), ==, ENR_DB_STEP_ROW);
  enr_db_stmt_reset (lock);

  /* The first claims the key and waits for the task; the second, sent
   * once the first waits, must wait for the first's claim. */
  a.msg = write_message (main_server, "PUT", path, clerk, body, key, task->etag);
  b.msg = write_message (main_server, "PUT", path, clerk, body, key, task->etag);
  soup_session_send_and_read_async (session, a.msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &a);
  wait_for_lock_waits (target, 1);
  soup_session_send_and_read_async (session, b.msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &b);
  wait_for_lock_waits (target, 2);
  g_assert_null (a.reply);
  g_assert_null (b.reply);

  g_assert_true (enr_db_commit (holder, &error));
  g_assert_no_error (error);
  enr_db_close (holder);
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (a.reply == NULL || b.reply == NULL)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }

  assert_status (a.reply, 200);
  assert_status (b.reply, 200);
  g_assert_true (g_bytes_equal (a.reply->body, b.reply->body));
  a_replayed = soup_message_headers_get_one (a.reply->headers, "Idempotent-Replayed");
  b_replayed = soup_message_headers_get_one (b.reply->headers, "Idempotent-Replayed");
  g_assert_null (a_replayed);
  g_assert_nonnull (b_replayed);

  after = get (path, clerk);
  g_assert_cmpstr (soup_message_headers_get_one (after->headers, "ETag"), ==, "\"2\"");

  pending_clear (&a);
  pending_clear (&b);
}

/* PostgreSQL: a request for a path no route has is answered on the main
 * loop, without a pool thread (the rate limit off: nothing to take from
 * the database). Shown with the pool's one connection held: a save waits
 * there behind a lock taken by another connection while a 404 is
 * answered, and a known path (which needs the pool) is not. */
static void
test_unrouted_without_pool (void)
{
  const char * const options[] = { "--rate-limit=0", "--database-connections=1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(Task) task = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *target = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(Reply) current = NULL;
  Server *single;
  EnrDb *holder;
  EnrDbStmt *lock;
  Pending save = { NULL, NULL };
  Pending missing = { NULL, NULL };
  Pending known = { NULL, NULL };
  gint64 deadline;

  if (!several_instances ())
    return;

  single = service_test_server_start_full (main_database, FALSE, options, FALSE, 0, NULL);
  task = create_task (clerk, take_customer ());
  path = g_strdup_printf ("/v1/service-tasks/%s", task->id);
  current = get (path, clerk);
  body = complete_panels (task, current->json, NULL);

  target = enr_test_db_for (main_database);
  holder = enr_db_open (target, &error);
  g_assert_no_error (error);
  g_assert_true (enr_db_begin (holder, &error));
  lock = enr_db_prepare (holder, "SELECT id FROM service_tasks WHERE id = $1 FOR UPDATE", &error);
  g_assert_no_error (error);
  enr_db_stmt_bind_text (lock, 1, task->id);
  g_assert_cmpint (enr_db_stmt_step (lock, &error), ==, ENR_DB_STEP_ROW);
  enr_db_stmt_reset (lock);

  /* The save holds the pool's only connection, waiting for the lock. */
  save.msg = write_message (single, "PUT", path, clerk, body, key, task->etag);
  soup_session_send_and_read_async (session, save.msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &save);
  wait_for_lock_waits (target, 1);

  missing.msg = new_message (single, "GET", "/v1/no-such-resource", clerk, NULL);
  soup_session_send_and_read_async (session, missing.msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &missing);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (missing.reply == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  assert_problem (missing.reply, 404, PROBLEM ("not-found"));
  g_assert_null (save.reply);

  /* A known path waits for the pool like any other request. */
  known.msg = new_message (single, "GET", "/v1/sessions/current", clerk, NULL);
  soup_session_send_and_read_async (session, known.msg, G_PRIORITY_DEFAULT, NULL, on_sent_cb, &known);
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (known.reply);
  g_assert_null (save.reply);

  g_assert_true (enr_db_commit (holder, &error));
  g_assert_no_error (error);
  enr_db_close (holder);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (save.reply == NULL || known.reply == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  assert_status (save.reply, 200);
  assert_status (known.reply, 200);

  pending_clear (&save);
  pending_clear (&missing);
  pending_clear (&known);
  server_stop (single);
}

/* A change written through one instance appears in the feed read through
 * the other, and wakes the long polls held there (the instance that
 * wrote announces it after its COMMIT). */
static void
test_instances_feed (void)
{
  g_autoptr(Reply) before = NULL;
  g_autoptr(Reply) written = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(Reply) woken = NULL;
  LongPoll *poll;
  g_autofree char *after_path = NULL;
  g_autofree char *note = NULL;
  g_autofree char *id = NULL;
  g_autofree char *key = g_uuid_string_random ();
  gint64 cursor;
  gboolean found = FALSE;

  if (!several_instances ())
    return;

  before = get ("/v1/changes?since=0&limit=1000", supervisor);
  assert_status (before, 200);
  g_assert_false (jbool (before->json, "$.more"));
  cursor = jint (before->json, "$.cursor");

  /* Held here until the write through the other instance commits: not
   * woken, it would be answered empty after its 60 s. */
  poll = long_poll_start (supervisor, cursor, 60);
  g_assert_false (long_poll_answered (poll, 500));

  note = g_strdup_printf ("{\"customer_id\":\"cust-0007\",\"channel\":\"phone\",\"class\":\"inquiry\","
                          "\"category\":\"verbal\",\"notes\":\"through the other instance\"}");
  written = call (other_instance (), "POST", "/v1/communications", clerk, note,
                  "Idempotency-Key", key, NULL);
  assert_status (written, 201);
  id = jstr (written->json, "$.id");

  woken = long_poll_finish (poll);
  assert_status (woken, 200);
  for (guint i = 0; i < jlen (woken->json, "$.changes"); i++)
    {
      g_autofree char *expression = g_strdup_printf ("$.changes[%u].id", i);
      g_autofree char *change_id = jstr (woken->json, expression);

      found = found || g_strcmp0 (change_id, id) == 0;
    }
  g_assert_true (found);
  found = FALSE;

  after_path = g_strdup_printf ("/v1/changes?since=%" G_GINT64_FORMAT "&limit=100", cursor);
  after = get (after_path, supervisor);
  assert_status (after, 200);
  for (guint i = 0; i < jlen (after->json, "$.changes"); i++)
    {
      g_autofree char *expression = g_strdup_printf ("$.changes[%u].id", i);
      g_autofree char *change_id = jstr (after->json, expression);

      found = found || g_strcmp0 (change_id, id) == 0;
    }
  g_assert_true (found);
  g_assert_cmpint (jint (after->json, "$.cursor"), >, cursor);
}

/* The announcements of changes heard on @conn since the last call. */
static guint
drain_changes_heard (PGconn *conn)
{
  PGnotify *notify;
  guint heard = 0;

  g_assert_cmpint (PQconsumeInput (conn), ==, 1);
  while ((notify = PQnotifies (conn)) != NULL)
    {
      if (g_strcmp0 (notify->extra, "changes") == 0)
        heard++;
      PQfreemem (notify);
    }

  return heard;
}

/* The writes of a burst share their announcements to the other
 * instances: at most one per 50 ms (and one more, the burst's last), not
 * one per commit; the last of them still comes after the burst. */
static void
test_instances_announce (void)
{
  g_autofree char *target = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *listen = NULL;
  PGconn *conn;
  const guint writes = 30;
  gint64 started, elapsed, deadline, quiet_since;
  guint heard = 0;

  if (!several_instances ())
    return;

  target = enr_test_db_for (main_database);
  schema = enr_test_db_schema_of (target);
  conn = PQconnectdb (target);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  listen = g_strdup_printf ("LISTEN \"enrollment:%s\"", schema);
  enr_test_db_pq_exec (conn, listen);

  started = g_get_monotonic_time ();
  for (guint i = 0; i < writes; i++)
    {
      g_autofree char *key = g_uuid_string_random ();
      g_autofree char *note = g_strdup_printf ("{\"customer_id\":\"cust-0007\",\"channel\":\"phone\","
                                               "\"class\":\"inquiry\",\"category\":\"verbal\","
                                               "\"notes\":\"burst %u\"}", i);
      g_autoptr(Reply) written = call (main_server, "POST", "/v1/communications", clerk, note,
                                       "Idempotency-Key", key, NULL);

      assert_status (written, 201);
    }
  elapsed = g_get_monotonic_time () - started;

  /* Until nothing came for 300 ms (the last announcement waits at most
   * 50 ms), within 10 s. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  quiet_since = g_get_monotonic_time ();
  while (g_get_monotonic_time () - quiet_since < 300 * G_TIME_SPAN_MILLISECOND)
    {
      guint more = drain_changes_heard (conn);

      if (more > 0)
        quiet_since = g_get_monotonic_time ();
      heard += more;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  PQfinish (conn);

  g_test_message ("%u writes in %" G_GINT64_FORMAT " ms: %u announcements", writes,
                  elapsed / 1000, heard);
  g_assert_cmpuint (heard, >=, 1);
  g_assert_cmpuint (heard, <=, 2 + elapsed / (50 * G_TIME_SPAN_MILLISECOND));
}

/* The feed's cursor now: the last page's. */
static gint64
feed_head (const char *token)
{
  gint64 cursor = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/changes?since=%" G_GINT64_FORMAT "&limit=1000", cursor);
      g_autoptr(Reply) page = get (path, token);

      assert_status (page, 200);
      cursor = jint (page->json, "$.cursor");
      more = jbool (page->json, "$.more");
    }

  return cursor;
}

/* PostgreSQL: a long poll reads the change log on a pool thread. A write
 * that commits while that read is under way, after the read took the
 * log's head, wakes the polls held then, and this one is not held yet:
 * it reads again when it is, and answers with the write at once, not
 * when its wait is over. The read is kept under way by a lock of the
 * test's own on the meta table, which the read reads after the head and
 * a write does not touch. */
static void
test_changes_wait_during_read (void)
{
  g_autofree char *target = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *lock = NULL;
  g_autofree char *waiting = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *written_id = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(Reply) written = NULL;
  g_autoptr(Reply) news = NULL;
  PGconn *conn;
  LongPoll *poll;
  gint64 head, deadline;

  if (!enr_test_db_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: on SQLite the main loop reads the log");
      return;
    }

  head = feed_head (supervisor);
  target = enr_test_db_for (main_database);
  schema = enr_test_db_schema_of (target);
  conn = PQconnectdb (target);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  lock = g_strdup_printf ("LOCK TABLE \"%s\".meta IN ACCESS EXCLUSIVE MODE", schema);
  enr_test_db_pq_exec (conn, "BEGIN");
  enr_test_db_pq_exec (conn, lock);

  /* A wait far longer than the bound below: answered only at its end, it
   * fails the test. */
  poll = long_poll_start (supervisor, head, 60);

  /* Until the poll's read waits for the lock (within 30 s). */
  waiting = g_strdup_printf ("SELECT count (*) FROM pg_locks WHERE NOT granted"
                             " AND relation = '\"%s\".meta'::regclass", schema);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  for (;;)
    {
      PGresult *result = PQexec (conn, waiting);
      gboolean blocked;

      g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
      blocked = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10) > 0;
      PQclear (result);
      if (blocked)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }

  /* Committed (and its wake gone by) while the read is under way. */
  written = call (main_server, "POST", "/v1/communications", clerk,
                  "{\"customer_id\":\"cust-0007\",\"channel\":\"phone\",\"class\":\"inquiry\","
                  "\"category\":\"verbal\",\"notes\":\"while a long poll reads\"}",
                  "Idempotency-Key", key, NULL);
  assert_status (written, 201);
  written_id = jstr (written->json, "$.id");
  enr_test_db_pq_exec (conn, "COMMIT");
  PQfinish (conn);

  g_assert_true (long_poll_answered (poll, 30 * 1000));
  news = long_poll_finish (poll);
  assert_status (news, 200);
  g_assert_cmpuint (jlen (news->json, "$.changes"), >=, 1);
  first_id = jstr (news->json, "$.changes[0].id");
  g_assert_cmpstr (first_id, ==, written_id);
}

/* A session signed out through one instance is refused by the other at
 * once. */
static void
test_instances_sign_out (void)
{
  g_autofree char *token = NULL;
  g_autoptr(Reply) other_before = NULL;
  g_autoptr(Reply) sign_out = NULL;
  g_autoptr(Reply) main_after = NULL;
  g_autoptr(Reply) other_after = NULL;
  g_autoptr(Reply) main_before = NULL;
  g_autoptr(Reply) main_read_before = NULL;
  g_autoptr(Reply) main_read_after = NULL;
  g_autoptr(Reply) main_write_after = NULL;

  if (!several_instances ())
    return;

  /* Both instances know the session (they keep the sessions they saw). */
  token = sign_in (main_server, "clerk", "clerk-demo-pass");
  other_before = call (other_instance (), "GET", "/v1/sessions/current", token, NULL, NULL);
  assert_status (other_before, 200);
  main_before = get ("/v1/sessions/current", token);
  assert_status (main_before, 200);
  main_read_before = get ("/v1/customers/cust-0001", token);
  assert_status (main_read_before, 200);

  sign_out = call (other_instance (), "DELETE", "/v1/sessions/current", token, NULL, NULL);
  assert_status (sign_out, 204);
  /* First a route with a parameter: taken on trust, found stale, routed
   * again without the session (the first routing's parameter is freed:
   * LSan checks at the service's exit). */
  main_read_after = get ("/v1/customers/cust-0001", token);
  assert_problem (main_read_after, 401, PROBLEM ("unauthorized"));
  main_after = get ("/v1/sessions/current", token);
  assert_problem (main_after, 401, PROBLEM ("unauthorized"));
  main_write_after = call (main_server, "DELETE", "/v1/sessions/current", token, NULL, NULL);
  assert_problem (main_write_after, 401, PROBLEM ("unauthorized"));
  other_after = call (other_instance (), "GET", "/v1/sessions/current", token, NULL, NULL);
  assert_problem (other_after, 401, PROBLEM ("unauthorized"));
}

/* Wrong passwords for one account, sent in turn to two instances on one
 * database, lock it after the account's 10 failures in all (not 10 at
 * each), and the lock holds on both, even for the right password. */
static void
test_instances_sign_in_throttle (void)
{
  const char * const options[] = { "--rate-limit=0", "--sign-in-delay-ms=1", "--sign-in-lock=600", NULL };
  g_autofree char *database = NULL;
  Server *servers[2];
  guint rejected = 0;
  gint64 deadline;

  if (!several_instances ())
    return;

  database = new_database ("instances-throttle.db");
  servers[0] = server_start (database, TRUE, options);
  servers[1] = server_start (database, FALSE, options);

  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  for (guint i = 0; ; i++)
    {
      g_autoptr(Reply) reply = call (servers[i % 2], "POST", "/v1/sessions", NULL,
                                     "{\"username\":\"alex\",\"password\":\"not-the-password\"}", NULL);
      g_autofree char *type = NULL;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (reply->status == 401)
        {
          rejected++;
          g_assert_cmpuint (rejected, <=, 10);
          continue;
        }
      g_assert_cmpuint (reply->status, ==, 429);
      type = jstr (reply->json, "$.type");
      if (g_str_equal (type, PROBLEM ("sign-in-locked")))
        break;
      g_assert_cmpstr (type, ==, PROBLEM ("sign-in-delayed"));
      g_usleep (G_USEC_PER_SEC / 10);
    }
  g_assert_cmpuint (rejected, ==, 10);

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      g_autoptr(Reply) right = call (servers[i], "POST", "/v1/sessions", NULL,
                                     "{\"username\":\"alex\",\"password\":\"alex-demo-pass\"}", NULL);

      assert_problem (right, 429, PROBLEM ("sign-in-locked"));
    }

  server_stop (servers[1]);
  server_stop (servers[0]);
}

/* Requests without a session from one address, sent in turn to two
 * instances, share one token bucket: no more pass than one bucket lets
 * through (two buckets in memory would let twice as many). */
static void
test_instances_rate_limit (void)
{
  enum { BURST = 4, REQUESTS = 16 };
  const char * const options[] = { "--rate-limit=0.2", "--rate-burst=4", NULL };
  g_autofree char *database = NULL;
  Server *servers[2];
  guint passed = 0;
  gint64 start;
  double elapsed;

  if (!several_instances ())
    return;

  database = new_database ("instances-rate.db");
  servers[0] = server_start (database, TRUE, options);
  servers[1] = server_start (database, FALSE, options);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < REQUESTS; i++)
    {
      g_autoptr(Reply) reply = call (servers[i % 2], "GET", "/v1/sessions/current", NULL, NULL, NULL);

      if (reply->status == 401)
        passed++;
      else
        assert_problem (reply, 429, PROBLEM ("rate-limited"));
    }
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  /* What one bucket of BURST refilled at 0.2/s allows over the run. */
  g_assert_cmpuint (passed, >=, BURST);
  g_assert_cmpuint (passed, <=, BURST + (guint) ceil (elapsed * 0.2));

  server_stop (servers[1]);
  server_stop (servers[0]);
}

/* The name an instance tells for the thermostat program, from the
 * reference data it caches (the eligible programs). */
static char *
program_name_on (Server *server)
{
  g_autoptr(Reply) reply = call (server, "GET", "/v1/customers/cust-0001/eligible-programs", clerk, NULL, NULL);

  assert_status (reply, 200);
  for (guint i = 0; i < jlen (reply->json, "$.items"); i++)
    {
      g_autofree char *id_expression = g_strdup_printf ("$.items[%u].program_id", i);
      g_autofree char *name_expression = g_strdup_printf ("$.items[%u].name", i);
      g_autofree char *id = jstr (reply->json, id_expression);

      if (g_str_equal (id, TSTAT))
        return jstr (reply->json, name_expression);
    }

  g_assert_not_reached ();
}

/* Loads @dataset through a third instance (it announces the change at
 * commit) and waits until both serving instances tell @name. */
static void
load_and_wait (const char *dataset,
               const char *name)
{
  const char * const args[] = { "--load", dataset, "--rate-limit=0", NULL };
  Server *loader = server_start (main_database, FALSE, args);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  server_stop (loader);

  for (;;)
    {
      g_autofree char *on_main = program_name_on (main_server);
      g_autofree char *on_other = program_name_on (other_instance ());

      if (g_str_equal (on_main, name) && g_str_equal (on_other, name))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 20);
    }
}

/* A copy of the sample data with program @id renamed @name. */
static char *
renamed_dataset (const char *old_name,
                 const char *name)
{
  g_autofree char *sample = g_build_filename (SOURCE_DATADIR, "sample", NULL);
  g_autofree char *copy = g_build_filename (work_directory, "renamed-sample", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *file;

  g_assert_cmpint (g_mkdir_with_parents (copy, 0700), ==, 0);
  dir = g_dir_open (sample, 0, NULL);
  while ((file = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (sample, file, NULL);
      g_autofree char *to = g_build_filename (copy, file, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_get_contents (from, &text, NULL, &error));
      if (g_str_equal (file, "programs.jsonl"))
        {
          g_autofree char *old_member = g_strdup_printf ("\"name\":\"%s\"", old_name);
          g_autofree char *new_member = g_strdup_printf ("\"name\":\"%s\"", name);
          g_auto(GStrv) parts = g_strsplit (text, old_member, 2);

          g_assert_cmpuint (g_strv_length (parts), ==, 2);
          g_free (text);
          text = g_strjoin (new_member, parts[0], parts[1], NULL);
        }
      g_assert_true (g_file_set_contents (to, text, -1, &error));
    }

  return g_steal_pointer (&copy);
}

/* Reference data is cached on every instance: a change loaded through one
 * reaches the others' caches through a notification (LISTEN/NOTIFY), also
 * after the listening connection was lost and made again. */
static void
test_instances_reference_data (void)
{
  g_autofree char *original = NULL;
  g_autofree char *renamed = NULL;
  g_autofree char *dataset = NULL;
  g_autofree char *sample = g_build_filename (SOURCE_DATADIR, "sample", NULL);
  g_autofree char *target = NULL;
  gint64 deadline;

  if (!several_instances ())
    return;

  target = enr_test_db_for (main_database);

  original = program_name_on (main_server);
  g_free (program_name_on (other_instance ()));
  renamed = g_strconcat (original, " (renamed)", NULL);
  dataset = renamed_dataset (original, renamed);

  load_and_wait (dataset, renamed);

  /* The listening connections are dropped: each instance connects again,
   * listens, and drops its caches, having missed what happened meanwhile. */
  enr_test_db_sql (target,
                   "SELECT pg_terminate_backend (pid) FROM pg_stat_activity"
                   " WHERE application_name = 'enrollment-service listener'"
                   " AND datname = current_database ()");
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autofree char *listening = enr_test_db_query (target,
                                                      "SELECT count(*) FROM pg_stat_activity"
                                                      " WHERE application_name = 'enrollment-service listener'"
                                                      " AND datname = current_database ()"
                                                      " AND wait_event = 'ClientRead'");

      if (g_ascii_strtoll (listening, NULL, 10) >= 2)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 10);
    }

  load_and_wait (sample, original);
}

/* A body source that produces @size bytes of spaces without holding them. */
static GInputStream *
spaces_stream (gsize size)
{
  static char block[64 * 1024];
  g_autoptr(GInputStream) stream = g_memory_input_stream_new ();

  memset (block, ' ', sizeof block);
  for (gsize done = 0; done < size; done += sizeof block)
    g_memory_input_stream_add_data (G_MEMORY_INPUT_STREAM (stream), block, sizeof block, NULL);

  return g_steal_pointer (&stream);
}

static void
test_hostile_bodies (void)
{
  g_autoptr(GString) deep = g_string_sized_new (200002);
  g_autoptr(SoupMessage) big = new_message (main_server, "POST", "/v1/service-tasks", clerk, NULL);
  g_autoptr(SoupMessage) chunked = new_message (main_server, "POST", "/v1/service-tasks", clerk, NULL);
  g_autoptr(GInputStream) big_stream = spaces_stream (BIG_BODY);
  g_autoptr(GInputStream) chunked_stream = spaces_stream (BIG_BODY);
  g_autoptr(Reply) big_reply = NULL;
  g_autoptr(Reply) chunked_reply = NULL;
  g_autoptr(Reply) deep_reply = NULL;
  g_autoptr(Reply) huge_int = NULL;
  g_autoptr(Reply) wrong_types = NULL;
  g_autoptr(Reply) unknown_code = NULL;
  g_autoptr(Reply) bad_utf8 = NULL;
  g_autoptr(Reply) trailing = NULL;
  g_autoptr(Reply) not_object = NULL;
  g_autoptr(Reply) still_up = NULL;
  g_autofree char *field = NULL;

  soup_message_set_request_body (big, "application/json", big_stream, BIG_BODY);
  soup_message_headers_replace (soup_message_get_request_headers (big), "Idempotency-Key", "big");
  big_reply = send_message (big);
  assert_problem (big_reply, 413, PROBLEM ("payload-too-large"));

  soup_message_set_request_body (chunked, "application/json", chunked_stream, -1);
  soup_message_headers_replace (soup_message_get_request_headers (chunked), "Idempotency-Key", "chunked");
  chunked_reply = send_message (chunked);
  assert_problem (chunked_reply, 413, PROBLEM ("payload-too-large"));

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  deep_reply = write_json ("POST", "/v1/service-tasks", clerk, deep->str, NULL);
  assert_problem (deep_reply, 400, PROBLEM ("malformed-json"));

  huge_int = write_json ("POST", "/v1/service-tasks", clerk,
                         "{\"kind\":\"enrollment\",\"program_id\":\"" TSTAT "\",\"customer_id\":\"cust-0001\","
                         "\"version\":92233720368547758070}", NULL);
  assert_problem (huge_int, 400, PROBLEM ("malformed-json"));

  wrong_types = write_json ("POST", "/v1/service-tasks", clerk,
                            "{\"kind\":\"enrollment\",\"program_id\":[\"" TSTAT "\"],\"customer_id\":7}", NULL);
  assert_problem (wrong_types, 422, PROBLEM ("validation-failed"));

  unknown_code = write_json ("POST", "/v1/service-tasks", clerk,
                             "{\"kind\":\"re-enrollment\",\"program_id\":\"" TSTAT "\",\"customer_id\":\"cust-0001\"}",
                             NULL);
  assert_problem (unknown_code, 422, PROBLEM ("validation-failed"));
  field = jstr (unknown_code->json, "$.errors[0].field");
  g_assert_cmpstr (field, ==, "service_task.kind");

  bad_utf8 = write_json ("POST", "/v1/service-tasks", clerk,
                         "{\"kind\":\"enrollment\",\"program_id\":\"\xff\xfe\",\"customer_id\":\"cust-0001\"}", NULL);
  g_assert_cmpuint (bad_utf8->status, >=, 400);
  g_assert_cmpuint (bad_utf8->status, <, 500);

  trailing = write_json ("POST", "/v1/service-tasks", clerk, "{\"kind\":\"enrollment\",}", NULL);
  assert_problem (trailing, 400, PROBLEM ("malformed-json"));

  not_object = write_json ("POST", "/v1/service-tasks", clerk, "[1,2,3]", NULL);
  assert_problem (not_object, 422, PROBLEM ("validation-failed"));

  still_up = get ("/v1/customers?q=maria", clerk);
  assert_status (still_up, 200);
}

/* A second service with tight limits: rate, session lifetime, change log.
 * The rate is measured on requests without a session (keyed on the
 * address), so that a slow machine cannot see the session expire first. */
#define TTL 5    /* seconds a session lasts in test_limits() */

static void
test_limits (void)
{
  const char * const args[] = { "--rate-limit=1", "--rate-burst=3", "--session-ttl=" G_STRINGIFY (TTL), NULL };
  g_autofree char *database = new_database ("limits.db");
  Server *server = server_start (database, TRUE, args);
  g_autofree char *token = sign_in (server, "clerk", "clerk-demo-pass");
  gint64 signed_in = g_get_monotonic_time ();    /* after the session began */
  g_autoptr(Reply) fresh = call (server, "GET", "/v1/crews", token, NULL, NULL);
  g_autoptr(Reply) limited = NULL;
  g_autoptr(Reply) expired = NULL;
  guint retry_after;
  guint accepted = 0;
  gint64 wait;

  assert_status (fresh, 200);

  /* The burst of three at once, less the sign-in; the refill is one a
   * second. */
  for (guint i = 0; i < 20 && limited == NULL; i++)
    {
      g_autoptr(Reply) reply = call (server, "GET", "/v1/nothing", NULL, NULL, NULL);

      if (reply->status == 429)
        limited = g_steal_pointer (&reply);
      else
        {
          assert_problem (reply, 404, PROBLEM ("not-found"));
          accepted++;
        }
    }

  g_assert_nonnull (limited);
  g_assert_cmpuint (accepted, >=, 2);
  assert_problem (limited, 429, PROBLEM ("rate-limited"));
  retry_after = atoi (soup_message_headers_get_one (limited->headers, "Retry-After"));
  g_assert_cmpuint (retry_after, >=, 1);

  /* Past the session's lifetime (the address's bucket refilled meanwhile) */
  wait = signed_in + (TTL + 1) * G_USEC_PER_SEC - g_get_monotonic_time ();
  if (wait > 0)
    g_usleep (wait);
  expired = call (server, "GET", "/v1/crews", token, NULL, NULL);
  assert_problem (expired, 401, PROBLEM ("unauthorized"));

  server_stop (server);
}

/* SIGKILL right after a 2xx: the record is there after a restart, and a
 * restart with a short change-log retention makes old cursors expire. */
static void
test_durability (void)
{
  const char * const retention[] = { "--change-retention=1", NULL };
  g_autofree char *database = new_database ("durability.db");
  Server *server = server_start (database, TRUE, NULL);
  g_autofree char *token = sign_in (server, "clerk", "clerk-demo-pass");
  g_autoptr(Reply) created = call (server, "POST", "/v1/communications", token,
                                   "{\"customer_id\":\"cust-0001\",\"channel\":\"phone\","
                                   "\"class\":\"inquiry\",\"category\":\"verbal\",\"notes\":\"durable\"}",
                                   "Idempotency-Key", "durable-1", NULL);
  g_autoptr(Reply) second = call (server, "POST", "/v1/communications", token,
                                  "{\"customer_id\":\"cust-0001\",\"channel\":\"phone\","
                                  "\"class\":\"inquiry\",\"category\":\"verbal\",\"notes\":\"second\"}",
                                  "Idempotency-Key", "durable-2", NULL);
  g_autoptr(Reply) list = NULL;
  g_autoptr(Reply) replay = NULL;
  g_autoptr(Reply) expired = NULL;
  g_autoptr(Reply) recent = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *again_token = NULL;
  g_autofree char *recent_path = NULL;

  assert_status (created, 201);
  assert_status (second, 201);
  server_kill (server);

  server = server_start (database, FALSE, retention);
  again_token = sign_in (server, "clerk", "clerk-demo-pass");
  list = call (server, "GET", "/v1/customers/cust-0001/communications", again_token, NULL, NULL);
  assert_status (list, 200);
  g_assert_cmpuint (jlen (list->json, "$.items"), ==, 2);
  notes = jstr (list->json, "$.items[1].notes");
  g_assert_cmpstr (notes, ==, "durable");

  /* The idempotency record survived too: the same key replays. */
  replay = call (server, "POST", "/v1/communications", again_token,
                 "{\"customer_id\":\"cust-0001\",\"channel\":\"phone\","
                 "\"class\":\"inquiry\",\"category\":\"verbal\",\"notes\":\"durable\"}",
                 "Idempotency-Key", "durable-1", NULL);
  assert_status (replay, 201);
  g_assert_true (g_bytes_equal (replay->body, created->body));

  expired = call (server, "GET", "/v1/changes?since=0", again_token, NULL, NULL);
  assert_problem (expired, 410, PROBLEM ("cursor-expired"));
  recent_path = g_strdup_printf ("/v1/changes?since=%" G_GINT64_FORMAT,
                                 jint (expired->json, "$.cursor") - 1);
  recent = call (server, "GET", recent_path, again_token, NULL, NULL);
  assert_status (recent, 200);
  g_assert_cmpuint (jlen (recent->json, "$.changes"), ==, 1);

  server_stop (server);
}

/* Writes sent together share transactions (group commit); SIGKILL right
 * after the last 2xx: every one of them is there after a restart. */
static void
test_durability_batch (void)
{
  enum { N_WRITES = 12 };
  g_autofree char *database = new_database ("durability-batch.db");
  Server *server = server_start (database, TRUE, NULL);
  g_autofree char *token = sign_in (server, "clerk", "clerk-demo-pass");
  g_autofree char *again_token = NULL;
  g_autoptr(SoupSession) parallel = soup_session_new_with_options ("timeout", 60, "max-conns", N_WRITES,
                                                                   "max-conns-per-host", N_WRITES, NULL);
  g_autoptr(Reply) list = NULL;
  g_autoptr(Reply) replay = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autoptr(Reply) before = call (server, "GET", "/v1/customers/cust-0005/communications?page_size=100",
                                  token, NULL, NULL);
  guint already = jlen (before->json, "$.items");
  Pending pending[N_WRITES] = { { NULL, NULL }, };
  gboolean all_done = FALSE;

  for (guint i = 0; i < N_WRITES; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"customer_id\":\"cust-0005\",\"channel\":\"phone\","
                                               "\"class\":\"inquiry\",\"category\":\"verbal\","
                                               "\"notes\":\"batch %u\"}", i);
      g_autofree char *key = g_strdup_printf ("batch-%u", i);

      pending[i].msg = new_message (server, "POST", "/v1/communications", token, body);
      soup_message_headers_replace (soup_message_get_request_headers (pending[i].msg), "Idempotency-Key", key);
      soup_session_send_and_read_async (parallel, pending[i].msg, G_PRIORITY_DEFAULT, NULL,
                                        on_sent_cb, &pending[i]);
    }

  while (!all_done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
      all_done = TRUE;
      for (guint i = 0; i < N_WRITES; i++)
        all_done = all_done && pending[i].reply != NULL;
    }
  for (guint i = 0; i < N_WRITES; i++)
    assert_status (pending[i].reply, 201);

  server_kill (server);

  server = server_start (database, FALSE, NULL);
  again_token = sign_in (server, "clerk", "clerk-demo-pass");
  list = call (server, "GET", "/v1/customers/cust-0005/communications?page_size=100", again_token,
               NULL, NULL);
  assert_status (list, 200);
  g_assert_cmpuint (jlen (list->json, "$.items"), ==, already + N_WRITES);

  replay = call (server, "POST", "/v1/communications", again_token,
                 "{\"customer_id\":\"cust-0005\",\"channel\":\"phone\","
                 "\"class\":\"inquiry\",\"category\":\"verbal\",\"notes\":\"batch 3\"}",
                 "Idempotency-Key", "batch-3", NULL);
  assert_status (replay, 201);
  g_assert_cmpstr (soup_message_headers_get_one (replay->headers, "Idempotent-Replayed"), ==, "true");
  g_assert_true (g_bytes_equal (replay->body, pending[3].reply->body));

  for (guint i = 0; i < N_WRITES; i++)
    {
      reply_free (pending[i].reply);
      g_object_unref (pending[i].msg);
    }
  server_stop (server);
}

/* HTTPS with --tls-certificate/--tls-key, verified against that very
 * certificate (never "accept any certificate"). */
static void
test_tls (void)
{
  g_autofree char *certificate = g_test_build_filename (G_TEST_DIST, "service", "tls-test-cert.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "service", "tls-test-key.pem", NULL);
  g_autofree char *certificate_arg = g_strconcat ("--tls-certificate=", certificate, NULL);
  g_autofree char *key_arg = g_strconcat ("--tls-key=", key, NULL);
  const char * const args[] = { certificate_arg, key_arg, NULL };
  g_autofree char *database = new_database ("tls.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) trust = g_tls_file_database_new (certificate, &error);
  g_autoptr(SoupSession) tls_session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  static const char credentials[] = "{\"username\":\"clerk\",\"password\":\"clerk-demo-pass\"}";
  g_autoptr(GBytes) body = g_bytes_new_static (credentials, strlen (credentials));
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *uri = NULL;
  Server *server;

  g_assert_no_error (error);
  server = service_test_server_start (database, TRUE, args, TRUE, 0);
  g_assert_true (g_str_has_prefix (server->url, "https://"));

  tls_session = soup_session_new_with_options ("timeout", 60, "tls-database", trust, NULL);
  uri = g_strconcat (server->url, "/v1/sessions", NULL);
  msg = soup_message_new ("POST", uri);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  reply = soup_session_send_and_read (tls_session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);

  /* The default trust store does not know the test certificate. */
  {
    g_autoptr(SoupMessage) untrusted = soup_message_new ("GET", uri);
    g_autoptr(GBytes) nothing = soup_session_send_and_read (session, untrusted, NULL, &error);

    g_assert_null (nothing);
    g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
    g_clear_error (&error);
  }

  server_stop (server);
}

static void
collect_tstat_customers (void)
{
  g_autoptr(Reply) customers = get ("/v1/customers?page_size=100", clerk);
  guint n = jlen (customers->json, "$.items");

  tstat_customers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *expression = g_strdup_printf ("$.items[%u].id", i);
      g_autofree char *id = jstr (customers->json, expression);
      g_autofree char *path = g_strdup_printf ("/v1/customers/%s/eligible-programs", id);
      g_autoptr(Reply) eligible = get (path, clerk);
      g_autoptr(JsonNode) tstat = find_item (eligible->json, "$.items", "program_id", TSTAT);

      /* cust-0001 is kept for the read-only tests, COUNTED_CUSTOMER for
       * the counts of /service/instances/round-trips. */
      if (tstat != NULL && jbool (tstat, "$.eligible") && !g_str_equal (id, "cust-0001") &&
          !g_str_equal (id, COUNTED_CUSTOMER))
        g_ptr_array_add (tstat_customers, g_steal_pointer (&id));
    }

  g_assert_cmpuint (tstat_customers->len, >=, 12);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char * const unlimited[] = { "--rate-limit=0", NULL };
  g_autofree char *database = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  work_directory = g_dir_make_tmp ("test-service-XXXXXX", &error);
  g_assert_no_error (error);

  session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 60, NULL);

  database = new_database ("main.db");
  main_database = g_strdup (database);
  main_server = server_start (database, TRUE, unlimited);
  clerk = sign_in (main_server, "clerk", "clerk-demo-pass");
  alex = sign_in (main_server, "alex", "alex-demo-pass");
  supervisor = sign_in (main_server, "supervisor", "supervisor-demo-pass");
  collect_tstat_customers ();

  g_test_add_func ("/service/sessions", test_sessions);
  g_test_add_func ("/service/routing", test_routing);
  g_test_add_func ("/service/customers", test_customers);
  g_test_add_func ("/service/customer-export", test_customer_export);
  g_test_add_func ("/service/calendar", test_calendar);
  g_test_add_func ("/service/eligible-programs", test_eligible_programs);
  g_test_add_func ("/service/reference-data", test_reference_data);
  g_test_add_func ("/service/appointment-slots", test_appointment_slots);
  g_test_add_func ("/service/idempotency", test_idempotency);
  g_test_add_func ("/service/exclusions", test_exclusions);
  g_test_add_func ("/service/consent", test_consent);
  g_test_add_func ("/service/task-lifecycle", test_task_lifecycle);
  g_test_add_func ("/service/finish-error", test_finish_error);
  g_test_add_func ("/service/invalid-task", test_invalid_task);
  g_test_add_func ("/service/cancel", test_cancel);
  g_test_add_func ("/service/last-slot", test_last_slot);
  g_test_add_func ("/service/roles", test_roles);
  g_test_add_func ("/service/task-list", test_task_list);
  g_test_add_func ("/service/reschedule", test_reschedule);
  g_test_add_func ("/service/communications", test_communications);
  g_test_add_func ("/service/changes", test_changes);
  g_test_add_func ("/service/changes-wait", test_changes_wait);
  g_test_add_func ("/service/changes-wait-shutdown", test_changes_wait_shutdown);
  g_test_add_func ("/service/instances/last-slot", test_instances_last_slot);
  g_test_add_func ("/service/instances/premise-limit", test_instances_premise_limit);
  g_test_add_func ("/service/instances/same-key", test_instances_same_key);
  g_test_add_func ("/service/same-key-held", test_same_key_held);
  g_test_add_func ("/service/unrouted-without-pool", test_unrouted_without_pool);
  g_test_add_func ("/service/instances/feed", test_instances_feed);
  g_test_add_func ("/service/instances/announce", test_instances_announce);
  g_test_add_func ("/service/changes-wait-during-read", test_changes_wait_during_read);
  g_test_add_func ("/service/instances/sign-out", test_instances_sign_out);
  g_test_add_func ("/service/instances/sign-in-throttle", test_instances_sign_in_throttle);
  g_test_add_func ("/service/instances/rate-limit", test_instances_rate_limit);
  g_test_add_func ("/service/instances/reference-data", test_instances_reference_data);
  g_test_add_func ("/service/instances/round-trips", test_instances_round_trips);
  g_test_add_func ("/service/hostile-bodies", test_hostile_bodies);
  g_test_add_func ("/service/limits", test_limits);
  g_test_add_func ("/service/durability", test_durability);
  g_test_add_func ("/service/durability-batch", test_durability_batch);
  g_test_add_func ("/service/tls", test_tls);

  status = g_test_run ();

  if (other_server != NULL)
    server_stop (other_server);
  server_stop (main_server);
  g_clear_object (&session);
  g_free (main_database);
  g_free (clerk);
  g_free (alex);
  g_free (supervisor);
  g_clear_pointer (&tstat_customers, g_ptr_array_unref);

  service_test_remove_directory (work_directory);
  g_free (work_directory);

  return status;
}

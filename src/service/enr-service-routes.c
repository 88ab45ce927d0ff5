/* enr-service-routes.c — the service's routes: method, path pattern,
 * what a request needs, handler; and finding the one a request asks for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "enr-service-server-private.h"

static const Route routes[] = {
  /* Sign-in verifies the password in a thread and writes its own transaction. */
  { "POST", "/v1/sessions", ROUTE_PUBLIC | ROUTE_OWN_TRANSACTIONS, enr_service_handle_sign_in },
  { "GET", "/v1/sessions/current", ROUTE_READ, enr_service_handle_current_session },
  { "DELETE", "/v1/sessions/current", ROUTE_WRITE | ROUTE_NO_KEY, enr_service_handle_sign_out },

  { "GET", "/v1/customers", ROUTE_READ, enr_service_handle_customer_search },
  { "GET", "/v1/customers/{}", ROUTE_READ, enr_service_handle_customer_get },
  { "GET", "/v1/export/customers", ROUTE_READ, enr_service_handle_customer_export },
  { "GET", "/v1/customers/{}/eligible-programs", ROUTE_READ, enr_service_handle_eligible_programs },
  { "GET", "/v1/customers/{}/communications", ROUTE_READ, enr_service_handle_customer_communications },
  { "GET", "/v1/customers/{}/consents", ROUTE_READ, enr_service_handle_customer_consents },
  { "POST", "/v1/communications", ROUTE_WRITE, enr_service_handle_communication_create },

  { "GET", "/v1/programs", ROUTE_READ, enr_service_handle_program_list },
  { "GET", "/v1/programs/{}", ROUTE_READ, enr_service_handle_program_get },
  { "GET", "/v1/code-values", ROUTE_READ, enr_service_handle_code_values },
  { "GET", "/v1/crews", ROUTE_READ, enr_service_handle_crews },
  { "GET", "/v1/crew-shift-types", ROUTE_READ, enr_service_handle_crew_shift_types },
  { "GET", "/v1/activity-types", ROUTE_READ, enr_service_handle_activity_types },
  { "GET", "/v1/service-task-types", ROUTE_READ, enr_service_handle_service_task_types },
  { "GET", "/v1/action-methods", ROUTE_READ, enr_service_handle_action_methods },
  { "GET", "/v1/appointment-slots", ROUTE_READ, enr_service_handle_appointment_slots },
  { "GET", "/v1/crew-shifts", ROUTE_READ, enr_service_handle_crew_shifts },
  { "GET", "/v1/appointments", ROUTE_READ, enr_service_handle_appointments },

  { "POST", "/v1/service-tasks", ROUTE_WRITE, enr_service_handle_task_create },
  { "GET", "/v1/service-tasks", ROUTE_READ, enr_service_handle_task_list },
  { "GET", "/v1/service-tasks/{}", ROUTE_READ, enr_service_handle_task_get },
  { "PUT", "/v1/service-tasks/{}", ROUTE_WRITE, enr_service_handle_task_update },
  { "POST", "/v1/service-tasks/{}/finish", ROUTE_WRITE, enr_service_handle_task_finish },
  { "POST", "/v1/service-tasks/{}/cancel", ROUTE_WRITE, enr_service_handle_task_cancel },
  { "POST", "/v1/service-tasks/{}/reschedule", ROUTE_WRITE | ROUTE_SUPERVISOR,
    enr_service_handle_task_reschedule },
  { "POST", "/v1/service-tasks/{}/complete-field-work", ROUTE_WRITE | ROUTE_SUPERVISOR,
    enr_service_handle_task_complete },

  /* The feed's head is read before its snapshot (enr-service-store-log.c). */
  { "GET", "/v1/changes", ROUTE_READ | ROUTE_OWN_TRANSACTIONS, enr_service_handle_changes },
};

static const char *
segment_end (const char *segment)
{
  while (*segment != '\0' && *segment != '/')
    segment++;

  return segment;
}

/* Matches @path against @pattern ("{}" takes one non-empty segment); the
 * segments taken go to @params, if not %NULL. */
static gboolean
match_pattern (const char  *pattern,
               const char  *path,
               char       **params)
{
  const char *starts[ENR_SERVICE_MAX_PARAMS];
  gsize lengths[ENR_SERVICE_MAX_PARAMS];
  guint n_params = 0;

  for (;;)
    {
      const char *pattern_end = segment_end (pattern);
      const char *path_end = segment_end (path);
      gsize length = path_end - path;

      if (pattern_end - pattern == 2 && pattern[0] == '{' && pattern[1] == '}')
        {
          if (length == 0 || n_params >= ENR_SERVICE_MAX_PARAMS)
            return FALSE;
          starts[n_params] = path;
          lengths[n_params] = length;
          n_params++;
        }
      else if ((gsize) (pattern_end - pattern) != length || memcmp (pattern, path, length) != 0)
        return FALSE;

      if (*pattern_end == '\0' || *path_end == '\0')
        {
          if (*pattern_end != *path_end)
            return FALSE;
          break;
        }

      pattern = pattern_end + 1;
      path = path_end + 1;
    }

  for (guint i = 0; params != NULL && i < n_params; i++)
    params[i] = g_strndup (starts[i], lengths[i]);

  return TRUE;
}

/* Whether any route's pattern matches @path (whatever its method): when
 * none does, the request gets 404 whoever sends it. @first is the first
 * that matches (else the number of routes): as req->route_from,
 * _enr_service_server_find_route() looks from there. Any thread. */
gboolean
_enr_service_server_has_path (const char *path,
                              guint      *first)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (routes); i++)
    if (match_pattern (routes[i].pattern, path, NULL))
      break;

  *first = i;
  return i < G_N_ELEMENTS (routes);
}

const Route *
_enr_service_server_find_route (EnrServiceRequest *req)
{
  g_autoptr(GString) allow = NULL;
  const char *method = req->method;

  if (g_str_equal (method, "HEAD"))
    method = "GET";

  /* The routes before req->route_from do not match its path (PostgreSQL:
   * the main loop looked, _enr_service_server_answer_unrouted()). */
  for (guint i = req->route_from; i < G_N_ELEMENTS (routes); i++)
    {
      char *params[ENR_SERVICE_MAX_PARAMS] = { NULL, };

      if (!match_pattern (routes[i].pattern, req->path, params))
        continue;

      if (g_str_equal (routes[i].method, method))
        {
          memcpy (req->params, params, sizeof params);
          return &routes[i];
        }

      for (guint j = 0; j < ENR_SERVICE_MAX_PARAMS; j++)
        g_free (params[j]);

      if (allow == NULL)
        allow = g_string_new (NULL);
      else
        g_string_append (allow, ", ");
      g_string_append (allow, routes[i].method);
      if (g_str_equal (routes[i].method, "GET"))
        g_string_append (allow, ", HEAD");
    }

  if (allow != NULL)
    {
      req->allow = g_string_free (g_steal_pointer (&allow), FALSE);
      enr_service_request_problem (req, 405, "method-not-allowed",
                                   "%s is not allowed here; use %s.", req->method, req->allow);
    }
  else
    enr_service_request_problem (req, 404, "not-found", "There is no resource at %s.", req->path);

  return NULL;
}

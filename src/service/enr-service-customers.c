/* enr-service-customers.c — customer search, the customer view, eligible
 * programs and customer communications
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "enr-service-auth.h"
#include "enr-service-context.h"
#include "enr-service-decoders.h"
#include "enr-service-handlers.h"
#include "enr-service-tasks.h"

#define MAX_QUERY 200

void
enr_service_handle_customer_search (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  const char *q = enr_service_request_get_query (req, "q");
  guint offset, limit, page, page_size;
  gboolean more = FALSE;
  GString *out;

  if (q != NULL && (strlen (q) > MAX_QUERY || !g_utf8_validate (q, -1, NULL)))
    {
      enr_service_request_problem (req, 400, "invalid-parameter",
                                   "q must be UTF-8 text of up to %d bytes.", MAX_QUERY);
      return;
    }
  if (!enr_service_parse_page (req, &offset, &limit, &page, &page_size))
    return;

  /* The rows go from the statement straight into the reply
   * (enr_service_reply_page() makes the same bytes). */
  out = g_string_sized_new (4096);
  g_string_append (out, "{\"items\":");
  if (!enr_service_store_write_customer_search (req->store, q, offset, page_size, out, &more, &error))
    {
      g_string_free (out, TRUE);
      enr_service_request_gerror (req, error);
      return;
    }
  g_string_append_printf (out, ",\"page\":%u,\"page_size\":%u,\"more\":%s}",
                          page, page_size, more ? "true" : "false");

  enr_service_request_reply_json (req, 200, g_string_free (out, FALSE));
}

static void
append_member (GString    *out,
               const char *name,
               GPtrArray  *rows)
{
  g_string_append_printf (out, ",\"%s\":", name);
  enr_service_json_append_array (out, rows);
}

/* The customer view: the customer with everything around it, read from
 * the stored JSON; references are followed through indexed columns, so
 * nothing is decoded, and every kind of record with a statement of its
 * own keyed on the customer, so that on PostgreSQL they all go out in one
 * round trip. */
void
enr_service_handle_customer_get (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  EnrServiceCustomerView view;
  EnrServiceTaskFilter filter;
  GString *out;

  enr_service_task_filter_init (&filter);
  filter.open_only = TRUE;
  filter.limit = 1000;
  if (!enr_service_request_is_supervisor (req))
    filter.created_by = enr_service_request_get_username (req);
  if (!enr_service_store_customer_view (req->store, req->params[0], &filter, &view, &error))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  out = g_string_new ("{\"customer\":");
  g_string_append (out, view.customer);
  append_member (out, "metered_services", view.metered_services);
  append_member (out, "service_points", view.service_points);
  append_member (out, "device_locations", view.device_locations);
  append_member (out, "devices", view.devices);
  append_member (out, "subscriptions", view.subscriptions);
  append_member (out, "service_tasks", view.service_tasks);
  g_string_append_c (out, '}');
  enr_service_customer_view_clear (&view);

  enr_service_request_reply_json (req, 200, g_string_free (out, FALSE));
}

#define DEFAULT_EXPORT_LIMIT 100
#define MAX_EXPORT_LIMIT     500

/* GET /v1/export/customers: customers with their metered services,
 * service points, device locations, devices and subscriptions, a page at
 * a time, paged by a cursor (the last name-ordered position served). */
void
enr_service_handle_customer_export (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceExport) export = NULL;
  const char *after_text = enr_service_request_get_query (req, "after");
  const char *limit_text = enr_service_request_get_query (req, "limit");
  guint64 after = 0;
  guint64 limit = DEFAULT_EXPORT_LIMIT;
  GString *out;

  if (after_text != NULL && after_text[0] != '\0' &&
      !g_ascii_string_to_unsigned (after_text, 10, 1, G_MAXINT64, &after, NULL))
    {
      enr_service_request_problem (req, 400, "invalid-parameter",
                                   "after must be a cursor from the next member of a page.");
      return;
    }
  if (limit_text != NULL && limit_text[0] != '\0' &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, MAX_EXPORT_LIMIT, &limit, NULL))
    {
      enr_service_request_problem (req, 400, "invalid-parameter",
                                   "limit must be a whole number from 1 to %d.", MAX_EXPORT_LIMIT);
      return;
    }

  if (!(export = enr_service_store_export_customers (req->store, after, limit, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  out = g_string_new ("{\"customers\":");
  enr_service_json_append_array (out, export->customers);
  append_member (out, "metered_services", export->metered_services);
  append_member (out, "service_points", export->service_points);
  append_member (out, "device_locations", export->device_locations);
  append_member (out, "devices", export->devices);
  append_member (out, "subscriptions", export->subscriptions);
  g_string_append_printf (out, ",\"total\":%" G_GINT64_FORMAT ",\"next\":", export->total);
  if (export->next > 0)
    g_string_append_printf (out, "\"%" G_GINT64_FORMAT "\"}", export->next);
  else
    g_string_append (out, "null}");

  enr_service_request_reply_json (req, 200, g_string_free (out, FALSE));
}

void
enr_service_handle_eligible_programs (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceCustomer) customer = NULL;
  g_autoptr(GPtrArray) programs = NULL;
  const char *service_id = enr_service_request_get_query (req, "metered_service_id");
  EnrMeteredService *metered_service;
  GDate today;
  GString *out;

  if (!(customer = enr_service_customer_load (req->store, req->params[0], &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  if (service_id != NULL && service_id[0] != '\0')
    {
      metered_service = enr_service_find_entity (customer->metered_services, service_id);
      if (metered_service == NULL)
        {
          enr_service_request_problem (req, 400, "invalid-parameter",
                                       "The customer has no metered service “%s”.", service_id);
          return;
        }
    }
  else
    metered_service = enr_metered_service_pick (customer->metered_services);

  if (!(programs = enr_service_store_list (req->store, ENR_TYPE_PROGRAM, NULL, NULL, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  enr_service_date_today (&today);

  out = g_string_new ("{\"customer_id\":");
  enr_service_json_append_string (out, req->params[0]);
  g_string_append (out, ",\"metered_service_id\":");
  if (metered_service != NULL)
    enr_service_json_append_string (out, enr_entity_get_id (ENR_ENTITY (metered_service)));
  else
    g_string_append (out, "null");
  g_string_append (out, ",\"items\":[");

  for (guint i = 0; i < programs->len; i++)
    {
      EnrProgram *program = g_ptr_array_index (programs, i);
      g_autoptr(EnrServiceProgram) context = NULL;
      g_autoptr(EnrEligibilityResult) result = NULL;
      GPtrArray *reasons;

      context = enr_service_program_load (req->store, enr_entity_get_id (ENR_ENTITY (program)), &error);
      if (context == NULL)
        {
          g_string_free (out, TRUE);
          enr_service_request_gerror (req, error);
          return;
        }

      result = enr_service_evaluate_eligibility (customer, context, metered_service, NULL, &today);
      reasons = enr_eligibility_result_get_reasons (result);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"program_id\":");
      enr_service_json_append_string (out, enr_entity_get_id (ENR_ENTITY (program)));
      g_string_append (out, ",\"code\":");
      enr_service_json_append_string (out, enr_program_get_code (program));
      g_string_append (out, ",\"name\":");
      enr_service_json_append_string (out, enr_program_get_name (program));
      g_string_append_printf (out, ",\"eligible\":%s,\"reasons\":[",
                              enr_eligibility_result_get_eligible (result) ? "true" : "false");
      for (guint j = 0; reasons != NULL && j < reasons->len; j++)
        {
          EnrEligibilityReason *reason = g_ptr_array_index (reasons, j);

          if (j > 0)
            g_string_append_c (out, ',');
          g_string_append (out, "{\"code\":");
          enr_service_json_append_string (out, enr_eligibility_reason_get_code (reason));
          g_string_append (out, ",\"text\":");
          enr_service_json_append_string (out, enr_eligibility_reason_get_text (reason));
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]}");
    }
  g_string_append (out, "]}");

  enr_service_request_reply_json (req, 200, g_string_free (out, FALSE));
}

typedef GPtrArray *(*CustomerRowsFunc) (EnrServiceStore  *store,
                                        const char       *customer_id,
                                        guint             offset,
                                        guint             limit,
                                        GError          **error);

/* A page of the rows @list_rows gives for the customer of the path; 404
 * when there is no such customer. */
static void
reply_customer_rows (EnrServiceRequest *req,
                     CustomerRowsFunc   list_rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint offset, limit, page, page_size;

  if (!enr_service_parse_page (req, &offset, &limit, &page, &page_size))
    return;

  if (!enr_service_store_exists (req->store, ENR_TYPE_CUSTOMER, req->params[0]))
    {
      enr_service_request_problem (req, 404, "not-found", "There is no customer “%s”.", req->params[0]);
      return;
    }

  rows = list_rows (req->store, req->params[0], offset, limit, &error);
  if (rows == NULL)
    {
      enr_service_request_gerror (req, error);
      return;
    }

  enr_service_reply_page (req, rows, page, page_size);
}

void
enr_service_handle_customer_communications (EnrServiceRequest *req)
{
  reply_customer_rows (req, enr_service_store_customer_communications);
}

void
enr_service_handle_customer_consents (EnrServiceRequest *req)
{
  reply_customer_rows (req, enr_service_store_customer_consents);
}

static void
check_code (EnrServiceRequest *req,
            GPtrArray         *errors,
            const char        *list,
            const char        *field,
            const char        *code)
{
  g_autofree char *message = NULL;

  if (enr_service_store_code_value_exists (req->store, list, code))
    return;

  message = g_strdup_printf (_("“%s” is not a %s code"), code != NULL ? code : "", list);
  g_ptr_array_add (errors, enr_field_error_new (field, message));
}

void
enr_service_handle_communication_create (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrCustomerCommunication) communication = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *json = NULL;
  g_autofree char *location = NULL;
  const char *task_id;
  const char *program_id;
  gsize length;
  const char *body = enr_service_request_get_body (req, &length);

  if (!(communication = enr_service_decode_communication (body, length, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  if (!enr_service_store_exists (req->store, ENR_TYPE_CUSTOMER,
                                 enr_customer_communication_get_customer_id (communication)))
    g_ptr_array_add (errors, enr_field_error_new ("customer-id", _("There is no such customer")));
  check_code (req, errors, "channel", "channel", enr_customer_communication_get_channel (communication));
  check_code (req, errors, "class", "class", enr_customer_communication_get_class (communication));
  check_code (req, errors, "category", "category", enr_customer_communication_get_category (communication));

  task_id = enr_customer_communication_get_service_task_id (communication);
  if (task_id != NULL)
    {
      g_autoptr(EnrServiceTask) task = enr_service_store_get (req->store, ENR_TYPE_SERVICE_TASK, task_id, NULL);

      if (task == NULL)
        g_ptr_array_add (errors, enr_field_error_new ("service-task-id", _("There is no such service task")));
      else if (g_strcmp0 (enr_service_task_get_customer_id (task),
                          enr_customer_communication_get_customer_id (communication)) != 0)
        g_ptr_array_add (errors, enr_field_error_new ("service-task-id",
                                                      _("The service task belongs to another customer")));
      else if (!enr_service_task_visible_to (req, task))
        {
          enr_service_request_problem (req, 403, "forbidden",
                                       "The service task belongs to another clerk.");
          return;
        }
    }

  program_id = enr_customer_communication_get_program_id (communication);
  if (program_id != NULL && !enr_service_store_exists (req->store, ENR_TYPE_PROGRAM, program_id))
    g_ptr_array_add (errors, enr_field_error_new ("program-id", _("There is no such program")));

  if (errors->len > 0)
    {
      enr_service_request_field_errors (req, NULL, errors);
      return;
    }

  if (!enr_service_assign_id (req, ENR_ENTITY (communication), ENR_TYPE_CUSTOMER_COMMUNICATION))
    return;

  enr_customer_communication_set_created_by (communication, enr_service_request_get_username (req));
  enr_customer_communication_set_created_at (communication, req->now);

  if (enr_service_store_save (req->store, communication, NULL, &error) < 0)
    {
      enr_service_request_gerror (req, error);
      return;
    }

  json = enr_codec_encode_string (communication);
  location = g_strdup_printf ("/v1/customers/%s/communications",
                              enr_customer_communication_get_customer_id (communication));
  enr_service_request_set_audit (req, "customer_communication", enr_entity_get_id (ENR_ENTITY (communication)));
  req->location = g_steal_pointer (&location);
  enr_service_request_reply_json (req, 201, g_steal_pointer (&json));
}

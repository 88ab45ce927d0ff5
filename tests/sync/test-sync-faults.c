/* test-sync-faults.c — the sync engine through a fault-injecting proxy:
 * more than 500 operations under random faults land exactly once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "enr-fault-proxy.h"
#include "sync-test-util.h"

#define N_TASKS          125   /* × create, save, save, cancel */
#define N_COMMUNICATIONS 40
#define FAULT_RATE       0.2
#define DRAIN_TIMEOUT    50000

static EnrCustomerCommunication *
new_communication (const char *customer_id,
                   guint       index)
{
  EnrCustomerCommunication *communication = enr_customer_communication_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = g_strdup_printf ("comm-fault-%03u", index);
  g_autofree char *notes = g_strdup_printf ("Call %u", index);

  enr_entity_set_id (ENR_ENTITY (communication), id);
  enr_customer_communication_set_customer_id (communication, customer_id);
  enr_customer_communication_set_channel (communication, "phone");
  enr_customer_communication_set_class (communication, "enrollment");
  enr_customer_communication_set_category (communication, "verbal");
  enr_customer_communication_set_notes (communication, notes);
  enr_customer_communication_set_created_by (communication, "clerk");
  enr_customer_communication_set_created_at (communication, now);

  return communication;
}

/* How many times each id of @ids appears among the customer's
 * communications on the service. */
static guint
count_communication (const char *base_url,
                     const char *token,
                     const char *customer_id,
                     const char *id)
{
  g_autofree char *path = g_strdup_printf ("/v1/customers/%s/communications?page_size=100", customer_id);
  g_autoptr(JsonNode) list = NULL;
  guint status = 0, count = 0;
  JsonArray *items;

  list = test_http (base_url, "GET", path, token, NULL, -1, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  items = json_object_get_array_member (json_node_get_object (list), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i), "id"), id) == 0)
      count++;

  return count;
}

static guint
count_service_tasks (const char *base_url,
                     const char *token)
{
  guint total = 0;

  for (guint page = 1;; page++)
    {
      g_autofree char *path = g_strdup_printf ("/v1/service-tasks?page=%u&page_size=100", page);
      g_autoptr(JsonNode) list = NULL;
      guint status = 0;
      JsonObject *object;

      list = test_http (base_url, "GET", path, token, NULL, -1, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      object = json_node_get_object (list);
      total += json_array_get_length (json_object_get_array_member (object, "items"));
      if (!json_object_get_boolean_member (object, "more"))
        break;
    }

  return total;
}

static void
test_faults (void)
{
  g_autofree char *dataset = test_generate_dataset (N_TASKS + N_COMMUNICATIONS + 40, 7);
  g_autoptr(GPtrArray) customers = test_free_customers (dataset, "prog-cg");
  TestService *service = test_service_start (dataset, NULL);
  g_autofree char *token = test_sign_in (service->url, "clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrUser) clerk = test_user_new ("clerk", ENR_ROLE_CLERK);
  g_autofree char *path = test_store_path ("faults.db");
  g_autofree char *directory = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) flows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) communications = g_ptr_array_new_with_free_func (g_object_unref);
  FaultProxy *proxy;
  g_autofree char *proxy_url = NULL;
  EnrStore *store;
  EnrApiClient *client;
  EnrSyncEngine *engine;
  EnrOutbox *outbox;
  guint operations = 0;
  guint faults = 0;

  g_assert_cmpuint (customers->len, >=, N_TASKS + N_COMMUNICATIONS);

  proxy = fault_proxy_new (service->port, g_test_rand_int (), &error);
  g_assert_no_error (error);
  proxy_url = fault_proxy_get_url (proxy);
  fault_proxy_set_rate (proxy, FAULT_RATE);

  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  enr_store_set_user (store, "clerk");
  outbox = enr_store_get_outbox (store);
  client = enr_api_client_new (proxy_url, &error);
  g_assert_no_error (error);
  engine = enr_sync_engine_new (store, client);
  enr_sync_engine_set_backoff (engine, 5000, 100000);
  enr_sync_engine_set_session (engine, token, clerk);

  /* The first download, through the faults as well. */
  g_assert_true (test_sync_until_drained (engine, DRAIN_TIMEOUT));
  g_assert_cmpint (enr_store_count (store, ENR_TYPE_CUSTOMER, NULL), ==, N_TASKS + N_COMMUNICATIONS + 40);

  /* Queue everything, as a day offline would. */
  for (guint i = 0; i < N_TASKS; i++)
    {
      EnrProcessFlow *flow = test_new_flow (g_ptr_array_index (customers, i), "prog-cg");
      g_autofree char *first = g_strdup_printf ("first save %u", i);
      g_autofree char *second = g_strdup_printf ("second save %u", i);
      g_autoptr(EnrOperation) created = NULL;
      g_autoptr(EnrOperation) saved = NULL;
      g_autoptr(EnrOperation) saved_again = NULL;

      created = enr_store_save_flow_with_operation (store, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL, &error);
      g_assert_no_error (error);
      test_flow_set_notes (flow, first);
      saved = enr_store_save_flow_with_operation (store, flow, ENR_OPERATION_KIND_SAVE_TASK, NULL, &error);
      g_assert_no_error (error);
      test_flow_set_notes (flow, second);
      saved_again = enr_store_save_flow_with_operation (store, flow, ENR_OPERATION_KIND_SAVE_TASK, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (flows, flow);
      operations += 3;
    }

  for (guint i = 0; i < N_COMMUNICATIONS; i++)
    {
      EnrCustomerCommunication *communication = new_communication (g_ptr_array_index (customers, N_TASKS + i), i);
      g_autoptr(EnrOperation) created = NULL;

      created = enr_store_save_communication_with_operation (store, communication, &error);
      g_assert_no_error (error);
      g_ptr_array_add (communications, communication);
      operations++;
    }

  /* Half of the cancels while the rest is being sent. */
  for (guint i = 0; i < N_TASKS; i += 2)
    {
      g_autoptr(EnrOperation) canceled = NULL;

      canceled = enr_store_save_flow_with_operation (store, g_ptr_array_index (flows, i),
                                                     ENR_OPERATION_KIND_CANCEL_TASK,
                                                     "{\"reason\":\"Fault test\"}", &error);
      g_assert_no_error (error);
      operations++;
    }
  {
    g_autoptr(GError) sync_error = NULL;

    test_sync (engine, DRAIN_TIMEOUT, &sync_error);
  }
  for (guint i = 1; i < N_TASKS; i += 2)
    {
      g_autoptr(EnrOperation) canceled = NULL;

      canceled = enr_store_save_flow_with_operation (store, g_ptr_array_index (flows, i),
                                                     ENR_OPERATION_KIND_CANCEL_TASK,
                                                     "{\"reason\":\"Fault test\"}", &error);
      g_assert_no_error (error);
      operations++;
    }

  g_assert_cmpuint (operations, >=, 500);
  g_assert_true (test_sync_until_drained (engine, DRAIN_TIMEOUT));

  for (guint kind = FAULT_DELAY; kind < N_FAULTS; kind++)
    {
      g_test_message ("%s: %u", fault_kind_name (kind), fault_proxy_get_count (proxy, kind));
      g_assert_cmpuint (fault_proxy_get_count (proxy, kind), >, 0);
      faults += fault_proxy_get_count (proxy, kind);
    }
  g_test_message ("%u operations, %u requests, %u faults", operations,
                  fault_proxy_get_requests (proxy), faults);

  /* Every operation done, none in conflict or rejected. */
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_DONE, NULL), ==, operations);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_PENDING, NULL), ==, 0);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_CONFLICT, NULL), ==, 0);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_REJECTED, NULL), ==, 0);

  /* On the service, exactly once each: version 4 means create, two saves
   * and a cancel, each applied once (a repeat would have met 412). */
  for (guint i = 0; i < flows->len; i++)
    {
      EnrProcessFlow *flow = g_ptr_array_index (flows, i);
      const char *id = enr_entity_get_id (ENR_ENTITY (enr_process_flow_get_task (flow)));
      g_autofree char *task_path = g_strconcat ("/v1/service-tasks/", id, NULL);
      g_autofree char *expected = g_strdup_printf ("second save %u", i);
      g_autoptr(JsonNode) task = NULL;
      g_autofree char *status = NULL;
      g_autofree char *notes = NULL;
      guint http = 0;

      task = test_http (service->url, "GET", task_path, token, NULL, -1, NULL, &http);
      g_assert_cmpuint (http, ==, 200);
      g_assert_cmpint (test_json_int (task, "$.version"), ==, 4);
      status = test_json_string (task, "$.status");
      g_assert_cmpstr (status, ==, "canceled");
      notes = test_json_string (task, "$.interactions[0].notes");
      g_assert_cmpstr (notes, ==, expected);
    }
  g_assert_cmpuint (count_service_tasks (service->url, token), ==, N_TASKS);

  for (guint i = 0; i < communications->len; i++)
    {
      EnrCustomerCommunication *communication = g_ptr_array_index (communications, i);

      g_assert_cmpuint (count_communication (service->url, token,
                                             enr_customer_communication_get_customer_id (communication),
                                             enr_entity_get_id (ENR_ENTITY (communication))), ==, 1);
    }

  g_assert_true (enr_store_check_integrity (store, &error));
  g_assert_no_error (error);

  g_object_unref (engine);
  g_object_unref (client);
  g_object_unref (store);
  fault_proxy_free (proxy);
  test_service_stop (service);
  test_remove_tree (directory);
  test_remove_tree (dataset);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/faults/exactly-once", test_faults);

  return g_test_run ();
}

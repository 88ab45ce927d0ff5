/* test-sync-letters.c — a confirmation letter written offline reaches the
 * real service once, as a communication of its task (channel letter)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-context.h"
#include "enr-letter.h"
#include "enr-outbox.h"
#include "sync-test-util.h"

#define DRAIN_TIMEOUT 60000

/* The letters among the communications of @customer_id on the service. */
static GPtrArray *
service_letters (const char *base_url,
                 const char *token,
                 const char *customer_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/customers/%s/communications?page_size=100", customer_id);
  g_autoptr(JsonNode) list = NULL;
  GPtrArray *letters = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  guint status = 0;
  JsonArray *items;

  list = test_http (base_url, "GET", path, token, NULL, -1, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  items = json_object_get_array_member (json_node_get_object (list), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (json_node_get_object (item), "channel"), "letter") == 0)
        g_ptr_array_add (letters, json_node_copy (item));
    }

  return letters;
}

static void
test_letter_reaches_service_once (void)
{
  g_autofree char *dataset = g_build_filename (g_getenv ("ENR_SOURCE_ROOT"), "data", "sample", NULL);
  g_autoptr(GPtrArray) customers = test_free_customers (dataset, "prog-cg");
  TestService *service = test_service_start (NULL, NULL);
  g_autofree char *token = test_sign_in (service->url, "clerk", TEST_CLERK_PASSWORD);
  g_autoptr(EnrUser) clerk = test_user_new ("clerk", ENR_ROLE_CLERK);
  g_autofree char *path = test_store_path ("letters.db");
  g_autofree char *directory = g_path_get_dirname (path);
  g_autofree char *pdf = g_build_filename (directory, "letter.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(EnrOperation) created = NULL;
  g_autoptr(EnrContext) context = NULL;
  g_autoptr(EnrLetter) letter = NULL;
  g_autoptr(EnrCustomerCommunication) sent = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *created_by = NULL;
  g_autofree char *task_id_seen = NULL;
  g_autofree char *channel = NULL;
  g_autofree char *id = NULL;
  const char *customer_id;
  const char *task_id;
  EnrStore *store;
  EnrApiClient *client;
  EnrSyncEngine *engine;
  EnrOutbox *outbox;

  g_assert_cmpuint (customers->len, >, 0);
  customer_id = g_ptr_array_index (customers, 0);

  store = enr_store_new (path, NULL, &error);
  g_assert_no_error (error);
  enr_store_set_user (store, "clerk");
  outbox = enr_store_get_outbox (store);
  client = enr_api_client_new (service->url, &error);
  g_assert_no_error (error);
  engine = enr_sync_engine_new (store, client);
  enr_sync_engine_set_session (engine, token, clerk);
  g_assert_true (test_sync_until_drained (engine, DRAIN_TIMEOUT));

  /* Offline: a new enrollment, then its letter, both queued. */
  flow = test_new_flow (customer_id, "prog-cg");
  task_id = enr_entity_get_id (ENR_ENTITY (enr_process_flow_get_task (flow)));
  created = enr_store_save_flow_with_operation (store, flow, ENR_OPERATION_KIND_CREATE_TASK, NULL, &error);
  g_assert_no_error (error);

  context = enr_context_new (store, NULL);
  enr_context_set_username (context, "clerk");
  letter = enr_letter_new_for_task (context, task_id, &error);
  g_assert_no_error (error);
  g_assert_true (enr_letter_write_pdf (letter, file, 0, 0, &error));
  g_assert_no_error (error);
  sent = enr_letter_record_sent (letter, context, ENR_LETTER_DELIVERY_PDF, &error);
  g_assert_no_error (error);
  letters = service_letters (service->url, token, customer_id);
  g_assert_cmpuint (letters->len, ==, 0);
  g_clear_pointer (&letters, g_ptr_array_unref);

  /* Online: sent once, as the task's communication, by the clerk. */
  g_assert_true (test_sync_until_drained (engine, DRAIN_TIMEOUT));
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_DONE, NULL), ==, 2);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_PENDING, NULL), ==, 0);
  g_assert_cmpint (enr_outbox_count (outbox, ENR_OPERATION_STATE_REJECTED, NULL), ==, 0);

  letters = service_letters (service->url, token, customer_id);
  g_assert_cmpuint (letters->len, ==, 1);
  {
    JsonNode *item = g_ptr_array_index (letters, 0);

    channel = test_json_string (item, "$.channel");
    task_id_seen = test_json_string (item, "$.service_task_id");
    notes = test_json_string (item, "$.notes");
    created_by = test_json_string (item, "$.created_by");
    id = test_json_string (item, "$.id");
  }
  g_assert_cmpstr (id, ==, enr_entity_get_id (ENR_ENTITY (sent)));
  g_assert_cmpstr (channel, ==, "letter");
  g_assert_cmpstr (task_id_seen, ==, task_id);
  g_assert_cmpstr (notes, ==, "Confirmation letter for Peak Savers Control Group, saved as PDF");
  g_assert_cmpstr (created_by, ==, "clerk");
  g_clear_pointer (&letters, g_ptr_array_unref);

  /* Another sync sends nothing again. */
  g_assert_true (test_sync_until_drained (engine, DRAIN_TIMEOUT));
  letters = service_letters (service->url, token, customer_id);
  g_assert_cmpuint (letters->len, ==, 1);

  g_clear_object (&context);
  g_object_unref (engine);
  g_object_unref (client);
  g_object_unref (store);
  test_remove_tree (directory);
  test_service_stop (service);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/letter-reaches-service-once", test_letter_reaches_service_once);

  return g_test_run ();
}

/* enr-flow-session-factory.c — new process flows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An enrollment, an unenrollment or a flow resuming a service task: the
 * draft task with what the customer, the program and the task type give
 * it, ready for an EnrFlowSession.
 */

#include "config.h"

#include "enr-flow-session-private.h"

static char *
new_id (const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat (prefix, "-", uuid, NULL);
}

char *
_enr_flow_session_first_device_location_id (EnrContext *context,
                                            const char *service_point_id)
{
  g_autoptr(GPtrArray) locations = NULL;

  if (service_point_id == NULL)
    return NULL;

  locations = enr_context_list_device_locations (context, service_point_id);
  if (locations->len == 0)
    return NULL;

  return g_strdup (enr_entity_get_id (g_ptr_array_index (locations, 0)));
}

/* The Customer panel's Interaction Details of a new flow: the call the
 * clerk is on, with the clerk's usual channel and category, when known. */
static void
prefill_interaction (EnrContext     *context,
                     EnrServiceTask *task)
{
  g_autofree char *channel = NULL;
  g_autofree char *category = NULL;

  enr_context_get_last_interaction (context, &channel, &category);
  if (channel != NULL && category != NULL)
    _enr_flow_session_fill_interaction (context, task, ENR_PANEL_CUSTOMER);
}

static EnrProcessFlow *
new_flow (EnrContext     *context,
          EnrServiceTask *task)
{
  g_autoptr(EnrProcessFlow) flow = enr_process_flow_new ();
  g_autoptr(GDateTime) now = enr_context_get_now (context);
  g_autofree char *flow_id = new_id ("flow");
  const char *visited[] = { "customer", NULL };

  enr_entity_set_id (ENR_ENTITY (flow), flow_id);
  enr_process_flow_set_service_task_id (flow, enr_entity_get_id (ENR_ENTITY (task)));
  enr_process_flow_set_kind (flow, enr_service_task_get_kind (task));
  enr_process_flow_set_status (flow, ENR_FLOW_STATUS_OPEN);
  enr_process_flow_set_current_panel (flow, ENR_PANEL_CUSTOMER);
  enr_process_flow_set_visited (flow, visited);
  enr_process_flow_set_task (flow, task);
  enr_process_flow_set_updated_at (flow, now);

  return g_steal_pointer (&flow);
}

static EnrServiceTask *
new_task (EnrContext  *context,
          EnrTaskKind  kind,
          const char  *customer_id,
          const char  *program_id)
{
  g_autoptr(EnrServiceTask) task = enr_service_task_new ();
  g_autoptr(GDateTime) now = enr_context_get_now (context);
  g_autofree char *task_id = new_id ("task");

  enr_entity_set_id (ENR_ENTITY (task), task_id);
  enr_service_task_set_kind (task, kind);
  enr_service_task_set_status (task, ENR_TASK_STATUS_PENDING);
  enr_service_task_set_customer_id (task, customer_id);
  enr_service_task_set_program_id (task, program_id);
  enr_service_task_set_created_by (task, enr_context_get_username (context));
  enr_service_task_set_created_at (task, now);
  enr_service_task_set_updated_at (task, now);

  return g_steal_pointer (&task);
}

/**
 * enr_task_type_get_providing_method:
 * @task_type: (nullable): an enrollment task type
 *
 * Before Device Setup is filled in, eligibility must not hold "the
 * customer has no accepted device" against the customer when the task
 * type can ship or install one: this is the method to assume then.
 *
 * Returns: Utility Installation or Ship Device when @task_type has a rule
 *   for it, else %ENR_INSTALLATION_METHOD_NONE
 */
EnrInstallationMethod
enr_task_type_get_providing_method (EnrServiceTaskType *task_type)
{
  GPtrArray *rules;
  EnrInstallationMethod found = ENR_INSTALLATION_METHOD_NONE;

  g_return_val_if_fail (task_type == NULL || ENR_IS_SERVICE_TASK_TYPE (task_type), ENR_INSTALLATION_METHOD_NONE);

  if (task_type == NULL || (rules = enr_service_task_type_get_rules (task_type)) == NULL)
    return ENR_INSTALLATION_METHOD_NONE;

  for (guint i = 0; i < rules->len; i++)
    {
      EnrInstallationMethod method = enr_device_setup_rule_get_installation_method (g_ptr_array_index (rules, i));

      if (method == ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION)
        return method;
      if (method == ENR_INSTALLATION_METHOD_SHIP_DEVICE)
        found = method;
    }

  return found;
}

/**
 * enr_flow_session_create_enrollment:
 * @metered_service_id: (nullable): the metered service to enroll; %NULL
 *   picks the customer's active electric service
 *
 * Returns: (transfer full): a new open enrollment flow, not yet saved
 */
EnrProcessFlow *
enr_flow_session_create_enrollment (EnrContext *context,
                                    const char *customer_id,
                                    const char *program_id,
                                    const char *metered_service_id)
{
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autofree char *location_id = NULL;
  EnrMeteredService *service = NULL;
  GDate today;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);

  task = new_task (context, ENR_TASK_KIND_ENROLLMENT, customer_id, program_id);

  services = enr_context_list_metered_services (context, customer_id);
  if (metered_service_id != NULL)
    service = _enr_flow_session_find_entity (services, metered_service_id);
  if (service == NULL)
    service = enr_metered_service_pick (services);

  if (service != NULL)
    {
      const char *point_id = enr_metered_service_get_service_point_id (service);

      enr_service_task_set_metered_service_id (task, enr_entity_get_id (ENR_ENTITY (service)));
      enr_service_task_set_service_point_id (task, point_id);
      location_id = _enr_flow_session_first_device_location_id (context, point_id);
      enr_service_task_set_device_location_id (task, location_id);
    }

  enr_context_get_today (context, &today);
  enr_service_task_set_start_date (task, &today);
  prefill_interaction (context, task);

  return new_flow (context, task);
}

/**
 * enr_flow_session_create_unenrollment:
 *
 * Returns: (transfer full): a new open unenrollment flow ending
 *   @subscription (its stop date the earliest allowed), not yet saved
 */
EnrProcessFlow *
enr_flow_session_create_unenrollment (EnrContext             *context,
                                      EnrProgramSubscription *subscription)
{
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrMeteredService) service = NULL;
  const GDate *start;
  GDate stop;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ENR_IS_PROGRAM_SUBSCRIPTION (subscription), NULL);

  task = new_task (context, ENR_TASK_KIND_UNENROLLMENT,
                   enr_program_subscription_get_customer_id (subscription),
                   enr_program_subscription_get_program_id (subscription));
  enr_service_task_set_subscription_id (task, enr_entity_get_id (ENR_ENTITY (subscription)));
  enr_service_task_set_metered_service_id (task, enr_program_subscription_get_metered_service_id (subscription));
  enr_service_task_set_device_location_id (task, enr_program_subscription_get_device_location_id (subscription));

  service = enr_context_lookup (context, ENR_TYPE_METERED_SERVICE,
                                enr_program_subscription_get_metered_service_id (subscription));
  if (service != NULL)
    enr_service_task_set_service_point_id (task, enr_metered_service_get_service_point_id (service));

  /* The earliest stop date the rules allow: today, or the day the
   * subscription starts when that is later. */
  enr_context_get_today (context, &stop);
  start = enr_program_subscription_get_start_date (subscription);
  if (start != NULL && g_date_valid (start) && g_date_compare (start, &stop) > 0)
    stop = *start;
  enr_service_task_set_stop_date (task, &stop);
  prefill_interaction (context, task);

  return new_flow (context, task);
}

/**
 * enr_flow_session_create_for_task:
 *
 * For a service task known to the store (from the service) that has no
 * local draft: a flow that resumes it on the Customer panel.
 *
 * Returns: (transfer full): a new open flow holding a copy of @task
 */
EnrProcessFlow *
enr_flow_session_create_for_task (EnrContext     *context,
                                  EnrServiceTask *task)
{
  g_autoptr(EnrServiceTask) copy = NULL;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), NULL);

  copy = enr_service_task_copy (task);
  return new_flow (context, copy);
}

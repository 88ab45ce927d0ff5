/* enr-device-setup.c — which work activities a device setup creates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A service task type holds ordered device-setup rules. The first rule
 * whose method equals the task's (installation method for an enrollment,
 * removal method for an unenrollment) and whose ownership equals the
 * task's asset ownership names the activity types to create; a rule with
 * ownership NONE matches any ownership. No matching rule, or no method
 * chosen yet, means no activities.
 *
 * A method whose rules all leave the ownership open (the shipped Utility
 * Installation rules, say) does not need one: the ownership decides
 * nothing then, and the clerk is not asked for it
 * (enr_device_setup_needs_ownership()).
 *
 * Which of those activities need an appointment is data as well: the
 * activity type's needs-appointment flag (in the shipped configuration
 * only the Utility Installation and Utility Removal activities have it).
 */

#include "config.h"

#include "enr-device-setup.h"

#include "enr-activity-type.h"

static gboolean
rule_matches (EnrDeviceSetupRule *rule,
              EnrTaskKind         kind,
              int                 method,
              EnrAssetOwnership   ownership)
{
  EnrAssetOwnership rule_ownership = enr_device_setup_rule_get_ownership (rule);
  int rule_method;

  if (kind == ENR_TASK_KIND_ENROLLMENT)
    rule_method = enr_device_setup_rule_get_installation_method (rule);
  else
    rule_method = enr_device_setup_rule_get_removal_method (rule);

  if (rule_method != method)
    return FALSE;

  return rule_ownership == ENR_ASSET_OWNERSHIP_NONE || rule_ownership == ownership;
}

/**
 * enr_device_setup_activities:
 * @type: the task's service task type
 * @kind: enrollment or unenrollment
 * @method: an #EnrInstallationMethod (enrollment) or #EnrRemovalMethod
 *   (unenrollment)
 * @ownership: the asset ownership the clerk chose
 *
 * Returns: (transfer full) (element-type utf8): the activity type ids of
 *   the first matching rule, in the rule's order; empty when none matches
 */
GPtrArray *
enr_device_setup_activities (EnrServiceTaskType *type,
                             EnrTaskKind         kind,
                             int                 method,
                             EnrAssetOwnership   ownership)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *rules;

  g_return_val_if_fail (ENR_IS_SERVICE_TASK_TYPE (type), NULL);
  g_return_val_if_fail (kind == ENR_TASK_KIND_ENROLLMENT ||
                        kind == ENR_TASK_KIND_UNENROLLMENT, NULL);

  /* NONE (0) is "no method chosen" in both method lists. */
  if (method == 0)
    return g_steal_pointer (&ids);

  rules = enr_service_task_type_get_rules (type);
  if (rules == NULL)
    return g_steal_pointer (&ids);

  for (guint i = 0; i < rules->len; i++)
    {
      EnrDeviceSetupRule *rule = g_ptr_array_index (rules, i);
      const char * const *activity_ids;

      if (!rule_matches (rule, kind, method, ownership))
        continue;

      activity_ids = (const char * const *) enr_device_setup_rule_get_activity_type_ids (rule);
      for (guint j = 0; activity_ids != NULL && activity_ids[j] != NULL; j++)
        if (activity_ids[j][0] != '\0')
          g_ptr_array_add (ids, g_strdup (activity_ids[j]));

      break;
    }

  return g_steal_pointer (&ids);
}

/**
 * enr_device_setup_needs_ownership:
 * @type: (nullable): the task's service task type
 * @kind: enrollment or unenrollment
 * @method: an #EnrInstallationMethod (enrollment) or #EnrRemovalMethod
 *   (unenrollment); 0 = none chosen yet
 *
 * Whether the asset ownership decides anything for @method: some rule of
 * @type for @method names an ownership. Without a task type the answer
 * is yes (nothing says it does not matter); without a method, no (the
 * method is asked first).
 *
 * Returns: whether the clerk must choose the asset ownership
 */
gboolean
enr_device_setup_needs_ownership (EnrServiceTaskType *type,
                                  EnrTaskKind         kind,
                                  int                 method)
{
  GPtrArray *rules;

  g_return_val_if_fail (type == NULL || ENR_IS_SERVICE_TASK_TYPE (type), TRUE);

  if (type == NULL)
    return TRUE;

  if (method == 0 || (rules = enr_service_task_type_get_rules (type)) == NULL)
    return FALSE;

  for (guint i = 0; i < rules->len; i++)
    {
      EnrDeviceSetupRule *rule = g_ptr_array_index (rules, i);
      int rule_method;

      if (kind == ENR_TASK_KIND_ENROLLMENT)
        rule_method = enr_device_setup_rule_get_installation_method (rule);
      else
        rule_method = enr_device_setup_rule_get_removal_method (rule);

      if (rule_method == method && enr_device_setup_rule_get_ownership (rule) != ENR_ASSET_OWNERSHIP_NONE)
        return TRUE;
    }

  return FALSE;
}

/**
 * enr_device_setup_needs_ownership_for_task:
 * @type: (nullable): the task's service task type
 * @task: the service task; its kind and method are used
 *
 * Returns: as enr_device_setup_needs_ownership()
 */
gboolean
enr_device_setup_needs_ownership_for_task (EnrServiceTaskType *type,
                                           EnrServiceTask     *task)
{
  EnrTaskKind kind;

  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), TRUE);

  kind = enr_service_task_get_kind (task);
  return enr_device_setup_needs_ownership (type, kind,
                                           kind == ENR_TASK_KIND_ENROLLMENT
                                           ? (int) enr_service_task_get_installation_method (task)
                                           : (int) enr_service_task_get_removal_method (task));
}

/**
 * enr_device_setup_activities_for_task:
 * @type: the task's service task type
 * @task: the service task; its kind, method and ownership are used
 *
 * Returns: (transfer full) (element-type utf8): as enr_device_setup_activities()
 */
GPtrArray *
enr_device_setup_activities_for_task (EnrServiceTaskType *type,
                                      EnrServiceTask     *task)
{
  EnrTaskKind kind;
  int method;

  g_return_val_if_fail (ENR_IS_SERVICE_TASK_TYPE (type), NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), NULL);

  kind = enr_service_task_get_kind (task);
  if (kind == ENR_TASK_KIND_ENROLLMENT)
    method = enr_service_task_get_installation_method (task);
  else
    method = enr_service_task_get_removal_method (task);

  return enr_device_setup_activities (type, kind, method,
                                      enr_service_task_get_ownership (task));
}

static EnrActivityType *
find_activity_type (GPtrArray  *activity_types,
                    const char *id)
{
  for (guint i = 0; activity_types != NULL && i < activity_types->len; i++)
    {
      EnrActivityType *activity_type = g_ptr_array_index (activity_types, i);

      if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (activity_type)), id) == 0)
        return activity_type;
    }

  return NULL;
}

static GPtrArray *
resolve (GPtrArray *activity_ids,
         GPtrArray *activity_types,
         gboolean   only_with_appointment)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; activity_ids != NULL && i < activity_ids->len; i++)
    {
      EnrActivityType *activity_type;

      activity_type = find_activity_type (activity_types, g_ptr_array_index (activity_ids, i));
      if (activity_type == NULL)
        continue;

      if (only_with_appointment && !enr_activity_type_get_needs_appointment (activity_type))
        continue;

      g_ptr_array_add (result, g_object_ref (activity_type));
    }

  return g_steal_pointer (&result);
}

/**
 * enr_device_setup_resolve_activity_types:
 * @activity_ids: (element-type utf8) (nullable): activity type ids
 * @activity_types: (element-type EnrActivityType) (nullable): the catalogue
 *
 * Ids missing from the catalogue are left out.
 *
 * Returns: (transfer full) (element-type EnrActivityType): the activity
 *   types of @activity_ids, in that order
 */
GPtrArray *
enr_device_setup_resolve_activity_types (GPtrArray *activity_ids,
                                         GPtrArray *activity_types)
{
  return resolve (activity_ids, activity_types, FALSE);
}

/**
 * enr_device_setup_required_appointments:
 * @activity_ids: (element-type utf8) (nullable): activity type ids
 * @activity_types: (element-type EnrActivityType) (nullable): the catalogue
 *
 * Returns: (transfer full) (element-type EnrActivityType): the activity
 *   types of @activity_ids that need an appointment, in that order
 */
GPtrArray *
enr_device_setup_required_appointments (GPtrArray *activity_ids,
                                        GPtrArray *activity_types)
{
  return resolve (activity_ids, activity_types, TRUE);
}

/* enr-service-context.c — everything the rules need to know about a customer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-context.h"

void
enr_service_date_today (GDate *date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
}

gpointer
enr_service_find_entity (GPtrArray  *entities,
                         const char *id)
{
  if (entities == NULL || id == NULL)
    return NULL;

  for (guint i = 0; i < entities->len; i++)
    if (g_strcmp0 (enr_entity_get_id (g_ptr_array_index (entities, i)), id) == 0)
      return g_ptr_array_index (entities, i);

  return NULL;
}

/* Decodes stored records of @type. */
static GPtrArray *
decode_all (GType       type,
            GPtrArray  *rows,
            GError    **error)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_full (rows->len, g_object_unref);

  for (guint i = 0; i < rows->len; i++)
    {
      gpointer object = enr_codec_decode_data (type, g_ptr_array_index (rows, i), -1, error);

      if (object == NULL)
        return NULL;
      g_ptr_array_add (objects, object);
    }

  return g_steal_pointer (&objects);
}

void
enr_service_customer_free (EnrServiceCustomer *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->customer);
  g_clear_pointer (&self->metered_services, g_ptr_array_unref);
  g_clear_pointer (&self->service_points, g_ptr_array_unref);
  g_clear_pointer (&self->device_locations, g_ptr_array_unref);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_clear_pointer (&self->premise_subscriptions, g_hash_table_unref);
  g_free (self);
}

EnrServiceCustomer *
enr_service_customer_load (EnrServiceStore  *store,
                           const char       *customer_id,
                           GError          **error)
{
  return enr_service_customer_load_parts (store, customer_id, TRUE, FALSE, error);
}

/* Without @with_tasks, tasks stays empty: saving a task's panels does not
 * look at the customer's other tasks. With @for_write, the customer's
 * premises are locked before the other accounts' enrollments there are
 * read (enr_service_store_lock_premises()): two accounts at one premise
 * enrolling at once on two instances take turns, and the second sees the
 * first's enrollment against the premise limit. */
EnrServiceCustomer *
enr_service_customer_load_parts (EnrServiceStore  *store,
                                 const char       *customer_id,
                                 gboolean          with_tasks,
                                 gboolean          for_write,
                                 GError          **error)
{
  g_autoptr(EnrServiceCustomer) self = g_new0 (EnrServiceCustomer, 1);
  g_auto(EnrServiceCustomerView) view = { 0 };

  /* One round trip for all of them (and the customer's lock, if the
   * caller deferred it). */
  if (!enr_service_store_customer_view (store, customer_id, NULL, &view, error))
    return NULL;
  if (!(self->customer = enr_codec_decode_data (ENR_TYPE_CUSTOMER, view.customer, -1, error)) ||
      !(self->metered_services = decode_all (ENR_TYPE_METERED_SERVICE, view.metered_services, error)) ||
      !(self->service_points = decode_all (ENR_TYPE_SERVICE_POINT, view.service_points, error)) ||
      !(self->device_locations = decode_all (ENR_TYPE_DEVICE_LOCATION, view.device_locations, error)) ||
      !(self->devices = decode_all (ENR_TYPE_DEVICE, view.devices, error)) ||
      !(self->subscriptions = decode_all (ENR_TYPE_PROGRAM_SUBSCRIPTION, view.subscriptions, error)))
    return NULL;

  if (for_write)
    {
      g_autoptr(GPtrArray) premises = g_ptr_array_new ();

      for (guint i = 0; i < self->service_points->len; i++)
        {
          const char *premise_id = enr_service_point_get_premise_id (g_ptr_array_index (self->service_points, i));

          if (premise_id != NULL && premise_id[0] != '\0')
            g_ptr_array_add (premises, (gpointer) premise_id);
        }
      if (!enr_service_store_lock_premises (store, premises, error))
        return NULL;
    }

  self->premise_subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < self->service_points->len; i++)
    {
      const char *premise_id = enr_service_point_get_premise_id (g_ptr_array_index (self->service_points, i));
      GPtrArray *others;

      if (premise_id == NULL || premise_id[0] == '\0' ||
          g_hash_table_contains (self->premise_subscriptions, premise_id))
        continue;

      if (!(others = enr_service_store_premise_subscriptions (store, customer_id, premise_id, error)))
        return NULL;
      g_hash_table_insert (self->premise_subscriptions, g_strdup (premise_id), others);
    }

  if (!with_tasks)
    self->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  else if (!(self->tasks = enr_service_store_list (store, ENR_TYPE_SERVICE_TASK,
                                                   "customer_id", customer_id, error)))
    return NULL;

  return g_steal_pointer (&self);
}

EnrServicePoint *
enr_service_customer_service_point_of (EnrServiceCustomer *self,
                                       EnrMeteredService  *metered_service)
{
  if (metered_service == NULL)
    return NULL;

  return enr_service_find_entity (self->service_points,
                                  enr_metered_service_get_service_point_id (metered_service));
}

GPtrArray *
enr_service_customer_devices_at (EnrServiceCustomer *self,
                                 const char         *device_location_id)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->devices->len; i++)
    {
      EnrDevice *device = g_ptr_array_index (self->devices, i);

      if (g_strcmp0 (enr_device_get_device_location_id (device), device_location_id) == 0)
        g_ptr_array_add (devices, g_object_ref (device));
    }

  return devices;
}

void
enr_service_program_free (EnrServiceProgram *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->program);
  g_clear_object (&self->program_type);
  g_clear_object (&self->initiative);
  g_clear_object (&self->enrollment_type);
  g_clear_object (&self->unenrollment_type);
  g_clear_pointer (&self->catalog, g_ptr_array_unref);
  g_free (self);
}

EnrServiceProgram *
enr_service_program_load (EnrServiceStore  *store,
                          const char       *program_id,
                          GError          **error)
{
  g_autoptr(EnrServiceProgram) self = g_new0 (EnrServiceProgram, 1);
  const char *initiative_id;

  self->program = enr_service_store_get (store, ENR_TYPE_PROGRAM, program_id, error);
  if (self->program == NULL)
    return NULL;

  self->program_type = enr_service_store_get (store, ENR_TYPE_PROGRAM_TYPE,
                                              enr_program_get_program_type_id (self->program), error);
  if (self->program_type == NULL)
    return NULL;

  initiative_id = enr_program_get_initiative_id (self->program);
  if (initiative_id != NULL)
    {
      self->initiative = enr_service_store_get (store, ENR_TYPE_INITIATIVE, initiative_id, error);
      if (self->initiative == NULL)
        return NULL;
    }

  self->enrollment_type = enr_service_store_get (store, ENR_TYPE_SERVICE_TASK_TYPE,
                                                 enr_program_get_enrollment_task_type_id (self->program),
                                                 error);
  if (self->enrollment_type == NULL)
    return NULL;

  self->unenrollment_type = enr_service_store_get (store, ENR_TYPE_SERVICE_TASK_TYPE,
                                                   enr_program_get_unenrollment_task_type_id (self->program),
                                                   error);
  if (self->unenrollment_type == NULL)
    return NULL;

  self->catalog = enr_service_store_list (store, ENR_TYPE_PROGRAM, NULL, NULL, error);
  if (self->catalog == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

EnrServiceTaskType *
enr_service_program_task_type (EnrServiceProgram *self,
                               EnrTaskKind        kind)
{
  return kind == ENR_TASK_KIND_ENROLLMENT ? self->enrollment_type : self->unenrollment_type;
}

/* The installation method that would provide a device, if the program's
 * enrollment task type offers one. */
static EnrInstallationMethod
providing_method (EnrServiceProgram *program)
{
  GPtrArray *rules = enr_service_task_type_get_rules (program->enrollment_type);

  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      EnrInstallationMethod method =
        enr_device_setup_rule_get_installation_method (g_ptr_array_index (rules, i));

      if (method == ENR_INSTALLATION_METHOD_SHIP_DEVICE ||
          method == ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION)
        return method;
    }

  return ENR_INSTALLATION_METHOD_NONE;
}

/* Without @task: may the customer join at all (no answers asked yet; a
 * device counts as available when the task type can ship or install one).
 * With @task: the authoritative check of Finish, answers included. */
EnrEligibilityResult *
enr_service_evaluate_eligibility (EnrServiceCustomer *customer,
                                  EnrServiceProgram  *program,
                                  EnrMeteredService  *metered_service,
                                  EnrServiceTask     *task,
                                  const GDate        *today)
{
  EnrServicePoint *point = enr_service_customer_service_point_of (customer, metered_service);
  const char *premise_id = point != NULL ? enr_service_point_get_premise_id (point) : NULL;
  EnrEligibilityInput input = {
    .program = program->program,
    .program_type = program->program_type,
    .initiative = program->initiative,
    .customer = customer->customer,
    .metered_service = metered_service,
    .service_point = point,
    .devices = customer->devices,
    .subscriptions = customer->subscriptions,
    .open_tasks = customer->tasks,
    .current_task_id = task != NULL ? enr_entity_get_id (ENR_ENTITY (task)) : NULL,
    .start_date = task != NULL ? enr_service_task_get_start_date (task) : NULL,
    .today = today,
    .answers = task != NULL ? enr_service_task_get_answers (task) : NULL,
    .installation_method = task != NULL ? enr_service_task_get_installation_method (task)
                                        : providing_method (program),
    .check_answers = task != NULL,
    .programs = program->catalog,
    .premise_subscriptions = premise_id != NULL && customer->premise_subscriptions != NULL
                             ? g_hash_table_lookup (customer->premise_subscriptions, premise_id)
                             : NULL,
  };

  return enr_eligibility_evaluate (&input);
}

/* enr-service-tasks-finish.c — Finish: the panel data becomes records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-device-setup.h"
#include "enr-lifecycle.h"
#include "enr-service-auth.h"
#include "enr-service-context.h"
#include "enr-service-decoders.h"
#include "enr-service-handlers.h"
#include "enr-service-tasks.h"
#include "enr-slot-finder.h"
#include "enr-step-plan.h"
#include "enr-validation.h"

/* The devices the flow offers: those that can be re-enrolled at the
 * task's location (enrollment) or that the ended subscription holds
 * (unenrollment). */
static GPtrArray *
offered_devices (EnrServiceCustomer *customer,
                 EnrServiceProgram  *program,
                 EnrServiceTask     *task)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func (g_object_unref);
  const char *location_id = enr_service_task_get_device_location_id (task);
  const char * const *specifications = enr_program_get_device_specifications (program->program);

  for (guint i = 0; i < customer->devices->len; i++)
    {
      EnrDevice *device = g_ptr_array_index (customer->devices, i);
      EnrDeviceStatus status = enr_device_get_status (device);

      if (enr_service_task_get_kind (task) == ENR_TASK_KIND_UNENROLLMENT)
        {
          if (g_strcmp0 (enr_device_get_subscription_id (device),
                         enr_service_task_get_subscription_id (task)) == 0)
            g_ptr_array_add (devices, g_object_ref (device));
          continue;
        }

      if (location_id != NULL && g_strcmp0 (enr_device_get_device_location_id (device), location_id) != 0)
        continue;
      if (status == ENR_DEVICE_STATUS_REMOVED || status == ENR_DEVICE_STATUS_RETURNED)
        continue;
      if (specifications != NULL && specifications[0] != NULL &&
          !g_strv_contains (specifications, enr_device_get_specification (device)))
        continue;
      if (enr_device_get_subscription_id (device) != NULL)
        {
          EnrProgramSubscription *subscription =
            enr_service_find_entity (customer->subscriptions, enr_device_get_subscription_id (device));

          if (subscription == NULL ||
              enr_program_subscription_get_status (subscription) != ENR_SUBSCRIPTION_STATUS_ENDED)
            continue;
        }

      g_ptr_array_add (devices, g_object_ref (device));
    }

  return devices;
}

typedef struct
{
  EnrServiceRequest  *req;
  EnrServiceTask     *task;
  EnrServiceCustomer *customer;
  EnrServiceProgram  *program;
  GPtrArray          *activity_ids;   /* utf8 */
  GPtrArray          *activities;     /* EnrActivityType */
  GPtrArray          *devices;        /* offered */
  GDate               today;
} Finish;

static void
finish_clear (Finish *finish)
{
  g_clear_pointer (&finish->activity_ids, g_ptr_array_unref);
  g_clear_pointer (&finish->activities, g_ptr_array_unref);
  g_clear_pointer (&finish->devices, g_ptr_array_unref);
}

/* The reasons Finish sends a task to Error: panel data and eligibility. */
static char **
finish_reasons (Finish *finish)
{
  EnrServiceTask *task = finish->task;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(EnrStepPlan) plan = NULL;
  g_autoptr(GStrvBuilder) reasons = g_strv_builder_new ();
  EnrProgramSubscription *subscription =
    enr_service_find_entity (finish->customer->subscriptions, enr_service_task_get_subscription_id (task));
  EnrValidationContext ctx = {
    .task = task,
    .program = finish->program->program,
    .program_type = finish->program->program_type,
    .task_type = enr_service_program_task_type (finish->program, enr_service_task_get_kind (task)),
    .devices = finish->devices,
    .activities = finish->activities,
    .today = &finish->today,
    .subscription_start = subscription != NULL ? enr_program_subscription_get_start_date (subscription) : NULL,
  };

  plan = enr_step_plan_new_for_program_type (enr_service_task_get_kind (task), finish->program->program_type);
  errors = enr_validate_task (&ctx, plan);
  for (guint i = 0; i < errors->len; i++)
    g_strv_builder_add (reasons, enr_field_error_get_message (g_ptr_array_index (errors, i)));

  if (enr_service_task_get_kind (task) == ENR_TASK_KIND_ENROLLMENT)
    {
      EnrMeteredService *metered_service =
        enr_service_find_entity (finish->customer->metered_services,
                                 enr_service_task_get_metered_service_id (task));
      g_autoptr(EnrEligibilityResult) result =
        enr_service_evaluate_eligibility (finish->customer, finish->program, metered_service,
                                          task, &finish->today);
      GPtrArray *list = enr_eligibility_result_get_reasons (result);

      if (!enr_eligibility_result_get_eligible (result))
        for (guint i = 0; list != NULL && i < list->len; i++)
          g_strv_builder_add (reasons, enr_eligibility_reason_get_text (g_ptr_array_index (list, i)));
    }
  else if (subscription != NULL &&
           enr_program_subscription_get_status (subscription) == ENR_SUBSCRIPTION_STATUS_ENDED)
    g_strv_builder_add (reasons, _("The subscription has ended already"));

  return g_strv_builder_end (reasons);
}

static gboolean
save_entity (Finish    *finish,
             gpointer   entity,
             GError   **error)
{
  return enr_service_store_save (finish->req->store, entity, NULL, error) >= 0;
}

static gboolean
is_activity_needed (Finish     *finish,
                    const char *activity_id)
{
  for (guint i = 0; i < finish->activities->len; i++)
    {
      EnrActivityType *activity = g_ptr_array_index (finish->activities, i);

      if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (activity)), activity_id) == 0)
        return enr_activity_type_get_needs_appointment (activity);
    }

  return FALSE;
}

/* Books @appointment unless its slot was taken meanwhile; @replaced is
 * the id of the appointment it replaces (reschedule), if any.
 *
 * The database keeps the capacity: saving the booked appointment takes
 * its time from its shift with a conditional UPDATE, which fails when the
 * shift has no room (and, on PostgreSQL, locks the shift's row until the
 * transaction ends, so that the bookings of one shift take turns). Only
 * then are the other bookings read to check that the crew is free then.
 * A taken slot rolls the write back, booking included. */
gboolean
enr_service_book_appointment (EnrServiceRequest  *req,
                              EnrAppointment     *appointment,
                              const char         *replaced,
                              gboolean           *taken,
                              GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(EnrCrewShift) shift = NULL;
  g_autoptr(GPtrArray) shifts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) booked = NULL;
  g_autoptr(EnrSlot) slot = enr_slot_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *id = enr_entity_get_id (ENR_ENTITY (appointment));

  *taken = FALSE;

  shift = enr_service_store_get (req->store, ENR_TYPE_CREW_SHIFT,
                                 enr_appointment_get_crew_shift_id (appointment), NULL);
  if (shift == NULL || g_date_time_compare (enr_appointment_get_start (appointment), now) < 0)
    {
      *taken = TRUE;
      return TRUE;
    }
  g_ptr_array_add (shifts, g_object_ref (shift));

  enr_appointment_set_status (appointment, ENR_APPOINTMENT_STATUS_BOOKED);
  if (enr_service_store_save (req->store, appointment, NULL, &local_error) < 0)
    {
      if (g_error_matches (local_error, ENR_DB_ERROR, ENR_DB_ERROR_CONSTRAINT))
        {
          *taken = TRUE;
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  booked = enr_service_store_booked_appointments (req->store, enr_crew_shift_get_date (shift),
                                                  enr_crew_shift_get_date (shift), error);
  if (booked == NULL)
    return FALSE;
  for (guint i = booked->len; i > 0; i--)
    {
      const char *other = enr_entity_get_id (g_ptr_array_index (booked, i - 1));

      if (g_strcmp0 (other, id) == 0 || g_strcmp0 (other, replaced) == 0)
        g_ptr_array_remove_index (booked, i - 1);
    }

  enr_slot_set_crew_id (slot, enr_appointment_get_crew_id (appointment));
  enr_slot_set_crew_shift_id (slot, enr_appointment_get_crew_shift_id (appointment));
  enr_slot_set_activity_type_id (slot, enr_appointment_get_activity_type_id (appointment));
  enr_slot_set_start (slot, enr_appointment_get_start (appointment));
  enr_slot_set_end (slot, enr_appointment_get_end (appointment));

  if (!enr_slot_is_still_free (slot, shifts, booked))
    *taken = TRUE;

  return TRUE;
}

void
enr_service_reply_slot_taken (EnrServiceRequest *req,
                              EnrAppointment    *appointment)
{
  g_autofree char *start = enr_codec_format_date_time (enr_appointment_get_start (appointment));

  enr_service_request_problem (req, 409, "slot-unavailable",
                               "The slot at %s (crew %s) is no longer free; choose another one.",
                               start, enr_appointment_get_crew_id (appointment));
}

static gboolean
book_appointments (Finish   *finish,
                   GError  **error)
{
  EnrServiceTask *task = finish->task;
  GPtrArray *appointments = enr_service_task_get_appointments (task);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i);
      gboolean taken;

      /* Only the activities of the chosen method are booked. */
      if (!is_activity_needed (finish, enr_appointment_get_activity_type_id (appointment)))
        continue;

      if (enr_entity_get_id (ENR_ENTITY (appointment)) == NULL ||
          enr_service_store_exists (finish->req->store, ENR_TYPE_APPOINTMENT,
                                    enr_entity_get_id (ENR_ENTITY (appointment))))
        {
          g_autofree char *id = enr_service_new_id ();

          enr_entity_set_id (ENR_ENTITY (appointment), id);
        }
      enr_appointment_set_service_task_id (appointment, enr_entity_get_id (ENR_ENTITY (task)));

      if (!enr_service_book_appointment (finish->req, appointment, NULL, &taken, error))
        return FALSE;
      if (taken)
        {
          enr_service_reply_slot_taken (finish->req, appointment);
          return TRUE;
        }
      g_ptr_array_add (kept, g_object_ref (appointment));
    }

  enr_service_task_set_appointments (task, kept);
  return TRUE;
}

static EnrDeviceLocation *
ensure_location (Finish   *finish,
                 GError  **error)
{
  EnrServiceTask *task = finish->task;
  EnrServicePoint *point;
  g_autoptr(EnrDeviceLocation) location = NULL;
  g_autofree char *id = NULL;

  if (enr_service_task_get_device_location_id (task) != NULL)
    return g_object_ref (enr_service_find_entity (finish->customer->device_locations,
                                                  enr_service_task_get_device_location_id (task)));

  point = enr_service_find_entity (finish->customer->service_points,
                                   enr_service_task_get_service_point_id (task));
  if (point == NULL)
    return NULL;

  id = enr_service_new_id ();
  location = enr_device_location_new ();
  enr_entity_set_id (ENR_ENTITY (location), id);
  enr_device_location_set_service_point_id (location, enr_entity_get_id (ENR_ENTITY (point)));
  enr_device_location_set_address (location, enr_service_point_get_address (point));
  enr_device_location_set_description (location, _("Created by enrollment"));

  if (!save_entity (finish, location, error))
    return NULL;

  enr_service_task_set_device_location_id (task, id);
  return g_steal_pointer (&location);
}

static gboolean
finish_enrollment (Finish    *finish,
                   gboolean   field_work,
                   GError   **error)
{
  EnrServiceTask *task = finish->task;
  EnrProgram *program = finish->program->program;
  g_autoptr(EnrDeviceLocation) location = NULL;
  g_autoptr(EnrProgramSubscription) subscription = enr_program_subscription_new ();
  g_autofree char *subscription_id = enr_service_new_id ();
  const char * const *device_ids = enr_service_task_get_device_ids (task);
  const char * const *specifications = enr_program_get_device_specifications (program);
  EnrInstallationMethod method = enr_service_task_get_installation_method (task);
  const GDate *start = enr_service_task_get_start_date (task);

  if (enr_program_type_get_location_required (finish->program->program_type))
    {
      location = ensure_location (finish, error);
      if (location == NULL && error != NULL && *error != NULL)
        return FALSE;
    }

  enr_entity_set_id (ENR_ENTITY (subscription), subscription_id);
  enr_program_subscription_set_program_id (subscription, enr_entity_get_id (ENR_ENTITY (program)));
  enr_program_subscription_set_customer_id (subscription, enr_service_task_get_customer_id (task));
  enr_program_subscription_set_metered_service_id (subscription, enr_service_task_get_metered_service_id (task));
  enr_program_subscription_set_device_location_id (subscription, enr_service_task_get_device_location_id (task));
  enr_program_subscription_set_start_date (subscription, start != NULL ? start : &finish->today);
  enr_program_subscription_set_status (subscription, field_work ? ENR_SUBSCRIPTION_STATUS_PENDING
                                                                : ENR_SUBSCRIPTION_STATUS_ACTIVE);
  enr_program_subscription_set_service_task_id (subscription, enr_entity_get_id (ENR_ENTITY (task)));
  if (!save_entity (finish, subscription, error))
    return FALSE;
  enr_service_task_set_subscription_id (task, subscription_id);

  if (method == ENR_INSTALLATION_METHOD_RE_ENROLL)
    {
      for (guint i = 0; device_ids != NULL && device_ids[i] != NULL; i++)
        {
          EnrDevice *device = enr_service_find_entity (finish->customer->devices, device_ids[i]);

          if (device == NULL)
            continue;
          enr_device_set_subscription_id (device, subscription_id);
          enr_device_set_status (device, ENR_DEVICE_STATUS_ACTIVE);
          if (!save_entity (finish, device, error))
            return FALSE;
        }
    }
  else if ((method == ENR_INSTALLATION_METHOD_SHIP_DEVICE ||
            method == ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION) &&
           specifications != NULL && specifications[0] != NULL)
    {
      g_autofree char *asset_type = enr_service_store_asset_type_of (finish->req->store, specifications[0]);
      GEnumClass *types = g_type_class_ref (ENR_TYPE_ASSET_TYPE);
      GEnumValue *type = asset_type != NULL ? g_enum_get_value_by_nick (types, asset_type) : NULL;

      /* A planned device needs its asset type: known from another device
       * of the model; otherwise the field work records the device. */
      if (type != NULL)
        {
          g_autoptr(EnrDevice) device = enr_device_new ();
          g_autofree char *device_id = enr_service_new_id ();
          EnrAssetOwnership ownership = enr_service_task_get_ownership (task);

          enr_entity_set_id (ENR_ENTITY (device), device_id);
          enr_device_set_asset_type (device, type->value);
          enr_device_set_specification (device, specifications[0]);
          enr_device_set_ownership (device, ownership != ENR_ASSET_OWNERSHIP_NONE
                                            ? ownership : ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
          enr_device_set_status (device, ENR_DEVICE_STATUS_PLANNED);
          enr_device_set_device_location_id (device, enr_service_task_get_device_location_id (task));
          enr_device_set_subscription_id (device, subscription_id);
          if (!save_entity (finish, device, error))
            {
              g_type_class_unref (types);
              return FALSE;
            }
        }
      g_type_class_unref (types);
    }

  return TRUE;
}

static gboolean
finish_unenrollment (Finish    *finish,
                     gboolean   field_work,
                     GError   **error)
{
  EnrServiceTask *task = finish->task;
  g_autoptr(EnrProgramSubscription) subscription = NULL;
  const GDate *stop = enr_service_task_get_stop_date (task);

  subscription = enr_service_store_get (finish->req->store, ENR_TYPE_PROGRAM_SUBSCRIPTION,
                                        enr_service_task_get_subscription_id (task), error);
  if (subscription == NULL)
    return FALSE;

  enr_program_subscription_set_end_date (subscription, stop != NULL ? stop : &finish->today);
  if (!field_work)
    enr_program_subscription_set_status (subscription, ENR_SUBSCRIPTION_STATUS_ENDED);
  if (!save_entity (finish, subscription, error))
    return FALSE;

  /* Kept devices leave the program now; shipped or removed ones when the
   * field work is complete. */
  if (enr_service_task_get_removal_method (task) == ENR_REMOVAL_METHOD_KEEP || !field_work)
    for (guint i = 0; i < finish->devices->len; i++)
      {
        EnrDevice *device = g_ptr_array_index (finish->devices, i);

        enr_device_set_subscription_id (device, NULL);
        if (!save_entity (finish, device, error))
          return FALSE;
      }

  return TRUE;
}

gboolean
enr_service_log_communication (EnrServiceStore   *store,
                               const char        *by,
                               GDateTime         *now,
                               EnrServiceTask    *task,
                               const char        *channel,
                               const char        *klass,
                               const char        *category,
                               const char        *notes,
                               GError           **error)
{
  g_autoptr(EnrCustomerCommunication) communication = enr_customer_communication_new ();
  g_autofree char *id = enr_service_new_id ();

  enr_entity_set_id (ENR_ENTITY (communication), id);
  enr_customer_communication_set_customer_id (communication, enr_service_task_get_customer_id (task));
  enr_customer_communication_set_channel (communication, channel);
  enr_customer_communication_set_class (communication, klass);
  enr_customer_communication_set_category (communication, category);
  enr_customer_communication_set_notes (communication, notes);
  enr_customer_communication_set_service_task_id (communication, enr_entity_get_id (ENR_ENTITY (task)));
  enr_customer_communication_set_program_id (communication, enr_service_task_get_program_id (task));
  enr_customer_communication_set_created_by (communication, by);
  enr_customer_communication_set_created_at (communication, now);

  return enr_service_store_save (store, communication, NULL, error) >= 0;
}

static gboolean
log_interactions (Finish   *finish,
                  GError  **error)
{
  GPtrArray *interactions = enr_service_task_get_interactions (finish->task);

  for (guint i = 0; interactions != NULL && i < interactions->len; i++)
    {
      EnrInteraction *interaction = g_ptr_array_index (interactions, i);

      if (enr_interaction_is_empty (interaction) ||
          enr_interaction_get_channel (interaction) == NULL ||
          enr_interaction_get_class (interaction) == NULL ||
          enr_interaction_get_category (interaction) == NULL)
        continue;

      if (!enr_service_log_communication (finish->req->store, enr_service_request_get_username (finish->req),
                                          finish->req->now, finish->task,
                                          enr_interaction_get_channel (interaction),
                                          enr_interaction_get_class (interaction),
                                          enr_interaction_get_category (interaction),
                                          enr_interaction_get_notes (interaction), error))
        return FALSE;
    }

  return TRUE;
}

void
enr_service_handle_task_finish (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrServiceCustomer) customer = NULL;
  g_autoptr(EnrServiceProgram) program = NULL;
  g_autoptr(GPtrArray) catalogue = NULL;
  g_auto(GStrv) reasons = NULL;
  g_autofree char *json = NULL;
  const char *user = enr_service_request_get_username (req);
  Finish finish = { 0, };
  gboolean field_work;
  gsize length;
  const char *body = enr_service_request_get_body (req, &length);
  gint64 version;

  if (!(task = enr_service_load_task (req, &version, &json)) ||
      !enr_service_request_check_if_match (req, version, json))
    return;

  if (!enr_service_decode_empty (body, length, &error))
    goto failed;

  if (enr_service_task_get_status (task) == ENR_TASK_STATUS_ERROR)
    {
      enr_service_request_problem (req, 409, "task-state-conflict",
                                   "Correct the service task and save it before finishing it again.");
      return;
    }
  if (enr_service_task_get_status (task) != ENR_TASK_STATUS_PENDING)
    {
      enr_service_reply_state_conflict (req, task, "finished");
      return;
    }

  /* The customer's records decide (eligibility, what the enrollment
   * creates): its writes take turns until this one commits. */
  if (!enr_service_store_lock (req->store, ENR_TYPE_CUSTOMER, enr_service_task_get_customer_id (task), &error) ||
      !(customer = enr_service_customer_load_parts (req->store, enr_service_task_get_customer_id (task),
                                                    TRUE, TRUE, &error)) ||
      !(program = enr_service_program_load (req->store, enr_service_task_get_program_id (task), &error)) ||
      !(catalogue = enr_service_store_list (req->store, ENR_TYPE_ACTIVITY_TYPE, NULL, NULL, &error)))
    goto failed;

  if (!enr_service_task_transition (task, ENR_TASK_STATUS_VALIDATE, user, req->now, _("Finish"), &error))
    goto failed;

  finish.req = req;
  finish.task = task;
  finish.customer = customer;
  finish.program = program;
  enr_service_date_today (&finish.today);
  finish.activity_ids = enr_device_setup_activities_for_task (enr_service_program_task_type (program,
                                                                                             enr_service_task_get_kind (task)),
                                                              task);
  finish.activities = enr_device_setup_resolve_activity_types (finish.activity_ids, catalogue);
  finish.devices = offered_devices (customer, program, task);

  reasons = finish_reasons (&finish);
  if (reasons[0] != NULL)
    {
      finish_clear (&finish);
      if (!enr_service_task_transition (task, ENR_TASK_STATUS_ERROR, user, req->now,
                                        _("Validation failed"), &error))
        goto failed;
      enr_service_task_set_reasons (task, (const char * const *) reasons);
      if ((version = enr_service_save_task (req, task, &error)) < 0)
        goto failed;
      enr_service_reply_task (req, 200, task, version);
      return;
    }

  field_work = finish.activity_ids->len > 0;

  if (!book_appointments (&finish, &error))
    goto failed_finish;
  if (req->status != 0)
    {
      /* A slot was taken: the dispatcher rolls everything back. */
      finish_clear (&finish);
      return;
    }

  if (enr_service_task_get_kind (task) == ENR_TASK_KIND_ENROLLMENT)
    {
      if (!finish_enrollment (&finish, field_work, &error))
        goto failed_finish;
    }
  else if (!finish_unenrollment (&finish, field_work, &error))
    goto failed_finish;

  if (!log_interactions (&finish, &error))
    goto failed_finish;

  if (!enr_service_store_record_consent (req->store, task, req->now, &error))
    goto failed_finish;

  finish_clear (&finish);

  if (!enr_service_task_transition (task, field_work ? ENR_TASK_STATUS_IN_PROGRESS
                                                     : ENR_TASK_STATUS_COMPLETED,
                                    user, req->now,
                                    field_work ? _("Field work scheduled") : _("No field work"), &error))
    goto failed;

  if ((version = enr_service_save_task (req, task, &error)) < 0)
    goto failed;

  enr_service_reply_task (req, 200, task, version);
  return;

failed_finish:
  finish_clear (&finish);
failed:
  enr_service_request_gerror (req, error);
}

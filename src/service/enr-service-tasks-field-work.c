/* enr-service-tasks-field-work.c — field work done, and appointments moved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-lifecycle.h"
#include "enr-service-context.h"
#include "enr-service-decoders.h"
#include "enr-service-handlers.h"
#include "enr-service-tasks.h"

void
enr_service_handle_task_complete (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrProgramSubscription) subscription = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *json = NULL;
  gsize length;
  const char *body = enr_service_request_get_body (req, &length);
  gboolean enrollment;
  gint64 version;

  if (!(task = enr_service_load_task (req, &version, &json)) ||
      !enr_service_request_check_if_match (req, version, json))
    return;

  if (!enr_service_decode_empty (body, length, &error))
    goto failed;

  if (enr_service_task_get_status (task) != ENR_TASK_STATUS_IN_PROGRESS)
    {
      enr_service_reply_state_conflict (req, task, "completed");
      return;
    }

  enrollment = enr_service_task_get_kind (task) == ENR_TASK_KIND_ENROLLMENT;

  if (!enr_service_set_appointments_status (req->store, task, ENR_APPOINTMENT_STATUS_COMPLETED, &error))
    goto failed;

  subscription = enr_service_store_get (req->store, ENR_TYPE_PROGRAM_SUBSCRIPTION,
                                        enr_service_task_get_subscription_id (task), &error);
  if (subscription == NULL)
    goto failed;

  enr_program_subscription_set_status (subscription, enrollment ? ENR_SUBSCRIPTION_STATUS_ACTIVE
                                                                : ENR_SUBSCRIPTION_STATUS_ENDED);
  if (enr_service_store_save (req->store, subscription, NULL, &error) < 0)
    goto failed;

  if (!(devices = enr_service_subscription_devices (req->store, enr_entity_get_id (ENR_ENTITY (subscription)), &error)))
    goto failed;
  for (guint i = 0; i < devices->len; i++)
    {
      EnrDevice *device = g_ptr_array_index (devices, i);

      if (enrollment)
        {
          if (enr_device_get_status (device) == ENR_DEVICE_STATUS_PLANNED)
            enr_device_set_status (device, ENR_DEVICE_STATUS_ACTIVE);
        }
      else
        {
          enr_device_set_subscription_id (device, NULL);
          if (enr_service_task_get_removal_method (task) == ENR_REMOVAL_METHOD_SHIP_DEVICE)
            enr_device_set_status (device, ENR_DEVICE_STATUS_RETURNED);
          else if (enr_service_task_get_removal_method (task) == ENR_REMOVAL_METHOD_UTILITY_REMOVAL)
            enr_device_set_status (device, ENR_DEVICE_STATUS_REMOVED);
        }
      if (enr_service_store_save (req->store, device, NULL, &error) < 0)
        goto failed;
    }

  if (!enr_service_task_transition (task, ENR_TASK_STATUS_COMPLETED,
                                    enr_service_request_get_username (req), req->now,
                                    _("Field work complete"), &error))
    goto failed;

  if ((version = enr_service_save_task (req, task, &error)) < 0)
    goto failed;

  enr_service_reply_task (req, 200, task, version);
  return;

failed:
  enr_service_request_gerror (req, error);
}

void
enr_service_handle_task_reschedule (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(GPtrArray) moves = NULL;
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *json = NULL;
  GPtrArray *listed;
  gsize length;
  const char *body = enr_service_request_get_body (req, &length);
  gint64 version;

  if (!(task = enr_service_load_task (req, &version, &json)) ||
      !enr_service_request_check_if_match (req, version, json))
    return;

  if (!(moves = enr_service_decode_reschedule (body, length, &error)))
    goto failed;

  if (enr_service_task_get_status (task) != ENR_TASK_STATUS_IN_PROGRESS)
    {
      enr_service_reply_state_conflict (req, task, "rescheduled");
      return;
    }

  listed = enr_service_task_get_appointments (task);

  for (guint i = 0; i < moves->len; i++)
    {
      EnrAppointment *move = g_ptr_array_index (moves, i);
      const char *id = enr_entity_get_id (ENR_ENTITY (move));
      g_autofree char *field = g_strdup_printf ("appointments[%u]", i);
      g_autoptr(EnrAppointment) current = NULL;
      g_autoptr(EnrActivityType) activity = NULL;
      g_autoptr(EnrCrewShift) shift = NULL;
      gboolean taken;

      current = enr_service_store_get (req->store, ENR_TYPE_APPOINTMENT, id, NULL);
      if (current == NULL ||
          g_strcmp0 (enr_appointment_get_service_task_id (current), enr_entity_get_id (ENR_ENTITY (task))) != 0 ||
          enr_appointment_get_status (current) != ENR_APPOINTMENT_STATUS_BOOKED)
        {
          enr_service_add_field_error (errors, field, _("The task has no such booked appointment"));
          continue;
        }
      if (g_strcmp0 (enr_appointment_get_activity_type_id (move),
                     enr_appointment_get_activity_type_id (current)) != 0)
        {
          enr_service_add_field_error (errors, field, _("The activity of an appointment cannot change"));
          continue;
        }

      activity = enr_service_store_get (req->store, ENR_TYPE_ACTIVITY_TYPE,
                                        enr_appointment_get_activity_type_id (current), &error);
      if (activity == NULL)
        goto failed;
      shift = enr_service_store_get (req->store, ENR_TYPE_CREW_SHIFT,
                                     enr_appointment_get_crew_shift_id (move), NULL);
      if (shift == NULL || g_strcmp0 (enr_crew_shift_get_crew_id (shift),
                                      enr_appointment_get_crew_id (move)) != 0)
        {
          enr_service_add_field_error (errors, field, _("The crew has no such shift"));
          continue;
        }
      if (g_date_time_to_unix (enr_appointment_get_end (move)) -
          g_date_time_to_unix (enr_appointment_get_start (move)) !=
          (gint64) enr_activity_type_get_duration_minutes (activity) * 60)
        {
          enr_service_add_field_error (errors, field, _("The appointment does not last as long as the activity"));
          continue;
        }
      if (errors->len > 0)
        continue;

      enr_appointment_set_service_task_id (move, enr_entity_get_id (ENR_ENTITY (task)));
      if (!enr_service_book_appointment (req, move, id, &taken, &error))
        goto failed;
      if (taken)
        {
          enr_service_reply_slot_taken (req, move);
          return;
        }

    }

  if (errors->len > 0)
    {
      enr_service_request_field_errors (req, NULL, errors);
      return;
    }

  /* The task lists its appointments as they are now. */
  appointments = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; listed != NULL && i < listed->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (listed, i);
      EnrAppointment *move = enr_service_find_entity (moves, enr_entity_get_id (ENR_ENTITY (appointment)));

      g_ptr_array_add (appointments, g_object_ref (move != NULL ? move : appointment));
    }
  enr_service_task_set_appointments (task, appointments);

  if ((version = enr_service_save_task (req, task, &error)) < 0)
    goto failed;

  enr_service_reply_task (req, 200, task, version);
  return;

failed:
  enr_service_request_gerror (req, error);
}

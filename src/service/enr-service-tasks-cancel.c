/* enr-service-tasks-cancel.c — Cancel, and the expiry of abandoned flows
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

/* @preferred when it is a code of @list, else the list's first code. */
static char *
pick_code (EnrServiceStore   *store,
           EnrCodeList        list,
           const char        *preferred)
{
  g_autoptr(GPtrArray) rows = NULL;
  GEnumClass *klass = g_type_class_ref (ENR_TYPE_CODE_LIST);
  GEnumValue *nick = g_enum_get_value (klass, list);
  char *code = NULL;

  if (preferred != NULL && enr_service_store_code_value_exists (store, nick->value_nick, preferred))
    code = g_strdup (preferred);

  rows = enr_service_store_list_code_values_json (store, NULL);
  for (guint i = 0; code == NULL && rows != NULL && i < rows->len; i++)
    {
      g_autoptr(EnrCodeValue) value = enr_codec_decode_data (ENR_TYPE_CODE_VALUE,
                                                             g_ptr_array_index (rows, i), -1, NULL);

      if (value != NULL && enr_code_value_get_list (value) == list)
        code = g_strdup (enr_code_value_get_code (value));
    }

  g_type_class_unref (klass);
  return code;
}

/* Cancel's communication: class "cancellation", over the channel and in
 * the category of the flow's last interaction (the first codes else). */
static gboolean
log_cancellation (EnrServiceStore   *store,
                  const char        *by,
                  GDateTime         *now,
                  EnrServiceTask    *task,
                  const char        *reason,
                  GError           **error)
{
  GPtrArray *interactions = enr_service_task_get_interactions (task);
  const char *last_channel = NULL;
  const char *last_category = NULL;
  g_autofree char *channel = NULL;
  g_autofree char *category = NULL;
  g_autofree char *klass = NULL;
  g_autofree char *notes = NULL;

  for (guint i = 0; interactions != NULL && i < interactions->len; i++)
    {
      EnrInteraction *interaction = g_ptr_array_index (interactions, i);

      if (enr_interaction_get_channel (interaction) != NULL)
        last_channel = enr_interaction_get_channel (interaction);
      if (enr_interaction_get_category (interaction) != NULL)
        last_category = enr_interaction_get_category (interaction);
    }

  channel = pick_code (store, ENR_CODE_LIST_CHANNEL, last_channel);
  category = pick_code (store, ENR_CODE_LIST_CATEGORY, last_category);
  klass = pick_code (store, ENR_CODE_LIST_CLASS, "cancellation");
  if (channel == NULL || category == NULL || klass == NULL)
    return TRUE;

  notes = reason[0] != '\0' ? g_strdup_printf (_("Service task canceled: %s"), reason)
                            : g_strdup (_("Service task canceled"));

  return enr_service_log_communication (store, by, now, task, channel, klass, category, notes, error);
}

static GPtrArray *
task_appointments (EnrServiceStore    *store,
                   EnrServiceTask     *task,
                   GError            **error)
{
  return enr_service_store_list (store, ENR_TYPE_APPOINTMENT, "service_task_id",
                                 enr_entity_get_id (ENR_ENTITY (task)), error);
}

gboolean
enr_service_set_appointments_status (EnrServiceStore       *store,
                                     EnrServiceTask        *task,
                                     EnrAppointmentStatus   status,
                                     GError               **error)
{
  g_autoptr(GPtrArray) stored = task_appointments (store, task, error);
  GPtrArray *listed = enr_service_task_get_appointments (task);

  if (stored == NULL)
    return FALSE;

  for (guint i = 0; i < stored->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (stored, i);

      if (enr_appointment_get_status (appointment) != ENR_APPOINTMENT_STATUS_BOOKED)
        continue;

      enr_appointment_set_status (appointment, status);
      if (enr_service_store_save (store, appointment, NULL, error) < 0)
        return FALSE;
    }

  for (guint i = 0; listed != NULL && i < listed->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (listed, i);

      if (enr_appointment_get_status (appointment) == ENR_APPOINTMENT_STATUS_BOOKED)
        enr_appointment_set_status (appointment, status);
    }

  return TRUE;
}

/* The devices a task's subscription holds. */
GPtrArray *
enr_service_subscription_devices (EnrServiceStore    *store,
                                  const char         *subscription_id,
                                  GError            **error)
{
  return enr_service_store_list (store, ENR_TYPE_DEVICE, "subscription_id", subscription_id, error);
}

/* Cancel's effects on @task (not yet saved): appointments released, what
 * Finish began undone, a cancellation communication, the transition. */
static gboolean
cancel_task (EnrServiceStore  *store,
             EnrServiceTask   *task,
             const char       *by,
             GDateTime        *now,
             const char       *reason,
             GError          **error)
{
  EnrTaskStatus status = enr_service_task_get_status (task);

  if (!enr_service_set_appointments_status (store, task, ENR_APPOINTMENT_STATUS_RELEASED, error))
    return FALSE;

  /* Undo what Finish began when field work was outstanding. */
  if (status == ENR_TASK_STATUS_IN_PROGRESS && enr_service_task_get_subscription_id (task) != NULL)
    {
      g_autoptr(EnrProgramSubscription) subscription = NULL;
      gboolean enrollment = enr_service_task_get_kind (task) == ENR_TASK_KIND_ENROLLMENT;
      GDate today;

      enr_service_date_today (&today);
      subscription = enr_service_store_get (store, ENR_TYPE_PROGRAM_SUBSCRIPTION,
                                            enr_service_task_get_subscription_id (task), error);
      if (subscription == NULL)
        return FALSE;

      if (enrollment)
        {
          g_autoptr(GPtrArray) devices = NULL;

          enr_program_subscription_set_status (subscription, ENR_SUBSCRIPTION_STATUS_ENDED);
          enr_program_subscription_set_end_date (subscription, &today);

          if (!(devices = enr_service_subscription_devices (store, enr_entity_get_id (ENR_ENTITY (subscription)), error)))
            return FALSE;
          for (guint i = 0; i < devices->len; i++)
            {
              EnrDevice *device = g_ptr_array_index (devices, i);

              enr_device_set_subscription_id (device, NULL);
              if (enr_device_get_status (device) == ENR_DEVICE_STATUS_PLANNED)
                enr_device_set_status (device, ENR_DEVICE_STATUS_REMOVED);
              if (enr_service_store_save (store, device, NULL, error) < 0)
                return FALSE;
            }
        }
      else
        enr_program_subscription_set_end_date (subscription, NULL);

      if (enr_service_store_save (store, subscription, NULL, error) < 0)
        return FALSE;
    }

  if (!log_cancellation (store, by, now, task, reason, error))
    return FALSE;

  return enr_service_task_transition (task, ENR_TASK_STATUS_CANCELED, by, now,
                                      reason[0] != '\0' ? reason : _("Canceled"), error);
}

void
enr_service_handle_task_cancel (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autofree char *json = NULL;
  g_autofree char *reason = NULL;
  gsize length;
  const char *body = enr_service_request_get_body (req, &length);
  gint64 version;

  if (!(task = enr_service_load_task (req, &version, &json)) ||
      !enr_service_request_check_if_match (req, version, json))
    return;

  if (!(reason = enr_service_decode_cancel (body, length, &error)))
    goto failed;

  if (enr_task_status_is_final (enr_service_task_get_status (task)))
    {
      enr_service_reply_state_conflict (req, task, "canceled");
      return;
    }

  if (!cancel_task (req->store, task, enr_service_request_get_username (req), req->now, reason, &error))
    goto failed;

  if ((version = enr_service_save_task (req, task, &error)) < 0)
    goto failed;

  enr_service_reply_task (req, 200, task, version);
  return;

failed:
  enr_service_request_gerror (req, error);
}

/* Flows left pending or in Error past their task type's expiration days
 * are canceled by the service itself, one transaction each. */
static gboolean
expire_task (EnrServiceStore  *store,
             EnrServiceTask   *task,
             GDateTime        *now,
             GError          **error)
{
  const char *by = "service";
  gint64 at = g_date_time_to_unix (now);

  if (!enr_service_store_begin (store, error))
    return FALSE;

  enr_service_task_set_updated_at (task, now);
  if (!cancel_task (store, task, by, now, _("Expired"), error) ||
      enr_service_store_save (store, task, enr_service_task_get_created_by (task), error) < 0 ||
      !enr_service_store_audit (store, at, NULL, by, "EXPIRE", "service_task",
                                enr_entity_get_id (ENR_ENTITY (task)), 200, error) ||
      !enr_service_store_commit (store, error))
    {
      enr_service_store_rollback (store);
      return FALSE;
    }

  return TRUE;
}

guint
enr_service_expire_tasks (EnrServiceStore *store,
                          GDateTime       *now)
{
  static const char * const statuses[] = { "pending", "error" };
  g_autoptr(GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  guint expired = 0;
  GDate today;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (store), 0);

  enr_service_date_today (&today);

  for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) tasks = NULL;
      EnrServiceTaskFilter filter;

      enr_service_task_filter_init (&filter);
      filter.status = statuses[s];
      filter.limit = 10000;

      tasks = enr_service_store_find_tasks (store, &filter, &error);
      if (tasks == NULL)
        {
          g_warning ("Cannot list tasks to expire: %s", error->message);
          continue;
        }

      for (guint i = 0; i < tasks->len; i++)
        {
          g_autoptr(EnrServiceTask) task = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK,
                                                                  g_ptr_array_index (tasks, i), -1, NULL);
          EnrServiceTaskType *type;
          const char *program_id;

          if (task == NULL)
            continue;

          program_id = enr_service_task_get_program_id (task);
          type = g_hash_table_lookup (types, program_id);
          if (type == NULL)
            {
              g_autoptr(EnrServiceProgram) program = enr_service_program_load (store, program_id, NULL);

              if (program == NULL)
                continue;
              type = g_object_ref (enr_service_program_task_type (program, enr_service_task_get_kind (task)));
              g_hash_table_insert (types, g_strdup (program_id), type);
            }

          if (!enr_service_task_is_expired (task, type, &today))
            continue;

          if (!expire_task (store, task, now, &error))
            {
              g_warning ("Cannot expire service task %s: %s",
                         enr_entity_get_id (ENR_ENTITY (task)), error->message);
              g_clear_error (&error);
              continue;
            }
          expired++;
        }
    }

  return expired;
}

/* enr-service-tasks.c — service tasks: create, save, Finish, Cancel,
 * reschedule, complete field work, list and read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

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

gboolean
enr_service_task_visible_to (EnrServiceRequest *req,
                             EnrServiceTask    *task)
{
  return enr_service_request_is_supervisor (req) ||
         g_strcmp0 (enr_service_task_get_created_by (task),
                    enr_service_request_get_username (req)) == 0;
}

static gboolean
is_valid_id (const char *id)
{
  gsize length = strlen (id);

  if (length == 0 || length > ENR_SERVICE_MAX_ID)
    return FALSE;

  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;

  return TRUE;
}

/* Keeps a client-chosen id (offline clients create records before they
 * reach the service) or makes a new one. */
gboolean
enr_service_assign_id (EnrServiceRequest *req,
                       EnrEntity         *entity,
                       GType              type)
{
  const char *id = enr_entity_get_id (entity);

  if (id == NULL)
    {
      g_autofree char *new_id = enr_service_new_id ();

      enr_entity_set_id (entity, new_id);
      return TRUE;
    }

  if (!is_valid_id (id))
    {
      g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_object_unref);

      g_ptr_array_add (errors, enr_field_error_new ("id",
                                                    _("An id is 1 to 64 letters, digits, '-', '_' or '.'")));
      enr_service_request_field_errors (req, NULL, errors);
      return FALSE;
    }

  if (enr_service_store_exists (req->store, type, id))
    {
      enr_service_request_problem (req, 409, "already-exists", "The id “%s” is taken.", id);
      return FALSE;
    }

  return TRUE;
}

static void
add_error (GPtrArray  *errors,
           const char *field,
           const char *message)
{
  g_ptr_array_add (errors, enr_field_error_new (field, message));
}

static void
reply_task (EnrServiceRequest *req,
            guint              status,
            EnrServiceTask    *task,
            gint64             version)
{
  enr_service_request_set_etag (req, version);
  enr_service_request_reply_json (req, status, enr_codec_encode_string (task));
}

static gint64
save_task (EnrServiceRequest *req,
           EnrServiceTask    *task,
           GError           **error)
{
  enr_service_task_set_updated_at (task, req->now);
  enr_service_request_set_audit (req, "service_task", enr_entity_get_id (ENR_ENTITY (task)));

  return enr_service_store_save (req->store, task, enr_service_task_get_created_by (task), error);
}

/* Loads the task of the path, replying 404 or 403 when there is none the
 * user may see. */
static EnrServiceTask *
load_task (EnrServiceRequest  *req,
           gint64             *version,
           char              **json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autofree char *text = NULL;

  text = enr_service_store_get_json (req->store, ENR_TYPE_SERVICE_TASK, req->params[0], version, &error);
  if (text == NULL || !(task = enr_codec_decode_data (ENR_TYPE_SERVICE_TASK, text, -1, &error)))
    {
      enr_service_request_gerror (req, error);
      return NULL;
    }

  if (!enr_service_task_visible_to (req, task))
    {
      enr_service_request_problem (req, 403, "forbidden",
                                   "This service task belongs to another clerk.");
      return NULL;
    }

  if (json != NULL)
    *json = g_steal_pointer (&text);

  return g_steal_pointer (&task);
}

static const char *
status_nick (EnrTaskStatus status)
{
  GEnumClass *klass = g_type_class_ref (ENR_TYPE_TASK_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "";
}

static void
state_conflict (EnrServiceRequest *req,
                EnrServiceTask    *task,
                const char        *action)
{
  enr_service_request_problem (req, 409, "task-state-conflict",
                               "A %s service task cannot be %s.",
                               status_nick (enr_service_task_get_status (task)), action);
}

static gboolean
check_if_match (EnrServiceRequest *req,
                gint64             version,
                const char        *json)
{
  return enr_service_request_check_if_match (req, version, json);
}

/* The references of the panel data: everything named must exist and
 * belong to this customer and program. Completeness is Finish's concern. */
static void
check_task_data (EnrServiceRequest  *req,
                 EnrServiceTask     *task,
                 EnrServiceCustomer *customer,
                 EnrServiceProgram  *program,
                 GPtrArray          *errors)
{
  EnrTaskKind kind = enr_service_task_get_kind (task);
  const char *service_id = enr_service_task_get_metered_service_id (task);
  const char *point_id = enr_service_task_get_service_point_id (task);
  const char *location_id = enr_service_task_get_device_location_id (task);
  const char *subscription_id = enr_service_task_get_subscription_id (task);
  const char * const *device_ids = enr_service_task_get_device_ids (task);
  EnrMeteredService *metered_service = NULL;
  GPtrArray *answers = enr_service_task_get_answers (task);
  GPtrArray *appointments = enr_service_task_get_appointments (task);
  GPtrArray *interactions = enr_service_task_get_interactions (task);

  if (service_id != NULL)
    {
      metered_service = enr_service_find_entity (customer->metered_services, service_id);
      if (metered_service == NULL)
        add_error (errors, ENR_FIELD_METERED_SERVICE, _("The customer has no such metered service"));
    }

  if (point_id != NULL)
    {
      if (enr_service_find_entity (customer->service_points, point_id) == NULL)
        add_error (errors, "service-point-id", _("The customer has no such service point"));
      else if (metered_service != NULL &&
               g_strcmp0 (enr_metered_service_get_service_point_id (metered_service), point_id) != 0)
        add_error (errors, "service-point-id", _("The metered service is delivered at another service point"));
    }
  else if (metered_service != NULL)
    enr_service_task_set_service_point_id (task, enr_metered_service_get_service_point_id (metered_service));

  if (location_id != NULL)
    {
      EnrDeviceLocation *location = enr_service_find_entity (customer->device_locations, location_id);

      point_id = enr_service_task_get_service_point_id (task);
      if (location == NULL)
        add_error (errors, "device-location-id", _("The customer has no such device location"));
      else if (point_id != NULL &&
               g_strcmp0 (enr_device_location_get_service_point_id (location), point_id) != 0)
        add_error (errors, "device-location-id", _("The device location is at another service point"));
    }

  if (kind == ENR_TASK_KIND_ENROLLMENT)
    {
      if (subscription_id != NULL)
        add_error (errors, ENR_FIELD_SUBSCRIPTION, _("An enrollment does not name a subscription"));
      if (enr_service_task_get_stop_date (task) != NULL)
        add_error (errors, ENR_FIELD_STOP_DATE, _("An enrollment has a start date, not a stop date"));
      if (enr_service_task_get_removal_method (task) != ENR_REMOVAL_METHOD_NONE)
        add_error (errors, ENR_FIELD_REMOVAL_METHOD, _("An enrollment has an installation method"));
    }
  else
    {
      EnrProgramSubscription *subscription =
        enr_service_find_entity (customer->subscriptions, subscription_id);

      if (subscription_id == NULL)
        add_error (errors, ENR_FIELD_SUBSCRIPTION, _("An unenrollment names the subscription it ends"));
      else if (subscription == NULL)
        add_error (errors, ENR_FIELD_SUBSCRIPTION, _("The customer has no such subscription"));
      else if (g_strcmp0 (enr_program_subscription_get_program_id (subscription),
                          enr_entity_get_id (ENR_ENTITY (program->program))) != 0)
        add_error (errors, ENR_FIELD_SUBSCRIPTION, _("The subscription is to another program"));
      if (enr_service_task_get_start_date (task) != NULL)
        add_error (errors, ENR_FIELD_START_DATE, _("An unenrollment has a stop date, not a start date"));
      if (enr_service_task_get_installation_method (task) != ENR_INSTALLATION_METHOD_NONE)
        add_error (errors, ENR_FIELD_INSTALLATION_METHOD, _("An unenrollment has a removal method"));
    }

  for (guint i = 0; answers != NULL && i < answers->len; i++)
    {
      const char *question_id = enr_answer_get_question_id (g_ptr_array_index (answers, i));

      if (enr_program_find_question (program->program, question_id) == NULL)
        {
          g_autofree char *field = g_strconcat (ENR_FIELD_ANSWER_PREFIX, question_id, NULL);

          add_error (errors, field, _("The program has no such question"));
        }
    }

  for (guint i = 0; device_ids != NULL && device_ids[i] != NULL; i++)
    if (enr_service_find_entity (customer->devices, device_ids[i]) == NULL)
      {
        add_error (errors, ENR_FIELD_DEVICES, _("The customer has no such device"));
        break;
      }

  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i);
      const char *activity_id = enr_appointment_get_activity_type_id (appointment);
      g_autofree char *field = g_strconcat (ENR_FIELD_APPOINTMENT_PREFIX, activity_id, NULL);
      g_autoptr(EnrActivityType) activity = NULL;
      g_autoptr(EnrCrewShift) shift = NULL;
      gint64 seconds;

      activity = enr_service_store_get (req->store, ENR_TYPE_ACTIVITY_TYPE, activity_id, NULL);
      if (activity == NULL)
        {
          add_error (errors, field, _("There is no such activity type"));
          continue;
        }

      shift = enr_service_store_get (req->store, ENR_TYPE_CREW_SHIFT,
                                     enr_appointment_get_crew_shift_id (appointment), NULL);
      if (shift == NULL)
        {
          add_error (errors, field, _("There is no such crew shift"));
          continue;
        }
      if (g_strcmp0 (enr_crew_shift_get_crew_id (shift), enr_appointment_get_crew_id (appointment)) != 0)
        {
          add_error (errors, field, _("The crew shift belongs to another crew"));
          continue;
        }

      seconds = g_date_time_to_unix (enr_appointment_get_end (appointment)) -
                g_date_time_to_unix (enr_appointment_get_start (appointment));
      if (seconds != (gint64) enr_activity_type_get_duration_minutes (activity) * 60)
        add_error (errors, field, _("The appointment does not last as long as the activity"));
    }

  for (guint i = 0; interactions != NULL && i < interactions->len; i++)
    {
      EnrInteraction *interaction = g_ptr_array_index (interactions, i);
      GEnumClass *panels = g_type_class_ref (ENR_TYPE_PANEL);
      GEnumValue *panel = g_enum_get_value (panels, enr_interaction_get_panel (interaction));
      const struct { const char *list; const char *code; } codes[] = {
        { "channel", enr_interaction_get_channel (interaction) },
        { "class", enr_interaction_get_class (interaction) },
        { "category", enr_interaction_get_category (interaction) },
      };

      for (guint j = 0; j < G_N_ELEMENTS (codes); j++)
        {
          g_autofree char *field = NULL;
          g_autofree char *message = NULL;

          if (codes[j].code == NULL ||
              enr_service_store_code_value_exists (req->store, codes[j].list, codes[j].code))
            continue;

          field = g_strdup_printf ("%s%s:%s", ENR_FIELD_INTERACTION_PREFIX,
                                   panel != NULL ? panel->value_nick : "", codes[j].list);
          message = g_strdup_printf (_("“%s” is not a %s code"), codes[j].code, codes[j].list);
          add_error (errors, field, message);
        }
      g_type_class_unref (panels);
    }
}

static gboolean
is_open (EnrServiceTask *task)
{
  EnrTaskStatus status = enr_service_task_get_status (task);

  return status != ENR_TASK_STATUS_COMPLETED && status != ENR_TASK_STATUS_CANCELED;
}

/* 409 when the customer has this enrollment (or unenrollment) already. */
static gboolean
check_duplicate (EnrServiceRequest  *req,
                 EnrServiceTask     *task,
                 EnrServiceCustomer *customer)
{
  const char *program_id = enr_service_task_get_program_id (task);
  EnrTaskKind kind = enr_service_task_get_kind (task);

  for (guint i = 0; i < customer->tasks->len; i++)
    {
      EnrServiceTask *other = g_ptr_array_index (customer->tasks, i);

      if (!is_open (other) || enr_service_task_get_kind (other) != kind ||
          g_strcmp0 (enr_service_task_get_program_id (other), program_id) != 0)
        continue;

      if (kind == ENR_TASK_KIND_ENROLLMENT ||
          g_strcmp0 (enr_service_task_get_subscription_id (other),
                     enr_service_task_get_subscription_id (task)) == 0)
        {
          enr_service_request_problem (req, 409, "duplicate-enrollment",
                                       "Service task %s is already open for this %s.",
                                       enr_entity_get_id (ENR_ENTITY (other)),
                                       kind == ENR_TASK_KIND_ENROLLMENT ? "program" : "subscription");
          return FALSE;
        }
    }

  for (guint i = 0; i < customer->subscriptions->len; i++)
    {
      EnrProgramSubscription *subscription = g_ptr_array_index (customer->subscriptions, i);
      gboolean ended = enr_program_subscription_get_status (subscription) == ENR_SUBSCRIPTION_STATUS_ENDED;

      if (kind == ENR_TASK_KIND_ENROLLMENT && !ended &&
          g_strcmp0 (enr_program_subscription_get_program_id (subscription), program_id) == 0)
        {
          enr_service_request_problem (req, 409, "duplicate-enrollment",
                                       "The customer is already enrolled (subscription %s).",
                                       enr_entity_get_id (ENR_ENTITY (subscription)));
          return FALSE;
        }

      if (kind == ENR_TASK_KIND_UNENROLLMENT && ended &&
          g_strcmp0 (enr_entity_get_id (ENR_ENTITY (subscription)),
                     enr_service_task_get_subscription_id (task)) == 0)
        {
          enr_service_request_problem (req, 409, "duplicate-enrollment",
                                       "Subscription %s has ended already.",
                                       enr_entity_get_id (ENR_ENTITY (subscription)));
          return FALSE;
        }
    }

  return TRUE;
}

/* Loads customer (with its tasks when @with_tasks) and program of @task;
 * a missing one is a field error. */
static gboolean
load_context (EnrServiceRequest   *req,
              EnrServiceTask      *task,
              gboolean             with_tasks,
              EnrServiceCustomer **customer,
              EnrServiceProgram  **program,
              GPtrArray           *errors)
{
  g_autoptr(GError) error = NULL;

  *customer = enr_service_customer_load_parts (req->store, enr_service_task_get_customer_id (task),
                                               with_tasks, &error);
  if (*customer == NULL)
    {
      if (!g_error_matches (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_NOT_FOUND))
        {
          enr_service_request_gerror (req, error);
          return FALSE;
        }
      add_error (errors, "customer-id", _("There is no such customer"));
      g_clear_error (&error);
    }

  *program = enr_service_program_load (req->store, enr_service_task_get_program_id (task), &error);
  if (*program == NULL)
    {
      if (!g_error_matches (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_NOT_FOUND))
        {
          enr_service_request_gerror (req, error);
          return FALSE;
        }
      add_error (errors, ENR_FIELD_PROGRAM, _("There is no such program"));
    }

  return TRUE;
}

void
enr_service_handle_task_create (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrServiceCustomer) customer = NULL;
  g_autoptr(EnrServiceProgram) program = NULL;
  g_autoptr(EnrTaskTransition) transition = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_object_unref);
  gsize length;
  const char *body = enr_service_request_get_body (req, &length);
  gint64 version;

  if (!(task = enr_service_decode_task (body, length, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  if (!load_context (req, task, TRUE, &customer, &program, errors))
    return;
  if (customer != NULL && program != NULL)
    check_task_data (req, task, customer, program, errors);
  if (errors->len > 0)
    {
      enr_service_request_field_errors (req, NULL, errors);
      return;
    }

  if (!check_duplicate (req, task, customer) ||
      !enr_service_assign_id (req, ENR_ENTITY (task), ENR_TYPE_SERVICE_TASK))
    return;

  enr_service_task_set_status (task, ENR_TASK_STATUS_PENDING);
  enr_service_task_set_created_by (task, enr_service_request_get_username (req));
  enr_service_task_set_created_at (task, req->now);
  enr_service_task_set_history (task, NULL);
  enr_service_task_set_reasons (task, NULL);

  transition = enr_task_transition_new ();
  enr_task_transition_set_from (transition, ENR_TASK_STATUS_PENDING);
  enr_task_transition_set_to (transition, ENR_TASK_STATUS_PENDING);
  enr_task_transition_set_by (transition, enr_service_request_get_username (req));
  enr_task_transition_set_at (transition, req->now);
  enr_task_transition_set_reason (transition, _("Created"));
  enr_service_task_add_transition (task, transition);

  if ((version = save_task (req, task, &error)) < 0)
    {
      enr_service_request_gerror (req, error);
      return;
    }

  req->location = g_strdup_printf ("/v1/service-tasks/%s", enr_entity_get_id (ENR_ENTITY (task)));
  reply_task (req, 201, task, version);
}

static gboolean
parse_instant (const char *text,
               gboolean    end_of_day,
               gint64     *out)
{
  g_autoptr(GDateTime) instant = NULL;
  GDate date;

  if ((instant = enr_codec_parse_date_time (text)) != NULL)
    {
      *out = g_date_time_to_unix (instant);
      return TRUE;
    }

  if (enr_codec_parse_date (text, &date))
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
      g_autoptr(GDateTime) midnight = NULL;

      if (end_of_day)
        g_date_add_days (&date, 1);
      midnight = g_date_time_new (tz, g_date_get_year (&date), g_date_get_month (&date),
                                  g_date_get_day (&date), 0, 0, 0);
      *out = g_date_time_to_unix (midnight);
      return TRUE;
    }

  return FALSE;
}

static gboolean
is_enum_nick (GType       type,
              const char *nick)
{
  GEnumClass *klass = g_type_class_ref (type);
  gboolean found = g_enum_get_value_by_nick (klass, nick) != NULL;

  g_type_class_unref (klass);
  return found;
}

void
enr_service_handle_task_list (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  EnrServiceTaskFilter filter;
  const char *status = enr_service_request_get_query (req, "status");
  const char *kind = enr_service_request_get_query (req, "kind");
  const char *creator = enr_service_request_get_query (req, "created_by");
  const char *from = enr_service_request_get_query (req, "created_from");
  const char *to = enr_service_request_get_query (req, "created_to");
  guint page, page_size;

  enr_service_task_filter_init (&filter);

  if (!enr_service_parse_page (req, &filter.offset, &filter.limit, &page, &page_size))
    return;

  if (status != NULL && status[0] != '\0')
    {
      if (g_strcmp0 (status, "open") == 0)
        filter.open_only = TRUE;
      else if (!is_enum_nick (ENR_TYPE_TASK_STATUS, status))
        {
          enr_service_request_problem (req, 400, "invalid-parameter",
                                       "status “%s” is not a task status (or “open”).", status);
          return;
        }
      else
        filter.status = status;
    }
  if (kind != NULL && kind[0] != '\0')
    {
      if (!is_enum_nick (ENR_TYPE_TASK_KIND, kind))
        {
          enr_service_request_problem (req, 400, "invalid-parameter",
                                       "kind must be enrollment or unenrollment.");
          return;
        }
      filter.kind = kind;
    }
  if (from != NULL && from[0] != '\0' && !parse_instant (from, FALSE, &filter.created_from))
    {
      enr_service_request_problem (req, 400, "invalid-parameter",
                                   "created_from must be YYYY-MM-DD or an RFC 3339 instant.");
      return;
    }
  if (to != NULL && to[0] != '\0' && !parse_instant (to, TRUE, &filter.created_to))
    {
      enr_service_request_problem (req, 400, "invalid-parameter",
                                   "created_to must be YYYY-MM-DD or an RFC 3339 instant.");
      return;
    }

  filter.program_id = enr_service_request_get_query (req, "program");
  if (filter.program_id != NULL && filter.program_id[0] == '\0')
    filter.program_id = NULL;

  if (creator != NULL && creator[0] != '\0')
    filter.created_by = creator;

  if (!enr_service_request_is_supervisor (req))
    {
      if (filter.created_by != NULL &&
          g_strcmp0 (filter.created_by, enr_service_request_get_username (req)) != 0)
        {
          enr_service_request_problem (req, 403, "forbidden",
                                       "Only a supervisor sees other clerks' service tasks.");
          return;
        }
      filter.created_by = enr_service_request_get_username (req);
    }

  if (!(rows = enr_service_store_find_tasks (req->store, &filter, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  enr_service_reply_page (req, rows, page, page_size);
}

void
enr_service_handle_task_get (EnrServiceRequest *req)
{
  g_autoptr(EnrServiceTask) task = NULL;
  g_autofree char *json = NULL;
  gint64 version;

  if (!(task = load_task (req, &version, &json)))
    return;

  enr_service_request_set_etag (req, version);
  enr_service_request_reply_json (req, 200, g_steal_pointer (&json));
}

void
enr_service_handle_task_update (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autoptr(EnrServiceTask) incoming = NULL;
  g_autoptr(EnrServiceCustomer) customer = NULL;
  g_autoptr(EnrServiceProgram) program = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *json = NULL;
  gsize length;
  const char *body = enr_service_request_get_body (req, &length);
  EnrTaskStatus status;
  gint64 version;

  if (!(task = load_task (req, &version, &json)) ||
      !check_if_match (req, version, json))
    return;

  status = enr_service_task_get_status (task);
  if (status != ENR_TASK_STATUS_PENDING && status != ENR_TASK_STATUS_ERROR)
    {
      state_conflict (req, task, "changed");
      return;
    }

  if (!(incoming = enr_service_decode_task (body, length, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  if (enr_service_task_get_kind (incoming) != enr_service_task_get_kind (task))
    add_error (errors, "kind", _("The kind of a service task cannot change"));
  if (g_strcmp0 (enr_service_task_get_program_id (incoming), enr_service_task_get_program_id (task)) != 0)
    add_error (errors, ENR_FIELD_PROGRAM, _("The program of a service task cannot change"));
  if (g_strcmp0 (enr_service_task_get_customer_id (incoming), enr_service_task_get_customer_id (task)) != 0)
    add_error (errors, "customer-id", _("The customer of a service task cannot change"));
  if (errors->len > 0)
    {
      enr_service_request_field_errors (req, NULL, errors);
      return;
    }

  enr_service_task_set_metered_service_id (task, enr_service_task_get_metered_service_id (incoming));
  enr_service_task_set_service_point_id (task, enr_service_task_get_service_point_id (incoming));
  enr_service_task_set_device_location_id (task, enr_service_task_get_device_location_id (incoming));
  enr_service_task_set_subscription_id (task, enr_service_task_get_subscription_id (incoming));
  enr_service_task_set_start_date (task, enr_service_task_get_start_date (incoming));
  enr_service_task_set_stop_date (task, enr_service_task_get_stop_date (incoming));
  enr_service_task_set_answers (task, enr_service_task_get_answers (incoming));
  enr_service_task_set_installation_method (task, enr_service_task_get_installation_method (incoming));
  enr_service_task_set_removal_method (task, enr_service_task_get_removal_method (incoming));
  enr_service_task_set_ownership (task, enr_service_task_get_ownership (incoming));
  enr_service_task_set_device_ids (task, enr_service_task_get_device_ids (incoming));
  enr_service_task_set_appointments (task, enr_service_task_get_appointments (incoming));
  enr_service_task_set_interactions (task, enr_service_task_get_interactions (incoming));

  if (!load_context (req, task, FALSE, &customer, &program, errors))
    return;
  if (customer != NULL && program != NULL)
    check_task_data (req, task, customer, program, errors);
  if (errors->len > 0)
    {
      enr_service_request_field_errors (req, NULL, errors);
      return;
    }

  if (status == ENR_TASK_STATUS_ERROR)
    {
      if (!enr_service_task_transition (task, ENR_TASK_STATUS_PENDING,
                                        enr_service_request_get_username (req), req->now,
                                        _("Corrected"), &error))
        {
          enr_service_request_gerror (req, error);
          return;
        }
      enr_service_task_set_reasons (task, NULL);
    }

  if ((version = save_task (req, task, &error)) < 0)
    {
      enr_service_request_gerror (req, error);
      return;
    }

  reply_task (req, 200, task, version);
}

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
 * the id of the appointment it replaces (reschedule), if any. */
static gboolean
book_appointment (EnrServiceRequest  *req,
                  EnrAppointment     *appointment,
                  const char         *replaced,
                  gboolean           *taken,
                  GError            **error)
{
  g_autoptr(EnrCrewShift) shift = NULL;
  g_autoptr(GPtrArray) shifts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) booked = NULL;
  g_autoptr(EnrSlot) slot = enr_slot_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  *taken = FALSE;

  shift = enr_service_store_get (req->store, ENR_TYPE_CREW_SHIFT,
                                 enr_appointment_get_crew_shift_id (appointment), NULL);
  if (shift == NULL)
    {
      *taken = TRUE;
      return TRUE;
    }
  g_ptr_array_add (shifts, g_object_ref (shift));

  booked = enr_service_store_booked_appointments (req->store, enr_crew_shift_get_date (shift),
                                                  enr_crew_shift_get_date (shift), error);
  if (booked == NULL)
    return FALSE;
  if (replaced != NULL)
    {
      EnrAppointment *old = enr_service_find_entity (booked, replaced);

      if (old != NULL)
        g_ptr_array_remove (booked, old);
    }

  enr_slot_set_crew_id (slot, enr_appointment_get_crew_id (appointment));
  enr_slot_set_crew_shift_id (slot, enr_appointment_get_crew_shift_id (appointment));
  enr_slot_set_activity_type_id (slot, enr_appointment_get_activity_type_id (appointment));
  enr_slot_set_start (slot, enr_appointment_get_start (appointment));
  enr_slot_set_end (slot, enr_appointment_get_end (appointment));

  if (g_date_time_compare (enr_appointment_get_start (appointment), now) < 0 ||
      !enr_slot_is_still_free (slot, shifts, booked))
    {
      *taken = TRUE;
      return TRUE;
    }

  enr_appointment_set_status (appointment, ENR_APPOINTMENT_STATUS_BOOKED);

  return enr_service_store_save (req->store, appointment, NULL, error) >= 0;
}

static void
slot_taken (EnrServiceRequest *req,
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

      if (!book_appointment (finish->req, appointment, NULL, &taken, error))
        return FALSE;
      if (taken)
        {
          slot_taken (finish->req, appointment);
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

static gboolean
log_communication (EnrServiceStore   *store,
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

      if (!log_communication (finish->req->store, enr_service_request_get_username (finish->req),
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

  if (!(task = load_task (req, &version, &json)) ||
      !check_if_match (req, version, json))
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
      state_conflict (req, task, "finished");
      return;
    }

  if (!(customer = enr_service_customer_load (req->store, enr_service_task_get_customer_id (task), &error)) ||
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
      if ((version = save_task (req, task, &error)) < 0)
        goto failed;
      reply_task (req, 200, task, version);
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

  finish_clear (&finish);

  if (!enr_service_task_transition (task, field_work ? ENR_TASK_STATUS_IN_PROGRESS
                                                     : ENR_TASK_STATUS_COMPLETED,
                                    user, req->now,
                                    field_work ? _("Field work scheduled") : _("No field work"), &error))
    goto failed;

  if ((version = save_task (req, task, &error)) < 0)
    goto failed;

  reply_task (req, 200, task, version);
  return;

failed_finish:
  finish_clear (&finish);
failed:
  enr_service_request_gerror (req, error);
}

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

  return log_communication (store, by, now, task, channel, klass, category, notes, error);
}

static GPtrArray *
task_appointments (EnrServiceStore    *store,
                   EnrServiceTask     *task,
                   GError            **error)
{
  return enr_service_store_list (store, ENR_TYPE_APPOINTMENT, "service_task_id",
                                 enr_entity_get_id (ENR_ENTITY (task)), error);
}

static gboolean
set_appointments_status (EnrServiceStore       *store,
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
static GPtrArray *
subscription_devices (EnrServiceStore    *store,
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

  if (!set_appointments_status (store, task, ENR_APPOINTMENT_STATUS_RELEASED, error))
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

          if (!(devices = subscription_devices (store, enr_entity_get_id (ENR_ENTITY (subscription)), error)))
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

  if (!(task = load_task (req, &version, &json)) ||
      !check_if_match (req, version, json))
    return;

  if (!(reason = enr_service_decode_cancel (body, length, &error)))
    goto failed;

  if (enr_task_status_is_final (enr_service_task_get_status (task)))
    {
      state_conflict (req, task, "canceled");
      return;
    }

  if (!cancel_task (req->store, task, enr_service_request_get_username (req), req->now, reason, &error))
    goto failed;

  if ((version = save_task (req, task, &error)) < 0)
    goto failed;

  reply_task (req, 200, task, version);
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

  if (!(task = load_task (req, &version, &json)) ||
      !check_if_match (req, version, json))
    return;

  if (!enr_service_decode_empty (body, length, &error))
    goto failed;

  if (enr_service_task_get_status (task) != ENR_TASK_STATUS_IN_PROGRESS)
    {
      state_conflict (req, task, "completed");
      return;
    }

  enrollment = enr_service_task_get_kind (task) == ENR_TASK_KIND_ENROLLMENT;

  if (!set_appointments_status (req->store, task, ENR_APPOINTMENT_STATUS_COMPLETED, &error))
    goto failed;

  subscription = enr_service_store_get (req->store, ENR_TYPE_PROGRAM_SUBSCRIPTION,
                                        enr_service_task_get_subscription_id (task), &error);
  if (subscription == NULL)
    goto failed;

  enr_program_subscription_set_status (subscription, enrollment ? ENR_SUBSCRIPTION_STATUS_ACTIVE
                                                                : ENR_SUBSCRIPTION_STATUS_ENDED);
  if (enr_service_store_save (req->store, subscription, NULL, &error) < 0)
    goto failed;

  if (!(devices = subscription_devices (req->store, enr_entity_get_id (ENR_ENTITY (subscription)), &error)))
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

  if ((version = save_task (req, task, &error)) < 0)
    goto failed;

  reply_task (req, 200, task, version);
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

  if (!(task = load_task (req, &version, &json)) ||
      !check_if_match (req, version, json))
    return;

  if (!(moves = enr_service_decode_reschedule (body, length, &error)))
    goto failed;

  if (enr_service_task_get_status (task) != ENR_TASK_STATUS_IN_PROGRESS)
    {
      state_conflict (req, task, "rescheduled");
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
          add_error (errors, field, _("The task has no such booked appointment"));
          continue;
        }
      if (g_strcmp0 (enr_appointment_get_activity_type_id (move),
                     enr_appointment_get_activity_type_id (current)) != 0)
        {
          add_error (errors, field, _("The activity of an appointment cannot change"));
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
          add_error (errors, field, _("The crew has no such shift"));
          continue;
        }
      if (g_date_time_to_unix (enr_appointment_get_end (move)) -
          g_date_time_to_unix (enr_appointment_get_start (move)) !=
          (gint64) enr_activity_type_get_duration_minutes (activity) * 60)
        {
          add_error (errors, field, _("The appointment does not last as long as the activity"));
          continue;
        }
      if (errors->len > 0)
        continue;

      enr_appointment_set_service_task_id (move, enr_entity_get_id (ENR_ENTITY (task)));
      if (!book_appointment (req, move, id, &taken, &error))
        goto failed;
      if (taken)
        {
          slot_taken (req, move);
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

  if ((version = save_task (req, task, &error)) < 0)
    goto failed;

  reply_task (req, 200, task, version);
  return;

failed:
  enr_service_request_gerror (req, error);
}

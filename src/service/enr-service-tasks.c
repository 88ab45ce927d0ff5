/* enr-service-tasks.c — service tasks: create, save, list and read, and
 * the helpers the other task handlers share (Finish in
 * enr-service-tasks-finish.c, Cancel and expiry in -cancel.c, field work
 * and reschedule in -field-work.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "enr-lifecycle.h"
#include "enr-service-auth.h"
#include "enr-service-context.h"
#include "enr-service-decoders.h"
#include "enr-service-handlers.h"
#include "enr-service-tasks.h"
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

void
enr_service_add_field_error (GPtrArray  *errors,
                             const char *field,
                             const char *message)
{
  g_ptr_array_add (errors, enr_field_error_new (field, message));
}

void
enr_service_reply_task (EnrServiceRequest *req,
                        guint              status,
                        EnrServiceTask    *task,
                        gint64             version)
{
  enr_service_request_set_etag (req, version);
  enr_service_request_reply_json (req, status, enr_codec_encode_string (task));
}

gint64
enr_service_save_task (EnrServiceRequest *req,
                       EnrServiceTask    *task,
                       GError           **error)
{
  enr_service_task_set_updated_at (task, req->now);
  enr_service_request_set_audit (req, "service_task", enr_entity_get_id (ENR_ENTITY (task)));

  return enr_service_store_save (req->store, task, enr_service_task_get_created_by (task), error);
}

/* Loads the task of the path, replying 404 or 403 when there is none the
 * user may see. A write locks it (PostgreSQL): writes of one task take
 * turns, each reading what the one before wrote. */
EnrServiceTask *
enr_service_load_task (EnrServiceRequest  *req,
                       gint64             *version,
                       char              **json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceTask) task = NULL;
  g_autofree char *text = NULL;

  if (req->write)
    text = enr_service_store_get_json_for_update (req->store, ENR_TYPE_SERVICE_TASK, req->params[0],
                                                  version, &error);
  else
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

void
enr_service_reply_state_conflict (EnrServiceRequest *req,
                                  EnrServiceTask    *task,
                                  const char        *action)
{
  enr_service_request_problem (req, 409, "task-state-conflict",
                               "A %s service task cannot be %s.",
                               status_nick (enr_service_task_get_status (task)), action);
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
        enr_service_add_field_error (errors, ENR_FIELD_METERED_SERVICE, _("The customer has no such metered service"));
    }

  if (point_id != NULL)
    {
      if (enr_service_find_entity (customer->service_points, point_id) == NULL)
        enr_service_add_field_error (errors, "service-point-id", _("The customer has no such service point"));
      else if (metered_service != NULL &&
               g_strcmp0 (enr_metered_service_get_service_point_id (metered_service), point_id) != 0)
        enr_service_add_field_error (errors, "service-point-id", _("The metered service is delivered at another service point"));
    }
  else if (metered_service != NULL)
    enr_service_task_set_service_point_id (task, enr_metered_service_get_service_point_id (metered_service));

  if (location_id != NULL)
    {
      EnrDeviceLocation *location = enr_service_find_entity (customer->device_locations, location_id);

      point_id = enr_service_task_get_service_point_id (task);
      if (location == NULL)
        enr_service_add_field_error (errors, "device-location-id", _("The customer has no such device location"));
      else if (point_id != NULL &&
               g_strcmp0 (enr_device_location_get_service_point_id (location), point_id) != 0)
        enr_service_add_field_error (errors, "device-location-id", _("The device location is at another service point"));
    }

  if (kind == ENR_TASK_KIND_ENROLLMENT)
    {
      if (subscription_id != NULL)
        enr_service_add_field_error (errors, ENR_FIELD_SUBSCRIPTION, _("An enrollment does not name a subscription"));
      if (enr_service_task_get_stop_date (task) != NULL)
        enr_service_add_field_error (errors, ENR_FIELD_STOP_DATE, _("An enrollment has a start date, not a stop date"));
      if (enr_service_task_get_removal_method (task) != ENR_REMOVAL_METHOD_NONE)
        enr_service_add_field_error (errors, ENR_FIELD_REMOVAL_METHOD, _("An enrollment has an installation method"));
    }
  else
    {
      EnrProgramSubscription *subscription =
        enr_service_find_entity (customer->subscriptions, subscription_id);

      if (subscription_id == NULL)
        enr_service_add_field_error (errors, ENR_FIELD_SUBSCRIPTION, _("An unenrollment names the subscription it ends"));
      else if (subscription == NULL)
        enr_service_add_field_error (errors, ENR_FIELD_SUBSCRIPTION, _("The customer has no such subscription"));
      else if (g_strcmp0 (enr_program_subscription_get_program_id (subscription),
                          enr_entity_get_id (ENR_ENTITY (program->program))) != 0)
        enr_service_add_field_error (errors, ENR_FIELD_SUBSCRIPTION, _("The subscription is to another program"));
      if (enr_service_task_get_start_date (task) != NULL)
        enr_service_add_field_error (errors, ENR_FIELD_START_DATE, _("An unenrollment has a stop date, not a start date"));
      if (enr_service_task_get_consent (task) != NULL)
        enr_service_add_field_error (errors, ENR_FIELD_CONSENT_METHOD, _("An unenrollment records no consent"));
      if (enr_service_task_get_installation_method (task) != ENR_INSTALLATION_METHOD_NONE)
        enr_service_add_field_error (errors, ENR_FIELD_INSTALLATION_METHOD, _("An unenrollment has a removal method"));
    }

  for (guint i = 0; answers != NULL && i < answers->len; i++)
    {
      const char *question_id = enr_answer_get_question_id (g_ptr_array_index (answers, i));

      if (enr_program_find_question (program->program, question_id) == NULL)
        {
          g_autofree char *field = g_strconcat (ENR_FIELD_ANSWER_PREFIX, question_id, NULL);

          enr_service_add_field_error (errors, field, _("The program has no such question"));
        }
    }

  for (guint i = 0; device_ids != NULL && device_ids[i] != NULL; i++)
    if (enr_service_find_entity (customer->devices, device_ids[i]) == NULL)
      {
        enr_service_add_field_error (errors, ENR_FIELD_DEVICES, _("The customer has no such device"));
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
          enr_service_add_field_error (errors, field, _("There is no such activity type"));
          continue;
        }

      shift = enr_service_store_get (req->store, ENR_TYPE_CREW_SHIFT,
                                     enr_appointment_get_crew_shift_id (appointment), NULL);
      if (shift == NULL)
        {
          enr_service_add_field_error (errors, field, _("There is no such crew shift"));
          continue;
        }
      if (g_strcmp0 (enr_crew_shift_get_crew_id (shift), enr_appointment_get_crew_id (appointment)) != 0)
        {
          enr_service_add_field_error (errors, field, _("The crew shift belongs to another crew"));
          continue;
        }

      seconds = g_date_time_to_unix (enr_appointment_get_end (appointment)) -
                g_date_time_to_unix (enr_appointment_get_start (appointment));
      if (seconds != (gint64) enr_activity_type_get_duration_minutes (activity) * 60)
        enr_service_add_field_error (errors, field, _("The appointment does not last as long as the activity"));
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
          enr_service_add_field_error (errors, field, message);
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

/* The consent a write brings: kept as sent, but recorded by the clerk
 * whose session sends it (a consent that did not change keeps its
 * recorder). */
static void
take_consent (EnrServiceRequest *req,
              EnrServiceTask    *task,
              EnrConsent        *incoming)
{
  EnrConsent *stored = enr_service_task_get_consent (task);
  g_autoptr(EnrConsent) consent = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (incoming == NULL)
    {
      enr_service_task_set_consent (task, NULL);
      return;
    }

  if (stored != NULL && stored != incoming && enr_codec_equal (stored, incoming))
    return;

  node = enr_codec_encode (incoming);
  consent = enr_codec_decode (ENR_TYPE_CONSENT, node, NULL);
  if (consent == NULL)
    return;
  enr_consent_set_recorded_by (consent, enr_service_request_get_username (req));
  enr_service_task_set_consent (task, consent);
}

/* 409 when an enrollment breaks an exclusion between programs (rule 7 of
 * the eligibility) or the program's limit per premise (rule 8): the
 * problem's detail is the clerk-readable reason, naming the program. */
static gboolean
check_exclusions (EnrServiceRequest  *req,
                  EnrServiceTask     *task,
                  EnrServiceCustomer *customer,
                  EnrServiceProgram  *program)
{
  static const struct { const char *code; const char *slug; } rules[] = {
    { ENR_ELIGIBILITY_EXCLUDED_PROGRAM, "excluded-enrollment" },
    { ENR_ELIGIBILITY_PREMISE_LIMIT, "premise-limit-reached" },
  };
  g_autoptr(EnrEligibilityResult) result = NULL;
  EnrMeteredService *metered_service;
  GPtrArray *reasons;
  GDate today;

  if (enr_service_task_get_kind (task) != ENR_TASK_KIND_ENROLLMENT)
    return TRUE;

  metered_service = enr_service_find_entity (customer->metered_services,
                                             enr_service_task_get_metered_service_id (task));
  if (metered_service == NULL)
    metered_service = enr_metered_service_pick (customer->metered_services);

  enr_service_date_today (&today);
  result = enr_service_evaluate_eligibility (customer, program, metered_service, task, &today);
  reasons = enr_eligibility_result_get_reasons (result);

  for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
    for (guint i = 0; i < reasons->len; i++)
      {
        EnrEligibilityReason *reason = g_ptr_array_index (reasons, i);

        if (g_strcmp0 (enr_eligibility_reason_get_code (reason), rules[r].code) != 0)
          continue;

        enr_service_request_problem (req, 409, rules[r].slug, "%s.", enr_eligibility_reason_get_text (reason));
        return FALSE;
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

  /* What a write decides from the customer's records (a duplicate, the
   * eligibility) stays true until it commits: writes for one customer
   * take turns. */
  if (req->write &&
      !enr_service_store_lock (req->store, ENR_TYPE_CUSTOMER, enr_service_task_get_customer_id (task), &error))
    {
      enr_service_request_gerror (req, error);
      return FALSE;
    }

  *customer = enr_service_customer_load_parts (req->store, enr_service_task_get_customer_id (task),
                                               with_tasks, req->write, &error);
  if (*customer == NULL)
    {
      if (!g_error_matches (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND))
        {
          enr_service_request_gerror (req, error);
          return FALSE;
        }
      enr_service_add_field_error (errors, "customer-id", _("There is no such customer"));
      g_clear_error (&error);
    }

  *program = enr_service_program_load (req->store, enr_service_task_get_program_id (task), &error);
  if (*program == NULL)
    {
      if (!g_error_matches (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND))
        {
          enr_service_request_gerror (req, error);
          return FALSE;
        }
      enr_service_add_field_error (errors, ENR_FIELD_PROGRAM, _("There is no such program"));
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
      !check_exclusions (req, task, customer, program) ||
      !enr_service_assign_id (req, ENR_ENTITY (task), ENR_TYPE_SERVICE_TASK))
    return;

  if (enr_service_task_get_consent (task) != NULL)
    {
      g_autoptr(EnrConsent) sent = g_object_ref (enr_service_task_get_consent (task));

      enr_service_task_set_consent (task, NULL);
      take_consent (req, task, sent);
    }

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

  if ((version = enr_service_save_task (req, task, &error)) < 0)
    {
      enr_service_request_gerror (req, error);
      return;
    }

  req->location = g_strdup_printf ("/v1/service-tasks/%s", enr_entity_get_id (ENR_ENTITY (task)));
  enr_service_reply_task (req, 201, task, version);
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

  if (!(task = enr_service_load_task (req, &version, &json)))
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

  if (!(task = enr_service_load_task (req, &version, &json)) ||
      !enr_service_request_check_if_match (req, version, json))
    return;

  status = enr_service_task_get_status (task);
  if (status != ENR_TASK_STATUS_PENDING && status != ENR_TASK_STATUS_ERROR)
    {
      enr_service_reply_state_conflict (req, task, "changed");
      return;
    }

  if (!(incoming = enr_service_decode_task (body, length, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  if (enr_service_task_get_kind (incoming) != enr_service_task_get_kind (task))
    enr_service_add_field_error (errors, "kind", _("The kind of a service task cannot change"));
  if (g_strcmp0 (enr_service_task_get_program_id (incoming), enr_service_task_get_program_id (task)) != 0)
    enr_service_add_field_error (errors, ENR_FIELD_PROGRAM, _("The program of a service task cannot change"));
  if (g_strcmp0 (enr_service_task_get_customer_id (incoming), enr_service_task_get_customer_id (task)) != 0)
    enr_service_add_field_error (errors, "customer-id", _("The customer of a service task cannot change"));
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
  take_consent (req, task, enr_service_task_get_consent (incoming));

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

  if ((version = enr_service_save_task (req, task, &error)) < 0)
    {
      enr_service_request_gerror (req, error);
      return;
    }

  enr_service_reply_task (req, 200, task, version);
}

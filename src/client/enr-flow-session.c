/* enr-flow-session.c — one open process flow and what its panels need
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panels of an assistant edit the flow's draft service task through
 * this object only. Every edit is written to the local store at once (text
 * being typed after ENR_FLOW_SESSION_SAVE_DELAY_MS, and on flush), so a
 * crash or a killed process loses at most the last keystrokes. "dirty"
 * means: changed since the last Save, Finish or Cancel, i.e. not yet queued
 * for the service.
 *
 * This file resolves what the task refers to, answers the panels'
 * questions and keeps the draft; enr-flow-session-factory.c makes new
 * flows, enr-flow-session-edits.c has the panels' edits.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "enr-flow-session-private.h"

G_DEFINE_FINAL_TYPE (EnrFlowSession, enr_flow_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FLOW,
  PROP_PLAN,
  PROP_DIRTY,
  N_PROPS
};

enum {
  CHANGED,
  SAVE_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Helpers */

gpointer
_enr_flow_session_find_entity (GPtrArray  *array,
                               const char *id)
{
  for (guint i = 0; array != NULL && id != NULL && i < array->len; i++)
    {
      EnrEntity *entity = g_ptr_array_index (array, i);

      if (g_strcmp0 (enr_entity_get_id (entity), id) == 0)
        return entity;
    }

  return NULL;
}

static void
compute_offered_devices (EnrFlowSession *self)
{
  EnrServiceTask *task = enr_flow_session_get_task (self);
  g_autoptr(GPtrArray) offered = g_ptr_array_new_with_free_func (g_object_unref);

  if (enr_service_task_get_kind (task) == ENR_TASK_KIND_UNENROLLMENT)
    {
      const char *location_id = enr_service_task_get_device_location_id (task);
      const char *subscription_id = enr_service_task_get_subscription_id (task);
      g_autoptr(GPtrArray) devices = NULL;
      gboolean linked = FALSE;

      if (location_id != NULL)
        devices = enr_context_list_devices (self->context, location_id);

      for (guint i = 0; devices != NULL && i < devices->len; i++)
        if (g_strcmp0 (enr_device_get_subscription_id (g_ptr_array_index (devices, i)),
                       subscription_id) == 0)
          linked = TRUE;

      for (guint i = 0; devices != NULL && i < devices->len; i++)
        {
          EnrDevice *device = g_ptr_array_index (devices, i);
          EnrDeviceStatus status = enr_device_get_status (device);

          if (linked && g_strcmp0 (enr_device_get_subscription_id (device), subscription_id) != 0)
            continue;
          if (status == ENR_DEVICE_STATUS_REMOVED || status == ENR_DEVICE_STATUS_RETURNED)
            continue;

          g_ptr_array_add (offered, g_object_ref (device));
        }
    }
  else if (self->service_point != NULL)
    {
      g_autoptr(GPtrArray) locations = NULL;
      const char * const *specifications = NULL;

      if (self->program != NULL)
        specifications = enr_program_get_device_specifications (self->program);

      locations = enr_context_list_device_locations (self->context,
                                                     enr_entity_get_id (ENR_ENTITY (self->service_point)));
      for (guint i = 0; i < locations->len; i++)
        {
          g_autoptr(GPtrArray) devices = NULL;

          devices = enr_context_list_devices (self->context,
                                              enr_entity_get_id (g_ptr_array_index (locations, i)));
          for (guint j = 0; j < devices->len; j++)
            {
              EnrDevice *device = g_ptr_array_index (devices, j);
              EnrDeviceStatus status = enr_device_get_status (device);
              const char *subscription_id = enr_device_get_subscription_id (device);

              if (status != ENR_DEVICE_STATUS_INSTALLED && status != ENR_DEVICE_STATUS_ACTIVE)
                continue;

              if (subscription_id != NULL && subscription_id[0] != '\0')
                {
                  g_autoptr(EnrProgramSubscription) subscription = NULL;

                  subscription = enr_context_lookup (self->context, ENR_TYPE_PROGRAM_SUBSCRIPTION,
                                                     subscription_id);
                  if (subscription == NULL ||
                      enr_program_subscription_get_status (subscription) != ENR_SUBSCRIPTION_STATUS_ENDED)
                    continue;
                }

              if (specifications != NULL && specifications[0] != NULL &&
                  !g_strv_contains (specifications, enr_device_get_specification (device)))
                continue;

              g_ptr_array_add (offered, g_object_ref (device));
            }
        }
    }

  g_clear_pointer (&self->offered_devices, g_ptr_array_unref);
  self->offered_devices = g_steal_pointer (&offered);
}

void
_enr_flow_session_compute_activities (EnrFlowSession *self)
{
  g_autoptr(GPtrArray) ids = NULL;

  g_clear_pointer (&self->activities, g_ptr_array_unref);
  g_clear_pointer (&self->appointment_activities, g_ptr_array_unref);

  if (self->task_type != NULL)
    ids = enr_device_setup_activities_for_task (self->task_type, enr_flow_session_get_task (self));

  self->activities = enr_device_setup_resolve_activity_types (ids, self->activity_catalog);
  self->appointment_activities = enr_device_setup_required_appointments (ids, self->activity_catalog);
}

void
_enr_flow_session_resolve (EnrFlowSession *self)
{
  EnrServiceTask *task = enr_flow_session_get_task (self);
  EnrTaskKind kind = enr_service_task_get_kind (task);
  g_autoptr(EnrStepPlan) old_plan = g_steal_pointer (&self->plan);
  const char *task_type_id = NULL;

  g_clear_object (&self->customer);
  g_clear_pointer (&self->metered_services, g_ptr_array_unref);
  g_clear_object (&self->metered_service);
  g_clear_object (&self->service_point);
  g_clear_object (&self->device_location);
  g_clear_object (&self->program);
  g_clear_object (&self->program_type);
  g_clear_object (&self->task_type);
  g_clear_object (&self->action_method);
  g_clear_object (&self->initiative);
  g_clear_object (&self->subscription);

  self->customer = enr_context_lookup (self->context, ENR_TYPE_CUSTOMER,
                                       enr_service_task_get_customer_id (task));
  self->metered_services = enr_context_list_metered_services (self->context,
                                                              enr_service_task_get_customer_id (task));
  self->metered_service = _enr_flow_session_find_entity (self->metered_services,
                                                         enr_service_task_get_metered_service_id (task));
  if (self->metered_service != NULL)
    {
      g_object_ref (self->metered_service);
      self->service_point = enr_context_lookup (self->context, ENR_TYPE_SERVICE_POINT,
                                                enr_metered_service_get_service_point_id (self->metered_service));
    }
  self->device_location = enr_context_lookup (self->context, ENR_TYPE_DEVICE_LOCATION,
                                              enr_service_task_get_device_location_id (task));

  self->program = enr_context_lookup (self->context, ENR_TYPE_PROGRAM,
                                      enr_service_task_get_program_id (task));
  if (self->program != NULL)
    {
      self->program_type = enr_context_lookup (self->context, ENR_TYPE_PROGRAM_TYPE,
                                               enr_program_get_program_type_id (self->program));
      if (kind == ENR_TASK_KIND_ENROLLMENT)
        task_type_id = enr_program_get_enrollment_task_type_id (self->program);
      else
        task_type_id = enr_program_get_unenrollment_task_type_id (self->program);
      self->task_type = enr_context_lookup (self->context, ENR_TYPE_SERVICE_TASK_TYPE, task_type_id);
      self->action_method = enr_context_lookup (self->context, ENR_TYPE_ACTION_METHOD,
                                                enr_program_get_action_method_id (self->program));
      self->initiative = enr_context_lookup (self->context, ENR_TYPE_INITIATIVE,
                                             enr_program_get_initiative_id (self->program));
    }

  self->subscription = enr_context_lookup (self->context, ENR_TYPE_PROGRAM_SUBSCRIPTION,
                                           enr_service_task_get_subscription_id (task));

  if (self->activity_catalog == NULL)
    self->activity_catalog = enr_context_list (self->context, ENR_TYPE_ACTIVITY_TYPE);

  compute_offered_devices (self);
  _enr_flow_session_compute_activities (self);

  self->plan = enr_step_plan_new_for_program_type (kind, self->program_type);
  if (old_plan == NULL ||
      enr_step_plan_get_location_required (old_plan) != enr_step_plan_get_location_required (self->plan))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
}

static void
emit_save_failed (EnrFlowSession *self,
                  const GError   *error)
{
  g_warning ("Could not keep the process flow %s: %s",
             enr_entity_get_id (ENR_ENTITY (self->flow)), error->message);
  g_signal_emit (self, signals[SAVE_FAILED], 0, error);
}

static gboolean
write_draft (EnrFlowSession  *self,
             GError         **error)
{
  g_autoptr(GDateTime) now = enr_context_get_now (self->context);

  g_clear_handle_id (&self->save_source, g_source_remove);

  enr_process_flow_set_updated_at (self->flow, now);
  enr_service_task_set_updated_at (enr_flow_session_get_task (self), now);

  return enr_context_save_draft (self->context, self->flow, error);
}

static gboolean
on_save_timeout_cb (gpointer user_data)
{
  EnrFlowSession *self = user_data;
  g_autoptr(GError) error = NULL;

  self->save_source = 0;

  if (!write_draft (self, &error))
    emit_save_failed (self, error);

  return G_SOURCE_REMOVE;
}

static void
set_dirty (EnrFlowSession *self,
           gboolean        dirty)
{
  dirty = !!dirty;
  if (self->dirty == dirty)
    return;

  self->dirty = dirty;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

/* Every edit ends here: the draft is written (now, or shortly for typing)
 * and the panels hear what changed. */
void
_enr_flow_session_commit (EnrFlowSession *self,
                          const char     *what,
                          gboolean        typing)
{
  _enr_flow_session_commit_full (self, what, typing, TRUE);
}

/* @changes: whether the edit changes what the service is told (not the
 * panel the clerk looks at): it then waits for the next Save. */
void
_enr_flow_session_commit_full (EnrFlowSession *self,
                               const char     *what,
                               gboolean        typing,
                               gboolean        changes)
{
  if (changes)
    set_dirty (self, TRUE);

  if (typing)
    {
      g_clear_handle_id (&self->save_source, g_source_remove);
      self->save_source = g_timeout_add (ENR_FLOW_SESSION_SAVE_DELAY_MS, on_save_timeout_cb, self);
    }
  else
    {
      g_autoptr(GError) error = NULL;

      if (!write_draft (self, &error))
        emit_save_failed (self, error);
    }

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (what), what);
}

/* GObject */

static void
enr_flow_session_constructed (GObject *object)
{
  EnrFlowSession *self = (EnrFlowSession *) object;

  G_OBJECT_CLASS (enr_flow_session_parent_class)->constructed (object);

  g_assert (ENR_IS_CONTEXT (self->context));
  g_assert (ENR_IS_PROCESS_FLOW (self->flow));

  if (enr_process_flow_get_task (self->flow) == NULL)
    {
      g_autoptr(EnrServiceTask) task = NULL;

      task = enr_context_lookup (self->context, ENR_TYPE_SERVICE_TASK,
                                 enr_process_flow_get_service_task_id (self->flow));
      if (task == NULL)
        {
          task = enr_service_task_new ();
          enr_entity_set_id (ENR_ENTITY (task), enr_process_flow_get_service_task_id (self->flow));
          enr_service_task_set_kind (task, enr_process_flow_get_kind (self->flow));
        }
      enr_process_flow_set_task (self->flow, task);
    }

  _enr_flow_session_resolve (self);

  /* Unenrollment: the devices at the location are the ones being removed. */
  if (enr_flow_session_get_kind (self) == ENR_TASK_KIND_UNENROLLMENT)
    {
      EnrServiceTask *task = enr_flow_session_get_task (self);
      const char * const *ids = enr_service_task_get_device_ids (task);

      if ((ids == NULL || ids[0] == NULL) && self->offered_devices->len > 0)
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_auto(GStrv) strv = NULL;

          for (guint i = 0; i < self->offered_devices->len; i++)
            g_strv_builder_add (builder, enr_entity_get_id (g_ptr_array_index (self->offered_devices, i)));
          strv = g_strv_builder_end (builder);
          enr_service_task_set_device_ids (task, (const char * const *) strv);
        }
    }
}

static void
enr_flow_session_dispose (GObject *object)
{
  EnrFlowSession *self = (EnrFlowSession *) object;

  if (self->save_source != 0)
    {
      g_autoptr(GError) error = NULL;

      if (!write_draft (self, &error))
        g_warning ("Could not keep the process flow: %s", error->message);
    }

  G_OBJECT_CLASS (enr_flow_session_parent_class)->dispose (object);
}

static void
enr_flow_session_finalize (GObject *object)
{
  EnrFlowSession *self = (EnrFlowSession *) object;

  g_clear_object (&self->context);
  g_clear_object (&self->flow);
  g_clear_pointer (&self->plan, enr_step_plan_unref);
  g_clear_object (&self->customer);
  g_clear_pointer (&self->metered_services, g_ptr_array_unref);
  g_clear_object (&self->metered_service);
  g_clear_object (&self->service_point);
  g_clear_object (&self->device_location);
  g_clear_object (&self->program);
  g_clear_object (&self->program_type);
  g_clear_object (&self->task_type);
  g_clear_object (&self->action_method);
  g_clear_object (&self->initiative);
  g_clear_object (&self->subscription);
  g_clear_pointer (&self->offered_devices, g_ptr_array_unref);
  g_clear_pointer (&self->activity_catalog, g_ptr_array_unref);
  g_clear_pointer (&self->activities, g_ptr_array_unref);
  g_clear_pointer (&self->appointment_activities, g_ptr_array_unref);

  G_OBJECT_CLASS (enr_flow_session_parent_class)->finalize (object);
}

static void
enr_flow_session_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EnrFlowSession *self = ENR_FLOW_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_FLOW:
      g_value_set_object (value, self->flow);
      break;

    case PROP_PLAN:
      g_value_set_boxed (value, self->plan);
      break;

    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_flow_session_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EnrFlowSession *self = ENR_FLOW_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_FLOW:
      self->flow = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_flow_session_class_init (EnrFlowSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = enr_flow_session_constructed;
  object_class->dispose = enr_flow_session_dispose;
  object_class->finalize = enr_flow_session_finalize;
  object_class->get_property = enr_flow_session_get_property;
  object_class->set_property = enr_flow_session_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ENR_TYPE_CONTEXT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_FLOW] =
    g_param_spec_object ("flow", NULL, NULL,
                         ENR_TYPE_PROCESS_FLOW,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_PLAN] =
    g_param_spec_boxed ("plan", NULL, NULL,
                        ENR_TYPE_STEP_PLAN,
                        (G_PARAM_READABLE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EnrFlowSession::changed:
   * @what: one of the ENR_FLOW_CHANGE_* strings, also the signal's detail
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  signals[SAVE_FAILED] =
    g_signal_new ("save-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
enr_flow_session_init (EnrFlowSession *self)
{
}

/* Public API */

EnrFlowSession *
enr_flow_session_new (EnrContext     *context,
                      EnrProcessFlow *flow)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (flow), NULL);

  return g_object_new (ENR_TYPE_FLOW_SESSION,
                       "context", context,
                       "flow", flow,
                       NULL);
}

EnrContext *
enr_flow_session_get_context (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->context;
}

EnrProcessFlow *
enr_flow_session_get_flow (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->flow;
}

EnrServiceTask *
enr_flow_session_get_task (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return enr_process_flow_get_task (self->flow);
}

EnrTaskKind
enr_flow_session_get_kind (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), ENR_TASK_KIND_ENROLLMENT);

  return enr_service_task_get_kind (enr_flow_session_get_task (self));
}

EnrStepPlan *
enr_flow_session_get_plan (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->plan;
}

EnrPanel
enr_flow_session_get_current_panel (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), ENR_PANEL_CUSTOMER);

  return enr_process_flow_get_current_panel (self->flow);
}

gboolean
enr_flow_session_is_open (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), FALSE);

  return enr_process_flow_get_status (self->flow) == ENR_FLOW_STATUS_OPEN;
}

gboolean
enr_flow_session_get_dirty (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), FALSE);

  return self->dirty;
}

EnrCustomer *
enr_flow_session_get_customer (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->customer;
}

GPtrArray *
enr_flow_session_get_metered_services (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->metered_services;
}

EnrMeteredService *
enr_flow_session_get_metered_service (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->metered_service;
}

EnrServicePoint *
enr_flow_session_get_service_point (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->service_point;
}

EnrDeviceLocation *
enr_flow_session_get_device_location (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->device_location;
}

EnrProgram *
enr_flow_session_get_program (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->program;
}

EnrProgramType *
enr_flow_session_get_program_type (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->program_type;
}

EnrServiceTaskType *
enr_flow_session_get_task_type (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->task_type;
}

EnrActionMethod *
enr_flow_session_get_action_method (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->action_method;
}

EnrProgramSubscription *
enr_flow_session_get_subscription (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->subscription;
}

/**
 * enr_flow_session_get_offered_devices:
 *
 * Returns: (transfer none) (element-type EnrDevice): enrollment: the
 *   devices that can be re-enrolled; unenrollment: the controllable devices
 *   at the device location
 */
GPtrArray *
enr_flow_session_get_offered_devices (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->offered_devices;
}

/**
 * enr_flow_session_get_activities:
 *
 * Returns: (transfer none) (element-type EnrActivityType): the work
 *   activities the task's method and ownership create
 */
GPtrArray *
enr_flow_session_get_activities (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->activities;
}

/**
 * enr_flow_session_get_appointment_activities:
 *
 * Returns: (transfer none) (element-type EnrActivityType): those of the
 *   activities that need an appointment
 */
GPtrArray *
enr_flow_session_get_appointment_activities (EnrFlowSession *self)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  return self->appointment_activities;
}

/**
 * enr_flow_session_list_programs:
 *
 * Returns: (transfer full) (element-type EnrProgram): the programs the
 *   Program field offers: enrollment: the active ones (and the chosen
 *   one); unenrollment: the chosen one
 */
GPtrArray *
enr_flow_session_list_programs (EnrFlowSession *self)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) programs = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  if (enr_flow_session_get_kind (self) == ENR_TASK_KIND_UNENROLLMENT)
    {
      if (self->program != NULL)
        g_ptr_array_add (programs, g_object_ref (self->program));
      return g_steal_pointer (&programs);
    }

  all = enr_context_list (self->context, ENR_TYPE_PROGRAM);
  for (guint i = 0; i < all->len; i++)
    {
      EnrProgram *program = g_ptr_array_index (all, i);

      if (program == self->program ||
          (self->program != NULL &&
           g_strcmp0 (enr_entity_get_id (ENR_ENTITY (program)),
                      enr_entity_get_id (ENR_ENTITY (self->program))) == 0) ||
          enr_program_get_status (program) == ENR_PROGRAM_STATUS_ACTIVE)
        g_ptr_array_add (programs, g_object_ref (program));
    }

  return g_steal_pointer (&programs);
}

/**
 * enr_flow_session_get_appointment:
 *
 * Returns: (transfer none) (nullable): the task's appointment for
 *   @activity_type_id that is not released
 */
EnrAppointment *
enr_flow_session_get_appointment (EnrFlowSession *self,
                                  const char     *activity_type_id)
{
  GPtrArray *appointments;

  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  appointments = enr_service_task_get_appointments (enr_flow_session_get_task (self));
  for (guint i = 0; i < appointments->len; i++)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i);

      if (enr_appointment_get_status (appointment) != ENR_APPOINTMENT_STATUS_RELEASED &&
          g_strcmp0 (enr_appointment_get_activity_type_id (appointment), activity_type_id) == 0)
        return appointment;
    }

  return NULL;
}

static void
fill_validation_context (EnrFlowSession       *self,
                         EnrValidationContext *ctx,
                         GDate                *today)
{
  enr_context_get_today (self->context, today);

  *ctx = (EnrValidationContext) {
    .task = enr_flow_session_get_task (self),
    .program = self->program,
    .program_type = self->program_type,
    .task_type = self->task_type,
    .devices = self->offered_devices,
    .activities = self->activities,
    .today = today,
    .subscription_start = self->subscription != NULL
                          ? enr_program_subscription_get_start_date (self->subscription)
                          : NULL,
  };
}

/**
 * enr_flow_session_validate:
 *
 * Returns: (transfer full) (element-type EnrFieldError): the errors of @panel
 */
GPtrArray *
enr_flow_session_validate (EnrFlowSession *self,
                           EnrPanel        panel)
{
  EnrValidationContext ctx;
  GDate today;

  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  fill_validation_context (self, &ctx, &today);
  return enr_validate_panel (panel, &ctx);
}

/**
 * enr_flow_session_validate_all:
 *
 * Returns: (transfer full) (element-type EnrFieldError): the errors of
 *   every panel the plan does not skip
 */
GPtrArray *
enr_flow_session_validate_all (EnrFlowSession *self)
{
  EnrValidationContext ctx;
  GDate today;

  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  fill_validation_context (self, &ctx, &today);
  return enr_validate_task (&ctx, self->plan);
}

/**
 * enr_flow_session_check_eligibility:
 * @check_answers: whether the qualification answers are judged too
 *
 * Returns: (transfer full): the customer's eligibility for the program
 */
EnrEligibilityResult *
enr_flow_session_check_eligibility (EnrFlowSession *self,
                                    gboolean        check_answers)
{
  EnrServiceTask *task;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) subscriptions = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) flows = NULL;
  g_autoptr(GPtrArray) programs = NULL;
  g_autoptr(GPtrArray) premise_subscriptions = NULL;
  EnrEligibilityInput input;
  EnrInstallationMethod method;
  GDate today;

  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), NULL);

  if (self->program == NULL)
    {
      EnrEligibilityResult *result = enr_eligibility_result_new ();

      enr_eligibility_result_set_eligible (result, FALSE);
      enr_eligibility_result_add_reason (result, ENR_ELIGIBILITY_PROGRAM_INACTIVE,
                                         _("The program is not available"));
      return result;
    }

  task = enr_flow_session_get_task (self);
  enr_context_get_today (self->context, &today);

  method = enr_service_task_get_installation_method (task);
  if (method == ENR_INSTALLATION_METHOD_NONE)
    method = enr_task_type_get_providing_method (self->task_type);

  devices = enr_context_list_customer_devices (self->context, enr_service_task_get_customer_id (task));
  subscriptions = enr_context_list_subscriptions (self->context, enr_service_task_get_customer_id (task));
  tasks = enr_context_list_tasks (self->context, enr_service_task_get_customer_id (task));
  flows = enr_context_list_flows (self->context, enr_service_task_get_customer_id (task));
  programs = enr_context_list (self->context, ENR_TYPE_PROGRAM);
  premise_subscriptions = enr_context_list_premise_subscriptions (self->context, self->service_point);

  /* Other drafts (open, or finished but not yet known to the service)
   * count as enrollments in progress. */
  for (guint i = 0; i < flows->len; i++)
    {
      EnrServiceTask *other = enr_process_flow_get_task (g_ptr_array_index (flows, i));

      if (other != NULL &&
          !enr_task_status_is_final (enr_service_task_get_status (other)) &&
          _enr_flow_session_find_entity (tasks, enr_entity_get_id (ENR_ENTITY (other))) == NULL)
        g_ptr_array_add (tasks, g_object_ref (other));
    }

  input = (EnrEligibilityInput) {
    .program = self->program,
    .program_type = self->program_type,
    .initiative = self->initiative,
    .customer = self->customer,
    .metered_service = self->metered_service,
    .service_point = self->service_point,
    .devices = devices,
    .subscriptions = subscriptions,
    .open_tasks = tasks,
    .current_task_id = enr_entity_get_id (ENR_ENTITY (task)),
    .start_date = enr_service_task_get_start_date (task),
    .today = &today,
    .answers = enr_service_task_get_answers (task),
    .installation_method = method,
    .check_answers = check_answers,
    .programs = programs,
    .premise_subscriptions = premise_subscriptions,
  };

  return enr_eligibility_evaluate (&input);
}

/**
 * enr_flow_session_flush:
 *
 * Writes typing not yet written to the local store.
 */
gboolean
enr_flow_session_flush (EnrFlowSession  *self,
                        GError         **error)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), FALSE);

  if (self->save_source == 0)
    return TRUE;

  return write_draft (self, error);
}

static gboolean
submit (EnrFlowSession  *self,
        const char      *body,
        GError         **error)
{
  if (!write_draft (self, error))
    return FALSE;

  if (!enr_context_submit_flow_full (self->context, self->flow, body, error))
    return FALSE;

  set_dirty (self, FALSE);
  enr_context_notify_flows_changed (self->context,
                                    enr_service_task_get_customer_id (enr_flow_session_get_task (self)));
  return TRUE;
}

/**
 * enr_flow_session_save:
 *
 * Save: queues the draft for the service (the outbox), which works offline.
 */
gboolean
enr_flow_session_save (EnrFlowSession  *self,
                       GError         **error)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), FALSE);

  return submit (self, NULL, error);
}

/**
 * enr_flow_session_finish:
 *
 * Finish: the last data is queued (save-task), then the flow becomes
 * Closed and finish-task is queued; the service checks everything again. The caller validates first (enr_flow_session_validate_all()
 * and the eligibility).
 */
gboolean
enr_flow_session_finish (EnrFlowSession  *self,
                         GError         **error)
{
  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), FALSE);

  /* The last data first (finish-task carries no body), then Finish. */
  if (!submit (self, NULL, error))
    return FALSE;

  if (!enr_process_flow_transition (self->flow, ENR_FLOW_STATUS_CLOSED, error))
    return FALSE;

  if (!submit (self, NULL, error))
    {
      enr_process_flow_set_status (self->flow, ENR_FLOW_STATUS_OPEN);
      return FALSE;
    }

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (ENR_FLOW_CHANGE_STATUS),
                 ENR_FLOW_CHANGE_STATUS);
  enr_context_notify_flow_finished (self->context, self->flow);
  return TRUE;
}

/* {"reason": …} for the service's cancel, or %NULL without a reason. */
static char *
cancel_body (const char *reason)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (reason == NULL)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return enr_json_to_string (root, FALSE);
}

/**
 * enr_flow_session_cancel:
 * @reason: (nullable): why, in the clerk's words; blank is none
 *
 * Cancel Process: the service task becomes Canceled, its appointments are
 * released and the flow becomes Canceled; queued for the service with the
 * reason, which the service puts in the cancellation's communication.
 */
gboolean
enr_flow_session_cancel (EnrFlowSession  *self,
                         const char      *reason,
                         GError         **error)
{
  EnrServiceTask *task;
  g_autoptr(EnrServiceTask) backup = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *body = NULL;
  GPtrArray *appointments;

  g_return_val_if_fail (ENR_IS_FLOW_SESSION (self), FALSE);

  if (reason != NULL)
    {
      stripped = g_strstrip (g_strdup (reason));
      if (stripped[0] == '\0')
        g_clear_pointer (&stripped, g_free);
    }

  task = enr_flow_session_get_task (self);
  backup = enr_service_task_copy (task);
  now = enr_context_get_now (self->context);

  if (!enr_service_task_transition (task, ENR_TASK_STATUS_CANCELED,
                                    enr_context_get_username (self->context), now,
                                    stripped ? stripped : _("Canceled by the clerk with Cancel Process"), error))
    return FALSE;

  appointments = enr_service_task_get_appointments (task);
  for (guint i = 0; i < appointments->len; i++)
    enr_appointment_set_status (g_ptr_array_index (appointments, i), ENR_APPOINTMENT_STATUS_RELEASED);

  body = cancel_body (stripped);
  if (!enr_process_flow_transition (self->flow, ENR_FLOW_STATUS_CANCELED, error) ||
      !submit (self, body, error))
    {
      enr_process_flow_set_status (self->flow, ENR_FLOW_STATUS_OPEN);
      enr_process_flow_set_task (self->flow, backup);
      return FALSE;
    }

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (ENR_FLOW_CHANGE_STATUS),
                 ENR_FLOW_CHANGE_STATUS);
  return TRUE;
}

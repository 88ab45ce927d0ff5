/* enr-service-task.c — the record behind one enrollment or unenrollment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-service-task.h"

struct _EnrServiceTask
{
  EnrEntity parent_instance;

  EnrTaskKind           kind;
  EnrTaskStatus         status;
  char                 *program_id;
  char                 *customer_id;
  char                 *metered_service_id;
  char                 *service_point_id;
  char                 *device_location_id;
  char                 *subscription_id;
  GDate                *start_date;
  GDate                *stop_date;
  GPtrArray            *answers;
  EnrInstallationMethod installation_method;
  EnrRemovalMethod      removal_method;
  EnrAssetOwnership     ownership;
  char                **device_ids;
  GPtrArray            *appointments;
  GPtrArray            *interactions;
  char                **reasons;
  GPtrArray            *history;
  gint64                version;
  char                 *created_by;
  GDateTime            *created_at;
  GDateTime            *updated_at;
  EnrConsent           *consent;
};

G_DEFINE_FINAL_TYPE (EnrServiceTask, enr_service_task, ENR_TYPE_ENTITY)

enum {
  SERVICE_TASK_PROP_0,
  SERVICE_TASK_PROP_KIND,
  SERVICE_TASK_PROP_STATUS,
  SERVICE_TASK_PROP_PROGRAM_ID,
  SERVICE_TASK_PROP_CUSTOMER_ID,
  SERVICE_TASK_PROP_METERED_SERVICE_ID,
  SERVICE_TASK_PROP_SERVICE_POINT_ID,
  SERVICE_TASK_PROP_DEVICE_LOCATION_ID,
  SERVICE_TASK_PROP_SUBSCRIPTION_ID,
  SERVICE_TASK_PROP_START_DATE,
  SERVICE_TASK_PROP_STOP_DATE,
  SERVICE_TASK_PROP_ANSWERS,
  SERVICE_TASK_PROP_INSTALLATION_METHOD,
  SERVICE_TASK_PROP_REMOVAL_METHOD,
  SERVICE_TASK_PROP_OWNERSHIP,
  SERVICE_TASK_PROP_DEVICE_IDS,
  SERVICE_TASK_PROP_APPOINTMENTS,
  SERVICE_TASK_PROP_INTERACTIONS,
  SERVICE_TASK_PROP_REASONS,
  SERVICE_TASK_PROP_HISTORY,
  SERVICE_TASK_PROP_VERSION,
  SERVICE_TASK_PROP_CREATED_BY,
  SERVICE_TASK_PROP_CREATED_AT,
  SERVICE_TASK_PROP_UPDATED_AT,
  SERVICE_TASK_PROP_CONSENT,
  SERVICE_TASK_N_PROPS
};

static GParamSpec *service_task_properties[SERVICE_TASK_N_PROPS];

/* A copy of a task's whole tree, property by property: unlike an encode and
 * decode round trip it also copies a draft whose required members are unset. */
static GObject *
copy_object (GObject *object)
{
  g_autofree GParamSpec **pspecs = NULL;
  GObject *copy;
  guint n_pspecs;

  copy = g_object_new (G_OBJECT_TYPE (object), NULL);
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_auto(GValue) value = G_VALUE_INIT;

      if ((pspec->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE)
        continue;

      g_value_init (&value, pspec->value_type);
      g_object_get_property (object, pspec->name, &value);

      if (pspec->value_type == G_TYPE_PTR_ARRAY && g_value_get_boxed (&value) != NULL)
        {
          GPtrArray *items = g_value_get_boxed (&value);
          g_autoptr(GPtrArray) copies = g_ptr_array_new_full (items->len, g_object_unref);

          for (guint j = 0; j < items->len; j++)
            g_ptr_array_add (copies, copy_object (g_ptr_array_index (items, j)));

          g_value_set_boxed (&value, copies);
        }
      else if (G_VALUE_HOLDS_OBJECT (&value) && g_value_get_object (&value) != NULL)
        {
          g_autoptr(GObject) child = copy_object (g_value_get_object (&value));

          g_value_set_object (&value, child);
        }

      g_object_set_property (copy, pspec->name, &value);
    }

  return copy;
}

static void
enr_service_task_finalize (GObject *object)
{
  EnrServiceTask *self = ENR_SERVICE_TASK (object);

  g_clear_pointer (&self->program_id, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->metered_service_id, g_free);
  g_clear_pointer (&self->service_point_id, g_free);
  g_clear_pointer (&self->device_location_id, g_free);
  g_clear_pointer (&self->subscription_id, g_free);
  g_clear_pointer (&self->start_date, g_date_free);
  g_clear_pointer (&self->stop_date, g_date_free);
  g_clear_pointer (&self->answers, g_ptr_array_unref);
  g_clear_pointer (&self->device_ids, g_strfreev);
  g_clear_pointer (&self->appointments, g_ptr_array_unref);
  g_clear_pointer (&self->interactions, g_ptr_array_unref);
  g_clear_pointer (&self->reasons, g_strfreev);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->created_by, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_object (&self->consent);

  G_OBJECT_CLASS (enr_service_task_parent_class)->finalize (object);
}

static void
enr_service_task_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EnrServiceTask *self = ENR_SERVICE_TASK (object);

  switch (prop_id)
    {
    case SERVICE_TASK_PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case SERVICE_TASK_PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case SERVICE_TASK_PROP_PROGRAM_ID:
      g_value_set_string (value, self->program_id);
      break;

    case SERVICE_TASK_PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;

    case SERVICE_TASK_PROP_METERED_SERVICE_ID:
      g_value_set_string (value, self->metered_service_id);
      break;

    case SERVICE_TASK_PROP_SERVICE_POINT_ID:
      g_value_set_string (value, self->service_point_id);
      break;

    case SERVICE_TASK_PROP_DEVICE_LOCATION_ID:
      g_value_set_string (value, self->device_location_id);
      break;

    case SERVICE_TASK_PROP_SUBSCRIPTION_ID:
      g_value_set_string (value, self->subscription_id);
      break;

    case SERVICE_TASK_PROP_START_DATE:
      g_value_set_boxed (value, self->start_date);
      break;

    case SERVICE_TASK_PROP_STOP_DATE:
      g_value_set_boxed (value, self->stop_date);
      break;

    case SERVICE_TASK_PROP_ANSWERS:
      g_value_set_boxed (value, self->answers);
      break;

    case SERVICE_TASK_PROP_INSTALLATION_METHOD:
      g_value_set_enum (value, self->installation_method);
      break;

    case SERVICE_TASK_PROP_REMOVAL_METHOD:
      g_value_set_enum (value, self->removal_method);
      break;

    case SERVICE_TASK_PROP_OWNERSHIP:
      g_value_set_enum (value, self->ownership);
      break;

    case SERVICE_TASK_PROP_DEVICE_IDS:
      g_value_set_boxed (value, self->device_ids);
      break;

    case SERVICE_TASK_PROP_APPOINTMENTS:
      g_value_set_boxed (value, self->appointments);
      break;

    case SERVICE_TASK_PROP_INTERACTIONS:
      g_value_set_boxed (value, self->interactions);
      break;

    case SERVICE_TASK_PROP_REASONS:
      g_value_set_boxed (value, self->reasons);
      break;

    case SERVICE_TASK_PROP_HISTORY:
      g_value_set_boxed (value, self->history);
      break;

    case SERVICE_TASK_PROP_VERSION:
      g_value_set_int64 (value, self->version);
      break;

    case SERVICE_TASK_PROP_CREATED_BY:
      g_value_set_string (value, self->created_by);
      break;

    case SERVICE_TASK_PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case SERVICE_TASK_PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;

    case SERVICE_TASK_PROP_CONSENT:
      g_value_set_object (value, self->consent);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_service_task_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EnrServiceTask *self = ENR_SERVICE_TASK (object);

  switch (prop_id)
    {
    case SERVICE_TASK_PROP_KIND:
      enr_service_task_set_kind (self, g_value_get_enum (value));
      break;

    case SERVICE_TASK_PROP_STATUS:
      enr_service_task_set_status (self, g_value_get_enum (value));
      break;

    case SERVICE_TASK_PROP_PROGRAM_ID:
      enr_service_task_set_program_id (self, g_value_get_string (value));
      break;

    case SERVICE_TASK_PROP_CUSTOMER_ID:
      enr_service_task_set_customer_id (self, g_value_get_string (value));
      break;

    case SERVICE_TASK_PROP_METERED_SERVICE_ID:
      enr_service_task_set_metered_service_id (self, g_value_get_string (value));
      break;

    case SERVICE_TASK_PROP_SERVICE_POINT_ID:
      enr_service_task_set_service_point_id (self, g_value_get_string (value));
      break;

    case SERVICE_TASK_PROP_DEVICE_LOCATION_ID:
      enr_service_task_set_device_location_id (self, g_value_get_string (value));
      break;

    case SERVICE_TASK_PROP_SUBSCRIPTION_ID:
      enr_service_task_set_subscription_id (self, g_value_get_string (value));
      break;

    case SERVICE_TASK_PROP_START_DATE:
      enr_service_task_set_start_date (self, g_value_get_boxed (value));
      break;

    case SERVICE_TASK_PROP_STOP_DATE:
      enr_service_task_set_stop_date (self, g_value_get_boxed (value));
      break;

    case SERVICE_TASK_PROP_ANSWERS:
      enr_service_task_set_answers (self, g_value_get_boxed (value));
      break;

    case SERVICE_TASK_PROP_INSTALLATION_METHOD:
      enr_service_task_set_installation_method (self, g_value_get_enum (value));
      break;

    case SERVICE_TASK_PROP_REMOVAL_METHOD:
      enr_service_task_set_removal_method (self, g_value_get_enum (value));
      break;

    case SERVICE_TASK_PROP_OWNERSHIP:
      enr_service_task_set_ownership (self, g_value_get_enum (value));
      break;

    case SERVICE_TASK_PROP_DEVICE_IDS:
      enr_service_task_set_device_ids (self, g_value_get_boxed (value));
      break;

    case SERVICE_TASK_PROP_APPOINTMENTS:
      enr_service_task_set_appointments (self, g_value_get_boxed (value));
      break;

    case SERVICE_TASK_PROP_INTERACTIONS:
      enr_service_task_set_interactions (self, g_value_get_boxed (value));
      break;

    case SERVICE_TASK_PROP_REASONS:
      enr_service_task_set_reasons (self, g_value_get_boxed (value));
      break;

    case SERVICE_TASK_PROP_HISTORY:
      enr_service_task_set_history (self, g_value_get_boxed (value));
      break;

    case SERVICE_TASK_PROP_VERSION:
      enr_service_task_set_version (self, g_value_get_int64 (value));
      break;

    case SERVICE_TASK_PROP_CREATED_BY:
      enr_service_task_set_created_by (self, g_value_get_string (value));
      break;

    case SERVICE_TASK_PROP_CREATED_AT:
      enr_service_task_set_created_at (self, g_value_get_boxed (value));
      break;

    case SERVICE_TASK_PROP_UPDATED_AT:
      enr_service_task_set_updated_at (self, g_value_get_boxed (value));
      break;

    case SERVICE_TASK_PROP_CONSENT:
      enr_service_task_set_consent (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_service_task_class_init (EnrServiceTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_service_task_finalize;
  object_class->get_property = enr_service_task_get_property;
  object_class->set_property = enr_service_task_set_property;

  service_task_properties[SERVICE_TASK_PROP_KIND] =
    enr_param_spec_required (g_param_spec_enum ("kind", NULL, NULL,
                                                ENR_TYPE_TASK_KIND,
                                                ENR_TASK_KIND_ENROLLMENT,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  service_task_properties[SERVICE_TASK_PROP_STATUS] =
    enr_param_spec_required (g_param_spec_enum ("status", NULL, NULL,
                                                ENR_TYPE_TASK_STATUS,
                                                ENR_TASK_STATUS_PENDING,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  service_task_properties[SERVICE_TASK_PROP_PROGRAM_ID] =
    enr_param_spec_required (g_param_spec_string ("program-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  service_task_properties[SERVICE_TASK_PROP_CUSTOMER_ID] =
    enr_param_spec_required (g_param_spec_string ("customer-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  service_task_properties[SERVICE_TASK_PROP_METERED_SERVICE_ID] =
    g_param_spec_string ("metered-service-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_SERVICE_POINT_ID] =
    g_param_spec_string ("service-point-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_DEVICE_LOCATION_ID] =
    g_param_spec_string ("device-location-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_SUBSCRIPTION_ID] =
    g_param_spec_string ("subscription-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_START_DATE] =
    g_param_spec_boxed ("start-date", NULL, NULL,
                        G_TYPE_DATE,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_STOP_DATE] =
    g_param_spec_boxed ("stop-date", NULL, NULL,
                        G_TYPE_DATE,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_ANSWERS] =
    enr_param_spec_array_of (g_param_spec_boxed ("answers", NULL, NULL,
                                                 G_TYPE_PTR_ARRAY,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)),
                             ENR_TYPE_ANSWER);

  service_task_properties[SERVICE_TASK_PROP_INSTALLATION_METHOD] =
    g_param_spec_enum ("installation-method", NULL, NULL,
                       ENR_TYPE_INSTALLATION_METHOD,
                       ENR_INSTALLATION_METHOD_NONE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_REMOVAL_METHOD] =
    g_param_spec_enum ("removal-method", NULL, NULL,
                       ENR_TYPE_REMOVAL_METHOD,
                       ENR_REMOVAL_METHOD_NONE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_OWNERSHIP] =
    g_param_spec_enum ("ownership", NULL, NULL,
                       ENR_TYPE_ASSET_OWNERSHIP,
                       ENR_ASSET_OWNERSHIP_NONE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_DEVICE_IDS] =
    g_param_spec_boxed ("device-ids", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_APPOINTMENTS] =
    enr_param_spec_array_of (g_param_spec_boxed ("appointments", NULL, NULL,
                                                 G_TYPE_PTR_ARRAY,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)),
                             ENR_TYPE_APPOINTMENT);

  service_task_properties[SERVICE_TASK_PROP_INTERACTIONS] =
    enr_param_spec_array_of (g_param_spec_boxed ("interactions", NULL, NULL,
                                                 G_TYPE_PTR_ARRAY,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)),
                             ENR_TYPE_INTERACTION);

  service_task_properties[SERVICE_TASK_PROP_REASONS] =
    g_param_spec_boxed ("reasons", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_HISTORY] =
    enr_param_spec_array_of (g_param_spec_boxed ("history", NULL, NULL,
                                                 G_TYPE_PTR_ARRAY,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)),
                             ENR_TYPE_TASK_TRANSITION);

  service_task_properties[SERVICE_TASK_PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_CREATED_BY] =
    g_param_spec_string ("created-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  service_task_properties[SERVICE_TASK_PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  /* The customer's consent to the program's terms (enrollments). */
  service_task_properties[SERVICE_TASK_PROP_CONSENT] =
    g_param_spec_object ("consent", NULL, NULL,
                         ENR_TYPE_CONSENT,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, SERVICE_TASK_N_PROPS, service_task_properties);
}

static void
enr_service_task_init (EnrServiceTask *self)
{
  self->answers = g_ptr_array_new_with_free_func (g_object_unref);
  self->appointments = g_ptr_array_new_with_free_func (g_object_unref);
  self->interactions = g_ptr_array_new_with_free_func (g_object_unref);
  self->history = g_ptr_array_new_with_free_func (g_object_unref);
}

EnrServiceTask *
enr_service_task_new (void)
{
  return g_object_new (ENR_TYPE_SERVICE_TASK, NULL);
}

EnrTaskKind
enr_service_task_get_kind (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), ENR_TASK_KIND_ENROLLMENT);

  return self->kind;
}

void
enr_service_task_set_kind (EnrServiceTask *self,
                           EnrTaskKind     kind)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_KIND]);
}

EnrTaskStatus
enr_service_task_get_status (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), ENR_TASK_STATUS_PENDING);

  return self->status;
}

void
enr_service_task_set_status (EnrServiceTask *self,
                             EnrTaskStatus   status)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_STATUS]);
}

const char *
enr_service_task_get_program_id (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->program_id;
}

void
enr_service_task_set_program_id (EnrServiceTask *self,
                                 const char     *program_id)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_string (&self->program_id, program_id))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_PROGRAM_ID]);
}

const char *
enr_service_task_get_customer_id (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->customer_id;
}

void
enr_service_task_set_customer_id (EnrServiceTask *self,
                                  const char     *customer_id)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_string (&self->customer_id, customer_id))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_CUSTOMER_ID]);
}

const char *
enr_service_task_get_metered_service_id (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->metered_service_id;
}

void
enr_service_task_set_metered_service_id (EnrServiceTask *self,
                                         const char     *metered_service_id)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_string (&self->metered_service_id, metered_service_id))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_METERED_SERVICE_ID]);
}

const char *
enr_service_task_get_service_point_id (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->service_point_id;
}

void
enr_service_task_set_service_point_id (EnrServiceTask *self,
                                       const char     *service_point_id)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_string (&self->service_point_id, service_point_id))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_SERVICE_POINT_ID]);
}

const char *
enr_service_task_get_device_location_id (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->device_location_id;
}

void
enr_service_task_set_device_location_id (EnrServiceTask *self,
                                         const char     *device_location_id)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_string (&self->device_location_id, device_location_id))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_DEVICE_LOCATION_ID]);
}

const char *
enr_service_task_get_subscription_id (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->subscription_id;
}

void
enr_service_task_set_subscription_id (EnrServiceTask *self,
                                      const char     *subscription_id)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_string (&self->subscription_id, subscription_id))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_SUBSCRIPTION_ID]);
}

const GDate *
enr_service_task_get_start_date (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->start_date;
}

void
enr_service_task_set_start_date (EnrServiceTask *self,
                                 const GDate    *start_date)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));
  g_return_if_fail (start_date == NULL || g_date_valid (start_date));

  if (enr_set_date (&self->start_date, start_date))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_START_DATE]);
}

const GDate *
enr_service_task_get_stop_date (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->stop_date;
}

void
enr_service_task_set_stop_date (EnrServiceTask *self,
                                const GDate    *stop_date)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));
  g_return_if_fail (stop_date == NULL || g_date_valid (stop_date));

  if (enr_set_date (&self->stop_date, stop_date))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_STOP_DATE]);
}

GPtrArray *
enr_service_task_get_answers (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->answers;
}

void
enr_service_task_set_answers (EnrServiceTask *self,
                              GPtrArray      *answers)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_array (&self->answers, answers))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_ANSWERS]);
}

void
enr_service_task_add_answer (EnrServiceTask *self,
                             EnrAnswer      *answer)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));
  g_return_if_fail (ENR_IS_ANSWER (answer));

  g_ptr_array_add (self->answers, g_object_ref (answer));
  g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_ANSWERS]);
}

EnrInstallationMethod
enr_service_task_get_installation_method (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), ENR_INSTALLATION_METHOD_NONE);

  return self->installation_method;
}

void
enr_service_task_set_installation_method (EnrServiceTask       *self,
                                          EnrInstallationMethod installation_method)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (self->installation_method == installation_method)
    return;

  self->installation_method = installation_method;
  g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_INSTALLATION_METHOD]);
}

EnrRemovalMethod
enr_service_task_get_removal_method (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), ENR_REMOVAL_METHOD_NONE);

  return self->removal_method;
}

void
enr_service_task_set_removal_method (EnrServiceTask  *self,
                                     EnrRemovalMethod removal_method)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (self->removal_method == removal_method)
    return;

  self->removal_method = removal_method;
  g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_REMOVAL_METHOD]);
}

EnrAssetOwnership
enr_service_task_get_ownership (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), ENR_ASSET_OWNERSHIP_NONE);

  return self->ownership;
}

void
enr_service_task_set_ownership (EnrServiceTask   *self,
                                EnrAssetOwnership ownership)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (self->ownership == ownership)
    return;

  self->ownership = ownership;
  g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_OWNERSHIP]);
}

const char * const *
enr_service_task_get_device_ids (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return (const char * const *) self->device_ids;
}

void
enr_service_task_set_device_ids (EnrServiceTask     *self,
                                 const char * const *device_ids)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_strv (&self->device_ids, device_ids))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_DEVICE_IDS]);
}

GPtrArray *
enr_service_task_get_appointments (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->appointments;
}

void
enr_service_task_set_appointments (EnrServiceTask *self,
                                   GPtrArray      *appointments)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_array (&self->appointments, appointments))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_APPOINTMENTS]);
}

void
enr_service_task_add_appointment (EnrServiceTask *self,
                                  EnrAppointment *appointment)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));
  g_return_if_fail (ENR_IS_APPOINTMENT (appointment));

  g_ptr_array_add (self->appointments, g_object_ref (appointment));
  g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_APPOINTMENTS]);
}

GPtrArray *
enr_service_task_get_interactions (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->interactions;
}

void
enr_service_task_set_interactions (EnrServiceTask *self,
                                   GPtrArray      *interactions)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_array (&self->interactions, interactions))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_INTERACTIONS]);
}

void
enr_service_task_add_interaction (EnrServiceTask *self,
                                  EnrInteraction *interaction)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));
  g_return_if_fail (ENR_IS_INTERACTION (interaction));

  g_ptr_array_add (self->interactions, g_object_ref (interaction));
  g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_INTERACTIONS]);
}

const char * const *
enr_service_task_get_reasons (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return (const char * const *) self->reasons;
}

void
enr_service_task_set_reasons (EnrServiceTask     *self,
                              const char * const *reasons)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_strv (&self->reasons, reasons))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_REASONS]);
}

GPtrArray *
enr_service_task_get_history (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->history;
}

void
enr_service_task_set_history (EnrServiceTask *self,
                              GPtrArray      *history)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_array (&self->history, history))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_HISTORY]);
}

void
enr_service_task_add_transition (EnrServiceTask    *self,
                                 EnrTaskTransition *transition)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));
  g_return_if_fail (ENR_IS_TASK_TRANSITION (transition));

  g_ptr_array_add (self->history, g_object_ref (transition));
  g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_HISTORY]);
}

gint64
enr_service_task_get_version (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), 0);

  return self->version;
}

void
enr_service_task_set_version (EnrServiceTask *self,
                              gint64          version)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));
  g_return_if_fail (version >= 0);

  if (self->version == version)
    return;

  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_VERSION]);
}

const char *
enr_service_task_get_created_by (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->created_by;
}

void
enr_service_task_set_created_by (EnrServiceTask *self,
                                 const char     *created_by)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_string (&self->created_by, created_by))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_CREATED_BY]);
}

GDateTime *
enr_service_task_get_created_at (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->created_at;
}

void
enr_service_task_set_created_at (EnrServiceTask *self,
                                 GDateTime      *created_at)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_date_time (&self->created_at, created_at))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_CREATED_AT]);
}

GDateTime *
enr_service_task_get_updated_at (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->updated_at;
}

void
enr_service_task_set_updated_at (EnrServiceTask *self,
                                 GDateTime      *updated_at)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));

  if (enr_set_date_time (&self->updated_at, updated_at))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_UPDATED_AT]);
}

EnrAnswer *
enr_service_task_find_answer (EnrServiceTask *self,
                              const char     *question_id)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);
  g_return_val_if_fail (question_id != NULL, NULL);

  for (guint i = 0; i < self->answers->len; i++)
    {
      EnrAnswer *answer = g_ptr_array_index (self->answers, i);

      if (g_strcmp0 (enr_answer_get_question_id (answer), question_id) == 0)
        return answer;
    }

  return NULL;
}

EnrInteraction *
enr_service_task_get_interaction (EnrServiceTask *self,
                                  EnrPanel        panel)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  for (guint i = 0; i < self->interactions->len; i++)
    {
      EnrInteraction *interaction = g_ptr_array_index (self->interactions, i);

      if (enr_interaction_get_panel (interaction) == panel)
        return interaction;
    }

  return NULL;
}

EnrServiceTask *
enr_service_task_copy (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return ENR_SERVICE_TASK (copy_object (G_OBJECT (self)));
}

/**
 * enr_service_task_get_consent:
 *
 * Returns: (transfer none) (nullable): the consent on record
 */
EnrConsent *
enr_service_task_get_consent (EnrServiceTask *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (self), NULL);

  return self->consent;
}

/**
 * enr_service_task_set_consent:
 * @consent: (nullable): kept (not copied)
 */
void
enr_service_task_set_consent (EnrServiceTask *self,
                              EnrConsent     *consent)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK (self));
  g_return_if_fail (consent == NULL || ENR_IS_CONSENT (consent));

  if (g_set_object (&self->consent, consent))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_properties[SERVICE_TASK_PROP_CONSENT]);
}

/* enr-service-task-type.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-service-task-type.h"

struct _EnrDeviceSetupRule
{
  GObject parent_instance;

  EnrInstallationMethod installation_method;
  EnrRemovalMethod      removal_method;
  EnrAssetOwnership     ownership;
  char                **activity_type_ids;
};

struct _EnrServiceTaskType
{
  EnrEntity parent_instance;

  char       *code;
  char       *name;
  EnrTaskKind kind;
  int         expiration_days;
  GPtrArray  *rules;
};

G_DEFINE_FINAL_TYPE (EnrDeviceSetupRule, enr_device_setup_rule, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (EnrServiceTaskType, enr_service_task_type, ENR_TYPE_ENTITY)

enum {
  DEVICE_SETUP_RULE_PROP_0,
  DEVICE_SETUP_RULE_PROP_INSTALLATION_METHOD,
  DEVICE_SETUP_RULE_PROP_REMOVAL_METHOD,
  DEVICE_SETUP_RULE_PROP_OWNERSHIP,
  DEVICE_SETUP_RULE_PROP_ACTIVITY_TYPE_IDS,
  DEVICE_SETUP_RULE_N_PROPS
};

static GParamSpec *device_setup_rule_properties[DEVICE_SETUP_RULE_N_PROPS];

enum {
  SERVICE_TASK_TYPE_PROP_0,
  SERVICE_TASK_TYPE_PROP_CODE,
  SERVICE_TASK_TYPE_PROP_NAME,
  SERVICE_TASK_TYPE_PROP_KIND,
  SERVICE_TASK_TYPE_PROP_EXPIRATION_DAYS,
  SERVICE_TASK_TYPE_PROP_RULES,
  SERVICE_TASK_TYPE_N_PROPS
};

static GParamSpec *service_task_type_properties[SERVICE_TASK_TYPE_N_PROPS];

static void
enr_device_setup_rule_finalize (GObject *object)
{
  EnrDeviceSetupRule *self = ENR_DEVICE_SETUP_RULE (object);

  g_clear_pointer (&self->activity_type_ids, g_strfreev);

  G_OBJECT_CLASS (enr_device_setup_rule_parent_class)->finalize (object);
}

static void
enr_device_setup_rule_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EnrDeviceSetupRule *self = ENR_DEVICE_SETUP_RULE (object);

  switch (prop_id)
    {
    case DEVICE_SETUP_RULE_PROP_INSTALLATION_METHOD:
      g_value_set_enum (value, self->installation_method);
      break;

    case DEVICE_SETUP_RULE_PROP_REMOVAL_METHOD:
      g_value_set_enum (value, self->removal_method);
      break;

    case DEVICE_SETUP_RULE_PROP_OWNERSHIP:
      g_value_set_enum (value, self->ownership);
      break;

    case DEVICE_SETUP_RULE_PROP_ACTIVITY_TYPE_IDS:
      g_value_set_boxed (value, self->activity_type_ids);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_device_setup_rule_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  EnrDeviceSetupRule *self = ENR_DEVICE_SETUP_RULE (object);

  switch (prop_id)
    {
    case DEVICE_SETUP_RULE_PROP_INSTALLATION_METHOD:
      enr_device_setup_rule_set_installation_method (self, g_value_get_enum (value));
      break;

    case DEVICE_SETUP_RULE_PROP_REMOVAL_METHOD:
      enr_device_setup_rule_set_removal_method (self, g_value_get_enum (value));
      break;

    case DEVICE_SETUP_RULE_PROP_OWNERSHIP:
      enr_device_setup_rule_set_ownership (self, g_value_get_enum (value));
      break;

    case DEVICE_SETUP_RULE_PROP_ACTIVITY_TYPE_IDS:
      enr_device_setup_rule_set_activity_type_ids (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_device_setup_rule_class_init (EnrDeviceSetupRuleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_device_setup_rule_finalize;
  object_class->get_property = enr_device_setup_rule_get_property;
  object_class->set_property = enr_device_setup_rule_set_property;

  device_setup_rule_properties[DEVICE_SETUP_RULE_PROP_INSTALLATION_METHOD] =
    g_param_spec_enum ("installation-method", NULL, NULL,
                       ENR_TYPE_INSTALLATION_METHOD,
                       ENR_INSTALLATION_METHOD_NONE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  device_setup_rule_properties[DEVICE_SETUP_RULE_PROP_REMOVAL_METHOD] =
    g_param_spec_enum ("removal-method", NULL, NULL,
                       ENR_TYPE_REMOVAL_METHOD,
                       ENR_REMOVAL_METHOD_NONE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  device_setup_rule_properties[DEVICE_SETUP_RULE_PROP_OWNERSHIP] =
    g_param_spec_enum ("ownership", NULL, NULL,
                       ENR_TYPE_ASSET_OWNERSHIP,
                       ENR_ASSET_OWNERSHIP_NONE,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  device_setup_rule_properties[DEVICE_SETUP_RULE_PROP_ACTIVITY_TYPE_IDS] =
    g_param_spec_boxed ("activity-type-ids", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, DEVICE_SETUP_RULE_N_PROPS, device_setup_rule_properties);
}

static void
enr_device_setup_rule_init (EnrDeviceSetupRule *self)
{
}

EnrDeviceSetupRule *
enr_device_setup_rule_new (void)
{
  return g_object_new (ENR_TYPE_DEVICE_SETUP_RULE, NULL);
}

EnrInstallationMethod
enr_device_setup_rule_get_installation_method (EnrDeviceSetupRule *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE_SETUP_RULE (self), ENR_INSTALLATION_METHOD_NONE);

  return self->installation_method;
}

void
enr_device_setup_rule_set_installation_method (EnrDeviceSetupRule   *self,
                                               EnrInstallationMethod installation_method)
{
  g_return_if_fail (ENR_IS_DEVICE_SETUP_RULE (self));

  if (self->installation_method == installation_method)
    return;

  self->installation_method = installation_method;
  g_object_notify_by_pspec (G_OBJECT (self), device_setup_rule_properties[DEVICE_SETUP_RULE_PROP_INSTALLATION_METHOD]);
}

EnrRemovalMethod
enr_device_setup_rule_get_removal_method (EnrDeviceSetupRule *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE_SETUP_RULE (self), ENR_REMOVAL_METHOD_NONE);

  return self->removal_method;
}

void
enr_device_setup_rule_set_removal_method (EnrDeviceSetupRule *self,
                                          EnrRemovalMethod    removal_method)
{
  g_return_if_fail (ENR_IS_DEVICE_SETUP_RULE (self));

  if (self->removal_method == removal_method)
    return;

  self->removal_method = removal_method;
  g_object_notify_by_pspec (G_OBJECT (self), device_setup_rule_properties[DEVICE_SETUP_RULE_PROP_REMOVAL_METHOD]);
}

EnrAssetOwnership
enr_device_setup_rule_get_ownership (EnrDeviceSetupRule *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE_SETUP_RULE (self), ENR_ASSET_OWNERSHIP_NONE);

  return self->ownership;
}

void
enr_device_setup_rule_set_ownership (EnrDeviceSetupRule *self,
                                     EnrAssetOwnership   ownership)
{
  g_return_if_fail (ENR_IS_DEVICE_SETUP_RULE (self));

  if (self->ownership == ownership)
    return;

  self->ownership = ownership;
  g_object_notify_by_pspec (G_OBJECT (self), device_setup_rule_properties[DEVICE_SETUP_RULE_PROP_OWNERSHIP]);
}

const char * const *
enr_device_setup_rule_get_activity_type_ids (EnrDeviceSetupRule *self)
{
  g_return_val_if_fail (ENR_IS_DEVICE_SETUP_RULE (self), NULL);

  return (const char * const *) self->activity_type_ids;
}

void
enr_device_setup_rule_set_activity_type_ids (EnrDeviceSetupRule *self,
                                             const char * const *activity_type_ids)
{
  g_return_if_fail (ENR_IS_DEVICE_SETUP_RULE (self));

  if (enr_set_strv (&self->activity_type_ids, activity_type_ids))
    g_object_notify_by_pspec (G_OBJECT (self), device_setup_rule_properties[DEVICE_SETUP_RULE_PROP_ACTIVITY_TYPE_IDS]);
}

static void
enr_service_task_type_finalize (GObject *object)
{
  EnrServiceTaskType *self = ENR_SERVICE_TASK_TYPE (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->rules, g_ptr_array_unref);

  G_OBJECT_CLASS (enr_service_task_type_parent_class)->finalize (object);
}

static void
enr_service_task_type_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EnrServiceTaskType *self = ENR_SERVICE_TASK_TYPE (object);

  switch (prop_id)
    {
    case SERVICE_TASK_TYPE_PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case SERVICE_TASK_TYPE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case SERVICE_TASK_TYPE_PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case SERVICE_TASK_TYPE_PROP_EXPIRATION_DAYS:
      g_value_set_int (value, self->expiration_days);
      break;

    case SERVICE_TASK_TYPE_PROP_RULES:
      g_value_set_boxed (value, self->rules);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_service_task_type_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  EnrServiceTaskType *self = ENR_SERVICE_TASK_TYPE (object);

  switch (prop_id)
    {
    case SERVICE_TASK_TYPE_PROP_CODE:
      enr_service_task_type_set_code (self, g_value_get_string (value));
      break;

    case SERVICE_TASK_TYPE_PROP_NAME:
      enr_service_task_type_set_name (self, g_value_get_string (value));
      break;

    case SERVICE_TASK_TYPE_PROP_KIND:
      enr_service_task_type_set_kind (self, g_value_get_enum (value));
      break;

    case SERVICE_TASK_TYPE_PROP_EXPIRATION_DAYS:
      enr_service_task_type_set_expiration_days (self, g_value_get_int (value));
      break;

    case SERVICE_TASK_TYPE_PROP_RULES:
      enr_service_task_type_set_rules (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_service_task_type_class_init (EnrServiceTaskTypeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_service_task_type_finalize;
  object_class->get_property = enr_service_task_type_get_property;
  object_class->set_property = enr_service_task_type_set_property;

  service_task_type_properties[SERVICE_TASK_TYPE_PROP_CODE] =
    enr_param_spec_required (g_param_spec_string ("code", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  service_task_type_properties[SERVICE_TASK_TYPE_PROP_NAME] =
    enr_param_spec_required (g_param_spec_string ("name", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  service_task_type_properties[SERVICE_TASK_TYPE_PROP_KIND] =
    enr_param_spec_required (g_param_spec_enum ("kind", NULL, NULL,
                                                ENR_TYPE_TASK_KIND,
                                                ENR_TASK_KIND_ENROLLMENT,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  service_task_type_properties[SERVICE_TASK_TYPE_PROP_EXPIRATION_DAYS] =
    g_param_spec_int ("expiration-days", NULL, NULL,
                      0, 3650, 0,
                      (G_PARAM_READWRITE |
                       G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS));

  service_task_type_properties[SERVICE_TASK_TYPE_PROP_RULES] =
    enr_param_spec_array_of (g_param_spec_boxed ("rules", NULL, NULL,
                                                 G_TYPE_PTR_ARRAY,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)),
                             ENR_TYPE_DEVICE_SETUP_RULE);

  g_object_class_install_properties (object_class, SERVICE_TASK_TYPE_N_PROPS, service_task_type_properties);
}

static void
enr_service_task_type_init (EnrServiceTaskType *self)
{
  self->rules = g_ptr_array_new_with_free_func (g_object_unref);
}

EnrServiceTaskType *
enr_service_task_type_new (void)
{
  return g_object_new (ENR_TYPE_SERVICE_TASK_TYPE, NULL);
}

const char *
enr_service_task_type_get_code (EnrServiceTaskType *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK_TYPE (self), NULL);

  return self->code;
}

void
enr_service_task_type_set_code (EnrServiceTaskType *self,
                                const char         *code)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK_TYPE (self));

  if (enr_set_string (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_type_properties[SERVICE_TASK_TYPE_PROP_CODE]);
}

const char *
enr_service_task_type_get_name (EnrServiceTaskType *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK_TYPE (self), NULL);

  return self->name;
}

void
enr_service_task_type_set_name (EnrServiceTaskType *self,
                                const char         *name)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK_TYPE (self));

  if (enr_set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_type_properties[SERVICE_TASK_TYPE_PROP_NAME]);
}

EnrTaskKind
enr_service_task_type_get_kind (EnrServiceTaskType *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK_TYPE (self), ENR_TASK_KIND_ENROLLMENT);

  return self->kind;
}

void
enr_service_task_type_set_kind (EnrServiceTaskType *self,
                                EnrTaskKind         kind)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK_TYPE (self));

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), service_task_type_properties[SERVICE_TASK_TYPE_PROP_KIND]);
}

int
enr_service_task_type_get_expiration_days (EnrServiceTaskType *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK_TYPE (self), 0);

  return self->expiration_days;
}

void
enr_service_task_type_set_expiration_days (EnrServiceTaskType *self,
                                           int                 expiration_days)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK_TYPE (self));
  g_return_if_fail (expiration_days >= 0 && expiration_days <= 3650);

  if (self->expiration_days == expiration_days)
    return;

  self->expiration_days = expiration_days;
  g_object_notify_by_pspec (G_OBJECT (self), service_task_type_properties[SERVICE_TASK_TYPE_PROP_EXPIRATION_DAYS]);
}

GPtrArray *
enr_service_task_type_get_rules (EnrServiceTaskType *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_TASK_TYPE (self), NULL);

  return self->rules;
}

void
enr_service_task_type_set_rules (EnrServiceTaskType *self,
                                 GPtrArray          *rules)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK_TYPE (self));

  if (enr_set_array (&self->rules, rules))
    g_object_notify_by_pspec (G_OBJECT (self), service_task_type_properties[SERVICE_TASK_TYPE_PROP_RULES]);
}

void
enr_service_task_type_add_rule (EnrServiceTaskType *self,
                                EnrDeviceSetupRule *rule)
{
  g_return_if_fail (ENR_IS_SERVICE_TASK_TYPE (self));
  g_return_if_fail (ENR_IS_DEVICE_SETUP_RULE (rule));

  g_ptr_array_add (self->rules, g_object_ref (rule));
  g_object_notify_by_pspec (G_OBJECT (self), service_task_type_properties[SERVICE_TASK_TYPE_PROP_RULES]);
}

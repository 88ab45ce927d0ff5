/* enr-program-type.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-program-type.h"

struct _EnrProgramType
{
  EnrEntity parent_instance;

  char              *code;
  char              *name;
  EnrProgramCategory category;
  gboolean           device_required;
  gboolean           location_required;
  gboolean           consent_required;
};

G_DEFINE_FINAL_TYPE (EnrProgramType, enr_program_type, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_CATEGORY,
  PROP_DEVICE_REQUIRED,
  PROP_LOCATION_REQUIRED,
  PROP_CONSENT_REQUIRED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_program_type_finalize (GObject *object)
{
  EnrProgramType *self = ENR_PROGRAM_TYPE (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (enr_program_type_parent_class)->finalize (object);
}

static void
enr_program_type_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EnrProgramType *self = ENR_PROGRAM_TYPE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_CATEGORY:
      g_value_set_enum (value, self->category);
      break;

    case PROP_DEVICE_REQUIRED:
      g_value_set_boolean (value, self->device_required);
      break;

    case PROP_LOCATION_REQUIRED:
      g_value_set_boolean (value, self->location_required);
      break;

    case PROP_CONSENT_REQUIRED:
      g_value_set_boolean (value, self->consent_required);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_program_type_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EnrProgramType *self = ENR_PROGRAM_TYPE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      enr_program_type_set_code (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      enr_program_type_set_name (self, g_value_get_string (value));
      break;

    case PROP_CATEGORY:
      enr_program_type_set_category (self, g_value_get_enum (value));
      break;

    case PROP_DEVICE_REQUIRED:
      enr_program_type_set_device_required (self, g_value_get_boolean (value));
      break;

    case PROP_LOCATION_REQUIRED:
      enr_program_type_set_location_required (self, g_value_get_boolean (value));
      break;

    case PROP_CONSENT_REQUIRED:
      enr_program_type_set_consent_required (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_program_type_class_init (EnrProgramTypeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_program_type_finalize;
  object_class->get_property = enr_program_type_get_property;
  object_class->set_property = enr_program_type_set_property;

  properties[PROP_CODE] =
    enr_param_spec_required (g_param_spec_string ("code", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_NAME] =
    enr_param_spec_required (g_param_spec_string ("name", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_CATEGORY] =
    enr_param_spec_required (g_param_spec_enum ("category", NULL, NULL,
                                                ENR_TYPE_PROGRAM_CATEGORY,
                                                ENR_PROGRAM_CATEGORY_CONTROL_GROUP,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_DEVICE_REQUIRED] =
    g_param_spec_boolean ("device-required", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_LOCATION_REQUIRED] =
    g_param_spec_boolean ("location-required", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /* An enrollment in a program of this type needs the customer's consent
   * on record (EnrServiceTask:consent) before it is finished. */
  properties[PROP_CONSENT_REQUIRED] =
    g_param_spec_boolean ("consent-required", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_program_type_init (EnrProgramType *self)
{
}

EnrProgramType *
enr_program_type_new (void)
{
  return g_object_new (ENR_TYPE_PROGRAM_TYPE, NULL);
}

const char *
enr_program_type_get_code (EnrProgramType *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_TYPE (self), NULL);

  return self->code;
}

void
enr_program_type_set_code (EnrProgramType *self,
                           const char     *code)
{
  g_return_if_fail (ENR_IS_PROGRAM_TYPE (self));

  if (enr_set_string (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

const char *
enr_program_type_get_name (EnrProgramType *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_TYPE (self), NULL);

  return self->name;
}

void
enr_program_type_set_name (EnrProgramType *self,
                           const char     *name)
{
  g_return_if_fail (ENR_IS_PROGRAM_TYPE (self));

  if (enr_set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

EnrProgramCategory
enr_program_type_get_category (EnrProgramType *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_TYPE (self), ENR_PROGRAM_CATEGORY_CONTROL_GROUP);

  return self->category;
}

void
enr_program_type_set_category (EnrProgramType    *self,
                               EnrProgramCategory category)
{
  g_return_if_fail (ENR_IS_PROGRAM_TYPE (self));

  if (self->category == category)
    return;

  self->category = category;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
}

gboolean
enr_program_type_get_device_required (EnrProgramType *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_TYPE (self), FALSE);

  return self->device_required;
}

void
enr_program_type_set_device_required (EnrProgramType *self,
                                      gboolean        device_required)
{
  g_return_if_fail (ENR_IS_PROGRAM_TYPE (self));

  device_required = !!device_required;

  if (self->device_required == device_required)
    return;

  self->device_required = device_required;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_REQUIRED]);
}

gboolean
enr_program_type_get_location_required (EnrProgramType *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_TYPE (self), FALSE);

  return self->location_required;
}

void
enr_program_type_set_location_required (EnrProgramType *self,
                                        gboolean        location_required)
{
  g_return_if_fail (ENR_IS_PROGRAM_TYPE (self));

  location_required = !!location_required;

  if (self->location_required == location_required)
    return;

  self->location_required = location_required;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION_REQUIRED]);
}

gboolean
enr_program_type_get_consent_required (EnrProgramType *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_TYPE (self), FALSE);

  return self->consent_required;
}

void
enr_program_type_set_consent_required (EnrProgramType *self,
                                       gboolean        consent_required)
{
  g_return_if_fail (ENR_IS_PROGRAM_TYPE (self));

  consent_required = !!consent_required;

  if (self->consent_required == consent_required)
    return;

  self->consent_required = consent_required;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONSENT_REQUIRED]);
}

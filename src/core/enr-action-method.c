/* enr-action-method.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-action-method.h"
#include "enr-codec.h"
#include "enr-core-private.h"

struct _EnrActionMethod
{
  EnrEntity parent_instance;

  char    *code;
  gboolean enable_byod;
  int      appointment_slot_days;
};

G_DEFINE_FINAL_TYPE (EnrActionMethod, enr_action_method, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_CODE,
  PROP_ENABLE_BYOD,
  PROP_APPOINTMENT_SLOT_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_action_method_finalize (GObject *object)
{
  EnrActionMethod *self = ENR_ACTION_METHOD (object);

  g_clear_pointer (&self->code, g_free);

  G_OBJECT_CLASS (enr_action_method_parent_class)->finalize (object);
}

static void
enr_action_method_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EnrActionMethod *self = ENR_ACTION_METHOD (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_ENABLE_BYOD:
      g_value_set_boolean (value, self->enable_byod);
      break;

    case PROP_APPOINTMENT_SLOT_DAYS:
      g_value_set_int (value, self->appointment_slot_days);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_action_method_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EnrActionMethod *self = ENR_ACTION_METHOD (object);

  switch (prop_id)
    {
    case PROP_CODE:
      enr_action_method_set_code (self, g_value_get_string (value));
      break;

    case PROP_ENABLE_BYOD:
      enr_action_method_set_enable_byod (self, g_value_get_boolean (value));
      break;

    case PROP_APPOINTMENT_SLOT_DAYS:
      enr_action_method_set_appointment_slot_days (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_action_method_class_init (EnrActionMethodClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_action_method_finalize;
  object_class->get_property = enr_action_method_get_property;
  object_class->set_property = enr_action_method_set_property;

  properties[PROP_CODE] =
    enr_param_spec_required (g_param_spec_string ("code", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_ENABLE_BYOD] =
    g_param_spec_boolean ("enable-byod", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_APPOINTMENT_SLOT_DAYS] =
    enr_param_spec_required (g_param_spec_int ("appointment-slot-days", NULL, NULL,
                                               1, 60, 1,
                                               (G_PARAM_READWRITE |
                                                G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS)));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_action_method_init (EnrActionMethod *self)
{
  self->appointment_slot_days = 1;
}

EnrActionMethod *
enr_action_method_new (void)
{
  return g_object_new (ENR_TYPE_ACTION_METHOD, NULL);
}

const char *
enr_action_method_get_code (EnrActionMethod *self)
{
  g_return_val_if_fail (ENR_IS_ACTION_METHOD (self), NULL);

  return self->code;
}

void
enr_action_method_set_code (EnrActionMethod *self,
                            const char      *code)
{
  g_return_if_fail (ENR_IS_ACTION_METHOD (self));

  if (enr_set_string (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

gboolean
enr_action_method_get_enable_byod (EnrActionMethod *self)
{
  g_return_val_if_fail (ENR_IS_ACTION_METHOD (self), FALSE);

  return self->enable_byod;
}

void
enr_action_method_set_enable_byod (EnrActionMethod *self,
                                   gboolean         enable_byod)
{
  g_return_if_fail (ENR_IS_ACTION_METHOD (self));

  enable_byod = !!enable_byod;

  if (self->enable_byod == enable_byod)
    return;

  self->enable_byod = enable_byod;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLE_BYOD]);
}

int
enr_action_method_get_appointment_slot_days (EnrActionMethod *self)
{
  g_return_val_if_fail (ENR_IS_ACTION_METHOD (self), 1);

  return self->appointment_slot_days;
}

void
enr_action_method_set_appointment_slot_days (EnrActionMethod *self,
                                             int              appointment_slot_days)
{
  g_return_if_fail (ENR_IS_ACTION_METHOD (self));
  g_return_if_fail (appointment_slot_days >= 1 && appointment_slot_days <= 60);

  if (self->appointment_slot_days == appointment_slot_days)
    return;

  self->appointment_slot_days = appointment_slot_days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPOINTMENT_SLOT_DAYS]);
}

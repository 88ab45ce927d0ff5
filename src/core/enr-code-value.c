/* enr-code-value.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-code-value.h"
#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"

struct _EnrCodeValue
{
  GObject parent_instance;

  EnrCodeList list;
  char       *code;
  char       *label;
};

G_DEFINE_FINAL_TYPE (EnrCodeValue, enr_code_value, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIST,
  PROP_CODE,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_code_value_finalize (GObject *object)
{
  EnrCodeValue *self = ENR_CODE_VALUE (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (enr_code_value_parent_class)->finalize (object);
}

static void
enr_code_value_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EnrCodeValue *self = ENR_CODE_VALUE (object);

  switch (prop_id)
    {
    case PROP_LIST:
      g_value_set_enum (value, self->list);
      break;

    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_code_value_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EnrCodeValue *self = ENR_CODE_VALUE (object);

  switch (prop_id)
    {
    case PROP_LIST:
      enr_code_value_set_list (self, g_value_get_enum (value));
      break;

    case PROP_CODE:
      enr_code_value_set_code (self, g_value_get_string (value));
      break;

    case PROP_LABEL:
      enr_code_value_set_label (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_code_value_class_init (EnrCodeValueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_code_value_finalize;
  object_class->get_property = enr_code_value_get_property;
  object_class->set_property = enr_code_value_set_property;

  properties[PROP_LIST] =
    enr_param_spec_required (g_param_spec_enum ("list", NULL, NULL,
                                                ENR_TYPE_CODE_LIST,
                                                ENR_CODE_LIST_CHANNEL,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_CODE] =
    enr_param_spec_required (g_param_spec_string ("code", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_LABEL] =
    enr_param_spec_required (g_param_spec_string ("label", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_code_value_init (EnrCodeValue *self)
{
}

EnrCodeValue *
enr_code_value_new (void)
{
  return g_object_new (ENR_TYPE_CODE_VALUE, NULL);
}

EnrCodeList
enr_code_value_get_list (EnrCodeValue *self)
{
  g_return_val_if_fail (ENR_IS_CODE_VALUE (self), ENR_CODE_LIST_CHANNEL);

  return self->list;
}

void
enr_code_value_set_list (EnrCodeValue *self,
                         EnrCodeList   list)
{
  g_return_if_fail (ENR_IS_CODE_VALUE (self));

  if (self->list == list)
    return;

  self->list = list;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST]);
}

const char *
enr_code_value_get_code (EnrCodeValue *self)
{
  g_return_val_if_fail (ENR_IS_CODE_VALUE (self), NULL);

  return self->code;
}

void
enr_code_value_set_code (EnrCodeValue *self,
                         const char   *code)
{
  g_return_if_fail (ENR_IS_CODE_VALUE (self));

  if (enr_set_string (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

const char *
enr_code_value_get_label (EnrCodeValue *self)
{
  g_return_val_if_fail (ENR_IS_CODE_VALUE (self), NULL);

  return self->label;
}

void
enr_code_value_set_label (EnrCodeValue *self,
                          const char   *label)
{
  g_return_if_fail (ENR_IS_CODE_VALUE (self));

  if (enr_set_string (&self->label, label))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

/* enr-service-point.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-service-point.h"

struct _EnrServicePoint
{
  EnrEntity parent_instance;

  char       *premise_id;
  char       *address;
  char       *division;
  char       *rate_code;
  gboolean    life_support;
  GHashTable *characteristics;
};

G_DEFINE_FINAL_TYPE (EnrServicePoint, enr_service_point, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_PREMISE_ID,
  PROP_ADDRESS,
  PROP_DIVISION,
  PROP_RATE_CODE,
  PROP_LIFE_SUPPORT,
  PROP_CHARACTERISTICS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_service_point_finalize (GObject *object)
{
  EnrServicePoint *self = ENR_SERVICE_POINT (object);

  g_clear_pointer (&self->premise_id, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->division, g_free);
  g_clear_pointer (&self->rate_code, g_free);
  g_clear_pointer (&self->characteristics, g_hash_table_unref);

  G_OBJECT_CLASS (enr_service_point_parent_class)->finalize (object);
}

static void
enr_service_point_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EnrServicePoint *self = ENR_SERVICE_POINT (object);

  switch (prop_id)
    {
    case PROP_PREMISE_ID:
      g_value_set_string (value, self->premise_id);
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_DIVISION:
      g_value_set_string (value, self->division);
      break;

    case PROP_RATE_CODE:
      g_value_set_string (value, self->rate_code);
      break;

    case PROP_LIFE_SUPPORT:
      g_value_set_boolean (value, self->life_support);
      break;

    case PROP_CHARACTERISTICS:
      g_value_set_boxed (value, self->characteristics);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_service_point_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EnrServicePoint *self = ENR_SERVICE_POINT (object);

  switch (prop_id)
    {
    case PROP_PREMISE_ID:
      enr_service_point_set_premise_id (self, g_value_get_string (value));
      break;

    case PROP_ADDRESS:
      enr_service_point_set_address (self, g_value_get_string (value));
      break;

    case PROP_DIVISION:
      enr_service_point_set_division (self, g_value_get_string (value));
      break;

    case PROP_RATE_CODE:
      enr_service_point_set_rate_code (self, g_value_get_string (value));
      break;

    case PROP_LIFE_SUPPORT:
      enr_service_point_set_life_support (self, g_value_get_boolean (value));
      break;

    case PROP_CHARACTERISTICS:
      enr_service_point_set_characteristics (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_service_point_class_init (EnrServicePointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_service_point_finalize;
  object_class->get_property = enr_service_point_get_property;
  object_class->set_property = enr_service_point_set_property;

  properties[PROP_PREMISE_ID] =
    g_param_spec_string ("premise-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_ADDRESS] =
    enr_param_spec_required (g_param_spec_string ("address", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_DIVISION] =
    enr_param_spec_required (g_param_spec_string ("division", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_RATE_CODE] =
    g_param_spec_string ("rate-code", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_LIFE_SUPPORT] =
    g_param_spec_boolean ("life-support", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_CHARACTERISTICS] =
    g_param_spec_boxed ("characteristics", NULL, NULL,
                        G_TYPE_HASH_TABLE,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_service_point_init (EnrServicePoint *self)
{
}

EnrServicePoint *
enr_service_point_new (void)
{
  return g_object_new (ENR_TYPE_SERVICE_POINT, NULL);
}

const char *
enr_service_point_get_premise_id (EnrServicePoint *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_POINT (self), NULL);

  return self->premise_id;
}

void
enr_service_point_set_premise_id (EnrServicePoint *self,
                                  const char      *premise_id)
{
  g_return_if_fail (ENR_IS_SERVICE_POINT (self));

  if (enr_set_string (&self->premise_id, premise_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREMISE_ID]);
}

const char *
enr_service_point_get_address (EnrServicePoint *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_POINT (self), NULL);

  return self->address;
}

void
enr_service_point_set_address (EnrServicePoint *self,
                               const char      *address)
{
  g_return_if_fail (ENR_IS_SERVICE_POINT (self));

  if (enr_set_string (&self->address, address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
}

const char *
enr_service_point_get_division (EnrServicePoint *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_POINT (self), NULL);

  return self->division;
}

void
enr_service_point_set_division (EnrServicePoint *self,
                                const char      *division)
{
  g_return_if_fail (ENR_IS_SERVICE_POINT (self));

  if (enr_set_string (&self->division, division))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIVISION]);
}

const char *
enr_service_point_get_rate_code (EnrServicePoint *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_POINT (self), NULL);

  return self->rate_code;
}

void
enr_service_point_set_rate_code (EnrServicePoint *self,
                                 const char      *rate_code)
{
  g_return_if_fail (ENR_IS_SERVICE_POINT (self));

  if (enr_set_string (&self->rate_code, rate_code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_CODE]);
}

gboolean
enr_service_point_get_life_support (EnrServicePoint *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_POINT (self), FALSE);

  return self->life_support;
}

void
enr_service_point_set_life_support (EnrServicePoint *self,
                                    gboolean         life_support)
{
  g_return_if_fail (ENR_IS_SERVICE_POINT (self));

  life_support = !!life_support;

  if (self->life_support == life_support)
    return;

  self->life_support = life_support;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIFE_SUPPORT]);
}

GHashTable *
enr_service_point_get_characteristics (EnrServicePoint *self)
{
  g_return_val_if_fail (ENR_IS_SERVICE_POINT (self), NULL);

  return self->characteristics;
}

void
enr_service_point_set_characteristics (EnrServicePoint *self,
                                       GHashTable      *characteristics)
{
  g_return_if_fail (ENR_IS_SERVICE_POINT (self));

  if (self->characteristics == characteristics)
    return;

  g_clear_pointer (&self->characteristics, g_hash_table_unref);
  if (characteristics != NULL)
    self->characteristics = g_hash_table_ref (characteristics);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHARACTERISTICS]);
}

const char *
enr_service_point_get_characteristic (EnrServicePoint *self,
                                      const char      *key)
{
  g_return_val_if_fail (ENR_IS_SERVICE_POINT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (self->characteristics == NULL)
    return NULL;

  return g_hash_table_lookup (self->characteristics, key);
}

/* enr-entity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-entity.h"

typedef struct
{
  char *id;
} EnrEntityPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (EnrEntity, enr_entity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_entity_finalize (GObject *object)
{
  EnrEntity *self = ENR_ENTITY (object);
  EnrEntityPrivate *priv = enr_entity_get_instance_private (self);

  g_clear_pointer (&priv->id, g_free);

  G_OBJECT_CLASS (enr_entity_parent_class)->finalize (object);
}

static void
enr_entity_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EnrEntity *self = ENR_ENTITY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, enr_entity_get_id (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_entity_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  EnrEntity *self = ENR_ENTITY (object);

  switch (prop_id)
    {
    case PROP_ID:
      enr_entity_set_id (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_entity_class_init (EnrEntityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_entity_finalize;
  object_class->get_property = enr_entity_get_property;
  object_class->set_property = enr_entity_set_property;

  properties[PROP_ID] =
    enr_param_spec_required (g_param_spec_string ("id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_entity_init (EnrEntity *self)
{
}

const char *
enr_entity_get_id (EnrEntity *self)
{
  EnrEntityPrivate *priv;

  g_return_val_if_fail (ENR_IS_ENTITY (self), NULL);

  priv = enr_entity_get_instance_private (self);
  return priv->id;
}

void
enr_entity_set_id (EnrEntity  *self,
                   const char *id)
{
  EnrEntityPrivate *priv;

  g_return_if_fail (ENR_IS_ENTITY (self));

  priv = enr_entity_get_instance_private (self);
  if (g_strcmp0 (priv->id, id) == 0)
    return;

  g_free (priv->id);
  priv->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

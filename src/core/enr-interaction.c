/* enr-interaction.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-interaction.h"

struct _EnrInteraction
{
  GObject parent_instance;

  EnrPanel panel;
  char    *channel;
  char    *class_code;
  char    *category;
  char    *notes;
};

G_DEFINE_FINAL_TYPE (EnrInteraction, enr_interaction, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PANEL,
  PROP_CHANNEL,
  PROP_CLASS,
  PROP_CATEGORY,
  PROP_NOTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_interaction_finalize (GObject *object)
{
  EnrInteraction *self = ENR_INTERACTION (object);

  g_clear_pointer (&self->channel, g_free);
  g_clear_pointer (&self->class_code, g_free);
  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->notes, g_free);

  G_OBJECT_CLASS (enr_interaction_parent_class)->finalize (object);
}

static void
enr_interaction_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EnrInteraction *self = ENR_INTERACTION (object);

  switch (prop_id)
    {
    case PROP_PANEL:
      g_value_set_enum (value, self->panel);
      break;

    case PROP_CHANNEL:
      g_value_set_string (value, self->channel);
      break;

    case PROP_CLASS:
      g_value_set_string (value, self->class_code);
      break;

    case PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;

    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_interaction_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EnrInteraction *self = ENR_INTERACTION (object);

  switch (prop_id)
    {
    case PROP_PANEL:
      enr_interaction_set_panel (self, g_value_get_enum (value));
      break;

    case PROP_CHANNEL:
      enr_interaction_set_channel (self, g_value_get_string (value));
      break;

    case PROP_CLASS:
      enr_interaction_set_class (self, g_value_get_string (value));
      break;

    case PROP_CATEGORY:
      enr_interaction_set_category (self, g_value_get_string (value));
      break;

    case PROP_NOTES:
      enr_interaction_set_notes (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_interaction_class_init (EnrInteractionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_interaction_finalize;
  object_class->get_property = enr_interaction_get_property;
  object_class->set_property = enr_interaction_set_property;

  properties[PROP_PANEL] =
    enr_param_spec_required (g_param_spec_enum ("panel", NULL, NULL,
                                                ENR_TYPE_PANEL,
                                                ENR_PANEL_CUSTOMER,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_CHANNEL] =
    g_param_spec_string ("channel", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_CLASS] =
    g_param_spec_string ("class", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_CATEGORY] =
    g_param_spec_string ("category", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_interaction_init (EnrInteraction *self)
{
}

EnrInteraction *
enr_interaction_new (void)
{
  return g_object_new (ENR_TYPE_INTERACTION, NULL);
}

EnrPanel
enr_interaction_get_panel (EnrInteraction *self)
{
  g_return_val_if_fail (ENR_IS_INTERACTION (self), ENR_PANEL_CUSTOMER);

  return self->panel;
}

void
enr_interaction_set_panel (EnrInteraction *self,
                           EnrPanel        panel)
{
  g_return_if_fail (ENR_IS_INTERACTION (self));

  if (self->panel == panel)
    return;

  self->panel = panel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PANEL]);
}

const char *
enr_interaction_get_channel (EnrInteraction *self)
{
  g_return_val_if_fail (ENR_IS_INTERACTION (self), NULL);

  return self->channel;
}

void
enr_interaction_set_channel (EnrInteraction *self,
                             const char     *channel)
{
  g_return_if_fail (ENR_IS_INTERACTION (self));

  if (enr_set_string (&self->channel, channel))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
}

const char *
enr_interaction_get_class (EnrInteraction *self)
{
  g_return_val_if_fail (ENR_IS_INTERACTION (self), NULL);

  return self->class_code;
}

void
enr_interaction_set_class (EnrInteraction *self,
                           const char     *class_code)
{
  g_return_if_fail (ENR_IS_INTERACTION (self));

  if (enr_set_string (&self->class_code, class_code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLASS]);
}

const char *
enr_interaction_get_category (EnrInteraction *self)
{
  g_return_val_if_fail (ENR_IS_INTERACTION (self), NULL);

  return self->category;
}

void
enr_interaction_set_category (EnrInteraction *self,
                              const char     *category)
{
  g_return_if_fail (ENR_IS_INTERACTION (self));

  if (enr_set_string (&self->category, category))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
}

const char *
enr_interaction_get_notes (EnrInteraction *self)
{
  g_return_val_if_fail (ENR_IS_INTERACTION (self), NULL);

  return self->notes;
}

void
enr_interaction_set_notes (EnrInteraction *self,
                           const char     *notes)
{
  g_return_if_fail (ENR_IS_INTERACTION (self));

  if (enr_set_string (&self->notes, notes))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}

static gboolean
is_unset (const char *text)
{
  return text == NULL || text[0] == '\0';
}

gboolean
enr_interaction_is_empty (EnrInteraction *self)
{
  g_return_val_if_fail (ENR_IS_INTERACTION (self), TRUE);

  return (is_unset (self->channel) &&
          is_unset (self->class_code) &&
          is_unset (self->category) &&
          is_unset (self->notes));
}

/* enr-user.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-user.h"

struct _EnrUser
{
  EnrEntity parent_instance;

  char   *username;
  char   *display_name;
  EnrRole role;
};

G_DEFINE_FINAL_TYPE (EnrUser, enr_user, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_USERNAME,
  PROP_DISPLAY_NAME,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_user_finalize (GObject *object)
{
  EnrUser *self = ENR_USER (object);

  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->display_name, g_free);

  G_OBJECT_CLASS (enr_user_parent_class)->finalize (object);
}

static void
enr_user_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  EnrUser *self = ENR_USER (object);

  switch (prop_id)
    {
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_user_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  EnrUser *self = ENR_USER (object);

  switch (prop_id)
    {
    case PROP_USERNAME:
      enr_user_set_username (self, g_value_get_string (value));
      break;

    case PROP_DISPLAY_NAME:
      enr_user_set_display_name (self, g_value_get_string (value));
      break;

    case PROP_ROLE:
      enr_user_set_role (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_user_class_init (EnrUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_user_finalize;
  object_class->get_property = enr_user_get_property;
  object_class->set_property = enr_user_set_property;

  properties[PROP_USERNAME] =
    enr_param_spec_required (g_param_spec_string ("username", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_DISPLAY_NAME] =
    enr_param_spec_required (g_param_spec_string ("display-name", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_ROLE] =
    enr_param_spec_required (g_param_spec_enum ("role", NULL, NULL,
                                                ENR_TYPE_ROLE,
                                                ENR_ROLE_CLERK,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_user_init (EnrUser *self)
{
}

EnrUser *
enr_user_new (void)
{
  return g_object_new (ENR_TYPE_USER, NULL);
}

const char *
enr_user_get_username (EnrUser *self)
{
  g_return_val_if_fail (ENR_IS_USER (self), NULL);

  return self->username;
}

void
enr_user_set_username (EnrUser    *self,
                       const char *username)
{
  g_return_if_fail (ENR_IS_USER (self));

  if (enr_set_string (&self->username, username))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

const char *
enr_user_get_display_name (EnrUser *self)
{
  g_return_val_if_fail (ENR_IS_USER (self), NULL);

  return self->display_name;
}

void
enr_user_set_display_name (EnrUser    *self,
                           const char *display_name)
{
  g_return_if_fail (ENR_IS_USER (self));

  if (enr_set_string (&self->display_name, display_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

EnrRole
enr_user_get_role (EnrUser *self)
{
  g_return_val_if_fail (ENR_IS_USER (self), ENR_ROLE_CLERK);

  return self->role;
}

void
enr_user_set_role (EnrUser *self,
                   EnrRole  role)
{
  g_return_if_fail (ENR_IS_USER (self));

  if (self->role == role)
    return;

  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

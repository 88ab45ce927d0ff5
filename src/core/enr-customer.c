/* enr-customer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-customer.h"

struct _EnrCustomer
{
  EnrEntity parent_instance;

  char *name;
  char *account_id;
  char *phone;
  char *email;
  char *mailing_address;
};

G_DEFINE_FINAL_TYPE (EnrCustomer, enr_customer, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ACCOUNT_ID,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_MAILING_ADDRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_customer_finalize (GObject *object)
{
  EnrCustomer *self = ENR_CUSTOMER (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->mailing_address, g_free);

  G_OBJECT_CLASS (enr_customer_parent_class)->finalize (object);
}

static void
enr_customer_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  EnrCustomer *self = ENR_CUSTOMER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;

    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_MAILING_ADDRESS:
      g_value_set_string (value, self->mailing_address);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_customer_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  EnrCustomer *self = ENR_CUSTOMER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      enr_customer_set_name (self, g_value_get_string (value));
      break;

    case PROP_ACCOUNT_ID:
      enr_customer_set_account_id (self, g_value_get_string (value));
      break;

    case PROP_PHONE:
      enr_customer_set_phone (self, g_value_get_string (value));
      break;

    case PROP_EMAIL:
      enr_customer_set_email (self, g_value_get_string (value));
      break;

    case PROP_MAILING_ADDRESS:
      enr_customer_set_mailing_address (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_customer_class_init (EnrCustomerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_customer_finalize;
  object_class->get_property = enr_customer_get_property;
  object_class->set_property = enr_customer_set_property;

  properties[PROP_NAME] =
    enr_param_spec_required (g_param_spec_string ("name", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_ACCOUNT_ID] =
    enr_param_spec_required (g_param_spec_string ("account-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_MAILING_ADDRESS] =
    g_param_spec_string ("mailing-address", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_customer_init (EnrCustomer *self)
{
}

EnrCustomer *
enr_customer_new (void)
{
  return g_object_new (ENR_TYPE_CUSTOMER, NULL);
}

const char *
enr_customer_get_name (EnrCustomer *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER (self), NULL);

  return self->name;
}

void
enr_customer_set_name (EnrCustomer *self,
                       const char  *name)
{
  g_return_if_fail (ENR_IS_CUSTOMER (self));

  if (enr_set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
enr_customer_get_account_id (EnrCustomer *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER (self), NULL);

  return self->account_id;
}

void
enr_customer_set_account_id (EnrCustomer *self,
                             const char  *account_id)
{
  g_return_if_fail (ENR_IS_CUSTOMER (self));

  if (enr_set_string (&self->account_id, account_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
}

const char *
enr_customer_get_phone (EnrCustomer *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER (self), NULL);

  return self->phone;
}

void
enr_customer_set_phone (EnrCustomer *self,
                        const char  *phone)
{
  g_return_if_fail (ENR_IS_CUSTOMER (self));

  if (enr_set_string (&self->phone, phone))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE]);
}

const char *
enr_customer_get_email (EnrCustomer *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER (self), NULL);

  return self->email;
}

void
enr_customer_set_email (EnrCustomer *self,
                        const char  *email)
{
  g_return_if_fail (ENR_IS_CUSTOMER (self));

  if (enr_set_string (&self->email, email))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

const char *
enr_customer_get_mailing_address (EnrCustomer *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER (self), NULL);

  return self->mailing_address;
}

void
enr_customer_set_mailing_address (EnrCustomer *self,
                                  const char  *mailing_address)
{
  g_return_if_fail (ENR_IS_CUSTOMER (self));

  if (enr_set_string (&self->mailing_address, mailing_address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAILING_ADDRESS]);
}

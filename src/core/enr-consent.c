/* enr-consent.c — the customer's consent to a program's terms, on record
 *
 * Regulators want every enrollment to keep how the customer consented
 * (phone, web, paper, the device maker's app), when, to which version of
 * the program's terms, and which clerk recorded it. A value of the service
 * task (EnrServiceTask:consent), so it travels with the task through the
 * outbox, and an imported row can carry one too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-consent.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"

struct _EnrConsent
{
  GObject parent_instance;

  EnrConsentMethod method;
  GDateTime *given_at;
  char *terms_version;
  char *recorded_by;
};

G_DEFINE_FINAL_TYPE (EnrConsent, enr_consent, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_METHOD,
  PROP_GIVEN_AT,
  PROP_TERMS_VERSION,
  PROP_RECORDED_BY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_consent_finalize (GObject *object)
{
  EnrConsent *self = ENR_CONSENT (object);

  g_clear_pointer (&self->given_at, g_date_time_unref);
  g_clear_pointer (&self->terms_version, g_free);
  g_clear_pointer (&self->recorded_by, g_free);

  G_OBJECT_CLASS (enr_consent_parent_class)->finalize (object);
}

static void
enr_consent_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EnrConsent *self = ENR_CONSENT (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      g_value_set_enum (value, self->method);
      break;

    case PROP_GIVEN_AT:
      g_value_set_boxed (value, self->given_at);
      break;

    case PROP_TERMS_VERSION:
      g_value_set_string (value, self->terms_version);
      break;

    case PROP_RECORDED_BY:
      g_value_set_string (value, self->recorded_by);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_consent_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  EnrConsent *self = ENR_CONSENT (object);

  switch (prop_id)
    {
    case PROP_METHOD:
      enr_consent_set_method (self, g_value_get_enum (value));
      break;

    case PROP_GIVEN_AT:
      enr_consent_set_given_at (self, g_value_get_boxed (value));
      break;

    case PROP_TERMS_VERSION:
      enr_consent_set_terms_version (self, g_value_get_string (value));
      break;

    case PROP_RECORDED_BY:
      enr_consent_set_recorded_by (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_consent_class_init (EnrConsentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_consent_finalize;
  object_class->get_property = enr_consent_get_property;
  object_class->set_property = enr_consent_set_property;

  properties[PROP_METHOD] =
    enr_param_spec_required (g_param_spec_enum ("method", NULL, NULL,
                                                ENR_TYPE_CONSENT_METHOD,
                                                ENR_CONSENT_METHOD_NONE,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_GIVEN_AT] =
    enr_param_spec_required (g_param_spec_boxed ("given-at", NULL, NULL,
                                                 G_TYPE_DATE_TIME,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)));

  properties[PROP_TERMS_VERSION] =
    g_param_spec_string ("terms-version", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_RECORDED_BY] =
    g_param_spec_string ("recorded-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_consent_init (EnrConsent *self)
{
}

EnrConsent *
enr_consent_new (void)
{
  return g_object_new (ENR_TYPE_CONSENT, NULL);
}

EnrConsentMethod
enr_consent_get_method (EnrConsent *self)
{
  g_return_val_if_fail (ENR_IS_CONSENT (self), ENR_CONSENT_METHOD_NONE);

  return self->method;
}

void
enr_consent_set_method (EnrConsent       *self,
                        EnrConsentMethod  method)
{
  g_return_if_fail (ENR_IS_CONSENT (self));

  if (self->method == method)
    return;

  self->method = method;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METHOD]);
}

/**
 * enr_consent_get_given_at:
 *
 * Returns: (transfer none) (nullable): when the customer consented
 */
GDateTime *
enr_consent_get_given_at (EnrConsent *self)
{
  g_return_val_if_fail (ENR_IS_CONSENT (self), NULL);

  return self->given_at;
}

void
enr_consent_set_given_at (EnrConsent *self,
                          GDateTime  *given_at)
{
  g_return_if_fail (ENR_IS_CONSENT (self));

  if (enr_set_date_time (&self->given_at, given_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GIVEN_AT]);
}

const char *
enr_consent_get_terms_version (EnrConsent *self)
{
  g_return_val_if_fail (ENR_IS_CONSENT (self), NULL);

  return self->terms_version;
}

void
enr_consent_set_terms_version (EnrConsent *self,
                               const char *terms_version)
{
  g_return_if_fail (ENR_IS_CONSENT (self));

  if (enr_set_string (&self->terms_version, terms_version))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TERMS_VERSION]);
}

const char *
enr_consent_get_recorded_by (EnrConsent *self)
{
  g_return_val_if_fail (ENR_IS_CONSENT (self), NULL);

  return self->recorded_by;
}

void
enr_consent_set_recorded_by (EnrConsent *self,
                             const char *recorded_by)
{
  g_return_if_fail (ENR_IS_CONSENT (self));

  if (enr_set_string (&self->recorded_by, recorded_by))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDED_BY]);
}

/**
 * enr_consent_is_complete:
 *
 * Returns: whether the consent says how and when it was given
 */
gboolean
enr_consent_is_complete (EnrConsent *self)
{
  g_return_val_if_fail (ENR_IS_CONSENT (self), FALSE);

  return self->method != ENR_CONSENT_METHOD_NONE && self->given_at != NULL;
}

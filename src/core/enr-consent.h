/* enr-consent.h — the customer's consent to a program's terms, on record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_CONSENT (enr_consent_get_type ())

G_DECLARE_FINAL_TYPE (EnrConsent, enr_consent, ENR, CONSENT, GObject)

EnrConsent       *enr_consent_new               (void);
EnrConsentMethod  enr_consent_get_method        (EnrConsent       *self);
void              enr_consent_set_method        (EnrConsent       *self,
                                                 EnrConsentMethod  method);
GDateTime        *enr_consent_get_given_at      (EnrConsent       *self);
void              enr_consent_set_given_at      (EnrConsent       *self,
                                                 GDateTime        *given_at);
const char       *enr_consent_get_terms_version (EnrConsent       *self);
void              enr_consent_set_terms_version (EnrConsent       *self,
                                                 const char       *terms_version);
const char       *enr_consent_get_recorded_by   (EnrConsent       *self);
void              enr_consent_set_recorded_by   (EnrConsent       *self,
                                                 const char       *recorded_by);
gboolean          enr_consent_is_complete       (EnrConsent       *self);

G_END_DECLS

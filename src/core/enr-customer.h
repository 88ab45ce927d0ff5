/* enr-customer.h — the utility's customer (person and account)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"

G_BEGIN_DECLS

#define ENR_TYPE_CUSTOMER (enr_customer_get_type ())

G_DECLARE_FINAL_TYPE (EnrCustomer, enr_customer, ENR, CUSTOMER, EnrEntity)

EnrCustomer *enr_customer_new                 (void);
const char  *enr_customer_get_name            (EnrCustomer *self);
void         enr_customer_set_name            (EnrCustomer *self,
                                               const char  *name);
const char  *enr_customer_get_account_id      (EnrCustomer *self);
void         enr_customer_set_account_id      (EnrCustomer *self,
                                               const char  *account_id);
const char  *enr_customer_get_phone           (EnrCustomer *self);
void         enr_customer_set_phone           (EnrCustomer *self,
                                               const char  *phone);
const char  *enr_customer_get_email           (EnrCustomer *self);
void         enr_customer_set_email           (EnrCustomer *self,
                                               const char  *email);
const char  *enr_customer_get_mailing_address (EnrCustomer *self);
void         enr_customer_set_mailing_address (EnrCustomer *self,
                                               const char  *mailing_address);

G_END_DECLS

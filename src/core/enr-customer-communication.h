/* enr-customer-communication.h — a logged customer interaction
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"

G_BEGIN_DECLS

#define ENR_TYPE_CUSTOMER_COMMUNICATION (enr_customer_communication_get_type ())

G_DECLARE_FINAL_TYPE (EnrCustomerCommunication, enr_customer_communication, ENR, CUSTOMER_COMMUNICATION, EnrEntity)

EnrCustomerCommunication *enr_customer_communication_new                 (void);
const char               *enr_customer_communication_get_customer_id     (EnrCustomerCommunication *self);
void                      enr_customer_communication_set_customer_id     (EnrCustomerCommunication *self,
                                                                          const char               *customer_id);
const char               *enr_customer_communication_get_channel         (EnrCustomerCommunication *self);
void                      enr_customer_communication_set_channel         (EnrCustomerCommunication *self,
                                                                          const char               *channel);
const char               *enr_customer_communication_get_class           (EnrCustomerCommunication *self);
void                      enr_customer_communication_set_class           (EnrCustomerCommunication *self,
                                                                          const char               *class_code);
const char               *enr_customer_communication_get_category        (EnrCustomerCommunication *self);
void                      enr_customer_communication_set_category        (EnrCustomerCommunication *self,
                                                                          const char               *category);
const char               *enr_customer_communication_get_notes           (EnrCustomerCommunication *self);
void                      enr_customer_communication_set_notes           (EnrCustomerCommunication *self,
                                                                          const char               *notes);
const char               *enr_customer_communication_get_service_task_id (EnrCustomerCommunication *self);
void                      enr_customer_communication_set_service_task_id (EnrCustomerCommunication *self,
                                                                          const char               *service_task_id);
const char               *enr_customer_communication_get_program_id      (EnrCustomerCommunication *self);
void                      enr_customer_communication_set_program_id      (EnrCustomerCommunication *self,
                                                                          const char               *program_id);
const char               *enr_customer_communication_get_created_by      (EnrCustomerCommunication *self);
void                      enr_customer_communication_set_created_by      (EnrCustomerCommunication *self,
                                                                          const char               *created_by);
GDateTime                *enr_customer_communication_get_created_at      (EnrCustomerCommunication *self);
void                      enr_customer_communication_set_created_at      (EnrCustomerCommunication *self,
                                                                          GDateTime                *created_at);

G_END_DECLS

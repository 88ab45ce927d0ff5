/* enr-service-handlers.h — the /v1 endpoints
 *
 * Each handler reads an EnrServiceRequest and fills its reply. Writes run
 * inside the dispatcher's transaction (in a savepoint of their own, other
 * writes may come before them in it) and reply before they return: a
 * handler that replies with an error status has every change it made
 * rolled back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-service-request.h"

G_BEGIN_DECLS

/* sessions */
void enr_service_handle_sign_in              (EnrServiceRequest *req);
void enr_service_handle_sign_out             (EnrServiceRequest *req);
void enr_service_handle_current_session      (EnrServiceRequest *req);

/* customers */
void enr_service_handle_customer_search      (EnrServiceRequest *req);
void enr_service_handle_customer_get         (EnrServiceRequest *req);
void enr_service_handle_customer_export      (EnrServiceRequest *req);
void enr_service_handle_eligible_programs    (EnrServiceRequest *req);
void enr_service_handle_customer_consents        (EnrServiceRequest *req);
void enr_service_handle_customer_communications (EnrServiceRequest *req);
void enr_service_handle_communication_create (EnrServiceRequest *req);

/* reference data */
void enr_service_handle_program_list         (EnrServiceRequest *req);
void enr_service_handle_program_get          (EnrServiceRequest *req);
void enr_service_handle_code_values          (EnrServiceRequest *req);
void enr_service_handle_crews                (EnrServiceRequest *req);
void enr_service_handle_crew_shift_types     (EnrServiceRequest *req);
void enr_service_handle_activity_types       (EnrServiceRequest *req);
void enr_service_handle_service_task_types   (EnrServiceRequest *req);
void enr_service_handle_action_methods       (EnrServiceRequest *req);
void enr_service_handle_appointment_slots    (EnrServiceRequest *req);
void enr_service_handle_crew_shifts          (EnrServiceRequest *req);
void enr_service_handle_appointments         (EnrServiceRequest *req);

/* service tasks */
void enr_service_handle_task_create          (EnrServiceRequest *req);
void enr_service_handle_task_list            (EnrServiceRequest *req);
void enr_service_handle_task_get             (EnrServiceRequest *req);
void enr_service_handle_task_update          (EnrServiceRequest *req);
void enr_service_handle_task_finish          (EnrServiceRequest *req);
void enr_service_handle_task_cancel          (EnrServiceRequest *req);
void enr_service_handle_task_reschedule      (EnrServiceRequest *req);
void enr_service_handle_task_complete        (EnrServiceRequest *req);

/* sync */
void enr_service_handle_changes              (EnrServiceRequest *req);
gboolean enr_service_changes_reply           (EnrServiceRequest *req,
                                              gboolean           may_hold);

/* helpers shared by the handler files */
gboolean enr_service_parse_page              (EnrServiceRequest *req,
                                              guint             *offset,
                                              guint             *limit,
                                              guint             *page,
                                              guint             *page_size);
void     enr_service_reply_page              (EnrServiceRequest *req,
                                              GPtrArray         *rows,
                                              guint              page,
                                              guint              page_size);
void     enr_service_reply_items             (EnrServiceRequest *req,
                                              GPtrArray         *rows);

G_END_DECLS

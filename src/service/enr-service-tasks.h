/* enr-service-tasks.h — helpers shared by the task and communication handlers
 *
 * The task handlers are in enr-service-tasks.c (create, save, list, read),
 * -finish.c, -cancel.c (with expiry) and -field-work.c (complete, reschedule).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-service-request.h"

G_BEGIN_DECLS

#define ENR_SERVICE_MAX_ID 64

gboolean enr_service_task_visible_to (EnrServiceRequest *req,
                                      EnrServiceTask    *task);
gboolean enr_service_assign_id       (EnrServiceRequest *req,
                                      EnrEntity         *entity,
                                      GType              type);
guint    enr_service_expire_tasks    (EnrServiceStore   *store,
                                      GDateTime         *now);

/* Between the task handlers' files. */
void            enr_service_add_field_error         (GPtrArray             *errors,
                                                     const char            *field,
                                                     const char            *message);
void            enr_service_reply_task              (EnrServiceRequest     *req,
                                                     guint                  status,
                                                     EnrServiceTask        *task,
                                                     gint64                 version);
void            enr_service_reply_state_conflict    (EnrServiceRequest     *req,
                                                     EnrServiceTask        *task,
                                                     const char            *action);
void            enr_service_reply_slot_taken        (EnrServiceRequest     *req,
                                                     EnrAppointment        *appointment);
gint64          enr_service_save_task               (EnrServiceRequest     *req,
                                                     EnrServiceTask        *task,
                                                     GError               **error);
EnrServiceTask *enr_service_load_task               (EnrServiceRequest     *req,
                                                     gint64                *version,
                                                     char                 **json);
gboolean        enr_service_book_appointment        (EnrServiceRequest     *req,
                                                     EnrAppointment        *appointment,
                                                     const char            *replaced,
                                                     gboolean              *taken,
                                                     GError               **error);
gboolean        enr_service_set_appointments_status (EnrServiceStore       *store,
                                                     EnrServiceTask        *task,
                                                     EnrAppointmentStatus   status,
                                                     GError               **error);
GPtrArray      *enr_service_subscription_devices    (EnrServiceStore       *store,
                                                     const char            *subscription_id,
                                                     GError               **error);
gboolean        enr_service_log_communication       (EnrServiceStore       *store,
                                                     const char            *by,
                                                     GDateTime             *now,
                                                     EnrServiceTask        *task,
                                                     const char            *channel,
                                                     const char            *klass,
                                                     const char            *category,
                                                     const char            *notes,
                                                     GError               **error);

G_END_DECLS

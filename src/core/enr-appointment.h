/* enr-appointment.h — a booked slot of field work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"
#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_APPOINTMENT (enr_appointment_get_type ())

G_DECLARE_FINAL_TYPE (EnrAppointment, enr_appointment, ENR, APPOINTMENT, EnrEntity)

EnrAppointment      *enr_appointment_new                  (void);
const char          *enr_appointment_get_activity_type_id (EnrAppointment *self);
void                 enr_appointment_set_activity_type_id (EnrAppointment *self,
                                                           const char     *activity_type_id);
const char          *enr_appointment_get_crew_id          (EnrAppointment *self);
void                 enr_appointment_set_crew_id          (EnrAppointment *self,
                                                           const char     *crew_id);
const char          *enr_appointment_get_crew_shift_id    (EnrAppointment *self);
void                 enr_appointment_set_crew_shift_id    (EnrAppointment *self,
                                                           const char     *crew_shift_id);
GDateTime           *enr_appointment_get_start            (EnrAppointment *self);
void                 enr_appointment_set_start            (EnrAppointment *self,
                                                           GDateTime      *start);
GDateTime           *enr_appointment_get_end              (EnrAppointment *self);
void                 enr_appointment_set_end              (EnrAppointment *self,
                                                           GDateTime      *end);
const char          *enr_appointment_get_service_task_id  (EnrAppointment *self);
void                 enr_appointment_set_service_task_id  (EnrAppointment *self,
                                                           const char     *service_task_id);
EnrAppointmentStatus enr_appointment_get_status           (EnrAppointment *self);
void                 enr_appointment_set_status           (EnrAppointment      *self,
                                                           EnrAppointmentStatus status);

G_END_DECLS

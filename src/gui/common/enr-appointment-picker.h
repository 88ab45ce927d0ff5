/* enr-appointment-picker.h — crew shift type, crew, date and a free slot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-page.h"

G_BEGIN_DECLS

#define ENR_TYPE_APPOINTMENT_PICKER (enr_appointment_picker_get_type ())

G_DECLARE_FINAL_TYPE (EnrAppointmentPicker, enr_appointment_picker, ENR, APPOINTMENT_PICKER, GtkWidget)

GtkWidget       *enr_appointment_picker_new               (EnrFlowSession       *session,
                                                           EnrActivityType      *activity_type);
EnrActivityType *enr_appointment_picker_get_activity_type (EnrAppointmentPicker *self);
GtkWidget       *enr_appointment_picker_get_slot_list     (EnrAppointmentPicker *self);
GtkWidget       *enr_appointment_picker_get_error_label   (EnrAppointmentPicker *self);
char            *enr_appointment_picker_get_field_key     (EnrAppointmentPicker *self);
guint            enr_appointment_picker_get_n_slots       (EnrAppointmentPicker *self);
GtkWidget       *enr_appointment_picker_get_offer_button  (EnrAppointmentPicker *self);
void             enr_appointment_picker_set_label_size_group (EnrAppointmentPicker *self,
                                                           GtkSizeGroup         *size_group);

G_END_DECLS

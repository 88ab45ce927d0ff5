/* enr-program-type.h — a class of program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"
#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_PROGRAM_TYPE (enr_program_type_get_type ())

G_DECLARE_FINAL_TYPE (EnrProgramType, enr_program_type, ENR, PROGRAM_TYPE, EnrEntity)

EnrProgramType    *enr_program_type_new                   (void);
const char        *enr_program_type_get_code              (EnrProgramType *self);
void               enr_program_type_set_code              (EnrProgramType *self,
                                                           const char     *code);
const char        *enr_program_type_get_name              (EnrProgramType *self);
void               enr_program_type_set_name              (EnrProgramType *self,
                                                           const char     *name);
EnrProgramCategory enr_program_type_get_category          (EnrProgramType *self);
void               enr_program_type_set_category          (EnrProgramType    *self,
                                                           EnrProgramCategory category);
gboolean           enr_program_type_get_device_required   (EnrProgramType *self);
void               enr_program_type_set_device_required   (EnrProgramType *self,
                                                           gboolean        device_required);
gboolean           enr_program_type_get_location_required (EnrProgramType *self);
void               enr_program_type_set_location_required (EnrProgramType *self,
                                                           gboolean        location_required);
gboolean           enr_program_type_get_consent_required  (EnrProgramType *self);
void               enr_program_type_set_consent_required  (EnrProgramType *self,
                                                           gboolean        consent_required);

G_END_DECLS

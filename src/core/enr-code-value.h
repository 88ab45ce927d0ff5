/* enr-code-value.h — one code of a reference list (channel, class, category)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-enums.h"

G_BEGIN_DECLS

#define ENR_TYPE_CODE_VALUE (enr_code_value_get_type ())

G_DECLARE_FINAL_TYPE (EnrCodeValue, enr_code_value, ENR, CODE_VALUE, GObject)

EnrCodeValue *enr_code_value_new       (void);
EnrCodeList   enr_code_value_get_list  (EnrCodeValue *self);
void          enr_code_value_set_list  (EnrCodeValue *self,
                                        EnrCodeList   list);
const char   *enr_code_value_get_code  (EnrCodeValue *self);
void          enr_code_value_set_code  (EnrCodeValue *self,
                                        const char   *code);
const char   *enr_code_value_get_label (EnrCodeValue *self);
void          enr_code_value_set_label (EnrCodeValue *self,
                                        const char   *label);

G_END_DECLS

/* enr-application.h — the Enrollment Desk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"
#include "enr-idle-lock.h"

G_BEGIN_DECLS

#define ENR_TYPE_APPLICATION (enr_application_get_type ())

G_DECLARE_FINAL_TYPE (EnrApplication, enr_application, ENR, APPLICATION, GtkApplication)

EnrApplication *enr_application_new         (void);
EnrContext     *enr_application_get_context (EnrApplication *self);
EnrIdleLock    *enr_application_get_idle_lock (EnrApplication *self);

G_END_DECLS

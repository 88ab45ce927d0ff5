/* enr-idle-lock.h — lock the windows of a client left unattended
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "enr-context.h"

G_BEGIN_DECLS

#define ENR_TYPE_IDLE_LOCK (enr_idle_lock_get_type ())

G_DECLARE_FINAL_TYPE (EnrIdleLock, enr_idle_lock, ENR, IDLE_LOCK, GObject)

EnrIdleLock *enr_idle_lock_new          (GtkApplication *application,
                                         EnrContext     *context);
void         enr_idle_lock_set_timeout  (EnrIdleLock    *self,
                                         guint           seconds);
guint        enr_idle_lock_get_timeout  (EnrIdleLock    *self);
void         enr_idle_lock_set_user     (EnrIdleLock    *self,
                                         const char     *username);
void         enr_idle_lock_lock         (EnrIdleLock    *self);
gboolean     enr_idle_lock_get_locked   (EnrIdleLock    *self);

G_END_DECLS

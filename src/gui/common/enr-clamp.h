/* enr-clamp.h — a column of one width, centred
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ENR_TYPE_CLAMP (enr_clamp_get_type ())

G_DECLARE_FINAL_TYPE (EnrClamp, enr_clamp, ENR, CLAMP, GtkWidget)

GtkWidget *enr_clamp_new (void);

G_END_DECLS

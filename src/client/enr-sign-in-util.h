/* enr-sign-in-util.h — what signing in needs besides its dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-core.h"
#include "enr-store.h"

G_BEGIN_DECLS

char     *enr_sign_in_describe_error             (const GError        *error);
EnrUser  *enr_sign_in_find_cached_user           (EnrStore            *store,
                                                  const char          *username);
gboolean  enr_sign_in_remember_user              (EnrStore            *store,
                                                  EnrUser             *user,
                                                  GError             **error);

G_END_DECLS

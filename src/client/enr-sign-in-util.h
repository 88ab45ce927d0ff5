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

/* A password held in memory: wiped before it is freed. */
typedef char EnrPassword;

void      enr_password_free                      (EnrPassword         *password);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrPassword, enr_password_free)

G_END_DECLS

/* enr-offline-sign-in.h — working offline with a password, as SSSD's cached credentials
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-core.h"
#include "enr-store.h"

G_BEGIN_DECLS

#define ENR_SIGN_IN_ERROR (enr_sign_in_error_quark ())

/* The default of the "offline-days" setting. */
#define ENR_SIGN_IN_DEFAULT_OFFLINE_DAYS 30

typedef enum
{
  ENR_SIGN_IN_ERROR_NOT_SIGNED_IN_HERE,
  ENR_SIGN_IN_ERROR_EXPIRED,
  ENR_SIGN_IN_ERROR_WRONG_PASSWORD,
  ENR_SIGN_IN_ERROR_THROTTLED,
  ENR_SIGN_IN_ERROR_FAILED,
} EnrSignInError;

GQuark    enr_sign_in_error_quark        (void);

/* After an online sign-in: the user and a verifier of the password. */
void      enr_sign_in_remember_async     (EnrStore             *store,
                                          EnrUser              *user,
                                          const char           *password,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  enr_sign_in_remember_finish    (EnrStore             *store,
                                          GAsyncResult         *result,
                                          GError              **error);

/* Working offline (or unlocking: @max_days 0, no expiry). */
void      enr_sign_in_offline_async      (EnrStore             *store,
                                          const char           *username,
                                          const char           *password,
                                          guint                 max_days,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
EnrUser  *enr_sign_in_offline_finish     (EnrStore             *store,
                                          GAsyncResult         *result,
                                          GError              **error);

gboolean  enr_sign_in_can_work_offline   (EnrStore             *store,
                                          const char           *username,
                                          guint                 max_days,
                                          GError              **error);

/* "offline-days" of @settings, or its default without settings. */
guint     enr_sign_in_get_offline_days   (GSettings            *settings);

G_END_DECLS

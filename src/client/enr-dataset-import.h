/* enr-dataset-import.h — fill the client store from a data set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-store.h"

G_BEGIN_DECLS

gboolean enr_dataset_import (EnrStore      *store,
                             GFile         *directory,
                             const GDate   *today,
                             GCancellable  *cancellable,
                             GError       **error);

G_END_DECLS

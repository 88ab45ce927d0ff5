/* enr-equal.h — equality of values that may be unset
 *
 * %NULL equals only %NULL. The core's setters (enr-core-private.h) and the
 * client's edits use these, so a value that did not change is not written
 * or announced.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean enr_date_equal0      (const GDate        *a,
                               const GDate        *b);
gboolean enr_date_time_equal0 (GDateTime          *a,
                               GDateTime          *b);
gboolean enr_strv_equal0      (const char * const *a,
                               const char * const *b);

G_END_DECLS

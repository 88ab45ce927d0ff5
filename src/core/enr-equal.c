/* enr-equal.c — equality of values that may be unset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-equal.h"

gboolean
enr_date_equal0 (const GDate *a,
                 const GDate *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_date_compare (a, b) == 0;
}

gboolean
enr_date_time_equal0 (GDateTime *a,
                      GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_date_time_equal (a, b);
}

gboolean
enr_strv_equal0 (const char * const *a,
                 const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strv_equal (a, b);
}

/* enr-core-private.c — what the core's own files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-core-private.h"

gboolean
enr_set_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

gboolean
enr_set_strv (char               ***field,
              const char * const   *value)
{
  if (enr_strv_equal0 ((const char * const *) *field, value))
    return FALSE;

  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  return TRUE;
}

gboolean
enr_set_date (GDate       **field,
              const GDate  *value)
{
  if (enr_date_equal0 (*field, value))
    return FALSE;

  g_clear_pointer (field, g_date_free);
  if (value != NULL)
    *field = g_date_copy (value);
  return TRUE;
}

gboolean
enr_set_date_time (GDateTime **field,
                   GDateTime  *value)
{
  if (enr_date_time_equal0 (*field, value))
    return FALSE;

  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_ref (value);
  return TRUE;
}

gboolean
enr_set_array (GPtrArray **field,
               GPtrArray  *value)
{
  if (*field == value)
    return FALSE;

  g_clear_pointer (field, g_ptr_array_unref);
  if (value != NULL)
    *field = g_ptr_array_ref (value);
  else
    *field = g_ptr_array_new_with_free_func (g_object_unref);
  return TRUE;
}

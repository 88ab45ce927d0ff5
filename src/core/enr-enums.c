/* enr-enums.c — nick lookups for the code lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-object.h>

#include "enr-enums.h"

/**
 * enr_enum_to_nick:
 * @enum_type: a registered enum type
 * @value: a value of @enum_type
 *
 * Returns: (nullable): the stable nick of @value, or %NULL when @value is not
 *   a member of @enum_type
 */
const char *
enr_enum_to_nick (GType enum_type,
                  int   value)
{
  GEnumClass *klass;
  GEnumValue *enum_value;
  const char *nick;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);

  klass = g_type_class_ref (enum_type);
  enum_value = g_enum_get_value (klass, value);
  nick = enum_value != NULL ? enum_value->value_nick : NULL;
  g_type_class_unref (klass);

  /* Nicks are static strings owned by the type, which is never unloaded. */
  return nick;
}

/**
 * enr_enum_from_nick:
 * @enum_type: a registered enum type
 * @nick: (nullable): a nick
 * @value: (out) (optional): the value
 *
 * Returns: %TRUE when @nick names a value of @enum_type; %FALSE for an unknown
 *   or %NULL nick, in which case @value is untouched
 */
gboolean
enr_enum_from_nick (GType       enum_type,
                    const char *nick,
                    int        *value)
{
  GEnumClass *klass;
  GEnumValue *enum_value;
  gboolean found = FALSE;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), FALSE);

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (enum_type);
  enum_value = g_enum_get_value_by_nick (klass, nick);
  if (enum_value != NULL)
    {
      found = TRUE;
      if (value != NULL)
        *value = enum_value->value;
    }
  g_type_class_unref (klass);

  return found;
}

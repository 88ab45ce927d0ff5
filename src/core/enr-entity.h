/* enr-entity.h — base of every domain object with an identity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ENR_TYPE_ENTITY (enr_entity_get_type ())

G_DECLARE_DERIVABLE_TYPE (EnrEntity, enr_entity, ENR, ENTITY, GObject)

struct _EnrEntityClass
{
  GObjectClass parent_class;

  gpointer padding[4];
};

const char *enr_entity_get_id (EnrEntity  *self);
void        enr_entity_set_id (EnrEntity  *self,
                               const char *id);

G_END_DECLS

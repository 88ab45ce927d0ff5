/* enr-task-transition.c — one change of a service task's status, in its history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-task-transition.h"

struct _EnrTaskTransition
{
  GObject parent_instance;

  EnrTaskStatus from;
  EnrTaskStatus to;
  char         *by;
  GDateTime    *at;
  char         *reason;
};

G_DEFINE_FINAL_TYPE (EnrTaskTransition, enr_task_transition, G_TYPE_OBJECT)

enum {
  TASK_TRANSITION_PROP_0,
  TASK_TRANSITION_PROP_FROM,
  TASK_TRANSITION_PROP_TO,
  TASK_TRANSITION_PROP_BY,
  TASK_TRANSITION_PROP_AT,
  TASK_TRANSITION_PROP_REASON,
  TASK_TRANSITION_N_PROPS
};

static GParamSpec *task_transition_properties[TASK_TRANSITION_N_PROPS];

static void
enr_task_transition_finalize (GObject *object)
{
  EnrTaskTransition *self = ENR_TASK_TRANSITION (object);

  g_clear_pointer (&self->by, g_free);
  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (enr_task_transition_parent_class)->finalize (object);
}

static void
enr_task_transition_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EnrTaskTransition *self = ENR_TASK_TRANSITION (object);

  switch (prop_id)
    {
    case TASK_TRANSITION_PROP_FROM:
      g_value_set_enum (value, self->from);
      break;

    case TASK_TRANSITION_PROP_TO:
      g_value_set_enum (value, self->to);
      break;

    case TASK_TRANSITION_PROP_BY:
      g_value_set_string (value, self->by);
      break;

    case TASK_TRANSITION_PROP_AT:
      g_value_set_boxed (value, self->at);
      break;

    case TASK_TRANSITION_PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_task_transition_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EnrTaskTransition *self = ENR_TASK_TRANSITION (object);

  switch (prop_id)
    {
    case TASK_TRANSITION_PROP_FROM:
      enr_task_transition_set_from (self, g_value_get_enum (value));
      break;

    case TASK_TRANSITION_PROP_TO:
      enr_task_transition_set_to (self, g_value_get_enum (value));
      break;

    case TASK_TRANSITION_PROP_BY:
      enr_task_transition_set_by (self, g_value_get_string (value));
      break;

    case TASK_TRANSITION_PROP_AT:
      enr_task_transition_set_at (self, g_value_get_boxed (value));
      break;

    case TASK_TRANSITION_PROP_REASON:
      enr_task_transition_set_reason (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_task_transition_class_init (EnrTaskTransitionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_task_transition_finalize;
  object_class->get_property = enr_task_transition_get_property;
  object_class->set_property = enr_task_transition_set_property;

  task_transition_properties[TASK_TRANSITION_PROP_FROM] =
    g_param_spec_enum ("from", NULL, NULL,
                       ENR_TYPE_TASK_STATUS,
                       ENR_TASK_STATUS_PENDING,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  task_transition_properties[TASK_TRANSITION_PROP_TO] =
    enr_param_spec_required (g_param_spec_enum ("to", NULL, NULL,
                                                ENR_TYPE_TASK_STATUS,
                                                ENR_TASK_STATUS_PENDING,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  task_transition_properties[TASK_TRANSITION_PROP_BY] =
    enr_param_spec_required (g_param_spec_string ("by", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  task_transition_properties[TASK_TRANSITION_PROP_AT] =
    enr_param_spec_required (g_param_spec_boxed ("at", NULL, NULL,
                                                 G_TYPE_DATE_TIME,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)));

  task_transition_properties[TASK_TRANSITION_PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, TASK_TRANSITION_N_PROPS, task_transition_properties);
}

static void
enr_task_transition_init (EnrTaskTransition *self)
{
}

EnrTaskTransition *
enr_task_transition_new (void)
{
  return g_object_new (ENR_TYPE_TASK_TRANSITION, NULL);
}

EnrTaskStatus
enr_task_transition_get_from (EnrTaskTransition *self)
{
  g_return_val_if_fail (ENR_IS_TASK_TRANSITION (self), ENR_TASK_STATUS_PENDING);

  return self->from;
}

void
enr_task_transition_set_from (EnrTaskTransition *self,
                              EnrTaskStatus      from)
{
  g_return_if_fail (ENR_IS_TASK_TRANSITION (self));

  if (self->from == from)
    return;

  self->from = from;
  g_object_notify_by_pspec (G_OBJECT (self), task_transition_properties[TASK_TRANSITION_PROP_FROM]);
}

EnrTaskStatus
enr_task_transition_get_to (EnrTaskTransition *self)
{
  g_return_val_if_fail (ENR_IS_TASK_TRANSITION (self), ENR_TASK_STATUS_PENDING);

  return self->to;
}

void
enr_task_transition_set_to (EnrTaskTransition *self,
                            EnrTaskStatus      to)
{
  g_return_if_fail (ENR_IS_TASK_TRANSITION (self));

  if (self->to == to)
    return;

  self->to = to;
  g_object_notify_by_pspec (G_OBJECT (self), task_transition_properties[TASK_TRANSITION_PROP_TO]);
}

const char *
enr_task_transition_get_by (EnrTaskTransition *self)
{
  g_return_val_if_fail (ENR_IS_TASK_TRANSITION (self), NULL);

  return self->by;
}

void
enr_task_transition_set_by (EnrTaskTransition *self,
                            const char        *by)
{
  g_return_if_fail (ENR_IS_TASK_TRANSITION (self));

  if (enr_set_string (&self->by, by))
    g_object_notify_by_pspec (G_OBJECT (self), task_transition_properties[TASK_TRANSITION_PROP_BY]);
}

GDateTime *
enr_task_transition_get_at (EnrTaskTransition *self)
{
  g_return_val_if_fail (ENR_IS_TASK_TRANSITION (self), NULL);

  return self->at;
}

void
enr_task_transition_set_at (EnrTaskTransition *self,
                            GDateTime         *at)
{
  g_return_if_fail (ENR_IS_TASK_TRANSITION (self));

  if (enr_set_date_time (&self->at, at))
    g_object_notify_by_pspec (G_OBJECT (self), task_transition_properties[TASK_TRANSITION_PROP_AT]);
}

const char *
enr_task_transition_get_reason (EnrTaskTransition *self)
{
  g_return_val_if_fail (ENR_IS_TASK_TRANSITION (self), NULL);

  return self->reason;
}

void
enr_task_transition_set_reason (EnrTaskTransition *self,
                                const char        *reason)
{
  g_return_if_fail (ENR_IS_TASK_TRANSITION (self));

  if (enr_set_string (&self->reason, reason))
    g_object_notify_by_pspec (G_OBJECT (self), task_transition_properties[TASK_TRANSITION_PROP_REASON]);
}

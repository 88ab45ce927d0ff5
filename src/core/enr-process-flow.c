/* enr-process-flow.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-process-flow.h"

struct _EnrProcessFlow
{
  EnrEntity parent_instance;

  char           *service_task_id;
  EnrTaskKind     kind;
  EnrFlowStatus   status;
  EnrPanel        current_panel;
  char          **visited;
  EnrServiceTask *task;
  gint64          version;
  GDateTime      *updated_at;
};

G_DEFINE_FINAL_TYPE (EnrProcessFlow, enr_process_flow, ENR_TYPE_ENTITY)

enum {
  PROP_0,
  PROP_SERVICE_TASK_ID,
  PROP_KIND,
  PROP_STATUS,
  PROP_CURRENT_PANEL,
  PROP_VISITED,
  PROP_TASK,
  PROP_VERSION,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
enr_process_flow_finalize (GObject *object)
{
  EnrProcessFlow *self = ENR_PROCESS_FLOW (object);

  g_clear_pointer (&self->service_task_id, g_free);
  g_clear_pointer (&self->visited, g_strfreev);
  g_clear_object (&self->task);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (enr_process_flow_parent_class)->finalize (object);
}

static void
enr_process_flow_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EnrProcessFlow *self = ENR_PROCESS_FLOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE_TASK_ID:
      g_value_set_string (value, self->service_task_id);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_CURRENT_PANEL:
      g_value_set_enum (value, self->current_panel);
      break;

    case PROP_VISITED:
      g_value_set_boxed (value, self->visited);
      break;

    case PROP_TASK:
      g_value_set_object (value, self->task);
      break;

    case PROP_VERSION:
      g_value_set_int64 (value, self->version);
      break;

    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_process_flow_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EnrProcessFlow *self = ENR_PROCESS_FLOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE_TASK_ID:
      enr_process_flow_set_service_task_id (self, g_value_get_string (value));
      break;

    case PROP_KIND:
      enr_process_flow_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_STATUS:
      enr_process_flow_set_status (self, g_value_get_enum (value));
      break;

    case PROP_CURRENT_PANEL:
      enr_process_flow_set_current_panel (self, g_value_get_enum (value));
      break;

    case PROP_VISITED:
      enr_process_flow_set_visited (self, g_value_get_boxed (value));
      break;

    case PROP_TASK:
      enr_process_flow_set_task (self, g_value_get_object (value));
      break;

    case PROP_VERSION:
      enr_process_flow_set_version (self, g_value_get_int64 (value));
      break;

    case PROP_UPDATED_AT:
      enr_process_flow_set_updated_at (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_process_flow_class_init (EnrProcessFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_process_flow_finalize;
  object_class->get_property = enr_process_flow_get_property;
  object_class->set_property = enr_process_flow_set_property;

  properties[PROP_SERVICE_TASK_ID] =
    enr_param_spec_required (g_param_spec_string ("service-task-id", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  properties[PROP_KIND] =
    enr_param_spec_required (g_param_spec_enum ("kind", NULL, NULL,
                                                ENR_TYPE_TASK_KIND,
                                                ENR_TASK_KIND_ENROLLMENT,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_STATUS] =
    enr_param_spec_required (g_param_spec_enum ("status", NULL, NULL,
                                                ENR_TYPE_FLOW_STATUS,
                                                ENR_FLOW_STATUS_OPEN,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_CURRENT_PANEL] =
    enr_param_spec_required (g_param_spec_enum ("current-panel", NULL, NULL,
                                                ENR_TYPE_PANEL,
                                                ENR_PANEL_CUSTOMER,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  properties[PROP_VISITED] =
    g_param_spec_boxed ("visited", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL,
                         ENR_TYPE_SERVICE_TASK,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
enr_process_flow_init (EnrProcessFlow *self)
{
}

EnrProcessFlow *
enr_process_flow_new (void)
{
  return g_object_new (ENR_TYPE_PROCESS_FLOW, NULL);
}

const char *
enr_process_flow_get_service_task_id (EnrProcessFlow *self)
{
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (self), NULL);

  return self->service_task_id;
}

void
enr_process_flow_set_service_task_id (EnrProcessFlow *self,
                                      const char     *service_task_id)
{
  g_return_if_fail (ENR_IS_PROCESS_FLOW (self));

  if (enr_set_string (&self->service_task_id, service_task_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE_TASK_ID]);
}

EnrTaskKind
enr_process_flow_get_kind (EnrProcessFlow *self)
{
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (self), ENR_TASK_KIND_ENROLLMENT);

  return self->kind;
}

void
enr_process_flow_set_kind (EnrProcessFlow *self,
                           EnrTaskKind     kind)
{
  g_return_if_fail (ENR_IS_PROCESS_FLOW (self));

  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

EnrFlowStatus
enr_process_flow_get_status (EnrProcessFlow *self)
{
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (self), ENR_FLOW_STATUS_OPEN);

  return self->status;
}

void
enr_process_flow_set_status (EnrProcessFlow *self,
                             EnrFlowStatus   status)
{
  g_return_if_fail (ENR_IS_PROCESS_FLOW (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

EnrPanel
enr_process_flow_get_current_panel (EnrProcessFlow *self)
{
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (self), ENR_PANEL_CUSTOMER);

  return self->current_panel;
}

void
enr_process_flow_set_current_panel (EnrProcessFlow *self,
                                    EnrPanel        current_panel)
{
  g_return_if_fail (ENR_IS_PROCESS_FLOW (self));

  if (self->current_panel == current_panel)
    return;

  self->current_panel = current_panel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PANEL]);
}

const char * const *
enr_process_flow_get_visited (EnrProcessFlow *self)
{
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (self), NULL);

  return (const char * const *) self->visited;
}

void
enr_process_flow_set_visited (EnrProcessFlow     *self,
                              const char * const *visited)
{
  g_return_if_fail (ENR_IS_PROCESS_FLOW (self));

  if (enr_set_strv (&self->visited, visited))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISITED]);
}

EnrServiceTask *
enr_process_flow_get_task (EnrProcessFlow *self)
{
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (self), NULL);

  return self->task;
}

void
enr_process_flow_set_task (EnrProcessFlow *self,
                           EnrServiceTask *task)
{
  g_return_if_fail (ENR_IS_PROCESS_FLOW (self));
  g_return_if_fail (task == NULL || ENR_IS_SERVICE_TASK (task));

  if (g_set_object (&self->task, task))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}

gint64
enr_process_flow_get_version (EnrProcessFlow *self)
{
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (self), 0);

  return self->version;
}

void
enr_process_flow_set_version (EnrProcessFlow *self,
                              gint64          version)
{
  g_return_if_fail (ENR_IS_PROCESS_FLOW (self));
  g_return_if_fail (version >= 0);

  if (self->version == version)
    return;

  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

GDateTime *
enr_process_flow_get_updated_at (EnrProcessFlow *self)
{
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (self), NULL);

  return self->updated_at;
}

void
enr_process_flow_set_updated_at (EnrProcessFlow *self,
                                 GDateTime      *updated_at)
{
  g_return_if_fail (ENR_IS_PROCESS_FLOW (self));

  if (enr_set_date_time (&self->updated_at, updated_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

gboolean
enr_process_flow_has_visited (EnrProcessFlow *self,
                              EnrPanel        panel)
{
  const char *nick;

  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (self), FALSE);

  nick = enr_enum_to_nick (ENR_TYPE_PANEL, panel);

  return (nick != NULL &&
          self->visited != NULL &&
          g_strv_contains ((const char * const *) self->visited, nick));
}

/* enr-lifecycle.h — status transitions of service tasks and process flows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-enums.h"
#include "enr-process-flow.h"
#include "enr-service-task.h"
#include "enr-service-task-type.h"

G_BEGIN_DECLS

#define ENR_LIFECYCLE_ERROR (enr_lifecycle_error_quark ())

typedef enum
{
  ENR_LIFECYCLE_ERROR_ILLEGAL_TRANSITION,
} EnrLifecycleError;

GQuark   enr_lifecycle_error_quark          (void);

gboolean enr_task_status_is_final           (EnrTaskStatus       status);
gboolean enr_task_transition_allowed        (EnrTaskStatus       from,
                                             EnrTaskStatus       to);
gboolean enr_service_task_transition        (EnrServiceTask     *task,
                                             EnrTaskStatus       to,
                                             const char         *by,
                                             GDateTime          *at,
                                             const char         *reason,
                                             GError            **error);
gboolean enr_service_task_is_expired        (EnrServiceTask     *task,
                                             EnrServiceTaskType *task_type,
                                             const GDate        *today);

gboolean enr_flow_status_is_final           (EnrFlowStatus       status);
gboolean enr_flow_transition_allowed        (EnrFlowStatus       from,
                                             EnrFlowStatus       to);
gboolean enr_process_flow_transition        (EnrProcessFlow     *flow,
                                             EnrFlowStatus       to,
                                             GError            **error);

G_END_DECLS

/* enr-device-setup.h — which work activities a device setup creates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-enums.h"
#include "enr-service-task.h"
#include "enr-service-task-type.h"

G_BEGIN_DECLS

GPtrArray *enr_device_setup_activities             (EnrServiceTaskType *type,
                                                    EnrTaskKind         kind,
                                                    int                 method,
                                                    EnrAssetOwnership   ownership);
GPtrArray *enr_device_setup_activities_for_task    (EnrServiceTaskType *type,
                                                    EnrServiceTask     *task);
gboolean   enr_device_setup_needs_ownership        (EnrServiceTaskType *type,
                                                    EnrTaskKind         kind,
                                                    int                 method);
gboolean   enr_device_setup_needs_ownership_for_task (EnrServiceTaskType *type,
                                                      EnrServiceTask     *task);
GPtrArray *enr_device_setup_resolve_activity_types (GPtrArray          *activity_ids,
                                                    GPtrArray          *activity_types);
GPtrArray *enr_device_setup_required_appointments  (GPtrArray          *activity_ids,
                                                    GPtrArray          *activity_types);

G_END_DECLS

/* enr-service-tasks.h — helpers shared by the task and communication handlers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-service-request.h"

G_BEGIN_DECLS

#define ENR_SERVICE_MAX_ID 64

gboolean enr_service_task_visible_to (EnrServiceRequest *req,
                                      EnrServiceTask    *task);
gboolean enr_service_assign_id       (EnrServiceRequest *req,
                                      EnrEntity         *entity,
                                      GType              type);
guint    enr_service_expire_tasks    (EnrServiceStore   *store,
                                      GDateTime         *now);

G_END_DECLS

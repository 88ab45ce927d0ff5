/* enr-process-flow.h — the walk through the panels for one service task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-entity.h"
#include "enr-enums.h"
#include "enr-service-task.h"

G_BEGIN_DECLS

#define ENR_TYPE_PROCESS_FLOW (enr_process_flow_get_type ())

G_DECLARE_FINAL_TYPE (EnrProcessFlow, enr_process_flow, ENR, PROCESS_FLOW, EnrEntity)

EnrProcessFlow     *enr_process_flow_new                 (void);
const char         *enr_process_flow_get_service_task_id (EnrProcessFlow *self);
void                enr_process_flow_set_service_task_id (EnrProcessFlow *self,
                                                          const char     *service_task_id);
EnrTaskKind         enr_process_flow_get_kind            (EnrProcessFlow *self);
void                enr_process_flow_set_kind            (EnrProcessFlow *self,
                                                          EnrTaskKind     kind);
EnrFlowStatus       enr_process_flow_get_status          (EnrProcessFlow *self);
void                enr_process_flow_set_status          (EnrProcessFlow *self,
                                                          EnrFlowStatus   status);
EnrPanel            enr_process_flow_get_current_panel   (EnrProcessFlow *self);
void                enr_process_flow_set_current_panel   (EnrProcessFlow *self,
                                                          EnrPanel        current_panel);
const char * const *enr_process_flow_get_visited         (EnrProcessFlow *self);
void                enr_process_flow_set_visited         (EnrProcessFlow     *self,
                                                          const char * const *visited);
EnrServiceTask     *enr_process_flow_get_task            (EnrProcessFlow *self);
void                enr_process_flow_set_task            (EnrProcessFlow *self,
                                                          EnrServiceTask *task);
gint64              enr_process_flow_get_version         (EnrProcessFlow *self);
void                enr_process_flow_set_version         (EnrProcessFlow *self,
                                                          gint64          version);
GDateTime          *enr_process_flow_get_updated_at      (EnrProcessFlow *self);
void                enr_process_flow_set_updated_at      (EnrProcessFlow *self,
                                                          GDateTime      *updated_at);
gboolean            enr_process_flow_has_visited         (EnrProcessFlow *self,
                                                          EnrPanel        panel);

G_END_DECLS

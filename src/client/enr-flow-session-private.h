/* enr-flow-session-private.h — what the flow session's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-flow-session.h"

G_BEGIN_DECLS

struct _EnrFlowSession
{
  GObject                 parent_instance;

  EnrContext             *context;
  EnrProcessFlow         *flow;
  EnrStepPlan            *plan;

  EnrCustomer            *customer;
  GPtrArray              *metered_services;
  EnrMeteredService      *metered_service;
  EnrServicePoint        *service_point;
  EnrDeviceLocation      *device_location;
  EnrProgram             *program;
  EnrProgramType         *program_type;
  EnrServiceTaskType     *task_type;
  EnrActionMethod        *action_method;
  EnrInitiative          *initiative;
  EnrProgramSubscription *subscription;
  GPtrArray              *offered_devices;
  GPtrArray              *activity_catalog;
  GPtrArray              *activities;
  GPtrArray              *appointment_activities;

  guint                   save_source;
  guint                   dirty : 1;
};

/* enr-flow-session.c */
gpointer  _enr_flow_session_find_entity              (GPtrArray      *array,
                                                      const char     *id);
void      _enr_flow_session_resolve                  (EnrFlowSession *self);
void      _enr_flow_session_compute_activities       (EnrFlowSession *self);
void      _enr_flow_session_commit                   (EnrFlowSession *self,
                                                      const char     *what,
                                                      gboolean        typing);
void      _enr_flow_session_commit_full              (EnrFlowSession *self,
                                                      const char     *what,
                                                      gboolean        typing,
                                                      gboolean        changes);

/* enr-flow-session-edits.c */
gboolean  _enr_flow_session_fill_interaction         (EnrContext     *context,
                                                      EnrServiceTask *task,
                                                      EnrPanel        panel);

/* enr-flow-session-factory.c */
char     *_enr_flow_session_first_device_location_id (EnrContext     *context,
                                                      const char     *service_point_id);

G_END_DECLS

/* enr-monitor-actions.h — what a supervisor does to a service task
 *
 * Every action changes the cached task and queues its operation for the
 * service in one transaction of the client store, so it works offline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-context.h"
#include "enr-outbox.h"

G_BEGIN_DECLS

typedef enum
{
  ENR_CONFLICT_CHOICE_KEEP_MINE,
  ENR_CONFLICT_CHOICE_TAKE_THEIRS,
  ENR_CONFLICT_CHOICE_SAVE_AS_NEW,
} EnrConflictChoice;

gboolean        enr_monitor_task_can_open             (EnrServiceTask     *task);
gboolean        enr_monitor_task_can_cancel           (EnrServiceTask     *task);
gboolean        enr_monitor_task_can_reschedule       (EnrServiceTask     *task);
gboolean        enr_monitor_task_can_complete         (EnrServiceTask     *task);
GPtrArray      *enr_monitor_task_booked_appointments  (EnrServiceTask     *task);
EnrAppointment *enr_monitor_task_next_appointment     (EnrServiceTask     *task);

EnrProcessFlow *enr_monitor_open_flow                 (EnrContext         *context,
                                                       EnrServiceTask     *task,
                                                       GError            **error);
gboolean        enr_monitor_cancel_task               (EnrContext         *context,
                                                       EnrServiceTask     *task,
                                                       const char         *reason,
                                                       GError            **error);
gboolean        enr_monitor_complete_field_work       (EnrContext         *context,
                                                       EnrServiceTask     *task,
                                                       GError            **error);
gboolean        enr_monitor_reschedule                (EnrContext         *context,
                                                       EnrServiceTask     *task,
                                                       GPtrArray          *moves,
                                                       GError            **error);

GPtrArray      *enr_monitor_list_task_operations      (EnrStore           *store,
                                                       const char         *task_id,
                                                       GError            **error);
GPtrArray      *enr_monitor_list_unresolved           (EnrStore           *store,
                                                       GError            **error);
GHashTable     *enr_monitor_list_unsent_tasks         (EnrStore           *store,
                                                       GError            **error);
gboolean        enr_monitor_resolve_conflict          (EnrContext         *context,
                                                       gint64              seq,
                                                       EnrConflictChoice   choice,
                                                       EnrProcessFlow    **new_flow,
                                                       GError            **error);
const char     *enr_operation_kind_label              (EnrOperationKind    kind);
const char     *enr_operation_state_label             (EnrOperationState   state);

G_END_DECLS

/* enr-lifecycle.c — status transitions of service tasks and process flows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Service task (DOMAIN.md "Life cycles"):
 *
 *   Pending     → Validate     Finish sends the task for validation
 *   Validate    → Error        validation failed (reasons on the task)
 *   Validate    → In Progress  field work or shipping outstanding
 *   Validate    → Completed    no field work
 *   Error       → Pending      corrected, resubmitted
 *   In Progress → Completed    field work done
 *   any non-final → Canceled   Cancel Process, a supervisor, expiry
 *
 * Completed and Canceled are final; a status never "changes" to itself.
 *
 * Process flow: Open → Closed (Finish), Open → Canceled (Cancel Process).
 */

#include "config.h"

#include "enr-lifecycle.h"
#include "enr-enum-labels.h"

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (enr-lifecycle-error-quark, enr_lifecycle_error)

static gboolean
task_status_is_valid (int status)
{
  return status >= ENR_TASK_STATUS_PENDING && status <= ENR_TASK_STATUS_CANCELED;
}

static gboolean
flow_status_is_valid (int status)
{
  return status >= ENR_FLOW_STATUS_OPEN && status <= ENR_FLOW_STATUS_CANCELED;
}

gboolean
enr_task_status_is_final (EnrTaskStatus status)
{
  return status == ENR_TASK_STATUS_COMPLETED || status == ENR_TASK_STATUS_CANCELED;
}

gboolean
enr_task_transition_allowed (EnrTaskStatus from,
                             EnrTaskStatus to)
{
  g_return_val_if_fail (task_status_is_valid (from), FALSE);
  g_return_val_if_fail (task_status_is_valid (to), FALSE);

  if (enr_task_status_is_final (from) || from == to)
    return FALSE;

  if (to == ENR_TASK_STATUS_CANCELED)
    return TRUE;

  switch (from)
    {
    case ENR_TASK_STATUS_PENDING:
      return to == ENR_TASK_STATUS_VALIDATE;

    case ENR_TASK_STATUS_VALIDATE:
      return to == ENR_TASK_STATUS_ERROR ||
             to == ENR_TASK_STATUS_IN_PROGRESS ||
             to == ENR_TASK_STATUS_COMPLETED;

    case ENR_TASK_STATUS_ERROR:
      return to == ENR_TASK_STATUS_PENDING;

    case ENR_TASK_STATUS_IN_PROGRESS:
      return to == ENR_TASK_STATUS_COMPLETED;

    case ENR_TASK_STATUS_COMPLETED:
    case ENR_TASK_STATUS_CANCELED:
    default:
      return FALSE;
    }
}

static char *
describe_illegal_task_transition (EnrTaskStatus from,
                                  EnrTaskStatus to)
{
  if (from == to)
    return g_strdup_printf (_("The service task is already “%s”"), enr_task_status_label (to));

  if (from == ENR_TASK_STATUS_COMPLETED && to == ENR_TASK_STATUS_CANCELED)
    return g_strdup (_("A completed service task cannot be canceled"));

  if (from == ENR_TASK_STATUS_COMPLETED)
    return g_strdup_printf (_("A completed service task is final and cannot become “%s”"),
                            enr_task_status_label (to));

  if (from == ENR_TASK_STATUS_CANCELED)
    return g_strdup_printf (_("A canceled service task is final and cannot become “%s”"),
                            enr_task_status_label (to));

  if (to == ENR_TASK_STATUS_COMPLETED || to == ENR_TASK_STATUS_IN_PROGRESS)
    return g_strdup_printf (_("A service task must pass validation before it becomes “%s”"),
                            enr_task_status_label (to));

  if (to == ENR_TASK_STATUS_ERROR)
    return g_strdup (_("Only a service task being validated can fail validation"));

  return g_strdup_printf (_("A service task cannot go from “%s” to “%s”"),
                          enr_task_status_label (from), enr_task_status_label (to));
}

/**
 * enr_service_task_transition:
 * @task: a service task
 * @to: the new status
 * @by: the user name of who makes the change
 * @at: (nullable): when; %NULL = now
 * @reason: (nullable): why, for the history
 * @error: return location for an #ENR_LIFECYCLE_ERROR
 *
 * Sets @task's status to @to and appends the transition to its history,
 * when the life cycle allows it; nothing else on @task changes.
 *
 * Returns: %TRUE on success; %FALSE with
 *   %ENR_LIFECYCLE_ERROR_ILLEGAL_TRANSITION, @task untouched
 */
gboolean
enr_service_task_transition (EnrServiceTask *task,
                             EnrTaskStatus   to,
                             const char     *by,
                             GDateTime      *at,
                             const char     *reason,
                             GError        **error)
{
  g_autoptr(EnrTaskTransition) transition = NULL;
  g_autoptr(GDateTime) now = NULL;
  EnrTaskStatus from;

  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), FALSE);
  g_return_val_if_fail (task_status_is_valid (to), FALSE);
  g_return_val_if_fail (by != NULL && *by != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  from = enr_service_task_get_status (task);

  if (!enr_task_transition_allowed (from, to))
    {
      g_autofree char *message = describe_illegal_task_transition (from, to);

      g_set_error_literal (error, ENR_LIFECYCLE_ERROR,
                           ENR_LIFECYCLE_ERROR_ILLEGAL_TRANSITION, message);
      return FALSE;
    }

  if (at == NULL)
    at = now = g_date_time_new_now_utc ();

  transition = enr_task_transition_new ();
  enr_task_transition_set_from (transition, from);
  enr_task_transition_set_to (transition, to);
  enr_task_transition_set_by (transition, by);
  enr_task_transition_set_at (transition, at);
  enr_task_transition_set_reason (transition, reason);

  enr_service_task_set_status (task, to);
  enr_service_task_add_transition (task, transition);

  return TRUE;
}

/**
 * enr_service_task_is_expired:
 * @task: a service task
 * @task_type: its service task type
 * @today: (nullable): today's date; %NULL = the local date now
 *
 * A task expires when it is not final and more than the type's expiration
 * days have passed since the date it was created (in the offset it was
 * created with): created on 1 March with 10 days, it is still valid on
 * 11 March and expired on 12 March. Zero expiration days never expire; a
 * task without a creation time does not expire.
 *
 * Returns: whether @task should be canceled for expiry
 */
gboolean
enr_service_task_is_expired (EnrServiceTask     *task,
                             EnrServiceTaskType *task_type,
                             const GDate        *today)
{
  GDateTime *created_at;
  int days, year, month, day;
  GDate deadline;
  GDate local_today;

  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), FALSE);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK_TYPE (task_type), FALSE);
  g_return_val_if_fail (today == NULL || g_date_valid (today), FALSE);

  if (enr_task_status_is_final (enr_service_task_get_status (task)))
    return FALSE;

  days = enr_service_task_type_get_expiration_days (task_type);
  created_at = enr_service_task_get_created_at (task);
  if (days <= 0 || created_at == NULL)
    return FALSE;

  if (today == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_time_get_ymd (now, &year, &month, &day);
      g_date_clear (&local_today, 1);
      g_date_set_dmy (&local_today, day, month, year);
      today = &local_today;
    }

  g_date_time_get_ymd (created_at, &year, &month, &day);
  g_date_clear (&deadline, 1);
  g_date_set_dmy (&deadline, day, month, year);
  g_date_add_days (&deadline, days);

  return g_date_compare (&deadline, today) < 0;
}

gboolean
enr_flow_status_is_final (EnrFlowStatus status)
{
  return status == ENR_FLOW_STATUS_CLOSED || status == ENR_FLOW_STATUS_CANCELED;
}

gboolean
enr_flow_transition_allowed (EnrFlowStatus from,
                             EnrFlowStatus to)
{
  g_return_val_if_fail (flow_status_is_valid (from), FALSE);
  g_return_val_if_fail (flow_status_is_valid (to), FALSE);

  return from == ENR_FLOW_STATUS_OPEN && enr_flow_status_is_final (to);
}

static char *
describe_illegal_flow_transition (EnrFlowStatus from,
                                  EnrFlowStatus to)
{
  if (from == to)
    return g_strdup_printf (_("The process flow is already “%s”"), enr_flow_status_label (to));

  if (from == ENR_FLOW_STATUS_CLOSED && to == ENR_FLOW_STATUS_CANCELED)
    return g_strdup (_("A finished process flow cannot be canceled"));

  if (from == ENR_FLOW_STATUS_CANCELED && to == ENR_FLOW_STATUS_CLOSED)
    return g_strdup (_("A canceled process flow cannot be finished"));

  if (from == ENR_FLOW_STATUS_CLOSED)
    return g_strdup (_("A finished process flow cannot be reopened"));

  return g_strdup (_("A canceled process flow cannot be reopened"));
}

/**
 * enr_process_flow_transition:
 * @flow: a process flow
 * @to: the new status
 * @error: return location for an #ENR_LIFECYCLE_ERROR
 *
 * Sets @flow's status to @to when the life cycle allows it; nothing else
 * on @flow changes.
 *
 * Returns: %TRUE on success; %FALSE with
 *   %ENR_LIFECYCLE_ERROR_ILLEGAL_TRANSITION, @flow untouched
 */
gboolean
enr_process_flow_transition (EnrProcessFlow *flow,
                             EnrFlowStatus   to,
                             GError        **error)
{
  EnrFlowStatus from;

  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (flow), FALSE);
  g_return_val_if_fail (flow_status_is_valid (to), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  from = enr_process_flow_get_status (flow);

  if (!enr_flow_transition_allowed (from, to))
    {
      g_autofree char *message = describe_illegal_flow_transition (from, to);

      g_set_error_literal (error, ENR_LIFECYCLE_ERROR,
                           ENR_LIFECYCLE_ERROR_ILLEGAL_TRANSITION, message);
      return FALSE;
    }

  enr_process_flow_set_status (flow, to);

  return TRUE;
}

/* enr-store-enums.h — code lists of the client store
 *
 * Value nicks are what the store writes into its database; keep them stable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  ENR_OPERATION_KIND_CREATE_TASK,          /*< nick=create-task >*/
  ENR_OPERATION_KIND_SAVE_TASK,            /*< nick=save-task >*/
  ENR_OPERATION_KIND_FINISH_TASK,          /*< nick=finish-task >*/
  ENR_OPERATION_KIND_CANCEL_TASK,          /*< nick=cancel-task >*/
  ENR_OPERATION_KIND_CREATE_COMMUNICATION, /*< nick=create-communication >*/
  ENR_OPERATION_KIND_RESCHEDULE,           /*< nick=reschedule >*/
  ENR_OPERATION_KIND_COMPLETE_FIELD_WORK,  /*< nick=complete-field-work >*/
} EnrOperationKind;

typedef enum
{
  ENR_OPERATION_STATE_PENDING,   /*< nick=pending >*/
  ENR_OPERATION_STATE_IN_FLIGHT, /*< nick=in-flight >*/
  ENR_OPERATION_STATE_DONE,      /*< nick=done >*/
  ENR_OPERATION_STATE_CONFLICT,  /*< nick=conflict >*/
  ENR_OPERATION_STATE_REJECTED,  /*< nick=rejected >*/
} EnrOperationState;

#define ENR_OPERATION_N_STATES (ENR_OPERATION_STATE_REJECTED + 1)

typedef enum
{
  ENR_TASK_SORT_CREATED_AT, /*< nick=created-at >*/
  ENR_TASK_SORT_UPDATED_AT, /*< nick=updated-at >*/
  ENR_TASK_SORT_STATUS,     /*< nick=status >*/
  ENR_TASK_SORT_KIND,       /*< nick=kind >*/
  ENR_TASK_SORT_PROGRAM,    /*< nick=program >*/
  ENR_TASK_SORT_CREATED_BY, /*< nick=created-by >*/
} EnrTaskSort;

G_END_DECLS

/* enr-task-list-model.h — every cached service task, read page by page
 *
 * A GListModel of EnrServiceTask over the store's service_tasks table with
 * a filter and a sort order. Rows are read on demand, a page at a time,
 * and only a window of pages is kept; n-items comes from the store's
 * counts per program, status and kind (service_task_counts) when the
 * filter names no other column, else from COUNT(*). Changing the filter or the sort, or a change of the
 * store's service tasks, rebuilds the model (one items-changed signal
 * replacing every item); enr_task_list_model_freeze() and _thaw() make
 * several changes one rebuild.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-store.h"

G_BEGIN_DECLS

/* Any kind (enr_task_list_model_set_kind()). */
#define ENR_TASK_LIST_ANY_KIND (-1)

/* Rows per page, pages kept in memory. */
#define ENR_TASK_LIST_PAGE_SIZE   100
#define ENR_TASK_LIST_MAX_PAGES   16

#define ENR_TYPE_TASK_LIST_MODEL (enr_task_list_model_get_type ())

G_DECLARE_FINAL_TYPE (EnrTaskListModel, enr_task_list_model, ENR, TASK_LIST_MODEL, GObject)

EnrTaskListModel *enr_task_list_model_new                (EnrStore         *store);
EnrStore         *enr_task_list_model_get_store          (EnrTaskListModel *self);
guint             enr_task_list_model_get_status_mask    (EnrTaskListModel *self);
void              enr_task_list_model_set_status_mask    (EnrTaskListModel *self,
                                                          guint             status_mask);
int               enr_task_list_model_get_kind           (EnrTaskListModel *self);
void              enr_task_list_model_set_kind           (EnrTaskListModel *self,
                                                          int               kind);
const char       *enr_task_list_model_get_program_id     (EnrTaskListModel *self);
void              enr_task_list_model_set_program_id     (EnrTaskListModel *self,
                                                          const char       *program_id);
const char       *enr_task_list_model_get_created_by     (EnrTaskListModel *self);
void              enr_task_list_model_set_created_by     (EnrTaskListModel *self,
                                                          const char       *created_by);
guint             enr_task_list_model_get_min_age_days   (EnrTaskListModel *self);
void              enr_task_list_model_set_min_age_days   (EnrTaskListModel *self,
                                                          guint             days);
guint             enr_task_list_model_get_max_age_days   (EnrTaskListModel *self);
void              enr_task_list_model_set_max_age_days   (EnrTaskListModel *self,
                                                          guint             days);
const char       *enr_task_list_model_get_customer_text  (EnrTaskListModel *self);
void              enr_task_list_model_set_customer_text  (EnrTaskListModel *self,
                                                          const char       *text);
EnrTaskSort       enr_task_list_model_get_sort           (EnrTaskListModel *self);
void              enr_task_list_model_set_sort           (EnrTaskListModel *self,
                                                          EnrTaskSort       sort);
gboolean          enr_task_list_model_get_descending     (EnrTaskListModel *self);
void              enr_task_list_model_set_descending     (EnrTaskListModel *self,
                                                          gboolean          descending);
void              enr_task_list_model_refresh            (EnrTaskListModel *self);
guint             enr_task_list_model_get_position       (EnrTaskListModel *self,
                                                          const char       *task_id);
void              enr_task_list_model_freeze             (EnrTaskListModel *self);
void              enr_task_list_model_thaw               (EnrTaskListModel *self);
const GError     *enr_task_list_model_get_error          (EnrTaskListModel *self);

G_END_DECLS

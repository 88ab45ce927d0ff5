/* enr-task-list-model-private.h — what the task list model's files share
 *
 * enr-task-list-model.c keeps the pages and the GListModel;
 * enr-task-list-model-query.c writes and runs its SQL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-store-private.h"
#include "enr-task-list-model.h"

G_BEGIN_DECLS

#define SECONDS_A_DAY 86400
#define ALL_STATUSES  ((1u << (ENR_TASK_STATUS_CANCELED + 1)) - 1)

typedef struct
{
  sqlite3_value *first_key;
  gint64         first_seq;
  sqlite3_value *last_key;
  gint64         last_seq;
} Anchor;

/* A task as read: its JSON until someone asks for the task. */
typedef struct
{
  char           *id;
  char           *json;
  int             length;
  EnrServiceTask *task;
} Row;

typedef struct
{
  GArray  *rows;
  guint64  used;
} Page;

struct _EnrTaskListModel
{
  GObject      parent_instance;

  EnrStore    *store;

  guint        status_mask;
  int          kind;
  char        *program_id;
  char        *created_by;
  guint        min_age_days;
  guint        max_age_days;
  char        *customer_text;
  EnrTaskSort  sort;
  gboolean     descending;

  guint        small_result;
  guint        constructed : 1;
  guint        frozen;
  guint        dirty : 1;
  guint        other_filters : 1;
  guint        counted_by_group : 1;  /* the filter names only status, kind, program */
  guint        n_items;
  char        *counted_where;
  sqlite3_stmt *fetch_stmts[2][2];
  gboolean     null_keys;     /* a large result has rows with no sort key */
  guint        counted;
  GArray      *seqs;
  GHashTable  *pages;
  GPtrArray   *evicted;
  guint        free_source;
  GHashTable  *anchors;
  guint64      tick;
  char        *where_plain;
  char        *where_driven;
  GPtrArray   *params;
  char        *customers_table;
  GError      *error;
};

GArray         *_enr_task_list_rows_new          (guint              reserved);
void            _enr_task_list_rows_add          (GArray            *rows,
                                                  const char        *id,
                                                  const char        *json,
                                                  gsize              length);
const char     *_enr_task_list_sort_column       (EnrTaskListModel  *self);
void            _enr_task_list_build_where       (EnrTaskListModel  *self);
sqlite3_stmt   *_enr_task_list_prepare           (EnrTaskListModel  *self,
                                                  const char        *sql,
                                                  GError           **error);
EnrServiceTask *_enr_task_list_row_get_task      (Row               *row);
gboolean        _enr_task_list_find_customers    (EnrTaskListModel  *self,
                                                  GError           **error);
gboolean        _enr_task_list_check_null_keys   (EnrTaskListModel  *self,
                                                  GError           **error);
char           *_enr_task_list_count_sql         (EnrTaskListModel  *self);
gboolean        _enr_task_list_count_rows        (EnrTaskListModel  *self,
                                                  guint             *n_items,
                                                  GError           **error);
gboolean        _enr_task_list_load_seqs         (EnrTaskListModel  *self,
                                                  GError           **error);
GArray         *_enr_task_list_fetch_small       (EnrTaskListModel  *self,
                                                  guint              start,
                                                  guint              count,
                                                  GError           **error);
GArray         *_enr_task_list_fetch_large       (EnrTaskListModel  *self,
                                                  guint              page_index,
                                                  guint              start,
                                                  guint              count,
                                                  GError           **error);
void            _enr_task_list_clear_fetch_stmts (EnrTaskListModel  *self);

gboolean        _enr_task_list_find_position     (EnrTaskListModel  *self,
                                                  const char        *task_id,
                                                  guint             *position,
                                                  GError           **error);

G_END_DECLS

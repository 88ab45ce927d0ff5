/* enr-service-store.h — the service's store
 *
 * One connection of the database layer (enr-db.h): an SQLite file (WAL,
 * synchronous=FULL, foreign keys; the service is its only writer) with
 * numbered migrations. Decoded reference data and signed-in sessions are
 * cached; the cache is only right because this connection is the
 * database's only writer. Records are kept as their canonical JSON
 * (enr_codec_encode_string()) plus the columns the queries need, bound by
 * the database layer's rules. Nothing above this file sees SQL except
 * through the few query functions below. Errors are in ENR_DB_ERROR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "enr-db.h"
#include "enr-service-task.h"

G_BEGIN_DECLS

#define ENR_SERVICE_SCHEMA_VERSION 13

typedef struct
{
  char   *method;
  char   *path;
  char   *body_hash;
  guint   status;
  char   *content_type;
  char   *etag;
  char   *location;
  GBytes *body;
} EnrServiceStoredResponse;

typedef struct
{
  gint64  seq;
  char   *type;
  char   *id;
  gint64  version;
  gboolean deleted;
  char   *json;
  gint64  at;
} EnrServiceChange;

#define ENR_TYPE_SERVICE_STORE (enr_service_store_get_type ())

G_DECLARE_FINAL_TYPE (EnrServiceStore, enr_service_store, ENR, SERVICE_STORE, GObject)

typedef enum
{
  ENR_SERVICE_STORE_OPEN_DEFAULT = 0,
  ENR_SERVICE_STORE_MIGRATE      = 1 << 0,   /* PostgreSQL: bring an older schema up to date */
} EnrServiceStoreOpenFlags;

typedef struct _EnrServiceCaches EnrServiceCaches;

EnrServiceStore *enr_service_store_open               (const char       *target,
                                                       GError          **error);
EnrServiceStore *enr_service_store_open_full          (const char       *target,
                                                       EnrServiceStoreOpenFlags flags,
                                                       GError          **error);
void             enr_service_store_close              (EnrServiceStore  *self);
EnrDb           *enr_service_store_get_db             (EnrServiceStore  *self);
EnrDbBackend     enr_service_store_get_backend        (EnrServiceStore  *self);
void             enr_service_store_share_caches       (EnrServiceStore  *self,
                                                       EnrServiceStore  *with);
void             enr_service_store_invalidate_caches  (EnrServiceStore  *self);
const char      *enr_service_store_get_channel        (EnrServiceStore  *self);
gboolean         enr_service_store_take_changes_committed (EnrServiceStore *self);

gboolean         enr_service_store_exec               (EnrServiceStore  *self,
                                                       const char       *sql,
                                                       GError          **error);

gboolean         enr_service_store_begin              (EnrServiceStore  *self,
                                                       GError          **error);
gboolean         enr_service_store_begin_read         (EnrServiceStore  *self,
                                                       GError          **error);
gboolean         enr_service_store_commit             (EnrServiceStore  *self,
                                                       GError          **error);
void             enr_service_store_rollback           (EnrServiceStore  *self);
gboolean         enr_service_store_in_transaction     (EnrServiceStore  *self);
gboolean         enr_service_store_savepoint          (EnrServiceStore  *self,
                                                       GError          **error);
gboolean         enr_service_store_release            (EnrServiceStore  *self,
                                                       GError          **error);
gboolean         enr_service_store_rollback_to        (EnrServiceStore  *self,
                                                       GError          **error);
gboolean         enr_service_store_transaction_alive  (EnrServiceStore  *self);
gboolean         enr_service_store_has_deferred_violations (EnrServiceStore *self);

/* Entities: every EnrEntity subclass the service keeps has a table. */
const char      *enr_service_store_type_name          (GType             type);
GType            enr_service_store_type_from_name     (const char       *name);
gboolean         enr_service_store_import             (EnrServiceStore  *self,
                                                       gpointer          entity,
                                                       GError          **error);
gint64           enr_service_store_save               (EnrServiceStore  *self,
                                                       gpointer          entity,
                                                       const char       *owner,
                                                       GError          **error);
gpointer         enr_service_store_get                (EnrServiceStore  *self,
                                                       GType             type,
                                                       const char       *id,
                                                       GError          **error);
char            *enr_service_store_get_json           (EnrServiceStore  *self,
                                                       GType             type,
                                                       const char       *id,
                                                       gint64           *version,
                                                       GError          **error);
char            *enr_service_store_get_json_for_update (EnrServiceStore *self,
                                                        GType            type,
                                                        const char      *id,
                                                        gint64          *version,
                                                        GError         **error);
gboolean         enr_service_store_lock               (EnrServiceStore  *self,
                                                       GType             type,
                                                       const char       *id,
                                                       GError          **error);
gboolean         enr_service_store_lock_premises      (EnrServiceStore  *self,
                                                       GPtrArray        *premise_ids,
                                                       GError          **error);
GPtrArray       *enr_service_store_list               (EnrServiceStore  *self,
                                                       GType             type,
                                                       const char       *column,
                                                       const char       *value,
                                                       GError          **error);
GPtrArray       *enr_service_store_list_json          (EnrServiceStore  *self,
                                                       GType             type,
                                                       const char       *column,
                                                       const char       *value,
                                                       GError          **error);
gint64           enr_service_store_count              (EnrServiceStore  *self,
                                                       GType             type,
                                                       GError          **error);

gboolean         enr_service_store_import_code_value  (EnrServiceStore  *self,
                                                       gpointer          code_value,
                                                       GError          **error);
gboolean         enr_service_store_code_value_exists  (EnrServiceStore  *self,
                                                       const char       *list,
                                                       const char       *code);
GPtrArray       *enr_service_store_list_code_values_json (EnrServiceStore *self,
                                                          GError         **error);

/* Users and sessions */
gboolean         enr_service_store_import_user        (EnrServiceStore  *self,
                                                       gpointer          user,
                                                       const char       *password,
                                                       GError          **error);
gpointer         enr_service_store_find_user          (EnrServiceStore  *self,
                                                       const char       *username,
                                                       char            **password_hash,
                                                       GError          **error);
gboolean         enr_service_store_add_session        (EnrServiceStore  *self,
                                                       const char       *token_digest,
                                                       const char       *user_id,
                                                       gint64            created_at,
                                                       gint64            expires_at,
                                                       GError          **error);
gpointer         enr_service_store_find_session       (EnrServiceStore  *self,
                                                       const char       *token_digest,
                                                       gint64            now,
                                                       gint64           *expires_at,
                                                       GError          **error);
gpointer         enr_service_store_find_session_full  (EnrServiceStore  *self,
                                                       const char       *token_digest,
                                                       gint64            now,
                                                       gint64           *expires_at,
                                                       char            **user_json,
                                                       GError          **error);
EnrDbStmt       *enr_service_store_check_session      (EnrServiceStore  *self,
                                                       const char       *token_digest,
                                                       gint64            now,
                                                       GError          **error);
gboolean         enr_service_store_session_unchanged  (EnrServiceStore  *self,
                                                       EnrDbStmt        *check,
                                                       const char       *user_json,
                                                       gint64            expires_at,
                                                       gboolean         *unchanged,
                                                       GError          **error);
gboolean         enr_service_store_delete_session     (EnrServiceStore  *self,
                                                       const char       *token_digest,
                                                       GError          **error);

/* Sign-in throttling (enr-service-throttle.h): one row per key, times in
 * ms of real time */
typedef struct
{
  gboolean exists;
  gint64   failures;
  gint64   last_failure;
  gint64   locked_until;
  gint64   expires;
} EnrServiceThrottleRow;

gboolean         enr_service_store_get_throttle       (EnrServiceStore             *self,
                                                       const char                  *key,
                                                       EnrServiceThrottleRow       *row,
                                                       GError                     **error);
gboolean         enr_service_store_put_throttle       (EnrServiceStore             *self,
                                                       const char                  *key,
                                                       const EnrServiceThrottleRow *row,
                                                       GError                     **error);
gboolean         enr_service_store_delete_throttle    (EnrServiceStore             *self,
                                                       const char                  *key,
                                                       GError                     **error);
gboolean         enr_service_store_prune_throttle     (EnrServiceStore             *self,
                                                       gint64                       now,
                                                       guint                        max_rows,
                                                       GError                     **error);

/* Rate limit (PostgreSQL: shared by the instances) */
gboolean         enr_service_store_take_token         (EnrServiceStore  *self,
                                                       const char       *key,
                                                       double            rate,
                                                       double            burst,
                                                       guint            *wait,
                                                       GError          **error);
gboolean         enr_service_store_take_tokens        (EnrServiceStore  *self,
                                                       const char       *key,
                                                       double            rate,
                                                       double            burst,
                                                       guint             block,
                                                       guint            *granted,
                                                       guint            *wait,
                                                       GError          **error);
gboolean         enr_service_store_prune_rate_limits  (EnrServiceStore  *self,
                                                       double            rate,
                                                       double            burst,
                                                       guint             max_keys,
                                                       GError          **error);

/* Idempotency, change log, audit */
EnrServiceStoredResponse *
                 enr_service_store_find_response      (EnrServiceStore  *self,
                                                       const char       *user_id,
                                                       const char       *key,
                                                       GError          **error);
gboolean         enr_service_store_claim_response     (EnrServiceStore  *self,
                                                       const char       *user_id,
                                                       const char       *key,
                                                       const char       *method,
                                                       const char       *path,
                                                       const char       *body_hash,
                                                       gint64            now,
                                                       EnrServiceStoredResponse **stored,
                                                       GError          **error);
gboolean         enr_service_store_send_claim         (EnrServiceStore  *self,
                                                       const char       *user_id,
                                                       const char       *key,
                                                       const char       *method,
                                                       const char       *path,
                                                       const char       *body_hash,
                                                       gint64            now,
                                                       GError          **error);
gboolean         enr_service_store_check_claim        (EnrServiceStore  *self,
                                                       const char       *user_id,
                                                       const char       *key,
                                                       EnrServiceStoredResponse **stored,
                                                       GError          **error);
gboolean         enr_service_store_save_response      (EnrServiceStore  *self,
                                                       const char       *user_id,
                                                       const char       *key,
                                                       const EnrServiceStoredResponse *response,
                                                       gint64            now,
                                                       GError          **error);
void             enr_service_stored_response_free     (EnrServiceStoredResponse *response);

gboolean         enr_service_store_log_change         (EnrServiceStore  *self,
                                                       const char       *type,
                                                       const char       *id,
                                                       gint64            version,
                                                       const char       *owner,
                                                       const char       *json,
                                                       GError          **error);
gboolean         enr_service_store_changes            (EnrServiceStore  *self,
                                                       gint64            since,
                                                       guint             limit,
                                                       const char       *owner_filter,
                                                       GPtrArray       **changes,
                                                       gint64           *horizon,
                                                       gint64           *head,
                                                       gint64           *last,
                                                       GError          **error);
void             enr_service_change_free              (EnrServiceChange *change);
gboolean         enr_service_store_reset_change_log   (EnrServiceStore  *self,
                                                       GError          **error);
gboolean         enr_service_store_audit              (EnrServiceStore  *self,
                                                       gint64            at,
                                                       const char       *user_id,
                                                       const char       *username,
                                                       const char       *action,
                                                       const char       *entity_type,
                                                       const char       *entity_id,
                                                       guint             status,
                                                       GError          **error);
gboolean         enr_service_store_prune              (EnrServiceStore  *self,
                                                       gint64            now,
                                                       gint64            response_max_age,
                                                       gint64            change_retention,
                                                       GError          **error);

char            *enr_service_store_get_meta           (EnrServiceStore  *self,
                                                       const char       *key);
gboolean         enr_service_store_set_meta           (EnrServiceStore  *self,
                                                       const char       *key,
                                                       const char       *value,
                                                       GError          **error);
gboolean         enr_service_store_rebuild_search     (EnrServiceStore  *self,
                                                       GError          **error);

/* Queries of the endpoints; rows are JSON texts. */
typedef struct
{
  const char *customer_id;
  const char *status;        /* a task status nick, or NULL */
  gboolean    open_only;     /* not completed, not canceled */
  const char *program_id;
  const char *kind;
  const char *created_by;
  gint64      created_from;  /* Unix seconds, inclusive; G_MININT64 = none */
  gint64      created_to;    /* Unix seconds, exclusive; G_MAXINT64 = none */
  guint       offset;
  guint       limit;
} EnrServiceTaskFilter;

void             enr_service_task_filter_init         (EnrServiceTaskFilter *filter);
GPtrArray       *enr_service_store_search_customers   (EnrServiceStore  *self,
                                                       const char       *query,
                                                       guint             offset,
                                                       guint             limit,
                                                       GError          **error);
gboolean         enr_service_store_write_customer_search (EnrServiceStore  *self,
                                                          const char       *query,
                                                          guint             offset,
                                                          guint             page_size,
                                                          GString          *out,
                                                          gboolean         *more,
                                                          GError          **error);
/* The records of the customer view, as stored JSON */
typedef struct
{
  char      *customer;
  GPtrArray *metered_services;
  GPtrArray *service_points;
  GPtrArray *device_locations;
  GPtrArray *devices;
  GPtrArray *subscriptions;
  GPtrArray *service_tasks;
} EnrServiceCustomerView;

void             enr_service_customer_view_clear      (EnrServiceCustomerView *view);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EnrServiceCustomerView, enr_service_customer_view_clear)
GPtrArray       *enr_service_store_premise_subscriptions (EnrServiceStore *self,
                                                          const char      *customer_id,
                                                          const char      *premise_id,
                                                          GError         **error);
gboolean         enr_service_store_customer_view      (EnrServiceStore  *self,
                                                       const char       *customer_id,
                                                       EnrServiceTaskFilter *tasks,
                                                       EnrServiceCustomerView *view,
                                                       GError          **error);
GPtrArray       *enr_service_store_find_tasks         (EnrServiceStore  *self,
                                                       const EnrServiceTaskFilter *filter,
                                                       GError          **error);
gboolean         enr_service_store_record_consent     (EnrServiceStore  *self,
                                                       EnrServiceTask   *task,
                                                       GDateTime        *finished_at,
                                                       GError          **error);
GPtrArray       *enr_service_store_customer_consents  (EnrServiceStore  *self,
                                                       const char       *customer_id,
                                                       guint             offset,
                                                       guint             limit,
                                                       GError          **error);
GPtrArray       *enr_service_store_customer_communications (EnrServiceStore *self,
                                                            const char      *customer_id,
                                                            guint            offset,
                                                            guint            limit,
                                                            GError         **error);
GPtrArray       *enr_service_store_crew_shifts        (EnrServiceStore  *self,
                                                       const char       *crew_id,
                                                       const GDate      *from,
                                                       const GDate      *to,
                                                       GError          **error);
GPtrArray       *enr_service_store_booked_appointments (EnrServiceStore *self,
                                                        const GDate     *from,
                                                        const GDate     *to,
                                                        GError         **error);
/* One page of the bulk customer export: customers after position @after
 * in name order, with the records around them (JSON texts). */
typedef struct
{
  GPtrArray *customers;
  GPtrArray *metered_services;
  GPtrArray *service_points;
  GPtrArray *device_locations;
  GPtrArray *devices;
  GPtrArray *subscriptions;
  gint64     next;            /* the last position on the page; 0 when none follows */
  gint64     total;           /* customers in all */
} EnrServiceExport;

EnrServiceExport *
                 enr_service_store_export_customers   (EnrServiceStore  *self,
                                                       gint64            after,
                                                       guint             limit,
                                                       GError          **error);
void             enr_service_export_free              (EnrServiceExport *export);
gboolean         enr_service_store_exists             (EnrServiceStore  *self,
                                                       GType             type,
                                                       const char       *id);
char            *enr_service_store_asset_type_of      (EnrServiceStore  *self,
                                                       const char       *specification);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServiceStoredResponse, enr_service_stored_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServiceChange, enr_service_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServiceExport, enr_service_export_free)

G_END_DECLS

/* enr-api-decoders.h — the service's responses, read without trusting them
 *
 * Every decoder takes the raw body and fails with ENR_API_ERROR_PROTOCOL
 * (the message names the member) unless the document is strict JSON within
 * the size cap and every member has the type and range it must have;
 * records go through the core's codec. They never abort on any input, so
 * they are fuzz targets (tests/fuzz). This file needs only the core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-core.h"
#include "enr-sync-enums.h"

G_BEGIN_DECLS

#define ENR_API_ERROR (enr_api_error_quark ())

/* The largest response body read; a bigger one is a protocol error. */
#define ENR_API_MAX_RESPONSE      (16 * 1024 * 1024)
/* The largest problem document read. */
#define ENR_API_MAX_PROBLEM       (4 * 1024 * 1024)
#define ENR_API_MAX_FIELD_ERRORS  100
#define ENR_API_MAX_TOKEN         512

GQuark enr_api_error_quark (void);

/* A field error of a 422 problem. */
typedef struct
{
  char *field;
  char *message;
} EnrApiFieldError;

/**
 * EnrApiProblem:
 * @status: the HTTP status
 * @type: (nullable): the problem type URI
 * @title: (nullable): its short title
 * @detail: (nullable): the readable explanation
 * @errors: (element-type EnrApiFieldError): field errors (422)
 * @current: (nullable): the service's current record (412), as JSON
 * @cursor: where to continue after a full reload (410), or -1
 * @retry_after: the service's Retry-After in seconds, 0 when none
 *
 * An application/problem+json document (RFC 9457) and the headers that
 * go with it.
 */
typedef struct
{
  guint      status;
  char      *type;
  char      *title;
  char      *detail;
  GPtrArray *errors;
  char      *current;
  gint64     cursor;
  guint      retry_after;
} EnrApiProblem;

/* POST /v1/sessions */
typedef struct
{
  char      *token;
  GDateTime *expires_at;
  EnrUser   *user;
} EnrApiSession;

/* One entry of GET /v1/changes. @type is G_TYPE_INVALID when this client
 * does not know @type_name (a newer service); @object is %NULL when
 * @deleted. */
typedef struct
{
  gint64   cursor;
  char    *type_name;
  GType    type;
  char    *id;
  gint64   version;
  gboolean deleted;
  GObject *object;
} EnrApiChange;

typedef struct
{
  GPtrArray *changes;  /* EnrApiChange */
  gint64     cursor;
  gboolean   more;
} EnrApiChanges;

/* A page of a paged list (customers, service tasks). */
typedef struct
{
  GPtrArray *items;
  guint      page;
  guint      page_size;
  gboolean   more;
} EnrApiPage;

/* GET /v1/programs */
typedef struct
{
  GPtrArray *programs;
  GPtrArray *program_types;
  GPtrArray *initiatives;
} EnrApiPrograms;

/* GET /v1/customers/{id} */
typedef struct
{
  EnrCustomer *customer;
  GPtrArray   *metered_services;
  GPtrArray   *service_points;
  GPtrArray   *device_locations;
  GPtrArray   *devices;
  GPtrArray   *subscriptions;
  GPtrArray   *service_tasks;
} EnrApiCustomerView;

/* GET /v1/export/customers: a page of customers with their records;
 * @next is the cursor of the following page, %NULL on the last. Each
 * list of records comes with its row copies: the JSON text of each
 * record as the service sent it, in the same order (what the client
 * store keeps, without encoding the record again). */
typedef struct
{
  GPtrArray *customers;
  GPtrArray *metered_services;
  GPtrArray *service_points;
  GPtrArray *device_locations;
  GPtrArray *devices;
  GPtrArray *subscriptions;
  GPtrArray *customer_rows;
  GPtrArray *metered_service_rows;
  GPtrArray *service_point_rows;
  GPtrArray *device_location_rows;
  GPtrArray *device_rows;
  GPtrArray *subscription_rows;
  gint64     total;
  char      *next;
} EnrApiCustomerExport;

#define ENR_TYPE_API_PROBLEM (enr_api_problem_get_type ())

GType               enr_api_problem_get_type        (void) G_GNUC_CONST;
EnrApiProblem      *enr_api_problem_new             (guint                status);
EnrApiProblem      *enr_api_problem_copy            (const EnrApiProblem *problem);
void                enr_api_problem_free            (EnrApiProblem       *problem);
char               *enr_api_problem_describe        (const EnrApiProblem *problem);

void                enr_api_session_free            (EnrApiSession       *session);
void                enr_api_change_free             (EnrApiChange        *change);
void                enr_api_changes_free            (EnrApiChanges       *changes);
void                enr_api_page_free               (EnrApiPage          *page);
void                enr_api_programs_free           (EnrApiPrograms      *programs);
void                enr_api_customer_view_free      (EnrApiCustomerView  *view);
void                enr_api_customer_export_free    (EnrApiCustomerExport *export);

/* The decoders: (data, length, error), for the fuzz targets. */
EnrApiProblem      *enr_api_decode_problem          (const char  *data,
                                                     gsize        length,
                                                     GError     **error);
EnrApiSession      *enr_api_decode_session          (const char  *data,
                                                     gsize        length,
                                                     GError     **error);
EnrApiChanges      *enr_api_decode_changes          (const char  *data,
                                                     gsize        length,
                                                     GError     **error);
EnrApiPage         *enr_api_decode_customer_page    (const char  *data,
                                                     gsize        length,
                                                     GError     **error);
EnrApiPage         *enr_api_decode_task_page        (const char  *data,
                                                     gsize        length,
                                                     GError     **error);
EnrApiPrograms     *enr_api_decode_programs         (const char  *data,
                                                     gsize        length,
                                                     GError     **error);
EnrApiCustomerView *enr_api_decode_customer_view    (const char  *data,
                                                     gsize        length,
                                                     GError     **error);
EnrApiCustomerExport *
                    enr_api_decode_customer_export  (const char  *data,
                                                     gsize        length,
                                                     GError     **error);
EnrServiceTask     *enr_api_decode_task             (const char  *data,
                                                     gsize        length,
                                                     GError     **error);
EnrCustomerCommunication *
                    enr_api_decode_communication    (const char  *data,
                                                     gsize        length,
                                                     GError     **error);
GPtrArray          *enr_api_decode_code_values      (const char  *data,
                                                     gsize        length,
                                                     GError     **error);

/* Generic forms behind the above. */
EnrApiPage         *enr_api_decode_page             (GType        item_type,
                                                     const char  *data,
                                                     gsize        length,
                                                     GError     **error);
GPtrArray          *enr_api_decode_items            (GType        item_type,
                                                     const char  *data,
                                                     gsize        length,
                                                     GError     **error);
gpointer            enr_api_decode_record           (GType        type,
                                                     const char  *data,
                                                     gsize        length,
                                                     GError     **error);

/* The change feed's type names. */
GType               enr_api_type_from_change_name   (const char  *name);
const char         *enr_api_change_name             (GType        type);

/* Header values. */
gboolean            enr_api_parse_etag              (const char  *value,
                                                     gint64      *version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrApiProblem, enr_api_problem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrApiSession, enr_api_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrApiChange, enr_api_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrApiChanges, enr_api_changes_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrApiPage, enr_api_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrApiPrograms, enr_api_programs_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrApiCustomerView, enr_api_customer_view_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrApiCustomerExport, enr_api_customer_export_free)

G_END_DECLS

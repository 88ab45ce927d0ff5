/* enr-service-context.h — everything the rules need to know about a customer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "enr-core.h"
#include "enr-eligibility.h"
#include "enr-service-store.h"

G_BEGIN_DECLS

typedef struct
{
  EnrCustomer *customer;
  GPtrArray   *metered_services;   /* EnrMeteredService */
  GPtrArray   *service_points;     /* EnrServicePoint */
  GPtrArray   *device_locations;   /* EnrDeviceLocation */
  GPtrArray   *devices;            /* EnrDevice at those locations */
  GPtrArray   *subscriptions;      /* EnrProgramSubscription, any status */
  GPtrArray   *tasks;              /* EnrServiceTask, any status */
  GHashTable  *premise_subscriptions; /* premise id → GPtrArray of the
                                         EnrProgramSubscriptions of other
                                         accounts at that premise */
} EnrServiceCustomer;

typedef struct
{
  EnrProgram         *program;
  EnrProgramType     *program_type;
  EnrInitiative      *initiative;
  EnrServiceTaskType *enrollment_type;
  EnrServiceTaskType *unenrollment_type;
  GPtrArray          *catalog;    /* every EnrProgram: for the exclusions */
} EnrServiceProgram;

EnrServiceCustomer *enr_service_customer_load              (EnrServiceStore    *store,
                                                            const char         *customer_id,
                                                            GError            **error);
EnrServiceCustomer *enr_service_customer_load_parts        (EnrServiceStore    *store,
                                                            const char         *customer_id,
                                                            gboolean            with_tasks,
                                                            gboolean            for_write,
                                                            GError            **error);
void                enr_service_customer_free              (EnrServiceCustomer *self);
gpointer            enr_service_find_entity                (GPtrArray          *entities,
                                                            const char         *id);
EnrServicePoint    *enr_service_customer_service_point_of  (EnrServiceCustomer *self,
                                                            EnrMeteredService  *metered_service);
GPtrArray          *enr_service_customer_devices_at        (EnrServiceCustomer *self,
                                                            const char         *device_location_id);

EnrServiceProgram  *enr_service_program_load               (EnrServiceStore    *store,
                                                            const char         *program_id,
                                                            GError            **error);
void                enr_service_program_free               (EnrServiceProgram  *self);
EnrServiceTaskType *enr_service_program_task_type          (EnrServiceProgram  *self,
                                                            EnrTaskKind         kind);

EnrEligibilityResult *
                    enr_service_evaluate_eligibility       (EnrServiceCustomer *customer,
                                                            EnrServiceProgram  *program,
                                                            EnrMeteredService  *metered_service,
                                                            EnrServiceTask     *task,
                                                            const GDate        *today);

void                enr_service_date_today                 (GDate              *date);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServiceCustomer, enr_service_customer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EnrServiceProgram, enr_service_program_free)

G_END_DECLS

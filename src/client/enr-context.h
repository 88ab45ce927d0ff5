/* enr-context.h — what the widgets of the desktop client get their data from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "enr-core.h"
#include "enr-store.h"

G_BEGIN_DECLS

#define ENR_TYPE_CONTEXT (enr_context_get_type ())

G_DECLARE_FINAL_TYPE (EnrContext, enr_context, ENR, CONTEXT, GObject)

EnrContext     *enr_context_new                    (EnrStore          *store,
                                                    GSettings         *settings);
EnrStore       *enr_context_get_store              (EnrContext        *self);
GSettings      *enr_context_get_settings           (EnrContext        *self);
GObject        *enr_context_get_sync_engine        (EnrContext        *self);
void            enr_context_set_sync_engine        (EnrContext        *self,
                                                    GObject           *sync_engine);
const char     *enr_context_get_username           (EnrContext        *self);
void            enr_context_set_username           (EnrContext        *self,
                                                    const char        *username);
EnrRole         enr_context_get_role               (EnrContext        *self);
void            enr_context_set_role               (EnrContext        *self,
                                                    EnrRole            role);
void            enr_context_set_today              (EnrContext        *self,
                                                    const GDate       *today);
void            enr_context_get_today              (EnrContext        *self,
                                                    GDate             *today);
GDateTime      *enr_context_get_now                (EnrContext        *self);

/* Cached objects */
gpointer        enr_context_lookup                 (EnrContext        *self,
                                                    GType              type,
                                                    const char        *id);
GPtrArray      *enr_context_list                   (EnrContext        *self,
                                                    GType              type);
GPtrArray      *enr_context_list_code_values       (EnrContext        *self,
                                                    EnrCodeList        list);
const char     *enr_context_get_code_label         (EnrContext        *self,
                                                    EnrCodeList        list,
                                                    const char        *code);
GPtrArray      *enr_context_search_customers       (EnrContext        *self,
                                                    const char        *text,
                                                    guint              limit,
                                                    GError           **error);
GPtrArray      *enr_context_list_metered_services  (EnrContext        *self,
                                                    const char        *customer_id);
GPtrArray      *enr_context_list_device_locations  (EnrContext        *self,
                                                    const char        *service_point_id);
GPtrArray      *enr_context_list_devices           (EnrContext        *self,
                                                    const char        *device_location_id);
GPtrArray      *enr_context_list_customer_devices  (EnrContext        *self,
                                                    const char        *customer_id);
GPtrArray      *enr_context_list_subscriptions     (EnrContext        *self,
                                                    const char        *customer_id);
GPtrArray      *enr_context_list_premise_subscriptions (EnrContext      *self,
                                                        EnrServicePoint *service_point);
GPtrArray      *enr_context_list_tasks             (EnrContext        *self,
                                                    const char        *customer_id);
GPtrArray      *enr_context_list_flows             (EnrContext        *self,
                                                    const char        *customer_id);
GPtrArray      *enr_context_list_crew_shifts       (EnrContext        *self);
GPtrArray      *enr_context_list_appointments      (EnrContext        *self);

/* Process flows */
EnrProcessFlow *enr_context_load_flow              (EnrContext        *self,
                                                    const char        *flow_id,
                                                    GError           **error);
gboolean        enr_context_save_draft             (EnrContext        *self,
                                                    EnrProcessFlow    *flow,
                                                    GError           **error);
gboolean        enr_context_create_flow            (EnrContext        *self,
                                                    EnrProcessFlow    *flow,
                                                    GError           **error);
gboolean        enr_context_submit_flow            (EnrContext        *self,
                                                    EnrProcessFlow    *flow,
                                                    GError           **error);
gboolean        enr_context_submit_flow_full       (EnrContext        *self,
                                                    EnrProcessFlow    *flow,
                                                    const char        *body,
                                                    GError           **error);
void            enr_context_send_queued            (EnrContext        *self);
void            enr_context_notify_flows_changed   (EnrContext        *self,
                                                    const char        *customer_id);
void            enr_context_notify_flow_finished   (EnrContext        *self,
                                                    EnrProcessFlow    *flow);

/* The clerk's last interaction */
void            enr_context_get_last_interaction   (EnrContext        *self,
                                                    char             **channel,
                                                    char             **category);
void            enr_context_remember_interaction   (EnrContext        *self,
                                                    const char        *channel,
                                                    const char        *category);

G_END_DECLS

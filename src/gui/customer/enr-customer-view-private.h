/* enr-customer-view-private.h — what the Customer View's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * enr-customer-view.c: the widget, reading the store, the digest, focus;
 * enr-customer-view-zones.c: the zones' rows;
 * enr-customer-view-actions.c: the actions of the rows' buttons.
 */
#pragma once

#include "enr-customer-view.h"
#include "enr-field-list.h"

G_BEGIN_DECLS

struct _EnrCustomerView
{
  GtkWidget       parent_instance;

  GtkLabel       *name_label;
  GtkLabel       *account_label;
  EnrFieldList   *info_fields;
  GtkListBox     *programs_list;
  GtkListBox     *subscriptions_list;
  GtkListBox     *appointments_list;
  GtkListBox     *flows_list;
  GtkListBox     *ineligible_list;

  EnrContext     *context;
  GSignalGroup   *context_signals;
  char           *customer_id;
  char           *digest;
  guint           reload_source;
  EnrProcessFlow *canceling_flow;
};

/* What the view shows, read from the store once per reload */
typedef struct
{
  EnrCustomer *customer;
  GPtrArray   *services;
  GPtrArray   *flows;
  GPtrArray   *programs;
  GPtrArray   *devices;
  GPtrArray   *subscriptions;
  GPtrArray   *tasks;
  GPtrArray   *open_tasks;   /* the tasks and the drafts' open ones */
  GPtrArray   *letters;      /* the customer's communications by letter */
} Shown;

/* enr-customer-view-zones.c */
void _enr_customer_view_load_information     (EnrCustomerView *self,
                                              EnrCustomer     *customer,
                                              GPtrArray       *services);
void _enr_customer_view_load_programs        (EnrCustomerView *self,
                                              const Shown     *shown);
void _enr_customer_view_load_subscriptions   (EnrCustomerView *self,
                                              const Shown     *shown);
void _enr_customer_view_load_flows           (EnrCustomerView *self,
                                              const Shown     *shown);
void _enr_customer_view_load_appointments    (EnrCustomerView *self,
                                              const Shown     *shown);

/* enr-customer-view-actions.c */
void _enr_customer_view_class_init_actions   (GtkWidgetClass  *widget_class);

G_END_DECLS

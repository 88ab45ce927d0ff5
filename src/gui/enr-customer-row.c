/* enr-customer-row.c — one customer in the search results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-customer-row.h"
#include "enr-gui-utils.h"

struct _EnrCustomerRow
{
  GtkListBoxRow  parent_instance;

  GtkLabel      *name_label;
  GtkLabel      *account_label;
  GtkLabel      *details_label;

  EnrCustomer   *customer;
};

G_DEFINE_FINAL_TYPE (EnrCustomerRow, enr_customer_row, GTK_TYPE_LIST_BOX_ROW)

static void
enr_customer_row_dispose (GObject *object)
{
  EnrCustomerRow *self = (EnrCustomerRow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_CUSTOMER_ROW);
  g_clear_object (&self->customer);

  G_OBJECT_CLASS (enr_customer_row_parent_class)->dispose (object);
}

static void
enr_customer_row_class_init (EnrCustomerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_customer_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/enr-customer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerRow, account_label);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerRow, details_label);
}

static void
enr_customer_row_init (EnrCustomerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
enr_customer_row_new (EnrCustomer *customer)
{
  EnrCustomerRow *self;
  g_autoptr(GString) details = g_string_new (NULL);
  const char *parts[3];
  g_autofree char *accessible = NULL;

  g_return_val_if_fail (ENR_IS_CUSTOMER (customer), NULL);

  self = g_object_new (ENR_TYPE_CUSTOMER_ROW, NULL);
  self->customer = g_object_ref (customer);

  parts[0] = enr_customer_get_phone (customer);
  parts[1] = enr_customer_get_email (customer);
  parts[2] = enr_customer_get_mailing_address (customer);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL || parts[i][0] == '\0')
        continue;
      if (details->len > 0)
        g_string_append (details, " · ");
      g_string_append (details, parts[i]);
    }

  gtk_label_set_text (self->name_label, enr_customer_get_name (customer));
  gtk_label_set_text (self->account_label, enr_customer_get_account_id (customer));
  gtk_label_set_text (self->details_label, details->str);

  /* Translators: a search result read by assistive technology: name and account */
  accessible = g_strdup_printf (_("%s, account %s"), enr_customer_get_name (customer),
                                enr_customer_get_account_id (customer));
  enr_widget_set_accessible_label (GTK_WIDGET (self), accessible);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details->str,
                                  -1);

  return GTK_WIDGET (self);
}

EnrCustomer *
enr_customer_row_get_customer (EnrCustomerRow *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_ROW (self), NULL);

  return self->customer;
}

/* enr-customer-row.c — one customer in the search results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row of the window's fixed pool of result rows: made once, then given
 * one customer after another. It is one label: the name in bold, and a
 * second line with the account, phone, email and address. Setting a
 * customer rebuilds the markup, but hands it (and the accessible name
 * and description) to GTK only when it differs from what the row shows,
 * so a result that stays in its place costs no relayout.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-customer-row.h"

struct _EnrCustomerRow
{
  GtkListBoxRow  parent_instance;

  GtkLabel      *label;

  EnrCustomer   *customer;
  char          *markup;
  char          *accessible_label;
  char          *description;
};

G_DEFINE_FINAL_TYPE (EnrCustomerRow, enr_customer_row, GTK_TYPE_LIST_BOX_ROW)

/* Takes @value; returns whether it differed from *@slot. */
static gboolean
replace_string (char **slot,
                char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    {
      g_free (value);
      return FALSE;
    }

  g_free (*slot);
  *slot = value;
  return TRUE;
}

static char *
join_details (EnrCustomer *customer)
{
  GString *details = g_string_new (NULL);
  const char *parts[4];

  parts[0] = enr_customer_get_account_id (customer);
  parts[1] = enr_customer_get_phone (customer);
  parts[2] = enr_customer_get_email (customer);
  parts[3] = enr_customer_get_mailing_address (customer);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL || parts[i][0] == '\0')
        continue;
      if (details->len > 0)
        g_string_append (details, " · ");
      g_string_append (details, parts[i]);
    }

  return g_string_free (details, FALSE);
}

static void
update (EnrCustomerRow *self)
{
  g_autofree char *details = NULL;
  g_autofree char *accessible_label = NULL;
  const char *name;

  if (self->customer == NULL)
    {
      if (replace_string (&self->markup, g_strdup ("")))
        gtk_label_set_text (self->label, "");
      return;
    }

  name = enr_customer_get_name (self->customer);
  details = join_details (self->customer);

  if (replace_string (&self->markup,
                      g_markup_printf_escaped ("<b>%s</b>\n<span size=\"small\" alpha=\"70%%\">%s</span>",
                                               name != NULL ? name : "", details)))
    gtk_label_set_markup (self->label, self->markup);

  /* Translators: a search result read by assistive technology: name and account */
  accessible_label = g_strdup_printf (_("%s, account %s"), name != NULL ? name : "",
                                      enr_customer_get_account_id (self->customer));
  if (replace_string (&self->accessible_label, g_steal_pointer (&accessible_label)))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, self->accessible_label,
                                    -1);

  if (replace_string (&self->description, g_steal_pointer (&details)))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                    -1);
}

static void
enr_customer_row_dispose (GObject *object)
{
  EnrCustomerRow *self = (EnrCustomerRow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_CUSTOMER_ROW);
  g_clear_object (&self->customer);

  G_OBJECT_CLASS (enr_customer_row_parent_class)->dispose (object);
}

static void
enr_customer_row_finalize (GObject *object)
{
  EnrCustomerRow *self = (EnrCustomerRow *) object;

  g_clear_pointer (&self->markup, g_free);
  g_clear_pointer (&self->accessible_label, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (enr_customer_row_parent_class)->finalize (object);
}

static void
enr_customer_row_class_init (EnrCustomerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_customer_row_dispose;
  object_class->finalize = enr_customer_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/customer/enr-customer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerRow, label);
}

static void
enr_customer_row_init (EnrCustomerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* A row without a customer. */
GtkWidget *
enr_customer_row_new (void)
{
  return g_object_new (ENR_TYPE_CUSTOMER_ROW, NULL);
}

/**
 * enr_customer_row_get_customer:
 *
 * Returns: (transfer none) (nullable): the customer shown
 */
EnrCustomer *
enr_customer_row_get_customer (EnrCustomerRow *self)
{
  g_return_val_if_fail (ENR_IS_CUSTOMER_ROW (self), NULL);

  return self->customer;
}

/**
 * enr_customer_row_set_customer:
 * @customer: (nullable): the customer to show
 *
 * Shows @customer; the label and the accessible properties are set only
 * where they change.
 */
void
enr_customer_row_set_customer (EnrCustomerRow *self,
                               EnrCustomer    *customer)
{
  g_return_if_fail (ENR_IS_CUSTOMER_ROW (self));
  g_return_if_fail (customer == NULL || ENR_IS_CUSTOMER (customer));

  if (!g_set_object (&self->customer, customer))
    return;

  update (self);
}

/* enr-customer-page.c — the Customer panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Customer Information (Metered Service — a drop-down when the customer
 * has several —, Name, Phone, Email), Location Information (Metered
 * Service Point) and Interaction Details.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-customer-page.h"
#include "enr-field-list.h"
#include "enr-gui-utils.h"
#include "enr-interaction-editor.h"

struct _EnrCustomerPage
{
  EnrPage               parent_instance;

  GtkLabel             *message_label;
  GtkWidget            *metered_service_form;
  GtkLabel             *metered_service_label;
  GtkDropDown          *metered_service_drop_down;
  GtkLabel             *metered_service_error;
  EnrFieldList         *customer_fields;
  EnrFieldList         *location_fields;
  EnrInteractionEditor *interaction_editor;

  guint                 updating : 1;
};

G_DEFINE_FINAL_TYPE (EnrCustomerPage, enr_customer_page, ENR_TYPE_PAGE)

static void
show_location (EnrCustomerPage *self,
               EnrFlowSession  *session)
{
  EnrServicePoint *point = enr_flow_session_get_service_point (session);
  g_autofree char *text = NULL;

  enr_field_list_remove_all (self->location_fields);
  if (point == NULL)
    {
      enr_field_list_append (self->location_fields, _("Metered Service Point"), _("No metered service point"));
      return;
    }

  /* Translators: a metered service point: address and premise,
   * e.g. "1423 Maple Ave, Riverbend (premise PREM-20003)" */
  text = g_strdup_printf (_("%s (premise %s)"),
                          enr_service_point_get_address (point),
                          enr_or_dash (enr_service_point_get_premise_id (point)));
  enr_field_list_append (self->location_fields, _("Metered Service Point"), text);
}

static void
on_metered_service_selected_cb (EnrCustomerPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  const char *id;

  if (self->updating || session == NULL)
    return;

  id = enr_drop_down_get_selected_id (self->metered_service_drop_down);
  enr_page_clear_error (ENR_PAGE (self), ENR_FIELD_METERED_SERVICE);
  enr_flow_session_set_metered_service (session, id);
  show_location (self, session);
}

static void
enr_customer_page_bind (EnrPage        *page,
                        EnrFlowSession *session)
{
  EnrCustomerPage *self = ENR_CUSTOMER_PAGE (page);
  EnrCustomer *customer = enr_flow_session_get_customer (session);
  GPtrArray *services = enr_flow_session_get_metered_services (session);
  EnrMeteredService *current = enr_flow_session_get_metered_service (session);
  GtkSizeGroup *size_group = enr_page_get_label_size_group (page);
  gboolean several;

  gtk_size_group_add_widget (size_group, GTK_WIDGET (self->metered_service_label));
  enr_field_list_set_size_group (self->customer_fields, size_group);
  enr_field_list_set_size_group (self->location_fields, size_group);
  enr_field_list_remove_all (self->customer_fields);

  /* The metered service can be changed only while enrolling, and only
   * when there is a choice. */
  several = services->len > 1 && enr_flow_session_get_kind (session) == ENR_TASK_KIND_ENROLLMENT;
  gtk_widget_set_visible (self->metered_service_form, several);
  if (several)
    {
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
      g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
      g_auto(GStrv) id_strv = NULL;
      g_auto(GStrv) label_strv = NULL;

      for (guint i = 0; i < services->len; i++)
        {
          EnrMeteredService *service = g_ptr_array_index (services, i);
          g_autofree char *label = enr_metered_service_describe (service);

          g_strv_builder_add (ids, enr_entity_get_id (ENR_ENTITY (service)));
          g_strv_builder_add (labels, label);
        }
      id_strv = g_strv_builder_end (ids);
      label_strv = g_strv_builder_end (labels);

      self->updating = TRUE;
      enr_drop_down_set_choices (self->metered_service_drop_down, enr_drop_down_placeholder (),
                                 (const char * const *) id_strv, (const char * const *) label_strv,
                                 current ? enr_entity_get_id (ENR_ENTITY (current)) : NULL);
      self->updating = FALSE;
      enr_page_add_field (page, ENR_FIELD_METERED_SERVICE, GTK_WIDGET (self->metered_service_drop_down),
                          GTK_WIDGET (self->metered_service_error));
    }
  else
    {
      g_autofree char *text = NULL;
      GtkWidget *row;

      if (current != NULL)
        text = enr_metered_service_describe (current);
      row = enr_field_list_append (self->customer_fields, _("Metered Service"),
                                   text ? text : _("The customer has no metered service"));
      /* The error of a customer without a metered service shows on the page. */
      enr_page_add_field (page, ENR_FIELD_METERED_SERVICE, row, NULL);
    }

  enr_field_list_append (self->customer_fields, _("Name"), customer ? enr_customer_get_name (customer) : NULL);
  enr_field_list_append (self->customer_fields, _("Phone"), customer ? enr_customer_get_phone (customer) : NULL);
  enr_field_list_append (self->customer_fields, _("Email"), customer ? enr_customer_get_email (customer) : NULL);

  show_location (self, session);
  enr_interaction_editor_bind (self->interaction_editor, page, session);
}

static void
enr_customer_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_CUSTOMER_PAGE);

  G_OBJECT_CLASS (enr_customer_page_parent_class)->dispose (object);
}

static void
enr_customer_page_class_init (EnrCustomerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  EnrPageClass *page_class = ENR_PAGE_CLASS (klass);

  object_class->dispose = enr_customer_page_dispose;
  page_class->bind = enr_customer_page_bind;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/assistant/pages/enr-customer-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerPage, metered_service_form);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerPage, metered_service_label);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerPage, metered_service_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerPage, metered_service_error);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerPage, customer_fields);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerPage, location_fields);
  gtk_widget_class_bind_template_child (widget_class, EnrCustomerPage, interaction_editor);
  gtk_widget_class_bind_template_callback (widget_class, on_metered_service_selected_cb);
}

static void
enr_customer_page_init (EnrCustomerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  enr_page_set_message_label (ENR_PAGE (self), GTK_WIDGET (self->message_label));
}

GtkWidget *
enr_customer_page_new (void)
{
  return g_object_new (ENR_TYPE_CUSTOMER_PAGE, NULL);
}

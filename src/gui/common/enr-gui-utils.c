/* enr-gui-utils.c — small helpers shared by the widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-gui-resources.h"
#include "enr-gui-utils.h"

#include "enr-appointment-picker.h"
#include "enr-assistant.h"
#include "enr-customer-page.h"
#include "enr-customer-row.h"
#include "enr-customer-view.h"
#include "enr-date-entry.h"
#include "enr-device-setup-page.h"
#include "enr-interaction-editor.h"
#include "enr-program-page.h"
#include "enr-program-row.h"
#include "enr-question-row.h"
#include "enr-step-indicator.h"
#include "enr-summary-page.h"
#include "enr-window.h"

/**
 * enr_gui_init:
 *
 * Registers the client's resources and the types its templates name.
 * Call once after gtk_init(); later calls do nothing.
 */
void
enr_gui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      enr_gui_register_resource ();

      g_type_ensure (ENR_TYPE_APPOINTMENT_PICKER);
      g_type_ensure (ENR_TYPE_ASSISTANT);
      g_type_ensure (ENR_TYPE_CUSTOMER_PAGE);
      g_type_ensure (ENR_TYPE_CUSTOMER_ROW);
      g_type_ensure (ENR_TYPE_CUSTOMER_VIEW);
      g_type_ensure (ENR_TYPE_DATE_ENTRY);
      g_type_ensure (ENR_TYPE_DEVICE_SETUP_PAGE);
      g_type_ensure (ENR_TYPE_INTERACTION_EDITOR);
      g_type_ensure (ENR_TYPE_PROGRAM_PAGE);
      g_type_ensure (ENR_TYPE_PROGRAM_ROW);
      g_type_ensure (ENR_TYPE_QUESTION_ROW);
      g_type_ensure (ENR_TYPE_STEP_INDICATOR);
      g_type_ensure (ENR_TYPE_SUMMARY_PAGE);
      g_type_ensure (ENR_TYPE_WINDOW);

      g_once_init_leave (&initialized, 1);
    }
}

/**
 * enr_gui_load_style:
 *
 * Adds the client's style sheet to the default display, once.
 */
void
enr_gui_load_style (void)
{
  static GtkCssProvider *provider;
  GdkDisplay *display = gdk_display_get_default ();

  if (provider != NULL || display == NULL)
    return;

  enr_gui_init ();

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/enrollmentdesk/EnrollmentDesk/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

void
enr_widget_set_accessible_label (GtkWidget  *widget,
                                 const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/**
 * enr_value_label_set:
 * @field: the field's visible name, e.g. "Phone"
 * @value: (nullable): what the field holds; %NULL shows a dash
 *
 * A read-only field shown as a label: assistive technology gets the
 * field's name as the accessible name and the value as its description.
 */
void
enr_value_label_set (GtkLabel   *label,
                     const char *field,
                     const char *value)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_text (label, enr_or_dash (value));
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, field,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, enr_or_dash (value),
                                  -1);
}

/**
 * enr_button_set_accessible_name:
 * @button: a button with a mnemonic label ("_Next")
 *
 * GTK 4.8 names such a button after both its raw label and its label
 * child ("_Next Next"); this makes the name the visible text, "Next".
 */
void
enr_button_set_accessible_name (GtkWidget *button)
{
  g_autoptr(GString) plain = NULL;
  const char *label;

  g_return_if_fail (GTK_IS_BUTTON (button));

  label = gtk_button_get_label (GTK_BUTTON (button));
  if (label == NULL)
    return;

  plain = g_string_new (label);
  if (gtk_button_get_use_underline (GTK_BUTTON (button)))
    g_string_replace (plain, "_", "", 0);

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  enr_widget_set_accessible_label (button, plain->str);
}

/* The error look and the accessible invalid state, together. */
void
enr_widget_set_invalid (GtkWidget *widget,
                        gboolean   invalid)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (invalid)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_FALSE,
                                   -1);
    }
}

/* For dispose() of a widget whose template children are not all bound. */
void
enr_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

void
enr_widget_remove_children (GtkWidget *widget)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_BOX (widget) || GTK_IS_FLOW_BOX (widget) || GTK_IS_GRID (widget));

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    {
      if (GTK_IS_BOX (widget))
        gtk_box_remove (GTK_BOX (widget), child);
      else if (GTK_IS_GRID (widget))
        gtk_grid_remove (GTK_GRID (widget), child);
      else
        gtk_flow_box_remove (GTK_FLOW_BOX (widget), child);
    }
}

void
enr_list_box_remove_all (GtkListBox *list_box)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_LIST_BOX (list_box));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list_box))) != NULL)
    gtk_list_box_remove (list_box, child);
}

/* The first row of @grid below all its children. */
int
enr_grid_next_row (GtkGrid *grid)
{
  GtkWidget *child;
  int row = 0;

  g_return_val_if_fail (GTK_IS_GRID (grid), 0);

  for (child = gtk_widget_get_first_child (GTK_WIDGET (grid)); child; child = gtk_widget_get_next_sibling (child))
    {
      int top, height;

      gtk_grid_query_child (grid, child, NULL, &top, NULL, &height);
      row = MAX (row, top + height);
    }

  return row;
}

/**
 * enr_grid_append_field:
 * @label: the field's name, right-aligned in the first column
 * @value: (nullable): its value (a dash when empty), selectable text
 *
 * Adds a read-only field as a row below the others of @grid; the value's
 * label is named after the field for assistive technology.
 */
void
enr_grid_append_field (GtkGrid    *grid,
                       const char *label,
                       const char *value)
{
  GtkWidget *name;
  GtkWidget *text;
  int row;

  g_return_if_fail (GTK_IS_GRID (grid));

  row = enr_grid_next_row (grid);
  name = g_object_new (GTK_TYPE_LABEL,
                       "label", label,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                       NULL);
  text = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 1);
  gtk_label_set_yalign (GTK_LABEL (name), 0);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 28);
  gtk_label_set_justify (GTK_LABEL (name), GTK_JUSTIFY_RIGHT);
  gtk_widget_add_css_class (name, "field-label");

  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_focusable (text, FALSE);
  gtk_widget_set_hexpand (text, TRUE);
  enr_value_label_set (GTK_LABEL (text), label, value);

  gtk_grid_attach (grid, name, 0, row, 1, 1);
  gtk_grid_attach (grid, text, 1, row, 1, 1);
}

/**
 * enr_drop_down_set_items:
 * @ids: the codes behind the items
 * @labels: what the items show, as many as @ids
 * @selected_id: (nullable): the item to select; %NULL or unknown selects none
 *
 * Fills a drop-down from parallel lists of codes and labels.
 */
void
enr_drop_down_set_items (GtkDropDown        *drop_down,
                         const char * const *ids,
                         const char * const *labels,
                         const char         *selected_id)
{
  g_autoptr(GtkStringList) model = NULL;

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));
  g_return_if_fail (ids != NULL && labels != NULL);
  g_return_if_fail (g_strv_length ((char **) ids) == g_strv_length ((char **) labels));

  g_object_set_data_full (G_OBJECT (drop_down), "enr-ids",
                          g_strdupv ((char **) ids), (GDestroyNotify) g_strfreev);
  model = gtk_string_list_new (labels);
  gtk_drop_down_set_model (drop_down, G_LIST_MODEL (model));
  enr_drop_down_select_id (drop_down, selected_id);
}

/**
 * enr_drop_down_get_selected_id:
 *
 * Returns: (nullable): the code of the selected item
 */
const char *
enr_drop_down_get_selected_id (GtkDropDown *drop_down)
{
  const char * const *ids;
  guint selected;

  g_return_val_if_fail (GTK_IS_DROP_DOWN (drop_down), NULL);

  ids = g_object_get_data (G_OBJECT (drop_down), "enr-ids");
  selected = gtk_drop_down_get_selected (drop_down);
  if (ids == NULL || selected == GTK_INVALID_LIST_POSITION ||
      selected >= g_strv_length ((char **) ids))
    return NULL;

  return ids[selected];
}

void
enr_drop_down_select_id (GtkDropDown *drop_down,
                         const char  *id)
{
  const char * const *ids;
  guint position = GTK_INVALID_LIST_POSITION;

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));

  ids = g_object_get_data (G_OBJECT (drop_down), "enr-ids");
  for (guint i = 0; id != NULL && ids != NULL && ids[i] != NULL; i++)
    if (g_str_equal (ids[i], id))
      position = i;

  if (gtk_drop_down_get_selected (drop_down) != position)
    gtk_drop_down_set_selected (drop_down, position);
}

const char *
enr_installation_method_label (EnrInstallationMethod method)
{
  switch (method)
    {
    case ENR_INSTALLATION_METHOD_RE_ENROLL:
      return _("Re-enroll");
    case ENR_INSTALLATION_METHOD_SHIP_DEVICE:
      return _("Ship Device");
    case ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION:
      return _("Utility Installation");
    case ENR_INSTALLATION_METHOD_NONE:
    default:
      return _("Not chosen");
    }
}

const char *
enr_removal_method_label (EnrRemovalMethod method)
{
  switch (method)
    {
    case ENR_REMOVAL_METHOD_KEEP:
      return _("Keep");
    case ENR_REMOVAL_METHOD_SHIP_DEVICE:
      return _("Ship Device");
    case ENR_REMOVAL_METHOD_UTILITY_REMOVAL:
      return _("Utility Removal");
    case ENR_REMOVAL_METHOD_NONE:
    default:
      return _("Not chosen");
    }
}

const char *
enr_asset_ownership_label (EnrAssetOwnership ownership)
{
  switch (ownership)
    {
    case ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED:
      return _("Customer Owned");
    case ENR_ASSET_OWNERSHIP_UTILITY_OWNED:
      return _("Utility Owned");
    case ENR_ASSET_OWNERSHIP_NONE:
    default:
      return _("Not chosen");
    }
}

const char *
enr_task_status_label (EnrTaskStatus status)
{
  switch (status)
    {
    case ENR_TASK_STATUS_PENDING:
      return C_("task status", "Pending");
    case ENR_TASK_STATUS_VALIDATE:
      return C_("task status", "Validate");
    case ENR_TASK_STATUS_ERROR:
      return C_("task status", "Error");
    case ENR_TASK_STATUS_IN_PROGRESS:
      return C_("task status", "In Progress");
    case ENR_TASK_STATUS_COMPLETED:
      return C_("task status", "Completed");
    case ENR_TASK_STATUS_CANCELED:
      return C_("task status", "Canceled");
    default:
      return "";
    }
}

const char *
enr_flow_status_label (EnrFlowStatus status)
{
  switch (status)
    {
    case ENR_FLOW_STATUS_OPEN:
      return C_("flow status", "Open");
    case ENR_FLOW_STATUS_CLOSED:
      return C_("flow status", "Closed");
    case ENR_FLOW_STATUS_CANCELED:
      return C_("flow status", "Canceled");
    default:
      return "";
    }
}

const char *
enr_device_status_label (EnrDeviceStatus status)
{
  switch (status)
    {
    case ENR_DEVICE_STATUS_PLANNED:
      return C_("device status", "Planned");
    case ENR_DEVICE_STATUS_SHIPPED:
      return C_("device status", "Shipped");
    case ENR_DEVICE_STATUS_INSTALLED:
      return C_("device status", "Installed");
    case ENR_DEVICE_STATUS_ACTIVE:
      return C_("device status", "Active");
    case ENR_DEVICE_STATUS_REMOVED:
      return C_("device status", "Removed");
    case ENR_DEVICE_STATUS_RETURNED:
      return C_("device status", "Returned");
    default:
      return "";
    }
}

const char *
enr_asset_type_label (EnrAssetType asset_type)
{
  switch (asset_type)
    {
    case ENR_ASSET_TYPE_THERMOSTAT:
      return _("Thermostat");
    case ENR_ASSET_TYPE_WATER_HEATER:
      return _("Water heater");
    case ENR_ASSET_TYPE_BATTERY:
      return _("Battery");
    case ENR_ASSET_TYPE_EV_CHARGER:
      return _("EV charger");
    case ENR_ASSET_TYPE_INVERTER:
      return _("Inverter");
    case ENR_ASSET_TYPE_POOL_PUMP:
      return _("Pool pump");
    case ENR_ASSET_TYPE_SMART_PLUG:
      return _("Smart plug");
    case ENR_ASSET_TYPE_LOAD_CONTROL_SWITCH:
      return _("Load control switch");
    default:
      return "";
    }
}

const char *
enr_service_type_label (EnrServiceType service_type)
{
  switch (service_type)
    {
    case ENR_SERVICE_TYPE_ELECTRIC:
      return _("Electric");
    case ENR_SERVICE_TYPE_GAS:
      return _("Gas");
    case ENR_SERVICE_TYPE_WATER:
      return _("Water");
    default:
      return "";
    }
}

const char *
enr_metered_service_status_label (EnrMeteredServiceStatus status)
{
  switch (status)
    {
    case ENR_METERED_SERVICE_STATUS_PENDING_START:
      return C_("metered service status", "Pending start");
    case ENR_METERED_SERVICE_STATUS_ACTIVE:
      return C_("metered service status", "Active");
    case ENR_METERED_SERVICE_STATUS_PENDING_STOP:
      return C_("metered service status", "Pending stop");
    case ENR_METERED_SERVICE_STATUS_INACTIVE:
      return C_("metered service status", "Inactive");
    default:
      return "";
    }
}

const char *
enr_subscription_status_label (EnrSubscriptionStatus status)
{
  switch (status)
    {
    case ENR_SUBSCRIPTION_STATUS_PENDING:
      return C_("subscription status", "Pending");
    case ENR_SUBSCRIPTION_STATUS_ACTIVE:
      return C_("subscription status", "Active");
    case ENR_SUBSCRIPTION_STATUS_ENDED:
      return C_("subscription status", "Ended");
    default:
      return "";
    }
}

const char *
enr_task_kind_label (EnrTaskKind kind)
{
  if (kind == ENR_TASK_KIND_UNENROLLMENT)
    return _("Unenrollment");

  return _("Enrollment");
}

char *
enr_metered_service_describe (EnrMeteredService *service)
{
  const char *external_id;

  g_return_val_if_fail (ENR_IS_METERED_SERVICE (service), NULL);

  external_id = enr_metered_service_get_external_id (service);
  if (external_id == NULL)
    external_id = enr_entity_get_id (ENR_ENTITY (service));

  /* Translators: a metered service: its number, type and status,
   * e.g. "SA-3000011 — Electric, Active" */
  return g_strdup_printf (_("%s — %s, %s"), external_id,
                          enr_service_type_label (enr_metered_service_get_service_type (service)),
                          enr_metered_service_status_label (enr_metered_service_get_status (service)));
}

char *
enr_device_describe (EnrDevice *device)
{
  const char *serial;

  g_return_val_if_fail (ENR_IS_DEVICE (device), NULL);

  serial = enr_device_get_serial_number (device);
  if (serial == NULL)
    serial = enr_entity_get_id (ENR_ENTITY (device));

  /* Translators: a device: its type, model and serial number,
   * e.g. "Thermostat ECOBEE-SMART-3 (serial EB3-02375703)" */
  return g_strdup_printf (_("%s %s (serial %s)"),
                          enr_asset_type_label (enr_device_get_asset_type (device)),
                          enr_device_get_specification (device),
                          serial);
}

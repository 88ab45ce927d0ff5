/* enr-enum-labels.c — what the user reads for the values of the code lists
 *
 * One translated label per value, for the desktop client's widgets and
 * export and for the core's own messages (enr-lifecycle.c); and the one
 * way a date reads, in the client and in the core's reasons and errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-enum-labels.h"

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

/**
 * enr_date_label:
 * @date: (nullable): a date
 *
 * Returns: (transfer full) (nullable): @date as every date reads on
 *   screen, "Mon, 1 Jun 2026" in English: the date of a date and time,
 *   "Mon, 1 Jun 2026, 08:00"; %NULL if @date is not set
 */
char *
enr_date_label (const GDate *date)
{
  char buffer[128];

  if (date == NULL || !g_date_valid (date))
    return NULL;

  /* Translators: how a date appears in the client, as a strftime() format;
   * the same as the date in "%a, %-d %b %Y, %H:%M" (a date and time). */
  /* xgettext:no-c-format */
  if (g_date_strftime (buffer, sizeof buffer, _("%a, %-d %b %Y"), date) == 0)
    g_snprintf (buffer, sizeof buffer, "%04u-%02u-%02u",
                g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));

  return g_strdup (buffer);
}

const char *
enr_consent_method_label (EnrConsentMethod method)
{
  switch (method)
    {
    case ENR_CONSENT_METHOD_PHONE:
      return _("Phone");
    case ENR_CONSENT_METHOD_WEB:
      return _("Web");
    case ENR_CONSENT_METHOD_PAPER:
      return _("Paper form");
    case ENR_CONSENT_METHOD_DEVICE_APP:
      return _("Device maker’s app");
    case ENR_CONSENT_METHOD_NONE:
    default:
      return _("Not recorded");
    }
}

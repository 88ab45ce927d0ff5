/* enr-format.c — dates, times, appointments, metered services and devices
 * as the client shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-core.h"
#include "enr-format.h"

char *
enr_format_date (const GDate *date)
{
  char *label = enr_date_label (date);

  return label != NULL ? label : g_strdup ("—");
}

char *
enr_format_iso_date (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return g_strdup ("");

  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date));
}

/* Exactly "YYYY-MM-DD", a real calendar date from 1900 on. */
gboolean
enr_parse_iso_date (const char *text,
                    GDate      *date)
{
  guint year, month, day;

  g_return_val_if_fail (date != NULL, FALSE);

  g_date_clear (date, 1);

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);

  if (year < 1900 || year > 9999 || !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/**
 * enr_local_time_zone:
 *
 * The system's time zone, read once: GLib 2.74's g_time_zone_new_local()
 * (so g_date_time_new_now_local() and g_date_time_to_local()) reads and
 * parses it again on every call when $TZ is unset, which lists of a
 * thousand dates and every validation of a panel feel.
 *
 * Returns: (transfer none): the local time zone
 */
GTimeZone *
enr_local_time_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    g_once_init_leave (&zone, g_time_zone_new_local ());

  return zone;
}

/* @date_time in the local time zone as @format, or a dash. */
static char *
format_local (GDateTime  *date_time,
              const char *format)
{
  g_autoptr(GDateTime) local = NULL;

  if (date_time == NULL)
    return g_strdup ("—");

  local = g_date_time_to_timezone (date_time, enr_local_time_zone ());
  return g_date_time_format (local, format);
}

char *
enr_format_date_time (GDateTime *date_time)
{
  /* Translators: a date and time, as a g_date_time_format() format. */
  return format_local (date_time, _("%a, %-d %b %Y, %H:%M"));
}

char *
enr_format_time (GDateTime *date_time)
{
  return format_local (date_time, "%H:%M");
}

char *
enr_format_appointment (GDateTime  *start,
                        GDateTime  *end,
                        const char *crew_name)
{
  g_autofree char *from = enr_format_date_time (start);
  g_autofree char *to = enr_format_time (end);

  if (crew_name == NULL)
    /* Translators: an appointment: its start and end */
    return g_strdup_printf (_("%s – %s"), from, to);

  /* Translators: an appointment: its start, end and crew */
  return g_strdup_printf (_("%s – %s, %s"), from, to, crew_name);
}

const char *
enr_or_dash (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : "—";
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

/**
 * enr_consent_describe:
 * @consent: (nullable): a consent on record
 *
 * Returns: (transfer full) (nullable): "Consent: Phone, Mon, 1 Jun 2026,
 *   08:00, terms TSTAT-2025.2, recorded by clerk", or %NULL without one
 */
char *
enr_consent_describe (EnrConsent *consent)
{
  g_autofree char *when = NULL;

  if (consent == NULL || enr_consent_get_method (consent) == ENR_CONSENT_METHOD_NONE)
    return NULL;

  when = enr_format_date_time (enr_consent_get_given_at (consent));
  /* Translators: a consent on record: how, when, to which terms, by whom, e.g.
   * "Consent: Phone, Mon, 1 Jun 2026, 08:00, terms DER-2025.9, recorded by clerk" */
  return g_strdup_printf (_("Consent: %s, %s, terms %s, recorded by %s"),
                          enr_consent_method_label (enr_consent_get_method (consent)),
                          enr_or_dash (when),
                          enr_or_dash (enr_consent_get_terms_version (consent)),
                          enr_or_dash (enr_consent_get_recorded_by (consent)));
}

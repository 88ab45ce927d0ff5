/* enr-task-formatter.c — the texts of a service task in the supervisors'
 * list and its CSV export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows name the customer, the program and the crew; each name is read
 * once from the store and kept (customers in a bounded cache, since a
 * list may reach every customer), so binding a row while scrolling costs
 * hash lookups. enr_task_formatter_clear() forgets them when the store's
 * customers, programs or crews change.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-format.h"
#include "enr-monitor-actions.h"
#include "enr-task-formatter.h"

/* Customer names kept before the cache starts over. */
#define MAX_CUSTOMERS 4096

struct _EnrTaskFormatter
{
  GObject     parent_instance;

  EnrContext *context;
  GHashTable *customers;
  GHashTable *programs;
  GHashTable *crews;
};

G_DEFINE_FINAL_TYPE (EnrTaskFormatter, enr_task_formatter, G_TYPE_OBJECT)

static void
enr_task_formatter_finalize (GObject *object)
{
  EnrTaskFormatter *self = (EnrTaskFormatter *) object;

  g_clear_pointer (&self->customers, g_hash_table_unref);
  g_clear_pointer (&self->programs, g_hash_table_unref);
  g_clear_pointer (&self->crews, g_hash_table_unref);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (enr_task_formatter_parent_class)->finalize (object);
}

static void
enr_task_formatter_class_init (EnrTaskFormatterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = enr_task_formatter_finalize;
}

static void
enr_task_formatter_init (EnrTaskFormatter *self)
{
  self->customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->programs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->crews = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

EnrTaskFormatter *
enr_task_formatter_new (EnrContext *context)
{
  EnrTaskFormatter *self;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);

  self = g_object_new (ENR_TYPE_TASK_FORMATTER, NULL);
  self->context = g_object_ref (context);

  return self;
}

void
enr_task_formatter_clear (EnrTaskFormatter *self)
{
  g_return_if_fail (ENR_IS_TASK_FORMATTER (self));

  g_hash_table_remove_all (self->customers);
  g_hash_table_remove_all (self->programs);
  g_hash_table_remove_all (self->crews);
}

/* The name of @type @id, from @cache or the store; the id itself when
 * the record is not cached. */
static const char *
lookup_name (EnrTaskFormatter *self,
             GHashTable       *cache,
             GType             type,
             const char       *id)
{
  g_autoptr(GObject) object = NULL;
  const char *name;
  char *value = NULL;

  if (id == NULL || id[0] == '\0')
    return "";

  if ((name = g_hash_table_lookup (cache, id)) != NULL)
    return name;

  object = enr_context_lookup (self->context, type, id);
  if (ENR_IS_CUSTOMER (object))
    value = g_strdup (enr_customer_get_name (ENR_CUSTOMER (object)));
  else if (ENR_IS_PROGRAM (object))
    value = g_strdup (enr_program_get_name (ENR_PROGRAM (object)));
  else if (ENR_IS_CREW (object))
    value = g_strdup (enr_crew_get_name (ENR_CREW (object)));

  if (value == NULL)
    value = g_strdup (id);

  if (cache == self->customers && g_hash_table_size (cache) >= MAX_CUSTOMERS)
    g_hash_table_remove_all (cache);

  g_hash_table_insert (cache, g_strdup (id), value);
  return value;
}

const char *
enr_task_formatter_customer_name (EnrTaskFormatter *self,
                                  const char       *customer_id)
{
  g_return_val_if_fail (ENR_IS_TASK_FORMATTER (self), "");

  return lookup_name (self, self->customers, ENR_TYPE_CUSTOMER, customer_id);
}

const char *
enr_task_formatter_program_name (EnrTaskFormatter *self,
                                 const char       *program_id)
{
  g_return_val_if_fail (ENR_IS_TASK_FORMATTER (self), "");

  return lookup_name (self, self->programs, ENR_TYPE_PROGRAM, program_id);
}

const char *
enr_task_formatter_crew_name (EnrTaskFormatter *self,
                              const char       *crew_id)
{
  g_return_val_if_fail (ENR_IS_TASK_FORMATTER (self), "");

  return lookup_name (self, self->crews, ENR_TYPE_CREW, crew_id);
}

/**
 * enr_task_age_seconds:
 * @now: Unix time
 *
 * Returns: how long ago the task was created, or -1 when that is unknown
 */
gint64
enr_task_age_seconds (EnrServiceTask *task,
                      gint64          now)
{
  GDateTime *created_at;

  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), -1);

  if ((created_at = enr_service_task_get_created_at (task)) == NULL)
    return -1;

  return MAX (0, now - g_date_time_to_unix (created_at));
}

/**
 * enr_task_formatter_age:
 * @now: Unix time
 *
 * Returns: (transfer full): the task's age, e.g. "3 days", "5 hours"
 */
char *
enr_task_formatter_age (EnrTaskFormatter *self,
                        EnrServiceTask   *task,
                        gint64            now)
{
  gint64 seconds;
  guint days, hours;

  g_return_val_if_fail (ENR_IS_TASK_FORMATTER (self), NULL);

  if ((seconds = enr_task_age_seconds (task, now)) < 0)
    return g_strdup ("—");

  days = (guint) MIN (seconds / 86400, G_MAXUINT);
  if (days > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", days), days);

  hours = (guint) (seconds / 3600);
  if (hours > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", hours), hours);

  return g_strdup (_("Under an hour"));
}

/**
 * enr_task_formatter_appointment:
 *
 * Returns: (transfer full): the earliest booked appointment with its
 *   crew, or an empty string
 */
char *
enr_task_formatter_appointment (EnrTaskFormatter *self,
                                EnrServiceTask   *task)
{
  EnrAppointment *next;

  g_return_val_if_fail (ENR_IS_TASK_FORMATTER (self), NULL);

  if ((next = enr_monitor_task_next_appointment (task)) == NULL)
    return g_strdup ("");

  return enr_format_appointment (enr_appointment_get_start (next),
                                 enr_appointment_get_end (next),
                                 enr_task_formatter_crew_name (self, enr_appointment_get_crew_id (next)));
}

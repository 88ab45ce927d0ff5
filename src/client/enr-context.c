/* enr-context.c — what the widgets of the desktop client get their data from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One per application: the client store, the settings, the user name and,
 * once signed in, the sync engine (any GObject; the sync layer plugs in
 * here). Widgets read cached objects through it and write process flows
 * through it, so they never talk to SQLite or HTTP themselves. Reads that
 * fail (a broken database) are logged and give empty results: the views
 * then show nothing rather than crash; writes report their errors.
 *
 * "flows-changed" (customer id) is emitted after a flow was queued for the
 * service or its draft was created, so that Customer Views refresh;
 * "cache-changed" (type) after the store committed changes of cached
 * records (a pull of the sync engine, for one), drafts excepted;
 * "flow-finished" (flow) after Finish queued a flow, so that the main
 * window confirms what was done.
 *
 * The context remembers the clerk's last interaction channel and
 * category (GSettings last-channel, last-category): the next flow's
 * Interaction Details start from them.
 *
 * Operations for the service: a new flow queues create-task (the task is
 * Pending from the start, as DOMAIN.md says); Save queues save-task;
 * Finish queues save-task with the last data, then finish-task; Cancel
 * Process queues cancel-task. All of them work offline; Save, Finish and
 * Cancel Process also ask a running sync engine to push at once.
 */

#include "config.h"

#include "enr-context.h"

#include "enr-format.h"
#include "enr-outbox.h"
#include "enr-sync-engine.h"

struct _EnrContext
{
  GObject    parent_instance;

  EnrStore  *store;
  GSettings *settings;
  GObject   *sync_engine;
  char      *username;
  EnrRole    role;
  GDate      today;
};

G_DEFINE_FINAL_TYPE (EnrContext, enr_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_SYNC_ENGINE,
  PROP_USERNAME,
  PROP_ROLE,
  N_PROPS
};

enum {
  FLOWS_CHANGED,
  CACHE_CHANGED,
  FLOW_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GPtrArray *
empty_array (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static GPtrArray *
list_or_empty (EnrContext *self,
               GType       type,
               const char *property,
               const char *value)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *result;

  result = enr_store_list (self->store, type, property, value, &error);
  if (result == NULL)
    {
      g_warning ("Could not read %s from the local store: %s", g_type_name (type), error->message);
      return empty_array ();
    }

  return result;
}

static void
on_store_changed_cb (EnrContext *self,
                     GType       type,
                     EnrStore   *store)
{
  /* Drafts change with every keystroke; flows-changed covers them. */
  if (type == ENR_TYPE_PROCESS_FLOW)
    return;

  g_signal_emit (self, signals[CACHE_CHANGED], 0, type);
}

static void
enr_context_constructed (GObject *object)
{
  EnrContext *self = (EnrContext *) object;

  G_OBJECT_CLASS (enr_context_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
enr_context_finalize (GObject *object)
{
  EnrContext *self = (EnrContext *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->sync_engine);
  g_clear_pointer (&self->username, g_free);

  G_OBJECT_CLASS (enr_context_parent_class)->finalize (object);
}

static void
enr_context_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EnrContext *self = ENR_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_SYNC_ENGINE:
      g_value_set_object (value, self->sync_engine);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, enr_context_get_username (self));
      break;

    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_context_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  EnrContext *self = ENR_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_SYNC_ENGINE:
      enr_context_set_sync_engine (self, g_value_get_object (value));
      break;

    case PROP_USERNAME:
      enr_context_set_username (self, g_value_get_string (value));
      break;

    case PROP_ROLE:
      enr_context_set_role (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_context_class_init (EnrContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = enr_context_constructed;
  object_class->finalize = enr_context_finalize;
  object_class->get_property = enr_context_get_property;
  object_class->set_property = enr_context_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         ENR_TYPE_STORE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  /* An EnrSyncEngine once the sync layer exists; NULL = working offline. */
  properties[PROP_SYNC_ENGINE] =
    g_param_spec_object ("sync-engine", NULL, NULL,
                         G_TYPE_OBJECT,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /* The signed-in user's role (from the service); clerk until then. */
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       ENR_TYPE_ROLE, ENR_ROLE_CLERK,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EnrContext::cache-changed:
   * @type: the type whose cached records changed
   */
  signals[CACHE_CHANGED] =
    g_signal_new ("cache-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_GTYPE);

  /**
   * EnrContext::flows-changed:
   * @customer_id: (nullable): the customer whose flows changed
   */
  signals[FLOWS_CHANGED] =
    g_signal_new ("flows-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * EnrContext::flow-finished:
   * @flow: the flow Finish closed and queued for the service
   */
  signals[FLOW_FINISHED] =
    g_signal_new ("flow-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ENR_TYPE_PROCESS_FLOW);
}

static void
enr_context_init (EnrContext *self)
{
  g_date_clear (&self->today, 1);
}

/**
 * enr_context_new:
 * @settings: (nullable): the application's settings
 */
EnrContext *
enr_context_new (EnrStore  *store,
                 GSettings *settings)
{
  g_return_val_if_fail (ENR_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (ENR_TYPE_CONTEXT,
                       "store", store,
                       "settings", settings,
                       NULL);
}

EnrStore *
enr_context_get_store (EnrContext *self)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  return self->store;
}

/**
 * enr_context_get_settings:
 *
 * Returns: (transfer none) (nullable): the application's settings
 */
GSettings *
enr_context_get_settings (EnrContext *self)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  return self->settings;
}

/**
 * enr_context_get_sync_engine:
 *
 * Returns: (transfer none) (nullable): the sync engine, %NULL when offline
 */
GObject *
enr_context_get_sync_engine (EnrContext *self)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  return self->sync_engine;
}

void
enr_context_set_sync_engine (EnrContext *self,
                             GObject    *sync_engine)
{
  g_return_if_fail (ENR_IS_CONTEXT (self));
  g_return_if_fail (sync_engine == NULL || G_IS_OBJECT (sync_engine));

  if (g_set_object (&self->sync_engine, sync_engine))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_ENGINE]);
}

/* The signed-in user; before sign-in the last user name, else the login. */
const char *
enr_context_get_username (EnrContext *self)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  if (self->username == NULL && self->settings != NULL)
    {
      g_autofree char *saved = g_settings_get_string (self->settings, "username");

      if (saved[0] != '\0')
        self->username = g_steal_pointer (&saved);
    }

  if (self->username == NULL)
    self->username = g_strdup (g_get_user_name ());

  return self->username;
}

void
enr_context_set_username (EnrContext *self,
                          const char *username)
{
  g_return_if_fail (ENR_IS_CONTEXT (self));

  /* What they queue from now on is theirs (the name shown before anyone
   * signed in is only a guess: see enr_context_get_username()). */
  enr_store_set_user (self->store, username);

  if (g_strcmp0 (self->username, username) == 0)
    return;

  g_free (self->username);
  self->username = g_strdup (username);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

/**
 * enr_context_get_role:
 *
 * Returns: the signed-in user's role; %ENR_ROLE_CLERK before sign-in
 */
EnrRole
enr_context_get_role (EnrContext *self)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), ENR_ROLE_CLERK);

  return self->role;
}

void
enr_context_set_role (EnrContext *self,
                      EnrRole     role)
{
  g_return_if_fail (ENR_IS_CONTEXT (self));

  if (self->role == role)
    return;

  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

/**
 * enr_context_set_today:
 * @today: (nullable): the date rules take as today; %NULL = the real date
 *
 * For tests and demonstrations with fixed data: "now" then is 08:00 local
 * time of that day, so slots, validation and eligibility agree.
 */
void
enr_context_set_today (EnrContext  *self,
                       const GDate *today)
{
  g_return_if_fail (ENR_IS_CONTEXT (self));

  if (today != NULL && g_date_valid (today))
    self->today = *today;
  else
    g_date_clear (&self->today, 1);
}

void
enr_context_get_today (EnrContext *self,
                       GDate      *today)
{
  g_autoptr(GDateTime) now = NULL;
  int year, month, day;

  g_return_if_fail (ENR_IS_CONTEXT (self));
  g_return_if_fail (today != NULL);

  if (g_date_valid (&self->today))
    {
      *today = self->today;
      return;
    }

  now = g_date_time_new_now (enr_local_time_zone ());
  g_date_time_get_ymd (now, &year, &month, &day);
  g_date_clear (today, 1);
  g_date_set_dmy (today, day, month, year);
}

/**
 * enr_context_get_now:
 *
 * Returns: (transfer full): the current instant, local time zone
 */
GDateTime *
enr_context_get_now (EnrContext *self)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  if (g_date_valid (&self->today))
    return g_date_time_new (enr_local_time_zone (),
                            g_date_get_year (&self->today),
                            g_date_get_month (&self->today),
                            g_date_get_day (&self->today),
                            8, 0, 0);

  return g_date_time_new_now (enr_local_time_zone ());
}

/**
 * enr_context_lookup:
 * @id: (nullable): the object's id
 *
 * Returns: (transfer full) (nullable): the cached object, %NULL when it is
 *   unknown
 */
gpointer
enr_context_lookup (EnrContext *self,
                    GType       type,
                    const char *id)
{
  g_autoptr(GError) error = NULL;
  gpointer object;

  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  if (id == NULL || id[0] == '\0')
    return NULL;

  object = enr_store_get (self->store, type, id, &error);
  if (object == NULL && !g_error_matches (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND))
    g_warning ("Could not read %s %s from the local store: %s",
               g_type_name (type), id, error->message);

  return object;
}

/**
 * enr_context_list:
 *
 * For the small reference lists (programs, crews, activity types…), never
 * for customers.
 *
 * Returns: (transfer full) (element-type GObject): every cached object of @type
 */
GPtrArray *
enr_context_list (EnrContext *self,
                  GType       type)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  return list_or_empty (self, type, NULL, NULL);
}

static int
compare_code_labels (gconstpointer a,
                     gconstpointer b)
{
  EnrCodeValue *value_a = *(EnrCodeValue **) a;
  EnrCodeValue *value_b = *(EnrCodeValue **) b;

  return g_utf8_collate (enr_code_value_get_label (value_a) ? enr_code_value_get_label (value_a) : "",
                         enr_code_value_get_label (value_b) ? enr_code_value_get_label (value_b) : "");
}

/**
 * enr_context_list_code_values:
 *
 * Returns: (transfer full) (element-type EnrCodeValue): the codes of
 *   @list, in the order of their labels
 */
GPtrArray *
enr_context_list_code_values (EnrContext  *self,
                              EnrCodeList  list)
{

  GPtrArray *values;

  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  values = list_or_empty (self, ENR_TYPE_CODE_VALUE, "list", enr_enum_to_nick (ENR_TYPE_CODE_LIST, list));
  g_ptr_array_sort (values, compare_code_labels);

  return values;
}

/**
 * enr_context_get_code_label:
 * @code: (nullable): a code of @list
 *
 * Returns: (nullable): the code's label, the code itself when it is not
 *   cached, %NULL for %NULL
 */
const char *
enr_context_get_code_label (EnrContext  *self,
                            EnrCodeList  list,
                            const char  *code)
{
  g_autoptr(EnrCodeValue) value = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  if (code == NULL || code[0] == '\0')
    return NULL;

  id = g_strconcat (enr_enum_to_nick (ENR_TYPE_CODE_LIST, list), "/", code, NULL);
  value = enr_context_lookup (self, ENR_TYPE_CODE_VALUE, id);
  if (value == NULL)
    return g_intern_string (code);

  return g_intern_string (enr_code_value_get_label (value));
}

/**
 * enr_context_search_customers:
 *
 * Returns: (transfer full) (element-type EnrCustomer): the best matches
 *   of @text by name, account, phone, email or address
 */
GPtrArray *
enr_context_search_customers (EnrContext  *self,
                              const char  *text,
                              guint        limit,
                              GError     **error)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  if (text == NULL || text[0] == '\0')
    return empty_array ();

  return enr_store_search_customers (self->store, text, limit, error);
}

GPtrArray *
enr_context_list_metered_services (EnrContext *self,
                                   const char *customer_id)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  if (customer_id == NULL)
    return empty_array ();

  return list_or_empty (self, ENR_TYPE_METERED_SERVICE, "customer-id", customer_id);
}

GPtrArray *
enr_context_list_device_locations (EnrContext *self,
                                   const char *service_point_id)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  if (service_point_id == NULL)
    return empty_array ();

  return list_or_empty (self, ENR_TYPE_DEVICE_LOCATION, "service-point-id", service_point_id);
}

GPtrArray *
enr_context_list_devices (EnrContext *self,
                          const char *device_location_id)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  if (device_location_id == NULL)
    return empty_array ();

  return list_or_empty (self, ENR_TYPE_DEVICE, "device-location-id", device_location_id);
}

/**
 * enr_context_list_customer_devices:
 *
 * Returns: (transfer full) (element-type EnrDevice): the devices at every
 *   device location of the customer's service points
 */
GPtrArray *
enr_context_list_customer_devices (EnrContext *self,
                                   const char *customer_id)
{
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GHashTable) seen = NULL;
  GPtrArray *devices;

  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  devices = empty_array ();
  services = enr_context_list_metered_services (self, customer_id);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < services->len; i++)
    {
      const char *point_id = enr_metered_service_get_service_point_id (g_ptr_array_index (services, i));
      g_autoptr(GPtrArray) locations = NULL;

      if (point_id == NULL || !g_hash_table_add (seen, g_strdup (point_id)))
        continue;

      locations = enr_context_list_device_locations (self, point_id);
      for (guint j = 0; j < locations->len; j++)
        {
          g_autoptr(GPtrArray) at = NULL;

          at = enr_context_list_devices (self, enr_entity_get_id (g_ptr_array_index (locations, j)));
          for (guint k = 0; k < at->len; k++)
            g_ptr_array_add (devices, g_object_ref (g_ptr_array_index (at, k)));
        }
    }

  return devices;
}

/**
 * enr_context_list_premise_subscriptions:
 * @service_point: (nullable): the service point whose premise is meant
 *
 * For a program's limit of enrollments per premise: every subscription of
 * a metered service at a service point of the same premise, whoever's
 * account it is on.
 *
 * Returns: (transfer full) (element-type EnrProgramSubscription): the
 *   subscriptions; empty without a premise
 */
GPtrArray *
enr_context_list_premise_subscriptions (EnrContext      *self,
                                        EnrServicePoint *service_point)
{
  const char *premise_id;
  g_autoptr(GPtrArray) points = NULL;
  GPtrArray *subscriptions;

  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  premise_id = service_point != NULL ? enr_service_point_get_premise_id (service_point) : NULL;
  if (premise_id == NULL || premise_id[0] == '\0')
    return empty_array ();

  subscriptions = empty_array ();
  points = list_or_empty (self, ENR_TYPE_SERVICE_POINT, "premise-id", premise_id);
  for (guint i = 0; i < points->len; i++)
    {
      g_autoptr(GPtrArray) services = NULL;

      services = list_or_empty (self, ENR_TYPE_METERED_SERVICE, "service-point-id",
                                enr_entity_get_id (g_ptr_array_index (points, i)));
      for (guint j = 0; j < services->len; j++)
        {
          g_autoptr(GPtrArray) at = NULL;

          at = list_or_empty (self, ENR_TYPE_PROGRAM_SUBSCRIPTION, "metered-service-id",
                              enr_entity_get_id (g_ptr_array_index (services, j)));
          for (guint k = 0; k < at->len; k++)
            g_ptr_array_add (subscriptions, g_object_ref (g_ptr_array_index (at, k)));
        }
    }

  return subscriptions;
}

GPtrArray *
enr_context_list_subscriptions (EnrContext *self,
                                const char *customer_id)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  if (customer_id == NULL)
    return empty_array ();

  return list_or_empty (self, ENR_TYPE_PROGRAM_SUBSCRIPTION, "customer-id", customer_id);
}

/**
 * enr_context_list_tasks:
 *
 * Returns: (transfer full) (element-type EnrServiceTask): the customer's
 *   service tasks known to the store (from the service)
 */
GPtrArray *
enr_context_list_tasks (EnrContext *self,
                        const char *customer_id)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  if (customer_id == NULL)
    return empty_array ();

  return list_or_empty (self, ENR_TYPE_SERVICE_TASK, "customer-id", customer_id);
}

/**
 * enr_context_list_flows:
 * @customer_id: (nullable): the customer; %NULL = every customer
 *
 * Returns: (transfer full) (element-type EnrProcessFlow): the local drafts
 *   of the customer's process flows, open or not
 */
GPtrArray *
enr_context_list_flows (EnrContext *self,
                        const char *customer_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  GPtrArray *flows;

  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  flows = empty_array ();
  /* Every status: closed flows not yet known to the service still matter. */
  drafts = enr_store_list (self->store, ENR_TYPE_PROCESS_FLOW, NULL, NULL, &error);
  if (drafts == NULL)
    {
      g_warning ("Could not read the drafts from the local store: %s", error->message);
      return flows;
    }

  for (guint i = 0; i < drafts->len; i++)
    {
      EnrProcessFlow *flow = g_ptr_array_index (drafts, i);
      EnrServiceTask *task = enr_process_flow_get_task (flow);

      if (customer_id == NULL ||
          (task != NULL && g_strcmp0 (enr_service_task_get_customer_id (task), customer_id) == 0))
        g_ptr_array_add (flows, g_object_ref (flow));
    }

  return flows;
}

GPtrArray *
enr_context_list_crew_shifts (EnrContext *self)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  return list_or_empty (self, ENR_TYPE_CREW_SHIFT, NULL, NULL);
}

GPtrArray *
enr_context_list_appointments (EnrContext *self)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);

  return list_or_empty (self, ENR_TYPE_APPOINTMENT, "status", "booked");
}

/**
 * enr_context_load_flow:
 *
 * Returns: (transfer full): the draft of the flow @flow_id
 */
EnrProcessFlow *
enr_context_load_flow (EnrContext  *self,
                       const char  *flow_id,
                       GError     **error)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (flow_id != NULL, NULL);

  return enr_store_load_draft (self->store, flow_id, error);
}

/* The draft only, in the local store: every change of a panel. */
gboolean
enr_context_save_draft (EnrContext      *self,
                        EnrProcessFlow  *flow,
                        GError         **error)
{
  g_return_val_if_fail (ENR_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (flow), FALSE);

  return enr_store_save_draft (self->store, flow, error);
}

/* A new flow: its draft and the creation of its service task (Pending) at
 * the service, in one transaction. */
gboolean
enr_context_create_flow (EnrContext      *self,
                         EnrProcessFlow  *flow,
                         GError         **error)
{
  g_autoptr(EnrOperation) operation = NULL;

  g_return_val_if_fail (ENR_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (flow), FALSE);

  operation = enr_store_save_flow_with_operation (self->store, flow, ENR_OPERATION_KIND_CREATE_TASK,
                                                  NULL, error);
  return operation != NULL;
}

/* Queued work goes out at once when the engine runs (signed in). */
static void
push_now (EnrContext *self)
{
  if (ENR_IS_SYNC_ENGINE (self->sync_engine) &&
      enr_sync_engine_get_running (ENR_SYNC_ENGINE (self->sync_engine)))
    enr_sync_engine_sync_now (ENR_SYNC_ENGINE (self->sync_engine));
}

/**
 * enr_context_send_queued:
 *
 * Sends the outbox now when the sync engine runs (signed in, online);
 * otherwise it goes out with the next sync.
 */
void
enr_context_send_queued (EnrContext *self)
{
  g_return_if_fail (ENR_IS_CONTEXT (self));

  push_now (self);
}

/**
 * enr_context_submit_flow_full:
 * @body: (nullable): the operation's body (Cancel Process: the reason)
 *
 * Save, Finish or Cancel Process: the draft and an outbox operation for
 * the service in one transaction. The flow's status tells which: open →
 * save-task, closed → finish-task, canceled → cancel-task.
 */
gboolean
enr_context_submit_flow_full (EnrContext      *self,
                              EnrProcessFlow  *flow,
                              const char      *body,
                              GError         **error)
{
  g_autoptr(EnrOperation) operation = NULL;
  EnrOperationKind kind;

  g_return_val_if_fail (ENR_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (flow), FALSE);

  switch (enr_process_flow_get_status (flow))
    {
    case ENR_FLOW_STATUS_CLOSED:
      kind = ENR_OPERATION_KIND_FINISH_TASK;
      break;

    case ENR_FLOW_STATUS_CANCELED:
      kind = ENR_OPERATION_KIND_CANCEL_TASK;
      break;

    case ENR_FLOW_STATUS_OPEN:
    default:
      kind = ENR_OPERATION_KIND_SAVE_TASK;
      break;
    }

  operation = enr_store_save_flow_with_operation (self->store, flow, kind, body, error);
  if (operation == NULL)
    return FALSE;

  push_now (self);
  return TRUE;
}

/**
 * enr_context_submit_flow:
 *
 * Queues @flow for the service: save-task while it is open, finish-task
 * once closed, cancel-task once canceled.
 */
gboolean
enr_context_submit_flow (EnrContext      *self,
                         EnrProcessFlow  *flow,
                         GError         **error)
{
  return enr_context_submit_flow_full (self, flow, NULL, error);
}

void
enr_context_notify_flows_changed (EnrContext *self,
                                  const char *customer_id)
{
  g_return_if_fail (ENR_IS_CONTEXT (self));

  g_signal_emit (self, signals[FLOWS_CHANGED], 0, customer_id);
}

void
enr_context_notify_flow_finished (EnrContext     *self,
                                  EnrProcessFlow *flow)
{
  g_return_if_fail (ENR_IS_CONTEXT (self));
  g_return_if_fail (ENR_IS_PROCESS_FLOW (flow));

  g_signal_emit (self, signals[FLOW_FINISHED], 0, flow);
}

/* Whether the code @code is one of @list (cached). */
static gboolean
has_code (EnrContext  *self,
          EnrCodeList  list,
          const char  *code)
{
  g_autoptr(EnrCodeValue) value = NULL;
  g_autofree char *id = NULL;

  if (code == NULL || code[0] == '\0')
    return FALSE;

  id = g_strconcat (enr_enum_to_nick (ENR_TYPE_CODE_LIST, list), "/", code, NULL);
  value = enr_context_lookup (self, ENR_TYPE_CODE_VALUE, id);
  return value != NULL;
}

/**
 * enr_context_get_last_interaction:
 * @channel: (out) (transfer full) (nullable): the channel the clerk chose
 *   last, when it is still a code of the channel list
 * @category: (out) (transfer full) (nullable): the category likewise
 */
void
enr_context_get_last_interaction (EnrContext  *self,
                                  char       **channel,
                                  char       **category)
{
  g_autofree char *last_channel = NULL;
  g_autofree char *last_category = NULL;

  g_return_if_fail (ENR_IS_CONTEXT (self));
  g_return_if_fail (channel != NULL && category != NULL);

  *channel = *category = NULL;
  if (self->settings == NULL)
    return;

  last_channel = g_settings_get_string (self->settings, "last-channel");
  last_category = g_settings_get_string (self->settings, "last-category");
  if (has_code (self, ENR_CODE_LIST_CHANNEL, last_channel))
    *channel = g_steal_pointer (&last_channel);
  if (has_code (self, ENR_CODE_LIST_CATEGORY, last_category))
    *category = g_steal_pointer (&last_category);
}

/**
 * enr_context_remember_interaction:
 * @channel: (nullable): a channel the clerk chose, or %NULL to keep the last
 * @category: (nullable): a category the clerk chose, or %NULL likewise
 */
void
enr_context_remember_interaction (EnrContext *self,
                                  const char *channel,
                                  const char *category)
{
  g_return_if_fail (ENR_IS_CONTEXT (self));

  if (self->settings == NULL)
    return;

  if (channel != NULL && channel[0] != '\0')
    g_settings_set_string (self->settings, "last-channel", channel);
  if (category != NULL && category[0] != '\0')
    g_settings_set_string (self->settings, "last-category", category);
}

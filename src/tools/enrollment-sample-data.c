/* enrollment-sample-data.c — generates a data set of N customers
 *
 *   enrollment-sample-data --customers N --output DIR [--seed S] [--reference DIR]
 *
 * The reference collections (programs, program types, initiatives, service
 * task types, action methods, activity types, crew shift types, crews,
 * code values, users) are copied from the reference data set, decoded and
 * re-encoded. Every generated customer is modelled on a customer of the
 * reference chosen at random: it gets the same metered services, service
 * points (rate, division, life support, characteristics), device locations,
 * devices and subscriptions, with new ids, names, addresses and numbers. So
 * the output has the shape and, on average, the proportions of the
 * reference, and every reference resolves. Output is streamed: memory does
 * not grow with N.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "enr-codec.h"
#include "enr-customer.h"
#include "enr-dataset.h"
#include "enr-device.h"
#include "enr-device-location.h"
#include "enr-metered-service.h"
#include "enr-program-subscription.h"
#include "enr-service-point.h"

#define PROGRESS_EVERY 100000

static const char * const first_names[] = {
  "Aaron", "Abigail", "Adrian", "Aisha", "Alejandro", "Alice", "Amara", "Andrew",
  "Angela", "Anthony", "Ava", "Benjamin", "Brandon", "Camila", "Carlos", "Caroline",
  "Charlotte", "Chen", "Chloe", "Christopher", "Daniel", "David", "Diana", "Dmitri",
  "Dorothy", "Eleanor", "Elena", "Elijah", "Emily", "Emma", "Ethan", "Fatima",
  "Frank", "Gabriel", "George", "Grace", "Hannah", "Harold", "Hiroshi", "Ibrahim",
  "Isabella", "Jacob", "James", "Jasmine", "Jennifer", "Jessica", "John", "Jose",
  "Joseph", "Julia", "Kevin", "Kimberly", "Laura", "Leah", "Liam", "Linda",
  "Lucas", "Luis", "Maria", "Mark", "Martha", "Matthew", "Maya", "Megan",
  "Michael", "Mohammed", "Nadia", "Natalie", "Nathan", "Noah", "Olivia", "Omar",
  "Patricia", "Paul", "Priya", "Rachel", "Rebecca", "Richard", "Robert", "Rosa",
  "Ruth", "Samuel", "Sarah", "Sofia", "Stephen", "Susan", "Thomas", "Valentina",
  "Victor", "Walter", "William", "Yusuf", "Zoe",
};

static const char * const last_names[] = {
  "Adams", "Ali", "Alvarez", "Anderson", "Baker", "Becker", "Bennett", "Brooks",
  "Brown", "Campbell", "Carter", "Castillo", "Chen", "Clark", "Collins", "Cooper",
  "Davis", "Diaz", "Dubois", "Edwards", "Evans", "Fischer", "Foster", "Garcia",
  "Gonzalez", "Grant", "Green", "Haddad", "Hall", "Harris", "Hernandez", "Hill",
  "Ito", "Jackson", "Johansson", "Johnson", "Jones", "Kim", "King", "Kowalski",
  "Lee", "Lewis", "Lopez", "Martin", "Martinez", "Mitchell", "Moore", "Morales",
  "Murphy", "Nelson", "Nguyen", "Novak", "O'Brien", "Okafor", "Park", "Patel",
  "Perez", "Phillips", "Ramirez", "Rahman", "Reyes", "Rivera", "Roberts", "Robinson",
  "Rodriguez", "Rossi", "Russo", "Sanchez", "Schmidt", "Scott", "Singh", "Smith",
  "Sullivan", "Tanaka", "Taylor", "Thomas", "Thompson", "Torres", "Turner", "Walker",
  "Wagner", "White", "Williams", "Wilson", "Wright", "Young", "Zhang",
};

static const char * const streets[] = {
  "Alder St", "Aspen Ct", "Bayview Ave", "Birch St", "Bridge St", "Canyon Rd",
  "Cedar Ave", "Chestnut St", "Church St", "Commerce Way", "Copper St", "Creekside Dr",
  "Depot St", "Elm St", "Elmwood Dr", "Fir Ln", "Forest Ave", "Front St",
  "Granite Way", "Harbor View Dr", "Hemlock Rd", "Heron Pl", "Highland Ave", "Hill St",
  "Lakeview Dr", "Lincoln Blvd", "Main St", "Maple Ave", "Market St", "Meadow Ln",
  "Mesa Dr", "Mill Rd", "Oak St", "Orchard Ln", "Pine St", "Poplar St",
  "Prairie Ave", "Quarry Rd", "Ridge Rd", "Ridgeview Rd", "River Rd", "Rosewood Ln",
  "Spruce Ct", "Summit Ave", "Sycamore St", "Valley Rd", "Water St", "Willow Way",
};

static const char * const email_domains[] = {
  "example.com", "example.net", "example.org",
};

/* A reference object and the copy that is rewritten for each customer
 * modelled on it; the reference keeps the original ids and values. */
typedef struct
{
  GObject *reference;
  GObject *work;
} Pair;

typedef struct
{
  Pair      *customer;
  GPtrArray *points;         /* of Pair */
  GPtrArray *services;
  GPtrArray *locations;
  GPtrArray *subscriptions;
  GPtrArray *devices;
} Template;

typedef struct
{
  GRand            *rand;
  EnrDatasetWriter *writer;
  GPtrArray        *templates;
  GHashTable       *ids;     /* reference id → generated id, per customer */
  GHashTable       *addresses;  /* reference service point id → new address */
  guint64           customers;
  guint64           metered_services;
  guint64           service_points;
  guint64           locations;
  guint64           devices;
  guint64           subscriptions;
} Generator;

static void
pair_free (gpointer data)
{
  Pair *pair = data;

  g_clear_object (&pair->reference);
  g_clear_object (&pair->work);
  g_free (pair);
}

static Pair *
pair_new (gpointer   reference,
          GError   **error)
{
  g_autoptr(JsonNode) node = enr_codec_encode (reference);
  g_autoptr(GObject) work = NULL;
  Pair *pair;

  work = enr_codec_decode (G_OBJECT_TYPE (reference), node, error);
  if (work == NULL)
    return NULL;

  pair = g_new0 (Pair, 1);
  pair->reference = g_object_ref (reference);
  pair->work = g_steal_pointer (&work);

  return pair;
}

static void
template_free (gpointer data)
{
  Template *template = data;

  g_clear_pointer (&template->customer, pair_free);
  g_clear_pointer (&template->points, g_ptr_array_unref);
  g_clear_pointer (&template->services, g_ptr_array_unref);
  g_clear_pointer (&template->locations, g_ptr_array_unref);
  g_clear_pointer (&template->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&template->devices, g_ptr_array_unref);
  g_free (template);
}

/* Loading the reference */

typedef struct
{
  GPtrArray  *customers;
  GHashTable *services;       /* customer id → GPtrArray */
  GHashTable *points;         /* service point id → EnrServicePoint */
  GHashTable *locations;      /* service point id → GPtrArray */
  GHashTable *subscriptions;  /* customer id → GPtrArray */
  GHashTable *devices;        /* device location id → GPtrArray */
} Reference;

static void
reference_clear (Reference *reference)
{
  g_clear_pointer (&reference->customers, g_ptr_array_unref);
  g_clear_pointer (&reference->services, g_hash_table_unref);
  g_clear_pointer (&reference->points, g_hash_table_unref);
  g_clear_pointer (&reference->locations, g_hash_table_unref);
  g_clear_pointer (&reference->subscriptions, g_hash_table_unref);
  g_clear_pointer (&reference->devices, g_hash_table_unref);
}

static GHashTable *
multimap_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) g_ptr_array_unref);
}

static void
multimap_add (GHashTable *multimap,
              const char *key,
              gpointer    object)
{
  GPtrArray *values;

  if (key == NULL)
    return;

  values = g_hash_table_lookup (multimap, key);
  if (values == NULL)
    {
      values = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (multimap, g_strdup (key), values);
    }

  g_ptr_array_add (values, g_object_ref (object));
}

static gboolean
collect_customer (gpointer   object,
                  guint64    line_number,
                  gpointer   user_data,
                  GError   **error)
{
  Reference *reference = user_data;

  g_ptr_array_add (reference->customers, g_object_ref (object));
  return TRUE;
}

static gboolean
collect_point (gpointer   object,
               guint64    line_number,
               gpointer   user_data,
               GError   **error)
{
  Reference *reference = user_data;

  g_hash_table_insert (reference->points,
                       g_strdup (enr_entity_get_id (ENR_ENTITY (object))),
                       g_object_ref (object));
  return TRUE;
}

static gboolean
collect_service (gpointer   object,
                 guint64    line_number,
                 gpointer   user_data,
                 GError   **error)
{
  Reference *reference = user_data;

  multimap_add (reference->services,
                enr_metered_service_get_customer_id (ENR_METERED_SERVICE (object)), object);
  return TRUE;
}

static gboolean
collect_location (gpointer   object,
                  guint64    line_number,
                  gpointer   user_data,
                  GError   **error)
{
  Reference *reference = user_data;

  multimap_add (reference->locations,
                enr_device_location_get_service_point_id (ENR_DEVICE_LOCATION (object)), object);
  return TRUE;
}

static gboolean
collect_subscription (gpointer   object,
                      guint64    line_number,
                      gpointer   user_data,
                      GError   **error)
{
  Reference *reference = user_data;

  multimap_add (reference->subscriptions,
                enr_program_subscription_get_customer_id (ENR_PROGRAM_SUBSCRIPTION (object)),
                object);
  return TRUE;
}

static gboolean
collect_device (gpointer   object,
                guint64    line_number,
                gpointer   user_data,
                GError   **error)
{
  Reference *reference = user_data;

  multimap_add (reference->devices,
                enr_device_get_device_location_id (ENR_DEVICE (object)), object);
  return TRUE;
}

static gboolean
add_pairs (GPtrArray  *pairs,
           GPtrArray  *objects,
           GError    **error)
{
  for (guint i = 0; objects != NULL && i < objects->len; i++)
    {
      Pair *pair = pair_new (g_ptr_array_index (objects, i), error);

      if (pair == NULL)
        return FALSE;

      g_ptr_array_add (pairs, pair);
    }

  return TRUE;
}

static Template *
template_new (Reference    *reference,
              EnrCustomer  *customer,
              GError      **error)
{
  const char *customer_id = enr_entity_get_id (ENR_ENTITY (customer));
  GPtrArray *services = g_hash_table_lookup (reference->services, customer_id);
  g_autoptr(GPtrArray) points = g_ptr_array_new ();
  g_autoptr(GPtrArray) locations = g_ptr_array_new ();
  g_autoptr(GPtrArray) devices = g_ptr_array_new ();
  Template *template;

  for (guint i = 0; services != NULL && i < services->len; i++)
    {
      EnrMeteredService *service = g_ptr_array_index (services, i);
      const char *point_id = enr_metered_service_get_service_point_id (service);
      EnrServicePoint *point;
      GPtrArray *point_locations;

      point = point_id != NULL ? g_hash_table_lookup (reference->points, point_id) : NULL;
      if (point == NULL || g_ptr_array_find (points, point, NULL))
        continue;

      g_ptr_array_add (points, point);

      point_locations = g_hash_table_lookup (reference->locations, point_id);
      for (guint j = 0; point_locations != NULL && j < point_locations->len; j++)
        {
          EnrDeviceLocation *location = g_ptr_array_index (point_locations, j);
          GPtrArray *location_devices;

          g_ptr_array_add (locations, location);

          location_devices = g_hash_table_lookup (reference->devices,
                                                  enr_entity_get_id (ENR_ENTITY (location)));
          if (location_devices != NULL)
            g_ptr_array_extend (devices, location_devices, NULL, NULL);
        }
    }

  template = g_new0 (Template, 1);
  template->points = g_ptr_array_new_with_free_func (pair_free);
  template->services = g_ptr_array_new_with_free_func (pair_free);
  template->locations = g_ptr_array_new_with_free_func (pair_free);
  template->subscriptions = g_ptr_array_new_with_free_func (pair_free);
  template->devices = g_ptr_array_new_with_free_func (pair_free);

  template->customer = pair_new (customer, error);
  if (template->customer == NULL ||
      !add_pairs (template->points, points, error) ||
      !add_pairs (template->services, services, error) ||
      !add_pairs (template->locations, locations, error) ||
      !add_pairs (template->subscriptions,
                  g_hash_table_lookup (reference->subscriptions, customer_id), error) ||
      !add_pairs (template->devices, devices, error))
    {
      template_free (template);
      return NULL;
    }

  return template;
}

static GPtrArray *
load_templates (EnrDatasetReader  *reader,
                GError           **error)
{
  Reference reference = { 0 };
  g_autoptr(GPtrArray) templates = NULL;
  gboolean ok;

  reference.customers = g_ptr_array_new_with_free_func (g_object_unref);
  reference.services = multimap_new ();
  reference.points = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  reference.locations = multimap_new ();
  reference.subscriptions = multimap_new ();
  reference.devices = multimap_new ();

  ok = (enr_dataset_reader_foreach (reader, "customers", G_TYPE_INVALID,
                                    collect_customer, &reference, NULL, error) &&
        enr_dataset_reader_foreach (reader, "service_points", G_TYPE_INVALID,
                                    collect_point, &reference, NULL, error) &&
        enr_dataset_reader_foreach (reader, "metered_services", G_TYPE_INVALID,
                                    collect_service, &reference, NULL, error) &&
        enr_dataset_reader_foreach (reader, "device_locations", G_TYPE_INVALID,
                                    collect_location, &reference, NULL, error) &&
        enr_dataset_reader_foreach (reader, "subscriptions", G_TYPE_INVALID,
                                    collect_subscription, &reference, NULL, error) &&
        enr_dataset_reader_foreach (reader, "devices", G_TYPE_INVALID,
                                    collect_device, &reference, NULL, error));

  if (ok && reference.customers->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The reference data set has no customers to model new ones on"));
      ok = FALSE;
    }

  if (ok)
    {
      templates = g_ptr_array_new_with_free_func (template_free);

      for (guint i = 0; i < reference.customers->len; i++)
        {
          Template *template = template_new (&reference,
                                             g_ptr_array_index (reference.customers, i),
                                             error);

          if (template == NULL)
            {
              ok = FALSE;
              break;
            }

          g_ptr_array_add (templates, template);
        }
    }

  reference_clear (&reference);

  return ok ? g_steal_pointer (&templates) : NULL;
}

/* Copying the reference collections */

static gboolean
copy_object (gpointer   object,
             guint64    line_number,
             gpointer   user_data,
             GError   **error)
{
  const EnrDatasetCollection *collection = ((gpointer *) user_data)[0];
  EnrDatasetWriter *writer = ((gpointer *) user_data)[1];

  return enr_dataset_writer_add (writer, collection->name, object, NULL, error);
}

static gboolean
copy_user (EnrUser     *user,
           const char  *password,
           guint64      line_number,
           gpointer     user_data,
           GError     **error)
{
  return enr_dataset_writer_add_user (user_data, user, password, NULL, error);
}

static gboolean
is_customer_collection (const char *name)
{
  static const char * const names[] = {
    "customers", "service_points", "metered_services",
    "device_locations", "subscriptions", "devices", NULL,
  };

  return g_strv_contains (names, name);
}

static gboolean
copy_reference (EnrDatasetReader  *reader,
                EnrDatasetWriter  *writer,
                GError           **error)
{
  const EnrDatasetCollection *collections = enr_dataset_collections (NULL);

  for (guint i = 0; collections[i].name != NULL; i++)
    {
      gpointer data[2] = { (gpointer) &collections[i], writer };

      if (is_customer_collection (collections[i].name))
        continue;

      if (g_str_equal (collections[i].name, "users"))
        {
          if (!enr_dataset_reader_foreach_user (reader, copy_user, writer, NULL, error))
            return FALSE;
        }
      else if (!enr_dataset_reader_foreach (reader, collections[i].name, G_TYPE_INVALID,
                                            copy_object, data, NULL, error))
        {
          return FALSE;
        }
    }

  return TRUE;
}

/* Generating customers */

static const char *
pick (Generator          *gen,
      const char * const *list,
      guint               n)
{
  return list[g_rand_int_range (gen->rand, 0, (gint32) n)];
}

static char *
next_id (const char *prefix,
         guint64    *counter)
{
  return g_strdup_printf ("%s-g%07" G_GUINT64_FORMAT, prefix, ++*counter);
}

static const char *
map_id (Generator  *gen,
        const char *reference_id)
{
  if (reference_id == NULL)
    return NULL;

  return g_hash_table_lookup (gen->ids, reference_id);
}

static const char *
remember_id (Generator  *gen,
             const char *reference_id,
             char       *id)
{
  g_hash_table_insert (gen->ids, g_strdup (reference_id), id);
  return id;
}

/* "1423 Maple Ave, Riverbend, OR 97401" → a new street part before the
 * reference's first comma; the town, unit and postcode stay. */
static char *
new_address (Generator  *gen,
             const char *reference)
{
  const char *tail = strchr (reference, ',');

  return g_strdup_printf ("%d %s%s",
                          g_rand_int_range (gen->rand, 1, 10000),
                          pick (gen, streets, G_N_ELEMENTS (streets)),
                          tail != NULL ? tail : "");
}

static char *
ascii_lower (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
    }

  return g_string_free (out, FALSE);
}

static gboolean
write_points (Generator  *gen,
              Template   *template,
              char      **primary_address,
              GError    **error)
{
  for (guint i = 0; i < template->points->len; i++)
    {
      Pair *pair = g_ptr_array_index (template->points, i);
      EnrServicePoint *reference = ENR_SERVICE_POINT (pair->reference);
      EnrServicePoint *point = ENR_SERVICE_POINT (pair->work);
      const char *reference_id = enr_entity_get_id (ENR_ENTITY (reference));
      const char *id = remember_id (gen, reference_id, next_id ("sp", &gen->service_points));
      char *address = NULL;

      enr_entity_set_id (ENR_ENTITY (point), id);

      if (enr_service_point_get_address (reference) != NULL)
        address = new_address (gen, enr_service_point_get_address (reference));
      enr_service_point_set_address (point, address);
      g_hash_table_insert (gen->addresses, g_strdup (reference_id), address);

      if (enr_service_point_get_premise_id (reference) != NULL)
        {
          g_autofree char *premise = g_strdup_printf ("PREM-G%07" G_GUINT64_FORMAT,
                                                      gen->service_points);

          enr_service_point_set_premise_id (point, premise);
        }

      if (i == 0 && address != NULL)
        *primary_address = g_strdup (address);

      if (!enr_dataset_writer_add (gen->writer, "service_points", point, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_customer (Generator   *gen,
                Template    *template,
                const char  *primary_address,
                GError     **error)
{
  EnrCustomer *reference = ENR_CUSTOMER (template->customer->reference);
  EnrCustomer *customer = ENR_CUSTOMER (template->customer->work);
  const char *first = pick (gen, first_names, G_N_ELEMENTS (first_names));
  const char *last = pick (gen, last_names, G_N_ELEMENTS (last_names));
  const char *reference_mailing = enr_customer_get_mailing_address (reference);
  g_autofree char *name = g_strdup_printf ("%s %s", first, last);
  g_autofree char *account = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *email = NULL;
  g_autofree char *mailing = NULL;
  Pair *first_point = template->points->len > 0 ? g_ptr_array_index (template->points, 0) : NULL;
  const char *reference_address = NULL;

  if (first_point != NULL)
    reference_address = enr_service_point_get_address (ENR_SERVICE_POINT (first_point->reference));

  enr_entity_set_id (ENR_ENTITY (customer),
                     remember_id (gen, enr_entity_get_id (ENR_ENTITY (reference)),
                                  next_id ("cust", &gen->customers)));
  account = g_strdup_printf ("RPL-G%07" G_GUINT64_FORMAT, gen->customers);
  enr_customer_set_name (customer, name);
  enr_customer_set_account_id (customer, account);

  if (enr_customer_get_phone (reference) != NULL)
    phone = g_strdup_printf ("(541) 555-%04d", g_rand_int_range (gen->rand, 100, 200));
  enr_customer_set_phone (customer, phone);

  if (enr_customer_get_email (reference) != NULL)
    {
      g_autofree char *local_first = ascii_lower (first);
      g_autofree char *local_last = ascii_lower (last);

      email = g_strdup_printf ("%s.%s.%" G_GUINT64_FORMAT "@%s", local_first, local_last,
                               gen->customers,
                               pick (gen, email_domains, G_N_ELEMENTS (email_domains)));
    }
  enr_customer_set_email (customer, email);

  if (reference_mailing != NULL)
    {
      if (primary_address != NULL && g_strcmp0 (reference_mailing, reference_address) == 0)
        {
          mailing = g_strdup (primary_address);
        }
      else
        {
          const char *tail = strchr (reference_mailing, ',');

          mailing = g_strdup_printf ("PO Box %d%s", g_rand_int_range (gen->rand, 1, 5000),
                                     tail != NULL ? tail : "");
        }
    }
  enr_customer_set_mailing_address (customer, mailing);

  return enr_dataset_writer_add (gen->writer, "customers", customer, NULL, error);
}

static gboolean
write_services (Generator  *gen,
                Template   *template,
                GError    **error)
{
  for (guint i = 0; i < template->services->len; i++)
    {
      Pair *pair = g_ptr_array_index (template->services, i);
      EnrMeteredService *reference = ENR_METERED_SERVICE (pair->reference);
      EnrMeteredService *service = ENR_METERED_SERVICE (pair->work);
      g_autofree char *external = NULL;

      enr_entity_set_id (ENR_ENTITY (service),
                         remember_id (gen, enr_entity_get_id (ENR_ENTITY (reference)),
                                      next_id ("ms", &gen->metered_services)));
      enr_metered_service_set_customer_id (service,
                                           map_id (gen, enr_metered_service_get_customer_id (reference)));
      enr_metered_service_set_service_point_id (service,
                                                map_id (gen, enr_metered_service_get_service_point_id (reference)));

      if (enr_metered_service_get_external_id (reference) != NULL)
        external = g_strdup_printf ("SA-G%07" G_GUINT64_FORMAT, gen->metered_services);
      enr_metered_service_set_external_id (service, external);

      if (!enr_dataset_writer_add (gen->writer, "metered_services", service, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_locations (Generator  *gen,
                 Template   *template,
                 GError    **error)
{
  for (guint i = 0; i < template->locations->len; i++)
    {
      Pair *pair = g_ptr_array_index (template->locations, i);
      EnrDeviceLocation *reference = ENR_DEVICE_LOCATION (pair->reference);
      EnrDeviceLocation *location = ENR_DEVICE_LOCATION (pair->work);
      const char *point_id = enr_device_location_get_service_point_id (reference);
      const char *address = NULL;

      enr_entity_set_id (ENR_ENTITY (location),
                         remember_id (gen, enr_entity_get_id (ENR_ENTITY (reference)),
                                      next_id ("loc", &gen->locations)));
      enr_device_location_set_service_point_id (location, map_id (gen, point_id));

      if (enr_device_location_get_address (reference) != NULL)
        address = g_hash_table_lookup (gen->addresses, point_id);
      enr_device_location_set_address (location, address);

      if (!enr_dataset_writer_add (gen->writer, "device_locations", location, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_subscriptions (Generator  *gen,
                     Template   *template,
                     GError    **error)
{
  for (guint i = 0; i < template->subscriptions->len; i++)
    {
      Pair *pair = g_ptr_array_index (template->subscriptions, i);
      EnrProgramSubscription *reference = ENR_PROGRAM_SUBSCRIPTION (pair->reference);
      EnrProgramSubscription *subscription = ENR_PROGRAM_SUBSCRIPTION (pair->work);

      enr_entity_set_id (ENR_ENTITY (subscription),
                         remember_id (gen, enr_entity_get_id (ENR_ENTITY (reference)),
                                      next_id ("sub", &gen->subscriptions)));
      enr_program_subscription_set_customer_id (subscription,
                                                map_id (gen, enr_program_subscription_get_customer_id (reference)));
      enr_program_subscription_set_metered_service_id (subscription,
                                                       map_id (gen, enr_program_subscription_get_metered_service_id (reference)));
      enr_program_subscription_set_device_location_id (subscription,
                                                       map_id (gen, enr_program_subscription_get_device_location_id (reference)));
      /* A data set holds no service tasks. */
      enr_program_subscription_set_service_task_id (subscription, NULL);

      if (!enr_dataset_writer_add (gen->writer, "subscriptions", subscription, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_devices (Generator  *gen,
               Template   *template,
               GError    **error)
{
  for (guint i = 0; i < template->devices->len; i++)
    {
      Pair *pair = g_ptr_array_index (template->devices, i);
      EnrDevice *reference = ENR_DEVICE (pair->reference);
      EnrDevice *device = ENR_DEVICE (pair->work);
      const char *reference_serial = enr_device_get_serial_number (reference);
      g_autofree char *id = next_id ("dev", &gen->devices);
      g_autofree char *serial = NULL;
      g_autofree char *badge = NULL;
      g_autofree char *network = NULL;

      enr_entity_set_id (ENR_ENTITY (device), id);
      enr_device_set_device_location_id (device,
                                         map_id (gen, enr_device_get_device_location_id (reference)));
      enr_device_set_subscription_id (device,
                                      map_id (gen, enr_device_get_subscription_id (reference)));

      if (reference_serial != NULL)
        {
          const char *dash = strchr (reference_serial, '-');
          int prefix = dash != NULL ? (int) (dash - reference_serial) : 0;

          serial = g_strdup_printf ("%.*sG%08" G_GUINT64_FORMAT,
                                    prefix > 0 ? prefix + 1 : 0, reference_serial,
                                    gen->devices);
        }
      enr_device_set_serial_number (device, serial);

      if (enr_device_get_badge_number (reference) != NULL)
        badge = g_strdup_printf ("B-G%07" G_GUINT64_FORMAT, gen->devices);
      enr_device_set_badge_number (device, badge);

      if (enr_device_get_network_id (reference) != NULL)
        {
          guint32 bits = g_rand_int (gen->rand);

          network = g_strdup_printf ("02:1B:%02X:%02X:%02X:%02X",
                                     bits >> 24, (bits >> 16) & 0xff,
                                     (bits >> 8) & 0xff, bits & 0xff);
        }
      enr_device_set_network_id (device, network);

      if (!enr_dataset_writer_add (gen->writer, "devices", device, NULL, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
generate_customer (Generator  *gen,
                   GError    **error)
{
  Template *template;
  g_autofree char *primary_address = NULL;

  template = g_ptr_array_index (gen->templates,
                                g_rand_int_range (gen->rand, 0, (gint32) gen->templates->len));

  g_hash_table_remove_all (gen->ids);
  g_hash_table_remove_all (gen->addresses);

  return (write_points (gen, template, &primary_address, error) &&
          write_customer (gen, template, primary_address, error) &&
          write_services (gen, template, error) &&
          write_locations (gen, template, error) &&
          write_subscriptions (gen, template, error) &&
          write_devices (gen, template, error));
}

static gboolean
same_directory (GFile *a,
                GFile *b)
{
  g_autoptr(GFileInfo) info_a = NULL;
  g_autoptr(GFileInfo) info_b = NULL;

  if (g_file_equal (a, b))
    return TRUE;

  info_a = g_file_query_info (a, G_FILE_ATTRIBUTE_ID_FILE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  info_b = g_file_query_info (b, G_FILE_ATTRIBUTE_ID_FILE, G_FILE_QUERY_INFO_NONE, NULL, NULL);

  if (info_a == NULL || info_b == NULL)
    return FALSE;

  return g_strcmp0 (g_file_info_get_attribute_string (info_a, G_FILE_ATTRIBUTE_ID_FILE),
                    g_file_info_get_attribute_string (info_b, G_FILE_ATTRIBUTE_ID_FILE)) == 0;
}

static gboolean
run (gint64       n_customers,
     const char  *output_path,
     const char  *reference_path,
     guint32      seed,
     const char  *name,
     GError     **error)
{
  g_autoptr(GFile) reference_dir = g_file_new_for_commandline_arg (reference_path);
  g_autoptr(GFile) output_dir = g_file_new_for_commandline_arg (output_path);
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(EnrDatasetWriter) writer = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GHashTable) addresses = NULL;
  g_autofree char *data_set_name = NULL;
  Generator gen = { 0 };

  if (same_directory (reference_dir, output_dir))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The output directory must not be the reference data set"));
      return FALSE;
    }

  reader = enr_dataset_reader_new (reference_dir, NULL, error);
  if (reader == NULL)
    return FALSE;

  templates = load_templates (reader, error);
  if (templates == NULL)
    return FALSE;

  if (name != NULL)
    data_set_name = g_strdup (name);
  else
    data_set_name = g_strdup_printf ("%s, %" G_GINT64_FORMAT " generated customers, seed %u",
                                     enr_dataset_reader_get_name (reader), n_customers,
                                     (guint) seed);

  writer = enr_dataset_writer_new (output_dir, data_set_name, NULL, error);
  if (writer == NULL)
    return FALSE;

  enr_dataset_writer_set_shift_horizon_days (writer,
                                             enr_dataset_reader_get_shift_horizon_days (reader));

  if (!copy_reference (reader, writer, error))
    return FALSE;

  ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gen.rand = g_rand_new_with_seed (seed);
  gen.writer = writer;
  gen.templates = templates;
  gen.ids = ids;
  gen.addresses = addresses;

  for (gint64 i = 0; i < n_customers; i++)
    {
      if (!generate_customer (&gen, error))
        {
          g_rand_free (gen.rand);
          return FALSE;
        }

      if ((i + 1) % PROGRESS_EVERY == 0)
        {
          g_autofree char *done = g_strdup_printf ("%" G_GINT64_FORMAT, i + 1);
          g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, n_customers);

          /* Translators: progress, "100000 of 1000000 customers" */
          g_printerr (_("%s of %s customers\n"), done, total);
        }
    }

  g_rand_free (gen.rand);

  return enr_dataset_writer_finish (writer, NULL, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *name = NULL;
  gint64 n_customers = -1;
  int seed = 1;
  GOptionEntry entries[] = {
    { "customers", 'n', 0, G_OPTION_ARG_INT64, &n_customers,
      N_("Number of customers to generate"), "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Directory to write the data set to"), "DIR" },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed,
      N_("Seed of the random generator (default 1)"), "S" },
    { "reference", 'r', 0, G_OPTION_ARG_FILENAME, &reference,
      N_("Data set to copy reference data from and model customers on"), "DIR" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("Name of the data set in its manifest"), "NAME" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Generates an Enrollment Desk data set of N customers "
                                  "modelled on a reference data set."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }

  if (argc > 1 || n_customers < 0 || output == NULL)
    {
      g_printerr (_("%s: --customers N (N ≥ 0) and --output DIR are required\n"),
                  g_get_prgname ());
      return 2;
    }

  if (reference == NULL)
    reference = g_build_filename (SOURCE_DATADIR, "sample", NULL);

  if (!run (n_customers, output, reference, (guint32) seed, name, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }

  return 0;
}

/* test-dataset.c — the sample data set, its reader and writer, the generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "enr-core.h"
#include "enr-dataset.h"
#include "enr-eligibility.h"

/* Helpers */

static char *
sample_path (void)
{
  const char *root = g_getenv ("ENR_SOURCE_ROOT");

  g_assert_nonnull (root);

  return g_build_filename (root, "data", "sample", NULL);
}

static char *
generator_path (void)
{
  const char *root = g_getenv ("ENR_BUILD_ROOT");

  if (root == NULL)
    return NULL;

  return g_build_filename (root, "src", "tools", "enrollment-sample-data", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_remove (child), ==, 0);
    }

  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("enr-dataset-XXXXXX", &error);

  g_assert_no_error (error);

  return path;
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static char *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static EnrDatasetReader *
open_reader (const char  *path,
             GError     **error)
{
  g_autoptr(GFile) dir = g_file_new_for_path (path);

  return enr_dataset_reader_new (dir, NULL, error);
}

static gboolean
run_generator (const char * const  *args,
               int                 *exit_status,
               char               **err_output)
{
  g_autofree char *program = generator_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (program == NULL || !g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;

  g_ptr_array_add (argv, program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, err_output, &error);
  g_assert_no_error (error);

  *exit_status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;

  return TRUE;
}

/* A data set decoded whole, for the referential checks */

typedef struct
{
  GPtrArray  *items;      /* of the collection's type, in file order */
  GHashTable *by_id;      /* id → object, entity collections only */
} Collection;

typedef struct
{
  guint64     customers_announced;
  guint       horizon;
  Collection  collections[16];
  GHashTable *all_ids;    /* every entity id of the data set, questions included */
  GHashTable *passwords;  /* username → password */
} Dataset;

static int
collection_index (const char *name)
{
  const EnrDatasetCollection *collections = enr_dataset_collections (NULL);

  for (int i = 0; collections[i].name != NULL; i++)
    {
      if (g_str_equal (collections[i].name, name))
        return i;
    }

  g_assert_not_reached ();
}

static GPtrArray *
dataset_items (Dataset    *ds,
               const char *name)
{
  return ds->collections[collection_index (name)].items;
}

static gpointer
dataset_lookup (Dataset    *ds,
                const char *name,
                const char *id)
{
  Collection *collection = &ds->collections[collection_index (name)];

  if (id == NULL || collection->by_id == NULL)
    return NULL;

  return g_hash_table_lookup (collection->by_id, id);
}

static void
add_global_id (Dataset    *ds,
               const char *id)
{
  g_assert_nonnull (id);
  g_assert_cmpstr (id, !=, "");

  if (g_hash_table_contains (ds->all_ids, id))
    g_error ("id %s used twice", id);

  g_hash_table_add (ds->all_ids, g_strdup (id));
}

typedef struct
{
  Dataset    *ds;
  Collection *collection;
  guint64     last_line;
} LoadData;

static gboolean
load_object (gpointer   object,
             guint64    line_number,
             gpointer   user_data,
             GError   **error)
{
  LoadData *data = user_data;

  g_assert_cmpuint (line_number, >, data->last_line);
  data->last_line = line_number;

  g_ptr_array_add (data->collection->items, g_object_ref (object));

  if (ENR_IS_ENTITY (object))
    {
      const char *id = enr_entity_get_id (object);

      add_global_id (data->ds, id);
      g_hash_table_insert (data->collection->by_id, (gpointer) id, object);
    }

  if (ENR_IS_PROGRAM (object))
    {
      GPtrArray *questions = enr_program_get_questions (object);

      for (guint i = 0; questions != NULL && i < questions->len; i++)
        add_global_id (data->ds, enr_entity_get_id (g_ptr_array_index (questions, i)));
    }

  return TRUE;
}

static gboolean
load_user (EnrUser     *user,
           const char  *password,
           guint64      line_number,
           gpointer     user_data,
           GError     **error)
{
  LoadData *data = user_data;

  g_assert_false (g_hash_table_contains (data->ds->passwords, enr_user_get_username (user)));
  g_hash_table_insert (data->ds->passwords,
                       g_strdup (enr_user_get_username (user)), g_strdup (password));

  return load_object (user, line_number, user_data, error);
}

static void
dataset_free (Dataset *ds)
{
  for (guint i = 0; i < G_N_ELEMENTS (ds->collections); i++)
    {
      g_clear_pointer (&ds->collections[i].by_id, g_hash_table_unref);
      g_clear_pointer (&ds->collections[i].items, g_ptr_array_unref);
    }

  g_clear_pointer (&ds->all_ids, g_hash_table_unref);
  g_clear_pointer (&ds->passwords, g_hash_table_unref);
  g_free (ds);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Dataset, dataset_free)

static Dataset *
dataset_load (const char *path)
{
  const EnrDatasetCollection *collections;
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  Dataset *ds;
  guint n = 0;

  collections = enr_dataset_collections (&n);
  reader = open_reader (path, &error);
  g_assert_no_error (error);

  ds = g_new0 (Dataset, 1);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (ds->collections));
  ds->customers_announced = enr_dataset_reader_get_customers (reader);
  ds->horizon = enr_dataset_reader_get_shift_horizon_days (reader);
  ds->all_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ds->passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < n; i++)
    {
      LoadData data = { ds, &ds->collections[i], 0 };
      gboolean ok;

      ds->collections[i].items = g_ptr_array_new_with_free_func (g_object_unref);
      if (g_type_is_a (collections[i].type, ENR_TYPE_ENTITY))
        ds->collections[i].by_id = g_hash_table_new (g_str_hash, g_str_equal);

      if (g_str_equal (collections[i].name, "users"))
        ok = enr_dataset_reader_foreach_user (reader, load_user, &data, NULL, &error);
      else
        ok = enr_dataset_reader_foreach (reader, collections[i].name, G_TYPE_INVALID,
                                         load_object, &data, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
    }

  return ds;
}

/* Checks shared by the sample and generated data sets */

static gboolean
strv_has (const char * const *strv,
          const char         *value)
{
  return strv != NULL && value != NULL && g_strv_contains (strv, value);
}

static guint
strv_len (const char * const *strv)
{
  return strv != NULL ? g_strv_length ((char **) strv) : 0;
}

static void
check_customer_references (Dataset *ds)
{
  GPtrArray *customers = dataset_items (ds, "customers");
  GPtrArray *services = dataset_items (ds, "metered_services");
  GPtrArray *locations = dataset_items (ds, "device_locations");
  GPtrArray *devices = dataset_items (ds, "devices");
  GPtrArray *subscriptions = dataset_items (ds, "subscriptions");
  g_autoptr(GHashTable) customers_with_service = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (customers->len, ==, ds->customers_announced);

  for (guint i = 0; i < services->len; i++)
    {
      EnrMeteredService *service = g_ptr_array_index (services, i);
      const char *customer_id = enr_metered_service_get_customer_id (service);

      g_assert_nonnull (dataset_lookup (ds, "customers", customer_id));
      g_assert_nonnull (dataset_lookup (ds, "service_points",
                                        enr_metered_service_get_service_point_id (service)));
      g_hash_table_add (customers_with_service, (gpointer) customer_id);
    }

  for (guint i = 0; i < customers->len; i++)
    {
      EnrCustomer *customer = g_ptr_array_index (customers, i);

      g_assert_true (g_hash_table_contains (customers_with_service,
                                            enr_entity_get_id (ENR_ENTITY (customer))));
      g_assert_nonnull (enr_customer_get_name (customer));
      g_assert_nonnull (enr_customer_get_account_id (customer));
    }

  for (guint i = 0; i < locations->len; i++)
    {
      EnrDeviceLocation *location = g_ptr_array_index (locations, i);

      g_assert_nonnull (dataset_lookup (ds, "service_points",
                                        enr_device_location_get_service_point_id (location)));
    }

  for (guint i = 0; i < subscriptions->len; i++)
    {
      EnrProgramSubscription *subscription = g_ptr_array_index (subscriptions, i);
      EnrProgram *program;
      EnrProgramType *type;
      EnrMeteredService *service;
      const char *location_id;

      program = dataset_lookup (ds, "programs",
                                enr_program_subscription_get_program_id (subscription));
      g_assert_nonnull (program);
      type = dataset_lookup (ds, "program_types", enr_program_get_program_type_id (program));
      g_assert_nonnull (type);
      g_assert_nonnull (dataset_lookup (ds, "customers",
                                        enr_program_subscription_get_customer_id (subscription)));
      service = dataset_lookup (ds, "metered_services",
                                enr_program_subscription_get_metered_service_id (subscription));
      g_assert_nonnull (service);
      g_assert_cmpstr (enr_metered_service_get_customer_id (service), ==,
                       enr_program_subscription_get_customer_id (subscription));
      g_assert_nonnull (enr_program_subscription_get_start_date (subscription));
      g_assert_null (enr_program_subscription_get_service_task_id (subscription));

      location_id = enr_program_subscription_get_device_location_id (subscription);
      if (enr_program_type_get_location_required (type))
        {
          EnrDeviceLocation *location = dataset_lookup (ds, "device_locations", location_id);

          g_assert_nonnull (location);
          g_assert_cmpstr (enr_device_location_get_service_point_id (location), ==,
                           enr_metered_service_get_service_point_id (service));
        }
      else
        {
          g_assert_null (location_id);
        }

      if (enr_program_subscription_get_status (subscription) == ENR_SUBSCRIPTION_STATUS_ENDED)
        g_assert_nonnull (enr_program_subscription_get_end_date (subscription));
    }

  for (guint i = 0; i < devices->len; i++)
    {
      EnrDevice *device = g_ptr_array_index (devices, i);
      const char *subscription_id = enr_device_get_subscription_id (device);

      g_assert_nonnull (enr_device_get_specification (device));
      g_assert_nonnull (dataset_lookup (ds, "device_locations",
                                        enr_device_get_device_location_id (device)));

      if (subscription_id != NULL)
        {
          EnrProgramSubscription *subscription;
          EnrProgram *program;

          subscription = dataset_lookup (ds, "subscriptions", subscription_id);
          g_assert_nonnull (subscription);
          g_assert_cmpint (enr_program_subscription_get_status (subscription), !=,
                           ENR_SUBSCRIPTION_STATUS_ENDED);
          g_assert_cmpstr (enr_program_subscription_get_device_location_id (subscription), ==,
                           enr_device_get_device_location_id (device));

          program = dataset_lookup (ds, "programs",
                                    enr_program_subscription_get_program_id (subscription));
          g_assert_true (strv_has (enr_program_get_device_specifications (program),
                                   enr_device_get_specification (device)));
        }
    }
}

static void
check_rule_activities (Dataset            *ds,
                       EnrDeviceSetupRule *rule)
{
  const char * const *ids = enr_device_setup_rule_get_activity_type_ids (rule);
  EnrInstallationMethod installation = enr_device_setup_rule_get_installation_method (rule);
  EnrRemovalMethod removal = enr_device_setup_rule_get_removal_method (rule);
  gboolean field_work = (installation == ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION ||
                         removal == ENR_REMOVAL_METHOD_UTILITY_REMOVAL);
  gboolean shipping = (installation == ENR_INSTALLATION_METHOD_SHIP_DEVICE ||
                       removal == ENR_REMOVAL_METHOD_SHIP_DEVICE);

  /* DOMAIN.md [ours]: only utility installation and removal need an
   * appointment; shipping creates work without one; re-enroll and keep none. */
  if (field_work || shipping)
    g_assert_cmpuint (strv_len (ids), >=, 1);
  else
    g_assert_cmpuint (strv_len (ids), ==, 0);

  for (guint i = 0; i < strv_len (ids); i++)
    {
      EnrActivityType *activity = dataset_lookup (ds, "activity_types", ids[i]);

      g_assert_nonnull (activity);
      g_assert_cmpint (enr_activity_type_get_needs_appointment (activity), ==, field_work);
    }
}

static void
check_reference_data (Dataset *ds)
{
  GPtrArray *programs = dataset_items (ds, "programs");
  GPtrArray *types = dataset_items (ds, "program_types");
  GPtrArray *task_types = dataset_items (ds, "service_task_types");
  GPtrArray *initiatives = dataset_items (ds, "initiatives");
  GPtrArray *crews = dataset_items (ds, "crews");
  GPtrArray *shift_types = dataset_items (ds, "crew_shift_types");
  GPtrArray *activities = dataset_items (ds, "activity_types");
  GPtrArray *methods = dataset_items (ds, "action_methods");
  GPtrArray *codes = dataset_items (ds, "code_values");
  GPtrArray *users = dataset_items (ds, "users");
  static const char * const channels[] = { "email", "phone", "letter", "in-person", "web", NULL };
  static const char * const classes[] = {
    "enrollment", "unenrollment", "cancellation", "trouble-report", "inquiry", NULL
  };
  static const char * const categories[] = { "written", "verbal", NULL };
  static const char * const divisions[] = { "NORTH", "SOUTH", NULL };
  g_autoptr(GHashTable) code_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint categories_seen = 0;
  gboolean no_location_type_used = FALSE;
  gboolean suspended_or_inactive = FALSE;
  gboolean tstat_questions = FALSE;
  gboolean der_criteria = FALSE;
  gboolean slot_days_3 = FALSE;
  gboolean slot_days_5 = FALSE;
  guint n_clerks = 0;
  guint n_supervisors = 0;

  g_assert_cmpuint (ds->horizon, ==, 56);
  g_assert_cmpuint (programs->len, >=, 5);

  for (guint i = 0; i < types->len; i++)
    categories_seen |= 1u << enr_program_type_get_category (g_ptr_array_index (types, i));
  g_assert_cmpuint (categories_seen, ==, 0x1f);

  for (guint i = 0; i < programs->len; i++)
    {
      EnrProgram *program = g_ptr_array_index (programs, i);
      EnrProgramType *type;
      EnrServiceTaskType *enroll;
      EnrServiceTaskType *unenroll;
      GPtrArray *questions = enr_program_get_questions (program);
      const char *initiative_id = enr_program_get_initiative_id (program);

      type = dataset_lookup (ds, "program_types", enr_program_get_program_type_id (program));
      g_assert_nonnull (type);
      enroll = dataset_lookup (ds, "service_task_types",
                               enr_program_get_enrollment_task_type_id (program));
      unenroll = dataset_lookup (ds, "service_task_types",
                                 enr_program_get_unenrollment_task_type_id (program));
      g_assert_nonnull (enroll);
      g_assert_nonnull (unenroll);
      g_assert_cmpint (enr_service_task_type_get_kind (enroll), ==, ENR_TASK_KIND_ENROLLMENT);
      g_assert_cmpint (enr_service_task_type_get_kind (unenroll), ==, ENR_TASK_KIND_UNENROLLMENT);
      g_assert_nonnull (dataset_lookup (ds, "action_methods",
                                        enr_program_get_action_method_id (program)));
      if (initiative_id != NULL)
        g_assert_nonnull (dataset_lookup (ds, "initiatives", initiative_id));
      g_assert_nonnull (enr_program_get_start_date (program));

      if (enr_program_type_get_device_required (type))
        g_assert_cmpuint (strv_len (enr_program_get_device_specifications (program)), >, 0);

      if (!enr_program_type_get_location_required (type))
        no_location_type_used = TRUE;

      if (enr_program_get_suspended (program) ||
          enr_program_get_status (program) == ENR_PROGRAM_STATUS_INACTIVE)
        suspended_or_inactive = TRUE;

      for (guint j = 0; questions != NULL && j < questions->len; j++)
        {
          EnrQuestion *question = g_ptr_array_index (questions, j);
          const char * const *valid = enr_question_get_valid_answers (question);
          const char * const *expected = enr_question_get_expected_answers (question);

          g_assert_nonnull (enr_question_get_text (question));

          if (enr_question_get_kind (question) == ENR_QUESTION_KIND_QUALIFICATION)
            {
              g_assert_cmpuint (strv_len (expected), >=, 1);
              for (guint k = 0; k < strv_len (expected); k++)
                g_assert_true (strv_has (valid, expected[k]));
            }
          else
            {
              g_assert_cmpuint (strv_len (expected), ==, 0);
            }

          if (enr_question_get_answer_style (question) == ENR_ANSWER_STYLE_TEXT ||
              enr_question_get_answer_style (question) == ENR_ANSWER_STYLE_DATE)
            g_assert_cmpuint (strv_len (valid), ==, 0);
          else
            g_assert_cmpuint (strv_len (valid), >=, 2);
        }

      if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (program)), "prog-tstat") == 0)
        {
          EnrQuestion *cac = g_ptr_array_index (questions, 0);
          EnrQuestion *own = g_ptr_array_index (questions, 1);
          guint informational = 0;
          guint styles = 0;

          g_assert_true (enr_program_type_get_device_required (type));
          g_assert_cmpstr (enr_question_get_text (cac), ==, "Do you have central air conditioning?");
          g_assert_cmpint (enr_question_get_answer_style (cac), ==, ENR_ANSWER_STYLE_YES_NO);
          g_assert_cmpstrv (enr_question_get_expected_answers (cac), ((const char *[]) { "yes", NULL }));
          g_assert_cmpstr (enr_question_get_text (own), ==, "Do you own or rent the home?");
          g_assert_cmpstrv (enr_question_get_expected_answers (own), ((const char *[]) { "Own", NULL }));

          for (guint j = 0; j < questions->len; j++)
            {
              EnrQuestion *question = g_ptr_array_index (questions, j);

              if (enr_question_get_kind (question) == ENR_QUESTION_KIND_INFORMATIONAL)
                {
                  informational++;
                  styles |= 1u << enr_question_get_answer_style (question);
                }
            }

          g_assert_cmpuint (informational, ==, 3);
          g_assert_cmpuint (styles, ==, ((1u << ENR_ANSWER_STYLE_SINGLE_CHOICE) |
                                         (1u << ENR_ANSWER_STYLE_TEXT) |
                                         (1u << ENR_ANSWER_STYLE_DATE)));
          tstat_questions = TRUE;
        }

      if (enr_program_type_get_category (type) == ENR_PROGRAM_CATEGORY_DER_REGISTRATION &&
          initiative_id != NULL)
        {
          EnrInitiative *initiative = dataset_lookup (ds, "initiatives", initiative_id);
          GPtrArray *groups = enr_initiative_get_groups (initiative);
          guint fields = 0;

          for (guint j = 0; j < groups->len; j++)
            {
              GPtrArray *criteria = enr_criteria_group_get_criteria (g_ptr_array_index (groups, j));

              for (guint k = 0; criteria != NULL && k < criteria->len; k++)
                fields |= 1u << enr_criterion_get_field (g_ptr_array_index (criteria, k));
            }

          der_criteria = ((fields & (1u << ENR_CRITERION_FIELD_CHARACTERISTIC)) &&
                          (fields & (1u << ENR_CRITERION_FIELD_DIVISION)));
        }
    }

  g_assert_true (no_location_type_used);
  g_assert_true (suspended_or_inactive);
  g_assert_true (tstat_questions);
  g_assert_true (der_criteria);

  for (guint i = 0; i < initiatives->len; i++)
    {
      GPtrArray *groups = enr_initiative_get_groups (g_ptr_array_index (initiatives, i));

      g_assert_cmpuint (groups->len, >=, 1);

      for (guint j = 0; j < groups->len; j++)
        {
          EnrCriteriaGroup *group = g_ptr_array_index (groups, j);
          GPtrArray *criteria = enr_criteria_group_get_criteria (group);

          g_assert_cmpuint (criteria->len, >=, 1);
          g_assert_cmpint (enr_criteria_group_get_if_exhausted (group), !=,
                           ENR_CRITERION_OUTCOME_NEXT);

          for (guint k = 0; k < criteria->len; k++)
            {
              EnrCriterion *criterion = g_ptr_array_index (criteria, k);
              gboolean keyed = enr_criterion_get_field (criterion) == ENR_CRITERION_FIELD_CHARACTERISTIC;

              g_assert_cmpint (enr_criterion_get_characteristic (criterion) != NULL, ==, keyed);
              g_assert_nonnull (enr_criterion_get_reason (criterion));
              if (enr_criterion_get_operator (criterion) != ENR_CRITERION_OPERATOR_EXISTS)
                g_assert_cmpuint (strv_len (enr_criterion_get_values (criterion)), >=, 1);
            }
        }
    }

  for (guint i = 0; i < task_types->len; i++)
    {
      EnrServiceTaskType *task_type = g_ptr_array_index (task_types, i);
      GPtrArray *rules = enr_service_task_type_get_rules (task_type);
      gboolean enrollment = enr_service_task_type_get_kind (task_type) == ENR_TASK_KIND_ENROLLMENT;

      for (guint j = 0; rules != NULL && j < rules->len; j++)
        {
          EnrDeviceSetupRule *rule = g_ptr_array_index (rules, j);

          /* Installation methods on enrollment types, removal on unenrollment. */
          g_assert_cmpint (enr_device_setup_rule_get_installation_method (rule) != ENR_INSTALLATION_METHOD_NONE,
                           ==, enrollment);
          g_assert_cmpint (enr_device_setup_rule_get_removal_method (rule) != ENR_REMOVAL_METHOD_NONE,
                           ==, !enrollment);
          check_rule_activities (ds, rule);
        }
    }

  for (guint i = 0; i < methods->len; i++)
    {
      int days = enr_action_method_get_appointment_slot_days (g_ptr_array_index (methods, i));

      slot_days_3 |= days == 3;
      slot_days_5 |= days == 5;
    }
  g_assert_true (slot_days_3);
  g_assert_true (slot_days_5);

  for (guint i = 0; i < shift_types->len; i++)
    {
      EnrCrewShiftType *shift = g_ptr_array_index (shift_types, i);
      const char *code = enr_crew_shift_type_get_code (shift);

      if (g_str_equal (code, "DAY"))
        {
          g_assert_cmpstr (enr_crew_shift_type_get_start_time (shift), ==, "08:00");
          g_assert_cmpstr (enr_crew_shift_type_get_end_time (shift), ==, "16:00");
          g_assert_cmpstrv (enr_crew_shift_type_get_weekdays (shift),
                            ((const char *[]) { "mon", "tue", "wed", "thu", "fri", NULL }));
          g_assert_cmpint (enr_crew_shift_type_get_capacity_minutes (shift), ==, 420);
        }
      else
        {
          g_assert_cmpstr (code, ==, "EVENING");
          g_assert_cmpstr (enr_crew_shift_type_get_start_time (shift), ==, "16:00");
          g_assert_cmpstr (enr_crew_shift_type_get_end_time (shift), ==, "22:00");
          g_assert_cmpstrv (enr_crew_shift_type_get_weekdays (shift),
                            ((const char *[]) { "mon", "tue", "wed", "thu", "fri", "sat", NULL }));
          g_assert_cmpint (enr_crew_shift_type_get_capacity_minutes (shift), ==, 300);
        }
    }
  g_assert_cmpuint (shift_types->len, ==, 2);

  g_assert_cmpuint (crews->len, >=, 4);
  g_assert_cmpuint (crews->len, <=, 6);
  for (guint i = 0; i < crews->len; i++)
    {
      EnrCrew *crew = g_ptr_array_index (crews, i);

      g_assert_nonnull (dataset_lookup (ds, "crew_shift_types", enr_crew_get_shift_type_id (crew)));
      g_assert_true (g_strv_contains (divisions, enr_crew_get_division (crew)));
      g_assert_cmpuint (strv_len (enr_crew_get_crafts (crew)), >=, 1);
    }

  /* Every appointment activity can be booked in every division. */
  for (guint i = 0; i < activities->len; i++)
    {
      EnrActivityType *activity = g_ptr_array_index (activities, i);

      if (!enr_activity_type_get_needs_appointment (activity))
        continue;

      for (guint d = 0; divisions[d] != NULL; d++)
        {
          gboolean covered = FALSE;

          for (guint j = 0; j < crews->len; j++)
            {
              EnrCrew *crew = g_ptr_array_index (crews, j);

              covered |= (g_strcmp0 (enr_crew_get_division (crew), divisions[d]) == 0 &&
                          strv_has (enr_crew_get_crafts (crew), enr_activity_type_get_craft (activity)));
            }

          g_assert_true (covered);
        }
    }

  for (guint i = 0; i < codes->len; i++)
    {
      EnrCodeValue *code = g_ptr_array_index (codes, i);
      const char *list = enr_enum_to_nick (ENR_TYPE_CODE_LIST, enr_code_value_get_list (code));
      char *key = g_strconcat (list, "/", enr_code_value_get_code (code), NULL);

      g_assert_nonnull (enr_code_value_get_label (code));
      g_assert_false (g_hash_table_contains (code_keys, key));
      g_hash_table_add (code_keys, key);
    }

  for (guint i = 0; channels[i] != NULL; i++)
    {
      g_autofree char *key = g_strconcat ("channel/", channels[i], NULL);
      g_assert_true (g_hash_table_contains (code_keys, key));
    }
  for (guint i = 0; classes[i] != NULL; i++)
    {
      g_autofree char *key = g_strconcat ("class/", classes[i], NULL);
      g_assert_true (g_hash_table_contains (code_keys, key));
    }
  for (guint i = 0; categories[i] != NULL; i++)
    {
      g_autofree char *key = g_strconcat ("category/", categories[i], NULL);
      g_assert_true (g_hash_table_contains (code_keys, key));
    }

  for (guint i = 0; i < users->len; i++)
    {
      EnrUser *user = g_ptr_array_index (users, i);

      g_assert_nonnull (enr_user_get_display_name (user));
      if (enr_user_get_role (user) == ENR_ROLE_CLERK)
        n_clerks++;
      else
        n_supervisors++;
    }
  g_assert_cmpuint (n_clerks, >=, 2);
  g_assert_cmpuint (n_supervisors, >=, 1);
  g_assert_cmpstr (g_hash_table_lookup (ds->passwords, "clerk"), ==, "clerk-demo-pass");
  g_assert_cmpstr (g_hash_table_lookup (ds->passwords, "supervisor"), ==, "supervisor-demo-pass");
  g_assert_true (g_hash_table_contains (ds->passwords, "alex"));
  g_assert_cmpint (enr_user_get_role (dataset_lookup (ds, "users", "user-supervisor")), ==,
                   ENR_ROLE_SUPERVISOR);
  g_assert_cmpint (enr_user_get_role (dataset_lookup (ds, "users", "user-clerk")), ==,
                   ENR_ROLE_CLERK);
}

/* The customer side has every case the sample is meant to show. */
static void
check_customer_mix (Dataset *ds)
{
  GPtrArray *points = dataset_items (ds, "service_points");
  GPtrArray *services = dataset_items (ds, "metered_services");
  GPtrArray *devices = dataset_items (ds, "devices");
  GPtrArray *subscriptions = dataset_items (ds, "subscriptions");
  guint life_support = 0;
  guint no_cooling = 0;
  guint no_premise = 0;
  guint gas = 0;
  guint electric = 0;
  guint reenrollable = 0;
  guint customer_owned = 0;
  guint subscribed = 0;
  guint asset_types = 0;
  guint divisions_north = 0;
  guint divisions_south = 0;
  guint subscription_states = 0;

  for (guint i = 0; i < points->len; i++)
    {
      EnrServicePoint *point = g_ptr_array_index (points, i);
      const char *division = enr_service_point_get_division (point);

      life_support += enr_service_point_get_life_support (point);
      no_premise += enr_service_point_get_premise_id (point) == NULL;
      if (g_strcmp0 (enr_service_point_get_rate_code (point), "G-RES") != 0)
        no_cooling += enr_service_point_get_characteristic (point, "cooling") == NULL;
      divisions_north += g_strcmp0 (division, "NORTH") == 0;
      divisions_south += g_strcmp0 (division, "SOUTH") == 0;
      g_assert_true (divisions_north + divisions_south == i + 1);
    }

  for (guint i = 0; i < services->len; i++)
    {
      EnrServiceType type = enr_metered_service_get_service_type (g_ptr_array_index (services, i));

      gas += type == ENR_SERVICE_TYPE_GAS;
      electric += type == ENR_SERVICE_TYPE_ELECTRIC;
    }

  for (guint i = 0; i < devices->len; i++)
    {
      EnrDevice *device = g_ptr_array_index (devices, i);
      gboolean has_subscription = enr_device_get_subscription_id (device) != NULL;

      asset_types |= 1u << enr_device_get_asset_type (device);
      subscribed += has_subscription;
      customer_owned += enr_device_get_ownership (device) == ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED;
      reenrollable += (enr_device_get_ownership (device) == ENR_ASSET_OWNERSHIP_UTILITY_OWNED &&
                       !has_subscription);
    }

  for (guint i = 0; i < subscriptions->len; i++)
    subscription_states |= 1u << enr_program_subscription_get_status (g_ptr_array_index (subscriptions, i));

  g_assert_cmpuint (life_support, >=, 1);
  g_assert_cmpuint (no_cooling, >=, 1);
  g_assert_cmpuint (no_premise, >=, 1);
  g_assert_cmpuint (gas, >=, 1);
  g_assert_cmpuint (electric, >, 2 * gas);
  g_assert_cmpuint (reenrollable, >=, 1);
  g_assert_cmpuint (customer_owned, >=, 1);
  g_assert_cmpuint (subscribed, >=, 1);
  g_assert_cmpuint (divisions_north, >=, 1);
  g_assert_cmpuint (divisions_south, >=, 1);
  g_assert_cmpuint (subscription_states, ==, 0x7);
  g_assert_true (asset_types & (1u << ENR_ASSET_TYPE_THERMOSTAT));
  g_assert_true (asset_types & (1u << ENR_ASSET_TYPE_WATER_HEATER));
  g_assert_true (asset_types & (1u << ENR_ASSET_TYPE_BATTERY));
  g_assert_true (asset_types & (1u << ENR_ASSET_TYPE_EV_CHARGER));
  g_assert_true (asset_types & (1u << ENR_ASSET_TYPE_INVERTER));
}

static void
check_dataset (Dataset *ds)
{
  check_customer_references (ds);
  check_reference_data (ds);
  check_customer_mix (ds);
}

/* Tests: collections */

static void
test_collections (void)
{
  const EnrDatasetCollection *collections;
  guint n = 0;
  static const char * const order[][2] = {
    /* each collection is loaded after the one it refers to */
    { "crew_shift_types", "crews" },
    { "activity_types", "service_task_types" },
    { "service_task_types", "programs" },
    { "program_types", "programs" },
    { "initiatives", "programs" },
    { "action_methods", "programs" },
    { "customers", "metered_services" },
    { "service_points", "metered_services" },
    { "service_points", "device_locations" },
    { "programs", "subscriptions" },
    { "metered_services", "subscriptions" },
    { "device_locations", "subscriptions" },
    { "subscriptions", "devices" },
    { "device_locations", "devices" },
  };

  collections = enr_dataset_collections (&n);
  g_assert_cmpuint (n, ==, 16);
  g_assert_null (collections[n].name);
  g_assert_true (collections == enr_dataset_collections (NULL));

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpint (collection_index (order[i][0]), <, collection_index (order[i][1]));

  g_assert_true (enr_dataset_collection_type ("customers") == ENR_TYPE_CUSTOMER);
  g_assert_true (enr_dataset_collection_type ("subscriptions") == ENR_TYPE_PROGRAM_SUBSCRIPTION);
  g_assert_true (enr_dataset_collection_type ("code_values") == ENR_TYPE_CODE_VALUE);
  g_assert_true (enr_dataset_collection_type ("users") == ENR_TYPE_USER);
  g_assert_true (enr_dataset_collection_type ("crew_shifts") == G_TYPE_INVALID);
  g_assert_true (enr_dataset_collection_type ("") == G_TYPE_INVALID);
}

/* Tests: the sample */

static void
test_sample_manifest (void)
{
  g_autofree char *path = sample_path ();
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = NULL;

  reader = open_reader (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_dataset_reader_get_name (reader), ==, "Riverbend Power & Light (sample)");
  g_assert_cmpuint (enr_dataset_reader_get_customers (reader), ==, 48);
  g_assert_cmpuint (enr_dataset_reader_get_shift_horizon_days (reader), ==, 56);

  dir = g_file_new_for_path (path);
  g_assert_true (g_file_equal (dir, enr_dataset_reader_get_directory (reader)));
}

static void
test_sample_decodes (void)
{
  g_autofree char *path = sample_path ();
  g_autoptr(Dataset) ds = dataset_load (path);
  const EnrDatasetCollection *collections = enr_dataset_collections (NULL);

  for (guint i = 0; collections[i].name != NULL; i++)
    g_assert_cmpuint (ds->collections[i].items->len, >, 0);

  g_assert_cmpuint (dataset_items (ds, "customers")->len, >=, 40);
  g_assert_cmpuint (dataset_items (ds, "metered_services")->len, >=, 40);
  g_assert_cmpuint (dataset_items (ds, "devices")->len, >=, 20);
  g_assert_cmpuint (dataset_items (ds, "program_types")->len, ==, 5);
}

static void
test_sample_references (void)
{
  g_autofree char *path = sample_path ();
  g_autoptr(Dataset) ds = dataset_load (path);

  check_dataset (ds);
}

/* The sample is in the codec's canonical form: decoding and encoding a
 * line gives it back byte for byte, so the files diff cleanly. */
static gboolean
check_canonical (gpointer   object,
                 guint64    line_number,
                 gpointer   user_data,
                 GError   **error)
{
  GPtrArray *lines = user_data;
  g_autofree char *encoded = enr_codec_encode_string (object);

  g_assert_cmpuint (line_number, <=, lines->len);
  g_assert_cmpstr (encoded, ==, g_ptr_array_index (lines, line_number - 1));

  return TRUE;
}

static void
test_sample_canonical (void)
{
  g_autofree char *path = sample_path ();
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const EnrDatasetCollection *collections = enr_dataset_collections (NULL);

  reader = open_reader (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; collections[i].name != NULL; i++)
    {
      g_autofree char *file_name = g_strconcat (collections[i].name, ".jsonl", NULL);
      g_autofree char *contents = read_file (path, file_name);
      g_auto(GStrv) split = g_strsplit (contents, "\n", -1);
      g_autoptr(GPtrArray) lines = g_ptr_array_new ();

      if (g_str_equal (collections[i].name, "users"))
        continue;

      for (guint j = 0; split[j] != NULL; j++)
        g_ptr_array_add (lines, split[j]);

      enr_dataset_reader_foreach (reader, collections[i].name, G_TYPE_INVALID,
                                  check_canonical, lines, NULL, &error);
      g_assert_no_error (error);
    }
}

/* Who fails what: the table of docs/model.md, evaluated with the rules. */

typedef struct
{
  const char            *customer;
  const char            *program;
  EnrInstallationMethod  method;
  gboolean               eligible;
  const char            *reason;    /* a reason code the result must carry */
} Scenario;

static const Scenario scenarios[] = {
  { "cust-0001", "prog-tstat", ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, TRUE, NULL },
  { "cust-0001", "prog-tstat", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_NO_ACCEPTED_DEVICE },
  { "cust-0003", "prog-tstat", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_ALREADY_ENROLLED },
  { "cust-0005", "prog-tstat", ENR_INSTALLATION_METHOD_SHIP_DEVICE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0008", "prog-tstat", ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0009", "prog-tstat", ENR_INSTALLATION_METHOD_RE_ENROLL, TRUE, NULL },
  { "cust-0011", "prog-tstat", ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, FALSE, ENR_ELIGIBILITY_CRITERIA_INSUFFICIENT },
  { "cust-0018", "prog-tstat", ENR_INSTALLATION_METHOD_RE_ENROLL, TRUE, NULL },
  { "cust-0019", "prog-tstat", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_NO_ACCEPTED_DEVICE },
  { "cust-0036", "prog-tstat", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_RATE_NOT_ELIGIBLE },
  { "cust-0036", "prog-tstat", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0046", "prog-tstat", ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, FALSE, ENR_ELIGIBILITY_RATE_NOT_ELIGIBLE },
  { "cust-0001", "prog-tou", ENR_INSTALLATION_METHOD_NONE, TRUE, NULL },
  { "cust-0015", "prog-tou", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_ALREADY_ENROLLED },
  { "cust-0023", "prog-tou", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0026", "prog-tou", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_RATE_NOT_ELIGIBLE },
  { "cust-0028", "prog-tou", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_CRITERIA_INSUFFICIENT },
  { "cust-0035", "prog-tou", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0002", "prog-der", ENR_INSTALLATION_METHOD_RE_ENROLL, TRUE, NULL },
  { "cust-0010", "prog-der", ENR_INSTALLATION_METHOD_RE_ENROLL, TRUE, NULL },
  { "cust-0012", "prog-der", ENR_INSTALLATION_METHOD_RE_ENROLL, FALSE, ENR_ELIGIBILITY_ALREADY_ENROLLED },
  { "cust-0017", "prog-der", ENR_INSTALLATION_METHOD_RE_ENROLL, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0029", "prog-der", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0001", "prog-cg", ENR_INSTALLATION_METHOD_NONE, TRUE, NULL },
  { "cust-0005", "prog-cg", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0022", "prog-cg", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0038", "prog-cg", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0025", "prog-cg", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_ALREADY_ENROLLED },
  { "cust-0046", "prog-cg", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0006", "prog-checkup", ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, TRUE, NULL },
  { "cust-0001", "prog-checkup", ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, FALSE, ENR_ELIGIBILITY_DIVISION_NOT_SERVED },
  { "cust-0016", "prog-checkup", ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, FALSE, ENR_ELIGIBILITY_CRITERIA_INSUFFICIENT },
  { "cust-0031", "prog-checkup", ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0033", "prog-checkup", ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, FALSE, ENR_ELIGIBILITY_ALREADY_ENROLLED },
  { "cust-0027", "prog-wh", ENR_INSTALLATION_METHOD_RE_ENROLL, FALSE, ENR_ELIGIBILITY_PROGRAM_SUSPENDED },
  { "cust-0020", "prog-ev-2023", ENR_INSTALLATION_METHOD_RE_ENROLL, FALSE, ENR_ELIGIBILITY_PROGRAM_INACTIVE },
  { "cust-0045", "prog-smb", ENR_INSTALLATION_METHOD_RE_ENROLL, FALSE, ENR_ELIGIBILITY_PROGRAM_INACTIVE },
  { "cust-0040", "prog-tstat", ENR_INSTALLATION_METHOD_RE_ENROLL, TRUE, NULL },
  { "cust-0032", "prog-tstat", ENR_INSTALLATION_METHOD_SHIP_DEVICE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0043", "prog-tstat", ENR_INSTALLATION_METHOD_SHIP_DEVICE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0034", "prog-der", ENR_INSTALLATION_METHOD_RE_ENROLL, TRUE, NULL },
  { "cust-0047", "prog-der", ENR_INSTALLATION_METHOD_RE_ENROLL, TRUE, NULL },
  { "cust-0039", "prog-tou", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0041", "prog-tou", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_RATE_NOT_ELIGIBLE },
  { "cust-0042", "prog-cg", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_CRITERION },
  { "cust-0030", "prog-wh", ENR_INSTALLATION_METHOD_RE_ENROLL, FALSE, ENR_ELIGIBILITY_ALREADY_ENROLLED },
  /* Exclusions: by program (Heat Pump Water Heater Rewards excludes Water
   * Heater Load Control) and by program type (Time-of-Use Pilot excludes
   * DER registrations, and the other way round); the premise limit (one
   * Home Energy Checkup per household: cust-0013 lives at cust-0033's
   * premise, whose checkup is booked). */
  { "cust-0030", "prog-hpwh", ENR_INSTALLATION_METHOD_RE_ENROLL, FALSE, ENR_ELIGIBILITY_EXCLUDED_PROGRAM },
  { "cust-0027", "prog-hpwh", ENR_INSTALLATION_METHOD_RE_ENROLL, TRUE, NULL },
  { "cust-0012", "prog-tou", ENR_INSTALLATION_METHOD_NONE, FALSE, ENR_ELIGIBILITY_EXCLUDED_PROGRAM },
  { "cust-0015", "prog-der", ENR_INSTALLATION_METHOD_RE_ENROLL, FALSE, ENR_ELIGIBILITY_EXCLUDED_PROGRAM },
  { "cust-0013", "prog-checkup", ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, FALSE, ENR_ELIGIBILITY_PREMISE_LIMIT },
  { "cust-0021", "prog-checkup", ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, TRUE, NULL },
};

static void
test_sample_scenarios (void)
{
  g_autofree char *path = sample_path ();
  g_autoptr(Dataset) ds = dataset_load (path);
  g_autoptr(GDate) today = g_date_new_dmy (1, G_DATE_DECEMBER, 2026);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      const Scenario *scenario = &scenarios[i];
      g_autoptr(GPtrArray) devices = g_ptr_array_new ();
      g_autoptr(GPtrArray) subscriptions = g_ptr_array_new ();
      g_autoptr(GPtrArray) premise_subscriptions = g_ptr_array_new ();
      g_autoptr(EnrEligibilityResult) result = NULL;
      g_autofree char *reasons = NULL;
      GPtrArray *services = dataset_items (ds, "metered_services");
      GPtrArray *all_devices = dataset_items (ds, "devices");
      GPtrArray *all_subscriptions = dataset_items (ds, "subscriptions");
      EnrMeteredService *service = NULL;
      EnrServicePoint *point;
      EnrProgram *program;
      EnrEligibilityInput input = { 0 };

      program = dataset_lookup (ds, "programs", scenario->program);
      g_assert_nonnull (program);

      for (guint j = 0; j < services->len && service == NULL; j++)
        {
          if (g_str_equal (enr_metered_service_get_customer_id (g_ptr_array_index (services, j)),
                           scenario->customer))
            service = g_ptr_array_index (services, j);
        }
      g_assert_nonnull (service);
      point = dataset_lookup (ds, "service_points", enr_metered_service_get_service_point_id (service));

      for (guint j = 0; j < all_devices->len; j++)
        {
          EnrDevice *device = g_ptr_array_index (all_devices, j);
          EnrDeviceLocation *location;

          location = dataset_lookup (ds, "device_locations", enr_device_get_device_location_id (device));
          if (g_str_equal (enr_device_location_get_service_point_id (location),
                           enr_entity_get_id (ENR_ENTITY (point))))
            g_ptr_array_add (devices, device);
        }

      for (guint j = 0; j < all_subscriptions->len; j++)
        {
          EnrProgramSubscription *subscription = g_ptr_array_index (all_subscriptions, j);

          EnrMeteredService *subscribed;
          EnrServicePoint *at;

          if (g_str_equal (enr_program_subscription_get_customer_id (subscription), scenario->customer))
            g_ptr_array_add (subscriptions, subscription);

          /* Every account's subscriptions at the customer's premise. */
          subscribed = dataset_lookup (ds, "metered_services",
                                       enr_program_subscription_get_metered_service_id (subscription));
          at = dataset_lookup (ds, "service_points", enr_metered_service_get_service_point_id (subscribed));
          if (enr_service_point_get_premise_id (point) != NULL &&
              g_strcmp0 (enr_service_point_get_premise_id (at), enr_service_point_get_premise_id (point)) == 0)
            g_ptr_array_add (premise_subscriptions, subscription);
        }

      input.program = program;
      input.program_type = dataset_lookup (ds, "program_types", enr_program_get_program_type_id (program));
      input.initiative = dataset_lookup (ds, "initiatives", enr_program_get_initiative_id (program));
      input.customer = dataset_lookup (ds, "customers", scenario->customer);
      input.metered_service = service;
      input.service_point = point;
      input.devices = devices;
      input.subscriptions = subscriptions;
      input.programs = dataset_items (ds, "programs");
      input.premise_subscriptions = premise_subscriptions;
      input.today = today;
      input.installation_method = scenario->method;

      result = enr_eligibility_evaluate (&input);
      reasons = enr_eligibility_result_join_reasons (result, "; ");
      g_test_message ("%s / %s: %s", scenario->customer, scenario->program, reasons);

      g_assert_cmpint (enr_eligibility_result_is_eligible (result), ==, scenario->eligible);
      if (scenario->reason != NULL)
        g_assert_true (enr_eligibility_result_has_reason (result, scenario->reason));
    }
}

/* Tests: reader errors */

#define GOOD_MANIFEST "{\"format\": 1, \"name\": \"test\", \"customers\": %d, \"shift_horizon_days\": 56}"

static char *
make_dataset (int         customers,
              const char *collection,
              const char *contents,
              gssize      length)
{
  char *dir = make_temp_dir ();
  g_autofree char *manifest = g_strdup_printf (GOOD_MANIFEST, customers);
  g_autofree char *file_name = NULL;

  write_file (dir, ENR_DATASET_MANIFEST, manifest, -1);

  if (collection != NULL)
    {
      file_name = g_strconcat (collection, ".jsonl", NULL);
      write_file (dir, file_name, contents, length);
    }

  return dir;
}

static gboolean
count_object (gpointer   object,
              guint64    line_number,
              gpointer   user_data,
              GError   **error)
{
  GArray *lines = user_data;

  g_array_append_val (lines, line_number);
  return TRUE;
}

static GArray *
read_lines (const char  *dir,
            const char  *collection,
            GError     **error)
{
  g_autoptr(EnrDatasetReader) reader = open_reader (dir, error);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint64));

  g_assert_nonnull (reader);

  if (!enr_dataset_reader_foreach (reader, collection, G_TYPE_INVALID,
                                   count_object, lines, NULL, error))
    return NULL;

  return g_steal_pointer (&lines);
}

#define CUSTOMER(n) "{\"id\":\"c" #n "\",\"name\":\"Name " #n "\",\"account_id\":\"A" #n "\"}"

static void
test_reader_lines (void)
{
  /* Blank lines are skipped but counted, CRLF is accepted, the last line
   * may lack its newline. */
  const char *contents = CUSTOMER (1) "\r\n\n   \n" CUSTOMER (2) "\n\t\r\n" CUSTOMER (3);
  g_autofree char *dir = make_dataset (3, "customers", contents, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lines = read_lines (dir, "customers", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_cmpuint (g_array_index (lines, guint64, 0), ==, 1);
  g_assert_cmpuint (g_array_index (lines, guint64, 1), ==, 4);
  g_assert_cmpuint (g_array_index (lines, guint64, 2), ==, 6);

  remove_tree (dir);
}

static void
test_reader_missing_collection (void)
{
  g_autofree char *dir = make_dataset (0, NULL, NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) devices = read_lines (dir, "devices", &error);
  g_autoptr(GArray) customers = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 0);

  customers = read_lines (dir, "customers", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (customers->len, ==, 0);

  remove_tree (dir);
}

static void
test_reader_empty_file (void)
{
  g_autofree char *dir = make_dataset (0, "devices", "", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lines = read_lines (dir, "devices", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 0);

  remove_tree (dir);
}

typedef struct
{
  const char *name;
  const char *contents;
  int         code;
  const char *message;   /* exact, or NULL */
  const char *prefix;
} LineError;

static const LineError line_errors[] = {
  { "malformed", CUSTOMER (1) "\n{\"id\": \"c2\", \"name\": \n" CUSTOMER (3) "\n",
    ENR_CODEC_ERROR_SYNTAX, NULL, "customers.jsonl:2: " },
  { "trailing-comma", CUSTOMER (1) "\n\n{\"id\":\"c2\",\"name\":\"N\",\"account_id\":\"A\",}\n",
    ENR_CODEC_ERROR_SYNTAX, NULL, "customers.jsonl:3: " },
  { "missing-member", CUSTOMER (1) "\n" CUSTOMER (2) "\n{\"id\":\"c3\",\"account_id\":\"A3\"}\n",
    ENR_CODEC_ERROR_MISSING, "customers.jsonl:3: customer.name: missing required member", NULL },
  { "wrong-type", "{\"id\":\"c1\",\"name\":7,\"account_id\":\"A1\"}\n",
    ENR_CODEC_ERROR_TYPE, NULL, "customers.jsonl:1: customer.name" },
  { "not-an-object", "[1, 2]\n", ENR_CODEC_ERROR_TYPE, NULL, "customers.jsonl:1: " },
  { "too-deep", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
    ENR_CODEC_ERROR_TOO_DEEP, NULL, "customers.jsonl:1: " },
};

static void
test_reader_line_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (line_errors); i++)
    {
      const LineError *expected = &line_errors[i];
      g_autofree char *dir = make_dataset (3, "customers", expected->contents, -1);
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) lines = NULL;

      g_test_message ("case %s", expected->name);
      lines = read_lines (dir, "customers", &error);
      g_assert_null (lines);
      g_assert_error (error, ENR_CODEC_ERROR, expected->code);
      if (expected->message != NULL)
        g_assert_cmpstr (error->message, ==, expected->message);
      if (expected->prefix != NULL)
        g_assert_true (g_str_has_prefix (error->message, expected->prefix));

      remove_tree (dir);
    }
}

typedef struct
{
  GPtrArray *objects;
  GPtrArray *rows;
  GArray    *lines;
} Rows;

static gboolean
collect_row (gpointer   object,
             char      *row,
             guint64    line_number,
             gpointer   user_data,
             GError   **error)
{
  Rows *rows = user_data;

  g_ptr_array_add (rows->objects, g_object_ref (object));
  g_ptr_array_add (rows->rows, row);
  g_array_append_val (rows->lines, line_number);
  return TRUE;
}

/* Each record comes with its row: the line as compact JSON (spaces and a
 * CR gone, members and their order as written, unknown members kept),
 * which decodes to the same record; lines, blank lines, the count and
 * errors as enr_dataset_reader_foreach(). */
static void
test_reader_rows (void)
{
  const char *contents = "{ \"id\" : \"c1\", \"name\": \"Name 1\",\t\"account_id\": \"A1\" }\r\n\n"
                         "{\"account_id\":\"A2\",\"name\":\"Zo\u00eb \\\"2\\\"\",\"id\":\"c2\",\"extra\":[1, 2]}\n";
  const char *expected[] = {
    "{\"id\":\"c1\",\"name\":\"Name 1\",\"account_id\":\"A1\"}",
    "{\"account_id\":\"A2\",\"name\":\"Zo\u00eb \\\"2\\\"\",\"id\":\"c2\",\"extra\":[1,2]}",
  };
  g_autofree char *dir = make_dataset (2, "customers", contents, -1);
  g_autofree char *short_dir = make_dataset (3, "customers", contents, -1);
  g_autoptr(EnrDatasetReader) reader = open_reader (dir, NULL);
  g_autoptr(EnrDatasetReader) short_reader = open_reader (short_dir, NULL);
  g_autoptr(GError) error = NULL;
  Rows rows = {
    g_ptr_array_new_with_free_func (g_object_unref),
    g_ptr_array_new_with_free_func (g_free),
    g_array_new (FALSE, FALSE, sizeof (guint64)),
  };

  g_assert_true (enr_dataset_reader_foreach_row (reader, "customers", G_TYPE_INVALID, collect_row, &rows,
                                                 NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows.rows->len, ==, 2);
  g_assert_cmpuint (g_array_index (rows.lines, guint64, 0), ==, 1);
  g_assert_cmpuint (g_array_index (rows.lines, guint64, 1), ==, 3);
  for (guint i = 0; i < rows.rows->len; i++)
    {
      g_autoptr(EnrCustomer) again = NULL;
      g_autofree char *encoded = NULL;
      g_autofree char *encoded_again = NULL;

      g_assert_cmpstr (g_ptr_array_index (rows.rows, i), ==, expected[i]);
      again = enr_codec_decode_data (ENR_TYPE_CUSTOMER, g_ptr_array_index (rows.rows, i), -1, &error);
      g_assert_no_error (error);
      encoded = enr_codec_encode_string (g_ptr_array_index (rows.objects, i));
      encoded_again = enr_codec_encode_string (again);
      g_assert_cmpstr (encoded, ==, encoded_again);
    }
  g_assert_cmpstr (enr_customer_get_name (g_ptr_array_index (rows.objects, 1)), ==, "Zo\u00eb \"2\"");

  /* The manifest's count holds here too, and a bad line stops it. */
  g_assert_false (enr_dataset_reader_foreach_row (short_reader, "customers", G_TYPE_INVALID, collect_row, &rows,
                                                  NULL, &error));
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_INVALID);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (line_errors); i++)
    {
      g_autofree char *bad_dir = make_dataset (3, "customers", line_errors[i].contents, -1);
      g_autoptr(EnrDatasetReader) bad = open_reader (bad_dir, NULL);

      g_test_message ("case %s", line_errors[i].name);
      g_assert_false (enr_dataset_reader_foreach_row (bad, "customers", G_TYPE_INVALID, collect_row, &rows,
                                                      NULL, &error));
      g_assert_error (error, ENR_CODEC_ERROR, line_errors[i].code);
      if (line_errors[i].message != NULL)
        g_assert_cmpstr (error->message, ==, line_errors[i].message);
      if (line_errors[i].prefix != NULL)
        g_assert_true (g_str_has_prefix (error->message, line_errors[i].prefix));
      g_clear_error (&error);
      remove_tree (bad_dir);
    }

  g_ptr_array_unref (rows.objects);
  g_ptr_array_unref (rows.rows);
  g_array_unref (rows.lines);
  remove_tree (dir);
  remove_tree (short_dir);
}

static void
test_reader_long_line (void)
{
  g_autoptr(GString) contents = g_string_new (CUSTOMER (1) "\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autofree char *dir = NULL;
  gsize start;

  /* Line 2: exactly ENR_DATASET_MAX_LINE bytes (padded with spaces) is fine. */
  start = contents->len;
  g_string_append (contents, CUSTOMER (2));
  while (contents->len - start < ENR_DATASET_MAX_LINE)
    g_string_append_c (contents, ' ');
  g_string_append_c (contents, '\n');

  dir = make_dataset (2, "customers", contents->str, contents->len);
  lines = read_lines (dir, "customers", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  g_clear_pointer (&lines, g_array_unref);
  remove_tree (dir);
  g_clear_pointer (&dir, g_free);

  /* One byte more, on line 3: an error naming the line, not a 1 MiB read
   * further. */
  g_string_truncate (contents, start);
  g_string_append (contents, CUSTOMER (2) "\n");
  g_string_append (contents, CUSTOMER (3));
  while (contents->len < start + strlen (CUSTOMER (2)) + 1 + ENR_DATASET_MAX_LINE + 1)
    g_string_append_c (contents, ' ');
  g_string_append_c (contents, '\n');
  g_string_append (contents, CUSTOMER (4) "\n");

  dir = make_dataset (4, "customers", contents->str, contents->len);
  lines = read_lines (dir, "customers", &error);
  g_assert_null (lines);
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "customers.jsonl:3: line longer than 1048576 bytes");
  remove_tree (dir);
  g_clear_pointer (&dir, g_free);
  g_clear_error (&error);

  /* An endless line without a newline at the end of the file. */
  g_string_truncate (contents, 0);
  while (contents->len < 3 * ENR_DATASET_MAX_LINE)
    g_string_append (contents, "xxxxxxxxxxxxxxxx");

  dir = make_dataset (1, "customers", contents->str, contents->len);
  lines = read_lines (dir, "customers", &error);
  g_assert_null (lines);
  g_assert_cmpstr (error->message, ==, "customers.jsonl:1: line longer than 1048576 bytes");
  remove_tree (dir);
}

static void
test_reader_count_mismatch (void)
{
  g_autofree char *dir = make_dataset (3, "customers", CUSTOMER (1) "\n" CUSTOMER (2) "\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lines = read_lines (dir, "customers", &error);

  g_assert_null (lines);
  g_assert_error (error, ENR_CODEC_ERROR, ENR_CODEC_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "customers.jsonl: 2 customers, but manifest.json announces 3");

  remove_tree (dir);
}

static gboolean
fail_on_second (gpointer   object,
                guint64    line_number,
                gpointer   user_data,
                GError   **error)
{
  guint *calls = user_data;

  if (++*calls == 2)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "disk full");
      return FALSE;
    }

  return TRUE;
}

static void
test_reader_callback_error (void)
{
  g_autofree char *dir = make_dataset (3, "customers",
                                       CUSTOMER (1) "\n\n" CUSTOMER (2) "\n" CUSTOMER (3) "\n", -1);
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint calls = 0;

  reader = open_reader (dir, &error);
  g_assert_no_error (error);

  g_assert_false (enr_dataset_reader_foreach (reader, "customers", ENR_TYPE_CUSTOMER,
                                              fail_on_second, &calls, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "customers.jsonl:3: disk full");
  g_assert_cmpuint (calls, ==, 2);

  remove_tree (dir);
}

static void
test_reader_cancelled (void)
{
  g_autofree char *dir = make_dataset (1, "customers", CUSTOMER (1) "\n", -1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint calls = 0;

  reader = open_reader (dir, &error);
  g_assert_no_error (error);

  g_cancellable_cancel (cancellable);
  g_assert_false (enr_dataset_reader_foreach (reader, "customers", G_TYPE_INVALID,
                                              fail_on_second, &calls, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (calls, ==, 0);

  remove_tree (dir);
}

static gboolean
collect_password (EnrUser     *user,
                  const char  *password,
                  guint64      line_number,
                  gpointer     user_data,
                  GError     **error)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s=%s", enr_user_get_username (user), password));
  return TRUE;
}

typedef struct
{
  const char *line;
  int         code;
  const char *message;
} UserCase;

static const UserCase user_cases[] = {
  { "{\"id\":\"u1\",\"username\":\"a\",\"display_name\":\"A\",\"role\":\"clerk\",\"password\":\"p1\"}",
    -1, NULL },
  { "{\"id\":\"u1\",\"username\":\"a\",\"display_name\":\"A\",\"role\":\"clerk\"}",
    ENR_CODEC_ERROR_MISSING, "users.jsonl:1: user.password: missing required member" },
  { "{\"id\":\"u1\",\"username\":\"a\",\"display_name\":\"A\",\"role\":\"clerk\",\"password\":null}",
    ENR_CODEC_ERROR_MISSING, "users.jsonl:1: user.password: missing required member" },
  { "{\"id\":\"u1\",\"username\":\"a\",\"display_name\":\"A\",\"role\":\"clerk\",\"password\":42}",
    ENR_CODEC_ERROR_TYPE, "users.jsonl:1: user.password: expected a string" },
  { "{\"id\":\"u1\",\"username\":\"a\",\"display_name\":\"A\",\"role\":\"clerk\",\"password\":\"\"}",
    ENR_CODEC_ERROR_MISSING, "users.jsonl:1: user.password: must not be empty" },
  { "{\"id\":\"u1\",\"username\":\"a\",\"display_name\":\"A\",\"role\":\"boss\",\"password\":\"p\"}",
    ENR_CODEC_ERROR_UNKNOWN_CODE, NULL },
};

static void
test_reader_users (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (user_cases); i++)
    {
      g_autofree char *dir = make_dataset (0, "users", user_cases[i].line, -1);
      g_autoptr(EnrDatasetReader) reader = NULL;
      g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      reader = open_reader (dir, &error);
      g_assert_no_error (error);

      ok = enr_dataset_reader_foreach_user (reader, collect_password, seen, NULL, &error);
      if (user_cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpuint (seen->len, ==, 1);
          g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "a=p1");
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, ENR_CODEC_ERROR, user_cases[i].code);
          g_assert_true (g_str_has_prefix (error->message, "users.jsonl:1: "));
          if (user_cases[i].message != NULL)
            g_assert_cmpstr (error->message, ==, user_cases[i].message);
          g_assert_cmpuint (seen->len, ==, 0);
        }

      remove_tree (dir);
    }
}

typedef struct
{
  const char *manifest;   /* NULL: no manifest.json */
  GQuark      domain;
  int         code;
  const char *message;    /* exact, or NULL for a "manifest.json: " prefix */
} ManifestCase;

static void
test_reader_manifest_errors (void)
{
  g_autofree char *large = NULL;
  ManifestCase cases[] = {
    { NULL, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, NULL },
    { "", ENR_CODEC_ERROR, ENR_CODEC_ERROR_SYNTAX, NULL },
    { "{\"format\": 1,", ENR_CODEC_ERROR, ENR_CODEC_ERROR_SYNTAX, NULL },
    { "[1]", ENR_CODEC_ERROR, ENR_CODEC_ERROR_TYPE, "manifest.json: expected an object" },
    { "{\"format\": 2, \"name\": \"x\", \"customers\": 1, \"shift_horizon_days\": 56}",
      ENR_CODEC_ERROR, ENR_CODEC_ERROR_INVALID,
      "manifest.json: format: unsupported version 2 (expected 1)" },
    { "{\"format\": \"1\", \"name\": \"x\", \"customers\": 1, \"shift_horizon_days\": 56}",
      ENR_CODEC_ERROR, ENR_CODEC_ERROR_TYPE, "manifest.json: format: expected an integer" },
    { "{\"format\": 1.0, \"name\": \"x\", \"customers\": 1, \"shift_horizon_days\": 56}",
      ENR_CODEC_ERROR, ENR_CODEC_ERROR_TYPE, "manifest.json: format: expected an integer" },
    { "{\"name\": \"x\", \"customers\": 1, \"shift_horizon_days\": 56}",
      ENR_CODEC_ERROR, ENR_CODEC_ERROR_MISSING, "manifest.json: format: missing required member" },
    { "{\"format\": 1, \"customers\": 1, \"shift_horizon_days\": 56}",
      ENR_CODEC_ERROR, ENR_CODEC_ERROR_MISSING, "manifest.json: name: missing required member" },
    { "{\"format\": 1, \"name\": [], \"customers\": 1, \"shift_horizon_days\": 56}",
      ENR_CODEC_ERROR, ENR_CODEC_ERROR_TYPE, "manifest.json: name: expected a string" },
    { "{\"format\": 1, \"name\": \"x\", \"shift_horizon_days\": 56}",
      ENR_CODEC_ERROR, ENR_CODEC_ERROR_MISSING, "manifest.json: customers: missing required member" },
    { "{\"format\": 1, \"name\": \"x\", \"customers\": -1, \"shift_horizon_days\": 56}",
      ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE,
      "manifest.json: customers: -1 is outside 0–9223372036854775807" },
    { "{\"format\": 1, \"name\": \"x\", \"customers\": 1}",
      ENR_CODEC_ERROR, ENR_CODEC_ERROR_MISSING,
      "manifest.json: shift_horizon_days: missing required member" },
    { "{\"format\": 1, \"name\": \"x\", \"customers\": 1, \"shift_horizon_days\": 367}",
      ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE,
      "manifest.json: shift_horizon_days: 367 is outside 0–366" },
    { "{\"format\": 1, \"name\": \"x\", \"customers\": 1, \"shift_horizon_days\": -1}",
      ENR_CODEC_ERROR, ENR_CODEC_ERROR_RANGE,
      "manifest.json: shift_horizon_days: -1 is outside 0–366" },
    { NULL, ENR_CODEC_ERROR, ENR_CODEC_ERROR_TOO_LARGE, "manifest.json: larger than 65536 bytes" },
  };
  GString *padded = g_string_new ("{\"format\": 1, \"name\": \"x\", \"customers\": 1, "
                                  "\"shift_horizon_days\": 56}");

  while (padded->len <= ENR_DATASET_MAX_MANIFEST)
    g_string_append_c (padded, ' ');
  large = g_string_free (padded, FALSE);
  cases[G_N_ELEMENTS (cases) - 1].manifest = large;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = make_temp_dir ();
      g_autoptr(EnrDatasetReader) reader = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("manifest case %u", i);
      if (cases[i].manifest != NULL)
        write_file (dir, ENR_DATASET_MANIFEST, cases[i].manifest, -1);

      reader = open_reader (dir, &error);
      g_assert_null (reader);
      g_assert_error (error, cases[i].domain, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      else
        g_assert_true (g_str_has_prefix (error->message, "manifest.json: "));

      remove_tree (dir);
    }
}

static void
test_reader_manifest_bounds (void)
{
  static const char * const manifests[] = {
    "{\"format\": 1, \"name\": \"\", \"customers\": 0, \"shift_horizon_days\": 0}",
    "{\"format\": 1, \"name\": \"x\", \"customers\": 9223372036854775807, \"shift_horizon_days\": 366, \"extra\": [1]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (manifests); i++)
    {
      g_autofree char *dir = make_temp_dir ();
      g_autoptr(EnrDatasetReader) reader = NULL;
      g_autoptr(GError) error = NULL;

      write_file (dir, ENR_DATASET_MANIFEST, manifests[i], -1);
      reader = open_reader (dir, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (enr_dataset_reader_get_shift_horizon_days (reader), ==, i == 0 ? 0 : 366);
      g_assert_cmpuint (enr_dataset_reader_get_customers (reader), ==, i == 0 ? 0 : G_MAXINT64);

      remove_tree (dir);
    }
}

/* Tests: writer */

typedef struct
{
  EnrDatasetWriter *writer;
  const char       *collection;
} CopyData;

static gboolean
copy_object (gpointer   object,
             guint64    line_number,
             gpointer   user_data,
             GError   **error)
{
  CopyData *data = user_data;

  return enr_dataset_writer_add (data->writer, data->collection, object, NULL, error);
}

static gboolean
copy_user (EnrUser     *user,
           const char  *password,
           guint64      line_number,
           gpointer     user_data,
           GError     **error)
{
  CopyData *data = user_data;

  return enr_dataset_writer_add_user (data->writer, user, password, NULL, error);
}

static void
test_writer_round_trip (void)
{
  g_autofree char *sample = sample_path ();
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "nested", "copy", NULL);
  g_autoptr(GFile) out_file = g_file_new_for_path (out);
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(EnrDatasetWriter) writer = NULL;
  g_autoptr(EnrDatasetReader) copy = NULL;
  g_autoptr(GError) error = NULL;
  const EnrDatasetCollection *collections = enr_dataset_collections (NULL);

  reader = open_reader (sample, &error);
  g_assert_no_error (error);

  writer = enr_dataset_writer_new (out_file, "Riverbend Power & Light (sample)", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (enr_dataset_writer_get_directory (writer), out_file));
  enr_dataset_writer_set_shift_horizon_days (writer, 56);

  for (guint i = 0; collections[i].name != NULL; i++)
    {
      CopyData data = { writer, collections[i].name };

      if (g_str_equal (collections[i].name, "users"))
        enr_dataset_reader_foreach_user (reader, copy_user, &data, NULL, &error);
      else
        enr_dataset_reader_foreach (reader, collections[i].name, G_TYPE_INVALID,
                                    copy_object, &data, NULL, &error);
      g_assert_no_error (error);
    }

  g_assert_cmpuint (enr_dataset_writer_get_count (writer, "customers"), ==, 48);
  g_assert_cmpuint (enr_dataset_writer_get_count (writer, "users"), ==, 3);
  g_assert_cmpuint (enr_dataset_writer_get_count (writer, "crew_shifts"), ==, 0);

  enr_dataset_writer_finish (writer, NULL, &error);
  g_assert_no_error (error);

  /* The sample is canonical, so the copy is identical, file by file. */
  for (guint i = 0; collections[i].name != NULL; i++)
    {
      g_autofree char *file_name = g_strconcat (collections[i].name, ".jsonl", NULL);
      g_autofree char *original = read_file (sample, file_name);
      g_autofree char *copied = read_file (out, file_name);

      g_assert_cmpstr (copied, ==, original);
    }

  copy = open_reader (out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_dataset_reader_get_name (copy), ==, "Riverbend Power & Light (sample)");
  g_assert_cmpuint (enr_dataset_reader_get_customers (copy), ==, 48);
  g_assert_cmpuint (enr_dataset_reader_get_shift_horizon_days (copy), ==, 56);

  remove_tree (dir);
}

static void
test_writer_replaces (void)
{
  g_autofree char *dir = make_dataset (2, "devices", "garbage\n", -1);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(EnrDatasetWriter) writer = NULL;
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(EnrCustomer) customer = enr_customer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autofree char *manifest = g_build_filename (dir, ENR_DATASET_MANIFEST, NULL);
  g_autofree char *devices = g_build_filename (dir, "devices.jsonl", NULL);
  g_autofree char *customers = NULL;

  write_file (dir, "customers.jsonl", CUSTOMER (1) "\n" CUSTOMER (2) "\n", -1);

  writer = enr_dataset_writer_new (file, "replaced", NULL, &error);
  g_assert_no_error (error);

  /* Until finish, the directory is not a data set. */
  g_assert_false (g_file_test (manifest, G_FILE_TEST_EXISTS));
  reader = open_reader (dir, &error);
  g_assert_null (reader);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  enr_entity_set_id (ENR_ENTITY (customer), "c9");
  enr_customer_set_name (customer, "Zoë \"Quoted\"\nNewline");
  enr_customer_set_account_id (customer, "A9");
  enr_dataset_writer_add (writer, "customers", customer, NULL, &error);
  g_assert_no_error (error);
  enr_dataset_writer_finish (writer, NULL, &error);
  g_assert_no_error (error);

  g_assert_false (g_file_test (devices, G_FILE_TEST_EXISTS));
  customers = read_file (dir, "customers.jsonl");
  g_assert_cmpstr (customers, ==,
                   "{\"id\":\"c9\",\"name\":\"Zoë \\\"Quoted\\\"\\nNewline\",\"account_id\":\"A9\"}\n");

  reader = open_reader (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (enr_dataset_reader_get_name (reader), ==, "replaced");
  g_assert_cmpuint (enr_dataset_reader_get_customers (reader), ==, 1);
  g_assert_cmpuint (enr_dataset_reader_get_shift_horizon_days (reader), ==,
                    ENR_DATASET_DEFAULT_HORIZON_DAYS);

  lines = read_lines (dir, "customers", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 1);

  remove_tree (dir);
}

/* Tests: the generator */

static gboolean
is_customer_side (const char *collection)
{
  static const char * const names[] = {
    "customers", "service_points", "metered_services",
    "device_locations", "subscriptions", "devices", NULL,
  };

  return g_strv_contains (names, collection);
}

static gboolean
files_equal (const char *a,
             const char *b,
             const char *name)
{
  g_autofree char *contents_a = read_file (a, name);
  g_autofree char *contents_b = read_file (b, name);

  return g_str_equal (contents_a, contents_b);
}

static void
test_generator (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *out = g_build_filename (dir, "a", NULL);
  g_autofree char *again = g_build_filename (dir, "b", NULL);
  g_autofree char *other = g_build_filename (dir, "c", NULL);
  g_autofree char *sample = sample_path ();
  g_autofree char *err_output = NULL;
  g_autoptr(Dataset) ds = NULL;
  const EnrDatasetCollection *collections = enr_dataset_collections (NULL);
  int status = -1;

  if (!run_generator ((const char *[]) { "--customers", "1000", "--output", out,
                                         "--seed", "7", "--reference", sample, NULL },
                      &status, &err_output))
    {
      g_test_skip ("enrollment-sample-data is not built (ENR_BUILD_ROOT)");
      remove_tree (dir);
      return;
    }
  g_assert_cmpstr (err_output, ==, "");
  g_assert_cmpint (status, ==, 0);

  ds = dataset_load (out);
  g_assert_cmpuint (dataset_items (ds, "customers")->len, ==, 1000);
  g_assert_cmpstr (enr_entity_get_id (g_ptr_array_index (dataset_items (ds, "customers"), 0)), ==,
                   "cust-g0000001");
  g_assert_cmpstr (enr_entity_get_id (g_ptr_array_index (dataset_items (ds, "customers"), 999)), ==,
                   "cust-g0001000");
  g_assert_cmpuint (dataset_items (ds, "metered_services")->len, >=, 1000);
  g_assert_cmpuint (dataset_items (ds, "devices")->len, >=, 300);
  g_assert_cmpuint (dataset_items (ds, "subscriptions")->len, >=, 100);
  check_dataset (ds);

  /* Reference collections are copied verbatim. */
  for (guint i = 0; collections[i].name != NULL; i++)
    {
      g_autofree char *file_name = g_strconcat (collections[i].name, ".jsonl", NULL);

      if (is_customer_side (collections[i].name))
        continue;

      g_assert_true (files_equal (sample, out, file_name));
    }

  /* Deterministic: the same seed gives the same files, another seed not. */
  g_clear_pointer (&err_output, g_free);
  g_assert_true (run_generator ((const char *[]) { "--customers", "1000", "--output", again,
                                                   "--seed", "7", "--reference", sample, NULL },
                                &status, &err_output));
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&err_output, g_free);
  g_assert_true (run_generator ((const char *[]) { "--customers", "1000", "--output", other,
                                                   "--seed", "8", "--reference", sample, NULL },
                                &status, &err_output));
  g_assert_cmpint (status, ==, 0);

  for (guint i = 0; collections[i].name != NULL; i++)
    {
      g_autofree char *file_name = g_strconcat (collections[i].name, ".jsonl", NULL);

      g_assert_true (files_equal (out, again, file_name));
    }
  g_assert_true (files_equal (out, again, ENR_DATASET_MANIFEST));
  g_assert_false (files_equal (out, other, "customers.jsonl"));

  remove_tree (dir);
}

static void
test_generator_errors (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *sample = sample_path ();
  g_autofree char *empty = make_dataset (0, NULL, NULL, 0);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *manifest = g_build_filename (sample, ENR_DATASET_MANIFEST, NULL);
  g_autofree char *err_output = NULL;
  int status = -1;

  if (!run_generator ((const char *[]) { "--customers", "5", NULL }, &status, &err_output))
    {
      g_test_skip ("enrollment-sample-data is not built (ENR_BUILD_ROOT)");
      remove_tree (dir);
      remove_tree (empty);
      return;
    }
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err_output, "--output DIR are required"));

  /* Writing over the reference would destroy it. */
  g_clear_pointer (&err_output, g_free);
  run_generator ((const char *[]) { "--customers", "5", "--output", sample,
                                    "--reference", sample, NULL }, &status, &err_output);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err_output, "must not be the reference"));
  g_assert_true (g_file_test (manifest, G_FILE_TEST_EXISTS));

  /* A reference without customers has nothing to model on. */
  g_clear_pointer (&err_output, g_free);
  run_generator ((const char *[]) { "--customers", "5", "--output", out,
                                    "--reference", empty, NULL }, &status, &err_output);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err_output, "no customers"));

  /* A broken reference is reported with its file and line. */
  g_clear_pointer (&err_output, g_free);
  write_file (empty, "customers.jsonl", "\n{\"id\":\"c\",\"account_id\":\"A\"}\n", -1);
  run_generator ((const char *[]) { "--customers", "5", "--output", out,
                                    "--reference", empty, NULL }, &status, &err_output);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err_output, "customers.jsonl:2: customer.name: missing required member"));

  remove_tree (dir);
  remove_tree (empty);
}

/* The million-customer run: streams and counts, decodes every 1000th record. */

static char *
extract_id (const char *line,
            gsize       length)
{
  const char *prefix = "{\"id\":\"";
  const char *start;
  const char *end;

  g_assert_true (length > strlen (prefix) && strncmp (line, prefix, strlen (prefix)) == 0);
  start = line + strlen (prefix);
  end = memchr (start, '"', length - strlen (prefix));
  g_assert_nonnull (end);

  return g_strndup (start, end - start);
}

static guint64
scan_collection (const char *dir,
                 const char *collection,
                 GHashTable *ids,
                 goffset    *bytes)
{
  g_autofree char *file_name = g_strconcat (collection, ".jsonl", NULL);
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  GType type = enr_dataset_collection_type (collection);
  guint64 count = 0;

  input = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  stream = g_data_input_stream_new (G_INPUT_STREAM (input));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (stream), 1 << 20);

  for (;;)
    {
      gsize length = 0;
      g_autofree char *line = g_data_input_stream_read_line (stream, &length, NULL, &error);
      g_autofree char *id = NULL;

      g_assert_no_error (error);
      if (line == NULL)
        break;

      *bytes += length + 1;
      count++;
      id = extract_id (line, length);

      if (count % 1000 == 1)
        {
          g_autoptr(GObject) object = enr_codec_decode_data (type, line, length, &error);

          g_assert_no_error (error);
          g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (object)), ==, id);
        }

      if (ids != NULL)
        {
          g_assert_false (g_hash_table_contains (ids, id));
          g_hash_table_add (ids, g_steal_pointer (&id));
        }
    }

  return count;
}

static void
test_scale (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err_output = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GTimer) timer = NULL;
  g_autoptr(EnrDatasetReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const collections[] = {
    "customers", "service_points", "metered_services",
    "device_locations", "subscriptions", "devices",
  };
  goffset bytes = 0;
  double generate_seconds;
  int status = -1;

  /* A million customers take about 20 s and 1 GB of disk in the normal
   * build; the sanitizer build runs the 1,000-customer checks only. */
#if defined(__SANITIZE_ADDRESS__)
  if (!g_test_slow () && g_strcmp0 (g_getenv ("ENR_TEST_SCALE"), "1") != 0)
    {
      g_test_skip ("1,000,000 customers under AddressSanitizer: run with -m slow or ENR_TEST_SCALE=1");
      return;
    }
#endif

  dir = make_temp_dir ();
  out = g_build_filename (dir, "million", NULL);
  timer = g_timer_new ();

  if (!run_generator ((const char *[]) { "--customers", "1000000", "--output", out, NULL },
                      &status, &err_output))
    {
      g_test_skip ("enrollment-sample-data is not built (ENR_BUILD_ROOT)");
      remove_tree (dir);
      return;
    }
  generate_seconds = g_timer_elapsed (timer, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err_output, "1000000 of 1000000 customers"));

  reader = open_reader (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (enr_dataset_reader_get_customers (reader), ==, 1000000);

  g_timer_start (timer);
  ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
    {
      guint64 count = scan_collection (out, collections[i],
                                       i == 0 ? ids : NULL, &bytes);

      g_test_message ("%s: %" G_GUINT64_FORMAT " lines", collections[i], count);
      if (i == 0)
        g_assert_cmpuint (count, ==, 1000000);
      else if (i <= 3)
        g_assert_cmpuint (count, >=, 1000000);
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 1000000);

  g_test_message ("generated in %.1f s, scanned in %.1f s, %" G_GOFFSET_FORMAT " bytes of customer data",
                  generate_seconds, g_timer_elapsed (timer, NULL), bytes);

  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dataset/collections", test_collections);
  g_test_add_func ("/dataset/sample/manifest", test_sample_manifest);
  g_test_add_func ("/dataset/sample/decodes", test_sample_decodes);
  g_test_add_func ("/dataset/sample/references", test_sample_references);
  g_test_add_func ("/dataset/sample/canonical", test_sample_canonical);
  g_test_add_func ("/dataset/sample/scenarios", test_sample_scenarios);
  g_test_add_func ("/dataset/reader/lines", test_reader_lines);
  g_test_add_func ("/dataset/reader/missing-collection", test_reader_missing_collection);
  g_test_add_func ("/dataset/reader/empty-file", test_reader_empty_file);
  g_test_add_func ("/dataset/reader/line-errors", test_reader_line_errors);
  g_test_add_func ("/dataset/reader/rows", test_reader_rows);
  g_test_add_func ("/dataset/reader/long-line", test_reader_long_line);
  g_test_add_func ("/dataset/reader/count-mismatch", test_reader_count_mismatch);
  g_test_add_func ("/dataset/reader/callback-error", test_reader_callback_error);
  g_test_add_func ("/dataset/reader/cancelled", test_reader_cancelled);
  g_test_add_func ("/dataset/reader/users", test_reader_users);
  g_test_add_func ("/dataset/reader/manifest-errors", test_reader_manifest_errors);
  g_test_add_func ("/dataset/reader/manifest-bounds", test_reader_manifest_bounds);
  g_test_add_func ("/dataset/writer/round-trip", test_writer_round_trip);
  g_test_add_func ("/dataset/writer/replaces", test_writer_replaces);
  g_test_add_func ("/dataset/generator/thousand", test_generator);
  g_test_add_func ("/dataset/generator/errors", test_generator_errors);
  g_test_add_func ("/dataset/generator/million", test_scale);

  return g_test_run ();
}

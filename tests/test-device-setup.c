/* test-device-setup.c — device-setup rules and the appointments they need
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-core.h"

typedef struct
{
  int                installation_method;
  int                removal_method;
  EnrAssetOwnership  ownership;
  const char        *activity_type_ids;  /* space separated */
} RuleRow;

#define END_OF_RULES { -1, -1, 0, NULL }

/* A realistic enrollment configuration. Rule 1 shadows rule 2 for
 * utility-owned devices (first match wins); rule 4 is never reached. */
static const RuleRow enrollment_rules[] = {
  { ENR_INSTALLATION_METHOD_RE_ENROLL, 0, ENR_ASSET_OWNERSHIP_NONE, "" },
  { ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, 0, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "act-install act-commission" },
  { ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, 0, ENR_ASSET_OWNERSHIP_NONE, "act-inspect" },
  { ENR_INSTALLATION_METHOD_SHIP_DEVICE, 0, ENR_ASSET_OWNERSHIP_NONE, "act-ship" },
  { ENR_INSTALLATION_METHOD_SHIP_DEVICE, 0, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "act-never" },
  /* a removal rule in an enrollment type is never used for enrollment */
  { ENR_INSTALLATION_METHOD_NONE, ENR_REMOVAL_METHOD_UTILITY_REMOVAL, ENR_ASSET_OWNERSHIP_NONE, "act-remove" },
  END_OF_RULES
};

static const RuleRow unenrollment_rules[] = {
  { 0, ENR_REMOVAL_METHOD_KEEP, ENR_ASSET_OWNERSHIP_NONE, "" },
  { 0, ENR_REMOVAL_METHOD_SHIP_DEVICE, ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, "" },
  { 0, ENR_REMOVAL_METHOD_SHIP_DEVICE, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "act-return" },
  { 0, ENR_REMOVAL_METHOD_UTILITY_REMOVAL, ENR_ASSET_OWNERSHIP_NONE, "act-remove" },
  END_OF_RULES
};

static const RuleRow no_rules[] = {
  END_OF_RULES
};

static EnrServiceTaskType *
make_type (EnrTaskKind    kind,
           const RuleRow *rows)
{
  EnrServiceTaskType *type = enr_service_task_type_new ();

  enr_entity_set_id (ENR_ENTITY (type), kind == ENR_TASK_KIND_ENROLLMENT ? "stt-enroll" : "stt-unenroll");
  enr_service_task_type_set_code (type, "T");
  enr_service_task_type_set_name (type, "T");
  enr_service_task_type_set_kind (type, kind);

  for (guint i = 0; rows[i].activity_type_ids != NULL; i++)
    {
      g_autoptr(EnrDeviceSetupRule) rule = enr_device_setup_rule_new ();
      g_auto(GStrv) ids = g_strsplit (rows[i].activity_type_ids, " ", -1);

      enr_device_setup_rule_set_installation_method (rule, rows[i].installation_method);
      enr_device_setup_rule_set_removal_method (rule, rows[i].removal_method);
      enr_device_setup_rule_set_ownership (rule, rows[i].ownership);
      enr_device_setup_rule_set_activity_type_ids (rule, (const char * const *) ids);
      enr_service_task_type_add_rule (type, rule);
    }

  return type;
}

static char *
join_ids (GPtrArray *ids)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (joined, "%s%s", i ? " " : "", (const char *) g_ptr_array_index (ids, i));

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

typedef struct
{
  const RuleRow     *rules;
  EnrTaskKind        kind;
  int                method;
  EnrAssetOwnership  ownership;
  const char        *expected;
} ActivityCase;

static const ActivityCase activity_cases[] = {
  /* Re-enroll creates no work, whoever owns the device */
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_RE_ENROLL, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "" },
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_RE_ENROLL, ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, "" },
  /* first match wins: utility-owned hits rule 1, not the catch-all rule 2 */
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "act-install act-commission" },
  /* ownership NONE on the rule matches any ownership */
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, "act-inspect" },
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, ENR_ASSET_OWNERSHIP_NONE, "act-inspect" },
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_SHIP_DEVICE, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "act-ship" },
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_SHIP_DEVICE, ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, "act-ship" },
  /* no method chosen yet */
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_NONE, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "" },
  /* the kind picks which method column is compared */
  { enrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_UTILITY_REMOVAL, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "act-remove" },

  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_KEEP, ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, "" },
  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_SHIP_DEVICE, ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, "" },
  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_SHIP_DEVICE, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "act-return" },
  /* specific ownership on every ship rule: no ownership chosen, no match */
  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_SHIP_DEVICE, ENR_ASSET_OWNERSHIP_NONE, "" },
  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_UTILITY_REMOVAL, ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, "act-remove" },
  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_NONE, ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, "" },
  /* unenrollment rules have no installation method */
  { unenrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_SHIP_DEVICE, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "" },

  /* no rules at all */
  { no_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "" },
  { no_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_UTILITY_REMOVAL, ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "" },
};

static void
test_activities (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (activity_cases); i++)
    {
      const ActivityCase *c = &activity_cases[i];
      g_autoptr(EnrServiceTaskType) type = make_type (c->kind, c->rules);
      g_autoptr(GPtrArray) ids = NULL;
      g_autofree char *joined = NULL;

      g_test_message ("case %u", i);
      ids = enr_device_setup_activities (type, c->kind, c->method, c->ownership);
      joined = join_ids (ids);
      g_assert_cmpstr (joined, ==, c->expected);
    }
}

static void
test_activities_for_task (void)
{
  static const struct {
    EnrTaskKind       kind;
    int               installation_method;
    int               removal_method;
    EnrAssetOwnership ownership;
    const char       *expected;
  } cases[] = {
    { ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, ENR_REMOVAL_METHOD_UTILITY_REMOVAL,
      ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "act-install act-commission" },
    { ENR_TASK_KIND_UNENROLLMENT, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, ENR_REMOVAL_METHOD_UTILITY_REMOVAL,
      ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "act-remove" },
    { ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_NONE, ENR_REMOVAL_METHOD_UTILITY_REMOVAL,
      ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EnrServiceTaskType) type = make_type (ENR_TASK_KIND_ENROLLMENT, enrollment_rules);
      g_autoptr(EnrServiceTask) task = enr_service_task_new ();
      g_autoptr(GPtrArray) ids = NULL;
      g_autofree char *joined = NULL;

      enr_service_task_set_kind (task, cases[i].kind);
      enr_service_task_set_installation_method (task, cases[i].installation_method);
      enr_service_task_set_removal_method (task, cases[i].removal_method);
      enr_service_task_set_ownership (task, cases[i].ownership);

      ids = enr_device_setup_activities_for_task (type, task);
      joined = join_ids (ids);
      g_assert_cmpstr (joined, ==, cases[i].expected);
    }
}

/* The shipped activity types: only installation and removal need a crew. */
static const struct {
  const char *id;
  const char *name;
  gboolean    needs_appointment;
} catalogue_rows[] = {
  { "act-install", "Utility Installation", TRUE },
  { "act-commission", "Commission Device", FALSE },
  { "act-inspect", "Site Inspection", TRUE },
  { "act-ship", "Ship Device", FALSE },
  { "act-return", "Return Shipment", FALSE },
  { "act-remove", "Utility Removal", TRUE },
};

static GPtrArray *
make_catalogue (void)
{
  GPtrArray *catalogue = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (catalogue_rows); i++)
    {
      EnrActivityType *activity_type = enr_activity_type_new ();

      enr_entity_set_id (ENR_ENTITY (activity_type), catalogue_rows[i].id);
      enr_activity_type_set_code (activity_type, catalogue_rows[i].id);
      enr_activity_type_set_name (activity_type, catalogue_rows[i].name);
      enr_activity_type_set_duration_minutes (activity_type, 60);
      enr_activity_type_set_needs_appointment (activity_type, catalogue_rows[i].needs_appointment);
      g_ptr_array_add (catalogue, activity_type);
    }

  return catalogue;
}

static char *
join_names (GPtrArray *activity_types)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < activity_types->len; i++)
    g_string_append_printf (joined, "%s%s", i ? ", " : "",
                            enr_activity_type_get_name (g_ptr_array_index (activity_types, i)));

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

typedef struct
{
  const RuleRow     *rules;
  EnrTaskKind        kind;
  int                method;
  EnrAssetOwnership  ownership;
  const char        *all;           /* resolved activity types */
  const char        *appointments;  /* those needing an appointment */
} AppointmentCase;

static const AppointmentCase appointment_cases[] = {
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION,
    ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "Utility Installation, Commission Device", "Utility Installation" },
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION,
    ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, "Site Inspection", "Site Inspection" },
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_SHIP_DEVICE,
    ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, "Ship Device", "" },
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_RE_ENROLL,
    ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "", "" },
  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_KEEP,
    ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "", "" },
  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_SHIP_DEVICE,
    ENR_ASSET_OWNERSHIP_UTILITY_OWNED, "Return Shipment", "" },
  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_UTILITY_REMOVAL,
    ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED, "Utility Removal", "Utility Removal" },
};

static void
test_required_appointments (void)
{
  g_autoptr(GPtrArray) catalogue = make_catalogue ();

  for (guint i = 0; i < G_N_ELEMENTS (appointment_cases); i++)
    {
      const AppointmentCase *c = &appointment_cases[i];
      g_autoptr(EnrServiceTaskType) type = make_type (c->kind, c->rules);
      g_autoptr(GPtrArray) ids = enr_device_setup_activities (type, c->kind, c->method, c->ownership);
      g_autoptr(GPtrArray) all = enr_device_setup_resolve_activity_types (ids, catalogue);
      g_autoptr(GPtrArray) required = enr_device_setup_required_appointments (ids, catalogue);
      g_autofree char *all_names = join_names (all);
      g_autofree char *required_names = join_names (required);

      g_test_message ("case %u", i);
      g_assert_cmpstr (all_names, ==, c->all);
      g_assert_cmpstr (required_names, ==, c->appointments);
    }
}

static void
test_unknown_activity (void)
{
  g_autoptr(GPtrArray) catalogue = make_catalogue ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) required = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *names = NULL;

  g_ptr_array_add (ids, g_strdup ("act-missing"));
  g_ptr_array_add (ids, g_strdup ("act-remove"));
  g_ptr_array_add (ids, g_strdup ("act-install"));

  required = enr_device_setup_required_appointments (ids, catalogue);
  names = join_names (required);
  g_assert_cmpstr (names, ==, "Utility Removal, Utility Installation");

  none = enr_device_setup_required_appointments (ids, NULL);
  g_assert_cmpuint (none->len, ==, 0);
  g_clear_pointer (&none, g_ptr_array_unref);

  none = enr_device_setup_resolve_activity_types (NULL, catalogue);
  g_assert_cmpuint (none->len, ==, 0);
}

typedef struct
{
  const RuleRow *rules;
  EnrTaskKind    kind;
  int            method;
  gboolean       needed;
} OwnershipCase;

static const OwnershipCase ownership_cases[] = {
  /* Re-enroll: one rule for every owner, none decides by ownership */
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_RE_ENROLL, FALSE },
  /* Utility Installation: rule 2 is for utility-owned devices only */
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, TRUE },
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_SHIP_DEVICE, TRUE },
  /* no method yet: the method is asked first */
  { enrollment_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_NONE, FALSE },
  /* the removal rule of an enrollment type is not an installation rule */
  { enrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_UTILITY_REMOVAL, FALSE },
  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_KEEP, FALSE },
  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_SHIP_DEVICE, TRUE },
  { unenrollment_rules, ENR_TASK_KIND_UNENROLLMENT, ENR_REMOVAL_METHOD_UTILITY_REMOVAL, FALSE },
  { no_rules, ENR_TASK_KIND_ENROLLMENT, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, FALSE },
};

static void
test_needs_ownership (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (ownership_cases); i++)
    {
      const OwnershipCase *c = &ownership_cases[i];
      g_autoptr(EnrServiceTaskType) type = make_type (c->kind, c->rules);
      g_autoptr(EnrServiceTask) task = enr_service_task_new ();

      g_test_message ("case %u", i);
      g_assert_cmpint (enr_device_setup_needs_ownership (type, c->kind, c->method), ==, c->needed);

      enr_service_task_set_kind (task, c->kind);
      if (c->kind == ENR_TASK_KIND_ENROLLMENT)
        enr_service_task_set_installation_method (task, c->method);
      else
        enr_service_task_set_removal_method (task, c->method);
      g_assert_cmpint (enr_device_setup_needs_ownership_for_task (type, task), ==, c->needed);
    }

  /* Without a task type nothing says the ownership does not matter. */
  g_assert_true (enr_device_setup_needs_ownership (NULL, ENR_TASK_KIND_ENROLLMENT,
                                                   ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/device-setup/activities", test_activities);
  g_test_add_func ("/device-setup/activities-for-task", test_activities_for_task);
  g_test_add_func ("/device-setup/required-appointments", test_required_appointments);
  g_test_add_func ("/device-setup/unknown-activity", test_unknown_activity);
  g_test_add_func ("/device-setup/needs-ownership", test_needs_ownership);

  return g_test_run ();
}

/* test-lifecycle.c — service task and process flow transitions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "enr-core.h"

#define N_TASK_STATUSES 6
#define N_FLOW_STATUSES 3

/* allowed[from][to], in EnrTaskStatus order:
 * pending, validate, error, in-progress, completed, canceled */
static const gboolean task_allowed[N_TASK_STATUSES][N_TASK_STATUSES] = {
  /* pending */     { FALSE, TRUE,  FALSE, FALSE, FALSE, TRUE  },
  /* validate */    { FALSE, FALSE, TRUE,  TRUE,  TRUE,  TRUE  },
  /* error */       { TRUE,  FALSE, FALSE, FALSE, FALSE, TRUE  },
  /* in-progress */ { FALSE, FALSE, FALSE, FALSE, TRUE,  TRUE  },
  /* completed */   { FALSE, FALSE, FALSE, FALSE, FALSE, FALSE },
  /* canceled */    { FALSE, FALSE, FALSE, FALSE, FALSE, FALSE },
};

/* The message of every illegal transition, [from][to]; NULL where legal. */
static const char * const task_messages[N_TASK_STATUSES][N_TASK_STATUSES] = {
  {
    "The service task is already “Pending”",
    NULL,
    "Only a service task being validated can fail validation",
    "A service task must pass validation before it becomes “In Progress”",
    "A service task must pass validation before it becomes “Completed”",
    NULL,
  },
  {
    "A service task cannot go from “Validate” to “Pending”",
    "The service task is already “Validate”",
    NULL, NULL, NULL, NULL,
  },
  {
    NULL,
    "A service task cannot go from “Error” to “Validate”",
    "The service task is already “Error”",
    "A service task must pass validation before it becomes “In Progress”",
    "A service task must pass validation before it becomes “Completed”",
    NULL,
  },
  {
    "A service task cannot go from “In Progress” to “Pending”",
    "A service task cannot go from “In Progress” to “Validate”",
    "Only a service task being validated can fail validation",
    "The service task is already “In Progress”",
    NULL, NULL,
  },
  {
    "A completed service task is final and cannot become “Pending”",
    "A completed service task is final and cannot become “Validate”",
    "A completed service task is final and cannot become “Error”",
    "A completed service task is final and cannot become “In Progress”",
    "The service task is already “Completed”",
    "A completed service task cannot be canceled",
  },
  {
    "A canceled service task is final and cannot become “Pending”",
    "A canceled service task is final and cannot become “Validate”",
    "A canceled service task is final and cannot become “Error”",
    "A canceled service task is final and cannot become “In Progress”",
    "A canceled service task is final and cannot become “Completed”",
    "The service task is already “Canceled”",
  },
};

static void
test_task_final (void)
{
  static const gboolean final[N_TASK_STATUSES] = { FALSE, FALSE, FALSE, FALSE, TRUE, TRUE };

  for (int s = 0; s < N_TASK_STATUSES; s++)
    g_assert_cmpint (enr_task_status_is_final (s), ==, final[s]);
}

static void
test_task_matrix (void)
{
  for (int from = 0; from < N_TASK_STATUSES; from++)
    for (int to = 0; to < N_TASK_STATUSES; to++)
      {
        g_test_message ("%s → %s", enr_enum_to_nick (ENR_TYPE_TASK_STATUS, from),
                        enr_enum_to_nick (ENR_TYPE_TASK_STATUS, to));
        g_assert_cmpint (enr_task_transition_allowed (from, to), ==, task_allowed[from][to]);
        g_assert_true ((task_messages[from][to] == NULL) == task_allowed[from][to]);
      }
}

static void
test_task_transition (void)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-03-01T09:30:00+01:00", NULL);

  for (int from = 0; from < N_TASK_STATUSES; from++)
    for (int to = 0; to < N_TASK_STATUSES; to++)
      {
        g_autoptr(EnrServiceTask) task = enr_service_task_new ();
        g_autoptr(GError) error = NULL;
        GPtrArray *history;
        gboolean ok;

        enr_service_task_set_status (task, from);
        enr_service_task_set_version (task, 7);

        ok = enr_service_task_transition (task, to, "clerk1", at, "because", &error);
        history = enr_service_task_get_history (task);
        g_assert_cmpint (ok, ==, task_allowed[from][to]);
        g_assert_cmpint (enr_service_task_get_version (task), ==, 7);

        if (ok)
          {
            EnrTaskTransition *transition;

            g_assert_no_error (error);
            g_assert_cmpint (enr_service_task_get_status (task), ==, to);
            g_assert_cmpuint (history->len, ==, 1);
            transition = g_ptr_array_index (history, 0);
            g_assert_cmpint (enr_task_transition_get_from (transition), ==, from);
            g_assert_cmpint (enr_task_transition_get_to (transition), ==, to);
            g_assert_cmpstr (enr_task_transition_get_by (transition), ==, "clerk1");
            g_assert_true (g_date_time_equal (enr_task_transition_get_at (transition), at));
            g_assert_cmpstr (enr_task_transition_get_reason (transition), ==, "because");
          }
        else
          {
            g_assert_error (error, ENR_LIFECYCLE_ERROR, ENR_LIFECYCLE_ERROR_ILLEGAL_TRANSITION);
            g_assert_cmpstr (error->message, ==, task_messages[from][to]);
            g_assert_cmpint (enr_service_task_get_status (task), ==, from);
            g_assert_cmpuint (history->len, ==, 0);
          }
      }
}

/* The whole happy path with field work, then a resubmission. */
static void
test_task_history (void)
{
  static const struct {
    EnrTaskStatus to;
    const char   *reason;
    gboolean      ok;
  } steps[] = {
    { ENR_TASK_STATUS_VALIDATE, "Finish", TRUE },
    { ENR_TASK_STATUS_ERROR, "Start Date cannot be in the past", TRUE },
    { ENR_TASK_STATUS_PENDING, "corrected", TRUE },
    { ENR_TASK_STATUS_VALIDATE, "Finish", TRUE },
    { ENR_TASK_STATUS_IN_PROGRESS, "installation booked", TRUE },
    { ENR_TASK_STATUS_PENDING, NULL, FALSE },
    { ENR_TASK_STATUS_COMPLETED, "installed", TRUE },
    { ENR_TASK_STATUS_CANCELED, "too late", FALSE },
  };
  g_autoptr(EnrServiceTask) task = enr_service_task_new ();
  guint n_ok = 0;

  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_PENDING);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      ok = enr_service_task_transition (task, steps[i].to, "sup", NULL, steps[i].reason, &error);
      g_assert_cmpint (ok, ==, steps[i].ok);
      if (ok)
        {
          EnrTaskTransition *transition;

          transition = g_ptr_array_index (enr_service_task_get_history (task), n_ok);
          g_assert_nonnull (enr_task_transition_get_at (transition));
          g_assert_cmpstr (enr_task_transition_get_reason (transition), ==, steps[i].reason);
          g_assert_cmpint (enr_task_transition_get_to (transition), ==, steps[i].to);
          n_ok++;
        }
      g_assert_cmpuint (enr_service_task_get_history (task)->len, ==, n_ok);
    }

  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_COMPLETED);
}

static const gboolean flow_allowed[N_FLOW_STATUSES][N_FLOW_STATUSES] = {
  /* open */     { FALSE, TRUE,  TRUE  },
  /* closed */   { FALSE, FALSE, FALSE },
  /* canceled */ { FALSE, FALSE, FALSE },
};

static const char * const flow_messages[N_FLOW_STATUSES][N_FLOW_STATUSES] = {
  { "The process flow is already “Open”", NULL, NULL },
  {
    "A finished process flow cannot be reopened",
    "The process flow is already “Closed”",
    "A finished process flow cannot be canceled",
  },
  {
    "A canceled process flow cannot be reopened",
    "A canceled process flow cannot be finished",
    "The process flow is already “Canceled”",
  },
};

static void
test_flow (void)
{
  static const gboolean final[N_FLOW_STATUSES] = { FALSE, TRUE, TRUE };

  for (int from = 0; from < N_FLOW_STATUSES; from++)
    {
      g_assert_cmpint (enr_flow_status_is_final (from), ==, final[from]);

      for (int to = 0; to < N_FLOW_STATUSES; to++)
        {
          g_autoptr(EnrProcessFlow) flow = enr_process_flow_new ();
          g_autoptr(GError) error = NULL;
          gboolean ok;

          enr_process_flow_set_status (flow, from);
          enr_process_flow_set_current_panel (flow, ENR_PANEL_SUMMARY);

          g_assert_cmpint (enr_flow_transition_allowed (from, to), ==, flow_allowed[from][to]);

          ok = enr_process_flow_transition (flow, to, &error);
          g_assert_cmpint (ok, ==, flow_allowed[from][to]);
          g_assert_cmpint (enr_process_flow_get_current_panel (flow), ==, ENR_PANEL_SUMMARY);
          if (ok)
            {
              g_assert_no_error (error);
              g_assert_cmpint (enr_process_flow_get_status (flow), ==, to);
            }
          else
            {
              g_assert_error (error, ENR_LIFECYCLE_ERROR, ENR_LIFECYCLE_ERROR_ILLEGAL_TRANSITION);
              g_assert_cmpstr (error->message, ==, flow_messages[from][to]);
              g_assert_cmpint (enr_process_flow_get_status (flow), ==, from);
            }
        }
    }
}

typedef struct
{
  EnrTaskStatus status;
  int           expiration_days;
  const char   *created_at;  /* NULL = unset */
  const char   *today;
  gboolean      expired;
} ExpiryCase;

static const ExpiryCase expiry_cases[] = {
  { ENR_TASK_STATUS_PENDING, 10, "2026-03-01T10:00:00+01:00", "2026-03-01", FALSE },
  { ENR_TASK_STATUS_PENDING, 10, "2026-03-01T10:00:00+01:00", "2026-03-10", FALSE },
  { ENR_TASK_STATUS_PENDING, 10, "2026-03-01T10:00:00+01:00", "2026-03-11", FALSE },
  { ENR_TASK_STATUS_PENDING, 10, "2026-03-01T10:00:00+01:00", "2026-03-12", TRUE },
  { ENR_TASK_STATUS_PENDING, 10, "2026-03-01T10:00:00+01:00", "2027-01-01", TRUE },
  { ENR_TASK_STATUS_VALIDATE, 1, "2026-03-01T00:00:00Z", "2026-03-03", TRUE },
  { ENR_TASK_STATUS_ERROR, 1, "2026-03-01T00:00:00Z", "2026-03-03", TRUE },
  { ENR_TASK_STATUS_IN_PROGRESS, 1, "2026-03-01T00:00:00Z", "2026-03-03", TRUE },
  { ENR_TASK_STATUS_COMPLETED, 1, "2026-03-01T00:00:00Z", "2026-03-03", FALSE },
  { ENR_TASK_STATUS_CANCELED, 1, "2026-03-01T00:00:00Z", "2026-03-03", FALSE },
  /* zero days: never */
  { ENR_TASK_STATUS_PENDING, 0, "2020-01-01T00:00:00Z", "2026-03-03", FALSE },
  { ENR_TASK_STATUS_PENDING, 30, NULL, "2026-03-03", FALSE },
  /* the creation date is taken in the creator's offset: 1 March in New York */
  { ENR_TASK_STATUS_PENDING, 1, "2026-03-01T23:30:00-05:00", "2026-03-02", FALSE },
  { ENR_TASK_STATUS_PENDING, 1, "2026-03-01T23:30:00-05:00", "2026-03-03", TRUE },
  /* across a year end and a leap day */
  { ENR_TASK_STATUS_PENDING, 2, "2027-12-30T12:00:00Z", "2028-01-01", FALSE },
  { ENR_TASK_STATUS_PENDING, 2, "2027-12-30T12:00:00Z", "2028-01-02", TRUE },
  { ENR_TASK_STATUS_PENDING, 1, "2028-02-28T12:00:00Z", "2028-02-29", FALSE },
  { ENR_TASK_STATUS_PENDING, 1, "2028-02-28T12:00:00Z", "2028-03-01", TRUE },
};

static void
parse_date (const char *iso,
            GDate      *date)
{
  unsigned year, month, day;

  g_assert_cmpint (sscanf (iso, "%4u-%2u-%2u", &year, &month, &day), ==, 3);
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  g_assert_true (g_date_valid (date));
}

static void
test_expiry (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (expiry_cases); i++)
    {
      const ExpiryCase *c = &expiry_cases[i];
      g_autoptr(EnrServiceTask) task = enr_service_task_new ();
      g_autoptr(EnrServiceTaskType) type = enr_service_task_type_new ();
      GDate today;

      g_test_message ("case %u", i);
      enr_service_task_set_status (task, c->status);
      if (c->created_at != NULL)
        {
          g_autoptr(GDateTime) created_at = g_date_time_new_from_iso8601 (c->created_at, NULL);

          g_assert_nonnull (created_at);
          enr_service_task_set_created_at (task, created_at);
        }
      enr_service_task_type_set_expiration_days (type, c->expiration_days);
      parse_date (c->today, &today);

      g_assert_cmpint (enr_service_task_is_expired (task, type, &today), ==, c->expired);
    }
}

static void
test_expiry_now (void)
{
  g_autoptr(EnrServiceTask) task = enr_service_task_new ();
  g_autoptr(EnrServiceTaskType) type = enr_service_task_type_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) long_ago = g_date_time_add_days (now, -400);

  enr_service_task_type_set_expiration_days (type, 30);
  enr_service_task_set_created_at (task, now);
  g_assert_false (enr_service_task_is_expired (task, type, NULL));

  enr_service_task_set_created_at (task, long_ago);
  g_assert_true (enr_service_task_is_expired (task, type, NULL));
}

/* Every value of every labelled code list has a label of its own, and the
 * life cycle's messages name a status by the same label the views show. */
typedef const char *(*LabelFunc) (int value);

/* The labels take their own enum; these take an int, for the table below. */
#define LABEL_OF(name, Type) \
  static const char *name##_label (int value) { return enr_##name##_label ((Type) value); }
LABEL_OF (task_kind, EnrTaskKind)
LABEL_OF (installation_method, EnrInstallationMethod)
LABEL_OF (removal_method, EnrRemovalMethod)
LABEL_OF (asset_ownership, EnrAssetOwnership)
LABEL_OF (task_status, EnrTaskStatus)
LABEL_OF (flow_status, EnrFlowStatus)
LABEL_OF (device_status, EnrDeviceStatus)
LABEL_OF (asset_type, EnrAssetType)
LABEL_OF (service_type, EnrServiceType)
LABEL_OF (metered_service_status, EnrMeteredServiceStatus)
LABEL_OF (subscription_status, EnrSubscriptionStatus)

static void
test_labels (void)
{
  const struct {
    GType type;
    LabelFunc label;
  } lists[] = {
    { ENR_TYPE_TASK_KIND, task_kind_label },
    { ENR_TYPE_INSTALLATION_METHOD, installation_method_label },
    { ENR_TYPE_REMOVAL_METHOD, removal_method_label },
    { ENR_TYPE_ASSET_OWNERSHIP, asset_ownership_label },
    { ENR_TYPE_TASK_STATUS, task_status_label },
    { ENR_TYPE_FLOW_STATUS, flow_status_label },
    { ENR_TYPE_DEVICE_STATUS, device_status_label },
    { ENR_TYPE_ASSET_TYPE, asset_type_label },
    { ENR_TYPE_SERVICE_TYPE, service_type_label },
    { ENR_TYPE_METERED_SERVICE_STATUS, metered_service_status_label },
    { ENR_TYPE_SUBSCRIPTION_STATUS, subscription_status_label },
  };
  g_autoptr(EnrServiceTask) task = enr_service_task_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (lists[i].type);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint j = 0; j < klass->n_values; j++)
        {
          const char *label = lists[i].label (klass->values[j].value);

          g_test_message ("%s: %s → %s", g_type_name (lists[i].type),
                          klass->values[j].value_nick, label);
          g_assert_nonnull (label);
          g_assert_cmpstr (label, !=, "");
          g_assert_false (g_hash_table_contains (seen, label));
          g_hash_table_add (seen, (gpointer) label);
        }
    }

  g_assert_cmpstr (enr_task_status_label (ENR_TASK_STATUS_IN_PROGRESS), ==, "In Progress");
  g_assert_cmpstr (enr_flow_status_label (ENR_FLOW_STATUS_CANCELED), ==, "Canceled");

  enr_service_task_set_status (task, ENR_TASK_STATUS_COMPLETED);
  g_assert_false (enr_service_task_transition (task, ENR_TASK_STATUS_COMPLETED, "clerk", NULL, NULL, &error));
  g_assert_error (error, ENR_LIFECYCLE_ERROR, ENR_LIFECYCLE_ERROR_ILLEGAL_TRANSITION);
  g_assert_nonnull (strstr (error->message, enr_task_status_label (ENR_TASK_STATUS_COMPLETED)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lifecycle/task/final", test_task_final);
  g_test_add_func ("/lifecycle/task/matrix", test_task_matrix);
  g_test_add_func ("/lifecycle/task/transition", test_task_transition);
  g_test_add_func ("/lifecycle/task/history", test_task_history);
  g_test_add_func ("/lifecycle/flow", test_flow);
  g_test_add_func ("/lifecycle/expiry", test_expiry);
  g_test_add_func ("/lifecycle/expiry-now", test_expiry_now);
  g_test_add_func ("/lifecycle/labels", test_labels);

  return g_test_run ();
}

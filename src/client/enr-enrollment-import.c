/* enr-enrollment-import.c — Import Enrollments…: preview, queue, results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rows of a file (src/core/enr-import-csv.c) judged against the local
 * store as the Customer View judges a program for a customer: the same
 * eligibility rules with the same inputs, plus the file's start date,
 * installation method and consent (the Summary's consent rule). A row is
 * ready or refused with every reason; nothing is written while judging.
 *
 * Queueing turns each ready row into a new enrollment process flow saved
 * with its create-task operation, as a clerk's new flow is
 * (enr_context_create_flow()): the outbox delivers it once, online or
 * later. The rows of one call are saved in one transaction of the local
 * store, so that a file costs one sync to disk per few rows rather than
 * one per row. Each row is judged again just before it is queued, so
 * that rows queued before it (an exclusion between two rows of the file)
 * and anything the sync brought since the preview count. Both steps work
 * a few rows at a time, for a progress bar and Cancel; rows already
 * queued stay queued.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "enr-core.h"
#include "enr-enrollment-import.h"
#include "enr-flow-session-private.h"

/* EnrImportRow */

struct _EnrImportRow
{
  GObject           parent_instance;

  EnrImportRecord  *record;
  EnrImportOutcome  outcome;
  char             *reasons;
  char             *customer_id;
  char             *customer_name;
  char             *program_id;
  char             *program_name;
  char             *task_id;
};

G_DEFINE_FINAL_TYPE (EnrImportRow, enr_import_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_OUTCOME,
  ROW_PROP_REASONS,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

static void
enr_import_row_finalize (GObject *object)
{
  EnrImportRow *self = ENR_IMPORT_ROW (object);

  g_clear_pointer (&self->record, enr_import_record_free);
  g_free (self->reasons);
  g_free (self->customer_id);
  g_free (self->customer_name);
  g_free (self->program_id);
  g_free (self->program_name);
  g_free (self->task_id);

  G_OBJECT_CLASS (enr_import_row_parent_class)->finalize (object);
}

static void
enr_import_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EnrImportRow *self = ENR_IMPORT_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_OUTCOME:
      g_value_set_int (value, self->outcome);
      break;
    case ROW_PROP_REASONS:
      g_value_set_string (value, self->reasons);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_import_row_class_init (EnrImportRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_import_row_finalize;
  object_class->get_property = enr_import_row_get_property;

  row_properties[ROW_PROP_OUTCOME] =
    g_param_spec_int ("outcome", NULL, NULL,
                      ENR_IMPORT_OUTCOME_PENDING, ENR_IMPORT_OUTCOME_FAILED, ENR_IMPORT_OUTCOME_PENDING,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_REASONS] =
    g_param_spec_string ("reasons", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
enr_import_row_init (EnrImportRow *self)
{
}

static void
row_set_outcome (EnrImportRow     *self,
                 EnrImportOutcome  outcome,
                 const char       *reasons)
{
  gboolean changed = self->outcome != outcome;

  self->outcome = outcome;
  if (g_strcmp0 (self->reasons, reasons) != 0)
    {
      g_free (self->reasons);
      self->reasons = g_strdup (reasons);
      g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_REASONS]);
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_OUTCOME]);
}

guint
enr_import_row_get_line (EnrImportRow *self)
{
  g_return_val_if_fail (ENR_IS_IMPORT_ROW (self), 0);

  return self->record->line;
}

const char *
enr_import_row_get_account (EnrImportRow *self)
{
  g_return_val_if_fail (ENR_IS_IMPORT_ROW (self), NULL);

  return self->record->values[ENR_IMPORT_COLUMN_ACCOUNT];
}

const char *
enr_import_row_get_program_code (EnrImportRow *self)
{
  g_return_val_if_fail (ENR_IS_IMPORT_ROW (self), NULL);

  return self->record->values[ENR_IMPORT_COLUMN_PROGRAM_CODE];
}

/**
 * enr_import_row_get_customer_name:
 *
 * Returns: (nullable): the customer's name, once the account is found
 */
const char *
enr_import_row_get_customer_name (EnrImportRow *self)
{
  g_return_val_if_fail (ENR_IS_IMPORT_ROW (self), NULL);

  return self->customer_name;
}

/**
 * enr_import_row_get_program_name:
 *
 * Returns: (nullable): the program's name, once its code is found
 */
const char *
enr_import_row_get_program_name (EnrImportRow *self)
{
  g_return_val_if_fail (ENR_IS_IMPORT_ROW (self), NULL);

  return self->program_name;
}

EnrImportOutcome
enr_import_row_get_outcome (EnrImportRow *self)
{
  g_return_val_if_fail (ENR_IS_IMPORT_ROW (self), ENR_IMPORT_OUTCOME_PENDING);

  return self->outcome;
}

/**
 * enr_import_row_get_reasons:
 *
 * Returns: (nullable): why the row is refused (or was not queued), one
 *   reason a sentence, "; " between them
 */
const char *
enr_import_row_get_reasons (EnrImportRow *self)
{
  g_return_val_if_fail (ENR_IS_IMPORT_ROW (self), NULL);

  return self->reasons;
}

/**
 * enr_import_row_get_task_id:
 *
 * Returns: (nullable): the service task queued for the row
 */
const char *
enr_import_row_get_task_id (EnrImportRow *self)
{
  g_return_val_if_fail (ENR_IS_IMPORT_ROW (self), NULL);

  return self->task_id;
}

const char *
enr_import_outcome_label (EnrImportOutcome outcome)
{
  switch (outcome)
    {
    case ENR_IMPORT_OUTCOME_READY:
      return C_("import outcome", "Ready");
    case ENR_IMPORT_OUTCOME_REFUSED:
      return C_("import outcome", "Refused");
    case ENR_IMPORT_OUTCOME_QUEUED:
      return C_("import outcome", "Queued");
    case ENR_IMPORT_OUTCOME_CANCELED:
      return C_("import outcome", "Not queued");
    case ENR_IMPORT_OUTCOME_FAILED:
      return C_("import outcome", "Failed");
    case ENR_IMPORT_OUTCOME_PENDING:
    default:
      return C_("import outcome", "Checking");
    }
}

/* EnrEnrollmentImport */

typedef struct
{
  EnrProgramType     *program_type;
  EnrInitiative      *initiative;
  EnrServiceTaskType *task_type;
} ProgramInfo;

static void
program_info_free (ProgramInfo *info)
{
  g_clear_object (&info->program_type);
  g_clear_object (&info->initiative);
  g_clear_object (&info->task_type);
  g_free (info);
}

struct _EnrEnrollmentImport
{
  GObject      parent_instance;

  EnrContext  *context;
  GListStore  *rows;
  guint        n_judged;
  guint        n_handled;      /* rows the queue went past */
  guint        queue_index;    /* the row the queue goes on from */
  gboolean     canceled;

  GPtrArray   *programs;       /* the catalog: rule 7 reads it */
  GHashTable  *by_code;        /* program code → EnrProgram (borrowed) */
  GHashTable  *infos;          /* program id → ProgramInfo */
  GHashTable  *drafts;         /* customer id → GPtrArray of open draft tasks */
  GHashTable  *seen;           /* "customer\tprogram" → line of the first ready row */
  GTimeZone   *time_zone;
  GDate        today;
};

G_DEFINE_FINAL_TYPE (EnrEnrollmentImport, enr_enrollment_import, G_TYPE_OBJECT)

static void
enr_enrollment_import_finalize (GObject *object)
{
  EnrEnrollmentImport *self = ENR_ENROLLMENT_IMPORT (object);

  g_clear_object (&self->context);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->programs, g_ptr_array_unref);
  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->infos, g_hash_table_unref);
  g_clear_pointer (&self->drafts, g_hash_table_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);

  G_OBJECT_CLASS (enr_enrollment_import_parent_class)->finalize (object);
}

static void
enr_enrollment_import_class_init (EnrEnrollmentImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = enr_enrollment_import_finalize;
}

static void
enr_enrollment_import_init (EnrEnrollmentImport *self)
{
  self->rows = g_list_store_new (ENR_TYPE_IMPORT_ROW);
  self->infos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) program_info_free);
  self->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->time_zone = g_time_zone_new_local ();
}

EnrEnrollmentImport *
enr_enrollment_import_new (EnrContext *context)
{
  EnrEnrollmentImport *self;

  g_return_val_if_fail (ENR_IS_CONTEXT (context), NULL);

  self = g_object_new (ENR_TYPE_ENROLLMENT_IMPORT, NULL);
  self->context = g_object_ref (context);

  return self;
}

static void
take_records (EnrEnrollmentImport *self,
              GPtrArray           *records)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_full (records->len, g_object_unref);

  for (guint i = 0; i < records->len; i++)
    {
      EnrImportRow *row = g_object_new (ENR_TYPE_IMPORT_ROW, NULL);

      /* Taken: the array's free function sees NULL there. */
      row->record = g_ptr_array_index (records, i);
      records->pdata[i] = NULL;
      g_ptr_array_add (rows, row);
    }

  g_list_store_remove_all (self->rows);
  g_list_store_splice (self->rows, 0, 0, rows->pdata, rows->len);
  self->n_judged = 0;
  self->n_handled = 0;
  self->queue_index = 0;
  self->canceled = FALSE;
}

/**
 * enr_enrollment_import_load:
 *
 * Reads @file (enr_import_csv_read()): a file that cannot be read as an
 * enrollments file is refused whole, with @error, and no row is kept.
 */
gboolean
enr_enrollment_import_load (EnrEnrollmentImport  *self,
                            GFile                *file,
                            GCancellable         *cancellable,
                            GError              **error)
{
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), FALSE);

  g_list_store_remove_all (self->rows);
  records = enr_import_csv_read (file, cancellable, error);
  if (records == NULL)
    return FALSE;

  take_records (self, records);
  return TRUE;
}

gboolean
enr_enrollment_import_load_data (EnrEnrollmentImport  *self,
                                 const char           *data,
                                 gsize                 length,
                                 GError              **error)
{
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), FALSE);

  g_list_store_remove_all (self->rows);
  records = enr_import_csv_parse (data, length, error);
  if (records == NULL)
    return FALSE;

  take_records (self, records);
  return TRUE;
}

/**
 * enr_enrollment_import_get_rows:
 *
 * Returns: (transfer none): the rows (EnrImportRow), in the file's order
 */
GListModel *
enr_enrollment_import_get_rows (EnrEnrollmentImport *self)
{
  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), NULL);

  return G_LIST_MODEL (self->rows);
}

guint
enr_enrollment_import_get_n_rows (EnrEnrollmentImport *self)
{
  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}

guint
enr_enrollment_import_count (EnrEnrollmentImport *self,
                             EnrImportOutcome     outcome)
{
  guint n = enr_enrollment_import_get_n_rows (self);
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EnrImportRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      count += row->outcome == outcome;
    }

  return count;
}

/* The catalog and the local drafts, once per preview. */
static void
prepare (EnrEnrollmentImport *self)
{
  g_autoptr(GPtrArray) flows = NULL;

  enr_context_get_today (self->context, &self->today);
  g_hash_table_remove_all (self->by_code);
  g_hash_table_remove_all (self->infos);
  g_hash_table_remove_all (self->drafts);
  g_hash_table_remove_all (self->seen);

  g_clear_pointer (&self->programs, g_ptr_array_unref);
  self->programs = enr_context_list (self->context, ENR_TYPE_PROGRAM);
  for (guint i = 0; i < self->programs->len; i++)
    {
      EnrProgram *program = g_ptr_array_index (self->programs, i);

      if (enr_program_get_code (program) != NULL)
        g_hash_table_insert (self->by_code, (gpointer) enr_program_get_code (program), program);
    }

  /* Drafts (open, or finished but not yet known to the service) count as
   * enrollments in progress, as in the Customer View. */
  flows = enr_context_list_flows (self->context, NULL);
  for (guint i = 0; i < flows->len; i++)
    {
      EnrServiceTask *task = enr_process_flow_get_task (g_ptr_array_index (flows, i));
      GPtrArray *tasks;

      if (task == NULL || enr_task_status_is_final (enr_service_task_get_status (task)) ||
          enr_service_task_get_customer_id (task) == NULL)
        continue;

      tasks = g_hash_table_lookup (self->drafts, enr_service_task_get_customer_id (task));
      if (tasks == NULL)
        {
          tasks = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (self->drafts, g_strdup (enr_service_task_get_customer_id (task)), tasks);
        }
      g_ptr_array_add (tasks, g_object_ref (task));
    }
}

static ProgramInfo *
program_info (EnrEnrollmentImport *self,
              EnrProgram          *program)
{
  const char *id = enr_entity_get_id (ENR_ENTITY (program));
  ProgramInfo *info = g_hash_table_lookup (self->infos, id);

  if (info != NULL)
    return info;

  info = g_new0 (ProgramInfo, 1);
  info->program_type = enr_context_lookup (self->context, ENR_TYPE_PROGRAM_TYPE,
                                           enr_program_get_program_type_id (program));
  info->initiative = enr_context_lookup (self->context, ENR_TYPE_INITIATIVE,
                                         enr_program_get_initiative_id (program));
  info->task_type = enr_context_lookup (self->context, ENR_TYPE_SERVICE_TASK_TYPE,
                                        enr_program_get_enrollment_task_type_id (program));
  g_hash_table_insert (self->infos, g_strdup (id), info);

  return info;
}

static EnrCustomer *
find_customer (EnrEnrollmentImport *self,
               const char          *account)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = enr_store_list (enr_context_get_store (self->context), ENR_TYPE_CUSTOMER, "account-id", account, &error);
  if (found == NULL)
    {
      g_warning ("Could not read the customers from the local store: %s", error->message);
      return NULL;
    }
  if (found->len == 0)
    return NULL;

  return g_object_ref (g_ptr_array_index (found, 0));
}

static char *
seen_key (const char *customer_id,
          const char *program_id)
{
  return g_strconcat (customer_id, "\t", program_id, NULL);
}

/* The enrollment a row asks for, as a new flow's draft task (nothing is
 * written), or %NULL with the reasons when it cannot be built. */
static EnrProcessFlow *
build_flow (EnrEnrollmentImport *self,
            EnrImportRow        *row,
            GPtrArray           *reasons,
            EnrCustomer        **customer_out,
            EnrProgram         **program_out,
            EnrImportValues     *values)
{
  const EnrImportRecord *record = row->record;
  g_autoptr(EnrCustomer) customer = NULL;
  EnrProgram *program = NULL;
  g_autoptr(EnrProcessFlow) flow = NULL;
  EnrServiceTask *task;
  const char *account = record->values[ENR_IMPORT_COLUMN_ACCOUNT];
  const char *code = record->values[ENR_IMPORT_COLUMN_PROGRAM_CODE];

  enr_import_record_parse (record, self->time_zone, values, reasons);

  if (account != NULL)
    {
      customer = find_customer (self, account);
      if (customer == NULL)
        /* Translators: %s is an account number from the file */
        g_ptr_array_add (reasons, g_strdup_printf (_("There is no customer with the account “%s”"), account));
    }
  if (code != NULL)
    {
      program = g_hash_table_lookup (self->by_code, code);
      if (program == NULL)
        /* Translators: %s is a program code from the file */
        g_ptr_array_add (reasons, g_strdup_printf (_("There is no program with the code “%s”"), code));
    }

  if (customer != NULL)
    {
      g_free (row->customer_id);
      row->customer_id = g_strdup (enr_entity_get_id (ENR_ENTITY (customer)));
      g_free (row->customer_name);
      row->customer_name = g_strdup (enr_customer_get_name (customer));
    }
  if (program != NULL)
    {
      g_free (row->program_id);
      row->program_id = g_strdup (enr_entity_get_id (ENR_ENTITY (program)));
      g_free (row->program_name);
      row->program_name = g_strdup (enr_program_get_name (program));
    }

  if (customer == NULL || program == NULL)
    return NULL;

  flow = enr_flow_session_create_enrollment (self->context, row->customer_id, row->program_id, NULL);
  task = enr_process_flow_get_task (flow);
  if (g_date_valid (&values->start_date))
    enr_service_task_set_start_date (task, &values->start_date);
  enr_service_task_set_installation_method (task, values->installation_method);

  if (values->consent_method != ENR_CONSENT_METHOD_NONE)
    {
      g_autoptr(EnrConsent) consent = enr_consent_new ();

      enr_consent_set_method (consent, values->consent_method);
      enr_consent_set_given_at (consent, values->consent_given_at);
      enr_consent_set_terms_version (consent, record->values[ENR_IMPORT_COLUMN_TERMS_VERSION]);
      enr_consent_set_recorded_by (consent, enr_context_get_username (self->context));
      enr_service_task_set_consent (task, consent);
    }

  if (record->values[ENR_IMPORT_COLUMN_NOTES] != NULL ||
      record->values[ENR_IMPORT_COLUMN_APPOINTMENT_PREFERENCE] != NULL)
    {
      g_autoptr(GString) notes = g_string_new (record->values[ENR_IMPORT_COLUMN_NOTES]);

      if (record->values[ENR_IMPORT_COLUMN_APPOINTMENT_PREFERENCE] != NULL)
        {
          if (notes->len > 0)
            g_string_append_c (notes, '\n');
          /* Translators: %s is the customer's wish from the file, e.g. "mornings" */
          g_string_append_printf (notes, _("Appointment preference: %s"),
                                  record->values[ENR_IMPORT_COLUMN_APPOINTMENT_PREFERENCE]);
        }
      _enr_flow_session_fill_interaction (self->context, task, ENR_PANEL_CUSTOMER);
      enr_interaction_set_notes (enr_service_task_get_interaction (task, ENR_PANEL_CUSTOMER), notes->str);
    }

  *customer_out = g_steal_pointer (&customer);
  *program_out = program;
  return g_steal_pointer (&flow);
}

/* The Customer View's eligibility for the row's customer and program, with
 * the row's start date and installation method, and the Summary's consent
 * rule. */
static void
judge_flow (EnrEnrollmentImport *self,
            EnrProcessFlow      *flow,
            EnrCustomer         *customer,
            EnrProgram          *program,
            GPtrArray           *reasons)
{
  EnrServiceTask *task = enr_process_flow_get_task (flow);
  const char *customer_id = enr_entity_get_id (ENR_ENTITY (customer));
  ProgramInfo *info = program_info (self, program);
  g_autoptr(EnrMeteredService) service = NULL;
  g_autoptr(EnrServicePoint) point = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) subscriptions = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) premise_subscriptions = NULL;
  g_autoptr(EnrEligibilityResult) result = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  GPtrArray *drafts;
  EnrInstallationMethod method;
  EnrEligibilityInput input;
  EnrValidationContext validation;

  service = enr_context_lookup (self->context, ENR_TYPE_METERED_SERVICE,
                                enr_service_task_get_metered_service_id (task));
  if (service != NULL)
    point = enr_context_lookup (self->context, ENR_TYPE_SERVICE_POINT,
                                enr_metered_service_get_service_point_id (service));
  devices = enr_context_list_customer_devices (self->context, customer_id);
  subscriptions = enr_context_list_subscriptions (self->context, customer_id);
  tasks = enr_context_list_tasks (self->context, customer_id);
  premise_subscriptions = enr_context_list_premise_subscriptions (self->context, point);

  drafts = g_hash_table_lookup (self->drafts, customer_id);
  for (guint i = 0; drafts != NULL && i < drafts->len; i++)
    {
      EnrServiceTask *draft = g_ptr_array_index (drafts, i);

      if (_enr_flow_session_find_entity (tasks, enr_entity_get_id (ENR_ENTITY (draft))) == NULL)
        g_ptr_array_add (tasks, g_object_ref (draft));
    }

  method = enr_service_task_get_installation_method (task);
  if (method == ENR_INSTALLATION_METHOD_NONE)
    method = enr_task_type_get_providing_method (info->task_type);

  input = (EnrEligibilityInput) {
    .program = program,
    .program_type = info->program_type,
    .initiative = info->initiative,
    .customer = customer,
    .metered_service = service,
    .service_point = point,
    .devices = devices,
    .subscriptions = subscriptions,
    .open_tasks = tasks,
    .current_task_id = enr_entity_get_id (ENR_ENTITY (task)),
    .start_date = enr_service_task_get_start_date (task),
    .today = &self->today,
    .installation_method = method,
    .check_answers = FALSE,
    .programs = self->programs,
    .premise_subscriptions = premise_subscriptions,
  };
  result = enr_eligibility_evaluate (&input);
  if (!enr_eligibility_result_is_eligible (result))
    {
      GPtrArray *found = enr_eligibility_result_get_reasons (result);

      for (guint i = 0; found != NULL && i < found->len; i++)
        g_ptr_array_add (reasons, g_strdup (enr_eligibility_reason_get_text (g_ptr_array_index (found, i))));
    }

  if (service == NULL)
    g_ptr_array_add (reasons, g_strdup (_("The customer has no active electric service to enroll")));

  validation = (EnrValidationContext) {
    .task = task,
    .program = program,
    .program_type = info->program_type,
    .task_type = info->task_type,
    .today = &self->today,
  };
  errors = enr_validate_panel (ENR_PANEL_SUMMARY, &validation);
  for (guint i = 0; i < errors->len; i++)
    g_ptr_array_add (reasons, g_strdup (enr_field_error_get_message (g_ptr_array_index (errors, i))));
}

static char *
join_reasons (GPtrArray *reasons)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < reasons->len; i++)
    {
      const char *reason = g_ptr_array_index (reasons, i);

      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, reason);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A ready (or queued) row's task counts as a draft for the rows after it. */
static void
remember_draft (EnrEnrollmentImport *self,
                EnrServiceTask      *task)
{
  const char *customer_id = enr_service_task_get_customer_id (task);
  GPtrArray *tasks = g_hash_table_lookup (self->drafts, customer_id);

  if (tasks == NULL)
    {
      tasks = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->drafts, g_strdup (customer_id), tasks);
    }
  g_ptr_array_add (tasks, g_object_ref (task));
}

/* Judges @row; a ready row's task counts as a draft from then on, and
 * its draft flow is returned (@flow_out). */
static void
judge_row (EnrEnrollmentImport  *self,
           EnrImportRow         *row,
           EnrProcessFlow      **flow_out)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(EnrCustomer) customer = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *key = NULL;
  EnrProgram *program = NULL;
  EnrImportValues values;
  gpointer first;

  flow = build_flow (self, row, reasons, &customer, &program, &values);
  enr_import_values_clear (&values);

  if (flow != NULL)
    {
      key = seen_key (row->customer_id, row->program_id);
      if (g_hash_table_lookup_extended (self->seen, key, NULL, &first) &&
          GPOINTER_TO_UINT (first) != row->record->line)
        /* Translators: %u is the line of the file's earlier row */
        g_ptr_array_add (reasons, g_strdup_printf (_("The same enrollment as line %u of the file"),
                                                   GPOINTER_TO_UINT (first)));
      else
        judge_flow (self, flow, customer, program, reasons);
    }

  joined = join_reasons (reasons);
  if (reasons->len > 0)
    {
      row_set_outcome (row, ENR_IMPORT_OUTCOME_REFUSED, joined);
      return;
    }

  g_hash_table_insert (self->seen, g_steal_pointer (&key), GUINT_TO_POINTER (row->record->line));
  remember_draft (self, enr_process_flow_get_task (flow));
  row_set_outcome (row, ENR_IMPORT_OUTCOME_READY, NULL);
  if (flow_out != NULL)
    *flow_out = g_steal_pointer (&flow);
}

/**
 * enr_enrollment_import_judge:
 * @max_rows: how many rows to judge at most in this call
 *
 * Returns: how many rows are judged so far
 */
guint
enr_enrollment_import_judge (EnrEnrollmentImport *self,
                             guint                max_rows)
{
  EnrStore *store;
  gboolean began;
  guint n;

  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), 0);

  store = enr_context_get_store (self->context);
  n = enr_enrollment_import_get_n_rows (self);
  /* The rows of one call read the store in one transaction: one snapshot,
   * and its locks taken once rather than for each of a row's reads. */
  began = enr_store_begin_read (store);
  if (self->n_judged == 0)
    prepare (self);

  for (guint done = 0; done < max_rows && self->n_judged < n; done++)
    {
      g_autoptr(EnrImportRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), self->n_judged);

      judge_row (self, row, NULL);
      self->n_judged++;
    }
  enr_store_end_read (store, began);

  return self->n_judged;
}

gboolean
enr_enrollment_import_is_judged (EnrEnrollmentImport *self)
{
  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), FALSE);

  return self->n_judged == enr_enrollment_import_get_n_rows (self);
}

/**
 * enr_enrollment_import_get_n_to_queue:
 *
 * Returns: how many rows the queue goes through (those ready after the
 *   preview, and those it already went past)
 */
guint
enr_enrollment_import_get_n_to_queue (EnrEnrollmentImport *self)
{
  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), 0);

  return enr_enrollment_import_count (self, ENR_IMPORT_OUTCOME_READY) +
         enr_enrollment_import_count (self, ENR_IMPORT_OUTCOME_QUEUED) +
         enr_enrollment_import_count (self, ENR_IMPORT_OUTCOME_FAILED);
}

/**
 * enr_enrollment_import_get_n_handled:
 *
 * Returns: how many rows the queue went past (queued, refused on the
 *   second look, or failed)
 */
guint
enr_enrollment_import_get_n_handled (EnrEnrollmentImport *self)
{
  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), 0);

  return self->n_handled;
}

/**
 * enr_enrollment_import_queue:
 * @max_rows: how many rows to go past at most in this call
 *
 * Queues the next ready rows, each a new enrollment flow and its
 * create-task operation, all the rows of one call in one transaction of
 * the local store (one sync to disk). A row no longer eligible is refused
 * instead; when the store refuses the transaction, none of its rows is
 * queued: they are failed (with @error set), and the queue stops there.
 *
 * Returns: how many rows the queue went past in this call
 */
guint
enr_enrollment_import_queue (EnrEnrollmentImport  *self,
                             guint                 max_rows,
                             GError              **error)
{
  guint n, done = 0;
  g_autoptr(GHashTable) customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) flows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  EnrStore *store;
  gboolean began;

  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), 0);
  g_return_val_if_fail (enr_enrollment_import_is_judged (self), 0);

  store = enr_context_get_store (self->context);
  n = enr_enrollment_import_get_n_rows (self);

  /* Judged again, row by row, against the store as it is now: the rows
   * queued before count, the preview's rows no more. */
  began = enr_store_begin_read (store);
  if (self->n_handled == 0)
    prepare (self);

  for (; self->queue_index < n && done < max_rows && !self->canceled; self->queue_index++)
    {
      g_autoptr(EnrImportRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), self->queue_index);
      g_autoptr(EnrProcessFlow) flow = NULL;

      if (row->outcome != ENR_IMPORT_OUTCOME_READY)
        continue;

      done++;
      self->n_handled++;
      judge_row (self, row, &flow);
      if (flow == NULL)
        continue;

      g_ptr_array_add (rows, g_steal_pointer (&row));
      g_ptr_array_add (flows, g_steal_pointer (&flow));
    }
  enr_store_end_read (store, began);

  if (flows->len > 0 &&
      !enr_store_save_flows_with_operation (store, flows, ENR_OPERATION_KIND_CREATE_TASK, &local_error))
    {
      g_autofree char *reason =
        /* Translators: %s is the local store's error */
        g_strdup_printf (_("Could not queue it: %s"), local_error->message);

      for (guint i = 0; i < rows->len; i++)
        row_set_outcome (g_ptr_array_index (rows, i), ENR_IMPORT_OUTCOME_FAILED, reason);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return done;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      EnrImportRow *row = g_ptr_array_index (rows, i);

      g_free (row->task_id);
      row->task_id = g_strdup (enr_process_flow_get_service_task_id (g_ptr_array_index (flows, i)));
      g_hash_table_add (customers, g_strdup (row->customer_id));
      row_set_outcome (row, ENR_IMPORT_OUTCOME_QUEUED, NULL);
    }

  /* The Customer Views and the work queue show the new flows. */
  {
    GHashTableIter iter;
    gpointer customer_id;

    g_hash_table_iter_init (&iter, customers);
    while (g_hash_table_iter_next (&iter, &customer_id, NULL))
      enr_context_notify_flows_changed (self->context, customer_id);
  }

  return done;
}

/**
 * enr_enrollment_import_is_queued:
 *
 * Returns: whether no ready row is left to queue
 */
gboolean
enr_enrollment_import_is_queued (EnrEnrollmentImport *self)
{
  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), FALSE);

  return enr_enrollment_import_count (self, ENR_IMPORT_OUTCOME_READY) == 0;
}

/**
 * enr_enrollment_import_cancel:
 *
 * Stops the queue: the ready rows not queued yet are "not queued"; rows
 * already queued stay queued (the outbox delivers them).
 */
void
enr_enrollment_import_cancel (EnrEnrollmentImport *self)
{
  guint n;

  g_return_if_fail (ENR_IS_ENROLLMENT_IMPORT (self));

  self->canceled = TRUE;
  n = enr_enrollment_import_get_n_rows (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EnrImportRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      if (row->outcome == ENR_IMPORT_OUTCOME_READY)
        row_set_outcome (row, ENR_IMPORT_OUTCOME_CANCELED, _("The import was canceled before this row was queued"));
    }
}

static void
append_field (GString    *text,
              const char *value,
              gboolean    last)
{
  g_autofree char *quoted = enr_import_csv_quote (value);

  g_string_append (text, quoted);
  g_string_append (text, last ? "\r\n" : ",");
}

/**
 * enr_enrollment_import_export:
 *
 * Returns: (transfer full): the per-row result as RFC 4180 CSV: line,
 *   account, program code, outcome (ready, refused, queued, not-queued,
 *   failed), the outcome in the user's language, the reasons and the
 *   queued service task
 */
char *
enr_enrollment_import_export (EnrEnrollmentImport *self)
{
  static const char * const nicks[] = {
    [ENR_IMPORT_OUTCOME_PENDING] = "pending",
    [ENR_IMPORT_OUTCOME_READY] = "ready",
    [ENR_IMPORT_OUTCOME_REFUSED] = "refused",
    [ENR_IMPORT_OUTCOME_QUEUED] = "queued",
    [ENR_IMPORT_OUTCOME_CANCELED] = "not-queued",
    [ENR_IMPORT_OUTCOME_FAILED] = "failed",
  };
  GString *text;
  guint n;

  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), NULL);

  text = g_string_new ("line,account,program code,outcome,outcome label,reasons,service task\r\n");
  n = enr_enrollment_import_get_n_rows (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EnrImportRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      g_string_append_printf (text, "%u,", row->record->line);
      append_field (text, enr_import_row_get_account (row), FALSE);
      append_field (text, enr_import_row_get_program_code (row), FALSE);
      append_field (text, nicks[row->outcome], FALSE);
      append_field (text, enr_import_outcome_label (row->outcome), FALSE);
      append_field (text, row->reasons, FALSE);
      append_field (text, row->task_id, TRUE);
    }

  return g_string_free (text, FALSE);
}

gboolean
enr_enrollment_import_export_to_file (EnrEnrollmentImport  *self,
                                      GFile                *file,
                                      GError              **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (ENR_IS_ENROLLMENT_IMPORT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  text = enr_enrollment_import_export (self);
  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

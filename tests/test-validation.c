/* test-validation.c — field errors of the process flow's panels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "enr-core.h"

#define TODAY "2026-04-10"

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

static GStrv
split (const char *list,
       const char *separator)
{
  if (list == NULL)
    return NULL;

  return g_strsplit (list, separator, -1);
}

/* Everything a panel needs, built the same way for every table row: a
 * complete, valid enrollment that each row then breaks in one place. */
typedef struct
{
  EnrServiceTask *task;
  EnrProgram     *program;
  EnrProgramType *program_type;
  GPtrArray      *devices;
  GPtrArray      *activities;
  GDate           today;
  GDate           subscription_start;
  gboolean        has_subscription_start;
} Fixture;

static const struct {
  const char     *id;
  const char     *text;
  EnrQuestionKind kind;
  EnrAnswerStyle  style;
  gboolean        required;
  const char     *valid;  /* '|' separated, NULL = none */
  int             position;
} question_rows[] = {
  { "q-own", "Do you own the home?", ENR_QUESTION_KIND_QUALIFICATION, ENR_ANSWER_STYLE_YES_NO, TRUE, "yes|no", 1 },
  { "q-heat", "How is the home heated?", ENR_QUESTION_KIND_QUALIFICATION, ENR_ANSWER_STYLE_SINGLE_CHOICE, TRUE, "gas|electric|heat-pump", 2 },
  { "q-hear", "How did you hear about us?", ENR_QUESTION_KIND_INFORMATIONAL, ENR_ANSWER_STYLE_MULTIPLE_CHOICE, FALSE, "radio|web|mail", 3 },
  { "q-moved", "When did you move in?", ENR_QUESTION_KIND_INFORMATIONAL, ENR_ANSWER_STYLE_DATE, TRUE, NULL, 4 },
  { "q-notes", "Anything else?", ENR_QUESTION_KIND_INFORMATIONAL, ENR_ANSWER_STYLE_TEXT, FALSE, NULL, 5 },
  /* last in the list, first on the panel */
  { "q-pets", "Any pets?", ENR_QUESTION_KIND_INFORMATIONAL, ENR_ANSWER_STYLE_YES_NO, FALSE, NULL, 0 },
};

/* The answers of the valid fixture. */
static const struct {
  const char *question_id;
  const char *values;
} answer_rows[] = {
  { "q-own", "yes" },
  { "q-heat", "gas" },
  { "q-moved", "2020-05-01" },
};

static const struct {
  const char *id;
  const char *name;
  gboolean    needs_appointment;
} activity_rows[] = {
  { "act-install", "Utility Installation", TRUE },
  { "act-commission", "Commission Device", FALSE },
  { "act-ship", "Ship Device", FALSE },
  { "act-remove", "Utility Removal", TRUE },
};

static void
set_answer (EnrServiceTask *task,
            const char     *question_id,
            const char     *values)
{
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *current = enr_service_task_get_answers (task);

  for (guint i = 0; i < current->len; i++)
    {
      EnrAnswer *answer = g_ptr_array_index (current, i);

      if (g_strcmp0 (enr_answer_get_question_id (answer), question_id) != 0)
        g_ptr_array_add (answers, g_object_ref (answer));
    }

  if (values != NULL)
    {
      g_autoptr(EnrAnswer) answer = enr_answer_new ();
      g_auto(GStrv) split_values = *values ? split (values, "|") : g_new0 (char *, 1);

      enr_answer_set_question_id (answer, question_id);
      enr_answer_set_values (answer, (const char * const *) split_values);
      g_ptr_array_add (answers, g_steal_pointer (&answer));
    }

  enr_service_task_set_answers (task, answers);
}

static EnrActivityType *
make_activity_type (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (activity_rows); i++)
    {
      if (g_str_equal (activity_rows[i].id, id))
        {
          EnrActivityType *activity_type = enr_activity_type_new ();

          enr_entity_set_id (ENR_ENTITY (activity_type), id);
          enr_activity_type_set_code (activity_type, id);
          enr_activity_type_set_name (activity_type, activity_rows[i].name);
          enr_activity_type_set_duration_minutes (activity_type, 90);
          enr_activity_type_set_needs_appointment (activity_type, activity_rows[i].needs_appointment);
          return activity_type;
        }
    }

  g_assert_not_reached ();
}

/* "act-install act-commission" */
static void
set_activities (Fixture    *fixture,
                const char *ids)
{
  g_auto(GStrv) split_ids = split (ids, " ");

  g_clear_pointer (&fixture->activities, g_ptr_array_unref);
  if (split_ids == NULL)
    return;

  fixture->activities = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; split_ids[i] != NULL; i++)
    if (*split_ids[i])
      g_ptr_array_add (fixture->activities, make_activity_type (split_ids[i]));
}

/* "act-install:booked act-remove:released" */
static void
set_appointments (EnrServiceTask *task,
                  const char     *list)
{
  g_autoptr(GPtrArray) appointments = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) items = split (list, " ");

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      g_autoptr(EnrAppointment) appointment = enr_appointment_new ();
      g_auto(GStrv) parts = g_strsplit (items[i], ":", 2);
      int status;

      if (!*items[i])
        continue;

      g_assert_true (enr_enum_from_nick (ENR_TYPE_APPOINTMENT_STATUS, parts[1], &status));
      enr_entity_set_id (ENR_ENTITY (appointment), "appt");
      enr_appointment_set_activity_type_id (appointment, parts[0]);
      enr_appointment_set_status (appointment, status);
      g_ptr_array_add (appointments, g_steal_pointer (&appointment));
    }

  enr_service_task_set_appointments (task, appointments);
}

/* "dev-1 dev-2"; "" = none offered, NULL = no list */
static void
set_devices (Fixture    *fixture,
             const char *ids)
{
  g_auto(GStrv) split_ids = split (ids, " ");

  g_clear_pointer (&fixture->devices, g_ptr_array_unref);
  if (split_ids == NULL)
    return;

  fixture->devices = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; split_ids[i] != NULL; i++)
    {
      EnrDevice *device;

      if (!*split_ids[i])
        continue;

      device = enr_device_new ();
      enr_entity_set_id (ENR_ENTITY (device), split_ids[i]);
      enr_device_set_ownership (device, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
      g_ptr_array_add (fixture->devices, device);
    }
}

static void
set_interaction (EnrServiceTask *task,
                 EnrPanel        panel,
                 const char     *channel,
                 const char     *class_code,
                 const char     *category,
                 const char     *notes)
{
  g_autoptr(EnrInteraction) interaction = enr_interaction_new ();

  enr_interaction_set_panel (interaction, panel);
  enr_interaction_set_channel (interaction, channel);
  enr_interaction_set_class (interaction, class_code);
  enr_interaction_set_category (interaction, category);
  enr_interaction_set_notes (interaction, notes);
  enr_service_task_add_interaction (task, interaction);
}

static void
set_date (const char *iso,
          void (*setter) (EnrServiceTask *, const GDate *),
          EnrServiceTask *task)
{
  GDate date;

  if (iso == NULL)
    {
      setter (task, NULL);
      return;
    }

  parse_date (iso, &date);
  setter (task, &date);
}

static void
fixture_init (Fixture     *fixture,
              EnrTaskKind  kind)
{
  GDate date;

  memset (fixture, 0, sizeof *fixture);

  fixture->program_type = enr_program_type_new ();
  enr_entity_set_id (ENR_ENTITY (fixture->program_type), "pt-thermostat");
  enr_program_type_set_location_required (fixture->program_type, TRUE);

  fixture->program = enr_program_new ();
  enr_entity_set_id (ENR_ENTITY (fixture->program), "prog-1");
  enr_program_set_name (fixture->program, "Smart Thermostat Rewards");
  parse_date ("2026-03-01", &date);
  enr_program_set_start_date (fixture->program, &date);
  parse_date ("2026-12-31", &date);
  enr_program_set_end_date (fixture->program, &date);

  for (guint i = 0; i < G_N_ELEMENTS (question_rows); i++)
    {
      g_autoptr(EnrQuestion) question = enr_question_new ();
      g_auto(GStrv) valid = split (question_rows[i].valid, "|");

      enr_entity_set_id (ENR_ENTITY (question), question_rows[i].id);
      enr_question_set_code (question, question_rows[i].id);
      enr_question_set_text (question, question_rows[i].text);
      enr_question_set_kind (question, question_rows[i].kind);
      enr_question_set_answer_style (question, question_rows[i].style);
      enr_question_set_required (question, question_rows[i].required);
      enr_question_set_valid_answers (question, (const char * const *) valid);
      enr_question_set_position (question, question_rows[i].position);
      enr_program_add_question (fixture->program, question);
    }

  fixture->task = enr_service_task_new ();
  enr_entity_set_id (ENR_ENTITY (fixture->task), "task-1");
  enr_service_task_set_kind (fixture->task, kind);
  enr_service_task_set_customer_id (fixture->task, "cust-1");
  enr_service_task_set_metered_service_id (fixture->task, "ms-1");
  enr_service_task_set_program_id (fixture->task, "prog-1");
  enr_service_task_set_ownership (fixture->task, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);

  parse_date (TODAY, &fixture->today);
  set_devices (fixture, "dev-1 dev-2");

  if (kind == ENR_TASK_KIND_ENROLLMENT)
    {
      set_date (TODAY, enr_service_task_set_start_date, fixture->task);
      for (guint i = 0; i < G_N_ELEMENTS (answer_rows); i++)
        set_answer (fixture->task, answer_rows[i].question_id, answer_rows[i].values);
      enr_service_task_set_installation_method (fixture->task, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
      set_activities (fixture, "act-install act-commission");
      set_appointments (fixture->task, "act-install:booked");
    }
  else
    {
      enr_service_task_set_subscription_id (fixture->task, "sub-1");
      set_date (TODAY, enr_service_task_set_stop_date, fixture->task);
      parse_date ("2025-06-01", &fixture->subscription_start);
      fixture->has_subscription_start = TRUE;
      enr_service_task_set_removal_method (fixture->task, ENR_REMOVAL_METHOD_UTILITY_REMOVAL);
      set_activities (fixture, "act-remove");
      set_appointments (fixture->task, "act-remove:booked");
    }
}

static void
fixture_clear (Fixture *fixture)
{
  g_clear_object (&fixture->task);
  g_clear_object (&fixture->program);
  g_clear_object (&fixture->program_type);
  g_clear_pointer (&fixture->devices, g_ptr_array_unref);
  g_clear_pointer (&fixture->activities, g_ptr_array_unref);
}

static EnrValidationContext
fixture_context (Fixture *fixture)
{
  EnrValidationContext ctx = {
    .task = fixture->task,
    .program = fixture->program,
    .program_type = fixture->program_type,
    .devices = fixture->devices,
    .activities = fixture->activities,
    .today = &fixture->today,
    .subscription_start = fixture->has_subscription_start ? &fixture->subscription_start : NULL,
  };

  return ctx;
}

static GPtrArray *
fixture_validate (Fixture  *fixture,
                  EnrPanel  panel)
{
  EnrValidationContext ctx = fixture_context (fixture);

  return enr_validate_panel (panel, &ctx);
}

static char *
join_fields (GPtrArray *errors)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < errors->len; i++)
    g_string_append_printf (joined, "%s%s", i ? " " : "",
                            enr_field_error_get_field (g_ptr_array_index (errors, i)));

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static const char *
first_message (GPtrArray *errors)
{
  if (errors->len == 0)
    return NULL;

  return enr_field_error_get_message (g_ptr_array_index (errors, 0));
}

/* A complete flow has no error anywhere, for both kinds. */
static void
test_complete (void)
{
  static const EnrTaskKind kinds[] = { ENR_TASK_KIND_ENROLLMENT, ENR_TASK_KIND_UNENROLLMENT };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      Fixture fixture;
      EnrValidationContext ctx;
      g_autoptr(GPtrArray) all = NULL;

      fixture_init (&fixture, kinds[k]);
      ctx = fixture_context (&fixture);

      for (EnrPanel panel = ENR_PANEL_CUSTOMER; panel <= ENR_PANEL_SUMMARY; panel++)
        {
          g_autoptr(GPtrArray) errors = enr_validate_panel (panel, &ctx);
          g_autofree char *fields = join_fields (errors);

          g_assert_cmpstr (fields, ==, "");
        }

      all = enr_validate_task (&ctx, NULL);
      g_assert_cmpuint (all->len, ==, 0);

      fixture_clear (&fixture);
    }
}

typedef struct
{
  const char *metered_service_id;
  const char *channel;
  const char *class_code;
  const char *category;
  const char *notes;
  const char *fields;
  const char *message;
} CustomerCase;

static const CustomerCase customer_cases[] = {
  { "ms-1", NULL, NULL, NULL, NULL, "", NULL },
  { NULL, NULL, NULL, NULL, NULL, "metered-service-id", "Metered Service is required" },
  { " \t", NULL, NULL, NULL, NULL, "metered-service-id", "Metered Service is required" },
  { "ms-1", "", "", "", "", "", NULL },
  { "ms-1", "phone", "enrollment", "verbal", NULL, "", NULL },
  { "ms-1", "phone", "enrollment", "verbal", "Called about the rebate", "", NULL },
  { "ms-1", NULL, NULL, NULL, "Called about the rebate",
    "interaction:customer:channel interaction:customer:class interaction:customer:category",
    "Channel is required for the interaction details" },
  { "ms-1", "phone", NULL, NULL, NULL,
    "interaction:customer:class interaction:customer:category",
    "Class is required for the interaction details" },
  { "ms-1", "phone", "enrollment", " ", NULL,
    "interaction:customer:category", "Category is required for the interaction details" },
  { NULL, "email", NULL, "written", NULL,
    "metered-service-id interaction:customer:class", "Metered Service is required" },
};

static void
test_customer (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (customer_cases); i++)
    {
      const CustomerCase *c = &customer_cases[i];
      g_autoptr(GPtrArray) errors = NULL;
      g_autofree char *fields = NULL;
      Fixture fixture;

      g_test_message ("case %u", i);
      fixture_init (&fixture, ENR_TASK_KIND_ENROLLMENT);
      enr_service_task_set_metered_service_id (fixture.task, c->metered_service_id);
      set_interaction (fixture.task, ENR_PANEL_CUSTOMER, c->channel, c->class_code, c->category, c->notes);
      /* another panel's half-filled interaction does not count here */
      set_interaction (fixture.task, ENR_PANEL_PROGRAM, "phone", NULL, NULL, NULL);

      errors = fixture_validate (&fixture, ENR_PANEL_CUSTOMER);
      fields = join_fields (errors);
      g_assert_cmpstr (fields, ==, c->fields);
      g_assert_cmpstr (first_message (errors), ==, c->message);

      fixture_clear (&fixture);
    }
}

typedef struct
{
  const char *today;
  const char *program_start;
  const char *program_end;  /* NULL = open-ended */
  const char *start;        /* NULL = not set */
  const char *message;      /* NULL = valid */
} StartDateCase;

static const StartDateCase start_date_cases[] = {
  { "2026-04-10", "2026-03-01", "2026-12-31", NULL, "Start Date is required" },
  { "2026-04-10", "2026-03-01", "2026-12-31", "2026-04-10", NULL },
  { "2026-04-10", "2026-03-01", "2026-12-31", "2026-04-09", "Start Date cannot be in the past" },
  { "2026-04-10", "2026-03-01", "2026-12-31", "2026-03-01", "Start Date cannot be in the past" },
  { "2026-02-20", "2026-03-01", "2026-12-31", "2026-03-01", NULL },
  { "2026-02-20", "2026-03-01", "2026-12-31", "2026-02-28",
    "Start Date cannot be before the program’s start date (Sun, 1 Mar 2026)" },
  /* before today and before the program's start: the binding bound is named */
  { "2026-02-20", "2026-03-01", "2026-12-31", "2026-02-19",
    "Start Date cannot be before the program’s start date (Sun, 1 Mar 2026)" },
  { "2026-04-10", "2026-03-01", "2026-12-31", "2026-12-31", NULL },
  { "2026-04-10", "2026-03-01", "2026-12-31", "2027-01-01",
    "Start Date cannot be after the program’s end date (Thu, 31 Dec 2026)" },
  { "2026-04-10", "2026-03-01", NULL, "2040-01-01", NULL },
  /* today is the program's start and its end */
  { "2026-03-01", "2026-03-01", "2026-03-01", "2026-03-01", NULL },
  { "2026-03-01", "2026-03-01", "2026-03-01", "2026-03-02",
    "Start Date cannot be after the program’s end date (Sun, 1 Mar 2026)" },
};

static void
test_start_date (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (start_date_cases); i++)
    {
      const StartDateCase *c = &start_date_cases[i];
      g_autoptr(GPtrArray) errors = NULL;
      EnrFieldError *error;
      Fixture fixture;
      GDate date;

      g_test_message ("case %u", i);
      fixture_init (&fixture, ENR_TASK_KIND_ENROLLMENT);
      parse_date (c->today, &fixture.today);
      parse_date (c->program_start, &date);
      enr_program_set_start_date (fixture.program, &date);
      if (c->program_end != NULL)
        parse_date (c->program_end, &date);
      enr_program_set_end_date (fixture.program, c->program_end ? &date : NULL);
      set_date (c->start, enr_service_task_set_start_date, fixture.task);

      errors = fixture_validate (&fixture, ENR_PANEL_PROGRAM);
      g_assert_cmpuint (errors->len, ==, c->message ? 1 : 0);
      error = enr_validation_find (errors, "start-date");
      g_assert_cmpstr (error ? enr_field_error_get_message (error) : NULL, ==, c->message);

      fixture_clear (&fixture);
    }
}

typedef struct
{
  const char *program_id;
  gboolean    with_program;
  gboolean    with_answers;
  const char *start;
  const char *fields;
  const char *message;
} ProgramCase;

static const ProgramCase program_cases[] = {
  { "prog-1", TRUE, TRUE, TODAY, "", NULL },
  { "prog-1", TRUE, FALSE, TODAY, "answer:q-own answer:q-heat answer:q-moved",
    "An answer to “Do you own the home?” is required" },
  /* no program chosen or known: no question can be checked, the date still is */
  { NULL, FALSE, FALSE, TODAY, "program-id", "Program is required" },
  { "", TRUE, FALSE, "2026-04-01", "program-id start-date", "Program is required" },
  { "prog-1", FALSE, FALSE, TODAY, "program-id", "The selected program is not available" },
  { "prog-2", TRUE, FALSE, TODAY, "program-id", "The selected program is not available" },
};

static void
test_program_choice (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (program_cases); i++)
    {
      const ProgramCase *c = &program_cases[i];
      g_autoptr(GPtrArray) errors = NULL;
      g_autofree char *fields = NULL;
      Fixture fixture;

      g_test_message ("case %u", i);
      fixture_init (&fixture, ENR_TASK_KIND_ENROLLMENT);
      enr_service_task_set_program_id (fixture.task, c->program_id);
      if (!c->with_answers)
        enr_service_task_set_answers (fixture.task, NULL);
      if (!c->with_program)
        g_clear_object (&fixture.program);
      set_date (c->start, enr_service_task_set_start_date, fixture.task);

      errors = fixture_validate (&fixture, ENR_PANEL_PROGRAM);
      fields = join_fields (errors);
      g_assert_cmpstr (fields, ==, c->fields);
      g_assert_cmpstr (first_message (errors), ==, c->message);

      fixture_clear (&fixture);
    }
}

typedef struct
{
  const char *question_id;
  const char *values;   /* '|' separated; "" = an answer without values; NULL = no answer */
  const char *message;  /* NULL = valid */
} AnswerCase;

static const AnswerCase answer_cases[] = {
  { "q-own", "yes", NULL },
  { "q-own", "no", NULL },
  { "q-own", NULL, "An answer to “Do you own the home?” is required" },
  { "q-own", "", "An answer to “Do you own the home?” is required" },
  { "q-own", "  ", "An answer to “Do you own the home?” is required" },
  { "q-own", "maybe", "“maybe” is not a valid answer to “Do you own the home?”" },
  { "q-own", "yes|no", "Choose exactly one answer to “Do you own the home?”" },
  { "q-own", "yes| ", NULL },
  { "q-heat", "heat-pump", NULL },
  { "q-heat", "oil", "“oil” is not a valid answer to “How is the home heated?”" },
  { "q-heat", "gas|electric", "Choose exactly one answer to “How is the home heated?”" },
  { "q-heat", NULL, "An answer to “How is the home heated?” is required" },
  /* optional multiple choice */
  { "q-hear", NULL, NULL },
  { "q-hear", "", NULL },
  { "q-hear", "radio", NULL },
  { "q-hear", "radio|web", NULL },
  { "q-hear", "radio|web|mail", NULL },
  { "q-hear", "radio|tv", "“tv” is not a valid answer to “How did you hear about us?”" },
  { "q-hear", "web|web", "Choose each answer to “How did you hear about us?” only once" },
  /* required date */
  { "q-moved", "2020-05-01", NULL },
  { "q-moved", "2024-02-29", NULL },
  { "q-moved", NULL, "An answer to “When did you move in?” is required" },
  { "q-moved", "2023-02-29", "The answer to “When did you move in?” must be one date (YYYY-MM-DD)" },
  { "q-moved", "2020-13-01", "The answer to “When did you move in?” must be one date (YYYY-MM-DD)" },
  { "q-moved", "01/05/2020", "The answer to “When did you move in?” must be one date (YYYY-MM-DD)" },
  { "q-moved", "2020-5-1", "The answer to “When did you move in?” must be one date (YYYY-MM-DD)" },
  { "q-moved", "1899-12-31", "The answer to “When did you move in?” must be one date (YYYY-MM-DD)" },
  { "q-moved", "2020-05-01|2020-06-01", "The answer to “When did you move in?” must be one date (YYYY-MM-DD)" },
  /* optional text: anything */
  { "q-notes", NULL, NULL },
  { "q-notes", "Dog in the yard", NULL },
  { "q-notes", "one|two", NULL },
  /* yes/no without configured valid answers */
  { "q-pets", "yes", NULL },
  { "q-pets", "no", NULL },
  { "q-pets", NULL, NULL },
  { "q-pets", "Yes", "“Yes” is not a valid answer to “Any pets?”" },
};

static void
test_answers (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (answer_cases); i++)
    {
      const AnswerCase *c = &answer_cases[i];
      g_autoptr(GPtrArray) errors = NULL;
      g_autofree char *field = g_strconcat ("answer:", c->question_id, NULL);
      EnrFieldError *error;
      Fixture fixture;

      g_test_message ("case %u: %s = %s", i, c->question_id, c->values);
      fixture_init (&fixture, ENR_TASK_KIND_ENROLLMENT);
      set_answer (fixture.task, c->question_id, c->values);

      errors = fixture_validate (&fixture, ENR_PANEL_PROGRAM);
      g_assert_cmpuint (errors->len, ==, c->message ? 1 : 0);
      error = enr_validation_find (errors, field);
      g_assert_cmpstr (error ? enr_field_error_get_message (error) : NULL, ==, c->message);

      fixture_clear (&fixture);
    }
}

/* Errors follow the questions' positions, not the list order. */
static void
test_answer_order (void)
{
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *fields = NULL;
  Fixture fixture;

  fixture_init (&fixture, ENR_TASK_KIND_ENROLLMENT);
  enr_service_task_set_answers (fixture.task, NULL);
  set_answer (fixture.task, "q-pets", "perhaps");

  errors = fixture_validate (&fixture, ENR_PANEL_PROGRAM);
  fields = join_fields (errors);
  g_assert_cmpstr (fields, ==, "answer:q-pets answer:q-own answer:q-heat answer:q-moved");

  fixture_clear (&fixture);
}

typedef struct
{
  const char *program_id;
  const char *subscription_id;
  const char *today;
  const char *subscription_start;  /* NULL = unknown */
  const char *stop;                /* NULL = not set */
  const char *fields;
  const char *message;
} UnenrollmentCase;

static const UnenrollmentCase unenrollment_cases[] = {
  { "prog-1", "sub-1", "2026-04-10", "2025-06-01", "2026-04-10", "", NULL },
  { "prog-1", "sub-1", "2026-04-10", "2025-06-01", NULL, "stop-date", "Stop Date is required" },
  { "prog-1", "sub-1", "2026-04-10", "2025-06-01", "2026-04-09", "stop-date", "Stop Date cannot be in the past" },
  { "prog-1", "sub-1", "2026-04-10", "2026-05-01", "2026-05-01", "", NULL },
  { "prog-1", "sub-1", "2026-04-10", "2026-05-01", "2026-04-30", "stop-date",
    "Stop Date cannot be before the enrollment’s start date (Fri, 1 May 2026)" },
  { "prog-1", "sub-1", "2026-04-10", "2026-04-10", "2026-04-10", "", NULL },
  { "prog-1", "sub-1", "2026-04-10", NULL, "2026-04-10", "", NULL },
  { "prog-1", "sub-1", "2026-04-10", NULL, "2026-04-09", "stop-date", "Stop Date cannot be in the past" },
  { NULL, "sub-1", "2026-04-10", "2025-06-01", "2026-04-10", "program-id", "Program is required" },
  { "prog-1", NULL, "2026-04-10", "2025-06-01", "2026-04-10", "subscription-id", "The enrollment to end is not set" },
};

static void
test_unenrollment_program (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (unenrollment_cases); i++)
    {
      const UnenrollmentCase *c = &unenrollment_cases[i];
      g_autoptr(GPtrArray) errors = NULL;
      g_autofree char *fields = NULL;
      Fixture fixture;

      g_test_message ("case %u", i);
      fixture_init (&fixture, ENR_TASK_KIND_UNENROLLMENT);
      /* the program object is not needed to end a subscription */
      g_clear_object (&fixture.program);
      enr_service_task_set_program_id (fixture.task, c->program_id);
      enr_service_task_set_subscription_id (fixture.task, c->subscription_id);
      parse_date (c->today, &fixture.today);
      fixture.has_subscription_start = c->subscription_start != NULL;
      if (c->subscription_start != NULL)
        parse_date (c->subscription_start, &fixture.subscription_start);
      set_date (c->stop, enr_service_task_set_stop_date, fixture.task);

      errors = fixture_validate (&fixture, ENR_PANEL_PROGRAM);
      fields = join_fields (errors);
      g_assert_cmpstr (fields, ==, c->fields);
      g_assert_cmpstr (first_message (errors), ==, c->message);

      fixture_clear (&fixture);
    }
}

typedef struct
{
  EnrTaskKind        kind;
  int                method;
  EnrAssetOwnership  ownership;
  const char        *device_ids;    /* selected; NULL = none */
  const char        *offered;       /* "" = none offered; NULL = no list */
  const char        *activities;
  const char        *appointments;
  const char        *fields;
  const char        *message;
} DeviceSetupCase;

#define ENROLL ENR_TASK_KIND_ENROLLMENT
#define UNENROLL ENR_TASK_KIND_UNENROLLMENT
#define UTILITY ENR_ASSET_OWNERSHIP_UTILITY_OWNED
#define CUSTOMER ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED

static const DeviceSetupCase device_setup_cases[] = {
  { ENROLL, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, UTILITY, NULL, "dev-1 dev-2",
    "act-install act-commission", "act-install:booked", "", NULL },
  { ENROLL, ENR_INSTALLATION_METHOD_NONE, ENR_ASSET_OWNERSHIP_NONE, NULL, "dev-1 dev-2",
    NULL, NULL, "installation-method ownership", "Installation Method is required" },
  { ENROLL, ENR_INSTALLATION_METHOD_SHIP_DEVICE, ENR_ASSET_OWNERSHIP_NONE, NULL, "dev-1",
    "act-ship", NULL, "ownership", "Asset Ownership is required" },
  /* appointments */
  { ENROLL, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, UTILITY, NULL, "dev-1",
    "act-install act-commission", NULL, "appointment:act-install", "Choose an appointment for Utility Installation" },
  { ENROLL, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, UTILITY, NULL, "dev-1",
    "act-install act-commission", "act-install:released", "appointment:act-install",
    "Choose an appointment for Utility Installation" },
  { ENROLL, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, UTILITY, NULL, "dev-1",
    "act-install", "act-install:released act-install:booked", "", NULL },
  { ENROLL, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, UTILITY, NULL, "dev-1",
    "act-install", "act-install:completed", "", NULL },
  { ENROLL, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, UTILITY, NULL, "dev-1",
    "act-install", "act-remove:booked", "appointment:act-install",
    "Choose an appointment for Utility Installation" },
  { ENROLL, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, UTILITY, NULL, "dev-1",
    "act-install act-install", NULL, "appointment:act-install",
    "Choose an appointment for Utility Installation" },
  /* Ship Device: a work order without an appointment */
  { ENROLL, ENR_INSTALLATION_METHOD_SHIP_DEVICE, CUSTOMER, NULL, "", "act-ship", NULL, "", NULL },
  /* Re-enroll */
  { ENROLL, ENR_INSTALLATION_METHOD_RE_ENROLL, UTILITY, "dev-1", "dev-1 dev-2", NULL, NULL, "", NULL },
  { ENROLL, ENR_INSTALLATION_METHOD_RE_ENROLL, UTILITY, "dev-1 dev-2", "dev-1 dev-2", "", NULL, "", NULL },
  { ENROLL, ENR_INSTALLATION_METHOD_RE_ENROLL, CUSTOMER, "dev-2", "dev-1 dev-2", NULL, NULL, "", NULL },
  { ENROLL, ENR_INSTALLATION_METHOD_RE_ENROLL, UTILITY, NULL, "dev-1 dev-2", NULL, NULL,
    "device-ids", "Select at least one device to re-enroll" },
  { ENROLL, ENR_INSTALLATION_METHOD_RE_ENROLL, UTILITY, "", "dev-1 dev-2", NULL, NULL,
    "device-ids", "Select at least one device to re-enroll" },
  { ENROLL, ENR_INSTALLATION_METHOD_RE_ENROLL, UTILITY, "dev-1 dev-9", "dev-1 dev-2", NULL, NULL,
    "device-ids", "Device dev-9 is not one of the devices that can be re-enrolled" },
  /* every device already enrolled elsewhere: nothing to offer */
  { ENROLL, ENR_INSTALLATION_METHOD_RE_ENROLL, UTILITY, "dev-1", "", NULL, NULL,
    "device-ids", "No device at this location can be re-enrolled; choose another installation method" },
  { ENROLL, ENR_INSTALLATION_METHOD_RE_ENROLL, UTILITY, NULL, NULL, NULL, NULL,
    "device-ids", "No device at this location can be re-enrolled; choose another installation method" },
  { ENROLL, ENR_INSTALLATION_METHOD_RE_ENROLL, ENR_ASSET_OWNERSHIP_NONE, NULL, "", NULL, NULL,
    "device-ids ownership", "No device at this location can be re-enrolled; choose another installation method" },
  /* a selection left from Re-enroll is not checked for another method */
  { ENROLL, ENR_INSTALLATION_METHOD_SHIP_DEVICE, UTILITY, "dev-9", "dev-1", "act-ship", NULL, "", NULL },

  { UNENROLL, ENR_REMOVAL_METHOD_UTILITY_REMOVAL, UTILITY, "dev-1", "dev-1",
    "act-remove", "act-remove:booked", "", NULL },
  { UNENROLL, ENR_REMOVAL_METHOD_KEEP, CUSTOMER, NULL, "dev-1", NULL, NULL, "", NULL },
  { UNENROLL, ENR_REMOVAL_METHOD_NONE, ENR_ASSET_OWNERSHIP_NONE, NULL, "dev-1", NULL, NULL,
    "removal-method ownership", "Removal Method is required" },
  { UNENROLL, ENR_REMOVAL_METHOD_UTILITY_REMOVAL, UTILITY, NULL, "dev-1", "act-remove", NULL,
    "appointment:act-remove", "Choose an appointment for Utility Removal" },
  { UNENROLL, ENR_REMOVAL_METHOD_SHIP_DEVICE, CUSTOMER, NULL, "", "act-ship", NULL, "", NULL },
};

static void
test_device_setup (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (device_setup_cases); i++)
    {
      const DeviceSetupCase *c = &device_setup_cases[i];
      g_autoptr(GPtrArray) errors = NULL;
      g_autofree char *fields = NULL;
      g_auto(GStrv) device_ids = split (c->device_ids, " ");
      Fixture fixture;

      g_test_message ("case %u", i);
      fixture_init (&fixture, c->kind);
      if (c->kind == ENR_TASK_KIND_ENROLLMENT)
        enr_service_task_set_installation_method (fixture.task, c->method);
      else
        enr_service_task_set_removal_method (fixture.task, c->method);
      enr_service_task_set_ownership (fixture.task, c->ownership);
      enr_service_task_set_device_ids (fixture.task, (const char * const *) device_ids);
      set_devices (&fixture, c->offered);
      set_activities (&fixture, c->activities);
      set_appointments (fixture.task, c->appointments);

      errors = fixture_validate (&fixture, ENR_PANEL_DEVICE_SETUP);
      fields = join_fields (errors);
      g_assert_cmpstr (fields, ==, c->fields);
      g_assert_cmpstr (first_message (errors), ==, c->message);

      fixture_clear (&fixture);
    }
}

/* With the task type, the ownership is asked only where its rules tell
 * owners apart: Utility Installation here creates the same work for any
 * owner, Re-enroll only takes utility-owned devices. */
static void
test_device_setup_ownership_rules (void)
{
  static const struct {
    EnrInstallationMethod method;
    const char           *fields;
  } cases[] = {
    { ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION, "" },
    { ENR_INSTALLATION_METHOD_RE_ENROLL, "ownership" },
    { ENR_INSTALLATION_METHOD_NONE, "installation-method" },
  };
  g_autoptr(EnrServiceTaskType) type = enr_service_task_type_new ();
  g_autoptr(EnrDeviceSetupRule) install = enr_device_setup_rule_new ();
  g_autoptr(EnrDeviceSetupRule) reenroll = enr_device_setup_rule_new ();
  const char *install_ids[] = { "act-install", NULL };

  enr_device_setup_rule_set_installation_method (install, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
  enr_device_setup_rule_set_activity_type_ids (install, install_ids);
  enr_service_task_type_add_rule (type, install);
  enr_device_setup_rule_set_installation_method (reenroll, ENR_INSTALLATION_METHOD_RE_ENROLL);
  enr_device_setup_rule_set_ownership (reenroll, ENR_ASSET_OWNERSHIP_UTILITY_OWNED);
  enr_service_task_type_add_rule (type, reenroll);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) errors = NULL;
      g_autofree char *fields = NULL;
      const char *selected[] = { "dev-1", NULL };
      EnrValidationContext ctx;
      Fixture fixture;

      g_test_message ("case %u", i);
      fixture_init (&fixture, ENR_TASK_KIND_ENROLLMENT);
      enr_service_task_set_installation_method (fixture.task, cases[i].method);
      enr_service_task_set_ownership (fixture.task, ENR_ASSET_OWNERSHIP_NONE);
      enr_service_task_set_device_ids (fixture.task, selected);
      set_devices (&fixture, "dev-1");
      if (cases[i].method == ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION)
        set_activities (&fixture, "act-install");

      ctx = fixture_context (&fixture);
      ctx.task_type = type;
      errors = enr_validate_panel (ENR_PANEL_DEVICE_SETUP, &ctx);
      fields = join_fields (errors);
      g_assert_cmpstr (fields, ==, cases[i].fields);

      fixture_clear (&fixture);
    }
}

typedef struct
{
  EnrPanel    panel;
  const char *channel;
  const char *class_code;
  const char *category;
  const char *notes;
  const char *fields;
} InteractionCase;

static const InteractionCase interaction_cases[] = {
  { ENR_PANEL_PROGRAM, NULL, NULL, NULL, "Asked about bill credits",
    "interaction:program:channel interaction:program:class interaction:program:category" },
  { ENR_PANEL_PROGRAM, "letter", "enrollment", "written", NULL, "" },
  { ENR_PANEL_DEVICE_SETUP, NULL, "enrollment", NULL, NULL,
    "interaction:device-setup:channel interaction:device-setup:category" },
  { ENR_PANEL_DEVICE_SETUP, "phone", "enrollment", "verbal", "Gate code 1234", "" },
  /* Summary has no Interaction Details of its own */
  { ENR_PANEL_SUMMARY, "phone", NULL, NULL, NULL, "" },
};

static void
test_interactions (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (interaction_cases); i++)
    {
      const InteractionCase *c = &interaction_cases[i];
      g_autoptr(GPtrArray) errors = NULL;
      g_autofree char *fields = NULL;
      Fixture fixture;

      g_test_message ("case %u", i);
      fixture_init (&fixture, ENR_TASK_KIND_ENROLLMENT);
      set_interaction (fixture.task, c->panel, c->channel, c->class_code, c->category, c->notes);

      errors = fixture_validate (&fixture, c->panel);
      fields = join_fields (errors);
      g_assert_cmpstr (fields, ==, c->fields);

      fixture_clear (&fixture);
    }
}

typedef struct
{
  EnrTaskKind kind;
  int         plan;       /* -1 = no plan (from the program type), else location required */
  gboolean    has_type;
  gboolean    type_location_required;
  const char *fields;
} TaskCase;

static const TaskCase task_cases[] = {
  { ENROLL, TRUE, TRUE, TRUE, "metered-service-id start-date installation-method" },
  { ENROLL, FALSE, TRUE, TRUE, "metered-service-id start-date" },
  { ENROLL, -1, TRUE, TRUE, "metered-service-id start-date installation-method" },
  { ENROLL, -1, TRUE, FALSE, "metered-service-id start-date" },
  { ENROLL, -1, FALSE, FALSE, "metered-service-id start-date installation-method" },
  { UNENROLL, TRUE, TRUE, TRUE, "metered-service-id stop-date removal-method" },
  { UNENROLL, -1, TRUE, FALSE, "metered-service-id stop-date" },
};

/* Finish checks every panel the plan does not skip, in order. */
static void
test_task (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (task_cases); i++)
    {
      const TaskCase *c = &task_cases[i];
      g_autoptr(EnrStepPlan) plan = NULL;
      g_autoptr(GPtrArray) errors = NULL;
      g_autofree char *fields = NULL;
      EnrValidationContext ctx;
      Fixture fixture;

      g_test_message ("case %u", i);
      fixture_init (&fixture, c->kind);
      enr_service_task_set_metered_service_id (fixture.task, NULL);
      enr_service_task_set_start_date (fixture.task, NULL);
      enr_service_task_set_stop_date (fixture.task, NULL);
      enr_service_task_set_installation_method (fixture.task, ENR_INSTALLATION_METHOD_NONE);
      enr_service_task_set_removal_method (fixture.task, ENR_REMOVAL_METHOD_NONE);
      if (c->has_type)
        enr_program_type_set_location_required (fixture.program_type, c->type_location_required);
      else
        g_clear_object (&fixture.program_type);
      if (c->plan >= 0)
        plan = enr_step_plan_new (c->kind, c->plan);

      ctx = fixture_context (&fixture);
      errors = enr_validate_task (&ctx, plan);
      fields = join_fields (errors);
      g_assert_cmpstr (fields, ==, c->fields);

      fixture_clear (&fixture);
    }
}

static void
test_helpers (void)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(EnrFieldError) error = enr_field_error_new ("start-date", "Start Date is required");
  g_auto(GStrv) messages = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *field = NULL;

  g_object_get (error, "field", &field, NULL);
  g_assert_cmpstr (field, ==, "start-date");

  g_ptr_array_add (errors, g_object_ref (error));
  g_ptr_array_add (errors, enr_field_error_new ("ownership", "Asset Ownership is required"));
  g_ptr_array_add (errors, enr_field_error_new ("start-date", "second"));

  g_assert_true (enr_validation_find (errors, "start-date") == error);
  g_assert_cmpstr (enr_field_error_get_message (enr_validation_find (errors, "ownership")), ==,
                   "Asset Ownership is required");
  g_assert_null (enr_validation_find (errors, "stop-date"));
  g_assert_null (enr_validation_find (NULL, "stop-date"));

  messages = enr_validation_to_strv (errors);
  g_assert_cmpuint (g_strv_length (messages), ==, 3);
  g_assert_cmpstr (messages[1], ==, "Asset Ownership is required");

  joined = enr_validation_join (errors, "; ");
  g_assert_cmpstr (joined, ==, "Start Date is required; Asset Ownership is required; second");

  enr_field_error_set_message (error, "changed");
  g_assert_cmpstr (enr_field_error_get_message (error), ==, "changed");
}

/* Summary: consent on record */

typedef struct
{
  const char       *name;
  EnrTaskKind       kind;
  gboolean          required;
  const char       *program_terms;
  EnrConsentMethod  method;    /* none = no consent at all */
  const char       *given_at;  /* RFC 3339, NULL = not dated */
  const char       *terms;
  const char       *fields;
  const char       *message;
} ConsentCase;

static const ConsentCase consent_cases[] = {
  { "not-required-none", ENR_TASK_KIND_ENROLLMENT, FALSE, "T-1", ENR_CONSENT_METHOD_NONE, NULL, NULL, "", NULL },
  { "required-none", ENR_TASK_KIND_ENROLLMENT, TRUE, "T-1", ENR_CONSENT_METHOD_NONE, NULL, NULL, "consent-method",
    "Consent is required: record how the customer agreed to the program’s terms" },
  { "required-given", ENR_TASK_KIND_ENROLLMENT, TRUE, "T-1", ENR_CONSENT_METHOD_PHONE,
    "2026-04-10T09:30:00-07:00", "T-1", "", NULL },
  { "required-app", ENR_TASK_KIND_ENROLLMENT, TRUE, "T-1", ENR_CONSENT_METHOD_DEVICE_APP,
    "2026-03-01T12:00:00Z", "T-1", "", NULL },
  { "undated", ENR_TASK_KIND_ENROLLMENT, TRUE, "T-1", ENR_CONSENT_METHOD_WEB, NULL, "T-1", "consent-given-at",
    "Enter the date and time the customer consented" },
  { "future", ENR_TASK_KIND_ENROLLMENT, TRUE, "T-1", ENR_CONSENT_METHOD_PAPER,
    "2026-04-11T10:00:00-07:00", "T-1", "consent-given-at", "The consent cannot be dated after today" },
  { "old-terms", ENR_TASK_KIND_ENROLLMENT, TRUE, "T-2", ENR_CONSENT_METHOD_PHONE,
    "2026-04-10T09:30:00-07:00", "T-1", "consent-terms-version",
    "The consent is to terms version T-1; the program’s terms are now version T-2" },
  { "no-terms-recorded", ENR_TASK_KIND_ENROLLMENT, FALSE, "T-2", ENR_CONSENT_METHOD_PHONE,
    "2026-04-10T09:30:00-07:00", NULL, "consent-terms-version",
    "The consent is to terms version —; the program’s terms are now version T-2" },
  { "program-without-terms", ENR_TASK_KIND_ENROLLMENT, TRUE, NULL, ENR_CONSENT_METHOD_PHONE,
    "2026-04-10T09:30:00-07:00", NULL, "", NULL },
  /* Optional consent, once recorded, must be whole too. */
  { "optional-undated", ENR_TASK_KIND_ENROLLMENT, FALSE, "T-1", ENR_CONSENT_METHOD_WEB, NULL, "T-1",
    "consent-given-at", "Enter the date and time the customer consented" },
  { "unenrollment", ENR_TASK_KIND_UNENROLLMENT, TRUE, "T-1", ENR_CONSENT_METHOD_NONE, NULL, NULL, "", NULL },
};

static void
test_consent (gconstpointer data)
{
  const ConsentCase *c = data;
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *fields = NULL;
  Fixture fixture;

  fixture_init (&fixture, c->kind);
  enr_program_type_set_consent_required (fixture.program_type, c->required);
  enr_program_set_terms_version (fixture.program, c->program_terms);
  if (c->method != ENR_CONSENT_METHOD_NONE)
    {
      g_autoptr(EnrConsent) consent = enr_consent_new ();
      g_autoptr(GDateTime) given_at = c->given_at ? g_date_time_new_from_iso8601 (c->given_at, NULL) : NULL;

      enr_consent_set_method (consent, c->method);
      enr_consent_set_given_at (consent, given_at);
      enr_consent_set_terms_version (consent, c->terms);
      enr_consent_set_recorded_by (consent, "clerk");
      enr_service_task_set_consent (fixture.task, consent);
    }

  errors = fixture_validate (&fixture, ENR_PANEL_SUMMARY);
  fields = join_fields (errors);
  g_assert_cmpstr (fields, ==, c->fields);
  g_assert_cmpstr (first_message (errors), ==, c->message);

  /* Finish checks the Summary too. */
  if (c->message != NULL)
    {
      g_autoptr(GPtrArray) all = NULL;
      EnrValidationContext ctx = fixture_context (&fixture);

      all = enr_validate_task (&ctx, NULL);
      g_assert_nonnull (enr_validation_find (all, enr_field_error_get_field (g_ptr_array_index (errors, 0))));
    }

  fixture_clear (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  /* Dates in messages use month names: keep them in English. */
  setlocale (LC_ALL, "C.UTF-8");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validation/complete", test_complete);
  g_test_add_func ("/validation/customer", test_customer);
  g_test_add_func ("/validation/start-date", test_start_date);
  g_test_add_func ("/validation/program-choice", test_program_choice);
  g_test_add_func ("/validation/answers", test_answers);
  g_test_add_func ("/validation/answer-order", test_answer_order);
  g_test_add_func ("/validation/unenrollment", test_unenrollment_program);
  g_test_add_func ("/validation/device-setup", test_device_setup);
  g_test_add_func ("/validation/device-setup-ownership", test_device_setup_ownership_rules);
  g_test_add_func ("/validation/interactions", test_interactions);
  g_test_add_func ("/validation/task", test_task);
  g_test_add_func ("/validation/helpers", test_helpers);
  for (guint i = 0; i < G_N_ELEMENTS (consent_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/validation/consent/%s", consent_cases[i].name);

      g_test_add_data_func (path, &consent_cases[i], test_consent);
    }

  return g_test_run ();
}

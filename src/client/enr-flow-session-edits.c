/* enr-flow-session-edits.c — what the panels change in a flow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every edit changes the draft task and ends in
 * _enr_flow_session_commit(): the draft is written and the panels hear
 * what changed.
 *
 * Interaction Details start from what the clerk would choose anyway: the
 * class of the flow (Enrollment, Unenrollment) and the clerk's last
 * channel and category, or the Customer panel's on the later panels. A
 * new flow's Customer panel has them at once (the call is an
 * interaction); a later panel's section gets them as soon as the clerk
 * fills anything in it.
 */

#include "config.h"

#include "enr-flow-session-private.h"

static void
drop_unneeded_appointments (EnrFlowSession *self)
{
  GPtrArray *appointments = enr_service_task_get_appointments (enr_flow_session_get_task (self));

  for (guint i = appointments->len; i > 0; i--)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i - 1);

      if (_enr_flow_session_find_entity (self->appointment_activities,
                                         enr_appointment_get_activity_type_id (appointment)) == NULL)
        g_ptr_array_remove_index (appointments, i - 1);
    }
}

static gboolean
interaction_has_codes (EnrInteraction *interaction)
{
  return interaction != NULL &&
         (enr_interaction_get_channel (interaction) != NULL ||
          enr_interaction_get_class (interaction) != NULL ||
          enr_interaction_get_category (interaction) != NULL);
}

static EnrInteraction *
ensure_interaction (EnrServiceTask *task,
                    EnrPanel        panel)
{
  EnrInteraction *interaction = enr_service_task_get_interaction (task, panel);

  if (interaction == NULL)
    {
      g_autoptr(EnrInteraction) created = enr_interaction_new ();

      enr_interaction_set_panel (created, panel);
      enr_service_task_add_interaction (task, created);
      interaction = created;
    }

  return interaction;
}

/* The class code of the flow's kind, when the class list has it (one
 * code value looked up by its id, "class/<code>"). */
static const char *
kind_class (EnrContext  *context,
            EnrTaskKind  kind)
{
  const char *nick = enr_enum_to_nick (ENR_TYPE_TASK_KIND, kind);
  g_autofree char *id = NULL;
  g_autoptr(EnrCodeValue) value = NULL;

  if (nick == NULL)
    return NULL;

  id = g_strconcat (enr_enum_to_nick (ENR_TYPE_CODE_LIST, ENR_CODE_LIST_CLASS), "/", nick, NULL);
  value = enr_context_lookup (context, ENR_TYPE_CODE_VALUE, id);

  return value != NULL ? nick : NULL;
}

/**
 * _enr_flow_session_fill_interaction:
 *
 * Fills what is empty of the Interaction Details of @panel with the
 * defaults: the flow's class, the channel and category of the Customer
 * panel (on a later panel) or else the clerk's last ones.
 *
 * Returns: whether anything was filled
 */
gboolean
_enr_flow_session_fill_interaction (EnrContext     *context,
                                    EnrServiceTask *task,
                                    EnrPanel        panel)
{
  EnrInteraction *interaction = ensure_interaction (task, panel);
  EnrInteraction *first = enr_service_task_get_interaction (task, ENR_PANEL_CUSTOMER);
  g_autofree char *last_channel = NULL;
  g_autofree char *last_category = NULL;
  const char *channel = NULL;
  const char *category = NULL;
  gboolean filled = FALSE;

  enr_context_get_last_interaction (context, &last_channel, &last_category);
  if (panel != ENR_PANEL_CUSTOMER && interaction_has_codes (first))
    {
      channel = enr_interaction_get_channel (first);
      category = enr_interaction_get_category (first);
    }
  if (channel == NULL)
    channel = last_channel;
  if (category == NULL)
    category = last_category;

  if (enr_interaction_get_class (interaction) == NULL && kind_class (context, enr_service_task_get_kind (task)) != NULL)
    {
      enr_interaction_set_class (interaction, kind_class (context, enr_service_task_get_kind (task)));
      filled = TRUE;
    }
  if (enr_interaction_get_channel (interaction) == NULL && channel != NULL)
    {
      enr_interaction_set_channel (interaction, channel);
      filled = TRUE;
    }
  if (enr_interaction_get_category (interaction) == NULL && category != NULL)
    {
      enr_interaction_set_category (interaction, category);
      filled = TRUE;
    }

  return filled;
}

void
enr_flow_session_set_metered_service (EnrFlowSession *self,
                                      const char     *metered_service_id)
{
  EnrServiceTask *task;
  EnrMeteredService *service;
  g_autofree char *location_id = NULL;
  const char *point_id = NULL;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));

  task = enr_flow_session_get_task (self);
  if (g_strcmp0 (enr_service_task_get_metered_service_id (task), metered_service_id) == 0)
    return;

  service = _enr_flow_session_find_entity (self->metered_services, metered_service_id);
  if (service != NULL)
    point_id = enr_metered_service_get_service_point_id (service);

  enr_service_task_set_metered_service_id (task, metered_service_id);
  enr_service_task_set_service_point_id (task, point_id);
  if (enr_service_task_get_kind (task) == ENR_TASK_KIND_ENROLLMENT)
    {
      location_id = _enr_flow_session_first_device_location_id (self->context, point_id);
      enr_service_task_set_device_location_id (task, location_id);
      enr_service_task_set_device_ids (task, NULL);
    }

  _enr_flow_session_resolve (self);
  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_METERED_SERVICE, FALSE);
}

void
enr_flow_session_set_program (EnrFlowSession *self,
                              const char     *program_id)
{
  EnrServiceTask *task;
  g_autoptr(GPtrArray) no_answers = NULL;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));

  task = enr_flow_session_get_task (self);
  if (g_strcmp0 (enr_service_task_get_program_id (task), program_id) == 0)
    return;

  /* Answers and device setup belong to the program. */
  no_answers = g_ptr_array_new_with_free_func (g_object_unref);
  enr_service_task_set_program_id (task, program_id);
  enr_service_task_set_answers (task, no_answers);
  enr_service_task_set_installation_method (task, ENR_INSTALLATION_METHOD_NONE);
  enr_service_task_set_ownership (task, ENR_ASSET_OWNERSHIP_NONE);
  enr_service_task_set_device_ids (task, NULL);

  _enr_flow_session_resolve (self);
  drop_unneeded_appointments (self);
  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_PROGRAM, FALSE);
}

void
enr_flow_session_set_start_date (EnrFlowSession *self,
                                 const GDate    *date)
{
  EnrServiceTask *task;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));

  task = enr_flow_session_get_task (self);
  if (enr_date_equal0 (enr_service_task_get_start_date (task), date))
    return;

  enr_service_task_set_start_date (task, date);
  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_DATES, FALSE);
}

void
enr_flow_session_set_stop_date (EnrFlowSession *self,
                                const GDate    *date)
{
  EnrServiceTask *task;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));

  task = enr_flow_session_get_task (self);
  if (enr_date_equal0 (enr_service_task_get_stop_date (task), date))
    return;

  enr_service_task_set_stop_date (task, date);
  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_DATES, FALSE);
}

/**
 * enr_flow_session_set_answer:
 * @values: (nullable): the answer's values; empty removes the answer
 * @typing: whether the answer is being typed (written after a short delay)
 */
void
enr_flow_session_set_answer (EnrFlowSession     *self,
                             const char         *question_id,
                             const char * const *values,
                             gboolean            typing)
{
  EnrServiceTask *task;
  EnrAnswer *answer;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));
  g_return_if_fail (question_id != NULL);

  task = enr_flow_session_get_task (self);
  answer = enr_service_task_find_answer (task, question_id);

  if (values == NULL || values[0] == NULL)
    {
      if (answer == NULL)
        return;
      g_ptr_array_remove (enr_service_task_get_answers (task), answer);
    }
  else if (answer != NULL)
    {
      if (enr_strv_equal0 (enr_answer_get_values (answer), values))
        return;
      enr_answer_set_values (answer, values);
    }
  else
    {
      g_autoptr(EnrAnswer) created = enr_answer_new ();

      enr_answer_set_question_id (created, question_id);
      enr_answer_set_values (created, values);
      enr_service_task_add_answer (task, created);
    }

  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_ANSWERS, typing);
}

void
enr_flow_session_set_installation_method (EnrFlowSession        *self,
                                          EnrInstallationMethod  method)
{
  EnrServiceTask *task;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));

  task = enr_flow_session_get_task (self);
  if (enr_service_task_get_installation_method (task) == method)
    return;

  enr_service_task_set_installation_method (task, method);
  if (method != ENR_INSTALLATION_METHOD_RE_ENROLL)
    enr_service_task_set_device_ids (task, NULL);

  _enr_flow_session_compute_activities (self);
  drop_unneeded_appointments (self);
  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_DEVICE_SETUP, FALSE);
}

void
enr_flow_session_set_removal_method (EnrFlowSession   *self,
                                     EnrRemovalMethod  method)
{
  EnrServiceTask *task;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));

  task = enr_flow_session_get_task (self);
  if (enr_service_task_get_removal_method (task) == method)
    return;

  enr_service_task_set_removal_method (task, method);
  _enr_flow_session_compute_activities (self);
  drop_unneeded_appointments (self);
  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_DEVICE_SETUP, FALSE);
}

void
enr_flow_session_set_ownership (EnrFlowSession    *self,
                                EnrAssetOwnership  ownership)
{
  EnrServiceTask *task;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));

  task = enr_flow_session_get_task (self);
  if (enr_service_task_get_ownership (task) == ownership)
    return;

  enr_service_task_set_ownership (task, ownership);
  _enr_flow_session_compute_activities (self);
  drop_unneeded_appointments (self);
  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_DEVICE_SETUP, FALSE);
}

void
enr_flow_session_set_device_selected (EnrFlowSession *self,
                                      const char     *device_id,
                                      gboolean        selected)
{
  EnrServiceTask *task;
  const char * const *ids;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) strv = NULL;
  gboolean present;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));
  g_return_if_fail (device_id != NULL);

  task = enr_flow_session_get_task (self);
  ids = enr_service_task_get_device_ids (task);
  present = ids != NULL && g_strv_contains (ids, device_id);
  if (present == !!selected)
    return;

  builder = g_strv_builder_new ();
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (!g_str_equal (ids[i], device_id))
      g_strv_builder_add (builder, ids[i]);
  if (selected)
    g_strv_builder_add (builder, device_id);
  strv = g_strv_builder_end (builder);

  enr_service_task_set_device_ids (task, (const char * const *) strv);
  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_DEVICE_SETUP, FALSE);
}

/**
 * enr_flow_session_set_appointment:
 * @slot: (nullable): the chosen slot; %NULL removes the appointment
 */
void
enr_flow_session_set_appointment (EnrFlowSession *self,
                                  const char     *activity_type_id,
                                  EnrSlot        *slot)
{
  EnrServiceTask *task;
  GPtrArray *appointments;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));
  g_return_if_fail (activity_type_id != NULL);
  g_return_if_fail (slot == NULL || ENR_IS_SLOT (slot));

  task = enr_flow_session_get_task (self);
  appointments = enr_service_task_get_appointments (task);

  for (guint i = appointments->len; i > 0; i--)
    {
      EnrAppointment *appointment = g_ptr_array_index (appointments, i - 1);

      if (g_strcmp0 (enr_appointment_get_activity_type_id (appointment), activity_type_id) == 0)
        g_ptr_array_remove_index (appointments, i - 1);
    }

  if (slot != NULL)
    {
      g_autoptr(EnrAppointment) appointment = NULL;

      appointment = enr_slot_to_appointment (slot, enr_entity_get_id (ENR_ENTITY (task)));
      enr_appointment_set_activity_type_id (appointment, activity_type_id);
      enr_service_task_add_appointment (task, appointment);
    }

  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_APPOINTMENTS, FALSE);
}

/**
 * enr_flow_session_set_interaction:
 * @value: (nullable): the code, or the notes
 * @typing: whether the value is being typed (written after a short delay)
 */
void
enr_flow_session_set_interaction (EnrFlowSession      *self,
                                  EnrPanel             panel,
                                  EnrInteractionField  field,
                                  const char          *value,
                                  gboolean             typing)
{
  EnrServiceTask *task;
  EnrInteraction *interaction;
  const char *current = NULL;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));

  if (value != NULL && value[0] == '\0')
    value = NULL;

  task = enr_flow_session_get_task (self);
  interaction = enr_service_task_get_interaction (task, panel);
  if (interaction != NULL)
    {
      switch (field)
        {
        case ENR_INTERACTION_FIELD_CHANNEL:
          current = enr_interaction_get_channel (interaction);
          break;
        case ENR_INTERACTION_FIELD_CLASS:
          current = enr_interaction_get_class (interaction);
          break;
        case ENR_INTERACTION_FIELD_CATEGORY:
          current = enr_interaction_get_category (interaction);
          break;
        case ENR_INTERACTION_FIELD_NOTES:
        default:
          current = enr_interaction_get_notes (interaction);
          break;
        }
    }
  else if (value == NULL)
    {
      return;
    }

  if (g_strcmp0 (current, value) == 0)
    return;

  /* The first thing filled in a section brings the defaults of the rest. */
  if (value != NULL && !interaction_has_codes (interaction))
    _enr_flow_session_fill_interaction (self->context, task, panel);

  interaction = ensure_interaction (task, panel);
  switch (field)
    {
    case ENR_INTERACTION_FIELD_CHANNEL:
      enr_interaction_set_channel (interaction, value);
      break;
    case ENR_INTERACTION_FIELD_CLASS:
      enr_interaction_set_class (interaction, value);
      break;
    case ENR_INTERACTION_FIELD_CATEGORY:
      enr_interaction_set_category (interaction, value);
      break;
    case ENR_INTERACTION_FIELD_NOTES:
    default:
      enr_interaction_set_notes (interaction, value);
      break;
    }

  if (field == ENR_INTERACTION_FIELD_CHANNEL)
    enr_context_remember_interaction (self->context, value, NULL);
  else if (field == ENR_INTERACTION_FIELD_CATEGORY)
    enr_context_remember_interaction (self->context, NULL, value);

  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_INTERACTION, typing);
}

void
enr_flow_session_set_current_panel (EnrFlowSession *self,
                                    EnrPanel        panel)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) visited = NULL;
  const char * const *old;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));

  if (enr_process_flow_get_current_panel (self->flow) == panel &&
      enr_process_flow_has_visited (self->flow, panel))
    return;

  enr_process_flow_set_current_panel (self->flow, panel);

  if (!enr_process_flow_has_visited (self->flow, panel))
    {
      old = enr_process_flow_get_visited (self->flow);
      builder = g_strv_builder_new ();
      if (old != NULL)
        g_strv_builder_addv (builder, (const char **) old);
      g_strv_builder_add (builder, enr_enum_to_nick (ENR_TYPE_PANEL, panel));
      visited = g_strv_builder_end (builder);
      enr_process_flow_set_visited (self->flow, (const char * const *) visited);
    }

  /* Where the clerk is goes to the draft, but is no change to save; it is
   * written as typing is (shortly, or by enr_flow_session_flush(), which
   * the assistant calls once the new panel is painted), so that the
   * commit does not hold up the panel's first frame. */
  _enr_flow_session_commit_full (self, ENR_FLOW_CHANGE_PANEL, TRUE, FALSE);
}

/**
 * enr_flow_session_set_consent:
 * @method: how the customer consented; none removes the consent
 * @given_at: (nullable): when
 *
 * Records the customer's consent on the task, to the program's current
 * terms version, by the signed-in clerk.
 */
void
enr_flow_session_set_consent (EnrFlowSession   *self,
                              EnrConsentMethod  method,
                              GDateTime        *given_at)
{
  EnrServiceTask *task;
  EnrConsent *current;
  EnrProgram *program;
  g_autoptr(EnrConsent) consent = NULL;

  g_return_if_fail (ENR_IS_FLOW_SESSION (self));

  task = enr_flow_session_get_task (self);
  current = enr_service_task_get_consent (task);
  program = enr_flow_session_get_program (self);

  if (method != ENR_CONSENT_METHOD_NONE)
    {
      consent = enr_consent_new ();
      enr_consent_set_method (consent, method);
      enr_consent_set_given_at (consent, given_at);
      enr_consent_set_terms_version (consent, program != NULL ? enr_program_get_terms_version (program) : NULL);
      enr_consent_set_recorded_by (consent, enr_context_get_username (enr_flow_session_get_context (self)));
    }

  if (current == NULL && consent == NULL)
    return;
  if (current != NULL && consent != NULL && enr_codec_equal (current, consent))
    return;

  enr_service_task_set_consent (task, consent);
  _enr_flow_session_commit (self, ENR_FLOW_CHANGE_CONSENT, FALSE);
}

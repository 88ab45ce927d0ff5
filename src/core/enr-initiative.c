/* enr-initiative.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-enum-types.h"
#include "enr-initiative.h"

struct _EnrCriterion
{
  GObject parent_instance;

  EnrCriterionField    field;
  char                *characteristic;
  EnrCriterionOperator op;
  char               **values;
  EnrCriterionOutcome  if_true;
  EnrCriterionOutcome  if_false;
  EnrCriterionOutcome  if_insufficient;
  char                *reason;
};

struct _EnrCriteriaGroup
{
  GObject parent_instance;

  char               *description;
  GPtrArray          *criteria;
  EnrCriterionOutcome if_exhausted;
  char               *reason;
};

struct _EnrInitiative
{
  EnrEntity parent_instance;

  char      *code;
  char      *name;
  GPtrArray *groups;
};

G_DEFINE_FINAL_TYPE (EnrCriterion, enr_criterion, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (EnrCriteriaGroup, enr_criteria_group, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (EnrInitiative, enr_initiative, ENR_TYPE_ENTITY)

enum {
  CRITERION_PROP_0,
  CRITERION_PROP_FIELD,
  CRITERION_PROP_CHARACTERISTIC,
  CRITERION_PROP_OPERATOR,
  CRITERION_PROP_VALUES,
  CRITERION_PROP_IF_TRUE,
  CRITERION_PROP_IF_FALSE,
  CRITERION_PROP_IF_INSUFFICIENT,
  CRITERION_PROP_REASON,
  CRITERION_N_PROPS
};

static GParamSpec *criterion_properties[CRITERION_N_PROPS];

enum {
  CRITERIA_GROUP_PROP_0,
  CRITERIA_GROUP_PROP_DESCRIPTION,
  CRITERIA_GROUP_PROP_CRITERIA,
  CRITERIA_GROUP_PROP_IF_EXHAUSTED,
  CRITERIA_GROUP_PROP_REASON,
  CRITERIA_GROUP_N_PROPS
};

static GParamSpec *criteria_group_properties[CRITERIA_GROUP_N_PROPS];

enum {
  INITIATIVE_PROP_0,
  INITIATIVE_PROP_CODE,
  INITIATIVE_PROP_NAME,
  INITIATIVE_PROP_GROUPS,
  INITIATIVE_N_PROPS
};

static GParamSpec *initiative_properties[INITIATIVE_N_PROPS];

static void
enr_criterion_finalize (GObject *object)
{
  EnrCriterion *self = ENR_CRITERION (object);

  g_clear_pointer (&self->characteristic, g_free);
  g_clear_pointer (&self->values, g_strfreev);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (enr_criterion_parent_class)->finalize (object);
}

static void
enr_criterion_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EnrCriterion *self = ENR_CRITERION (object);

  switch (prop_id)
    {
    case CRITERION_PROP_FIELD:
      g_value_set_enum (value, self->field);
      break;

    case CRITERION_PROP_CHARACTERISTIC:
      g_value_set_string (value, self->characteristic);
      break;

    case CRITERION_PROP_OPERATOR:
      g_value_set_enum (value, self->op);
      break;

    case CRITERION_PROP_VALUES:
      g_value_set_boxed (value, self->values);
      break;

    case CRITERION_PROP_IF_TRUE:
      g_value_set_enum (value, self->if_true);
      break;

    case CRITERION_PROP_IF_FALSE:
      g_value_set_enum (value, self->if_false);
      break;

    case CRITERION_PROP_IF_INSUFFICIENT:
      g_value_set_enum (value, self->if_insufficient);
      break;

    case CRITERION_PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_criterion_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  EnrCriterion *self = ENR_CRITERION (object);

  switch (prop_id)
    {
    case CRITERION_PROP_FIELD:
      enr_criterion_set_field (self, g_value_get_enum (value));
      break;

    case CRITERION_PROP_CHARACTERISTIC:
      enr_criterion_set_characteristic (self, g_value_get_string (value));
      break;

    case CRITERION_PROP_OPERATOR:
      enr_criterion_set_operator (self, g_value_get_enum (value));
      break;

    case CRITERION_PROP_VALUES:
      enr_criterion_set_values (self, g_value_get_boxed (value));
      break;

    case CRITERION_PROP_IF_TRUE:
      enr_criterion_set_if_true (self, g_value_get_enum (value));
      break;

    case CRITERION_PROP_IF_FALSE:
      enr_criterion_set_if_false (self, g_value_get_enum (value));
      break;

    case CRITERION_PROP_IF_INSUFFICIENT:
      enr_criterion_set_if_insufficient (self, g_value_get_enum (value));
      break;

    case CRITERION_PROP_REASON:
      enr_criterion_set_reason (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_criterion_class_init (EnrCriterionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_criterion_finalize;
  object_class->get_property = enr_criterion_get_property;
  object_class->set_property = enr_criterion_set_property;

  criterion_properties[CRITERION_PROP_FIELD] =
    enr_param_spec_required (g_param_spec_enum ("field", NULL, NULL,
                                                ENR_TYPE_CRITERION_FIELD,
                                                ENR_CRITERION_FIELD_RATE_CODE,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  criterion_properties[CRITERION_PROP_CHARACTERISTIC] =
    g_param_spec_string ("characteristic", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  criterion_properties[CRITERION_PROP_OPERATOR] =
    enr_param_spec_required (g_param_spec_enum ("operator", NULL, NULL,
                                                ENR_TYPE_CRITERION_OPERATOR,
                                                ENR_CRITERION_OPERATOR_EQ,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  criterion_properties[CRITERION_PROP_VALUES] =
    g_param_spec_boxed ("values", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  criterion_properties[CRITERION_PROP_IF_TRUE] =
    enr_param_spec_required (g_param_spec_enum ("if-true", NULL, NULL,
                                                ENR_TYPE_CRITERION_OUTCOME,
                                                ENR_CRITERION_OUTCOME_ELIGIBLE,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  criterion_properties[CRITERION_PROP_IF_FALSE] =
    enr_param_spec_required (g_param_spec_enum ("if-false", NULL, NULL,
                                                ENR_TYPE_CRITERION_OUTCOME,
                                                ENR_CRITERION_OUTCOME_ELIGIBLE,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  criterion_properties[CRITERION_PROP_IF_INSUFFICIENT] =
    enr_param_spec_required (g_param_spec_enum ("if-insufficient", NULL, NULL,
                                                ENR_TYPE_CRITERION_OUTCOME,
                                                ENR_CRITERION_OUTCOME_ELIGIBLE,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  criterion_properties[CRITERION_PROP_REASON] =
    enr_param_spec_required (g_param_spec_string ("reason", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  g_object_class_install_properties (object_class, CRITERION_N_PROPS, criterion_properties);
}

static void
enr_criterion_init (EnrCriterion *self)
{
}

EnrCriterion *
enr_criterion_new (void)
{
  return g_object_new (ENR_TYPE_CRITERION, NULL);
}

EnrCriterionField
enr_criterion_get_field (EnrCriterion *self)
{
  g_return_val_if_fail (ENR_IS_CRITERION (self), ENR_CRITERION_FIELD_RATE_CODE);

  return self->field;
}

void
enr_criterion_set_field (EnrCriterion     *self,
                         EnrCriterionField field)
{
  g_return_if_fail (ENR_IS_CRITERION (self));

  if (self->field == field)
    return;

  self->field = field;
  g_object_notify_by_pspec (G_OBJECT (self), criterion_properties[CRITERION_PROP_FIELD]);
}

const char *
enr_criterion_get_characteristic (EnrCriterion *self)
{
  g_return_val_if_fail (ENR_IS_CRITERION (self), NULL);

  return self->characteristic;
}

void
enr_criterion_set_characteristic (EnrCriterion *self,
                                  const char   *characteristic)
{
  g_return_if_fail (ENR_IS_CRITERION (self));

  if (enr_set_string (&self->characteristic, characteristic))
    g_object_notify_by_pspec (G_OBJECT (self), criterion_properties[CRITERION_PROP_CHARACTERISTIC]);
}

EnrCriterionOperator
enr_criterion_get_operator (EnrCriterion *self)
{
  g_return_val_if_fail (ENR_IS_CRITERION (self), ENR_CRITERION_OPERATOR_EQ);

  return self->op;
}

void
enr_criterion_set_operator (EnrCriterion        *self,
                            EnrCriterionOperator op)
{
  g_return_if_fail (ENR_IS_CRITERION (self));

  if (self->op == op)
    return;

  self->op = op;
  g_object_notify_by_pspec (G_OBJECT (self), criterion_properties[CRITERION_PROP_OPERATOR]);
}

const char * const *
enr_criterion_get_values (EnrCriterion *self)
{
  g_return_val_if_fail (ENR_IS_CRITERION (self), NULL);

  return (const char * const *) self->values;
}

void
enr_criterion_set_values (EnrCriterion       *self,
                          const char * const *values)
{
  g_return_if_fail (ENR_IS_CRITERION (self));

  if (enr_set_strv (&self->values, values))
    g_object_notify_by_pspec (G_OBJECT (self), criterion_properties[CRITERION_PROP_VALUES]);
}

EnrCriterionOutcome
enr_criterion_get_if_true (EnrCriterion *self)
{
  g_return_val_if_fail (ENR_IS_CRITERION (self), ENR_CRITERION_OUTCOME_ELIGIBLE);

  return self->if_true;
}

void
enr_criterion_set_if_true (EnrCriterion       *self,
                           EnrCriterionOutcome if_true)
{
  g_return_if_fail (ENR_IS_CRITERION (self));

  if (self->if_true == if_true)
    return;

  self->if_true = if_true;
  g_object_notify_by_pspec (G_OBJECT (self), criterion_properties[CRITERION_PROP_IF_TRUE]);
}

EnrCriterionOutcome
enr_criterion_get_if_false (EnrCriterion *self)
{
  g_return_val_if_fail (ENR_IS_CRITERION (self), ENR_CRITERION_OUTCOME_ELIGIBLE);

  return self->if_false;
}

void
enr_criterion_set_if_false (EnrCriterion       *self,
                            EnrCriterionOutcome if_false)
{
  g_return_if_fail (ENR_IS_CRITERION (self));

  if (self->if_false == if_false)
    return;

  self->if_false = if_false;
  g_object_notify_by_pspec (G_OBJECT (self), criterion_properties[CRITERION_PROP_IF_FALSE]);
}

EnrCriterionOutcome
enr_criterion_get_if_insufficient (EnrCriterion *self)
{
  g_return_val_if_fail (ENR_IS_CRITERION (self), ENR_CRITERION_OUTCOME_ELIGIBLE);

  return self->if_insufficient;
}

void
enr_criterion_set_if_insufficient (EnrCriterion       *self,
                                   EnrCriterionOutcome if_insufficient)
{
  g_return_if_fail (ENR_IS_CRITERION (self));

  if (self->if_insufficient == if_insufficient)
    return;

  self->if_insufficient = if_insufficient;
  g_object_notify_by_pspec (G_OBJECT (self), criterion_properties[CRITERION_PROP_IF_INSUFFICIENT]);
}

const char *
enr_criterion_get_reason (EnrCriterion *self)
{
  g_return_val_if_fail (ENR_IS_CRITERION (self), NULL);

  return self->reason;
}

void
enr_criterion_set_reason (EnrCriterion *self,
                          const char   *reason)
{
  g_return_if_fail (ENR_IS_CRITERION (self));

  if (enr_set_string (&self->reason, reason))
    g_object_notify_by_pspec (G_OBJECT (self), criterion_properties[CRITERION_PROP_REASON]);
}

static void
enr_criteria_group_finalize (GObject *object)
{
  EnrCriteriaGroup *self = ENR_CRITERIA_GROUP (object);

  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->criteria, g_ptr_array_unref);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (enr_criteria_group_parent_class)->finalize (object);
}

static void
enr_criteria_group_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EnrCriteriaGroup *self = ENR_CRITERIA_GROUP (object);

  switch (prop_id)
    {
    case CRITERIA_GROUP_PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case CRITERIA_GROUP_PROP_CRITERIA:
      g_value_set_boxed (value, self->criteria);
      break;

    case CRITERIA_GROUP_PROP_IF_EXHAUSTED:
      g_value_set_enum (value, self->if_exhausted);
      break;

    case CRITERIA_GROUP_PROP_REASON:
      g_value_set_string (value, self->reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_criteria_group_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EnrCriteriaGroup *self = ENR_CRITERIA_GROUP (object);

  switch (prop_id)
    {
    case CRITERIA_GROUP_PROP_DESCRIPTION:
      enr_criteria_group_set_description (self, g_value_get_string (value));
      break;

    case CRITERIA_GROUP_PROP_CRITERIA:
      enr_criteria_group_set_criteria (self, g_value_get_boxed (value));
      break;

    case CRITERIA_GROUP_PROP_IF_EXHAUSTED:
      enr_criteria_group_set_if_exhausted (self, g_value_get_enum (value));
      break;

    case CRITERIA_GROUP_PROP_REASON:
      enr_criteria_group_set_reason (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_criteria_group_class_init (EnrCriteriaGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_criteria_group_finalize;
  object_class->get_property = enr_criteria_group_get_property;
  object_class->set_property = enr_criteria_group_set_property;

  criteria_group_properties[CRITERIA_GROUP_PROP_DESCRIPTION] =
    enr_param_spec_required (g_param_spec_string ("description", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  criteria_group_properties[CRITERIA_GROUP_PROP_CRITERIA] =
    enr_param_spec_array_of (g_param_spec_boxed ("criteria", NULL, NULL,
                                                 G_TYPE_PTR_ARRAY,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)),
                             ENR_TYPE_CRITERION);

  criteria_group_properties[CRITERIA_GROUP_PROP_IF_EXHAUSTED] =
    enr_param_spec_required (g_param_spec_enum ("if-exhausted", NULL, NULL,
                                                ENR_TYPE_CRITERION_OUTCOME,
                                                ENR_CRITERION_OUTCOME_ELIGIBLE,
                                                (G_PARAM_READWRITE |
                                                 G_PARAM_EXPLICIT_NOTIFY |
                                                 G_PARAM_STATIC_STRINGS)));

  criteria_group_properties[CRITERIA_GROUP_PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, CRITERIA_GROUP_N_PROPS, criteria_group_properties);
}

static void
enr_criteria_group_init (EnrCriteriaGroup *self)
{
  self->criteria = g_ptr_array_new_with_free_func (g_object_unref);
}

EnrCriteriaGroup *
enr_criteria_group_new (void)
{
  return g_object_new (ENR_TYPE_CRITERIA_GROUP, NULL);
}

const char *
enr_criteria_group_get_description (EnrCriteriaGroup *self)
{
  g_return_val_if_fail (ENR_IS_CRITERIA_GROUP (self), NULL);

  return self->description;
}

void
enr_criteria_group_set_description (EnrCriteriaGroup *self,
                                    const char       *description)
{
  g_return_if_fail (ENR_IS_CRITERIA_GROUP (self));

  if (enr_set_string (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), criteria_group_properties[CRITERIA_GROUP_PROP_DESCRIPTION]);
}

GPtrArray *
enr_criteria_group_get_criteria (EnrCriteriaGroup *self)
{
  g_return_val_if_fail (ENR_IS_CRITERIA_GROUP (self), NULL);

  return self->criteria;
}

void
enr_criteria_group_set_criteria (EnrCriteriaGroup *self,
                                 GPtrArray        *criteria)
{
  g_return_if_fail (ENR_IS_CRITERIA_GROUP (self));

  if (enr_set_array (&self->criteria, criteria))
    g_object_notify_by_pspec (G_OBJECT (self), criteria_group_properties[CRITERIA_GROUP_PROP_CRITERIA]);
}

void
enr_criteria_group_add_criterion (EnrCriteriaGroup *self,
                                  EnrCriterion     *criterion)
{
  g_return_if_fail (ENR_IS_CRITERIA_GROUP (self));
  g_return_if_fail (ENR_IS_CRITERION (criterion));

  g_ptr_array_add (self->criteria, g_object_ref (criterion));
  g_object_notify_by_pspec (G_OBJECT (self), criteria_group_properties[CRITERIA_GROUP_PROP_CRITERIA]);
}

EnrCriterionOutcome
enr_criteria_group_get_if_exhausted (EnrCriteriaGroup *self)
{
  g_return_val_if_fail (ENR_IS_CRITERIA_GROUP (self), ENR_CRITERION_OUTCOME_ELIGIBLE);

  return self->if_exhausted;
}

void
enr_criteria_group_set_if_exhausted (EnrCriteriaGroup   *self,
                                     EnrCriterionOutcome if_exhausted)
{
  g_return_if_fail (ENR_IS_CRITERIA_GROUP (self));

  if (self->if_exhausted == if_exhausted)
    return;

  self->if_exhausted = if_exhausted;
  g_object_notify_by_pspec (G_OBJECT (self), criteria_group_properties[CRITERIA_GROUP_PROP_IF_EXHAUSTED]);
}

const char *
enr_criteria_group_get_reason (EnrCriteriaGroup *self)
{
  g_return_val_if_fail (ENR_IS_CRITERIA_GROUP (self), NULL);

  return self->reason;
}

void
enr_criteria_group_set_reason (EnrCriteriaGroup *self,
                               const char       *reason)
{
  g_return_if_fail (ENR_IS_CRITERIA_GROUP (self));

  if (enr_set_string (&self->reason, reason))
    g_object_notify_by_pspec (G_OBJECT (self), criteria_group_properties[CRITERIA_GROUP_PROP_REASON]);
}

static void
enr_initiative_finalize (GObject *object)
{
  EnrInitiative *self = ENR_INITIATIVE (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->groups, g_ptr_array_unref);

  G_OBJECT_CLASS (enr_initiative_parent_class)->finalize (object);
}

static void
enr_initiative_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EnrInitiative *self = ENR_INITIATIVE (object);

  switch (prop_id)
    {
    case INITIATIVE_PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case INITIATIVE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case INITIATIVE_PROP_GROUPS:
      g_value_set_boxed (value, self->groups);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_initiative_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EnrInitiative *self = ENR_INITIATIVE (object);

  switch (prop_id)
    {
    case INITIATIVE_PROP_CODE:
      enr_initiative_set_code (self, g_value_get_string (value));
      break;

    case INITIATIVE_PROP_NAME:
      enr_initiative_set_name (self, g_value_get_string (value));
      break;

    case INITIATIVE_PROP_GROUPS:
      enr_initiative_set_groups (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_initiative_class_init (EnrInitiativeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_initiative_finalize;
  object_class->get_property = enr_initiative_get_property;
  object_class->set_property = enr_initiative_set_property;

  initiative_properties[INITIATIVE_PROP_CODE] =
    enr_param_spec_required (g_param_spec_string ("code", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  initiative_properties[INITIATIVE_PROP_NAME] =
    enr_param_spec_required (g_param_spec_string ("name", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  initiative_properties[INITIATIVE_PROP_GROUPS] =
    enr_param_spec_array_of (g_param_spec_boxed ("groups", NULL, NULL,
                                                 G_TYPE_PTR_ARRAY,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)),
                             ENR_TYPE_CRITERIA_GROUP);

  g_object_class_install_properties (object_class, INITIATIVE_N_PROPS, initiative_properties);
}

static void
enr_initiative_init (EnrInitiative *self)
{
  self->groups = g_ptr_array_new_with_free_func (g_object_unref);
}

EnrInitiative *
enr_initiative_new (void)
{
  return g_object_new (ENR_TYPE_INITIATIVE, NULL);
}

const char *
enr_initiative_get_code (EnrInitiative *self)
{
  g_return_val_if_fail (ENR_IS_INITIATIVE (self), NULL);

  return self->code;
}

void
enr_initiative_set_code (EnrInitiative *self,
                         const char    *code)
{
  g_return_if_fail (ENR_IS_INITIATIVE (self));

  if (enr_set_string (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), initiative_properties[INITIATIVE_PROP_CODE]);
}

const char *
enr_initiative_get_name (EnrInitiative *self)
{
  g_return_val_if_fail (ENR_IS_INITIATIVE (self), NULL);

  return self->name;
}

void
enr_initiative_set_name (EnrInitiative *self,
                         const char    *name)
{
  g_return_if_fail (ENR_IS_INITIATIVE (self));

  if (enr_set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), initiative_properties[INITIATIVE_PROP_NAME]);
}

GPtrArray *
enr_initiative_get_groups (EnrInitiative *self)
{
  g_return_val_if_fail (ENR_IS_INITIATIVE (self), NULL);

  return self->groups;
}

void
enr_initiative_set_groups (EnrInitiative *self,
                           GPtrArray     *groups)
{
  g_return_if_fail (ENR_IS_INITIATIVE (self));

  if (enr_set_array (&self->groups, groups))
    g_object_notify_by_pspec (G_OBJECT (self), initiative_properties[INITIATIVE_PROP_GROUPS]);
}

void
enr_initiative_add_group (EnrInitiative    *self,
                          EnrCriteriaGroup *group)
{
  g_return_if_fail (ENR_IS_INITIATIVE (self));
  g_return_if_fail (ENR_IS_CRITERIA_GROUP (group));

  g_ptr_array_add (self->groups, g_object_ref (group));
  g_object_notify_by_pspec (G_OBJECT (self), initiative_properties[INITIATIVE_PROP_GROUPS]);
}

/* enr-eligibility-result.c — what an eligibility check found: eligible or not, and why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "enr-codec.h"
#include "enr-core-private.h"
#include "enr-eligibility.h"

struct _EnrEligibilityReason
{
  GObject parent_instance;

  char *code;
  char *text;
};

struct _EnrEligibilityResult
{
  GObject parent_instance;

  GPtrArray *reasons;
  guint eligible : 1;
};

G_DEFINE_FINAL_TYPE (EnrEligibilityReason, enr_eligibility_reason, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (EnrEligibilityResult, enr_eligibility_result, G_TYPE_OBJECT)

enum {
  REASON_PROP_0,
  REASON_PROP_CODE,
  REASON_PROP_TEXT,
  REASON_N_PROPS
};

enum {
  RESULT_PROP_0,
  RESULT_PROP_ELIGIBLE,
  RESULT_PROP_REASONS,
  RESULT_N_PROPS
};

static GParamSpec *reason_properties[REASON_N_PROPS];
static GParamSpec *result_properties[RESULT_N_PROPS];

/* Reason */

static void
enr_eligibility_reason_finalize (GObject *object)
{
  EnrEligibilityReason *self = ENR_ELIGIBILITY_REASON (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (enr_eligibility_reason_parent_class)->finalize (object);
}

static void
enr_eligibility_reason_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  EnrEligibilityReason *self = ENR_ELIGIBILITY_REASON (object);

  switch (prop_id)
    {
    case REASON_PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case REASON_PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_eligibility_reason_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  EnrEligibilityReason *self = ENR_ELIGIBILITY_REASON (object);

  switch (prop_id)
    {
    case REASON_PROP_CODE:
      enr_eligibility_reason_set_code (self, g_value_get_string (value));
      break;

    case REASON_PROP_TEXT:
      enr_eligibility_reason_set_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_eligibility_reason_class_init (EnrEligibilityReasonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_eligibility_reason_finalize;
  object_class->get_property = enr_eligibility_reason_get_property;
  object_class->set_property = enr_eligibility_reason_set_property;

  reason_properties[REASON_PROP_CODE] =
    enr_param_spec_required (g_param_spec_string ("code", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  reason_properties[REASON_PROP_TEXT] =
    enr_param_spec_required (g_param_spec_string ("text", NULL, NULL,
                                                  NULL,
                                                  (G_PARAM_READWRITE |
                                                   G_PARAM_EXPLICIT_NOTIFY |
                                                   G_PARAM_STATIC_STRINGS)));

  g_object_class_install_properties (object_class, REASON_N_PROPS, reason_properties);
}

static void
enr_eligibility_reason_init (EnrEligibilityReason *self)
{
}

EnrEligibilityReason *
enr_eligibility_reason_new (const char *code,
                            const char *text)
{
  return g_object_new (ENR_TYPE_ELIGIBILITY_REASON,
                       "code", code,
                       "text", text,
                       NULL);
}

const char *
enr_eligibility_reason_get_code (EnrEligibilityReason *self)
{
  g_return_val_if_fail (ENR_IS_ELIGIBILITY_REASON (self), NULL);

  return self->code;
}

void
enr_eligibility_reason_set_code (EnrEligibilityReason *self,
                                 const char           *code)
{
  g_return_if_fail (ENR_IS_ELIGIBILITY_REASON (self));

  if (enr_set_string (&self->code, code))
    g_object_notify_by_pspec (G_OBJECT (self), reason_properties[REASON_PROP_CODE]);
}

const char *
enr_eligibility_reason_get_text (EnrEligibilityReason *self)
{
  g_return_val_if_fail (ENR_IS_ELIGIBILITY_REASON (self), NULL);

  return self->text;
}

void
enr_eligibility_reason_set_text (EnrEligibilityReason *self,
                                 const char           *text)
{
  g_return_if_fail (ENR_IS_ELIGIBILITY_REASON (self));

  if (enr_set_string (&self->text, text))
    g_object_notify_by_pspec (G_OBJECT (self), reason_properties[REASON_PROP_TEXT]);
}

/* Result */

static void
enr_eligibility_result_finalize (GObject *object)
{
  EnrEligibilityResult *self = ENR_ELIGIBILITY_RESULT (object);

  g_clear_pointer (&self->reasons, g_ptr_array_unref);

  G_OBJECT_CLASS (enr_eligibility_result_parent_class)->finalize (object);
}

static void
enr_eligibility_result_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  EnrEligibilityResult *self = ENR_ELIGIBILITY_RESULT (object);

  switch (prop_id)
    {
    case RESULT_PROP_ELIGIBLE:
      g_value_set_boolean (value, self->eligible);
      break;

    case RESULT_PROP_REASONS:
      g_value_set_boxed (value, self->reasons);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_eligibility_result_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  EnrEligibilityResult *self = ENR_ELIGIBILITY_RESULT (object);

  switch (prop_id)
    {
    case RESULT_PROP_ELIGIBLE:
      enr_eligibility_result_set_eligible (self, g_value_get_boolean (value));
      break;

    case RESULT_PROP_REASONS:
      enr_eligibility_result_set_reasons (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_eligibility_result_class_init (EnrEligibilityResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_eligibility_result_finalize;
  object_class->get_property = enr_eligibility_result_get_property;
  object_class->set_property = enr_eligibility_result_set_property;

  result_properties[RESULT_PROP_ELIGIBLE] =
    g_param_spec_boolean ("eligible", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  result_properties[RESULT_PROP_REASONS] =
    enr_param_spec_array_of (g_param_spec_boxed ("reasons", NULL, NULL,
                                                 G_TYPE_PTR_ARRAY,
                                                 (G_PARAM_READWRITE |
                                                  G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS)),
                             ENR_TYPE_ELIGIBILITY_REASON);

  g_object_class_install_properties (object_class, RESULT_N_PROPS, result_properties);
}

static void
enr_eligibility_result_init (EnrEligibilityResult *self)
{
  self->eligible = TRUE;
  self->reasons = g_ptr_array_new_with_free_func (g_object_unref);
}

EnrEligibilityResult *
enr_eligibility_result_new (void)
{
  return g_object_new (ENR_TYPE_ELIGIBILITY_RESULT, NULL);
}

gboolean
enr_eligibility_result_is_eligible (EnrEligibilityResult *self)
{
  g_return_val_if_fail (ENR_IS_ELIGIBILITY_RESULT (self), FALSE);

  return self->eligible;
}

gboolean
enr_eligibility_result_get_eligible (EnrEligibilityResult *self)
{
  return enr_eligibility_result_is_eligible (self);
}

void
enr_eligibility_result_set_eligible (EnrEligibilityResult *self,
                                     gboolean              eligible)
{
  g_return_if_fail (ENR_IS_ELIGIBILITY_RESULT (self));

  eligible = !!eligible;

  if (self->eligible == eligible)
    return;

  self->eligible = eligible;
  g_object_notify_by_pspec (G_OBJECT (self), result_properties[RESULT_PROP_ELIGIBLE]);
}

/**
 * enr_eligibility_result_get_reasons:
 *
 * Returns: (transfer none) (element-type EnrEligibilityReason): the reasons,
 *   in rule order; never %NULL
 */
GPtrArray *
enr_eligibility_result_get_reasons (EnrEligibilityResult *self)
{
  g_return_val_if_fail (ENR_IS_ELIGIBILITY_RESULT (self), NULL);

  return self->reasons;
}

/**
 * enr_eligibility_result_set_reasons:
 * @reasons: (nullable) (element-type EnrEligibilityReason): copied
 *
 * Replaces the reasons. Does not touch #EnrEligibilityResult:eligible, so a
 * decoded result keeps the service's verdict.
 */
void
enr_eligibility_result_set_reasons (EnrEligibilityResult *self,
                                    GPtrArray            *reasons)
{
  g_return_if_fail (ENR_IS_ELIGIBILITY_RESULT (self));

  if (reasons == self->reasons)
    return;

  g_ptr_array_set_size (self->reasons, 0);

  if (reasons != NULL)
    {
      for (guint i = 0; i < reasons->len; i++)
        {
          EnrEligibilityReason *reason = g_ptr_array_index (reasons, i);

          g_return_if_fail (ENR_IS_ELIGIBILITY_REASON (reason));
          g_ptr_array_add (self->reasons, g_object_ref (reason));
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), result_properties[RESULT_PROP_REASONS]);
}

/**
 * enr_eligibility_result_add_reason:
 *
 * Appends a reason and makes the result ineligible.
 */
void
enr_eligibility_result_add_reason (EnrEligibilityResult *self,
                                   const char           *code,
                                   const char           *text)
{
  g_return_if_fail (ENR_IS_ELIGIBILITY_RESULT (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (text != NULL);

  g_ptr_array_add (self->reasons, enr_eligibility_reason_new (code, text));
  g_object_notify_by_pspec (G_OBJECT (self), result_properties[RESULT_PROP_REASONS]);
  enr_eligibility_result_set_eligible (self, FALSE);
}

gboolean
enr_eligibility_result_has_reason (EnrEligibilityResult *self,
                                   const char           *code)
{
  g_return_val_if_fail (ENR_IS_ELIGIBILITY_RESULT (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  for (guint i = 0; i < self->reasons->len; i++)
    {
      EnrEligibilityReason *reason = g_ptr_array_index (self->reasons, i);

      if (g_strcmp0 (reason->code, code) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * enr_eligibility_result_join_reasons:
 * @separator: (nullable): between two texts; %NULL = "\n"
 *
 * Returns: (transfer full): the reasons' texts joined, "" when there is none
 */
char *
enr_eligibility_result_join_reasons (EnrEligibilityResult *self,
                                     const char           *separator)
{
  GString *text;

  g_return_val_if_fail (ENR_IS_ELIGIBILITY_RESULT (self), NULL);

  if (separator == NULL)
    separator = "\n";

  text = g_string_new (NULL);

  for (guint i = 0; i < self->reasons->len; i++)
    {
      EnrEligibilityReason *reason = g_ptr_array_index (self->reasons, i);

      if (i > 0)
        g_string_append (text, separator);
      g_string_append (text, reason->text != NULL ? reason->text : "");
    }

  return g_string_free (text, FALSE);
}

/* enr-program-row.c — one program of the Eligible Programs zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The program, Eligible or Not eligible with every reason, and an
 * "Enroll in <program>" button (customer.enroll with the program id)
 * when eligible; the row is then activatable (Return enrolls).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-gui-utils.h"
#include "enr-program-row.h"

struct _EnrProgramRow
{
  GtkListBoxRow         parent_instance;

  GtkLabel             *name_label;
  GtkLabel             *status_label;
  GtkLabel             *type_label;
  GtkBox               *reasons_box;
  GtkButton            *enroll_button;

  EnrProgram           *program;
  EnrEligibilityResult *result;
};

G_DEFINE_FINAL_TYPE (EnrProgramRow, enr_program_row, GTK_TYPE_LIST_BOX_ROW)

static void
enr_program_row_dispose (GObject *object)
{
  EnrProgramRow *self = (EnrProgramRow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_PROGRAM_ROW);
  g_clear_object (&self->program);
  g_clear_object (&self->result);

  G_OBJECT_CLASS (enr_program_row_parent_class)->dispose (object);
}

static void
enr_program_row_class_init (EnrProgramRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_program_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/customer/enr-program-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrProgramRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramRow, type_label);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramRow, reasons_box);
  gtk_widget_class_bind_template_child (widget_class, EnrProgramRow, enroll_button);
}

static void
enr_program_row_init (EnrProgramRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  enr_button_set_accessible_name (GTK_WIDGET (self->enroll_button));
}

/**
 * enr_program_row_new:
 * @program_type: (nullable): the program's type
 * @result: the customer's eligibility for @program
 */
GtkWidget *
enr_program_row_new (EnrProgram           *program,
                     EnrProgramType       *program_type,
                     EnrEligibilityResult *result)
{
  EnrProgramRow *self;
  GPtrArray *reasons;
  gboolean eligible;
  g_autofree char *accessible = NULL;
  g_autofree char *button_label = NULL;

  g_return_val_if_fail (ENR_IS_PROGRAM (program), NULL);
  g_return_val_if_fail (ENR_IS_ELIGIBILITY_RESULT (result), NULL);

  self = g_object_new (ENR_TYPE_PROGRAM_ROW, NULL);
  self->program = g_object_ref (program);
  self->result = g_object_ref (result);
  eligible = enr_eligibility_result_is_eligible (result);

  gtk_label_set_text (self->name_label, enr_program_get_name (program));
  gtk_label_set_text (self->status_label, eligible ? _("Eligible") : _("Not eligible"));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), eligible ? "success" : "error");
  gtk_label_set_text (self->type_label, program_type ? enr_program_type_get_name (program_type) : "");

  reasons = enr_eligibility_result_get_reasons (result);
  for (guint i = 0; !eligible && reasons != NULL && i < reasons->len; i++)
    {
      EnrEligibilityReason *reason = g_ptr_array_index (reasons, i);
      g_autofree char *text = g_strdup_printf ("• %s", enr_eligibility_reason_get_text (reason));
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "reason");
      enr_widget_set_accessible_label (label, enr_eligibility_reason_get_text (reason));
      gtk_box_append (self->reasons_box, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->reasons_box), !eligible);

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->enroll_button), "s",
                                    enr_entity_get_id (ENR_ENTITY (program)));
  /* Translators: the button that starts an enrollment, e.g.
   * "Enroll in Smart Thermostat Rewards" */
  button_label = g_strdup_printf (_("Enroll in %s"), enr_program_get_name (program));
  gtk_button_set_label (self->enroll_button, button_label);
  enr_button_set_accessible_name (GTK_WIDGET (self->enroll_button));
  gtk_widget_set_visible (GTK_WIDGET (self->enroll_button), eligible);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), eligible);

  /* Translators: a program row read by assistive technology, e.g.
   * "Smart Thermostat Rewards: Eligible" */
  accessible = g_strdup_printf (_("%s: %s"), enr_program_get_name (program),
                                eligible ? _("Eligible") : _("Not eligible"));
  enr_widget_set_accessible_label (GTK_WIDGET (self), accessible);

  return GTK_WIDGET (self);
}

EnrProgram *
enr_program_row_get_program (EnrProgramRow *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_ROW (self), NULL);

  return self->program;
}

EnrEligibilityResult *
enr_program_row_get_result (EnrProgramRow *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_ROW (self), NULL);

  return self->result;
}

GtkWidget *
enr_program_row_get_enroll_button (EnrProgramRow *self)
{
  g_return_val_if_fail (ENR_IS_PROGRAM_ROW (self), NULL);

  return GTK_WIDGET (self->enroll_button);
}

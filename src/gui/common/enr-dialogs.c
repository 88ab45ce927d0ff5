/* enr-dialogs.c — confirmations more than one window asks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-dialogs.h"
#include "enr-gui-utils.h"

/**
 * enr_cancel_process_dialog_new:
 * @parent: (nullable): the window it is modal for
 *
 * "Cancel this process?", asked before a process flow is canceled, from
 * its assistant or from the Customer View, with an optional Reason that
 * goes with the cancellation to the service. It answers
 * %GTK_RESPONSE_ACCEPT for Cancel Process and %GTK_RESPONSE_CANCEL (the
 * default) for Keep Process; the caller connects to "response", reads
 * enr_cancel_process_dialog_get_reason(), destroys it and presents it.
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget *
enr_cancel_process_dialog_new (GtkWindow *parent)
{
  GtkWidget *dialog;
  GtkWidget *button;
  GtkWidget *entry;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  dialog = gtk_message_dialog_new (parent,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   "%s", _("Cancel this process?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("The service task becomes Canceled and its appointments are released. This cannot be undone."));

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (optional), e.g. the customer changed their mind"));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 500);
  gtk_widget_set_margin_top (entry, 6);
  enr_widget_set_accessible_label (entry, _("Reason"));
  gtk_box_append (GTK_BOX (gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (dialog))), entry);
  enr_button_set_accessible_name (gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Keep Process"), GTK_RESPONSE_CANCEL));
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel Process"), GTK_RESPONSE_ACCEPT);
  enr_button_set_accessible_name (button);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  gtk_widget_add_css_class (dialog, "cancel-process-dialog");

  return dialog;
}

/**
 * enr_cancel_process_dialog_get_reason:
 * @dialog: a dialog of enr_cancel_process_dialog_new()
 *
 * Returns: the Reason typed, possibly empty
 */
const char *
enr_cancel_process_dialog_get_reason (GtkWidget *dialog)
{
  GtkWidget *area;

  g_return_val_if_fail (GTK_IS_MESSAGE_DIALOG (dialog), "");

  area = gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (dialog));
  for (GtkWidget *child = gtk_widget_get_first_child (area); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_ENTRY (child))
      return gtk_editable_get_text (GTK_EDITABLE (child));

  return "";
}

/* enr-preferences-dialog.c — the service address and its certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Edits the GSettings keys service-url and ca-file. Save checks both
 * first (an address the client accepts: HTTPS, or plain HTTP on this
 * computer; a readable PEM file of certificate authorities) and shows
 * what is wrong next to the field; the application applies the new
 * values to its API client (a new address asks for a new sign-in).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-api-client.h"
#include "enr-gui-utils.h"
#include "enr-preferences-dialog.h"

struct _EnrPreferencesDialog
{
  GtkWindow             parent_instance;

  GtkEntry             *service_entry;
  GtkEntry             *ca_entry;
  GtkWidget            *choose_button;
  GtkWidget            *save_button;
  GtkWidget            *cancel_button;
  GtkLabel             *error_label;

  GSettings            *settings;
  GtkFileChooserNative *chooser;
  char                 *error_text;
};

G_DEFINE_FINAL_TYPE (EnrPreferencesDialog, enr_preferences_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_error (EnrPreferencesDialog *self,
            const char           *text,
            GtkWidget            *field)
{
  g_free (self->error_text);
  self->error_text = g_strdup (text);

  enr_widget_set_invalid (GTK_WIDGET (self->service_entry), field == GTK_WIDGET (self->service_entry));
  enr_widget_set_invalid (GTK_WIDGET (self->ca_entry), field == GTK_WIDGET (self->ca_entry));
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);

  if (field != NULL)
    {
      gtk_accessible_update_relation (GTK_ACCESSIBLE (field),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                      -1);
      gtk_widget_grab_focus (field);
    }
}

static void
on_field_changed_cb (EnrPreferencesDialog *self)
{
  if (self->error_text != NULL)
    show_error (self, NULL, NULL);
}

static void
on_save_clicked_cb (EnrPreferencesDialog *self)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->service_entry))));
  g_autofree char *ca_file = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ca_entry))));
  g_autoptr(EnrApiClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (url[0] == '\0')
    {
      show_error (self, _("Enter the address of the enrollment service."), GTK_WIDGET (self->service_entry));
      return;
    }

  if (!(client = enr_api_client_new (url, &error)))
    {
      show_error (self, error->message, GTK_WIDGET (self->service_entry));
      return;
    }

  if (ca_file[0] != '\0' && !enr_api_client_set_ca_file (client, ca_file, &error))
    {
      show_error (self, error->message, GTK_WIDGET (self->ca_entry));
      return;
    }

  show_error (self, NULL, NULL);
  g_settings_set_string (self->settings, "service-url", enr_api_client_get_base_url (client));
  g_settings_set_string (self->settings, "ca-file", ca_file);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_chooser_response_cb (EnrPreferencesDialog *self,
                        int                   response,
                        GtkNativeDialog      *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->ca_entry), path);
    }

  g_clear_object (&self->chooser);
}

static void
on_choose_clicked_cb (EnrPreferencesDialog *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Certificate Authorities"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PEM certificates"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
enr_preferences_dialog_constructed (GObject *object)
{
  EnrPreferencesDialog *self = (EnrPreferencesDialog *) object;
  g_autofree char *url = NULL;
  g_autofree char *ca_file = NULL;

  G_OBJECT_CLASS (enr_preferences_dialog_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  url = g_settings_get_string (self->settings, "service-url");
  ca_file = g_settings_get_string (self->settings, "ca-file");
  gtk_editable_set_text (GTK_EDITABLE (self->service_entry), url);
  gtk_editable_set_text (GTK_EDITABLE (self->ca_entry), ca_file);

  g_signal_connect_object (self->service_entry, "changed", G_CALLBACK (on_field_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->ca_entry, "changed", G_CALLBACK (on_field_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
enr_preferences_dialog_dispose (GObject *object)
{
  EnrPreferencesDialog *self = (EnrPreferencesDialog *) object;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_PREFERENCES_DIALOG);

  G_OBJECT_CLASS (enr_preferences_dialog_parent_class)->dispose (object);
}

static void
enr_preferences_dialog_finalize (GObject *object)
{
  EnrPreferencesDialog *self = (EnrPreferencesDialog *) object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->error_text, g_free);

  G_OBJECT_CLASS (enr_preferences_dialog_parent_class)->finalize (object);
}

static void
enr_preferences_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  EnrPreferencesDialog *self = ENR_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_preferences_dialog_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  EnrPreferencesDialog *self = ENR_PREFERENCES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_preferences_dialog_class_init (EnrPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = enr_preferences_dialog_constructed;
  object_class->dispose = enr_preferences_dialog_dispose;
  object_class->finalize = enr_preferences_dialog_finalize;
  object_class->get_property = enr_preferences_dialog_get_property;
  object_class->set_property = enr_preferences_dialog_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/session/enr-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrPreferencesDialog, service_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrPreferencesDialog, ca_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrPreferencesDialog, choose_button);
  gtk_widget_class_bind_template_child (widget_class, EnrPreferencesDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, EnrPreferencesDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, EnrPreferencesDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
enr_preferences_dialog_init (EnrPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The accessible name is the field's label once, not label + caption. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->service_entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->ca_entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  enr_button_set_accessible_name (self->save_button);
  enr_button_set_accessible_name (self->cancel_button);
  enr_button_set_accessible_name (self->choose_button);
}

EnrPreferencesDialog *
enr_preferences_dialog_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (ENR_TYPE_PREFERENCES_DIALOG,
                       "settings", settings,
                       NULL);
}

/**
 * enr_preferences_dialog_get_error:
 *
 * Returns: (nullable): the message shown about a field, if any
 */
const char *
enr_preferences_dialog_get_error (EnrPreferencesDialog *self)
{
  g_return_val_if_fail (ENR_IS_PREFERENCES_DIALOG (self), NULL);

  return self->error_text;
}

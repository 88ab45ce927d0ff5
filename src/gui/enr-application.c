/* enr-application.c — the Enrollment Desk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens the client store (--store, else the default path under the XDG
 * data directory; --import loads a data set into it, for working without
 * the service), keeps the context every window shares, and provides the
 * application actions: quit (Ctrl+Q), new-window (Ctrl+N), search
 * (Ctrl+F), about; GtkApplication adds the shortcuts window (Ctrl+?) from
 * gtk/help-overlay.ui; the style sheet is loaded from the resources.
 */

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>

#include "enr-application.h"
#include "enr-dataset-import.h"
#include "enr-gui-utils.h"
#include "enr-window.h"

struct _EnrApplication
{
  GtkApplication  parent_instance;

  EnrContext     *context;
  char           *store_path;
  char           *import_dir;
  char           *customer_id;
  GError         *startup_error;
};

G_DEFINE_FINAL_TYPE (EnrApplication, enr_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The client store to use"), N_("FILE") },
  { "import", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Load a data set into the client store first"), N_("DIRECTORY") },
  { "customer", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Open this customer"), N_("ID") },
  { NULL }
};

static EnrWindow *
get_main_window (EnrApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (GList *l = windows; l != NULL; l = l->next)
    if (ENR_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static EnrWindow *
create_window (EnrApplication *self)
{
  return enr_window_new (GTK_APPLICATION (self), self->context);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  EnrApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Each window asks about changes not yet saved for the service. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);

  g_list_free (windows);
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  EnrApplication *self = user_data;

  if (self->context != NULL)
    gtk_window_present (GTK_WINDOW (create_window (self)));
}

static void
search_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  EnrApplication *self = user_data;
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
  EnrWindow *window = ENR_IS_WINDOW (active) ? ENR_WINDOW (active) : get_main_window (self);

  if (window == NULL)
    return;

  gtk_window_present (GTK_WINDOW (window));
  enr_window_focus_search (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  EnrApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Enrollment Desk developers", NULL };

  gtk_show_about_dialog (parent,
                         "program-name", _("Enrollment Desk"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Enroll utility customers in demand-response and energy programs, and unenroll them"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", developers,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_entries[] = {
  { "quit", quit_action },
  { "new-window", new_window_action },
  { "search", search_action },
  { "about", about_action },
};

static gint
enr_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  EnrApplication *self = ENR_APPLICATION (application);

  g_variant_dict_lookup (options, "store", "^ay", &self->store_path);
  g_variant_dict_lookup (options, "import", "^ay", &self->import_dir);
  g_variant_dict_lookup (options, "customer", "s", &self->customer_id);

  return G_APPLICATION_CLASS (enr_application_parent_class)->handle_local_options (application, options);
}

static gboolean
open_store (EnrApplication  *self,
            GError         **error)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(EnrStore) store = NULL;
  g_autofree char *path = NULL;
  g_autofree char *directory = NULL;

  path = self->store_path ? g_strdup (self->store_path) : enr_store_get_default_path ();
  directory = g_path_get_dirname (path);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), directory, g_strerror (saved_errno));
      return FALSE;
    }

  store = enr_store_new (path, NULL, error);
  if (store == NULL)
    return FALSE;

  if (self->import_dir != NULL)
    {
      g_autoptr(GFile) dataset = g_file_new_for_commandline_arg (self->import_dir);

      if (!enr_dataset_import (store, dataset, NULL, NULL, error))
        return FALSE;
    }

  self->context = enr_context_new (store, settings);
  return TRUE;
}

static void
enr_application_startup (GApplication *application)
{
  EnrApplication *self = ENR_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_window_accels[] = { "<Control>n", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };

  /* The resources first: GtkApplication loads the shortcuts window
   * (gtk/help-overlay.ui) from them while starting up. */
  enr_gui_init ();

  G_APPLICATION_CLASS (enr_application_parent_class)->startup (application);

  enr_gui_load_style ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window", new_window_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.search", search_accels);

  if (!open_store (self, &self->startup_error))
    g_warning ("Could not open the client store: %s", self->startup_error->message);
}

static void
on_error_response_cb (GtkDialog      *dialog,
                      int             response,
                      EnrApplication *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_application_quit (G_APPLICATION (self));
}

static void
enr_application_activate (GApplication *application)
{
  EnrApplication *self = ENR_APPLICATION (application);
  EnrWindow *window;

  if (self->context == NULL)
    {
      GtkWidget *dialog;

      dialog = gtk_message_dialog_new (NULL, 0, GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                       "%s", _("Enrollment Desk cannot start"));
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                                self->startup_error ? self->startup_error->message : "");
      gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_error_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  window = get_main_window (self);
  if (window == NULL)
    window = create_window (self);

  if (self->customer_id != NULL)
    {
      enr_window_show_customer (window, self->customer_id);
      g_clear_pointer (&self->customer_id, g_free);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
enr_application_finalize (GObject *object)
{
  EnrApplication *self = (EnrApplication *) object;

  g_clear_object (&self->context);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->import_dir, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_error (&self->startup_error);

  G_OBJECT_CLASS (enr_application_parent_class)->finalize (object);
}

static void
enr_application_class_init (EnrApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = enr_application_finalize;

  application_class->handle_local_options = enr_application_handle_local_options;
  application_class->startup = enr_application_startup;
  application_class->activate = enr_application_activate;
}

static void
enr_application_init (EnrApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Enroll and unenroll utility customers in programs."));
}

EnrApplication *
enr_application_new (void)
{
  return g_object_new (ENR_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/enrollmentdesk/EnrollmentDesk",
                       NULL);
}

/**
 * enr_application_get_context:
 *
 * Returns: (transfer none) (nullable): the shared context, %NULL when the
 *   store could not be opened
 */
EnrContext *
enr_application_get_context (EnrApplication *self)
{
  g_return_val_if_fail (ENR_IS_APPLICATION (self), NULL);

  return self->context;
}

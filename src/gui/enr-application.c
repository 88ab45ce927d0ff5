/* enr-application.c — the Enrollment Desk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens the client store (--store, else $ENR_STORE_PATH, else the default
 * path under the XDG data directory; --import loads a data set into it,
 * for working without the service), keeps the context every window
 * shares, and provides the application actions: quit (Ctrl+Q),
 * new-window (Ctrl+N), search (Ctrl+F), preferences (Ctrl+,), sign-in,
 * sign-out, remove-data (sign out and delete the store, refused while
 * any operation waits to be sent), about; the main window opens the shortcuts window (Ctrl+?,
 * win.show-help-overlay); the style sheet is loaded from the resources.
 * No window is kept hidden for later (see enr-window.c).
 *
 * Syncing: the API client (service-url and ca-file from GSettings, or
 * --service-url) and the sync engine are made at start-up and handed to
 * the context. The main window shows at once; without a session the
 * sign-in dialog opens over it, or the application signs in by itself
 * with --username and --password-file (a file only its owner may read:
 * a password never goes on a command line). --offline works offline with
 * the password of the user's last online sign-in here: from
 * --password-file, else typed in the sign-in dialog, which then works
 * offline on Enter (enr-offline-sign-in.c). Each online sign-in keeps a
 * verifier of the password for that. After a sign-in the engine runs (it watches the network
 * itself); a session the service ends (401) or a new service address
 * brings the sign-in dialog back. Closing the first sign-in dialog
 * without signing in quits; closing a later one keeps working offline.
 *
 * The idle lock (enr-idle-lock.c) hides every window's content after
 * "idle-lock-minutes" without use and asks for the password of the user
 * working here.
 *
 * --letter TASK-ID --pdf FILE writes the task's confirmation letter
 * (enr-letter.c) without a display and records it as sent, from
 * handle-local-options: GTK is never initialised, no window opens.
 *
 * With ENR_REPORT_FIRST_FRAME set, the main window's first painted frame
 * prints "first-frame <wall-clock µs>" on standard output (for
 * build-aux/bench-gui); "quit" as the value then quits.
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "enr-application.h"
#include "enr-dataset-import.h"
#include "enr-gui-utils.h"
#include "enr-idle-lock.h"
#include "enr-import-dialog.h"
#include "enr-letter.h"
#include "enr-offline-sign-in.h"
#include "enr-outbox.h"
#include "enr-preferences-dialog.h"
#include "enr-sign-in-dialog.h"
#include "enr-sign-in-util.h"
#include "enr-sync-engine.h"
#include "enr-sync-indicator.h"
#include "enr-window.h"

struct _EnrApplication
{
  GtkApplication  parent_instance;

  EnrContext     *context;
  EnrIdleLock    *idle_lock;
  char           *store_path;
  char           *import_dir;
  char           *customer_id;
  char           *import_file;   /* --import-enrollments, opened once signed in */
  GtkNativeDialog *import_chooser;
  GError         *startup_error;

  /* Syncing */
  EnrApiClient   *client;
  EnrSyncEngine  *engine;
  GtkWindow      *sign_in_dialog;
  EnrUser        *user;
  char           *service_url;
  char           *username;
  char           *password_file;
  /* Between an automatic sign-in and its verifier made. */
  char           *password;
  char           *sign_in_reason;
  gboolean        offline;
  gboolean        online;
  gboolean        started;
  gulong          first_frame_id;
};

G_DEFINE_FINAL_TYPE (EnrApplication, enr_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The client store to use"), N_("FILE") },
  { "import", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Load a data set into the client store first"), N_("DIRECTORY") },
  { "customer", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Open this customer"), N_("ID") },
  { "import-enrollments", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Import the enrollments of this CSV file (a preview first)"), N_("FILE") },
  { "service-url", 0, 0, G_OPTION_ARG_STRING, NULL, N_("The enrollment service to use this time"), N_("URL") },
  { "username", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Sign in as this user"), N_("NAME") },
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Sign in with the password in this file (readable by its owner only)"), N_("FILE") },
  { "offline", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Work offline with the data on this computer"), NULL },
  { "letter", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Write the confirmation letter of this service task to the --pdf file, record it as sent and quit (no window)"), N_("TASK-ID") },
  { "pdf", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The PDF file --letter writes"), N_("FILE") },
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

static void
on_first_frame_cb (GdkFrameClock  *clock,
                   EnrApplication *self)
{
  const char *mode = g_getenv ("ENR_REPORT_FIRST_FRAME");

  g_clear_signal_handler (&self->first_frame_id, clock);
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_real_time ());
  fflush (stdout);

  if (g_strcmp0 (mode, "quit") == 0)
    g_application_quit (G_APPLICATION (self));
}

static void
on_window_realized_cb (GtkWidget      *window,
                       EnrApplication *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  if (clock != NULL && self->first_frame_id == 0)
    self->first_frame_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_frame_cb), self);
}

static EnrWindow *
create_window (EnrApplication *self)
{
  EnrWindow *window = enr_window_new (GTK_APPLICATION (self), self->context);

  gtk_box_append (enr_window_get_sync_slot (window), enr_sync_indicator_new (self->context));

  return window;
}

/* Sessions */

static void
update_session_actions (EnrApplication *self)
{
  GAction *sign_out = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out");
  GAction *sign_in = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-in");
  GAction *remove_data = g_action_map_lookup_action (G_ACTION_MAP (self), "remove-data");
  GAction *import = g_action_map_lookup_action (G_ACTION_MAP (self), "import-enrollments");

  if (sign_out != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (sign_out), self->user != NULL);
  if (remove_data != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (remove_data), self->user != NULL);
  /* Imported enrollments are queued in the name of whoever works here. */
  if (import != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (import), self->user != NULL);
  if (sign_in != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (sign_in), self->engine != NULL && !self->online);
}

static void
open_import (EnrApplication *self,
             GFile          *file)
{
  EnrWindow *window = get_main_window (self);
  EnrImportDialog *dialog;

  if (self->context == NULL || self->user == NULL)
    return;

  dialog = enr_import_dialog_new (window != NULL ? GTK_WINDOW (window) : NULL, self->context, file);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_import_chooser_response_cb (GtkNativeDialog *chooser,
                               int              response,
                               EnrApplication  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->import_chooser);

  if (file != NULL)
    open_import (self, file);
}

static void
import_enrollments_action (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  EnrApplication *self = user_data;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  EnrWindow *window = get_main_window (self);

  if (self->import_chooser != NULL)
    return;

  self->import_chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Import Enrollments"),
                                                                         window != NULL ? GTK_WINDOW (window) : NULL,
                                                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                                                         _("_Preview"), _("_Cancel")));
  gtk_native_dialog_set_modal (self->import_chooser, TRUE);
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->import_chooser), filter);
  g_signal_connect_object (self->import_chooser, "response", G_CALLBACK (on_import_chooser_response_cb), self, 0);
  gtk_native_dialog_show (self->import_chooser);
}

static void open_pending_import_full (EnrApplication *self,
                                      gboolean        wait_for_data);

/* A failed first download opens it all the same (its rows then say
 * what is missing). */
static void
on_first_cycle_finished_cb (EnrSyncEngine  *engine,
                            gboolean        success,
                            EnrApplication *self)
{
  g_signal_handlers_disconnect_by_func (engine, on_first_cycle_finished_cb, self);
  open_pending_import_full (self, success);
}

/* The file of --import-enrollments, once someone is signed in and, on a
 * computer that never synced, once the first download is here: the rows
 * are judged against the customers on this computer. */
static void
open_pending_import_full (EnrApplication *self,
                          gboolean        wait_for_data)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GDateTime) last_sync = NULL;

  if (self->import_file == NULL || self->user == NULL || get_main_window (self) == NULL)
    return;

  last_sync = enr_store_get_last_sync (enr_context_get_store (self->context), NULL);
  if (wait_for_data && last_sync == NULL && self->online && self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->engine, on_first_cycle_finished_cb, self);
      g_signal_connect_object (self->engine, "cycle-finished", G_CALLBACK (on_first_cycle_finished_cb), self, 0);
      return;
    }

  file = g_file_new_for_commandline_arg (self->import_file);
  g_clear_pointer (&self->import_file, g_free);
  open_import (self, file);
}

static void
open_pending_import (EnrApplication *self)
{
  open_pending_import_full (self, TRUE);
}

static void
set_user (EnrApplication *self,
          EnrUser        *user,
          gboolean        online)
{
  g_set_object (&self->user, user);
  self->online = online && user != NULL;

  /* Whoever works here owns what they queue; after a sign-out nobody
   * does, until the next sign-in. */
  enr_context_set_username (self->context, user != NULL ? enr_user_get_username (user) : NULL);
  enr_context_set_role (self->context, user != NULL ? enr_user_get_role (user) : ENR_ROLE_CLERK);
  if (self->idle_lock != NULL)
    enr_idle_lock_set_user (self->idle_lock, user != NULL ? enr_user_get_username (user) : NULL);

  if (self->engine != NULL)
    {
      if (self->online)
        enr_sync_engine_start (self->engine);
      else
        enr_sync_engine_stop (self->engine);
    }

  update_session_actions (self);
  open_pending_import (self);
}

static void
on_sign_in_done_cb (EnrSignInDialog *dialog,
                    EnrUser         *user,
                    gboolean         offline,
                    EnrApplication  *self)
{
  GList *windows;

  if (self->sign_in_dialog == GTK_WINDOW (dialog))
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->sign_in_dialog);
      self->sign_in_dialog = NULL;
    }

  if (user != NULL)
    {
      set_user (self, user, !offline);
      return;
    }

  /* Closed: keep working offline as before, or there is nobody to work as. */
  if (self->user != NULL)
    return;

  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    if (l->data != (gpointer) dialog)
      gtk_window_close (l->data);
  g_list_free (windows);
}

/* @error: (nullable): why an automatic sign-in failed */
static void
show_sign_in (EnrApplication *self,
              const GError   *error)
{
  EnrSignInDialog *dialog;
  EnrWindow *window;

  if (self->context == NULL)
    return;

  if (self->sign_in_dialog != NULL)
    {
      if (error != NULL)
        enr_sign_in_dialog_show_error (ENR_SIGN_IN_DIALOG (self->sign_in_dialog), error);
      gtk_window_present (self->sign_in_dialog);
      return;
    }

  dialog = enr_sign_in_dialog_new (self->context);
  if (self->username != NULL)
    enr_sign_in_dialog_set_username (dialog, self->username);
  enr_sign_in_dialog_set_reason (dialog, self->sign_in_reason);
  g_clear_pointer (&self->sign_in_reason, g_free);
  if (error != NULL)
    enr_sign_in_dialog_show_error (dialog, error);

  window = get_main_window (self);
  if (window != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (window));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
    }
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect_object (dialog, "done", G_CALLBACK (on_sign_in_done_cb), self, 0);

  self->sign_in_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->sign_in_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
forget_password (EnrApplication *self)
{
  g_clear_pointer (&self->password, enr_password_free);
}

static void
on_remembered_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(EnrApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!enr_sign_in_remember_finish (ENR_STORE (source_object), result, &error))
    g_warning ("Could not keep the password's verifier for working offline: %s", error->message);
}

/* --offline without a password, or with a wrong one. */
static void
show_offline_sign_in (EnrApplication *self,
                      const GError   *error)
{
  show_sign_in (self, error);
  if (self->sign_in_dialog != NULL)
    enr_sign_in_dialog_prefer_offline (ENR_SIGN_IN_DIALOG (self->sign_in_dialog));
}

static void
on_auto_signed_in_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(EnrApplication) self = user_data;
  g_autoptr(EnrUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = enr_sync_engine_sign_in_finish (ENR_SYNC_ENGINE (source_object), result, &error);
  if (user == NULL)
    {
      forget_password (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_sign_in (self, error);
      return;
    }

  enr_sign_in_remember_async (enr_context_get_store (self->context), user, self->password, NULL,
                              on_remembered_cb, g_object_ref (self));
  forget_password (self);
  set_user (self, user, TRUE);
}

static void
on_offline_signed_in_cb (GObject      *source_object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(EnrApplication) self = user_data;
  g_autoptr(EnrUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = enr_sign_in_offline_finish (ENR_STORE (source_object), result, &error);
  if (user == NULL)
    {
      show_offline_sign_in (self, error);
      return;
    }

  set_user (self, user, FALSE);
}

/* The first line of a file only its owner may read. */
static char *
read_password_file (const char  *path,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  GStatBuf buf;
  gsize length = 0;
  char *password;

  if (g_stat (path, &buf) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot read the password file %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  if ((buf.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("The password file %s may be read by other users; make it readable by its owner only (chmod 600)."),
                   path);
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  password = g_strndup (contents, strcspn (contents, "\r\n"));
  explicit_bzero (contents, length);

  return password;
}

static void
start_session (EnrApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (self->started || self->context == NULL)
    return;
  self->started = TRUE;

  if (self->offline)
    {
      GSettings *settings = enr_context_get_settings (self->context);
      EnrStore *store = enr_context_get_store (self->context);
      g_autofree char *saved = settings != NULL ? g_settings_get_string (settings, "username") : g_strdup ("");
      const char *username = self->username != NULL ? self->username : saved;
      guint max_days = enr_sign_in_get_offline_days (settings);

      /* Asked for in the dialog, as for Work Offline, when not in a file. */
      if (self->password_file != NULL &&
          enr_sign_in_can_work_offline (store, username, max_days, &error))
        {
          g_autoptr(EnrPassword) password = read_password_file (self->password_file, &error);

          if (password != NULL)
            {
              enr_sign_in_offline_async (store, username, password, max_days, NULL,
                                         on_offline_signed_in_cb, g_object_ref (self));
              return;
            }
        }
      else if (error == NULL)
        enr_sign_in_can_work_offline (store, username, max_days, &error);

      if (error == NULL && username[0] != '\0')
        {
          g_clear_pointer (&self->sign_in_reason, g_free);
          self->sign_in_reason = g_strdup_printf (_("Enter the password of %s to work offline with the data on this computer."),
                                                  username);
        }
      show_offline_sign_in (self, error);
      return;
    }

  if (self->password_file != NULL && self->username != NULL && self->engine != NULL)
    {
      g_autoptr(EnrPassword) password = read_password_file (self->password_file, &error);

      if (password != NULL)
        {
          forget_password (self);
          self->password = g_strdup (password);
          enr_sync_engine_sign_in_async (self->engine, self->username, password, NULL,
                                         on_auto_signed_in_cb, g_object_ref (self));
          return;
        }
    }

  show_sign_in (self, error);
}

static void
on_engine_state_changed_cb (EnrApplication *self)
{
  if (enr_sync_engine_get_state (self->engine) != ENR_SYNC_STATE_SIGN_IN_NEEDED || !self->online)
    return;

  /* The service ended the session (or the address changed). */
  self->online = FALSE;
  update_session_actions (self);
  if (self->sign_in_reason == NULL)
    self->sign_in_reason = g_strdup (_("Your session with the service has ended. Sign in again to send your changes; until then they are kept on this computer."));
  show_sign_in (self, NULL);
}

static void
apply_service_settings (EnrApplication *self,
                        const char     *key)
{
  GSettings *settings = enr_context_get_settings (self->context);
  g_autoptr(GError) error = NULL;

  if (settings != NULL && self->idle_lock != NULL && g_strcmp0 (key, "idle-lock-minutes") == 0)
    {
      enr_idle_lock_set_timeout (self->idle_lock, g_settings_get_uint (settings, "idle-lock-minutes") * 60);
      return;
    }

  if (settings == NULL || self->client == NULL)
    return;

  if (g_strcmp0 (key, "ca-file") == 0)
    {
      g_autofree char *ca_file = g_settings_get_string (settings, "ca-file");

      if (!enr_api_client_set_ca_file (self->client, ca_file[0] != '\0' ? ca_file : NULL, &error))
        g_warning ("%s", error->message);
      return;
    }

  if (g_strcmp0 (key, "service-url") == 0 && self->service_url == NULL)
    {
      g_autofree char *url = g_settings_get_string (settings, "service-url");

      if (url[0] == '\0' || g_strcmp0 (url, enr_api_client_get_base_url (self->client)) == 0)
        return;

      if (!enr_api_client_set_base_url (self->client, url, &error))
        {
          g_warning ("%s", error->message);
          return;
        }

      /* A session belongs to the service that opened it. */
      if (enr_api_client_get_token (self->client) != NULL)
        {
          g_free (self->sign_in_reason);
          self->sign_in_reason = g_strdup (_("The service address changed. Sign in to the new service."));
          enr_sync_engine_set_session (self->engine, NULL, NULL);
        }
    }
}

static void
on_settings_changed_cb (EnrApplication *self,
                        const char     *key)
{
  apply_service_settings (self, key);
}

static gboolean
create_engine (EnrApplication  *self,
               GError         **error)
{
  GSettings *settings = enr_context_get_settings (self->context);
  g_autofree char *url = NULL;
  g_autofree char *ca_file = NULL;
  g_autoptr(GError) local_error = NULL;

  url = self->service_url != NULL ? g_strdup (self->service_url) : g_settings_get_string (settings, "service-url");
  /* Empty: not set up yet; the sign-in dialog asks for the address. */
  self->client = enr_api_client_new (url[0] != '\0' ? url : NULL, &local_error);
  if (self->client == NULL)
    {
      if (self->service_url != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      /* A broken setting: start without an address; the dialog shows the
       * setting to fix it. */
      g_warning ("%s", local_error->message);
      self->client = enr_api_client_new (NULL, NULL);
    }

  ca_file = g_settings_get_string (settings, "ca-file");
  if (ca_file[0] != '\0' && !enr_api_client_set_ca_file (self->client, ca_file, &local_error))
    g_warning ("%s", local_error->message);

  self->engine = enr_sync_engine_new (enr_context_get_store (self->context), self->client);
  enr_context_set_sync_engine (self->context, G_OBJECT (self->engine));
  g_signal_connect_object (self->engine, "notify::state", G_CALLBACK (on_engine_state_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed", G_CALLBACK (on_settings_changed_cb), self,
                           G_CONNECT_SWAPPED);

  return TRUE;
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
  GtkWidget *dialog;

  /* Not gtk_show_about_dialog(), which keeps the dialog hidden on its
   * parent once closed: destroyed when closed (see enr-window.c). */
  dialog = g_object_new (GTK_TYPE_ABOUT_DIALOG,
                         "program-name", _("Enrollment Desk"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Enroll utility customers in demand-response and energy programs, and unenroll them"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", developers,
                         "translator-credits", _("translator-credits"),
                         "transient-for", parent,
                         "destroy-with-parent", TRUE,
                         "modal", TRUE,
                         NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  EnrApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  EnrPreferencesDialog *dialog;

  if (self->context == NULL || enr_context_get_settings (self->context) == NULL)
    return;

  dialog = enr_preferences_dialog_new (enr_context_get_settings (self->context));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  show_sign_in (user_data, NULL);
}

static void
on_signed_out_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(EnrApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The session is forgotten here either way; the service forgets it
   * when it expires. */
  if (!enr_sync_engine_sign_out_finish (ENR_SYNC_ENGINE (source_object), result, &error))
    g_debug ("Signing out at the service failed: %s", error->message);
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  EnrApplication *self = user_data;
  guint pending;

  if (self->user == NULL)
    return;

  pending = self->engine != NULL ? enr_sync_engine_get_pending_count (self->engine) : 0;
  if (self->engine != NULL && self->online)
    {
      self->online = FALSE;
      enr_sync_engine_sign_out_async (self->engine, NULL, on_signed_out_cb, g_object_ref (self));
    }
  set_user (self, NULL, FALSE);

  if (pending > 0)
    self->sign_in_reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "You signed out. %u change has not reached the service yet; it stays on this computer and is sent after the next sign-in.",
                                                         "You signed out. %u changes have not reached the service yet; they stay on this computer and are sent after the next sign-in.",
                                                         pending),
                                            pending);
  else
    self->sign_in_reason = g_strdup (_("You signed out."));
  show_sign_in (self, NULL);
}

/* Removing this computer's data */

static void
remove_store_files (EnrApplication *self)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  const char *path = enr_store_get_path (enr_context_get_store (self->context));
  GSettings *settings = enr_context_get_settings (self->context);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_remove (file) != 0 && errno != ENOENT)
        g_warning ("Could not remove %s: %s", file, g_strerror (errno));
    }

  if (settings != NULL)
    {
      g_settings_reset (settings, "username");
      g_settings_reset (settings, "last-customer");
    }
}

/* The data is gone: every window closes without asking, and the
 * application quits. */
static void
finish_removal (EnrApplication *self)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  remove_store_files (self);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (windows);
  g_application_quit (G_APPLICATION (self));
}

static void
on_signed_out_for_removal_cb (GObject      *source_object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(EnrApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!enr_sync_engine_sign_out_finish (ENR_SYNC_ENGINE (source_object), result, &error))
    g_debug ("Signing out at the service failed: %s", error->message);

  finish_removal (self);
}

static void
on_remove_data_response_cb (GtkDialog      *dialog,
                            int             response,
                            EnrApplication *self)
{
  gboolean online = self->online;

  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response != GTK_RESPONSE_ACCEPT)
    return;

  /* Nothing more is queued or sent, then the session ends on the
   * service, then the files go. */
  self->online = FALSE;
  set_user (self, NULL, FALSE);
  if (self->engine != NULL && online)
    enr_sync_engine_sign_out_async (self->engine, NULL, on_signed_out_for_removal_cb, g_object_ref (self));
  else
    finish_removal (self);
}

static void
on_message_response_cb (GtkDialog *dialog,
                        int        response)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Refused while anything waits to be sent, whoever queued it: removing
 * it would lose work the service never saw. */
static void
remove_data_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  EnrApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  GtkWidget *button;
  gint64 waiting;

  if (self->context == NULL || self->user == NULL)
    return;

  waiting = enr_outbox_count_unfinished (enr_store_get_outbox (enr_context_get_store (self->context)), &error);
  if (waiting != 0)
    {
      dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       GTK_MESSAGE_WARNING, GTK_BUTTONS_CLOSE,
                                       "%s", _("Nothing was removed"));
      if (waiting < 0)
        gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
      else
        gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                                  g_dngettext (GETTEXT_PACKAGE,
                                                               "%u operation on this computer has not reached the service yet. Let it be sent first (its owner signs in while the service can be reached), then remove the data.",
                                                               "%u operations on this computer have not reached the service yet. Let them be sent first (their owners sign in while the service can be reached), then remove the data.",
                                                               (guint) waiting),
                                                  (guint) waiting);
      gtk_widget_add_css_class (dialog, "remove-data-refused");
      g_signal_connect (dialog, "response", G_CALLBACK (on_message_response_cb), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   "%s", _("Sign out and remove this computer’s data?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("Everything is on the service. The customers, tasks and drafts kept on this computer, and what lets users work offline here, are deleted, and Enrollment Desk quits. Process flows open but not saved are lost."));
  enr_button_set_accessible_name (gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Keep Data"), GTK_RESPONSE_CANCEL));
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Remove Data"), GTK_RESPONSE_ACCEPT);
  enr_button_set_accessible_name (button);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  gtk_widget_add_css_class (dialog, "remove-data-dialog");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_data_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry app_entries[] = {
  { "quit", quit_action },
  { "new-window", new_window_action },
  { "search", search_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "sign-in", sign_in_action },
  { "sign-out", sign_out_action },
  { "remove-data", remove_data_action },
  { "import-enrollments", import_enrollments_action },
};

static char *
get_store_path (EnrApplication *self)
{
  if (self->store_path != NULL)
    return g_strdup (self->store_path);
  if (g_getenv ("ENR_STORE_PATH") != NULL && g_getenv ("ENR_STORE_PATH")[0] != '\0')
    return g_strdup (g_getenv ("ENR_STORE_PATH"));

  return enr_store_get_default_path ();
}

/* enrollment-desk --letter TASK-ID --pdf FILE: the letter through cairo's
 * PDF surface, without a display, recorded as sent by --username (else
 * the user who signed in here last); queued for the service, which gets
 * it at that user's next sign-in. */
static gboolean
write_letter (EnrApplication  *self,
              const char      *task_id,
              const char      *pdf_path,
              GError         **error)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(EnrStore) store = NULL;
  g_autoptr(EnrContext) context = NULL;
  g_autoptr(EnrLetter) letter = NULL;
  g_autoptr(EnrCustomerCommunication) communication = NULL;
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (pdf_path);
  g_autofree char *path = get_store_path (self);
  g_autofree char *username = NULL;

  /* An existing store only: a new one would have no task. */
  if (self->import_dir == NULL && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no client store at %s (--store FILE names another)"), path);
      return FALSE;
    }

  username = self->username != NULL ? g_strdup (self->username) : g_settings_get_string (settings, "username");
  if (username[0] == '\0')
    {
      g_set_error_literal (error, ENR_LETTER_ERROR, ENR_LETTER_ERROR_NO_USER,
                           _("Nobody to record the letter as sent by: pass --username NAME"));
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

  context = enr_context_new (store, settings);
  enr_context_set_username (context, username);

  letter = enr_letter_new_for_task (context, task_id, error);
  if (letter == NULL || !enr_letter_write_pdf (letter, file, 0, 0, error))
    return FALSE;

  communication = enr_letter_record_sent (letter, context, ENR_LETTER_DELIVERY_PDF, error);
  return communication != NULL;
}

static gint
enr_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  EnrApplication *self = ENR_APPLICATION (application);
  g_autofree char *letter = NULL;
  g_autofree char *pdf = NULL;

  g_variant_dict_lookup (options, "store", "^ay", &self->store_path);
  g_variant_dict_lookup (options, "import", "^ay", &self->import_dir);
  g_variant_dict_lookup (options, "customer", "s", &self->customer_id);
  g_variant_dict_lookup (options, "import-enrollments", "^ay", &self->import_file);
  g_variant_dict_lookup (options, "service-url", "s", &self->service_url);
  g_variant_dict_lookup (options, "username", "s", &self->username);
  g_variant_dict_lookup (options, "password-file", "^ay", &self->password_file);
  g_variant_dict_lookup (options, "offline", "b", &self->offline);

  g_variant_dict_lookup (options, "letter", "s", &letter);
  g_variant_dict_lookup (options, "pdf", "^ay", &pdf);

  if (self->password_file != NULL && self->username == NULL)
    {
      g_printerr ("%s\n", _("--password-file needs --username"));
      return 2;
    }

  if ((letter == NULL) != (pdf == NULL))
    {
      g_printerr ("%s\n", letter != NULL ? _("--letter needs --pdf FILE") : _("--pdf needs --letter TASK-ID"));
      return 2;
    }

  if (letter != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!write_letter (self, letter, pdf, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      return 0;
    }

  return G_APPLICATION_CLASS (enr_application_parent_class)->handle_local_options (application, options);
}

static gboolean
open_store (EnrApplication  *self,
            GError         **error)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(EnrStore) store = NULL;
  g_autofree char *path = get_store_path (self);

  /* The store makes its folder (its default one 0700) and files private. */
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
  self->idle_lock = enr_idle_lock_new (GTK_APPLICATION (self), self->context);
  enr_idle_lock_set_timeout (self->idle_lock, g_settings_get_uint (settings, "idle-lock-minutes") * 60);
  if (!create_engine (self, error))
    {
      g_clear_object (&self->idle_lock);
      g_clear_object (&self->context);
      return FALSE;
    }

  return TRUE;
}

static void
enr_application_startup (GApplication *application)
{
  EnrApplication *self = ENR_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_window_accels[] = { "<Control>n", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *import_accels[] = { "<Control>i", NULL };

  enr_gui_init ();

  G_APPLICATION_CLASS (enr_application_parent_class)->startup (application);

  enr_gui_load_style ();
  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window", new_window_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.import-enrollments", import_accels);

  if (!open_store (self, &self->startup_error))
    g_warning ("Could not open the client store: %s", self->startup_error->message);
  update_session_actions (self);
}

static void
enr_application_shutdown (GApplication *application)
{
  EnrApplication *self = ENR_APPLICATION (application);

  if (self->engine != NULL)
    enr_sync_engine_stop (self->engine);

  G_APPLICATION_CLASS (enr_application_parent_class)->shutdown (application);
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
    {
      window = create_window (self);
      if (g_getenv ("ENR_REPORT_FIRST_FRAME") != NULL)
        g_signal_connect_object (window, "realize", G_CALLBACK (on_window_realized_cb), self, 0);
    }

  if (self->customer_id != NULL)
    {
      enr_window_show_customer (window, self->customer_id);
      g_clear_pointer (&self->customer_id, g_free);
    }

  gtk_window_present (GTK_WINDOW (window));
  start_session (self);
  open_pending_import (self);
}

static void
enr_application_dispose (GObject *object)
{
  EnrApplication *self = (EnrApplication *) object;

  if (self->engine != NULL)
    enr_sync_engine_stop (self->engine);

  G_OBJECT_CLASS (enr_application_parent_class)->dispose (object);
}

static void
enr_application_finalize (GObject *object)
{
  EnrApplication *self = (EnrApplication *) object;

  g_clear_object (&self->idle_lock);
  g_clear_object (&self->context);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->import_dir, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->import_file, g_free);
  g_clear_object (&self->import_chooser);
  g_clear_error (&self->startup_error);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  g_clear_pointer (&self->service_url, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->password_file, g_free);
  forget_password (self);
  g_clear_pointer (&self->sign_in_reason, g_free);

  G_OBJECT_CLASS (enr_application_parent_class)->finalize (object);
}

static void
enr_application_class_init (EnrApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = enr_application_dispose;
  object_class->finalize = enr_application_finalize;

  application_class->handle_local_options = enr_application_handle_local_options;
  application_class->startup = enr_application_startup;
  application_class->activate = enr_application_activate;
  application_class->shutdown = enr_application_shutdown;
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
 * enr_application_get_idle_lock:
 *
 * Returns: (transfer none) (nullable): what locks the windows after a
 *   time without use, %NULL when the store could not be opened
 */
EnrIdleLock *
enr_application_get_idle_lock (EnrApplication *self)
{
  g_return_val_if_fail (ENR_IS_APPLICATION (self), NULL);

  return self->idle_lock;
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

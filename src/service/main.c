/* main.c — enrollment-service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "enr-service-loader.h"
#include "enr-service-server.h"

typedef struct
{
  char     *listen;
  char     *database;
  char     *load;
  gboolean  demo;
  char     *tls_certificate;
  char     *tls_key;
  double    rate;
  double    burst;
  int       session_ttl;
  int       max_body;
  int       change_retention;
} Options;

static gboolean
on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

static char *
demo_source (void)
{
  return g_build_filename (SOURCE_DATADIR, "sample", NULL);
}

static void
remove_demo_directory (const char *directory)
{
  static const char * const files[] = { "service.db", "service.db-wal", "service.db-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (directory, files[i], NULL);

      if (g_unlink (path) != 0 && errno != ENOENT)
        g_warning ("Cannot remove %s: %s", path, g_strerror (errno));
    }

  if (g_rmdir (directory) != 0)
    g_warning ("Cannot remove %s: %s", directory, g_strerror (errno));
}

static int
run (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceStore) store = NULL;
  g_autoptr(EnrServiceServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(EnrServiceLoadReport) report = NULL;
  g_autofree char *demo_directory = NULL;
  g_autofree char *database = NULL;
  g_autofree char *url = NULL;
  EnrServiceConfig config;
  guint sigint_id;
  guint sigterm_id;
  int status = 1;

  enr_service_config_init (&config);
  if (options->rate >= 0)
    config.rate = options->rate;
  if (options->burst > 0)
    config.burst = options->burst;
  if (options->session_ttl > 0)
    config.session_ttl = options->session_ttl;
  if (options->max_body > 0)
    config.max_body = options->max_body;
  if (options->change_retention >= 0)
    config.change_retention = options->change_retention;

  if ((options->tls_certificate != NULL) != (options->tls_key != NULL))
    {
      g_printerr ("enrollment-service: --tls-certificate and --tls-key go together\n");
      return 2;
    }
  if (options->tls_certificate != NULL)
    {
      certificate = g_tls_certificate_new_from_files (options->tls_certificate,
                                                      options->tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr ("enrollment-service: %s\n", error->message);
          return 1;
        }
    }

  if (options->demo)
    {
      demo_directory = g_dir_make_tmp ("enrollment-service-XXXXXX", &error);
      if (demo_directory == NULL)
        {
          g_printerr ("enrollment-service: %s\n", error->message);
          return 1;
        }
      database = g_build_filename (demo_directory, "service.db", NULL);
      if (options->load == NULL)
        options->load = demo_source ();
    }
  else if (options->database != NULL)
    database = g_strdup (options->database);
  else
    database = g_build_filename (g_get_user_data_dir (), "enrollment-service", "service.db", NULL);

  if (!options->demo)
    {
      g_autofree char *parent = g_path_get_dirname (database);

      if (g_mkdir_with_parents (parent, 0700) != 0)
        {
          g_printerr ("enrollment-service: cannot create %s: %s\n", parent, g_strerror (errno));
          return 1;
        }
    }

  store = enr_service_store_open (database, &error);
  if (store == NULL)
    {
      g_printerr ("enrollment-service: %s\n", error->message);
      goto out;
    }

  if (options->load != NULL)
    {
      g_autoptr(GFile) directory = g_file_new_for_commandline_arg (options->load);
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      GDate today;

      g_date_clear (&today, 1);
      g_date_set_dmy (&today, g_date_time_get_day_of_month (now),
                      g_date_time_get_month (now), g_date_time_get_year (now));

      if (!enr_service_load_dataset (store, directory, &today, &report, &error))
        {
          g_printerr ("enrollment-service: loading %s: %s\n", options->load, error->message);
          goto out;
        }
      g_printerr ("Loaded “%s”: %" G_GUINT64_FORMAT " records, %u crew shifts\n",
                  report->name != NULL ? report->name : options->load,
                  report->records, report->crew_shifts);
    }

  server = enr_service_server_new (store, &config, certificate);
  if (!enr_service_server_listen (server, options->listen, &error))
    {
      g_printerr ("enrollment-service: cannot listen on %s: %s\n", options->listen, error->message);
      goto out;
    }
  enr_service_server_run_maintenance (server);

  url = enr_service_server_get_url (server);
  g_print ("listening on %s\n", url);
  if (options->demo)
    {
      g_print ("Demo database: %s (removed at exit)\n", database);
      g_print ("Demo users (user name, password, role):\n");
      for (guint i = 0; report != NULL && i < report->users->len; i++)
        g_print ("  %s\n", (const char *) g_ptr_array_index (report->users, i));
      g_print ("Press Ctrl+C to stop.\n");
    }
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  enr_service_server_disconnect (server);
  g_clear_object (&server);
  status = 0;

out:
  if (store != NULL)
    enr_service_store_close (store);
  g_clear_object (&store);
  if (demo_directory != NULL)
    remove_demo_directory (demo_directory);

  return status;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Options options = {
    .rate = -1,
    .burst = -1,
    .session_ttl = -1,
    .max_body = -1,
    .change_retention = -1,
  };
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &options.listen,
      "Listen on ADDRESS:PORT (default 127.0.0.1:8765; port 0 picks a free one)", "ADDRESS:PORT" },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &options.database,
      "The SQLite database (default $XDG_DATA_HOME/enrollment-service/service.db)", "PATH" },
    { "load", 0, 0, G_OPTION_ARG_FILENAME, &options.load,
      "Import the data set in DIR (such as data/sample) before serving", "DIR" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options.demo,
      "Serve a temporary database loaded with the sample data", NULL },
    { "tls-certificate", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_certificate,
      "Serve HTTPS with this PEM certificate", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_key,
      "The PEM private key of --tls-certificate", "FILE" },
    { "rate-limit", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &options.rate,
      "Requests per second per client (0 = unlimited)", "N" },
    { "rate-burst", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &options.burst,
      "Burst of the rate limit", "N" },
    { "session-ttl", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &options.session_ttl,
      "Session lifetime in seconds", "SECONDS" },
    { "max-body", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &options.max_body,
      "Largest request body in bytes", "BYTES" },
    { "change-retention", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &options.change_retention,
      "Change-log rows kept for GET /v1/changes", "ROWS" },
    { NULL }
  };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "The enrollment service: the REST API (/v1) Enrollment Desk syncs with.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("enrollment-service: %s\nTry --help.\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("enrollment-service: unexpected argument “%s”\nTry --help.\n", argv[1]);
      return 2;
    }

  if (options.listen == NULL)
    options.listen = g_strdup ("127.0.0.1:8765");

  status = run (&options);

  g_free (options.listen);
  g_free (options.database);
  g_free (options.load);
  g_free (options.tls_certificate);
  g_free (options.tls_key);

  return status;
}

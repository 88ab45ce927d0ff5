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

#include "enr-service-backup.h"
#include "enr-service-copy.h"
#include "enr-service-daemon.h"
#include "enr-service-loader.h"
#include "enr-service-options.h"
#include "enr-service-server.h"

static gboolean
on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

typedef struct
{
  const EnrServiceOptions *options;
  EnrServiceServer        *server;   /* once made */
} Reload;

static gboolean
on_reload_cb (gpointer user_data)
{
  Reload *reload = user_data;

  enr_service_daemon_reload (reload->server, reload->options);

  return G_SOURCE_CONTINUE;
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
run (EnrServiceOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceStore) store = NULL;
  g_autoptr(EnrServiceServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(EnrServiceLoadReport) report = NULL;
  g_autoptr(EnrServiceLock) lock = NULL;
  g_autoptr(GPtrArray) sockets = NULL;
  g_autofree char *demo_directory = NULL;
  g_autofree char *database = NULL;
  g_autofree char *url = NULL;
  Reload reload = { options, NULL };
  guint sigint_id;
  guint sigterm_id;
  guint sighup_id;
  guint watchdog_id = 0;
  int status = 1;

  if (options->log_file != NULL && !enr_service_daemon_open_log (options->log_file, &error))
    {
      g_printerr ("enrollment-service: %s\n", error->message);
      return 1;
    }

  /* From the start: a signal while loading or right after "listening on"
   * is handled once the loop runs. */
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  sighup_id = g_unix_signal_add (SIGHUP, on_reload_cb, &reload);

  if (options->tls_certificate != NULL)
    {
      certificate = g_tls_certificate_new_from_files (options->tls_certificate,
                                                      options->tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr ("enrollment-service: %s\n", error->message);
          goto out;
        }
    }

  if (options->demo && enr_db_is_uri (options->database))
    {
      /* A PostgreSQL database named for the demo gets the sample data. */
      database = g_strdup (options->database);
      if (options->load == NULL)
        options->load = enr_service_find_sample_data ();
    }
  else if (options->demo)
    {
      demo_directory = g_dir_make_tmp ("enrollment-service-XXXXXX", &error);
      if (demo_directory == NULL)
        {
          g_printerr ("enrollment-service: %s\n", error->message);
          goto out;
        }
      database = g_build_filename (demo_directory, "service.db", NULL);
      if (options->load == NULL)
        options->load = enr_service_find_sample_data ();
    }
  else
    database = g_strdup (options->database);

  if (!options->demo && !enr_db_is_uri (database))
    {
      g_autofree char *parent = g_path_get_dirname (database);

      if (g_mkdir_with_parents (parent, 0700) != 0)
        {
          g_printerr ("enrollment-service: cannot create %s: %s\n", parent, g_strerror (errno));
          goto out;
        }
    }

  /* One service per SQLite file: its caches assume it is the only writer.
   * Several may share a PostgreSQL database (they tell each other what
   * changed). */
  if (!enr_db_is_uri (database))
    {
      lock = enr_service_lock_database (database, &error);
      if (lock == NULL)
        {
          g_printerr ("enrollment-service: %s\n", error->message);
          goto out;
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
      {
        g_autofree char *from = g_file_get_path (directory);

        g_printerr ("Loaded “%s” from %s: %" G_GUINT64_FORMAT " records, %u crew shifts\n",
                    report->name != NULL ? report->name : options->load, from,
                    report->records, report->crew_shifts);
      }
    }

  server = enr_service_server_new (store, &options->config, certificate);
  reload.server = server;
  /* systemd's sockets (enrollment-service.socket) replace --listen. */
  sockets = enr_service_daemon_take_sockets (&error);
  if (error != NULL)
    {
      g_printerr ("enrollment-service: %s\n", error->message);
      goto out;
    }
  if (sockets != NULL && sockets->len != 1)
    {
      g_printerr ("enrollment-service: systemd passed %u sockets; give the socket unit one ListenStream=\n",
                  sockets->len);
      goto out;
    }
  if (sockets != NULL && !enr_service_server_listen_socket (server, g_ptr_array_index (sockets, 0), &error))
    {
      g_printerr ("enrollment-service: cannot listen on the socket systemd passed: %s\n", error->message);
      goto out;
    }
  if (sockets == NULL && !enr_service_server_listen (server, options->listen, &error))
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

  {
    g_autofree char *ready = g_strdup_printf ("READY=1\nSTATUS=Listening on %s", url);

    enr_service_daemon_notify (ready);
  }
  watchdog_id = enr_service_daemon_start_watchdog ();

  g_main_loop_run (loop);

  enr_service_daemon_notify ("STOPPING=1");
  g_clear_handle_id (&watchdog_id, g_source_remove);
  enr_service_server_disconnect (server);
  g_clear_object (&server);
  status = 0;

out:
  reload.server = NULL;
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_source_remove (sighup_id);
  if (store != NULL)
    enr_service_store_close (store);
  g_clear_object (&store);
  g_clear_pointer (&lock, enr_service_lock_release);
  if (demo_directory != NULL)
    remove_demo_directory (demo_directory);

  return status;
}

/* --migrate: the schema up to date, nothing served. */
static int
run_migrate (EnrServiceOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceStore) store = NULL;
  g_autoptr(EnrServiceLock) lock = NULL;
  int before;

  if (!enr_db_is_uri (options->database))
    {
      g_autofree char *parent = g_path_get_dirname (options->database);

      if (g_mkdir_with_parents (parent, 0700) != 0)
        {
          g_printerr ("enrollment-service: cannot create %s: %s\n", parent, g_strerror (errno));
          return 1;
        }
      if (!(lock = enr_service_lock_database (options->database, &error)))
        {
          g_printerr ("enrollment-service: %s\n", error->message);
          return 1;
        }
    }

  {
    EnrDb *db = enr_db_open (options->database, &error);

    if (db == NULL)
      {
        g_printerr ("enrollment-service: %s\n", error->message);
        return 1;
      }
    before = enr_db_get_schema_version (db, &error);
    enr_db_close (db);
    if (before < 0)
      {
        g_printerr ("enrollment-service: %s\n", error->message);
        return 1;
      }
  }

  store = enr_service_store_open_full (options->database, ENR_SERVICE_STORE_MIGRATE, &error);
  if (store == NULL)
    {
      g_printerr ("enrollment-service: %s\n", error->message);
      return 1;
    }

  g_print ("%s: schema version %d%s\n", enr_db_get_name (enr_service_store_get_db (store)),
           ENR_SERVICE_SCHEMA_VERSION,
           before == ENR_SERVICE_SCHEMA_VERSION ? " (already)" : "");
  if (before != ENR_SERVICE_SCHEMA_VERSION)
    g_print ("Migrated from schema version %d.\n", before);
  enr_service_store_close (store);

  return 0;
}

/* copy TARGET: the SQLite database into an empty PostgreSQL one. */
static int
run_copy (EnrServiceOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrServiceLock) lock = NULL;
  EnrServiceCopyReport report;

  if (enr_db_is_uri (options->database) || !enr_db_is_uri (options->command_file))
    {
      g_printerr ("enrollment-service: copy goes from the SQLite --database to a postgresql:// URI\n");
      return 2;
    }

  if (!g_file_test (options->database, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("enrollment-service: %s: no such database\n", options->database);
      return 1;
    }

  /* Nothing may change the source while it is copied. */
  if (!(lock = enr_service_lock_database (options->database, &error)))
    {
      g_printerr ("enrollment-service: %s\n", error->message);
      if (g_error_matches (error, ENR_DB_ERROR, ENR_DB_ERROR_BUSY))
        g_printerr ("Stop the service first (systemctl stop enrollment-service).\n");
      return 1;
    }

  if (!enr_service_copy_to_postgresql (options->database, options->command_file, &report, &error))
    {
      g_printerr ("enrollment-service: copy failed, nothing was written: %s\n", error->message);
      return 1;
    }

  g_print ("Copied %s to PostgreSQL: %u tables, %" G_GINT64_FORMAT " rows, schema version %d, counted.\n",
           options->database, report.tables, report.rows, report.schema_version);

  return 0;
}

/* backup FILE, restore FILE */
static int
run_command (EnrServiceOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *replaced = NULL;
  EnrServiceBackupReport report;
  gboolean backup = g_str_equal (options->command, "backup");

  if (options->demo)
    {
      g_printerr ("enrollment-service: %s works on the --database, not on --demo\n", options->command);
      return 2;
    }

  if (g_str_equal (options->command, "copy"))
    return run_copy (options);

  if (enr_db_is_uri (options->database))
    {
      g_printerr ("enrollment-service: %s works on an SQLite file; back up a PostgreSQL database "
                  "with pg_dump and restore it with pg_restore (see the README)\n", options->command);
      return 2;
    }

  if (backup)
    {
      if (!enr_service_backup (options->database, options->command_file, &report, &error))
        {
          g_printerr ("enrollment-service: backup failed: %s\n", error->message);
          return 1;
        }
      g_print ("Backed up %s to %s: %" G_GINT64_FORMAT " bytes, schema version %d, checked.\n",
               options->database, options->command_file, report.bytes, report.schema_version);
      return 0;
    }

  if (!enr_service_restore (options->database, options->command_file, &report, &replaced, &error))
    {
      g_printerr ("enrollment-service: %s\n", error->message);
      if (g_error_matches (error, ENR_DB_ERROR, ENR_DB_ERROR_BUSY))
        g_printerr ("Stop the service first (systemctl stop enrollment-service).\n");
      return 1;
    }
  g_print ("Restored %s from %s: %" G_GINT64_FORMAT " bytes, schema version %d, checked.\n",
           options->database, options->command_file, report.bytes, report.schema_version);
  if (replaced != NULL)
    g_print ("The database it replaced is kept as %s.\n", replaced);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  EnrServiceOptions options;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  enr_service_options_init (&options);
  if (!enr_service_options_parse (&options, &argc, &argv, &error))
    {
      g_printerr ("enrollment-service: %s\nTry --help.\n", error->message);
      enr_service_options_clear (&options);
      return 2;
    }

  if (options.migrate)
    status = run_migrate (&options);
  else if (options.command != NULL)
    status = run_command (&options);
  else
    status = run (&options);
  enr_service_options_clear (&options);

  return status;
}

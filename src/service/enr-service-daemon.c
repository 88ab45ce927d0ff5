/* enr-service-daemon.c — the service under systemd: readiness, watchdog,
 * socket activation, log file and reload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With libsystemd (Type=notify in enrollment-service.service): READY=1
 * once the service listens, WATCHDOG=1 at half the unit's WatchdogSec=
 * from the main loop (a stuck loop stops the pings and systemd restarts
 * the service), RELOADING=1 around SIGHUP and STOPPING=1 at the end; the
 * listening sockets of enrollment-service.socket are used instead of
 * --listen when systemd passes them. Without libsystemd these do nothing.
 *
 * --log-file sends standard output and standard error to a file, with a
 * time stamp on each log line; SIGHUP reopens it (after logrotate, say)
 * and re-reads the TLS certificate and key.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#ifdef ENR_HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "enr-service-daemon.h"

gboolean
enr_service_daemon_has_systemd (void)
{
#ifdef ENR_HAVE_LIBSYSTEMD
  return TRUE;
#else
  return FALSE;
#endif
}

void
enr_service_daemon_notify (const char *state)
{
#ifdef ENR_HAVE_LIBSYSTEMD
  sd_notify (0, state);
#endif
}

#ifdef ENR_HAVE_LIBSYSTEMD
static gboolean
on_watchdog_cb (gpointer user_data)
{
  sd_notify (0, "WATCHDOG=1");

  return G_SOURCE_CONTINUE;
}
#endif

/* Returns: the source pinging the watchdog, or 0 when there is none */
guint
enr_service_daemon_start_watchdog (void)
{
#ifdef ENR_HAVE_LIBSYSTEMD
  guint64 usec = 0;

  if (sd_watchdog_enabled (0, &usec) <= 0 || usec == 0)
    return 0;

  sd_notify (0, "WATCHDOG=1");
  return g_timeout_add (MAX (usec / 2000, 1), on_watchdog_cb, NULL);
#else
  return 0;
#endif
}

/**
 * enr_service_daemon_take_sockets:
 *
 * Returns: (transfer full) (nullable) (element-type GSocket): the
 *   listening sockets systemd passed (socket activation), or %NULL when it
 *   passed none (or on error)
 */
GPtrArray *
enr_service_daemon_take_sockets (GError **error)
{
#ifdef ENR_HAVE_LIBSYSTEMD
  g_autoptr(GPtrArray) sockets = NULL;
  int n = sd_listen_fds (1);

  if (n < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-n),
                   "Cannot take the sockets systemd passed: %s", g_strerror (-n));
      return NULL;
    }
  if (n == 0)
    return NULL;

  sockets = g_ptr_array_new_with_free_func (g_object_unref);
  for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + n; fd++)
    {
      GSocket *socket;

      if (sd_is_socket (fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Descriptor %d that systemd passed is not a listening stream socket "
                       "(ListenStream= in enrollment-service.socket)", fd);
          return NULL;
        }
      socket = g_socket_new_from_fd (fd, error);
      if (socket == NULL)
        return NULL;
      g_ptr_array_add (sockets, socket);
    }

  return g_steal_pointer (&sockets);
#else
  return NULL;
#endif
}

/* Log lines in a file carry their time; the journal adds its own. */
static GLogWriterOutput
log_file_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  const char *domain = NULL;
  const char *message = NULL;
  const char *level;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if (g_log_writer_default_would_drop (log_level, domain))
    return G_LOG_WRITER_HANDLED;

  switch (log_level & G_LOG_LEVEL_MASK)
    {
    case G_LOG_LEVEL_ERROR: level = "ERROR"; break;
    case G_LOG_LEVEL_CRITICAL: level = "CRITICAL"; break;
    case G_LOG_LEVEL_WARNING: level = "WARNING"; break;
    case G_LOG_LEVEL_MESSAGE: level = "MESSAGE"; break;
    case G_LOG_LEVEL_INFO: level = "INFO"; break;
    default: level = "DEBUG"; break;
    }

  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  fprintf (stderr, "%s %s %s: %s\n", stamp, domain != NULL ? domain : "enrollment-service",
           level, message != NULL ? message : "");
  fflush (stderr);

  return G_LOG_WRITER_HANDLED;
}

/**
 * enr_service_daemon_open_log:
 * @path: the log file, appended to (created mode 0640)
 *
 * Points standard output and standard error at @path; called again, it
 * reopens the file (a rotated one is left to its rotator).
 */
gboolean
enr_service_daemon_open_log (const char  *path,
                             GError     **error)
{
  static gboolean writer_set;
  int fd;

  fflush (stdout);
  fflush (stderr);

  fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot open the log file %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  if (dup2 (fd, STDOUT_FILENO) < 0 || dup2 (fd, STDERR_FILENO) < 0)
    {
      int saved_errno = errno;

      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot write to the log file %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  if (!writer_set)
    {
      g_log_set_writer_func (log_file_writer, NULL, NULL);
      writer_set = TRUE;
    }

  return TRUE;
}

/**
 * enr_service_daemon_reload:
 * @server: (nullable): the server, once it is made
 *
 * SIGHUP: reopens the log file and re-reads the TLS certificate and key
 * (a certificate that does not load leaves the one in use in place).
 */
void
enr_service_daemon_reload (EnrServiceServer        *server,
                           const EnrServiceOptions *options)
{
  g_autoptr(GError) error = NULL;

  enr_service_daemon_notify ("RELOADING=1");

  if (options->log_file != NULL)
    {
      if (enr_service_daemon_open_log (options->log_file, &error))
        g_message ("Reopened the log file %s", options->log_file);
      else
        g_warning ("%s; still writing to the file open before", error->message);
      g_clear_error (&error);
    }

  if (options->tls_certificate != NULL && server != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = NULL;

      certificate = g_tls_certificate_new_from_files (options->tls_certificate, options->tls_key, &error);
      if (certificate != NULL)
        {
          enr_service_server_set_tls_certificate (server, certificate);
          g_message ("Re-read the TLS certificate %s and key %s",
                     options->tls_certificate, options->tls_key);
        }
      else
        g_warning ("Keeping the TLS certificate in use: %s", error->message);
    }

  enr_service_daemon_notify ("READY=1");
}

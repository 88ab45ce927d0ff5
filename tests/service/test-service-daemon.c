/* test-service-daemon.c — enrollment-service under systemd, without systemd
 *
 * Plays systemd's part of the protocols: a notification socket
 * (NOTIFY_SOCKET, WATCHDOG_USEC) that must see READY=1 once the service
 * listens, watchdog pings, RELOADING=1 / READY=1 around SIGHUP and
 * STOPPING=1; a listening socket passed as descriptor 3 (LISTEN_FDS) that
 * the service must serve on instead of --listen. Then the log file and
 * the TLS certificate, both reopened on SIGHUP.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "enr-service-daemon.h"

#include "service-test-util.h"

#define WAIT_SECONDS 60

static char *work_directory;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_unsetenv (launcher, "NOTIFY_SOCKET");
  g_subprocess_launcher_unsetenv (launcher, "LISTEN_FDS");
  g_subprocess_launcher_unsetenv (launcher, "WATCHDOG_USEC");

  return launcher;
}

static char *
work_path (const char *name)
{
  return g_build_filename (work_directory, name, NULL);
}

static void
stop (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

/* The next notification, within WAIT_SECONDS. */
static char *
receive_notification (GSocket *socket)
{
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gssize n;

  if (!g_socket_condition_timed_wait (socket, G_IO_IN, (gint64) WAIT_SECONDS * G_USEC_PER_SEC, NULL, &error))
    g_error ("No notification within %d s: %s", WAIT_SECONDS, error->message);

  n = g_socket_receive (socket, buffer, sizeof buffer - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);

  return g_strndup (buffer, n);
}

/* Skips watchdog pings (unless they are what is awaited) until a
 * notification with @wanted as one of its lines arrives. */
static char *
await_notification (GSocket    *socket,
                    const char *wanted)
{
  for (;;)
    {
      g_autofree char *message = receive_notification (socket);
      g_auto(GStrv) lines = g_strsplit (message, "\n", -1);

      g_test_message ("notification: %s", message);
      if (g_strv_contains ((const char * const *) lines, wanted))
        return g_steal_pointer (&message);
      /* Anything else than the watchdog's pings is out of order. */
      g_assert_cmpstr (message, ==, "WATCHDOG=1");
    }
}

static void
test_notify (void)
{
  g_autofree char *socket_path = work_path ("notify");
  g_autofree char *database = work_path ("notify.db");
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;
  g_autofree char *ping = NULL;
  g_autofree char *reloading = NULL;
  g_autofree char *reloaded = NULL;
  g_autofree char *stopping = NULL;

  if (!enr_service_daemon_has_systemd ())
    {
      g_test_skip ("built without libsystemd");
      return;
    }

  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (socket_path);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "NOTIFY_SOCKET", socket_path, TRUE);
  /* Pings every 100 ms. */
  g_subprocess_launcher_setenv (launcher, "WATCHDOG_USEC", "200000", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, ENROLLMENT_SERVICE_PATH,
                                         "--listen", "127.0.0.1:0", "--database", database, NULL);
  g_assert_no_error (error);

  ready = await_notification (socket, "READY=1");
  g_assert_nonnull (strstr (ready, "STATUS=Listening on http://127.0.0.1:"));
  ping = await_notification (socket, "WATCHDOG=1");

  g_subprocess_send_signal (process, SIGHUP);
  reloading = await_notification (socket, "RELOADING=1");
  reloaded = await_notification (socket, "READY=1");

  g_subprocess_send_signal (process, SIGTERM);
  stopping = await_notification (socket, "STOPPING=1");
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
test_socket_activation (void)
{
  g_autofree char *database = work_path ("activated.db");
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *uri = NULL;
  guint16 port;

  if (!enr_service_daemon_has_systemd ())
    {
      g_test_skip ("built without libsystemd");
      return;
    }

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  /* As systemd does: descriptor 3, LISTEN_FDS=1, LISTEN_PID of the service
   * itself (known only once it runs: the shell sets it before exec). */
  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_take_fd (launcher, dup (g_socket_get_fd (listener)), 3);
  g_subprocess_launcher_setenv (launcher, "LISTEN_FDS", "1", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, "/bin/sh", "-c",
                                         "LISTEN_PID=$$ exec \"$0\" \"$@\"",
                                         ENROLLMENT_SERVICE_PATH, "--listen", "127.0.0.1:1",
                                         "--database", database, NULL);
  g_assert_no_error (error);
  g_clear_object (&listener);

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("listening on http://127.0.0.1:%u", port);
  g_assert_cmpstr (line, ==, expected);

  /* It answers there (no session: 401). */
  uri = g_strdup_printf ("http://127.0.0.1:%u/v1/programs", port);
  msg = soup_message_new ("GET", uri);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);

  stop (process);
}

static gboolean
file_contains (const char *path,
               const char *text)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, text) != NULL;
}

/* Polls @path (every 20 ms, at most WAIT_SECONDS) until it contains @text. */
static void
await_file_text (const char *path,
                 const char *text)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) WAIT_SECONDS * G_USEC_PER_SEC;

  while (!file_contains (path, text))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s has no “%s” after %d s", path, text, WAIT_SECONDS);
      g_usleep (20000);
    }
}

static gboolean
on_accept_certificate_cb (SoupMessage          *msg,
                          GTlsCertificate      *certificate,
                          GTlsCertificateFlags  errors,
                          gpointer              user_data)
{
  return TRUE;
}

/* The certificate the service presents to a new connection. */
static GTlsCertificate *
served_certificate (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (url, "/v1/programs", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), NULL);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);

  return g_object_ref (soup_message_get_tls_peer_certificate (msg));
}

static void
copy_fixture (const char *fixture,
              const char *to)
{
  g_autofree char *from = g_test_build_filename (G_TEST_DIST, "service", fixture, NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, length, NULL));
}

static GTlsCertificate *
fixture_certificate (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "service", name, NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate = g_tls_certificate_new_from_file (path, &error);

  g_assert_no_error (error);
  return certificate;
}

static void
test_log_file_and_reload (void)
{
  g_autofree char *database = work_path ("reload.db");
  g_autofree char *log = work_path ("service.log");
  g_autofree char *rotated = work_path ("service.log.1");
  g_autofree char *certificate = work_path ("certificate.pem");
  g_autofree char *key = work_path ("key.pem");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GTlsCertificate) first = fixture_certificate ("tls-test-cert.pem");
  g_autoptr(GTlsCertificate) renewed = fixture_certificate ("tls-test-cert-renewed.pem");
  g_autoptr(GTlsCertificate) served = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) stamped = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *url = NULL;
  const char *start;

  copy_fixture ("tls-test-cert.pem", certificate);
  copy_fixture ("tls-test-key.pem", key);

  /* LeakSanitizer's exit scan trips over the TLS backend's threads. */
  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  {
    const char *asan = g_getenv ("ASAN_OPTIONS");
    g_autofree char *options = g_strconcat (asan != NULL ? asan : "", asan != NULL ? ":" : "",
                                            "detect_leaks=0", NULL);

    g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", options, TRUE);
  }
  process = g_subprocess_launcher_spawn (launcher, &error, ENROLLMENT_SERVICE_PATH,
                                         "--listen", "127.0.0.1:0", "--database", database,
                                         "--log-file", log,
                                         "--tls-certificate", certificate, "--tls-key", key, NULL);
  g_assert_no_error (error);

  /* Everything goes to the file. */
  await_file_text (log, "\n");
  g_assert_true (g_file_get_contents (log, &contents, NULL, NULL));
  start = strstr (contents, "listening on https://127.0.0.1:");
  g_assert_nonnull (start);
  url = g_strndup (start + strlen ("listening on "), strcspn (start + strlen ("listening on "), "\n"));
  served = served_certificate (url);
  g_assert_true (g_tls_certificate_is_same (served, first));
  g_clear_object (&served);

  /* Rotated away, renewed, SIGHUP: a new file, the new certificate. */
  g_assert_cmpint (g_rename (log, rotated), ==, 0);
  copy_fixture ("tls-test-cert-renewed.pem", certificate);
  copy_fixture ("tls-test-key-renewed.pem", key);
  g_subprocess_send_signal (process, SIGHUP);
  await_file_text (log, "Re-read the TLS certificate");
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (log, &contents, NULL, NULL));
  stamped = g_regex_new ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z enr-service MESSAGE: Reopened the log file",
                         G_REGEX_MULTILINE, 0, NULL);
  g_assert_true (g_regex_match (stamped, contents, 0, NULL));
  g_assert_false (file_contains (rotated, "Reopened"));
  served = served_certificate (url);
  g_assert_true (g_tls_certificate_is_same (served, renewed));
  g_clear_object (&served);

  /* A broken certificate leaves the one in use. */
  g_assert_true (g_file_set_contents (certificate, "not a certificate", -1, NULL));
  g_subprocess_send_signal (process, SIGHUP);
  await_file_text (log, "Keeping the TLS certificate in use");
  served = served_certificate (url);
  g_assert_true (g_tls_certificate_is_same (served, renewed));

  stop (process);
}


int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  work_directory = g_dir_make_tmp ("test-service-daemon-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/service/daemon/notify", test_notify);
  g_test_add_func ("/service/daemon/socket-activation", test_socket_activation);
  g_test_add_func ("/service/daemon/log-file-and-reload", test_log_file_and_reload);

  status = g_test_run ();

  service_test_remove_directory (work_directory);
  g_free (work_directory);

  return status;
}

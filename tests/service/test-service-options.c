/* test-service-options.c — the service's flags and configuration file
 *
 * One table makes both; these tests check precedence (command line, then
 * file, then default), that a bad value or unknown key is an error naming
 * where it came from, the systemd environment (STATE_DIRECTORY,
 * CREDENTIALS_DIRECTORY), the configuration file the packages install,
 * and the real binary started from a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "enr-service-options.h"

#include "service-test-util.h"

static char *work_directory;


static char *
write_config (const char *name,
              const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (work_directory, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

/* Parses @args (NULL-terminated, without argv[0]) into @options. */
static gboolean
parse (EnrServiceOptions  *options,
       const char * const *args,
       GError            **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  char **array;
  int argc;
  gboolean ok;

  g_ptr_array_add (argv, g_strdup ("enrollment-service"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  /* GOption rearranges the array; keep our own copy to free. */
  array = g_memdup2 (argv->pdata, argv->len * sizeof (char *));
  argc = argv->len - 1;
  enr_service_options_init (options);
  {
    char **parsed = array;

    ok = enr_service_options_parse (options, &argc, &parsed, error);
  }
  g_free (array);

  return ok;
}

static void
test_defaults (void)
{
  g_autofree char *config = write_config ("empty.conf", "");
  const char * const args[] = { "--config", config, NULL };
  g_autoptr(GError) error = NULL;
  EnrServiceOptions options;
  EnrServiceConfig defaults;

  g_unsetenv ("STATE_DIRECTORY");
  g_unsetenv ("CREDENTIALS_DIRECTORY");
  g_assert_true (parse (&options, args, &error));
  g_assert_no_error (error);

  enr_service_config_init (&defaults);
  g_assert_cmpstr (options.listen, ==, ENR_SERVICE_DEFAULT_LISTEN);
  g_assert_cmpfloat (options.config.rate, ==, defaults.rate);
  g_assert_cmpuint (options.config.max_body, ==, defaults.max_body);
  g_assert_cmpint (options.config.session_ttl, ==, defaults.session_ttl);
  g_assert_false (options.demo);
  g_assert_null (options.tls_certificate);
  g_assert_cmpstr (options.config_read, ==, config);
  g_assert_true (g_str_has_suffix (options.database, "/enrollment-service/service.db"));

  enr_service_options_clear (&options);
}

static void
test_precedence (void)
{
  g_autofree char *config = write_config ("service.conf",
                                          "# The site's settings\n"
                                          "[service]\n"
                                          "listen = 127.0.0.1:9000\n"
                                          "database=/srv/enrollment/service.db\n"
                                          "rate-limit=5.5\n"
                                          "session-ttl = 600\n"
                                          "max-body=2048\n"
                                          "demo=false\n");
  const char * const args[] = { "--config", config, "--listen=127.0.0.1:0", "--session-ttl", "30", NULL };
  g_autoptr(GError) error = NULL;
  EnrServiceOptions options;

  g_assert_true (parse (&options, args, &error));
  g_assert_no_error (error);

  /* The command line wins; the file fills in the rest. */
  g_assert_cmpstr (options.listen, ==, "127.0.0.1:0");
  g_assert_cmpint (options.config.session_ttl, ==, 30);
  g_assert_cmpstr (options.database, ==, "/srv/enrollment/service.db");
  g_assert_cmpfloat (options.config.rate, ==, 5.5);
  g_assert_cmpuint (options.config.max_body, ==, 2048);
  g_assert_false (options.demo);

  enr_service_options_clear (&options);
}

static void
test_flag_in_file (void)
{
  g_autofree char *config = write_config ("demo.conf", "[service]\ndemo=true\n");
  const char * const args[] = { "--config", config, NULL };
  g_autoptr(GError) error = NULL;
  EnrServiceOptions options;

  g_assert_true (parse (&options, args, &error));
  g_assert_true (options.demo);
  enr_service_options_clear (&options);
}

typedef struct
{
  const char *contents;     /* NULL: the arguments alone are wrong */
  const char *argument;
  const char *message;      /* a part of the error */
} BadCase;

static void
test_bad_input (void)
{
  static const BadCase cases[] = {
    { "[service]\nrate-limit=fast\n", NULL, "rate-limit: “fast” is not a number from 0 to 1000000" },
    { "[service]\nrate-limit=-1\n", NULL, "rate-limit: “-1” is not a number" },
    { "[service]\nrate-limit=nan\n", NULL, "is not a number" },
    { "[service]\nmax-body=1e6\n", NULL, "max-body: “1e6” is not a whole number from 1 to 2147483647" },
    { "[service]\nmax-body=0\n", NULL, "max-body: “0” is not a whole number" },
    { "[service]\nsession-ttl=99999999999999999999\n", NULL, "session-ttl: “99999999999999999999” is not a whole number" },
    { "[service]\nchange-retention=\n", NULL, "change-retention: “” is not a whole number" },
    { "[service]\nlisten=\n", NULL, "listen needs a value" },
    { "[service]\ndemo=yes\n", NULL, "demo: “yes” is neither true nor false" },
    { "[service]\nlisen=127.0.0.1:1\n", NULL, "unknown key “lisen”" },
    { "[service]\nconfig=/etc/other.conf\n", NULL, "“config” is an option of the command line only" },
    { "[server]\nlisten=127.0.0.1:1\n", NULL, "unknown group [server]" },
    { "listen=127.0.0.1:1\n", NULL, "Key file does not start with a group" },
    { "[service]\nlisten=127.0.0.1:1\nlisten=127.0.0.1:2\n[service]\n", NULL, NULL },
    { NULL, "--max-body=-5", "--max-body: “-5” is not a whole number" },
    { NULL, "--rate-burst=0.5", "--rate-burst: “0.5” is not a number from 1 to 1000000" },
    { NULL, "--tls-certificate=/x.pem", "--tls-certificate and --tls-key go together" },
    { NULL, "--nope", "Unknown option --nope" },
    { NULL, "extra", "unexpected argument “extra”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *config = write_config ("bad.conf", cases[i].contents != NULL ? cases[i].contents : "");
      const char * const args[] = { "--config", config, cases[i].argument, NULL };
      g_autoptr(GError) error = NULL;
      EnrServiceOptions options;
      gboolean ok;

      g_test_message ("case %u: %s %s", i, cases[i].contents, cases[i].argument);
      ok = parse (&options, args, &error);
      enr_service_options_clear (&options);

      if (cases[i].message == NULL)
        {
          /* A repeated key keeps its last value, as GKeyFile does. */
          g_assert_no_error (error);
          g_assert_true (ok);
          continue;
        }

      g_assert_false (ok);
      g_assert_nonnull (error);
      g_test_message ("error: %s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      /* Errors from the file name it. */
      if (cases[i].contents != NULL)
        g_assert_nonnull (strstr (error->message, config));
    }
}

static void
test_missing_config (void)
{
  g_autofree char *missing = g_build_filename (work_directory, "missing.conf", NULL);
  const char * const args[] = { "--config", missing, NULL };
  g_autoptr(GError) error = NULL;
  EnrServiceOptions options;

  /* A file asked for by name must be there. */
  g_assert_false (parse (&options, args, &error));
  g_assert_nonnull (strstr (error->message, missing));
  enr_service_options_clear (&options);

  /* The default file may be missing. */
  g_clear_error (&error);
  enr_service_options_init (&options);
  g_assert_true (enr_service_options_load_config (&options, missing, FALSE, &error));
  g_assert_no_error (error);
  g_assert_null (options.config_read);
  enr_service_options_clear (&options);
}

static void
test_systemd_environment (void)
{
  g_autofree char *config = write_config ("empty.conf", "");
  g_autofree char *credentials = g_build_filename (work_directory, "credentials", NULL);
  g_autofree char *certificate = g_build_filename (credentials, "tls-certificate", NULL);
  g_autofree char *key = g_build_filename (credentials, "tls-key", NULL);
  const char * const args[] = { "--config", config, NULL };
  const char * const explicit_tls[] = { "--config", config, "--tls-certificate=/c.pem", "--tls-key=/k.pem", NULL };
  g_autoptr(GError) error = NULL;
  EnrServiceOptions options;

  g_assert_cmpint (g_mkdir_with_parents (credentials, 0700), ==, 0);
  g_assert_true (g_file_set_contents (certificate, "certificate", -1, NULL));
  g_setenv ("STATE_DIRECTORY", "/var/lib/enrollment-service:/var/lib/other", TRUE);
  g_setenv ("CREDENTIALS_DIRECTORY", credentials, TRUE);

  /* One credential without the other is a mistake worth saying. */
  g_assert_false (parse (&options, args, &error));
  g_assert_nonnull (strstr (error->message, "tls-certificate is there but not tls-key"));
  enr_service_options_clear (&options);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (key, "key", -1, NULL));
  g_assert_true (parse (&options, args, &error));
  g_assert_cmpstr (options.database, ==, "/var/lib/enrollment-service/service.db");
  g_assert_cmpstr (options.tls_certificate, ==, certificate);
  g_assert_cmpstr (options.tls_key, ==, key);
  enr_service_options_clear (&options);

  /* Options given win over credentials. */
  g_assert_true (parse (&options, explicit_tls, &error));
  g_assert_cmpstr (options.tls_certificate, ==, "/c.pem");
  g_assert_cmpstr (options.tls_key, ==, "/k.pem");
  enr_service_options_clear (&options);

  g_unsetenv ("STATE_DIRECTORY");
  g_unsetenv ("CREDENTIALS_DIRECTORY");
}

static void
test_help_shows_defaults (void)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *help = NULL;
  EnrServiceOptions options;

  enr_service_options_init (&options);
  context = enr_service_options_new_context (&options);
  help = g_option_context_get_help (context, TRUE, NULL);

  g_assert_nonnull (strstr (help, "--listen=ADDRESS:PORT"));
  g_assert_nonnull (strstr (help, "(default " ENR_SERVICE_DEFAULT_LISTEN ")"));
  g_assert_nonnull (strstr (help, "--rate-limit=N"));
  g_assert_nonnull (strstr (help, "(default 50)"));
  g_assert_nonnull (strstr (help, "--config=FILE"));
  g_assert_nonnull (strstr (help, "conf (command line only)\n"));
  g_assert_nonnull (strstr (help, "[service]"));

  g_clear_pointer (&context, g_option_context_free);
  enr_service_options_clear (&options);
}

/* The help line of --NAME in @help, or NULL. */
static char *
help_line (const char *help,
           const char *name)
{
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  g_autofree char *start = g_strdup_printf ("--%s", name);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *text = lines[i] + strspn (lines[i], " ");

      if (g_str_has_prefix (text, start) &&
          (text[strlen (start)] == '=' || text[strlen (start)] == ' '))
        return g_strdup (text);
    }

  return NULL;
}

/* The configuration file the packages install, with every commented-out
 * "#key=value" taken in: each key is an option the file may set, each
 * value is accepted, and a value shown as a default is the default. */
static void
test_shipped_config (void)
{
  g_autofree char *shipped = g_build_filename (SOURCE_DATADIR, "enrollment-service.conf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GRegex) commented = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) taken_in = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *all_path = NULL;
  g_autofree char *empty_path = write_config ("shipped-empty.conf", "");
  g_auto(GStrv) lines = NULL;
  g_autofree char *all_help = NULL;
  g_autofree char *default_help = NULL;
  EnrServiceOptions all, defaults;

  g_assert_true (g_file_get_contents (shipped, &contents, NULL, &error));
  g_assert_no_error (error);

  commented = g_regex_new ("^#([a-z][a-z0-9-]*)=(.+)$", 0, 0, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      if (g_regex_match (commented, lines[i], 0, &match))
        {
          g_ptr_array_add (keys, g_match_info_fetch (match, 1));
          g_string_append_printf (taken_in, "%s\n", lines[i] + 1);
        }
      else
        g_string_append_printf (taken_in, "%s\n", lines[i]);
    }
  g_assert_cmpuint (keys->len, >, 10);
  all_path = write_config ("shipped-all.conf", taken_in->str);

  g_unsetenv ("STATE_DIRECTORY");
  g_unsetenv ("CREDENTIALS_DIRECTORY");
  {
    const char * const args[] = { "--config", all_path, NULL };

    if (!parse (&all, args, &error))
      g_error ("%s, with its commented-out keys taken in: %s", shipped, error->message);
  }
  {
    const char * const args[] = { "--config", empty_path, NULL };

    g_assert_true (parse (&defaults, args, &error));
    g_assert_no_error (error);
  }

  /* --help shows what the options hold as their defaults. */
  {
    g_autoptr(GOptionContext) context = enr_service_options_new_context (&all);

    all_help = g_option_context_get_help (context, TRUE, NULL);
  }
  {
    g_autoptr(GOptionContext) context = enr_service_options_new_context (&defaults);

    default_help = g_option_context_get_help (context, TRUE, NULL);
  }
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_autofree char *expected = help_line (default_help, key);
      g_autofree char *got = help_line (all_help, key);

      g_assert_nonnull (expected);
      g_assert_nonnull (got);
      /* An option without a default gets an example, such as a path,
       * which --help then shows as its default. */
      if (g_str_has_prefix (got, expected) && g_str_has_prefix (got + strlen (expected), " (default "))
        continue;
      if (!g_str_equal (expected, got))
        g_error ("%s shows “#%s=” with another value than the default:\n  %s\n  %s",
                 shipped, key, expected, got);
    }

  enr_service_options_clear (&all);
  enr_service_options_clear (&defaults);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The real binary reads the file: a bad one stops it with status 2 and
 * the file's name; a good one makes it listen where the file says. */
static void
test_binary (void)
{
  g_autofree char *database = g_build_filename (work_directory, "binary.db", NULL);
  g_autofree char *contents = g_strdup_printf ("[service]\nlisten=127.0.0.1:0\ndatabase=%s\nrate-limit=0\n",
                                               database);
  g_autofree char *config = write_config ("binary.conf", contents);
  g_autofree char *bad = write_config ("binary-bad.conf", "[service]\nmax-body=big\n");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              ENROLLMENT_SERVICE_PATH, "--config", bad, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  g_assert_nonnull (strstr (err, bad));
  g_assert_nonnull (strstr (err, "max-body: “big” is not a whole number"));
  g_clear_object (&process);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, ENROLLMENT_SERVICE_PATH, "--config", config, NULL);
  g_assert_no_error (error);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_assert_true (g_file_test (database, G_FILE_TEST_EXISTS));

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  work_directory = g_dir_make_tmp ("test-service-options-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/service/options/defaults", test_defaults);
  g_test_add_func ("/service/options/precedence", test_precedence);
  g_test_add_func ("/service/options/flag-in-file", test_flag_in_file);
  g_test_add_func ("/service/options/bad-input", test_bad_input);
  g_test_add_func ("/service/options/missing-config", test_missing_config);
  g_test_add_func ("/service/options/systemd-environment", test_systemd_environment);
  g_test_add_func ("/service/options/help-shows-defaults", test_help_shows_defaults);
  g_test_add_func ("/service/options/shipped-config", test_shipped_config);
  g_test_add_func ("/service/options/binary", test_binary);

  status = g_test_run ();
  service_test_remove_directory (work_directory);
  g_free (work_directory);

  return status;
}

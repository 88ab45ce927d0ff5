/* enr-service-options.c — enrollment-service's options: flags and configuration file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * To add an option: add its field (to EnrServiceOptions, or to
 * EnrServiceConfig when the server uses it) and one row to option_specs[]
 * below. The row makes the flag, the configuration key, the --help line
 * (with the default, read from the field before parsing) and the checks
 * of its value; nothing else needs code. Then describe it in
 * docs/man/enrollment-service.8.scd.in, data/enrollment-service.conf and
 * docs/api.md: the man-enrollment-service test fails until all three name
 * every flag of --help (the man page with its argument and default), and
 * the options suite until the file's values are the defaults.
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "enr-service-options.h"

typedef enum
{
  OPTION_STRING,      /* char * */
  OPTION_FILENAME,    /* char *, in the file system's encoding */
  OPTION_FLAG,        /* gboolean; "true"/"false" in the file */
  OPTION_INT64,       /* gint64 */
  OPTION_SIZE,        /* gsize */
  OPTION_UINT,        /* guint */
  OPTION_DOUBLE,      /* double */
} OptionType;

typedef struct
{
  const char *name;              /* --NAME and NAME= */
  OptionType  type;
  gsize       offset;            /* of the field in EnrServiceOptions */
  double      min;               /* numbers: the accepted range */
  double      max;
  const char *arg_description;
  const char *description;
  gboolean    command_line_only;
} OptionSpec;

#define FIELD(member) G_STRUCT_OFFSET (EnrServiceOptions, member)

/* Every option of the service. Keep the man page in step (see above). */
static const OptionSpec option_specs[] = {
  { "config", OPTION_FILENAME, FIELD (config_file), 0, 0, "FILE",
    "Read this configuration file instead of " SYSCONFDIR "/enrollment-service/enrollment-service.conf",
    TRUE },
  { "listen", OPTION_STRING, FIELD (listen), 0, 0, "ADDRESS:PORT",
    "Listen on ADDRESS:PORT; port 0 picks a free one" },
  { "reuse-port", OPTION_FLAG, FIELD (config.net.reuse_port), 0, 0, NULL,
    "Let other instances listen on the same ADDRESS:PORT (SO_REUSEPORT, all of them with this "
    "flag): the kernel spreads the connections among them" },
  { "database", OPTION_FILENAME, FIELD (database), 0, 0, "PATH|URI",
    "The SQLite database (by default service.db in $STATE_DIRECTORY under systemd, else in "
    "$XDG_DATA_HOME/enrollment-service), or a postgresql:// URI (the PG* environment fills in the rest)" },
  { "load", OPTION_FILENAME, FIELD (load), 0, 0, "DIR",
    "Import the data set in DIR (such as the sample data) before serving" },
  { "demo", OPTION_FLAG, FIELD (demo), 0, 0, NULL,
    "Serve a temporary database loaded with the sample data (a PostgreSQL --database: load it there)" },
  { "migrate", OPTION_FLAG, FIELD (migrate), 0, 0, NULL,
    "Bring the database's schema up to date, then exit (PostgreSQL: needed after an upgrade; "
    "stop the older instances first)", TRUE },
  { "tls-certificate", OPTION_FILENAME, FIELD (tls_certificate), 0, 0, "FILE",
    "Serve HTTPS with this PEM certificate (default the credential tls-certificate)" },
  { "tls-key", OPTION_FILENAME, FIELD (tls_key), 0, 0, "FILE",
    "The PEM private key of the certificate (default the credential tls-key)" },
  { "log-file", OPTION_FILENAME, FIELD (log_file), 0, 0, "FILE",
    "Write messages to FILE instead of standard output and error; SIGHUP reopens it" },
  { "rate-limit", OPTION_DOUBLE, FIELD (config.rate), 0, 1e6, "N",
    "Requests per second per client; 0 means unlimited" },
  { "rate-burst", OPTION_DOUBLE, FIELD (config.burst), 1, 1e6, "N",
    "Requests a client may send at once before the rate limit applies" },
  { "session-ttl", OPTION_INT64, FIELD (config.session_ttl), 1, 366 * 24 * 3600, "SECONDS",
    "Lifetime of a sign-in session" },
  { "max-body", OPTION_SIZE, FIELD (config.max_body), 1, G_MAXINT32, "BYTES",
    "Largest request body accepted" },
  { "change-retention", OPTION_INT64, FIELD (config.change_retention), 0, G_MAXINT64, "ROWS",
    "Change-log rows kept for clients that pull changes (GET /v1/changes)" },
  { "max-connections", OPTION_UINT, FIELD (config.net.max_connections), 1, 1000000, "N",
    "Open connections at most (lowered to fit the descriptor limit); more get 503" },
  { "header-timeout", OPTION_UINT, FIELD (config.net.header_timeout), 1, 3600, "SECONDS",
    "Time a client has to send a request head, and may stall a body or a response" },
  { "idle-timeout", OPTION_UINT, FIELD (config.net.idle_timeout), 1, 86400, "SECONDS",
    "Time an idle keep-alive connection is kept open" },
  { "max-header-bytes", OPTION_SIZE, FIELD (config.net.head.max_bytes), 1024, 1048576, "BYTES",
    "Largest request head (request line and header fields); larger get 431" },
  { "max-header-fields", OPTION_UINT, FIELD (config.net.head.max_fields), 1, 10000, "N",
    "Most header fields in a request; more get 431" },
  { "sign-in-lock", OPTION_UINT, FIELD (config.throttle.lock_seconds), 1, 7 * 24 * 3600, "SECONDS",
    "How long an account or address stays locked after too many failed sign-ins" },
  { "sign-in-delay-ms", OPTION_UINT, FIELD (config.throttle.delay_ms), 1, 60 * 1000, "MS",
    "The first delay after a few failed sign-ins, doubled by each further failure (tests shorten it)" },
  { "database-connections", OPTION_UINT, FIELD (config.database_connections), 1, 256, "N",
    "PostgreSQL: connections (each with a thread of its own) the handlers use" },
  /* New options go here, in the order --help should show them. */
};

#undef FIELD

typedef struct
{
  EnrServiceOptions *options;
  GPtrArray         *strings;    /* descriptions built for --help */
} ParseState;

static gpointer
field (EnrServiceOptions *options,
       const OptionSpec  *spec)
{
  return G_STRUCT_MEMBER_P (options, spec->offset);
}

static const OptionSpec *
find_spec (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (option_specs); i++)
    if (g_str_equal (option_specs[i].name, name))
      return &option_specs[i];

  return NULL;
}

static gboolean
is_number (const OptionSpec *spec)
{
  return spec->type == OPTION_INT64 || spec->type == OPTION_SIZE ||
         spec->type == OPTION_UINT || spec->type == OPTION_DOUBLE;
}

/* The value as a user would write it; NULL when unset. */
static char *
format_value (EnrServiceOptions *options,
              const OptionSpec  *spec)
{
  gpointer p = field (options, spec);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  switch (spec->type)
    {
    case OPTION_STRING:
    case OPTION_FILENAME:
      return g_strdup (*(char **) p);
    case OPTION_FLAG:
      return *(gboolean *) p ? g_strdup ("true") : NULL;
    case OPTION_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, *(gint64 *) p);
    case OPTION_SIZE:
      return g_strdup_printf ("%" G_GSIZE_FORMAT, *(gsize *) p);
    case OPTION_UINT:
      return g_strdup_printf ("%u", *(guint *) p);
    case OPTION_DOUBLE:
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", *(double *) p));
    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse_whole (const OptionSpec  *spec,
             const char        *origin,
             const char        *text,
             gint64            *value,
             GError           **error)
{
  char *end = NULL;
  gint64 v;

  errno = 0;
  v = g_ascii_strtoll (text, &end, 10);
  if (text[0] == '\0' || g_ascii_isspace (text[0]) || *end != '\0' || errno != 0 ||
      (double) v < spec->min || (double) v > spec->max)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: “%s” is not a whole number from %.0f to %.0f",
                   origin, text, spec->min, spec->max);
      return FALSE;
    }

  *value = v;
  return TRUE;
}

/* Checks and stores one value, from the command line or the file; @origin
 * names where it came from in error messages. */
static gboolean
set_value (EnrServiceOptions  *options,
           const OptionSpec   *spec,
           const char         *origin,
           const char         *text,
           GError            **error)
{
  gpointer p = field (options, spec);
  gint64 whole;

  switch (spec->type)
    {
    case OPTION_STRING:
    case OPTION_FILENAME:
      if (text == NULL || text[0] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s needs a value", origin);
          return FALSE;
        }
      if (spec->type == OPTION_STRING && !g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s: the value is not valid UTF-8", origin);
          return FALSE;
        }
      g_free (*(char **) p);
      *(char **) p = g_strdup (text);
      return TRUE;

    case OPTION_FLAG:
      if (text == NULL || g_str_equal (text, "true"))
        *(gboolean *) p = TRUE;
      else if (g_str_equal (text, "false"))
        *(gboolean *) p = FALSE;
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s: “%s” is neither true nor false", origin, text);
          return FALSE;
        }
      return TRUE;

    case OPTION_INT64:
      if (!parse_whole (spec, origin, text, &whole, error))
        return FALSE;
      *(gint64 *) p = whole;
      return TRUE;

    case OPTION_SIZE:
      if (!parse_whole (spec, origin, text, &whole, error))
        return FALSE;
      *(gsize *) p = (gsize) whole;
      return TRUE;

    case OPTION_UINT:
      if (!parse_whole (spec, origin, text, &whole, error))
        return FALSE;
      *(guint *) p = (guint) whole;
      return TRUE;

    case OPTION_DOUBLE:
      {
        char *end = NULL;
        double v;

        errno = 0;
        v = g_ascii_strtod (text, &end);
        if (text[0] == '\0' || g_ascii_isspace (text[0]) || *end != '\0' || errno != 0 ||
            !isfinite (v) || v < spec->min || v > spec->max)
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         "%s: “%s” is not a number from %.15g to %.15g", origin, text, spec->min, spec->max);
            return FALSE;
          }
        *(double *) p = v;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

static gboolean
on_option_cb (const char  *option_name,
              const char  *value,
              gpointer     data,
              GError     **error)
{
  ParseState *state = data;
  const OptionSpec *spec;

  /* GOption passes "--name". */
  spec = find_spec (option_name + 2);
  g_assert (spec != NULL);

  if (!set_value (state->options, spec, option_name, value, error))
    return FALSE;

  g_hash_table_add (state->options->given, (gpointer) spec->name);
  return TRUE;
}

static void
parse_state_free (gpointer data)
{
  ParseState *state = data;

  g_ptr_array_unref (state->strings);
  g_free (state);
}

void
enr_service_options_init (EnrServiceOptions *options)
{
  memset (options, 0, sizeof *options);
  options->listen = g_strdup (ENR_SERVICE_DEFAULT_LISTEN);
  enr_service_config_init (&options->config);
  options->given = g_hash_table_new (g_str_hash, g_str_equal);
}

void
enr_service_options_clear (EnrServiceOptions *options)
{
  for (guint i = 0; i < G_N_ELEMENTS (option_specs); i++)
    if (option_specs[i].type == OPTION_STRING || option_specs[i].type == OPTION_FILENAME)
      g_clear_pointer ((char **) field (options, &option_specs[i]), g_free);

  g_clear_pointer (&options->command, g_free);
  g_clear_pointer (&options->command_file, g_free);
  g_clear_pointer (&options->config_read, g_free);
  g_clear_pointer (&options->given, g_hash_table_unref);
}

char *
enr_service_options_default_config_file (void)
{
  return g_build_filename (SYSCONFDIR, "enrollment-service", "enrollment-service.conf", NULL);
}

/**
 * enr_service_options_new_context:
 *
 * A context whose main group is the option table, writing into @options;
 * what @options holds now is shown as each option's default.
 *
 * Returns: (transfer full): the context
 */
GOptionContext *
enr_service_options_new_context (EnrServiceOptions *options)
{
  GOptionContext *context;
  GOptionGroup *group;
  GArray *entries;
  ParseState *state;

  state = g_new0 (ParseState, 1);
  state->options = options;
  state->strings = g_ptr_array_new_with_free_func (g_free);

  entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  for (guint i = 0; i < G_N_ELEMENTS (option_specs); i++)
    {
      const OptionSpec *spec = &option_specs[i];
      g_autofree char *current = format_value (options, spec);
      GOptionEntry entry = { 0 };
      char *description;

      description = g_strdup_printf ("%s%s", spec->description,
                                     spec->command_line_only ? " (command line only)" : "");
      if (current != NULL && spec->type != OPTION_FLAG)
        {
          char *with_default = g_strdup_printf ("%s (default %s)", description, current);

          g_free (description);
          description = with_default;
        }
      g_ptr_array_add (state->strings, description);

      entry.long_name = spec->name;
      entry.arg = G_OPTION_ARG_CALLBACK;
      entry.arg_data = (gpointer) on_option_cb;
      entry.description = description;
      entry.arg_description = spec->arg_description;
      if (spec->type == OPTION_FLAG)
        entry.flags = G_OPTION_FLAG_NO_ARG;
      else if (spec->type == OPTION_FILENAME)
        entry.flags = G_OPTION_FLAG_FILENAME;
      g_array_append_val (entries, entry);
    }

  group = g_option_group_new ("service", "Service options", "Show the service's options",
                              state, parse_state_free);
  g_option_group_add_entries (group, (GOptionEntry *) (gpointer) entries->data);
  /* GOption copies the entries; the descriptions stay with the state. */
  g_array_unref (entries);

  context = g_option_context_new ("[backup FILE | restore FILE | copy TARGET]");
  g_option_context_set_summary (context,
                                "The enrollment service: the REST API (/v1) Enrollment Desk syncs with.\n"
                                "\n"
                                "  backup FILE    copy the database to FILE while the service runs\n"
                                "  restore FILE   replace the database with FILE (stop the service first)\n"
                                "  copy TARGET    copy the SQLite database into an empty PostgreSQL\n"
                                "                 database (a postgresql:// URI; stop the service first)");
  g_option_context_set_description (context,
                                    "Every option may also be set in the [service] group of the configuration\n"
                                    "file as NAME=VALUE; the command line wins. See enrollment-service(8).");
  g_option_context_set_main_group (context, group);

  return context;
}

/**
 * enr_service_options_load_config:
 * @path: the configuration file
 * @must_exist: whether a missing file is an error
 *
 * Sets every option of the file's [service] group that
 * enr_service_options_parse() did not get on the command line. An unknown
 * group or key, or a bad value, is an error naming the file and key.
 */
gboolean
enr_service_options_load_config (EnrServiceOptions  *options,
                                 const char         *path,
                                 gboolean            must_exist,
                                 GError            **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) keys = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      if (!must_exist && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "%s: %s", path, local_error->message);
      return FALSE;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    if (!g_str_equal (groups[i], ENR_SERVICE_CONFIG_GROUP))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                     "%s: unknown group [%s]; the options go in [%s]",
                     path, groups[i], ENR_SERVICE_CONFIG_GROUP);
        return FALSE;
      }

  keys = g_key_file_get_keys (file, ENR_SERVICE_CONFIG_GROUP, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      const OptionSpec *spec = find_spec (keys[i]);
      g_autofree char *origin = g_strdup_printf ("%s: %s", path, keys[i]);
      g_autofree char *value = NULL;

      if (spec == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                       "%s: unknown key “%s” (the keys are in enrollment-service(8))", path, keys[i]);
          return FALSE;
        }
      if (spec->command_line_only)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                       "%s: “%s” is an option of the command line only, not a key of the file",
                       path, keys[i]);
          return FALSE;
        }

      if (g_hash_table_contains (options->given, spec->name))
        continue;

      if (spec->type == OPTION_STRING || spec->type == OPTION_FILENAME)
        value = g_key_file_get_string (file, ENR_SERVICE_CONFIG_GROUP, keys[i], &local_error);
      else
        value = g_key_file_get_value (file, ENR_SERVICE_CONFIG_GROUP, keys[i], &local_error);
      if (value == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s: %s", origin, local_error->message);
          return FALSE;
        }
      if (is_number (spec) || spec->type == OPTION_FLAG)
        g_strstrip (value);

      if (!set_value (options, spec, origin, value, error))
        return FALSE;
    }

  g_free (options->config_read);
  options->config_read = g_strdup (path);

  return TRUE;
}

/* A systemd credential (LoadCredential=NAME:PATH), if the service has it. */
static char *
find_credential (const char *name)
{
  const char *directory = g_getenv ("CREDENTIALS_DIRECTORY");
  g_autofree char *path = NULL;

  if (directory == NULL || directory[0] == '\0')
    return NULL;

  path = g_build_filename (directory, name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  return g_steal_pointer (&path);
}

/**
 * enr_service_options_resolve:
 *
 * Fills in what depends on the environment: the default database
 * ($STATE_DIRECTORY under systemd, else the XDG data folder) and the TLS
 * files from the systemd credentials tls-certificate and tls-key when
 * neither was given; checks that the TLS options come in pairs.
 */
gboolean
enr_service_options_resolve (EnrServiceOptions  *options,
                             GError            **error)
{
  if (options->database == NULL)
    {
      const char *state = g_getenv ("STATE_DIRECTORY");

      if (state != NULL && state[0] != '\0')
        {
          /* Several directories are separated by colons; ours is the first. */
          g_autofree char *first = g_strndup (state, strcspn (state, ":"));

          options->database = g_build_filename (first, "service.db", NULL);
        }
      else
        options->database = g_build_filename (g_get_user_data_dir (), "enrollment-service",
                                              "service.db", NULL);
    }

  if (options->tls_certificate == NULL && options->tls_key == NULL)
    {
      options->tls_certificate = find_credential ("tls-certificate");
      options->tls_key = find_credential ("tls-key");
      if ((options->tls_certificate != NULL) != (options->tls_key != NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "the credential %s is there but not %s: load both (LoadCredential=)",
                       options->tls_certificate != NULL ? "tls-certificate" : "tls-key",
                       options->tls_certificate != NULL ? "tls-key" : "tls-certificate");
          return FALSE;
        }
    }

  if ((options->tls_certificate != NULL) != (options->tls_key != NULL))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--tls-certificate and --tls-key go together");
      return FALSE;
    }

  return TRUE;
}

/**
 * enr_service_options_parse:
 *
 * Parses the command line into @options (initialized with
 * enr_service_options_init()), then the configuration file (--config, or
 * the default one when it exists), then resolves the rest. --help prints
 * the options and exits.
 */
gboolean
enr_service_options_parse (EnrServiceOptions   *options,
                           int                 *argc,
                           char              ***argv,
                           GError             **error)
{
  g_autoptr(GOptionContext) context = enr_service_options_new_context (options);

  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (*argc > 1)
    {
      const char *command = (*argv)[1];

      if (!g_str_equal (command, "backup") && !g_str_equal (command, "restore") &&
          !g_str_equal (command, "copy"))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       "unexpected argument “%s”", command);
          return FALSE;
        }
      if (*argc != 3)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       "%s takes one %s", command, g_str_equal (command, "copy") ? "TARGET" : "FILE");
          return FALSE;
        }
      options->command = g_strdup (command);
      options->command_file = g_strdup ((*argv)[2]);
    }

  if (options->config_file != NULL)
    {
      if (!enr_service_options_load_config (options, options->config_file, TRUE, error))
        return FALSE;
    }
  else
    {
      g_autofree char *path = enr_service_options_default_config_file ();

      if (!enr_service_options_load_config (options, path, FALSE, error))
        return FALSE;
    }

  return enr_service_options_resolve (options, error);
}

/**
 * enr_service_find_sample_data:
 *
 * The sample data set: installed relative to the binary
 * (SBINDIR/../share/enrollment-service/sample, wherever the tree was
 * installed or unpacked), else the source tree of an uninstalled build.
 *
 * Returns: (transfer full): the folder
 */
char *
enr_service_find_sample_data (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe != NULL)
    {
      g_autofree char *exedir = g_path_get_dirname (exe);
      g_autofree char *installed = g_build_filename (exedir, SBINDIR_TO_DATADIR,
                                                     "enrollment-service", "sample", NULL);

      if (g_file_test (installed, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&installed);
    }

  return g_build_filename (SOURCE_DATADIR, "sample", NULL);
}

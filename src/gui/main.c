/* main.c — enrollment-desk, the desktop client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "enr-application.h"

/* The translations: $ENR_LOCALEDIR (an uninstalled build may point at its
 * own), else those installed beside the binary (BINDIR/../share/locale,
 * wherever the tree was installed: a DESTDIR too), else LOCALEDIR. */
static char *
find_localedir (void)
{
  const char *variable = g_getenv ("ENR_LOCALEDIR");
  g_autofree char *exe = NULL;

  if (variable != NULL && variable[0] != '\0')
    return g_strdup (variable);

  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      g_autofree char *bindir = g_path_get_dirname (exe);
      g_autofree char *beside = g_build_filename (bindir, BINDIR_TO_LOCALEDIR, NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&beside);
    }

  return g_strdup (LOCALEDIR);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(EnrApplication) app = NULL;
  g_autofree char *localedir = find_localedir ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = enr_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

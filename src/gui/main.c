/* main.c — enrollment-desk, the desktop client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "enr-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(EnrApplication) app = NULL;
  const char *localedir;

  /* An uninstalled build may point at its own compiled translations. */
  localedir = g_getenv ("ENR_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = enr_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* gtk-minimal.c — the yardstick of build-aux/bench-gui: a minimal GTK 4
 * application window, started and measured as enrollment-desk is
 *
 * A GtkApplication (default flags, as enrollment-desk) whose activate
 * shows a GtkApplicationWindow with a header bar and a label; the first
 * painted frame prints "first-frame <wall-clock µs>" and quits, as
 * enrollment-desk does with ENR_REPORT_FIRST_FRAME=quit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>

static gulong after_paint_id;

static void
on_after_paint_cb (GdkFrameClock  *clock,
                   GtkApplication *application)
{
  g_clear_signal_handler (&after_paint_id, clock);
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_real_time ());
  fflush (stdout);
  g_application_quit (G_APPLICATION (application));
}

static void
on_realize_cb (GtkWidget      *window,
               GtkApplication *application)
{
  after_paint_id = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                                     G_CALLBACK (on_after_paint_cb), application);
}

static void
on_activate_cb (GtkApplication *application)
{
  GtkWidget *window = gtk_application_window_new (application);

  gtk_window_set_titlebar (GTK_WINDOW (window), gtk_header_bar_new ());
  gtk_window_set_title (GTK_WINDOW (window), "Minimal");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Hello"));
  g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), application);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) application = NULL;

  application = gtk_application_new ("io.github.enrollmentdesk.BenchMinimal", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (application, "activate", G_CALLBACK (on_activate_cb), NULL);

  return g_application_run (G_APPLICATION (application), argc, argv);
}

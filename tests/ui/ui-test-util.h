/* ui-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How long wait_until() and press() wait before failing the test. */
extern gint64 ui_test_timeout_us;

typedef gboolean (*Matcher) (GtkWidget *widget, gconstpointer data);

#define wait_until(cond, data) g_assert_true (wait_until_impl ((cond), (data), #cond, ui_test_timeout_us))

gboolean wait_until_impl (gboolean  (*condition) (gpointer),
                          gpointer    data,
                          const char *what,
                          gint64      timeout_us);
/* Lets pending idle work, layout and drawing run, for a bounded time. */
void settle (void);
gboolean is_mapped (gpointer widget);
gboolean is_true (gpointer data);
GtkWidget * find_widget (GtkWidget     *root,
                         Matcher        matcher,
                         gconstpointer  data);
GtkWidget * find_by_label (gpointer    root,
                           const char *label);
GtkWidget * find_button (gpointer    root,
                         const char *label);
/* Matches a widget whose accessible label is DATA (a plain GtkLabel showing
 * DATA is its visible text, not the control it names). */
gboolean match_label (GtkWidget     *widget,
                      gconstpointer  data);
gboolean match_button (GtkWidget     *widget,
                       gconstpointer  data);
gboolean has_accessible_label (GtkWidget  *widget,
                               const char *label);
void on_clicked_cb (GtkButton *button,
                    gboolean  *clicked);
void press (GtkWidget *button);
void on_after_paint_cb (GdkFrameClock *clock,
                        guint         *n_paints);
gboolean painted_twice (gpointer data);

G_END_DECLS

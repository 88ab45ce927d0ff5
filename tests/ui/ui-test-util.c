/* ui-test-util.c — helpers shared by the UI tests: bounded waits and
 * finding and pressing widgets by their accessible names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ui-test-util.h"

gint64 ui_test_timeout_us = 5 * G_USEC_PER_SEC;

gboolean
wait_until_impl (gboolean  (*condition) (gpointer),
                 gpointer    data,
                 const char *what,
                 gint64      timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_test_message ("timed out waiting for %s", what);
          return FALSE;
        }

      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }

  return TRUE;
}

void
settle (void)
{
  gint64 end = g_get_monotonic_time () + 150 * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

GtkWidget *
find_widget (GtkWidget     *root,
             Matcher        matcher,
             gconstpointer  data)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;

  if (matcher (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, matcher, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
find_by_label (gpointer    root,
               const char *label)
{
  GtkWidget *found = find_widget (GTK_WIDGET (root), match_label, label);

  if (found == NULL)
    g_error ("No mapped widget labelled “%s” under %s", label, G_OBJECT_TYPE_NAME (root));

  return found;
}

GtkWidget *
find_button (gpointer    root,
             const char *label)
{
  GtkWidget *found = find_widget (GTK_WIDGET (root), match_button, label);

  if (found == NULL)
    g_error ("No mapped button “%s” under %s", label, G_OBJECT_TYPE_NAME (root));

  return found;
}

gboolean
match_label (GtkWidget     *widget,
             gconstpointer  data)
{
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), data))
    return FALSE;

  return has_accessible_label (widget, data);
}

gboolean
match_button (GtkWidget     *widget,
              gconstpointer  data)
{
  const char *text;
  g_autoptr(GString) plain = NULL;

  if (!GTK_IS_BUTTON (widget) || (text = gtk_button_get_label (GTK_BUTTON (widget))) == NULL)
    return FALSE;

  plain = g_string_new (text);
  if (gtk_button_get_use_underline (GTK_BUTTON (widget)))
    g_string_replace (plain, "_", "", 0);

  return g_str_equal (plain->str, data);
}

gboolean
has_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  g_autofree char *mismatch = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;

  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  return mismatch == NULL;
}

void
on_clicked_cb (GtkButton *button,
               gboolean  *clicked)
{
  *clicked = TRUE;
}

void
press (GtkWidget *button)
{
  gboolean clicked = FALSE;
  gulong handler;

  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));

  g_object_ref (button);
  handler = g_signal_connect (button, "clicked", G_CALLBACK (on_clicked_cb), &clicked);
  g_assert_true (gtk_widget_activate (button));
  wait_until (is_true, &clicked);
  g_signal_handler_disconnect (button, handler);
  g_object_unref (button);
}

void
on_after_paint_cb (GdkFrameClock *clock,
                   guint         *n_paints)
{
  (*n_paints)++;
}

gboolean
painted_twice (gpointer data)
{
  return *(guint *) data >= 2;
}

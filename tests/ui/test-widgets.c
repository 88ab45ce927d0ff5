/* test-widgets.c — the small helpers of src/gui/common, widget by widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>

#include "enr-choice-list.h"
#include "enr-gui-utils.h"

static const char * const ids[] = { "email", "phone", "letter", NULL };
static const char * const labels[] = { "Email", "Phone", "Letter", NULL };

static char *
item_label (GListModel *model,
            guint       position)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (model, position);

  return item != NULL ? g_strdup (gtk_string_object_get_string (item)) : NULL;
}

static guint
count_type_ahead (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      n += g_strcmp0 (gtk_event_controller_get_name (controller), "enr-type-ahead") == 0;
    }

  return n;
}

/* The codes are the model's: the items stay GtkStringObjects. */
static void
test_choice_list (void)
{
  g_autoptr(EnrChoiceList) with = enr_choice_list_new ("Not chosen", ids, labels);
  g_autoptr(EnrChoiceList) without = enr_choice_list_new (NULL, ids, labels);
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (with)) == GTK_TYPE_STRING_OBJECT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (with)), ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (without)), ==, 3);
  first = item_label (G_LIST_MODEL (with), 0);
  last = item_label (G_LIST_MODEL (with), 3);
  g_assert_cmpstr (first, ==, "Not chosen");
  g_assert_cmpstr (last, ==, "Letter");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (with), 4));

  g_assert_true (enr_choice_list_has_placeholder (with));
  g_assert_false (enr_choice_list_has_placeholder (without));
  g_assert_null (enr_choice_list_get_id (with, 0));
  g_assert_cmpstr (enr_choice_list_get_id (with, 1), ==, "email");
  g_assert_cmpstr (enr_choice_list_get_id (without, 0), ==, "email");
  g_assert_null (enr_choice_list_get_id (with, 4));
  g_assert_null (enr_choice_list_get_id (with, GTK_INVALID_LIST_POSITION));

  g_assert_cmpuint (enr_choice_list_find (with, "letter"), ==, 3);
  g_assert_cmpuint (enr_choice_list_find (without, "letter"), ==, 2);
  g_assert_cmpuint (enr_choice_list_find (with, "fax"), ==, 0);
  g_assert_cmpuint (enr_choice_list_find (with, NULL), ==, 0);
  g_assert_cmpuint (enr_choice_list_find (without, "fax"), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (enr_choice_list_find (without, NULL), ==, GTK_INVALID_LIST_POSITION);
}

static void
test_drop_down_choices (void)
{
  GtkWidget *drop_down = g_object_ref_sink (gtk_drop_down_new (NULL, NULL));
  g_autoptr(GtkStringList) plain = gtk_string_list_new (labels);
  static const char * const other_ids[] = { "a", NULL };
  static const char * const other_labels[] = { "A", NULL };

  /* Not filled here: no codes. */
  g_assert_null (enr_drop_down_get_selected_id (GTK_DROP_DOWN (drop_down)));

  enr_drop_down_set_choices (GTK_DROP_DOWN (drop_down), enr_drop_down_placeholder (), ids, labels, "phone");
  g_assert_true (ENR_IS_CHOICE_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (drop_down))));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down)), ==, 2);
  g_assert_cmpstr (enr_drop_down_get_selected_id (GTK_DROP_DOWN (drop_down)), ==, "phone");

  /* Unknown or no code: the placeholder, which has none. */
  enr_drop_down_select_id (GTK_DROP_DOWN (drop_down), "fax");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down)), ==, 0);
  g_assert_null (enr_drop_down_get_selected_id (GTK_DROP_DOWN (drop_down)));
  enr_drop_down_select_id (GTK_DROP_DOWN (drop_down), "letter");
  g_assert_cmpstr (enr_drop_down_get_selected_id (GTK_DROP_DOWN (drop_down)), ==, "letter");
  enr_drop_down_select_id (GTK_DROP_DOWN (drop_down), NULL);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down)), ==, 0);

  /* Without a placeholder, an unknown code selects nothing. */
  enr_drop_down_set_items (GTK_DROP_DOWN (drop_down), ids, labels, "fax");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down)), ==, GTK_INVALID_LIST_POSITION);
  g_assert_null (enr_drop_down_get_selected_id (GTK_DROP_DOWN (drop_down)));
  enr_drop_down_select_id (GTK_DROP_DOWN (drop_down), "email");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down)), ==, 0);
  g_assert_cmpstr (enr_drop_down_get_selected_id (GTK_DROP_DOWN (drop_down)), ==, "email");

  /* Filled again and again: one type-ahead, nothing hung on the widget. */
  enr_drop_down_set_choices (GTK_DROP_DOWN (drop_down), NULL, other_ids, other_labels, "a");
  g_assert_cmpstr (enr_drop_down_get_selected_id (GTK_DROP_DOWN (drop_down)), ==, "a");
  g_assert_cmpuint (count_type_ahead (drop_down), ==, 1);
  g_assert_null (g_object_get_data (G_OBJECT (drop_down), "enr-ids"));
  g_assert_null (g_object_get_data (G_OBJECT (drop_down), "enr-placeholder"));
  g_assert_null (g_object_get_data (G_OBJECT (drop_down), "enr-type-ahead"));

  /* A model set by someone else has no codes. */
  gtk_drop_down_set_model (GTK_DROP_DOWN (drop_down), G_LIST_MODEL (plain));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), 1);
  g_assert_null (enr_drop_down_get_selected_id (GTK_DROP_DOWN (drop_down)));

  g_object_unref (drop_down);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  enr_gui_init ();

  g_test_add_func ("/widgets/choice-list", test_choice_list);
  g_test_add_func ("/widgets/drop-down-choices", test_drop_down_choices);

  return g_test_run ();
}

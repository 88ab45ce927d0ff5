/* test-window-model.c — a few rows in sight over a long list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EnrWindowModel lists "size" rows standing for the positions offset …
 * offset + size - 1 of a long model. Moving the offset changes what the
 * same rows stand for, without telling the list (no row added or
 * removed), and reads the items when asked; rows are
 * added or removed at the end when the size or the long model's length
 * asks for it, and the window never runs past the long model's end.
 */

#include "config.h"

#include "enr-core.h"
#include "enr-window-model.h"

typedef struct
{
  guint position, removed, added;
  guint count;
} Change;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Change     *change)
{
  change->position = position;
  change->removed = removed;
  change->added = added;
  change->count++;
}

/* A list of customers "c-0" … */
static GListModel *
long_model (guint n)
{
  GListStore *store = g_list_store_new (ENR_TYPE_CUSTOMER);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EnrCustomer) customer = enr_customer_new ();
      g_autofree char *id = g_strdup_printf ("c-%u", i);

      enr_entity_set_id (ENR_ENTITY (customer), id);
      g_list_store_append (store, customer);
    }

  return G_LIST_MODEL (store);
}

/* What the rows stand for, as "position:id …". */
static char *
window_text (EnrWindowModel *window)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (window)); i++)
    {
      g_autoptr(EnrWindowRow) row = g_list_model_get_item (G_LIST_MODEL (window), i);
      EnrEntity *item = enr_window_row_get_item (row);

      g_assert_true (enr_window_row_get_listed (row));
      g_string_append_printf (text, "%s%u:%s", text->len > 0 ? " " : "", enr_window_row_get_position (row),
                              item != NULL ? enr_entity_get_id (item) : "-");
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

#define assert_window(window_, expected_) \
  G_STMT_START { \
    g_autofree char *text_ = window_text (window_); \
    g_assert_cmpstr (text_, ==, expected_); \
  } G_STMT_END

static void
test_window_moves (void)
{
  g_autoptr(GListModel) model = long_model (10);
  g_autoptr(EnrWindowModel) window = enr_window_model_new (model, 3);
  g_autoptr(EnrWindowRow) first = NULL;
  Change change = { 0 };

  g_signal_connect (window, "items-changed", G_CALLBACK (on_items_changed_cb), &change);
  g_assert_true (enr_window_model_get_model (window) == model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window)), ==, 3);
  g_assert_cmpuint (enr_window_model_get_max_offset (window), ==, 7);
  assert_window (window, "0:c-0 1:c-1 2:c-2");

  /* The same rows stand for other positions; the list is not told. */
  first = g_list_model_get_item (G_LIST_MODEL (window), 0);
  g_assert_true (enr_window_model_set_offset (window, 1));
  g_assert_false (enr_window_model_set_offset (window, 1));
  g_assert_cmpuint (enr_window_model_get_offset (window), ==, 1);
  assert_window (window, "1:c-1 2:c-2 3:c-3");
  g_assert_cmpuint (enr_window_row_get_position (first), ==, 1);
  g_assert_cmpuint (change.count, ==, 0);

  /* A jump far away; past the end, it stops at the end. */
  enr_window_model_set_offset (window, 5);
  assert_window (window, "5:c-5 6:c-6 7:c-7");
  enr_window_model_set_offset (window, 1000);
  g_assert_cmpuint (enr_window_model_get_offset (window), ==, 7);
  assert_window (window, "7:c-7 8:c-8 9:c-9");
  g_assert_cmpuint (change.count, ==, 0);

  /* Taller at the end: rows added at the end, the window moved back so
   * that it still ends at the model's end. */
  enr_window_model_set_size (window, 5);
  g_assert_cmpuint (enr_window_model_get_size (window), ==, 5);
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpuint (change.position, ==, 3);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 2);
  assert_window (window, "5:c-5 6:c-6 7:c-7 8:c-8 9:c-9");

  /* Shorter: rows removed at the end; a removed row holds nothing. */
  {
    g_autoptr(EnrWindowRow) last = g_list_model_get_item (G_LIST_MODEL (window), 4);

    enr_window_model_set_size (window, 2);
    g_assert_cmpuint (change.count, ==, 2);
    g_assert_cmpuint (change.position, ==, 2);
    g_assert_cmpuint (change.removed, ==, 3);
    g_assert_cmpuint (change.added, ==, 0);
    g_assert_false (enr_window_row_get_listed (last));
    g_assert_null (enr_window_row_get_item (last));
    assert_window (window, "5:c-5 6:c-6");
  }
}

static void
test_window_follows_the_model (void)
{
  g_autoptr(GListModel) model = long_model (10);
  g_autoptr(EnrWindowModel) window = enr_window_model_new (model, 4);
  Change change = { 0 };
  g_autoptr(EnrCustomer) other = enr_customer_new ();

  g_signal_connect (window, "items-changed", G_CALLBACK (on_items_changed_cb), &change);
  enr_window_model_set_offset (window, 6);
  assert_window (window, "6:c-6 7:c-7 8:c-8 9:c-9");

  /* An item replaced in sight is read again. */
  enr_entity_set_id (ENR_ENTITY (other), "other");
  g_list_store_splice (G_LIST_STORE (model), 7, 1, (gpointer *) &other, 1);
  g_assert_cmpuint (change.count, ==, 0);
  assert_window (window, "6:c-6 7:other 8:c-8 9:c-9");

  /* The model gets shorter than the window's end: the window moves back
   * and keeps its rows while the model is long enough. */
  g_list_store_remove (G_LIST_STORE (model), 0);
  g_list_store_remove (G_LIST_STORE (model), 0);
  g_assert_cmpuint (change.count, ==, 0);
  assert_window (window, "4:c-6 5:other 6:c-8 7:c-9");

  /* Shorter than the window: rows removed at the end. */
  g_list_store_splice (G_LIST_STORE (model), 0, 6, NULL, 0);
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpuint (change.position, ==, 2);
  g_assert_cmpuint (change.removed, ==, 2);
  g_assert_cmpuint (change.added, ==, 0);
  assert_window (window, "0:c-8 1:c-9");

  /* Empty, then long again: rows added at the end, from the top. */
  g_list_store_remove_all (G_LIST_STORE (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window)), ==, 0);
  g_assert_cmpuint (enr_window_model_get_max_offset (window), ==, 0);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(EnrCustomer) customer = enr_customer_new ();
      g_autofree char *id = g_strdup_printf ("n-%u", i);

      enr_entity_set_id (ENR_ENTITY (customer), id);
      g_list_store_append (G_LIST_STORE (model), customer);
    }
  assert_window (window, "0:n-0 1:n-1 2:n-2 3:n-3");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/window-model/moves", test_window_moves);
  g_test_add_func ("/client/window-model/follows-the-model", test_window_follows_the_model);

  return g_test_run ();
}

/* test-row-model.c — stable rows over a list model that replaces its items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EnrRowModel keeps one row per position: when the model under it
 * replaces items in place, the rows someone holds take the new items
 * (and notify "item") instead of being removed and added, and only a
 * change of length is reported: added at the end of the changed range,
 * removed at the start of the list. A row reads its item only when asked
 * for it.
 */

#include "config.h"

#include "enr-core.h"
#include "enr-row-model.h"

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

static void
on_item_notify_cb (EnrRow     *row,
                   GParamSpec *pspec,
                   guint      *count)
{
  (*count)++;
}

static EnrCustomer *
customer (const char *id)
{
  EnrCustomer *object = enr_customer_new ();

  enr_entity_set_id (ENR_ENTITY (object), id);
  return object;
}

/* Replaces the items of @store from @position with customers named by
 * @prefix. */
static void
splice (GListStore *store,
        guint       position,
        guint       removed,
        guint       added,
        const char *prefix)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < added; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%u", prefix, i);

      g_ptr_array_add (items, customer (id));
    }
  g_list_store_splice (store, position, removed, items->pdata, added);
}

static const char *
row_id (EnrRowModel *rows,
        guint        position)
{
  g_autoptr(EnrRow) row = g_list_model_get_item (G_LIST_MODEL (rows), position);

  return enr_entity_get_id (enr_row_get_item (row));
}

static void
test_rows (void)
{
  g_autoptr(GListStore) store = g_list_store_new (ENR_TYPE_CUSTOMER);
  g_autoptr(EnrRowModel) rows = NULL;
  g_autoptr(EnrRow) first = NULL;
  g_autoptr(EnrRow) third = NULL;
  g_autoptr(EnrRow) again = NULL;
  g_autoptr(EnrRow) outside = NULL;
  g_autoptr(EnrRow) again_at_0 = NULL;
  g_autoptr(EnrRow) last = NULL;
  g_autoptr(EnrRow) second = NULL;
  Change change = { 0 };
  guint first_notified = 0, third_notified = 0, outside_notified = 0;

  splice (store, 0, 0, 5, "a");
  rows = enr_row_model_new (G_LIST_MODEL (store));
  g_assert_true (enr_row_model_get_model (rows) == G_LIST_MODEL (store));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (rows)) == ENR_TYPE_ROW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 5);
  g_signal_connect (rows, "items-changed", G_CALLBACK (on_items_changed_cb), &change);

  first = g_list_model_get_item (G_LIST_MODEL (rows), 0);
  third = g_list_model_get_item (G_LIST_MODEL (rows), 2);
  g_assert_cmpuint (enr_row_get_position (third), ==, 2);
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (third)), ==, "a-2");
  again = g_list_model_get_item (G_LIST_MODEL (rows), 2);
  g_assert_true (again == third);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (rows), 5));
  g_signal_connect (first, "notify::item", G_CALLBACK (on_item_notify_cb), &first_notified);
  g_signal_connect (third, "notify::item", G_CALLBACK (on_item_notify_cb), &third_notified);

  /* Every item replaced, same length: no change reported, the held rows
   * take their new items. */
  splice (store, 0, 5, 5, "b");
  g_assert_cmpuint (change.count, ==, 0);
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (first)), ==, "b-0");
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (third)), ==, "b-2");
  g_assert_cmpuint (first_notified, ==, 1);
  g_assert_cmpuint (third_notified, ==, 1);
  g_assert_cmpstr (row_id (rows, 4), ==, "b-4");

  /* Longer: the rows added at the end of the changed range. */
  splice (store, 0, 5, 8, "c");
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpuint (change.position, ==, 5);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 8);
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (third)), ==, "c-2");
  g_assert_cmpstr (row_id (rows, 7), ==, "c-7");

  /* Two removed at the start: the rows after them move up with their
   * items, the first row's place is gone. */
  outside = g_list_model_get_item (G_LIST_MODEL (rows), 6);
  g_list_store_splice (store, 0, 2, NULL, 0);
  g_assert_cmpuint (change.count, ==, 2);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.removed, ==, 2);
  g_assert_cmpuint (change.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 6);
  g_assert_cmpuint (enr_row_get_position (outside), ==, 4);
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (outside)), ==, "c-6");
  g_assert_cmpuint (enr_row_get_position (third), ==, 0);
  g_assert_cmpstr (row_id (rows, 0), ==, "c-2");

  /* Shorter: the rows removed at the start of the list (GTK 4.8 removes
   * wrongly from inside a range of rows without widgets); the rows that
   * stay, moved up, take the items of their new places. */
  g_signal_connect (outside, "notify::item", G_CALLBACK (on_item_notify_cb), &outside_notified);
  splice (store, 0, 6, 2, "d");
  g_assert_cmpuint (change.count, ==, 3);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.removed, ==, 4);
  g_assert_cmpuint (change.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 2);
  g_assert_cmpuint (enr_row_get_position (outside), ==, 0);
  g_assert_true (enr_row_get_listed (outside));
  g_assert_false (enr_row_get_listed (third));
  g_assert_cmpuint (outside_notified, ==, 1);
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (outside)), ==, "d-0");
  g_assert_cmpstr (row_id (rows, 0), ==, "d-0");
  g_assert_cmpstr (row_id (rows, 1), ==, "d-1");
  again_at_0 = g_list_model_get_item (G_LIST_MODEL (rows), 0);
  g_assert_true (again_at_0 == outside);

  /* Shorter in the middle: the rows before the changed range move up
   * and take new items too; those after it keep theirs. */
  splice (store, 2, 0, 6, "e");
  g_assert_cmpuint (change.count, ==, 4);
  last = g_list_model_get_item (G_LIST_MODEL (rows), 7);
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (last)), ==, "e-5");
  second = g_list_model_get_item (G_LIST_MODEL (rows), 1);
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (second)), ==, "d-1");
  splice (store, 2, 4, 1, "f");
  g_assert_cmpuint (change.count, ==, 5);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.removed, ==, 3);
  g_assert_cmpuint (change.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 5);
  /* d-0 d-1 f-0 e-4 e-5 */
  g_assert_cmpuint (enr_row_get_position (last), ==, 4);
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (last)), ==, "e-5");
  g_assert_cmpstr (row_id (rows, 0), ==, "d-0");
  g_assert_cmpstr (row_id (rows, 1), ==, "d-1");
  g_assert_cmpstr (row_id (rows, 2), ==, "f-0");
  g_assert_cmpstr (row_id (rows, 3), ==, "e-4");
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(EnrRow) row = g_list_model_get_item (G_LIST_MODEL (rows), i);

      g_assert_cmpuint (enr_row_get_position (row), ==, i);
    }
}

/* Rows nobody holds are not kept: a released row is made again. */
static void
test_rows_are_not_kept (void)
{
  g_autoptr(GListStore) store = g_list_store_new (ENR_TYPE_CUSTOMER);
  g_autoptr(EnrRowModel) rows = NULL;
  EnrRow *row;
  gpointer weak;

  splice (store, 0, 0, 3, "a");
  rows = enr_row_model_new (G_LIST_MODEL (store));
  row = g_list_model_get_item (G_LIST_MODEL (rows), 1);
  weak = row;
  g_object_add_weak_pointer (G_OBJECT (row), &weak);
  g_object_unref (row);
  g_assert_null (weak);

  /* Replacing the items touches no freed row. */
  splice (store, 0, 3, 3, "b");
  g_assert_cmpstr (row_id (rows, 1), ==, "b-1");

  /* The model under it outlives the rows; the rows model lets go of it. */
  row = g_list_model_get_item (G_LIST_MODEL (rows), 2);
  g_clear_object (&rows);
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (row)), ==, "b-2");
  g_object_unref (row);
  splice (store, 0, 3, 1, "c");
}

/* A list model that counts the items read from it. */
#define TEST_TYPE_COUNTING_MODEL (test_counting_model_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingModel, test_counting_model, TEST, COUNTING_MODEL, GObject)

struct _TestCountingModel
{
  GObject     parent_instance;

  GListStore *store;
  guint       reads;
};

static GType
counting_get_item_type (GListModel *model)
{
  return ENR_TYPE_CUSTOMER;
}

static guint
counting_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (TEST_COUNTING_MODEL (model)->store));
}

static gpointer
counting_get_item (GListModel *model,
                   guint       position)
{
  TestCountingModel *self = TEST_COUNTING_MODEL (model);

  self->reads++;
  return g_list_model_get_item (G_LIST_MODEL (self->store), position);
}

static void
counting_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = counting_get_item_type;
  iface->get_n_items = counting_get_n_items;
  iface->get_item = counting_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestCountingModel, test_counting_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, counting_iface_init))

static void
on_store_items_changed_cb (TestCountingModel *self,
                           guint              position,
                           guint              removed,
                           guint              added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
test_counting_model_finalize (GObject *object)
{
  g_clear_object (&TEST_COUNTING_MODEL (object)->store);

  G_OBJECT_CLASS (test_counting_model_parent_class)->finalize (object);
}

static void
test_counting_model_class_init (TestCountingModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_counting_model_finalize;
}

static void
test_counting_model_init (TestCountingModel *self)
{
  self->store = g_list_store_new (ENR_TYPE_CUSTOMER);
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (on_store_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* Making rows reads nothing; a row reads its item once, when asked, and
 * again only after the item at its position changed. */
static void
test_rows_read_when_asked (void)
{
  g_autoptr(TestCountingModel) counting = g_object_new (TEST_TYPE_COUNTING_MODEL, NULL);
  g_autoptr(EnrRowModel) rows = NULL;
  g_autoptr(EnrRow) first = NULL;
  g_autoptr(EnrRow) second = NULL;
  g_autoptr(EnrRow) removed = NULL;
  g_autoptr(GObject) item = NULL;
  guint notified = 0;

  splice (counting->store, 0, 0, 4, "a");
  rows = enr_row_model_new (G_LIST_MODEL (counting));
  removed = g_list_model_get_item (G_LIST_MODEL (rows), 0);
  second = g_list_model_get_item (G_LIST_MODEL (rows), 1);
  first = g_list_model_get_item (G_LIST_MODEL (rows), 2);
  g_assert_cmpuint (counting->reads, ==, 0);

  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (second)), ==, "a-1");
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (second)), ==, "a-1");
  g_assert_cmpuint (counting->reads, ==, 1);

  /* The "item" property reads it too. */
  g_object_get (first, "item", &item, NULL);
  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (item)), ==, "a-2");
  g_assert_cmpuint (counting->reads, ==, 2);

  /* Replaced in place: notified, read again when asked. */
  g_signal_connect (second, "notify::item", G_CALLBACK (on_item_notify_cb), &notified);
  splice (counting->store, 0, 2, 2, "b");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (counting->reads, ==, 2);
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (second)), ==, "b-1");
  g_assert_cmpuint (counting->reads, ==, 3);

  /* A row removed before it was read holds nothing, and reads nothing
   * (rows are removed at the start of the list); a row moved up reads
   * its new item only when asked. */
  splice (counting->store, 2, 2, 0, "c");
  g_assert_null (enr_row_get_item (removed));
  g_assert_cmpuint (counting->reads, ==, 3);
  g_assert_cmpuint (enr_row_get_position (first), ==, 0);
  g_assert_cmpstr (enr_entity_get_id (enr_row_get_item (first)), ==, "b-0");
  g_assert_cmpuint (counting->reads, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/row-model/rows", test_rows);
  g_test_add_func ("/client/row-model/rows-are-not-kept", test_rows_are_not_kept);
  g_test_add_func ("/client/row-model/rows-read-when-asked", test_rows_read_when_asked);

  return g_test_run ();
}

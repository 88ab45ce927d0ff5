/* enr-row-model.c — stable rows over a list model that replaces its items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of EnrRow: one row per position of another model, holding
 * that model's item at its position ("item", notified when it changes).
 * Only the rows someone holds exist (a list widget holds those it shows).
 *
 * When the other model changes items in place — EnrTaskListModel replaces
 * every item after a filter, a sort or a store change — the rows that
 * exist take their new items and notify, and only the difference in
 * length is reported: rows added at the end of the changed range, rows
 * removed at the start of the list (see on_items_changed_cb(): GTK 4.8
 * removes wrongly from inside a range of rows without widgets).
 *
 * A row reads its item from the other model only when asked for it
 * (enr_row_get_item(), "item"), not when it is made: GTK 4.8's list
 * widgets make rows for 200 positions around the one in sight, and a
 * list whose cells fill only the rows on screen then reads only those
 * (a million-row model reads a page and decodes a record per item). A
 * row whose position was removed before it was read holds nothing.
 *
 * GTK 4.8's list widgets answer a change that removes the rows they track
 * (scroll anchor, focus, selection) by creating widgets again and by
 * reading every added item, looking for the tracked ones (a million
 * reads and decodes for a million tasks); here they keep their widgets,
 * whose cells rebind themselves on "notify::item", and read nothing more
 * than the rows on screen.
 */

#include "config.h"

#include "enr-row-model.h"

/* EnrRow */

struct _EnrRowModel
{
  GObject     parent_instance;

  GListModel *model;
  GHashTable *rows;     /* position → EnrRow (not owned) */
  guint       n_items;
};

struct _EnrRow
{
  GObject      parent_instance;

  EnrRowModel *rows;    /* not owned; NULL once the row was let go */
  gpointer     item;
  guint        position;
  guint        read : 1;
};

G_DEFINE_FINAL_TYPE (EnrRow, enr_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_ITEM,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

static void
enr_row_finalize (GObject *object)
{
  EnrRow *self = (EnrRow *) object;

  g_clear_object (&self->item);

  G_OBJECT_CLASS (enr_row_parent_class)->finalize (object);
}

static void
enr_row_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  EnrRow *self = ENR_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_ITEM:
      g_value_set_object (value, enr_row_get_item (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_row_class_init (EnrRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_row_finalize;
  object_class->get_property = enr_row_get_property;

  row_properties[ROW_PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         G_TYPE_OBJECT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
enr_row_init (EnrRow *self)
{
}

/* The item at the row's position changed: read again when asked. Items
 * are read again, so a new object may be the same record: the cells
 * rebind either way. */
static void
enr_row_item_changed (EnrRow *self)
{
  g_clear_object (&self->item);
  self->read = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_ITEM]);
}

/**
 * enr_row_get_item:
 *
 * Returns: (transfer none) (nullable): the item at the row's position,
 *   read from the model the first time it is asked for
 */
gpointer
enr_row_get_item (EnrRow *self)
{
  g_return_val_if_fail (ENR_IS_ROW (self), NULL);

  if (!self->read && self->rows != NULL)
    {
      self->item = g_list_model_get_item (self->rows->model, self->position);
      self->read = TRUE;
    }

  return self->item;
}

guint
enr_row_get_position (EnrRow *self)
{
  g_return_val_if_fail (ENR_IS_ROW (self), 0);

  return self->position;
}

/**
 * enr_row_get_listed:
 *
 * Returns: whether the row is still a position of its model: %FALSE once
 *   its position was removed (or the model is gone)
 */
gboolean
enr_row_get_listed (EnrRow *self)
{
  g_return_val_if_fail (ENR_IS_ROW (self), FALSE);

  return self->rows != NULL;
}

/* EnrRowModel */

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EnrRowModel, enr_row_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* The row is being disposed: its fields are still there. */
static void
on_row_finalized_cb (gpointer  data,
                     GObject  *where_the_object_was)
{
  EnrRowModel *self = data;
  EnrRow *row = (EnrRow *) where_the_object_was;
  gpointer key = GUINT_TO_POINTER (row->position);

  if (g_hash_table_lookup (self->rows, key) == row)
    g_hash_table_remove (self->rows, key);
}

static void
forget_row (EnrRowModel *self,
            EnrRow      *row)
{
  row->rows = NULL;
  g_object_weak_unref (G_OBJECT (row), on_row_finalized_cb, self);
}

static GType
enr_row_model_get_item_type (GListModel *model)
{
  return ENR_TYPE_ROW;
}

static guint
enr_row_model_get_n_items (GListModel *model)
{
  return ENR_ROW_MODEL (model)->n_items;
}

static gpointer
enr_row_model_get_item (GListModel *model,
                        guint       position)
{
  EnrRowModel *self = ENR_ROW_MODEL (model);
  EnrRow *row;

  if (position >= self->n_items)
    return NULL;

  if ((row = g_hash_table_lookup (self->rows, GUINT_TO_POINTER (position))) != NULL)
    return g_object_ref (row);

  row = g_object_new (ENR_TYPE_ROW, NULL);
  row->rows = self;
  row->position = position;
  g_hash_table_insert (self->rows, GUINT_TO_POINTER (position), row);
  g_object_weak_ref (G_OBJECT (row), on_row_finalized_cb, self);

  return row;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = enr_row_model_get_item_type;
  iface->get_n_items = enr_row_model_get_n_items;
  iface->get_item = enr_row_model_get_item;
}

/* Moves the rows at @from and after by @shift (dropping those that end
 * up before @from, i.e. removed). */
static void
shift_rows (EnrRowModel *self,
            guint        from,
            guint        removed,
            int          shift)
{
  g_autoptr(GPtrArray) moved = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint position = GPOINTER_TO_UINT (key);

      if (position < from)
        continue;

      g_hash_table_iter_steal (&iter);
      if (position < from + removed)
        forget_row (self, value);
      else
        g_ptr_array_add (moved, value);
    }

  for (guint i = 0; i < moved->len; i++)
    {
      EnrRow *row = g_ptr_array_index (moved, i);

      row->position = (guint) ((int) row->position + shift);
      g_hash_table_insert (self->rows, GUINT_TO_POINTER (row->position), row);
    }
}

/* Collects the rows at @from and after, before @to. */
static GPtrArray *
rows_between (EnrRowModel *self,
              guint        from,
              guint        to)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (key) >= from && GPOINTER_TO_UINT (key) < to)
      g_ptr_array_add (rows, g_object_ref (value));

  return rows;
}

static void
on_items_changed_cb (EnrRowModel *self,
                     guint        position,
                     guint        removed,
                     guint        added,
                     GListModel  *model)
{
  g_autoptr(GPtrArray) rebound = NULL;

  if (removed > added)
    {
      guint gone = removed - added;

      /* Shorter: the rows are removed at the start of the list, and
       * those up to the end of the changed range take their new items.
       * Not at the end of the changed range: GTK 4.8's list widgets
       * remove wrongly from the middle of a range of rows that have no
       * widgets (its list item manager's remove_items() drops that whole
       * range and keeps the widgets of as many removed rows after it,
       * which then show their old items in the first places); a removal
       * from the start of the list cannot be in the middle of a range. */
      rebound = rows_between (self, gone, position + removed);
      shift_rows (self, 0, gone, -(int) gone);
      self->n_items -= gone;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, gone, 0);
    }
  else
    {
      /* The rows of the changed range stay and take their new items
       * (after the length is right, as they may read); longer: rows are
       * added at its end. */
      rebound = rows_between (self, position, position + removed);
      if (added > removed)
        {
          shift_rows (self, position + removed, 0, (int) (added - removed));
          self->n_items += added - removed;
          g_list_model_items_changed (G_LIST_MODEL (self), position + removed, 0, added - removed);
        }
    }

  for (guint i = 0; i < rebound->len; i++)
    enr_row_item_changed (g_ptr_array_index (rebound, i));
}

static void
enr_row_model_dispose (GObject *object)
{
  EnrRowModel *self = (EnrRowModel *) object;
  GHashTableIter iter;
  gpointer value;

  if (self->rows != NULL)
    {
      /* The rows that outlive the model keep their items. */
      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          enr_row_get_item (value);
          forget_row (self, value);
        }
      g_hash_table_remove_all (self->rows);
    }

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (enr_row_model_parent_class)->dispose (object);
}

static void
enr_row_model_finalize (GObject *object)
{
  EnrRowModel *self = (EnrRowModel *) object;

  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (enr_row_model_parent_class)->finalize (object);
}

static void
enr_row_model_class_init (EnrRowModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = enr_row_model_dispose;
  object_class->finalize = enr_row_model_finalize;
}

static void
enr_row_model_init (EnrRowModel *self)
{
  self->rows = g_hash_table_new (NULL, NULL);
}

EnrRowModel *
enr_row_model_new (GListModel *model)
{
  EnrRowModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (ENR_TYPE_ROW_MODEL, NULL);
  self->model = g_object_ref (model);
  self->n_items = g_list_model_get_n_items (model);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (on_items_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

/**
 * enr_row_model_get_model:
 *
 * Returns: (transfer none): the model whose items the rows hold
 */
GListModel *
enr_row_model_get_model (EnrRowModel *self)
{
  g_return_val_if_fail (ENR_IS_ROW_MODEL (self), NULL);

  return self->model;
}

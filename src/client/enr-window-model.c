/* enr-window-model.c — a few rows in sight over a long list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of EnrWindowRow: as many rows as a list shows at once
 * ("size", the rows that fit plus a few), standing for the positions
 * offset … offset + size - 1 of another, long model (a million tasks).
 * A list widget over it has widgets for those rows only; the view puts
 * its own scroll bar over the long model, and moving along it moves the
 * offset: the same rows then stand for other positions and take their
 * items, read again only where the window did not already hold them.
 * The list widget is not told (nothing is added or removed, its widgets
 * stay bound to the same rows): the owner sets its cells again. So a
 * jump anywhere in a million rows costs the rows in sight, never the
 * release and binding of a list widget's rows.
 *
 * Rows are added or removed, at the end, only when the window gets
 * taller or shorter, or the long model gets shorter than the window.
 * A change of the long model makes every row read its item again (its
 * owner replaces every item on a rebuild); the offset is kept, or
 * brought back so that the window ends at the model's end.
 *
 * A row reads its item when asked (enr_window_row_get_item()), not when
 * it moves. A row removed from the window is no longer listed and holds
 * nothing, should a list widget keep it a while.
 */

#include "config.h"

#include "enr-window-model.h"

struct _EnrWindowRow
{
  GObject         parent_instance;

  EnrWindowModel *window;   /* not owned; NULL once removed */
  gpointer        item;
  guint           position;
  guint           read : 1;
};

G_DEFINE_FINAL_TYPE (EnrWindowRow, enr_window_row, G_TYPE_OBJECT)

struct _EnrWindowModel
{
  GObject     parent_instance;

  GListModel *model;
  GPtrArray  *rows;      /* EnrWindowRow, the listed ones */
  guint       size;
  guint       offset;
  guint       n_model;
};

static void
enr_window_row_finalize (GObject *object)
{
  EnrWindowRow *self = (EnrWindowRow *) object;

  g_clear_object (&self->item);

  G_OBJECT_CLASS (enr_window_row_parent_class)->finalize (object);
}

static void
enr_window_row_class_init (EnrWindowRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = enr_window_row_finalize;
}

static void
enr_window_row_init (EnrWindowRow *self)
{
}

/**
 * enr_window_row_get_item:
 *
 * Returns: (transfer none) (nullable): the item at the row's position in
 *   the long model, read the first time it is asked for; %NULL once the
 *   row is no longer listed
 */
gpointer
enr_window_row_get_item (EnrWindowRow *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW_ROW (self), NULL);

  if (!self->read && self->window != NULL)
    {
      self->item = g_list_model_get_item (self->window->model, self->position);
      self->read = TRUE;
    }

  return self->item;
}

/**
 * enr_window_row_get_position:
 *
 * Returns: the row's position in the long model
 */
guint
enr_window_row_get_position (EnrWindowRow *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW_ROW (self), 0);

  return self->position;
}

/**
 * enr_window_row_get_listed:
 *
 * Returns: whether the row is still one of the window's
 */
gboolean
enr_window_row_get_listed (EnrWindowRow *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW_ROW (self), FALSE);

  return self->window != NULL;
}

/* EnrWindowModel */

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EnrWindowModel, enr_window_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
enr_window_model_get_item_type (GListModel *model)
{
  return ENR_TYPE_WINDOW_ROW;
}

static guint
enr_window_model_get_n_items (GListModel *model)
{
  return ENR_WINDOW_MODEL (model)->rows->len;
}

static gpointer
enr_window_model_get_item (GListModel *model,
                           guint       position)
{
  EnrWindowModel *self = ENR_WINDOW_MODEL (model);

  if (position >= self->rows->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = enr_window_model_get_item_type;
  iface->get_n_items = enr_window_model_get_n_items;
  iface->get_item = enr_window_model_get_item;
}

static void
forget_row (gpointer data)
{
  EnrWindowRow *row = data;

  row->window = NULL;
  row->read = FALSE;
  g_clear_object (&row->item);
  g_object_unref (row);
}

/* Puts the window at @offset (brought back so that it ends at the end of
 * the long model at the latest), as many rows as the size and the long
 * model allow; the rows that stand for other positions than before, or
 * all when @reread, read their items again. Rows come and go at the
 * end. Returns whether any row changed. */
static gboolean
place (EnrWindowModel *self,
       guint           offset,
       gboolean        reread)
{
  guint old_n = self->rows->len;
  guint old_offset = self->offset;
  guint n = MIN (self->size, self->n_model);
  g_autofree gpointer *items = NULL;

  offset = MIN (offset, self->n_model - n);
  if (!reread && offset == old_offset && n == old_n)
    return FALSE;

  /* The items the window holds already, at their new rows. */
  items = g_new0 (gpointer, MAX (n, 1));
  if (!reread)
    for (guint i = 0; i < n; i++)
      {
        guint position = offset + i;
        EnrWindowRow *row;

        if (position < old_offset || position >= old_offset + old_n)
          continue;
        row = g_ptr_array_index (self->rows, position - old_offset);
        if (row->read && row->item != NULL)
          items[i] = g_object_ref (row->item);
      }

  if (n < old_n)
    g_ptr_array_remove_range (self->rows, n, old_n - n);
  for (guint i = old_n; i < n; i++)
    {
      EnrWindowRow *row = g_object_new (ENR_TYPE_WINDOW_ROW, NULL);

      row->window = self;
      g_ptr_array_add (self->rows, row);
    }

  for (guint i = 0; i < n; i++)
    {
      EnrWindowRow *row = g_ptr_array_index (self->rows, i);

      g_clear_object (&row->item);
      row->position = offset + i;
      row->item = g_steal_pointer (&items[i]);
      row->read = row->item != NULL;
    }
  self->offset = offset;

  if (n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), n, old_n - n, 0);
  else if (n > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, n - old_n);

  return TRUE;
}

static void
on_items_changed_cb (EnrWindowModel *self,
                     guint           position,
                     guint           removed,
                     guint           added,
                     GListModel     *model)
{
  self->n_model = self->n_model - removed + added;
  place (self, self->offset, TRUE);
}

static void
enr_window_model_dispose (GObject *object)
{
  EnrWindowModel *self = (EnrWindowModel *) object;

  if (self->rows != NULL)
    g_ptr_array_set_size (self->rows, 0);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (enr_window_model_parent_class)->dispose (object);
}

static void
enr_window_model_finalize (GObject *object)
{
  EnrWindowModel *self = (EnrWindowModel *) object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (enr_window_model_parent_class)->finalize (object);
}

static void
enr_window_model_class_init (EnrWindowModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = enr_window_model_dispose;
  object_class->finalize = enr_window_model_finalize;
}

static void
enr_window_model_init (EnrWindowModel *self)
{
  self->rows = g_ptr_array_new_with_free_func (forget_row);
}

/**
 * enr_window_model_new:
 * @model: the long model
 * @size: how many rows the window has at most
 */
EnrWindowModel *
enr_window_model_new (GListModel *model,
                      guint       size)
{
  EnrWindowModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (ENR_TYPE_WINDOW_MODEL, NULL);
  self->model = g_object_ref (model);
  self->size = size;
  self->n_model = g_list_model_get_n_items (model);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (on_items_changed_cb), self, G_CONNECT_SWAPPED);
  place (self, 0, TRUE);

  return self;
}

/**
 * enr_window_model_get_model:
 *
 * Returns: (transfer none): the long model
 */
GListModel *
enr_window_model_get_model (EnrWindowModel *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW_MODEL (self), NULL);

  return self->model;
}

guint
enr_window_model_get_size (EnrWindowModel *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW_MODEL (self), 0);

  return self->size;
}

/**
 * enr_window_model_set_size:
 * @size: how many rows the window has at most
 *
 * Rows are added or removed at the end; a window at the end of the long
 * model moves back so that it still ends there.
 */
void
enr_window_model_set_size (EnrWindowModel *self,
                           guint           size)
{
  g_return_if_fail (ENR_IS_WINDOW_MODEL (self));

  self->size = size;
  place (self, self->offset, FALSE);
}

/**
 * enr_window_model_get_offset:
 *
 * Returns: the position in the long model of the window's first row
 */
guint
enr_window_model_get_offset (EnrWindowModel *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW_MODEL (self), 0);

  return self->offset;
}

/**
 * enr_window_model_set_offset:
 * @offset: the position in the long model of the first row, brought
 *   back to enr_window_model_get_max_offset() at most
 *
 * The rows stand for other positions: each takes the item the window
 * held already at its new position, or reads it when asked. The list
 * is not told (no row is added or removed).
 *
 * Returns: whether the rows stand for other positions
 */
gboolean
enr_window_model_set_offset (EnrWindowModel *self,
                             guint           offset)
{
  g_return_val_if_fail (ENR_IS_WINDOW_MODEL (self), FALSE);

  return place (self, offset, FALSE);
}

/**
 * enr_window_model_get_max_offset:
 *
 * Returns: the offset of a window that ends at the end of the long model
 */
guint
enr_window_model_get_max_offset (EnrWindowModel *self)
{
  g_return_val_if_fail (ENR_IS_WINDOW_MODEL (self), 0);

  return self->n_model - MIN (self->size, self->n_model);
}

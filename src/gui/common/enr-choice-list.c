/* enr-choice-list.c — the items of a drop-down and the codes behind them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A list model of GtkStringObjects (what the items show, as a
 * GtkStringList's: the drop-down's default factory, its search and the
 * accessible names read them as they are) that also holds the code behind
 * each item, and whether its first item stands for no choice (the
 * placeholder, which has no code). The drop-down's model is the one home
 * of its codes: enr_drop_down_set_choices() makes one, and
 * enr_drop_down_get_selected_id() asks it.
 */

#include "config.h"

#include "enr-choice-list.h"

struct _EnrChoiceList
{
  GObject     parent_instance;

  GPtrArray  *items;        /* GtkStringObject */
  char      **ids;          /* as many as items; "" for the placeholder */
  gboolean    placeholder;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EnrChoiceList, enr_choice_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
enr_choice_list_get_item_type (GListModel *model)
{
  return GTK_TYPE_STRING_OBJECT;
}

static guint
enr_choice_list_get_n_items (GListModel *model)
{
  return ENR_CHOICE_LIST (model)->items->len;
}

static gpointer
enr_choice_list_get_item (GListModel *model,
                          guint       position)
{
  EnrChoiceList *self = ENR_CHOICE_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = enr_choice_list_get_item_type;
  iface->get_n_items = enr_choice_list_get_n_items;
  iface->get_item = enr_choice_list_get_item;
}

static void
enr_choice_list_finalize (GObject *object)
{
  EnrChoiceList *self = (EnrChoiceList *) object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->ids, g_strfreev);

  G_OBJECT_CLASS (enr_choice_list_parent_class)->finalize (object);
}

static void
enr_choice_list_class_init (EnrChoiceListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_choice_list_finalize;
}

static void
enr_choice_list_init (EnrChoiceList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * enr_choice_list_new:
 * @placeholder: (nullable): the label of a first item that stands for no
 *   choice; %NULL for none
 * @ids: the codes behind the items
 * @labels: what the items show, as many as @ids
 *
 * Returns: (transfer full): the items, the placeholder first
 */
EnrChoiceList *
enr_choice_list_new (const char         *placeholder,
                     const char * const *ids,
                     const char * const *labels)
{
  g_autoptr(EnrChoiceList) self = NULL;
  g_autoptr(GStrvBuilder) all_ids = g_strv_builder_new ();

  g_return_val_if_fail (ids != NULL && labels != NULL, NULL);
  g_return_val_if_fail (g_strv_length ((char **) ids) == g_strv_length ((char **) labels), NULL);

  self = g_object_new (ENR_TYPE_CHOICE_LIST, NULL);
  if (placeholder != NULL)
    {
      g_strv_builder_add (all_ids, "");
      g_ptr_array_add (self->items, gtk_string_object_new (placeholder));
    }
  g_strv_builder_addv (all_ids, (const char **) ids);
  for (guint i = 0; labels[i] != NULL; i++)
    g_ptr_array_add (self->items, gtk_string_object_new (labels[i]));

  self->ids = g_strv_builder_end (all_ids);
  self->placeholder = placeholder != NULL;

  return g_steal_pointer (&self);
}

/* Whether the first item stands for no choice. */
gboolean
enr_choice_list_has_placeholder (EnrChoiceList *self)
{
  g_return_val_if_fail (ENR_IS_CHOICE_LIST (self), FALSE);

  return self->placeholder;
}

/**
 * enr_choice_list_get_id:
 *
 * Returns: (nullable): the code behind the item at @position; %NULL for
 *   the placeholder or a position past the end
 */
const char *
enr_choice_list_get_id (EnrChoiceList *self,
                        guint          position)
{
  g_return_val_if_fail (ENR_IS_CHOICE_LIST (self), NULL);

  if (position >= self->items->len || (position == 0 && self->placeholder))
    return NULL;

  return self->ids[position];
}

/**
 * enr_choice_list_find:
 * @id: (nullable): a code
 *
 * Returns: the position of the item with the code @id; for %NULL or an
 *   unknown code, the placeholder's (0), or %GTK_INVALID_LIST_POSITION
 *   without one
 */
guint
enr_choice_list_find (EnrChoiceList *self,
                      const char    *id)
{
  g_return_val_if_fail (ENR_IS_CHOICE_LIST (self), GTK_INVALID_LIST_POSITION);

  for (guint i = 0; id != NULL && self->ids[i] != NULL; i++)
    if (g_str_equal (self->ids[i], id))
      return i;

  return self->placeholder ? 0 : GTK_INVALID_LIST_POSITION;
}

/* enr-store-cache.c — the records kept for offline work, and drafts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-store-private.h"

/* Values */

char *
_enr_store_object_id (gpointer object)
{
  if (ENR_IS_ENTITY (object))
    return g_strdup (enr_entity_get_id (object));

  if (ENR_IS_CODE_VALUE (object))
    {
      EnrCodeValue *value = object;
      const char *code = enr_code_value_get_code (value);

      if (code == NULL)
        return NULL;

      return g_strdup_printf ("%s/%s",
                              enr_enum_to_nick (ENR_TYPE_CODE_LIST, enr_code_value_get_list (value)),
                              code);
    }

  return NULL;
}

static char *
column_name (const char *property)
{
  char *name = g_strdup (property);

  g_strdelimit (name, "-", '_');
  return name;
}

/* Binds a lookup value given as text the way the property is stored
 * (enr_db_stmt_bind_property()). */
static gboolean
bind_lookup_value (EnrDbStmt    *stmt,
                   int           index,
                   GParamSpec   *pspec,
                   const char   *text,
                   GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (enr_db_stmt_bind_lookup (stmt, index, pspec->value_type, text, &local_error))
    return TRUE;

  g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
               "“%s” is not a valid value for %s", text, pspec->name);
  return FALSE;
}

static gpointer
decode_row (GType         type,
            EnrDbStmt *stmt,
            int           column,
            GError      **error)
{
  const char *json = enr_db_stmt_column_text (stmt, column);
  g_autoptr(GError) local_error = NULL;
  gpointer object;

  if (json == NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT,
                   _("A stored %s has no content"), g_type_name (type));
      return NULL;
    }

  if (!(object = enr_codec_decode_data (type, json, enr_db_stmt_column_length (stmt, column), &local_error)))
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE,
                 _("A stored record could not be read: %s"), local_error->message);

  return object;
}

/* Cache */

static const char *
put_sql (EnrStore               *self,
         const EnrStoreTypeInfo *info)
{
  const EnrStoreTypeInfo *infos;
  guint n_infos, index;

  infos = _enr_store_type_infos (&n_infos);
  index = info - infos;

  if (self->put_sql[index] == NULL)
    {
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(GString) values = g_string_new ("?1");
      g_autoptr(GString) updates = g_string_new (NULL);
      guint i;

      g_string_append_printf (sql, "INSERT INTO %s (id", info->table);
      for (i = 0; i < ENR_STORE_MAX_COLUMNS && info->columns[i] != NULL; i++)
        {
          g_autofree char *column = column_name (info->columns[i]);

          g_string_append_printf (sql, ", %s", column);
          g_string_append_printf (values, ", ?%u", i + 2);
          g_string_append_printf (updates, "%s = excluded.%s, ", column, column);
        }
      g_string_append_printf (sql, ", json) VALUES (%s, ?%u) ON CONFLICT (id) DO UPDATE SET %s"
                              "json = excluded.json",
                              values->str, i + 2, updates->str);
      self->put_sql[index] = g_string_free (g_steal_pointer (&sql), FALSE);
    }

  return self->put_sql[index];
}

gboolean
_enr_store_put_one (EnrStore                *self,
                    const EnrStoreTypeInfo  *info,
                    gpointer                 object,
                    GError                 **error)
{
  return _enr_store_put_row (self, info, object, NULL, error);
}

/* Puts @object; with @json (its row copy: the JSON text it was decoded
 * from, as the service sent it), that text is stored as it is rather
 * than the object encoded again. */
gboolean
_enr_store_put_row (EnrStore                *self,
                    const EnrStoreTypeInfo  *info,
                    gpointer                 object,
                    const char              *json,
                    GError                 **error)
{
  g_autofree char *id = _enr_store_object_id (object);
  g_autofree char *encoded = NULL;
  EnrDbStmt *stmt;
  guint i;

  if (id == NULL || id[0] == '\0')
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   "A %s without an id cannot be stored", info->name);
      return FALSE;
    }

  if (!_enr_store_search_before_put (self, info, id, error) ||
      !(stmt = _enr_store_prepare (self, put_sql (self, info), error)))
    return FALSE;

  if (json == NULL)
    json = encoded = enr_codec_encode_string (object);
  enr_db_stmt_bind_text (stmt, 1, id);
  for (i = 0; i < ENR_STORE_MAX_COLUMNS && info->columns[i] != NULL; i++)
    enr_db_stmt_bind_property (stmt, i + 2, object, info->columns[i]);
  enr_db_stmt_bind_text (stmt, i + 2, json);

  if (!_enr_store_step_done (self, stmt, error))
    return FALSE;

  if (ENR_IS_CUSTOMER (object))
    _enr_store_search_mark_dirty (self, id);
  else if (ENR_IS_METERED_SERVICE (object))
    _enr_store_search_mark_dirty (self, enr_metered_service_get_customer_id (object));

  _enr_store_touch_type (self, info->get_type ());
  return TRUE;
}

gboolean
_enr_store_delete_one (EnrStore                *self,
                       const EnrStoreTypeInfo  *info,
                       const char              *id,
                       GError                 **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?1", info->table);
  EnrDbStmt *stmt;

  if (info->get_type () == ENR_TYPE_CUSTOMER)
    {
      if (!_enr_store_search_forget (self, id, error))
        return FALSE;
    }
  else if (!_enr_store_search_before_put (self, info, id, error))
    return FALSE;

  if (!(stmt = _enr_store_prepare (self, sql, error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, id);
  if (!_enr_store_step_done (self, stmt, error))
    return FALSE;

  if (enr_db_changes (self->db) > 0)
    _enr_store_touch_type (self, info->get_type ());

  return TRUE;
}

gpointer
_enr_store_get_one (EnrStore                *self,
                    const EnrStoreTypeInfo  *info,
                    const char              *id,
                    GError                 **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT json FROM %s WHERE id = ?1", info->table);
  EnrDbStmt *stmt;
  gpointer object = NULL;
  EnrDbStep rc;

  if (!(stmt = _enr_store_prepare (self, sql, error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, id);
  rc = _enr_store_step (self, stmt, error);
  if (rc == ENR_DB_STEP_ROW)
    object = decode_row (info->get_type (), stmt, 0, error);
  else if (rc == ENR_DB_STEP_DONE)
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND,
                 _("No %s “%s” in the local store"), info->name, id);

  enr_db_stmt_reset (stmt);
  return object;
}

static GPtrArray *
collect_rows (EnrStore      *self,
              GType          type,
              EnrDbStmt  *stmt,
              GError       **error)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  EnrDbStep rc;

  while ((rc = _enr_store_step (self, stmt, error)) == ENR_DB_STEP_ROW)
    {
      gpointer object = decode_row (type, stmt, 0, error);

      if (object == NULL)
        {
          enr_db_stmt_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (objects, object);
    }

  enr_db_stmt_reset (stmt);
  if (rc != ENR_DB_STEP_DONE)
    {
      return NULL;
    }

  return g_steal_pointer (&objects);
}

/**
 * enr_store_put:
 * @type: a cached type
 * @objects: (element-type GObject): instances of @type
 *
 * Inserts or replaces @objects, all in one transaction.
 */
gboolean
enr_store_put (EnrStore   *self,
               GType       type,
               GPtrArray  *objects,
               GError    **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (objects != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return enr_store_put_many (self, &type, &objects, 1, error);
}

/**
 * enr_store_put_many:
 * @types: (array length=n_lists): a cached type per list
 * @lists: (array length=n_lists): per type, its instances (a %NULL or
 *   empty list puts nothing)
 *
 * Inserts or replaces the records of every list, all in one transaction
 * (a page of customers with the records around them, say): either all
 * are stored or none, and the search index of a customer is rebuilt once.
 */
gboolean
enr_store_put_many (EnrStore          *self,
                    const GType       *types,
                    GPtrArray * const *lists,
                    guint              n_lists,
                    GError           **error)
{
  const EnrStoreTypeInfo *infos[ENR_STORE_MAX_PUT_LISTS];

  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_lists <= ENR_STORE_MAX_PUT_LISTS, FALSE);
  g_return_val_if_fail (n_lists == 0 || (types != NULL && lists != NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_store_lookup_lists (types, lists, n_lists, infos, error) ||
      !_enr_store_begin (self, error))
    return FALSE;

  if (!_enr_store_put_lists (self, infos, lists, NULL, n_lists, error))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  return _enr_store_commit (self, error);
}

/* Checks that every list holds instances of its cached type, and fills
 * @infos (ENR_STORE_MAX_PUT_LISTS of them at most). */
gboolean
_enr_store_lookup_lists (const GType             *types,
                         GPtrArray * const       *lists,
                         guint                    n_lists,
                         const EnrStoreTypeInfo **infos,
                         GError                 **error)
{
  for (guint l = 0; l < n_lists; l++)
    {
      if (!(infos[l] = _enr_store_lookup_info (types[l], error)))
        return FALSE;

      for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
        g_return_val_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (g_ptr_array_index (lists[l], i), types[l]), FALSE);
    }

  return TRUE;
}

/* Puts every list inside the open transaction; @rows (nullable), per
 * list %NULL or the row copy of each of its records. */
gboolean
_enr_store_put_lists (EnrStore                *self,
                      const EnrStoreTypeInfo **infos,
                      GPtrArray * const       *lists,
                      GPtrArray * const       *rows,
                      guint                    n_lists,
                      GError                 **error)
{
  for (guint l = 0; l < n_lists; l++)
    {
      GPtrArray *texts = rows != NULL ? rows[l] : NULL;

      if (lists[l] == NULL)
        continue;

      g_return_val_if_fail (texts == NULL || texts->len == lists[l]->len, FALSE);

      for (guint i = 0; i < lists[l]->len; i++)
        if (!_enr_store_put_row (self, infos[l], g_ptr_array_index (lists[l], i),
                                 texts != NULL ? g_ptr_array_index (texts, i) : NULL, error))
          return FALSE;
    }

  return TRUE;
}

/**
 * enr_store_get:
 *
 * Returns: (transfer full) (type GObject): the record, or %NULL with
 *   %ENR_STORE_ERROR_NOT_FOUND
 */
gpointer
enr_store_get (EnrStore    *self,
               GType        type,
               const char  *id,
               GError     **error)
{
  const EnrStoreTypeInfo *info;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(info = _enr_store_lookup_info (type, error)))
    return NULL;

  return _enr_store_get_one (self, info, id, error);
}

/**
 * enr_store_list:
 * @property: (nullable): an indexed property of @type, or %NULL for all
 * @value: (nullable): the value, as its JSON text (enum nick, "YYYY-MM-DD", …)
 *
 * Returns: (transfer full) (element-type GObject): the records, in the
 *   order they were first stored
 */
GPtrArray *
enr_store_list (EnrStore    *self,
                GType        type,
                const char  *property,
                const char  *value,
                GError     **error)
{
  const EnrStoreTypeInfo *info;
  g_autofree char *sql = NULL;
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (property == NULL || value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(info = _enr_store_lookup_info (type, error)))
    return NULL;

  if (property == NULL)
    {
      sql = g_strdup_printf ("SELECT json FROM %s ORDER BY seq", info->table);
      if (!(stmt = _enr_store_prepare (self, sql, error)))
        return NULL;
    }
  else
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (type);
      g_autofree char *column = NULL;
      gboolean indexed = FALSE;

      for (guint i = 0; i < ENR_STORE_MAX_COLUMNS && info->columns[i] != NULL; i++)
        indexed |= g_str_equal (info->columns[i], property);

      if (!indexed)
        {
          g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                       "%s is not an indexed property of %s", property, info->name);
          return NULL;
        }

      column = column_name (property);
      sql = g_strdup_printf ("SELECT json FROM %s WHERE %s = ?1 ORDER BY seq", info->table, column);
      if (!(stmt = _enr_store_prepare (self, sql, error)) ||
          !bind_lookup_value (stmt, 1,
                              g_object_class_find_property (G_OBJECT_CLASS (klass), property),
                              value, error))
        return NULL;
    }

  return collect_rows (self, type, stmt, error);
}

gboolean
enr_store_delete (EnrStore    *self,
                  GType        type,
                  const char  *id,
                  GError     **error)
{
  const EnrStoreTypeInfo *info;

  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(info = _enr_store_lookup_info (type, error)) ||
      !_enr_store_begin (self, error))
    return FALSE;

  if (!_enr_store_delete_one (self, info, id, error))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  if (enr_db_changes (self->db) == 0)
    {
      _enr_store_rollback (self);
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND,
                   _("No %s “%s” in the local store"), info->name, id);
      return FALSE;
    }

  return _enr_store_commit (self, error);
}

/**
 * enr_store_count:
 *
 * Returns: the number of stored records of @type, or -1 with @error set
 */
gint64
enr_store_count (EnrStore  *self,
                 GType      type,
                 GError   **error)
{
  const EnrStoreTypeInfo *info;
  g_autofree char *sql = NULL;
  EnrDbStmt *stmt;
  gint64 count = -1;
  EnrDbStep rc;

  g_return_val_if_fail (ENR_IS_STORE (self), -1);

  if (!(info = _enr_store_lookup_info (type, error)))
    return -1;

  sql = g_strdup_printf ("SELECT count(*) FROM %s", info->table);
  if (!(stmt = _enr_store_prepare (self, sql, error)))
    return -1;

  if ((rc = _enr_store_step (self, stmt, error)) == ENR_DB_STEP_ROW)
    count = enr_db_stmt_column_int64 (stmt, 0);

  enr_db_stmt_reset (stmt);
  return count;
}

/* Drafts */

gboolean
enr_store_save_draft (EnrStore        *self,
                      EnrProcessFlow  *flow,
                      GError         **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (flow), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_store_begin (self, error))
    return FALSE;

  if (!_enr_store_put_one (self, _enr_store_type_info (ENR_TYPE_PROCESS_FLOW), flow, error))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  return _enr_store_commit (self, error);
}

/**
 * enr_store_load_draft:
 *
 * Returns: (transfer full): the flow, or %NULL with %ENR_STORE_ERROR_NOT_FOUND
 */
EnrProcessFlow *
enr_store_load_draft (EnrStore    *self,
                      const char  *id,
                      GError     **error)
{
  return enr_store_get (self, ENR_TYPE_PROCESS_FLOW, id, error);
}

/**
 * enr_store_list_drafts:
 *
 * Returns: (transfer full) (element-type EnrProcessFlow): the open flows,
 *   most recently updated first
 */
GPtrArray *
enr_store_list_drafts (EnrStore  *self,
                       GError   **error)
{
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(stmt = _enr_store_prepare (self,
                                   "SELECT json FROM drafts WHERE status = ?1 "
                                   "ORDER BY updated_at DESC, seq DESC",
                                   error)))
    return NULL;

  enr_db_stmt_bind_int64 (stmt, 1, ENR_FLOW_STATUS_OPEN);
  return collect_rows (self, ENR_TYPE_PROCESS_FLOW, stmt, error);
}

gboolean
enr_store_delete_draft (EnrStore    *self,
                        const char  *id,
                        GError     **error)
{
  return enr_store_delete (self, ENR_TYPE_PROCESS_FLOW, id, error);
}

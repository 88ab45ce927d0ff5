/* enr-service-store-entities.c — records: save, read, list, count, code values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-service-store-private.h"

static gboolean
is_reference_type (GType type)
{
  return type == ENR_TYPE_PROGRAM ||
         type == ENR_TYPE_PROGRAM_TYPE ||
         type == ENR_TYPE_INITIATIVE ||
         type == ENR_TYPE_SERVICE_TASK_TYPE ||
         type == ENR_TYPE_ACTIVITY_TYPE;
}

/* Binds the value of @pspec on @object to parameter @index. Dates and
 * instants become sortable text and Unix seconds. */
static void
bind_property (sqlite3_stmt *stmt,
               int           index,
               GObject      *object,
               GParamSpec   *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  g_value_init (&value, type);
  g_object_get_property (object, pspec->name, &value);

  if (type == G_TYPE_STRING)
    {
      const char *text = g_value_get_string (&value);

      if (text != NULL)
        sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, index);
    }
  else if (G_TYPE_IS_ENUM (type))
    {
      GEnumClass *klass = g_type_class_ref (type);
      GEnumValue *ev = g_enum_get_value (klass, g_value_get_enum (&value));

      if (ev != NULL)
        sqlite3_bind_text (stmt, index, ev->value_nick, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, index);
      g_type_class_unref (klass);
    }
  else if (type == G_TYPE_BOOLEAN)
    sqlite3_bind_int (stmt, index, g_value_get_boolean (&value));
  else if (type == G_TYPE_INT)
    sqlite3_bind_int (stmt, index, g_value_get_int (&value));
  else if (type == G_TYPE_INT64)
    sqlite3_bind_int64 (stmt, index, g_value_get_int64 (&value));
  else if (type == G_TYPE_DATE)
    {
      const GDate *date = g_value_get_boxed (&value);

      if (date != NULL && g_date_valid (date))
        sqlite3_bind_text (stmt, index, enr_codec_format_date (date), -1, g_free);
      else
        sqlite3_bind_null (stmt, index);
    }
  else if (type == G_TYPE_DATE_TIME)
    {
      GDateTime *dt = g_value_get_boxed (&value);

      if (dt != NULL)
        sqlite3_bind_int64 (stmt, index, g_date_time_to_unix (dt));
      else
        sqlite3_bind_null (stmt, index);
    }
  else
    g_return_if_reached ();
}

static char *
column_name (const char *property)
{
  char *name = g_strdup (property);

  g_strdelimit (name, "-", '_');
  return name;
}

static const char *
upsert_sql (const TableInfo *info)
{
  static GHashTable *cache;
  GString *sql;
  GString *values;
  GString *update;
  char *text;

  if (cache == NULL)
    cache = g_hash_table_new (g_str_hash, g_str_equal);

  text = g_hash_table_lookup (cache, info->table);
  if (text != NULL)
    return text;

  sql = g_string_new (NULL);
  values = g_string_new ("?1, ?2, ?3");
  update = g_string_new ("version = excluded.version, json = excluded.json");
  g_string_append_printf (sql, "INSERT INTO %s (id, version, json", info->table);

  for (guint i = 0; i < G_N_ELEMENTS (info->columns) && info->columns[i] != NULL; i++)
    {
      g_autofree char *column = column_name (info->columns[i]);

      g_string_append_printf (sql, ", %s", column);
      g_string_append_printf (values, ", ?%u", i + 4);
      g_string_append_printf (update, ", %s = excluded.%s", column, column);
    }

  g_string_append_printf (sql, ") VALUES (%s) ON CONFLICT (id) DO UPDATE SET %s",
                          values->str, update->str);
  g_string_free (values, TRUE);
  g_string_free (update, TRUE);

  text = g_string_free (sql, FALSE);
  g_hash_table_insert (cache, (gpointer) info->table, text);

  return text;
}

static gboolean
upsert (EnrServiceStore  *self,
        const TableInfo  *info,
        GObject          *object,
        gint64            version,
        const char       *json,
        GError          **error)
{
  sqlite3_stmt *stmt;
  GObjectClass *klass = G_OBJECT_GET_CLASS (object);

  if (is_reference_type (G_OBJECT_TYPE (object)))
    g_hash_table_remove (self->reference, GSIZE_TO_POINTER (G_OBJECT_TYPE (object)));

  if (!(stmt = enr_service_store_prepare (self, upsert_sql (info), error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, enr_entity_get_id (ENR_ENTITY (object)), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, version);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);

  for (guint i = 0; i < G_N_ELEMENTS (info->columns) && info->columns[i] != NULL; i++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, info->columns[i]);

      g_assert (pspec != NULL);
      bind_property (stmt, i + 4, object, pspec);
    }

  return enr_service_store_step_done (self, stmt, error);
}

static gint64
current_version (EnrServiceStore *self,
                 const TableInfo *info,
                 const char      *id,
                 GError         **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT version FROM %s WHERE id = ?", info->table);
  sqlite3_stmt *stmt;
  gint64 version = 0;
  int rc;

  if (!(stmt = enr_service_store_prepare (self, sql, error)))
    return -1;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      version = -1;
    }
  sqlite3_reset (stmt);

  return version;
}

gboolean
enr_service_store_import (EnrServiceStore  *self,
                          gpointer          entity,
                          GError          **error)
{
  const TableInfo *info;
  g_autofree char *json = NULL;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);
  g_return_val_if_fail (ENR_IS_ENTITY (entity), FALSE);

  info = _enr_service_store_find_table (G_OBJECT_TYPE (entity));
  g_return_val_if_fail (info != NULL, FALSE);

  json = enr_codec_encode_string (entity);

  return upsert (self, info, entity, 1, json, error);
}

gint64
enr_service_store_save (EnrServiceStore  *self,
                        gpointer          entity,
                        const char       *owner,
                        GError          **error)
{
  const TableInfo *info;
  g_autofree char *json = NULL;
  const char *id;
  gint64 version;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), -1);
  g_return_val_if_fail (ENR_IS_ENTITY (entity), -1);
  g_return_val_if_fail (self->in_transaction, -1);

  info = _enr_service_store_find_table (G_OBJECT_TYPE (entity));
  g_return_val_if_fail (info != NULL, -1);

  id = enr_entity_get_id (entity);
  g_return_val_if_fail (id != NULL, -1);

  version = current_version (self, info, id, error);
  if (version < 0)
    return -1;
  version++;

  /* Objects that carry their version (service tasks) get it in their JSON. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (entity), "version") != NULL)
    g_object_set (entity, "version", version, NULL);

  json = enr_codec_encode_string (entity);

  if (!upsert (self, info, entity, version, json, error))
    return -1;

  if (enr_service_store_log_change (self, info->name, id, version, owner, json, error) < 0)
    return -1;

  return version;
}

char *
enr_service_store_get_json (EnrServiceStore  *self,
                            GType             type,
                            const char       *id,
                            gint64           *version,
                            GError          **error)
{
  const TableInfo *info;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  char *json = NULL;
  int rc;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  info = _enr_service_store_find_table (type);
  g_return_val_if_fail (info != NULL, NULL);

  sql = g_strdup_printf ("SELECT json, version FROM %s WHERE id = ?", info->table);
  if (!(stmt = enr_service_store_prepare (self, sql, error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (version != NULL)
        *version = sqlite3_column_int64 (stmt, 1);
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_NOT_FOUND,
                 "No %s with id %s", info->name, id);
  else
    enr_service_store_set_error (self, rc, error);
  sqlite3_reset (stmt);

  return json;
}

static GPtrArray *list_objects (EnrServiceStore  *self,
                                GType             type,
                                const char       *column,
                                const char       *value,
                                GError          **error);

/* The decoded reference data of @type, read on first use. */
static ReferenceCache *
reference_cache (EnrServiceStore  *self,
                 GType             type,
                 GError          **error)
{
  ReferenceCache *cache = g_hash_table_lookup (self->reference, GSIZE_TO_POINTER (type));
  GPtrArray *objects;

  if (cache != NULL)
    return cache;

  if (!(objects = list_objects (self, type, NULL, NULL, error)))
    return NULL;

  cache = g_new0 (ReferenceCache, 1);
  cache->objects = objects;
  cache->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < objects->len; i++)
    {
      gpointer object = g_ptr_array_index (objects, i);

      g_hash_table_insert (cache->by_id, (gpointer) enr_entity_get_id (object), object);
    }
  g_hash_table_insert (self->reference, GSIZE_TO_POINTER (type), cache);

  return cache;
}

/* Reference data (programs and their types, initiatives, task and activity
 * types) comes from a cache and is shared: callers must not change it. */
gpointer
enr_service_store_get (EnrServiceStore  *self,
                       GType             type,
                       const char       *id,
                       GError          **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  if (id == NULL)
    {
      g_set_error (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_NOT_FOUND,
                   "No %s id given", enr_service_store_type_name (type));
      return NULL;
    }

  if (is_reference_type (type))
    {
      ReferenceCache *cache = reference_cache (self, type, error);
      gpointer object;

      if (cache == NULL)
        return NULL;

      object = g_hash_table_lookup (cache->by_id, id);
      if (object == NULL)
        {
          g_set_error (error, ENR_SERVICE_STORE_ERROR, ENR_SERVICE_STORE_ERROR_NOT_FOUND,
                       "No %s with id %s", enr_service_store_type_name (type), id);
          return NULL;
        }

      return g_object_ref (object);
    }

  json = enr_service_store_get_json (self, type, id, NULL, error);
  if (json == NULL)
    return NULL;

  return enr_codec_decode_data (type, json, -1, error);
}

static gboolean
is_known_column (const TableInfo *info,
                 const char      *column)
{
  if (column == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (info->columns) && info->columns[i] != NULL; i++)
    {
      g_autofree char *name = column_name (info->columns[i]);

      if (g_strcmp0 (name, column) == 0)
        return TRUE;
    }

  return g_strcmp0 (column, "id") == 0;
}

static GPtrArray *
list_json (EnrServiceStore  *self,
           GType             type,
           const char       *column,
           const char       *value,
           const char       *key_column,
           GPtrArray       **keys,
           GError          **error)
{
  const TableInfo *info;
  g_autofree char *sql = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) key_rows = NULL;
  sqlite3_stmt *stmt;
  const char *select = key_column != NULL ? key_column : "NULL";
  int rc;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  info = _enr_service_store_find_table (type);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (is_known_column (info, column), NULL);
  g_return_val_if_fail (is_known_column (info, key_column), NULL);

  if (column != NULL)
    sql = g_strdup_printf ("SELECT json, %s FROM %s WHERE %s = ? ORDER BY id", select, info->table, column);
  else
    sql = g_strdup_printf ("SELECT json, %s FROM %s ORDER BY id", select, info->table);

  if (!(stmt = enr_service_store_prepare (self, sql, error)))
    return NULL;

  if (column != NULL)
    sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);

  rows = g_ptr_array_new_with_free_func (g_free);
  if (keys != NULL)
    key_rows = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      if (key_rows != NULL)
        g_ptr_array_add (key_rows, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }

  if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  if (keys != NULL)
    *keys = g_steal_pointer (&key_rows);

  return g_steal_pointer (&rows);
}

GPtrArray *
enr_service_store_list_json (EnrServiceStore  *self,
                             GType             type,
                             const char       *column,
                             const char       *value,
                             GError          **error)
{
  return list_json (self, type, column, value, NULL, NULL, error);
}

/* As enr_service_store_list_json(), with the value of @key_column (an
 * indexed column or "id") of every row in @keys: no decoding needed to
 * follow references. */
GPtrArray *
enr_service_store_list_json_keyed (EnrServiceStore  *self,
                                   GType             type,
                                   const char       *column,
                                   const char       *value,
                                   const char       *key_column,
                                   GPtrArray       **keys,
                                   GError          **error)
{
  g_return_val_if_fail (key_column != NULL, NULL);
  g_return_val_if_fail (keys != NULL, NULL);

  return list_json (self, type, column, value, key_column, keys, error);
}

GPtrArray *
enr_service_store_list (EnrServiceStore  *self,
                        GType             type,
                        const char       *column,
                        const char       *value,
                        GError          **error)
{
  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  if (column == NULL && is_reference_type (type))
    {
      ReferenceCache *cache = reference_cache (self, type, error);

      if (cache == NULL)
        return NULL;

      GPtrArray *objects = g_ptr_array_new_full (cache->objects->len, g_object_unref);

      for (guint i = 0; i < cache->objects->len; i++)
        g_ptr_array_add (objects, g_object_ref (g_ptr_array_index (cache->objects, i)));

      return objects;
    }

  return list_objects (self, type, column, value, error);
}

static GPtrArray *
list_objects (EnrServiceStore  *self,
              GType             type,
              const char       *column,
              const char       *value,
              GError          **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) objects = NULL;

  rows = enr_service_store_list_json (self, type, column, value, error);
  if (rows == NULL)
    return NULL;

  objects = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      gpointer object = enr_codec_decode_data (type, g_ptr_array_index (rows, i), -1, error);

      if (object == NULL)
        return NULL;
      g_ptr_array_add (objects, object);
    }

  return g_steal_pointer (&objects);
}

gint64
enr_service_store_count (EnrServiceStore  *self,
                         GType             type,
                         GError          **error)
{
  const TableInfo *info = _enr_service_store_find_table (type);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (info != NULL, -1);

  sql = g_strdup_printf ("SELECT count(*) FROM %s", info->table);
  if (!(stmt = enr_service_store_prepare (self, sql, error)))
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    enr_service_store_set_error (self, sqlite3_errcode (self->db), error);
  sqlite3_reset (stmt);

  return count;
}

/* Code values */

gboolean
enr_service_store_import_code_value (EnrServiceStore  *self,
                                     gpointer          code_value,
                                     GError          **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *json = NULL;
  GEnumClass *klass;
  GEnumValue *list;

  g_return_val_if_fail (ENR_IS_CODE_VALUE (code_value), FALSE);

  if (!(stmt = enr_service_store_prepare (self,
                                          "INSERT INTO code_values (list, code, json) VALUES (?, ?, ?)"
                                          " ON CONFLICT (list, code) DO UPDATE SET json = excluded.json",
                                          error)))
    return FALSE;

  klass = g_type_class_ref (ENR_TYPE_CODE_LIST);
  list = g_enum_get_value (klass, enr_code_value_get_list (code_value));
  json = enr_codec_encode_string (code_value);

  sqlite3_bind_text (stmt, 1, list != NULL ? list->value_nick : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, enr_code_value_get_code (code_value), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  g_type_class_unref (klass);

  return enr_service_store_step_done (self, stmt, error);
}

gboolean
enr_service_store_code_value_exists (EnrServiceStore *self,
                                     const char      *list,
                                     const char      *code)
{
  sqlite3_stmt *stmt;
  gboolean found;

  if (list == NULL || code == NULL)
    return FALSE;

  stmt = enr_service_store_prepare (self,
                                    "SELECT 1 FROM code_values WHERE list = ? AND code = ?",
                                    NULL);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, list, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found;
}

GPtrArray *
enr_service_store_list_code_values_json (EnrServiceStore  *self,
                                         GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = enr_service_store_prepare (self,
                                          "SELECT json FROM code_values ORDER BY list, code",
                                          error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      enr_service_store_set_error (self, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&rows);
}

gboolean
enr_service_store_exists (EnrServiceStore *self,
                          GType            type,
                          const char      *id)
{
  const TableInfo *info = _enr_service_store_find_table (type);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (info != NULL, FALSE);

  if (id == NULL)
    return FALSE;

  sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?", info->table);
  if (!(stmt = enr_service_store_prepare (self, sql, NULL)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return found;
}

/* The asset type recorded for another device of this model, if any. */
char *
enr_service_store_asset_type_of (EnrServiceStore *self,
                                 const char      *specification)
{
  sqlite3_stmt *stmt;
  char *asset_type = NULL;

  stmt = enr_service_store_prepare (self,
                                    "SELECT json_extract (json, '$.asset_type') FROM devices"
                                    " WHERE json_extract (json, '$.specification') = ? LIMIT 1",
                                    NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, specification, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    asset_type = _enr_service_store_column_strdup (stmt, 0);
  sqlite3_reset (stmt);

  return asset_type;
}

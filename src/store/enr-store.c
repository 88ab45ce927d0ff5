/* enr-store.c — the client's SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <sys/vfs.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "enr-store-private.h"

#define BUSY_TIMEOUT_MS 5000
#define CURSOR_KEY      "sync-cursor"

struct _EnrStore
{
  GObject      parent_instance;

  char        *path;
  sqlite3     *db;
  GHashTable  *statements;    /* SQL text → sqlite3_stmt */
  char       **put_sql;       /* per type info */
  EnrOutbox   *outbox;

  /* The open transaction's bookkeeping. */
  gboolean     in_transaction;
  GHashTable  *dirty_customers;
  GArray      *touched_types;
  gboolean     touched_outbox;
};

static void enr_store_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EnrStore, enr_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      enr_store_initable_iface_init))

G_DEFINE_QUARK (enr-store-error-quark, enr_store_error)

G_DEFINE_BOXED_TYPE (EnrStoreChange, enr_store_change,
                     enr_store_change_copy, enr_store_change_free)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Changes */

/**
 * enr_store_change_new:
 * @type: a cached type
 * @id: the record's id
 * @json: (nullable): the record, or %NULL for a deletion
 *
 * Returns: (transfer full): a new change
 */
EnrStoreChange *
enr_store_change_new (GType       type,
                      const char *id,
                      const char *json)
{
  EnrStoreChange *change;

  g_return_val_if_fail (id != NULL, NULL);

  change = g_new0 (EnrStoreChange, 1);
  change->type = type;
  change->id = g_strdup (id);
  change->json = g_strdup (json);

  return change;
}

EnrStoreChange *
enr_store_change_copy (const EnrStoreChange *change)
{
  return enr_store_change_new (change->type, change->id, change->json);
}

void
enr_store_change_free (EnrStoreChange *change)
{
  if (change == NULL)
    return;

  g_free (change->id);
  g_free (change->json);
  g_free (change);
}

/* Types */

gboolean
enr_store_is_cached_type (GType type)
{
  return _enr_store_type_info (type) != NULL;
}

/**
 * enr_store_type_from_name:
 * @name: a change-feed type name such as "customer" or "service_task"
 *
 * Returns: the cached type, or %G_TYPE_INVALID
 */
GType
enr_store_type_from_name (const char *name)
{
  const EnrStoreTypeInfo *infos;
  guint n_infos;

  g_return_val_if_fail (name != NULL, G_TYPE_INVALID);

  infos = _enr_store_type_infos (&n_infos);
  for (guint i = 0; i < n_infos; i++)
    if (g_str_equal (infos[i].name, name))
      return infos[i].get_type ();

  return G_TYPE_INVALID;
}

const char *
enr_store_type_get_name (GType type)
{
  const EnrStoreTypeInfo *info = _enr_store_type_info (type);

  return info != NULL ? info->name : NULL;
}

static const EnrStoreTypeInfo *
lookup_info (GType    type,
             GError **error)
{
  const EnrStoreTypeInfo *info = _enr_store_type_info (type);

  if (info == NULL)
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                 "%s is not kept in the local store", g_type_name (type));

  return info;
}

/* SQL helpers */

void
_enr_store_set_error (EnrStore  *self,
                      int        rc,
                      GError   **error)
{
  int primary = rc & 0xff;

  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT,
                 _("The local database %s is damaged: %s"),
                 self->path, sqlite3_errmsg (self->db));
  else
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_SQL,
                 _("The local database failed: %s"), sqlite3_errmsg (self->db));
}

sqlite3 *
_enr_store_get_db (EnrStore *self)
{
  return self->db;
}

sqlite3_stmt *
_enr_store_prepare (EnrStore    *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = g_hash_table_lookup (self->statements, sql)) != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (self->db == NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("The local database is closed"));
      return NULL;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _enr_store_set_error (self, rc, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_enr_store_step_done (EnrStore      *self,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;

  _enr_store_set_error (self, rc, error);
  return FALSE;
}

static gboolean
exec_sql (EnrStore    *self,
          const char  *sql,
          GError     **error)
{
  sqlite3_stmt *stmt;

  return (stmt = _enr_store_prepare (self, sql, error)) != NULL &&
         _enr_store_step_done (self, stmt, error);
}

static void
clear_transaction (EnrStore *self)
{
  self->in_transaction = FALSE;
  self->touched_outbox = FALSE;
  g_hash_table_remove_all (self->dirty_customers);
  g_array_set_size (self->touched_types, 0);
}

gboolean
_enr_store_begin (EnrStore  *self,
                  GError   **error)
{
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  clear_transaction (self);
  self->in_transaction = TRUE;
  return TRUE;
}

void
_enr_store_rollback (EnrStore *self)
{
  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);

  clear_transaction (self);
}

static void
touch_type (EnrStore *self,
            GType     type)
{
  for (guint i = 0; i < self->touched_types->len; i++)
    if (g_array_index (self->touched_types, GType, i) == type)
      return;

  g_array_append_val (self->touched_types, type);
}

void
_enr_store_touch_outbox (EnrStore *self)
{
  self->touched_outbox = TRUE;
}

/* Commits, then tells listeners what changed. On failure everything the
 * transaction did is rolled back. */
gboolean
_enr_store_commit (EnrStore  *self,
                   GError   **error)
{
  g_autoptr(GArray) touched = NULL;
  gboolean outbox_changed;

  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!_enr_store_search_flush (self, self->dirty_customers, error) ||
      !exec_sql (self, "COMMIT", error))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  touched = g_array_copy (self->touched_types);
  outbox_changed = self->touched_outbox;
  clear_transaction (self);

  for (guint i = 0; i < touched->len; i++)
    g_signal_emit (self, signals[CHANGED], 0, g_array_index (touched, GType, i));

  if (outbox_changed)
    _enr_outbox_emit_changed (self->outbox);

  return TRUE;
}

void
_enr_store_search_mark_dirty (EnrStore   *self,
                              const char *customer_id)
{
  if (customer_id != NULL && customer_id[0] != '\0')
    g_hash_table_add (self->dirty_customers, g_strdup (customer_id));
}

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

static void
bind_property (sqlite3_stmt *stmt,
               int           index,
               GObject      *object,
               GParamSpec   *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, pspec->name, &value);

  switch (G_TYPE_FUNDAMENTAL (pspec->value_type))
    {
    case G_TYPE_STRING:
      {
        const char *text = g_value_get_string (&value);

        sqlite3_bind_text (stmt, index, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
      }
      break;

    case G_TYPE_BOOLEAN:
      sqlite3_bind_int (stmt, index, g_value_get_boolean (&value));
      break;

    case G_TYPE_INT:
      sqlite3_bind_int (stmt, index, g_value_get_int (&value));
      break;

    case G_TYPE_INT64:
      sqlite3_bind_int64 (stmt, index, g_value_get_int64 (&value));
      break;

    case G_TYPE_ENUM:
      sqlite3_bind_int (stmt, index, g_value_get_enum (&value));
      break;

    case G_TYPE_BOXED:
      if (pspec->value_type == G_TYPE_DATE)
        {
          const GDate *date = g_value_get_boxed (&value);
          g_autofree char *text = date != NULL ? enr_codec_format_date (date) : NULL;

          sqlite3_bind_text (stmt, index, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
          break;
        }
      if (pspec->value_type == G_TYPE_DATE_TIME)
        {
          GDateTime *date_time = g_value_get_boxed (&value);

          sqlite3_bind_int64 (stmt, index, date_time != NULL ? g_date_time_to_unix (date_time) : 0);
          break;
        }
      G_GNUC_FALLTHROUGH;

    default:
      g_assert_not_reached ();
    }
}

/* Binds a lookup value given as text the way bind_property() stores it. */
static gboolean
bind_lookup_value (sqlite3_stmt  *stmt,
                   int            index,
                   GParamSpec    *pspec,
                   const char    *text,
                   GError       **error)
{
  switch (G_TYPE_FUNDAMENTAL (pspec->value_type))
    {
    case G_TYPE_STRING:
      sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
      return TRUE;

    case G_TYPE_BOOLEAN:
      if (g_str_equal (text, "true") || g_str_equal (text, "false"))
        {
          sqlite3_bind_int (stmt, index, g_str_equal (text, "true"));
          return TRUE;
        }
      break;

    case G_TYPE_INT:
    case G_TYPE_INT64:
      {
        gint64 number;

        if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &number, NULL))
          {
            sqlite3_bind_int64 (stmt, index, number);
            return TRUE;
          }
      }
      break;

    case G_TYPE_ENUM:
      {
        int number;

        if (enr_enum_from_nick (pspec->value_type, text, &number))
          {
            sqlite3_bind_int (stmt, index, number);
            return TRUE;
          }
      }
      break;

    case G_TYPE_BOXED:
      if (pspec->value_type == G_TYPE_DATE)
        {
          GDate date;

          if (enr_codec_parse_date (text, &date))
            {
              sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
              return TRUE;
            }
        }
      else if (pspec->value_type == G_TYPE_DATE_TIME)
        {
          g_autoptr(GDateTime) date_time = enr_codec_parse_date_time (text);

          if (date_time != NULL)
            {
              sqlite3_bind_int64 (stmt, index, g_date_time_to_unix (date_time));
              return TRUE;
            }
        }
      break;

    default:
      break;
    }

  g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
               "“%s” is not a valid value for %s", text, pspec->name);
  return FALSE;
}

static gpointer
decode_row (GType         type,
            sqlite3_stmt *stmt,
            int           column,
            GError      **error)
{
  const char *json = (const char *) sqlite3_column_text (stmt, column);
  g_autoptr(GError) local_error = NULL;
  gpointer object;

  if (json == NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT,
                   _("A stored %s has no content"), g_type_name (type));
      return NULL;
    }

  if (!(object = enr_codec_decode_data (type, json, sqlite3_column_bytes (stmt, column), &local_error)))
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
  g_autofree char *id = _enr_store_object_id (object);
  g_autofree char *json = NULL;
  GObjectClass *klass = G_OBJECT_GET_CLASS (object);
  sqlite3_stmt *stmt;
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

  json = enr_codec_encode_string (object);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  for (i = 0; i < ENR_STORE_MAX_COLUMNS && info->columns[i] != NULL; i++)
    bind_property (stmt, i + 2, object, g_object_class_find_property (klass, info->columns[i]));
  sqlite3_bind_text (stmt, i + 2, json, -1, SQLITE_STATIC);

  if (!_enr_store_step_done (self, stmt, error))
    return FALSE;

  if (ENR_IS_CUSTOMER (object))
    _enr_store_search_mark_dirty (self, id);
  else if (ENR_IS_METERED_SERVICE (object))
    _enr_store_search_mark_dirty (self, enr_metered_service_get_customer_id (object));

  touch_type (self, info->get_type ());
  return TRUE;
}

gboolean
_enr_store_delete_one (EnrStore                *self,
                       const EnrStoreTypeInfo  *info,
                       const char              *id,
                       GError                 **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?1", info->table);
  sqlite3_stmt *stmt;

  if (info->get_type () == ENR_TYPE_CUSTOMER)
    {
      if (!_enr_store_search_forget (self, id, error))
        return FALSE;
    }
  else if (!_enr_store_search_before_put (self, info, id, error))
    return FALSE;

  if (!(stmt = _enr_store_prepare (self, sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!_enr_store_step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->db) > 0)
    touch_type (self, info->get_type ());

  return TRUE;
}

gpointer
_enr_store_get_one (EnrStore                *self,
                    const EnrStoreTypeInfo  *info,
                    const char              *id,
                    GError                 **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT json FROM %s WHERE id = ?1", info->table);
  sqlite3_stmt *stmt;
  gpointer object = NULL;
  int rc;

  if (!(stmt = _enr_store_prepare (self, sql, error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    object = decode_row (info->get_type (), stmt, 0, error);
  else if (rc == SQLITE_DONE)
    g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_NOT_FOUND,
                 _("No %s “%s” in the local store"), info->name, id);
  else
    _enr_store_set_error (self, rc, error);

  sqlite3_reset (stmt);
  return object;
}

static GPtrArray *
collect_rows (EnrStore      *self,
              GType          type,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer object = decode_row (type, stmt, 0, error);

      if (object == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (objects, object);
    }

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _enr_store_set_error (self, rc, error);
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

  for (guint l = 0; l < n_lists; l++)
    {
      if (!(infos[l] = lookup_info (types[l], error)))
        return FALSE;

      for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
        g_return_val_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (g_ptr_array_index (lists[l], i), types[l]), FALSE);
    }

  if (!_enr_store_begin (self, error))
    return FALSE;

  for (guint l = 0; l < n_lists; l++)
    for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
      if (!_enr_store_put_one (self, infos[l], g_ptr_array_index (lists[l], i), error))
        {
          _enr_store_rollback (self);
          return FALSE;
        }

  return _enr_store_commit (self, error);
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

  if (!(info = lookup_info (type, error)))
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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (property == NULL || value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(info = lookup_info (type, error)))
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

  if (!(info = lookup_info (type, error)) ||
      !_enr_store_begin (self, error))
    return FALSE;

  if (!_enr_store_delete_one (self, info, id, error))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  if (sqlite3_changes (self->db) == 0)
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
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (ENR_IS_STORE (self), -1);

  if (!(info = lookup_info (type, error)))
    return -1;

  sql = g_strdup_printf ("SELECT count(*) FROM %s", info->table);
  if (!(stmt = _enr_store_prepare (self, sql, error)))
    return -1;

  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    _enr_store_set_error (self, rc, error);

  sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(stmt = _enr_store_prepare (self,
                                   "SELECT json FROM drafts WHERE status = ?1 "
                                   "ORDER BY updated_at DESC, seq DESC",
                                   error)))
    return NULL;

  sqlite3_bind_int (stmt, 1, ENR_FLOW_STATUS_OPEN);
  return collect_rows (self, ENR_TYPE_PROCESS_FLOW, stmt, error);
}

gboolean
enr_store_delete_draft (EnrStore    *self,
                        const char  *id,
                        GError     **error)
{
  return enr_store_delete (self, ENR_TYPE_PROCESS_FLOW, id, error);
}

/* Entities with their operation */

gboolean
_enr_store_set_entity_version (EnrStore    *self,
                               const char  *entity_type,
                               const char  *entity_id,
                               gint64       version,
                               GError     **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _enr_store_prepare (self,
                                   "INSERT INTO entity_versions (entity_type, entity_id, version) "
                                   "VALUES (?1, ?2, ?3) ON CONFLICT DO UPDATE SET version = excluded.version",
                                   error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, entity_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, version);
  return _enr_store_step_done (self, stmt, error);
}

/* @others: cached records stored in the same transaction, before @entity */
static EnrOperation *
save_with_operation (EnrStore         *self,
                     GPtrArray        *others,
                     gpointer          entity,
                     EnrOperationKind  kind,
                     const char       *body,
                     GError          **error)
{
  g_autoptr(EnrOperation) operation = NULL;

  if (!_enr_store_begin (self, error))
    return NULL;

  for (guint i = 0; others != NULL && i < others->len; i++)
    {
      GObject *other = g_ptr_array_index (others, i);

      if (!_enr_store_put_one (self, _enr_store_type_info (G_OBJECT_TYPE (other)), other, error))
        goto failed;
    }

  if (!_enr_store_put_one (self, _enr_store_type_info (G_OBJECT_TYPE (entity)), entity, error) ||
      !(operation = _enr_outbox_append (self->outbox, kind, entity, body, error)))
    goto failed;

  if (!_enr_store_commit (self, error))
    return NULL;

  return g_steal_pointer (&operation);

failed:
  _enr_store_rollback (self);
  return NULL;
}

/**
 * enr_store_save_task_with_operation:
 * @task: the changed task
 * @kind: any kind but %ENR_OPERATION_KIND_CREATE_COMMUNICATION
 * @body: (nullable): the request body; %NULL: the encoded task for
 *   create-task and save-task, `{}` for finish, cancel and
 *   complete-field-work (reschedule needs one)
 *
 * Stores @task and queues the operation in one transaction.
 *
 * Returns: (transfer full): the queued operation, or %NULL with @error set
 */
EnrOperation *
enr_store_save_task_with_operation (EnrStore          *self,
                                    EnrServiceTask    *task,
                                    EnrOperationKind   kind,
                                    const char        *body,
                                    GError           **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return save_with_operation (self, NULL, task, kind, body, error);
}

/**
 * enr_store_save_task_with_operation_full:
 * @others: (element-type GObject) (nullable): cached records the same
 *   change touches (appointments it releases, completes or moves, drafts
 *   it closes), stored with @task
 *
 * As enr_store_save_task_with_operation(), with @others in the same
 * transaction.
 *
 * Returns: (transfer full): the queued operation, or %NULL with @error set
 */
EnrOperation *
enr_store_save_task_with_operation_full (EnrStore          *self,
                                         EnrServiceTask    *task,
                                         GPtrArray         *others,
                                         EnrOperationKind   kind,
                                         const char        *body,
                                         GError           **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (ENR_IS_SERVICE_TASK (task), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; others != NULL && i < others->len; i++)
    if (!enr_store_is_cached_type (G_OBJECT_TYPE (g_ptr_array_index (others, i))))
      {
        g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                     "%s is not a cached type",
                     G_OBJECT_TYPE_NAME (g_ptr_array_index (others, i)));
        return NULL;
      }

  return save_with_operation (self, others, task, kind, body, error);
}

/**
 * enr_store_save_flow_with_operation:
 * @flow: a flow with its draft task
 *
 * As enr_store_save_task_with_operation() for the flow's task, and saves
 * the flow as a draft in the same transaction.
 *
 * Returns: (transfer full): the queued operation, or %NULL with @error set
 */
EnrOperation *
enr_store_save_flow_with_operation (EnrStore          *self,
                                    EnrProcessFlow    *flow,
                                    EnrOperationKind   kind,
                                    const char        *body,
                                    GError           **error)
{
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  EnrServiceTask *task;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (ENR_IS_PROCESS_FLOW (flow), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((task = enr_process_flow_get_task (flow)) == NULL)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_INVALID,
                   "Process flow %s has no task to send",
                   enr_entity_get_id (ENR_ENTITY (flow)));
      return NULL;
    }

  g_ptr_array_add (others, flow);
  return save_with_operation (self, others, task, kind, body, error);
}

/**
 * enr_store_save_communication_with_operation:
 *
 * Stores @communication and queues its create-communication operation.
 *
 * Returns: (transfer full): the queued operation, or %NULL with @error set
 */
EnrOperation *
enr_store_save_communication_with_operation (EnrStore                  *self,
                                             EnrCustomerCommunication  *communication,
                                             GError                   **error)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (ENR_IS_CUSTOMER_COMMUNICATION (communication), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return save_with_operation (self, NULL, communication,
                              ENR_OPERATION_KIND_CREATE_COMMUNICATION, NULL, error);
}

/* Pull */

static gboolean
apply_change (EnrStore              *self,
              const EnrStoreChange  *change,
              guint                  index,
              GError               **error)
{
  const EnrStoreTypeInfo *info;
  g_autoptr(GObject) object = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  gboolean busy = FALSE;

  if (!(info = lookup_info (change->type, error)))
    return FALSE;

  /* A record the user changed locally stays as it is until its
   * operations have been sent: the push resolves it, not the pull. */
  if (!_enr_outbox_entity_is_busy (self->outbox, info->name, change->id, &busy, error))
    return FALSE;
  if (busy)
    return TRUE;

  if (change->json == NULL)
    return _enr_store_delete_one (self, info, change->id, error);

  if (!(object = enr_codec_decode_data (change->type, change->json, -1, &local_error)))
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE,
                   _("Change %u (%s %s) could not be read: %s"),
                   index, info->name, change->id, local_error->message);
      return FALSE;
    }

  id = _enr_store_object_id (object);
  if (g_strcmp0 (id, change->id) != 0)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_DECODE,
                   _("Change %u (%s %s) holds the record “%s”"),
                   index, info->name, change->id, id != NULL ? id : "");
      return FALSE;
    }

  if (!_enr_store_put_one (self, info, object, error))
    return FALSE;

  if (ENR_IS_SERVICE_TASK (object))
    return _enr_store_set_entity_version (self, info->name, id,
                                          enr_service_task_get_version (ENR_SERVICE_TASK (object)),
                                          error);

  return TRUE;
}

/**
 * enr_store_apply_changes:
 * @changes: (element-type EnrStoreChange): pulled changes, in order
 * @new_cursor: (nullable): the cursor after @changes, or %NULL to leave
 *   the cursor as it is (records fetched outside the change feed)
 *
 * Applies @changes and stores @new_cursor in one transaction: either both
 * happen or neither. Records with operations not yet acknowledged by the
 * service keep their local state.
 */
gboolean
enr_store_apply_changes (EnrStore    *self,
                         GPtrArray   *changes,
                         const char  *new_cursor,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_store_begin (self, error))
    return FALSE;

  for (guint i = 0; i < changes->len; i++)
    if (!apply_change (self, g_ptr_array_index (changes, i), i, error))
      goto failed;

  if (new_cursor == NULL)
    return _enr_store_commit (self, error);

  if (!(stmt = _enr_store_prepare (self,
                                   "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   error)))
    goto failed;

  sqlite3_bind_text (stmt, 1, CURSOR_KEY, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, new_cursor, -1, SQLITE_STATIC);
  if (!_enr_store_step_done (self, stmt, error))
    goto failed;

  return _enr_store_commit (self, error);

failed:
  _enr_store_rollback (self);
  return FALSE;
}

/**
 * enr_store_get_cursor:
 *
 * Returns: (transfer full) (nullable): the stored cursor; %NULL (and no
 *   error) when there is none and a full download is needed
 */
char *
enr_store_get_cursor (EnrStore  *self,
                      GError   **error)
{
  sqlite3_stmt *stmt;
  char *cursor = NULL;
  int rc;

  g_return_val_if_fail (ENR_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(stmt = _enr_store_prepare (self, "SELECT value FROM meta WHERE key = ?1", error)))
    return NULL;

  sqlite3_bind_text (stmt, 1, CURSOR_KEY, -1, SQLITE_STATIC);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    cursor = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    _enr_store_set_error (self, rc, error);

  sqlite3_reset (stmt);
  return cursor;
}

/**
 * enr_store_reset_cursor:
 *
 * Forgets the cursor, so that the next pull starts with a full download.
 * Cached records stay until the download replaces them.
 */
gboolean
enr_store_reset_cursor (EnrStore  *self,
                        GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_enr_store_begin (self, error))
    return FALSE;

  if (!(stmt = _enr_store_prepare (self, "DELETE FROM meta WHERE key = ?1", error)))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, CURSOR_KEY, -1, SQLITE_STATIC);
  if (!_enr_store_step_done (self, stmt, error))
    {
      _enr_store_rollback (self);
      return FALSE;
    }

  return _enr_store_commit (self, error);
}

/* Integrity */

/**
 * enr_store_check_integrity:
 *
 * Runs PRAGMA integrity_check.
 *
 * Returns: %TRUE when the database is sound; otherwise %FALSE with
 *   %ENR_STORE_ERROR_CORRUPT naming the first problem
 */
gboolean
enr_store_check_integrity (EnrStore  *self,
                           GError   **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *first = NULL;
  int rc;

  g_return_val_if_fail (ENR_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((rc = sqlite3_prepare_v2 (self->db, "PRAGMA integrity_check", -1, &stmt, NULL)) != SQLITE_OK)
    {
      _enr_store_set_error (self, rc, error);
      return FALSE;
    }

  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    first = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else
    _enr_store_set_error (self, rc, error);
  sqlite3_finalize (stmt);

  if (first == NULL)
    return FALSE;

  if (!g_str_equal (first, "ok"))
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_CORRUPT,
                   _("The local database %s is damaged: %s"), self->path, first);
      return FALSE;
    }

  return TRUE;
}

/* Object */

guint
enr_store_get_schema_version (EnrStore *self)
{
  sqlite3_stmt *stmt;
  guint version = 0;

  g_return_val_if_fail (ENR_IS_STORE (self), 0);

  if ((stmt = _enr_store_prepare (self, "PRAGMA user_version", NULL)) != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        version = sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
    }

  return version;
}

const char *
enr_store_get_path (EnrStore *self)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);

  return self->path;
}

/**
 * enr_store_get_outbox:
 *
 * Returns: (transfer none): the store's outbox
 */
EnrOutbox *
enr_store_get_outbox (EnrStore *self)
{
  g_return_val_if_fail (ENR_IS_STORE (self), NULL);

  return self->outbox;
}

/**
 * enr_store_get_default_path:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/enrollment-desk/client.db
 */
char *
enr_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "enrollment-desk", "client.db", NULL);
}

static gboolean
open_database (EnrStore  *self,
               GError   **error)
{
  g_autofree char *directory = g_path_get_dirname (self->path);
  sqlite3_stmt *stmt = NULL;
  struct statfs fs;
  gboolean wal;
  int rc;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("Could not create the folder %s for the local database: %s"),
                   directory, g_strerror (saved_errno));
      return FALSE;
    }

  if (statfs (directory, &fs) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("Could not inspect the folder %s of the local database: %s"),
                   directory, g_strerror (saved_errno));
      return FALSE;
    }

  if (!_enr_store_check_fs_type (fs.f_type, self->path, error))
    return FALSE;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("Could not open the local database %s: %s"),
                   self->path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* The first statement that reads the file: a file that is not a
   * database fails here. */
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  wal = rc == SQLITE_ROW &&
        g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW)
    {
      _enr_store_set_error (self, rc, error);
      return FALSE;
    }
  if (!wal)
    {
      g_set_error (error, ENR_STORE_ERROR, ENR_STORE_ERROR_OPEN,
                   _("The local database %s cannot use write-ahead logging"), self->path);
      return FALSE;
    }

  if ((rc = sqlite3_exec (self->db,
                          "PRAGMA synchronous = FULL;"
                          "PRAGMA foreign_keys = ON;"
                          "PRAGMA temp_store = MEMORY;"
                          "PRAGMA cache_size = -32000;",
                          NULL, NULL, NULL)) != SQLITE_OK)
    {
      _enr_store_set_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
enr_store_initable_init (GInitable     *initable,
                         GCancellable  *cancellable,
                         GError       **error)
{
  EnrStore *self = ENR_STORE (initable);
  const char * const *migrations;
  guint n_migrations;

  if (self->path == NULL)
    self->path = enr_store_get_default_path ();

  migrations = _enr_store_migrations (&n_migrations);

  if (!open_database (self, error) ||
      !_enr_store_migrate (self->db, migrations, n_migrations, error) ||
      !_enr_store_search_init (self->db, error))
    {
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }

  self->outbox = _enr_outbox_new (self);
  return _enr_outbox_recover (self->outbox, error);
}

static void
enr_store_initable_iface_init (GInitableIface *iface)
{
  iface->init = enr_store_initable_init;
}

static void
enr_store_finalize (GObject *object)
{
  EnrStore *self = (EnrStore *)object;
  guint n_infos;

  g_clear_object (&self->outbox);

  g_hash_table_remove_all (self->statements);
  if (self->db != NULL)
    {
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_exec (self->db, "PRAGMA optimize", NULL, NULL, NULL);
      sqlite3_close (self->db);
    }

  _enr_store_type_infos (&n_infos);
  for (guint i = 0; i < n_infos; i++)
    g_free (self->put_sql[i]);
  g_free (self->put_sql);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->dirty_customers, g_hash_table_unref);
  g_clear_pointer (&self->touched_types, g_array_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (enr_store_parent_class)->finalize (object);
}

static void
enr_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EnrStore *self = ENR_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_store_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  EnrStore *self = ENR_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_store_class_init (EnrStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = enr_store_finalize;
  object_class->get_property = enr_store_get_property;
  object_class->set_property = enr_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EnrStore::changed:
   * @type: the type whose records changed
   *
   * Emitted after a transaction that changed records of @type committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_GTYPE);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
enr_store_init (EnrStore *self)
{
  guint n_infos;

  _enr_store_type_infos (&n_infos);
  self->put_sql = g_new0 (char *, n_infos);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  self->dirty_customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->touched_types = g_array_new (FALSE, FALSE, sizeof (GType));
}

/**
 * enr_store_new:
 * @path: (nullable): the database file; %NULL for enr_store_get_default_path()
 *
 * Opens (creating and migrating when needed) the client's database.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
EnrStore *
enr_store_new (const char    *path,
               GCancellable  *cancellable,
               GError       **error)
{
  return g_initable_new (ENR_TYPE_STORE, cancellable, error,
                         "path", path,
                         NULL);
}

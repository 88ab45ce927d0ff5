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

/* INSERT … ON CONFLICT DO UPDATE of @info's table: $1 id, $2 version, $3
 * json, then the indexed columns. Made once per table (the tables are
 * static, so are the texts). */
static const char *
upsert_sql (const TableInfo *info)
{
  static GMutex mutex;
  static GHashTable *cache;
  GString *sql;
  GString *values;
  GString *update;
  char *text;

  g_mutex_lock (&mutex);

  if (cache == NULL)
    cache = g_hash_table_new (g_str_hash, g_str_equal);

  text = g_hash_table_lookup (cache, info->table);
  if (text != NULL)
    {
      g_mutex_unlock (&mutex);
      return text;
    }

  sql = g_string_new (NULL);
  values = g_string_new ("$1, $2, $3");
  update = g_string_new ("version = excluded.version, json = excluded.json");
  g_string_append_printf (sql, "INSERT INTO %s (id, version, json", info->table);

  for (guint i = 0; i < G_N_ELEMENTS (info->columns) && info->columns[i] != NULL; i++)
    {
      g_autofree char *column = _enr_service_store_column_name (info->columns[i]);

      g_string_append_printf (sql, ", %s", column);
      g_string_append_printf (values, ", $%u", i + 4);
      g_string_append_printf (update, ", %s = excluded.%s", column, column);
    }

  g_string_append_printf (sql, ") VALUES (%s) ON CONFLICT (id) DO UPDATE SET %s",
                          values->str, update->str);
  g_string_free (values, TRUE);
  g_string_free (update, TRUE);

  text = g_string_free (sql, FALSE);
  g_hash_table_insert (cache, (gpointer) info->table, text);
  g_mutex_unlock (&mutex);

  return text;
}

/* " FOR UPDATE" on PostgreSQL, where writers lock the rows they will
 * change; nothing on SQLite, whose writers are one at a time. */
const char *
_enr_service_store_for_update (EnrServiceStore *self)
{
  return enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL ? " FOR UPDATE" : "";
}

gint64
_enr_service_store_appointment_seconds (EnrAppointment *appointment)
{
  GDateTime *start = enr_appointment_get_start (appointment);
  GDateTime *end = enr_appointment_get_end (appointment);

  if (start == NULL || end == NULL)
    return 0;

  return MAX (g_date_time_to_unix (end) - g_date_time_to_unix (start), 0);
}

static gboolean
add_booked (EnrServiceStore  *self,
            const char       *shift_id,
            gint64            seconds,
            gboolean         *room,
            GError          **error)
{
  EnrDbStmt *stmt;
  EnrDbStep step;

  /* The conditional UPDATE is the capacity check: it locks the shift's
   * row, so two bookings of one shift take turns, and the second sees
   * what the first booked. */
  if (!(stmt = _enr_service_store_prepare (self,
                                           "UPDATE crew_shifts SET booked_seconds = booked_seconds + $2"
                                           " WHERE id = $1 AND booked_seconds + $2 <= capacity_minutes * 60"
                                           " RETURNING booked_seconds",
                                           error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, shift_id);
  enr_db_stmt_bind_int64 (stmt, 2, seconds);
  step = enr_db_stmt_step (stmt, error);
  enr_db_stmt_reset (stmt);
  *room = step == ENR_DB_STEP_ROW;

  return step != ENR_DB_STEP_ERROR;
}

/* Keeps the booked seconds of the shifts right when @appointment is
 * written: what its stored row booked is given back, what it books now is
 * taken, if the shift has room (else ENR_DB_ERROR_CONSTRAINT). */
static gboolean
account_appointment (EnrServiceStore  *self,
                     EnrAppointment   *appointment,
                     GError          **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *old_shift = NULL;
  EnrDbStmt *stmt;
  EnrDbStep step;
  gint64 old_seconds = 0;
  gint64 seconds = _enr_service_store_appointment_seconds (appointment);
  const char *shift = enr_appointment_get_crew_shift_id (appointment);
  gboolean room = TRUE;

  sql = g_strdup_printf ("SELECT crew_shift_id, seconds FROM appointments WHERE id = $1 AND status = $2%s",
                         _enr_service_store_for_update (self));
  if (!(stmt = _enr_service_store_prepare (self, sql, error)))
    return FALSE;
  enr_db_stmt_bind_text (stmt, 1, enr_entity_get_id (ENR_ENTITY (appointment)));
  enr_db_stmt_bind_int64 (stmt, 2, ENR_APPOINTMENT_STATUS_BOOKED);
  step = enr_db_stmt_step (stmt, error);
  if (step == ENR_DB_STEP_ROW)
    {
      old_shift = enr_db_stmt_column_dup (stmt, 0);
      old_seconds = enr_db_stmt_column_int64 (stmt, 1);
    }
  enr_db_stmt_reset (stmt);
  if (step == ENR_DB_STEP_ERROR)
    return FALSE;

  if (old_shift != NULL && old_seconds > 0)
    {
      if (!(stmt = _enr_service_store_prepare (self,
                                               "UPDATE crew_shifts SET booked_seconds = booked_seconds - $2"
                                               " WHERE id = $1",
                                               error)))
        return FALSE;
      enr_db_stmt_bind_text (stmt, 1, old_shift);
      enr_db_stmt_bind_int64 (stmt, 2, old_seconds);
      if (!enr_db_stmt_run (stmt, error))
        return FALSE;
    }

  if (enr_appointment_get_status (appointment) == ENR_APPOINTMENT_STATUS_BOOKED && shift != NULL &&
      !add_booked (self, shift, seconds, &room, error))
    return FALSE;

  if (!room)
    {
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_CONSTRAINT,
                   "The crew shift %s has no room left for %" G_GINT64_FORMAT " minutes",
                   shift, seconds / 60);
      return FALSE;
    }

  return TRUE;
}

static gboolean
set_appointment_seconds (EnrServiceStore  *self,
                         EnrAppointment   *appointment,
                         GError          **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare (self, "UPDATE appointments SET seconds = $2 WHERE id = $1", error)))
    return FALSE;
  enr_db_stmt_bind_text (stmt, 1, enr_entity_get_id (ENR_ENTITY (appointment)));
  enr_db_stmt_bind_int64 (stmt, 2, _enr_service_store_appointment_seconds (appointment));

  return enr_db_stmt_run (stmt, error);
}

/* With @late, the row goes out with the transaction's next statement
 * (_enr_service_store_run_late()): a save's. */
static gboolean
upsert (EnrServiceStore  *self,
        const TableInfo  *info,
        GObject          *object,
        gint64            version,
        const char       *json,
        gboolean          late,
        GError          **error)
{
  EnrDbStmt *stmt;

  if (is_reference_type (G_OBJECT_TYPE (object)))
    _enr_service_store_forget_reference (self, G_OBJECT_TYPE (object));

  if (ENR_IS_APPOINTMENT (object) && !account_appointment (self, ENR_APPOINTMENT (object), error))
    return FALSE;

  if (!(stmt = _enr_service_store_prepare (self, upsert_sql (info), error)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, enr_entity_get_id (ENR_ENTITY (object)));
  enr_db_stmt_bind_int64 (stmt, 2, version);
  enr_db_stmt_bind_text (stmt, 3, json);

  for (guint i = 0; i < G_N_ELEMENTS (info->columns) && info->columns[i] != NULL; i++)
    enr_db_stmt_bind_property (stmt, i + 4, object, info->columns[i]);

  if (!(late && !ENR_IS_APPOINTMENT (object) ? _enr_service_store_run_late (self, stmt, error)
                                             : enr_db_stmt_run (stmt, error)))
    return FALSE;

  return !ENR_IS_APPOINTMENT (object) || set_appointment_seconds (self, ENR_APPOINTMENT (object), error);
}

/* The record's version, 0 when there is none. A row the transaction read
 * FOR UPDATE (and did not write since) cannot have changed: its version
 * is known without asking. It is forgotten here, as the record is about
 * to be written. */
static gint64
current_version (EnrServiceStore *self,
                 const TableInfo *info,
                 const char      *id,
                 GError         **error)
{
  g_autofree char *key = g_strconcat (info->table, " ", id, NULL);
  g_autofree char *stolen_key = NULL;
  g_autofree char *sql = NULL;
  gint64 *locked = NULL;
  EnrDbStmt *stmt;
  EnrDbStep step;
  gint64 version = 0;

  if (g_hash_table_steal_extended (self->locked_versions, key, (gpointer *) &stolen_key, (gpointer *) &locked))
    {
      version = *locked;
      g_free (locked);
      return version;
    }

  sql = g_strdup_printf ("SELECT version FROM %s WHERE id = $1", info->table);
  if (!(stmt = _enr_service_store_prepare (self, sql, error)))
    return -1;

  enr_db_stmt_bind_text (stmt, 1, id);
  step = enr_db_stmt_step (stmt, error);
  if (step == ENR_DB_STEP_ROW)
    version = enr_db_stmt_column_int64 (stmt, 0);
  else if (step == ENR_DB_STEP_ERROR)
    version = -1;
  enr_db_stmt_reset (stmt);

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

  return upsert (self, info, entity, 1, json, FALSE, error);
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
  g_return_val_if_fail (enr_db_in_transaction (self->db), -1);

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

  /* On PostgreSQL the row and its change go out with the transaction's
   * next statement (at the latest its COMMIT), behind the feed's mark. */
  if (!upsert (self, info, entity, version, json, TRUE, error) ||
      !enr_service_store_log_change (self, info->name, id, version, owner, json, error))
    return -1;

  return version;
}

static char *
get_json (EnrServiceStore  *self,
          GType             type,
          const char       *id,
          gboolean          for_update,
          gint64           *version,
          GError          **error)
{
  const TableInfo *info;
  g_autofree char *sql = NULL;
  EnrDbStmt *stmt;
  EnrDbStep step;
  char *json = NULL;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  info = _enr_service_store_find_table (type);
  g_return_val_if_fail (info != NULL, NULL);

  sql = g_strdup_printf ("SELECT json, version FROM %s WHERE id = $1%s", info->table,
                         for_update ? _enr_service_store_for_update (self) : "");
  if (!(stmt = _enr_service_store_prepare (self, sql, error)))
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, id);
  step = enr_db_stmt_step (stmt, error);
  if (step == ENR_DB_STEP_ROW)
    {
      gint64 row_version = enr_db_stmt_column_int64 (stmt, 1);

      json = enr_db_stmt_column_dup (stmt, 0);
      if (version != NULL)
        *version = row_version;
      /* Locked until the transaction ends: its save needs not ask again. */
      if (for_update && enr_db_get_backend (self->db) == ENR_DB_POSTGRESQL)
        g_hash_table_insert (self->locked_versions, g_strconcat (info->table, " ", id, NULL),
                             g_memdup2 (&row_version, sizeof row_version));
    }
  else if (step == ENR_DB_STEP_DONE)
    g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND,
                 "No %s with id %s", info->name, id);
  enr_db_stmt_reset (stmt);

  return json;
}

char *
enr_service_store_get_json (EnrServiceStore  *self,
                            GType             type,
                            const char       *id,
                            gint64           *version,
                            GError          **error)
{
  return get_json (self, type, id, FALSE, version, error);
}

/**
 * enr_service_store_get_json_for_update:
 *
 * As enr_service_store_get_json(), for a write that will change the
 * record: on PostgreSQL the row stays locked until the transaction ends,
 * so that two writes of one record take turns (the second reads what the
 * first wrote).
 */
char *
enr_service_store_get_json_for_update (EnrServiceStore  *self,
                                       GType             type,
                                       const char       *id,
                                       gint64           *version,
                                       GError          **error)
{
  return get_json (self, type, id, TRUE, version, error);
}

/**
 * enr_service_store_lock:
 *
 * Locks the record (PostgreSQL; nothing to do on SQLite) until the
 * transaction ends: the writes that decide from a customer's records
 * (duplicates, eligibility) lock the customer first and take turns.
 * A missing record is no error. The lock is deferred (enr_db_stmt_defer()):
 * it goes out with the next statement, which runs once it is held; an
 * error (a deadlock) is that statement's.
 */
gboolean
enr_service_store_lock (EnrServiceStore  *self,
                        GType             type,
                        const char       *id,
                        GError          **error)
{
  const TableInfo *info = _enr_service_store_find_table (type);
  g_autofree char *sql = NULL;
  EnrDbStmt *stmt;

  g_return_val_if_fail (info != NULL, FALSE);

  if (enr_db_get_backend (self->db) != ENR_DB_POSTGRESQL || id == NULL)
    return TRUE;

  sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = $1 FOR UPDATE", info->table);
  if (!(stmt = _enr_service_store_prepare (self, sql, error)))
    return FALSE;
  enr_db_stmt_bind_text (stmt, 1, id);

  /* Sent with the reads that follow (one round trip): they run after it,
   * each reading what was committed once the lock is held. */
  enr_db_stmt_defer (stmt);
  return TRUE;
}

/* The premise locks are (0x656e7203 = 1701712387, hash of the premise
 * id): two keys (objsubid 2), like the throttle's. */
static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * enr_service_store_lock_premises:
 * @premise_ids: (element-type utf8): premise ids, in any order, repeats
 *   allowed
 *
 * Locks the premises (PostgreSQL; nothing to do on SQLite, one writer at
 * a time) until the transaction ends (deferred, as enr_service_store_lock()
 * is): what a write decides from the
 * enrollments of every account at a premise (the programs' limit per
 * premise) stays true until it commits, although those accounts are other
 * customers, whose rows it does not lock. A transaction advisory lock per
 * premise, taken in sorted order (two writers never wait on each other in
 * a circle), all in one statement that reads nothing else: a statement
 * that waited for a lock would still read what was committed when it
 * began. Read the premises' enrollments after this, in statements of
 * their own.
 */
gboolean
enr_service_store_lock_premises (EnrServiceStore  *self,
                                 GPtrArray        *premise_ids,
                                 GError          **error)
{
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GString) array = g_string_new ("{");
  EnrDbStmt *stmt;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), FALSE);

  if (enr_db_get_backend (self->db) != ENR_DB_POSTGRESQL)
    return TRUE;

  sorted = g_ptr_array_copy (premise_ids, NULL, NULL);
  g_ptr_array_sort (sorted, compare_ids);
  for (guint i = 0; i < sorted->len; i++)
    {
      const char *id = g_ptr_array_index (sorted, i);

      if (id == NULL || (i > 0 && g_strcmp0 (id, g_ptr_array_index (sorted, i - 1)) == 0))
        continue;

      /* An array literal's element, quoted. */
      if (array->len > 1)
        g_string_append_c (array, ',');
      g_string_append_c (array, '"');
      for (const char *p = id; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (array, '\\');
          g_string_append_c (array, *p);
        }
      g_string_append_c (array, '"');
    }
  if (array->len == 1)
    return TRUE;
  g_string_append_c (array, '}');

  /* unnest() gives the elements in their order: the locks are taken in it. */
  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT pg_advisory_xact_lock (1701712387, hashtext (id))"
                                           " FROM unnest ($1::text[]) AS id",
                                           error)))
    return FALSE;
  enr_db_stmt_bind_text (stmt, 1, array->str);
  enr_db_stmt_defer (stmt);

  return TRUE;
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
  ReferenceCache *cache;
  GPtrArray *objects;

  _enr_service_store_check_generation (self);

  cache = g_hash_table_lookup (self->reference, GSIZE_TO_POINTER (type));
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
      g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND,
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
          g_set_error (error, ENR_DB_ERROR, ENR_DB_ERROR_NOT_FOUND,
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
  EnrDbStmt *stmt;
  EnrDbStep step;
  const char *select = key_column != NULL ? key_column : "NULL";
  GType column_type = G_TYPE_INVALID;

  g_return_val_if_fail (ENR_IS_SERVICE_STORE (self), NULL);

  info = _enr_service_store_find_table (type);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (key_column == NULL ||
                        _enr_service_store_column_type (info, key_column) == G_TYPE_STRING, NULL);

  if (column != NULL)
    {
      column_type = _enr_service_store_column_type (info, column);
      g_return_val_if_fail (column_type != G_TYPE_INVALID, NULL);
      sql = g_strdup_printf ("SELECT json, %s FROM %s WHERE %s = $1 ORDER BY id", select, info->table, column);
    }
  else
    sql = g_strdup_printf ("SELECT json, %s FROM %s ORDER BY id", select, info->table);

  if (!(stmt = _enr_service_store_prepare (self, sql, error)))
    return NULL;

  /* The value as that property is stored (an enum by its nick). */
  if (column != NULL && value == NULL)
    enr_db_stmt_bind_null (stmt, 1);
  else if (column != NULL && !enr_db_stmt_bind_lookup (stmt, 1, column_type, value, error))
    return NULL;

  rows = g_ptr_array_new_with_free_func (g_free);
  if (keys != NULL)
    key_rows = g_ptr_array_new_with_free_func (g_free);
  while ((step = enr_db_stmt_step (stmt, error)) == ENR_DB_STEP_ROW)
    {
      g_ptr_array_add (rows, enr_db_stmt_column_dup (stmt, 0));
      if (key_rows != NULL)
        g_ptr_array_add (key_rows, enr_db_stmt_column_dup (stmt, 1));
    }
  enr_db_stmt_reset (stmt);

  if (step != ENR_DB_STEP_DONE)
    return NULL;

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
      GPtrArray *objects;

      if (cache == NULL)
        return NULL;

      objects = g_ptr_array_new_full (cache->objects->len, g_object_unref);
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
  EnrDbStmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (info != NULL, -1);

  sql = g_strdup_printf ("SELECT count(*) FROM %s", info->table);
  if (!(stmt = _enr_service_store_prepare (self, sql, error)))
    return -1;
  if (enr_db_stmt_step (stmt, error) == ENR_DB_STEP_ROW)
    count = enr_db_stmt_column_int64 (stmt, 0);
  enr_db_stmt_reset (stmt);

  return count;
}

/* Code values */

gboolean
enr_service_store_import_code_value (EnrServiceStore  *self,
                                     gpointer          code_value,
                                     GError          **error)
{
  EnrDbStmt *stmt;
  g_autofree char *json = NULL;

  g_return_val_if_fail (ENR_IS_CODE_VALUE (code_value), FALSE);

  if (!(stmt = _enr_service_store_prepare (self,
                                           "INSERT INTO code_values (list, code, json) VALUES ($1, $2, $3)"
                                           " ON CONFLICT (list, code) DO UPDATE SET json = excluded.json",
                                           error)))
    return FALSE;

  json = enr_codec_encode_string (code_value);
  _enr_service_store_forget_reference (self, ENR_TYPE_CODE_VALUE);

  /* The list's nick: the key the code-value endpoints and checks use. */
  enr_db_stmt_bind_text (stmt, 1, enr_enum_to_nick (ENR_TYPE_CODE_LIST,
                                                    enr_code_value_get_list (code_value)));
  enr_db_stmt_bind_text (stmt, 2, enr_code_value_get_code (code_value));
  enr_db_stmt_bind_text (stmt, 3, json);

  return enr_db_stmt_run (stmt, error);
}

/* Code values are reference data: read once (all of them, a few hundred
 * short rows) and cached as the others are (enr-service-store.c), so that
 * checking the codes of a task's answers and interactions costs no round
 * trip. */
static GHashTable *
code_value_set (EnrServiceStore *self)
{
  g_autoptr(GHashTable) set = NULL;
  EnrDbStmt *stmt;
  EnrDbStep step;

  _enr_service_store_check_generation (self);
  if (self->code_values != NULL)
    return self->code_values;

  if (!(stmt = _enr_service_store_prepare (self, "SELECT list, code FROM code_values", NULL)))
    return NULL;

  set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((step = enr_db_stmt_step (stmt, NULL)) == ENR_DB_STEP_ROW)
    g_hash_table_add (set, g_strconcat (enr_db_stmt_column_text (stmt, 0), " ",
                                        enr_db_stmt_column_text (stmt, 1), NULL));
  enr_db_stmt_reset (stmt);
  if (step != ENR_DB_STEP_DONE)
    return NULL;

  self->code_values = g_steal_pointer (&set);
  return self->code_values;
}

gboolean
enr_service_store_code_value_exists (EnrServiceStore *self,
                                     const char      *list,
                                     const char      *code)
{
  g_autofree char *key = NULL;
  GHashTable *set;

  if (list == NULL || code == NULL || !(set = code_value_set (self)))
    return FALSE;

  key = g_strconcat (list, " ", code, NULL);
  return g_hash_table_contains (set, key);
}

GPtrArray *
enr_service_store_list_code_values_json (EnrServiceStore  *self,
                                         GError          **error)
{
  EnrDbStmt *stmt;

  if (!(stmt = _enr_service_store_prepare (self,
                                           "SELECT json FROM code_values ORDER BY list, code",
                                           error)))
    return NULL;

  return enr_db_stmt_collect_text (stmt, 0, error);
}

gboolean
enr_service_store_exists (EnrServiceStore *self,
                          GType            type,
                          const char      *id)
{
  const TableInfo *info = _enr_service_store_find_table (type);
  g_autofree char *sql = NULL;
  EnrDbStmt *stmt;
  gboolean found;

  g_return_val_if_fail (info != NULL, FALSE);

  if (id == NULL)
    return FALSE;

  sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = $1", info->table);
  if (!(stmt = _enr_service_store_prepare (self, sql, NULL)))
    return FALSE;

  enr_db_stmt_bind_text (stmt, 1, id);
  found = enr_db_stmt_step (stmt, NULL) == ENR_DB_STEP_ROW;
  enr_db_stmt_reset (stmt);

  return found;
}

/* The asset type recorded for another device of this model, if any. */
char *
enr_service_store_asset_type_of (EnrServiceStore *self,
                                 const char      *specification)
{
  EnrDbStmt *stmt;
  char *asset_type = NULL;

  if (enr_db_get_backend (self->db) == ENR_DB_SQLITE)
    stmt = _enr_service_store_prepare (self,
                                       "SELECT json_extract (json, '$.asset_type') FROM devices"
                                       " WHERE json_extract (json, '$.specification') = $1 LIMIT 1",
                                       NULL);
  else
    stmt = _enr_service_store_prepare (self,
                                       "SELECT json::jsonb ->> 'asset_type' FROM devices"
                                       " WHERE json::jsonb ->> 'specification' = $1 LIMIT 1",
                                       NULL);
  if (stmt == NULL)
    return NULL;

  enr_db_stmt_bind_text (stmt, 1, specification);
  if (enr_db_stmt_step (stmt, NULL) == ENR_DB_STEP_ROW)
    asset_type = enr_db_stmt_column_dup (stmt, 0);
  enr_db_stmt_reset (stmt);

  return asset_type;
}

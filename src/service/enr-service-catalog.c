/* enr-service-catalog.c — reference data, appointment slots, the change feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-slot-finder.h"
#include "enr-service-handlers.h"
#include "enr-service-server.h"

#define DEFAULT_PAGE_SIZE   20
#define MAX_PAGE_SIZE       100
#define MAX_PAGE            100000
#define DEFAULT_CHANGES     100
#define MAX_CHANGES         1000
#define MAX_CHANGES_WAIT    60
#define MAX_SLOT_DAYS       60

static gboolean
parse_unsigned (EnrServiceRequest *req,
                const char        *name,
                guint64            min,
                guint64            max,
                guint64            fallback,
                guint64           *out)
{
  const char *text = enr_service_request_get_query (req, name);

  if (text == NULL || text[0] == '\0')
    {
      *out = fallback;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    {
      enr_service_request_problem (req, 400, "invalid-parameter",
                                   "%s must be a whole number from %" G_GUINT64_FORMAT
                                   " to %" G_GUINT64_FORMAT ".", name, min, max);
      return FALSE;
    }

  return TRUE;
}

gboolean
enr_service_parse_page (EnrServiceRequest *req,
                        guint             *offset,
                        guint             *limit,
                        guint             *page,
                        guint             *page_size)
{
  guint64 page_number;
  guint64 size;

  if (!parse_unsigned (req, "page", 1, MAX_PAGE, 1, &page_number) ||
      !parse_unsigned (req, "page_size", 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, &size))
    return FALSE;

  *page = page_number;
  *page_size = size;
  *offset = (page_number - 1) * size;
  /* One more than asked tells whether another page follows. */
  *limit = size + 1;

  return TRUE;
}

void
enr_service_reply_page (EnrServiceRequest *req,
                        GPtrArray         *rows,
                        guint              page,
                        guint              page_size)
{
  GString *out = g_string_new ("{\"items\":");
  gboolean more = rows->len > page_size;

  if (more)
    g_ptr_array_set_size (rows, page_size);

  enr_service_json_append_array (out, rows);
  g_string_append_printf (out, ",\"page\":%u,\"page_size\":%u,\"more\":%s}",
                          page, page_size, more ? "true" : "false");

  enr_service_request_reply_json (req, 200, g_string_free (out, FALSE));
}

void
enr_service_reply_items (EnrServiceRequest *req,
                         GPtrArray         *rows)
{
  GString *out = g_string_new ("{\"items\":");

  enr_service_json_append_array (out, rows);
  g_string_append_c (out, '}');

  enr_service_request_reply_json (req, 200, g_string_free (out, FALSE));
}

static void
reply_collection (EnrServiceRequest *req,
                  GType              type,
                  const char        *column,
                  const char        *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  rows = enr_service_store_list_json (req->store, type, column, value, &error);
  if (rows == NULL)
    {
      enr_service_request_gerror (req, error);
      return;
    }

  enr_service_reply_items (req, rows);
}

void
enr_service_handle_program_list (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) programs = NULL;
  g_autoptr(GPtrArray) types = NULL;
  g_autoptr(GPtrArray) initiatives = NULL;
  GString *out;

  if (!(programs = enr_service_store_list_json (req->store, ENR_TYPE_PROGRAM, NULL, NULL, &error)) ||
      !(types = enr_service_store_list_json (req->store, ENR_TYPE_PROGRAM_TYPE, NULL, NULL, &error)) ||
      !(initiatives = enr_service_store_list_json (req->store, ENR_TYPE_INITIATIVE, NULL, NULL, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  out = g_string_new ("{\"items\":");
  enr_service_json_append_array (out, programs);
  g_string_append (out, ",\"program_types\":");
  enr_service_json_append_array (out, types);
  g_string_append (out, ",\"initiatives\":");
  enr_service_json_append_array (out, initiatives);
  g_string_append_c (out, '}');

  enr_service_request_reply_json (req, 200, g_string_free (out, FALSE));
}

void
enr_service_handle_program_get (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrProgram) program = NULL;
  g_autofree char *program_json = NULL;
  g_autofree char *type_json = NULL;
  g_autofree char *initiative_json = NULL;
  const char *initiative_id;
  GString *out;

  program_json = enr_service_store_get_json (req->store, ENR_TYPE_PROGRAM, req->params[0], NULL, &error);
  if (program_json == NULL ||
      !(program = enr_codec_decode_data (ENR_TYPE_PROGRAM, program_json, -1, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  type_json = enr_service_store_get_json (req->store, ENR_TYPE_PROGRAM_TYPE,
                                          enr_program_get_program_type_id (program), NULL, NULL);
  initiative_id = enr_program_get_initiative_id (program);
  if (initiative_id != NULL)
    initiative_json = enr_service_store_get_json (req->store, ENR_TYPE_INITIATIVE,
                                                  initiative_id, NULL, NULL);

  out = g_string_new ("{\"program\":");
  g_string_append (out, program_json);
  g_string_append (out, ",\"program_type\":");
  g_string_append (out, type_json != NULL ? type_json : "null");
  g_string_append (out, ",\"initiative\":");
  g_string_append (out, initiative_json != NULL ? initiative_json : "null");
  g_string_append_c (out, '}');

  enr_service_request_reply_json (req, 200, g_string_free (out, FALSE));
}

void
enr_service_handle_code_values (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  if (!(rows = enr_service_store_list_code_values_json (req->store, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  enr_service_reply_items (req, rows);
}

void
enr_service_handle_crews (EnrServiceRequest *req)
{
  const char *shift_type = enr_service_request_get_query (req, "shift_type_id");

  if (shift_type != NULL && shift_type[0] != '\0')
    reply_collection (req, ENR_TYPE_CREW, "shift_type_id", shift_type);
  else
    reply_collection (req, ENR_TYPE_CREW, NULL, NULL);
}

void
enr_service_handle_crew_shift_types (EnrServiceRequest *req)
{
  reply_collection (req, ENR_TYPE_CREW_SHIFT_TYPE, NULL, NULL);
}

void
enr_service_handle_activity_types (EnrServiceRequest *req)
{
  reply_collection (req, ENR_TYPE_ACTIVITY_TYPE, NULL, NULL);
}

void
enr_service_handle_service_task_types (EnrServiceRequest *req)
{
  reply_collection (req, ENR_TYPE_SERVICE_TASK_TYPE, NULL, NULL);
}

void
enr_service_handle_action_methods (EnrServiceRequest *req)
{
  reply_collection (req, ENR_TYPE_ACTION_METHOD, NULL, NULL);
}

/* Crews that have the activity's craft (every crew when it names none). */
static GPtrArray *
crews_for_activity (GPtrArray       *crews,
                    EnrActivityType *activity_type)
{
  const char *craft = enr_activity_type_get_craft (activity_type);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < crews->len; i++)
    {
      EnrCrew *crew = g_ptr_array_index (crews, i);
      const char * const *crafts = enr_crew_get_crafts (crew);

      if (craft == NULL || craft[0] == '\0' ||
          (crafts != NULL && g_strv_contains (crafts, craft)))
        g_ptr_array_add (result, g_object_ref (crew));
    }

  return result;
}

static gboolean
entity_has_id (gconstpointer entity,
               gconstpointer id)
{
  return g_strcmp0 (enr_entity_get_id ((EnrEntity *) entity), id) == 0;
}

void
enr_service_handle_appointment_slots (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EnrActivityType) activity_type = NULL;
  g_autoptr(EnrCrew) crew = NULL;
  g_autoptr(GPtrArray) crews = NULL;
  g_autoptr(GPtrArray) usable_crews = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(JsonNode) items = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *activity_id = enr_service_request_get_query (req, "activity_type");
  const char *shift_type_id = enr_service_request_get_query (req, "crew_shift_type");
  const char *crew_id = enr_service_request_get_query (req, "crew");
  const char *date_text = enr_service_request_get_query (req, "date");
  guint64 days;
  GDate date;
  GDate last;
  EnrSlotQuery query = { 0, };
  GString *out;

  if (activity_id == NULL || activity_id[0] == '\0')
    {
      enr_service_request_problem (req, 400, "invalid-parameter", "activity_type is required.");
      return;
    }
  if (date_text == NULL || !enr_codec_parse_date (date_text, &date))
    {
      enr_service_request_problem (req, 400, "invalid-parameter",
                                   "date is required, as YYYY-MM-DD.");
      return;
    }
  if (!parse_unsigned (req, "days", 1, MAX_SLOT_DAYS, 1, &days))
    return;

  activity_type = enr_service_store_get (req->store, ENR_TYPE_ACTIVITY_TYPE, activity_id, NULL);
  if (activity_type == NULL)
    {
      enr_service_request_problem (req, 400, "invalid-parameter",
                                   "There is no activity type “%s”.", activity_id);
      return;
    }

  if (crew_id != NULL && crew_id[0] != '\0')
    {
      crew = enr_service_store_get (req->store, ENR_TYPE_CREW, crew_id, NULL);
      if (crew == NULL)
        {
          enr_service_request_problem (req, 400, "invalid-parameter",
                                       "There is no crew “%s”.", crew_id);
          return;
        }
    }
  if (shift_type_id != NULL && shift_type_id[0] == '\0')
    shift_type_id = NULL;
  if (shift_type_id != NULL &&
      !enr_service_store_exists (req->store, ENR_TYPE_CREW_SHIFT_TYPE, shift_type_id))
    {
      enr_service_request_problem (req, 400, "invalid-parameter",
                                   "There is no crew shift type “%s”.", shift_type_id);
      return;
    }

  last = date;
  g_date_add_days (&last, days - 1);

  if (!(crews = enr_service_store_list (req->store, ENR_TYPE_CREW, NULL, NULL, &error)) ||
      !(shifts = enr_service_store_crew_shifts (req->store, crew != NULL ? crew_id : NULL,
                                                &date, &last, &error)) ||
      !(appointments = enr_service_store_booked_appointments (req->store, &date, &last, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  usable_crews = crews_for_activity (crews, activity_type);
  if (crew != NULL &&
      !g_ptr_array_find_with_equal_func (usable_crews, crew_id, entity_has_id, NULL))
    {
      /* The chosen crew lacks the activity's craft: it has no slots. */
      g_ptr_array_set_size (shifts, 0);
    }

  query.activity_type = activity_type;
  query.crew = crew;
  query.shift_type_id = shift_type_id;
  query.crews = usable_crews;
  query.date = &date;
  query.slot_days = days;
  query.shifts = shifts;
  query.appointments = appointments;
  query.now = now;

  slots = enr_slot_finder_find (&query);
  items = enr_codec_encode_array (slots);

  out = g_string_new ("{\"items\":");
  {
    g_autofree char *text = enr_json_to_string (items, FALSE);

    g_string_append (out, text);
  }
  g_string_append_c (out, '}');

  enr_service_request_reply_json (req, 200, g_string_free (out, FALSE));
}

#define MAX_CALENDAR_DAYS   120

/* from (YYYY-MM-DD, required) and days (1 by default) → the dates' span. */
static gboolean
parse_span (EnrServiceRequest *req,
            GDate             *first,
            GDate             *last)
{
  const char *from = enr_service_request_get_query (req, "from");
  guint64 days;

  if (from == NULL || !enr_codec_parse_date (from, first))
    {
      enr_service_request_problem (req, 400, "invalid-parameter", "from is required, as YYYY-MM-DD.");
      return FALSE;
    }
  if (!parse_unsigned (req, "days", 1, MAX_CALENDAR_DAYS, 1, &days))
    return FALSE;

  *last = *first;
  g_date_add_days (last, days - 1);

  return TRUE;
}

static void
reply_objects (EnrServiceRequest *req,
               GPtrArray         *objects)
{
  g_autoptr(JsonNode) items = enr_codec_encode_array (objects);
  g_autofree char *text = enr_json_to_string (items, FALSE);

  enr_service_request_reply_json (req, 200, g_strdup_printf ("{\"items\":%s}", text));
}

/* GET /v1/crew-shifts?from=&days=[&crew=] */
void
enr_service_handle_crew_shifts (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  const char *crew_id = enr_service_request_get_query (req, "crew");
  GDate first, last;

  if (!parse_span (req, &first, &last))
    return;
  if (crew_id != NULL && crew_id[0] == '\0')
    crew_id = NULL;
  if (crew_id != NULL && !enr_service_store_exists (req->store, ENR_TYPE_CREW, crew_id))
    {
      enr_service_request_problem (req, 400, "invalid-parameter", "There is no crew “%s”.", crew_id);
      return;
    }

  if (!(shifts = enr_service_store_crew_shifts (req->store, crew_id, &first, &last, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  reply_objects (req, shifts);
}

/* GET /v1/appointments?from=&days=&status=booked: the booked appointments
 * of the shifts on those dates, whoever booked them (they take up slots). */
void
enr_service_handle_appointments (EnrServiceRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) appointments = NULL;
  const char *status = enr_service_request_get_query (req, "status");
  GDate first, last;

  if (status != NULL && status[0] != '\0' && g_strcmp0 (status, "booked") != 0)
    {
      enr_service_request_problem (req, 400, "invalid-parameter", "status must be booked.");
      return;
    }
  if (!parse_span (req, &first, &last))
    return;

  if (!(appointments = enr_service_store_booked_appointments (req->store, &first, &last, &error)))
    {
      enr_service_request_gerror (req, error);
      return;
    }

  reply_objects (req, appointments);
}

/**
 * enr_service_changes_reply:
 * @may_hold: whether the request may wait for changes instead
 *
 * Fills the reply of GET /v1/changes from the store as it is committed.
 *
 * Returns: %FALSE, with no reply made, when @may_hold and there is no
 *   change the request's user may see after its cursor: it can wait
 */
gboolean
enr_service_changes_reply (EnrServiceRequest *req,
                           gboolean           may_hold)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  guint64 since;
  guint64 limit;
  gint64 horizon = 0;
  gint64 head = 0;
  gint64 last = 0;
  gint64 cursor;
  gboolean more;
  GString *out;

  if (!parse_unsigned (req, "since", 0, G_MAXINT64, 0, &since) ||
      !parse_unsigned (req, "limit", 1, MAX_CHANGES, DEFAULT_CHANGES, &limit))
    return TRUE;

  if (!enr_service_store_changes (req->store, since, limit + 1,
                                  enr_service_request_is_supervisor (req)
                                  ? NULL : enr_service_request_get_username (req),
                                  &changes, &horizon, &head, &last, &error))
    {
      enr_service_request_gerror (req, error);
      return TRUE;
    }

  if ((gint64) since < horizon || (gint64) since > last)
    {
      g_autoptr(JsonNode) value = json_node_new (JSON_NODE_VALUE);
      g_autofree char *detail = NULL;

      json_node_set_int (value, head);
      detail = g_strdup_printf ("Changes up to %" G_GINT64_FORMAT " are no longer kept. "
                                "Reload every resource, then continue from cursor %" G_GINT64_FORMAT ".",
                                horizon, head);
      enr_service_request_problem_with (req, 410, "cursor-expired", detail, "cursor", value);
      return TRUE;
    }

  if (may_hold && changes->len == 0)
    return FALSE;

  more = changes->len > limit;
  if (more)
    g_ptr_array_set_size (changes, limit);

  /* Without more, every change up to the head was looked at (a clerk's
   * feed skips other clerks' tasks): the next pull starts there. The head
   * is below what a client saw only while a transaction holding an older
   * position is in flight (PostgreSQL): its cursor stays. */
  if (more)
    cursor = ((EnrServiceChange *) g_ptr_array_index (changes, changes->len - 1))->seq;
  else
    cursor = MAX ((gint64) since, head);

  out = g_string_new ("{\"changes\":[");
  for (guint i = 0; i < changes->len; i++)
    {
      EnrServiceChange *change = g_ptr_array_index (changes, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (change->at);
      g_autofree char *at_text = enr_codec_format_date_time (at);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "{\"cursor\":%" G_GINT64_FORMAT ",\"type\":", change->seq);
      enr_service_json_append_string (out, change->type);
      g_string_append (out, ",\"id\":");
      enr_service_json_append_string (out, change->id);
      g_string_append_printf (out, ",\"version\":%" G_GINT64_FORMAT ",\"deleted\":%s,\"at\":",
                              change->version, change->deleted ? "true" : "false");
      enr_service_json_append_string (out, at_text);
      g_string_append (out, ",\"data\":");
      g_string_append (out, change->json != NULL ? change->json : "null");
      g_string_append_c (out, '}');
    }
  g_string_append_printf (out, "],\"cursor\":%" G_GINT64_FORMAT ",\"more\":%s}",
                          cursor, more ? "true" : "false");

  enr_service_request_reply_json (req, 200, g_string_free (out, FALSE));
  return TRUE;
}

/* With wait=N (seconds), a request that finds no change for its user is
 * held until one commits or N seconds pass (enr-service-server.c). */
void
enr_service_handle_changes (EnrServiceRequest *req)
{
  guint64 wait;

  if (!parse_unsigned (req, "wait", 0, MAX_CHANGES_WAIT, 0, &wait))
    return;

  if (!enr_service_changes_reply (req, wait > 0))
    enr_service_server_hold_for_changes (req->server, req, (guint) wait);
}

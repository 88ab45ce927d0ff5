/* bench-capacity.c — booking the last slots of shifts: the conditional
 * UPDATE the service uses against SERIALIZABLE with retries
 *
 *   bench-capacity [--clients N] [--shifts N] [--slots N] [--rounds N]
 *
 * Against the PostgreSQL server the PG* environment names (build-aux/
 * bench-capacity makes a throw-away one). Tables shaped as the service's
 * (crew_shifts with capacity and booked seconds, appointments); every
 * round fills --shifts shifts of --slots one-hour slots each, --clients
 * clients (a connection and a thread each) booking one hour at a time on
 * random shifts until every shift refuses, twice:
 *
 *   conditional   READ COMMITTED; UPDATE crew_shifts SET booked_seconds =
 *                 booked_seconds + 3600 WHERE id = $1 AND booked_seconds +
 *                 3600 <= capacity_minutes * 60; no row: the shift is full;
 *                 INSERT the appointment; COMMIT (what the service does,
 *                 enr-service-store-entities.c)
 *   serializable  BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT the shift's
 *                 capacity and booked seconds and the appointments' count;
 *                 full: refuse; else UPDATE, INSERT, COMMIT; a
 *                 serialization failure (40001) or deadlock (40P01) is
 *                 retried from BEGIN
 *
 * and prints per mode the bookings per second (booked slots and refusals,
 * i.e. requests answered, over the wall time), the retries, and checks
 * that no shift is over-booked (booked seconds and appointments against
 * the capacity) and that every slot was booked. The baseline is the
 * conditional UPDATE, measured in the same run; the ratio is
 * serializable / conditional. Target: the conditional UPDATE at least as
 * fast as SERIALIZABLE (ratio <= 1.00), "met" or "NOT met". Exits
 * non-zero when a shift is over- or under-booked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libpq-fe.h>

static int clients = 8;
static int shifts = 4;
static int slots = 8;
static int rounds = 3;

typedef struct
{
  gboolean      serializable;
  int           client;
  guint         seed;
  gint64        requests;
  gint64        booked;
  gint64        retries;
  char         *failure;
} Worker;

static PGconn *
connect_or_die (void)
{
  PGconn *conn = PQconnectdb ("");

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_printerr ("bench-capacity: no PostgreSQL server: %s", PQerrorMessage (conn));
      exit (1);
    }

  return conn;
}

static void
exec_or_die (PGconn     *conn,
             const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_printerr ("bench-capacity: %s: %s", sql, PQresultErrorMessage (result));
      exit (1);
    }
  PQclear (result);
}

/* NULL on success; else the SQLSTATE (static) of the failure. */
static const char *
run (PGconn      *conn,
     const char  *sql,
     int          n_params,
     const char **params,
     PGresult   **out)
{
  PGresult *result = PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (result);
  static const char unknown[] = "?????";

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    {
      if (out != NULL)
        *out = result;
      else
        PQclear (result);
      return NULL;
    }

  {
    const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
    const char *known = unknown;

    if (state != NULL && g_str_equal (state, "40001"))
      known = "40001";
    else if (state != NULL && g_str_equal (state, "40P01"))
      known = "40P01";
    else
      g_printerr ("bench-capacity: %s: %s", sql, PQresultErrorMessage (result));
    PQclear (result);
    return known;
  }
}

/* One booking on @shift; TRUE when booked, FALSE when the shift is full.
 * Counts retries; sets worker->failure on an unexpected error. */
static gboolean
book (Worker *worker,
      PGconn *conn,
      int     shift)
{
  g_autofree char *shift_id = g_strdup_printf ("shift-%d", shift);
  g_autofree char *appointment_id = g_strdup_printf ("appt-%d-%" G_GINT64_FORMAT, worker->client,
                                                     worker->requests);
  const char *params[2] = { shift_id, appointment_id };

  for (;;)
    {
      PGresult *result = NULL;
      const char *failed;
      gboolean booked = FALSE;

      if (!worker->serializable)
        {
          exec_or_die (conn, "BEGIN");
          if ((failed = run (conn,
                             "UPDATE crew_shifts SET booked_seconds = booked_seconds + 3600"
                             " WHERE id = $1 AND booked_seconds + 3600 <= capacity_minutes * 60"
                             " RETURNING booked_seconds",
                             1, params, &result)) == NULL)
            {
              booked = PQntuples (result) == 1;
              PQclear (result);
              if (booked)
                failed = run (conn, "INSERT INTO appointments (id, crew_shift_id, seconds)"
                                    " VALUES ($2, $1, 3600)", 2, params, NULL);
            }
        }
      else
        {
          exec_or_die (conn, "BEGIN ISOLATION LEVEL SERIALIZABLE");
          if ((failed = run (conn,
                             "SELECT s.capacity_minutes * 60 - s.booked_seconds,"
                             " (SELECT count(*) FROM appointments a WHERE a.crew_shift_id = s.id)"
                             " FROM crew_shifts s WHERE s.id = $1",
                             1, params, &result)) == NULL)
            {
              gint64 free_seconds = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);

              PQclear (result);
              booked = free_seconds >= 3600;
              if (booked)
                failed = run (conn, "UPDATE crew_shifts SET booked_seconds = booked_seconds + 3600"
                                    " WHERE id = $1", 1, params, NULL);
              if (booked && failed == NULL)
                failed = run (conn, "INSERT INTO appointments (id, crew_shift_id, seconds)"
                                    " VALUES ($2, $1, 3600)", 2, params, NULL);
            }
        }

      if (failed == NULL)
        failed = run (conn, "COMMIT", 0, NULL, NULL);
      else
        exec_or_die (conn, "ROLLBACK");

      if (failed == NULL)
        return booked;

      if (g_str_equal (failed, "40001") || g_str_equal (failed, "40P01"))
        {
          worker->retries++;
          continue;
        }

      worker->failure = g_strdup_printf ("SQLSTATE %s", failed);
      return FALSE;
    }
}

static gpointer
work (gpointer data)
{
  Worker *worker = data;
  PGconn *conn = connect_or_die ();
  g_autofree gboolean *full = g_new0 (gboolean, shifts);
  int n_full = 0;
  GRand *rand = g_rand_new_with_seed (worker->seed);

  /* Random shifts until every one has refused this client. */
  while (n_full < shifts && worker->failure == NULL)
    {
      int shift = g_rand_int_range (rand, 0, shifts);

      if (full[shift])
        continue;
      worker->requests++;
      if (book (worker, conn, shift))
        worker->booked++;
      else if (!full[shift])
        {
          full[shift] = TRUE;
          n_full++;
        }
    }

  g_rand_free (rand);
  PQfinish (conn);
  return NULL;
}

typedef struct
{
  double  seconds;
  gint64  requests;
  gint64  booked;
  gint64  retries;
  gboolean sound;
} Result;

static Result
measure (PGconn   *conn,
         gboolean  serializable)
{
  Result total = { 0, 0, 0, 0, TRUE };

  for (int round = 0; round < rounds; round++)
    {
      g_autoptr(GPtrArray) threads = g_ptr_array_new ();
      Worker *workers = g_new0 (Worker, clients);
      g_autofree char *reset = g_strdup_printf ("TRUNCATE appointments; DELETE FROM crew_shifts;"
                                                " INSERT INTO crew_shifts (id, capacity_minutes, booked_seconds)"
                                                " SELECT 'shift-' || n, %d * 60, 0"
                                                " FROM generate_series (0, %d) n",
                                                slots, shifts - 1);
      gint64 start;
      PGresult *check;

      exec_or_die (conn, reset);
      exec_or_die (conn, "VACUUM ANALYZE crew_shifts");

      start = g_get_monotonic_time ();
      for (int c = 0; c < clients; c++)
        {
          workers[c].serializable = serializable;
          workers[c].client = c;
          workers[c].seed = 1000 * round + c;
          g_ptr_array_add (threads, g_thread_new ("client", work, &workers[c]));
        }
      for (int c = 0; c < clients; c++)
        g_thread_join (g_ptr_array_index (threads, c));
      total.seconds += (g_get_monotonic_time () - start) / 1e6;

      for (int c = 0; c < clients; c++)
        {
          total.requests += workers[c].requests;
          total.booked += workers[c].booked;
          total.retries += workers[c].retries;
          if (workers[c].failure != NULL)
            {
              g_printerr ("bench-capacity: client %d: %s\n", c, workers[c].failure);
              total.sound = FALSE;
            }
          g_free (workers[c].failure);
        }
      g_free (workers);

      /* No shift over its capacity, every slot taken, and the
       * appointments agree with the booked seconds. */
      check = PQexec (conn,
                      "SELECT count(*) FILTER (WHERE s.booked_seconds > s.capacity_minutes * 60"
                      "   OR s.booked_seconds <> coalesce (a.seconds, 0)),"
                      " count(*) FILTER (WHERE s.booked_seconds < s.capacity_minutes * 60)"
                      " FROM crew_shifts s LEFT JOIN (SELECT crew_shift_id, sum (seconds) AS seconds"
                      "   FROM appointments GROUP BY crew_shift_id) a ON a.crew_shift_id = s.id");
      if (PQresultStatus (check) != PGRES_TUPLES_OK ||
          !g_str_equal (PQgetvalue (check, 0, 0), "0") || !g_str_equal (PQgetvalue (check, 0, 1), "0"))
        {
          g_printerr ("bench-capacity: %s, round %d: %s over-booked or inconsistent, %s not full\n",
                      serializable ? "serializable" : "conditional", round,
                      PQgetvalue (check, 0, 0), PQgetvalue (check, 0, 1));
          total.sound = FALSE;
        }
      PQclear (check);
    }

  return total;
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "concurrent clients (default 8)", "N" },
    { "shifts", 0, 0, G_OPTION_ARG_INT, &shifts, "shifts per round (default 4)", "N" },
    { "slots", 0, 0, G_OPTION_ARG_INT, &slots, "one-hour slots per shift (default 8)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "rounds per mode (default 3)", "N" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the conditional UPDATE against SERIALIZABLE");
  g_autoptr(GError) error = NULL;
  PGconn *conn;
  Result conditional, serializable;
  double conditional_rate, serializable_rate, ratio;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      clients < 1 || shifts < 1 || slots < 1 || rounds < 1)
    {
      g_printerr ("bench-capacity: %s\n", error != NULL ? error->message : "every count must be at least 1");
      return 2;
    }

  conn = connect_or_die ();
  exec_or_die (conn, "SET client_min_messages = warning");
  exec_or_die (conn, "DROP TABLE IF EXISTS appointments, crew_shifts");
  exec_or_die (conn, "CREATE TABLE crew_shifts (id TEXT COLLATE \"C\" PRIMARY KEY,"
                     " capacity_minutes INTEGER NOT NULL, booked_seconds INTEGER NOT NULL)");
  exec_or_die (conn, "CREATE TABLE appointments (id TEXT COLLATE \"C\" PRIMARY KEY,"
                     " crew_shift_id TEXT COLLATE \"C\" REFERENCES crew_shifts (id), seconds INTEGER)");
  exec_or_die (conn, "CREATE INDEX appointments_shift ON appointments (crew_shift_id)");

  g_print ("Booking the last slots: %d clients, %d shifts of %d one-hour slots, %d rounds per mode\n",
           clients, shifts, slots, rounds);

  conditional = measure (conn, FALSE);
  serializable = measure (conn, TRUE);

  exec_or_die (conn, "DROP TABLE appointments, crew_shifts");
  PQfinish (conn);

  conditional_rate = conditional.requests / MAX (conditional.seconds, 1e-9);
  serializable_rate = serializable.requests / MAX (serializable.seconds, 1e-9);
  ratio = serializable_rate / MAX (conditional_rate, 1e-9);

  g_print ("%-36s %12s %10s %10s %12s\n", "", "answers/s", "booked", "retries", "over-booked");
  g_print ("%-36s %12.0f %10" G_GINT64_FORMAT " %10" G_GINT64_FORMAT " %12s\n",
           "conditional UPDATE (baseline)", conditional_rate, conditional.booked, conditional.retries,
           conditional.sound ? "none" : "YES");
  g_print ("%-36s %12.0f %10" G_GINT64_FORMAT " %10" G_GINT64_FORMAT " %12s\n",
           "SERIALIZABLE, retried", serializable_rate, serializable.booked, serializable.retries,
           serializable.sound ? "none" : "YES");
  g_print ("ratio SERIALIZABLE / conditional: %.2f (%.1f retries per booked slot); "
           "target: conditional at least as fast (ratio <= 1.00): %s\n",
           ratio, serializable.retries / (double) MAX (serializable.booked, 1),
           conditional_rate >= serializable_rate ? "met" : "NOT met");

  return conditional.sound && serializable.sound ? 0 : 1;
}

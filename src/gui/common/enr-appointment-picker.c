/* enr-appointment-picker.c — crew shift type, crew, date and a free slot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One work order activity that needs an appointment: a crew shift type,
 * a crew of that shift type (able to do the work in the customer's
 * division) and an appointment date; the list shows the free slots from
 * that date over the action method's Appointment Slot Days (the core slot
 * finder over the cached crew shifts and appointments), under a heading
 * for each day. Activating a slot books it on the draft.
 *
 * Only shift types and crews that can do the work are offered; when one
 * alone can, it is chosen for the clerk, else "Any" lists the slots of
 * all of them. While nothing is booked, the first free slot is offered
 * above the choices: Book First Free Appointment takes it in one key.
 *
 * For the keyboard the list of slots is one Tab stop, as a GtkListView
 * is: Tab goes from the Appointment Date into the list (on the slot
 * booked, else the first) and on out of it; the arrow keys move inside.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-appointment-picker.h"
#include "enr-date-entry.h"
#include "enr-gui-utils.h"

/* A row of the list: one free slot, with its Booked mark. */
#define ENR_TYPE_SLOT_ROW (enr_slot_row_get_type ())

G_DECLARE_FINAL_TYPE (EnrSlotRow, enr_slot_row, ENR, SLOT_ROW, GtkListBoxRow)

struct _EnrSlotRow
{
  GtkListBoxRow  parent_instance;

  EnrSlot       *slot;
  GtkWidget     *check;
};

G_DEFINE_FINAL_TYPE (EnrSlotRow, enr_slot_row, GTK_TYPE_LIST_BOX_ROW)

static void
enr_slot_row_dispose (GObject *object)
{
  EnrSlotRow *self = ENR_SLOT_ROW (object);

  g_clear_object (&self->slot);

  G_OBJECT_CLASS (enr_slot_row_parent_class)->dispose (object);
}

static void
enr_slot_row_class_init (EnrSlotRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = enr_slot_row_dispose;
}

static void
enr_slot_row_init (EnrSlotRow *self)
{
}

/* The slot of a row of the list, or NULL (no row). */
static EnrSlot *
slot_of (GtkListBoxRow *row)
{
  return ENR_IS_SLOT_ROW (row) ? ENR_SLOT_ROW (row)->slot : NULL;
}

struct _EnrAppointmentPicker
{
  GtkWidget        parent_instance;

  GtkLabel        *activity_label;
  GtkWidget       *offer_box;
  GtkLabel        *offer_label;
  GtkWidget       *offer_button;
  GtkWidget       *shift_type_label;
  GtkWidget       *crew_label;
  GtkWidget       *date_label;
  GtkWidget       *slots_label;
  GtkWidget       *appointment_label;
  GtkDropDown     *shift_type_drop_down;
  GtkDropDown     *crew_drop_down;
  EnrDateEntry    *date_entry;
  GtkListBox      *slot_list;
  GtkLabel        *placeholder_label;
  GtkLabel        *error_label;
  GtkLabel        *selected_label;

  EnrFlowSession  *session;
  EnrActivityType *activity_type;
  GPtrArray       *crews;
  EnrSlot         *first_free;
  guint            n_slots;
  guint            updating : 1;
};

G_DEFINE_FINAL_TYPE (EnrAppointmentPicker, enr_appointment_picker, GTK_TYPE_WIDGET)

static gboolean
crew_can_do (EnrAppointmentPicker *self,
             EnrCrew              *crew)
{
  EnrServicePoint *point = enr_flow_session_get_service_point (self->session);
  const char *craft = enr_activity_type_get_craft (self->activity_type);
  const char *division = enr_crew_get_division (crew);
  const char * const *crafts = enr_crew_get_crafts (crew);

  if (craft != NULL && craft[0] != '\0' && (crafts == NULL || !g_strv_contains (crafts, craft)))
    return FALSE;

  if (point != NULL && division != NULL && division[0] != '\0' &&
      g_strcmp0 (enr_service_point_get_division (point), division) != 0)
    return FALSE;

  return TRUE;
}

static EnrCrew *
find_crew (EnrAppointmentPicker *self,
           const char           *crew_id)
{
  for (guint i = 0; crew_id != NULL && i < self->crews->len; i++)
    {
      EnrCrew *crew = g_ptr_array_index (self->crews, i);

      if (g_strcmp0 (enr_entity_get_id (ENR_ENTITY (crew)), crew_id) == 0)
        return crew;
    }

  return NULL;
}

static void
update_selected_label (EnrAppointmentPicker *self)
{
  EnrAppointment *appointment;
  EnrCrew *crew;
  g_autofree char *text = NULL;

  appointment = enr_flow_session_get_appointment (self->session,
                                                  enr_entity_get_id (ENR_ENTITY (self->activity_type)));
  if (appointment == NULL)
    {
      gtk_label_set_text (self->selected_label, _("None selected"));
      gtk_widget_add_css_class (GTK_WIDGET (self->selected_label), "dim-label");
      return;
    }

  crew = find_crew (self, enr_appointment_get_crew_id (appointment));
  text = enr_format_appointment (enr_appointment_get_start (appointment),
                                 enr_appointment_get_end (appointment),
                                 crew ? enr_crew_get_name (crew) : enr_appointment_get_crew_id (appointment));
  gtk_label_set_text (self->selected_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->selected_label), "dim-label");
}

static GtkWidget *
create_slot_row (EnrSlot *slot)
{
  EnrSlotRow *row = g_object_new (ENR_TYPE_SLOT_ROW, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *when = gtk_label_new (NULL);
  GtkWidget *crew = gtk_label_new (enr_slot_get_crew_name (slot));
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
  g_autofree char *from = enr_format_time (enr_slot_get_start (slot));
  g_autofree char *to = enr_format_time (enr_slot_get_end (slot));
  /* Translators: a slot's hours under its day, e.g. "08:00 – 09:30" */
  g_autofree char *range = g_strdup_printf (_("%s – %s"), from, to);
  g_autofree char *accessible = enr_format_appointment (enr_slot_get_start (slot),
                                                        enr_slot_get_end (slot),
                                                        enr_slot_get_crew_name (slot));

  gtk_label_set_text (GTK_LABEL (when), range);
  gtk_label_set_xalign (GTK_LABEL (when), 0);
  gtk_widget_set_hexpand (when, TRUE);
  gtk_widget_add_css_class (when, "numeric");
  gtk_label_set_xalign (GTK_LABEL (crew), 1);
  gtk_widget_add_css_class (crew, "dim-label");
  gtk_widget_set_visible (check, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Booked"),
                                  -1);

  gtk_box_append (GTK_BOX (box), when);
  gtk_box_append (GTK_BOX (box), crew);
  gtk_box_append (GTK_BOX (box), check);
  gtk_widget_add_css_class (box, "slot-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  row->slot = g_object_ref (slot);
  row->check = check;
  enr_widget_set_accessible_label (GTK_WIDGET (row), accessible);

  return GTK_WIDGET (row);
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  g_autoptr(GDateTime) local_a = g_date_time_to_local (a);
  g_autoptr(GDateTime) local_b = g_date_time_to_local (b);

  return g_date_time_get_year (local_a) == g_date_time_get_year (local_b) &&
         g_date_time_get_day_of_year (local_a) == g_date_time_get_day_of_year (local_b);
}

/* The day's heading above its first slot. */
static void
update_slot_header (GtkListBoxRow *row,
                    GtkListBoxRow *before,
                    gpointer       user_data)
{
  EnrSlot *slot = slot_of (row);
  EnrSlot *previous = before != NULL ? slot_of (before) : NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *day = NULL;
  GDate date;
  GtkWidget *header;

  if (slot == NULL || (previous != NULL && same_day (enr_slot_get_start (slot), enr_slot_get_start (previous))))
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  local = g_date_time_to_local (enr_slot_get_start (slot));
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  day = enr_format_date (&date);

  header = gtk_label_new (day);
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "slot-day");
  gtk_list_box_row_set_header (row, header);
}

static gboolean
slot_matches (EnrSlot        *slot,
              EnrAppointment *appointment)
{
  return appointment != NULL &&
         g_strcmp0 (enr_slot_get_crew_id (slot), enr_appointment_get_crew_id (appointment)) == 0 &&
         enr_slot_get_start (slot) != NULL && enr_appointment_get_start (appointment) != NULL &&
         g_date_time_equal (enr_slot_get_start (slot), enr_appointment_get_start (appointment));
}

/* The row of the booked slot, if listed. */
static GtkListBoxRow *
booked_row (EnrAppointmentPicker *self)
{
  EnrAppointment *appointment;

  appointment = enr_flow_session_get_appointment (self->session,
                                                  enr_entity_get_id (ENR_ENTITY (self->activity_type)));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->slot_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ENR_IS_SLOT_ROW (child) && slot_matches (ENR_SLOT_ROW (child)->slot, appointment))
      return GTK_LIST_BOX_ROW (child);

  return NULL;
}

static void
mark_selected_row (EnrAppointmentPicker *self)
{
  EnrAppointment *appointment;
  GtkWidget *child;

  appointment = enr_flow_session_get_appointment (self->session,
                                                  enr_entity_get_id (ENR_ENTITY (self->activity_type)));

  self->updating = TRUE;
  gtk_list_box_unselect_all (self->slot_list);
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->slot_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      EnrSlotRow *row;
      gboolean selected;

      if (!ENR_IS_SLOT_ROW (child))
        continue;

      row = ENR_SLOT_ROW (child);
      selected = slot_matches (row->slot, appointment);
      gtk_widget_set_visible (row->check, selected);
      gtk_accessible_update_state (GTK_ACCESSIBLE (child),
                                   GTK_ACCESSIBLE_STATE_SELECTED, selected,
                                   -1);
      if (selected)
        gtk_list_box_select_row (self->slot_list, GTK_LIST_BOX_ROW (child));
    }
  self->updating = FALSE;
}

/* The first free slot, offered while nothing is booked. */
static void
update_offer (EnrAppointmentPicker *self)
{
  EnrAppointment *appointment;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  appointment = enr_flow_session_get_appointment (self->session,
                                                  enr_entity_get_id (ENR_ENTITY (self->activity_type)));
  if (appointment != NULL || self->first_free == NULL)
    {
      gtk_widget_set_visible (self->offer_box, FALSE);
      return;
    }

  when = enr_format_appointment (enr_slot_get_start (self->first_free), enr_slot_get_end (self->first_free),
                                 enr_slot_get_crew_name (self->first_free));
  /* Translators: the first free slot, offered, e.g.
   * "First free: Mon, 1 Jun 2026, 08:00 – 09:30, North Day Crew A" */
  text = g_strdup_printf (_("First free: %s"), when);
  gtk_label_set_text (self->offer_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->offer_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, when,
                                  -1);
  gtk_widget_set_visible (self->offer_box, TRUE);
}

/* The crews that can do the work, of the chosen shift type (any when
 * none is chosen). */
static GPtrArray *
capable_crews (EnrAppointmentPicker *self,
               const char           *shift_type_id)
{
  GPtrArray *crews = g_ptr_array_new ();

  for (guint i = 0; i < self->crews->len; i++)
    {
      EnrCrew *crew = g_ptr_array_index (self->crews, i);

      if (!crew_can_do (self, crew) ||
          (shift_type_id != NULL && g_strcmp0 (enr_crew_get_shift_type_id (crew), shift_type_id) != 0))
        continue;

      g_ptr_array_add (crews, crew);
    }

  return crews;
}

static void
refresh_slots (EnrAppointmentPicker *self)
{
  EnrContext *context = enr_flow_session_get_context (self->session);
  EnrActionMethod *method = enr_flow_session_get_action_method (self->session);
  const char *shift_type_id = enr_drop_down_get_selected_id (self->shift_type_drop_down);
  EnrCrew *crew = find_crew (self, enr_drop_down_get_selected_id (self->crew_drop_down));
  const GDate *date = enr_date_entry_get_date (self->date_entry);
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) allowed = NULL;
  g_autoptr(GDateTime) now = NULL;
  EnrSlotQuery query;

  enr_list_box_remove_all (self->slot_list);
  g_clear_object (&self->first_free);
  self->n_slots = 0;

  if (crew != NULL)
    {
      allowed = g_ptr_array_new ();
      g_ptr_array_add (allowed, crew);
    }
  else
    {
      allowed = capable_crews (self, shift_type_id);
    }

  if (allowed->len == 0 || date == NULL)
    {
      if (!enr_date_entry_is_valid (self->date_entry))
        gtk_label_set_text (self->placeholder_label, _("Enter the Appointment Date, for example 2026-06-01."));
      else if (allowed->len == 0)
        gtk_label_set_text (self->placeholder_label,
                            _("No crew in the customer’s area can do this work. Ask a supervisor to plan it."));
      else
        gtk_label_set_text (self->placeholder_label, _("Choose an appointment date to see the available appointments."));
      update_offer (self);
      return;
    }

  shifts = enr_context_list_crew_shifts (context);
  appointments = enr_context_list_appointments (context);
  now = enr_context_get_now (context);

  query = (EnrSlotQuery) {
    .activity_type = self->activity_type,
    .crew = crew,
    .shift_type_id = shift_type_id,
    .crews = allowed,
    .date = date,
    .slot_days = method ? (guint) enr_action_method_get_appointment_slot_days (method) : 1,
    .shifts = shifts,
    .appointments = appointments,
    .now = now,
  };
  slots = enr_slot_finder_find (&query);

  for (guint i = 0; i < slots->len; i++)
    gtk_list_box_append (self->slot_list, create_slot_row (g_ptr_array_index (slots, i)));
  self->n_slots = slots->len;
  if (slots->len > 0)
    self->first_free = g_object_ref (g_ptr_array_index (slots, 0));

  if (slots->len == 0)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "No free appointment on this day. Try another date, shift type or crew.",
                                           "No free appointment in the %u days from this date. Try another date, shift type or crew.",
                                           query.slot_days),
                              query.slot_days);
      gtk_label_set_text (self->placeholder_label, text);
    }

  mark_selected_row (self);
  update_offer (self);
}

/* The crews of the chosen shift type that can do the work; the only one
 * is chosen for the clerk. */
static void
fill_crews (EnrAppointmentPicker *self,
            const char           *selected_crew_id)
{
  const char *shift_type_id = enr_drop_down_get_selected_id (self->shift_type_drop_down);
  g_autoptr(GPtrArray) crews = capable_crews (self, shift_type_id);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) id_strv = NULL;
  g_auto(GStrv) label_strv = NULL;

  for (guint i = 0; i < crews->len; i++)
    {
      EnrCrew *crew = g_ptr_array_index (crews, i);

      g_strv_builder_add (ids, enr_entity_get_id (ENR_ENTITY (crew)));
      g_strv_builder_add (labels, enr_crew_get_name (crew));
    }

  id_strv = g_strv_builder_end (ids);
  label_strv = g_strv_builder_end (labels);

  if (selected_crew_id == NULL && crews->len == 1)
    selected_crew_id = enr_entity_get_id (g_ptr_array_index (crews, 0));

  self->updating = TRUE;
  enr_drop_down_set_choices (self->crew_drop_down, C_("crew", "Any"), (const char * const *) id_strv,
                             (const char * const *) label_strv, selected_crew_id);
  gtk_widget_set_sensitive (GTK_WIDGET (self->crew_drop_down), crews->len > 0);
  self->updating = FALSE;
}

static void
on_shift_type_selected_cb (EnrAppointmentPicker *self)
{
  if (self->updating || self->session == NULL)
    return;

  fill_crews (self, NULL);
  refresh_slots (self);
}

static void
on_crew_selected_cb (EnrAppointmentPicker *self)
{
  if (self->updating || self->session == NULL)
    return;

  refresh_slots (self);
}

static void
on_date_changed_cb (EnrAppointmentPicker *self)
{
  if (self->updating || self->session == NULL)
    return;

  refresh_slots (self);
}

static void
book (EnrAppointmentPicker *self,
      EnrSlot              *slot)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  enr_widget_set_invalid (GTK_WIDGET (self->slot_list), FALSE);
  enr_flow_session_set_appointment (self->session,
                                    enr_entity_get_id (ENR_ENTITY (self->activity_type)), slot);
  update_selected_label (self);
  mark_selected_row (self);
  update_offer (self);
}

static void
on_slot_activated_cb (EnrAppointmentPicker *self,
                      GtkListBoxRow        *row)
{
  EnrSlot *slot = slot_of (row);

  if (self->updating || slot == NULL)
    return;

  book (self, slot);
}

static void
on_offer_clicked_cb (EnrAppointmentPicker *self)
{
  gboolean had_focus = gtk_widget_has_focus (self->offer_button);
  GtkListBoxRow *row;

  if (self->first_free == NULL)
    return;

  book (self, self->first_free);

  /* The offer is gone: the focus goes to the slot now booked. */
  row = booked_row (self);
  if (had_focus && row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
load (EnrAppointmentPicker *self)
{
  EnrContext *context = enr_flow_session_get_context (self->session);
  g_autoptr(GPtrArray) shift_types = enr_context_list (context, ENR_TYPE_CREW_SHIFT_TYPE);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) id_strv = NULL;
  g_auto(GStrv) label_strv = NULL;
  g_autofree char *heading = NULL;
  g_autoptr(GPtrArray) capable = NULL;
  const char *only = NULL;
  guint n_offered = 0;
  EnrAppointment *appointment;
  EnrCrew *crew = NULL;
  GDate date;

  self->crews = enr_context_list (context, ENR_TYPE_CREW);
  capable = capable_crews (self, NULL);

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%d minute)", "%s (%d minutes)",
                                          enr_activity_type_get_duration_minutes (self->activity_type)),
                             enr_activity_type_get_name (self->activity_type),
                             enr_activity_type_get_duration_minutes (self->activity_type));
  gtk_label_set_text (self->activity_label, heading);

  /* Only the shift types of a crew that can do the work. */
  for (guint i = 0; i < shift_types->len; i++)
    {
      EnrCrewShiftType *shift_type = g_ptr_array_index (shift_types, i);
      const char *id = enr_entity_get_id (ENR_ENTITY (shift_type));
      g_autofree char *label = NULL;
      gboolean offered = FALSE;

      for (guint j = 0; j < capable->len && !offered; j++)
        offered = g_strcmp0 (enr_crew_get_shift_type_id (g_ptr_array_index (capable, j)), id) == 0;
      if (!offered)
        continue;

      /* Translators: a crew shift type and its hours, e.g. "Day (08:00–16:00)" */
      label = g_strdup_printf (_("%s (%s–%s)"), enr_crew_shift_type_get_name (shift_type),
                               enr_crew_shift_type_get_start_time (shift_type),
                               enr_crew_shift_type_get_end_time (shift_type));
      g_strv_builder_add (ids, id);
      g_strv_builder_add (labels, label);
      only = id;
      n_offered++;
    }
  id_strv = g_strv_builder_end (ids);
  label_strv = g_strv_builder_end (labels);

  appointment = enr_flow_session_get_appointment (self->session,
                                                  enr_entity_get_id (ENR_ENTITY (self->activity_type)));
  if (appointment != NULL)
    crew = find_crew (self, enr_appointment_get_crew_id (appointment));

  self->updating = TRUE;
  enr_drop_down_set_choices (self->shift_type_drop_down, C_("crew shift type", "Any"),
                             (const char * const *) id_strv, (const char * const *) label_strv,
                             crew ? enr_crew_get_shift_type_id (crew) : n_offered == 1 ? only : NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->shift_type_drop_down), n_offered > 0);
  self->updating = FALSE;

  fill_crews (self, crew ? enr_entity_get_id (ENR_ENTITY (crew)) : NULL);

  self->updating = TRUE;
  if (appointment != NULL && enr_appointment_get_start (appointment) != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (enr_appointment_get_start (appointment));
      int year, month, day;

      g_date_time_get_ymd (local, &year, &month, &day);
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, day, month, year);
    }
  else
    {
      enr_context_get_today (context, &date);
    }
  enr_date_entry_set_date (self->date_entry, &date);
  self->updating = FALSE;

  update_selected_label (self);
  refresh_slots (self);
}

/* The row Tab enters the list of slots on: the slot booked, else the
 * first. */
static GtkListBoxRow *
slot_to_focus (EnrAppointmentPicker *self)
{
  GtkListBoxRow *row = booked_row (self);

  return row != NULL ? row : gtk_list_box_get_row_at_index (self->slot_list, 0);
}

/* Where the keyboard is wanted: the offer, else the slot booked, else
 * the first slot, else the first choice. */
static gboolean
enr_appointment_picker_grab_focus (GtkWidget *widget)
{
  EnrAppointmentPicker *self = ENR_APPOINTMENT_PICKER (widget);
  GtkListBoxRow *row;

  if (gtk_widget_get_visible (self->offer_box) && gtk_widget_grab_focus (self->offer_button))
    return TRUE;

  row = slot_to_focus (self);
  if (row != NULL && gtk_widget_grab_focus (GTK_WIDGET (row)))
    return TRUE;

  return gtk_widget_grab_focus (GTK_WIDGET (self->shift_type_drop_down)) ||
         gtk_widget_child_focus (GTK_WIDGET (self->shift_type_drop_down), GTK_DIR_TAB_FORWARD);
}

/* Tab and Shift+Tab: the offer, Crew Shift Type, Crew, Appointment Date,
 * then the list of slots as one stop. */
static gboolean
enr_appointment_picker_focus (GtkWidget        *widget,
                              GtkDirectionType  direction)
{
  EnrAppointmentPicker *self = ENR_APPOINTMENT_PICKER (widget);
  gboolean forward = direction == GTK_DIR_TAB_FORWARD;
  GtkWidget *focus;
  GtkWidget *controls[5];
  int n = 0;
  int current = -1;

  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return GTK_WIDGET_CLASS (enr_appointment_picker_parent_class)->focus (widget, direction);

  if (gtk_widget_get_visible (self->offer_box))
    controls[n++] = self->offer_button;
  controls[n++] = GTK_WIDGET (self->shift_type_drop_down);
  controls[n++] = GTK_WIDGET (self->crew_drop_down);
  controls[n++] = GTK_WIDGET (self->date_entry);
  controls[n++] = GTK_WIDGET (self->slot_list);

  focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  for (int i = 0; focus != NULL && i < n && current < 0; i++)
    if (focus == controls[i] || gtk_widget_is_ancestor (focus, controls[i]))
      current = i;

  /* Inside a control of several parts (the date and its calendar button). */
  if (current >= 0 && controls[current] != GTK_WIDGET (self->slot_list) &&
      gtk_widget_child_focus (controls[current], direction))
    return TRUE;

  for (int i = current < 0 ? (forward ? 0 : n - 1) : current + (forward ? 1 : -1);
       i >= 0 && i < n;
       i += forward ? 1 : -1)
    {
      if (controls[i] == GTK_WIDGET (self->slot_list))
        {
          GtkListBoxRow *row = slot_to_focus (self);

          if (row != NULL && gtk_widget_is_drawable (GTK_WIDGET (row)) &&
              gtk_widget_grab_focus (GTK_WIDGET (row)))
            return TRUE;
        }
      else if (gtk_widget_is_drawable (controls[i]) && gtk_widget_child_focus (controls[i], direction))
        {
          return TRUE;
        }
    }

  return FALSE;
}

static void
enr_appointment_picker_dispose (GObject *object)
{
  EnrAppointmentPicker *self = (EnrAppointmentPicker *) object;

  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_APPOINTMENT_PICKER);
  enr_widget_unparent_children (GTK_WIDGET (object));
  g_clear_pointer (&self->crews, g_ptr_array_unref);
  g_clear_object (&self->first_free);
  g_clear_object (&self->activity_type);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (enr_appointment_picker_parent_class)->dispose (object);
}

static void
enr_appointment_picker_class_init (EnrAppointmentPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_appointment_picker_dispose;
  widget_class->grab_focus = enr_appointment_picker_grab_focus;
  widget_class->focus = enr_appointment_picker_focus;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/common/enr-appointment-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, activity_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, offer_box);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, offer_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, offer_button);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, shift_type_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, crew_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, date_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, slots_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, appointment_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, shift_type_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, crew_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, date_entry);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, slot_list);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, error_label);
  gtk_widget_class_bind_template_child (widget_class, EnrAppointmentPicker, selected_label);
  gtk_widget_class_bind_template_callback (widget_class, on_shift_type_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_crew_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_date_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_slot_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_offer_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
enr_appointment_picker_init (EnrAppointmentPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  enr_date_entry_set_label (self->date_entry, _("Appointment Date"));
  enr_button_set_accessible_name (self->offer_button);
  gtk_list_box_set_header_func (self->slot_list, update_slot_header, NULL, NULL);
}

/**
 * enr_appointment_picker_set_label_size_group:
 * @size_group: the name column's size group of the page the picker is on
 */
void
enr_appointment_picker_set_label_size_group (EnrAppointmentPicker *self,
                                             GtkSizeGroup         *size_group)
{
  GtkWidget *labels[5];

  g_return_if_fail (ENR_IS_APPOINTMENT_PICKER (self));
  g_return_if_fail (GTK_IS_SIZE_GROUP (size_group));

  labels[0] = self->shift_type_label;
  labels[1] = self->crew_label;
  labels[2] = self->date_label;
  labels[3] = self->slots_label;
  labels[4] = self->appointment_label;
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    gtk_size_group_add_widget (size_group, labels[i]);
}

/**
 * enr_appointment_picker_get_offer_button:
 *
 * Returns: (transfer none): Book First Free Appointment, shown while
 *   nothing is booked and a slot is free
 */
GtkWidget *
enr_appointment_picker_get_offer_button (EnrAppointmentPicker *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT_PICKER (self), NULL);

  return self->offer_button;
}

GtkWidget *
enr_appointment_picker_new (EnrFlowSession  *session,
                            EnrActivityType *activity_type)
{
  EnrAppointmentPicker *self;

  g_return_val_if_fail (ENR_IS_FLOW_SESSION (session), NULL);
  g_return_val_if_fail (ENR_IS_ACTIVITY_TYPE (activity_type), NULL);

  self = g_object_new (ENR_TYPE_APPOINTMENT_PICKER, NULL);
  self->session = g_object_ref (session);
  self->activity_type = g_object_ref (activity_type);
  load (self);

  return GTK_WIDGET (self);
}

EnrActivityType *
enr_appointment_picker_get_activity_type (EnrAppointmentPicker *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT_PICKER (self), NULL);

  return self->activity_type;
}

/**
 * enr_appointment_picker_get_slot_list:
 *
 * Returns: (transfer none): the list of available appointments; it
 *   carries the error state of the activity's appointment
 */
GtkWidget *
enr_appointment_picker_get_slot_list (EnrAppointmentPicker *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT_PICKER (self), NULL);

  return GTK_WIDGET (self->slot_list);
}

GtkWidget *
enr_appointment_picker_get_error_label (EnrAppointmentPicker *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT_PICKER (self), NULL);

  return GTK_WIDGET (self->error_label);
}

/**
 * enr_appointment_picker_get_field_key:
 *
 * Returns: (transfer full): "appointment:<activity type id>"
 */
char *
enr_appointment_picker_get_field_key (EnrAppointmentPicker *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT_PICKER (self), NULL);

  return g_strconcat (ENR_FIELD_APPOINTMENT_PREFIX,
                      enr_entity_get_id (ENR_ENTITY (self->activity_type)), NULL);
}

guint
enr_appointment_picker_get_n_slots (EnrAppointmentPicker *self)
{
  g_return_val_if_fail (ENR_IS_APPOINTMENT_PICKER (self), 0);

  return self->n_slots;
}

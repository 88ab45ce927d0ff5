/* enr-date-entry.c — a date typed as YYYY-MM-DD or picked on a calendar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "enr-date-entry.h"
#include "enr-focus-grid.h"
#include "enr-gui-utils.h"

struct _EnrDateEntry
{
  GtkWidget    parent_instance;

  GtkEntry    *entry;
  GtkCalendar *calendar;
  GtkPopover  *popover;

  GDate        date;
};

G_DEFINE_FINAL_TYPE (EnrDateEntry, enr_date_entry, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DATE,
  PROP_TEXT,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
on_entry_changed_cb (EnrDateEntry *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  GDate parsed;
  gboolean changed;

  enr_parse_iso_date (text, &parsed);

  if (g_date_valid (&parsed) != g_date_valid (&self->date))
    changed = TRUE;
  else
    changed = g_date_valid (&parsed) && g_date_compare (&parsed, &self->date) != 0;

  self->date = parsed;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_popover_show_cb (EnrDateEntry *self)
{
  g_autoptr(GDateTime) shown = NULL;

  if (g_date_valid (&self->date))
    shown = g_date_time_new_local (g_date_get_year (&self->date),
                                   g_date_get_month (&self->date),
                                   g_date_get_day (&self->date),
                                   0, 0, 0);
  else
    shown = g_date_time_new_now_local ();

  gtk_calendar_select_day (self->calendar, shown);
}

static void
on_calendar_day_selected_cb (EnrDateEntry *self)
{
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (self->calendar);
  g_autofree char *text = g_date_time_format (picked, "%Y-%m-%d");

  if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_popover_popdown (self->popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static gboolean
enr_date_entry_grab_focus (GtkWidget *widget)
{
  EnrDateEntry *self = ENR_DATE_ENTRY (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
enr_date_entry_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_DATE_ENTRY);
  enr_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (enr_date_entry_parent_class)->dispose (object);
}

static void
enr_date_entry_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EnrDateEntry *self = ENR_DATE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_DATE:
      g_value_set_boxed (value, enr_date_entry_get_date (self));
      break;

    case PROP_TEXT:
      g_value_set_string (value, enr_date_entry_get_text (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_date_entry_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EnrDateEntry *self = ENR_DATE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_DATE:
      enr_date_entry_set_date (self, g_value_get_boxed (value));
      break;

    case PROP_TEXT:
      enr_date_entry_set_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Tab and Shift+Tab go through the controls in order (the grab_focus
 * above is for moving into the panel, not for Tab). */
static gboolean
enr_date_entry_focus (GtkWidget        *widget,
                      GtkDirectionType  direction)
{
  if (direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD)
    return enr_focus_in_order (widget, direction);

  return GTK_WIDGET_CLASS (enr_date_entry_parent_class)->focus (widget, direction);
}

static void
enr_date_entry_class_init (EnrDateEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_date_entry_dispose;
  object_class->get_property = enr_date_entry_get_property;
  object_class->set_property = enr_date_entry_set_property;

  widget_class->grab_focus = enr_date_entry_grab_focus;
  widget_class->focus = enr_date_entry_focus;

  properties[PROP_DATE] =
    g_param_spec_boxed ("date", NULL, NULL,
                        G_TYPE_DATE,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EnrDateEntry::changed:
   *
   * The text changed (by typing or by the calendar).
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/common/enr-date-entry.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrDateEntry, entry);
  gtk_widget_class_bind_template_child (widget_class, EnrDateEntry, calendar);
  gtk_widget_class_bind_template_child (widget_class, EnrDateEntry, popover);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_calendar_day_selected_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
enr_date_entry_init (EnrDateEntry *self)
{
  g_date_clear (&self->date, 1);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
enr_date_entry_new (void)
{
  return g_object_new (ENR_TYPE_DATE_ENTRY, NULL);
}

/**
 * enr_date_entry_get_date:
 *
 * Returns: (nullable): the date typed, %NULL when the text is empty or
 *   not a date
 */
const GDate *
enr_date_entry_get_date (EnrDateEntry *self)
{
  g_return_val_if_fail (ENR_IS_DATE_ENTRY (self), NULL);

  return g_date_valid (&self->date) ? &self->date : NULL;
}

void
enr_date_entry_set_date (EnrDateEntry *self,
                         const GDate  *date)
{
  g_autofree char *text = NULL;

  g_return_if_fail (ENR_IS_DATE_ENTRY (self));

  text = enr_format_iso_date (date);
  enr_date_entry_set_text (self, text);
}

const char *
enr_date_entry_get_text (EnrDateEntry *self)
{
  g_return_val_if_fail (ENR_IS_DATE_ENTRY (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

void
enr_date_entry_set_text (EnrDateEntry *self,
                         const char   *text)
{
  g_return_if_fail (ENR_IS_DATE_ENTRY (self));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), text ? text : "") == 0)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
}

/* Empty text, or a real date. */
gboolean
enr_date_entry_is_valid (EnrDateEntry *self)
{
  const char *text;

  g_return_val_if_fail (ENR_IS_DATE_ENTRY (self), FALSE);

  text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  return text[0] == '\0' || g_date_valid (&self->date);
}

/**
 * enr_date_entry_get_entry:
 *
 * Returns: (transfer none): the text entry, which carries the accessible
 *   name and the error state
 */
GtkWidget *
enr_date_entry_get_entry (EnrDateEntry *self)
{
  g_return_val_if_fail (ENR_IS_DATE_ENTRY (self), NULL);

  return GTK_WIDGET (self->entry);
}

void
enr_date_entry_set_label (EnrDateEntry *self,
                          const char   *label)
{
  g_return_if_fail (ENR_IS_DATE_ENTRY (self));

  enr_widget_set_accessible_label (GTK_WIDGET (self->entry), label);
}

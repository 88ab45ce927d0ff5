/* enr-device-setup-page.c — the Device Setup panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Asset Information: Installation Method (enrollment) or Removal Method
 * (unenrollment), Devices to Re-Enroll (Re-enroll only), Asset Ownership
 * (only where the task type's rules for the method tell owners apart).
 * Work Order Activities: the activities the service task type's
 * device-setup rule names for the chosen method and ownership, shown as
 * soon as the method is chosen; one appointment picker for each that
 * needs an appointment, which offers the first free slot. Interaction
 * Details.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "enr-appointment-picker.h"
#include "enr-device-setup-page.h"
#include "enr-gui-utils.h"
#include "enr-interaction-editor.h"

struct _EnrDeviceSetupPage
{
  EnrPage               parent_instance;

  GtkLabel             *message_label;
  GtkLabel             *method_label;
  GtkDropDown          *method_drop_down;
  GtkLabel             *method_error;
  GtkLabel             *devices_label;
  GtkListBox           *devices_list;
  GtkLabel             *devices_error;
  GtkLabel             *ownership_label;
  GtkDropDown          *ownership_drop_down;
  GtkLabel             *ownership_error;
  GtkBox               *activities_box;
  EnrInteractionEditor *interaction_editor;

  GPtrArray            *device_ids;  /* of the rows of devices_list, in order */
  char                 *activities_key;
  guint                 updating : 1;
};

G_DEFINE_FINAL_TYPE (EnrDeviceSetupPage, enr_device_setup_page, ENR_TYPE_PAGE)

static gboolean
is_enrollment (EnrDeviceSetupPage *self)
{
  return enr_flow_session_get_kind (enr_page_get_session (ENR_PAGE (self))) == ENR_TASK_KIND_ENROLLMENT;
}

static void
update_devices_visibility (EnrDeviceSetupPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  EnrServiceTask *task = enr_flow_session_get_task (session);
  gboolean visible = is_enrollment (self) &&
                     enr_service_task_get_installation_method (task) == ENR_INSTALLATION_METHOD_RE_ENROLL;
  gboolean ownership;

  gtk_widget_set_visible (GTK_WIDGET (self->devices_label), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->devices_list), visible);
  if (!visible)
    gtk_widget_set_visible (GTK_WIDGET (self->devices_error), FALSE);

  /* Asked only where it decides something (or was chosen already). */
  ownership = enr_service_task_get_ownership (task) != ENR_ASSET_OWNERSHIP_NONE ||
              enr_device_setup_needs_ownership_for_task (enr_flow_session_get_task_type (session), task);
  gtk_widget_set_visible (GTK_WIDGET (self->ownership_label), ownership);
  gtk_widget_set_visible (GTK_WIDGET (self->ownership_drop_down), ownership);
  if (!ownership)
    gtk_widget_set_visible (GTK_WIDGET (self->ownership_error), FALSE);
}

/* The id of the device of a check button of devices_list. */
static const char *
device_id_of (EnrDeviceSetupPage *self,
              GtkWidget          *check)
{
  GtkWidget *row = gtk_widget_get_parent (check);
  int index = GTK_IS_LIST_BOX_ROW (row) ? gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) : -1;

  return index >= 0 && (guint) index < self->device_ids->len ? g_ptr_array_index (self->device_ids, index) : NULL;
}

static void
on_device_toggled_cb (EnrDeviceSetupPage *self,
                      GtkCheckButton     *check)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  const char *device_id = device_id_of (self, GTK_WIDGET (check));

  if (self->updating || session == NULL || device_id == NULL)
    return;

  enr_page_clear_error (ENR_PAGE (self), ENR_FIELD_DEVICES);
  enr_flow_session_set_device_selected (session, device_id, gtk_check_button_get_active (check));
}

static void
build_devices (EnrDeviceSetupPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  GPtrArray *devices = enr_flow_session_get_offered_devices (session);
  const char * const *selected = enr_service_task_get_device_ids (enr_flow_session_get_task (session));

  enr_list_box_remove_all (self->devices_list);
  g_ptr_array_set_size (self->device_ids, 0);

  if (!is_enrollment (self))
    return;

  self->updating = TRUE;
  for (guint i = 0; i < devices->len; i++)
    {
      EnrDevice *device = g_ptr_array_index (devices, i);
      const char *id = enr_entity_get_id (ENR_ENTITY (device));
      g_autofree char *label = enr_device_describe (device);
      g_autofree char *full = NULL;
      GtkWidget *check;

      /* Translators: a device and its ownership, e.g. "Thermostat … — Utility Owned" */
      full = g_strdup_printf (_("%s — %s"), label,
                              enr_asset_ownership_label (enr_device_get_ownership (device)));
      check = gtk_check_button_new_with_label (full);
      enr_widget_set_accessible_label (check, label);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   selected != NULL && g_strv_contains (selected, id));
      gtk_widget_add_css_class (check, "list-row-content");
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_device_toggled_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_list_box_append (self->devices_list, check);
      g_ptr_array_add (self->device_ids, g_strdup (id));
    }
  self->updating = FALSE;

  update_devices_visibility (self);
}

static void
add_note (GtkBox     *box,
          const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (box, label);
}

/* What the Work Order Activities section shows; rebuilt only when it
 * changes, so pickers keep what the clerk chose in them. */
static char *
activities_key (EnrDeviceSetupPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  EnrServiceTask *task = enr_flow_session_get_task (session);
  GPtrArray *activities = enr_flow_session_get_activities (session);
  GString *key = g_string_new (NULL);

  g_string_append_printf (key, "%d/%d/%d;", enr_service_task_get_installation_method (task),
                          enr_service_task_get_removal_method (task), enr_service_task_get_ownership (task));
  for (guint i = 0; activities != NULL && i < activities->len; i++)
    g_string_append_printf (key, "%s;", enr_entity_get_id (g_ptr_array_index (activities, i)));

  return g_string_free (key, FALSE);
}

static void
build_activities (EnrDeviceSetupPage *self,
                  gboolean            force)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  EnrServiceTask *task = enr_flow_session_get_task (session);
  GPtrArray *activities = enr_flow_session_get_activities (session);
  g_autofree char *key = activities_key (self);
  gboolean chosen;

  if (!force && g_strcmp0 (key, self->activities_key) == 0)
    return;

  g_free (self->activities_key);
  self->activities_key = g_steal_pointer (&key);

  enr_page_remove_fields (ENR_PAGE (self), ENR_FIELD_APPOINTMENT_PREFIX);
  enr_widget_remove_children (GTK_WIDGET (self->activities_box));

  if (is_enrollment (self))
    chosen = enr_service_task_get_installation_method (task) != ENR_INSTALLATION_METHOD_NONE;
  else
    chosen = enr_service_task_get_removal_method (task) != ENR_REMOVAL_METHOD_NONE;

  if (!chosen)
    {
      add_note (self->activities_box, is_enrollment (self)
                ? _("Choose the installation method to see the work order activities.")
                : _("Choose the removal method to see the work order activities."));
      return;
    }

  if (enr_service_task_get_ownership (task) == ENR_ASSET_OWNERSHIP_NONE &&
      enr_device_setup_needs_ownership_for_task (enr_flow_session_get_task_type (session), task))
    {
      add_note (self->activities_box, _("Choose the asset ownership to see the work order activities."));
      return;
    }

  if (activities == NULL || activities->len == 0)
    {
      add_note (self->activities_box, _("No work order activity is needed."));
      return;
    }

  for (guint i = 0; i < activities->len; i++)
    {
      EnrActivityType *activity_type = g_ptr_array_index (activities, i);

      if (enr_activity_type_get_needs_appointment (activity_type))
        {
          GtkWidget *picker = enr_appointment_picker_new (session, activity_type);
          g_autofree char *field = enr_appointment_picker_get_field_key (ENR_APPOINTMENT_PICKER (picker));

          gtk_box_append (self->activities_box, picker);
          enr_page_add_field (ENR_PAGE (self), field,
                              enr_appointment_picker_get_slot_list (ENR_APPOINTMENT_PICKER (picker)),
                              enr_appointment_picker_get_error_label (ENR_APPOINTMENT_PICKER (picker)));
          /* The picker puts the focus on its offer of the first free slot. */
          enr_page_set_field_focus (ENR_PAGE (self), field, picker);
          enr_appointment_picker_set_label_size_group (ENR_APPOINTMENT_PICKER (picker),
                                                       enr_page_get_label_size_group (ENR_PAGE (self)));
        }
      else
        {
          g_autofree char *text = NULL;

          /* Translators: a work order activity that is planned without an appointment */
          text = g_strdup_printf (_("%s — no appointment needed"), enr_activity_type_get_name (activity_type));
          add_note (self->activities_box, text);
        }
    }
}

static void
on_method_selected_cb (EnrDeviceSetupPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  const char *nick;
  int value = 0;

  if (self->updating || session == NULL)
    return;

  nick = enr_drop_down_get_selected_id (self->method_drop_down);
  if (is_enrollment (self))
    {
      enr_enum_from_nick (ENR_TYPE_INSTALLATION_METHOD, nick, &value);
      enr_page_clear_error (ENR_PAGE (self), ENR_FIELD_INSTALLATION_METHOD);
      enr_flow_session_set_installation_method (session, value);
    }
  else
    {
      enr_enum_from_nick (ENR_TYPE_REMOVAL_METHOD, nick, &value);
      enr_page_clear_error (ENR_PAGE (self), ENR_FIELD_REMOVAL_METHOD);
      enr_flow_session_set_removal_method (session, value);
    }
}

static void
on_ownership_selected_cb (EnrDeviceSetupPage *self)
{
  EnrFlowSession *session = enr_page_get_session (ENR_PAGE (self));
  int value = 0;

  if (self->updating || session == NULL)
    return;

  enr_enum_from_nick (ENR_TYPE_ASSET_OWNERSHIP, enr_drop_down_get_selected_id (self->ownership_drop_down),
                      &value);
  enr_page_clear_error (ENR_PAGE (self), ENR_FIELD_OWNERSHIP);
  enr_flow_session_set_ownership (session, value);
}

static void
on_session_changed_cb (EnrDeviceSetupPage *self,
                       const char         *what,
                       EnrFlowSession     *session)
{
  if (g_str_equal (what, ENR_FLOW_CHANGE_DEVICE_SETUP))
    {
      EnrServiceTask *task = enr_flow_session_get_task (session);
      const char * const *selected = enr_service_task_get_device_ids (task);
      GtkWidget *child;

      /* Selections the session dropped (another method) leave the checks too. */
      self->updating = TRUE;
      for (child = gtk_widget_get_first_child (GTK_WIDGET (self->devices_list));
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          GtkWidget *check = GTK_IS_LIST_BOX_ROW (child) ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (child)) : NULL;
          const char *device_id = check != NULL ? device_id_of (self, check) : NULL;

          if (GTK_IS_CHECK_BUTTON (check) && device_id != NULL)
            gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                         selected != NULL && g_strv_contains (selected, device_id));
        }
      self->updating = FALSE;

      update_devices_visibility (self);
      build_activities (self, FALSE);
    }
  else if (g_str_equal (what, ENR_FLOW_CHANGE_PROGRAM) ||
           g_str_equal (what, ENR_FLOW_CHANGE_METERED_SERVICE))
    {
      /* A new program or service resets the device setup. */
      EnrServiceTask *task = enr_flow_session_get_task (session);
      EnrInstallationMethod method = enr_service_task_get_installation_method (task);
      EnrAssetOwnership ownership = enr_service_task_get_ownership (task);

      self->updating = TRUE;
      if (is_enrollment (self))
        enr_drop_down_select_id (self->method_drop_down,
                                 method != ENR_INSTALLATION_METHOD_NONE
                                 ? enr_enum_to_nick (ENR_TYPE_INSTALLATION_METHOD, method)
                                 : NULL);
      enr_drop_down_select_id (self->ownership_drop_down,
                               ownership != ENR_ASSET_OWNERSHIP_NONE
                               ? enr_enum_to_nick (ENR_TYPE_ASSET_OWNERSHIP, ownership)
                               : NULL);
      self->updating = FALSE;
      build_devices (self);
      build_activities (self, TRUE);
    }
}

static void
fill_choices (GtkDropDown *drop_down,
              GType        enum_type,
              const int   *values,
              guint        n_values,
              const char *(*label_func) (int),
              int          selected)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) id_strv = NULL;
  g_auto(GStrv) label_strv = NULL;

  for (guint i = 0; i < n_values; i++)
    {
      g_strv_builder_add (ids, enr_enum_to_nick (enum_type, values[i]));
      g_strv_builder_add (labels, label_func (values[i]));
    }
  id_strv = g_strv_builder_end (ids);
  label_strv = g_strv_builder_end (labels);

  enr_drop_down_set_choices (drop_down, enr_drop_down_placeholder (),
                             (const char * const *) id_strv, (const char * const *) label_strv,
                             selected != 0 ? enr_enum_to_nick (enum_type, selected) : NULL);
}

static const char *
installation_label (int value)
{
  return enr_installation_method_label (value);
}

static const char *
removal_label (int value)
{
  return enr_removal_method_label (value);
}

static const char *
ownership_label (int value)
{
  return enr_asset_ownership_label (value);
}

static void
enr_device_setup_page_bind (EnrPage        *page,
                            EnrFlowSession *session)
{
  EnrDeviceSetupPage *self = ENR_DEVICE_SETUP_PAGE (page);
  EnrServiceTask *task = enr_flow_session_get_task (session);
  static const int installation_methods[] = {
    ENR_INSTALLATION_METHOD_RE_ENROLL,
    ENR_INSTALLATION_METHOD_SHIP_DEVICE,
    ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION,
  };
  static const int removal_methods[] = {
    ENR_REMOVAL_METHOD_KEEP,
    ENR_REMOVAL_METHOD_SHIP_DEVICE,
    ENR_REMOVAL_METHOD_UTILITY_REMOVAL,
  };
  static const int ownerships[] = {
    ENR_ASSET_OWNERSHIP_CUSTOMER_OWNED,
    ENR_ASSET_OWNERSHIP_UTILITY_OWNED,
  };
  const char *method_title;

  self->updating = TRUE;
  if (is_enrollment (self))
    {
      method_title = _("Installation Method");
      fill_choices (self->method_drop_down, ENR_TYPE_INSTALLATION_METHOD,
                    installation_methods, G_N_ELEMENTS (installation_methods), installation_label,
                    enr_service_task_get_installation_method (task));
      enr_page_add_field (page, ENR_FIELD_INSTALLATION_METHOD, GTK_WIDGET (self->method_drop_down),
                          GTK_WIDGET (self->method_error));
    }
  else
    {
      method_title = _("Removal Method");
      fill_choices (self->method_drop_down, ENR_TYPE_REMOVAL_METHOD,
                    removal_methods, G_N_ELEMENTS (removal_methods), removal_label,
                    enr_service_task_get_removal_method (task));
      enr_page_add_field (page, ENR_FIELD_REMOVAL_METHOD, GTK_WIDGET (self->method_drop_down),
                          GTK_WIDGET (self->method_error));
    }
  fill_choices (self->ownership_drop_down, ENR_TYPE_ASSET_OWNERSHIP,
                ownerships, G_N_ELEMENTS (ownerships), ownership_label,
                enr_service_task_get_ownership (task));
  self->updating = FALSE;

  gtk_label_set_text (self->method_label, method_title);
  enr_widget_set_accessible_label (GTK_WIDGET (self->method_drop_down), method_title);
  gtk_size_group_add_widget (enr_page_get_label_size_group (page), GTK_WIDGET (self->method_label));
  gtk_size_group_add_widget (enr_page_get_label_size_group (page), GTK_WIDGET (self->devices_label));
  gtk_size_group_add_widget (enr_page_get_label_size_group (page), GTK_WIDGET (self->ownership_label));

  enr_page_add_field (page, ENR_FIELD_DEVICES, GTK_WIDGET (self->devices_list),
                      GTK_WIDGET (self->devices_error));
  enr_page_add_field (page, ENR_FIELD_OWNERSHIP, GTK_WIDGET (self->ownership_drop_down),
                      GTK_WIDGET (self->ownership_error));

  build_devices (self);
  update_devices_visibility (self);
  build_activities (self, TRUE);
  enr_interaction_editor_bind (self->interaction_editor, page, session);

  g_signal_connect_object (session, "changed", G_CALLBACK (on_session_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
enr_device_setup_page_dispose (GObject *object)
{
  EnrDeviceSetupPage *self = (EnrDeviceSetupPage *) object;

  g_clear_pointer (&self->activities_key, g_free);
  g_clear_pointer (&self->device_ids, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), ENR_TYPE_DEVICE_SETUP_PAGE);

  G_OBJECT_CLASS (enr_device_setup_page_parent_class)->dispose (object);
}

static void
enr_device_setup_page_class_init (EnrDeviceSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  EnrPageClass *page_class = ENR_PAGE_CLASS (klass);

  object_class->dispose = enr_device_setup_page_dispose;
  page_class->bind = enr_device_setup_page_bind;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/enrollmentdesk/EnrollmentDesk/ui/assistant/pages/enr-device-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, method_label);
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, method_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, method_error);
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, devices_label);
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, devices_list);
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, devices_error);
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, ownership_label);
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, ownership_drop_down);
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, ownership_error);
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, activities_box);
  gtk_widget_class_bind_template_child (widget_class, EnrDeviceSetupPage, interaction_editor);
  gtk_widget_class_bind_template_callback (widget_class, on_method_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_ownership_selected_cb);
}

static void
enr_device_setup_page_init (EnrDeviceSetupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->device_ids = g_ptr_array_new_with_free_func (g_free);

  enr_page_set_message_label (ENR_PAGE (self), GTK_WIDGET (self->message_label));
}

GtkWidget *
enr_device_setup_page_new (void)
{
  return g_object_new (ENR_TYPE_DEVICE_SETUP_PAGE, NULL);
}

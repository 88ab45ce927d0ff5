/* test-ui.c — the desktop client driven through its real widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test fills a temporary client store from data/sample (through the
 * core's data set reader), opens the main window or an assistant, finds
 * widgets by their accessible name or button label, sets values, presses
 * buttons, and checks what the store holds afterwards. The main loop is
 * only ever iterated by wait_until(), which fails after a bounded time.
 * Every panel is rendered to a PNG in <build>/tests/ui/screenshots.
 *
 * Runs under a display (xvfb-run) with GSETTINGS_BACKEND=memory and
 * GTK_A11Y=test.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "enr-appointment-picker.h"
#include "enr-assistant.h"
#include "enr-clamp.h"
#include "enr-context.h"
#include "enr-customer-row.h"
#include "enr-customer-view.h"
#include "enr-dashboard.h"
#include "enr-date-entry.h"
#include "enr-gui-utils.h"
#include "enr-import-dialog.h"
#include "enr-interaction-editor.h"
#include "enr-letter-print.h"
#include "enr-outbox.h"
#include "enr-program-page.h"
#include "enr-question-row.h"
#include "enr-step-indicator.h"
#include "enr-window.h"
#include "ui-test-util.h"

typedef struct
{
  char       *directory;
  char       *store_path;
  EnrStore   *store;
  GSettings  *settings;
  EnrContext *context;
  GDate       today;
} Fixture;

/* Finding widgets */

static gboolean
match_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static GtkWidget *
find_of_type (gpointer root,
              GType    type)
{
  return find_widget (GTK_WIDGET (root), match_type, GSIZE_TO_POINTER (type));
}

/* Fixture */

static void
fixture_open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->store = enr_store_new (fixture->store_path, NULL, &error);
  g_assert_no_error (error);
  fixture->context = enr_context_new (fixture->store, fixture->settings);
  enr_context_set_today (fixture->context, &fixture->today);
  enr_context_set_username (fixture->context, "clerk");
}

static void
fixture_close_store (Fixture *fixture)
{
  g_clear_object (&fixture->context);
  g_clear_object (&fixture->store);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("enr-ui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->directory, "store.db", NULL);
  fixture->settings = g_settings_new (APP_ID);
  g_settings_set_string (fixture->settings, "last-customer", "");
  /* A clerk's first day: no channel or category used yet. */
  g_settings_set_string (fixture->settings, "last-channel", "");
  g_settings_set_string (fixture->settings, "last-category", "");

  client_set_test_today (&fixture->today);

  fixture_open_store (fixture);

  client_import_sample (fixture->store, &fixture->today);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  destroy_toplevels ();
  fixture_close_store (fixture);
  g_clear_object (&fixture->settings);
  client_remove_directory (fixture->directory);

  g_clear_pointer (&fixture->store_path, g_free);
  g_clear_pointer (&fixture->directory, g_free);
}

/* Helpers for the flows */

static EnrWindow *
open_main_window (Fixture *fixture)
{
  EnrWindow *window = enr_window_new (NULL, fixture->context);

  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);
  return window;
}

static EnrAssistant *
find_assistant (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ENR_IS_ASSISTANT (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ENR_ASSISTANT (window);
    }

  return NULL;
}

static gboolean
assistant_is_open (gpointer data)
{
  return find_assistant () != NULL && gtk_widget_get_mapped (GTK_WIDGET (find_assistant ()));
}

static EnrCustomerView *
show_customer (EnrWindow  *window,
               const char *customer_id)
{
  EnrCustomerView *view = ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window));

  enr_window_show_customer (window, customer_id);
  wait_until (is_mapped, view);
  return view;
}

/* The row of @program_name: under Eligible Programs, or Not Eligible. */
static GtkWidget *
program_row (EnrCustomerView *view,
             const char      *program_name)
{
  g_autofree char *eligible = g_strdup_printf ("%s: Eligible", program_name);
  g_autofree char *not_eligible = g_strdup_printf ("%s: Not eligible", program_name);
  GtkWidget *row = find_widget (enr_customer_view_get_programs_list (view), match_label, eligible);

  if (row == NULL)
    row = find_widget (enr_customer_view_get_ineligible_list (view), match_label, not_eligible);
  g_assert_nonnull (row);
  return row;
}

static GtkWidget *
enroll_button (EnrCustomerView *view,
               const char      *program_name)
{
  g_autofree char *label = g_strdup_printf ("Enroll in %s", program_name);

  return find_button (program_row (view, program_name), label);
}

/* Opens an enrollment of @customer_id into @program_name from the Customer View. */
static EnrAssistant *
start_enrollment (Fixture    *fixture,
                  EnrWindow  *window,
                  const char *customer_id,
                  const char *program_name)
{
  EnrCustomerView *view = show_customer (window, customer_id);
  EnrAssistant *assistant;

  press (enroll_button (view, program_name));
  wait_until (assistant_is_open, NULL);
  assistant = find_assistant ();
  g_assert_cmpint (enr_assistant_get_current_panel (assistant), ==, ENR_PANEL_CUSTOMER);
  return assistant;
}

static EnrPage *
current_page (EnrAssistant *assistant)
{
  return enr_assistant_get_page (assistant, enr_assistant_get_current_panel (assistant));
}

static void
fill_interaction (EnrPage    *page,
                  const char *channel,
                  const char *class_label,
                  const char *category,
                  const char *notes)
{
  GtkWidget *notes_view;

  select_item (find_by_label (page, "Channel"), channel);
  select_item (find_by_label (page, "Class"), class_label);
  select_item (find_by_label (page, "Category"), category);
  notes_view = find_by_label (page, "Notes");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes_view)), notes, -1);
}

static void
answer_yes_no (EnrPage    *page,
               const char *question,
               const char *answer)
{
  GtkWidget *group = find_by_label (page, question);

  press (find_by_label (group, answer));
}

static gboolean
has_picker (gpointer page)
{
  return find_of_type (page, ENR_TYPE_APPOINTMENT_PICKER) != NULL;
}

static gboolean
no_message_dialog (gpointer data)
{
  return find_message_dialog (NULL) == NULL;
}

static GtkWidget *
first_picker (EnrPage *page)
{
  GtkWidget *picker = find_of_type (page, ENR_TYPE_APPOINTMENT_PICKER);

  g_assert_nonnull (picker);
  return picker;
}

/* Crew Shift Type → Crew → Appointment Date → the first available slot. */
static void
book_first_slot (GtkWidget  *picker,
                 const char *shift_type_prefix,
                 const char *crew)
{
  GtkWidget *list;
  GtkListBoxRow *row;

  select_item_starting (find_by_label (picker, "Crew Shift Type"), shift_type_prefix);
  /* Without a crew: the slots of any crew that can do the work. */
  if (crew != NULL)
    select_item (find_by_label (picker, "Crew"), crew);
  g_assert_true (enr_date_entry_get_date (ENR_DATE_ENTRY (find_of_type (picker, ENR_TYPE_DATE_ENTRY))) != NULL);

  wait_until (picker_has_slots, picker);
  list = find_by_label (picker, "Available Appointments");
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
  g_assert_nonnull (row);
  gtk_widget_activate (GTK_WIDGET (row));
  wait_for_text_gone (picker, "None selected");
}

static EnrProcessFlow *
load_only_draft (Fixture *fixture)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;

  drafts = enr_store_list (fixture->store, ENR_TYPE_PROCESS_FLOW, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
  return g_object_ref (g_ptr_array_index (drafts, 0));
}

static guint
count_operations (Fixture          *fixture,
                  EnrOperationKind  kind)
{
  g_autoptr(GPtrArray) operations = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  operations = enr_outbox_list (enr_store_get_outbox (fixture->store), ENR_OPERATION_STATE_PENDING, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < operations->len; i++)
    if (enr_operation_get_kind (g_ptr_array_index (operations, i)) == kind)
      n++;

  return n;
}

/* The border nodes in @node's tree, and how many of them give their
 * sides different colours. */
static void
count_borders (GskRenderNode *node,
               guint         *n_borders,
               guint         *n_mixed)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        count_borders (gsk_container_node_get_child (node, i), n_borders, n_mixed);
      break;
    case GSK_TRANSFORM_NODE:
      count_borders (gsk_transform_node_get_child (node), n_borders, n_mixed);
      break;
    case GSK_OPACITY_NODE:
      count_borders (gsk_opacity_node_get_child (node), n_borders, n_mixed);
      break;
    case GSK_COLOR_MATRIX_NODE:
      count_borders (gsk_color_matrix_node_get_child (node), n_borders, n_mixed);
      break;
    case GSK_CLIP_NODE:
      count_borders (gsk_clip_node_get_child (node), n_borders, n_mixed);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      count_borders (gsk_rounded_clip_node_get_child (node), n_borders, n_mixed);
      break;
    case GSK_SHADOW_NODE:
      count_borders (gsk_shadow_node_get_child (node), n_borders, n_mixed);
      break;
    case GSK_DEBUG_NODE:
      count_borders (gsk_debug_node_get_child (node), n_borders, n_mixed);
      break;
    case GSK_BORDER_NODE:
      {
        const GdkRGBA *colors = gsk_border_node_get_colors (node);

        (*n_borders)++;
        if (!gdk_rgba_equal (&colors[0], &colors[1]) || !gdk_rgba_equal (&colors[0], &colors[2]) ||
            !gdk_rgba_equal (&colors[0], &colors[3]))
          (*n_mixed)++;
      }
      break;
    default:
      break;
    }
}

/* Every border @widget draws has one colour on every side: GSK's Cairo
 * renderer paints a border whose sides differ in colour through a mesh
 * gradient over its whole box, which made the search's rows cost more
 * to paint than their text. Returns the number of borders. */
static guint
assert_plain_borders (GtkWidget *widget)
{
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  guint n_borders = 0, n_mixed = 0;

  /* Laid out, then drawn as GTK's paint draws it. */
  wait_for_pending_work ();
  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  count_borders (node, &n_borders, &n_mixed);
  g_assert_cmpuint (n_mixed, ==, 0);
  return n_borders;
}

/* The tooltip of @panel's step: what it says, and that the step gives
 * it (or none) when GTK asks, as over the pointer: never set on the
 * button (setting one asks the X server where the pointer is). */
static void
assert_step_tooltip (EnrAssistant *assistant,
                     EnrPanel      panel,
                     const char   *expected)
{
  EnrStepIndicator *indicator = ENR_STEP_INDICATOR (enr_assistant_get_step_indicator (assistant));
  GtkWidget *button = enr_step_indicator_get_button (indicator, panel);
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_assert_cmpstr (enr_step_indicator_get_tooltip (indicator, panel), ==, expected);
  g_assert_null (gtk_widget_get_tooltip_text (button));
  g_assert_true (gtk_widget_get_has_tooltip (button));
  g_signal_emit_by_name (button, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  g_assert_true (shown == (expected != NULL));
}

/* Tests */

/* The row showing the result at @position, if any: the results are the
 * first visible rows of the list, the rows after them are kept hidden. */
static GtkWidget *
result_row (EnrWindow *window,
            guint      position)
{
  GtkListBox *list = GTK_LIST_BOX (enr_window_get_results_list (window));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, position);

  if (row == NULL || !gtk_widget_get_visible (GTK_WIDGET (row)))
    return NULL;

  g_assert_true (ENR_IS_CUSTOMER_ROW (row));
  return GTK_WIDGET (row);
}

static guint
count_results (EnrWindow *window)
{
  guint n = 0;

  while (result_row (window, n) != NULL)
    n++;

  return n;
}

static gboolean
results_have_rows (gpointer window)
{
  GtkWidget *row = result_row (window, 0);

  return row != NULL && gtk_widget_get_mapped (row);
}

typedef struct
{
  const char *text;
  gboolean    searched;
} Search;

static void
on_search_changed_cb (GtkEditable *entry,
                      Search      *search)
{
  if (g_str_equal (gtk_editable_get_text (entry), search->text))
    search->searched = TRUE;
}

/* Types @text into the search and waits for its search (after the delay;
 * GtkSearchEntry reports the empty text it goes through at once). */
static void
search_for (EnrWindow  *window,
            const char *text)
{
  GtkWidget *entry = enr_window_get_search_entry (window);
  Search search = { text, FALSE };
  gulong handler = g_signal_connect_after (entry, "search-changed", G_CALLBACK (on_search_changed_cb), &search);

  type_text (entry, text);
  wait_until (is_true, &search.searched);
  g_signal_handler_disconnect (entry, handler);
}

static const char *
row_text (GtkWidget *row)
{
  return enr_customer_row_get_text (ENR_CUSTOMER_ROW (row));
}

/* Whether any of @row shows in the view of the results' scrolled window. */
static gboolean
row_in_view (GtkWidget *row)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (row, scroller, &bounds));
  return bounds.origin.y < gtk_widget_get_height (scroller) &&
         bounds.origin.y + bounds.size.height > 0;
}

/* Each shown row in the view has drawn its text (rows redraw, they are
 * not laid out again, when they show another customer; the rows below
 * the view draw nothing), and the view shows some: shown rows none of
 * which is in the view are a results view not laid out yet. */
static gboolean
rows_drew_their_text (gpointer window)
{
  GtkWidget *row;
  guint in_view = 0;

  for (guint i = 0; (row = result_row (window, i)) != NULL; i++)
    {
      if (!row_in_view (row))
        continue;
      if (g_strcmp0 (enr_customer_row_get_layout_text (ENR_CUSTOMER_ROW (row)), row_text (row)) != 0)
        return FALSE;
      in_view++;
    }

  return in_view > 0 || result_row (window, 0) == NULL;
}

/* The rows show the store's answer to @text, in its order, each row
 * with the text and accessible names of its customer. */
static void
assert_results_are_store_answer (Fixture    *fixture,
                                 EnrWindow  *window,
                                 const char *text)
{
  g_autoptr(GPtrArray) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  guint n;

  answer = enr_context_search_customers (fixture->context, stripped, ENR_WINDOW_SEARCH_RESULTS + 1, &error);
  g_assert_no_error (error);
  n = MIN (answer->len, ENR_WINDOW_SEARCH_RESULTS);
  g_assert_cmpuint (count_results (window), ==, n);

  for (guint i = 0; i < n; i++)
    {
      EnrCustomer *expected = g_ptr_array_index (answer, i);
      GtkWidget *row = result_row (window, i);
      EnrCustomer *shown = enr_customer_row_get_customer (ENR_CUSTOMER_ROW (row));
      g_autofree char *accessible = g_strdup_printf ("%s, account %s", enr_customer_get_name (expected),
                                                     enr_customer_get_account_id (expected));
      g_autofree char *name_line = g_strconcat (enr_customer_get_name (expected), "\n", NULL);

      g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (shown)), ==, enr_entity_get_id (ENR_ENTITY (expected)));
      g_assert_true (g_str_has_prefix (row_text (row), name_line));
      g_assert_true (strstr (row_text (row), enr_customer_get_account_id (expected)) != NULL);
      g_assert_true (has_accessible_label (row, accessible));
      /* The drawn lines are read as a label, named by their text. */
      g_assert_true (has_accessible_label (enr_customer_row_get_lines (ENR_CUSTOMER_ROW (row)), row_text (row)));
      gtk_test_accessible_assert_role (GTK_ACCESSIBLE (enr_customer_row_get_lines (ENR_CUSTOMER_ROW (row))),
                                       GTK_ACCESSIBLE_ROLE_LABEL);
    }
}

static gboolean
customer_view_shown (gpointer window)
{
  GtkWidget *view = enr_window_get_customer_view (window);

  return gtk_widget_get_mapped (view) &&
         g_strcmp0 (enr_customer_view_get_customer_id (ENR_CUSTOMER_VIEW (view)), "cust-0001") == 0;
}

static void
test_search_and_customer_view (Fixture       *fixture,
                               gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  GtkWidget *entry = enr_window_get_search_entry (window);
  GtkWidget *list = enr_window_get_results_list (window);
  GtkWidget *focus;
  EnrCustomerView *view;

  screenshot (GTK_WIDGET (window), "main-window-empty");

  /* By account number, then by phone: search as you type. */
  search_for (window, "RPL-100037");
  wait_until (results_have_rows, window);
  g_assert_true (has_accessible_label (list, "Search Results"));
  g_assert_cmpuint (count_results (window), ==, 1);
  g_assert_true (has_accessible_label (result_row (window, 0), "Maria Gonzalez, account RPL-100037"));
  /* Two lines: the name in bold, then account, phone, email and address;
   * drawn, and read as one label. */
  g_assert_cmpstr (row_text (result_row (window, 0)), ==,
                   "Maria Gonzalez\nRPL-100037 · (541) 555-0101 · maria.gonzalez@example.net · "
                   "1423 Maple Ave, Riverbend, OR 97401");
  wait_until (rows_drew_their_text, window);
  g_assert_true (has_accessible_label (enr_customer_row_get_lines (ENR_CUSTOMER_ROW (result_row (window, 0))),
                                       row_text (result_row (window, 0))));
  g_assert_true (shows_text (window, "1 customer"));

  search_for (window, "Gonzalez");
  wait_until (results_have_rows, window);
  screenshot (GTK_WIDGET (window), "main-window-search");

  /* Down moves into the results, Enter (activation) opens the customer. */
  gtk_widget_grab_focus (entry);
  g_assert_true (gtk_widget_activate_action (entry, "main.search", NULL));
  press_key (entry, GDK_KEY_Down);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus == result_row (window, 0));
  gtk_widget_activate (focus);
  wait_until (customer_view_shown, window);

  view = ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window));
  g_assert_true (shows_text (view, "maria.gonzalez@example.net"));
  g_assert_true (has_accessible_label (find_by_label (view, "Eligible Programs"), "Eligible Programs"));
  g_assert_nonnull (find_by_label (view, "Current Enrollments"));
  g_assert_nonnull (find_by_label (view, "In-Progress Process Flows"));

  /* Eligible with an Enroll button; not eligible with its reasons. */
  g_assert_nonnull (enroll_button (view, "Smart Thermostat Rewards"));
  g_assert_null (find_widget (program_row (view, "Home Energy Checkup"), match_button, "Enroll in Home Energy Checkup"));
  g_assert_false (gtk_widget_is_ancestor (program_row (view, "Home Energy Checkup"),
                                          enr_customer_view_get_programs_list (view)));
  g_assert_true (shows_text (program_row (view, "Home Energy Checkup"), "is not offered in the customer’s part of the service area"));

  g_autofree char *last = g_settings_get_string (fixture->settings, "last-customer");
  g_assert_cmpstr (last, ==, "cust-0001");
  g_assert_cmpuint (assert_plain_borders (GTK_WIDGET (window)), >, 0);

  screenshot (GTK_WIDGET (window), "customer-view");
}

/* Only the last shown row has no line under it: the list's own rounded
 * border closes the list (the hidden rows after it do not count). */
static gboolean
only_last_result_unlined (gpointer window)
{
  guint n = count_results (window);

  for (guint i = 0; i < n; i++)
    {
      GtkBorder border;

      gtk_style_context_get_border (gtk_widget_get_style_context (result_row (window, i)), &border);
      if ((border.bottom == 0) != (i == n - 1))
        return FALSE;
    }

  return n > 0;
}

/* What Up and Down do in the list (its key bindings). */
static void
move_cursor (GtkWidget *list,
             int        count)
{
  g_signal_emit_by_name (list, "move-cursor", GTK_MOVEMENT_DISPLAY_LINES, count, FALSE, FALSE);
}

/* At most ENR_WINDOW_SEARCH_RESULTS results, in a fixed pool of rows:
 * the next keystroke reuses them, a row whose customer stays in place is
 * not relabelled, rows left over are hidden. Keyboard: Down from the
 * search into the results, Up from the first back, Enter opens the
 * selected customer (else the first), Escape in the results clears the
 * search. */
static void
test_search_keyboard (Fixture       *fixture,
                      gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  GtkWidget *entry = enr_window_get_search_entry (window);
  GtkWidget *list = enr_window_get_results_list (window);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  EnrCustomer *second;
  g_autofree char *second_id = NULL;
  const char *shown;

  /* Every sample customer matches: the first 20, and a hint. */
  search_for (window, "RPL-1");
  wait_until (results_have_rows, window);
  g_assert_cmpuint (count_results (window), ==, ENR_WINDOW_SEARCH_RESULTS);
  g_assert_true (shows_text (window, "The best 20 matches — type more to narrow the search"));
  for (guint i = 0; i < ENR_WINDOW_SEARCH_RESULTS; i++)
    g_ptr_array_add (rows, result_row (window, i));
  screenshot (GTK_WIDGET (window), "main-window-search-many");
  /* The line under each row but the last (the list's own border, which
   * its children's snapshot leaves out, closes the list). */
  g_assert_cmpuint (assert_plain_borders (list), ==, ENR_WINDOW_SEARCH_RESULTS - 1);
  assert_plain_borders (GTK_WIDGET (window));

  /* The same text again (the search strips it): no row is relabelled. */
  shown = row_text (result_row (window, 0));
  search_for (window, "RPL-1 ");
  g_assert_true (row_text (result_row (window, 0)) == shown);

  /* Fewer results: the same rows, the others hidden; none at all shows
   * the placeholder. */
  wait_until (only_last_result_unlined, window);
  search_for (window, "Gonzalez");
  wait_until (results_have_rows, window);
  g_assert_cmpuint (count_results (window), ==, 1);
  g_assert_true (result_row (window, 0) == g_ptr_array_index (rows, 0));
  g_assert_false (gtk_widget_get_visible (g_ptr_array_index (rows, 1)));
  wait_until (only_last_result_unlined, window);
  search_for (window, "Hannah");
  wait_until (results_have_rows, window);
  g_assert_cmpuint (count_results (window), ==, 2);
  wait_until (only_last_result_unlined, window);
  search_for (window, "Gonzalez");
  g_assert_true (shows_text (window, "1 customer"));
  search_for (window, "Zzyzx Qwerty");
  wait_for_text (list, "No customer matches the search.");
  g_assert_cmpuint (count_results (window), ==, 0);
  g_assert_true (shows_text (window, "0 customers"));
  g_assert_true (shows_text (list, "No customer matches the search."));

  /* Down selects and focuses the first result, Up goes back to the
   * search; Escape in the results closes them. */
  search_for (window, "RPL-10");
  wait_until (results_have_rows, window);
  press_key (entry, GDK_KEY_Down);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == result_row (window, 0));
  g_assert_true (gtk_list_box_get_selected_row (GTK_LIST_BOX (list)) == GTK_LIST_BOX_ROW (result_row (window, 0)));
  move_cursor (list, 1);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == result_row (window, 1));
  move_cursor (list, -1);
  move_cursor (list, -1);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));
  press_key (entry, GDK_KEY_Down);
  press_key (list, GDK_KEY_Escape);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));
  wait_until (is_unmapped, list);

  /* A new search drops the selection; Enter in the search opens the
   * selected result, else the first. */
  search_for (window, "RPL-10");
  wait_until (results_have_rows, window);
  g_assert_null (gtk_list_box_get_selected_row (GTK_LIST_BOX (list)));
  gtk_list_box_select_row (GTK_LIST_BOX (list), GTK_LIST_BOX_ROW (result_row (window, 1)));
  second = enr_customer_row_get_customer (ENR_CUSTOMER_ROW (result_row (window, 1)));
  second_id = g_strdup (enr_entity_get_id (ENR_ENTITY (second)));
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (enr_customer_view_get_customer_id (ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window))), ==,
                   second_id);

  search_for (window, "Gonzalez");
  wait_until (results_have_rows, window);
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (enr_customer_view_get_customer_id (ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window))), ==,
                   "cust-0001");
}

/* The results list's measures, counted (GtkListBox's measure, wrapped
 * while a test watches one list). */
typedef void (*MeasureFunc) (GtkWidget *, GtkOrientation, int, int *, int *, int *, int *);

static MeasureFunc list_box_measure;
static GtkWidget *measured_list;
static guint list_measures;

static void
counting_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  if (widget == measured_list)
    list_measures++;
  list_box_measure (widget, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
count_list_measures (GtkWidget *list)
{
  GtkWidgetClass *klass = g_type_class_peek (GTK_TYPE_LIST_BOX);

  if (list != NULL)
    {
      list_box_measure = klass->measure;
      klass->measure = counting_measure;
    }
  else
    klass->measure = list_box_measure;
  measured_list = list;
  list_measures = 0;
}

/* Whether the store's answers to @a and @b hold as many customers, not
 * all in the same place. */
static gboolean
answers_relabel (Fixture    *fixture,
                 const char *a,
                 const char *b)
{
  g_autoptr(GPtrArray) first = enr_context_search_customers (fixture->context, a, ENR_WINDOW_SEARCH_RESULTS, NULL);
  g_autoptr(GPtrArray) second = enr_context_search_customers (fixture->context, b, ENR_WINDOW_SEARCH_RESULTS, NULL);

  g_assert_nonnull (first);
  g_assert_nonnull (second);
  if (first->len != second->len || first->len == 0)
    return FALSE;

  for (guint i = 0; i < first->len; i++)
    if (g_strcmp0 (enr_entity_get_id (g_ptr_array_index (first, i)),
                   enr_entity_get_id (g_ptr_array_index (second, i))) != 0)
      return TRUE;

  return FALSE;
}

/* A text and the character typed after it such that both show as many
 * results, not the same: from the names and addresses of the sample. */
static char *
find_relabelling_keystroke (Fixture *fixture)
{
  g_autoptr(GPtrArray) customers = enr_context_search_customers (fixture->context, "RPL", 1000, NULL);

  g_assert_nonnull (customers);
  for (guint i = 0; i < customers->len; i++)
    {
      const char *texts[] = {
        enr_customer_get_name (g_ptr_array_index (customers, i)),
        enr_customer_get_mailing_address (g_ptr_array_index (customers, i)),
      };

      for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
        for (glong k = 1; texts[t] != NULL && k < g_utf8_strlen (texts[t], -1); k++)
          {
            g_autofree char *before = g_utf8_substring (texts[t], 0, k);
            g_autofree char *after = g_utf8_substring (texts[t], 0, k + 1);

            if (g_str_has_suffix (after, " ") || g_str_has_suffix (before, " "))
              continue;
            if (answers_relabel (fixture, before, after))
              return g_steal_pointer (&after);
          }
    }

  g_assert_not_reached ();
  return NULL;
}

/* Types the last character of @text after the rest, as a keystroke does
 * (setting the whole text goes through the empty search first). */
static void
type_last_character (EnrWindow  *window,
                     const char *text)
{
  GtkWidget *entry = enr_window_get_search_entry (window);
  Search search = { text, FALSE };
  gulong handler = g_signal_connect_after (entry, "search-changed", G_CALLBACK (on_search_changed_cb), &search);
  const char *last = g_utf8_offset_to_pointer (text, g_utf8_strlen (text, -1) - 1);
  int position = (int) g_utf8_strlen (text, -1) - 1;

  gtk_editable_insert_text (GTK_EDITABLE (entry), last, -1, &position);
  wait_until (is_true, &search.searched);
  g_signal_handler_disconnect (entry, handler);
}

/* A keystroke that gives the rows other customers, as many as before,
 * only redraws them: the results list (and so the window above it) is
 * not measured again. After each keystroke the rows are the store's
 * answer, with their customers' text and accessible names. */
static void
test_search_relabel_redraws (Fixture       *fixture,
                             gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  GtkWidget *list = enr_window_get_results_list (window);
  const char *typing[] = { "H", "Ha", "Han", "Hann", "Hannah", "Hannah B", "Hannah Br", "R", "RP", "RPL-1",
                           "RPL-10", "RPL-1000", "M", "Ma", "Mar" };
  g_autofree char *keystroke = NULL;
  g_autofree char *before = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (typing); i++)
    {
      search_for (window, typing[i]);
      assert_results_are_store_answer (fixture, window, typing[i]);
      wait_until (rows_drew_their_text, window);
    }

  keystroke = find_relabelling_keystroke (fixture);
  before = g_utf8_substring (keystroke, 0, g_utf8_strlen (keystroke, -1) - 1);
  search_for (window, before);
  wait_until (results_have_rows, window);
  wait_until (rows_drew_their_text, window);
  wait_for_pending_work ();
  g_test_message ("“%s”, then “%s”", before, keystroke);

  count_list_measures (list);
  type_last_character (window, keystroke);
  assert_results_are_store_answer (fixture, window, keystroke);
  /* Drawn with the new text, the list never measured. */
  wait_until (rows_drew_their_text, window);
  wait_for_pending_work ();
  g_assert_cmpuint (list_measures, ==, 0);
  count_list_measures (NULL);
}

static GtkAdjustment *
results_adjustment (EnrWindow *window)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (enr_window_get_results_list (window), GTK_TYPE_SCROLLED_WINDOW);

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

static gboolean
last_result_in_view (gpointer window)
{
  GtkWidget *row = result_row (window, count_results (window) - 1);

  return row != NULL && row_in_view (row);
}

/* The row drew its text as the markup of its name in bold and its details
 * small and 70 % opaque, without that markup being made and parsed. */
static void
assert_row_drawn_as_markup (GtkWidget *row)
{
  const char *text = row_text (row);
  const char *newline = strchr (text, '\n');
  g_autofree char *name = g_strndup (text, newline - text);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>\n<span size=\"small\" alpha=\"70%%\">%s</span>",
                                                     name, newline + 1);
  g_autoptr(PangoAttrList) expected = NULL;
  g_autofree char *expected_text = NULL;
  PangoAttrList *drawn = enr_customer_row_get_layout_attributes (ENR_CUSTOMER_ROW (row));

  g_assert_true (pango_parse_markup (markup, -1, 0, &expected, &expected_text, NULL, NULL));
  g_assert_cmpstr (enr_customer_row_get_layout_text (ENR_CUSTOMER_ROW (row)), ==, expected_text);
  g_assert_nonnull (drawn);
  if (!pango_attr_list_equal (drawn, expected))
    {
      g_autofree char *got = pango_attr_list_to_string (drawn);
      g_autofree char *want = pango_attr_list_to_string (expected);

      g_error ("row “%s” drew attributes\n%s\nexpected\n%s", text, got, want);
    }
}

/* The rows below the view of the results are neither laid out nor drawn
 * (most of a keystroke's frame is the rows' text); they draw when the view
 * scrolls to them, or grows to show them. */
static void
test_search_rows_below_view (Fixture       *fixture,
                             gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  GtkAdjustment *adjustment = results_adjustment (window);
  GtkWidget *last;
  guint n;

  search_for (window, "RPL");
  wait_until (results_have_rows, window);
  assert_results_are_store_answer (fixture, window, "RPL");
  n = count_results (window);
  g_assert_cmpuint (n, ==, ENR_WINDOW_SEARCH_RESULTS);
  wait_until (rows_drew_their_text, window);
  wait_for_pending_work ();

  /* The first row drew its customer, the last one (below the view) nothing. */
  g_assert_true (row_in_view (result_row (window, 0)));
  g_assert_cmpstr (enr_customer_row_get_layout_text (ENR_CUSTOMER_ROW (result_row (window, 0))), ==,
                   row_text (result_row (window, 0)));
  assert_row_drawn_as_markup (result_row (window, 0));
  last = result_row (window, n - 1);
  g_assert_false (row_in_view (last));
  g_assert_null (enr_customer_row_get_layout_text (ENR_CUSTOMER_ROW (last)));
  screenshot (GTK_WIDGET (window), "search-results-top");

  /* Scrolled to the end, the last rows draw theirs. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  wait_until (last_result_in_view, window);
  wait_until (rows_drew_their_text, window);
  g_assert_cmpstr (enr_customer_row_get_layout_text (ENR_CUSTOMER_ROW (last)), ==, row_text (last));
  assert_row_drawn_as_markup (last);
  screenshot (GTK_WIDGET (window), "search-results-scrolled");

  /* Down at the end of the list, the next search shows the top again,
   * every row in the view drawn with its new customer. */
  search_for (window, "RPL-1");
  assert_results_are_store_answer (fixture, window, "RPL-1");
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  wait_until (rows_drew_their_text, window);

  /* A window tall enough for every row: the view grew, they all draw. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 1600);
  wait_until (last_result_in_view, window);
  wait_until (rows_drew_their_text, window);
  last = result_row (window, count_results (window) - 1);
  g_assert_cmpstr (enr_customer_row_get_layout_text (ENR_CUSTOMER_ROW (last)), ==, row_text (last));
}

static void
put_customer_phone (Fixture    *fixture,
                    const char *customer_id,
                    const char *phone)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  EnrCustomer *customer = enr_context_lookup (fixture->context, ENR_TYPE_CUSTOMER, customer_id);

  g_assert_nonnull (customer);
  enr_customer_set_phone (customer, phone);
  g_ptr_array_add (customers, customer);
  g_assert_true (enr_store_put (fixture->store, ENR_TYPE_CUSTOMER, customers, &error));
  g_assert_no_error (error);
}

static gboolean
view_shows_phone (gpointer view)
{
  return shows_text (view, "(541) 555-0142");
}

/* A change in the store (a sync pull) to another customer leaves the
 * Customer View as it is, focus included; one to the customer shown
 * rebuilds it. */
static void
test_customer_view_background_change (Fixture       *fixture,
                                      gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrCustomerView *view = ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window));
  GtkWidget *enroll;
  gpointer weak;

  enr_window_show_customer (window, "cust-0001");
  wait_until (customer_view_shown, window);
  enroll = enroll_button (view, "Smart Thermostat Rewards");
  g_assert_true (gtk_widget_grab_focus (enroll));
  weak = enroll;
  g_object_add_weak_pointer (G_OBJECT (enroll), &weak);

  put_customer_phone (fixture, "cust-0002", "(541) 555-0199");
  wait_for_pending_work ();
  g_assert_nonnull (weak);
  g_assert_true (gtk_widget_is_ancestor (enroll, GTK_WIDGET (view)));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == enroll);
  g_assert_false (shows_text (view, "(541) 555-0199"));

  put_customer_phone (fixture, "cust-0001", "(541) 555-0142");
  wait_until (view_shows_phone, view);
  g_assert_true (weak == NULL || !gtk_widget_is_ancestor (weak, GTK_WIDGET (view)));
  if (weak != NULL)
    g_object_remove_weak_pointer (G_OBJECT (weak), &weak);
}

static gboolean
is_laid_out (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_height (widget) > 0 && gtk_widget_get_width (widget) > 0;
}

static gboolean
match_clamp (GtkWidget     *widget,
             gconstpointer  data)
{
  return ENR_IS_CLAMP (widget);
}

/* The Customer View is one column of one width (EnrClamp's), whatever
 * the customer: no content (a long eligibility reason, a program's name
 * on its button) asks for more, so none widens it. */
static void
test_customer_view_column_width (Fixture       *fixture,
                                 gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrCustomerView *view = ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window));
  GtkWidget *clamp;
  GtkWidget *column;
  int maximum = 0;
  int width = -1;

  for (guint i = 1; i <= 12; i++)
    {
      g_autofree char *customer_id = g_strdup_printf ("cust-%04u", i);
      int minimum;

      show_customer (window, customer_id);
      wait_for_pending_work ();
      clamp = find_widget (GTK_WIDGET (view), match_clamp, NULL);
      column = gtk_widget_get_first_child (clamp);
      g_object_get (clamp, "maximum-size", &maximum, NULL);
      gtk_widget_measure (column, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      if (minimum > maximum)
        g_error ("%s: the Customer View's column needs %d pixels, more than its %d", customer_id, minimum, maximum);
      wait_until (is_laid_out, column);
      if (width < 0)
        width = gtk_widget_get_width (column);
      g_assert_cmpint (gtk_widget_get_width (column), ==, width);
    }
  /* The window is wider than the column: it has its own width. */
  g_assert_cmpint (gtk_widget_get_width (clamp), >, maximum);
  g_assert_cmpint (width, <=, maximum);
}

static void
test_full_enrollment_with_appointment (Fixture       *fixture,
                                       gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0001", "Smart Thermostat Rewards");
  gpointer weak = assistant;
  g_autoptr(EnrProcessFlow) flow = NULL;
  EnrServiceTask *task;
  EnrPage *page;
  GtkWidget *picker;
  GPtrArray *appointments;

  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  /* The line over the action bar among them. */
  g_assert_cmpuint (assert_plain_borders (GTK_WIDGET (assistant)), >, 0);

  /* The buttons of the seed; Finish only on the Summary. */
  g_assert_nonnull (find_button (assistant, "Previous"));
  g_assert_nonnull (find_button (assistant, "Next"));
  g_assert_nonnull (find_button (assistant, "Save"));
  g_assert_nonnull (find_button (assistant, "Cancel Process"));
  g_assert_null (find_widget (GTK_WIDGET (assistant), match_button, "Finish"));

  /* Customer */
  page = current_page (assistant);
  g_assert_true (has_accessible_label (GTK_WIDGET (page), "Customer"));
  g_assert_nonnull (find_by_label (page, "Customer Information"));
  g_assert_nonnull (find_by_label (page, "Location Information"));
  g_assert_nonnull (find_by_label (page, "Interaction Details"));
  g_assert_nonnull (find_by_label (page, "Metered Service"));
  g_assert_nonnull (find_by_label (page, "Metered Service Point"));
  g_assert_true (has_accessible_label (find_by_label (page, "Phone"), "Phone"));
  fill_interaction (page, "Phone", "Enrollment", "Verbal", "Customer called about the thermostat offer.");
  screenshot (GTK_WIDGET (assistant), "panel-1-customer");
  press_next_to (assistant, ENR_PANEL_PROGRAM);

  /* Focus moved into the new panel. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (assistant)),
                                         GTK_WIDGET (current_page (assistant))));

  /* Program Enrollment */
  page = current_page (assistant);
  g_assert_true (has_accessible_label (GTK_WIDGET (page), "Program Enrollment"));
  g_assert_nonnull (find_by_label (page, "Program Information"));
  g_assert_nonnull (find_by_label (page, "Qualification Questions"));
  g_assert_nonnull (find_by_label (page, "Informational Questions"));
  g_assert_nonnull (find_by_label (page, "Start Date"));
  answer_yes_no (page, "Do you have central air conditioning?", "Yes");
  select_item (find_by_label (page, "Do you own or rent the home?"), "Own");
  select_item (find_by_label (page, "How did you hear about us?"), "Bill insert");
  type_text (find_by_label (page, "When was the heating and cooling system last serviced?"), "2025-09-15");
  screenshot (GTK_WIDGET (assistant), "panel-2-program-enrollment");
  press_next_to (assistant, ENR_PANEL_DEVICE_SETUP);

  /* Device Setup: a utility installation with an appointment */
  page = current_page (assistant);
  g_assert_true (has_accessible_label (GTK_WIDGET (page), "Device Setup"));
  g_assert_nonnull (find_by_label (page, "Asset Information"));
  g_assert_nonnull (find_by_label (page, "Work Order Activities"));
  select_item (find_by_label (page, "Installation Method"), "Utility Installation");
  /* The Utility Installation rule creates the same work for any owner. */
  wait_until (has_picker, page);
  g_assert_null (find_widget (GTK_WIDGET (page), match_label, "Asset Ownership"));
  picker = first_picker (page);
  book_first_slot (picker, "Day", "North Day Crew A");
  g_assert_false (shows_text (picker, "None selected"));
  fill_interaction (page, "Phone", "Enrollment", "Verbal", "Installation booked.");
  screenshot (GTK_WIDGET (assistant), "panel-3-device-setup");
  press_next_to (assistant, ENR_PANEL_SUMMARY);

  /* Summary */
  page = current_page (assistant);
  g_assert_true (has_accessible_label (GTK_WIDGET (page), "Summary"));
  g_assert_nonnull (find_by_label (page, "Enrollment Task"));
  g_assert_nonnull (find_by_label (page, "Customer Information"));
  g_assert_nonnull (find_by_label (page, "Program Information"));
  g_assert_nonnull (find_by_label (page, "Location Information"));
  g_assert_nonnull (find_by_label (page, "Interaction Details"));
  g_assert_true (shows_text (page, "Utility Installation"));
  g_assert_true (shows_text (page, "North Day Crew A"));
  g_assert_true (shows_text (page, "Installation booked."));
  g_assert_true (shows_text (page, "Pending"));
  g_assert_null (find_widget (GTK_WIDGET (assistant), match_button, "Next"));
  screenshot (GTK_WIDGET (assistant), "panel-4-summary");

  /* Every visited panel may be jumped back to from the step indicator. */
  assert_step_tooltip (assistant, ENR_PANEL_CUSTOMER, "Go back to this step");
  assert_step_tooltip (assistant, ENR_PANEL_SUMMARY, NULL);
  press (enr_step_indicator_get_button (ENR_STEP_INDICATOR (enr_assistant_get_step_indicator (assistant)),
                                        ENR_PANEL_CUSTOMER));
  {
    PanelWait wait = { assistant, ENR_PANEL_CUSTOMER };

    wait_until (is_on_panel, &wait);
  }
  assert_step_tooltip (assistant, ENR_PANEL_CUSTOMER, NULL);
  assert_step_tooltip (assistant, ENR_PANEL_SUMMARY, "Go back to this step");
  press (enr_step_indicator_get_button (ENR_STEP_INDICATOR (enr_assistant_get_step_indicator (assistant)),
                                        ENR_PANEL_SUMMARY));
  {
    PanelWait wait = { assistant, ENR_PANEL_SUMMARY };

    wait_until (is_on_panel, &wait);
  }

  press (find_button (assistant, "Finish"));
  wait_until (is_null, &weak);

  /* The store: closed flow, its task with everything, queued operations. */
  flow = load_only_draft (fixture);
  g_assert_cmpint (enr_process_flow_get_status (flow), ==, ENR_FLOW_STATUS_CLOSED);
  task = enr_process_flow_get_task (flow);
  g_assert_cmpstr (enr_service_task_get_program_id (task), ==, "prog-tstat");
  g_assert_cmpint (enr_service_task_get_installation_method (task), ==, ENR_INSTALLATION_METHOD_UTILITY_INSTALLATION);
  /* Not asked: the Utility Installation rule does not depend on it. */
  g_assert_cmpint (enr_service_task_get_ownership (task), ==, ENR_ASSET_OWNERSHIP_NONE);
  appointments = enr_service_task_get_appointments (task);
  g_assert_cmpuint (appointments->len, ==, 1);
  g_assert_cmpstr (enr_appointment_get_activity_type_id (g_ptr_array_index (appointments, 0)), ==, "act-install-tstat");
  g_assert_cmpstr (enr_appointment_get_crew_id (g_ptr_array_index (appointments, 0)), ==, "crew-north-day-a");
  g_assert_cmpuint (enr_service_task_get_answers (task)->len, ==, 4);
  g_assert_cmpuint (enr_service_task_get_interactions (task)->len, ==, 2);
  g_assert_cmpstr (enr_interaction_get_channel (enr_service_task_get_interaction (task, ENR_PANEL_CUSTOMER)), ==, "phone");
  g_assert_cmpuint (count_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK), ==, 1);
  g_assert_cmpuint (count_operations (fixture, ENR_OPERATION_KIND_FINISH_TASK), ==, 1);
}

static void
test_location_not_required_skips_device_setup (Fixture       *fixture,
                                               gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0001", "Time-of-Use Pilot");
  gpointer weak = assistant;
  EnrStepIndicator *indicator = ENR_STEP_INDICATOR (enr_assistant_get_step_indicator (assistant));
  GtkWidget *device_step;
  g_autoptr(EnrProcessFlow) flow = NULL;
  EnrPage *page;

  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);

  /* The rate pilot's type has Location Required Source = No. */
  device_step = enr_step_indicator_get_button (indicator, ENR_PANEL_DEVICE_SETUP);
  g_assert_true (gtk_widget_has_css_class (device_step, "skipped"));
  g_assert_true (shows_text (device_step, "Skipped"));
  g_assert_false (gtk_widget_is_sensitive (device_step));
  assert_step_tooltip (assistant, ENR_PANEL_DEVICE_SETUP, "The program needs no location, so this step is skipped");
  assert_step_tooltip (assistant, ENR_PANEL_PROGRAM, NULL);
  screenshot (GTK_WIDGET (assistant), "skipped-1-customer");

  press_next_to (assistant, ENR_PANEL_PROGRAM);
  page = current_page (assistant);
  answer_yes_no (page, "Do you understand that electricity costs more from 4 to 9 pm on weekdays?", "Yes");
  press_next_to (assistant, ENR_PANEL_SUMMARY);

  page = current_page (assistant);
  g_assert_true (shows_text (page, "Not applicable"));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (enr_assistant_get_page (assistant, ENR_PANEL_DEVICE_SETUP))));
  screenshot (GTK_WIDGET (assistant), "skipped-4-summary");

  /* Previous steps over the skipped panel too. */
  {
    PanelWait wait = { assistant, ENR_PANEL_PROGRAM };

    press (find_button (assistant, "Previous"));
    wait_until (is_on_panel, &wait);
  }
  press_next_to (assistant, ENR_PANEL_SUMMARY);

  press (find_button (assistant, "Finish"));
  wait_until (is_null, &weak);

  flow = load_only_draft (fixture);
  g_assert_cmpint (enr_process_flow_get_status (flow), ==, ENR_FLOW_STATUS_CLOSED);
  g_assert_false (enr_process_flow_has_visited (flow, ENR_PANEL_DEVICE_SETUP));
  g_assert_cmpint (enr_service_task_get_installation_method (enr_process_flow_get_task (flow)), ==,
                   ENR_INSTALLATION_METHOD_NONE);
}

static void
test_ineligible_customer (Fixture       *fixture,
                          gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrCustomerView *view;
  EnrAssistant *assistant;
  EnrPage *page;
  GtkWidget *reasons;
  GtkWidget *row;
  guint n_reasons = 0;

  /* In the Customer View: not eligible, every reason, no Enroll. */
  view = show_customer (window, "cust-0005");
  row = program_row (view, "Smart Thermostat Rewards");
  g_assert_true (shows_text (row, "Not eligible"));
  g_assert_true (shows_text (row, "life-support register"));
  g_assert_null (find_widget (row, match_button, "Enroll in Smart Thermostat Rewards"));
  screenshot (GTK_WIDGET (window), "ineligible-customer-view");

  /* In a flow: choosing that program and pressing Next shows the reasons
   * and stays on the Program Enrollment panel. */
  assistant = start_enrollment (fixture, window, "cust-0005", "Time-of-Use Pilot");
  press_next_to (assistant, ENR_PANEL_PROGRAM);
  page = current_page (assistant);
  select_item (find_by_label (page, "Program"), "Smart Thermostat Rewards");
  wait_for_text (page, "Do you have central air conditioning?");
  answer_yes_no (page, "Do you have central air conditioning?", "No");
  select_item (find_by_label (page, "Do you own or rent the home?"), "Own");

  press (find_button (assistant, "Next"));
  reasons = enr_program_page_get_reasons_box (ENR_PROGRAM_PAGE (page));
  wait_until (is_mapped, reasons);
  g_assert_cmpint (enr_assistant_get_current_panel (assistant), ==, ENR_PANEL_PROGRAM);
  for (GtkWidget *child = gtk_widget_get_first_child (reasons); child; child = gtk_widget_get_next_sibling (child))
    n_reasons++;
  g_assert_cmpuint (n_reasons, >=, 2);
  g_assert_true (shows_text (reasons, "life-support register"));
  g_assert_true (shows_text (reasons, "central air conditioning"));
  g_assert_true (shows_text (page, "is not eligible for Smart Thermostat Rewards"));
  screenshot (GTK_WIDGET (assistant), "ineligible-program-panel");

  /* Still blocked with Alt+Right. */
  gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.next", NULL);
  wait_for_pending_work ();
  g_assert_cmpint (enr_assistant_get_current_panel (assistant), ==, ENR_PANEL_PROGRAM);
}

static void
test_reenroll_requires_a_device (Fixture       *fixture,
                                 gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0009", "Smart Thermostat Rewards");
  GtkWidget *devices;
  GtkWidget *error_label;
  GtkWidget *check;
  EnrPage *page;

  press_next_to (assistant, ENR_PANEL_PROGRAM);
  page = current_page (assistant);
  answer_yes_no (page, "Do you have central air conditioning?", "Yes");
  select_item (find_by_label (page, "Do you own or rent the home?"), "Own");
  press_next_to (assistant, ENR_PANEL_DEVICE_SETUP);

  page = current_page (assistant);
  select_item (find_by_label (page, "Installation Method"), "Re-enroll");
  select_item (find_by_label (page, "Asset Ownership"), "Utility Owned");
  wait_for_text (page, "Devices to Re-Enroll");

  devices = find_by_label (page, "Devices to Re-Enroll");
  g_assert_true (GTK_IS_LIST_BOX (devices));

  /* Next without a device: the error next to the field, invalid state. */
  press (find_button (assistant, "Next"));
  error_label = gtk_widget_get_next_sibling (devices);
  g_assert_true (GTK_IS_LABEL (error_label));
  wait_until (is_mapped, error_label);
  g_assert_cmpint (enr_assistant_get_current_panel (assistant), ==, ENR_PANEL_DEVICE_SETUP);
  g_assert_true (is_invalid (devices));
  g_assert_true (gtk_widget_has_css_class (error_label, "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, "Select at least one device to re-enroll");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (assistant)), devices) ||
                 gtk_root_get_focus (GTK_ROOT (assistant)) == devices);
  screenshot (GTK_WIDGET (assistant), "reenroll-without-device");

  /* Selecting the device clears the error and lets the clerk go on. */
  check = find_of_type (devices, GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_false (is_invalid (devices));
  g_assert_false (gtk_widget_get_visible (error_label));
  press_next_to (assistant, ENR_PANEL_SUMMARY);
  g_assert_true (shows_text (current_page (assistant), "Re-enroll"));
}

/* Consent on record in a walk: a DER registration (its type requires
 * consent) cannot be finished without one; the clerk picks how the
 * customer consented on the Summary, which dates it now, and Finish goes
 * through with the consent, the terms version and the clerk on the task. */
static void
test_consent_in_a_walk (Fixture       *fixture,
                        gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0002", "Home Battery & Solar Registration");
  gpointer weak = assistant;
  g_autoptr(EnrProcessFlow) flow = NULL;
  EnrConsent *consent;
  GtkWidget *method;
  GtkWidget *check;
  EnrPage *page;

  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);

  press_next_to (assistant, ENR_PANEL_PROGRAM);
  page = current_page (assistant);
  answer_yes_no (page, "Is the system interconnected under a utility-approved permit?", "Yes");
  press_next_to (assistant, ENR_PANEL_DEVICE_SETUP);

  page = current_page (assistant);
  select_item (find_by_label (page, "Installation Method"), "Re-enroll");
  select_item (find_by_label (page, "Asset Ownership"), "Customer Owned");
  wait_for_text (page, "Devices to Re-Enroll");
  check = find_of_type (find_by_label (page, "Devices to Re-Enroll"), GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  press_next_to (assistant, ENR_PANEL_SUMMARY);

  /* Summary: the consent section, its controls named for assistive technology. */
  page = current_page (assistant);
  g_assert_nonnull (find_by_label (page, "Consent"));
  g_assert_true (shows_text (page, "needs the customer’s consent to its terms on record before Finish"));
  g_assert_true (shows_text (page, "DER-2025.9"));
  method = find_by_label (page, "Consent Method");
  g_assert_true (GTK_IS_DROP_DOWN (method));
  g_assert_nonnull (find_by_label (page, "Consent Date"));
  g_assert_nonnull (find_by_label (page, "Consent Time"));

  /* Finish without consent: refused, with the reason next to the method. */
  press (find_button (assistant, "Finish"));
  wait_for_text (page, "Consent is required: record how the customer agreed to the program’s terms");
  g_assert_nonnull (weak);
  g_assert_cmpint (enr_assistant_get_current_panel (assistant), ==, ENR_PANEL_SUMMARY);
  g_assert_true (is_invalid (method));
  screenshot (GTK_WIDGET (assistant), "consent-required");

  /* The customer agreed on the phone, now. */
  select_item (method, "Phone");
  g_assert_false (is_invalid (method));
  g_assert_true (shows_text (page, "clerk"));
  screenshot (GTK_WIDGET (assistant), "consent-recorded");

  press (find_button (assistant, "Finish"));
  wait_until (is_null, &weak);

  flow = load_only_draft (fixture);
  g_assert_cmpint (enr_process_flow_get_status (flow), ==, ENR_FLOW_STATUS_CLOSED);
  consent = enr_service_task_get_consent (enr_process_flow_get_task (flow));
  g_assert_nonnull (consent);
  g_assert_cmpint (enr_consent_get_method (consent), ==, ENR_CONSENT_METHOD_PHONE);
  g_assert_nonnull (enr_consent_get_given_at (consent));
  g_assert_cmpstr (enr_consent_get_terms_version (consent), ==, "DER-2025.9");
  g_assert_cmpstr (enr_consent_get_recorded_by (consent), ==, "clerk");
  /* It travels with the task: once in the create, once in the update before Finish. */
  g_assert_cmpuint (count_operations (fixture, ENR_OPERATION_KIND_FINISH_TASK), ==, 1);
}

static gboolean
subscription_row_shown (gpointer view)
{
  return find_widget (enr_customer_view_get_subscriptions_list (view), match_button, "Unenroll") != NULL;
}

static void
test_unenrollment_with_utility_removal (Fixture       *fixture,
                                        gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrCustomerView *view = show_customer (window, "cust-0003");
  EnrAssistant *assistant;
  gpointer weak;
  g_autoptr(EnrProcessFlow) flow = NULL;
  EnrServiceTask *task;
  EnrPage *page;
  GtkWidget *picker;
  g_autofree char *stop = NULL;
  GDate stop_date;

  wait_until (subscription_row_shown, view);
  screenshot (GTK_WIDGET (window), "unenroll-customer-view");
  press (find_button (enr_customer_view_get_subscriptions_list (view), "Unenroll"));
  wait_until (assistant_is_open, NULL);
  assistant = find_assistant ();
  weak = assistant;
  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);

  g_assert_true (shows_text (enr_assistant_get_step_indicator (assistant), "Program Unenrollment"));
  press_next_to (assistant, ENR_PANEL_PROGRAM);

  page = current_page (assistant);
  g_assert_true (has_accessible_label (GTK_WIDGET (page), "Program Unenrollment"));
  g_assert_nonnull (find_by_label (page, "Controllable Devices"));
  g_assert_true (shows_text (page, "EB3-02375703"));

  /* Stop Date: today unless changed; required, then a bad text, then a
   * good one. */
  {
    g_autofree char *today = enr_format_iso_date (&fixture->today);

    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_by_label (page, "Stop Date"))), ==, today);
  }
  type_text (find_by_label (page, "Stop Date"), "");
  press (find_button (assistant, "Next"));
  wait_for_text (page, "Stop Date is required");
  g_assert_cmpint (enr_assistant_get_current_panel (assistant), ==, ENR_PANEL_PROGRAM);
  g_assert_true (is_invalid (find_by_label (page, "Stop Date")));

  type_text (find_by_label (page, "Stop Date"), "2026-02-30");
  press (find_button (assistant, "Next"));
  wait_for_text (page, "Enter the Stop Date as YYYY-MM-DD");

  stop_date = fixture->today;
  g_date_add_days (&stop_date, 14);
  stop = enr_format_iso_date (&stop_date);
  type_text (find_by_label (page, "Stop Date"), stop);
  screenshot (GTK_WIDGET (assistant), "unenroll-2-program");
  press_next_to (assistant, ENR_PANEL_DEVICE_SETUP);

  page = current_page (assistant);
  select_item (find_by_label (page, "Removal Method"), "Utility Removal");
  wait_until (has_picker, page);
  picker = first_picker (page);
  g_assert_true (shows_text (picker, "Remove device"));
  book_first_slot (picker, "Day", NULL);
  screenshot (GTK_WIDGET (assistant), "unenroll-3-device-setup");
  press_next_to (assistant, ENR_PANEL_SUMMARY);

  page = current_page (assistant);
  g_assert_nonnull (find_by_label (page, "Unenrollment Task"));
  g_assert_true (shows_text (page, "Utility Removal"));
  g_assert_nonnull (find_by_label (page, "Stop Date"));
  screenshot (GTK_WIDGET (assistant), "unenroll-4-summary");
  press (find_button (assistant, "Finish"));
  wait_until (is_null, &weak);

  flow = load_only_draft (fixture);
  task = enr_process_flow_get_task (flow);
  g_assert_cmpint (enr_process_flow_get_status (flow), ==, ENR_FLOW_STATUS_CLOSED);
  g_assert_cmpint (enr_service_task_get_kind (task), ==, ENR_TASK_KIND_UNENROLLMENT);
  g_assert_cmpstr (enr_service_task_get_subscription_id (task), ==, "sub-0001");
  g_assert_cmpint (enr_service_task_get_removal_method (task), ==, ENR_REMOVAL_METHOD_UTILITY_REMOVAL);
  g_assert_cmpint (g_date_compare (enr_service_task_get_stop_date (task), &stop_date), ==, 0);
  g_assert_true (g_strv_contains (enr_service_task_get_device_ids (task), "dev-0003"));
  g_assert_cmpuint (enr_service_task_get_appointments (task)->len, ==, 1);
  g_assert_cmpstr (enr_appointment_get_activity_type_id (g_ptr_array_index (enr_service_task_get_appointments (task), 0)),
                   ==, "act-remove-device");

  /* The Customer View no longer offers Unenroll for it. */
  g_assert_false (subscription_row_shown (view));
}

typedef struct
{
  Fixture    *fixture;
  const char *flow_id;
  EnrPanel    panel;
} StoredPanel;

/* Wait condition: the draft in the store is on the StoredPanel's panel. */
static gboolean
draft_on_panel (gpointer data)
{
  StoredPanel *wait = data;
  g_autoptr(EnrProcessFlow) stored = enr_context_load_flow (wait->fixture->context, wait->flow_id, NULL);

  return stored != NULL && enr_process_flow_get_current_panel (stored) == wait->panel &&
         enr_process_flow_has_visited (stored, wait->panel);
}

/* Next and Previous show the new panel first; what the clerk typed and
 * the panel reach the store right after that frame, without waiting for
 * the typing delay or a Save. */
static void
test_switch_writes_draft_after_frame (Fixture       *fixture,
                                      gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0001", "Smart Thermostat Rewards");
  EnrFlowSession *session = enr_assistant_get_session (assistant);
  g_autofree char *flow_id = g_strdup (enr_entity_get_id (ENR_ENTITY (enr_flow_session_get_flow (session))));
  StoredPanel wait = { fixture, flow_id, ENR_PANEL_PROGRAM };
  g_autoptr(EnrProcessFlow) stored = NULL;
  EnrPage *page = current_page (assistant);

  fill_interaction (page, "Email", "Inquiry", "Written", "Asked by email.");
  press_next_to (assistant, ENR_PANEL_PROGRAM);
  wait_until (draft_on_panel, &wait);
  stored = enr_context_load_flow (fixture->context, flow_id, NULL);
  g_assert_cmpstr (enr_interaction_get_notes (enr_service_task_get_interaction (enr_process_flow_get_task (stored),
                                                                                ENR_PANEL_CUSTOMER)),
                   ==, "Asked by email.");

  gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.previous", NULL);
  wait.panel = ENR_PANEL_CUSTOMER;
  wait_until (draft_on_panel, &wait);
  g_assert_cmpint (enr_assistant_get_current_panel (assistant), ==, ENR_PANEL_CUSTOMER);

  /* Closing right after a switch keeps it too. */
  press_next_to (assistant, ENR_PANEL_PROGRAM);
  gtk_window_destroy (GTK_WINDOW (assistant));
  wait.panel = ENR_PANEL_PROGRAM;
  g_assert_true (draft_on_panel (&wait));
}

/* What the assistant asks for: its minimum and natural width, its
 * minimum height at that width, and each step's width (the step
 * indicator is what sets the window's minimum width). */
typedef struct
{
  int min_width;
  int natural_width;
  int min_height;
  int steps[4];
} SizeRequest;

static void
measure_request (EnrAssistant *assistant,
                 SizeRequest  *request)
{
  EnrStepIndicator *indicator = ENR_STEP_INDICATOR (enr_assistant_get_step_indicator (assistant));

  gtk_widget_measure (GTK_WIDGET (assistant), GTK_ORIENTATION_HORIZONTAL, -1,
                      &request->min_width, &request->natural_width, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (assistant), GTK_ORIENTATION_VERTICAL, request->min_width,
                      &request->min_height, NULL, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (request->steps); i++)
    gtk_widget_measure (enr_step_indicator_get_button (indicator, (EnrPanel) i), GTK_ORIENTATION_HORIZONTAL, -1,
                        &request->steps[i], NULL, NULL, NULL);
}

static void
assert_same_request (const SizeRequest *a,
                     const SizeRequest *b)
{
  g_assert_cmpint (a->min_width, ==, b->min_width);
  g_assert_cmpint (a->natural_width, ==, b->natural_width);
  g_assert_cmpint (a->min_height, ==, b->min_height);
  for (guint i = 0; i < G_N_ELEMENTS (a->steps); i++)
    g_assert_cmpint (a->steps[i], ==, b->steps[i]);
}

static gboolean
on_customer_panel (gpointer assistant)
{
  return enr_assistant_get_current_panel (assistant) == ENR_PANEL_CUSTOMER &&
         gtk_widget_get_mapped (GTK_WIDGET (enr_assistant_get_page (assistant, ENR_PANEL_CUSTOMER)));
}

/* Next and Previous do not change what the window asks of the window
 * manager: a step's state ("Current step", "Visited", "Not yet
 * visited") always takes the room of the longest, so the steps keep
 * their widths and places, and a window at its minimum width is not
 * resized by a switch. */
static void
test_switch_keeps_size_request (Fixture       *fixture,
                                gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0001", "Smart Thermostat Rewards");
  SizeRequest first, request;

  wait_until (is_laid_out, assistant);
  measure_request (assistant, &first);
  g_assert_cmpint (first.min_width, >, 0);

  fill_interaction (current_page (assistant), "Email", "Inquiry", "Written", "Asked by email.");
  press_next_to (assistant, ENR_PANEL_PROGRAM);
  measure_request (assistant, &request);
  assert_same_request (&first, &request);

  press (find_button (assistant, "Previous"));
  wait_until (on_customer_panel, assistant);
  measure_request (assistant, &request);
  assert_same_request (&first, &request);
}

typedef struct
{
  EnrAssistant *assistant;
  EnrPanel      panel;
} PanelOf;

/* @data's panel is hidden, realized and laid out at the size of the stack
 * that shows the panels: as GtkStack would lay it out to show it. */
static gboolean
panel_prepared (gpointer data)
{
  PanelOf *of = data;
  GtkWidget *page = GTK_WIDGET (enr_assistant_get_page (of->assistant, of->panel));
  GtkWidget *stack = gtk_widget_get_parent (page);

  return !gtk_widget_get_mapped (page) && gtk_widget_get_realized (page) &&
         gtk_widget_get_width (page) == gtk_widget_get_width (stack) &&
         gtk_widget_get_height (page) == gtk_widget_get_height (stack);
}

typedef struct
{
  GtkWidget *widget;
  int        width;
} WidthOf;

/* @data's widget is now wider than the width it was given with. */
static gboolean
grew_wider (gpointer data)
{
  WidthOf *was = data;

  return gtk_widget_get_width (was->widget) > was->width;
}

/* The panels a flow has not shown yet are realized and laid out while
 * the window waits, and again when its size changes, so the Next that
 * shows one does not do that work in its frame. */
static void
test_hidden_panels_prepared (Fixture       *fixture,
                             gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0001", "Smart Thermostat Rewards");
  PanelOf program = { assistant, ENR_PANEL_PROGRAM };
  PanelOf device = { assistant, ENR_PANEL_DEVICE_SETUP };
  PanelOf summary = { assistant, ENR_PANEL_SUMMARY };
  PanelOf customer = { assistant, ENR_PANEL_CUSTOMER };
  EnrPage *program_page = enr_assistant_get_page (assistant, ENR_PANEL_PROGRAM);
  GtkWidget *question, *stack;
  WidthOf stack_was;
  int width;

  wait_until (is_laid_out, assistant);
  wait_until (panel_prepared, &program);
  wait_until (panel_prepared, &device);
  wait_until (panel_prepared, &summary);

  /* Deep in the hidden panel: a question's answers, realized and laid out. */
  question = find_hidden_widget (GTK_WIDGET (program_page), match_label, "Do you have central air conditioning?");
  g_assert_nonnull (question);
  g_assert_true (gtk_widget_get_realized (question));
  g_assert_false (gtk_widget_get_mapped (question));
  g_assert_cmpint (gtk_widget_get_width (question), >, 0);

  /* A wider window: the hidden panels follow it. */
  stack = gtk_widget_get_parent (GTK_WIDGET (program_page));
  width = gtk_widget_get_width (stack);
  gtk_window_set_default_size (GTK_WINDOW (assistant), gtk_widget_get_width (GTK_WIDGET (assistant)) + 120,
                               gtk_widget_get_height (GTK_WIDGET (assistant)) + 40);
  stack_was = (WidthOf) { stack, width };
  wait_until (grew_wider, &stack_was);
  width = gtk_widget_get_width (stack);
  wait_until (panel_prepared, &program);
  wait_until (panel_prepared, &summary);

  /* Shown, the panel keeps that layout; the one left is kept ready. */
  fill_interaction (current_page (assistant), "Email", "Inquiry", "Written", "Asked by email.");
  press_next_to (assistant, ENR_PANEL_PROGRAM);
  wait_until (is_mapped, question);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (program_page)), ==, width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (program_page)), ==, gtk_widget_get_height (stack));
  g_assert_true (panel_prepared (&customer));
}

static void
test_save_and_resume (Fixture       *fixture,
                      gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0001", "Smart Thermostat Rewards");
  gpointer weak = assistant;
  g_autofree char *flow_id = NULL;
  GtkWidget *flows;
  EnrPage *page;

  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  flow_id = g_strdup (enr_entity_get_id (ENR_ENTITY (enr_flow_session_get_flow (enr_assistant_get_session (assistant)))));

  page = current_page (assistant);
  fill_interaction (page, "Email", "Inquiry", "Written", "Asked by email.");
  press_next_to (assistant, ENR_PANEL_PROGRAM);
  page = current_page (assistant);
  answer_yes_no (page, "Do you have central air conditioning?", "Yes");
  type_text (find_by_label (page, "What is your preferred contact time?"), "Evenings after 6");

  /* Save (Ctrl+S) queues the flow for the service; then the window closes
   * without asking, and the app "restarts" on the same store. */
  gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.save", NULL);
  g_assert_cmpuint (count_operations (fixture, ENR_OPERATION_KIND_SAVE_TASK), ==, 1);
  g_assert_false (enr_flow_session_get_dirty (enr_assistant_get_session (assistant)));
  gtk_window_close (GTK_WINDOW (assistant));
  wait_until (is_null, &weak);
  g_assert_null (find_message_dialog (NULL));

  destroy_toplevels ();
  fixture_close_store (fixture);
  fixture_open_store (fixture);

  /* The In-Progress zone lists it; Resume opens it where it was left. */
  window = open_main_window (fixture);
  flows = enr_customer_view_get_flows_list (show_customer (window, "cust-0001"));
  g_assert_true (shows_text (flows, "Enrollment · Smart Thermostat Rewards"));
  g_assert_true (shows_text (flows, "On Program Enrollment"));
  screenshot (GTK_WIDGET (window), "resume-customer-view");
  press (find_button (flows, "Resume"));
  wait_until (assistant_is_open, NULL);
  assistant = find_assistant ();

  g_assert_cmpstr (enr_entity_get_id (ENR_ENTITY (enr_flow_session_get_flow (enr_assistant_get_session (assistant)))),
                   ==, flow_id);
  g_assert_cmpint (enr_assistant_get_current_panel (assistant), ==, ENR_PANEL_PROGRAM);
  page = current_page (assistant);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_by_label (find_by_label (page, "Do you have central air conditioning?"), "Yes"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_by_label (page, "What is your preferred contact time?"))),
                   ==, "Evenings after 6");
  screenshot (GTK_WIDGET (assistant), "resume-program-panel");

  {
    PanelWait wait = { assistant, ENR_PANEL_CUSTOMER };

    press (find_button (assistant, "Previous"));
    wait_until (is_on_panel, &wait);
  }
  page = current_page (assistant);
  g_assert_cmpstr (enr_drop_down_get_selected_id (GTK_DROP_DOWN (find_by_label (page, "Channel"))), ==, "email");
}

static void
test_close_with_unsaved_changes_asks (Fixture       *fixture,
                                      gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0001", "Peak Savers Control Group");
  gpointer weak = assistant;
  GtkWindow *dialog;
  g_autoptr(EnrProcessFlow) flow = NULL;

  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  fill_interaction (current_page (assistant), "Phone", "Inquiry", "Verbal", "Typed, not saved");

  gtk_window_close (GTK_WINDOW (assistant));
  wait_until (message_dialog_open, NULL);
  g_assert_nonnull (weak);
  dialog = find_message_dialog (NULL);
  screenshot (GTK_WIDGET (dialog), "close-unsaved-dialog");
  press (find_button (dialog, "Close Without Saving"));
  wait_until (is_null, &weak);

  /* Nothing typed was lost: the draft holds it, only not yet for the service. */
  flow = load_only_draft (fixture);
  g_assert_cmpstr (enr_interaction_get_notes (enr_service_task_get_interaction (enr_process_flow_get_task (flow),
                                                                                ENR_PANEL_CUSTOMER)),
                   ==, "Typed, not saved");
  g_assert_cmpuint (count_operations (fixture, ENR_OPERATION_KIND_SAVE_TASK), ==, 0);
}

static void
test_cancel_process (Fixture       *fixture,
                     gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0001", "Smart Thermostat Rewards");
  gpointer weak = assistant;
  g_autoptr(EnrProcessFlow) flow = NULL;
  EnrServiceTask *task;
  GtkWindow *dialog;
  GtkWidget *flows;
  EnrPage *page;

  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);

  press_next_to (assistant, ENR_PANEL_PROGRAM);
  page = current_page (assistant);
  answer_yes_no (page, "Do you have central air conditioning?", "Yes");
  select_item (find_by_label (page, "Do you own or rent the home?"), "Own");
  press_next_to (assistant, ENR_PANEL_DEVICE_SETUP);
  page = current_page (assistant);
  select_item (find_by_label (page, "Installation Method"), "Utility Installation");
  wait_until (has_picker, page);
  book_first_slot (first_picker (page), "Day", "North Day Crew A");

  flows = enr_customer_view_get_flows_list (ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window)));
  g_assert_true (shows_text (flows, "Enrollment · Smart Thermostat Rewards"));

  /* Cancel Process asks first; keeping the process changes nothing. */
  press (find_button (assistant, "Cancel Process"));
  wait_until (message_dialog_open, "cancel-process-dialog");
  dialog = find_message_dialog ("cancel-process-dialog");
  screenshot (GTK_WIDGET (dialog), "cancel-process-dialog");
  press (find_button (dialog, "Keep Process"));
  wait_until (no_message_dialog, NULL);
  g_assert_nonnull (weak);
  g_assert_true (enr_flow_session_is_open (enr_assistant_get_session (assistant)));

  press (find_button (assistant, "Cancel Process"));
  wait_until (message_dialog_open, "cancel-process-dialog");
  press (find_button (find_message_dialog ("cancel-process-dialog"), "Cancel Process"));
  wait_until (is_null, &weak);

  flow = load_only_draft (fixture);
  task = enr_process_flow_get_task (flow);
  g_assert_cmpint (enr_process_flow_get_status (flow), ==, ENR_FLOW_STATUS_CANCELED);
  g_assert_cmpint (enr_service_task_get_status (task), ==, ENR_TASK_STATUS_CANCELED);
  g_assert_cmpuint (enr_service_task_get_history (task)->len, ==, 1);
  g_assert_cmpuint (enr_service_task_get_appointments (task)->len, ==, 1);
  g_assert_cmpint (enr_appointment_get_status (g_ptr_array_index (enr_service_task_get_appointments (task), 0)),
                   ==, ENR_APPOINTMENT_STATUS_RELEASED);
  g_assert_cmpuint (count_operations (fixture, ENR_OPERATION_KIND_CANCEL_TASK), ==, 1);

  /* Gone from the In-Progress zone; the program is offered again. */
  g_assert_false (shows_text (flows, "Enrollment · Smart Thermostat Rewards"));
  g_assert_nonnull (enroll_button (ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window)),
                                   "Smart Thermostat Rewards"));
}

static void
test_cancel_from_customer_view (Fixture       *fixture,
                                gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0002", "Peak Savers Control Group");
  gpointer weak = assistant;
  GtkWidget *flows;
  g_autoptr(EnrProcessFlow) flow = NULL;

  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.save", NULL);
  gtk_window_close (GTK_WINDOW (assistant));
  wait_until (is_null, &weak);

  flows = enr_customer_view_get_flows_list (ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window)));
  wait_for_text (flows, "Enrollment · Peak Savers Control Group");
  press (find_button (flows, "Cancel…"));
  wait_until (message_dialog_open, "cancel-process-dialog");
  press (find_button (find_message_dialog ("cancel-process-dialog"), "Cancel Process"));
  wait_for_text_gone (flows, "Enrollment · Peak Savers Control Group");
  flow = load_only_draft (fixture);
  g_assert_cmpint (enr_process_flow_get_status (flow), ==, ENR_FLOW_STATUS_CANCELED);
  g_assert_cmpuint (count_operations (fixture, ENR_OPERATION_KIND_CANCEL_TASK), ==, 1);
}

static void
test_validation_errors_next_to_fields (Fixture       *fixture,
                                       gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0001", "Smart Thermostat Rewards");
  GtkWidget *channel;
  GtkWidget *question;
  EnrPage *page;

  /* Interaction Details half filled: the class follows from the flow,
   * the category is still required. */
  page = current_page (assistant);
  channel = find_by_label (page, "Channel");
  select_item (channel, "Phone");
  g_assert_cmpstr (enr_drop_down_get_selected_id (GTK_DROP_DOWN (find_by_label (page, "Class"))), ==, "enrollment");
  press (find_button (assistant, "Next"));
  wait_for_text (page, "Category is required for the interaction details");
  g_assert_cmpint (enr_assistant_get_current_panel (assistant), ==, ENR_PANEL_CUSTOMER);
  g_assert_false (is_invalid (channel));
  g_assert_false (is_invalid (find_by_label (page, "Class")));
  g_assert_true (is_invalid (find_by_label (page, "Category")));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (assistant)) != NULL &&
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (assistant)), find_by_label (page, "Category")));
  screenshot (GTK_WIDGET (assistant), "customer-errors");
  select_item (find_by_label (page, "Category"), "Verbal");
  press_next_to (assistant, ENR_PANEL_PROGRAM);

  /* Required questions unanswered. */
  page = current_page (assistant);
  press (find_button (assistant, "Next"));
  wait_for_text (page, "An answer to “Do you own or rent the home?” is required");
  question = find_by_label (page, "Do you own or rent the home?");
  g_assert_true (is_invalid (question));
  screenshot (GTK_WIDGET (assistant), "program-errors");
}

/* The keyboard only, as a clerk works: every key press and typed field
 * counted. */

/* Tab until the focus is in @target; every Tab counts. */
static void
tab_to (Keyboard  *keyboard,
        GtkWidget *target)
{
  for (guint i = 0; i < 25; i++)
    {
      GtkWidget *focus = focus_of (keyboard->window);

      if (focus != NULL && (focus == target || gtk_widget_is_ancestor (focus, target)))
        return;
      keyboard_press (keyboard, GDK_KEY_Tab, 0);
      keyboard_assert_focus (keyboard);
    }

  g_error ("After “%s”: Tab never reached the %s", keyboard->log->str, G_OBJECT_TYPE_NAME (target));
}

/* Tab to @drop_down, then type-ahead until @label is selected. */
static void
choose (Keyboard   *keyboard,
        GtkWidget  *drop_down,
        const char *label)
{
  guint keyval = gdk_unicode_to_keyval (g_unichar_tolower (g_utf8_get_char (label)));

  tab_to (keyboard, drop_down);
  for (guint i = 0; i < 6; i++)
    {
      GtkStringObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (drop_down));

      if (item != NULL && g_str_equal (gtk_string_object_get_string (item), label))
        return;
      keyboard_press (keyboard, keyval, 0);
      keyboard_assert_focus (keyboard);
    }

  g_error ("After “%s”: type-ahead never chose %s", keyboard->log->str, label);
}

/* Alt+Right, then the panel it leads to. */
static void
keyboard_next_to (Keyboard     *keyboard,
                  EnrAssistant *assistant,
                  EnrPanel      panel)
{
  PanelWait wait = { assistant, panel };

  keyboard_press (keyboard, GDK_KEY_Right, GDK_ALT_MASK);
  wait_until (is_on_panel, &wait);
  keyboard_assert_focus (keyboard);
  g_assert_true (gtk_widget_is_ancestor (focus_of (assistant), GTK_WIDGET (current_page (assistant))));
}

static gboolean
has_booked_appointment (gpointer assistant)
{
  EnrFlowSession *session = enr_assistant_get_session (assistant);

  return enr_flow_session_get_appointment (session, "act-install-tstat") != NULL;
}

static void
test_keyboard_full_enrollment (Fixture       *fixture,
                               gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  GtkWidget *entry = enr_window_get_search_entry (window);
  EnrCustomerView *view = ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window));
  Search search = { "Gonzalez", FALSE };
  g_autoptr(EnrProcessFlow) flow = NULL;
  EnrAssistant *assistant;
  EnrServiceTask *task;
  GtkWidget *target;
  gpointer weak;
  EnrPage *page;
  Keyboard keyboard;
  gulong handler;

  keyboard_init (&keyboard, GTK_WINDOW (window));

  /* Search → open the customer. */
  tab_to (&keyboard, entry);
  handler = g_signal_connect_after (entry, "search-changed", G_CALLBACK (on_search_changed_cb), &search);
  keyboard_type (&keyboard, "Gonzalez");
  wait_until (is_true, &search.searched);
  g_signal_handler_disconnect (entry, handler);
  wait_until (results_have_rows, window);
  keyboard_press (&keyboard, GDK_KEY_Return, 0);
  wait_until (customer_view_shown, window);
  keyboard_assert_focus (&keyboard);
  /* The focus on an Enroll button, not left in the search. */
  g_assert_true (gtk_widget_is_ancestor (focus_of (window), GTK_WIDGET (view)));

  /* Enroll in the program the customer asks for. */
  target = enroll_button (view, "Smart Thermostat Rewards");
  tab_to (&keyboard, target);
  keyboard_press (&keyboard, GDK_KEY_Return, 0);
  wait_until (assistant_is_open, NULL);
  assistant = find_assistant ();
  weak = assistant;
  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  keyboard_set_window (&keyboard, GTK_WINDOW (assistant));
  g_assert_cmpstr (enr_service_task_get_program_id (enr_flow_session_get_task (enr_assistant_get_session (assistant))), ==,
                   "prog-tstat");

  /* Customer: the class follows from the flow; channel and category. */
  page = current_page (assistant);
  keyboard_assert_focus (&keyboard);
  g_assert_true (gtk_widget_is_ancestor (focus_of (assistant), find_by_label (page, "Channel")));
  choose (&keyboard, find_by_label (page, "Channel"), "Phone");
  choose (&keyboard, find_by_label (page, "Category"), "Verbal");
  keyboard_next_to (&keyboard, assistant, ENR_PANEL_PROGRAM);

  /* Program Enrollment: the required answers. */
  page = current_page (assistant);
  tab_to (&keyboard, find_by_label (page, "Do you have central air conditioning?"));
  keyboard_press (&keyboard, GDK_KEY_y, 0);
  choose (&keyboard, find_by_label (page, "Do you own or rent the home?"), "Own");
  keyboard_next_to (&keyboard, assistant, ENR_PANEL_DEVICE_SETUP);

  /* Device Setup: the method and the first free appointment. */
  page = current_page (assistant);
  choose (&keyboard, find_by_label (page, "Installation Method"), "Utility Installation");
  wait_until (has_picker, page);
  tab_to (&keyboard, enr_appointment_picker_get_offer_button (ENR_APPOINTMENT_PICKER (first_picker (page))));
  keyboard_press (&keyboard, GDK_KEY_Return, 0);
  wait_until (has_booked_appointment, assistant);
  keyboard_assert_focus (&keyboard);
  keyboard_next_to (&keyboard, assistant, ENR_PANEL_SUMMARY);

  /* Summary → Finish; the main window says what was booked. */
  keyboard_press (&keyboard, GDK_KEY_Return, GDK_CONTROL_MASK);
  wait_until (is_null, &weak);
  keyboard_set_window (&keyboard, GTK_WINDOW (window));
  wait_until (is_mapped, enr_window_get_confirmation (window));
  g_assert_true (shows_text (window, "Enrollment finished"));
  g_assert_true (shows_text (window, "Smart Thermostat Rewards"));
  keyboard_assert_focus (&keyboard);

  g_test_message ("Full enrollment in %u actions (%u keys, %u typed fields): %s", keyboard.actions, keyboard.keys,
                  keyboard.fields, keyboard.log->str);
  g_assert_cmpuint (keyboard.actions, <=, 25);
  /* The search is the one field typed. */
  g_assert_cmpuint (keyboard.fields, ==, 1);

  flow = load_only_draft (fixture);
  g_assert_cmpint (enr_process_flow_get_status (flow), ==, ENR_FLOW_STATUS_CLOSED);
  task = enr_process_flow_get_task (flow);
  g_assert_cmpstr (enr_service_task_get_program_id (task), ==, "prog-tstat");
  g_assert_cmpuint (enr_service_task_get_appointments (task)->len, ==, 1);
  g_assert_cmpstr (enr_interaction_get_channel (enr_service_task_get_interaction (task, ENR_PANEL_CUSTOMER)), ==, "phone");
  g_assert_cmpstr (enr_interaction_get_class (enr_service_task_get_interaction (task, ENR_PANEL_CUSTOMER)), ==, "enrollment");
  g_assert_cmpstr (enr_interaction_get_category (enr_service_task_get_interaction (task, ENR_PANEL_CUSTOMER)), ==, "verbal");
  keyboard_clear (&keyboard);
}

static gboolean
has_booked_removal (gpointer assistant)
{
  EnrFlowSession *session = enr_assistant_get_session (assistant);

  return enr_flow_session_get_appointment (session, "act-remove-device") != NULL;
}

static void
test_keyboard_unenrollment (Fixture       *fixture,
                            gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  GtkWidget *entry = enr_window_get_search_entry (window);
  EnrCustomerView *view = ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window));
  Search search = { "Rahman", FALSE };
  g_autoptr(EnrProcessFlow) flow = NULL;
  EnrAssistant *assistant;
  EnrServiceTask *task;
  gpointer weak;
  EnrPage *page;
  Keyboard keyboard;
  gulong handler;

  keyboard_init (&keyboard, GTK_WINDOW (window));

  tab_to (&keyboard, entry);
  handler = g_signal_connect_after (entry, "search-changed", G_CALLBACK (on_search_changed_cb), &search);
  keyboard_type (&keyboard, "Rahman");
  wait_until (is_true, &search.searched);
  g_signal_handler_disconnect (entry, handler);
  wait_until (results_have_rows, window);
  keyboard_press (&keyboard, GDK_KEY_Return, 0);
  wait_until (subscription_row_shown, view);
  keyboard_assert_focus (&keyboard);

  /* Unenroll, from the Current Enrollments. */
  tab_to (&keyboard, find_button (enr_customer_view_get_subscriptions_list (view), "Unenroll"));
  keyboard_press (&keyboard, GDK_KEY_Return, 0);
  wait_until (assistant_is_open, NULL);
  assistant = find_assistant ();
  weak = assistant;
  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);
  keyboard_set_window (&keyboard, GTK_WINDOW (assistant));
  keyboard_assert_focus (&keyboard);

  /* Customer, then the Stop Date as it starts (today). */
  keyboard_next_to (&keyboard, assistant, ENR_PANEL_PROGRAM);
  keyboard_next_to (&keyboard, assistant, ENR_PANEL_DEVICE_SETUP);

  /* The removal method and its first free appointment. */
  page = current_page (assistant);
  choose (&keyboard, find_by_label (page, "Removal Method"), "Utility Removal");
  wait_until (has_picker, page);
  tab_to (&keyboard, enr_appointment_picker_get_offer_button (ENR_APPOINTMENT_PICKER (first_picker (page))));
  keyboard_press (&keyboard, GDK_KEY_Return, 0);
  wait_until (has_booked_removal, assistant);
  keyboard_assert_focus (&keyboard);
  keyboard_next_to (&keyboard, assistant, ENR_PANEL_SUMMARY);

  keyboard_press (&keyboard, GDK_KEY_Return, GDK_CONTROL_MASK);
  wait_until (is_null, &weak);
  keyboard_set_window (&keyboard, GTK_WINDOW (window));
  wait_until (is_mapped, enr_window_get_confirmation (window));
  g_assert_true (shows_text (window, "Unenrollment finished"));
  keyboard_assert_focus (&keyboard);

  g_test_message ("Unenrollment in %u actions (%u keys, %u typed fields): %s", keyboard.actions, keyboard.keys,
                  keyboard.fields, keyboard.log->str);
  g_assert_cmpuint (keyboard.actions, <=, 15);
  g_assert_cmpuint (keyboard.fields, ==, 1);

  flow = load_only_draft (fixture);
  g_assert_cmpint (enr_process_flow_get_status (flow), ==, ENR_FLOW_STATUS_CLOSED);
  task = enr_process_flow_get_task (flow);
  g_assert_cmpint (enr_service_task_get_removal_method (task), ==, ENR_REMOVAL_METHOD_UTILITY_REMOVAL);
  g_assert_cmpuint (enr_service_task_get_appointments (task)->len, ==, 1);
  keyboard_clear (&keyboard);
}


/* Letters */

typedef struct
{
  Fixture    *fixture;
  const char *task_id;
  guint       n_letters;
} LetterWait;

static guint
count_letters (Fixture    *fixture,
               const char *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) communications = NULL;
  guint n = 0;

  communications = enr_store_list (fixture->store, ENR_TYPE_CUSTOMER_COMMUNICATION,
                                   "service-task-id", task_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < communications->len; i++)
    if (g_strcmp0 (enr_customer_communication_get_channel (g_ptr_array_index (communications, i)), "letter") == 0)
      n++;

  return n;
}

static gboolean
letter_recorded (gpointer data)
{
  LetterWait *wait = data;

  return count_letters (wait->fixture, wait->task_id) == wait->n_letters;
}

static gboolean
letter_recorded_or_error (gpointer data)
{
  return letter_recorded (data) || find_message_dialog ("letter-error") != NULL;
}

/* The output of poppler-utils' TOOL with ARGS (asserted to succeed). */
static char *
run_poppler (const char * const *argv)
{
  g_autofree char *program = g_find_program_in_path (argv[0]);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  if (program == NULL)
    g_error ("%s is missing: build-aux/ensure-deps test installs poppler-utils", argv[0]);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* Finish an enrollment with an appointment and the customer's consent
 * recorded on the Summary; after Finish, Save Letter as PDF…; the PDF
 * says who, what, when and how they consented (pdftotext), its first
 * page renders (pdftoppm, into the screenshots);
 * the letter is a communication queued for the service, and the
 * Customer View says it was sent and offers the Letter menu. */
static void
test_letter_after_finish (Fixture       *fixture,
                          gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  EnrAssistant *assistant = start_enrollment (fixture, window, "cust-0001", "Smart Thermostat Rewards");
  EnrCustomerView *view = ENR_CUSTOMER_VIEW (enr_window_get_customer_view (window));
  g_autofree char *pdf = g_build_filename (fixture->directory, "Maria Gonzalez letter.pdf", NULL);
  g_autofree char *screenshots = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_autofree char *prefix = g_build_filename (screenshots, "letter-page", NULL);
  g_autofree char *png = g_build_filename (screenshots, "letter-page-1.png", NULL);
  g_autoptr(EnrProcessFlow) flow = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (pdf);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected_time = NULL;
  g_autofree char *expected_day = NULL;
  g_autofree char *expected_consent = NULL;
  g_autoptr(GDateTime) given_at = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  const char *task_id;
  EnrAppointment *appointment;
  EnrConsent *consent;
  GtkWidget *print_button;
  GtkWidget *save_button;
  GtkWidget *letter_button;
  gpointer weak = assistant;
  LetterWait wait;
  EnrPage *page;

  g_object_add_weak_pointer (G_OBJECT (assistant), &weak);

  page = current_page (assistant);
  fill_interaction (page, "Phone", "Enrollment", "Verbal", "Wants the thermostat.");
  press_next_to (assistant, ENR_PANEL_PROGRAM);
  page = current_page (assistant);
  answer_yes_no (page, "Do you have central air conditioning?", "Yes");
  select_item (find_by_label (page, "Do you own or rent the home?"), "Own");
  press_next_to (assistant, ENR_PANEL_DEVICE_SETUP);
  page = current_page (assistant);
  select_item (find_by_label (page, "Installation Method"), "Utility Installation");
  wait_until (has_picker, page);
  book_first_slot (first_picker (page), "Day", "North Day Crew A");
  press_next_to (assistant, ENR_PANEL_SUMMARY);

  /* The customer consents on the phone: the clerk records it on the
   * Summary, which dates it now, to the program's terms version. */
  page = current_page (assistant);
  select_item (find_by_label (page, "Consent Method"), "Phone");
  g_assert_true (shows_text (page, "TSTAT-2025.2"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_by_label (page, "Consent Time"))), !=, "");

  press (find_button (assistant, "Finish"));
  wait_until (is_null, &weak);
  wait_until (is_mapped, enr_window_get_confirmation (window));
  print_button = find_button (window, "Print Letter…");
  save_button = find_button (window, "Save Letter as PDF…");
  g_assert_true (gtk_widget_is_sensitive (print_button));
  g_assert_true (gtk_widget_is_sensitive (save_button));
  screenshot (GTK_WIDGET (window), "letter-after-finish");

  flow = load_only_draft (fixture);
  task_id = enr_entity_get_id (ENR_ENTITY (enr_process_flow_get_task (flow)));
  appointment = g_ptr_array_index (enr_service_task_get_appointments (enr_process_flow_get_task (flow)), 0);
  consent = enr_service_task_get_consent (enr_process_flow_get_task (flow));
  g_assert_nonnull (consent);
  g_assert_nonnull (enr_consent_get_given_at (consent));
  wait = (LetterWait) { fixture, task_id, 0 };
  g_assert_true (letter_recorded (&wait));

  /* Save as PDF, as the file chooser's Save does (GTK's file chooser
   * itself leaks in system libraries under LeakSanitizer). */
  g_assert_true (enr_letter_export_pdf (fixture->context, task_id, file, NULL));
  wait.n_letters = 1;
  wait_until (letter_recorded_or_error, &wait);
  if (find_message_dialog ("letter-error") != NULL)
    {
      g_autofree char *secondary = NULL;

      g_object_get (find_message_dialog ("letter-error"), "secondary-text", &secondary, NULL);
      g_error ("The letter was not saved: %s", secondary);
    }
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));

  /* What the customer reads. */
  start = g_date_time_to_local (enr_appointment_get_start (appointment));
  end = g_date_time_to_local (enr_appointment_get_end (appointment));
  from = g_date_time_format (start, "%H:%M");
  to = g_date_time_format (end, "%H:%M");
  expected_day = g_date_time_format (start, "Date: %A, %-d %B %Y");
  expected_time = g_strdup_printf ("Time: between %s and %s", from, to);
  given_at = g_date_time_to_local (enr_consent_get_given_at (consent));
  expected_consent = g_date_time_format (given_at, "When you agreed: %A, %-d %B %Y, %H:%M");
  {
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };

    text = run_poppler (argv);
  }
  g_assert_nonnull (strstr (text, "Maria Gonzalez"));
  g_assert_nonnull (strstr (text, "Your enrollment in Smart Thermostat Rewards"));
  g_assert_nonnull (strstr (text, "Install smart thermostat"));
  g_assert_nonnull (strstr (text, expected_day));
  g_assert_nonnull (strstr (text, expected_time));
  g_assert_nonnull (strstr (text, "How to leave the program"));
  /* How, when and to which terms the customer consented. */
  g_assert_nonnull (strstr (text, "Your consent"));
  g_assert_nonnull (strstr (text, "How you agreed: Phone"));
  g_assert_nonnull (strstr (text, expected_consent));
  g_assert_nonnull (strstr (text, "Terms version: TSTAT-2025.2"));
  {
    const char *argv[] = { "pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", pdf, prefix, NULL };

    g_mkdir_with_parents (screenshots, 0755);
    g_remove (png);
    g_free (run_poppler (argv));
    g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  }

  /* Queued for the service; the Customer View says it was sent and has
   * the Letter menu of the finished enrollment. */
  g_assert_cmpuint (count_operations (fixture, ENR_OPERATION_KIND_CREATE_COMMUNICATION), ==, 1);
  wait_for_text (enr_customer_view_get_flows_list (view), "letter sent");
  letter_button = find_widget (enr_customer_view_get_flows_list (view), match_label, "Letter");
  g_assert_true (GTK_IS_MENU_BUTTON (letter_button));
  g_assert_true (gtk_widget_get_focusable (letter_button) || gtk_widget_get_focusable (gtk_widget_get_first_child (letter_button)));
  screenshot (GTK_WIDGET (window), "letter-customer-view");

  /* Dismissed: no letter to send from the confirmation any more. */
  press (find_widget (GTK_WIDGET (window), match_label, "Dismiss"));
  g_assert_false (gtk_widget_is_sensitive (print_button));
  g_assert_false (gtk_widget_is_sensitive (save_button));
}

/* A list whose rows the arrow keys go through: Tab must reach it, not
 * every row (a GtkListView is one Tab stop; Tab goes down a GtkListBox
 * row by row, as in GNOME's boxed lists, but the slots are one stop). */
static gboolean
is_list (GtkWidget *widget)
{
  return GTK_IS_LIST_BOX (widget) || GTK_IS_LIST_VIEW (widget) || GTK_IS_COLUMN_VIEW (widget) ||
         GTK_IS_GRID_VIEW (widget);
}

/* Whether @widget can take the focus where it is in @root: shown,
 * usable, focusable, and in nothing that keeps the focus out. */
static gboolean
can_take_focus (GtkWidget *widget,
                GtkWidget *root)
{
  if (!gtk_widget_get_mapped (widget) || !gtk_widget_is_sensitive (widget) || !gtk_widget_get_focusable (widget) ||
      !gtk_widget_get_child_visible (widget) || !is_interactive (widget))
    return FALSE;

  for (GtkWidget *up = widget; up != NULL && up != root; up = gtk_widget_get_parent (up))
    if (GTK_IS_POPOVER (up) || !gtk_widget_get_can_focus (up) || !gtk_widget_get_child_visible (up))
      return FALSE;

  return TRUE;
}

/* Whether @widget is a control Tab must reach in @root: one that can
 * take the focus and is not in a list (whose rows the arrow keys go
 * through, see collect_lists()). */
static gboolean
tab_stop_expected (GtkWidget *widget,
                   GtkWidget *root)
{
  if (!can_take_focus (widget, root))
    return FALSE;

  for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL && up != root; up = gtk_widget_get_parent (up))
    if (is_list (up))
      return FALSE;

  return TRUE;
}

static void
collect_tab_stops (GtkWidget *widget,
                   GtkWidget *root,
                   GPtrArray *stops)
{
  if (tab_stop_expected (widget, root))
    g_ptr_array_add (stops, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_tab_stops (child, root, stops);
}

static gboolean
has_focusable_item (GtkWidget *widget,
                    GtkWidget *root)
{
  if (can_take_focus (widget, root))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_focusable_item (child, root))
      return TRUE;

  return FALSE;
}

/* The outermost lists under @widget with a row or item that can take
 * the focus: Tab must reach each of them once. */
static void
collect_lists (GtkWidget *widget,
               GtkWidget *root,
               GPtrArray *lists)
{
  if (is_list (widget) && widget != root)
    {
      if (has_focusable_item (widget, root))
        g_ptr_array_add (lists, widget);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_lists (child, root, lists);
}

/* The accessible label of @widget, for messages (gtk_test_accessible_check_property()
 * answers a mismatch with the value it found). */
static char *
accessible_label (GtkWidget *widget)
{
  char *label;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return g_strdup ("");
  label = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, "");
  return label != NULL ? label : g_strdup ("");
}

static char *
describe_stop (GtkWidget *widget)
{
  GtkWidget *labelled = widget;
  g_autofree char *name = NULL;

  for (guint i = 0; i < 4 && labelled != NULL && name == NULL; i++, labelled = gtk_widget_get_parent (labelled))
    {
      g_autofree char *label = accessible_label (labelled);

      if (label[0] != '\0')
        name = g_steal_pointer (&label);
      else if (GTK_IS_BUTTON (labelled) && gtk_button_get_label (GTK_BUTTON (labelled)) != NULL)
        name = g_strdup (gtk_button_get_label (GTK_BUTTON (labelled)));
      else if (GTK_IS_EDITABLE (labelled))
        name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (labelled)));
    }
  return g_strdup_printf ("%s(%s)", G_OBJECT_TYPE_NAME (widget), name ? name : "");
}

/* Every scrolled window that @widget is in shows it: Tab scrolls to
 * the control it reaches (for the Summary's rows below the fold too). */
static gboolean
is_scrolled_into_view (gpointer widget)
{
  for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL; up = gtk_widget_get_parent (up))
    {
      graphene_rect_t bounds;
      int height = gtk_widget_get_height (up);

      if (!GTK_IS_SCROLLED_WINDOW (up))
        continue;
      if (!gtk_widget_compute_bounds (widget, up, &bounds))
        return FALSE;
      /* Wholly inside, or filling the view if taller than it. */
      if (bounds.size.height <= height ? bounds.origin.y < -0.5 || bounds.origin.y + bounds.size.height > height + 0.5
                                       : bounds.origin.y > 0.5 || bounds.origin.y + bounds.size.height < height - 0.5)
        return FALSE;
    }

  return TRUE;
}

/* Not on a page of a stack that is not shown (one fading out). */
static gboolean
is_on_shown_page (GtkWidget *widget)
{
  for (GtkWidget *up = widget; gtk_widget_get_parent (up) != NULL; up = gtk_widget_get_parent (up))
    if (GTK_IS_STACK (gtk_widget_get_parent (up)) &&
        gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_parent (up))) != up)
      return FALSE;

  return TRUE;
}

static int
index_of_button (GPtrArray  *stops,
                 const char *label)
{
  for (guint i = 0; i < stops->len; i++)
    if (match_button (g_ptr_array_index (stops, i), label))
      return (int) i;

  return -1;
}

/* Tab from the current focus round the window until it comes back:
 * every stop a control on the panel shown, scrolled into view, every
 * control of @area reached; Shift+Tab round the other way through the
 * same stops in the reverse order. In @area, Tab follows the reading
 * order (never back up the screen) in one run; an assistant's Save,
 * Previous, Next or Finish and Cancel Process follow in that order.
 * Returns the stops, from the first in @area. */
static GPtrArray *
walk_tab (GtkWindow  *window,
          GtkWidget  *area,
          const char *where)
{
  GPtrArray *forward = g_ptr_array_new ();
  g_autoptr(GPtrArray) backward = g_ptr_array_new ();
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();
  GtkWidget *start;
  Keyboard keyboard;
  guint first = 0;
  guint run_end;
  int save, previous, next, cancel;

  /* GTK orders Tab by the place of the controls on screen. */
  wait_until (is_laid_out, area);
  keyboard_init (&keyboard, window);
  keyboard_assert_focus (&keyboard);
  start = focus_of (window);

  for (guint i = 0; i < 300; i++)
    {
      GtkWidget *focus = focus_of (window);
      g_autofree char *stop = describe_stop (focus);

      if (!is_on_shown_page (focus))
        g_error ("%s: Tab reached a %s on a panel not shown", where, stop);
      if (!wait_until_impl (is_scrolled_into_view, focus, "is_scrolled_into_view", ui_test_timeout_us))
        g_error ("%s: the %s Tab reached is not scrolled into view", where, stop);
      g_ptr_array_add (forward, focus);
      keyboard_press (&keyboard, GDK_KEY_Tab, 0);
      keyboard_assert_focus (&keyboard);
      if (focus_of (window) == start)
        break;
    }
  if (focus_of (window) != start)
    g_error ("%s: Tab from a %s never came back to it (trapped?)", where, G_OBJECT_TYPE_NAME (start));

  for (guint i = 0; i < 300; i++)
    {
      keyboard_press (&keyboard, GDK_KEY_Tab, GDK_SHIFT_MASK);
      keyboard_assert_focus (&keyboard);
      g_ptr_array_add (backward, focus_of (window));
      if (focus_of (window) == start)
        break;
    }
  if (backward->len != forward->len)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < forward->len; i++)
        {
          g_autofree char *stop = describe_stop (g_ptr_array_index (forward, i));

          g_string_append_printf (text, " %s", stop);
        }
      g_string_append (text, " ← back:");
      for (guint i = 0; i < backward->len; i++)
        {
          g_autofree char *stop = describe_stop (g_ptr_array_index (backward, i));

          g_string_append_printf (text, " %s", stop);
        }
      g_error ("%s: Shift+Tab went round in %u stops, Tab in %u:%s", where, backward->len, forward->len, text->str);
    }
  for (guint i = 0; i < forward->len; i++)
    if (g_ptr_array_index (forward, i) != g_ptr_array_index (backward, backward->len - 1 - i))
      g_error ("%s: Shift+Tab does not retrace Tab at stop %u (a %s, then a %s)", where, i,
               G_OBJECT_TYPE_NAME (g_ptr_array_index (forward, i)),
               G_OBJECT_TYPE_NAME (g_ptr_array_index (backward, backward->len - 1 - i)));

  /* Every control of the window (its header bar too), and every list
   * once. */
  collect_tab_stops (GTK_WIDGET (window), GTK_WIDGET (window), expected);
  for (guint i = 0; i < expected->len; i++)
    {
      GtkWidget *control = g_ptr_array_index (expected, i);
      gboolean reached = FALSE;

      for (guint j = 0; j < forward->len && !reached; j++)
        reached = g_ptr_array_index (forward, j) == control;
      if (!reached)
        {
          g_autofree char *stop = describe_stop (control);

          g_error ("%s: Tab never reaches the %s", where, stop);
        }
    }
  collect_lists (GTK_WIDGET (window), GTK_WIDGET (window), lists);
  for (guint i = 0; i < lists->len; i++)
    {
      GtkWidget *list = g_ptr_array_index (lists, i);
      guint n = 0;

      for (guint j = 0; j < forward->len; j++)
        n += gtk_widget_is_ancestor (g_ptr_array_index (forward, j), list);
      if (n == 0)
        {
          g_autofree char *name = accessible_label (list);

          g_error ("%s: Tab never reaches the %s “%s”", where, G_OBJECT_TYPE_NAME (list), name);
        }
    }

  /* From the first stop in the area (after one outside it, if any). */
  for (guint i = 0; i < forward->len; i++)
    {
      GtkWidget *before = g_ptr_array_index (forward, (i + forward->len - 1) % forward->len);

      if (gtk_widget_is_ancestor (g_ptr_array_index (forward, i), area) && !gtk_widget_is_ancestor (before, area))
        {
          first = i;
          break;
        }
    }
  for (guint i = 0; i < first; i++)
    {
      g_ptr_array_add (forward, g_ptr_array_index (forward, 0));
      g_ptr_array_remove_index (forward, 0);
    }

  /* The area's stops in one run, down the screen. */
  for (run_end = 0; run_end < forward->len && gtk_widget_is_ancestor (g_ptr_array_index (forward, run_end), area); run_end++)
    {
      graphene_rect_t here, last;

      if (run_end == 0)
        continue;
      g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (forward, run_end), area, &here));
      g_assert_true (gtk_widget_compute_bounds (g_ptr_array_index (forward, run_end - 1), area, &last));
      if (here.origin.y + here.size.height <= last.origin.y)
        {
          g_autofree char *from = describe_stop (g_ptr_array_index (forward, run_end - 1));
          g_autofree char *to = describe_stop (g_ptr_array_index (forward, run_end));

          g_error ("%s: Tab goes back up the screen from a %s to a %s", where, from, to);
        }
      /* On one line, from left to right. */
      if (here.origin.y < last.origin.y + last.size.height && last.origin.y < here.origin.y + here.size.height &&
          here.origin.x + here.size.width <= last.origin.x)
        {
          g_autofree char *from = describe_stop (g_ptr_array_index (forward, run_end - 1));
          g_autofree char *to = describe_stop (g_ptr_array_index (forward, run_end));

          g_error ("%s: Tab goes back left from a %s to a %s", where, from, to);
        }
    }
  for (guint i = run_end; i < forward->len; i++)
    if (gtk_widget_is_ancestor (g_ptr_array_index (forward, i), area))
      g_error ("%s: the %s is reached apart from the rest of the view", where,
               G_OBJECT_TYPE_NAME (g_ptr_array_index (forward, i)));

  /* The assistant's buttons: Save before Next, Cancel Process last. */
  save = index_of_button (forward, "Save");
  previous = index_of_button (forward, "Previous");
  next = MAX (index_of_button (forward, "Next"), index_of_button (forward, "Finish"));
  cancel = index_of_button (forward, "Cancel Process");
  if (cancel >= 0)
    {
      g_assert_cmpint (save, >=, (int) run_end);
      if (previous >= 0)
        g_assert_cmpint (previous, ==, save + 1);
      g_assert_cmpint (next, ==, (previous >= 0 ? previous : save) + 1);
      g_assert_cmpint (cancel, ==, next + 1);
    }

  /* The header bar's sync button comes right after Cancel Process, on
   * every panel: never between a panel's fields and Save. */
  if (cancel >= 0 && ENR_IS_ASSISTANT (window) && enr_assistant_get_sync_indicator (ENR_ASSISTANT (window)) != NULL)
    {
      GtkWidget *sync = enr_assistant_get_sync_indicator (ENR_ASSISTANT (window));
      GtkWidget *after_cancel = g_ptr_array_index (forward, (cancel + 1) % forward->len);

      if (!gtk_widget_is_ancestor (after_cancel, sync))
        {
          g_autofree char *stop = describe_stop (after_cancel);

          g_error ("%s: after Cancel Process Tab reaches a %s, not the sync button", where, stop);
        }
      for (int i = 0; i < cancel; i++)
        if (gtk_widget_is_ancestor (g_ptr_array_index (forward, i), sync))
          g_error ("%s: Tab reaches the sync button before Cancel Process", where);
    }

  {
    g_autoptr(GString) text = g_string_new (NULL);

    for (guint i = 0; i < forward->len; i++)
      {
        g_autofree char *stop = describe_stop (g_ptr_array_index (forward, i));

        g_string_append_printf (text, " %s", stop);
      }
    g_test_message ("%s: %u Tab stops:%s", where, forward->len, text->str);
  }
  keyboard_clear (&keyboard);
  return forward;
}

static guint
count_of_type (GPtrArray *stops,
               GType      type)
{
  guint n = 0;

  for (guint i = 0; i < stops->len; i++)
    n += G_TYPE_CHECK_INSTANCE_TYPE (g_ptr_array_index (stops, i), type);
  return n;
}

static int
index_in (GPtrArray *stops,
          GtkWidget *control)
{
  for (guint i = 0; i < stops->len; i++)
    if (g_ptr_array_index (stops, i) == control || gtk_widget_is_ancestor (g_ptr_array_index (stops, i), control))
      return (int) i;

  return -1;
}

static guint
count_in (GPtrArray *stops,
          GtkWidget *area)
{
  guint n = 0;

  for (guint i = 0; i < stops->len; i++)
    n += gtk_widget_is_ancestor (g_ptr_array_index (stops, i), area);
  return n;
}

/* In the list of slots the arrows move from slot to slot, and Tab
 * leaves it for the interaction details. */
static void
check_slot_arrows (EnrAssistant *assistant,
                   EnrPage      *page,
                   GtkWidget    *booked)
{
  GtkListBox *list = GTK_LIST_BOX (gtk_widget_get_parent (booked));
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (booked));
  Keyboard keyboard;

  keyboard_init (&keyboard, GTK_WINDOW (assistant));
  gtk_widget_grab_focus (booked);
  keyboard_press (&keyboard, GDK_KEY_Down, 0);
  g_assert_true (focus_of (assistant) == GTK_WIDGET (gtk_list_box_get_row_at_index (list, index + 1)));
  keyboard_press (&keyboard, GDK_KEY_Up, 0);
  g_assert_true (focus_of (assistant) == booked);
  keyboard_press (&keyboard, GDK_KEY_Tab, 0);
  g_assert_true (gtk_widget_is_ancestor (focus_of (assistant), find_of_type (page, ENR_TYPE_INTERACTION_EDITOR)));
  keyboard_clear (&keyboard);
}

static void
test_keyboard_tab_walk (Fixture       *fixture,
                        gconstpointer  data)
{
  EnrWindow *window = open_main_window (fixture);
  GtkStack *main_stack = GTK_STACK (gtk_widget_get_ancestor (enr_window_get_results_list (window), GTK_TYPE_STACK));
  g_autoptr(GPtrArray) stops = NULL;
  EnrCustomerView *view;
  EnrAssistant *assistant;
  GtkWidget *picker;
  GtkWidget *slots;
  EnrPage *page;

  /* The start: the header bar's controls and nothing else. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "empty");
  stops = walk_tab (GTK_WINDOW (window), gtk_stack_get_visible_child (main_stack), "Find a Customer");
  g_assert_true (gtk_widget_is_ancestor (g_ptr_array_index (stops, 0), enr_window_get_search_entry (window)));

  /* The results, after the header bar's controls. */
  search_for (window, "RPL-10");
  wait_until (results_have_rows, window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "results");
  g_clear_pointer (&stops, g_ptr_array_unref);
  stops = walk_tab (GTK_WINDOW (window), gtk_stack_get_visible_child (main_stack), "Search Results");
  /* Row by row, as GNOME's lists go, in the order shown, from the first. */
  g_assert_cmpuint (count_results (window), >, 1);
  for (guint i = 0; i < count_results (window); i++)
    g_assert_true (g_ptr_array_index (stops, i) == result_row (window, i));

  view = show_customer (window, "cust-0001");
  wait_until (customer_view_shown, window);
  g_clear_pointer (&stops, g_ptr_array_unref);
  stops = walk_tab (GTK_WINDOW (window), GTK_WIDGET (view), "Customer View");

  assistant = start_enrollment (fixture, window, "cust-0001", "Smart Thermostat Rewards");
  page = current_page (assistant);
  g_clear_pointer (&stops, g_ptr_array_unref);
  stops = walk_tab (GTK_WINDOW (assistant), GTK_WIDGET (page), "Customer panel");

  /* The other panels, with what Next needs filled in. */
  fill_interaction (page, "Phone", "Enrollment", "Verbal", "");
  press_next_to (assistant, ENR_PANEL_PROGRAM);
  page = current_page (assistant);
  answer_yes_no (page, "Do you have central air conditioning?", "Yes");
  select_item (find_by_label (page, "Do you own or rent the home?"), "Own");
  g_clear_pointer (&stops, g_ptr_array_unref);
  stops = walk_tab (GTK_WINDOW (assistant), GTK_WIDGET (page), "Program Enrollment panel");
  /* Yes and No are two stops, in that order, and Shift+Tab leaves them. */
  g_assert_cmpint (index_in (stops, find_button (page, "No")), ==, index_in (stops, find_button (page, "Yes")) + 1);

  press_next_to (assistant, ENR_PANEL_DEVICE_SETUP);
  page = current_page (assistant);
  select_item (find_by_label (page, "Installation Method"), "Utility Installation");
  wait_until (has_picker, page);
  picker = first_picker (page);
  press (enr_appointment_picker_get_offer_button (ENR_APPOINTMENT_PICKER (picker)));
  g_clear_pointer (&stops, g_ptr_array_unref);
  stops = walk_tab (GTK_WINDOW (assistant), GTK_WIDGET (page), "Device Setup panel");
  /* The list of slots is one stop (on the slot booked), after the
   * picker's choices and before the interaction details. */
  slots = enr_appointment_picker_get_slot_list (ENR_APPOINTMENT_PICKER (picker));
  g_assert_cmpuint (enr_appointment_picker_get_n_slots (ENR_APPOINTMENT_PICKER (picker)), >, 10);
  g_assert_cmpuint (count_of_type (stops, GTK_TYPE_LIST_BOX_ROW), ==, 1);
  g_assert_true (gtk_list_box_row_is_selected (g_ptr_array_index (stops, index_in (stops, slots))));
  g_assert_cmpint (index_in (stops, find_by_label (picker, "Crew Shift Type")), <,
                   index_in (stops, find_by_label (picker, "Crew")));
  g_assert_cmpint (index_in (stops, find_by_label (picker, "Crew")), <,
                   index_in (stops, find_by_label (picker, "Appointment Date")));
  g_assert_cmpint (index_in (stops, find_by_label (picker, "Appointment Date")), <, index_in (stops, slots));
  g_assert_cmpint (index_in (stops, slots), <, index_in (stops, find_by_label (page, "Channel")));
  g_assert_cmpuint (stops->len, <, 25);
  check_slot_arrows (assistant, page, g_ptr_array_index (stops, index_in (stops, slots)));

  press_next_to (assistant, ENR_PANEL_SUMMARY);
  page = current_page (assistant);
  g_clear_pointer (&stops, g_ptr_array_unref);
  stops = walk_tab (GTK_WINDOW (assistant), GTK_WIDGET (page), "Summary panel");
}

/* Process Flows, as a supervisor sees it: the filters, the dashboard's
 * charts, the list of tasks (one stop), then the selected task's
 * details and their buttons. */
static gboolean
monitor_ready (gpointer data)
{
  EnrMonitor *monitor = data;
  EnrDashboard *dashboard = ENR_DASHBOARD (enr_monitor_get_dashboard (monitor));
  GtkRevealer *revealer = GTK_REVEALER (gtk_widget_get_parent (GTK_WIDGET (dashboard)));
  GtkWidget *chart = find_by_label (dashboard, "Tasks by Status per Program");

  /* Loaded, the dashboard slid down and its chart as tall as its rows:
   * the list's and the details' heights settled. */
  return gtk_widget_get_mapped (GTK_WIDGET (monitor)) && enr_dashboard_get_stats (dashboard) != NULL &&
         !enr_dashboard_get_loading (dashboard) && g_list_model_get_n_items (G_LIST_MODEL (enr_monitor_get_model (monitor))) > 0 &&
         gtk_revealer_get_child_revealed (revealer) == gtk_revealer_get_reveal_child (revealer) &&
         (!gtk_widget_get_mapped (chart) ||
          gtk_widget_get_height (chart) == gtk_drawing_area_get_content_height (GTK_DRAWING_AREA (chart)));
}

static void
test_keyboard_tab_walk_supervisor (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GPtrArray) stops = NULL;
  GtkWidget *details;
  EnrMonitor *monitor;
  EnrWindow *window;

  enr_context_set_role (fixture->context, ENR_ROLE_SUPERVISOR);
  enr_context_set_username (fixture->context, "supervisor");
  client_add_supervisor_tasks (fixture->store, g_get_real_time () / G_USEC_PER_SEC);
  /* A supervisor's window, as in test-monitor. */
  window = enr_window_new (NULL, fixture->context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (is_mapped, window);
  monitor = ENR_MONITOR (enr_window_get_monitor (window));

  press (find_button (window, "Process Flows"));
  wait_until (monitor_ready, monitor);
  /* From the first filter (the list, focused while it filled, has no
   * item focused yet: Tab comes back to its row, not to it). */
  gtk_widget_grab_focus (find_by_label (monitor, "Filter by Customer"));
  stops = walk_tab (GTK_WINDOW (window), GTK_WIDGET (monitor), "Process Flows");
  g_assert_cmpint (index_in (stops, find_by_label (monitor, "Filter by Customer")), <,
                   index_in (stops, find_by_label (monitor, "Filter by Status")));
  g_assert_cmpint (index_in (stops, find_button (monitor, "Export…")), <,
                   index_in (stops, find_by_label (monitor, "Tasks by Status per Program")));
  g_assert_cmpint (index_in (stops, find_by_label (monitor, "Ageing of Tasks in Progress")), <,
                   index_in (stops, enr_monitor_get_column_view (monitor)));
  /* Seven tasks listed, one stop. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (enr_monitor_get_model (monitor))), ==, 7);
  g_assert_cmpuint (count_in (stops, enr_monitor_get_column_view (monitor)), ==, 1);

  /* A task selected: its details and what can be done with it. */
  select_row (monitor, "task-m-0001");
  details = enr_monitor_get_details (monitor);
  wait_until (is_mapped, find_button (details, "Reschedule…"));
  wait_until (monitor_ready, monitor);
  g_clear_pointer (&stops, g_ptr_array_unref);
  stops = walk_tab (GTK_WINDOW (window), GTK_WIDGET (monitor), "Process Flows, a task selected");
  g_assert_cmpint (index_in (stops, enr_monitor_get_column_view (monitor)), <,
                   index_in (stops, find_button (details, "Reschedule…")));
  g_assert_cmpint (index_in (stops, find_button (details, "Reschedule…")), <,
                   index_in (stops, find_button (details, "Cancel Task…")));

  /* The dashboard hidden: the list right after the filters. */
  press (find_button (monitor, "Dashboard"));
  wait_until (is_unmapped, enr_monitor_get_dashboard (monitor));
  g_clear_pointer (&stops, g_ptr_array_unref);
  stops = walk_tab (GTK_WINDOW (window), GTK_WIDGET (monitor), "Process Flows without the dashboard");
  g_assert_cmpint (index_in (stops, find_button (monitor, "Export…")) + 1, ==,
                   index_in (stops, enr_monitor_get_column_view (monitor)));
}

/* Import Enrollments…: a file of mixed rows checked in the preview (each
 * outcome and reason shown), the ready rows queued as new flows with a
 * progress bar, the per-row result exported; the same file again has
 * nothing to queue; a file that is not UTF-8 is refused whole. */
typedef struct
{
  EnrImportDialog *dialog;
  const char      *state;
} ImportWait;

static gboolean
import_state_is (gpointer data)
{
  ImportWait *wait = data;

  return g_strcmp0 (enr_import_dialog_get_state (wait->dialog), wait->state) == 0;
}

static EnrImportDialog *
open_import (Fixture    *fixture,
             EnrWindow  *window,
             const char *name,
             const char *contents,
             const char *state)
{
  g_autofree char *path = g_build_filename (fixture->directory, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  EnrImportDialog *dialog;
  ImportWait wait;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  dialog = enr_import_dialog_new (GTK_WINDOW (window), fixture->context, file);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_until (is_mapped, dialog);
  wait = (ImportWait) { dialog, state };
  wait_until (import_state_is, &wait);
  settle ();

  return dialog;
}

static void
test_import_enrollments (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char mixed[] =
    "\xef\xbb\xbf" "account,program code,start date,installation method,consent method,consent date,"
    "terms version,appointment preference,notes\r\n"
    "RPL-100185,TOU-PILOT,2026-06-15,,phone,2026-05-30 10:00,TOU-2026.1,mornings,From the mailing\r\n"
    "RPL-999999,TOU-PILOT,2026-06-15,,,,,,\r\n"
    "RPL-100259,NOPE,2026-06-15,,,,,,\r\n"
    "RPL-100185,TOU-PILOT,2026-06-20,,,,,,\r\n"
    "RPL-100111,TSTAT-DR,2026-06-15,,,,,,\r\n"
    "RPL-100370,PEAK-CG-2026,2026-06-15,,,,,,\r\n";
  EnrWindow *window = open_main_window (fixture);
  EnrImportDialog *dialog;
  EnrEnrollmentImport *import;
  gpointer weak;
  ImportWait wait;
  g_autofree char *results = g_build_filename (fixture->directory, "results.csv", NULL);
  g_autoptr(GFile) results_file = g_file_new_for_path (results);
  g_autofree char *exported = NULL;
  g_autoptr(GError) error = NULL;

  dialog = open_import (fixture, window, "enrollments.csv", mixed, ENR_IMPORT_STATE_PREVIEWED);
  import = enr_import_dialog_get_import (dialog);
  g_assert_cmpuint (enr_enrollment_import_count (import, ENR_IMPORT_OUTCOME_READY), ==, 2);
  g_assert_cmpuint (enr_enrollment_import_count (import, ENR_IMPORT_OUTCOME_REFUSED), ==, 4);
  wait_for_text (dialog, "enrollments.csv: 6 rows, 2 ready, 4 refused");
  wait_for_text (dialog, "There is no customer with the account “RPL-999999”");
  wait_for_text (dialog, "There is no program with the code “NOPE”");
  wait_for_text (dialog, "The same enrollment as line 2 of the file");
  wait_for_text (dialog, "Dorothy Nguyen");

  /* Every control is named for assistive technology. */
  g_assert_nonnull (find_by_label (dialog, "Rows of the File"));
  g_assert_nonnull (find_button (dialog, "Close"));
  g_assert_nonnull (find_button (dialog, "Export Results…"));
  g_assert_cmpuint (count_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK), ==, 0);
  screenshot (GTK_WIDGET (dialog), "import-preview");

  press (find_button (dialog, "Queue Ready Rows"));
  wait = (ImportWait) { dialog, ENR_IMPORT_STATE_QUEUED };
  wait_until (import_state_is, &wait);
  wait_for_text (dialog, "enrollments.csv: 2 queued, 4 refused, 0 not queued");
  g_assert_cmpuint (count_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK), ==, 2);
  g_assert_false (gtk_widget_get_sensitive (find_button (dialog, "Queue Ready Rows")));
  screenshot (GTK_WIDGET (dialog), "import-queued");

  g_assert_true (enr_import_dialog_export (dialog, results_file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (results, &exported, NULL, NULL));
  g_assert_nonnull (strstr (exported, "\r\n2,RPL-100185,TOU-PILOT,queued,Queued,,task-"));
  g_assert_nonnull (strstr (exported, "\r\n4,RPL-100259,NOPE,refused,Refused,There is no program with the code “NOPE”,\r\n"));

  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  press (find_button (dialog, "Close"));
  wait_until (is_null, &weak);

  /* The same file again: nothing new to queue. */
  dialog = open_import (fixture, window, "enrollments.csv", mixed, ENR_IMPORT_STATE_PREVIEWED);
  g_assert_cmpuint (enr_enrollment_import_count (enr_import_dialog_get_import (dialog), ENR_IMPORT_OUTCOME_READY), ==, 0);
  wait_for_text (dialog, "An enrollment in Time-of-Use Pilot is already in progress for the customer");
  g_assert_false (gtk_widget_get_sensitive (find_button (dialog, "Queue Ready Rows")));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Not UTF-8: refused whole, the reason shown. */
  dialog = open_import (fixture, window, "latin1.csv",
                        "account,program code,start date,installation method,consent method,consent date,"
                        "terms version\r\nRPL-100185,TOU-PILOT,2026-06-15,,,,Caf\xe9\r\n",
                        ENR_IMPORT_STATE_REFUSED);
  wait_for_text (dialog, "Line 2 is not UTF-8 text. Save the file as “CSV UTF-8” and import it again");
  wait_for_text (dialog, "latin1.csv cannot be imported");
  g_assert_false (gtk_widget_get_sensitive (find_button (dialog, "Queue Ready Rows")));
  g_assert_false (gtk_widget_get_sensitive (find_button (dialog, "Export Results…")));
  screenshot (GTK_WIDGET (dialog), "import-refused");
  g_assert_cmpuint (count_operations (fixture, ENR_OPERATION_KIND_CREATE_TASK), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  enr_gui_init ();
  enr_gui_load_style ();

  g_test_add ("/ui/search-and-customer-view", Fixture, NULL,
              fixture_set_up, test_search_and_customer_view, fixture_tear_down);
  g_test_add ("/ui/search-keyboard", Fixture, NULL,
              fixture_set_up, test_search_keyboard, fixture_tear_down);
  g_test_add ("/ui/search-relabel-redraws", Fixture, NULL,
              fixture_set_up, test_search_relabel_redraws, fixture_tear_down);
  g_test_add ("/ui/search-rows-below-view", Fixture, NULL,
              fixture_set_up, test_search_rows_below_view, fixture_tear_down);
  g_test_add ("/ui/customer-view-background-change", Fixture, NULL,
              fixture_set_up, test_customer_view_background_change, fixture_tear_down);
  g_test_add ("/ui/customer-view-column-width", Fixture, NULL,
              fixture_set_up, test_customer_view_column_width, fixture_tear_down);
  g_test_add ("/ui/full-enrollment-with-appointment", Fixture, NULL,
              fixture_set_up, test_full_enrollment_with_appointment, fixture_tear_down);
  g_test_add ("/ui/letter-after-finish", Fixture, NULL,
              fixture_set_up, test_letter_after_finish, fixture_tear_down);
  g_test_add ("/ui/location-not-required", Fixture, NULL,
              fixture_set_up, test_location_not_required_skips_device_setup, fixture_tear_down);
  g_test_add ("/ui/ineligible-customer", Fixture, NULL,
              fixture_set_up, test_ineligible_customer, fixture_tear_down);
  g_test_add ("/ui/reenroll-requires-a-device", Fixture, NULL,
              fixture_set_up, test_reenroll_requires_a_device, fixture_tear_down);
  g_test_add ("/ui/unenrollment-with-utility-removal", Fixture, NULL,
              fixture_set_up, test_unenrollment_with_utility_removal, fixture_tear_down);
  g_test_add ("/ui/switch-writes-draft-after-frame", Fixture, NULL,
              fixture_set_up, test_switch_writes_draft_after_frame, fixture_tear_down);
  g_test_add ("/ui/switch-keeps-size-request", Fixture, NULL,
              fixture_set_up, test_switch_keeps_size_request, fixture_tear_down);
  g_test_add ("/ui/hidden-panels-prepared", Fixture, NULL,
              fixture_set_up, test_hidden_panels_prepared, fixture_tear_down);
  g_test_add ("/ui/save-and-resume", Fixture, NULL,
              fixture_set_up, test_save_and_resume, fixture_tear_down);
  g_test_add ("/ui/close-with-unsaved-changes", Fixture, NULL,
              fixture_set_up, test_close_with_unsaved_changes_asks, fixture_tear_down);
  g_test_add ("/ui/cancel-process", Fixture, NULL,
              fixture_set_up, test_cancel_process, fixture_tear_down);
  g_test_add ("/ui/cancel-from-customer-view", Fixture, NULL,
              fixture_set_up, test_cancel_from_customer_view, fixture_tear_down);
  g_test_add ("/ui/validation-errors", Fixture, NULL,
              fixture_set_up, test_validation_errors_next_to_fields, fixture_tear_down);
  g_test_add ("/ui/keyboard-full-enrollment", Fixture, NULL,
              fixture_set_up, test_keyboard_full_enrollment, fixture_tear_down);
  g_test_add ("/ui/keyboard-unenrollment", Fixture, NULL,
              fixture_set_up, test_keyboard_unenrollment, fixture_tear_down);
  g_test_add ("/ui/import-enrollments", Fixture, NULL,
              fixture_set_up, test_import_enrollments, fixture_tear_down);
  g_test_add ("/ui/consent-in-a-walk", Fixture, NULL,
              fixture_set_up, test_consent_in_a_walk, fixture_tear_down);
  g_test_add ("/ui/keyboard-tab-walk", Fixture, NULL,
              fixture_set_up, test_keyboard_tab_walk, fixture_tear_down);
  g_test_add ("/ui/keyboard-tab-walk-supervisor", Fixture, NULL,
              fixture_set_up, test_keyboard_tab_walk_supervisor, fixture_tear_down);

  return g_test_run ();
}

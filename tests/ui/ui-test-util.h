/* ui-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "client-test-util.h"
#include "enr-application.h"
#include "enr-assistant.h"
#include "enr-monitor.h"
#include "enr-service-task.h"
#include "enr-store.h"
#include "enr-sync-engine.h"
#include "enr-window.h"

G_BEGIN_DECLS

/* Waiting: bounded iterations of the default main context */

/* How long wait_until() and press() wait before failing the test. */
extern gint64 ui_test_timeout_us;

/* How long wait_long() waits: for what crosses a real service. */
#define UI_TEST_SYNC_TIMEOUT_US (60 * G_USEC_PER_SEC)

typedef gboolean (*Matcher) (GtkWidget *widget, gconstpointer data);

#define wait_until(cond, data) g_assert_true (wait_until_impl ((cond), (data), #cond, ui_test_timeout_us))
#define wait_long(cond, data) g_assert_true (wait_until_impl ((cond), (data), #cond, UI_TEST_SYNC_TIMEOUT_US))

gboolean wait_until_impl (gboolean  (*condition) (gpointer),
                          gpointer    data,
                          const char *what,
                          gint64      timeout_us);
/* Lets pending idle work, layout and drawing run, for a bounded time. */
void settle (void);
/* Waits until the idle work queued so far (a reload after a store
 * change, a deferred destroy) has run: for checking that something did
 * not happen. */
void wait_for_pending_work (void);
gboolean is_mapped (gpointer widget);
gboolean is_unmapped (gpointer widget);
/* DATA points to a gboolean. */
gboolean is_true (gpointer data);
/* DATA points to a pointer (a weak pointer, say). */
gboolean is_null (gpointer data);

/* Finding widgets */

GtkWidget * find_widget (GtkWidget     *root,
                         Matcher        matcher,
                         gconstpointer  data);
/* find_widget() among visible widgets, mapped or not. */
GtkWidget * find_hidden_widget (GtkWidget     *root,
                                Matcher        matcher,
                                gconstpointer  data);
GtkWidget * find_by_label (gpointer    root,
                           const char *label);
GtkWidget * find_button (gpointer    root,
                         const char *label);
/* Matches a widget whose accessible label is DATA (a plain GtkLabel showing
 * DATA is its visible text, not the control it names). */
gboolean match_label (GtkWidget     *widget,
                      gconstpointer  data);
gboolean match_button (GtkWidget     *widget,
                       gconstpointer  data);
gboolean has_accessible_label (GtkWidget  *widget,
                               const char *label);
/* Matches a GtkLabel, or a list cell's GtkInscription, whose text
 * contains DATA. */
gboolean label_text_contains (GtkWidget     *widget,
                              gconstpointer  data);
/* Whether a mapped label (or cell) under ROOT shows TEXT. */
gboolean shows_text (gpointer    root,
                     const char *text);
/* Wait conditions on shows_text(); DATA is a TextWait. */
typedef struct
{
  gpointer    root;
  const char *text;
} TextWait;

gboolean text_shown (gpointer data);
gboolean text_gone (gpointer data);
#define wait_for_text(root, str) \
  G_STMT_START { TextWait text_wait_ = { (root), (str) }; wait_until (text_shown, &text_wait_); } G_STMT_END
#define wait_for_text_gone(root, str) \
  G_STMT_START { TextWait text_wait_ = { (root), (str) }; wait_until (text_gone, &text_wait_); } G_STMT_END
/* The first mapped toplevel of TYPE, or NULL. */
gpointer find_toplevel (GType type);
/* Wait conditions on find_toplevel(); TYPE is a GType in a pointer
 * (GSIZE_TO_POINTER). */
gboolean toplevel_shown (gpointer type);
gboolean toplevel_gone (gpointer type);
/* Waits until a toplevel of TYPE is shown and returns it. */
gpointer wait_for_toplevel (GType type);
/* The mapped GtkMessageDialog with CSS_CLASS (any one if NULL), or NULL. */
GtkWindow * find_message_dialog (const char *css_class);
gboolean message_dialog_open (gpointer css_class);

/* Acting */

void on_clicked_cb (GtkButton *button,
                    gboolean  *clicked);
/* Activates BUTTON (it must be sensitive) and waits for its "clicked". */
void press (GtkWidget *button);
/* Focuses EDITABLE and sets its text, as typing it does. */
void type_text (GtkWidget  *editable,
                const char *text);
/* GTK 4 has no public way to synthesize key events: the key controllers
 * of WIDGET get the key press as GTK would deliver it. */
void press_key (GtkWidget *widget,
                guint      keyval);
/* Selects the item ITEM of the GtkDropDown DROP_DOWN (a GtkStringList). */
void select_item (GtkWidget  *drop_down,
                  const char *item);
/* Selects the first item of DROP_DOWN that starts with PREFIX. */
void select_item_starting (GtkWidget  *drop_down,
                           const char *prefix);
/* Whether WIDGET is marked invalid, for assistive technology and to the eye. */
gboolean is_invalid (GtkWidget *widget);
/* Wait condition: the EnrAppointmentPicker PICKER offers slots. */
gboolean picker_has_slots (gpointer picker);
/* In the EnrAppointmentPicker PICKER: the Crew Shift Type starting with
 * SHIFT_TYPE, the crew CREW, then the first available slot. */
void pick_first_slot (GtkWidget  *picker,
                      const char *shift_type,
                      const char *crew);
/* Selects TASK_ID in the list of MONITOR, as a click on its row does; the
 * task must be listed. */
void select_row (EnrMonitor *monitor,
                 const char *task_id);

/* The keyboard, as a clerk uses it */

/* Delivers the key press KEYVAL with MODIFIERS to WINDOW as GTK does: the
 * key and shortcut controllers (widget class key bindings included) of
 * the widgets from the window down to its focus widget (capture phase),
 * then from the focus widget up (target and bubble phases). Returns
 * whether one of them handled it. */
gboolean send_key (GtkWindow       *window,
                   guint            keyval,
                   GdkModifierType  modifiers);

/* Counts what a clerk does: every key pressed and every field typed. */
typedef struct
{
  GtkWindow *window;   /* the active window, where keys go */
  guint      actions;  /* keys + fields */
  guint      keys;     /* key presses */
  guint      fields;   /* fields typed */
  GString   *log;
} Keyboard;

void keyboard_init (Keyboard  *keyboard,
                    GtkWindow *window);
void keyboard_clear (Keyboard *keyboard);
/* The window keys go to from now on (a new assistant, the main window
 * once it closed). */
void keyboard_set_window (Keyboard  *keyboard,
                          GtkWindow *window);
/* One key press (asserted handled), then, once the main loop handled
 * it (bounded), the focus check; a key that closed its window (Finish)
 * hands the keyboard to the window it was over. */
void keyboard_press (Keyboard        *keyboard,
                     guint            keyval,
                     GdkModifierType  modifiers);
/* One typed field: TEXT into the focused entry or text view, then the
 * focus check (still in the field). */
void keyboard_type (Keyboard   *keyboard,
                    const char *text);
/* The focus is in the active window, on a control a person can use:
 * never lost, never on a label or a container. */
void keyboard_assert_focus (Keyboard *keyboard);
/* Whether WIDGET is a control a keyboard user acts on. */
gboolean is_interactive (GtkWidget *widget);
/* The focus widget of WINDOW. */
GtkWidget * focus_of (gpointer window);

/* Screenshots */

/* Renders WIDGET (a window or a popover) to
 * $G_TEST_BUILDDIR/screenshots/NAME.png once it is painted and no stack
 * transition runs. ENR_UI_LINGER=NAME stays on that screen for 40 s, for
 * a look at it with assistive technology (../shared/tools/look). */
void screenshot (GtkWidget  *widget,
                 const char *name);

/* Fixtures (the data ones are tests/client's: client-test-util.h) */

/* Destroys every toplevel, then settles. */
void destroy_toplevels (void);

/* The application against a real service */

/* Initializes a test program that runs the application: no session bus,
 * GTK and the client initialized, longer waits than wait_until()'s
 * default (requests cross a real service). */
void online_test_init (int    *argc,
                       char ***argv);

/* The application's settings for a run against SERVICE_URL (no CA file,
 * no remembered user or customer), its store at STORE_PATH
 * ($ENR_STORE_PATH). */
GSettings * online_settings (const char *service_url,
                             const char *store_path);
/* A new EnrApplication, not unique. */
EnrApplication * new_application (void);
/* Destroys the toplevels, drops *APP and asserts it was finalized. */
void release_application (EnrApplication **app);

typedef void (*UiSteps) (gpointer data);

/* Runs APP and, once it is active and its main window shown, STEPS
 * (DATA) from an idle callback; then destroys the windows and quits. */
void run_app (EnrApplication *app,
              UiSteps         steps,
              gpointer        data);
/* The same with command-line OPTIONS (NULL-terminated), as typed. */
void run_app_with_options (EnrApplication     *app,
                           const char * const *options,
                           UiSteps             steps,
                           gpointer            data);
EnrContext * app_context (EnrApplication *app);
EnrSyncEngine * app_engine (EnrApplication *app);
/* The application's mapped main window (asserted). */
EnrWindow * main_window (void);
/* Wait conditions on the sync engine of the EnrApplication APP. */
gboolean engine_idle (gpointer app);
gboolean has_conflict (gpointer app);
/* Signs in through the sign-in dialog, as a person does, and waits for
 * the first download. */
void sign_in (EnrApplication *app,
              const char     *username,
              const char     *password);

/* The assistant */

typedef struct
{
  EnrAssistant *assistant;
  EnrPanel      panel;
} PanelWait;

/* Wait condition: the PanelWait DATA's assistant shows its panel. */
gboolean is_on_panel (gpointer data);
/* Presses Next and waits until ASSISTANT shows the panel EXPECTED. */
void press_next_to (EnrAssistant *assistant,
                    EnrPanel      expected);

G_END_DECLS

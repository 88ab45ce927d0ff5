/* enr-task-dialog.c — a supervisor's dialog that changes one service task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the Process Flows view's task dialogs (Cancel Task, Reschedule)
 * share: a modal window over the view's, destroyed with it, for one task
 * of a context; Escape and the dismissing button ("window.close" in the
 * templates) close it; once the change is in the store, queued for the
 * service, it emits "done" and closes, else it shows why in its error
 * label (enr_task_dialog_finish()).
 */

#include "config.h"

#include "enr-task-dialog.h"

typedef struct
{
  EnrContext     *context;
  EnrServiceTask *task;
} EnrTaskDialogPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (EnrTaskDialog, enr_task_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_TASK,
  N_PROPS
};

enum {
  DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
enr_task_dialog_dispose (GObject *object)
{
  EnrTaskDialog *self = (EnrTaskDialog *) object;
  EnrTaskDialogPrivate *priv = enr_task_dialog_get_instance_private (self);

  g_clear_object (&priv->task);
  g_clear_object (&priv->context);

  G_OBJECT_CLASS (enr_task_dialog_parent_class)->dispose (object);
}

static void
enr_task_dialog_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EnrTaskDialog *self = ENR_TASK_DIALOG (object);
  EnrTaskDialogPrivate *priv = enr_task_dialog_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, priv->context);
      break;

    case PROP_TASK:
      g_value_set_object (value, priv->task);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_task_dialog_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EnrTaskDialog *self = ENR_TASK_DIALOG (object);
  EnrTaskDialogPrivate *priv = enr_task_dialog_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;

    case PROP_TASK:
      priv->task = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
enr_task_dialog_class_init (EnrTaskDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = enr_task_dialog_dispose;
  object_class->get_property = enr_task_dialog_get_property;
  object_class->set_property = enr_task_dialog_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ENR_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL,
                         ENR_TYPE_SERVICE_TASK,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EnrTaskDialog::done:
   *
   * The change is in the store, queued for the service.
   */
  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
enr_task_dialog_init (EnrTaskDialog *self)
{
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
}

/**
 * enr_task_dialog_get_context:
 *
 * Returns: (transfer none): the context the task is changed in
 */
EnrContext *
enr_task_dialog_get_context (EnrTaskDialog *self)
{
  EnrTaskDialogPrivate *priv = enr_task_dialog_get_instance_private (self);

  g_return_val_if_fail (ENR_IS_TASK_DIALOG (self), NULL);

  return priv->context;
}

/**
 * enr_task_dialog_get_task:
 *
 * Returns: (transfer none): the task the dialog changes
 */
EnrServiceTask *
enr_task_dialog_get_task (EnrTaskDialog *self)
{
  EnrTaskDialogPrivate *priv = enr_task_dialog_get_instance_private (self);

  g_return_val_if_fail (ENR_IS_TASK_DIALOG (self), NULL);

  return priv->task;
}

/**
 * enr_task_dialog_finish:
 * @error_label: where the dialog says why the change was not made
 * @error: (nullable): why the change was not made; %NULL when it was
 *
 * After the change: without @error, emits "done" and closes; with it,
 * shows its message in @error_label and stays open.
 */
void
enr_task_dialog_finish (EnrTaskDialog *self,
                        GtkLabel      *error_label,
                        const GError  *error)
{
  g_return_if_fail (ENR_IS_TASK_DIALOG (self));
  g_return_if_fail (GTK_IS_LABEL (error_label));

  if (error != NULL)
    {
      gtk_label_set_text (error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
      return;
    }

  g_signal_emit (self, signals[DONE], 0);
  gtk_window_close (GTK_WINDOW (self));
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-window"

/* The window's actions: one callback each, their shortcuts, and the one
 * function that sets which are enabled. */

#include "config.h"

#include <glib/gi18n.h>

#include "nns-file.h"
#include "nns-model-file.h"
#include "nns-pytorch.h"
#include "nns-window-private.h"

static void
on_confirmed_new (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NnsWindow *self = NNS_WINDOW (source);

  if (_nns_window_confirm_discard_finish (self, result) && self->document != NULL)
    nns_window_new_document (self);
}

static void
on_confirmed_open (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NnsWindow *self = NNS_WINDOW (source);

  if (_nns_window_confirm_discard_finish (self, result) && self->document != NULL)
    _nns_window_show_file_dialog (self, PURPOSE_OPEN);
}

static void
document_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  NnsWindow *self = NNS_WINDOW (widget);

  if (g_str_equal (action_name, "win.new"))
    _nns_window_confirm_discard_async (self, on_confirmed_new, NULL);
  else if (g_str_equal (action_name, "win.open"))
    _nns_window_confirm_discard_async (self, on_confirmed_open, NULL);
  else if (g_str_equal (action_name, "win.import-pytorch"))
    nns_window_show_import_dialog (self);  /* an edit: nothing to save first */
  else if (g_str_equal (action_name, "win.save"))
    _nns_window_save_async (self, FALSE, NULL, NULL);  /* a failure toasts itself */
  else if (g_str_equal (action_name, "win.save-as"))
    _nns_window_save_async (self, TRUE, NULL, NULL);
}

gboolean
nns_window_load_weights (NnsWindow *self, GFile *file, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (NnsModelFile) model = NULL;
  g_autoptr (NnsWeights) weights = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  gsize length = 0;

  g_return_val_if_fail (NNS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_file_get_basename (file);
  contents = nns_file_read (file, TRUE, &length, &local_error);
  if (contents != NULL)
    {
      g_autoptr (GError) read_error = NULL;

      model = nns_model_file_load ((const guint8 *) contents, length, &read_error);
      if (model != NULL)
        weights = nns_model_file_weights_for (model, self->network, &read_error);
      if (weights == NULL)
        g_set_error (&local_error, read_error->domain, read_error->code, "%s: %s", name,
                     read_error->message);
    }
  if (weights == NULL || !nns_document_set_weights (self->document, weights, &local_error))
    {
      _nns_window_show_toast (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  {
    g_autofree char *text = g_strdup_printf (_("Loaded the weights of %s"), name);

    _nns_window_show_toast (self, text);
  }
  return TRUE;
}

static void
load_weights_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  _nns_window_show_file_dialog (NNS_WINDOW (widget), PURPOSE_LOAD_WEIGHTS);
}

static void
open_recent_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_autoptr (GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));

  _nns_window_open_file_confirmed (NNS_WINDOW (widget), file);
}

static void
copy_pytorch_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  NnsWindow *self = NNS_WINDOW (widget);
  g_autofree char *code = nns_pytorch_export (self->network);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), code);
  _nns_window_show_toast (self, _("Copied PyTorch code"));
}

static void
history_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  NnsWindow *self = NNS_WINDOW (widget);

  /* The network and the document's own style; never the user's defaults. */
  if (g_str_equal (action_name, "win.undo"))
    nns_document_undo (self->document);
  else
    nns_document_redo (self->document);
}

static void
add_layer_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  NnsWindow *self = NNS_WINDOW (widget);
  g_autoptr (GError) error = NULL;

  if (!nns_window_add_hidden_layer (self, &error))
    _nns_window_show_toast (self, error->message);
}

static void
zoom_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  NnsWindow *self = NNS_WINDOW (widget);

  if (g_str_equal (action_name, "win.zoom-in"))
    nns_canvas_zoom_in (self->canvas);
  else if (g_str_equal (action_name, "win.zoom-out"))
    nns_canvas_zoom_out (self->canvas);
  else
    nns_canvas_zoom_fit (self->canvas);
}

static void
clear_selection_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  nns_canvas_clear_selection (NNS_WINDOW (widget)->canvas);
}

/* Undo and Redo follow the document; Add Hidden Layer the layer limit; Save
 * and Save As wait while the file is written. */
void
_nns_window_update_actions (NnsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "win.undo",
                                 self->document != NULL && nns_document_get_can_undo (self->document));
  gtk_widget_action_set_enabled (widget, "win.redo",
                                 self->document != NULL && nns_document_get_can_redo (self->document));
  gtk_widget_action_set_enabled (widget, "win.add-layer",
                                 self->network != NULL
                                 && nns_network_get_n_layers (self->network) < NNS_LAYERS_MAX);
  gtk_widget_action_set_enabled (widget, "win.save", !self->writing);
  gtk_widget_action_set_enabled (widget, "win.save-as", !self->writing);
  /* Stays disabled: the placeholder of an empty "Open Recent". */
  gtk_widget_action_set_enabled (widget, "win.no-recent", FALSE);
}

/* The last import's notes, one a line. */
static void
show_import_notes_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  NnsWindow *self = NNS_WINDOW (widget);
  GtkWidget *dialog;

  if (self->import_notes == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Import Notes"), NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), self->import_notes);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_nns_window_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-import-notes", NULL,
                                   show_import_notes_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, _nns_window_export_action);
  gtk_widget_class_install_action (widget_class, "win.export-format", "s", _nns_window_export_format_action);
  gtk_widget_class_install_action (widget_class, "win.add-layer", NULL, add_layer_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.clear-selection", NULL,
                                   clear_selection_action);
  gtk_widget_class_install_action (widget_class, "win.new", NULL, document_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, document_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, document_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, document_action);
  gtk_widget_class_install_action (widget_class, "win.import-pytorch", NULL, document_action);
  gtk_widget_class_install_action (widget_class, "win.copy-pytorch", NULL, copy_pytorch_action);
  gtk_widget_class_install_action (widget_class, "win.load-weights", NULL, load_weights_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  /* Stays disabled: the placeholder of an empty "Open Recent". */
  gtk_widget_class_install_action (widget_class, "win.no-recent", NULL, NULL);
  gtk_widget_class_install_property_action (widget_class, "win.show-all-neurons",
                                            "show-all-neurons");
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, history_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.import-pytorch", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.clear-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "win.show-layers", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.show-capacity", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.show-train", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-all-neurons", NULL);
}

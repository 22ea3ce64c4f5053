/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "nns-capacity-panel.h"
#include "nns-document.h"
#include "nns-params.h"
#include "nns-preferences-window.h"
#include "nns-pytorch.h"
#include "nns-window.h"
#include "nns-window-private.h"
#include "nns-window-testing.h"
#include "nns-import-dialog.h"


G_DEFINE_FINAL_TYPE (NnsWindow, nns_window, ADW_TYPE_APPLICATION_WINDOW)

enum { PROP_0, PROP_SHOW_ALL_NEURONS, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* Recent files carry this application name, so "Open Recent" lists only ours. */
#define RECENT_APP_NAME "nnsketch"
#define RECENT_APP_EXEC "nnsketch %u"
#define RECENT_MAX_ITEMS 8

void
_nns_window_show_toast (NnsWindow *self, const char *text)
{
  AdwToast *toast;

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  if (self->toast_overlay == NULL)
    return;  /* the window is gone */
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_row_error (NnsWindow *self, const char *message, NnsLayerRow *row)
{
  _nns_window_show_toast (self, message);
}

/* --- layer editor --- */

static void connect_row (NnsWindow *self, NnsLayerRow *row);

static NnsLayerRow *
get_row (NnsWindow *self, guint index)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_box));

  /* The input row comes first. */
  child = gtk_widget_get_next_sibling (child);
  for (guint i = 0; child != NULL && i < index; i++)
    child = gtk_widget_get_next_sibling (child);
  return child != NULL ? NNS_LAYER_ROW (child) : NULL;
}

static guint
count_rows (NnsWindow *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n - 1;
}

/* One row per dense layer: rows are reused (only the count changes) so a
 * structural edit keeps the widgets the user is working with. */
static void
sync_rows (NnsWindow *self)
{
  guint n_layers = nns_network_get_n_layers (self->network);
  guint n_rows = count_rows (self);

  while (n_rows > n_layers)
    {
      gtk_box_remove (self->rows_box, gtk_widget_get_last_child (GTK_WIDGET (self->rows_box)));
      n_rows--;
    }
  while (n_rows < n_layers)
    {
      NnsLayerRow *row = nns_layer_row_new (self->network, n_rows);

      connect_row (self, row);
      gtk_box_append (self->rows_box, GTK_WIDGET (row));
      n_rows++;
    }
  nns_layer_row_refresh (self->input_row);
  for (guint i = 0; i < n_layers; i++)
    nns_layer_row_set_index (get_row (self, i), i);

  _nns_window_update_actions (self);
}

static void
update_info (NnsWindow *self)
{
  g_autofree char *total = nns_format_total (self->network);
  guint column, neuron;

  gtk_label_set_text (self->total_label, total);

  /* Also guards against a selection the canvas has not dropped yet. */
  if (nns_canvas_get_selection (self->canvas, &column, &neuron)
      && column <= nns_network_get_n_layers (self->network)
      && neuron < nns_network_get_column_width (self->network, column))
    {
      g_autofree char *text = nns_format_neuron (self->network, column, neuron);

      gtk_label_set_text (self->info_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->info_label), "dim-label");
    }
  else
    {
      gtk_label_set_text (self->info_label,
                          _("Click a neuron to see its connections and parameters"));
      gtk_widget_add_css_class (GTK_WIDGET (self->info_label), "dim-label");
    }
}

/* The info line and the inspector show the selected neuron, read from the
 * canvas's NnsNeuronSelection when it changes and after an edit of the
 * layers (the selection has followed the edit by then: the canvas connects
 * to the network first). */
static void
sync_selection (NnsWindow *self)
{
  guint column = 0, neuron = 0;
  gboolean active = nns_canvas_get_selection (self->canvas, &column, &neuron);

  update_info (self);
  nns_inspector_set_neuron (self->inspector, active, column, neuron);
}

static void
on_network_changed (NnsWindow *self, const NnsChange *change, NnsNetwork *network)
{
  NnsLayerRow *row;

  switch (change->kind)
    {
    case NNS_CHANGE_INPUT_SHAPE:
      nns_layer_row_refresh (self->input_row);
      break;
    case NNS_CHANGE_INPUT:
      nns_layer_row_refresh (self->input_row);
      if ((row = get_row (self, 0)) != NULL)
        nns_layer_row_refresh (row);
      break;
    case NNS_CHANGE_UNITS:
      /* Update in place: a dragged slider keeps its grab. */
      if ((row = get_row (self, change->layer)) != NULL)
        nns_layer_row_refresh (row);
      if ((row = get_row (self, change->layer + 1)) != NULL)
        nns_layer_row_refresh (row);
      break;
    case NNS_CHANGE_BIAS:
    case NNS_CHANGE_ACTIVATION:
    case NNS_CHANGE_NAME:
      if ((row = get_row (self, change->layer)) != NULL)
        nns_layer_row_refresh (row);
      break;
    case NNS_CHANGE_INSERT:
    case NNS_CHANGE_REMOVE:
    case NNS_CHANGE_MOVE:
    case NNS_CHANGE_RESET:
    default:
      sync_rows (self);
      break;
    }
  /* The document records the edit as an undo step itself. A selection
   * that the edit moved or dropped has been announced by the selection;
   * a layer added, removed or moved changes what the same neuron is. */
  if (change->kind == NNS_CHANGE_INSERT || change->kind == NNS_CHANGE_REMOVE
      || change->kind == NNS_CHANGE_MOVE || change->kind == NNS_CHANGE_RESET)
    sync_selection (self);
  else
    update_info (self);
}

static void
on_slide_begin (NnsWindow *self, NnsLayerRow *row)
{
  self->sliding++;
  nns_document_begin_group (self->document);
}

static void
on_slide_end (NnsWindow *self, NnsLayerRow *row)
{
  if (self->sliding == 0)
    return;
  self->sliding--;
  nns_document_end_group (self->document);
}

static void
connect_row (NnsWindow *self, NnsLayerRow *row)
{
  g_signal_connect_object (row, "error", G_CALLBACK (on_row_error), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "slide-begin", G_CALLBACK (on_slide_begin), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "slide-end", G_CALLBACK (on_slide_end), self, G_CONNECT_SWAPPED);
}


gboolean
nns_window_add_hidden_layer (NnsWindow *self, GError **error)
{
  guint output = nns_network_get_n_layers (self->network) - 1;
  guint units = nns_network_get_in_features (self->network, output);

  return nns_network_insert_layer (self->network, output, units > 0 ? units : 16, error);
}

/* A narrow window (the layer list folded over the drawing) keeps its header
 * bar within the width: Open, Save and the capacity toggle stay in the
 * main menu, Export shows its icon only, and the Layers button brings the list
 * back (also shown whenever the list is hidden). */
static gboolean
update_narrow_now (gpointer data)
{
  NnsWindow *self = data;
  gboolean folded = adw_flap_get_folded (self->flap);

  self->narrow_idle = 0;
  gtk_widget_set_visible (self->layers_button, folded || !adw_flap_get_reveal_flap (self->flap));
  gtk_widget_set_visible (self->open_button, !folded);
  gtk_widget_set_visible (self->capacity_button, !folded);
  gtk_widget_set_visible (self->train_button, !folded);
  gtk_widget_set_visible (self->save_button, !folded);
  adw_button_content_set_label (self->export_content, folded ? "" : _("_Export"));
  return G_SOURCE_REMOVE;
}

/* The flap folds while it is being allocated: the header bar changes after
 * that frame, not under it. */
static void
update_narrow (NnsWindow *self)
{
  if (self->narrow_idle == 0)
    self->narrow_idle = g_idle_add (update_narrow_now, self);
}

/* --- style --- */

/* The canvas draws the document's style in the system's theme. */
static void
apply_style (NnsWindow *self)
{
  self->render_style = *nns_document_get_style (self->document);
  self->render_style.theme = self->theme;
  nns_canvas_set_style (self->canvas, &self->render_style);
  gtk_revealer_set_reveal_child (self->inspector_revealer, self->render_style.weight_colors);
}

static void
on_dark_changed (NnsWindow *self, GParamSpec *pspec, AdwStyleManager *manager)
{
  self->theme = adw_style_manager_get_dark (manager) ? NNS_THEME_DARK : NNS_THEME_LIGHT;
  apply_style (self);
}

static void
on_style_changed (NnsWindow *self, NnsDocument *document)
{
  gboolean show_all = self->render_style.show_all_neurons;

  apply_style (self);
  if (show_all != self->render_style.show_all_neurons)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_ALL_NEURONS]);
}

/* The user's defaults changed (the preferences' "Use as Default", another
 * window, dconf): the document follows them where it has no option of its own. */
static void
on_settings_changed (NnsWindow *self, const char *key, GSettings *settings)
{
  NnsStyle defaults;

  if (nns_style_find_settings_key (key) == NULL)
    return;
  nns_style_init_default (&defaults);
  nns_settings_get_style (settings, &defaults);
  nns_document_set_defaults (self->document, &defaults);
}

gboolean
nns_window_get_show_all_neurons (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), FALSE);
  /* The property action reads it while the window is built, before the document. */
  return self->document != NULL && nns_document_get_style (self->document)->show_all_neurons;
}

void
nns_window_set_show_all_neurons (NnsWindow *self, gboolean show_all)
{
  NnsStyle style;

  g_return_if_fail (NNS_IS_WINDOW (self));

  style = *nns_document_get_style (self->document);
  style.show_all_neurons = !!show_all;
  nns_document_set_style (self->document, &style, "show-all-neurons");
}

/* --- documents --- */


void
_nns_window_update_title (NnsWindow *self)
{
  g_autofree char *name = nns_document_dup_display_name (self->document);
  g_autofree char *title = NULL;
  g_autofree char *window_title = NULL;
  g_autofree char *folder = NULL;
  const char *path = nns_document_get_path (self->document);
  gboolean modified = nns_document_get_modified (self->document);

  title = modified ? g_strdup_printf ("• %s", name) : g_strdup (name);
  adw_window_title_set_title (self->window_title, title);
  if (path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      const char *home = g_get_home_dir ();

      if (g_str_has_prefix (dir, home) && (dir[strlen (home)] == '/' || dir[strlen (home)] == '\0'))
        folder = g_strconcat ("~", dir + strlen (home), NULL);
      else
        folder = g_steal_pointer (&dir);
    }
  adw_window_title_set_subtitle (self->window_title, folder != NULL ? folder : "");
  /* Translators: the window title, "lesson.nnsketch — NN Sketch" */
  window_title = g_strdup_printf (_("%s — NN Sketch"), title);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

static void
on_document_notify (NnsWindow *self, GParamSpec *pspec, NnsDocument *document)
{
  _nns_window_update_actions (self);
  _nns_window_update_title (self);
}

/* --- recent files --- */

static void update_recent_menu (NnsWindow *self);

/* Registers file with the recent files GNOME shows, as ours. */
void
_nns_window_add_recent (NnsWindow *self, GFile *file, gboolean is_document)
{
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *mime_type = NULL;
  GtkRecentData data = { 0 };

  if (is_document)
    mime_type = g_strdup ("application/x-nnsketch");
  else
    {
      g_autofree char *name = g_file_get_basename (file);

      mime_type = g_strdup (g_str_has_suffix (name, ".py") ? "text/x-python" : "text/plain");
    }
  data.mime_type = mime_type;
  data.app_name = (char *) RECENT_APP_NAME;
  data.app_exec = (char *) RECENT_APP_EXEC;
  gtk_recent_manager_add_full (self->recent_manager, uri, &data);
  /* The manager tells its listeners a moment later; this window knows now. */
  update_recent_menu (self);
}

static int
compare_recent (gconstpointer a, gconstpointer b)
{
  GDateTime *ta = gtk_recent_info_get_modified (*(GtkRecentInfo **) a);
  GDateTime *tb = gtk_recent_info_get_modified (*(GtkRecentInfo **) b);

  /* Newest first. */
  return g_date_time_compare (tb, ta);
}

/* "Open Recent": our newest files that still exist. */
static void
update_recent_menu (NnsWindow *self)
{
  g_autoptr (GPtrArray) mine = g_ptr_array_new_with_free_func ((GDestroyNotify) gtk_recent_info_unref);
  GList *items = gtk_recent_manager_get_items (self->recent_manager);

  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (gtk_recent_info_has_application (info, RECENT_APP_NAME) && gtk_recent_info_is_local (info)
          && gtk_recent_info_exists (info))
        g_ptr_array_add (mine, gtk_recent_info_ref (info));
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  g_ptr_array_sort (mine, compare_recent);

  g_menu_remove_all (self->recent_menu);
  for (guint i = 0; i < mine->len && i < RECENT_MAX_ITEMS; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (mine, i);
      g_auto (GStrv) parts = g_strsplit (gtk_recent_info_get_display_name (info), "_", -1);
      /* A file name has no mnemonic: double its underscores. */
      g_autofree char *label = g_strjoinv ("__", parts);
      g_autoptr (GMenuItem) item = NULL;

      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s",
                                         gtk_recent_info_get_uri (info));
      g_menu_append_item (self->recent_menu, item);
    }
  if (mine->len == 0)
    g_menu_append (self->recent_menu, _("No Recent Networks"), "win.no-recent");
}

GMenuModel *
nns_window_get_recent_menu (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), NULL);
  return G_MENU_MODEL (self->recent_menu);
}

/* Shows network (and its own style, for documents) as a fresh document; a
 * model file's weights come with Colour by Weight on. */
static void
load_document (NnsWindow *self, NnsNetwork *network, NnsWeights *weights, const NnsStyle *style,
               const char *path)
{
  if (style == NULL && weights != NULL)
    nns_document_load_model (self->document, network, weights, NULL, 0);
  else
    nns_document_load_with_weights (self->document, network, weights, NNS_WEIGHTS_SEED_DEFAULT,
                                    style, style != NULL ? NNS_STYLE_MASK_ALL : 0, path);
  nns_canvas_zoom_fit (self->canvas);
  _nns_window_update_title (self);
}

/* What a PyTorch import read: its notes (layers skipped…), else "Imported
 * name". */
static void
toast_import (NnsWindow *self, const char *notes, const char *name)
{
  g_clear_pointer (&self->import_notes, g_free);
  if (notes != NULL && notes[0] != '\0')
    {
      g_auto (GStrv) lines = g_strsplit (g_strstrip (g_strdup (notes)), "\n", -1);
      guint n = g_strv_length (lines);
      g_autofree char *message = NULL;
      AdwToast *toast;

      /* A toast holds one line: the notes themselves are a list a button opens. */
      self->import_notes = g_strjoinv ("\n", lines);
      message = g_strdup_printf (ngettext ("Imported %s · %u note", "Imported %s · %u notes", n),
                                 name, n);
      toast = adw_toast_new (message);
      adw_toast_set_timeout (toast, 8);
      adw_toast_set_button_label (toast, _("Show Notes"));
      adw_toast_set_action_name (toast, "win.show-import-notes");
      g_free (self->last_toast);
      self->last_toast = g_strdup_printf ("%s\n%s", message, self->import_notes);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Imported %s"), name);

      _nns_window_show_toast (self, message);
    }
}

/* Import PyTorch is an edit of the current document: it keeps its file, is
 * marked modified, and Undo takes it back. name: where it came from. */
static void
apply_import (NnsWindow *self, NnsNetwork *network, const char *notes, const char *name)
{
  nns_document_replace_network (self->document, network);
  nns_canvas_zoom_fit (self->canvas);
  _nns_window_update_title (self);
  toast_import (self, notes, name);
}

/* Reads a file for Import PyTorch's "Choose File…". */
static gboolean
import_file (NnsWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *name = NULL;
  gboolean is_document = FALSE;
  NnsStyle style;

  nns_style_init_default (&style);
  network = nns_input_load_file (file, &style, &is_document, &notes, &error);
  if (network == NULL)
    {
      _nns_window_show_toast (self, error->message);
      return FALSE;
    }
  _nns_window_add_recent (self, file, is_document);
  name = g_file_get_basename (file);
  /* A document's network too: only the network is imported, not its style. */
  apply_import (self, network, notes, name);
  return TRUE;
}

gboolean
nns_window_open_file (NnsWindow *self, GFile *file, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (NnsNetwork) network = NULL;
  g_autoptr (NnsWeights) weights = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *source = NULL;
  gboolean is_document = FALSE;
  NnsStyle style;

  g_return_val_if_fail (NNS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  nns_style_init_default (&style);
  network = nns_input_load_file_full (file, &style, &is_document, &weights, &source, &notes,
                                      &local_error);
  if (network == NULL)
    {
      _nns_window_show_toast (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  _nns_window_add_recent (self, file, is_document);
  if (is_document)
    {
      g_autofree char *path = g_file_get_path (file);

      load_document (self, network, weights, &style, path);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (file);

      /* Opened PyTorch text starts a new untitled document in the current
       * style. It is not modified: the text is still on disk. */
      load_document (self, network, weights, NULL, NULL);
      toast_import (self, notes, name);
    }
  return TRUE;
}

gboolean
nns_window_get_modified (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), FALSE);
  return nns_document_get_modified (self->document);
}

void
nns_window_new_document (NnsWindow *self)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();

  load_document (self, network, NULL, NULL, NULL);
}


static void
on_file_dialog_response (NnsWindow *self, int response, GtkNativeDialog *dialog)
{
  g_autoptr (GFile) file = NULL;
  int purpose = self->file_purpose;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->file_dialog);
  if (file == NULL)
    {
      if (purpose == PURPOSE_SAVE_AS)
        _nns_window_save_as_cancelled (self);
      return;
    }

  if (purpose == PURPOSE_SAVE_AS)
    {
      g_autofree char *path = g_file_get_path (file);

      if (path == NULL)
        {
          _nns_window_show_toast (self, _("Can only save to a local folder"));
          _nns_window_save_as_cancelled (self);
          return;
        }
      nns_window_save_as_chosen (self, path);
    }
  else if (purpose == PURPOSE_IMPORT)
    import_file (self, file);
  else if (purpose == PURPOSE_LOAD_WEIGHTS)
    nns_window_load_weights (self, file, NULL);
  else
    nns_window_open_file (self, file, NULL);
}

static void
add_filter (GtkFileChooser *chooser, const char *name, const char *const *patterns)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

void
_nns_window_show_file_dialog (NnsWindow *self, int purpose)
{
  static const char *const documents[] = { "*.nnsketch", NULL };
  static const char *const pytorch[] = { "*.py", "*.txt", NULL };
  static const char *const everything[] = { "*", NULL };
  static const char *const models[] = { "*.safetensors", "*.onnx", NULL };
  GtkFileChooserNative *chooser;
  GtkFileChooser *fc;

  if (self->file_dialog != NULL)
    gtk_native_dialog_destroy (self->file_dialog);
  g_clear_object (&self->file_dialog);

  if (purpose == PURPOSE_SAVE_AS)
    chooser = gtk_file_chooser_native_new (_("Save Network"), GTK_WINDOW (self),
                                           GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  else
    chooser = gtk_file_chooser_native_new (purpose == PURPOSE_OPEN ? _("Open Network")
                                           : purpose == PURPOSE_LOAD_WEIGHTS ? _("Load Weights")
                                           : _("Import PyTorch Model"),
                                           GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                           purpose == PURPOSE_IMPORT ? _("_Import") : _("_Open"),
                                           _("_Cancel"));
  fc = GTK_FILE_CHOOSER (chooser);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  if (purpose == PURPOSE_SAVE_AS)
    {
      g_autofree char *name = nns_document_get_path (self->document) != NULL ? g_path_get_basename (nns_document_get_path (self->document))
                                                 : g_strconcat (_("Untitled Network"),
                                                                ".nnsketch", NULL);

      gtk_file_chooser_set_current_name (fc, name);
      add_filter (fc, _("NN Sketch Documents"), documents);
    }
  else if (purpose == PURPOSE_OPEN)
    {
      add_filter (fc, _("NN Sketch Documents, PyTorch Text and Model Files"),
                  (const char *const[]) { "*.nnsketch", "*.py", "*.txt", "*.safetensors",
                                          "*.onnx", NULL });
      add_filter (fc, _("NN Sketch Documents"), documents);
      add_filter (fc, _("PyTorch Text"), pytorch);
      add_filter (fc, _("Model Files (safetensors, ONNX)"), models);
      add_filter (fc, _("All Files"), everything);
    }
  else if (purpose == PURPOSE_LOAD_WEIGHTS)
    {
      add_filter (fc, _("Model Files (safetensors, ONNX)"), models);
      add_filter (fc, _("All Files"), everything);
    }
  else
    {
      add_filter (fc, _("PyTorch Text"), pytorch);
      add_filter (fc, _("All Files"), everything);
    }
  if (nns_document_get_path (self->document) != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (nns_document_get_path (self->document));
      g_autoptr (GFile) folder = g_file_new_for_path (dir);

      gtk_file_chooser_set_current_folder (fc, folder, NULL);
    }

  self->file_purpose = purpose;
  self->file_dialog = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_file_dialog_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->file_dialog);
}

static void
on_import_text (NnsWindow *self, NnsNetwork *network, const char *notes, NnsImportDialog *dialog)
{
  apply_import (self, network, notes, _("pasted text"));
}

static void
on_import_choose_file (NnsWindow *self, NnsImportDialog *dialog)
{
  _nns_window_show_file_dialog (self, PURPOSE_IMPORT);
}

/* Paste text, or choose a file from the dialog. */
NnsImportDialog *
nns_window_show_import_dialog (NnsWindow *self)
{
  NnsImportDialog *dialog;

  g_return_val_if_fail (NNS_IS_WINDOW (self), NULL);

  dialog = nns_import_dialog_new (GTK_WINDOW (self));
  g_signal_connect_object (dialog, "import", G_CALLBACK (on_import_text), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "choose-file", G_CALLBACK (on_import_choose_file), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}


static void
on_confirmed_open_file (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GFile) file = user_data;
  NnsWindow *self = NNS_WINDOW (source);

  if (_nns_window_confirm_discard_finish (self, result) && self->document != NULL)
    nns_window_open_file (self, file, NULL);
}

/* Opens file (dropped, or a recent file) once unsaved changes are saved or
 * discarded. */
void
_nns_window_open_file_confirmed (NnsWindow *self, GFile *file)
{
  _nns_window_confirm_discard_async (self, on_confirmed_open_file, g_object_ref (file));
}

/* A document or PyTorch text dropped on the window opens like Open. */
static gboolean
on_drop (NnsWindow *self, const GValue *value, double x, double y, GtkDropTarget *target)
{
  GFile *file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;
  _nns_window_open_file_confirmed (self, file);
  return TRUE;
}

/* --- object --- */

static void
on_close_confirmed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NnsWindow *self = NNS_WINDOW (source);

  if (_nns_window_confirm_discard_finish (self, result) && self->document != NULL)
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

static gboolean
nns_window_close_request (GtkWindow *window)
{
  NnsWindow *self = NNS_WINDOW (window);

  if (self->settings != NULL)
    {
      gboolean maximized = gtk_window_is_maximized (window);
      int width, height;

      /* Remember the unmaximized size so unmaximizing next time restores it. */
      if (!maximized)
        {
          gtk_window_get_default_size (window, &width, &height);
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_set_boolean (self->settings, "window-maximized", maximized);
    }
  if (!self->close_confirmed && self->document != NULL
      && nns_document_get_modified (self->document))
    {
      _nns_window_confirm_discard_async (self, on_close_confirmed, NULL);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (nns_window_parent_class)->close_request (window);
}

static void
nns_window_dispose (GObject *object)
{
  NnsWindow *self = NNS_WINDOW (object);

  if (self->export_dialog != NULL)
    gtk_native_dialog_destroy (self->export_dialog);
  g_clear_object (&self->export_dialog);
  if (self->file_dialog != NULL)
    gtk_native_dialog_destroy (self->file_dialog);
  g_clear_object (&self->file_dialog);
  _nns_window_save_dispose (self);
  if (self->train_session != NULL)
    nns_train_session_pause (self->train_session);
  g_clear_handle_id (&self->narrow_idle, g_source_remove);
  g_clear_object (&self->recent_manager);
  gtk_widget_dispose_template (GTK_WIDGET (self), NNS_TYPE_WINDOW);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  self->network = NULL;
  g_clear_object (&self->train_session);
  g_clear_object (&self->document);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (nns_window_parent_class)->dispose (object);
}

static void
nns_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NnsWindow *self = NNS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_ALL_NEURONS:
      g_value_set_boolean (value, nns_window_get_show_all_neurons (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nns_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  NnsWindow *self = NNS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_ALL_NEURONS:
      nns_window_set_show_all_neurons (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
nns_window_finalize (GObject *object)
{
  NnsWindow *self = NNS_WINDOW (object);

  g_free (self->replace_path);
  g_free (self->last_toast);
  g_free (self->import_notes);
  g_free (self->export_folder);

  G_OBJECT_CLASS (nns_window_parent_class)->finalize (object);
}

static void
nns_window_class_init (NnsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = nns_window_dispose;
  object_class->finalize = nns_window_finalize;
  object_class->get_property = nns_window_get_property;
  object_class->set_property = nns_window_set_property;

  /**
   * NnsWindow:show-all-neurons:
   *
   * Draw every neuron of large layers instead of collapsing them (the
   * style's show_all_neurons; the win.show-all-neurons toggle).
   */
  properties[PROP_SHOW_ALL_NEURONS] =
    g_param_spec_boolean ("show-all-neurons", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  window_class->close_request = nns_window_close_request;

  g_type_ensure (NNS_TYPE_CANVAS);
  g_type_ensure (NNS_TYPE_CAPACITY_PANEL);
  g_type_ensure (NNS_TYPE_INSPECTOR);
  g_type_ensure (NNS_TYPE_TRAIN_PANE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/nnsketch/NnSketch/nns-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, export_content);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, layers_button);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, capacity_button);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, train_button);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, train_revealer);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, train_pane);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, save_button);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, rows_box);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, recent_menu);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, capacity_revealer);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, inspector_revealer);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, capacity_panel);

  _nns_window_class_install_actions (widget_class);
}

static void
nns_window_init (NnsWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  self->export_format = NNS_EXPORT_PNG;
  _nns_window_update_actions (self);

  self->recent_manager = g_object_ref (gtk_recent_manager_get_default ());
  g_signal_connect_object (self->recent_manager, "changed", G_CALLBACK (update_recent_menu), self,
                           G_CONNECT_SWAPPED);
  update_recent_menu (self);
}

NnsWindow *
nns_window_new (GtkApplication *app, NnsNetwork *network, const NnsStyle *style)
{
  g_autoptr (NnsDocument) document = NULL;

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);

  document = nns_document_new (network);
  if (style != NULL)
    nns_document_load (document, network, style, NNS_STYLE_MASK_ALL, NULL);
  return nns_window_new_for_document (app, document);
}

/* The document's weights (replaced on every change) are what the canvas draws. */
static void
on_weights_changed (NnsWindow *self, NnsDocument *document)
{
  nns_canvas_set_weights (self->canvas, nns_document_get_weights (document));
}

NnsWindow *
nns_window_new_for_document (GtkApplication *app, NnsDocument *document)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  NnsWindow *self;
  NnsNetwork *network;

  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (NNS_IS_DOCUMENT (document), NULL);

  self = g_object_new (NNS_TYPE_WINDOW, "application", app, NULL);
  self->document = g_object_ref (document);
  self->network = network = nns_document_get_network (document);

  self->settings = nns_settings_new ();
  if (self->settings != NULL)
    {
      g_autofree char *folder = g_settings_get_string (self->settings, "last-export-folder");
      g_autofree char *format = g_settings_get_string (self->settings, "last-export-format");
      NnsStyle defaults;

      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      if (folder[0] != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
        self->export_folder = g_steal_pointer (&folder);
      _nns_window_export_format_from_id (format, &self->export_format);
      /* The user's defaults: the layer under the document's own style. */
      nns_style_init_default (&defaults);
      nns_settings_get_style (self->settings, &defaults);
      nns_document_set_defaults (document, &defaults);
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self,
                               G_CONNECT_SWAPPED);
    }
  self->theme = adw_style_manager_get_dark (manager) ? NNS_THEME_DARK : NNS_THEME_LIGHT;
  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (on_dark_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (document, "style-changed", G_CALLBACK (on_style_changed), self,
                           G_CONNECT_SWAPPED);

  /* The canvas connects to the model first, so it has dropped a stale
   * selection before the window reads it. */
  apply_style (self);
  nns_canvas_set_network (self->canvas, network);
  on_weights_changed (self, document);
  nns_inspector_set_document (self->inspector, document);
  g_signal_connect_object (document, "weights-changed", G_CALLBACK (on_weights_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (nns_canvas_get_neuron_selection (self->canvas), "changed",
                           G_CALLBACK (sync_selection), self, G_CONNECT_SWAPPED);

  /* The capacity pane: shown by win.show-capacity (F9), remembered in the
   * settings; its pinned reference is drawn as a ghost on the canvas. */
  nns_capacity_panel_set_network (self->capacity_panel, network);
  nns_canvas_set_reference (self->canvas, nns_capacity_panel_get_reference (self->capacity_panel));
  {
    g_autoptr (GPropertyAction) show = g_property_action_new ("show-capacity",
                                                              self->capacity_revealer,
                                                              "reveal-child");

    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show));
  }
  if (self->settings != NULL)
    g_settings_bind (self->settings, "capacity-panel-visible", self->capacity_revealer,
                     "reveal-child", G_SETTINGS_BIND_DEFAULT);

  /* The Train pane: shown by win.show-train (Ctrl+T); the run belongs to
   * the document's window and ends with it. */
  self->train_session = nns_train_session_new (document);
  nns_train_pane_set_session (self->train_pane, self->train_session);
  nns_canvas_set_train_session (self->canvas, self->train_session);
  {
    g_autoptr (GPropertyAction) show = g_property_action_new ("show-train", self->train_revealer,
                                                              "reveal-child");

    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show));
  }

  /* The layer list: win.show-layers (F8) shows and hides it. */
  {
    g_autoptr (GPropertyAction) show = g_property_action_new ("show-layers", self->flap,
                                                              "reveal-flap");

    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show));
  }
  g_signal_connect_object (self->flap, "notify::folded", G_CALLBACK (update_narrow), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::reveal-flap", G_CALLBACK (update_narrow), self,
                           G_CONNECT_SWAPPED);
  update_narrow_now (self);

  self->input_row = nns_layer_row_new (network, NNS_LAYER_ROW_INPUT);
  connect_row (self, self->input_row);
  gtk_box_append (self->rows_box, GTK_WIDGET (self->input_row));
  sync_rows (self);
  g_signal_connect_object (document, "notify", G_CALLBACK (on_document_notify), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (network, "changed", G_CALLBACK (on_network_changed), self,
                           G_CONNECT_SWAPPED);
  on_document_notify (self, NULL, document);
  update_info (self);

  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  return self;
}

NnsNetwork *
nns_window_get_network (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), NULL);
  return self->network;
}

const NnsStyle *
nns_window_get_style (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), NULL);
  return &self->render_style;
}

void
nns_window_set_path (NnsWindow *self, const char *path)
{
  g_return_if_fail (NNS_IS_WINDOW (self));

  nns_document_set_path (self->document, path);
  _nns_window_update_title (self);
}

void
nns_window_set_file (NnsWindow *self, GFile *file, gboolean is_document)
{
  g_return_if_fail (NNS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* /dev/fd/63 from <(…) cannot be saved to, nor opened again. A stat, no
   * read: it does not block on a FIFO. */
  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_REGULAR)
    return;
  _nns_window_add_recent (self, file, is_document);
  if (is_document)
    {
      g_autofree char *path = g_file_get_path (file);

      nns_window_set_path (self, path);
    }
}

GSettings *
nns_window_get_settings (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), NULL);
  return self->settings;
}

void
nns_window_show_preferences (NnsWindow *self)
{
  GtkWidget *preferences;

  g_return_if_fail (NNS_IS_WINDOW (self));

  preferences = nns_preferences_window_new_for_document (GTK_WINDOW (self), self->settings,
                                                        self->document);
  gtk_window_present (GTK_WINDOW (preferences));
}

NnsCanvas *
nns_window_get_canvas (NnsWindow *self)
{
  return self->canvas;
}

NnsLayerRow *
nns_window_get_input_row (NnsWindow *self)
{
  return self->input_row;
}

guint
nns_window_get_n_layer_rows (NnsWindow *self)
{
  return count_rows (self);
}

NnsLayerRow *
nns_window_get_layer_row (NnsWindow *self, guint index)
{
  return get_row (self, index);
}

NnsTrainPane *
nns_window_get_train_pane (NnsWindow *self)
{
  return self->train_pane;
}

NnsTrainSession *
nns_window_get_train_session (NnsWindow *self)
{
  return self->train_session;
}

AdwFlap *
nns_window_get_flap (NnsWindow *self)
{
  return self->flap;
}

GtkWidget *
nns_window_get_layers_button (NnsWindow *self)
{
  return self->layers_button;
}

GtkWidget *
nns_window_get_open_button (NnsWindow *self)
{
  return self->open_button;
}

GtkButton *
nns_window_get_add_button (NnsWindow *self)
{
  return self->add_button;
}

GtkMenuButton *
nns_window_get_menu_button (NnsWindow *self)
{
  return self->menu_button;
}

GtkLabel *
nns_window_get_info_label (NnsWindow *self)
{
  return self->info_label;
}

GtkLabel *
nns_window_get_total_label (NnsWindow *self)
{
  return self->total_label;
}

const char *
nns_window_get_last_toast (NnsWindow *self)
{
  return self->last_toast;
}

NnsDocument *
nns_window_get_document (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), NULL);
  return self->document;
}

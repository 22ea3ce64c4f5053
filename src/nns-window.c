/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-window"

#include "config.h"

#include <glib/gi18n.h>

#include "nns-params.h"
#include "nns-preferences-window.h"
#include "nns-window.h"

struct _NnsWindow
{
  AdwApplicationWindow parent_instance;

  NnsNetwork     *network;
  NnsStyle        style;
  GSettings      *settings;        /* NULL without the schema: nothing is kept */
  char           *path;
  char           *last_toast;
  char           *export_folder;   /* where the last export went */
  GtkNativeDialog *export_dialog;
  NnsExportFormat export_format;

  NnsLayerRow    *input_row;

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkMenuButton  *export_button;
  GtkBox         *rows_box;
  GtkButton      *add_button;
  NnsCanvas      *canvas;
  GtkLabel       *info_label;
  GtkLabel       *total_label;
};

G_DEFINE_FINAL_TYPE (NnsWindow, nns_window, ADW_TYPE_APPLICATION_WINDOW)

static const struct
{
  NnsExportFormat format;
  const char     *id;
  const char     *extension;
  const char     *mime_type;
  const char     *name;
} export_formats[] = {
  { NNS_EXPORT_PNG, "png", ".png", "image/png", N_("PNG Image") },
  { NNS_EXPORT_SVG, "svg", ".svg", "image/svg+xml", N_("SVG Drawing") },
  { NNS_EXPORT_PDF, "pdf", ".pdf", "application/pdf", N_("PDF Document") },
};

static void
show_toast (NnsWindow *self, const char *text)
{
  AdwToast *toast = adw_toast_new (text);

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_row_error (NnsWindow *self, const char *message, NnsLayerRow *row)
{
  show_toast (self, message);
}

/* --- layer editor --- */

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

      g_signal_connect_object (row, "error", G_CALLBACK (on_row_error), self, G_CONNECT_SWAPPED);
      gtk_box_append (self->rows_box, GTK_WIDGET (row));
      n_rows++;
    }
  nns_layer_row_refresh (self->input_row);
  for (guint i = 0; i < n_layers; i++)
    nns_layer_row_set_index (get_row (self, i), i);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-layer", n_layers < NNS_LAYERS_MAX);
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

static void
on_network_changed (NnsWindow *self, const NnsChange *change, NnsNetwork *network)
{
  NnsLayerRow *row;

  switch (change->kind)
    {
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
  update_info (self);
}

static void
on_selection_changed (NnsWindow *self, NnsCanvas *canvas)
{
  update_info (self);
}

gboolean
nns_window_add_hidden_layer (NnsWindow *self, GError **error)
{
  guint output = nns_network_get_n_layers (self->network) - 1;
  guint units = nns_network_get_in_features (self->network, output);

  return nns_network_insert_layer (self->network, output, units > 0 ? units : 16, error);
}

/* --- style --- */

static void
apply_style (NnsWindow *self)
{
  nns_canvas_set_style (self->canvas, &self->style);
}

static void
on_dark_changed (NnsWindow *self, GParamSpec *pspec, AdwStyleManager *manager)
{
  self->style.theme = adw_style_manager_get_dark (manager) ? NNS_THEME_DARK : NNS_THEME_LIGHT;
  apply_style (self);
}

static void
on_settings_changed (NnsWindow *self, const char *key, GSettings *settings)
{
  if (nns_settings_apply_key (settings, key, &self->style))
    apply_style (self);
}

/* --- export --- */

static int
export_format_index (NnsExportFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (export_formats); i++)
    if (export_formats[i].format == format)
      return i;
  return 0;
}

char *
nns_window_dup_export_name (NnsWindow *self, NnsExportFormat format)
{
  const char *extension = export_formats[export_format_index (format)].extension;
  g_autofree char *base = NULL;
  char *dot;

  g_return_val_if_fail (NNS_IS_WINDOW (self), NULL);

  if (self->path == NULL)
    return g_strconcat ("network", extension, NULL);
  base = g_path_get_basename (self->path);
  if ((dot = strrchr (base, '.')) != NULL && dot != base)
    *dot = '\0';
  return g_strconcat (base, extension, NULL);
}

/* The window's style in the theme the export-theme key asks for. */
static void
get_export_style (NnsWindow *self, NnsStyle *style)
{
  *style = self->style;
  if (self->settings != NULL)
    {
      g_autofree char *theme = g_settings_get_string (self->settings, "export-theme");

      /* "follow" (or anything else) keeps the window's theme. */
      nns_theme_from_string (theme, &style->theme);
    }
}

gboolean
nns_window_export_to (NnsWindow *self, const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;
  NnsExportOptions options;
  NnsExportFormat format;
  NnsStyle style;

  g_return_val_if_fail (NNS_IS_WINDOW (self), FALSE);

  nns_export_options_init (&options);
  get_export_style (self, &style);
  if (!nns_export_format_from_path (path, &format, &local_error)
      || !nns_export_image (self->network, &style, &options, format, path, &local_error))
    {
      show_toast (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_free (self->export_folder);
  self->export_folder = g_path_get_dirname (path);
  self->export_format = format;
  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "last-export-folder", self->export_folder);
      g_settings_set_string (self->settings, "last-export-format",
                             export_formats[export_format_index (format)].id);
    }

  basename = g_path_get_basename (path);
  message = g_strdup_printf (_("Exported %s"), basename);
  show_toast (self, message);
  return TRUE;
}

static void
on_export_response (NnsWindow *self, int response, GtkNativeDialog *dialog)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  NnsExportFormat format;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->export_dialog);
  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_toast (self, _("Can only export to a local folder"));
      return;
    }
  /* A name without a known image extension gets the chosen format's. */
  if (!nns_export_format_from_path (path, &format, NULL)
      || (format != NNS_EXPORT_PNG && format != NNS_EXPORT_SVG && format != NNS_EXPORT_PDF))
    {
      char *with_extension = g_strconcat (
        path, export_formats[export_format_index (self->export_format)].extension, NULL);

      g_free (path);
      path = with_extension;
    }
  nns_window_export_to (self, path, NULL);
}

static void
export_format_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  NnsWindow *self = NNS_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  int i = 0;

  for (guint k = 0; k < G_N_ELEMENTS (export_formats); k++)
    if (g_strcmp0 (export_formats[k].id, id) == 0)
      i = k;
  self->export_format = export_formats[i].format;

  if (self->export_dialog != NULL)
    gtk_native_dialog_destroy (self->export_dialog);
  g_clear_object (&self->export_dialog);

  chooser = gtk_file_chooser_native_new (_("Export Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  name = nns_window_dup_export_name (self, self->export_format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (self->export_folder != NULL)
    {
      g_autoptr (GFile) folder = g_file_new_for_path (self->export_folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  gtk_file_filter_add_mime_type (filter, export_formats[i].mime_type);
  gtk_file_filter_set_name (filter, _(export_formats[i].name));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  self->export_dialog = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->export_dialog);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  NnsWindow *self = NNS_WINDOW (widget);

  gtk_menu_button_popup (self->export_button);
}

/* --- other actions --- */

static void
add_layer_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  NnsWindow *self = NNS_WINDOW (widget);
  g_autoptr (GError) error = NULL;

  if (!nns_window_add_hidden_layer (self, &error))
    show_toast (self, error->message);
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

static void
not_yet_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
}

/* --- object --- */

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
  return GTK_WINDOW_CLASS (nns_window_parent_class)->close_request (window);
}

static void
nns_window_dispose (GObject *object)
{
  NnsWindow *self = NNS_WINDOW (object);

  if (self->export_dialog != NULL)
    gtk_native_dialog_destroy (self->export_dialog);
  g_clear_object (&self->export_dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), NNS_TYPE_WINDOW);
  g_clear_object (&self->network);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (nns_window_parent_class)->dispose (object);
}

static void
nns_window_finalize (GObject *object)
{
  NnsWindow *self = NNS_WINDOW (object);

  g_free (self->path);
  g_free (self->last_toast);
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
  window_class->close_request = nns_window_close_request;

  g_type_ensure (NNS_TYPE_CANVAS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/nnsketch/NnSketch/nns-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, rows_box);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, NnsWindow, total_label);

  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.export-format", "s", export_format_action);
  gtk_widget_class_install_action (widget_class, "win.add-layer", NULL, add_layer_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.clear-selection", NULL,
                                   clear_selection_action);
  /* Documents and PyTorch text come with their own issue; until then the
   * menu shows them disabled. */
  gtk_widget_class_install_action (widget_class, "win.new", NULL, not_yet_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, not_yet_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, not_yet_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, not_yet_action);
  gtk_widget_class_install_action (widget_class, "win.import-pytorch", NULL, not_yet_action);
  gtk_widget_class_install_action (widget_class, "win.copy-pytorch", NULL, not_yet_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.clear-selection", NULL);
}

static void
nns_window_init (NnsWindow *self)
{
  static const char *const not_yet[] = {
    "win.new", "win.open", "win.save", "win.save-as", "win.import-pytorch", "win.copy-pytorch",
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  nns_style_init_default (&self->style);
  self->export_format = NNS_EXPORT_PNG;
  for (guint i = 0; i < G_N_ELEMENTS (not_yet); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), not_yet[i], FALSE);
}

NnsWindow *
nns_window_new (GtkApplication *app, NnsNetwork *network, const NnsStyle *style)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  NnsWindow *self;

  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);

  self = g_object_new (NNS_TYPE_WINDOW, "application", app, NULL);
  self->network = g_object_ref (network);
  if (style != NULL)
    self->style = *style;

  self->settings = nns_settings_new ();
  if (self->settings != NULL)
    {
      g_autofree char *folder = g_settings_get_string (self->settings, "last-export-folder");
      g_autofree char *format = g_settings_get_string (self->settings, "last-export-format");

      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      if (folder[0] != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
        self->export_folder = g_steal_pointer (&folder);
      for (guint i = 0; i < G_N_ELEMENTS (export_formats); i++)
        if (g_strcmp0 (format, export_formats[i].id) == 0)
          self->export_format = export_formats[i].format;
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self,
                               G_CONNECT_SWAPPED);
    }
  self->style.theme = adw_style_manager_get_dark (manager) ? NNS_THEME_DARK : NNS_THEME_LIGHT;
  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (on_dark_changed), self,
                           G_CONNECT_SWAPPED);

  /* The canvas connects to the model first, so it has dropped a stale
   * selection before the window reads it. */
  nns_canvas_set_style (self->canvas, &self->style);
  nns_canvas_set_network (self->canvas, network);
  g_signal_connect_object (self->canvas, "selection-changed", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);

  self->input_row = nns_layer_row_new (network, NNS_LAYER_ROW_INPUT);
  g_signal_connect_object (self->input_row, "error", G_CALLBACK (on_row_error), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (self->rows_box, GTK_WIDGET (self->input_row));
  sync_rows (self);
  g_signal_connect_object (network, "changed", G_CALLBACK (on_network_changed), self,
                           G_CONNECT_SWAPPED);
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
  return &self->style;
}

void
nns_window_set_path (NnsWindow *self, const char *path)
{
  g_autofree char *basename = NULL;

  g_return_if_fail (NNS_IS_WINDOW (self));

  g_free (self->path);
  self->path = g_strdup (path);
  basename = path != NULL ? g_path_get_basename (path) : NULL;
  adw_window_title_set_subtitle (self->window_title, basename != NULL ? basename : "");
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

  preferences = nns_preferences_window_new (GTK_WINDOW (self), self->settings);
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

GtkButton *
nns_window_get_add_button (NnsWindow *self)
{
  return self->add_button;
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

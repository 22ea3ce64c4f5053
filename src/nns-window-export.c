/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-window"

/* Exporting the drawing from the window: the Export menu's formats, the file
 * chooser with the export choices, the name's extension, and the export. */

#include "config.h"

#include <glib/gi18n.h>

#include "nns-export-choices.h"
#include "nns-window-private.h"

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

  if (nns_document_get_path (self->document) == NULL)
    return g_strconcat ("network", extension, NULL);
  base = g_path_get_basename (nns_document_get_path (self->document));
  if ((dot = strrchr (base, '.')) != NULL && dot != base)
    *dot = '\0';
  return g_strconcat (base, extension, NULL);
}

gboolean
nns_window_export_to (NnsWindow *self, const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;
  NnsExportOptions options;
  NnsExportFormat format = NNS_EXPORT_PNG;
  g_autofree char *note = NULL;
  NnsStyle style;

  g_return_val_if_fail (NNS_IS_WINDOW (self), FALSE);

  /* The theme, background and size remembered from the export dialog. */
  style = self->render_style;
  nns_export_choices_apply (self->settings, nns_canvas_is_dark (self->canvas), &style, &options);
  /* The weights the canvas draws, coloured the same in the file. */
  options.weights = nns_canvas_get_weights (self->canvas);
  /* The export writes the canvas's own layout; one past what viewers open
   * is scaled down and the note says so. */
  if (!nns_export_format_from_path (path, &format, &local_error)
      || !nns_export_image_with_note (self->network, &style, &options, format, path, &note,
                                      &local_error))
    {
      _nns_window_show_toast (self, local_error->message);
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
  if (note != NULL)
    /* Translators: "Exported network.png. Scaled down from … to 16,384 px a side, …". */
    message = g_strdup_printf (_("Exported %s. %s"), basename, note);
  else
    message = g_strdup_printf (_("Exported %s"), basename);
  _nns_window_show_toast (self, message);
  return TRUE;
}

void
nns_window_export_chosen (NnsWindow *self, const char *path, NnsExportFormat format)
{
  g_autofree char *target = NULL;
  NnsExportFormat chosen;

  g_return_if_fail (NNS_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  /* A name without a known image extension gets the chosen format's. */
  if (nns_export_format_from_path (path, &chosen, NULL)
      && (chosen == NNS_EXPORT_PNG || chosen == NNS_EXPORT_SVG || chosen == NNS_EXPORT_PDF))
    target = g_strdup (path);
  else
    target = g_strconcat (path, export_formats[export_format_index (format)].extension, NULL);
  /* The file chooser asked about the name chosen, not about this one. */
  if (!g_str_equal (target, path) && g_file_test (target, G_FILE_TEST_EXISTS)
      && !g_file_test (target, G_FILE_TEST_IS_DIR))
    _nns_window_ask_replace (self, target, format);
  else
    nns_window_export_to (self, target, NULL);
}

static void
on_export_response (NnsWindow *self, int response, GtkNativeDialog *dialog)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      nns_export_choices_save (GTK_FILE_CHOOSER (dialog), self->settings);
    }
  g_clear_object (&self->export_dialog);
  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      _nns_window_show_toast (self, _("Can only export to a local folder"));
      return;
    }
  nns_window_export_chosen (self, path, self->export_format);
}

void
_nns_window_export_format_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
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
  nns_export_choices_add (GTK_FILE_CHOOSER (chooser), self->settings);

  self->export_dialog = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->export_dialog);
}

void
_nns_window_export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  NnsWindow *self = NNS_WINDOW (widget);

  gtk_menu_button_popup (self->export_button);
}

/* The format whose id ("png", "svg", "pdf") is id; FALSE for another id. */
gboolean
_nns_window_export_format_from_id (const char *id, NnsExportFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (export_formats); i++)
    if (g_strcmp0 (id, export_formats[i].id) == 0)
      {
        *format = export_formats[i].format;
        return TRUE;
      }
  return FALSE;
}

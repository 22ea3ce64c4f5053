/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "nns-import-dialog.h"
#include "nns-params.h"
#include "nns-pytorch.h"

struct _NnsImportDialog
{
  AdwMessageDialog parent_instance;

  GtkTextView *text_view;
  GtkLabel    *status_label;

  /* What the current text reads as; NULL while it does not. */
  NnsNetwork  *network;
  char        *notes;
};

G_DEFINE_FINAL_TYPE (NnsImportDialog, nns_import_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum
{
  IMPORT,
  CHOOSE_FILE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* "10 → 18 → 20 → 5 · 683 parameters · 2.7 kB" */
static char *
describe (NnsNetwork *network)
{
  GString *text = g_string_new (NULL);
  g_autofree char *total = nns_format_total (network);

  g_string_append_printf (text, "%u", nns_network_get_input (network));
  for (guint i = 0; i < nns_network_get_n_layers (network); i++)
    g_string_append_printf (text, " → %u", nns_network_get_layer (network, i)->units);
  g_string_append_printf (text, " · %s", total);
  /* The chain found, a layer a line, with what each holds. */
  for (guint i = 0; i < nns_network_get_n_layers (network); i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);
      g_autofree char *title = nns_network_dup_column_title (network, i + 1);
      g_autofree char *formula = nns_format_layer_formula (network, i);
      g_autofree char *modules = nns_layer_dup_modules_label (layer, TRUE);

      g_string_append_printf (text, "\n%s: Linear(%u, %u)%s%s — %s", title,
                              nns_network_get_in_features (network, i), layer->units,
                              modules[0] ? " · " : "", modules, formula);
    }
  return g_string_free (text, FALSE);
}

static void
reparse (NnsImportDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *status = NULL;
  g_autofree char *stripped = NULL;
  GtkTextIter start, end;
  gboolean empty;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  stripped = g_strstrip (g_strdup (text));
  empty = stripped[0] == '\0';

  g_clear_object (&self->network);
  g_clear_pointer (&self->notes, g_free);
  if (!empty)
    self->network = nns_pytorch_import (text, &self->notes, &error);

  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  if (empty)
    status = g_strdup (_("Nothing pasted yet"));
  else if (self->network == NULL)
    {
      status = g_strdup (error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
    }
  else
    {
      g_autofree char *summary = describe (self->network);

      status = self->notes != NULL ? g_strdup_printf ("%s\n%s", summary, g_strchomp (self->notes))
                                   : g_steal_pointer (&summary);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "success");
    }
  gtk_label_set_text (self->status_label, status);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "import",
                                           self->network != NULL);
}

static void
nns_import_dialog_response (AdwMessageDialog *dialog, const char *response)
{
  NnsImportDialog *self = NNS_IMPORT_DIALOG (dialog);

  if (g_strcmp0 (response, "import") == 0 && self->network != NULL)
    g_signal_emit (self, signals[IMPORT], 0, self->network, self->notes);
  else if (g_strcmp0 (response, "file") == 0)
    g_signal_emit (self, signals[CHOOSE_FILE], 0);
}

static void
nns_import_dialog_dispose (GObject *object)
{
  NnsImportDialog *self = NNS_IMPORT_DIALOG (object);

  g_clear_object (&self->network);
  g_clear_pointer (&self->notes, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), NNS_TYPE_IMPORT_DIALOG);
  G_OBJECT_CLASS (nns_import_dialog_parent_class)->dispose (object);
}

static void
nns_import_dialog_class_init (NnsImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = nns_import_dialog_dispose;
  dialog_class->response = nns_import_dialog_response;

  /**
   * NnsImportDialog::import:
   * @network: what the text reads as
   * @notes: (nullable): what the import skipped, one note a line
   */
  signals[IMPORT] = g_signal_new ("import", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 2, NNS_TYPE_NETWORK, G_TYPE_STRING);
  signals[CHOOSE_FILE] = g_signal_new ("choose-file", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/nnsketch/NnSketch/nns-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NnsImportDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, NnsImportDialog, status_label);
}

/* Copied PyTorch text is what a user most likely came to import: take it
 * from the clipboard when it reads as a network and nothing was typed yet. */
static void
on_clipboard_text (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (NnsImportDialog) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  g_autoptr (NnsNetwork) network = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  if (text == NULL || gtk_text_buffer_get_char_count (buffer) > 0)
    return;
  network = nns_pytorch_import (text, NULL, NULL);
  if (network != NULL)
    nns_import_dialog_set_text (self, text);
}

static void
nns_import_dialog_init (NnsImportDialog *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (reparse), self, G_CONNECT_SWAPPED);
  reparse (self);
  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, g_object_ref (self));
}

NnsImportDialog *
nns_import_dialog_new (GtkWindow *parent)
{
  return g_object_new (NNS_TYPE_IMPORT_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
}

void
nns_import_dialog_set_text (NnsImportDialog *self, const char *text)
{
  g_return_if_fail (NNS_IS_IMPORT_DIALOG (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
}

const char *
nns_import_dialog_get_status (NnsImportDialog *self)
{
  g_return_val_if_fail (NNS_IS_IMPORT_DIALOG (self), NULL);
  return gtk_label_get_text (self->status_label);
}

gboolean
nns_import_dialog_can_import (NnsImportDialog *self)
{
  g_return_val_if_fail (NNS_IS_IMPORT_DIALOG (self), FALSE);
  return self->network != NULL;
}

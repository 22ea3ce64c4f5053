/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-window"

/* Saving from the window: Save and Save As (the name, "Replace …?"), and the
 * Save Changes? question asked before the document is dropped. */

#include "config.h"

#include <glib/gi18n.h>

#include "nns-window-private.h"
#include "nns-window-testing.h"

gboolean
nns_window_save_to (NnsWindow *self, const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (NNS_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!nns_document_save_to (self->document, path, &local_error))
    {
      _nns_window_show_toast (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  _nns_window_update_title (self);
  {
    g_autoptr (GFile) file = g_file_new_for_path (path);

    _nns_window_add_recent (self, file, TRUE);
  }
  return TRUE;
}

static void
run_pending (NnsWindow *self)
{
  int pending = self->pending;

  self->pending = AFTER_NOTHING;
  switch (pending)
    {
    case AFTER_CLOSE:
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
      break;
    case AFTER_NEW:
      nns_window_new_document (self);
      break;
    case AFTER_OPEN:
      _nns_window_show_file_dialog (self, PURPOSE_OPEN);
      break;
    case AFTER_OPEN_FILE:
      if (self->dropped_file != NULL)
        {
          g_autoptr (GFile) file = g_steal_pointer (&self->dropped_file);

          nns_window_open_file (self, file, NULL);
        }
      break;
    case AFTER_NOTHING:
    default:
      break;
    }
}

static gboolean discard_idle (gpointer user_data);

static void
save_then_run_pending (NnsWindow *self)
{
  if (nns_document_get_path (self->document) == NULL)
    _nns_window_show_file_dialog (self, PURPOSE_SAVE_AS);
  else if (nns_window_save_to (self, nns_document_get_path (self->document), NULL))
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, discard_idle, g_object_ref (self), g_object_unref);
  else
    self->pending = AFTER_NOTHING;
}

static gboolean
discard_idle (gpointer user_data)
{
  NnsWindow *self = user_data;

  run_pending (self);
  return G_SOURCE_REMOVE;
}

static void
on_discard_response (NnsWindow *self, const char *response, AdwMessageDialog *dialog)
{
  self->discard_dialog = NULL;
  /* Closing this window inside the dialog's own response would pull its
   * transient parent from under it; continue once the dialog is gone. */
  if (g_strcmp0 (response, "discard") == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, discard_idle, g_object_ref (self), g_object_unref);
  else if (g_strcmp0 (response, "save") == 0)
    save_then_run_pending (self);
  else
    self->pending = AFTER_NOTHING;
}

/* Runs what (an AFTER_*) now, or after asking what to do with unsaved changes. */
void
_nns_window_confirm_discard (NnsWindow *self, int what)
{
  g_autofree char *name = NULL;
  GtkWidget *dialog;

  self->pending = what;
  if (!nns_document_get_modified (self->document))
    {
      run_pending (self);
      return;
    }
  if (self->discard_dialog != NULL)
    {
      gtk_window_present (self->discard_dialog);
      return;
    }
  name = nns_document_dup_display_name (self->document);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has unsaved changes. Changes you do not save are "
                                    "lost."), name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response), self,
                           G_CONNECT_SWAPPED);
  self->discard_dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWindow *
nns_window_get_discard_dialog (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), NULL);
  return self->discard_dialog;
}

/* Saves to path, then does what waited for the save. */
static void
save_as_then_run_pending (NnsWindow *self, const char *path)
{
  if (nns_window_save_to (self, path, NULL))
    run_pending (self);
  else
    self->pending = AFTER_NOTHING;
}

static gboolean
replace_idle (gpointer user_data)
{
  NnsWindow *self = user_data;
  g_autofree char *path = g_steal_pointer (&self->replace_path);

  if (path == NULL)
    return G_SOURCE_REMOVE;
  if (self->replace_format == NNS_EXPORT_NNSKETCH)
    save_as_then_run_pending (self, path);
  else
    nns_window_export_to (self, path, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_replace_response (NnsWindow *self, const char *response, AdwMessageDialog *dialog)
{
  self->replace_dialog = NULL;
  /* As with Save Changes?, what follows may close this window: not inside
   * the dialog's own response. */
  if (g_strcmp0 (response, "replace") == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, replace_idle, g_object_ref (self), g_object_unref);
  else
    {
      g_clear_pointer (&self->replace_path, g_free);
      if (self->replace_format == NNS_EXPORT_NNSKETCH)
        self->pending = AFTER_NOTHING;
    }
}

/* Asks before path (a name the file chooser did not ask about) is replaced;
 * format: NNSKETCH to save the document there, else the image to export. */
void
_nns_window_ask_replace (NnsWindow *self, const char *path, NnsExportFormat format)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *folder = g_filename_display_basename (dir);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->replace_dialog != NULL)
    {
      /* A newer choice wins over one still waiting. */
      GtkWindow *old = g_steal_pointer (&self->replace_dialog);

      g_signal_handlers_disconnect_by_func (old, on_replace_response, self);
      gtk_window_destroy (old);
    }
  g_free (self->replace_path);
  self->replace_path = g_strdup (path);
  self->replace_format = format;

  heading = g_strdup_printf (_("Replace “%s”?"), name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("A file with this name already exists in “%s”. Replacing "
                                    "it overwrites its contents."), folder);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "replace", _("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_replace_response), self,
                           G_CONNECT_SWAPPED);
  self->replace_dialog = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
nns_window_save_as_chosen (NnsWindow *self, const char *path)
{
  g_autofree char *target = NULL;

  g_return_if_fail (NNS_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  target = g_str_has_suffix (path, ".nnsketch") ? g_strdup (path)
                                                : g_strconcat (path, ".nnsketch", NULL);
  /* The file chooser asked about the name chosen, not about this one. */
  if (!g_str_equal (target, path) && g_file_test (target, G_FILE_TEST_EXISTS)
      && !g_file_test (target, G_FILE_TEST_IS_DIR))
    _nns_window_ask_replace (self, target, NNS_EXPORT_NNSKETCH);
  else
    save_as_then_run_pending (self, target);
}

GtkWindow *
nns_window_get_replace_dialog (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), NULL);
  return self->replace_dialog;
}

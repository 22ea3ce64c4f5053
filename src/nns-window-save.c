/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-window"

/* Saving from the window: Save and Save As (the name, "Replace …?", the file
 * written in a worker thread while the window stays responsive), and the
 * Save Changes? question every way of dropping the document asks first
 * (closing the window, quitting, New, Open, Open Recent, a drop).
 *
 * Both are GTasks with the window as source: one save at a time
 * (self->save_task, from the request until the file is written or the user
 * cancels) and one question at a time (self->confirm_task). A question that
 * is answered Save finishes only once the file is written, and says "stop"
 * when the save failed or was cancelled, so nothing is dropped unsaved. */

#include "config.h"

#include <glib/gi18n.h>

#include "nns-window-private.h"
#include "nns-window-testing.h"

/* --- saving --- */

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

/* Ends the save in progress: error NULL for written, else why not (taken). */
static void
return_save (NnsWindow *self, GError *error)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->save_task);

  if (task == NULL)
    g_clear_error (&error);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
cancel_save (NnsWindow *self)
{
  return_save (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Not saved")));
}

static void ask_again_after_write (NnsWindow *self);

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (NnsWindow) self = user_data;
  GError *error = NULL;

  /* The window may have gone while the file was written. */
  gboolean gone = self->document == NULL;

  self->writing = FALSE;
  if (nns_document_save_finish (NNS_DOCUMENT (source), result, &error))
    {
      g_autoptr (GFile) file = g_file_new_for_path (nns_document_get_path (NNS_DOCUMENT (source)));

      if (!gone)
        _nns_window_add_recent (self, file, TRUE);
    }
  else if (!gone)
    /* One line naming the file and why ("…: Permission denied", "…: no space
     * left on device"); the document stays as it is, and modified. */
    _nns_window_show_toast (self, error->message);
  if (!gone)
    {
      _nns_window_update_title (self);
      _nns_window_update_actions (self);
    }
  return_save (self, error);
  ask_again_after_write (self);
}

/* Writes the document to path in a worker thread, for the save in progress. */
static void
write_document (NnsWindow *self, const char *path)
{
  self->writing = TRUE;
  _nns_window_update_actions (self);
  nns_document_save_async (self->document, path, NULL, on_written, g_object_ref (self));
}

void
_nns_window_save_async (NnsWindow *self, gboolean save_as, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, callback, user_data);
  const char *path = nns_document_get_path (self->document);

  g_task_set_source_tag (task, _nns_window_save_async);
  if (self->writing)
    {
      g_autofree char *name = nns_document_dup_display_name (self->document);

      g_autofree char *message = g_strdup_printf (_("Still saving “%s”"), name);

      _nns_window_show_toast (self, message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "%s", message);
      return;
    }
  /* A save still waiting for a name gives way to this one. */
  if (self->save_task != NULL)
    cancel_save (self);
  self->save_task = g_steal_pointer (&task);
  if (!save_as && path != NULL)
    write_document (self, path);
  else
    _nns_window_show_file_dialog (self, PURPOSE_SAVE_AS);
}

gboolean
_nns_window_save_finish (NnsWindow *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_nns_window_save_as_cancelled (NnsWindow *self)
{
  cancel_save (self);
}

gboolean
nns_window_get_saving (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), FALSE);
  return self->writing;
}

/* --- "Replace …?" --- */

static gboolean
replace_idle (gpointer user_data)
{
  NnsWindow *self = user_data;
  g_autofree char *path = g_steal_pointer (&self->replace_path);

  if (path == NULL)
    return G_SOURCE_REMOVE;
  if (self->replace_format == NNS_EXPORT_NNSKETCH)
    write_document (self, path);
  else
    nns_window_export_to (self, path, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_replace_response (NnsWindow *self, const char *response, AdwMessageDialog *dialog)
{
  self->replace_dialog = NULL;
  /* What follows may close this window: not inside the dialog's own response. */
  if (g_strcmp0 (response, "replace") == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, replace_idle, g_object_ref (self), g_object_unref);
  else
    {
      g_clear_pointer (&self->replace_path, g_free);
      if (self->replace_format == NNS_EXPORT_NNSKETCH)
        cancel_save (self);
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
      if (self->replace_format == NNS_EXPORT_NNSKETCH && format != NNS_EXPORT_NNSKETCH)
        cancel_save (self);
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

  if (self->writing)
    {
      _nns_window_show_toast (self, _("Still saving: try again once it is written"));
      return;
    }
  /* A name chosen with no save waiting for one (the dialog outlived it):
   * a save of its own. */
  if (self->save_task == NULL)
    {
      self->save_task = g_task_new (self, NULL, NULL, NULL);
      g_task_set_source_tag (self->save_task, _nns_window_save_async);
    }
  target = g_str_has_suffix (path, ".nnsketch") ? g_strdup (path)
                                                : g_strconcat (path, ".nnsketch", NULL);
  /* The file chooser asked about the name chosen, not about this one. */
  if (!g_str_equal (target, path) && g_file_test (target, G_FILE_TEST_EXISTS)
      && !g_file_test (target, G_FILE_TEST_IS_DIR))
    _nns_window_ask_replace (self, target, NNS_EXPORT_NNSKETCH);
  else
    write_document (self, target);
}

GtkWindow *
nns_window_get_replace_dialog (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), NULL);
  return self->replace_dialog;
}

/* --- Save Changes? --- */

static gboolean
return_confirm_idle (gpointer user_data)
{
  g_autoptr (GTask) task = user_data;

  g_task_return_boolean (task, GPOINTER_TO_INT (g_task_get_task_data (task)));
  return G_SOURCE_REMOVE;
}

/* Ends the question: go_ahead, the changes are saved or discarded. Once the
 * dialog is gone: what follows may close this window, its parent. */
static void
return_confirm (NnsWindow *self, gboolean go_ahead)
{
  GTask *task = g_steal_pointer (&self->confirm_task);

  self->confirm_after_write = FALSE;
  if (task == NULL)
    return;
  g_task_set_task_data (task, GINT_TO_POINTER (go_ahead), NULL);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, return_confirm_idle, task, NULL);
}

static void show_discard_dialog (NnsWindow *self);

/* Asks, or goes ahead at once when there is nothing to lose. */
static void
ask (NnsWindow *self)
{
  if (!nns_document_get_modified (self->document))
    return_confirm (self, TRUE);
  else
    show_discard_dialog (self);
}

/* A question asked while a file was being written waits for it: the document
 * may be saved now. */
static void
ask_again_after_write (NnsWindow *self)
{
  if (self->confirm_after_write && self->confirm_task != NULL)
    {
      self->confirm_after_write = FALSE;
      ask (self);
    }
}

static void
on_saved_for_confirm (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NnsWindow *self = NNS_WINDOW (source);
  g_autoptr (GError) error = NULL;

  if (self->confirm_task == NULL)
    return;
  /* A failed save has been toasted already; nothing goes ahead, nothing is lost. */
  if (!_nns_window_save_finish (self, result, &error))
    return_confirm (self, FALSE);
  else
    /* Edits made while the file was written are still unsaved: ask again. */
    ask (self);
}

static void
on_discard_response (NnsWindow *self, const char *response, AdwMessageDialog *dialog)
{
  self->discard_dialog = NULL;
  if (g_strcmp0 (response, "discard") == 0)
    return_confirm (self, TRUE);
  else if (g_strcmp0 (response, "save") == 0)
    _nns_window_save_async (self, FALSE, on_saved_for_confirm, NULL);
  else
    return_confirm (self, FALSE);
}

static void
show_discard_dialog (NnsWindow *self)
{
  g_autofree char *name = nns_document_dup_display_name (self->document);
  GtkWidget *dialog;

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

void
_nns_window_confirm_discard_async (NnsWindow *self, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, _nns_window_confirm_discard_async);
  if (self->confirm_task != NULL)
    {
      if (self->discard_dialog == NULL)
        {
          /* The answer was Save and the file is being written: whatever
           * waits for that goes first. */
          g_task_return_boolean (task, FALSE);
          return;
        }
      /* The question is on screen: the newer request takes its answer. */
      return_confirm (self, FALSE);
      self->confirm_task = g_steal_pointer (&task);
      gtk_window_present (self->discard_dialog);
      return;
    }
  self->confirm_task = g_steal_pointer (&task);
  if (self->writing)
    self->confirm_after_write = TRUE;
  else
    ask (self);
}

gboolean
_nns_window_confirm_discard_finish (NnsWindow *self, GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

/* Drops what is still waiting: the window goes. */
void
_nns_window_save_dispose (NnsWindow *self)
{
  if (self->discard_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->discard_dialog, on_discard_response, self);
      gtk_window_destroy (g_steal_pointer (&self->discard_dialog));
    }
  if (self->replace_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->replace_dialog, on_replace_response, self);
      gtk_window_destroy (g_steal_pointer (&self->replace_dialog));
    }
  if (self->confirm_task != NULL)
    {
      g_autoptr (GTask) task = g_steal_pointer (&self->confirm_task);

      g_task_return_boolean (task, FALSE);
    }
  if (!self->writing)
    return_save (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Not saved")));
}

GtkWindow *
nns_window_get_discard_dialog (NnsWindow *self)
{
  g_return_val_if_fail (NNS_IS_WINDOW (self), NULL);
  return self->discard_dialog;
}

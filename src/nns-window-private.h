/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What nns-window.c and nns-window-actions.c share: the instance struct and
 * the helpers the actions call. */

#include "nns-capacity-panel.h"
#include "nns-inspector.h"
#include "nns-train-pane.h"
#include "nns-window.h"

G_BEGIN_DECLS

struct _NnsWindow
{
  AdwApplicationWindow parent_instance;

  NnsDocument    *document;        /* the one truth: network, style, file, history */
  NnsNetwork     *network;         /* the document's, for brevity (never replaced) */
  NnsTheme        theme;           /* the system's: how the canvas renders the document */
  NnsStyle        render_style;    /* the document's style in that theme, for the canvas */
  GSettings      *settings;        /* NULL without the schema: nothing is kept */
  char           *last_toast;
  char           *import_notes;    /* the last import's notes, one a line, for Show Notes */
  char           *export_folder;   /* where the last export went */
  GtkNativeDialog *export_dialog;
  NnsExportFormat export_format;

  /* documents */
  GtkNativeDialog *file_dialog;    /* Open, Import or Save As */
  int             file_purpose;
  GtkWindow      *discard_dialog;  /* "Save Changes?" while it is shown */
  GtkWindow      *replace_dialog;  /* "Replace …?" after a name got an extension */
  char           *replace_path;
  int             replace_format;  /* an NnsExportFormat: NNSKETCH for Save As */
  GTask          *save_task;       /* the save in progress: waiting for a name, or writing */
  gboolean        writing;         /* the document is being written in a worker thread */
  GTask          *confirm_task;    /* the Save Changes? question in progress */
  gboolean        confirm_after_write; /* asked while writing: ask once it is written */
  gboolean        close_confirmed;
  guint           sliding;         /* rows whose slider the pointer holds */
  GtkRecentManager *recent_manager;

  NnsLayerRow    *input_row;

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkMenuButton  *export_button;
  AdwButtonContent *export_content;
  AdwFlap        *flap;
  GtkWidget      *layers_button;
  GtkWidget      *open_button;
  GtkWidget      *capacity_button;
  GtkWidget      *train_button;
  GtkWidget      *save_button;
  guint           narrow_idle;
  GtkBox         *rows_box;
  GtkButton      *add_button;
  NnsCanvas      *canvas;
  GtkLabel       *info_label;
  GtkLabel       *total_label;
  GtkMenuButton  *menu_button;
  GMenu          *recent_menu;
  GtkRevealer    *capacity_revealer;
  NnsCapacityPanel *capacity_panel;
  GtkRevealer    *train_revealer;
  NnsTrainPane   *train_pane;
  NnsTrainSession *train_session;    /* the document's training run */
  GtkRevealer    *inspector_revealer;   /* shown with style->weight_colors */
  NnsInspector   *inspector;
};

enum { PURPOSE_OPEN, PURPOSE_IMPORT, PURPOSE_SAVE_AS, PURPOSE_LOAD_WEIGHTS };

void _nns_window_show_toast            (NnsWindow      *self,
                                        const char     *text);
void _nns_window_update_title          (NnsWindow      *self);
/* Adds file to the recent files, as ours. */
void _nns_window_add_recent            (NnsWindow      *self,
                                        GFile          *file,
                                        gboolean        is_document);
/* Opens file (dropped, or a recent file) once unsaved changes are saved or
 * discarded. */
void _nns_window_open_file_confirmed   (NnsWindow      *self,
                                        GFile          *file);
/* nns-window-save.c */
/* Saves the document: to its file, or (save_as, or untitled) to a name asked
 * with the Save As dialog; the file is written in a worker thread. Finishes
 * TRUE once it is written; FALSE with why (a failure is toasted already;
 * G_IO_ERROR_CANCELLED: the user cancelled). */
void _nns_window_save_async            (NnsWindow      *self,
                                        gboolean        save_as,
                                        GAsyncReadyCallback callback,
                                        gpointer        user_data);
gboolean _nns_window_save_finish       (NnsWindow      *self,
                                        GAsyncResult   *result,
                                        GError        **error);
/* The Save As dialog closed without a name. */
void _nns_window_save_as_cancelled     (NnsWindow      *self);
/* Before the document is dropped (closing, New, Open…): asks what to do with
 * unsaved changes (Save, Discard, Cancel). Finishes TRUE when there were none
 * or they are saved (written) or discarded: go ahead; FALSE on Cancel or when
 * the save failed: stop, nothing is lost. */
void _nns_window_confirm_discard_async (NnsWindow      *self,
                                        GAsyncReadyCallback callback,
                                        gpointer        user_data);
gboolean _nns_window_confirm_discard_finish (NnsWindow *self,
                                        GAsyncResult   *result);
/* The window goes: the questions are dropped (answered Cancel). */
void _nns_window_save_dispose          (NnsWindow      *self);
/* Open, Import or Save As (PURPOSE_*). */
void _nns_window_show_file_dialog      (NnsWindow      *self,
                                        int             purpose);
/* Asks before path (a name the file chooser did not ask about) is replaced;
 * format: NNSKETCH to save the document there, else the image to export. */
void _nns_window_ask_replace           (NnsWindow      *self,
                                        const char     *path,
                                        NnsExportFormat format);
/* nns-window-export.c */
gboolean _nns_window_export_format_from_id (const char *id,
                                        NnsExportFormat *format);
void _nns_window_export_action         (GtkWidget      *widget,
                                        const char     *action_name,
                                        GVariant       *parameter);
void _nns_window_export_format_action  (GtkWidget      *widget,
                                        const char     *action_name,
                                        GVariant       *parameter);
/* Sets every action's enabled state from the document and the network. */
void _nns_window_update_actions        (NnsWindow      *self);
void _nns_window_class_install_actions (GtkWidgetClass *widget_class);

G_END_DECLS

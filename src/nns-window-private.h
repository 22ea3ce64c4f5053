/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What nns-window.c and nns-window-actions.c share: the instance struct and
 * the helpers the actions call. */

#include "nns-capacity-panel.h"
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
  GtkWindow      *discard_dialog;
  GtkWindow      *replace_dialog;  /* "Replace …?" after a name got an extension */
  char           *replace_path;
  int             replace_format;  /* an NnsExportFormat: NNSKETCH for Save As */
  int             pending;         /* what to do once changes are saved or discarded */
  gboolean        close_confirmed;
  GFile          *dropped_file;    /* dropped or recent, waiting for AFTER_OPEN_FILE */
  guint           sliding;         /* rows whose slider the pointer holds */
  GtkRecentManager *recent_manager;

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
  GtkMenuButton  *menu_button;
  GMenu          *recent_menu;
  GtkRevealer    *capacity_revealer;
  NnsCapacityPanel *capacity_panel;
};

enum { PURPOSE_OPEN, PURPOSE_IMPORT, PURPOSE_SAVE_AS };
enum { AFTER_NOTHING, AFTER_CLOSE, AFTER_NEW, AFTER_OPEN, AFTER_OPEN_FILE };

void _nns_window_show_toast            (NnsWindow      *self,
                                        const char     *text);
void _nns_window_update_title          (NnsWindow      *self);
/* Adds file to the recent files, as ours. */
void _nns_window_add_recent            (NnsWindow      *self,
                                        GFile          *file,
                                        gboolean        is_document);
/* Asks about unsaved changes, then does what (AFTER_*). */
void _nns_window_confirm_discard       (NnsWindow      *self,
                                        int             what);
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

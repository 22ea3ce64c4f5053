/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "nns-canvas.h"
#include "nns-document.h"
#include "nns-export.h"
#include "nns-layer-row.h"
#include "nns-import-dialog.h"
#include "nns-network.h"
#include "nns-style.h"

G_BEGIN_DECLS

#define NNS_TYPE_WINDOW (nns_window_get_type ())
G_DECLARE_FINAL_TYPE (NnsWindow, nns_window, NNS, WINDOW, AdwApplicationWindow)

/* The main window, editing network (shared, not copied) in a new document.
 * app may be NULL (tests). style: the document's own style (NULL: an untitled
 * network in the user's defaults); the theme follows the system. */
NnsWindow   *nns_window_new                 (GtkApplication   *app,
                                             NnsNetwork       *network,
                                             const NnsStyle   *style);
/* The window showing document: its network, style, file and history. */
NnsWindow   *nns_window_new_for_document    (GtkApplication   *app,
                                             NnsDocument      *document);
NnsDocument *nns_window_get_document        (NnsWindow        *self);
NnsNetwork  *nns_window_get_network         (NnsWindow        *self);
/* The document's style as the canvas draws it (in the system's theme). */
const NnsStyle *nns_window_get_style        (NnsWindow        *self);
/* The file the network came from (for titles and default export names). */
void         nns_window_set_path            (NnsWindow        *self,
                                             const char       *path);

/* The network came from file (read by the caller, e.g. from the command
 * line): a document (is_document) becomes the window's file; either goes into
 * the recent files. A file that is no regular file (a pipe) is neither, and
 * the window stays untitled. */
void         nns_window_set_file            (NnsWindow        *self,
                                             GFile            *file,
                                             gboolean          is_document);

/* Documents. Each returns FALSE and toasts the reason on failure. */
void         nns_window_new_document        (NnsWindow        *self);
/* Open: a .nnsketch document, or PyTorch text, which starts a new untitled
 * (and unmodified) document. Either resets the undo history. */
/* File → Load Weights…: a safetensors or ONNX file's weights become the
 * open network's (one undo step) when every tensor's shape matches; else a
 * toast and an error naming the tensor and both shapes. */
gboolean     nns_window_load_weights        (NnsWindow        *self,
                                             GFile            *file,
                                             GError          **error);
gboolean     nns_window_open_file           (NnsWindow        *self,
                                             GFile            *file,
                                             GError          **error);
gboolean     nns_window_save_to             (NnsWindow        *self,
                                             const char       *path,
                                             GError          **error);
gboolean     nns_window_get_modified        (NnsWindow        *self);
/* Import PyTorch: the dialog to paste text into (or choose a file from). An
 * import is an edit of the current document (same file, undoable). */
NnsImportDialog *nns_window_show_import_dialog (NnsWindow      *self);

/* Inserts a hidden layer before the output layer. */
gboolean     nns_window_add_hidden_layer    (NnsWindow        *self,
                                             GError          **error);
/* Exports the drawing with the window's style to path (what the file dialog
 * does after it closes); toasts the result and remembers the folder. */
gboolean     nns_window_export_to           (NnsWindow        *self,
                                             const char       *path,
                                             GError          **error);
/* What the Export dialog does with the name chosen: adds format's extension
 * to a name without an image extension, asks before that replaces an existing
 * file (the dialog asked about the name chosen only), and exports. */
void         nns_window_export_chosen       (NnsWindow        *self,
                                             const char       *path,
                                             NnsExportFormat   format);
/* What the Save As dialog does with the name chosen: adds ".nnsketch", asks
 * before that replaces an existing file, and saves (in a worker thread); what
 * waited for the save (closing, New, Open) goes ahead once the file is
 * written, not when the answer was Cancel or the save failed. */
void         nns_window_save_as_chosen      (NnsWindow        *self,
                                             const char       *path);
/* "network.png" or the document's name with the format's extension. */
char        *nns_window_dup_export_name     (NnsWindow        *self,
                                             NnsExportFormat   format);

/* "Show all neurons" (win.show-all-neurons): draw every neuron of large
 * layers. A style change: it marks the document modified, is an undo step,
 * and is written to the show-all-neurons key of the settings. */
gboolean     nns_window_get_show_all_neurons (NnsWindow       *self);
void         nns_window_set_show_all_neurons (NnsWindow       *self,
                                              gboolean         show_all);
/* The "Open Recent" submenu: our recent files, newest first. */
GMenuModel  *nns_window_get_recent_menu     (NnsWindow        *self);

/* The app's settings (window size, export folder, diagram style), NULL when
 * the schema is not installed. */
GSettings   *nns_window_get_settings        (NnsWindow        *self);
void         nns_window_show_preferences    (NnsWindow        *self);
G_END_DECLS

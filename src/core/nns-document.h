/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "nns-document-format.h"
#include "nns-history.h"
#include "nns-input.h"
#include "nns-network.h"
#include "nns-style.h"
#include "nns-weights.h"

G_BEGIN_DECLS

/* One open network: the network, the document's own style, its file, its undo
 * history and whether it is modified. Views observe it and keep no copy: the
 * network's "changed", "style-changed" here, notify::path, notify::modified,
 * notify::can-undo and notify::can-redo.
 *
 * The style resolves in layers: the built-in defaults < the user's defaults
 * (set by the app from GSettings, nns_document_set_defaults) < the document's
 * own options. A new untitled network has no options of its own and follows
 * the user's defaults; a document read from a file owns every option it
 * stores. Style edits set options of the document's own (undoable); the
 * user's defaults are never written here. The theme is not the document's:
 * the resolved style has the default theme and views render it in theirs. */

#define NNS_TYPE_DOCUMENT (nns_document_get_type ())
G_DECLARE_FINAL_TYPE (NnsDocument, nns_document, NNS, DOCUMENT, GObject)

/* An untitled document showing network (shared, not copied; NULL: the
 * default network), unmodified, with no style of its own. */
NnsDocument    *nns_document_new              (NnsNetwork     *network);
NnsNetwork     *nns_document_get_network      (NnsDocument    *self);

/* The resolved style. */
const NnsStyle *nns_document_get_style        (NnsDocument    *self);
/* The document's own options: those in *mask (either nullable). */
void            nns_document_get_own_style    (NnsDocument    *self,
                                               NnsStyle       *style,
                                               NnsStyleMask   *mask);
/* The layer below the document's own: the user's defaults. No edit. */
void            nns_document_set_defaults     (NnsDocument    *self,
                                               const NnsStyle *defaults);
/* An edit: every option whose value differs from the resolved style becomes
 * the document's own. One undo step; consecutive edits with the same key
 * (nullable) are one step. */
void            nns_document_set_style        (NnsDocument    *self,
                                               const NnsStyle *style,
                                               const char     *key);
/* An edit: the document drops its own options (one undo step) and follows
 * the user's defaults again. */
void            nns_document_reset_style      (NnsDocument    *self);

/* Replaces everything (Open, New): network copied in, own_style's options in
 * own_mask (NNS_STYLE_MASK_ALL: every document option) as the own style,
 * path (nullable). The history starts again, unmodified. */
void            nns_document_load             (NnsDocument    *self,
                                               NnsNetwork     *network,
                                               const NnsStyle *own_style,
                                               NnsStyleMask    own_mask,
                                               const char     *path);
/* An edit of the network (Import PyTorch): one undo step, same file. */
void            nns_document_replace_network  (NnsDocument    *self,
                                               NnsNetwork     *network);

/* The network's weights (frozen; never NULL; they always fit the network).
 * A new document has nns_weights_new_init (network, seed); an edit of the
 * network keeps the tensors whose shape did not change and initialises the
 * others; undo and redo restore the weights of each state. "weights-changed"
 * tells when they become another object. */
NnsWeights     *nns_document_get_weights      (NnsDocument    *self);
/* The seed of the initial weights (NNS_WEIGHTS_SEED_DEFAULT unless loaded). */
guint32         nns_document_get_weights_seed (NnsDocument    *self);
/* An edit: weights (a reference is taken; it is frozen) become the
 * network's. One undo step. Refused with an error naming the tensor and both
 * shapes when they do not fit (nns_weights_check). */
gboolean        nns_document_set_weights      (NnsDocument    *self,
                                               NnsWeights     *weights,
                                               GError        **error);
/* As set_weights; consecutive calls with the same key (training's epochs)
 * are one undo step. */
gboolean        nns_document_set_weights_coalesce (NnsDocument *self,
                                               NnsWeights     *weights,
                                               const char     *key,
                                               GError        **error);
/* As nns_document_load, with weights (NULL: initialised for seed). */
void            nns_document_load_with_weights (NnsDocument   *self,
                                               NnsNetwork     *network,
                                               NnsWeights     *weights,
                                               guint32         seed,
                                               const NnsStyle *own_style,
                                               NnsStyleMask    own_mask,
                                               const char     *path);

/* Opens a model file's network and weights (an untitled document, as
 * nns_document_load_with_weights): it is opened to see its trained weights,
 * so the document owns Colour by Weight, on, besides own_style's options in
 * own_mask (nullable / 0). */
void            nns_document_load_model       (NnsDocument    *self,
                                               NnsNetwork     *network,
                                               NnsWeights     *weights,
                                               const NnsStyle *own_style,
                                               NnsStyleMask    own_mask);

const char     *nns_document_get_path         (NnsDocument    *self);
void            nns_document_set_path         (NnsDocument    *self,
                                               const char     *path);
/* The file's name, or "Untitled Network". */
char           *nns_document_dup_display_name (NnsDocument    *self);
gboolean        nns_document_get_modified     (NnsDocument    *self);

gboolean        nns_document_get_can_undo     (NnsDocument    *self);
gboolean        nns_document_get_can_redo     (NnsDocument    *self);
gboolean        nns_document_undo             (NnsDocument    *self);
gboolean        nns_document_redo             (NnsDocument    *self);
/* Edits between begin and end are one undo step (a slider drag). */
void            nns_document_begin_group      (NnsDocument    *self);
void            nns_document_end_group        (NnsDocument    *self);
NnsHistory     *nns_document_get_history      (NnsDocument    *self);

/* Writes the document (resolved style, so the file looks the same anywhere)
 * to path atomically; on success it becomes the document's path and the
 * document is unmodified. */
gboolean        nns_document_save_to          (NnsDocument    *self,
                                               const char     *path,
                                               GError        **error);
/* The same with the writing in a worker thread; the document is read when
 * called, so later edits do not reach the file (and keep it modified). */
void            nns_document_save_async       (NnsDocument    *self,
                                               const char     *path,
                                               GCancellable   *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer        user_data);
gboolean        nns_document_save_finish      (NnsDocument    *self,
                                               GAsyncResult   *result,
                                               GError        **error);

G_END_DECLS

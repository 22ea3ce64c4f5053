/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "nns-layout.h"
#include "nns-network.h"
#include "nns-neuron-selection.h"
#include "nns-reference.h"
#include "nns-render-weights.h"
#include "nns-train-session.h"
#include "nns-style.h"

G_BEGIN_DECLS

#define NNS_TYPE_CANVAS (nns_canvas_get_type ())
G_DECLARE_FINAL_TYPE (NnsCanvas, nns_canvas, NNS, CANVAS, GtkWidget)

/* Draws a network through the core renderer, in the layout's coordinates
 * under a view transform (fit, zoom, pan), and lets the user select a neuron.
 * Emits "selection-changed" when the selected neuron changes. */
GtkWidget       *nns_canvas_new                 (void);
void             nns_canvas_set_network         (NnsCanvas      *self,
                                                 NnsNetwork     *network);
NnsNetwork      *nns_canvas_get_network         (NnsCanvas      *self);
/* A pinned reference to draw as a ghost outline under the network (NULL: none). */
void             nns_canvas_set_reference       (NnsCanvas      *self,
                                                 NnsReference   *reference);
/* The document's weights, drawn with style->weight_colors and read by the
 * hover text over an edge (NULL: none). */
void             nns_canvas_set_weights         (NnsCanvas      *self,
                                                 NnsWeights     *weights);
const NnsWeightSource *nns_canvas_get_weights   (NnsCanvas      *self);
/* A training run: while it holds its hidden units' maps over a 2-D problem's
 * plane, each drawn hidden neuron shows its map inside its circle. */
void             nns_canvas_set_train_session   (NnsCanvas      *self,
                                                 NnsTrainSession *session);
/* How many maps the last frame drew (tests). */
guint            nns_canvas_get_n_unit_tiles    (NnsCanvas      *self);
void             nns_canvas_set_style           (NnsCanvas      *self,
                                                 const NnsStyle *style);
const NnsStyle  *nns_canvas_get_style           (NnsCanvas      *self);
/* The layout being drawn (cached; rebuilt after a model or style change, and
 * in the fitted view after a resize): it fits the canvas's box less padding,
 * so at the fitted zoom (its fit scale) labels are at their nominal size. */
const NnsLayout *nns_canvas_get_layout          (NnsCanvas      *self);

/* The selected and the hovered neuron (owned by the canvas): the canvas
 * draws and describes it, and re-emits its "changed" as
 * "selection-changed"; the functions below are its shorthands. */
NnsNeuronSelection *nns_canvas_get_neuron_selection (NnsCanvas  *self);
gboolean         nns_canvas_get_selection       (NnsCanvas      *self,
                                                 guint          *column,
                                                 guint          *neuron);
void             nns_canvas_select              (NnsCanvas      *self,
                                                 guint           column,
                                                 guint           neuron);
void             nns_canvas_clear_selection     (NnsCanvas      *self);
/* Arrow keys: along moves within a layer, across between layers. */
void             nns_canvas_move_selection      (NnsCanvas      *self,
                                                 int             across,
                                                 int             along);
/* Home / End: the first or last drawn neuron of the selected layer (of the
 * input if nothing is selected). */
void             nns_canvas_select_end          (NnsCanvas      *self,
                                                 gboolean        last);
/* What a key press on the focused canvas does (the key controller calls it):
 * arrows, Home, End, Escape. Returns TRUE if the key was used. */
gboolean         nns_canvas_handle_key          (NnsCanvas      *self,
                                                 guint           keyval,
                                                 GdkModifierType state);
/* The accessible description the canvas set for the selected neuron (the
 * text of nns_format_neuron()), NULL with nothing selected. */
const char      *nns_canvas_get_description     (NnsCanvas      *self);

/* What a click at widget coordinates does (the click gesture calls it):
 * select the neuron there, or clear the selection. Returns TRUE if a neuron
 * was hit. */
gboolean         nns_canvas_click_at            (NnsCanvas      *self,
                                                 double          x,
                                                 double          y);
/* The hover text at widget coordinates, NULL over empty space. */
char            *nns_canvas_dup_tooltip_at      (NnsCanvas      *self,
                                                 double          x,
                                                 double          y);

/* View transform: widget = layout × zoom + offset. */
void             nns_canvas_layout_to_widget    (NnsCanvas      *self,
                                                 double          lx,
                                                 double          ly,
                                                 double         *wx,
                                                 double         *wy);
void             nns_canvas_widget_to_layout    (NnsCanvas      *self,
                                                 double          wx,
                                                 double          wy,
                                                 double         *lx,
                                                 double         *ly);
double           nns_canvas_get_zoom            (NnsCanvas      *self);
gboolean         nns_canvas_get_fit             (NnsCanvas      *self);
/* Zooms by factor keeping the widget point (x, y) still. */
void             nns_canvas_zoom_at             (NnsCanvas      *self,
                                                 double          factor,
                                                 double          x,
                                                 double          y);
void             nns_canvas_zoom_in             (NnsCanvas      *self);
void             nns_canvas_zoom_out            (NnsCanvas      *self);
void             nns_canvas_zoom_fit            (NnsCanvas      *self);
void             nns_canvas_pan                 (NnsCanvas      *self,
                                                 double          dx,
                                                 double          dy);

/* How many times the drawing was rendered (the snapshot reuses a cached node
 * while nothing changed); for tests and benchmarks. */
guint            nns_canvas_get_n_renders       (NnsCanvas      *self);
/* How many of those moved the last frame after a pan and drew only the
 * uncovered bands. */
guint            nns_canvas_get_n_panned        (NnsCanvas      *self);

/* Whether the theme paints the canvas dark (its text colour is light),
 * whatever made it so; the canvas then draws the dark palette. */
gboolean         nns_canvas_is_dark             (NnsCanvas      *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "nns-layout.h"
#include "nns-weights.h"

G_BEGIN_DECLS

/* Drawing a network's real weights: every edge coloured by the sign of its
 * weight, its opacity and width by |w| relative to its layer's largest |w|,
 * bias rings on the neurons, a legend, and what hovering and inspecting
 * read back. The weights themselves are owned elsewhere (the document's
 * NnsWeights); this reads them through a plain view.
 *
 * Encoding, per dense layer (column pair c → c + 1), r = |w| / max |w| of
 * that layer:
 *   colour  = palette.positive for w > 0, palette.negative for w < 0
 *   opacity = a · r      (a: the pair's density opacity, nns_edges_density_opacity)
 *   width   = edge_width · (0.5 + r)
 * and only edges with r ≥ style->weight_threshold are drawn. A neuron's bias
 * b is a ring in the sign's colour at opacity |b| / max |b| of its layer. */

typedef struct
{
  guint        n_in, n_out;
  const float *weight;   /* n_out × n_in, row-major as PyTorch's Linear.weight */
  const float *bias;     /* n_out; NULL: no bias */
} NnsWeightMatrix;

typedef struct
{
  guint                  n_layers;
  const NnsWeightMatrix *layers;
  /* Changes whenever any value changes: drawn edge layers cached under an
   * older stamp are drawn again. */
  guint64                stamp;
} NnsWeightSource;

/* A source reading the dense layers of weights (a reference is kept; the
 * matrices point into it). The stamp is the weights object: the document
 * replaces its frozen weights on every change. */
NnsWeightSource *nns_weight_source_new   (NnsWeights            *weights);
void             nns_weight_source_free  (NnsWeightSource       *source);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnsWeightSource, nns_weight_source_free)

/* Whether the source fits the network the layout was made of (every layer's
 * shape); a source that does not fit is never drawn. */
gboolean nns_weight_source_fits       (const NnsWeightSource *source,
                                       const NnsLayout       *layout);

typedef struct
{
  float min, max;        /* of the weights */
  float max_abs;         /* > 0 unless every weight is 0 */
  float bias_max_abs;    /* 0 without bias */
} NnsWeightRange;

void     nns_weight_matrix_get_range  (const NnsWeightMatrix *matrix,
                                       NnsWeightRange        *out);

/* The colour of a value v on the diverging palette for values in
 * [-max_abs, max_abs]: background at 0, positive / negative at full |v|. */
void     nns_weight_color             (const NnsPalette      *palette,
                                       double                 v,
                                       double                 max_abs,
                                       NnsColor              *out);

/* An image (ARGB32, opaque) of width × height values (row-major) on that
 * palette: the incoming weights of a neuron as a picture, a layer's matrix
 * as a heatmap. NULL if too large for cairo. */
cairo_surface_t *nns_weight_image_new (const float           *values,
                                       guint                  width,
                                       guint                  height,
                                       double                 max_abs,
                                       const NnsPalette      *palette);

/* Caches the drawn edge layers of each column pair, so a frame that only
 * pans or changes the selection repaints an image instead of every edge.
 * Optional: without one every frame draws every edge. */
typedef struct _NnsWeightEdgeCache NnsWeightEdgeCache;

NnsWeightEdgeCache *nns_weight_edge_cache_new  (void);
void                nns_weight_edge_cache_free (NnsWeightEdgeCache *cache);
/* How many edge layers were drawn afresh (not reused); for tests and benchmarks. */
guint               nns_weight_edge_cache_get_n_drawn (NnsWeightEdgeCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnsWeightEdgeCache, nns_weight_edge_cache_free)

/* The renderer's side (nns-render.c). Draws the edges from column c to
 * c + 1 by their weights with the pair's opacity. On image surfaces pairs of
 * more than NNS_WEIGHT_EDGES_ACCUMULATE edges go through a float buffer of
 * per-pixel density (one pass over the edges, O(edges × length in px)),
 * turned into one image; on vector surfaces (SVG, PDF) pairs of more than
 * NNS_WEIGHT_EDGES_VECTOR_MAX edges are embedded as such an image at twice
 * the page's resolution, smaller ones are real lines. */
#define NNS_WEIGHT_EDGES_ACCUMULATE 400
#define NNS_WEIGHT_EDGES_VECTOR_MAX 4096

void     nns_render_weight_edges      (cairo_t               *cr,
                                       const NnsLayout       *layout,
                                       const NnsStyle        *style,
                                       const NnsPalette      *palette,
                                       const NnsWeightSource *source,
                                       guint                  column,
                                       double                 opacity,
                                       NnsWeightEdgeCache    *cache);
/* The edges of one neuron (incoming from the column before it, outgoing to
 * the one after) at opacity 0.25 + 0.75 · r and twice the width: the
 * selected neuron's fan. On image surfaces a straight fan of more than
 * NNS_WEIGHT_FAN_ACCUMULATE edges goes through the float buffer as the
 * body's pairs do (same-sign edges composite exactly as OVER, mixed ones in
 * no order); other fans are stroked one by one. */
#define NNS_WEIGHT_FAN_ACCUMULATE 64

void     nns_render_weight_fan        (cairo_t               *cr,
                                       const NnsLayout       *layout,
                                       const NnsStyle        *style,
                                       const NnsPalette      *palette,
                                       const NnsWeightSource *source,
                                       const NnsNode         *node);
/* Bias rings on every drawn neuron of dense layers with a bias. */
void     nns_render_weight_biases     (cairo_t               *cr,
                                       const NnsLayout       *layout,
                                       const NnsStyle        *style,
                                       const NnsPalette      *palette,
                                       const NnsWeightSource *source);
/* The legend in the layout's legend box (nns_layout_get_legend()): one row
 * per dense layer, a bar from −max |w| to +max |w| and the layer's range. */
void     nns_render_weight_legend     (cairo_t               *cr,
                                       NnsNetwork            *network,
                                       const NnsLayout       *layout,
                                       const NnsStyle        *style,
                                       const NnsPalette      *palette,
                                       const NnsWeightSource *source);
/* The legend's row for dense layer `layer`: "Hidden 1: −0.0357 … +0.0357".
 * Row 0 of the legend is the heading (nns_render_weight_legend_heading). */
char    *nns_render_weight_legend_row (NnsNetwork            *network,
                                       const NnsWeightSource *source,
                                       guint                  layer);
char    *nns_render_weight_legend_heading (const NnsStyle    *style);

/* ---- Reading back ---- */

/* The drawn edge nearest layout point (x, y) within tolerance (layout units)
 * among those the style shows (threshold): the column of its source, the
 * source neuron (the column's width for the bias node) and the target. */
gboolean nns_weight_hit_edge          (const NnsLayout       *layout,
                                       const NnsStyle        *style,
                                       const NnsWeightSource *source,
                                       double                 x,
                                       double                 y,
                                       double                 tolerance,
                                       guint                 *column,
                                       guint                 *from,
                                       guint                 *to);
/* "Hidden 1 neuron 3 ← Input 7: w = −0.412 (weight[2, 6])"; the bias:
 * "Hidden 1 neuron 3: bias = 0.118 (bias[2])". Neurons count from 1 as the
 * app's captions do, the PyTorch index from 0. */
char    *nns_weight_describe_edge     (NnsNetwork            *network,
                                       const NnsWeightSource *source,
                                       guint                  column,
                                       guint                  from,
                                       guint                  to);
/* A weight as the app shows it: 3 significant digits, a true minus sign. */
char    *nns_weight_format            (double                 value);



/* ---- Inspecting one neuron ---- */

/* The incoming weights of neuron `neuron` of dense layer `layer` (a row of
 * its matrix, n_in values), and their indices sorted by value, largest
 * first (ties by index). Free the order with g_free (). */
const float *nns_weight_incoming      (const NnsWeightSource *source,
                                       guint                  layer,
                                       guint                  neuron);
guint       *nns_weight_sort_desc     (const float           *values,
                                       guint                  n);
/* Counts of values in n_bins equal bins over [-max_abs, max_abs]
 * (max_abs of the values; a value on a boundary goes to the upper bin, the
 * largest into the last). Returns max_abs (0: every value 0, one bin). */
double       nns_weight_histogram     (const float           *values,
                                       guint                  n,
                                       guint                  n_bins,
                                       guint                 *counts);
/* The shape a picture of n incoming values has: shape (nullable; the
 * input's, nns_network_get_input_shape) when it holds n values, else
 * side × side for n = side² (784 = 28 × 28); FALSE when neither. */
gboolean     nns_weight_picture_shape (guint                  n,
                                       const NnsInputShape   *shape,
                                       NnsInputShape         *out);
/* The incoming weights of a neuron as a picture (nns_weight_image_new's
 * colours) in that shape: H × W, or C tiles of H × W side by side in channel
 * order with one background-coloured column between them (signed weights
 * on a diverging palette do not mix into RGB). Pixel (c · (W + 1) + x, y) is
 * values[c·H·W + y·W + x], PyTorch's flatten order. NULL when there is no
 * picture shape. */
cairo_surface_t *nns_weight_picture_new (const float         *values,
                                       guint                  n,
                                       const NnsInputShape   *shape,
                                       double                 max_abs,
                                       const NnsPalette      *palette);
/* "Weights: PyTorch's default initialisation (seed 1)" or "Weights: loaded"
 * — what the drawing shows, for the window and the README. */
char        *nns_weight_describe_origin (NnsWeights          *weights,
                                       NnsNetwork            *network,
                                       guint32                seed);

G_END_DECLS

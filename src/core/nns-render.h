/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "nns-layout.h"
#include "nns-render-weights.h"

G_BEGIN_DECLS

/* The one renderer: the canvas, PNG, SVG and PDF all draw through it. */

typedef struct
{
  gboolean active;
  guint    column;
  guint    neuron;
} NnsSelection;

typedef struct
{
  gboolean             draw_background;   /* FALSE: transparent */
  const NnsSelection  *selection;         /* NULL: nothing selected */
  /* The colour painted under the drawing when it is not the theme's own
   * (an export on white): the palette follows it, so text always shows.
   * NULL: the theme's background. */
  const NnsColor      *background;
  gboolean             skip_labels;       /* the SVG export writes them as <text> itself */
  NnsNetwork          *reference;         /* NULL: no ghost (nns-render-reference.h) */
  /* The network's weights, drawn with style->weight_colors (nns-render-weights.h);
   * NULL or a source of other shapes: plain edges and a legend saying so. */
  const NnsWeightSource *weights;
  NnsWeightEdgeCache    *weight_cache;     /* NULL: nothing kept between frames */
} NnsRenderOptions;

/* Per-layer params labels are drawn in the text colour at this opacity. */
#define NNS_RENDER_PARAMS_ALPHA 0.7

/* Draws the whole diagram in layout coordinates onto cr (which the caller may
 * have scaled / translated). Nodes outside cr's clip are skipped, so a canvas
 * showing part of a million-neuron column stays fast.
 *
 * Cost: straight edges go through nns_edges_draw_bundle() (a bundle per pair
 * of node groups); weight colours through nns_render_weight_edges() (an
 * accumulated image per pair of columns, reused from weight_cache). Bézier
 * edges and arrowheads are drawn one edge at a time, up to 200,000 edges per pair of columns; beyond that the
 * pair falls back to straight bundles. The selected neuron's edges are drawn
 * one by one in the accent colour over everything else at 25 % opacity. */
void nns_render (cairo_t                *cr,
                 NnsNetwork             *network,
                 const NnsLayout        *layout,
                 const NnsStyle         *style,
                 const NnsRenderOptions *options);

/* The same picture in two steps, for a view that redraws often with only the
 * selection changed: nns_render_body() draws the part a selection dims (the
 * edges and the nodes, nothing else) onto cr, which the caller keeps as an
 * image; nns_render_over_body() then draws the whole diagram as nns_render()
 * does, with that image (a pattern in cr's device space, drawn under the
 * same transform and options) in place of the edges and nodes. The selection
 * then costs a paint of the image and the selected neuron's fans, not a
 * redraw of every edge. */
void nns_render_body      (cairo_t                *cr,
                           NnsNetwork             *network,
                           const NnsLayout        *layout,
                           const NnsStyle         *style,
                           const NnsRenderOptions *options);
void nns_render_over_body (cairo_t                *cr,
                           NnsNetwork             *network,
                           const NnsLayout        *layout,
                           const NnsStyle         *style,
                           const NnsRenderOptions *options,
                           cairo_pattern_t        *body);

/* Frames allocate and free the same few megabytes each time (the frame's
 * image, the edge masks, the renderer's own surfaces). glibc gives such
 * blocks back to the kernel at each free and the next frame faults them in
 * again, zeroed: a fifth of a frame's time. Called once at start-up by
 * whoever draws frames (the app, the benchmarks), it keeps freed memory in
 * the process for the next frame. */
void nns_render_keep_memory (void);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "nns-style.h"

G_BEGIN_DECLS

/* Every edge between two evenly spaced columns of points, all with one colour,
 * width and opacity: a "bundle". Because the edges share colour and opacity the
 * order they composite in does not matter, so the picture depends only on how
 * much of each pixel they cover, which has a closed form per pixel column.
 *
 * Source points: (x0 + i·dx0, y0 + i·dy0), i < n0; target points likewise. */
typedef struct
{
  double   x0, y0, dx0, dy0;
  guint    n0;
  double   x1, y1, dx1, dy1;
  guint    n1;
  double   line_width;
  NnsColor color;          /* alpha: the opacity of one edge */
  /* The opaque colour already painted beneath the bundle, which nothing
   * else between these columns overlaps: vector shading may then paint
   * opaque strips composited over it, which join without seams. */
  gboolean has_under;
  NnsColor under;
} NnsEdgeBundle;

/* Fast: O(pixels), not O(edges), on image surfaces; on vector surfaces
 * (SVG, PDF) small bundles are real lines and large ones vector shading:
 * strips of linear gradients that follow the same coverage (no image). */
void   nns_edges_draw_bundle        (cairo_t             *cr,
                                     const NnsEdgeBundle *bundle);
/* Bundles drawn one after another onto one cairo_t: on an image surface
 * they are queued, rasterised together with every core sharing the columns
 * of them all, and painted in the order they were added when the batch is
 * flushed or freed (anything else is drawn at once, after what is queued).
 * Nothing else may draw on cr, nor its clip change, while bundles are
 * queued: flush first. */
typedef struct _NnsEdgeBatch NnsEdgeBatch;

NnsEdgeBatch *nns_edges_batch_new   (cairo_t             *cr);
void          nns_edges_batch_add   (NnsEdgeBatch        *batch,
                                     const NnsEdgeBundle *bundle);
void          nns_edges_batch_flush (NnsEdgeBatch        *batch);
/* Flushes and frees. */
void          nns_edges_batch_free  (NnsEdgeBatch        *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnsEdgeBatch, nns_edges_batch_free)

/* An opaque line of line_width from (x, y) to each point (xy[2i], xy[2i+1]),
 * i < n, in color, as one stroke of them all (butt caps) would draw, and
 * at least one device pixel wide: the selected neuron's fans. Ends closer
 * together than the width make a solid wedge. Fast on image surfaces: O(pixels of the lines)
 * into one mask, where a stroke of hundreds of lines meeting in a point
 * costs cairo tens of milliseconds. FALSE when it cannot (a vector surface,
 * a rotation, non-uniform scale): the caller strokes the path instead. */
gboolean nns_edges_draw_fan         (cairo_t             *cr,
                                     double               x,
                                     double               y,
                                     const double        *xy,
                                     guint                n,
                                     double               line_width,
                                     const NnsColor      *color);
/* nns_edges_draw_fan() in steps, so that a helper thread can draw one fan's
 * mask while the caller draws another: start sets it up (NULL when
 * nns_edges_draw_fan() would return FALSE); launch hands the mask to the
 * helper, if there is one; finish draws the mask if nobody has yet, or
 * waits for it, and paints it on cr, whose transformation and clip must be
 * the ones start saw. */
typedef struct _NnsEdgeFan NnsEdgeFan;
NnsEdgeFan *nns_edges_fan_start     (cairo_t             *cr,
                                     double               x,
                                     double               y,
                                     const double        *xy,
                                     guint                n,
                                     double               line_width,
                                     const NnsColor      *color);
void        nns_edges_fan_launch    (NnsEdgeFan          *fan);
void        nns_edges_fan_finish    (cairo_t             *cr,
                                     NnsEdgeFan          *fan);
/* The reference: one antialiased cairo_stroke per edge. */
void   nns_edges_draw_bundle_naive  (cairo_t             *cr,
                                     const NnsEdgeBundle *bundle);
/* Makes nns_edges_draw_bundle() stroke edge by edge, as if NNS_NAIVE_EDGES=1
 * were set in the environment (which the benchmark uses to time the whole
 * nnsketch process both ways); for benchmarks and tests. */
void   nns_edges_set_force_naive    (gboolean             naive);
/* A bundle of many pixel columns is drawn by the calling thread with
 * helper threads on the other cores (the columns are independent: the
 * picture is the same either way). TRUE draws on the calling thread only;
 * for benchmarks and tests. */
void   nns_edges_set_single_thread  (gboolean             single);
/* Drops the crossing tables kept for the next bundle of the same shape, so
 * the next frame is drawn from nothing; for benchmarks and tests. */
void   nns_edges_forget             (void);
/* How many pixel columns helper threads have drawn so far; for tests. */
guint  nns_edges_get_helped_columns (void);
/* The opacity one edge gets so a dense bundle reads as shading, not a solid
 * block: base_opacity for sparse bundles, less as edges per pixel grow. */
double nns_edges_density_opacity    (guint                n0,
                                     guint                n1,
                                     double               span,
                                     double               line_width,
                                     double               base_opacity);

G_END_DECLS

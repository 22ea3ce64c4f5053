/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-render"

#include "config.h"

#include <malloc.h>
#include <math.h>

#include "nns-dots.h"
#include "nns-edges.h"
#include "nns-render.h"
#include "nns-render-private.h"
#include "nns-render-reference.h"

/* Everything not selected is drawn at this opacity while a neuron is selected. */
#define DIM_ALPHA        0.25
/* Edges drawn one by one (Bézier, weight colours, arrowheads) cost about a
 * microsecond each; past this many in one pair of columns the pair falls
 * back to plain straight bundles. */
#define PER_EDGE_MAX     200000
/* Device pixels between the ends of two drawn lines of a selected fan. */
#define FAN_MIN_GAP      0.25

typedef struct
{
  cairo_t         *cr;
  NnsNetwork      *network;
  const NnsLayout *layout;
  const NnsStyle  *style;
  NnsPalette       palette;
  gboolean         vertical;
  double           radius;
  double           border;
  double           device_scale;   /* layout units to device pixels (or points) */
  gboolean         opaque_background;   /* the palette's background is painted under it all */
  /* the clip in layout coordinates, to skip nodes nobody sees */
  double           cx0, cy0, cx1, cy1;
  /* style->weight_colors with weights of the network's shape */
  const NnsWeightSource *weights;
  NnsWeightEdgeCache    *weight_cache;
  /* 1, or how much of each colour the body keeps, the rest the background's
   * (a selection dims the body so) */
  double           keep;
} Ctx;

static void
set_color (cairo_t *cr, const NnsColor *color, double alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/* ---- edges ---- */

/* The unit direction an edge arrives in: along the line when straight;
 * across the columns for a Bézier, whose ends are level. FALSE for a
 * zero-length edge. */
static gboolean
edge_direction (const Ctx *ctx, double x0, double y0, double x1, double y1, double *ux,
                double *uy)
{
  double len;

  if (ctx->style->edge_shape == NNS_EDGE_BEZIER)
    {
      *ux = ctx->vertical ? 0 : 1;
      *uy = ctx->vertical ? 1 : 0;
      return TRUE;
    }
  len = hypot (x1 - x0, y1 - y0);
  if (len <= 0)
    return FALSE;
  *ux = (x1 - x0) / len;
  *uy = (y1 - y0) / len;
  return TRUE;
}

/* One edge from a to b as a path; with an arrowhead the line stops at the
 * head, which is filled separately. */
static void
edge_path (const Ctx *ctx, double x0, double y0, double x1, double y1, double width,
           gboolean arrow)
{
  cairo_t *cr = ctx->cr;
  double ux, uy, head = 0;

  if (!edge_direction (ctx, x0, y0, x1, y1, &ux, &uy))
    return;
  if (arrow)
    {
      head = MAX (4.0, 3.5 * width);
      x1 -= ux * ctx->radius;
      y1 -= uy * ctx->radius;
    }

  cairo_move_to (cr, x0, y0);
  if (ctx->style->edge_shape == NNS_EDGE_BEZIER)
    {
      double ex = x1 - ux * head, ey = y1 - uy * head;

      if (ctx->vertical)
        {
          double my = (y0 + ey) / 2;

          cairo_curve_to (cr, x0, my, ex, my, ex, ey);
        }
      else
        {
          double mx = (x0 + ex) / 2;

          cairo_curve_to (cr, mx, y0, mx, ey, ex, ey);
        }
    }
  else
    cairo_line_to (cr, x1 - ux * head, y1 - uy * head);
}

static void
arrow_head (const Ctx *ctx, double x0, double y0, double x1, double y1, double width)
{
  cairo_t *cr = ctx->cr;
  double ux, uy, head = MAX (4.0, 3.5 * width), half = head * 0.45;

  if (!edge_direction (ctx, x0, y0, x1, y1, &ux, &uy))
    return;
  x1 -= ux * ctx->radius;
  y1 -= uy * ctx->radius;
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x1 - ux * head - uy * half, y1 - uy * head + ux * half);
  cairo_line_to (cr, x1 - ux * head + uy * half, y1 - uy * head - ux * half);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
straight_bundles (const Ctx *ctx, NnsEdgeBatch *batch, guint column, const NnsColor *color,
                  double opacity)
{
  guint n_src = nns_layout_get_n_groups (ctx->layout, column);
  guint n_dst = nns_layout_get_n_groups (ctx->layout, column + 1);
  NnsNode bias;
  gboolean has_bias = nns_layout_get_bias_node (ctx->layout, column, &bias);

  for (guint a = 0; a < n_src + (has_bias ? 1 : 0); a++)
    for (guint b = 0; b < n_dst; b++)
      {
        NnsNodeGroup src, dst;
        NnsEdgeBundle bundle;

        if (a < n_src)
          nns_layout_get_group (ctx->layout, column, a, &src);
        else
          src = (NnsNodeGroup) { bias.neuron, 1, bias.x, bias.y, 0, 0 };
        nns_layout_get_group (ctx->layout, column + 1, b, &dst);
        bundle = (NnsEdgeBundle) {
          src.x0, src.y0, src.dx, src.dy, src.n,
          dst.x0, dst.y0, dst.dx, dst.dy, dst.n,
          ctx->style->edge_width,
          { color->red, color->green, color->blue, color->alpha * opacity },
        };
        /* The only bundle between these columns, on a painted background. */
        if (ctx->opaque_background && n_src == 1 && n_dst == 1 && !has_bias)
          {
            bundle.has_under = TRUE;
            bundle.under = ctx->palette.background;
          }
        nns_edges_batch_add (batch, &bundle);
      }
}

/* First to last drawn neuron (bias node included), along the column. */
static double
column_span (const Ctx *ctx, guint column)
{
  NnsNode first, last;

  nns_layout_get_drawn_node (ctx->layout, column, 0, &first);
  if (!nns_layout_get_bias_node (ctx->layout, column, &last))
    nns_layout_get_drawn_node (ctx->layout, column,
                               nns_layout_get_n_drawn (ctx->layout, column) - 1, &last);
  return fabs (last.x - first.x) + fabs (last.y - first.y);
}

static void
draw_edges (const Ctx *ctx)
{
  const NnsStyle *style = ctx->style;
  guint n_columns = nns_layout_get_n_columns (ctx->layout);

  /* every column's bundles rasterised together, on every core */
  g_autoptr (NnsEdgeBatch) batch = NULL;

  cairo_save (ctx->cr);
  cairo_set_line_cap (ctx->cr, CAIRO_LINE_CAP_BUTT);
  batch = nns_edges_batch_new (ctx->cr);
  for (guint c = 0; c + 1 < n_columns; c++)
    {
      NnsNode bias;
      guint n_src = nns_layout_get_n_drawn (ctx->layout, c) +
                    (nns_layout_get_bias_node (ctx->layout, c, &bias) ? 1 : 0);
      guint n_dst = nns_layout_get_n_drawn (ctx->layout, c + 1);
      /* One opacity for the pair, from how many edges share its space. */
      double span = MAX (column_span (ctx, c), column_span (ctx, c + 1));
      double opacity = nns_edges_density_opacity (n_src, n_dst, span, style->edge_width,
                                                  style->edge_opacity);
      gboolean per_edge = style->edge_shape == NNS_EDGE_BEZIER || style->arrowheads;

      if (ctx->weights != NULL || per_edge)
        nns_edges_batch_flush (batch);
      if (ctx->weights != NULL)
        nns_render_weight_edges (ctx->cr, ctx->layout, style, &ctx->palette, ctx->weights, c,
                                 opacity, ctx->weight_cache);
      else if (per_edge && (guint64) n_src * n_dst <= PER_EDGE_MAX)
        {
          g_autoptr (GArray) src = nns_layout_dup_column_nodes (ctx->layout, c, TRUE);
          g_autoptr (GArray) dst = nns_layout_dup_column_nodes (ctx->layout, c + 1, FALSE);

          set_color (ctx->cr, &ctx->palette.edge, opacity);
          cairo_set_line_width (ctx->cr, style->edge_width);
          for (guint i = 0; i < src->len; i++)
            for (guint j = 0; j < dst->len; j++)
              {
                NnsNode *p = &g_array_index (src, NnsNode, i);
                NnsNode *q = &g_array_index (dst, NnsNode, j);
                double width = style->edge_width;

                edge_path (ctx, p->x, p->y, q->x, q->y, width, style->arrowheads);
                cairo_stroke (ctx->cr);
                if (style->arrowheads)
                  arrow_head (ctx, p->x, p->y, q->x, q->y, width);
              }
        }
      else
        straight_bundles (ctx, batch, c, &ctx->palette.edge, opacity);
    }
  g_clear_pointer (&batch, nns_edges_batch_free);
  cairo_restore (ctx->cr);
}

/* The selected neuron's edges from the column before it (incoming, bias
 * node included) or to the column after it. The accent is opaque, so one
 * path strokes the same picture as a stroke per edge, at a fraction of the
 * cost for wide layers. */
/* The far ends of a selected neuron's fan: column's drawn neurons (and its
 * bias node, with_bias), where an end closer than gap to the last one kept
 * is dropped (the last end is always kept). Walks the column's runs of evenly
 * spaced neurons, so a column of a million costs the ends it keeps. */
double *
_nns_render_fan_ends (const NnsLayout *layout, guint column, gboolean with_bias, double gap,
                      guint *n_out)
{
  guint n_groups = nns_layout_get_n_groups (layout, column);
  guint total = nns_layout_get_n_drawn (layout, column);
  NnsNode bias;
  gboolean has_bias = with_bias && nns_layout_get_bias_node (layout, column, &bias);
  double *xy = g_new (double, 2 * (total + 1));
  guint n = 0, seen = 0;

  if (has_bias)
    total++;
  for (guint g = 0; g < n_groups; g++)
    {
      NnsNodeGroup gr;
      double step;
      gint64 kept = -1;   /* index in this group of the last end kept, if in it */

      nns_layout_get_group (layout, column, g, &gr);
      step = fabs (gr.dx) + fabs (gr.dy);
      for (guint k = 0; k < gr.n;)
        {
          double x = gr.x0 + k * gr.dx, y = gr.y0 + k * gr.dy;
          gboolean last = seen + k + 1 == total;

          if (n > 0 && !last && fabs (x - xy[2 * n - 2]) + fabs (y - xy[2 * n - 1]) < gap)
            {
              guint next = k + 1;

              if (kept >= 0 && step > 0)
                {
                  /* the first of this run at gap or more from the end kept */
                  double far = MAX (ceil (gap / step), 1.0);

                  next = (guint) MIN ((double) kept + far, (double) gr.n);
                  while (next > k + 1 && fabs (gr.x0 + (next - 1) * gr.dx - xy[2 * n - 2])
                                             + fabs (gr.y0 + (next - 1) * gr.dy - xy[2 * n - 1]) >= gap)
                    next--;
                  /* the column's last end is kept whatever its distance */
                  if (seen + gr.n == total && next >= gr.n)
                    next = gr.n - 1;
                  next = MAX (next, k + 1);
                }
              k = next;
              continue;
            }
          xy[2 * n] = x;
          xy[2 * n + 1] = y;
          n++;
          kept = k;
          k++;
        }
      seen += gr.n;
    }
  if (has_bias)
    {
      xy[2 * n] = bias.x;
      xy[2 * n + 1] = bias.y;
      n++;
    }
  *n_out = n;
  return xy;
}

/* The selected neuron's fan of straight lines without heads, in or out, set
 * up as one mask (NULL for other edges, and where it cannot be:
 * draw_selected_fan() strokes those). */
static NnsEdgeFan *
start_selected_fan (const Ctx *ctx, const NnsNode *sel, gboolean incoming, double width)
{
  guint column = incoming ? sel->column - 1 : sel->column + 1;
  guint n;
  g_autofree double *xy = NULL;

  if (ctx->style->edge_shape == NNS_EDGE_BEZIER || ctx->style->arrowheads)
    return NULL;
  /* Ends closer than FAN_MIN_GAP device pixels draw the same union as
   * their neighbours: a column of sub-pixel neurons costs its pixels, not
   * its neurons. */
  xy = _nns_render_fan_ends (ctx->layout, column, incoming,
                             FAN_MIN_GAP / MAX (ctx->device_scale, 1e-9), &n);
  return nns_edges_fan_start (ctx->cr, sel->x, sel->y, xy, n, width, &ctx->palette.accent);
}

static void
draw_selected_fan (const Ctx *ctx, const NnsNode *sel, gboolean incoming, double width,
                   NnsEdgeFan *fan)
{
  guint column = incoming ? sel->column - 1 : sel->column + 1;
  g_autoptr (GArray) points = NULL;

  if (fan != NULL)
    {
      nns_edges_fan_finish (ctx->cr, fan);
      return;
    }
  points = nns_layout_dup_column_nodes (ctx->layout, column, incoming);
  for (guint i = 0; i < points->len; i++)
    {
      NnsNode *p = &g_array_index (points, NnsNode, i);

      if (incoming)
        edge_path (ctx, p->x, p->y, sel->x, sel->y, width, ctx->style->arrowheads);
      else
        edge_path (ctx, sel->x, sel->y, p->x, p->y, width, ctx->style->arrowheads);
    }
  cairo_stroke (ctx->cr);
  for (guint i = 0; ctx->style->arrowheads && i < points->len; i++)
    {
      NnsNode *p = &g_array_index (points, NnsNode, i);

      if (incoming)
        arrow_head (ctx, p->x, p->y, sel->x, sel->y, width);
      else
        arrow_head (ctx, sel->x, sel->y, p->x, p->y, width);
    }
}

/* The selected neuron's edges, on top in the accent colour. */
static void
draw_selected_edges (const Ctx *ctx, const NnsNode *sel)
{
  guint n_columns = nns_layout_get_n_columns (ctx->layout);
  double width = MAX (2.0, ctx->style->edge_width * 2);

  cairo_save (ctx->cr);
  set_color (ctx->cr, &ctx->palette.accent, 1.0);
  cairo_set_line_width (ctx->cr, width);
  cairo_set_line_cap (ctx->cr, CAIRO_LINE_CAP_BUTT);
  if (ctx->weights != NULL)
    nns_render_weight_fan (ctx->cr, ctx->layout, ctx->style, &ctx->palette, ctx->weights, sel);
  else
    {
      NnsEdgeFan *in = sel->column > 0 ? start_selected_fan (ctx, sel, TRUE, width) : NULL;
      NnsEdgeFan *out = sel->column + 1 < n_columns ? start_selected_fan (ctx, sel, FALSE, width)
                                                    : NULL;

      /* a helper draws the fan out while this thread draws the fan in */
      if (in != NULL && out != NULL)
        nns_edges_fan_launch (out);
      if (sel->column > 0)
        draw_selected_fan (ctx, sel, TRUE, width, in);
      if (sel->column + 1 < n_columns)
        draw_selected_fan (ctx, sel, FALSE, width, out);
    }
  cairo_restore (ctx->cr);
}

/* ---- nodes ---- */

/* color with only keep of it kept, the rest background's; the same alpha. */
static NnsColor
mix_toward (const NnsColor *color, const NnsColor *background, double keep)
{
  return (NnsColor) {
    keep * color->red + (1 - keep) * background->red,
    keep * color->green + (1 - keep) * background->green,
    keep * color->blue + (1 - keep) * background->blue,
    color->alpha,
  };
}

static void
node_fill_color (const Ctx *ctx, guint column, NnsColor *out)
{
  if (ctx->style->layer_colors)
    {
      NnsColor c = nns_style_get_layer_color (ctx->style, column);

      *out = mix_toward (&c, &ctx->palette.background, ctx->keep);
    }
  else
    *out = ctx->palette.node_fill;
}

/* The visible range of a group, so a million-neuron column costs only what
 * the clip shows. */
static gboolean
visible_range (const Ctx *ctx, const NnsNodeGroup *g, guint *from, guint *to)
{
  double r = ctx->radius, lo, hi;

  if (g->dy != 0)
    {
      if (g->x0 + r < ctx->cx0 || g->x0 - r > ctx->cx1)
        return FALSE;
      lo = (ctx->cy0 - r - g->y0) / g->dy;
      hi = (ctx->cy1 + r - g->y0) / g->dy;
    }
  else if (g->dx != 0)
    {
      if (g->y0 + r < ctx->cy0 || g->y0 - r > ctx->cy1)
        return FALSE;
      lo = (ctx->cx0 - r - g->x0) / g->dx;
      hi = (ctx->cx1 + r - g->x0) / g->dx;
    }
  else
    {
      lo = 0;
      hi = g->n;
    }
  lo = MAX (0, ceil (lo));
  hi = MIN ((double) g->n - 1, floor (hi));
  if (lo > hi)
    return FALSE;
  *from = (guint) lo;
  *to = (guint) hi;
  return TRUE;
}

static void
circle (cairo_t *cr, double x, double y, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x, y, r, 0, 2 * G_PI);
}

static void
draw_column_nodes (const Ctx *ctx, guint column, const NnsColor *fill, const NnsColor *border)
{
  cairo_t *cr = ctx->cr;
  guint n_groups = nns_layout_get_n_groups (ctx->layout, column);
  /* The border lies inside the radius so neighbours never touch. */
  double r = ctx->radius - ctx->border / 2;

  for (guint g = 0; g < n_groups; g++)
    {
      NnsNodeGroup group;
      guint from, to;

      nns_layout_get_group (ctx->layout, column, g, &group);
      if (!visible_range (ctx, &group, &from, &to))
        continue;
      cairo_new_path (cr);
      /* Neighbours closer than half a device unit merge into a bar anyway:
       * draw the bar, not every circle (a million-neuron column in an SVG). */
      if (to > from && hypot (group.dx, group.dy) * ctx->device_scale < 0.5)
        {
          cairo_move_to (cr, group.x0 + from * group.dx, group.y0 + from * group.dy);
          cairo_line_to (cr, group.x0 + to * group.dx, group.y0 + to * group.dy);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
          cairo_set_line_width (cr, 2 * ctx->radius);
          set_color (cr, ctx->border > 0 ? border : fill, 1.0);
          cairo_stroke (cr);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
          continue;
        }
      /* small circles through masks (cairo's cost is per circle) */
      if (nns_dots_draw (cr, group.x0, group.y0, group.dx, group.dy, from, to, r, ctx->border,
                         fill, border))
        continue;
      if (ctx->border > 0 && r > ctx->border / 2 && fill->alpha >= 1 && border->alpha >= 1
          && cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_IMAGE)
        {
          /* On pixels, opaque colours: the border as a disc under the
           * fill's, two fills for what cairo's stroker takes far longer to
           * draw (a zoomed-in view's big discs). Neighbours never touch. */
          for (guint k = from; k <= to; k++)
            circle (cr, group.x0 + k * group.dx, group.y0 + k * group.dy, r + ctx->border / 2);
          set_color (cr, border, 1.0);
          cairo_fill (cr);
          for (guint k = from; k <= to; k++)
            circle (cr, group.x0 + k * group.dx, group.y0 + k * group.dy, r - ctx->border / 2);
          set_color (cr, fill, 1.0);
          cairo_fill (cr);
          continue;
        }
      for (guint k = from; k <= to; k++)
        circle (cr, group.x0 + k * group.dx, group.y0 + k * group.dy, r);
      set_color (cr, fill, 1.0);
      if (ctx->border > 0)
        {
          cairo_fill_preserve (cr);
          set_color (cr, border, 1.0);
          cairo_set_line_width (cr, ctx->border);
          cairo_stroke (cr);
        }
      else
        cairo_fill (cr);
    }
}

static void
draw_ellipsis (const Ctx *ctx, guint column)
{
  double x, y, dx, dy, dot = CLAMP (ctx->radius * 0.18, 0.6, 3.0);

  if (!nns_layout_get_ellipsis (ctx->layout, column, &x, &y, &dx, &dy))
    return;
  cairo_new_path (ctx->cr);
  for (int k = -1; k <= 1; k++)
    circle (ctx->cr, x + k * 0.6 * dx, y + k * 0.6 * dy, dot);
  set_color (ctx->cr, &ctx->palette.text, 0.75);
  cairo_fill (ctx->cr);
}

static void
draw_bias_node (const Ctx *ctx, guint column)
{
  cairo_t *cr = ctx->cr;
  NnsNode node;
  double dash = MAX (1.0, ctx->border * 1.5);
  double r = ctx->radius - MAX (ctx->border, 1.0) / 2;

  if (!nns_layout_get_bias_node (ctx->layout, column, &node))
    return;
  cairo_save (cr);
  cairo_new_path (cr);
  circle (cr, node.x, node.y, r);
  set_color (cr, &ctx->palette.background, 1.0);
  cairo_fill_preserve (cr);
  set_color (cr, &ctx->palette.node_border, 1.0);
  cairo_set_line_width (cr, MAX (ctx->border, 1.0));
  cairo_set_dash (cr, &dash, 1, 0);
  cairo_stroke (cr);
  /* "+1" only where it comes out readable (an export may scale the nodes down). */
  if (ctx->radius * ctx->device_scale >= 5)
    {
      cairo_text_extents_t te;

      cairo_select_font_face (cr, NNS_LAYOUT_FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                              CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, ctx->radius * 0.9);
      cairo_text_extents (cr, "+1", &te);
      cairo_move_to (cr, node.x - te.x_bearing - te.width / 2,
                     node.y - te.y_bearing - te.height / 2);
      set_color (cr, &ctx->palette.text, 1.0);
      cairo_show_text (cr, "+1");
    }
  cairo_restore (cr);
}

static void
draw_nodes (const Ctx *ctx)
{
  guint n_columns = nns_layout_get_n_columns (ctx->layout);

  for (guint c = 0; c < n_columns; c++)
    {
      NnsColor fill;

      node_fill_color (ctx, c, &fill);
      draw_column_nodes (ctx, c, &fill, &ctx->palette.node_border);
      draw_ellipsis (ctx, c);
      draw_bias_node (ctx, c);
    }
  if (ctx->weights != NULL)
    nns_render_weight_biases (ctx->cr, ctx->layout, ctx->style, &ctx->palette, ctx->weights);
}

/* ---- labels ---- */

static void
draw_labels (const Ctx *ctx)
{
  cairo_t *cr = ctx->cr;
  guint n = nns_layout_get_n_labels (ctx->layout);
  cairo_font_options_t *options = cairo_font_options_create ();
  /* antialiasing reaches a pixel past the box */
  double margin = 2 / MAX (ctx->device_scale, 1e-6);

  /* As the layout measured them. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_save (cr);
  cairo_set_font_options (cr, options);
  for (guint i = 0; i < n; i++)
    {
      NnsLabel label;

      nns_layout_get_label (ctx->layout, i, &label);
      /* a label outside the clip costs its shaping all the same */
      if (label.left - margin > ctx->cx1 || label.left + label.width + margin < ctx->cx0
          || label.top - margin > ctx->cy1 || label.top + label.height + margin < ctx->cy0)
        continue;
      cairo_select_font_face (cr, NNS_LAYOUT_FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                              label.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
      cairo_set_font_size (cr, label.font_size);
      set_color (cr, &ctx->palette.text, label.kind == NNS_LABEL_PARAMS ? NNS_RENDER_PARAMS_ALPHA : 1.0);
      cairo_move_to (cr, label.x, label.y);
      cairo_show_text (cr, label.text);
    }
  cairo_restore (cr);
  cairo_font_options_destroy (options);
}

/* The style, palette and clip nns_render() draws with. */
static void
ctx_init (Ctx *ctx, cairo_t *cr, NnsNetwork *network, const NnsLayout *layout,
          const NnsStyle *style, const NnsRenderOptions *options, NnsStyle *clamped)
{
  *ctx = (Ctx) { cr, network, layout, clamped };
  ctx->keep = 1.0;
  *clamped = *style;
  nns_style_clamp (clamped);
  if (options != NULL && options->background != NULL && options->background->alpha > 0)
    clamped->theme = nns_theme_for_background (options->background);
  nns_style_get_palette_on (clamped, options != NULL ? options->background : NULL,
                            &ctx->palette);
  ctx->vertical = nns_layout_get_direction (layout) == NNS_DIRECTION_VERTICAL;
  ctx->radius = nns_layout_get_radius (layout);
  ctx->border = MIN (clamped->node_border_width, ctx->radius * 0.4);
  cairo_clip_extents (cr, &ctx->cx0, &ctx->cy0, &ctx->cx1, &ctx->cy1);
  {
    double ux = 1, uy = 0;

    cairo_user_to_device_distance (cr, &ux, &uy);
    ctx->device_scale = hypot (ux, uy);
  }
  ctx->opaque_background = options == NULL || options->draw_background
                           || (options->background != NULL && options->background->alpha > 0);
  if (clamped->weight_colors && options != NULL && nns_weight_source_fits (options->weights, layout))
    {
      ctx->weights = options->weights;
      ctx->weight_cache = options->weight_cache;
    }
}

/* The selected neuron's fans in the accent colour and, at full strength,
 * the nodes at their ends and the neuron itself. */
static void
draw_selection (const Ctx *ctx, const NnsNode *selected)
{
  cairo_t *cr = ctx->cr;
  guint n_columns = nns_layout_get_n_columns (ctx->layout);

  draw_selected_edges (ctx, selected);
  /* The ends of the highlighted edges stay at full strength. */
  for (guint c = selected->column > 0 ? selected->column - 1 : 0;
       c <= selected->column + 1 && c < n_columns; c++)
    {
      NnsColor fill;

      if (c == selected->column)
        continue;
      node_fill_color (ctx, c, &fill);
      draw_column_nodes (ctx, c, &fill, &ctx->palette.node_border);
      if (c + 1 == selected->column)
        draw_bias_node (ctx, c);
    }
  cairo_new_path (cr);
  circle (cr, selected->x, selected->y, ctx->radius - ctx->border / 2);
  set_color (cr, &ctx->palette.accent, 1.0);
  cairo_fill_preserve (cr);
  set_color (cr, &ctx->palette.node_border, 1.0);
  cairo_set_line_width (cr, ctx->border);
  if (ctx->border > 0)
    cairo_stroke (cr);
  cairo_new_path (cr);
}

/* ctx drawing its body dimmed to strength keep over an opaque background B.
 * Every part of the body is a solid colour painted over what is beneath, so
 * the body shown at strength a, a·X + (1 − a)·B, is what painting each part
 * in its colour mixed toward B, a·c + (1 − a)·B with the same alpha, draws:
 * (B, so mixed, stays B). The same picture as the body drawn into a group
 * and painted at a, without the group. */
static void
fade_body_colours (Ctx *ctx, double keep)
{
  NnsPalette *p = &ctx->palette;

  ctx->keep = keep;
  p->edge = mix_toward (&p->edge, &p->background, keep);
  p->node_fill = mix_toward (&p->node_fill, &p->background, keep);
  p->node_border = mix_toward (&p->node_border, &p->background, keep);
  p->text = mix_toward (&p->text, &p->background, keep);
}

/* Everything but the background, the ghost, the selection and the labels:
 * the edges and the nodes, the part a selection dims. */
static void
draw_body (const Ctx *ctx)
{
  draw_edges (ctx);
  draw_nodes (ctx);
}

/* nns_render(), with the body taken from body (a picture of draw_body() in
 * device space) when it is not NULL. */
static void
render (cairo_t *cr, NnsNetwork *network, const NnsLayout *layout, const NnsStyle *style,
        const NnsRenderOptions *options, cairo_pattern_t *body)
{
  Ctx ctx;
  NnsNode selected;
  gboolean has_selection = FALSE;
  NnsStyle clamped;
  gboolean painted_background = options == NULL || options->draw_background;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (layout != NULL);
  g_return_if_fail (style != NULL);

  ctx_init (&ctx, cr, network, layout, style, options, &clamped);
  if (options != NULL && options->selection != NULL && options->selection->active &&
      options->selection->column < nns_layout_get_n_columns (layout))
    has_selection = nns_layout_get_node (layout, options->selection->column,
                                         options->selection->neuron, &selected);

  cairo_save (cr);
  if (painted_background)
    {
      set_color (cr, &ctx.palette.background, 1.0);
      cairo_rectangle (cr, 0, 0, nns_layout_get_width (layout), nns_layout_get_height (layout));
      cairo_fill (cr);
    }

  if (options != NULL && options->reference != NULL)
    nns_render_reference (cr, options->reference, layout, &clamped);
  if (body != NULL)
    {
      cairo_save (cr);
      cairo_identity_matrix (cr);
      cairo_set_source (cr, body);
      cairo_paint_with_alpha (cr, has_selection ? DIM_ALPHA : 1.0);
      cairo_restore (cr);
    }
  else if (has_selection && painted_background && ctx.palette.background.alpha >= 1.0
           && ctx.weights == NULL && (options == NULL || options->reference == NULL))
    {
      Ctx faded = ctx;

      fade_body_colours (&faded, DIM_ALPHA);
      draw_body (&faded);
    }
  else if (has_selection)
    {
      cairo_push_group (cr);
      draw_body (&ctx);
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, DIM_ALPHA);
    }
  else
    draw_body (&ctx);
  if (has_selection)
    draw_selection (&ctx, &selected);
  if (options == NULL || !options->skip_labels)
    draw_labels (&ctx);
  if (clamped.weight_colors && network != NULL)
    nns_render_weight_legend (cr, network, layout, &clamped, &ctx.palette,
                              options != NULL ? options->weights : NULL);
  cairo_restore (cr);
}

void
nns_render (cairo_t *cr, NnsNetwork *network, const NnsLayout *layout, const NnsStyle *style,
            const NnsRenderOptions *options)
{
  render (cr, network, layout, style, options, NULL);
}

void
nns_render_body (cairo_t *cr, NnsNetwork *network, const NnsLayout *layout,
                 const NnsStyle *style, const NnsRenderOptions *options)
{
  Ctx ctx;
  NnsStyle clamped;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (layout != NULL);
  g_return_if_fail (style != NULL);

  ctx_init (&ctx, cr, network, layout, style, options, &clamped);
  cairo_save (cr);
  draw_body (&ctx);
  cairo_restore (cr);
}

void
nns_render_over_body (cairo_t *cr, NnsNetwork *network, const NnsLayout *layout,
                      const NnsStyle *style, const NnsRenderOptions *options,
                      cairo_pattern_t *body)
{
  g_return_if_fail (body != NULL);
  render (cr, network, layout, style, options, body);
}

void
nns_render_keep_memory (void)
{
  /* Blocks up to 64 MB come from the heap, and the heap's free top is kept
   * up to 256 MB: enough for an MNIST frame at 4K with every neuron. */
  mallopt (M_MMAP_THRESHOLD, 64 << 20);
  mallopt (M_TRIM_THRESHOLD, 256 << 20);
}

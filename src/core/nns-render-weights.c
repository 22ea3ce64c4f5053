/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-render-weights"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nns-render-weights.h"

/* Most pixels of one accumulated edge layer (each costs two floats). */
#define ACCUMULATE_MAX_PIXELS  (8.0 * 1024 * 1024)
/* … and of one embedded in SVG or PDF: its base64 PNG must stay below the
 * 10 MB a text node may hold in libxml2 (rsvg) and common viewers. */
#define VECTOR_MAX_PIXELS      (1.5 * 1024 * 1024)
/* Rows of the legend box below the heading, and their height at text scale 1. */
#define LEGEND_FONT_SIZE 11.0
#define LEGEND_BAR_WIDTH 90.0
#define LEGEND_BAR_HEIGHT 8.0

typedef struct
{
  NnsWeightSource  source;   /* first: the public part */
  NnsWeights      *weights;
} OwnedSource;

NnsWeightSource *
nns_weight_source_new (NnsWeights *weights)
{
  OwnedSource *owned;
  guint n;
  NnsWeightMatrix *layers;

  g_return_val_if_fail (weights != NULL, NULL);
  n = nns_weights_get_n_layers (weights);
  owned = g_new0 (OwnedSource, 1);
  layers = g_new0 (NnsWeightMatrix, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      const NnsLayerWeights *l = nns_weights_get_layer (weights, i);

      layers[i] = (NnsWeightMatrix) { l->in_features, l->out_features, l->weight, l->bias };
    }
  owned->weights = nns_weights_ref (weights);
  owned->source = (NnsWeightSource) { n, layers, (guint64) GPOINTER_TO_SIZE (weights) };
  return &owned->source;
}

void
nns_weight_source_free (NnsWeightSource *source)
{
  OwnedSource *owned = (OwnedSource *) source;

  if (source == NULL)
    return;
  g_free ((NnsWeightMatrix *) owned->source.layers);
  nns_weights_unref (owned->weights);
  g_free (owned);
}

gboolean
nns_weight_source_fits (const NnsWeightSource *source, const NnsLayout *layout)
{
  guint n_columns;

  if (source == NULL || layout == NULL)
    return FALSE;
  n_columns = nns_layout_get_n_columns (layout);
  if (n_columns == 0 || source->n_layers != n_columns - 1)
    return FALSE;
  for (guint c = 0; c + 1 < n_columns; c++)
    {
      const NnsWeightMatrix *m = &source->layers[c];

      if (m->weight == NULL || m->n_in != nns_layout_get_column_width (layout, c)
          || m->n_out != nns_layout_get_column_width (layout, c + 1))
        return FALSE;
    }
  return TRUE;
}

void
nns_weight_matrix_get_range (const NnsWeightMatrix *matrix, NnsWeightRange *out)
{
  gsize n = (gsize) matrix->n_in * matrix->n_out;
  float lo = n > 0 ? G_MAXFLOAT : 0, hi = n > 0 ? -G_MAXFLOAT : 0, b = 0;

  for (gsize k = 0; k < n; k++)
    {
      float w = matrix->weight[k];

      if (!isfinite (w))
        continue;
      lo = MIN (lo, w);
      hi = MAX (hi, w);
    }
  if (lo > hi)
    lo = hi = 0;
  for (guint k = 0; matrix->bias != NULL && k < matrix->n_out; k++)
    if (isfinite (matrix->bias[k]))
      b = MAX (b, fabsf (matrix->bias[k]));
  out->min = lo;
  out->max = hi;
  out->max_abs = MAX (fabsf (lo), fabsf (hi));
  out->bias_max_abs = b;
}

/* |w| relative to the layer's largest, 0 … 1 (0 for NaN). */
static inline double
relative (double w, double max_abs)
{
  double r = fabs (w) / max_abs;

  return isfinite (r) ? MIN (r, 1.0) : 0.0;
}

void
nns_weight_color (const NnsPalette *palette, double v, double max_abs, NnsColor *out)
{
  const NnsColor *end = v >= 0 ? &palette->positive : &palette->negative;
  const NnsColor *bg = &palette->background;
  double r = max_abs > 0 ? relative (v, max_abs) : 0;

  out->red = bg->red + (end->red - bg->red) * r;
  out->green = bg->green + (end->green - bg->green) * r;
  out->blue = bg->blue + (end->blue - bg->blue) * r;
  out->alpha = 1.0;
}

cairo_surface_t *
nns_weight_image_new (const float *values, guint width, guint height, double max_abs,
                      const NnsPalette *palette)
{
  cairo_surface_t *image;
  guint8 *data;
  int stride;

  if (width == 0 || height == 0 || width > 32767 || height > 32767)
    return NULL;
  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) height);
  if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (image);
      return NULL;
    }
  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        NnsColor c;

        nns_weight_color (palette, values[(gsize) y * width + x], max_abs, &c);
        ((guint32 *) (data + (gsize) y * stride))[x] =
          0xff000000u | (guint32) (c.red * 255 + 0.5) << 16 | (guint32) (c.green * 255 + 0.5) << 8
          | (guint32) (c.blue * 255 + 0.5);
      }
  cairo_surface_mark_dirty (image);
  return image;
}

/* ---- the points of a column pair ---- */

/* The weight of the edge from `from` (the column's width: the bias node) to `to`. */
static inline double
edge_weight (const NnsWeightMatrix *m, guint from, guint to)
{
  if (from >= m->n_in)
    return m->bias != NULL ? m->bias[to] : 0;
  return m->weight[(gsize) to * m->n_in + from];
}

/* The largest |value| an edge of the pair can carry: weights and, when
 * drawn as the bias node's edges, biases. */
static double
pair_max_abs (const NnsWeightMatrix *m, gboolean with_bias)
{
  NnsWeightRange range;

  nns_weight_matrix_get_range (m, &range);
  return with_bias ? MAX (range.max_abs, range.bias_max_abs) : range.max_abs;
}

/* ---- the accumulated edge layer ---- */

struct _NnsWeightEdgeCache
{
  GPtrArray *layers;   /* of CachedLayer, by column */
  guint      n_drawn;
};

typedef struct
{
  gboolean         valid;
  guint64          key;
  double           sx, sy;          /* pixels per layout unit */
  double           ox, oy;          /* layout point of the image's pixel (0, 0) */
  double           lx0, ly0, lx1, ly1;   /* the layout box the image covers */
  cairo_surface_t *image;
} CachedLayer;

NnsWeightEdgeCache *
nns_weight_edge_cache_new (void)
{
  NnsWeightEdgeCache *cache = g_new0 (NnsWeightEdgeCache, 1);

  cache->layers = g_ptr_array_new ();
  return cache;
}

static void
cached_layer_clear (CachedLayer *layer)
{
  g_clear_pointer (&layer->image, cairo_surface_destroy);
  layer->valid = FALSE;
}

void
nns_weight_edge_cache_free (NnsWeightEdgeCache *cache)
{
  if (cache == NULL)
    return;
  for (guint i = 0; i < cache->layers->len; i++)
    {
      CachedLayer *layer = g_ptr_array_index (cache->layers, i);

      cached_layer_clear (layer);
      g_free (layer);
    }
  g_ptr_array_unref (cache->layers);
  g_free (cache);
}

guint
nns_weight_edge_cache_get_n_drawn (NnsWeightEdgeCache *cache)
{
  return cache != NULL ? cache->n_drawn : 0;
}

static CachedLayer *
cache_get (NnsWeightEdgeCache *cache, guint column)
{
  while (cache->layers->len <= column)
    g_ptr_array_add (cache->layers, g_new0 (CachedLayer, 1));
  return g_ptr_array_index (cache->layers, column);
}

static inline guint64
mix (guint64 h, guint64 v)
{
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xbf58476d1ce4e5b9ull;
}

static inline guint64
mix_double (guint64 h, double v)
{
  guint64 bits;

  memcpy (&bits, &v, sizeof bits);
  return mix (h, bits);
}

/* How an edge of relative weight r looks: opacity a0 + a1 · r, width
 * width · (0.5 + r). The body's edges: 0, the pair's opacity, the style's
 * width; a selected fan's: 0.25, 0.75, twice that width (at least 2). */
typedef struct
{
  double a0, a1;
  double width;
} EdgeLook;

/* Everything the picture of a pair depends on except the view transform. */
static guint64
layer_key (const NnsWeightSource *source, const NnsStyle *style, const NnsPalette *palette,
           guint column, const EdgeLook *look, GArray *src, GArray *dst)
{
  guint64 h = mix (0, GPOINTER_TO_SIZE (source->layers[column].weight));

  h = mix (h, source->stamp);
  h = mix (h, column);
  h = mix_double (h, look->a0);
  h = mix_double (h, look->a1);
  h = mix_double (h, look->width);
  h = mix_double (h, style->weight_threshold);
  h = mix_double (h, palette->positive.red + 2 * palette->positive.green + 4 * palette->positive.blue);
  h = mix_double (h, palette->negative.red + 2 * palette->negative.green + 4 * palette->negative.blue);
  for (guint i = 0; i < src->len; i++)
    {
      NnsNode *p = &g_array_index (src, NnsNode, i);

      h = mix_double (mix_double (mix (h, p->neuron), p->x), p->y);
    }
  for (guint j = 0; j < dst->len; j++)
    {
      NnsNode *p = &g_array_index (dst, NnsNode, j);

      h = mix_double (mix_double (mix (h, p->neuron), p->x), p->y);
    }
  return h;
}

/* Density d over the rows covering [lo, hi) of pixel column col, whose rows
 * lie `stride` floats apart. */
static inline void
deposit (float *col, gsize stride, int n_rows, double lo, double hi, float d)
{
  int r0, r1;

  if (hi <= 0 || lo >= n_rows)
    return;
  r0 = lo < 0 ? -1 : (int) lo;
  r1 = (int) hi;
  if (r0 == r1)
    {
      col[r0 * stride] += d * (float) (hi - lo);
      return;
    }
  if (r0 >= 0)
    col[r0 * stride] += d * (float) (r0 + 1 - lo);
  for (int r = r0 + 1; r < r1 && r < n_rows; r++)
    col[r * stride] += d;
  if (r1 < n_rows)
    col[r1 * stride] += d * (float) (hi - r1);
}

/* A band of width span ≤ 1 from row lo of pixel column col, rows n_major
 * floats apart, branch-free: the row it starts in gets min (top, span), the
 * next one the rest (often 0). */
static inline void
deposit_thin (float *col, int n_major, float lo, float span, float d)
{
  int r = (int) lo;
  float top = (float) (r + 1) - lo;
  float first = top < span ? top : span;
  float *cell = col + (gsize) r * n_major;

  cell[0] += d * first;
  cell[n_major] += d * (span - first);
}

typedef struct
{
  double u, v;
  guint  neuron;
} PixelPoint;

/* The whole pixel columns w0 … w1 an edge crosses (its two end columns,
 * partly covered, are deposited when it is set up): a band of width span
 * from row lo at column w0, moving slope rows a column, depositing density
 * d into the buffer of its sign; thin when span ≤ 1 and rows r and r + 1
 * stay inside at both ends (with room for float rounding along the way),
 * so at most two rows a column. */
typedef struct
{
  int      w0, w1;
  float    lo, slope, span, d;
  gboolean negative, thin;
} Edge;

/* Pixel columns a tile: two buffers of TILE_COLUMNS × rows floats stay in cache. */
#define TILE_COLUMNS 32

/* The pair's edges into an ARGB32 image of width × height pixels whose pixel
 * (0, 0) is layout point (ox, oy), sx / sy pixels per layout unit. Every
 * edge adds an optical density −ln(1 − a_e) times its pixel coverage to the
 * float buffer of its sign; a pixel with densities Kp, Kn gets opacity
 * 1 − e^−(Kp + Kn) and the colours mixed Kp : Kn. For edges of one sign
 * that is exactly OVER-compositing them (Π(1 − a_e)), and mixed ones never
 * depend on the order they are drawn in. */
static cairo_surface_t *
accumulate (const NnsStyle *style, const NnsPalette *palette, const NnsWeightMatrix *m,
            double max_abs, const EdgeLook *look, GArray *src, GArray *dst, double ox, double oy,
            double sx, double sy, int width, int height)
{
  /* major: the axis the edges run along (x for left-to-right networks) */
  gboolean major_x;
  int n_major, n_rows;
  double s_minor, threshold = style->weight_threshold;
  float *kp, *kn;
  PixelPoint *a, *b;
  Edge *edges;
  gsize n_edges = 0;
  cairo_surface_t *image;
  guint8 *data;
  int stride;

  {
    NnsNode *p = &g_array_index (src, NnsNode, 0), *q = &g_array_index (dst, NnsNode, 0);

    major_x = fabs ((q->x - p->x) * sx) >= fabs ((q->y - p->y) * sy);
  }
  n_major = major_x ? width : height;
  n_rows = major_x ? height : width;
  s_minor = major_x ? sy : sx;
  kp = g_try_new0 (float, (gsize) n_major * n_rows);
  kn = g_try_new0 (float, (gsize) n_major * n_rows);
  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (kp == NULL || kn == NULL || cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
    {
      g_free (kp);
      g_free (kn);
      cairo_surface_destroy (image);
      return NULL;
    }

  a = g_new (PixelPoint, src->len);
  b = g_new (PixelPoint, dst->len);
  for (guint i = 0; i < src->len; i++)
    {
      NnsNode *p = &g_array_index (src, NnsNode, i);
      double px = (p->x - ox) * sx, py = (p->y - oy) * sy;

      a[i] = (PixelPoint) { major_x ? px : py, major_x ? py : px, p->neuron };
    }
  for (guint j = 0; j < dst->len; j++)
    {
      NnsNode *p = &g_array_index (dst, NnsNode, j);
      double px = (p->x - ox) * sx, py = (p->y - oy) * sy;

      b[j] = (PixelPoint) { major_x ? px : py, major_x ? py : px, p->neuron };
    }

  /* Every shown edge once: its end columns deposited, its whole columns
   * kept for the tiles. */
  edges = g_new (Edge, (gsize) src->len * dst->len);
  for (guint i = 0; i < src->len; i++)
    for (guint j = 0; j < dst->len; j++)
      {
        double w = edge_weight (m, a[i].neuron, b[j].neuron);
        double r = relative (w, max_abs), alpha, slope, u0, u1, v0, half, lo, lo_end;
        Edge *e = &edges[n_edges];
        float *k;
        float d;
        int c0, c1;

        if (r <= 0 || r < threshold)
          continue;
        u0 = a[i].u, v0 = a[i].v, u1 = b[j].u;
        slope = (b[j].v - v0) / (u1 - u0);
        if (u1 < u0)
          {
            double t = u0;

            u0 = u1, u1 = t;
            v0 = b[j].v;
          }
        if (!(u1 - u0 > 1e-9) || !isfinite (slope))
          continue;
        c0 = (int) MAX (0, floor (u0));
        c1 = (int) MIN (n_major - 1, ceil (u1) - 1);
        if (c0 > c1)
          continue;
        alpha = MIN (look->a0 + look->a1 * r, 0.999);
        d = (float) -log1p (-alpha);
        half = 0.5 * look->width * (0.5 + r) * s_minor * sqrt (1 + slope * slope);
        k = w < 0 ? kn : kp;
        /* the end columns, partly covered */
        for (int c = c0; c <= c1; c = c == c0 ? MAX (c1, c0 + 1) : c1 + 1)
          {
            double ua = MAX (c, u0), ub = MIN (c + 1, u1);
            double v = v0 + ((ua + ub) / 2 - u0) * slope;

            if (ub > ua)
              deposit (k + c, n_major, n_rows, v - half, v + half, d * (float) (ub - ua));
          }
        if (c0 + 1 > c1 - 1)
          continue;
        e->w0 = c0 + 1, e->w1 = c1 - 1;
        lo = v0 + (e->w0 + 0.5 - u0) * slope - half;
        lo_end = lo + slope * (e->w1 - e->w0);
        e->lo = (float) lo;
        e->slope = (float) slope;
        e->span = (float) (2 * half);
        e->d = d;
        e->negative = w < 0;
        e->thin = half <= 0.5 && MIN (lo, lo_end) >= 0.25 && MAX (lo, lo_end) + 1.25 < n_rows;
        n_edges++;
      }
  g_free (a);
  g_free (b);

  /* A tile of pixel columns at a time, so the buffers being written stay in
   * the cache while every edge crosses them. */
  for (int t0 = 0; t0 < n_major; t0 += TILE_COLUMNS)
    {
      int t1 = MIN (n_major, t0 + TILE_COLUMNS);

      for (gsize n = 0; n < n_edges; n++)
        {
          const Edge *e = &edges[n];
          int ca = MAX (e->w0, t0), cb = MIN (e->w1, t1 - 1);
          float *col, flo;

          if (ca > cb)
            continue;
          col = (e->negative ? kn : kp) + ca;
          flo = e->lo + e->slope * (ca - e->w0);
          if (e->thin)
            {
              float fslope = e->slope, fslope2 = 2 * fslope, span = e->span, dd = e->d;
              int c = ca;

              /* two columns a step: their rows do not wait on each other */
              for (; c + 1 <= cb; c += 2, col += 2, flo += fslope2)
                {
                  deposit_thin (col, n_major, flo, span, dd);
                  deposit_thin (col + 1, n_major, flo + fslope, span, dd);
                }
              if (c <= cb)
                deposit_thin (col, n_major, flo, span, dd);
            }
          else
            for (int c = ca; c <= cb; c++, col++, flo += e->slope)
              deposit (col, n_major, n_rows, flo, flo + e->span, e->d);
        }
    }
  g_free (edges);

  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  /* in the buffers' order, row by row */
  for (int r = 0; r < n_rows; r++)
    for (int c = 0; c < n_major; c++)
      {
        gsize idx = (gsize) r * n_major + c;
        float p = kp[idx], n = kn[idx], sum = p + n;
        double A, fp;
        int x = major_x ? c : r, y = major_x ? r : c;
        guint32 pixel = 0;

        if (sum > 1e-6f)
          {
            A = 1.0 - (double) expf (-sum);
            fp = p / sum;
            pixel = (guint32) (A * 255 + 0.5) << 24
                    | (guint32) (A * 255 * (fp * palette->positive.red + (1 - fp) * palette->negative.red) + 0.5) << 16
                    | (guint32) (A * 255 * (fp * palette->positive.green + (1 - fp) * palette->negative.green) + 0.5) << 8
                    | (guint32) (A * 255 * (fp * palette->positive.blue + (1 - fp) * palette->negative.blue) + 0.5);
          }
        ((guint32 *) (data + (gsize) y * stride))[x] = pixel;
      }
  cairo_surface_mark_dirty (image);
  g_free (kp);
  g_free (kn);
  return image;
}

/* Layout box of the pair's edges, widest line included. */
static void
pair_box (GArray *src, GArray *dst, double pad, double *x0, double *y0, double *x1, double *y1)
{
  *x0 = *y0 = G_MAXDOUBLE;
  *x1 = *y1 = -G_MAXDOUBLE;
  for (guint k = 0; k < src->len + dst->len; k++)
    {
      NnsNode *p = k < src->len ? &g_array_index (src, NnsNode, k)
                              : &g_array_index (dst, NnsNode, k - src->len);

      *x0 = MIN (*x0, p->x), *y0 = MIN (*y0, p->y);
      *x1 = MAX (*x1, p->x), *y1 = MAX (*y1, p->y);
    }
  *x0 -= pad, *y0 -= pad, *x1 += pad, *y1 += pad;
}

/* The edge layer as an image painted under cr's transform (no rotation):
 * on image targets pixel for pixel, cached when a cache is given; on vector
 * targets at `resolution` pixels per device unit. */
static void
draw_accumulated (cairo_t *cr, const NnsStyle *style, const NnsPalette *palette,
                  const NnsWeightMatrix *m, double max_abs, const EdgeLook *look, GArray *src,
                  GArray *dst, guint column, NnsWeightEdgeCache *cache, double resolution,
                  const NnsWeightSource *source)
{
  cairo_matrix_t ctm;
  cairo_surface_t *target = cairo_get_group_target (cr);
  double dsx = 1, dsy = 1, dox = 0, doy = 0, sx, sy;
  double bx0, by0, bx1, by1, cx0, cy0, cx1, cy1;
  double pad = look->width * 1.5 + 1;
  CachedLayer local = { 0 }, *layer = &local;
  guint64 key = 0;
  gboolean fresh = TRUE;
  gboolean is_image = cairo_surface_get_type (target) == CAIRO_SURFACE_TYPE_IMAGE;

  cairo_get_matrix (cr, &ctm);
  if (ctm.xy != 0 || ctm.yx != 0 || ctm.xx == 0 || ctm.yy == 0)
    return;
  if (is_image)
    {
      cairo_surface_get_device_scale (target, &dsx, &dsy);
      cairo_surface_get_device_offset (target, &dox, &doy);
    }
  sx = fabs (ctm.xx) * dsx * resolution;
  sy = fabs (ctm.yy) * dsy * resolution;

  pair_box (src, dst, pad, &bx0, &by0, &bx1, &by1);
  cairo_clip_extents (cr, &cx0, &cy0, &cx1, &cy1);
  cx0 = MAX (cx0, bx0), cy0 = MAX (cy0, by0);
  cx1 = MIN (cx1, bx1), cy1 = MIN (cy1, by1);
  if (cx0 >= cx1 || cy0 >= cy1)
    return;

  if (cache != NULL && is_image)
    {
      layer = cache_get (cache, column);
      key = layer_key (source, style, palette, column, look, src, dst);
      fresh = !(layer->valid && layer->key == key && fabs (layer->sx - sx) < 1e-9 * sx
                && fabs (layer->sy - sy) < 1e-9 * sy && layer->lx0 <= cx0 + 1e-9
                && layer->ly0 <= cy0 + 1e-9 && layer->lx1 >= cx1 - 1e-9
                && layer->ly1 >= cy1 - 1e-9);
    }
  if (fresh)
    {
      /* The whole pair when it fits the pixel budget (panning then reuses
       * it), else what the clip shows and as much around it as fits. */
      double lx0 = bx0, ly0 = by0, lx1 = bx1, ly1 = by1;
      double budget = is_image ? ACCUMULATE_MAX_PIXELS : VECTOR_MAX_PIXELS;
      int width, height;

      if ((lx1 - lx0) * sx * (ly1 - ly0) * sy > budget)
        {
          double grow = sqrt (budget / ((cx1 - cx0) * sx * (cy1 - cy0) * sy));

          if (grow < 1)
            {
              /* even the clip is too big (a vector page): lower the resolution */
              sx *= grow, sy *= grow;
              grow = 1;
            }
          lx0 = MAX (bx0, cx0 - (grow - 1) / 2 * (cx1 - cx0));
          lx1 = MIN (bx1, cx1 + (grow - 1) / 2 * (cx1 - cx0));
          ly0 = MAX (by0, cy0 - (grow - 1) / 2 * (cy1 - cy0));
          ly1 = MIN (by1, cy1 + (grow - 1) / 2 * (cy1 - cy0));
        }
      width = (int) ceil ((lx1 - lx0) * sx);
      height = (int) ceil ((ly1 - ly0) * sy);
      if (width <= 0 || height <= 0)
        return;
      cached_layer_clear (layer);
      /* On pixels the image's corner sits on a pixel corner, so it lines up
       * with what is painted around it. */
      layer->ox = lx0, layer->oy = ly0;
      if (is_image && resolution == 1)
        {
          double px = floor (ctm.xx * dsx * lx0 + ctm.x0 * dsx + dox);
          double py = floor (ctm.yy * dsy * ly0 + ctm.y0 * dsy + doy);

          layer->ox = (px - dox - ctm.x0 * dsx) / (ctm.xx * dsx);
          layer->oy = (py - doy - ctm.y0 * dsy) / (ctm.yy * dsy);
          width += 1, height += 1;
        }
      layer->image = accumulate (style, palette, m, max_abs, look, src, dst, layer->ox,
                                 layer->oy, sx, sy, width, height);
      if (layer->image == NULL)
        return;
      layer->valid = TRUE;
      layer->key = key;
      layer->sx = sx, layer->sy = sy;
      layer->lx0 = lx0, layer->ly0 = ly0, layer->lx1 = lx1, layer->ly1 = ly1;
      if (cache != NULL)
        cache->n_drawn++;
    }

  cairo_save (cr);
  cairo_translate (cr, layer->ox, layer->oy);
  /* one image pixel: 1 / sx layout units */
  cairo_scale (cr, 1 / layer->sx, 1 / layer->sy);
  cairo_set_source_surface (cr, layer->image, 0, 0);
  {
    cairo_pattern_t *pattern = cairo_get_source (cr);
    double px = ctm.xx * dsx * layer->ox + ctm.x0 * dsx + dox;
    double py = ctm.yy * dsy * layer->oy + ctm.y0 * dsy + doy;

    /* pixel for pixel on whole-pixel offsets; smooth on vector pages */
    cairo_pattern_set_filter (pattern, is_image && fabs (px - round (px)) < 1e-3
                                         && fabs (py - round (py)) < 1e-3
                                         ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
  }
  cairo_paint (cr);
  cairo_restore (cr);
  if (layer == &local)
    cached_layer_clear (&local);
}

static void
stroke_edge (cairo_t *cr, const NnsStyle *style, gboolean vertical, double x0, double y0,
             double x1, double y1)
{
  cairo_move_to (cr, x0, y0);
  if (style->edge_shape == NNS_EDGE_BEZIER)
    {
      if (vertical)
        cairo_curve_to (cr, x0, (y0 + y1) / 2, x1, (y0 + y1) / 2, x1, y1);
      else
        cairo_curve_to (cr, (x0 + x1) / 2, y0, (x0 + x1) / 2, y1, x1, y1);
    }
  else
    cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
}

void
nns_render_weight_edges (cairo_t *cr, const NnsLayout *layout, const NnsStyle *style,
                         const NnsPalette *palette, const NnsWeightSource *source, guint column,
                         double opacity, NnsWeightEdgeCache *cache)
{
  const NnsWeightMatrix *m;
  g_autoptr (GArray) src = NULL;
  g_autoptr (GArray) dst = NULL;
  cairo_surface_type_t type;
  guint64 n_edges;
  double max_abs;
  gboolean vertical = nns_layout_get_direction (layout) == NNS_DIRECTION_VERTICAL;

  g_return_if_fail (column < source->n_layers);
  m = &source->layers[column];
  src = nns_layout_dup_column_nodes (layout, column, TRUE);
  dst = nns_layout_dup_column_nodes (layout, column + 1, FALSE);
  if (src->len == 0 || dst->len == 0)
    return;
  max_abs = pair_max_abs (m, nns_layout_get_bias_node (layout, column, &(NnsNode) { 0 }));
  if (!(max_abs > 0))
    return;
  n_edges = (guint64) src->len * dst->len;
  type = cairo_surface_get_type (cairo_get_group_target (cr));

  if (type == CAIRO_SURFACE_TYPE_IMAGE ? n_edges > NNS_WEIGHT_EDGES_ACCUMULATE
                                       : n_edges > NNS_WEIGHT_EDGES_VECTOR_MAX)
    {
      EdgeLook look = { 0, opacity, style->edge_width };

      draw_accumulated (cr, style, palette, m, max_abs, &look, src, dst, column, cache,
                        type == CAIRO_SURFACE_TYPE_IMAGE ? 1.0 : 2.0, source);
      return;
    }

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (guint i = 0; i < src->len; i++)
    for (guint j = 0; j < dst->len; j++)
      {
        NnsNode *p = &g_array_index (src, NnsNode, i), *q = &g_array_index (dst, NnsNode, j);
        double w = edge_weight (m, p->neuron, q->neuron), r = relative (w, max_abs);
        const NnsColor *color = w > 0 ? &palette->positive : &palette->negative;

        if (r <= 0 || r < style->weight_threshold)
          continue;
        cairo_set_source_rgba (cr, color->red, color->green, color->blue, opacity * r);
        cairo_set_line_width (cr, style->edge_width * (0.5 + r));
        stroke_edge (cr, style, vertical, p->x, p->y, q->x, q->y);
      }
  cairo_restore (cr);
}

void
nns_render_weight_fan (cairo_t *cr, const NnsLayout *layout, const NnsStyle *style,
                       const NnsPalette *palette, const NnsWeightSource *source,
                       const NnsNode *node)
{
  guint n_columns = nns_layout_get_n_columns (layout);
  gboolean vertical = nns_layout_get_direction (layout) == NNS_DIRECTION_VERTICAL;

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  for (int side = 0; side < 2; side++)
    {
      gboolean incoming = side == 0;
      guint other = incoming ? node->column - 1 : node->column + 1;
      guint layer = incoming ? node->column - 1 : node->column;
      g_autoptr (GArray) points = NULL;
      const NnsWeightMatrix *m;
      double max_abs;

      if (incoming ? node->column == 0 : node->column + 1 >= n_columns)
        continue;
      m = &source->layers[layer];
      max_abs = pair_max_abs (m, TRUE);
      if (!(max_abs > 0))
        continue;
      points = nns_layout_dup_column_nodes (layout, other, incoming);
      /* Straight lines on pixels: accumulated as the body's edges are (one
       * pass over the fan's pixels instead of a stroke an edge), not kept. */
      if (style->edge_shape != NNS_EDGE_BEZIER && points->len > NNS_WEIGHT_FAN_ACCUMULATE
          && cairo_surface_get_type (cairo_get_group_target (cr)) == CAIRO_SURFACE_TYPE_IMAGE)
        {
          g_autoptr (GArray) one = g_array_new (FALSE, FALSE, sizeof (NnsNode));
          EdgeLook look = { 0.25, 0.75, MAX (2.0, style->edge_width * 2) };

          g_array_append_val (one, *node);
          draw_accumulated (cr, style, palette, m, max_abs, &look, incoming ? points : one,
                            incoming ? one : points, layer, NULL, 1.0, source);
          continue;
        }
      for (guint k = 0; k < points->len; k++)
        {
          NnsNode *p = &g_array_index (points, NnsNode, k);
          double w = incoming ? edge_weight (m, p->neuron, node->neuron)
                              : edge_weight (m, node->neuron, p->neuron);
          double r = relative (w, max_abs);
          const NnsColor *color = w > 0 ? &palette->positive : &palette->negative;

          if (r <= 0 || r < style->weight_threshold)
            continue;
          cairo_set_source_rgba (cr, color->red, color->green, color->blue, 0.25 + 0.75 * r);
          cairo_set_line_width (cr, MAX (2.0, style->edge_width * 2) * (0.5 + r));
          if (incoming)
            stroke_edge (cr, style, vertical, p->x, p->y, node->x, node->y);
          else
            stroke_edge (cr, style, vertical, node->x, node->y, p->x, p->y);
        }
    }
  cairo_restore (cr);
}

void
nns_render_weight_biases (cairo_t *cr, const NnsLayout *layout, const NnsStyle *style,
                          const NnsPalette *palette, const NnsWeightSource *source)
{
  double radius = nns_layout_get_radius (layout), ux = 1, uy = 0;
  double ring = MAX (1.0, radius * 0.3);

  cairo_user_to_device_distance (cr, &ux, &uy);
  /* a ring narrower than a device pixel reads as noise */
  if (radius * hypot (ux, uy) < 3)
    return;
  cairo_save (cr);
  cairo_set_line_width (cr, ring);
  for (guint c = 1; c <= source->n_layers; c++)
    {
      const NnsWeightMatrix *m = &source->layers[c - 1];
      guint n = nns_layout_get_n_drawn (layout, c);
      NnsWeightRange range;

      if (m->bias == NULL)
        continue;
      nns_weight_matrix_get_range (m, &range);
      if (!(range.bias_max_abs > 0))
        continue;
      for (guint i = 0; i < n; i++)
        {
          NnsNode node;
          double b, r;
          const NnsColor *color;

          nns_layout_get_drawn_node (layout, c, i, &node);
          b = m->bias[node.neuron];
          r = relative (b, range.bias_max_abs);
          if (r <= 0)
            continue;
          color = b > 0 ? &palette->positive : &palette->negative;
          cairo_new_path (cr);
          cairo_arc (cr, node.x, node.y, radius - ring / 2, 0, 2 * G_PI);
          cairo_set_source_rgba (cr, color->red, color->green, color->blue, r);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}

/* ---- text ---- */

char *
nns_weight_format (double value)
{
  g_autofree char *text = NULL;

  if (value == 0)
    return g_strdup ("0");
  text = g_strdup_printf ("%.3g", fabs (value));
  /* U+2212 MINUS SIGN */
  return value < 0 ? g_strconcat ("\u2212", text, NULL) : g_steal_pointer (&text);
}

char *
nns_render_weight_legend_heading (const NnsStyle *style)
{
  if (style->weight_threshold > 0)
    /* Translators: the weight legend's heading; %.0f %% is the threshold */
    return g_strdup_printf (_("Weights: colour by sign, opacity |w| ÷ the layer’s max; |w| ≥ %.0f %% of it shown"),
                            style->weight_threshold * 100);
  return g_strdup (_("Weights: colour by sign, opacity |w| ÷ the layer’s max |w|"));
}

char *
nns_render_weight_legend_row (NnsNetwork *network, const NnsWeightSource *source, guint layer)
{
  g_autofree char *title = nns_network_dup_column_title (network, layer + 1);
  g_autofree char *lo = NULL, *hi = NULL;
  NnsWeightRange range;

  if (source == NULL || layer >= source->n_layers)
    return g_strdup_printf (_("%s: no weights"), title);
  nns_weight_matrix_get_range (&source->layers[layer], &range);
  lo = nns_weight_format (range.min);
  hi = nns_weight_format (range.max);
  /* Translators: a layer's weight range, "Hidden 1: −0.0357 … 0.0357" */
  return g_strdup_printf (_("%s: %s … %s"), title, lo, hi);
}

void
nns_render_weight_legend (cairo_t *cr, NnsNetwork *network, const NnsLayout *layout,
                          const NnsStyle *style, const NnsPalette *palette,
                          const NnsWeightSource *source)
{
  double x, y, w, h, t = nns_layout_get_text_scale (layout), row;
  guint n_rows;
  cairo_font_options_t *options;

  if (!nns_layout_get_legend (layout, &x, &y, &w, &h, &n_rows) || n_rows == 0)
    return;
  row = h / n_rows;
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_save (cr);
  cairo_set_font_options (cr, options);
  cairo_select_font_face (cr, NNS_LAYOUT_FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                          CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, LEGEND_FONT_SIZE * t);
  for (guint k = 0; k < n_rows; k++)
    {
      double base = y + (k + 0.75) * row;
      g_autofree char *text = NULL;

      cairo_set_source_rgba (cr, palette->text.red, palette->text.green, palette->text.blue,
                             k == 0 ? 1.0 : 0.85);
      if (k == 0)
        {
          text = nns_render_weight_legend_heading (style);
          cairo_move_to (cr, x, base);
        }
      else
        {
          double bx = x, by = y + (k + 0.5) * row - LEGEND_BAR_HEIGHT * t / 2;
          double bw = LEGEND_BAR_WIDTH * t;
          cairo_pattern_t *bar = cairo_pattern_create_linear (bx, 0, bx + bw, 0);

          cairo_pattern_add_color_stop_rgb (bar, 0, palette->negative.red,
                                            palette->negative.green, palette->negative.blue);
          cairo_pattern_add_color_stop_rgb (bar, 0.5, palette->background.red,
                                            palette->background.green, palette->background.blue);
          cairo_pattern_add_color_stop_rgb (bar, 1, palette->positive.red,
                                            palette->positive.green, palette->positive.blue);
          cairo_rectangle (cr, bx, by, bw, LEGEND_BAR_HEIGHT * t);
          cairo_set_source (cr, bar);
          cairo_fill_preserve (cr);
          cairo_pattern_destroy (bar);
          cairo_set_line_width (cr, 0.5 * t);
          cairo_set_source_rgba (cr, palette->text.red, palette->text.green, palette->text.blue,
                                 0.5);
          cairo_stroke (cr);
          cairo_set_source_rgba (cr, palette->text.red, palette->text.green, palette->text.blue,
                                 0.85);
          text = nns_render_weight_legend_row (network, nns_weight_source_fits (source, layout)
                                                          ? source : NULL, k - 1);
          cairo_move_to (cr, bx + bw + 8 * t, base);
        }
      cairo_show_text (cr, text);
    }
  cairo_restore (cr);
  cairo_font_options_destroy (options);
}

/* ---- reading back ---- */

static double
segment_distance (double px, double py, double x0, double y0, double x1, double y1)
{
  double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy, t;

  t = len2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / len2 : 0;
  t = CLAMP (t, 0, 1);
  return hypot (px - (x0 + t * dx), py - (y0 + t * dy));
}

gboolean
nns_weight_hit_edge (const NnsLayout *layout, const NnsStyle *style,
                     const NnsWeightSource *source, double x, double y, double tolerance,
                     guint *column, guint *from, guint *to)
{
  guint n_columns = nns_layout_get_n_columns (layout);
  gboolean vertical = nns_layout_get_direction (layout) == NNS_DIRECTION_VERTICAL;
  double best = tolerance;
  gboolean found = FALSE;

  if (!nns_weight_source_fits (source, layout))
    return FALSE;
  for (guint c = 0; c + 1 < n_columns; c++)
    {
      g_autoptr (GArray) src = nns_layout_dup_column_nodes (layout, c, TRUE);
      g_autoptr (GArray) dst = nns_layout_dup_column_nodes (layout, c + 1, FALSE);
      const NnsWeightMatrix *m = &source->layers[c];
      double max_abs = pair_max_abs (m, TRUE);
      double a, b;

      if (src->len == 0 || dst->len == 0)
        continue;
      /* only the pair whose columns the point lies between */
      a = vertical ? g_array_index (src, NnsNode, 0).y : g_array_index (src, NnsNode, 0).x;
      b = vertical ? g_array_index (dst, NnsNode, 0).y : g_array_index (dst, NnsNode, 0).x;
      if ((vertical ? y : x) < MIN (a, b) || (vertical ? y : x) > MAX (a, b))
        continue;
      for (guint i = 0; i < src->len; i++)
        for (guint j = 0; j < dst->len; j++)
          {
            NnsNode *p = &g_array_index (src, NnsNode, i), *q = &g_array_index (dst, NnsNode, j);
            double r = relative (edge_weight (m, p->neuron, q->neuron), max_abs), d;

            if (r <= 0 || r < style->weight_threshold)
              continue;
            d = segment_distance (x, y, p->x, p->y, q->x, q->y);
            if (d < best)
              {
                best = d;
                found = TRUE;
                *column = c;
                *from = p->neuron;
                *to = q->neuron;
              }
          }
    }
  return found;
}

char *
nns_weight_describe_edge (NnsNetwork *network, const NnsWeightSource *source, guint column,
                          guint from, guint to)
{
  g_autofree char *target = NULL, *origin = NULL, *value = NULL;
  const NnsWeightMatrix *m;

  g_return_val_if_fail (source != NULL && column < source->n_layers, NULL);
  m = &source->layers[column];
  g_return_val_if_fail (to < m->n_out && from <= m->n_in, NULL);
  target = nns_network_dup_column_title (network, column + 1);
  value = nns_weight_format (edge_weight (m, from, to));
  if (from == m->n_in)
    /* Translators: "Hidden 1 neuron 3: bias = 0.118 (bias[2])" */
    return g_strdup_printf (_("%s neuron %u: bias = %s (bias[%u])"), target, to + 1, value, to);
  origin = nns_network_dup_column_title (network, column);
  /* Translators: "Hidden 1 neuron 3 ← Input 7: w = −0.412 (weight[2, 6])" */
  return g_strdup_printf (_("%s neuron %u ← %s %u: w = %s (weight[%u, %u])"), target, to + 1,
                          origin, from + 1, value, to, from);
}

/* ---- inspecting one neuron ---- */

const float *
nns_weight_incoming (const NnsWeightSource *source, guint layer, guint neuron)
{
  g_return_val_if_fail (source != NULL && layer < source->n_layers, NULL);
  g_return_val_if_fail (neuron < source->layers[layer].n_out, NULL);
  return source->layers[layer].weight + (gsize) neuron * source->layers[layer].n_in;
}

static const float *sort_values;

static int
cmp_desc (const void *a, const void *b)
{
  guint i = *(const guint *) a, j = *(const guint *) b;
  float x = sort_values[i], y = sort_values[j];

  if (x != y)
    return x > y ? -1 : 1;
  return i < j ? -1 : i > j;
}

guint *
nns_weight_sort_desc (const float *values, guint n)
{
  guint *order = g_new (guint, MAX (n, 1));

  for (guint k = 0; k < n; k++)
    order[k] = k;
  /* qsort has no closure; the GUI and the tests sort from one thread */
  sort_values = values;
  qsort (order, n, sizeof (guint), cmp_desc);
  sort_values = NULL;
  return order;
}

double
nns_weight_histogram (const float *values, guint n, guint n_bins, guint *counts)
{
  double max_abs = 0;

  g_return_val_if_fail (n_bins > 0, 0);
  memset (counts, 0, sizeof (guint) * n_bins);
  for (guint k = 0; k < n; k++)
    if (isfinite (values[k]))
      max_abs = MAX (max_abs, fabs (values[k]));
  for (guint k = 0; k < n; k++)
    {
      double v = values[k];
      guint bin;

      if (!isfinite (v))
        continue;
      if (max_abs == 0)
        bin = n_bins / 2;
      else
        bin = (guint) MIN ((double) n_bins - 1, floor ((v + max_abs) / (2 * max_abs) * n_bins));
      counts[bin]++;
    }
  return max_abs;
}

gboolean
nns_weight_picture_shape (guint n, const NnsInputShape *shape, NnsInputShape *out)
{
  guint side = (guint) llround (sqrt ((double) n));

  if (shape != NULL && shape->n_dims >= 2 && nns_input_shape_get_size (shape) == n)
    {
      *out = *shape;
      return TRUE;
    }
  if (n < 4 || (guint64) side * side != n)
    return FALSE;
  *out = (NnsInputShape) { 2, { side, side, 0 } };
  return TRUE;
}

cairo_surface_t *
nns_weight_picture_new (const float *values, guint n, const NnsInputShape *shape,
                        double max_abs, const NnsPalette *palette)
{
  NnsInputShape picture;
  guint channels, h, w, width;
  g_autofree float *tiles = NULL;

  if (!nns_weight_picture_shape (n, shape, &picture))
    return NULL;
  channels = picture.n_dims == 3 ? picture.dims[0] : 1;
  h = picture.dims[picture.n_dims - 2];
  w = picture.dims[picture.n_dims - 1];
  /* the tiles and the gaps between them */
  if ((guint64) channels * (w + 1) - 1 > 32767 || h > 32767)
    return NULL;
  width = channels * (w + 1) - 1;
  tiles = g_new (float, (gsize) width * h);
  for (gsize k = 0; k < (gsize) width * h; k++)
    tiles[k] = NAN;   /* drawn in the background colour */
  for (guint c = 0; c < channels; c++)
    for (guint y = 0; y < h; y++)
      memcpy (tiles + (gsize) y * width + (gsize) c * (w + 1),
              values + ((gsize) c * h + y) * w, w * sizeof (float));
  return nns_weight_image_new (tiles, width, h, max_abs, palette);
}

char *
nns_weight_describe_origin (NnsWeights *weights, NnsNetwork *network, guint32 seed)
{
  if (weights != NULL && nns_weights_is_initial (weights, network, seed))
    /* Translators: the weights of a network nobody trained */
    return g_strdup_printf (_("Weights: PyTorch’s default initialisation (seed %u)"), seed);
  return g_strdup (_("Weights: loaded or trained"));
}

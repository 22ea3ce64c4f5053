/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-dots"

/* A run of evenly spaced neurons as two masks computed per pixel: the
 * discs' coverage (their fill) and the rings' (their border). cairo fills
 * and strokes a path of circles at a cost per circle (its arcs are flattened,
 * stroked and scan-converted one by one): a column of a thousand small
 * neurons costs it as much as the column's hundreds of thousands of edges. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "nns-dots.h"
#include "nns-pixel-mask.h"

#define SUB_ROWS      16         /* samples down a pixel row; across, coverage is exact */
#define MAX_RADIUS    48.0       /* device pixels: bigger, a column shows few, cairo's */
#define SMALL_RADIUS  8.0        /* device pixels: up to, overlapping discs too */
#define MIN_DOTS      16         /* fewer: two masks cost more than cairo's path */
#define MAX_PIXELS    (1 << 22)  /* of the run's box */
#define TINY_RADIUS   0.25       /* below, a disc is a point of its area */

/* A run's coverage is kept as differences along each row: acc has w + 1
 * floats a row (ROW (w) apart), and a pixel's coverage is the sum of its
 * row's entries up to its own (mask_of() sums them). So the pixels a disc
 * covers whole cost two additions a row, however many they are. */
#define ROW(w) ((gsize) (w) + 1)

typedef float Lines __attribute__ ((vector_size (16)));   /* 4 of a row's lines */
typedef gint32 Mask4 __attribute__ ((vector_size (16)));
#define N_GROUPS (SUB_ROWS / 4)

/* where (a > b) a, else b: lane by lane */
static inline Lines
lines_max (Lines a, Lines b)
{
  Mask4 m = a > b;

  return (Lines) (((Mask4) a & m) | ((Mask4) b & ~m));
}

static inline Lines
lines_min (Lines a, Lines b)
{
  Mask4 m = a < b;

  return (Lines) (((Mask4) a & m) | ((Mask4) b & ~m));
}

/* How much of pixel x the lines' spans [left, right] cover, summed. */
static inline float
lines_cover (const Lines *left, const Lines *right, int x)
{
  Lines sum = { 0, 0, 0, 0 }, zero = { 0, 0, 0, 0 };
  Lines x0 = zero + (float) x, x1 = x0 + 1;

  for (int g = 0; g < N_GROUPS; g++)
    sum += lines_max (lines_min (right[g], x1) - lines_max (left[g], x0), zero);
  return sum[0] + sum[1] + sum[2] + sum[3];
}

/* Adds v to the coverage of pixel x of a row of differences. */
static inline void
pixel_add (float *row, int x, float v)
{
  row[x] += v;
  row[x + 1] -= v;
}

/* acc += sign × the coverage of the disc of radius rho centred at (cx, cy)
 * (pixel (ax, ay) first, w × h pixels): exact across each of SUB_ROWS lines
 * down a pixel row. */
static void
disc_add (float *acc, int w, int h, int ax, int ay, double cx, double cy, double rho, float sign)
{
  if (rho <= 0)
    return;
  if (rho < TINY_RADIUS)
    {
      /* a point of the disc's area, shared by the four nearest pixels */
      double px = cx - 0.5 - ax, py = cy - 0.5 - ay;
      int ix = (int) floor (px), iy = (int) floor (py);
      double fx = px - ix, fy = py - iy, area = G_PI * rho * rho * sign;

      for (int j = 0; j < 2; j++)
        for (int i = 0; i < 2; i++)
          {
            int x = ix + i, y = iy + j;

            if (x >= 0 && x < w && y >= 0 && y < h)
              pixel_add (acc + (gsize) y * ROW (w), x,
                         (float) (area * (i ? fx : 1 - fx) * (j ? fy : 1 - fy)));
          }
      return;
    }

  {
    int y0 = MAX ((int) floor (cy - rho) - ay, 0), y1 = MIN ((int) ceil (cy + rho) - ay, h);
    /* across, relative to the box's left side; the disc spans a few dozen
     * pixels at most, so floats hold its places to far under 1/255 px */
    int xa = MAX ((int) floor (cx - rho) - ax, 0), xb = MIN ((int) ceil (cx + rho) - ax, w);
    float c = (float) (cx - ax - xa), rr = (float) (rho * rho), k = sign / SUB_ROWS;

    for (int y = y0; y < y1; y++)
      {
        float *row = acc + (gsize) y * ROW (w) + xa;
        float dy0 = (float) (ay + y - cy);
        float dys[SUB_ROWS], half[SUB_ROWS];
        Lines left[N_GROUPS], right[N_GROUPS];
        float in_l, in_r;

        /* each line's span [c − half, c + half] (empty, c, where the line
         * misses the disc); the pixels inside every span are covered whole
         * (none when a line misses) */
        for (int l = 0; l < SUB_ROWS; l++)
          dys[l] = dy0 + (l + 0.5f) / SUB_ROWS;
        for (int l = 0; l < SUB_ROWS; l++)
          half[l] = sqrtf (MAX (rr - dys[l] * dys[l], 0.0f));
        for (int g = 0; g < N_GROUPS; g++)
          {
            Lines hv;

            memcpy (&hv, half + 4 * g, sizeof hv);
            left[g] = c - hv;
            right[g] = c + hv;
          }
        in_l = c - half[0];
        in_r = c + half[0];
        for (int l = 1; l < SUB_ROWS; l++)
          {
            in_l = MAX (in_l, c - half[l]);
            in_r = MIN (in_r, c + half[l]);
          }
        {
          int n = xb - xa;
          int whole_a = CLAMP ((int) ceilf (in_l), 0, n), whole_b = CLAMP ((int) floorf (in_r), 0, n);

          if (whole_a < whole_b)
            {
              row[whole_a] += sign;
              row[whole_b] -= sign;
            }
          else
            whole_a = whole_b = 0;
          for (int x = 0; x < whole_a; x++)
            pixel_add (row, x, k * lines_cover (left, right, x));
          for (int x = whole_b; x < n; x++)
            pixel_add (row, x, k * lines_cover (left, right, x));
        }
      }
  }
}

static cairo_surface_t *
mask_of (const float *acc, int w, int h)
{
  cairo_surface_t *mask = nns_pixel_new_mask (w, h);
  guint8 *data;
  int stride;

  if (mask == NULL)
    return NULL;
  data = cairo_image_surface_get_data (mask);
  stride = cairo_image_surface_get_stride (mask);
  for (int y = 0; y < h; y++)
    {
      const float *row = acc + (gsize) y * ROW (w);
      float v = 0;

      for (int x = 0; x < w; x++)
        {
          v += row[x];
          data[(gsize) y * stride + x] = (guint8) (v <= 0 ? 0 : v >= 1 ? 255 : v * 255 + 0.5f);
        }
    }
  return mask;
}

gboolean
nns_dots_draw (cairo_t *cr, double x0, double y0, double dx, double dy, guint from, guint to,
               double radius, double border, const NnsColor *fill, const NnsColor *ring)
{
  cairo_surface_t *target = cairo_get_target (cr);
  NnsPixelMap pm;
  double s, r_in, r_out, reach, ax, ay, bx, by;
  int cx0, cy0, cx1, cy1, mx0, my0, mx1, my1, w, h;
  g_autofree float *acc_fill = NULL, *acc_ring = NULL;
  cairo_surface_t *mask;

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE || !nns_pixel_map (cr, &pm)
      || fabs (fabs (pm.xx) - fabs (pm.yy)) > 1e-9 * fabs (pm.xx) || to < from
      || to - from + 1 < MIN_DOTS)
    return FALSE;
  s = fabs (pm.xx);
  border = MAX (border, 0.0);
  r_in = (radius - border / 2) * s;
  r_out = (radius + border / 2) * s;
  if (!isfinite (r_out) || r_out > MAX_RADIUS || radius < 0)
    return FALSE;
  /* Overlapping discs add up where their edges cross, which their union
   * does not; past SMALL_RADIUS that would show, so those go to cairo. */
  if (r_out > SMALL_RADIUS && hypot (dx, dy) * s < 2 * r_out)
    return FALSE;
  if (!nns_pixel_clip (cr, &cx0, &cy0, &cx1, &cy1))
    return TRUE;

  /* the run's box in pixels, within the clip */
  ax = pm.xx * (x0 + from * dx) + pm.x0;
  ay = pm.yy * (y0 + from * dy) + pm.y0;
  bx = pm.xx * (x0 + to * dx) + pm.x0;
  by = pm.yy * (y0 + to * dy) + pm.y0;
  reach = r_out + 1;
  if (!isfinite (ax) || !isfinite (ay) || !isfinite (bx) || !isfinite (by))
    return FALSE;
  mx0 = (int) MAX (floor (MIN (ax, bx) - reach), (double) cx0);
  my0 = (int) MAX (floor (MIN (ay, by) - reach), (double) cy0);
  mx1 = (int) MIN (ceil (MAX (ax, bx) + reach), (double) cx1);
  my1 = (int) MIN (ceil (MAX (ay, by) + reach), (double) cy1);
  if (mx0 >= mx1 || my0 >= my1)
    return TRUE;
  w = mx1 - mx0;
  h = my1 - my0;
  if ((double) w * h > MAX_PIXELS)
    return FALSE;

  acc_fill = g_new0 (float, ROW (w) * h);
  if (border > 0)
    acc_ring = g_new0 (float, ROW (w) * h);
  for (guint k = from; k <= to; k++)
    {
      double cx = pm.xx * (x0 + k * dx) + pm.x0, cy = pm.yy * (y0 + k * dy) + pm.y0;

      if (cx + r_out < mx0 || cx - r_out > mx1 || cy + r_out < my0 || cy - r_out > my1)
        continue;
      /* the path is the circle of the inner radius plus half the border:
       * cairo fills its disc, then strokes the border centred on it */
      disc_add (acc_fill, w, h, mx0, my0, cx, cy, radius * s, 1);
      if (acc_ring != NULL)
        {
          disc_add (acc_ring, w, h, mx0, my0, cx, cy, r_out, 1);
          disc_add (acc_ring, w, h, mx0, my0, cx, cy, r_in, -1);
        }
    }

  mask = mask_of (acc_fill, w, h);
  if (mask == NULL)
    return FALSE;
  nns_pixel_paint_mask (cr, mask, mx0, my0, fill, fill->alpha);
  if (acc_ring != NULL)
    {
      mask = mask_of (acc_ring, w, h);
      if (mask == NULL)
        return TRUE;   /* out of memory: the fill is drawn, the rings are lost */
      nns_pixel_paint_mask (cr, mask, mx0, my0, ring, ring->alpha);
    }
  return TRUE;
}

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
#define MAX_RADIUS    8.0        /* device pixels: bigger circles are few, cairo's */
#define MIN_DOTS      16         /* fewer: two masks cost more than cairo's path */
#define MAX_PIXELS    (1 << 22)  /* of the run's box */
#define TINY_RADIUS   0.25       /* below, a disc is a point of its area */

/* acc (w × h floats, pixel (ax, ay) first) += sign × the coverage of the
 * disc of radius rho centred at (cx, cy): exact across each of SUB_ROWS
 * lines down a pixel row. */
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
              acc[(gsize) y * w + x] += (float) (area * (i ? fx : 1 - fx) * (j ? fy : 1 - fy));
          }
      return;
    }

  {
    int y0 = MAX ((int) floor (cy - rho) - ay, 0), y1 = MIN ((int) ceil (cy + rho) - ay, h);
    float k = sign / SUB_ROWS;

    for (int y = y0; y < y1; y++)
      {
        float *row = acc + (gsize) y * w;

        for (int s = 0; s < SUB_ROWS; s++)
          {
            double dy = ay + y + (s + 0.5) / SUB_ROWS - cy, q = rho * rho - dy * dy;
            double half, xl, xr;
            int il, ir;

            if (q <= 0)
              continue;
            half = sqrt (q);
            xl = cx - half - ax;
            xr = cx + half - ax;
            xl = MAX (xl, 0.0);
            xr = MIN (xr, (double) w);
            if (xr <= xl)
              continue;
            il = (int) xl;
            ir = (int) xr;
            if (il == ir)
              {
                row[il] += k * (float) (xr - xl);
                continue;
              }
            row[il] += k * (float) (il + 1 - xl);
            for (int x = il + 1; x < ir; x++)
              row[x] += k;
            if (ir < w)
              row[ir] += k * (float) (xr - ir);
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
    for (int x = 0; x < w; x++)
      {
        float v = acc[(gsize) y * w + x];

        data[(gsize) y * stride + x] = (guint8) (v <= 0 ? 0 : v >= 1 ? 255 : v * 255 + 0.5f);
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

  acc_fill = g_new0 (float, (gsize) w * h);
  if (border > 0)
    acc_ring = g_new0 (float, (gsize) w * h);
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

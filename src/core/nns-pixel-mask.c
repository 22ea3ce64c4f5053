/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-pixel-mask"

/* Drawing in device pixels through an A8 mask: what the fast bundle, fan
 * and neuron renderers share. */

#include "config.h"

#include <math.h>

#include <string.h>

#include "nns-pixel-mask.h"

/* The user → pixel transform of cr, if it has no rotation or shear. */
gboolean
nns_pixel_map (cairo_t *cr, NnsPixelMap *pm)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_matrix_t m;
  double sx = 1, sy = 1, ox = 0, oy = 0;

  cairo_get_matrix (cr, &m);
  if (m.xy != 0 || m.yx != 0 || m.xx == 0 || m.yy == 0)
    return FALSE;
  cairo_surface_get_device_scale (target, &sx, &sy);
  cairo_surface_get_device_offset (target, &ox, &oy);
  pm->xx = m.xx * sx;
  pm->yy = m.yy * sy;
  pm->x0 = m.x0 * sx + ox;
  pm->y0 = m.y0 * sy + oy;
  return isfinite (pm->xx) && isfinite (pm->yy) && isfinite (pm->x0) && isfinite (pm->y0);
}

/* The clip in pixels, intersected with the image. */
gboolean
nns_pixel_clip (cairo_t *cr, int *x0, int *y0, int *x1, int *y1)
{
  cairo_surface_t *target = cairo_get_target (cr);
  double sx = 1, sy = 1, ox = 0, oy = 0, a, b, c, d;

  cairo_surface_get_device_scale (target, &sx, &sy);
  cairo_surface_get_device_offset (target, &ox, &oy);
  cairo_save (cr);
  cairo_identity_matrix (cr);
  cairo_clip_extents (cr, &a, &b, &c, &d);
  cairo_restore (cr);
  a = floor (a * sx + ox);
  c = ceil (c * sx + ox);
  b = floor (b * sy + oy);
  d = ceil (d * sy + oy);
  *x0 = (int) CLAMP (a, 0, cairo_image_surface_get_width (target));
  *x1 = (int) CLAMP (c, 0, cairo_image_surface_get_width (target));
  *y0 = (int) CLAMP (b, 0, cairo_image_surface_get_height (target));
  *y1 = (int) CLAMP (d, 0, cairo_image_surface_get_height (target));
  return *x0 < *x1 && *y0 < *y1;
}

/* TRUE if drawn; FALSE if the caller should stroke edge by edge. */
/* An empty A8 mask to write coverage into; NULL if there is no memory. */
cairo_surface_t *
nns_pixel_new_mask (int width, int height)
{
  cairo_surface_t *mask = cairo_image_surface_create (CAIRO_FORMAT_A8, width, height);

  if (cairo_surface_status (mask) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (mask);
      return NULL;
    }
  cairo_surface_flush (mask);
  return mask;
}

typedef guint8 Bytes16 __attribute__ ((vector_size (16)));

/* Sixteen rows of sixteen columns: four rounds of interleaving the bytes
 * of vectors k and k + 8 make row j of the output column j of the input. */
static inline void
store_16x16 (guint8 *dst, gsize stride, const guint8 *columns, gsize column_stride)
{
  Bytes16 x[16], y[16];

  for (int k = 0; k < 16; k++)
    memcpy (&x[k], columns + k * column_stride, 16);
  for (int round = 0; round < 4; round++)
    {
      for (int k = 0; k < 8; k++)
        {
          y[2 * k] = __builtin_shufflevector (x[k], x[k + 8], 0, 16, 1, 17, 2, 18, 3, 19, 4,
                                              20, 5, 21, 6, 22, 7, 23);
          y[2 * k + 1] = __builtin_shufflevector (x[k], x[k + 8], 8, 24, 9, 25, 10, 26, 11, 27,
                                                  12, 28, 13, 29, 14, 30, 15, 31);
        }
      memcpy (x, y, sizeof x);
    }
  for (int j = 0; j < 16; j++)
    memcpy (dst + j * stride, &x[j], 16);
}

void
nns_pixel_store_columns (guint8 *dst, gsize stride, const guint8 *columns, gsize column_stride,
                         int n_cols, int n_rows)
{
  int r = 0;

  if (n_cols == 16)
    for (; r + 16 <= n_rows; r += 16)
      store_16x16 (dst + r * stride, stride, columns + r, column_stride);
  for (; r < n_rows; r++)
    for (int k = 0; k < n_cols; k++)
      dst[r * stride + k] = columns[k * column_stride + r];
}

/* Paints color at alpha through mask, pixel-aligned at device pixel
 * (x, y), and frees the mask. */
void
nns_pixel_paint_mask (cairo_t *cr, cairo_surface_t *mask, int x, int y, const NnsColor *color,
                      double alpha)
{
  cairo_surface_t *target = cairo_get_target (cr);
  double dsx = 1, dsy = 1, ox = 0, oy = 0;
  cairo_matrix_t inv;

  cairo_surface_mark_dirty (mask);
  cairo_surface_get_device_scale (target, &dsx, &dsy);
  cairo_surface_get_device_offset (target, &ox, &oy);
  cairo_save (cr);
  cairo_matrix_init (&inv, 1 / dsx, 0, 0, 1 / dsy, -ox / dsx, -oy / dsy);
  cairo_set_matrix (cr, &inv);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, alpha);
  cairo_mask_surface (cr, mask, x, y);
  cairo_restore (cr);
  cairo_surface_destroy (mask);
}

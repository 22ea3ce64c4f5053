/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "nns-style.h"

G_BEGIN_DECLS

/* user space → device pixels of a cairo context: a scale and a translation */
typedef struct
{
  double xx, yy, x0, y0;
} NnsPixelMap;

/* cr's user → pixel transform; FALSE if it rotates or shears (or is not finite). */
gboolean         nns_pixel_map        (cairo_t         *cr,
                                       NnsPixelMap     *pm);
/* cr's clip in whole pixels of its image target; FALSE when empty. */
gboolean         nns_pixel_clip       (cairo_t         *cr,
                                       int             *x0,
                                       int             *y0,
                                       int             *x1,
                                       int             *y1);
/* A cleared A8 surface, or NULL when it cannot be made. */
cairo_surface_t *nns_pixel_new_mask   (int              width,
                                       int              height);
/* Stores n_cols columns of n_rows bytes each (column k at
 * columns + k·column_stride) as the first n_cols bytes of n_rows rows at
 * dst, stride apart: a tile drawn column by column into a row-major mask. */
void             nns_pixel_store_columns (guint8       *dst,
                                          gsize         stride,
                                          const guint8 *columns,
                                          gsize         column_stride,
                                          int           n_cols,
                                          int           n_rows);
/* Paints color × alpha through mask (placed at pixel x, y) and frees the mask. */
void             nns_pixel_paint_mask (cairo_t         *cr,
                                       cairo_surface_t *mask,
                                       int              x,
                                       int              y,
                                       const NnsColor  *color,
                                       double           alpha);

G_END_DECLS

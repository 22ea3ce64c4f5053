/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "nns-layout.h"

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
} NnsRenderOptions;

/* Draws the whole diagram in layout coordinates onto cr (which the caller may
 * have scaled / translated). */
void nns_render (cairo_t                *cr,
                 NnsNetwork             *network,
                 const NnsLayout        *layout,
                 const NnsStyle         *style,
                 const NnsRenderOptions *options);

G_END_DECLS

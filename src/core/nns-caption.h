/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "nns-network.h"
#include "nns-style.h"

G_BEGIN_DECLS

/* The per-layer counts table an export can put under the figure, as a
 * paper's caption table: Layer, In → Out, Weights, Biases, Parameters,
 * Share, and a Total row, between booktabs-style rules. */

typedef struct
{
  double x, y;        /* top-left of the table on the page, page units */
  double width, height;
  double scale;       /* < 1 when the table was shrunk to fit the page's width */
} NnsCaptionBox;

/* Places the table under a page_width × page_height figure, centred, and
 * says how large the page becomes (the table never makes the figure smaller;
 * the page grows by the table's height, and wider only if the figure is too
 * narrow for a readable table). */
void nns_caption_place (NnsNetwork          *network,
                        double               page_width,
                        double               page_height,
                        NnsCaptionBox       *box,
                        double              *new_width,
                        double              *new_height);
/* Draws it into box in cr's current (page) coordinates, in the style's text colour. */
void nns_caption_draw  (cairo_t             *cr,
                        NnsNetwork          *network,
                        const NnsStyle      *style,
                        const NnsCaptionBox *box);

G_END_DECLS

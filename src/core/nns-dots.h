/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "nns-style.h"

G_BEGIN_DECLS

/* Draws the circles k = from … to of radius `radius` centred at
 * (x0 + k·dx, y0 + k·dy) in user space as cairo would fill their path with
 * fill and then stroke it `border` wide with ring (no ring when border is 0),
 * through two masks computed per pixel. FALSE when it cannot or it would
 * not pay (not an image surface, a rotation or unequal scales, fewer than 16
 * circles, circles over 96 pixels across): the caller draws the path. */
gboolean nns_dots_draw (cairo_t        *cr,
                        double          x0,
                        double          y0,
                        double          dx,
                        double          dy,
                        guint           from,
                        guint           to,
                        double          radius,
                        double          border,
                        const NnsColor *fill,
                        const NnsColor *ring);

G_END_DECLS

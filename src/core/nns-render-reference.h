/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "nns-layout.h"

G_BEGIN_DECLS

/* The ghost of a pinned reference network, drawn under the current one in
 * the current layout's geometry: each reference column at the place (and
 * with the neuron spacing) the current drawing uses, as a dashed outline
 * around its neurons and a faint circle per drawn neuron. A column only the
 * reference has goes where the next column would be. Columns whose width did
 * not change coincide with the real ones; a wider or narrower layer shows
 * the old extent around or inside the new one. */
void nns_render_reference (cairo_t         *cr,
                           NnsNetwork      *reference,
                           const NnsLayout *layout,
                           const NnsStyle  *style);

G_END_DECLS

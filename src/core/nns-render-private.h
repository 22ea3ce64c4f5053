/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "nns-layout.h"

G_BEGIN_DECLS

/* The far ends of a selected neuron's fan into column: its drawn neurons
 * in order (and its bias node last, with_bias), as x, y pairs, where an end
 * less than gap (|Δx| + |Δy|) from the last one kept is dropped; the
 * column's last end is always kept. n_out gets the number of ends; free
 * with g_free(). Exposed for the tests. */
double *_nns_render_fan_ends (const NnsLayout *layout,
                              guint            column,
                              gboolean         with_bias,
                              double           gap,
                              guint           *n_out);

G_END_DECLS

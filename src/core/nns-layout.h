/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-network.h"
#include "nns-style.h"

G_BEGIN_DECLS

/* Where everything of the diagram goes: a pure function of network + style
 * (+ an optional box to fit into). Coordinates are in drawing units (px at
 * scale 1), origin at the top-left of the drawing, margins included.
 *
 * Columns: 0 is the input, c = i + 1 is dense layer i (as in
 * nns_network_get_column_width()). Neuron indices are the true 0-based index
 * within the layer, also for collapsed layers (where only some are drawn). */

typedef struct _NnsLayout NnsLayout;

typedef struct
{
  guint  column;
  guint  neuron;
  double x, y;       /* centre */
  double radius;
} NnsNode;

/* box_width / box_height: 0 for the drawing's natural size; otherwise spacing
 * and radius shrink (down to a floor) so the drawing fits the box. */
NnsLayout  *nns_layout_new             (NnsNetwork      *network,
                                        const NnsStyle  *style,
                                        double           box_width,
                                        double           box_height);
void        nns_layout_free            (NnsLayout       *layout);

double      nns_layout_get_width       (const NnsLayout *layout);
double      nns_layout_get_height      (const NnsLayout *layout);
guint       nns_layout_get_n_columns   (const NnsLayout *layout);
/* True width of the column (what the label says). */
guint       nns_layout_get_column_width (const NnsLayout *layout,
                                         guint            column);
/* How many neurons of the column are drawn. */
guint       nns_layout_get_n_drawn     (const NnsLayout *layout,
                                        guint            column);
gboolean    nns_layout_is_collapsed    (const NnsLayout *layout,
                                        guint            column);
/* The i-th drawn node of a column (0 … n_drawn - 1). */
void        nns_layout_get_drawn_node  (const NnsLayout *layout,
                                        guint            column,
                                        guint            i,
                                        NnsNode         *out);
/* The node of a true neuron index; FALSE if collapsing hides it. */
gboolean    nns_layout_get_node        (const NnsLayout *layout,
                                        guint            column,
                                        guint            neuron,
                                        NnsNode         *out);
/* The one hit test: which drawn neuron is under (x, y), if any. */
gboolean    nns_layout_hit_test        (const NnsLayout *layout,
                                        double           x,
                                        double           y,
                                        guint           *column,
                                        guint           *neuron);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnsLayout, nns_layout_free)

G_END_DECLS

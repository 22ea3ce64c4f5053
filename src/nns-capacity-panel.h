/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "nns-capacity.h"
#include "nns-network.h"
#include "nns-reference.h"

G_BEGIN_DECLS

#define NNS_TYPE_CAPACITY_PANEL (nns_capacity_panel_get_type ())
G_DECLARE_FINAL_TYPE (NnsCapacityPanel, nns_capacity_panel, NNS, CAPACITY_PANEL, GtkWidget)

/* The capacity pane: totals, a per-layer bar chart of parameters, memory for
 * a number type, optimizer and batch size (kept in GSettings when the schema
 * is there), and the difference from a pinned reference network. It follows
 * the network's "changed" signal once per frame, so a slider drag updates it
 * live; while unmapped it does no work and catches up when shown. */
GtkWidget    *nns_capacity_panel_new                 (void);
void          nns_capacity_panel_set_network         (NnsCapacityPanel *self,
                                                      NnsNetwork       *network);
/* The pinned reference the panel pins into and shows the difference from;
 * give it to the canvas too, for the ghost outline. */
NnsReference *nns_capacity_panel_get_reference       (NnsCapacityPanel *self);
/* Same as the "Pin as Reference" button: pins the current network. */
void          nns_capacity_panel_pin                 (NnsCapacityPanel *self);
void          nns_capacity_panel_get_spec            (NnsCapacityPanel *self,
                                                      NnsMemorySpec    *spec);
/* What the panel shows, for tests: "+12,480 parameters, +18 %; …", or NULL
 * without a reference. */
const char   *nns_capacity_panel_get_difference_text (NnsCapacityPanel *self);
/* How many times the figures were recomputed (tests, benchmarks). */
guint         nns_capacity_panel_get_n_updates       (NnsCapacityPanel *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "nns-capacity.h"

G_BEGIN_DECLS

/* The capacity figures of --summary: the per-layer cells and the rows under
 * the table, their JSON members, and --compare. spec NULL: fp32, Adam,
 * batch 1. The caller has checked that nns_memory_compute() succeeds. */

/* Appends the "Mult-adds" and "Outputs" cells (per batch) of layer index. */
void  nns_capacity_report_add_cells       (GPtrArray           *cells,
                                           NnsNetwork          *network,
                                           guint                index,
                                           const NnsMemorySpec *spec);
/* Mult-adds, FLOPs and the memory rows under the total. */
void  nns_capacity_report_append_text     (GString             *out,
                                           NnsNetwork          *network,
                                           const NnsMemorySpec *spec);
/* Members of a layer object: trainable, non_trainable, buffers, mult_adds,
 * flops, outputs (per batch). */
void  nns_capacity_report_add_layer_json  (JsonBuilder         *builder,
                                           NnsNetwork          *network,
                                           guint                index,
                                           const NnsMemorySpec *spec);
/* Top-level members: batch_size, dtype, optimizer, trainable, non_trainable,
 * buffers, mult_adds, flops, outputs, memory {weights, gradients,
 * optimizer_state, activations, training} (bytes; training null for int8). */
void  nns_capacity_report_add_json        (JsonBuilder         *builder,
                                           NnsNetwork          *network,
                                           const NnsMemorySpec *spec);
/* --compare: both summaries and network's difference from reference, as
 * text or as {"reference": {…}, "network": {…}, "difference": {…}}. */
char *nns_capacity_report_compare         (NnsNetwork          *reference,
                                           NnsNetwork          *network,
                                           const NnsMemorySpec *spec,
                                           gboolean             json);

G_END_DECLS

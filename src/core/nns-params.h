/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-network.h"

G_BEGIN_DECLS

/* Exact 64-bit parameter arithmetic. The largest network the limits allow
 * (256 layers of 1,000,000 × 1,000,000) has about 2.6e14 parameters. */
guint64  nns_params_neuron          (guint64      in_features,
                                     gboolean     bias);
guint64  nns_params_dense           (guint64      in_features,
                                     guint64      out_features,
                                     gboolean     bias);
guint64  nns_params_fp32_bytes      (guint64      n_params);

/* Everything a layer holds: its Linear (0 when it shares another layer's),
 * its norm's weight and bias, its PReLU slopes. */
guint64  nns_network_count_layer    (NnsNetwork  *network,
                                     guint        index);
/* in × out + out (bias); 0 for a layer that shares another's Linear. */
guint64  nns_network_count_linear   (NnsNetwork  *network,
                                     guint        index);
/* BatchNorm1d / LayerNorm: 2 × units when affine (units without the bias). */
guint64  nns_network_count_norm     (NnsNetwork  *network,
                                     guint        index);
/* PReLU: 1, or units with one slope per unit. */
guint64  nns_network_count_prelu    (NnsNetwork  *network,
                                     guint        index);
/* Buffers, not parameters: BatchNorm1d's running mean and variance and
 * num_batches_tracked, 2 × units + 1 when it tracks running statistics. */
guint64  nns_network_count_buffers  (NnsNetwork  *network,
                                     guint        index);
guint64  nns_network_count_weights  (NnsNetwork  *network,
                                     guint        index);
guint64  nns_network_count_biases   (NnsNetwork  *network,
                                     guint        index);
guint64  nns_network_count_total    (NnsNetwork  *network);
/* Edges drawn when every neuron is shown: the sum of in × out. */
guint64  nns_network_count_edges    (NnsNetwork  *network);

/* "1,234,567" */
char    *nns_format_count           (guint64      value);
/* SI units as GNOME does: "2.7 kB", "940.6 kB", "1.2 MB", "980 bytes". */
char    *nns_format_size            (guint64      bytes);
/* "18 × 20 + 20 = 380" or "18 × 20 = 360" without bias;
 * "10 × 18 + 18 + BatchNorm1d 36 = 234" with a norm. */
char    *nns_format_layer_formula   (NnsNetwork  *network,
                                     guint        index);
/* "683 parameters · 2.7 kB" */
char    *nns_format_total           (NnsNetwork  *network);
/* "Hidden layer 1, neuron 3 of 18: 10 weights + 1 bias = 11 parameters";
 * column 0 is the input ("Input 4 of 10: no parameters"). neuron is 0-based. */
char    *nns_format_neuron          (NnsNetwork  *network,
                                     guint        column,
                                     guint        neuron);

G_END_DECLS

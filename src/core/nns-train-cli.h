/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-cli.h"

G_BEGIN_DECLS

/* nnsketch --train: trains on a data set and prints one line an epoch and
 * a summary; --compare-widths trains each hidden width on the CPU's cores
 * and prints the capacity table. */

/* The training options of a parsed command line: a data set that exists,
 * numbers in range, and no training option without --train. */
gboolean nns_train_cli_check (NnsCliOptions       *options,
                              GError             **error);
/* Runs --train on network (the data set's default network when neither
 * --layers nor FILE was given), from weights when FILE held them (NULL:
 * PyTorch's initialisation for --seed); prints to stdout, and writes the
 * trained weights to a --export-filename=….safetensors. */
gboolean nns_train_cli_run   (const NnsCliOptions *options,
                              NnsNetwork          *network,
                              NnsWeights          *weights,
                              GError             **error);

G_END_DECLS

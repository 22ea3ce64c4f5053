/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-capacity.h"
#include "nns-network.h"

G_BEGIN_DECLS

/* A torchinfo-like table: one row per dense layer, then the total and the
 * capacity rows (mult-adds, FLOPs, memory) for spec (NULL: fp32, Adam, batch 1). */
char *nns_summary_to_text (NnsNetwork          *network,
                           const NnsMemorySpec *spec);
/* The same as one JSON object: {"input": …, "layers": […], "total": …,
 * "fp32_bytes": …, "batch_size": …, "memory": {…}, …} */
char *nns_summary_to_json (NnsNetwork          *network,
                           const NnsMemorySpec *spec);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-network.h"

G_BEGIN_DECLS

/* A torchinfo-like table: one row per dense layer, then the total. */
char *nns_summary_to_text (NnsNetwork *network);
/* The same as one JSON object: {"input": …, "layers": […], "total": …, "fp32_bytes": …} */
char *nns_summary_to_json (NnsNetwork *network);

G_END_DECLS

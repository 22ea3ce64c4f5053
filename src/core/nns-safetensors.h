/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "nns-network.h"
#include "nns-weights.h"

G_BEGIN_DECLS

/* safetensors, the format of Hugging Face and of PyTorch's state_dicts
 * saved safely: an 8-byte little-endian header length, a JSON header
 * {"NAME": {"dtype": "F32", "shape": [18, 10], "data_offsets": [0, 720]}, …,
 * "__metadata__": {…}}, then the raw little-endian tensors, back to back.
 * Reading is nns_model_file_load (nns-model-file.h). */

/* The file's bytes: network's state_dict (nns_weights_list_tensors: every
 * name, shared Linears again) as F32, num_batches_tracked as I64, the header
 * in state_dict order padded with spaces to a multiple of 8. */
GBytes  *nns_safetensors_write  (NnsNetwork   *network,
                                 NnsWeights   *weights);
/* The same written atomically through NnsFileWriter. */
gboolean nns_safetensors_save   (NnsNetwork   *network,
                                 NnsWeights   *weights,
                                 const char   *path,
                                 GError      **error);

G_END_DECLS

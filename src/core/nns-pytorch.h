/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-network.h"

G_BEGIN_DECLS

/* print(model) output of an nn.Sequential, or nn.Sequential(…) code.
 * Errors name the line ("line 3: Linear expects in_features=20, got 19").
 * notes_out (nullable): what was skipped or kept as a label. */
NnsNetwork *nns_pytorch_import   (const char   *text,
                                  char        **notes_out,
                                  GError      **error);
/* "import torch.nn as nn\n…model = nn.Sequential(…)\n" with the total in a comment. */
char       *nns_pytorch_export   (NnsNetwork   *network);

G_END_DECLS

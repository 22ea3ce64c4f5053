/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-network.h"

G_BEGIN_DECLS

#define NNS_PYTORCH_ERROR (nns_pytorch_error_quark ())

typedef enum
{
  NNS_PYTORCH_ERROR_EMPTY,         /* nothing but blank space and comments */
  NNS_PYTORCH_ERROR_NOT_PYTORCH,   /* no nn.Sequential(…) nor print(model) text in it */
  NNS_PYTORCH_ERROR_SYNTAX,        /* a Sequential that does not parse */
  NNS_PYTORCH_ERROR_MODULE,        /* a module NN Sketch cannot draw (Conv2d, LSTM, unknown …) */
  NNS_PYTORCH_ERROR_MISMATCH,      /* in_features differs from the previous out_features */
  NNS_PYTORCH_ERROR_RANGE,         /* a width or the layer count outside the limits */
  NNS_PYTORCH_ERROR_NO_LINEAR,     /* a Sequential without any Linear */
} NnsPytorchError;

GQuark      nns_pytorch_error_quark (void);

/* print(model) output of an nn.Sequential, or nn.Sequential(…) code.
 * Errors name the line ("line 3: Linear expects in_features=20, got 19").
 * notes_out (nullable): what was skipped, one a line ("line 4: Dropout
 * skipped (no parameters)"), or NULL when nothing was. */
NnsNetwork *nns_pytorch_import   (const char   *text,
                                  char        **notes_out,
                                  GError      **error);
/* "import torch.nn as nn\n…model = nn.Sequential(…)\n" with the total in a comment.
 * Layer names become OrderedDict keys when they can (unique, no '.', not all
 * digits), so that nns_pytorch_import () gives the network back exactly;
 * otherwise they become comments and the import drops them. */
char       *nns_pytorch_export   (NnsNetwork   *network);
/* The export, then a loader that reads a .safetensors file with PyTorch
 * alone (struct, json, torch.frombuffer; no safetensors package) and loads
 * weights_file (a path the code names as given) into the model, in eval
 * mode: the model then gives the outputs of the weights. */
char       *nns_pytorch_export_with_weights (NnsNetwork *network,
                                             const char *weights_file);
/* Whether the export keys the Sequential's modules by the layers' names
 * (OrderedDict) rather than by their index: so are the state_dict's keys. */
gboolean    nns_pytorch_names_are_keys (NnsNetwork *network);

G_END_DECLS

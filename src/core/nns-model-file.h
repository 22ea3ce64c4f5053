/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "nns-network.h"
#include "nns-weights.h"

G_BEGIN_DECLS

/* A trained model's file (.safetensors, .onnx): the network it describes and
 * its weights, each tensor checked against the file's size and refused by
 * name when the file lies. A PyTorch pickle (.pt, .pth) is never parsed: it
 * is recognised and the message says how to convert it. */

#define NNS_MODEL_FILE_ERROR (nns_model_file_error_quark ())

typedef enum
{
  NNS_MODEL_FILE_ERROR_PICKLE,      /* torch.save's pickle, never opened */
  NNS_MODEL_FILE_ERROR_INVALID,     /* a header or a tensor that lies or is damaged */
  NNS_MODEL_FILE_ERROR_UNSUPPORTED, /* a model NN Sketch cannot draw (Conv, a dtype …) */
  NNS_MODEL_FILE_ERROR_SHAPE,       /* Load Weights: the file's tensors do not fit the network */
} NnsModelFileError;

GQuark nns_model_file_error_quark (void);

typedef enum
{
  NNS_MODEL_FORMAT_NONE,
  NNS_MODEL_FORMAT_SAFETENSORS,
  NNS_MODEL_FORMAT_ONNX,
  NNS_MODEL_FORMAT_PICKLE,
} NnsModelFormat;

typedef struct
{
  NnsNetwork *network;
  NnsWeights *weights;     /* frozen */
  /* The file's own name of each tensor, in nns_weights_list_tensors (network)
   * order (the names the network would give may differ). */
  GPtrArray  *names;
  /* Where the weights came from: "safetensors, 6 tensors (F32)". */
  char       *source;
  /* What the file does not say, one a line, or NULL. */
  char       *notes;
} NnsModelFile;

/* By content: safetensors (an 8-byte length, then '{'), ONNX (a protobuf
 * ModelProto), a pickle (zip "PK\3\4" or protocol byte 0x80), or none. */
NnsModelFormat nns_model_file_sniff     (const guint8  *data,
                                         gsize          length);
/* Reads a model file of any format sniff knows. */
NnsModelFile  *nns_model_file_load      (const guint8  *data,
                                         gsize          length,
                                         GError       **error);
void           nns_model_file_free      (NnsModelFile  *file);
/* The file's weights for network (Load Weights): tensor by tensor in
 * state_dict order, every shape equal; else an error naming the tensor and
 * both shapes ("2.weight: the file has [20, 18], the network needs [20, 17]"). */
NnsWeights    *nns_model_file_weights_for (NnsModelFile *file,
                                         NnsNetwork    *network,
                                         GError       **error);

/* The message for a pickle: never opened, and how to convert it. */
void           nns_model_file_set_pickle_error (GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnsModelFile, nns_model_file_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-model-file.h"

G_BEGIN_DECLS

/* What the readers (safetensors, ONNX) hand the common builder. */

typedef enum
{
  NNS_DTYPE_F32,
  NNS_DTYPE_F16,
  NNS_DTYPE_BF16,
  NNS_DTYPE_I64,
} NnsDtype;

#define NNS_RAW_MAX_DIMS 8

/* One tensor of the file, not yet converted: its bytes (little-endian) lie
 * inside the file and have been checked to. */
typedef struct
{
  const char    *name;
  NnsDtype       dtype;
  guint          n_dims;
  guint64        shape[NNS_RAW_MAX_DIMS];
  guint64        n_elements;
  const guint8  *data;
} NnsRawTensor;

/* One dense layer as the file describes it. */
typedef struct
{
  char               *name;        /* the layer's name, or NULL */
  guint               in;
  guint               units;
  gboolean            bias;
  NnsActivation       activation;
  NnsLayerExtras      extras;
  gboolean            transposed;  /* the weight is stored [in, out] (ONNX MatMul) */
  const NnsRawTensor *tensor[NNS_N_TENSOR_KINDS];
} NnsRawLayer;

/* Element n of a tensor as float32, exactly (F16 and BF16 widen without
 * rounding). */
float          _nns_raw_tensor_get  (const NnsRawTensor *tensor,
                                     guint64             n);
const char    *_nns_dtype_get_name  (NnsDtype            dtype);
/* "[20, 18]" */
char          *_nns_raw_tensor_dup_shape (const NnsRawTensor *tensor);

/* The network and weights of layers (their tensors converted and checked
 * finite, errors naming the tensor). notes (nullable) is taken. */
NnsModelFile  *_nns_model_file_build (NnsRawLayer       *layers,
                                      guint              n_layers,
                                      guint              input,
                                      const char        *source,
                                      char              *notes,
                                      GError           **error);

NnsModelFile  *_nns_safetensors_read (const guint8      *data,
                                      gsize              length,
                                      GError           **error);
NnsModelFile  *_nns_onnx_read        (const guint8      *data,
                                      gsize              length,
                                      GError           **error);

G_END_DECLS

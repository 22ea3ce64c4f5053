/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-network.h"

G_BEGIN_DECLS

/* What a network costs to store, run and train: exact integer counts per
 * layer and in total, and bytes for a dtype, an optimizer and a batch size.
 * Every formula is written beside the code in nns-capacity.c and in README
 * ("Capacity and efficiency"); tests/capacity/ holds what PyTorch says. */

typedef enum
{
  NNS_DTYPE_FP32,
  NNS_DTYPE_FP16,
  NNS_DTYPE_BF16,
  NNS_DTYPE_INT8,
  NNS_N_DTYPES
} NnsDtype;

typedef enum
{
  NNS_OPTIMIZER_SGD,        /* torch.optim.SGD without momentum: no state */
  NNS_OPTIMIZER_MOMENTUM,   /* SGD(momentum > 0): one momentum_buffer per parameter */
  NNS_OPTIMIZER_ADAM,       /* exp_avg, exp_avg_sq and a step scalar per tensor */
  NNS_OPTIMIZER_ADAMW,      /* the same state as Adam */
  NNS_N_OPTIMIZERS
} NnsOptimizer;

#define NNS_BATCH_MIN 1
#define NNS_BATCH_MAX 1000000

/* "fp32", "fp16", "bf16", "int8" (also what --dtype takes). */
const char *nns_dtype_get_id            (NnsDtype      dtype);
gboolean    nns_dtype_from_string       (const char   *text,
                                         NnsDtype     *out);
/* torch's element_size(): 4, 2, 2, 1. */
guint       nns_dtype_get_size          (NnsDtype      dtype);
/* int8 holds weights for inference only: PyTorch has no int8 gradients. */
gboolean    nns_dtype_can_train         (NnsDtype      dtype);

/* "sgd", "momentum", "adam", "adamw". */
const char *nns_optimizer_get_id        (NnsOptimizer  optimizer);
/* "SGD", "SGD with momentum", "Adam", "AdamW" (translated). */
const char *nns_optimizer_get_label     (NnsOptimizer  optimizer);
gboolean    nns_optimizer_from_string   (const char   *text,
                                         NnsOptimizer *out);

typedef struct
{
  guint64 trainable;      /* parameters that get a gradient */
  guint64 frozen;         /* parameters without one (requires_grad=False); no layer has them yet */
  guint64 buffers;        /* non-parameter state stored in the dtype (BatchNorm running
                           * mean / var); 0 until layers carry such extras */
  guint64 int64_buffers;  /* buffers PyTorch keeps as int64 whatever the dtype
                           * (num_batches_tracked); 8 bytes each */
  guint64 tensors;        /* parameter tensors (weight, bias): Adam keeps a step scalar each */
  guint64 macs;           /* multiply-adds per sample */
  guint64 flops;          /* 2 · macs + one add per bias, per sample */
  guint64 activations;    /* elements of every module's output, per sample */
} NnsCapacity;

/* One dense layer (its Linear and its activation module, if any). */
void     nns_capacity_layer             (NnsNetwork        *network,
                                         guint              index,
                                         NnsCapacity       *out);
/* The sum over layers. */
void     nns_capacity_total             (NnsNetwork        *network,
                                         NnsCapacity       *out);
/* trainable + frozen: what sum(p.numel() for p in model.parameters()) says. */
guint64  nns_capacity_get_parameters    (const NnsCapacity *capacity);
/* sum(p.numel() * p.element_size()) plus the buffers' bytes. */
guint64  nns_capacity_get_weight_bytes  (const NnsCapacity *capacity,
                                         NnsDtype           dtype);

/* What the memory figures are for: the command line's --dtype, --optimizer
 * and --batch-size, the panel's choices. */
typedef struct
{
  NnsDtype     dtype;
  NnsOptimizer optimizer;
  guint        batch;
} NnsMemorySpec;

/* fp32, Adam, batch 1 */
void     nns_memory_spec_init           (NnsMemorySpec     *spec);

typedef struct
{
  NnsDtype     dtype;
  NnsOptimizer optimizer;
  guint        batch;
  guint64      parameters;    /* trainable + frozen */
  guint64      weights;       /* parameters and buffers */
  guint64      gradients;     /* one per trainable parameter; 0 for int8 */
  guint64      optimizer_state;
  guint64      activations;   /* batch · (input + every module's output) */
  guint64      training;      /* weights + gradients + optimizer_state + activations; 0 for int8 */
  guint64      macs;          /* per batch */
  guint64      flops;         /* per batch */
} NnsMemory;

/* Fills memory for the network at a dtype, optimizer and batch size
 * (NNS_BATCH_MIN … NNS_BATCH_MAX). FALSE, with an error naming the figure,
 * if a count would not fit 64 bits (only multiply-adds of huge networks at
 * huge batches can). */
gboolean nns_memory_compute             (NnsNetwork        *network,
                                         NnsDtype           dtype,
                                         NnsOptimizer       optimizer,
                                         guint              batch,
                                         NnsMemory         *memory,
                                         GError           **error);

/* The difference of current from reference, as the panel shows it:
 * "+12,480 parameters, +18 %; training memory +195 kB" ("weights" instead of
 * "training memory" for int8); "Same size as the reference" when equal. */
char    *nns_memory_format_difference   (const NnsMemory   *reference,
                                         const NnsMemory   *current);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-dataset.h"
#include "nns-network.h"
#include "nns-weights.h"

G_BEGIN_DECLS

/* Training a network's dense layers on a data set, as PyTorch does it:
 * forward and backward passes through nn.Linear (with or without bias; a
 * shared Linear gathers the gradients of every place it is used),
 * nn.BatchNorm1d and nn.LayerNorm (ε 1e-5, BatchNorm's momentum 0.1; affine
 * or not, LayerNorm with or without its bias),
 * each activation of NnsActivation (PyTorch's defaults: LeakyReLU 0.01, ELU
 * α = 1, exact GELU, Softplus β = 1 threshold 20, Softmax and LogSoftmax
 * over the features, PReLU's slopes trained) and nn.Dropout; softmax cross
 * entropy or mean squared error against one-hot targets; torch.optim.SGD
 * (momentum, weight decay) or Adam / AdamW. Matrix products go through
 * cblas_sgemm. A seed fixes the shuffling and the dropout masks, so a run
 * repeats exactly. BatchNorm1d(track_running_stats=False) is refused by
 * name. */

#define NNS_TRAINER_ERROR (nns_trainer_error_quark ())

typedef enum
{
  NNS_TRAINER_ERROR_UNSUPPORTED,  /* a layer kind the trainer cannot train */
  NNS_TRAINER_ERROR_MISMATCH,     /* network and data do not fit each other */
  NNS_TRAINER_ERROR_DIVERGED,     /* the loss became NaN or infinite */
  NNS_TRAINER_ERROR_INVALID,      /* a setting out of range */
} NnsTrainerError;

GQuark nns_trainer_error_quark (void);

typedef enum
{
  NNS_LOSS_CROSS_ENTROPY,   /* nn.CrossEntropyLoss on the network's output */
  NNS_LOSS_MSE,             /* nn.MSELoss against one-hot targets */
} NnsLossKind;

typedef enum
{
  NNS_OPTIM_SGD,            /* torch.optim.SGD (momentum 0 is plain SGD) */
  NNS_OPTIM_ADAM,           /* torch.optim.Adam */
  NNS_OPTIM_ADAMW,          /* torch.optim.AdamW */
} NnsOptimKind;

typedef struct
{
  NnsOptimKind optimizer;
  double       lr;
  double       momentum;      /* SGD */
  double       beta1, beta2;  /* Adam */
  double       eps;
  double       weight_decay;  /* L2 added to the gradient; AdamW: decoupled */
  guint        batch_size;
  NnsLossKind  loss;
  guint32      seed;          /* shuffling and dropout */
} NnsTrainConfig;

/* torch.optim's defaults for kind: SGD lr 0.01 momentum 0, Adam lr 1e-3
 * betas (0.9, 0.999) eps 1e-8, AdamW the same with weight decay 0.01;
 * batch 32, cross entropy, seed 0. */
void nns_train_config_init (NnsTrainConfig *config,
                            NnsOptimKind    kind);
/* "sgd" (momentum 0), "momentum" (SGD, momentum 0.9), "adam", "adamw". */
gboolean nns_train_config_set_optimizer (NnsTrainConfig *config,
                                         const char     *name);

typedef struct _NnsTrainer NnsTrainer;

/* A trainer for network's layers (the network is copied: later edits do
 * not reach the trainer). It trains a private copy of the parameters,
 * starting at nns_weights_new_init (network, config->seed); give it the
 * document's with nns_trainer_set_weights and publish the trained ones with
 * nns_trainer_dup_weights. */
NnsTrainer  *nns_trainer_new              (NnsNetwork           *network,
                                           const NnsTrainConfig *config,
                                           GError              **error);
void         nns_trainer_free             (NnsTrainer           *trainer);
const NnsTrainConfig *nns_trainer_get_config (NnsTrainer        *trainer);
/* Learning rate and weight decay may change between steps (the optimizer
 * state stays, as with torch's param_groups). */
void         nns_trainer_set_lr           (NnsTrainer           *trainer,
                                           double                lr);

guint        nns_trainer_get_n_inputs     (NnsTrainer           *trainer);
guint        nns_trainer_get_n_outputs    (NnsTrainer           *trainer);

/* All parameters in one array, in state_dict order: for each layer its
 * Linear weight (out × in, row-major as Linear.weight) and bias (out) if any
 * — none for a layer that shares an earlier one's Linear —, its norm weight
 * (out) and norm bias (out) if any, its PReLU slopes (1 or out) if any.
 * Writable: copy weights in or out. */
gsize        nns_trainer_get_n_params     (NnsTrainer           *trainer);
float       *nns_trainer_get_params       (NnsTrainer           *trainer);
const float *nns_trainer_get_grads        (NnsTrainer           *trainer);
/* Layer index's parts of the parameters; NULL when it has no such part. A
 * shared layer's weight and bias are its owner's. */
float       *nns_trainer_get_weight       (NnsTrainer           *trainer,
                                           guint                 layer);
float       *nns_trainer_get_bias         (NnsTrainer           *trainer,
                                           guint                 layer);
float       *nns_trainer_get_prelu        (NnsTrainer           *trainer,
                                           guint                 layer);
guint        nns_trainer_get_n_prelu      (NnsTrainer           *trainer,
                                           guint                 layer);
float       *nns_trainer_get_norm_weight  (NnsTrainer           *trainer,
                                           guint                 layer);
float       *nns_trainer_get_norm_bias    (NnsTrainer           *trainer,
                                           guint                 layer);
/* BatchNorm1d's buffers in one array, not trained by the optimizer: for each
 * BatchNorm1d layer its running mean (out), then its running variance (out).
 * Writable. A training forward moves them; evaluation uses them. */
gsize        nns_trainer_get_n_buffers    (NnsTrainer           *trainer);
float       *nns_trainer_get_buffers      (NnsTrainer           *trainer);
gint64       nns_trainer_get_num_batches_tracked (NnsTrainer    *trainer,
                                           guint                 layer);
/* PyTorch's default initialisation (nns_weights_new_init). Resets the
 * optimizer. */
void         nns_trainer_init_params      (NnsTrainer           *trainer,
                                           guint32               seed);
/* Copies weights in — parameters and BatchNorm1d's running statistics and
 * num_batches_tracked — (they must fit the network: nns_weights_check) and
 * resets the optimizer. */
gboolean     nns_trainer_set_weights      (NnsTrainer           *trainer,
                                           NnsWeights           *weights,
                                           GError              **error);
/* The trained values as new, writable weights: a copy of base (when it
 * fits) with every trained tensor and buffer replaced. */
NnsWeights  *nns_trainer_dup_weights      (NnsTrainer           *trainer,
                                           NnsWeights           *base);
/* Forgets momentum and Adam's moments and step count. */
void         nns_trainer_reset_optimizer  (NnsTrainer           *trainer);

/* Evaluation mode (no dropout, BatchNorm1d on its running statistics): out
 * gets n × n_outputs. */
void         nns_trainer_forward          (NnsTrainer           *trainer,
                                           const float          *x,
                                           guint                 n,
                                           float                *out);
/* Evaluation mode as nns_trainer_forward, keeping every layer's output
 * (after its activation): outs[l] (NULL: not wanted) gets n × that layer's
 * width. */
void         nns_trainer_forward_layers   (NnsTrainer           *trainer,
                                           const float          *x,
                                           guint                 n,
                                           float               **outs);
/* Whether a training batch of n samples can be used: not empty, and more
 * than 1 sample when a layer has a BatchNorm1d (PyTorch: "Expected more than
 * 1 value per channel when training"); the error names the layer. */
gboolean     nns_trainer_check_batch      (NnsTrainer           *trainer,
                                           guint                 n,
                                           GError              **error);
/* Training mode forward, the loss and the backward pass for one batch of n
 * samples (x n × n_inputs, y their classes): fills the gradients and
 * returns the mean loss; correct (nullable) gets how many were predicted
 * right. Parameters are not changed; BatchNorm1d's running statistics move
 * as in PyTorch's training mode. A batch check_batch refuses gives NaN and
 * zero gradients. */
double       nns_trainer_compute_gradients (NnsTrainer          *trainer,
                                            const float         *x,
                                            const guint8        *y,
                                            guint                n,
                                            guint               *correct);
/* One optimizer step from the gradients. */
void         nns_trainer_apply_update     (NnsTrainer           *trainer);
/* compute_gradients then apply_update. A batch check_batch refuses is
 * refused with its error. A loss that is not finite refuses the step: the
 * parameters and running statistics go back to the last ones with a finite
 * loss, and the error says so. */
gboolean     nns_trainer_step             (NnsTrainer           *trainer,
                                           const float          *x,
                                           const guint8         *y,
                                           guint                 n,
                                           double               *loss,
                                           guint                *correct,
                                           GError              **error);
guint64      nns_trainer_get_n_steps      (NnsTrainer           *trainer);

typedef struct
{
  double loss;          /* mean of the batches' losses, weighted by size */
  double accuracy;      /* of the predictions made while training, 0 … 1 */
  guint  n;             /* samples seen */
} NnsTrainStats;

/* One epoch over samples in mini-batches of the configured size, shuffled
 * for the trainer's seed (the last batch may be smaller). Stops at a step
 * that diverges (see nns_trainer_step). */
gboolean     nns_trainer_train_epoch      (NnsTrainer           *trainer,
                                           const NnsSamples     *samples,
                                           NnsTrainStats        *stats,
                                           GError              **error);
/* Loss and accuracy of the current parameters on samples, evaluation mode. */
void         nns_trainer_evaluate         (NnsTrainer           *trainer,
                                           const NnsSamples     *samples,
                                           NnsTrainStats        *stats);
/* The same, keeping the outputs: out (nullable) gets n × n_outputs. */
void         nns_trainer_evaluate_outputs (NnsTrainer           *trainer,
                                           const NnsSamples     *samples,
                                           NnsTrainStats        *stats,
                                           float                *out);
/* Whether network's input and output fit dataset (n_features inputs, at
 * least n_classes outputs); the error names the widths. */
gboolean     nns_trainer_check_dataset    (NnsTrainer           *trainer,
                                           const NnsDataset     *dataset,
                                           GError              **error);

/* The BLAS's thread count (OpenBLAS); 0 leaves it as it is. */
void         nns_trainer_set_blas_threads (int                   n_threads);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnsTrainer, nns_trainer_free)

G_END_DECLS

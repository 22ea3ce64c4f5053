/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "nns-network.h"

G_BEGIN_DECLS

/* The values of a network's parameters (and BatchNorm's buffers), float32 as
 * PyTorch holds them, one NnsLayerWeights a dense layer.
 *
 * Ownership: NnsWeights is a refcounted boxed type. The open document owns
 * the weights of its network (nns_document_get_weights); views read them and
 * keep no copy. A weights object handed to the document is frozen: nobody
 * writes it again (undo shares its tensors). To change weights (training,
 * Load Weights), take nns_weights_copy () — a deep copy, plain writable float
 * arrays — write it in place through nns_weights_get_layer_mutable (), and
 * give it to the document with nns_document_set_weights (). */

#define NNS_WEIGHTS_ERROR (nns_weights_error_quark ())

typedef enum
{
  NNS_WEIGHTS_ERROR_SHAPE,    /* a tensor's shape differs from the network's, or is missing or extra */
  NNS_WEIGHTS_ERROR_VALUE,    /* NaN or infinity */
} NnsWeightsError;

GQuark nns_weights_error_quark (void);

/* The seed of a new document's initial weights. */
#define NNS_WEIGHTS_SEED_DEFAULT 1u

/* The tensors of a dense layer, in PyTorch's state_dict order. */
typedef enum
{
  NNS_TENSOR_WEIGHT,               /* Linear.weight [out, in] */
  NNS_TENSOR_BIAS,                 /* Linear.bias [out] */
  NNS_TENSOR_NORM_WEIGHT,          /* BatchNorm1d / LayerNorm weight [out] */
  NNS_TENSOR_NORM_BIAS,            /* … bias [out] */
  NNS_TENSOR_RUNNING_MEAN,         /* BatchNorm1d buffers [out] */
  NNS_TENSOR_RUNNING_VAR,
  NNS_TENSOR_NUM_BATCHES_TRACKED,  /* BatchNorm1d, int64, a scalar (shape []) */
  NNS_TENSOR_PRELU,                /* PReLU.weight [1] or [out] */
  NNS_N_TENSOR_KINDS
} NnsTensorKind;

/* "weight", "bias", "running_mean", … — the last part of a state_dict key. */
const char *nns_tensor_kind_get_suffix (NnsTensorKind kind);

/* One dense layer's values. Every pointer is NULL when the layer does not
 * have that tensor. A shared layer (shares != 0, as NnsLayer.shares) has the
 * weight and bias of layer shares - 1: the same arrays. */
typedef struct
{
  guint   in_features;
  guint   out_features;
  float  *weight;               /* out × in, row-major as Linear.weight[out][in]:
                                 * weight[j * in_features + i] = neuron j ← input i */
  float  *bias;                 /* out */
  float  *norm_weight;          /* out */
  float  *norm_bias;            /* out */
  float  *running_mean;         /* out */
  float  *running_var;          /* out */
  gint64 *num_batches_tracked;  /* 1 */
  float  *prelu;                /* n_prelu: 1, or out with num_parameters=out */
  guint   n_prelu;
  guint   shares;
} NnsLayerWeights;

/* One entry of a network's state_dict: "2.weight" [20, 18]. */
typedef struct
{
  char          *name;
  guint          layer;
  NnsTensorKind  kind;
  guint          n_dims;     /* 0 (num_batches_tracked), 1 or 2 */
  guint          shape[2];
  gboolean       shared;     /* the Linear of a shared layer: the owner's values again */
} NnsTensorInfo;

/* The network's state_dict entries in PyTorch's order, as the exported
 * nn.Sequential (nns_pytorch_export) names them. Free with
 * nns_tensor_infos_free (). */
NnsTensorInfo *nns_weights_list_tensors   (NnsNetwork          *network,
                                           guint               *n_out);
void           nns_tensor_infos_free      (NnsTensorInfo       *infos,
                                           guint                n);
/* Number of elements: the product of the shape (1 for a scalar). */
guint64        nns_tensor_info_get_size   (const NnsTensorInfo *info);
/* "[20, 18]", "[]". */
char          *nns_tensor_info_dup_shape  (const NnsTensorInfo *info);

typedef struct _NnsWeights NnsWeights;

#define NNS_TYPE_WEIGHTS (nns_weights_get_type ())
GType       nns_weights_get_type          (void) G_GNUC_CONST;

/* PyTorch's default initialisation, deterministic for seed (our own random
 * stream, not torch's): Linear weight and bias uniform in ±1/√in_features
 * (kaiming_uniform_(a=√5) and the bias rule), norm weight 1 and bias 0,
 * running mean 0 and variance 1, num_batches_tracked 0, PReLU 0.25. Layer i's
 * values depend only on seed, i and its shape. */
NnsWeights *nns_weights_new_init          (NnsNetwork          *network,
                                           guint32              seed);
/* The shapes of network, every value 0: for readers to fill. */
NnsWeights *nns_weights_new_zero          (NnsNetwork          *network);
NnsWeights *nns_weights_ref               (NnsWeights          *self);
void        nns_weights_unref             (NnsWeights          *self);
/* A deep copy: writable, shares nothing, not frozen. */
NnsWeights *nns_weights_copy              (NnsWeights          *self);
/* Bitwise: same shapes and the same bits in every tensor. */
gboolean    nns_weights_equal             (NnsWeights          *a,
                                           NnsWeights          *b);

guint       nns_weights_get_n_layers      (NnsWeights          *self);
const NnsLayerWeights *nns_weights_get_layer (NnsWeights       *self,
                                           guint                index);
/* Writable arrays; refused (NULL) on a frozen object. The pointers stay
 * valid as long as self lives. */
NnsLayerWeights *nns_weights_get_layer_mutable (NnsWeights     *self,
                                           guint                index);
/* The array of one tensor (NULL if the layer has none) and its element
 * count; num_batches_tracked is not a float and is not returned here. */
const float *nns_weights_get_tensor       (NnsWeights          *self,
                                           guint                layer,
                                           NnsTensorKind        kind,
                                           guint64             *n_out);
float       *nns_weights_get_tensor_mutable (NnsWeights        *self,
                                           guint                layer,
                                           NnsTensorKind        kind,
                                           guint64             *n_out);

/* After this, nobody writes self (the document freezes what it is given). */
void        nns_weights_freeze            (NnsWeights          *self);
gboolean    nns_weights_is_frozen         (NnsWeights          *self);

/* Whether self has exactly the shapes of network (tensors and sharing). */
gboolean    nns_weights_fits              (NnsWeights          *self,
                                           NnsNetwork          *network);
/* As fits, with an error naming the first tensor that differs:
 * "2.weight: the weights have [20, 18], the network needs [20, 17]". */
gboolean    nns_weights_check             (NnsWeights          *self,
                                           NnsNetwork          *network,
                                           GError             **error);
/* Every float finite; else an error naming the tensor ("0.weight[3]: NaN"). */
gboolean    nns_weights_check_finite      (NnsWeights          *self,
                                           NnsNetwork          *network,
                                           GError             **error);

/* The weights after an edit of the network: layer j of network was layer
 * old_index[j] of old (-1: a new layer). Each tensor whose shape did not
 * change keeps its values (shared with old, which must be frozen); the others
 * are initialised as nns_weights_new_init () would for seed. old_index NULL:
 * layer j was layer j. old NULL: all initialised. */
NnsWeights *nns_weights_follow            (NnsWeights          *old,
                                           NnsNetwork          *network,
                                           const int           *old_index,
                                           guint32              seed);
/* The old_index map of an NnsChange of a network that now has n_layers
 * (INSERT, REMOVE, MOVE shift; anything else keeps the indices). Free with
 * g_free (). */
int        *nns_weights_map_change        (const NnsChange     *change,
                                           guint                n_layers);

/* Whether self is exactly nns_weights_new_init (network, seed). */
gboolean    nns_weights_is_initial        (NnsWeights          *self,
                                           NnsNetwork          *network,
                                           guint32              seed);

/* For the undo history: a frozen copy that keeps only the recipe of the
 * tensors that are still initial (they are made again from it), so a state
 * costs the tensors that were trained or loaded. Its layers are not to be
 * read: nns_weights_expand () gives weights to read (self again, referenced,
 * when nothing was compacted); equal compares either form. */
NnsWeights *nns_weights_compact           (NnsWeights          *self);
NnsWeights *nns_weights_expand            (NnsWeights          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnsWeights, nns_weights_unref)

G_END_DECLS

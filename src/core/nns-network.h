/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Limits of the model (PRODUCT.md "The model"). */
#define NNS_UNITS_MIN 1
#define NNS_UNITS_MAX 1000000
#define NNS_LAYERS_MIN 1
#define NNS_LAYERS_MAX 256

#define NNS_NETWORK_ERROR (nns_network_error_quark ())

typedef enum
{
  NNS_NETWORK_ERROR_RANGE,   /* a width or a layer count outside the limits */
  NNS_NETWORK_ERROR_INDEX,   /* no such layer */
  NNS_NETWORK_ERROR_LAST,    /* the last dense layer cannot be removed */
  NNS_NETWORK_ERROR_PARSE,   /* --layers text that is not a list of widths */
  NNS_NETWORK_ERROR_SHAPE,   /* an input shape that does not hold the input width */
} NnsNetworkError;

GQuark nns_network_error_quark (void);

typedef enum
{
  NNS_ACTIVATION_NONE,
  NNS_ACTIVATION_RELU,
  NNS_ACTIVATION_LEAKY_RELU,
  NNS_ACTIVATION_ELU,
  NNS_ACTIVATION_GELU,
  NNS_ACTIVATION_SILU,
  NNS_ACTIVATION_SIGMOID,
  NNS_ACTIVATION_TANH,
  NNS_ACTIVATION_SOFTPLUS,
  NNS_ACTIVATION_SOFTMAX,
  NNS_ACTIVATION_LOG_SOFTMAX,
  NNS_ACTIVATION_PRELU,       /* the one activation with parameters: 1, or one per unit */
  NNS_N_ACTIVATIONS
} NnsActivation;

/* "ReLU", "Sigmoid", …; "" for NONE. Also the PyTorch module name. */
const char   *nns_activation_get_label     (NnsActivation  activation);
/* Stable lower-case id for files: "none", "relu", "leaky_relu", … */
const char   *nns_activation_get_id        (NnsActivation  activation);
/* Accepts the id or the label, case-insensitively. */
gboolean      nns_activation_from_string   (const char    *text,
                                            NnsActivation *out);

/* A normalisation after the dense layer, as real MLPs carry them. */
typedef enum
{
  NNS_NORM_NONE,
  NNS_NORM_BATCH,         /* nn.BatchNorm1d(units) */
  NNS_NORM_LAYER,         /* nn.LayerNorm(units) */
  NNS_N_NORMS
} NnsNorm;

/* "BatchNorm1d", "LayerNorm"; "" for NONE. Also the PyTorch module name. */
const char   *nns_norm_get_label           (NnsNorm        norm);
/* "none", "batch", "layer" */
const char   *nns_norm_get_id              (NnsNorm        norm);
gboolean      nns_norm_from_string         (const char    *text,
                                            NnsNorm       *out);

/* A dense layer: nn.Linear, then optionally its norm, its activation and a
 * dropout, in that order. */
typedef struct
{
  guint         units;      /* out_features */
  gboolean      bias;
  NnsActivation activation;
  char         *name;       /* NULL when unnamed */
  NnsNorm       norm;
  /* BatchNorm1d affine / LayerNorm elementwise_affine: a weight and a bias of
   * units each. norm_bias FALSE is LayerNorm(bias=False): the weight only. */
  gboolean      norm_affine;
  gboolean      norm_bias;
  /* BatchNorm1d track_running_stats: running mean and variance (units each)
   * and num_batches_tracked (1) — buffers, not parameters. */
  gboolean      norm_running_stats;
  /* PReLU: one slope per unit (num_parameters=units) instead of one in all. */
  gboolean      prelu_per_unit;
  double        dropout;    /* nn.Dropout p; 0 for none */
  /* Shares the nn.Linear of layer shares - 1 (the same module object used
   * twice): PyTorch counts its parameters once. 0 when not shared. */
  guint         shares;
} NnsLayer;

/* The per-layer extras of a layer, for nns_network_set_extras (). */
typedef struct
{
  NnsNorm  norm;
  gboolean norm_affine;
  gboolean norm_bias;
  gboolean norm_running_stats;
  gboolean prelu_per_unit;
  double   dropout;
} NnsLayerExtras;

typedef enum
{
  NNS_CHANGE_INPUT,       /* the input width changed */
  NNS_CHANGE_UNITS,       /* layer's units changed (and so the next layer's in_features) */
  NNS_CHANGE_BIAS,
  NNS_CHANGE_ACTIVATION,
  NNS_CHANGE_NAME,
  NNS_CHANGE_EXTRAS,      /* norm, PReLU or dropout changed */
  NNS_CHANGE_INSERT,      /* layer inserted at index */
  NNS_CHANGE_REMOVE,      /* layer removed from index */
  NNS_CHANGE_MOVE,        /* layer moved from index to other */
  NNS_CHANGE_RESET,       /* everything may have changed */
  NNS_CHANGE_INPUT_SHAPE, /* the input's shape was set or cleared (its width did not change) */
} NnsChangeKind;

typedef struct
{
  NnsChangeKind kind;
  guint         layer;    /* dense layer index the change is about (0-based) */
  guint         other;    /* MOVE: the destination index */
} NnsChange;

#define NNS_TYPE_NETWORK (nns_network_get_type ())
G_DECLARE_FINAL_TYPE (NnsNetwork, nns_network, NNS, NETWORK, GObject)

/* widths: the input width first, then each dense layer's units (n_widths >= 2).
 * Returns NULL and sets error if a width or the layer count is out of range. */
NnsNetwork     *nns_network_new                (const guint   *widths,
                                                guint          n_widths,
                                                GError       **error);
/* The lesson's network: 10 → 18 → 20 → 5. */
NnsNetwork     *nns_network_new_default        (void);
/* "10,18,20,5" (spaces allowed). Errors name the offending item. */
NnsNetwork     *nns_network_new_from_string    (const char    *text,
                                                GError       **error);
NnsNetwork     *nns_network_copy               (NnsNetwork    *self);
gboolean        nns_network_equal              (NnsNetwork    *a,
                                                NnsNetwork    *b);
/* Replace the whole content with other's (emits one RESET change). */
void            nns_network_assign             (NnsNetwork    *self,
                                                NnsNetwork    *other);

guint           nns_network_get_input          (NnsNetwork    *self);
guint           nns_network_get_n_layers       (NnsNetwork    *self);
const NnsLayer *nns_network_get_layer          (NnsNetwork    *self,
                                                guint          index);
/* The previous layer's units, or the input width for layer 0. */
guint           nns_network_get_in_features    (NnsNetwork    *self,
                                                guint          index);
/* Width of column c of the drawing: c = 0 is the input, c = i + 1 is layer i. */
guint           nns_network_get_column_width   (NnsNetwork    *self,
                                                guint          column);

/* A width the input shape no longer fits drops the shape, in the same
 * NNS_CHANGE_INPUT. */
gboolean        nns_network_set_input          (NnsNetwork    *self,
                                                guint          units,
                                                GError       **error);
gboolean        nns_network_set_units          (NnsNetwork    *self,
                                                guint          index,
                                                guint          units,
                                                GError       **error);
gboolean        nns_network_set_bias           (NnsNetwork    *self,
                                                guint          index,
                                                gboolean       bias,
                                                GError       **error);
gboolean        nns_network_set_activation     (NnsNetwork    *self,
                                                guint          index,
                                                NnsActivation  activation,
                                                GError       **error);
/* name NULL or "" clears it. */
gboolean        nns_network_set_name           (NnsNetwork    *self,
                                                guint          index,
                                                const char    *name,
                                                GError       **error);
/* Norm, PReLU form and dropout of a layer. A dropout p outside [0, 1) is
 * refused. */
gboolean        nns_network_set_extras         (NnsNetwork    *self,
                                                guint          index,
                                                const NnsLayerExtras *extras,
                                                GError       **error);
void            nns_layer_get_extras           (const NnsLayer *layer,
                                                NnsLayerExtras *out);
/* The modules after a layer's Linear as a label, in their order:
 * "BatchNorm1d · ReLU · Dropout 0.2"; "" when there are none. The
 * activation is left out unless with_activation. */
char           *nns_layer_dup_modules_label    (const NnsLayer *layer,
                                                gboolean        with_activation);
/* The input column's own label (a figure's "x ∈ ℝ¹⁰"); NULL or "" for
 * "Input". Emits an NNS_CHANGE_INPUT change. */
const char     *nns_network_get_input_name     (NnsNetwork    *self);
void            nns_network_set_input_name     (NnsNetwork    *self,
                                                const char    *name);
/* The shape of the input as the data has it before it is flattened:
 * C × H × W (3 × 32 × 32 for CIFAR) or H × W (28 × 28), whose product is the
 * input width. PyTorch's flatten order: value c·H·W + y·W + x is channel c,
 * row y, column x. Only a view of the input (the inspector draws a first
 * layer neuron's weights as that picture); it changes no count. */
#define NNS_INPUT_SHAPE_MAX_DIMS 3

typedef struct
{
  guint n_dims;                          /* 0: none; else 2 (H × W) or 3 (C × H × W) */
  guint dims[NNS_INPUT_SHAPE_MAX_DIMS];  /* outermost first */
} NnsInputShape;

/* The input's shape; n_dims 0 when it has none. */
void            nns_network_get_input_shape    (NnsNetwork    *self,
                                                NnsInputShape *out);
/* shape NULL or with n_dims 0 clears it. Refused (nothing changes) when a
 * size is 0, n_dims is not 2 or 3, or the product is not the input width.
 * Emits NNS_CHANGE_INPUT_SHAPE. An input width edit drops a shape it no
 * longer fits (nns_network_set_input returns which). */
gboolean        nns_network_set_input_shape    (NnsNetwork    *self,
                                                const NnsInputShape *shape,
                                                GError       **error);
/* "3x32x32", "3 × 32 × 32", "28 28", "(3, 32, 32)", "3*32*32": 2 or 3
 * whole numbers ≥ 1. Blank text is no shape (n_dims 0). Errors name the
 * problem in one line. */
gboolean        nns_input_shape_parse          (const char    *text,
                                                NnsInputShape *out,
                                                GError       **error);
/* "3 × 32 × 32"; "" for no shape. */
char           *nns_input_shape_format         (const NnsInputShape *shape);
/* The product of the sizes (0 for no shape). */
guint64         nns_input_shape_get_size       (const NnsInputShape *shape);
gboolean        nns_input_shape_equal          (const NnsInputShape *a,
                                                const NnsInputShape *b);
/* Layer index shares the nn.Linear of layer of (of < index, same in and out
 * features and bias, not itself shared). Structural edits that break any of
 * that end the sharing. */
gboolean        nns_network_set_shared         (NnsNetwork    *self,
                                                guint          index,
                                                guint          of,
                                                GError       **error);
/* Inserts a dense layer (bias on, no activation) at index (0 … n_layers). */
gboolean        nns_network_insert_layer       (NnsNetwork    *self,
                                                guint          index,
                                                guint          units,
                                                GError       **error);
gboolean        nns_network_remove_layer       (NnsNetwork    *self,
                                                guint          index,
                                                GError       **error);
gboolean        nns_network_move_layer         (NnsNetwork    *self,
                                                guint          from,
                                                guint          to,
                                                GError       **error);

/* "Input", "Hidden 1", "Output" (translatable); the layer's name if set.
 * column as in nns_network_get_column_width(). */
char           *nns_network_dup_column_title   (NnsNetwork    *self,
                                                guint          column);

G_END_DECLS

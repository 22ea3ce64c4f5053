/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-network.h"
#include "nns-pytorch.h"

G_BEGIN_DECLS

/* The module tree a PyTorch text defines: what PyTorch itself would build,
 * in registration order (the order print(model) shows and parameters()
 * walks). The code reader and the print reader both build it; the network is
 * taken from it by one function. */

typedef enum
{
  NNS_MODULE_LINEAR,
  NNS_MODULE_CONTAINER,    /* Sequential, ModuleList, ModuleDict or a class of the text's */
  NNS_MODULE_ACTIVATION,   /* no parameters, except PReLU */
  NNS_MODULE_NORM,         /* BatchNorm1d, LayerNorm */
  NNS_MODULE_DROPOUT,
  NNS_MODULE_FREE,         /* no parameters and no effect on the width (Flatten, Identity, …) */
} NnsModuleKind;

typedef struct _NnsModule NnsModule;

struct _NnsModule
{
  gint          ref_count;
  NnsModuleKind kind;
  char         *type;          /* "Linear", "Sequential", "Net", … */
  guint         line;          /* where it was built */

  /* LINEAR */
  guint         in_features, out_features;
  gboolean      bias;
  /* ACTIVATION */
  NnsActivation activation;
  guint         prelu_parameters;   /* PReLU num_parameters */
  /* NORM */
  NnsNorm       norm;
  guint         norm_features;
  gboolean      norm_affine, norm_bias, norm_running_stats;
  /* DROPOUT */
  double        dropout;
  /* CONTAINER: children in registration order, keys alongside */
  gboolean      sequential;    /* Sequential: the order is the forward order */
  GPtrArray    *children;
  GPtrArray    *keys;
  GHashTable   *index;         /* key → its position + 1 */

  /* While the network is taken: the layer this Linear became, + 1. */
  guint         layer_plus_one;
};

NnsModule  *_nns_module_new           (NnsModuleKind  kind,
                                       const char    *type,
                                       guint          line);
NnsModule  *_nns_module_ref           (NnsModule     *module);
void        _nns_module_unref         (NnsModule     *module);
/* A child registered under key; a key registered before keeps its place and
 * gets the new module, as nn.Module.__setattr__ does. */
void        _nns_module_set_child     (NnsModule     *parent,
                                       const char    *key,
                                       NnsModule     *child);
void        _nns_module_append_child  (NnsModule     *parent,
                                       NnsModule     *child);
/* The child registered under key, or NULL (in constant time: a
 * "(0-99999): 100000 x …" line registers each key in turn). */
NnsModule  *_nns_module_get_child     (NnsModule     *parent,
                                       const char    *key);
gboolean    _nns_module_contains      (NnsModule     *ancestor,
                                       NnsModule     *module);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnsModule, _nns_module_unref)

/* The chain of the tree's modules with parameters, each counted exactly, or
 * an error naming the module and its line. Notes go to notes, one a line. */
NnsNetwork *_nns_module_to_network    (NnsModule     *root,
                                       GString       *notes,
                                       GError       **error);

/* Reads Python code: imports, classes and their __init__, functions,
 * assignments, loops, integer expressions. Returns the model it builds. */
NnsModule  *_nns_pycode_read          (const char    *text,
                                       GString       *notes,
                                       GError       **error);
/* Sets the reader's limits on statements run and tokens read (0: the
 * defaults of 2,000,000 each). For fuzzing only: a lower limit stops a looping
 * input by the same path in a millisecond instead of a tenth of a second.
 * Not thread-safe; set it before the first read. */
void        _nns_pycode_set_limits    (guint          max_steps,
                                       guint          max_work);
/* One module constructor call as print(model) writes it, "Linear(in_features=
 * 10, out_features=18, bias=True)", read as code; line is its line in the text. */
NnsModule  *_nns_pycode_read_module   (const char    *text,
                                       gsize          length,
                                       guint          line,
                                       GError       **error);

/* FALSE with an error when type is a module PyTorch has that NN Sketch
 * refuses (Conv2d, MultiheadAttention, …); TRUE for any other name. */
gboolean    _nns_pycode_check_container (const char *type,
                                         guint       line,
                                         GError    **error);

/* Whether text holds print(model) output: a line ending in "Name(" followed
 * by an indented "(key): …" line. *line_out: where the tree starts. */
gboolean    _nns_pyprint_detect       (const char    *text,
                                       guint         *line_out);
NnsModule  *_nns_pyprint_read         (const char    *text,
                                       GString       *notes,
                                       GError       **error);

/* Messages: "line N: …" in the importer's error domain. */
void        _nns_pytorch_set_error    (GError       **error,
                                       NnsPytorchError code,
                                       guint          line,
                                       const char    *format,
                                       ...) G_GNUC_PRINTF (4, 5);
void        _nns_pytorch_note         (GString       *notes,
                                       guint          line,
                                       const char    *format,
                                       ...) G_GNUC_PRINTF (3, 4);

/* TRUE for a non-empty text of ASCII digits only (a Sequential index, "0"). */
gboolean _nns_all_digits (const char *text);

G_END_DECLS

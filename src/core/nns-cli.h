/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-capacity.h"
#include "nns-network.h"
#include "nns-weights.h"
#include "nns-style.h"

G_BEGIN_DECLS

/* The command line (PRODUCT.md "The command line"), GUI-free so that it works
 * with no display and the tests can drive it. */

typedef struct
{
  char     *layers;
  char     *file;               /* FILE, or "-" for stdin */
  gboolean  summary;
  gboolean  json;
  char     *export_filename;
  int       export_width;       /* 0: natural size */
  int       export_height;
  int       export_scale;       /* 1 … 8 */
  char     *export_background;  /* "transparent" / "white" */
  char     *theme;              /* "light" / "dark" */
  gboolean  show_all_neurons;
  gboolean  version;
  /* capacity figures of --summary (nns-capacity.h) */
  int       batch_size;         /* 1 … NNS_BATCH_MAX */
  char     *dtype;              /* "fp32" … "int8", NULL for fp32 */
  char     *optimizer;          /* "sgd" / "momentum" / "adam" / "adamw", NULL for adam */
  char     *compare;            /* another FILE or --layers list */
  gboolean  export_table;       /* the per-layer counts table under an exported figure */
  /* training (nns-train-cli.h) */
  char     *train;              /* a data set id: "spiral", …, "fashion-mnist" */
  int       epochs;
  double    lr;                 /* 0: the optimizer's default */
  int       seed;
  double    noise;              /* 2-D problems; < 0: the default */
  char     *activation;         /* for every hidden layer */
  char     *compare_widths;     /* "1,2,4,…" */
  /* which of those the command line gave (any value, even one out of range) */
  gboolean  batch_size_given;
  gboolean  epochs_given;
  gboolean  lr_given;
  gboolean  seed_given;
  gboolean  noise_given;
} NnsCliOptions;

void        nns_cli_options_clear   (NnsCliOptions  *options);
/* Parses and validates argv; errors name the option and the value. */
gboolean    nns_cli_parse           (NnsCliOptions  *options,
                                     int             argc,
                                     char          **argv,
                                     GError        **error);
/* --layers, FILE, or the lesson's network. style is filled in too (from a
 * document, then --theme and --show-all-neurons on top). is_document
 * (nullable): set to whether FILE was a .nnsketch document. */
NnsNetwork *nns_cli_load_network    (const NnsCliOptions *options,
                                     NnsStyle            *style,
                                     gboolean            *is_document,
                                     GError             **error);
/* --summary and/or --export-filename; prints to stdout. */
gboolean    nns_cli_run_batch       (const NnsCliOptions *options,
                                     NnsNetwork          *network,
                                     const NnsStyle      *style,
                                     GError             **error);
/* As load_network, with the weights FILE holds (a model file, a document
 * that stores them; else NULL) and where they came from (nullable both). */
NnsNetwork *nns_cli_load_network_full (const NnsCliOptions *options,
                                     NnsStyle            *style,
                                     gboolean            *is_document,
                                     NnsWeights         **weights_out,
                                     char               **source_out,
                                     GError             **error);
/* As run_batch with the network's weights (NULL: the initial ones) and their
 * source (NULL: PyTorch's default initialisation): --summary says where the
 * weights came from, --export-filename=x.safetensors writes them and a
 * .nnsketch keeps them. */
gboolean    nns_cli_run_batch_full  (const NnsCliOptions *options,
                                     NnsNetwork          *network,
                                     NnsWeights          *weights,
                                     const char          *source,
                                     const NnsStyle      *style,
                                     GError             **error);
/* --dtype, --optimizer and --batch-size (checked by nns_cli_parse). */
void        nns_cli_get_memory_spec (const NnsCliOptions *options,
                                     NnsMemorySpec       *spec);
/* Whether the options ask for the window (neither --summary nor --export-filename). */
gboolean    nns_cli_wants_window    (const NnsCliOptions *options);

G_END_DECLS

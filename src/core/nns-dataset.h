/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Data to train on: the four classic 2-D problems, generated here, and
 * Fashion-MNIST read from Debian's dataset-fashion-mnist IDX files. */

#define NNS_DATASET_ERROR (nns_dataset_error_quark ())

typedef enum
{
  NNS_DATASET_ERROR_MISSING,    /* a file is not there: names the package */
  NNS_DATASET_ERROR_MALFORMED,  /* not an IDX file, truncated, or inconsistent */
  NNS_DATASET_ERROR_INVALID,    /* an argument out of range */
  NNS_DATASET_ERROR_READING,    /* still being read in a thread (the train session) */
} NnsDatasetError;

GQuark nns_dataset_error_quark (void);

typedef enum
{
  NNS_DATASET_CIRCLES,          /* a disc inside a ring */
  NNS_DATASET_XOR,              /* the four quadrants, opposite ones alike */
  NNS_DATASET_GAUSS,            /* two Gaussian blobs */
  NNS_DATASET_SPIRAL,           /* two interleaved spirals */
  NNS_DATASET_FASHION_MNIST,    /* 28 × 28 grey images, 10 classes */
  NNS_N_DATASETS
} NnsDatasetKind;

/* "circles", "xor", "gauss", "spiral", "fashion-mnist". */
const char *nns_dataset_kind_get_id      (NnsDatasetKind  kind);
gboolean    nns_dataset_kind_from_string (const char     *text,
                                          NnsDatasetKind *out);

/* The Debian package and folder Fashion-MNIST comes from. */
#define NNS_FASHION_MNIST_PACKAGE "dataset-fashion-mnist"
#define NNS_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

/* n samples of n_features floats each (row-major) and their classes. */
typedef struct
{
  guint   n;
  float  *x;                    /* n × n_features */
  guint8 *y;                    /* n, each < n_classes */
} NnsSamples;

typedef struct
{
  NnsDatasetKind kind;
  guint          n_features;    /* 2, or 784 */
  guint          n_classes;     /* 2, or 10 */
  NnsSamples     train;
  NnsSamples     test;
} NnsDataset;

/* A 2-D problem of n_samples points in about [-1, 1]², classes 0 and 1 in
 * equal numbers. noise (0 … 1) is the standard deviation of the Gaussian
 * jitter added to each coordinate; test_fraction (0 … 0.9) of the points,
 * shuffled, form the test set. The same seed gives the same points. */
NnsDataset *nns_dataset_new_toy          (NnsDatasetKind  kind,
                                          guint           n_samples,
                                          double          noise,
                                          double          test_fraction,
                                          guint32         seed,
                                          GError        **error);
/* Fashion-MNIST from dir (NULL: NNS_FASHION_MNIST_DIR): the four gzip'd IDX
 * files, 60,000 training and 10,000 test images, pixels scaled to 0 … 1
 * (torchvision's ToTensor). A missing file names the package to install; a
 * malformed one is refused in one line naming the file. */
NnsDataset *nns_dataset_load_fashion_mnist (const char   *dir,
                                            GError      **error);
/* "T-shirt/top", "Trouser", … for Fashion-MNIST; "0", "1" otherwise. */
const char *nns_dataset_get_class_name   (const NnsDataset *dataset,
                                          guint             klass);
void        nns_dataset_free             (NnsDataset     *dataset);

/* One IDX file (gzip'd when its name ends in .gz): checks the magic number,
 * the element type (unsigned byte), the dimensions and that the data is
 * exactly as long as they say. Returns the data; dims (up to 3) filled in. */
guint8     *nns_idx_read                 (const char     *path,
                                          guint           expect_n_dims,
                                          guint32        *dims,
                                          gsize          *length,
                                          GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnsDataset, nns_dataset_free)

G_END_DECLS

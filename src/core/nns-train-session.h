/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-dataset.h"
#include "nns-document.h"
#include "nns-trainer.h"

G_BEGIN_DECLS

/* Training the document's own network on a data set, live: a worker thread
 * runs mini-batch steps while the main loop stays free, and at most about
 * 30 times a second hands the main thread a snapshot — the weights (given to
 * the document, one undo step for a run), a point of the loss and accuracy
 * curves, and for a 2-D problem the decision surface and every hidden
 * unit's output over the plane; for Fashion-MNIST the test accuracy per
 * class and some misclassified images. Views observe "updated" and read
 * what the session holds; they keep no copy.
 *
 * An edit of the network, or weights put in from elsewhere (undo, Load
 * Weights), stops training and says so in the message; the next Play starts
 * from the document's weights as they are. */

#define NNS_TYPE_TRAIN_SESSION (nns_train_session_get_type ())
G_DECLARE_FINAL_TYPE (NnsTrainSession, nns_train_session, NNS, TRAIN_SESSION, GObject)

/* One point of the curves. Train figures are those of the batches trained
 * since the point before (as PyTorch's running loss); test figures are on
 * the test set (for Fashion-MNIST, its first NNS_TRAIN_TEST_SUBSET images
 * between epochs and all of it at each epoch's end). */
typedef struct
{
  guint64 step;          /* optimizer steps so far */
  double  epoch;         /* epochs so far, fractional */
  double  train_loss, train_accuracy;
  double  test_loss, test_accuracy;
} NnsTrainPoint;

#define NNS_TRAIN_TEST_SUBSET 1000
/* The grid (NNS_TRAIN_SURFACE_RES² points) the decision surface and each
 * hidden unit's map are evaluated on, in one forward pass; drawn scaled
 * bilinearly. */
#define NNS_TRAIN_SURFACE_RES 32
/* Unit maps are made when the hidden layers hold at most this many units. */
#define NNS_TRAIN_MAP_MAX_UNITS 1024
/* The 2-D problems' points: as the command line makes them. */
#define NNS_TRAIN_TOY_POINTS 1000
#define NNS_TRAIN_TOY_TEST_FRACTION 0.5
#define NNS_TRAIN_TOY_NOISE 0.05

typedef struct
{
  guint  index;          /* in the test set */
  guint8 predicted;
} NnsTrainMistake;

NnsTrainSession  *nns_train_session_new            (NnsDocument     *document);
NnsDocument      *nns_train_session_get_document   (NnsTrainSession *self);

/* ---- settings (each stops a run, which goes on with the new setting at
 * the next Play; the points stay) ---- */
void              nns_train_session_set_dataset    (NnsTrainSession *self,
                                                    NnsDatasetKind   kind);
NnsDatasetKind    nns_train_session_get_dataset    (NnsTrainSession *self);
/* "sgd", "momentum", "adam", "adamw" (nns_train_config_set_optimizer). */
gboolean          nns_train_session_set_optimizer  (NnsTrainSession *self,
                                                    const char      *id);
const char       *nns_train_session_get_optimizer  (NnsTrainSession *self);
/* The learning rate changes a run as it goes (the optimizer keeps its
 * state); 0, negative or not finite is refused. */
gboolean          nns_train_session_set_lr         (NnsTrainSession *self,
                                                    double           lr,
                                                    GError         **error);
double            nns_train_session_get_lr         (NnsTrainSession *self);
gboolean          nns_train_session_set_batch_size (NnsTrainSession *self,
                                                    guint            batch_size,
                                                    GError         **error);
guint             nns_train_session_get_batch_size (NnsTrainSession *self);
/* The settings as a trainer takes them. */
void              nns_train_session_get_config     (NnsTrainSession *self,
                                                    NnsTrainConfig  *config);
/* Fashion-MNIST (about half a second to read) is read in a thread once
 * it is chosen: "reading" is TRUE meanwhile, and `updated` is emitted when
 * it is done. The 2-D problems are made when first asked for. */
gboolean          nns_train_session_is_reading     (NnsTrainSession *self);
/* The data set, made or read on first use; NULL with the reason (the
 * package to install) when it cannot be had, or NNS_DATASET_ERROR_READING
 * while its thread reads it. */
const NnsDataset *nns_train_session_get_data       (NnsTrainSession *self,
                                                    GError         **error);
/* Whether the network fits the data: its input takes the data's features
 * and its output has a unit for each class; the error names both widths. */
gboolean          nns_train_session_check          (NnsTrainSession *self,
                                                    GError         **error);
/* Sets the input width to the data's features and the last layer's units
 * to its classes (one undo step). */
gboolean          nns_train_session_fit_network    (NnsTrainSession *self,
                                                    GError         **error);

/* ---- the run ---- */
gboolean          nns_train_session_play           (NnsTrainSession *self,
                                                    GError         **error);
/* Stops the worker (waits for its step to end) and shows the last
 * snapshot. */
void              nns_train_session_pause          (NnsTrainSession *self);
/* One optimizer step (one mini-batch) on the calling thread, then a point. */
gboolean          nns_train_session_step           (NnsTrainSession *self,
                                                    GError         **error);
/* PyTorch's initial weights again (a new seed each time; one undo step) and
 * the curves cleared. */
void              nns_train_session_reset          (NnsTrainSession *self);
gboolean          nns_train_session_get_running    (NnsTrainSession *self);
/* Why the last run stopped (divergence, an edit), or NULL. */
const char       *nns_train_session_get_message    (NnsTrainSession *self);

/* ---- what the views show ---- */
const NnsTrainPoint *nns_train_session_get_points  (NnsTrainSession *self,
                                                    guint           *n);
/* P(class 1) over [−extent, extent]² on nns_train_surface_grid's points
 * (row 0 at y = +extent); NULL before the first snapshot or for
 * Fashion-MNIST. */
const float      *nns_train_session_get_surface    (NnsTrainSession *self,
                                                    double          *extent);
/* Hidden layer layer's (0-based dense layer, not the last) unit's output
 * over the same plane, NNS_TRAIN_SURFACE_RES² values, or NULL. */
const float      *nns_train_session_get_unit_map   (NnsTrainSession *self,
                                                    guint            layer,
                                                    guint            unit);
/* Fashion-MNIST: the test accuracy of each class at the last epoch's end
 * (NULL before one) and up to 16 misclassified test images. */
const double     *nns_train_session_get_class_accuracy (NnsTrainSession *self,
                                                        guint           *n_classes);
const NnsTrainMistake *nns_train_session_get_mistakes  (NnsTrainSession *self,
                                                        guint           *n);

/* For tests: waits on the main loop until n points are in (or timeout_ms). */
gboolean          nns_train_session_wait_points    (NnsTrainSession *self,
                                                    guint            n,
                                                    guint            timeout_ms);

G_END_DECLS

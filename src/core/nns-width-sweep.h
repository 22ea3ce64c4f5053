/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "nns-dataset.h"
#include "nns-network.h"
#include "nns-trainer.h"

G_BEGIN_DECLS

/* "Compare widths": copies of a network with every hidden layer set to one
 * width, each trained from nns_weights_new_init (network, config->seed) for
 * a fixed number of epochs, one width a job on a GThreadPool (the BLAS
 * single-threaded inside each: nns_trainer_set_blas_threads (1), which is
 * process-wide and stays so). Each job is exactly the sequential run
 * nns_trainer_new + nns_trainer_train_epoch × epochs + nns_trainer_evaluate,
 * so its numbers are bit for bit those of that run. The Train pane and
 * `--compare-widths` both run it. */

typedef struct
{
  guint   width;
  gsize   n_params;          /* nns_trainer_get_n_params of that network; 0 when it could not be built */
  double  train_loss, train_accuracy, test_loss, test_accuracy;  /* nns_trainer_evaluate after training */
  guint   epochs;            /* epochs finished (fewer than asked when it diverged) */
  GError *error;             /* set when that width failed (diverged: still has the stats of the
                              * last good weights) */
} NnsWidthResult;

/* Called on the thread that ran the job, after each finished width (done of
 * total). Calls are serialised (one at a time, done 1, 2, … total in call
 * order) but come from the pool's threads: thread-safe callers only (the
 * GUI hands them to its main context). Not called once cancellable is
 * cancelled. */
typedef void (*NnsWidthProgress) (guint                 done,
                                  guint                 total,
                                  const NnsWidthResult *result,
                                  gpointer              user_data);

/* Blocks until every width is done; run it in a worker thread (GTask) from
 * a GUI. Results in the order of widths; free them with
 * nns_width_results_free (results, n_widths). Returns NULL with
 * G_IO_ERROR_CANCELLED when cancellable is cancelled (checked between
 * epochs; all jobs stop promptly, nothing leaks), or an error naming the
 * problem: NNS_TRAINER_ERROR_INVALID for no hidden layer, a width 0 or
 * above NNS_UNITS_MAX, no widths; the trainer's own error when the network
 * cannot be trained or does not fit the data (whatever the width). A width
 * that diverges is not an error of the run: its result's error says so.
 * n_threads 0 = g_get_num_processors (); never more threads than widths. */
NnsWidthResult *nns_width_sweep_run    (NnsNetwork           *network,
                                        const NnsDataset     *dataset,
                                        const NnsTrainConfig *config,
                                        const guint          *widths,
                                        guint                 n_widths,
                                        guint                 epochs,
                                        guint                 n_threads,
                                        NnsWidthProgress      progress,
                                        gpointer              user_data,
                                        GCancellable         *cancellable,
                                        GError              **error);
void            nns_width_results_free (NnsWidthResult       *results,
                                        guint                 n);

/* network with every hidden layer (all but the last) set to width. */
NnsNetwork     *nns_width_sweep_network (NnsNetwork          *network,
                                         guint                width);

/* "1, 2, 4, 8": 1 … max_n widths, each 1 … NNS_UNITS_MAX; NULL and an
 * error (NNS_TRAINER_ERROR_INVALID) naming the item otherwise. */
guint          *nns_width_list_parse    (const char          *text,
                                         guint                max_n,
                                         guint               *n,
                                         GError             **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "nns-train-session.h"

G_BEGIN_DECLS

#define NNS_TYPE_TRAIN_PANE (nns_train_pane_get_type ())
G_DECLARE_FINAL_TYPE (NnsTrainPane, nns_train_pane, NNS, TRAIN_PANE, GtkWidget)

/* The Train pane beside the canvas: the data set, optimizer, learning rate,
 * batch size and the hidden layers' activation; Play / Pause, Step and
 * Reset; the loss and accuracy curves; for a 2-D problem the decision
 * surface behind the points, for Fashion-MNIST the test accuracy per class
 * and misclassified images; and Compare Widths, which trains the problem
 * at each of a list of hidden widths on the CPU's cores and plots the final
 * accuracies against the parameter count. It observes an NnsTrainSession
 * and keeps no copy of what the session holds. */
GtkWidget       *nns_train_pane_new              (void);
void             nns_train_pane_set_session      (NnsTrainPane    *self,
                                                  NnsTrainSession *session);

/* For tests: the buttons, the status line ("Epoch 3.1 · step 49 · …"),
 * the message shown, and a comparison's state. */
GtkWidget       *nns_train_pane_get_play_button  (NnsTrainPane    *self);
GtkWidget       *nns_train_pane_get_step_button  (NnsTrainPane    *self);
GtkWidget       *nns_train_pane_get_reset_button (NnsTrainPane    *self);
GtkWidget       *nns_train_pane_get_fit_button   (NnsTrainPane    *self);
GtkWidget       *nns_train_pane_get_compare_button (NnsTrainPane  *self);
const char      *nns_train_pane_get_status_text  (NnsTrainPane    *self);
/* The message shown (a stopped run, a network that does not fit), or NULL. */
const char      *nns_train_pane_get_message_text (NnsTrainPane    *self);
/* Whether a comparison runs; its results once done (NULL before). */
gboolean         nns_train_pane_get_comparing    (NnsTrainPane    *self);
const char      *nns_train_pane_get_compare_text (NnsTrainPane    *self);
void             nns_train_pane_set_widths_text  (NnsTrainPane    *self,
                                                  const char      *text,
                                                  guint            epochs);
/* Selects the data set as the Data row would. */
void             nns_train_pane_select_dataset   (NnsTrainPane    *self,
                                                  NnsDatasetKind   kind);

G_END_DECLS

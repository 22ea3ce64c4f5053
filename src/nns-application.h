/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-document.h"
#include "nns-network.h"
#include "nns-weights.h"
#include "nns-style.h"

G_BEGIN_DECLS

/* Opens the window on network (and style, and the file it came from, which may
 * be NULL; is_document: whether that was a .nnsketch document, which the
 * window then edits) and runs until it closes. The file is not read again.
 * Returns the exit status. */
int nns_application_run_window (NnsNetwork     *network,
                                const NnsStyle *style,
                                const char     *path,
                                gboolean        is_document);
/* The same with the weights the file held (nullable: the initial ones). */
int nns_application_run_window_with_weights (NnsNetwork     *network,
                                             NnsWeights     *weights,
                                             const NnsStyle *style,
                                             const char     *path,
                                             gboolean        is_document);

/* The document the window opens on for what the command line read: a
 * document brings its own style; anything else follows the user's defaults,
 * but for --show-all-neurons in style and, when a model file held weights,
 * Colour by Weight. */
NnsDocument *nns_application_new_document (NnsNetwork     *network,
                                           NnsWeights     *weights,
                                           const NnsStyle *style,
                                           gboolean        is_document);

G_END_DECLS

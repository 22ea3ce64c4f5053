/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The window's parts, for the tests and the benchmarks only: the app itself
 * reaches them through the window's own code. */

#include "nns-train-pane.h"
#include "nns-window.h"

G_BEGIN_DECLS

NnsCanvas   *nns_window_get_canvas          (NnsWindow        *self);
NnsLayerRow *nns_window_get_input_row       (NnsWindow        *self);
guint        nns_window_get_n_layer_rows    (NnsWindow        *self);
NnsLayerRow *nns_window_get_layer_row       (NnsWindow        *self,
                                             guint             index);
GtkButton   *nns_window_get_add_button      (NnsWindow        *self);
GtkMenuButton *nns_window_get_menu_button   (NnsWindow        *self);
GtkLabel    *nns_window_get_info_label      (NnsWindow        *self);
GtkLabel    *nns_window_get_total_label     (NnsWindow        *self);
/* The text of the last toast, NULL if none was shown. */
const char  *nns_window_get_last_toast      (NnsWindow        *self);
/* The "Save Changes?" dialog while it is shown, else NULL. */
GtkWindow   *nns_window_get_discard_dialog  (NnsWindow        *self);
/* TRUE while the document is being written (Save runs in a worker thread). */
gboolean     nns_window_get_saving          (NnsWindow        *self);
/* The "Replace …?" dialog while it is shown, else NULL. */
GtkWindow   *nns_window_get_replace_dialog  (NnsWindow        *self);

/* The layer list's flap (folded in a narrow window) and the header bar's
 * Layers and Open buttons. */
AdwFlap     *nns_window_get_flap            (NnsWindow        *self);
GtkWidget   *nns_window_get_layers_button   (NnsWindow        *self);
GtkWidget   *nns_window_get_open_button     (NnsWindow        *self);

/* The Train pane (shown by win.show-train) and the run it shows. */
NnsTrainPane *nns_window_get_train_pane     (NnsWindow        *self);
NnsTrainSession *nns_window_get_train_session (NnsWindow      *self);

G_END_DECLS

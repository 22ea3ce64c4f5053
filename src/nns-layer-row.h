/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "nns-network.h"

G_BEGIN_DECLS

/* The input row's index. */
#define NNS_LAYER_ROW_INPUT G_MAXUINT

/* The slider spans 1 … 1024 units on a log2 scale (0 … 10) so small widths
 * stay easy to pick; the spin button takes the whole range. */
#define NNS_LAYER_ROW_SLIDER_MAX_UNITS 1024

#define NNS_TYPE_LAYER_ROW (nns_layer_row_get_type ())
G_DECLARE_FINAL_TYPE (NnsLayerRow, nns_layer_row, NNS, LAYER_ROW, GtkWidget)

/* A card in the layer editor that shows and edits one dense layer of network
 * (or its input width, for index NNS_LAYER_ROW_INPUT). It keeps no copy of
 * the layer: nns_layer_row_refresh() reads the model again. */
NnsLayerRow *nns_layer_row_new              (NnsNetwork  *network,
                                             guint        index);
guint        nns_layer_row_get_index        (NnsLayerRow *self);
/* Shows another layer (rows are reused when layers come and go). */
void         nns_layer_row_set_index        (NnsLayerRow *self,
                                             guint        index);
/* Reads everything from the model. */
void         nns_layer_row_refresh          (NnsLayerRow *self);
/* Only the formula (after the previous layer's width changed). */
void         nns_layer_row_refresh_formula  (NnsLayerRow *self);

/* TRUE between the pointer's press on the units slider and its release
 * (see the "slide-begin" and "slide-end" signals). */
gboolean     nns_layer_row_get_sliding      (NnsLayerRow *self);

double       nns_layer_row_units_to_slider  (guint        units);
guint        nns_layer_row_slider_to_units  (double       value);

/* The row's widgets, for the window and tests. */
GtkRange    *nns_layer_row_get_scale        (NnsLayerRow *self);
GtkSpinButton *nns_layer_row_get_spin       (NnsLayerRow *self);
GtkDropDown *nns_layer_row_get_activation   (NnsLayerRow *self);
GtkSwitch   *nns_layer_row_get_bias         (NnsLayerRow *self);
GtkLabel    *nns_layer_row_get_formula      (NnsLayerRow *self);
GtkEditable *nns_layer_row_get_title        (NnsLayerRow *self);
/* The input row's shape entry (hidden on layer rows). */
GtkEditable *nns_layer_row_get_shape        (NnsLayerRow *self);
GtkButton   *nns_layer_row_get_remove       (NnsLayerRow *self);
GtkButton   *nns_layer_row_get_move_up      (NnsLayerRow *self);
GtkButton   *nns_layer_row_get_move_down    (NnsLayerRow *self);

G_END_DECLS

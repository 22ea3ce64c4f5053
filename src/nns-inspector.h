/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "nns-document.h"
#include "nns-render-weights.h"

G_BEGIN_DECLS

#define NNS_TYPE_INSPECTOR (nns_inspector_get_type ())
G_DECLARE_FINAL_TYPE (NnsInspector, nns_inspector, NNS, INSPECTOR, GtkBox)

/* The side pane of "Colour by Weight": where the weights came from, the
 * strongest-edges threshold (the document's weight_threshold), and for the
 * selected neuron its bias, its incoming weights sorted largest first, their
 * histogram and their picture (nns_weight_picture_new: in the input's shape
 * for the first layer when it has one, else when the layer before has a
 * square width);
 * a button opens the layer's whole matrix as a heatmap. It reads the
 * document's weights and keeps no copy. */
GtkWidget  *nns_inspector_new            (void);
void        nns_inspector_set_document   (NnsInspector *self,
                                          NnsDocument  *document);
/* column 0 or no selection: nothing to inspect */
void        nns_inspector_set_neuron     (NnsInspector *self,
                                          gboolean      active,
                                          guint         column,
                                          guint         neuron);
/* What the pane shows, for tests: the title, the bias line, the sorted list
 * (one "Input 7: −0.412" line each, NULL-terminated, free with g_strfreev)
 * and the picture (NULL when there is none). */
const char *nns_inspector_get_title      (NnsInspector *self);
const char *nns_inspector_get_bias_text  (NnsInspector *self);
char      **nns_inspector_dup_sorted     (NnsInspector *self);
cairo_surface_t *nns_inspector_get_picture (NnsInspector *self);
/* Opens the heatmap of the selected neuron's layer; returns its window. */
GtkWindow  *nns_inspector_show_heatmap   (NnsInspector *self);

G_END_DECLS

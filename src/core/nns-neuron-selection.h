/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "nns-network.h"
#include "nns-render.h"

G_BEGIN_DECLS

/* Which neuron is selected and which the pointer is over: one owner for
 * both, which views observe ("changed" for the selection, "hover-changed"
 * for the hovered neuron) and keep no copy of. Columns are as in
 * nns_network_get_column_width(). No GTK. */

#define NNS_TYPE_NEURON_SELECTION (nns_neuron_selection_get_type ())
G_DECLARE_FINAL_TYPE (NnsNeuronSelection, nns_neuron_selection, NNS, NEURON_SELECTION, GObject)

NnsNeuronSelection *nns_neuron_selection_new           (void);

/* TRUE and the neuron when one is selected. */
gboolean            nns_neuron_selection_get           (NnsNeuronSelection *self,
                                                        guint              *column,
                                                        guint              *neuron);
/* What the renderer draws (NnsRenderOptions.selection); valid while self lives. */
const NnsSelection *nns_neuron_selection_peek          (NnsNeuronSelection *self);
/* Each emits "changed" when the selection differs afterwards. */
void                nns_neuron_selection_set           (NnsNeuronSelection *self,
                                                        guint               column,
                                                        guint               neuron);
void                nns_neuron_selection_clear         (NnsNeuronSelection *self);

gboolean            nns_neuron_selection_get_hovered   (NnsNeuronSelection *self,
                                                        guint              *column,
                                                        guint              *neuron);
/* Emit "hover-changed" when the hovered neuron differs afterwards. */
void                nns_neuron_selection_set_hovered   (NnsNeuronSelection *self,
                                                        guint               column,
                                                        guint               neuron);
void                nns_neuron_selection_clear_hovered (NnsNeuronSelection *self);

/* Follows an edit of the network the neurons belong to: a neuron keeps its
 * place when columns shift (a layer inserted or removed before it) and is
 * let go when it is gone (its layer removed or narrowed past it, the layers
 * moved or replaced). Emits "changed" / "hover-changed" for what moved. */
void                nns_neuron_selection_follow        (NnsNeuronSelection *self,
                                                        NnsNetwork         *network,
                                                        const NnsChange    *change);

G_END_DECLS

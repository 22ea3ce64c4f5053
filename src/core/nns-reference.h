/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "nns-network.h"

G_BEGIN_DECLS

/* The pinned reference network: view state that the capacity panel (the
 * difference text) and the canvas (the ghost outline) both observe through
 * notify::network. It keeps its own copy, so later edits of the network it
 * was pinned from do not move it. */

#define NNS_TYPE_REFERENCE (nns_reference_get_type ())
G_DECLARE_FINAL_TYPE (NnsReference, nns_reference, NNS, REFERENCE, GObject)

NnsReference *nns_reference_new          (void);
/* Keeps a copy of network (NULL clears the reference). */
void          nns_reference_pin          (NnsReference *self,
                                          NnsNetwork   *network);
void          nns_reference_clear        (NnsReference *self);
/* The pinned copy, NULL when nothing is pinned. Do not modify it. */
NnsNetwork   *nns_reference_get_network  (NnsReference *self);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "nns-network.h"
#include "nns-style.h"
#include "nns-weights.h"

G_BEGIN_DECLS

/* Undo and redo for the window: a list of snapshots (network + style), the
 * current one, and the one last saved. A snapshot is small (a few bytes a
 * layer), so whole states are kept rather than change records.
 *
 * How the window uses it:
 *   - nns_history_new (network, style) or nns_history_reset () after New/Open;
 *   - nns_history_push (history, network, style) after every edit (from the
 *     network's "changed" handler and after a style change); a push equal to
 *     the current state does nothing, so the RESET that undo causes is harmless;
 *   - a slider drag: nns_history_begin_group () on press, pushes while dragging,
 *     nns_history_end_group () on release: one step. Typing in a spin button:
 *     nns_history_push_coalesce () with a key such as "units:2" merges
 *     consecutive pushes with that key;
 *   - nns_history_undo () / nns_history_redo () restore the network with
 *     nns_network_assign () (one RESET change) and write the style;
 *   - bind the undo / redo actions' "enabled" to "can-undo" / "can-redo" and
 *     the title's unsaved mark to "is-modified"; call nns_history_mark_saved ()
 *     after a save. */

#define NNS_HISTORY_MAX_STEPS_DEFAULT 1000

#define NNS_TYPE_HISTORY (nns_history_get_type ())
G_DECLARE_FINAL_TYPE (NnsHistory, nns_history, NNS, HISTORY, GObject)

/* The starting state, marked saved. style NULL: the default style. */
NnsHistory *nns_history_new              (NnsNetwork     *network,
                                          const NnsStyle *style);
/* Forgets every step; the given state becomes the only one, marked saved. */
void        nns_history_reset            (NnsHistory     *self,
                                          NnsNetwork     *network,
                                          const NnsStyle *style);

/* Records the state after an edit; drops the redo steps. Returns FALSE when it
 * equals the current state (nothing recorded). */
gboolean    nns_history_push             (NnsHistory     *self,
                                          NnsNetwork     *network,
                                          const NnsStyle *style);
/* As push, but replaces the last step instead when the last push had the same
 * key and nothing (undo, redo, save, another push) came between. */
gboolean    nns_history_push_coalesce    (NnsHistory     *self,
                                          NnsNetwork     *network,
                                          const NnsStyle *style,
                                          const char     *key);
/* Pushes between begin and end make one step. Groups nest; undo, redo and
 * reset close any open group. */
void        nns_history_begin_group      (NnsHistory     *self);
void        nns_history_end_group        (NnsHistory     *self);

/* Restore the previous / next state into network (nns_network_assign) and
 * style (nullable). FALSE when there is nothing to undo / redo. */
gboolean    nns_history_undo             (NnsHistory     *self,
                                          NnsNetwork     *network,
                                          NnsStyle       *style);
gboolean    nns_history_redo             (NnsHistory     *self,
                                          NnsNetwork     *network,
                                          NnsStyle       *style);

gboolean    nns_history_get_can_undo     (NnsHistory     *self);
gboolean    nns_history_get_can_redo     (NnsHistory     *self);
/* The current state is not the one last marked saved. */
gboolean    nns_history_get_is_modified  (NnsHistory     *self);
void        nns_history_mark_saved       (NnsHistory     *self);

/* A style of which only some options are set (a document's own style over
 * the user's defaults): the _masked calls keep the mask with each state, and
 * equal states need equal masks. The calls without it set every option. */
NnsHistory  *nns_history_new_masked      (NnsNetwork     *network,
                                          const NnsStyle *style,
                                          NnsStyleMask    mask);
void         nns_history_reset_masked    (NnsHistory     *self,
                                          NnsNetwork     *network,
                                          const NnsStyle *style,
                                          NnsStyleMask    mask);
/* key: as for push_coalesce, or NULL. */
gboolean     nns_history_push_masked     (NnsHistory     *self,
                                          NnsNetwork     *network,
                                          const NnsStyle *style,
                                          NnsStyleMask    mask,
                                          const char     *key);
/* The current state's mask (after undo or redo, the restored one). */
NnsStyleMask nns_history_get_style_mask  (NnsHistory     *self);

/* The weights of the network go with each state too: the _weights calls
 * keep a reference to weights (nullable; frozen by this), and equal states
 * need bitwise equal weights. Weights after an edit share the unchanged
 * tensors with those before, so a state costs what changed. */
void         nns_history_reset_weights   (NnsHistory     *self,
                                          NnsNetwork     *network,
                                          NnsWeights     *weights,
                                          const NnsStyle *style,
                                          NnsStyleMask    mask);
gboolean     nns_history_push_weights    (NnsHistory     *self,
                                          NnsNetwork     *network,
                                          NnsWeights     *weights,
                                          const NnsStyle *style,
                                          NnsStyleMask    mask,
                                          const char     *key);
/* The current state's weights (after undo or redo, the restored ones), or
 * NULL if it has none. */
NnsWeights  *nns_history_get_weights     (NnsHistory     *self);

/* Steps kept (the states, current one included); the oldest are dropped. */
guint       nns_history_get_n_states     (NnsHistory     *self);
/* 0-based index of the current state among them. */
guint       nns_history_get_position     (NnsHistory     *self);
guint       nns_history_get_max_steps    (NnsHistory     *self);
/* At least 1: the number of undo steps kept. */
void        nns_history_set_max_steps    (NnsHistory     *self,
                                          guint           max_steps);

G_END_DECLS

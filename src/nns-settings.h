/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "nns-style.h"

G_BEGIN_DECLS

/* The app's GSettings and the diagram style's keys in them: the user's
 * defaults for new networks (the middle layer between the built-in defaults
 * and a document's own style). Every option of the style table with a
 * settings_key maps to that key. */

/* GSettings of io.github.nnsketch.NnSketch. NULL when the schema is not
 * installed (the app then runs without persistence). */
GSettings *nns_settings_new          (void);
/* Reads every diagram style key into style. */
void       nns_settings_get_style    (GSettings       *settings,
                                      NnsStyle        *style);
/* Writes the keys whose value differs (clamped into the schema's ranges). */
void       nns_settings_set_style    (GSettings       *settings,
                                      const NnsStyle  *style);
/* Applies one changed key (from GSettings::changed) to style; FALSE if the
 * key is not a style key. */
gboolean   nns_settings_apply_key    (GSettings       *settings,
                                      const char      *key,
                                      NnsStyle        *style);
/* Puts every style key back to the schema's default. */
void       nns_settings_reset_style  (GSettings       *settings);

G_END_DECLS

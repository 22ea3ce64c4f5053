/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "nns-style.h"

G_BEGIN_DECLS

/* GSettings of io.github.nnsketch.NnSketch. NULL when the schema is not
 * installed (the app then runs without persistence). */
GSettings *nns_settings_new          (void);
/* Reads every diagram style key into style. */
void       nns_settings_get_style    (GSettings       *settings,
                                      NnsStyle        *style);
void       nns_settings_set_style    (GSettings       *settings,
                                      const NnsStyle  *style);
/* Applies one changed key (from GSettings::changed) to style; FALSE if the
 * key is not a style key. */
gboolean   nns_settings_apply_key    (GSettings       *settings,
                                      const char      *key,
                                      NnsStyle        *style);

#define NNS_TYPE_PREFERENCES_WINDOW (nns_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (NnsPreferencesWindow, nns_preferences_window, NNS, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* Edits the style keys of settings, applied live through GSettings::changed. */
GtkWidget *nns_preferences_window_new   (GtkWindow *parent,
                                         GSettings *settings);
void       nns_show_about_window        (GtkWindow *parent);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "nns-about-window.h"
#include "nns-settings.h"
#include "nns-style.h"

G_BEGIN_DECLS

#define NNS_TYPE_PREFERENCES_WINDOW (nns_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (NnsPreferencesWindow, nns_preferences_window, NNS, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* Edits the style keys of settings, applied live through GSettings::changed. */
GtkWidget *nns_preferences_window_new   (GtkWindow *parent,
                                         GSettings *settings);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "nns-about-window.h"
#include "nns-document.h"
#include "nns-settings.h"
#include "nns-style.h"

G_BEGIN_DECLS

#define NNS_TYPE_PREFERENCES_WINDOW (nns_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (NnsPreferencesWindow, nns_preferences_window, NNS, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* Edits the user's defaults for new networks: the style keys of settings. */
GtkWidget *nns_preferences_window_new   (GtkWindow *parent,
                                         GSettings *settings);
/* Edits document's style: every change is an undo step of the document, Reset
 * is one step, and "Use as Default for New Networks" writes it to settings
 * (nullable). Not modal: the network stays editable meanwhile. */
GtkWidget *nns_preferences_window_new_for_document (GtkWindow   *parent,
                                                    GSettings   *settings,
                                                    NnsDocument *document);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "nns-export.h"
#include "nns-style.h"

G_BEGIN_DECLS

/* The window's export options — theme, background, size or scale, the
 * per-layer counts table — as choices in the export file chooser, remembered
 * in GSettings (keys export-theme, export-background, export-size,
 * export-width, export-table). */

/* Adds the choices to the chooser, preset from settings. */
void nns_export_choices_add      (GtkFileChooser   *chooser,
                                  GSettings        *settings);
/* Stores what the chooser's choices say into settings. */
void nns_export_choices_save     (GtkFileChooser   *chooser,
                                  GSettings        *settings);
/* The style and options an export from the window uses: the window's style
 * in the remembered theme ("follow": dark when window_dark), background, size
 * and table. settings may be NULL (the defaults). */
void nns_export_choices_apply    (GSettings        *settings,
                                  gboolean          window_dark,
                                  NnsStyle         *style,
                                  NnsExportOptions *options);

G_END_DECLS

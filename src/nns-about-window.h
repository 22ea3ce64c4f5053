/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The About window: name, version, credits, licence, links. */
void nns_show_about_window (GtkWindow *parent);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The names in dir, sorted, joined by spaces: what a save that failed or was
 * killed must leave as it was (a cmocka assertion that dir opens). */
char *nns_test_list_folder (const char *dir);

G_END_DECLS

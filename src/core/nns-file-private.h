/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* For the tests: FALSE makes NnsFileWriter use its named-temporary fallback
 * as on a file system without O_TMPFILE. */
void nns_file_set_use_tmpfile (gboolean use);

/* The hidden temporary's name prefix for a target named base:
 * ".BASE.nns-". */
char *nns_file_temporary_prefix (const char *base);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Writes data to path atomically: a temporary file in the same folder,
 * flushed to disk, then renamed over path. On failure nothing is left behind
 * and the error reads "PATH: reason" (G_FILE_ERROR domain).
 * A symbolic link is kept and its target replaced; a replaced file keeps its
 * permissions. */
gboolean nns_file_write_atomic (const char  *path,
                                const void  *data,
                                gsize        length,
                                GError     **error);

G_END_DECLS

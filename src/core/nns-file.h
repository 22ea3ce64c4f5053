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

/* The most NN Sketch reads of a document or PyTorch text: far more than any
 * network within the limits needs, and a guard against /dev/zero or a
 * runaway pipe. */
#define NNS_FILE_READ_MAX (16 * 1024 * 1024)

/* Reads all of stream, NUL-terminated; more than NNS_FILE_READ_MAX bytes is
 * an error naming name ("NAME: larger than 16 MB"). */
char    *nns_file_read_stream   (GInputStream *stream,
                                 const char   *name,
                                 gsize        *length,
                                 GError      **error);
/* A file the user named: regular files only when regular_only (the window
 * must not block on a pipe); errors read "NAME: reason". */
char    *nns_file_read          (GFile        *file,
                                 gboolean      regular_only,
                                 gsize        *length,
                                 GError      **error);

G_END_DECLS

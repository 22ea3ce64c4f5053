/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Saving a file so that it appears whole or not at all and a killed process
 * leaves nothing behind.
 *
 * The bytes go to an unnamed temporary file in the target's folder
 * (O_TMPFILE), which is flushed to disk, given a hidden name there
 * (linkat) and renamed over the target. Where the file system has no
 * unnamed files, the temporary is a named one from the start. Either way its
 * name is ".BASE.nns-PID-XXXXXX"; starting a save of BASE removes those of
 * that pattern whose process is gone or that are over an hour old, so the
 * rare temporary a kill leaves (named fallback, or the instant between
 * linkat and rename) goes at the next save of the same file.
 *
 * A symbolic link is kept and its target replaced; a replaced file keeps its
 * permissions; the old file stays whole on any failure. Errors read
 * "PATH: reason" (G_FILE_ERROR domain); a full disk or quota reads
 * "PATH: no space left on device". */
typedef struct _NnsFileWriter NnsFileWriter;

/* Starts a save of path; NULL and an error when the folder cannot take it. */
NnsFileWriter *nns_file_writer_new     (const char     *path,
                                        GError        **error);
/* Appends bytes. FALSE once any write has failed (the error is kept for
 * commit), so a zero-length write asks whether all went well so far. */
gboolean       nns_file_writer_write   (NnsFileWriter  *writer,
                                        const void     *data,
                                        gsize           length);
/* Puts the file in place, or reports the first failure and removes the
 * temporary. Frees writer either way. */
gboolean       nns_file_writer_commit  (NnsFileWriter  *writer,
                                        GError        **error);
/* Gives up: the temporary goes, the target is untouched. */
void           nns_file_writer_free    (NnsFileWriter  *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NnsFileWriter, nns_file_writer_free)

/* The whole of data through an NnsFileWriter. */
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "nns-network.h"
#include "nns-style.h"

G_BEGIN_DECLS

/* Reads path and loads it with nns_input_load_data (); errors start with the
 * file's display name. For the window's Open and drag and drop. */
NnsNetwork *nns_input_load_file      (GFile           *file,
                                      NnsStyle        *style_out,
                                      gboolean        *is_document,
                                      char           **notes_out,
                                      GError         **error);

/* Any input the app takes: a .nnsketch document or PyTorch text, told apart
 * by content (a document starts with '{'). style_out is only written for
 * documents (*is_document TRUE). notes_out (nullable) receives import notes,
 * one a line ("line 4: Dropout skipped (no parameters)"), or NULL if none. */
NnsNetwork *nns_input_load_data      (const char      *data,
                                      gssize           length,
                                      NnsStyle        *style_out,
                                      gboolean        *is_document,
                                      char           **notes_out,
                                      GError         **error);

/* The error of loading name: "NAME: reason". A file named *.nnsketch that
 * does not read as a document is said to be a damaged document, not
 * "not PyTorch". */
void        nns_input_set_error      (GError         **error,
                                      const char      *name,
                                      const GError    *cause);

G_END_DECLS

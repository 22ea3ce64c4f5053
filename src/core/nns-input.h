/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "nns-network.h"
#include "nns-style.h"
#include "nns-weights.h"

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

/* As load_data / load_file, for model files too (safetensors, ONNX: told
 * apart by content; a PyTorch pickle is refused with how to convert it).
 * weights_out (nullable) receives the weights a model file or a document
 * holds, or NULL when it holds none; source_out (nullable) says where they
 * came from ("safetensors, 6 tensors (F32)"), or NULL. */
NnsNetwork *nns_input_load_data_full (const char      *data,
                                      gssize           length,
                                      NnsStyle        *style_out,
                                      gboolean        *is_document,
                                      NnsWeights     **weights_out,
                                      char           **source_out,
                                      char           **notes_out,
                                      GError         **error);
NnsNetwork *nns_input_load_file_full (GFile           *file,
                                      NnsStyle        *style_out,
                                      gboolean        *is_document,
                                      NnsWeights     **weights_out,
                                      char           **source_out,
                                      char           **notes_out,
                                      GError         **error);

G_END_DECLS

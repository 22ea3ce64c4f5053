/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "nns-network.h"
#include "nns-style.h"
#include "nns-weights.h"

G_BEGIN_DECLS

/* .nnsketch documents: {"format": "nnsketch", "version": 2, "network": …, "style": …};
 * the network's input_shape ([C, H, W] or [H, W]) is a version 2 member. */

#define NNS_DOCUMENT_VERSION 3

#define NNS_DOCUMENT_ERROR (nns_document_error_quark ())

typedef enum
{
  NNS_DOCUMENT_ERROR_EMPTY,        /* nothing but blank space */
  NNS_DOCUMENT_ERROR_NOT_TEXT,     /* binary data or invalid UTF-8 */
  NNS_DOCUMENT_ERROR_NOT_JSON,     /* the JSON parser's message, with line:column */
  NNS_DOCUMENT_ERROR_FORMAT,       /* "format" is not "nnsketch" */
  NNS_DOCUMENT_ERROR_VERSION,      /* newer than NNS_DOCUMENT_VERSION */
  NNS_DOCUMENT_ERROR_INVALID,      /* a member is missing, of the wrong type or out of range */
} NnsDocumentError;

GQuark      nns_document_error_quark (void);

/* Checks everything; errors name the place ("network.layers[2].units: 0 is
 * below 1"). style_out may be NULL. length -1: data is NUL-terminated. */
NnsNetwork *nns_document_load_data   (const char      *data,
                                      gssize           length,
                                      NnsStyle        *style_out,
                                      GError         **error);
/* Pretty-printed JSON ending in a newline; load_data (to_data (n, s)) gives n
 * and s back exactly (nns_network_equal, nns_style_equal). */
char       *nns_document_to_data     (NnsNetwork      *network,
                                      const NnsStyle  *style);
/* Atomic: a temporary file in the same folder renamed over path, so a crash
 * mid-save leaves the old file whole. */
gboolean    nns_document_save        (NnsNetwork      *network,
                                      const NnsStyle  *style,
                                      const char      *path,
                                      GError         **error);
/* Version 3: the weights too, when they are not the initial ones, as
 * "weights": {"format": "safetensors", "base64": "…"} — a whole safetensors
 * file (nns_safetensors_write), so every bit comes back. weights_out
 * (nullable) receives them (checked against the network, errors under
 * "weights: "), or NULL when the document stores none. */
NnsNetwork *nns_document_load_data_with_weights (const char     *data,
                                                 gssize          length,
                                                 NnsStyle       *style_out,
                                                 NnsWeights    **weights_out,
                                                 GError        **error);
/* weights NULL: none stored (the file stays version 1 or 2). */
char       *nns_document_to_data_with_weights   (NnsNetwork     *network,
                                                 NnsWeights     *weights,
                                                 const NnsStyle *style);
G_END_DECLS

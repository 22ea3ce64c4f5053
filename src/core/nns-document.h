/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "nns-network.h"
#include "nns-style.h"

G_BEGIN_DECLS

/* .nnsketch documents: {"format": "nnsketch", "version": 1, "network": …, "style": …} */

#define NNS_DOCUMENT_VERSION 1

/* Checks everything; errors name the place ("network.layers[2].units: 0 is
 * below 1"). style_out may be NULL. */
NnsNetwork *nns_document_load_data   (const char      *data,
                                      gssize           length,
                                      NnsStyle        *style_out,
                                      GError         **error);
char       *nns_document_to_data     (NnsNetwork      *network,
                                      const NnsStyle  *style);
/* Atomic. */
gboolean    nns_document_save        (NnsNetwork      *network,
                                      const NnsStyle  *style,
                                      const char      *path,
                                      GError         **error);

/* Any input the app takes: a .nnsketch document or PyTorch text, told apart
 * by content. style_out is only written for documents (*is_document TRUE).
 * notes_out (nullable) receives import notes ("line 4: Dropout skipped"). */
NnsNetwork *nns_input_load_data      (const char      *data,
                                      gssize           length,
                                      NnsStyle        *style_out,
                                      gboolean        *is_document,
                                      char           **notes_out,
                                      GError         **error);

G_END_DECLS

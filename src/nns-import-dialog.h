/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "nns-network.h"

G_BEGIN_DECLS

/* "Import PyTorch": paste print(model) text or nn.Sequential code, see what it
 * reads as (or what is wrong, with its line) while typing, then import it;
 * or choose a file instead. Emits "import" with the network and the import
 * notes, or "choose-file". Starts with the clipboard's text when that reads
 * as a network. */
#define NNS_TYPE_IMPORT_DIALOG (nns_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NnsImportDialog, nns_import_dialog, NNS, IMPORT_DIALOG, AdwMessageDialog)

NnsImportDialog *nns_import_dialog_new        (GtkWindow       *parent);
void             nns_import_dialog_set_text   (NnsImportDialog *self,
                                               const char      *text);
/* What the dialog shows under the text: a summary or the problem. */
const char      *nns_import_dialog_get_status (NnsImportDialog *self);
gboolean         nns_import_dialog_can_import (NnsImportDialog *self);

G_END_DECLS

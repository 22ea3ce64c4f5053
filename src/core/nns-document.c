/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-document"

#include "nns-document.h"

/* Placeholder until the documents issue lands. */
NnsNetwork *
nns_document_load_data (const char *data, gssize length, NnsStyle *style_out, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "documents are not built yet");
  return NULL;
}

char *
nns_document_to_data (NnsNetwork *network, const NnsStyle *style)
{
  return NULL;
}

gboolean
nns_document_save (NnsNetwork *network, const NnsStyle *style, const char *path, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s: documents are not built yet", path);
  return FALSE;
}

NnsNetwork *
nns_input_load_data (const char *data, gssize length, NnsStyle *style_out, gboolean *is_document,
                     char **notes_out, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "reading files is not built yet");
  return NULL;
}

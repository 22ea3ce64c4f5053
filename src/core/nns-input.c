/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-input"

/* Any input the app takes, told apart by content: a .nnsketch document or
 * PyTorch text. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "nns-document-format.h"
#include "nns-file.h"
#include "nns-input.h"
#include "nns-input-private.h"
#include "nns-model-file.h"
#include "nns-pytorch.h"

NnsNetwork *
nns_input_load_data (const char *data, gssize length, NnsStyle *style_out, gboolean *is_document,
                     char **notes_out, GError **error)
{
  return nns_input_load_data_full (data, length, style_out, is_document, NULL, NULL, notes_out,
                                   error);
}

NnsNetwork *
nns_input_load_data_full (const char *data, gssize length, NnsStyle *style_out,
                          gboolean *is_document, NnsWeights **weights_out, char **source_out,
                          char **notes_out, GError **error)
{
  const char *start;
  gsize rest;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (is_document != NULL)
    *is_document = FALSE;
  if (notes_out != NULL)
    *notes_out = NULL;
  if (weights_out != NULL)
    *weights_out = NULL;
  if (source_out != NULL)
    *source_out = NULL;
  if (length < 0)
    length = strlen (data);

  /* A model file: binary, told by its first bytes. */
  if (nns_model_file_sniff ((const guint8 *) data, length) != NNS_MODEL_FORMAT_NONE)
    {
      g_autoptr (NnsModelFile) file = nns_model_file_load ((const guint8 *) data, length, error);

      if (file == NULL)
        return NULL;
      if (weights_out != NULL)
        *weights_out = nns_weights_ref (file->weights);
      if (source_out != NULL)
        *source_out = g_strdup (file->source);
      if (notes_out != NULL)
        *notes_out = g_strdup (file->notes);
      return g_object_ref (file->network);
    }

  /* UTF-16, as Windows tools write text (PowerShell's "> file"): read as UTF-8. */
  {
    const char *from = NULL;
    gsize skip = 0;

    if (length >= 2 && (guchar) data[0] == 0xff && (guchar) data[1] == 0xfe)
      from = "UTF-16LE", skip = 2;
    else if (length >= 2 && (guchar) data[0] == 0xfe && (guchar) data[1] == 0xff)
      from = "UTF-16BE", skip = 2;
    else if (length >= 4 && length % 2 == 0 && data[0] != '\0' && data[1] == '\0' &&
             data[2] != '\0' && data[3] == '\0')
      from = "UTF-16LE";
    else if (length >= 4 && length % 2 == 0 && data[0] == '\0' && data[1] != '\0' &&
             data[2] == '\0' && data[3] != '\0')
      from = "UTF-16BE";
    if (from != NULL)
      {
        g_autoptr (GError) convert_error = NULL;
        g_autofree char *utf8 = NULL;
        gsize utf8_length = 0;

        utf8 = g_convert (data + skip, length - skip, "UTF-8", from, NULL, &utf8_length,
                          &convert_error);
        if (utf8 == NULL)
          {
            g_set_error (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_NOT_TEXT,
                         _("%s text that does not decode: %s; save it as UTF-8"), from,
                         convert_error->message);
            return NULL;
          }
        return nns_input_load_data_full (utf8, utf8_length, style_out, is_document, weights_out,
                                         source_out, notes_out, error);
      }
  }

  start = _nns_input_skip_bom_and_space (data, length, &rest);
  if (rest == 0)
    {
      g_set_error_literal (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_EMPTY,
                           _("the file is empty"));
      return NULL;
    }
  if (!_nns_input_check_text (data, length, error))
    return NULL;

  if (start[0] == '{')
    {
      NnsWeights *weights = NULL;
      NnsNetwork *network = nns_document_load_data_with_weights (data, length, style_out,
                                                                 &weights, error);

      if (network != NULL && is_document != NULL)
        *is_document = TRUE;
      if (weights != NULL && source_out != NULL)
        *source_out = g_strdup (_("the document"));
      if (weights_out != NULL)
        *weights_out = weights;
      else if (weights != NULL)
        nns_weights_unref (weights);
      return network;
    }

  /* check_text () refused NULs, so the text ends at length. */
  {
    g_autofree char *text = g_strndup (data, length);

    return nns_pytorch_import (text, notes_out, error);
  }
}

NnsNetwork *
nns_input_load_file (GFile *file, NnsStyle *style_out, gboolean *is_document, char **notes_out,
                     GError **error)
{
  return nns_input_load_file_full (file, style_out, is_document, NULL, NULL, notes_out, error);
}

NnsNetwork *
nns_input_load_file_full (GFile *file, NnsStyle *style_out, gboolean *is_document,
                          NnsWeights **weights_out, char **source_out, char **notes_out,
                          GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  NnsNetwork *network;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_parse_name (file);
  /* The window reads what the user chose or dropped: a regular file, so a
   * pipe cannot block it; the size is capped. */
  contents = nns_file_read (file, TRUE, &length, error);
  if (contents == NULL)
    return NULL;
  network = nns_input_load_data_full (contents, length, style_out, is_document, weights_out,
                                      source_out, notes_out, &local_error);
  if (network == NULL)
    nns_input_set_error (error, name, local_error);
  return network;
}

void
nns_input_set_error (GError **error, const char *name, const GError *cause)
{
  if (g_str_has_suffix (name, ".nnsketch") && cause->domain == NNS_PYTORCH_ERROR)
    g_set_error (error, NNS_DOCUMENT_ERROR, NNS_DOCUMENT_ERROR_NOT_JSON,
                 _("%s: not a .nnsketch document (a document is JSON, starting with “{”); "
                   "the file may be damaged"), name);
  else
    g_set_error (error, cause->domain, cause->code, "%s: %s", name, cause->message);
}

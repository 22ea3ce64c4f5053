/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "nns-document-format.h"
#include "nns-input.h"
#include "nns-pytorch.h"
#include "nns-model-file.h"
#include "nns-safetensors.h"

/* A critical or a warning is a bug the fuzzer should stop at. abort () rather
 * than GLib's fatal logs, which raise SIGTRAP: libFuzzer saves the input only
 * on the signals it handles. */
static void
fuzz_log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      fprintf (stderr, "%s: %s\n", domain ? domain : "", message);
      abort ();
    }
}

static inline void
fuzz_init (void)
{
  g_log_set_default_handler (fuzz_log_handler, NULL);
}

#define FUZZ_CHECK(cond, ...) \
  G_STMT_START { if (!(cond)) { fprintf (stderr, "fuzz check failed: " #cond ": " __VA_ARGS__); \
                               fputc ('\n', stderr); abort (); } } G_STMT_END

/* Every load error must say something, on one line. */
static inline void
fuzz_check_error (const GError *error)
{
  FUZZ_CHECK (error != NULL, "failure without an error");
  FUZZ_CHECK (error->message[0] != '\0', "empty error message");
  FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "error not UTF-8");
}

static inline void
fuzz_check_network (NnsNetwork *network)
{
  guint n = nns_network_get_n_layers (network);

  FUZZ_CHECK (n >= NNS_LAYERS_MIN && n <= NNS_LAYERS_MAX, "%u layers", n);
  FUZZ_CHECK (nns_network_get_input (network) >= NNS_UNITS_MIN &&
              nns_network_get_input (network) <= NNS_UNITS_MAX, "input");
  for (guint i = 0; i < n; i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);

      FUZZ_CHECK (layer->units >= NNS_UNITS_MIN && layer->units <= NNS_UNITS_MAX, "units");
      FUZZ_CHECK (layer->activation < NNS_N_ACTIVATIONS, "activation");
      FUZZ_CHECK (layer->name == NULL || g_utf8_validate (layer->name, -1, NULL), "name");
    }
}

/* Document and PyTorch text both give the network back. */
static inline void
fuzz_check_round_trips (NnsNetwork *network, const NnsStyle *style)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *doc = nns_document_to_data (network, style);
  g_autofree char *code = nns_pytorch_export (network);
  g_autoptr (NnsNetwork) from_doc = NULL;
  g_autoptr (NnsNetwork) from_code = NULL;
  g_autoptr (NnsNetwork) unnamed = NULL;
  NnsStyle style_back;

  from_doc = nns_document_load_data (doc, -1, &style_back, &error);
  FUZZ_CHECK (from_doc != NULL, "%s\n%s", error->message, doc);
  FUZZ_CHECK (nns_network_equal (network, from_doc), "document network differs\n%s", doc);
  FUZZ_CHECK (nns_style_equal (style, &style_back), "document style differs\n%s", doc);

  from_code = nns_pytorch_import (code, NULL, &error);
  FUZZ_CHECK (from_code != NULL, "%s\n%s", error->message, code);
  /* Names survive only in the OrderedDict form. */
  unnamed = nns_network_copy (network);
  if (!g_str_has_prefix (code, "from collections import OrderedDict"))
    for (guint i = 0; i < nns_network_get_n_layers (unnamed); i++)
      nns_network_set_name (unnamed, i, NULL, NULL);
  FUZZ_CHECK (nns_network_equal (unnamed, from_code), "PyTorch round trip differs\n%s", code);
}

/* A model file read: a network within the limits, weights that fit it and
 * are finite, a name for every tensor, and safetensors gives it all back. */
static inline void
fuzz_check_model_file (NnsModelFile *file)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  NnsModelFile *back;
  guint n = 0;
  NnsTensorInfo *infos;
  gsize length = 0;
  const guint8 *data;

  fuzz_check_network (file->network);
  FUZZ_CHECK (nns_weights_fits (file->weights, file->network), "weights do not fit");
  FUZZ_CHECK (nns_weights_check_finite (file->weights, file->network, NULL), "not finite");
  infos = nns_weights_list_tensors (file->network, &n);
  FUZZ_CHECK (n == file->names->len, "%u tensors, %u names", n, file->names->len);
  nns_tensor_infos_free (infos, n);
  FUZZ_CHECK (file->source != NULL && g_utf8_validate (file->source, -1, NULL), "source");
  FUZZ_CHECK (file->notes == NULL || g_utf8_validate (file->notes, -1, NULL), "notes");

  bytes = nns_safetensors_write (file->network, file->weights);
  data = g_bytes_get_data (bytes, &length);
  back = nns_model_file_load (data, length, &error);
  FUZZ_CHECK (back != NULL, "written safetensors does not read: %s", error->message);
  FUZZ_CHECK (nns_weights_equal (back->weights, file->weights), "weights differ after writing");
  nns_model_file_free (back);
}

/* One input through a model reader (exactly size bytes, so ASan sees any
 * read past the end): an explained failure or a file that passes
 * fuzz_check_model_file. */
static inline void
fuzz_run_model_reader (NnsModelFile *(*read) (const guint8 *, gsize, GError **),
                       const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *copy = g_memdup2 (data, size);
  NnsModelFile *file = read (copy, size, &error);

  if (file == NULL)
    fuzz_check_error (error);
  else
    fuzz_check_model_file (file);
  nns_model_file_free (file);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-pytorch"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <errno.h>
#include <string.h>

#include "nns-escape-private.h"
#include "nns-params.h"
#include "nns-pytorch-private.h"

G_DEFINE_QUARK (nns-pytorch-error-quark, nns_pytorch_error)

/* ------------------------------------------------------------------ import */

void
_nns_pytorch_set_error (GError **error, NnsPytorchError code, guint line, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, NNS_PYTORCH_ERROR, code, _("line %u: %s"), line, message);
}

void
_nns_pytorch_note (GString *notes, guint line, const char *format, ...)
{
  va_list args;

  if (notes->len > 0)
    g_string_append_c (notes, '\n');
  g_string_append_printf (notes, _("line %u: "), line);
  va_start (args, format);
  g_string_append_vprintf (notes, format, args);
  va_end (args);
}

/* Nothing but blank space and comments. */
static gboolean
is_blank (const char *text)
{
  for (const char *s = text; *s; s++)
    {
      if (*s == '#')
        while (*s && *s != '\n')
          s++;
      if (*s == '\0')
        break;
      if (!g_ascii_isspace (*s))
        return FALSE;
    }
  return TRUE;
}

NnsNetwork *
nns_pytorch_import (const char *text, char **notes_out, GError **error)
{
  g_autoptr (NnsModule) root = NULL;
  g_autoptr (GString) notes = NULL;
  NnsNetwork *network;
  const char *end = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (notes_out != NULL)
    *notes_out = NULL;
  if (!g_utf8_validate (text, -1, &end))
    {
      guint line = 1;

      for (const char *c = text; c < end; c++)
        line += *c == '\n';
      g_set_error (error, NNS_PYTORCH_ERROR, NNS_PYTORCH_ERROR_SYNTAX,
                   _("line %u: not valid UTF-8 text"), line);
      return NULL;
    }
  /* A byte order mark is no part of the text. */
  if (g_str_has_prefix (text, "\xef\xbb\xbf"))
    text += 3;
  if (is_blank (text))
    {
      g_set_error_literal (error, NNS_PYTORCH_ERROR, NNS_PYTORCH_ERROR_EMPTY,
                           _("the text is empty"));
      return NULL;
    }

  notes = g_string_new (NULL);
  /* print(model) is what PyTorch built; when the text holds it, it is read
   * and the code around it is not. */
  if (_nns_pyprint_detect (text, NULL))
    root = _nns_pyprint_read (text, notes, error);
  else
    root = _nns_pycode_read (text, notes, error);
  if (root == NULL)
    return NULL;
  network = _nns_module_to_network (root, notes, error);
  if (network != NULL && notes_out != NULL && notes->len > 0)
    *notes_out = g_string_free (g_steal_pointer (&notes), FALSE);
  return network;
}

/* ------------------------------------------------------------------ export */

static void
append_python_string (GString *out, const char *text)
{
  _nns_string_append_quoted (out, text, "\\x%02x");
}

/* Whether every name can be an OrderedDict key that reads back as itself:
 * PyTorch refuses "" and '.', all-digit keys read back as unnamed, and keys
 * must be unique (the unnamed modules use their index, which has no letters). */
gboolean
nns_pytorch_names_are_keys (NnsNetwork *network)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean any = FALSE;

  for (guint i = 0; i < nns_network_get_n_layers (network); i++)
    {
      const char *name = nns_network_get_layer (network, i)->name;

      if (name == NULL)
        continue;
      any = TRUE;
      if (name[0] == '\0' || strchr (name, '.') != NULL || _nns_all_digits (name) ||
          g_str_has_prefix (name, " ") || g_str_has_suffix (name, " ") ||
          !g_hash_table_add (seen, (gpointer) name))
        return FALSE;
    }
  return any;
}

/* The shortest decimal that reads back as p. */
static void
append_float (GString *out, double p)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, "%.15g", p);
  if (g_ascii_strtod (buffer, NULL) != p)
    g_ascii_formatd (buffer, sizeof buffer, "%.17g", p);
  g_string_append (out, buffer);
  if (strpbrk (buffer, ".eEn") == NULL)
    g_string_append (out, ".0");
}

static void
append_linear (GString *out, NnsNetwork *network, guint i)
{
  const NnsLayer *layer = nns_network_get_layer (network, i);

  g_string_append_printf (out, "nn.Linear(%u, %u%s)", nns_network_get_in_features (network, i),
                          layer->units, layer->bias ? "" : ", bias=False");
}

static void
append_norm (GString *out, const NnsLayer *layer)
{
  g_string_append_printf (out, "nn.%s(%u", nns_norm_get_label (layer->norm), layer->units);
  if (layer->norm == NNS_NORM_BATCH)
    {
      if (!layer->norm_affine)
        g_string_append (out, ", affine=False");
      if (!layer->norm_running_stats)
        g_string_append (out, ", track_running_stats=False");
    }
  else if (!layer->norm_affine)
    g_string_append (out, ", elementwise_affine=False");
  else if (!layer->norm_bias)
    g_string_append (out, ", bias=False");
  g_string_append (out, ")");
}

static void
append_activation (GString *out, const NnsLayer *layer)
{
  switch (layer->activation)
    {
    case NNS_ACTIVATION_SOFTMAX:
      g_string_append (out, "nn.Softmax(dim=-1)");
      break;
    case NNS_ACTIVATION_LOG_SOFTMAX:
      g_string_append (out, "nn.LogSoftmax(dim=-1)");
      break;
    case NNS_ACTIVATION_PRELU:
      if (layer->prelu_per_unit)
        g_string_append_printf (out, "nn.PReLU(num_parameters=%u)", layer->units);
      else
        g_string_append (out, "nn.PReLU()");
      break;
    default:
      g_string_append_printf (out, "nn.%s()", nns_activation_get_label (layer->activation));
      break;
    }
}

static void
append_dropout (GString *out, const NnsLayer *layer)
{
  g_string_append (out, "nn.Dropout(p=");
  append_float (out, layer->dropout);
  g_string_append (out, ")");
}

/* A comment stays one line. */
static void
append_comment_text (GString *out, const char *text)
{
  for (const char *s = text; *s; s++)
    g_string_append_c (out, (*s == '\n' || *s == '\r') ? ' ' : *s);
}

typedef void (*AppendModule) (GString *out, const NnsLayer *layer);

/* One module of the Sequential: "    nn.ReLU(),\n" or "    ("3", nn.ReLU()),\n". */
static void
append_item (GString *out, gboolean keyed, guint *index, const char *key, const char *code,
             const char *comment)
{
  g_string_append (out, "    ");
  if (keyed)
    {
      g_autofree char *number = g_strdup_printf ("%u", *index);

      g_string_append (out, "(");
      append_python_string (out, key != NULL ? key : number);
      g_string_append_printf (out, ", %s),", code);
    }
  else
    g_string_append_printf (out, "%s,", code);
  if (comment != NULL)
    {
      g_string_append (out, "  # ");
      append_comment_text (out, comment);
    }
  g_string_append_c (out, '\n');
  (*index)++;
}

static char *
module_code (AppendModule append, const NnsLayer *layer)
{
  GString *code = g_string_new (NULL);

  append (code, layer);
  return g_string_free (code, FALSE);
}

char *
nns_pytorch_export_with_weights (NnsNetwork *network, const char *weights_file)
{
  g_autofree char *code = NULL;
  GString *out;

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);
  g_return_val_if_fail (weights_file != NULL, NULL);

  code = nns_pytorch_export (network);
  out = g_string_new (code);
  g_string_append (out,
    "\n"
    "import json\n"
    "import struct\n"
    "\n"
    "import torch\n"
    "\n"
    "\n"
    "def load_safetensors(path):\n"
    "    \"\"\"The tensors of a .safetensors file, read with PyTorch alone.\"\"\"\n"
    "    dtypes = {\"F32\": torch.float32, \"F16\": torch.float16,\n"
    "              \"BF16\": torch.bfloat16, \"I64\": torch.int64}\n"
    "    with open(path, \"rb\") as f:\n"
    "        (length,) = struct.unpack(\"<Q\", f.read(8))\n"
    "        header = json.loads(f.read(length))\n"
    "        data = bytearray(f.read())\n"
    "    tensors = {}\n"
    "    for name, info in header.items():\n"
    "        if name == \"__metadata__\":\n"
    "            continue\n"
    "        begin, end = info[\"data_offsets\"]\n"
    "        tensor = torch.frombuffer(data[begin:end], dtype=dtypes[info[\"dtype\"]])\n"
    "        tensors[name] = tensor.reshape(info[\"shape\"]).clone()\n"
    "    return tensors\n"
    "\n"
    "\n"
    "model.load_state_dict(load_safetensors(");
  append_python_string (out, weights_file);
  g_string_append (out, "))\nmodel.eval()\n");
  return g_string_free (out, FALSE);
}

char *
nns_pytorch_export (NnsNetwork *network)
{
  GString *out;
  gboolean keyed, any_shared = FALSE;
  guint index = 0;
  guint n;

  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);

  n = nns_network_get_n_layers (network);
  keyed = nns_pytorch_names_are_keys (network);
  out = g_string_new (NULL);
  if (keyed)
    g_string_append (out, "from collections import OrderedDict\n\n");
  g_string_append (out, "import torch.nn as nn\n\n");
  g_string_append_printf (out, "# %" G_GUINT64_FORMAT " parameters "
                          "(sum(p.numel() for p in model.parameters()))\n",
                          nns_network_count_total (network));

  /* A Linear that later layers share is one module, used again by name. */
  for (guint i = 0; i < n; i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);

      if (layer->shares != 0)
        {
          if (!any_shared)
            g_string_append (out, "# used more than once; PyTorch counts its parameters once\n");
          any_shared = TRUE;
        }
    }
  for (guint i = 0; i < n && any_shared; i++)
    {
      gboolean shared = FALSE;

      for (guint j = i + 1; j < n; j++)
        shared |= nns_network_get_layer (network, j)->shares == i + 1;
      if (shared)
        {
          g_string_append_printf (out, "linear%u = ", i + 1);
          append_linear (out, network, i);
          g_string_append_c (out, '\n');
        }
    }
  if (any_shared)
    g_string_append_c (out, '\n');

  g_string_append (out, keyed ? "model = nn.Sequential(OrderedDict([\n" : "model = nn.Sequential(\n");
  for (guint i = 0; i < n; i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);
      g_autofree char *linear = NULL;
      gboolean is_shared_source = FALSE;

      for (guint j = i + 1; j < n; j++)
        is_shared_source |= nns_network_get_layer (network, j)->shares == i + 1;
      if (layer->shares != 0)
        linear = g_strdup_printf ("linear%u", layer->shares);
      else if (is_shared_source)
        linear = g_strdup_printf ("linear%u", i + 1);
      else
        {
          GString *code = g_string_new (NULL);

          append_linear (code, network, i);
          linear = g_string_free (code, FALSE);
        }
      append_item (out, keyed, &index, layer->name, linear, keyed ? NULL : layer->name);
      if (layer->norm != NNS_NORM_NONE)
        {
          g_autofree char *code = module_code (append_norm, layer);

          append_item (out, keyed, &index, NULL, code, NULL);
        }
      if (layer->activation != NNS_ACTIVATION_NONE)
        {
          g_autofree char *code = module_code (append_activation, layer);

          append_item (out, keyed, &index, NULL, code, NULL);
        }
      if (layer->dropout > 0)
        {
          g_autofree char *code = module_code (append_dropout, layer);

          append_item (out, keyed, &index, NULL, code, NULL);
        }
    }
  g_string_append (out, keyed ? "]))\n" : ")\n");
  return g_string_free (out, FALSE);
}

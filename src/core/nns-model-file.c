/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-model-file"

/* What the model readers share: telling the formats apart, building the
 * network and its weights from the layers a reader found, and fitting a
 * file's weights to an open network. */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "nns-model-file-private.h"

G_DEFINE_QUARK (nns-model-file-error-quark, nns_model_file_error)

NnsModelFormat
nns_model_file_sniff (const guint8 *data, gsize length)
{
  if (data == NULL || length < 2)
    return NNS_MODEL_FORMAT_NONE;
  /* torch.save: a zip (since 1.6) or a bare pickle (protocol 2 … 5). */
  if (length >= 4 && memcmp (data, "PK\003\004", 4) == 0)
    return NNS_MODEL_FORMAT_PICKLE;
  if (data[0] == 0x80 && data[1] >= 2 && data[1] <= 5)
    return NNS_MODEL_FORMAT_PICKLE;
  /* safetensors: a little-endian length, then the JSON header. Text never
   * has a NUL or a byte above 0x7f among its first eight bytes and a '{'
   * ninth… unless it is UTF-8 text: ask for a NUL or a control byte. */
  if (length >= 9 && data[8] == '{')
    {
      guint64 header_length = 0;

      for (guint b = 0; b < 8; b++)
        header_length |= (guint64) data[b] << (8 * b);
      /* UTF-16LE text ("x = {") has NULs at the odd bytes and claims a
       * length far past its end. */
      if (header_length > length - 8 && data[1] == 0 && data[3] == 0 && data[5] == 0 &&
          data[7] == 0)
        return NNS_MODEL_FORMAT_NONE;
      for (guint i = 0; i < 8; i++)
        if (data[i] < 0x09 || (data[i] > 0x0d && data[i] < 0x20) || data[i] >= 0x80)
          return NNS_MODEL_FORMAT_SAFETENSORS;
    }
  /* ONNX: a ModelProto starts with ir_version (field 1, a varint): 0x08. No
   * text starts with a backspace. */
  if (data[0] == 0x08 && data[1] < 0x80)
    return NNS_MODEL_FORMAT_ONNX;
  return NNS_MODEL_FORMAT_NONE;
}

void
nns_model_file_set_pickle_error (GError **error)
{
  g_set_error_literal (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_PICKLE,
                       _("a PyTorch pickle (torch.save, .pt or .pth), which NN Sketch never "
                         "opens because loading one runs code; convert it in Python with "
                         "PyTorch alone: torch.onnx.export(model, torch.zeros(1, IN_FEATURES), "
                         "\"model.onnx\"), or with the safetensors package: "
                         "from safetensors.torch import save_file; "
                         "save_file(model.state_dict(), \"model.safetensors\")"));
}

NnsModelFile *
nns_model_file_load (const guint8 *data, gsize length, GError **error)
{
  switch (nns_model_file_sniff (data, length))
    {
    case NNS_MODEL_FORMAT_SAFETENSORS:
      return _nns_safetensors_read (data, length, error);
    case NNS_MODEL_FORMAT_ONNX:
      return _nns_onnx_read (data, length, error);
    case NNS_MODEL_FORMAT_PICKLE:
      nns_model_file_set_pickle_error (error);
      return NULL;
    default:
      g_set_error_literal (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                           _("not a model file (safetensors or ONNX)"));
      return NULL;
    }
}

void
nns_model_file_free (NnsModelFile *file)
{
  if (file == NULL)
    return;
  g_clear_object (&file->network);
  g_clear_pointer (&file->weights, nns_weights_unref);
  g_clear_pointer (&file->names, g_ptr_array_unref);
  g_free (file->source);
  g_free (file->notes);
  g_free (file);
}

const char *
_nns_dtype_get_name (NnsDtype dtype)
{
  static const char *const names[] = { "F32", "F16", "BF16", "I64" };

  return names[dtype];
}

/* IEEE half to single: every half is a single exactly. */
static float
half_to_float (guint16 h)
{
  guint32 sign = (guint32) (h & 0x8000) << 16;
  guint32 exponent = (h >> 10) & 0x1f;
  guint32 mantissa = h & 0x3ff;
  guint32 bits;
  float f;

  if (exponent == 0x1f)
    bits = sign | 0x7f800000u | (mantissa << 13);
  else if (exponent != 0)
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  else if (mantissa == 0)
    bits = sign;
  else
    {
      /* Subnormal: mantissa · 2⁻²⁴, exact in a float. */
      f = ldexpf ((float) mantissa, -24);
      return sign ? -f : f;
    }
  memcpy (&f, &bits, sizeof f);
  return f;
}

float
_nns_raw_tensor_get (const NnsRawTensor *tensor, guint64 n)
{
  const guint8 *p;
  guint32 bits;
  float f;

  switch (tensor->dtype)
    {
    case NNS_DTYPE_F32:
      p = tensor->data + 4 * n;
      bits = p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
      break;
    case NNS_DTYPE_F16:
      p = tensor->data + 2 * n;
      return half_to_float (p[0] | p[1] << 8);
    case NNS_DTYPE_BF16:
      p = tensor->data + 2 * n;
      bits = ((guint32) p[0] | (guint32) p[1] << 8) << 16;
      break;
    default:
      return 0;
    }
  memcpy (&f, &bits, sizeof f);
  return f;
}

char *
_nns_raw_tensor_dup_shape (const NnsRawTensor *tensor)
{
  GString *out = g_string_new ("[");

  for (guint d = 0; d < tensor->n_dims; d++)
    g_string_append_printf (out, d == 0 ? "%" G_GUINT64_FORMAT : ", %" G_GUINT64_FORMAT,
                            tensor->shape[d]);
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static gint64
raw_get_i64 (const NnsRawTensor *tensor)
{
  guint64 v = 0;

  for (guint b = 0; b < 8; b++)
    v |= (guint64) tensor->data[b] << (8 * b);
  return (gint64) v;
}

/* Converts raw into out (n floats; transposed: raw is [cols, rows] of out's
 * [rows, cols]); refuses NaN and infinity naming the element. */
static gboolean
convert (const NnsRawTensor *raw, float *out, guint64 n, gboolean transposed, guint rows,
         guint cols, GError **error)
{
  for (guint64 e = 0; e < n; e++)
    {
      guint64 from = transposed ? (e % cols) * rows + e / cols : e;
      float v = _nns_raw_tensor_get (raw, from);

      if (!isfinite (v))
        {
          g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                       _("%s: element %" PRIu64 " is %s"), raw->name, from,
                       isnan (v) ? "NaN" : _("infinite"));
          return FALSE;
        }
      out[e] = v;
    }
  return TRUE;
}

NnsModelFile *
_nns_model_file_build (NnsRawLayer *layers, guint n_layers, guint input, const char *source,
                       char *notes, GError **error)
{
  g_autoptr (NnsModelFile) file = g_new0 (NnsModelFile, 1);
  g_autoptr (GError) local_error = NULL;
  g_autofree guint *widths = NULL;
  NnsTensorInfo *infos;
  guint n_infos = 0;
  gboolean ok = TRUE;

  file->notes = notes;
  if (n_layers == 0)
    {
      g_set_error_literal (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_UNSUPPORTED,
                           _("no Linear layer in the file (a 2-D weight)"));
      return NULL;
    }
  widths = g_new (guint, n_layers + 1);
  widths[0] = input;
  for (guint i = 0; i < n_layers; i++)
    widths[i + 1] = layers[i].units;
  file->network = nns_network_new (widths, n_layers + 1, &local_error);
  if (file->network == NULL)
    {
      g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_UNSUPPORTED, "%s",
                   local_error->message);
      return NULL;
    }
  for (guint i = 0; i < n_layers; i++)
    {
      nns_network_set_bias (file->network, i, layers[i].bias, NULL);
      nns_network_set_name (file->network, i, layers[i].name, NULL);
      nns_network_set_activation (file->network, i, layers[i].activation, NULL);
      nns_network_set_extras (file->network, i, &layers[i].extras, NULL);
    }

  {
    NnsWeights *weights = nns_weights_new_zero (file->network);

    file->weights = weights;
  }
  file->names = g_ptr_array_new_with_free_func (g_free);
  infos = nns_weights_list_tensors (file->network, &n_infos);
  for (guint t = 0; t < n_infos && ok; t++)
    {
      NnsRawLayer *layer = &layers[infos[t].layer];
      const NnsRawTensor *raw = layer->tensor[infos[t].kind];
      guint64 n = nns_tensor_info_get_size (&infos[t]);

      if (raw == NULL)
        {
          /* A tensor the network has and the file does not: cannot happen for
           * layers built from the file, but say so rather than leave zeros. */
          g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                       _("%s: missing from the file"), infos[t].name);
          ok = FALSE;
          break;
        }
      g_ptr_array_add (file->names, g_strdup (raw->name));
      if (infos[t].kind == NNS_TENSOR_NUM_BATCHES_TRACKED)
        {
          *nns_weights_get_layer_mutable (file->weights, infos[t].layer)->num_batches_tracked =
            raw_get_i64 (raw);
          continue;
        }
      if (raw->n_elements != n || raw->dtype == NNS_DTYPE_I64)
        {
          g_autofree char *have = _nns_raw_tensor_dup_shape (raw);
          g_autofree char *need = nns_tensor_info_dup_shape (&infos[t]);

          g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_INVALID,
                       _("%s: the file has %s %s, the network needs %s"), raw->name, have,
                       _nns_dtype_get_name (raw->dtype), need);
          ok = FALSE;
          break;
        }
      ok = convert (raw, nns_weights_get_tensor_mutable (file->weights, infos[t].layer,
                                                         infos[t].kind, NULL),
                    n, infos[t].kind == NNS_TENSOR_WEIGHT && layer->transposed,
                    infos[t].n_dims == 2 ? infos[t].shape[0] : 1,
                    infos[t].n_dims == 2 ? infos[t].shape[1] : (guint) n, error);
    }
  nns_tensor_infos_free (infos, n_infos);
  if (!ok)
    return NULL;
  nns_weights_freeze (file->weights);
  file->source = g_strdup (source);
  return g_steal_pointer (&file);
}

NnsWeights *
nns_model_file_weights_for (NnsModelFile *file, NnsNetwork *network, GError **error)
{
  g_autoptr (NnsWeights) weights = NULL;
  NnsTensorInfo *have, *need;
  guint n_have = 0, n_need = 0, h = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (NNS_IS_NETWORK (network), NULL);

  have = nns_weights_list_tensors (file->network, &n_have);
  need = nns_weights_list_tensors (network, &n_need);
  weights = nns_weights_new_zero (network);
  for (guint t = 0; t < n_need && ok; t++)
    {
      g_autofree char *need_shape = nns_tensor_info_dup_shape (&need[t]);
      g_autofree char *have_shape = NULL;
      const char *name;

      /* A shared Linear is its owner's values: the file need not repeat it. */
      if (need[t].shared)
        {
          if (h < n_have && !have[h].shared &&
              g_strcmp0 (g_ptr_array_index (file->names, h), need[t].name) == 0)
            h++;
          continue;
        }
      if (h >= n_have)
        {
          g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_SHAPE,
                       _("%s: the network needs %s, the file has no more tensors"),
                       need[t].name, need_shape);
          ok = FALSE;
          break;
        }
      name = g_ptr_array_index (file->names, h);
      have_shape = nns_tensor_info_dup_shape (&have[h]);
      if (!g_str_equal (have_shape, need_shape) ||
          (have[h].kind == NNS_TENSOR_NUM_BATCHES_TRACKED) !=
            (need[t].kind == NNS_TENSOR_NUM_BATCHES_TRACKED))
        {
          g_autofree char *label = g_str_equal (name, need[t].name)
                                   ? g_strdup (name)
                                   : g_strdup_printf (_("%s (the network’s %s)"), name,
                                                      need[t].name);

          g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_SHAPE,
                       _("%s: the file has %s, the network needs %s"), label, have_shape,
                       need_shape);
          ok = FALSE;
          break;
        }
      if (need[t].kind == NNS_TENSOR_NUM_BATCHES_TRACKED)
        *nns_weights_get_layer_mutable (weights, need[t].layer)->num_batches_tracked =
          *nns_weights_get_layer (file->weights, have[h].layer)->num_batches_tracked;
      else
        {
          guint64 n = 0;
          const float *from = nns_weights_get_tensor (file->weights, have[h].layer,
                                                      have[h].kind, &n);

          memcpy (nns_weights_get_tensor_mutable (weights, need[t].layer, need[t].kind, NULL),
                  from, n * sizeof (float));
        }
      h++;
    }
  if (ok && h < n_have)
    {
      g_set_error (error, NNS_MODEL_FILE_ERROR, NNS_MODEL_FILE_ERROR_SHAPE,
                   _("%s: in the file, and the network has no more tensors"),
                   (const char *) g_ptr_array_index (file->names, h));
      ok = FALSE;
    }
  nns_tensor_infos_free (have, n_have);
  nns_tensor_infos_free (need, n_need);
  if (!ok)
    return NULL;
  nns_weights_freeze (weights);
  return g_steal_pointer (&weights);
}

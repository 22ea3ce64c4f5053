/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-capacity"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "nns-capacity.h"
#include "nns-params.h"

/* PyTorch keeps Adam's and AdamW's "step" as a float32 scalar tensor per
 * parameter tensor (torch 1.12 and later), whatever the parameters' dtype. */
#define ADAM_STEP_BYTES 4
/* num_batches_tracked and other integer buffers are int64. */
#define INT64_BYTES 8

static const struct
{
  const char *id;
  guint       size;
} dtypes[NNS_N_DTYPES] = {
  [NNS_DTYPE_FP32] = { "fp32", 4 },
  [NNS_DTYPE_FP16] = { "fp16", 2 },
  [NNS_DTYPE_BF16] = { "bf16", 2 },
  [NNS_DTYPE_INT8] = { "int8", 1 },
};

static const struct
{
  const char *id;
  const char *label;
  guint       moments;   /* state tensors the size of the parameters */
  gboolean    step;      /* a step scalar per parameter tensor */
} optimizers[NNS_N_OPTIMIZERS] = {
  [NNS_OPTIMIZER_SGD] = { "sgd", N_("SGD"), 0, FALSE },
  [NNS_OPTIMIZER_MOMENTUM] = { "momentum", N_("SGD with momentum"), 1, FALSE },
  [NNS_OPTIMIZER_ADAM] = { "adam", N_("Adam"), 2, TRUE },
  [NNS_OPTIMIZER_ADAMW] = { "adamw", N_("AdamW"), 2, TRUE },
};

const char *
nns_dtype_get_id (NnsDtype dtype)
{
  g_return_val_if_fail (dtype < NNS_N_DTYPES, NULL);
  return dtypes[dtype].id;
}

gboolean
nns_dtype_from_string (const char *text, NnsDtype *out)
{
  for (guint i = 0; text != NULL && i < NNS_N_DTYPES; i++)
    if (g_ascii_strcasecmp (text, dtypes[i].id) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

guint
nns_dtype_get_size (NnsDtype dtype)
{
  g_return_val_if_fail (dtype < NNS_N_DTYPES, 0);
  return dtypes[dtype].size;
}

gboolean
nns_dtype_can_train (NnsDtype dtype)
{
  return dtype != NNS_DTYPE_INT8;
}

const char *
nns_optimizer_get_id (NnsOptimizer optimizer)
{
  g_return_val_if_fail (optimizer < NNS_N_OPTIMIZERS, NULL);
  return optimizers[optimizer].id;
}

const char *
nns_optimizer_get_label (NnsOptimizer optimizer)
{
  g_return_val_if_fail (optimizer < NNS_N_OPTIMIZERS, NULL);
  return g_dgettext (GETTEXT_PACKAGE, optimizers[optimizer].label);
}

gboolean
nns_optimizer_from_string (const char *text, NnsOptimizer *out)
{
  for (guint i = 0; text != NULL && i < NNS_N_OPTIMIZERS; i++)
    if (g_ascii_strcasecmp (text, optimizers[i].id) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

/* One dense layer is a Linear(in, out, bias) and, if it has one, an
 * activation module. With w = in · out weights and b = out biases (0 without):
 *   trainable   = w + b                  (nns_network_count_layer)
 *   tensors     = 1 + (bias ? 1 : 0)     (weight, bias)
 *   macs        = in · out               (each output sums in products)
 *   flops       = 2 · macs + b           (a multiply and an add per MAC, then
 *                                         the bias add; activations count 0)
 *   activations = out + (activation ? out : 0)
 *                                        (the Linear's output tensor, and the
 *                                         activation module's)
 * Per-layer extras (normalisation, PReLU, dropout) add their parameters
 * through nns_network_count_layer; their running statistics belong in
 * buffers / int64_buffers and their outputs in activations. */
void
nns_capacity_layer (NnsNetwork *network, guint index, NnsCapacity *out)
{
  const NnsLayer *layer = nns_network_get_layer (network, index);
  guint64 weights = nns_network_count_weights (network, index);
  guint64 biases = nns_network_count_biases (network, index);

  *out = (NnsCapacity) { 0 };
  out->trainable = nns_network_count_layer (network, index);
  out->tensors = 1 + (layer->bias ? 1 : 0);
  out->macs = weights;
  out->flops = 2 * weights + biases;
  out->activations = (guint64) layer->units * (layer->activation != NNS_ACTIVATION_NONE ? 2 : 1);
  /* A Linear another layer shares is that layer's tensors. */
  if (layer->shares != 0)
    out->tensors = 0;
  /* The modules after the Linear: a norm's weight and bias (and BatchNorm's
   * running mean, variance and num_batches_tracked buffers), PReLU's slopes;
   * each module's output is kept for the backward pass, as hooks see it.
   * Norms and dropout cost no multiply-adds in this count. */
  if (layer->norm != NNS_NORM_NONE)
    {
      out->tensors += layer->norm_affine ? (layer->norm_bias ? 2 : 1) : 0;
      out->buffers += layer->norm_running_stats ? 2 * (guint64) layer->units : 0;
      out->int64_buffers += layer->norm_running_stats ? 1 : 0;
      out->activations += layer->units;
    }
  if (layer->activation == NNS_ACTIVATION_PRELU)
    out->tensors += 1;
  if (layer->dropout > 0)
    out->activations += layer->units;
}

void
nns_capacity_total (NnsNetwork *network, NnsCapacity *out)
{
  guint n = nns_network_get_n_layers (network);

  *out = (NnsCapacity) { 0 };
  for (guint i = 0; i < n; i++)
    {
      NnsCapacity layer;

      nns_capacity_layer (network, i, &layer);
      out->trainable += layer.trainable;
      out->frozen += layer.frozen;
      out->buffers += layer.buffers;
      out->int64_buffers += layer.int64_buffers;
      out->tensors += layer.tensors;
      out->macs += layer.macs;
      out->flops += layer.flops;
      out->activations += layer.activations;
    }
}

guint64
nns_capacity_get_parameters (const NnsCapacity *capacity)
{
  return capacity->trainable + capacity->frozen;
}

/* weights = (parameters + buffers) · size + int64 buffers · 8: what
 * sum(t.numel() * t.element_size()) says over model.parameters() and
 * model.buffers() after model.to(dtype). */
guint64
nns_capacity_get_weight_bytes (const NnsCapacity *capacity, NnsDtype dtype)
{
  return (nns_capacity_get_parameters (capacity) + capacity->buffers) * nns_dtype_get_size (dtype) +
         capacity->int64_buffers * INT64_BYTES;
}

void
nns_memory_spec_init (NnsMemorySpec *spec)
{
  *spec = (NnsMemorySpec) { NNS_DTYPE_FP32, NNS_OPTIMIZER_ADAM, 1 };
}

static gboolean
checked_mul (guint64 a, guint64 b, guint64 *out, const char *what, GError **error)
{
  if (!g_uint64_checked_mul (out, a, b))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s per batch do not fit in 64 bits; use a smaller batch size"), what);
      return FALSE;
    }
  return TRUE;
}

/* With s = the dtype's element size, P = trainable parameters, T = their
 * tensors, N = the batch size:
 *   weights         = nns_capacity_get_weight_bytes ()
 *   gradients       = P · s                        (p.grad, one per parameter)
 *   optimizer_state = SGD 0; momentum P · s (momentum_buffer);
 *                     Adam, AdamW 2 · P · s + 4 · T (exp_avg, exp_avg_sq and
 *                     a float32 step per tensor)
 *   activations     = N · (in + Σ activations) · s (the input batch and every
 *                     module's output, kept for the backward pass)
 *   training        = weights + gradients + optimizer_state + activations
 * int8 cannot be trained: gradients, optimizer_state and training are 0. */
gboolean
nns_memory_compute (NnsNetwork *network, NnsDtype dtype, NnsOptimizer optimizer, guint batch,
                    NnsMemory *memory, GError **error)
{
  NnsCapacity total;
  guint64 size = nns_dtype_get_size (dtype);
  guint64 per_sample;

  g_return_val_if_fail (dtype < NNS_N_DTYPES, FALSE);
  g_return_val_if_fail (optimizer < NNS_N_OPTIMIZERS, FALSE);
  g_return_val_if_fail (batch >= NNS_BATCH_MIN && batch <= NNS_BATCH_MAX, FALSE);

  nns_capacity_total (network, &total);
  *memory = (NnsMemory) { .dtype = dtype, .optimizer = optimizer, .batch = batch };
  memory->parameters = nns_capacity_get_parameters (&total);
  memory->weights = nns_capacity_get_weight_bytes (&total, dtype);
  /* At most 256 layers of 2 · 1,000,000 outputs and a 1,000,000 input:
   * N · per_sample · s stays below 2^61 within the limits. */
  per_sample = nns_network_get_input (network) + total.activations;
  memory->activations = (guint64) batch * per_sample * size;
  if (nns_dtype_can_train (dtype))
    {
      memory->gradients = total.trainable * size;
      memory->optimizer_state = optimizers[optimizer].moments * total.trainable * size +
                                (optimizers[optimizer].step ? ADAM_STEP_BYTES * total.tensors : 0);
      memory->training = memory->weights + memory->gradients + memory->optimizer_state +
                         memory->activations;
    }
  return checked_mul (total.macs, batch, &memory->macs, _("Multiply-adds"), error) &&
         checked_mul (total.flops, batch, &memory->flops, _("FLOPs"), error);
}

/* "+1,234" / "−1,234" (a true minus sign) / "±0". */
static char *
format_signed_count (guint64 from, guint64 to)
{
  g_autofree char *count = nns_format_count (to >= from ? to - from : from - to);

  if (to == from)
    return g_strdup ("±0");
  return g_strdup_printf ("%s%s", to > from ? "+" : "−", count);
}

static char *
format_signed_size (guint64 from, guint64 to)
{
  g_autofree char *size = nns_format_size (to >= from ? to - from : from - to);

  if (to == from)
    return g_strdup ("±0");
  return g_strdup_printf ("%s%s", to > from ? "+" : "−", size);
}

/* Percent of the reference's parameters, one decimal below 10 %. */
static char *
format_signed_percent (guint64 from, guint64 to)
{
  double pct = from > 0 ? 100.0 * ((double) to - (double) from) / (double) from : 0;
  double mag = ABS (pct);
  const char *sign = to > from ? "+" : to < from ? "−" : "±";

  if (mag < 9.95)
    return g_strdup_printf ("%s%.1f %%", sign, mag);
  return g_strdup_printf ("%s%.0f %%", sign, mag);
}

char *
nns_memory_format_difference (const NnsMemory *reference, const NnsMemory *current)
{
  g_autofree char *params = format_signed_count (reference->parameters, current->parameters);
  g_autofree char *pct = format_signed_percent (reference->parameters, current->parameters);
  g_autofree char *params_text = NULL;
  g_autofree char *size = NULL;
  guint64 delta = current->parameters >= reference->parameters
                    ? current->parameters - reference->parameters
                    : reference->parameters - current->parameters;

  if (reference->parameters == current->parameters && reference->training == current->training &&
      reference->weights == current->weights)
    return g_strdup (_("Same size as the reference"));

  /* Translators: "+12,480 parameters" (the count carries its sign) */
  params_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s parameter", "%s parameters",
                                              (gulong) MIN (delta, 1000000)),
                                 params);
  if (nns_dtype_can_train (current->dtype) && nns_dtype_can_train (reference->dtype))
    {
      size = format_signed_size (reference->training, current->training);
      /* Translators: "+12,480 parameters, +18 %; training memory +195 kB" */
      return g_strdup_printf (_("%s, %s; training memory %s"), params_text, pct, size);
    }
  size = format_signed_size (reference->weights, current->weights);
  /* Translators: "+12,480 parameters, +18 %; weights +12.5 kB" (int8, no training) */
  return g_strdup_printf (_("%s, %s; weights %s"), params_text, pct, size);
}

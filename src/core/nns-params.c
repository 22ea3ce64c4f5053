/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-params"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nns-params.h"

guint64
nns_params_neuron (guint64 in_features, gboolean bias)
{
  return in_features + (bias ? 1 : 0);
}

guint64
nns_params_dense (guint64 in_features, guint64 out_features, gboolean bias)
{
  return out_features * nns_params_neuron (in_features, bias);
}

guint64
nns_params_fp32_bytes (guint64 n_params)
{
  return n_params * 4;
}

guint64
nns_network_count_weights (NnsNetwork *network, guint index)
{
  const NnsLayer *layer = nns_network_get_layer (network, index);

  return (guint64) nns_network_get_in_features (network, index) * layer->units;
}

guint64
nns_network_count_biases (NnsNetwork *network, guint index)
{
  const NnsLayer *layer = nns_network_get_layer (network, index);

  return layer->bias ? layer->units : 0;
}

guint64
nns_network_count_linear (NnsNetwork *network, guint index)
{
  const NnsLayer *layer = nns_network_get_layer (network, index);

  if (layer->shares != 0)
    return 0;
  return nns_params_dense (nns_network_get_in_features (network, index), layer->units,
                           layer->bias);
}

guint64
nns_network_count_norm (NnsNetwork *network, guint index)
{
  const NnsLayer *layer = nns_network_get_layer (network, index);

  if (layer->norm == NNS_NORM_NONE || !layer->norm_affine)
    return 0;
  return (guint64) layer->units * (layer->norm_bias ? 2 : 1);
}

guint64
nns_network_count_prelu (NnsNetwork *network, guint index)
{
  const NnsLayer *layer = nns_network_get_layer (network, index);

  if (layer->activation != NNS_ACTIVATION_PRELU)
    return 0;
  return layer->prelu_per_unit ? layer->units : 1;
}

guint64
nns_network_count_buffers (NnsNetwork *network, guint index)
{
  const NnsLayer *layer = nns_network_get_layer (network, index);

  if (layer->norm != NNS_NORM_BATCH || !layer->norm_running_stats)
    return 0;
  return 2 * (guint64) layer->units + 1;
}

guint64
nns_network_count_layer (NnsNetwork *network, guint index)
{
  return nns_network_count_linear (network, index) + nns_network_count_norm (network, index) +
         nns_network_count_prelu (network, index);
}

guint64
nns_network_count_total (NnsNetwork *network)
{
  guint64 total = 0;
  guint n = nns_network_get_n_layers (network);

  for (guint i = 0; i < n; i++)
    total += nns_network_count_layer (network, i);
  return total;
}

guint64
nns_network_count_edges (NnsNetwork *network)
{
  guint64 total = 0;
  guint n = nns_network_get_n_layers (network);

  for (guint i = 0; i < n; i++)
    total += nns_network_count_weights (network, i);
  return total;
}

char *
nns_format_count (guint64 value)
{
  char digits[32];
  GString *out = g_string_new (NULL);
  int len = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, value);

  for (int i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

char *
nns_format_size (guint64 bytes)
{
  static const char *units[] = { "kB", "MB", "GB", "TB", "PB" };
  double value = bytes;
  guint unit = 0;

  if (bytes < 1000)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", (gulong) bytes),
                            (guint) bytes);
  value /= 1000.0;
  /* Step up while the one-decimal rounding would show 1000.0 or more. */
  while (value >= 999.95 && unit + 1 < G_N_ELEMENTS (units))
    {
      value /= 1000.0;
      unit++;
    }
  return g_strdup_printf ("%.1f %s", value, units[unit]);
}

char *
nns_format_layer_formula (NnsNetwork *network, guint index)
{
  const NnsLayer *layer = nns_network_get_layer (network, index);
  g_autofree char *in = nns_format_count (nns_network_get_in_features (network, index));
  g_autofree char *out = nns_format_count (layer->units);
  g_autofree char *total = nns_format_count (nns_network_count_layer (network, index));
  guint64 norm = nns_network_count_norm (network, index);
  guint64 prelu = nns_network_count_prelu (network, index);
  GString *formula = g_string_new (NULL);

  if (layer->shares != 0)
    /* Translators: the parameters of a Linear counted at another layer */
    g_string_append_printf (formula, _("0 (shares layer %u’s Linear)"), layer->shares);
  else if (layer->bias)
    g_string_append_printf (formula, "%s × %s + %s", in, out, out);
  else
    g_string_append_printf (formula, "%s × %s", in, out);
  if (norm > 0)
    {
      g_autofree char *count = nns_format_count (norm);

      g_string_append_printf (formula, " + %s %s", nns_norm_get_label (layer->norm), count);
    }
  if (prelu > 0)
    {
      g_autofree char *count = nns_format_count (prelu);

      g_string_append_printf (formula, " + PReLU %s", count);
    }
  g_string_append_printf (formula, " = %s", total);
  return g_string_free (formula, FALSE);
}

char *
nns_format_total (NnsNetwork *network)
{
  guint64 total = nns_network_count_total (network);
  g_autofree char *count = nns_format_count (total);
  g_autofree char *size = nns_format_size (nns_params_fp32_bytes (total));

  /* Translators: "683 parameters · 2.7 kB" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s parameter · %s", "%s parameters · %s",
                                       (gulong) MIN (total, 1000000)),
                          count, size);
}

char *
nns_format_neuron (NnsNetwork *network, guint column, guint neuron)
{
  guint n_layers = nns_network_get_n_layers (network);
  guint width = nns_network_get_column_width (network, column);
  g_autofree char *where = NULL;
  g_autofree char *in = NULL;
  g_autofree char *total = NULL;
  g_autofree char *weights = NULL;
  g_autofree char *params = NULL;
  const NnsLayer *layer;
  guint64 in_features, n_params;

  if (column == 0)
    return g_strdup_printf (_("Input %u of %u: no parameters"), neuron + 1, width);

  layer = nns_network_get_layer (network, column - 1);
  if (layer->name != NULL)
    where = g_strdup (layer->name);
  else if (column == n_layers)
    where = g_strdup (_("Output layer"));
  else
    where = g_strdup_printf (_("Hidden layer %u"), column);

  in_features = nns_network_get_in_features (network, column - 1);
  n_params = nns_params_neuron (in_features, layer->bias);
  in = nns_format_count (in_features);
  total = nns_format_count (n_params);
  weights = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s weight", "%s weights",
                                          (gulong) MIN (in_features, 1000000)), in);
  params = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s parameter", "%s parameters",
                                         (gulong) MIN (n_params, 1000000)), total);
  if (layer->bias)
    /* Translators: "Hidden layer 1, neuron 3 of 18: 10 weights + 1 bias = 11 parameters" */
    return g_strdup_printf (_("%s, neuron %u of %u: %s + 1 bias = %s"), where, neuron + 1, width,
                            weights, params);
  return g_strdup_printf (_("%s, neuron %u of %u: %s, no bias = %s"), where, neuron + 1, width,
                          weights, params);
}

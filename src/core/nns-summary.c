/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-summary"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "nns-capacity-report.h"
#include "nns-params.h"
#include "nns-summary.h"

/* Pads a UTF-8 cell to a width in characters (g_string's printf counts bytes). */
static void
append_cell (GString *out, const char *text, guint width, gboolean right)
{
  glong len = g_utf8_strlen (text, -1);
  guint pad = len < (glong) width ? width - (guint) len : 0;

  if (right)
    for (guint i = 0; i < pad; i++)
      g_string_append_c (out, ' ');
  g_string_append (out, text);
  if (!right)
    for (guint i = 0; i < pad; i++)
      g_string_append_c (out, ' ');
}

enum { COL_LAYER, COL_SHAPE, COL_WEIGHTS, COL_BIASES, COL_PARAMS, COL_MACS, COL_OUTPUTS, COL_ACT,
       N_COLS };

char *
nns_summary_to_text (NnsNetwork *network, const NnsMemorySpec *spec)
{
  guint n = nns_network_get_n_layers (network);
  g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  const char *headers[N_COLS] = { _("Layer (type)"), _("In → Out"), _("Weights"), _("Biases"),
                                  _("Parameters"), _("Mult-adds"), _("Outputs"), _("Activation") };
  const gboolean right[N_COLS] = { FALSE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, FALSE };
  guint widths[N_COLS] = { 0 };
  guint line_width = 0;
  GString *out = g_string_new (NULL);
  g_autofree char *total = nns_format_total (network);
  g_autofree char *input = nns_format_count (nns_network_get_input (network));

  for (guint c = 0; c < N_COLS; c++)
    g_ptr_array_add (cells, g_strdup (headers[c]));
  for (guint i = 0; i < n; i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);
      g_autofree char *title = nns_network_dup_column_title (network, i + 1);
      g_autofree char *in = nns_format_count (nns_network_get_in_features (network, i));
      g_autofree char *units = nns_format_count (layer->units);

      g_autofree char *linear = nns_format_count (nns_network_count_linear (network, i));
      GString *activation = g_string_new (layer->activation == NNS_ACTIVATION_NONE
                                          ? "—" : nns_activation_get_label (layer->activation));

      if (layer->dropout > 0)
        g_string_append_printf (activation, ", Dropout(p=%g)", layer->dropout);
      g_ptr_array_add (cells, g_strdup_printf ("%s (Linear)", title));
      g_ptr_array_add (cells, g_strdup_printf ("%s → %s", in, units));
      g_ptr_array_add (cells, nns_format_count (nns_network_count_weights (network, i)));
      g_ptr_array_add (cells, nns_format_count (nns_network_count_biases (network, i)));
      /* Translators: the parameters of a Linear that another layer holds */
      g_ptr_array_add (cells, layer->shares != 0
                              ? g_strdup_printf (_("0 (shares layer %u)"), layer->shares)
                              : g_strdup (linear));
      nns_capacity_report_add_cells (cells, network, i, spec);
      g_ptr_array_add (cells, g_string_free (activation, FALSE));
      /* The modules with parameters after the Linear get rows of their own, as torchinfo's. */
      if (layer->norm != NNS_NORM_NONE)
        {
          guint64 norm = nns_network_count_norm (network, i);

          g_ptr_array_add (cells, g_strdup_printf ("  └ %s", nns_norm_get_label (layer->norm)));
          g_ptr_array_add (cells, g_strdup_printf ("%s → %s", units, units));
          g_ptr_array_add (cells, nns_format_count (norm > 0 ? layer->units : 0));
          g_ptr_array_add (cells, nns_format_count (norm > layer->units ? layer->units : 0));
          g_ptr_array_add (cells, nns_format_count (norm));
          g_ptr_array_add (cells, g_strdup ("—"));
          g_ptr_array_add (cells, g_strdup ("—"));
          g_ptr_array_add (cells, g_strdup ("—"));
        }
      if (layer->activation == NNS_ACTIVATION_PRELU)
        {
          g_ptr_array_add (cells, g_strdup ("  └ PReLU"));
          g_ptr_array_add (cells, g_strdup_printf ("%s → %s", units, units));
          g_ptr_array_add (cells, nns_format_count (nns_network_count_prelu (network, i)));
          g_ptr_array_add (cells, g_strdup ("0"));
          g_ptr_array_add (cells, nns_format_count (nns_network_count_prelu (network, i)));
          g_ptr_array_add (cells, g_strdup ("—"));
          g_ptr_array_add (cells, g_strdup ("—"));
          g_ptr_array_add (cells, g_strdup ("—"));
        }
    }
  for (guint k = 0; k < cells->len; k++)
    widths[k % N_COLS] = MAX (widths[k % N_COLS], (guint) g_utf8_strlen (cells->pdata[k], -1));
  for (guint c = 0; c < N_COLS; c++)
    line_width += widths[c] + (c ? 2 : 0);

  g_string_append_printf (out, _("Input: %s features\n"), input);
  for (guint k = 0; k < cells->len; k++)
    {
      guint c = k % N_COLS;

      if (c > 0)
        g_string_append (out, "  ");
      append_cell (out, cells->pdata[k], c == N_COLS - 1 ? 0 : widths[c], right[c]);
      if (c == N_COLS - 1)
        {
          g_string_append_c (out, '\n');
          if (k == N_COLS - 1)
            for (guint i = 0; i < line_width; i++)
              g_string_append (out, "─");
          if (k == N_COLS - 1)
            g_string_append_c (out, '\n');
        }
    }
  for (guint i = 0; i < line_width; i++)
    g_string_append (out, "─");
  g_string_append_printf (out, _("\nTotal: %s\n"), total);
  nns_capacity_report_append_text (out, network, spec);
  return g_string_free (out, FALSE);
}

char *
nns_summary_to_json (NnsNetwork *network, const NnsMemorySpec *spec)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  guint n = nns_network_get_n_layers (network);
  guint64 total = nns_network_count_total (network);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "input");
  json_builder_add_int_value (builder, nns_network_get_input (network));
  json_builder_set_member_name (builder, "layers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, i + 1);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, i + 1 == n ? "output" : "hidden");
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "Linear");
      json_builder_set_member_name (builder, "name");
      if (layer->name)
        json_builder_add_string_value (builder, layer->name);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "in_features");
      json_builder_add_int_value (builder, nns_network_get_in_features (network, i));
      json_builder_set_member_name (builder, "out_features");
      json_builder_add_int_value (builder, layer->units);
      json_builder_set_member_name (builder, "bias");
      json_builder_add_boolean_value (builder, layer->bias);
      json_builder_set_member_name (builder, "weights");
      json_builder_add_int_value (builder, nns_network_count_weights (network, i));
      json_builder_set_member_name (builder, "biases");
      json_builder_add_int_value (builder, nns_network_count_biases (network, i));
      json_builder_set_member_name (builder, "parameters");
      json_builder_add_int_value (builder, nns_network_count_layer (network, i));
      json_builder_set_member_name (builder, "activation");
      json_builder_add_string_value (builder, nns_activation_get_id (layer->activation));
      nns_capacity_report_add_layer_json (builder, network, i, spec);
      json_builder_set_member_name (builder, "linear_parameters");
      json_builder_add_int_value (builder, nns_network_count_linear (network, i));
      json_builder_set_member_name (builder, "shares");
      if (layer->shares != 0)
        json_builder_add_int_value (builder, layer->shares);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "norm");
      if (layer->norm != NNS_NORM_NONE)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, nns_norm_get_label (layer->norm));
          json_builder_set_member_name (builder, "affine");
          json_builder_add_boolean_value (builder, layer->norm_affine);
          json_builder_set_member_name (builder, "parameters");
          json_builder_add_int_value (builder, nns_network_count_norm (network, i));
          json_builder_set_member_name (builder, "buffers");
          json_builder_add_int_value (builder, nns_network_count_buffers (network, i));
          json_builder_end_object (builder);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "prelu_parameters");
      json_builder_add_int_value (builder, nns_network_count_prelu (network, i));
      json_builder_set_member_name (builder, "dropout");
      json_builder_add_double_value (builder, layer->dropout);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  json_builder_set_member_name (builder, "fp32_bytes");
  json_builder_add_int_value (builder, nns_params_fp32_bytes (total));
  nns_capacity_report_add_json (builder, network, spec);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

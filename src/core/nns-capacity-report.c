/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "nns-capacity-report"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "nns-capacity-report.h"
#include "nns-params.h"
#include "nns-summary.h"

static const NnsMemorySpec *
spec_or_default (const NnsMemorySpec *spec, NnsMemorySpec *fallback)
{
  if (spec != NULL)
    return spec;
  nns_memory_spec_init (fallback);
  return fallback;
}

static void
memory_for (NnsNetwork *network, const NnsMemorySpec *spec, NnsMemory *memory)
{
  /* The caller checked that the figures fit (nns_memory_compute with an error). */
  if (!nns_memory_compute (network, spec->dtype, spec->optimizer, spec->batch, memory, NULL))
    g_warn_if_reached ();
}

void
nns_capacity_report_add_cells (GPtrArray *cells, NnsNetwork *network, guint index,
                               const NnsMemorySpec *spec)
{
  NnsMemorySpec fallback;
  NnsCapacity layer;

  spec = spec_or_default (spec, &fallback);
  nns_capacity_layer (network, index, &layer);
  g_ptr_array_add (cells, nns_format_count (layer.macs * spec->batch));
  g_ptr_array_add (cells, nns_format_count (layer.activations * spec->batch));
}

/* "  Weights           940.6 kB  (940,584 bytes)  note": the size right-aligned,
 * the exact count beside it when the size is rounded. */
static void
append_row (GString *out, const char *label, guint64 bytes, const char *note)
{
  g_autofree char *size = nns_format_size (bytes);
  glong pad = 18 - g_utf8_strlen (label, -1);
  glong size_pad = 11 - g_utf8_strlen (size, -1);

  g_string_append_printf (out, "  %s", label);
  for (glong i = 0; i < MAX (pad, 1) + MAX (size_pad, 0); i++)
    g_string_append_c (out, ' ');
  g_string_append (out, size);
  if (bytes >= 1000)
    {
      g_autofree char *exact = nns_format_count (bytes);

      g_string_append_printf (out, _("  (%s bytes)"), exact);
    }
  if (note != NULL)
    g_string_append_printf (out, "  %s", note);
  g_string_append_c (out, '\n');
}

static const char *
optimizer_state_note (NnsOptimizer optimizer)
{
  switch (optimizer)
    {
    case NNS_OPTIMIZER_SGD:
      return _("(none)");
    case NNS_OPTIMIZER_MOMENTUM:
      return _("(momentum_buffer)");
    case NNS_OPTIMIZER_ADAM:
    case NNS_OPTIMIZER_ADAMW:
    case NNS_N_OPTIMIZERS:
    default:
      return _("(exp_avg, exp_avg_sq, step)");
    }
}

void
nns_capacity_report_append_text (GString *out, NnsNetwork *network, const NnsMemorySpec *spec)
{
  NnsMemorySpec fallback;
  NnsCapacity total;
  NnsMemory m;
  g_autofree char *macs = NULL, *flops = NULL, *macs_batch = NULL, *flops_batch = NULL;
  g_autofree char *trainable = NULL, *frozen = NULL;

  spec = spec_or_default (spec, &fallback);
  nns_capacity_total (network, &total);
  memory_for (network, spec, &m);
  trainable = nns_format_count (total.trainable);
  frozen = nns_format_count (total.frozen + total.buffers + total.int64_buffers);
  macs = nns_format_count (total.macs);
  flops = nns_format_count (total.flops);
  macs_batch = nns_format_count (m.macs);
  flops_batch = nns_format_count (m.flops);

  g_string_append_printf (out, _("Trainable: %s · non-trainable parameters and buffers: %s\n"),
                          trainable, frozen);
  g_string_append_printf (out, _("Mult-adds: %s per sample, %s per batch of %u\n"), macs,
                          macs_batch, spec->batch);
  g_string_append_printf (out, _("FLOPs: %s per sample, %s per batch (2 per mult-add + 1 per bias)\n"),
                          flops, flops_batch);
  if (nns_dtype_can_train (spec->dtype))
    /* Translators: "Memory (fp32, Adam, batch 32):" */
    g_string_append_printf (out, _("Memory (%s, %s, batch %u):\n"), nns_dtype_get_id (spec->dtype),
                            nns_optimizer_get_label (spec->optimizer), spec->batch);
  else
    /* Translators: "Memory (int8, batch 32):" */
    g_string_append_printf (out, _("Memory (%s, batch %u):\n"), nns_dtype_get_id (spec->dtype),
                            spec->batch);
  append_row (out, _("Weights"), m.weights, NULL);
  if (nns_dtype_can_train (spec->dtype))
    {
      append_row (out, _("Gradients"), m.gradients, NULL);
      append_row (out, _("Optimizer state"), m.optimizer_state,
                  optimizer_state_note (spec->optimizer));
    }
  append_row (out, _("Activations"), m.activations, _("(input + every module’s output)"));
  if (nns_dtype_can_train (spec->dtype))
    append_row (out, _("Training"), m.training, NULL);
  else
    g_string_append_printf (out, "  %s\n", _("Training: none, int8 weights are for inference only"));
}

void
nns_capacity_report_add_layer_json (JsonBuilder *builder, NnsNetwork *network, guint index,
                                    const NnsMemorySpec *spec)
{
  NnsMemorySpec fallback;
  NnsCapacity layer;

  spec = spec_or_default (spec, &fallback);
  nns_capacity_layer (network, index, &layer);
  json_builder_set_member_name (builder, "trainable");
  json_builder_add_int_value (builder, layer.trainable);
  json_builder_set_member_name (builder, "non_trainable");
  json_builder_add_int_value (builder, layer.frozen);
  json_builder_set_member_name (builder, "buffers");
  json_builder_add_int_value (builder, layer.buffers + layer.int64_buffers);
  json_builder_set_member_name (builder, "mult_adds");
  json_builder_add_int_value (builder, layer.macs * spec->batch);
  json_builder_set_member_name (builder, "flops");
  json_builder_add_int_value (builder, layer.flops * spec->batch);
  json_builder_set_member_name (builder, "outputs");
  json_builder_add_int_value (builder, layer.activations * spec->batch);
}

static void
add_int (JsonBuilder *builder, const char *name, guint64 value)
{
  json_builder_set_member_name (builder, name);
  /* Counts within the limits stay below 2^63. */
  json_builder_add_int_value (builder, (gint64) value);
}

void
nns_capacity_report_add_json (JsonBuilder *builder, NnsNetwork *network, const NnsMemorySpec *spec)
{
  NnsMemorySpec fallback;
  NnsCapacity total;
  NnsMemory m;
  gboolean train;

  spec = spec_or_default (spec, &fallback);
  nns_capacity_total (network, &total);
  memory_for (network, spec, &m);
  train = nns_dtype_can_train (spec->dtype);

  add_int (builder, "batch_size", spec->batch);
  json_builder_set_member_name (builder, "dtype");
  json_builder_add_string_value (builder, nns_dtype_get_id (spec->dtype));
  json_builder_set_member_name (builder, "optimizer");
  json_builder_add_string_value (builder, nns_optimizer_get_id (spec->optimizer));
  add_int (builder, "trainable", total.trainable);
  add_int (builder, "non_trainable", total.frozen);
  add_int (builder, "buffers", total.buffers + total.int64_buffers);
  add_int (builder, "mult_adds", m.macs);
  add_int (builder, "flops", m.flops);
  add_int (builder, "outputs", total.activations * spec->batch);
  json_builder_set_member_name (builder, "memory");
  json_builder_begin_object (builder);
  add_int (builder, "weights", m.weights);
  json_builder_set_member_name (builder, "gradients");
  train ? json_builder_add_int_value (builder, m.gradients) : json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "optimizer_state");
  train ? json_builder_add_int_value (builder, m.optimizer_state)
        : json_builder_add_null_value (builder);
  add_int (builder, "activations", m.activations);
  json_builder_set_member_name (builder, "training");
  train ? json_builder_add_int_value (builder, m.training) : json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

static void
add_delta (JsonBuilder *builder, const char *name, guint64 from, guint64 to)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, (gint64) to - (gint64) from);
}

static char *
compare_json (NnsNetwork *reference, NnsNetwork *network, const NnsMemorySpec *spec,
              const NnsMemory *a, const NnsMemory *b, const char *text)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  NnsNetwork *networks[] = { reference, network };
  const char *names[] = { "reference", "network" };

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (networks); i++)
    {
      g_autofree char *json = nns_summary_to_json (networks[i], spec);

      json_builder_set_member_name (builder, names[i]);
      json_builder_add_value (builder, json_from_string (json, NULL));
    }
  json_builder_set_member_name (builder, "difference");
  json_builder_begin_object (builder);
  add_delta (builder, "parameters", a->parameters, b->parameters);
  add_delta (builder, "mult_adds", a->macs, b->macs);
  add_delta (builder, "flops", a->flops, b->flops);
  add_delta (builder, "weights_bytes", a->weights, b->weights);
  json_builder_set_member_name (builder, "training_bytes");
  if (nns_dtype_can_train (spec->dtype))
    json_builder_add_int_value (builder, (gint64) b->training - (gint64) a->training);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

char *
nns_capacity_report_compare (NnsNetwork *reference, NnsNetwork *network, const NnsMemorySpec *spec,
                             gboolean json)
{
  NnsMemorySpec fallback;
  NnsMemory a, b;
  g_autofree char *text = NULL;
  g_autofree char *first = NULL, *second = NULL;

  spec = spec_or_default (spec, &fallback);
  memory_for (reference, spec, &a);
  memory_for (network, spec, &b);
  text = nns_memory_format_difference (&a, &b);
  if (json)
    return compare_json (reference, network, spec, &a, &b, text);

  first = nns_summary_to_text (reference, spec);
  second = nns_summary_to_text (network, spec);
  /* Translators: the three parts of --compare's output */
  return g_strdup_printf (_("Reference (--compare):\n%s\nNetwork:\n%s\nDifference: %s\n"), first,
                          second, text);
}

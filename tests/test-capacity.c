/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The capacity model: each formula on hand-worked networks (the lesson's
 * 8 → 4 → 2 and MNIST's 784 → 256 → 128 → 10), then every figure against what
 * PyTorch itself reported (the JSON files in tests/capacity/, made by generate.py there). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "nns-capacity.h"
#include "nns-caption.h"
#include "nns-export.h"
#include "nns-layout.h"
#include "nns-render.h"
#include "nns-capacity-report.h"
#include "nns-cli.h"
#include "nns-params.h"
#include "nns-reference.h"
#include "nns-summary.h"

static NnsNetwork *
from (const char *layers)
{
  g_autoptr (GError) error = NULL;
  NnsNetwork *network = nns_network_new_from_string (layers, &error);

  assert_null (error);
  return network;
}

static void
memory_of (NnsNetwork *network, NnsDtype dtype, NnsOptimizer optimizer, guint batch,
           NnsMemory *memory)
{
  g_autoptr (GError) error = NULL;

  assert_true (nns_memory_compute (network, dtype, optimizer, batch, memory, &error));
  assert_null (error);
}

static void
test_lesson (void **state)
{
  g_autoptr (NnsNetwork) net = from ("8,4,2");
  NnsCapacity layer, total;
  NnsMemory m;

  nns_capacity_layer (net, 0, &layer);
  assert_int_equal (layer.trainable, 36);       /* 8·4 + 4 */
  assert_int_equal (layer.macs, 32);            /* 8·4 */
  assert_int_equal (layer.flops, 68);           /* 2·32 + 4 */
  assert_int_equal (layer.activations, 4);      /* no activation module */
  assert_int_equal (layer.tensors, 2);
  nns_capacity_total (net, &total);
  assert_int_equal (nns_capacity_get_parameters (&total), 46);
  assert_int_equal (total.macs, 40);            /* 32 + 8 */
  assert_int_equal (total.flops, 86);           /* 2·40 + 4 + 2 */
  assert_int_equal (total.activations, 6);      /* 4 + 2 */
  assert_int_equal (total.buffers, 0);
  assert_int_equal (total.frozen, 0);

  /* With a ReLU after the hidden layer its output is a tensor too. */
  assert_true (nns_network_set_activation (net, 0, NNS_ACTIVATION_RELU, NULL));
  nns_capacity_total (net, &total);
  assert_int_equal (total.activations, 10);     /* 4 + 4 + 2 */

  /* fp32, Adam, batch 32 */
  memory_of (net, NNS_DTYPE_FP32, NNS_OPTIMIZER_ADAM, 32, &m);
  assert_int_equal (m.parameters, 46);
  assert_int_equal (m.weights, 184);            /* 46·4 */
  assert_int_equal (m.gradients, 184);
  assert_int_equal (m.optimizer_state, 384);    /* 2·46·4 + 4 tensors · 4 */
  assert_int_equal (m.activations, 2304);       /* 32·(8 + 10)·4 */
  assert_int_equal (m.training, 184 + 184 + 384 + 2304);
  assert_int_equal (m.macs, 1280);              /* 32·40 */
  assert_int_equal (m.flops, 2752);             /* 32·86 */

  memory_of (net, NNS_DTYPE_FP16, NNS_OPTIMIZER_MOMENTUM, 1, &m);
  assert_int_equal (m.weights, 92);
  assert_int_equal (m.optimizer_state, 92);     /* one momentum_buffer */
  assert_int_equal (m.activations, 36);         /* (8 + 10)·2 */
  memory_of (net, NNS_DTYPE_BF16, NNS_OPTIMIZER_SGD, 1, &m);
  assert_int_equal (m.optimizer_state, 0);
  assert_int_equal (m.training, 92 + 92 + 0 + 36);

  /* int8 stores weights; there is no int8 training. */
  assert_false (nns_dtype_can_train (NNS_DTYPE_INT8));
  memory_of (net, NNS_DTYPE_INT8, NNS_OPTIMIZER_ADAM, 1, &m);
  assert_int_equal (m.weights, 46);
  assert_int_equal (m.gradients, 0);
  assert_int_equal (m.optimizer_state, 0);
  assert_int_equal (m.training, 0);
}

static void
test_mnist (void **state)
{
  g_autoptr (NnsNetwork) net = from ("784,256,128,10");
  NnsCapacity first, total;
  NnsMemory m;

  assert_true (nns_network_set_activation (net, 0, NNS_ACTIVATION_RELU, NULL));
  assert_true (nns_network_set_activation (net, 1, NNS_ACTIVATION_RELU, NULL));
  nns_capacity_layer (net, 0, &first);
  nns_capacity_total (net, &total);
  assert_int_equal (first.trainable, 200960);
  assert_int_equal (nns_capacity_get_parameters (&total), 235146);
  /* The first layer holds 85 % of the parameters. */
  assert_int_equal ((first.trainable * 100) / total.trainable, 85);
  assert_int_equal (total.macs, 234752);        /* 200,704 + 32,768 + 1,280 */
  assert_int_equal (total.flops, 469898);       /* 2·234,752 + 256 + 128 + 10 */
  assert_int_equal (total.activations, 778);    /* 2·256 + 2·128 + 10 */

  memory_of (net, NNS_DTYPE_FP32, NNS_OPTIMIZER_ADAM, 64, &m);
  assert_int_equal (m.weights, 940584);         /* 235,146·4 */
  assert_int_equal (m.optimizer_state, 1881192);/* 2·940,584 + 6·4 */
  assert_int_equal (m.activations, 399872);     /* 64·(784 + 778)·4 */
  assert_int_equal (m.training, 940584 + 940584 + 1881192 + 399872);
}

static void
test_overflow (void **state)
{
  g_autofree guint *widths = g_new (guint, NNS_LAYERS_MAX + 1);
  g_autoptr (NnsNetwork) net = NULL;
  g_autoptr (GError) error = NULL;
  NnsMemory m;

  for (guint i = 0; i <= NNS_LAYERS_MAX; i++)
    widths[i] = NNS_UNITS_MAX;
  net = nns_network_new (widths, NNS_LAYERS_MAX + 1, NULL);
  /* 256·10^12 multiply-adds a sample fit; 10^6 samples of them do not. */
  assert_true (nns_memory_compute (net, NNS_DTYPE_FP32, NNS_OPTIMIZER_ADAM, 1, &m, NULL));
  assert_int_equal (m.macs, (guint64) 256 * 1000000 * 1000000);
  assert_false (nns_memory_compute (net, NNS_DTYPE_FP32, NNS_OPTIMIZER_ADAM, NNS_BATCH_MAX, &m,
                                    &error));
  assert_non_null (strstr (error->message, "64 bits"));
}

static void
test_names (void **state)
{
  NnsDtype dtype;
  NnsOptimizer optimizer;

  for (guint i = 0; i < NNS_N_DTYPES; i++)
    {
      assert_true (nns_dtype_from_string (nns_dtype_get_id (i), &dtype));
      assert_int_equal (dtype, i);
    }
  for (guint i = 0; i < NNS_N_OPTIMIZERS; i++)
    {
      assert_true (nns_optimizer_from_string (nns_optimizer_get_id (i), &optimizer));
      assert_int_equal (optimizer, i);
    }
  assert_true (nns_dtype_from_string ("BF16", &dtype));
  assert_int_equal (dtype, NNS_DTYPE_BF16);
  assert_false (nns_dtype_from_string ("fp64", &dtype));
  assert_false (nns_optimizer_from_string ("rmsprop", &optimizer));
  assert_int_equal (nns_dtype_get_size (NNS_DTYPE_FP32), 4);
  assert_int_equal (nns_dtype_get_size (NNS_DTYPE_BF16), 2);
  assert_int_equal (nns_dtype_get_size (NNS_DTYPE_INT8), 1);
}

static void
test_difference (void **state)
{
  g_autoptr (NnsNetwork) ref = from ("8,4,2");
  g_autoptr (NnsNetwork) cur = from ("8,8,2");
  g_autoptr (NnsNetwork) mnist = from ("784,256,128,10");
  g_autoptr (NnsNetwork) wider = from ("784,256,128,10");
  g_autofree char *text = NULL, *same = NULL, *down = NULL, *mn = NULL, *q = NULL;
  NnsMemory a, b;

  /* 46 → 8·9 + 2·9 = 90 parameters; training 808 → 1,528 bytes:
   * weights + grads 2·46·4 = 368, Adam 2·46·4 + 16 = 384, activations (8+4+2)·4 = 56;
   * then 720 + 736 + 72. */
  memory_of (ref, NNS_DTYPE_FP32, NNS_OPTIMIZER_ADAM, 1, &a);
  memory_of (cur, NNS_DTYPE_FP32, NNS_OPTIMIZER_ADAM, 1, &b);
  assert_int_equal (a.training, 808);
  assert_int_equal (b.training, 1528);
  text = nns_memory_format_difference (&a, &b);
  assert_string_equal (text, "+44 parameters, +96 %; training memory +720 bytes");
  down = nns_memory_format_difference (&b, &a);
  assert_string_equal (down, "−44 parameters, −49 %; training memory −720 bytes");
  same = nns_memory_format_difference (&a, &a);
  assert_string_equal (same, "Same size as the reference");

  /* MNIST with 32 more units in the second hidden layer:
   * +32·(256 + 1) + 10·32 = +8,544 parameters, +3.6 %. */
  assert_true (nns_network_set_units (wider, 1, 160, NULL));
  memory_of (mnist, NNS_DTYPE_FP32, NNS_OPTIMIZER_ADAM, 32, &a);
  memory_of (wider, NNS_DTYPE_FP32, NNS_OPTIMIZER_ADAM, 32, &b);
  /* training: 4 · 8,544 · 4 bytes + 32 · 32 · 4 activation bytes = 140,800 */
  assert_int_equal (b.training - a.training, 140800);
  mn = nns_memory_format_difference (&a, &b);
  assert_string_equal (mn, "+8,544 parameters, +3.6 %; training memory +140.8 kB");

  memory_of (mnist, NNS_DTYPE_INT8, NNS_OPTIMIZER_ADAM, 32, &a);
  memory_of (wider, NNS_DTYPE_INT8, NNS_OPTIMIZER_ADAM, 32, &b);
  q = nns_memory_format_difference (&a, &b);
  assert_string_equal (q, "+8,544 parameters, +3.6 %; weights +8.5 kB");
}

static void
on_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
test_reference (void **state)
{
  g_autoptr (NnsReference) ref = nns_reference_new ();
  g_autoptr (NnsNetwork) net = from ("8,4,2");
  guint notified = 0;

  g_signal_connect (ref, "notify::network", G_CALLBACK (on_notify), &notified);
  assert_null (nns_reference_get_network (ref));
  nns_reference_pin (ref, net);
  assert_int_equal (notified, 1);
  assert_true (nns_network_equal (nns_reference_get_network (ref), net));
  /* A copy: editing the network leaves the reference where it was pinned. */
  assert_true (nns_network_set_units (net, 0, 40, NULL));
  assert_int_equal (nns_network_get_layer (nns_reference_get_network (ref), 0)->units, 4);
  nns_reference_clear (ref);
  assert_null (nns_reference_get_network (ref));
  assert_int_equal (notified, 2);
  nns_reference_clear (ref);
  assert_int_equal (notified, 2);
}

/* ---- what PyTorch says ---- */

static guint64
member_int (JsonObject *object, const char *name)
{
  assert_true (json_object_has_member (object, name));
  return (guint64) json_object_get_int_member (object, name);
}

static NnsNetwork *
network_from_truth (JsonObject *truth)
{
  NnsNetwork *net = from (json_object_get_string_member (truth, "layers"));
  JsonArray *bias = json_object_get_array_member (truth, "bias");
  JsonArray *acts = json_object_get_array_member (truth, "activations");

  assert_int_equal (json_array_get_length (bias), nns_network_get_n_layers (net));
  for (guint i = 0; i < nns_network_get_n_layers (net); i++)
    {
      NnsActivation activation;

      assert_true (nns_activation_from_string (json_array_get_string_element (acts, i),
                                               &activation));
      assert_true (nns_network_set_bias (net, i, json_array_get_boolean_element (bias, i), NULL));
      assert_true (nns_network_set_activation (net, i, activation, NULL));
    }
  return net;
}

static void
check_truth (const char *path)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsNetwork) net = NULL;
  JsonObject *truth, *bytes, *grads, *opt;
  JsonArray *forward;
  NnsCapacity total;

  assert_true (json_parser_load_from_file (parser, path, &error));
  truth = json_node_get_object (json_parser_get_root (parser));
  net = network_from_truth (truth);
  nns_capacity_total (net, &total);

  assert_int_equal (nns_capacity_get_parameters (&total), member_int (truth, "parameters"));
  assert_int_equal (total.tensors, member_int (truth, "parameter_tensors"));
  assert_int_equal (total.buffers + total.int64_buffers, member_int (truth, "buffers"));

  bytes = json_object_get_object_member (truth, "parameter_bytes");
  for (guint d = 0; d < NNS_N_DTYPES; d++)
    assert_int_equal (nns_capacity_get_weight_bytes (&total, d),
                      member_int (bytes, nns_dtype_get_id (d)));

  grads = json_object_get_object_member (truth, "gradient_bytes");
  opt = json_object_get_object_member (truth, "optimizer_bytes");
  for (guint d = 0; d < NNS_N_DTYPES; d++)
    {
      JsonObject *per_optimizer;

      if (!json_object_has_member (grads, nns_dtype_get_id (d)))
        continue;
      per_optimizer = json_object_get_object_member (opt, nns_dtype_get_id (d));
      for (guint o = 0; o < NNS_N_OPTIMIZERS; o++)
        {
          NnsMemory m;

          memory_of (net, d, o, 1, &m);
          assert_int_equal (m.gradients, member_int (grads, nns_dtype_get_id (d)));
          assert_int_equal (m.optimizer_state, member_int (per_optimizer, nns_optimizer_get_id (o)));
        }
    }

  forward = json_object_get_array_member (truth, "forward");
  assert_true (json_array_get_length (forward) >= 2);
  for (guint k = 0; k < json_array_get_length (forward); k++)
    {
      JsonObject *run = json_array_get_object_element (forward, k);
      JsonArray *outputs = json_object_get_array_member (run, "output_elements");
      guint batch = member_int (run, "batch");
      guint64 outs = 0, input = member_int (run, "input_elements");
      NnsMemory m;

      for (guint i = 0; i < json_array_get_length (outputs); i++)
        outs += (guint64) json_array_get_int_element (outputs, i);
      assert_int_equal (outs, batch * total.activations);
      assert_int_equal (input, (guint64) batch * nns_network_get_input (net));
      memory_of (net, NNS_DTYPE_FP32, NNS_OPTIMIZER_SGD, batch, &m);
      assert_int_equal (m.activations, (input + outs) * 4);
      /* The profiler counts 2 FLOPs per multiply-add of the matrix products. */
      assert_int_equal (member_int (run, "matmul_flops"), 2 * m.macs);
      /* and our FLOPs add one per bias and sample */
      assert_int_equal (m.flops - 2 * m.macs,
                        batch * (total.flops - 2 * total.macs));
    }
}

static void
test_pytorch_truth (void **state)
{
  const char *source = g_getenv ("NNS_SOURCE_DIR");
  g_autofree char *dir = g_build_filename (source ? source : ".", "tests", "capacity", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  assert_non_null (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        check_truth (path);
        n++;
      }
  assert_true (n >= 4);
}

/* ---- --summary's columns and rows, --compare, and the options ---- */

static gboolean
parse (NnsCliOptions *options, GError **error, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  g_ptr_array_add (argv, (char *) "nnsketch");
  va_start (ap, error);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return nns_cli_parse (options, argv->len - 1, (char **) argv->pdata, error);
}

static void
test_summary (void **state)
{
  g_autoptr (NnsNetwork) net = from ("784,256,128,10");
  NnsMemorySpec spec = { NNS_DTYPE_BF16, NNS_OPTIMIZER_MOMENTUM, 64 };
  g_autofree char *text = NULL, *json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root, *memory, *layer;

  text = nns_summary_to_text (net, &spec);
  /* per batch: 64 · 784 · 256 mult-adds, 64 · 256 outputs in the first row */
  assert_non_null (strstr (text, "Mult-adds"));
  assert_non_null (strstr (text, "12,845,056"));
  assert_non_null (strstr (text, "16,384"));
  assert_non_null (strstr (text, "Mult-adds: 234,752 per sample, 15,024,128 per batch of 64"));
  assert_non_null (strstr (text, "Memory (bf16, SGD with momentum, batch 64):"));
  /* 235,146 · 2 bytes of weights, the same of momentum */
  assert_non_null (strstr (text, "(470,292 bytes)  (momentum_buffer)"));

  json = nns_summary_to_json (net, &spec);
  assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  assert_int_equal (json_object_get_int_member (root, "total"), 235146);
  assert_int_equal (json_object_get_int_member (root, "batch_size"), 64);
  assert_string_equal (json_object_get_string_member (root, "dtype"), "bf16");
  assert_string_equal (json_object_get_string_member (root, "optimizer"), "momentum");
  assert_int_equal (json_object_get_int_member (root, "mult_adds"), 15024128);
  assert_int_equal (json_object_get_int_member (root, "flops"), 64 * 469898);
  memory = json_object_get_object_member (root, "memory");
  assert_int_equal (json_object_get_int_member (memory, "weights"), 470292);
  assert_int_equal (json_object_get_int_member (memory, "gradients"), 470292);
  assert_int_equal (json_object_get_int_member (memory, "optimizer_state"), 470292);
  /* 64 · (784 + 256 + 128 + 10) · 2 */
  assert_int_equal (json_object_get_int_member (memory, "activations"), 150784);
  assert_int_equal (json_object_get_int_member (memory, "training"), 3 * 470292 + 150784);
  layer = json_array_get_object_element (json_object_get_array_member (root, "layers"), 0);
  assert_int_equal (json_object_get_int_member (layer, "mult_adds"), 64 * 200704);
  assert_int_equal (json_object_get_int_member (layer, "trainable"), 200960);
  assert_int_equal (json_object_get_int_member (layer, "non_trainable"), 0);

  /* int8: no training figures, and null in JSON rather than a made-up 0. */
  spec.dtype = NNS_DTYPE_INT8;
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&json, g_free);
  text = nns_summary_to_text (net, &spec);
  assert_null (strstr (text, "Gradients"));
  assert_non_null (strstr (text, "inference only"));
  json = nns_summary_to_json (net, &spec);
  assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  memory = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "memory");
  assert_true (json_object_get_null_member (memory, "training"));
}

static void
test_compare (void **state)
{
  g_autoptr (NnsNetwork) ref = from ("8,4,2");
  g_autoptr (NnsNetwork) net = from ("8,8,2");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = nns_capacity_report_compare (ref, net, NULL, FALSE);
  g_autofree char *json = nns_capacity_report_compare (ref, net, NULL, TRUE);
  JsonObject *root, *diff;

  assert_non_null (strstr (text, "Total: 46 parameters"));
  assert_non_null (strstr (text, "Total: 90 parameters"));
  assert_true (strstr (text, "Total: 46") < strstr (text, "Total: 90"));
  assert_non_null (strstr (text, "Difference: +44 parameters, +96 %; training memory +720 bytes"));
  assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  assert_int_equal (json_object_get_int_member (json_object_get_object_member (root, "reference"),
                                                "total"), 46);
  assert_int_equal (json_object_get_int_member (json_object_get_object_member (root, "network"),
                                                "total"), 90);
  diff = json_object_get_object_member (root, "difference");
  assert_int_equal (json_object_get_int_member (diff, "parameters"), 44);
  assert_int_equal (json_object_get_int_member (diff, "mult_adds"), 40);   /* 80 − 40 */
  assert_int_equal (json_object_get_int_member (diff, "training_bytes"), 720);
}

static void
test_cli_options (void **state)
{
  static const struct { const char *a, *b, *needle; } bad[] = {
    { "--summary", "--batch-size=0", "--batch-size=0 is outside 1 … 1000000" },
    { "--summary", "--batch-size=1000001", "--batch-size=1000001 is outside" },
    { "--summary", "--dtype=fp64", "--dtype=fp64: use fp32, fp16, bf16 or int8" },
    { "--summary", "--optimizer=rmsprop", "--optimizer=rmsprop: use sgd, momentum, adam or adamw" },
    { "--summary", "--compare=", "--compare is empty" },
    { "--batch-size=8", NULL, "--batch-size goes with --summary" },
    { "--dtype=fp16", NULL, "--dtype goes with --summary" },
    { "--compare=8,4,2", NULL, "--compare goes with --summary" },
    { "--export-table", NULL, "--export-table goes with --export-filename" },
  };
  NnsCliOptions options = { 0 };
  NnsMemorySpec spec;
  g_autoptr (NnsNetwork) net = from ("8,4,2");
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;
      NnsCliOptions o = { 0 };

      assert_false (parse (&o, &e, bad[i].a, bad[i].b, NULL));
      if (strstr (e->message, bad[i].needle) == NULL)
        fail_msg ("%s %s: “%s” lacks “%s”", bad[i].a, bad[i].b, e->message, bad[i].needle);
      nns_cli_options_clear (&o);
    }

  assert_true (parse (&options, &error, "--summary", "--batch-size=32", "--dtype=FP16",
                      "--optimizer=adamw", NULL));
  nns_cli_get_memory_spec (&options, &spec);
  assert_int_equal (spec.batch, 32);
  assert_int_equal (spec.dtype, NNS_DTYPE_FP16);
  assert_int_equal (spec.optimizer, NNS_OPTIMIZER_ADAMW);
  nns_cli_options_clear (&options);

  /* defaults: fp32, Adam, batch 1 */
  options = (NnsCliOptions) { 0 };
  assert_true (parse (&options, &error, "--summary", NULL));
  nns_cli_get_memory_spec (&options, &spec);
  assert_int_equal (spec.batch, 1);
  assert_int_equal (spec.dtype, NNS_DTYPE_FP32);
  assert_int_equal (spec.optimizer, NNS_OPTIMIZER_ADAM);
  nns_cli_options_clear (&options);

  /* --compare with a --layers list that does not parse names the option. */
  options = (NnsCliOptions) { 0 };
  assert_true (parse (&options, &error, "--summary", "--compare=8,0,2", NULL));
  assert_false (nns_cli_run_batch (&options, net, NULL, &error));
  assert_non_null (strstr (error->message, "--compare: --layers: item 2"));
  nns_cli_options_clear (&options);
}

/* ---- the ghost of the reference on the canvas, the table under exports ---- */

static cairo_surface_t *
render (NnsNetwork *net, NnsNetwork *reference, const NnsLayout *layout, const NnsStyle *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         (int) nns_layout_get_width (layout),
                                                         (int) nns_layout_get_height (layout));
  cairo_t *cr = cairo_create (surface);
  NnsRenderOptions options = { TRUE, NULL, .reference = reference };

  nns_render (cr, net, layout, style, &options);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static guint32
pixel (cairo_surface_t *surface, int x, int y)
{
  unsigned char *data = cairo_image_surface_get_data (surface);

  return *(guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4) & 0xffffff;
}

static void
test_ghost (void **state)
{
  g_autoptr (NnsNetwork) net = from ("8,4,2");
  g_autoptr (NnsNetwork) ref = from ("8,8,2");
  g_autoptr (NnsLayout) layout = NULL;
  cairo_surface_t *plain, *ghost;
  NnsStyle style;
  NnsNode first, last;
  double step;
  int x, y, differ = 0;

  nns_style_init_default (&style);
  /* Vertical room for the reference's 8 neurons in the 4-neuron column. */
  style.node_spacing = 10;
  layout = nns_layout_new (net, &style, 0, 0);
  plain = render (net, NULL, layout, &style);
  ghost = render (net, ref, layout, &style);

  /* The reference's hidden column has 8 neurons where the network has 4: two
   * ghost neurons lie beyond each end of the real column, on its axis. */
  nns_layout_get_drawn_node (layout, 1, 0, &first);
  nns_layout_get_drawn_node (layout, 1, 3, &last);
  step = nns_layout_get_step (layout);
  x = (int) round (last.x + last.radius);     /* the ghost circle's rim, right side */
  y = (int) round (last.y + 2 * step);        /* two steps past the last real neuron */
  assert_true (y < cairo_image_surface_get_height (ghost));
  assert_int_equal (pixel (plain, x, y), 0xffffff);
  for (int dx = -2; dx <= 2; dx++)
    differ += pixel (ghost, x + dx, y) != 0xffffff;
  assert_true (differ > 0);
  (void) first;

  /* Pinned equal to the network, the ghost outlines the real columns only:
   * nothing appears two steps beyond them. */
  cairo_surface_destroy (ghost);
  ghost = render (net, net, layout, &style);
  assert_int_equal (pixel (ghost, x, y), 0xffffff);
  cairo_surface_destroy (plain);
  cairo_surface_destroy (ghost);
}

/* A collapsed column draws the same few neurons at 256 as at 300: the ghost
 * says what the width was, beside the width label, in ink that the plain
 * drawing does not have there. */
static void
test_ghost_collapsed_width (void **state)
{
  g_autoptr (NnsNetwork) net = from ("784,256,10");
  g_autoptr (NnsNetwork) ref = from ("784,300,10");
  g_autoptr (NnsLayout) layout = NULL;
  cairo_surface_t *plain, *ghost, *same;
  NnsStyle style;
  NnsLabel label = { 0 };
  int differ = 0, differ_same = 0;

  nns_style_init_default (&style);
  layout = nns_layout_new (net, &style, 0, 0);
  assert_true (nns_layout_is_collapsed (layout, 1));
  for (guint i = 0; i < nns_layout_get_n_labels (layout); i++)
    {
      NnsLabel l;

      nns_layout_get_label (layout, i, &l);
      if (l.kind == NNS_LABEL_WIDTH && l.column == 1)
        label = l;
    }
  assert_non_null (label.text);
  plain = render (net, NULL, layout, &style);
  ghost = render (net, ref, layout, &style);
  same = render (net, net, layout, &style);
  if (g_getenv ("NNS_TEST_PNG") != NULL)
    cairo_surface_write_to_png (ghost, g_getenv ("NNS_TEST_PNG"));
  /* The row of the width label, from its right end over three of its
   * heights: where the note is written. */
  for (int y = (int) label.top; y < (int) (label.top + label.height); y++)
    for (int x = (int) (label.left + label.width + 1); x < (int) (label.left + label.width + 4 * label.height); x++)
      {
        differ += pixel (ghost, x, y) != pixel (plain, x, y);
        differ_same += pixel (same, x, y) != pixel (plain, x, y);
      }
  assert_true (differ > 10);
  /* Pinned as it is, nothing is written there. */
  assert_int_equal (differ_same, 0);
  cairo_surface_destroy (plain);
  cairo_surface_destroy (ghost);
  cairo_surface_destroy (same);
}

static void
test_caption_table (void **state)
{
  g_autoptr (NnsNetwork) net = from ("784,256,128,10");
  g_autofree char *dir = g_dir_make_tmp ("nns-caption-XXXXXX", NULL);
  g_autofree char *with_path = g_build_filename (dir, "with.png", NULL);
  NnsExportOptions options;
  NnsStyle style;
  NnsCaptionBox box;
  double w0, h0, w1, h1, nw, nh;
  cairo_surface_t *png;
  int dark = 0;

  nns_style_init_default (&style);
  nns_export_options_init (&options);
  assert_false (options.table);
  nns_export_get_size (net, &style, &options, NNS_EXPORT_PNG, &w0, &h0);
  options.table = TRUE;
  nns_export_get_size (net, &style, &options, NNS_EXPORT_PNG, &w1, &h1);
  /* header + 3 layers + total: 5 rows of 17.6 pt, and a margin */
  assert_true (h1 - h0 >= 5 * 17.6);
  assert_true (w1 >= w0);
  nns_caption_place (net, w0, h0, &box, &nw, &nh);
  assert_float_equal (nh, h1, 0.5);
  assert_float_equal (box.y, h0, 1e-9);
  assert_true (box.x >= 0 && box.x + box.width <= nw);

  /* The table's text is really there, below the figure. */
  assert_true (nns_export_image (net, &style, &options, NNS_EXPORT_PNG, with_path, NULL));
  png = cairo_image_surface_create_from_png (with_path);
  assert_int_equal (cairo_surface_status (png), CAIRO_STATUS_SUCCESS);
  assert_int_equal (cairo_image_surface_get_height (png), (int) h1);
  for (int y = (int) box.y; y < (int) (box.y + box.height); y++)
    for (int x = (int) box.x; x < (int) (box.x + box.width); x++)
      dark += (pixel (png, x, y) & 0xff) < 0x80;
  assert_true (dark > 500);
  cairo_surface_destroy (png);
  g_unlink (with_path);

  /* The command line's --export-table reaches the export. */
  {
    g_autofree char *arg = g_strdup_printf ("--export-filename=%s", with_path);
    NnsCliOptions cli = { 0 };
    NnsStyle cli_style;

    assert_true (parse (&cli, NULL, "--layers=784,256,128,10", "--export-table", arg, NULL));
    nns_style_init_default (&cli_style);
    assert_true (nns_cli_run_batch (&cli, net, &cli_style, NULL));
    png = cairo_image_surface_create_from_png (with_path);
    assert_int_equal (cairo_image_surface_get_height (png), (int) h1);
    cairo_surface_destroy (png);
    nns_cli_options_clear (&cli);
  }
  g_unlink (with_path);
  g_rmdir (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_lesson),
    cmocka_unit_test (test_mnist),
    cmocka_unit_test (test_overflow),
    cmocka_unit_test (test_names),
    cmocka_unit_test (test_difference),
    cmocka_unit_test (test_reference),
    cmocka_unit_test (test_pytorch_truth),
    cmocka_unit_test (test_summary),
    cmocka_unit_test (test_compare),
    cmocka_unit_test (test_cli_options),
    cmocka_unit_test (test_ghost),
    cmocka_unit_test (test_ghost_collapsed_width),
    cmocka_unit_test (test_caption_table),
  };

  int failed = cmocka_run_group_tests (tests, NULL, NULL);

  /* Let LeakSanitizer see only our own leaks, not cairo's and fontconfig's caches. */
  cairo_debug_reset_static_data ();
  FcFini ();
  return failed;
}

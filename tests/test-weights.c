/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-weights"

/* NnsWeights: PyTorch's default initialisation, the state_dict's names and
 * shapes, the shape check's messages, and the document's weights following
 * edits, undo and redo. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "nns-document.h"
#include "nns-input.h"
#include "nns-weights.h"

static NnsNetwork *
network_from (const char *text)
{
  g_autoptr (GError) error = NULL;
  NnsNetwork *network = nns_network_new_from_string (text, &error);

  assert_null (error);
  return network;
}

/* Uniform in ±1/√in: every value inside, mean ≈ 0, variance ≈ b²/3, and
 * values near both ends (so the bound is the bound, not a smaller one). */
static void
test_init_bounds (void **state)
{
  g_autoptr (NnsNetwork) network = network_from ("784,256,10");
  g_autoptr (NnsWeights) weights = nns_weights_new_init (network, 7);
  const NnsLayerWeights *layer = nns_weights_get_layer (weights, 0);
  double bound = 1.0 / sqrt (784.0), sum = 0, sum2 = 0, lo = 1, hi = -1;
  guint64 n = 256 * 784;

  assert_int_equal (layer->in_features, 784);
  assert_int_equal (layer->out_features, 256);
  for (guint64 e = 0; e < n; e++)
    {
      double w = layer->weight[e];

      assert_true (fabs (w) <= (float) bound);
      sum += w;
      sum2 += w * w;
      lo = MIN (lo, w);
      hi = MAX (hi, w);
    }
  assert_true (fabs (sum / n) < 0.01 * bound);
  assert_true (fabs (sum2 / n - bound * bound / 3) < 0.01 * bound * bound);
  assert_true (lo < -0.999 * bound && hi > 0.999 * bound);
  /* The bias has the same bound (fan_in), not 1/√out. */
  for (guint j = 0; j < 256; j++)
    assert_true (fabs (layer->bias[j]) <= (float) bound);
  layer = nns_weights_get_layer (weights, 1);
  for (guint e = 0; e < 10 * 256; e++)
    assert_true (fabs (layer->weight[e]) <= (float) (1.0 / 16.0));
  {
    double m = 0;

    for (guint e = 0; e < 10 * 256; e++)
      m = MAX (m, fabs (layer->weight[e]));
    assert_true (m > 0.99 / 16.0);
  }
}

static void
test_init_deterministic (void **state)
{
  g_autoptr (NnsNetwork) network = network_from ("10,18,20,5");
  g_autoptr (NnsWeights) a = nns_weights_new_init (network, 1);
  g_autoptr (NnsWeights) b = nns_weights_new_init (network, 1);
  g_autoptr (NnsWeights) c = nns_weights_new_init (network, 2);
  g_autoptr (NnsWeights) copy = NULL;
  NnsLayerWeights *layer;

  assert_true (nns_weights_equal (a, b));
  assert_false (nns_weights_equal (a, c));
  assert_true (nns_weights_is_initial (a, network, 1));
  assert_false (nns_weights_is_initial (a, network, 2));

  /* A copy is deep and writable; one changed bit makes it differ. */
  copy = nns_weights_copy (a);
  assert_true (nns_weights_equal (a, copy));
  layer = nns_weights_get_layer_mutable (copy, 1);
  assert_true (layer->weight != nns_weights_get_layer (a, 1)->weight);
  layer->weight[17] = -layer->weight[17];
  assert_false (nns_weights_equal (a, copy));
  assert_false (nns_weights_is_initial (copy, network, 1));
  /* -0.0 and 0.0 differ bitwise. */
  layer->weight[17] = nns_weights_get_layer (a, 1)->weight[17];
  assert_true (nns_weights_equal (a, copy));
  layer->bias[0] = 0.0f;
  {
    g_autoptr (NnsWeights) other = nns_weights_copy (copy);

    nns_weights_get_layer_mutable (other, 1)->bias[0] = -0.0f;
    assert_false (nns_weights_equal (other, copy));
  }
}

static void
test_extras_init (void **state)
{
  g_autoptr (NnsNetwork) network = network_from ("4,6,3");
  g_autoptr (NnsWeights) weights = NULL;
  NnsLayerExtras extras = { NNS_NORM_BATCH, TRUE, TRUE, TRUE, FALSE, 0.0 };
  const NnsLayerWeights *layer;

  assert_true (nns_network_set_extras (network, 0, &extras, NULL));
  assert_true (nns_network_set_activation (network, 0, NNS_ACTIVATION_PRELU, NULL));
  extras.norm = NNS_NORM_LAYER;
  extras.prelu_per_unit = TRUE;
  assert_true (nns_network_set_extras (network, 1, &extras, NULL));
  assert_true (nns_network_set_activation (network, 1, NNS_ACTIVATION_PRELU, NULL));
  weights = nns_weights_new_init (network, 1);
  layer = nns_weights_get_layer (weights, 0);
  for (guint j = 0; j < 6; j++)
    {
      assert_true (layer->norm_weight[j] == 1.0f && layer->norm_bias[j] == 0.0f);
      assert_true (layer->running_mean[j] == 0.0f && layer->running_var[j] == 1.0f);
    }
  assert_non_null (layer->num_batches_tracked);
  assert_true (*layer->num_batches_tracked == 0);
  assert_int_equal (layer->n_prelu, 1);
  assert_true (layer->prelu[0] == 0.25f);
  layer = nns_weights_get_layer (weights, 1);
  assert_null (layer->running_mean);
  assert_null (layer->num_batches_tracked);
  assert_int_equal (layer->n_prelu, 3);
  assert_true (layer->prelu[2] == 0.25f);

  /* The state_dict, in PyTorch's order and with the Sequential's indices. */
  {
    guint n = 0;
    NnsTensorInfo *infos = nns_weights_list_tensors (network, &n);
    const char *expected[] = {
      "0.weight [6, 4]", "0.bias [6]", "1.weight [6]", "1.bias [6]", "1.running_mean [6]",
      "1.running_var [6]", "1.num_batches_tracked []", "2.weight [1]",
      "3.weight [3, 6]", "3.bias [3]", "4.weight [3]", "4.bias [3]", "5.weight [3]",
    };

    assert_int_equal (n, G_N_ELEMENTS (expected));
    for (guint t = 0; t < n; t++)
      {
        g_autofree char *shape = nns_tensor_info_dup_shape (&infos[t]);
        g_autofree char *line = g_strdup_printf ("%s %s", infos[t].name, shape);

        assert_string_equal (line, expected[t]);
      }
    nns_tensor_infos_free (infos, n);
  }
}

static void
test_names_keyed (void **state)
{
  g_autoptr (NnsNetwork) network = network_from ("10,18,5");
  guint n = 0;
  NnsTensorInfo *infos;

  assert_true (nns_network_set_name (network, 0, "fc1", NULL));
  assert_true (nns_network_set_activation (network, 0, NNS_ACTIVATION_RELU, NULL));
  assert_true (nns_network_set_name (network, 1, "fc2", NULL));
  infos = nns_weights_list_tensors (network, &n);
  assert_int_equal (n, 4);
  assert_string_equal (infos[0].name, "fc1.weight");
  assert_string_equal (infos[3].name, "fc2.bias");
  nns_tensor_infos_free (infos, n);
}

static void
assert_check_message (NnsWeights *weights, NnsNetwork *network, const char *message)
{
  g_autoptr (GError) error = NULL;

  assert_false (nns_weights_check (weights, network, &error));
  assert_false (nns_weights_fits (weights, network));
  assert_non_null (error);
  assert_string_equal (error->message, message);
}

static void
test_check_messages (void **state)
{
  g_autoptr (NnsNetwork) network = network_from ("10,18,20,5");
  g_autoptr (NnsNetwork) other = network_from ("10,18,20,5");
  g_autoptr (NnsWeights) weights = NULL;

  assert_true (nns_network_set_activation (network, 0, NNS_ACTIVATION_RELU, NULL));
  assert_true (nns_network_set_activation (other, 0, NNS_ACTIVATION_RELU, NULL));
  weights = nns_weights_new_init (network, 1);
  assert_true (nns_weights_check (weights, network, NULL));
  assert_true (nns_weights_fits (weights, network));

  assert_true (nns_network_set_units (other, 0, 17, NULL));
  assert_check_message (weights, other,
                        "0.weight: the weights have [18, 10], the network needs [17, 10]");
  assert_true (nns_network_set_units (other, 0, 18, NULL));
  assert_true (nns_network_set_input (other, 11, NULL));
  assert_check_message (weights, other,
                        "0.weight: the weights have [18, 10], the network needs [18, 11]");
  assert_true (nns_network_set_input (other, 10, NULL));
  assert_true (nns_network_set_bias (other, 2, FALSE, NULL));
  assert_check_message (weights, other, "layer 3: the weights have a bias [5], the network has none");
  assert_true (nns_network_set_bias (other, 2, TRUE, NULL));
  assert_true (nns_weights_check (weights, other, NULL));
  assert_true (nns_network_set_activation (other, 1, NNS_ACTIVATION_PRELU, NULL));
  assert_check_message (weights, other, "3.weight: the network needs [1], the weights have none");
  assert_true (nns_network_remove_layer (other, 2, NULL));
  {
    g_autoptr (GError) error = NULL;

    assert_false (nns_weights_check (weights, other, &error));
    assert_string_equal (error->message, "the weights have 3 layers, the network 2");
  }
}

static void
test_check_finite (void **state)
{
  g_autoptr (NnsNetwork) network = network_from ("3,2");
  g_autoptr (NnsWeights) weights = nns_weights_new_init (network, 1);
  g_autoptr (GError) error = NULL;

  assert_true (nns_weights_check_finite (weights, network, NULL));
  nns_weights_get_layer_mutable (weights, 0)->weight[4] = NAN;
  assert_false (nns_weights_check_finite (weights, network, &error));
  assert_string_equal (error->message, "0.weight[4]: NaN");
  g_clear_error (&error);
  nns_weights_get_layer_mutable (weights, 0)->weight[4] = 0;
  nns_weights_get_layer_mutable (weights, 0)->bias[1] = -INFINITY;
  assert_false (nns_weights_check_finite (weights, network, &error));
  assert_string_equal (error->message, "0.bias[1]: infinite");
}

static void
test_frozen (void **state)
{
  g_autoptr (NnsNetwork) network = network_from ("3,2");
  g_autoptr (NnsWeights) weights = nns_weights_new_init (network, 1);
  g_autoptr (NnsWeights) copy = NULL;

  nns_weights_freeze (weights);
  assert_true (nns_weights_is_frozen (weights));
  g_test_expect_message ("nns-weights", G_LOG_LEVEL_CRITICAL, "*frozen*");
  assert_null (nns_weights_get_layer_mutable (weights, 0));
  g_test_assert_expected_messages ();
  copy = nns_weights_copy (weights);
  assert_false (nns_weights_is_frozen (copy));
  assert_non_null (nns_weights_get_layer_mutable (copy, 0));
}

/* ---- the document's weights ---- */

static guint changed_count;

static void
on_weights_changed (NnsDocument *document, gpointer data)
{
  changed_count++;
  /* The weights fit the network whenever a view hears of them. */
  assert_true (nns_weights_fits (nns_document_get_weights (document),
                                 nns_document_get_network (document)));
}

static NnsDocument *
trained_document (void)
{
  NnsDocument *document = nns_document_new (NULL);
  g_autoptr (NnsWeights) trained = nns_weights_copy (nns_document_get_weights (document));

  /* Values no initialisation gives: j * 1000 + i, a layer's index in bias. */
  for (guint l = 0; l < nns_weights_get_n_layers (trained); l++)
    {
      NnsLayerWeights *layer = nns_weights_get_layer_mutable (trained, l);

      for (guint j = 0; j < layer->out_features; j++)
        {
          for (guint i = 0; i < layer->in_features; i++)
            layer->weight[j * layer->in_features + i] = j * 1000 + i;
          layer->bias[j] = 100000 * (l + 1) + j;
        }
    }
  assert_true (nns_document_set_weights (document, trained, NULL));
  assert_true (nns_document_get_weights (document) == trained);
  assert_true (nns_weights_is_frozen (trained));
  return document;
}

static float
bias0 (NnsDocument *document, guint layer)
{
  return nns_weights_get_layer (nns_document_get_weights (document), layer)->bias[0];
}

static void
test_document_follows_edits (void **state)
{
  g_autoptr (NnsDocument) document = trained_document ();
  NnsNetwork *network = nns_document_get_network (document);
  g_autoptr (NnsWeights) before = NULL;
  const NnsLayerWeights *layer;

  g_signal_connect (document, "weights-changed", G_CALLBACK (on_weights_changed), NULL);
  changed_count = 0;

  /* Layer 1's units: layers 1 and 2 change shape and start again; layer 0 keeps. */
  before = nns_weights_ref (nns_document_get_weights (document));
  assert_true (nns_network_set_units (network, 1, 21, NULL));
  assert_int_equal (changed_count, 1);
  assert_true (nns_document_get_weights (document) != before);
  assert_true (nns_weights_get_layer (nns_document_get_weights (document), 0)->weight ==
               nns_weights_get_layer (before, 0)->weight);   /* shared, not copied */
  assert_true (bias0 (document, 0) == 100000);
  layer = nns_weights_get_layer (nns_document_get_weights (document), 1);
  assert_int_equal (layer->out_features, 21);
  assert_true (fabsf (layer->bias[0]) <= 1 / sqrtf (18));
  layer = nns_weights_get_layer (nns_document_get_weights (document), 2);
  assert_int_equal (layer->in_features, 21);
  assert_true (fabsf (layer->weight[0]) <= 1 / sqrtf (21));

  /* A name changes no tensor: the same object, no signal. */
  g_clear_pointer (&before, nns_weights_unref);
  before = nns_weights_ref (nns_document_get_weights (document));
  assert_true (nns_network_set_name (network, 0, "encoder", NULL));
  assert_true (nns_document_get_weights (document) == before);
  assert_int_equal (changed_count, 1);

  /* Insert before layer 0: the old layers shift; the old layer 0 (10 → 18)
   * now has 7 → 18 inputs and starts again, the later ones keep. */
  assert_true (nns_network_insert_layer (network, 0, 7, NULL));
  assert_true (nns_network_set_input (network, 10, NULL));
  assert_true (bias0 (document, 3) != 300000);   /* re-initialised when 21 came */
  assert_true (nns_weights_get_layer (nns_document_get_weights (document), 1)->bias[0] !=
               100000);
  assert_true (nns_weights_get_layer (nns_document_get_weights (document), 1)->in_features ==
               7);
  /* Remove the new layer: layer 0 is 10 → 18 again, and so initial. */
  assert_true (nns_network_remove_layer (network, 0, NULL));
  assert_true (nns_network_set_units (network, 1, 20, NULL));

  /* Every layer has started again at its place and shape: the weights are
   * exactly the initial ones. */
  assert_true (nns_weights_is_initial (nns_document_get_weights (document), network, 1));

  /* Undo all the way: the trained weights come back bit for bit. */
  while (nns_document_undo (document))
    ;
  assert_true (nns_weights_is_initial (nns_document_get_weights (document), network, 1));
  assert_true (nns_document_redo (document));
  assert_true (bias0 (document, 0) == 100000 && bias0 (document, 1) == 200000 &&
               bias0 (document, 2) == 300000);
  assert_true (nns_weights_get_layer (nns_document_get_weights (document), 2)->weight[19] == 19);
}

static void
test_document_bias_and_move (void **state)
{
  g_autoptr (NnsDocument) document = trained_document ();
  NnsNetwork *network = nns_document_get_network (document);
  const NnsLayerWeights *layer;

  /* Bias off and on: the weight stays, the bias starts again. */
  assert_true (nns_network_set_bias (network, 2, FALSE, NULL));
  layer = nns_weights_get_layer (nns_document_get_weights (document), 2);
  assert_null (layer->bias);
  assert_true (layer->weight[21] == 1001);
  assert_true (nns_network_set_bias (network, 2, TRUE, NULL));
  layer = nns_weights_get_layer (nns_document_get_weights (document), 2);
  assert_true (fabsf (layer->bias[0]) <= 1 / sqrtf (20));
  assert_true (layer->weight[21] == 1001);

  /* 10 → 18 → 20 → 5 with layers 1 and 2 swapped: 10 → 18 → 5 → 20. Layer 0
   * keeps; the moved ones have new shapes. */
  assert_true (nns_network_set_units (network, 1, 18, NULL));  /* 10 → 18 → 18 → 5 */
  assert_true (nns_network_set_units (network, 2, 18, NULL));  /* 10 → 18 → 18 → 18 */
  {
    g_autoptr (NnsWeights) marked = nns_weights_copy (nns_document_get_weights (document));

    nns_weights_get_layer_mutable (marked, 1)->bias[0] = 11;
    nns_weights_get_layer_mutable (marked, 2)->bias[0] = 22;
    assert_true (nns_document_set_weights (document, marked, NULL));
  }
  assert_true (nns_network_move_layer (network, 1, 2, NULL));
  assert_true (bias0 (document, 1) == 22 && bias0 (document, 2) == 11);
  assert_true (bias0 (document, 0) == 100000);
  assert_true (nns_network_move_layer (network, 2, 0, NULL));   /* now 18-in first: new */
  assert_true (fabsf (bias0 (document, 0)) <= 1 / sqrtf (10));   /* 18 → 18 is now 10 → 18 */
  assert_true (fabsf (bias0 (document, 1)) <= 1 / sqrtf (18));   /* 10 → 18 is now 18 → 18 */
  assert_true (bias0 (document, 2) == 22);
  assert_true (nns_weights_get_layer (nns_document_get_weights (document), 1)->in_features == 18);
  assert_true (nns_document_undo (document));
  assert_true (bias0 (document, 1) == 22 && bias0 (document, 2) == 11);
  assert_true (nns_document_undo (document));
  assert_true (bias0 (document, 1) == 11 && bias0 (document, 2) == 22);
}

static void
test_document_set_refused (void **state)
{
  g_autoptr (NnsDocument) document = nns_document_new (NULL);
  g_autoptr (NnsNetwork) other = network_from ("10,18,21,5");
  g_autoptr (NnsWeights) wrong = nns_weights_new_init (other, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (NnsWeights) before = nns_weights_ref (nns_document_get_weights (document));

  assert_false (nns_document_set_weights (document, wrong, &error));
  assert_string_equal (error->message,
                       "1.weight: the weights have [21, 18], the network needs [20, 18]");
  assert_true (nns_document_get_weights (document) == before);
  assert_false (nns_document_get_can_undo (document));
  assert_false (nns_weights_is_frozen (wrong));

  /* Setting weights is one undo step, and undo gives the old ones back. */
  {
    g_autoptr (NnsWeights) set = nns_weights_copy (before);

    nns_weights_get_layer_mutable (set, 0)->weight[0] = 5;
    assert_true (nns_document_set_weights (document, set, NULL));
    assert_true (nns_document_get_modified (document));
    assert_true (nns_document_undo (document));
    assert_true (nns_weights_equal (nns_document_get_weights (document), before));
    assert_false (nns_document_get_modified (document));
    assert_true (nns_document_redo (document));
    assert_true (nns_weights_equal (nns_document_get_weights (document), set));
  }
}

/* Undo keeps a state for what changed: trained tensors are shared between
 * states, initial ones are kept as their recipe and made again. */
static void
test_history_shares (void **state)
{
  g_autoptr (NnsNetwork) network = network_from ("784,256,10");
  g_autoptr (NnsDocument) document = nns_document_new (network);
  g_autoptr (NnsWeights) trained = nns_weights_copy (nns_document_get_weights (document));
  const float *first;

  nns_weights_get_layer_mutable (trained, 0)->weight[0] = 42;
  assert_true (nns_document_set_weights (document, trained, NULL));
  first = nns_weights_get_layer (nns_document_get_weights (document), 0)->weight;
  for (guint u = 11; u < 60; u++)
    assert_true (nns_network_set_units (network, 1, u, NULL));
  while (nns_document_undo (document) && nns_document_get_can_undo (document))
    {
      /* The trained layer is one block in every state. */
      assert_true (nns_weights_get_layer (nns_document_get_weights (document), 0)->weight == first);
      /* The initial layer 1 comes back exactly. */
      assert_true (fabsf (nns_weights_get_layer (nns_document_get_weights (document), 1)->bias[0]) <=
                   1 / 16.0f);
    }
  assert_int_equal (nns_weights_get_layer (nns_document_get_weights (document), 1)->out_features,
                    10);
  assert_true (nns_weights_is_initial (nns_document_get_weights (document), network, 1));

  /* A compact copy equals the original, and expands to it bit for bit. */
  {
    g_autoptr (NnsWeights) initial = nns_weights_new_init (network, 1);
    g_autoptr (NnsWeights) compact = NULL;
    g_autoptr (NnsWeights) expanded = NULL;

    nns_weights_freeze (initial);
    compact = nns_weights_compact (initial);
    assert_true (nns_weights_equal (compact, initial));
    expanded = nns_weights_expand (compact);
    assert_true (expanded != initial);
    assert_memory_equal (nns_weights_get_layer (expanded, 0)->weight,
                         nns_weights_get_layer (initial, 0)->weight, 256 * 784 * 4);
    assert_true (nns_weights_equal (expanded, initial));
  }
}

/* Save keeps the weights bit for bit (through NnsFileWriter: only the file
 * in the folder); initial weights are not stored, and the file stays the
 * version it was. */
static void
test_save_round_trip (void **state)
{
  g_autoptr (NnsDocument) document = trained_document ();
  g_autofree char *dir = g_dir_make_tmp ("nns-weights-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trained.nnsketch", NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (NnsNetwork) network = NULL;
  g_autoptr (NnsWeights) weights = NULL;
  g_autofree char *source = NULL;
  g_autoptr (GDir) listing = NULL;
  gboolean is_document = FALSE;

  /* A NaN and a negative zero survive too. */
  {
    g_autoptr (NnsWeights) odd = nns_weights_copy (nns_document_get_weights (document));

    nns_weights_get_layer_mutable (odd, 1)->weight[3] = -0.0f;
    nns_weights_get_layer_mutable (odd, 2)->bias[4] = 1e-45f;   /* a subnormal */
    assert_true (nns_document_set_weights (document, odd, NULL));
  }
  assert_true (nns_document_save_to (document, path, &error));
  assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  assert_non_null (strstr (contents, "\"version\": 3"));
  assert_non_null (strstr (contents, "\"format\": \"safetensors\""));
  network = nns_input_load_file_full (file, NULL, &is_document, &weights, &source, NULL, &error);
  assert_non_null (network);
  assert_true (is_document);
  assert_true (nns_network_equal (network, nns_document_get_network (document)));
  assert_non_null (weights);
  assert_true (nns_weights_equal (weights, nns_document_get_weights (document)));
  listing = g_dir_open (dir, 0, NULL);
  assert_string_equal (g_dir_read_name (listing), "trained.nnsketch");
  assert_null (g_dir_read_name (listing));
  g_clear_pointer (&contents, g_free);
  g_clear_object (&network);
  g_clear_pointer (&weights, nns_weights_unref);

  /* The initial weights are the network's own: not stored, version 1. */
  {
    g_autoptr (NnsDocument) fresh = nns_document_new (NULL);

    assert_true (nns_document_save_to (fresh, path, &error));
    assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    assert_null (strstr (contents, "weights"));
    assert_non_null (strstr (contents, "\"version\": 1"));
    network = nns_input_load_file_full (file, NULL, NULL, &weights, NULL, NULL, &error);
    assert_non_null (network);
    assert_null (weights);
  }

  /* A document whose weights do not fit its network is refused by name. */
  {
    g_autofree char *bad = NULL;
    g_autoptr (NnsNetwork) other = nns_network_new_from_string ("10,18,21,5", NULL);
    g_autoptr (NnsWeights) other_weights = nns_weights_new_init (other, 3);
    g_autoptr (NnsNetwork) loaded = NULL;

    bad = nns_document_to_data_with_weights (other, other_weights, NULL);
    /* Swap the network for the lesson's 10 → 18 → 20 → 5. */
    {
      char *at = strstr (bad, "\"units\": 21");

      assert_non_null (at);
      at[10] = '0';
    }
    loaded = nns_document_load_data_with_weights (bad, -1, NULL, NULL, &error);
    assert_null (loaded);
    assert_string_equal (error->message,
                         "weights: 1.weight: the file has [21, 18], the network needs [20, 18]");
  }
  g_remove (path);
  g_rmdir (dir);
}

static void
test_map_change (void **state)
{
  NnsChange insert = { NNS_CHANGE_INSERT, 1, 0 }, remove = { NNS_CHANGE_REMOVE, 1, 0 };
  NnsChange move = { NNS_CHANGE_MOVE, 0, 2 }, back = { NNS_CHANGE_MOVE, 3, 1 };
  g_autofree int *a = nns_weights_map_change (&insert, 4);
  g_autofree int *b = nns_weights_map_change (&remove, 3);
  g_autofree int *c = nns_weights_map_change (&move, 4);
  g_autofree int *d = nns_weights_map_change (&back, 4);

  assert_true (a[0] == 0 && a[1] == -1 && a[2] == 1 && a[3] == 2);
  assert_true (b[0] == 0 && b[1] == 2 && b[2] == 3);
  /* [A B C D] moved 0 → 2: [B C A D]. */
  assert_true (c[0] == 1 && c[1] == 2 && c[2] == 0 && c[3] == 3);
  /* [A B C D] moved 3 → 1: [A D B C]. */
  assert_true (d[0] == 0 && d[1] == 3 && d[2] == 1 && d[3] == 2);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_init_bounds),
    cmocka_unit_test (test_init_deterministic),
    cmocka_unit_test (test_extras_init),
    cmocka_unit_test (test_names_keyed),
    cmocka_unit_test (test_check_messages),
    cmocka_unit_test (test_check_finite),
    cmocka_unit_test (test_frozen),
    cmocka_unit_test (test_document_follows_edits),
    cmocka_unit_test (test_document_bias_and_move),
    cmocka_unit_test (test_document_set_refused),
    cmocka_unit_test (test_history_shares),
    cmocka_unit_test (test_map_change),
    cmocka_unit_test (test_save_round_trip),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}

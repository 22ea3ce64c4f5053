/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model: construction, every edit, limits, change notifications, and a few
 * thousand random edit sequences that keep in_features(i) = units(i − 1). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "nns-network.h"
#include "nns-params.h"

typedef struct
{
  guint     count;
  NnsChange last;
} Changes;

static void
on_changed (NnsNetwork *network, NnsChange *change, gpointer user_data)
{
  Changes *changes = user_data;

  changes->count++;
  changes->last = *change;
}

static NnsNetwork *
make (const guint *widths, guint n)
{
  g_autoptr (GError) error = NULL;
  NnsNetwork *network = nns_network_new (widths, n, &error);

  assert_null (error);
  assert_non_null (network);
  return network;
}

static void
test_default_is_lesson (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();

  assert_int_equal (nns_network_get_input (network), 10);
  assert_int_equal (nns_network_get_n_layers (network), 3);
  assert_int_equal (nns_network_get_layer (network, 0)->units, 18);
  assert_int_equal (nns_network_get_layer (network, 1)->units, 20);
  assert_int_equal (nns_network_get_layer (network, 2)->units, 5);
  for (guint i = 0; i < 3; i++)
    {
      assert_true (nns_network_get_layer (network, i)->bias);
      assert_int_equal (nns_network_get_layer (network, i)->activation, NNS_ACTIVATION_NONE);
      assert_null (nns_network_get_layer (network, i)->name);
    }
  assert_int_equal (nns_network_get_in_features (network, 0), 10);
  assert_int_equal (nns_network_get_in_features (network, 1), 18);
  assert_int_equal (nns_network_get_in_features (network, 2), 20);
  assert_int_equal (nns_network_get_column_width (network, 0), 10);
  assert_int_equal (nns_network_get_column_width (network, 3), 5);
}

static void
test_new_limits (void **state)
{
  g_autoptr (GError) error = NULL;
  guint widths[258];
  NnsNetwork *network;

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    widths[i] = 3;

  /* 1 and 256 dense layers are fine; 0 and 257 are not. */
  network = nns_network_new (widths, 2, &error);
  assert_non_null (network);
  g_object_unref (network);
  network = nns_network_new (widths, 257, &error);
  assert_non_null (network);
  assert_int_equal (nns_network_get_n_layers (network), 256);
  g_object_unref (network);
  assert_null (nns_network_new (widths, 1, &error));
  assert_true (g_error_matches (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE));
  g_clear_error (&error);
  assert_null (nns_network_new (widths, 258, &error));
  assert_true (g_error_matches (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE));
  g_clear_error (&error);

  /* Units 1 … 1,000,000. */
  widths[0] = 1000000;
  widths[1] = 1;
  network = nns_network_new (widths, 2, &error);
  assert_non_null (network);
  g_object_unref (network);
  widths[1] = 0;
  assert_null (nns_network_new (widths, 2, &error));
  assert_non_null (strstr (error->message, "Layer 1 units: 0"));
  g_clear_error (&error);
  widths[1] = 1000001;
  assert_null (nns_network_new (widths, 2, &error));
  assert_non_null (strstr (error->message, "1000001"));
  g_clear_error (&error);
}

static void
test_edits_notify_once (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autoptr (GError) error = NULL;
  Changes changes = { 0 };

  g_signal_connect (network, "changed", G_CALLBACK (on_changed), &changes);

  assert_true (nns_network_set_units (network, 0, 4, &error));
  assert_int_equal (changes.count, 1);
  assert_int_equal (changes.last.kind, NNS_CHANGE_UNITS);
  assert_int_equal (changes.last.layer, 0);
  assert_int_equal (nns_network_get_in_features (network, 1), 4);

  /* Setting the same value is not a change. */
  assert_true (nns_network_set_units (network, 0, 4, &error));
  assert_int_equal (changes.count, 1);

  assert_true (nns_network_set_input (network, 8, &error));
  assert_int_equal (changes.count, 2);
  assert_int_equal (changes.last.kind, NNS_CHANGE_INPUT);

  assert_true (nns_network_set_bias (network, 2, FALSE, &error));
  assert_int_equal (changes.count, 3);
  assert_int_equal (changes.last.kind, NNS_CHANGE_BIAS);
  assert_int_equal (changes.last.layer, 2);

  assert_true (nns_network_set_activation (network, 1, NNS_ACTIVATION_RELU, &error));
  assert_int_equal (changes.last.kind, NNS_CHANGE_ACTIVATION);
  assert_int_equal (nns_network_get_layer (network, 1)->activation, NNS_ACTIVATION_RELU);

  assert_true (nns_network_set_name (network, 1, "fc2", &error));
  assert_int_equal (changes.last.kind, NNS_CHANGE_NAME);
  assert_string_equal (nns_network_get_layer (network, 1)->name, "fc2");
  assert_true (nns_network_set_name (network, 1, "", &error));
  assert_null (nns_network_get_layer (network, 1)->name);
  assert_int_equal (changes.count, 6);

  assert_true (nns_network_insert_layer (network, 1, 7, &error));
  assert_int_equal (changes.last.kind, NNS_CHANGE_INSERT);
  assert_int_equal (changes.last.layer, 1);
  assert_int_equal (nns_network_get_n_layers (network), 4);
  assert_int_equal (nns_network_get_in_features (network, 2), 7);

  assert_true (nns_network_move_layer (network, 1, 3, &error));
  assert_int_equal (changes.last.kind, NNS_CHANGE_MOVE);
  assert_int_equal (changes.last.layer, 1);
  assert_int_equal (changes.last.other, 3);
  assert_int_equal (nns_network_get_layer (network, 3)->units, 7);

  assert_true (nns_network_remove_layer (network, 3, &error));
  assert_int_equal (changes.last.kind, NNS_CHANGE_REMOVE);
  assert_int_equal (nns_network_get_n_layers (network), 3);
  assert_int_equal (changes.count, 9);
  assert_null (error);
}

static void
test_edit_errors (void **state)
{
  g_autoptr (GError) error = NULL;
  guint widths[] = { 4, 2 };
  g_autoptr (NnsNetwork) network = make (widths, 2);
  Changes changes = { 0 };

  g_signal_connect (network, "changed", G_CALLBACK (on_changed), &changes);

  assert_false (nns_network_remove_layer (network, 0, &error));
  assert_true (g_error_matches (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_LAST));
  g_clear_error (&error);
  assert_false (nns_network_set_units (network, 1, 3, &error));
  assert_true (g_error_matches (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_INDEX));
  g_clear_error (&error);
  assert_false (nns_network_set_units (network, 0, 0, &error));
  assert_true (g_error_matches (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE));
  g_clear_error (&error);
  assert_false (nns_network_set_input (network, 1000001, &error));
  assert_true (g_error_matches (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_RANGE));
  g_clear_error (&error);
  assert_false (nns_network_insert_layer (network, 2, 3, &error));
  assert_true (g_error_matches (error, NNS_NETWORK_ERROR, NNS_NETWORK_ERROR_INDEX));
  g_clear_error (&error);
  assert_false (nns_network_move_layer (network, 0, 1, &error));
  g_clear_error (&error);
  assert_false (nns_network_set_activation (network, 0, NNS_N_ACTIVATIONS, &error));
  g_clear_error (&error);

  /* 256 layers is the ceiling for insert too. */
  for (guint i = 1; i < NNS_LAYERS_MAX; i++)
    assert_true (nns_network_insert_layer (network, 0, 2, &error));
  assert_int_equal (nns_network_get_n_layers (network), 256);
  assert_false (nns_network_insert_layer (network, 0, 2, &error));
  assert_non_null (strstr (error->message, "256"));
  g_clear_error (&error);

  /* Failed edits do not notify. */
  assert_int_equal (changes.count, NNS_LAYERS_MAX - 1);
}

static void
test_copy_equal_assign (void **state)
{
  g_autoptr (NnsNetwork) a = nns_network_new_default ();
  g_autoptr (NnsNetwork) b = NULL;
  g_autoptr (NnsNetwork) c = nns_network_new_default ();
  Changes changes = { 0 };

  nns_network_set_name (a, 0, "encoder", NULL);
  nns_network_set_activation (a, 1, NNS_ACTIVATION_TANH, NULL);
  b = nns_network_copy (a);
  assert_true (nns_network_equal (a, b));
  assert_false (nns_network_equal (a, c));
  /* The copy owns its own strings. */
  nns_network_set_name (a, 0, "other", NULL);
  assert_string_equal (nns_network_get_layer (b, 0)->name, "encoder");

  g_signal_connect (c, "changed", G_CALLBACK (on_changed), &changes);
  nns_network_assign (c, b);
  assert_true (nns_network_equal (c, b));
  assert_int_equal (changes.count, 1);
  assert_int_equal (changes.last.kind, NNS_CHANGE_RESET);
}

static void
test_activations (void **state)
{
  NnsActivation a;

  for (guint i = 0; i < NNS_N_ACTIVATIONS; i++)
    {
      assert_true (nns_activation_from_string (nns_activation_get_id (i), &a));
      assert_int_equal (a, i);
      if (i != NNS_ACTIVATION_NONE)
        {
          assert_true (nns_activation_from_string (nns_activation_get_label (i), &a));
          assert_int_equal (a, i);
        }
    }
  assert_true (nns_activation_from_string ("RELU", &a));
  assert_int_equal (a, NNS_ACTIVATION_RELU);
  assert_false (nns_activation_from_string ("swish", &a));
  assert_false (nns_activation_from_string (NULL, &a));
}

static void
test_titles (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autofree char *t0 = nns_network_dup_column_title (network, 0);
  g_autofree char *t1 = nns_network_dup_column_title (network, 1);
  g_autofree char *t3 = nns_network_dup_column_title (network, 3);
  g_autofree char *named = NULL;

  assert_string_equal (t0, "Input");
  assert_string_equal (t1, "Hidden 1");
  assert_string_equal (t3, "Output");
  nns_network_set_name (network, 1, "bottleneck", NULL);
  named = nns_network_dup_column_title (network, 2);
  assert_string_equal (named, "bottleneck");
}

static guint64
recount (NnsNetwork *network)
{
  guint64 total = 0;
  guint64 in = nns_network_get_input (network);

  for (guint i = 0; i < nns_network_get_n_layers (network); i++)
    {
      const NnsLayer *layer = nns_network_get_layer (network, i);

      total += in * layer->units + (layer->bias ? layer->units : 0) +
               (layer->activation == NNS_ACTIVATION_PRELU ? 1 : 0);
      in = layer->units;
    }
  return total;
}

/* Random edit sequences: after every operation the invariant holds and the
 * total equals a recount from scratch. Failed edits leave the network as it was. */
static void
test_random_edits (void **state)
{
  GRand *rand = g_rand_new_with_seed (20261127);
  guint ok = 0, refused = 0;

  for (guint sequence = 0; sequence < 3000; sequence++)
    {
      g_autoptr (NnsNetwork) network = nns_network_new_default ();

      for (guint step = 0; step < 40; step++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (NnsNetwork) before = nns_network_copy (network);
          guint n = nns_network_get_n_layers (network);
          guint index = g_rand_int_range (rand, 0, n + 1);
          /* Mostly valid widths, sometimes out of range. */
          guint units = g_rand_int_range (rand, 0, 10) == 0
                          ? (g_rand_boolean (rand) ? 0 : NNS_UNITS_MAX + 1)
                          : (guint) g_rand_int_range (rand, 1, g_rand_boolean (rand) ? 50 : NNS_UNITS_MAX + 1);
          gboolean done = FALSE;

          switch (g_rand_int_range (rand, 0, 7))
            {
            case 0: done = nns_network_set_units (network, index, units, &error); break;
            case 1: done = nns_network_set_input (network, units, &error); break;
            case 2: done = nns_network_insert_layer (network, index, units, &error); break;
            case 3: done = nns_network_remove_layer (network, index, &error); break;
            case 4: done = nns_network_move_layer (network, index, g_rand_int_range (rand, 0, n + 1), &error); break;
            case 5: done = nns_network_set_bias (network, index, g_rand_boolean (rand), &error); break;
            default: done = nns_network_set_activation (network, index, g_rand_int_range (rand, 0, NNS_N_ACTIVATIONS + 1), &error); break;
            }
          if (done)
            {
              assert_null (error);
              ok++;
            }
          else
            {
              assert_non_null (error);
              assert_true (nns_network_equal (before, network));
              refused++;
            }

          n = nns_network_get_n_layers (network);
          assert_true (n >= NNS_LAYERS_MIN && n <= NNS_LAYERS_MAX);
          for (guint i = 0; i < n; i++)
            {
              guint expected = i == 0 ? nns_network_get_input (network)
                                      : nns_network_get_layer (network, i - 1)->units;
              assert_int_equal (nns_network_get_in_features (network, i), expected);
              assert_in_range (nns_network_get_layer (network, i)->units, NNS_UNITS_MIN, NNS_UNITS_MAX);
            }
          assert_true (nns_network_count_total (network) == recount (network));
        }
    }
  /* Both kinds happened many times, so the test exercised both paths. */
  assert_true (ok > 10000);
  assert_true (refused > 1000);
  g_rand_free (rand);
}

/* The input's shape: parsed from what people type, refused by name when it
 * does not hold the width, kept by copies and compared, dropped by a width
 * it no longer fits. */
static void
test_input_shape (void **state)
{
  static const struct { const char *text; guint n_dims, c, h, w; } good[] = {
    { "3x32x32", 3, 3, 32, 32 }, { "3×32×32", 3, 3, 32, 32 }, { " 3 × 32 × 32 ", 3, 3, 32, 32 },
    { "28 28", 2, 28, 28, 0 }, { "(3, 32, 32)", 3, 3, 32, 32 }, { "1X28X28", 3, 1, 28, 28 },
    { "[28, 28]", 2, 28, 28, 0 }, { "3*4*5", 3, 3, 4, 5 }, { "", 0, 0, 0, 0 }, { "  ", 0, 0, 0, 0 },
  };
  static const struct { const char *text, *message; } bad[] = {
    { "784", "Shape: one size is just the width; give H × W or C × H × W" },
    { "1x3x32x32", "Shape: more than 3 sizes; give H × W or C × H × W" },
    { "3x0x32", "Shape: size 0 is outside 1 … 1,000,000" },
    { "3x2000000", "Shape: size 2000000 is outside 1 … 1,000,000" },
    { "3x32x32.5", "Shape: “.” is not a size; write it like 3 × 32 × 32 or 28 × 28" },
    { "-3x4", "Shape: “-” is not a size; write it like 3 × 32 × 32 or 28 × 28" },
    { "three by four", "Shape: “t” is not a size; write it like 3 × 32 × 32 or 28 × 28" },
  };
  g_autoptr (NnsNetwork) network = make ((const guint[]) { 60, 4, 2 }, 3);
  g_autoptr (NnsNetwork) copy = NULL;
  g_autoptr (GError) error = NULL;
  NnsInputShape shape, got;
  Changes changes = { 0 };
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      assert_true (nns_input_shape_parse (good[i].text, &shape, &error));
      assert_null (error);
      assert_int_equal (shape.n_dims, good[i].n_dims);
      if (shape.n_dims > 0)
        {
          assert_int_equal (shape.dims[0], good[i].c);
          assert_int_equal (shape.dims[1], good[i].h);
          if (shape.n_dims == 3)
            assert_int_equal (shape.dims[2], good[i].w);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      assert_false (nns_input_shape_parse (bad[i].text, &shape, &error));
      assert_string_equal (error->message, bad[i].message);
      g_clear_error (&error);
    }
  assert_true (nns_input_shape_parse ("3x4x5", &shape, NULL));
  text = nns_input_shape_format (&shape);
  assert_string_equal (text, "3 × 4 × 5");
  assert_true (nns_input_shape_get_size (&shape) == 60);

  g_signal_connect (network, "changed", G_CALLBACK (on_changed), &changes);
  nns_network_get_input_shape (network, &got);
  assert_int_equal (got.n_dims, 0);
  assert_true (nns_network_set_input_shape (network, &shape, &error));
  assert_int_equal (changes.count, 1);
  assert_int_equal (changes.last.kind, NNS_CHANGE_INPUT_SHAPE);
  nns_network_get_input_shape (network, &got);
  assert_true (nns_input_shape_equal (&got, &shape));
  /* the same again is no change */
  assert_true (nns_network_set_input_shape (network, &shape, NULL));
  assert_int_equal (changes.count, 1);

  /* a product other than the width is refused, nothing changes */
  assert_true (nns_input_shape_parse ("3 32 32", &shape, NULL));
  assert_false (nns_network_set_input_shape (network, &shape, &error));
  assert_string_equal (error->message, "Shape 3 × 32 × 32 holds 3,072 values, but the input is 60 wide");
  g_clear_error (&error);
  shape = (NnsInputShape) { 1, { 60 } };
  assert_false (nns_network_set_input_shape (network, &shape, &error));
  assert_string_equal (error->message, "Shape: give 2 or 3 sizes (H × W or C × H × W), not 1");
  g_clear_error (&error);
  assert_int_equal (changes.count, 1);
  nns_network_get_input_shape (network, &got);
  assert_int_equal (got.dims[2], 5);

  /* copies keep it, equal compares it, assign brings it */
  copy = nns_network_copy (network);
  assert_true (nns_network_equal (copy, network));
  assert_true (nns_network_set_input_shape (copy, NULL, NULL));
  assert_false (nns_network_equal (copy, network));
  nns_network_assign (copy, network);
  assert_true (nns_network_equal (copy, network));

  /* a width the shape still fits keeps it (there is none but itself); a
   * width it does not fit drops it in the same change */
  assert_true (nns_network_set_input (network, 61, NULL));
  assert_int_equal (changes.count, 2);
  assert_int_equal (changes.last.kind, NNS_CHANGE_INPUT);
  nns_network_get_input_shape (network, &got);
  assert_int_equal (got.n_dims, 0);
  /* a refused width keeps it */
  assert_true (nns_network_set_input (network, 60, NULL));
  assert_true (nns_network_set_input_shape (network, &(NnsInputShape) { 2, { 6, 10 } }, NULL));
  assert_false (nns_network_set_input (network, 0, NULL));
  nns_network_get_input_shape (network, &got);
  assert_int_equal (got.n_dims, 2);
  assert_int_equal (got.dims[0], 6);
  /* a hidden layer's width is not the input's */
  assert_true (nns_network_set_units (network, 0, 7, NULL));
  nns_network_get_input_shape (network, &got);
  assert_int_equal (got.n_dims, 2);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_default_is_lesson),
    cmocka_unit_test (test_new_limits),
    cmocka_unit_test (test_edits_notify_once),
    cmocka_unit_test (test_edit_errors),
    cmocka_unit_test (test_copy_equal_assign),
    cmocka_unit_test (test_activations),
    cmocka_unit_test (test_titles),
    cmocka_unit_test (test_random_edits),
    cmocka_unit_test (test_input_shape),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}

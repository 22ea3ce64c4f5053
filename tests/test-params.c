/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parameter arithmetic and its formatting: the lesson's numbers, bias off, the
 * limits, and the strings the window and the summary show. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "nns-network.h"
#include "nns-params.h"

static NnsNetwork *
from (const char *layers)
{
  g_autoptr (GError) error = NULL;
  NnsNetwork *network = nns_network_new_from_string (layers, &error);

  assert_null (error);
  return network;
}

static void
test_lesson_numbers (void **state)
{
  g_autoptr (NnsNetwork) lesson = from ("8,4,2");
  g_autoptr (NnsNetwork) def = nns_network_new_default ();
  g_autoptr (NnsNetwork) mnist = from ("784, 256, 128, 10");

  /* 4·(8+1) + 2·(4+1) = 36 + 10 = 46 */
  assert_int_equal (nns_network_count_layer (lesson, 0), 36);
  assert_int_equal (nns_network_count_layer (lesson, 1), 10);
  assert_int_equal (nns_network_count_total (lesson), 46);
  /* 198 + 380 + 105 = 683 */
  assert_int_equal (nns_network_count_layer (def, 0), 198);
  assert_int_equal (nns_network_count_layer (def, 1), 380);
  assert_int_equal (nns_network_count_layer (def, 2), 105);
  assert_int_equal (nns_network_count_total (def), 683);
  assert_int_equal (nns_network_count_total (mnist), 235146);
  assert_int_equal (nns_network_count_edges (mnist), 784 * 256 + 256 * 128 + 128 * 10);
  assert_int_equal (nns_network_count_weights (def, 1), 360);
  assert_int_equal (nns_network_count_biases (def, 1), 20);
}

static void
test_neuron (void **state)
{
  /* A neuron has N + 1 parameters, N without bias. */
  for (guint64 n = 1; n <= 1000000; n *= 10)
    {
      assert_int_equal (nns_params_neuron (n, TRUE), n + 1);
      assert_int_equal (nns_params_neuron (n, FALSE), n);
      assert_int_equal (nns_params_dense (n, 7, TRUE), 7 * (n + 1));
    }
}

static void
test_bias_off (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autofree char *formula = NULL;

  nns_network_set_bias (network, 1, FALSE, NULL);
  assert_int_equal (nns_network_count_layer (network, 1), 360);
  assert_int_equal (nns_network_count_biases (network, 1), 0);
  assert_int_equal (nns_network_count_total (network), 663);
  formula = nns_format_layer_formula (network, 1);
  assert_string_equal (formula, "18 × 20 = 360");
}

static void
test_limits_exact (void **state)
{
  g_autoptr (GError) error = NULL;
  guint widths[NNS_LAYERS_MAX + 1];
  g_autoptr (NnsNetwork) biggest = NULL;
  g_autofree char *count = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    widths[i] = NNS_UNITS_MAX;
  biggest = nns_network_new (widths, G_N_ELEMENTS (widths), &error);
  assert_null (error);
  /* 256 · 1e6 · (1e6 + 1) does not fit 32 bits; it must be exact in 64. */
  assert_true (nns_network_count_total (biggest) == (guint64) 256 * 1000000 * 1000001);
  count = nns_format_count (nns_network_count_total (biggest));
  assert_string_equal (count, "256,000,256,000,000");

  /* One past the limit is refused where the widths come in. */
  assert_null (nns_network_new_from_string ("1000001,1", &error));
  assert_non_null (error);
}

static void
test_format_count (void **state)
{
  static const struct { guint64 value; const char *text; } cases[] = {
    { 0, "0" }, { 7, "7" }, { 999, "999" }, { 1000, "1,000" }, { 12345, "12,345" },
    { 235146, "235,146" }, { 1234567, "1,234,567" }, { G_MAXUINT64, "18,446,744,073,709,551,615" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = nns_format_count (cases[i].value);
      assert_string_equal (text, cases[i].text);
    }
}

static void
test_format_size (void **state)
{
  static const struct { guint64 bytes; const char *text; } cases[] = {
    { 0, "0 bytes" }, { 1, "1 byte" }, { 184, "184 bytes" }, { 999, "999 bytes" },
    { 1000, "1.0 kB" }, { 2732, "2.7 kB" }, { 940584, "940.6 kB" }, { 999949, "999.9 kB" },
    { 999950, "1.0 MB" }, { 1234567, "1.2 MB" }, { 1024000000, "1.0 GB" },
    { G_GUINT64_CONSTANT (1024001024000000), "1.0 PB" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = nns_format_size (cases[i].bytes);
      assert_string_equal (text, cases[i].text);
    }
  assert_int_equal (nns_params_fp32_bytes (683), 2732);
}

static void
test_format_strings (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_default ();
  g_autoptr (NnsNetwork) mnist = from ("784,256,128,10");
  g_autoptr (NnsNetwork) one = from ("1,1");
  g_autofree char *formula = nns_format_layer_formula (network, 1);
  g_autofree char *big_formula = nns_format_layer_formula (mnist, 0);
  g_autofree char *total = nns_format_total (network);
  g_autofree char *mnist_total = nns_format_total (mnist);
  g_autofree char *one_total = nns_format_total (one);
  g_autofree char *hidden = nns_format_neuron (network, 1, 2);
  g_autofree char *output = nns_format_neuron (network, 3, 4);
  g_autofree char *input = nns_format_neuron (network, 0, 0);
  g_autofree char *single = nns_format_neuron (one, 1, 0);

  assert_string_equal (formula, "18 × 20 + 20 = 380");
  assert_string_equal (big_formula, "784 × 256 + 256 = 200,960");
  assert_string_equal (total, "683 parameters · 2.7 kB");
  assert_string_equal (mnist_total, "235,146 parameters · 940.6 kB");
  assert_string_equal (one_total, "2 parameters · 8 bytes");
  assert_string_equal (hidden, "Hidden layer 1, neuron 3 of 18: 10 weights + 1 bias = 11 parameters");
  assert_string_equal (output, "Output layer, neuron 5 of 5: 20 weights + 1 bias = 21 parameters");
  assert_string_equal (input, "Input 1 of 10: no parameters");
  assert_string_equal (single, "Output layer, neuron 1 of 1: 1 weight + 1 bias = 2 parameters");

  nns_network_set_bias (network, 0, FALSE, NULL);
  g_free (hidden);
  hidden = nns_format_neuron (network, 1, 0);
  assert_string_equal (hidden, "Hidden layer 1, neuron 1 of 18: 10 weights, no bias = 10 parameters");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_lesson_numbers),
    cmocka_unit_test (test_neuron),
    cmocka_unit_test (test_bias_off),
    cmocka_unit_test (test_limits_exact),
    cmocka_unit_test (test_format_count),
    cmocka_unit_test (test_format_size),
    cmocka_unit_test (test_format_strings),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}

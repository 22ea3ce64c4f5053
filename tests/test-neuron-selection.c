/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-neuron-selection"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "nns-neuron-selection.h"

static void
count (guint *n)
{
  (*n)++;
}

/* Set, clear and hover: each says so once, only when something changed. */
static void
test_set_and_hover (void **state)
{
  g_autoptr (NnsNeuronSelection) sel = nns_neuron_selection_new ();
  guint changed = 0, hovered = 0, column = 99, neuron = 99;

  g_signal_connect_swapped (sel, "changed", G_CALLBACK (count), &changed);
  g_signal_connect_swapped (sel, "hover-changed", G_CALLBACK (count), &hovered);
  assert_false (nns_neuron_selection_get (sel, NULL, NULL));
  nns_neuron_selection_clear (sel);
  assert_int_equal (changed, 0);

  nns_neuron_selection_set (sel, 2, 7);
  nns_neuron_selection_set (sel, 2, 7);
  assert_int_equal (changed, 1);
  assert_true (nns_neuron_selection_get (sel, &column, &neuron));
  assert_int_equal (column, 2);
  assert_int_equal (neuron, 7);
  assert_true (nns_neuron_selection_peek (sel)->active);
  assert_int_equal (nns_neuron_selection_peek (sel)->neuron, 7);

  nns_neuron_selection_set_hovered (sel, 1, 3);
  nns_neuron_selection_set_hovered (sel, 1, 3);
  assert_int_equal (hovered, 1);
  assert_int_equal (changed, 1);
  assert_true (nns_neuron_selection_get_hovered (sel, &column, &neuron));
  assert_int_equal (column, 1);
  assert_int_equal (neuron, 3);
  /* The selection is its own. */
  assert_true (nns_neuron_selection_get (sel, &column, NULL));
  assert_int_equal (column, 2);

  nns_neuron_selection_clear (sel);
  nns_neuron_selection_clear_hovered (sel);
  assert_int_equal (changed, 2);
  assert_int_equal (hovered, 2);
  assert_false (nns_neuron_selection_get (sel, NULL, NULL));
  assert_false (nns_neuron_selection_get_hovered (sel, NULL, NULL));
  assert_false (nns_neuron_selection_peek (sel)->active);
}

static void
on_changed (NnsNetwork *network, const NnsChange *change, NnsNeuronSelection *sel)
{
  nns_neuron_selection_follow (sel, network, change);
}

/* Edits of the network: the neuron moves with its column or is let go. */
static void
test_follow (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_from_string ("10,18,20,5", NULL);
  g_autoptr (NnsNeuronSelection) sel = nns_neuron_selection_new ();
  guint changed = 0, hovered = 0, column, neuron;

  g_signal_connect_swapped (sel, "changed", G_CALLBACK (count), &changed);
  g_signal_connect_swapped (sel, "hover-changed", G_CALLBACK (count), &hovered);
  g_signal_connect (network, "changed", G_CALLBACK (on_changed), sel);

  nns_neuron_selection_set (sel, 2, 15);
  nns_neuron_selection_set_hovered (sel, 3, 1);
  changed = hovered = 0;

  /* A layer after it: it stays. */
  assert_true (nns_network_insert_layer (network, 2, 8, NULL));
  assert_true (nns_neuron_selection_get (sel, &column, &neuron));
  assert_int_equal (column, 2);
  assert_int_equal (changed, 0);
  /* the hovered output neuron moved one column on */
  assert_true (nns_neuron_selection_get_hovered (sel, &column, NULL));
  assert_int_equal (column, 4);
  assert_int_equal (hovered, 1);

  /* A layer before it: it moves along. */
  assert_true (nns_network_insert_layer (network, 0, 4, NULL));
  assert_true (nns_neuron_selection_get (sel, &column, &neuron));
  assert_int_equal (column, 3);
  assert_int_equal (neuron, 15);
  assert_int_equal (changed, 1);

  /* Narrowing its layer to 16 keeps neuron 15; to 15 lets it go. */
  assert_true (nns_network_set_units (network, 2, 16, NULL));
  assert_true (nns_neuron_selection_get (sel, NULL, NULL));
  assert_true (nns_network_set_units (network, 2, 15, NULL));
  assert_false (nns_neuron_selection_get (sel, NULL, NULL));
  assert_int_equal (changed, 2);

  /* Removing the hovered neuron's layer lets it go. */
  assert_true (nns_neuron_selection_get_hovered (sel, &column, NULL));
  assert_int_equal (column, 5);
  assert_true (nns_network_remove_layer (network, 4, NULL));
  assert_false (nns_neuron_selection_get_hovered (sel, NULL, NULL));

  /* Removing the layer before it moves it back. */
  nns_neuron_selection_set (sel, 3, 2);
  assert_true (nns_network_remove_layer (network, 0, NULL));
  assert_true (nns_neuron_selection_get (sel, &column, &neuron));
  assert_int_equal (column, 2);
  assert_int_equal (neuron, 2);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_set_and_hover),
    cmocka_unit_test (test_follow),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}

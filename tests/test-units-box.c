/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-units-box"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <adwaita.h>

#include "nns-layer-row.h"

/* A layer card's units box: thousands separators shown and accepted; letters
 * keep the old value and mark the box as in error. */
static void
test_units_box (void **state)
{
  g_autoptr (NnsNetwork) network = nns_network_new_from_string ("10,1000000,5", NULL);
  NnsLayerRow *row = nns_layer_row_new (network, 0);
  GtkSpinButton *spin = nns_layer_row_get_spin (row);

  g_object_ref_sink (row);
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (spin)), "1,000,000");

  gtk_editable_set_text (GTK_EDITABLE (spin), "1,000,000abc");
  gtk_spin_button_update (spin);
  assert_int_equal (gtk_spin_button_get_value_as_int (spin), 1000000);
  assert_int_equal (nns_network_get_column_width (network, 1), 1000000);
  assert_true (gtk_widget_has_css_class (GTK_WIDGET (spin), "error"));

  gtk_editable_set_text (GTK_EDITABLE (spin), "2,500");
  gtk_spin_button_update (spin);
  assert_int_equal (gtk_spin_button_get_value_as_int (spin), 2500);
  assert_int_equal (nns_network_get_column_width (network, 1), 2500);
  assert_false (gtk_widget_has_css_class (GTK_WIDGET (spin), "error"));
  assert_string_equal (gtk_editable_get_text (GTK_EDITABLE (spin)), "2,500");

  /* Past the limit: the limit. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "5000000");
  gtk_spin_button_update (spin);
  assert_int_equal (gtk_spin_button_get_value_as_int (spin), 1000000);
  g_object_unref (row);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_units_box),
  };

  gtk_init ();
  adw_init ();
  return cmocka_run_group_tests (tests, NULL, NULL);
}

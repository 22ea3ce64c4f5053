/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export-choices"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <adwaita.h>

#include "nns-export-choices.h"
#include "nns-preferences-window.h"

/* The export file chooser offers theme, background and size, preset from
 * GSettings; what is chosen is stored there and is what the export uses. */
static void
test_choices_remembered (void **state)
{
  g_autoptr (GSettings) settings = nns_settings_new ();
  g_autoptr (GtkFileChooserNative) chooser = NULL;
  GtkFileChooser *fc;
  NnsExportOptions options;
  NnsStyle style;

  assert_non_null (settings);
  chooser = gtk_file_chooser_native_new ("Export", NULL, GTK_FILE_CHOOSER_ACTION_SAVE, NULL, NULL);
  fc = GTK_FILE_CHOOSER (chooser);
  g_settings_set_string (settings, "export-background", "transparent");
  g_settings_set_uint (settings, "export-width", 1234);
  nns_export_choices_add (fc, settings);
  assert_string_equal (gtk_file_chooser_get_choice (fc, "export-theme"), "follow");
  assert_string_equal (gtk_file_chooser_get_choice (fc, "export-background"), "transparent");
  assert_string_equal (gtk_file_chooser_get_choice (fc, "export-size"), "1");

  /* Defaults: the window's theme, its background, the natural size. */
  g_settings_reset (settings, "export-background");
  nns_style_init_default (&style);
  nns_export_choices_apply (settings, TRUE, &style, &options);
  assert_int_equal (style.theme, NNS_THEME_DARK);
  assert_false (options.white || options.transparent);
  assert_int_equal (options.scale, 1);
  assert_true (options.width == 0 && options.height == 0);

  /* Chosen in the dialog: stored, and used (a fresh chooser: GTK 4.8's
   * fallback dialog cannot change its choice from code). */
  g_clear_object (&chooser);
  chooser = gtk_file_chooser_native_new ("Export", NULL, GTK_FILE_CHOOSER_ACTION_SAVE, NULL, NULL);
  fc = GTK_FILE_CHOOSER (chooser);
  g_settings_set_string (settings, "export-theme", "light");
  g_settings_set_string (settings, "export-background", "white");
  g_settings_set_string (settings, "export-size", "4");
  nns_export_choices_add (fc, settings);
  assert_string_equal (gtk_file_chooser_get_choice (fc, "export-theme"), "light");
  assert_string_equal (gtk_file_chooser_get_choice (fc, "export-size"), "4");
  g_settings_reset (settings, "export-theme");
  g_settings_reset (settings, "export-background");
  g_settings_reset (settings, "export-size");
  nns_export_choices_save (fc, settings);
  assert_string_equal (g_settings_get_string (settings, "export-theme"), "light");
  nns_export_choices_apply (settings, TRUE, &style, &options);
  assert_int_equal (style.theme, NNS_THEME_LIGHT);
  assert_true (options.white && !options.transparent);
  assert_int_equal (options.scale, 4);

  g_settings_set_string (settings, "export-size", "width");
  g_settings_set_string (settings, "export-background", "transparent");
  nns_export_choices_apply (settings, FALSE, &style, &options);
  assert_true (options.transparent);
  assert_true (options.width == 1234 && options.height == 0);
  assert_int_equal (options.scale, 1);
  assert_false (options.table);
}

/* The per-layer counts table: a check box preset from export-table, stored
 * back, and what the export's options say. */
static void
test_table_choice (void **state)
{
  g_autoptr (GSettings) settings = nns_settings_new ();
  g_autoptr (GtkFileChooserNative) chooser = NULL;
  GtkFileChooser *fc;
  NnsExportOptions options;
  NnsStyle style;

  assert_non_null (settings);
  nns_style_init_default (&style);
  nns_export_choices_apply (settings, FALSE, &style, &options);
  assert_false (options.table);
  chooser = gtk_file_chooser_native_new ("Export", NULL, GTK_FILE_CHOOSER_ACTION_SAVE, NULL, NULL);
  fc = GTK_FILE_CHOOSER (chooser);
  nns_export_choices_add (fc, settings);
  assert_string_equal (gtk_file_chooser_get_choice (fc, "table"), "false");

  g_clear_object (&chooser);
  chooser = gtk_file_chooser_native_new ("Export", NULL, GTK_FILE_CHOOSER_ACTION_SAVE, NULL, NULL);
  fc = GTK_FILE_CHOOSER (chooser);
  g_settings_set_boolean (settings, "export-table", TRUE);
  nns_export_choices_add (fc, settings);
  assert_string_equal (gtk_file_chooser_get_choice (fc, "table"), "true");
  nns_export_choices_apply (settings, FALSE, &style, &options);
  assert_true (options.table);
  /* What the chooser says is stored. */
  g_settings_reset (settings, "export-table");
  nns_export_choices_save (fc, settings);
  assert_true (g_settings_get_boolean (settings, "export-table"));
  g_settings_reset (settings, "export-table");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_choices_remembered),
    cmocka_unit_test (test_table_choice),
  };

  gtk_init ();
  return cmocka_run_group_tests (tests, NULL, NULL);
}

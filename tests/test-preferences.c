/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-preferences"

/* The preferences window, the about window and the shortcuts window, under Xvfb. Skipped
 * (exit 77) without DISPLAY. With --language=LL it runs in that language from the catalogs
 * built in <build>/po: German is about a third longer than English, so the layout checks
 * then hold for long strings. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "config.h"
#include "nns-preferences-window.h"

static GSettings *settings;
static NnsStyle live_style;   /* kept up to date the way the window does it */
static guint n_live_changes;

static void
settings_changed_cb (GSettings *s, const char *key, gpointer user_data)
{
  if (nns_settings_apply_key (s, key, &live_style))
    n_live_changes++;
}

static void
iterate (void)
{
  for (int i = 0; i < 20 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static gpointer
child (GtkWidget *window, const char *name)
{
  GObject *object = gtk_widget_get_template_child (window, NNS_TYPE_PREFERENCES_WINDOW, name);

  if (object == NULL)
    fail_msg ("no template child %s", name);
  return object;
}

static GtkWidget *
new_window (void)
{
  GtkWidget *window;
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  nns_style_init_default (&live_style);
  n_live_changes = 0;

  window = nns_preferences_window_new (NULL, settings);
  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  return window;
}

static void
test_widgets_show_the_settings (void **state)
{
  GtkWidget *window;

  g_settings_set_double (settings, "node-diameter", 42.5);
  window = new_window ();   /* resets: the window must show the defaults */
  assert_true (gtk_spin_button_get_value (child (window, "node_diameter_spin")) == 24.0);
  assert_true (gtk_spin_button_get_value (child (window, "edge_opacity_spin")) == 0.8);
  assert_true (gtk_switch_get_active (child (window, "show_labels_switch")));
  assert_int_equal (adw_combo_row_get_selected (child (window, "export_theme_row")), 0);

  /* A key changed elsewhere (another window, dconf-editor) shows at once. */
  g_settings_set_double (settings, "node-diameter", 42.5);
  g_settings_set_string (settings, "edge-shape", "bezier");
  g_settings_set_string (settings, "direction", "vertical");
  g_settings_set_uint (settings, "collapse-limit", 100);
  g_settings_set_boolean (settings, "weight-colors", TRUE);
  g_settings_set_string (settings, "node-fill", "#102030");
  assert_true (gtk_spin_button_get_value (child (window, "node_diameter_spin")) == 42.5);
  assert_int_equal (adw_combo_row_get_selected (child (window, "edge_shape_row")), 1);
  assert_int_equal (adw_combo_row_get_selected (child (window, "direction_row")), 1);
  assert_true (gtk_spin_button_get_value (child (window, "collapse_limit_spin")) == 100.0);
  assert_true (adw_expander_row_get_enable_expansion (child (window, "weight_colors_row")));
  assert_true (gtk_switch_get_active (child (window, "node_fill_switch")));
  {
    GdkRGBA rgba;

    gtk_color_chooser_get_rgba (child (window, "node_fill_button"), &rgba);
    assert_true (rgba.red == (float) (16 / 255.0) && rgba.green == (float) (32 / 255.0));
    assert_true (gtk_widget_get_visible (child (window, "node_fill_button")));
    assert_false (gtk_widget_get_visible (child (window, "node_border_button")));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_widgets_apply_live (void **state)
{
  GtkWidget *window = new_window ();
  NnsStyle expected;

  gtk_spin_button_set_value (child (window, "node_diameter_spin"), 30);
  gtk_spin_button_set_value (child (window, "collapse_limit_spin"), 500);
  gtk_switch_set_active (child (window, "arrowheads_switch"), TRUE);
  adw_combo_row_set_selected (child (window, "direction_row"), 1);
  adw_combo_row_set_selected (child (window, "export_theme_row"), 2);
  gtk_switch_set_active (child (window, "show_all_neurons_switch"), TRUE);

  assert_true (g_settings_get_double (settings, "node-diameter") == 30.0);
  assert_true (g_settings_get_uint (settings, "collapse-limit") == 500u);
  assert_true (g_settings_get_boolean (settings, "arrowheads"));
  {
    g_autofree char *direction = g_settings_get_string (settings, "direction");
    g_autofree char *theme = g_settings_get_string (settings, "export-theme");

    assert_string_equal (direction, "vertical");
    assert_string_equal (theme, "dark");
  }
  /* Showing every neuron makes the collapse limit moot. */
  assert_false (gtk_widget_get_sensitive (child (window, "collapse_limit_row")));

  /* The style a window keeps through GSettings::changed followed every step. */
  nns_style_init_default (&expected);
  expected.node_diameter = 30;
  expected.collapse_limit = 500;
  expected.arrowheads = TRUE;
  expected.direction = NNS_DIRECTION_VERTICAL;
  expected.show_all_neurons = TRUE;
  assert_true (nns_style_equal (&live_style, &expected));
  assert_int_equal (n_live_changes, 5);   /* export-theme is no style key */

  /* A custom colour: on stores the button's colour, off follows the theme again. */
  gtk_switch_set_active (child (window, "edge_color_switch"), TRUE);
  {
    g_autofree char *color = g_settings_get_string (settings, "edge-color");
    assert_string_equal (color, "#666666");   /* the default edge colour, 0.4 grey */
    assert_true (live_style.edge_color_set);
  }
  gtk_switch_set_active (child (window, "edge_color_switch"), FALSE);
  {
    g_autofree char *color = g_settings_get_string (settings, "edge-color");
    assert_string_equal (color, "");
    assert_false (live_style.edge_color_set);
  }

  /* Reset puts every style key back, and leaves the export theme alone. */
  g_signal_emit_by_name (child (window, "reset_button"), "clicked");
  nns_style_init_default (&expected);
  assert_true (nns_style_equal (&live_style, &expected));
  {
    g_autofree char *theme = g_settings_get_string (settings, "export-theme");
    assert_string_equal (theme, "dark");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_controls_have_accessible_labels (void **state)
{
  GtkWidget *window = new_window ();
  struct { const char *child; const char *label; } expected[] = {
    { "node_diameter_spin", "Diameter" },
    { "edge_opacity_spin", "Opacity" },
    { "layer_spacing_spin", "Layer Spacing" },
    { "show_labels_switch", "Labels" },
    { "collapse_limit_spin", "Neurons Drawn per Layer" },
    { "node_fill_switch", "Neuron Fill" },
    { "edge_color_button", "Edges" },
    { "reset_button", "Reset Diagram Style" },   /* not just "Reset" */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *problem =
        gtk_test_accessible_check_property (child (window, expected[i].child),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL, _(expected[i].label));
      if (problem != NULL)
        fail_msg ("%s: %s", expected[i].child, problem);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_fits_and_draws (void **state)
{
  GtkWidget *window = new_window ();
  int min_width, nat_width;
  GtkWidget *spin = child (window, "node_diameter_spin");
  graphene_rect_t bounds;

  /* Usable on a small screen: the content fits in 360 px wide (the metainfo promise; the
   * window adds its client-side decoration around it). */
  gtk_widget_measure (gtk_window_get_child (GTK_WINDOW (window)), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_width, &nat_width, NULL, NULL);
  assert_true (min_width > 0);
  if (min_width > 360)
    fail_msg ("the preferences window needs %d px, more than 360", min_width);

  /* Laid out: the suffix spin button sits inside the window with a real size. */
  assert_true (gtk_widget_compute_bounds (spin, window, &bounds));
  assert_true (bounds.size.width >= 40 && bounds.size.height >= 24);
  assert_true (bounds.origin.x + bounds.size.width <= gtk_widget_get_width (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_without_settings (void **state)
{
  GtkWidget *window = nns_preferences_window_new (NULL, NULL);

  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  assert_false (gtk_widget_get_sensitive (child (window, "node_diameter_spin")));
  assert_false (gtk_widget_get_sensitive (child (window, "direction_row")));
  assert_false (gtk_widget_get_sensitive (child (window, "reset_button")));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_about_window (void **state)
{
  GtkWidget *parent = new_window ();
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */
  AdwAboutWindow *about = NULL;

  /* The icon travels in the resources (GtkApplication adds this path by itself), so the
   * About window shows it even when the app is not installed. */
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  gtk_icon_theme_add_resource_path (theme, "/io/github/nnsketch/NnSketch/icons");
  assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  assert_true (gtk_icon_theme_has_icon (theme, APP_ID "-symbolic"));

  nns_show_about_window (GTK_WINDOW (parent));
  iterate ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (toplevels, i);
      if (ADW_IS_ABOUT_WINDOW (item))
        about = ADW_ABOUT_WINDOW (item);
    }
  assert_non_null (about);
  assert_string_equal (adw_about_window_get_version (about), PACKAGE_VERSION);
  assert_string_equal (adw_about_window_get_version (about), "0.1.0");
  assert_string_equal (adw_about_window_get_application_icon (about), APP_ID);
  assert_string_equal (adw_about_window_get_application_name (about), "NN Sketch");
  assert_int_equal (adw_about_window_get_license_type (about), GTK_LICENSE_GPL_3_0);
  assert_string_equal (adw_about_window_get_issue_url (about),
                       "https://github.com/nnsketch/nnsketch/issues");
  assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (parent));
  gtk_window_destroy (GTK_WINDOW (about));
  gtk_window_destroy (GTK_WINDOW (parent));
}

static void
test_shortcuts_window (void **state)
{
  g_autoptr (GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/nnsketch/NnSketch/gtk/help-overlay.ui");
  g_autoptr (GSList) objects = gtk_builder_get_objects (builder);
  g_autoptr (GString) all = g_string_new (" ");
  const char *wanted[] = {
    "<Control>n", "<Control>o", "<Control>s", "<Control><Shift>s", "<Control>e",
    "<Control>z", "<Control><Shift>z", "<Control>plus", "<Control>minus", "<Control>0",
    "Escape", "Left", "Right", "Up", "Down", "<Control>comma", "<Control>question",
    "<Control>q",
  };
  GObject *window = gtk_builder_get_object (builder, "help_overlay");

  assert_true (GTK_IS_SHORTCUTS_WINDOW (window));
  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *accel = NULL;
        g_autofree char *title = NULL;
        g_auto (GStrv) parts = NULL;

        g_object_get (l->data, "accelerator", &accel, "title", &title, NULL);
        assert_true (title != NULL && title[0] != '\0');
        parts = g_strsplit (accel, " ", -1);
        for (guint i = 0; parts[i] != NULL; i++)
          {
            guint key = 0;
            GdkModifierType mods = 0;

            assert_true (gtk_accelerator_parse (parts[i], &key, &mods));
            assert_true (key != 0);
            g_string_append_printf (all, "%s ", parts[i]);
          }
      }
  for (gsize i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      g_autofree char *needle = g_strdup_printf (" %s ", wanted[i]);
      if (strstr (all->str, needle) == NULL)
        fail_msg ("the shortcuts window lacks %s", wanted[i]);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_widgets_show_the_settings),
    cmocka_unit_test (test_widgets_apply_live),
    cmocka_unit_test (test_controls_have_accessible_labels),
    cmocka_unit_test (test_window_fits_and_draws),
    cmocka_unit_test (test_without_settings),
    cmocka_unit_test (test_about_window),
    cmocka_unit_test (test_shortcuts_window),
  };
  int status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("no display: skipped\n");
      return 77;
    }
  if (argc == 2 && g_str_has_prefix (argv[1], "--language="))
    {
      g_autofree char *localedir = g_build_filename (g_getenv ("NNS_BUILD_DIR"), "po", NULL);

      /* LANGUAGE works with LC_ALL=C.UTF-8 (only plain "C" disables it). */
      g_setenv ("LANGUAGE", argv[1] + strlen ("--language="), TRUE);
      bindtextdomain (GETTEXT_PACKAGE, localedir);
    }
  setlocale (LC_ALL, "");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  if (argc == 2 && strcmp (argv[1], "--language=de") == 0 &&
      strcmp (_("Neuron Spacing"), "Neuronenabstand") != 0)
    {
      g_printerr ("the German catalog did not load from <build>/po\n");
      return 1;
    }
  /* GTK's in-process test accessibility backend: labels are checkable, no bus needed. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_init ();
  adw_init ();
  settings = nns_settings_new ();
  if (settings == NULL)
    {
      g_printerr ("the GSettings schema is not compiled in GSETTINGS_SCHEMA_DIR\n");
      return 1;
    }
  g_signal_connect (settings, "changed", G_CALLBACK (settings_changed_cb), NULL);
  status = cmocka_run_group_tests (tests, NULL, NULL);
  g_clear_object (&settings);
  return status;
}

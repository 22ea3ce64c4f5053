/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-settings"

/* GSettings <-> NnsStyle without a display: the schema's defaults, round trips, one key at a
 * time. Runs with GSETTINGS_BACKEND=memory and GSETTINGS_SCHEMA_DIR=<build>/data. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib/gstdio.h>
#include <string.h>

#include "nns-settings.h"

/* Keys that are not part of the diagram's style. */
static const char *const other_keys[] = {
  "window-width", "window-height", "window-maximized",
  "last-export-folder", "last-export-format", "export-theme",
  "export-background", "export-size", "export-width",
  "export-table", "capacity-panel-visible", "capacity-dtype", "capacity-optimizer",
  "capacity-batch-size",
};

/* Written independently of the implementation's table: copies the one field that key maps to. */
static gboolean
copy_field (NnsStyle *to, const char *key, const NnsStyle *from)
{
#define COPY(name, field) \
  if (strcmp (key, name) == 0) { to->field = from->field; return TRUE; }
#define COPY_COLOR(name, field) \
  if (strcmp (key, name) == 0) { to->field = from->field; to->field##_set = from->field##_set; return TRUE; }
  COPY ("node-diameter", node_diameter)
  COPY ("node-border-width", node_border_width)
  COPY_COLOR ("node-fill", node_fill)
  COPY_COLOR ("node-border", node_border)
  COPY_COLOR ("edge-color", edge_color)
  COPY ("edge-width", edge_width)
  COPY ("edge-opacity", edge_opacity)
  COPY ("layer-spacing", layer_spacing)
  COPY ("node-spacing", node_spacing)
  COPY ("direction", direction)
  COPY ("show-labels", show_labels)
  COPY ("show-titles", show_titles)
  COPY ("show-widths", show_widths)
  COPY ("show-activations", show_activations)
  COPY ("show-params", show_params)
  COPY ("show-total", show_total)
  COPY ("edge-shape", edge_shape)
  COPY ("arrowheads", arrowheads)
  COPY ("show-bias-nodes", show_bias_nodes)
  COPY ("weight-colors", weight_colors)
  COPY ("weight-threshold", weight_threshold)
  COPY ("layer-colors", layer_colors)
  COPY ("collapse-limit", collapse_limit)
  COPY ("show-all-neurons", show_all_neurons)
#undef COPY
#undef COPY_COLOR
  return FALSE;
}

/* Every field away from its default; colours are k/255 so "#rrggbbaa" holds them exactly. */
static void
odd_style (NnsStyle *s)
{
  nns_style_init_default (s);
  s->node_diameter = 37.25;
  s->node_border_width = 0.125;
  s->node_fill_set = TRUE;
  s->node_fill = (NnsColor) { 16 / 255.0, 32 / 255.0, 48 / 255.0, 1.0 };
  s->node_border_set = TRUE;
  s->node_border = (NnsColor) { 1.0, 0.0, 128 / 255.0, 64 / 255.0 };
  s->edge_color_set = TRUE;
  s->edge_color = (NnsColor) { 0.0, 1.0, 0.0, 1.0 };
  s->edge_width = 3.5;
  s->edge_opacity = 0.3;
  s->layer_spacing = 321.5;
  s->node_spacing = 0.0;
  s->direction = NNS_DIRECTION_VERTICAL;
  s->show_labels = FALSE;
  s->show_titles = FALSE;
  s->show_widths = FALSE;
  s->show_activations = FALSE;
  s->show_params = FALSE;
  s->show_total = FALSE;
  s->edge_shape = NNS_EDGE_BEZIER;
  s->arrowheads = TRUE;
  s->show_bias_nodes = TRUE;
  s->weight_colors = TRUE;
  s->weight_threshold = 0.375;
  s->layer_colors = TRUE;
  s->collapse_limit = 1024;
  s->show_all_neurons = TRUE;
}

static GSettings *
fresh_settings (void)
{
  GSettings *settings = nns_settings_new ();
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  assert_non_null (settings);
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  return settings;
}

static void
test_defaults_equal_style_defaults (void **state)
{
  g_autoptr (GSettings) settings = fresh_settings ();
  NnsStyle expected, style;

  nns_style_init_default (&expected);
  odd_style (&style);
  style.theme = expected.theme;   /* theme is not a key */
  nns_settings_get_style (settings, &style);
  assert_true (nns_style_equal (&style, &expected));
  assert_false (style.node_fill_set);
  assert_int_equal (style.collapse_limit, 20);
  assert_true (style.node_diameter == 24.0);

  assert_int_equal (g_settings_get_int (settings, "window-width"), 1200);
  assert_int_equal (g_settings_get_int (settings, "window-height"), 800);
  assert_false (g_settings_get_boolean (settings, "window-maximized"));
  {
    g_autofree char *format = g_settings_get_string (settings, "last-export-format");
    g_autofree char *theme = g_settings_get_string (settings, "export-theme");
    assert_string_equal (format, "png");
    assert_string_equal (theme, "follow");
  }
}

static void
test_round_trip (void **state)
{
  g_autoptr (GSettings) settings = fresh_settings ();
  NnsStyle odd, back;
  g_autofree char *fill = NULL;
  g_autofree char *border = NULL;

  odd_style (&odd);
  nns_settings_set_style (settings, &odd);
  nns_style_init_default (&back);
  nns_settings_get_style (settings, &back);
  assert_true (nns_style_equal (&back, &odd));
  assert_int_equal (back.collapse_limit, 1024);

  fill = g_settings_get_string (settings, "node-fill");
  border = g_settings_get_string (settings, "node-border");
  assert_string_equal (fill, "#102030");
  assert_string_equal (border, "#ff008040");
  assert_true (g_settings_get_double (settings, "layer-spacing") == 321.5);

  /* And back to the defaults: colours follow the theme again. */
  nns_style_init_default (&odd);
  nns_settings_set_style (settings, &odd);
  g_free (fill);
  fill = g_settings_get_string (settings, "node-fill");
  assert_string_equal (fill, "");
  nns_settings_get_style (settings, &back);
  assert_true (nns_style_equal (&back, &odd));
}

static void
count_changed_cb (GSettings *settings, const char *key, gpointer user_data)
{
  (*(int *) user_data)++;
}

static void
test_set_style_clamps_and_writes_only_changes (void **state)
{
  g_autoptr (GSettings) settings = fresh_settings ();
  NnsStyle style;
  int changes = 0;

  nns_style_init_default (&style);
  g_signal_connect (settings, "changed", G_CALLBACK (count_changed_cb), &changes);
  nns_settings_set_style (settings, &style);
  assert_int_equal (changes, 0);

  /* Out of the schema's ranges: stored clamped, not refused (a refusal is a g_critical,
   * fatal under G_DEBUG=fatal-warnings). */
  style.node_diameter = 1e9;
  style.edge_opacity = -3;
  style.collapse_limit = 2;
  nns_settings_set_style (settings, &style);
  assert_int_equal (changes, 3);
  assert_true (g_settings_get_double (settings, "node-diameter") == 200.0);
  assert_true (g_settings_get_double (settings, "edge-opacity") == 0.0);
  assert_int_equal (g_settings_get_uint (settings, "collapse-limit"), 4);
}

static void
test_apply_key_changes_only_its_field (void **state)
{
  g_autoptr (GSettings) settings = fresh_settings ();
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;
  NnsStyle defaults, odd;
  guint n_style_keys = 0;

  nns_style_init_default (&defaults);
  odd_style (&odd);
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      NnsStyle style = odd, expected = odd, before = odd;
      gboolean other = FALSE;

      for (gsize j = 0; j < G_N_ELEMENTS (other_keys); j++)
        other |= strcmp (keys[i], other_keys[j]) == 0;
      if (other)
        {
          /* Not a style key: FALSE, and the style is untouched to the byte. */
          assert_false (nns_settings_apply_key (settings, keys[i], &style));
          assert_memory_equal (&style, &before, sizeof style);
          continue;
        }

      /* settings hold the defaults: applying one key to the odd style puts back exactly
       * that field's default and leaves the rest odd. */
      assert_true (copy_field (&expected, keys[i], &defaults));
      assert_false (nns_style_equal (&expected, &odd));
      assert_true (nns_settings_apply_key (settings, keys[i], &style));
      if (!nns_style_equal (&style, &expected))
        fail_msg ("apply_key (%s) changed more or less than its field", keys[i]);
      n_style_keys++;
    }
  /* Every NnsStyle field but theme has a key. */
  assert_int_equal (n_style_keys, 24);
  assert_int_equal (g_strv_length (keys), 24 + G_N_ELEMENTS (other_keys));
  assert_false (nns_settings_apply_key (settings, "no-such-key", &odd));
}

static void
test_bad_colour_follows_theme (void **state)
{
  g_autoptr (GSettings) settings = fresh_settings ();
  NnsStyle style;

  odd_style (&style);
  g_settings_set_string (settings, "edge-color", "teal");
  assert_true (nns_settings_apply_key (settings, "edge-color", &style));
  assert_false (style.edge_color_set);

  g_settings_set_string (settings, "edge-color", "#0000ff80");
  assert_true (nns_settings_apply_key (settings, "edge-color", &style));
  assert_true (style.edge_color_set);
  assert_true (style.edge_color.blue == 1.0 && style.edge_color.red == 0.0);
  assert_true (style.edge_color.alpha == 128 / 255.0);
}

/* The compiled schema agrees with the style table: every style key is an option's, with the
 * option's type, default, range and choices. The table is the one place they are written;
 * this holds the schema to it. */
static void
test_schema_matches_table (void **state)
{
  g_autoptr (GSettings) settings = fresh_settings ();
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;
  const NnsStyleOption *options;
  guint n_options, n_keyed = 0;

  g_object_get (settings, "settings-schema", &schema, NULL);
  options = nns_style_get_options (&n_options);
  for (guint i = 0; i < n_options; i++)
    {
      const NnsStyleOption *o = &options[i];
      g_autoptr (GSettingsSchemaKey) key = NULL;
      g_autoptr (GVariant) value = NULL;
      g_autoptr (GVariant) range = NULL;
      const char *range_type;
      GVariant *range_value;

      if (o->settings_key == NULL)
        continue;
      n_keyed++;
      if (!g_settings_schema_has_key (schema, o->settings_key))
        fail_msg ("%s: no key %s in the schema", o->name, o->settings_key);
      key = g_settings_schema_get_key (schema, o->settings_key);
      value = g_settings_schema_key_get_default_value (key);
      range = g_settings_schema_key_get_range (key);
      g_variant_get (range, "(&sv)", &range_type, &range_value);

      switch (o->type)
        {
        case NNS_STYLE_DOUBLE:
          assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE));
          if (g_variant_get_double (value) != o->default_value)
            fail_msg ("%s: schema default %g, table %g", o->settings_key,
                      g_variant_get_double (value), o->default_value);
          assert_string_equal (range_type, "range");
          {
            double lo, hi;

            g_variant_get (range_value, "(dd)", &lo, &hi);
            if (lo != o->min || hi != o->max)
              fail_msg ("%s: schema range %g … %g, table %g … %g", o->settings_key, lo, hi,
                        o->min, o->max);
          }
          break;
        case NNS_STYLE_UINT:
          assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32));
          assert_true (g_variant_get_uint32 (value) == (guint32) o->default_value);
          if (g_str_equal (range_type, "range"))
            {
              guint32 lo, hi;

              g_variant_get (range_value, "(uu)", &lo, &hi);
              if (lo != o->min || hi != o->max)
                fail_msg ("%s: schema range %u … %u, table %g … %g", o->settings_key, lo, hi,
                          o->min, o->max);
            }
          else
            {
              /* No range in the schema: the table takes every 32-bit value too. */
              assert_string_equal (range_type, "type");
              assert_true (o->min == 0 && o->max == G_MAXUINT32);
            }
          break;
        case NNS_STYLE_BOOL:
          assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN));
          assert_int_equal (g_variant_get_boolean (value), o->default_value != 0);
          break;
        case NNS_STYLE_COLOR:
          /* Colours default to "" (follow the theme). */
          assert_string_equal (g_variant_get_string (value, NULL), "");
          break;
        case NNS_STYLE_ENUM:
          assert_string_equal (g_variant_get_string (value, NULL),
                               o->ids[(int) o->default_value]);
          assert_string_equal (range_type, "enum");
          {
            g_autofree const char **choices = g_variant_get_strv (range_value, NULL);

            assert_int_equal (g_strv_length ((char **) choices),
                              g_strv_length ((char **) o->ids));
            for (guint j = 0; choices[j] != NULL; j++)
              assert_string_equal (choices[j], o->ids[j]);
          }
          break;
        default:
          fail ();
        }
      g_variant_unref (range_value);
    }

  /* And the other way: every key is an option's or one of the few that are not style. */
  keys = g_settings_schema_list_keys (schema);
  assert_int_equal (g_strv_length (keys), n_keyed + G_N_ELEMENTS (other_keys));
}

static void
test_missing_schema_gives_null (void **state)
{
  /* The schema source is read once per process, so look in an empty folder from a child. */
  g_autofree char *dir = g_dir_make_tmp ("nns-noschema-XXXXXX", NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_auto (GStrv) env = g_get_environ ();
  const char *argv[] = { self, "--no-schema-child", NULL };
  int status = -1;

  assert_non_null (dir);
  env = g_environ_setenv (env, "GSETTINGS_SCHEMA_DIR", dir, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_DIRS", dir, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", dir, TRUE);
  assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                             &status, NULL));
  assert_true (g_spawn_check_wait_status (status, NULL));
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_defaults_equal_style_defaults),
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_set_style_clamps_and_writes_only_changes),
    cmocka_unit_test (test_apply_key_changes_only_its_field),
    cmocka_unit_test (test_bad_colour_follows_theme),
    cmocka_unit_test (test_schema_matches_table),
    cmocka_unit_test (test_missing_schema_gives_null),
  };

  if (argc == 2 && strcmp (argv[1], "--no-schema-child") == 0)
    return nns_settings_new () == NULL ? 0 : 1;

  return cmocka_run_group_tests (tests, NULL, NULL);
}

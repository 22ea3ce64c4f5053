/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The capacity panel in the window: shown by win.show-capacity, it pins a
 * reference, follows a slider drag live with the difference text, keeps its
 * choices in GSettings and fits 360 px (also in German: --language=de).
 * With NNS_CAPACITY_SHOT_DIR set it also saves the panel, light and dark, as
 * PNGs there (to look at; nothing is compared). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "nns-canvas.h"
#include "nns-capacity-panel.h"
#include "nns-layer-row.h"
#include "nns-params.h"
#include "nns-preferences-window.h"
#include "nns-window-testing.h"

static gboolean german;   /* --language=de */

static void
pump (void)
{
  for (int i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
wait_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while ((!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  pump ();
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static NnsWindow *
mnist_window (NnsNetwork **network)
{
  NnsStyle style;
  NnsWindow *window;

  nns_style_init_default (&style);
  *network = nns_network_new_from_string ("784,256,128,10", NULL);
  window = nns_window_new (NULL, *network, &style);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_mapped (GTK_WIDGET (nns_window_get_canvas (window)));
  return window;
}

static void
save_shot (GtkWidget *window, GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("NNS_CAPACITY_SHOT_DIR");
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window),
                          gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, NULL);
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
  (void) widget;
}

static void
test_pin_and_drag (void **state)
{
  g_autoptr (NnsNetwork) network = NULL;
  NnsWindow *window = mnist_window (&network);
  NnsCapacityPanel *panel = NNS_CAPACITY_PANEL (find_type (GTK_WIDGET (window),
                                                           NNS_TYPE_CAPACITY_PANEL));
  NnsCanvas *canvas = nns_window_get_canvas (window);
  GtkWidget *pin;
  GtkAdjustment *adjustment;
  guint updates, renders;
  const char *text;

  assert_non_null (panel);
  /* Hidden by default: it does no work while the slider moves. */
  assert_false (gtk_widget_get_mapped (GTK_WIDGET (panel)));
  assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-capacity", NULL));
  wait_mapped (GTK_WIDGET (panel));
  assert_true (g_settings_get_boolean (nns_window_get_settings (window), "capacity-panel-visible"));

  pin = find_button (GTK_WIDGET (panel), _("_Pin as Reference"));
  assert_non_null (pin);
  assert_null (nns_capacity_panel_get_difference_text (panel));
  renders = nns_canvas_get_n_renders (canvas);
  g_signal_emit_by_name (pin, "clicked");
  pump ();
  assert_string_equal (nns_capacity_panel_get_difference_text (panel), _("Same size as the reference"));
  /* The canvas draws again, now with the ghost. */
  {
    gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

    while (nns_canvas_get_n_renders (canvas) == renders && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  assert_true (nns_canvas_get_n_renders (canvas) > renders);

  /* Drag hidden layer 2's (logarithmic) slider 128 → 160 through the row's adjustment: the
   * difference follows every step, not only the end of the drag. */
  adjustment = gtk_range_get_adjustment (nns_layer_row_get_scale (nns_window_get_layer_row (window, 1)));
  updates = nns_capacity_panel_get_n_updates (panel);
  for (int units = 132; units <= 160; units += 4)
    {
      gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
      guint before = nns_capacity_panel_get_n_updates (panel);

      gtk_adjustment_set_value (adjustment, nns_layer_row_units_to_slider (units));
      assert_int_equal (nns_network_get_layer (network, 1)->units, units);
      /* the next frame shows it */
      while (nns_capacity_panel_get_n_updates (panel) == before && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      assert_true (nns_capacity_panel_get_n_updates (panel) > before);
      /* +(units − 128)·(256 + 1 + 10) parameters */
      {
        g_autofree char *count = nns_format_count ((units - 128) * 267);

        assert_non_null (strstr (nns_capacity_panel_get_difference_text (panel), count));
      }
    }
  assert_true (nns_capacity_panel_get_n_updates (panel) >= updates + 8);
  text = nns_capacity_panel_get_difference_text (panel);
  /* +32·(256 + 1) + 10·32 = +8,544 parameters, +3.6 % of 235,146; at fp32,
   * Adam, batch 32: 4 · 8,544 · 4 + 32 · 32 · 4 = 140,800 bytes. */
  assert_string_equal (text, german ? "+8,544 Parameter, +3.6 %; Trainingsspeicher +140.8 kB"
                              : "+8,544 parameters, +3.6 %; training memory +140.8 kB");
  save_shot (GTK_WIDGET (window), NULL, "capacity-window.png");
  if (g_getenv ("NNS_CAPACITY_SHOT_DIR") != NULL)
    {
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          ADW_COLOR_SCHEME_FORCE_DARK);
      {
        gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

        while (g_get_monotonic_time () < until)
          if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (5000);
      }
      save_shot (GTK_WIDGET (window), NULL, "capacity-window-dark.png");
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          ADW_COLOR_SCHEME_DEFAULT);
    }

  /* A fast drag, a step every 16 ms: the figures follow it (more than once)
   * but at most every 100 ms, and the last step shows. The canvas is hidden
   * meanwhile so that frames come fast on a slow machine too. */
  gtk_widget_set_visible (GTK_WIDGET (canvas), FALSE);
  {
    guint before = nns_capacity_panel_get_n_updates (panel), seen = before, steps = 0;
    gint64 deadline, start = g_get_monotonic_time (), elapsed;

    for (int units = 132; steps < 30; units = units >= 160 ? 132 : units + 4, steps++)
      {
        gint64 until = g_get_monotonic_time () + 16000;

        gtk_adjustment_set_value (adjustment, nns_layer_row_units_to_slider (steps == 29 ? 148 : units));
        while (g_get_monotonic_time () < until)
          {
            if (!g_main_context_iteration (NULL, FALSE))
              g_usleep (500);
          }
      }
    /* Counted, not timed between updates (a slow loop would notice one
     * late): over the drag's time the panel may update once per 100 ms,
     * plus the first and the last step; one update a step is far more. */
    elapsed = g_get_monotonic_time () - start;
    seen = nns_capacity_panel_get_n_updates (panel);
    assert_true (seen - before >= 2);
    if (seen - before > elapsed / 100000 + 2)
      fail_msg ("%u panel updates in a %.0f ms drag of 30 steps", seen - before,
                elapsed / 1000.0);
    deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
    {
      g_autofree char *count = nns_format_count (20 * 267);

      while (strstr (nns_capacity_panel_get_difference_text (panel), count) == NULL
             && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      assert_non_null (strstr (nns_capacity_panel_get_difference_text (panel), count));
    }
  }
  gtk_widget_set_visible (GTK_WIDGET (canvas), TRUE);

  /* Back to where it was: no difference. */
  updates = nns_capacity_panel_get_n_updates (panel);
  gtk_adjustment_set_value (adjustment, nns_layer_row_units_to_slider (128));
  while (nns_capacity_panel_get_n_updates (panel) == updates)
    g_main_context_iteration (NULL, TRUE);
  assert_string_equal (nns_capacity_panel_get_difference_text (panel), _("Same size as the reference"));
  gtk_window_destroy (GTK_WINDOW (window));
  pump ();
}

static void
test_settings_kept (void **state)
{
  g_autoptr (GSettings) settings = nns_settings_new ();
  g_autoptr (NnsNetwork) network = nns_network_new_from_string ("8,4,2", NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = nns_capacity_panel_new ();
  NnsMemorySpec spec;

  nns_capacity_panel_set_network (NNS_CAPACITY_PANEL (panel), network);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  wait_mapped (panel);
  g_settings_set_string (settings, "capacity-dtype", "bf16");
  g_settings_set_string (settings, "capacity-optimizer", "momentum");
  g_settings_set_uint (settings, "capacity-batch-size", 64);
  pump ();
  nns_capacity_panel_get_spec (NNS_CAPACITY_PANEL (panel), &spec);
  assert_int_equal (spec.dtype, NNS_DTYPE_BF16);
  assert_int_equal (spec.optimizer, NNS_OPTIMIZER_MOMENTUM);
  assert_int_equal (spec.batch, 64);
  gtk_window_destroy (GTK_WINDOW (window));

  /* A new panel starts from what was chosen. */
  panel = nns_capacity_panel_new ();
  g_object_ref_sink (panel);
  nns_capacity_panel_get_spec (NNS_CAPACITY_PANEL (panel), &spec);
  assert_int_equal (spec.dtype, NNS_DTYPE_BF16);
  assert_int_equal (spec.batch, 64);
  g_object_unref (panel);
  g_settings_reset (settings, "capacity-dtype");
  g_settings_reset (settings, "capacity-optimizer");
  g_settings_reset (settings, "capacity-batch-size");
  pump ();
}

static void
test_fits_360 (void **state)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autoptr (NnsNetwork) network = nns_network_new_from_string ("784,256,128,10", NULL);
  g_autoptr (NnsNetwork) wider = nns_network_new_from_string ("784,256,160,10", NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = nns_capacity_panel_new ();
  int min_width = 0, nat_width = 0;

  nns_capacity_panel_set_network (NNS_CAPACITY_PANEL (panel), wider);
  nns_reference_pin (nns_capacity_panel_get_reference (NNS_CAPACITY_PANEL (panel)), network);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 1180);
  gtk_window_present (GTK_WINDOW (window));
  wait_mapped (panel);

  gtk_widget_measure (panel, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
  if (min_width > 360)
    fail_msg ("the capacity panel needs %d px, more than 360", min_width);
  /* Laid out at 360 px, nothing sticks out: every widget ends inside the panel. */
  assert_true (gtk_widget_get_width (panel) <= 372);
  assert_non_null (nns_capacity_panel_get_difference_text (NNS_CAPACITY_PANEL (panel)));
  assert_non_null (strstr (nns_capacity_panel_get_difference_text (NNS_CAPACITY_PANEL (panel)),
                           "8,544"));

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  pump ();
  save_shot (window, panel, german ? "capacity-panel-light-de.png" : "capacity-panel-light.png");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  pump ();
  save_shot (window, panel, german ? "capacity-panel-dark-de.png" : "capacity-panel-dark.png");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
  pump ();
}

int
main (int argc, char *argv[])
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_pin_and_drag),
    cmocka_unit_test (test_settings_kept),
    cmocka_unit_test (test_fits_360),
  };

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("no display: skipped\n");
      return 77;
    }
  if (argc == 2 && g_str_has_prefix (argv[1], "--language="))
    {
      g_autofree char *localedir = g_build_filename (g_getenv ("NNS_BUILD_DIR"), "po", NULL);

      g_setenv ("LANGUAGE", argv[1] + strlen ("--language="), TRUE);
      bindtextdomain (GETTEXT_PACKAGE, localedir);
    }
  setlocale (LC_ALL, "");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (argc == 2 && strcmp (argv[1], "--language=de") == 0 &&
      strcmp (_("_Pin as Reference"), "_Pin as Reference") == 0)
    {
      g_printerr ("the German catalog did not load from <build>/po\n");
      return 1;
    }
  german = argc == 2 && strcmp (argv[1], "--language=de") == 0;
  gtk_init ();
  adw_init ();
  return cmocka_run_group_tests (tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-canvas"

/* The canvas alone in a window (GUI; skipped without a display): readable
 * labels at fit on big networks, clicks through the view transform, the
 * cached drawing, keyboard and accessible description. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <gtk/gtk.h>

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "nns-canvas.h"
#include "nns-params.h"

#define WIDTH  1000
#define HEIGHT 700

typedef struct
{
  NnsNetwork *network;
  GtkWidget  *window;
  NnsCanvas  *canvas;
} Fixture;

static void
pump (void)
{
  for (int i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
count_changes (gpointer user_data)
{
  (*(int *) user_data)++;
}

static Fixture *
fixture_new (const guint *widths, guint n, gboolean show_all)
{
  Fixture *f = g_new0 (Fixture, 1);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  NnsStyle style;

  nns_style_init_default (&style);
  style.show_all_neurons = show_all;
  f->network = nns_network_new (widths, n, NULL);
  f->canvas = NNS_CANVAS (nns_canvas_new ());
  nns_canvas_set_style (f->canvas, &style);
  nns_canvas_set_network (f->canvas, f->network);
  gtk_widget_set_size_request (GTK_WIDGET (f->canvas), WIDTH, HEIGHT);
  f->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->canvas));
  gtk_window_present (GTK_WINDOW (f->window));
  while ((!gtk_widget_get_mapped (GTK_WIDGET (f->canvas))
          || gtk_widget_get_width (GTK_WIDGET (f->canvas)) != WIDTH)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  pump ();
  assert_int_equal (gtk_widget_get_width (GTK_WIDGET (f->canvas)), WIDTH);
  assert_int_equal (gtk_widget_get_height (GTK_WIDGET (f->canvas)), HEIGHT);
  return f;
}

static void
fixture_free (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  pump ();
  g_object_unref (f->network);
  g_free (f);
}

static const guint mnist[] = { 784, 256, 128, 10 };
static const guint lesson[] = { 10, 18, 20, 5 };

/* The canvas's own snapshot, as the frame would take it. */
static GskRenderNode *
snapshot_node (NnsCanvas *canvas)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (GTK_WIDGET (canvas), snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

/* At fit, the canvas shows the one layout exports write (its natural size,
 * whatever the canvas's), scaled by its fit scale: the labels keep their
 * share of the drawing, as in the file. */
static void
test_fit_labels (void **state)
{
  Fixture *f = fixture_new (mnist, G_N_ELEMENTS (mnist), TRUE);
  const NnsLayout *layout = nns_canvas_get_layout (f->canvas);
  double zoom = nns_canvas_get_zoom (f->canvas);
  guint n = nns_layout_get_n_labels (layout);
  double x0, y0, x1, y1;

  assert_true (nns_canvas_get_fit (f->canvas));
  {
    g_autoptr (NnsLayout) natural = nns_layout_new (nns_canvas_get_network (f->canvas),
                                                    nns_canvas_get_style (f->canvas), 0, 0);
    assert_float_equal (nns_layout_get_width (layout), nns_layout_get_width (natural), 1e-9);
    assert_float_equal (nns_layout_get_height (layout), nns_layout_get_height (natural), 1e-9);
  }
  assert_float_equal (zoom, nns_layout_get_fit_scale (layout), 1e-12);
  assert_true (n >= 4);
  for (guint i = 0; i < n; i++)
    {
      NnsLabel label;

      nns_layout_get_label (layout, i, &label);
      /* On screen: the file's size at the view's scale. */
      assert_float_equal (label.font_size, nns_layout_get_text_scale (layout)
                                             * (label.kind == NNS_LABEL_PARAMS ? 11 : 13), 1e-9);
      /* And inside the canvas. */
      nns_canvas_layout_to_widget (f->canvas, label.left, label.top, &x0, &y0);
      nns_canvas_layout_to_widget (f->canvas, label.left + label.width, label.top + label.height,
                                   &x1, &y1);
      assert_true (x0 >= 0 && y0 >= 0 && x1 <= WIDTH && y1 <= HEIGHT);
    }
  /* The drawing fills the box (less the padding) in one direction. */
  {
    double w = nns_layout_get_width (layout) * zoom, h = nns_layout_get_height (layout) * zoom;

    assert_true (w <= WIDTH - 48 + 1e-6 && h <= HEIGHT - 48 + 1e-6);
    assert_true (w > WIDTH - 49 || h > HEIGHT - 49);
  }
  fixture_free (f);
}

static void
click_node (Fixture *f, guint column, guint neuron)
{
  const NnsLayout *layout = nns_canvas_get_layout (f->canvas);
  NnsNode node;
  double x, y;
  guint c, k;

  assert_true (nns_layout_get_node (layout, column, neuron, &node));
  nns_canvas_layout_to_widget (f->canvas, node.x, node.y, &x, &y);
  assert_true (x > 0 && x < WIDTH && y > 0 && y < HEIGHT);
  assert_true (nns_canvas_click_at (f->canvas, x, y));
  assert_true (nns_canvas_get_selection (f->canvas, &c, &k));
  assert_int_equal (c, column);
  assert_int_equal (k, neuron);
}

/* A neuron's centre, taken from the layout through the view transform,
 * selects it at fit and after zooming in around another point. */
static void
test_click (void **state)
{
  Fixture *f = fixture_new (mnist, G_N_ELEMENTS (mnist), TRUE);
  double fit_zoom = nns_canvas_get_zoom (f->canvas);

  click_node (f, 3, 7);
  click_node (f, 1, 200);
  {
    const NnsLayout *layout = nns_canvas_get_layout (f->canvas);
    NnsNode node;
    double x, y, lx, ly;
    guint c, k;

    /* Zoom in around a point near hidden neuron 128: it and its neighbours,
     * 0.8 px apart at fit, are now far enough apart to hit. */
    nns_layout_get_node (layout, 1, 128, &node);
    nns_canvas_layout_to_widget (f->canvas, node.x, node.y, &x, &y);
    nns_canvas_zoom_at (f->canvas, 4.0, x + 20, y - 10);
    assert_false (nns_canvas_get_fit (f->canvas));
    assert_float_equal (nns_canvas_get_zoom (f->canvas), 4 * fit_zoom, 1e-9);
    /* Zooming keeps the point under the pointer still. */
    nns_canvas_widget_to_layout (f->canvas, x + 20, y - 10, &lx, &ly);
    nns_canvas_layout_to_widget (f->canvas, lx, ly, &lx, &ly);
    assert_float_equal (lx, x + 20, 1e-6);
    assert_float_equal (ly, y - 10, 1e-6);
    /* Zooming does not lay out again. */
    assert_ptr_equal (nns_canvas_get_layout (f->canvas), layout);
    click_node (f, 1, 128);
    click_node (f, 1, 127);
    click_node (f, 1, 129);
    /* Whatever lies under (300, 200) now: the hit test and the layout agree. */
    nns_canvas_widget_to_layout (f->canvas, 300, 200, &lx, &ly);
    if (nns_layout_hit_test (layout, lx, ly, &c, &k))
      click_node (f, c, k);
  }
  /* Empty space clears. */
  assert_false (nns_canvas_click_at (f->canvas, 2, 2));
  assert_false (nns_canvas_get_selection (f->canvas, NULL, NULL));
  nns_canvas_zoom_fit (f->canvas);
  assert_float_equal (nns_canvas_get_zoom (f->canvas), fit_zoom, 1e-12);
  click_node (f, 0, 0);
  fixture_free (f);
}

/* The drawing is rendered once and reused while nothing changes; a model,
 * selection or view change drops it. */
static void
test_cache (void **state)
{
  Fixture *f = fixture_new (lesson, G_N_ELEMENTS (lesson), FALSE);
  g_autoptr (GskRenderNode) first = snapshot_node (f->canvas);
  g_autoptr (GskRenderNode) second = NULL;
  g_autoptr (GskRenderNode) third = NULL;
  guint renders = nns_canvas_get_n_renders (f->canvas);

  assert_true (renders >= 1);
  second = snapshot_node (f->canvas);
  /* Hover and tooltips do not redraw it. */
  g_free (nns_canvas_dup_tooltip_at (f->canvas, 400, 300));
  g_clear_pointer (&second, gsk_render_node_unref);
  second = snapshot_node (f->canvas);
  assert_int_equal (nns_canvas_get_n_renders (f->canvas), renders);
  assert_true (gsk_render_node_get_node_type (first) == gsk_render_node_get_node_type (second));

  /* A model change renders anew, once. */
  assert_true (nns_network_set_units (f->network, 0, 7, NULL));
  third = snapshot_node (f->canvas);
  assert_int_equal (nns_canvas_get_n_renders (f->canvas), renders + 1);
  g_clear_pointer (&third, gsk_render_node_unref);
  third = snapshot_node (f->canvas);
  assert_int_equal (nns_canvas_get_n_renders (f->canvas), renders + 1);

  /* So do a selection and a pan. */
  nns_canvas_select (f->canvas, 1, 2);
  g_clear_pointer (&third, gsk_render_node_unref);
  third = snapshot_node (f->canvas);
  assert_int_equal (nns_canvas_get_n_renders (f->canvas), renders + 2);
  nns_canvas_pan (f->canvas, 10, 0);
  g_clear_pointer (&third, gsk_render_node_unref);
  third = snapshot_node (f->canvas);
  assert_int_equal (nns_canvas_get_n_renders (f->canvas), renders + 3);
  fixture_free (f);
}

/* The cached picture is the drawing: pixels differ after a model change. */
static void
test_cache_pixels (void **state)
{
  Fixture *f = fixture_new (lesson, G_N_ELEMENTS (lesson), FALSE);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (f->window));
  g_autoptr (GskRenderNode) a = snapshot_node (f->canvas);
  g_autoptr (GskRenderNode) b = NULL;
  g_autoptr (GdkTexture) ta = NULL, tb = NULL;
  g_autofree guchar *pa = g_malloc (WIDTH * HEIGHT * 4);
  g_autofree guchar *pb = g_malloc (WIDTH * HEIGHT * 4);
  graphene_rect_t viewport = GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT);
  gsize differ = 0, inked = 0;

  ta = gsk_renderer_render_texture (renderer, a, &viewport);
  gdk_texture_download (ta, pa, WIDTH * 4);
  for (gsize i = 3; i < (gsize) WIDTH * HEIGHT * 4; i += 4)
    inked += pa[i] > 0;
  /* Something is drawn, not everything. */
  assert_true (inked > WIDTH * HEIGHT / 100);
  assert_true (inked < WIDTH * HEIGHT / 2);
  assert_true (nns_network_set_units (f->network, 1, 3, NULL));
  b = snapshot_node (f->canvas);
  tb = gsk_renderer_render_texture (renderer, b, &viewport);
  gdk_texture_download (tb, pb, WIDTH * 4);
  for (gsize i = 0; i < (gsize) WIDTH * HEIGHT * 4; i++)
    differ += pa[i] != pb[i];
  assert_true (differ > 1000);
  fixture_free (f);
}

static void
download (GskRenderer *renderer, GskRenderNode *node, guchar *pixels)
{
  g_autoptr (GdkTexture) texture =
    gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));

  gdk_texture_download (texture, pixels, WIDTH * 4);
}

/* A pan moves the last frame by whole pixels and draws only the bands it
 * uncovered — with and without a selection: the same pixels as the view
 * drawn whole. */
static void
test_pan_pixels (void **state)
{
  const double moves[][2] = { { 7, -5 }, { -3, 11 }, { 12.4, 0 }, { 0, -9 }, { -40, 30 } };

  for (int with_selection = 0; with_selection < 2; with_selection++)
    {
      Fixture *f = fixture_new (lesson, G_N_ELEMENTS (lesson), FALSE);
      GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (f->window));
      g_autofree guchar *pa = g_malloc (WIDTH * HEIGHT * 4);
      g_autofree guchar *pb = g_malloc (WIDTH * HEIGHT * 4);
      GskRenderNode *node;
      guint panned;
      gsize worse = 0, inked = 0;
      int max_diff = 0;

      /* zoomed in, so that the drawing fills the view to its borders */
      nns_canvas_zoom_at (f->canvas, 2.5, WIDTH / 2.0, HEIGHT / 2.0);
      if (with_selection)
        nns_canvas_select (f->canvas, 1, 4);
      gsk_render_node_unref (snapshot_node (f->canvas));
      panned = nns_canvas_get_n_panned (f->canvas);
      for (guint m = 0; m < G_N_ELEMENTS (moves); m++)
        {
          nns_canvas_pan (f->canvas, moves[m][0], moves[m][1]);
          gsk_render_node_unref (snapshot_node (f->canvas));
        }
      assert_int_equal (nns_canvas_get_n_panned (f->canvas), panned + G_N_ELEMENTS (moves));
      node = snapshot_node (f->canvas);
      download (renderer, node, pa);
      gsk_render_node_unref (node);

      /* the same view, drawn whole */
      nns_canvas_zoom_at (f->canvas, 1.0, 0, 0);
      node = snapshot_node (f->canvas);
      download (renderer, node, pb);
      gsk_render_node_unref (node);
      assert_int_equal (nns_canvas_get_n_panned (f->canvas), panned + G_N_ELEMENTS (moves));

      for (gsize i = 0; i < (gsize) WIDTH * HEIGHT * 4; i++)
        {
          int d = abs ((int) pa[i] - (int) pb[i]);

          max_diff = MAX (max_diff, d);
          worse += d > 2;
          inked += i % 4 == 3 && pb[i] > 0;
        }
      g_test_message ("pan %s: max difference %d, %" G_GSIZE_FORMAT " values beyond 2",
                      with_selection ? "with a selection" : "", max_diff, worse);
      assert_true (inked > WIDTH * HEIGHT / 100);
      assert_int_equal (worse, 0);
      fixture_free (f);
    }
}

/* Keyboard alone: arrows move, Home / End jump within the layer, Escape
 * clears; the accessible description follows the selection. */
static void
test_keyboard (void **state)
{
  Fixture *f = fixture_new (lesson, G_N_ELEMENTS (lesson), FALSE);
  g_autofree char *text = NULL;
  guint c, k;

  assert_true (gtk_widget_get_focusable (GTK_WIDGET (f->canvas)));
  assert_null (nns_canvas_get_description (f->canvas));
  assert_true (nns_canvas_handle_key (f->canvas, GDK_KEY_Down, 0));
  assert_true (nns_canvas_get_selection (f->canvas, &c, &k));
  assert_int_equal (c, 0);
  assert_int_equal (k, 0);
  assert_true (nns_canvas_handle_key (f->canvas, GDK_KEY_Right, 0));
  assert_true (nns_canvas_handle_key (f->canvas, GDK_KEY_End, 0));
  nns_canvas_get_selection (f->canvas, &c, &k);
  assert_int_equal (c, 1);
  assert_int_equal (k, 17);
  text = nns_format_neuron (f->network, 1, 17);
  assert_string_equal (nns_canvas_get_description (f->canvas), text);
  assert_non_null (strstr (text, "18"));
  assert_true (nns_canvas_handle_key (f->canvas, GDK_KEY_Home, 0));
  nns_canvas_get_selection (f->canvas, &c, &k);
  assert_int_equal (c, 1);
  assert_int_equal (k, 0);
  g_free (text);
  text = nns_format_neuron (f->network, 1, 0);
  assert_string_equal (nns_canvas_get_description (f->canvas), text);

  /* The text follows the model: the layer before grew. */
  assert_true (nns_network_set_input (f->network, 12, NULL));
  g_free (text);
  text = nns_format_neuron (f->network, 1, 0);
  assert_non_null (strstr (text, "12 weights"));
  assert_string_equal (nns_canvas_get_description (f->canvas), text);

  /* Modifiers are the window's. */
  assert_false (nns_canvas_handle_key (f->canvas, GDK_KEY_Down, GDK_CONTROL_MASK));
  assert_true (nns_canvas_handle_key (f->canvas, GDK_KEY_Escape, 0));
  assert_false (nns_canvas_get_selection (f->canvas, NULL, NULL));
  assert_null (nns_canvas_get_description (f->canvas));
  /* Nothing to clear: the key goes on to the window. */
  assert_false (nns_canvas_handle_key (f->canvas, GDK_KEY_Escape, 0));
  fixture_free (f);
}

/* The canvas's pixels, through the window's renderer. */
static guchar *
canvas_pixels (NnsCanvas *canvas)
{
  g_autoptr (GskRenderNode) node = snapshot_node (canvas);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (canvas)));
  g_autoptr (GdkTexture) texture = NULL;
  guchar *pixels = g_malloc ((gsize) WIDTH * HEIGHT * 4);

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  gdk_texture_download (texture, pixels, (gsize) WIDTH * 4);
  return pixels;
}

/* What the window shows is what the command line writes: the lesson and
 * MNIST (every neuron) exported by `nnsketch --export-width/height` into the
 * canvas's box, composited on the canvas's background, are the canvas's
 * pixels (same proportions, same labels, the same place). */
static void
test_canvas_matches_cli (void **state)
{
  const guint *nets[] = { lesson, mnist };
  const char *layers[] = { "--layers=10,18,20,5", "--layers=784,256,128,10" };
  const char *nnsketch = g_getenv ("NNSKETCH");

  assert_non_null (nnsketch);
  for (guint n = 0; n < 2; n++)
    {
      Fixture *f = fixture_new (nets[n], 4, n == 1);
      g_autofree char *dir = g_dir_make_tmp ("nns-canvas-XXXXXX", NULL);
      g_autofree char *png = g_build_filename (dir, "cli.png", NULL);
      g_autofree char *out = g_strconcat ("--export-filename=", png, NULL);
      g_autofree char *bw = g_strdup_printf ("--export-width=%d", WIDTH - 48);
      g_autofree char *bh = g_strdup_printf ("--export-height=%d", HEIGHT - 48);
      const char *argv[] = { nnsketch, layers[n], "--export-background=transparent", bw, bh, out,
                             n == 1 ? "--show-all-neurons" : NULL, NULL };
      g_autofree guchar *shown = canvas_pixels (f->canvas);
      cairo_surface_t *file;
      const guchar *data;
      int status, stride, bad = 0;
      double sum = 0;
      guint32 bg;

      assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, NULL, NULL, &status,
                                 NULL));
      assert_true (g_spawn_check_wait_status (status, NULL));
      file = cairo_image_surface_create_from_png (png);
      assert_int_equal (cairo_surface_status (file), CAIRO_STATUS_SUCCESS);
      assert_int_equal (cairo_image_surface_get_width (file), WIDTH - 48);
      assert_int_equal (cairo_image_surface_get_height (file), HEIGHT - 48);
      data = cairo_image_surface_get_data (file);
      stride = cairo_image_surface_get_stride (file);
      memcpy (&bg, shown, 4);
      for (int y = 0; y < HEIGHT - 48; y++)
        for (int x = 0; x < WIDTH - 48; x++)
          {
            guint32 p = *(const guint32 *) (data + y * stride + 4 * x);
            guint32 q;
            int a = p >> 24;

            memcpy (&q, shown + ((gsize) (y + 24) * WIDTH + x + 24) * 4, 4);
            for (int shift = 0; shift < 24; shift += 8)
              {
                /* premultiplied file over the canvas's background */
                int want = ((p >> shift) & 0xff) + ((bg >> shift) & 0xff) * (255 - a) / 255;
                int d = abs (want - (int) ((q >> shift) & 0xff));

                sum += d;
                bad += d > 24;
              }
          }
      print_message ("%s: canvas vs CLI export: mean |difference| %.3f/255, %d channels off\n",
                     layers[n], sum / ((WIDTH - 48.0) * (HEIGHT - 48) * 3), bad);
      assert_true (sum / ((WIDTH - 48.0) * (HEIGHT - 48) * 3) < 0.5);
      assert_true (bad < (WIDTH - 48) * (HEIGHT - 48) * 3 / 1000);
      cairo_surface_destroy (file);

      /* With no size the file is the drawing the canvas shows, at its own
       * size: the same proportions. */
      argv[3] = argv[5];
      argv[4] = argv[6];
      argv[5] = NULL;
      assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, NULL, NULL, &status,
                                 NULL));
      assert_true (g_spawn_check_wait_status (status, NULL));
      file = cairo_image_surface_create_from_png (png);
      {
        const NnsLayout *layout = nns_canvas_get_layout (f->canvas);
        double fw = cairo_image_surface_get_width (file), fh = cairo_image_surface_get_height (file);

        assert_true (fabs (fw - ceil (nns_layout_get_width (layout))) < 1);
        assert_true (fabs (fh - ceil (nns_layout_get_height (layout))) < 1);
      }
      cairo_surface_destroy (file);
      g_unlink (png);
      g_rmdir (dir);
      fixture_free (f);
    }
}

/* Whatever makes the theme dark (libadwaita's style manager, GTK_THEME, a
 * style sheet), the canvas sees light text and draws the dark palette. */
static void
test_dark_from_theme (void **state)
{
  Fixture *f = fixture_new (lesson, 4, FALSE);
  g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
  g_autofree guchar *light = NULL, *dark = NULL;
  guint changed = 0;

  assert_false (nns_canvas_is_dark (f->canvas));
  light = canvas_pixels (f->canvas);
  gtk_css_provider_load_from_data (css, "* { color: #ffffff; background: #242424; }", -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_USER);
  pump ();
  assert_true (nns_canvas_is_dark (f->canvas));
  dark = canvas_pixels (f->canvas);
  for (gsize i = 0; i < (gsize) WIDTH * HEIGHT * 4; i++)
    changed += light[i] != dark[i];
  /* The palette changed (node fill, borders, text), not only nothing. */
  assert_true (changed > 10000);
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (css));
  pump ();
  fixture_free (f);
}

/* The selection follows its neuron when a layer is inserted or removed before
 * it, and goes when its layer goes. */
static void
test_selection_fix_up (void **state)
{
  const guint widths[] = { 4, 6, 3, 2 };
  Fixture *f = fixture_new (widths, G_N_ELEMENTS (widths), FALSE);
  guint c = 99, k = 99;
  int changes = 0;

  g_signal_connect_swapped (f->canvas, "selection-changed", G_CALLBACK (count_changes), &changes);
  nns_canvas_select (f->canvas, 2, 1);   /* the second neuron of the 3-wide layer */
  assert_int_equal (changes, 1);

  /* A layer inserted before it: the same neuron, one column further. */
  assert_true (nns_network_insert_layer (f->network, 0, 5, NULL));
  pump ();
  assert_true (nns_canvas_get_selection (f->canvas, &c, &k));
  assert_int_equal (c, 3);
  assert_int_equal (k, 1);
  assert_int_equal (nns_network_get_column_width (f->network, c), 3);
  assert_int_equal (changes, 2);

  /* Inserted after it: nothing moves. */
  assert_true (nns_network_insert_layer (f->network, 3, 7, NULL));
  pump ();
  assert_true (nns_canvas_get_selection (f->canvas, &c, &k));
  assert_int_equal (c, 3);

  /* Removed before it: one column back. */
  assert_true (nns_network_remove_layer (f->network, 0, NULL));
  pump ();
  assert_true (nns_canvas_get_selection (f->canvas, &c, &k));
  assert_int_equal (c, 2);
  assert_int_equal (k, 1);
  assert_int_equal (nns_network_get_column_width (f->network, c), 3);

  /* Its own layer removed: the selection goes. */
  assert_true (nns_network_remove_layer (f->network, 1, NULL));
  pump ();
  assert_false (nns_canvas_get_selection (f->canvas, NULL, NULL));

  /* Resized below it: goes too. */
  nns_canvas_select (f->canvas, 1, 5);
  assert_true (nns_network_set_units (f->network, 0, 3, NULL));
  pump ();
  assert_false (nns_canvas_get_selection (f->canvas, NULL, NULL));
  fixture_free (f);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_fit_labels),
    cmocka_unit_test (test_canvas_matches_cli),
    cmocka_unit_test (test_dark_from_theme),
    cmocka_unit_test (test_click),
    cmocka_unit_test (test_cache),
    cmocka_unit_test (test_cache_pixels),
    cmocka_unit_test (test_pan_pixels),
    cmocka_unit_test (test_keyboard),
    cmocka_unit_test (test_selection_fix_up),
  };

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    return 77;
  gtk_init ();
  return cmocka_run_group_tests (tests, NULL, NULL);
}
